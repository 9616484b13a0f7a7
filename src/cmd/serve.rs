//! `groupdir serve`: the preview server, from the command line.

use std::net::{IpAddr, Ipv4Addr};

use clap::Args;

use super::SiteArgs;
use crate::Error;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on; 127.0.0.1 keeps the preview on this machine
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// The port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
    /// Look for changes by polling, for file systems without change events
    #[arg(long)]
    pub poll: bool,
}

#[cfg(feature = "serve")]
pub fn run(args: &ServeArgs) -> Result<u8, Error> {
    use crate::serve::{ServeOptions, serve};

    serve(&ServeOptions {
        root: args.site.root.clone(),
        bind: args.bind,
        port: args.port,
        today: args.site.day()?,
        open: args.open,
        poll: args.poll,
    })?;
    Ok(0)
}

/// Without the `serve` feature (the deploy's build), the command says how to get it.
#[cfg(not(feature = "serve"))]
pub fn run(_args: &ServeArgs) -> Result<u8, Error> {
    Err(Error::Usage(
        "this groupdir was built without the preview server (feature `serve`); build with default features (cargo build --release)"
            .to_string(),
    ))
}

#[cfg(all(test, not(feature = "serve")))]
mod tests {
    use super::*;

    #[test]
    fn without_the_feature_the_command_says_how_to_get_it() {
        let args = ServeArgs {
            site: SiteArgs {
                root: ".".into(),
                now: None,
            },
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            open: false,
            poll: false,
        };
        let error = run(&args).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("feature `serve`"), "{error}");
    }
}

//! `groupdir check`: validates the content only and prints what it found, in one of the
//! formats of [`crate::diagnostic`].

use clap::Args;

use super::SiteArgs;
use crate::Error;
use crate::diagnostic::{Format, print, summary};
use crate::pipeline;

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Validates the site and prints every diagnostic; the exit status is 1 on errors.
pub fn run(args: &CheckArgs) -> Result<u8, Error> {
    let format = args.format;
    let request = args.site.request(args.site.today()?);
    let (diagnostics, ok) = match pipeline::load(&request, None) {
        Ok(loaded) => (loaded.warnings, true),
        Err(Error::Content(diagnostics)) => (diagnostics, false),
        Err(other) => return Err(other),
    };
    print(&diagnostics, format);
    if format == Format::Human {
        eprintln!("{}", summary(&diagnostics));
    }
    Ok(if ok { 0 } else { 1 })
}

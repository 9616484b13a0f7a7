//! `groupdir build`: run the pipeline into the output folder and say what it did.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::SiteArgs;
use crate::Error;
use crate::config;
use crate::diagnostic::{self, Diagnostic, Position};
use crate::load::display_path;
use crate::pipeline::{self, Address, Disk, Request};

#[derive(Args, Debug, Clone)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: ROOT/public]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The address the site is published at, such as https://groups.example.org/
    #[arg(long)]
    pub base_url: Option<String>,
}

/// Builds the site into the output folder; on any error the previous output stays as it was.
pub fn run(args: &BuildArgs) -> Result<u8, Error> {
    let started = Instant::now();
    // Read once as it is written, so that every check and the write see the same folder.
    let output = crate::write::lexical(
        &args
            .output
            .clone()
            .unwrap_or_else(|| args.site.root.join("public")),
    );
    let request = Request {
        address: args
            .base_url
            .as_deref()
            .map_or(Address::Settings, Address::BaseUrl),
        ..args.site.request(args.site.today()?)
    };
    let mut built = pipeline::run(&request, Disk(&output))?;
    if built.site.origin.is_none() {
        built.warnings.push(no_address(&args.site.root));
    }
    let stats = built.rendered;
    diagnostic::print(&built.warnings, diagnostic::Format::Human);
    eprintln!(
        "built {} groups and {} pages into {} in {} ms ({} files: {} written, {} unchanged)",
        built.site.groups.len(),
        built.site.pages.len(),
        output.display(),
        started.elapsed().as_millis(),
        stats.written + stats.unchanged,
        stats.written,
        stats.unchanged,
    );
    Ok(0)
}

/// The one warning of a build that does not know where the site is published, at `site.toml`
/// where the address belongs: what needs absolute URLs was left out.
fn no_address(root: &Path) -> Diagnostic {
    let path = display_path(root, &root.join(config::FILE_NAME));
    Diagnostic::warning(
        &path,
        Position::START,
        "no base URL: sitemap.xml and feed.xml are left out, and pages and calendars carry no \
         canonical or absolute links",
    )
    .with_hint(
        "set `base_url = \"https://…/\"`, the published address, in site.toml, or pass \
         `--base-url https://…/`",
    )
}

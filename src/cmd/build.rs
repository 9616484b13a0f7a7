//! `groupdir build`: run the pipeline into the output folder and say what it did.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::{SiteArgs, check};
use crate::Error;
use crate::pipeline::{self, Disk, Request};

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
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.site.root.join("public"));
    let request = Request {
        base_url: args.base_url.as_deref(),
        ..args.site.request(args.site.today()?)
    };
    let built = pipeline::run(&request, Disk(&output))?;
    let stats = built.rendered;
    check::print(&built.warnings, check::Format::Human);
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

//! The build command: every stage in order, from the site folder to the output folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::pipeline::{self, Disk, Request};
use crate::write::WriteStats;
use crate::{Error, today};

/// What `groupdir build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub now: Option<NaiveDate>,
    pub base_url: Option<String>,
}

/// What a successful build did.
pub struct BuildReport {
    pub groups: usize,
    pub pages: usize,
    pub files: usize,
    pub stats: WriteStats,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Builds the site into `options.output`; on any error the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let request = Request {
        root: &options.root,
        today: today::resolve(options.now)?,
        base_url: options.base_url.as_deref(),
    };
    let built = pipeline::run(&request, Disk(&options.output))?;
    let stats = built.rendered;
    Ok(BuildReport {
        groups: built.site.groups.len(),
        pages: built.site.pages.len(),
        files: stats.written + stats.unchanged,
        stats,
        warnings: built.warnings,
        elapsed: started.elapsed(),
    })
}

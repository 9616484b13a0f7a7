//! The build command: every stage in order, from the site folder to the output folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::model::Group;
use crate::render::{self, Output};
use crate::site::Site;
use crate::theme::Theme;
use crate::timings::Timings;
use crate::write::{self, WriteStats};
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
    let mut timings = Timings::start();
    write::check_output(&options.root, &options.output)?;
    let today = today::resolve(options.now)?;
    let loaded = Site::load(&options.root, today, options.base_url.as_deref())?;
    timings.lap("load, parse, validate, compute");
    let theme = Theme::load(&loaded.site.root, &loaded.site.settings.theme)?;
    // Pages go to disk as they are rendered: at scale the whole output would not fit in memory.
    let staging = write::Staging::new(&options.output)?;
    staging.stage_from(|sink| render::site_into(&loaded.site, &theme, |_| true, sink))?;
    timings.lap("render and stage");
    let stats = staging.finish()?;
    timings.lap("write");
    Ok(BuildReport {
        groups: loaded.site.groups.len(),
        pages: loaded.site.pages.len(),
        files: stats.written + stats.unchanged,
        stats,
        warnings: loaded.warnings,
        elapsed: started.elapsed(),
    })
}

/// Renders a loaded site with its theme: every output file, in memory.
pub fn render_site(site: &Site) -> Result<Vec<Output>, Error> {
    render_site_with(site, |_| true)
}

/// As [`render_site`], but of the group pages only those `wanted` picks (see
/// [`render::site_with`]).
pub fn render_site_with(
    site: &Site,
    wanted: impl Fn(&Group) -> bool,
) -> Result<Vec<Output>, Error> {
    let mut timings = Timings::start();
    let theme = Theme::load(&site.root, &site.settings.theme)?;
    timings.lap("render: load theme");
    let outputs = render::site_with(site, &theme, wanted)?;
    timings.lap("render: pages");
    Ok(outputs)
}

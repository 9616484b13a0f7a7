//! The build command: every stage in order, from the site folder to the output folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::model::Group;
use crate::render::{self, Output};
use crate::site::Site;
use crate::theme::Theme;
use crate::write::{self, WriteStats};
use crate::{Error, compute};

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
    write::check_output(&options.root, &options.output)?;
    let today = compute::today(options.now)?;
    let loaded = Site::load(&options.root, today, options.base_url.as_deref())?;
    let outputs = render_site(&loaded.site)?;
    let stats = write::write(&options.output, &outputs)?;
    Ok(BuildReport {
        groups: loaded.site.groups.len(),
        pages: loaded.site.pages.len(),
        files: outputs.len(),
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
    let theme = Theme::load(&site.root, &site.settings.theme)?;
    let mut outputs = render::site_with(site, &theme, wanted).map_err(Error::Content)?;
    outputs.extend(render::static_files(&theme));
    Ok(outputs)
}

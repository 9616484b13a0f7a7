//! The build command: every stage in order, from the site folder to the output folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::config;
use crate::diagnostic::{Diagnostic, Position};
use crate::load::display_path;
use crate::model::Group;
use crate::render::{self, Output};
use crate::site::{Address, Site};
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
    let mut timings = Timings::start();
    write::check_output(&options.root, &options.output)?;
    let today = compute::today(options.now)?;
    let address = options
        .base_url
        .as_deref()
        .map_or(Address::Settings, Address::BaseUrl);
    let mut loaded = Site::load(&options.root, today, address)?;
    if loaded.site.origin.is_none() {
        loaded.warnings.push(no_address(&options.root));
    }
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

/// The one warning of a build that does not know where the site is published, at `site.toml`
/// where the address belongs.
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

/// Per-stage wall times on stderr when `GROUPDIR_TIMINGS` is set: the cheap way to see where a
/// slow build spends its time, on the user's own machine and site.
pub struct Timings {
    last: Option<Instant>,
}

impl Timings {
    pub fn start() -> Timings {
        Timings {
            last: std::env::var_os("GROUPDIR_TIMINGS").map(|_| Instant::now()),
        }
    }

    /// Prints the time since the previous lap (or the start) under `stage`.
    pub fn lap(&mut self, stage: &str) {
        if let Some(last) = &mut self.last {
            let ms = last.elapsed().as_secs_f64() * 1e3;
            eprintln!("timing: {stage:<32} {ms:>9.1} ms {}", peak_memory());
            *last = Instant::now();
        }
    }
}

/// The process's peak memory so far, where the system tells it (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("(peak memory {} MiB)", kib / 1024))
        })
        .unwrap_or_default()
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

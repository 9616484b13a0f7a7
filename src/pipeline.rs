//! The pipeline, run from one place: load → parse → validate → compute → render → write.
//!
//! `build` and `serve` both call [`run`]; they differ only in their [`Target`], where the rendered
//! files go (Zola's `BuildMode`): a folder on disk, swapped in whole, or memory. `check` and
//! `stale` stop after [`load`]. The activity sync (`groupdir sync`) sits beside the stages, not in
//! them: it writes a data file that `load` reads like any other input.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use crate::activity::ActivityFile;
use crate::config::{self, Settings};
use crate::diagnostic::{self, Diagnostic};
use crate::model::Group;
use crate::parse::ParsedFile;
use crate::parse::cache::ParseCache;
use crate::render;
use crate::site::Site;
use crate::theme::Theme;
use crate::timings::Timings;
use crate::validate::lints;
use crate::write::{self, WriteStats};
use crate::{Error, load, parse, paths, validate};

/// What to build: the site folder, the day it is built for, and where the site is reached.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub root: &'a Path,
    pub today: NaiveDate,
    pub address: Address<'a>,
}

/// Where the site is reached, when the command knows better than `base_url` in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address<'a> {
    /// As the settings say.
    Settings,
    /// `--base-url`: the whole address, such as a deploy preview's.
    BaseUrl(&'a str),
    /// The preview server's scheme, host and port, so that the preview's absolute links lead
    /// back to it; the path stays the one the settings give.
    Preview(&'a str),
}

/// A valid site and the warnings worth showing.
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
    /// What `groupdir sync` last read of the charters and the maintainers file.
    pub records: crate::records::Records,
    /// Every difference between the group files and those records, explained ones included.
    pub drifts: Vec<validate::drift::Drift>,
}

/// A run of the whole pipeline: the site it rendered and what the target made of it.
pub struct Built<T> {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
    pub rendered: T,
}

/// Where the rendered files go. Each target says what a run gives back.
pub trait Target {
    type Rendered;

    /// The parse results to reuse and update, for a target that runs again and again.
    fn cache(&mut self) -> Option<&mut ParseCache> {
        None
    }

    /// Checks, before any work, that the target can take the site.
    fn check(&self, _root: &Path) -> Result<(), Error> {
        Ok(())
    }

    fn render(
        self,
        site: &Site,
        theme: &Theme,
        timings: &mut Timings,
    ) -> Result<Self::Rendered, Error>;
}

/// `groupdir build`: a folder on disk, replaced only when every file is written.
pub struct Disk<'a>(pub &'a Path);

impl Target for Disk<'_> {
    type Rendered = WriteStats;

    fn check(&self, root: &Path) -> Result<(), Error> {
        write::check_output(root, self.0)
    }

    fn render(
        self,
        site: &Site,
        theme: &Theme,
        timings: &mut Timings,
    ) -> Result<WriteStats, Error> {
        // Pages go to disk as they are rendered: at scale the whole output would not fit in memory.
        let staging = write::Staging::new(self.0)?;
        staging.stage_from(|sink| render::site_into(site, theme, |_| true, sink))?;
        timings.lap("render and stage");
        let stats = staging.finish()?;
        timings.lap("write");
        Ok(stats)
    }
}

/// Runs every stage for `request` into `target`.
pub fn run<T: Target>(request: &Request<'_>, mut target: T) -> Result<Built<T::Rendered>, Error> {
    let mut timings = Timings::start();
    target.check(request.root)?;
    let loaded = load(request, target.cache())?;
    timings.lap("load, parse, validate, compute");
    let theme = Theme::load(&loaded.site.root, &loaded.site.settings.theme)?;
    let rendered = target.render(&loaded.site, &theme, &mut timings)?;
    Ok(Built {
        site: loaded.site,
        warnings: loaded.warnings,
        rendered,
    })
}

/// Runs load → parse → validate → compute, reusing what `cache` kept of files whose text has not
/// changed since the last load. Every error of every file is collected; the site is returned only
/// when there are none.
pub fn load(request: &Request<'_>, cache: Option<&mut ParseCache>) -> Result<Loaded, Error> {
    let Request {
        root,
        today,
        address,
    } = *request;
    let mut timings = Timings::start();
    let config::SettingsFile {
        mut settings,
        mut diagnostics,
        menu,
    } = Settings::load(root)?;
    if let Address::BaseUrl(base_url) = address {
        // The whole address: a path alone (`//evil.example/` is one) would be taken for the
        // site's base path, and the build would then warn that it has no address.
        let absolute = url::Url::parse(base_url).is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
                && config::origin(base_url).is_some()
        });
        if !absolute {
            return Err(Error::Usage(format!(
                "--base-url: `{base_url}` is not an absolute http(s) address; write the whole \
                 address the site is published at, such as https://groups.example.org/"
            )));
        }
        config::base_path(base_url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
        settings.base_url = base_url.to_string();
    }
    let content = load::content(root)?;
    diagnostics.extend(content.diagnostics);
    timings.lap("load: read content");

    // Files parse independently, so they parse in parallel; results keep the file order.
    let parsed: Vec<parse::cache::CachedFile> = match cache {
        Some(cache) => cache.parse(&content.files),
        None => content
            .files
            .par_iter()
            .map(|file| Arc::new(parse::file(file)))
            .collect(),
    };
    let mut entries = Vec::new();
    let mut pages = Vec::new();
    for (file, parsed) in content.files.iter().zip(&parsed) {
        match &**parsed {
            ParsedFile::Group(group) => {
                diagnostics.extend(group.diagnostics.iter().cloned());
                let future = validate::future_dates(&file.source, group, today);
                // A file with errors of its own gives no group to the rules across files.
                let valid = future.is_empty();
                diagnostics.extend(future);
                entries.push(validate::GroupFile {
                    stem: &file.stem,
                    source: &file.source,
                    spans: &group.spans,
                    strings: &group.strings,
                    group: group.value.as_ref().filter(|_| valid),
                });
            }
            ParsedFile::Page(page) => {
                diagnostics.extend(page.diagnostics.iter().cloned());
                pages.extend(page.value.clone());
            }
        }
    }
    timings.lap("load: parse");
    let is_group = |slug: &str| {
        (content.files.iter()).any(|f| f.kind == paths::FileKind::Group && f.stem == slug)
    };
    let (activity, activity_diagnostics) = ActivityFile::read(root, is_group)?;
    diagnostics.extend(activity_diagnostics);
    let checked = validate::drift::check(root, &settings, &entries, today, is_group)?;
    diagnostics.extend(checked.diagnostics);
    diagnostics.extend(validate::groups(&entries));
    diagnostics.extend(lints::groups(&entries, today));
    diagnostics.extend(validate::pages(&pages));
    diagnostics.extend(menu.unknown(&pages));
    drop(entries);
    let mut groups: Vec<Group> = parsed.into_iter().filter_map(owned_group).collect();

    diagnostic::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diagnostics));
    }
    timings.lap("load: validate");
    groups.sort_by(|a, b| a.slug.cmp(&b.slug));
    pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    let mut site = Site::new(root, settings, today, groups, pages, activity);
    if let Address::Preview(origin) = address {
        site.origin = Some(origin.to_string());
    }
    Ok(Loaded {
        site,
        warnings: diagnostics,
        records: checked.records,
        drifts: checked.drifts,
    })
}

/// The group a file parsed into, moved out unless the cache shares it.
fn owned_group(parsed: Arc<ParsedFile>) -> Option<Group> {
    match Arc::try_unwrap(parsed) {
        Ok(ParsedFile::Group(group)) => group.value,
        Ok(ParsedFile::Page(_)) => None,
        Err(shared) => match &*shared {
            ParsedFile::Group(group) => group.value.clone(),
            ParsedFile::Page(_) => None,
        },
    }
}

//! Rebuilding: the site in memory, how much of it a change needs rendered again, and how the
//! server moves from one good build to the next.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::report::overlay;
use crate::Error;
use crate::diagnostic::Diagnostic;
use crate::model::Slug;
use crate::parse::cache::ParseCache;
use crate::paths;
use crate::pipeline::{self, Address, Request, Target};
use crate::render::{self, Output};
use crate::site::Site;
use crate::theme::Theme;
use crate::timings::Timings;
use crate::today::Today;

/// One good build, in memory: output path (`groups/auth/index.html`) → bytes.
pub(crate) struct Files {
    pub map: HashMap<String, Arc<[u8]>>,
    /// The path part of the base URL, which the server serves the site under.
    pub base_path: String,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// How many files this build rendered; the others were kept from the build before.
    pub rendered: usize,
}

/// What the open pages must do after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Nothing they show changed.
    None,
    Reload,
    /// Only stylesheets changed: fetch them again, and swap each renamed one (URL path before
    /// → after) in place.
    Css(Arc<[(String, String)]>),
    /// The build failed: show this overlay.
    Overlay(Arc<str>),
}

/// What the server shows: the last good build, and the errors of the latest one if it failed.
pub(crate) struct Snapshot {
    pub files: Arc<Files>,
    /// False until the first good build; until then every page is a placeholder.
    pub built: bool,
    /// The error overlay to insert into every HTML response, while the latest build has errors.
    pub overlay: Option<Arc<str>>,
    /// Counts published snapshots, so a page can tell whether it missed one.
    pub generation: u64,
    /// How this snapshot differs from the one before it.
    pub change: Change,
}

/// Builds the site with the same stages as `groupdir build`, into memory, and again after each
/// change: everything is loaded and validated every time, but a change to group files renders
/// only the pages that can show those groups and keeps the other group pages.
pub(crate) struct Rebuilder {
    root: PathBuf,
    /// Read at each build: a preview left running past midnight shows the new day's staleness.
    today: Today,
    /// The day of the latest build.
    day: NaiveDate,
    /// The server's own scheme, host and port: the preview's absolute links lead back to it.
    origin: String,
    /// The previous build, if it succeeded: the site it was made from, and its files.
    last: Option<(Site, Arc<Files>)>,
    cache: ParseCache,
}

impl Rebuilder {
    pub(crate) fn new(root: &Path, today: Today, origin: &str) -> Rebuilder {
        Rebuilder {
            root: root.to_path_buf(),
            day: today.date(),
            origin: origin.to_string(),
            today,
            last: None,
            cache: ParseCache::default(),
        }
    }

    /// Builds after `changed` (paths relative to the root), or everything when `None`.
    pub(crate) fn build(&mut self, changed: Option<&[PathBuf]>) -> Result<Arc<Files>, Error> {
        let started = Instant::now();
        // After a failed build the changes since the last good one are unknown: render all.
        let last = self.last.take();
        self.day = self.today.date();
        let request = Request {
            root: &self.root,
            today: self.day,
            address: Address::Preview(&self.origin),
        };
        let memory = Memory {
            cache: &mut self.cache,
            // A new day can change every group's staleness: render all.
            scope: |new: &Site| match (&last, changed) {
                (Some((old, _)), Some(changed)) if old.today == new.today => {
                    scope(old, new, changed)
                }
                _ => None,
            },
        };
        let loaded = pipeline::run(&request, memory)?;
        let InMemory { outputs, scope } = loaded.rendered;
        let rendered = outputs.len();
        let mut map: HashMap<String, Arc<[u8]>> = outputs
            .into_iter()
            .map(|o| (o.path, Arc::from(o.bytes)))
            .collect();
        if let (Some(slugs), Some((_, old))) = (&scope, &last) {
            keep_group_pages(&loaded.site, slugs, old, &mut map);
        }
        let files = Arc::new(Files {
            map,
            base_path: loaded.site.base_path.clone(),
            warnings: loaded.warnings,
            elapsed: started.elapsed(),
            rendered,
        });
        self.last = Some((loaded.site, Arc::clone(&files)));
        Ok(files)
    }
}

/// The preview's target: the site in memory, of the group pages only those `scope` picks for the
/// new site (all when it picks `None`), reusing the parse results of unchanged files.
struct Memory<'a, F> {
    cache: &'a mut ParseCache,
    scope: F,
}

/// What a preview build rendered, and which group pages it was limited to.
struct InMemory {
    outputs: Vec<Output>,
    scope: Option<HashSet<Slug>>,
}

impl<F: FnOnce(&Site) -> Option<HashSet<Slug>>> Target for Memory<'_, F> {
    type Rendered = InMemory;

    fn cache(&mut self) -> Option<&mut ParseCache> {
        Some(self.cache)
    }

    fn render(self, site: &Site, theme: &Theme, timings: &mut Timings) -> Result<InMemory, Error> {
        let scope = (self.scope)(site);
        let outputs = render::site_with(site, theme, |g| {
            scope.as_ref().is_none_or(|slugs| slugs.contains(&g.slug))
        })?;
        timings.lap("render: pages");
        Ok(InMemory { outputs, scope })
    }
}

impl Rebuilder {
    /// The day of the latest build.
    pub(crate) fn day(&self) -> NaiveDate {
        self.day
    }
}

/// The groups whose pages a change to `changed` can alter: the changed groups and every group
/// linked to one of them, before or after the change. `None` when the change is not to group
/// files only (a page, a template, the settings), which can alter every page.
fn scope(old: &Site, new: &Site, changed: &[PathBuf]) -> Option<HashSet<Slug>> {
    let mut changed_slugs = Vec::new();
    for path in changed {
        match touched(path) {
            Touched::Group(slug) => changed_slugs.push(slug),
            Touched::Nothing => {}
            Touched::Anything => return None,
        }
    }
    let mut slugs: HashSet<Slug> = HashSet::new();
    for slug in changed_slugs {
        for site in [old, new] {
            slugs.extend(site.relations.related(&slug).iter().cloned());
            slugs.extend(site.relations.spawned(&slug).iter().cloned());
            slugs.extend(site.group(&slug).and_then(|g| g.origin_group()).cloned());
        }
        slugs.insert(slug);
    }
    Some(slugs)
}

/// What a changed file (relative to the root) can alter in the output.
enum Touched {
    Group(Slug),
    Nothing,
    Anything,
}

fn touched(path: &Path) -> Touched {
    let Some(file) = paths::group_stem_of_source(path) else {
        return Touched::Anything;
    };
    if file.extension().is_none_or(|e| e != "md") {
        // Loading reads only the `.md` files here: nothing else beside them is content.
        return Touched::Nothing;
    }
    file.file_stem()
        .and_then(|stem| Slug::parse(&stem.to_string_lossy()).ok())
        .map_or(Touched::Anything, Touched::Group)
}

/// Copies from the previous build the pages of groups that were not rendered again.
fn keep_group_pages(
    site: &Site,
    rendered: &HashSet<Slug>,
    old: &Files,
    map: &mut HashMap<String, Arc<[u8]>>,
) {
    let kept: HashSet<&str> = site
        .groups
        .iter()
        .filter(|g| !rendered.contains(&g.slug))
        .map(|g| g.slug.as_str())
        .collect();
    for (path, bytes) in &old.map {
        let slug = paths::group_of_output(path);
        if slug.is_some_and(|s| kept.contains(s)) && !map.contains_key(path) {
            map.insert(path.clone(), bytes.clone());
        }
    }
}

impl Snapshot {
    pub(crate) fn first(result: &Result<Arc<Files>, Error>) -> Snapshot {
        match result {
            Ok(files) => Snapshot {
                files: Arc::clone(files),
                built: true,
                overlay: None,
                generation: 0,
                change: Change::Reload,
            },
            Err(error) => Snapshot {
                files: Arc::new(Files {
                    map: HashMap::new(),
                    base_path: "/".to_string(),
                    warnings: Vec::new(),
                    elapsed: Duration::ZERO,
                    rendered: 0,
                }),
                built: false,
                overlay: Some(overlay(error).into()),
                generation: 0,
                change: Change::Reload,
            },
        }
    }

    /// The snapshot that follows this one after a rebuild, or `None` when nothing changed.
    pub(crate) fn next(&self, result: &Result<Arc<Files>, Error>) -> Option<Snapshot> {
        let (files, built, overlay, change) = match result {
            Ok(files) => {
                let change = if self.overlay.is_some() || !self.built {
                    Change::Reload
                } else {
                    difference(&self.files, files)
                };
                (Arc::clone(files), true, None, change)
            }
            Err(error) => {
                let overlay: Arc<str> = overlay(error).into();
                if self.overlay.as_ref() == Some(&overlay) {
                    return None;
                }
                let change = Change::Overlay(Arc::clone(&overlay));
                (Arc::clone(&self.files), self.built, Some(overlay), change)
            }
        };
        if change == Change::None {
            return None;
        }
        Some(Snapshot {
            files,
            built,
            overlay,
            generation: self.generation + 1,
            change,
        })
    }
}

/// What pages showing `old` must do to show `new`.
fn difference(old: &Files, new: &Files) -> Change {
    if old.base_path != new.base_path {
        return Change::Reload;
    }
    let changed: Vec<&String> = new
        .map
        .iter()
        .filter(|(path, bytes)| !old.map.get(*path).is_some_and(|b| same_bytes(b, bytes)))
        .map(|(path, _)| path)
        .collect();
    let removed: Vec<&String> = old
        .map
        .keys()
        .filter(|path| !new.map.contains_key(*path))
        .collect();
    if changed.is_empty() && removed.is_empty() {
        return Change::None;
    }
    match stylesheet_swaps(old, new, &changed, &removed) {
        Some(swaps) => Change::Css(
            swaps
                .into_iter()
                .map(|(from, to)| {
                    (
                        format!("{}{from}", new.base_path),
                        format!("{}{to}", new.base_path),
                    )
                })
                .collect(),
        ),
        None => Change::Reload,
    }
}

/// Whether two outputs are equal; most were kept from the build before, and are the same buffer.
fn same_bytes(a: &Arc<[u8]>, b: &Arc<[u8]>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// When only stylesheets changed, the output paths of those renamed (their names carry a hash of
/// their bytes); `None` when anything else changed, such as a page beyond the stylesheet link.
fn stylesheet_swaps(
    old: &Files,
    new: &Files,
    changed: &[&String],
    removed: &[&String],
) -> Option<Vec<(String, String)>> {
    let is_css = |path: &str| path.ends_with(".css");
    let added: Vec<&String> = changed
        .iter()
        .copied()
        .filter(|path| is_css(path) && !old.map.contains_key(*path))
        .collect();
    let mut swaps = Vec::new();
    for gone in removed {
        let name = is_css(gone).then(|| unfingerprinted(gone))?;
        let mut successors = added.iter().filter(|path| unfingerprinted(path) == name);
        let (Some(successor), None) = (successors.next(), successors.next()) else {
            return None;
        };
        swaps.push(((*gone).clone(), (*successor).clone()));
    }
    for path in changed.iter().filter(|path| !is_css(path)) {
        let before = old.map.get(*path).filter(|_| path.ends_with(".html"))?;
        let mut html = String::from_utf8_lossy(before).into_owned();
        for (from, to) in &swaps {
            html = html.replace(from.as_str(), to);
        }
        if html.as_bytes() != &*new.map[*path] {
            return None;
        }
    }
    Some(swaps)
}

/// `assets/style.0a1b2c3d4e.css` → `assets/style.css`: the name without its content hash.
fn unfingerprinted(path: &str) -> String {
    let Some((stem, extension)) = path.rsplit_once('.') else {
        return path.to_string();
    };
    match stem.rsplit_once('.') {
        Some((name, hash)) if !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            format!("{name}.{extension}")
        }
        _ => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Arc<Files> {
        Arc::new(Files {
            map: entries
                .iter()
                .map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes())))
                .collect(),
            base_path: "/".to_string(),
            warnings: Vec::new(),
            elapsed: Duration::ZERO,
            rendered: entries.len(),
        })
    }

    #[test]
    fn only_stylesheets_changed_means_css() {
        let old = files(&[("index.html", "a"), ("style.css", "x")]);
        let new = files(&[("index.html", "a"), ("style.css", "y")]);
        assert_eq!(difference(&old, &new), Change::Css(Arc::new([])));
    }

    #[test]
    fn a_renamed_fingerprinted_stylesheet_is_swapped() {
        let old = files(&[
            (
                "index.html",
                "<link href=\"/assets/style.0a1b2c3d4e.css\"><p>a",
            ),
            ("assets/style.0a1b2c3d4e.css", "x"),
            ("style.css", "x"),
        ]);
        let new = files(&[
            (
                "index.html",
                "<link href=\"/assets/style.99999fffff.css\"><p>a",
            ),
            ("assets/style.99999fffff.css", "y"),
            ("style.css", "y"),
        ]);
        let swaps = vec![(
            "/assets/style.0a1b2c3d4e.css".to_string(),
            "/assets/style.99999fffff.css".to_string(),
        )];
        assert_eq!(difference(&old, &new), Change::Css(swaps.into()));
        let mut text_too = files(&[
            (
                "index.html",
                "<link href=\"/assets/style.99999fffff.css\"><p>b",
            ),
            ("assets/style.99999fffff.css", "y"),
            ("style.css", "y"),
        ]);
        assert_eq!(difference(&old, &text_too), Change::Reload);
        Arc::get_mut(&mut text_too)
            .unwrap()
            .map
            .remove("index.html");
        assert_eq!(difference(&old, &text_too), Change::Reload);
    }

    #[test]
    fn any_page_changed_or_removed_means_reload() {
        let old = files(&[("index.html", "a"), ("style.css", "x")]);
        assert_eq!(
            difference(&old, &files(&[("index.html", "b"), ("style.css", "y")])),
            Change::Reload
        );
        assert_eq!(
            difference(&old, &files(&[("index.html", "a")])),
            Change::Reload
        );
        assert_eq!(
            difference(&old, &files(&[("index.html", "a"), ("style.css", "x")])),
            Change::None
        );
    }

    #[test]
    fn a_failed_build_keeps_the_files_and_the_next_good_one_reloads() {
        let first = Snapshot::first(&Ok(files(&[("index.html", "a")])));
        let broken = first
            .next(&Err(Error::Usage("no content".to_string())))
            .expect("errors are news");
        assert!(Arc::ptr_eq(&first.files, &broken.files));
        assert!(matches!(broken.change, Change::Overlay(_)));
        assert!(
            broken
                .next(&Err(Error::Usage("no content".to_string())))
                .is_none(),
            "the same errors again are not news"
        );
        let fixed = broken
            .next(&Ok(files(&[("index.html", "a")])))
            .expect("recovery is news");
        assert_eq!(fixed.change, Change::Reload);
        assert!(fixed.overlay.is_none());
        assert_eq!(fixed.generation, 2);
    }

    #[test]
    fn only_group_files_allow_a_partial_render() {
        let touched = |p: &str| touched(Path::new(p));
        assert!(
            matches!(touched("content/groups/auth.md"), Touched::Group(s) if s.as_str() == "auth")
        );
        assert!(matches!(
            touched("content/groups/sedX1b2"),
            Touched::Nothing
        ));
        for path in [
            "content/groups",
            "content/groups/sub/a.md",
            "content/groups/Bad Name.md",
            "content/faq.md",
            "content",
            "site.toml",
            "themes/default/templates/group.html",
        ] {
            assert!(matches!(touched(path), Touched::Anything), "{path}");
        }
    }

    /// The repository's content in a folder of its own, to edit; the theme is the built-in one.
    fn copy_content(repo: &Path, root: &Path) {
        for folder in ["content", "content/groups"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
            for entry in std::fs::read_dir(repo.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    std::fs::copy(&path, root.join(folder).join(path.file_name().unwrap()))
                        .unwrap();
                }
            }
        }
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{} has no {from}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    const ORIGIN: &str = "http://127.0.0.1:1111";

    /// Rendering only the pages a change needs gives the same site as rendering everything.
    #[test]
    fn partial_rebuilds_equal_full_builds() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        copy_content(repo, root);
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let mut rebuilder = Rebuilder::new(root, Today::Fixed(today), ORIGIN);
        rebuilder.build(None).unwrap();

        let security = root.join("content/groups/security.md");
        let lamps = root.join("content/groups/lamps.md");
        let faq = root.join("content/faq.md");
        let lamps_text = std::fs::read_to_string(&security)
            .unwrap()
            .replace("title = \"Security\"", "title = \"Lamps\"")
            .replacen("related = [", "related = [\"security\", ", 1);
        let mut rebuilt_like_full = |what: &str, path: &Path, partial: bool| {
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let fast = rebuilder.build(Some(&[rel])).unwrap();
            let full = Rebuilder::new(root, Today::Fixed(today), ORIGIN)
                .build(None)
                .unwrap();
            let mut paths: Vec<_> = full.map.keys().collect();
            paths.sort();
            for path in paths {
                let same = fast.map.get(path) == full.map.get(path);
                assert!(
                    same,
                    "after the {what} change, {path} differs from a full build"
                );
            }
            assert_eq!(fast.map.len(), full.map.len(), "{what}");
            assert_eq!(fast.rendered < full.rendered, partial, "{what}");
        };
        edit(&security, "place to bring", "home for");
        rebuilt_like_full("body", &security, true);
        edit(&security, "title = \"Security\"", "title = \"Safety\"");
        rebuilt_like_full("title", &security, true);
        edit(&security, "\"auth\", ", "");
        rebuilt_like_full("relation", &security, true);
        std::fs::write(&lamps, &lamps_text).unwrap();
        rebuilt_like_full("new group", &lamps, true);
        std::fs::remove_file(&lamps).unwrap();
        rebuilt_like_full("deleted group", &lamps, true);
        let inspector = root.join("content/groups/inspector-v2.md");
        edit(&inspector, "time = \"11:00\"", "time = \"12:30\"");
        rebuilt_like_full("meeting time", &inspector, true);
        edit(&faq, "Short answers", "Brief answers");
        rebuilt_like_full("page", &faq, false);
    }
}

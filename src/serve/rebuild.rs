//! Rebuilding: the site in memory, and how it moves from one good build to the next.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use chrono::NaiveDate;

use crate::Error;
use crate::build::render_site;
use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// One good build, in memory: output path (`groups/auth/index.html`) → bytes.
pub(crate) struct Files {
    pub map: HashMap<String, Bytes>,
    /// The path part of the base URL, which the server serves the site under.
    pub base_path: String,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// What the open pages must do after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Nothing they show changed.
    None,
    Reload,
    /// Only stylesheets changed: swap them in place.
    Css,
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

/// Builds the site at `root` into memory with the same stages as `groupdir build`.
pub(crate) fn build(root: &Path, today: NaiveDate) -> Result<Files, Error> {
    let started = Instant::now();
    let loaded = Site::load(root, today, None)?;
    let outputs = render_site(&loaded.site)?;
    Ok(Files {
        map: outputs
            .into_iter()
            .map(|o| (o.path, Bytes::from(o.bytes)))
            .collect(),
        base_path: loaded.site.base_path,
        warnings: loaded.warnings,
        elapsed: started.elapsed(),
    })
}

impl Snapshot {
    pub(crate) fn first(result: Result<Files, Error>) -> Snapshot {
        match result {
            Ok(files) => Snapshot {
                files: Arc::new(files),
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
                }),
                built: false,
                overlay: Some(super::http::overlay(&error).into()),
                generation: 0,
                change: Change::Reload,
            },
        }
    }

    /// The snapshot that follows this one after a rebuild, or `None` when nothing changed.
    pub(crate) fn next(&self, result: Result<Files, Error>) -> Option<Snapshot> {
        let (files, built, overlay, change) = match result {
            Ok(files) => {
                let change = if self.overlay.is_some() || !self.built {
                    Change::Reload
                } else {
                    difference(&self.files, &files)
                };
                (Arc::new(files), true, None, change)
            }
            Err(error) => {
                let overlay: Arc<str> = super::http::overlay(&error).into();
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
    let changed = new
        .map
        .iter()
        .filter(|(path, bytes)| old.map.get(*path) != Some(*bytes))
        .map(|(path, _)| path);
    let removed = old.map.keys().filter(|path| !new.map.contains_key(*path));
    let mut any = false;
    for path in changed.chain(removed) {
        any = true;
        if !path.ends_with(".css") || !old.map.contains_key(path) || !new.map.contains_key(path) {
            return Change::Reload;
        }
    }
    if any { Change::Css } else { Change::None }
}

/// The errors as `groupdir check` prints them, without colour.
pub(crate) fn error_text(error: &Error) -> String {
    match error {
        Error::Content(diagnostics) => diagnostics
            .iter()
            .map(Diagnostic::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        other => format!("error: {other}"),
    }
}

/// Tells the terminal what a build did.
pub(crate) fn report(result: &Result<Files, Error>, changed: Option<&[PathBuf]>) {
    if let Some(changed) = changed {
        let names: Vec<_> = changed.iter().map(|p| p.display().to_string()).collect();
        eprintln!("changed: {}", names.join(", "));
    }
    match result {
        Ok(files) => {
            for warning in &files.warnings {
                eprintln!("{warning}");
            }
            eprintln!(
                "built {} files in {} ms",
                files.map.len(),
                files.elapsed.as_millis()
            );
        }
        Err(error) => {
            eprintln!("{}", error_text(error));
            eprintln!("the build failed: still serving the last good site, with the errors shown");
        }
    }
}

/// Tells the terminal what the open pages were told.
pub(crate) fn report_change(change: &Change, elapsed: Duration) {
    let what = match change {
        Change::None => "no output changed",
        Change::Reload => "reloading pages",
        Change::Css => "swapping stylesheets",
        Change::Overlay(_) => "showing the errors",
    };
    eprintln!("{what} ({} ms after the change)", elapsed.as_millis());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        Files {
            map: entries
                .iter()
                .map(|(p, b)| (p.to_string(), Bytes::from(b.to_string())))
                .collect(),
            base_path: "/".to_string(),
            warnings: Vec::new(),
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn only_stylesheets_changed_means_css() {
        let old = files(&[("index.html", "a"), ("style.css", "x")]);
        let new = files(&[("index.html", "a"), ("style.css", "y")]);
        assert_eq!(difference(&old, &new), Change::Css);
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
        let first = Snapshot::first(Ok(files(&[("index.html", "a")])));
        let broken = first
            .next(Err(Error::Usage("no content".to_string())))
            .expect("errors are news");
        assert!(Arc::ptr_eq(&first.files, &broken.files));
        assert!(matches!(broken.change, Change::Overlay(_)));
        assert!(
            broken
                .next(Err(Error::Usage("no content".to_string())))
                .is_none(),
            "the same errors again are not news"
        );
        let fixed = broken
            .next(Ok(files(&[("index.html", "a")])))
            .expect("recovery is news");
        assert_eq!(fixed.change, Change::Reload);
        assert!(fixed.overlay.is_none());
        assert_eq!(fixed.generation, 2);
    }
}

//! Watching: notice changes to the site's sources, wait for a burst of events to settle, then
//! call back with what changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{EventKind, PollWatcher, RecursiveMode, Watcher};

use crate::Error;
use crate::config;
use crate::load::is_ignored;

/// The folders under the root whose files make the site (`data/` holds the synced activity).
const FOLDERS: [&str; 5] = ["content", "themes", "templates", "static", "data"];
/// An editor's save is a burst of events (write a temporary file, rename it over): the burst is
/// over when no event came for this long.
const QUIET: Duration = Duration::from_millis(20);
/// A burst that never settles (a long copy) is still rebuilt this often.
const LONGEST: Duration = Duration::from_millis(500);
/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

type Events = Receiver<notify::Result<notify::Event>>;

/// A started watcher whose events wait in a channel until [`Watching::spawn`] handles them, so
/// nothing saved while the first build runs is missed.
pub(crate) struct Watching {
    watcher: Box<dyn Watcher + Send>,
    events: Events,
    root: PathBuf,
}

impl Watching {
    /// Starts watching the site at `root`.
    pub(crate) fn start(root: &Path, poll: bool) -> Result<Watching, Error> {
        // Events name paths under the watched path: watch the canonical root so a relative or
        // symlinked --root still matches.
        let root = root.canonicalize().map_err(|e| io_error(root, &e))?;
        let (sender, events) = channel();
        // Links are never followed, so no link can make the watcher walk the whole disk.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher: Box<dyn Watcher + Send> = if poll {
            // notify's poller compares modification times in whole seconds, which misses a
            // second save within the same second: compare the contents too.
            let config = config
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Box::new(PollWatcher::new(sender, config).map_err(|e| io_error(&root, &e))?)
        } else {
            let watcher = notify::RecommendedWatcher::new(sender, config);
            Box::new(watcher.map_err(|e| io_error(&root, &e))?)
        };
        // The root itself non-recursively: site.toml, and folders that appear or are replaced.
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| io_error(&root, &e))?;
        for folder in FOLDERS {
            watch_folder(watcher.as_mut(), &root, folder);
        }
        Ok(Watching {
            watcher,
            events,
            root,
        })
    }

    /// Handles the events on a thread of its own, calling `on_change` with the paths (relative to
    /// the root) that changed in each settled burst.
    pub(crate) fn spawn(
        self,
        on_change: impl FnMut(&[PathBuf]) + Send + 'static,
    ) -> Result<JoinHandle<()>, Error> {
        let root = self.root.clone();
        std::thread::Builder::new()
            .name("groupdir-watch".to_string())
            .spawn(move || run(self.watcher, &self.events, &self.root, on_change))
            .map_err(|e| io_error(&root, &e))
    }
}

fn io_error(root: &Path, error: &dyn std::fmt::Display) -> Error {
    Error::io(
        root,
        std::io::Error::other(format!("cannot watch the files: {error}")),
    )
}

fn run(
    mut watcher: Box<dyn Watcher + Send>,
    events: &Events,
    root: &Path,
    mut on_change: impl FnMut(&[PathBuf]),
) {
    while let Some(changed) = next_burst(events, root) {
        // A folder that was deleted and made again needs a new watch before the rebuild reads
        // it, so nothing written into it afterwards is missed.
        for folder in FOLDERS {
            if changed.contains(Path::new(folder)) {
                let _ = watcher.unwatch(&root.join(folder));
                watch_folder(watcher.as_mut(), root, folder);
            }
        }
        on_change(&changed.into_iter().collect::<Vec<_>>());
    }
}

/// Waits for a relevant change, then for the burst it starts to settle; `None` once the watcher
/// is gone.
fn next_burst(events: &Events, root: &Path) -> Option<BTreeSet<PathBuf>> {
    let mut changed = BTreeSet::new();
    while changed.is_empty() {
        collect(events.recv().ok()?, root, &mut changed);
    }
    let started = Instant::now();
    loop {
        let left = LONGEST.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Some(changed);
        }
        match events.recv_timeout(QUIET.min(left)) {
            Ok(event) => collect(event, root, &mut changed),
            Err(RecvTimeoutError::Timeout) => return Some(changed),
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

/// Adds the site files an event names to `changed`.
fn collect(event: notify::Result<notify::Event>, root: &Path, changed: &mut BTreeSet<PathBuf>) {
    match event {
        // Reading files is no change, and the rebuild reads every file.
        Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
        Ok(event) => changed.extend(event.paths.iter().filter_map(|p| relevant(root, p))),
        Err(e) => eprintln!("warning: file watching: {e}"),
    }
}

/// The path relative to the root, if it is one the site is made of.
fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str();
    let wanted = rel == Path::new(config::FILE_NAME)
        || FOLDERS.iter().any(|f| first == *f) && !is_ignored(rel);
    wanted.then(|| rel.to_path_buf())
}

fn watch_folder(watcher: &mut dyn Watcher, root: &Path, folder: &str) {
    let path = root.join(folder);
    // A link is not followed, not even to watch what it points to (`static -> /`): the build
    // reports it instead.
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
        return;
    }
    if let Err(e) = watcher.watch(&path, RecursiveMode::Recursive) {
        eprintln!("warning: cannot watch {}: {e}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_are_relevant() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, &root.join(p));
        assert_eq!(rel("site.toml"), Some(PathBuf::from("site.toml")));
        assert_eq!(rel("content"), Some(PathBuf::from("content")));
        assert!(rel("content/groups/auth.md").is_some());
        assert!(rel("themes/default/static/style.css").is_some());
        assert_eq!(rel("content/groups/.auth.md.swp"), None);
        assert_eq!(rel("content/groups/auth.md~"), None);
        assert_eq!(rel("public/index.html"), None);
        assert_eq!(rel(".public.staging/index.html"), None);
        assert_eq!(relevant(root, Path::new("/elsewhere/site.toml")), None);
    }
}

//! Write: put the rendered files on disk so that no one ever sees a half-written site.
//!
//! The new site is written to a temporary folder beside the output and swapped in by renames only
//! when every file is written. Files whose bytes did not change are hard-linked from the previous
//! output instead of written again: at scale, creating files is what costs.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use crate::Error;
use crate::render::{Output, Sink};

/// Refuses an output folder that would overwrite or swallow the sources.
pub fn check_output(root: &Path, output: &Path) -> Result<(), Error> {
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to write the site to {}: {why}",
            output.display()
        )))
    };
    if output == root {
        return refuse("it is the site root; choose a folder such as public/");
    }
    if fs::metadata(&output).is_ok_and(|m| !m.is_dir()) {
        return refuse("it exists and is not a folder");
    }
    if root.starts_with(&output) {
        return refuse("it contains the site's sources");
    }
    if output.join("content").exists() || output.join("site.toml").exists() {
        return refuse("it looks like a site folder (it has content/ or site.toml)");
    }
    for source in ["content", "themes", "templates", "static"] {
        if output.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if !is_empty_or_site(&output) {
        return refuse(
            "it holds files that are not a built site; remove them or choose another folder",
        );
    }
    Ok(())
}

/// Whether replacing `dir` loses nothing but a previous build: it is missing, empty, or a site.
fn is_empty_or_site(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none() || dir.join("index.html").is_file(),
        Err(_) => true,
    }
}

/// The path made absolute and cleaned of `.` and `..`, without touching the file system.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve symlinks where the folder exists, so two spellings of one folder compare equal.
    fs::canonicalize(&clean).unwrap_or(clean)
}

/// What `write` did, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub linked: usize,
}

/// Writes `files` as the new content of `output`, atomically replacing what was there.
pub fn write(output: &Path, files: &[Output]) -> Result<WriteStats, Error> {
    let staging = Staging::new(output)?;
    let chunk = files.len().div_ceil(IO_THREADS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().try_for_each(|f| staging.stage(f))))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })?;
    staging.finish()
}

/// The folder a build writes into, beside the output, swapped in by [`Staging::finish`]; dropped
/// unfinished (the build failed), it is removed and the output stays as it was.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    previous: PathBuf,
    written: AtomicUsize,
    linked: AtomicUsize,
    finished: bool,
}

impl Staging {
    pub fn new(output: &Path) -> Result<Staging, Error> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| io_error(&parent, e))?;
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
        remove_leftovers(&parent, &name, output);
        remove_if_exists(&dir).map_err(|e| io_error(&dir, e))?;
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            previous,
            written: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
            finished: false,
        })
    }

    /// Writes one file, or hard-links it from the previous output when its bytes are the same.
    pub fn stage(&self, file: &Output) -> Result<(), Error> {
        let target = self.dir.join(&file.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        let old = self.output.join(&file.path);
        if unchanged(&old, &file.bytes) && fs::hard_link(&old, &target).is_ok() {
            self.linked.fetch_add(1, Ordering::Relaxed);
        } else {
            fs::write(&target, &file.bytes).map_err(|e| io_error(&target, e))?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Swaps the staged site in for the output.
    pub fn finish(mut self) -> Result<WriteStats, Error> {
        let mut timings = crate::build::Timings::start();
        swap(&self.dir, &self.output, &self.previous).map_err(|e| io_error(&self.output, e))?;
        timings.lap("write: swap in and remove the previous output");
        self.finished = true;
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            linked: self.linked.load(Ordering::Relaxed),
        })
    }
}

impl Staging {
    /// Runs `produce` with a sink whose files are staged by a pool of I/O threads, so rendering
    /// never waits on the disk; the queue between them is bounded, so neither is memory.
    pub fn stage_from(
        &self,
        produce: impl FnOnce(&dyn Sink) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let (sender, receiver) = mpsc::sync_channel::<Output>(256);
        let receiver = Mutex::new(receiver);
        let failed: Mutex<Option<Error>> = Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..IO_THREADS {
                scope.spawn(|| {
                    loop {
                        let next = receiver
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .recv();
                        let Ok(file) = next else { break };
                        // After a failure the queue is still drained, so the producer never blocks.
                        if failed
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .is_some()
                        {
                            continue;
                        }
                        if let Err(e) = self.stage(&file) {
                            failed
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .get_or_insert(e);
                        }
                    }
                });
            }
            let produced = produce(&sender);
            drop(sender);
            produced
        })?;
        match failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl Sink for mpsc::SyncSender<Output> {
    fn put(&self, output: Output) -> Result<(), Error> {
        // The receivers live until the sender is dropped, so sending cannot fail.
        let _ = self.send(output);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn io_error(path: &Path, e: io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Puts `staging` in the place of `output`. Where the system can exchange two folders in one
/// step, the output is never missing, even if the process is killed; elsewhere the old output
/// moves aside first, and a later build puts it back if it was killed in between.
fn swap(staging: &Path, output: &Path, previous: &Path) -> io::Result<()> {
    if output.exists() && exchange(staging, output).is_ok() {
        // `staging` now holds the old output.
        return remove_tree(staging);
    }
    let had_output = output.exists();
    if had_output {
        remove_if_exists(previous)?;
        fs::rename(output, previous)?;
    }
    if let Err(e) = fs::rename(staging, output) {
        if had_output {
            let _ = fs::rename(previous, output);
        }
        let _ = fs::remove_dir_all(staging);
        return Err(e);
    }
    if had_output {
        remove_tree(previous)?;
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Removes the staging and set-aside folders that killed builds left beside the output (their
/// names end in the process id of the build that made them). A folder of a build still running
/// is left alone; an old output set aside by a build killed mid-swap is put back first.
fn remove_leftovers(parent: &Path, name: &str, output: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let staging_prefix = format!(".{name}.new-");
    let previous_prefix = format!(".{name}.old-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let (pid, is_previous) = if let Some(pid) = file_name.strip_prefix(&staging_prefix) {
            (pid, false)
        } else if let Some(pid) = file_name.strip_prefix(&previous_prefix) {
            (pid, true)
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || is_running(pid) {
            continue;
        }
        if is_previous && !output.exists() && fs::rename(entry.path(), output).is_ok() {
            continue;
        }
        let _ = fs::remove_dir_all(entry.path());
    }
}

#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn is_running(_: u32) -> bool {
    // Without a way to ask, assume it runs: a leftover folder is better than a broken build.
    true
}

/// Threads for file-system work. On a busy disk each create or unlink waits on the journal and
/// concurrent ones share the wait (deleting a 1,000-group output: 3.3 s alone, 0.6 s with 8), so
/// this is more than the number of cores.
const IO_THREADS: usize = 8;

fn unchanged(old: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(old) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(old).is_ok_and(|b| b == bytes)
        }
        _ => false,
    }
}

/// Removes a folder tree, its subfolders' entries shared out between `IO_THREADS` threads.
fn remove_tree(path: &Path) -> io::Result<()> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            entries.extend(fs::read_dir(entry.path())?.filter_map(|e| Some(e.ok()?.path())));
        }
    }
    let chunk = entries.len().div_ceil(IO_THREADS).max(1);
    std::thread::scope(|scope| {
        for part in entries.chunks(chunk) {
            // An entry that cannot go here makes the final removal below fail and say why.
            scope.spawn(move || part.iter().for_each(|p| drop(remove_entry(p))));
        }
    });
    fs::remove_dir_all(path)
}

fn remove_entry(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, text: &str) -> Output {
        Output {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_the_output_and_links_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let first = write(
            &output,
            &[
                out("a/index.html", "A"),
                out("b.txt", "B"),
                out("gone.txt", "x"),
            ],
        )
        .unwrap();
        assert_eq!(
            first,
            WriteStats {
                written: 3,
                linked: 0
            }
        );
        let second = write(&output, &[out("a/index.html", "A"), out("b.txt", "B2")]).unwrap();
        assert_eq!(
            second,
            WriteStats {
                written: 1,
                linked: 1
            }
        );
        assert_eq!(fs::read_to_string(output.join("b.txt")).unwrap(), "B2");
        assert!(!output.join("gone.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[cfg(unix)]
    #[test]
    fn removes_leftovers_of_dead_builds_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        for leftover in [format!(".public.new-{dead}"), ".public.new-1".to_string()] {
            fs::create_dir_all(dir.path().join(leftover).join("x")).unwrap();
        }
        fs::create_dir_all(dir.path().join(format!(".public.old-{dead}"))).unwrap();
        fs::write(dir.path().join(format!(".public.old-{dead}/kept")), "old").unwrap();

        write(&dir.path().join("other"), &[out("a", "A")]).unwrap();
        assert!(dir.path().join(format!(".public.new-{dead}")).exists());

        // The output was missing: the set-aside old output comes back before the new one swaps in.
        write(&dir.path().join("public"), &[out("a", "A")]).unwrap();
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".public.new-1", "other", "public"]);
        assert!(!dir.path().join("public/kept").exists());
    }

    #[test]
    fn many_files_in_many_folders_are_staged_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let files = |version: &str, count: usize| -> Vec<Output> {
            (0..count)
                .map(|i| {
                    out(
                        &format!("groups/g{i}/sub/index.html"),
                        &format!("{version}{}", i % 3),
                    )
                })
                .collect()
        };
        let first = write(&output, &files("a", 60)).unwrap();
        assert_eq!(first.written, 60);
        // Every third file changes; the last twenty groups go.
        let mut next = files("a", 40);
        for file in next.iter_mut().step_by(3) {
            file.bytes = b"changed".to_vec();
        }
        let second = write(&output, &next).unwrap();
        assert_eq!((second.written, second.linked), (14, 26));
        assert_eq!(
            fs::read_to_string(output.join("groups/g3/sub/index.html")).unwrap(),
            "changed"
        );
        assert_eq!(
            fs::read_to_string(output.join("groups/g4/sub/index.html")).unwrap(),
            "a1"
        );
        assert!(!output.join("groups/g40").exists());
        assert_eq!(fs::read_dir(output.join("groups")).unwrap().count(), 40);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "leftovers beside the output"
        );
    }

    #[test]
    fn refuses_outputs_that_hold_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output(&root, &root).is_err());
        assert!(check_output(&root, dir.path()).is_err());
        assert!(check_output(&root, &root.join("content/public")).is_err());
        assert!(check_output(&root, &root.join("public/..")).is_err());
        assert!(check_output(&root, &root.join("public")).is_ok());
        let documents = dir.path().join("documents");
        fs::create_dir_all(&documents).unwrap();
        assert!(check_output(&root, &documents).is_ok(), "an empty folder");
        fs::write(documents.join("thesis.odt"), "years of work").unwrap();
        assert!(
            check_output(&root, &documents).is_err(),
            "a folder of other files"
        );
        fs::write(documents.join("index.html"), "<p>an old build</p>").unwrap();
        assert!(check_output(&root, &documents).is_ok(), "a previous build");
        fs::write(root.join("a-file"), "keep me").unwrap();
        assert!(check_output(&root, &root.join("a-file")).is_err());
    }
}

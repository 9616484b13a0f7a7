//! Write: put the rendered files on disk so that no one ever sees a half-written site.
//!
//! The new site is written to a temporary folder beside the output and swapped in by renames only
//! when every file is written. At scale, creating and deleting files is what costs (on ext4, a
//! thousand new files take longer than rendering them), so a build creates as few as it can: the
//! output it replaces is kept beside the new one as the *spare* (`.public.previous`), and the next
//! build rewrites the spare into its staging folder, touching only the files whose bytes differ.
//! Files not in the spare but unchanged in the output are hard-linked from it. No file is ever
//! written in place (it may be a hard link into the output that is being served); a changed file
//! is a new file.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use crate::Error;
use crate::render::{Output, Sink};

/// Refuses an output folder that would overwrite or swallow the sources, or lose anything the
/// build did not write itself.
pub fn check_output(root: &Path, output: &Path) -> Result<(), Error> {
    if let Some(why) = in_the_way(output).or_else(|| foreign_spare(&spare_of(output))) {
        return Err(refusal(output, &why));
    }
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |why: &str| Err(refusal(&output, why));
    if output == root {
        return refuse("it is the site root; choose a folder such as public/");
    }
    if root.starts_with(&output) {
        return refuse("it contains the site's sources");
    }
    if output.join("content").exists() || output.join("site.toml").exists() {
        return refuse("it looks like a site folder (it has content/ or site.toml)");
    }
    for source in ["content", "themes", "templates", "static", "data"] {
        if output.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if output.components().any(|c| c.as_os_str() == ".git") {
        return refuse("it is inside a .git/ folder, where Git keeps a repository's history");
    }
    Ok(())
}

/// `path` with its `.` and `..` resolved as it reads, before anything looks at it:
/// `public/x/..` is `public` (and no `public/x` is made for it), `public/.` is `public`.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

fn refusal(output: &Path, why: &str) -> Error {
    Error::Usage(format!(
        "refusing to write the site to {}: {why}",
        output.display()
    ))
}

/// Why the build may not replace what stands at `output`, if anything does: only a folder the
/// build made itself (it holds the build's mark) or an empty one can go.
fn in_the_way(output: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(output).ok()?;
    if meta.file_type().is_symlink() {
        let target = fs::canonicalize(output).map_or_else(
            |_| "the folder it points to".to_string(),
            |t| t.display().to_string(),
        );
        return Some(format!(
            "it is a symbolic link, which the build would replace with a folder; pass {target} as --output instead"
        ));
    }
    if !meta.is_dir() {
        return Some("it exists and is not a folder".to_string());
    }
    (!is_ours(output)).then(|| {
        format!(
            "it holds files that groupdir did not write (a folder it writes has a {MARK_FILE} that says so), \
             and a build replaces the whole folder; delete the folder or move its files away, or choose another --output"
        )
    })
}

/// The path made absolute, with every link and `..` resolved as the system would resolve them
/// where the path exists, so that a path that reaches the sources through a link is seen to.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // The longest part that exists is resolved by the system; the rest, which does not exist
    // yet and so holds no link, is cleaned of `.` and `..` by hand.
    let components: Vec<Component<'_>> = joined.components().collect();
    let prefix = |n: usize| components[..n].iter().collect::<PathBuf>();
    let mut exists = components.len();
    while exists > 1 && fs::symlink_metadata(prefix(exists)).is_err() {
        exists -= 1;
    }
    let mut resolved = fs::canonicalize(prefix(exists)).unwrap_or_else(|_| prefix(exists));
    for component in &components[exists..] {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    resolved
}

/// What `write` did, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files created with new bytes.
    pub written: usize,
    /// Files left as they were in the spare, or hard-linked from the output.
    pub unchanged: usize,
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
/// unfinished (the build failed), the output stays as it was and the folder becomes the spare.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    previous: PathBuf,
    spare: PathBuf,
    /// Whether `dir` began as the spare, whose files must be checked, and the extra ones removed.
    recycled: bool,
    /// The paths staged so far, when `recycled`.
    staged: Mutex<HashSet<PathBuf>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    finished: bool,
}

impl Staging {
    pub fn new(output: &Path) -> Result<Staging, Error> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
        let spare = parent.join(format!(".{name}.previous"));
        if let Some(why) = in_the_way(output).or_else(|| foreign_spare(&spare)) {
            return Err(refusal(output, &why));
        }
        remove_leftovers(&parent, &name, output);
        if let Some(why) = in_the_way(&dir) {
            return Err(refusal(&dir, &why));
        }
        remove_if_exists(&dir).map_err(|e| Error::io(&dir, e))?;
        // Renaming claims the spare, so two builds at once never share it.
        let recycled = is_marked(&spare) && fs::rename(&spare, &dir).is_ok();
        if !recycled {
            fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let staging = Staging {
            output: output.to_path_buf(),
            dir,
            previous,
            spare,
            recycled,
            staged: Mutex::new(HashSet::new()),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            finished: false,
        };
        // First of all, so that whatever becomes of this folder, a later build knows it for its own.
        staging.stage(&Output {
            path: MARK_FILE.to_string(),
            bytes: MARK.as_bytes().to_vec(),
        })?;
        // The mark is not a file of the site: the counts are of the site's files.
        staging.written.store(0, Ordering::Relaxed);
        staging.unchanged.store(0, Ordering::Relaxed);
        Ok(staging)
    }

    /// Stages one file: left alone when the recycled spare has its bytes, hard-linked from the
    /// output when that has them, written otherwise.
    pub fn stage(&self, file: &Output) -> Result<(), Error> {
        let target = self.dir.join(&file.path);
        if self.recycled {
            self.staged
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(PathBuf::from(&file.path));
            // Only a file reached through real folders is the spare's own.
            clear_folders(&self.dir, &target).map_err(|e| Error::io(&target, e))?;
            if unchanged(&target, &file.bytes) {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            remove_path(&target).map_err(|e| Error::io(&target, e))?;
        }
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let old = self.output.join(&file.path);
        if unchanged(&old, &file.bytes) && fs::hard_link(&old, &target).is_ok() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            fs::write(&target, &file.bytes).map_err(|e| Error::io(&target, e))?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Swaps the staged site in for the output, and keeps the output it replaces as the spare.
    pub fn finish(mut self) -> Result<WriteStats, Error> {
        let mut timings = crate::timings::Timings::start();
        if self.recycled {
            let staged =
                std::mem::take(&mut *self.staged.lock().unwrap_or_else(PoisonError::into_inner));
            remove_unstaged(&self.dir, &staged).map_err(|e| Error::io(&self.dir, e))?;
            timings.lap("write: remove what the spare had beyond the new site");
        }
        let replaced = swap(&self.dir, &self.output, &self.previous)
            .map_err(|e| Error::io(&self.output, e))?;
        self.finished = true;
        if let Some(replaced) = replaced {
            keep_as_spare(&replaced, &self.spare);
        }
        timings.lap("write: swap in");
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
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
            keep_as_spare(&self.dir, &self.spare);
        }
    }
}

/// Puts `staging` in the place of `output`, and says where the output it replaced went. Where
/// the system can exchange two folders in one step, the output is never missing, even if the
/// process is killed; elsewhere the old output moves aside first, and a later build puts it back
/// if it was killed in between.
fn swap(staging: &Path, output: &Path, previous: &Path) -> io::Result<Option<PathBuf>> {
    if output.exists() && exchange(staging, output).is_ok() {
        return Ok(Some(staging.to_path_buf()));
    }
    let had_output = output.exists();
    if had_output {
        remove_if_exists(previous)?;
        fs::rename(output, previous)?;
    }
    if let Err(e) = fs::rename(staging, output) {
        // Another build of the same output may have swapped its site in since we looked.
        if !had_output && exchange(staging, output).is_ok() {
            return Ok(Some(staging.to_path_buf()));
        }
        if had_output {
            let _ = fs::rename(previous, output);
        }
        return Err(e);
    }
    Ok(had_output.then(|| previous.to_path_buf()))
}

/// The file every folder a build writes holds (the output, its staging folder, the spare), and
/// its text: the proof that the folder is the build's own, so that the build replaces or deletes
/// nothing else. A `.gitignore` that ignores everything, so version control leaves them alone too.
const MARK_FILE: &str = ".gitignore";
const MARK: &str = "# Written by `groupdir build`, which replaces this folder whole.\n*\n";

/// Whether `path` is a folder, not a link, that a build made: it holds the mark, byte for byte.
/// Nothing less will do: a `.gitignore` of `*` alone, which many hand-made folders have, is not
/// the mark (earlier versions marked their spares so, and such a spare is now refused, not emptied).
fn is_marked(path: &Path) -> bool {
    let mark = path.join(MARK_FILE);
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && fs::symlink_metadata(&mark).is_ok_and(|m| m.is_file() && m.len() == MARK.len() as u64)
        && fs::read(&mark).is_ok_and(|bytes| bytes == MARK.as_bytes())
}

/// Where the spare of `output` is kept: `.public.previous` beside `public`.
fn spare_of(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.previous"))
}

/// Why the folder at the spare's place may not be rewritten, if something stands there that a
/// build did not make: the build stops rather than empty it, or work around it each time.
fn foreign_spare(spare: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(spare).ok()?;
    let empty = meta.is_dir() && fs::read_dir(spare).is_ok_and(|mut e| e.next().is_none());
    (!is_marked(spare) && !empty).then(|| {
        format!(
            "{} is where a build keeps its spare copy of the output, but groupdir did not make it \
             (it has no {MARK_FILE} with the build's mark), so it may hold your files; move them \
             away and delete {0}, then build again",
            spare.display()
        )
    })
}

/// Whether replacing `path`, an existing folder, loses nothing the build did not write: it is
/// the build's own, or empty.
fn is_ours(path: &Path) -> bool {
    is_marked(path) || fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// Keeps `folder` as the spare for the next build to rewrite; removes it instead when the spare's
/// name is taken (another build made one meanwhile, or someone made a folder of that name, which
/// is left alone). The next build checks every byte of the spare before it keeps a file.
fn keep_as_spare(folder: &Path, spare: &Path) {
    if fs::rename(folder, spare).is_err() {
        let _ = remove_tree(folder);
    }
}

/// Removes whatever stands where `target`, a path in the recycled staging folder `staging`, needs
/// a folder: a file, or a symbolic link that would lead out of it (the spare may have any shape).
fn clear_folders(staging: &Path, target: &Path) -> io::Result<()> {
    let mut above: Vec<&Path> = target
        .ancestors()
        .skip(1)
        .take_while(|a| *a != staging)
        .collect();
    above.reverse();
    for folder in above {
        match fs::symlink_metadata(folder) {
            Ok(meta) if !meta.is_dir() => fs::remove_file(folder)?,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Removes the file, link or folder at `path`, if there is one.
fn remove_path(path: &Path) -> io::Result<()> {
    match remove_entry(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Removes from the recycled staging folder everything the new site does not have.
fn remove_unstaged(staging: &Path, staged: &HashSet<PathBuf>) -> io::Result<()> {
    let folders: HashSet<&Path> = staged
        .iter()
        .flat_map(|path| path.ancestors().skip(1))
        .collect();
    let mut walk = walkdir::WalkDir::new(staging).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(io::Error::other)?;
        let path = entry.path();
        let rel = path.strip_prefix(staging).unwrap_or(path);
        if entry.file_type().is_dir() {
            if !folders.contains(rel) {
                walk.skip_current_dir();
                fs::remove_dir_all(path)?;
            }
        } else if !staged.contains(rel) {
            fs::remove_file(path)?;
        }
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
        if pid == std::process::id() || is_running(pid) || !is_ours(&entry.path()) {
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

/// Whether the regular file `old` holds exactly `bytes`. It is compared a block at a time, so a
/// rebuild that checks every file of a large site allocates nothing for it.
fn unchanged(old: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let same_size = fs::symlink_metadata(old)
        .is_ok_and(|meta| meta.is_file() && meta.len() == bytes.len() as u64);
    let Some(mut file) = same_size.then(|| fs::File::open(old).ok()).flatten() else {
        return false;
    };
    let mut block = [0; 16 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut block) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if rest.get(..n) == Some(&block[..n]) => rest = &rest[n..],
            _ => return false,
        }
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

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    fn stats(written: usize, unchanged: usize) -> WriteStats {
        WriteStats { written, unchanged }
    }

    #[test]
    fn replaces_the_output_and_keeps_the_old_one_as_the_spare() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let files = [
            out("a/index.html", "A"),
            out("b.txt", "B"),
            out("gone.txt", "x"),
        ];
        assert_eq!(write(&output, &files).unwrap(), stats(3, 0));
        assert_eq!(names(dir.path()), ["public"], "a first build has no spare");

        let second = [out("a/index.html", "A"), out("b.txt", "B2")];
        assert_eq!(write(&output, &second).unwrap(), stats(1, 1));
        assert_eq!(fs::read_to_string(output.join("b.txt")).unwrap(), "B2");
        assert!(!output.join("gone.txt").exists());
        assert_eq!(names(dir.path()), [".public.previous", "public"]);
        let spare = dir.path().join(".public.previous");
        assert_eq!(fs::read_to_string(spare.join(MARK_FILE)).unwrap(), MARK);
        assert_eq!(fs::read_to_string(output.join(MARK_FILE)).unwrap(), MARK);
        assert!(
            spare.join("gone.txt").exists(),
            "the spare is the first build"
        );

        // The third build rewrites the spare: what it had beyond the new site goes, and the file
        // that changed in the second is linked from the output.
        assert_eq!(write(&output, &second).unwrap(), stats(0, 2));
        assert_eq!(names(&output), [MARK_FILE, "a", "b.txt"]);
        assert_eq!(fs::read_to_string(output.join("b.txt")).unwrap(), "B2");
        assert_eq!(write(&output, &second).unwrap(), stats(0, 2));
        assert_eq!(names(dir.path()), [".public.previous", "public"]);
    }

    /// The spare shares unchanged files with the output by hard links: a changed file must be
    /// a new file, or writing it would change the output being served, before the swap.
    #[test]
    fn a_changed_file_never_changes_a_file_it_was_linked_to() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write(&output, &[out("a.txt", "1")]).unwrap();
        write(&output, &[out("a.txt", "1")]).unwrap();
        let spare = dir.path().join(".public.previous");
        assert_eq!(fs::read_to_string(spare.join("a.txt")).unwrap(), "1");
        write(&output, &[out("a.txt", "3")]).unwrap();
        assert_eq!(fs::read_to_string(output.join("a.txt")).unwrap(), "3");
        assert_eq!(
            fs::read_to_string(spare.join("a.txt")).unwrap(),
            "1",
            "the replaced output kept its bytes"
        );
    }

    #[test]
    fn a_spare_of_any_shape_becomes_exactly_the_new_site() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let spare = dir.path().join(".public.previous");
        fs::create_dir_all(spare.join("page.html/deep")).unwrap();
        fs::write(spare.join(MARK_FILE), MARK).unwrap();
        fs::write(spare.join("groups"), "a file where a folder goes").unwrap();
        fs::create_dir_all(spare.join("stray/folder")).unwrap();
        fs::write(spare.join("stray/folder/x"), "x").unwrap();
        fs::write(spare.join("kept.txt"), "same").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", spare.join("link")).unwrap();
            // A link standing for a folder, to a folder outside that has the very bytes.
            let outside = dir.path().join("outside");
            fs::create_dir_all(outside.join("b")).unwrap();
            fs::write(outside.join("b/index.html"), "H").unwrap();
            std::os::unix::fs::symlink(&outside, spare.join("linked")).unwrap();
        }
        let files = [
            out("page.html", "P"),
            out("groups/a/index.html", "G"),
            out("kept.txt", "same"),
            out("linked/b/index.html", "H"),
        ];
        assert_eq!(write(&output, &files).unwrap(), stats(3, 1));
        let mut found: Vec<String> = walkdir::WalkDir::new(&output)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(&output)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                MARK_FILE,
                "groups/a/index.html",
                "kept.txt",
                "linked/b/index.html",
                "page.html"
            ]
        );
        assert!(
            fs::symlink_metadata(output.join("linked"))
                .unwrap()
                .is_dir()
        );
        assert_eq!(fs::read_to_string(output.join("page.html")).unwrap(), "P");
    }

    #[test]
    fn a_folder_named_like_the_spare_but_not_made_by_a_build_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write(&output, &[out("a.txt", "1")]).unwrap();
        let foreign = dir.path().join(".public.previous");
        fs::remove_dir_all(&foreign).ok();
        // A `.gitignore` of `*` alone is a common one, not the build's mark.
        for gitignore in [None, Some("*\n"), Some(&MARK[..MARK.len() - 1])] {
            fs::create_dir_all(foreign.join("t")).unwrap();
            fs::write(foreign.join("t/ch1.tex"), "mine").unwrap();
            if let Some(text) = gitignore {
                fs::write(foreign.join(MARK_FILE), text).unwrap();
            }
            let refused = write(&output, &[out("a.txt", "2")])
                .unwrap_err()
                .to_string();
            assert!(refused.contains(".public.previous"), "{refused}");
            assert!(check_output(dir.path(), &output).is_err());
            assert_eq!(
                fs::read_to_string(foreign.join("t/ch1.tex")).unwrap(),
                "mine"
            );
            assert_eq!(fs::read_to_string(output.join("a.txt")).unwrap(), "1");
        }
        fs::remove_dir_all(&foreign).unwrap();
        fs::create_dir_all(&foreign).unwrap();
        write(&output, &[out("a.txt", "2")]).unwrap();
        assert_eq!(fs::read_to_string(output.join("a.txt")).unwrap(), "2");
        assert!(
            is_marked(&foreign),
            "an empty folder there may become the spare"
        );
    }

    #[test]
    fn a_failed_build_leaves_the_output_and_keeps_its_staging_as_the_spare() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write(&output, &[out("a.txt", "1")]).unwrap();
        let staging = Staging::new(&output).unwrap();
        staging.stage(&out("a.txt", "2")).unwrap();
        drop(staging);
        assert_eq!(fs::read_to_string(output.join("a.txt")).unwrap(), "1");
        assert_eq!(names(dir.path()), [".public.previous", "public"]);
        assert_eq!(write(&output, &[out("a.txt", "2")]).unwrap(), stats(0, 1));
        assert_eq!(fs::read_to_string(output.join("a.txt")).unwrap(), "2");
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
        for leftover in [format!(".public.old-{dead}"), format!(".public.new-{dead}")] {
            fs::write(dir.path().join(leftover).join(MARK_FILE), MARK).unwrap();
        }
        // A folder of that name that a build did not make is someone else's.
        fs::create_dir_all(dir.path().join(format!(".public.new-{}", dead + 1))).unwrap();
        fs::write(
            dir.path().join(format!(".public.new-{}/mine", dead + 1)),
            "x",
        )
        .unwrap();

        write(&dir.path().join("other"), &[out("a", "A")]).unwrap();
        assert!(dir.path().join(format!(".public.new-{dead}")).exists());

        // The output was missing: the set-aside old output comes back before the new one swaps in.
        write(&dir.path().join("public"), &[out("a", "A")]).unwrap();
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let foreign = format!(".public.new-{}", dead + 1);
        let mut expected = vec![
            ".public.new-1",
            &foreign,
            ".public.previous",
            "other",
            "public",
        ];
        expected.sort();
        assert_eq!(names, expected);
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
        assert_eq!(second, stats(14, 26));
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
        assert!(is_marked(&output));
        assert_eq!(names(dir.path()), [".public.previous", "public"]);
    }

    #[test]
    fn output_paths_are_read_as_they_read() {
        for (path, expected) in [
            ("public/x/..", "public"),
            ("public/.", "public"),
            ("./public", "public"),
            ("a/../../b", "../b"),
            ("/../x", "/x"),
            ("x/..", "."),
            ("../../x/./y/", "../../x/y"),
        ] {
            assert_eq!(lexical(Path::new(path)), Path::new(expected), "{path}");
        }
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
        fs::write(
            documents.join("index.html"),
            "<p>a site, but not one a build made</p>",
        )
        .unwrap();
        assert!(
            check_output(&root, &documents).is_err(),
            "a site of someone else's"
        );
        let built = dir.path().join("built");
        write(&built, &[out("index.html", "x")]).unwrap();
        assert!(check_output(&root, &built).is_ok(), "a previous build");
        assert!(check_output(&root, &root.join(".git/public")).is_err());
        assert!(check_output(&root, &dir.path().join(".git")).is_err());
        fs::write(root.join("a-file"), "keep me").unwrap();
        assert!(check_output(&root, &root.join("a-file")).is_err());
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&built, &link).unwrap();
            assert!(check_output(&root, &link).is_err(), "a link to a build");
            std::os::unix::fs::symlink(&root, dir.path().join("to-site")).unwrap();
            let through = dir.path().join("to-site/content/out");
            assert!(
                check_output(&root, &through).is_err(),
                "content/ through a link"
            );
        }
    }
}

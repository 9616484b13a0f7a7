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
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

mod disk;
mod output;
mod spare;

use crate::Error;
use crate::render::{Output, Sink};
use disk::{IO_THREADS, exchange, remove_if_exists, remove_path, unchanged};
pub use output::{check_output, lexical};
use output::{in_the_way, refusal};
use spare::{
    MARK, MARK_FILE, clear_folders, foreign_spare, is_marked, keep_as_spare, remove_leftovers,
    remove_unstaged,
};

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
}

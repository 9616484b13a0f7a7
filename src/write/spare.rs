//! The folders a build owns: the mark that proves it, the spare kept for the next build to
//! rewrite, and what killed builds left behind.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::disk::remove_tree;
use crate::load::is_running;

/// The file every folder a build writes holds (the output, its staging folder, the spare), and
/// its text: the proof that the folder is the build's own, so that the build replaces or deletes
/// nothing else. A `.gitignore` that ignores everything, so version control leaves them alone too.
pub(super) const MARK_FILE: &str = ".gitignore";
pub(super) const MARK: &str =
    "# Written by `groupdir build`, which replaces this folder whole.\n*\n";

/// Whether `path` is a folder, not a link, that a build made: it holds the mark, byte for byte.
/// Nothing less will do: a `.gitignore` of `*` alone, which many hand-made folders have, is not
/// the mark (earlier versions marked their spares so, and such a spare is now refused, not emptied).
pub(super) fn is_marked(path: &Path) -> bool {
    let mark = path.join(MARK_FILE);
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && fs::symlink_metadata(&mark).is_ok_and(|m| m.is_file() && m.len() == MARK.len() as u64)
        && fs::read(&mark).is_ok_and(|bytes| bytes == MARK.as_bytes())
}

/// Where the spare of `output` is kept: `.public.previous` beside `public`.
pub(super) fn spare_of(output: &Path) -> PathBuf {
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
pub(super) fn foreign_spare(spare: &Path) -> Option<String> {
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
pub(super) fn is_ours(path: &Path) -> bool {
    is_marked(path) || fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// Keeps `folder` as the spare for the next build to rewrite; removes it instead when the spare's
/// name is taken (another build made one meanwhile, or someone made a folder of that name, which
/// is left alone). The next build checks every byte of the spare before it keeps a file.
pub(super) fn keep_as_spare(folder: &Path, spare: &Path) {
    if fs::rename(folder, spare).is_err() {
        let _ = remove_tree(folder);
    }
}

/// Removes whatever stands where `target`, a path in the recycled staging folder `staging`, needs
/// a folder: a file, or a symbolic link that would lead out of it (the spare may have any shape).
pub(super) fn clear_folders(staging: &Path, target: &Path) -> io::Result<()> {
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

/// Removes from the recycled staging folder everything the new site does not have.
pub(super) fn remove_unstaged(staging: &Path, staged: &HashSet<PathBuf>) -> io::Result<()> {
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

/// Removes the staging and set-aside folders that killed builds left beside the output (their
/// names end in the process id of the build that made them). A folder of a build still running
/// is left alone; an old output set aside by a build killed mid-swap is put back first.
pub(super) fn remove_leftovers(parent: &Path, name: &str, output: &Path) {
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

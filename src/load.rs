//! Load content: find the site's files and read them, without interpreting them yet.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::iter::{IntoParallelIterator, ParallelIterator};
use walkdir::WalkDir;

use crate::Error;
use crate::diagnostic::{Diagnostic, Position, Source};
use crate::paths::{self, FileKind};

/// A content file read into memory.
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub kind: FileKind,
    /// The file stem, which becomes the slug once validated.
    pub stem: String,
    pub source: Source,
}

/// Everything found under `content/`: the readable files, and what could not be used.
#[derive(Debug, Default)]
pub struct Content {
    pub files: Vec<ContentFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The path to show the user for `path` inside `root`: `content/x.md` when the root is `.`.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(rel) if root == Path::new(".") || root.as_os_str().is_empty() => rel.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

/// The largest text file groupdir reads (content, `site.toml`, templates): a thousand times the
/// longest page of the bundled site. Parsing Markdown takes up to about a hundred bytes of memory
/// per byte of a hostile body (ten megabytes of `<` took a gigabyte), so the bound is the file's.
pub const MAX_TEXT_BYTES: u64 = 1 << 20;

/// A symbolic link where the build reads: never followed, whether it points inside the site or
/// out of it, so a pull request cannot publish the build machine's files (`static -> /etc`).
pub fn link_error(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        Position::START,
        "this is a symbolic link, and groupdir does not follow links",
    )
    .with_hint("put the file or folder itself here, or remove the link")
}

/// Whether `path` is a symbolic link (not what it points to).
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Walks the folder `dir`, in name order, without following links and without going into
/// hidden or editor files; a link is reported by [`link_error`], never entered.
pub fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    let base = dir.to_path_buf();
    WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| !is_ignored(e.path().strip_prefix(&base).unwrap_or(e.path())))
}

/// Reads the text file at `path` (`shown` to the user): the file, or a diagnostic when it is not a
/// regular file (a link, a named pipe, a device), is larger than [`MAX_TEXT_BYTES`], or is not
/// UTF-8 text.
pub fn read_text(path: &Path, shown: PathBuf) -> Result<Result<Source, Diagnostic>, Error> {
    let bytes = match read_regular(path, &shown, Some(MAX_TEXT_BYTES))? {
        Ok(bytes) => bytes,
        Err(diagnostic) => return Ok(Err(diagnostic)),
    };
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Ok(Source {
            path: shown,
            text: text.into(),
        }),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            Err(Diagnostic::error(
                &shown,
                Position::at(&prefix, valid),
                "the file is not valid UTF-8 text",
            )
            .with_hint("save the file with UTF-8 encoding"))
        }
    })
}

/// Replaces the data file `root/rel` with `text` if its bytes change, atomically: a new file
/// beside it (`.<name>.<pid>.tmp`), synced to disk, renamed over it. Returns whether it wrote.
/// With `nothing` to hold and no file there, it writes none.
pub fn replace_if_changed(
    root: &Path,
    rel: &str,
    text: &str,
    nothing: bool,
) -> Result<bool, Error> {
    use std::io::Write as _;
    let path = root.join(rel);
    let io = |e: io::Error| Error::io(display_path(root, &path), e);
    match fs::read(&path) {
        Ok(old) if old == text.as_bytes() => return Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound && nothing => return Ok(false),
        _ => {}
    }
    let dir = path.parent().expect("a data file is inside a folder");
    fs::create_dir_all(dir).map_err(io)?;
    let name = path
        .file_name()
        .expect("a data file has a name")
        .to_string_lossy();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = fs::File::create(&temp).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&temp, &path)) {
        let _ = fs::remove_file(&temp);
        return Err(io(e));
    }
    Ok(true)
}

/// Reads an optional text file under `root` (`site.toml`, the data file) as [`read_text`] does:
/// `None` when nothing is at `path`.
pub fn read_optional_text(
    root: &Path,
    path: &Path,
) -> Result<Option<Result<Source, Diagnostic>>, Error> {
    if std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(None);
    }
    read_text(path, display_path(root, path)).map(Some)
}

/// Reads a regular file, refusing anything else without blocking on it: the file is opened
/// without following a link and without waiting for a writer (a named pipe), then checked.
pub fn read_regular(
    path: &Path,
    shown: &Path,
    limit: Option<u64>,
) -> Result<Result<Vec<u8>, Diagnostic>, Error> {
    use std::io::Read;
    let io = |e: std::io::Error| Error::io(shown, e);
    if is_link(path) {
        return Ok(Err(link_error(shown)));
    }
    let file = match open_no_follow(path) {
        Ok(file) => file,
        // A link put in the file's place since the look above.
        Err(_) if is_link(path) => return Ok(Err(link_error(shown))),
        Err(e) => return Err(io(e)),
    };
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Ok(Err(Diagnostic::error(
            shown,
            Position::START,
            "this is not a regular file (a named pipe or a device?), so it is not read",
        )
        .with_hint("replace it with a plain file")));
    }
    if let Some(limit) = limit.filter(|limit| meta.len() > *limit) {
        return Ok(Err(too_large(shown, meta.len(), limit)));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never past the limit.
    let cap = limit.map_or(u64::MAX, |l| l + 1);
    file.take(cap).read_to_end(&mut bytes).map_err(io)?;
    if let Some(limit) = limit.filter(|limit| bytes.len() as u64 > *limit) {
        return Ok(Err(too_large(shown, bytes.len() as u64, limit)));
    }
    Ok(Ok(bytes))
}

fn too_large(shown: &Path, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::error(
        shown,
        Position::START,
        format!(
            "the file is {} KiB; groupdir reads text files of up to {} KiB",
            size.div_ceil(1024),
            limit / 1024
        ),
    )
    .with_hint("split the text into several pages, or shorten it")
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Reads every Markdown file under `root/content`, sorted by path so output is deterministic.
pub fn content(root: &Path) -> Result<Content, Error> {
    let dir = root.join(paths::CONTENT);
    if is_link(&dir) {
        return Err(Error::Content(vec![link_error(&display_path(root, &dir))]));
    }
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "no content folder at {}: run groupdir in a site folder, or pass --root DIR",
            dir.display()
        )));
    }
    let mut content = Content::default();
    let mut found = Vec::new();
    for entry in walk(&dir) {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
            Error::io(path, e.into())
        })?;
        let path = entry.path();
        let shown = display_path(root, path);
        let rel = path.strip_prefix(&dir).unwrap_or(path);
        if entry.path_is_symlink() {
            content.diagnostics.push(link_error(&shown));
            continue;
        }
        if entry.file_type().is_dir() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        if !entry.file_type().is_file() {
            // A named pipe or device would block or never end when read.
            content.diagnostics.push(
                Diagnostic::warning(&shown, Position::START, "not a regular file; it is skipped")
                    .with_hint("content files are plain text files"),
            );
            continue;
        }
        let name = rel.to_string_lossy();
        if name.contains(char::is_control) {
            // Shown escaped: control characters in a terminal or CI log could rewrite the output.
            let escaped = display_path(root, &dir).join(name.escape_debug().to_string());
            content.diagnostics.push(
                Diagnostic::error(
                    &escaped,
                    Position::START,
                    "the file name has control characters",
                )
                .with_hint("rename the file using lowercase letters a-z, digits and hyphens"),
            );
            continue;
        }
        let kind = match paths::kind_in_content(rel) {
            Some(kind) => kind,
            None => {
                content.diagnostics.push(
                    Diagnostic::warning(
                        &shown,
                        Position::START,
                        "this file is not used: groups go in content/groups/, pages in content/",
                    )
                    .with_hint("move the file, or remove it"),
                );
                continue;
            }
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        found.push((kind, stem, path.to_path_buf(), shown));
    }
    // Reading is independent per file: in parallel, keeping the path order.
    let read: Vec<_> = found
        .into_par_iter()
        .map(|(kind, stem, path, shown)| read(kind, stem, &path, shown))
        .collect();
    for file in read {
        match file? {
            Ok(file) => content.files.push(file),
            Err(diagnostic) => content.diagnostics.push(diagnostic),
        }
    }
    Ok(content)
}

/// Reads one content file: the file, or a diagnostic saying why it cannot be used.
fn read(
    kind: FileKind,
    stem: String,
    path: &Path,
    shown: PathBuf,
) -> Result<Result<ContentFile, Diagnostic>, Error> {
    Ok(read_text(path, shown)?.map(|source| ContentFile { kind, stem, source }))
}

/// Editors' temporary and hidden files, which are never content.
pub fn is_ignored(rel: &Path) -> bool {
    rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.')
            || name.starts_with('#')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".tmp")
    })
}

/// Whether the process `pid` still runs, for files named after the process that made them (a
/// build's staging folder, a sync's temporary file): only a dead one's may be cleaned away.
#[cfg(unix)]
pub fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
pub fn is_running(_: u32) -> bool {
    // Without a way to ask, assume it runs: a leftover folder is better than a broken build.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".x.md.swp",
            "groups/.#a.md",
            "a.md~",
            "#a.md#",
            "groups/4913.tmp",
        ] {
            assert!(is_ignored(Path::new(name)), "{name}");
        }
        assert!(!is_ignored(Path::new("groups/a.md")));
    }
}

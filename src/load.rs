//! Load content: find the site's files and read them, without interpreting them yet.

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

/// Reads every Markdown file under `root/content`, sorted by path so output is deterministic.
pub fn content(root: &Path) -> Result<Content, Error> {
    let dir = root.join(paths::CONTENT);
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "no content folder at {}: run groupdir in a site folder, or pass --root DIR",
            dir.display()
        )));
    }
    let mut content = Content::default();
    let mut found = Vec::new();
    let walker = WalkDir::new(&dir).follow_links(false).sort_by_file_name();
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
            Error::io(path, e.into())
        })?;
        let path = entry.path();
        let shown = display_path(root, path);
        let rel = path.strip_prefix(&dir).unwrap_or(path);
        if is_ignored(rel) || entry.file_type().is_dir() {
            continue;
        }
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        if entry.path_is_symlink() {
            content.diagnostics.push(
                Diagnostic::warning(
                    &shown,
                    Position::START,
                    "symbolic links are not followed; this file is skipped",
                )
                .with_hint("put the file itself in content/"),
            );
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

/// Reads one content file: the file, or a diagnostic when it is not UTF-8 text.
fn read(
    kind: FileKind,
    stem: String,
    path: &Path,
    shown: PathBuf,
) -> Result<Result<ContentFile, Diagnostic>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(&shown, e))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Ok(ContentFile {
            kind,
            stem,
            source: Source {
                path: shown,
                text: text.into(),
            },
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

//! Which output folders a build may write: never one that holds or swallows the sources, nor
//! one that holds anything the build did not write itself.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::spare::{MARK_FILE, foreign_spare, is_ours, spare_of};
use crate::Error;

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

pub(super) fn refusal(output: &Path, why: &str) -> Error {
    Error::Usage(format!(
        "refusing to write the site to {}: {why}",
        output.display()
    ))
}

/// Why the build may not replace what stands at `output`, if anything does: only a folder the
/// build made itself (it holds the build's mark) or an empty one can go.
pub(super) fn in_the_way(output: &Path) -> Option<String> {
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
pub(super) fn absolute(path: &Path) -> PathBuf {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let index = crate::render::Output {
            path: "index.html".to_string(),
            bytes: b"x".to_vec(),
        };
        super::super::write(&built, &[index]).unwrap();
        assert!(check_output(&root, &built).is_ok(), "a previous build");
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

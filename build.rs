//! Records the commit groupdir is built from, for `groupdir --version`: `GROUPDIR_COMMIT` is the
//! short hash and date of `HEAD`, with "+ local changes" when the files compiled into the binary
//! differ from it, or says the commit is unknown when the sources are not a git checkout (a
//! crates.io package, a copied folder, a machine without git).

use std::path::Path;
use std::process::Command;

/// The files whose changes make a build differ from its commit (those `include_*!` reads too).
const SOURCES: [&str; 5] = ["src", "themes", "Cargo.toml", "Cargo.lock", "build.rs"];

fn main() {
    for path in SOURCES {
        println!("cargo:rerun-if-changed={path}");
    }
    let commit = commit().unwrap_or_else(|| "commit unknown: not built from a git checkout".into());
    println!("cargo:rustc-env=GROUPDIR_COMMIT={commit}");
}

fn commit() -> Option<String> {
    // Only this repository's own checkout counts, not one that merely contains the folder.
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    if Path::new(&top).canonicalize().ok()? != Path::new(&manifest_dir).canonicalize().ok()? {
        return None;
    }
    // A new commit or a checkout moves HEAD or the branch it names (loose or packed).
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watched.extend(git(&["symbolic-ref", "--quiet", "HEAD"]));
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let hash_and_date = git(&["log", "-1", "--format=%h %cs", "--abbrev=12"])?;
    // `--no-optional-locks`: a plain `git status` may rewrite the index, which would look like a
    // change to the next build.
    let changes = git(&[
        "--no-optional-locks",
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
    ]
    .into_iter()
    .chain(SOURCES)
    .collect::<Vec<_>>())?;
    Some(if changes.is_empty() {
        hash_and_date
    } else {
        format!("{hash_and_date} + local changes")
    })
}

/// The trimmed output of a successful `git` run, or `None` (no git, not a checkout, an error).
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    output.status.success().then(|| text.trim().to_string())
}

//! Shared helpers for the end-to-end tests: fixture sites copied to fresh temporary folders, the
//! real `groupdir` binary run on them, and the files it writes read back.
//!
//! Each `tests/*.rs` file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The day the fixtures are written against: every verdict in them is relative to it.
pub const TODAY: &str = "2026-11-25";

/// The repository root, where `themes/` and `tests/fixtures/` live.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder: `tests/fixtures/<name>`.
pub fn fixture_dir(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// A fresh temporary folder, removed when dropped (even when a test panics).
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("groupdir-test-")
        .tempdir()
        .expect("create a temporary folder")
}

/// `groupdir build --root <root> --output <output>` followed by `args`.
pub fn build_into(root: &Path, output: &Path, args: &[&str]) -> Run {
    Groupdir::new(&["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(args)
        .run()
}

/// The repository's own site built on `TODAY` into `public` in a fresh temporary folder, which
/// lives as long as the returned handle; `args` follow `--now TODAY`.
pub fn build_repo(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = temp_dir();
    let out = tmp.path().join("public");
    let now = ["--now", TODAY];
    build_into(repo(), &out, &[&now[..], args].concat()).expect_success();
    (tmp, out)
}

/// A site copied into a fresh temporary folder, removed when dropped (even when a test panics).
pub struct Site {
    /// Holds the folder alive; `root` is inside it so outputs can sit beside the site.
    tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    /// Copies `tests/fixtures/<name>` to `<tmp>/site`. Fixtures carry no theme: the repository's
    /// `themes/` is copied in too, unless the fixture has its own, so they always test the real one.
    pub fn from_fixture(name: &str) -> Site {
        Site::from_dir(&fixture_dir(name))
    }

    pub fn from_dir(dir: &Path) -> Site {
        Site::with(|root| copy_tree(dir, root))
    }

    /// Only the `content/` folder of the site at `dir`, with the repository's themes: for sites,
    /// such as the repository itself, that hold much more than the site.
    pub fn from_content(dir: &Path) -> Site {
        Site::with(|root| copy_tree(&dir.join("content"), &root.join("content")))
    }

    fn with(fill: impl FnOnce(&Path)) -> Site {
        let tmp = temp_dir();
        let root = tmp.path().join("site");
        fill(&root);
        if !root.join("themes").exists() {
            copy_tree(&repo().join("themes"), &root.join("themes"));
        }
        Site { tmp, root }
    }

    /// The temporary folder that holds the site, for outputs beside it.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// A path inside the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("create folder");
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    pub fn remove(&self, rel: &str) {
        let path = self.path(rel);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    /// Runs `groupdir` with the site as the current folder, so paths print as `content/…`.
    pub fn run(&self, args: &[&str]) -> Run {
        Groupdir::new(args).current_dir(&self.root).run()
    }

    /// `groupdir build --root . --now TODAY` into `<site>/public`.
    pub fn build(&self) -> Run {
        self.run(&["build", "--root", ".", "--now", TODAY])
    }
}

/// One invocation of the real binary, with a clean environment for what groupdir reads.
pub struct Groupdir {
    command: Command,
}

impl Groupdir {
    pub fn new(args: &[&str]) -> Groupdir {
        let mut command = Command::new(env!("CARGO_BIN_EXE_groupdir"));
        command
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1");
        // `sync` reads these: each test sets what it needs, and never reaches a real network.
        for name in [
            "GITHUB_TOKEN",
            "GH_TOKEN",
            "GITHUB_GRAPHQL_URL",
            "GROUPDIR_SYNC_BACKOFF_MS",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            command.env_remove(name);
        }
        Groupdir { command }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Groupdir {
        self.command.arg(arg);
        self
    }

    pub fn args(mut self, args: &[&str]) -> Groupdir {
        self.command.args(args);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Groupdir {
        self.command.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Groupdir {
        self.command.env(key, value);
        self
    }

    pub fn run(mut self) -> Run {
        Run::of(&mut self.command)
    }
}

/// What a run printed and how it ended.
pub struct Run {
    what: String,
    pub output: Output,
}

impl Run {
    /// Runs any command to its end: groupdir, or a tool the tests check its output with.
    pub fn of(command: &mut Command) -> Run {
        let what = format!("{command:?}");
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("run {what}: {e}"));
        Run { what, output }
    }

    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Panics, showing everything printed, unless the exit status is `code`.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            Some(code),
            "{} exited with {}, expected {code}\n{}",
            self.what,
            self.output.status,
            self.transcript()
        );
        self
    }

    pub fn expect_success(&self) -> &Run {
        self.expect_code(0)
    }

    pub fn transcript(&self) -> String {
        format!(
            "--- stdout ---\n{}--- stderr ---\n{}",
            self.stdout(),
            self.stderr()
        )
    }
}

/// Copies a folder recursively (regular files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    let entries = fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.expect("read a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// Every file under `dir` by its `/`-separated relative path, with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("read a folder entry").path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path.strip_prefix(base).expect("inside base");
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            files.insert(rel, bytes);
        }
    }
}

/// A text file under `dir`, or a panic naming it.
pub fn read(dir: &Path, rel: &str) -> String {
    let path = dir.join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// HTML reduced to its text: tags dropped, entities for quotes and ampersands decoded, every run
/// of whitespace one space. For assertions that should survive a redesign of the markup.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `/`-separated paths of the `.html` files under `dir`, sorted.
pub fn html_pages(dir: &Path) -> Vec<String> {
    read_tree(dir)
        .into_keys()
        .filter(|path| path.ends_with(".html"))
        .collect()
}

/// The names of the entries of a folder, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------
// The test tools: pinned in tools/package-lock.json and tools/requirements.txt, installed into
// tools/ by `bash tools/install.sh` (which .ci/run runs). A test that needs one fails, never skips.

const INSTALL_TOOLS: &str = "run `bash tools/install.sh` (it names any system package to install)";

/// `tools/node_modules`, for `NODE_PATH` (playwright-core, axe-core), with `node` on the PATH.
pub fn node_modules() -> PathBuf {
    let modules = repo().join("tools/node_modules");
    assert!(
        modules.join("playwright-core").is_dir(),
        "no playwright-core in {}: {INSTALL_TOOLS}",
        modules.display()
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "no `node` on the PATH: {INSTALL_TOOLS}"
    );
    modules
}

/// The Python of `tools/.venv`, with icalendar, python-dateutil, PyYAML and the rest.
pub fn python() -> PathBuf {
    let python = repo().join("tools/.venv/bin/python");
    assert!(python.is_file(), "no {}: {INSTALL_TOOLS}", python.display());
    python
}

/// Debian's Chromium, or the one `$CHROMIUM` names.
pub fn chromium() -> PathBuf {
    let chromium =
        PathBuf::from(std::env::var_os("CHROMIUM").unwrap_or("/usr/bin/chromium".into()));
    assert!(
        chromium.is_file(),
        "no Chromium at {}: {INSTALL_TOOLS}",
        chromium.display()
    );
    chromium
}

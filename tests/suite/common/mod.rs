//! The one harness of the end-to-end tests: fixture or empty sites in fresh temporary folders,
//! the real `groupdir` binary run on them through one builder ([`Groupdir`], and [`Build`] for
//! `groupdir build`) that always clears what groupdir reads from the environment and kills a run
//! that hangs, and the files it writes read back. [`html`] checks what browsers would run.
#![allow(dead_code)]

pub mod html;

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

pub use html::{elements, html_files, live_script, live_script_in_page};

/// No run of a hostile input may take longer than this: a hang is a failure, not a stuck test run.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// The limit of every other run: far above any build of the test sites, even on a loaded machine.
pub const RUN_LIMIT: Duration = Duration::from_secs(300);

/// The day the hostile-input tests call "today": the same day as every other test.
pub const NOW: &str = TODAY;

/// The address a build is given when it must write every file (the feed and the sitemap need
/// absolute URLs).
pub const BASE_URL: &str = "https://groups.example.org/";

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

/// The repository's own site built on `TODAY` into `public` in a fresh temporary folder, which
/// lives as long as the returned handle; `args` follow `--now TODAY`.
pub fn build_repo(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = temp_dir();
    let out = tmp.path().join("public");
    Build::of(repo())
        .output(&out)
        .args(args)
        .run()
        .expect_success();
    (tmp, out)
}

/// A site copied into a fresh temporary folder, removed when dropped (even when a test panics).
pub struct Site {
    /// Holds the folder alive; `root` is inside it so outputs can sit beside the site.
    tmp: tempfile::TempDir,
    pub root: PathBuf,
    /// How long a run in the site may take.
    limit: Duration,
}

impl Site {
    /// Copies `tests/fixtures/<name>` to `<tmp>/site`. Fixtures carry no theme: the repository's
    /// `themes/` is copied in too, unless the fixture has its own, so they always test the real one.
    pub fn from_fixture(name: &str) -> Site {
        Site::from_dir(&fixture_dir(name))
    }

    /// A site with the repository's themes and an empty `content/groups/`, for hostile input:
    /// each run in it is killed after [`TIME_LIMIT`].
    pub fn new() -> Site {
        let site = Site::with(|root| {
            fs::create_dir_all(root.join("content/groups")).expect("content folder")
        });
        Site {
            limit: TIME_LIMIT,
            ..site
        }
    }

    /// [`Site::from_fixture`], with the time limit of hostile input.
    pub fn fixture(name: &str) -> Site {
        Site {
            limit: TIME_LIMIT,
            ..Site::from_fixture(name)
        }
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
        Site {
            tmp,
            root,
            limit: RUN_LIMIT,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder that holds the site, for outputs beside it.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// A path inside the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("create folder");
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// A text file inside the site.
    pub fn read(&self, rel: &str) -> String {
        read(&self.root, rel)
    }

    pub fn remove(&self, rel: &str) {
        let path = self.path(rel);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    /// Runs `groupdir` with the site as the current folder, so paths print as `content/…`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args).run()
    }

    /// `groupdir` with `args` in the site, to add to before it runs.
    pub fn command(&self, args: &[&str]) -> Groupdir {
        Groupdir::new(args)
            .current_dir(&self.root)
            .limit(self.limit)
    }

    /// `groupdir build --root . --now TODAY` into `<site>/public`, with the site as the current
    /// folder; the builder changes the day, the address, the output and the rest.
    pub fn build(&self) -> Build {
        Build {
            command: self.command(&["build", "--root", "."]),
            now: Some(TODAY.to_string()),
            base_url: None,
            output: None,
        }
    }
}

/// `groupdir build`, as every test runs it: on `TODAY` unless told otherwise.
pub struct Build {
    command: Groupdir,
    now: Option<String>,
    base_url: Option<String>,
    output: Option<OsString>,
}

impl Build {
    /// A build of the site at `root` (`--root <root>`), from the test's own current folder.
    pub fn of(root: &Path) -> Build {
        Build {
            command: Groupdir::new(&["build", "--root"]).arg(root),
            now: Some(TODAY.to_string()),
            base_url: None,
            output: None,
        }
    }

    /// A build of the site in `dir` (`--root .`), with `dir` as the current folder.
    pub fn in_dir(dir: &Path) -> Build {
        Build {
            command: Groupdir::new(&["build", "--root", "."]).current_dir(dir),
            now: Some(TODAY.to_string()),
            base_url: None,
            output: None,
        }
    }

    /// The day to build for, `--now`.
    pub fn now(mut self, day: &str) -> Build {
        self.now = Some(day.to_string());
        self
    }

    /// No `--now`: the day comes from `SOURCE_DATE_EPOCH` or the clock.
    pub fn clock(mut self) -> Build {
        self.now = None;
        self
    }

    pub fn base_url(mut self, url: &str) -> Build {
        self.base_url = Some(url.to_string());
        self
    }

    pub fn output(mut self, dir: impl AsRef<OsStr>) -> Build {
        self.output = Some(dir.as_ref().to_os_string());
        self
    }

    /// Arguments the builder has no method for.
    pub fn args(mut self, args: &[&str]) -> Build {
        self.command = self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Build {
        self.command = self.command.env(key, value);
        self
    }

    pub fn limit(mut self, limit: Duration) -> Build {
        self.command = self.command.limit(limit);
        self
    }

    pub fn run(self) -> Run {
        let mut command = self.command;
        if let Some(now) = &self.now {
            command = command.args(&["--now", now]);
        }
        if let Some(url) = &self.base_url {
            command = command.args(&["--base-url", url]);
        }
        if let Some(output) = &self.output {
            command = command.arg("--output").arg(output);
        }
        command.run()
    }
}

/// One invocation of the real binary, with a clean environment for what groupdir reads.
pub struct Groupdir {
    command: Command,
    limit: Duration,
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
        Groupdir {
            command,
            limit: RUN_LIMIT,
        }
    }

    /// Kills the run, and fails the test, if it takes longer than `limit`.
    pub fn limit(mut self, limit: Duration) -> Groupdir {
        self.limit = limit;
        self
    }

    /// The command itself, for a test that starts a server or a build and stops it itself.
    pub fn command(self) -> Command {
        self.command
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
        Run::within(&mut self.command, self.limit)
    }
}

/// Runs `groupdir` with `args` in `dir`, killing it if it runs past [`TIME_LIMIT`].
pub fn groupdir(dir: &Path, args: &[&str]) -> Run {
    groupdir_within(dir, args, TIME_LIMIT)
}

/// Runs `groupdir` with `args` in `dir`, killing it if it runs past `limit`.
pub fn groupdir_within(dir: &Path, args: &[&str], limit: Duration) -> Run {
    Groupdir::new(args).current_dir(dir).limit(limit).run()
}

/// What a run printed and how it ended.
pub struct Run {
    what: String,
    pub output: Output,
    /// `None` when a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Runs any command to its end: groupdir, or a tool the tests check its output with.
    pub fn of(command: &mut Command) -> Run {
        Run::within(command, RUN_LIMIT)
    }

    /// Runs a command, killing it and failing the test if it runs past `limit`.
    pub fn within(command: &mut Command, limit: Duration) -> Run {
        let what = format!("{command:?}");
        let started = Instant::now();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {what}: {e}"));
        // Drain both pipes on threads so a chatty child cannot block on a full pipe.
        let drain = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = pipe.read_to_end(&mut bytes);
                bytes
            })
        };
        let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
        let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
        let status: ExitStatus = loop {
            if let Some(status) = child.try_wait().expect("wait for the run") {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what} hung: killed after {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let output = Output {
            status,
            stdout: stdout.join().expect("stdout reader"),
            stderr: stderr.join().expect("stderr reader"),
        };
        Run {
            what,
            code: status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            elapsed: started.elapsed(),
            output,
        }
    }

    /// Asserts the run ended by itself with `code`, without a panic, and returns its stderr.
    pub fn expect(&self, code: i32) -> &str {
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        assert_eq!(self.code, Some(code), "stderr: {}", self.stderr);
        &self.stderr
    }

    pub fn code(&self) -> Option<i32> {
        self.code
    }

    pub fn stdout(&self) -> String {
        self.stdout.clone()
    }

    pub fn stderr(&self) -> String {
        self.stderr.clone()
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

/// The group `slug` of a `groups.json` (or `stale --format json`) document.
pub fn group_in<'a>(json: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    json["groups"]
        .as_array()
        .expect("a groups array")
        .iter()
        .find(|g| g["slug"] == slug)
        .unwrap_or_else(|| panic!("groups.json has no group {slug:?}"))
}

/// A valid interest group's file, with `extra` front-matter lines from line 10 and `body`.
pub fn group(title: &str, extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = {title:?}\nkind = \"interest-group\"\nstatus = \"active\"\n\
         summary = \"A group.\"\nlast_activity = 2026-11-01\nfacilitators = [{{ name = \"Ada\" }}]\n\
         first_topic = \"Things.\"\ndiscord = \"#things-ig\"\n{extra}+++\n{body}"
    )
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

/// Runs a Node script of `tests/support/` with the browser tools: Chromium's path in `CHROMIUM`
/// and the Node modules on `NODE_PATH`.
pub fn node_script(script: &str, args: &[&OsStr]) -> Run {
    Run::of(
        Command::new("node")
            .arg(repo().join("tests/support").join(script))
            .args(args)
            .env("CHROMIUM", chromium())
            .env("NODE_PATH", node_modules()),
    )
}

#[test]
fn every_run_has_a_clean_environment_and_goes_through_the_harness() {
    let command = Groupdir::new(&["check"]).command();
    let removed: Vec<String> = command
        .get_envs()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name.to_string_lossy().into_owned())
        .collect();
    for name in [
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "SOURCE_DATE_EPOCH",
    ] {
        assert!(removed.iter().any(|r| r == name), "{name} is not cleared");
    }
    // No test starts the binary by itself: each goes through `Groupdir` (or `Build`) above.
    let suite = repo().join("tests/suite");
    for entry in fs::read_dir(&suite).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains(concat!("CARGO_BIN_", "EXE_groupdir")),
                "{} starts groupdir without the harness",
                path.display()
            );
        }
    }
}

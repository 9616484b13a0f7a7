//! Faults: a build killed while it writes leaves the previous output whole, the next build cleans
//! up after it, and an `--output` that would swallow the sources is refused before anything goes.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{NOW, Run, Site, group};

const GROUPS: usize = 3_000;

/// Building thousands of groups with an unoptimised binary on a busy machine takes a while.
const BIG_LIMIT: Duration = Duration::from_secs(120);

fn build_big(site: &Site, output: &str) -> Run {
    site.build().output(output).limit(BIG_LIMIT).run()
}

/// Every file under `dir` by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Writes `count` groups whose text depends on `edition`, so each edition renders new bytes.
fn write_groups(site: &Site, count: usize, edition: usize) {
    for i in 0..count {
        let body = format!("Body of group {i}, edition {edition}.\n\n## Scope\n\nSome *text*.\n");
        site.write(
            &format!("content/groups/g{i:04}.md"),
            group(&format!("Group {i}"), "", &body),
        );
    }
}

/// Starts `groupdir build` in `site`; what it prints goes to `log` (a file, not a pipe, which
/// the many warnings of a large site could fill while nobody reads it).
fn start_build(site: &Site, log: &Path) -> Child {
    site.command(&["build", "--now", NOW])
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(log).expect("create the log"))
        .spawn()
        .expect("start groupdir")
}

/// Waits until the build `child` has created its staging folder; false if it finished first.
fn wait_for_staging(site: &Site, child: &mut Child) -> bool {
    let staging = site.root().join(format!(".public.new-{}", child.id()));
    let started = Instant::now();
    while started.elapsed() < BIG_LIMIT {
        if staging.exists() {
            return true;
        }
        if child.try_wait().expect("poll").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    panic!("the build made no staging folder in {BIG_LIMIT:?}");
}

/// Names beside the output that belong to unfinished builds: `.public.new-…` and
/// `.public.old-…`, but not the spare (`.public.previous`) that every build leaves for the next.
fn leftovers(site: &Site) -> Vec<String> {
    fs::read_dir(site.root())
        .expect("read site")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.") && n != ".public.previous")
        .collect()
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_previous_output_whole() {
    let site = Site::new();
    write_groups(&site, GROUPS, 1);
    build_big(&site, "public").expect(0);
    let first = snapshot(&site.root().join("public"));
    assert!(first.len() > GROUPS, "{} files", first.len());
    assert!(first.contains_key(Path::new("groups/g2999/index.html")));

    write_groups(&site, GROUPS, 2);
    build_big(&site, "reference").expect(0);
    let second = snapshot(&site.root().join("reference"));
    assert_ne!(first, second);

    let mut killed_mid_write = 0;
    for delay_ms in [0, 10, 100, 400, 1500, 4000] {
        let mut child = start_build(&site, &site.root().join("build.log"));
        let staged = wait_for_staging(&site, &mut child);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().expect("poll").is_some();
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("reap");
        if staged && !finished && status.code().is_none() {
            killed_mid_write += 1;
        }
        let now = snapshot(&site.root().join("public"));
        assert!(
            now == first || now == second,
            "after a kill {delay_ms} ms into writing, public/ is neither the old site nor the \
             new one ({} files)",
            now.len()
        );
        println!(
            "kill {delay_ms} ms after staging began: {status}, leftovers {:?}",
            leftovers(&site)
        );
    }
    assert!(
        killed_mid_write >= 3,
        "only {killed_mid_write} kills landed mid-write"
    );

    build_big(&site, "public").expect(0);
    assert_eq!(snapshot(&site.root().join("public")), second);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn two_builds_of_one_output_at_once_both_succeed() {
    let site = Site::new();
    write_groups(&site, 300, 1);
    build_big(&site, "reference").expect(0);
    let expected = snapshot(&site.root().join("reference"));
    let logs = [site.root().join("a.log"), site.root().join("b.log")];
    let mut builds = [start_build(&site, &logs[0]), start_build(&site, &logs[1])];
    for (child, log) in builds.iter_mut().zip(&logs) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("poll") {
                break status;
            }
            assert!(started.elapsed() < BIG_LIMIT, "a concurrent build hung");
            std::thread::sleep(Duration::from_millis(10));
        };
        let printed = fs::read_to_string(log).unwrap_or_default();
        assert!(
            status.success(),
            "{status}: {}",
            printed.lines().last().unwrap_or("")
        );
    }
    assert_eq!(snapshot(&site.root().join("public")), expected);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn outputs_that_would_swallow_the_sources_are_refused() {
    let site = Site::new();
    site.write("content/groups/alpha.md", group("Alpha", "", "Body.\n"));
    site.write("site.toml", "");
    let before = snapshot(site.root());
    let name = site
        .root()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let parent_spelling = format!("../{name}");
    for output in [
        ".",
        "./",
        parent_spelling.as_str(),
        "..",
        "/",
        "content",
        "content/public",
        "content/groups",
        "themes/default/static",
        "public/..",
    ] {
        let run = site.build().output(output).run();
        let stderr = run.expect(2);
        assert!(
            stderr.contains("refusing to write the site to"),
            "{output}: {stderr}"
        );
        assert_eq!(
            snapshot(site.root()),
            before,
            "--output {output} changed the site"
        );
    }

    // A folder elsewhere that holds a site of its own is refused too.
    let other = Site::new();
    other.write("content/groups/beta.md", group("Beta", "", ""));
    let other_before = snapshot(other.root());
    let target = other.root().to_string_lossy().into_owned();
    let run = site.build().output(&target).run();
    run.expect(2);
    assert_eq!(snapshot(other.root()), other_before);
}

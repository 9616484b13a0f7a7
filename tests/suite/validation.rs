//! Validation end to end: one small site per content error under `tests/fixtures/errors/<case>/`,
//! each with an `expected.txt` listing the lines `groupdir` must print on stderr, verbatim.
//!
//! Each case runs with the site as the current folder and `--root .`, so paths print as
//! `content/groups/x.md`. To add a case, make a folder with the site and its `expected.txt`; its
//! lines must appear in order, and every `error:` line printed must be one of them.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Site, TODAY, entries, fixture_dir};

fn cases() -> Vec<PathBuf> {
    let dir = fixture_dir("errors");
    let cases: Vec<PathBuf> = entries(&dir).iter().map(|name| dir.join(name)).collect();
    assert!(cases.len() >= 20, "only {} error cases", cases.len());
    cases
}

fn expected_lines(case: &Path) -> Vec<String> {
    let path = case.join("expected.txt");
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} needs an expected.txt: {e}", case.display()));
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert!(!lines.is_empty(), "{} is empty", path.display());
    lines
}

/// Checks that `expected` appear in `stderr` in order, each as a whole line, and that every error
/// printed is expected. Returns what is wrong, if anything.
fn mismatch(expected: &[String], stderr: &str) -> Option<String> {
    let printed: Vec<&str> = stderr.lines().collect();
    let mut next = 0;
    for line in expected {
        match printed[next..].iter().position(|p| p == line) {
            Some(i) => next += i + 1,
            None => return Some(format!("missing, or out of order: {line:?}")),
        }
    }
    printed
        .iter()
        .find(|p| p.contains(": error: ") && !expected.iter().any(|e| e == *p))
        .map(|p| format!("unexpected: {p:?}"))
}

fn check_case(case: &Path, args: &[&str]) -> Vec<String> {
    let name = case.file_name().unwrap().to_string_lossy();
    let site = Site::from_dir(case);
    let run = site.run(args);
    let mut failures = Vec::new();
    if run.code() != Some(1) {
        failures.push(format!(
            "{name}: `{}` exited with {:?}",
            args[0],
            run.code()
        ));
    }
    if let Some(problem) = mismatch(&expected_lines(case), &run.stderr()) {
        failures.push(format!(
            "{name}: `{}`: {problem}\n{}",
            args[0],
            run.stderr()
        ));
    }
    if site.path("public").exists() {
        failures.push(format!("{name}: `{}` wrote public/", args[0]));
    }
    failures
}

/// Runs every case through `args`, then reports every failing case at once.
fn run_all(args: &[&str]) {
    let failures: Vec<String> = cases()
        .iter()
        .flat_map(|case| check_case(case, args))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn check_reports_each_error_with_its_position_and_hint() {
    run_all(&["check", "--root", ".", "--now", TODAY]);
}

#[test]
fn build_reports_the_same_errors_and_writes_nothing() {
    run_all(&["build", "--root", ".", "--now", TODAY]);
}

#[test]
fn several_errors_in_several_files_are_reported_in_one_run_in_file_order() {
    let case = fixture_dir("errors/multiple-errors");
    let run = Site::from_dir(&case).run(&["check", "--root", ".", "--now", TODAY]);
    run.expect_code(1);
    let stderr = run.stderr();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    let files: Vec<&str> = errors
        .iter()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "errors are not in file order:\n{stderr}");
    sorted.dedup();
    assert!(sorted.len() >= 4, "errors from only {sorted:?}");
    let count = format!("{} errors, 0 warnings", errors.len());
    assert!(
        stderr.lines().last().is_some_and(|l| l.starts_with(&count)),
        "the last line should count {} errors:\n{stderr}",
        errors.len()
    );
}

#[test]
fn every_error_has_a_hint() {
    for case in cases() {
        let lines = expected_lines(&case);
        for (i, line) in lines.iter().enumerate() {
            if line.contains(": error: ") {
                let hint = lines.get(i + 1).is_some_and(|l| l.starts_with("  hint: "));
                assert!(hint, "{}: no hint after {line:?}", case.display());
            }
        }
    }
}

#[test]
fn positions_are_counted_in_the_whole_file() {
    // The error in `kind-typo` is on the file's third line, the front matter's second.
    let case = fixture_dir("errors/kind-typo");
    let text = fs::read_to_string(case.join("content/groups/example.md")).unwrap();
    let line = text.lines().position(|l| l.starts_with("kind = ")).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().find('"').unwrap() + 1;
    let expected = format!("content/groups/example.md:{line}:{column}: error:");
    assert_eq!((line, column), (3, 8));
    let run = Site::from_dir(&case).run(&["check", "--root", "."]);
    assert!(run.stderr().contains(&expected), "{}", run.stderr());
}

#[test]
fn the_root_as_given_prefixes_every_path() {
    // With `--root DIR` run from elsewhere, paths print under DIR, still with line and column.
    let site = Site::from_fixture("errors/kind-typo");
    let root = site.root.to_str().unwrap();
    let run = common::Groupdir::new(&["check", "--root", root, "--now", TODAY]).run();
    run.expect_code(1);
    let expected = format!(
        "{}:3:8: error: `kind` cannot be `working_group`",
        site.path("content/groups/example.md").display()
    );
    assert!(
        run.stderr().lines().any(|l| l == expected),
        "{}",
        run.stderr()
    );
}

/// One GitHub account with two names across the group files is a warning at the later name that
/// names the earlier one's place; `check` still succeeds.
#[test]
fn one_github_account_with_two_names_is_a_warning_naming_both_places() {
    let site = Site::from_fixture("valid");
    let path = "content/groups/stale-wg.md";
    let text = fs::read_to_string(site.path(path)).unwrap();
    let text = text.replace(
        "facilitators = [{ name = \"Ivy Stale\" }]",
        "facilitators = [{ name = \"Ada Fresh (AF)\", github = \"Ada-Fresh\" }]",
    );
    site.write(path, &text);
    let run = site.run(&["check", "--root", ".", "--now", TODAY]);
    run.expect_success();
    let line = text
        .lines()
        .position(|l| l.contains("Ada Fresh (AF)"))
        .unwrap()
        + 1;
    let expected = format!(
        "content/groups/stale-wg.md:{line}:26: warning: the GitHub account `Ada-Fresh` is named `Ada Fresh (AF)` here and `Ada Fresh` at content/groups/fresh-ig.md:9:26"
    );
    assert!(
        run.stderr().lines().any(|l| l == expected),
        "no {expected:?} in:\n{}",
        run.stderr()
    );
}

#[test]
fn people_see_the_offending_line_with_a_caret_and_machines_do_not() {
    // As rustc and ruff do: the line the error is on, and a caret under its column.
    let site = Site::from_fixture("errors/kind-typo");
    let run = site.run(&["check", "--root", ".", "--now", TODAY]);
    run.expect_code(1);
    let snippet = "  |\n3 | kind = \"working_group\"\n  |        ^\n  hint:";
    assert!(run.stderr().contains(snippet), "{}", run.stderr());
    let build = site.run(&["build", "--root", ".", "--now", TODAY]);
    assert!(build.stderr().contains(snippet), "{}", build.stderr());
    // Annotations and JSON carry the position, not the picture.
    for format in ["github", "json"] {
        let run = site.run(&["check", "--root", ".", "--now", TODAY, "--format", format]);
        let all = format!("{}{}", run.stdout(), run.stderr());
        assert!(!all.contains("3 | kind"), "{format}: {all}");
    }
}

/// A `[menu]` label for a page that does not exist would label nothing: a warning at its place
/// in site.toml naming the pages there are, with the likely one first; `check` still succeeds.
#[test]
fn a_menu_label_for_no_page_is_a_warning_naming_the_pages() {
    let site = Site::from_fixture("valid");
    let settings = fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        format!("{settings}\n[menu]\nfaq = \"FAQ\"\njoinng = \"Join\"\n\"old-page\" = \"Old\"\n"),
    );
    let run = site.run(&["check", "--root", ".", "--now", TODAY]);
    run.expect_success();
    let stderr = run.stderr();
    let line = settings.lines().count() + 4;
    for expected in [
        format!(
            "site.toml:{line}:10: warning: `[menu]` labels a page `joinng` that does not exist"
        ),
        "  hint: did you mean `joining`? the pages are `faq`, `joining`".to_string(),
        format!(
            "site.toml:{}:14: warning: `[menu]` labels a page `old-page` that does not exist",
            line + 1
        ),
        "  hint: name a page by its file name in content/, without `.md`: the pages are `faq`, `joining`".to_string(),
    ] {
        assert!(
            stderr.lines().any(|l| l == expected),
            "no {expected:?} in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("`faq` that"), "{stderr}");
    // The build warns the same, and still labels the page that exists.
    let build = site.run(&["build", "--root", ".", "--now", TODAY]);
    build.expect_success();
    assert!(
        build.stderr().contains("labels a page `joinng`"),
        "{}",
        build.stderr()
    );
}

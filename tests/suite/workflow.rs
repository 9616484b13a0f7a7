//! The contributor and moderator workflow, through the real binary: `new` scaffolds a proposal
//! that `check` rejects until it is filled in; `check` reports in three formats; `stale` tells
//! moderators which groups have gone quiet; the published JSON Schemas match what groupdir reads
//! and writes; the GitHub workflows are valid YAML that run these commands.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{Build, Groupdir, Run, TODAY, copy_tree, fixture_dir, repo};

/// `TODAY` at midnight UTC, so `new` and `check` agree on "today".
const TODAY_EPOCH: &str = "1795564800";

/// Runs `groupdir` in `dir` with `SOURCE_DATE_EPOCH` at `TODAY`.
fn assert_status(out: &Run, code: i32, what: &str) {
    assert_eq!(out.code(), Some(code), "{what}\n{}", out.transcript());
}

fn add_theme(site: &Path) {
    let themes = repo().join("themes/default");
    copy_tree(&themes, &site.join("themes/default"));
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

// ---------------------------------------------------------------------------------------------
// new

/// The lines of a scaffold that hold a placeholder outside a comment.
fn placeholder_lines(text: &str) -> BTreeSet<u64> {
    text.lines()
        .zip(1..)
        .filter(|(line, _)| line.contains("FILL IN") && !line.trim_start().starts_with('#'))
        .map(|(_, n)| n)
        .collect()
}

/// What a contributor would write in place of each `"FILL IN…"` string and body line.
fn fill_in(text: &str) -> String {
    let mut filled = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || !line.contains("FILL IN") {
            filled.push(line.to_string());
            continue;
        }
        if !line.contains("\"FILL IN") {
            filled.push("The group's scope, goals and how to take part.".to_string());
            continue;
        }
        let mut out = String::new();
        let mut rest = line;
        while let Some(start) = rest.find("\"FILL IN") {
            let key = rest[..start].trim_end().trim_end_matches('=').trim_end();
            let key = key.rsplit([' ', '{', ',']).next().unwrap_or_default();
            let end = start + 1 + rest[start + 1..].find('"').expect("closed string");
            let value = match key {
                "github" => "octocat",
                "link" => "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1",
                "name" => "Zoë Contributor",
                _ => "Filled in by the contributor.",
            };
            out.push_str(&rest[..start]);
            out.push_str(&format!("\"{value}\""));
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        filled.push(out);
    }
    filled.join("\n") + "\n"
}

fn new_group_fails_check_until_filled(kind: &str, title: &str, slug: &str) {
    let site = tempfile::tempdir().expect("temp dir");
    let root = site.path().to_str().expect("UTF-8 temp path");
    let out = Groupdir::new(&["new", kind, title, "--root", root])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "groupdir new");
    let path = site.path().join(format!("content/groups/{slug}.md"));
    let said = out.stdout();
    for step in [
        path.display().to_string(),
        "FILL IN".to_string(),
        format!("groupdir check --root {root}"),
        format!("groupdir serve --root {root}"),
    ] {
        assert!(said.contains(&step), "next steps lack {step:?}:\n{said}");
    }
    let text = fs::read_to_string(&path).expect("the scaffold was written");
    assert!(text.contains(&format!("kind = \"{kind}\"")), "{text}");
    assert!(text.contains("status = \"proposed\""), "{text}");
    let title_line = format!("title = {}", toml::Value::String(title.to_string()));
    assert!(text.contains(&title_line), "no `{title_line}` in:\n{text}");

    let out = Groupdir::new(&["check", "--root", root, "--format", "json"])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 1, "check of an unfilled scaffold");
    let diagnostics = json(&out.stdout());
    // One placeholder, one message: never a second error about the same value.
    let errors: Vec<u64> = diagnostics
        .as_array()
        .expect("an array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["line"].as_u64().expect("a line number"))
        .collect();
    let placeholders = text
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| line.matches("FILL IN").count())
        .sum::<usize>();
    let expected = placeholder_lines(&text);
    assert!(expected.len() >= 5, "too few placeholders: {expected:?}");
    assert_eq!(
        errors.len(),
        placeholders,
        "one error per FILL IN: {diagnostics:#}"
    );
    assert_eq!(
        errors.iter().copied().collect::<BTreeSet<u64>>(),
        expected,
        "errors are not at the placeholder lines"
    );

    fs::write(&path, fill_in(&text)).expect("fill in");
    let out = Groupdir::new(&["check", "--root", root])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "check of a filled-in scaffold");
    assert!(
        out.stderr().contains("no problems found"),
        "{}",
        out.stderr()
    );
}

#[test]
fn a_new_interest_group_fails_check_until_filled_in() {
    new_group_fails_check_until_filled("interest-group", "Café Élan & Co.", "cafe-elan-co");
}

#[test]
fn a_new_working_group_fails_check_until_filled_in() {
    new_group_fails_check_until_filled("working-group", "Straße \"Über\" WG", "strasse-uber-wg");
}

#[test]
fn new_never_overwrites_a_group() {
    let site = tempfile::tempdir().expect("temp dir");
    let out = Groupdir::new(&["new", "interest-group", "Security"])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "first new");
    let path = site.path().join("content/groups/security.md");
    fs::write(&path, "edited by hand\n").expect("edit");
    // Another title with the same file name is the same group.
    for title in ["Security", "  SECURITY!  "] {
        let out = Groupdir::new(&["new", "working-group", title])
            .current_dir(site.path())
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .run();
        assert_status(&out, 1, "new over an existing group");
        assert!(
            out.stderr()
                .contains("content/groups/security.md already exists"),
            "{}",
            out.stderr()
        );
        assert!(out.stdout().is_empty(), "{}", out.stdout());
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), "edited by hand\n");
}

#[test]
fn new_refuses_a_title_without_letters_or_digits() {
    let site = tempfile::tempdir().expect("temp dir");
    for title in ["日本語", "  ", "!!!"] {
        let out = Groupdir::new(&["new", "interest-group", title])
            .current_dir(site.path())
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .run();
        assert_status(&out, 2, "new with a title that gives no slug");
        assert!(
            out.stderr().contains("gives no file name"),
            "{}",
            out.stderr()
        );
    }
    assert!(!site.path().join("content").exists(), "nothing is written");
    let out = Groupdir::new(&["new", "team", "Security"])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 2, "new with an unknown kind");
}

// ---------------------------------------------------------------------------------------------
// check

const CHECK_ERRORS: [&str; 4] = [
    "content/groups/alpha.md:5:1: error: unknown key `sumary`",
    "content/groups/beta.md:3:8: error: `kind` cannot be `working_group`",
    "content/groups/beta.md:6:17: error: `last_activity` is 2027-01-01, which is after today (2026-11-25)",
    "content/groups/delta.md:9:12: error: there is no group `alpah`",
];

const CHECK_WARNINGS: [&str; 3] = [
    "content/groups/delta.md:6:11: warning: the group is still proposed, but its 72-hour vote ended on 2026-01-08",
    "content/groups/gamma.md:7:11: warning: the Discord channel `#gamma-ig` ends in `-ig`, like IG channels, but this is a working group",
    "content/groups/gamma.md:11:21: warning: the working group lists no `deliverables`",
];

fn check_fixture(format: &str) -> Run {
    let root = fixture_dir("workflow-check");
    let out = Groupdir::new(&["check", "--now", TODAY, "--format", format])
        .current_dir(&root)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 1, "check of a site with errors");
    out
}

#[test]
fn check_human_lists_every_error_and_warning_in_reading_order() {
    let out = check_fixture("human");
    assert!(out.stdout().is_empty(), "human reports go to stderr");
    let text = out.stderr();
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("content/")).collect();
    for expected in CHECK_ERRORS.iter().chain(&CHECK_WARNINGS) {
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "missing {expected:?} in:\n{text}"
        );
    }
    assert_eq!(
        lines.len(),
        CHECK_ERRORS.len() + CHECK_WARNINGS.len(),
        "{text}"
    );
    let mut sorted = lines.clone();
    sorted.sort_by_key(|l| {
        let mut parts = l.splitn(4, ':');
        let path = parts.next().unwrap_or_default().to_string();
        let line: u32 = parts
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_default();
        let column: u32 = parts
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_default();
        (path, line, column)
    });
    assert_eq!(lines, sorted, "diagnostics are not in reading order");
    assert!(text.contains("hint: did you mean `summary`?"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("4 errors, 3 warnings: fix the errors and run `groupdir check` again"),
        "{text}"
    );
}

#[test]
fn check_github_prints_one_annotation_per_diagnostic() {
    let out = check_fixture("github");
    let text = out.stdout();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        CHECK_ERRORS.len() + CHECK_WARNINGS.len(),
        "{text}"
    );
    assert!(
        lines.contains(&"::error file=content/groups/beta.md,line=3,col=8::`kind` cannot be `working_group` (hint: did you mean `working-group`?)"),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::warning file=content/groups/gamma.md,line=7,col=11::the Discord channel `#gamma-ig`"
        )),
        "{text}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error ")).count(),
        CHECK_ERRORS.len()
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::warning ")).count(),
        CHECK_WARNINGS.len()
    );
    for line in lines {
        let (head, message) = line[2..]
            .split_once("::")
            .expect("`::level props::message`");
        let (_, props) = head.split_once(' ').expect("level and properties");
        let keys: Vec<&str> = props
            .split(',')
            .map(|p| p.split('=').next().unwrap())
            .collect();
        assert_eq!(keys, ["file", "line", "col"], "{line}");
        assert!(!message.is_empty() && !message.contains('\n'), "{line}");
    }
}

#[test]
fn check_json_prints_an_array_of_diagnostics() {
    let out = check_fixture("json");
    let diagnostics = json(&out.stdout());
    let diagnostics = diagnostics.as_array().expect("an array");
    assert_eq!(diagnostics.len(), CHECK_ERRORS.len() + CHECK_WARNINGS.len());
    let alpah = diagnostics
        .iter()
        .find(|d| d["message"] == "there is no group `alpah`")
        .expect("the unknown related group");
    assert_eq!(alpah["severity"], "error");
    assert_eq!(alpah["path"], "content/groups/delta.md");
    assert_eq!(
        (alpah["line"].as_u64(), alpah["column"].as_u64()),
        (Some(9), Some(12))
    );
    assert_eq!(alpah["hint"], "did you mean `alpha`?");
    let warnings = diagnostics
        .iter()
        .filter(|d| d["severity"] == "warning")
        .count();
    assert_eq!(warnings, CHECK_WARNINGS.len());
}

/// The check fixture without its broken files: valid, with warnings.
fn site_with_only_warnings() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    let groups = site.path().join("content/groups");
    fs::create_dir_all(&groups).unwrap();
    let from = fixture_dir("workflow-check/content/groups");
    for name in ["delta.md", "epsilon.md", "gamma.md", "zeta.md"] {
        let text = fs::read_to_string(from.join(name)).unwrap();
        let text = text
            .replace("related = [\"alpah\"]", "related = [\"epsilon\"]")
            .replace("related = [\"alpha\", \"delta\"]", "related = [\"delta\"]");
        fs::write(groups.join(name), text).unwrap();
    }
    add_theme(site.path());
    site
}

#[test]
fn warnings_alone_pass_check_and_show_in_build() {
    let site = site_with_only_warnings();
    let out = Groupdir::new(&["check", "--now", TODAY])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "check with warnings only");
    assert!(
        out.stderr().contains("no errors, 3 warnings"),
        "{}",
        out.stderr()
    );

    let output = site.path().join("public");
    let out = Build::in_dir(site.path())
        .output(&output)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "build with warnings");
    assert!(
        out.stderr().contains(
            "content/groups/gamma.md:11:21: warning: the working group lists no `deliverables`"
        ),
        "{}",
        out.stderr()
    );
}

// ---------------------------------------------------------------------------------------------
// stale

/// The fixture's stale and at-risk groups on 2026-11-25, most overdue first.
const WATCHED: [(&str, &str); 5] = [
    ("wg-long-quiet", "STALE    Long Quiet (WG)"),
    ("ig-quiet", "STALE    Quiet Interest (IG)"),
    ("wg-day-31", "STALE    Day Thirty-One (WG)"),
    ("wg-day-30", "AT RISK  Day Thirty (WG)"),
    ("wg-at-risk", "AT RISK  At Risk (WG)"),
];

fn stale(args: &[&str]) -> Run {
    let root = fixture_dir("workflow-stale");
    let mut all = vec!["stale", "--now", TODAY];
    all.extend(args);
    Groupdir::new(&all)
        .current_dir(&root)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run()
}

#[test]
fn stale_text_lists_the_quiet_groups_most_overdue_first() {
    let out = stale(&[]);
    assert_status(&out, 0, "stale without --fail");
    let text = out.stdout();
    assert!(
        text.starts_with("Stale and at-risk groups on 2026-11-25: 3 stale, 2 at risk\n"),
        "{text}"
    );
    let mut at = 0;
    for (_, heading) in WATCHED {
        let found = text[at..]
            .find(&format!("\n{heading}\n"))
            .unwrap_or_else(|| panic!("{heading:?} missing or out of order in:\n{text}"));
        at += found + 1;
    }
    for fresh in [
        "Fresh Interest",
        "Day Twenty-Two",
        "Proposed Interest",
        "Retired Work",
    ] {
        assert!(!text.contains(fresh), "{fresh} is not stale:\n{text}");
    }
    for detail in [
        "last activity  2026-09-01, 85 days ago: 55 days past the 30-day threshold",
        "last activity  2026-08-01, 116 days ago: 26 days past the 90-day threshold",
        "facilitators   Ivy Quiet, Ian Quiet (@iquiet)",
        "discord        #ig-quiet-ig",
        "last activity  2026-10-26, 30 days ago: stale in 1 day (30-day threshold)",
        // The newest [[activity]] entry counts, not only `last_activity`.
        "last activity  2026-10-30, 26 days ago: stale in 5 days (30-day threshold)",
        "page           /groups/wg-at-risk/",
        "file           content/groups/wg-at-risk.md",
    ] {
        assert!(text.contains(detail), "missing {detail:?} in:\n{text}");
    }
}

#[test]
fn stale_json_prints_the_groups_json_objects_of_the_watched_groups() {
    let out = stale(&["--format", "json"]);
    assert_status(&out, 0, "stale --format json");
    let report = json(&out.stdout());
    let report = report.as_array().expect("an array");
    let slugs: Vec<&str> = report.iter().map(|g| g["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, WATCHED.map(|(slug, _)| slug));
    assert_eq!(report[0]["stale"], true);
    assert_eq!(report[0]["days_inactive"], 85);
    assert_eq!(report[3]["stale"], false);
    assert_eq!(report[3]["at_risk"], true);
    assert_eq!(report[3]["days_inactive"], 30);

    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture_dir("workflow-stale"), site.path());
    add_theme(site.path());
    let output = site.path().join("public");
    let out = Build::in_dir(site.path())
        .output(&output)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "build of the stale fixture");
    let directory = json(&fs::read_to_string(output.join("groups.json")).unwrap());
    for record in report {
        let same = directory["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["slug"] == record["slug"])
            .expect("in groups.json");
        assert_eq!(record, same, "stale --format json differs from groups.json");
    }
}

#[test]
fn stale_fail_exits_1_only_when_a_group_is_stale() {
    let out = stale(&["--fail"]);
    assert_status(&out, 1, "stale --fail with stale groups");
    assert!(
        out.stdout().contains("STALE"),
        "the report is still printed"
    );

    let site = tempfile::tempdir().unwrap();
    let groups = site.path().join("content/groups");
    fs::create_dir_all(&groups).unwrap();
    for name in ["wg-at-risk.md", "ig-fresh.md"] {
        fs::copy(
            fixture_dir("workflow-stale/content/groups").join(name),
            groups.join(name),
        )
        .unwrap();
    }
    let out = Groupdir::new(&["stale", "--now", TODAY, "--fail"])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "stale --fail with only an at-risk group");
    assert!(
        out.stdout().contains("0 stale, 1 at risk"),
        "{}",
        out.stdout()
    );

    let out = Groupdir::new(&["stale", "--now", "2026-11-21", "--fail"])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "stale --fail with nothing to report");
    assert_eq!(out.stdout(), "No stale or at-risk groups on 2026-11-21.\n");
}

// ---------------------------------------------------------------------------------------------
// JSON Schemas

/// The bundled site, built once per test into a temp folder; its schemas are read from there, so
/// the test also shows that the build publishes them.
fn built_bundled_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let output = site.path().join("public");
    let root = repo();
    let out = Build::in_dir(root)
        .output(&output)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .run();
    assert_status(&out, 0, "build of the bundled site");
    site
}

fn validator(site: &Path, name: &str) -> jsonschema::Validator {
    let schema = json(&fs::read_to_string(site.join("public/schema").join(name)).unwrap());
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| e.to_string())
        .collect()
}

/// A group file's front matter as JSON, TOML dates written `YYYY-MM-DD`.
fn front_matter(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    let toml_text = text
        .strip_prefix("+++\n")
        .and_then(|rest| rest.split_once("\n+++\n"))
        .map(|(fm, _)| fm)
        .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
    let table: toml::Table = toml::from_str(toml_text).unwrap();
    toml_to_json(toml::Value::Table(table))
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

#[test]
fn bundled_front_matter_and_groups_json_match_the_published_schemas() {
    let site = built_bundled_site();
    let group = validator(site.path(), "group.schema.json");
    let groups_dir = repo().join("content/groups");
    let mut checked = 0;
    for entry in fs::read_dir(&groups_dir).unwrap() {
        let path = entry.unwrap().path();
        let instance = front_matter(&path);
        assert_eq!(
            errors(&group, &instance),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 16, "only {checked} group files");

    let groups = validator(site.path(), "groups.schema.json");
    let directory = json(&fs::read_to_string(site.path().join("public/groups.json")).unwrap());
    assert_eq!(errors(&groups, &directory), Vec::<String>::new());
}

/// `object` without `keys`.
fn without(object: &Value, keys: &[&str]) -> Value {
    let mut object = object.clone();
    for key in keys {
        object.as_object_mut().unwrap().remove(*key);
    }
    object
}

#[test]
fn the_schemas_reject_what_groupdir_rejects() {
    let site = built_bundled_site();
    let group = validator(site.path(), "group.schema.json");
    let valid = front_matter(&repo().join("content/groups/security.md"));
    assert!(group.is_valid(&valid));
    let mut with_sources = valid.clone();
    with_sources["sources"] = serde_json::json!({
        "repositories": ["modelcontextprotocol/agents-wg"],
        "discussions": [{ "repository": "o/r", "category": "Meeting Notes", "title_contains": "WG" }],
        "labels": [{ "repository": "o/r", "label": "auth" }],
    });
    assert!(group.is_valid(&with_sources), "the schema knows [sources]");
    let broken = |key: &str, value: Value| {
        let mut instance = valid.clone();
        instance[key] = value;
        instance
    };
    for (what, instance) in [
        (
            "a misspelt kind",
            broken("kind", Value::from("working_group")),
        ),
        ("an unknown key", broken("sumary", Value::from("x"))),
        (
            "a date that is no date",
            broken("created", Value::from("2026-13-45")),
        ),
        (
            "a facilitator without a name",
            broken("facilitators", serde_json::json!([{ "github": "x" }])),
        ),
        ("a computed status", broken("status", Value::from("stale"))),
        (
            "an invite for a channel's address",
            broken("discord_url", Value::from("https://discord.gg/6CSzBmMkjX")),
        ),
        (
            "a repository that is not owner/name",
            broken(
                "sources",
                serde_json::json!({ "repositories": ["agents-wg"] }),
            ),
        ),
        (
            "a misspelt source key",
            broken(
                "sources",
                serde_json::json!({ "discussions": [{ "repository": "o/r", "categroy": "Notes" }] }),
            ),
        ),
        (
            "an active interest group with neither a channel nor a meeting",
            without(&valid, &["discord", "meetings"]),
        ),
        (
            "a retired group that does not say why",
            without(
                &broken("status", Value::from("retired")),
                &["retired_reason"],
            ),
        ),
    ] {
        assert!(
            !group.is_valid(&instance),
            "the group schema accepts {what}"
        );
    }
    let channel = "https://discord.com/channels/1358869848138059966/1464745826629976084";
    assert!(group.is_valid(&broken("discord_url", Value::from(channel))));

    let groups = validator(site.path(), "groups.schema.json");
    let directory = json(&fs::read_to_string(site.path().join("public/groups.json")).unwrap());
    let mut missing_slug = directory.clone();
    missing_slug["groups"][0]
        .as_object_mut()
        .unwrap()
        .remove("slug");
    let mut bad_flag = directory.clone();
    bad_flag["groups"][1]["stale"] = Value::from("yes");
    let mut bad_slug = directory.clone();
    bad_slug["groups"][2]["slug"] = Value::from("Not A Slug");
    let mut no_reason = directory;
    let retired = no_reason["groups"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|g| g["status"] == "retired")
        .expect("the bundled site has a retired group");
    *retired = without(retired, &["retired_reason"]);
    for (what, instance) in [
        ("a group without a slug", missing_slug),
        ("a retired group that does not say why", no_reason),
        ("a string for a boolean", bad_flag),
        ("an invalid slug", bad_slug),
    ] {
        assert!(
            !groups.is_valid(&instance),
            "the groups.json schema accepts {what}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// GitHub workflows

/// A workflow file parsed by PyYAML (tools/requirements.txt), as JSON.
fn workflow(name: &str) -> Value {
    let path = repo().join(".github/workflows").join(name);
    let out = Run::of(
        Command::new(common::python())
            .args([
                "-c",
                "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), default=str))",
            ])
            .arg(&path),
    );
    assert_status(&out, 0, &format!("YAML parse of {}", path.display()));
    json(&out.stdout())
}

/// YAML 1.1 reads the key `on` as a boolean.
fn triggers(workflow: &Value) -> &Value {
    workflow
        .get("on")
        .or_else(|| workflow.get("true"))
        .expect("an `on` key")
}

fn run_lines(workflow: &Value) -> String {
    let mut lines = String::new();
    for job in workflow["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(run) = step["run"].as_str() {
                lines.push_str(run);
                lines.push('\n');
            }
        }
    }
    lines
}

#[test]
fn the_pull_request_workflow_checks_and_builds() {
    let check = workflow("check.yml");
    assert!(triggers(&check).get("pull_request").is_some(), "{check}");
    let runs = run_lines(&check);
    assert!(runs.contains("check --format github"), "{runs}");
    assert!(runs.contains(" build"), "{runs}");
}

#[test]
fn the_weekly_workflow_reports_stale_groups_in_one_issue() {
    let stale = workflow("stale.yml");
    let schedule = &triggers(&stale)["schedule"];
    let cron = schedule[0]["cron"].as_str().expect("a cron schedule");
    assert_eq!(cron.split_whitespace().count(), 5, "{cron}");
    assert_ne!(
        cron.split_whitespace().nth(4),
        Some("*"),
        "weekly, not daily: {cron}"
    );
    let runs = run_lines(&stale);
    for needle in [
        "stale --format json",
        "gh issue list",
        "gh issue edit",
        "gh issue create",
    ] {
        assert!(runs.contains(needle), "missing {needle:?} in:\n{runs}");
    }
    let permissions = &stale["permissions"];
    assert_eq!(permissions["issues"], "write", "{stale}");
}

#[test]
fn the_daily_workflow_syncs_and_commits_the_data_file() {
    let sync = workflow("sync.yml");
    let cron = triggers(&sync)["schedule"][0]["cron"]
        .as_str()
        .expect("a cron schedule");
    let fields: Vec<&str> = cron.split_whitespace().collect();
    assert_eq!(fields[2..], ["*", "*", "*"], "daily: {cron}");
    assert_eq!(
        sync["permissions"],
        serde_json::json!({ "contents": "write" }),
        "only what a commit needs"
    );
    let runs = run_lines(&sync);
    for needle in [
        "groupdir sync",
        "git status --porcelain -- data/activity.toml",
        "git add data/activity.toml",
        "git push",
    ] {
        assert!(runs.contains(needle), "missing {needle:?} in:\n{runs}");
    }
    let steps = sync["jobs"]["sync"]["steps"].as_array().unwrap();
    let token = steps
        .iter()
        .find_map(|s| s["env"]["GITHUB_TOKEN"].as_str())
        .expect("the sync step has GITHUB_TOKEN");
    assert_eq!(
        token, "${{ secrets.GITHUB_TOKEN }}",
        "the workflow's own token"
    );
}

//! `groupdir build` end to end, on `tests/fixtures/valid`: a site with a group in every state as
//! of 2026-11-25. The tests run the real binary and read what it wrote.
//!
//! Snapshots live in `tests/snapshots/`. After a deliberate change to the theme or the output,
//! regenerate them with `INSTA_UPDATE=always cargo test --test build`, review the diff with
//! `git diff tests/snapshots`, then run `cargo test` to confirm they pass.

use crate::common;

use std::path::Path;

use common::{Site, TODAY, entries, read, read_tree, text_of};
use serde_json::Value;

/// A group's verdict as `groups.json` gives it.
#[derive(Debug, PartialEq)]
struct Verdict {
    last_activity: Option<String>,
    days_inactive: Option<i64>,
    stale: bool,
    at_risk: bool,
    standing: String,
}

fn verdict(
    last_activity: Option<&str>,
    days_inactive: Option<i64>,
    stale: bool,
    at_risk: bool,
    standing: &str,
) -> Verdict {
    Verdict {
        last_activity: last_activity.map(str::to_string),
        days_inactive,
        stale,
        at_risk,
        standing: standing.to_string(),
    }
}

/// Every group of the fixture and its verdict on 2026-11-25, in slug order.
fn expected_verdicts() -> Vec<(&'static str, Verdict)> {
    vec![
        (
            "fresh-ig",
            verdict(Some("2026-11-01"), Some(24), false, false, "active"),
        ),
        (
            "fresh-wg",
            verdict(Some("2026-11-20"), Some(5), false, false, "active"),
        ),
        ("proposed-ig", verdict(None, None, false, false, "proposed")),
        (
            "retired-wg",
            verdict(Some("2026-08-15"), Some(102), false, false, "retired"),
        ),
        // `last_activity` is 2026-06-01 (177 days: stale); the newest [[activity]] entry wins.
        (
            "revived-wg",
            verdict(Some("2026-11-18"), Some(7), false, false, "active"),
        ),
        (
            "risk-ig",
            verdict(Some("2026-08-27"), Some(90), false, true, "at-risk"),
        ),
        (
            "risk-wg",
            verdict(Some("2026-10-26"), Some(30), false, true, "at-risk"),
        ),
        (
            "stale-ig",
            verdict(Some("2026-05-09"), Some(200), true, false, "stale"),
        ),
        (
            "stale-wg",
            verdict(Some("2026-09-01"), Some(85), true, false, "stale"),
        ),
    ]
}

/// Builds the valid fixture as of `now` and returns the site and its parsed `groups.json`.
fn build_valid(now: &str) -> (Site, Value) {
    let site = Site::from_fixture("valid");
    site.build().now(now).run().expect_success();
    let json = groups_json(&site.path("public"));
    (site, json)
}

fn groups_json(out: &Path) -> Value {
    serde_json::from_str(&read(out, "groups.json")).expect("groups.json is JSON")
}

fn verdict_of(json: &Value, slug: &str) -> Verdict {
    let g = common::group_in(json, slug);
    let text = |key: &str| g[key].as_str().map(str::to_string);
    Verdict {
        last_activity: text("last_activity"),
        days_inactive: g["days_inactive"].as_i64(),
        stale: g["stale"].as_bool().expect("stale is a boolean"),
        at_risk: g["at_risk"].as_bool().expect("at_risk is a boolean"),
        standing: text("standing").expect("standing is text"),
    }
}

#[test]
fn groups_json_gives_every_verdict() {
    let (_site, json) = build_valid(TODAY);
    assert_eq!(json["today"], TODAY);
    let slugs: Vec<&str> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["slug"].as_str().unwrap())
        .collect();
    let expected = expected_verdicts();
    let expected_slugs: Vec<&str> = expected.iter().map(|(s, _)| *s).collect();
    assert_eq!(slugs, expected_slugs, "groups in slug order");
    for (slug, want) in expected {
        assert_eq!(verdict_of(&json, slug), want, "verdict of {slug}");
    }
}

#[test]
fn groups_json_carries_the_front_matter() {
    let (_site, json) = build_valid(TODAY);
    let wg = common::group_in(&json, "fresh-wg");
    assert_eq!(wg["title"], "Fresh Working");
    assert_eq!(wg["kind"], "working-group");
    assert_eq!(wg["status"], "active");
    assert_eq!(wg["url"], "/groups/fresh-wg/");
    assert_eq!(wg["origin_group"], "fresh-ig");
    assert_eq!(wg["created"], "2026-03-01");
    assert_eq!(wg["facilitators"][0]["github"], "fay-worker");
    assert_eq!(wg["first_deliverable"]["link"], "https://example.org/sep/1");
    assert_eq!(wg["deliverables"][0]["status"], "in-progress");
    let ig = common::group_in(&json, "fresh-ig");
    assert_eq!(ig["related"], serde_json::json!(["stale-ig"]));
    assert_eq!(ig["first_topic"], "What fresh means.");
    assert_eq!(ig["meetings"][0]["day"], "Tuesday");
    assert_eq!(ig["meetings"][0]["time"], "16:00");
    let retired = common::group_in(&json, "retired-wg");
    assert_eq!(retired["retired"], "2026-09-01");
    assert_eq!(
        retired["retired_reason"],
        "Its specification change was merged."
    );
    let revived = common::group_in(&json, "revived-wg");
    assert_eq!(revived["activity"][0]["date"], "2026-11-18", "newest first");
}

#[test]
fn every_page_is_written() {
    let (site, json) = build_valid(TODAY);
    let out = site.path("public");
    for rel in [
        "index.html",
        "404.html",
        "groups.json",
        "faq/index.html",
        "joining/index.html",
        "style.css",
    ] {
        assert!(out.join(rel).is_file(), "missing {rel}");
    }
    let slugs: Vec<&str> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["slug"].as_str().unwrap())
        .collect();
    assert_eq!(entries(&out.join("groups")), slugs, "one folder per group");
    for slug in slugs {
        let html = read(&out, &format!("groups/{slug}/index.html"));
        let title = common::group_in(&json, slug)["title"].as_str().unwrap();
        assert!(
            text_of(&html).contains(title),
            "groups/{slug}/ lacks its title"
        );
    }
    assert!(text_of(&read(&out, "faq/index.html")).contains("How do I join a group?"));
    assert!(text_of(&read(&out, "joining/index.html")).contains("welcomes newcomers"));
}

/// The part of the directory about one group: from its link to the next group's link.
fn card<'a>(index: &'a str, slug: &str) -> &'a str {
    let href = format!("href=\"/groups/{slug}/\"");
    let start = index
        .find(&href)
        .unwrap_or_else(|| panic!("the directory does not link to {slug}"));
    let tag = index[..start].rfind('<').unwrap_or(start);
    let rest = &index[start + href.len()..];
    let end = [rest.find("<li class=\"card"), rest.find("</section")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    &index[tag..start + href.len() + end]
}

#[test]
fn directory_lists_every_group_with_its_badge() {
    let (site, json) = build_valid(TODAY);
    let index = read(&site.path("public"), "index.html");
    // (slug, title, words the badge must say, in order)
    let cards: [(&str, &str, &[&str]); 9] = [
        ("fresh-ig", "Fresh Interest", &["Active"]),
        ("fresh-wg", "Fresh Working", &["Active"]),
        ("revived-wg", "Revived Working", &["Active"]),
        (
            "risk-ig",
            "Risky Interest",
            &["At risk", "2026-08-27", "90 days"],
        ),
        (
            "risk-wg",
            "Risky Working",
            &["At risk", "2026-10-26", "30 days"],
        ),
        (
            "stale-ig",
            "Stale Interest",
            &["Stale", "2026-05-09", "200 days"],
        ),
        (
            "stale-wg",
            "Stale Working",
            &["Stale", "2026-09-01", "85 days"],
        ),
        ("proposed-ig", "Proposed Interest", &["Proposed"]),
        ("retired-wg", "Retired Working", &["Retired"]),
    ];
    for (slug, title, badge) in cards {
        let text = text_of(card(&index, slug));
        assert!(text.starts_with(title), "card of {slug}: {text}");
        let mut from = 0;
        for word in badge {
            let at = text[from..]
                .find(word)
                .unwrap_or_else(|| panic!("card of {slug} lacks {word:?} after {from}: {text}"));
            from += at + word.len();
        }
        let quiet = ["Stale", "At risk"];
        if !badge.iter().any(|w| quiet.contains(w)) {
            assert!(
                !quiet.iter().any(|w| text.contains(w)),
                "card of {slug} has a badge it should not: {text}"
            );
        }
    }
    // Every card carries its last-activity date, so the page's script can age the badge.
    for g in json["groups"].as_array().unwrap() {
        let slug = g["slug"].as_str().unwrap();
        if let Some(date) = g["last_activity"].as_str() {
            assert!(
                card(&index, slug).contains(date),
                "card of {slug} lacks {date}"
            );
        }
    }
}

/// Every `<section id="…">` of the directory with the group slugs it links to, in page order.
fn sections(index: &str) -> Vec<(String, Vec<String>)> {
    index
        .split("<section")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            let id = tag.split("id=\"").nth(1)?.split('"').next()?.to_string();
            let body = &rest[..rest.find("</section").unwrap_or(rest.len())];
            let slugs = body
                .split("href=\"/groups/")
                .skip(1)
                .filter_map(|h| h.split('/').next().map(str::to_string))
                .collect();
            Some((id, slugs))
        })
        .collect()
}

#[test]
fn directory_separates_active_proposed_and_retired() {
    let (site, json) = build_valid(TODAY);
    let index = read(&site.path("public"), "index.html");
    let sections = sections(&index);
    // The theme may split active groups further (fresh, at risk, gone quiet), but a section
    // never mixes statuses, and active groups come before proposed, then retired ones.
    let mut order = Vec::new();
    for g in json["groups"].as_array().unwrap() {
        let slug = g["slug"].as_str().unwrap();
        let holding: Vec<&String> = sections
            .iter()
            .filter(|(_, slugs)| slugs.iter().any(|s| s == slug))
            .map(|(id, _)| id)
            .collect();
        assert_eq!(holding.len(), 1, "{slug} is in sections {holding:?}");
    }
    // A section without groups is written hidden, for the browser's re-check to fill.
    for (id, slugs) in sections.iter().filter(|(_, slugs)| !slugs.is_empty()) {
        let statuses: std::collections::BTreeSet<&str> = slugs
            .iter()
            .map(|s| common::group_in(&json, s)["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses.len(), 1, "section {id:?} mixes {statuses:?}");
        let rank = ["active", "proposed", "retired"]
            .iter()
            .position(|s| statuses.contains(s))
            .unwrap();
        order.push(rank);
    }
    assert!(order.is_sorted(), "sections out of order: {sections:?}");
    assert_eq!(order.first(), Some(&0));
    assert_eq!(order.last(), Some(&2));
}

#[test]
fn related_groups_link_both_ways() {
    let (site, _json) = build_valid(TODAY);
    let out = site.path("public");
    // Only fresh-ig names stale-ig in `related`; both pages link to the other.
    let fresh = read(&out, "groups/fresh-ig/index.html");
    let stale = read(&out, "groups/stale-ig/index.html");
    assert!(fresh.contains("href=\"/groups/stale-ig/\""));
    assert!(stale.contains("href=\"/groups/fresh-ig/\""));
    // No group is related to risk-ig, so its page links to no other group.
    let lonely = read(&out, "groups/risk-ig/index.html");
    let others: Vec<&str> = lonely
        .split("href=\"/groups/")
        .skip(1)
        .filter(|h| !h.starts_with("risk-ig/"))
        .collect();
    assert!(others.is_empty(), "risk-ig links another group");
}

#[test]
fn origin_interest_group_and_its_working_group_link_each_other() {
    let (site, _json) = build_valid(TODAY);
    let out = site.path("public");
    let wg = read(&out, "groups/fresh-wg/index.html");
    let ig = read(&out, "groups/fresh-ig/index.html");
    assert!(wg.contains("href=\"/groups/fresh-ig/\""), "WG → origin IG");
    assert!(ig.contains("href=\"/groups/fresh-wg/\""), "IG → its WG");
    assert!(text_of(&ig).contains("Fresh Working"));
}

#[test]
fn group_pages_state_the_build_day_and_retirement() {
    let (site, _json) = build_valid(TODAY);
    let out = site.path("public");
    let stale = text_of(&read(&out, "groups/stale-wg/index.html"));
    for phrase in ["Stale", "2026-09-01", "85 days", TODAY] {
        assert!(stale.contains(phrase), "stale-wg page lacks {phrase:?}");
    }
    let retired = text_of(&read(&out, "groups/retired-wg/index.html"));
    for phrase in [
        "Retired",
        "2026-09-01",
        "Its specification change was merged.",
    ] {
        assert!(retired.contains(phrase), "retired-wg page lacks {phrase:?}");
    }
}

/// The verdict of `slug` when the valid fixture, with the group's `last_activity` set to `last`,
/// is built as of `now`.
fn verdict_at(slug: &str, now: &str, last: &str) -> Verdict {
    let site = Site::from_fixture("valid");
    let rel = format!("content/groups/{slug}.md");
    let text = read(&site.root, &rel);
    let line = text
        .lines()
        .find(|l| l.starts_with("last_activity = "))
        .expect("the group has last_activity");
    site.write(&rel, text.replace(line, &format!("last_activity = {last}")));
    site.build().now(now).run().expect_success();
    let json = groups_json(&site.path("public"));
    assert_eq!(json["today"], now);
    verdict_of(&json, slug)
}

/// Working groups go stale after 30 days, interest groups after 90; each is at risk for the
/// last 7 days before.
#[test]
fn groups_go_stale_after_their_kinds_threshold() {
    // The fixture's dates (2026-10-26 and 2026-08-27) reach the thresholds; the at-risk window's
    // opening needs the group's date moved instead, as earlier `--now` values would put other
    // fixture dates in the future.
    let cases = [
        // (group, --now, last activity, days inactive, standing)
        ("risk-wg", "2026-11-25", "2026-10-26", 30, "at-risk"),
        ("risk-wg", "2026-11-26", "2026-10-26", 31, "stale"),
        ("risk-wg", "2026-11-25", "2026-11-03", 22, "active"),
        ("risk-wg", "2026-11-25", "2026-11-02", 23, "at-risk"),
        ("risk-ig", "2026-11-25", "2026-08-27", 90, "at-risk"),
        ("risk-ig", "2026-11-26", "2026-08-27", 91, "stale"),
        ("risk-ig", "2026-11-25", "2026-09-04", 82, "active"),
        ("risk-ig", "2026-11-25", "2026-09-03", 83, "at-risk"),
    ];
    for (slug, now, last, days, standing) in cases {
        let want = verdict(
            Some(last),
            Some(days),
            standing == "stale",
            standing == "at-risk",
            standing,
        );
        assert_eq!(
            verdict_at(slug, now, last),
            want,
            "{slug} on {now}, last active {last}"
        );
    }
}

#[test]
fn proposed_and_retired_groups_never_go_stale() {
    let (_site, json) = build_valid("2030-01-01");
    let retired = verdict_of(&json, "retired-wg");
    assert_eq!((retired.stale, retired.at_risk), (false, false));
    assert_eq!(retired.standing, "retired");
    let proposed = verdict_of(&json, "proposed-ig");
    assert_eq!(proposed, verdict(None, None, false, false, "proposed"));
}

/// 2026-11-26T00:00:00Z and 23:59:59Z: the whole day is that day.
const EPOCH_START_OF_26TH: &str = "1795651200";
const EPOCH_END_OF_26TH: &str = "1795737599";

fn build_with_epoch(epoch: &str, extra: &[&str]) -> (Site, common::Run) {
    let site = Site::from_fixture("valid");
    let run = site
        .build()
        .clock()
        .args(extra)
        .env("SOURCE_DATE_EPOCH", epoch)
        .run();
    (site, run)
}

#[test]
fn source_date_epoch_sets_today_without_now() {
    for epoch in [EPOCH_START_OF_26TH, EPOCH_END_OF_26TH] {
        let (site, run) = build_with_epoch(epoch, &[]);
        run.expect_success();
        let json = groups_json(&site.path("public"));
        assert_eq!(json["today"], "2026-11-26", "SOURCE_DATE_EPOCH={epoch}");
        assert_eq!(verdict_of(&json, "risk-wg").days_inactive, Some(31));
    }
}

#[test]
fn now_beats_source_date_epoch() {
    let (site, run) = build_with_epoch(EPOCH_START_OF_26TH, &["--now", TODAY]);
    run.expect_success();
    let json = groups_json(&site.path("public"));
    assert_eq!(json["today"], TODAY);
    assert_eq!(verdict_of(&json, "risk-wg").standing, "at-risk");
}

#[test]
fn a_date_time_now_is_a_build_for_its_utc_day() {
    let by_day = Site::from_fixture("valid");
    by_day.build().now("2026-11-26").run().expect_success();
    let expected = read(&by_day.path("public"), "groups.json");
    for now in [
        "2026-11-26T15:00:00Z",
        // Tokyo's morning of the 27th is still the 26th in UTC, New York's evening of the 25th
        // already is.
        "2026-11-27T08:00:00+09:00",
        "2026-11-25T19:00:00-05:00",
        "2026-11-26T23:59:59.5-00:00",
    ] {
        let site = Site::from_fixture("valid");
        site.build().now(now).run().expect_success();
        let json = read(&site.path("public"), "groups.json");
        assert_eq!(json, expected, "--now {now}");
    }
    assert_eq!(groups_json(&by_day.path("public"))["today"], "2026-11-26");
}

#[test]
fn a_malformed_now_is_a_usage_error() {
    let site = Site::from_fixture("valid");
    for bad in [
        "2026-02-30",
        "25/11/2026",
        "tomorrow",
        "2026-11-25T10:00:00",
        "+12026-01-01",
        "12026-01-01",
        "2026-1-5",
        " 2026-11-25",
    ] {
        for command in ["build", "check", "stale", "serve", "sync"] {
            let run = site.run(&[command, "--root", ".", "--now", bad]);
            run.expect_code(2);
            let stderr = run.stderr();
            assert!(
                stderr.contains(&format!(
                    "`{bad}` is neither a date nor a date-time: write YYYY-MM-DD, or a \
                     date-time with its offset such as 2026-12-02T06:00:12Z"
                )),
                "{command} --now {bad}: {stderr}"
            );
        }
    }
    assert!(!site.path("public").exists());
}

#[test]
fn a_malformed_source_date_epoch_is_a_usage_error() {
    for (bad, says) in [
        (
            "yesterday",
            "SOURCE_DATE_EPOCH is `yesterday`, expected a number of seconds since 1970",
        ),
        (
            "2026-11-25",
            "SOURCE_DATE_EPOCH is `2026-11-25`, expected a number of seconds since 1970",
        ),
        (
            "99999999999999999",
            "SOURCE_DATE_EPOCH `99999999999999999` is out of range",
        ),
    ] {
        let (site, run) = build_with_epoch(bad, &[]);
        run.expect_code(2);
        assert!(run.stderr().contains(says), "{bad}: {}", run.stderr());
        assert!(!site.path("public").exists());
    }
}

/// `(N files: W written, L unchanged)` from the build's summary line.
fn file_counts(stderr: &str) -> (usize, usize, usize) {
    let numbers = |s: &str| -> Vec<usize> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let counts = stderr
        .rsplit_once('(')
        .map(|(_, tail)| numbers(tail))
        .unwrap_or_default();
    match counts[..] {
        [files, written, linked] => (files, written, linked),
        _ => panic!("no file counts in {stderr:?}"),
    }
}

#[test]
fn identical_input_gives_identical_output() {
    // Two copies of the site in different folders, built into fresh outputs: nothing of where
    // the files sit may leak into what is written.
    let (one, two) = (Site::from_fixture("valid"), Site::from_fixture("valid"));
    let outputs: Vec<_> = [&one, &two]
        .iter()
        .map(|site| {
            let out = site.tmp().join("out");
            let out_arg = out.to_str().unwrap();
            site.build().output(out_arg).run().expect_success();
            read_tree(&out)
        })
        .collect();
    let (a, b) = (&outputs[0], &outputs[1]);
    assert!(a.len() > 10, "only {} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

#[test]
fn a_rebuild_links_every_unchanged_file() {
    let site = Site::from_fixture("valid");
    let first = site.build().run();
    first.expect_success();
    let (files, written, linked) = file_counts(&first.stderr());
    assert_eq!((written, linked), (files, 0), "first build");
    let before = inode(&site.path("public/index.html"));

    let second = site.build().run();
    second.expect_success();
    let (files_again, written, linked) = file_counts(&second.stderr());
    assert_eq!(
        (files_again, written, linked),
        (files, 0, files),
        "second build"
    );
    assert_eq!(
        inode(&site.path("public/index.html")),
        before,
        "hard-linked"
    );

    // One change: only the pages that show it are written again.
    let faq = site.path("content/faq.md");
    let text = std::fs::read_to_string(&faq).unwrap();
    site.write(
        "content/faq.md",
        text.replace("come to a call", "join a call"),
    );
    let third = site.build().run();
    third.expect_success();
    let (_, written, linked) = file_counts(&third.stderr());
    assert_eq!((written, linked), (1, files - 1), "after editing the FAQ");
    assert!(read(&site.path("public"), "faq/index.html").contains("join a call"));
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).expect("metadata").ino()
}

#[cfg(not(unix))]
fn inode(_path: &Path) -> u64 {
    0
}

#[test]
fn a_rebuild_removes_the_page_of_a_deleted_group() {
    let site = Site::from_fixture("valid");
    site.build().run().expect_success();
    assert!(site.path("public/groups/proposed-ig/index.html").is_file());
    site.remove("content/groups/proposed-ig.md");
    site.build().run().expect_success();
    assert!(!site.path("public/groups/proposed-ig").exists());
    let json = groups_json(&site.path("public"));
    assert_eq!(json["groups"].as_array().unwrap().len(), 8);
    let index = read(&site.path("public"), "index.html");
    assert!(!index.contains("/groups/proposed-ig/"));
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let site = Site::from_fixture("valid");
    site.build().run().expect_success();
    let before = read_tree(&site.path("public"));
    let beside = entries(&site.root);

    // A content error, then a template error: both fail after the previous output exists.
    let group = site.path("content/groups/fresh-wg.md");
    let good = std::fs::read_to_string(&group).unwrap();
    site.write(
        "content/groups/fresh-wg.md",
        good.replace("kind = \"working-group\"", "kind = 3"),
    );
    let run = site.build().run();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("content/groups/fresh-wg.md:3:8: error:"),
        "{}",
        run.stderr()
    );
    assert_eq!(read_tree(&site.path("public")), before, "output changed");
    assert_eq!(entries(&site.root), beside, "staging folders left behind");

    site.write("content/groups/fresh-wg.md", &good);
    // Rendering fails only after every file was read and validated.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_thing }}{% endblock content %}",
    );
    let run = site.build().run();
    run.expect_code(1);
    assert!(run.stderr().contains("no_such_thing"), "{}", run.stderr());
    assert_eq!(read_tree(&site.path("public")), before, "output changed");
    // A build that fails while it writes keeps what it staged as the spare for the next build.
    let mut beside_with_templates = beside.clone();
    beside_with_templates.extend(["templates".to_string(), ".public.previous".to_string()]);
    beside_with_templates.sort();
    assert_eq!(
        entries(&site.root),
        beside_with_templates,
        "staging folders left behind"
    );
}

#[test]
fn outputs_that_hold_the_sources_are_refused() {
    let site = Site::from_fixture("valid");
    let parent = site.tmp().to_str().unwrap().to_string();
    let inside_content = site.path("content/public");
    let cases = [
        ".".to_string(),
        site.root.to_str().unwrap().to_string(),
        "..".to_string(),
        parent,
        "content".to_string(),
        inside_content.to_str().unwrap().to_string(),
        "content/groups".to_string(),
    ];
    let sources = read_tree(&site.root);
    let around = entries(site.tmp());
    for output in &cases {
        let run = site.build().output(output).run();
        run.expect_code(2);
        assert!(
            run.stderr().contains("refusing to write the site to"),
            "--output {output}: {}",
            run.stderr()
        );
        assert_eq!(
            read_tree(&site.root),
            sources,
            "--output {output} changed the site"
        );
        assert_eq!(
            entries(site.tmp()),
            around,
            "--output {output} changed the parent"
        );
    }
    site.write("notes.txt", "not a site");
    let run = site.build().output("notes.txt").run();
    run.expect_code(2);
    assert!(run.stderr().contains("is not a folder"), "{}", run.stderr());
    assert_eq!(read(&site.root, "notes.txt"), "not a site");
    assert!(
        !entries(&site.root).iter().any(|e| e.starts_with('.')),
        "leftovers"
    );
}

mod snapshots {
    //! The rendered pages, whole. Regenerate after a deliberate change with
    //! `INSTA_UPDATE=always cargo test --test build`, and review `git diff tests/snapshots`.

    use super::*;

    /// Each snapshot by name, with the page of the built fixture it holds.
    const PAGES: [(&str, &str); 5] = [
        ("directory", "index.html"),
        ("group_fresh_ig", "groups/fresh-ig/index.html"),
        ("group_fresh_wg", "groups/fresh-wg/index.html"),
        ("page_faq", "faq/index.html"),
        ("groups_json", "groups.json"),
    ];

    #[test]
    fn pages() {
        let site = Site::from_fixture("valid");
        site.build().run().expect_success();
        for (name, page) in PAGES {
            insta::assert_snapshot!(name, read(&site.path("public"), page));
        }
    }
}

#[test]
fn thresholds_come_from_site_toml() {
    let site = Site::from_fixture("valid");
    let settings = read(&site.root, "site.toml");
    site.write(
        "site.toml",
        format!("{settings}\n[stale]\nworking_group_days = 60\ninterest_group_days = 200\nat_risk_days = 10\n"),
    );
    site.build().run().expect_success();
    let json = groups_json(&site.path("public"));
    let risk_wg = verdict_of(&json, "risk-wg");
    assert_eq!(
        (risk_wg.stale, risk_wg.at_risk),
        (false, false),
        "30 of 60 days"
    );
    let stale_wg = verdict_of(&json, "stale-wg");
    assert_eq!(
        (stale_wg.stale, stale_wg.at_risk),
        (true, false),
        "85 of 60 days"
    );
    let stale_ig = verdict_of(&json, "stale-ig");
    assert_eq!(
        (stale_ig.stale, stale_ig.at_risk),
        (false, true),
        "200 of 200 days"
    );
    assert_eq!(common::group_in(&json, "stale-ig")["threshold_days"], 200);
}

#[test]
fn the_stale_report_lists_stale_and_at_risk_groups() {
    let site = Site::from_fixture("valid");
    let run = site.run(&["stale", "--root", ".", "--now", TODAY, "--format", "json"]);
    run.expect_success();
    let report: Value = serde_json::from_str(&run.stdout()).expect("JSON on stdout");
    let mut slugs: Vec<&str> = report["groups"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|g| g["slug"].as_str().unwrap())
        .collect();
    slugs.sort();
    assert_eq!(slugs, ["risk-ig", "risk-wg", "stale-ig", "stale-wg"]);
    let (_, json) = build_valid(TODAY);
    for record in report["groups"].as_array().unwrap() {
        let slug = record["slug"].as_str().unwrap();
        assert_eq!(
            record,
            common::group_in(&json, slug),
            "{slug}: the same object as groups.json"
        );
    }

    let text = site.run(&["stale", "--root", ".", "--now", TODAY]);
    text.expect_success();
    assert!(text.stdout().contains("Stale Working"), "{}", text.stdout());
    site.run(&["stale", "--root", ".", "--now", TODAY, "--fail"])
        .expect_code(1);
    // At risk is not stale: with longer thresholds only warnings remain, and `--fail` passes.
    let settings = read(&site.root, "site.toml");
    site.write(
        "site.toml",
        format!("{settings}\n[stale]\nworking_group_days = 100\ninterest_group_days = 250\nat_risk_days = 20\n"),
    );
    site.run(&["stale", "--root", ".", "--now", TODAY, "--fail"])
        .expect_success();
    let relaxed = site.run(&["stale", "--root", ".", "--now", TODAY, "--format", "json"]);
    let report: Value = serde_json::from_str(&relaxed.stdout()).expect("JSON on stdout");
    let verdicts: Vec<(&str, bool, bool)> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let flag = |k: &str| g[k].as_bool().unwrap();
            (g["slug"].as_str().unwrap(), flag("stale"), flag("at_risk"))
        })
        .collect();
    assert_eq!(verdicts, [("stale-wg", false, true)]);
}

#[test]
fn the_valid_fixture_is_clean() {
    // Warnings here would hide new ones in the other tests' output.
    let site = Site::from_fixture("valid");
    let run = site.run(&["check", "--root", ".", "--now", TODAY]);
    run.expect_success();
    assert!(
        !run.stderr().contains("warning:") && !run.stderr().contains("error:"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_base_url_prefixes_every_internal_link() {
    let site = Site::from_fixture("valid");
    site.build()
        .base_url("https://example.org/dir/")
        .run()
        .expect_success();
    let out = site.path("public");
    let index = read(&out, "index.html");
    assert!(index.contains("href=\"/dir/groups/fresh-ig/\""));
    assert!(index.contains("href=\"/dir/faq/\""));
    let joining = read(&out, "joining/index.html");
    assert!(joining.contains("href=\"/dir/faq/\""), "Markdown links too");
    let json = groups_json(&out);
    assert_eq!(
        common::group_in(&json, "fresh-ig")["url"],
        "/dir/groups/fresh-ig/"
    );
    for (path, bytes) in read_tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("href=\"/groups/"),
            "{path} has a link without the base"
        );
    }

    let run = site.build().base_url("example.org").run();
    run.expect_code(2);
    assert!(run.stderr().contains("--base-url"), "{}", run.stderr());
}

/// A site with only `content/` builds with the default theme built into the binary.
#[test]
fn a_site_without_themes_uses_the_built_in_default_theme() {
    let site = Site::from_fixture("valid");
    std::fs::remove_dir_all(site.path("themes")).expect("remove the copied themes");
    site.build().run().expect_success();
    let index = read(&site.path("public"), "index.html");
    assert!(
        index.contains("Gone quiet"),
        "the default theme's directory"
    );
    let built = read_tree(&site.path("public"));
    assert!(
        built
            .keys()
            .any(|k| k.starts_with("assets/style.") && k.ends_with(".css")),
        "{:?}",
        built.keys()
    );
    assert!(built.contains_key("meetings/index.html") && built.contains_key("groups.json"));
}

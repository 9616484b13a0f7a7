//! Publishing: what Netlify serves beyond the pages. The Netlify settings, pages that satisfy the
//! Content-Security-Policy, the sitemap, the Atom feed, iCalendar files read by a real parser, and
//! badges re-computed in a real browser. Every test runs the real binary.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use common::{Build, Groupdir, Run, Site, build_repo, html_pages, read_tree, repo};
use quick_xml::Reader;
use quick_xml::events::Event;
use scraper::{Html, Node};

const BASE_URL: &str = "https://groups.example.org/";
const FIXTURE_URL: &str = "https://fixture.example.org/";

/// Builds the site into `<tmp>/<name>`, beside it, and returns the output folder.
fn build(site: &Site, name: &str, now: &str, base_url: &str) -> PathBuf {
    let out = site.tmp().join(name);
    Build::of(&site.root)
        .now(now)
        .base_url(base_url)
        .output(&out)
        .run()
        .expect_success();
    out
}

fn netlify() -> toml::Table {
    let text = fs::read_to_string(repo().join("netlify.toml")).expect("read netlify.toml");
    text.parse().expect("netlify.toml parses as TOML")
}

/// The headers netlify.toml sets for the path pattern `pattern`.
fn netlify_headers(config: &toml::Table, pattern: &str) -> toml::Table {
    config["headers"]
        .as_array()
        .expect("[[headers]] is an array")
        .iter()
        .find(|h| h["for"].as_str() == Some(pattern))
        .unwrap_or_else(|| panic!("no [[headers]] for {pattern:?}"))["values"]
        .as_table()
        .expect("headers values is a table")
        .clone()
}

fn csp() -> String {
    netlify_headers(&netlify(), "/*")["Content-Security-Policy"]
        .as_str()
        .expect("CSP is a string")
        .to_string()
}

#[test]
fn netlify_toml_builds_with_groupdir_and_sets_the_headers() {
    let config = netlify();
    let build = config["build"].as_table().expect("[build]");
    assert_eq!(build["publish"].as_str(), Some("public"));
    // Netlify's own parser checks each context's command too (tools/tests/netlify.test.mjs).
    let command = |table: &toml::Value| table["command"].as_str().expect("command").to_string();
    for (table, url) in [
        (&config["build"], "\"$URL\""),
        (
            &config["context"]["deploy-preview"],
            "\"$DEPLOY_PRIME_URL\"",
        ),
    ] {
        assert_eq!(command(table), format!("bash netlify/build.sh {url}"));
    }
    // Deploys compile without the features a site build does not use (`sync`).
    let script =
        fs::read_to_string(repo().join("netlify/build.sh")).expect("read netlify/build.sh");
    assert!(
        script.contains("cargo build --release --locked --no-default-features"),
        "{script}"
    );

    let all = netlify_headers(&config, "/*");
    let policy = all["Content-Security-Policy"].as_str().expect("CSP");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            policy.contains(directive),
            "CSP lacks {directive}: {policy}"
        );
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(all["X-Content-Type-Options"].as_str(), Some("nosniff"));
    assert!(all.contains_key("Referrer-Policy"));
    assert!(all.contains_key("Permissions-Policy"));

    let assets = netlify_headers(&config, "/assets/*");
    assert_eq!(
        assets["Cache-Control"].as_str(),
        Some("public, max-age=31536000, immutable")
    );
    let not_found = config["redirects"].as_array().expect("[[redirects]]");
    assert!(
        not_found
            .iter()
            .any(|r| r["to"].as_str() == Some("/404.html") && r["status"].as_integer() == Some(404))
    );
}

/// Why an element breaks a CSP without 'unsafe-inline', if it does.
fn csp_violation(name: &str, attrs: &[(&str, &str)], text: &str) -> Option<String> {
    if name == "style" {
        return Some("a <style> element".to_string());
    }
    if name == "script" && (!attrs.iter().any(|(k, _)| *k == "src") || !text.trim().is_empty()) {
        return Some(format!("an inline <script>: {text:?}"));
    }
    for (key, value) in attrs {
        if *key == "style" {
            return Some(format!("a style attribute on <{name}>"));
        }
        if key.starts_with("on") {
            return Some(format!("an event handler {key} on <{name}>"));
        }
        let url = value.trim().to_ascii_lowercase();
        if ["href", "src", "action", "formaction"].contains(key) && url.starts_with("javascript:") {
            return Some(format!("a javascript: URL on <{name}>"));
        }
    }
    None
}

fn csp_violations(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut found = Vec::new();
    for node in document.tree.nodes() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        let attrs: Vec<(&str, &str)> = element.attrs().collect();
        let text: String = node
            .descendants()
            .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
            .collect();
        found.extend(csp_violation(element.name(), &attrs, &text));
    }
    found
}

#[test]
fn the_csp_checker_finds_inline_code() {
    for bad in [
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        "<p style=\"color:red\">x</p>",
        "<button onclick=\"go()\">x</button>",
        "<a href=\" JavaScript:go()\">x</a>",
        "<script src=\"a.js\">alert(1)</script>",
    ] {
        assert_eq!(csp_violations(bad).len(), 1, "{bad}");
    }
    assert!(
        csp_violations("<script src=\"a.js\" defer></script><p data-style=\"x\">ok</p>").is_empty()
    );
}

#[test]
fn every_page_of_the_bundled_site_satisfies_the_csp() {
    let (_tmp, out) = build_repo(&["--base-url", BASE_URL]);
    let pages = html_pages(&out);
    assert!(pages.len() >= 20, "only {} pages", pages.len());
    let mut violations = Vec::new();
    for page in &pages {
        let html = fs::read_to_string(out.join(page)).expect("read page");
        violations.extend(
            csp_violations(&html)
                .into_iter()
                .map(|v| format!("{page}: {v}")),
        );
        let document = Html::parse_document(&html);
        let scripts: Vec<_> = document
            .select(&scraper::Selector::parse("script[src]").expect("selector"))
            .collect();
        assert!(
            scripts.iter().all(|s| s.value().attr("defer").is_some()),
            "{page}: scripts should be deferred"
        );
    }
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn pages_link_fingerprinted_assets_that_exist() {
    let (_tmp, out) = build_repo(&["--base-url", BASE_URL]);
    let all = read_tree(&out);
    let index = fs::read_to_string(out.join("index.html")).expect("read index");
    let document = Html::parse_document(&index);
    let linked: Vec<String> = document
        .select(&scraper::Selector::parse("link[rel=stylesheet], script[src]").expect("selector"))
        .filter_map(|e| e.value().attr("href").or(e.value().attr("src")))
        .map(str::to_string)
        .collect();
    assert_eq!(linked.len(), 3, "{linked:?}");
    for url in linked {
        let path = url.strip_prefix('/').expect("root-relative");
        assert!(
            path.starts_with("assets/"),
            "{url} is not under the cached folder"
        );
        let name = path.rsplit('/').next().expect("file name");
        let parts: Vec<&str> = name.split('.').collect();
        assert_eq!(parts.len(), 3, "{name} should be stem.hash.ext");
        assert!(parts[1].len() == 10 && parts[1].chars().all(|c| c.is_ascii_hexdigit()));
        assert!(all.contains_key(path), "{path} was not written");
        // The copy is the original without its comments: every line of it is the original's, in
        // order, and no line of it is a comment.
        let original = fs::read_to_string(out.join(format!("{}.{}", parts[0], parts[2])))
            .expect("the original beside the copy");
        let copy = fs::read_to_string(out.join(path)).expect("read the copy");
        assert!(copy.len() < original.len(), "{path} keeps its comments");
        let mut lines = original.lines();
        for line in copy.lines() {
            assert!(lines.any(|l| l.contains(line.trim())), "{path}: {line:?}");
            let line = line.trim_start();
            assert!(
                !line.starts_with("//") && !line.starts_with("/*"),
                "{path}: {line:?}"
            );
        }
    }
    assert!(
        all.contains_key("favicon.svg"),
        "the favicon keeps its name"
    );
    for page in html_pages(&out) {
        let html = fs::read_to_string(out.join(&page)).expect("read page");
        let has = |needle: &str| html.contains(needle);
        if page != "404.html" {
            assert!(
                has("<link rel=\"canonical\" href=\"https://groups.example.org/"),
                "{page}"
            );
            assert!(
                has("<meta property=\"og:url\" content=\"https://groups.example.org/"),
                "{page}"
            );
        }
        for property in ["og:title", "og:description", "og:type"] {
            assert!(
                has(&format!("property=\"{property}\"")),
                "{page} lacks {property}"
            );
        }
        assert!(
            has("type=\"application/atom+xml\""),
            "{page} lacks the feed link"
        );
    }
}

/// The text of every `<name>` element in `xml`, in document order, with the root's name.
fn xml_texts(xml: &str, name: &str) -> (String, Vec<String>) {
    let mut reader = Reader::from_str(xml);
    let (mut root, mut texts, mut inside) = (String::new(), Vec::new(), false);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let tag = e.local_name().as_ref().to_string();
                if root.is_empty() {
                    root = tag.clone();
                }
                if tag == name {
                    inside = true;
                    texts.push(String::new());
                }
            }
            Event::Text(t) if inside => {
                texts
                    .last_mut()
                    .expect("open element")
                    .push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if inside => {
                let reference = format!("&{};", &*r);
                let text = quick_xml::escape::unescape(&reference).expect("entity");
                texts.last_mut().expect("open element").push_str(&text);
            }
            Event::End(e) if e.local_name().as_ref() == name => inside = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (root, texts)
}

#[test]
fn the_sitemap_lists_every_page_under_the_base_url() {
    let base = "https://groups.example.org/directory/";
    let (_tmp, out) = build_repo(&["--base-url", base]);
    let xml = fs::read_to_string(out.join("sitemap.xml")).expect("read sitemap");
    let (root, locs) = xml_texts(&xml, "loc");
    assert_eq!(root, "urlset");
    let expected: BTreeSet<String> = html_pages(&out)
        .into_iter()
        .filter(|p| p != "404.html")
        .map(|p| format!("{base}{}", p.strip_suffix("index.html").unwrap_or(&p)))
        .collect();
    let listed: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(listed.len(), locs.len(), "no duplicates");
    assert_eq!(listed, expected);
    assert!(listed.contains("https://groups.example.org/directory/meetings/"));

    let robots = fs::read_to_string(out.join("robots.txt")).expect("read robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == "Sitemap: https://groups.example.org/directory/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn the_feed_is_atom_newest_first_with_stable_ids() {
    let site = Site::from_fixture("publish");
    let first = build(&site, "a", "2026-10-14", FIXTURE_URL);
    let later = build(&site, "b", "2026-11-20", FIXTURE_URL);
    let xml = fs::read_to_string(first.join("feed.xml")).expect("read feed");
    assert_eq!(
        Some(xml.as_str()),
        fs::read_to_string(later.join("feed.xml")).ok().as_deref(),
        "the feed depends on the content, not on the day it is built"
    );

    let (root_name, ids) = xml_texts(&xml, "id");
    assert_eq!(root_name, "feed");
    assert!(xml.contains("xmlns=\"http://www.w3.org/2005/Atom\""));
    let (_, titles) = xml_texts(&xml, "title");
    let (_, updated) = xml_texts(&xml, "updated");
    assert!(
        xml_texts(&xml, "name").1.iter().any(|n| !n.is_empty()),
        "feed author"
    );
    // The feed's own id, title and updated come first, then one of each per entry.
    let entries = xml.matches("<entry>").count();
    assert_eq!(ids.len(), entries + 1);
    assert_eq!(titles.len(), entries + 1);
    assert_eq!(updated.len(), entries + 1);
    assert_eq!(ids[0], FIXTURE_URL);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:#?}");
    assert!(
        ids.iter().all(|id| id.starts_with(FIXTURE_URL)),
        "absolute ids"
    );
    let dates: Vec<&String> = updated[1..].iter().collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    assert_eq!(
        updated[0], *dates[0],
        "the feed is as new as its newest entry"
    );

    let expected_entries = [
        "London Calls: Call: threat model review",
        "London Calls: Second entry the same day, with <angle brackets> & an ampersand",
        "London Calls created",
        "Old Days retired",
        "Old Days created",
        "Quiet Interest created",
    ];
    for title in expected_entries {
        assert!(
            titles.iter().any(|t| t == title),
            "no entry {title:?} in {titles:#?}"
        );
    }
    assert!(ids.contains(&format!("{FIXTURE_URL}groups/old-days/#retired")));
    assert!(ids.contains(&format!(
        "{FIXTURE_URL}groups/london-calls/#activity-2026-10-10-1"
    )));
    assert!(ids.contains(&format!(
        "{FIXTURE_URL}groups/london-calls/#activity-2026-10-10-2"
    )));
}

#[test]
fn a_retirement_without_a_recorded_day_is_shown_undated_and_not_in_the_feed() {
    let site = Site::from_fixture("publish");
    let file = "content/groups/old-days.md";
    let text = fs::read_to_string(site.path(file)).expect("read old-days.md");
    assert!(text.contains("retired = 2026-06-30\n"), "{text}");
    site.write(file, text.replace("retired = 2026-06-30\n", ""));
    let out = build(&site, "public", "2026-11-20", FIXTURE_URL);

    let xml = fs::read_to_string(out.join("feed.xml")).expect("read feed");
    let (_, titles) = xml_texts(&xml, "title");
    assert!(
        titles.iter().any(|t| t == "Old Days created"),
        "{titles:#?}"
    );
    assert!(
        !titles.iter().any(|t| t.contains("retired")),
        "a retirement with no day is not news of the build's day: {titles:#?}"
    );
    let page = Html::parse_document(&common::read(&out, "groups/old-days/index.html"));
    let notice: Vec<String> = page
        .select(&scraper::Selector::parse(".notice").expect("selector"))
        .map(|n| n.text().collect())
        .collect();
    assert_eq!(notice, ["Retired: Merged elsewhere."]);
    let json: serde_json::Value =
        serde_json::from_str(&common::read(&out, "groups.json")).expect("groups.json");
    let old_days = json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["slug"] == "old-days")
        .expect("old-days in groups.json");
    assert_eq!(old_days["retired"], serde_json::Value::Null);
    assert_eq!(old_days["retired_reason"], "Merged elsewhere.");
}

fn parse_calendars(after: &str, paths: &[PathBuf]) -> serde_json::Value {
    let run = Run::of(
        Command::new(common::python())
            .arg(repo().join("tests/support/check_ics.py"))
            .arg(after)
            .args(paths),
    );
    run.expect_success();
    serde_json::from_slice(&run.output.stdout).expect("check_ics.py prints JSON")
}

fn assert_rfc5545_lines(path: &Path) {
    let bytes = fs::read(path).expect("read ics");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "{}", path.display());
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(!line.contains('\n'), "bare LF in {}", path.display());
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
    }
}

#[test]
fn calendars_parse_and_a_fortnightly_meeting_crosses_the_clock_change() {
    let site = Site::from_fixture("publish");
    // Two weeks before the clocks go back in London on Sunday 25 October 2026.
    let out = build(&site, "public", "2026-10-14", FIXTURE_URL);
    let all = out.join("meetings.ics");
    let london = out.join("groups/london-calls/meetings.ics");
    for path in [
        &all,
        &london,
        &out.join("groups/quiet-interest/meetings.ics"),
    ] {
        assert_rfc5545_lines(path);
    }
    assert!(
        !out.join("groups/unconfirmed-week/meetings.ics").exists(),
        "week unknown"
    );
    assert!(
        !out.join("groups/old-days/meetings.ics").exists(),
        "retired"
    );

    let report = parse_calendars("2026-10-14", &[all.clone(), london.clone()]);
    let whole = &report[all.to_str().expect("UTF-8")];
    let events = whole["events"].as_array().expect("events");
    let uids: Vec<&str> = events
        .iter()
        .map(|e| e["uid"].as_str().expect("uid"))
        .collect();
    assert_eq!(
        uids,
        [
            "meetings-london-calls@fixture.example.org",
            "meetings-quiet-interest@fixture.example.org"
        ]
    );
    // Each zone's VTIMEZONE gives the IANA database's offset on every day of six years.
    assert_eq!(
        whole["timezones"],
        serde_json::json!({"America/New_York": [], "Europe/London": []})
    );
    let event = &report[london.to_str().expect("UTF-8")]["events"][0];
    assert_eq!(event["tzid"], "Europe/London");
    assert_eq!(event["rrule"], "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
    assert_eq!(event["start"], "2026-10-13T16:00:00+01:00");
    // Stable: the first meeting's day, not the build's (2026-10-14), so rebuilds change nothing.
    assert_eq!(event["dtstamp"], "2026-10-13T00:00:00+00:00");
    assert_eq!(event["duration_minutes"], 45);
    assert_eq!(event["url"], format!("{FIXTURE_URL}groups/london-calls/"));
    assert!(
        event["description"]
            .as_str()
            .expect("description")
            .starts_with("Meets every other Tuesday in London; text with commas, semicolons; and a backslash \\ to escape.\n"),
        "{}",
        event["description"]
    );
    // The calendar app's view: the next call after BST ends is 16:00 GMT, which is 16:00 UTC.
    assert_eq!(event["next_local"], "2026-10-27T16:00:00+00:00");
    assert_eq!(
        event["next_utc_own_zone"], "2026-10-27T16:00:00+00:00",
        "a client that knows only the file's VTIMEZONE agrees"
    );

    // The page agrees with the calendar.
    let meetings = fs::read_to_string(out.join("meetings/index.html")).expect("read meetings");
    assert!(
        meetings.contains("data-next-date=\"2026-10-27\""),
        "{meetings}"
    );
    assert!(
        meetings.contains("<time class=\"next\" datetime=\"2026-10-27T16:00Z\">2026-10-27</time>")
    );
    assert!(meetings.contains("Week to be confirmed"));
    assert!(meetings.contains("href=\"/groups/london-calls/meetings.ics\""));
    assert!(
        !meetings.contains("Old Days"),
        "retired groups no longer meet"
    );
    assert!(
        meetings.contains("New Idea"),
        "groups without a schedule are listed apart"
    );
}

#[test]
fn the_same_input_and_day_give_the_same_files() {
    let site = Site::from_fixture("publish");
    let a = read_tree(&build(&site, "a", "2026-10-14", FIXTURE_URL));
    let b = read_tree(&build(&site, "b", "2026-10-14", FIXTURE_URL));
    assert!(a.keys().eq(b.keys()), "{:?} != {:?}", a.keys(), b.keys());
    for (file, bytes) in &a {
        assert_eq!(Some(bytes), b.get(file), "{file} differs");
    }
}

#[test]
fn an_unknown_time_zone_is_an_error_with_a_suggestion() {
    let site = Site::from_fixture("publish");
    let path = "content/groups/london-calls.md";
    let text = common::read(&site.root, path);
    site.write(path, text.replace("\"Europe/London\"", "\"Europe/Londn\""));
    let run = Groupdir::new(&["check", "--root"]).arg(&site.root).run();
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(stderr.contains("london-calls.md:15:"), "{stderr}");
    assert!(
        stderr.contains("`Europe/Londn` is not an IANA time zone name"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean \"Europe/London\"?"),
        "{stderr}"
    );
}

/// What the badge should say on `today`, computed here independently of fresh.js: the standing
/// and the badge's text.
fn expected_badge(
    last: &str,
    threshold: i64,
    at_risk_days: i64,
    today: NaiveDate,
) -> (String, String) {
    let last_date: NaiveDate = last.parse().expect("date");
    let days = (today - last_date).num_days().max(0);
    if days > threshold {
        (
            "stale".into(),
            format!("Stale: no recorded activity since {last} ({days} days)"),
        )
    } else if days >= threshold - at_risk_days {
        (
            "at-risk".into(),
            format!("At risk: last recorded activity {last} ({days} days)"),
        )
    } else {
        ("active".into(), "Active".into())
    }
}

/// What fresh.js made of `pages` of the site at `out` on `day`, in Chromium.
fn seen_on(out: &Path, day: &str, pages: &[&str]) -> serde_json::Value {
    let csp = csp();
    let mut args = vec![
        out.as_os_str(),
        std::ffi::OsStr::new(&csp),
        std::ffi::OsStr::new(day),
    ];
    args.extend(pages.iter().map(std::ffi::OsStr::new));
    let run = common::node_script("fresh_check.mjs", &args);
    run.expect_success();
    serde_json::from_slice(&run.output.stdout).expect("JSON report")
}

/// "Next" means next by the hour: at 03:50 UTC the office hours of 03:45-04:15 are "now", at
/// 04:20 they are past and the next is a week later.
#[test]
fn the_meetings_page_says_now_by_the_hour_and_drops_what_has_ended() {
    let site = Site::from_fixture("meetings");
    let out = site.tmp().join("public");
    site.build()
        .now("2026-12-01")
        .output(&out)
        .run()
        .expect_success();
    let slot = |report: &serde_json::Value, start: &str| {
        report["/meetings/"]["slots"]
            .as_array()
            .expect("slots")
            .iter()
            .find(|s| s["start"] == start)
            .cloned()
            .unwrap_or_else(|| panic!("{start}: {report}"))
    };
    let card = |report: &serde_json::Value| {
        report["/meetings/"]["meetings"]
            .as_array()
            .expect("meetings")
            .iter()
            .find(|m| m["title"] == "Two Meetings: Office hours")
            .cloned()
            .unwrap_or_else(|| panic!("office hours: {report}"))
    };
    let during = seen_on(&out, "2026-12-03T03:50:00Z", &["/meetings/"]);
    let office = slot(&during, "2026-12-03T03:45Z");
    assert_eq!(office["state"], "now", "{office}");
    assert_eq!(office["hidden"], false, "{office}");
    assert_eq!(card(&during)["next"], "2026-12-03 (now)", "{during}");
    let later = slot(&during, "2026-12-03T09:00Z");
    assert_eq!(later["state"], "", "{later}");

    let after = seen_on(&out, "2026-12-03T04:20:00Z", &["/meetings/"]);
    assert_eq!(slot(&after, "2026-12-03T03:45Z")["hidden"], true, "{after}");
    assert_eq!(
        slot(&after, "2026-12-03T09:00Z")["hidden"],
        false,
        "{after}"
    );
    assert_eq!(card(&after)["next"], "2026-12-10", "{after}");
    assert_eq!(card(&after)["nextUtc"], "2026-12-10T03:45Z", "{after}");
}

#[test]
fn the_browser_rechecks_everything_that_depends_on_the_day() {
    let site = Site::from_fixture("publish");
    // Built on 14 October, when every active group was active; read on 30 November, when London
    // Calls (a WG, 51 days) has gone quiet and Quiet Interest (an IG, 90 days) is at risk.
    // No address (a `--base-url` must be a whole one): the pages are read from a local server.
    let out = site.tmp().join("public");
    Build::of(&site.root)
        .now("2026-10-14")
        .output(&out)
        .run()
        .expect_success();
    let built = fs::read_to_string(out.join("index.html")).expect("read index");
    assert_eq!(
        built.matches("badge badge-active").count(),
        3,
        "all active when built"
    );
    let day = "2026-11-30";
    let today: NaiveDate = day.parse().expect("date");
    let report = seen_on(
        &out,
        day,
        &[
            "/",
            "/groups/london-calls/",
            "/groups/quiet-interest/",
            "/meetings/",
        ],
    );
    for (page, seen) in report.as_object().expect("pages") {
        assert_eq!(
            seen["problems"],
            serde_json::json!([]),
            "{page}: console errors"
        );
        for (datetime, text) in seen["asOf"]
            .as_array()
            .expect("as of")
            .iter()
            .map(|t| (&t[0], &t[1]))
        {
            assert_eq!(
                (datetime, text),
                (&serde_json::json!(day), &serde_json::json!(day)),
                "{page}"
            );
        }
        let footer = seen["footer"].as_str().expect("footer");
        assert!(
            footer.contains(&format!(
                "counted as of {day}, today; the site was built on 2026-10-14"
            )),
            "{page}: {footer}"
        );
    }

    // Every badge says what it should on the visitor's day.
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for page in ["/", "/groups/london-calls/", "/groups/quiet-interest/"] {
        for badge in report[page]["badges"].as_array().expect("badges") {
            if badge["status"] != "active" {
                continue;
            }
            let last = badge["last"].as_str().expect("last activity");
            let (standing, text) = expected_badge(
                last,
                badge["threshold"].as_i64().expect("threshold"),
                badge["atRiskDays"].as_i64().expect("at-risk days"),
                today,
            );
            assert_eq!(
                (badge["class"].as_str(), badge["text"].as_str()),
                (
                    Some(format!("badge badge-{standing}").as_str()),
                    Some(text.as_str())
                ),
                "{page}"
            );
            expected.insert(last.to_string(), standing);
        }
    }
    let three: BTreeMap<String, String> = [
        ("2026-09-01", "at-risk"),
        ("2026-10-01", "active"),
        ("2026-10-10", "stale"),
    ]
    .map(|(last, standing)| (last.to_string(), standing.to_string()))
    .into();
    assert_eq!(
        expected, three,
        "the visitor's day puts the three active groups apart"
    );

    // The directory agrees with its badges: each card's class with its badge, the sections (by
    // kind and status, never by health: a card stays where it is) and the introduction counted,
    // empty sections hidden.
    let directory = &report["/"];
    let mut standing_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_standing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for section in directory["sections"].as_array().expect("sections") {
        let id = section["id"].as_str().expect("id");
        let cards = section["cards"].as_array().expect("cards");
        assert_eq!(section["hidden"], cards.is_empty(), "section {id}");
        assert_eq!(
            section["count"],
            format!("({})", cards.len()),
            "section {id}"
        );
        for card in cards {
            let standing = card["standing"].as_str().expect("standing");
            assert_eq!(card["class"], format!("card card-{standing}"), "{card}");
            assert_eq!(card["badge"], format!("badge badge-{standing}"), "{card}");
            *standing_counts.entry(standing.to_string()).or_default() += 1;
            by_standing
                .entry(standing.to_string())
                .or_default()
                .push(card["slug"].as_str().expect("slug").to_string());
        }
    }
    for standing in ["at-risk", "stale"] {
        let n = standing_counts.get(standing).copied().unwrap_or(0);
        assert_eq!(
            directory["counts"][standing],
            serde_json::json!({"hidden": n == 0, "n": n.to_string()}),
            "the introduction's count of {standing}"
        );
    }
    assert_eq!(by_standing["stale"], ["london-calls"]);
    assert_eq!(by_standing["at-risk"], ["quiet-interest"]);
    assert_eq!(by_standing["active"], ["unconfirmed-week"]);
    let section_of = |slug: &str| -> String {
        directory["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| {
                s["cards"]
                    .as_array()
                    .expect("cards")
                    .iter()
                    .any(|c| c["slug"] == slug)
            })
            .map(|s| s["id"].as_str().expect("id").to_string())
            .unwrap_or_default()
    };
    assert_eq!(section_of("quiet-interest"), "interest-groups");
    assert_eq!(section_of("unconfirmed-week"), "interest-groups");
    assert_eq!(section_of("london-calls"), "working-groups");

    // A group's page counts its days to the visitor's day, and says so when it has gone quiet.
    for (page, days, standing) in [
        ("/groups/london-calls/", 51, "stale"),
        ("/groups/quiet-interest/", 90, "at-risk"),
    ] {
        let group = &report[page]["group"];
        assert_eq!(group["standing"], standing, "{page}");
        assert_eq!(group["class"], format!("group group-{standing}"), "{page}");
        // Both counts (the notice, the last activity) are of the days since the last activity.
        let counts = group["daysSince"].as_array().expect("days");
        assert_eq!(counts.len(), 2, "{page}: {group}");
        for count in counts {
            let since: NaiveDate = count[0].as_str().expect("since").parse().expect("date");
            assert_eq!(count[1], days.to_string(), "{page}: {group}");
            assert_eq!((today - since).num_days(), days, "{page}: {group}");
        }
        assert_eq!(
            group["notice"],
            standing == "stale",
            "{page}: the gone-quiet notice"
        );
    }

    // The next meetings, on the meetings page and on a group's own page, from the visitor's day.
    let london_page = &report["/groups/london-calls/"]["meetings"][0];
    let meetings = report["/meetings/"]["meetings"]
        .as_array()
        .expect("meetings");
    let london = meetings
        .iter()
        .find(|m| m["title"] == "London Calls")
        .expect("London Calls");
    for seen in [london, london_page] {
        // Fortnightly from Tuesday 13 October: 8 December is the next; 16:00 GMT is 16:00 UTC.
        assert_eq!(seen["next"], "2026-12-08", "{seen}");
        assert_eq!(seen["nextUtc"], "2026-12-08T16:00Z", "{seen}");
        assert_eq!(seen["utc"], "16:00 UTC", "{seen}");
        assert!(
            seen["local"].as_str().is_some_and(|l| l.contains("16:00")),
            "{seen}"
        );
    }
    let unconfirmed = meetings
        .iter()
        .find(|m| m["title"] == "Unconfirmed Week")
        .expect("Unconfirmed Week");
    assert_eq!(unconfirmed["next"], serde_json::Value::Null);
    assert_eq!(unconfirmed["utc"], "00:30 UTC", "09:30 in Tokyo");
    assert!(
        unconfirmed["local"]
            .as_str()
            .is_some_and(|l| l.contains("00:30")),
        "{unconfirmed}"
    );
    let order: Vec<&str> = meetings
        .iter()
        .map(|m| m["nextUtc"].as_str().unwrap_or("~"))
        .collect();
    assert!(order.is_sorted(), "soonest first: {order:?}");
}

/// What `check_published.py` made of a built site with feedparser, an XML parser and jsonschema.
fn published(out: &Path) -> serde_json::Value {
    let run = Run::of(
        Command::new(common::python())
            .arg(repo().join("tests/support/check_published.py"))
            .arg(out),
    );
    run.expect_success();
    serde_json::from_slice(&run.output.stdout).expect("check_published.py prints JSON")
}

#[test]
fn a_build_without_an_address_writes_no_relative_url_and_says_so_once() {
    let site = Site::from_fixture("publish");
    let out = site.tmp().join("public");
    let run = Build::of(&site.root).now("2026-10-14").output(&out).run();
    run.expect_success();
    let stderr = run.stderr();
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning:") && l.contains("URL"))
        .collect();
    assert_eq!(warnings.len(), 1, "one warning about the address: {stderr}");
    assert!(
        warnings[0].starts_with(&format!(
            "{}:1:1: warning: no base URL",
            site.root.join("site.toml").display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("`base_url") && stderr.contains("--base-url"),
        "the warning says how to give the address: {stderr}"
    );

    for left_out in ["sitemap.xml", "feed.xml"] {
        assert!(!out.join(left_out).exists(), "{left_out} was written");
    }
    let robots = fs::read_to_string(out.join("robots.txt")).expect("robots.txt");
    assert!(!robots.contains("Sitemap"), "{robots}");
    for page in html_pages(&out) {
        let html = fs::read_to_string(out.join(&page)).expect("read page");
        for absent in ["rel=\"canonical\"", "og:url", "feed.xml"] {
            assert!(!html.contains(absent), "{page} has {absent}");
        }
    }
    let report = published(&out);
    assert_eq!(report["feed"], serde_json::Value::Null);
    assert_eq!(report["sitemap"], serde_json::Value::Null);
    assert_eq!(
        report["schemas"]["ids"],
        serde_json::json!({"group": null, "groups": null}),
        "a schema's $id must be absolute or absent"
    );
    let calendars = parse_calendars(
        "2026-10-14",
        &[
            out.join("meetings.ics"),
            out.join("groups/london-calls/meetings.ics"),
        ],
    );
    for (file, calendar) in calendars.as_object().expect("files") {
        for event in calendar["events"].as_array().expect("events") {
            assert_eq!(
                event["url"], "None",
                "{file}: an event URL without the site's address"
            );
            let description = event["description"].as_str().expect("description");
            assert!(!description.contains("/groups/"), "{file}: {description}");
        }
    }
}

#[test]
fn the_feed_and_the_sitemap_satisfy_third_party_parsers() {
    let site = Site::from_fixture("publish");
    // site.toml names one address, --base-url another: the command line wins, as on Netlify.
    let text = common::read(&site.root, "site.toml");
    site.write(
        "site.toml",
        format!("{text}base_url = \"https://published.example.org/\"\n"),
    );
    let base = "https://preview--site.example.org/sub/";
    let out = build(&site, "public", "2026-10-14", base);
    let report = published(&out);

    let feed = &report["feed"];
    assert_eq!(
        feed["bozo"], false,
        "feedparser: {}",
        feed["bozo_exception"]
    );
    assert_eq!(feed["version"], "atom10");
    assert_eq!(feed["id"], base);
    let entries = feed["entries"].as_array().expect("entries");
    assert!(entries.len() >= 6, "{feed}");
    for entry in entries {
        for key in ["id", "link"] {
            let url = entry[key].as_str().unwrap_or_default();
            assert!(
                url.starts_with("https://"),
                "entry {key} is not absolute: {entry}"
            );
        }
        assert!(
            entry["updated"].as_str().is_some_and(|u| !u.is_empty()),
            "{entry}"
        );
    }

    let sitemap = &report["sitemap"];
    assert_eq!(
        sitemap["root"],
        "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    );
    let locs = sitemap["locs"].as_array().expect("locs");
    assert_eq!(
        locs.len(),
        html_pages(&out).len() - 1,
        "every page but 404.html"
    );
    assert!(
        locs.iter()
            .all(|l| l.as_str().is_some_and(|l| l.starts_with(base))),
        "{locs:#?}"
    );
    let robots = fs::read_to_string(out.join("robots.txt")).expect("robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml")),
        "{robots}"
    );
    let ics = fs::read_to_string(out.join("groups/london-calls/meetings.ics")).expect("ics");
    assert!(
        ics.contains(&format!("URL:{base}groups/london-calls/")),
        "{ics}"
    );
    assert!(
        !ics.contains("published.example.org"),
        "--base-url overrides site.toml"
    );
}

#[test]
fn the_published_json_is_a_versioned_api_with_schemas_that_name_themselves() {
    let site = Site::from_fixture("publish");
    let base = "https://groups.example.org/directory/";
    let out = build(&site, "public", "2026-10-14", base);
    let directory: serde_json::Value =
        serde_json::from_str(&common::read(&out, "groups.json")).expect("groups.json");
    assert_eq!(
        directory["version"], 2,
        "groups.json says its format version"
    );

    // The Rust JSON Schema validator, through the schemas' own addresses.
    let schema = |name: &str| -> serde_json::Value {
        serde_json::from_str(&common::read(&out, &format!("schema/{name}"))).expect("schema")
    };
    let (group, groups) = (schema("group.schema.json"), schema("groups.schema.json"));
    assert_eq!(group["$id"], format!("{base}schema/group.schema.json"));
    assert_eq!(groups["$id"], format!("{base}schema/groups.schema.json"));
    assert_eq!(
        directory["$schema"], groups["$id"],
        "groups.json names its schema"
    );
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&groups)
        .expect("groups.schema.json is a schema");
    let errors: Vec<String> = validator
        .iter_errors(&directory)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let mut wrong_version = directory.clone();
    wrong_version["version"] = serde_json::json!(1);
    assert!(
        !validator.is_valid(&wrong_version),
        "the schema pins the version"
    );

    // Python's jsonschema, with a registry keyed by the $ids.
    let report = published(&out);
    assert_eq!(
        report["schemas"],
        serde_json::json!({
            "ids": {"group": group["$id"], "groups": groups["$id"]},
            "groups_json_errors": []
        })
    );
}

/// The headers Netlify's own configuration parser (@netlify/config, in the test tools) gives each
/// of `paths`.
fn netlify_headers_for(paths: &[&str]) -> serde_json::Value {
    let run = Run::of(
        Command::new("node")
            .arg(repo().join("tests/support/netlify_headers.mjs"))
            .arg(common::node_modules())
            .arg(repo())
            .args(paths),
    );
    run.expect_success();
    serde_json::from_slice(&run.output.stdout).expect("netlify_headers.mjs prints JSON")
}

#[test]
fn netlify_lets_other_sites_fetch_the_data_and_nothing_else() {
    let data = [
        "/groups.json",
        "/schema/group.schema.json",
        "/schema/groups.schema.json",
    ];
    let pages = ["/", "/groups/auth/", "/feed.xml", "/meetings.ics"];
    let headers = netlify_headers_for(&[&data[..], &pages[..]].concat());
    for path in data {
        assert_eq!(
            headers[path]["Access-Control-Allow-Origin"], "*",
            "{path}: {}",
            headers[path]
        );
    }
    for path in pages {
        assert_eq!(
            headers[path].get("Access-Control-Allow-Origin"),
            None,
            "{path}: {}",
            headers[path]
        );
        assert_eq!(headers[path]["X-Content-Type-Options"], "nosniff", "{path}");
    }
}

#[test]
fn netlify_serves_every_calendar_as_text_calendar() {
    let calendars = [
        "/meetings.ics",
        "/groups/auth/meetings.ics",
        "/groups/auth/meetings/office-hours.ics",
    ];
    let headers = netlify_headers_for(&calendars);
    for path in calendars {
        assert_eq!(
            headers[path]["Content-Type"], "text/calendar; charset=utf-8",
            "{path}: {}",
            headers[path]
        );
    }
}

#[test]
fn a_group_page_says_when_the_group_meets_next_and_links_its_channel() {
    let site = Site::from_fixture("publish");
    let channel = "https://discord.com/channels/1358869848138059966/1464745826629976084";
    let invite = "https://discord.gg/6CSzBmMkjX";
    // Front-matter lines added before `facilitators` in a group file.
    let add = |slug: &str, lines: &str| {
        let path = format!("content/groups/{slug}.md");
        let text = common::read(&site.root, &path);
        site.write(
            &path,
            text.replacen("facilitators", &format!("{lines}\nfacilitators"), 1),
        );
    };
    add(
        "london-calls",
        &format!("discord = \"#london-calls-wg\"\ndiscord_url = \"{channel}\""),
    );
    add("quiet-interest", "discord = \"#quiet-interest-ig\"");
    let settings = common::read(&site.root, "site.toml");
    site.write(
        "site.toml",
        format!("{settings}discord_invite = \"{invite}\"\n"),
    );
    // Two weeks before the clocks go back in London: the next call, on the 27th, is at 16:00 GMT.
    let out = build(&site, "public", "2026-10-14", FIXTURE_URL);

    let page = common::read(&out, "groups/london-calls/index.html");
    assert!(
        page.contains(&format!("<a href=\"{channel}\">#london-calls-wg</a>")),
        "{page}"
    );
    let next = "<time class=\"next\" datetime=\"2026-10-27T16:00Z\">2026-10-27</time>, <span class=\"utc\">16:00 UTC</span>";
    assert!(page.contains(next), "{page}");
    assert!(
        page.contains("<span class=\"local\" hidden></span>"),
        "the visitor's time is for fresh.js"
    );
    let ics = "/groups/london-calls/meetings.ics";
    assert!(
        page.contains(&format!(
            "<a href=\"{ics}\">Add to your calendar (.ics)</a>"
        )),
        "{page}"
    );
    assert!(out.join(&ics[1..]).is_file());

    // Without the channel's address, the name, and the community's invite when one is on record.
    let page = common::read(&out, "groups/quiet-interest/index.html");
    assert!(
        page.contains(&format!(
            "<code>#quiet-interest-ig</code> on <a href=\"{invite}\">"
        )),
        "{page}"
    );
    site.write("site.toml", &settings);
    let out = build(&site, "no-invite", "2026-10-14", FIXTURE_URL);
    let page = common::read(&out, "groups/quiet-interest/index.html");
    assert!(
        page.contains("<code>#quiet-interest-ig</code></dd>"),
        "{page}"
    );
    assert!(!page.contains("discord.gg"), "no invite is made up");
    // A group whose week is not known has no date, but its time of day.
    let page = common::read(&out, "groups/unconfirmed-week/index.html");
    assert!(
        page.contains(
            "<span class=\"next\">Week to be confirmed</span>, <span class=\"utc\">00:30 UTC</span>"
        ),
        "{page}"
    );
}

/// Issue 23: a page read long after its build must not call quiet groups stale when its own
/// horizon has aged: `fresh.js` turns their verdict into unknown, in the badge's words.
#[test]
fn the_browser_turns_a_verdict_into_unknown_when_the_pages_horizon_ages() {
    let site = Site::from_fixture("sync/site");
    site.write(
        "data/activity.toml",
        "[_read]\n\"repository o/registry\" = 2026-11-20T06:00:00Z\n\n[[registry]]\ndate = 2026-11-10\nkind = \"pull-request-merged\"\ntitle = \"Server search\"\nurl = \"https://github.com/o/registry/pull/31\"\nsource = \"repository o/registry\"\n",
    );
    // Built on 2026-11-20, read that day: Registry's last pull request is 10 days old, active.
    let out = site.tmp().join("public");
    Build::of(&site.root)
        .now("2026-11-20")
        .output(&out)
        .run()
        .expect_success();
    let built = fs::read_to_string(out.join("groups/registry/index.html")).expect("page");
    assert!(built.contains("badge badge-active"), "{built}");
    let registry = |report: &serde_json::Value| -> (String, String) {
        let badge = &report["/groups/registry/"]["badges"][0];
        (
            badge["class"].as_str().unwrap().to_string(),
            badge["text"].as_str().unwrap().to_string(),
        )
    };
    // Seen on 2026-11-22, within the grace: still active.
    let report = seen_on(&out, "2026-11-22", &["/groups/registry/"]);
    assert_eq!(registry(&report).0, "badge badge-active");
    // Seen on 2026-12-30: 50 days without a pull request as far as the page knows, but its record
    // ends on 2026-11-20: unknown, not stale. The Quiet IG (no sources, 90 days) is at risk.
    let report = seen_on(&out, "2026-12-30", &["/groups/registry/", "/"]);
    assert_eq!(
        registry(&report),
        (
            "badge badge-unknown".to_string(),
            "Unknown: not read since 2026-11-20".to_string()
        )
    );
    let quiet = report["/"]["badges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["last"] == "2026-10-01")
        .expect("the Quiet IG's badge");
    assert_eq!(
        quiet["class"], "badge badge-at-risk",
        "a group without sources keeps the rules of typed dates"
    );
}

/// The published schemas compile in Ajv's strict mode (the test tools' ajv, with ajv-formats):
/// only standard formats, every required property defined; `groups.json` is valid against its
/// schema there too, and names it in `$schema`, relative without the site's address.
#[test]
fn the_published_schemas_compile_in_ajv_strict_mode() {
    let site = Site::from_fixture("publish");
    for (output, base) in [
        (
            "with-address",
            Some("https://groups.example.org/directory/"),
        ),
        ("without", None),
    ] {
        let out = match base {
            Some(base) => build(&site, output, "2026-10-14", base),
            None => {
                let out = site.tmp().join(output);
                Build::of(&site.root)
                    .now("2026-10-14")
                    .output(&out)
                    .run()
                    .expect_success();
                out
            }
        };
        let directory: serde_json::Value =
            serde_json::from_str(&common::read(&out, "groups.json")).expect("groups.json");
        let expected = format!("{}schema/groups.schema.json", base.unwrap_or(""));
        assert_eq!(directory["$schema"], expected.as_str(), "{output}");
        let (group, groups, json) = (
            out.join("schema/group.schema.json"),
            out.join("schema/groups.schema.json"),
            out.join("groups.json"),
        );
        let args = [
            group.as_os_str(),
            groups.as_os_str(),
            std::ffi::OsStr::new("--validate"),
            groups.as_os_str(),
            json.as_os_str(),
        ];
        let run = common::node_script("ajv_check.mjs", &args);
        let report: serde_json::Value =
            serde_json::from_slice(&run.output.stdout).expect("ajv_check.mjs prints JSON");
        let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
        assert_eq!(
            report,
            serde_json::json!({
                "compiled": { path(&group): null, path(&groups): null },
                "valid": { path(&json): null }
            }),
            "{output}"
        );
        run.expect_success();
    }
}

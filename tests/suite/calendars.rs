//! Calendars in zones with unusual rules, read by two independent iCalendar readers and compared
//! with the IANA tz database; meetings at wall times the clocks skip or repeat.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{Build, Run, Site, repo};
use serde_json::Value;

/// The day the fixture is built on, and the two years of meetings compared from it.
const BUILT: &str = "2026-11-25";
const UNTIL: &str = "2028-11-25";

/// Chile's clocks change at midnight on Saturdays, Morocco's around Ramadan (no yearly rule
/// gives those dates), Ireland's winter time is a negative daylight saving, and Lord Howe's
/// clocks move by half an hour.
const UNUSUAL_ZONES: [(&str, usize); 4] = [
    ("santiago", 104),
    ("casablanca", 104),
    ("dublin", 52),
    ("lord-howe", 104),
];

/// Every meeting of `calendar` in the two years, as each reader and the tz database see it.
fn occurrences(calendar: &Path) -> Value {
    let run = Run::of(
        Command::new(common::python())
            .arg(repo().join("tests/support/ics_occurrences.py"))
            .args([BUILT, UNTIL])
            .arg(calendar),
    );
    run.expect_success();
    let report: Value = serde_json::from_slice(&run.output.stdout).expect("JSON");
    report[calendar.to_str().expect("UTF-8 path")].clone()
}

fn built_zones() -> (Site, std::path::PathBuf) {
    let site = Site::from_fixture("zones");
    let out = site.tmp().join("public");
    Build::of(&site.root)
        .now(BUILT)
        .output(&out)
        .run()
        .expect_success();
    (site, out)
}

#[test]
fn two_readers_agree_with_the_tz_database_for_two_years_in_unusual_zones() {
    let (_site, out) = built_zones();
    let all = occurrences(&out.join("meetings.ics"));
    for (slug, at_least) in UNUSUAL_ZONES {
        let own = occurrences(&out.join(format!("groups/{slug}/meetings.ics")));
        for (file, report) in [("meetings.ics", &all), ("the group's file", &own)] {
            let event = &report[format!("meetings-{slug}@zones.example.org")];
            let expected = event["expected"].as_array().expect("expected");
            assert!(
                expected.len() >= at_least,
                "{slug} in {file}: {} meetings",
                expected.len()
            );
            for reader in ["icalendar", "vobject"] {
                let got = event[reader].as_array().expect(reader);
                let wrong: Vec<_> = expected
                    .iter()
                    .zip(got)
                    .filter(|(want, got)| want != got)
                    .take(3)
                    .collect();
                assert!(
                    got.len() == expected.len() && wrong.is_empty(),
                    "{slug} in {file}: {reader} reads {} meetings, {} expected; first wrong \
                     (expected, read): {wrong:?}",
                    got.len(),
                    expected.len()
                );
            }
        }
    }
}

#[test]
fn listed_clock_changes_take_one_rdate_line_each() {
    let (_site, out) = built_zones();
    for slug in ["santiago", "casablanca"] {
        let ics = fs::read_to_string(out.join(format!("groups/{slug}/meetings.ics"))).unwrap();
        // Unfold the content lines (RFC 5545 §3.1) before reading them.
        let unfolded = ics.replace("\r\n ", "");
        let rdates: Vec<&str> = unfolded
            .lines()
            .filter(|l| l.starts_with("RDATE"))
            .collect();
        assert!(rdates.len() >= 20, "{slug}: {rdates:?}");
        for line in rdates {
            assert_eq!(line.len(), "RDATE:20270404T000000".len(), "{slug}: {line}");
        }
    }
}

#[test]
fn a_meeting_at_a_skipped_or_repeated_time_warns_at_check_and_the_calendar_says_the_rule() {
    let site = Site::from_fixture("zones");
    let run = site.run(&["check", "--now", BUILT]);
    run.expect_success();
    let stderr = run.stderr();
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(
        warnings,
        [
            "content/groups/repeated-hour.md:15:8: warning: the meeting time 01:30 happens twice in \
             America/New_York on 2027-11-07, when the clocks go back: by the calendar rule \
             (RFC 5545) the meeting starts at the first, 01:30 EDT",
            "content/groups/skipped-hour.md:15:8: warning: the meeting time 02:30 does not exist in \
             America/New_York on 2027-03-14, when the clocks go forward: by the calendar rule \
             (RFC 5545) the meeting starts at 03:30 EDT that day",
        ],
        "{stderr}"
    );
    assert_eq!(
        stderr
            .matches("hint: choose a time the clocks never skip")
            .count(),
        2,
        "{stderr}"
    );

    let out = site.tmp().join("public");
    Build::of(&site.root)
        .now(BUILT)
        .output(&out)
        .run()
        .expect_success();
    for (slug, day, rule) in [
        ("skipped-hour", "2027-03-14", "02:30 does not exist"),
        ("repeated-hour", "2027-11-07", "01:30 happens twice"),
    ] {
        let report = occurrences(&out.join(format!("groups/{slug}/meetings.ics")));
        let event = &report[format!("meetings-{slug}@zones.example.org")];
        let description = event["description"].as_str().expect("description");
        assert!(
            description.contains(&format!("{rule} in America/New_York on {day}")),
            "{slug}: {description}"
        );
        // The RFC's reading, which the description states, is the tz database's with fold=0.
        let expected: Vec<&str> = event["expected"]
            .as_array()
            .expect("expected")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let on_the_day = expected.iter().find(|t| t.starts_with(day));
        let utc = if slug == "skipped-hour" {
            "2027-03-14T07:30:00+00:00"
        } else {
            "2027-11-07T05:30:00+00:00"
        };
        assert_eq!(on_the_day, Some(&utc), "{slug}");
    }

    // The group page places the meeting of that day by the same rule.
    let out = site.tmp().join("before-the-change");
    Build::of(&site.root)
        .now("2027-03-10")
        .output(&out)
        .run()
        .expect_success();
    let page = common::read(&out, "groups/skipped-hour/index.html");
    assert!(
        page.contains("datetime=\"2027-03-14T07:30Z\""),
        "the next meeting is 03:30 EDT, 07:30 UTC:\n{page}"
    );
}

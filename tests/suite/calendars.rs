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

/// The next ten starts of every event of `calendars` as three clients read them.
fn next_ten(from: &str, calendars: &[std::path::PathBuf]) -> Value {
    let run = Run::of(
        Command::new(common::python())
            .arg(repo().join("tests/support/ics_next_ten.py"))
            .arg(from)
            .args(calendars),
    );
    run.expect_success();
    serde_json::from_slice(&run.output.stdout).expect("JSON")
}

/// Every `.ics` file of a built site.
fn calendar_files(out: &Path) -> Vec<std::path::PathBuf> {
    common::read_tree(out)
        .into_keys()
        .filter(|p| p.ends_with(".ics"))
        .map(|p| out.join(p))
        .collect()
}

/// Asserts that the three clients agree on every event of every file, and returns the events
/// by UID as the first client read them.
fn agreeing(from: &str, out: &Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let files = calendar_files(out);
    assert!(files.len() >= 2, "calendars in {}", out.display());
    let report = next_ten(from, &files);
    let mut events = std::collections::BTreeMap::new();
    for (file, uids) in report.as_object().expect("files") {
        for (uid, readers) in uids.as_object().expect("uids") {
            let read = |name: &str| readers[name].clone();
            let first = read("recurring_ical_events");
            assert!(
                first.as_array().is_some_and(|a| !a.is_empty()),
                "{file} {uid}: nothing read"
            );
            for other in ["vobject", "dateutil"] {
                assert_eq!(
                    read(other),
                    first,
                    "{file} {uid}: {other} and recurring-ical-events"
                );
            }
            let starts: Vec<String> = first
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            events.insert(uid.clone(), starts);
        }
    }
    events
}

#[test]
fn three_clients_agree_on_the_next_ten_meetings_with_exceptions_and_monthly_rules() {
    let site = Site::from_fixture("meetings");
    let out = site.tmp().join("public");
    site.build()
        .now("2026-12-01")
        .output(&out)
        .run()
        .expect_success();
    for file in [
        "meetings.ics",
        "groups/two-meetings/meetings.ics",
        "groups/two-meetings/meetings/working-session.ics",
        "groups/two-meetings/meetings/office-hours.ics",
        "groups/two-meetings/meetings/roadmap-review.ics",
        "groups/last-friday/meetings/meeting-1.ics",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    // Listed, never in a calendar.
    assert!(
        !out.join("groups/two-meetings/meetings/planning.ics")
            .exists()
    );
    assert!(
        !out.join("groups/last-friday/meetings/as-needed.ics")
            .exists()
    );
    let events = agreeing("2026-12-01", &out);
    // Monthly on the second Tuesday at 16:00 in Santiago: 8 December cancelled, 12 January moved
    // to the 13th at 17:00.
    let working = &events["meetings-two-meetings.working-session@meetings.example.org"];
    assert_eq!(
        working[..3],
        [
            "2027-01-13T20:00:00+00:00",
            "2027-02-09T19:00:00+00:00",
            "2027-03-09T19:00:00+00:00"
        ]
    );
    // Kathmandu is 5:45 ahead of UTC; 31 December is cancelled.
    let office = &events["meetings-two-meetings.office-hours@meetings.example.org"];
    assert_eq!(office[0], "2026-12-03T03:45:00+00:00");
    assert!(
        !office.iter().any(|t| t.starts_with("2026-12-31")),
        "{office:?}"
    );
    assert!(
        office.iter().any(|t| t.starts_with("2027-01-07")),
        "{office:?}"
    );
    // The one-off session in Lord Howe, at 20:00 local (UTC+11 in its summer).
    assert_eq!(
        events["meetings-two-meetings.roadmap-review@meetings.example.org"],
        ["2026-12-03T09:00:00+00:00"]
    );
    // The last Friday in Casablanca, whose clocks go back an hour during Ramadan.
    let casablanca = &events["meetings-last-friday@meetings.example.org"];
    assert_eq!(casablanca[0], "2026-12-25T13:00:00+00:00");
    assert!(
        casablanca.contains(&"2027-02-26T14:00:00+00:00".to_string()),
        "{casablanca:?}"
    );
}

#[test]
fn three_clients_agree_on_the_unusual_zones_and_the_bundled_calendars() {
    let (_site, out) = built_zones();
    let zones = agreeing(BUILT, &out);
    for slug in ["santiago", "casablanca", "dublin", "lord-howe"] {
        let uid = format!("meetings-{slug}@zones.example.org");
        assert_eq!(zones[&uid].len(), 10, "{uid}");
    }
    let (_tmp, bundled) = common::build_repo(&[]);
    let events = agreeing(common::TODAY, &bundled);
    // Every two weeks from Thursday 9 October 2025, 16:00 London (the group's README).
    let finance = events
        .iter()
        .find(|(uid, _)| uid.starts_with("meetings-financial-services@"))
        .map(|(_, starts)| starts)
        .expect("the Financial Services IG is in the calendars");
    assert_eq!(finance.len(), 10);
    for start in finance {
        let day: chrono::NaiveDate = start[..10].parse().unwrap();
        let first: chrono::NaiveDate = "2025-10-09".parse().unwrap();
        assert_eq!((day - first).num_days() % 14, 0, "{start}");
    }
}

/// A group whose meetings' names collide: two without a name, two whose names have the same
/// words, and two alike in name, cadence and time (in other zones).
const ALIKE: &str = r##"+++
title = "Alike"
kind = "interest-group"
status = "active"
summary = "Meets in several meetings that look alike."
created = 2026-09-01
last_activity = 2026-11-20
discord = "#alike-ig"
facilitators = [{ name = "Person 3" }]
first_topic = "Meetings that look alike."
+++
A group with meetings alike.
"##;

const ALIKE_MEETINGS: [&str; 6] = [
    "every_weeks = 1\nday = \"Monday\"\ntime = \"10:00\"\ntimezone = \"Europe/Paris\"\n",
    "every_weeks = 1\nday = \"Wednesday\"\ntime = \"10:00\"\ntimezone = \"Europe/Paris\"\n",
    "name = \"Sync\"\nmonthly = \"first Tuesday\"\ntime = \"16:00\"\ntimezone = \"UTC\"\n",
    "name = \"sync!\"\nevery_weeks = 1\nday = \"Friday\"\ntime = \"09:00\"\ntimezone = \"UTC\"\n",
    "name = \"Office hours\"\nevery_weeks = 1\nday = \"Thursday\"\ntime = \"09:30\"\ntimezone = \"Asia/Tokyo\"\n",
    "name = \"office Hours\"\nevery_weeks = 1\nday = \"Thursday\"\ntime = \"09:30\"\ntimezone = \"America/Lima\"\n",
];

/// The `alike` group with its meetings in the order `order` gives.
fn alike(order: [usize; 6]) -> String {
    let meetings: String = order
        .iter()
        .map(|i| format!("\n[[meetings]]\n{}", ALIKE_MEETINGS[*i]))
        .collect();
    ALIKE.replacen("\n+++\nA group", &format!("{meetings}+++\nA group"), 1)
}

/// `two-meetings.md` with its first two `[[meetings]]` tables swapped.
fn swapped(text: &str) -> String {
    let parts: Vec<&str> = text.split("[[meetings]]\n").collect();
    assert_eq!(parts.len(), 5, "four meetings: {text}");
    [parts[0], parts[2], parts[1], parts[3], parts[4]].join("[[meetings]]\n")
}

#[test]
fn reordering_meetings_keeps_every_events_uid_and_alike_meetings_get_distinct_ones() {
    let site = Site::from_fixture("meetings");
    site.write("content/groups/alike.md", alike([0, 1, 2, 3, 4, 5]));
    let build = |name: &str| {
        let out = site.tmp().join(name);
        site.build()
            .now("2026-12-01")
            .output(&out)
            .run()
            .expect_success();
        agreeing("2026-12-01", &out)
    };
    let before = build("before");
    let uids = |slug: &str| -> Vec<&str> {
        (before.keys())
            .filter(|uid| uid.starts_with(&format!("meetings-{slug}")))
            .map(String::as_str)
            .collect()
    };
    assert_eq!(
        uids("two-meetings"),
        [
            "meetings-two-meetings.office-hours@meetings.example.org",
            "meetings-two-meetings.roadmap-review@meetings.example.org",
            "meetings-two-meetings.working-session@meetings.example.org",
        ]
    );
    assert_eq!(
        uids("alike"),
        [
            "meetings-alike.office-hours-weekly-thursday-0930-1@meetings.example.org",
            "meetings-alike.office-hours-weekly-thursday-0930-2@meetings.example.org",
            "meetings-alike.sync-monthly-first-tuesday-1600@meetings.example.org",
            "meetings-alike.sync-weekly-friday-0900@meetings.example.org",
            "meetings-alike.weekly-monday-1000@meetings.example.org",
            "meetings-alike.weekly-wednesday-1000@meetings.example.org",
        ],
        "every event its own UID, whatever the names"
    );
    // A group's only meeting in calendars keeps the UID it always had, named or not.
    assert!(before.contains_key("meetings-last-friday@meetings.example.org"));
    // Each meeting's own calendar says the same UID as the group's.
    let own = fs::read_to_string(
        site.tmp()
            .join("before/groups/two-meetings/meetings/office-hours.ics"),
    )
    .unwrap();
    assert!(
        own.contains("UID:meetings-two-meetings.office-hours@meetings.example.org\r\n"),
        "{own}"
    );

    // The same meetings in another order: the same events under the same UIDs. (The two alike in
    // all but their zone keep their order: nothing else tells them apart.)
    let path = "content/groups/two-meetings.md";
    site.write(path, swapped(&site.read(path)));
    site.write("content/groups/alike.md", alike([3, 4, 1, 5, 2, 0]));
    let path = "content/groups/last-friday.md";
    let text = site.read(path);
    let (head, rest) = text.split_once("[[meetings]]\n").unwrap();
    let (monthly, as_needed) = rest.split_once("[[meetings]]\n").unwrap();
    let (as_needed, tail) = as_needed.split_once("+++").unwrap();
    site.write(
        path,
        format!("{head}[[meetings]]\n{as_needed}\n[[meetings]]\n{monthly}+++{tail}"),
    );
    let after = build("after");
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    assert_eq!(after, before, "each UID, the same meetings");
}

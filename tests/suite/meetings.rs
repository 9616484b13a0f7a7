//! A group with several meetings, a monthly cadence, a cancelled and a moved date and a one-off
//! session, on the meetings page, on its own page and in `groups.json`; mistakes in meetings
//! reported where they are written.

use crate::common;

use common::{Site, read, text_of};

const NOW: &str = "2026-12-01";

fn built() -> (Site, std::path::PathBuf) {
    let site = Site::from_fixture("meetings");
    let out = site.tmp().join("public");
    site.build().now(NOW).output(&out).run().expect_success();
    (site, out)
}

#[test]
fn the_meetings_page_lists_the_coming_two_weeks_with_links_and_cancellations() {
    let (_site, out) = built();
    let page = read(&out, "meetings/index.html");
    let text = text_of(&page);
    // Soonest first across groups, each in its own zone and in UTC.
    let coming: Vec<String> = page
        .split("<li class=\"slot")
        .skip(1)
        .map(|row| {
            let row = &row[row.find('>').unwrap() + 1..row.find("</li>").unwrap()];
            text_of(row)
        })
        .collect();
    assert_eq!(
        coming,
        [
            "Thursday 2026-12-03, 09:30 Asia/Kathmandu (03:45 UTC ) : Two Meetings , Office hours · Calendar (.ics)",
            "Thursday 2026-12-03, 20:00 Australia/Lord_Howe (09:00 UTC ) : Two Meetings , Roadmap review · Calendar (.ics)",
            "Tuesday 2026-12-08, 16:00 America/Santiago (19:00 UTC ) cancelled : Two Meetings , Working session · Notes · Join · Calendar (.ics)",
            "Thursday 2026-12-10, 09:30 Asia/Kathmandu (03:45 UTC ) : Two Meetings , Office hours · Calendar (.ics)",
        ],
        "{text}"
    );
    // Each row links its group, its notes and its own calendar file, which exists.
    for link in [
        "href=\"/groups/two-meetings/\"",
        "href=\"https://example.org/notes/working-session\"",
        "href=\"/groups/two-meetings/meetings/working-session.ics\"",
        "href=\"/groups/two-meetings/meetings/office-hours.ics\"",
        "href=\"/groups/two-meetings/meetings/roadmap-review.ics\"",
        "data-start=\"2026-12-03T03:45Z\" data-end=\"2026-12-03T04:15Z\"",
    ] {
        assert!(page.contains(link), "{link} in {page}");
    }
    assert!(
        out.join("groups/two-meetings/meetings/working-session.ics")
            .is_file()
    );
    // The next occurrence is cancelled: the page says so, and which comes after it (moved).
    assert!(
        text.contains("Cancelled on 2026-12-08; next: 2027-01-13 , 20:00 UTC"),
        "{text}"
    );
    assert!(
        text.contains("Monthly on the second Tuesday at 16:00"),
        "{text}"
    );
    // Listed, never in a calendar.
    assert!(
        text.contains("Two Meetings , Planning: monthly, day to be decided"),
        "{text}"
    );
    assert!(
        text.contains("Last Friday , As needed: as needed"),
        "{text}"
    );
}

#[test]
fn groups_json_holds_every_meeting_with_its_exceptions_and_fits_its_schema() {
    let (_site, out) = built();
    let json: serde_json::Value =
        serde_json::from_str(&read(&out, "groups.json")).expect("groups.json");
    let group = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["slug"] == "two-meetings")
        .expect("two-meetings");
    let meetings = group["meetings"].as_array().expect("a list of meetings");
    assert_eq!(meetings.len(), 4);
    let working = &meetings[0];
    assert_eq!(working["name"], "Working session");
    assert_eq!(working["cadence"], "monthly");
    assert_eq!(working["monthly"], "second Tuesday");
    assert_eq!(working["day"], "Tuesday");
    assert_eq!(working["time"], "16:00");
    assert_eq!(working["timezone"], "America/Santiago");
    assert_eq!(working["cancelled"], serde_json::json!(["2026-12-08"]));
    assert_eq!(
        working["moved"],
        serde_json::json!([{"from": "2027-01-12", "to": "2027-01-13", "time": "17:00"}])
    );
    assert_eq!(meetings[1]["cadence"], "weeks");
    assert_eq!(meetings[1]["every_weeks"], 1);
    assert_eq!(meetings[2]["cadence"], "once");
    assert_eq!(meetings[2]["date"], "2026-12-03");
    assert_eq!(meetings[3]["cadence"], "monthly");
    assert_eq!(meetings[3]["monthly"], serde_json::Value::Null);
    assert_eq!(meetings[3]["cadence_text"], "Monthly, day to be decided");

    // Valid by its published schema, as the jsonschema package reads it (draft 2020-12,
    // formats checked). Ajv's strict mode is `publish`'s test of the schemas themselves.
    let run = common::Run::of(
        std::process::Command::new(common::python())
            .arg(common::repo().join("tests/support/check_published.py"))
            .arg(&out),
    );
    run.expect_success();
    let report: serde_json::Value = serde_json::from_slice(&run.output.stdout).expect("JSON");
    assert_eq!(
        report["schemas"]["groups_json_errors"],
        serde_json::json!([]),
        "{report}"
    );
}

#[test]
fn the_group_page_shows_every_meeting_and_the_soonest() {
    let (_site, out) = built();
    let page = text_of(&read(&out, "groups/two-meetings/index.html"));
    for line in [
        "Working session: Monthly on the second Tuesday at 16:00 (America/Santiago), 60 minutes",
        "Office hours: Weekly on Thursday at 09:30 (Asia/Kathmandu), 30 minutes",
        "Roadmap review: Once, on 2026-12-03 at 20:00 (Australia/Lord_Howe), 90 minutes",
        "Planning: Monthly, day to be decided",
    ] {
        assert!(page.contains(line), "{line} in {page}");
    }
}

#[test]
fn mistakes_in_meetings_are_reported_at_their_line_and_column_with_a_suggestion() {
    let site = Site::from_fixture("meetings");
    let path = "content/groups/two-meetings.md";
    let text = read(&site.root, path)
        .replace(
            "monthly = \"second Tuesday\"",
            "monthly = \"secnd Tuesday\"",
        )
        .replace("day = \"Thursday\"", "day = \"Thurday\"")
        .replace("date = 2026-12-03", "date = 2026-12-03\nevery_weeks = 2");
    site.write(path, &text);
    let run = site.run(&["check", "--now", NOW]);
    run.expect_code(1);
    let stderr = run.stderr();
    for expected in [
        "content/groups/two-meetings.md:14:11: error: `secnd` is not first, second, third, fourth or last",
        "hint: did you mean \"second Tuesday\"?",
        "content/groups/two-meetings.md:26:7: error: `Thurday` is not a day of the week",
        "hint: did you mean \"Thursday\"?",
        "content/groups/two-meetings.md:34:8: error: a meeting has one cadence, but this one has `every_weeks` and `date`",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
    // A day already reported wrong is not blamed again through the meeting's cancelled dates.
    assert!(!stderr.contains("2026-12-31"), "{stderr}");

    // A cancelled date the cadence never gives.
    let site = Site::from_fixture("meetings");
    let path = "content/groups/last-friday.md";
    let text = read(&site.root, path).replace(
        "duration_minutes = 45",
        "duration_minutes = 45\ncancelled = [2026-12-24]",
    );
    site.write(path, &text);
    let run = site.run(&["check", "--now", NOW]);
    run.expect_code(1);
    assert!(
        run.stderr().contains(
            "content/groups/last-friday.md:18:14: error: 2026-12-24 is a Thursday, not a day of \
             this meeting (monthly on the last Friday)"
        ),
        "{}",
        run.stderr()
    );
}

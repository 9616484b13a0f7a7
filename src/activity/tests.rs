//! Unit tests of the module above.
use super::*;
use std::path::PathBuf;

fn event(date: &str, kind: EventKind, url: &str, source: &str) -> Event {
    Event {
        date: date.parse().unwrap(),
        kind,
        title: format!("title of {url}"),
        url: format!("https://github.com/o/r/{url}"),
        source: source.to_string(),
    }
}

fn parse(text: &str) -> (ActivityFile, Vec<String>) {
    let source = Source {
        path: PathBuf::from("data/activity.toml"),
        text: text.into(),
    };
    let (activity, diagnostics) = ActivityFile::parse(&source, |slug| slug != "gone");
    (
        activity,
        diagnostics.iter().map(ToString::to_string).collect(),
    )
}

#[test]
fn the_file_reads_back_what_it_wrote() {
    let mut activity = ActivityFile::default();
    let mut tricky = event("2026-11-20", EventKind::MeetingNotes, "d/1", "s");
    tricky.title = "Agents WG: \"notes\" — 'quoted' \\ back".to_string();
    activity.set(
        Slug::parse("agents").unwrap(),
        vec![
            event("2026-10-01", EventKind::Commit, "c/1", "repository o/r"),
            tricky,
        ],
    );
    activity.set(
        Slug::parse("auth").unwrap(),
        vec![event("2026-11-01", EventKind::Issue, "i/1", "s")],
    );
    let text = activity.to_toml();
    let (back, errors) = parse(&text);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(back, activity);
    assert_eq!(back.to_toml(), text, "a second write changes no byte");
    // Newest first, groups in slug order, dates as TOML dates.
    let agents = text.find("[[agents]]\ndate = 2026-11-20").unwrap();
    let older = text.find("[[agents]]\ndate = 2026-10-01").unwrap();
    let auth = text.find("[[auth]]").unwrap();
    assert!(agents < older && older < auth, "{text}");
}

#[test]
fn horizons_read_back_as_written_and_a_wrong_one_is_reported_at_its_place() {
    let mut activity = ActivityFile::default();
    let read = chrono::DateTime::parse_from_rfc3339("2026-12-02T06:00:12Z")
        .unwrap()
        .to_utc();
    activity.set_horizon("repository o/r".into(), Horizon::Read(read));
    activity.set_horizon(
        "label 'x' in o/r".into(),
        Horizon::Reached("2026-09-23".parse().unwrap()),
    );
    activity.set(
        Slug::parse("a").unwrap(),
        vec![event(
            "2026-11-01",
            EventKind::Issue,
            "i/1",
            "repository o/r",
        )],
    );
    let text = activity.to_toml();
    assert!(
        text.contains("[_read]\n\"label 'x' in o/r\" = 2026-09-23\n\"repository o/r\" = 2026-12-02T06:00:12Z\n"),
        "{text}"
    );
    let (back, errors) = parse(&text);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(back, activity);
    let (_, errors) = parse("[_read]\n\"s\" = 2026-12-02T06:00:12\n\"t\" = \"soon\"\n");
    let joined = errors.join("\n");
    assert!(
        joined.contains(
            "data/activity.toml:2:7: error: the horizon of `s` must be a date-time in UTC or a date"
        ),
        "{joined}"
    );
    assert!(joined.contains("data/activity.toml:3:"), "{joined}");
    let (_, errors) = parse("_read = [1]\n[agents]\nx = 1\n");
    let joined = errors.join("\n");
    assert!(
        joined.contains("`_read` must be a table of horizons"),
        "{joined}"
    );
    assert!(
        joined.contains("`agents` must be a list of events"),
        "{joined}"
    );
}

#[test]
fn mistakes_in_the_file_are_reported_at_their_place() {
    let text = "[[agents]]\ndate = 2026-11-20T10:00:00Z\nkind = \"meeting-note\"\ntitle = \"\"\nurl = \"javascript:x\"\nsource = \"s\"\nlink = \"x\"\n\n[[Bad_Slug]]\ndate = 2026-11-20\nkind = \"issue\"\ntitle = \"t\"\nurl = \"https://x\"\nsource = \"s\"\n";
    let (_, errors) = parse(text);
    let joined = errors.join("\n");
    assert!(
        joined.contains("data/activity.toml:3:8: error: `agents[0].kind` cannot be `meeting-note`")
            && joined.contains("did you mean `meeting-notes`?"),
        "{joined}"
    );
    assert!(
        joined.contains("data/activity.toml:7:1: error: unknown key `link`"),
        "{joined}"
    );
    let (_, errors) = parse(
        &text
            .replace("kind = \"meeting-note\"\n", "kind = \"issue\"\n")
            .replace("link = \"x\"\n", ""),
    );
    let joined = errors.join("\n");
    for expected in [
        "data/activity.toml:2:8: error: `agents[0].date` must be a date without a time",
        "data/activity.toml:4:9: error: `agents[0].title` is empty",
        "data/activity.toml:5:7: error: `agents[0].url` is not an http(s) web address",
        "`Bad_Slug` is not a valid slug",
    ] {
        assert!(joined.contains(expected), "{expected}\n{joined}");
    }
}

#[test]
fn the_reader_and_the_sync_apply_the_same_rules() {
    let horizon: NaiveDate = "2026-12-01".parse().unwrap();
    let good = event("2026-11-20", EventKind::Issue, "i/1", "s");
    assert_eq!(refusal(&good, horizon), None);
    let with = |f: &dyn Fn(&mut Event)| {
        let mut e = good.clone();
        f(&mut e);
        e
    };
    let refused = [
        with(&|e| e.url = "javascript:alert(1)".into()),
        with(&|e| e.url = "data:text/html,x".into()),
        with(&|e| e.url = "//host/x".into()),
        with(&|e| e.url = String::new()),
        with(&|e| e.url = "https://github.com/a b".into()),
        with(&|e| e.url = "https://u:p@github.com/".into()),
        with(&|e| e.url = format!("https://github.com/{}", "x".repeat(MAX_URL_BYTES))),
        with(&|e| e.title = " ".into()),
        with(&|e| e.title = "x".repeat(MAX_TITLE_CHARS + 1)),
        with(&|e| e.date = "2026-12-02".parse().unwrap()),
    ];
    for event in &refused {
        assert!(refusal(event, horizon).is_some(), "{event:?}");
        if event.date <= horizon {
            let mut activity = ActivityFile::default();
            activity.set(Slug::parse("a").unwrap(), vec![event.clone()]);
            let (_, errors) = parse(&activity.to_toml());
            assert_eq!(errors.len(), 1, "the build refuses it too: {event:?}");
        }
    }
    let capped = capped_title("é".repeat(1000));
    assert_eq!(capped.chars().count(), MAX_TITLE_CHARS);
    assert_eq!(refusal(&with(&|e| e.title = capped.clone()), horizon), None);

    let mut activity = ActivityFile::default();
    let many: Vec<Event> = (0..=MAX_EVENTS_PER_GROUP)
        .map(|n| event("2026-11-20", EventKind::Issue, &format!("i/{n}"), "s"))
        .collect();
    activity.set(Slug::parse("a").unwrap(), many);
    let (_, errors) = parse(&activity.to_toml());
    assert!(errors[0].contains("more than the 100"), "{errors:?}");
}

#[test]
fn a_file_too_large_loses_its_oldest_events_first() {
    let mut activity = ActivityFile::default();
    for (slug, day) in [("a", "2026-11-01"), ("b", "2026-11-02")] {
        let events = (0..5)
            .map(|n| event(day, EventKind::Issue, &format!("{slug}/{n}"), "s"))
            .collect();
        activity.set(Slug::parse(slug).unwrap(), events);
    }
    let whole = activity.to_toml().len();
    let skipped = activity.fit(whole - 1);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].group.as_str(), "a");
    let skipped = activity.fit(HEADER.len());
    assert_eq!(skipped.len(), 9);
    assert_eq!(activity, ActivityFile::default());
}

#[test]
fn the_file_has_the_text_rules_of_a_group_file() {
    let entry = |title: &str| {
        format!(
            "[[a]]\ndate = 2026-11-20\nkind = \"issue\"\ntitle = \"{title}\"\nurl = \"https://x/1\"\nsource = \"s\"\n"
        )
    };
    let (_, errors) = parse(&entry("a\\u001Bb"));
    assert!(
        errors[0].starts_with(
            "data/activity.toml:4:9: error: `a[0].title` has the control character U+001B"
        ),
        "{errors:#?}"
    );
    let (_, errors) = parse(&entry("\\u200B"));
    assert!(
        errors[0].contains("`a[0].title` has no visible text")
            && errors[0].contains("written by `groupdir sync`"),
        "{errors:#?}"
    );
    let (activity, errors) = parse(&entry("  spaced  "));
    assert!(errors.is_empty(), "{errors:#?}");
    let events = activity.events(&Slug::parse("a").unwrap());
    assert_eq!(
        events[0].title, "spaced",
        "values are trimmed, as in a group file"
    );
}

#[test]
fn events_of_a_group_without_a_file_are_kept_with_a_warning() {
    let (activity, warnings) = parse(
        "[[gone]]\ndate = 2026-11-20\nkind = \"issue\"\ntitle = \"t\"\nurl = \"https://x/1\"\nsource = \"s\"\n",
    );
    assert_eq!(activity.events(&Slug::parse("gone").unwrap()).len(), 1);
    assert!(
        warnings[0].starts_with(
            "data/activity.toml:1:1: warning: events of `gone`, which has no group file"
        ),
        "{warnings:#?}"
    );
}

#[test]
fn an_address_listed_twice_is_an_error() {
    let entry = "[[a]]\ndate = 2026-11-20\nkind = \"issue\"\ntitle = \"t\"\nurl = \"https://x/1\"\nsource = \"s\"\n";
    let (_, errors) = parse(&format!("{entry}{entry}"));
    assert!(
        errors[0].starts_with("data/activity.toml:11:7: error: `https://x/1` is listed twice"),
        "{errors:#?}"
    );
}

#[test]
fn writing_is_skipped_when_nothing_changed_and_atomic_otherwise() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let empty = ActivityFile::default();
    assert!(
        !empty.write(root).unwrap(),
        "no events and no file: no file"
    );
    assert!(!root.join(FILE).exists());
    let mut activity = ActivityFile::default();
    activity.set(
        Slug::parse("a").unwrap(),
        vec![event("2026-11-01", EventKind::Issue, "i/1", "s")],
    );
    assert!(activity.write(root).unwrap());
    let (back, diagnostics) = ActivityFile::read(root, |_| true).unwrap();
    assert!(diagnostics.is_empty());
    assert_eq!(back, activity);
    assert!(
        !activity.write(root).unwrap(),
        "the same bytes are not written again"
    );
    let names: Vec<_> = std::fs::read_dir(root.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["activity.toml"], "no temporary file is left behind");
}

//! Unit tests of the module above.
use super::*;
use crate::activity::EventKind;
use crate::model::{ActivityEntry, Link, RepoName, Sources};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn group(kind: Kind, status: Status, last: &str) -> Group {
    let fields = match kind {
        Kind::InterestGroup => KindFields::Interest {
            differentiation: None,
            first_topic: "t".into(),
        },
        Kind::WorkingGroup => KindFields::Working {
            use_cases: "u".into(),
            origin_group: None,
            first_deliverable: Link {
                title: "x".into(),
                link: None,
            },
            deliverables: vec![],
        },
    };
    Group {
        slug: Slug::parse("g").unwrap(),
        title: "G".into(),
        kind,
        status,
        summary: "s".into(),
        created: None,
        last_activity_field: Some(date(last)),
        discord: None,
        discord_url: None,
        facilitators: vec![],
        maintainers: vec![],
        members: vec![],
        related: vec![],
        fields,
        meetings: Vec::new(),
        activity: vec![],
        sources: Default::default(),
        retirement: None,
        body: Default::default(),
        path: "g.md".into(),
    }
}

fn verdict(kind: Kind, status: Status, last: &str, today: &str) -> (Option<i64>, bool, bool) {
    let f = Freshness::of(
        &group(kind, status, last),
        &[],
        None,
        date(today),
        &StaleSettings::default(),
    );
    (f.days_inactive, f.stale, f.at_risk)
}

#[test]
fn working_groups_go_stale_after_thirty_days() {
    let wg = Kind::WorkingGroup;
    assert_eq!(
        verdict(wg, Status::Active, "2026-10-01", "2026-10-23"),
        (Some(22), false, false)
    );
    assert_eq!(
        verdict(wg, Status::Active, "2026-10-01", "2026-10-24"),
        (Some(23), false, true)
    );
    assert_eq!(
        verdict(wg, Status::Active, "2026-10-01", "2026-10-31"),
        (Some(30), false, true)
    );
    assert_eq!(
        verdict(wg, Status::Active, "2026-10-01", "2026-11-01"),
        (Some(31), true, false)
    );
}

#[test]
fn interest_groups_go_stale_after_ninety_days() {
    let ig = Kind::InterestGroup;
    assert_eq!(
        verdict(ig, Status::Active, "2026-01-01", "2026-03-24"),
        (Some(82), false, false)
    );
    assert_eq!(
        verdict(ig, Status::Active, "2026-01-01", "2026-03-25"),
        (Some(83), false, true)
    );
    assert_eq!(
        verdict(ig, Status::Active, "2026-01-01", "2026-04-01"),
        (Some(90), false, true)
    );
    assert_eq!(
        verdict(ig, Status::Active, "2026-01-01", "2026-04-02"),
        (Some(91), true, false)
    );
}

#[test]
fn leap_days_count() {
    // 2028 is a leap year: 2028-02-01 to 2028-03-02 is 30 days, not 29.
    let wg = Kind::WorkingGroup;
    assert_eq!(
        verdict(wg, Status::Active, "2028-02-01", "2028-03-02"),
        (Some(30), false, true)
    );
    assert_eq!(
        verdict(wg, Status::Active, "2028-02-01", "2028-03-03"),
        (Some(31), true, false)
    );
}

#[test]
fn proposed_and_retired_groups_are_never_stale() {
    for status in [Status::Proposed, Status::Retired] {
        let (days, stale, at_risk) =
            verdict(Kind::WorkingGroup, status, "2020-01-01", "2026-01-01");
        assert!(days.unwrap() > 2000);
        assert!(!stale && !at_risk, "{status:?}");
    }
}

#[test]
fn newest_activity_entry_revives_a_group() {
    let mut g = group(Kind::WorkingGroup, Status::Active, "2026-01-01");
    g.activity.push(ActivityEntry {
        date: date("2026-11-20"),
        what: "call".into(),
        link: None,
    });
    let f = Freshness::of(&g, &[], None, date("2026-11-25"), &StaleSettings::default());
    assert_eq!(f.last_activity, Some(date("2026-11-20")));
    assert_eq!(
        (f.days_inactive, f.stale, f.at_risk),
        (Some(5), false, false)
    );
    assert_eq!(f.standing(Status::Active), Standing::Active);
}

fn synced(date_: &str, kind: EventKind) -> Event {
    Event {
        date: date(date_),
        kind,
        title: "t".into(),
        url: format!("https://github.com/o/r/{date_}"),
        source: "repository o/r".into(),
    }
}

/// Sources read at a moment no test's today passes.
const READ: Option<Horizon> = Some(Horizon::Reached(NaiveDate::MAX));

fn reached(day: &str) -> Option<Horizon> {
    Some(Horizon::Reached(date(day)))
}

#[test]
fn a_quiet_group_whose_sources_were_not_read_lately_is_unknown_not_stale() {
    let wg = with_repository(group(Kind::WorkingGroup, Status::Active, "2026-10-01"));
    let events = [synced("2026-10-01", EventKind::Issue)];
    let settings = StaleSettings::default();
    let on = |horizon: Option<Horizon>, today: &str| {
        Freshness::of(&wg, &events, horizon, date(today), &settings)
    };
    // On record up to 2026-11-10 (a sync's reading says "read on"): 3 days later the verdict stands, 4 days later nothing is known.
    let f = on(reached("2026-11-10"), "2026-11-13");
    assert_eq!(
        (f.standing(Status::Active), f.days),
        (Standing::Stale, Some(43))
    );
    assert_eq!(
        f.reason(Status::Active),
        "no issue or pull request updated since 2026-10-01; on record up to 2026-11-10"
    );
    let f = on(reached("2026-11-10"), "2026-11-14");
    assert_eq!(f.standing(Status::Active), Standing::Unknown);
    assert!(!f.stale && !f.at_risk);
    assert_eq!(
        f.reason(Status::Active),
        "no issue or pull request recorded after 2026-10-01 up to 2026-11-10; not read since"
    );
    assert_eq!(
        on(None, "2026-11-14").standing(Status::Active),
        Standing::Unknown
    );
    // Within the threshold the group is active, however old its horizon.
    let f = on(reached("2026-10-02"), "2026-10-20");
    assert_eq!(f.standing(Status::Active), Standing::Active);
    // At risk stays at risk, and says how fresh its record is.
    let f = on(reached("2026-10-02"), "2026-10-26");
    assert_eq!(f.standing(Status::Active), Standing::AtRisk);
    assert_eq!(
        f.reason(Status::Active),
        "last issue or pull request updated 2026-10-01; on record up to 2026-10-02"
    );
    // A group without sources keeps the rules of typed dates.
    let typed = group(Kind::WorkingGroup, Status::Active, "2026-10-01");
    let f = Freshness::of(&typed, &[], None, date("2026-11-14"), &settings);
    assert_eq!(f.standing(Status::Active), Standing::Stale);
    assert_eq!(
        f.reason(Status::Active),
        "no recorded activity since 2026-10-01"
    );
}

fn with_repository(mut g: Group) -> Group {
    g.sources = Sources {
        repositories: vec![RepoName::parse("o/r").unwrap()],
        ..Sources::default()
    };
    g
}

#[test]
fn a_synced_event_counts_as_activity() {
    let g = group(Kind::InterestGroup, Status::Active, "2026-01-01");
    let events = [synced("2026-11-20", EventKind::MeetingNotes)];
    let f = Freshness::of(
        &g,
        &events,
        None,
        date("2026-11-25"),
        &StaleSettings::default(),
    );
    assert_eq!(f.last_activity, Some(date("2026-11-20")));
    assert_eq!((f.stale, f.governance_rule), (false, None));
}

#[test]
fn a_working_group_with_no_recent_issue_or_pull_request_is_stale_by_the_rule() {
    let wg = with_repository(group(Kind::WorkingGroup, Status::Active, "2026-11-24"));
    let events = [
        synced("2026-11-20", EventKind::MeetingNotes),
        synced("2026-10-25", EventKind::PullRequestMerged),
    ];
    let verdict = |today: &str| {
        let f = Freshness::of(&wg, &events, READ, date(today), &StaleSettings::default());
        let rule = f.governance_rule.expect("the rule judges it");
        assert_eq!(rule.last_issue_or_pull_request, Some(date("2026-10-25")));
        assert_eq!(f.last_activity, Some(date("2026-11-24")));
        // The report's "days past the threshold" counts what the verdict counts.
        assert_eq!(f.overdue(), rule.days_without.unwrap() - 30);
        (rule.days_without, f.stale, f.at_risk)
    };
    assert_eq!(verdict("2026-11-16"), (Some(22), false, false));
    assert_eq!(verdict("2026-11-17"), (Some(23), false, true));
    assert_eq!(verdict("2026-11-24"), (Some(30), false, true));
    assert_eq!(verdict("2026-11-25"), (Some(31), true, false));
}

#[test]
fn a_working_group_whose_sources_show_no_issue_or_pull_request_at_all_is_stale() {
    let wg = with_repository(group(Kind::WorkingGroup, Status::Active, "2026-11-24"));
    let events = [synced("2026-11-20", EventKind::Commit)];
    let f = Freshness::of(
        &wg,
        &events,
        READ,
        date("2026-11-25"),
        &StaleSettings::default(),
    );
    assert_eq!(
        f.governance_rule,
        Some(RuleCheck {
            last_issue_or_pull_request: None,
            days_without: None
        })
    );
    assert!(f.stale);
    assert_eq!(f.overdue(), i64::MAX / 2 - 30, "the most overdue of all");
}

#[test]
fn the_rule_judges_only_working_groups_with_issue_sources_once_synced() {
    let events = [synced("2026-11-20", EventKind::MeetingNotes)];
    let today = date("2026-11-25");
    let settings = StaleSettings::default();
    let ig = with_repository(group(Kind::InterestGroup, Status::Active, "2026-11-24"));
    assert_eq!(
        Freshness::of(&ig, &events, READ, today, &settings).governance_rule,
        None
    );
    let never_synced = with_repository(group(Kind::WorkingGroup, Status::Active, "2026-11-24"));
    assert_eq!(
        Freshness::of(&never_synced, &[], None, today, &settings).governance_rule,
        None
    );
    let notes_only = group(Kind::WorkingGroup, Status::Active, "2026-11-24");
    let f = Freshness::of(&notes_only, &events, None, today, &settings);
    assert_eq!((f.governance_rule, f.stale), (None, false));
}

#[test]
fn a_working_group_whose_deliverables_are_all_done_is_completed() {
    let deliverable = |status| Deliverable {
        title: "SEP".into(),
        link: None,
        status,
    };
    let mut wg = group(Kind::WorkingGroup, Status::Active, "2026-11-01");
    let mut with = |list: Vec<Deliverable>| {
        if let KindFields::Working { deliverables, .. } = &mut wg.fields {
            *deliverables = list;
        }
        completed(&wg)
    };
    assert!(!with(vec![]), "no deliverables: nothing to have completed");
    assert!(with(vec![deliverable(Some(DeliverableStatus::Done))]));
    assert!(with(vec![
        deliverable(Some(DeliverableStatus::Done)),
        deliverable(Some(DeliverableStatus::Dropped)),
    ]));
    assert!(!with(vec![deliverable(Some(DeliverableStatus::Dropped))]));
    assert!(!with(vec![
        deliverable(Some(DeliverableStatus::Done)),
        deliverable(Some(DeliverableStatus::InReview)),
    ]));
    assert!(!with(vec![deliverable(None)]));
}

#[test]
fn relations_are_symmetric() {
    let mut a = group(Kind::InterestGroup, Status::Active, "2026-01-01");
    a.slug = Slug::parse("a").unwrap();
    a.related = vec![Slug::parse("b").unwrap()];
    let mut b = group(Kind::WorkingGroup, Status::Active, "2026-01-01");
    b.slug = Slug::parse("b").unwrap();
    if let KindFields::Working { origin_group, .. } = &mut b.fields {
        *origin_group = Some(a.slug.clone());
    }
    let r = Relations::of(&[a.clone(), b.clone()]);
    assert_eq!(r.related(&b.slug), &[a.slug.clone()]);
    assert_eq!(r.related(&a.slug), &[b.slug.clone()]);
    assert_eq!(r.spawned(&a.slug), &[b.slug.clone()]);
}

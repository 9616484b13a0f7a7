//! Compute what no file states: each group's freshness, and the relations between
//! groups seen from both ends.

pub mod schedule;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::activity::Event;
use crate::config::StaleSettings;
pub mod notes;

use crate::model::{Deliverable, DeliverableStatus, Group, Kind, KindFields, Slug, Status};

/// How recently a group was active, as of a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Freshness {
    /// The newest of `last_activity`, the `[[activity]]` dates and the synced events.
    pub last_activity: Option<NaiveDate>,
    pub days_inactive: Option<i64>,
    pub threshold_days: u32,
    pub stale: bool,
    pub at_risk: bool,
    /// Set when the governance rule judges the group; the verdict then counts from its date.
    pub governance_rule: Option<RuleCheck>,
}

/// The governance rule for working groups: one "that no longer has an active Issue/PR for a
/// month or more" is retired. It judges a working group whose sources show issues and pull
/// requests, once a sync has recorded events for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RuleCheck {
    /// The newest issue or pull request activity synced; none when there was none.
    pub last_issue_or_pull_request: Option<NaiveDate>,
    pub days_without: Option<i64>,
}

/// Where a group stands, for display: one value instead of a status and two flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    Active,
    AtRisk,
    Stale,
    Proposed,
    Retired,
}

impl Freshness {
    /// The group's freshness on `today`, from its file and its synced `events` (newest first).
    pub fn of(
        group: &Group,
        events: &[Event],
        today: NaiveDate,
        settings: &StaleSettings,
    ) -> Freshness {
        let newest_entry = group.activity.iter().map(|a| a.date).max();
        let newest_event = events.first().map(|e| e.date);
        let last_activity = group
            .last_activity_field
            .max(newest_entry)
            .max(newest_event);
        let days_since = |date: Option<NaiveDate>| {
            // A future date is reported by validation; counting it as today keeps the arithmetic sane.
            date.map(|date| (today - date).num_days().max(0))
        };
        let governance_rule = (group.kind == Kind::WorkingGroup
            && group.sources.shows_issues_and_pull_requests()
            && !events.is_empty())
        .then(|| {
            let last = events
                .iter()
                .find(|e| e.kind.is_issue_or_pull_request())
                .map(|e| e.date);
            RuleCheck {
                last_issue_or_pull_request: last,
                days_without: days_since(last),
            }
        });
        let threshold_days = settings.threshold(group.kind);
        let days_inactive = days_since(last_activity);
        let counted = counted(governance_rule, days_inactive);
        let watched = group.status == Status::Active;
        let stale = watched && counted.is_some_and(|d| d > i64::from(threshold_days));
        let risk_from = i64::from(threshold_days.saturating_sub(settings.at_risk_days));
        let at_risk = watched && !stale && counted.is_some_and(|d| d >= risk_from);
        Freshness {
            last_activity,
            days_inactive,
            threshold_days,
            stale,
            at_risk,
            governance_rule,
        }
    }

    /// Days past the threshold: positive when stale, zero or negative while at risk. A group with
    /// nothing to count from, or a working group with no issue or pull request on record, is the
    /// most overdue of all.
    pub fn overdue(&self) -> i64 {
        const MOST: i64 = i64::MAX / 2;
        counted(self.governance_rule, self.days_inactive).map_or(MOST, |d| d.min(MOST))
            - i64::from(self.threshold_days)
    }

    pub fn standing(&self, status: Status) -> Standing {
        match status {
            Status::Proposed => Standing::Proposed,
            Status::Retired => Standing::Retired,
            Status::Active if self.stale => Standing::Stale,
            Status::Active if self.at_risk => Standing::AtRisk,
            Status::Active => Standing::Active,
        }
    }
}

/// The days a verdict counts, worked out here only: since the last issue or pull request when the
/// governance rule judges the group (no other activity keeps a working group alive, and with
/// none at all it is past every threshold), else since the last activity; `None` when nothing is
/// on record to count from.
fn counted(governance_rule: Option<RuleCheck>, days_inactive: Option<i64>) -> Option<i64> {
    match governance_rule {
        Some(rule) => rule.days_without.or(Some(i64::MAX)),
        None => days_inactive,
    }
}

/// Whether a working group has completed what it set out to do: it lists deliverables, and each
/// is done or dropped, at least one done. The governance text retires such a group, so the
/// moderators' report says "completed: consider retiring".
pub fn completed(group: &Group) -> bool {
    let KindFields::Working { deliverables, .. } = &group.fields else {
        return false;
    };
    let finished = |d: &&Deliverable| {
        matches!(
            d.status,
            Some(DeliverableStatus::Done | DeliverableStatus::Dropped)
        )
    };
    group.status == Status::Active
        && deliverables.iter().all(|d| finished(&d))
        && deliverables
            .iter()
            .any(|d| d.status == Some(DeliverableStatus::Done))
}

/// Links between groups, from both ends.
#[derive(Debug, Default)]
pub struct Relations {
    /// For each group, every group related to it in either direction, in slug order.
    pub related: BTreeMap<Slug, Vec<Slug>>,
    /// For each interest group, the working groups that came from it.
    pub spawned: BTreeMap<Slug, Vec<Slug>>,
}

impl Relations {
    pub fn of(groups: &[Group]) -> Relations {
        let mut relations = Relations::default();
        for group in groups {
            for other in &group.related {
                relations
                    .related
                    .entry(group.slug.clone())
                    .or_default()
                    .push(other.clone());
                relations
                    .related
                    .entry(other.clone())
                    .or_default()
                    .push(group.slug.clone());
            }
            if let Some(origin) = group.origin_group() {
                relations
                    .spawned
                    .entry(origin.clone())
                    .or_default()
                    .push(group.slug.clone());
            }
        }
        for list in relations
            .related
            .values_mut()
            .chain(relations.spawned.values_mut())
        {
            list.sort();
            list.dedup();
        }
        relations
    }

    pub fn related(&self, slug: &Slug) -> &[Slug] {
        self.related.get(slug).map_or(&[], Vec::as_slice)
    }

    pub fn spawned(&self, slug: &Slug) -> &[Slug] {
        self.spawned.get(slug).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
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
        let f = Freshness::of(&g, &[], date("2026-11-25"), &StaleSettings::default());
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
        let f = Freshness::of(&g, &events, date("2026-11-25"), &StaleSettings::default());
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
            let f = Freshness::of(&wg, &events, date(today), &StaleSettings::default());
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
        let f = Freshness::of(&wg, &events, date("2026-11-25"), &StaleSettings::default());
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
            Freshness::of(&ig, &events, today, &settings).governance_rule,
            None
        );
        let never_synced = with_repository(group(Kind::WorkingGroup, Status::Active, "2026-11-24"));
        assert_eq!(
            Freshness::of(&never_synced, &[], today, &settings).governance_rule,
            None
        );
        let notes_only = group(Kind::WorkingGroup, Status::Active, "2026-11-24");
        let f = Freshness::of(&notes_only, &events, today, &settings);
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
}

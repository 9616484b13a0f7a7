//! Compute what no file states: each group's freshness, and the relations between
//! groups seen from both ends.

pub mod schedule;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::activity::Event;
use crate::config::StaleSettings;
use crate::horizon::Horizon;

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
    /// The date the verdict counts from: the last issue or pull request under the governance
    /// rule, else the last activity. Every output shows this date and `days`, never another.
    pub since: Option<NaiveDate>,
    /// Whole days from `since` to today: the one day count every output shares.
    pub days: Option<i64>,
    /// Whether the group names `[sources]`: its verdict is then only as fresh as their reading.
    pub sourced: bool,
    /// How far its evidence reaches: the oldest horizon of its sources (see the README, "Read
    /// horizons"); none when a source was never read, or the group has none.
    #[schemars(with = "Option<String>")]
    pub horizon: Option<Horizon>,
    /// Quiet past its threshold as far as the record goes, but the record stops more than the
    /// grace period before today: nothing is known either way.
    pub unknown: bool,
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
    /// Quiet as far as its sources were read, but not read since: no verdict can be given.
    Unknown,
    Proposed,
    Retired,
}

impl Standing {
    /// How a report or a feed names the standing.
    pub fn label(self) -> &'static str {
        match self {
            Standing::Active => "active",
            Standing::AtRisk => "at risk",
            Standing::Stale => "stale",
            Standing::Unknown => "unknown",
            Standing::Proposed => "proposed",
            Standing::Retired => "retired",
        }
    }
}

impl Freshness {
    /// The group's freshness on `today`, from its file, its synced `events` (newest first) and
    /// the horizon of its sources.
    pub fn of(
        group: &Group,
        events: &[Event],
        horizon: Option<Horizon>,
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
        let quiet = watched && counted.is_some_and(|d| d > i64::from(threshold_days));
        // Quiet as far as the record goes: with sources not read within the grace period, the
        // silence may be the witness's, not the group's.
        let sourced = !group.sources.is_empty();
        let read_lately =
            horizon.is_some_and(|h| (today - h.day()).num_days() <= i64::from(settings.grace_days));
        let unknown = quiet && sourced && !read_lately;
        let stale = quiet && !unknown;
        let risk_from = i64::from(threshold_days.saturating_sub(settings.at_risk_days));
        let at_risk = watched && !quiet && counted.is_some_and(|d| d >= risk_from);
        let since = match governance_rule {
            Some(rule) => rule.last_issue_or_pull_request,
            None => last_activity,
        };
        Freshness {
            last_activity,
            days_inactive,
            threshold_days,
            stale,
            at_risk,
            governance_rule,
            since,
            days: days_since(since),
            sourced,
            horizon: horizon.filter(|_| sourced),
            unknown,
        }
    }

    /// The one sentence that explains the standing, shared by every output: the badge, the group
    /// page, `groups.json`, the feed, `groupdir stale` and the weekly issue.
    pub fn reason(&self, status: Status) -> String {
        let (none, quiet, last) = if self.governance_rule.is_some() {
            (
                "no issue or pull request on record",
                "no issue or pull request updated since",
                "last issue or pull request updated",
            )
        } else {
            (
                "no activity on record",
                "no recorded activity since",
                "last recorded activity",
            )
        };
        let read = match self.horizon {
            Some(h) => format!("; {}", h.phrase()),
            None if self.sourced => "; its sources were never read".to_string(),
            None => String::new(),
        };
        let plain = |words: &str| match self.since {
            Some(date) => format!("{words} {date}"),
            None => none.to_string(),
        };
        let counted = |words: &str| format!("{}{read}", plain(words));
        match self.standing(status) {
            Standing::Proposed => "proposed: waiting for its creation vote".to_string(),
            Standing::Retired => "retired".to_string(),
            Standing::Unknown => {
                let what = if self.governance_rule.is_some() {
                    "issue or pull request"
                } else {
                    "activity"
                };
                match (self.horizon, self.since) {
                    (None, _) => counted(last),
                    (Some(h), Some(since)) if since <= h.day() => format!(
                        "no {what} recorded after {since} up to {}; not read since",
                        h.day()
                    ),
                    (Some(h), None) => {
                        format!("no {what} recorded up to {}; not read since", h.day())
                    }
                    (Some(h), Some(_)) => format!(
                        "{}; a source was read only up to {}, not since",
                        plain(last),
                        h.day()
                    ),
                }
            }
            Standing::Stale => counted(quiet),
            Standing::AtRisk | Standing::Active => counted(last),
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
            Status::Active if self.unknown => Standing::Unknown,
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
mod tests;

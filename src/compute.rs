//! Compute what no file states: each group's freshness, and the relations between
//! groups seen from both ends.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::config::StaleSettings;
use crate::model::{Group, Slug, Status};

/// How recently a group was active, as of a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Freshness {
    /// The later of `last_activity` and the newest `[[activity]]` date.
    pub last_activity: Option<NaiveDate>,
    pub days_inactive: Option<i64>,
    pub threshold_days: u32,
    pub stale: bool,
    pub at_risk: bool,
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
    pub fn of(group: &Group, today: NaiveDate, settings: &StaleSettings) -> Freshness {
        let newest_entry = group.activity.iter().map(|a| a.date).max();
        let last_activity = group.last_activity_field.max(newest_entry);
        let threshold_days = settings.threshold(group.kind);
        // A future date is reported by validation; counting it as today keeps the arithmetic sane.
        let days_inactive = last_activity.map(|date| (today - date).num_days().max(0));
        let watched = group.status == Status::Active;
        let stale = watched && days_inactive.is_some_and(|d| d > i64::from(threshold_days));
        let risk_from = i64::from(threshold_days.saturating_sub(settings.at_risk_days));
        let at_risk = watched && !stale && days_inactive.is_some_and(|d| d >= risk_from);
        Freshness {
            last_activity,
            days_inactive,
            threshold_days,
            stale,
            at_risk,
        }
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
    use crate::model::{Activity, Kind, KindFields, Link};

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
            related: vec![],
            fields,
            meetings: None,
            activity: vec![],
            retirement: None,
            body: Default::default(),
            path: "g.md".into(),
        }
    }

    fn verdict(kind: Kind, status: Status, last: &str, today: &str) -> (Option<i64>, bool, bool) {
        let f = Freshness::of(
            &group(kind, status, last),
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
        g.activity.push(Activity {
            date: date("2026-11-20"),
            what: "call".into(),
            link: None,
        });
        let f = Freshness::of(&g, date("2026-11-25"), &StaleSettings::default());
        assert_eq!(f.last_activity, Some(date("2026-11-20")));
        assert_eq!(
            (f.days_inactive, f.stale, f.at_risk),
            (Some(5), false, false)
        );
        assert_eq!(f.standing(Status::Active), Standing::Active);
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

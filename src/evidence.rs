//! What the pages show of a verdict's evidence: one list of a group's recent activity (synced
//! events and `[[activity]]` entries together) and the directory's notice of how fresh its
//! reading of GitHub is.

use chrono::NaiveDate;
use serde::Serialize;

use crate::horizon::Horizon;
use crate::model::Group;
use crate::site::{Site, newest_horizon};

/// How many items a group page's "Recent activity" lists.
pub const RECENT: usize = 8;

/// One line of a group's "Recent activity".
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Item {
    pub date: NaiveDate,
    /// What the sync saw ("pull request merged"); none for an entry of the group's file.
    pub kind: Option<&'static str>,
    pub title: String,
    pub url: Option<String>,
}

/// A group's synced events and `[[activity]]` entries in one list, newest first, up to `RECENT`.
pub fn recent(site: &Site, group: &Group) -> Vec<Item> {
    let events = site.events(group).iter().map(|e| Item {
        date: e.date,
        kind: Some(e.kind.label()),
        title: e.title.clone(),
        url: Some(e.url.clone()),
    });
    let entries = group
        .activity
        .iter()
        .filter(|a| a.date <= site.today)
        .map(|a| Item {
            date: a.date,
            kind: None,
            title: a.what.clone(),
            url: a.link.clone(),
        });
    let mut items: Vec<Item> = events.chain(entries).collect();
    // Stable: on one day, synced events first, each list in its own order.
    items.sort_by_key(|item| std::cmp::Reverse(item.date));
    items.truncate(RECENT);
    items
}

/// The directory's notice: how far the newest horizon reaches, whether a sync read it, and
/// whether that is longer ago than the grace period (then quiet groups with sources are unknown,
/// and the notice shows).
#[derive(Debug, Serialize)]
pub struct Reading {
    /// The newest horizon of any source, as a day.
    pub read: NaiveDate,
    /// Whether that horizon is a sync's reading of GitHub; else a hand-seeded record's reach.
    pub synced: bool,
    /// Whether `read` is more than the grace period before today.
    pub old: bool,
    pub grace_days: u32,
}

impl Reading {
    /// None when no group names sources, or none was ever read.
    pub fn of(site: &Site) -> Option<Reading> {
        let newest: Horizon = newest_horizon(&site.activity, &site.groups)?;
        let grace_days = site.settings.stale.grace_days;
        Some(Reading {
            read: newest.day(),
            synced: matches!(newest, Horizon::Read(_)),
            old: (site.today - newest.day()).num_days() > i64::from(grace_days),
            grace_days,
        })
    }
}

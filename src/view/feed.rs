//! The Atom feed's entries: activity and status changes of every group, newest first, each with
//! an id that stays the same from build to build.

use chrono::NaiveDate;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::horizon::Horizon;
use crate::model::Group;
use crate::site::Site;

/// How many entries the feed keeps: readers only look at the newest.
const MAX_ENTRIES: usize = 100;

#[derive(Debug, Serialize)]
pub struct Feed {
    /// The site's address, which is also the feed's id.
    pub id: String,
    pub self_url: String,
    pub updated: String,
    /// How far the directory's newest horizon reaches, for the feed's subtitle.
    pub read: Option<NaiveDate>,
    /// Whether that horizon is a sync's reading of GitHub; else a hand-seeded record's reach.
    pub synced: bool,
    pub entries: Vec<FeedEntry>,
}

#[derive(Debug, Serialize)]
pub struct FeedEntry {
    pub id: String,
    pub title: String,
    pub url: String,
    pub updated: String,
    pub summary: String,
    pub group: String,
    /// How far the group's evidence reaches, for a group with sources; empty otherwise.
    pub verdict: String,
    #[serde(skip)]
    date: NaiveDate,
}

impl Feed {
    pub fn of(site: &Site, origin: &str) -> Feed {
        let mut entries: Vec<FeedEntry> = site
            .groups
            .iter()
            .flat_map(|g| entries(site, g, origin))
            .collect();
        // Newest first; ties in id order so the file is the same on every build.
        entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        entries.truncate(MAX_ENTRIES);
        let home = format!("{origin}{}", site.base_path);
        let reading = crate::evidence::Reading::of(site);
        Feed {
            self_url: format!("{home}feed.xml"),
            updated: entries
                .first()
                .map_or_else(|| timestamp(site.today), |e| e.updated.clone()),
            id: home,
            read: reading.as_ref().map(|r| r.read),
            synced: reading.is_some_and(|r| r.synced),
            entries,
        }
    }
}

fn entries(site: &Site, group: &Group, origin: &str) -> Vec<FeedEntry> {
    let url = format!("{origin}{}", site.group_url(&group.slug));
    // How far the group's evidence reaches: a fact of the content, not of the build's day, so
    // the feed stays the same whatever day it is built (its verdict ages; its horizon does not).
    let verdict = match site.freshness(group).horizon {
        Some(Horizon::Read(at)) if !group.sources.is_empty() => {
            format!("activity read from GitHub up to {}", at.date_naive())
        }
        Some(Horizon::Reached(day)) if !group.sources.is_empty() => {
            format!("activity on public record up to {day}")
        }
        None if !group.sources.is_empty() => "its sources on GitHub not read yet".to_string(),
        _ => String::new(),
    };
    let entry = |date: NaiveDate, id: String, title: String, link: Option<&str>| FeedEntry {
        id: format!("{url}#{id}"),
        title,
        url: link.map_or_else(|| url.clone(), str::to_string),
        updated: timestamp(date),
        summary: group.summary.clone(),
        group: group.title.clone(),
        verdict: verdict.clone(),
        date,
    };
    let mut list = Vec::new();
    if let Some(created) = group.created {
        let title = format!("{} created", group.title);
        list.push(entry(created, "created".to_string(), title, None));
    }
    // A retirement without a recorded day has no entry: dating it by the build would present it
    // as news of that day.
    if let Some(retired) = group.retirement.as_ref().and_then(|r| r.date) {
        let title = format!("{} retired", group.title);
        list.push(entry(retired, "retired".to_string(), title, None));
    }
    // Entries are numbered within their day in file order, oldest written first, so adding an
    // entry never renumbers the others.
    let mut seen: Vec<NaiveDate> = Vec::new();
    for activity in group.activity.iter().rev() {
        seen.push(activity.date);
        let n = seen.iter().filter(|d| **d == activity.date).count();
        let id = format!("activity-{}-{n}", activity.date);
        let title = format!("{}: {}", group.title, activity.what);
        list.push(entry(activity.date, id, title, activity.link.as_deref()));
    }
    // A synced event is known by its address, which no other event of the group shares.
    for event in site.events(group) {
        let id = format!(
            "event-{}",
            utf8_percent_encode(&event.url, NON_ALPHANUMERIC)
        );
        let title = format!("{}: {}: {}", group.title, event.kind.label(), event.title);
        list.push(entry(event.date, id, title, Some(&event.url)));
    }
    list
}

fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

//! The site as one value: valid, computed for one day, ready to render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::activity::{ActivityFile, Event};
use crate::compute::{Freshness, Relations};
use crate::config::{self, Settings};
use crate::model::{Group, Page, Slug};
use crate::paths;

/// A valid site: settings, groups in slug order, pages in navigation order, and what was computed.
pub struct Site {
    pub root: PathBuf,
    pub settings: Settings,
    pub today: NaiveDate,
    /// The path part of the base URL, starting and ending with `/`.
    pub base_path: String,
    /// The scheme and host the site is published at (`https://groups.example.org`), when known:
    /// without it, what needs absolute URLs (sitemap, feed, canonical links) is left out.
    pub origin: Option<String>,
    pub groups: Vec<Group>,
    pub pages: Vec<Page>,
    pub relations: Relations,
    /// Every group's synced events, as `data/activity.toml` holds them.
    pub activity: ActivityFile,
    freshness: Vec<Freshness>,
    by_slug: HashMap<Slug, usize>,
}

impl Site {
    /// The site made of valid groups and pages and their synced activity, with what is computed
    /// from them for `today`.
    pub fn new(
        root: &Path,
        settings: Settings,
        today: NaiveDate,
        groups: Vec<Group>,
        pages: Vec<Page>,
        activity: ActivityFile,
    ) -> Site {
        let freshness = groups
            .iter()
            .map(|g| {
                let events = until(activity.events(&g.slug), today);
                Freshness::of(g, events, today, &settings.stale)
            })
            .collect();
        let by_slug = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.slug.clone(), i))
            .collect();
        Site {
            root: root.to_path_buf(),
            base_path: settings.base_path(),
            origin: config::origin(&settings.base_url).map(str::to_string),
            relations: Relations::of(&groups),
            settings,
            today,
            groups,
            pages,
            activity,
            freshness,
            by_slug,
        }
    }

    /// A group's synced events up to today, newest first: a build as of an earlier day shows
    /// what was known that day.
    pub fn events(&self, group: &Group) -> &[Event] {
        until(self.activity.events(&group.slug), self.today)
    }

    pub fn group(&self, slug: &Slug) -> Option<&Group> {
        self.by_slug.get(slug).map(|&i| &self.groups[i])
    }

    pub fn freshness(&self, group: &Group) -> Freshness {
        self.by_slug.get(&group.slug).map_or_else(
            || Freshness::of(group, self.events(group), self.today, &self.settings.stale),
            |&i| self.freshness[i],
        )
    }

    pub fn group_url(&self, slug: &Slug) -> String {
        paths::group_url(&self.base_path, slug)
    }
}

/// The events of a newest-first list dated `today` or before.
fn until(events: &[Event], today: NaiveDate) -> &[Event] {
    &events[events.partition_point(|e| e.date > today)..]
}

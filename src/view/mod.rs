//! What templates, feeds and machines see of the computed site: cards for lists, full records for
//! group pages and `groups.json`, the pages' shared parts ([`page`]), the meetings page
//! ([`meetings`]), the feed ([`feed`]) and the calendars' events ([`calendar`]). Every type a
//! template or a feed serialises is here, with the code that builds it; rendering only turns
//! these values into bytes.

pub mod calendar;
pub mod feed;
pub mod meetings;
pub mod page;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::activity::Event;
use crate::compute::{self, Freshness, Standing};
use crate::model::{Group, Kind, Person, Slug, Status};
use crate::site::Site;

/// A group as lists show it: enough to scan, without the body.
#[derive(Serialize)]
pub struct Card<'a> {
    pub slug: &'a Slug,
    pub title: &'a str,
    pub url: String,
    pub kind: Kind,
    pub kind_label: &'static str,
    pub status: Status,
    pub standing: Standing,
    pub summary: &'a str,
    pub facilitators: &'a [Person],
    pub discord: Option<&'a str>,
    pub discord_url: Option<&'a str>,
    #[serde(flatten)]
    pub freshness: Freshness,
}

/// A group in `groups.json`: every front-matter field, plus where it lives and how fresh it is.
#[derive(Serialize, JsonSchema)]
pub struct Record<'a> {
    #[serde(flatten)]
    pub group: &'a Group,
    pub url: String,
    pub standing: Standing,
    #[serde(flatten)]
    pub freshness: Freshness,
    /// A working group whose deliverables are all done: "completed: consider retiring".
    pub completed: bool,
    /// Past meetings (four weeks back) with no notes on record 48 hours after them, oldest
    /// first; empty when the group's sources carry no notes or `[stale] notes_missing = false`.
    pub notes_missing: Vec<NaiveDate>,
    /// What `groupdir sync` read from the group's sources, up to the build's day, newest first.
    pub events: &'a [Event],
}

/// The version of the `groups.json` format. It changes only when a field is removed or changes
/// meaning; fields may be added in any version.
pub const FORMAT_VERSION: u32 = 2;

/// Where the schema of `groups.json` is published, under the site's address.
pub const GROUPS_SCHEMA: &str = "schema/groups.schema.json";

/// `groups.json`: the format's version, the day its staleness was computed for, and every group
/// in slug order.
#[derive(Serialize, JsonSchema)]
pub struct Directory<'a> {
    /// The address of this format's JSON Schema: absolute when the site's address is known, else
    /// relative to `groups.json`.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// The version of this format (see the README): 2.
    #[schemars(extend("const" = FORMAT_VERSION))]
    pub version: u32,
    pub today: NaiveDate,
    pub groups: Vec<Record<'a>>,
}

impl<'a> Card<'a> {
    pub fn of(site: &Site, group: &'a Group) -> Card<'a> {
        let freshness = site.freshness(group);
        Card {
            slug: &group.slug,
            title: &group.title,
            url: site.group_url(&group.slug),
            kind: group.kind,
            kind_label: group.kind.abbreviation(),
            status: group.status,
            standing: freshness.standing(group.status),
            summary: &group.summary,
            facilitators: &group.facilitators,
            discord: group.discord.as_deref(),
            discord_url: group.discord_url.as_deref(),
            freshness,
        }
    }
}

impl<'a> Record<'a> {
    pub fn of(site: &'a Site, group: &'a Group) -> Record<'a> {
        let freshness = site.freshness(group);
        Record {
            group,
            url: site.group_url(&group.slug),
            standing: freshness.standing(group.status),
            freshness,
            completed: compute::completed(group),
            notes_missing: notes_missing(site, group),
            events: site.events(group),
        }
    }
}

/// The meetings of `group` that went without notes, unless the site turned the report off.
pub fn notes_missing(site: &Site, group: &Group) -> Vec<NaiveDate> {
    if !site.settings.stale.notes_missing {
        return Vec::new();
    }
    compute::notes::missing(group, site.events(group), site.today)
}

impl<'a> Directory<'a> {
    pub fn of(site: &'a Site) -> Directory<'a> {
        let schema = match &site.origin {
            Some(origin) => format!("{origin}{}{GROUPS_SCHEMA}", site.base_path),
            None => GROUPS_SCHEMA.to_string(),
        };
        Directory {
            schema,
            version: FORMAT_VERSION,
            today: site.today,
            groups: site.groups.iter().map(|g| Record::of(site, g)).collect(),
        }
    }
}

//! The meetings page and a group page's meetings: every meeting's next occurrence, the coming
//! two weeks across all groups, in each meeting's own zone and in UTC.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::compute::schedule::{next_weekday, start};
use crate::model::weekday_full_name;
use crate::model::{Cadence, Group, Meeting, Occurrence, Slug, Status, meeting_ids};
use crate::paths;
use crate::site::Site;

/// How far ahead the meetings page lists every occurrence.
const COMING_DAYS: i64 = 14;
/// How many occurrences a meeting's element carries for `fresh.js`, which picks the next one by
/// the visitor's clock: enough for two months of a weekly call between daily rebuilds.
const UPCOMING: usize = 8;

fn utc(t: DateTime<Tz>) -> String {
    t.with_timezone(&Utc).format("%Y-%m-%dT%H:%MZ").to_string()
}

/// One meeting as the meetings page and a group page list it.
#[derive(Debug, Serialize)]
pub struct MeetingRow<'a> {
    pub slug: &'a Slug,
    pub title: &'a str,
    /// The meeting's own name, such as "Office hours".
    pub name: Option<&'a str>,
    pub url: String,
    pub cadence: String,
    /// The cadence with its day: "Weekly on Tuesday", "Monthly on the second Tuesday".
    pub when: String,
    pub day: Option<&'static str>,
    pub time: Option<String>,
    pub timezone: Option<&'static str>,
    pub duration_minutes: Option<u32>,
    /// The next occurrence that takes place: its local date, and its start in UTC.
    pub next_date: Option<String>,
    pub next_utc: Option<String>,
    /// The UTC time of day of the next meeting (or of one this week), `HH:MM`.
    pub utc_time: Option<String>,
    /// The occurrence before it, when that one is cancelled: "cancelled on <date>".
    pub cancelled: Option<String>,
    /// Why there is no next date, when there is none.
    pub pending: Option<&'static str>,
    pub every_weeks: u8,
    pub notes: Option<&'a str>,
    pub calendar: Option<&'a str>,
    /// The join or event page.
    pub join: Option<&'a str>,
    /// The meeting's own iCalendar file, when it is in the calendars, and its group's.
    pub ics: Option<String>,
    pub group_ics: String,
    /// The coming occurrences as `start/end` in UTC, cancelled ones marked `!`, for `fresh.js`.
    pub upcoming: String,
}

/// One occurrence in the coming two weeks.
#[derive(Debug, Serialize)]
pub struct Slot<'a> {
    pub slug: &'a Slug,
    pub title: &'a str,
    pub name: Option<&'a str>,
    pub url: String,
    /// Local date, time and zone, as the group states them.
    pub date: String,
    pub weekday: &'static str,
    pub time: String,
    pub timezone: &'static str,
    pub start_utc: String,
    pub end_utc: String,
    pub utc_time: String,
    pub cancelled: bool,
    /// The date the cadence gave, when the occurrence was moved.
    pub moved_from: Option<String>,
    pub notes: Option<&'a str>,
    pub join: Option<&'a str>,
    pub ics: Option<String>,
}

/// The meetings page: the coming two weeks, then every meeting with its cadence, then those
/// with no day and time on record.
#[derive(Debug, Serialize)]
pub struct MeetingsPage<'a> {
    pub coming: Vec<Slot<'a>>,
    pub until: String,
    pub scheduled: Vec<MeetingRow<'a>>,
    pub undecided: Vec<MeetingRow<'a>>,
}

/// Groups that meet or will: retired groups no longer do.
pub fn listed(site: &Site) -> impl Iterator<Item = &Group> {
    site.groups.iter().filter(|g| g.status != Status::Retired)
}

impl<'a> MeetingsPage<'a> {
    pub fn of(site: &'a Site) -> MeetingsPage<'a> {
        let (mut scheduled, mut undecided) = (Vec::new(), Vec::new());
        let until = site.today + Duration::days(COMING_DAYS - 1);
        let mut coming = Vec::new();
        for group in listed(site) {
            let ids = meeting_ids(&group.meetings);
            for (m, id) in group.meetings.iter().zip(&ids) {
                coming.extend(slots(site, group, m, id, until));
            }
            let rows = if group.meetings.is_empty() {
                vec![row(site, group, None, None)]
            } else {
                group
                    .meetings
                    .iter()
                    .zip(&ids)
                    .map(|(m, id)| row(site, group, Some(m), Some(id)))
                    .collect()
            };
            for row in rows {
                // A day is only given once the time and zone are known too.
                if row.day.is_some() {
                    scheduled.push(row);
                } else {
                    undecided.push(row);
                }
            }
        }
        coming.sort_by(|a: &Slot<'_>, b: &Slot<'_>| {
            (&a.start_utc, a.slug, a.name).cmp(&(&b.start_utc, b.slug, b.name))
        });
        // Soonest first; meetings whose week is to be confirmed after those with a date.
        scheduled.sort_by(|a, b| {
            (a.next_utc.is_none(), &a.next_utc, a.slug, a.name).cmp(&(
                b.next_utc.is_none(),
                &b.next_utc,
                b.slug,
                b.name,
            ))
        });
        MeetingsPage {
            coming,
            until: until.to_string(),
            scheduled,
            undecided,
        }
    }
}

fn slots<'a>(
    site: &Site,
    group: &'a Group,
    m: &'a Meeting,
    id: &str,
    until: NaiveDate,
) -> Vec<Slot<'a>> {
    let Some(zone) = m.zone else {
        return Vec::new();
    };
    m.occurrences(site.today, until)
        .into_iter()
        .map(|o| {
            let begins = start(zone, o.date, o.time);
            let ends = begins + Duration::minutes(i64::from(m.duration_minutes.unwrap_or(60)));
            Slot {
                slug: &group.slug,
                title: &group.title,
                name: m.name.as_deref(),
                url: site.group_url(&group.slug),
                date: o.date.to_string(),
                weekday: weekday_full_name(chrono::Datelike::weekday(&o.date)),
                time: o.time.format("%H:%M").to_string(),
                timezone: zone.name(),
                start_utc: utc(begins),
                end_utc: utc(ends),
                utc_time: begins.with_timezone(&Utc).format("%H:%M").to_string(),
                cancelled: o.cancelled,
                moved_from: (o.scheduled != o.date || o.time != m.time.unwrap_or(o.time))
                    .then(|| o.scheduled.to_string()),
                notes: m.notes.as_deref(),
                join: m.url.as_deref(),
                ics: Some(paths::meeting_calendar_url(
                    &site.base_path,
                    &group.slug,
                    id,
                )),
            }
        })
        .collect()
}

/// The group's meeting that comes soonest, for its page: where people decide to join, they see
/// when.
pub fn entry<'a>(site: &Site, group: &'a Group) -> MeetingRow<'a> {
    let ids = meeting_ids(&group.meetings);
    let rows: Vec<MeetingRow<'a>> = group
        .meetings
        .iter()
        .zip(&ids)
        .map(|(m, id)| row(site, group, Some(m), Some(id)))
        .collect();
    rows.into_iter()
        .min_by(|a, b| {
            (a.next_utc.is_none(), &a.next_utc, a.day.is_none()).cmp(&(
                b.next_utc.is_none(),
                &b.next_utc,
                b.day.is_none(),
            ))
        })
        .unwrap_or_else(|| row(site, group, None, None))
}

fn row<'a>(
    site: &Site,
    group: &'a Group,
    m: Option<&'a Meeting>,
    id: Option<&String>,
) -> MeetingRow<'a> {
    let zone = m.and_then(|m| m.zone);
    let coming: Vec<Occurrence> = m
        .map(|m| crate::compute::schedule::coming(m, site.today, 800))
        .unwrap_or_default();
    let next = coming.iter().find(|o| !o.cancelled);
    let next_start = next.zip(zone).map(|(o, z)| start(z, o.date, o.time));
    let cancelled = coming
        .first()
        .filter(|o| o.cancelled)
        .map(|o| format!("cancelled on {}", o.date));
    // When the week is unknown the UTC time of day still helps: take the coming meeting day's.
    let weekday_time = m.and_then(|m| {
        let (day, time, zone) = (m.day()?, m.time?, m.zone?);
        Some(start(zone, next_weekday(site.today, day), time))
    });
    let utc_time = next_start
        .or(weekday_time)
        .map(|t| t.with_timezone(&Utc).format("%H:%M").to_string());
    let known = m.is_some_and(|m| m.day().is_some() && m.time.is_some() && m.zone.is_some());
    let pending = match (m, next_start) {
        (_, Some(_)) => None,
        (Some(m), None) if known && matches!(m.cadence, Cadence::Weeks { .. }) => {
            Some("week to be confirmed")
        }
        (Some(m), None) if m.cadence == Cadence::AsNeeded => Some("as needed"),
        (Some(m), None) if matches!(m.cadence, Cadence::Once { .. }) => Some("already held"),
        // A group may meet on a day no record gives: say what is missing, not that it is undecided.
        (Some(_), None) => Some("day and time not listed"),
        (None, None) => Some("schedule to be decided"),
    };
    let upcoming = zone.map_or_else(String::new, |z| {
        let minutes = i64::from(m.and_then(|m| m.duration_minutes).unwrap_or(60));
        coming
            .iter()
            .take(UPCOMING)
            .map(|o| {
                let begins = start(z, o.date, o.time);
                let mark = if o.cancelled { "!" } else { "" };
                format!(
                    "{mark}{}/{}",
                    utc(begins),
                    utc(begins + Duration::minutes(minutes))
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    });
    MeetingRow {
        slug: &group.slug,
        title: &group.title,
        name: m.and_then(|m| m.name.as_deref()),
        url: site.group_url(&group.slug),
        cadence: m.map_or_else(|| "To be decided".to_string(), Meeting::cadence_text),
        when: m.map_or_else(|| "To be decided".to_string(), when),
        day: m
            .filter(|_| known)
            .and_then(Meeting::day)
            .map(weekday_full_name),
        time: m
            .and_then(|m| m.time)
            .map(|t| t.format("%H:%M").to_string()),
        timezone: zone.map(|z| z.name()),
        duration_minutes: m.and_then(|m| m.duration_minutes),
        next_date: next.map(|o| o.date.to_string()),
        next_utc: next_start.map(utc),
        utc_time,
        cancelled,
        pending,
        every_weeks: match m.map(|m| m.cadence) {
            Some(Cadence::Weeks { every_weeks, .. }) => every_weeks,
            _ => 1,
        },
        notes: m.and_then(|m| m.notes.as_deref()),
        calendar: m.and_then(|m| m.calendar.as_deref()),
        join: m.and_then(|m| m.url.as_deref()),
        ics: m
            .filter(|m| m.is_fixed() && next.is_some())
            .zip(id)
            .map(|(_, id)| paths::meeting_calendar_url(&site.base_path, &group.slug, id)),
        group_ics: paths::group_calendar_url(&site.base_path, &group.slug),
        upcoming,
    }
}

/// "Weekly on Tuesday", "Monthly on the second Tuesday", "Once, on Thursday 2026-12-03".
fn when(m: &Meeting) -> String {
    match (m.cadence, m.day()) {
        (Cadence::Weeks { .. }, Some(day)) => {
            format!("{} on {}", m.cadence_text(), weekday_full_name(day))
        }
        (Cadence::Once { date }, Some(day)) => {
            format!("Once, on {} {date}", weekday_full_name(day))
        }
        _ => m.cadence_text(),
    }
}

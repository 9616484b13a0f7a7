//! The meetings page and a group page's next meeting: when each group meets next, in its own
//! zone and in UTC.

use chrono::Utc;
use serde::Serialize;

use crate::compute::schedule::{Schedule, next_weekday};
use crate::model::{Group, Slug, Status, weekday_full_name};
use crate::paths;
use crate::site::Site;

/// A group's meetings as the meetings page lists them.
#[derive(Debug, Serialize)]
pub struct MeetingRow<'a> {
    pub slug: &'a Slug,
    pub title: &'a str,
    pub url: String,
    pub cadence: String,
    pub day: Option<&'static str>,
    pub time: Option<&'a str>,
    pub timezone: Option<&'a str>,
    pub duration_minutes: Option<u32>,
    /// The next meeting: its local date, and its start in UTC as `YYYY-MM-DDTHH:MMZ`.
    pub next_date: Option<String>,
    pub next_utc: Option<String>,
    /// The UTC time of day of the next meeting (or of one this week), `HH:MM`.
    pub utc_time: Option<String>,
    /// Why there is no next date, when there is none.
    pub pending: Option<&'static str>,
    pub every_weeks: u8,
    pub notes: Option<&'a str>,
    pub calendar: Option<&'a str>,
    /// The group's own iCalendar file, when it has a repeating event.
    pub ics: Option<String>,
}

/// The meetings page: scheduled groups, then those with no day and time listed.
#[derive(Debug, Serialize)]
pub struct MeetingsPage<'a> {
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
        for group in listed(site) {
            let entry = entry(site, group);
            // A day is only given once the time and zone are known too.
            if entry.day.is_some() {
                scheduled.push(entry);
            } else {
                undecided.push(entry);
            }
        }
        // Soonest first; groups whose week is to be confirmed after those with a date.
        scheduled.sort_by(|a, b| {
            (a.next_utc.is_none(), &a.next_utc, a.slug).cmp(&(
                b.next_utc.is_none(),
                &b.next_utc,
                b.slug,
            ))
        });
        MeetingsPage {
            scheduled,
            undecided,
        }
    }
}

/// The meetings of `group` as of the build's day, for the meetings page and the group's own.
pub fn entry<'a>(site: &Site, group: &'a Group) -> MeetingRow<'a> {
    let meetings = group.meetings.as_ref();
    let schedule = meetings.and_then(Schedule::of);
    let next = schedule
        .as_ref()
        .and_then(|s| s.next_date(site.today).map(|d| s.start(d)));
    let utc = next.map(|t| t.with_timezone(&Utc));
    // When the week is unknown the UTC time of day still helps: take the coming meeting day's.
    let utc_time = schedule.as_ref().map(|s| {
        let date = s
            .next_date(site.today)
            .unwrap_or_else(|| next_weekday(site.today, s.day));
        s.start(date)
            .with_timezone(&Utc)
            .format("%H:%M")
            .to_string()
    });
    let pending = match (&schedule, &next) {
        (_, Some(_)) => None,
        (Some(_), None) => Some("week to be confirmed"),
        // A group may meet on a day no record gives: say what is missing, not that it is undecided.
        (None, None) if meetings.is_some() => Some("day and time not listed"),
        (None, None) => Some("schedule to be decided"),
    };
    MeetingRow {
        slug: &group.slug,
        title: &group.title,
        url: site.group_url(&group.slug),
        cadence: meetings.map_or_else(|| "To be decided".to_string(), |m| cadence(m.every_weeks)),
        day: schedule.as_ref().map(|s| weekday_full_name(s.day)),
        time: meetings.and_then(|m| m.time.as_deref()),
        timezone: meetings.and_then(|m| m.timezone.as_deref()),
        duration_minutes: meetings.and_then(|m| m.duration_minutes),
        next_date: next.map(|t| t.date_naive().to_string()),
        next_utc: utc.map(|t| t.format("%Y-%m-%dT%H:%MZ").to_string()),
        utc_time,
        pending,
        every_weeks: meetings.map_or(1, |m| m.every_weeks),
        notes: meetings.and_then(|m| m.notes.as_deref()),
        calendar: meetings.and_then(|m| m.calendar.as_deref()),
        ics: schedule
            .filter(Schedule::is_fixed)
            .map(|_| paths::group_calendar_url(&site.base_path, &group.slug)),
    }
}

/// "Weekly", "Every other week", "Every 3 weeks".
pub fn cadence(every_weeks: u8) -> String {
    match every_weeks {
        1 => "Weekly".to_string(),
        2 => "Every other week".to_string(),
        n => format!("Every {n} weeks"),
    }
}

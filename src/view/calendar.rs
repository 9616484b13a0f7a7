//! What the iCalendar files say: one event per meeting (repeating, or a one-off session) in the
//! meeting's own time zone, with its cancelled and moved occurrences. `render::ics` writes these
//! values as RFC 5545 text.

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use crate::clock;
use crate::model::{Cadence, Group, Meeting, Nth, Status};
use crate::site::Site;
use crate::view::meetings;

/// A calendar: its name and its events.
pub struct Calendar<'a> {
    pub name: String,
    pub events: Vec<Event>,
    _site: std::marker::PhantomData<&'a ()>,
}

/// How an event repeats.
pub enum Recurrence {
    Weekly { every_weeks: u8, day: Weekday },
    Monthly { week: Nth, day: Weekday },
}

/// An occurrence that takes place at another date or time: a `RECURRENCE-ID` event.
pub struct Override {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time: NaiveTime,
}

/// One meeting as an event.
pub struct Event {
    pub uid: String,
    /// The first meeting's day: stable across rebuilds (see the README).
    pub stamp: NaiveDate,
    pub zone: Tz,
    /// The first day the event repeats from, or the one-off session's.
    pub start: NaiveDate,
    pub time: NaiveTime,
    pub recurrence: Option<Recurrence>,
    /// Cancelled dates, in order: `EXDATE`s.
    pub cancelled: Vec<NaiveDate>,
    pub moved: Vec<Override>,
    pub duration_minutes: Option<u32>,
    pub summary: String,
    pub description: String,
    pub url: Option<String>,
    /// The join or event page, when one is on record.
    pub location: Option<String>,
}

fn calendar<'a>(name: String, events: Vec<Event>) -> Calendar<'a> {
    Calendar {
        name,
        events,
        _site: std::marker::PhantomData,
    }
}

/// `meetings.ics`: every group's meetings.
pub fn all(site: &Site) -> Calendar<'_> {
    let events = meetings::listed(site)
        .flat_map(|g| events(site, g))
        .collect();
    calendar(site.settings.title.clone(), events)
}

/// `groups/<slug>/meetings.ics`, for a group still meeting on known days.
pub fn group<'a>(site: &Site, group: &'a Group) -> Option<Calendar<'a>> {
    if group.status == Status::Retired {
        return None;
    }
    let events = events(site, group);
    (!events.is_empty()).then(|| calendar(group.title.clone(), events))
}

/// `groups/<slug>/meetings/<id>.ics`: the meeting at `index`, alone.
pub fn meeting<'a>(site: &Site, group: &'a Group, index: usize) -> Option<Calendar<'a>> {
    if group.status == Status::Retired {
        return None;
    }
    let m = group.meetings.get(index)?;
    let event = event(site, group, index, m)?;
    let name = match &m.name {
        Some(name) => format!("{}: {name}", group.title),
        None => group.title.clone(),
    };
    Some(calendar(name, vec![event]))
}

fn events(site: &Site, group: &Group) -> Vec<Event> {
    group
        .meetings
        .iter()
        .enumerate()
        .filter_map(|(i, m)| event(site, group, i, m))
        .collect()
}

fn event(site: &Site, group: &Group, index: usize, m: &Meeting) -> Option<Event> {
    if !m.is_fixed() {
        return None;
    }
    let (zone, time) = (m.zone?, m.time?);
    let start = m.start_date(group.created.unwrap_or(site.today))?;
    let page = site
        .origin
        .as_ref()
        .map(|origin| format!("{origin}{}", site.group_url(&group.slug)));
    let host = site
        .origin
        .as_deref()
        .and_then(host)
        .unwrap_or("groupdir.invalid");
    let mut description = group.summary.clone();
    if let Some(page) = &page {
        description.push_str(&format!("\n\n{page}"));
    }
    if let Some(notes) = &m.notes {
        description.push_str(&format!("\nNotes: {notes}"));
    }
    // Clients disagree on a wall time the clocks skip or repeat: say which instant is meant.
    if let Some((date, resolved)) =
        clock::first_odd_day(zone, time, site.today, |d| m.can_fall_on(d))
    {
        let rule = clock::explain(zone, time, date, resolved);
        description.push_str(&format!("\n\nOn the days the clocks change: {rule}."));
    }
    let recurrence = match m.cadence {
        Cadence::Weeks { every_weeks, .. } => Some(Recurrence::Weekly {
            every_weeks,
            day: m.day()?,
        }),
        Cadence::Monthly { on: Some(on), .. } => Some(Recurrence::Monthly {
            week: on.week,
            day: on.day,
        }),
        _ => None,
    };
    let mut cancelled: Vec<NaiveDate> = m
        .cancelled
        .iter()
        .copied()
        .filter(|d| *d >= start)
        .collect();
    cancelled.sort();
    Some(Event {
        // The first meeting keeps the UID a group's one meeting always had.
        uid: match index {
            0 => format!("meetings-{}@{host}", group.slug),
            n => format!("meetings-{}-{}@{host}", group.slug, n + 1),
        },
        stamp: start,
        zone,
        start,
        time,
        recurrence,
        cancelled,
        moved: m
            .moved
            .iter()
            .filter(|mv| mv.from >= start)
            .map(|mv| Override {
                from: mv.from,
                to: mv.to,
                time: mv.time.unwrap_or(time),
            })
            .collect(),
        duration_minutes: m.duration_minutes,
        summary: match &m.name {
            Some(name) => format!("{}: {name}", group.title),
            None => format!("{} meeting", group.title),
        },
        description,
        // Without the site's address there is no absolute URL to give, unless the meeting has one.
        url: m.url.clone().or(page),
        location: m.url.clone(),
    })
}

fn host(origin: &str) -> Option<&str> {
    let rest = origin.split_once("://")?.1;
    rest.split(['/', ':']).next().filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_come_from_the_origin() {
        assert_eq!(
            host("https://groups.example.org"),
            Some("groups.example.org")
        );
        assert_eq!(host("http://127.0.0.1:8080"), Some("127.0.0.1"));
        assert_eq!(host(""), None);
    }
}

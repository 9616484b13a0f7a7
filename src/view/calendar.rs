//! What the iCalendar files say: one repeating event per group, in the group's own time zone.
//! `render::ics` writes these values as RFC 5545 text.

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use crate::clock;
use crate::compute::schedule::Schedule;
use crate::model::{Group, Status};
use crate::site::Site;
use crate::view::meetings;

/// A calendar: its name and its events.
pub struct Calendar<'a> {
    pub name: &'a str,
    pub events: Vec<Event>,
}

/// One group's meetings as a weekly repeating event.
pub struct Event {
    pub uid: String,
    /// The build's day, so the same input gives the same file.
    pub stamp: NaiveDate,
    pub zone: Tz,
    /// The first day the event repeats from.
    pub start: NaiveDate,
    pub time: NaiveTime,
    pub every_weeks: u8,
    pub day: Weekday,
    pub duration_minutes: Option<u32>,
    pub summary: String,
    pub description: String,
    pub url: Option<String>,
}

/// `meetings.ics`: every group's meetings.
pub fn all(site: &Site) -> Calendar<'_> {
    Calendar {
        name: &site.settings.title,
        events: meetings::listed(site)
            .filter_map(|g| event(site, g))
            .collect(),
    }
}

/// `groups/<slug>/meetings.ics`, for a group still meeting on known days.
pub fn group<'a>(site: &Site, group: &'a Group) -> Option<Calendar<'a>> {
    if group.status == Status::Retired {
        return None;
    }
    let event = event(site, group)?;
    Some(Calendar {
        name: &group.title,
        events: vec![event],
    })
}

fn event(site: &Site, group: &Group) -> Option<Event> {
    let m = group.meetings.as_ref()?;
    let schedule = Schedule::of(m).filter(Schedule::is_fixed)?;
    let start = schedule.dtstart_date(group.created.unwrap_or(site.today));
    // Without the site's address there is no absolute URL to give: the event goes without one.
    let url = site
        .origin
        .as_ref()
        .map(|origin| format!("{origin}{}", site.group_url(&group.slug)));
    let host = site
        .origin
        .as_deref()
        .and_then(host)
        .unwrap_or("groupdir.invalid");
    let mut description = group.summary.clone();
    if let Some(url) = &url {
        description.push_str(&format!("\n\n{url}"));
    }
    if let Some(notes) = &m.notes {
        description.push_str(&format!("\nNotes: {notes}"));
    }
    // Clients disagree on a wall time the clocks skip or repeat: say which instant is meant.
    let meets = |date| m.can_fall_on(date);
    if let Some((date, resolved)) =
        clock::first_odd_day(schedule.zone, schedule.time, site.today, meets)
    {
        let rule = clock::explain(schedule.zone, schedule.time, date, resolved);
        description.push_str(&format!("\n\nOn the days the clocks change: {rule}."));
    }
    Some(Event {
        uid: format!("meetings-{}@{host}", group.slug),
        stamp: site.today,
        zone: schedule.zone,
        start,
        time: schedule.time,
        every_weeks: schedule.every_weeks,
        day: schedule.day,
        duration_minutes: schedule.duration_minutes,
        summary: format!("{} meeting", group.title),
        description,
        url,
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

//! iCalendar (RFC 5545) files of the groups' meetings: one repeating event per group, in the
//! group's own IANA time zone, named by `TZID=` and described by a VTIMEZONE component.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use crate::clock;
use crate::model::{Group, Status};
use crate::render::publish::meetings::{self, Schedule};
use crate::render::publish::vtimezone;
use crate::site::Site;

/// The octets a content line may hold before it is folded.
const LINE_OCTETS: usize = 75;

/// One VEVENT, with the zone and first day its VTIMEZONE must cover.
struct Event {
    zone: Tz,
    start: NaiveDate,
    lines: Vec<String>,
}

/// `meetings.ics` with every group's meetings.
pub fn all(site: &Site) -> Vec<u8> {
    let events: Vec<Event> = meetings::listed(site)
        .filter_map(|g| event(site, g))
        .collect();
    calendar(&site.settings.title, &events)
}

/// `groups/<slug>/meetings.ics`, for a group still meeting on known days.
pub fn group(site: &Site, group: &Group) -> Option<Vec<u8>> {
    if group.status == Status::Retired {
        return None;
    }
    let event = event(site, group)?;
    Some(calendar(&group.title, &[event]))
}

fn calendar(name: &str, events: &[Event]) -> Vec<u8> {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//groupdir//groupdir//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    // One VTIMEZONE per zone, covering the earliest meeting in it.
    let mut zones: BTreeMap<&str, (Tz, NaiveDate)> = BTreeMap::new();
    for e in events {
        let entry = zones.entry(e.zone.name()).or_insert((e.zone, e.start));
        entry.1 = entry.1.min(e.start);
    }
    for (zone, start) in zones.values() {
        lines.extend(vtimezone::component(*zone, *start));
    }
    for e in events {
        lines.extend(e.lines.iter().cloned());
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out.into_bytes()
}

fn event(site: &Site, group: &Group) -> Option<Event> {
    let m = group.meetings.first()?;
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
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:meetings-{}@{host}", group.slug),
        format!("DTSTAMP:{}", stamp(site.today)),
        format!(
            "DTSTART;TZID={}:{}T{}",
            schedule.zone.name(),
            start.format("%Y%m%d"),
            schedule.time.format("%H%M%S")
        ),
        format!(
            "RRULE:FREQ=WEEKLY;INTERVAL={};BYDAY={}",
            schedule.every_weeks,
            vtimezone::byday(schedule.day)
        ),
    ];
    if let Some(minutes) = schedule.duration_minutes {
        lines.push(format!("DURATION:PT{minutes}M"));
    }
    lines.extend([
        format!("SUMMARY:{}", escape(&format!("{} meeting", group.title))),
        format!("DESCRIPTION:{}", escape(&description)),
    ]);
    lines.extend(url.map(|url| format!("URL:{url}")));
    lines.push("END:VEVENT".to_string());
    Some(Event {
        zone: schedule.zone,
        start,
        lines,
    })
}

/// The build's today as a UTC date-time, so the same input gives the same file.
fn stamp(today: NaiveDate) -> String {
    format!(
        "{:04}{:02}{:02}T000000Z",
        today.year(),
        today.month(),
        today.day()
    )
}

fn host(origin: &str) -> Option<&str> {
    let rest = origin.split_once("://")?.1;
    rest.split(['/', ':']).next().filter(|h| !h.is_empty())
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded into lines of at most 75 octets, never inside a UTF-8 character, each
/// ended by CRLF; continuation lines start with a space (RFC 5545 §3.1). Control characters,
/// which a content line may not hold, are written as U+FFFD.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let c = if crate::text::is_forbidden(c) {
            '\u{FFFD}'
        } else {
            c
        };
        if width + c.len_utf8() > LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let mut out = String::new();
        fold(&line, &mut out);
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| l.len() <= LINE_OCTETS));
        assert!(lines[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = out.replace("\r\n ", "").trim_end().to_string();
        assert_eq!(unfolded, line);
    }

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

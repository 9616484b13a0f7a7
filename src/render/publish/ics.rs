//! iCalendar (RFC 5545) files of the groups' meetings: one repeating event per meeting (or one
//! event per one-off session), in the meeting's own IANA time zone, named by `TZID=` and
//! described by a VTIMEZONE component; cancelled dates are `EXDATE`s, moved ones `RECURRENCE-ID`
//! events.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::clock;
use crate::model::{Cadence, Group, Meeting, Status};
use crate::render::publish::meetings;
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
        .flat_map(|g| events(site, g))
        .collect();
    calendar(&site.settings.title, &events)
}

/// `groups/<slug>/meetings.ics`, for a group still meeting on known days.
pub fn group(site: &Site, group: &Group) -> Option<Vec<u8>> {
    if group.status == Status::Retired {
        return None;
    }
    let events = events(site, group);
    (!events.is_empty()).then(|| calendar(&group.title, &events))
}

/// `groups/<slug>/meetings/<id>.ics`: one meeting's own calendar, by its `id`.
pub fn meeting(site: &Site, group: &Group, index: usize) -> Option<Vec<u8>> {
    if group.status == Status::Retired {
        return None;
    }
    let m = group.meetings.get(index)?;
    let event = event(site, group, index, m)?;
    let name = match &m.name {
        Some(name) => format!("{}: {name}", group.title),
        None => group.title.clone(),
    };
    Some(calendar(&name, &[event]))
}

fn events(site: &Site, group: &Group) -> Vec<Event> {
    group
        .meetings
        .iter()
        .enumerate()
        .filter_map(|(i, m)| event(site, group, i, m))
        .collect()
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

/// The VEVENTs of one meeting: the repeating event (or the one-off session) and one per moved
/// occurrence, which shares its UID and names the date it replaces in `RECURRENCE-ID`.
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
    // Without the site's address there is no absolute URL to give, unless the meeting has one.
    let url = m.url.clone().or_else(|| page.clone());
    let host = site
        .origin
        .as_deref()
        .and_then(host)
        .unwrap_or("groupdir.invalid");
    // The first meeting keeps the UID a group's one meeting always had.
    let uid = match index {
        0 => format!("UID:meetings-{}@{host}", group.slug),
        n => format!("UID:meetings-{}-{}@{host}", group.slug, n + 1),
    };
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
    let summary = match &m.name {
        Some(name) => format!("{}: {name}", group.title),
        None => format!("{} meeting", group.title),
    };
    let local = |date: NaiveDate, time: NaiveTime| {
        format!(
            "TZID={}:{}T{}",
            zone.name(),
            date.format("%Y%m%d"),
            time.format("%H%M%S")
        )
    };
    // Stable across rebuilds (see the README): the first meeting's day, never the build's time.
    let dtstamp = format!("DTSTAMP:{}T000000Z", start.format("%Y%m%d"));
    let common = |lines: &mut Vec<String>| {
        if let Some(minutes) = m.duration_minutes {
            lines.push(format!("DURATION:PT{minutes}M"));
        }
        lines.push(format!("SUMMARY:{}", escape(&summary)));
        lines.push(format!("DESCRIPTION:{}", escape(&description)));
        lines.extend(url.as_ref().map(|url| format!("URL:{url}")));
        lines.extend(
            m.url
                .as_ref()
                .map(|url| format!("LOCATION:{}", escape(url))),
        );
    };
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        uid.clone(),
        dtstamp.clone(),
        format!("DTSTART;{}", local(start, time)),
    ];
    lines.extend(rrule(m));
    // One EXDATE per line, as RDATE: every client reads that form.
    let mut cancelled = m.cancelled.clone();
    cancelled.sort();
    lines.extend(
        cancelled
            .iter()
            .filter(|d| **d >= start)
            .map(|d| format!("EXDATE;{}", local(*d, time))),
    );
    common(&mut lines);
    lines.push("END:VEVENT".to_string());
    for moved in m.moved.iter().filter(|mv| mv.from >= start) {
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            uid.clone(),
            dtstamp.clone(),
            format!("RECURRENCE-ID;{}", local(moved.from, time)),
            format!("DTSTART;{}", local(moved.to, moved.time.unwrap_or(time))),
        ]);
        common(&mut lines);
        lines.push("END:VEVENT".to_string());
    }
    Some(Event { zone, start, lines })
}

/// The recurrence rule of a repeating meeting; none for a one-off session.
fn rrule(m: &Meeting) -> Option<String> {
    match m.cadence {
        Cadence::Weeks { every_weeks, .. } => Some(format!(
            "RRULE:FREQ=WEEKLY;INTERVAL={every_weeks};BYDAY={}",
            vtimezone::byday(m.day()?)
        )),
        Cadence::Monthly { on: Some(on), .. } => Some(format!(
            "RRULE:FREQ=MONTHLY;BYDAY={}{}",
            on.week.ordinal(),
            vtimezone::byday(on.day)
        )),
        _ => None,
    }
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

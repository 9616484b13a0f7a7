//! iCalendar (RFC 5545) files of the groups' meetings ([`crate::view::calendar`]): one event per
//! meeting, in its own IANA time zone, named by `TZID=` and described by a VTIMEZONE component;
//! cancelled dates are `EXDATE`s, moved ones `RECURRENCE-ID` events.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::render::vtimezone;
use crate::view::calendar::{Calendar, Event, Recurrence};

/// The octets a content line may hold before it is folded.
const LINE_OCTETS: usize = 75;

/// The bytes of `calendar`.
pub fn bytes(calendar: &Calendar) -> Vec<u8> {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//groupdir//groupdir//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(&calendar.name)),
    ];
    // One VTIMEZONE per zone, covering the earliest meeting in it.
    let mut zones: BTreeMap<&str, (Tz, NaiveDate)> = BTreeMap::new();
    for e in &calendar.events {
        let entry = zones.entry(e.zone.name()).or_insert((e.zone, e.start));
        entry.1 = entry.1.min(e.start);
    }
    for (zone, start) in zones.values() {
        lines.extend(vtimezone::component(*zone, *start));
    }
    for e in &calendar.events {
        lines.extend(event(e));
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out.into_bytes()
}

/// The event's lines: the repeating event (or the one-off session) with its `EXDATE`s, then one
/// `RECURRENCE-ID` event per moved occurrence, which shares its UID.
fn event(e: &Event) -> Vec<String> {
    let local = |date: NaiveDate, time: NaiveTime| {
        format!(
            "TZID={}:{}T{}",
            e.zone.name(),
            date.format("%Y%m%d"),
            time.format("%H%M%S")
        )
    };
    // Stable across rebuilds: the first meeting's day, never the build's.
    let stamp = format!("DTSTAMP:{}T000000Z", e.stamp.format("%Y%m%d"));
    let common = |lines: &mut Vec<String>| {
        if let Some(minutes) = e.duration_minutes {
            lines.push(format!("DURATION:PT{minutes}M"));
        }
        lines.push(format!("SUMMARY:{}", escape(&e.summary)));
        lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
        lines.extend(e.url.as_ref().map(|url| format!("URL:{url}")));
        lines.extend(
            e.location
                .as_ref()
                .map(|l| format!("LOCATION:{}", escape(l))),
        );
    };
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", e.uid),
        stamp.clone(),
        format!("DTSTART;{}", local(e.start, e.time)),
    ];
    lines.extend(e.recurrence.as_ref().map(|r| match r {
        Recurrence::Weekly { every_weeks, day } => format!(
            "RRULE:FREQ=WEEKLY;INTERVAL={every_weeks};BYDAY={}",
            vtimezone::byday(*day)
        ),
        Recurrence::Monthly { week, day } => format!(
            "RRULE:FREQ=MONTHLY;BYDAY={}{}",
            week.ordinal(),
            vtimezone::byday(*day)
        ),
    }));
    // One EXDATE per line, as RDATE: every client reads that form.
    lines.extend(
        e.cancelled
            .iter()
            .map(|d| format!("EXDATE;{}", local(*d, e.time))),
    );
    common(&mut lines);
    lines.push("END:VEVENT".to_string());
    for moved in &e.moved {
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", e.uid),
            stamp.clone(),
            format!("RECURRENCE-ID;{}", local(moved.from, e.time)),
            format!("DTSTART;{}", local(moved.to, moved.time)),
        ]);
        common(&mut lines);
        lines.push("END:VEVENT".to_string());
    }
    lines
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
}

//! VTIMEZONE components (RFC 5545 §3.6.5) from the IANA data chrono-tz carries, so that a
//! calendar app that does not know a zone by name still gets its offsets right.
//!
//! chrono-tz exposes offsets, not rules: the transitions are found by sampling and bisection, and
//! each kind of transition becomes one observance, with a yearly rule when one rule reproduces
//! every transition of the period, else with the dates listed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Weekday};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// How many years after the first meeting the observances are checked against the data.
const YEARS: i32 = 20;
/// Transitions are months apart; sampling every six hours cannot step over two of them.
const STEP_SECONDS: i64 = 6 * 3600;

/// What a zone's clocks say at an instant: offset from UTC in seconds, daylight saving, name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    offset: i32,
    daylight: bool,
    name: Option<String>,
}

/// A change of state: the kind of change (from, to) and the wall time it happened at, read on
/// the clock before it, as RFC 5545 wants an observance's DTSTART.
#[derive(Debug, Clone)]
struct Transition {
    from: i32,
    to: State,
    local: NaiveDateTime,
    utc: i64,
}

/// The lines of a VTIMEZONE for `zone`, valid from `start` on.
pub fn component(zone: Tz, start: NaiveDate) -> Vec<String> {
    let last_year = start.year() + YEARS;
    // vobject takes a VTIMEZONE whose offsets match UTC's from 2000 to 2020 for UTC itself and
    // reads the TZID elsewhere (pytz, which then puts every meeting at the first one's offset):
    // a zone whose rule has held since 1999, such as Europe/London, is described from then. Its
    // rules stay two lines each, so the file hardly grows.
    let first_year = match start.year() - 1 {
        year if year > RULES_SINCE && yearly_rules_only(zone, RULES_SINCE, last_year) => {
            RULES_SINCE
        }
        year => year,
    };
    let list = cached_transitions(zone, first_year, last_year);
    let start_utc = timestamp(start.year(), start.month(), start.day());
    let mut lines = vec![
        "BEGIN:VTIMEZONE".to_string(),
        format!("TZID:{}", zone.name()),
    ];
    if list.first().is_none_or(|t| t.utc > start_utc) {
        // Nothing changed before the first meeting: one observance covers it from 1970.
        let state = state(zone, timestamp(first_year, 1, 1));
        lines.extend(observance(&state, state.offset, &[epoch()], None));
    }
    for group in kinds(&list) {
        let locals: Vec<NaiveDateTime> = group.iter().map(|t| t.local).collect();
        let rule = yearly_rule(&locals, last_year);
        let dates = if rule.is_some() {
            &locals[..1]
        } else {
            &locals[..]
        };
        lines.extend(observance(&group[0].to, group[0].from, dates, rule));
    }
    lines.push("END:VTIMEZONE".to_string());
    lines
}

/// The year a zone described only by yearly rules is described from (see [`component`]).
const RULES_SINCE: i32 = 1999;

/// Whether every change of the clocks in `zone` from `first_year` to `last_year` follows a
/// yearly rule.
fn yearly_rules_only(zone: Tz, first_year: i32, last_year: i32) -> bool {
    let list = cached_transitions(zone, first_year, last_year);
    !list.is_empty()
        && kinds(&list).iter().all(|group| {
            let locals: Vec<NaiveDateTime> = group.iter().map(|t| t.local).collect();
            yearly_rule(&locals, last_year).is_some()
        })
}

fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("a valid date")
}

fn timestamp(year: i32, month: u32, day: u32) -> i64 {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp())
}

fn state(zone: Tz, utc: i64) -> State {
    let instant = DateTime::from_timestamp(utc, 0).unwrap_or_default();
    let offset = zone.offset_from_utc_datetime(&instant.naive_utc());
    State {
        offset: offset.fix().local_minus_utc(),
        daylight: offset.dst_offset() != Duration::zero(),
        name: offset.abbreviation().map(str::to_string),
    }
}

/// Every change of state from the start of `first_year` to the end of `last_year`.
/// `transitions`, computed once per zone and period: every group's calendar needs its zone's, and
/// sampling twenty years of offsets costs about half a millisecond, seconds at 10,000 groups.
fn cached_transitions(zone: Tz, first_year: i32, last_year: i32) -> Arc<Vec<Transition>> {
    type Cache = Mutex<HashMap<(Tz, i32, i32), Arc<Vec<Transition>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = (zone, first_year, last_year);
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(list) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Arc::clone(list);
    }
    let list = Arc::new(transitions(zone, first_year, last_year));
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, Arc::clone(&list));
    list
}

fn transitions(zone: Tz, first_year: i32, last_year: i32) -> Vec<Transition> {
    let end = timestamp(last_year + 1, 1, 1);
    let mut t = timestamp(first_year, 1, 1);
    let mut before = state(zone, t);
    let mut list = Vec::new();
    while t < end {
        let next = t + STEP_SECONDS;
        let after = state(zone, next);
        if after != before {
            // The first second of the new state.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if state(zone, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let local = DateTime::from_timestamp(hi + i64::from(before.offset), 0)
                .unwrap_or_default()
                .naive_utc();
            list.push(Transition {
                from: before.offset,
                to: after.clone(),
                local,
                utc: hi,
            });
            before = after;
        }
        t = next;
    }
    list
}

/// Transitions grouped by kind (same offsets, daylight flag and name), in order of first use.
fn kinds(list: &[Transition]) -> Vec<Vec<Transition>> {
    let mut groups: Vec<Vec<Transition>> = Vec::new();
    for t in list {
        match groups
            .iter_mut()
            .find(|g| g[0].from == t.from && g[0].to == t.to)
        {
            Some(group) => group.push(t.clone()),
            None => groups.push(vec![t.clone()]),
        }
    }
    groups
}

/// `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU` when that rule gives exactly `locals`, one a year through
/// `last_year` at the same time of day.
fn yearly_rule(locals: &[NaiveDateTime], last_year: i32) -> Option<String> {
    let first = locals.first()?;
    let (month, weekday) = (first.month(), first.weekday());
    let last_day = days_in_month(first.year(), month);
    let ordinal = if first.day() + 7 > last_day {
        -1
    } else {
        (first.day() as i32 - 1) / 7 + 1
    };
    let consecutive = locals.last()?.year() == last_year
        && locals.iter().enumerate().all(|(i, local)| {
            local.year() == first.year() + i as i32
                && local.time() == first.time()
                && Some(local.date()) == nth_weekday(local.year(), month, weekday, ordinal)
        });
    consecutive.then(|| {
        format!(
            "FREQ=YEARLY;BYMONTH={month};BYDAY={ordinal}{}",
            byday(weekday)
        )
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.map_or(31, |d| d.pred_opt().map_or(31, |d| d.day()))
}

/// The `ordinal`-th `weekday` of the month; -1 is the last.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, ordinal: i32) -> Option<NaiveDate> {
    if ordinal == -1 {
        let last = NaiveDate::from_ymd_opt(year, month, days_in_month(year, month))?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        return Some(last - Duration::days(i64::from(back)));
    }
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, u8::try_from(ordinal).ok()?)
}

fn observance(to: &State, from: i32, dates: &[NaiveDateTime], rule: Option<String>) -> Vec<String> {
    let kind = if to.daylight { "DAYLIGHT" } else { "STANDARD" };
    let mut lines = vec![
        format!("BEGIN:{kind}"),
        format!("DTSTART:{}", dates[0].format("%Y%m%dT%H%M%S")),
    ];
    if let Some(rule) = rule {
        lines.push(format!("RRULE:{rule}"));
    }
    // One RDATE per date: a list in one property is valid, but dateutil and vobject read only
    // its first date, and put months of meetings an hour out.
    lines.extend(
        dates[1..]
            .iter()
            .map(|d| format!("RDATE:{}", d.format("%Y%m%dT%H%M%S"))),
    );
    lines.push(format!("TZOFFSETFROM:{}", utc_offset(from)));
    lines.push(format!("TZOFFSETTO:{}", utc_offset(to.offset)));
    if let Some(name) = &to.name {
        lines.push(format!("TZNAME:{name}"));
    }
    lines.push(format!("END:{kind}"));
    lines
}

/// `+0100`, `-0500`, `+0530`, with seconds only when there are any.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, rest) = (s / 3600, s % 3600 / 60, s % 60);
    if rest == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{rest:02}")
    }
}

/// The iCalendar name of a weekday, as `RRULE:…;BYDAY=` writes it.
pub(super) fn byday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(zone: &str, start: &str) -> Vec<String> {
        component(zone.parse().unwrap(), start.parse().unwrap())
    }

    #[test]
    fn london_has_yearly_rules_for_summer_and_winter_time() {
        let l = lines("Europe/London", "2026-10-13");
        assert_eq!(l[1], "TZID:Europe/London");
        let text = l.join("\n");
        // From 1999, since the rule has held since: vobject would otherwise read the zone as UTC.
        assert!(text.contains("BEGIN:STANDARD\nDTSTART:19991031T020000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0000\nTZNAME:GMT\nEND:STANDARD"), "{text}");
        assert!(text.contains("BEGIN:DAYLIGHT\nDTSTART:19990328T010000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0100\nTZNAME:BST\nEND:DAYLIGHT"), "{text}");
        assert_eq!(text.matches("BEGIN:").count(), 3, "{text}");
    }

    #[test]
    fn new_york_switches_on_the_second_and_first_sundays() {
        let text = lines("America/New_York", "2026-03-04").join("\n");
        assert!(
            text.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
            "{text}"
        );
        assert!(
            text.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
            "{text}"
        );
        assert!(text.contains("TZOFFSETTO:-0500"), "{text}");
    }

    #[test]
    fn sydney_has_summer_time_across_the_new_year() {
        let text = lines("Australia/Sydney", "2026-03-04").join("\n");
        assert!(
            text.contains(
                "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\nTZOFFSETFROM:+1100\nTZOFFSETTO:+1000"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\nTZOFFSETFROM:+1000\nTZOFFSETTO:+1100"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_zone_without_changes_has_one_observance() {
        let text = lines("Asia/Tokyo", "2026-03-04").join("\n");
        assert_eq!(
            text,
            "BEGIN:VTIMEZONE\nTZID:Asia/Tokyo\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0900\nTZOFFSETTO:+0900\nTZNAME:JST\nEND:STANDARD\nEND:VTIMEZONE"
        );
    }

    #[test]
    fn listed_transitions_take_one_rdate_line_each() {
        // Morocco's clocks change around Ramadan, on dates no yearly rule gives.
        let l = lines("Africa/Casablanca", "2026-03-04");
        let rdates: Vec<&String> = l.iter().filter(|l| l.starts_with("RDATE")).collect();
        assert!(rdates.len() > 10, "{l:#?}");
        assert!(
            rdates
                .iter()
                .all(|l| l.len() == "RDATE:20270101T000000".len()),
            "{rdates:#?}"
        );
    }

    #[test]
    fn offsets_are_written_as_rfc_5545_wants() {
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(-5 * 3600), "-0500");
        assert_eq!(utc_offset(5 * 3600 + 1800), "+0530");
        assert_eq!(utc_offset(-(3600 + 15 * 60 + 20)), "-011520");
    }

    #[test]
    fn the_last_sunday_is_found_in_any_month() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            nth_weekday(2026, 10, Weekday::Sun, -1),
            Some(d("2026-10-25"))
        );
        assert_eq!(
            nth_weekday(2026, 3, Weekday::Sun, -1),
            Some(d("2026-03-29"))
        );
        assert_eq!(nth_weekday(2026, 3, Weekday::Sun, 2), Some(d("2026-03-08")));
    }
}

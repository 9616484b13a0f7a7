//! Wall times on the days a zone's clocks change, read as RFC 5545 §3.3.5 tells calendar apps
//! to: a time the clocks skip is read with the offset from before the change, and a time they
//! show twice is the first of the two. `validate` warns about meetings at such times, and the
//! calendars and pages place them by the same rule.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::offset::LocalResult;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;

/// How far ahead a meeting's days are checked against the clock changes.
pub const HORIZON_YEARS: u32 = 5;

/// What a clock change does to one wall time on its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oddity {
    /// The clocks jump over it: it never shows.
    Skipped,
    /// The clocks go back over it: it shows twice.
    Repeated,
}

/// The instant a wall time stands for, and what was odd about it, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub start: DateTime<Tz>,
    pub oddity: Option<Oddity>,
}

/// The instant `local` stands for in `zone`, by RFC 5545's rule.
pub fn resolve(zone: Tz, local: NaiveDateTime) -> Resolved {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(start) => Resolved {
            start,
            oddity: None,
        },
        LocalResult::Ambiguous(first, _) => Resolved {
            start: first,
            oddity: Some(Oddity::Repeated),
        },
        LocalResult::None => {
            // Changes are months apart, so a day earlier the old offset was in force.
            let before = zone
                .offset_from_utc_datetime(&(local - Duration::days(1)))
                .fix();
            let utc = local - Duration::seconds(i64::from(before.local_minus_utc()));
            Resolved {
                start: zone.from_utc_datetime(&utc),
                oddity: Some(Oddity::Skipped),
            }
        }
    }
}

/// The first day from `from` on, within [`HORIZON_YEARS`], that `meets` on and on which `time`
/// in `zone` is skipped or repeated, with what that wall time then stands for.
pub fn first_odd_day(
    zone: Tz,
    time: NaiveTime,
    from: NaiveDate,
    meets: impl Fn(NaiveDate) -> bool,
) -> Option<(NaiveDate, Resolved)> {
    change_days(zone, from)
        .iter()
        .copied()
        .filter(|&date| meets(date))
        .map(|date| (date, resolve(zone, date.and_time(time))))
        .find(|(_, resolved)| resolved.oddity.is_some())
}

/// What happens to a meeting at `time` on `date`, an odd day, in words for people and calendars.
pub fn explain(zone: Tz, time: NaiveTime, date: NaiveDate, resolved: Resolved) -> String {
    let shown = resolved.start.format("%H:%M %Z");
    let time = time.format("%H:%M");
    match resolved.oddity {
        Some(Oddity::Skipped) => format!(
            "{time} does not exist in {zone} on {date}, when the clocks go forward: by the \
             calendar rule (RFC 5545) the meeting starts at {shown} that day"
        ),
        Some(Oddity::Repeated) => format!(
            "{time} happens twice in {zone} on {date}, when the clocks go back: by the calendar \
             rule (RFC 5545) the meeting starts at the first, {shown}"
        ),
        None => format!("{time} on {date} is {shown} in {zone}"),
    }
}

/// The local dates on which `zone`'s clocks may change, from `from` for [`HORIZON_YEARS`]: each
/// change found, with the day before and after, since its local date depends on the offset.
/// Cached per zone and start: every group meeting in a zone needs the same list.
fn change_days(zone: Tz, from: NaiveDate) -> Arc<Vec<NaiveDate>> {
    type Cache = Mutex<HashMap<(Tz, NaiveDate), Arc<Vec<NaiveDate>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(days) = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&(zone, from))
    {
        return Arc::clone(days);
    }
    let noon = |date: NaiveDate| {
        let utc = date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
        zone.offset_from_utc_datetime(&utc).fix()
    };
    let until = from + Duration::days(i64::from(HORIZON_YEARS) * 366);
    let mut days = Vec::new();
    let mut before = noon(from - Duration::days(1));
    for date in from.iter_days().take_while(|&d| d <= until) {
        let after = noon(date);
        if after != before {
            for day in [date - Duration::days(1), date, date + Duration::days(1)] {
                if day >= from && days.last() < Some(&day) {
                    days.push(day);
                }
            }
        }
        before = after;
    }
    let days = Arc::new(days);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert((zone, from), Arc::clone(&days));
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    /// When `local` in `zone` starts, in UTC, and what was odd about it.
    fn at(zone: &str, local: &str) -> (String, Option<Oddity>) {
        let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        let r = resolve(zone.parse().unwrap(), local);
        let utc = r.start.with_timezone(&Utc).format("%Y-%m-%d %H:%M");
        (utc.to_string(), r.oddity)
    }

    #[test]
    fn a_skipped_time_takes_the_offset_from_before_the_change() {
        // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT; 02:30 EST is 07:30 UTC.
        let skipped = Some(Oddity::Skipped);
        assert_eq!(
            at("America/New_York", "2026-03-08 02:30"),
            ("2026-03-08 07:30".into(), skipped)
        );
        // Lord Howe skips half an hour: 02:00 +10:30 becomes 02:30 +11:00.
        assert_eq!(
            at("Australia/Lord_Howe", "2026-10-04 02:15"),
            ("2026-10-03 15:45".into(), skipped)
        );
    }

    #[test]
    fn a_repeated_time_is_the_first_of_the_two() {
        let repeated = Some(Oddity::Repeated);
        assert_eq!(
            at("America/New_York", "2026-11-01 01:30"),
            ("2026-11-01 05:30".into(), repeated)
        );
        assert_eq!(
            at("America/New_York", "2026-11-01 16:00"),
            ("2026-11-01 21:00".into(), None)
        );
    }

    #[test]
    fn the_first_odd_meeting_day_is_found() {
        let zone: Tz = "America/New_York".parse().unwrap();
        let from = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let sundays = |d: NaiveDate| chrono::Datelike::weekday(&d) == chrono::Weekday::Sun;
        let time = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        let (day, r) = first_odd_day(zone, time("02:30"), from, sundays).unwrap();
        assert_eq!(
            (day.to_string(), r.oddity),
            ("2027-03-14".into(), Some(Oddity::Skipped))
        );
        let (day, r) = first_odd_day(zone, time("01:30"), from, sundays).unwrap();
        assert_eq!(
            (day.to_string(), r.oddity),
            ("2027-11-07".into(), Some(Oddity::Repeated))
        );
        assert_eq!(first_odd_day(zone, time("16:00"), from, sundays), None);
        let tokyo = "Asia/Tokyo".parse().unwrap();
        assert_eq!(first_odd_day(tokyo, time("02:30"), from, sundays), None);
    }
}

//! A meeting's schedule as typed values, and the computations on it that depend on the day:
//! the next meeting on or after today, the first day a calendar repeats from.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;

use crate::clock;
use crate::model::Meetings;

/// A meeting whose day, time and zone are known, and which week it falls on.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub every_weeks: u8,
    pub day: Weekday,
    pub time: NaiveTime,
    pub zone: Tz,
    pub duration_minutes: Option<u32>,
    /// A date of one meeting; `None` when only the day is known (fine for weekly meetings).
    pub anchor: Option<NaiveDate>,
}

impl Schedule {
    /// The schedule of `meetings`, when its day (or `first`), time and zone are all given.
    pub fn of(meetings: &Meetings) -> Option<Schedule> {
        let day = meetings.day.or(meetings.first.map(|d| d.weekday()))?;
        let time = NaiveTime::parse_from_str(meetings.time.as_deref()?, "%H:%M").ok()?;
        let zone = meetings.timezone.as_deref()?.parse().ok()?;
        Some(Schedule {
            every_weeks: meetings.every_weeks.max(1),
            day,
            time,
            zone,
            duration_minutes: meetings.duration_minutes,
            anchor: meetings.first,
        })
    }

    /// Whether the week of each meeting is known, so that calendars can repeat it.
    pub fn is_fixed(&self) -> bool {
        self.anchor.is_some() || self.every_weeks == 1
    }

    /// The date of the first meeting on or after `today`, if the week is known.
    pub fn next_date(&self, today: NaiveDate) -> Option<NaiveDate> {
        let period = i64::from(self.every_weeks) * 7;
        match self.anchor {
            Some(anchor) if anchor >= today => Some(anchor),
            Some(anchor) => {
                let periods = ((today - anchor).num_days() + period - 1) / period;
                Some(anchor + Duration::days(periods * period))
            }
            None if self.every_weeks == 1 => Some(next_weekday(today, self.day)),
            None => None,
        }
    }

    /// The instant a meeting on `date` starts, by the rule calendar apps follow on the days the
    /// clocks change (see [`clock`]).
    pub fn start(&self, date: NaiveDate) -> DateTime<Tz> {
        clock::resolve(self.zone, NaiveDateTime::new(date, self.time)).start
    }

    /// The first date to repeat from: `first`, or the first meeting day on or after `from`.
    pub fn dtstart_date(&self, from: NaiveDate) -> NaiveDate {
        self.anchor.unwrap_or_else(|| next_weekday(from, self.day))
    }
}

/// The first `day` on or after `date`.
pub fn next_weekday(date: NaiveDate, day: Weekday) -> NaiveDate {
    let ahead = (7 + day.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date + Duration::days(i64::from(ahead))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn schedule(every_weeks: u8, first: Option<&str>, zone: &str) -> Schedule {
        Schedule::of(&Meetings {
            every_weeks,
            day: Some(Weekday::Tue),
            time: Some("16:00".to_string()),
            timezone: Some(zone.to_string()),
            duration_minutes: Some(45),
            first: first.map(date),
            notes: None,
            calendar: None,
        })
        .unwrap()
    }

    #[test]
    fn fortnightly_meetings_keep_their_week() {
        let s = schedule(2, Some("2026-10-13"), "Europe/London");
        assert_eq!(s.next_date(date("2026-10-01")), Some(date("2026-10-13")));
        assert_eq!(s.next_date(date("2026-10-13")), Some(date("2026-10-13")));
        assert_eq!(s.next_date(date("2026-10-14")), Some(date("2026-10-27")));
        assert_eq!(s.next_date(date("2026-10-27")), Some(date("2026-10-27")));
        assert_eq!(s.next_date(date("2026-10-28")), Some(date("2026-11-10")));
    }

    #[test]
    fn the_utc_time_follows_daylight_saving() {
        let s = schedule(2, Some("2026-10-13"), "Europe/London");
        let utc = |d: &str| {
            s.start(date(d))
                .with_timezone(&Utc)
                .format("%H:%M")
                .to_string()
        };
        assert_eq!(utc("2026-10-13"), "15:00", "British Summer Time");
        assert_eq!(
            utc("2026-10-27"),
            "16:00",
            "after the clocks go back on 25 October"
        );
    }

    #[test]
    fn weekly_meetings_need_only_a_day() {
        let s = schedule(1, None, "America/New_York");
        assert_eq!(s.next_date(date("2026-11-25")), Some(date("2026-12-01")));
        assert_eq!(s.next_date(date("2026-12-01")), Some(date("2026-12-01")));
        assert!(s.is_fixed());
    }

    #[test]
    fn fortnightly_meetings_without_first_have_no_next_date() {
        let s = schedule(2, None, "Europe/London");
        assert_eq!(s.next_date(date("2026-11-25")), None);
        assert!(!s.is_fixed());
    }

    #[test]
    fn a_time_skipped_by_the_clock_change_moves_on() {
        let mut s = schedule(1, None, "Europe/London");
        s.time = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        let start = s.start(date("2026-03-29")).with_timezone(&Utc);
        assert_eq!(start.format("%H:%M").to_string(), "01:30");
    }
}

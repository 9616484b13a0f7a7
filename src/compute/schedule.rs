//! The computations on a meeting's schedule that depend on the day: its occurrences from today,
//! and the instant each starts. The cadence rules themselves are the model's
//! ([`crate::model::Meeting`]), which does not know what day it is.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::clock;
use crate::model::{Meeting, Occurrence};

pub use crate::model::next_weekday;

/// The instant a meeting at `time` on `date` starts, by the rule calendar apps follow on the
/// days the clocks change (see [`clock`]).
pub fn start(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Tz> {
    clock::resolve(zone, date.and_time(time)).start
}

/// The occurrences of `meeting` from `today` for `days` days, exceptions applied.
pub fn coming(meeting: &Meeting, today: NaiveDate, days: i64) -> Vec<Occurrence> {
    meeting.occurrences(today, today + Duration::days(days - 1))
}

/// The first occurrence from `today` that takes place (the cancelled ones skipped), within
/// `days` days.
pub fn next(meeting: &Meeting, today: NaiveDate, days: i64) -> Option<Occurrence> {
    coming(meeting, today, days)
        .into_iter()
        .find(|o| !o.cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cadence, Moved};
    use chrono::{Utc, Weekday};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn utc(t: DateTime<Tz>) -> String {
        t.with_timezone(&Utc).format("%Y-%m-%dT%H:%MZ").to_string()
    }

    #[test]
    fn the_utc_time_follows_daylight_saving() {
        let london = chrono_tz::Europe::London;
        let four = NaiveTime::from_hms_opt(16, 0, 0).unwrap();
        let at = |d: &str| utc(start(london, date(d), four));
        assert_eq!(at("2026-10-13"), "2026-10-13T15:00Z", "British Summer Time");
        assert_eq!(at("2026-10-27"), "2026-10-27T16:00Z", "after 25 October");
    }

    #[test]
    fn a_time_skipped_by_the_clock_change_moves_on() {
        let half_past_one = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        let at = start(chrono_tz::Europe::London, date("2026-03-29"), half_past_one);
        assert_eq!(utc(at), "2026-03-29T01:30Z");
    }

    #[test]
    fn the_next_meeting_skips_a_cancelled_one_and_finds_a_moved_one() {
        let meeting = Meeting {
            name: None,
            cadence: Cadence::Weeks {
                every_weeks: 2,
                day: Some(Weekday::Tue),
                first: Some(date("2026-10-13")),
            },
            time: NaiveTime::from_hms_opt(16, 0, 0),
            zone: Some(chrono_tz::Europe::London),
            duration_minutes: Some(45),
            notes: None,
            calendar: None,
            url: None,
            cancelled: vec![date("2026-10-27")],
            moved: vec![Moved {
                from: date("2026-11-10"),
                to: date("2026-11-11"),
                time: None,
            }],
            key: "meetings".to_string(),
        };
        let found = next(&meeting, date("2026-10-14"), 60).unwrap();
        assert_eq!(found.date, date("2026-11-11"));
        assert_eq!(found.scheduled, date("2026-11-10"));
        assert_eq!(next(&meeting, date("2026-10-14"), 10), None);
    }
}

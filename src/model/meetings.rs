//! A group's meetings as parsed values: a cadence, a time of day, an IANA zone, the dates that
//! were cancelled or moved. `parse` makes them from the file once; everything downstream reads
//! these values and never parses a meeting field again.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::Serialize;

/// A 24-hour time of day, "HH:MM".
pub const TIME_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

/// One meeting of a group: a recurring call, or a one-off session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// "Working session", "Office hours"; a one-off session's title.
    pub name: Option<String>,
    pub cadence: Cadence,
    pub time: Option<NaiveTime>,
    pub zone: Option<Tz>,
    pub duration_minutes: Option<u32>,
    /// Where notes are posted.
    pub notes: Option<String>,
    /// The community calendar entry.
    pub calendar: Option<String>,
    /// The page people join from, or the event's own page: `URL` and `LOCATION` in calendars.
    pub url: Option<String>,
    /// Local dates on which the meeting does not take place.
    pub cancelled: Vec<NaiveDate>,
    pub moved: Vec<Moved>,
    /// Where the meeting is written in its file (`meetings` or `meetings[1]`), for diagnostics.
    pub key: String,
}

/// How often a meeting takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Every `every_weeks` weeks on `day`; `first`, a date of one meeting, fixes the week.
    Weeks {
        every_weeks: u8,
        day: Option<Weekday>,
        first: Option<NaiveDate>,
    },
    /// Monthly on the `on` weekday of the month; `None` while the day is not on record.
    Monthly {
        on: Option<MonthDay>,
        first: Option<NaiveDate>,
    },
    /// A one-off session.
    Once { date: NaiveDate },
    /// Called when needed: listed, never in a calendar.
    AsNeeded,
    /// No cadence on record yet.
    ToBeDecided,
}

/// "second Tuesday", "last Friday": a weekday of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthDay {
    pub week: Nth,
    pub day: Weekday,
}

/// Which of a month's weekdays: the first four exist in every month, and so does the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

impl Nth {
    pub const NAMES: [&'static str; 5] = ["first", "second", "third", "fourth", "last"];
    const ALL: [Nth; 5] = [Nth::First, Nth::Second, Nth::Third, Nth::Fourth, Nth::Last];

    pub fn parse(word: &str) -> Option<Nth> {
        let i = Nth::NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(word))?;
        Some(Nth::ALL[i])
    }

    pub fn name(self) -> &'static str {
        Nth::NAMES[Nth::ALL.iter().position(|n| *n == self).unwrap_or(0)]
    }

    /// The number RFC 5545's `BYDAY` gives it: 1 to 4, or -1 for the last.
    pub fn ordinal(self) -> i8 {
        match self {
            Nth::First => 1,
            Nth::Second => 2,
            Nth::Third => 3,
            Nth::Fourth => 4,
            Nth::Last => -1,
        }
    }
}

impl MonthDay {
    /// The date in `year`-`month`: it always exists, since no month lacks a fourth weekday.
    pub fn in_month(self, year: i32, month: u32) -> Option<NaiveDate> {
        match self.week {
            Nth::Last => {
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)
                }?;
                let last = next.pred_opt()?;
                let back = (7 + last.weekday().num_days_from_monday()
                    - self.day.num_days_from_monday())
                    % 7;
                Some(last - Duration::days(i64::from(back)))
            }
            week => {
                let first = NaiveDate::from_ymd_opt(year, month, 1)?;
                let n = u32::try_from(week.ordinal()).ok()?;
                Some(next_weekday(first, self.day) + Duration::weeks(i64::from(n - 1)))
            }
        }
    }

    pub fn matches(self, date: NaiveDate) -> bool {
        self.in_month(date.year(), date.month()) == Some(date)
    }
}

impl std::fmt::Display for MonthDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.week.name(), weekday_full_name(self.day))
    }
}

/// An occurrence that takes place on another day or at another time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Moved {
    /// The date the cadence gives.
    pub from: NaiveDate,
    /// The date it takes place instead.
    pub to: NaiveDate,
    /// Its local time instead, when that changed too.
    #[serde(serialize_with = "hh_mm")]
    #[schemars(with = "Option<String>", extend("pattern" = TIME_PATTERN))]
    pub time: Option<NaiveTime>,
}

/// One occurrence of a meeting on the calendar, exceptions applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// The local date and time it takes place.
    pub date: NaiveDate,
    pub time: NaiveTime,
    /// The date the cadence gives (the same as `date` unless it was moved).
    pub scheduled: NaiveDate,
    pub cancelled: bool,
}

impl Meeting {
    /// The weekday the meeting falls on, when it falls on one.
    pub fn day(&self) -> Option<Weekday> {
        match self.cadence {
            Cadence::Weeks { day, first, .. } => day.or(first.map(|d| d.weekday())),
            Cadence::Monthly { on, .. } => on.map(|o| o.day),
            Cadence::Once { date } => Some(date.weekday()),
            Cadence::AsNeeded | Cadence::ToBeDecided => None,
        }
    }

    /// Whether the cadence puts a meeting on `date` (before exceptions). A meeting every few
    /// weeks whose week is not known falls on any of its weekdays.
    pub fn can_fall_on(&self, date: NaiveDate) -> bool {
        match self.cadence {
            Cadence::Weeks {
                every_weeks, first, ..
            } => {
                let week = first.is_none_or(|first| {
                    (date - first).num_days() % (7 * i64::from(every_weeks.max(1))) == 0
                });
                self.day() == Some(date.weekday()) && week
            }
            Cadence::Monthly { on, .. } => on.is_some_and(|on| on.matches(date)),
            Cadence::Once { date: once } => once == date,
            Cadence::AsNeeded | Cadence::ToBeDecided => false,
        }
    }

    /// Whether every date of the meeting is known, so that a calendar can hold it.
    pub fn is_fixed(&self) -> bool {
        let dates = match self.cadence {
            Cadence::Weeks {
                every_weeks,
                day,
                first,
            } => first.is_some() || (every_weeks == 1 && day.is_some()),
            Cadence::Monthly { on, .. } => on.is_some(),
            Cadence::Once { .. } => true,
            Cadence::AsNeeded | Cadence::ToBeDecided => false,
        };
        dates && self.time.is_some() && self.zone.is_some()
    }

    /// The first date the cadence gives on or after `from`, ignoring exceptions.
    pub fn next_rule_date(&self, from: NaiveDate) -> Option<NaiveDate> {
        match self.cadence {
            Cadence::Weeks {
                every_weeks,
                day,
                first,
            } => {
                let period = i64::from(every_weeks.max(1)) * 7;
                match first {
                    Some(first) if first >= from => Some(first),
                    Some(first) => {
                        let periods = ((from - first).num_days() + period - 1) / period;
                        Some(first + Duration::days(periods * period))
                    }
                    None if every_weeks == 1 => day.map(|d| next_weekday(from, d)),
                    None => None,
                }
            }
            Cadence::Monthly { on, first } => {
                let on = on?;
                let from = first.map_or(from, |f| f.max(from));
                let this = on.in_month(from.year(), from.month())?;
                if this >= from {
                    return Some(this);
                }
                let (y, m) = if from.month() == 12 {
                    (from.year() + 1, 1)
                } else {
                    (from.year(), from.month() + 1)
                };
                on.in_month(y, m)
            }
            Cadence::Once { date } => (date >= from).then_some(date),
            Cadence::AsNeeded | Cadence::ToBeDecided => None,
        }
    }

    /// The date calendars repeat from: `first`, or the first meeting on or after `from`.
    pub fn start_date(&self, from: NaiveDate) -> Option<NaiveDate> {
        match self.cadence {
            Cadence::Weeks { first: Some(f), .. } | Cadence::Monthly { first: Some(f), .. } => {
                Some(f)
            }
            Cadence::Once { date } => Some(date),
            _ => self.next_rule_date(from),
        }
    }

    /// Every occurrence whose local date is in `from..=until`, exceptions applied, in order.
    /// Empty unless the meeting is fixed.
    pub fn occurrences(&self, from: NaiveDate, until: NaiveDate) -> Vec<Occurrence> {
        let Some(time) = self.time.filter(|_| self.is_fixed()) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        // Moved occurrences may land a few days from where the cadence put them: look wider.
        let margin = Duration::days(31);
        let mut date = self.next_rule_date(from - margin);
        while let Some(d) = date.filter(|d| *d <= until + margin) {
            let moved = self.moved.iter().find(|m| m.from == d);
            let occurrence = Occurrence {
                date: moved.map_or(d, |m| m.to),
                time: moved.and_then(|m| m.time).unwrap_or(time),
                scheduled: d,
                cancelled: self.cancelled.contains(&d),
            };
            if (from..=until).contains(&occurrence.date) {
                found.push(occurrence);
            }
            date = d.succ_opt().and_then(|next| self.next_rule_date(next));
        }
        found.sort_by_key(|o| (o.date, o.time));
        found
    }

    /// "Weekly", "Every other week", "Monthly on the second Tuesday", "As needed".
    pub fn cadence_text(&self) -> String {
        match self.cadence {
            Cadence::Weeks { every_weeks: 1, .. } => "Weekly".to_string(),
            Cadence::Weeks { every_weeks: 2, .. } => "Every other week".to_string(),
            Cadence::Weeks { every_weeks, .. } => format!("Every {every_weeks} weeks"),
            Cadence::Monthly { on: Some(on), .. } => format!("Monthly on the {on}"),
            Cadence::Monthly { on: None, .. } => "Monthly, day to be decided".to_string(),
            Cadence::Once { date } => format!("Once, on {date}"),
            Cadence::AsNeeded => "As needed".to_string(),
            Cadence::ToBeDecided => "To be decided".to_string(),
        }
    }
}

/// The file name (without `.ics`) of each meeting's own calendar: its name in lowercase words
/// joined by hyphens, or `meeting-<n>` (counted from 1) without a name or when two names give
/// the same words.
pub fn meeting_ids(meetings: &[Meeting]) -> Vec<String> {
    let named: Vec<String> = meetings
        .iter()
        .map(|m| m.name.as_deref().map(name_words).unwrap_or_default())
        .collect();
    named
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let unique = named.iter().filter(|other| *other == id).count() == 1;
            let clash = id.starts_with("meeting-") && id[8..].bytes().all(|b| b.is_ascii_digit());
            if id.is_empty() || !unique || clash {
                format!("meeting-{}", i + 1)
            } else {
                id.clone()
            }
        })
        .collect()
}

/// A meeting's name in lowercase ASCII words joined by hyphens ("Office hours" → `office-hours`);
/// empty when it has none.
pub fn name_words(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The first `day` on or after `date`.
pub fn next_weekday(date: NaiveDate, day: Weekday) -> NaiveDate {
    let ahead = (7 + day.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date + Duration::days(i64::from(ahead))
}

pub fn weekday_full_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn hh_mm<S: serde::Serializer>(time: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
    match time {
        Some(t) => s.serialize_str(&t.format("%H:%M").to_string()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn meeting(cadence: Cadence) -> Meeting {
        Meeting {
            name: None,
            cadence,
            time: NaiveTime::from_hms_opt(16, 0, 0),
            zone: Some(chrono_tz::Europe::London),
            duration_minutes: Some(45),
            notes: None,
            calendar: None,
            url: None,
            cancelled: Vec::new(),
            moved: Vec::new(),
            key: "meetings".to_string(),
        }
    }

    fn weeks(every_weeks: u8, first: Option<&str>) -> Meeting {
        meeting(Cadence::Weeks {
            every_weeks,
            day: Some(Weekday::Tue),
            first: first.map(date),
        })
    }

    #[test]
    fn fortnightly_meetings_keep_their_week() {
        let m = weeks(2, Some("2026-10-13"));
        let next = |d| m.next_rule_date(date(d));
        assert_eq!(next("2026-10-01"), Some(date("2026-10-13")));
        assert_eq!(next("2026-10-13"), Some(date("2026-10-13")));
        assert_eq!(next("2026-10-14"), Some(date("2026-10-27")));
        assert_eq!(next("2026-10-28"), Some(date("2026-11-10")));
    }

    #[test]
    fn weekly_meetings_need_only_a_day_and_fortnightly_ones_a_first_date() {
        assert_eq!(
            weeks(1, None).next_rule_date(date("2026-11-25")),
            Some(date("2026-12-01"))
        );
        assert!(weeks(1, None).is_fixed());
        assert_eq!(weeks(2, None).next_rule_date(date("2026-11-25")), None);
        assert!(!weeks(2, None).is_fixed());
    }

    #[test]
    fn monthly_on_a_weekday_of_the_month() {
        let second_tuesday = MonthDay {
            week: Nth::Second,
            day: Weekday::Tue,
        };
        assert_eq!(second_tuesday.in_month(2026, 12), Some(date("2026-12-08")));
        assert_eq!(second_tuesday.in_month(2027, 6), Some(date("2027-06-08")));
        let last_friday = MonthDay {
            week: Nth::Last,
            day: Weekday::Fri,
        };
        assert_eq!(last_friday.in_month(2026, 12), Some(date("2026-12-25")));
        assert_eq!(last_friday.in_month(2027, 2), Some(date("2027-02-26")));
        let m = meeting(Cadence::Monthly {
            on: Some(second_tuesday),
            first: None,
        });
        assert_eq!(
            m.next_rule_date(date("2026-12-09")),
            Some(date("2027-01-12"))
        );
        assert_eq!(m.cadence_text(), "Monthly on the second Tuesday");
    }

    #[test]
    fn exceptions_cancel_and_move_occurrences() {
        let mut m = weeks(1, None);
        m.cancelled.push(date("2026-12-08"));
        m.moved.push(Moved {
            from: date("2026-12-15"),
            to: date("2026-12-16"),
            time: NaiveTime::from_hms_opt(17, 0, 0),
        });
        let found = m.occurrences(date("2026-12-01"), date("2026-12-22"));
        let dates: Vec<_> = found
            .iter()
            .map(|o| (o.date.to_string(), o.cancelled))
            .collect();
        assert_eq!(
            dates,
            [
                ("2026-12-01".to_string(), false),
                ("2026-12-08".to_string(), true),
                ("2026-12-16".to_string(), false),
                ("2026-12-22".to_string(), false),
            ]
        );
        assert_eq!(found[2].scheduled, date("2026-12-15"));
        assert_eq!(found[2].time, NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    }

    #[test]
    fn each_meeting_has_its_own_file_name() {
        let named = |name: Option<&str>| Meeting {
            name: name.map(str::to_string),
            ..weeks(1, None)
        };
        let list = [
            named(Some("Office hours (APAC)")),
            named(None),
            named(Some("Sync")),
            named(Some("sync")),
        ];
        assert_eq!(
            meeting_ids(&list),
            ["office-hours-apac", "meeting-2", "meeting-3", "meeting-4"]
        );
    }

    #[test]
    fn undecided_meetings_never_reach_a_calendar() {
        for cadence in [
            Cadence::AsNeeded,
            Cadence::ToBeDecided,
            Cadence::Monthly {
                on: None,
                first: None,
            },
        ] {
            let m = meeting(cadence);
            assert!(!m.is_fixed());
            assert!(
                m.occurrences(date("2026-01-01"), date("2027-01-01"))
                    .is_empty()
            );
        }
    }
}

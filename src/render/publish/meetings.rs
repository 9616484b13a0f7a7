//! Meeting schedules: when each group meets next, in its own zone and in UTC, and the context of
//! the meetings page.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

use crate::clock;
use crate::model::{Cadence, Group, Meeting, Slug, Status, weekday_full_name};
use crate::paths;
use crate::site::Site;

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
    pub fn of(meeting: &Meeting) -> Option<Schedule> {
        let Cadence::Weeks {
            every_weeks, first, ..
        } = meeting.cadence
        else {
            return None;
        };
        Some(Schedule {
            every_weeks: every_weeks.max(1),
            day: meeting.day()?,
            time: meeting.time?,
            zone: meeting.zone?,
            duration_minutes: meeting.duration_minutes,
            anchor: first,
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

/// A group's meetings as the meetings page lists them.
#[derive(Debug, Serialize)]
pub struct MeetingRow<'a> {
    pub slug: &'a Slug,
    pub title: &'a str,
    pub url: String,
    pub cadence: String,
    pub day: Option<&'static str>,
    pub time: Option<String>,
    pub timezone: Option<&'static str>,
    pub duration_minutes: Option<u32>,
    /// The next meeting: its local date, and its start in UTC as `YYYY-MM-DDTHH:MMZ`.
    pub next_date: Option<String>,
    pub next_utc: Option<String>,
    /// The UTC time of day of the next meeting (or of one this week), `HH:MM`.
    pub utc_time: Option<String>,
    /// Why there is no next date, when there is none.
    pub pending: Option<&'static str>,
    pub every_weeks: u8,
    pub notes: Option<&'a str>,
    pub calendar: Option<&'a str>,
    /// The group's own iCalendar file, when it has a repeating event.
    pub ics: Option<String>,
}

/// The meetings page: scheduled groups, then those with no day and time listed.
#[derive(Debug, Serialize)]
pub struct MeetingsPage<'a> {
    pub scheduled: Vec<MeetingRow<'a>>,
    pub undecided: Vec<MeetingRow<'a>>,
}

/// Groups that meet or will: retired groups no longer do.
pub fn listed(site: &Site) -> impl Iterator<Item = &Group> {
    site.groups.iter().filter(|g| g.status != Status::Retired)
}

impl<'a> MeetingsPage<'a> {
    pub fn of(site: &'a Site) -> MeetingsPage<'a> {
        let (mut scheduled, mut undecided) = (Vec::new(), Vec::new());
        for group in listed(site) {
            let entry = entry(site, group);
            // A day is only given once the time and zone are known too.
            if entry.day.is_some() {
                scheduled.push(entry);
            } else {
                undecided.push(entry);
            }
        }
        // Soonest first; groups whose week is to be confirmed after those with a date.
        scheduled.sort_by(|a, b| {
            (a.next_utc.is_none(), &a.next_utc, a.slug).cmp(&(
                b.next_utc.is_none(),
                &b.next_utc,
                b.slug,
            ))
        });
        MeetingsPage {
            scheduled,
            undecided,
        }
    }
}

/// The meetings of `group` as of the build's day, for the meetings page and the group's own.
pub fn entry<'a>(site: &Site, group: &'a Group) -> MeetingRow<'a> {
    let meetings = group.meetings.first();
    let schedule = meetings.and_then(Schedule::of);
    let next = schedule
        .as_ref()
        .and_then(|s| s.next_date(site.today).map(|d| s.start(d)));
    let utc = next.map(|t| t.with_timezone(&Utc));
    // When the week is unknown the UTC time of day still helps: take the coming meeting day's.
    let utc_time = schedule.as_ref().map(|s| {
        let date = s
            .next_date(site.today)
            .unwrap_or_else(|| next_weekday(site.today, s.day));
        s.start(date)
            .with_timezone(&Utc)
            .format("%H:%M")
            .to_string()
    });
    let pending = match (&schedule, &next) {
        (_, Some(_)) => None,
        (Some(_), None) => Some("week to be confirmed"),
        // A group may meet on a day no record gives: say what is missing, not that it is undecided.
        (None, None) if meetings.is_some() => Some("day and time not listed"),
        (None, None) => Some("schedule to be decided"),
    };
    MeetingRow {
        slug: &group.slug,
        title: &group.title,
        url: site.group_url(&group.slug),
        cadence: meetings.map_or_else(|| "To be decided".to_string(), Meeting::cadence_text),
        day: schedule.as_ref().map(|s| weekday_full_name(s.day)),
        time: meetings
            .and_then(|m| m.time)
            .map(|t| t.format("%H:%M").to_string()),
        timezone: meetings.and_then(|m| m.zone).map(|z| z.name()),
        duration_minutes: meetings.and_then(|m| m.duration_minutes),
        next_date: next.map(|t| t.date_naive().to_string()),
        next_utc: utc.map(|t| t.format("%Y-%m-%dT%H:%MZ").to_string()),
        utc_time,
        pending,
        every_weeks: match meetings.map(|m| m.cadence) {
            Some(Cadence::Weeks { every_weeks, .. }) => every_weeks,
            _ => 1,
        },
        notes: meetings.and_then(|m| m.notes.as_deref()),
        calendar: meetings.and_then(|m| m.calendar.as_deref()),
        ics: schedule
            .filter(Schedule::is_fixed)
            .map(|_| paths::group_calendar_url(&site.base_path, &group.slug)),
    }
}

/// "Weekly", "Every other week", "Every 3 weeks".
pub fn cadence(every_weeks: u8) -> String {
    match every_weeks {
        1 => "Weekly".to_string(),
        2 => "Every other week".to_string(),
        n => format!("Every {n} weeks"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn schedule(every_weeks: u8, first: Option<&str>, zone: &str) -> Schedule {
        Schedule::of(&Meeting {
            name: None,
            cadence: Cadence::Weeks {
                every_weeks,
                day: Some(Weekday::Tue),
                first: first.map(date),
            },
            time: NaiveTime::from_hms_opt(16, 0, 0),
            zone: zone.parse().ok(),
            duration_minutes: Some(45),
            notes: None,
            calendar: None,
            url: None,
            cancelled: Vec::new(),
            moved: Vec::new(),
            key: "meetings".to_string(),
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

//! "Now" and "today": the moment a run is for and the day it computes staleness and checks dates
//! for, resolved once, here, from `--now`, `SOURCE_DATE_EPOCH` or the clock, and handed down.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};

use crate::Error;

/// The current time; the real clock, or one a test sets.
pub type Now = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What `--now` accepts, for the message about a value it does not.
const FORMS: &str = "YYYY-MM-DD, or a date-time with its offset such as 2026-12-02T06:00:12Z";

/// A UTC instant in whole seconds: the moment a run is for (a sync records it as each source's
/// horizon), and through its UTC day the day a build, check or stale report is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment(DateTime<Utc>);

impl Moment {
    /// `instant` without its fraction of a second: a horizon never claims a later moment than
    /// the one it was read at.
    pub fn at(instant: DateTime<Utc>) -> Moment {
        Moment(instant.with_nanosecond(0).unwrap_or(instant))
    }

    /// `--now`: `YYYY-MM-DD` exactly (its first second, UTC), or an RFC 3339 date-time with its
    /// offset, normalised to UTC.
    pub fn parse(value: &str) -> Result<Moment, String> {
        if let Some(day) = date(value) {
            return Ok(Moment(day.and_time(NaiveTime::MIN).and_utc()));
        }
        // chrono also takes a space or a lowercase `t` between date and time: RFC 3339 allows
        // both (§5.6), and the instant is the same.
        DateTime::parse_from_rfc3339(value)
            .map(|t| Moment::at(t.to_utc()))
            .map_err(|_| format!("`{value}` is neither a date nor a date-time: write {FORMS}"))
    }

    /// `--now`, else `SOURCE_DATE_EPOCH`, else the system clock.
    pub fn resolve(now: Option<Moment>) -> Result<Moment, Error> {
        Ok(pinned(now, epoch().as_deref())?.unwrap_or_else(|| Moment::at(Utc::now())))
    }

    /// The instant, in UTC.
    pub fn utc(self) -> DateTime<Utc> {
        self.0
    }

    /// Its UTC day.
    pub fn date(self) -> NaiveDate {
        self.0.date_naive()
    }
}

impl std::fmt::Display for Moment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%SZ"))
    }
}

/// `YYYY-MM-DD` exactly: chrono alone also takes a sign, more year digits and one-digit months,
/// which would then be written into `groups.json` as they were typed.
fn date(s: &str) -> Option<NaiveDate> {
    let shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shape
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// `SOURCE_DATE_EPOCH`, when it is set to something other than blanks.
fn epoch() -> Option<String> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// The moment `--now` or `SOURCE_DATE_EPOCH` pins, if either does; `None`: take the clock.
fn pinned(now: Option<Moment>, epoch: Option<&str>) -> Result<Option<Moment>, Error> {
    if now.is_some() {
        return Ok(now);
    }
    let Some(value) = epoch else {
        return Ok(None);
    };
    let seconds: i64 = value.trim().parse().map_err(|_| {
        Error::Usage(format!(
            "SOURCE_DATE_EPOCH is `{value}`, expected a number of seconds since 1970"
        ))
    })?;
    DateTime::from_timestamp(seconds, 0)
        .map(|t| Some(Moment(t)))
        .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH `{value}` is out of range")))
}

/// Where a run takes its day from: one day for the whole run, or the clock, read anew each time,
/// for a preview server that runs across midnight.
#[derive(Clone)]
pub enum Today {
    /// The UTC day of `--now` or `SOURCE_DATE_EPOCH`.
    Fixed(NaiveDate),
    /// The clock's date in UTC.
    Live(Now),
}

impl Today {
    /// The day of the moment [`Moment::resolve`] gives; the live clock when nothing pins one.
    pub fn resolve(now: Option<Moment>) -> Result<Today, Error> {
        Ok(match pinned(now, epoch().as_deref())? {
            Some(moment) => Today::Fixed(moment.date()),
            None => Today::Live(Arc::new(Utc::now)),
        })
    }

    /// The day, now.
    pub fn date(&self) -> NaiveDate {
        match self {
            Today::Fixed(day) => *day,
            Today::Live(clock) => clock().date_naive(),
        }
    }

    /// How long until the next midnight UTC, or `None` for a fixed day, which never changes.
    pub fn until_tomorrow(&self) -> Option<Duration> {
        let Today::Live(clock) = self else {
            return None;
        };
        let now = clock();
        let midnight = now.date_naive().succ_opt()?.and_hms_opt(0, 0, 0)?.and_utc();
        (midnight - now).to_std().ok()
    }
}

impl std::fmt::Debug for Today {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Today::Fixed(day) => write!(f, "Fixed({day})"),
            Today::Live(clock) => write!(f, "Live({})", clock()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_day_ends_at_midnight_utc_and_a_fixed_one_never() {
        let at = |s: &str| -> Now {
            let t = DateTime::parse_from_rfc3339(s).unwrap().to_utc();
            Arc::new(move || t)
        };
        let evening = Today::Live(at("2026-11-27T23:59:30Z"));
        assert_eq!(
            evening.date(),
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
        );
        assert_eq!(evening.until_tomorrow(), Some(Duration::from_secs(30)));
        let fixed = Today::Fixed(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(fixed.until_tomorrow(), None);
    }

    fn moment(s: &str) -> Moment {
        Moment::parse(s).unwrap()
    }

    #[test]
    fn a_date_is_its_first_second_utc() {
        assert_eq!(moment("2026-12-02").to_string(), "2026-12-02T00:00:00Z");
        assert_eq!(
            moment("2026-12-02").date(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
    }

    #[test]
    fn a_date_time_is_normalised_to_utc_in_whole_seconds() {
        for (given, utc) in [
            ("2026-12-02T15:00:00Z", "2026-12-02T15:00:00Z"),
            ("2026-12-02T15:00:00+00:00", "2026-12-02T15:00:00Z"),
            // East of Greenwich, the local morning of the 3rd is still the 2nd in UTC.
            ("2026-12-03T08:30:00+09:30", "2026-12-02T23:00:00Z"),
            ("2026-12-02T19:00:00-05:00", "2026-12-03T00:00:00Z"),
            ("2026-12-02T06:00:12.999Z", "2026-12-02T06:00:12Z"),
            ("2026-12-02t06:00:12z", "2026-12-02T06:00:12Z"),
        ] {
            assert_eq!(moment(given).to_string(), utc, "{given}");
        }
        assert_eq!(
            moment("2026-12-03T08:30:00+09:30").date(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
    }

    #[test]
    fn a_bad_now_names_both_forms() {
        for bad in [
            "2026-02-30",
            "25/11/2026",
            "tomorrow",
            "2026-11-25T10:00:00",
            "2026-11-25T25:00:00Z",
            "+12026-01-01",
            "12026-01-01",
            "2026-1-5",
            " 2026-11-25",
            "",
        ] {
            assert_eq!(
                Moment::parse(bad),
                Err(format!(
                    "`{bad}` is neither a date nor a date-time: write YYYY-MM-DD, or a date-time \
                     with its offset such as 2026-12-02T06:00:12Z"
                )),
            );
        }
    }

    #[test]
    fn a_date_time_pins_its_utc_day() {
        let today = Today::resolve(Some(moment("2026-12-03T08:30:00+09:30"))).unwrap();
        assert_eq!(today.date(), NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        assert_eq!(today.until_tomorrow(), None);
    }

    #[test]
    fn now_beats_source_date_epoch_which_beats_the_clock() {
        let given = moment("2026-12-02T15:00:00Z");
        assert_eq!(pinned(Some(given), Some("0")).unwrap(), Some(given));
        // 1795651200 is 2026-11-26T00:00:00Z; the epoch keeps its seconds.
        assert_eq!(
            pinned(None, Some("1795705212"))
                .unwrap()
                .map(|m| m.to_string()),
            Some("2026-11-26T15:00:12Z".to_string())
        );
        assert_eq!(
            pinned(None, Some(" 1795651200\n")).unwrap(),
            Some(moment("2026-11-26"))
        );
        assert_eq!(pinned(None, None).unwrap(), None);
    }

    #[test]
    fn a_bad_source_date_epoch_says_what_it_expected() {
        for (bad, says) in [
            (
                "yesterday",
                "SOURCE_DATE_EPOCH is `yesterday`, expected a number of seconds since 1970",
            ),
            (
                "2026-11-25",
                "SOURCE_DATE_EPOCH is `2026-11-25`, expected a number of seconds since 1970",
            ),
            (
                "1795651200.5",
                "SOURCE_DATE_EPOCH is `1795651200.5`, expected a number of seconds since 1970",
            ),
            (
                "99999999999999999",
                "SOURCE_DATE_EPOCH `99999999999999999` is out of range",
            ),
        ] {
            match pinned(None, Some(bad)) {
                Err(Error::Usage(message)) => assert_eq!(message, says),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}

//! "Today": the one day a run computes staleness and checks dates for, resolved once from the
//! command line and handed down.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use crate::Error;

/// The current time; the real clock, or one a test sets.
pub type Now = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Where a run takes its day from: one day for the whole run, or the clock, read anew each time,
/// for a preview server that runs across midnight.
#[derive(Clone)]
pub enum Today {
    /// `--now` or `SOURCE_DATE_EPOCH`.
    Fixed(NaiveDate),
    /// The clock's date in UTC.
    Live(Now),
}

impl Today {
    /// `--now`, else `SOURCE_DATE_EPOCH`, else the system clock (UTC).
    pub fn resolve(now: Option<NaiveDate>) -> Result<Today, Error> {
        if let Some(now) = now {
            return Ok(Today::Fixed(now));
        }
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(value) if !value.trim().is_empty() => {
                let seconds: i64 = value.trim().parse().map_err(|_| {
                    Error::Usage(format!(
                        "SOURCE_DATE_EPOCH is `{value}`, expected a number of seconds since 1970"
                    ))
                })?;
                DateTime::from_timestamp(seconds, 0)
                    .map(|t| Today::Fixed(t.date_naive()))
                    .ok_or_else(|| {
                        Error::Usage(format!("SOURCE_DATE_EPOCH `{value}` is out of range"))
                    })
            }
            _ => Ok(Today::Live(Arc::new(Utc::now))),
        }
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
}

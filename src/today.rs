//! "Today": the one day a run computes staleness and checks dates for.

use chrono::{DateTime, NaiveDate, Utc};

use crate::Error;

/// The day the build considers "today": `--now`, else `SOURCE_DATE_EPOCH`, else the clock (UTC).
pub fn resolve(now: Option<NaiveDate>) -> Result<NaiveDate, Error> {
    if let Some(now) = now {
        return Ok(now);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) if !value.trim().is_empty() => {
            let seconds: i64 = value.trim().parse().map_err(|_| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH is `{value}`, expected a number of seconds since 1970"
                ))
            })?;
            DateTime::from_timestamp(seconds, 0)
                .map(|t| t.date_naive())
                .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH `{value}` is out of range")))
        }
        _ => Ok(Utc::now().date_naive()),
    }
}

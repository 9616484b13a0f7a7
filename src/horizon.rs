//! How far a witness reaches: the moment a source was last read in full, or, for a record typed
//! by hand from a public record, the day that record reaches. A verdict never claims past it.

use std::fmt;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// How far what is known of a source reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Horizon {
    /// `groupdir sync` read the source in full at this moment (UTC).
    Read(DateTime<Utc>),
    /// A hand-seeded record: the public record it was taken from reaches this day.
    Reached(NaiveDate),
}

impl Horizon {
    /// The UTC day the horizon reaches.
    pub fn day(self) -> NaiveDate {
        match self {
            Horizon::Read(at) => at.date_naive(),
            Horizon::Reached(day) => day,
        }
    }

    /// The oldest of several horizons; none when any is missing (a source never read), or when
    /// there are none at all.
    pub fn oldest(horizons: impl IntoIterator<Item = Option<Horizon>>) -> Option<Horizon> {
        let mut oldest: Option<Horizon> = None;
        let mut any = false;
        for horizon in horizons {
            let horizon = horizon?;
            any = true;
            oldest = Some(match oldest {
                Some(o) if o.key() <= horizon.key() => o,
                _ => horizon,
            });
        }
        oldest.filter(|_| any)
    }

    /// Orders horizons by the day they reach; on one day, a reached day before a read moment.
    fn key(self) -> (NaiveDate, Option<DateTime<Utc>>) {
        match self {
            Horizon::Read(at) => (at.date_naive(), Some(at)),
            Horizon::Reached(day) => (day, None),
        }
    }

    /// What the horizon says in words: a sync "read on" its day; a hand-seeded record is only
    /// "on record up to" its day, since nobody read the source then.
    pub fn phrase(self) -> String {
        match self {
            Horizon::Read(at) => format!("read on {}", at.date_naive()),
            Horizon::Reached(day) => format!("on record up to {day}"),
        }
    }

    /// How the data file writes it: a TOML offset datetime or a local date.
    pub fn to_toml(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Horizon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Horizon::Read(at) => f.write_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true)),
            Horizon::Reached(day) => write!(f, "{day}"),
        }
    }
}

impl Serialize for Horizon {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Horizon {
        Horizon::Read(DateTime::parse_from_rfc3339(s).unwrap().to_utc())
    }

    fn reached(s: &str) -> Horizon {
        Horizon::Reached(s.parse().unwrap())
    }

    #[test]
    fn a_groups_horizon_is_its_oldest_sources_and_none_when_one_was_never_read() {
        let a = read("2026-12-02T06:00:12Z");
        let b = reached("2026-09-23");
        assert_eq!(Horizon::oldest([Some(a), Some(b)]), Some(b));
        assert_eq!(Horizon::oldest([Some(a), None]), None);
        assert_eq!(Horizon::oldest([]), None);
        assert_eq!(
            Horizon::oldest([Some(read("2026-09-23T01:00:00Z")), Some(b)]),
            Some(b)
        );
    }

    #[test]
    fn it_writes_as_toml_reads_it() {
        assert_eq!(
            read("2026-12-02T07:00:12+01:00").to_string(),
            "2026-12-02T06:00:12Z"
        );
        assert_eq!(reached("2026-09-23").to_string(), "2026-09-23");
    }

    #[test]
    fn only_a_syncs_reading_is_said_to_be_read() {
        assert_eq!(read("2026-11-26T06:00:12Z").phrase(), "read on 2026-11-26");
        assert_eq!(reached("2026-09-20").phrase(), "on record up to 2026-09-20");
    }
}

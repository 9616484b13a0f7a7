//! A meeting as `groups.json` writes it and its schema describes it.

use chrono::{NaiveDate, Weekday};
use schemars::JsonSchema;
use serde::Serialize;

use super::meetings::{Cadence, Meeting, Moved, TIME_PATTERN};

/// A meeting as `groups.json` writes it: every field under its own name, the cadence spelled
/// out both as a kind and as the words of the file.
#[derive(Serialize, JsonSchema)]
struct MeetingJson<'a> {
    name: Option<&'a str>,
    cadence: CadenceKind,
    /// "Weekly", "Monthly on the second Tuesday": the cadence in words.
    cadence_text: String,
    every_weeks: Option<u8>,
    /// A weekday of the month, such as "second Tuesday".
    monthly: Option<String>,
    day: Option<WeekdayName>,
    first: Option<NaiveDate>,
    /// A one-off session's date.
    date: Option<NaiveDate>,
    /// Local time of day in `timezone`, as "HH:MM".
    #[schemars(extend("pattern" = TIME_PATTERN))]
    time: Option<String>,
    /// An IANA time zone name.
    timezone: Option<&'a str>,
    duration_minutes: Option<u32>,
    notes: Option<&'a str>,
    calendar: Option<&'a str>,
    url: Option<&'a str>,
    cancelled: &'a [NaiveDate],
    moved: &'a [Moved],
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum CadenceKind {
    Weeks,
    Monthly,
    Once,
    AsNeeded,
    ToBeDecided,
}

/// A day of the week as `groups.json` writes it.
#[derive(Serialize, JsonSchema, Clone, Copy)]
pub enum WeekdayName {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<Weekday> for WeekdayName {
    fn from(day: Weekday) -> WeekdayName {
        match day {
            Weekday::Mon => WeekdayName::Monday,
            Weekday::Tue => WeekdayName::Tuesday,
            Weekday::Wed => WeekdayName::Wednesday,
            Weekday::Thu => WeekdayName::Thursday,
            Weekday::Fri => WeekdayName::Friday,
            Weekday::Sat => WeekdayName::Saturday,
            Weekday::Sun => WeekdayName::Sunday,
        }
    }
}

impl Meeting {
    fn json(&self) -> MeetingJson<'_> {
        let (cadence, every_weeks, monthly, first, date) = match self.cadence {
            Cadence::Weeks {
                every_weeks, first, ..
            } => (CadenceKind::Weeks, Some(every_weeks), None, first, None),
            Cadence::Monthly { on, first } => (
                CadenceKind::Monthly,
                None,
                on.map(|o| o.to_string()),
                first,
                None,
            ),
            Cadence::Once { date } => (CadenceKind::Once, None, None, None, Some(date)),
            Cadence::AsNeeded => (CadenceKind::AsNeeded, None, None, None, None),
            Cadence::ToBeDecided => (CadenceKind::ToBeDecided, None, None, None, None),
        };
        MeetingJson {
            name: self.name.as_deref(),
            cadence,
            cadence_text: self.cadence_text(),
            every_weeks,
            monthly,
            day: self.day().map(WeekdayName::from),
            first,
            date,
            time: self.time.map(|t| t.format("%H:%M").to_string()),
            timezone: self.zone.map(|z| z.name()),
            duration_minutes: self.duration_minutes,
            notes: self.notes.as_deref(),
            calendar: self.calendar.as_deref(),
            url: self.url.as_deref(),
            cancelled: &self.cancelled,
            moved: &self.moved,
        }
    }
}

impl Serialize for Meeting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

impl JsonSchema for Meeting {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Meeting".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        MeetingJson::json_schema(generator)
    }
}

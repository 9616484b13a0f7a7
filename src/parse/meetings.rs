//! A group file's meetings: `[[meetings]]` (any number, each with a name) or the older single
//! `[meetings]` table, turned once into [`Meeting`] values with typed times, zones and days.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::value::Datetime;

use super::fields::Fields;
use crate::diagnostic::did_you_mean;
use crate::model::{Cadence, Meeting, MonthDay, Moved, Nth, TIME_PATTERN, weekday_full_name};

/// `[meetings]` (one table) or `[[meetings]]` (a list of them).
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum MeetingsFrontMatter {
    One(Box<MeetingFrontMatter>),
    Many(Vec<MeetingFrontMatter>),
}

// By hand rather than `untagged`, so that an error inside a meeting keeps its own message and
// place instead of "did not match any variant".
impl<'de> Deserialize<'de> for MeetingsFrontMatter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MeetingsFrontMatter;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a [meetings] table or [[meetings]] tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                let d = serde::de::value::MapAccessDeserializer::new(map);
                MeetingFrontMatter::deserialize(d).map(|m| MeetingsFrontMatter::One(Box::new(m)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                let d = serde::de::value::SeqAccessDeserializer::new(seq);
                Vec::deserialize(d).map(MeetingsFrontMatter::Many)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// One meeting. Its cadence is one of `every_weeks`, `monthly`, `date` (a one-off session) and
/// `as_needed`; with none of them it is listed as "to be decided".
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingFrontMatter {
    /// What the meeting is, such as "Working session" or "Office hours"; a one-off's title.
    name: Option<String>,
    /// Every N weeks: 1 weekly, 2 every other week.
    #[schemars(range(min = 1))]
    every_weeks: Option<u8>,
    /// Monthly on a weekday of the month, such as "second Tuesday" or "last Friday"; "to be
    /// decided" while the day is not on record.
    monthly: Option<String>,
    /// A one-off session's date.
    #[schemars(with = "Option<NaiveDate>")]
    date: Option<Datetime>,
    /// Called when needed, with no regular date: listed, never in a calendar.
    as_needed: Option<bool>,
    /// The day of the week, in English, such as "Tuesday" (for `every_weeks`).
    day: Option<String>,
    /// 24-hour local time in `timezone`, as "HH:MM".
    #[schemars(extend("pattern" = TIME_PATTERN))]
    time: Option<String>,
    /// An IANA time zone name, such as "Europe/London".
    timezone: Option<String>,
    duration_minutes: Option<u32>,
    /// The date of one meeting, which fixes the weeks a fortnightly call falls on.
    #[schemars(with = "Option<NaiveDate>")]
    first: Option<Datetime>,
    /// Where notes are posted.
    notes: Option<String>,
    /// The community calendar entry.
    calendar: Option<String>,
    /// The page people join from, or the event's page.
    url: Option<String>,
    /// Dates on which the meeting does not take place.
    #[serde(default)]
    #[schemars(with = "Vec<NaiveDate>")]
    cancelled: Vec<Datetime>,
    /// Occurrences that take place on another day or at another time.
    #[serde(default)]
    moved: Vec<MovedFrontMatter>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MovedFrontMatter {
    /// The date the cadence gives.
    #[schemars(with = "NaiveDate")]
    from: Datetime,
    /// The date it takes place instead.
    #[schemars(with = "NaiveDate")]
    to: Datetime,
    /// Its time instead, when that changes too.
    #[schemars(extend("pattern" = TIME_PATTERN))]
    time: Option<String>,
}

/// Every meeting of the file, each checked where it is written.
pub fn meetings(fm: Option<MeetingsFrontMatter>, cx: &mut Fields<'_>) -> Vec<Meeting> {
    let written: Vec<(String, MeetingFrontMatter)> = match fm {
        None => Vec::new(),
        Some(MeetingsFrontMatter::One(m)) => vec![("meetings".to_string(), *m)],
        Some(MeetingsFrontMatter::Many(list)) => list
            .into_iter()
            .enumerate()
            .map(|(i, m)| (format!("meetings[{i}]"), m))
            .collect(),
    };
    let mut found: Vec<Meeting> = Vec::new();
    for (key, m) in written {
        let Some(meeting) = meeting(m, key, cx) else {
            continue;
        };
        if let Some(name) = &meeting.name
            && found.iter().any(|other| other.name.as_ref() == Some(name))
        {
            cx.error(
                &format!("{}.name", meeting.key),
                format!("two meetings are named \"{name}\""),
                "give each meeting its own name, such as \"Office hours (Asia-Pacific)\"",
            );
        }
        found.push(meeting);
    }
    found
}

fn meeting(m: MeetingFrontMatter, key: String, cx: &mut Fields<'_>) -> Option<Meeting> {
    let at = |field: &str| format!("{key}.{field}");
    let name = cx.text(m.name, &at("name"));
    // A day reported wrong leaves the meeting without its days: its exceptions are not judged.
    let day_failed = m.day.is_some();
    let day = m.day.and_then(|d| weekday(&d, &at("day"), cx));
    let day_failed = day_failed && day.is_none();
    let time = m.time.and_then(|t| clock_time(&t, &at("time"), cx));
    let zone = m.timezone.and_then(|z| zone(&z, &at("timezone"), cx));
    if time.is_some() && zone.is_none() && !cx.spans.has(&at("timezone")) {
        cx.error(
            &at("time"),
            "a meeting time needs a `timezone`",
            "add `timezone = \"Europe/London\"` (an IANA name)",
        );
    }
    if m.duration_minutes == Some(0) || m.duration_minutes.is_some_and(|d| d > 24 * 60) {
        cx.error(
            &at("duration_minutes"),
            "`duration_minutes` must be between 1 and 1440",
            "write the length in minutes, such as 45",
        );
    }
    let first = cx.date(m.first, &at("first"));
    let date = cx.date(m.date, &at("date"));
    let cadence = cadence(
        &key,
        m.every_weeks,
        m.monthly,
        date,
        m.as_needed,
        day,
        first,
        cx,
    )?;
    if let Cadence::Once { .. } = cadence {
        for (field, missing) in [("name", name.is_none()), ("time", time.is_none())] {
            if missing && !cx.spans.has(&at(field)) {
                cx.error(
                    &at("date"),
                    format!("a one-off session needs a `{field}`"),
                    "add `name = \"…\"` (its title) and `time = \"HH:MM\"` with a `timezone`",
                );
            }
        }
    }
    let notes = cx.url(m.notes, &at("notes"));
    let calendar = cx.url(m.calendar, &at("calendar"));
    let url = cx.url(m.url, &at("url"));
    let mut meeting = Meeting {
        name,
        cadence,
        time,
        zone,
        duration_minutes: m.duration_minutes,
        notes,
        calendar,
        url,
        cancelled: Vec::new(),
        moved: Vec::new(),
        key,
    };
    let (cancelled, moved) = if day_failed {
        (Vec::new(), Vec::new())
    } else {
        (m.cancelled, m.moved)
    };
    for (i, value) in cancelled.into_iter().enumerate() {
        let path = format!("{}.cancelled[{i}]", meeting.key);
        if let Some(d) = cx.date(Some(value), &path)
            && on_cadence(&meeting, d, &path, cx)
        {
            meeting.cancelled.push(d);
        }
    }
    for (i, moved) in moved.into_iter().enumerate() {
        let path = format!("{}.moved[{i}]", meeting.key);
        let from = cx.date(Some(moved.from), &format!("{path}.from"));
        let to = cx.date(Some(moved.to), &format!("{path}.to"));
        let time = moved
            .time
            .and_then(|t| clock_time(&t, &format!("{path}.time"), cx));
        if let (Some(from), Some(to)) = (from, to)
            && on_cadence(&meeting, from, &format!("{path}.from"), cx)
        {
            meeting.moved.push(Moved { from, to, time });
        }
    }
    Some(meeting)
}

/// The one cadence a meeting is written with.
#[allow(clippy::too_many_arguments)] // The keys of one table, checked together.
fn cadence(
    key: &str,
    every_weeks: Option<u8>,
    monthly: Option<String>,
    date: Option<NaiveDate>,
    as_needed: Option<bool>,
    day: Option<Weekday>,
    first: Option<NaiveDate>,
    cx: &mut Fields<'_>,
) -> Option<Cadence> {
    let at = |field: &str| format!("{key}.{field}");
    let given: Vec<&str> = [
        ("every_weeks", every_weeks.is_some()),
        ("monthly", monthly.is_some()),
        ("date", cx.spans.has(&at("date"))),
        ("as_needed", as_needed == Some(true)),
    ]
    .into_iter()
    .filter_map(|(k, on)| on.then_some(k))
    .collect();
    // A cadence key whose value was rejected leaves the cadence unknown: nothing more to say.
    let keys = ["every_weeks", "monthly", "date", "as_needed"];
    if keys.iter().any(|k| cx.spans.is_broken(&at(k))) {
        return None;
    }
    if let [one, second, ..] = given[..] {
        cx.error(
            &at(second),
            format!("a meeting has one cadence, but this one has `{one}` and `{second}`"),
            "keep one of `every_weeks`, `monthly`, `date` (a one-off) and `as_needed`; a second \
             rhythm is a second [[meetings]] table",
        );
        return None;
    }
    let cadence = match (every_weeks, monthly, date) {
        (Some(every_weeks), _, _) => {
            if every_weeks == 0 {
                cx.error(
                    &at("every_weeks"),
                    "`every_weeks` is 0, expected 1 or more",
                    "1 is weekly, 2 every other week, 4 every four weeks",
                );
                return None;
            }
            Cadence::Weeks {
                every_weeks,
                day,
                first,
            }
        }
        (None, Some(text), _) => Cadence::Monthly {
            on: month_day(&text, &at("monthly"), cx)?,
            first,
        },
        (None, None, Some(date)) => Cadence::Once { date },
        (None, None, None) if as_needed == Some(true) => Cadence::AsNeeded,
        (None, None, None) => Cadence::ToBeDecided,
    };
    let weekly = matches!(cadence, Cadence::Weeks { .. });
    if day.is_some() && !weekly {
        cx.error(
            &at("day"),
            "`day` is only for a meeting every few weeks",
            "a monthly meeting names its day in `monthly`, such as \"second Tuesday\"; a one-off \
             session's `date` gives its day",
        );
    }
    if first.is_some() && !weekly && !matches!(cadence, Cadence::Monthly { on: Some(_), .. }) {
        cx.error(
            &at("first"),
            "`first` fixes the weeks of a repeating meeting, but this one does not repeat on known days",
            "remove `first`, or give the meeting `every_weeks` or `monthly`",
        );
    }
    // `first` is the date of a real meeting: on the meeting day (and the weekday of the month).
    if let Some(first) = first {
        let probe = Meeting {
            cadence: match cadence {
                Cadence::Weeks {
                    every_weeks, day, ..
                } => Cadence::Weeks {
                    every_weeks,
                    day,
                    first: None,
                },
                other => other,
            },
            ..empty(key)
        };
        if probe.day().is_some() && !probe.can_fall_on(first) {
            cx.error(
                &at("first"),
                format!(
                    "`first` is {first}, a {}, which is not a day of this meeting ({})",
                    weekday_full_name(first.weekday()),
                    lower_first(&probe.cadence_text())
                        + &probe.day().map_or(String::new(), |d| {
                            if weekly {
                                format!(" on {}", weekday_full_name(d))
                            } else {
                                String::new()
                            }
                        })
                ),
                "give the date of a real meeting, on the meeting day",
            );
        }
    }
    Some(cadence)
}

fn empty(key: &str) -> Meeting {
    Meeting {
        name: None,
        cadence: Cadence::ToBeDecided,
        time: None,
        zone: None,
        duration_minutes: None,
        notes: None,
        calendar: None,
        url: None,
        cancelled: Vec::new(),
        moved: Vec::new(),
        key: key.to_string(),
    }
}

/// Whether `date`, a cancelled or moved occurrence, is one the cadence gives.
fn on_cadence(meeting: &Meeting, date: NaiveDate, path: &str, cx: &mut Fields<'_>) -> bool {
    if meeting.can_fall_on(date) {
        return true;
    }
    let why = match meeting.day() {
        Some(_) => format!(
            "{date} is a {}, not a day of this meeting ({})",
            weekday_full_name(date.weekday()),
            lower_first(&meeting.cadence_text())
        ),
        None => format!("{date} cannot be a day of a meeting with no regular days"),
    };
    cx.error(
        path,
        why,
        "give the date the meeting would have taken place on",
    );
    false
}

/// "second Tuesday", "last Friday", "2nd Tuesday"; `None` inside for "to be decided".
fn month_day(text: &str, path: &str, cx: &mut Fields<'_>) -> Option<Option<MonthDay>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.join(" ").eq_ignore_ascii_case("to be decided") {
        return Some(None);
    }
    let hint_all = "write a weekday of the month, such as \"second Tuesday\" or \"last Friday\" \
                    (first to fourth, or last), or \"to be decided\"";
    let [nth, day] = words[..] else {
        cx.error(
            path,
            format!("`{}` is not a weekday of the month", text.escape_debug()),
            hint_all,
        );
        return None;
    };
    let numbered = ["1st", "2nd", "3rd", "4th"];
    let week = Nth::parse(nth).or_else(|| {
        let i = numbered.iter().position(|n| n.eq_ignore_ascii_case(nth))?;
        Nth::parse(Nth::NAMES[i])
    });
    let Some(week) = week else {
        let hint = match did_you_mean(nth, Nth::NAMES) {
            Some(word) => format!("did you mean \"{word} {day}\"?"),
            None => hint_all.to_string(),
        };
        cx.error(
            path,
            format!("`{nth}` is not first, second, third, fourth or last"),
            hint,
        );
        return None;
    };
    let day = weekday(day, path, cx)?;
    Some(Some(MonthDay { week, day }))
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn weekday(text: &str, path: &str, cx: &mut Fields<'_>) -> Option<Weekday> {
    if let Ok(day) = text.parse::<Weekday>() {
        return Some(day);
    }
    let lower: Vec<String> = WEEKDAYS.iter().map(|d| d.to_lowercase()).collect();
    let hint = match did_you_mean(text, lower.iter().map(String::as_str)) {
        Some(day) => format!("did you mean \"{}\"?", capitalised(day)),
        None => "write the day in English, such as \"Tuesday\"".to_string(),
    };
    cx.error(
        path,
        format!("`{}` is not a day of the week", text.escape_debug()),
        hint,
    );
    None
}

/// "Monthly on the second Tuesday" → "monthly on the second Tuesday".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn clock_time(text: &str, path: &str, cx: &mut Fields<'_>) -> Option<NaiveTime> {
    let parsed = NaiveTime::parse_from_str(text, "%H:%M")
        .ok()
        .filter(|_| text.len() == 5);
    if parsed.is_none() {
        cx.error(
            path,
            format!("`{}` is not a time of day", text.escape_debug()),
            "write 24-hour time as \"HH:MM\", such as \"16:00\"",
        );
    }
    parsed
}

fn zone(text: &str, path: &str, cx: &mut Fields<'_>) -> Option<Tz> {
    if let Ok(zone) = text.parse::<Tz>() {
        return Some(zone);
    }
    let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    let hint = match did_you_mean(text, names) {
        Some(name) => format!("did you mean \"{name}\"?"),
        None => "write an IANA zone such as \"Europe/London\" or \"America/New_York\", not an \
                 abbreviation"
            .to_string(),
    };
    cx.error(
        path,
        format!("`{}` is not an IANA time zone name", text.escape_debug()),
        hint,
    );
    None
}

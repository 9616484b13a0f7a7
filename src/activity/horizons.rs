//! The data file's `[_read]` table: each source's horizon, read at its place in the file.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::value::Datetime;

use super::{EventToml, READ_KEY};
use crate::horizon::Horizon;
use crate::parse::day;
use crate::parse::fields::Fields;

/// A top-level entry: a group's events, or the table of horizons.
#[derive(Debug)]
pub(super) enum EntryToml {
    Events(Vec<EventToml>),
    Read(BTreeMap<String, Datetime>),
}

impl<'de> Deserialize<'de> for EntryToml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = EntryToml;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of events, `[[slug]]`, or the table `[_read]`")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<EntryToml, A::Error> {
                Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(EntryToml::Events)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<EntryToml, A::Error> {
                BTreeMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(EntryToml::Read)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The horizons of `[_read]`: a date-time with an offset (a sync's read) or a date (how far a
/// hand-seeded record reaches).
pub(super) fn horizons(
    cx: &mut Fields<'_>,
    read: BTreeMap<String, Datetime>,
) -> BTreeMap<String, Horizon> {
    let mut horizons = BTreeMap::new();
    for (source, value) in read {
        let path = format!("{READ_KEY}.{source}");
        match horizon(&value) {
            Some(horizon) => {
                horizons.insert(source, horizon);
            }
            None => cx.error(
                &path,
                format!(
                    "the horizon of `{}` must be a date-time in UTC or a date",
                    source.escape_debug()
                ),
                "write the moment of reading, such as 2026-12-02T06:00:12Z, or the day the public record reaches, such as 2026-09-23",
            ),
        }
    }
    horizons
}

/// A `[_read]` value as a horizon: an offset date-time, or a date alone.
fn horizon(value: &Datetime) -> Option<Horizon> {
    if let Some(day) = day(value) {
        return Some(Horizon::Reached(day));
    }
    value.offset?;
    chrono::DateTime::parse_from_rfc3339(&value.to_string())
        .ok()
        .map(|t| Horizon::Read(t.to_utc()))
}

// The rules of the file's values: one set, which the build's reader applies to what the file
// says and the sync to what it would write, so a sync never writes a file the build refuses.

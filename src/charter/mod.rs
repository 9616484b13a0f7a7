//! The community's own records of its groups, read as text: a group's charter (on the
//! community's `charter-template.mdx`: Leadership, Membership and Operations tables and a
//! changelog) and `MAINTAINERS.md`. Pure: text in, typed values out, no I/O. A table that cannot
//! be read is an error that says why, never a guess.

mod file;
pub mod maintainers;
mod table;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use file::FileRef;
use table::{Table, section_table};

/// A charter's tables, as far as the directory compares them with a group file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Charter {
    pub leads: Vec<Lead>,
    pub members: Vec<Member>,
    pub meetings: Vec<MeetingRow>,
    /// The newest date of the changelog, with its change.
    pub changed: Option<Change>,
}

/// A row of the Leadership table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    /// The charter's wording: Lead, Co-lead, Facilitator…
    pub role: String,
    pub name: String,
    pub organization: Option<String>,
    /// The GitHub cell's user names; a cell may give more than one.
    pub github: Vec<String>,
    pub term: Option<String>,
}

/// A row of the Membership table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub organization: Option<String>,
    pub github: Vec<String>,
    pub discord: Option<String>,
    pub level: Level,
}

/// A participation level, as the rules for groups name them. Charters also list their leads in
/// the Membership table, at the level "Lead".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Lead,
    Member,
    Participant,
    Observer,
    Emeritus,
}

impl Level {
    pub const NAMES: [&'static str; 5] = ["lead", "member", "participant", "observer", "emeritus"];

    pub fn name(self) -> &'static str {
        match self {
            Level::Lead => "lead",
            Level::Member => "member",
            Level::Participant => "participant",
            Level::Observer => "observer",
            Level::Emeritus => "emeritus",
        }
    }

    /// Reads a Level cell: "WG Member", "IG Member" and "Member" are members; "Lead",
    /// "Co-lead" and "Facilitator" lead; an emeritus of any level is emeritus.
    pub fn parse(cell: &str) -> Option<Level> {
        let words = cell.to_lowercase().replace(['-', '_'], " ");
        let words = words.trim();
        if words.contains("emeritus") {
            return Some(Level::Emeritus);
        }
        let words = words
            .trim_start_matches("wg ")
            .trim_start_matches("ig ")
            .trim();
        match words {
            "lead" | "co lead" | "facilitator" | "co facilitator" => Some(Level::Lead),
            "member" => Some(Level::Member),
            "participant" => Some(Level::Participant),
            "observer" => Some(Level::Observer),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A row of the Operations table: a regular meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub meeting: String,
    /// The Frequency cell as written, such as "Tri-weekly (Wednesday, 08:00 PT)".
    pub frequency: String,
    /// The Duration cell as written, such as "60 min".
    pub duration: String,
}

/// How often a meeting recurs, as far as a Frequency cell says it plainly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    EveryWeeks(u8),
    Monthly,
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::EveryWeeks(1) => f.write_str("weekly"),
            Cadence::EveryWeeks(n) => write!(f, "every {n} weeks"),
            Cadence::Monthly => f.write_str("monthly"),
        }
    }
}

impl MeetingRow {
    /// The cadence the Frequency cell states, if it states one in words the community uses
    /// ("Biweekly" there means every two weeks, as the charters' own notes read).
    pub fn cadence(&self) -> Option<Cadence> {
        let words = self.frequency.to_lowercase().replace('-', "");
        let first = words.split(|c: char| !c.is_alphanumeric()).next()?;
        match first {
            "weekly" => Some(Cadence::EveryWeeks(1)),
            "biweekly" | "fortnightly" => Some(Cadence::EveryWeeks(2)),
            "triweekly" => Some(Cadence::EveryWeeks(3)),
            "monthly" => Some(Cadence::Monthly),
            _ if words.starts_with("every two weeks") || words.starts_with("every 2 weeks") => {
                Some(Cadence::EveryWeeks(2))
            }
            _ if words.starts_with("every three weeks") || words.starts_with("every 3 weeks") => {
                Some(Cadence::EveryWeeks(3))
            }
            _ => None,
        }
    }

    /// The duration in minutes, when the cell gives one ("60 min", "60 minutes", "1 hour").
    pub fn minutes(&self) -> Option<u32> {
        let cell = self.duration.trim().to_lowercase();
        let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
        let n: u32 = digits.parse().ok()?;
        let unit = cell[digits.len()..].trim();
        match unit {
            "min" | "mins" | "minute" | "minutes" | "m" => Some(n),
            "h" | "hr" | "hrs" | "hour" | "hours" => Some(n * 60),
            _ => None,
        }
    }

    /// A day of the week the Frequency cell names, such as "Wednesday" or "Tuesdays".
    pub fn day(&self) -> Option<chrono::Weekday> {
        self.frequency
            .split(|c: char| !c.is_alphabetic())
            .filter(|word| word.len() > 3)
            .find_map(|word| {
                let one = word.strip_suffix('s').unwrap_or(word);
                one.parse::<chrono::Weekday>().ok()
            })
    }
}

/// The newest changelog row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub date: NaiveDate,
    pub what: String,
}

/// Why a charter could not be read: the line of the charter (1-based) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharterError {
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for CharterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for CharterError {}

/// The end of a term, when the Term cell gives one: the second of two dates ("2025-07-01 –
/// 2026-06-30"), or the date after "until", "through", "to" or "ends" ("6 months (ends Aug 14,
/// 2026)"). "Initial", "Ongoing" or "6 months" alone give none: no end is guessed.
pub fn term_end(term: &str) -> Option<NaiveDate> {
    let lower = term.to_lowercase();
    let dates: Vec<(usize, NaiveDate)> = (0..lower.len())
        .filter(|&i| lower.is_char_boundary(i))
        .filter(|&i| i == 0 || !lower[..i].ends_with(|c: char| c.is_alphanumeric()))
        .filter_map(|i| Some((i, date_at(&term[i..])?)))
        .collect();
    match dates.as_slice() {
        [] => None,
        [(at, date)] => {
            let before = lower[..*at].trim_end();
            [
                "until", "through", "to", "ends", "ending", "ends on", "-", "–",
            ]
            .iter()
            .any(|w| before.ends_with(w))
            .then_some(*date)
        }
        [.., (_, last)] => Some(*last),
    }
}

/// A date at the start of `text`: `2026-08-14`, `Aug 14, 2026` or `August 14, 2026`.
fn date_at(text: &str) -> Option<NaiveDate> {
    if let Some(iso) = text.get(..10)
        && let Ok(date) = iso.parse::<NaiveDate>()
    {
        return Some(date);
    }
    let mut words = text.split_whitespace();
    let month = words.next()?;
    let day = words.next()?.trim_end_matches(',');
    let year: String = words
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if !month.chars().next()?.is_alphabetic() {
        return None;
    }
    let written = format!("{month} {day} {year}");
    ["%B %d %Y", "%b %d %Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(&written, f).ok())
}

/// Reads a charter's Leadership, Membership and Operations tables and its changelog.
/// Leadership is required; the others may be absent (the template omits Membership until a
/// group has members), but a table that is there must be whole.
pub fn parse(text: &str) -> Result<Charter, CharterError> {
    let leadership = section_table(text, "Leadership")?.ok_or_else(|| CharterError {
        line: 1,
        reason: "no `## Leadership` section with a table".to_string(),
    })?;
    let leads = leads(&leadership)?;
    if leads.is_empty() {
        return Err(CharterError {
            line: leadership.line,
            reason: "the Leadership table lists nobody".to_string(),
        });
    }
    let mut members = match section_table(text, "Membership")? {
        Some(table) => members_of(&table)?,
        None => Vec::new(),
    };
    // Some charters keep former members in a table of their own.
    if let Some(table) = section_table(text, "Emeritus Membership")? {
        members.extend(members_of(&table)?.into_iter().map(|m| Member {
            level: Level::Emeritus,
            ..m
        }));
    }
    let meetings = match section_table(text, "Operations")? {
        Some(table) => meetings(&table)?,
        None => Vec::new(),
    };
    let changed = match section_table(text, "Changelog")? {
        Some(table) => changelog(&table)?,
        None => None,
    };
    Ok(Charter {
        leads,
        members,
        meetings,
        changed,
    })
}

fn leads(table: &Table) -> Result<Vec<Lead>, CharterError> {
    let [role, name, organization, github, term] =
        table.columns(["Role", "Name", "Organization", "GitHub", "Term"])?;
    let mut leads = Vec::new();
    for row in table.rows() {
        let name_cell = row.text(name);
        if name_cell.is_empty() {
            return Err(row.error("a Leadership row without a Name"));
        }
        leads.push(Lead {
            role: row.text(role),
            name: name_cell,
            organization: row.optional(organization),
            github: row.github(github)?,
            term: row.optional(term),
        });
    }
    Ok(leads)
}

fn members_of(table: &Table) -> Result<Vec<Member>, CharterError> {
    let [name, organization, github, level] =
        table.columns(["Name", "Organization", "GitHub", "Level"])?;
    let discord = table.column("Discord");
    let mut members = Vec::new();
    for row in table.rows() {
        let name_cell = row.text(name);
        if name_cell.is_empty() {
            return Err(row.error("a Membership row without a Name"));
        }
        let level_cell = row.text(level);
        let level = Level::parse(&level_cell).ok_or_else(|| {
            row.error(&format!(
                "`{level_cell}` is not a participation level (Lead, WG Member, Participant, Observer, Emeritus)"
            ))
        })?;
        members.push(Member {
            name: name_cell,
            organization: row.optional(organization),
            github: row.github(github)?,
            discord: discord.and_then(|d| row.optional(d)),
            level,
        });
    }
    Ok(members)
}

fn meetings(table: &Table) -> Result<Vec<MeetingRow>, CharterError> {
    let [meeting, frequency, duration] = table.columns(["Meeting", "Frequency", "Duration"])?;
    Ok(table
        .rows()
        // The template's own rows name a meeting and leave its schedule blank.
        .filter(|row| !row.text(frequency).is_empty() || !row.text(duration).is_empty())
        .map(|row| MeetingRow {
            meeting: row.text(meeting),
            frequency: row.text(frequency),
            duration: row.text(duration),
        })
        .collect())
}

fn changelog(table: &Table) -> Result<Option<Change>, CharterError> {
    let [date, change] = table.columns(["Date", "Change"])?;
    let mut newest: Option<Change> = None;
    for row in table.rows() {
        let cell = row.text(date);
        let day = cell.parse::<NaiveDate>().map_err(|_| {
            row.error(&format!(
                "`{cell}` is not a date: a Changelog date is written YYYY-MM-DD"
            ))
        })?;
        if newest.as_ref().is_none_or(|n| day > n.date) {
            newest = Some(Change {
                date: day,
                what: row.text(change),
            });
        }
    }
    Ok(newest)
}

#[cfg(test)]
mod tests;

//! Where the group files differ from the community's own records: each group's charter and the
//! maintainers file, as `groupdir sync` last read them (`data/charters.toml`). Every difference
//! is a [`Drift`] at the line of the group file a maintainer would edit; `check` warns about
//! each one that the settings do not list as explained, and `stale` reports them all.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

mod check;

pub use check::{Checked, check};

use super::GroupFile;
use crate::charter::maintainers::MaintainedGroup;
use crate::charter::{self, Charter, Level, MeetingRow};
use crate::diagnostic::{Diagnostic, Position, Source};
use crate::model::{Cadence, Meeting};
use crate::model::{Group, Person, Status};
use crate::people::MemberLevel;
use crate::records::Records;

/// One difference between a group file and a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// The group's slug; none for a group of the maintainers file that has no group file.
    pub group: Option<String>,
    /// What differs, in a word: `lead`, `member`, `organization`, `level`, `meeting`,
    /// `term-ended`, `maintainer`, `no-group-file`.
    pub kind: &'static str,
    /// Who or what it is about: a person's name, a meeting, a heading of the maintainers file.
    pub subject: String,
    /// The record it differs from: `charter owner/repo:path` or `maintainers file owner/repo:path`.
    pub record: String,
    pub message: String,
    pub hint: String,
    #[serde(skip)]
    pub path: PathBuf,
    #[serde(skip)]
    pub position: Position,
}

impl Drift {
    /// How `site.toml`'s `[drift] explained` names it: `group: kind: subject`.
    pub fn key(&self) -> String {
        let group = self.group.as_deref().unwrap_or("maintainers file");
        format!("{group}: {}: {}", self.kind, self.subject)
    }

    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::warning(&self.path, self.position, &self.message).with_hint(format!(
            "{} (or, if the record is what is wrong, list \"{}\" under [drift] explained in site.toml and say why in content/sources.md)",
            self.hint,
            self.key()
        ))
    }
}

/// Where the maintainers file is named: site.toml's `maintainers` line.
pub struct MaintainersFile<'a> {
    pub source: &'a crate::charter::FileRef,
    pub path: PathBuf,
    pub position: Position,
}

/// Every drift of every valid, not retired group, then of the maintainers file.
pub fn drifts(
    entries: &[GroupFile<'_>],
    records: &Records,
    maintainers: Option<&MaintainersFile<'_>>,
    today: NaiveDate,
) -> Vec<Drift> {
    let mut out = Vec::new();
    for entry in entries {
        let Some(group) = entry.group.filter(|g| g.status != Status::Retired) else {
            continue;
        };
        let mut cx = Cx {
            entry,
            group,
            record: String::new(),
            out: &mut out,
        };
        if let Some(source) = &group.sources.charter
            && let Some(charter) = records.charter(&group.slug, source)
        {
            cx.record = format!("charter {source}");
            cx.charter(charter, today);
        }
        if let Some(file) = maintainers
            && let Some(listed) = records.maintainers(file.source)
            && let Some(heading) = listed.iter().find(|m| names_group(m, group))
        {
            cx.record = format!("maintainers file {}", file.source);
            cx.maintainers(heading);
        }
    }
    if let Some(file) = maintainers
        && let Some(listed) = records.maintainers(file.source)
    {
        let groups: Vec<&Group> = entries.iter().filter_map(|e| e.group).collect();
        for heading in listed {
            if !groups.iter().any(|g| names_group(heading, g)) {
                out.push(Drift {
                    group: None,
                    kind: "no-group-file",
                    subject: heading.heading.clone(),
                    record: format!("maintainers file {}", file.source),
                    message: format!(
                        "the maintainers file ({}) names the {}, which has no group file",
                        file.source, heading.heading
                    ),
                    hint: "add its group file, with the status the record gives it".to_string(),
                    path: file.path.clone(),
                    position: file.position,
                });
            }
        }
    }
    out
}

/// Whether a heading of the maintainers file ("Security Interest Group") names the group: the
/// same name, compared as people read it, whatever kind the file calls it.
fn names_group(heading: &MaintainedGroup, group: &Group) -> bool {
    let name = simple(&heading.name);
    name == simple(&group.title) || name == simple(group.slug.as_str())
}

/// A name or title in lowercase letters and digits, words joined by single spaces.
fn simple(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a person of the group file is the one the record names: by GitHub user name when
/// both give one, else by name.
fn same_person(
    name: &str,
    github: Option<&str>,
    their_name: &str,
    their_github: &[String],
) -> bool {
    match github {
        Some(login) if !their_github.is_empty() => {
            their_github.iter().any(|g| g.eq_ignore_ascii_case(login))
        }
        _ => simple(name) == simple(their_name),
    }
}

struct Cx<'a, 'o> {
    entry: &'a GroupFile<'a>,
    group: &'a Group,
    record: String,
    out: &'o mut Vec<Drift>,
}

impl Cx<'_, '_> {
    /// The position of the first of `paths` the file has, else of the front matter.
    fn at(&self, paths: &[&str]) -> Position {
        let source: &Source = self.entry.source;
        // A single `[meetings]` table is `meetings.x` in the file, the first of `[[meetings]]`.
        let written = |p: &&str| {
            [p.to_string(), p.replacen("meetings[0]", "meetings", 1)]
                .into_iter()
                .find(|p| self.entry.spans.has(p))
        };
        let span = paths
            .iter()
            .find_map(written)
            .map_or_else(|| self.entry.spans.of(""), |p| self.entry.spans.of(&p));
        source.position(&span)
    }

    fn push(
        &mut self,
        kind: &'static str,
        subject: &str,
        at: Position,
        message: String,
        hint: String,
    ) {
        self.out.push(Drift {
            group: Some(self.group.slug.to_string()),
            kind,
            subject: subject.to_string(),
            record: self.record.clone(),
            message,
            hint,
            path: self.entry.source.path.clone(),
            position: at,
        });
    }

    fn charter(&mut self, charter: &Charter, today: NaiveDate) {
        let (maintainer_rows, lead_rows): (Vec<_>, Vec<_>) = charter
            .leads
            .iter()
            .partition(|l| l.role.to_lowercase().contains("maintainer"));
        self.people("facilitators", &self.group.facilitators, &lead_rows, today);
        if !maintainer_rows.is_empty() {
            self.people(
                "maintainers",
                &self.group.maintainers,
                &maintainer_rows,
                today,
            );
        }
        self.members(charter);
        self.meetings(&charter.meetings);
    }

    /// The group file's `key` list against the charter's Leadership rows.
    fn people(&mut self, key: &str, people: &[Person], rows: &[&charter::Lead], today: NaiveDate) {
        let record = self.record.clone();
        for row in rows {
            let found = people
                .iter()
                .position(|p| same_person(&p.name, p.github.as_deref(), &row.name, &row.github));
            let Some(i) = found else {
                let github = row
                    .github
                    .first()
                    .map_or(String::new(), |g| format!(", github = \"{g}\""));
                let at = self.at(&[key, "title"]);
                self.push(
                    "lead",
                    &row.name,
                    at,
                    format!(
                        "the {record} lists {} as {}; `{key}` does not",
                        row.name, row.role
                    ),
                    format!("add {{ name = \"{}\"{github} }} to `{key}`", row.name),
                );
                continue;
            };
            let person = &people[i];
            let path = format!("{key}[{i}]");
            if let Some(organization) = &row.organization
                && person
                    .organization
                    .as_ref()
                    .is_none_or(|o| simple(o) != simple(organization))
            {
                let at = self.at(&[&format!("{path}.organization"), &format!("{path}.name")]);
                let written = person
                    .organization
                    .as_deref()
                    .map_or("none".to_string(), |o| format!("`{o}`"));
                self.push(
                    "organization",
                    &row.name,
                    at,
                    format!("{}'s organization is `{organization}` in the {record}; the group file gives {written}", row.name),
                    format!("write organization = \"{organization}\""),
                );
            }
            // The charter's term first: the group file may still say "Initial".
            let ended = [row.term.as_deref(), person.term.as_deref()]
                .into_iter()
                .flatten()
                .find_map(|t| {
                    charter::term_end(t)
                        .filter(|end| *end < today)
                        .map(|end| (t, end))
                });
            if let Some((term, end)) = ended {
                let at = self.at(&[&format!("{path}.term"), &format!("{path}.name")]);
                self.push(
                    "term-ended",
                    &row.name,
                    at,
                    format!(
                        "{}'s term as {} ended on {end} (`{term}`, {record})",
                        row.name, row.role
                    ),
                    "ask the group to renew or replace its lead in the charter, then update both"
                        .to_string(),
                );
            }
        }
        for (i, person) in people.iter().enumerate() {
            let listed = rows.iter().any(|row| {
                same_person(
                    &person.name,
                    person.github.as_deref(),
                    &row.name,
                    &row.github,
                )
            });
            if !listed {
                let at = self.at(&[&format!("{key}[{i}].name"), key]);
                self.push(
                    "lead",
                    &person.name,
                    at,
                    format!(
                        "{} is in `{key}` but not in the Leadership table of the {record}",
                        person.name
                    ),
                    "remove them, or have the charter's Leadership table list them".to_string(),
                );
            }
        }
    }

    fn members(&mut self, charter: &Charter) {
        let record = self.record.clone();
        let rows: Vec<_> = charter
            .members
            .iter()
            .filter(|m| m.level != Level::Lead)
            .collect();
        let members = &self.group.members;
        for row in &rows {
            let found = members
                .iter()
                .position(|m| same_person(&m.name, m.github.as_deref(), &row.name, &row.github));
            let level = level_of(row.level);
            let Some(i) = found else {
                let at = self.at(&["members", "facilitators"]);
                self.push(
                    "member",
                    &row.name,
                    at,
                    format!(
                        "the {record} lists {} ({}); `members` does not",
                        row.name, row.level
                    ),
                    format!(
                        "add {{ name = \"{}\"{}, level = \"{}\" }} to `members`",
                        row.name,
                        row.github
                            .first()
                            .map_or(String::new(), |g| format!(", github = \"{g}\"")),
                        level.map_or("participant", MemberLevel::name)
                    ),
                );
                continue;
            };
            let member = &members[i];
            if level.is_some_and(|l| l != member.level) {
                let at = self.at(&[&format!("members[{i}].level")]);
                self.push(
                    "level",
                    &row.name,
                    at,
                    format!(
                        "{} is {} in the {record}, {} in the group file",
                        row.name,
                        row.level,
                        member.level.name()
                    ),
                    format!("write level = \"{}\"", row.level),
                );
            }
            if let Some(organization) = &row.organization
                && member
                    .organization
                    .as_ref()
                    .is_none_or(|o| simple(o) != simple(organization))
            {
                let at = self.at(&[
                    &format!("members[{i}].organization"),
                    &format!("members[{i}].name"),
                ]);
                self.push(
                    "organization",
                    &row.name,
                    at,
                    format!(
                        "{}'s organization is `{organization}` in the {record}",
                        row.name
                    ),
                    format!("write organization = \"{organization}\""),
                );
            }
        }
        for (i, member) in members.iter().enumerate() {
            let listed = rows.iter().any(|row| {
                same_person(
                    &member.name,
                    member.github.as_deref(),
                    &row.name,
                    &row.github,
                )
            });
            if !listed {
                let at = self.at(&[&format!("members[{i}].name")]);
                self.push(
                    "member",
                    &member.name,
                    at,
                    format!(
                        "{} is in `members` but not in the Membership table of the {record}",
                        member.name
                    ),
                    "remove them, or have the charter list them".to_string(),
                );
            }
        }
    }

    /// The group's meetings against the charter's rows whose frequency says a cadence: a
    /// meeting no row matches, or whose day or duration differs from the row it matches.
    fn meetings(&mut self, rows: &[MeetingRow]) {
        let record = self.record.clone();
        let stated: Vec<&MeetingRow> = rows.iter().filter(|r| r.cadence().is_some()).collect();
        if stated.is_empty() {
            return;
        }
        let meetings = meetings_of(self.group);
        let describe = |r: &MeetingRow| format!("{} ({}, {})", r.meeting, r.frequency, r.duration);
        if meetings.is_empty() {
            let at = self.at(&["sources.charter", "title"]);
            let listed: Vec<String> = stated.iter().map(|r| describe(r)).collect();
            self.push(
                "meeting",
                &stated[0].meeting,
                at,
                format!(
                    "the {record} lists meetings: {}; the group file has none",
                    listed.join("; ")
                ),
                "add [meetings] with the cadence and duration the charter gives".to_string(),
            );
            return;
        }
        for (prefix, meeting) in meetings {
            // Only a cadence the charter's words can say is compared: weeks or monthly.
            let (weeks, day) = match &meeting.cadence {
                Cadence::Weeks {
                    every_weeks, day, ..
                } => (charter::Cadence::EveryWeeks(*every_weeks), *day),
                Cadence::Monthly { .. } => (charter::Cadence::Monthly, None),
                _ => continue,
            };
            let prefix = prefix.as_str();
            let Some(row) = stated.iter().find(|r| r.cadence() == Some(weeks)) else {
                let at = self.at(&[
                    &format!("{prefix}.every_weeks"),
                    &format!("{prefix}.every"),
                    prefix,
                ]);
                let listed: Vec<String> = stated.iter().map(|r| describe(r)).collect();
                self.push(
                    "meeting",
                    &format!("{weeks}"),
                    at,
                    format!(
                        "the group file meets {weeks}; the {record} lists {}",
                        listed.join("; ")
                    ),
                    "write the cadence the charter gives, or have the charter updated".to_string(),
                );
                continue;
            };
            if let (Some(minutes), Some(written)) = (row.minutes(), meeting.duration_minutes)
                && minutes != written
            {
                let at = self.at(&[&format!("{prefix}.duration_minutes")]);
                self.push(
                    "meeting",
                    &row.meeting,
                    at,
                    format!(
                        "the {} lasts {} in the {record}; the group file says {written} minutes",
                        row.meeting, row.duration
                    ),
                    format!("write duration_minutes = {minutes}"),
                );
            }
            if let (Some(day), Some(written)) = (row.day(), day)
                && day != written
            {
                let at = self.at(&[&format!("{prefix}.day")]);
                self.push(
                    "meeting",
                    &row.meeting,
                    at,
                    format!(
                        "the {} is on {day} in the {record} ({}); the group file says {written}",
                        row.meeting, row.frequency
                    ),
                    format!("write day = \"{}\"", crate::model::weekday_full_name(day)),
                );
            }
        }
    }

    /// The group file's `maintainers` against its heading in the maintainers file.
    fn maintainers(&mut self, heading: &MaintainedGroup) {
        let record = self.record.clone();
        let people = &self.group.maintainers;
        for listed in &heading.maintainers {
            let github: Vec<String> = listed.github.iter().cloned().collect();
            if !people
                .iter()
                .any(|p| same_person(&p.name, p.github.as_deref(), &listed.name, &github))
            {
                let at = self.at(&["maintainers", "facilitators"]);
                let login = listed
                    .github
                    .as_deref()
                    .map_or(String::new(), |g| format!(", github = \"{g}\""));
                self.push(
                    "maintainer",
                    &listed.name,
                    at,
                    format!(
                        "the {record} lists {} as a maintainer of the {}; `maintainers` does not",
                        listed.name, heading.heading
                    ),
                    format!(
                        "add {{ name = \"{}\"{login} }} to `maintainers`",
                        listed.name
                    ),
                );
            }
        }
        for (i, person) in people.iter().enumerate() {
            let listed = heading.maintainers.iter().any(|m| {
                let github: Vec<String> = m.github.iter().cloned().collect();
                same_person(&person.name, person.github.as_deref(), &m.name, &github)
            });
            if !listed {
                let at = self.at(&[&format!("maintainers[{i}].name"), "maintainers"]);
                self.push(
                    "maintainer",
                    &person.name,
                    at,
                    format!(
                        "{} is in `maintainers` but not under the {} in the {record}",
                        person.name, heading.heading
                    ),
                    "remove them, or have the maintainers file list them".to_string(),
                );
            }
        }
    }
}

/// The charter's level in the group file's words; a lead has none there.
fn level_of(level: Level) -> Option<MemberLevel> {
    match level {
        Level::Lead => None,
        Level::Member => Some(MemberLevel::Member),
        Level::Participant => Some(MemberLevel::Participant),
        Level::Observer => Some(MemberLevel::Observer),
        Level::Emeritus => Some(MemberLevel::Emeritus),
    }
}

/// A group's recurring meetings with the path of each in its file.
fn meetings_of(group: &Group) -> Vec<(String, &Meeting)> {
    group
        .meetings
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("meetings[{i}]"), m))
        .collect()
}

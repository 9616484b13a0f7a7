//! The data file `data/charters.toml`: what `groupdir sync` last read of each group's charter
//! (leads, members, meetings, the newest changelog date) and of the maintainers file. The build
//! and `check` read it, offline, to report where the group files differ from those records. It
//! has the events' guarantees: a sync replaces a snapshot only with a newer reading that parsed,
//! writes atomically, and writes nothing when nothing changed.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

use crate::Error;
use crate::charter::maintainers::{MaintainedGroup, Maintainer};
use crate::charter::{Change, Charter, FileRef, Lead, Level, MeetingRow, Member};
use crate::diagnostic::{Diagnostic, Source};
use crate::load::{display_path, is_link, link_error, read_optional_text, replace_if_changed};
use crate::model::Slug;
use crate::parse::day;
use crate::parse::decode::decode;

/// Where the file lives under the site's root.
pub const FILE: &str = "data/charters.toml";
const DIR: &str = "data";

/// A charter as last read, and where from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub source: FileRef,
    pub charter: Charter,
}

/// The maintainers file as last read, and where from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintainersSnapshot {
    pub source: FileRef,
    pub groups: Vec<MaintainedGroup>,
}

/// Every snapshot the file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    pub charters: BTreeMap<Slug, Snapshot>,
    pub maintainers: Option<MaintainersSnapshot>,
}

impl Records {
    /// The snapshot of a group's charter, if it is of the charter the group names now.
    pub fn charter(&self, slug: &Slug, source: &FileRef) -> Option<&Charter> {
        self.charters
            .get(slug)
            .filter(|s| &s.source == source)
            .map(|s| &s.charter)
    }

    /// The maintainers file's snapshot, if it is of the file the settings name now.
    pub fn maintainers(&self, source: &FileRef) -> Option<&[MaintainedGroup]> {
        self.maintainers
            .as_ref()
            .filter(|m| &m.source == source)
            .map(|m| m.groups.as_slice())
    }

    /// Reads `root/data/charters.toml`: no file is no snapshots; what is wrong in it comes back
    /// as diagnostics at their line and column.
    pub fn read(
        root: &Path,
        is_group: impl Fn(&str) -> bool,
    ) -> Result<(Records, Vec<Diagnostic>), Error> {
        let path = root.join(FILE);
        let folder = root.join(DIR);
        if let Some(link) = [&folder, &path].into_iter().find(|p| is_link(p)) {
            return Ok((
                Records::default(),
                vec![link_error(&display_path(root, link))],
            ));
        }
        match read_optional_text(root, &path)? {
            None => Ok((Records::default(), Vec::new())),
            Some(Err(diagnostic)) => Ok((Records::default(), vec![diagnostic])),
            Some(Ok(source)) => Ok(Records::parse(&source, is_group)),
        }
    }

    /// Parses the text of the file; see [`Records::read`].
    pub fn parse(source: &Source, is_group: impl Fn(&str) -> bool) -> (Records, Vec<Diagnostic>) {
        let decoded = decode::<FileToml>(source, 0..source.text.len());
        let mut diagnostics = decoded.diagnostics;
        let mut records = Records::default();
        let Some(file) = decoded.value else {
            return (records, diagnostics);
        };
        let fix = "the file is written by `groupdir sync`: fix or delete the entry";
        for (key, charter) in file.charters {
            let span = decoded.spans.of(&format!("charters.{key}"));
            let slug = match Slug::parse(&key) {
                Ok(slug) => slug,
                Err(message) => {
                    diagnostics.push(source.error(&span, message).with_hint(fix));
                    continue;
                }
            };
            if !is_group(&key) {
                diagnostics.push(
                    source
                        .warning(
                            &span,
                            format!("a charter of `{key}`, which has no group file"),
                        )
                        .with_hint(
                            "if the group's file was renamed, rename it here too; else delete it",
                        ),
                );
            }
            let changed = match charter.changed.as_ref().map(|d| (d, day(d))) {
                Some((_, None)) => {
                    let at = decoded.spans.of(&format!("charters.{key}.changed"));
                    diagnostics.push(
                        source
                            .error(&at, format!("`charters.{key}.changed` must be a date"))
                            .with_hint(fix),
                    );
                    continue;
                }
                Some((_, Some(date))) => Some(Change {
                    date,
                    what: charter.change.clone().unwrap_or_default(),
                }),
                None => None,
            };
            records.charters.insert(
                slug,
                Snapshot {
                    source: charter.source,
                    charter: Charter {
                        leads: charter.leads.into_iter().map(Lead::from).collect(),
                        members: charter.members.into_iter().map(Member::from).collect(),
                        meetings: charter.meetings.into_iter().map(MeetingRow::from).collect(),
                        changed,
                    },
                },
            );
        }
        records.maintainers = file.maintainers.map(|m| MaintainersSnapshot {
            source: m.source,
            groups: m.groups.into_iter().map(MaintainedGroup::from).collect(),
        });
        (records, diagnostics)
    }

    /// The file's text. The same snapshots always give the same bytes.
    pub fn to_toml(&self) -> String {
        let file = FileToml {
            maintainers: self.maintainers.as_ref().map(|m| MaintainersToml {
                source: m.source.clone(),
                groups: m.groups.iter().map(GroupToml::from).collect(),
            }),
            charters: self
                .charters
                .iter()
                .map(|(slug, s)| (slug.to_string(), CharterToml::from(s)))
                .collect(),
        };
        let body = toml::to_string(&file).expect("snapshots are plain TOML data");
        format!("{HEADER}\n{body}")
    }

    /// Writes the file under `root` if its bytes change, atomically (a new file beside it, synced,
    /// renamed over it). Returns whether it wrote. With nothing to hold and no file, it writes none.
    pub fn write(&self, root: &Path) -> Result<bool, Error> {
        let nothing = self.charters.is_empty() && self.maintainers.is_none();
        replace_if_changed(root, FILE, &self.to_toml(), nothing)
    }
}

const HEADER: &str = "\
# What `groupdir sync` last read of each group's charter ([sources] charter) and of the
# maintainers file (site.toml's `maintainers`): the tables the directory compares its group files
# with (see the README, \"Charters and the maintainers file\"). Written by the sync; `check` reads
# it and never goes online.
";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    maintainers: Option<MaintainersToml>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    charters: BTreeMap<String, CharterToml>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CharterToml {
    source: FileRef,
    /// The newest changelog date, and its change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    changed: Option<Datetime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    change: Option<String>,
    #[serde(default)]
    leads: Vec<LeadToml>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    members: Vec<MemberToml>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    meetings: Vec<MeetingToml>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeadToml {
    role: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    github: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    term: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberToml {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    github: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    discord: Option<String>,
    level: Level,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingToml {
    meeting: String,
    frequency: String,
    duration: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MaintainersToml {
    source: FileRef,
    #[serde(default)]
    groups: Vec<GroupToml>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupToml {
    heading: String,
    #[serde(default)]
    maintainers: Vec<PersonToml>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonToml {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    github: Option<String>,
}

fn toml_date(date: NaiveDate) -> Datetime {
    date.to_string()
        .parse()
        .expect("a date is a TOML local date")
}

impl From<&Snapshot> for CharterToml {
    fn from(s: &Snapshot) -> CharterToml {
        let c = &s.charter;
        CharterToml {
            source: s.source.clone(),
            changed: c.changed.as_ref().map(|ch| toml_date(ch.date)),
            change: c.changed.as_ref().map(|ch| ch.what.clone()),
            leads: c
                .leads
                .iter()
                .map(|l| LeadToml {
                    role: l.role.clone(),
                    name: l.name.clone(),
                    organization: l.organization.clone(),
                    github: l.github.clone(),
                    term: l.term.clone(),
                })
                .collect(),
            members: c
                .members
                .iter()
                .map(|m| MemberToml {
                    name: m.name.clone(),
                    organization: m.organization.clone(),
                    github: m.github.clone(),
                    discord: m.discord.clone(),
                    level: m.level,
                })
                .collect(),
            meetings: c
                .meetings
                .iter()
                .map(|m| MeetingToml {
                    meeting: m.meeting.clone(),
                    frequency: m.frequency.clone(),
                    duration: m.duration.clone(),
                })
                .collect(),
        }
    }
}

impl From<LeadToml> for Lead {
    fn from(l: LeadToml) -> Lead {
        Lead {
            role: l.role,
            name: l.name,
            organization: l.organization,
            github: l.github,
            term: l.term,
        }
    }
}

impl From<MemberToml> for Member {
    fn from(m: MemberToml) -> Member {
        Member {
            name: m.name,
            organization: m.organization,
            github: m.github,
            discord: m.discord,
            level: m.level,
        }
    }
}

impl From<MeetingToml> for MeetingRow {
    fn from(m: MeetingToml) -> MeetingRow {
        MeetingRow {
            meeting: m.meeting,
            frequency: m.frequency,
            duration: m.duration,
        }
    }
}

impl From<&MaintainedGroup> for GroupToml {
    fn from(g: &MaintainedGroup) -> GroupToml {
        GroupToml {
            heading: g.heading.clone(),
            maintainers: g
                .maintainers
                .iter()
                .map(|m| PersonToml {
                    name: m.name.clone(),
                    github: m.github.clone(),
                })
                .collect(),
        }
    }
}

impl From<GroupToml> for MaintainedGroup {
    fn from(g: GroupToml) -> MaintainedGroup {
        let mut group = MaintainedGroup::named(&g.heading);
        group.maintainers = g
            .maintainers
            .into_iter()
            .map(|p| Maintainer {
                name: p.name,
                github: p.github,
            })
            .collect();
        group
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sample() -> Records {
        let text = include_str!("../tests/fixtures/charters/registry.mdx");
        let mut records = Records::default();
        records.charters.insert(
            Slug::parse("registry").unwrap(),
            Snapshot {
                source: FileRef::parse("o/r:docs/registry.mdx").unwrap(),
                charter: crate::charter::parse(text).unwrap(),
            },
        );
        let maintainers = "## Working Group & Interest Group Maintainers\n\n### Registry Working Group\n\n- [Rado](https://github.com/rdimitrov)\n- \"Quoted\" Name\n";
        records.maintainers = Some(MaintainersSnapshot {
            source: FileRef::parse("o/r:MAINTAINERS.md").unwrap(),
            groups: crate::charter::maintainers::parse(maintainers).unwrap(),
        });
        records
    }

    fn parse(text: &str) -> (Records, Vec<String>) {
        let source = Source {
            path: PathBuf::from(FILE),
            text: text.into(),
        };
        let (records, diagnostics) = Records::parse(&source, |slug| slug != "gone");
        (
            records,
            diagnostics.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn the_file_reads_back_what_it_wrote_byte_for_byte() {
        let records = sample();
        let text = records.to_toml();
        let (back, errors) = parse(&text);
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(back, records);
        assert_eq!(back.to_toml(), text);
        assert!(text.contains("[charters.registry]\n"), "{text}");
        assert!(
            text.contains("changed = 2026-07-30\n"),
            "a TOML date: {text}"
        );
        assert!(text.contains("[[charters.registry.leads]]"), "{text}");
    }

    #[test]
    fn mistakes_are_reported_at_their_place() {
        let (_, errors) = parse(
            "[charters.gone]\nsource = \"o/r:x.mdx\"\n\n[charters.x]\nsource = \"o/r:x.mdx\"\n[[charters.x.members]]\nname = \"A\"\nlevel = \"memebr\"\n",
        );
        let joined = errors.join("\n");
        assert!(
            joined.contains("data/charters.toml:8:9: error:"),
            "{joined}"
        );
        assert!(joined.contains("did you mean `member`?"), "{joined}");
        let (records, warnings) = parse("[charters.gone]\nsource = \"o/r:x.mdx\"\n");
        assert_eq!(records.charters.len(), 1, "kept, with a warning");
        assert!(
            warnings[0].starts_with("data/charters.toml:1:1: warning: a charter of `gone`"),
            "{warnings:#?}"
        );
    }

    #[test]
    fn writing_is_skipped_when_nothing_changed_and_atomic_otherwise() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert!(!Records::default().write(root).unwrap());
        assert!(!root.join(FILE).exists());
        let records = sample();
        assert!(records.write(root).unwrap());
        assert!(
            !records.write(root).unwrap(),
            "the same bytes are not written again"
        );
        let (back, diagnostics) = Records::read(root, |_| true).unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(back, records);
        let names: Vec<_> = std::fs::read_dir(root.join("data"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["charters.toml"], "no temporary file is left behind");
    }

    /// The bundled `data/charters.toml` holds no hand-typed roster: every snapshot is what the
    /// parser reads of the stored copy of its record in tests/fixtures/charters, whose first line
    /// names the repository, path and commit it was copied from.
    #[test]
    fn the_bundled_snapshots_are_what_the_parser_reads_of_the_stored_records() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut copies = BTreeMap::new();
        for entry in std::fs::read_dir(root.join("tests/fixtures/charters")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let first = text.lines().next().unwrap_or_default();
            let mut words = first
                .split("source: ")
                .nth(1)
                .unwrap_or_default()
                .split(' ');
            if let (Some(repository), Some(path)) = (words.next(), words.next()) {
                let file = FileRef::parse(&format!("{repository}:{path}")).unwrap();
                copies.entry(file).or_insert(text);
            }
        }
        let (bundled, diagnostics) = Records::read(root, |_| true).unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        for (slug, snapshot) in &bundled.charters {
            let copy = copies.get(&snapshot.source).unwrap_or_else(|| {
                panic!(
                    "{slug}: no stored copy of {} in the fixtures",
                    snapshot.source
                )
            });
            let parsed = crate::charter::parse(copy).unwrap();
            assert_eq!(snapshot.charter, parsed, "{slug}: {}", snapshot.source);
        }
        let maintainers = bundled
            .maintainers
            .expect("the bundled site names MAINTAINERS.md");
        let copy = &copies[&maintainers.source];
        assert_eq!(
            maintainers.groups,
            crate::charter::maintainers::parse(copy).unwrap()
        );
        assert_eq!(
            bundled.charters.len(),
            15,
            "every upstream charter a group names"
        );
    }
}

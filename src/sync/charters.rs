//! The community's records read by a sync: each group's charter and the maintainers file, in
//! one batched request, parsed into the snapshots of `data/charters.toml`, and each charter's
//! newest changelog date as an event of the group (kind `charter`).

use std::collections::BTreeSet;

use super::SourceFailure;
use super::client::Client;
use super::files;
use super::merge::merge;
use crate::activity::{ActivityFile, Event, EventKind};
use crate::charter::{self, FileRef};
use crate::model::Slug;
use crate::records::{MaintainersSnapshot, Records, Snapshot};

/// What reading the records did.
#[derive(Debug, Default)]
pub struct RecordsReport {
    pub files: usize,
    pub failures: Vec<SourceFailure>,
    /// The maintainers file, when it could not be read: its name and why.
    pub maintainers_failure: Option<(String, String)>,
}

/// The name of a charter as a source: in messages and in its event's `source`.
pub fn source_name(file: &FileRef) -> String {
    format!("charter {file}")
}

/// Reads the charters of `groups` and the `maintainers` file through `client`. A file that
/// could not be read, or whose tables could not be parsed, keeps its previous snapshot and
/// event and is reported; the others replace theirs. Snapshots of groups no longer in `groups`
/// and not in `keep` are dropped.
pub fn sync(
    groups: &[(&Slug, &FileRef)],
    maintainers: Option<&FileRef>,
    keep: &BTreeSet<Slug>,
    known: &Records,
    activity: &mut ActivityFile,
    client: &mut Client,
) -> (Records, RecordsReport) {
    let mut wanted: Vec<&FileRef> = groups.iter().map(|(_, f)| *f).collect();
    wanted.extend(maintainers);
    let mut report = RecordsReport {
        files: wanted.len(),
        ..RecordsReport::default()
    };
    if wanted.is_empty() {
        return (known.clone(), report);
    }
    let texts = files::read(&wanted, client);
    let mut records = known.clone();
    records
        .charters
        .retain(|slug, _| keep.contains(slug) || groups.iter().any(|(s, _)| *s == slug));
    for ((slug, file), text) in groups.iter().zip(&texts) {
        let parsed = text.clone().and_then(|t| {
            charter::parse(&t).map_err(|e| format!("its tables cannot be read: {e}"))
        });
        let name = source_name(file);
        match parsed {
            Ok(parsed) => {
                let seen: Vec<Event> = parsed
                    .changed
                    .iter()
                    .map(|change| Event {
                        date: change.date,
                        kind: EventKind::Charter,
                        title: format!("Charter: {}", plain(&change.what)),
                        url: format!("{}#changelog", file.url()),
                        source: name.clone(),
                    })
                    .collect();
                let answered = BTreeSet::from([name.clone()]);
                let events = merge(activity.events(slug), seen, &answered);
                activity.set((*slug).clone(), events);
                records.charters.insert(
                    (*slug).clone(),
                    Snapshot {
                        source: (*file).clone(),
                        charter: parsed,
                    },
                );
            }
            Err(why) => report.failures.push(SourceFailure {
                group: (*slug).clone(),
                source: name,
                why,
            }),
        }
    }
    if let (Some(file), Some(text)) = (maintainers, texts.last()) {
        match text
            .clone()
            .and_then(|t| charter::maintainers::parse(&t).map_err(|e| e.to_string()))
        {
            Ok(groups) => {
                records.maintainers = Some(MaintainersSnapshot {
                    source: file.clone(),
                    groups,
                })
            }
            Err(why) => {
                report.maintainers_failure = Some((format!("maintainers file {file}"), why));
            }
        }
    } else if maintainers.is_none() {
        records.maintainers = None;
    }
    (records, report)
}

/// A changelog entry on one line, without Markdown's link syntax.
fn plain(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        "changed".to_string()
    } else {
        words.join(" ")
    }
}

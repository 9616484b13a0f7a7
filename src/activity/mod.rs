//! The data file `data/activity.toml`: the events `groupdir sync` saw on GitHub, per group,
//! newest first. Every build reads it, offline, as just another input: its model, reader and
//! writer live here, beside the stages; how a sync merges into it is `sync`'s.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

use crate::Error;
use crate::diagnostic::{Diagnostic, Source};
use crate::horizon::Horizon;
use crate::load::{display_path, is_link, link_error, read_optional_text, replace_if_changed};
use crate::model::Slug;
use crate::parse::decode::decode;
use crate::parse::fields::Fields;
use crate::parse::forbidden_characters;

mod horizons;
/// Where the data file lives under the site's root, and its folder.
mod leftovers;
mod limits;

use horizons::{EntryToml, horizons};
pub use limits::{Skipped, capped_title, refusal};
use limits::{title_limit, url_problem};

pub const FILE: &str = "data/activity.toml";
const DIR: &str = "data";

/// The events a group may have in the file, newest first: 2.5 repositories' worth of the 10 per kind a sync keeps
/// per kind, while a group's events stay well within the build's limit on the file's size (an
/// event is at most about 3.1 KiB with the caps below).
pub const MAX_EVENTS_PER_GROUP: usize = 100;

/// The longest title the file holds, in characters: GitHub's own limit for an issue's title. A
/// sync shortens a longer one (a commit's headline can be any length) to this, ending in `…`.
pub const MAX_TITLE_CHARS: usize = 256;

/// The longest address the file holds, in bytes; GitHub's are under 200.
pub const MAX_URL_BYTES: usize = 1024;

/// What happened, in the words of the data file.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A discussion in a category whose name has "notes" in it.
    MeetingNotes,
    Discussion,
    PullRequestMerged,
    /// A pull request opened, updated or closed without being merged.
    PullRequest,
    /// An issue opened, updated or closed.
    Issue,
    /// A commit on the default branch.
    Commit,
    /// The newest date of the group's charter's changelog.
    Charter,
}

impl EventKind {
    /// How a page or a report names the kind.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::MeetingNotes => "meeting notes",
            EventKind::Discussion => "discussion",
            EventKind::PullRequestMerged => "pull request merged",
            EventKind::PullRequest => "pull request",
            EventKind::Issue => "issue",
            EventKind::Commit => "commit",
            EventKind::Charter => "charter",
        }
    }

    /// Whether the governance rule for working groups counts it: "an active Issue/PR".
    pub fn is_issue_or_pull_request(self) -> bool {
        matches!(
            self,
            EventKind::Issue | EventKind::PullRequest | EventKind::PullRequestMerged
        )
    }

    fn name(self) -> &'static str {
        match self {
            EventKind::MeetingNotes => "meeting-notes",
            EventKind::Discussion => "discussion",
            EventKind::PullRequestMerged => "pull-request-merged",
            EventKind::PullRequest => "pull-request",
            EventKind::Issue => "issue",
            EventKind::Commit => "commit",
            EventKind::Charter => "charter",
        }
    }
}

/// One thing a group did on GitHub, with its public record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Event {
    pub date: NaiveDate,
    pub kind: EventKind,
    pub title: String,
    pub url: String,
    /// The source it was read from, named as `model::ActivitySource` displays it.
    pub source: String,
}

/// Sorts events newest first; same-day events by kind, then address, so the order is stable.
pub fn sort(events: &mut [Event]) {
    events.sort_by(|a, b| {
        (b.date, a.kind, &a.url)
            .cmp(&(a.date, b.kind, &b.url))
            .then_with(|| a.title.cmp(&b.title))
    });
}

/// The data file in memory: every group's events, by slug, each list newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFile {
    groups: BTreeMap<Slug, Vec<Event>>,
    /// Each source's horizon, by the name events carry in `source`.
    read: BTreeMap<String, Horizon>,
}

/// The data file's table of horizons: a key no slug can take, since slugs are `[a-z0-9-]`.
pub const READ_KEY: &str = "_read";

impl ActivityFile {
    /// The events of one group, newest first.
    pub fn events(&self, slug: &Slug) -> &[Event] {
        self.groups.get(slug).map_or(&[], Vec::as_slice)
    }

    /// Replaces one group's events; an empty list removes the group.
    pub fn set(&mut self, slug: Slug, mut events: Vec<Event>) {
        if events.is_empty() {
            self.groups.remove(&slug);
        } else {
            sort(&mut events);
            self.groups.insert(slug, events);
        }
    }

    /// How far what is known of a source reaches; none when it was never read.
    pub fn horizon(&self, source: &str) -> Option<Horizon> {
        self.read.get(source).copied()
    }

    /// Records that `source` was read in full at `horizon`.
    pub fn set_horizon(&mut self, source: String, horizon: Horizon) {
        self.read.insert(source, horizon);
    }

    /// The groups that have events, in slug order.
    pub fn slugs(&self) -> impl Iterator<Item = &Slug> {
        self.groups.keys()
    }

    /// Reads `root/data/activity.toml`: no file is no events; what is wrong in it comes back as
    /// diagnostics, each at its line and column. `is_group` says which slugs have a group file:
    /// events of any other are kept, with a warning.
    pub fn read(
        root: &Path,
        is_group: impl Fn(&str) -> bool,
    ) -> Result<(ActivityFile, Vec<Diagnostic>), Error> {
        let path = root.join(FILE);
        // Read like a content file: never through a link (the file's or its folder's), a
        // regular file only, of limited size, UTF-8.
        let folder = root.join(DIR);
        if let Some(link) = [&folder, &path].into_iter().find(|p| is_link(p)) {
            return Ok((
                ActivityFile::default(),
                vec![link_error(&display_path(root, link))],
            ));
        }
        let source = match read_optional_text(root, &path)? {
            None => return Ok((ActivityFile::default(), Vec::new())),
            Some(Err(diagnostic)) => return Ok((ActivityFile::default(), vec![diagnostic])),
            Some(Ok(source)) => source,
        };
        Ok(ActivityFile::parse(&source, is_group))
    }

    /// Parses the text of a data file; see [`ActivityFile::read`].
    pub fn parse(
        source: &Source,
        is_group: impl Fn(&str) -> bool,
    ) -> (ActivityFile, Vec<Diagnostic>) {
        let decoded = decode::<BTreeMap<String, EntryToml>>(source, 0..source.text.len());
        let mut diagnostics = decoded.diagnostics;
        // The text rules of every content file: no character that no output may carry.
        diagnostics.extend(forbidden_characters(
            source,
            &decoded.strings,
            &decoded.spans,
        ));
        let mut activity = ActivityFile::default();
        let mut cx = Fields::new(source, &decoded.spans, &mut diagnostics).with_fix(FIX);
        for (key, entry) in decoded.value.unwrap_or_default() {
            let entries = match (entry, key == READ_KEY) {
                (EntryToml::Read(read), true) => {
                    activity.read = horizons(&mut cx, read);
                    continue;
                }
                (EntryToml::Events(entries), false) => entries,
                (_, true) => {
                    cx.error(
                        &key,
                        format!("`{READ_KEY}` must be a table of horizons"),
                        "write `[_read]`, then one `\"<source>\" = <date or date-time>` line per source",
                    );
                    continue;
                }
                (EntryToml::Read(_), false) => {
                    cx.error(
                        &key,
                        format!("`{key}` must be a list of events, written `[[{key}]]`"),
                        FIX,
                    );
                    continue;
                }
            };
            let slug = match Slug::parse(&key) {
                Ok(slug) => slug,
                Err(message) => {
                    cx.error(
                        &key,
                        message,
                        "name the group by its file name without `.md`",
                    );
                    continue;
                }
            };
            if !is_group(&key) {
                let d = source
                    .warning(
                        &decoded.spans.of(&key),
                        format!("events of `{key}`, which has no group file"),
                    )
                    .with_hint(
                        "if the group's file was renamed, rename its events too; else delete them",
                    );
                cx.diagnostics.push(d);
            }
            let events = entries
                .into_iter()
                .enumerate()
                .filter_map(|(i, entry)| event(&mut cx, entry, &format!("{key}[{i}]")))
                .collect::<Vec<_>>();
            unique_urls(&mut cx, &key, &events);
            at_most(&mut cx, &key, &events);
            activity.set(slug, events);
        }
        (activity, diagnostics)
    }

    /// The file's text: a header, then each group's events as `[[slug]]` tables, newest first.
    /// The same events always give the same bytes, so a sync that found nothing new changes none.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(HEADER);
        if !self.read.is_empty() {
            out.push_str(READ_HEADER);
            let _ = writeln!(out, "[{READ_KEY}]");
            for (source, horizon) in &self.read {
                let _ = writeln!(out, "{} = {}", toml_string(source), horizon.to_toml());
            }
        }
        for (slug, events) in &self.groups {
            for event in events {
                out.push_str(&entry_toml(slug, event));
            }
        }
        out
    }

    /// Writes the file under `root` if its bytes change, atomically: a new file beside it, synced
    /// to disk, renamed over it. Returns whether it wrote. With no events and no file, it writes none.
    pub fn write(&self, root: &Path) -> Result<bool, Error> {
        // Even when nothing changed: what a killed sync left must not stay for ever.
        leftovers::remove_stale_temporaries(&root.join(DIR));
        let nothing = self.groups.is_empty() && self.read.is_empty();
        replace_if_changed(root, FILE, &self.to_toml(), nothing)
    }
}

/// One event as the file writes it, after a blank line.
fn entry_toml(slug: &Slug, event: &Event) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "\n[[{slug}]]\ndate = {}\nkind = {}\ntitle = {}\nurl = {}\nsource = {}\n",
        event.date,
        toml_string(event.kind.name()),
        toml_string(&event.title),
        toml_string(&event.url),
        toml_string(&event.source),
    );
    out
}

const HEADER: &str = "\
# What `groupdir sync` read from GitHub: each group's events, newest first, from the [sources]
# of its file. Written by the sync (see the README, \"Activity from GitHub\"); the build reads it
# and never goes online. An event that is wrong may be deleted by hand.
";

const READ_HEADER: &str = "
# When each source was last read in full, UTC; a hand-seeded source: the day its public record
# reaches. A group's horizon is the oldest of its sources': no verdict claims past it.
";

/// A TOML string with TOML's own escaping.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// An event as the file writes it, before its values are checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventToml {
    date: Datetime,
    kind: EventKind,
    title: String,
    url: String,
    source: String,
}

/// What to do about a bad value: the file is a program's, not a person's.
const FIX: &str = "the file is written by `groupdir sync`: fix or delete the entry";

/// One entry, checked by the rules of every file with keys (see [`Fields`]), then by the data
/// file's own limits (below), which the sync applies to what it would write.
fn event(cx: &mut Fields<'_>, entry: EventToml, path: &str) -> Option<Event> {
    let date = cx.date(Some(entry.date), &format!("{path}.date"));
    let title = cx_text(cx, entry.title, path, "title");
    let title = own_rule(cx, title, path, "title", title_limit);
    let source = cx_text(cx, entry.source, path, "source");
    // An address has the data file's stricter rule: http(s), a host, no credentials, a length.
    let url = own_rule(cx, Some(entry.url), path, "url", url_problem);
    Some(Event {
        date: date?,
        kind: entry.kind,
        title: title?,
        url: url?,
        source: source?,
    })
}

fn cx_text(cx: &mut Fields<'_>, value: String, path: &str, key: &str) -> Option<String> {
    cx.text(Some(value), &format!("{path}.{key}"))
}

/// A value the shared rules accepted, checked by one of the data file's own.
fn own_rule(
    cx: &mut Fields<'_>,
    value: Option<String>,
    path: &str,
    key: &str,
    problem: fn(&str) -> Option<String>,
) -> Option<String> {
    let value = value?;
    if let Some(why) = problem(&value) {
        let at = format!("{path}.{key}");
        cx.error(&at, format!("`{at}` {why}"), FIX);
        return None;
    }
    Some(value)
}

fn at_most(cx: &mut Fields<'_>, key: &str, events: &[Event]) {
    if events.len() > MAX_EVENTS_PER_GROUP {
        cx.error(
            &format!("{key}[{MAX_EVENTS_PER_GROUP}]"),
            format!(
                "`{key}` has {} events, more than the {MAX_EVENTS_PER_GROUP} a group may have",
                events.len()
            ),
            "delete the oldest (the last ones); `groupdir sync` keeps the newest only",
        );
    }
}

fn unique_urls(cx: &mut Fields<'_>, key: &str, events: &[Event]) {
    let mut seen = BTreeSet::new();
    for (i, event) in events.iter().enumerate() {
        if !seen.insert(&event.url) {
            cx.error(
                &format!("{key}[{i}].url"),
                format!("`{}` is listed twice for `{key}`", event.url),
                "one event per address: delete one of the two",
            );
        }
    }
}

#[cfg(test)]
mod tests;

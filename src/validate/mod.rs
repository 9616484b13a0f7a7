//! Rules across files: references between groups, unique titles, page names.

pub mod drift;
pub mod lints;
pub mod people;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Position, Source, did_you_mean};
use crate::model::{Group, Kind, Page, Slug};
use crate::parse::Parsed;
use crate::parse::decode::Spans;

/// A group file after parsing, valid or not: cross-file rules read what was written, so that
/// one run reports them even for a file that has errors of its own.
pub struct GroupFile<'a> {
    pub stem: &'a str,
    pub source: &'a Source,
    pub spans: &'a Spans,
    /// Every string in the front matter by its path, as `parse` recorded them.
    pub strings: &'a [(String, String)],
    /// The group when the file itself was valid, for rules that need its typed fields.
    pub group: Option<&'a Group>,
}

impl GroupFile<'_> {
    pub(crate) fn string(&self, path: &str) -> Option<&str> {
        self.strings
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, v)| v.as_str())
    }

    fn kind(&self) -> Option<Kind> {
        match self.string("kind")? {
            "interest-group" => Some(Kind::InterestGroup),
            "working-group" => Some(Kind::WorkingGroup),
            _ => None,
        }
    }

    /// The related slugs with their paths. Malformed slugs and the group itself are left out:
    /// `parse` reports those.
    fn related(&self) -> impl Iterator<Item = (&str, &str)> {
        self.strings
            .iter()
            .filter(|(path, _)| path.starts_with("related["))
            .map(|(path, slug)| (path.as_str(), slug.as_str()))
            .filter(|(_, slug)| Slug::parse(slug).is_ok() && *slug != self.stem)
    }
}

/// The dates of a group file that record what happened and are after `today`: the one rule of a
/// single file that depends on the day, so it runs here and not in `parse`.
pub fn future_dates(source: &Source, parsed: &Parsed<Group>, today: NaiveDate) -> Vec<Diagnostic> {
    parsed
        .recorded
        .iter()
        .filter(|(_, date)| *date > today)
        .map(|(key, date)| {
            source
                .error(
                    &parsed.spans.of(key),
                    format!("`{key}` is {date}, which is after today ({today})"),
                )
                .with_hint(
                    "record only what has happened; fix the date, or build with --now if today is wrong",
                )
        })
        .collect()
}

/// Checks what one file cannot know alone. Entries come in slug order, so "the second" is stable.
pub fn groups(entries: &[GroupFile<'_>]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let stems: BTreeSet<&str> = entries.iter().map(|e| e.stem).collect();
    let kinds: BTreeMap<&str, Kind> = entries
        .iter()
        .filter_map(|e| e.kind().map(|k| (e.stem, k)))
        .collect();
    let mut titles: BTreeMap<String, &GroupFile<'_>> = BTreeMap::new();

    for entry in entries {
        for (path, slug) in entry.related() {
            if !stems.contains(slug) {
                diagnostics.push(unknown_group(entry, path, slug, &stems));
            }
        }
        if entry.kind() == Some(Kind::WorkingGroup) {
            diagnostics.extend(origin(entry, &stems, &kinds));
        }
        if let Some(title) = entry
            .string("title")
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let key = crate::text::title_key(title);
            match titles.get(&key) {
                Some(first) => diagnostics.push(duplicate_title(entry, title, first)),
                None => {
                    titles.insert(key, entry);
                }
            }
        }
    }
    diagnostics
}

fn origin(
    entry: &GroupFile<'_>,
    stems: &BTreeSet<&str>,
    kinds: &BTreeMap<&str, Kind>,
) -> Option<Diagnostic> {
    let origin = entry
        .string("origin_group")
        .filter(|s| Slug::parse(s).is_ok())?;
    let at = entry.spans.of("origin_group");
    if origin == entry.stem {
        Some(entry.source.error(&at, "a working group cannot come from itself")
            .with_hint("name the interest group whose discussions led to this group, or remove `origin_group`"))
    } else if !stems.contains(origin) {
        Some(unknown_group(entry, "origin_group", origin, stems))
    } else if kinds.get(origin) == Some(&Kind::WorkingGroup) {
        Some(entry.source
            .error(&at, format!("`{origin}` is a working group, but `origin_group` must be an interest group"))
            .with_hint("name the interest group the work came from, or remove `origin_group`"))
    } else {
        None
    }
}

fn duplicate_title(entry: &GroupFile<'_>, title: &str, first: &GroupFile<'_>) -> Diagnostic {
    entry
        .source
        .error(
            &entry.spans.of("title"),
            format!(
                "the title \"{title}\" is already used by {}",
                first.source.path.display()
            ),
        )
        .with_hint("give each group its own title; if they are the same group, keep one file")
}

/// Page names that would collide with what the build writes itself.
const RESERVED_PAGES: &[&str] = &[
    "index", "groups", "meetings", "404", "static", "feed", "sitemap", "robots", "schema",
];

pub fn pages(pages: &[Page]) -> Vec<Diagnostic> {
    pages
        .iter()
        .filter(|page| RESERVED_PAGES.contains(&page.slug.as_str()))
        .map(|page| {
            Diagnostic::error(
                &page.path,
                Position::START,
                format!(
                    "a page cannot be named `{}`: groupdir writes that address itself",
                    page.slug
                ),
            )
            .with_hint("rename the file")
        })
        .collect()
}

fn unknown_group(
    entry: &GroupFile<'_>,
    path: &str,
    slug: &str,
    stems: &BTreeSet<&str>,
) -> Diagnostic {
    let d = entry
        .source
        .error(&entry.spans.of(path), format!("there is no group `{slug}`"));
    match did_you_mean(slug, stems.iter().copied().filter(|s| *s != entry.stem)) {
        Some(suggestion) => d.with_hint(format!("did you mean `{suggestion}`?")),
        None => d.with_hint("name a group by its file name in content/groups/, without `.md`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(p, v)| (p.to_string(), v.to_string()))
            .collect()
    }

    fn messages(files: &[(&str, Vec<(String, String)>)]) -> Vec<String> {
        let spans = Spans::default();
        let sources: Vec<Source> = files
            .iter()
            .map(|(stem, _)| Source {
                path: format!("{stem}.md").into(),
                text: "".into(),
            })
            .collect();
        let entries: Vec<GroupFile<'_>> = files
            .iter()
            .zip(&sources)
            .map(|((stem, strings), source)| GroupFile {
                stem,
                source,
                spans: &spans,
                strings,
                group: None,
            })
            .collect();
        groups(&entries).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn references_are_checked_from_what_was_written() {
        let found = messages(&[
            (
                "a",
                strings(&[
                    ("title", "A"),
                    ("kind", "working-group"),
                    ("related[0]", "bb"),
                    ("origin_group", "c"),
                ]),
            ),
            (
                "b",
                strings(&[("title", " a "), ("kind", "interest-group")]),
            ),
            ("c", strings(&[("title", "C"), ("kind", "working-group")])),
        ]);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("there is no group `bb`"), "{found:#?}");
        assert!(found[0].contains("did you mean `b`?"), "{found:#?}");
        assert!(found[1].contains("`c` is a working group"), "{found:#?}");
        assert!(found[2].starts_with("b.md:1:1: error: the title \"a\" is already used by a.md"));
    }
}

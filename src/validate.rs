//! Rules across files: references between groups, unique titles, page names.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Position, Source, did_you_mean};
use crate::model::{Group, Kind, Page};
use crate::parse::decode::Spans;

/// A group file after parsing: the group when the file itself was valid.
pub struct Entry<'a> {
    pub stem: &'a str,
    pub source: &'a Source,
    pub spans: &'a Spans,
    pub group: Option<&'a Group>,
}

/// Checks what one file cannot know alone. Entries come in slug order, so "the second" is stable.
pub fn groups(entries: &[Entry<'_>]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let stems: BTreeSet<&str> = entries.iter().map(|e| e.stem).collect();
    let kinds: BTreeMap<&str, Kind> = entries
        .iter()
        .filter_map(|e| e.group.map(|g| (e.stem, g.kind)))
        .collect();
    let mut titles: BTreeMap<String, &Entry<'_>> = BTreeMap::new();

    for entry in entries {
        let Some(group) = entry.group else { continue };
        for (i, slug) in group.related.iter().enumerate() {
            if !stems.contains(slug.as_str()) {
                let path = format!("related[{i}]");
                diagnostics.push(unknown_group(entry, &path, slug.as_str(), &stems));
            }
        }
        if let Some(origin) = group.origin_group() {
            if origin == &group.slug {
                diagnostics.push(
                    entry.source.error(&entry.spans.of("origin_group"), "a working group cannot come from itself")
                        .with_hint("name the interest group whose discussions led to this group, or remove `origin_group`"),
                );
            } else if !stems.contains(origin.as_str()) {
                diagnostics.push(unknown_group(
                    entry,
                    "origin_group",
                    origin.as_str(),
                    &stems,
                ));
            } else if kinds.get(origin.as_str()) == Some(&Kind::WorkingGroup) {
                diagnostics.push(
                    entry.source
                        .error(&entry.spans.of("origin_group"), format!("`{origin}` is a working group, but `origin_group` must be an interest group"))
                        .with_hint("name the interest group the work came from, or remove `origin_group`"),
                );
            }
        }
        let key = normalise_title(&group.title);
        match titles.get(&key) {
            Some(first) => diagnostics.push(
                entry
                    .source
                    .error(
                        &entry.spans.of("title"),
                        format!(
                            "the title \"{}\" is already used by {}",
                            group.title,
                            first.source.path.display()
                        ),
                    )
                    .with_hint(
                        "give each group its own title; if they are the same group, keep one file",
                    ),
            ),
            None => {
                titles.insert(key, entry);
            }
        }
    }
    diagnostics
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

fn unknown_group(entry: &Entry<'_>, path: &str, slug: &str, stems: &BTreeSet<&str>) -> Diagnostic {
    let d = entry
        .source
        .error(&entry.spans.of(path), format!("there is no group `{slug}`"));
    match did_you_mean(slug, stems.iter().copied().filter(|s| *s != entry.stem)) {
        Some(suggestion) => d.with_hint(format!("did you mean `{suggestion}`?")),
        None => d.with_hint("name a group by its file name in content/groups/, without `.md`"),
    }
}

/// Titles that differ only in case or spacing are the same title to a reader.
fn normalise_title(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

//! One person, one spelling: a GitHub account that comes with two different names across the
//! group files is a warning at the later name, naming the earlier one's place.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Position};
use crate::validate::GroupFile;

/// The lists of people in a group file.
const ROLES: [&str; 2] = ["facilitators", "maintainers"];

/// Where a name was first given for an account.
struct First<'a> {
    name: &'a str,
    entry: &'a GroupFile<'a>,
    at: Position,
}

/// A warning for each person named differently from the first name given for their GitHub
/// account (compared without case, as GitHub does; names compared as written, spaces trimmed).
/// Entries come in slug order, so "the first" is stable.
pub fn one_name_per_account<'a>(entries: &'a [GroupFile<'a>]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<String, First<'a>> = BTreeMap::new();
    let mut warnings = Vec::new();
    for entry in entries {
        for role in ROLES {
            for i in 0.. {
                let path = format!("{role}[{i}]");
                let (Some(name), github) = (
                    entry.string(&format!("{path}.name")),
                    entry.string(&format!("{path}.github")),
                ) else {
                    break;
                };
                let Some(handle) = github.map(|g| g.trim().trim_start_matches('@')) else {
                    continue;
                };
                let (name, key) = (name.trim(), handle.to_lowercase());
                if name.is_empty() || key.is_empty() {
                    continue;
                }
                let span = entry.spans.of(&format!("{path}.name"));
                let at = entry.source.position(&span);
                let Some(seen) = first.get(&key) else {
                    first.insert(key, First { name, entry, at });
                    continue;
                };
                if seen.name != name {
                    warnings.push(
                        entry
                            .source
                            .warning(
                                &span,
                                format!(
                                    "the GitHub account `{handle}` is named `{name}` here and `{}` at {}:{}:{}",
                                    seen.name,
                                    seen.entry.source.path.display(),
                                    seen.at.line,
                                    seen.at.column
                                ),
                            )
                            .with_hint(
                                "a person has one spelling across the groups: write the same name in both files, as their records give it",
                            ),
                    );
                }
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Source;
    use crate::parse;
    use std::path::PathBuf;

    fn warnings(files: &[(&str, &str)]) -> Vec<String> {
        let sources: Vec<(String, Source)> = files
            .iter()
            .map(|(stem, people)| {
                let text = format!(
                    "+++\ntitle = \"{stem}\"\nkind = \"interest-group\"\nstatus = \"active\"\nsummary = \"S.\"\nlast_activity = 2026-11-01\nfirst_topic = \"F\"\ndiscord = \"#{stem}-ig\"\n{people}\n+++\n"
                );
                let path = PathBuf::from(format!("content/groups/{stem}.md"));
                (stem.to_string(), Source { path, text: text.into() })
            })
            .collect();
        let parsed: Vec<_> = sources
            .iter()
            .map(|(stem, source)| parse::group(source, stem))
            .collect();
        let entries: Vec<GroupFile<'_>> = sources
            .iter()
            .zip(&parsed)
            .map(|((stem, source), p)| GroupFile {
                stem,
                source,
                spans: &p.spans,
                strings: &p.strings,
                group: p.value.as_ref(),
            })
            .collect();
        one_name_per_account(&entries)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn one_account_with_two_names_is_a_warning_naming_both_places() {
        let found = warnings(&[
            (
                "a",
                "facilitators = [{ name = \"Sam Morrow\", github = \"SamMorrowDrums\" }]",
            ),
            (
                "b",
                "facilitators = [{ name = \"Ada\", github = \"ada\" }]\nmaintainers = [{ name = \"Sam Morrow Drums\", github = \"@sammorrowdrums\" }]",
            ),
        ]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(
                "content/groups/b.md:10:25: warning: the GitHub account `sammorrowdrums` is named `Sam Morrow Drums` here and `Sam Morrow` at content/groups/a.md:9:26"
            ),
            "{}",
            found[0]
        );
        assert!(found[0].contains("hint: a person has one spelling"));
    }

    #[test]
    fn the_same_name_or_no_account_is_no_warning() {
        let found = warnings(&[
            (
                "a",
                "facilitators = [{ name = \"Ada\", github = \"ada\" }, { name = \"Bo\" }]",
            ),
            (
                "b",
                "facilitators = [{ name = \"Ada\", github = \"ADA\" }, { name = \"Bob\" }]",
            ),
        ]);
        assert_eq!(found, Vec::<String>::new());
    }
}

//! `MAINTAINERS.md`: its "Working Group & Interest Group Maintainers" section, one `###`
//! heading per group and a list of people under each.

use super::CharterError;
use crate::model::Kind;

/// A group as the maintainers file names it, and its maintainers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintainedGroup {
    /// The heading as written, such as "Security Interest Group".
    pub heading: String,
    /// The name without its kind: "Security".
    pub name: String,
    pub kind: Option<Kind>,
    pub maintainers: Vec<Maintainer>,
}

impl MaintainedGroup {
    /// A group under its heading, with no maintainers yet.
    pub fn named(heading: &str) -> MaintainedGroup {
        let (name, kind) = split_kind(heading);
        MaintainedGroup {
            heading: heading.to_string(),
            name,
            kind,
            maintainers: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintainer {
    pub name: String,
    pub github: Option<String>,
}

/// The groups of the maintainers file's section for groups, in its order.
pub fn parse(text: &str) -> Result<Vec<MaintainedGroup>, CharterError> {
    let mut in_section = false;
    let mut found = false;
    let mut groups: Vec<MaintainedGroup> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(title) = trimmed.strip_prefix("## ") {
            let title = title.to_lowercase();
            in_section = title.contains("maintainers")
                && (title.contains("working group") || title.contains("interest group"));
            found |= in_section;
            continue;
        }
        if trimmed.starts_with("# ") {
            in_section = false;
        }
        if !in_section {
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix("### ") {
            groups.push(MaintainedGroup::named(heading.trim()));
            continue;
        }
        let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        else {
            continue;
        };
        let error = |reason: String| CharterError {
            line: i + 1,
            reason,
        };
        let Some(group) = groups.last_mut() else {
            return Err(error(
                "a maintainer listed before any `###` group heading".to_string(),
            ));
        };
        group.maintainers.push(person(item).map_err(error)?);
    }
    if !found {
        return Err(CharterError {
            line: 1,
            reason: "no `## Working Group & Interest Group Maintainers` section".to_string(),
        });
    }
    Ok(groups)
}

/// "Security Interest Group" → ("Security", interest group).
fn split_kind(heading: &str) -> (String, Option<Kind>) {
    for (suffix, kind) in [
        (" interest group", Kind::InterestGroup),
        (" working group", Kind::WorkingGroup),
        (" ig", Kind::InterestGroup),
        (" wg", Kind::WorkingGroup),
    ] {
        if heading.to_lowercase().ends_with(suffix) {
            let name = heading[..heading.len() - suffix.len()].trim();
            return (name.to_string(), Some(kind));
        }
    }
    (heading.to_string(), None)
}

/// `[Name](https://github.com/login)`, with anything after it (a note in parentheses), or a
/// name alone.
fn person(item: &str) -> Result<Maintainer, String> {
    let item = item.trim();
    if let Some(rest) = item.strip_prefix('[') {
        let (name, rest) = rest
            .split_once("](")
            .ok_or_else(|| format!("`{item}` is not a `[Name](address)` link"))?;
        let (url, _) = rest
            .split_once(')')
            .ok_or_else(|| format!("`{item}`: the link's address is not closed"))?;
        let github = url
            .strip_prefix("https://github.com/")
            .map(|login| login.trim_end_matches('/').to_string())
            .filter(|login| {
                !login.is_empty() && login.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        return Ok(Maintainer {
            name: name.trim().to_string(),
            github,
        });
    }
    if item.is_empty() {
        return Err("an empty list item".to_string());
    }
    Ok(Maintainer {
        name: item.to_string(),
        github: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_their_maintainers_are_read() {
        let text = "# MCP Maintainers\n\n## Core Maintainers\n\n- [Inna Harper](https://github.com/ihrpr)\n\n## Working Group & Interest Group Maintainers\n\nSome text.\n\n### Security Interest Group\n\n- [Den Delimarsky](https://github.com/dend)\n- Che Liu\n\n### Server Identity Working Group\n\n- [Nick Cooper](https://github.com/nicknotfun)\n\n## About This Document\n\n- not a maintainer\n";
        let groups = parse(text).unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].name, "Security");
        assert_eq!(groups[0].kind, Some(Kind::InterestGroup));
        assert_eq!(
            groups[0].maintainers,
            [
                Maintainer {
                    name: "Den Delimarsky".into(),
                    github: Some("dend".into())
                },
                Maintainer {
                    name: "Che Liu".into(),
                    github: None
                }
            ]
        );
        assert_eq!(groups[1].name, "Server Identity");
        assert_eq!(groups[1].kind, Some(Kind::WorkingGroup));
    }

    #[test]
    fn a_file_without_the_groups_section_is_an_error() {
        let error = parse("# MCP Maintainers\n\n## Core Maintainers\n\n- A\n").unwrap_err();
        assert!(error.reason.contains("no `## Working Group"), "{error}");
        let error =
            parse("## Working Group Maintainers\n\n- [A](https://github.com/a\n").unwrap_err();
        assert_eq!(error.line, 3, "{error}");
    }
}

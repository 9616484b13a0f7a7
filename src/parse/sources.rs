//! A group file's `[sources]`: where the group works on GitHub, which `groupdir sync` reads.

use schemars::JsonSchema;
use serde::Deserialize;

use super::fields::Fields;
use crate::model::{DiscussionSource, LabelSource, RepoName, Sources};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourcesFrontMatter {
    /// Repositories the group owns: their commits on the default branch, issues and pull requests.
    #[serde(default)]
    repositories: Vec<RepoText>,
    /// Discussions of a repository that belong to the group.
    #[serde(default)]
    discussions: Vec<DiscussionFrontMatter>,
    /// Issues and pull requests of a shared repository that carry the group's label.
    #[serde(default)]
    labels: Vec<LabelFrontMatter>,
    /// The group's charter, `owner/repo:path`: `groupdir sync` reads it, and `check` reports
    /// where this file differs from it.
    charter: Option<crate::charter::FileRef>,
}

/// A GitHub repository as `owner/name`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(extend("pattern" = "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*/[A-Za-z0-9._-]+$"))]
struct RepoText(String);

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DiscussionFrontMatter {
    repository: RepoText,
    /// Only discussions in this category, such as "Meeting Notes".
    category: Option<String>,
    /// Only discussions whose title contains this text (any case), such as "Agents WG".
    title_contains: Option<String>,
    /// Only discussions with this label.
    label: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct LabelFrontMatter {
    repository: RepoText,
    label: String,
}

pub fn sources(fm: SourcesFrontMatter, cx: &mut Fields<'_>) -> Sources {
    let errors_before = cx.diagnostics.iter().filter(|d| d.is_error()).count();
    let mut sources = Sources {
        charter: fm.charter,
        ..Sources::default()
    };
    // Where each source is written, to point at a repeated one.
    let mut paths = Vec::new();
    for (i, text) in fm.repositories.into_iter().enumerate() {
        let path = format!("sources.repositories[{i}]");
        if let Some(repository) = repo(text, &path, cx) {
            sources.repositories.push(repository);
            paths.push(path);
        }
    }
    for (i, d) in fm.discussions.into_iter().enumerate() {
        let path = format!("sources.discussions[{i}]");
        let repository = repo(d.repository, &format!("{path}.repository"), cx);
        let category = cx.text(d.category, &format!("{path}.category"));
        let title_contains = cx.text(d.title_contains, &format!("{path}.title_contains"));
        let label = cx.text(d.label, &format!("{path}.label"));
        if let Some(repository) = repository {
            sources.discussions.push(DiscussionSource {
                repository,
                category,
                title_contains,
                label,
            });
            paths.push(path);
        }
    }
    for (i, l) in fm.labels.into_iter().enumerate() {
        let path = format!("sources.labels[{i}]");
        let repository = repo(l.repository, &format!("{path}.repository"), cx);
        let label = cx.text(Some(l.label), &format!("{path}.label"));
        if let (Some(repository), Some(label)) = (repository, label) {
            sources.labels.push(LabelSource { repository, label });
            paths.push(path);
        }
    }
    // Sources that lost a value to an error above may look alike: compare only whole ones.
    let errors_after = cx.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors_after == errors_before && !cx.spans.is_broken("sources") {
        let names: Vec<String> = sources.iter().map(|s| s.to_string()).collect();
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                cx.error(
                    &paths[i],
                    format!("[sources] lists the {name} twice"),
                    "list each source once",
                );
            }
        }
    }
    sources
}

fn repo(text: RepoText, path: &str, cx: &mut Fields<'_>) -> Option<RepoName> {
    RepoName::parse(text.0.trim())
        .map_err(|message| {
            cx.error(
                path,
                message,
                "write it as GitHub does, such as \"modelcontextprotocol/agents-wg\"",
            )
        })
        .ok()
}

//! Where a group works on GitHub: the `[sources]` of its file, which `groupdir sync` reads.

use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

/// A GitHub repository, written `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[schemars(with = "String")]
pub struct RepoName {
    owner: String,
    name: String,
}

impl RepoName {
    /// Reads `owner/name` as GitHub spells them: an owner of letters, digits and single inner
    /// hyphens (39 at most), a name of letters, digits, `.`, `_` and `-` (100 at most).
    pub fn parse(s: &str) -> Result<RepoName, String> {
        let not = || {
            format!(
                "`{}` is not a GitHub repository: write `owner/name`",
                s.escape_debug()
            )
        };
        let (owner, name) = s.split_once('/').ok_or_else(not)?;
        let owner_ok = (1..=39).contains(&owner.len())
            && !owner.starts_with('-')
            && !owner.ends_with('-')
            && !owner.contains("--")
            && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        let name_ok = (1..=100).contains(&name.len())
            && name != "."
            && name != ".."
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if owner_ok && name_ok {
            Ok(RepoName {
                owner: owner.to_string(),
                name: name.to_string(),
            })
        } else {
            Err(not())
        }
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for RepoName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

impl Serialize for RepoName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Discussions of a repository that belong to the group: those in `category`, whose title
/// contains `title_contains` and that carry `label`, each test only when it is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DiscussionSource {
    pub repository: RepoName,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_contains: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl DiscussionSource {
    /// Whether a discussion belongs to the group; names compare without regard to case, as
    /// GitHub's own search does.
    pub fn matches(&self, category: &str, title: &str, labels: &[String]) -> bool {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        self.category.as_deref().is_none_or(|c| same(c, category))
            && self
                .title_contains
                .as_deref()
                .is_none_or(|t| title.to_lowercase().contains(&t.to_lowercase()))
            && self
                .label
                .as_deref()
                .is_none_or(|l| labels.iter().any(|x| same(x, l)))
    }
}

/// Issues and pull requests of a shared repository that carry the group's label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct LabelSource {
    pub repository: RepoName,
    pub label: String,
}

/// Everything `groupdir sync` reads for one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Sources {
    /// Repositories the group owns: commits on the default branch, issues and pull requests.
    pub repositories: Vec<RepoName>,
    pub discussions: Vec<DiscussionSource>,
    pub labels: Vec<LabelSource>,
    /// The group's charter, which `groupdir sync` reads and `check` compares with the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charter: Option<crate::charter::FileRef>,
}

/// One source of a group, of any kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivitySource<'a> {
    Repository(&'a RepoName),
    Discussions(&'a DiscussionSource),
    Label(&'a LabelSource),
}

impl Sources {
    pub fn is_empty(&self) -> bool {
        self.repositories.is_empty() && self.discussions.is_empty() && self.labels.is_empty()
    }

    /// Every source, in the order of the file: repositories, discussions, labels.
    pub fn iter(&self) -> impl Iterator<Item = ActivitySource<'_>> {
        let repositories = self.repositories.iter().map(ActivitySource::Repository);
        let discussions = self.discussions.iter().map(ActivitySource::Discussions);
        let labels = self.labels.iter().map(ActivitySource::Label);
        repositories.chain(discussions).chain(labels)
    }

    /// Whether the sources can show issues and pull requests, which the governance rule for
    /// working groups counts.
    pub fn shows_issues_and_pull_requests(&self) -> bool {
        !self.repositories.is_empty() || !self.labels.is_empty()
    }
}

/// The source's name in messages and in the data file's `source` field: it says what was read,
/// and tells the events of one source from those of another.
impl fmt::Display for ActivitySource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActivitySource::Repository(repo) => write!(f, "repository {repo}"),
            ActivitySource::Discussions(d) => {
                write!(f, "discussions in {}", d.repository)?;
                if let Some(category) = &d.category {
                    write!(f, ", category '{category}'")?;
                }
                if let Some(title) = &d.title_contains {
                    write!(f, ", title containing '{title}'")?;
                }
                if let Some(label) = &d.label {
                    write!(f, ", label '{label}'")?;
                }
                Ok(())
            }
            ActivitySource::Label(l) => write!(f, "label '{}' in {}", l.label, l.repository),
        }
    }
}

//! A file in a GitHub repository, written `owner/repo:path`: where a charter or the maintainers
//! file is read from.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::RepoName;

/// A file on a repository's default branch.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[schemars(with = "String")]
#[schemars(extend("pattern" = "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*/[A-Za-z0-9._-]+:[^/:][^:]*$"))]
pub struct FileRef {
    pub repository: RepoName,
    pub path: String,
}

impl FileRef {
    /// Reads `owner/repo:path`, such as
    /// `modelcontextprotocol/modelcontextprotocol:docs/community/working-groups/apps.mdx`.
    pub fn parse(s: &str) -> Result<FileRef, String> {
        let not = || {
            format!(
                "`{}` does not name a file: write `owner/repo:path/in/the/repository`",
                s.escape_debug()
            )
        };
        let (repo, path) = s.trim().split_once(':').ok_or_else(not)?;
        let repository = RepoName::parse(repo)?;
        let path_ok = !path.is_empty()
            && !path.starts_with('/')
            && !path.ends_with('/')
            && !path.contains(char::is_control)
            && !path.contains(':')
            && path
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..");
        if !path_ok {
            return Err(not());
        }
        Ok(FileRef {
            repository,
            path: path.to_string(),
        })
    }

    /// Where a person reads the file on GitHub.
    pub fn url(&self) -> String {
        format!(
            "https://github.com/{}/blob/HEAD/{}",
            self.repository, self.path
        )
    }
}

impl fmt::Display for FileRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.repository, self.path)
    }
}

impl Serialize for FileRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FileRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FileRef, D::Error> {
        let text = String::deserialize(d)?;
        FileRef::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_a_repository_and_a_path() {
        let file = FileRef::parse(
            "modelcontextprotocol/modelcontextprotocol:docs/community/working-groups/apps.mdx",
        )
        .unwrap();
        assert_eq!(
            file.repository.to_string(),
            "modelcontextprotocol/modelcontextprotocol"
        );
        assert_eq!(file.path, "docs/community/working-groups/apps.mdx");
        assert_eq!(
            file.url(),
            "https://github.com/modelcontextprotocol/modelcontextprotocol/blob/HEAD/docs/community/working-groups/apps.mdx"
        );
        assert!(FileRef::parse("o/r:MAINTAINERS.md").is_ok());
        for bad in [
            "o/r",
            "o/r:",
            "o/r:/abs",
            "o/r:a/../b",
            "o:r",
            "o/r:a:b",
            "o/r:dir/",
        ] {
            assert!(FileRef::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}

//! The shapes of GitHub's GraphQL answer that the sync reads: paged connections and their
//! nodes (discussions, issues and pull requests, commits).

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Connection<N> {
    pub(super) page_info: PageInfo,
    pub(super) nodes: Vec<Option<N>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageInfo {
    pub(super) has_next_page: bool,
    pub(super) end_cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DiscussionNode {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) created_at: String,
    pub(super) category: Named,
    pub(super) labels: Option<Nodes<Named>>,
}

/// A list asked for without paging, such as a discussion's labels.
#[derive(Deserialize)]
pub(super) struct Nodes<N> {
    pub(super) nodes: Vec<Option<N>>,
}

#[derive(Deserialize)]
pub(super) struct Named {
    pub(super) name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct IssueNode {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) updated_at: String,
    /// Pull requests only.
    #[serde(default)]
    pub(super) merged_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CommitNode {
    pub(super) message_headline: String,
    pub(super) url: String,
    pub(super) committed_date: String,
}

#[derive(Deserialize)]
pub(super) struct BranchRef {
    pub(super) target: Option<Target>,
}

/// A branch's target; `history` is absent when it is not a commit.
#[derive(Deserialize)]
pub(super) struct Target {
    pub(super) history: Option<Connection<CommitNode>>,
}

//! The shapes of GitHub's GraphQL answer that the sync reads: paged connections and their
//! nodes (discussions, issues and pull requests, commits).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::sync::human::{Actor, Bots, Dated, GitActor};

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
    #[serde(default)]
    pub(super) author: Option<Actor>,
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
    #[serde(default)]
    pub(super) created_at: Option<String>,
    #[serde(default)]
    pub(super) author: Option<Actor>,
    #[serde(default)]
    pub(super) comments: Option<Nodes<Dated>>,
    /// Pull requests only.
    #[serde(default)]
    pub(super) merged_at: Option<String>,
    #[serde(default)]
    pub(super) merged_by: Option<Actor>,
    #[serde(default)]
    pub(super) reviews: Option<Nodes<Dated>>,
}

impl IssueNode {
    /// The day of its latest human activity (see `sync::human`); none when only bots acted.
    pub(super) fn human_day(&self, bots: &Bots) -> Result<Option<NaiveDate>, String> {
        fn notes(list: &Option<Nodes<Dated>>) -> Vec<(Option<&str>, Option<&Actor>)> {
            list.iter()
                .flat_map(|l| l.nodes.iter().flatten())
                .map(|d| (d.created_at.as_deref(), d.author.as_ref()))
                .collect()
        }
        let mut acts = vec![
            (self.created_at.as_deref(), self.author.as_ref()),
            (self.merged_at.as_deref(), self.merged_by.as_ref()),
        ];
        acts.extend(notes(&self.comments));
        acts.extend(notes(&self.reviews));
        bots.latest(acts)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CommitNode {
    pub(super) message_headline: String,
    pub(super) url: String,
    pub(super) committed_date: String,
    #[serde(default)]
    pub(super) author: Option<GitActor>,
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

//! People as the charters record them: a group's members and their participation level (the
//! Membership table of `charter-template.mdx`). Leads and facilitators are `model::Person`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A participation level, as the community's rules for groups name them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum MemberLevel {
    /// A WG or IG Member (the charter's "WG Member").
    Member,
    Participant,
    Observer,
    /// A former member: moved after three months without participation, or stepped down.
    Emeritus,
}

impl MemberLevel {
    pub const NAMES: [&'static str; 4] = ["member", "participant", "observer", "emeritus"];
    /// The order a page lists them in.
    pub const ALL: [MemberLevel; 4] = [
        MemberLevel::Member,
        MemberLevel::Participant,
        MemberLevel::Observer,
        MemberLevel::Emeritus,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MemberLevel::Member => "member",
            MemberLevel::Participant => "participant",
            MemberLevel::Observer => "observer",
            MemberLevel::Emeritus => "emeritus",
        }
    }

    /// How a page titles the level's list.
    pub fn heading(self) -> &'static str {
        match self {
            MemberLevel::Member => "Members",
            MemberLevel::Participant => "Participants",
            MemberLevel::Observer => "Observers",
            MemberLevel::Emeritus => "Emeritus",
        }
    }
}

/// A member of a group, as its charter's Membership table lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// A GitHub user name, such as "octocat".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github: Option<String>,
    /// A Discord user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discord: Option<String>,
    pub level: MemberLevel,
}

/// The members of one level, as a group page lists them.
#[derive(Debug, Serialize)]
pub struct LevelList<'a> {
    pub level: MemberLevel,
    pub heading: &'static str,
    pub members: Vec<&'a Member>,
}

/// Members grouped by level, in the order of [`MemberLevel::ALL`]; levels without members are left out.
pub fn by_level(members: &[Member]) -> Vec<LevelList<'_>> {
    MemberLevel::ALL
        .into_iter()
        .map(|level| LevelList {
            level,
            heading: level.heading(),
            members: members.iter().filter(|m| m.level == level).collect(),
        })
        .filter(|list| !list.members.is_empty())
        .collect()
}

//! What counts as activity: only people's. An item's date is its latest human activity that
//! GitHub's API reports: its opening (`createdAt`, by `author`), its comments (`createdAt`, by
//! their `author`), for a pull request its reviews (`submittedAt`, by their `author`) and its
//! merge (`mergedAt`, by `mergedBy`); a commit's `committedDate`, by its `author`. Closing is not
//! counted: the API does not say who closed, and bots close the most. An actor is a bot when
//! GitHub types it `Bot`, when its login ends in `[bot]`, or when `[sync] bots` in site.toml
//! lists it. An item with no human activity at all is no event.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

/// How many of an item's latest comments and reviews a sync asks for: enough to see past a
/// bot's replies to the last person's.
pub const LATEST: u32 = 10;

/// The selection of an issue's or pull request's human activity, for the GraphQL query.
pub fn issue_fields(pull_request: bool) -> String {
    let actor = "author { __typename login }";
    let mut fields =
        format!("createdAt {actor} comments(last: {LATEST}) {{ nodes {{ createdAt {actor} }} }}");
    if pull_request {
        fields.push_str(&format!(
            " mergedBy {{ __typename login }} reviews(last: {LATEST}) {{ nodes {{ submittedAt {actor} }} }}"
        ));
    }
    fields
}

/// The selection of a commit's author, for the GraphQL query.
pub const COMMIT_AUTHOR: &str = "author { name user { login } }";

/// Who did something, as GitHub's `Actor` interface reports it.
#[derive(Debug, Deserialize)]
pub struct Actor {
    #[serde(rename = "__typename", default)]
    pub typename: String,
    #[serde(default)]
    pub login: String,
}

/// A commit's author: a name, and the account when GitHub knows it.
#[derive(Debug, Deserialize)]
pub struct GitActor {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub user: Option<Actor>,
}

/// A comment or a review, with when and by whom.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dated {
    #[serde(default, alias = "submittedAt")]
    pub created_at: Option<String>,
    #[serde(default)]
    pub author: Option<Actor>,
}

/// The logins that are bots, beyond those GitHub marks as such.
#[derive(Debug, Clone, Default)]
pub struct Bots {
    logins: Vec<String>,
}

impl Bots {
    pub fn new(logins: &[String]) -> Bots {
        Bots {
            logins: logins.iter().map(|l| l.to_lowercase()).collect(),
        }
    }

    fn is_login(&self, login: &str) -> bool {
        let login = login.to_lowercase();
        login.ends_with("[bot]") || self.logins.contains(&login)
    }

    /// Whether the actor is a bot. An unknown actor (a deleted account: GitHub's "ghost") was a
    /// person.
    pub fn is_bot(&self, actor: Option<&Actor>) -> bool {
        actor.is_some_and(|a| a.typename == "Bot" || self.is_login(&a.login))
    }

    /// Whether a commit's author is a bot, by its account or, without one, its name.
    pub fn is_bot_author(&self, author: Option<&GitActor>) -> bool {
        author.is_some_and(|a| {
            a.user.as_ref().is_some_and(|u| self.is_login(&u.login))
                || a.name.as_deref().is_some_and(|n| self.is_login(n))
        })
    }

    /// The latest of the days people did something, from `(when, who)` pairs; none when only
    /// bots did.
    pub fn latest<'a>(
        &self,
        acts: impl IntoIterator<Item = (Option<&'a str>, Option<&'a Actor>)>,
    ) -> Result<Option<NaiveDate>, String> {
        let mut latest = None;
        for (when, who) in acts {
            let Some(when) = when else { continue };
            if self.is_bot(who) {
                continue;
            }
            let day = day(when)?;
            latest = latest.max(Some(day));
        }
        Ok(latest)
    }
}

/// The UTC day of one of GitHub's `DateTime`s (ISO 8601, such as `2026-11-20T15:04:05Z`).
pub fn day(timestamp: &str) -> Result<NaiveDate, String> {
    DateTime::parse_from_rfc3339(timestamp)
        .map(|t| t.with_timezone(&Utc).date_naive())
        .map_err(|_| format!("GitHub sent `{timestamp}` where a date and time belong"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(typename: &str, login: &str) -> Actor {
        Actor {
            typename: typename.into(),
            login: login.into(),
        }
    }

    #[test]
    fn bots_are_typed_named_or_listed_and_a_ghost_is_a_person() {
        let bots = Bots::new(&["Release-Robot".to_string()]);
        assert!(bots.is_bot(Some(&actor("Bot", "dependabot"))));
        assert!(bots.is_bot(Some(&actor("User", "claude[bot]"))));
        assert!(bots.is_bot(Some(&actor("User", "release-robot"))));
        assert!(!bots.is_bot(Some(&actor("User", "octocat"))));
        assert!(!bots.is_bot(None));
        let human = actor("User", "octocat");
        let bot = actor("Bot", "github-actions");
        let latest = bots
            .latest([
                (Some("2026-11-01T10:00:00Z"), Some(&human)),
                (Some("2026-11-20T10:00:00Z"), Some(&bot)),
            ])
            .unwrap();
        assert_eq!(latest, Some("2026-11-01".parse().unwrap()));
        assert_eq!(
            bots.latest([(Some("2026-11-20T10:00:00Z"), Some(&bot))])
                .unwrap(),
            None
        );
    }
}

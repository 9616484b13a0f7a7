//! The content model: what a validated group or page is. Values of these types are always valid;
//! `parse` and `validate` are the only ways to make them from files.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod meeting_json;
mod meetings;
pub use meeting_json::WeekdayName;
pub use meetings::{
    Cadence, Meeting, MonthDay, Moved, Nth, Occurrence, TIME_PATTERN, meeting_ids, name_words,
    next_weekday, weekday_full_name,
};

mod sources;

pub use sources::{ActivitySource, DiscussionSource, LabelSource, RepoName, Sources};

/// A group's identifier: its file stem, lowercase `a-z0-9` words joined by single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(extend("pattern" = "^[a-z0-9]+(-[a-z0-9]+)*$"))]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Slug, String> {
        let valid = !s.is_empty()
            && s.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if valid {
            Ok(Slug(s.to_string()))
        } else {
            Err(format!(
                "`{s}` is not a valid slug: use lowercase letters a-z, digits and single hyphens"
            ))
        }
    }

    /// Makes a slug from any title: accents folded, other characters turned into hyphens.
    pub fn from_title(title: &str) -> Option<Slug> {
        let mut slug = String::new();
        for c in title.chars().flat_map(fold_accent) {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        Slug::parse(slug).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The ASCII spelling of common Latin letters with diacritics; other characters pass through.
fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' | 'ð' => "d",
        'Ď' | 'Đ' | 'Ð' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' => "g",
        'Ğ' => "G",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ł' => "l",
        'Ł' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'þ' => "th",
        'Þ' => "TH",
        _ => "",
    };
    let own = folded.is_empty().then_some(c);
    folded.chars().chain(own)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    InterestGroup,
    WorkingGroup,
}

impl Kind {
    pub const NAMES: [&'static str; 2] = ["interest-group", "working-group"];

    pub fn name(self) -> &'static str {
        match self {
            Kind::InterestGroup => "interest-group",
            Kind::WorkingGroup => "working-group",
        }
    }

    /// The short label people use: "IG" or "WG".
    pub fn abbreviation(self) -> &'static str {
        match self {
            Kind::InterestGroup => "IG",
            Kind::WorkingGroup => "WG",
        }
    }
}

/// The status a contributor writes. "Stale" is never written: it is computed (see `compute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Proposed,
    Active,
    Retired,
}

impl Status {
    pub const NAMES: [&'static str; 3] = ["proposed", "active", "retired"];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub github: Option<String>,
    /// Who they work for, as the charter's Leadership table gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// The charter's wording for the role: Lead, Co-lead, Facilitator…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The charter's Term cell: "Initial", "6 months (ends Aug 14, 2026)"…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DeliverableStatus {
    Planned,
    InProgress,
    InReview,
    Done,
    Dropped,
}

impl DeliverableStatus {
    pub const NAMES: [&'static str; 5] = ["planned", "in-progress", "in-review", "done", "dropped"];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deliverable {
    pub title: String,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub status: Option<DeliverableStatus>,
}

/// One `[[activity]]` entry of a group file, written by hand (its schema keeps the name `Activity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "Activity")]
pub struct ActivityEntry {
    pub date: NaiveDate,
    pub what: String,
    pub link: Option<String>,
}

/// The fields that belong to one kind of group only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum KindFields {
    Interest {
        differentiation: Option<String>,
        first_topic: String,
    },
    Working {
        use_cases: String,
        origin_group: Option<Slug>,
        first_deliverable: Link,
        deliverables: Vec<Deliverable>,
    },
}

/// Why, and when if that is on record, a group was retired; present exactly when its status is
/// `retired`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Retirement {
    /// The day the group was retired; `null` when no public record gives it.
    #[serde(rename = "retired")]
    pub date: Option<NaiveDate>,
    #[serde(rename = "retired_reason")]
    pub reason: String,
}

/// What a Discord channel's address looks like: its server's id, then its own (Discord's ids are
/// 64-bit numbers, 15 to 21 digits long).
pub const DISCORD_CHANNEL_PATTERN: &str =
    "^https://discord\\.com/channels/[0-9]{15,21}/[0-9]{15,21}$";

/// A validated interest or working group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(extend("allOf" = [{
    "description": "A retired group says why, and gives the day it was retired or null.",
    "if": { "properties": { "status": { "const": "retired" } }, "required": ["status"] },
    "then": { "required": ["retired", "retired_reason"] }
}]))]
pub struct Group {
    pub slug: Slug,
    pub title: String,
    pub kind: Kind,
    pub status: Status,
    pub summary: String,
    pub created: Option<NaiveDate>,
    /// The `last_activity` field as written; see `compute` for the effective date.
    #[serde(skip)]
    pub last_activity_field: Option<NaiveDate>,
    pub discord: Option<String>,
    /// The address that opens the channel, `https://discord.com/channels/<server>/<channel>`.
    #[schemars(extend("pattern" = DISCORD_CHANNEL_PATTERN))]
    pub discord_url: Option<String>,
    pub facilitators: Vec<Person>,
    pub maintainers: Vec<Person>,
    /// Members as the charter lists them, with their participation level.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<crate::people::Member>,
    pub related: Vec<Slug>,
    #[serde(flatten)]
    pub fields: KindFields,
    pub meetings: Vec<Meeting>,
    pub activity: Vec<ActivityEntry>,
    pub sources: Sources,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub retirement: Option<Retirement>,
    /// The Markdown body, as written.
    #[serde(skip)]
    pub body: Body,
    /// Where the group came from, for diagnostics.
    #[serde(skip)]
    pub path: PathBuf,
}

impl Group {
    pub fn origin_group(&self) -> Option<&Slug> {
        match &self.fields {
            KindFields::Working { origin_group, .. } => origin_group.as_ref(),
            KindFields::Interest { .. } => None,
        }
    }
}

/// A Markdown body: a part of its file's text, shared with it rather than copied (at 10,000
/// groups the copies would be most of the memory a build needs).
#[derive(Clone, Default)]
pub struct Body {
    text: Arc<str>,
    range: Range<usize>,
}

impl Body {
    /// The `range` of `text`; panics if it is not a range of `text` on character boundaries.
    pub fn new(text: &Arc<str>, range: Range<usize>) -> Body {
        assert!(
            text.get(range.clone()).is_some(),
            "a body lies within its text"
        );
        Body {
            text: Arc::clone(text),
            range,
        }
    }
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        **self == **other
    }
}

impl Eq for Body {}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// A generic Markdown page such as the FAQ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Page {
    pub slug: Slug,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    #[serde(skip)]
    pub body: Body,
    #[serde(skip)]
    pub path: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert!(Slug::parse("security-ig2").is_ok());
        for bad in ["", "Security", "a--b", "-a", "a-", "a_b", "a b", "ünï"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn slugs_from_titles_fold_accents() {
        assert_eq!(
            Slug::from_title("Café Élan & Co.").unwrap().as_str(),
            "cafe-elan-co"
        );
        assert_eq!(
            Slug::from_title("  Straße -- Über  ").unwrap().as_str(),
            "strasse-uber"
        );
        assert_eq!(Slug::from_title("MCP Apps").unwrap().as_str(), "mcp-apps");
        assert_eq!(Slug::from_title("日本語"), None);
    }
    #[test]
    fn repository_names_are_owner_slash_name() {
        let repo = RepoName::parse("modelcontextprotocol/agents-wg").unwrap();
        assert_eq!(
            (repo.owner(), repo.name()),
            ("modelcontextprotocol", "agents-wg")
        );
        assert_eq!(repo.to_string(), "modelcontextprotocol/agents-wg");
        assert!(RepoName::parse("a/b.c_d-e").is_ok());
        for bad in [
            "",
            "agents-wg",
            "https://github.com/a/b",
            "a/b/c",
            "-a/b",
            "a--b/c",
            "a/..",
            "a/",
            "/b",
            "a b/c",
        ] {
            assert!(RepoName::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn discussions_match_by_category_title_and_label_ignoring_case() {
        let source = DiscussionSource {
            repository: RepoName::parse("o/r").unwrap(),
            category: Some("Meeting Notes".into()),
            title_contains: Some("Agents WG".into()),
            label: None,
        };
        assert!(source.matches("meeting notes", "Agents wg — 2026-11-20", &[]));
        assert!(!source.matches("General", "Agents WG — 2026-11-20", &[]));
        assert!(!source.matches("Meeting Notes", "Auth IG — 2026-11-20", &[]));
        let labelled = DiscussionSource {
            label: Some("auth".into()),
            ..source.clone()
        };
        assert!(labelled.matches("Meeting Notes", "Agents WG", &["Auth".into()]));
        assert!(!labelled.matches("Meeting Notes", "Agents WG", &["other".into()]));
    }

    #[test]
    fn sources_are_named_by_what_is_read() {
        let repo = RepoName::parse("o/r").unwrap();
        let d = DiscussionSource {
            repository: repo.clone(),
            category: Some("Meeting Notes".into()),
            title_contains: Some("Agents".into()),
            label: None,
        };
        let l = LabelSource {
            repository: repo.clone(),
            label: "auth".into(),
        };
        assert_eq!(
            ActivitySource::Repository(&repo).to_string(),
            "repository o/r"
        );
        assert_eq!(
            ActivitySource::Discussions(&d).to_string(),
            "discussions in o/r, category 'Meeting Notes', title containing 'Agents'"
        );
        assert_eq!(ActivitySource::Label(&l).to_string(), "label 'auth' in o/r");
    }
}

//! A group file's front matter, as written, and its conversion into a valid [`Group`].
//! Rules that need only the one file live here; rules across files live in `validate`.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::value::Datetime;

mod members;

use super::fields::Fields;
use super::meetings::MeetingsFrontMatter;
use super::sources::SourcesFrontMatter;
use crate::model::{
    ActivityEntry, Body, DISCORD_CHANNEL_PATTERN, Deliverable, Group, Kind, KindFields, Link,
    Person, Retirement, Slug, Status,
};

/// Every key a group file may have. All are optional here: which are required depends on the
/// kind and status, and is checked after decoding so that one run reports all that is missing.
/// The schema states the two rules from the governance text, so that editors show them too.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [
    {
        "description": "A retired group says why it was retired.",
        "if": { "properties": { "status": { "const": "retired" } }, "required": ["status"] },
        "then": { "required": ["retired_reason"] }
    },
    {
        "description": "An active interest group has a Discord channel or a recurring meeting.",
        "if": {
            "properties": { "kind": { "const": "interest-group" }, "status": { "const": "active" } },
            "required": ["kind", "status"]
        },
        "then": { "anyOf": [{ "required": ["discord"] }, { "required": ["meetings"] }] }
    }
]))]
pub struct GroupFrontMatter {
    /// The group's name, as the directory shows it.
    title: Option<String>,
    /// Interest group or working group.
    kind: Option<Kind>,
    /// Proposed until the creation vote passes; "stale" is computed, never written.
    status: Option<Status>,
    /// One sentence shown in the directory.
    summary: Option<String>,
    /// The day the creation vote passed (optional while proposed).
    #[schemars(with = "Option<NaiveDate>")]
    created: Option<Datetime>,
    /// The latest meeting, discussion or issue/PR activity.
    #[schemars(with = "Option<NaiveDate>")]
    last_activity: Option<Datetime>,
    /// The group's Discord channel, such as `#security-ig`. An active interest group needs this
    /// or `meetings`.
    discord: Option<String>,
    /// The channel's address, which opens it: `https://discord.com/channels/<server>/<channel>`.
    #[schemars(extend("pattern" = DISCORD_CHANNEL_PATTERN))]
    discord_url: Option<String>,
    /// Who shepherds the group; at least one.
    #[serde(default)]
    facilitators: Vec<Person>,
    /// Official representatives of the MCP steering group, if any.
    #[serde(default)]
    maintainers: Vec<Person>,
    /// The group's members as its charter lists them, each with a participation level.
    #[serde(default)]
    members: Vec<crate::people::Member>,
    /// Slugs of groups with potentially similar goals.
    #[serde(default)]
    related: Vec<String>,
    /// Interest groups: how this group differs from the related ones.
    differentiation: Option<String>,
    /// Interest groups: the first topic the group will discuss.
    first_topic: Option<String>,
    /// Working groups: the interest and use cases, ideally from an interest group's discussions.
    use_cases: Option<String>,
    /// Working groups: the slug of the interest group the work came from.
    origin_group: Option<String>,
    /// Working groups: the first issue, PR or SEP the group works on.
    first_deliverable: Option<Link>,
    /// Working groups: everything the group works on.
    #[serde(default)]
    deliverables: Vec<Deliverable>,
    /// The group's meetings, `[[meetings]]` each with a `name` (or one `[meetings]` table); omit
    /// while the schedule is to be decided.
    meetings: Option<MeetingsFrontMatter>,
    /// Meetings, decisions and merged work; the newest date counts as activity.
    #[serde(default)]
    activity: Vec<ActivityFrontMatter>,
    /// Where the group works on GitHub: `groupdir sync` reads its activity from there.
    sources: Option<SourcesFrontMatter>,
    /// Retired groups: the day the group was retired, only when a public record gives it.
    #[schemars(with = "Option<NaiveDate>")]
    retired: Option<Datetime>,
    /// Retired groups (required): why the group was retired.
    retired_reason: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ActivityFrontMatter {
    #[schemars(with = "NaiveDate")]
    date: Datetime,
    what: String,
    link: Option<String>,
}

/// Converts decoded front matter into a group, reporting every rule it breaks.
pub fn into_group(
    fm: GroupFrontMatter,
    slug: Slug,
    body: Body,
    cx: &mut Fields<'_>,
) -> Option<Group> {
    let before = cx.diagnostics.iter().filter(|d| d.is_error()).count();
    let title = cx.require(fm.title, "title", "add `title = \"…\"`, the group's name");
    let title = cx.text(title, "title");
    let kind = cx.require(
        fm.kind,
        "kind",
        "add `kind = \"interest-group\"` or `kind = \"working-group\"`",
    );
    let status = cx.require(
        fm.status,
        "status",
        "add `status = \"proposed\"`, `\"active\"` or `\"retired\"`",
    );
    let summary = cx.require(
        fm.summary,
        "summary",
        "add `summary = \"…\"`: one sentence shown in the directory",
    );
    let summary = cx.text(summary, "summary");
    let created = cx.past_date(fm.created, "created");
    let last_activity = cx.past_date(fm.last_activity, "last_activity");
    let discord = cx.text(fm.discord, "discord");
    let discord_url = discord_url(fm.discord_url, discord.is_some(), cx);
    let facilitators = people(fm.facilitators, "facilitators", cx);
    let maintainers = people(fm.maintainers, "maintainers", cx);
    let members = members::members(fm.members, cx);
    let related = related(fm.related, &slug, cx);
    let meetings = super::meetings::meetings(fm.meetings, cx);
    let activity = activity(fm.activity, cx);
    let sources = fm
        .sources
        .map(|s| super::sources::sources(s, cx))
        .unwrap_or_default();
    let retired = cx.past_date(fm.retired, "retired");
    let retired_reason = cx.text(fm.retired_reason, "retired_reason");

    if facilitators.is_empty() && !cx.spans.is_broken("facilitators") {
        cx.error(
            "facilitators",
            "a group needs at least one facilitator",
            "add `facilitators = [{ name = \"…\", github = \"…\" }]`; anyone can self-nominate",
        );
    }
    if let (Some(created), Some(retired)) = (created, retired)
        && retired < created
    {
        cx.error(
            "retired",
            format!("`retired` ({retired}) is before `created` ({created})"),
            "check both dates",
        );
    }
    let retirement = status.and_then(|s| retirement(s, retired, retired_reason, cx));
    if let Some(status) = status {
        status_rules(status, last_activity, &activity, cx);
    }
    if kind == Some(Kind::InterestGroup) && status == Some(Status::Active) {
        interest_group_venue(&slug, discord.is_some() || !meetings.is_empty(), cx);
    }
    let fields = kind.and_then(|kind| {
        kind_fields(
            kind,
            KindKeys {
                differentiation: fm.differentiation,
                first_topic: fm.first_topic,
                use_cases: fm.use_cases,
                origin_group: fm.origin_group,
                first_deliverable: fm.first_deliverable,
                deliverables: fm.deliverables,
                has_related: !related.is_empty(),
            },
            cx,
        )
    });

    let after = cx.diagnostics.iter().filter(|d| d.is_error()).count();
    if after > before {
        return None;
    }
    Some(Group {
        slug,
        title: title?,
        kind: kind?,
        status: status?,
        summary: summary?,
        created,
        last_activity_field: last_activity,
        discord,
        discord_url,
        facilitators,
        maintainers,
        members,
        related,
        fields: fields?,
        meetings,
        activity,
        sources,
        retirement,
        body,
        path: cx.source.path.clone(),
    })
}

/// `discord_url`, when it is the address of a Discord channel, for a group that names it.
fn discord_url(value: Option<String>, named: bool, cx: &mut Fields<'_>) -> Option<String> {
    let url = value?.trim().to_string();
    let snowflake =
        |id: &str| (15..=21).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    let ids = url
        .strip_prefix("https://discord.com/channels/")
        .and_then(|rest| rest.split_once('/'));
    if !ids.is_some_and(|(server, channel)| snowflake(server) && snowflake(channel)) {
        cx.error(
            "discord_url",
            format!("`{}` is not the address of a Discord channel", url.escape_debug()),
            "copy it in Discord with \"Copy Link\" on the channel: https://discord.com/channels/<server id>/<channel id>",
        );
        return None;
    }
    if !named && !cx.spans.has("discord") {
        cx.error(
            "discord_url",
            "`discord_url` opens a channel, but `discord` does not name it",
            "add `discord = \"#…\"`, the channel's name shown on the page",
        );
    }
    Some(url)
}

fn people(list: Vec<Person>, key: &str, cx: &mut Fields<'_>) -> Vec<Person> {
    let mut people = Vec::new();
    for (i, person) in list.into_iter().enumerate() {
        let path = format!("{key}[{i}]");
        let Some(name) = cx.text(Some(person.name), &format!("{path}.name")) else {
            continue;
        };
        let github = members::github(person.github, &path, cx);
        people.push(Person {
            name,
            github,
            organization: cx.text(person.organization, &format!("{path}.organization")),
            role: cx.text(person.role, &format!("{path}.role")),
            term: cx.text(person.term, &format!("{path}.term")),
        });
    }
    people
}

fn related(list: Vec<String>, own: &Slug, cx: &mut Fields<'_>) -> Vec<Slug> {
    let mut slugs: Vec<Slug> = Vec::new();
    for (i, raw) in list.into_iter().enumerate() {
        let path = format!("related[{i}]");
        match Slug::parse(&raw) {
            Ok(slug) if &slug == own => cx.error(
                &path,
                "a group cannot be related to itself",
                format!("remove `{raw}` from `related`"),
            ),
            Ok(slug) if slugs.contains(&slug) => cx.error(
                &path,
                format!("`{raw}` is listed twice in `related`"),
                "list each related group once",
            ),
            Ok(slug) => slugs.push(slug),
            Err(message) => cx.error(
                &path,
                message,
                "name the related group by its file name without `.md`",
            ),
        }
    }
    slugs
}
fn activity(list: Vec<ActivityFrontMatter>, cx: &mut Fields<'_>) -> Vec<ActivityEntry> {
    let mut entries = Vec::new();
    for (i, entry) in list.into_iter().enumerate() {
        let path = format!("activity[{i}]");
        let date = cx.past_date(Some(entry.date), &format!("{path}.date"));
        let what = cx.text(Some(entry.what), &format!("{path}.what"));
        let link = cx.url(entry.link, &format!("{path}.link"));
        if let (Some(date), Some(what)) = (date, what) {
            entries.push(ActivityEntry { date, what, link });
        }
    }
    // Newest first, as a feed reads; the sort is stable so same-day entries keep their order.
    entries.sort_by_key(|a| std::cmp::Reverse(a.date));
    entries
}

/// A retired group says why; it gives the day only when a record has it, since a guessed day
/// would be shown, and put in the feed, as fact.
fn retirement(
    status: Status,
    retired: Option<NaiveDate>,
    reason: Option<String>,
    cx: &mut Fields<'_>,
) -> Option<Retirement> {
    match status {
        Status::Retired => {
            let reason = cx.require_by(
                reason,
                "retired_reason",
                "status",
                "a retired group needs a `retired_reason`".to_string(),
                "add `retired_reason = \"…\"`: why it was retired, such as the group that took over its work; add `retired = YYYY-MM-DD` too if a record gives the day",
            )?;
            Some(Retirement {
                date: retired,
                reason,
            })
        }
        _ => {
            for key in ["retired", "retired_reason"] {
                if cx.spans.has(key) {
                    cx.error(
                        key,
                        format!("`{key}` is set but the status is not \"retired\""),
                        "set `status = \"retired\"`, or remove the key",
                    );
                }
            }
            None
        }
    }
}

fn status_rules(
    status: Status,
    last_activity: Option<NaiveDate>,
    activity: &[ActivityEntry],
    cx: &mut Fields<'_>,
) {
    if status == Status::Proposed {
        return;
    }
    // A date that is present but invalid has been reported already: saying it is missing too
    // would send the contributor looking for the wrong mistake.
    let written = |key: &str| cx.spans.has(key) || cx.spans.is_broken(key);
    if last_activity.is_none()
        && activity.is_empty()
        && !written("last_activity")
        && !written("activity")
    {
        cx.error(
            "status",
            "an active or retired group needs a last-activity date",
            "add `last_activity = YYYY-MM-DD`, or an [[activity]] entry with `date` and `what`",
        );
    }
}

/// The seed expects of an interest group "regular conversations in the Interest Group Discord
/// channel AND/OR a recurring live meeting". Only active groups: a proposal's channel is made once
/// the vote passes, and a retired group no longer meets.
fn interest_group_venue(slug: &Slug, has_venue: bool, cx: &mut Fields<'_>) {
    // A channel or meeting that is written but broken was reported where it is written.
    let written = |key: &str| cx.spans.has(key) || cx.spans.is_broken(key);
    if has_venue || written("discord") || written("meetings") {
        return;
    }
    cx.error(
        "status",
        "an active interest group needs a Discord channel or a recurring meeting",
        format!("add `discord = \"#{slug}-ig\"` (the channel where the group talks) or a [[meetings]] table with its `name` and cadence; a group still waiting for its vote is `status = \"proposed\"`"),
    );
}

/// The keys that belong to one kind only, gathered before the kind is known to be valid.
struct KindKeys {
    differentiation: Option<String>,
    first_topic: Option<String>,
    use_cases: Option<String>,
    origin_group: Option<String>,
    first_deliverable: Option<Link>,
    deliverables: Vec<Deliverable>,
    has_related: bool,
}

fn kind_fields(kind: Kind, keys: KindKeys, cx: &mut Fields<'_>) -> Option<KindFields> {
    let (own, other): (&[&str], &[&str]) = match kind {
        Kind::InterestGroup => (
            &["differentiation", "first_topic"],
            &[
                "use_cases",
                "origin_group",
                "first_deliverable",
                "deliverables",
            ],
        ),
        Kind::WorkingGroup => (
            &[
                "use_cases",
                "origin_group",
                "first_deliverable",
                "deliverables",
            ],
            &["differentiation", "first_topic"],
        ),
    };
    for key in other {
        if cx.spans.has(key) {
            cx.error(
                key,
                format!(
                    "`{key}` is for {}s, but this is {}",
                    other_kind(kind),
                    article(kind)
                ),
                format!("the {} keys are: {}", kind.abbreviation(), own.join(", ")),
            );
        }
    }
    match kind {
        Kind::InterestGroup => {
            let first_topic = cx.require_by(
                keys.first_topic,
                "first_topic",
                "kind",
                "an interest group needs `first_topic`".to_string(),
                "add `first_topic = \"…\"`: the first topic the group will discuss",
            );
            let differentiation = cx.text(keys.differentiation, "differentiation");
            if keys.has_related && differentiation.is_none() && !cx.spans.has("differentiation") {
                cx.error(
                    "related",
                    "an interest group with related groups must say how it differs from them",
                    "add `differentiation = \"…\"`",
                );
            }
            Some(KindFields::Interest {
                differentiation,
                first_topic: cx.text(first_topic, "first_topic")?,
            })
        }
        Kind::WorkingGroup => {
            let use_cases = cx.require_by(
                keys.use_cases,
                "use_cases",
                "kind",
                "a working group needs `use_cases`".to_string(),
                "add `use_cases = \"…\"`: why the group exists, ideally from an IG's discussions",
            );
            let first_deliverable = cx.require_by(
                keys.first_deliverable,
                "first_deliverable",
                "kind",
                "a working group needs `first_deliverable`".to_string(),
                "add `first_deliverable = { title = \"SEP-…\", link = \"https://…\" }`: its first issue, PR or SEP",
            );
            let origin_group = keys.origin_group.and_then(|raw| match Slug::parse(&raw) {
                Ok(slug) => Some(slug),
                Err(message) => {
                    cx.error(
                        "origin_group",
                        message,
                        "name the interest group by its file name without `.md`",
                    );
                    None
                }
            });
            let first_deliverable = first_deliverable.and_then(|link| {
                let title = cx.text(Some(link.title), "first_deliverable.title")?;
                let url = cx.url(link.link, "first_deliverable.link");
                Some(Link { title, link: url })
            });
            let mut deliverables = Vec::new();
            for (i, d) in keys.deliverables.into_iter().enumerate() {
                let path = format!("deliverables[{i}]");
                let title = cx.text(Some(d.title), &format!("{path}.title"));
                let link = cx.url(d.link, &format!("{path}.link"));
                if let Some(title) = title {
                    deliverables.push(Deliverable {
                        title,
                        link,
                        status: d.status,
                    });
                }
            }
            Some(KindFields::Working {
                use_cases: cx.text(use_cases, "use_cases")?,
                origin_group,
                first_deliverable: first_deliverable?,
                deliverables,
            })
        }
    }
}

fn other_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::InterestGroup => "working group",
        Kind::WorkingGroup => "interest group",
    }
}

fn article(kind: Kind) -> &'static str {
    match kind {
        Kind::InterestGroup => "an interest group",
        Kind::WorkingGroup => "a working group",
    }
}

//! A group file's front matter, as written, and its conversion into a valid [`Group`].
//! Rules that need only the one file live here; rules across files live in `validate`.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::value::Datetime;

mod rules;
mod tables;

use super::decode::Spans;
use crate::diagnostic::{Diagnostic, Source};
use crate::model::{
    Body, DISCORD_CHANNEL_PATTERN, Deliverable, Group, Kind, Link, Person, Slug, Status,
};
use rules::{KindKeys, interest_group_venue, kind_fields, retirement, status_rules};
use tables::{
    ActivityFrontMatter, MeetingsFrontMatter, SourcesFrontMatter, activity, meetings, sources,
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
    /// The recurring meeting; omit while the schedule is to be decided.
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

/// Everything a conversion needs to point at the right place in the file.
pub struct Context<'a> {
    pub source: &'a Source,
    pub spans: &'a Spans,
    /// The dates that record something that happened, by key: `validate` checks them against
    /// today, so that parsing does not depend on the day.
    pub recorded: Vec<(String, NaiveDate)>,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Context<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>, hint: impl Into<String>) {
        let d = self
            .source
            .error(&self.spans.of(path), message)
            .with_hint(hint);
        self.diagnostics.push(d);
    }

    /// A required value: reports it missing unless it was present and already reported.
    fn require<T>(&mut self, value: Option<T>, key: &str, hint: &str) -> Option<T> {
        self.require_by(
            value,
            key,
            key,
            format!("missing required key `{key}`"),
            hint,
        )
    }

    /// A value required by the kind or status: reported at the key that requires it, `by`, since
    /// the missing key has no place in the file.
    fn require_by<T>(
        &mut self,
        value: Option<T>,
        key: &str,
        by: &str,
        message: String,
        hint: &str,
    ) -> Option<T> {
        // A key that is written but gave no value was reported when its value was rejected.
        let written = self.spans.has(key) || self.spans.is_broken(key);
        if value.is_none() && !written {
            self.error(by, message, hint.to_string());
        }
        value
    }

    fn date(&mut self, value: Option<Datetime>, key: &str) -> Option<NaiveDate> {
        let value = value?;
        let date = super::day(&value);
        if date.is_none() {
            self.error(
                key,
                format!("`{key}` must be a date without a time"),
                "write only the day, such as 2026-11-02",
            );
        }
        date
    }

    /// A date that records something that happened, kept for the check that it is not after
    /// today.
    fn past_date(&mut self, value: Option<Datetime>, key: &str) -> Option<NaiveDate> {
        let date = self.date(value, key)?;
        self.recorded.push((key.to_string(), date));
        Some(date)
    }

    fn text(&mut self, value: Option<String>, key: &str) -> Option<String> {
        let value = value?;
        if value.trim().is_empty() {
            self.error(
                key,
                format!("`{key}` is empty"),
                "write the text, or remove the key if it is optional",
            );
            return None;
        }
        if !crate::text::has_visible_text(&value) {
            self.error(
                key,
                format!("`{key}` has no visible text, only invisible characters"),
                "write the text with letters a reader can see",
            );
            return None;
        }
        Some(value.trim().to_string())
    }

    fn url(&mut self, value: Option<String>, key: &str) -> Option<String> {
        let value = value?.trim().to_string();
        if self.spans.is_broken(key) {
            return None;
        }
        if !super::is_web_address(&value) {
            self.error(
                key,
                format!("`{key}` is not a web address: `{}`", value.escape_debug()),
                "write a full address starting with https://",
            );
            return None;
        }
        Some(value)
    }
}

/// Converts decoded front matter into a group, reporting every rule it breaks.
pub fn into_group(
    fm: GroupFrontMatter,
    slug: Slug,
    body: Body,
    cx: &mut Context<'_>,
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
    let related = related(fm.related, &slug, cx);
    let meetings = fm.meetings.and_then(|m| meetings(m, cx));
    let activity = activity(fm.activity, cx);
    let sources = fm.sources.map(|s| sources(s, cx)).unwrap_or_default();
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
        interest_group_venue(&slug, discord.is_some() || meetings.is_some(), cx);
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
fn discord_url(value: Option<String>, named: bool, cx: &mut Context<'_>) -> Option<String> {
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

fn people(list: Vec<Person>, key: &str, cx: &mut Context<'_>) -> Vec<Person> {
    let mut people = Vec::new();
    for (i, person) in list.into_iter().enumerate() {
        let path = format!("{key}[{i}]");
        let Some(name) = cx.text(Some(person.name), &format!("{path}.name")) else {
            continue;
        };
        let github = person
            .github
            .map(|g| g.trim().trim_start_matches('@').to_string());
        let github_path = format!("{path}.github");
        if let Some(handle) = github
            .as_ref()
            .filter(|_| !cx.spans.is_broken(&github_path))
        {
            let valid = !handle.is_empty()
                && handle.len() <= 39
                && !handle.starts_with('-')
                && handle
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                cx.error(
                    &github_path,
                    format!("`{handle}` is not a GitHub user name"),
                    "write the user name alone, such as \"octocat\", not an address",
                );
            }
        }
        people.push(Person { name, github });
    }
    people
}

fn related(list: Vec<String>, own: &Slug, cx: &mut Context<'_>) -> Vec<Slug> {
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

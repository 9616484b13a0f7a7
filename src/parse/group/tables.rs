//! The nested tables of a group file: `[meetings]`, `[[activity]]` and `[sources]`, their
//! front-matter shapes (for the schema too) and their conversion into the model.

use chrono::{NaiveDate, NaiveTime, Weekday};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::value::Datetime;

use super::Context;
use crate::model::{Activity, DiscussionSource, LabelSource, Meetings, RepoName, Sources};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct MeetingsFrontMatter {
    /// 1 weekly, 2 every other week, 3 every three weeks.
    pub(super) every_weeks: u8,
    /// The day of the week, in English, such as "Tuesday".
    pub(super) day: Option<String>,
    /// 24-hour local time in `timezone`, as "HH:MM".
    pub(super) time: Option<String>,
    /// An IANA time zone name, such as "Europe/London".
    pub(super) timezone: Option<String>,
    pub(super) duration_minutes: Option<u32>,
    /// The date of one meeting, which fixes the weeks a fortnightly call falls on.
    #[schemars(with = "Option<NaiveDate>")]
    pub(super) first: Option<Datetime>,
    /// Where notes are posted.
    pub(super) notes: Option<String>,
    /// The community calendar entry.
    pub(super) calendar: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ActivityFrontMatter {
    #[schemars(with = "NaiveDate")]
    pub(super) date: Datetime,
    pub(super) what: String,
    pub(super) link: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SourcesFrontMatter {
    /// Repositories the group owns: their commits on the default branch, issues and pull requests.
    #[serde(default)]
    pub(super) repositories: Vec<RepoText>,
    /// Discussions of a repository that belong to the group.
    #[serde(default)]
    pub(super) discussions: Vec<DiscussionFrontMatter>,
    /// Issues and pull requests of a shared repository that carry the group's label.
    #[serde(default)]
    pub(super) labels: Vec<LabelFrontMatter>,
}

/// A GitHub repository as `owner/name`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(extend("pattern" = "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*/[A-Za-z0-9._-]+$"))]
pub(super) struct RepoText(pub(super) String);

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct DiscussionFrontMatter {
    pub(super) repository: RepoText,
    /// Only discussions in this category, such as "Meeting Notes".
    pub(super) category: Option<String>,
    /// Only discussions whose title contains this text (any case), such as "Agents WG".
    pub(super) title_contains: Option<String>,
    /// Only discussions with this label.
    pub(super) label: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct LabelFrontMatter {
    pub(super) repository: RepoText,
    pub(super) label: String,
}

pub(super) fn meetings(m: MeetingsFrontMatter, cx: &mut Context<'_>) -> Option<Meetings> {
    if !(1..=8).contains(&m.every_weeks) {
        cx.error(
            "meetings.every_weeks",
            format!("`every_weeks` is {}, expected 1 to 8", m.every_weeks),
            "1 is weekly, 2 every other week, 3 every three weeks",
        );
    }
    let day = m.day.and_then(|day| match day.parse::<Weekday>() {
        Ok(d) => Some(d),
        Err(_) => {
            cx.error(
                "meetings.day",
                format!("`{day}` is not a day of the week"),
                "write the day in English, such as \"Tuesday\"",
            );
            None
        }
    });
    let time = m.time.and_then(|time| {
        let valid = time.len() == 5 && NaiveTime::parse_from_str(&time, "%H:%M").is_ok();
        if !valid {
            cx.error(
                "meetings.time",
                format!("`{time}` is not a time of day"),
                "write 24-hour time as \"HH:MM\", such as \"16:00\"",
            );
        }
        valid.then_some(time)
    });
    let timezone = m.timezone.and_then(|zone| match zone.parse::<chrono_tz::Tz>() {
        Ok(_) => Some(zone),
        Err(_) => {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
            let hint = match crate::diagnostic::did_you_mean(&zone, names) {
                Some(name) => format!("did you mean \"{name}\"?"),
                None => "write an IANA zone such as \"Europe/London\" or \"America/New_York\", not an abbreviation".to_string(),
            };
            cx.error(
                "meetings.timezone",
                format!("`{zone}` is not an IANA time zone name"),
                hint,
            );
            None
        }
    });
    if time.is_some() && timezone.is_none() && !cx.spans.has("meetings.timezone") {
        cx.error(
            "meetings.time",
            "a meeting time needs a `timezone`",
            "add `timezone = \"Europe/London\"` (an IANA name)",
        );
    }
    if m.duration_minutes == Some(0) || m.duration_minutes.is_some_and(|d| d > 24 * 60) {
        cx.error(
            "meetings.duration_minutes",
            "`duration_minutes` must be between 1 and 1440",
            "write the length in minutes, such as 45",
        );
    }
    let first = cx.date(m.first, "meetings.first");
    if let (Some(first), Some(day)) = (first, day)
        && chrono::Datelike::weekday(&first) != day
    {
        cx.error(
            "meetings.first",
            format!(
                "`first` is {first}, a {}, but `day` is {}",
                chrono::Datelike::weekday(&first),
                day
            ),
            "give the date of a real meeting, on the meeting day",
        );
    }
    let notes = cx.url(m.notes, "meetings.notes");
    let calendar = cx.url(m.calendar, "meetings.calendar");
    Some(Meetings {
        every_weeks: m.every_weeks,
        day,
        time,
        timezone,
        duration_minutes: m.duration_minutes,
        first,
        notes,
        calendar,
    })
}

pub(super) fn activity(list: Vec<ActivityFrontMatter>, cx: &mut Context<'_>) -> Vec<Activity> {
    let mut entries = Vec::new();
    for (i, entry) in list.into_iter().enumerate() {
        let path = format!("activity[{i}]");
        let date = cx.past_date(Some(entry.date), &format!("{path}.date"));
        let what = cx.text(Some(entry.what), &format!("{path}.what"));
        let link = cx.url(entry.link, &format!("{path}.link"));
        if let (Some(date), Some(what)) = (date, what) {
            entries.push(Activity { date, what, link });
        }
    }
    // Newest first, as a feed reads; the sort is stable so same-day entries keep their order.
    entries.sort_by_key(|a| std::cmp::Reverse(a.date));
    entries
}

pub(super) fn sources(fm: SourcesFrontMatter, cx: &mut Context<'_>) -> Sources {
    let errors_before = cx.diagnostics.iter().filter(|d| d.is_error()).count();
    let mut sources = Sources::default();
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

pub(super) fn repo(text: RepoText, path: &str, cx: &mut Context<'_>) -> Option<RepoName> {
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

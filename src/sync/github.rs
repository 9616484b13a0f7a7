//! GitHub's GraphQL API as the sync uses it: the lists it pages through, one request that asks
//! for a page of many lists at once (aliases, one per repository and one per list), and the
//! answer read back into items, list by list, so one missing repository fails only its own lists.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::human::{self, Bots, COMMIT_AUTHOR};
mod nodes;

use crate::activity::EventKind;
use crate::model::{ActivitySource, RepoName};
use crate::text::one_line;
use nodes::{BranchRef, CommitNode, Connection, DiscussionNode, IssueNode, PageInfo};

/// Items asked for per page: the first page of a list usually reaches back past the newest event
/// already known, so a daily sync needs one page per list.
pub const PAGE: u32 = 50;

/// One list on GitHub that the sync pages through, newest first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stream {
    /// By creation, newest first: one list serves every group whose notes share a category.
    Discussions(RepoName),
    /// By last update, newest first; with a label, only the issues carrying it.
    Issues(RepoName, Option<String>),
    PullRequests(RepoName, Option<String>),
    /// The default branch's history.
    Commits(RepoName),
}

impl Stream {
    /// The lists one source reads.
    pub fn of(source: ActivitySource<'_>) -> Vec<Stream> {
        match source {
            ActivitySource::Repository(repo) => vec![
                Stream::Commits(repo.clone()),
                Stream::Issues(repo.clone(), None),
                Stream::PullRequests(repo.clone(), None),
            ],
            ActivitySource::Discussions(d) => vec![Stream::Discussions(d.repository.clone())],
            ActivitySource::Label(l) => vec![
                Stream::Issues(l.repository.clone(), Some(l.label.clone())),
                Stream::PullRequests(l.repository.clone(), Some(l.label.clone())),
            ],
        }
    }

    pub fn repo(&self) -> &RepoName {
        match self {
            Stream::Discussions(repo)
            | Stream::Issues(repo, _)
            | Stream::PullRequests(repo, _)
            | Stream::Commits(repo) => repo,
        }
    }

    /// The kinds of event the list's items become.
    pub fn kinds(&self) -> &'static [EventKind] {
        match self {
            Stream::Discussions(_) => &[EventKind::MeetingNotes, EventKind::Discussion],
            Stream::Issues(..) => &[EventKind::Issue],
            Stream::PullRequests(..) => &[EventKind::PullRequestMerged, EventKind::PullRequest],
            Stream::Commits(_) => &[EventKind::Commit],
        }
    }

    fn label(&self) -> Option<&str> {
        match self {
            Stream::Issues(_, label) | Stream::PullRequests(_, label) => label.as_deref(),
            _ => None,
        }
    }
}

/// One item of a list, ready to become an event of every group whose source it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The date the list is ordered by: it says when paging may stop.
    pub order_date: NaiveDate,
    pub date: NaiveDate,
    pub kind: EventKind,
    pub title: String,
    pub url: String,
    /// Discussions only: their category and labels, which sources filter on.
    pub category: String,
    pub labels: Vec<String>,
}

/// One page of a list, and the cursor of the next when there is one.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<Item>,
    pub next: Option<String>,
    /// The oldest date the page's list is ordered by, over every node, the bots' too: how far
    /// back the page reaches, even when it kept nothing.
    pub reach: Option<NaiveDate>,
}

/// The `rateLimit` GitHub reports with each answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    pub cost: u32,
    pub remaining: u32,
    pub reset_at: String,
}

/// A page wanted: the list, and the cursor to continue after (none for the first page).
pub type Want<'a> = (&'a Stream, Option<&'a str>);

/// The JSON body of one request for a page of each list in `wants`.
pub fn request(wants: &[Want<'_>]) -> Value {
    let mut repos: Vec<&RepoName> = Vec::new();
    for (stream, _) in wants {
        if !repos.contains(&stream.repo()) {
            repos.push(stream.repo());
        }
    }
    let mut declarations = Vec::new();
    let mut variables = Map::new();
    let mut body = String::from("  rateLimit { cost remaining resetAt }\n");
    for (r, repo) in repos.iter().enumerate() {
        declarations.push(format!("$r{r}_owner: String!, $r{r}_name: String!"));
        variables.insert(format!("r{r}_owner"), json!(repo.owner()));
        variables.insert(format!("r{r}_name"), json!(repo.name()));
        body.push_str(&format!(
            "  r{r}: repository(owner: $r{r}_owner, name: $r{r}_name) {{\n"
        ));
        for (p, (stream, after)) in wants.iter().enumerate() {
            if stream.repo() != *repo {
                continue;
            }
            declarations.push(format!("$p{p}_after: String"));
            variables.insert(format!("p{p}_after"), json!(after));
            let labels = match stream.label() {
                Some(label) => {
                    declarations.push(format!("$p{p}_labels: [String!]"));
                    variables.insert(format!("p{p}_labels"), json!([label]));
                    format!(", labels: $p{p}_labels")
                }
                None => String::new(),
            };
            body.push_str(&selection(p, stream, &labels));
        }
        body.push_str("  }\n");
    }
    let query = format!(
        "query GroupdirSync({}) {{\n{body}}}\n",
        declarations.join(", ")
    );
    json!({ "query": query, "variables": variables })
}

const PAGE_INFO: &str = "pageInfo { hasNextPage endCursor }";

/// The fields of one list, aliased `p<index>`.
fn selection(p: usize, stream: &Stream, labels: &str) -> String {
    let args = format!("first: {PAGE}, after: $p{p}_after{labels}");
    match stream {
        Stream::Discussions(_) => format!(
            "    p{p}: discussions({args}, orderBy: {{field: CREATED_AT, direction: DESC}}) {{ {PAGE_INFO} nodes {{ title url createdAt author {{ __typename login }} category {{ name }} labels(first: 20) {{ nodes {{ name }} }} }} }}\n"
        ),
        Stream::Issues(..) => format!(
            "    p{p}: issues({args}, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{ {PAGE_INFO} nodes {{ title url updatedAt {} }} }}\n",
            human::issue_fields(false)
        ),
        Stream::PullRequests(..) => format!(
            "    p{p}: pullRequests({args}, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{ {PAGE_INFO} nodes {{ title url updatedAt mergedAt {} }} }}\n",
            human::issue_fields(true)
        ),
        Stream::Commits(_) => format!(
            "    p{p}: defaultBranchRef {{ target {{ ... on Commit {{ history({args}) {{ {PAGE_INFO} nodes {{ messageHeadline url committedDate {COMMIT_AUTHOR} }} }} }} }} }}\n"
        ),
    }
}

/// What one answer held: the rate limit left, and each wanted page or why it failed.
#[derive(Debug)]
pub struct Answer {
    pub rate_limit: Option<RateLimit>,
    pub pages: Vec<Result<Page, String>>,
}

#[derive(Debug, Deserialize)]
struct GraphQlError {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    path: Vec<Value>,
    #[serde(default)]
    message: String,
}

/// Reads GitHub's answer to [`request`] for the same `wants`. An error that belongs to no
/// repository or list (a bad query, a rate limit) fails the whole answer.
pub fn read_answer(json: &Value, wants: &[Want<'_>], bots: &Bots) -> Result<Answer, String> {
    let errors: Vec<GraphQlError> = match json.get("errors") {
        Some(errors) => serde_json::from_value(errors.clone())
            .map_err(|e| format!("GitHub's `errors` are not in the documented shape: {e}"))?,
        None => Vec::new(),
    };
    let data = json.get("data").filter(|d| !d.is_null());
    let mut by_alias: HashMap<String, String> = HashMap::new();
    let mut general = Vec::new();
    for error in &errors {
        let alias = error
            .path
            .iter()
            .take(2)
            .filter_map(Value::as_str)
            .collect::<Vec<_>>();
        match (data, alias.as_slice()) {
            (Some(_), [repo]) => by_alias.insert(repo.to_string(), describe(error)),
            (Some(_), [repo, page, ..]) => {
                by_alias.insert(format!("{repo}.{page}"), describe(error))
            }
            _ => {
                general.push(describe(error));
                None
            }
        };
    }
    let Some(data) = data.filter(|_| general.is_empty()) else {
        return Err(if general.is_empty() {
            "GitHub's answer has no `data`".to_string()
        } else {
            general.join("; ")
        });
    };
    let rate_limit = data
        .get("rateLimit")
        .and_then(|r| serde_json::from_value(r.clone()).ok());
    let mut repos: Vec<&RepoName> = Vec::new();
    let pages = wants
        .iter()
        .enumerate()
        .map(|(p, (stream, _))| {
            let r = match repos.iter().position(|x| *x == stream.repo()) {
                Some(r) => r,
                None => {
                    repos.push(stream.repo());
                    repos.len() - 1
                }
            };
            let failed = by_alias
                .get(&format!("r{r}.p{p}"))
                .or_else(|| by_alias.get(&format!("r{r}")));
            match failed {
                Some(why) => Err(why.clone()),
                None => page(stream, &data[format!("r{r}")][format!("p{p}")], bots),
            }
        })
        .collect();
    Ok(Answer { rate_limit, pages })
}

fn describe(error: &GraphQlError) -> String {
    match error.kind.as_deref() {
        Some("NOT_FOUND") => format!(
            "not found on GitHub (deleted, made private or moved?); update the group's [sources]. GitHub said: {}",
            error.message
        ),
        Some(kind) => format!("GitHub answered {kind}: {}", error.message),
        None => format!("GitHub answered: {}", error.message),
    }
}

/// One list's page from the answer's `data`.
fn page(stream: &Stream, value: &Value, bots: &Bots) -> Result<Page, String> {
    match stream {
        Stream::Discussions(_) => connection(value, |n: DiscussionNode| {
            let date = day(&n.created_at)?;
            if bots.is_bot(n.author.as_ref()) {
                return Ok((date, None));
            }
            let kind = if n.category.name.to_lowercase().contains("notes") {
                EventKind::MeetingNotes
            } else {
                EventKind::Discussion
            };
            let labels = n.labels.map_or_else(Vec::new, |l| {
                l.nodes.into_iter().flatten().map(|l| l.name).collect()
            });
            Ok((
                date,
                Some(item(
                    date,
                    date,
                    kind,
                    &n.title,
                    n.url,
                    n.category.name,
                    labels,
                )),
            ))
        }),
        Stream::Issues(..) | Stream::PullRequests(..) => connection(value, |n: IssueNode| {
            let updated = day(&n.updated_at)?;
            let kind = match (stream, &n.merged_at) {
                (Stream::Issues(..), _) => EventKind::Issue,
                (_, Some(_)) => EventKind::PullRequestMerged,
                (_, None) => EventKind::PullRequest,
            };
            // Dated by its latest human activity; the list is ordered by its last update.
            let Some(date) = n.human_day(bots)? else {
                return Ok((updated, None));
            };
            Ok((
                updated,
                Some(item(
                    updated,
                    date,
                    kind,
                    &n.title,
                    n.url,
                    String::new(),
                    Vec::new(),
                )),
            ))
        }),
        Stream::Commits(_) => {
            // An empty repository has no default branch, and so no history.
            let branch: Option<BranchRef> = parse(value)?;
            match branch.and_then(|b| b.target).and_then(|t| t.history) {
                Some(history) => connection_of(history, |n: CommitNode| {
                    let date = day(&n.committed_date)?;
                    if bots.is_bot_author(n.author.as_ref()) {
                        return Ok((date, None));
                    }
                    let title = &n.message_headline;
                    Ok((
                        date,
                        Some(item(
                            date,
                            date,
                            EventKind::Commit,
                            title,
                            n.url,
                            String::new(),
                            Vec::new(),
                        )),
                    ))
                }),
                None => Ok(Page::default()),
            }
        }
    }
}

fn parse<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    T::deserialize(value)
        .map_err(|e| format!("GitHub's answer is not in the documented shape: {e}"))
}

/// A node read: the date its list is ordered by, and its item unless it is left out (a bot's).
type Read = Result<(NaiveDate, Option<Item>), String>;

fn connection<N: DeserializeOwned>(
    value: &Value,
    to_item: impl Fn(N) -> Read,
) -> Result<Page, String> {
    connection_of(parse::<Connection<N>>(value)?, to_item)
}

fn connection_of<N>(
    connection: Connection<N>,
    to_item: impl Fn(N) -> Read,
) -> Result<Page, String> {
    let read = connection
        .nodes
        .into_iter()
        .flatten()
        .map(to_item)
        .collect::<Result<Vec<_>, _>>()?;
    let reach = read.iter().map(|(date, _)| *date).min();
    let items = read.into_iter().filter_map(|(_, item)| item).collect();
    let next = match connection.page_info {
        PageInfo {
            has_next_page: true,
            end_cursor: Some(cursor),
        } => Some(cursor),
        _ => None,
    };
    Ok(Page { items, next, reach })
}

fn item(
    order_date: NaiveDate,
    date: NaiveDate,
    kind: EventKind,
    title: &str,
    url: String,
    category: String,
    labels: Vec<String>,
) -> Item {
    Item {
        order_date,
        date,
        kind,
        title: one_line(title).unwrap_or_else(|| "(untitled)".to_string()),
        url,
        category,
        labels,
    }
}

use human::day;

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(s: &str) -> RepoName {
        RepoName::parse(s).unwrap()
    }

    #[test]
    fn one_request_asks_every_list_once_per_repository() {
        let shared = repo("o/shared");
        let own = repo("o/own");
        let streams = [
            Stream::Discussions(shared.clone()),
            Stream::Issues(shared.clone(), Some("auth".into())),
            Stream::Commits(own.clone()),
        ];
        let wants: Vec<Want<'_>> = vec![
            (&streams[0], None),
            (&streams[1], Some("CURSOR")),
            (&streams[2], None),
        ];
        let body = request(&wants);
        let query = body["query"].as_str().unwrap();
        assert_eq!(query.matches("repository(").count(), 2, "{query}");
        assert!(query.contains("r0: repository(owner: $r0_owner, name: $r0_name)"));
        assert!(query.contains("p1: issues(first: 50, after: $p1_after, labels: $p1_labels"));
        assert!(query.contains("p2: defaultBranchRef"));
        assert!(query.contains("rateLimit { cost remaining resetAt }"));
        assert_eq!(body["variables"]["r0_owner"], "o");
        assert_eq!(body["variables"]["r1_name"], "own");
        assert_eq!(body["variables"]["p1_after"], "CURSOR");
        assert_eq!(body["variables"]["p0_after"], Value::Null);
        assert_eq!(body["variables"]["p1_labels"], json!(["auth"]));
    }

    #[test]
    fn a_missing_repository_fails_only_its_own_lists() {
        let streams = [
            Stream::Discussions(repo("o/gone")),
            Stream::Issues(repo("o/here"), None),
        ];
        let wants: Vec<Want<'_>> = vec![(&streams[0], None), (&streams[1], None)];
        let answer = json!({
            "data": {
                "rateLimit": { "cost": 1, "remaining": 4999, "resetAt": "2026-11-27T13:00:00Z" },
                "r0": null,
                "r1": { "p1": {
                    "pageInfo": { "hasNextPage": true, "endCursor": "Y3Vyc29y" },
                    "nodes": [{ "title": "Fix\tthe\nflow", "url": "https://github.com/o/here/issues/7", "updatedAt": "2026-11-20T23:59:59-02:00", "createdAt": "2026-11-20T23:59:59-02:00" }]
                } }
            },
            "errors": [{
                "type": "NOT_FOUND", "path": ["r0"], "locations": [{ "line": 3, "column": 3 }],
                "message": "Could not resolve to a Repository with the name 'o/gone'."
            }]
        });
        let answer = read_answer(&answer, &wants, &Bots::default()).unwrap();
        assert_eq!(answer.rate_limit.unwrap().remaining, 4999);
        let gone = answer.pages[0].as_ref().unwrap_err();
        assert!(
            gone.contains("not found on GitHub") && gone.contains("o/gone"),
            "{gone}"
        );
        let page = answer.pages[1].as_ref().unwrap();
        assert_eq!(page.next.as_deref(), Some("Y3Vyc29y"));
        let item = &page.items[0];
        assert_eq!(item.title, "Fix the flow", "control characters never pass");
        assert_eq!(
            item.date.to_string(),
            "2026-11-21",
            "the day is taken in UTC"
        );
    }

    #[test]
    fn an_error_of_no_list_fails_the_whole_answer() {
        let streams = [Stream::Commits(repo("o/r"))];
        let wants: Vec<Want<'_>> = vec![(&streams[0], None)];
        let answer =
            json!({ "errors": [{ "type": "RATE_LIMITED", "message": "API rate limit exceeded" }] });
        let why = read_answer(&answer, &wants, &Bots::default()).unwrap_err();
        assert!(why.contains("RATE_LIMITED"), "{why}");
    }

    #[test]
    fn pull_requests_are_dated_by_their_merge_and_ordered_by_their_update() {
        let streams = [Stream::PullRequests(repo("o/r"), None)];
        let wants: Vec<Want<'_>> = vec![(&streams[0], None)];
        let answer = json!({ "data": { "r0": { "p0": {
            "pageInfo": { "hasNextPage": false, "endCursor": null },
            "nodes": [
                { "title": "Merged", "url": "https://github.com/o/r/pull/2", "updatedAt": "2026-11-22T10:00:00Z", "mergedAt": "2026-11-20T10:00:00Z", "createdAt": "2026-11-01T10:00:00Z" },
                { "title": "Open", "url": "https://github.com/o/r/pull/3", "updatedAt": "2026-11-19T10:00:00Z", "mergedAt": null, "createdAt": "2026-11-19T10:00:00Z" }
            ]
        } } } });
        let answer = read_answer(&answer, &wants, &Bots::default()).unwrap();
        let page = answer.pages[0].as_ref().unwrap();
        assert_eq!(page.next, None);
        let kinds: Vec<(EventKind, String, String)> = page
            .items
            .iter()
            .map(|i| (i.kind, i.date.to_string(), i.order_date.to_string()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    EventKind::PullRequestMerged,
                    "2026-11-20".into(),
                    "2026-11-22".into()
                ),
                (
                    EventKind::PullRequest,
                    "2026-11-19".into(),
                    "2026-11-19".into()
                ),
            ]
        );
    }

    #[test]
    fn an_empty_repository_has_no_commits() {
        let streams = [Stream::Commits(repo("o/r"))];
        let wants: Vec<Want<'_>> = vec![(&streams[0], None)];
        let answer = json!({ "data": { "r0": { "p0": null } } });
        let answer = read_answer(&answer, &wants, &Bots::default()).unwrap();
        assert!(answer.pages[0].as_ref().unwrap().items.is_empty());
    }
}

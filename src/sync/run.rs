//! One sync: every group's sources become lists to page through, deduplicated across groups;
//! each round asks for the next page of every list still open in as few requests as possible;
//! what the lists held becomes each group's events, merged into what was known.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::client::Client;
use super::github::{self, Item, Page, RateLimit, Stream, Want};
use super::human::Bots;
use super::merge::{KEEP, merge};
use crate::activity::{self, ActivityFile, Event, Skipped};
use crate::horizon::Horizon;
use crate::model::{ActivitySource, Slug, Sources};

/// Pages of one list a sync reads at most: a first sync, or one after a long pause, stops there.
const MAX_PAGES: usize = 10;

/// Lists asked for in one request: the bundled directory's ~45 in one, while GitHub's cost stays
/// at a point or two per request and far below its limit of 500,000 nodes per query.
const LISTS_PER_REQUEST: usize = 50;

/// A source that could not be read, and why; its events stay as they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFailure {
    pub group: Slug,
    pub source: String,
    pub why: String,
}

/// What a sync did.
#[derive(Debug, Default)]
pub struct Report {
    pub groups: usize,
    pub sources: usize,
    pub requests: usize,
    pub added: usize,
    pub updated: usize,
    pub rate_limit: Option<RateLimit>,
    pub failures: Vec<SourceFailure>,
    /// Events left out of the file: what GitHub sent that the file's rules refuse, events of the
    /// file dated after the day of the sync, and the oldest when the file would be too large.
    pub skipped: Vec<Skipped>,
}

/// A group's source, as one reader of the lists it needs.
struct Reader<'a> {
    group: &'a Slug,
    source: ActivitySource<'a>,
    name: String,
    lists: Vec<usize>,
}

impl Reader<'_> {
    fn accepts(&self, item: &Item) -> bool {
        match self.source {
            ActivitySource::Discussions(d) => d.matches(&item.category, &item.title, &item.labels),
            ActivitySource::Repository(_) | ActivitySource::Label(_) => true,
        }
    }
}

enum State {
    Open,
    Done,
    Failed(String),
}

/// One list and how far it has been read.
struct List {
    stream: Stream,
    /// Each reader of the list, with the newest event it already knows from it.
    readers: Vec<(usize, Option<NaiveDate>)>,
    cursor: Option<String>,
    pages: usize,
    items: Vec<Item>,
    state: State,
}

/// Reads every group's sources through `client` at the moment `now` and returns the data file's
/// new content: only events the build accepts (`activity::refusal`, with `now` as the day of
/// reading), within the build's limit on the file's size; each source read in full gets `now` as
/// its horizon, and a failed one keeps its own.
pub fn sync(
    groups: &[(&Slug, &Sources)],
    known: &ActivityFile,
    client: &mut Client,
    now: DateTime<Utc>,
    bots: &Bots,
) -> (ActivityFile, Report) {
    // The moment of reading: no event may be dated after it, neither one the file has (it would
    // stop the paging at its date) nor one a source sends.
    let horizon = now.date_naive();
    let mut known = known.clone();
    let mut skipped = known.admit(horizon);
    let known = &known;
    let (readers, mut lists) = plan(groups, known);
    let rate_limit = read_lists(&mut lists, &readers, client, bots);
    let mut report = Report {
        groups: groups.iter().filter(|(_, s)| !s.is_empty()).count(),
        sources: readers.len(),
        requests: client.requests(),
        rate_limit,
        ..Report::default()
    };
    let mut activity = known.clone();
    for (slug, _) in groups {
        let mine = readers.iter().filter(|r| r.group == *slug);
        let mut seen = Vec::new();
        let mut answered = BTreeSet::new();
        for reader in mine {
            match reader.lists.iter().find_map(|&l| match &lists[l].state {
                State::Failed(why) => Some(why),
                _ => None,
            }) {
                Some(why) => report.failures.push(SourceFailure {
                    group: (*slug).clone(),
                    source: reader.name.clone(),
                    why: why.clone(),
                }),
                None => {
                    answered.insert(reader.name.clone());
                    for event in events(reader, &lists) {
                        match activity::refusal(&event, horizon) {
                            None => seen.push(event),
                            Some(why) => skipped.push(Skipped {
                                group: (*slug).clone(),
                                source: event.source,
                                url: event.url,
                                why,
                            }),
                        }
                    }
                    activity.set_horizon(reader.name.clone(), Horizon::Read(now));
                }
            }
        }
        let before = known.events(slug);
        let after = merge(before, seen, &answered);
        count_changes(before, &after, &mut report);
        activity.set((*slug).clone(), after);
    }
    let limit = usize::try_from(crate::load::MAX_TEXT_BYTES).unwrap_or(usize::MAX);
    skipped.extend(activity.fit(limit));
    report.skipped = skipped;
    (activity, report)
}

/// The readers of every group's sources and the lists they need, each list once.
fn plan<'a>(
    groups: &[(&'a Slug, &'a Sources)],
    known: &ActivityFile,
) -> (Vec<Reader<'a>>, Vec<List>) {
    let mut readers = Vec::new();
    let mut lists: Vec<List> = Vec::new();
    let mut by_stream: BTreeMap<Stream, usize> = BTreeMap::new();
    for (slug, sources) in groups {
        for source in sources.iter() {
            let name = source.to_string();
            let r = readers.len();
            let mut mine = Vec::new();
            for stream in Stream::of(source) {
                let newest = known
                    .events(slug)
                    .iter()
                    .filter(|e| e.source == name && stream.kinds().contains(&e.kind))
                    .map(|e| e.date)
                    .max();
                let l = *by_stream.entry(stream.clone()).or_insert_with(|| {
                    lists.push(List {
                        stream,
                        readers: Vec::new(),
                        cursor: None,
                        pages: 0,
                        items: Vec::new(),
                        state: State::Open,
                    });
                    lists.len() - 1
                });
                lists[l].readers.push((r, newest));
                mine.push(l);
            }
            readers.push(Reader {
                group: slug,
                source,
                name,
                lists: mine,
            });
        }
    }
    (readers, lists)
}

/// Pages through the lists round by round until each is read far enough or has failed.
/// Returns the rate limit GitHub last reported.
fn read_lists(
    lists: &mut [List],
    readers: &[Reader<'_>],
    client: &mut Client,
    bots: &Bots,
) -> Option<RateLimit> {
    let mut rate_limit: Option<RateLimit> = None;
    // Once a whole request fails after its retries, or the rate limit is used up, asking again
    // would fail the same way: the lists not yet read fail with that reason.
    let mut stop: Option<String> = None;
    loop {
        let open: Vec<usize> = (0..lists.len())
            .filter(|&l| matches!(lists[l].state, State::Open))
            .collect();
        if open.is_empty() {
            return rate_limit;
        }
        for chunk in open.chunks(LISTS_PER_REQUEST) {
            if let Some(why) = &stop {
                for &l in chunk {
                    lists[l].state = State::Failed(why.clone());
                }
                continue;
            }
            let answer = {
                let wants: Vec<Want<'_>> = chunk
                    .iter()
                    .map(|&l| (&lists[l].stream, lists[l].cursor.as_deref()))
                    .collect();
                match client.post(&github::request(&wants)) {
                    Ok(json) => {
                        github::read_answer(&json, &wants, bots).map_err(|why| (why, false))
                    }
                    Err(failure) => Err((failure.to_string(), true)),
                }
            };
            match answer {
                Ok(answer) => {
                    for (&l, page) in chunk.iter().zip(answer.pages) {
                        take(&mut lists[l], page, readers);
                    }
                    if let Some(limit) = &answer.rate_limit
                        && limit.remaining < limit.cost.max(1)
                    {
                        stop = Some(format!(
                            "GitHub's rate limit is used up until {}: run sync again after it",
                            limit.reset_at
                        ));
                    }
                    rate_limit = answer.rate_limit.or(rate_limit);
                }
                Err((why, whole)) => {
                    for &l in chunk {
                        lists[l].state = State::Failed(why.clone());
                    }
                    if whole {
                        stop = Some(why);
                    }
                }
            }
        }
    }
}

/// Takes one page into its list and decides whether the list needs another.
fn take(list: &mut List, page: Result<Page, String>, readers: &[Reader<'_>]) {
    let page = match page {
        Ok(page) => page,
        Err(why) => {
            list.state = State::Failed(why);
            return;
        }
    };
    list.pages += 1;
    // Where the page reaches, bots' nodes included: a page of only bots' work is no sign that
    // the list has nothing newer further on.
    let oldest = page.reach;
    list.items.extend(page.items);
    let wants_more = |&(r, newest): &(usize, Option<NaiveDate>)| match newest {
        // The page reaches no further back than the newest event known: more may be new.
        Some(newest) => oldest.is_some_and(|oldest| oldest >= newest),
        // Nothing known yet: read until the reader has what it keeps.
        None => list.items.iter().filter(|i| readers[r].accepts(i)).count() < KEEP,
    };
    let more = page.next.is_some() && list.pages < MAX_PAGES && list.readers.iter().any(wants_more);
    list.cursor = page.next;
    list.state = if more { State::Open } else { State::Done };
}

/// The events one reader found in its lists.
fn events<'a>(reader: &'a Reader<'_>, lists: &'a [List]) -> impl Iterator<Item = Event> + 'a {
    reader
        .lists
        .iter()
        .flat_map(|&l| lists[l].items.iter())
        .filter(|item| reader.accepts(item))
        .map(|item| Event {
            date: item.date,
            kind: item.kind,
            title: activity::capped_title(item.title.clone()),
            url: item.url.clone(),
            source: reader.name.clone(),
        })
}

fn count_changes(before: &[Event], after: &[Event], report: &mut Report) {
    for event in after {
        match before.iter().find(|b| b.url == event.url) {
            None => report.added += 1,
            Some(old) if old != event => report.updated += 1,
            Some(_) => {}
        }
    }
}

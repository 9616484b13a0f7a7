//! How a sync updates the data file: what was known, with what the sources that answered showed,
//! never dropping an event unless a newer view of the same thing replaces it or newer events of a
//! source that answered push it past [`KEEP`].

use std::collections::{BTreeSet, HashMap};

use crate::activity::{Event, EventKind, MAX_EVENTS_PER_GROUP, sort};

/// Per source and kind, the newest events a sync keeps: more than a page lists and than the
/// governance rule needs, while the file stays a few hundred lines.
pub const KEEP: usize = 10;

/// One group's events after a sync: what was known, with what the sources that answered showed.
///
/// `seen` holds the events of the sources in `answered`, in the order of the group's sources.
/// An address seen twice is one event: its latest view, or on the same day the first source's.
/// A seen event replaces a known one with the same address unless the known one is newer. Then,
/// of each answered source, the newest [`KEEP`] events of each kind are kept; the events of the
/// other sources (failed, or no longer listed) stay as they were; and of all, the newest
/// [`MAX_EVENTS_PER_GROUP`].
pub fn merge(known: &[Event], seen: Vec<Event>, answered: &BTreeSet<String>) -> Vec<Event> {
    let mut merged: Vec<Event> = known.to_vec();
    let mut at: HashMap<String, usize> = merged
        .iter()
        .enumerate()
        .map(|(i, e)| (e.url.clone(), i))
        .collect();
    let mut from_this_sync = BTreeSet::new();
    for event in seen {
        match at.get(&event.url) {
            Some(&i) if merged[i].date > event.date => {}
            Some(&i) if from_this_sync.contains(&i) && merged[i].date == event.date => {}
            Some(&i) => {
                merged[i] = event;
                from_this_sync.insert(i);
            }
            None => {
                at.insert(event.url.clone(), merged.len());
                from_this_sync.insert(merged.len());
                merged.push(event);
            }
        }
    }
    sort(&mut merged);
    let mut kept: HashMap<(String, EventKind), usize> = HashMap::new();
    merged.retain(|e| {
        if !answered.contains(&e.source) {
            return true;
        }
        let n = kept.entry((e.source.clone(), e.kind)).or_default();
        *n += 1;
        *n <= KEEP
    });
    merged.truncate(MAX_EVENTS_PER_GROUP);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(date: &str, kind: EventKind, url: &str, source: &str) -> Event {
        Event {
            date: date.parse().unwrap(),
            kind,
            title: format!("title of {url}"),
            url: format!("https://github.com/o/r/{url}"),
            source: source.to_string(),
        }
    }

    fn answered(sources: &[&str]) -> BTreeSet<String> {
        sources.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_sync_adds_new_events_and_newer_views_and_loses_nothing() {
        let known = vec![
            event("2026-11-01", EventKind::PullRequest, "pull/1", "a"),
            event("2026-10-01", EventKind::Issue, "issues/2", "a"),
        ];
        let seen = vec![
            event("2026-11-20", EventKind::PullRequestMerged, "pull/1", "a"),
            event("2026-11-21", EventKind::Issue, "issues/3", "a"),
        ];
        let merged = merge(&known, seen, &answered(&["a"]));
        let urls: Vec<(&str, EventKind)> = merged.iter().map(|e| (&e.url[23..], e.kind)).collect();
        assert_eq!(
            urls,
            [
                ("issues/3", EventKind::Issue),
                ("pull/1", EventKind::PullRequestMerged),
                ("issues/2", EventKind::Issue),
            ]
        );
    }

    #[test]
    fn an_older_view_never_replaces_a_newer_one() {
        let known = vec![event("2026-11-20", EventKind::Issue, "issues/1", "a")];
        let seen = vec![event("2026-11-01", EventKind::Issue, "issues/1", "a")];
        assert_eq!(merge(&known, seen, &answered(&["a"])), known);
    }

    #[test]
    fn the_same_address_from_two_sources_is_the_first_sources() {
        let seen = vec![
            event("2026-11-20", EventKind::Issue, "issues/1", "first"),
            event("2026-11-20", EventKind::Issue, "issues/1", "second"),
        ];
        let once = merge(&[], seen.clone(), &answered(&["first", "second"]));
        assert_eq!(once.len(), 1);
        assert_eq!(once[0].source, "first");
        let again = merge(&once, seen, &answered(&["first", "second"]));
        assert_eq!(
            again, once,
            "a second sync with the same answers changes nothing"
        );
    }

    #[test]
    fn only_answered_sources_are_trimmed_to_the_newest() {
        let day = |n: usize| format!("2026-10-{:02}", n + 1);
        let many = |source: &str| -> Vec<Event> {
            (0..KEEP + 5)
                .map(|n| event(&day(n), EventKind::Commit, &format!("{source}/{n}"), source))
                .collect()
        };
        let known: Vec<Event> = [many("failed"), many("answered")].concat();
        let merged = merge(&known, Vec::new(), &answered(&["answered"]));
        let count = |s: &str| merged.iter().filter(|e| e.source == s).count();
        assert_eq!(
            count("failed"),
            KEEP + 5,
            "a failed source keeps everything"
        );
        assert_eq!(count("answered"), KEEP);
        let oldest_kept = merged
            .iter()
            .filter(|e| e.source == "answered")
            .map(|e| e.date)
            .min()
            .unwrap();
        assert_eq!(oldest_kept.to_string(), day(5), "the newest are kept");
    }
}

//! Meetings kept: each past occurrence of a group's meetings with the notes posted for it. The
//! governance rules the charters point to say notes are posted within 48 hours, in GitHub
//! Discussions: a synced meeting-notes discussion (or a commit or merged pull request about notes
//! in the group's repository) dated the meeting's day or the two after it, or naming its date,
//! counts as its notes.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::activity::{Event, EventKind};
use crate::model::{Group, Meeting};

/// Notes are due within 48 hours: by the end of the second day after the meeting's.
const NOTES_DAYS: i64 = 2;
/// How far back the report looks for meetings without notes: four weeks, so that a month's
/// monthly meeting is seen once and a weekly one at most four times.
const LOOK_BACK_DAYS: i64 = 28;

/// One past occurrence and its notes, when any are on record.
#[derive(Debug, Clone, Serialize)]
pub struct Kept<'a> {
    /// The local date the meeting took place.
    pub date: NaiveDate,
    pub meeting: Option<&'a str>,
    pub notes: Option<&'a Event>,
    /// Whether the 48 hours for its notes are over.
    pub due: bool,
}

/// Whether `event` is meeting notes.
pub fn is_notes(event: &Event) -> bool {
    match event.kind {
        EventKind::MeetingNotes => true,
        EventKind::Commit | EventKind::PullRequestMerged => {
            event.title.to_lowercase().contains("notes")
        }
        _ => false,
    }
}

/// Whether the group's synced sources carry notes at all: only then can their absence be seen.
pub fn has_notes_sources(events: &[Event]) -> bool {
    events.iter().any(is_notes)
}

fn notes_for(events: &[Event], date: NaiveDate) -> Option<&Event> {
    let named = date.to_string();
    events.iter().filter(|e| is_notes(e)).find(|e| {
        e.title.contains(&named) || (date..=date + Duration::days(NOTES_DAYS)).contains(&e.date)
    })
}

/// The occurrences of the group's meetings from `LOOK_BACK_DAYS` before `today` up to
/// yesterday, newest first, each with its notes.
pub fn past<'a>(group: &'a Group, events: &'a [Event], today: NaiveDate) -> Vec<Kept<'a>> {
    let from = today - Duration::days(LOOK_BACK_DAYS);
    let Some(yesterday) = today.pred_opt() else {
        return Vec::new();
    };
    let mut kept: Vec<Kept<'a>> = group
        .meetings
        .iter()
        .flat_map(|m: &'a Meeting| {
            m.occurrences(from, yesterday)
                .into_iter()
                .filter(|o| !o.cancelled)
                .map(move |o| Kept {
                    date: o.date,
                    meeting: m.name.as_deref(),
                    notes: notes_for(events, o.date),
                    due: today > o.date + Duration::days(NOTES_DAYS),
                })
        })
        .collect();
    kept.sort_by(|a, b| b.date.cmp(&a.date).then(a.meeting.cmp(&b.meeting)));
    kept
}

/// The dates of past meetings whose 48 hours passed with no notes, oldest first; none for a group
/// whose sources carry no notes.
pub fn missing(group: &Group, events: &[Event], today: NaiveDate) -> Vec<NaiveDate> {
    if !has_notes_sources(events) {
        return Vec::new();
    }
    let mut dates: Vec<NaiveDate> = past(group, events, today)
        .into_iter()
        .filter(|k| k.due && k.notes.is_none())
        .map(|k| k.date)
        .collect();
    dates.sort();
    dates.dedup();
    dates
}

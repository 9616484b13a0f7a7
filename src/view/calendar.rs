//! What the iCalendar files say: one event per meeting (repeating, or a one-off session) in the
//! meeting's own time zone, with its cancelled and moved occurrences. `render::ics` writes these
//! values as RFC 5545 text.

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use crate::clock;
use crate::model::{Cadence, Group, Meeting, Nth, Status, name_words, weekday_full_name};
use crate::site::Site;
use crate::view::meetings;

/// A calendar: its name and its events.
pub struct Calendar<'a> {
    pub name: String,
    pub events: Vec<Event>,
    _site: std::marker::PhantomData<&'a ()>,
}

/// How an event repeats.
pub enum Recurrence {
    Weekly { every_weeks: u8, day: Weekday },
    Monthly { week: Nth, day: Weekday },
}

/// An occurrence that takes place at another date or time: a `RECURRENCE-ID` event.
pub struct Override {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time: NaiveTime,
}

/// One meeting as an event.
pub struct Event {
    pub uid: String,
    /// The first meeting's day: stable across rebuilds (see the README).
    pub stamp: NaiveDate,
    pub zone: Tz,
    /// The first day the event repeats from, or the one-off session's.
    pub start: NaiveDate,
    pub time: NaiveTime,
    pub recurrence: Option<Recurrence>,
    /// Cancelled dates, in order: `EXDATE`s.
    pub cancelled: Vec<NaiveDate>,
    pub moved: Vec<Override>,
    pub duration_minutes: Option<u32>,
    pub summary: String,
    pub description: String,
    pub url: Option<String>,
    /// The join or event page, when one is on record.
    pub location: Option<String>,
}

fn calendar<'a>(name: String, events: Vec<Event>) -> Calendar<'a> {
    Calendar {
        name,
        events,
        _site: std::marker::PhantomData,
    }
}

/// `meetings.ics`: every group's meetings.
pub fn all(site: &Site) -> Calendar<'_> {
    let events = meetings::listed(site)
        .flat_map(|g| events(site, g))
        .collect();
    calendar(site.settings.title.clone(), events)
}

/// `groups/<slug>/meetings.ics`, for a group still meeting on known days.
pub fn group<'a>(site: &Site, group: &'a Group) -> Option<Calendar<'a>> {
    if group.status == Status::Retired {
        return None;
    }
    let events = events(site, group);
    (!events.is_empty()).then(|| calendar(group.title.clone(), events))
}

/// `groups/<slug>/meetings/<id>.ics`: the meeting at `index`, alone.
pub fn meeting<'a>(site: &Site, group: &'a Group, index: usize) -> Option<Calendar<'a>> {
    if group.status == Status::Retired {
        return None;
    }
    let m = group.meetings.get(index)?;
    let keys = uid_keys(&group.meetings);
    let event = event(site, group, keys[index].as_deref(), m)?;
    let name = match &m.name {
        Some(name) => format!("{}: {name}", group.title),
        None => group.title.clone(),
    };
    Some(calendar(name, vec![event]))
}

fn events(site: &Site, group: &Group) -> Vec<Event> {
    let keys = uid_keys(&group.meetings);
    (group.meetings.iter().zip(&keys))
        .filter_map(|(m, key)| event(site, group, key.as_deref(), m))
        .collect()
}

/// What each meeting's UID adds to `meetings-<slug>` (none: the UID is that alone), from what
/// identifies the meeting, never its place in the file: reordering the tables keeps every
/// subscriber's events. A group's only meeting in calendars, or its one meeting without a name
/// among several, keeps `meetings-<slug>`, the UID a group's one meeting always had; the others
/// add their name's words (`office-hours`). Meetings whose words collide (no name, or names
/// with the same words) add their cadence and time too (`weekly-thursday-0930`), and those
/// still alike a number in file order, so no two events of a calendar share a UID.
fn uid_keys(meetings: &[Meeting]) -> Vec<Option<String>> {
    let listed = || meetings.iter().filter(|m| m.is_fixed());
    let words = |m: &Meeting| m.name.as_deref().map(name_words).unwrap_or_default();
    if listed().count() <= 1 {
        return vec![None; meetings.len()];
    }
    let bare = listed().filter(|m| words(m).is_empty()).count() == 1;
    let mut keys: Vec<Option<String>> = (meetings.iter())
        .map(|m| Some(words(m)).filter(|w| !(w.is_empty() && bare)))
        .collect();
    let alike = |keys: &[Option<String>], i: usize| {
        let same = |j: &usize| meetings[*j].is_fixed() && keys[*j] == keys[i];
        keys[i].is_some() && (0..keys.len()).filter(same).count() > 1
    };
    let clashing: Vec<usize> = (0..keys.len()).filter(|i| alike(&keys, *i)).collect();
    for i in clashing {
        let key = keys[i].take().unwrap_or_default();
        let schedule = schedule_words(&meetings[i]);
        keys[i] = Some(if key.is_empty() {
            schedule
        } else {
            format!("{key}-{schedule}")
        });
    }
    // Each pass numbers the keys still alike, in file order; a number can meet a name ending in
    // one (`Sync 1`), hence the passes, at most one per meeting.
    for _ in 0..meetings.len() {
        let numbered: Vec<Option<String>> = (0..keys.len())
            .map(|i| match &keys[i] {
                Some(key) if alike(&keys, i) => {
                    let before = (0..i).filter(|j| meetings[*j].is_fixed() && keys[*j] == keys[i]);
                    Some(format!("{key}-{}", before.count() + 1))
                }
                key => key.clone(),
            })
            .collect();
        if numbered == keys {
            break;
        }
        keys = numbered;
    }
    keys
}

/// A meeting's cadence and time as words for a UID: `weekly-thursday-0930`,
/// `every-2-weeks-from-2025-10-09-1600`, `monthly-second-tuesday-1600`, `2026-12-03-2000`.
fn schedule_words(m: &Meeting) -> String {
    let day = |d: Option<Weekday>| d.map(|d| format!("-{}", weekday_full_name(d).to_lowercase()));
    let cadence = match m.cadence {
        Cadence::Weeks {
            every_weeks,
            day: weekday,
            first,
        } => {
            let every = match every_weeks {
                1 => "weekly".to_string(),
                n => format!("every-{n}-weeks"),
            };
            let from = first.map(|f| format!("-from-{f}")).unwrap_or_default();
            format!("{every}{}{from}", day(weekday).unwrap_or_default())
        }
        Cadence::Monthly { on, .. } => match on {
            Some(on) => format!(
                "monthly-{}{}",
                on.week.name(),
                day(Some(on.day)).unwrap_or_default()
            ),
            None => "monthly".to_string(),
        },
        Cadence::Once { date } => date.to_string(),
        Cadence::AsNeeded | Cadence::ToBeDecided => String::new(),
    };
    match m.time {
        Some(time) => format!("{cadence}-{}", time.format("%H%M")),
        None => cadence,
    }
}

fn event(site: &Site, group: &Group, key: Option<&str>, m: &Meeting) -> Option<Event> {
    if !m.is_fixed() {
        return None;
    }
    let (zone, time) = (m.zone?, m.time?);
    let start = m.start_date(group.created.unwrap_or(site.today))?;
    let page = site
        .origin
        .as_ref()
        .map(|origin| format!("{origin}{}", site.group_url(&group.slug)));
    let host = site
        .origin
        .as_deref()
        .and_then(host)
        .unwrap_or("groupdir.invalid");
    let mut description = group.summary.clone();
    if let Some(page) = &page {
        description.push_str(&format!("\n\n{page}"));
    }
    if let Some(notes) = &m.notes {
        description.push_str(&format!("\nNotes: {notes}"));
    }
    // Clients disagree on a wall time the clocks skip or repeat: say which instant is meant.
    if let Some((date, resolved)) =
        clock::first_odd_day(zone, time, site.today, |d| m.can_fall_on(d))
    {
        let rule = clock::explain(zone, time, date, resolved);
        description.push_str(&format!("\n\nOn the days the clocks change: {rule}."));
    }
    let recurrence = match m.cadence {
        Cadence::Weeks { every_weeks, .. } => Some(Recurrence::Weekly {
            every_weeks,
            day: m.day()?,
        }),
        Cadence::Monthly { on: Some(on), .. } => Some(Recurrence::Monthly {
            week: on.week,
            day: on.day,
        }),
        _ => None,
    };
    let mut cancelled: Vec<NaiveDate> = m
        .cancelled
        .iter()
        .copied()
        .filter(|d| *d >= start)
        .collect();
    cancelled.sort();
    Some(Event {
        // A dot joins the key: slugs have none, so no two groups' UIDs can meet.
        uid: match key {
            None => format!("meetings-{}@{host}", group.slug),
            Some(key) => format!("meetings-{}.{key}@{host}", group.slug),
        },
        stamp: start,
        zone,
        start,
        time,
        recurrence,
        cancelled,
        moved: m
            .moved
            .iter()
            .filter(|mv| mv.from >= start)
            .map(|mv| Override {
                from: mv.from,
                to: mv.to,
                time: mv.time.unwrap_or(time),
            })
            .collect(),
        duration_minutes: m.duration_minutes,
        summary: match &m.name {
            Some(name) => format!("{}: {name}", group.title),
            None => format!("{} meeting", group.title),
        },
        description,
        // Without the site's address there is no absolute URL to give, unless the meeting has one.
        url: m.url.clone().or(page),
        location: m.url.clone(),
    })
}

fn host(origin: &str) -> Option<&str> {
    let rest = origin.split_once("://")?.1;
    rest.split(['/', ':']).next().filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly(name: Option<&str>, day: Weekday, time: &str) -> Meeting {
        Meeting {
            name: name.map(str::to_string),
            cadence: Cadence::Weeks {
                every_weeks: 1,
                day: Some(day),
                first: None,
            },
            time: Some(time.parse().unwrap()),
            zone: Some(chrono_tz::UTC),
            duration_minutes: None,
            notes: None,
            calendar: None,
            url: None,
            cancelled: Vec::new(),
            moved: Vec::new(),
            key: "meetings".to_string(),
        }
    }

    #[test]
    fn a_meeting_without_a_name_among_named_ones_keeps_the_groups_uid_wherever_it_is() {
        let main = weekly(None, Weekday::Tue, "16:00");
        let office = weekly(Some("Office hours"), Weekday::Thu, "09:30");
        let key = |k: &str| Some(k.to_string());
        assert_eq!(
            uid_keys(&[main.clone(), office.clone()]),
            [None, key("office-hours")]
        );
        assert_eq!(
            uid_keys(&[office.clone(), main]),
            [key("office-hours"), None]
        );
        // Alone in the calendars, a named meeting keeps it too.
        let unlisted = Meeting {
            cadence: Cadence::AsNeeded,
            ..weekly(None, Weekday::Mon, "10:00")
        };
        assert_eq!(uid_keys(&[unlisted, office.clone()]), [None, None]);
        // Alike in every word: numbered in file order, never one UID for two events.
        let again = Meeting {
            zone: Some(chrono_tz::Asia::Tokyo),
            ..office.clone()
        };
        assert_eq!(
            uid_keys(&[office, again]),
            [
                key("office-hours-weekly-thursday-0930-1"),
                key("office-hours-weekly-thursday-0930-2")
            ]
        );
    }

    #[test]
    fn hosts_come_from_the_origin() {
        assert_eq!(
            host("https://groups.example.org"),
            Some("groups.example.org")
        );
        assert_eq!(host("http://127.0.0.1:8080"), Some("127.0.0.1"));
        assert_eq!(host(""), None);
    }
}

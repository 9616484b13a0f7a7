//! Warnings: what is suspicious but allowed. They never fail a command; `check` and `build` show
//! them, at the key they are about, so a reviewer can decide.

use std::collections::BTreeMap;

use chrono::{Days, Months, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::clock;
use crate::diagnostic::Diagnostic;
use crate::model::{Group, Kind, KindFields, Person, Slug, Status};
use crate::validate::GroupFile;

/// The community's creation vote runs for 72 hours.
const VOTE_DAYS: u64 = 3;
/// A facilitator on more groups than this is likely spread too thin, or listed by mistake.
const MAX_GROUPS_PER_FACILITATOR: usize = 3;

/// Every warning about the valid groups among `entries`.
pub fn groups(entries: &[GroupFile<'_>], today: NaiveDate) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for entry in entries {
        let Some(group) = entry.group else { continue };
        warnings.extend(discord(entry, group));
        warnings.extend(long_proposed(entry, group, today));
        warnings.extend(no_deliverables(entry, group));
        warnings.extend(odd_meeting_time(entry, group, today));
    }
    warnings.extend(busy_facilitators(entries));
    warnings
}

/// The community names channels `#<name>-ig` and `#<name>-wg`, so people can find them.
fn discord(entry: &GroupFile<'_>, group: &Group) -> Option<Diagnostic> {
    let channel = group.discord.as_deref()?;
    let suffix = channel_suffix(group.kind);
    let name = channel
        .strip_prefix('#')
        .and_then(|c| c.strip_suffix(suffix));
    if name.is_some_and(|n| Slug::parse(n).is_ok()) {
        return None;
    }
    let expected = format!("#{}{suffix}", group.slug);
    let d = entry.source.warning(
        &entry.spans.of("discord"),
        format!("the Discord channel `{channel}` is not named `#<name>{suffix}`"),
    );
    Some(d.with_hint(format!(
        "{} channels are named like `{expected}`; keep `{channel}` if that is where the group really talks",
        group.kind.abbreviation()
    )))
}

fn channel_suffix(kind: Kind) -> &'static str {
    match kind {
        Kind::InterestGroup => "-ig",
        Kind::WorkingGroup => "-wg",
    }
}

/// A meeting at a wall time the clocks skip or show twice on some meeting day: calendar apps
/// follow RFC 5545 (and the calendar file says how), but people reading the time may not.
fn odd_meeting_time(entry: &GroupFile<'_>, group: &Group, today: NaiveDate) -> Option<Diagnostic> {
    let meetings = group.meetings.as_ref()?;
    let zone: Tz = meetings.timezone.as_deref()?.parse().ok()?;
    let time = NaiveTime::parse_from_str(meetings.time.as_deref()?, "%H:%M").ok()?;
    let (date, resolved) = clock::first_odd_day(zone, time, today, |d| meetings.can_fall_on(d))?;
    let d = entry.source.warning(
        &entry.spans.of("meetings.time"),
        format!(
            "the meeting time {}",
            clock::explain(zone, time, date, resolved)
        ),
    );
    Some(d.with_hint(
        "choose a time the clocks never skip or repeat (they change between midnight and 03:00 in \
         most zones), or keep it: the calendar files state the rule",
    ))
}

/// A proposal is decided by a 72-hour vote; one still open a month after that was forgotten.
fn long_proposed(entry: &GroupFile<'_>, group: &Group, today: NaiveDate) -> Option<Diagnostic> {
    if group.status != Status::Proposed {
        return None;
    }
    let created = group.created?;
    let vote_ended = created.checked_add_days(Days::new(VOTE_DAYS))?;
    let forgotten_after = vote_ended.checked_add_months(Months::new(1))?;
    if forgotten_after >= today {
        return None;
    }
    let d = entry.source.warning(
        &entry.spans.of("created"),
        format!(
            "the group is still proposed, but its 72-hour vote ended on {vote_ended}, more than a month ago"
        ),
    );
    Some(d.with_hint(
        "if the vote passed, set `status = \"active\"` and `created` to the day it passed; if it did not, remove the file",
    ))
}

/// A working group exists to deliver; without a list its progress cannot be followed.
fn no_deliverables(entry: &GroupFile<'_>, group: &Group) -> Option<Diagnostic> {
    let KindFields::Working { deliverables, .. } = &group.fields else {
        return None;
    };
    if group.status != Status::Active || !deliverables.is_empty() {
        return None;
    }
    let key = if entry.spans.has("deliverables") {
        "deliverables"
    } else {
        "first_deliverable"
    };
    let d = entry.source.warning(
        &entry.spans.of(key),
        "the working group lists no `deliverables`, so its progress cannot be followed",
    );
    Some(d.with_hint(
        "add `deliverables = [{ title = \"…\", link = \"https://…\", status = \"in-progress\" }]`, starting with the first deliverable",
    ))
}

/// Facilitators listed on more than three groups that are not retired, one warning per listing.
fn busy_facilitators(entries: &[GroupFile<'_>]) -> Vec<Diagnostic> {
    let mut listings: BTreeMap<String, Vec<(&GroupFile<'_>, usize)>> = BTreeMap::new();
    for entry in entries {
        let Some(group) = entry.group.filter(|g| g.status != Status::Retired) else {
            continue;
        };
        for (i, person) in group.facilitators.iter().enumerate() {
            let list = listings.entry(identity(person)).or_default();
            // The same person twice in one group is still one group.
            if list.last().is_none_or(|(last, _)| last.stem != entry.stem) {
                list.push((entry, i));
            }
        }
    }
    let mut warnings = Vec::new();
    for list in listings.values() {
        if list.len() <= MAX_GROUPS_PER_FACILITATOR {
            continue;
        }
        let stems: Vec<&str> = list.iter().map(|(entry, _)| entry.stem).collect();
        for (entry, i) in list {
            warnings.push(busy_facilitator(entry, *i, &stems));
        }
    }
    warnings
}

fn busy_facilitator(entry: &GroupFile<'_>, index: usize, stems: &[&str]) -> Diagnostic {
    let person = &entry
        .group
        .expect("only valid groups are listed")
        .facilitators[index];
    let key = match person.github {
        Some(_) => format!("facilitators[{index}].github"),
        None => format!("facilitators[{index}].name"),
    };
    entry
        .source
        .warning(
            &entry.spans.of(&key),
            format!(
                "{} facilitates {} groups that are not retired: {}",
                person.name,
                stems.len(),
                stems.join(", ")
            ),
        )
        .with_hint("check that every listing is current, or share the role with someone else")
}

/// Who a facilitator is: their GitHub handle when given, else their name, ignoring case.
fn identity(person: &Person) -> String {
    match &person.github {
        Some(handle) => format!("@{}", handle.to_lowercase()),
        None => person
            .name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Source;
    use crate::parse;
    use std::path::PathBuf;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn warnings(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let sources: Vec<(String, Source)> = files
            .iter()
            .map(|(stem, text)| {
                let source = Source {
                    path: PathBuf::from(format!("content/groups/{stem}.md")),
                    text: (*text).into(),
                };
                (stem.to_string(), source)
            })
            .collect();
        let parsed: Vec<_> = sources
            .iter()
            .map(|(stem, source)| parse::group(source, stem))
            .collect();
        for p in &parsed {
            assert!(p.value.is_some(), "{:?}", p.diagnostics);
        }
        let entries: Vec<GroupFile<'_>> = sources
            .iter()
            .zip(&parsed)
            .map(|((stem, source), p)| GroupFile {
                stem,
                source,
                spans: &p.spans,
                strings: &p.strings,
                group: p.value.as_ref(),
            })
            .collect();
        groups(&entries, today())
    }

    fn ig(extra: &str) -> String {
        format!(
            "+++\ntitle = \"T\"\nkind = \"interest-group\"\nstatus = \"active\"\nsummary = \"S.\"\nlast_activity = 2026-11-01\nfirst_topic = \"F\"\n{extra}\n+++\n"
        )
    }

    #[test]
    fn discord_channels_follow_the_kind() {
        assert!(
            warnings(&[(
                "a",
                &ig("discord = \"#a-ig\"\nfacilitators = [{ name = \"P\" }]")
            )])
            .is_empty()
        );
        let w = warnings(&[(
            "a",
            &ig("discord = \"#a-wg\"\nfacilitators = [{ name = \"P\" }]"),
        )]);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].column), (8, 11));
        assert!(w[0].message.contains("`#<name>-ig`"), "{}", w[0].message);
    }

    #[test]
    fn a_proposal_is_forgotten_a_month_after_its_vote() {
        let proposed = |created: &str| {
            ig(&format!(
                "facilitators = [{{ name = \"P\" }}]\ncreated = {created}"
            ))
            .replace("\"active\"", "\"proposed\"")
        };
        // Vote ends 2026-10-25; a month later is 2026-11-25, which is today: not yet.
        assert!(warnings(&[("a", &proposed("2026-10-22"))]).is_empty());
        let w = warnings(&[("a", &proposed("2026-10-21"))]);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].line, 9);
    }

    #[test]
    fn facilitators_on_more_than_three_groups_are_flagged_at_each_listing() {
        let with = |other: &str, who: &str| {
            ig(&format!("facilitators = [{{ name = \"{other}\" }}, {who}]"))
        };
        let sam = ["a", "b", "c"].map(|other| with(other, "{ name = \"Sam  Morrow\" }"));
        let mut files: Vec<(&str, &str)> = vec![("a", &sam[0]), ("b", &sam[1]), ("c", &sam[2])];
        assert!(warnings(&files).is_empty());
        let by_handle = with("d", "{ name = \"Sam\", github = \"SamM\" }");
        files.push(("d", &by_handle));
        assert!(warnings(&files).is_empty(), "a handle is another identity");
        let lower = with("e", "{ name = \"sam morrow\" }");
        files.push(("e", &lower));
        let w = warnings(&files);
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(w.iter().all(|d| {
            d.message
                .contains("4 groups that are not retired: a, b, c, e")
        }));
        assert_eq!((w[0].line, w[0].column), (8, 42));
    }
}

//! Warnings: what is suspicious but allowed. They never fail a command; `check` and `build` show
//! them, at the key they are about, so a reviewer can decide.

use chrono::{Days, Months, NaiveDate};

use crate::clock;
use crate::diagnostic::Diagnostic;
use crate::model::{Group, Kind, KindFields, Meeting, Status};
use crate::validate::GroupFile;

/// The community's creation vote runs for 72 hours.
const VOTE_DAYS: u64 = 3;

/// Every warning about the valid groups among `entries`.
pub fn groups(entries: &[GroupFile<'_>], today: NaiveDate) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for entry in entries {
        let Some(group) = entry.group else { continue };
        warnings.extend(discord(entry, group));
        warnings.extend(long_proposed(entry, group, today));
        warnings.extend(no_deliverables(entry, group));
        warnings.extend(
            group
                .meetings
                .iter()
                .filter_map(|m| odd_meeting_time(entry, m, today)),
        );
    }
    warnings.extend(super::people::one_name_per_account(entries));
    warnings
}

/// A channel a member could not find as written: Discord shows names with a `#`, in lowercase,
/// with hyphens for spaces, and the community ends them `-ig` or `-wg` by the kind of group. A
/// group may talk elsewhere (the Registry WG in `#registry-dev`), so only a channel that says it
/// belongs to the other kind is flagged, unless it is that of a group this one names.
fn discord(entry: &GroupFile<'_>, group: &Group) -> Option<Diagnostic> {
    let channel = group.discord.as_deref()?;
    let own = format!("#{}{}", group.slug, channel_suffix(group.kind));
    let (message, hint) = match channel.strip_prefix('#') {
        None if channel.contains("://") || channel.starts_with("discord.") => (
            format!("`discord` is `{channel}`, an address rather than a channel's name"),
            format!("write the channel's name as Discord shows it, such as `{own}`"),
        ),
        None => (
            format!("the Discord channel `{channel}` has no `#`"),
            suggestion(channel, &own),
        ),
        Some(name) if !is_channel_name(name) => (
            format!(
                "`{channel}` is not a Discord channel name: names are lowercase, with hyphens for spaces"
            ),
            suggestion(name, &own),
        ),
        Some(name) => return other_kinds_channel(entry, group, channel, name, &own),
    };
    let at = entry.spans.of("discord");
    Some(entry.source.warning(&at, message).with_hint(hint))
}

/// `name` as Discord would show it when that is a channel's name, else the group's own channel.
fn suggestion(name: &str, own: &str) -> String {
    let shown = channel_name(name);
    if is_channel_name(&shown) {
        format!("did you mean `#{shown}`?")
    } else {
        format!("write one channel's name as Discord shows it, such as `{own}`")
    }
}

/// A warning when `name` ends like the other kind's channels, such as `-ig` on a working group,
/// and is not the channel of a group named in `origin_group` or `related`. `own` is the channel
/// the group would have by the convention.
fn other_kinds_channel(
    entry: &GroupFile<'_>,
    group: &Group,
    channel: &str,
    name: &str,
    own: &str,
) -> Option<Diagnostic> {
    let (other, this) = match group.kind {
        Kind::InterestGroup => (Kind::WorkingGroup, "an interest group"),
        Kind::WorkingGroup => (Kind::InterestGroup, "a working group"),
    };
    let suffix = channel_suffix(other);
    let owner = name.strip_suffix(suffix)?;
    let mut named = group.origin_group().into_iter().chain(&group.related);
    if named.any(|slug| slug.as_str() == owner) {
        return None;
    }
    let hint = if owner == group.slug.as_str() {
        format!("did you mean `{own}`?")
    } else {
        format!(
            "write the group's own channel, such as `{own}`; if the group really talks in `{channel}`, name `{owner}` in `related`"
        )
    };
    let d = entry.source.warning(
        &entry.spans.of("discord"),
        format!(
            "the Discord channel `{channel}` ends in `{suffix}`, like {} channels, but this is {this}",
            other.abbreviation()
        ),
    );
    Some(d.with_hint(hint))
}

fn channel_suffix(kind: Kind) -> &'static str {
    match kind {
        Kind::InterestGroup => "-ig",
        Kind::WorkingGroup => "-wg",
    }
}

/// A meeting at a wall time the clocks skip or show twice on some meeting day: calendar apps
/// follow RFC 5545 (and the calendar file says how), but people reading the time may not.
fn odd_meeting_time(
    entry: &GroupFile<'_>,
    meeting: &Meeting,
    today: NaiveDate,
) -> Option<Diagnostic> {
    let (zone, time) = (meeting.zone?, meeting.time?);
    let (date, resolved) = clock::first_odd_day(zone, time, today, |d| meeting.can_fall_on(d))?;
    let d = entry.source.warning(
        &entry.spans.of(&format!("{}.time", meeting.key)),
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

/// Discord lowercases names and turns spaces into hyphens; it allows letters of any script,
/// digits and emoji, so only what it would change, or what marks a list or an address, is wrong.
fn is_channel_name(name: &str) -> bool {
    !name.is_empty() && channel_name(name) == name && !name.contains([',', '#', '/', '@'])
}

/// `name` as Discord would make it: lowercase, each run of spaces one hyphen.
fn channel_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
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

    /// An active group with its kind's `own` key on line 7 and `extra` keys from line 8; it meets,
    /// as an active IG must meet or have a channel.
    fn group(kind: &str, own: &str, extra: &str) -> String {
        format!(
            "+++\ntitle = \"T\"\nkind = \"{kind}\"\nstatus = \"active\"\nsummary = \"S.\"\nlast_activity = 2026-11-01\n{own}\n{extra}\n[meetings]\nevery_weeks = 2\n+++\n"
        )
    }

    fn ig(extra: &str) -> String {
        group("interest-group", "first_topic = \"F\"", extra)
    }

    /// A working group with its deliverables after `extra`.
    fn wg(extra: &str) -> String {
        let deliverables =
            "first_deliverable = { title = \"SEP-1\" }\ndeliverables = [{ title = \"SEP-1\" }]";
        group(
            "working-group",
            "use_cases = \"U\"",
            &format!("{extra}\n{deliverables}"),
        )
    }

    /// The warning about `discord = "{channel}"` (with `extra` keys) in group `a`, as
    /// "message / hint", if any.
    fn channel_warning(kind: Kind, channel: &str, extra: &str) -> Option<String> {
        let keys = format!("discord = \"{channel}\"\nfacilitators = [{{ name = \"P\" }}]\n{extra}");
        let text = match kind {
            Kind::InterestGroup => ig(&keys),
            Kind::WorkingGroup => wg(&keys),
        };
        let found = warnings(&[
            ("a", &text),
            ("b", &ig("facilitators = [{ name = \"Q\" }]")),
        ]);
        assert!(found.len() <= 1, "{found:?}");
        let w = found.first()?;
        assert_eq!((w.path.to_str(), w.line), (Some("content/groups/a.md"), 8));
        Some(format!(
            "{} / {}",
            w.message,
            w.hint.as_deref().unwrap_or_default()
        ))
    }

    #[test]
    fn channels_where_groups_really_talk_pass() {
        use Kind::*;
        for (kind, channel, extra) in [
            (InterestGroup, "#a-ig", ""),
            (WorkingGroup, "#a-wg", ""),
            // The Registry and SDK working groups talk in channels named otherwise.
            (WorkingGroup, "#registry-dev", ""),
            (WorkingGroup, "#general-sdk-dev", ""),
            (WorkingGroup, "#café-ig-notes", ""),
            // A WG may talk in the channel of an interest group it names.
            (WorkingGroup, "#b-ig", "related = [\"b\"]"),
            (WorkingGroup, "#b-ig", "origin_group = \"b\""),
        ] {
            assert_eq!(channel_warning(kind, channel, extra), None, "{channel}");
        }
    }

    #[test]
    fn channels_no_one_could_find_are_flagged() {
        use Kind::*;
        for (kind, channel, expected) in [
            (
                InterestGroup,
                "a-ig",
                "the Discord channel `a-ig` has no `#` / did you mean `#a-ig`?",
            ),
            (
                InterestGroup,
                "#Security IG",
                "`#Security IG` is not a Discord channel name: names are lowercase, with hyphens for spaces / did you mean `#security-ig`?",
            ),
            (
                InterestGroup,
                "#a-ig, #b-ig",
                "`#a-ig, #b-ig` is not a Discord channel name: names are lowercase, with hyphens for spaces / write one channel's name as Discord shows it, such as `#a-ig`",
            ),
            (
                WorkingGroup,
                "https://discord.com/channels/1/2",
                "`discord` is `https://discord.com/channels/1/2`, an address rather than a channel's name / write the channel's name as Discord shows it, such as `#a-wg`",
            ),
            (
                InterestGroup,
                "#a-wg",
                "the Discord channel `#a-wg` ends in `-wg`, like WG channels, but this is an interest group / did you mean `#a-ig`?",
            ),
            (
                WorkingGroup,
                "#b-ig",
                "the Discord channel `#b-ig` ends in `-ig`, like IG channels, but this is a working group / write the group's own channel, such as `#a-wg`; if the group really talks in `#b-ig`, name `b` in `related`",
            ),
        ] {
            let found = channel_warning(kind, channel, "");
            assert_eq!(found.as_deref(), Some(expected), "{channel}");
        }
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
}

//! `groupdir stale`: the groups a moderator should look at, most overdue first.

use std::fmt::Write;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::SiteArgs;
use crate::Error;
use crate::activity::Event;
use crate::compute::{self, Freshness};
use crate::evidence::Reading;
use crate::horizon::Horizon;
use crate::model::{Group, Person, Status};
use crate::pipeline;
use crate::site::Site;
use crate::text::printable;
use crate::view::Record;

/// How `stale` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One block per group, for a person.
    Text,
    /// The groups' `groups.json` objects: `groups` (stale, at risk, completed) and `unknown`.
    Json,
    /// Where the group files differ from their charters and the maintainers file, as a JSON array.
    Drift,
}

#[derive(Args, Debug, Clone)]
pub struct StaleArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when any group is stale
    #[arg(long)]
    pub fail: bool,
}

/// Prints the report; the exit status is 1 with `--fail` when any group is stale.
pub fn run(args: &StaleArgs) -> Result<u8, Error> {
    let loaded = pipeline::load(&args.site.request(args.site.today()?), None)?;
    let site = &loaded.site;
    let watched = watched(site);
    let report = match args.format {
        Format::Text => text(site, &watched) + &super::stale_drift::text(&loaded),
        Format::Json => json(site, &watched) + "\n",
        Format::Drift => super::stale_drift::json(&loaded),
    };
    print!("{report}");
    // An unknown group is not stale: its silence may be the sync's.
    let any_stale = watched.iter().any(|w| w.freshness.stale);
    Ok(if args.fail && any_stale { 1 } else { 0 })
}

/// A group a moderator should look at: stale, at risk, or done with its work, with its
/// freshness as of the site's today.
pub struct Watched<'a> {
    pub group: &'a Group,
    pub freshness: Freshness,
    /// A working group whose deliverables are all done: "completed: consider retiring".
    pub completed: bool,
    /// Past meetings with no notes within 48 hours.
    pub notes_missing: Vec<NaiveDate>,
}

/// The stale, at-risk and completed groups, most overdue first (relative to their own threshold).
pub fn watched(site: &Site) -> Vec<Watched<'_>> {
    let mut watched: Vec<Watched<'_>> = site
        .groups
        .iter()
        .map(|group| Watched {
            group,
            freshness: site.freshness(group),
            completed: compute::completed(group),
            notes_missing: crate::view::notes_missing(site, group),
        })
        .filter(|w| {
            let f = &w.freshness;
            f.stale || f.at_risk || f.unknown || w.completed || !w.notes_missing.is_empty()
        })
        .collect();
    watched.sort_by(|a, b| {
        b.freshness
            .overdue()
            .cmp(&a.freshness.overdue())
            .then_with(|| a.group.slug.cmp(&b.group.slug))
    });
    watched
}

/// How far the evidence of the groups with sources reaches: the oldest group horizon, and
/// whether some group's sources were never read.
fn oldest_horizon(site: &Site) -> (Option<Horizon>, bool) {
    let horizons: Vec<Option<Horizon>> = (site.groups.iter())
        .filter(|g| !g.sources.is_empty() && g.status != Status::Retired)
        .map(|g| site.freshness(g).horizon)
        .collect();
    let never = horizons.iter().any(Option::is_none);
    let oldest = horizons
        .into_iter()
        .flatten()
        .min_by_key(|h| (h.day(), h.to_string()));
    (oldest, never)
}

/// The first line's clause on the evidence: "activity read from GitHub up to …", or, when the
/// oldest horizon is a hand-seeded record's, "activity on public record up to …".
fn evidence_clause(site: &Site) -> String {
    let how = |h: Horizon| match h {
        Horizon::Read(_) => "read from GitHub",
        Horizon::Reached(_) => "on public record",
    };
    match oldest_horizon(site) {
        (None, false) => String::new(),
        (Some(h), false) => format!(
            " (activity {} up to {}, the oldest horizon)",
            how(h),
            h.day()
        ),
        (Some(h), true) => format!(
            " (activity {} up to {}, the oldest horizon; some sources never read)",
            how(h),
            h.day()
        ),
        (None, true) => " (the groups' sources were never read from GitHub)".to_string(),
    }
}

/// The report for a person: one block per group, aligned, with what a moderator acts on; the
/// groups whose verdict is unknown come apart, after the others.
pub fn text(site: &Site, watched: &[Watched<'_>]) -> String {
    let count = |keep: fn(&Watched<'_>) -> bool| watched.iter().filter(|w| keep(w)).count();
    let stale = count(|w| w.freshness.stale);
    let at_risk = count(|w| w.freshness.at_risk);
    let unknown = count(|w| w.freshness.unknown);
    let completed = count(|w| w.completed);
    let notes = count(|w| !w.notes_missing.is_empty());
    let evidence = evidence_clause(site);
    let mut out = String::new();
    if watched.is_empty() {
        let _ = writeln!(
            out,
            "No stale or at-risk groups on {}{evidence}.",
            site.today
        );
        return out;
    }
    let _ = write!(
        out,
        "Stale and at-risk groups on {}{evidence}: {stale} stale, {at_risk} at risk",
        site.today,
    );
    if unknown > 0 {
        let _ = write!(out, ", {unknown} unknown");
    }
    if completed > 0 {
        let _ = write!(out, ", {completed} completed");
    }
    if notes > 0 {
        let _ = write!(out, ", {notes} with meeting notes missing");
    }
    out.push('\n');
    for w in watched.iter().filter(|w| !w.freshness.unknown) {
        out.push('\n');
        block(&mut out, site, w);
    }
    if unknown > 0 {
        let _ = writeln!(
            out,
            "\nNot read since their horizon, so neither active nor stale (fix the sync, not the groups):"
        );
        for w in watched.iter().filter(|w| w.freshness.unknown) {
            out.push('\n');
            block(&mut out, site, w);
        }
    }
    out
}

fn block(out: &mut String, site: &Site, w: &Watched<'_>) {
    let group = w.group;
    let f = &w.freshness;
    let verdict = match (f.stale, f.at_risk, f.unknown) {
        (true, _, _) => "STALE",
        (_, true, _) => "AT RISK",
        (_, _, true) => "UNKNOWN",
        _ if w.completed => "COMPLETE",
        _ => "NOTES",
    };
    let _ = writeln!(
        out,
        "{verdict:<8} {} ({})",
        printable(&group.title),
        group.kind.abbreviation()
    );
    let events = site.events(group);
    let mut rows = vec![
        ("last activity", last_activity(w)),
        ("from", evidence(group, events, f.last_activity)),
        ("verdict", f.reason(group.status)),
    ];
    if !group.sources.is_empty() {
        let read = f
            .horizon
            .map_or_else(|| "never".to_string(), |h| h.to_string());
        rows.push(("read", read));
    }
    if let Some(rule) = f.governance_rule {
        let issue_or_pr = match rule.last_issue_or_pull_request {
            Some(date) => format!(
                "{date}, {} ago: {} (the governance rule)",
                days_text(rule.days_without.unwrap_or_default()),
                standing(w)
            ),
            None => "none on record: stale by the governance rule".to_string(),
        };
        rows.push(("issues and PRs", issue_or_pr));
    }
    if w.completed {
        rows.push((
            "completed",
            "every deliverable is done: consider retiring".to_string(),
        ));
    }
    if !w.notes_missing.is_empty() {
        let dates: Vec<String> = w.notes_missing.iter().map(|d| d.to_string()).collect();
        rows.push((
            "meetings",
            format!("notes missing for {}", dates.join(", ")),
        ));
    }
    rows.extend([
        ("facilitators", people(&group.facilitators)),
        (
            "discord",
            group
                .discord
                .clone()
                .unwrap_or_else(|| "none listed".to_string()),
        ),
        ("page", site.group_url(&group.slug)),
        ("file", group.path.display().to_string()),
    ]);
    for (label, value) in rows {
        // Values from the files, escaped: a line break in a title must not start a line of its own.
        let _ = writeln!(out, "         {label:<14} {}", printable(&value));
    }
}

/// The last activity and, unless the governance rule judges the group, where it stands.
fn last_activity(w: &Watched<'_>) -> String {
    let f = &w.freshness;
    let Some(last) = f.last_activity else {
        return "never".to_string();
    };
    let ago = format!(
        "{last}, {} ago",
        days_text(f.days_inactive.unwrap_or_default())
    );
    if f.governance_rule.is_some() || !(f.stale || f.at_risk || f.unknown) {
        ago
    } else {
        format!("{ago}: {}", standing(w))
    }
}

/// How far past (or short of) its threshold the group is.
fn standing(w: &Watched<'_>) -> String {
    let threshold = w.freshness.threshold_days;
    if w.freshness.unknown {
        format!("past the {threshold}-day threshold as far as it was read; not read since")
    } else if w.freshness.stale {
        format!(
            "{} past the {threshold}-day threshold",
            days_text(w.freshness.overdue())
        )
    } else if w.freshness.at_risk {
        format!(
            "stale in {} ({threshold}-day threshold)",
            days_text(1 - w.freshness.overdue())
        )
    } else {
        format!("within the {threshold}-day threshold")
    }
}

/// The record the last activity comes from: a synced event first (a public record), then an
/// `[[activity]]` entry, then the `last_activity` field.
fn evidence(group: &Group, events: &[Event], date: Option<NaiveDate>) -> String {
    let Some(date) = date else {
        return "nothing recorded".to_string();
    };
    if let Some(e) = events.iter().find(|e| e.date == date) {
        return format!("{} “{}” {} ({})", e.kind.label(), e.title, e.url, e.source);
    }
    if let Some(a) = group.activity.iter().find(|a| a.date == date) {
        let link = a
            .link
            .as_ref()
            .map_or_else(String::new, |l| format!(" {l}"));
        return format!("[[activity]] “{}”{link}", a.what);
    }
    "`last_activity` in the group file".to_string()
}

fn days_text(days: i64) -> String {
    crate::diagnostic::count(days, "day")
}

fn people(people: &[Person]) -> String {
    people
        .iter()
        .map(|p| match &p.github {
            Some(handle) => format!("{} (@{handle})", p.name),
            None => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report for machines: the same objects as `groups.json`, the stale, at-risk and
/// completed groups under `groups`, the unknown ones apart under `unknown`, with how far the
/// evidence reaches.
#[derive(Serialize)]
struct Report<'a> {
    today: NaiveDate,
    /// The oldest horizon of the groups with sources; none when one was never read.
    horizon: Option<Horizon>,
    /// When GitHub was last read at all, and whether that is past the grace period.
    reading: Option<Reading>,
    groups: Vec<Record<'a>>,
    unknown: Vec<Record<'a>>,
}

pub fn json(site: &Site, watched: &[Watched<'_>]) -> String {
    let records = |unknown: bool| -> Vec<_> {
        (watched.iter())
            .filter(|w| w.freshness.unknown == unknown)
            .map(|w| Record::of(site, w.group))
            .collect()
    };
    let (oldest, never) = oldest_horizon(site);
    let report = Report {
        today: site.today,
        horizon: oldest.filter(|_| !never),
        reading: Reading::of(site),
        groups: records(false),
        unknown: records(true),
    };
    String::from_utf8(crate::text::to_json_pretty(&report)).expect("JSON is UTF-8")
}

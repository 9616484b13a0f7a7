//! `groupdir stale`: the groups a moderator should look at, most overdue first.

use std::fmt::Write;

use clap::{Args, ValueEnum};

use super::SiteArgs;
use crate::Error;
use crate::compute::Freshness;
use crate::model::{Group, Person};
use crate::pipeline;
use crate::site::Site;
use crate::view::Record;

/// How `stale` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One block per group, for a person.
    Text,
    /// The groups' `groups.json` objects, as a JSON array.
    Json,
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
        Format::Text => text(site, &watched),
        Format::Json => json(site, &watched) + "\n",
    };
    print!("{report}");
    let any_stale = watched.iter().any(|w| w.freshness.stale);
    Ok(if args.fail && any_stale { 1 } else { 0 })
}

/// A group that is stale or at risk, with its freshness as of the site's today.
pub struct Watched<'a> {
    pub group: &'a Group,
    pub freshness: Freshness,
}

impl Watched<'_> {
    /// Days past the threshold: positive when stale, zero or negative while at risk.
    fn overdue(&self) -> i64 {
        self.freshness.days_inactive.unwrap_or_default() - i64::from(self.freshness.threshold_days)
    }
}

/// The stale and at-risk groups, most overdue first (relative to their own threshold).
pub fn watched(site: &Site) -> Vec<Watched<'_>> {
    let mut watched: Vec<Watched<'_>> = site
        .groups
        .iter()
        .map(|group| Watched {
            group,
            freshness: site.freshness(group),
        })
        .filter(|w| w.freshness.stale || w.freshness.at_risk)
        .collect();
    watched.sort_by(|a, b| {
        b.overdue()
            .cmp(&a.overdue())
            .then_with(|| a.group.slug.cmp(&b.group.slug))
    });
    watched
}

/// The report for a person: one block per group, aligned, with what a moderator acts on.
pub fn text(site: &Site, watched: &[Watched<'_>]) -> String {
    let stale = watched.iter().filter(|w| w.freshness.stale).count();
    let mut out = String::new();
    if watched.is_empty() {
        let _ = writeln!(out, "No stale or at-risk groups on {}.", site.today);
        return out;
    }
    let _ = writeln!(
        out,
        "Stale and at-risk groups on {}: {stale} stale, {} at risk",
        site.today,
        watched.len() - stale
    );
    for w in watched {
        out.push('\n');
        block(&mut out, site, w);
    }
    out
}

fn block(out: &mut String, site: &Site, w: &Watched<'_>) {
    let group = w.group;
    let f = &w.freshness;
    let verdict = if f.stale { "STALE" } else { "AT RISK" };
    let days = f.days_inactive.unwrap_or_default();
    let last = f
        .last_activity
        .map_or_else(|| "never".to_string(), |d| d.to_string());
    let standing = if f.stale {
        format!(
            "{} past the {}-day threshold",
            days_text(w.overdue()),
            f.threshold_days
        )
    } else {
        format!(
            "stale in {} ({}-day threshold)",
            days_text(1 - w.overdue()),
            f.threshold_days
        )
    };
    let _ = writeln!(
        out,
        "{verdict:<8} {} ({})",
        group.title,
        group.kind.abbreviation()
    );
    let rows = [
        (
            "last activity",
            format!("{last}, {} ago: {standing}", days_text(days)),
        ),
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
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "         {label:<14} {value}");
    }
}

fn days_text(days: i64) -> String {
    if days == 1 {
        "1 day".to_string()
    } else {
        format!("{days} days")
    }
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

/// The same objects as `groups.json`, for these groups only.
pub fn json(site: &Site, watched: &[Watched<'_>]) -> String {
    let records: Vec<_> = watched.iter().map(|w| Record::of(site, w.group)).collect();
    serde_json::to_string_pretty(&records).expect("plain data serialises")
}

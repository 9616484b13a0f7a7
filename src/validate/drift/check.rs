//! `check`'s entry to the drift rules: the stored records read, every drift found, and the
//! warnings shown for those the settings do not list as explained.

use chrono::NaiveDate;

use super::{Drift, MaintainersFile, drifts};
use crate::diagnostic::{Diagnostic, Position};
use crate::records::Records;
use crate::validate::GroupFile;

/// What the records say about the site: the snapshots, every drift, and the diagnostics to show.
pub struct Checked {
    pub records: Records,
    pub drifts: Vec<Drift>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `data/charters.toml` and checks every group file against it: each drift the settings
/// do not list as explained is a warning, and so is an explained one that no longer drifts.
pub fn check(
    root: &std::path::Path,
    settings: &crate::config::Settings,
    entries: &[GroupFile<'_>],
    today: NaiveDate,
    is_group: impl Fn(&str) -> bool,
) -> Result<Checked, crate::Error> {
    let (records, mut diagnostics) = Records::read(root, is_group)?;
    let site_toml = crate::load::display_path(root, &root.join(crate::config::FILE_NAME));
    // Only to point at a line, and only when the settings use the records: read as the settings
    // were (never through a link, a regular file of limited size), and only then.
    let uses_records = settings.maintainers.is_some() || !settings.drift.explained.is_empty();
    let text = match uses_records {
        true => {
            match crate::load::read_optional_text(root, &root.join(crate::config::FILE_NAME))? {
                Some(Ok(source)) => source.text.to_string(),
                _ => String::new(),
            }
        }
        false => String::new(),
    };
    let line_of = |key: &str| {
        text.lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(Position::START, |i| Position {
                line: i + 1,
                column: 1,
            })
    };
    let maintainers = settings.maintainers.as_ref().map(|source| MaintainersFile {
        source,
        path: site_toml.clone(),
        position: line_of("maintainers"),
    });
    let drifts = drifts(entries, &records, maintainers.as_ref(), today);
    let explained = &settings.drift.explained;
    diagnostics.extend(
        drifts
            .iter()
            .filter(|d| !explained.contains(&d.key()))
            .map(Drift::diagnostic),
    );
    // Only with the records at hand can an explanation be found stale.
    let has_records = !records.charters.is_empty() || records.maintainers.is_some();
    for key in explained.iter().filter(|_| has_records) {
        if !drifts.iter().any(|d| &d.key() == key) {
            diagnostics.push(
                Diagnostic::warning(
                    &site_toml,
                    line_of("explained"),
                    format!("the explained drift \"{key}\" is no longer found"),
                )
                .with_hint(
                    "remove it from [drift] explained, and its explanation from content/sources.md",
                ),
            );
        }
    }
    Ok(Checked {
        records,
        drifts,
        diagnostics,
    })
}

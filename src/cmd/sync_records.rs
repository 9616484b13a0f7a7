//! The part of `groupdir sync` that reads the community's records: each group's charter and the
//! maintainers file, into `data/charters.toml`, and each charter's changelog date as an event.

use std::collections::BTreeSet;
use std::path::Path;

use crate::activity::ActivityFile;
use crate::load::display_path;
use crate::model::Status;
use crate::pipeline::Loaded;
use crate::records::{FILE, Records};
use crate::sync::charters::{self as records, RecordsReport};
use crate::sync::client::Client;

/// Reads the records of every group that is not retired and names a charter, and the maintainers
/// file the settings name. Retired groups keep the snapshot they had.
pub fn run(
    loaded: &Loaded,
    activity: &mut ActivityFile,
    client: &mut Client,
) -> (Records, RecordsReport) {
    let site = &loaded.site;
    let groups: Vec<_> = (site.groups.iter())
        .filter(|g| g.status != Status::Retired)
        .filter_map(|g| Some((&g.slug, g.sources.charter.as_ref()?)))
        .collect();
    let keep: BTreeSet<_> = (site.groups.iter())
        .filter(|g| g.status == Status::Retired)
        .map(|g| g.slug.clone())
        .collect();
    records::sync(
        &groups,
        site.settings.maintainers.as_ref(),
        &keep,
        &loaded.records,
        activity,
        client,
    )
}

/// Prints what was read and what failed; returns whether anything failed.
pub fn print(root: &Path, report: &RecordsReport, written: bool) -> bool {
    if report.files == 0 {
        return false;
    }
    let file = display_path(root, &root.join(FILE));
    let state = if written { "updated" } else { "unchanged" };
    eprintln!(
        "{}: {state} ({} records read)",
        file.display(),
        report.files
    );
    for failure in &report.failures {
        eprintln!(
            "error: {}: {}: {}; its previous snapshot in {} is kept",
            failure.group,
            failure.source,
            failure.why,
            file.display()
        );
    }
    if let Some((name, why)) = &report.maintainers_failure {
        eprintln!(
            "error: {name}: {why}; its previous snapshot in {} is kept",
            file.display()
        );
    }
    !report.failures.is_empty() || report.maintainers_failure.is_some()
}

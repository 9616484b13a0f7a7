//! The part of `groupdir stale` that reports where the group files differ from the community's
//! records (the charters, the maintainers file): a section of the text report, and JSON for the
//! moderators' weekly issue (`--format drift`).

use std::fmt::Write;

use serde::Serialize;

use crate::pipeline::Loaded;
use crate::text::printable;
use crate::validate::drift::Drift;

/// One drift as the weekly issue reads it.
#[derive(Serialize)]
struct Entry<'a> {
    #[serde(flatten)]
    drift: &'a Drift,
    key: String,
    file: String,
    line: usize,
    /// Listed in site.toml's `[drift] explained`: the record's own inconsistency.
    explained: bool,
}

fn explained(loaded: &Loaded, drift: &Drift) -> bool {
    loaded.site.settings.drift.explained.contains(&drift.key())
}

/// The "differs from its charter" section of the text report; empty when nothing differs.
pub fn text(loaded: &Loaded) -> String {
    let drifts = &loaded.drifts;
    let mut out = String::new();
    if drifts.is_empty() {
        return out;
    }
    let known = drifts.iter().filter(|d| explained(loaded, d)).count();
    let _ = write!(
        out,
        "\nDiffers from its charter or the maintainers file: {}",
        drifts.len()
    );
    if known > 0 {
        let _ = write!(out, " ({known} explained in site.toml)");
    }
    out.push('\n');
    for d in drifts {
        let mark = if explained(loaded, d) {
            " (explained)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\n{:<8} {}{mark}\n         {:<14} {}:{}:{}\n         {:<14} {}",
            "DIFFERS",
            printable(&d.message),
            "file",
            d.path.display(),
            d.position.line,
            d.position.column,
            "key",
            printable(&d.key()),
        );
    }
    out
}

/// Every drift as a JSON array, for the weekly issue.
pub fn json(loaded: &Loaded) -> String {
    let entries: Vec<Entry<'_>> = loaded
        .drifts
        .iter()
        .map(|d| Entry {
            drift: d,
            key: d.key(),
            file: d.path.display().to_string(),
            line: d.position.line,
            explained: explained(loaded, d),
        })
        .collect();
    String::from_utf8(crate::text::to_json_pretty(&entries)).expect("JSON is UTF-8") + "\n"
}

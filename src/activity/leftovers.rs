//! What killed syncs left beside the data file: their temporary files, which no later sync would
//! otherwise remove.

use std::path::Path;
use std::time::Duration;

/// How old a sync's temporary file must be to go even though a process of its id runs: writing
/// takes milliseconds, and a process id is used again once its process ended.
const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Removes the temporary files that killed syncs left in `dir`: only regular files named exactly
/// as a sync names its own (`.activity.toml.<pid>.tmp`), of a process that no longer runs or
/// older than [`STALE_AFTER`]; never this sync's own.
pub(super) fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = (name.to_str())
            .and_then(|n| n.strip_prefix(".activity.toml.")?.strip_suffix(".tmp"))
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if meta.is_file() && pid != std::process::id() && (!crate::load::is_running(pid) || old) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

//! Where a slow build spends its time, measured on the user's own machine and site.

use std::time::Instant;

/// Per-stage wall times on stderr when `GROUPDIR_TIMINGS` is set: the cheap way to see where a
/// slow build spends its time, on the user's own machine and site.
pub struct Timings {
    last: Option<Instant>,
}

impl Timings {
    pub fn start() -> Timings {
        Timings {
            last: std::env::var_os("GROUPDIR_TIMINGS").map(|_| Instant::now()),
        }
    }

    /// Prints the time since the previous lap (or the start) under `stage`.
    pub fn lap(&mut self, stage: &str) {
        if let Some(last) = &mut self.last {
            let ms = last.elapsed().as_secs_f64() * 1e3;
            eprintln!("timing: {stage:<32} {ms:>9.1} ms {}", peak_memory());
            *last = Instant::now();
        }
    }
}

/// The process's peak memory so far, where the system tells it (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("(peak memory {} MiB)", kib / 1024))
        })
        .unwrap_or_default()
}

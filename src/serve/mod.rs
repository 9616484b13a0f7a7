//! The preview server: build the site into memory, serve it, rebuild on every change and tell the
//! open pages to reload.
//!
//! It runs the same pipeline as `build` (`pipeline::run`), into memory instead of `write`:
//! nothing is written to disk, so the sources and any `public/` stay as they are. The last good
//! site is one immutable value behind an `Arc`, replaced whole after a successful rebuild, so no
//! request ever sees a half-built site. All state lives in one [`Shared`] value owned by the
//! server, so a process (or a test) can run two servers at once.

mod http;
mod rebuild;
mod report;
mod watch;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::Error;
use crate::diagnostic::{Diagnostic, count, human};
use crate::today::Today;
use rebuild::{Change, Files, Rebuilder, Snapshot};
use report::error_text;

/// What `groupdir serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port; the address is printed either way.
    pub port: u16,
    /// Where each rebuild takes its day from.
    pub today: Today,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Poll the files instead of relying on file-system events.
    pub poll: bool,
}

/// The server's state: what it serves now, and the channel that tells open pages about changes.
pub(crate) struct Shared {
    /// Tells this server's snapshots from those of an earlier run, so a page that reconnects
    /// after a restart reloads.
    id: u64,
    snapshot: RwLock<Arc<Snapshot>>,
    /// The address the server listens on: requests must name it, or this machine.
    bind: IpAddr,
    /// The generation of the latest snapshot and what changed to reach it.
    notices: tokio::sync::watch::Sender<(u64, Change)>,
}

impl Shared {
    fn new(snapshot: Snapshot, bind: IpAddr) -> Shared {
        let (notices, _) = tokio::sync::watch::channel((snapshot.generation, Change::Reload));
        let id = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Shared {
            id,
            snapshot: RwLock::new(Arc::new(snapshot)),
            bind,
            notices,
        }
    }

    /// The snapshot to answer a request from; it stays whole even if a rebuild lands meanwhile.
    pub(crate) fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The version a page served from snapshot `generation` reports when it connects.
    pub(crate) fn version(&self, generation: u64) -> String {
        format!("{:x}.{generation}", self.id)
    }

    /// Publishes the result of a rebuild and tells the open pages what to do about it.
    fn publish(&self, result: &Result<Arc<Files>, Error>) -> Change {
        let current = self.current();
        let Some(next) = current.next(result) else {
            return Change::None;
        };
        let change = next.change.clone();
        let generation = next.generation;
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        self.notices.send_replace((generation, change.clone()));
        change
    }
}

/// Runs `groupdir serve` until Ctrl-C. Fails with a usage error when the address is taken or the
/// root is not a site; content errors do not stop it: they are shown in the served pages.
pub fn serve(options: &ServeOptions) -> Result<(), Error> {
    let listener = bind(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Usage(e.to_string()))?;

    let watching = watch::Watching::start(&options.root, options.poll)?;
    let preview = Preview::start(
        &options.root,
        options.today.clone(),
        address.ip(),
        &page_url(address, ""),
    )?;
    let _watching = watching.spawn({
        let preview = Arc::clone(&preview);
        move |changed| preview.rebuild(Some(changed))
    })?;
    let _midnight = preview.follow_the_day(&options.root)?;

    let shared = Arc::clone(&preview.shared);
    let url = page_url(address, &shared.current().files.base_path);
    if address.ip().is_loopback() {
        eprintln!(
            "serving {} at {url} (Ctrl-C to stop)",
            options.root.display()
        );
    } else {
        eprintln!(
            "serving {} at {url}, listening on {address} (Ctrl-C to stop)",
            options.root.display()
        );
        eprintln!(
            "warning: {address} is reachable from the network: anyone who can reach this machine can read the preview; leave out --bind to keep it on this machine"
        );
    }
    if options.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("warning: could not open a browser: {e}");
    }
    http::run(listener, shared).map_err(|e| Error::io(url, e))?;
    eprintln!("stopped; nothing was written");
    Ok(())
}

/// The preview: what the server shows, and the rebuilder that makes the next version of it, for
/// the file watcher and the midnight timer alike.
struct Preview {
    shared: Arc<Shared>,
    rebuilder: Mutex<Rebuilder>,
    today: Today,
}

/// The longest the midnight timer sleeps at a time: a machine that slept through midnight
/// rebuilds within this much of waking.
const LONGEST_NAP: Duration = Duration::from_secs(60);

impl Preview {
    /// Builds the site the first time, to serve on `bind` at `origin`. Usage and I/O errors stop
    /// the server; content errors are shown in its pages.
    fn start(root: &Path, today: Today, bind: IpAddr, origin: &str) -> Result<Arc<Preview>, Error> {
        let mut rebuilder = Rebuilder::new(root, today.clone(), origin);
        let first = match rebuilder.build(None) {
            Err(error @ (Error::Usage(_) | Error::Io { .. })) => return Err(error),
            built_or_content_errors => built_or_content_errors,
        };
        report(&first, None, None);
        Ok(Arc::new(Preview {
            shared: Arc::new(Shared::new(Snapshot::first(&first), bind)),
            rebuilder: Mutex::new(rebuilder),
            today,
        }))
    }

    /// Rebuilds after `changed` (paths relative to the root), or everything when `None`, and
    /// tells the open pages.
    fn rebuild(&self, changed: Option<&[PathBuf]>) {
        let started = std::time::Instant::now();
        let before = self.shared.current();
        // Held until published, so a midnight rebuild and a save cannot publish out of order.
        let mut rebuilder = self.rebuilder.lock().unwrap_or_else(|e| e.into_inner());
        let result = rebuilder.build(changed);
        // Pages first, the terminal after: printing can take longer than the rebuild.
        let change = self.shared.publish(&result);
        drop(rebuilder);
        let elapsed = started.elapsed();
        report(&result, changed, Some(&before.files));
        report_change(&change, elapsed);
    }

    /// Rebuilds whenever the clock passes midnight UTC, so the staleness shown is today's; for a
    /// fixed day (`--now`, `SOURCE_DATE_EPOCH`) there is nothing to follow.
    fn follow_the_day(self: &Arc<Self>, root: &Path) -> Result<Option<JoinHandle<()>>, Error> {
        if self.today.until_tomorrow().is_none() {
            return Ok(None);
        }
        let preview = Arc::clone(self);
        std::thread::Builder::new()
            .name("groupdir-midnight".to_string())
            .spawn(move || {
                while let Some(wait) = preview.today.until_tomorrow() {
                    std::thread::sleep(wait.min(LONGEST_NAP));
                    let day = preview.today.date();
                    let built_for = preview
                        .rebuilder
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .day();
                    if built_for != day {
                        eprintln!("a new day, {day}: rebuilding");
                        preview.rebuild(None);
                    }
                }
            })
            .map(Some)
            .map_err(|e| Error::io(root, e))
    }
}

fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, Error> {
    let address = SocketAddr::new(ip, port);
    TcpListener::bind(address).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => "the port is already in use".to_string(),
            std::io::ErrorKind::AddrNotAvailable => "this machine has no such address".to_string(),
            _ => e.to_string(),
        };
        Error::Usage(format!(
            "cannot listen on {address}: {why}; stop the other server or pass another --port"
        ))
    })
}

fn page_url(address: SocketAddr, base_path: &str) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}{base_path}", address.port())
}

/// Tells the terminal what a build did; of the warnings only those `before` did not have, so a
/// site with many does not flood the terminal on every save.
pub(crate) fn report(
    result: &Result<Arc<Files>, Error>,
    changed: Option<&[PathBuf]>,
    before: Option<&Files>,
) {
    if let Some(changed) = changed {
        let names: Vec<_> = changed.iter().map(|p| p.display().to_string()).collect();
        eprintln!("changed: {}", crate::text::printable(&names.join(", ")));
    }
    let files = match result {
        Ok(files) => files,
        Err(error) => {
            eprintln!("{}", error_text(error));
            eprintln!("the build failed: still serving the last good site, with the errors shown");
            return;
        }
    };
    let known: HashSet<String> = before
        .map(|b| b.warnings.iter().map(Diagnostic::to_string).collect())
        .unwrap_or_default();
    let new = files
        .warnings
        .iter()
        .filter(|w| !known.contains(&w.to_string()));
    for (line, _) in human(new) {
        eprintln!("{line}");
    }
    eprintln!(
        "built {} files in {} ms ({} rendered, {} kept from the build before; {})",
        files.map.len(),
        files.elapsed.as_millis(),
        files.rendered,
        files.map.len() - files.rendered,
        count(files.warnings.len(), "warning"),
    );
}

/// Tells the terminal what the open pages were told.
pub(crate) fn report_change(change: &Change, elapsed: Duration) {
    let what = match change {
        Change::None => "no output changed",
        Change::Reload => "reloading pages",
        Change::Css(_) => "swapping stylesheets",
        Change::Overlay(_) => "showing the errors",
    };
    eprintln!("{what} ({} ms after the change)", elapsed.as_millis());
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Instant;

    use chrono::{DateTime, Utc};

    use super::*;
    use crate::today::Now;

    fn at(time: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(time).unwrap().to_utc()
    }

    /// A group's `days_inactive` and `stale` in the `groups.json` the server serves now.
    fn standing(address: SocketAddr, slug: &str) -> (i64, bool) {
        let mut stream = TcpStream::connect(address).unwrap();
        let request =
            format!("GET /groups.json HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (_, body) = response.split_once("\r\n\r\n").expect("a response body");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        let group = json["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["slug"] == slug)
            .unwrap();
        (
            group["days_inactive"].as_i64().unwrap(),
            group["stale"].as_bool().unwrap(),
        )
    }

    #[test]
    fn a_preview_running_across_midnight_serves_the_new_days_staleness() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        // fresh-wg was last active on 2026-11-20, and a working group is stale after 30 days.
        let now = Arc::new(Mutex::new(at("2026-12-20T23:59:59.8Z")));
        let clock: Now = {
            let now = Arc::clone(&now);
            Arc::new(move || *now.lock().unwrap())
        };
        let preview = Preview::start(
            &root,
            Today::Live(clock),
            IpAddr::from([127, 0, 0, 1]),
            "http://127.0.0.1:1111",
        )
        .unwrap();
        let _midnight = preview.follow_the_day(&root).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let shared = Arc::clone(&preview.shared);
        std::thread::spawn(move || http::run(listener, shared));
        assert_eq!(standing(address, "fresh-wg"), (30, false));

        *now.lock().unwrap() = at("2026-12-21T00:00:01Z");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let seen = standing(address, "fresh-wg");
            if seen == (31, true) {
                break;
            }
            assert!(Instant::now() < deadline, "still {seen:?} after midnight");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

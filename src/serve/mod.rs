//! The preview server: build the site into memory, serve it, rebuild on every change and tell the
//! open pages to reload.
//!
//! It composes the same stages as `build` (`Site::load`, `build::render_site`) but not `write`:
//! nothing is written to disk, so the sources and any `public/` stay as they are. The last good
//! site is one immutable value behind an `Arc`, replaced whole after a successful rebuild, so no
//! request ever sees a half-built site. All state lives in one [`Shared`] value owned by the
//! server, so a process (or a test) can run two servers at once.

mod http;
mod rebuild;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;

use crate::{Error, compute};
use rebuild::{Change, Files, Rebuilder, Snapshot};

/// What `groupdir serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port; the address is printed either way.
    pub port: u16,
    pub now: Option<NaiveDate>,
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
    /// The generation of the latest snapshot and what changed to reach it.
    notices: tokio::sync::watch::Sender<(u64, Change)>,
}

impl Shared {
    fn new(snapshot: Snapshot) -> Shared {
        let (notices, _) = tokio::sync::watch::channel((snapshot.generation, Change::Reload));
        let id = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Shared {
            id,
            snapshot: RwLock::new(Arc::new(snapshot)),
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
    let today = compute::today(options.now)?;
    let listener = bind(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Usage(e.to_string()))?;

    let watching = watch::Watching::start(&options.root, options.poll)?;
    let mut rebuilder = Rebuilder::new(&options.root, today, &page_url(address, ""));
    let first = match rebuilder.build(None) {
        Err(error @ (Error::Usage(_) | Error::Io { .. })) => return Err(error),
        built_or_content_errors => built_or_content_errors,
    };
    rebuild::report(&first, None, None);
    let shared = Arc::new(Shared::new(Snapshot::first(&first)));

    let _watching = watching.spawn({
        let shared = Arc::clone(&shared);
        move |changed| {
            let started = std::time::Instant::now();
            let before = shared.current();
            let result = rebuilder.build(Some(changed));
            // Pages first, the terminal after: printing can take longer than the rebuild.
            let change = shared.publish(&result);
            let elapsed = started.elapsed();
            rebuild::report(&result, Some(changed), Some(&before.files));
            rebuild::report_change(&change, elapsed);
        }
    })?;

    let url = page_url(address, &shared.current().files.base_path);
    eprintln!(
        "serving {} at {url} (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("warning: could not open a browser: {e}");
    }
    http::run(listener, shared).map_err(|e| Error::Io {
        path: PathBuf::from(url),
        message: e.to_string(),
    })?;
    eprintln!("stopped; nothing was written");
    Ok(())
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

//! HTTP: answer requests from the snapshot in memory, add the reload script and the error overlay
//! to HTML responses, and stream change notices to open pages over Server-Sent Events, all on
//! one port.

use std::convert::Infallible;
use std::net::IpAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use futures_util::stream::{self, StreamExt};
use percent_encoding::percent_decode_str;

use super::Shared;
use super::rebuild::{Change, Snapshot};
use crate::render::markdown;

/// Where the server's own files live, under the site's base path.
const PREFIX: &str = "__groupdir/";
const RELOAD_JS: &str = include_str!("assets/reload.js");
const UNBUILT_HTML: &str = include_str!("assets/unbuilt.html");
/// How soon a page reconnects after losing the event stream, such as when the server restarts.
const RETRY: Duration = Duration::from_millis(1000);
/// Comments sent on an idle event stream, so proxies and browsers keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// How long a client may take to send a request's headers (or, between requests, to start the
/// next): a browser sends them at once, and a connection that trickles them is closed rather than
/// kept open for ever.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves until Ctrl-C.
pub(crate) fn run(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new().fallback(handle).with_state(shared);
        // Not a graceful shutdown: open event streams never end by themselves.
        match futures_util::future::select(
            pin!(accept(listener, app)),
            pin!(tokio::signal::ctrl_c()),
        )
        .await
        {
            Either::Left((never, _)) => match never {},
            Either::Right((result, _)) => result,
        }
    })
}

/// Accepts connections and serves each on a task of its own, with [`HEADER_TIMEOUT`] (axum's
/// own `serve` has no timer, so no timeout).
async fn accept(listener: tokio::net::TcpListener, app: Router) -> std::convert::Infallible {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was accepted: go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    // A request without a Host (HTTP/1.0) cannot come from a page in a browser.
    let host = match uri.authority() {
        Some(authority) => Some(authority.as_str()),
        None => headers
            .get(header::HOST)
            .map(|h| h.to_str().unwrap_or_default()),
    };
    if host.is_some_and(|host| !host_allowed(host, shared.bind)) {
        return (
            StatusCode::FORBIDDEN,
            "this preview answers only to localhost and the address it listens on\n",
        )
            .into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD are allowed\n",
        )
            .into_response();
    }
    let Some(path) = safe_path(uri.path()) else {
        return (
            StatusCode::BAD_REQUEST,
            "bad request: this path is not allowed\n",
        )
            .into_response();
    };
    let snapshot = shared.current();
    let base = snapshot.files.base_path.as_str();
    let Some(rel) = path.strip_prefix(base) else {
        if path == "/" || format!("{path}/") == base {
            return redirect(base.to_string());
        }
        return not_found(&shared, &snapshot);
    };
    match rel.strip_prefix(PREFIX) {
        Some("reload.js") => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            RELOAD_JS,
        )
            .into_response(),
        Some("events") => events(&shared, since(uri.query())).into_response(),
        Some(_) => not_found(&shared, &snapshot),
        None => file(&shared, &snapshot, uri.path(), rel),
    }
}

/// Whether a request that names `host` (`name[:port]`) is meant for this server: a loopback name
/// or address, or the address it listens on (any address when it listens on all of them). A
/// page elsewhere that points a name of its own at this machine (DNS rebinding) sends that name,
/// and so cannot read the preview.
fn host_allowed(host: &str, bind: IpAddr) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((name, _)) => name,
            None => return false,
        },
        None => host.split(':').next().unwrap_or_default(),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    name.parse::<IpAddr>()
        .is_ok_and(|ip| ip.is_loopback() || ip == bind || bind.is_unspecified())
}

/// The decoded request path, or `None` when it could name something outside the site: `..` and
/// `.` segments (also percent-encoded), backslashes and NUL bytes.
fn safe_path(raw: &str) -> Option<String> {
    let path = percent_decode_str(raw).decode_utf8().ok()?;
    let allowed = path.starts_with('/')
        && !path.contains(['\\', '\0'])
        && !path
            .split('/')
            .any(|segment| segment == ".." || segment == ".");
    allowed.then(|| path.into_owned())
}

fn file(shared: &Shared, snapshot: &Snapshot, raw_path: &str, rel: &str) -> Response {
    if !snapshot.built {
        return unbuilt(shared, snapshot);
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(bytes) = snapshot.files.map.get(&key) {
        return respond(shared, snapshot, StatusCode::OK, &key, shareable(bytes));
    }
    if snapshot
        .files
        .map
        .contains_key(&format!("{key}/index.html"))
    {
        return redirect(format!("{raw_path}/"));
    }
    not_found(shared, snapshot)
}

fn not_found(shared: &Shared, snapshot: &Snapshot) -> Response {
    if !snapshot.built {
        return unbuilt(shared, snapshot);
    }
    match snapshot.files.map.get("404.html") {
        Some(bytes) => respond(
            shared,
            snapshot,
            StatusCode::NOT_FOUND,
            "404.html",
            shareable(bytes),
        ),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// The placeholder page while no build has succeeded yet; it carries the errors.
fn unbuilt(shared: &Shared, snapshot: &Snapshot) -> Response {
    let bytes = Bytes::from_static(UNBUILT_HTML.as_bytes());
    let status = StatusCode::SERVICE_UNAVAILABLE;
    respond(shared, snapshot, status, "index.html", bytes)
}

/// A built file as a response body, without copying it.
fn shareable(bytes: &Arc<[u8]>) -> Bytes {
    Bytes::from_owner(Arc::clone(bytes))
}

fn respond(
    shared: &Shared,
    snapshot: &Snapshot,
    status: StatusCode,
    key: &str,
    bytes: Bytes,
) -> Response {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        Body::from(inject(&bytes, shared, snapshot))
    } else {
        Body::from(bytes)
    };
    (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            // A preview must never show yesterday's page from the cache.
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// A temporary redirect: a folder may become a file in the next build.
fn redirect(location: String) -> Response {
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}

/// Adds the error overlay (if the latest build failed) and the reload script before `</body>`.
fn inject(html: &[u8], shared: &Shared, snapshot: &Snapshot) -> Vec<u8> {
    let mut addition = String::new();
    if let Some(overlay) = &snapshot.overlay {
        addition.push_str(overlay);
    }
    addition.push_str(&format!(
        "<script src=\"{}{PREFIX}reload.js\" data-generation=\"{}\"></script>\n",
        markdown::escape(&snapshot.files.base_path),
        shared.version(snapshot.generation),
    ));
    let at = last_body_close(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + addition.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn last_body_close(html: &[u8]) -> Option<usize> {
    const TAG: &[u8] = b"</body";
    (0..=html.len().checked_sub(TAG.len())?)
        .rev()
        .find(|&i| html[i..i + TAG.len()].eq_ignore_ascii_case(TAG))
}

/// The `since` parameter: the version of the site the page was served from.
fn since(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .map(str::to_string)
}

/// The event stream: a page that missed a change since it was served reloads at once.
fn events(shared: &Shared, since: Option<String>) -> impl IntoResponse + use<> {
    let mut notices = shared.notices.subscribe();
    let generation = notices.borrow_and_update().0;
    let missed = since != Some(shared.version(generation));
    let hello = Event::default().retry(RETRY).comment("groupdir serve");
    let first = std::iter::once(hello).chain(missed.then(|| event(&Change::Reload)).flatten());
    let later = stream::unfold(notices, |mut notices| async move {
        loop {
            notices.changed().await.ok()?;
            let change = notices.borrow_and_update().1.clone();
            if let Some(event) = event(&change) {
                return Some((event, notices));
            }
        }
    });
    let stream = stream::iter(first).chain(later).map(Ok::<_, Infallible>);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

fn event(change: &Change) -> Option<Event> {
    let (name, data) = match change {
        Change::None => return None,
        Change::Reload => ("reload", "reload".to_string()),
        // A first line, so the data is never empty (browsers drop such events), then one line
        // per renamed stylesheet: `before after`.
        Change::Css(swaps) => {
            let lines = swaps.iter().map(|(from, to)| format!("\n{from} {to}"));
            (
                "css",
                std::iter::once("css".to_string()).chain(lines).collect(),
            )
        }
        Change::Overlay(html) => ("overlay", html.to_string()),
    };
    Some(Event::default().event(name).data(data))
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_paths_are_refused() {
        for raw in [
            "/../etc/passwd",
            "/groups/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/groups/%2e%2e%2fsecret",
            "/.%2e/x",
            "/a\\b",
            "/a%5cb",
            "/a%00b",
            "/./x",
            "/%ff",
        ] {
            assert_eq!(safe_path(raw), None, "{raw}");
        }
        assert_eq!(safe_path("/groups/a%20b/").as_deref(), Some("/groups/a b/"));
        assert_eq!(safe_path("/groups/x..y/").as_deref(), Some("/groups/x..y/"));
    }

    #[test]
    fn only_this_machines_names_and_the_bound_address_are_hosts() {
        let loopback = IpAddr::from([127, 0, 0, 1]);
        for host in [
            "localhost:1111",
            "LOCALHOST",
            "app.localhost:80",
            "127.0.0.1:1111",
            "127.0.0.2",
            "[::1]:1111",
            "localhost.",
        ] {
            assert!(host_allowed(host, loopback), "{host}");
        }
        for host in [
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.5:1111",
            "",
            "[::1",
            "127.0.0.1.nip.io",
        ] {
            assert!(!host_allowed(host, loopback), "{host}");
        }
        let lan = IpAddr::from([192, 168, 1, 5]);
        assert!(host_allowed("192.168.1.5:1111", lan));
        assert!(!host_allowed("192.168.1.6:1111", lan));
        let all = IpAddr::from([0, 0, 0, 0]);
        assert!(host_allowed("10.0.0.7:1111", all));
        assert!(!host_allowed("rebind.evil.example:1111", all));
    }

    #[test]
    fn body_close_is_found_last_and_in_any_case() {
        assert_eq!(last_body_close(b"<p>x</p></BODY></html>"), Some(8));
        assert_eq!(last_body_close(b"</body></body>"), Some(7));
        assert_eq!(last_body_close(b"<p>"), None);
    }
}

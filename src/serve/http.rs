//! HTTP: answer requests from the snapshot in memory, add the reload script and the error overlay
//! to HTML responses, and stream change notices to open pages over Server-Sent Events, all on
//! one port.

use std::convert::Infallible;
use std::future::IntoFuture;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
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

/// Serves until Ctrl-C.
pub(crate) fn run(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new().fallback(handle).with_state(shared);
        let server = axum::serve(listener, app).into_future();
        // Not a graceful shutdown: open event streams never end by themselves.
        match futures_util::future::select(pin!(server), pin!(tokio::signal::ctrl_c())).await {
            Either::Left((result, _)) | Either::Right((result, _)) => result,
        }
    })
}

async fn handle(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
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
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            // A preview must never show yesterday's page from the cache.
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response();
    if is_public_data(key) {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            header::HeaderValue::from_static("*"),
        );
    }
    response
}

/// The directory's data and its schemas, which other sites' pages may fetch: served, as by
/// `netlify.toml`, with `Access-Control-Allow-Origin: *`.
fn is_public_data(key: &str) -> bool {
    key == "groups.json" || (key.starts_with("schema/") && key.ends_with(".json"))
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
    fn body_close_is_found_last_and_in_any_case() {
        assert_eq!(last_body_close(b"<p>x</p></BODY></html>"), Some(8));
        assert_eq!(last_body_close(b"</body></body>"), Some(7));
        assert_eq!(last_body_close(b"<p>"), None);
    }
}

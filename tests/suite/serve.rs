//! `groupdir serve` end to end: the real binary on a free port, real files in a temporary copy of
//! the `serve` fixture site, and a plain HTTP client over TCP, so raw request paths reach the
//! server exactly as written.
//!
//! The browser test at the end drives headless Chromium. The ignored `reload_latency` benchmark
//! prints the time from saving a file to the reload message:
//! `cargo test --release --test suite serve::reload_latency -- --ignored --nocapture`.

use crate::common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Build, Groupdir, Site, TODAY, copy_tree, repo, temp_dir};

/// How long any one expected change may take to show.
const PATIENCE: Duration = Duration::from_secs(10);

fn fixture_site() -> Site {
    Site::from_fixture("serve")
}

/// A running `groupdir serve`, stopped when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Groupdir::new(&["serve", "--port", "0", "--now", TODAY, "--root"])
            .arg(root)
            .args(extra)
            .command()
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start groupdir serve");
        let (stderr, urls) = read_lines(child.stderr.take().expect("piped stderr"));
        let Ok(url) = urls.recv_timeout(PATIENCE) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not start: {:?}", stderr.lock().unwrap());
        };
        let address = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string();
        Server {
            child,
            address,
            stderr,
        }
    }

    fn get(&self, path: &str) -> Reply {
        get(&self.address, path)
    }

    /// Fetches `path` until `wanted` holds for the reply, for at most `PATIENCE`.
    fn get_until(&self, path: &str, wanted: impl Fn(&Reply) -> bool) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if wanted(&reply) {
                return reply;
            }
            if started.elapsed() > PATIENCE {
                panic!(
                    "GET {path} never gave the expected reply; the last was {} with\n{}\n\nserver said:\n{}",
                    reply.status,
                    reply.body,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collects the lines of `stream` on a thread; the receiver gets the URL the server announces.
fn read_lines(stream: impl Read + Send + 'static) -> (Arc<Mutex<Vec<String>>>, Receiver<String>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (sender, receiver) = mpsc::channel();
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.starts_with("serving ")
                && let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://"))
            {
                let _ = sender.send(url.to_string());
            }
            sink.lock().unwrap().push(line);
        }
    });
    (lines, receiver)
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    fn has_overlay(&self) -> bool {
        self.body.contains("id=\"groupdir-overlay\"")
    }
}

/// One HTTP/1.1 GET with the path sent exactly as given.
/// Sends `request` as it is and reads the whole reply; the request should ask the server to
/// close the connection.
fn send(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    stream.write_all(request.as_bytes()).expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read reply");
    String::from_utf8_lossy(&raw).into_owned()
}

fn get(address: &str, path: &str) -> Reply {
    let text = send(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    );
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP reply: {text}"));
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// Writes `text` to a temporary file beside `path` and renames it over, as editors do.
fn atomic_write(path: &Path, text: &str) {
    let temp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&temp, text).expect("write temporary file");
    fs::rename(&temp, path).expect("rename over");
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read file");
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    fs::write(path, text.replace(from, to)).expect("write file");
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn lanterns(site: &Site) -> PathBuf {
    site.path("content/groups/lanterns.md")
}

#[test]
fn serves_the_site_from_memory() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);

    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(index.body.contains("Lanterns") && index.body.contains("Kettles"));

    let group = server.get("/groups/lanterns/");
    assert_eq!(group.status, 200);
    assert!(group.body.contains("original lantern text"));
    let script = group
        .body
        .find("/__groupdir/reload.js")
        .expect("reload script");
    assert!(script < group.body.rfind("</body>").unwrap());
    assert!(!group.has_overlay());

    let folder = server.get("/groups/lanterns");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("location"), Some("/groups/lanterns/"));

    assert_eq!(server.get("/about/").status, 200);
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        !css.body.contains("__groupdir"),
        "only HTML gets the script"
    );
    let json = server.get("/groups.json");
    assert_eq!(json.header("content-type"), Some("application/json"));
    assert!(json.body.contains("\"lanterns\""));
    let js = server.get("/__groupdir/reload.js");
    assert_eq!(js.status, 200);
    assert!(js.body.contains("EventSource"));

    let missing = server.get("/groups/nobody/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    assert!(missing.body.contains("/__groupdir/reload.js"));
}

#[test]
fn the_data_may_be_fetched_by_other_sites_and_links_point_at_the_preview() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    for data in [
        "/groups.json",
        "/schema/group.schema.json",
        "/schema/groups.schema.json",
    ] {
        let reply = server.get(data);
        assert_eq!(reply.status, 200, "{data}");
        assert_eq!(
            reply.header("access-control-allow-origin"),
            Some("*"),
            "{data}"
        );
    }
    let page = server.get("/");
    assert_eq!(page.header("access-control-allow-origin"), None);
    // The preview knows its own address: its absolute links lead back to it, not elsewhere.
    let origin = format!("http://{}", server.address);
    assert!(
        page.body
            .contains(&format!("<link rel=\"canonical\" href=\"{origin}/\">")),
        "{}",
        page.body
    );
    let sitemap = server.get("/sitemap.xml");
    assert_eq!(sitemap.status, 200);
    assert!(
        sitemap
            .body
            .contains(&format!("<loc>{origin}/groups/lanterns/</loc>"))
    );
    assert_eq!(server.get("/feed.xml").status, 200);
}

#[test]
fn head_requests_and_other_methods() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let head = send(
        &server.address,
        "HEAD /groups/lanterns/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "no body for HEAD: {head}");

    let reply = send(
        &server.address,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(reply.starts_with("HTTP/1.1 405"), "{reply}");
}

#[test]
fn build_output_never_carries_the_reload_script() {
    let site = fixture_site();
    Build::of(&site.root).run().expect_success();
    for path in listing(&site.path("public")) {
        if path.is_file() {
            let bytes = fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("__groupdir"), "{}", path.display());
            assert!(!text.contains("groupdir-overlay"), "{}", path.display());
        }
    }
}

#[test]
fn the_site_is_served_under_its_base_path() {
    let site = fixture_site();
    fs::write(
        site.path("site.toml"),
        "base_url = \"https://groups.example.org/mcp/\"\n",
    )
    .unwrap();
    let server = Server::start(&site.root, &[]);
    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/mcp/"));
    assert_eq!(server.get("/mcp").header("location"), Some("/mcp/"));
    let page = server.get("/mcp/groups/lanterns/");
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<script src=\"/mcp/__groupdir/reload.js\"")
    );
    assert_eq!(server.get("/mcp/__groupdir/reload.js").status, 200);
    assert_eq!(server.get("/groups/lanterns/").status, 404);
    let events = Events::open(&server, "/mcp/groups/lanterns/");
    edit(
        &lanterns(&site),
        "original lantern text",
        "under a base path",
    );
    events.wait_for("event: reload");
}

#[test]
fn an_edit_is_served_after_the_rebuild() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    assert!(server.get("/groups/lanterns/").body.contains("original"));
    edit(
        &lanterns(&site),
        "original lantern text",
        "edited lantern text",
    );
    server.get_until("/groups/lanterns/", |r| {
        r.body.contains("edited lantern text")
    });
    edit(
        &lanterns(&site),
        "Talks about lighting",
        "Talks about brightening",
    );
    server.get_until("/", |r| r.body.contains("Talks about brightening"));
}

#[test]
fn an_atomic_save_is_seen() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let text = fs::read_to_string(lanterns(&site)).unwrap();
    atomic_write(
        &lanterns(&site),
        &text.replace("original lantern text", "renamed-over text"),
    );
    server.get_until("/groups/lanterns/", |r| {
        r.body.contains("renamed-over text")
    });
    assert!(
        !site.path("content/groups/.lanterns.md.tmp").exists(),
        "the temporary file was renamed away"
    );
}

#[test]
fn groups_can_be_added_and_deleted() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let lamps = site.path("content/groups/lamps.md");
    let text = fs::read_to_string(site.path("content/groups/kettles.md"))
        .unwrap()
        .replace("title = \"Kettles\"", "title = \"Lamps\"")
        .replace("related = [\"lanterns\"]", "related = []")
        .replace("The Kettles group body.", "The Lamps group body.");
    fs::write(&lamps, text).unwrap();
    server.get_until("/groups/lamps/", |r| {
        r.status == 200 && r.body.contains("The Lamps group body.")
    });
    server.get_until("/", |r| r.body.contains("Lamps"));

    fs::remove_file(&lamps).unwrap();
    server.get_until("/groups/lamps/", |r| r.status == 404);
    assert!(!server.get("/").body.contains("Lamps"));
}

#[test]
fn a_broken_edit_shows_the_errors_and_keeps_the_last_good_site() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    edit(
        &lanterns(&site),
        "kind = \"interest-group\"",
        "kind = \"interest-grop\"",
    );
    edit(
        &lanterns(&site),
        "original lantern text",
        "text of the broken save",
    );
    // The overlay lists the diagnostics exactly as `groupdir check` prints them. (A rebuild may
    // have read a half-written file first, so wait for these.)
    let check = Groupdir::new(&["check", "--now", TODAY, "--root"])
        .arg(&site.root)
        .run();
    check.expect_code(1);
    let printed = check.stderr();
    let diagnostics: Vec<_> = printed
        .lines()
        .take_while(|l| !l.contains("fix the errors"))
        .collect();
    assert!(
        diagnostics[0].contains("lanterns.md:3:8: error:"),
        "{printed}"
    );
    let expected = escape_html(&diagnostics.join("\n"));
    let page = server.get_until("/groups/lanterns/", |r| r.body.contains(&expected));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("original lantern text"),
        "the last good page is still served"
    );
    assert!(!page.body.contains("text of the broken save"));
    let overlay_at = page.body.find("id=\"groupdir-overlay\"").unwrap();
    assert!(overlay_at < page.body.rfind("</body>").unwrap());

    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(missing.has_overlay(), "the 404 page shows the errors too");
    assert!(server.get("/").has_overlay());
    assert!(!server.get("/style.css").body.contains("groupdir-overlay"));

    edit(
        &lanterns(&site),
        "kind = \"interest-grop\"",
        "kind = \"interest-group\"",
    );
    let fixed = server.get_until("/groups/lanterns/", |r| !r.has_overlay());
    assert!(fixed.body.contains("text of the broken save"));
    assert!(!server.get("/no-such-page/").has_overlay());
}

/// A theme at odds with the overlay: `pre`, `code` and `body` as the first report found them
/// (#f2f2f2 text on #f6f8fa), and rules that would restyle or hide any element they reach.
const HOSTILE_CSS: &str = "html{font-size:40px}\nbody{background:#f6f8fa;color:#f2f2f2;font:22px/3 Georgia,serif;\
letter-spacing:.3em;text-transform:uppercase}\n\
pre,code{background:#f6f8fa!important;color:#f2f2f2!important;font-size:9px!important;\
white-space:nowrap!important}\n\
*{color:#eee!important;background-color:#fff!important;font-size:30px!important}\n\
div,h2,h3,p{display:inline!important;visibility:hidden!important}\n";

#[test]
fn the_overlay_is_readable_in_both_colour_schemes_whatever_the_theme() {
    let pages = ["/", "/groups/lanterns/", "/no-such-page/"];
    let mut styles: Vec<(String, serde_json::Value)> = Vec::new();
    for theme in ["bundled", "hostile"] {
        let site = fixture_site();
        if theme == "hostile" {
            site.write("static/style.css", HOSTILE_CSS);
        }
        let server = Server::start(&site.root, &[]);
        // A warning (a channel's name) in a file before the one with an error (an empty topic).
        edit(
            &site.path("content/groups/kettles.md"),
            "\"#kettles-ig\"",
            "\"#kettles-wg\"",
        );
        edit(
            &lanterns(&site),
            "\"A welcome guide for first-time contributors.\"",
            "\"\"",
        );
        server.get_until("/groups/lanterns/", |r| r.body.contains("first_topic"));
        let origin = format!("http://{}", server.address);
        let mut args = vec![origin.as_str()];
        args.extend(pages);
        let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
        let run = common::node_script("overlay_check.mjs", &args);
        run.expect_success();
        let report: serde_json::Value = serde_json::from_slice(&run.output.stdout).expect("JSON");
        for scheme in ["light", "dark"] {
            for page in pages {
                let what = format!("{theme} theme, {scheme} scheme, {page}");
                let seen = &report[format!("{scheme} {page}")];
                assert_eq!(
                    seen["shadow"], true,
                    "{what}: the overlay is not in a shadow root"
                );
                assert_eq!(seen["problems"], serde_json::json!([]), "{what}");
                let bottom = seen["box"]["bottom"].as_f64().expect("box");
                let viewport = seen["box"]["viewport"].as_f64().expect("viewport");
                assert!(
                    (bottom - viewport).abs() < 1.0 && seen["box"]["height"].as_f64() > Some(80.0),
                    "{what}: the overlay is not on screen: {}",
                    seen["box"]
                );
                let text = seen["text"].as_str().expect("text");
                let at = |needle: &str| {
                    text.find(needle)
                        .unwrap_or_else(|| panic!("{what}: no {needle:?} in {text}"))
                };
                let order = [
                    at("The site has 1 error"),
                    at("\n1 error\n"),
                    at("lanterns.md:10:15: error:"),
                    at("\n1 warning\n"),
                    at("kettles.md:6:11: warning:"),
                ];
                assert!(
                    order.is_sorted(),
                    "{what}: errors first, then warnings:\n{text}"
                );
                let contrast = &seen["contrast"];
                assert_eq!(
                    (&contrast["violations"], &contrast["incomplete"]),
                    (&serde_json::json!([]), &serde_json::json!([])),
                    "{what}: axe color-contrast"
                );
                let passes = contrast["passes"].as_array().expect("passes");
                assert!(passes.len() >= 5, "{what}: axe checked only {passes:?}");
                // Open on a wide screen, with a button that dismisses it.
                assert_eq!(seen["folded"], false, "{what}");
                assert_eq!(seen["button"], "Dismiss", "{what}");
                assert_eq!(
                    seen["dismissed"],
                    serde_json::json!({"open": false, "height": 0}),
                    "{what}: the overlay stays after Dismiss"
                );
                // A phone: folded to a strip at the bottom, dismissable the same way.
                let phone = &report[format!("{scheme} 390 {page}")];
                assert_eq!(phone["problems"], serde_json::json!([]), "{what} at 390 px");
                assert_eq!(phone["folded"], true, "{what}: not folded at 390 px");
                let share = phone["box"]["height"].as_f64().expect("height")
                    / phone["box"]["viewport"].as_f64().expect("viewport");
                assert!(
                    share < 0.2,
                    "{what}: the overlay covers {share:.2} of a phone's screen"
                );
                assert_eq!(
                    (
                        &phone["contrast"]["violations"],
                        &phone["dismissed"]["open"]
                    ),
                    (&serde_json::json!([]), &serde_json::json!(false)),
                    "{what} at 390 px: {phone}"
                );
                styles.push((what, seen["styles"].clone()));
            }
        }
    }
    // Nothing of the theme or the colour scheme reaches the overlay.
    let (first, expected) = &styles[0];
    for (what, seen) in &styles[1..] {
        assert_eq!(
            seen, expected,
            "the overlay differs between {first} and {what}"
        );
    }
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = fixture_site();
    edit(
        &lanterns(&site),
        "status = \"active\"",
        "status = \"asleep\"",
    );
    let server = Server::start(&site.root, &[]);
    let page = server.get("/groups/lanterns/");
    assert_eq!(page.status, 503);
    assert!(page.has_overlay());
    assert!(page.body.contains("lanterns.md:4:"), "{}", page.body);
    edit(
        &lanterns(&site),
        "status = \"asleep\"",
        "status = \"active\"",
    );
    server.get_until("/groups/lanterns/", |r| r.status == 200 && !r.has_overlay());
}

#[test]
fn a_deleted_and_recreated_content_folder_is_watched_again() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let content = site.path("content");
    let saved = site.tmp().join("saved-content");
    copy_tree(&content, &saved);
    fs::remove_dir_all(&content).unwrap();
    let page = server.get_until("/groups/lanterns/", Reply::has_overlay);
    assert!(page.body.contains("no content folder"), "{}", page.body);
    assert!(page.body.contains("original lantern text"));

    copy_tree(&saved, &content);
    server.get_until("/groups/lanterns/", |r| !r.has_overlay());
    // The new folder is watched: later edits inside it are seen.
    edit(
        &lanterns(&site),
        "original lantern text",
        "after the new folder",
    );
    server.get_until("/groups/lanterns/", |r| {
        r.body.contains("after the new folder")
    });
}

#[test]
fn a_new_templates_folder_overrides_the_theme_and_is_watched() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let templates = site.path("templates");
    fs::create_dir_all(&templates).unwrap();
    let page = |text: &str| {
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}<h1>{text}</h1>{{% endblock content %}}\n"
        )
    };
    fs::write(templates.join("404.html"), page("Custom missing page")).unwrap();
    server.get_until("/nowhere/", |r| r.body.contains("Custom missing page"));
    fs::write(templates.join("404.html"), page("Edited missing page")).unwrap();
    let reply = server.get_until("/nowhere/", |r| r.body.contains("Edited missing page"));
    assert_eq!(reply.status, 404);
}

#[test]
fn polling_sees_changes_too() {
    let site = fixture_site();
    let server = Server::start(&site.root, &["--poll"]);
    edit(&lanterns(&site), "original lantern text", "polled text");
    server.get_until("/groups/lanterns/", |r| r.body.contains("polled text"));
}

#[test]
fn requests_cannot_reach_files_outside_the_site() {
    let site = fixture_site();
    let secret = "secret-token-7c1f";
    fs::write(site.path("secret.txt"), secret).unwrap();
    fs::write(site.path("site.toml"), format!("# {secret}\n")).unwrap();
    let server = Server::start(&site.root, &[]);
    for path in [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/groups/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/%2e%2e%2fsecret.txt",
        "/groups/..%2f..%2fsecret.txt",
        "/.%2e/secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/..\\secret.txt",
        "/secret.txt%00.html",
        "/%252e%252e/secret.txt",
        "/site.toml",
        "/content/groups/lanterns.md",
        "//etc/passwd",
    ] {
        let reply = server.get(path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path} gave {}",
            reply.status
        );
        assert!(!reply.body.contains(secret), "{path} leaked the secret");
        assert!(
            !reply.body.contains("root:x:0"),
            "{path} leaked /etc/passwd"
        );
    }
    assert_eq!(server.get("/%2e%2e/secret.txt").status, 400);
}

#[cfg(unix)]
#[test]
fn linked_folders_and_files_are_never_served() {
    for (link, target, path) in [
        ("static", "/etc", "/passwd"),
        (
            "themes/default/static/passwd.txt",
            "/etc/passwd",
            "/passwd.txt",
        ),
    ] {
        let site = fixture_site();
        std::os::unix::fs::symlink(target, site.path(link)).unwrap();
        let server = Server::start(&site.root, &[]);
        let reply = server.get(path);
        assert!(
            !reply.body.contains("root:x:0"),
            "{path} leaked /etc/passwd"
        );
        assert_ne!(reply.status, 200, "{path}");
        let home = server.get("/");
        assert!(
            home.has_overlay()
                && home
                    .body
                    .contains(&format!("{link}:1:1: error: this is a symbolic link")),
            "{}",
            home.body
        );
    }
}

/// One request with the given `Host` header (none when empty): the status of the reply.
fn status_for_host(address: &str, target: &str, host: &str) -> u16 {
    let host = if host.is_empty() {
        String::new()
    } else {
        format!("Host: {host}\r\n")
    };
    let text = send(
        address,
        &format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"),
    );
    text.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn requests_for_other_hosts_are_refused() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let port = server.address.rsplit(':').next().unwrap().to_string();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
        format!("preview.localhost:{port}"),
    ] {
        assert_eq!(status_for_host(&server.address, "/", &host), 200, "{host}");
    }
    // A page of another site that made its own name point at this machine (DNS rebinding).
    for host in [
        format!("rebind.attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost.attacker.example:{port}"),
        format!("192.168.1.5:{port}"),
    ] {
        for target in ["/", "/groups.json", "/__groupdir/events"] {
            assert_eq!(
                status_for_host(&server.address, target, &host),
                403,
                "{host} {target}"
            );
        }
    }
    let absolute = format!("http://attacker.example:{port}/groups.json");
    assert_eq!(
        status_for_host(&server.address, &absolute, &format!("127.0.0.1:{port}")),
        403
    );
}

#[test]
fn a_request_whose_headers_never_end_is_closed() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let started = Instant::now();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut rest = Vec::new();
    // The server closes the connection (perhaps after a 408): the read ends instead of timing out.
    let closed = stream.read_to_end(&mut rest).is_ok();
    let waited = started.elapsed();
    assert!(closed, "still open after {waited:?}");
    assert!(
        waited < Duration::from_secs(20),
        "closed only after {waited:?}"
    );
    // Meanwhile, and after, the server answers whole requests.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn listening_beyond_this_machine_is_said_and_warned_about() {
    let site = fixture_site();
    let server = Server::start(&site.root, &["--bind", "0.0.0.0"]);
    assert_eq!(server.get("/").status, 200);
    let port = server.address.rsplit(':').next().unwrap().to_string();
    let log = server.log();
    assert!(
        log.contains(&format!("listening on 0.0.0.0:{port}")),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "warning: 0.0.0.0:{port} is reachable from the network"
        )),
        "{log}"
    );
    let local = Server::start(&site.root, &[]);
    assert!(!local.log().contains("warning:"), "{}", local.log());
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let site = fixture_site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = Groupdir::new(&["serve", "--port", &port, "--root"])
        .arg(&site.root)
        .run();
    run.expect_code(2);
    let stderr = run.stderr();
    assert!(
        stderr.contains(&format!("127.0.0.1:{port}")) && stderr.contains("already in use"),
        "{stderr}"
    );
}

#[test]
fn a_missing_site_is_a_usage_error() {
    let empty = temp_dir();
    let run = Groupdir::new(&["serve", "--port", "0", "--root"])
        .arg(empty.path())
        .run();
    run.expect_code(2);
    assert!(run.stderr().contains("no content folder"));
}

/// An open event stream on the server.
struct Events {
    lines: Receiver<String>,
}

impl Events {
    /// Connects as the page served at `path` would.
    fn open(server: &Server, path: &str) -> Events {
        let page = server.get(path);
        let version = page
            .body
            .split("data-generation=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page names its version")
            .to_string();
        // As the script does: the events URL is beside the script's own.
        let end = page
            .body
            .find("reload.js\"")
            .expect("the page has the reload script");
        let start = page.body[..end].rfind("src=\"").expect("a script source") + 5;
        let script = &page.body[start..end];
        let mut stream = TcpStream::connect(&server.address).unwrap();
        write!(
            stream,
            "GET {}events?since={version} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            script,
            server.address
        )
        .unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let events = Events { lines };
        let head = events.wait_for("retry: 1000");
        assert!(head[0].starts_with("HTTP/1.1 200"), "{head:?}");
        assert!(
            head.contains(&"content-type: text/event-stream".to_string()),
            "{head:?}"
        );
        events
    }

    /// Waits for a line that starts with `wanted`; panics after `PATIENCE`.
    fn wait_for(&self, wanted: &str) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(wanted) => return seen,
                Ok(line) => seen.push(line),
                Err(_) => panic!("no `{wanted}` on the event stream; saw {seen:?}"),
            }
        }
    }
}

#[test]
fn open_pages_are_told_to_reload_or_to_swap_stylesheets() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let events = Events::open(&server, "/groups/lanterns/");

    let style = site.path("themes/default/static/style.css");
    let css = fs::read_to_string(&style).unwrap();
    fs::write(&style, format!("{css}\n.added-by-test {{ color: red; }}\n")).unwrap();
    let before_css = events.wait_for("event: css");
    assert!(
        !before_css.iter().any(|l| l.contains("event: reload")),
        "{before_css:?}"
    );

    edit(&lanterns(&site), "original lantern text", "reload me");
    events.wait_for("event: reload");

    edit(
        &lanterns(&site),
        "status = \"active\"",
        "status = \"actve\"",
    );
    events.wait_for("event: overlay");
    let overlay = events.wait_for("data: </dialog>");
    assert!(
        overlay.iter().any(|l| l.contains("lanterns.md:4:")),
        "{overlay:?}"
    );
}

#[test]
fn a_page_that_missed_a_change_reloads_when_it_connects() {
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let stale = server.get("/groups/lanterns/");
    edit(
        &lanterns(&site),
        "original lantern text",
        "changed meanwhile",
    );
    server.get_until("/groups/lanterns/", |r| {
        r.body.contains("changed meanwhile")
    });
    let version = stale.body.split("data-generation=\"").nth(1).unwrap();
    let version = version.split('"').next().unwrap();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__groupdir/events?since={version} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while !line.starts_with("event: reload") {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "stream ended without a reload"
        );
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_touches_nothing() {
    let site = fixture_site();
    let public = site.path("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("marker.txt"), "left alone").unwrap();
    let before = listing(&site.root);
    let mut server = Server::start(&site.root, &[]);
    assert_eq!(server.get("/").status, 200);
    edit(
        &lanterns(&site),
        "original lantern text",
        "edited before stop",
    );
    server.get_until("/groups/lanterns/", |r| {
        r.body.contains("edited before stop")
    });
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + PATIENCE;
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(exit.code(), Some(0), "{}", server.log());
    assert_eq!(
        listing(&site.root),
        before,
        "serve created or removed files"
    );
    assert_eq!(
        fs::read_to_string(public.join("marker.txt")).unwrap(),
        "left alone"
    );
}

/// Every path under `root`, sorted.
fn listing(root: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            paths.push(path);
        }
    }
    paths.sort();
    paths
}

#[test]
fn a_browser_page_reloads_by_itself_shows_the_errors_and_swaps_styles() {
    let (chromium, modules) = (common::chromium(), common::node_modules());
    let site = fixture_site();
    let server = Server::start(&site.root, &[]);
    let profile = temp_dir();
    let mut driver = Command::new("node")
        .arg(repo().join("tests/fixtures/serve-browser/reload.cjs"))
        .arg(format!("http://{}/groups/lanterns/", server.address))
        .arg(&chromium)
        .arg(profile.path())
        .env("NODE_PATH", &modules)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start node");
    let (said, _) = read_lines(driver.stdout.take().unwrap());
    let wait_for = |word: &str| {
        let deadline = Instant::now() + PATIENCE * 3;
        loop {
            let lines = said.lock().unwrap().clone();
            if lines.iter().any(|l| l == word) {
                return;
            }
            let failed = lines.iter().find(|l| l.starts_with("FAILED"));
            assert!(
                failed.is_none(),
                "{}\nserver said:\n{}",
                failed.unwrap(),
                server.log()
            );
            assert!(
                Instant::now() < deadline,
                "the browser never said {word}; it said {lines:?}\nserver said:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("READY");
    edit(
        &lanterns(&site),
        "original lantern text",
        "edited in the browser test",
    );
    wait_for("RELOADED");
    edit(
        &lanterns(&site),
        "status = \"active\"",
        "status = \"actve\"",
    );
    wait_for("OVERLAY");
    edit(
        &lanterns(&site),
        "status = \"actve\"",
        "status = \"active\"",
    );
    edit(
        &lanterns(&site),
        "edited in the browser test",
        "fixed in the browser test",
    );
    wait_for("RECOVERED");
    let style = site.path("themes/default/static/style.css");
    let css = fs::read_to_string(&style).unwrap();
    fs::write(
        &style,
        format!("{css}\nbody {{ outline: 1px solid rgb(1, 2, 3); }}\n"),
    )
    .unwrap();
    wait_for("STYLED");
    let status = driver.wait().unwrap();
    assert!(status.success(), "the browser driver failed: {status}");
}

/// Prints the time from saving a group file to the reload message reaching an open page and the
/// page, fetched again as the browser would, showing the edit: for the bundled site and for the site at `$GROUPDIR_BENCH_SITE` if set (such as one made by
/// `python3 bench/gen_corpus.py --groups 1000 --flavor groupdir --out /tmp/gd-1k`).
#[test]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
fn reload_latency() {
    let mut sites = vec![("bundled".to_string(), repo().to_path_buf())];
    if let Some(extra) = std::env::var_os("GROUPDIR_BENCH_SITE") {
        let extra = PathBuf::from(extra);
        sites.push((extra.display().to_string(), extra));
    }
    for (label, source) in sites {
        let site = Site::from_content(&source);
        let server = Server::start(&site.root, &[]);
        let mut groups: Vec<_> = fs::read_dir(site.path("content/groups"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        groups.sort();
        let group = &groups[groups.len() / 2];
        let original = fs::read_to_string(group).unwrap();
        let slug = group.file_stem().unwrap().to_string_lossy().into_owned();
        let page = format!("/groups/{slug}/");
        let events = Events::open(&server, "/");
        let mut times = Vec::new();
        for i in 0..25 {
            let started = Instant::now();
            fs::write(group, format!("{original}\nBenchmark edit {i}.\n")).unwrap();
            events.wait_for("event: reload");
            // What the reloading browser does next: fetch the page, which must show the edit.
            let reply = server.get(&page);
            times.push(started.elapsed());
            assert!(
                reply.body.contains(&format!("Benchmark edit {i}.")),
                "{page}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let rebuilds: Vec<_> = server
            .log()
            .lines()
            .filter_map(|l| l.strip_prefix("built "))
            .map(str::to_string)
            .collect();
        println!(
            "{label} ({} groups): save → reload message → page served with the edit, over {} saves: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms; last rebuild: {}",
            groups.len(),
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(times[0]),
            ms(times[times.len() - 1]),
            rebuilds.last().map_or("-", String::as_str),
        );
    }
}

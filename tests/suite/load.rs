//! The preview server under load and under a changing site: the real `groupdir serve` on a free
//! loopback port, 50 client threads over plain TCP, and the server's memory read from /proc.
//!
//! The figures (requests per second, resident memory per round) are printed:
//! `cargo test --release --test load -- --nocapture`.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use common::{Groupdir, NOW, Site, group};

const CONNECTIONS: usize = 50;
const REQUESTS: usize = 10_000;
const PATHS: &[&str] = &[
    "/",
    "/groups/g0007/",
    "/groups.json",
    "/groups/g0150/",
    "/faq/",
];

struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(site: &Site) -> Server {
        let mut child = Groupdir::new(&["serve", "--port", "0", "--now", NOW, "--root"])
            .arg(site.root())
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start groupdir serve");
        let stderr = child.stderr.take().expect("stderr");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.starts_with("serving ")
                    && let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://"))
                {
                    let _ = sender.send(
                        url.trim_start_matches("http://")
                            .trim_end_matches('/')
                            .to_string(),
                    );
                }
            }
        });
        let address = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server announces its address");
        Server { child, address }
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("poll").is_none()
    }

    /// Resident memory of the server process, in KiB.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("read /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .expect("VmRSS")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One GET on a fresh connection; the status code, or why there was none.
fn get(address: &str, path: &str) -> Result<u16, String> {
    fetch(address, path).map(|(status, _)| status)
}

/// One GET on a fresh connection; the status code and the whole reply.
fn fetch(address: &str, path: &str) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut reply = Vec::new();
    stream
        .read_to_end(&mut reply)
        .map_err(|e| format!("read: {e}"))?;
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP reply: {:?}", &reply[..reply.len().min(64)]))?;
    Ok((status, reply))
}

/// `requests` GETs spread over `CONNECTIONS` threads; the failures, and how long it took.
fn round(address: &str, requests: usize) -> (Vec<String>, Duration) {
    let started = Instant::now();
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|t| {
            let address = address.to_string();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in (t..requests).step_by(CONNECTIONS) {
                    let path = PATHS[i % PATHS.len()];
                    match get(&address, path) {
                        Ok(200) => {}
                        Ok(status) => failures.push(format!("GET {path}: {status}")),
                        Err(e) => failures.push(format!("GET {path}: {e}")),
                    }
                }
                failures
            })
        })
        .collect();
    let failures = threads
        .into_iter()
        .flat_map(|t| t.join().expect("client thread"))
        .collect();
    (failures, started.elapsed())
}

fn site() -> Site {
    let site = Site::new();
    for i in 0..200 {
        site.write(
            &format!("content/groups/g{i:04}.md"),
            group(&format!("Group {i}"), "", &format!("Body {i}.\n")),
        );
    }
    site.write("content/faq.md", "+++\ntitle = \"FAQ\"\n+++\nQuestions.\n");
    site
}

#[test]
fn ten_thousand_requests_from_fifty_connections_all_succeed_without_growing_memory() {
    let site = site();
    let mut server = Server::start(&site);
    let (failures, _) = round(&server.address, 1_000);
    assert!(failures.is_empty(), "warm-up: {failures:?}");
    let mut rss = vec![server.rss_kib()];
    for n in 1..=3 {
        let (failures, elapsed) = round(&server.address, REQUESTS);
        assert!(
            failures.is_empty(),
            "round {n}: {} failed, first {:?}",
            failures.len(),
            &failures[..failures.len().min(5)]
        );
        rss.push(server.rss_kib());
        println!(
            "round {n}: {REQUESTS} requests over {CONNECTIONS} connections in {elapsed:?} \
             ({:.0}/s), server RSS {} KiB",
            REQUESTS as f64 / elapsed.as_secs_f64(),
            rss[n]
        );
    }
    assert!(server.is_running());
    // Buffers and allocator caches settle in the first round; later rounds may not keep growing.
    let bound = rss[1] + rss[1] / 10 + 2_048;
    assert!(
        rss[3] <= bound,
        "RSS grew from {} to {} KiB (bound {bound})",
        rss[1],
        rss[3]
    );
}

/// Fetches `/` until `wanted` holds for its reply, for at most 20 s.
fn wait_for(address: &str, what: &str, wanted: impl Fn(&str) -> bool) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if fetch(address, "/").is_ok_and(|(_, reply)| wanted(&reply)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server never showed {what}");
}

#[test]
fn the_server_keeps_serving_while_content_and_templates_break() {
    let site = site();
    let mut server = Server::start(&site);
    let stop = Arc::new(AtomicBool::new(false));
    let hammer = {
        let (address, stop) = (server.address.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut failures = Vec::new();
            let mut requests = 0;
            while !stop.load(Ordering::Relaxed) {
                failures.extend(round(&address, 500).0);
                requests += 500;
            }
            (failures, requests)
        })
    };
    let overlay = |reply: &str| reply.contains("groupdir-overlay");
    let content = site.root().join("content");
    let saved = site.root().join("content-saved");
    std::fs::rename(&content, &saved).expect("remove content/");
    wait_for(&server.address, "the missing content/ as an error", overlay);
    assert!(
        server.is_running(),
        "the server stopped when content/ went away"
    );
    std::fs::rename(&saved, &content).expect("recreate content/");
    wait_for(&server.address, "the site again", |r| {
        !overlay(r) && r.contains("Group 7")
    });

    site.write(
        "templates/group.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope(",
    );
    wait_for(&server.address, "the broken template as an error", overlay);
    assert!(
        server.is_running(),
        "the server stopped on a broken template"
    );
    std::fs::remove_file(site.root().join("templates/group.html")).expect("repair template");
    wait_for(&server.address, "the repaired site", |r| !overlay(r));

    stop.store(true, Ordering::Relaxed);
    let (failures, requests) = hammer.join().expect("client");
    assert!(
        failures.is_empty(),
        "{} of {requests} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    println!("{requests} requests while content/ and a template broke and recovered: none failed");
    assert!(server.is_running());
    assert_eq!(get(&server.address, "/groups/g0007/"), Ok(200));
}

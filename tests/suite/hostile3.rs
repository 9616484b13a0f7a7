//! The third hostile round against `build`, `sync` and `serve` (issue 21): a spare folder the
//! build did not make, a token address with credentials, GitHub's messages in the log, a data
//! file the build would refuse, events from the future, ids from raw HTML, odd output paths,
//! stale temporary files and base URLs that are not addresses.

use std::fs;

#[cfg(feature = "sync")]
use serde_json::json;

use crate::common::{Build, Site, TODAY};
#[cfg(feature = "sync")]
use crate::common::{Groupdir, Run};
#[cfg(feature = "sync")]
use crate::github::{FakeGitHub, Fault, Repo, TOKEN};

/// A site of one group whose only source is the repository `o/r`.
#[cfg(feature = "sync")]
fn one_group_site() -> Site {
    let site = Site::from_fixture("sync/site");
    for other in ["auth", "quiet", "registry"] {
        site.remove(&format!("content/groups/{other}.md"));
    }
    let agents = fs::read_to_string(site.path("content/groups/agents.md")).unwrap();
    let agents = agents
        .replace(
            "repositories = [\"o/agents-wg\"]",
            "repositories = [\"o/r\"]",
        )
        .lines()
        .filter(|l| !l.starts_with("discussions = "))
        .collect::<Vec<_>>()
        .join("\n");
    site.write("content/groups/agents.md", format!("{agents}\n"));
    site
}

#[cfg(feature = "sync")]
fn sync(site: &Site, endpoint: &str) -> Run {
    Groupdir::new(&["sync", "--root", "."])
        .current_dir(&site.root)
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_GRAPHQL_URL", endpoint)
        .env("GROUPDIR_SYNC_BACKOFF_MS", "10")
        .run()
}

/// A sync at a pinned moment of reading: a second one that finds nothing new changes no byte
/// (issue 23: a sync at another moment rewrites the horizons).
#[cfg(feature = "sync")]
fn sync_at(site: &Site, endpoint: &str) -> Run {
    Groupdir::new(&["sync", "--root", ".", "--now", "2026-11-26T06:00:00Z"])
        .current_dir(&site.root)
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_GRAPHQL_URL", endpoint)
        .env("GROUPDIR_SYNC_BACKOFF_MS", "10")
        .run()
}

/// Point 1: a `.public.previous` that a build did not make, even with a `.gitignore` of `*`
/// (a very common one), is the user's: the build refuses, names it, and deletes nothing.
#[test]
fn a_spare_folder_the_build_did_not_make_is_refused_and_kept() {
    let site = Site::from_fixture("valid");
    let o = site.tmp().join("o");
    let foreign = o.join(".public.previous");
    fs::create_dir_all(foreign.join("t")).unwrap();
    fs::write(foreign.join(".gitignore"), "*\n").unwrap();
    fs::write(foreign.join("t/ch1.tex"), "x\n").unwrap();
    let run = Build::of(&site.root)
        .now(TODAY)
        .output(o.join("public"))
        .run();
    run.expect_code(2);
    assert!(
        run.stderr().contains(".public.previous") && run.stderr().contains("did not make it"),
        "{}",
        run.transcript()
    );
    assert_eq!(
        fs::read_to_string(foreign.join("t/ch1.tex")).unwrap(),
        "x\n"
    );
    assert!(!o.join("public").exists(), "nothing was built beside it");

    // Once the folder is gone, builds keep their own spare there, and rewrite it.
    fs::remove_dir_all(&foreign).unwrap();
    for _ in 0..3 {
        Build::of(&site.root)
            .now(TODAY)
            .output(o.join("public"))
            .run()
            .expect_success();
    }
    assert!(foreign.join(".gitignore").is_file());
}

/// Point 2: the token never goes where a `user:pass@` part hides the real host, nor in clear to
/// another machine; the messages show no credentials.
#[test]
#[cfg(feature = "sync")]
fn a_graphql_address_with_credentials_or_a_remote_plain_http_host_is_refused() {
    let site = one_group_site();
    let github = FakeGitHub::start();
    github.put(Repo::new("o/r"));
    let local = github.url();
    let port_and_path = local.strip_prefix("http://127.0.0.1").unwrap();
    for endpoint in [
        "http://127.0.0.1:1@example.org/graphql".to_string(),
        "http://localhost@example.org/graphql".to_string(),
        format!("http://127.0.0.1:1@127.0.0.1{port_and_path}"),
        format!("http://user:secret@127.0.0.1{port_and_path}"),
        "https://user:secret@api.github.com/graphql".to_string(),
        "http://example.org/graphql".to_string(),
        "//example.org/graphql".to_string(),
    ] {
        let run = sync(&site, &endpoint);
        run.expect_code(2);
        let stderr = run.stderr();
        assert!(
            stderr.contains("GITHUB_GRAPHQL_URL"),
            "{endpoint}: {stderr}"
        );
        for secret in ["secret", ":1@", "user:", "localhost@"] {
            assert!(!stderr.contains(secret), "{endpoint}: {stderr}");
        }
    }
    assert_eq!(github.requests(), 0, "the token was sent nowhere");
    sync(&site, &local).expect_success();
    assert_eq!(github.requests(), 1);
}

/// Point 3: what GitHub says is shown escaped, as content is: no forged CI annotation on a line
/// of its own, no escape sequence reaching the terminal.
#[test]
#[cfg(feature = "sync")]
fn messages_from_github_are_escaped_in_the_log() {
    let site = one_group_site();
    let github = FakeGitHub::start();
    github.put(Repo::new("o/r"));
    let forged =
        "boom\n::error file=content/groups/agents.md,line=1::forged\u{1b}[2J\u{7}\r::warning::x";
    github.always(Some(Fault::QueryError(forged.to_string())));
    let run = sync(&site, &github.url());
    run.expect_code(2);
    let stderr = run.stderr();
    assert!(
        stderr.contains("boom\\n::error file=content/groups/agents.md,line=1::forged\\u{1b}[2J"),
        "{stderr}"
    );
    for line in stderr.lines() {
        assert!(
            !line.starts_with("::"),
            "a forged annotation: {line:?}\n{stderr}"
        );
    }
    assert!(!stderr.contains(['\u{1b}', '\u{7}', '\r']), "{stderr:?}");
}

/// Point 4: what GitHub sends that the build would refuse in the data file is left out, each
/// named with its source and address; a long title is shortened. The sync exits 0, the build
/// then passes, and so does the next sync.
#[test]
#[cfg(feature = "sync")]
fn the_sync_leaves_out_what_the_build_would_refuse() {
    let site = one_group_site();
    let github = FakeGitHub::start();
    let bad = [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/issues/3",
        "",
        "https://github.com/o/r/issues/5 and more",
        "https://user:pw@github.com/o/r/issues/6",
    ];
    let mut repo = Repo::new("o/r").issue(1, "A good one", "2026-11-20", &[]);
    for (n, url) in bad.iter().enumerate() {
        repo = repo
            .issue(10 + n as u32, "A bad address", "2026-11-21", &[])
            .set_last("issues", "url", json!(url));
    }
    let long_title = "Long ".repeat(200_000);
    repo = repo.issue(2, &long_title, "2026-11-19", &[]);
    github.put(repo);

    let run = sync(&site, &github.url());
    run.expect_success();
    let stderr = run.stderr();
    for url in bad {
        let shown = format!("warning: agents: repository o/r: left out {url}: its address");
        assert!(stderr.contains(&shown), "{shown}\n{stderr}");
    }
    let data = fs::read_to_string(site.path("data/activity.toml")).unwrap();
    assert!(data.len() < 4096, "{} bytes", data.len());
    let table: toml::Table = data.parse().unwrap();
    let events = table["agents"].as_array().unwrap();
    let urls: Vec<&str> = events.iter().map(|e| e["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://github.com/o/r/issues/1",
            "https://github.com/o/r/issues/2"
        ]
    );
    let title = events[1]["title"].as_str().unwrap();
    assert!((250..=256).contains(&title.chars().count()), "{title}");
    assert!(title.ends_with('…'));

    site.build().run().expect_success();
    sync(&site, &github.url()).expect_success();
    site.build().run().expect_success();
}

/// Point 4: of a group's events, the file keeps the newest 100, whatever its sources hold.
#[test]
#[cfg(feature = "sync")]
fn a_group_keeps_its_newest_hundred_events() {
    let site = one_group_site();
    let agents = fs::read_to_string(site.path("content/groups/agents.md")).unwrap();
    site.write(
        "content/groups/agents.md",
        agents.replace(
            "repositories = [\"o/r\"]",
            "repositories = [\"o/r\", \"o/s\", \"o/t\"]",
        ),
    );
    let github = FakeGitHub::start();
    for (r, name) in ["o/r", "o/s", "o/t"].into_iter().enumerate() {
        let mut repo = Repo::new(name);
        for n in 1..=10u32 {
            // Days 1 to 28 of November: every event of the three repositories on its own day or so.
            let day = |k: u32| format!("2026-11-{:02}", (k + r as u32 * 3) % 28 + 1);
            repo = repo
                .commit(n, &format!("Commit {n}"), &day(n))
                .issue(n, &format!("Issue {n}"), &day(n + 1), &[])
                .pull(100 + n, &format!("Open {n}"), &day(n + 2), None, &[])
                .pull(
                    200 + n,
                    &format!("Merged {n}"),
                    &day(n + 3),
                    Some(&day(n + 3)),
                    &[],
                );
        }
        github.put(repo);
    }
    sync(&site, &github.url()).expect_success();
    let data = fs::read_to_string(site.path("data/activity.toml")).unwrap();
    let table: toml::Table = data.parse().unwrap();
    let events = table["agents"].as_array().unwrap();
    assert_eq!(events.len(), 100, "120 events read, the newest 100 kept");
    site.build().run().expect_success();
}

/// Point 5: an event dated after the moment of reading is refused, whether GitHub sends it or the
/// file already holds it, and it no longer hides the real events after it.
#[test]
#[cfg(feature = "sync")]
fn events_dated_after_the_sync_are_refused() {
    let site = one_group_site();
    site.write(
        "data/activity.toml",
        "[[agents]]\ndate = 9999-12-31\nkind = \"commit\"\ntitle = \"From the future\"\n\
         url = \"https://github.com/o/r/commit/ffff\"\nsource = \"repository o/r\"\n",
    );
    site.build().run().expect_success();
    let github = FakeGitHub::start();
    github.put(
        Repo::new("o/r")
            .commit(1, "Real work", "2026-11-20")
            .commit(2, "A clock far ahead", "9999-12-30")
            .issue(3, "Also ahead", "3000-01-01", &[]),
    );
    let run = sync(&site, &github.url());
    run.expect_success();
    let stderr = run.stderr();
    for (url, date) in [
        ("https://github.com/o/r/commit/ffff", "9999-12-31"),
        (
            "https://github.com/o/r/commit/0000000000000000000000000000000000000002",
            "9999-12-30",
        ),
        ("https://github.com/o/r/issues/3", "3000-01-01"),
    ] {
        let shown = format!("warning: agents: repository o/r: left out {url}: it is dated {date}");
        assert!(stderr.contains(&shown), "{shown}\n{stderr}");
    }
    let data = fs::read_to_string(site.path("data/activity.toml")).unwrap();
    assert!(!data.contains("9999") && !data.contains("3000-"), "{data}");
    assert!(data.contains("Real work"), "{data}");
}

/// Point 6: ids written in raw HTML get what headings' ids get: none is the theme's (`main`) or
/// the preview's (`groupdir-overlay`, which its script finds by id), none is used twice.
#[test]
fn ids_in_raw_html_are_unique_and_never_the_themes_or_the_previews() {
    use crate::common::group;
    let site = Site::new();
    let body = "<div id=\"main\">one</div>\n\n<div id=\"groupdir-overlay\">two</div>\n\n\
                ## Dup\n\n<div id=\"dup\">three</div>\n\n<h3 id=\"dup\">four</h3>\n\n\
                <div id=\"groupdir-reload\">five</div>\n";
    site.write("content/groups/alpha.md", group("Alpha", "", body));
    site.build().run().expect(0);
    let page = site.read("public/groups/alpha/index.html");
    let html = scraper::Html::parse_document(&page);
    let selector = scraper::Selector::parse("[id]").unwrap();
    let ids: Vec<&str> = html
        .select(&selector)
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        assert!(seen.insert(id), "`{id}` twice in {ids:?}");
        assert!(!id.starts_with("groupdir-"), "`{id}` in {ids:?}");
    }
    for text in ["one", "two", "three", "four", "five"] {
        assert!(page.contains(&format!(">{text}<")), "{text} was kept");
    }
    assert!(ids.contains(&"main"), "the theme keeps its own: {ids:?}");
}

/// Point 7: `--output` is read once as it reads (`public/x/..` is `public`, and leaves no
/// `public/x` behind; `public/.` is `public`), and an output inside `.git/` is refused.
#[test]
fn output_paths_are_normalised_once_and_git_folders_refused() {
    let site = Site::from_fixture("valid");
    let build =
        |output: &str| site.run(&["build", "--root", ".", "--now", TODAY, "--output", output]);
    build("public/x/..").expect_success();
    assert!(site.path("public/index.html").is_file());
    assert!(!site.path("public/x").exists(), "no public/x left behind");
    build("public").expect_success();
    build("public/.").expect_success();
    build("./public/./").expect_success();
    assert!(!site.path("public/x").exists());
    assert_eq!(
        crate::common::entries(&site.root)
            .into_iter()
            .filter(|n| n.starts_with(".public"))
            .collect::<Vec<_>>(),
        [".public.previous"]
    );

    fs::create_dir_all(site.path(".git")).unwrap();
    for output in [".git/public", ".git", "public/../.git/site"] {
        let run = build(output);
        run.expect_code(2);
        assert!(
            run.stderr().contains(".git/ folder"),
            "{output}: {}",
            run.stderr()
        );
    }
    assert_eq!(
        crate::common::entries(&site.path(".git")),
        Vec::<String>::new()
    );
}

/// Point 8: the temporary files of syncs killed mid-write are removed by the next sync, even one
/// that writes nothing; only files named exactly so, of a process that is gone or long ago.
#[test]
#[cfg(feature = "sync")]
fn a_sync_removes_the_temporary_files_killed_syncs_left() {
    let site = one_group_site();
    let github = FakeGitHub::start();
    github.put(Repo::new("o/r").issue(1, "Work", "2026-11-20", &[]));
    sync_at(&site, &github.url()).expect_success();

    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let data = site.path("data");
    let stale = [
        format!(".activity.toml.{dead}.tmp"),
        // Process 1 runs, but the file is an hour old: its id was used again.
        ".activity.toml.1.tmp".to_string(),
    ];
    let kept = [
        format!(".activity.toml.{}.tmp", std::process::id()),
        ".activity.toml.x1.tmp".to_string(),
        format!(".activity.toml.{dead}.tmp.keep"),
        format!("activity.toml.{dead}.tmp"),
        "notes.tmp".to_string(),
    ];
    for name in stale.iter().chain(&kept) {
        fs::write(data.join(name), "half a file").unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(data.join(".activity.toml.1.tmp"))
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    fs::create_dir(data.join(format!(".activity.toml.{}.tmp", dead + 1))).unwrap();

    let run = sync_at(&site, &github.url());
    run.expect_success();
    assert!(
        run.stderr().contains("data/activity.toml: unchanged"),
        "{}",
        run.stderr()
    );
    let mut expected: Vec<String> = kept.to_vec();
    expected.push(format!(".activity.toml.{}.tmp", dead + 1));
    expected.push("activity.toml".to_string());
    expected.sort();
    assert_eq!(crate::common::entries(&data), expected);
}

/// Point 8: `--base-url` is the whole address the site is published at; anything else is refused
/// with a clear error, not taken for a path (`//evil.example/` was, and the build then warned it
/// had no address).
#[test]
fn a_base_url_that_is_not_an_absolute_address_is_refused() {
    let site = Site::from_fixture("valid");
    for base_url in [
        "//evil.example/",
        "/sub/",
        "ftp://example.org/",
        "https://",
        "https:/example.org/",
        "javascript:alert(1)//",
    ] {
        let run = site.run(&[
            "build",
            "--root",
            ".",
            "--now",
            TODAY,
            "--base-url",
            base_url,
        ]);
        run.expect_code(2);
        assert!(
            run.stderr().contains("--base-url")
                && run.stderr().contains("absolute http(s) address"),
            "{base_url}: {}",
            run.stderr()
        );
        assert!(!site.path("public").exists(), "{base_url}");
    }
    site.run(&[
        "build",
        "--root",
        ".",
        "--now",
        TODAY,
        "--base-url",
        "https://example.org/sub/",
    ])
    .expect_success();
}

//! The third hostile round against `build`, `sync` and `serve` (issue 21): a spare folder the
//! build did not make, a token address with credentials, GitHub's messages in the log, a data
//! file the build would refuse, events from the future, ids from raw HTML, odd output paths,
//! stale temporary files and base URLs that are not addresses.

use std::fs;
use std::path::Path;

use serde_json::json;

use crate::common::{Groupdir, Run, Site, TODAY, build_into, temp_dir};
use crate::github::{FakeGitHub, Fault, Repo, TOKEN};

/// A site of one group whose only source is the repository `o/r`.
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
    site.write("content/groups/agents.md", &format!("{agents}\n"));
    site
}

fn sync(site: &Site, endpoint: &str) -> Run {
    Groupdir::new(&["sync", "--root", "."])
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
    let run = build_into(&site.root, &o.join("public"), &["--now", TODAY]);
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
        build_into(&site.root, &o.join("public"), &["--now", TODAY]).expect_success();
    }
    assert!(foreign.join(".gitignore").is_file());
}

/// Point 2: the token never goes where a `user:pass@` part hides the real host, nor in clear to
/// another machine; the messages show no credentials.
#[test]
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

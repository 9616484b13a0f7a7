//! Activity from where groups work, as the build sees it: `[sources]` in a group file, checked
//! like every other key, and the events of `data/activity.toml` on the pages, in the feed, in
//! `groups.json` and in `groupdir stale`, with the governance rule for working groups.

use serde_json::Value;

use crate::common::{self, Site, TODAY, read, text_of};

/// Events as `groupdir sync` writes them: the Agents WG met recently but merged its last pull
/// request 46 days before TODAY; the Auth IG's issue is newer than its file's date; the Registry
/// WG has commits but no issue or pull request; one event is dated after TODAY.
const DATA: &str = r##"# written by hand for the test, in the shape `groupdir sync` writes
[_read]
"discussions in o/community, category 'Auth IG'" = 2026-11-25T06:00:00Z
"discussions in o/community, category 'Meeting Notes', title containing 'Agents WG'" = 2026-11-25T06:00:00Z
"discussions in o/community, category 'Meeting Notes', title containing 'Auth IG'" = 2026-11-25T06:00:00Z
"label 'auth' in o/community" = 2026-11-25T06:00:00Z
"repository o/agents-wg" = 2026-11-25T06:00:00Z
"repository o/registry" = 2026-11-25T06:00:00Z

[[agents]]
date = 2026-11-20
kind = "meeting-notes"
title = "Agents WG meeting, 2026-11-20"
url = "https://github.com/o/community/discussions/101"
source = "discussions in o/community, category 'Meeting Notes', title containing 'Agents WG'"

[[agents]]
date = 2026-10-10
kind = "pull-request-merged"
title = "Meeting notes 2026-10-09"
url = "https://github.com/o/agents-wg/pull/21"
source = "repository o/agents-wg"

[[auth]]
date = 2026-11-26
kind = "issue"
title = "Tomorrow's issue"
url = "https://github.com/o/community/issues/202"
source = "label 'auth' in o/community"

[[auth]]
date = 2026-11-21
kind = "issue"
title = "Token <refresh> & rotation"
url = "https://github.com/o/community/issues/201"
source = "label 'auth' in o/community"

[[registry]]
date = 2026-11-24
kind = "commit"
title = "Release 1.2"
url = "https://github.com/o/registry/commit/1"
source = "repository o/registry"
"##;

const DONE: &str = r##"+++
title = "Done"
kind = "working-group"
status = "active"
summary = "A working group that has delivered everything."
last_activity = 2026-11-20
discord = "#done-wg"
facilitators = [{ name = "Dee Done" }]
use_cases = "Finishing."
first_deliverable = { title = "SEP-3", link = "https://example.org/sep-3" }
deliverables = [{ title = "SEP-3", status = "done" }, { title = "SEP-4", status = "dropped" }]
+++
A fixture group.
"##;

fn site() -> Site {
    let site = Site::from_fixture("sync/site");
    site.write("data/activity.toml", DATA);
    site.write("content/groups/done.md", DONE);
    site
}

#[test]
fn synced_events_reach_the_pages_the_feed_and_groups_json() {
    let site = site();
    // The feed needs the site's address.
    let base_url = "https://groups.example.org/";
    site.build().base_url(base_url).run().expect_success();
    let public = site.path("public");

    let auth = read(&public, "groups/auth/index.html");
    assert!(
        auth.contains("<h2 id=\"recent-activity\">Recent activity</h2>"),
        "{auth}"
    );
    assert!(
        auth.contains("<time datetime=\"2026-11-21\">2026-11-21</time> issue: <a href=\"https://github.com/o/community/issues/201\">Token &lt;refresh&gt; &amp; rotation</a>"),
        "{auth}"
    );
    assert!(
        !auth.contains("issues/202"),
        "an event after the build's day is not shown"
    );

    let json: Value = serde_json::from_str(&read(&public, "groups.json")).unwrap();
    let auth = common::group_in(&json, "auth");
    assert_eq!(
        auth["last_activity"], "2026-11-21",
        "the synced issue is newer than the file's date"
    );
    assert_eq!(
        (auth["stale"].as_bool(), auth["governance_rule"].is_null()),
        (Some(false), true)
    );
    assert_eq!(auth["events"].as_array().unwrap().len(), 1);
    assert_eq!(auth["events"][0]["source"], "label 'auth' in o/community");
    assert_eq!(auth["sources"]["labels"][0]["label"], "auth");

    let agents = common::group_in(&json, "agents");
    assert_eq!(agents["last_activity"], "2026-11-20");
    assert_eq!(
        agents["governance_rule"]["last_issue_or_pull_request"],
        "2026-10-10"
    );
    assert_eq!(agents["governance_rule"]["days_without"], 46);
    assert_eq!(
        agents["stale"], true,
        "a recent meeting does not satisfy the governance rule"
    );
    let registry = common::group_in(&json, "registry");
    assert_eq!(
        registry["governance_rule"]["last_issue_or_pull_request"],
        Value::Null
    );
    assert_eq!(registry["stale"], true);
    assert_eq!(common::group_in(&json, "done")["completed"], true);

    let page = read(&public, "groups/agents/index.html");
    assert!(
        page.contains("data-last-activity=\"2026-10-10\" data-threshold=\"30\" data-at-risk-days=\"7\" data-rule=\"issue-or-pull-request\" data-horizon=\"2026-11-25\" data-grace-days=\"3\" title=\"no issue or pull request updated since 2026-10-10; read on 2026-11-25\">Stale: no issue or pull request updated since <time datetime=\"2026-10-10\">2026-10-10</time> (46 days)</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"read-on\">Read from GitHub on <time datetime=\"2026-11-25\">2026-11-25</time></span>"),
        "{page}"
    );
    assert!(
        text_of(&page).contains("No issue or pull request updated for 46 days, since 2026-10-10 ."),
        "{page}"
    );

    let feed = read(&public, "feed.xml");
    assert!(
        feed.contains("<title>Auth: issue: Token &lt;refresh&gt; &amp; rotation</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("href=\"https://github.com/o/community/issues/201\""),
        "{feed}"
    );
    assert!(
        feed.contains(
            "<id>https://groups.example.org/groups/auth/#event-https%3A%2F%2Fgithub%2Ecom%2Fo%2Fcommunity%2Fissues%2F201</id>"
        ),
        "{feed}"
    );
}

#[test]
fn stale_says_where_the_last_activity_comes_from_and_applies_the_rule() {
    let site = site();
    let run = site.run(&["stale", "--now", TODAY]);
    run.expect_success();
    let text = run.stdout();
    assert!(
        text.starts_with(
            "Stale and at-risk groups on 2026-11-25 (activity read from GitHub up to 2026-11-25, the \
             oldest horizon): 2 stale, 0 at risk, 1 completed, 1 with meeting notes missing\n"
        ),
        "{text}"
    );
    for line in [
        "STALE    Registry (WG)",
        "issues and PRs none on record: stale by the governance rule",
        "STALE    Agents (WG)",
        "last activity  2026-11-20, 5 days ago\n",
        "from           meeting notes “Agents WG meeting, 2026-11-20” https://github.com/o/community/discussions/101 (discussions in o/community, category 'Meeting Notes', title containing 'Agents WG')",
        "issues and PRs 2026-10-10, 46 days ago: 16 days past the 30-day threshold (the governance rule)",
        "COMPLETE Done (WG)",
        "completed      every deliverable is done: consider retiring",
        "from           `last_activity` in the group file",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert!(
        !text.contains("Auth (IG)"),
        "its synced issue keeps it fresh:\n{text}"
    );
    assert!(
        text.find("Registry").unwrap() < text.find("Agents").unwrap(),
        "no issue or pull request at all is the most overdue"
    );

    let json = site.run(&["stale", "--now", TODAY, "--format", "json"]);
    let records: Value = serde_json::from_str(&json.stdout()).unwrap();
    let slugs: Vec<&str> = records["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["registry", "agents", "done"]);
}

#[test]
fn sources_are_checked_like_every_other_key() {
    let site = Site::from_fixture("sync/site");
    let path = "content/groups/auth.md";
    let text = read(&site.root, path).replace(
        "labels = [{ repository = \"o/community\", label = \"auth\" }]\ndiscussions = [{ repository = \"o/community\", category = \"Meeting Notes\", title_contains = \"Auth IG\" }]",
        "repositories = [\"https://github.com/o/auth\", \"o/auth\"]\ndiscussions = [{ repository = \"o/community\", categroy = \"Meeting Notes\" }, { repository = \"o/community\", title_contains = \" \" }]\nlabel = []",
    );
    site.write(path, &text);
    let run = site.run(&["check"]);
    run.expect_code(1);
    let stderr = run.stderr();
    for expected in [
        "content/groups/auth.md:12:17: error: `https://github.com/o/auth` is not a GitHub repository: write `owner/name`",
        "hint: write it as GitHub does, such as \"modelcontextprotocol/agents-wg\"",
        "content/groups/auth.md:13:46: error: unknown key `categroy`",
        "hint: did you mean `category`?",
        "content/groups/auth.md:13:123: error: `sources.discussions[1].title_contains` is empty",
        "content/groups/auth.md:14:1: error: unknown key `label`",
        "hint: did you mean `labels`?",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert!(
        !stderr.contains("twice"),
        "sources with errors are not also called repeats:\n{stderr}"
    );

    let repeated = text
        .replace("\"https://github.com/o/auth\", \"o/auth\"", "\"o/auth\", \"o/auth\"")
        .replace("categroy", "category")
        .replace("title_contains = \" \"", "title_contains = \"Auth\"")
        .replace("label = []", "labels = [{ repository = \"o/community\", label = \"auth\" }, { repository = \"o/community\", label = \"auth\" }]");
    site.write(path, &repeated);
    let run = site.run(&["check"]);
    run.expect_code(1);
    let stderr = run.stderr();
    for expected in [
        "content/groups/auth.md:12:27: error: [sources] lists the repository o/auth twice",
        "content/groups/auth.md:14:59: error: [sources] lists the label 'auth' in o/community twice",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert_eq!(stderr.matches("twice").count(), 2, "{stderr}");
}

//! Verdicts that never outrun their evidence (issue 23): a sync records when it read each
//! source; a build past the grace period calls a quiet group with sources `unknown`, not stale,
//! on every output; a failed source keeps its old horizon; bots keep nobody alive; an event
//! dated after its reading is refused.

use serde_json::Value;

use crate::common::{self, Groupdir, Run, Site, read};
use crate::github::{FakeGitHub, Repo, TOKEN};

const DATA: &str = "data/activity.toml";
/// Day D of the tests: the sync reads GitHub at this moment.
const READ_AT: &str = "2026-11-26T06:00:12Z";

fn agents() -> Repo {
    Repo::new("o/agents-wg")
        .commit(1, "Notes for 2026-11-24", "2026-11-24")
        .issue(11, "Task lifecycle", "2026-11-23", &[])
}

fn registry() -> Repo {
    Repo::new("o/registry").pull(31, "Server search", "2026-10-18", Some("2026-10-18"), &[])
}

fn community() -> Repo {
    Repo::new("o/community")
        .discussion(
            101,
            "Meeting Notes",
            "Agents WG meeting, 2026-11-20",
            "2026-11-20",
        )
        .discussion(102, "Meeting Notes", "Auth IG call notes", "2026-11-18")
        .issue(201, "Token refresh", "2026-11-21", &["auth"])
}

struct World {
    site: Site,
    github: FakeGitHub,
}

impl World {
    fn new() -> World {
        let github = FakeGitHub::start();
        github.put(community());
        github.put(agents());
        github.put(registry());
        World {
            site: Site::from_fixture("sync/site"),
            github,
        }
    }

    fn sync(&self, now: &str) -> Run {
        Groupdir::new(&["sync", "--root", ".", "--now", now])
            .current_dir(&self.site.root)
            .env("GITHUB_TOKEN", TOKEN)
            .env("GITHUB_GRAPHQL_URL", &self.github.url())
            .env("GROUPDIR_SYNC_BACKOFF_MS", "10")
            .run()
    }

    /// Builds as of `day` into `public-<day>` and returns the folder's path.
    fn build(&self, day: &str) -> std::path::PathBuf {
        let out = format!("public-{day}");
        let base = ["--base-url", "https://groups.example.org/"];
        let args = [
            &["build", "--root", ".", "--now", day, "--output", &out][..],
            &base,
        ]
        .concat();
        self.site.run(&args).expect_success();
        self.site.path(&out)
    }

    fn horizons(&self) -> toml::Table {
        let data: toml::Table = read(&self.site.root, DATA).parse().expect("TOML");
        data["_read"].as_table().expect("a [_read] table").clone()
    }
}

fn standings(json: &Value) -> Vec<(String, String)> {
    json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let s = |k: &str| g[k].as_str().unwrap().to_string();
            (s("slug"), s("standing"))
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_sync_records_its_horizon_and_verdicts_stand_the_next_day_but_not_forty_days_on() {
    let world = World::new();
    world.sync(READ_AT).expect_success();
    let horizons = world.horizons();
    assert_eq!(horizons.len(), 5, "one horizon per source: {horizons:#?}");
    for (source, at) in &horizons {
        assert_eq!(at.to_string(), READ_AT, "{source}");
    }

    // D+1: the record is fresh, so the verdicts stand: Registry's last pull request is 40 days old.
    let public = world.build("2026-11-27");
    let json: Value = serde_json::from_str(&read(&public, "groups.json")).unwrap();
    assert_eq!(
        standings(&json),
        pairs(&[
            ("agents", "active"),
            ("auth", "active"),
            ("quiet", "active"),
            ("registry", "stale"),
        ])
    );
    let registry = common::group_in(&json, "registry");
    assert_eq!(registry["horizon"], READ_AT);
    assert_eq!(registry["days"], 40);
    assert_eq!(registry["since"], "2026-10-18");
    assert_eq!(
        registry["reason"],
        "no issue or pull request updated since 2026-10-18; read on 2026-11-26"
    );
    assert_eq!(json["read"], READ_AT);
    let index = read(&public, "index.html");
    assert!(
        index.contains("<p class=\"notice notice-horizon\" data-read=\"2026-11-26\" data-grace-days=\"3\" hidden>"),
        "a fresh reading needs no notice:\n{index}"
    );

    // D+40 and no sync since: the quiet groups with sources are unknown, everywhere.
    let day = "2027-01-05";
    let public = world.build(day);
    let json: Value = serde_json::from_str(&read(&public, "groups.json")).unwrap();
    assert_eq!(
        standings(&json),
        pairs(&[
            ("agents", "unknown"),
            ("auth", "active"),
            ("quiet", "stale"),
            ("registry", "unknown"),
        ]),
        "an IG within its 90 days is active whatever its horizon; a group without sources keeps the old rules"
    );
    let agents = common::group_in(&json, "agents");
    assert_eq!(
        (agents["stale"].as_bool(), agents["unknown"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(
        agents["reason"],
        "no issue or pull request recorded after 2026-11-23 up to 2026-11-26; not read since"
    );
    let index = read(&public, "index.html");
    assert!(
        index.contains("<p class=\"notice notice-horizon\" data-read=\"2026-11-26\" data-grace-days=\"3\">Activity last read from GitHub on <time datetime=\"2026-11-26\">2026-11-26</time>."),
        "{index}"
    );
    for slug in ["agents", "registry"] {
        let card = index
            .split(&format!("data-slug=\"{slug}\""))
            .nth(1)
            .and_then(|s| s.split("</li>").next())
            .expect("the card");
        assert!(card.contains("badge badge-unknown"), "{slug}: {card}");
    }
    assert!(
        index.contains("<span class=\"n\">2</span> not read lately"),
        "{index}"
    );
    let page = read(&public, "groups/registry/index.html");
    assert!(
        page.contains("<span class=\"badge badge-unknown\"")
            && page.contains(">Unknown: not read since <time datetime=\"2026-11-26\">2026-11-26</time></span>")
            && page.contains("<span class=\"read-on\">Read from GitHub on <time datetime=\"2026-11-26\">2026-11-26</time></span>")
            && page.contains("<p class=\"notice notice-stale\" hidden>")
            && page.contains("<p class=\"notice notice-unknown\">"),
        "{page}"
    );
    let feed = read(&public, "feed.xml");
    assert!(
        feed.contains("Activity last read from GitHub on 2026-11-26.</subtitle>")
            && feed.contains("(activity read from GitHub up to 2026-11-26)</summary>"),
        "{feed}"
    );

    let stale = world
        .site
        .run(&["stale", "--root", ".", "--now", day, "--format", "json"]);
    stale.expect_success();
    let report: Value = serde_json::from_str(&stale.stdout()).unwrap();
    let slugs = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["slug"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(slugs("groups"), ["quiet"]);
    assert_eq!(
        slugs("unknown"),
        ["registry", "agents"],
        "most overdue first"
    );
    assert_eq!(report["horizon"], READ_AT);
    assert_eq!(report["reading"]["old"], true);
    let text = world
        .site
        .run(&["stale", "--root", ".", "--now", day])
        .stdout();
    assert!(
        text.starts_with("Stale and at-risk groups on 2027-01-05 (activity read from GitHub up to 2026-11-26, the oldest horizon): 1 stale, 0 at risk, 2 unknown"),
        "{text}"
    );
    let apart = text
        .split("Not read since their horizon")
        .nth(1)
        .expect("unknown apart");
    assert!(
        apart.contains("UNKNOWN  Agents (WG)") && apart.contains("UNKNOWN  Registry (WG)"),
        "{text}"
    );
    assert!(!apart.contains("Quiet"), "{text}");
    // Unknown is not stale: `--fail` is about the stale group without sources only.
    world
        .site
        .run(&["stale", "--root", ".", "--now", day, "--fail"])
        .expect_code(1);
}

#[test]
fn a_failed_source_keeps_its_old_horizon_while_the_others_advance() {
    let world = World::new();
    world.sync(READ_AT).expect_success();
    world.github.delete("o/registry");
    let later = "2026-12-01T06:00:00Z";
    let run = world.sync(later);
    assert_eq!(run.code(), Some(2), "{}", run.transcript());
    let horizons = world.horizons();
    assert_eq!(horizons["repository o/registry"].to_string(), READ_AT);
    assert_eq!(horizons["repository o/agents-wg"].to_string(), later);
    assert_eq!(horizons["label 'auth' in o/community"].to_string(), later);
    // On 2026-12-03 the registry was last read 7 days before, past the grace: unknown, not stale;
    // the Agents WG, read 2 days before, stands on its own record.
    let public = world.build("2026-12-03");
    let json: Value = serde_json::from_str(&read(&public, "groups.json")).unwrap();
    let registry = common::group_in(&json, "registry");
    assert_eq!(registry["standing"], "unknown");
    assert_eq!(registry["horizon"], READ_AT);
    assert_eq!(common::group_in(&json, "agents")["horizon"], later);
    assert_eq!(common::group_in(&json, "agents")["standing"], "active");
    assert_eq!(json["read"], later, "the directory's reading is its newest");
}

#[test]
fn an_event_dated_after_its_reading_is_refused_not_stored() {
    let world = World::new();
    world
        .github
        .put(agents().commit(3, "From a clock ahead", "2026-11-30"));
    let run = world.sync(READ_AT);
    run.expect_success();
    let url = format!("https://github.com/o/agents-wg/commit/{:040x}", 3);
    assert!(
        run.stderr().contains(&format!(
            "warning: agents: repository o/agents-wg: left out {url}: it is dated 2026-11-30, after the day it was read (2026-11-26)"
        )),
        "{}",
        run.transcript()
    );
    assert!(!read(&world.site.root, DATA).contains(&url));
}

#[test]
fn a_later_sync_that_finds_nothing_new_changes_only_the_horizon_lines() {
    let world = World::new();
    world.sync(READ_AT).expect_success();
    let before = read(&world.site.root, DATA);
    world.sync("2026-11-27T06:00:00Z").expect_success();
    let after = read(&world.site.root, DATA);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 5, "{changed:#?}");
    for (old, new) in changed {
        assert_eq!(
            old.replace(READ_AT, "2026-11-27T06:00:00Z"),
            new,
            "only the moment of reading changes"
        );
    }
}

#[test]
fn activity_only_by_bots_keeps_nobody_alive() {
    use crate::github::{bot, comment, person};
    use serde_json::json;
    let world = World::new();
    world
        .site
        .write("site.toml", "[sync]\nbots = [\"Release-Robot\"]\n");
    world.github.put(
        registry()
            // Opened by a bot, answered by a bot: no person touched it.
            .issue(41, "Dependency update", "2026-11-25", &[])
            .set_last("issues", "author", bot())
            .set_last("issues", "comments", json!([comment("2026-11-25", bot())]))
            // Opened by a person long ago; only a bot spoke since: dated by the person.
            .issue(42, "Old question", "2026-11-24", &[])
            .set_last("issues", "createdAt", json!("2026-10-02T10:00:00Z"))
            .set_last(
                "issues",
                "comments",
                json!([
                    comment("2026-10-02", person()),
                    comment(
                        "2026-11-24",
                        json!({ "__typename": "User", "login": "stale[bot]" })
                    )
                ]),
            )
            .commit(7, "chore: release", "2026-11-24")
            .commit_author("release-robot", Some("release-robot"))
            .commit(8, "Bump", "2026-11-25")
            .commit_author("dependabot[bot]", None),
    );
    world.sync(READ_AT).expect_success();
    let data = read(&world.site.root, DATA);
    assert!(
        !data.contains("issues/41"),
        "a bot-only issue is no event:\n{data}"
    );
    assert!(
        data.contains(
            "[[registry]]\ndate = 2026-10-02\nkind = \"issue\"\ntitle = \"Old question\""
        ),
        "dated by its last human activity:\n{data}"
    );
    assert!(
        !data.contains("chore: release") && !data.contains("Bump"),
        "{data}"
    );
    let public = world.build("2026-11-27");
    let json: Value = serde_json::from_str(&read(&public, "groups.json")).unwrap();
    let registry = common::group_in(&json, "registry");
    assert_eq!(registry["standing"], "stale", "{registry:#}");
    assert_eq!(registry["since"], "2026-10-18");
}

#[test]
fn a_page_of_only_bots_work_does_not_end_the_reading() {
    use crate::github::{bot, comment};
    use serde_json::json;
    let world = World::new();
    world.sync(READ_AT).expect_success();
    // Since then: a person's pull request, then a full page (50) of bots' pull requests above it.
    let registry = (0..50).fold(
        registry().pull(32, "Search by tag", "2026-11-27", None, &[]),
        |repo, n| {
            repo.pull(500 + n, "Bump", "2026-11-29", None, &[])
                .set_last("pullRequests", "author", bot())
                .set_last(
                    "pullRequests",
                    "comments",
                    json!([comment("2026-11-29", bot())]),
                )
        },
    );
    world.github.put(registry);
    world.sync("2026-11-30T06:00:00Z").expect_success();
    let data = read(&world.site.root, DATA);
    assert!(
        data.contains("registry/pull/32"),
        "the person's work under a page of bots' is read:\n{data}"
    );
    assert!(!data.contains("Bump"), "{data}");
}

/// One event of the registry's, typed from its public record.
const EVENT: &str = "[[registry]]\ndate = 2026-10-18\nkind = \"pull-request\"\ntitle = \"Server search\"\nurl = \"https://github.com/o/registry/pull/31\"\nsource = \"repository o/registry\"\n";

#[test]
fn the_directory_says_read_from_github_only_of_a_syncs_reading_not_of_a_hand_seeded_record() {
    let world = World::new();
    let notice = |public: &std::path::Path| {
        let index = read(public, "index.html");
        let start = index
            .find("<p class=\"notice notice-horizon\"")
            .expect("the notice");
        let end = start + index[start..].find("</p>").unwrap();
        (index[start..end].to_string(), read(public, "feed.xml"))
    };
    // Hand-seeded only: a date is how far the public record reaches, not a reading of GitHub.
    world.site.write(
        DATA,
        format!("[_read]\n\"repository o/registry\" = 2026-11-20\n\"repository o/agents-wg\" = 2026-11-18\n{EVENT}"),
    );
    let (index, feed) = notice(&world.build("2027-01-05"));
    assert!(
        index.ends_with(">Public records of activity reach up to <time datetime=\"2026-11-20\">2026-11-20</time>. What happened since is not known here: a group quiet up to that day is shown as not read lately, not as gone quiet."),
        "{index}"
    );
    assert!(!index.contains("GitHub"), "{index}");
    assert!(
        feed.contains(" Public records of activity reach up to 2026-11-20.</subtitle>")
            && feed.contains("(activity on public record up to 2026-11-20)</summary>")
            && !feed.contains("read from GitHub"),
        "{feed}"
    );

    // The newest horizon is a sync's reading: then, and only then, GitHub was read that day.
    world.site.write(
        DATA,
        format!("[_read]\n\"repository o/registry\" = 2026-11-20\n\"repository o/agents-wg\" = {READ_AT}\n"),
    );
    let (index, feed) = notice(&world.build("2027-01-05"));
    assert!(
        index.contains(
            ">Activity last read from GitHub on <time datetime=\"2026-11-26\">2026-11-26</time>."
        ),
        "{index}"
    );
    assert!(
        feed.contains(" Activity last read from GitHub on 2026-11-26.</subtitle>"),
        "{feed}"
    );

    // A seeded record that reaches further than the last reading: the notice says how far it reaches.
    world.site.write(
        DATA,
        format!("[_read]\n\"repository o/registry\" = 2026-11-28\n\"repository o/agents-wg\" = {READ_AT}\n"),
    );
    let (index, _) = notice(&world.build("2027-01-05"));
    assert!(
        index.contains(">Public records of activity reach up to <time datetime=\"2026-11-28\">2026-11-28</time>."),
        "{index}"
    );
}

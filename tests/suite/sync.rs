//! `groupdir sync` against a fake of GitHub's GraphQL endpoint on 127.0.0.1: the data file it
//! writes, how few requests it makes, and that no failure ever loses an event it knew.

use std::time::Instant;

use crate::common::{Groupdir, Run, Site, read};
use crate::github::{FakeGitHub, Fault, Repo, TOKEN};

const DATA: &str = "data/activity.toml";

/// The moment the tests' syncs read GitHub, unless a test says otherwise.
pub const READ_AT: &str = "2026-11-26T06:00:12Z";

/// The shared repository: notes of two groups in one category, an `auth` label.
fn community() -> Repo {
    Repo::new("o/community")
        .discussion(
            101,
            "Meeting Notes",
            "Agents WG meeting, 2026-11-20",
            "2026-11-20",
        )
        .discussion(102, "Meeting Notes", "Auth IG call notes", "2026-11-18")
        .discussion(103, "General", "A question for the Agents WG", "2026-11-19")
        .discussion(
            104,
            "Meeting Notes",
            "Agents WG meeting, 2026-11-13",
            "2026-11-13",
        )
        .issue(201, "Token refresh", "2026-11-21", &["auth"])
        .issue(202, "Unrelated", "2026-11-22", &[])
        .pull(
            301,
            "Scopes in the spec",
            "2026-11-16",
            Some("2026-11-15"),
            &["auth"],
        )
}

fn agents() -> Repo {
    Repo::new("o/agents-wg")
        .commit(1, "Notes for 2026-11-24", "2026-11-24")
        .commit(2, "Add the charter", "2026-11-10")
        .issue(11, "Task lifecycle", "2026-11-23", &[])
        .pull(
            21,
            "Meeting notes 2026-11-19",
            "2026-11-19",
            Some("2026-11-19"),
            &[],
        )
}

fn registry() -> Repo {
    Repo::new("o/registry")
        .commit(1, "Release 1.2", "2026-10-20")
        .pull(31, "Server search", "2026-10-18", Some("2026-10-18"), &[])
}

/// The fixture site and a fake GitHub holding its three repositories.
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

    /// After a first, successful sync: the state every failure test starts from.
    fn synced() -> (World, Vec<u8>) {
        let world = World::new();
        world.sync().expect_success();
        let bytes = world.data_bytes();
        (world, bytes)
    }

    fn sync(&self) -> Run {
        self.sync_with(&self.github.url())
    }

    fn sync_with(&self, endpoint: &str) -> Run {
        self.sync_args(endpoint, &["sync", "--root", ".", "--now", READ_AT])
    }

    fn sync_args(&self, endpoint: &str, args: &[&str]) -> Run {
        self.syncer(endpoint, args).run()
    }

    /// A sync with `args` against `endpoint`, for a test to add to before it runs.
    fn syncer(&self, endpoint: &str, args: &[&str]) -> Groupdir {
        Groupdir::new(args)
            .current_dir(&self.site.root)
            .env("GITHUB_TOKEN", TOKEN)
            .env("GITHUB_GRAPHQL_URL", endpoint)
            .env("GROUPDIR_SYNC_BACKOFF_MS", "10")
    }

    /// The data file's `[_read]` horizons, as they are written.
    fn horizons(&self) -> Vec<String> {
        let data: toml::Table = self.data().parse().expect("the data file is TOML");
        let read = data["_read"].as_table().expect("a [_read] table");
        read.values().map(|at| at.to_string()).collect()
    }

    fn data(&self) -> String {
        read(&self.site.root, DATA)
    }

    fn data_bytes(&self) -> Vec<u8> {
        std::fs::read(self.site.path(DATA)).expect("the data file")
    }

    /// The `[[slug]]` entries of the data file, as (date, kind, url) lines.
    fn events(&self, slug: &str) -> Vec<String> {
        events_in(&self.data(), slug)
    }
}

fn events_in(data: &str, slug: &str) -> Vec<String> {
    let value: toml::Table = data.parse().expect("the data file is TOML");
    value
        .get(slug)
        .and_then(|v| v.as_array())
        .map(|events| {
            events
                .iter()
                .map(|e| {
                    format!(
                        "{} {} {}",
                        e["date"],
                        e["kind"].as_str().unwrap(),
                        e["url"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_first_sync_writes_every_groups_events_in_one_request() {
    let world = World::new();
    let run = world.sync();
    run.expect_success();
    assert_eq!(
        world.github.requests(),
        1,
        "nine lists of three repositories fit in one request"
    );
    assert!(
        run.stderr().contains("5 sources of 3 groups in 1 requests"),
        "{}",
        run.transcript()
    );
    assert_eq!(
        world.events("agents"),
        [
            "2026-11-24 commit https://github.com/o/agents-wg/commit/0000000000000000000000000000000000000001",
            "2026-11-23 issue https://github.com/o/agents-wg/issues/11",
            "2026-11-20 meeting-notes https://github.com/o/community/discussions/101",
            "2026-11-19 pull-request-merged https://github.com/o/agents-wg/pull/21",
            "2026-11-13 meeting-notes https://github.com/o/community/discussions/104",
            "2026-11-10 commit https://github.com/o/agents-wg/commit/0000000000000000000000000000000000000002",
        ]
    );
    assert_eq!(
        world.events("auth"),
        [
            "2026-11-21 issue https://github.com/o/community/issues/201",
            "2026-11-18 meeting-notes https://github.com/o/community/discussions/102",
            "2026-11-16 pull-request-merged https://github.com/o/community/pull/301",
        ],
        "the label and the title pick the group's own; a pull request is dated by its latest human activity, here a comment after its merge"
    );
    assert_eq!(world.events("registry").len(), 2);
    assert!(
        world.events("quiet").is_empty(),
        "a group without sources is left alone"
    );
    let data = world.data();
    assert!(
        data.contains("[[auth]]\ndate = 2026-11-21\nkind = \"issue\"\ntitle = \"Token refresh\"\nurl = \"https://github.com/o/community/issues/201\"\nsource = \"label 'auth' in o/community\"\n"),
        "{data}"
    );
    assert!(data.contains("source = \"discussions in o/community, category 'Meeting Notes', title containing 'Agents WG'\""), "{data}");
}

#[test]
fn a_second_sync_that_finds_nothing_new_changes_no_byte() {
    let (world, before) = World::synced();
    let modified = std::fs::metadata(world.site.path(DATA))
        .unwrap()
        .modified()
        .unwrap();
    let run = world.sync();
    run.expect_success();
    assert_eq!(world.data_bytes(), before);
    assert_eq!(
        std::fs::metadata(world.site.path(DATA))
            .unwrap()
            .modified()
            .unwrap(),
        modified,
        "the file is not even rewritten"
    );
    assert!(
        run.stderr().contains("data/activity.toml: unchanged"),
        "{}",
        run.transcript()
    );
    assert_eq!(
        world.github.requests(),
        2,
        "one request for the second sync too"
    );
}

#[test]
fn paging_goes_back_only_to_the_newest_event_known() {
    let (world, _) = World::synced();
    // 60 discussions newer than anything known, two of them the Agents WG's: more than a page.
    let mut community = community();
    for n in 0..60 {
        let title = if n % 30 == 0 {
            format!("Agents WG meeting {n}")
        } else {
            format!("Community call {n}")
        };
        community = community.discussion(400 + n, "Meeting Notes", &title, "2026-11-25");
    }
    world.github.put(community);
    world.sync().expect_success();
    assert_eq!(
        world.github.requests(),
        3,
        "the second sync needed one more page, and no third"
    );
    let second_page = world.github.query(2);
    assert_eq!(
        second_page.matches("repository(").count(),
        1,
        "only the unfinished list: {second_page}"
    );
    assert!(
        second_page.contains("discussions(first: 50, after: $p0_after"),
        "{second_page}"
    );
    let agents = world.events("agents");
    assert_eq!(
        agents
            .iter()
            .filter(|e| e.contains("meeting-notes"))
            .count(),
        4,
        "{agents:#?}"
    );
}

#[test]
fn a_deleted_repository_fails_its_sources_only_and_keeps_their_events() {
    let (world, _) = World::synced();
    let registry_before = world.events("registry");
    world.github.delete("o/registry");
    world
        .github
        .put(agents().issue(12, "Another task", "2026-11-25", &[]));
    let run = world.sync();
    run.expect_code(2);
    let stderr = run.stderr();
    assert!(
        stderr.contains("error: registry: repository o/registry: not found on GitHub")
            && stderr.contains("Could not resolve to a Repository with the name 'o/registry'"),
        "{}",
        run.transcript()
    );
    assert!(
        stderr.contains("1 of 5 sources could not be read"),
        "{stderr}"
    );
    assert_eq!(
        world.events("registry"),
        registry_before,
        "nothing of the failed source is lost"
    );
    assert!(
        world.events("agents")[0].ends_with("o/agents-wg/issues/12"),
        "the sources that answered are merged all the same"
    );
}

/// Runs a sync that must fail whole, and checks that the data file did not change by a byte.
fn fails_whole(world: &World, before: &[u8], run: &Run, why: &str) {
    run.expect_code(2);
    assert!(
        run.stderr().contains(why),
        "expected {why:?}\n{}",
        run.transcript()
    );
    assert!(
        run.stderr().contains("5 of 5 sources could not be read"),
        "{}",
        run.transcript()
    );
    assert_eq!(
        world.data_bytes(),
        before,
        "the data file is byte for byte as it was"
    );
}

#[test]
fn a_server_answering_502_with_an_html_page_changes_nothing() {
    let (world, before) = World::synced();
    world.github.always(Some(Fault::BadGatewayHtml));
    let run = world.sync();
    fails_whole(
        &world,
        &before,
        &run,
        "GitHub answered 502 with an HTML page, not JSON",
    );
    assert_eq!(world.github.requests(), 1 + 3, "three tries, then it stops");
}

#[test]
fn a_port_where_nothing_listens_changes_nothing() {
    let (world, before) = World::synced();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", closed.local_addr().unwrap());
    drop(closed);
    let run = world.sync_with(&url);
    fails_whole(&world, &before, &run, "no answer from GitHub");
}

#[test]
fn a_body_cut_off_half_way_is_tried_again() {
    let (world, before) = World::synced();
    world.github.queue(Fault::CutOff);
    world.sync().expect_success();
    assert_eq!(world.github.requests(), 1 + 2);
    assert_eq!(world.data_bytes(), before);

    world.github.always(Some(Fault::CutOff));
    let run = world.sync();
    fails_whole(
        &world,
        &before,
        &run,
        "the connection closed before the whole answer came",
    );
}

#[test]
fn a_secondary_rate_limit_is_waited_out_when_short() {
    let (world, before) = World::synced();
    world.github.queue(Fault::SecondaryLimit { retry_after: 1 });
    let started = Instant::now();
    world.sync().expect_success();
    assert!(
        started.elapsed().as_millis() >= 1000,
        "retry-after: 1 is honoured"
    );
    assert_eq!(world.github.requests(), 1 + 2);
    assert_eq!(world.data_bytes(), before);

    world
        .github
        .queue(Fault::SecondaryLimit { retry_after: 3600 });
    let run = world.sync();
    fails_whole(&world, &before, &run, "GitHub asks to wait 3600 s");
    assert_eq!(world.github.requests(), 3 + 1, "an hour is not waited for");
}

#[test]
fn a_refused_token_is_not_tried_again() {
    let (world, before) = World::synced();
    world.github.always(Some(Fault::Unauthorized));
    let run = world.sync();
    fails_whole(
        &world,
        &before,
        &run,
        "GitHub refused the token (401 Bad credentials): check GITHUB_TOKEN or GH_TOKEN",
    );
    assert_eq!(world.github.requests(), 1 + 1);
}

#[test]
fn a_used_up_rate_limit_stops_the_sync_and_keeps_what_it_could_not_read() {
    let (world, _) = World::synced();
    let agents_before = world.events("agents");
    let mut community = community();
    for n in 0..60 {
        community = community.discussion(
            400 + n,
            "Meeting Notes",
            &format!("Agents WG {n}"),
            "2026-11-25",
        );
    }
    world.github.put(community);
    world
        .github
        .put(registry().commit(2, "Release 1.3", "2026-11-25"));
    world.github.set_remaining(1);
    let run = world.sync();
    run.expect_code(2);
    assert!(
        run.stderr().contains("error: agents: discussions in o/community, category 'Meeting Notes', title containing 'Agents WG': GitHub's rate limit is used up until 2026-11-27T16:00:00Z"),
        "{}",
        run.transcript()
    );
    assert_eq!(
        world.github.requests(),
        2,
        "no request after the limit is used up"
    );
    assert_eq!(
        world.events("agents"),
        agents_before,
        "the unfinished list added nothing"
    );
    assert_eq!(
        world.events("registry")[0],
        "2026-11-25 commit https://github.com/o/registry/commit/0000000000000000000000000000000000000002"
    );
}

#[test]
fn without_a_token_the_error_names_both_variables() {
    let (world, before) = World::synced();
    let run = Groupdir::new(&["sync"])
        .current_dir(&world.site.root)
        .env("GITHUB_GRAPHQL_URL", &world.github.url())
        .run();
    run.expect_code(2);
    assert!(
        run.stderr()
            .contains("no GitHub token: set GITHUB_TOKEN or GH_TOKEN"),
        "{}",
        run.transcript()
    );
    assert_eq!(world.github.requests(), 1, "nothing was asked");
    assert_eq!(world.data_bytes(), before);
}

#[test]
fn sync_takes_the_site_arguments_now_included() {
    let world = World::new();
    // `--now` is the day the group files are checked against, as for build, check and stale.
    let root = world.site.root.display().to_string();
    let run = world.sync_args(
        &world.github.url(),
        &["sync", "--root", &root, "--now", "2026-08-15"],
    );
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("`last_activity` is 2026-09-01, which is after today (2026-08-15)"),
        "{}",
        run.transcript()
    );
    assert_eq!(world.github.requests(), 0, "nothing was asked");
    assert!(!world.site.path(DATA).exists(), "nothing was written");
    world
        .sync_args(&world.github.url(), &["sync", "--now", "2026-11-27"])
        .expect_success();
    assert!(world.site.path(DATA).exists());
}

/// 2026-11-26T06:00:12Z, `READ_AT`, in seconds since 1970.
const READ_AT_EPOCH: &str = "1795672812";

#[test]
fn source_date_epoch_pins_the_moment_of_reading_without_now() {
    let world = World::new();
    world
        .syncer(&world.github.url(), &["sync", "--root", "."])
        .env("SOURCE_DATE_EPOCH", READ_AT_EPOCH)
        .run()
        .expect_success();
    let horizons = world.horizons();
    assert_eq!(horizons.len(), 5, "one horizon per source: {horizons:?}");
    assert!(horizons.iter().all(|at| at == READ_AT), "{horizons:?}");
    // Its day is also the day the group files are checked against, as for a build.
    let world = World::new();
    let run = world
        .syncer(&world.github.url(), &["sync"])
        .env("SOURCE_DATE_EPOCH", "1786752000")
        .run();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("`last_activity` is 2026-09-01, which is after today (2026-08-15)"),
        "{}",
        run.transcript()
    );
}

#[test]
fn now_beats_source_date_epoch_and_is_read_in_utc() {
    let world = World::new();
    world
        .syncer(
            &world.github.url(),
            &["sync", "--now", "2026-11-26T15:00:12+09:00"],
        )
        .env("SOURCE_DATE_EPOCH", "1786752000")
        .run()
        .expect_success();
    let horizons = world.horizons();
    assert!(horizons.iter().all(|at| at == READ_AT), "{horizons:?}");
}

#[test]
fn sync_help_lists_the_site_arguments_once_and_says_what_pins_the_moment() {
    let run = Groupdir::new(&["sync", "--help"]).run();
    run.expect_success();
    let help = run.stdout();
    assert_eq!(help.matches("--root").count(), 1, "{help}");
    assert!(
        help.contains("--now, else SOURCE_DATE_EPOCH, else the clock"),
        "{help}"
    );
}

#[test]
fn a_malformed_data_file_is_reported_and_never_overwritten() {
    let world = World::new();
    let broken = "[[agents]]\ndate = 2026-11-20\nkind = \"meeting-note\"\ntitle = \"t\"\nurl = \"https://x/1\"\nsource = \"s\"\n";
    world.site.write(DATA, broken);
    let run = world.sync();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("data/activity.toml:3:8: error: `agents[0].kind` cannot be `meeting-note`"),
        "{}",
        run.transcript()
    );
    assert_eq!(world.data(), broken);
    assert_eq!(world.github.requests(), 0);
    let build = world.site.build().run();
    build.expect_code(1);
    assert!(
        build.stderr().contains("data/activity.toml:3:8"),
        "{}",
        build.transcript()
    );
}

/// Posts a query to the fake as a client would, and returns its JSON answer.
fn post(github: &FakeGitHub, query: &str, variables: serde_json::Value) -> serde_json::Value {
    use std::io::{Read, Write};
    let url = github.url();
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches("/graphql");
    let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nAuthorization: bearer {TOKEN}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (_, json) = answer
        .split_once("\r\n\r\n")
        .expect("headers, then the body");
    serde_json::from_str(json).expect("JSON")
}

#[test]
fn the_fake_rejects_queries_github_would_reject() {
    let github = FakeGitHub::start();
    github.put(community());
    let answer = post(
        &github,
        "query Q($owner: String!, $unused: Int) { repository(owner: $owner, name: $name) { discussions(frist: 5, orderBy: {field: NEWEST, direction: DESC}) { nodes { titel } } } }",
        serde_json::json!({ "owner": "o" }),
    );
    let messages: Vec<&str> = answer["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    for expected in [
        "Variable $name is used by Q but not declared",
        "Field 'discussions' doesn't accept argument 'frist'",
        "Argument value NEWEST is not a valid DiscussionOrderField",
        "Field 'titel' doesn't exist on type 'Discussion'",
        "Variable $unused is declared by Q but not used",
    ] {
        assert!(messages.contains(&expected), "{expected}\n{messages:#?}");
    }
    assert!(
        answer.get("data").is_none(),
        "an invalid query runs nothing"
    );
    let answer = post(
        &github,
        "query Q($after: String) { repository(owner: \"o\", name: \"community\") { discussions(first: 2, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) { pageInfo { hasNextPage endCursor } nodes { title } } } }",
        serde_json::json!({ "after": null }),
    );
    let page = &answer["data"]["repository"]["discussions"];
    assert_eq!(page["nodes"][0]["title"], "Agents WG meeting, 2026-11-20");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let next = post(
        &github,
        "query Q($after: String) { repository(owner: \"o\", name: \"community\") { discussions(first: 2, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) { pageInfo { hasNextPage endCursor } nodes { title } } } }",
        serde_json::json!({ "after": page["pageInfo"]["endCursor"] }),
    );
    let page = &next["data"]["repository"]["discussions"];
    assert_eq!(page["nodes"][1]["title"], "Agents WG meeting, 2026-11-13");
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
}

/// Every repository the bundled groups' `[sources]` name, each with items those sources pick.
fn bundled_github() -> (FakeGitHub, usize) {
    let mut repos: std::collections::BTreeMap<String, Repo> = std::collections::BTreeMap::new();
    let mut add = |name: &str, change: &dyn Fn(Repo) -> Repo| {
        let repo = repos.remove(name).unwrap_or_else(|| Repo::new(name));
        repos.insert(name.to_string(), change(repo));
    };
    let mut sources = 0;
    let groups = crate::common::repo().join("content/groups");
    for (n, entry) in std::fs::read_dir(groups).unwrap().enumerate() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let front: toml::Table = text.split("+++").nth(1).unwrap().parse().unwrap();
        let Some(table) = front.get("sources") else {
            continue;
        };
        let n = n as u32 * 10;
        // A charter the group names: its file, with a Leadership table the parser reads.
        if let Some((repo, path)) = table
            .get("charter")
            .and_then(|c| c.as_str())
            .and_then(|c| c.split_once(':'))
        {
            let path = path.to_string();
            add(repo, &|r| {
                r.file(
                    &path,
                    "## Leadership\n\n| Role | Name | Organization | GitHub | Term |\n| - | - | - | - | - |\n| Lead | A Lead | | | Initial |\n",
                )
            });
        }
        let list = |key: &str| {
            table
                .get(key)
                .and_then(|v| v.as_array())
                .cloned()
                .unwrap_or_default()
        };
        for repository in list("repositories") {
            sources += 1;
            add(repository.as_str().unwrap(), &|r| {
                r.commit(n + 1, "Notes", "2026-11-20")
                    .issue(n + 2, "A task", "2026-11-19", &[])
                    .pull(n + 3, "A change", "2026-11-18", Some("2026-11-18"), &[])
            });
        }
        for d in list("discussions") {
            sources += 1;
            let category = d
                .get("category")
                .and_then(|c| c.as_str())
                .unwrap_or("General")
                .to_string();
            let title = format!(
                "{} meeting",
                d.get("title_contains")
                    .and_then(|t| t.as_str())
                    .unwrap_or("Group")
            );
            add(d["repository"].as_str().unwrap(), &|r| {
                r.discussion(n + 4, &category, &title, "2026-11-17")
            });
        }
        for l in list("labels") {
            sources += 1;
            let label = l["label"].as_str().unwrap().to_string();
            add(l["repository"].as_str().unwrap(), &|r| {
                r.issue(n + 5, "Labelled", "2026-11-16", &[label.as_str()])
            });
        }
    }
    // The maintainers file site.toml names.
    add("modelcontextprotocol/modelcontextprotocol", &|r| {
        r.file(
            "MAINTAINERS.md",
            include_str!("../fixtures/charters/MAINTAINERS.md"),
        )
    });
    let github = FakeGitHub::start();
    for repo in repos.into_values() {
        github.put(repo);
    }
    (github, sources)
}

#[test]
fn the_bundled_groups_sync_in_a_handful_of_requests() {
    let (github, sources) = bundled_github();
    assert!(
        sources >= 15,
        "the bundled groups name their sources: {sources}"
    );
    let site = Site::from_content(crate::common::repo());
    let world = World { site, github };
    let first = world.sync();
    first.expect_success();
    let requests = world.github.requests();
    let before = world.data_bytes();
    world.sync().expect_success();
    let again = world.github.requests() - requests;
    println!(
        "bundled groups: {sources} sources; first sync {requests} requests, a sync with nothing new {again}"
    );
    assert!(
        again <= 3,
        "a daily sync of the directory takes a handful of requests, not {again}"
    );
    assert_eq!(world.data_bytes(), before, "and changes no byte");
}

/// The meeting-notes discussions the sync read, checked against the schedule: the Friday meeting
/// with no notes 48 hours later is reported, the cancelled one is not, and a site setting turns
/// the report off.
#[test]
fn a_meeting_with_no_notes_within_48_hours_is_reported_by_stale() {
    let world = World::new();
    world.sync().expect_success();
    let stale = world.site.run(&["stale", "--now", "2026-12-01"]);
    stale.expect_success();
    let text = stale.stdout();
    let agents = text
        .split("\n\n")
        .find(|block| block.contains("Agents (WG)"))
        .unwrap_or_else(|| panic!("agents is listed: {text}"));
    assert!(
        agents.contains("meetings       notes missing for 2026-11-27\n"),
        "{agents}"
    );
    assert!(text.contains("with meeting notes missing"), "{text}");

    let json = world
        .site
        .run(&["stale", "--now", "2026-12-01", "--format", "json"]);
    json.expect_success();
    let records: serde_json::Value = serde_json::from_str(&json.stdout()).expect("JSON");
    // Listed with the groups judged, or apart with the unknown ones: notes are due either way.
    let agents = ["groups", "unknown"]
        .iter()
        .flat_map(|list| records[list].as_array().unwrap())
        .find(|r| r["slug"] == "agents")
        .expect("agents in the JSON");
    assert_eq!(agents["notes_missing"], serde_json::json!(["2026-11-27"]));

    // Notes due by the end of 2026-11-29: on the 29th the meeting of the 27th is not late yet.
    let early = world.site.run(&["stale", "--now", "2026-11-29"]);
    assert!(
        !early.stdout().contains("notes missing"),
        "{}",
        early.stdout()
    );

    world
        .site
        .write("site.toml", "[stale]\nnotes_missing = false\n");
    let off = world.site.run(&["stale", "--now", "2026-12-01"]);
    off.expect_success();
    assert!(!off.stdout().contains("notes missing"), "{}", off.stdout());
}

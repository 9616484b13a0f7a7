//! The charters as a second witness (issue 24): people as the charters record them, the charter
//! and maintainers file read by `groupdir sync`, and every drift between them and the group files
//! reported by `check`, `stale` and the weekly issue.

use crate::common;

use common::{Site, TODAY, text_of};

/// A working group whose people carry the charter's fields.
pub const APPS: &str = r##"+++
title = "Apps"
kind = "working-group"
status = "active"
summary = "Interactive interfaces."
last_activity = 2026-11-20
discord = "#apps-wg"
facilitators = [
    { name = "Ido Salomon", github = "idosal", organization = "MCP-UI", role = "Lead", term = "Initial" },
    { name = "Liad Yosef", github = "liady", organization = "MCP-UI / Ora", role = "Lead", term = "Initial" },
]
members = [
    { name = "Olivier Chafik", github = "ochafik", organization = "Anthropic", level = "member" },
    { name = "Max Stoiber", github = "mstoiber-oai", organization = "OpenAI", level = "participant" },
    { name = "Yann Jouanin", github = "yannj-fr", level = "participant" },
    { name = "Adam Jones", level = "emeritus" },
]
use_cases = "Apps."
first_deliverable = { title = "SEP-1865: MCP Apps" }

[meetings]
every_weeks = 3
day = "Wednesday"
time = "08:00"
timezone = "America/Los_Angeles"
duration_minutes = 60
+++
Body.
"##;

fn site_with(groups: &[(&str, &str)]) -> Site {
    let site = Site::from_fixture("valid");
    for (slug, text) in groups {
        site.write(&format!("content/groups/{slug}.md"), text);
    }
    site
}

#[test]
fn leads_show_their_organization_and_term_and_members_are_listed_by_level() {
    let site = site_with(&[("apps", APPS)]);
    site.build().run().expect_success();
    let page = text_of(&common::read(
        &site.path("public"),
        "groups/apps/index.html",
    ))
    .replace(" ,", ",");
    for expected in [
        "Ido Salomon (Lead, MCP-UI; term: Initial)",
        "Liad Yosef (Lead, MCP-UI / Ora; term: Initial)",
        "Members Olivier Chafik (Anthropic)",
        "Participants Max Stoiber (OpenAI), Yann Jouanin",
        "Emeritus Adam Jones",
    ] {
        assert!(page.contains(expected), "{expected:?} in:\n{page}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&common::read(&site.path("public"), "groups.json")).unwrap();
    let apps = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["slug"] == "apps")
        .unwrap();
    assert_eq!(apps["facilitators"][1]["organization"], "MCP-UI / Ora");
    assert_eq!(apps["facilitators"][1]["term"], "Initial");
    assert_eq!(apps["members"][1]["level"], "participant");
    assert_eq!(apps["members"][0]["github"], "ochafik");
    // A group without members or charter fields writes none of them.
    let fresh = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["slug"] == "fresh-wg")
        .unwrap();
    assert!(fresh.get("members").is_none(), "{fresh}");
    assert!(fresh["facilitators"][0].get("organization").is_none());
    let _ = TODAY;
}

#[test]
fn a_term_that_has_ended_is_marked_ended_on_the_page_from_its_last_day() {
    let card = APPS.replace(
        r#"{ name = "Liad Yosef", github = "liady", organization = "MCP-UI / Ora", role = "Lead", term = "Initial" },"#,
        r#"{ name = "Liad Yosef", github = "liady", role = "Lead", term = "6 months (ends Nov 30, 2026)" },
]
maintainers = [
    { name = "Cliff Hall", github = "cliffhall", organization = "Futurescale", role = "Maintainer", term = "6 months (ends Nov 30, 2026)" },"#,
    );
    let site = site_with(&[("apps", &card)]);
    let page_on = |day: &str| {
        site.build().now(day).run().expect_success();
        text_of(&common::read(
            &site.path("public"),
            "groups/apps/index.html",
        ))
        .replace(" ,", ",")
    };
    let during = page_on("2026-11-30");
    assert!(
        during.contains("Liad Yosef (Lead; term: 6 months (ends Nov 30, 2026))"),
        "{during}"
    );
    let after = page_on("2026-12-01");
    for expected in [
        "Ido Salomon (Lead, MCP-UI; term: Initial)",
        "Liad Yosef (Lead; term: 6 months (ends Nov 30, 2026), ended 2026-11-30)",
        "Maintainers Cliff Hall (Maintainer, Futurescale; term: 6 months (ends Nov 30, 2026), ended 2026-11-30)",
    ] {
        assert!(after.contains(expected), "{expected:?} in:\n{after}");
    }
}

/// The MCP Apps charter's real tables (see the fixture's first line for where they came from).
#[cfg(feature = "sync")]
const CHARTER: &str = include_str!("../fixtures/charters/mcp-apps.mdx");

#[cfg(feature = "sync")]
const MAINTAINERS: &str = "# MCP Maintainers\n\n## Working Group & Interest Group Maintainers\n\n### Apps Working Group\n\n- [Liad Yosef](https://github.com/liady)\n- [Ido Salomon](https://github.com/idosal)\n\n### Client Implementor Interest Group\n\n- [Connor Peet](https://github.com/connor4312)\n";

#[cfg(feature = "sync")]
mod sync {
    use super::*;
    use crate::common::{Groupdir, Run};
    use crate::github::{FakeGitHub, Fault, Repo, TOKEN};

    const RECORDS: &str = "data/charters.toml";

    /// The Apps group naming its charter, the settings naming the maintainers file, and a fake
    /// GitHub holding both.
    struct World {
        site: Site,
        github: FakeGitHub,
    }

    fn community(charter: &str) -> Repo {
        Repo::new("o/community")
            .file("docs/apps.mdx", charter)
            .file("MAINTAINERS.md", MAINTAINERS)
    }

    impl World {
        fn new() -> World {
            let apps = APPS.replace(
                "+++\nBody.",
                "\n[sources]\ncharter = \"o/community:docs/apps.mdx\"\n+++\nBody.",
            );
            let site = site_with(&[("apps", &apps)]);
            site.write(
                "site.toml",
                "maintainers = \"o/community:MAINTAINERS.md\"\n",
            );
            let github = FakeGitHub::start();
            github.put(community(CHARTER));
            World { site, github }
        }

        fn sync(&self) -> Run {
            Groupdir::new(&["sync", "--root", "."])
                .current_dir(&self.site.root)
                .env("GITHUB_TOKEN", TOKEN)
                .env("GITHUB_GRAPHQL_URL", &self.github.url())
                .env("GROUPDIR_SYNC_BACKOFF_MS", "10")
                .run()
        }

        fn records(&self) -> String {
            common::read(&self.site.root, RECORDS)
        }

        fn check(&self) -> Run {
            self.site.run(&["check", "--root", ".", "--now", TODAY])
        }
    }

    #[test]
    fn a_sync_stores_the_charters_tables_and_the_maintainers_file_in_one_request() {
        let world = World::new();
        let run = world.sync();
        run.expect_success();
        assert_eq!(world.github.requests(), 1, "{}", run.transcript());
        let query = world.github.query(0);
        assert!(
            query.contains("object(expression: $f0_expression)")
                && query.contains("f1: repository"),
            "{query}"
        );
        let records: toml::Table = world.records().parse().unwrap();
        let apps = &records["charters"]["apps"];
        assert_eq!(apps["source"].as_str(), Some("o/community:docs/apps.mdx"));
        assert_eq!(apps["changed"].to_string(), "2026-07-26");
        let leads = apps["leads"].as_array().unwrap();
        assert_eq!(leads.len(), 2);
        assert_eq!(leads[1]["name"].as_str(), Some("Liad Yosef"));
        assert_eq!(leads[1]["organization"].as_str(), Some("MCP-UI / Ora"));
        assert_eq!(apps["members"].as_array().unwrap().len(), 12);
        assert_eq!(
            apps["meetings"][1]["frequency"].as_str(),
            Some("Monthly (planned)")
        );
        let groups = records["maintainers"]["groups"].as_array().unwrap();
        assert_eq!(
            groups[1]["heading"].as_str(),
            Some("Client Implementor Interest Group")
        );
        // The charter's newest changelog date is activity of the group.
        let activity = common::read(&world.site.root, "data/activity.toml");
        assert!(
            activity.contains("[[apps]]\ndate = 2026-07-26\nkind = \"charter\"\ntitle = \"Charter: Initial charter\"\nurl = \"https://github.com/o/community/blob/HEAD/docs/apps.mdx#changelog\"\nsource = \"charter o/community:docs/apps.mdx\"\n"),
            "{activity}"
        );
        // A second sync that finds nothing new changes no byte.
        let before = world.records();
        let again = world.sync();
        again.expect_success();
        assert!(
            again.stderr().contains("data/charters.toml: unchanged"),
            "{}",
            again.transcript()
        );
        assert_eq!(world.records(), before);
    }

    #[test]
    fn a_lead_missing_from_the_group_file_is_a_warning_at_its_line() {
        let world = World::new();
        let three = CHARTER.replace(
            "| Lead | Liad Yosef  | MCP-UI / Ora | [@liady](https://github.com/liady)   | Initial |\n",
            "| Lead | Liad Yosef  | MCP-UI / Ora | [@liady](https://github.com/liady)   | Initial |\n| Lead | Olivier Chafik | Anthropic | [@ochafik](https://github.com/ochafik) | Initial |\n",
        );
        assert_ne!(three, CHARTER);
        world.github.put(community(&three));
        world.sync().expect_success();
        let run = world.check();
        let stderr = run.stderr();
        assert!(
            stderr.contains("content/groups/apps.md:8:16: warning: the charter o/community:docs/apps.mdx lists Olivier Chafik as Lead; `facilitators` does not"),
            "{stderr}"
        );
        assert!(
            stderr.contains(
                "hint: add { name = \"Olivier Chafik\", github = \"ochafik\" } to `facilitators`"
            ),
            "{stderr}"
        );
        // The charter names him a WG Member as well as a Lead: the group file's member entry is
        // found, so no member warning names him.
        assert!(
            !stderr.contains("Olivier Chafik is in `members`"),
            "{stderr}"
        );
        // The maintainers file's group without a group file, at site.toml's line.
        assert!(
            stderr.contains("site.toml:1:1: warning: the maintainers file (o/community:MAINTAINERS.md) names the Client Implementor Interest Group, which has no group file"),
            "{stderr}"
        );
    }

    #[test]
    fn a_changed_table_updates_the_snapshot() {
        let world = World::new();
        world.sync().expect_success();
        let weekly = CHARTER
            .replace(
                "Tri-weekly (Wednesday, 08:00 PT)",
                "Weekly (Wednesday, 08:00 PT)",
            )
            .replace(
                "| 2026-07-26 | Initial charter ",
                "| 2026-11-20 | Weekly sessions ",
            );
        world.github.put(community(&weekly));
        let run = world.sync();
        run.expect_success();
        assert!(
            run.stderr().contains("data/charters.toml: updated"),
            "{}",
            run.transcript()
        );
        let records = world.records();
        assert!(
            records.contains("frequency = \"Weekly (Wednesday, 08:00 PT)\""),
            "{records}"
        );
        assert!(records.contains("changed = 2026-11-20"), "{records}");
        let activity = common::read(&world.site.root, "data/activity.toml");
        assert!(
            activity.contains("date = 2026-11-20\nkind = \"charter\""),
            "{activity}"
        );
        assert_eq!(
            activity.matches("kind = \"charter\"").count(),
            1,
            "one event per charter: {activity}"
        );
        // The group file meets every three weeks; the charter now says weekly.
        let stderr = world.check().stderr();
        assert!(
            stderr.contains("content/groups/apps.md:22:15: warning: the group file meets every 3 weeks; the charter o/community:docs/apps.mdx lists Working Session (Weekly (Wednesday, 08:00 PT), 60 min); Office Hours (Monthly (planned), 30 min)"),
            "{stderr}"
        );
    }

    #[test]
    fn a_failed_read_keeps_the_previous_snapshot() {
        let world = World::new();
        world.sync().expect_success();
        let before = world.records();
        // The file is gone from the repository.
        world
            .github
            .put(Repo::new("o/community").file("MAINTAINERS.md", MAINTAINERS));
        let run = world.sync();
        run.expect_code(2);
        assert!(
            run.stderr().contains("error: apps: charter o/community:docs/apps.mdx: no file `docs/apps.mdx` on the default branch of o/community"),
            "{}",
            run.transcript()
        );
        assert_eq!(
            world.records(),
            before,
            "the snapshot of the failed charter is kept"
        );
        // GitHub down altogether: nothing changes either.
        world.github.always(Some(Fault::BadGatewayHtml));
        world.sync().expect_code(2);
        assert_eq!(world.records(), before);
    }

    #[test]
    fn a_malformed_table_is_an_error_naming_the_source() {
        let world = World::new();
        world.sync().expect_success();
        let before = world.records();
        let broken = CHARTER.replace(
            "| Lead | Ido Salomon | MCP-UI       |",
            "| Lead | Ido Salomon |",
        );
        world.github.put(community(&broken));
        let run = world.sync();
        run.expect_code(2);
        assert!(
            run.stderr().contains("error: apps: charter o/community:docs/apps.mdx: its tables cannot be read: line 6: a row of the Leadership table has 4 cells, its header 5; its previous snapshot in data/charters.toml is kept"),
            "{}",
            run.transcript()
        );
        assert_eq!(world.records(), before);
    }
}

/// What a sync would have stored: the Apps charter with a lead whose term ended, a member at
/// another level and another meeting length, and a maintainers file with a group the directory
/// does not have.
const RECORDS_TOML: &str = r#"[maintainers]
source = "o/community:MAINTAINERS.md"

[[maintainers.groups]]
heading = "Apps Working Group"
maintainers = [{ name = "Ido Salomon", github = "idosal" }]

[[maintainers.groups]]
heading = "Client Implementor Interest Group"
maintainers = [{ name = "Connor Peet", github = "connor4312" }]

[charters.apps]
source = "o/community:docs/apps.mdx"
changed = 2026-07-26
change = "Initial charter"

[[charters.apps.leads]]
role = "Lead"
name = "Ido Salomon"
organization = "MCP-UI"
github = ["idosal"]
term = "Initial"

[[charters.apps.leads]]
role = "Lead"
name = "Liad Yosef"
organization = "MCP-UI / Ora"
github = ["liady"]
term = "6 months (ends Aug 14, 2026)"

[[charters.apps.members]]
name = "Olivier Chafik"
organization = "Anthropic"
github = ["ochafik"]
level = "participant"

[[charters.apps.members]]
name = "Max Stoiber"
organization = "OpenAI"
github = ["mstoiber-oai"]
level = "participant"

[[charters.apps.members]]
name = "Yann Jouanin"
github = ["yannj-fr"]
level = "participant"

[[charters.apps.members]]
name = "Adam Jones"
level = "emeritus"

[[charters.apps.meetings]]
meeting = "Working Session"
frequency = "Tri-weekly (Wednesday, 08:00 PT)"
duration = "45 min"
"#;

const SITE_TOML: &str = r#"maintainers = "o/community:MAINTAINERS.md"

[drift]
explained = ["apps: term-ended: Liad Yosef", "apps: lead: Nobody"]
"#;

fn drifting_site() -> Site {
    let apps = APPS.replace(
        "+++\nBody.",
        "\n[sources]\ncharter = \"o/community:docs/apps.mdx\"\n+++\nBody.",
    );
    let site = site_with(&[("apps", &apps)]);
    site.write("site.toml", SITE_TOML);
    site.write("data/charters.toml", RECORDS_TOML);
    site
}

#[test]
fn check_warns_about_each_drift_at_its_line_except_the_explained_ones() {
    let site = drifting_site();
    let run = site.run(&["check", "--root", ".", "--now", "2026-12-02"]);
    run.expect_success();
    let stderr = run.stderr();
    for expected in [
        "content/groups/apps.md:13:88: warning: Olivier Chafik is participant in the charter o/community:docs/apps.mdx, member in the group file",
        "content/groups/apps.md:26:20: warning: the Working Session lasts 45 min in the charter o/community:docs/apps.mdx; the group file says 60 minutes",
        "content/groups/apps.md:8:16: warning: the maintainers file o/community:MAINTAINERS.md lists Ido Salomon as a maintainer of the Apps Working Group; `maintainers` does not",
        "site.toml:1:1: warning: the maintainers file (o/community:MAINTAINERS.md) names the Client Implementor Interest Group, which has no group file",
        "site.toml:4:1: warning: the explained drift \"apps: lead: Nobody\" is no longer found",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(
        !stderr.contains("term as Lead ended"),
        "explained: {stderr}"
    );
    // Without the explanation, the ended term is a warning at the lead's entry.
    site.write(
        "site.toml",
        "maintainers = \"o/community:MAINTAINERS.md\"\n",
    );
    let stderr = site
        .run(&["check", "--root", ".", "--now", "2026-12-02"])
        .stderr();
    assert!(
        stderr.contains("content/groups/apps.md:10:99: warning: Liad Yosef's term as Lead ended on 2026-08-14 (`6 months (ends Aug 14, 2026)`, charter o/community:docs/apps.mdx)"),
        "{stderr}"
    );
    // Before the end of the term, it is not.
    let stderr = site
        .run(&["check", "--root", ".", "--now", "2026-08-14"])
        .stderr();
    assert!(!stderr.contains("term as Lead ended"), "{stderr}");
}

#[test]
fn stale_and_the_weekly_issue_list_what_differs_from_the_charter() {
    let site = drifting_site();
    let text = site.run(&["stale", "--root", ".", "--now", "2026-12-02"]);
    text.expect_success();
    let stdout = text.stdout();
    assert!(
        stdout.contains(
            "Differs from its charter or the maintainers file: 5 (1 explained in site.toml)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("DIFFERS  Liad Yosef's term as Lead ended on 2026-08-14")
            && stdout.contains("(explained)"),
        "{stdout}"
    );
    let json = site.run(&[
        "stale",
        "--root",
        ".",
        "--now",
        "2026-12-02",
        "--format",
        "drift",
    ]);
    json.expect_success();
    let drifts: serde_json::Value = serde_json::from_str(&json.stdout()).unwrap();
    let keys: Vec<(&str, bool)> = drifts
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["key"].as_str().unwrap(),
                d["explained"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("apps: term-ended: Liad Yosef", true),
            ("apps: level: Olivier Chafik", false),
            ("apps: meeting: Working Session", false),
            ("apps: maintainer: Ido Salomon", false),
            (
                "maintainers file: no-group-file: Client Implementor Interest Group",
                false
            ),
        ]
    );
    // The weekly issue's body, made by the workflow's own step from these reports.
    let body = weekly_body(&site);
    assert!(body.contains("### Differs from its charter"), "{body}");
    assert!(
        body.contains("- [apps](https://example.org/files/apps.md#L13): Olivier Chafik is participant in the charter o/community:docs/apps.mdx, member in the group file\n"),
        "{body}"
    );
    assert!(body.contains("ended on 2026-08-14 (`6 months (ends Aug 14, 2026)`, charter o/community:docs/apps.mdx) _(explained)_"), "{body}");
    assert!(
        body.contains("- `site.toml`: the maintainers file"),
        "{body}"
    );
}

/// Runs the "Write the issue body" step of `.github/workflows/stale.yml` on the site's reports.
fn weekly_body(site: &Site) -> String {
    // The step's `run: |` block, read as YAML reads it: the lines indented under it.
    let workflow =
        std::fs::read_to_string(common::repo().join(".github/workflows/stale.yml")).unwrap();
    let step = workflow
        .split("- name: Write the issue body\n")
        .nth(1)
        .expect("the step");
    let block = step.split_once("run: |\n").expect("a run block").1;
    let indent = block.len() - block.trim_start().len();
    let script: String = block
        .lines()
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent)
        .map(|l| format!("{}\n", l.get(indent..).unwrap_or_default()))
        .collect();
    for (format, file) in [
        ("json", "stale.json"),
        ("drift", "drift.json"),
        ("text", "stale.txt"),
    ] {
        let run = site.run(&[
            "stale",
            "--root",
            ".",
            "--now",
            "2026-12-02",
            "--format",
            format,
        ]);
        run.expect_success();
        site.write(file, run.stdout());
    }
    common::Run::of(
        std::process::Command::new("bash")
            .args(["-e", "-c", &script])
            .env("FILES", "https://example.org/files")
            .current_dir(&site.root),
    )
    .expect_success();
    common::read(&site.root, "body.md")
}

//! The bundled content is the real directory: it must pass `check`, build, and carry the facts
//! the site exists to publish. These tests run the real binary on the repository's own root.

use crate::common;

use std::path::Path;

use common::{Groupdir, build_repo, read, repo, text_of};

/// Every bundled group as its charter records it: (slug, title, kind, status, `created`, the
/// GitHub handles of its facilitators or leads in the charter's order).
type Bundled = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const IG: &str = "interest-group";
const WG: &str = "working-group";

const GROUPS: [Bundled; 22] = [
    (
        "agents",
        "Agents",
        WG,
        "active",
        "2026-08-04",
        &["LucaButBoring", "CaitieM20"],
    ),
    (
        "auth",
        "Authorization",
        IG,
        "active",
        "2026-06-02",
        &["aaronpk", "D-McAdams", "pcarleton"],
    ),
    (
        "enterprise",
        "Enterprise",
        IG,
        "active",
        "2026-04-13",
        &["raghu-chandra-mcp", "yannj-fr"],
    ),
    (
        "enterprise-managed-auth",
        "Enterprise-Managed Authorization",
        IG,
        "retired",
        "2026-06-16",
        &["pcarleton", "aaronpk"],
    ),
    (
        "file-uploads",
        "File Uploads",
        WG,
        "retired",
        "2026-04-23",
        &["localden"],
    ),
    (
        "files",
        "Files",
        WG,
        "active",
        "2026-09-23",
        &["localden", "sambhav", "olaservo", "DanielTemesgen"],
    ),
    (
        "filesystems",
        "Filesystems",
        WG,
        "retired",
        "2026-08-24",
        &["sambhav", "olaservo"],
    ),
    (
        "financial-services",
        "Financial Services",
        IG,
        "active",
        "2026-06-25",
        &["sambhav", "PederHP"],
    ),
    (
        "infrastructure",
        "Infrastructure",
        WG,
        "active",
        "2026-09-22",
        &["dsp-ant", "localden", "sambhav"],
    ),
    (
        "inspector-v2",
        "Inspector V2",
        WG,
        "active",
        "2026-04-11",
        &["cliffhall", "olaservo", "BobDickinson"],
    ),
    (
        "interceptors",
        "Interceptors",
        WG,
        "active",
        "2026-04-21",
        &["sambhav", "PederHP", "degiorgio", "jeongukjae", "olaservo"],
    ),
    (
        "mcp-apps",
        "MCP Apps",
        WG,
        "active",
        "2026-05-21",
        &["idosal", "liady"],
    ),
    // The slug is the group's first name; it became the Progressive Disclosure WG in 2026-09.
    (
        "primitive-grouping",
        "Progressive Disclosure",
        WG,
        "active",
        "2026-06-18",
        &["chughtapan", "SamMorrowDrums"],
    ),
    (
        "registry",
        "Registry",
        WG,
        "active",
        "2026-04-08",
        &["rdimitrov"],
    ),
    (
        "scientific-computing",
        "Scientific Computing",
        IG,
        "active",
        "2026-08-17",
        &["corykinney"],
    ),
    (
        "sdk",
        "SDK",
        WG,
        "active",
        "2026-04-28",
        &["felixweinberger"],
    ),
    (
        "security",
        "Security",
        IG,
        "active",
        "2026-06-13",
        &["localden", "pcarleton"],
    ),
    (
        "server-card",
        "Server Card",
        WG,
        "active",
        "2026-03-26",
        &["dsp-ant", "SamMorrowDrums"],
    ),
    (
        "skills-over-mcp",
        "Skills Over MCP",
        WG,
        "active",
        "2026-02-01",
        &["olaservo", "pja-ant", "sambhav"],
    ),
    (
        "tool-annotations",
        "Tool Annotations",
        IG,
        "active",
        "2026-04-20",
        &["SamMorrowDrums", "rreichel3"],
    ),
    (
        "transports",
        "Transports",
        WG,
        "active",
        "2026-08-23",
        &["kurtisvg"],
    ),
    (
        "triggers-and-events",
        "Triggers and Events",
        WG,
        "active",
        "2026-03-24",
        &["clareliguori", "pja-ant"],
    ),
];

/// The groups whose day, time and zone are on record: slug, the meetings page's words, and the
/// calendar's recurrence rule and local start time.
const SCHEDULES: [(&str, &str, &str, &str); 6] = [
    (
        "agents",
        "Weekly on Friday at 10:00 America/Los_Angeles",
        "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=FR",
        "DTSTART;TZID=America/Los_Angeles:",
    ),
    // Every two weeks from Thursday 2025-10-09, 4-5pm London: the group's README at 107a07c.
    (
        "financial-services",
        "Every other week on Thursday at 16:00 Europe/London",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "DTSTART;TZID=Europe/London:20251009T160000",
    ),
    (
        "inspector-v2",
        "Weekly on Wednesday at 11:00 America/New_York",
        "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=WE",
        "DTSTART;TZID=America/New_York:",
    ),
    (
        "mcp-apps",
        "Every 3 weeks on Wednesday at 08:00 America/Los_Angeles",
        "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=WE",
        "DTSTART;TZID=America/Los_Angeles:20251217T080000",
    ),
    (
        "skills-over-mcp",
        "Weekly on Tuesday at 09:00 America/Los_Angeles",
        "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU",
        "DTSTART;TZID=America/Los_Angeles:",
    ),
    (
        "transports",
        "Weekly on Wednesday at 13:00 America/Los_Angeles",
        "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=WE",
        "DTSTART;TZID=America/Los_Angeles:",
    ),
];

/// Retired groups and the retirement date their records give.
const RETIRED: [(&str, &str); 3] = [
    ("enterprise-managed-auth", "2026-08-17"),
    ("file-uploads", "2026-09-23"),
    ("filesystems", "2026-09-23"),
];

/// A built page, lowercased with every run of whitespace collapsed to one space, so phrases
/// that wrap across lines in the Markdown still match.
fn page(out: &Path, rel: &str) -> String {
    read(out, rel)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn assert_phrases(name: &str, html: &str, phrases: &[&str]) {
    let missing: Vec<&str> = phrases
        .iter()
        .copied()
        .filter(|p| !html.contains(&p.to_lowercase()))
        .collect();
    assert!(missing.is_empty(), "{name} is missing: {missing:?}");
}

#[test]
fn bundled_content_passes_check() {
    let run = Groupdir::new(&["check", "--root"]).arg(repo()).run();
    run.expect_success();
    // A warning the real directory trips on every run teaches people to ignore warnings.
    assert_eq!(
        run.stderr(),
        "no problems found\n",
        "the bundled site warns"
    );
}

#[test]
fn bundled_site_builds_and_carries_the_facts() {
    let (_tmp, out_dir) = build_repo(&[]);

    directory_lists_every_group(&out_dir);
    json_has_every_group(&out_dir);
    group_pages_carry_created_and_facilitators(&out_dir);
    meetings_list_every_recorded_schedule(&out_dir);
    faq_questions_are_linkable(&out_dir);
    pages_carry_the_rules(&out_dir);
    sources_cover_every_group(&out_dir);
}

fn directory_lists_every_group(out: &Path) {
    let index = text_of(&read(out, "index.html"));
    for &(slug, title, ..) in &GROUPS {
        assert!(
            index.contains(title),
            "index.html does not mention {title:?}"
        );
        let group_page = out.join("groups").join(slug).join("index.html");
        assert!(group_page.is_file(), "missing {}", group_page.display());
    }
}

fn json_has_every_group(out: &Path) {
    let json: serde_json::Value =
        serde_json::from_str(&read(out, "groups.json")).expect("groups.json parses");
    let groups = json["groups"]
        .as_array()
        .expect("groups.json has a groups array");
    assert_eq!(groups.len(), GROUPS.len(), "groups.json lists every group");

    let count = |kind: &str| groups.iter().filter(|g| g["kind"] == kind).count();
    assert_eq!(count(WG), 15, "working groups in groups.json");
    assert_eq!(count(IG), 7, "interest groups in groups.json");

    for &(slug, title, kind, status, created, facilitators) in &GROUPS {
        let group = groups
            .iter()
            .find(|g| g["slug"] == slug)
            .unwrap_or_else(|| panic!("groups.json has no group {slug:?}"));
        assert_eq!(group["title"], title, "{slug}: title");
        assert_eq!(group["kind"], kind, "{slug}: kind");
        assert_eq!(group["status"], status, "{slug}: status");
        assert_eq!(group["created"], created, "{slug}: created");
        let handles: Vec<&str> = group["facilitators"]
            .as_array()
            .unwrap_or_else(|| panic!("{slug}: facilitators"))
            .iter()
            .map(|f| {
                f["github"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{slug}: {f} has no github"))
            })
            .collect();
        assert_eq!(
            handles, facilitators,
            "{slug}: facilitators' GitHub handles"
        );
    }
    for (slug, date) in RETIRED {
        let group = groups
            .iter()
            .find(|g| g["slug"] == slug)
            .expect("retired group listed");
        assert_eq!(group["retired"], date, "{slug}: retirement date on record");
    }
}

fn group_pages_carry_created_and_facilitators(out: &Path) {
    for &(slug, _, _, _, created, facilitators) in &GROUPS {
        let rel = format!("groups/{slug}/index.html");
        let html = read(out, &rel);
        let created = format!("Created {created}");
        assert!(
            text_of(&html).contains(&created),
            "{rel} does not say {created:?}"
        );
        for handle in facilitators {
            let link = format!("href=\"https://github.com/{handle}\"");
            assert!(html.contains(&link), "{rel} does not link {link}");
        }
    }
    // MCP Apps' charter names two leads, with their organizations; a WG member is not one of them.
    let apps = text_of(&read(out, "groups/mcp-apps/index.html")).replace(" ,", ",");
    for expected in [
        "Facilitators Ido Salomon (Lead, MCP-UI; term: Initial), Liad Yosef (Lead, MCP-UI / Ora; term: Initial) Maintainers",
        "Members Olivier Chafik (Anthropic), Anton Pidkuiko (Anthropic), Max Stoiber (OpenAI)",
    ] {
        assert!(apps.contains(expected), "{expected:?} in {apps}");
    }
}

fn meetings_list_every_recorded_schedule(out: &Path) {
    let meetings = text_of(&read(out, "meetings/index.html"));
    let ics = read(out, "meetings.ics");
    for (slug, words, rrule, start) in SCHEDULES {
        let (_, title, ..) = GROUPS.iter().find(|g| g.0 == slug).expect("known");
        // A named meeting's card reads "Title : Name When …".
        let entry = format!("When {words}");
        let card = meetings
            .split(&format!("{title} "))
            .skip(1)
            .find(|card| card.starts_with("When") || card.starts_with(": "))
            .unwrap_or_else(|| panic!("meetings page lacks {title}"));
        assert!(card.contains(&entry), "meetings page lacks {entry:?}");
        let uid = format!("UID:meetings-{slug}@");
        let event = ics
            .split("BEGIN:VEVENT")
            .find(|e| e.contains(&uid))
            .unwrap_or_else(|| panic!("meetings.ics has no event for {slug}"));
        assert!(event.contains(rrule), "{slug}: {rrule} not in {event}");
        assert!(event.contains(start), "{slug}: {start} not in {event}");
    }
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        SCHEDULES.len(),
        "only groups with a recorded day, time and zone are in the calendar"
    );
    // Monthly, with no day on record: listed as such, never guessed.
    for title in ["Security", "Enterprise"] {
        let entry = format!("{title} : monthly, day to be decided");
        assert!(meetings.contains(&entry), "meetings page lacks {entry:?}");
    }
}

fn faq_questions_are_linkable(out: &Path) {
    let html = page(out, "faq/index.html");
    let linkable = html
        .split("<h2")
        .skip(1)
        .filter(|rest| {
            rest.split('>')
                .next()
                .is_some_and(|tag| tag.contains("id="))
        })
        .count();
    assert!(
        linkable >= 10,
        "faq/index.html has {linkable} <h2> headings with an id, expected at least 10"
    );
}

/// Phrases each page must carry, lowercased: the seed's rules as the site states them.
const PAGE_PHRASES: [(&str, &[&str]); 4] = [
    (
        "governance/index.html",
        &[
            // An IG's expectation, quoted.
            "regular conversations in the interest group discord channel and/or a recurring live meeting regularly attended by interest group members",
            // Creation: template, review, private vote, 72-hour majority, reversible, veto.
            "#wg-ig-group-creation",
            "#community-moderators",
            "a majority positive vote by members over a 72-hour period approves creation of the group",
            "reversed at any time",
            "core and lead maintainers can veto",
            // Reversal and veto are standing powers, not steps of creation.
            "two powers stand beside these steps",
            // The rules' own page, named and linked.
            "href=\"https://modelcontextprotocol.io/community/working-interest-groups\"",
            "docs/community/working-interest-groups.mdx",
            // What each kind is for and expected to do.
            "the inspector, the registry or the sdks",
            // Roles.
            "informal role",
            "anyone can self-nominate",
            "not required for every group",
            "reserve the right to modify the list of facilitators and maintainers",
            // Retirement: who decides, and both WG triggers.
            // Who decides, in each kind's own words: "or" for an IG, "and" for a WG.
            "ig is retired only when community moderators or core or lead maintainers determine it’s no longer active and/or needed",
            "community moderators or core and lead maintainers decide it is no longer active and/or needed",
            "no time limit or expiration date",
            "the wg no longer has an active issue/pr for a month or more, or has completed all issues/prs it intended to pursue",
            // How the stale badge relates to the rules.
            "more than 30 whole days",
            "signal for moderators, not a retirement",
        ],
    ),
    (
        "faq/index.html",
        &[
            "no longer has an active issue/pr for a month or more",
            "intended to pursue",
            "over a 72-hour period",
            "core or lead maintainers determine it’s no longer active and/or needed",
            "core and lead maintainers decide it is no longer active and/or needed",
            "the inspector, the registry or the sdks",
        ],
    ),
    (
        "contributing/index.html",
        &[
            "#wg-ig-group-creation",
            "#community-moderators",
            "calls for a vote",
            "over a 72-hour period",
            "status = \"proposed\"",
            "a discord channel or a meeting",
        ],
    ),
    (
        "onboarding/index.html",
        &[
            "discord",
            "attend live calls",
            "offer to facilitate calls",
            "use cases",
            "deliverables",
            "nominated as new maintainers by working group maintainers",
            "/meetings/",
            "/contributing/",
        ],
    ),
];

/// Claims the governance text does not make, or steps it does not have: no page may carry them.
const NOT_IN_THE_RULES: [&str; 6] = [
    "most groups hold regular calls that anyone can join",
    "many people follow both",
    "that build things",
    "<strong>it can be undone.</strong>",
    "<strong>veto.</strong>",
    "or core or lead maintainers; for a wg, that decision",
];

fn pages_carry_the_rules(out: &Path) {
    for (rel, phrases) in PAGE_PHRASES {
        let html = page(out, rel);
        assert_phrases(rel, &html, phrases);
        for claim in NOT_IN_THE_RULES {
            assert!(!html.contains(claim), "{rel} says {claim:?}");
        }
    }
    let index = page(out, "index.html");
    for claim in NOT_IN_THE_RULES {
        assert!(!index.contains(claim), "the directory says {claim:?}");
    }
}

fn sources_cover_every_group(out: &Path) {
    // Each group's entry names its slug in code, as `(<code>slug</code>` in the built page.
    let sources = read(out, "sources/index.html");
    for &(slug, ..) in &GROUPS {
        let named = format!("(<code>{slug}</code>");
        assert!(
            sources.contains(&named),
            "sources page says nothing about {slug}"
        );
    }
}

/// Issue 23: on 2026-12-02 the stored record ends in September, so no group with sources may be
/// called stale: each is `unknown` and says how far its sources were read; the directory names
/// the reading, and `stale` lists those groups apart.
#[test]
fn on_2026_12_02_no_bundled_group_with_sources_is_stale() {
    let tmp = common::temp_dir();
    let out = tmp.path().join("public");
    Groupdir::new(&["build", "--now", "2026-12-02", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&out)
        .run()
        .expect_success();
    let json: serde_json::Value = serde_json::from_str(&read(&out, "groups.json")).unwrap();
    let mut unknown = 0;
    for g in json["groups"].as_array().unwrap() {
        let slug = g["slug"].as_str().unwrap();
        if g["sourced"] == true && g["status"] == "active" {
            assert_eq!(g["standing"], "unknown", "{slug}: {g:#}");
            unknown += 1;
            let page = read(&out, &format!("groups/{slug}/index.html"));
            assert!(
                page.contains("class=\"read-on\""),
                "{slug} says how far its record reaches"
            );
            // Every bundled horizon is a hand-seeded record's day: nobody read GitHub then.
            assert!(
                !page.contains("Read from GitHub") && !page.contains("read on 20"),
                "{slug} claims a reading no sync made"
            );
        }
    }
    assert!(unknown >= 15, "{unknown} unknown groups");
    assert_eq!(
        json["read"], "2026-09-20",
        "the newest horizon of the bundled record"
    );
    let index = read(&out, "index.html");
    assert!(
        index.contains(
            "Public records of activity reach up to <time datetime=\"2026-09-20\">2026-09-20</time>."
        ),
        "{index}"
    );
    let report = Groupdir::new(&["stale", "--now", "2026-12-02", "--format", "json", "--root"])
        .arg(repo())
        .run();
    report.expect_success();
    let report: serde_json::Value = serde_json::from_str(&report.stdout()).unwrap();
    assert_eq!(report["unknown"].as_array().unwrap().len(), unknown);
    assert!(
        report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["sourced"] == false),
        "only groups without sources can be stale: {report:#}"
    );
}

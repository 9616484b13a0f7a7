//! The bundled content is the real directory: it must pass `check`, build, and carry the facts
//! the site exists to publish. These tests run the real binary on the repository's own root.

use crate::common;

use std::path::Path;

use common::{Groupdir, build_repo, read, repo};

/// Every bundled group: (slug, title).
const GROUPS: [(&str, &str); 16] = [
    ("agents", "Agents"),
    ("auth", "Authorization"),
    (
        "enterprise-managed-auth",
        "Enterprise-Managed Authorization",
    ),
    ("file-uploads", "File Uploads"),
    ("financial-services", "Financial Services"),
    ("inspector-v2", "Inspector V2"),
    ("interceptors", "Interceptors"),
    ("mcp-apps", "MCP Apps"),
    ("primitive-grouping", "Primitive Grouping"),
    ("registry", "Registry"),
    ("sdk", "SDK"),
    ("security", "Security"),
    ("server-card", "Server Card"),
    ("skills-over-mcp", "Skills Over MCP"),
    ("tool-annotations", "Tool Annotations"),
    ("triggers-and-events", "Triggers and Events"),
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
    Groupdir::new(&["check", "--root"])
        .arg(repo())
        .run()
        .expect_success();
}

#[test]
fn bundled_site_builds_and_carries_the_facts() {
    let (_tmp, out_dir) = build_repo(&[]);

    directory_lists_every_group(&out_dir);
    json_has_every_group(&out_dir);
    governance_carries_the_rules(&out_dir);
    faq_questions_are_linkable(&out_dir);
    onboarding_has_the_steps(&out_dir);
}

fn directory_lists_every_group(out: &Path) {
    let index = page(out, "index.html");
    for (slug, title) in GROUPS {
        assert!(
            index.contains(&title.to_lowercase()),
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
    assert_eq!(groups.len(), 16, "groups.json should list 16 groups");

    let count = |kind: &str| groups.iter().filter(|g| g["kind"] == kind).count();
    assert_eq!(count("working-group"), 10, "working groups in groups.json");
    assert_eq!(count("interest-group"), 6, "interest groups in groups.json");

    for (slug, _) in GROUPS {
        assert!(
            groups.iter().any(|g| g["slug"] == slug),
            "groups.json has no group {slug:?}"
        );
    }
    let ema = groups
        .iter()
        .find(|g| g["slug"] == "enterprise-managed-auth")
        .expect("enterprise-managed-auth in groups.json");
    assert_eq!(ema["status"], "retired");
}

fn governance_carries_the_rules(out: &Path) {
    let html = page(out, "governance/index.html");
    assert_phrases(
        "governance/index.html",
        &html,
        &[
            // Creation: template, review, private vote, 72-hour majority, reversible, veto.
            "#wg-ig-group-creation",
            "#community-moderators",
            "majority positive vote by members over 72 hours",
            "reversed at any time",
            "core and lead maintainers can veto",
            // What each kind is for and expected to do.
            "the inspector, the registry or the sdks",
            // Roles.
            "informal role",
            "anyone can self-nominate",
            "a maintainer is optional",
            // Retirement.
            "no time limit or expiry",
            "a month or more",
            "archives its documentation",
            // How the stale badge relates to the rules.
            "more than 30 whole days",
            "signal for moderators, not a retirement",
        ],
    );
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

fn onboarding_has_the_steps(out: &Path) {
    let html = page(out, "onboarding/index.html");
    assert_phrases(
        "onboarding/index.html",
        &html,
        &[
            "discord",
            "attend live calls",
            "offer to facilitate calls",
            "use cases",
            "deliverables",
            "nominated as maintainers",
            "/meetings/",
            "/contributing/",
        ],
    );
}

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
    site.build().expect_success();
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

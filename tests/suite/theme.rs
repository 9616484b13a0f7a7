//! The theme: selection in site.toml, overrides by the site's own templates/ and static/, clear
//! errors for missing or broken templates, and a directory that works without JavaScript. Each test
//! runs the real binary on a fixture site: `tests/fixtures/theme-site` plus the repository's
//! `themes/`, with one `tests/fixtures/theme-*` folder copied on top.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{Build, Run, Site, TODAY, build_repo, copy_tree, fixture_dir, html_pages, read, repo};

/// A site folder: the base fixture, the repository's themes, then `overlay` on top.
fn site(overlay: Option<&str>) -> Site {
    let site = Site::from_fixture("theme-site");
    if let Some(overlay) = overlay {
        copy_tree(&fixture_dir(overlay), &site.root);
    }
    site
}

/// Builds the site into `<site>/public`.
fn build(site: &Site) -> Run {
    Build::of(&site.root)
        .now(TODAY)
        .output(site.path("public"))
        .run()
}

/// Builds `overlay` and expects content errors (exit 1) that mention every one of `expected`.
fn assert_build_error(overlay: &str, expected: &[&str]) -> String {
    let site = site(Some(overlay));
    let public = site.path("public");
    let err = build(&site).expect_code(1).stderr();
    for text in expected {
        assert!(err.contains(text), "stderr lacks {text:?}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !public.exists(),
        "a failed build wrote {}",
        public.display()
    );
    err
}

#[test]
fn the_default_theme_renders_every_page() {
    let site = site(None);
    build(&site).expect_success();
    let public = site.path("public");
    for file in [
        "index.html",
        "groups/alpha/index.html",
        "groups/beta/index.html",
        "groups/gamma/index.html",
        "about/index.html",
        "404.html",
        "style.css",
        "directory.js",
        "favicon.svg",
    ] {
        assert!(public.join(file).is_file(), "missing {file}");
    }
    let alpha = read(&public, "groups/alpha/index.html");
    for fact in [
        "#alpha-wg",
        "Weekly on Tuesday at 16:00",
        "Ada Quill",
        "Beta Talks",
    ] {
        assert!(alpha.contains(fact), "the group page lacks {fact:?}");
    }
}

#[test]
fn a_site_overrides_one_template_and_one_static_file() {
    let site = site(Some("theme-override"));
    build(&site).expect_success();
    let public = site.path("public");

    let about = read(&public, "about/index.html");
    assert!(about.contains("Rendered by the site's own page.html."));
    assert!(about.contains("This page is rendered by"), "body kept");
    assert!(
        about.contains("class=\"site-header\""),
        "the override still extends the theme's base.html"
    );
    let group = read(&public, "groups/alpha/index.html");
    assert!(
        !group.contains("site-override"),
        "other templates stay the theme's"
    );

    let css = read(&public, "style.css");
    assert_eq!(
        css,
        read(repo(), "tests/fixtures/theme-override/static/style.css")
    );
    assert_eq!(
        read(&public, "directory.js"),
        read(repo(), "themes/default/static/directory.js"),
        "static files the site does not override come from the theme"
    );
}

#[test]
fn site_toml_picks_the_theme() {
    let site = site(Some("theme-select"));
    build(&site).expect_success();
    let public = site.path("public");
    assert!(read(&public, "index.html").contains("class=\"plain-index\""));
    assert!(read(&public, "groups/beta/index.html").contains("class=\"plain-group\""));
    assert!(public.join("plain.css").is_file());
    assert!(
        !public.join("directory.js").exists(),
        "nothing comes from the default theme"
    );
}

#[test]
fn a_missing_theme_names_the_setting_and_the_choices() {
    assert_build_error(
        "theme-missing",
        &[
            "site.toml:3:9: error: there is no theme `nope`",
            "one of: default",
        ],
    );
}

#[test]
fn a_missing_required_template_names_the_file() {
    assert_build_error(
        "theme-missing-template",
        &[
            "themes/partial/templates/group.html:1:1: error: the theme has no template `group.html`",
            "add templates/group.html",
        ],
    );
}

#[test]
fn a_template_syntax_error_names_file_and_line() {
    let err = assert_build_error(
        "theme-syntax-error",
        &["templates/page.html:3:", "error: template error:"],
    );
    assert!(
        !err.contains("themes/default/templates/page.html"),
        "blames the site's file, not the theme's it overrides:\n{err}"
    );
}

#[test]
fn an_unknown_variable_names_file_line_and_column() {
    assert_build_error(
        "theme-unknown-variable",
        &[
            "templates/group.html:4:13: error: template error:",
            "mascot",
        ],
    );
}

#[test]
fn an_unknown_include_names_file_and_line() {
    assert_build_error(
        "theme-unknown-include",
        &[
            "templates/404.html:4:12: error: template error:",
            "sidebar.html",
        ],
    );
}

#[test]
fn a_broken_template_keeps_the_previous_output() {
    let site = site(None);
    build(&site).expect_success();
    let public = site.path("public");
    let before = read(&public, "index.html");
    copy_tree(&fixture_dir("theme-syntax-error"), &site.root);
    build(&site).expect_code(1);
    assert_eq!(read(&public, "index.html"), before);
}

/// The page without the contents of `<template>` elements, which browsers never display.
fn displayed(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<template") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</template>")
            .expect("every <template> is closed");
        rest = &rest[start + end + "</template>".len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_directory_lists_every_group_without_javascript() {
    let (_tmp, public) = build_repo(&[]);
    let index = read(&public, "index.html");
    let shown = displayed(&index);
    let groups = fs::read_dir(repo().join("content/groups")).expect("content/groups");
    let mut count = 0;
    for entry in groups {
        let name = entry.expect("entry").file_name();
        let slug = name.to_string_lossy().trim_end_matches(".md").to_string();
        let link = format!("<a href=\"/groups/{slug}/\">");
        assert!(shown.contains(&link), "the directory has no {link}");
        count += 1;
    }
    assert_eq!(shown.matches("<li class=\"card ").count(), count);
    // Only what holds no group may be hidden: empty sections and zero counts, for the re-check
    // on the visitor's day to show.
    let document = scraper::Html::parse_document(&shown);
    let selector = |s: &str| scraper::Selector::parse(s).expect("selector");
    let (hidden, card) = (selector("[hidden]"), selector(".card"));
    for element in document.select(&hidden) {
        assert!(
            element.select(&card).next().is_none(),
            "a group is hidden before the script runs: {}",
            element.html()
        );
    }
    // The navigation's <details> menu works without JavaScript; the filters' controls do not.
    for control in [
        "<form",
        "<input",
        "<select",
        "<button",
        "<details class=\"filters-box\"",
    ] {
        assert!(
            !shown.contains(control),
            "{control} is rendered as a dead control without JavaScript"
        );
        assert!(
            index.contains(control),
            "{control} is missing from the filter template"
        );
    }
    assert!(
        index.contains("<script src=\"/assets/directory.")
            && index.contains(".js\" defer></script>")
    );
}

#[test]
fn no_page_has_inline_style_or_script() {
    let (_tmp, public) = build_repo(&[]);
    let pages = html_pages(&public);
    assert!(pages.len() > 16, "only {} pages", pages.len());
    for name in pages {
        let html = read(&public, &name).to_lowercase();
        assert!(!html.contains("<style"), "{name} has a <style> element");
        assert!(!html.contains(" style="), "{name} has a style attribute");
        for tag in html.split("<script").skip(1) {
            let open = tag.split('>').next().unwrap_or("");
            assert!(open.contains(" src="), "{name} has an inline <script>");
        }
        let inline_handler = html.split(|c: char| c.is_whitespace()).any(|word| {
            word.strip_prefix("on")
                .and_then(|rest| rest.split_once("=\""))
                .is_some_and(|(event, _)| {
                    !event.is_empty() && event.chars().all(|c| c.is_ascii_lowercase())
                })
        });
        assert!(!inline_handler, "{name} has an inline event handler");
    }
}

#[test]
fn filters_work_in_a_real_browser() {
    let modules = common::node_modules();
    let (_tmp, public) = build_repo(&[]);
    Run::of(
        Command::new("node")
            .arg(repo().join("tests/fixtures/theme-browser/check.mjs"))
            .arg(&public)
            .env("NODE_PATH", &modules),
    )
    .expect_success();
}

#[test]
fn the_navigation_fits_from_a_phone_to_a_wide_screen() {
    let (_tmp, public) = build_repo(&[]);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nav-screenshots");
    fs::create_dir_all(&shots).expect("screenshot folder");
    let pages = ["/", "/groups/auth/", "/meetings/", "/governance/"];
    let widths = [320, 390, 768, 1024, 1280, 1920];
    let list = widths.map(|w| w.to_string()).join(",");
    let mut args: Vec<&std::ffi::OsStr> =
        vec![public.as_os_str(), shots.as_os_str(), list.as_ref()];
    args.extend(pages.iter().map(std::ffi::OsStr::new));
    let run = common::node_script("nav_check.mjs", &args);
    run.expect_success();
    let report: serde_json::Value = serde_json::from_slice(&run.output.stdout).expect("JSON");
    for width in widths {
        for page in pages {
            let seen = &report[format!("{width} {page}")];
            let what = format!("{page} at {width} px (see {})", seen["screenshot"]);
            assert!(seen["links"].as_u64() >= Some(6), "{what}: {seen}");
            assert_eq!(
                seen["cutOff"],
                serde_json::json!([]),
                "{what}: links cut off"
            );
            assert!(
                seen["overflow"].as_f64() <= Some(0.0),
                "{what}: the page scrolls sideways"
            );
            if seen["menu"] == true {
                // A phone: a menu that says it is one, on the title's row; opened, every link.
                assert!(width < 768, "{what}: a menu on a wide screen");
                assert_eq!(seen["summary"], "Menu", "{what}");
                assert_eq!(seen["opened"], true, "{what}");
                assert!(
                    seen["headerHeight"].as_f64() <= Some(844.0 / 8.0),
                    "{what}: the header is {} px high",
                    seen["headerHeight"]
                );
            } else {
                // A row of links: all of them on one line, so none is alone on a second one.
                assert!(width >= 768, "{what}: no menu on a phone");
                assert_eq!(
                    seen["rows"], 1,
                    "{what}: the links take {} rows",
                    seen["rows"]
                );
            }
            if page != "/groups/auth/" {
                assert_eq!(
                    seen["current"], true,
                    "{what}: the current page's link is hidden"
                );
            }
            assert!(Path::new(seen["screenshot"].as_str().expect("path")).is_file());
            // The meetings page's cards: no empty band above the title, a narrow label column,
            // values that do not wrap over three lines or more.
            for card in seen["cards"].as_array().expect("cards") {
                assert!(card["gap"].as_f64() < Some(2.0), "{what}: {card}");
                assert!(card["label"].as_f64() < Some(0.25), "{what}: {card}");
                if width >= 1024 {
                    assert!(card["lines"].as_u64() <= Some(2), "{what}: {card}");
                }
            }
        }
    }
    let meetings = &report["1280 /meetings/"]["cards"];
    assert!(
        meetings.as_array().is_some_and(|c| c.len() > 3),
        "{meetings}"
    );
}

/// Wherever a group page lists another group (related, spawned, its origin), a retired one says
/// so.
#[test]
fn retired_groups_are_marked_wherever_they_are_listed() {
    let (_tmp, public) = build_repo(&[]);
    let json: serde_json::Value =
        serde_json::from_str(&read(&public, "groups.json")).expect("groups.json");
    let retired: Vec<String> = json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| g["status"] == "retired")
        .map(|g| g["url"].as_str().expect("url").to_string())
        .collect();
    assert!(!retired.is_empty());
    let mut listed = 0;
    for name in html_pages(&public)
        .into_iter()
        .filter(|n| n.starts_with("groups/"))
    {
        let html = read(&public, &name);
        let main = &html[html.find("<main").expect("main")..];
        for url in &retired {
            for item in main
                .split("<li>")
                .skip(1)
                .filter(|i| i.starts_with(&format!("<a href=\"{url}\"")))
            {
                let item = &item[..item.find("</li>").unwrap_or(item.len())];
                assert!(item.contains("retired-mark"), "{name}: {item}");
                listed += 1;
            }
            if let Some(at) = main.find(&format!("<dt>Came from</dt><dd><a href=\"{url}\"")) {
                assert!(
                    main[at..]
                        .split("</dd>")
                        .next()
                        .unwrap_or("")
                        .contains("retired-mark"),
                    "{name}"
                );
                listed += 1;
            }
        }
    }
    assert!(listed > 3, "only {listed} listings of retired groups");
}

/// A long page (four sections or more) opens with a table of contents linking each section; a
/// short one has none.
#[test]
fn long_pages_have_a_table_of_contents() {
    let (_tmp, public) = build_repo(&[]);
    let governance = read(&public, "governance/index.html");
    let toc_at = governance
        .find("<nav class=\"toc\"")
        .expect("governance has a table of contents");
    let toc = &governance[toc_at..toc_at + governance[toc_at..].find("</nav>").expect("closed")];
    let ids: Vec<&str> = governance
        .split("<h2 id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(ids.len() >= 8, "{ids:?}");
    for id in &ids {
        assert!(
            toc.contains(&format!("<a href=\"#{id}\">")),
            "the table of contents misses #{id}"
        );
    }
    assert!(toc_at < governance.find("<h2 id=\"").expect("h2"));
    let meetings = read(&public, "meetings/index.html");
    assert!(!meetings.contains("class=\"toc\""));
}

/// The directory is a way in: one title, a "New here?" path from the rules' on-ramp, and cards
/// that lead with what a group does, when it meets and where it talks, then how to join; health
/// is a badge at the end of the card, never a section.
#[test]
fn directory_cards_lead_with_what_when_where_and_join() {
    let (_tmp, public) = build_repo(&[]);
    let index = read(&public, "index.html");
    let shown = displayed(&index);
    let body = &shown[shown.find("<body").expect("body")..];
    let title = "MCP Interest and Working Groups";
    assert_eq!(
        body.matches(title).count(),
        1,
        "the site title shown more than once"
    );
    let start = &body[body.find("New here?").expect("a New here? path")..];
    let start = &start[..start.find("</div>").expect("closed")];
    for step in ["Join the Discord", "Pick a group", "Attend a live call"] {
        assert!(start.contains(step), "New here? lacks {step:?}: {start}");
    }
    assert!(start.contains("href=\"https://discord.gg/") && start.contains("href=\"/meetings/\""));
    for id in ["active", "at-risk", "stale"] {
        assert!(
            !body.contains(&format!("<section id=\"{id}\"")),
            "a section by health: {id}"
        );
    }
    let document = scraper::Html::parse_document(&shown);
    let selector = |s: &str| scraper::Selector::parse(s).expect("selector");
    let cards: Vec<_> = document.select(&selector("#directory .card")).collect();
    assert!(cards.len() >= 20);
    let mut meeting_times = 0;
    for card in cards {
        let html = card.html();
        let at = |needle: &str| html.find(needle);
        let slug = card.value().attr("data-slug").expect("slug");
        let summary = at("class=\"summary\"").expect("summary");
        let badge = at("class=\"badge").expect("badge");
        assert!(
            summary < badge,
            "{slug}: the badge comes before the summary"
        );
        if card.value().attr("data-status") != Some("retired") {
            let meets = at("<dt>Meets</dt>").unwrap_or_else(|| panic!("{slug}: no Meets"));
            let join = at("class=\"join-link\"").unwrap_or_else(|| panic!("{slug}: no join"));
            assert!(
                summary < meets && meets < join && join < badge,
                "{slug}: {html}"
            );
            meeting_times += usize::from(html.contains("class=\"utc\""));
        }
        if let Some(talks) = at("<dt>Talks in</dt>") {
            assert!(summary < talks && talks < badge, "{slug}");
        }
    }
    assert!(
        meeting_times >= 5,
        "only {meeting_times} cards say when the group next meets"
    );
}

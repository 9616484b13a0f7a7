//! The theme: selection in site.toml, overrides by the site's own templates/ and static/, clear
//! errors for missing or broken templates, and a directory that works without JavaScript. Each test
//! runs the real binary on a fixture site: `tests/fixtures/theme-site` plus the repository's
//! `themes/`, with one `tests/fixtures/theme-*` folder copied on top.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-25";

/// A fresh folder under the system temp dir, removed when dropped (even if a test panics).
struct TempDir(PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl TempDir {
    fn new(label: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("groupdir-{label}-"))
            .tempdir()
            .expect("create temp dir");
        TempDir(dir.path().to_path_buf(), dir)
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            fs::create_dir_all(&target).expect("create folder");
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A site folder: the base fixture, the repository's themes, then `overlay` on top.
fn site(overlay: Option<&str>) -> TempDir {
    let dir = TempDir::new(overlay.unwrap_or("base"));
    let fixtures = repo().join("tests/fixtures");
    copy_tree(&fixtures.join("theme-site"), &dir.0);
    fs::create_dir_all(dir.0.join("themes")).expect("create themes/");
    copy_tree(&repo().join("themes"), &dir.0.join("themes"));
    if let Some(overlay) = overlay {
        copy_tree(&fixtures.join(overlay), &dir.0);
    }
    dir
}

fn build(root: &Path, output: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_groupdir"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(["--now", NOW])
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run groupdir")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_built(out: &Output) {
    assert!(
        out.status.success(),
        "build failed with {}\n{}",
        out.status,
        stderr(out)
    );
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Builds `overlay` and expects content errors (exit 1) that mention every one of `expected`.
fn assert_build_error(overlay: &str, expected: &[&str]) -> String {
    let site = site(Some(overlay));
    let public = site.0.join("public");
    let out = build(&site.0, &public);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "exit status; stderr:\n{err}");
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
    let public = site.0.join("public");
    assert_built(&build(&site.0, &public));
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
    let alpha = read(&public.join("groups/alpha/index.html"));
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
    let public = site.0.join("public");
    assert_built(&build(&site.0, &public));

    let about = read(&public.join("about/index.html"));
    assert!(about.contains("Rendered by the site's own page.html."));
    assert!(about.contains("This page is rendered by"), "body kept");
    assert!(
        about.contains("class=\"site-header\""),
        "the override still extends the theme's base.html"
    );
    let group = read(&public.join("groups/alpha/index.html"));
    assert!(
        !group.contains("site-override"),
        "other templates stay the theme's"
    );

    let css = read(&public.join("style.css"));
    assert_eq!(
        css,
        read(&repo().join("tests/fixtures/theme-override/static/style.css"))
    );
    assert_eq!(
        read(&public.join("directory.js")),
        read(&repo().join("themes/default/static/directory.js")),
        "static files the site does not override come from the theme"
    );
}

#[test]
fn site_toml_picks_the_theme() {
    let site = site(Some("theme-select"));
    let public = site.0.join("public");
    assert_built(&build(&site.0, &public));
    assert!(read(&public.join("index.html")).contains("class=\"plain-index\""));
    assert!(read(&public.join("groups/beta/index.html")).contains("class=\"plain-group\""));
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
    let public = site.0.join("public");
    assert_built(&build(&site.0, &public));
    let before = read(&public.join("index.html"));
    copy_tree(&repo().join("tests/fixtures/theme-syntax-error"), &site.0);
    let out = build(&site.0, &public);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(read(&public.join("index.html")), before);
}

/// The bundled site, built once per test that needs it.
fn bundled() -> (TempDir, PathBuf) {
    let dir = TempDir::new("bundled");
    let public = dir.0.join("public");
    assert_built(&build(repo(), &public));
    (dir, public)
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("read output") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(html_files(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            files.push(path);
        }
    }
    files
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
    let (_dir, public) = bundled();
    let index = read(&public.join("index.html"));
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
    assert!(
        !shown.contains(" hidden"),
        "nothing is hidden before the script runs"
    );
    for control in ["<form", "<input", "<select", "<button", "<details"] {
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
    let (_dir, public) = bundled();
    let pages = html_files(&public);
    assert!(pages.len() > 16, "only {} pages", pages.len());
    for page in pages {
        let html = read(&page).to_lowercase();
        let name = page.display();
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

/// The audit's Node tools (`../shared/audit/install.sh`), if this machine has them.
fn browser_tools() -> Option<PathBuf> {
    let home = std::env::var_os("AUDIT_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/site-audit")))?;
    let modules = home.join("node/node_modules");
    let ready = modules.join("playwright-core").is_dir()
        && modules.join("axe-core").is_dir()
        && Path::new("/usr/bin/chromium").is_file();
    ready.then_some(modules)
}

#[test]
fn filters_work_in_a_real_browser() {
    let Some(modules) = browser_tools() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have the audit's browser tools: run ../shared/audit/install.sh"
        );
        eprintln!("skipped: no playwright-core/axe-core/chromium (run ../shared/audit/install.sh)");
        return;
    };
    let (_dir, public) = bundled();
    let out = Command::new("node")
        .arg(repo().join("tests/fixtures/theme-browser/check.mjs"))
        .arg(&public)
        .env("NODE_PATH", &modules)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "browser checks failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

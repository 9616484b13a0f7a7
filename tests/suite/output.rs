//! What a build may replace: only a folder it can prove it wrote (it holds the build's mark), or
//! an empty one. Anything else in the output's place is refused with exit 2 and left as it was,
//! a linked output is never written through, and a static file cannot take the place of a file
//! the build writes.

use crate::common;

use std::fs;
use std::path::Path;

use common::{Build, Site, TODAY, entries, read, read_tree};

fn build_to(site: &Site, output: &Path) -> common::Run {
    Build::of(&site.root).now(TODAY).output(output).run()
}

#[test]
fn a_folder_the_build_did_not_make_is_refused_and_left_alone() {
    let site = Site::from_fixture("valid");
    let www = site.tmp().join("www");
    fs::create_dir_all(www.join("photos")).unwrap();
    fs::write(www.join("index.html"), "<p>my own home page</p>").unwrap();
    fs::write(www.join("photos/cat.jpg"), "a cat").unwrap();
    let before = read_tree(&www);
    let around = entries(site.tmp());
    for _ in 0..2 {
        let run = build_to(&site, &www);
        run.expect_code(2);
        let stderr = run.stderr();
        assert!(
            stderr.contains("groupdir did not write")
                && stderr.contains(
                    "delete the folder or move its files away, or choose another --output"
                ),
            "{stderr}"
        );
        assert_eq!(read_tree(&www), before, "the folder changed");
        assert_eq!(entries(site.tmp()), around, "something was left beside it");
    }
    // Once it is out of the way, the build makes the folder its own and replaces it from then on.
    fs::remove_dir_all(&www).unwrap();
    build_to(&site, &www).expect_success();
    assert!(read(&www, ".gitignore").starts_with("# Written by `groupdir build`"));
    build_to(&site, &www).expect_success();
    assert!(www.join("index.html").is_file());
}

#[test]
fn an_empty_folder_can_become_the_output() {
    let site = Site::from_fixture("valid");
    let out = site.tmp().join("empty");
    fs::create_dir_all(&out).unwrap();
    build_to(&site, &out).expect_success();
    assert!(out.join("groups.json").is_file());
}

#[cfg(unix)]
#[test]
fn a_linked_output_is_refused_and_nothing_is_written_through_it() {
    let site = Site::from_fixture("valid");
    let real = site.tmp().join("real");
    build_to(&site, &real).expect_success();
    let before = read_tree(&real);
    for target in [real.clone(), site.tmp().join("empty")] {
        fs::create_dir_all(&target).unwrap();
        let link = site.tmp().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let run = build_to(&site, &link);
        run.expect_code(2);
        assert!(
            run.stderr().contains("it is a symbolic link"),
            "{}",
            run.stderr()
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link was replaced"
        );
        fs::remove_file(&link).unwrap();
    }
    assert_eq!(read_tree(&real), before);
    assert!(entries(&site.tmp().join("empty")).is_empty());
    assert!(!entries(site.tmp()).iter().any(|e| e.starts_with(".link")));
}

#[cfg(unix)]
#[test]
fn an_output_that_reaches_the_sources_through_a_link_is_refused() {
    let site = Site::from_fixture("valid");
    let alias = site.tmp().join("alias");
    std::os::unix::fs::symlink(&site.root, &alias).unwrap();
    let sources = read_tree(&site.root);
    for output in [
        "alias/content/public",
        "alias/content",
        "alias/themes/x",
        "alias",
    ] {
        let run = build_to(&site, &site.tmp().join(output));
        run.expect_code(2);
        assert!(
            run.stderr().contains("refusing to write the site to"),
            "{output}: {}",
            run.stderr()
        );
    }
    assert_eq!(read_tree(&site.root), sources);
}

#[test]
fn a_static_file_at_a_generated_path_is_an_error_naming_both() {
    let cases = [
        ("static/groups.json", "`groups.json`, the directory as JSON"),
        ("static/sitemap.xml", "`sitemap.xml`, the sitemap"),
        ("static/feed.xml", "`feed.xml`, the feed"),
        ("static/index.html", "`index.html`, the directory"),
        (
            "static/groups/fresh-ig/index.html",
            "`groups/fresh-ig/index.html`, the page of content/groups/fresh-ig.md",
        ),
        (
            "static/faq/index.html",
            "`faq/index.html`, the page of content/faq.md",
        ),
        (
            "static/groups.json/x",
            "`groups.json`, the directory as JSON",
        ),
        (
            "static/meetings",
            "`meetings/index.html`, the meetings page",
        ),
    ];
    for (file, says) in cases {
        let site = Site::from_fixture("valid");
        site.write(file, "{\"groups\": []}");
        let run = site.build().run();
        run.expect_code(1);
        let line = format!(
            "{file}:1:1: error: this static file would take the place of {says}, which the build writes"
        );
        assert!(
            run.stderr().contains(&line),
            "{line}\nin:\n{}",
            run.stderr()
        );
        assert!(!site.path("public").exists());
    }
}

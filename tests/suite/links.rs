//! What the build reads: regular files only. A symbolic link anywhere under the site (a file, or
//! a folder such as `static/` or `templates/`, at any depth, pointing inside the site or out of
//! it) is an error naming it, and nothing is published; `site.toml` is read like a content file.

#![cfg(unix)]

use crate::common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use common::{BASE_URL, NOW, Run, Site, group};

fn site() -> Site {
    let site = Site::new();
    site.write("content/groups/alpha.md", group("Alpha", "", "Body.\n"));
    site
}

/// Asserts the build failed naming `path` as a link, and published nothing.
fn assert_link_refused(site: &Site, run: &Run, path: &str) {
    let stderr = run.expect(1);
    let line =
        format!("{path}:1:1: error: this is a symbolic link, and groupdir does not follow links");
    assert!(stderr.contains(&line), "{line}\nin:\n{stderr}");
    assert!(!site.root().join("public").exists(), "{path}: built anyway");
}

/// Makes a link in a site, given a folder outside it to point at or move things to.
type Make = fn(&Site, &Path);

/// Moves the folder `rel` of the site to `outside` and puts a link to it in its place: the same
/// files, reached through a link.
fn move_behind_link(site: &Site, rel: &str, outside: &Path) {
    let real = site.root().join(rel);
    let moved = outside.join(rel.replace('/', "-"));
    common::copy_tree(&real, &moved);
    std::fs::remove_dir_all(&real).unwrap();
    symlink(&moved, &real).unwrap();
}

/// A real folder outside the site with a file in it, for links to point at.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("secret.txt"),
        "the build machine's secret\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_static_folder_that_is_a_link_is_refused_wherever_it_points() {
    let elsewhere = outside();
    for target in [Path::new("/etc"), Path::new("content"), elsewhere.path()] {
        let site = site();
        symlink(target, site.root().join("static")).unwrap();
        let run = site.build().base_url(BASE_URL).run();
        assert_link_refused(&site, &run, "static");
    }
}

#[test]
fn links_in_the_theme_and_templates_are_refused() {
    let themes = |site: &Site| site.root().join("themes");
    let cases: [(&str, Make); 5] = [
        ("templates", |site, outside| {
            let copy = outside.join("templates");
            common::copy_tree(&site.root().join("themes/default/templates"), &copy);
            symlink(&copy, site.root().join("templates")).unwrap();
        }),
        ("themes/default", |site, outside| {
            move_behind_link(site, "themes/default", outside)
        }),
        ("themes", |site, outside| {
            move_behind_link(site, "themes", outside)
        }),
        ("themes/default/static/deep/er/passwd.css", |site, _| {
            let deep = site.root().join("themes/default/static/deep/er");
            std::fs::create_dir_all(&deep).unwrap();
            symlink("/etc/passwd", deep.join("passwd.css")).unwrap();
        }),
        ("themes/default/templates/partial.html", |site, _| {
            symlink(
                "/etc/hostname",
                site.root().join("themes/default/templates/partial.html"),
            )
            .unwrap();
        }),
    ];
    for (path, make) in cases {
        let site = site();
        let elsewhere = outside();
        assert!(themes(&site).is_dir());
        make(&site, elsewhere.path());
        let run = site.build().base_url(BASE_URL).run();
        assert_link_refused(&site, &run, path);
    }
}

#[test]
fn a_linked_site_toml_is_refused() {
    let elsewhere = outside();
    let secret = elsewhere.path().join("secret.txt");
    for target in [Path::new("/dev/zero"), &secret] {
        let site = site();
        symlink(target, site.root().join("site.toml")).unwrap();
        for command in ["build", "check"] {
            let run = site.run(&[command, "--now", NOW]);
            assert_link_refused(&site, &run, "site.toml");
        }
    }
}

#[test]
fn links_in_content_are_refused_folders_included() {
    let cases: [(&str, Make); 4] = [
        ("content/groups", |site, outside| {
            move_behind_link(site, "content/groups", outside)
        }),
        ("content", |site, outside| {
            move_behind_link(site, "content", outside)
        }),
        ("content/groups/beta.md", |site, _| {
            symlink("alpha.md", site.root().join("content/groups/beta.md")).unwrap();
        }),
        ("content/guides/more", |site, _| {
            std::fs::create_dir_all(site.root().join("content/guides")).unwrap();
            symlink("/etc", site.root().join("content/guides/more")).unwrap();
        }),
    ];
    for (path, make) in cases {
        let site = site();
        let elsewhere = outside();
        make(&site, elsewhere.path());
        let run = site.build().base_url(BASE_URL).run();
        assert_link_refused(&site, &run, path);
    }
}

#[test]
fn site_toml_is_read_like_a_content_file() {
    // A named pipe would block a plain read for ever.
    let site = site();
    let made = Command::new("mkfifo")
        .arg(site.root().join("site.toml"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for command in ["build", "check"] {
        let stderr = site.run(&[command, "--now", NOW]).expect(1).to_string();
        assert!(
            stderr.contains("site.toml:1:1: error: this is not a regular file"),
            "{command}: {stderr}"
        );
    }

    let site = self::site();
    site.write(
        "site.toml",
        format!("title = \"{}\"\n", "x".repeat(2 << 20)),
    );
    let stderr = site.build().base_url(BASE_URL).run().expect(1).to_string();
    assert!(
        stderr.contains("site.toml:1:1: error: the file is 2049 KiB; groupdir reads text files of up to 1024 KiB"),
        "{stderr}"
    );

    let site = self::site();
    site.write(
        "site.toml",
        b"title = \"Groups\"\ndescription = \"Caf\xe9\"\n",
    );
    let stderr = site.build().base_url(BASE_URL).run().expect(1).to_string();
    assert!(
        stderr.contains("site.toml:2:19: error: the file is not valid UTF-8 text"),
        "{stderr}"
    );
}

#[test]
fn content_files_above_the_size_limit_are_refused_at_once() {
    for (what, body) in [
        ("10 MB of <", "<".repeat(10 << 20)),
        ("50 MB of <&", "<&".repeat(25 << 20)),
    ] {
        let site = site();
        site.write("content/groups/big.md", group("Big", "", &body));
        let run = site.build().base_url(BASE_URL).run();
        let stderr = run.expect(1);
        assert!(
            stderr.contains("content/groups/big.md:1:1: error: the file is ")
                && stderr.contains("groupdir reads text files of up to 1024 KiB"),
            "{what}: {stderr}"
        );
        println!("{what}: refused in {:?}", run.elapsed);
    }
}

#[test]
fn the_data_file_is_read_like_a_content_file() {
    let elsewhere = outside();
    std::fs::write(elsewhere.path().join("activity.toml"), "").unwrap();
    let cases: [(&str, Make); 3] = [
        ("data/activity.toml", |site, _| {
            std::fs::create_dir_all(site.root().join("data")).unwrap();
            symlink("/etc/passwd", site.root().join("data/activity.toml")).unwrap();
        }),
        ("data", |site, outside| {
            symlink(outside, site.root().join("data")).unwrap();
        }),
        ("data/activity.toml", |site, _| {
            std::fs::create_dir_all(site.root().join("data")).unwrap();
            let made = Command::new("mkfifo")
                .arg(site.root().join("data/activity.toml"))
                .status()
                .expect("mkfifo");
            assert!(made.success());
        }),
    ];
    for (i, (path, make)) in cases.into_iter().enumerate() {
        let site = site();
        make(&site, elsewhere.path());
        let run = site.build().base_url(BASE_URL).run();
        if i == 2 {
            let stderr = run.expect(1);
            assert!(
                stderr.contains("data/activity.toml:1:1: error: this is not a regular file"),
                "{stderr}"
            );
        } else {
            assert_link_refused(&site, &run, path);
        }
    }

    let site = site();
    site.write("data/activity.toml", format!("# {}\n", "x".repeat(2 << 20)));
    let stderr = site.build().base_url(BASE_URL).run().expect(1).to_string();
    assert!(
        stderr.contains("data/activity.toml:1:1: error: the file is 2049 KiB"),
        "{stderr}"
    );
    let site = self::site();
    site.write("data/activity.toml", b"# Caf\xe9\n");
    let stderr = site.build().base_url(BASE_URL).run().expect(1).to_string();
    assert!(
        stderr.contains("data/activity.toml:1:6: error: the file is not valid UTF-8 text"),
        "{stderr}"
    );
}

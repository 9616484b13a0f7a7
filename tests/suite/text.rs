//! Text from content on its way out: control characters are errors where they are written, no
//! output can carry one, values are shown escaped on terminals and in CI logs, and warnings stay
//! one message per finding however large the site.

use crate::common;

use common::{BASE_URL, NOW, Site, group};

/// [`group`] with `title` written into the file as it is: TOML with escapes of its own.
fn titled(title: &str, extra: &str, body: &str) -> String {
    group("TITLE", extra, body).replace("\"TITLE\"", &format!("\"{title}\""))
}

/// A site with one good group and `text` at `file`.
fn site_with(file: &str, text: &str) -> Site {
    let site = Site::new();
    site.write("content/groups/alpha.md", group("Alpha", "", "Body.\n"));
    site.write(file, text);
    site
}

#[test]
fn control_characters_are_errors_at_the_value_that_holds_them() {
    let text = titled(
        "Bad\\u001b]0;pwned\\u0007 WG",
        "[[activity]]\ndate = 2026-11-02\nwhat = \"Call\\u000bnotes\"\n",
        "Intro.\n\nA form\u{c}feed and a DEL\u{7f}.\n",
    );
    let site = site_with("content/groups/bad.md", &text);
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\ndescription = \"C1 \\u009b here\"\n+++\nBody.\n",
    );
    site.write("site.toml", "title = \"Groups\\u0000\"\n");
    let run = site.run(&["check"]);
    let stderr = run.expect(1);
    for line in [
        "content/groups/bad.md:2:9: error: `title` has the control character U+001B",
        "content/groups/bad.md:12:8: error: `activity[0].what` has the control character U+000B",
        "content/groups/bad.md:16:7: error: the body has the control character U+000C",
        "content/about.md:3:15: error: `description` has the control character U+009B",
        "site.toml:1:9: error: `title` has the control character U+0000",
    ] {
        assert!(stderr.contains(line), "{line}\nin:\n{stderr}");
    }
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(!site.root().join("public").exists());
    // The same values pass when written as text: nothing else about them is wrong.
    let clean = site_with(
        "content/groups/bad.md",
        &text
            .replace("\\u001b]0;pwned\\u0007", " ")
            .replace("\\u000b", " ")
            .replace(['\u{c}', '\u{7f}'], " "),
    );
    clean.build().base_url(BASE_URL).run().expect(0);
}

#[test]
fn a_theme_cannot_put_control_characters_into_pages_or_the_feed() {
    let site = Site::new();
    site.write("content/groups/alpha.md", group("Alpha", "", "Body.\n"));
    let theme = site.root().join("themes/default/templates");
    for name in ["page.html", "feed.xml"] {
        let path = theme.join(name);
        let template = std::fs::read_to_string(&path).unwrap();
        let hostile = template.replacen('>', ">\u{1b}[2J\u{0}\u{b}\u{ffff}", 2);
        std::fs::write(&path, hostile).unwrap();
    }
    site.write("content/faq.md", "+++\ntitle = \"FAQ\"\n+++\nText.\n");
    site.build().base_url(BASE_URL).run().expect(0);
    for file in ["public/faq/index.html", "public/feed.xml"] {
        let text = site.read(file);
        let bad: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r') || *c == '\u{ffff}')
            .collect();
        assert!(bad.is_empty(), "{file} carries {bad:?}");
        assert!(
            text.contains('\u{fffd}'),
            "{file}: the characters were not replaced"
        );
    }
    let feed = site.read("public/feed.xml");
    let mut reader = quick_xml::Reader::from_str(&feed);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("feed.xml is not well-formed: {e}"),
        }
    }
}

#[test]
fn stale_reports_show_titles_escaped() {
    let forged = "Quiet\\n::error file=content/groups/alpha.md,line=1::forged\\tnow";
    let text = titled(forged, "", "").replace("2026-11-01", "2026-01-01");
    let site = site_with("content/groups/quiet.md", &text);
    let run = site.run(&["stale", "--now", NOW]);
    run.expect(0);
    assert!(
        run.stdout
            .contains("Quiet\\n::error file=content/groups/alpha.md,line=1::forged\\tnow (IG)"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.lines().any(|l| l.trim_start().starts_with("::")),
        "a line of the report starts a workflow command:\n{}",
        run.stdout
    );
}

#[test]
fn diagnostics_show_hostile_values_escaped_in_every_format() {
    let text = group(
        "Meets",
        "[meetings]\nevery_weeks = 1\nday = \"Mon\\u001b]0;owned\\u0007\\n::error::x\"\n",
        "",
    );
    let site = site_with("content/groups/meets.md", &text);
    let human = site.run(&["check"]);
    let github = site.run(&["check", "--format", "github"]);
    let json = site.run(&["check", "--format", "json"]);
    for (format, out) in [
        ("human", human.expect(1)),
        ("github", github.stdout.as_str()),
        ("json", json.stdout.as_str()),
    ] {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: {out:?}"
        );
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("::error::")),
            "{format}: a forged annotation in {out}"
        );
    }
    assert!(
        human
            .stderr
            .contains("`Mon\\u{1b}]0;owned\\u{7}\\n::error::x` is not a day of the week"),
        "{}",
        human.stderr
    );
    assert_eq!(github.code, Some(1));
    assert!(
        github.stdout.contains("::error file=content/groups/meets.md,line=12,col=7::`Mon\\u{1b}]0;owned\\u{7}\\n::error::x`"),
        "{}",
        github.stdout
    );
}

/// `count` groups that share the facilitator Sam, and `forgotten` proposals whose vote ended
/// long ago (a warning each).
fn crowded_site(count: usize, forgotten: usize) -> Site {
    let site = Site::new();
    for i in 0..count {
        let text = group(&format!("Group {i}"), "", "")
            .replace("name = \"Ada\"", "name = \"Sam Morrow\", github = \"sam\"");
        site.write(&format!("content/groups/g{i:04}.md"), text);
    }
    for i in 0..forgotten {
        let text = group(&format!("Idea {i}"), "created = 2026-01-05\n", "")
            .replace("\"active\"", "\"proposed\"")
            .replace("\"Ada\"", &format!("\"Ada {i}\""));
        site.write(&format!("content/groups/idea-{i:03}.md"), text);
    }
    site
}

#[test]
fn one_facilitator_of_many_groups_floods_nothing() {
    let site = crowded_site(300, 0);
    let run = site.run(&["check", "--format", "json"]);
    run.expect(0);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let about_sam = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("Sam Morrow"))
        .count();
    assert!(about_sam <= 1, "{about_sam} warnings about one facilitator");
    let human = site.run(&["check"]);
    assert!(
        human.stderr.len() < 10_000,
        "{} bytes of report",
        human.stderr.len()
    );
}

#[test]
fn every_command_shows_twenty_warnings_and_counts_the_rest() {
    let site = crowded_site(0, 30);
    let more = "… and 10 more warnings: `groupdir check --format json` lists them all";
    let warnings = |stderr: &str| stderr.lines().filter(|l| l.contains(": warning: ")).count();

    let check = site.run(&["check"]);
    let build = site.build().base_url(BASE_URL).run();
    for (what, stderr) in [("check", check.expect(0)), ("build", build.expect(0))] {
        assert_eq!(warnings(stderr), 20, "{what}: {stderr}");
        assert!(stderr.contains(more), "{what}: {stderr}");
    }
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(
        json.stdout.matches("\"warning\"").count(),
        30,
        "{}",
        json.stdout
    );

    // A failed build shows every error, and the same twenty warnings.
    site.write("content/groups/broken.md", "+++\ntitle = 1\n+++\n");
    let failed = site.build().base_url(BASE_URL).run();
    let stderr = failed.expect(1);
    assert_eq!(warnings(stderr), 20, "{stderr}");
    assert!(stderr.contains(more), "{stderr}");
    assert!(
        stderr.contains("content/groups/broken.md:2:9: error:"),
        "{stderr}"
    );
}

#[test]
fn titles_that_read_the_same_are_duplicates() {
    for (first, second) in [
        ("Caf\\u00e9 WG", "Cafe\\u0301 WG"),
        ("Security", "Secu\\u200brity"),
        ("Agents", "AGENTS\\u2060"),
    ] {
        let site = site_with("content/groups/one.md", &titled(first, "", ""));
        site.write("content/groups/two.md", titled(second, "", ""));
        let stderr = site.run(&["check"]).expect(1).to_string();
        assert!(
            stderr.contains("content/groups/two.md:2:9: error: the title")
                && stderr.contains("is already used by content/groups/one.md"),
            "{first} / {second}: {stderr}"
        );
    }
}

#[test]
fn a_text_of_invisible_characters_only_is_an_error() {
    let site = site_with(
        "content/groups/ghost.md",
        &titled("\\u200b\\u200d\\ufeff", "", "").replace("A group.", "\\u2060 \\u200b"),
    );
    site.write(
        "content/ghost.md",
        "+++\ntitle = \"\\u200b\\u200c\"\n+++\nBody.\n",
    );
    let stderr = site.run(&["check"]).expect(1).to_string();
    for line in [
        "content/groups/ghost.md:2:9: error: `title` has no visible text",
        "content/groups/ghost.md:5:11: error: `summary` has no visible text",
        "content/ghost.md:2:9: error: `title` has no visible text",
    ] {
        assert!(stderr.contains(line), "{line}\nin:\n{stderr}");
    }
}

#[test]
fn a_body_heading_never_takes_an_id_of_the_theme() {
    let body = "# Main\n\nText.\n\n## main\n\n### Related {#related}\n";
    let site = site_with(
        "content/groups/ids.md",
        &group(
            "Ids",
            "related = [\"alpha\"]\ndifferentiation = \"Other.\"\n",
            body,
        ),
    );
    site.build().base_url(BASE_URL).run().expect(0);
    let page = site.read("public/groups/ids/index.html");
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "an id twice: {ids:?}");
    assert_eq!(ids.iter().filter(|id| **id == "main").count(), 1, "{ids:?}");
    assert!(page.contains("<h1 id=\"main-1\">Main</h1>"), "{page}");
    assert!(page.contains("href=\"#main\""), "the skip link");
}

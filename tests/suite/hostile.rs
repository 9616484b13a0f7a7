//! Malformed and hostile content files: each is either handled correctly or reported with a clear
//! error naming the file, through the real binary; never a panic, a hang or exit 101.

use crate::common;

use std::process::Command;
use std::time::Duration;

use common::{BASE_URL, NOW, Run, Site, group};

/// A site with one good group, `alpha`, plus `file` holding `bytes`; returns the `build` run.
fn build_with(file: &str, bytes: impl AsRef<[u8]>) -> (Site, Run) {
    let site = Site::new();
    site.write("content/groups/alpha.md", group("Alpha", "", "Body.\n"));
    site.write(file, bytes);
    let run = site.build().base_url(BASE_URL).run();
    (site, run)
}

/// Asserts the build failed on content errors and reported `message` at `file:line:`.
fn assert_reported(run: &Run, file: &str, line: usize, message: &str) {
    let stderr = run.expect(1);
    let located = format!("{file}:{line}:");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&located) && l.contains(message)),
        "expected `{located}… {message}` in:\n{stderr}"
    );
}

#[test]
fn files_without_usable_front_matter_are_reported() {
    let cases: [(&str, &[u8], usize, &str); 6] = [
        ("empty", b"", 1, "the file is empty"),
        ("blank", b"\n\n  \n", 1, "the file is empty"),
        (
            "no-front-matter",
            b"# Title\n\nBody\n",
            1,
            "does not start with `+++`",
        ),
        (
            "yaml",
            b"---\ntitle: x\n---\n",
            1,
            "does not start with `+++`",
        ),
        (
            "not-closed",
            b"+++\ntitle = \"x\"\nkind = 1\n",
            2,
            "front matter is not closed",
        ),
        ("only-fence", b"+++", 1, "front matter is not closed"),
    ];
    for (stem, bytes, line, message) in cases {
        let file = format!("content/groups/{stem}.md");
        let (site, run) = build_with(&file, bytes);
        assert_reported(&run, &file, line, message);
        assert!(!site.root().join("public").exists(), "{stem}: built anyway");
    }
}

#[test]
fn invalid_utf8_is_reported_where_it_starts() {
    let file = "content/groups/latin1.md";
    let (_site, run) = build_with(file, b"+++\ntitle = \"Caf\xe9\"\n+++\n");
    assert_reported(&run, file, 2, "not valid UTF-8");
    assert!(
        run.stderr.contains(&format!("{file}:2:13:")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_endings_are_accepted() {
    let text = group("Windows", "", "Line one.\r\n\r\n## Part\r\n").replace('\n', "\r\n");
    let (site, run) = build_with("content/groups/windows.md", format!("\u{feff}{text}"));
    run.expect(0);
    let page = site.read("public/groups/windows/index.html");
    assert!(page.contains("<h1>Windows</h1>"), "{page}");
    assert!(page.contains("<h2 id=\"part\">Part</h2>"), "{page}");

    // Positions in such a file still count lines and columns as an editor shows them.
    let broken = text.replace("status = \"active\"", "stauts = \"active\"");
    let file = "content/groups/windows.md";
    let (_site, run) = build_with(file, format!("\u{feff}{broken}"));
    assert_reported(&run, file, 4, "unknown key `stauts`");
    assert!(
        run.stderr.contains(&format!("{file}:4:1:")),
        "{}",
        run.stderr
    );
}

#[test]
fn impossible_and_future_dates_are_reported() {
    let file = "content/groups/dates.md";
    let impossible = group("Dates", "", "").replace("2026-11-01", "2026-02-30");
    let (_site, run) = build_with(file, impossible);
    assert_reported(&run, file, 6, "invalid date");

    let future = group(
        "Dates",
        "created = 2027-01-01\n[[activity]]\ndate = 2026-11-26\nwhat = \"Tomorrow\"\n",
        "",
    );
    let (_site, run) = build_with(file, future);
    assert_reported(
        &run,
        file,
        10,
        "`created` is 2027-01-01, which is after today",
    );
    assert_reported(&run, file, 12, &format!("which is after today ({NOW})"));
}

#[test]
fn wrong_types_are_each_reported() {
    let file = "content/groups/types.md";
    let text = "+++\ntitle = 5\nkind = \"interest-group\"\nstatus = \"stale\"\n\
                summary = [\"a\"]\nlast_activity = \"2026-11-01\"\nfacilitators = \"Ada\"\n\
                first_topic = \"x\"\n[meetings]\nevery_weeks = \"two\"\n+++\n";
    let (_site, run) = build_with(file, text);
    for line in [2, 4, 5, 6, 7, 10] {
        assert_reported(&run, file, line, "");
    }
}

#[test]
fn deep_front_matter_is_reported_not_overflowed() {
    let file = "content/groups/deep-toml.md";
    for value in ["[".repeat(50_000), "{ a = ".repeat(50_000)] {
        let (_site, run) = build_with(file, format!("+++\ntitle = {value}\n+++\n"));
        assert_reported(&run, file, 2, "invalid TOML");
    }
}

#[test]
fn deeply_nested_bodies_are_reported_not_overflowed() {
    let file = "content/groups/nested.md";
    let bodies = [
        (">".repeat(10_000) + " deep\n", 13),
        ("- ".repeat(10_000) + "deep\n", 13),
        (
            (0..2_000)
                .map(|i| format!("{}1. x\n", "   ".repeat(i % 200)))
                .collect(),
            63,
        ),
        ("<div>".repeat(10_000), 13),
        ("<b><i>".repeat(10_000) + "x", 13),
    ];
    for (body, line) in bodies {
        let (_site, run) = build_with(file, group("Nested", "", &format!("Intro.\n\n{body}")));
        assert_reported(&run, file, line, "more than 100 deep");
    }
    // Real content nests a few levels: that renders.
    let (site, run) = build_with(file, group("Nested", "", "> - > - a\n"));
    run.expect(0);
    assert!(
        site.read("public/groups/nested/index.html")
            .contains("<blockquote>")
    );
}

#[test]
fn huge_bodies_and_long_lines_build() {
    let file = "content/groups/big.md";
    let paragraph = "Lorem ipsum *dolor* sit [amet](https://example.org/), `code` <b>bold</b>.\n\n";
    // Just under the limit on a text file's size (1 MiB).
    let huge = paragraph.repeat(1000 * 1024 / paragraph.len());
    let long_line = "word ".repeat(1000 * 1024 / 5) + "\n";
    for (what, body) in [("1 MB body", huge), ("1 MB line", long_line)] {
        let site = Site::new();
        site.write(file, group("Big", "", &body));
        // Generous for an unoptimised binary on a busy machine; the release build takes about a second.
        let run = site.build().limit(Duration::from_secs(90)).run();
        run.expect(0);
        let page = site.read("public/groups/big/index.html");
        assert!(page.len() > body.len() / 2, "{what}: {} bytes", page.len());
        println!("{what}: built in {:?}", run.elapsed);
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_content_are_errors() {
    use std::os::unix::fs::symlink;
    let site = Site::new();
    site.write("content/groups/alpha.md", group("Alpha", "", "Body.\n"));
    let outside = tempfile::tempdir().unwrap();
    let beta = outside.path().join("beta.md");
    std::fs::write(&beta, group("Beta", "", "Secret.\n")).unwrap();
    let groups = site.root().join("content/groups");
    symlink(&beta, groups.join("beta.md")).unwrap();
    symlink("/etc/passwd", groups.join("passwd.md")).unwrap();
    symlink("self.md", groups.join("self.md")).unwrap();
    symlink("ping.md", groups.join("pong.md")).unwrap();
    symlink("pong.md", groups.join("ping.md")).unwrap();
    symlink("..", groups.join("up")).unwrap();
    symlink(".", site.root().join("content/loop")).unwrap();
    symlink("missing.md", site.root().join("content/dangling.md")).unwrap();

    let run = site.build().base_url(BASE_URL).run();
    let stderr = run.expect(1);
    for name in [
        "groups/beta.md",
        "groups/passwd.md",
        "groups/self.md",
        "groups/ping.md",
        "groups/pong.md",
        "groups/up",
        "loop",
        "dangling.md",
    ] {
        let line = format!(
            "content/{name}:1:1: error: this is a symbolic link, and groupdir does not follow links"
        );
        assert!(stderr.contains(&line), "{line} in {stderr}");
    }
    assert!(!site.root().join("public").exists());
    assert!(
        !stderr.contains("Secret") && !stderr.contains("root:"),
        "{stderr}"
    );
}

#[test]
fn file_names_that_are_not_slugs_are_reported() {
    for name in ["Auth", "my group", "a_b", "über", "-x", "x--y", "x.y"] {
        let file = format!("content/groups/{name}.md");
        let (_site, run) = build_with(&file, group(&format!("T {name}"), "", ""));
        assert_reported(&run, &file, 1, "file name: ");
    }
    let (_site, run) = build_with("content/FAQ.md", "+++\ntitle = \"FAQ\"\n+++\n");
    assert_reported(&run, "content/FAQ.md", 1, "file name: ");
}

#[test]
fn slugs_differing_only_in_case_cannot_both_exist() {
    let site = Site::new();
    site.write("content/groups/auth.md", group("Auth lower", "", ""));
    site.write("content/groups/Auth.md", group("Auth upper", "", ""));
    let run = site.build().base_url(BASE_URL).run();
    assert_reported(
        &run,
        "content/groups/Auth.md",
        1,
        "file name: `Auth` is not a valid slug",
    );
    assert!(
        run.stderr.contains("rename the file to `auth.md`"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("content/groups/auth.md"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_reported() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let site = Site::new();
    site.write("content/groups/alpha.md", group("Alpha", "", ""));
    let name = OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(
        site.root().join("content/groups").join(name),
        group("Cafe", "", ""),
    )
    .unwrap();
    let run = site.build().base_url(BASE_URL).run();
    let stderr = run.expect(1);
    assert!(
        stderr.contains("content/groups/caf") && stderr.contains("file name: "),
        "{stderr}"
    );
}

#[test]
fn every_check_command_survives_the_same_files() {
    let (site, _) = build_with("content/groups/empty.md", "");
    for args in [
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["check", "--format", "github"],
        vec!["stale", "--now", NOW],
    ] {
        let run = site.run(&args);
        assert!(
            matches!(run.code, Some(1 | 2)),
            "{args:?}: {:?} {}",
            run.code,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn named_pipes_are_skipped_not_read() {
    let site = Site::new();
    site.write("content/groups/alpha.md", group("Alpha", "", ""));
    let pipe = site.root().join("content/groups/pipe.md");
    let made = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
    assert!(made.success());
    let run = site.build().base_url(BASE_URL).run();
    let stderr = run.expect(0);
    assert!(
        stderr.contains("content/groups/pipe.md:1:1: warning: not a regular file"),
        "{stderr}"
    );
}

#[test]
fn control_characters_in_file_names_are_shown_escaped() {
    let (_site, run) = build_with("content/groups/\u{1b}[2Jx.md", group("Escape", "", ""));
    let stderr = run.expect(1);
    assert!(!stderr.contains('\u{1b}'), "raw escape in {stderr:?}");
    assert!(
        stderr.contains("content/groups/\\u{1b}[2Jx.md:1:1: error: the file name has control"),
        "{stderr}"
    );
}

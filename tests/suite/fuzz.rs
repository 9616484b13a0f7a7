//! Property tests over the stages that read untrusted text: the front-matter splitter, the TOML
//! decoding of a group or page, and Markdown rendering. Inputs are stitched from fragments that
//! matter to each stage (fences, TOML syntax, Markdown containers, script payloads) and arbitrary
//! characters. Properties: no panic, positions inside the file, no live script in the HTML.
//!
//! A normal `cargo test` runs 256 cases per property. For a long run:
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz` (a failure's seed is saved in
//! `tests/fuzz.proptest-regressions` and replayed first on every later run). Measured on the
//! 2-core dev machine: 500,000 cases per property, 2,000,000 runs in 115 s.

use crate::common;

use std::path::PathBuf;

use chrono::NaiveDate;
use common::live_script;
use groupdir::diagnostic::{Diagnostic, Source};
use groupdir::render::markdown;
use groupdir::{parse, validate};
use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    "+++",
    "+++\n",
    "+++\r\n",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    " ",
    "\t",
    "\0",
    "é",
    "😀",
    "\u{2028}",
    "\u{85}",
    "title = ",
    "\"",
    "'",
    "\"\"\"",
    "=",
    "{",
    "}",
    "[",
    "]",
    ",",
    "#",
    ".",
    "kind = \"interest-group\"\n",
    "kind = \"working-group\"\n",
    "status = \"active\"\n",
    "status = \"retired\"\n",
    "summary = \"s\"\n",
    "last_activity = 2026-11-01\n",
    "created = 2026-02-30\n",
    "retired = 2027-01-01\n",
    "facilitators = [{ name = \"A\" }]\n",
    "first_topic = \"t\"\n",
    "use_cases = \"u\"\n",
    "related = [\"x\", \"fuzz\"]\n",
    "[meetings]\n",
    "every_weeks = 2\n",
    "day = \"Tuesday\"\n",
    "first = 2026-01-06\n",
    "[[activity]]\n",
    "date = 2026-11-01\n",
    "what = \"w\"\n",
    "link = ",
    "notes = \"JaVaScRiPt:alert(1)\"\n",
    "\"https://example.org/\"\n",
    "first_deliverable = { title = \"t\", link = \"data:x\" }\n",
    "FILL IN",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "<a href=\"&#106;avascript:alert(1)\">",
    "<a href=\" &#x0A;java&#x09;script:1\">",
    "javascript:",
    "JAVASCRIPT:",
    "data:text/html,",
    "vbscript:",
    "&#",
    "&#x6A;",
    "&colon;",
    "&",
    ";",
    "<svg onload=alert(1)>",
    "<svg><a xlink:href=javascript:1>",
    "<iframe srcdoc=x>",
    "<form action=javascript:1>",
    "<base href=//x>",
    "<meta http-equiv=refresh content=0>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style>",
    "<style>",
    "</",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<template>",
    "<noscript>",
    "<textarea>",
    "<xmp>",
    "<input onfocus=alert(1) autofocus>",
    "<p style=\"x\">",
    "[x](",
    "![y](",
    ")",
    "<",
    ">",
    "- ",
    "1. ",
    "* ",
    "    ",
    "`",
    "```\n",
    "~~~",
    "*",
    "_",
    "|",
    "|---|\n",
    "---\n",
    "# ",
    "## ",
    "{#id onclick=alert(1)}",
    "[^1]",
    "[^1]: ",
    "- [x] ",
    "> [!NOTE]\n",
    "\\",
    "<https://x.org>",
    "[r]: javascript:alert(1)\n",
    "[r]",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z0-9 ]{1,6}",
    ]
}

/// A file of up to 80 fragments; half the time it starts as a real content file does.
fn document() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(fragment(), 0..80)).prop_map(|(fenced, parts)| {
        let text = parts.concat();
        if fenced { format!("+++\n{text}") } else { text }
    })
}

fn stem() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("fuzz".to_string()),
        1 => "[A-Za-z0-9_. -]{0,8}",
    ]
}

fn source(text: &str) -> Source {
    Source {
        path: PathBuf::from("content/groups/fuzz.md"),
        text: text.into(),
    }
}

/// Every diagnostic points at a line that exists and a column within that line (or just past it).
fn assert_positions_inside(text: &str, diagnostics: &[Diagnostic]) {
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diagnostics {
        assert!(d.line >= 1 && d.line <= lines.len(), "{d} in {text:?}");
        let width = lines[d.line - 1].chars().count();
        assert!(d.column >= 1 && d.column <= width + 1, "{d} in {text:?}");
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date")
}

proptest! {
    #[test]
    fn split_never_panics_and_stays_inside_the_text(text in document()) {
        if let Ok(parts) = parse::split::split(&text) {
            let (front, body) = (parts.front_matter, parts.body);
            prop_assert!(front.start <= front.end && front.end <= body.start);
            prop_assert!(body.start <= body.end && body.end == text.len());
            for at in [front.start, front.end, body.start] {
                prop_assert!(text.is_char_boundary(at), "{at} in {text:?}");
            }
        }
    }

    #[test]
    fn group_parsing_never_panics_and_points_inside_the_file(
        text in document(),
        stem in stem(),
    ) {
        let parsed = parse::group(&source(&text), &stem);
        assert_positions_inside(&text, &parsed.diagnostics);
        assert_positions_inside(&text, &validate::future_dates(&source(&text), &parsed, today()));
        if parsed.value.is_some() {
            prop_assert!(!parsed.diagnostics.iter().any(Diagnostic::is_error));
        }
        let page = parse::page(&source(&text), &stem);
        assert_positions_inside(&text, &page.diagnostics);
    }

    #[test]
    fn rendered_markdown_never_holds_live_script(
        text in document(),
        base in prop_oneof![Just("/"), Just("/sub/")],
    ) {
        let html = markdown::render(&text, base, &Default::default());
        let problems = live_script(&html);
        prop_assert!(problems.is_empty(), "{problems:?}\nfrom {text:?}\nto {html}");
    }

    #[test]
    fn sanitized_html_never_holds_live_script(text in document()) {
        let html = markdown::sanitize(&text, &Default::default());
        let problems = live_script(&html);
        prop_assert!(problems.is_empty(), "{problems:?}\nfrom {text:?}\nto {html}");
    }
}

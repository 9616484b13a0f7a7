//! What the preview tells people: the overlay the open pages show when a build fails, and the
//! lines the terminal gets after each build. The texts themselves come from the one printer,
//! [`crate::diagnostic`].

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::rebuild::{Change, Files};
use crate::Error;
use crate::diagnostic::{Diagnostic, count, human, human_text, overlay_lists};
use crate::render::markdown;

const OVERLAY_CSS: &str = include_str!("assets/overlay.css");
const OVERLAY_HTML: &str = include_str!("assets/overlay.html");

/// The overlay listing what `groupdir check` would print, errors first, then warnings, each
/// group counted. It is a shadow root, so the site's styles cannot reach it.
pub(crate) fn overlay(error: &Error) -> String {
    let (errors, warnings): (Vec<String>, Vec<String>) = match error {
        Error::Content(diagnostics) => overlay_lists(diagnostics),
        other => (vec![error_text(other)], Vec::new()),
    };
    let heading = format!("The site has {}", count(errors.len(), "error"));
    fill(
        OVERLAY_HTML,
        &[
            ("css", OVERLAY_CSS.to_string()),
            ("heading", markdown::escape(&heading)),
            ("error_count", count(errors.len(), "error")),
            ("errors", markdown::escape(&errors.join("\n"))),
            (
                "no_warnings",
                if warnings.is_empty() { " hidden" } else { "" }.to_string(),
            ),
            ("warning_count", count(warnings.len(), "warning")),
            ("warnings", markdown::escape(&warnings.join("\n"))),
        ],
    )
    .replace('\r', "")
}

/// `template` with each `{{name}}` replaced by its value, in one pass: a value is never searched
/// for names, so a diagnostic quoting `{{css}}` stays as it is.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + OVERLAY_CSS.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = &rest[start + 2..start + len];
        out.push_str(&rest[..start]);
        match values.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// The errors as `groupdir check` prints them, without colour.
pub(crate) fn error_text(error: &Error) -> String {
    match error {
        Error::Content(diagnostics) => human_text(diagnostics),
        other => format!("error: {other}"),
    }
}

/// Tells the terminal what a build did; of the warnings only those `before` did not have, so a
/// site with many does not flood the terminal on every save.
pub(crate) fn report(
    result: &Result<Arc<Files>, Error>,
    changed: Option<&[PathBuf]>,
    before: Option<&Files>,
) {
    if let Some(changed) = changed {
        let names: Vec<_> = changed.iter().map(|p| p.display().to_string()).collect();
        eprintln!("changed: {}", crate::text::printable(&names.join(", ")));
    }
    let files = match result {
        Ok(files) => files,
        Err(error) => {
            eprintln!("{}", error_text(error));
            eprintln!("the build failed: still serving the last good site, with the errors shown");
            return;
        }
    };
    let known: HashSet<String> = before
        .map(|b| b.warnings.iter().map(Diagnostic::to_string).collect())
        .unwrap_or_default();
    let new = files
        .warnings
        .iter()
        .filter(|w| !known.contains(&w.to_string()));
    for (line, _) in human(new) {
        eprintln!("{line}");
    }
    eprintln!(
        "built {} files in {} ms ({} rendered, {} kept from the build before; {})",
        files.map.len(),
        files.elapsed.as_millis(),
        files.rendered,
        files.map.len() - files.rendered,
        count(files.warnings.len(), "warning"),
    );
}

/// Tells the terminal what the open pages were told.
pub(crate) fn report_change(change: &Change, elapsed: Duration) {
    let what = match change {
        Change::None => "no output changed",
        Change::Reload => "reloading pages",
        Change::Css(_) => "swapping stylesheets",
        Change::Overlay(_) => "showing the errors",
    };
    eprintln!("{what} ({} ms after the change)", elapsed.as_millis());
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::Diagnostic;

    #[test]
    fn overlay_escapes_the_diagnostics() {
        let html = overlay(&Error::Usage("<script>{{css}}</script>".to_string()));
        assert!(
            html.contains("error: &lt;script&gt;{{css}}&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("The site has 1 error<"), "{html}");
    }

    #[test]
    fn overlay_lists_errors_then_warnings_each_counted() {
        use crate::diagnostic::Position;
        let at = |line| Position { line, column: 1 };
        let path = Path::new("content/groups/a.md");
        // In file order a warning comes first; the overlay still leads with the error.
        let html = overlay(&Error::Content(vec![
            Diagnostic::warning(path, at(2), "first warning"),
            Diagnostic::error(path, at(3), "the error"),
            Diagnostic::warning(path, at(4), "second warning"),
        ]));
        let order: Vec<usize> = [
            "The site has 1 error<",
            ">1 error<",
            "a.md:3:1: error: the error",
            ">2 warnings<",
            "a.md:2:1: warning: first warning",
            "a.md:4:1: warning: second warning",
        ]
        .iter()
        .map(|needle| {
            html.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {html}"))
        })
        .collect();
        assert!(order.is_sorted(), "{order:?}\n{html}");
        assert!(
            html.contains("<template shadowrootmode=\"open\">"),
            "{html}"
        );

        let alone = overlay(&Error::Content(vec![Diagnostic::error(path, at(1), "x")]));
        assert!(
            alone.contains("<pre hidden>"),
            "no warnings, no list: {alone}"
        );
    }
}

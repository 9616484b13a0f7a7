//! What the preview shows people when a build fails: the overlay of the open pages, and the
//! terminal's text. The texts themselves come from the one printer, [`crate::diagnostic`].

use crate::Error;
use crate::diagnostic::{count, human_text, overlay_lists};
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

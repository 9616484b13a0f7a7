//! A Tera error as diagnostics naming the template file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::ErrorKind;

use crate::diagnostic::{Diagnostic, Position};
use crate::load::display_path;

/// Explains a Tera error as diagnostics naming the template file, line and column.
pub(super) fn template_diagnostics(
    error: &tera::Error,
    sources: &BTreeMap<String, PathBuf>,
    root: &Path,
) -> Vec<Diagnostic> {
    let path_of = |name: &str| {
        sources
            .get(name)
            .map_or_else(|| PathBuf::from(name), |p| display_path(root, p))
    };
    let fix = "fix the template; a file of the same name in the site's templates/ folder overrides the theme's";
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let position = Position {
                line: span.start_line.max(1),
                column: span.start_col + 1,
            };
            vec![
                Diagnostic::error(
                    &path_of(report.filename()),
                    position,
                    format!("template error: {}", report.message()),
                )
                .with_hint(fix),
            ]
        }
        ErrorKind::TemplateNotFound(name) => vec![
            Diagnostic::error(
                Path::new("templates"),
                Position::START,
                format!("template `{name}` not found"),
            )
            .with_hint(format!("add templates/{name} to the theme or to the site")),
        ],
        ErrorKind::MissingParent { current, parent } => vec![
            Diagnostic::error(
                &path_of(current),
                Position::START,
                format!("template `{current}` extends `{parent}`, which does not exist"),
            )
            .with_hint(format!("add templates/{parent}, or fix the `extends` line")),
        ],
        _ => {
            let message = full_message(error);
            let located: Vec<Diagnostic> = reports(&message)
                .map(|(name, position, text)| {
                    Diagnostic::error(&path_of(name), position, format!("template error: {text}"))
                        .with_hint(fix)
                })
                .collect();
            if located.is_empty() {
                vec![
                    Diagnostic::error(
                        Path::new("templates"),
                        Position::START,
                        format!("template error: {message}"),
                    )
                    .with_hint("check the theme's templates"),
                ]
            } else {
                located
            }
        }
    }
}

fn full_message(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    message
}

/// The reports Tera renders as text (`error: …` then ` --> name:line:col`) when it finds several
/// problems at once, such as includes of unknown templates: (template, position, message).
fn reports(text: &str) -> impl Iterator<Item = (&str, Position, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let found: Vec<_> = lines
        .windows(2)
        .filter_map(|pair| {
            let message = pair[0].trim_start().strip_prefix("error: ")?;
            let location = pair[1].trim_start().strip_prefix("--> ")?;
            let mut parts = location.rsplitn(3, ':');
            let column: usize = parts.next()?.trim().parse().ok()?;
            let line: usize = parts.next()?.trim().parse().ok()?;
            Some((parts.next()?, Position { line, column }, message))
        })
        .collect();
    found.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reports_become_positions() {
        let text = "error: Unknown template `a.html`\n --> page.html:4:12\n  |\n\
                    error: Unknown template `b.html`\n --> base.html:10:3\n";
        let found: Vec<_> = reports(text).collect();
        assert_eq!(
            found,
            vec![
                (
                    "page.html",
                    Position {
                        line: 4,
                        column: 12
                    },
                    "Unknown template `a.html`"
                ),
                (
                    "base.html",
                    Position {
                        line: 10,
                        column: 3
                    },
                    "Unknown template `b.html`"
                ),
            ]
        );
    }
}

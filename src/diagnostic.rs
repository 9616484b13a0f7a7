//! One diagnostic type for every problem groupdir reports, and the one place that formats it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::text::printable;

/// How serious a diagnostic is: errors fail the command, warnings are only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in one file, at a line and column counted in the whole file (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user would name it: the site root joined with the path inside it.
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: &Path, pos: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(path: &Path, pos: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(path, pos, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Messages quote what the file says: shown escaped, it cannot act on a terminal or log.
        write!(
            f,
            "{}:{}:{}: {label}: {}",
            printable(&self.path.display().to_string()),
            self.line,
            self.column,
            printable(&self.message)
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", printable(hint))?;
        }
        Ok(())
    }
}

/// How many warnings a report for people shows before it only counts the rest. Errors are all
/// shown: each must be fixed.
pub const WARNINGS_SHOWN: usize = 20;

/// The lines of a report for people, with the severity of each diagnostic's line: every error,
/// the first [`WARNINGS_SHOWN`] warnings, then a line that counts the others. Every command
/// prints diagnostics this way, and the preview's overlay shows them so, so no site can make
/// them flood a terminal or a page.
pub fn human<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> Vec<(String, Option<Severity>)> {
    let mut lines = Vec::new();
    let mut warnings = 0;
    for d in diagnostics {
        if !d.is_error() {
            warnings += 1;
            if warnings > WARNINGS_SHOWN {
                continue;
            }
        }
        lines.push((d.to_string(), Some(d.severity)));
    }
    let hidden = warnings.saturating_sub(WARNINGS_SHOWN);
    if hidden > 0 {
        lines.push((
            format!(
                "… and {hidden} more warning{}: `groupdir check --format json` lists them all",
                if hidden == 1 { "" } else { "s" }
            ),
            None,
        ));
    }
    lines
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    /// The position of byte `offset` in `text`; offsets past the end clamp to the end.
    pub fn at(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// A source file's text with its display path, so spans can become positions.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// Shared, so the bodies parsed out of it need no copies.
    pub text: Arc<str>,
}

impl Source {
    pub fn position(&self, span: &Range<usize>) -> Position {
        Position::at(&self.text, span.start)
    }

    pub fn error(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.path, self.position(span), message)
    }

    pub fn warning(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.path, self.position(span), message)
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_ascii_lowercase().replace('_', "-");
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &c.replace('_', "-")), c))
        .filter(|(distance, c)| *distance <= (c.len() / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// Sort diagnostics into reading order: by file, then position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity).cmp(&(&b.path, b.line, b.column, b.severity))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "+++\ntitle = \"é\"\nkind = 1\n";
        assert_eq!(Position::at(text, 0), Position { line: 1, column: 1 });
        let kind = text.find("kind").unwrap();
        assert_eq!(Position::at(text, kind), Position { line: 3, column: 1 });
        let one = text.find('1').unwrap();
        assert_eq!(Position::at(text, one), Position { line: 3, column: 8 });
        // Characters, not bytes: `é` is two bytes but one column.
        let quote = text.rfind('"').unwrap();
        assert_eq!(
            Position::at(text, quote),
            Position {
                line: 2,
                column: 11
            }
        );
    }

    #[test]
    fn suggestions_catch_typos_and_underscores() {
        let kinds = ["interest-group", "working-group"];
        assert_eq!(did_you_mean("working_group", kinds), Some("working-group"));
        assert_eq!(
            did_you_mean("sumary", ["summary", "title"]),
            Some("summary")
        );
        assert_eq!(did_you_mean("colour", ["summary", "title"]), None);
    }

    #[test]
    fn display_is_path_line_column_message_hint() {
        let d = Diagnostic::error(
            Path::new("content/groups/a.md"),
            Position { line: 3, column: 8 },
            "bad",
        )
        .with_hint("fix it");
        assert_eq!(
            d.to_string(),
            "content/groups/a.md:3:8: error: bad\n  hint: fix it"
        );
    }
}

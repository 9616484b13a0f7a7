//! One diagnostic type for every problem groupdir reports, and the one place that formats it:
//! for people on a terminal (with the offending line and a caret under the column), as GitHub
//! workflow annotations, as JSON, and as the preview overlay's lists.

use std::collections::HashMap;
use std::fmt;
use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use serde::Serialize;

use crate::text::{printable, to_json_pretty};

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

impl Severity {
    /// `error` or `warning`, as every format names it.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// `path:line:col: error: message`. Messages quote what the file says: shown escaped, they
/// cannot act on a terminal or log.
fn header(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}: {}",
        printable(&d.path.display().to_string()),
        d.line,
        d.column,
        d.severity.label(),
        printable(&d.message)
    )
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&header(self))?;
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
/// prints diagnostics this way, and the preview's terminal too, so no site can make them flood a
/// terminal. Each diagnostic shows the line of its file it points at, with a caret under the
/// column, when that line can be read.
pub fn human<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> Vec<(String, Option<Severity>)> {
    let mut files = Files::default();
    let mut lines = Vec::new();
    let mut warnings = 0;
    for d in diagnostics {
        if !d.is_error() {
            warnings += 1;
            if warnings > WARNINGS_SHOWN {
                continue;
            }
        }
        lines.push((with_snippet(d, &mut files), Some(d.severity)));
    }
    let hidden = warnings.saturating_sub(WARNINGS_SHOWN);
    if hidden > 0 {
        lines.push((
            format!(
                "… and {hidden} more warning{}: `groupdir check --format json` lists them all",
                plural(&hidden)
            ),
            None,
        ));
    }
    lines
}

/// The human report as one text, without colour (for the preview's terminal).
pub fn human_text(diagnostics: &[Diagnostic]) -> String {
    human(diagnostics)
        .into_iter()
        .map(|(line, _)| line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines longer than this are not quoted: a caret under column 3,000 helps nobody.
const SNIPPET_CHARS: usize = 200;
/// Files larger than this are not read again to quote a line (content files are far smaller).
const SNIPPET_FILE_BYTES: u64 = 4 << 20;

/// The files diagnostics point into, read once each; `None` for one that cannot be read as text.
#[derive(Default)]
struct Files(HashMap<PathBuf, Option<String>>);

impl Files {
    fn line(&mut self, path: &Path, line: usize) -> Option<&str> {
        let text = self
            .0
            .entry(path.to_path_buf())
            .or_insert_with(|| read_quotable(path));
        text.as_deref()?.lines().nth(line.checked_sub(1)?)
    }
}

/// The text of `path` if it is a regular file of reasonable size: a diagnostic may name a
/// symbolic link (to `/etc/passwd`), a named pipe (which would block) or a device, and the
/// report must neither follow nor wait on it.
fn read_quotable(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || meta.len() > SNIPPET_FILE_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// `d` as [`Diagnostic`]'s `Display` writes it, with the line it points at and a caret under
/// the column between the message and the hint, as rustc and ruff show them.
fn with_snippet(d: &Diagnostic, files: &mut Files) -> String {
    let Some(snippet) = files
        .line(&d.path, d.line)
        .and_then(|l| snippet(l, d.line, d.column))
    else {
        return d.to_string();
    };
    let mut text = header(d);
    text.push('\n');
    text.push_str(&snippet);
    if let Some(hint) = &d.hint {
        text.push_str(&format!("\n  hint: {}", printable(hint)));
    }
    text
}

/// ```text
///   |
/// 3 | kind = 1
///   |        ^
/// ```
/// The line is shown escaped, as messages are, and the caret counts the escaped characters;
/// tabs stay tabs, above and below, so the caret lines up however the terminal shows them.
fn snippet(line: &str, number: usize, column: usize) -> Option<String> {
    let line = line.trim_end_matches('\r');
    if line.trim().is_empty() || line.chars().count() > SNIPPET_CHARS {
        return None;
    }
    let (mut shown, mut pad) = (String::new(), String::new());
    for (i, c) in line.chars().enumerate() {
        let escaped = if c == '\t' {
            "\t".to_string()
        } else {
            printable(c.encode_utf8(&mut [0; 4])).into_owned()
        };
        if i + 1 < column {
            pad.extend(escaped.chars().map(|e| if e == '\t' { '\t' } else { ' ' }));
        }
        shown.push_str(&escaped);
    }
    let gutter = " ".repeat(number.to_string().len());
    Some(format!("{gutter} |\n{number} | {shown}\n{gutter} | {pad}^"))
}

/// The preview overlay's two lists: the errors' texts, then the warnings', each as the
/// terminal shows it (line and caret included), so the page and `groupdir check` agree.
pub fn overlay_lists(diagnostics: &[Diagnostic]) -> (Vec<String>, Vec<String>) {
    let mut files = Files::default();
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diagnostics.iter().partition(|d| d.is_error());
    let mut text = |list: Vec<&Diagnostic>| -> Vec<String> {
        list.iter().map(|d| with_snippet(d, &mut files)).collect()
    };
    (text(errors), text(warnings))
}

/// `n` and `noun`, plural unless `n` is 1: "1 error", "2 warnings", "0 days".
pub fn count<N: fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    let s = plural(&n);
    format!("{n} {noun}{s}")
}

/// The plural ending for `n` of something: "" for 1, else "s". The one place it is spelled.
pub fn plural<N: PartialEq + From<u8>>(n: &N) -> &'static str {
    if *n == N::from(1) { "" } else { "s" }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: error: message`, the line with a caret, and a hint, on stderr.
    Human,
    /// GitHub workflow annotations on stdout, shown on the pull request's lines.
    Github,
    /// A JSON array of diagnostics on stdout.
    Json,
}

/// Prints diagnostics: human text on stderr (coloured on a terminal unless NO_COLOR is set),
/// GitHub workflow annotations or a JSON array on stdout.
pub fn print(diagnostics: &[Diagnostic], format: Format) {
    match format {
        Format::Human => {
            let colour = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let mut err = std::io::stderr().lock();
            for (text, severity) in human(diagnostics) {
                let text = match severity {
                    Some(severity) if colour => colourise(&text, severity),
                    _ => text,
                };
                let _ = writeln!(err, "{text}");
            }
        }
        Format::Github => {
            let mut out = std::io::stdout().lock();
            for d in diagnostics {
                let _ = writeln!(out, "{}", annotation(d));
            }
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(&to_json_pretty(diagnostics));
            let _ = writeln!(out);
        }
    }
}

/// The human report followed by its [`summary`], on stderr: how every command reports content
/// errors.
pub fn print_report(diagnostics: &[Diagnostic]) {
    print(diagnostics, Format::Human);
    eprintln!("{}", summary(diagnostics));
}

/// One diagnostic as a GitHub workflow command.
pub fn annotation(d: &Diagnostic) -> String {
    let message = match &d.hint {
        Some(hint) => format!("{} (hint: {hint})", d.message),
        None => d.message.clone(),
    };
    // Escaped for a terminal first: GitHub's own escaping leaves ESC and the like as they are.
    format!(
        "::{} file={},line={},col={}::{}",
        d.severity.label(),
        escape_property(&printable(&d.path.display().to_string())),
        d.line,
        d.column,
        escape_data(&printable(&message))
    )
}

/// The closing line of a human report.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match (errors, warnings) {
        (0, 0) => "no problems found".to_string(),
        (0, w) => format!("no errors, {}", count(w, "warning")),
        (e, w) => format!(
            "{}, {}: fix the errors and run `groupdir check` again",
            count(e, "error"),
            count(w, "warning")
        ),
    }
}

fn colourise(text: &str, severity: Severity) -> String {
    let code = match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
    };
    let label = format!("{}:", severity.label());
    text.replacen(&label, &format!("\x1b[{code}m{label}\x1b[0m"), 1)
}

/// GitHub's workflow-command escaping for message data.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's workflow-command escaping for property values.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
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

    #[test]
    fn annotations_escape_what_github_would_misread() {
        let d = Diagnostic::warning(
            Path::new("content/groups/a,b.md"),
            Position { line: 3, column: 8 },
            "100% sure\nreally\u{1b}[2J",
        )
        .with_hint("a: b");
        assert_eq!(
            annotation(&d),
            "::warning file=content/groups/a%2Cb.md,line=3,col=8::100%25 sure\\nreally\\u{1b}[2J (hint: a: b)"
        );
    }

    #[test]
    fn the_human_report_shows_the_line_with_a_caret_under_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "+++\ntitle = \"é\"\n\tkind = 1\n").unwrap();
        let d = Diagnostic::error(&path, Position { line: 3, column: 9 }, "bad").with_hint("fix");
        let text = &human([&d])[0].0;
        let expected = format!(
            "{}:3:9: error: bad\n  |\n3 | \tkind = 1\n  | \t       ^\n  hint: fix",
            path.display()
        );
        assert_eq!(text, &expected);
        // No line to show: the diagnostic as it displays.
        let gone = Diagnostic::error(&dir.path().join("gone.md"), Position::START, "x");
        assert_eq!(human([&gone])[0].0, gone.to_string());
        let past = Diagnostic::error(&path, Position { line: 9, column: 1 }, "x");
        assert_eq!(human([&past])[0].0, past.to_string());
        #[cfg(unix)]
        {
            // A link is not followed, a pipe not waited on.
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            let linked = Diagnostic::error(&link, Position { line: 3, column: 1 }, "x");
            assert_eq!(human([&linked])[0].0, linked.to_string());
        }
    }

    #[test]
    fn counts_are_plural_unless_one() {
        assert_eq!(count(1usize, "error"), "1 error");
        assert_eq!(count(0usize, "warning"), "0 warnings");
        assert_eq!(count(2i64, "day"), "2 days");
    }
}

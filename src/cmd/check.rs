//! How diagnostics reach people and machines: text on a terminal, annotations on a pull request,
//! or JSON; and `groupdir check`, which validates the content only.

use std::io::{IsTerminal, Write};

use clap::{Args, ValueEnum};

use super::SiteArgs;
use crate::Error;
use crate::diagnostic::{Diagnostic, Severity, human};
use crate::pipeline;
use crate::text::{printable, to_json_pretty};

/// How `check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: error: message` and a hint, on stderr.
    Human,
    /// GitHub workflow annotations on stdout, shown on the pull request's lines.
    Github,
    /// A JSON array of diagnostics on stdout.
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Validates the site and prints every diagnostic; the exit status is 1 on errors.
pub fn run(args: &CheckArgs) -> Result<u8, Error> {
    let format = args.format;
    let request = args.site.request(args.site.today()?);
    let (diagnostics, ok) = match pipeline::load(&request, None) {
        Ok(loaded) => (loaded.warnings, true),
        Err(Error::Content(diagnostics)) => (diagnostics, false),
        Err(other) => return Err(other),
    };
    print(&diagnostics, format);
    if format == Format::Human {
        eprintln!("{}", summary(&diagnostics));
    }
    Ok(if ok { 0 } else { 1 })
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

/// One diagnostic as a GitHub workflow command.
pub fn annotation(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let message = match &d.hint {
        Some(hint) => format!("{} (hint: {hint})", d.message),
        None => d.message.clone(),
    };
    // Escaped for a terminal first: GitHub's own escaping leaves ESC and the like as they are.
    format!(
        "::{level} file={},line={},col={}::{}",
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
        (0, w) => format!("no errors, {w} warning{}", plural(w)),
        (e, w) => format!(
            "{e} error{}, {w} warning{}: fix the errors and run `groupdir check` again",
            plural(e),
            plural(w)
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn colourise(text: &str, severity: Severity) -> String {
    let (label, code) = match severity {
        Severity::Error => ("error:", "1;31"),
        Severity::Warning => ("warning:", "1;33"),
    };
    text.replacen(label, &format!("\x1b[{code}m{label}\x1b[0m"), 1)
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::Position;

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
}

//! How diagnostics reach people and machines: text on a terminal, annotations on a pull request,
//! or JSON; and `groupdir check`, which validates the content only.

use std::io::{IsTerminal, Write};

use clap::{Args, ValueEnum};

use super::SiteArgs;
use crate::Error;
use crate::diagnostic::{Diagnostic, Severity};
use crate::pipeline;

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
            for d in diagnostics {
                let text = d.to_string();
                let text = if colour {
                    colourise(&text, d.severity)
                } else {
                    text
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
            let json = serde_json::to_string_pretty(diagnostics).expect("plain data serialises");
            println!("{json}");
        }
    }
}

/// How many warnings a build shows before it only counts the rest: `check` lists them all.
const WARNINGS_SHOWN: usize = 20;

/// Prints a build's warnings, the first few in full and then how many more there are.
pub fn print_warnings(warnings: &[Diagnostic]) {
    let shown = warnings.len().min(WARNINGS_SHOWN);
    print(&warnings[..shown], Format::Human);
    let rest = warnings.len() - shown;
    if rest > 0 {
        eprintln!("… and {rest} more warnings: run `groupdir check` to see them all");
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
    format!(
        "::{level} file={},line={},col={}::{}",
        escape_property(&d.path.display().to_string()),
        d.line,
        d.column,
        escape_data(&message)
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
            "100% sure\nreally",
        )
        .with_hint("a: b");
        assert_eq!(
            annotation(&d),
            "::warning file=content/groups/a%2Cb.md,line=3,col=8::100%25 sure%0Areally (hint: a: b)"
        );
    }
}

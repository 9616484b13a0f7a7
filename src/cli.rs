//! The command line: parse arguments, run a command, print what happened, choose the exit status.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, build};
use crate::diagnostic::{Diagnostic, Severity};
use crate::site::Site;
use crate::{Error, compute};

#[derive(Parser)]
#[command(
    name = "groupdir",
    version,
    about = "Build the directory of a community's interest and working groups"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the content and render the site
    Build {
        /// The site folder (with content/ and optional site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public]
        #[arg(long)]
        output: Option<PathBuf>,
        /// The day to consider "today", as YYYY-MM-DD
        #[arg(long, value_parser = parse_date)]
        now: Option<NaiveDate>,
        /// The address the site is published at, such as https://groups.example.org/
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Validate the content only
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The day to consider "today", as YYYY-MM-DD
        #[arg(long, value_parser = parse_date)]
        now: Option<NaiveDate>,
    },
    /// List the groups that have gone stale or are about to
    Stale {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The day to consider "today", as YYYY-MM-DD
        #[arg(long, value_parser = parse_date)]
        now: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Exit with status 1 when any group is stale
        #[arg(long)]
        fail: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Github,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

/// Runs the command line and returns the process exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            report_error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}

fn run(command: Command) -> Result<u8, Error> {
    match command {
        Command::Build {
            root,
            output,
            now,
            base_url,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let report = build(&BuildOptions {
                root,
                output: output.clone(),
                now,
                base_url,
            })?;
            print_diagnostics(&report.warnings, Format::Human);
            eprintln!(
                "built {} groups and {} pages into {} in {} ms ({} files: {} written, {} unchanged)",
                report.groups,
                report.pages,
                output.display(),
                report.elapsed.as_millis(),
                report.files,
                report.stats.written,
                report.stats.linked,
            );
            Ok(0)
        }
        Command::Check { root, format, now } => {
            let today = compute::today(now)?;
            let (diagnostics, ok) = match Site::load(&root, today, None) {
                Ok(loaded) => (loaded.warnings, true),
                Err(Error::Content(diagnostics)) => (diagnostics, false),
                Err(other) => return Err(other),
            };
            print_diagnostics(&diagnostics, format);
            if matches!(format, Format::Human) {
                eprintln!("{}", summary(&diagnostics));
            }
            Ok(if ok { 0 } else { 1 })
        }
        Command::Stale {
            root,
            now,
            format,
            fail,
        } => {
            let today = compute::today(now)?;
            let loaded = Site::load(&root, today, None)?;
            let site = &loaded.site;
            let mut watched: Vec<_> = site
                .groups
                .iter()
                .filter(|g| {
                    let f = site.freshness(g);
                    f.stale || f.at_risk
                })
                .collect();
            watched.sort_by_key(|g| std::cmp::Reverse(site.freshness(g).days_inactive));
            let mut out = std::io::stdout().lock();
            match format {
                ReportFormat::Json => {
                    let records: Vec<_> = watched.iter().map(|g| site.record(g)).collect();
                    let json =
                        serde_json::to_string_pretty(&records).expect("plain data serialises");
                    let _ = writeln!(out, "{json}");
                }
                ReportFormat::Text => {
                    let _ = writeln!(out, "As of {today}:");
                    for group in &watched {
                        let f = site.freshness(group);
                        let verdict = if f.stale { "STALE  " } else { "AT RISK" };
                        let _ = writeln!(
                            out,
                            "{verdict} {} ({}) last active {}, {} days ago (threshold {})",
                            group.title,
                            group.kind.abbreviation(),
                            f.last_activity
                                .map_or_else(|| "never".to_string(), |d| d.to_string()),
                            f.days_inactive.unwrap_or_default(),
                            f.threshold_days,
                        );
                    }
                    if watched.is_empty() {
                        let _ = writeln!(out, "no stale or at-risk groups");
                    }
                }
            }
            let any_stale = watched.iter().any(|g| site.freshness(g).stale);
            Ok(if fail && any_stale { 1 } else { 0 })
        }
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
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

fn report_error(error: &Error) {
    match error {
        Error::Content(diagnostics) => {
            print_diagnostics(diagnostics, Format::Human);
            eprintln!("{}", summary(diagnostics));
        }
        other => eprintln!("error: {other}"),
    }
}

/// Prints diagnostics: human text on stderr (coloured on a terminal unless NO_COLOR is set),
/// GitHub workflow annotations or a JSON array on stdout.
fn print_diagnostics(diagnostics: &[Diagnostic], format: Format) {
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
                let level = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let message = match &d.hint {
                    Some(hint) => format!("{} ({hint})", d.message),
                    None => d.message.clone(),
                };
                let _ = writeln!(
                    out,
                    "::{level} file={},line={},col={}::{}",
                    escape_property(&d.path.display().to_string()),
                    d.line,
                    d.column,
                    escape_data(&message)
                );
            }
        }
        Format::Json => {
            let json = serde_json::to_string_pretty(diagnostics).expect("plain data serialises");
            println!("{json}");
        }
    }
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

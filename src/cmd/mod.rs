//! The command line: parse arguments, run a command, print what happened, choose the exit status.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

pub mod build;
pub mod check;
pub mod new;
pub mod stale;

use crate::model::Kind;
use crate::serve::{ServeOptions, serve};
use crate::site::{Address, Site};
use crate::{Error, compute};
use build::{BuildOptions, build};
use check as report;

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
    /// Preview the site with live reload; nothing is written to disk
    Serve {
        /// The site folder (with content/ and optional site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; 127.0.0.1 keeps the preview on this machine
        #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
        bind: IpAddr,
        /// The port to listen on; 0 picks a free one
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The day to consider "today", as YYYY-MM-DD
        #[arg(long, value_parser = parse_date)]
        now: Option<NaiveDate>,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Look for changes by polling, for file systems without change events
        #[arg(long)]
        poll: bool,
    },
    /// Validate the content only
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = report::Format::Human)]
        format: report::Format,
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
        #[arg(long, value_enum, default_value_t = stale::Format::Text)]
        format: stale::Format,
        /// Exit with status 1 when any group is stale
        #[arg(long)]
        fail: bool,
    },
    /// Write a new proposed group file to fill in
    New {
        /// The kind of group
        #[arg(value_enum)]
        kind: NewKind,
        /// The group's name; its file name is made from it
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// The kinds `new` can scaffold, named as in a group file.
#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    InterestGroup,
    WorkingGroup,
}

impl From<NewKind> for Kind {
    fn from(kind: NewKind) -> Kind {
        match kind {
            NewKind::InterestGroup => Kind::InterestGroup,
            NewKind::WorkingGroup => Kind::WorkingGroup,
        }
    }
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
            report::print_warnings(&report.warnings);
            eprintln!(
                "built {} groups and {} pages into {} in {} ms ({} files: {} written, {} unchanged)",
                report.groups,
                report.pages,
                output.display(),
                report.elapsed.as_millis(),
                report.files,
                report.stats.written,
                report.stats.unchanged,
            );
            Ok(0)
        }
        Command::Serve {
            root,
            bind,
            port,
            now,
            open,
            poll,
        } => {
            serve(&ServeOptions {
                root,
                bind,
                port,
                now,
                open,
                poll,
            })?;
            Ok(0)
        }
        Command::Check { root, format, now } => report::check(&root, compute::today(now)?, format),
        Command::Stale {
            root,
            now,
            format,
            fail,
        } => {
            let loaded = Site::load(&root, compute::today(now)?, Address::Settings)?;
            let site = &loaded.site;
            let watched = stale::watched(site);
            let report = match format {
                stale::Format::Text => stale::text(site, &watched),
                stale::Format::Json => stale::json(site, &watched) + "\n",
            };
            print!("{report}");
            let any_stale = watched.iter().any(|w| w.freshness.stale);
            Ok(if fail && any_stale { 1 } else { 0 })
        }
        Command::New { kind, title, root } => {
            let kind = Kind::from(kind);
            match new::scaffold(&root, kind, &title, compute::today(None)?) {
                Ok(scaffold) => {
                    println!("{}", new::next_steps(&scaffold, kind, &root));
                    Ok(0)
                }
                Err(new::Refusal::Exists(path)) => {
                    eprintln!(
                        "error: {} already exists; nothing was written\n  hint: edit that file, or choose another title",
                        path.display()
                    );
                    Ok(1)
                }
                Err(new::Refusal::Failed(error)) => Err(error),
            }
        }
    }
}

fn report_error(error: &Error) {
    match error {
        Error::Content(diagnostics) => {
            report::print(diagnostics, report::Format::Human);
            eprintln!("{}", report::summary(diagnostics));
        }
        other => eprintln!("error: {other}"),
    }
}

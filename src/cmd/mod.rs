//! The command line: parse arguments, run a command, print what happened, choose the exit status.
//!
//! Each command is a thin layer in a file of its own over the engine (`pipeline`, `serve`); the
//! arguments they share are declared once, in [`SiteArgs`].

pub mod build;
pub mod check;
pub mod new;
pub mod serve;
pub mod stale;
mod stale_drift;
pub mod sync;
#[cfg(feature = "sync")]
mod sync_records;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::Error;
use crate::pipeline::{Address, Request};
use crate::today::{Moment, Today};

#[derive(Parser)]
#[command(
    name = "groupdir",
    // GROUPDIR_COMMIT comes from build.rs: the commit the binary is built from.
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("GROUPDIR_COMMIT"), ")"),
    about = "Build the directory of a community's interest and working groups"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The arguments of every command that reads the site, declared once.
#[derive(Args, Debug, Clone)]
pub struct SiteArgs {
    /// The site folder (with content/ and optional site.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The moment to run for: YYYY-MM-DD (its first second, UTC) or a date-time with its offset
    /// such as 2026-12-02T06:00:12Z; "today" is its UTC day [default: SOURCE_DATE_EPOCH, else
    /// the clock]
    #[arg(long, value_name = "DATE|DATE-TIME", value_parser = Moment::parse)]
    pub now: Option<Moment>,
}

impl SiteArgs {
    /// The day this run is for, resolved once: `--now`, `SOURCE_DATE_EPOCH` or the clock.
    pub fn today(&self) -> Result<NaiveDate, Error> {
        Ok(self.day()?.date())
    }

    /// Where this run takes its day from, for a command that runs across midnight.
    pub fn day(&self) -> Result<Today, Error> {
        Today::resolve(self.now)
    }

    /// The moment this run is for, resolved once: `--now`, `SOURCE_DATE_EPOCH` or the clock.
    pub fn moment(&self) -> Result<Moment, Error> {
        Moment::resolve(self.now)
    }

    /// The request to run the pipeline for this site and day.
    pub fn request(&self, today: NaiveDate) -> Request<'_> {
        Request {
            root: &self.root,
            today,
            address: Address::Settings,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Validate the content and render the site
    Build(build::BuildArgs),
    /// Preview the site with live reload; nothing is written to disk
    Serve(serve::ServeArgs),
    /// Validate the content only
    Check(check::CheckArgs),
    /// List the groups that have gone stale or are about to
    Stale(stale::StaleArgs),
    /// Write a new proposed group file to fill in
    New(new::NewArgs),
    /// Read each group's activity from GitHub into data/activity.toml
    ///
    /// The moment of reading, recorded in the data file as each source's horizon, is the moment
    /// every command resolves: --now, else SOURCE_DATE_EPOCH, else the clock.
    Sync(sync::SyncArgs),
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
        Command::Build(args) => build::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Stale(args) => stale::run(&args),
        Command::New(args) => new::run(&args),
        Command::Sync(args) => sync::run(&args),
    }
}

fn report_error(error: &Error) {
    match error {
        Error::Content(diagnostics) => {
            crate::diagnostic::print_report(diagnostics);
        }
        other => eprintln!("error: {other}"),
    }
}

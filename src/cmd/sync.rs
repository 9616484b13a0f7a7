//! `groupdir sync`: read each group's activity from GitHub into `data/activity.toml`.

use clap::Args;

use super::SiteArgs;
use crate::Error;

#[derive(Args, Debug, Clone)]
pub struct SyncArgs {
    // `--now` is also the moment of reading, recorded as each source's horizon.
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Runs a sync of the site. Exit status 0 when every source was read, 2 when any failed (the data
/// file then holds everything it had, plus what the other sources brought).
#[cfg(feature = "sync")]
pub fn run(args: &SyncArgs) -> Result<u8, Error> {
    use crate::activity::FILE;
    use crate::diagnostic::{Format, print};
    use crate::load::display_path;
    use crate::model::Status;
    use crate::pipeline;
    use crate::sync::client::{Client, Config};
    use crate::text::printable;

    let root = args.site.root.as_path();
    // The token first: without one nothing can be read, however valid the content.
    let config = Config::from_env()?;
    // The moment of reading, as every command resolves it: `--now`, else `SOURCE_DATE_EPOCH`,
    // else the clock. Taken before the first request, so no horizon claims what came during
    // the sync; its UTC day is the day the group files are checked against.
    let now = args.site.moment()?;
    let loaded = pipeline::load(&args.site.request(now.date()), None)?;
    print(&loaded.warnings, Format::Human);
    let site = &loaded.site;
    // A retired group's sources are history: reading them again would only spend requests.
    let groups: Vec<_> = (site.groups.iter())
        .filter(|g| g.status != Status::Retired && !g.sources.is_empty())
        .map(|g| (&g.slug, &g.sources))
        .collect();
    let endpoint = config.endpoint.clone();
    let mut client = Client::new(config);
    let (mut activity, report) = {
        let bots = crate::sync::human::Bots::new(&site.settings.sync.bots);
        crate::sync::sync(&groups, &site.activity, &mut client, now.utc(), &bots)
    };
    let records = super::sync_records::run(&loaded, &mut activity, &mut client);
    let written = activity.write(root)?;
    let records_written = records.0.write(root)?;
    let file = display_path(root, &root.join(FILE));
    eprintln!(
        "sync: {} sources of {} groups in {} requests to {}: {} new events, {} updated{}",
        report.sources,
        report.groups,
        report.requests,
        printable(&endpoint),
        report.added,
        report.updated,
        report
            .rate_limit
            .as_ref()
            .map_or_else(String::new, |r| format!(
                " (rate limit: {} left until {})",
                r.remaining,
                printable(&r.reset_at)
            )),
    );
    let state = if written { "updated" } else { "unchanged" };
    eprintln!("{}: {state}", file.display());
    let failed = super::sync_records::print(root, &records.1, records_written);
    // What GitHub sent (its messages, a reset time) is shown escaped like content, so an answer
    // can neither start a line of its own in the log (a forged `::error`) nor drive a terminal.
    for failure in &report.failures {
        eprintln!(
            "error: {}: {}: {}",
            failure.group,
            printable(&failure.source),
            printable(&failure.why)
        );
    }
    for skipped in &report.skipped {
        eprintln!(
            "warning: {}: {}: left out {}: {}",
            skipped.group,
            printable(&skipped.source),
            printable(&skipped.url),
            printable(&skipped.why)
        );
    }
    if report.failures.is_empty() {
        return Ok(if failed { 2 } else { 0 });
    }
    eprintln!(
        "error: {} of {} sources could not be read; their events in {} are as they were",
        report.failures.len(),
        report.sources,
        file.display()
    );
    Ok(2)
}

/// Without the `sync` feature (the deploy's build), the command says how to get it.
#[cfg(not(feature = "sync"))]
pub fn run(_args: &SyncArgs) -> Result<u8, Error> {
    Err(Error::Usage(
        "this groupdir was built without `sync`: build it with its default features (cargo build --release)"
            .to_string(),
    ))
}

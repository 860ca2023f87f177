//! Command-line flags (clap) turned into library calls. Nothing here knows
//! how extraction works; progress bars live here and only here.

mod bench;
mod check;
mod claims;
mod extract;
mod index;
mod search;

use clap::{Parser, Subcommand};

/// cifra: every figure, date, institution, law, place and person in
/// human-rights reports, traceable to the paragraph that states it.
#[derive(Parser)]
#[command(name = "cifra", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read reports and write one JSON record (or CSV rows) per report.
    Extract(extract::Args),
    /// Read extraction output and list its claims, filtered; or show each
    /// figure over time (--timeline), sources that disagree (--conflicts),
    /// or what changed since an older run (--diff).
    Claims(claims::Args),
    /// Read reports into a search index (a folder); a second run adds new
    /// files, replaces changed ones and skips the rest.
    Index(index::Args),
    /// Search an index: words, phrases, filters on entities, places, claim
    /// categories, dates and figures; or counts per facet (--facets).
    Search(search::Args),
    /// Measure speed: generate a corpus (--size), time each stage, extract
    /// and index it end to end, and print MB/s and peak memory.
    Bench(bench::Args),
    /// Check the dictionaries (yours with --dictionaries): bad lines,
    /// duplicate ids and names two entries share.
    Check(check::Args),
}

/// Run the command line; returns the exit code.
pub fn run() -> anyhow::Result<i32> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Check(args) => check::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Claims(args) => claims::run(args),
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
    }
}

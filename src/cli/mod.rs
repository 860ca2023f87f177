//! Command-line flags (clap) turned into library calls. Nothing here knows
//! how extraction works; progress bars live here and only here.

mod extract;

use clap::{Parser, Subcommand};

/// cifra: every figure and date in human-rights reports, traceable to the
/// paragraph that states it.
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
}

/// Run the command line; returns the exit code.
pub fn run() -> anyhow::Result<i32> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => extract::run(args),
    }
}

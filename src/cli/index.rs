//! `cifra index PATH... --index DIR [--prune]`.

use std::path::PathBuf;

use cifra::index::{self, CifraIndex};

#[derive(clap::Args)]
pub struct Args {
    /// Report files or folders (read recursively, in path order).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The index folder: created when absent, updated otherwise.
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Remove from the index the reports whose files are not among PATH.
    #[arg(long)]
    prune: bool,
    /// CSV or TSV with a `file` column and any of title, date, publisher,
    /// genre, language. Default: metadata.csv/.tsv inside the input folders.
    #[arg(long, value_name = "FILE")]
    metadata: Option<PathBuf>,
    /// Worker threads for extraction (default: all cores); tantivy adds its
    /// own indexing threads, 3 for every 8 of these (at least 1, at most 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// A folder of dictionary files that replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// Commit (make what is indexed so far permanent and searchable) after
    /// every this many MB of reports (a decimal such as 0.5 will do; 0:
    /// after every report).
    #[arg(long, value_name = "MB", default_value_t = 32.0, value_parser = megabytes)]
    commit_mb: f64,
    /// No progress bar and no summary on standard error.
    #[arg(short, long)]
    quiet: bool,
}

/// A number of MB: 0 or more.
fn megabytes(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(mb) if mb.is_finite() && mb >= 0.0 => Ok(mb),
        _ => Err(format!("{text}: write a number of MB, such as 32 or 0.5")),
    }
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let (extractor, _, config) = super::extract::setup(
        &args.paths,
        args.dictionaries.as_deref(),
        args.metadata.as_deref(),
        args.threads,
        None,
        &[],
    )?;
    // Listed: each is compared with what the index holds before any is read.
    let inputs = cifra::pipeline::collect_inputs(&args.paths, &[]);
    let target = CifraIndex::open_or_create(&args.index)?;
    let total: u64 = inputs.documents.iter().map(|i| i.size).sum();
    let bar = super::extract::progress_bar(args.quiet, total, inputs.documents.len());
    let started = std::time::Instant::now();
    let report = index::index_inputs(
        &target,
        &extractor,
        &config,
        &inputs.documents,
        &index::IndexOptions {
            prune: args.prune,
            commit_bytes: ((args.commit_mb * f64::from(1u32 << 20)) as u64).max(1),
        },
        &mut |bytes| bar.inc(bytes),
    )?;
    bar.finish_and_clear();
    if !args.quiet {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "cifra: {} added, {} updated, {} unchanged, {} removed; {} paragraphs, {:.1} MB in {:.2} s ({:.1} MB/s); {} with errors",
            report.added,
            report.updated,
            report.unchanged,
            report.removed,
            report.paragraphs,
            report.bytes as f64 / 1e6,
            seconds,
            report.bytes as f64 / 1e6 / seconds.max(1e-9),
            report.failed.len()
        );
        for (doc, error) in report.failed.iter().take(20) {
            eprintln!("cifra: {doc}: {error}");
        }
    }
    Ok(if report.failed.is_empty() { 0 } else { 1 })
}

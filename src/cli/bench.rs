//! `cifra bench [--size 200MB] [--threads N] [--keep DIR] [--no-index]`.

use std::path::PathBuf;

use cifra::bench::{self, mb_per_s, BenchOptions, Stage};
use cifra::{Dictionaries, Extractor};

#[derive(clap::Args)]
pub struct Args {
    /// How much text to generate: 200MB, 1GB, 1.5GB, 500KB (powers of
    /// 1000; MiB and GiB for powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "200MB", value_parser = parse_size)]
    size: u64,
    /// Worker threads for the end-to-end runs (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Keep the generated reports, the output and the index in this new
    /// or empty folder (default: a temporary folder, removed at the end).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// The generator's seed: the same seed and size give the same reports.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Skip building the search index.
    #[arg(long)]
    no_index: bool,
    /// Generate one single report of --size (a very large file is read and
    /// written in parts of 4 MB).
    #[arg(long)]
    single: bool,
    /// Only write the corpus into --keep DIR, measure nothing (for
    /// scripts/compare.sh, or to time `cifra extract` yourself).
    #[arg(long, requires = "keep")]
    generate_only: bool,
    /// At most this much of the corpus is timed stage by stage.
    #[arg(long, value_name = "SIZE", default_value = "32MB", value_parser = parse_size)]
    stage_size: u64,
}

fn parse_size(s: &str) -> Result<u64, String> {
    cifra::generate::parse_size(s).map_err(|e| e.to_string())
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    if args.generate_only {
        let dir = args.keep.expect("clap requires --keep");
        bench::check_keep(&dir)?;
        let (reports, bytes) = bench::generate(&dir, args.size, args.seed, args.single)?;
        eprintln!(
            "cifra bench: {reports} reports, {:.1} MB in {}",
            bytes as f64 / 1e6,
            dir.join("corpus").display()
        );
        return Ok(0);
    }
    let extractor = Extractor::new(&Dictionaries::embedded())?;
    let options = BenchOptions {
        size: args.size,
        seed: args.seed,
        threads: args.threads.map(usize::from),
        keep: args.keep,
        index: !args.no_index,
        stage_bytes: args.stage_size,
        single: args.single,
    };
    let report = bench::run(&extractor, &options, &mut |step| {
        eprintln!("cifra bench: {step}…")
    })?;

    let mb = |b: u64| b as f64 / 1e6;
    println!(
        "corpus: {} reports, {:.1} MB generated in {:.1} s (seed {}; .txt, .md, .html, PDF-like text; UTF-8, UTF-16, Windows-1252; English and Spanish)",
        report.reports,
        mb(report.corpus_bytes),
        report.generate_seconds,
        args.seed
    );
    println!();
    println!(
        "{:<38} {:>9} {:>7}",
        format!("stage (one thread, {:.0} MB)", mb(report.stage_bytes)),
        "MB/s",
        "share"
    );
    let total = report.stages.total().as_secs_f64();
    for stage in Stage::ALL {
        let seconds = report.stages.get(stage).as_secs_f64();
        println!(
            "{:<38} {:>9.1} {:>6.1}%",
            stage.label(),
            mb_per_s(report.stage_bytes, seconds),
            100.0 * seconds / total.max(f64::MIN_POSITIVE)
        );
    }
    println!(
        "{:<38} {:>9.1} {:>6.1}%",
        "all stages, one thread",
        mb_per_s(report.stage_bytes, total),
        100.0
    );
    println!();
    let e = &report.extract;
    let mentions: usize = e.mentions.values().sum();
    println!("end to end on {} threads", report.threads);
    println!(
        "  extract (JSON Lines to a file)  {:>8.1} MB/s  {:>9.0} reports/s  {:>10.0} mentions/s  ({:.1} s; {:.0} MB written)",
        mb_per_s(report.corpus_bytes, e.seconds),
        e.documents as f64 / e.seconds.max(f64::MIN_POSITIVE),
        mentions as f64 / e.seconds.max(f64::MIN_POSITIVE),
        e.seconds,
        mb(report.output_bytes)
    );
    if let Some((seconds, paragraphs)) = report.index {
        println!(
            "  index (extract + tantivy)       {:>8.1} MB/s  {:>9.0} reports/s  {:>10.0} paragraphs/s ({seconds:.1} s)",
            mb_per_s(report.corpus_bytes, seconds),
            e.documents as f64 / seconds.max(f64::MIN_POSITIVE),
            paragraphs as f64 / seconds.max(f64::MIN_POSITIVE),
        );
    }
    match report.peak_rss {
        Some(bytes) => println!("peak memory (resident): {:.0} MB", mb(bytes)),
        None => println!("peak memory: not reported by this system"),
    }
    if report.kept {
        println!("kept in {}", report.folder.display());
    }
    Ok(0)
}

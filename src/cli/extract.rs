//! `cifra extract PATH... [-o FILE] [--format jsonl|csv|paragraphs] [--threads N]`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};

use cifra::ingest::metadata::MetadataTable;
use cifra::pipeline::{self, Config};
use cifra::resume;
use cifra::{Dictionaries, Extractor, OutputFormat};

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One JSON object per report (all fields).
    Jsonl,
    /// One row per mention (document, paragraph, kind, text, offsets, value…).
    Csv,
    /// One JSON object per paragraph, with its report's metadata and its own mentions and claims (for Quickwit or DuckDB); a report without paragraphs gets one with `paragraph: null` and its errors.
    Paragraphs,
}

#[derive(clap::Args)]
pub struct Args {
    /// Report files or folders (read recursively, in path order).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Where to write; `-` or nothing writes to standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// CSV or TSV with a `file` column and any of title, date, publisher,
    /// genre, language. Default: metadata.csv/.tsv inside the input folders.
    #[arg(long, value_name = "FILE")]
    metadata: Option<PathBuf>,
    /// A folder of dictionary files that replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// Take only share I of N of the reports (by a hash of each path), to
    /// split one run across N machines: run 1/N, 2/N … N/N with the same
    /// paths and concatenate the outputs.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<pipeline::Shard>,
    /// Also write the text of each report as cifra read it (a PDF's laid-out
    /// text, an HTML page's readable text) under this folder, as
    /// DIR/<path>.txt: the offsets in the output point into these files.
    #[arg(long, value_name = "DIR")]
    dump_text: Option<PathBuf>,
    /// Go on with an interrupted run of the same command: keep the complete
    /// records of FILE.partial and do only the reports after them (needs
    /// -o FILE).
    #[arg(long)]
    resume: bool,
    /// No progress bar and no summary on standard error.
    #[arg(short, long)]
    quiet: bool,
}

fn parse_shard(s: &str) -> Result<pipeline::Shard, String> {
    pipeline::Shard::parse(s).map_err(|e| e.to_string())
}

/// What `extract` and `index` share: the extractor (built-in or the
/// user's dictionaries), what the paths hold (counted, not listed), and
/// the run's configuration (threads, metadata table: `--metadata`, else
/// one found in the folders).
pub(super) fn setup(
    paths: &[PathBuf],
    dictionaries: Option<&std::path::Path>,
    metadata: Option<&std::path::Path>,
    threads: Option<u16>,
    shard: Option<pipeline::Shard>,
    except: &[PathBuf],
) -> anyhow::Result<(Extractor, pipeline::Survey, Config)> {
    let dicts = match dictionaries {
        Some(dir) => Dictionaries::with_overrides(dir)?,
        None => Dictionaries::embedded(),
    };
    let extractor = Extractor::new(&dicts)?;
    let inputs = pipeline::survey(paths, shard, except);
    let mut config = Config::new();
    config.threads = threads.map(usize::from);
    let metadata_path = metadata
        .map(std::path::Path::to_path_buf)
        .or_else(|| inputs.metadata_files.first().cloned());
    if let Some(path) = &metadata_path {
        config.metadata = Some(MetadataTable::load(path)?);
    }
    Ok((extractor, inputs, config))
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let output = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    if args.resume && output.is_none_or(is_special) {
        anyhow::bail!("--resume needs -o FILE: the run to go on with was writing FILE.partial");
    }
    if let Some(path) =
        output.filter(|p| args.resume && !pipeline::partial_path(p).exists() && p.exists())
    {
        if !args.quiet {
            eprintln!(
                "cifra: nothing to resume: {} is complete (there is no {}); run without --resume to do it again",
                path.display(),
                pipeline::partial_path(path).display()
            );
        }
        return Ok(0);
    }
    // The output, and the `.partial` it is written as, may sit among the
    // reports: they are not read as reports.
    let own = output.map(pipeline::own_output).unwrap_or_default();
    let (extractor, survey, mut config) = setup(
        &args.paths,
        args.dictionaries.as_deref(),
        args.metadata.as_deref(),
        args.threads,
        args.shard,
        &own,
    )?;
    config.format = match args.format {
        Format::Jsonl => OutputFormat::Jsonl,
        Format::Csv => OutputFormat::Csv,
        Format::Paragraphs => OutputFormat::Paragraphs,
    };
    if let Some(dir) = &args.dump_text {
        std::fs::create_dir_all(dir).with_context(|| {
            format!("cannot create the folder {} for --dump-text", dir.display())
        })?;
        config.dump_text = Some(dir.clone());
    }

    let bar = progress_bar(args.quiet, survey.bytes, survey.documents);
    let mut done = 0usize;
    let mut on_document = |p: pipeline::Progress| {
        done += 1;
        bar.inc(p.bytes);
        bar.set_message(format!("{done}/{} documents", survey.documents));
    };

    // Where an interrupted run stopped: its complete records stay, and the
    // walk goes on from the first report not fully written.
    let shard = args.shard;
    let held = |input: &pipeline::Input| shard.is_none_or(|s| s.holds(input));
    let resume_at = match output.filter(|p| args.resume && pipeline::partial_path(p).exists()) {
        None => None,
        Some(path) => {
            let partial = pipeline::partial_path(path);
            let point = resume::find(&partial, config.format)?;
            if let Some(next) = &point.next {
                if !pipeline::reports(&args.paths, &own).any(|i| held(&i) && i.shown() == next.path)
                {
                    anyhow::bail!(
                        "cannot resume: {}, the last report in {}, is not among the inputs; give the same paths as the interrupted run, or run without --resume to start over",
                        next.path,
                        partial.display()
                    );
                }
            }
            if !args.quiet {
                eprintln!(
                    "cifra: resuming {}: {} reports already written",
                    partial.display(),
                    point.reports
                );
            }
            config.append = point.keep > 0;
            Some(point)
        }
    };

    // The reports are walked again as they are read: never listed whole.
    let part_bytes = config.part_bytes;
    let mut run = |out: &mut dyn Write| {
        let reports = pipeline::reports(&args.paths, &own).filter(held);
        match resume_at.as_ref().and_then(|p| p.next.clone()) {
            Some(next) => {
                let rest = resume::after(reports, next, part_bytes);
                pipeline::run(&extractor, &config, rest, out, &mut on_document)
            }
            None => pipeline::run(&extractor, &config, reports, out, &mut on_document),
        }
    };
    let summary = match output {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let summary = run(&mut out)?;
            out.flush().context("cannot write to standard output")?;
            summary
        }
        // `/dev/null`, a named pipe, a terminal: written in place. Renaming
        // a finished file over such a path would replace the device itself.
        Some(path) if is_special(path) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open the output {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let summary = run(&mut out)?;
            out.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            summary
        }
        Some(path) => {
            // Write beside the target and rename when done, so an interrupted
            // run never leaves a truncated file that looks complete.
            let partial = pipeline::partial_path(path);
            let file = match &resume_at {
                Some(point) => {
                    let file = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&partial)
                        .and_then(|f| f.set_len(point.keep).map(|()| f))
                        .and_then(|mut f| {
                            std::io::Seek::seek(&mut f, std::io::SeekFrom::End(0)).map(|_| f)
                        });
                    file.with_context(|| format!("cannot go on writing {}", partial.display()))?
                }
                None => std::fs::File::create(&partial)
                    .with_context(|| format!("cannot create the output file {}", path.display()))?,
            };
            let mut out = std::io::BufWriter::new(file);
            let summary = run(&mut out)?;
            out.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            drop(out);
            std::fs::rename(&partial, path).with_context(|| {
                format!("cannot move the finished output to {}", path.display())
            })?;
            summary
        }
    };
    bar.finish_and_clear();
    if !args.quiet {
        eprintln!("cifra: {summary}");
        for (doc, error) in summary.failed.iter().take(20) {
            eprintln!("cifra: {doc}: {error}");
        }
        if summary.failed.len() > 20 {
            eprintln!(
                "cifra: … and {} more documents with errors (see their records' \"errors\")",
                summary.failed.len() - 20
            );
        }
    }
    Ok(if summary.failed.is_empty() { 0 } else { 1 })
}

/// A path that exists and is no regular file or folder: a device such as
/// `/dev/null`, a named pipe, a socket.
fn is_special(path: &std::path::Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

pub(super) fn progress_bar(quiet: bool, bytes: u64, documents: usize) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}")
            .expect("valid template"),
    );
    bar.set_message(format!("0/{documents} documents"));
    bar
}

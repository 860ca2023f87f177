//! Throughput on a generated corpus (`cifra bench`): each stage's time on
//! one thread, extraction end to end on N threads, indexing, and the
//! process's peak memory. The corpus comes from [`crate::generate`], so the
//! same size and seed measure the same text on every machine.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::generate::{write_corpus, write_single, Sources};
use crate::index::{index_inputs, CifraIndex, IndexOptions};
use crate::pipeline::{self, Config, Input, Summary};
use crate::{Extractor, OutputFormat};

/// The stages timed apart. Reading files and writing output are stages
/// too: an analyst waits for them as much as for matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Read,
    Ingest,
    Segment,
    Metadata,
    Tokens,
    Figures,
    Dates,
    Names,
    People,
    Claims,
    Json,
}

impl Stage {
    pub const ALL: [Stage; 11] = [
        Stage::Read,
        Stage::Ingest,
        Stage::Segment,
        Stage::Metadata,
        Stage::Tokens,
        Stage::Figures,
        Stage::Dates,
        Stage::Names,
        Stage::People,
        Stage::Claims,
        Stage::Json,
    ];

    /// What the stage does, as the bench table shows it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Read => "read files",
            Stage::Ingest => "decode, fingerprint, HTML/Markdown",
            Stage::Segment => "paragraphs and sentences",
            Stage::Metadata => "language, title, date",
            Stage::Tokens => "tokens",
            Stage::Figures => "figures (with subjects)",
            Stage::Dates => "dates",
            Stage::Names => "institutions, laws, places",
            Stage::People => "people",
            Stage::Claims => "claims",
            Stage::Json => "JSON output",
        }
    }
}

/// Time spent in each stage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageTimes([Duration; Stage::ALL.len()]);

impl StageTimes {
    pub fn add(&mut self, stage: Stage, time: Duration) {
        self.0[stage as usize] += time;
    }

    pub fn get(&self, stage: Stage) -> Duration {
        self.0[stage as usize]
    }

    pub fn total(&self) -> Duration {
        self.0.iter().sum()
    }
}

/// Run `f`, adding its time to `stage` when `times` is given.
pub fn timed<R>(times: &mut Option<&mut StageTimes>, stage: Stage, f: impl FnOnce() -> R) -> R {
    match times {
        None => f(),
        Some(times) => {
            let started = Instant::now();
            let result = f();
            times.add(stage, started.elapsed());
            result
        }
    }
}

/// Read, analyze and render `inputs` one after another on this thread,
/// timing each stage; returns the times and the bytes read.
pub fn stage_times(
    extractor: &Extractor,
    inputs: &[Input],
    format: OutputFormat,
) -> Result<(StageTimes, u64)> {
    let mut times = StageTimes::default();
    let mut bytes = 0u64;
    for input in inputs {
        let started = Instant::now();
        let raw = pipeline::read_bytes(input)
            .map_err(|e| Error::io(format!("cannot read {}", input.path.display()), e))?;
        times.add(Stage::Read, started.elapsed());
        bytes += raw.len() as u64;
        let mut sink = Some(&mut times);
        let doc = timed(&mut sink, Stage::Ingest, || {
            pipeline::document_of(input, &raw)
        });
        let analyzed = extractor.analyze_timed(doc, &mut sink);
        let line = timed(&mut sink, Stage::Json, || format.render(&analyzed));
        std::hint::black_box(line);
    }
    Ok((times, bytes))
}

/// What to measure.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Bytes of corpus to generate.
    pub size: u64,
    pub seed: u64,
    /// Worker threads for the end-to-end runs (`None`: every core).
    pub threads: Option<usize>,
    /// Keep the corpus, the output and the index in this folder (created;
    /// must be empty) instead of a temporary one removed at the end.
    pub keep: Option<PathBuf>,
    /// Also build a search index from the corpus.
    pub index: bool,
    /// At most this many bytes of the corpus are timed stage by stage.
    pub stage_bytes: u64,
    /// One single report of `size` instead of many (how a very large file
    /// streams, in parts).
    pub single: bool,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            size: 200_000_000,
            seed: 1,
            threads: None,
            keep: None,
            index: true,
            stage_bytes: 32_000_000,
            single: false,
        }
    }
}

/// What the bench measured.
#[derive(Clone, Debug)]
pub struct BenchReport {
    pub folder: PathBuf,
    pub kept: bool,
    pub reports: usize,
    pub corpus_bytes: u64,
    pub generate_seconds: f64,
    pub threads: usize,
    /// Stage times on one thread over the first `stage_bytes` of the corpus.
    pub stages: StageTimes,
    pub stage_bytes: u64,
    /// `extract` over the whole corpus, written to a file.
    pub extract: Summary,
    pub output_bytes: u64,
    /// Indexing: seconds and paragraphs, when asked for.
    pub index: Option<(f64, usize)>,
    /// The process's peak resident memory, where the system tells it.
    pub peak_rss: Option<u64>,
}

/// Megabytes (10^6 bytes) per second.
pub fn mb_per_s(bytes: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        bytes as f64 / 1e6 / seconds
    } else {
        0.0
    }
}

/// Generate a corpus and measure; `say` is told what is being done.
pub fn run(
    extractor: &Extractor,
    options: &BenchOptions,
    say: &mut dyn FnMut(&str),
) -> Result<BenchReport> {
    let (folder, kept) = match &options.keep {
        Some(dir) => {
            check_keep(dir)?;
            (dir.clone(), true)
        }
        None => (
            std::env::temp_dir().join(format!("cifra-bench-{}", std::process::id())),
            false,
        ),
    };
    let result = measure(extractor, options, &folder, say);
    if !kept {
        let _ = std::fs::remove_dir_all(&folder);
    }
    let mut report = result?;
    report.kept = kept;
    Ok(report)
}

fn measure(
    extractor: &Extractor,
    options: &BenchOptions,
    folder: &Path,
    say: &mut dyn FnMut(&str),
) -> Result<BenchReport> {
    let corpus = folder.join("corpus");
    say(&format!(
        "generating {:.0} MB of reports in {} (seed {})",
        options.size as f64 / 1e6,
        corpus.display(),
        options.seed
    ));
    let started = Instant::now();
    let (reports, _) = generate(folder, options.size, options.seed, options.single)?;
    let generate_seconds = started.elapsed().as_secs_f64();
    let inputs = pipeline::collect_inputs(&[corpus], &[]);
    let corpus_bytes = inputs.documents.iter().map(|i| i.size).sum();

    let mut sample_bytes = 0;
    let sample: Vec<Input> = inputs
        .documents
        .iter()
        .flat_map(|i| pipeline::split_large(i.clone(), pipeline::PART_BYTES))
        .take_while(|i| {
            sample_bytes += i.size;
            sample_bytes <= options.stage_bytes.max(i.size)
        })
        .collect();
    say("timing each stage on one thread");
    let (stages, stage_bytes) = stage_times(extractor, &sample, OutputFormat::Jsonl)?;

    let mut config = Config::new();
    config.threads = options.threads;
    let pool = pipeline::thread_pool(options.threads)?;
    let threads = pool.current_num_threads();
    drop(pool);
    say(&format!("extracting everything on {threads} threads"));
    let output = folder.join("out.jsonl");
    let file = std::fs::File::create(&output)
        .map_err(|e| Error::io(format!("cannot create {}", output.display()), e))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let extract = pipeline::run(
        extractor,
        &config,
        inputs.documents.iter().cloned(),
        &mut out,
        &mut |_| {},
    )?;
    out.flush()
        .map_err(|e| Error::io(format!("cannot write {}", output.display()), e))?;
    drop(out);
    let output_bytes = std::fs::metadata(&output).map_or(0, |m| m.len());

    let index = if options.index {
        say(&format!("indexing everything on {threads} threads"));
        let started = Instant::now();
        let index = CifraIndex::open_or_create(&folder.join("index"))?;
        let report = index_inputs(
            &index,
            extractor,
            &config,
            &inputs.documents,
            &IndexOptions::default(),
            &mut |_| {},
        )?;
        Some((started.elapsed().as_secs_f64(), report.paragraphs))
    } else {
        None
    };
    Ok(BenchReport {
        folder: folder.to_path_buf(),
        kept: false,
        reports,
        corpus_bytes,
        generate_seconds,
        threads,
        stages,
        stage_bytes,
        extract,
        output_bytes,
        index,
        peak_rss: peak_rss(),
    })
}

/// `dir` may receive a generated corpus: it is new or empty (a corpus is
/// never written over other files).
pub fn check_keep(dir: &Path) -> Result<()> {
    let empty = !dir.exists()
        || std::fs::read_dir(dir)
            .map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?
            .next()
            .is_none();
    if empty {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "--keep {}: the folder is not empty; give a new or empty folder",
            dir.display()
        )))
    }
}

/// Write the corpus into `folder/corpus`: many reports of `size` bytes in
/// all, or one (`single`). Returns the number of reports and bytes.
pub fn generate(folder: &Path, size: u64, seed: u64, single: bool) -> Result<(usize, u64)> {
    let corpus = folder.join("corpus");
    let sources = Sources::embedded();
    if single {
        std::fs::create_dir_all(&corpus)
            .map_err(|e| Error::io(format!("cannot create {}", corpus.display()), e))?;
        let bytes = write_single(&sources, &corpus.join("report.txt"), size, seed)?;
        return Ok((1, bytes));
    }
    let paths = write_corpus(&sources, &corpus, size, seed)?;
    let bytes = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    Ok((paths.len(), bytes))
}

/// The process's peak resident set size in bytes (`VmHWM` on Linux).
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dictionaries;

    #[test]
    fn a_small_bench_measures_every_stage_and_cleans_up() {
        let extractor = Extractor::new(&Dictionaries::embedded()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("kept");
        let options = BenchOptions {
            size: 300_000,
            threads: Some(2),
            keep: Some(keep.clone()),
            index: true,
            ..BenchOptions::default()
        };
        let mut said = Vec::new();
        let report = run(&extractor, &options, &mut |s| said.push(s.to_string())).unwrap();
        assert!(report.kept && keep.join("out.jsonl").exists() && keep.join("index").exists());
        assert!(report.corpus_bytes >= 300_000, "{}", report.corpus_bytes);
        // Text bytes (decoded) against file bytes: UTF-16 files halve.
        let (text, files) = (report.extract.bytes, report.corpus_bytes);
        assert!(text > files * 8 / 10 && text <= files, "{text} {files}");
        assert_eq!(report.extract.documents, report.reports);
        assert_eq!(
            report.stage_bytes, report.corpus_bytes,
            "a small corpus is timed whole"
        );
        for stage in Stage::ALL {
            assert!(
                report.stages.get(stage) > Duration::ZERO,
                "{stage:?} not timed"
            );
        }
        let lines = std::fs::read_to_string(keep.join("out.jsonl")).unwrap();
        assert_eq!(lines.lines().count(), report.reports);
        assert!(report
            .index
            .is_some_and(|(_, paragraphs)| paragraphs > report.reports));
        assert_eq!(said.len(), 4, "{said:?}");
        // A folder that is not empty is refused before anything is written.
        let again = run(&extractor, &options, &mut |_| {});
        assert!(matches!(again, Err(Error::Config(m)) if m.contains("not empty")));
        if cfg!(target_os = "linux") {
            assert!(report.peak_rss.is_some_and(|b| b > 1 << 20));
        }
    }

    #[test]
    fn timed_adds_only_when_asked() {
        let mut times = StageTimes::default();
        let n = timed(&mut Some(&mut times), Stage::Dates, || {
            std::thread::sleep(Duration::from_millis(2));
            7
        });
        assert_eq!(n, 7);
        assert!(times.get(Stage::Dates) >= Duration::from_millis(2));
        assert_eq!(times.get(Stage::Figures), Duration::ZERO);
        assert_eq!(timed(&mut None, Stage::Dates, || 8), 8);
        assert_eq!(times.total(), times.get(Stage::Dates));
    }
}

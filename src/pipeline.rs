//! Walk the inputs, run ingest → segment → extract → render over batches of
//! documents in parallel (rayon), and write the results in input order.
//! Memory is bounded by one batch, not by the corpus; the output is
//! byte-identical whatever the number of threads.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::document::{MentionKind, Metadata};
use crate::error::{Error, Result};
use crate::ingest::metadata::MetadataTable;
use crate::output::OutputFormat;
use crate::{ingest, Extractor};

/// File names that, inside a folder given as input, are that folder's
/// metadata table rather than a report.
pub const METADATA_FILE_NAMES: &[&str] = &["metadata.csv", "metadata.tsv"];

/// One document to read.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub path: PathBuf,
    /// The path as the user sees it.
    pub shown: String,
    pub size: u64,
    /// A problem met while walking (unreadable folder, symlink loop).
    pub error: Option<String>,
}

/// What walking the command-line paths found.
#[derive(Debug, Default)]
pub struct Inputs {
    pub documents: Vec<Input>,
    /// `metadata.csv` / `metadata.tsv` files found inside input folders.
    pub metadata_files: Vec<PathBuf>,
}

/// One share of the inputs, `I/N` (1 ≤ I ≤ N): the reports whose path, as
/// shown, hashes to share I. N machines given the same paths and shares
/// 1/N … N/N take every report exactly once, and a report always falls in
/// the same share whatever other files are added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `2/8`; an error says what is expected.
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = || {
            Error::Config(format!(
                "expected I/N with 1 ≤ I ≤ N, such as 1/4 (the first of four shares), not {s:?}"
            ))
        };
        let (i, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// This share holds `input`.
    pub fn holds(&self, input: &Input) -> bool {
        // FNV-1a: fixed, so every machine (and every version) agrees.
        let hash = input.shown.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        hash % u64::from(self.count) == u64::from(self.index - 1)
    }
}

impl Inputs {
    /// Keep only the reports of `shard` (metadata tables are kept whole).
    pub fn retain_shard(&mut self, shard: Shard) {
        self.documents.retain(|d| shard.holds(d));
    }
}

/// Expand files and folders (recursively, sorted by path) into documents.
/// Hidden files and folders (names starting with `.`) inside a folder are
/// skipped, as in ripgrep; a path named on the command line is always read,
/// and one that does not exist becomes a document with an error.
pub fn collect_inputs(paths: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    for path in paths {
        if !path.is_dir() {
            inputs.documents.push(input(path.clone(), None));
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by(|a, b| a.file_name().cmp(b.file_name()))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => {
                    let name = e.file_name().to_string_lossy().to_lowercase();
                    if METADATA_FILE_NAMES.contains(&name.as_str()) {
                        inputs.metadata_files.push(e.into_path());
                    } else {
                        inputs.documents.push(input(e.into_path(), None));
                    }
                }
                Err(e) => {
                    let at = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| path.clone());
                    let message = if e.loop_ancestor().is_some() {
                        format!("symbolic link loop at {}", at.display())
                    } else {
                        format!(
                            "cannot read {}: {}",
                            at.display(),
                            e.io_error().map_or(e.to_string(), |io| io.to_string())
                        )
                    };
                    inputs.documents.push(input(at, Some(message)));
                }
            }
        }
    }
    inputs
}

fn input(path: PathBuf, error: Option<String>) -> Input {
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Input {
        shown: path.display().to_string(),
        path,
        size,
        error,
    }
}

/// How to run `extract`.
#[derive(Debug, Default)]
pub struct Config {
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    pub format: OutputFormat,
    /// The user's metadata table (first source of metadata).
    pub metadata: Option<MetadataTable>,
    /// How many bytes of input one batch may hold (memory bound).
    pub batch_bytes: u64,
}

impl Config {
    pub fn new() -> Config {
        Config {
            batch_bytes: 16 << 20,
            ..Config::default()
        }
    }
}

/// Per-document figures reported to a progress observer.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub bytes: u64,
    pub failed: bool,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub documents: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub mentions: BTreeMap<&'static str, usize>,
    /// Documents whose record has errors, with the first error.
    pub failed: Vec<(String, String)>,
}

impl Summary {
    pub fn megabytes_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} documents, {:.1} MB in {:.2} s ({:.1} MB/s); mentions:",
            self.documents,
            self.bytes as f64 / 1e6,
            self.seconds,
            self.megabytes_per_second()
        )?;
        for kind in MentionKind::ALL {
            write!(
                f,
                " {} {}",
                kind.as_str(),
                self.mentions.get(kind.as_str()).unwrap_or(&0)
            )?;
        }
        write!(f, "; {} with errors", self.failed.len())
    }
}

/// Run extraction over `inputs`, writing records to `out` in input order.
/// `progress` is called once per document, in input order.
pub fn run(
    extractor: &Extractor,
    config: &Config,
    inputs: &[Input],
    out: &mut dyn Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary> {
    let started = Instant::now();
    let pool = thread_pool(config.threads)?;
    let mut summary = Summary::default();
    let write_error = |e| Error::io("cannot write the output", e);
    out.write_all(config.format.header().as_bytes())
        .map_err(write_error)?;
    let render = |analyzed: crate::Analyzed| Rendered {
        text: config.format.render(&analyzed),
        bytes: analyzed.document.text.len() as u64,
        kinds: analyzed.mentions.iter().map(|m| m.kind).collect(),
        shown: analyzed.document.path.clone(),
        error: analyzed.document.errors.first().cloned(),
    };
    let pool = &pool;
    each(extractor, config, pool, inputs, &render, &mut |rendered| {
        for r in rendered {
            out.write_all(r.text.as_bytes()).map_err(write_error)?;
            summary.documents += 1;
            summary.bytes += r.bytes;
            for kind in r.kinds {
                *summary.mentions.entry(kind.as_str()).or_default() += 1;
            }
            if let Some(error) = &r.error {
                summary.failed.push((r.shown.clone(), error.clone()));
            }
            progress(Progress {
                bytes: r.bytes,
                failed: r.error.is_some(),
            });
        }
        Ok(())
    })?;
    out.flush().map_err(write_error)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

struct Rendered {
    text: String,
    bytes: u64,
    kinds: Vec<MentionKind>,
    shown: String,
    error: Option<String>,
}

/// Analyze `inputs` in batches on `pool`: `work` turns each analyzed report
/// into a `T` on the worker threads; `sink` gets each batch's results in
/// input order, on the calling thread, while the pool goes on with the
/// next batch. Memory holds at most three batches: one being analyzed,
/// one done and waiting, one in `sink`.
pub fn each<T: Send>(
    extractor: &Extractor,
    config: &Config,
    pool: &rayon::ThreadPool,
    inputs: &[Input],
    work: &(dyn Fn(crate::Analyzed) -> T + Sync),
    sink: &mut dyn FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let max_docs = pool.current_num_threads() * 64;
    std::thread::scope(|scope| {
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Vec<T>>(1);
        scope.spawn(move || {
            for batch in batches(inputs, config.batch_bytes, max_docs) {
                let done: Vec<T> = pool.install(|| {
                    batch
                        .par_iter()
                        .map(|input| work(analyze_input(extractor, config, input)))
                        .collect()
                });
                // The receiver is gone when `sink` failed: stop.
                if done_tx.send(done).is_err() {
                    break;
                }
            }
        });
        for done in done_rx {
            sink(done)?;
        }
        Ok(())
    })
}

/// A worker pool of `threads` threads (`None`: one per core).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Config(format!("cannot start worker threads: {e}")))
}

/// Read, describe (metadata) and analyze one input.
pub fn analyze_input(extractor: &Extractor, config: &Config, input: &Input) -> crate::Analyzed {
    let mut doc = ingest::read(&input.path, &input.shown);
    if let Some(error) = &input.error {
        doc.errors.insert(0, error.clone());
    }
    if let Some(row) = config
        .metadata
        .as_ref()
        .and_then(|t| t.get(&doc.path, &doc.name))
    {
        let mut metadata: Metadata = row.clone();
        metadata.fill_from(std::mem::take(&mut doc.metadata));
        doc.metadata = metadata;
    }
    analyze_guarded(extractor, doc)
}

/// `extractor.analyze`, but a bug that panics on one report costs that
/// report's mentions, not the whole run: the report is written with an
/// error saying so, and the run goes on.
fn analyze_guarded(extractor: &Extractor, doc: crate::Document) -> crate::Analyzed {
    let shell = doc.clone();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extractor.analyze(doc))) {
        Ok(analyzed) => analyzed,
        Err(cause) => {
            let what = cause
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| cause.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let mut document = shell;
            document.errors.push(format!(
                "internal error while extracting ({what}); no mentions were written for this report, please report the bug"
            ));
            crate::Analyzed {
                document,
                segmented: crate::segment::Segmented::default(),
                mentions: Vec::new(),
                claims: Vec::new(),
            }
        }
    }
}

/// Consecutive runs of inputs holding at most `max_bytes` (or one larger
/// document alone) and at most `max_docs` documents.
fn batches(inputs: &[Input], max_bytes: u64, max_docs: usize) -> impl Iterator<Item = &[Input]> {
    let mut rest = inputs;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut n = 0;
        while n < rest.len() && n < max_docs.max(1) && (n == 0 || bytes + rest[n].size <= max_bytes)
        {
            bytes += rest[n].size;
            n += 1;
        }
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        Some(batch)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_bytes_and_counts() {
        let input = |size| Input {
            path: PathBuf::new(),
            shown: String::new(),
            size,
            error: None,
        };
        let inputs: Vec<Input> = [10, 10, 10, 50, 5, 5].into_iter().map(input).collect();
        let sizes: Vec<Vec<u64>> = batches(&inputs, 25, 100)
            .map(|b| b.iter().map(|i| i.size).collect())
            .collect();
        assert_eq!(sizes, vec![vec![10, 10], vec![10], vec![50], vec![5, 5]]);
        assert_eq!(batches(&inputs, 1000, 4).count(), 2);
    }

    #[test]
    fn shards_partition_the_inputs() {
        let inputs: Vec<Input> = (0..200)
            .map(|n| Input {
                path: PathBuf::new(),
                shown: format!("reports/{n:03}.txt"),
                size: 1,
                error: None,
            })
            .collect();
        let shares: Vec<Vec<&str>> = (1..=3)
            .map(|i| {
                let shard = Shard::parse(&format!("{i}/3")).unwrap();
                inputs
                    .iter()
                    .filter(|d| shard.holds(d))
                    .map(|d| d.shown.as_str())
                    .collect()
            })
            .collect();
        let mut all: Vec<&str> = shares.concat();
        all.sort();
        let expected: Vec<&str> = inputs.iter().map(|d| d.shown.as_str()).collect();
        assert_eq!(all, expected);
        assert!(
            shares.iter().all(|s| s.len() > 40),
            "{:?}",
            shares.iter().map(Vec::len).collect::<Vec<_>>()
        );
        assert_eq!(Shard::parse(" 2/5 ").unwrap(), Shard { index: 2, count: 5 });
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "1/4/2", ""] {
            assert!(matches!(Shard::parse(bad), Err(Error::Config(_))), "{bad}");
        }
    }
}

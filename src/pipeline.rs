//! Walk the inputs, run ingest → segment → extract → render over batches of
//! documents in parallel (rayon), and write the results in input order.
//! Memory is bounded by one batch, not by the corpus; the output is
//! byte-identical whatever the number of threads.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::document::Format;
use crate::document::{MentionKind, Metadata, Part};
use crate::error::{Error, Result};
use crate::ingest::metadata::MetadataTable;
use crate::output::OutputFormat;
use crate::{ingest, Extractor};

/// File names that, inside a folder given as input, are that folder's
/// metadata table rather than a report.
pub const METADATA_FILE_NAMES: &[&str] = &["metadata.csv", "metadata.tsv"];

/// Plain-text and Markdown reports larger than this are read and written
/// in parts of about this size, cut at paragraph breaks (see [`Part`]).
pub const PART_BYTES: u64 = 4 << 20;

/// One document to read.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub path: PathBuf,
    pub size: u64,
    /// A problem met while walking (unreadable folder, symlink loop).
    pub error: Option<String>,
    /// Set when this input is one part of a large report (boxed: the list
    /// of inputs holds every file of the corpus, and most are whole).
    pub part: Option<Box<InputPart>>,
}

impl Input {
    /// The path as the user sees it.
    pub fn shown(&self) -> String {
        self.path.display().to_string()
    }
}

/// The bytes `part.offset..end` of a large report, and the fingerprint of
/// the whole file.
#[derive(Clone, Debug, PartialEq)]
pub struct InputPart {
    pub part: Part,
    pub end: u64,
    pub sha256: std::sync::Arc<str>,
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
        let hash = input
            .shown()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        hash % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// What walking the command-line paths finds, one at a time.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    Report(Input),
    /// A `metadata.csv`/`.tsv` inside an input folder.
    Metadata(PathBuf),
}

/// `path` with `.partial` added to its name: where a run writes its output
/// until it is complete (then renamed to `path`).
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// The files a run writes as it goes, to be left out of its own inputs:
/// `output` and its `.partial`, as absolute paths (`cifra extract . -o
/// out.jsonl`, run again, must not read `out.jsonl` as a report, nor the
/// file it is writing).
pub fn own_output(output: &Path) -> Vec<PathBuf> {
    [output.to_path_buf(), partial_path(output)]
        .iter()
        .filter_map(|p| absolute(p))
        .collect()
}

/// `path` made absolute through its folder (the file need not exist).
fn absolute(path: &Path) -> Option<PathBuf> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(folder).ok()?.join(path.file_name()?))
}

/// Walk files and folders (recursively, sorted by path), one entry at a
/// time: nothing is listed in memory, so a corpus of millions of files
/// costs no more than one. Inside a folder, three things are skipped:
/// hidden files and folders (names starting with `.`), as in ripgrep; a
/// folder holding a cifra index (its `cifra-index.json`), whose files are
/// not reports; and the files of `except` (see [`own_output`]). A path
/// named on the command line is always read, and one that does not exist
/// becomes a document with an error.
pub fn walk<'a>(
    paths: &'a [PathBuf],
    except: &'a [PathBuf],
) -> impl Iterator<Item = Found> + Send + 'a {
    paths
        .iter()
        .flat_map(move |path| -> Box<dyn Iterator<Item = Found> + Send> {
            if !path.is_dir() {
                return Box::new(std::iter::once(Found::Report(input(path.clone(), None))));
            }
            let walker = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by(|a, b| a.file_name().cmp(b.file_name()))
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0
                        || !(e.file_name().to_string_lossy().starts_with('.')
                            || e.file_type().is_dir()
                                && e.path().join(crate::index::MARKER).exists())
                });
            Box::new(walker.filter_map(move |entry| match entry {
                Ok(e) if e.file_type().is_dir() => None,
                // Compared by name first: a folder is made absolute only
                // for a file named as the output is.
                Ok(e)
                    if except.iter().any(|x| {
                        x.file_name() == Some(e.file_name())
                            && absolute(e.path()).as_deref() == Some(x.as_path())
                    }) =>
                {
                    None
                }
                Ok(e) => {
                    let name = e.file_name().to_string_lossy().to_lowercase();
                    Some(if METADATA_FILE_NAMES.contains(&name.as_str()) {
                        Found::Metadata(e.into_path())
                    } else {
                        Found::Report(input(e.into_path(), None))
                    })
                }
                Err(e) => {
                    let at = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| path.clone());
                    let message = if let Some(ancestor) = e.loop_ancestor() {
                        format!(
                            "symbolic link loop: {} leads back to {}, a folder that holds it, so it was not followed; remove the link if it is a mistake",
                            at.display(),
                            ancestor.display()
                        )
                    } else if let Some(io) = e.io_error() {
                        ingest::read_error(&at, io)
                    } else {
                        format!("cannot read {}: {e}", at.display())
                    };
                    Some(Found::Report(input(at, Some(message))))
                }
            }))
        })
}

/// The reports of a walk, one at a time.
pub fn reports<'a>(
    paths: &'a [PathBuf],
    except: &'a [PathBuf],
) -> impl Iterator<Item = Input> + Send + 'a {
    walk(paths, except).filter_map(|found| match found {
        Found::Report(input) => Some(input),
        Found::Metadata(_) => None,
    })
}

/// What a walk finds, counted rather than listed: enough for a progress
/// bar and the metadata tables, in the memory of one entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Survey {
    pub documents: usize,
    pub bytes: u64,
    pub metadata_files: Vec<PathBuf>,
}

/// Count the reports (of `shard`, if given) and find the metadata tables.
pub fn survey(paths: &[PathBuf], shard: Option<Shard>, except: &[PathBuf]) -> Survey {
    let mut survey = Survey::default();
    for found in walk(paths, except) {
        match found {
            Found::Report(input) if shard.is_none_or(|s| s.holds(&input)) => {
                survey.documents += 1;
                survey.bytes += input.size;
            }
            Found::Report(_) => {}
            Found::Metadata(path) => survey.metadata_files.push(path),
        }
    }
    survey
}

/// Every report and metadata table of a walk, listed.
pub fn collect_inputs(paths: &[PathBuf], except: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    for found in walk(paths, except) {
        match found {
            Found::Report(input) => inputs.documents.push(input),
            Found::Metadata(path) => inputs.metadata_files.push(path),
        }
    }
    inputs
}

fn input(path: PathBuf, error: Option<String>) -> Input {
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Input {
        path,
        size,
        error,
        part: None,
    }
}

/// `input` itself, or, for a plain-text or Markdown file larger than
/// `part_bytes`, its parts: one streaming pass fingerprints the file and
/// finds a blank line after every `part_bytes` (a line break after twice
/// that, when a report has no blank lines; a sentence end, then any space,
/// after three and four times that, when it has no line breaks there, or
/// after once and twice that in a part with no line break at all: ASCII
/// bytes, so a cut never falls inside a character). UTF-16 files (NUL bytes near
/// the start) are not cut. On any read error the input is left whole, and
/// reading it reports the error.
pub fn split_large(input: Input, part_bytes: u64) -> Vec<Input> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let splittable = matches!(Format::from_path(&input.path), Format::Txt | Format::Md);
    if input.size <= part_bytes || input.part.is_some() || input.error.is_some() || !splittable {
        return vec![input];
    }
    let Ok(mut file) = std::fs::File::open(&input.path) else {
        return vec![input];
    };
    let mut hasher = Sha256::new();
    let mut cuts: Vec<u64> = vec![0];
    let mut buf = vec![0u8; 1 << 20];
    let (mut at, mut last, mut line_seen) = (0u64, [0u8; 2], false);
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(_) => return vec![input],
        };
        let chunk = &buf[..n];
        hasher.update(chunk);
        if at == 0 && chunk[..chunk.len().min(4096)].contains(&0) {
            return vec![input];
        }
        for (i, &b) in chunk.iter().enumerate() {
            let pos = at + i as u64 + 1;
            let since = pos - cuts[cuts.len() - 1];
            // Best first: a blank line; a line break; a sentence end; any
            // space. A part with no line break at all (a file on one line)
            // ends at the first sentence end past `part_bytes`, so that it
            // is no larger in memory than other parts.
            let (sentence_end, space) = if line_seen { (3, 4) } else { (1, 2) };
            let cut = since >= part_bytes
                && match b {
                    b'\n' => last[1] == b'\n' || last == [b'\n', b'\r'] || since >= 2 * part_bytes,
                    b' ' => {
                        (since >= sentence_end * part_bytes
                            && matches!(last[1], b'.' | b'!' | b'?'))
                            || since >= space * part_bytes
                    }
                    _ => false,
                };
            line_seen |= b == b'\n';
            if cut {
                cuts.push(pos);
                line_seen = false;
            }
            last = [last[1], b];
        }
        at += n as u64;
    }
    if cuts.last() == Some(&at) {
        cuts.pop();
    }
    if cuts.len() < 2 {
        return vec![input];
    }
    let sha256: std::sync::Arc<str> = crate::ingest::hex(&hasher.finalize()).into();
    let count = cuts.len();
    cuts.iter()
        .enumerate()
        .map(|(k, &offset)| {
            let end = cuts.get(k + 1).copied().unwrap_or(at);
            Input {
                size: end - offset,
                part: Some(Box::new(InputPart {
                    part: Part {
                        number: k + 1,
                        count,
                        offset,
                    },
                    end,
                    sha256: sha256.clone(),
                })),
                ..input.clone()
            }
        })
        .collect()
}

/// How to run `extract`.
#[derive(Debug, Default)]
pub struct Config {
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    pub format: OutputFormat,
    /// The user's metadata table (first source of metadata).
    pub metadata: Option<MetadataTable>,
    /// How many bytes of input one batch may hold (memory bound); 0: 4 MB
    /// per worker thread. Up to three batches are in memory at once, with
    /// their mentions and JSON (about ten times their input).
    pub batch_bytes: u64,
    /// Plain-text and Markdown reports larger than this are read in parts
    /// of about this size ([`PART_BYTES`] by default).
    pub part_bytes: u64,
    /// Write each report's text, as read (a PDF's laid-out text, an HTML
    /// page's readable text), under this folder: see [`dump_path`].
    pub dump_text: Option<PathBuf>,
    /// The output already holds the start of this run (`--resume`): no
    /// header is written.
    pub append: bool,
}

impl Config {
    pub fn new() -> Config {
        Config {
            batch_bytes: 0,
            part_bytes: PART_BYTES,
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
    inputs: impl IntoIterator<Item = Input, IntoIter: Send>,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary> {
    let started = Instant::now();
    let pool = thread_pool(config.threads)?;
    let mut summary = Summary::default();
    let write_error = |e| Error::io("cannot write the output", e);
    if !config.append {
        out.write_all(config.format.header().as_bytes())
            .map_err(write_error)?;
    }
    let render = |mut analyzed: crate::Analyzed| Rendered {
        text: {
            if let Some(dir) = &config.dump_text {
                if let Err(e) = dump_text(dir, &analyzed.document) {
                    analyzed.document.errors.push(e);
                }
            }
            config.format.render(&analyzed)
        },
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

/// Where `--dump-text DIR` writes the text of `doc`: the path as shown,
/// without its root or `..` steps, under `dir`, with `.txt` added
/// (`reports/a.pdf` → `DIR/reports/a.pdf.txt`); a part of a large report
/// adds its number (`a.txt.part2.txt`), since its offsets count from the
/// part's start.
pub fn dump_path(dir: &Path, doc: &crate::Document) -> PathBuf {
    use std::path::Component;
    let mut path = dir.to_path_buf();
    for c in Path::new(&doc.path).components() {
        if let Component::Normal(name) = c {
            path.push(name);
        }
    }
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    if let Some(part) = &doc.part {
        name.push(format!(".part{}", part.number));
    }
    name.push(".txt");
    path.set_file_name(name);
    path
}

fn dump_text(dir: &Path, doc: &crate::Document) -> std::result::Result<(), String> {
    if doc.text.is_empty() {
        return Ok(());
    }
    let path = dump_path(dir, doc);
    let write = || -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &doc.text)
    };
    write().map_err(|e| format!("cannot write the text to {}: {e}", path.display()))
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
    inputs: impl IntoIterator<Item = Input, IntoIter: Send>,
    work: &(dyn Fn(crate::Analyzed) -> T + Sync),
    sink: &mut dyn FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let threads = pool.current_num_threads();
    let max_docs = threads * 64;
    let max_bytes = match config.batch_bytes {
        0 => threads as u64 * (4 << 20),
        bytes => bytes,
    };
    let inputs = inputs.into_iter();
    std::thread::scope(|scope| {
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Vec<T>>(1);
        scope.spawn(move || {
            let pieces = inputs
                .into_iter()
                .flat_map(|input| split_large(input, config.part_bytes.max(1)));
            for batch in batches(pieces, max_bytes, max_docs) {
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
        // Room for the recursive parsers of HTML and PDF on hostile input
        // (reserved address space, not memory, until used).
        .stack_size(64 << 20)
        .build()
        .map_err(|e| Error::Config(format!("cannot start worker threads: {e}")))
}

/// Read, describe (metadata) and analyze one input.
pub fn analyze_input(extractor: &Extractor, config: &Config, input: &Input) -> crate::Analyzed {
    // A walk error (a link loop, a folder that cannot be listed) says why
    // the path cannot be read: reading it anyway would say it again, worse.
    let mut doc = match (&input.error, &input.part) {
        (Some(error), _) => ingest::unreadable(&input.path, &input.shown(), error.clone()),
        (None, None) => ingest::read(&input.path, &input.shown()),
        (None, Some(part)) => read_part(input, part),
    };
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

/// One part of a large report, with the whole file's fingerprint.
fn read_part(input: &Input, part: &InputPart) -> crate::Document {
    match read_bytes(input) {
        Ok(bytes) => document_of(input, &bytes),
        Err(e) => {
            let mut doc = document_of(input, b"");
            doc.errors = vec![format!(
                "cannot read part {} of {}: {e}",
                part.part.number, part.part.count
            )];
            doc
        }
    }
}

/// The bytes of `input`: the whole file, or its part.
pub fn read_bytes(input: &Input) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let Some(part) = &input.part else {
        return std::fs::read(&input.path);
    };
    let mut bytes = vec![0u8; (part.end - part.part.offset) as usize];
    let mut file = std::fs::File::open(&input.path)?;
    file.seek(SeekFrom::Start(part.part.offset))?;
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// The document of `input` read as `bytes` (a part: with the part and the
/// whole file's fingerprint).
pub fn document_of(input: &Input, bytes: &[u8]) -> crate::Document {
    let mut doc = ingest::from_bytes(&input.path, &input.shown(), bytes);
    if let Some(part) = &input.part {
        doc.sha256 = part.sha256.to_string();
        doc.part = Some(part.part);
    }
    doc
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
fn batches(
    inputs: impl Iterator<Item = Input>,
    max_bytes: u64,
    max_docs: usize,
) -> impl Iterator<Item = Vec<Input>> {
    let mut inputs = inputs.peekable();
    std::iter::from_fn(move || {
        let mut batch: Vec<Input> = Vec::new();
        let mut bytes = 0;
        while let Some(next) = inputs.next_if(|next| {
            batch.is_empty() || batch.len() < max_docs.max(1) && bytes + next.size <= max_bytes
        }) {
            bytes += next.size;
            batch.push(next);
        }
        (!batch.is_empty()).then_some(batch)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_bytes_and_counts() {
        let input = |size| Input {
            path: PathBuf::new(),
            size,
            error: None,
            part: None,
        };
        let inputs: Vec<Input> = [10, 10, 10, 50, 5, 5].into_iter().map(input).collect();
        let sizes: Vec<Vec<u64>> = batches(inputs.iter().cloned(), 25, 100)
            .map(|b| b.iter().map(|i| i.size).collect())
            .collect();
        assert_eq!(sizes, vec![vec![10, 10], vec![10], vec![50], vec![5, 5]]);
        assert_eq!(batches(inputs.into_iter(), 1000, 4).count(), 2);
    }

    #[test]
    fn a_large_report_is_read_in_parts_cut_at_blank_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        let paragraph = |n: usize| {
            format!(
                "On {n} May 2015, {n} soldiers were accused of killing 22 people in Tlatlaya.\n"
            )
        };
        let mut text = String::new();
        for n in 0..400 {
            text.push_str(&paragraph(n));
            text.push_str(if n % 3 == 2 { "\r\n" } else { "\n" });
        }
        std::fs::write(&path, &text).unwrap();
        let whole = input(path.clone(), None);
        let parts = split_large(whole.clone(), 4_000);
        assert!(parts.len() >= 5, "{}", parts.len());
        let mut at = 0;
        for (k, p) in parts.iter().enumerate() {
            let part = p.part.as_ref().unwrap();
            assert_eq!((part.part.number, part.part.count), (k + 1, parts.len()));
            assert_eq!(part.part.offset, at);
            assert_eq!(p.size, part.end - part.part.offset);
            let start = at as usize;
            assert!(
                start == 0 || text[..start].ends_with("\n\n") || text[..start].ends_with("\n\r\n")
            );
            assert!(k + 1 == parts.len() || p.size >= 4_000);
            at = part.end;
        }
        assert_eq!(at, text.len() as u64, "the parts cover the file");
        // Each part is analyzed alone; its paragraphs are the file's, at
        // the part's offset, and every record carries the file's fingerprint.
        let extractor = Extractor::new(&crate::Dictionaries::embedded()).unwrap();
        let config = Config::new();
        let sha = ingest::read(&path, "big.txt").sha256;
        let mut paragraphs = 0;
        for p in &parts {
            let analyzed = analyze_input(&extractor, &config, p);
            let doc = &analyzed.document;
            assert_eq!(doc.sha256, sha);
            assert_eq!(doc.part, Some(p.part.as_ref().unwrap().part));
            assert!(doc.errors.is_empty(), "{:?}", doc.errors);
            let offset = p.part.as_ref().unwrap().part.offset as usize;
            for para in &analyzed.segmented.paragraphs {
                let in_file = &text[offset + para.span.start..offset + para.span.end];
                assert_eq!(in_file, para.span.of(&doc.text));
                assert!(in_file.ends_with("in Tlatlaya."), "{in_file:?}");
            }
            paragraphs += analyzed.segmented.paragraphs.len();
            assert!(analyzed
                .mentions
                .iter()
                .any(|m| m.text == "22" && m.kind == crate::MentionKind::Figure));
        }
        assert_eq!(paragraphs, 400);
        // Small, HTML or already-split inputs stay whole.
        assert_eq!(split_large(whole.clone(), 1 << 30), vec![whole.clone()]);
        let html = dir.path().join("big.html");
        std::fs::write(&html, &text).unwrap();
        assert_eq!(split_large(input(html, None), 4_000).len(), 1);
    }

    #[test]
    fn a_report_without_line_breaks_is_cut_after_sentences() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("one-line.txt");
        let sentence = "On 5 May 2015, soldiers killed 22 people in Tlatlaya, según la CNDH. ";
        let text = sentence.repeat(200);
        std::fs::write(&path, &text).unwrap();
        let parts = split_large(input(path.clone(), None), 1_000);
        assert!(parts.len() >= 3, "{}", parts.len());
        let extractor = Extractor::new(&crate::Dictionaries::embedded()).unwrap();
        let mut at = 0;
        for p in &parts {
            let part = p.part.as_ref().unwrap();
            assert_eq!(part.part.offset, at);
            let start = at as usize;
            assert!(
                start == 0 || text[..start].ends_with("CNDH. "),
                "cut at {start}"
            );
            assert!(p.size <= 1_000 + sentence.len() as u64, "{}", p.size);
            let analyzed = analyze_input(&extractor, &Config::new(), p);
            assert!(analyzed.document.errors.is_empty());
            let figures = analyzed
                .mentions
                .iter()
                .filter(|m| m.kind == crate::MentionKind::Figure)
                .count();
            assert_eq!(figures as u64, p.size / sentence.len() as u64);
            at = part.end;
        }
        assert_eq!(at, text.len() as u64);
        // No full stops either: cut at a space.
        let words = "palabras sin punto ".repeat(500);
        std::fs::write(&path, &words).unwrap();
        let parts = split_large(input(path.clone(), None), 1_000);
        assert!(parts.len() >= 2, "{}", parts.len());
        for p in &parts[1..] {
            let offset = p.part.as_ref().unwrap().part.offset as usize;
            assert!(words[..offset].ends_with(' ') && offset >= 2_000);
        }
    }

    #[test]
    fn a_survey_counts_what_a_walk_lists() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("b");
        std::fs::create_dir_all(&sub).unwrap();
        for (name, text) in [
            ("a.txt", "uno"),
            ("b/c.md", "dos dos"),
            ("b/d.html", "<p>x</p>"),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        std::fs::write(dir.path().join(".hidden.txt"), "no").unwrap();
        std::fs::write(sub.join("metadata.csv"), "file,title\n").unwrap();
        let paths = [dir.path().to_path_buf()];
        let listed = collect_inputs(&paths, &[]);
        let counted = survey(&paths, None, &[]);
        assert_eq!(counted.documents, 3);
        assert_eq!(counted.bytes, 3 + 7 + 8);
        assert_eq!(counted.metadata_files, listed.metadata_files);
        assert_eq!(counted.metadata_files, [sub.join("metadata.csv")]);
        let walked: Vec<Input> = reports(&paths, &[]).collect();
        assert_eq!(walked, listed.documents);
        assert!(walked[0].path.ends_with("a.txt") && walked[2].path.ends_with("b/d.html"));
        let shard = Shard::parse("1/2").unwrap();
        let held = walked.iter().filter(|i| shard.holds(i)).count();
        assert_eq!(survey(&paths, Some(shard), &[]).documents, held);
    }

    #[test]
    fn shards_partition_the_inputs() {
        let inputs: Vec<Input> = (0..200)
            .map(|n| Input {
                path: PathBuf::from(format!("reports/{n:03}.txt")),
                size: 1,
                error: None,
                part: None,
            })
            .collect();
        let shares: Vec<Vec<String>> = (1..=3)
            .map(|i| {
                let shard = Shard::parse(&format!("{i}/3")).unwrap();
                inputs
                    .iter()
                    .filter(|d| shard.holds(d))
                    .map(|d| d.shown())
                    .collect()
            })
            .collect();
        let mut all: Vec<String> = shares.concat();
        all.sort();
        let expected: Vec<String> = inputs.iter().map(Input::shown).collect();
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

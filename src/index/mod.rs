//! Stage 6: a tantivy index of reports, one tantivy document per paragraph,
//! for full-text and faceted search (`cifra index`, `cifra search`).
//!
//! A paragraph document holds its text (in a field analyzed for its
//! report's language: case and accents folded, then stemmed in English or
//! Spanish), where it comes from (report, path, sha256, paragraph, offsets),
//! the report's metadata (title, publisher, genre, language, published date
//! as a fast field), one facet per canonical entity, claim category, year,
//! language and publisher, every figure value (a fast field, for ranges)
//! and the paragraph's mentions and claims as stored JSON. Each report also
//! gets one `report` document (its path and sha256), which is how a later
//! run knows what is indexed already.
//!
//! Runs are incremental: an unchanged file (same sha256) is skipped, a
//! changed one replaced, and with `prune` a file no longer present removed.
//! One writer; a commit after every `commit_bytes` of reports, carrying a
//! payload that says what was indexed. A report's paragraphs (all its
//! parts, for a large report read in parts), its `report` document and the
//! deletion of its old version are always in the same commit, and tantivy
//! makes a commit visible at once (one atomic rename of `meta.json`), so an
//! interrupted run, even by `kill -9`, leaves complete reports only, and
//! the next run finishes the work without duplicates. Paragraphs are
//! numbered through the whole file, across parts.

pub mod search;
mod stem;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap as HashMap;

use sha2::{Digest, Sha256};
use tantivy::collector::DocSetCollector;
use tantivy::directory::MmapDirectory;
use tantivy::query::TermQuery;
use tantivy::schema::{
    DateOptions, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};

use crate::document::{Language, MentionDetail, MentionKind};
use crate::error::{Error, Result};
use crate::output::jsonl;
use crate::pipeline::{self, Config, Input};
use crate::{Analyzed, Extractor};

/// The file that marks a folder as a cifra index, with the schema version.
pub const MARKER: &str = "cifra-index.json";
/// The marker while it is written (then renamed): a folder holding only
/// this is as good as empty.
const MARKER_TMP: &str = "cifra-index.json.tmp";
/// Bumped when the schema changes: an index of another version must be
/// rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// The fields of a cifra index, looked up once.
#[derive(Clone, Debug)]
pub struct Fields {
    pub record: Field,
    pub path_key: Field,
    pub doc: Field,
    pub path: Field,
    pub sha256: Field,
    pub paragraph: Field,
    pub start: Field,
    pub end: Field,
    pub title: Field,
    pub publisher: Field,
    pub genre: Field,
    pub language: Field,
    pub published: Field,
    pub published_text: Field,
    pub text_en: Field,
    pub text_es: Field,
    pub facet: Field,
    pub figure: Field,
    pub claim_code: Field,
    pub mentions: Field,
    pub claims: Field,
}

/// The two text analyzers: words, lower case, accents folded, stemmed.
pub const TOKENIZER_EN: &str = "cifra_en";
pub const TOKENIZER_ES: &str = "cifra_es";

fn schema() -> Schema {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored()
    };
    b.add_text_field("record", STRING);
    // Fast, to order equal-scoring hits by file.
    b.add_text_field("path_key", STRING | STORED | FAST);
    b.add_text_field("doc", STRING | STORED);
    b.add_text_field("path", STORED);
    b.add_text_field("sha256", STRING | STORED);
    b.add_u64_field(
        "paragraph",
        NumericOptions::default().set_stored().set_fast(),
    );
    b.add_u64_field("start", STORED);
    b.add_u64_field("end", STORED);
    b.add_text_field("title", text(TOKENIZER_EN));
    b.add_text_field("publisher", STRING | STORED);
    b.add_text_field("genre", STRING | STORED);
    b.add_text_field("language", STRING | STORED);
    b.add_date_field("published", DateOptions::default().set_indexed().set_fast());
    b.add_text_field("published_text", STORED);
    b.add_text_field("text_en", text(TOKENIZER_EN));
    b.add_text_field("text_es", text(TOKENIZER_ES));
    b.add_facet_field("facet", FacetOptions::default());
    b.add_f64_field("figure", NumericOptions::default().set_indexed().set_fast());
    b.add_u64_field(
        "claim_code",
        NumericOptions::default().set_indexed().set_fast(),
    );
    b.add_text_field("mentions", STORED);
    b.add_text_field("claims", STORED);
    b.build()
}

impl Fields {
    fn of(schema: &Schema) -> Result<Fields> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| Error::Config(format!("the index has no field {name}: rebuild it")))
        };
        Ok(Fields {
            record: f("record")?,
            path_key: f("path_key")?,
            doc: f("doc")?,
            path: f("path")?,
            sha256: f("sha256")?,
            paragraph: f("paragraph")?,
            start: f("start")?,
            end: f("end")?,
            title: f("title")?,
            publisher: f("publisher")?,
            genre: f("genre")?,
            language: f("language")?,
            published: f("published")?,
            published_text: f("published_text")?,
            text_en: f("text_en")?,
            text_es: f("text_es")?,
            facet: f("facet")?,
            figure: f("figure")?,
            claim_code: f("claim_code")?,
            mentions: f("mentions")?,
            claims: f("claims")?,
        })
    }
}

fn analyzer(language: frostem::Algorithm) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stem::CachedStemmer::new(language))
        .build()
}

/// An open cifra index.
pub struct CifraIndex {
    pub index: Index,
    pub fields: Fields,
    pub dir: PathBuf,
}

impl CifraIndex {
    /// Open the index in `dir`, or say clearly why it cannot be opened.
    pub fn open(dir: &Path) -> Result<CifraIndex> {
        check_marker(dir)?;
        if !tantivy_index_in(dir)? {
            return Err(Error::Config(format!(
                "no index at {} yet: `cifra index` is creating it, or was stopped while creating it (run it again)",
                dir.display()
            )));
        }
        let index = Index::open_in_dir(dir).map_err(|e| {
            Error::Config(format!("cannot open the index in {}: {e}", dir.display()))
        })?;
        Self::ready(index, dir)
    }

    /// Open the index in `dir`, creating it (and the folder) when absent.
    ///
    /// The marker is written first, atomically, and the tantivy index
    /// second: a run killed in between leaves a folder that is known as
    /// cifra's, in which the next run creates the index.
    pub fn open_or_create(dir: &Path) -> Result<CifraIndex> {
        if dir.join(MARKER).exists() {
            check_marker(dir)?;
            if tantivy_index_in(dir)? {
                return Self::open(dir);
            }
        } else {
            if !holds_nothing(dir)? {
                return Err(Error::Config(format!(
                    "{} is not empty and not a cifra index; give a new or empty folder",
                    dir.display()
                )));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
            let marker = serde_json::json!({"cifra": env!("CARGO_PKG_VERSION"), "schema_version": SCHEMA_VERSION});
            let (temporary, path) = (dir.join(MARKER_TMP), dir.join(MARKER));
            std::fs::write(&temporary, format!("{marker}\n"))
                .and_then(|()| std::fs::rename(&temporary, &path))
                .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        }
        let index = Index::create_in_dir(dir, schema()).map_err(|e| {
            Error::Config(format!("cannot create an index in {}: {e}", dir.display()))
        })?;
        Self::ready(index, dir)
    }

    fn ready(index: Index, dir: &Path) -> Result<CifraIndex> {
        index
            .tokenizers()
            .register(TOKENIZER_EN, analyzer(frostem::Algorithm::English));
        index
            .tokenizers()
            .register(TOKENIZER_ES, analyzer(frostem::Algorithm::Spanish));
        let fields = Fields::of(&index.schema())?;
        Ok(CifraIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// Every indexed report: its path key and sha256, from the last commit.
    pub fn reports(&self) -> Result<BTreeMap<String, String>> {
        let reader = self.index.reader().map_err(tantivy_error)?;
        let searcher = reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.record, "report"),
            IndexRecordOption::Basic,
        );
        let found = searcher
            .search(&query, &DocSetCollector)
            .map_err(tantivy_error)?;
        let mut out = BTreeMap::new();
        for address in found {
            let doc: TantivyDocument = searcher.doc(address).map_err(tantivy_error)?;
            let text = |f: Field| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            out.insert(text(self.fields.path_key), text(self.fields.sha256));
        }
        Ok(out)
    }

    /// The payload of the last commit (what that run indexed), if any.
    pub fn last_payload(&self) -> Option<String> {
        self.index.load_metas().ok()?.payload
    }
}

/// `dir` is missing, or empty but for a marker that was being written.
fn holds_nothing(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.all(|e| e.is_ok_and(|e| e.file_name() == MARKER_TMP))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(Error::io(format!("cannot read {}", dir.display()), e)),
    }
}

/// `dir` has cifra's marker, of this schema version: or say why not.
fn check_marker(dir: &Path) -> Result<()> {
    if holds_nothing(dir).unwrap_or(false) {
        return Err(Error::Config(format!(
            "no index at {}: build one with `cifra index REPORTS --index {}`",
            dir.display(),
            dir.display()
        )));
    }
    let marker = dir.join(MARKER);
    let text = std::fs::read_to_string(&marker).map_err(|_| {
        Error::Config(format!(
            "{} is not a cifra index (it has no {MARKER}); give the folder that `cifra index --index` wrote",
            dir.display()
        ))
    })?;
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["schema_version"].as_u64());
    if version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(Error::Config(format!(
            "{} was built by another version of cifra; delete it and run `cifra index` again",
            dir.display()
        )));
    }
    Ok(())
}

/// Whether tantivy's index (its `meta.json`, written atomically) is in `dir`.
fn tantivy_index_in(dir: &Path) -> Result<bool> {
    let directory = MmapDirectory::open(dir)
        .map_err(|e| Error::Config(format!("cannot open the index in {}: {e}", dir.display())))?;
    Index::exists(&directory)
        .map_err(|e| Error::Config(format!("cannot open the index in {}: {e}", dir.display())))
}

pub(crate) fn tantivy_error(e: tantivy::TantivyError) -> Error {
    Error::Config(format!("index error: {e}"))
}

/// What an indexing run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub paragraphs: usize,
    pub bytes: u64,
    /// Reports indexed with errors (still indexed, so that they are not
    /// re-read each run), with the first error.
    pub failed: Vec<(String, String)>,
}

/// A file's identity in the index: its absolute path, so that runs from
/// other folders agree.
pub fn path_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn file_sha256(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(crate::ingest::hex(&Sha256::digest(&bytes)))
}

/// Index `inputs` into `index`: skip unchanged files, replace changed ones,
/// add new ones, and with `prune` remove the reports whose files are not
/// among the inputs. `progress` is called once per report read.
pub fn index_inputs(
    index: &CifraIndex,
    extractor: &Extractor,
    config: &Config,
    inputs: &[Input],
    options: &IndexOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<IndexReport> {
    let prune = options.prune;
    let known = index.reports()?;
    let mut report = IndexReport::default();
    let mut todo: Vec<Input> = Vec::new();
    let mut replacing: BTreeSet<String> = BTreeSet::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for input in inputs {
        let key = path_key(&input.path);
        seen.insert(key.clone());
        // Only a report the index holds is read and hashed here, to see
        // whether it changed; a new one is read once, by extraction.
        match known.get(&key) {
            Some(old) if file_sha256(&input.path).is_some_and(|new| *old == new) => {
                report.unchanged += 1;
                progress(input.size);
            }
            Some(_) => {
                replacing.insert(key);
                todo.push(input.clone());
            }
            None => todo.push(input.clone()),
        }
    }
    let pool = pipeline::thread_pool(config.threads)?;
    let (writers, budget) = writer_threads(pool.current_num_threads());
    let mut writer: IndexWriter = index
        .index
        .writer_with_num_threads(writers, budget)
        .map_err(|e| {
            Error::Config(format!(
                "cannot write to the index in {} ({e}); is another `cifra index` running on it?",
                index.dir.display()
            ))
        })?;
    let fields = &index.fields;
    if prune {
        for key in known.keys().filter(|k| !seen.contains(*k)) {
            writer.delete_term(Term::from_field_text(fields.path_key, key));
            report.removed += 1;
        }
    }
    let build = |analyzed: Analyzed| documents(fields, &analyzed);
    // Commit every `commit_bytes` of reports (and at the end): often enough
    // that an interrupted run loses little, rarely enough to cost little.
    // Only ever between two reports: the parts of a large report, with the
    // deletion of its old version, go into one commit, so that a commit
    // never holds part of a report (which the next run, finding its
    // `report` document and sha256, would take as done).
    let mut uncommitted: u64 = 0;
    let mut pending_commit = report.removed > 0;
    // Paragraphs in the earlier parts of the report being written: a
    // part's paragraphs are numbered on from there, as in the whole file.
    let mut paragraph_base: u64 = 0;
    pipeline::each(
        extractor,
        config,
        &pool,
        todo.iter().cloned(),
        &build,
        &mut |batch| {
            for built in batch {
                if built.first_part {
                    paragraph_base = 0;
                    if replacing.contains(&built.key) {
                        writer.delete_term(Term::from_field_text(fields.path_key, &built.key));
                        report.updated += 1;
                    } else {
                        report.added += 1;
                    }
                }
                report.paragraphs += built.paragraphs.len();
                report.bytes += built.bytes;
                if let Some(e) = built.error {
                    report.failed.push((built.shown.clone(), e));
                }
                let count = built.paragraphs.len() as u64;
                for (number, mut doc) in built.paragraphs {
                    doc.add_u64(fields.paragraph, paragraph_base + number);
                    writer.add_document(doc).map_err(tantivy_error)?;
                }
                paragraph_base += count;
                if let Some(doc) = built.report {
                    writer.add_document(doc).map_err(tantivy_error)?;
                }
                progress(built.bytes);
                uncommitted += built.bytes.max(1);
                pending_commit = true;
                if built.last_part && uncommitted >= options.commit_bytes {
                    commit(&mut writer, &report)?;
                    uncommitted = 0;
                    pending_commit = false;
                }
            }
            Ok(())
        },
    )?;
    if pending_commit {
        commit(&mut writer, &report)?;
    }
    writer.wait_merging_threads().map_err(tantivy_error)?;
    Ok(report)
}

/// tantivy's indexing threads and their memory, for `workers` extraction
/// threads. tantivy's share of an indexing run is about three fifths of
/// extraction's (tokenizing, stemming, the postings), so one tantivy
/// thread keeps up with one or two extraction threads but would cap a
/// many-core machine near one core's indexing speed: give it three
/// threads for every eight of extraction, up to 8, each with 40 MB (at
/// least 128 MB in all, which makes few small segments to merge).
/// Which thread indexes a paragraph does not matter: search orders equal
/// scores by file and paragraph, not by where tantivy put them.
pub fn writer_threads(workers: usize) -> (usize, usize) {
    let threads = (workers * 3 / 8).clamp(1, 8);
    (threads, (threads * (40 << 20)).max(128 << 20))
}

/// How an indexing run behaves.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Remove the reports whose files are not among the inputs.
    pub prune: bool,
    /// Bytes of report text between two commits.
    pub commit_bytes: u64,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            prune: false,
            commit_bytes: 32 << 20,
        }
    }
}

fn commit(writer: &mut IndexWriter, report: &IndexReport) -> Result<()> {
    let payload = serde_json::json!({
        "cifra": env!("CARGO_PKG_VERSION"),
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "paragraphs": report.paragraphs,
    });
    let mut prepared = writer.prepare_commit().map_err(tantivy_error)?;
    prepared.set_payload(&payload.to_string());
    prepared.commit().map_err(tantivy_error)?;
    Ok(())
}

/// One report's (or one part's) tantivy documents: its paragraphs, then
/// its `report` document.
struct Built {
    key: String,
    /// Not a later part of a large report (whose first part replaced the
    /// report's old documents and counted it).
    first_part: bool,
    /// Not an earlier part of a large report: the report ends here.
    last_part: bool,
    shown: String,
    bytes: u64,
    error: Option<String>,
    /// The paragraph documents, each with its paragraph's number in the
    /// part (the `paragraph` field, numbered through the file, is added
    /// when they are written, in order).
    paragraphs: Vec<(u64, TantivyDocument)>,
    /// The `report` document: one per report, with its last part.
    report: Option<TantivyDocument>,
}

fn documents(f: &Fields, analyzed: &Analyzed) -> Built {
    let d = &analyzed.document;
    let key = path_key(Path::new(&d.path));
    let offset = d.part.map_or(0, |p| p.offset);
    let meta = &d.metadata;
    let published = meta.published.as_deref();
    let published_day = published.and_then(|p| {
        crate::claims::view::bound(p, false)
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .map(|t| DateTime::from_timestamp_secs(t.and_utc().timestamp()))
    });
    let common = |doc: &mut TantivyDocument| {
        doc.add_text(f.path_key, &key);
        doc.add_text(f.doc, &d.name);
        doc.add_text(f.path, &d.path);
        doc.add_text(f.sha256, &d.sha256);
        if let Some(t) = &meta.title {
            doc.add_text(f.title, t);
        }
        if let Some(p) = &meta.publisher {
            doc.add_text(f.publisher, p);
        }
        if let Some(g) = &meta.genre {
            doc.add_text(f.genre, g);
        }
        if let Some(lang) = meta.language {
            doc.add_text(f.language, lang.as_str());
        }
        if let Some(p) = published {
            doc.add_text(f.published_text, p);
        }
        if let Some(day) = published_day {
            doc.add_date(f.published, day);
        }
    };
    let text_field = match meta.language {
        Some(Language::Es) => f.text_es,
        _ => f.text_en,
    };
    let mut by_paragraph = jsonl::arrays_by_paragraph(analyzed);
    let mut facets: HashMap<usize, BTreeSet<String>> = HashMap::default();
    let mut figures: HashMap<usize, Vec<f64>> = HashMap::default();
    for m in &analyzed.mentions {
        match &m.detail {
            MentionDetail::Named { canonical } => {
                facets
                    .entry(m.paragraph)
                    .or_default()
                    .insert(facet_path(m.kind.as_str(), canonical));
            }
            MentionDetail::Figure(fig) if m.kind == MentionKind::Figure => {
                figures.entry(m.paragraph).or_default().push(fig.value);
            }
            _ => {}
        }
    }
    let mut codes: HashMap<usize, Vec<u64>> = HashMap::default();
    for c in &analyzed.claims {
        if let Some(category) = &c.category {
            facets
                .entry(c.paragraph)
                .or_default()
                .insert(facet_path("category", category));
            codes
                .entry(c.paragraph)
                .or_default()
                .push(claim_code(category, c.figure.value));
        }
    }
    let mut docs = Vec::with_capacity(analyzed.segmented.paragraphs.len());
    for p in &analyzed.segmented.paragraphs {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.record, "paragraph");
        common(&mut doc);
        // A part's offsets count from the part: stored from the file's start.
        doc.add_u64(f.start, offset + p.span.start as u64);
        doc.add_u64(f.end, offset + p.span.end as u64);
        doc.add_text(text_field, p.span.of(&d.text));
        let mut paragraph_facets = facets.remove(&p.index).unwrap_or_default();
        if let Some(lang) = meta.language {
            paragraph_facets.insert(facet_path("language", lang.as_str()));
        }
        if let Some(year) = published.and_then(|p| p.get(..4)) {
            paragraph_facets.insert(facet_path("year", year));
        }
        if let Some(publisher) = &meta.publisher {
            paragraph_facets.insert(facet_path("publisher", publisher));
        }
        for path in paragraph_facets {
            doc.add_facet(f.facet, Facet::from_path(path.split('\u{1}')));
        }
        for v in figures.remove(&p.index).unwrap_or_default() {
            doc.add_f64(f.figure, v);
        }
        for code in codes.remove(&p.index).unwrap_or_default() {
            doc.add_u64(f.claim_code, code);
        }
        let (mentions, claims) = by_paragraph
            .get_mut(p.index)
            .map(std::mem::take)
            .unwrap_or_else(|| ("[]".to_string(), "[]".to_string()));
        doc.add_text(f.mentions, mentions);
        doc.add_text(f.claims, claims);
        docs.push((p.index as u64, doc));
    }
    let last_part = d.part.is_none_or(|p| p.number == p.count);
    let report = last_part.then(|| {
        let mut report_doc = TantivyDocument::default();
        report_doc.add_text(f.record, "report");
        common(&mut report_doc);
        report_doc
    });
    Built {
        key,
        first_part: d.part.is_none_or(|p| p.number == 1),
        last_part,
        shown: d.path.clone(),
        bytes: d.text.len() as u64,
        error: d.errors.first().cloned(),
        paragraphs: docs,
        report,
    }
}

/// Bits of a claim code that hold the value; the category's hash sits above.
pub const CLAIM_VALUE_BITS: u32 = 50;

/// A claim's category and value in one number, so that "a claim of this
/// category with a value in this range" is one range query: a 13-bit hash
/// of the category, then the value rounded down (capped at 2^50). Queries
/// also require the category's facet, so a hash collision cannot let
/// another category's claim through unless the paragraph has both.
pub fn claim_code(category: &str, value: f64) -> u64 {
    (category_hash(category) << CLAIM_VALUE_BITS) | claim_value_bits(value.floor())
}

/// The value part of a claim code.
pub fn claim_value_bits(value: f64) -> u64 {
    let max = (1u64 << CLAIM_VALUE_BITS) - 1;
    if value <= 0.0 {
        0
    } else {
        (value as u64).min(max)
    }
}

/// 1..=8191, from the lower-cased category (FNV-1a).
pub fn category_hash(category: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in category.to_lowercase().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 8191 + 1
}

/// A facet path (`/place/Guerrero`), its two segments joined by `\u{1}`
/// so that a `/` inside a name stays inside its segment.
fn facet_path(kind: &str, value: &str) -> String {
    format!("{kind}\u{1}{value}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_threads_grow_with_the_workers_within_tantivys_limits() {
        // tantivy refuses less than 15 MB or 4 GB and more per thread.
        let (min, max) = (15 << 20, 4 << 30);
        let mut last = 0;
        for workers in 1..=256 {
            let (threads, budget) = writer_threads(workers);
            assert!((1..=8).contains(&threads), "{workers}: {threads}");
            assert!(
                threads >= last,
                "{workers}: fewer threads than for fewer workers"
            );
            assert!(
                budget / threads >= min && budget / threads < max,
                "{workers}: {budget}"
            );
            last = threads;
        }
        assert_eq!(writer_threads(2), (1, 128 << 20));
        assert_eq!(writer_threads(16), (6, 6 * (40 << 20)));
        assert_eq!(writer_threads(64).0, 8);
    }
}

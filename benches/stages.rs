//! Throughput of each stage alone, on one thread, over the bundled corpus
//! repeated to about 8 MB (set `CIFRA_STAGE_MB` to change): decode (bytes
//! to a document), paragraphs and sentences, figures, dates, the listed
//! names (gazetteer), claims and JSON output. Each stage's input is made
//! once, outside its timed loop. Run: `cargo bench --bench stages`
//! (`cifra bench` times the same stages inside one real run).

mod common;

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use cifra::extract::dates::{Anchor, DateGrammar};
use cifra::extract::numbers::FigureGrammar;
use cifra::extract::salience::Salience;
use cifra::extract::tokens::tokenize;
use cifra::segment::{Segmented, SentenceSplitter};
use cifra::{Dictionaries, Language, Span};

/// The match text of every corpus document with its paragraph spans and language.
fn paragraphs(target_bytes: usize) -> (Vec<(String, Vec<Span>, Language)>, usize) {
    let dicts = Dictionaries::embedded();
    let splitter = SentenceSplitter::new(&dicts).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "csv"))
        .collect();
    paths.sort();
    let mut one_pass = Vec::new();
    for path in paths {
        let raw = std::fs::read(&path).unwrap();
        let doc = cifra::ingest::from_bytes(&path, "bench", &raw);
        let segmented = Segmented::new(&doc, &splitter);
        let spans: Vec<Span> = segmented.paragraphs.iter().map(|p| p.span).collect();
        let lang = doc.metadata.language.unwrap_or(Language::En);
        one_pass.push((doc.match_text().into_owned(), spans, lang));
    }
    let pass_bytes: usize = one_pass
        .iter()
        .map(|(_, spans, _)| spans.iter().map(Span::len).sum::<usize>())
        .sum();
    let copies = target_bytes.div_ceil(pass_bytes);
    let all: Vec<_> = (0..copies).flat_map(|_| one_pass.iter().cloned()).collect();
    (all, pass_bytes * copies)
}

fn stages(c: &mut Criterion) {
    let megabytes: usize = std::env::var("CIFRA_STAGE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let (docs, bytes) = paragraphs(megabytes << 20);
    let dicts = Dictionaries::embedded();
    let figures = FigureGrammar::new(&dicts).unwrap();
    let salience = Salience::new(&dicts).unwrap();
    let dates = DateGrammar::new(&dicts).unwrap();
    let anchor = Anchor::parse(Some("2019-11-20"));
    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function(format!("figures ({} MB of paragraphs)", bytes >> 20), |b| {
        b.iter(|| {
            let mut found = 0;
            for (text, spans, lang) in &docs {
                for span in spans {
                    let tokens = tokenize(text, *span);
                    found += figures.find(text, &tokens, *lang, &salience).len();
                }
            }
            found
        })
    });
    group.bench_function(format!("dates ({} MB of paragraphs)", bytes >> 20), |b| {
        b.iter(|| {
            let mut found = 0;
            for (text, spans, _) in &docs {
                for span in spans {
                    found += dates.find(text, *span, &anchor).len();
                }
            }
            found
        })
    });
    let dicts = Dictionaries::embedded();
    let gazetteer = cifra::extract::gazetteer::Gazetteer::new(&dicts).unwrap();
    group.bench_function(
        format!("gazetteer ({} MB of paragraphs)", bytes >> 20),
        |b| {
            b.iter(|| {
                let mut found = 0;
                for (text, spans, _) in &docs {
                    for span in spans {
                        found += gazetteer.find(text, *span, Some(2015)).len();
                    }
                }
                found
            })
        },
    );
    group.finish();

    // Whole-document stages, over the raw files repeated to the same size.
    let raw = common::raw_corpus(megabytes << 20);
    let raw_bytes: usize = raw.iter().map(|(_, b)| b.len()).sum();
    let mut group = c.benchmark_group("documents");
    group.throughput(Throughput::Bytes(raw_bytes as u64));
    group.sample_size(10);
    let mb = raw_bytes >> 20;
    group.bench_function(format!("decode ({mb} MB of files)"), |b| {
        b.iter(|| {
            raw.iter()
                .map(|(path, bytes)| cifra::ingest::from_bytes(path, "bench", bytes).text.len())
                .sum::<usize>()
        })
    });
    let splitter = SentenceSplitter::new(&dicts).unwrap();
    let documents: Vec<_> = raw
        .iter()
        .map(|(path, bytes)| cifra::ingest::from_bytes(path, "bench", bytes))
        .collect();
    group.bench_function(format!("paragraphs and sentences ({mb} MB)"), |b| {
        b.iter(|| {
            documents
                .iter()
                .map(|d| Segmented::new(d, &splitter).sentences.len())
                .sum::<usize>()
        })
    });
    let extractor = cifra::Extractor::new(&dicts).unwrap();
    let analyzed: Vec<_> = documents
        .iter()
        .map(|d| extractor.analyze(d.clone()))
        .collect();
    let claims = cifra::claims::ClaimBuilder::new(&dicts).unwrap();
    group.bench_function(format!("claims ({mb} MB)"), |b| {
        b.iter(|| {
            analyzed
                .iter()
                .map(|a| claims.build(&a.document, &a.segmented, &a.mentions).len())
                .sum::<usize>()
        })
    });
    group.bench_function(format!("JSON output ({mb} MB)"), |b| {
        b.iter(|| {
            analyzed
                .iter()
                .map(|a| cifra::OutputFormat::Jsonl.render(a).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

//! Indexing throughput and query latency on a generated corpus.
//!
//! Generates `CIFRA_INDEX_MB` MB (default 64; the README's figures use
//! 1024) of reports from the paragraphs of `corpus/` (`cifra::generate`:
//! .txt, .md, .html, PDF-extracted text, Windows-1252 and UTF-16), then:
//! 1. extracts them without writing (the extraction share), and indexes
//!    them from scratch (`index_inputs`), printing MB/s for both;
//! 2. runs a fixed set of queries 50 times each and prints p50 / p99;
//! 3. runs criterion on indexing a 4 MB slice and on each query.
//!
//! Run: `cargo bench --bench index` (`CIFRA_INDEX_MB=1024` for the big one).

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use cifra::generate::{write_corpus, Sources};
use cifra::index::search::SearchRequest;
use cifra::index::{index_inputs, CifraIndex, IndexOptions};
use cifra::pipeline::{self, Config};
use cifra::{Dictionaries, Extractor};

fn queries() -> Vec<SearchRequest> {
    let q = |text: &str| SearchRequest {
        query: Some(text.into()),
        limit: 10,
        ..Default::default()
    };
    let mut set = vec![
        q("tortura"),
        q("disappeared"),
        q("\"Guardia Nacional\""),
        q("Ayotzinapa"),
        q("Tlatlaya OR Nochixtlán"),
        q("soldiers killed"),
        q("desaparicion forzada"),
        q("Mérida -Congress"),
    ];
    set.push(SearchRequest {
        place: Some("Guerrero".into()),
        ..q("students")
    });
    set.push(SearchRequest {
        category: Some("disappeared".into()),
        min_figure: Some(1000.0),
        ..q("disappeared")
    });
    set.push(SearchRequest {
        entity: Some("CNDH".into()),
        ..q("recomendación")
    });
    set.push(SearchRequest {
        language: Some("es".into()),
        since: chrono::NaiveDate::from_ymd_opt(2015, 1, 1),
        ..q("militares")
    });
    set
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn index_bench(c: &mut Criterion) {
    let megabytes: u64 = std::env::var("CIFRA_INDEX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let work = tempfile::tempdir().unwrap();
    let docs_dir = work.path().join("docs");
    let paths = write_corpus(&Sources::embedded(), &docs_dir, megabytes << 20, 42).unwrap();
    let inputs = pipeline::collect_inputs(std::slice::from_ref(&docs_dir), &[]).documents;
    let bytes: u64 = inputs.iter().map(|i| i.size).sum();
    let extractor = Extractor::new(&Dictionaries::embedded()).unwrap();
    let config = Config::new();

    let started = Instant::now();
    pipeline::run(
        &extractor,
        &config,
        inputs.iter().cloned(),
        &mut std::io::sink(),
        &mut |_| {},
    )
    .unwrap();
    let extract_s = started.elapsed().as_secs_f64();

    let index_dir = work.path().join("idx");
    let index = CifraIndex::open_or_create(&index_dir).unwrap();
    let started = Instant::now();
    let report = index_inputs(
        &index,
        &extractor,
        &config,
        &inputs,
        &IndexOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let index_s = started.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!(
        "generated {} reports, {mb:.1} MB; {} paragraphs indexed",
        paths.len(),
        report.paragraphs
    );
    println!("extract only: {extract_s:.1} s, {:.1} MB/s", mb / extract_s);
    println!("extract + index: {index_s:.1} s, {:.1} MB/s", mb / index_s);

    let set = queries();
    for r in &set {
        index.search(r).unwrap();
    }
    let mut times = Vec::new();
    for _ in 0..50 {
        for r in &set {
            let t = Instant::now();
            std::hint::black_box(index.search(r).unwrap());
            times.push(t.elapsed());
        }
    }
    times.sort();
    println!(
        "query latency over {} runs of {} queries: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len() / set.len(),
        set.len(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );

    // Criterion: indexing a 4 MB slice into a fresh index, and each query.
    let mut slice = Vec::new();
    let mut slice_bytes = 0;
    for input in &inputs {
        if slice_bytes >= 4 << 20 {
            break;
        }
        slice_bytes += input.size;
        slice.push(input.clone());
    }
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Bytes(slice_bytes));
    group.sample_size(10);
    group.bench_function(
        format!("{} MB slice, fresh index", slice_bytes >> 20),
        |b| {
            b.iter(|| {
                let dir = tempfile::tempdir().unwrap();
                let fresh = CifraIndex::open_or_create(dir.path()).unwrap();
                index_inputs(
                    &fresh,
                    &extractor,
                    &config,
                    &slice,
                    &IndexOptions::default(),
                    &mut |_| {},
                )
                .unwrap()
            })
        },
    );
    group.finish();
    let mut group = c.benchmark_group("query");
    group.measurement_time(Duration::from_secs(2));
    for (n, r) in set.iter().enumerate() {
        let name = format!("{n:02} {}", r.query.as_deref().unwrap_or(""));
        group.bench_function(name, |b| b.iter(|| index.search(r).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, index_bench);
criterion_main!(benches);

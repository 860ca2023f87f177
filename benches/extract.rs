//! End-to-end extraction throughput (decode → segment → extract → render
//! JSONL) over the bundled corpus repeated to about 50 MB (set
//! `CIFRA_BENCH_MB` to change), on all cores. Run: `cargo bench --bench extract`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;

use cifra::{Dictionaries, Extractor, OutputFormat};

fn extract(c: &mut Criterion) {
    let megabytes: usize = std::env::var("CIFRA_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let docs = common::raw_corpus(megabytes << 20);
    let bytes: usize = docs.iter().map(|(_, b)| b.len()).sum();
    let extractor = Extractor::new(&Dictionaries::embedded()).unwrap();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function(
        format!("corpus x{} ({} MB), jsonl", docs.len(), bytes >> 20),
        |b| {
            b.iter(|| {
                docs.par_iter()
                    .map(|(path, raw)| {
                        let shown = path.display().to_string();
                        let doc = cifra::ingest::from_bytes(path, &shown, raw);
                        OutputFormat::Jsonl.render(&extractor.analyze(doc)).len()
                    })
                    .sum::<usize>()
            })
        },
    );
    group.finish();
}

criterion_group!(benches, extract);
criterion_main!(benches);

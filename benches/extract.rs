//! End-to-end extraction throughput (decode → segment → extract → render
//! JSONL) over the bundled corpus repeated to about 50 MB (set
//! `CIFRA_BENCH_MB` to change), on all cores. Run: `cargo bench --bench extract`.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;

use cifra::{Dictionaries, Extractor, OutputFormat};

fn corpus(target_bytes: usize) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("corpus/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "csv"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    let one_pass: usize = files.iter().map(|(_, b)| b.len()).sum();
    let copies = target_bytes.div_ceil(one_pass);
    (0..copies).flat_map(|_| files.iter().cloned()).collect()
}

fn extract(c: &mut Criterion) {
    let megabytes: usize = std::env::var("CIFRA_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let docs = corpus(megabytes << 20);
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

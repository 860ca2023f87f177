//! Arbitrary bytes as a file of each format cifra reads, through decoding,
//! HTML and Markdown parsing, the whole analysis and every output format.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

mod common;

/// The name the bytes are read under, picked by their first byte. PDFs
/// have a target of their own (`pdf`), seeded with real PDFs; adding a
/// name here would change what the kept crashers in
/// `tests/fixtures/fuzz/ingest` mean.
const NAMES: &[&str] = &["report.txt", "report.md", "report.html"];

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(first) % NAMES.len()];
    let doc = cifra::ingest::from_bytes(Path::new(name), name, bytes);
    let analyzed = common::extractor().analyze(doc);
    common::check_analyzed(&analyzed);
    common::check_render(&analyzed);
});

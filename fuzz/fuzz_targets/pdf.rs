//! Arbitrary bytes as a PDF: the PDF reader and page layout, then the
//! whole analysis and every output format. Seeded with small real PDFs
//! (`seeds/pdf`: one column with notes and a running header, two columns,
//! a compressed page with rotated text), so that mutations get past the
//! parser. Whatever the bytes, the record must come back: text and
//! mentions, or an error.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let doc = cifra::ingest::from_bytes(Path::new("report.pdf"), "report.pdf", data);
    assert!(!doc.text.is_empty() || !doc.errors.is_empty(), "no text and no error");
    let analyzed = common::extractor().analyze(doc);
    common::check_analyzed(&analyzed);
    common::check_render(&analyzed);
});

//! Integration tests of `cifra`: the binary end to end (exit codes, output
//! records, offsets into the source) and the library's public API.

mod claims;
mod cli;
mod corpus;
mod crash;
mod determinism;
mod encodings;
mod examples;
mod formats;
mod fuzz_regressions;
mod hostile;
mod library;
#[cfg(feature = "pdf")]
mod pdf;
mod properties;
mod quickwit;
mod resume;
mod search;
mod util;

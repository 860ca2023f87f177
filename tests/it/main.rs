//! Integration tests of `cifra`: the binary end to end (exit codes, output
//! records, offsets into the source) and the library's public API.

mod claims;
mod cli;
mod corpus;
mod determinism;
mod encodings;
mod examples;
mod formats;
mod fuzz_regressions;
mod library;
mod properties;
mod quickwit;
mod search;
mod util;

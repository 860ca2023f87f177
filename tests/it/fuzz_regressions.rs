//! Inputs the fuzz targets (`fuzz/`) found bugs with, kept as regressions.
//! Each file under `tests/fixtures/fuzz/<target>/` is in its target's own
//! input format, so it also replays with `cargo fuzz run <target> FILE`:
//!
//! - `dates`: the first byte picks the document date from [`ANCHORS`], the
//!   rest is the text.
//! - `ingest`: the first byte picks the file extension from [`NAMES`], the
//!   rest is the file.
//! - `pdf`: the file, read as a `.pdf`.
//!
//! A new crasher is a new file; the checks are the fuzz targets' own.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use cifra::document::{fold_whitespace, Span};
use cifra::extract::{Anchor, DateGrammar};
use cifra::{Dictionaries, MentionDetail};

use crate::util::extractor;

/// As in `fuzz/fuzz_targets/dates.rs`.
const ANCHORS: &[Option<&str>] = &[
    None,
    Some("2014-11-07"),
    Some("2014-11"),
    Some("2014"),
    Some("2020-02-29"),
    Some("9999-12-31"),
    Some("0000-01-01"),
];

/// As in `fuzz/fuzz_targets/ingest.rs`.
const NAMES: &[&str] = &["report.txt", "report.md", "report.html"];

fn fixtures(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

/// An ISO value as cifra writes dates: `2014`, `2014-09`, `2014-09-26`,
/// `2014-W38`, or two of them (or `..`) joined by `/`; every day a real
/// calendar day.
fn assert_iso(value: &str, context: &str) {
    let ends: Vec<&str> = value.split('/').collect();
    assert!(ends.len() <= 2, "{context}: {value}");
    for end in ends.into_iter().filter(|e| *e != "..") {
        let parts: Vec<&str> = end.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        assert!(
            digits(parts[0], 4),
            "{context}: {value} has no four-digit year"
        );
        let year: i32 = parts[0].parse().unwrap();
        let ok = match parts[1..] {
            [] => true,
            [w] if w.starts_with('W') => {
                digits(&w[1..], 2) && (1..=53).contains(&w[1..].parse::<u32>().unwrap())
            }
            [m] => digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap()),
            [m, d] => {
                digits(m, 2)
                    && digits(d, 2)
                    && NaiveDate::from_ymd_opt(year, m.parse().unwrap(), d.parse().unwrap())
                        .is_some()
            }
            _ => false,
        };
        assert!(ok, "{context}: {value} is not a calendar date");
    }
}

/// `-001` for `last year` in a document dated year 0, `10000` for `next
/// year` after 9999, `-6986/2014` for `the past 900 decades`: a resolved
/// date outside years 0000–9999 has no value.
#[test]
fn dates_resolve_to_calendar_dates() {
    let grammar = DateGrammar::new(&Dictionaries::embedded()).unwrap();
    for (path, bytes) in fixtures("dates") {
        let context = path.file_name().unwrap().to_string_lossy().into_owned();
        let (first, rest) = bytes.split_first().unwrap();
        let text = std::str::from_utf8(rest).unwrap();
        let anchor = Anchor::parse(ANCHORS[usize::from(*first) % ANCHORS.len()]);
        for paragraph in cifra::segment::paragraphs::split(text, Span::new(0, text.len())) {
            for m in grammar.find(text, paragraph.span, &anchor) {
                assert!(paragraph.span.contains(m.span), "{context}: {:?}", m.span);
                if let Some(value) = &m.value {
                    assert_iso(value, &context);
                }
            }
        }
    }
}

#[test]
fn past_900_decades_has_no_value() {
    let grammar = DateGrammar::new(&Dictionaries::embedded()).unwrap();
    let text = "over the past 900 decades, and the past six years";
    let found = grammar.find(text, Span::new(0, text.len()), &Anchor::parse(Some("2014")));
    let values: Vec<_> = found.iter().map(|m| m.value.as_deref()).collect();
    assert_eq!(values, [None, Some("2008/2014")]);
}

/// The whole pipeline on each file: every mention at its span, dates valid
/// (a page dated year 0 by its `<meta>` or front matter).
#[test]
fn ingest_fixtures_keep_the_contract() {
    for (path, bytes) in fixtures("ingest") {
        let context = path.file_name().unwrap().to_string_lossy().into_owned();
        let (first, rest) = bytes.split_first().unwrap();
        let name = NAMES[usize::from(*first) % NAMES.len()];
        let doc = cifra::ingest::from_bytes(Path::new(name), name, rest);
        let analyzed = extractor().analyze(doc);
        let text = &analyzed.document.text;
        assert!(!analyzed.mentions.is_empty(), "{context}: nothing found");
        for m in &analyzed.mentions {
            assert!(
                text.get(m.span.start..m.span.end).is_some(),
                "{context}: {:?}",
                m.span
            );
            assert_eq!(m.text, fold_whitespace(m.span.of(text)), "{context}");
            if let MentionDetail::Date(Some(value)) = &m.detail {
                assert_iso(value, &context);
            }
        }
        for format in [cifra::OutputFormat::Jsonl, cifra::OutputFormat::Csv] {
            assert!(!format.render(&analyzed).is_empty(), "{context}");
        }
    }
}

/// A PDF whose pages hold nothing but a running header and a page number:
/// both lines of a two-line page were dropped twice, a panic in cifra's own
/// layout code.
#[cfg(feature = "pdf")]
#[test]
fn pdf_fixtures_are_read_or_refused() {
    for (path, bytes) in fixtures("pdf") {
        let context = path.file_name().unwrap().to_string_lossy().into_owned();
        let doc = cifra::ingest::from_bytes(Path::new("report.pdf"), "report.pdf", &bytes);
        assert!(
            !doc.text.is_empty() || !doc.errors.is_empty(),
            "{context}: no text and no error"
        );
        let analyzed = extractor().analyze(doc);
        let text = &analyzed.document.text;
        for m in &analyzed.mentions {
            assert_eq!(m.text, fold_whitespace(m.span.of(text)), "{context}");
        }
    }
}

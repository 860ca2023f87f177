//! The bundled corpus, end to end: one well-formed record per report, every
//! offset pointing at the text it claims, metadata from `metadata.csv`.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::util::{corpus_dir, errors, extract, fold, mentions, s, u};

/// The report files of the corpus (everything but `metadata.csv`), sorted.
fn corpus_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("corpus folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "metadata.csv")
        .collect();
    names.sort();
    names
}

fn corpus_records() -> Vec<Value> {
    let corpus = corpus_dir();
    extract(Path::new("."), &[corpus.to_str().unwrap()], 0)
}

/// `metadata.csv` rows by file name, each a map from column to value.
fn metadata_rows() -> HashMap<String, HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(corpus_dir().join("metadata.csv")).unwrap();
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut rows = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let row: HashMap<String, String> = headers
            .iter()
            .cloned()
            .zip(record.iter().map(String::from))
            .collect();
        rows.insert(row["file"].clone(), row);
    }
    rows
}

/// YYYY, YYYY-MM or YYYY-MM-DD naming a real month and day.
fn is_iso_date_prefix(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if parts.is_empty() || parts.len() > 3 || !digits(parts[0], 4) {
        return false;
    }
    let year: u32 = parts[0].parse().unwrap();
    if parts.len() == 1 {
        return true;
    }
    if !digits(parts[1], 2) {
        return false;
    }
    let month: u32 = parts[1].parse().unwrap();
    if !(1..=12).contains(&month) {
        return false;
    }
    if parts.len() == 2 {
        return true;
    }
    if !digits(parts[2], 2) {
        return false;
    }
    let day: u32 = parts[2].parse().unwrap();
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day)
}

#[test]
fn iso_date_prefix_checker_works() {
    for good in ["2014", "2014-06", "2014-06-30", "2016-02-29"] {
        assert!(is_iso_date_prefix(good), "{good}");
    }
    for bad in [
        "14",
        "2014-6",
        "2014-13",
        "2014-06-31",
        "2015-02-29",
        "June 2014",
        "",
    ] {
        assert!(!is_iso_date_prefix(bad), "{bad}");
    }
}

#[test]
fn one_complete_record_per_file_in_path_order() {
    let files = corpus_files();
    assert_eq!(files.len(), 20, "the corpus has 20 reports: {files:?}");
    let records = corpus_records();
    let docs: Vec<&str> = records.iter().map(|r| s(r, "doc")).collect();
    assert_eq!(docs, files, "one record per file, in file-name order");
    let corpus = corpus_dir();
    for (record, name) in records.iter().zip(&files) {
        for field in [
            "doc",
            "path",
            "sha256",
            "format",
            "language",
            "title",
            "published",
            "publisher",
            "genre",
            "paragraphs",
            "mentions",
            "claims",
            "errors",
        ] {
            assert!(record.get(field).is_some(), "{name}: no field {field}");
        }
        assert_eq!(s(record, "path"), corpus.join(name).display().to_string());
        let sha = s(record, "sha256");
        assert_eq!(sha.len(), 64, "{name}: sha256 {sha}");
        assert!(
            sha.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{name}: sha256 {sha} is not lower-case hex"
        );
        let ext = name.rsplit('.').next().unwrap();
        assert_eq!(s(record, "format"), ext, "{name}: format");
        assert!(errors(record).is_empty(), "{name}: {:?}", errors(record));
        assert!(record["claims"].is_array(), "{name}: claims");
        assert!(
            !record["paragraphs"].as_array().unwrap().is_empty(),
            "{name}: no paragraphs"
        );
        assert!(!mentions(record).is_empty(), "{name}: no mentions");
    }
    // Different files, different hashes.
    let mut hashes: Vec<&str> = records.iter().map(|r| s(r, "sha256")).collect();
    hashes.sort();
    hashes.dedup();
    assert_eq!(hashes.len(), files.len());
}

/// The offset contract: every paragraph and mention span, sliced out of the
/// source text, reads as the record says.
#[test]
fn every_offset_slices_the_source_text() {
    let corpus = corpus_dir();
    let records = corpus_records();
    let mut checked_mentions = 0;
    for record in &records {
        let name = s(record, "doc");
        let path = corpus.join(name);
        let shown = s(record, "path");
        let source = cifra::ingest::read(&path, shown).text;
        let raw = std::fs::read(&path).unwrap();
        let encoding = s(record, "encoding");
        match (s(record, "format"), encoding) {
            ("txt" | "md", "UTF-8") => {
                assert_eq!(
                    source.as_bytes(),
                    raw,
                    "{name}: UTF-8 text is the file itself"
                );
            }
            ("txt" | "md", "windows-1252") => {
                let (decoded, had_errors) =
                    encoding_rs::WINDOWS_1252.decode_without_bom_handling(&raw);
                assert!(!had_errors);
                assert_eq!(source, decoded, "{name}: the windows-1252 decoding");
                assert!(source.contains('ñ'), "{name}: Spanish letters decoded");
            }
            ("html", "UTF-8") => {
                assert!(!source.contains('<'), "{name}: markup left in the text");
            }
            other => panic!("{name}: unexpected format/encoding {other:?}"),
        }

        let paragraphs = record["paragraphs"].as_array().unwrap();
        let mut previous_end = 0;
        for (i, p) in paragraphs.iter().enumerate() {
            assert_eq!(u(p, "index"), i, "{name}: paragraph indexes");
            let (start, end) = (u(p, "start"), u(p, "end"));
            assert!(start < end, "{name}: empty paragraph {p}");
            assert!(start >= previous_end, "{name}: paragraphs overlap at {p}");
            previous_end = end;
            let slice = source
                .get(start..end)
                .unwrap_or_else(|| panic!("{name}: paragraph {i} is off char boundaries"));
            assert_eq!(slice, s(p, "text"), "{name}: paragraph {i}");
        }

        let sentences = record["sentences"].as_array().unwrap();
        for m in mentions(record) {
            let (start, end) = (u(m, "start"), u(m, "end"));
            assert!(start < end, "{name}: empty mention {m}");
            let slice = source
                .get(start..end)
                .unwrap_or_else(|| panic!("{name}: mention off char boundaries: {m}"));
            assert_eq!(fold(slice), s(m, "text"), "{name}: mention {m}");
            let p = &paragraphs[u(m, "paragraph")];
            assert!(
                u(p, "start") <= start && end <= u(p, "end"),
                "{name}: mention {m} is outside its paragraph {p}"
            );
            let sentence = &sentences[u(m, "sentence")];
            assert_eq!(
                u(sentence, "paragraph"),
                u(m, "paragraph"),
                "{name}: mention {m} in sentence {sentence}"
            );
            assert!(
                u(sentence, "start") <= start && start < u(sentence, "end"),
                "{name}: mention {m} starts outside its sentence {sentence}"
            );
            checked_mentions += 1;
        }
    }
    assert!(checked_mentions > 400, "only {checked_mentions} mentions");
}

#[test]
fn metadata_csv_is_used_and_languages_match() {
    let rows = metadata_rows();
    let records = corpus_records();
    assert_eq!(rows.len(), records.len(), "metadata.csv has a row per file");
    let mut spanish = 0;
    for record in &records {
        let name = s(record, "doc");
        let row = rows
            .get(name)
            .unwrap_or_else(|| panic!("{name} not in metadata.csv"));
        let language = s(record, "language");
        assert!(
            matches!(language, "en" | "es"),
            "{name}: language {language}"
        );
        assert_eq!(language, row["language"], "{name}: language");
        spanish += usize::from(language == "es");

        let published = s(record, "published");
        assert!(
            is_iso_date_prefix(published),
            "{name}: published {published}"
        );
        for (field, column) in [
            ("title", "title"),
            ("published", "date"),
            ("publisher", "publisher"),
            ("genre", "genre"),
        ] {
            if !row[column].is_empty() {
                assert_eq!(record[field], row[column].as_str(), "{name}: {field}");
            }
        }
    }
    assert_eq!(spanish, 8, "the corpus has 8 Spanish reports");
}

#[test]
fn windows_1252_report_is_detected() {
    let records = corpus_records();
    let legacy: Vec<&str> = records
        .iter()
        .filter(|r| r["encoding"] != "UTF-8")
        .map(|r| s(r, "doc"))
        .collect();
    assert_eq!(legacy, ["08_ayotzinapa-cinco-anos.txt"]);
    let record = records
        .iter()
        .find(|r| r["doc"] == "08_ayotzinapa-cinco-anos.txt")
        .unwrap();
    assert_eq!(record["encoding"], "windows-1252");
    // Its title comes from metadata.csv, accents intact.
    assert_eq!(
        record["title"],
        "Cinco años sin los 43: lo que cambió y lo que sigue igual"
    );
}

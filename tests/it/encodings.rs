//! One Spanish sentence in every encoding cifra reads: the same figures and
//! dates come out, with offsets into the source text; binary is refused.

use std::fs;

use serde_json::Value;

use crate::util::{errors, extract, mentions, mentions_of, s, u};

const SENTENCE: &str =
    "Más de 170 casos de tortura y 39 desapariciones, según la Comisión, en diciembre de 2006.\n";

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    for unit in std::iter::once(0xFEFF)
        .filter(|_| bom)
        .chain(text.encode_utf16())
    {
        if big_endian {
            bytes.extend_from_slice(&unit.to_be_bytes());
        } else {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
    }
    bytes
}

/// (file name, bytes, expected encoding name)
fn encoded_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(SENTENCE.as_bytes());
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(SENTENCE);
    assert!(!unmappable);
    assert_eq!(cp1252.len(), SENTENCE.chars().count(), "one byte per char");
    vec![
        ("a_utf8.txt", SENTENCE.as_bytes().to_vec(), "UTF-8"),
        ("b_utf8_bom.txt", bom, "UTF-8"),
        ("c_utf16le.txt", utf16(SENTENCE, false, true), "UTF-16LE"),
        ("d_utf16be.txt", utf16(SENTENCE, true, true), "UTF-16BE"),
        ("e_windows1252.txt", cp1252.into_owned(), "windows-1252"),
        (
            "f_utf16le_nobom.txt",
            utf16(SENTENCE, false, false),
            "UTF-16LE",
        ),
    ]
}

/// The figures and the date of SENTENCE, wherever its text starts.
fn assert_sentence_mentions(record: &Value, text_offset: usize) {
    let name = s(record, "doc");
    let figures = mentions_of(record, "figure");
    assert_eq!(figures.len(), 2, "{name}: {record}");
    assert_eq!(figures[0]["text"], "Más de 170", "{name}");
    assert_eq!(figures[0]["value"], 170, "{name}");
    assert_eq!(figures[0]["approx"], "more_than", "{name}");
    assert_eq!(figures[0]["unit"], "count", "{name}");
    assert_eq!(figures[0]["subject"], "casos de tortura", "{name}");
    assert_eq!(figures[1]["text"], "39", "{name}");
    assert_eq!(figures[1]["value"], 39, "{name}");
    assert_eq!(figures[1]["approx"], "exact", "{name}");
    assert_eq!(figures[1]["subject"], "desapariciones", "{name}");
    let dates = mentions_of(record, "date");
    assert_eq!(dates.len(), 1, "{name}: {record}");
    assert_eq!(dates[0]["text"], "diciembre de 2006", "{name}");
    assert_eq!(dates[0]["value"], "2006-12", "{name}");
    assert_eq!(mentions(record).len(), 3, "{name}: {record}");
    // Offsets are byte offsets into the (decoded) UTF-8 text.
    for (m, needle) in [
        (figures[0], "Más de 170"),
        (figures[1], "39"),
        (dates[0], "diciembre de 2006"),
    ] {
        let start = text_offset + SENTENCE.find(needle).unwrap();
        assert_eq!(u(m, "start"), start, "{name}: {m}");
        assert_eq!(u(m, "end"), start + needle.len(), "{name}: {m}");
    }
}

#[test]
fn every_encoding_gives_the_same_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let files = encoded_files();
    for (name, bytes, _) in &files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let records = extract(dir.path(), &["."], 0);
    assert_eq!(records.len(), files.len());
    for (record, (name, bytes, encoding)) in records.iter().zip(&files) {
        assert_eq!(record["doc"], *name);
        assert_eq!(record["encoding"], *encoding, "{name}");
        assert_eq!(record["language"], "es", "{name}");
        assert!(errors(record).is_empty(), "{name}: {:?}", errors(record));
        let bom_len = if *name == "b_utf8_bom.txt" { 3 } else { 0 };
        assert_sentence_mentions(record, bom_len);

        // The source text the offsets point into.
        let path = dir.path().join(name);
        let text = cifra::ingest::read(&path, name).text;
        if *encoding == "UTF-8" {
            // UTF-8 (with or without BOM): offsets are the file's own bytes.
            assert_eq!(text.as_bytes(), &bytes[..], "{name}");
        } else {
            assert_eq!(text, SENTENCE, "{name}: decoded text");
        }
        for m in mentions(record) {
            let slice = &bytes[..];
            let (start, end) = (u(m, "start"), u(m, "end"));
            if *encoding == "UTF-8" {
                assert_eq!(&slice[start..end], s(m, "text").as_bytes(), "{name}: {m}");
            }
            assert_eq!(&text[start..end], s(m, "text"), "{name}: {m}");
        }
    }
    // The same text under every encoding: identical mentions.
    let plain = mentions(&records[0]);
    for record in &records[2..] {
        assert_eq!(mentions(record), plain, "{}", record["doc"]);
    }
}

#[test]
fn binary_bytes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // 4 KB from a linear congruential generator: deterministic noise.
    let mut state: u32 = 12345;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        })
        .collect();
    fs::write(dir.path().join("noise.txt"), &noise).unwrap();
    fs::write(dir.path().join("ok.txt"), SENTENCE).unwrap();
    let records = extract(dir.path(), &["noise.txt", "ok.txt"], 1);
    assert_eq!(records.len(), 2);
    let noise_record = &records[0];
    let errs = errors(noise_record);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("binary"), "{errs:?}");
    assert!(mentions(noise_record).is_empty());
    assert!(noise_record["paragraphs"].as_array().unwrap().is_empty());
    assert_eq!(noise_record["sha256"].as_str().unwrap().len(), 64);
    // The good file beside it is unaffected.
    assert_sentence_mentions(&records[1], 0);
}

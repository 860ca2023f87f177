//! `--format paragraphs`: one record per paragraph, matching the per-report
//! output, and the Quickwit index configuration that loads them
//! (`deploy/quickwit/cifra-paragraphs.yaml`).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{errors, extract, mentions, s, u};

const ENGLISH: &str = "Rights group says police detained 43 students in Iguala

MEXICO CITY, Nov. 7, 2014 — Human Rights Watch said on Friday that police \
detained 43 students in Iguala, Guerrero, on 26 September 2014.

More than 20,000 people have disappeared since 2006, according to the \
National Human Rights Commission (CNDH).
";

const SPANISH: &str = "---
title: Los desaparecidos de Iguala
date: 2015-06
publisher: Centro Prodh
language: es
---
# Los desaparecidos de Iguala

Los 43 estudiantes desaparecidos el 26 de septiembre de 2014 en Iguala, \
Guerrero, siguen sin ser localizados, según la CNDH.

La Procuraduría General de la República abrió 12 averiguaciones previas.
";

/// A folder with an English and a Spanish report and a file cifra cannot
/// read; returns it with the per-report and the per-paragraph records.
fn extracted() -> (tempfile::TempDir, Vec<Value>, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    fs::create_dir(&reports).unwrap();
    fs::write(reports.join("a-iguala.txt"), ENGLISH).unwrap();
    fs::write(reports.join("b-iguala.md"), SPANISH).unwrap();
    fs::write(reports.join("c-scan.pdf"), b"").unwrap();
    let per_report = extract(dir.path(), &["reports", "--format", "jsonl"], 1);
    let per_paragraph = extract(dir.path(), &["reports", "--format", "paragraphs"], 1);
    (dir, per_report, per_paragraph)
}

/// The top-level field names of `field_mappings` in the Quickwit index
/// configuration: the entries written `    - name: NAME`.
fn quickwit_fields() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/quickwit/cifra-paragraphs.yaml");
    let yaml = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut inside = false;
    let mut names = Vec::new();
    for line in yaml.lines() {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if content == "field_mappings:" && indent == 2 {
            inside = true;
            continue;
        }
        if inside && indent <= 2 {
            break;
        }
        if let (true, Some(name)) = (inside, line.strip_prefix("    - name: ")) {
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'),
                "unexpected field name line: {line}"
            );
            names.push(name.to_string());
        }
    }
    names
}

#[test]
fn one_record_per_paragraph_with_its_mentions_and_claims() {
    let (_dir, reports, records) = extracted();
    assert_eq!(reports.len(), 3);
    let readable = &reports[..2];
    assert_eq!(readable[0]["language"], "en", "{}", readable[0]);
    assert_eq!(readable[1]["language"], "es", "{}", readable[1]);

    // The records are the readable reports' paragraphs, in order, then the
    // one record of the unreadable file.
    let paragraphs: usize = readable
        .iter()
        .map(|r| r["paragraphs"].as_array().unwrap().len())
        .sum();
    assert!(paragraphs >= 6, "{readable:?}");
    assert_eq!(records.len(), paragraphs + 1);

    let mut at = 0;
    for report in readable {
        let text_of = report["paragraphs"].as_array().unwrap();
        for p in text_of {
            let r = &records[at];
            at += 1;
            for field in [
                "doc",
                "path",
                "sha256",
                "title",
                "published",
                "publisher",
                "genre",
                "language",
            ] {
                assert_eq!(r[field], report[field], "{field} of {r}");
            }
            assert_eq!(r["paragraph"], p["index"], "{r}");
            assert_eq!(r["start"], p["start"], "{r}");
            assert_eq!(r["end"], p["end"], "{r}");
            assert_eq!(r["text"], p["text"], "{r}");
            assert!(errors(r).is_empty(), "{r}");

            let (start, end) = (u(r, "start"), u(r, "end"));
            for m in mentions(r) {
                assert!(
                    start <= u(m, "start") && u(m, "end") <= end && u(m, "start") < end,
                    "mention outside its paragraph [{start}, {end}): {m}"
                );
            }
            // The same objects as in the per-report record, in its order.
            let index = &p["index"];
            let same_paragraph = |list: &Value| -> Vec<Value> {
                list.as_array()
                    .unwrap()
                    .iter()
                    .filter(|x| &x["paragraph"] == index)
                    .cloned()
                    .collect()
            };
            assert_eq!(
                r["mentions"].as_array().unwrap(),
                &same_paragraph(&report["mentions"])
            );
            assert_eq!(
                r["claims"].as_array().unwrap(),
                &same_paragraph(&report["claims"])
            );
        }
    }

    // Every mention and claim of a report is in one of its paragraphs.
    for report in readable {
        let of_report = |key: &str| {
            records
                .iter()
                .filter(|r| r["doc"] == report["doc"])
                .map(|r| r[key].as_array().unwrap().len())
                .sum::<usize>()
        };
        assert_eq!(of_report("mentions"), mentions(report).len());
        assert_eq!(
            of_report("claims"),
            report["claims"].as_array().unwrap().len()
        );
    }
    let claims: usize = records
        .iter()
        .map(|r| r["claims"].as_array().unwrap().len())
        .sum();
    assert!(claims >= 2, "no claims to compare: {records:?}");

    // `published_date`: the publication date as a day.
    let english = records
        .iter()
        .find(|r| s(r, "doc") == "a-iguala.txt")
        .unwrap();
    assert_eq!(english["published"], "2014-11-07");
    assert_eq!(english["published_date"], "2014-11-07");
    let spanish = records
        .iter()
        .find(|r| s(r, "doc") == "b-iguala.md")
        .unwrap();
    assert_eq!(spanish["published"], "2015-06");
    assert_eq!(spanish["published_date"], "2015-06-01");
    assert_eq!(spanish["publisher"], "Centro Prodh");
}

#[test]
fn a_report_without_paragraphs_gets_one_record_with_its_errors() {
    let (_dir, reports, records) = extracted();
    assert!(!errors(&reports[2]).is_empty());
    let scans: Vec<&Value> = records
        .iter()
        .filter(|r| s(r, "doc") == "c-scan.pdf")
        .collect();
    assert_eq!(scans.len(), 1, "{records:?}");
    let r = scans[0];
    assert_eq!(r["paragraph"], Value::Null, "{r}");
    assert_eq!(r["start"], Value::Null, "{r}");
    assert_eq!(r["end"], Value::Null, "{r}");
    assert_eq!(r["text"], "", "{r}");
    assert!(mentions(r).is_empty() && r["claims"].as_array().unwrap().is_empty());
    assert_eq!(errors(r), errors(&reports[2]));
    assert!(!errors(r).is_empty(), "{r}");
    assert_eq!(r["sha256"], reports[2]["sha256"]);
}

#[test]
fn records_have_every_field_the_quickwit_index_maps() {
    let (_dir, _reports, records) = extracted();
    let fields = quickwit_fields();
    assert!(
        fields.len() >= 10,
        "too few fields read from the YAML: {fields:?}"
    );
    for required in [
        "text",
        "paragraph",
        "mentions",
        "claims",
        "language",
        "published",
    ] {
        assert!(
            fields.iter().any(|f| f == required),
            "{required} not mapped: {fields:?}"
        );
    }
    // Every record, the error record included, has the same keys (one
    // schema for Quickwit and DuckDB), and every mapped field among them.
    let keys = |r: &Value| -> BTreeSet<String> { r.as_object().unwrap().keys().cloned().collect() };
    let first = keys(&records[0]);
    for r in &records {
        assert_eq!(keys(r), first, "{r}");
    }
    for field in &fields {
        assert!(
            first.contains(field),
            "the index maps {field}, records lack it: {first:?}"
        );
    }
}

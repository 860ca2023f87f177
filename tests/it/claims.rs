//! `cifra claims` on the bundled corpus: filters, `--timeline`,
//! `--conflicts`, `--diff`, output formats, bad input; and claim ids that
//! stay the same across runs and thread counts.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{corpus_dir, parse_jsonl, run_in, s};

/// The corpus extracted once per call into `dir/name`, with `threads`.
fn extract_to(dir: &Path, input: &Path, name: &str, threads: &str) -> PathBuf {
    let out = dir.join(name);
    let (code, _, stderr) = run_in(
        dir,
        &[
            "extract",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--threads",
            threads,
            "--quiet",
        ],
    );
    assert_eq!(code, 0, "extract: {stderr}");
    out
}

fn claims(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["claims"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run_in(dir, &all);
    assert_eq!(code, 0, "cifra {all:?}: {stderr}");
    parse_jsonl(&stdout)
}

fn values(claims: &[Value]) -> Vec<(f64, String)> {
    claims
        .iter()
        .map(|c| (c["value"].as_f64().unwrap(), s(c, "doc").to_string()))
        .collect()
}

#[test]
fn filters_keep_the_claims_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = extract_to(dir.path(), &corpus_dir(), "corpus.jsonl", "2");
    let file = out.to_str().unwrap();
    let all = claims(dir.path(), &[file]);
    assert!(all.len() > 100, "{} claims in the corpus", all.len());
    for c in &all {
        for field in [
            "id", "doc", "value", "category", "date", "place", "sentence", "restates",
        ] {
            assert!(c.get(field).is_some(), "claim without {field}: {c}");
        }
    }

    // Accents and case do not matter; the place is matched in its canonical name.
    let killed = claims(
        dir.path(),
        &[file, "--category", "KILLED", "--place", "nochixtlan"],
    );
    assert_eq!(
        values(&killed),
        [
            (6.0, "19_nochixtlan-first-reports.txt".to_string()),
            (8.0, "20_nochixtlan-informe-ong.txt".to_string()),
            (6.0, "20_nochixtlan-informe-ong.txt".to_string()),
        ]
    );
    assert_eq!(s(&killed[0], "attribution"), "Government of Oaxaca");
    assert_eq!(s(&killed[0], "date"), "2016-06-19");

    // A date range, the attribution and the entity filters.
    let by_date = claims(
        dir.path(),
        &[
            file,
            "--category",
            "killed",
            "--since",
            "2016-06",
            "--until",
            "2016-06-30",
        ],
    );
    assert_eq!(values(&by_date), values(&killed));
    let by_source = claims(
        dir.path(),
        &[file, "--attribution", "oaxaca", "--place", "nochixtlán"],
    );
    assert_eq!(values(&by_source), values(&killed[..1]));
    let cndh = claims(dir.path(), &[file, "--entity", "CNDH"]);
    assert!(!cndh.is_empty());
    assert!(
        cndh.iter().all(|c| c.to_string().contains("CNDH")),
        "{cndh:?}"
    );
    let by_doc = claims(
        dir.path(),
        &[file, "--doc", "18_iguala", "--subject", "students"],
    );
    assert!(by_doc.iter().any(|c| c["value"] == 57), "{by_doc:?}");
    assert!(by_doc
        .iter()
        .all(|c| s(c, "doc") == "18_iguala-first-count.txt"));

    // CSV: a header and one row per claim.
    let (code, csv, _) = run_in(
        dir.path(),
        &["claims", file, "--place", "nochixtlan", "--format", "csv"],
    );
    assert_eq!(code, 0);
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("doc,published,publisher,id,value,"));
    assert_eq!(lines.count(), killed.len(), "{csv}");

    // A table for reading.
    let (code, table, _) = run_in(
        dir.path(),
        &[
            "claims",
            file,
            "--category",
            "killed",
            "--place",
            "nochixtlan",
            "--format",
            "table",
        ],
    );
    assert_eq!(code, 0);
    assert!(table.starts_with("value "), "{table}");
    assert!(table.trim_end().ends_with("3 claims"), "{table}");
    assert!(
        table.contains("19_nochixtlan-first-reports.txt ¶1"),
        "{table}"
    );
}

#[test]
fn timeline_orders_each_group_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = extract_to(dir.path(), &corpus_dir(), "corpus.jsonl", "2");
    let rows = claims(
        dir.path(),
        &[
            out.to_str().unwrap(),
            "--timeline",
            "--category",
            "disappeared",
        ],
    );
    assert!(!rows.is_empty());
    let mut previous: Option<(String, String, String)> = None;
    for row in &rows {
        let group = (
            row["group_category"].to_string(),
            row["group_place"].to_string(),
        );
        assert_eq!(s(row, "group_category"), "disappeared");
        assert!(
            row["restates"].is_null(),
            "restatements are left out: {row}"
        );
        let when = row["date"]
            .as_str()
            .or(row["published"].as_str())
            .unwrap_or("9999")
            .to_string();
        if let Some((g0, g1, w)) = &previous {
            if (g0, g1) == (&group.0, &group.1) {
                assert!(w[..4] <= when[..4], "{w} before {when} in {group:?}");
            }
        }
        previous = Some((group.0, group.1, when));
    }
    // Guerrero: the 43 students, and the first count of 57.
    let guerrero: Vec<f64> = rows
        .iter()
        .filter(|r| r["group_place"] == "Guerrero")
        .map(|r| r["value"].as_f64().unwrap())
        .collect();
    assert!(
        guerrero.contains(&43.0) && guerrero.contains(&57.0),
        "{guerrero:?}"
    );
}

/// A conflict as (category, place, [(value, report)]).
type Side = (String, String, Vec<(f64, String)>);

#[test]
fn conflicts_cite_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let out = extract_to(dir.path(), &corpus_dir(), "corpus.jsonl", "2");
    let found = claims(dir.path(), &[out.to_str().unwrap(), "--conflicts"]);
    let summary: Vec<Side> = found
        .iter()
        .map(|k| {
            (
                s(k, "category").to_string(),
                s(k, "place").to_string(),
                values(k["claims"].as_array().unwrap()),
            )
        })
        .collect();
    // The state government's first count against an NGO's documentation.
    assert!(
        summary.contains(&(
            "killed".into(),
            "Nochixtlán".into(),
            vec![
                (6.0, "19_nochixtlan-first-reports.txt".into()),
                (8.0, "20_nochixtlan-informe-ong.txt".into()),
            ]
        )),
        "{summary:#?}"
    );
    // The first count of missing students against the 43.
    assert!(
        summary
            .iter()
            .any(|(cat, place, claims)| cat == "disappeared"
                && place == "Guerrero"
                && claims.iter().any(|c| c.0 == 57.0)
                && claims.iter().any(|c| c.0 == 43.0)),
        "{summary:#?}"
    );
    for k in &found {
        let sides = k["claims"].as_array().unwrap();
        assert!(sides.len() >= 2, "{k}");
        for c in sides {
            assert!(
                !s(c, "sentence").is_empty() && c["paragraph"].is_u64(),
                "{c}"
            );
        }
        // No group is one source contradicting itself.
        let sources: std::collections::BTreeSet<(String, String)> = sides
            .iter()
            .map(|c| (s(c, "doc").to_string(), c["attribution"].to_string()))
            .collect();
        assert!(sources.len() >= 2, "{k}");
    }
}

#[test]
fn diff_reports_added_removed_and_changed_claims() {
    let dir = tempfile::tempdir().unwrap();
    let old_corpus = dir.path().join("old");
    let new_corpus = dir.path().join("new");
    fs::create_dir_all(&old_corpus).unwrap();
    fs::create_dir_all(&new_corpus).unwrap();
    let pick = [
        "18_iguala-first-count.txt",
        "19_nochixtlan-first-reports.txt",
        "20_nochixtlan-informe-ong.txt",
    ];
    for name in pick {
        fs::copy(corpus_dir().join(name), old_corpus.join(name)).unwrap();
    }
    // The new run: one report revised (six → seven), one gone, one new.
    let revised = fs::read_to_string(corpus_dir().join(pick[1]))
        .unwrap()
        .replace("six people were killed", "seven people were killed");
    fs::write(new_corpus.join(pick[1]), revised).unwrap();
    fs::copy(corpus_dir().join(pick[0]), new_corpus.join(pick[0])).unwrap();
    fs::copy(
        corpus_dir().join("01_tlatlaya-army-killings.txt"),
        new_corpus.join("01_tlatlaya-army-killings.txt"),
    )
    .unwrap();
    let old = extract_to(dir.path(), &old_corpus, "old.jsonl", "1");
    let new = extract_to(dir.path(), &new_corpus, "new.jsonl", "2");
    let changes = claims(
        dir.path(),
        &[new.to_str().unwrap(), "--diff", old.to_str().unwrap()],
    );
    let kind = |k: &str, doc: &str| {
        changes
            .iter()
            .filter(|c| s(c, "change") == k && s(&c["claim"], "doc") == doc)
            .count()
    };
    let changed: Vec<&Value> = changes
        .iter()
        .filter(|c| s(c, "change") == "changed")
        .collect();
    assert_eq!(changed.len(), 1, "{changes:#?}");
    assert_eq!(changed[0]["fields"], serde_json::json!(["value"]));
    assert_eq!(changed[0]["old"]["value"], 6);
    assert_eq!(changed[0]["claim"]["value"], 7);
    assert!(kind("added", "01_tlatlaya-army-killings.txt") > 5);
    assert!(kind("removed", pick[2]) >= 2);
    assert_eq!(
        kind("added", pick[0]) + kind("removed", pick[0]),
        0,
        "unchanged report"
    );

    // The table ends with the counts.
    let (code, table, _) = run_in(
        dir.path(),
        &[
            "claims",
            new.to_str().unwrap(),
            "--diff",
            old.to_str().unwrap(),
            "--format",
            "table",
        ],
    );
    assert_eq!(code, 0);
    let last = table.lines().last().unwrap();
    assert!(
        last.contains("1 changed") && last.ends_with("unchanged"),
        "{last}"
    );
    assert!(table.contains("value: 6 → 7"), "{table}");
}

#[test]
fn claim_ids_are_the_same_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let ids = |name: &str, threads: &str| -> Vec<String> {
        let out = extract_to(dir.path(), &corpus_dir(), name, threads);
        claims(dir.path(), &[out.to_str().unwrap()])
            .iter()
            .map(|c| s(c, "id").to_string())
            .collect()
    };
    let one = ids("a.jsonl", "1");
    assert!(one.len() > 100);
    let unique: std::collections::HashSet<&String> = one.iter().collect();
    assert_eq!(unique.len(), one.len(), "ids are unique");
    assert_eq!(one, ids("b.jsonl", "1"), "a second run");
    assert_eq!(one, ids("c.jsonl", "4"), "four threads");
}

#[test]
fn bad_input_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("out.csv");
    fs::write(&csv, "document,paragraph,kind\na.txt,0,figure\n").unwrap();
    let (code, _, stderr) = run_in(dir.path(), &["claims", csv.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("line 1") && stderr.contains("JSON Lines"),
        "{stderr}"
    );

    let other = dir.path().join("other.jsonl");
    fs::write(&other, "{\"name\": 1}\n").unwrap();
    let (code, _, stderr) = run_in(dir.path(), &["claims", other.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("other.jsonl, line 1"), "{stderr}");

    let (code, _, stderr) = run_in(dir.path(), &["claims", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is a folder"), "{stderr}");

    let (code, _, stderr) = run_in(dir.path(), &["claims", "missing.jsonl"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot open missing.jsonl"), "{stderr}");

    fs::write(dir.path().join("empty.jsonl"), "").unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &["claims", "empty.jsonl", "--since", "June 2014"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("--since June 2014"), "{stderr}");

    let (code, _, stderr) = run_in(
        dir.path(),
        &["claims", "empty.jsonl", "--timeline", "--conflicts"],
    );
    assert_eq!(code, 2, "two views at once: {stderr}");
}

#[test]
fn a_bad_record_after_good_ones_leaves_no_file_and_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = extract_to(dir.path(), &corpus_dir(), "good.jsonl", "2");
    let records = fs::read_to_string(&good).unwrap();
    let lines = records.lines().count();
    let listed = claims(dir.path(), &[good.to_str().unwrap()]);
    assert!(listed.len() > 100, "{}", listed.len());

    // The good records, then a CSV row: the list has streamed the good
    // records' claims by the time it meets the bad line.
    let mixed = dir.path().join("mixed.jsonl");
    fs::write(&mixed, format!("{records}a.txt,0,figure\n")).unwrap();
    for view in [&[][..], &["--timeline"], &["--conflicts"]] {
        let mut args = vec!["claims", "mixed.jsonl", "-o", "out.jsonl"];
        args.extend_from_slice(view);
        let (code, _, stderr) = run_in(dir.path(), &args);
        assert_eq!(code, 2, "{view:?}: {stderr}");
        assert!(
            stderr.contains(&format!("mixed.jsonl, line {}", lines + 1)),
            "{view:?}: {stderr}"
        );
        assert!(!dir.path().join("out.jsonl").exists(), "{view:?}");
        assert!(!dir.path().join("out.jsonl.partial").exists(), "{view:?}");
    }
    // A missing second input is said before anything is written.
    let (code, stdout, stderr) = run_in(dir.path(), &["claims", "good.jsonl", "missing.jsonl"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("cannot open missing.jsonl"), "{stderr}");

    // With -o, the finished file holds what standard output would.
    let (code, _, stderr) = run_in(dir.path(), &["claims", "good.jsonl", "-o", "out.jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    let written = parse_jsonl(&fs::read_to_string(dir.path().join("out.jsonl")).unwrap());
    assert_eq!(written, listed);
    assert!(!dir.path().join("out.jsonl.partial").exists());
}

//! `cifra index` and `cifra search` end to end on the bundled corpus:
//! incremental runs, an interrupted run, accents and stemming in both
//! languages, facets, every filter, and bad queries.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::util::{corpus_dir, parse_jsonl, run_in, s, CIFRA};

/// `cifra index SRC --index IDX --quiet`-less: returns the summary line.
fn index(dir: &Path, src: &Path, extra: &[&str]) -> String {
    let mut args = vec!["index", src.to_str().unwrap(), "--index", "idx"];
    args.extend_from_slice(extra);
    let (code, _, stderr) = run_in(dir, &args);
    assert_eq!(code, 0, "cifra {args:?}: {stderr}");
    stderr.lines().next().unwrap_or_default().to_string()
}

fn search(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--index", "idx", "--json", "--limit", "1000000"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run_in(dir, &all);
    assert_eq!(code, 0, "cifra {all:?}: {stderr}");
    parse_jsonl(&stdout)
}

fn docs(hits: &[Value]) -> Vec<String> {
    let mut d: Vec<String> = hits.iter().map(|h| s(h, "doc").to_string()).collect();
    d.sort();
    d.dedup();
    d
}

/// A copy of the corpus in `dir/src`.
fn corpus_copy(dir: &Path) -> std::path::PathBuf {
    let src = dir.join("src");
    fs::create_dir_all(&src).unwrap();
    for entry in fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, src.join(path.file_name().unwrap())).unwrap();
    }
    src
}

#[test]
fn incremental_runs_add_update_skip_and_prune() {
    let dir = tempfile::tempdir().unwrap();
    let src = corpus_copy(dir.path());
    let first = index(dir.path(), &src, &[]);
    assert!(
        first.contains("20 added, 0 updated, 0 unchanged, 0 removed"),
        "{first}"
    );
    let all = search(dir.path(), &[]);
    let paragraphs = all.len();
    assert!(paragraphs > 200, "{paragraphs} paragraphs");

    let again = index(dir.path(), &src, &[]);
    assert!(
        again.contains("0 added, 0 updated, 20 unchanged, 0 removed"),
        "{again}"
    );
    assert_eq!(search(dir.path(), &[]).len(), paragraphs, "no duplicates");

    // One report changed, one gone (kept without --prune, removed with it).
    let changed = src.join("19_nochixtlan-first-reports.txt");
    let text = fs::read_to_string(&changed).unwrap();
    fs::write(&changed, text.replace("six people", "seven people")).unwrap();
    fs::remove_file(src.join("20_nochixtlan-informe-ong.txt")).unwrap();
    let third = index(dir.path(), &src, &[]);
    assert!(
        third.contains("0 added, 1 updated, 18 unchanged, 0 removed"),
        "{third}"
    );
    assert_eq!(search(dir.path(), &[]).len(), paragraphs);
    let seven = search(dir.path(), &["seven", "--place", "Nochixtlán"]);
    assert_eq!(docs(&seven), ["19_nochixtlan-first-reports.txt"]);
    let six = search(dir.path(), &["\"six people\""]);
    assert!(!docs(&six).contains(&"19_nochixtlan-first-reports.txt".to_string()));

    let pruned = index(dir.path(), &src, &["--prune"]);
    assert!(
        pruned.contains("0 added, 0 updated, 19 unchanged, 1 removed"),
        "{pruned}"
    );
    let left = search(dir.path(), &[]);
    assert!(!docs(&left).contains(&"20_nochixtlan-informe-ong.txt".to_string()));

    // Every hit says where it comes from: its offsets hold the paragraph
    // (in UTF-8 reports, the file's own bytes).
    for hit in &left {
        let (start, end) = (hit["start"].as_u64().unwrap(), hit["end"].as_u64().unwrap());
        assert!(start < end, "{hit}");
        let source = fs::read(src.join(s(hit, "doc"))).unwrap();
        if let (true, Ok(source)) = (s(hit, "doc").ends_with(".txt"), String::from_utf8(source)) {
            // Without a query the snippet is the paragraph's opening.
            let paragraph = &source[start as usize..end as usize];
            let first = s(hit, "snippet").split_whitespace().next().unwrap();
            assert!(paragraph.starts_with(first), "{hit}");
        }
        assert!(hit["mentions"].is_array() && hit["claims"].is_array());
    }
}

#[test]
fn text_search_folds_accents_and_stems_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    index(dir.path(), &corpus_dir(), &[]);
    // Accents: `desaparicion` finds `desaparición`.
    let folded = search(dir.path(), &["desaparicion"]);
    assert!(!folded.is_empty());
    assert_eq!(folded, search(dir.path(), &["desaparición"]));
    for hit in &folded {
        assert_eq!(s(hit, "language"), "es", "{hit}");
    }
    // Stemming: `killings` finds `killed`, `desaparecidos` finds `desaparecida`.
    let killed = search(dir.path(), &["killings", "--language", "en"]);
    assert!(
        killed
            .iter()
            .any(|h| s(h, "snippet").to_lowercase().contains("killed")),
        "{killed:?}"
    );
    // Highlights point at the matched words inside the snippet.
    for hit in &folded {
        let snippet = s(hit, "snippet");
        for range in hit["highlights"].as_array().unwrap() {
            let (a, b) = (
                range[0].as_u64().unwrap() as usize,
                range[1].as_u64().unwrap() as usize,
            );
            let word = cifra::document::fold(&snippet[a..b]);
            assert!(word.starts_with("desaparic"), "{word}");
        }
    }
    // A phrase, OR and NOT.
    let phrase = search(dir.path(), &["\"Guardia Nacional\""]);
    assert!(docs(&phrase).contains(&"13_guardia-nacional-militarizacion.md".to_string()));
    let either = search(dir.path(), &["Tlatlaya OR Nochixtlán"]);
    let only = search(dir.path(), &["Tlatlaya"]);
    assert!(either.len() > only.len());
    let without = search(dir.path(), &["Tlatlaya -CNDH"]);
    assert!(without.len() < only.len());
}

#[test]
fn filters_and_facets() {
    let dir = tempfile::tempdir().unwrap();
    index(dir.path(), &corpus_dir(), &[]);
    let all = search(dir.path(), &[]).len();

    let prodh = search(dir.path(), &["Ayotzinapa", "--entity", "GIEI"]);
    assert!(!prodh.is_empty());
    for hit in &prodh {
        assert!(hit["mentions"].to_string().contains("GIEI"), "{hit}");
    }
    let places = search(dir.path(), &["--kind", "place"]);
    assert!(!places.is_empty() && places.len() < all);
    let guerrero = search(dir.path(), &["--place", "guerrero"]);
    for hit in &guerrero {
        assert!(hit["mentions"].to_string().contains("Guerrero"), "{hit}");
    }
    let spanish = search(dir.path(), &["--language", "es"]);
    assert!(spanish.iter().all(|h| s(h, "language") == "es"));
    let dated = search(dir.path(), &["--since", "2019", "--until", "2020-06"]);
    assert!(!dated.is_empty());
    for hit in &dated {
        let published = s(hit, "published");
        assert!(("2019".."2020-07").contains(&published), "{published}");
    }
    // A claim of the category with a value in the range.
    let big = search(
        dir.path(),
        &["--category", "disappeared", "--min-figure", "1000"],
    );
    assert!(!big.is_empty());
    for hit in &big {
        let claims = hit["claims"].as_array().unwrap();
        assert!(
            claims
                .iter()
                .any(|c| c["category"] == "disappeared" && c["value"].as_f64().unwrap() >= 1000.0),
            "{hit}"
        );
    }
    let small = search(dir.path(), &["--max-figure", "10", "--min-figure", "5"]);
    assert!(!small.is_empty());

    // Paging: offset skips, limit cuts.
    let (_, page, _) = run_in(
        dir.path(),
        &[
            "search", "Mexico", "--index", "idx", "--json", "--limit", "3", "--offset", "2",
        ],
    );
    let page = parse_jsonl(&page);
    let first = search(dir.path(), &["Mexico"]);
    assert_eq!(page.len(), 3);
    assert_eq!(page[0]["paragraph"], first[2]["paragraph"]);
    assert_eq!(page[0]["doc"], first[2]["doc"]);

    // Counts per place, largest first, over the matching set.
    let facets = search(dir.path(), &["--facets", "place", "--since", "2014"]);
    assert!(facets.len() > 5);
    let counts: Vec<u64> = facets
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(facets.iter().any(|f| f["value"] == "Guerrero"));
    let years = search(dir.path(), &["--facets", "year"]);
    let total: u64 = years.iter().map(|f| f["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, all - undated(&dir));
}

/// Paragraphs of reports without a date (no `year` facet).
fn undated(dir: &tempfile::TempDir) -> usize {
    let all = search(dir.path(), &[]);
    all.iter().filter(|h| h["published"].is_null()).count()
}

#[test]
fn bad_queries_and_bad_indexes_get_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    index(dir.path(), &corpus_dir(), &[]);
    for (args, expected) in [
        (vec!["tortura \"Guardia"], "never closed"),
        (vec!["(tortura OR abuso"], "never closed"),
        (vec!["nofield:tortura"], "nofield"),
        (vec!["--kind", "planet"], "--kind planet"),
        (vec!["--facets", "color"], "--facets color"),
        (
            vec!["--entity", "Nonexistent Body"],
            "--entity Nonexistent Body",
        ),
        (vec!["--since", "last year"], "--since last year"),
    ] {
        let mut all = vec!["search", "--index", "idx"];
        all.extend_from_slice(&args);
        let (code, stdout, stderr) = run_in(dir.path(), &all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(stdout, "");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let (code, _, stderr) = run_in(dir.path(), &["search", "x", "--index", "nowhere"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no index at nowhere"), "{stderr}");
    fs::create_dir_all(dir.path().join("other")).unwrap();
    fs::write(dir.path().join("other/file.txt"), "x").unwrap();
    let (code, _, stderr) = run_in(dir.path(), &["search", "x", "--index", "other"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a cifra index"), "{stderr}");
    let (code, _, stderr) = run_in(
        dir.path(),
        &["index", corpus_dir().to_str().unwrap(), "--index", "other"],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("not empty and not a cifra index"),
        "{stderr}"
    );
}

#[test]
fn a_killed_run_leaves_a_searchable_index_that_the_next_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    // Enough reports that the run is still going when it is killed.
    let src = dir.path().join("many");
    fs::create_dir_all(&src).unwrap();
    let texts: Vec<(String, Vec<u8>)> = fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "metadata.csv")
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    for copy in 0..60 {
        for (name, bytes) in &texts {
            fs::write(src.join(format!("{copy:03}-{name}")), bytes).unwrap();
        }
    }
    let files = 60 * texts.len();
    let mut child = Command::new(CIFRA)
        .args([
            "index",
            src.to_str().unwrap(),
            "--index",
            "idx",
            "--quiet",
            "--threads",
            "1",
            "--commit-mb",
            "1",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once a commit has landed (its payload is in meta.json).
    let meta = dir.path().join("idx/meta.json");
    let started = std::time::Instant::now();
    while !fs::read_to_string(&meta).is_ok_and(|m| m.contains("\"added\\\"")) {
        assert!(
            started.elapsed().as_secs() < 60,
            "no commit within a minute"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before a commit was seen"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    // Whatever was committed is searchable, and complete per report.
    let before = search(dir.path(), &[]);
    let paragraphs_of = |hits: &[Value]| {
        let mut n = std::collections::BTreeMap::<String, usize>::new();
        for h in hits {
            *n.entry(s(h, "doc").to_string()).or_default() += 1;
        }
        n
    };

    let summary = index(dir.path(), &src, &[]);
    assert!(summary.contains("0 updated"), "{summary}");
    let hits = search(dir.path(), &[]);
    let mut per_doc = std::collections::BTreeMap::<String, std::collections::BTreeSet<u64>>::new();
    for h in &hits {
        let fresh = per_doc
            .entry(s(h, "doc").to_string())
            .or_default()
            .insert(h["paragraph"].as_u64().unwrap());
        assert!(fresh, "paragraph indexed twice: {h}");
    }
    assert_eq!(per_doc.len(), files, "every report indexed once");
    let after = paragraphs_of(&hits);
    let partial = paragraphs_of(&before);
    assert!(partial.len() < files, "the run was killed before the end");
    assert!(!partial.is_empty(), "a commit happened before the kill");
    for (doc, n) in &partial {
        assert_eq!(Some(n), after.get(doc), "{doc}: a report cut by the kill");
    }
    let again = index(dir.path(), &src, &[]);
    assert!(
        again.contains(&format!("0 added, 0 updated, {files} unchanged")),
        "{again}"
    );
}

/// Hits as (score, file, paragraph, start, end): what an analyst sees,
/// whatever folder the index was built from.
fn ranked(hits: &[Value]) -> Vec<(String, String, u64, u64, u64)> {
    hits.iter()
        .map(|h| {
            let n = |k: &str| h[k].as_u64().unwrap();
            let score = format!("{:.5}", h["score"].as_f64().unwrap());
            (
                score,
                s(h, "doc").to_string(),
                n("paragraph"),
                n("start"),
                n("end"),
            )
        })
        .collect()
}

#[test]
fn equal_scores_come_by_file_and_paragraph_however_the_index_was_built() {
    // One index built in one run on one thread; the other in two runs on
    // eight (three tantivy threads, which share the paragraphs out as they
    // come), the second half of the files first: tantivy puts the
    // paragraphs at other addresses, in other segments.
    let one = tempfile::tempdir().unwrap();
    let src = corpus_copy(one.path());
    index(one.path(), &src, &["--threads", "1"]);
    let two = tempfile::tempdir().unwrap();
    let src = corpus_copy(two.path());
    let mut names: Vec<_> = fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let held = two.path().join("held");
    fs::create_dir_all(&held).unwrap();
    for name in &names[..names.len() / 2] {
        fs::rename(src.join(name), held.join(name)).unwrap();
    }
    index(two.path(), &src, &["--threads", "8", "--commit-mb", "0"]);
    for name in &names[..names.len() / 2] {
        fs::rename(held.join(name), src.join(name)).unwrap();
    }
    index(two.path(), &src, &["--threads", "8"]);

    for args in [
        &[][..],
        &["--category", "killed"],
        &["--language", "es"],
        &["desaparecidos"],
        &["army OR ejército"],
        &["--kind", "place", "--offset", "7"],
    ] {
        let (keys, other) = (
            ranked(&search(one.path(), args)),
            ranked(&search(two.path(), args)),
        );
        assert!(!keys.is_empty(), "{args:?} found nothing");
        assert_eq!(keys.len(), other.len(), "{args:?}");
        if let Some(i) = (0..keys.len()).find(|&i| keys[i] != other[i]) {
            panic!("{args:?}: hit {i} is {:?}, then {:?}", keys[i], other[i]);
        }
        // Best first; equal scores by file, then paragraph.
        for pair in keys.windows(2) {
            let (x, y) = (&pair[0], &pair[1]);
            let (sx, sy): (f64, f64) = (x.0.parse().unwrap(), y.0.parse().unwrap());
            assert!(sx >= sy, "{args:?}: {x:?} before {y:?}");
            if sx == sy {
                assert!((&x.1, x.2) < (&y.1, y.2), "{args:?}: {x:?} before {y:?}");
            }
        }
    }
    // Without words every paragraph scores the same: the whole list is in
    // file order, the first file's paragraphs first.
    let all = ranked(&search(one.path(), &[]));
    assert_eq!(all[0].1, names[0].to_str().unwrap());
    assert_eq!(all[0].2, 0);
}

//! The output is byte-identical whatever the number of threads, the batch
//! size, or the run.

use std::path::Path;

use cifra::ingest::metadata::MetadataTable;
use cifra::pipeline::{self, Config};
use cifra::{Dictionaries, Extractor};

use crate::util::{corpus_dir, run_in};

fn corpus_output(extra: &[&str]) -> String {
    let corpus = corpus_dir();
    let mut args = vec!["extract", corpus.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run_in(Path::new("."), &args);
    assert_eq!(code, 0, "cifra {args:?}: {stderr}");
    assert_eq!(stderr, "", "--quiet writes nothing on stderr");
    if !extra.contains(&"csv") {
        assert_eq!(stdout.lines().count(), 20, "one JSON line per report");
    } else {
        assert!(stdout.starts_with("document,paragraph,kind,"));
    }
    stdout
}

#[test]
fn same_bytes_for_any_thread_count() {
    let one = corpus_output(&["--threads", "1"]);
    for threads in ["3", "4"] {
        let other = corpus_output(&["--threads", threads]);
        assert!(
            one == other,
            "--threads 1 and --threads {threads} give different output"
        );
    }
    assert!(one == corpus_output(&[]), "default thread count differs");
}

#[test]
fn same_bytes_across_runs() {
    let first = corpus_output(&["--threads", "4"]);
    let second = corpus_output(&["--threads", "4"]);
    assert!(first == second, "two runs give different output");
    let csv_first = corpus_output(&["--threads", "4", "--format", "csv"]);
    let csv_second = corpus_output(&["--threads", "1", "--format", "csv"]);
    assert!(csv_first == csv_second, "CSV differs across thread counts");
}

/// The library pipeline with tiny batches (many batch boundaries) writes the
/// same bytes as the binary.
#[test]
fn small_batches_write_the_same_bytes_as_the_binary() {
    let corpus = corpus_dir();
    let inputs = pipeline::collect_inputs(std::slice::from_ref(&corpus), &[]);
    assert_eq!(inputs.documents.len(), 20);
    assert_eq!(inputs.metadata_files, [corpus.join("metadata.csv")]);
    let extractor = Extractor::new(&Dictionaries::embedded()).unwrap();
    let mut config = Config::new();
    config.threads = Some(2);
    config.batch_bytes = 9_000;
    config.metadata = Some(MetadataTable::load(&inputs.metadata_files[0]).unwrap());
    let mut out = Vec::new();
    let mut seen = 0;
    let summary = pipeline::run(
        &extractor,
        &config,
        inputs.documents.iter().cloned(),
        &mut out,
        &mut |_| seen += 1,
    )
    .unwrap();
    assert_eq!(seen, 20, "progress is reported once per document");
    assert_eq!(summary.documents, 20);
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    let library = String::from_utf8(out).unwrap();
    assert!(
        library == corpus_output(&["--threads", "1"]),
        "the library with small batches differs from the binary"
    );
}

/// `--shard I/N` runs, concatenated, hold exactly the records of one run:
/// each report in one share, none lost, none twice, each record the same
/// bytes (a report's record never depends on the others).
#[test]
fn shards_concatenate_to_the_whole_run() {
    let whole = corpus_output(&["--threads", "2"]);
    let mut parts = Vec::new();
    let mut sizes = Vec::new();
    for i in 1..=3 {
        let (code, stdout, stderr) = run_in(
            Path::new("."),
            &[
                "extract",
                corpus_dir().to_str().unwrap(),
                "--quiet",
                "--shard",
                &format!("{i}/3"),
            ],
        );
        assert_eq!(code, 0, "{stderr}");
        sizes.push(stdout.lines().count());
        parts.push(stdout);
    }
    assert!(
        sizes.iter().all(|&n| n > 0),
        "every share has reports: {sizes:?}"
    );
    let mut joined: Vec<&str> = parts.iter().flat_map(|p| p.lines()).collect();
    let mut expected: Vec<&str> = whole.lines().collect();
    joined.sort();
    expected.sort();
    assert_eq!(joined.len(), 20);
    assert!(joined == expected, "shards differ from the whole run");

    let (code, _, stderr) = run_in(
        Path::new("."),
        &["extract", corpus_dir().to_str().unwrap(), "--shard", "4/3"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("1 ≤ I ≤ N"), "{stderr}");
}

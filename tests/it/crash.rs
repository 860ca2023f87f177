//! Crash safety of `cifra index`, and searching while it writes.
//!
//! Runs killed with SIGKILL at seeded pseudo-random moments (while adding
//! reports, while replacing changed ones, while creating the index) leave
//! an index that opens and searches and holds whole reports only, each
//! once; the next run completes it to exactly what an uninterrupted run
//! writes. Searches made while a run writes all succeed and see whole
//! reports. `CIFRA_KILL_LOOPS` (default 8) sets how many runs are killed,
//! `CIFRA_KILL_SEED` the seed, `CIFRA_KILL_CORPUS_BYTES` the corpus
//! (default 1 MB) and `CIFRA_KILL_LARGE_BYTES` one more report, large
//! enough to be read in parts, for a long run by hand:
//! `CIFRA_KILL_LOOPS=200 CIFRA_KILL_CORPUS_BYTES=8000000
//! CIFRA_KILL_LARGE_BYTES=10000000 cargo test --release --test it crash::runs -- --nocapture`.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cifra::generate::Rng;
use cifra::index::{self, CifraIndex, IndexOptions};

use crate::util::{extractor, generate_corpus, index_contents, run_in, IndexContents, CIFRA};

/// Small commits, so that a run makes several.
const COMMIT_MB: &str = "0.25";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `cifra index SRC --index IDX EXTRA` in the background, output discarded
/// but standard error (its summary).
fn spawn_index(src: &Path, idx: &Path, extra: &[&str]) -> Child {
    Command::new(CIFRA)
        .args([
            "index",
            path(src),
            "--index",
            path(idx),
            "--commit-mb",
            COMMIT_MB,
        ])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {CIFRA}: {e}"))
}

/// `cifra index SRC --index IDX` to its end; its summary line.
fn index_to_end(src: &Path, idx: &Path) -> String {
    let out = spawn_index(src, idx, &[])
        .wait_with_output()
        .unwrap_or_else(|e| panic!("cannot wait for {CIFRA}: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cifra index {}: {stderr}", path(src));
    stderr.lines().next().unwrap_or_default().to_string()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Every report in `got` has exactly the paragraphs it has in `full`: no
/// report cut short, no paragraph twice, no paragraph number twice.
fn assert_whole_reports(got: &IndexContents, full: &IndexContents, when: &str) {
    for (report, keys) in got {
        let numbers: BTreeSet<u64> = keys.iter().map(|k| k.0).collect();
        assert_eq!(
            numbers.len(),
            keys.len(),
            "{when}: {report}: a paragraph indexed twice"
        );
        let want = full
            .get(report)
            .unwrap_or_else(|| panic!("{when}: {report} is not in the corpus"));
        assert_eq!(
            keys.len(),
            want.len(),
            "{when}: {report}: {} of its {} paragraphs",
            keys.len(),
            want.len()
        );
        assert_eq!(keys, want, "{when}: {report}: other paragraphs");
    }
}

/// The index's `report` documents name exactly the reports that have
/// paragraphs in it (what the next run trusts as indexed is there).
fn assert_report_documents(idx: &Path, got: &IndexContents, when: &str) {
    let opened = CifraIndex::open(idx).unwrap_or_else(|e| panic!("{when}: {e}"));
    let reports: BTreeSet<String> = opened.reports().unwrap().into_keys().collect();
    let paths: BTreeSet<String> = got.keys().map(|p| index::path_key(Path::new(p))).collect();
    assert_eq!(reports, paths, "{when}: report documents and paragraphs");
}

/// Every segment file in `idx` belongs to a segment of the last commit:
/// what killed runs wrote and never committed was cleaned away.
fn assert_no_leftover_segments(idx: &Path) {
    let meta: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(idx.join("meta.json")).unwrap()).unwrap();
    let living: BTreeSet<String> = meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    for entry in fs::read_dir(idx).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let (stem, _) = name.split_once('.').unwrap_or((&name, ""));
        if stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) {
            assert!(
                living.contains(stem),
                "{name}: left over in {}",
                idx.display()
            );
        }
    }
}

/// `cifra search` on a folder with no index yet: one clear line, exit 2.
fn assert_no_index_yet(code: i32, stderr: &str, when: &str) {
    assert_eq!(code, 2, "{when}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{when}: {stderr}");
    assert!(stderr.contains("no index at"), "{when}: {stderr}");
    assert!(!stderr.contains("panicked"), "{when}: {stderr}");
}

/// Change one letter in one in `one_in` of the plain-text reports (an `a`
/// or `e` between lower-case letters, in the second half, swapped for the
/// other) where that leaves the paragraphs as they were (not in a running
/// header, say, which would stop being one): a new sha256, so the next run
/// replaces the report, with the same paragraphs at the same offsets.
/// Returns how many were changed.
fn edit_some(files: &[PathBuf], rng: &mut Rng, one_in: usize) -> usize {
    let paragraphs = |file: &Path, bytes: &[u8]| {
        let doc = cifra::ingest::from_bytes(file, "edited", bytes);
        let spans: Vec<(usize, usize)> = cifra::segment::paragraphs::split(&doc.text, doc.body)
            .iter()
            .map(|p| (p.span.start, p.span.end))
            .collect();
        spans
    };
    let mut edited = 0;
    for file in files {
        if file.extension().is_none_or(|e| e != "txt") || rng.below(one_in) != 0 {
            continue;
        }
        let mut bytes = fs::read(file).unwrap();
        let before = paragraphs(file, &bytes);
        let from = (bytes.len() / 2 + rng.below(bytes.len() / 4 + 1)).max(1);
        for i in from..bytes.len().saturating_sub(1) {
            let swap = match bytes[i] {
                b'a' => b'e',
                b'e' => b'a',
                _ => continue,
            };
            if !(bytes[i - 1].is_ascii_lowercase() && bytes[i + 1].is_ascii_lowercase()) {
                continue;
            }
            let old = std::mem::replace(&mut bytes[i], swap);
            if paragraphs(file, &bytes) == before {
                fs::write(file, &bytes).unwrap();
                edited += 1;
                break;
            }
            bytes[i] = old;
        }
    }
    edited
}

#[test]
fn runs_killed_at_random_moments_leave_whole_reports_that_the_next_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("corpus");
    let mut files = generate_corpus(&src, env_or("CIFRA_KILL_CORPUS_BYTES", 1_000_000), 11);
    // A report large enough to be read in parts (over 4 MB), for a long
    // run with a release build.
    let large = env_or("CIFRA_KILL_LARGE_BYTES", 0);
    if large > 0 {
        let file = src.join("large.txt");
        let sources = cifra::generate::Sources::embedded();
        cifra::generate::write_single(&sources, &file, large, 11).unwrap();
        files.push(file);
    }
    // What an uninterrupted run writes, and how long it takes.
    let clean_dir = dir.path().join("clean");
    let started = Instant::now();
    index_to_end(&src, &clean_dir);
    let full_run = started.elapsed();
    let clean = index_contents(dir.path(), &clean_dir).unwrap();
    assert_eq!(clean.len(), files.len(), "every report indexed");
    assert_whole_reports(&clean, &clean, "clean run");
    assert_report_documents(&clean_dir, &clean, "clean run");

    let idx = dir.path().join("idx");
    let loops = env_or("CIFRA_KILL_LOOPS", 8) as usize;
    let mut rng = Rng::new(env_or("CIFRA_KILL_SEED", 7));
    // The reports seen in the index since it was last started afresh: a
    // later kill must never lose one (a replaced report deleted, not added).
    let mut committed: BTreeSet<String> = BTreeSet::new();
    let (mut killed, mut edited, mut afresh) = (0, 0, 0);
    for round in 0..loops {
        if round % 4 == 3 {
            // From nothing again: kills while the index is being created.
            fs::remove_dir_all(&idx).ok();
            committed.clear();
            afresh += 1;
        } else if round > 0 {
            edited += edit_some(&files, &mut rng, 3);
        }
        let delay = full_run.mul_f64(rng.below(900) as f64 / 1000.0);
        let mut child = spawn_index(&src, &idx, &[]);
        std::thread::sleep(delay);
        let when = format!("round {round}, killed after {delay:?}");
        match child.try_wait().unwrap() {
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                killed += 1;
            }
            Some(status) => {
                let mut stderr = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr)
                    .ok();
                assert!(status.success(), "{when}: the run failed: {stderr}");
            }
        }
        match index_contents(dir.path(), &idx) {
            Ok(got) => {
                assert_whole_reports(&got, &clean, &when);
                let paths: BTreeSet<String> = got.keys().cloned().collect();
                if let Some(lost) = committed.difference(&paths).next() {
                    panic!("{when}: {lost} was indexed and is gone");
                }
                assert_report_documents(&idx, &got, &when);
                committed = paths;
            }
            // Killed before the index was created.
            Err((code, stderr)) => {
                assert!(committed.is_empty(), "{when}: the index is gone: {stderr}");
                assert_no_index_yet(code, &stderr, &when);
            }
        }
    }
    eprintln!(
        "crash: {loops} runs, {killed} killed, {afresh} from nothing, {edited} reports changed, full run {full_run:?}"
    );
    assert!(loops == 0 || killed > 0, "no run was killed");

    // An uninterrupted run completes the index: exactly the clean one.
    index_to_end(&src, &idx);
    let got = index_contents(dir.path(), &idx).unwrap();
    assert_eq!(got, clean, "after the kills and a complete run");
    assert_report_documents(&idx, &got, "at the end");
    assert_no_leftover_segments(&idx);
    let again = index_to_end(&src, &idx);
    assert!(
        again.contains(&format!(
            "0 added, 0 updated, {} unchanged, 0 removed",
            files.len()
        )),
        "{again}"
    );
}

/// What one `cifra search` found, or its exit code and standard error.
type Found = Result<IndexContents, (i32, String)>;

/// Search (every paragraph) until `child` ends, then once more; returns
/// what each search found, the last one after the end, and the run's
/// standard error.
fn search_while(mut child: Child, dir: &Path, idx: &Path) -> (Vec<Found>, String) {
    let mut seen = Vec::new();
    loop {
        let running = child.try_wait().unwrap().is_none();
        seen.push(index_contents(dir, idx));
        if !running {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "the index run failed: {stderr}");
    (seen, stderr)
}

#[test]
fn searches_while_an_index_run_writes_succeed_and_see_whole_reports() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("corpus");
    // Batches of 64 reports (one thread): several, with commits between.
    let files = generate_corpus(&src, 1_300_000, 12);
    let one_thread = ["--threads", "1"];
    let idx = dir.path().join("idx");

    // From nothing: before the index exists a search says so; after, every
    // search succeeds and sees whole reports, never fewer than before.
    let (seen, _) = search_while(spawn_index(&src, &idx, &one_thread), dir.path(), &idx);
    let full = seen
        .last()
        .unwrap()
        .clone()
        .expect("a search after the run");
    assert_eq!(full.len(), files.len(), "every report indexed");
    let mut reports = 0;
    let mut found_one = false;
    for (n, result) in seen.iter().enumerate() {
        let when = format!("search {n} of {} during the first run", seen.len());
        match result {
            Ok(got) => {
                found_one = true;
                assert_whole_reports(got, &full, &when);
                assert!(got.len() >= reports, "{when}: fewer reports than before");
                reports = got.len();
            }
            Err((code, stderr)) => {
                assert!(!found_one, "{when}: failed after one succeeded: {stderr}");
                assert_no_index_yet(*code, stderr, &when);
            }
        }
    }
    assert!(seen.len() >= 2, "no search while the run was writing");
    let early = seen.iter().filter(|r| r.is_err()).count();
    let empty = seen
        .iter()
        .filter(|r| r.as_ref().is_ok_and(|c| c.is_empty()))
        .count();
    eprintln!(
        "crash: {} searches during the first run: {early} before the index existed, {empty} before the first commit",
        seen.len() - 1
    );

    // Changed reports replaced while searching: every search sees every
    // report, whole and once, old or new.
    let edited = edit_some(&files, &mut Rng::new(3), 1);
    assert!(edited > 64, "{edited} reports changed");
    let (seen, summary) = search_while(spawn_index(&src, &idx, &one_thread), dir.path(), &idx);
    assert!(
        summary.contains(&format!("0 added, {edited} updated")),
        "{summary}"
    );
    for (n, result) in seen.iter().enumerate() {
        let got = result
            .as_ref()
            .unwrap_or_else(|(code, e)| panic!("search {n} during the update: exit {code}: {e}"));
        assert_eq!(got, &full, "search {n} of {} during the update", seen.len());
    }
    eprintln!(
        "crash: {} searches while {edited} reports were replaced",
        seen.len() - 1
    );
    assert!(seen.len() >= 2, "no search while the run was writing");
}

#[test]
fn a_report_read_in_parts_is_committed_whole_and_numbered_through() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("corpus");
    let sources = cifra::generate::Sources::embedded();
    generate_corpus(&src.join("small"), 30_000, 5);
    for n in 0..3 {
        let file = src.join(format!("large-{n}.txt"));
        cifra::generate::write_single(&sources, &file, 40_000, n).unwrap();
    }
    // Parts of 8 KB, a batch about one part, a commit after every report.
    let mut config = cifra::Config::new();
    config.part_bytes = 8_000;
    config.batch_bytes = 8_000;
    config.threads = Some(1);
    let inputs = cifra::collect_inputs(std::slice::from_ref(&src), &[]).documents;
    let options = IndexOptions {
        prune: false,
        commit_bytes: 1,
    };
    let run = |idx: &Path, progress: &mut dyn FnMut(u64)| {
        let target = CifraIndex::open_or_create(idx).unwrap();
        index::index_inputs(&target, extractor(), &config, &inputs, &options, progress).unwrap()
    };
    let clean_dir = dir.path().join("clean");
    let report = run(&clean_dir, &mut |_| {});
    assert_eq!(report.added, inputs.len());
    let clean = index_contents(dir.path(), &clean_dir).unwrap();
    assert_eq!(clean.len(), inputs.len());
    assert_whole_reports(&clean, &clean, "clean run");
    assert_report_documents(&clean_dir, &clean, "clean run");
    // Paragraphs numbered through the whole file, in its order.
    for (report, keys) in &clean {
        let numbers: Vec<u64> = keys.iter().map(|k| k.0).collect();
        assert_eq!(
            numbers,
            (0..keys.len() as u64).collect::<Vec<_>>(),
            "{report}"
        );
        assert!(keys.windows(2).all(|w| w[0].2 <= w[1].1), "{report}");
    }

    // While the same run goes, each part added: what is committed is whole.
    let idx = dir.path().join("idx");
    let mut checks = 0;
    run(&idx, &mut |_| {
        if let Ok(got) = index_contents(dir.path(), &idx) {
            assert_whole_reports(&got, &clean, &format!("check {checks}"));
            checks += 1;
        }
    });
    assert!(checks > 10, "{checks} checks");
    assert_eq!(index_contents(dir.path(), &idx).unwrap(), clean);
}

#[test]
fn an_index_folder_left_half_created_is_reported_then_completed() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("corpus");
    generate_corpus(&src, 20_000, 13);
    // An empty folder, and one with only the marker (a run killed while
    // creating the index): no index yet, said in one line.
    let idx = dir.path().join("idx");
    fs::create_dir_all(&idx).unwrap();
    let search = |dir: &Path| run_in(dir, &["search", "x", "--index", "idx"]);
    let (code, _, stderr) = search(dir.path());
    assert_no_index_yet(code, &stderr, "an empty folder");
    fs::write(
        idx.join(index::MARKER),
        format!("{{\"schema_version\": {}}}\n", index::SCHEMA_VERSION),
    )
    .unwrap();
    let (code, _, stderr) = search(dir.path());
    assert_no_index_yet(code, &stderr, "a folder with only the marker");
    // The next run creates the index there.
    let summary = index_to_end(&src, &idx);
    assert!(summary.contains(" added, 0 updated"), "{summary}");
    let (code, _, stderr) = search(dir.path());
    assert!(code == 0, "{stderr}");
}

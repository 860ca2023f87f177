//! An interrupted `extract -o FILE` leaves `FILE.partial`, never `FILE`;
//! `--resume` keeps its complete records and writes the rest, so that the
//! finished file is the one an uninterrupted run writes.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{run_in, CIFRA};

#[test]
fn a_killed_run_resumes_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    cifra::generate::write_corpus(&cifra::generate::Sources::embedded(), &corpus, 1_500_000, 7)
        .unwrap();
    for format in ["jsonl", "csv"] {
        let full = format!("full.{format}");
        let (code, _, stderr) = run_in(
            dir.path(),
            &["extract", "corpus", "-o", &full, "--format", format, "-q"],
        );
        assert_eq!(code, 0, "{stderr}");

        let out = format!("cut.{format}");
        let partial = dir.path().join(format!("{out}.partial"));
        let mut child = Command::new(CIFRA)
            .args(["extract", "corpus", "-o", &out, "--format", format, "-q"])
            .args(["--threads", "1"])
            .current_dir(dir.path())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it once it has written some records, but not all.
        let started = Instant::now();
        while std::fs::metadata(&partial).map_or(0, |m| m.len()) < 200_000 {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the run ended before it was killed"
            );
            assert!(started.elapsed() < Duration::from_secs(120));
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!dir.path().join(&out).exists(), "a killed run left {out}");
        let cut = std::fs::read(&partial).unwrap();
        let whole = std::fs::read(dir.path().join(&full)).unwrap();
        assert!(cut.len() < whole.len());

        let (code, _, stderr) = run_in(
            dir.path(),
            &[
                "extract", "corpus", "-o", &out, "--format", format, "--resume",
            ],
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("reports already written"), "{stderr}");
        assert!(!partial.exists());
        let resumed = std::fs::read(dir.path().join(&out)).unwrap();
        assert!(
            resumed == whole,
            "{format}: the resumed output differs from a full run"
        );

        // Resuming a finished run does nothing and says so.
        let (code, _, stderr) = run_in(
            dir.path(),
            &[
                "extract", "corpus", "-o", &out, "--format", format, "--resume",
            ],
        );
        assert_eq!(code, 0);
        assert!(stderr.contains("nothing to resume"), "{stderr}");
    }
}

#[test]
fn resume_refuses_what_it_cannot_continue() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "In 2014, 43 students disappeared.\n",
    )
    .unwrap();
    // No output file to go on with.
    let (code, _, stderr) = run_in(dir.path(), &["extract", "a.txt", "--resume"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--resume needs -o FILE"), "{stderr}");
    // A partial file that is not cifra's output.
    std::fs::write(dir.path().join("out.jsonl.partial"), "hello\n").unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &["extract", "a.txt", "-o", "out.jsonl", "--resume"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("out.jsonl.partial, line 1"), "{stderr}");
    // Its last report is not among the inputs given now.
    std::fs::write(
        dir.path().join("out.jsonl.partial"),
        "{\"path\":\"elsewhere/b.txt\",\"part\":null}\n",
    )
    .unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &["extract", "a.txt", "-o", "out.jsonl", "--resume"],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("elsewhere/b.txt") && stderr.contains("not among the inputs"),
        "{stderr}"
    );
}

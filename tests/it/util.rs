//! Helpers shared by the integration tests: run the `cifra` binary and read
//! what it writes.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The built `cifra` binary.
pub const CIFRA: &str = env!("CARGO_BIN_EXE_cifra");

/// The bundled corpus folder.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
}

/// Run `cifra` with `args` in `dir`; returns (exit code, stdout, stderr).
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(CIFRA)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {CIFRA}: {e}"));
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("cifra {args:?} was killed by a signal"));
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    (code, stdout, stderr)
}

/// What a bounded run of `cifra` gave.
pub struct Bounded {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: std::time::Duration,
}

/// Run `cifra ARGS` in `dir` for at most `limit`: past it the process is
/// killed and the test fails (a hang or a quadratic blow-up, not a slow
/// pass). A process killed by a signal (a stack overflow aborts) fails too.
pub fn run_bounded<S: AsRef<std::ffi::OsStr>>(
    dir: &Path,
    args: &[S],
    limit: std::time::Duration,
) -> Bounded {
    use std::io::Read;
    use std::process::Stdio;
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    let started = std::time::Instant::now();
    let mut child = Command::new(CIFRA)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {CIFRA}: {e}"));
    // Read both pipes while waiting, so a large output cannot block the child.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).map(|_| bytes)
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for cifra") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = stderr.join().unwrap().unwrap_or_default();
            panic!(
                "cifra {shown:?} ran longer than {limit:?} and was killed; stderr:\n{}",
                String::from_utf8_lossy(&stderr)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let stdout = stdout.join().unwrap().expect("read stdout");
    let stderr =
        String::from_utf8(stderr.join().unwrap().expect("read stderr")).expect("stderr is UTF-8");
    let code = status.code().unwrap_or_else(|| {
        panic!("cifra {shown:?} was killed by a signal ({status}); stderr:\n{stderr}")
    });
    Bounded {
        code,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr,
        elapsed,
    }
}

/// Parse JSON Lines: one JSON object per non-empty line; every line must end
/// with a newline.
pub fn parse_jsonl(stdout: &str) -> Vec<Value> {
    assert!(
        stdout.is_empty() || stdout.ends_with('\n'),
        "JSONL output does not end with a newline"
    );
    stdout
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("line {} is not JSON ({e}): {line}", i + 1));
            assert!(value.is_object(), "line {} is not an object: {line}", i + 1);
            value
        })
        .collect()
}

/// `cifra extract ARGS --quiet` in `dir`, expecting exit code `code`; returns the records.
pub fn extract(dir: &Path, args: &[&str], code: i32) -> Vec<Value> {
    let mut all = vec!["extract"];
    all.extend_from_slice(args);
    all.push("--quiet");
    let (got, stdout, stderr) = run_in(dir, &all);
    assert_eq!(got, code, "cifra {all:?}: exit code; stderr:\n{stderr}");
    parse_jsonl(&stdout)
}

/// A record's field as a string (panics when absent or not a string).
pub fn s<'v>(record: &'v Value, field: &str) -> &'v str {
    record[field]
        .as_str()
        .unwrap_or_else(|| panic!("field {field} is not a string in {record}"))
}

/// A record's field as an unsigned integer.
pub fn u(value: &Value, field: &str) -> usize {
    value[field]
        .as_u64()
        .unwrap_or_else(|| panic!("field {field} is not an integer in {value}")) as usize
}

/// A record's `errors`, as strings.
pub fn errors(record: &Value) -> Vec<String> {
    record["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors is not an array in {record}"))
        .iter()
        .map(|e| e.as_str().expect("an error is a string").to_string())
        .collect()
}

/// A record's `mentions`.
pub fn mentions(record: &Value) -> &Vec<Value> {
    record["mentions"]
        .as_array()
        .unwrap_or_else(|| panic!("mentions is not an array in {record}"))
}

/// The mentions of `kind` in a record.
pub fn mentions_of<'v>(record: &'v Value, kind: &str) -> Vec<&'v Value> {
    mentions(record)
        .iter()
        .filter(|m| m["kind"] == kind)
        .collect()
}

/// Fold runs of white space to one space and trim, as the output contract does.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One extractor with the built-in dictionaries, built once for all tests.
pub fn extractor() -> &'static cifra::Extractor {
    static EXTRACTOR: std::sync::OnceLock<cifra::Extractor> = std::sync::OnceLock::new();
    EXTRACTOR.get_or_init(|| cifra::Extractor::new(&cifra::Dictionaries::embedded()).unwrap())
}

/// A generated corpus of about `bytes` (`cifra::generate`, as `cifra bench`
/// writes it) in `dir`; returns the report paths, in order.
pub fn generate_corpus(dir: &Path, bytes: u64, seed: u64) -> Vec<PathBuf> {
    let sources = cifra::generate::Sources::embedded();
    cifra::generate::write_corpus(&sources, dir, bytes, seed).expect("generate a corpus")
}

/// One indexed paragraph: (paragraph, start, end).
pub type ParagraphKey = (u64, u64, u64);

/// The paragraphs of an index per report path, each list sorted, as
/// `cifra search --json` lists them (every paragraph: no query, no limit).
pub type IndexContents = std::collections::BTreeMap<String, Vec<ParagraphKey>>;

/// `cifra search --index IDX --json` for every paragraph, in `dir`: the
/// contents, or the exit code and standard error when it fails.
pub fn index_contents(dir: &Path, idx: &Path) -> Result<IndexContents, (i32, String)> {
    let (code, stdout, stderr) = run_in(
        dir,
        &[
            "search",
            "--index",
            idx.to_str().expect("a UTF-8 path"),
            "--json",
            "--limit",
            "100000000",
        ],
    );
    if code != 0 {
        return Err((code, stderr));
    }
    let mut contents = IndexContents::new();
    for hit in parse_jsonl(&stdout) {
        contents
            .entry(s(&hit, "path").to_string())
            .or_default()
            .push((
                u(&hit, "paragraph") as u64,
                u(&hit, "start") as u64,
                u(&hit, "end") as u64,
            ));
    }
    for keys in contents.values_mut() {
        keys.sort_unstable();
    }
    Ok(contents)
}

//! What the benches share: the bundled corpus as raw files.

use std::path::{Path, PathBuf};

/// The bytes of every report of `corpus/`, in path order, repeated to about
/// `target_bytes`.
pub fn raw_corpus(target_bytes: usize) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("corpus/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "csv"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    let one_pass: usize = files.iter().map(|(_, b)| b.len()).sum();
    let copies = target_bytes.div_ceil(one_pass);
    (0..copies).flat_map(|_| files.iter().cloned()).collect()
}

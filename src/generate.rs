//! A generated corpus of any size for benchmarks: reports built by
//! recombining the paragraphs of sample reports, in their languages, with
//! every run of digits replaced by another number of the same length.
//! Deterministic: the same sources, size and seed give the same files.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A small deterministic generator (xorshift64*): benchmarks need variety,
/// not statistical quality.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The paragraphs of one language's sample reports.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    pub paragraphs: Vec<String>,
}

impl Sources {
    /// Paragraphs (blank-line separated blocks of at least 80 bytes) of
    /// the given texts.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Sources {
        let paragraphs = texts
            .into_iter()
            .flat_map(|t| t.split("\n\n"))
            .map(str::trim)
            .filter(|p| p.len() >= 80)
            .map(str::to_string)
            .collect();
        Sources { paragraphs }
    }
}

/// `p` with each run of digits replaced by random digits (the first not 0).
fn vary(p: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(p.len());
    let mut first = true;
    for c in p.chars() {
        if c.is_ascii_digit() {
            let d = if first {
                1 + rng.below(9)
            } else {
                rng.below(10)
            };
            out.push(char::from(b'0' + d as u8));
            first = false;
        } else {
            out.push(c);
            first = true;
        }
    }
    out
}

/// Write reports of about `bytes` in all into `dir` (created), alternating
/// languages, each 4 to 40 paragraphs long; returns their paths.
pub fn write_corpus(
    sources: &[Sources],
    dir: &Path,
    bytes: u64,
    seed: u64,
) -> Result<Vec<PathBuf>> {
    let usable: Vec<&Sources> = sources
        .iter()
        .filter(|s| !s.paragraphs.is_empty())
        .collect();
    if usable.is_empty() {
        return Err(Error::Config(
            "no source paragraphs to generate a corpus from".into(),
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let mut rng = Rng::new(seed);
    let mut written = 0u64;
    let mut paths = Vec::new();
    while written < bytes {
        let source = usable[paths.len() % usable.len()];
        let n = 4 + rng.below(37);
        let mut text = String::new();
        for _ in 0..n {
            let p = &source.paragraphs[rng.below(source.paragraphs.len())];
            text.push_str(&vary(p, &mut rng));
            text.push_str("\n\n");
        }
        let path = dir.join(format!("{:07}.txt", paths.len()));
        std::fs::write(&path, &text)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        written += text.len() as u64;
        paths.push(path);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_corpus_and_digits_vary() {
        let sources = [Sources::from_texts([
            "Soldiers killed 22 civilians in Tlatlaya on 30 June 2014, according to the CNDH report.\n\nshort\n\nMore than 26,000 people were reported missing between 2006 and 2012 in Mexico and abroad.",
        ])];
        assert_eq!(sources[0].paragraphs.len(), 2);
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let pa = write_corpus(&sources, a.path(), 5_000, 7).unwrap();
        let pb = write_corpus(&sources, b.path(), 5_000, 7).unwrap();
        assert_eq!(pa.len(), pb.len());
        let total: u64 = pa.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
        assert!(total >= 5_000);
        for (x, y) in pa.iter().zip(&pb) {
            assert_eq!(std::fs::read(x).unwrap(), std::fs::read(y).unwrap());
        }
        let text = std::fs::read_to_string(&pa[0]).unwrap();
        assert!(text.contains("Soldiers killed") || text.contains("More than"));
        let mut rng = Rng::new(1);
        let varied = vary("22 and 2014", &mut rng);
        assert_eq!(varied.len(), 11);
        assert!(!varied.starts_with('0') && &varied[2..7] == " and ");
    }
}

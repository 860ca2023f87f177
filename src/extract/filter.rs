//! A first filter for word lookups: a bit set that says for sure when a
//! word is not in a list, so that the hash-map lookup (or the automaton)
//! behind it runs only for the few words that may be.

/// A set of words that answers "not in it" for sure and "in it" maybe
/// (one bit per hash, 16 times as many bits as words): a first filter.
#[derive(Debug)]
pub struct WordFilter {
    bits: Vec<u64>,
    /// 64 less the number of bits of a slot number.
    shift: u32,
}

impl WordFilter {
    pub fn new<'a>(words: impl Iterator<Item = &'a str> + Clone) -> WordFilter {
        let slots = (words.clone().count() * 16).next_power_of_two().max(64);
        let mut filter = WordFilter {
            bits: vec![0; slots / 64],
            shift: 64 - slots.trailing_zeros(),
        };
        for w in words {
            let h = filter.slot(w);
            filter.bits[h / 64] |= 1 << (h % 64);
        }
        filter
    }

    fn slot(&self, word: &str) -> usize {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
        hasher.write(word.as_bytes());
        // The top bits after one more multiplication: the low bits of a
        // short word's hash are not spread well enough to use as they are.
        (hasher.finish().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    pub fn may_hold(&self, word: &str) -> bool {
        let h = self.slot(word);
        self.bits[h / 64] & (1 << (h % 64)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_filter_keeps_every_word_it_was_given() {
        let words = ["la", "procuraduria", "comision", "estado", "sinaloa", "x"];
        let filter = WordFilter::new(words.iter().copied());
        assert!(words.iter().all(|w| filter.may_hold(w)));
        // A filter of 6 words has 128 bits: most other words miss.
        let others = (0..1000).map(|i| format!("w{i}"));
        let passed = others.filter(|w| filter.may_hold(w)).count();
        assert!(passed < 200, "{passed} of 1000 passed");
    }
}

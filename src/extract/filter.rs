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

    /// The word's bit. The hash reads the first and last eight bytes
    /// (four, or each byte, for shorter words) and the length: a clash
    /// only lets a word through to the exact lookup, never turns one away.
    fn slot(&self, word: &str) -> usize {
        let b = word.as_bytes();
        let n = b.len();
        let word64 = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        let word32 = |at: usize| {
            u64::from(u32::from_le_bytes(
                b[at..at + 4].try_into().expect("4 bytes"),
            ))
        };
        let mixed = if n >= 8 {
            word64(0) ^ word64(n - 8).rotate_left(29)
        } else if n >= 4 {
            word32(0) | word32(n - 4) << 32
        } else {
            b.iter().fold(0, |h, &c| h << 8 | u64::from(c))
        };
        let h = (mixed ^ (n as u64) << 58).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // The top bits: those a multiplication mixes best.
        ((h ^ h >> 31).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> self.shift) as usize
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
        // Long names that share a beginning or an end, and short words:
        // about one in sixteen of the others passes, as the bits promise.
        let listed: Vec<String> = (0..2000)
            .map(|i| match i % 3 {
                0 => format!("procuraduria general {i}"),
                1 => format!("{i} de derechos humanos"),
                _ => format!("w{i}"),
            })
            .collect();
        let filter = WordFilter::new(listed.iter().map(String::as_str));
        assert!(listed.iter().all(|w| filter.may_hold(w)));
        let others = (2000..12000).map(|i| match i % 3 {
            0 => format!("procuraduria general {i}"),
            1 => format!("{i} de derechos humanos"),
            _ => format!("w{i}"),
        });
        let passed = others.filter(|w| filter.may_hold(w)).count();
        assert!(passed < 1000, "{passed} of 10000 passed");
    }
}

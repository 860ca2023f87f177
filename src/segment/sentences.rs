//! Sentences inside a paragraph. A period ends a sentence unless it ends an
//! abbreviation from `dictionaries/abbreviations.tsv` (`U.S.`, `Gen.`,
//! `Sr.`, `Lic.`, `No.`), an initial (`J.`), or a dotted acronym; decimals
//! and thousands (`2.5`, `32.000`) never split because no space follows.

use std::collections::HashSet;

use crate::dictionaries::Dictionaries;
use crate::document::Span;
use crate::error::Result;

/// Splits paragraphs into sentences; built once from the dictionaries.
#[derive(Clone, Debug)]
pub struct SentenceSplitter {
    abbreviations: HashSet<String>,
}

impl SentenceSplitter {
    pub fn new(dicts: &Dictionaries) -> Result<SentenceSplitter> {
        let mut abbreviations = HashSet::new();
        for row in dicts.table("abbreviations.tsv")?.rows() {
            let abbr = row.get("abbreviation")?;
            if !abbr.ends_with('.') {
                return Err(row.error(format!("abbreviation '{abbr}' must end with a period")));
            }
            abbreviations.insert(abbr.to_lowercase());
        }
        Ok(SentenceSplitter { abbreviations })
    }

    /// The sentences of `paragraph` in `text`, white space trimmed.
    pub fn split(&self, text: &str, paragraph: Span) -> Vec<Span> {
        let slice = paragraph.of(text);
        let mut sentences = Vec::new();
        let mut start = 0;
        let first_char = |at: usize| slice[at..].chars().next();
        // Byte offsets throughout: a sentence end is looked for, not every
        // character of the paragraph listed first.
        let mut i = 0;
        while let Some(pos) = next_end_mark(slice.as_bytes(), i) {
            let c = first_char(pos).expect("a sentence end was found here");
            let mut j = pos + c.len_utf8();
            while let Some(d) = first_char(j).filter(|d| {
                matches!(
                    d,
                    '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '.' | '!' | '?'
                )
            }) {
                j += d.len_utf8();
            }
            let end = j;
            let mut k = j;
            while let Some(d) = first_char(k).filter(|d| d.is_whitespace()) {
                k += d.len_utf8();
            }
            let next = first_char(k);
            let starts_new = next.is_some_and(|n| {
                n.is_uppercase()
                    || n.is_ascii_digit()
                    || matches!(n, '"' | '“' | '¿' | '¡' | '(' | '«' | '\'')
            });
            if k > j && starts_new && !(c == '.' && self.is_abbreviation(&slice[..pos + 1])) {
                push_trimmed(&mut sentences, paragraph.start, slice, start, end);
                start = k;
            }
            i = j;
        }
        push_trimmed(&mut sentences, paragraph.start, slice, start, slice.len());
        sentences
    }

    /// Whether the word that ends `before` (which ends in a period) is an
    /// abbreviation, an initial or a dotted acronym rather than a sentence end.
    fn is_abbreviation(&self, before: &str) -> bool {
        let word = before
            .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\''))
            .next()
            .unwrap_or("");
        if self.abbreviations.contains(&word.to_lowercase()) {
            return true;
        }
        let stem = &word[..word.len() - 1];
        let initial = stem.chars().count() == 1 && stem.chars().all(|c| c.is_uppercase());
        let dotted = stem.contains('.')
            && stem
                .split('.')
                .all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic));
        initial || dotted
    }
}

/// A "sentence" longer than this (a run-on list, a table flattened into one
/// line, a file with no sentence ends at all) is cut at white space into
/// pieces no longer: every claim quotes its sentence, so one unbounded
/// sentence would make the output grow with the square of its length.
/// Real sentences stay well under it (the longest in the corpus: 578).
pub const MAX_SENTENCE_BYTES: usize = 2_000;

fn push_trimmed(out: &mut Vec<Span>, base: usize, slice: &str, start: usize, end: usize) {
    let piece = &slice[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let mut rest = piece.trim();
    let mut at = base + start + lead;
    while !rest.is_empty() {
        let cut = if rest.len() <= MAX_SENTENCE_BYTES {
            rest.len()
        } else {
            let mut limit = MAX_SENTENCE_BYTES;
            while !rest.is_char_boundary(limit) {
                limit -= 1;
            }
            rest[..limit]
                .rfind(char::is_whitespace)
                .filter(|&i| i > 0)
                .unwrap_or(limit)
        };
        let head = rest[..cut].trim_end();
        out.push(Span::new(at, at + head.len()));
        let next = rest[cut..].trim_start();
        at += rest.len() - next.len();
        rest = next;
    }
}

/// Where the next `.`, `!`, `?` or `…` (E2 80 A6) is from byte `from` on:
/// found byte by byte (none of them can be part of another character),
/// not by decoding every character.
fn next_end_mark(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += bytes
            .get(at..)?
            .iter()
            .position(|b| matches!(b, b'.' | b'!' | b'?' | 0xe2))?;
        if bytes[at] != 0xe2 || bytes[at + 1..].starts_with(&[0x80, 0xa6]) {
            return Some(at);
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::next_end_mark;

    #[test]
    fn end_marks_are_found_as_str_find_finds_them() {
        let text = "“Sí”… dijo ¿qué? No! 3.5 — ‘fin’ … x… ";
        let mut from = 0;
        let mut found = Vec::new();
        while let Some(at) = next_end_mark(text.as_bytes(), from) {
            found.push(at);
            from = at + 1;
        }
        let want: Vec<usize> = text
            .match_indices(['.', '!', '?', '…'])
            .map(|(i, _)| i)
            .collect();
        assert_eq!(found, want);
        assert_eq!(next_end_mark(b"abc", 3), None);
        assert_eq!(next_end_mark(b"\xe2\x80", 0), None);
    }

    use super::*;

    #[test]
    fn splits_at_sentence_ends_only() {
        let splitter = SentenceSplitter::new(&Dictionaries::embedded()).unwrap();
        let cases: &[(&str, &[&str])] = &[
            (
                "Soldiers killed 22. Police arrested 8.",
                &["Soldiers killed 22.", "Police arrested 8."],
            ),
            (
                "The U.S. Congress approved $2.5 billion. Gen. Cienfuegos denied it.",
                &[
                    "The U.S. Congress approved $2.5 billion.",
                    "Gen. Cienfuegos denied it.",
                ],
            ),
            (
                "El Lic. Murillo Karam habló. Hubo 32.000 casos.",
                &["El Lic. Murillo Karam habló.", "Hubo 32.000 casos."],
            ),
            (
                "Recommendation No. 51 was issued. ¿Y ahora? Nada.",
                &["Recommendation No. 51 was issued.", "¿Y ahora?", "Nada."],
            ),
            (
                "J. Smith wrote it. \"Never again.\" Then he left.",
                &["J. Smith wrote it.", "\"Never again.\"", "Then he left."],
            ),
            (
                "Los EE.UU. enviaron ayuda. Fin",
                &["Los EE.UU. enviaron ayuda.", "Fin"],
            ),
            (
                "approx. 30 people were there",
                &["approx. 30 people were there"],
            ),
        ];
        for (text, want) in cases {
            let got: Vec<&str> = splitter
                .split(text, Span::new(0, text.len()))
                .iter()
                .map(|s| s.of(text))
                .collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn a_sentence_without_end_is_cut_into_bounded_pieces() {
        let splitter = SentenceSplitter::new(&Dictionaries::embedded()).unwrap();
        let text = format!(
            " {} ",
            "soldados mataron a 22 personas en Tlatlaya y ".repeat(500)
        );
        let pieces = splitter.split(&text, Span::new(0, text.len()));
        assert!(pieces.len() > 10, "{}", pieces.len());
        let mut at = 1;
        for (k, piece) in pieces.iter().enumerate() {
            let s = piece.of(&text);
            assert!(s.len() <= MAX_SENTENCE_BYTES, "{}", s.len());
            assert!(s.len() > MAX_SENTENCE_BYTES / 2 || k + 1 == pieces.len());
            assert_eq!(s, s.trim());
            // Cut at white space, between words, and nothing lost.
            assert!(text[at..piece.start].chars().all(char::is_whitespace));
            at = piece.end;
        }
        assert_eq!(at, text.trim_end().len());
        // One run of 5,000 bytes without a space: cut on char boundaries.
        let word = "ñ".repeat(2_500);
        let pieces = splitter.split(&word, Span::new(0, word.len()));
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces.iter().map(Span::len).sum::<usize>(), word.len());
    }
}

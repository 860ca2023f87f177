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
        let chars: Vec<(usize, char)> = slice.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (pos, c) = chars[i];
            if !matches!(c, '.' | '!' | '?' | '…') {
                i += 1;
                continue;
            }
            // Take closing quotes and brackets with the sentence.
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j].1,
                    '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '.' | '!' | '?'
                )
            {
                j += 1;
            }
            let end = chars.get(j).map_or(slice.len(), |(p, _)| *p);
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let next = chars.get(k).map(|(_, c)| *c);
            let starts_new = next.is_some_and(|n| {
                n.is_uppercase()
                    || n.is_ascii_digit()
                    || matches!(n, '"' | '“' | '¿' | '¡' | '(' | '«' | '\'')
            });
            if k > j && starts_new && !(c == '.' && self.is_abbreviation(&slice[..pos + 1])) {
                push_trimmed(&mut sentences, paragraph.start, slice, start, end);
                start = chars[k].0;
            }
            i = j.max(i + 1);
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

fn push_trimmed(out: &mut Vec<Span>, base: usize, slice: &str, start: usize, end: usize) {
    let piece = &slice[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push(Span::new(
            base + start + lead,
            base + start + lead + trimmed.len(),
        ));
    }
}

#[cfg(test)]
mod tests {
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
}

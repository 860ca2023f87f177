//! Words, numbers and punctuation with their byte spans: the units the
//! figure grammar reads. Runs on the match view of a document (markup
//! blanked), so spans are source offsets.

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use crate::document::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, with inner hyphens and apostrophes (`forty-three`, `O'Brien`).
    Word,
    /// Digits, with inner `,` `.` and non-breaking-space group separators.
    Number,
    /// Any other single character that is not white space.
    Punct,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// Lower-cased text (accents kept). Inline (no allocation) up to 24
    /// bytes: tokens are made for every word of every paragraph.
    pub lower: CompactString,
    /// Lower-cased, accents stripped: the key dictionaries are looked up by.
    pub key: CompactString,
    /// White space separates this token from the one before.
    pub space_before: bool,
}

impl Token {
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == TokenKind::Word && self.key == w
    }
}

/// Tokenize `text[span]`.
pub fn tokenize(text: &str, span: Span) -> Vec<Token> {
    let slice = span.of(text);
    let bytes = slice.as_bytes();
    let mut tokens = Vec::new();
    let mut chars = slice.char_indices().peekable();
    let mut space_before = true;
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' || c == '\u{feff}' {
            space_before = true;
            continue;
        }
        let (kind, end) = if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let inner = matches!(d, '-' | '\'' | '’')
                    && slice[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphabetic);
                if d.is_alphabetic() || d.is_numeric() && !d.is_ascii_digit() || inner || is_mark(d)
                {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            (TokenKind::Word, end)
        } else if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                let sep = matches!(d, ',' | '.' | '\u{a0}' | '\u{202f}')
                    && bytes.get(j + d.len_utf8()).is_some_and(u8::is_ascii_digit);
                if d.is_ascii_digit() || sep {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            (TokenKind::Number, end)
        } else if c.is_whitespace() {
            space_before = true;
            continue;
        } else {
            (TokenKind::Punct, i + c.len_utf8())
        };
        let (lower, key) = lower_and_key(&slice[i..end]);
        tokens.push(Token {
            kind,
            span: Span::new(span.start + i, span.start + end),
            key,
            lower,
            space_before,
        });
        space_before = false;
    }
    tokens
}

/// A token's lower-cased text and its key (also without accents); ASCII,
/// by far the most common case, without a Unicode case table.
fn lower_and_key(word: &str) -> (CompactString, CompactString) {
    if word.is_ascii() {
        let mut lower = CompactString::from(word);
        lower.make_ascii_lowercase();
        let key = lower.clone();
        return (lower, key);
    }
    let lower = CompactString::from(word.to_lowercase());
    let key = lower.chars().map(unaccent_char).collect();
    (lower, key)
}

fn is_mark(c: char) -> bool {
    // Combining accents of decomposed text (NFD) stay inside their word.
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Strip Spanish accents so `más` and `mas`, `millón` and `millon` meet.
pub fn unaccent(s: &str) -> String {
    s.chars().map(unaccent_char).collect()
}

/// One lower-case letter without its Spanish accent.
pub fn unaccent_char(c: char) -> char {
    match c {
        'á' => 'a',
        'é' => 'e',
        'í' => 'i',
        'ó' => 'o',
        'ú' | 'ü' => 'u',
        other => other,
    }
}

/// The keys of a dictionary phrase, tokenized as text is.
pub fn phrase_keys(phrase: &str) -> Vec<String> {
    tokenize(phrase, Span::new(0, phrase.len()))
        .into_iter()
        .map(|t| t.key.into_string())
        .collect()
}

/// Dictionary phrases (their token keys) with a value each, indexed by
/// first and last key so a lookup at a token reads only the phrases that
/// can start (or end) there, not the whole list.
#[derive(Clone, Debug)]
pub struct Phrases<T> {
    list: Vec<(Vec<String>, T)>,
    by_first: FxHashMap<String, Vec<usize>>,
    by_last: FxHashMap<String, Vec<usize>>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases {
            list: Vec::new(),
            by_first: FxHashMap::default(),
            by_last: FxHashMap::default(),
        }
    }
}

impl<T> Phrases<T> {
    /// Add a phrase; an empty one is kept (so indices stay those of the
    /// list) but never matches.
    pub fn push(&mut self, (keys, value): (Vec<String>, T)) {
        let n = self.list.len();
        if let (Some(first), Some(last)) = (keys.first(), keys.last()) {
            self.by_first.entry(first.clone()).or_default().push(n);
            self.by_last.entry(last.clone()).or_default().push(n);
        }
        self.list.push((keys, value));
    }
}

impl<T> std::ops::Deref for Phrases<T> {
    type Target = [(Vec<String>, T)];
    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

/// The longest of `phrases` whose keys match the tokens from `at` (the
/// first listed among equally long ones); returns its index and the token
/// index after it.
pub fn longest_at<T>(tokens: &[Token], at: usize, phrases: &Phrases<T>) -> Option<(usize, usize)> {
    let candidates = phrases.by_first.get(tokens.get(at)?.key.as_str())?;
    let mut best: Option<(usize, usize)> = None;
    for &n in candidates {
        let keys = &phrases.list[n].0;
        let end = at + keys.len();
        if end > tokens.len() || best.is_some_and(|(_, e)| e >= end) {
            continue;
        }
        if tokens[at..end].iter().zip(keys).all(|(t, k)| t.key == *k) {
            best = Some((n, end));
        }
    }
    best
}

/// The longest of `phrases` whose keys match the tokens ending just before
/// `end`; returns its index and the token index where it starts.
pub fn longest_before<T>(
    tokens: &[Token],
    end: usize,
    phrases: &Phrases<T>,
) -> Option<(usize, usize)> {
    let last = tokens.get(end.checked_sub(1)?)?;
    let candidates = phrases.by_last.get(last.key.as_str())?;
    let mut best: Option<(usize, usize)> = None;
    for &n in candidates {
        let keys = &phrases.list[n].0;
        if keys.len() > end || best.is_some_and(|(_, s)| s <= end - keys.len()) {
            continue;
        }
        let start = end - keys.len();
        if tokens[start..end]
            .iter()
            .zip(keys)
            .all(|(t, k)| t.key == *k)
        {
            best = Some((n, start));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_with_spans() {
        let text = "Más de 32,000 (forty-three) US$2.5 Mexico.12";
        let toks = tokenize(text, Span::new(0, text.len()));
        let got: Vec<(&str, TokenKind, bool)> = toks
            .iter()
            .map(|t| (t.span.of(text), t.kind, t.space_before))
            .collect();
        use TokenKind::*;
        assert_eq!(
            got,
            vec![
                ("Más", Word, true),
                ("de", Word, true),
                ("32,000", Number, true),
                ("(", Punct, true),
                ("forty-three", Word, false),
                (")", Punct, false),
                ("US", Word, true),
                ("$", Punct, false),
                ("2.5", Number, false),
                ("Mexico", Word, true),
                (".", Punct, false),
                ("12", Number, false),
            ]
        );
        assert_eq!(
            (toks[0].lower.as_str(), toks[0].key.as_str()),
            ("más", "mas")
        );
    }
}

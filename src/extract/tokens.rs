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
    let char_at = |i: usize| match bytes[i] {
        b if b.is_ascii() => char::from(b),
        _ => slice[i..].chars().next().expect("a character starts here"),
    };
    // About one token for every five or six bytes of text: sized once,
    // not grown (and copied) several times.
    let mut tokens = Vec::with_capacity(bytes.len() / 5 + 4);
    let mut space_before = true;
    let mut i = 0;
    while i < bytes.len() {
        let c = char_at(i);
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' || c == '\u{feff}' {
            space_before = true;
            i += c.len_utf8();
            continue;
        }
        // A word of ASCII letters alone (most words): no character to
        // decode, no case table.
        let ascii_word = c
            .is_ascii_alphabetic()
            .then(|| ascii_word_ends(bytes, i + 1))
            .flatten();
        let (kind, end) = if let Some(end) = ascii_word {
            (TokenKind::Word, end)
        } else if c.is_alphabetic() {
            let end = token_end(
                slice,
                i + c.len_utf8(),
                u8::is_ascii_alphabetic,
                |d, next| {
                    let inner = matches!(d, '-' | '\'' | '’')
                        && slice[next..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphabetic);
                    d.is_alphabetic()
                        || d.is_numeric() && !d.is_ascii_digit()
                        || inner
                        || is_mark(d)
                },
            );
            (TokenKind::Word, end)
        } else if c.is_ascii_digit() {
            let end = token_end(slice, i + 1, u8::is_ascii_digit, |d, next| {
                matches!(d, ',' | '.' | '\u{a0}' | '\u{202f}')
                    && bytes.get(next).is_some_and(u8::is_ascii_digit)
            });
            (TokenKind::Number, end)
        } else if c.is_whitespace() {
            space_before = true;
            i += c.len_utf8();
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
        i = end;
    }
    tokens
}

/// Where a token that goes on at `end` of `slice` ends: past every byte
/// `run` accepts (runs of ASCII, taken a byte at a time) and every other
/// character `more` accepts, given the offset after that character.
fn token_end(
    slice: &str,
    mut end: usize,
    run: fn(&u8) -> bool,
    more: impl Fn(char, usize) -> bool,
) -> usize {
    let bytes = slice.as_bytes();
    loop {
        while end < bytes.len() && run(&bytes[end]) {
            end += 1;
        }
        let d = match bytes.get(end) {
            None => return end,
            Some(&b) if b.is_ascii() => char::from(b),
            Some(_) => slice[end..]
                .chars()
                .next()
                .expect("a character starts here"),
        };
        let next = end + d.len_utf8();
        if !more(d, next) {
            return end;
        }
        end = next;
    }
}

/// Where a word that has ASCII letters up to `from` ends, if it is ASCII
/// letters only: the letters run on to a byte that is ASCII and can go on
/// no word (not `-` or `'`, which may join two words), or to the end.
fn ascii_word_ends(bytes: &[u8], from: usize) -> Option<usize> {
    let end = from
        + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
    match bytes.get(end) {
        Some(b'-' | b'\'') => None,
        Some(b) if !b.is_ascii() => None,
        _ => Some(end),
    }
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

/// `s` lower-cased and unaccented in one pass, one allocation: what
/// `unaccent(&s.to_lowercase())` gives (but for a Greek final sigma).
pub fn lower_unaccented(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(unaccent_char)
        .collect()
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
    /// The first key of every phrase.
    pub fn first_keys(&self) -> impl Iterator<Item = &str> + Clone {
        self.by_first.keys().map(String::as_str)
    }

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

    /// The tokenizer as it was before its ASCII shortcuts, char by char:
    /// the reference the fast one must agree with.
    fn reference_tokenize(text: &str, span: Span) -> Vec<Token> {
        let slice = span.of(text);
        let bytes = slice.as_bytes();
        let char_at = |i: usize| match bytes[i] {
            b if b.is_ascii() => char::from(b),
            _ => slice[i..].chars().next().expect("a character starts here"),
        };
        // About one token for every five or six bytes of text: sized once,
        // not grown (and copied) several times.
        let mut tokens = Vec::with_capacity(bytes.len() / 5 + 4);
        let mut space_before = true;
        let mut i = 0;
        while i < bytes.len() {
            let c = char_at(i);
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' || c == '\u{feff}' {
                space_before = true;
                i += c.len_utf8();
                continue;
            }
            let (kind, end) = if c.is_alphabetic() {
                let end = reference_token_end(
                    slice,
                    i + c.len_utf8(),
                    u8::is_ascii_alphabetic,
                    |d, next| {
                        let inner = matches!(d, '-' | '\'' | '’')
                            && slice[next..]
                                .chars()
                                .next()
                                .is_some_and(char::is_alphabetic);
                        d.is_alphabetic()
                            || d.is_numeric() && !d.is_ascii_digit()
                            || inner
                            || is_mark(d)
                    },
                );
                (TokenKind::Word, end)
            } else if c.is_ascii_digit() {
                let end = reference_token_end(slice, i + 1, u8::is_ascii_digit, |d, next| {
                    matches!(d, ',' | '.' | '\u{a0}' | '\u{202f}')
                        && bytes.get(next).is_some_and(u8::is_ascii_digit)
                });
                (TokenKind::Number, end)
            } else if c.is_whitespace() {
                space_before = true;
                i += c.len_utf8();
                continue;
            } else {
                (TokenKind::Punct, i + c.len_utf8())
            };
            // Lower case from the Unicode table, whatever the word.
            let lower = CompactString::from(slice[i..end].to_lowercase());
            let key = lower.chars().map(unaccent_char).collect();
            tokens.push(Token {
                kind,
                span: Span::new(span.start + i, span.start + end),
                key,
                lower,
                space_before,
            });
            space_before = false;
            i = end;
        }
        tokens
    }

    /// Where a token that goes on at `end` of `slice` ends: past every byte
    /// `run` accepts (runs of ASCII, taken a byte at a time) and every other
    /// character `more` accepts, given the offset after that character.
    fn reference_token_end(
        slice: &str,
        mut end: usize,
        run: fn(&u8) -> bool,
        more: impl Fn(char, usize) -> bool,
    ) -> usize {
        let bytes = slice.as_bytes();
        loop {
            while end < bytes.len() && run(&bytes[end]) {
                end += 1;
            }
            let Some(d) = slice[end..].chars().next() else {
                return end;
            };
            let next = end + d.len_utf8();
            if !more(d, next) {
                return end;
            }
            end = next;
        }
    }

    #[test]
    fn lower_unaccented_is_unaccent_of_lower_case() {
        for word in [
            "SEPTIEMBRE",
            "Miércoles",
            "AÑOS",
            "Sept.",
            "ÚLTIMOS",
            "Güero",
            "İstanbul",
            "Kelvin",
        ] {
            assert_eq!(
                lower_unaccented(word),
                unaccent(&word.to_lowercase()),
                "{word}"
            );
        }
        assert_eq!(lower_unaccented("MIÉRCOLES"), "miercoles");
    }

    #[test]
    fn the_fast_tokenizer_agrees_with_the_char_by_char_one() {
        // Pieces that meet at every kind of edge, joined at random.
        let pieces = [
            "a",
            "Word",
            "MEXICO",
            "forty",
            "-",
            "three",
            "'",
            "’",
            "O",
            "s",
            " ",
            "  ",
            "\n",
            "\t",
            "\u{a0}",
            "\u{202f}",
            "\u{feff}",
            "43",
            "1",
            ",",
            ".",
            "000",
            "é",
            "más",
            "Ñ",
            "\u{301}",
            "²",
            "٣",
            "你好",
            "$",
            "US$",
            "(",
            ")",
            "—",
            "\u{2028}",
            "x",
            "km",
            "thirty-two",
            "isn't",
            "a-",
            "-b",
            "ab'",
            "'cd",
            "DE",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "AbCdEfGhIjKlMnOpQrStUvWxYz",
        ];
        let mut seed: u64 = 2014;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut texts: Vec<String> = (0..5000)
            .map(|_| (0..next(12)).map(|_| pieces[next(pieces.len())]).collect())
            .collect();
        // And reports as the corpus generator writes them.
        texts.extend(crate::generate::sample_texts(20));
        for text in &texts {
            // A span inside the text too, as paragraphs are tokenized.
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let inner = Span::new(bounds[bounds.len() / 3], bounds[bounds.len() * 2 / 3]);
            for span in [Span::new(0, text.len()), inner] {
                assert_eq!(
                    tokenize(text, span),
                    reference_tokenize(text, span),
                    "{text:?}"
                );
            }
        }
    }

    /// Each token of `text` as its text, kind and space before.
    fn shapes(text: &str) -> Vec<(&str, TokenKind, bool)> {
        tokenize(text, Span::new(0, text.len()))
            .iter()
            .map(|t| (t.span.of(text), t.kind, t.space_before))
            .collect()
    }

    #[test]
    fn tokens_with_spans() {
        let text = "Más de 32,000 (forty-three) US$2.5 Mexico.12";
        let toks = tokenize(text, Span::new(0, text.len()));
        use TokenKind::*;
        assert_eq!(
            shapes(text),
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

    /// Where an ASCII run meets something else: digits after letters,
    /// inner apostrophes and hyphens, a superscript, a non-breaking group
    /// separator, a combining accent, a byte-order mark.
    #[test]
    fn tokens_at_the_edges_of_ascii_runs() {
        let text = "abc123 O’Brien well- km² 32\u{a0}000 Me\u{301}xico\u{feff}x 5.";
        use TokenKind::*;
        assert_eq!(
            shapes(text),
            vec![
                ("abc", Word, true),
                ("123", Number, false),
                ("O’Brien", Word, true),
                ("well", Word, true),
                ("-", Punct, false),
                ("km²", Word, true),
                ("32\u{a0}000", Number, true),
                ("Me\u{301}xico", Word, true),
                ("x", Word, true),
                ("5", Number, true),
                (".", Punct, false),
            ]
        );
    }
}

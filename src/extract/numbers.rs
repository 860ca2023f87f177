//! Figures: numbers that quantify something, in digits (`32,000`,
//! `32.000`, `2.5 million`, `$2.5 billion`, `80%`) and words
//! (`forty-three`, `cuarenta y tres`, `dos mil 500`), with the approximator
//! in front (`more than`, `más de`), ranges, vague amounts (`dozens`,
//! `decenas de miles`), ratios (`tenfold`, `one in five`), unit, currency
//! and the noun they count. Identifiers, footnote marks, ordinals, years,
//! durations and ages are not figures. All vocabulary comes from
//! `dictionaries/`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::dictionaries::Dictionaries;
use crate::document::{Approx, Figure, Language, Span, Unit};
use crate::error::Result;
use crate::extract::filter::WordFilter;
use crate::extract::salience::Salience;
use crate::extract::tokens::{longest_at, longest_before, phrase_keys, Phrases, Token, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Unit,
    Ten,
    Hundred,
    Mult,
    Scale,
    Conj,
    Article,
}

#[derive(Clone, Debug, PartialEq)]
struct UnitSpec {
    unit: Unit,
    /// `$` means: dollars in English text, pesos in Spanish text.
    currency: Option<String>,
    multiplier: f64,
}

/// The roles a word of `figure_context.tsv` can play.
const CONTEXT_ROLES: &[&str] = &[
    "identifier_before",
    "identifier_after",
    "time_after",
    "time_modifier",
    "measure_after",
    "age_before",
    "pronoun_after",
    "pronoun_before",
    "approx_gap",
    "change_before",
    "subject_end",
    "subject_end_suffix",
];

/// The figure vocabulary of one language.
#[derive(Debug, Default)]
struct Vocab {
    words: HashMap<String, Vec<(f64, Role)>>,
    vague: Phrases<(f64, bool)>,
    ratios: Phrases<f64>,
    approximators: Phrases<Approx>,
    /// Approximators written after the number: `50-something`, `40 y pico`.
    approximators_after: Phrases<Approx>,
    /// Phrases before a number that make it an identifier: `Article`, `No.`, `EO`.
    identifiers_before: Phrases<()>,
    /// Phrases after a number that make it an identifier: `U.S.C.` in `22 U.S.C. 2291`.
    identifiers_after: Phrases<()>,
    prefixes: Phrases<UnitSpec>,
    suffixes: Phrases<UnitSpec>,
    context: HashMap<String, Vec<String>>,
    /// Word endings that mark a verb after a subject (`-ed`, `-aron`, `-ó`).
    subject_end_suffixes: Vec<String>,
    stop: HashSet<String>,
    /// The words a figure can begin with (see [`Vocab::may_start`]).
    starts: Option<WordFilter>,
}

impl Vocab {
    /// Whether a figure can begin at a word (or a sign) with this key: a
    /// number word (or its part before `-` or `'`: `forty-three`), or the
    /// first word of a vague amount or of a ratio. A first filter, before
    /// the lookups of [`Reader::figure_at`], for the many words and signs
    /// that are none.
    fn may_start(&self, key: &str) -> bool {
        let Some(starts) = &self.starts else {
            return true;
        };
        // By byte: both signs are ASCII, so the cut is a character boundary.
        let part = || key.bytes().position(|b| matches!(b, b'-' | b'\''));
        starts.may_hold(key) || part().is_some_and(|n| starts.may_hold(&key[..n]))
    }

    fn has_context(&self, word: &str, role: &str) -> bool {
        self.context
            .get(word)
            .is_some_and(|roles| roles.iter().any(|r| r == role))
    }

    fn number_word(&self, key: &str) -> Option<&[(f64, Role)]> {
        self.words.get(key).map(Vec::as_slice)
    }
}

/// A figure found in a run of tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureMatch {
    pub span: Span,
    pub figure: Figure,
    /// The token range of the figure itself.
    pub tokens: (usize, usize),
    /// The token after its subject (`end` of `tokens` when it has none).
    pub subject_end: usize,
}

/// The compiled figure grammar for English and Spanish.
#[derive(Debug)]
pub struct FigureGrammar {
    en: Vocab,
    es: Vocab,
}

impl FigureGrammar {
    pub fn new(dicts: &Dictionaries) -> Result<FigureGrammar> {
        let mut en = Vocab::default();
        let mut es = Vocab::default();
        let mut each = |langs: Vec<Language>, f: &mut dyn FnMut(&mut Vocab)| {
            for lang in langs {
                f(match lang {
                    Language::En => &mut en,
                    Language::Es => &mut es,
                });
            }
        };
        for row in dicts.table("number_words.tsv")?.rows() {
            let word = crate::extract::tokens::unaccent(&row.get("word")?.to_lowercase());
            let value: f64 = row.parse("value")?;
            let role = match row.get("role")? {
                "unit" => Role::Unit,
                "ten" => Role::Ten,
                "hundred" => Role::Hundred,
                "mult" => Role::Mult,
                "scale" => Role::Scale,
                "conj" => Role::Conj,
                "article" => Role::Article,
                other => return Err(row.error(format!("unknown role '{other}'"))),
            };
            each(row.lang()?, &mut |v| {
                v.words.entry(word.clone()).or_default().push((value, role))
            });
        }
        for row in dicts.table("vague_amounts.tsv")?.rows() {
            let keys = phrase_keys(row.get("phrase")?);
            let value: f64 = row.parse("value")?;
            let needs_of = row.get("needs_of")? == "1";
            each(row.lang()?, &mut |v| {
                v.vague.push((keys.clone(), (value, needs_of)))
            });
        }
        for row in dicts.table("ratios.tsv")?.rows() {
            let keys = phrase_keys(row.get("phrase")?);
            let value: f64 = row.parse("value")?;
            each(row.lang()?, &mut |v| v.ratios.push((keys.clone(), value)));
        }
        for (file, after) in [
            ("approximators.tsv", false),
            ("approximators_after.tsv", true),
        ] {
            for row in dicts.table(file)?.rows() {
                let keys = phrase_keys(row.get("phrase")?);
                let raw = row.get("approx")?;
                let approx = match Approx::parse(raw) {
                    Some(a @ (Approx::MoreThan | Approx::LessThan | Approx::About)) => a,
                    Some(Approx::Vague) if after => Approx::Vague,
                    _ => {
                        return Err(row.error(format!(
                            "approx '{raw}' must be more_than, less_than or about{}",
                            if after { " or vague" } else { "" }
                        )))
                    }
                };
                each(row.lang()?, &mut |v| {
                    let list = if after {
                        &mut v.approximators_after
                    } else {
                        &mut v.approximators
                    };
                    list.push((keys.clone(), approx))
                });
            }
        }
        for row in dicts.table("units.tsv")?.rows() {
            let keys = phrase_keys(row.get("token")?);
            let raw = row.get("unit")?;
            let unit =
                Unit::parse(raw).ok_or_else(|| row.error(format!("unknown unit '{raw}'")))?;
            let currency = Some(row.get("currency")?)
                .filter(|c| !c.is_empty())
                .map(str::to_string);
            let spec = UnitSpec {
                unit,
                currency,
                multiplier: row.parse("multiplier")?,
            };
            let prefix = match row.get("position")? {
                "prefix" => true,
                "suffix" => false,
                other => {
                    return Err(row.error(format!("position '{other}' must be prefix or suffix")))
                }
            };
            each(row.lang()?, &mut |v| {
                let list = if prefix {
                    &mut v.prefixes
                } else {
                    &mut v.suffixes
                };
                list.push((keys.clone(), spec.clone()));
            });
        }
        for row in dicts.table("figure_context.tsv")?.rows() {
            let raw = row.get("word")?;
            let word = crate::extract::tokens::unaccent(&raw.to_lowercase());
            let keys = phrase_keys(raw);
            let role = row.get("role")?.to_string();
            if !CONTEXT_ROLES.contains(&role.as_str()) {
                return Err(row.error(format!(
                    "unknown role '{role}'; known roles: {}",
                    CONTEXT_ROLES.join(", ")
                )));
            }
            each(row.lang()?, &mut |v| match role.as_str() {
                "identifier_before" => v.identifiers_before.push((keys.clone(), ())),
                "identifier_after" => v.identifiers_after.push((keys.clone(), ())),
                "subject_end_suffix" => v
                    .subject_end_suffixes
                    .push(raw.trim_start_matches('-').to_lowercase()),
                _ => v
                    .context
                    .entry(word.clone())
                    .or_default()
                    .push(role.clone()),
            });
        }
        for row in dicts.table("stopwords.tsv")?.rows() {
            let word = crate::extract::tokens::unaccent(&row.get("word")?.to_lowercase());
            each(row.lang()?, &mut |v| {
                v.stop.insert(word.clone());
            });
        }
        for v in [&mut en, &mut es] {
            let words = v.words.keys().map(String::as_str);
            let starts = words
                .chain(v.vague.first_keys())
                .chain(v.ratios.first_keys());
            v.starts = Some(WordFilter::new(starts));
        }
        Ok(FigureGrammar { en, es })
    }

    fn vocab(&self, lang: Language) -> &Vocab {
        match lang {
            Language::En => &self.en,
            Language::Es => &self.es,
        }
    }

    /// Every figure in `tokens` (one paragraph), in order, not overlapping.
    /// `salience` knows the heads of what figures count, where an English
    /// subject ends (`children` in `half of the children suffer`).
    pub fn find(
        &self,
        text: &str,
        tokens: &[Token],
        lang: Language,
        salience: &Salience,
    ) -> Vec<FigureMatch> {
        let reader = Reader {
            salience,
            vocab: self.vocab(lang),
            lang,
            text,
            tokens,
        };
        let mut found = Vec::new();
        let mut floor = 0;
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            // Only a number, or the first word (or sign) of a number word,
            // a vague amount or a ratio, can begin a figure.
            if t.kind != TokenKind::Number && !reader.vocab.may_start(&t.key) {
                i += 1;
                continue;
            }
            match reader.figure_at(i, floor) {
                Some((m, end)) => {
                    // A number past the largest float (hundreds of digits)
                    // is read whole, so that its `million` is not read as
                    // a figure of its own, but it is no figure.
                    let f = &m.figure;
                    if f.value.is_finite() && f.value_max.is_none_or(f64::is_finite) {
                        found.push(m);
                    }
                    floor = end;
                    i = end;
                }
                None => i += 1,
            }
        }
        found
    }
}

/// A number phrase read from tokens.
#[derive(Clone, Copy, Debug)]
struct Number {
    value: f64,
    end: usize,
    digits: bool,
    /// The largest scale word read (`million` → 1e6), 1 when none.
    scale: f64,
    /// A single bare word such as `one`.
    single_word: bool,
}

struct Reader<'a> {
    salience: &'a Salience,
    vocab: &'a Vocab,
    lang: Language,
    text: &'a str,
    tokens: &'a [Token],
}

impl Reader<'_> {
    fn key(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.key.as_str())
    }

    fn glued(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| !t.space_before)
    }

    /// The figure whose core starts at token `i`; it may reach back to
    /// token `floor` for its approximator or currency.
    fn figure_at(&self, i: usize, floor: usize) -> Option<(FigureMatch, usize)> {
        let tok = &self.tokens[i];
        let mut approx = Approx::Exact;
        let mut unit = Unit::Count;
        let mut currency = None;
        let (mut value, mut end) =
            if let Some((n, end)) = longest_at(self.tokens, i, &self.vocab.vague) {
                let (value, needs_of) = self.vocab.vague[n].1;
                if needs_of && !matches!(self.key(end), "of" | "de") {
                    return None;
                }
                approx = Approx::Vague;
                (value, end)
            } else if let Some((n, end)) = longest_at(self.tokens, i, &self.vocab.ratios) {
                if !self.ratio_context(i, end) {
                    return None;
                }
                unit = Unit::Ratio;
                (self.vocab.ratios[n].1, end)
            } else if matches!(tok.kind, TokenKind::Number | TokenKind::Word) {
                let number = self.number(i)?;
                if self.excluded(i, &number) {
                    return None;
                }
                if let Some((ratio, end)) = self.ratio_after(&number) {
                    unit = Unit::Ratio;
                    (ratio, end)
                } else if let Some((n, end)) =
                    longest_at(self.tokens, number.end, &self.vocab.approximators_after)
                {
                    approx = self.vocab.approximators_after[n].1;
                    (number.value, end)
                } else {
                    (number.value, number.end)
                }
            } else {
                return None;
            };
        let mut value_max = None;
        let mut start = i;
        // Currency before the number: `$`, `US$`, `MXN`.
        if let Some((n, s)) =
            longest_before(self.tokens, start, &self.vocab.prefixes).filter(|(_, s)| *s >= floor)
        {
            let spec = &self.vocab.prefixes[n].1;
            unit = spec.unit;
            currency = spec.currency.clone();
            start = s;
        }
        // Percent or currency after it.
        if let Some((spec, e)) = self.suffix(end) {
            unit = spec.unit;
            currency = spec.currency.clone().or(currency);
            value *= spec.multiplier;
            end = e;
        } else if unit == Unit::Count && (value >= 1000.0 || approx == Approx::Vague) {
            if let Some((spec, adjacent)) = self.currency_of(end) {
                unit = Unit::Money;
                currency = spec.currency.clone();
                value *= spec.multiplier;
                // `3 millones de pesos`, `thousands of dollars`: the currency
                // right after `de`/`of` is part of the figure's text.
                if let Some(e) = adjacent {
                    end = e;
                }
            }
        }
        // A range: `300-400`, `between 20 and 30`, `entre 20 y 30`, `from 14 to 72`.
        if approx == Approx::Exact {
            if let Some((max, range_start, range_end)) = self.range(start, end, floor) {
                let (low, high) = (value, max.value * self.suffix_multiplier(&max));
                let low = if max.scale > 1.0 && low < max.value / max.scale {
                    low * max.scale
                } else {
                    low
                };
                if high > low {
                    value = low;
                    value_max = Some(high);
                    approx = Approx::Range;
                    start = range_start;
                    end = range_end;
                    if let Some((spec, e)) = self.suffix(end) {
                        unit = spec.unit;
                        currency = spec.currency.clone().or(currency);
                        end = e;
                    }
                }
            }
        }
        if approx == Approx::Exact {
            // `al menos el 70%`: an article may stand between the two.
            let gap = start > floor
                && self.vocab.has_context(self.key(start - 1), "approx_gap")
                && longest_before(self.tokens, start - 1, &self.vocab.approximators).is_some();
            let before = if gap { start - 1 } else { start };
            if let Some((n, s)) = longest_before(self.tokens, before, &self.vocab.approximators)
                .filter(|(_, s)| *s >= floor)
            {
                approx = self.vocab.approximators[n].1;
                start = s;
            }
        }
        let currency = currency.map(|c| match (c.as_str(), self.lang) {
            ("$", Language::En) => "USD".to_string(),
            ("$", Language::Es) => "MXN".to_string(),
            _ => c,
        });
        let span = Span::new(self.tokens[start].span.start, self.tokens[end - 1].span.end);
        let (mut subject, subject_end) = self.subject(end, unit);
        if unit == Unit::Percent {
            subject = self.rate_noun(start, floor).or(subject);
        }
        let figure = Figure {
            value,
            value_max,
            approx,
            unit,
            currency,
            subject,
            event: None,
            salient: false,
        };
        let found = FigureMatch {
            span,
            figure,
            tokens: (start, end),
            subject_end,
        };
        Some((found, end))
    }

    /// Read a number phrase starting at `i`: digits, number words, or both.
    fn number(&self, i: usize) -> Option<Number> {
        let mut total = 0.0;
        let mut current = 0.0;
        let mut place = f64::INFINITY;
        let mut largest_scale = 1.0;
        let mut last_role: Option<Role> = None;
        let mut digits = false;
        let mut words = 0;
        let mut article = false;
        let mut j = i;
        while j < self.tokens.len() {
            let tok = &self.tokens[j];
            if j > i && !tok.space_before && tok.kind != TokenKind::Word {
                break;
            }
            match tok.kind {
                TokenKind::Number => {
                    let fresh = j == i || (last_role == Some(Role::Scale) && current == 0.0);
                    let Some(v) = parse_digits(&tok.lower, self.lang) else {
                        break;
                    };
                    // `place` is infinite before any number is read.
                    if !fresh || place.is_finite() && v >= place {
                        break;
                    }
                    current = v;
                    place = 0.0;
                    digits = true;
                    last_role = None;
                    // A space as thousands separator: `32 000`, `1 234 567`.
                    let plain = |t: &Token, len: usize| {
                        t.kind == TokenKind::Number
                            && t.lower.len() <= len
                            && t.lower.bytes().all(|b| b.is_ascii_digit())
                    };
                    if plain(tok, 3) {
                        while let Some(next) = self.tokens.get(j + 1) {
                            let gap = &self.text[self.tokens[j].span.end..next.span.start];
                            if gap != " " || !plain(next, 3) || next.lower.len() != 3 {
                                break;
                            }
                            current = current * 1000.0 + parse_digits(&next.lower, self.lang)?;
                            j += 1;
                        }
                    }
                }
                TokenKind::Word => {
                    let mut state = (total, current, place, largest_scale, last_role, article);
                    let mut ok = true;
                    for (n, part) in tok.key.split(['-', '\'']).enumerate() {
                        let first = j == i && n == 0;
                        if !self.apply_word(part, first, &mut state) {
                            ok = false;
                            break;
                        }
                    }
                    if !ok {
                        // `y`/`and` only joins when a number follows.
                        break;
                    }
                    if state.4 == Some(Role::Conj) {
                        let next = self.tokens.get(j + 1);
                        let continues = next.is_some_and(|t| {
                            t.space_before
                                && self.vocab.number_word(&t.key).is_some_and(|r| {
                                    r.iter().any(|(v, role)| {
                                        matches!(
                                            role,
                                            Role::Unit | Role::Hundred | Role::Ten | Role::Article
                                        ) && *v < state.2
                                    })
                                })
                        });
                        if !continues {
                            break;
                        }
                    }
                    (total, current, place, largest_scale, last_role, article) = state;
                    words += 1;
                }
                TokenKind::Punct => break,
            }
            j += 1;
        }
        if j == i || (article && total == 0.0 && current == 0.0) || last_role == Some(Role::Article)
        {
            return None;
        }
        if last_role == Some(Role::Conj) {
            j -= 1;
        }
        let value = total + current;
        Some(Number {
            value,
            end: j,
            digits,
            scale: largest_scale,
            single_word: words == 1 && !digits && j == i + 1,
        })
    }

    /// Fold one number word into the running state
    /// `(total, current, place, largest_scale, last_role, article)`.
    #[allow(clippy::type_complexity)]
    fn apply_word(
        &self,
        part: &str,
        first: bool,
        state: &mut (f64, f64, f64, f64, Option<Role>, bool),
    ) -> bool {
        let (total, current, place, largest, last, article) = state;
        let Some(readings) = self.vocab.number_word(part) else {
            return false;
        };
        for &(v, role) in readings {
            match role {
                Role::Unit | Role::Ten | Role::Hundred
                    if v < *place && !(*last == Some(Role::Article)) =>
                {
                    *current += v;
                    *place = match role {
                        Role::Ten => 10.0,
                        Role::Hundred => 100.0,
                        _ => 1.0,
                    };
                    *last = Some(role);
                    return true;
                }
                Role::Mult if *current > 0.0 || *last == Some(Role::Article) => {
                    *current = current.max(1.0) * v;
                    *place = v;
                    *last = Some(role);
                    return true;
                }
                Role::Scale if *last != Some(Role::Conj) => {
                    if v > *largest {
                        // `mil millones`, `500 mil millones`: a larger scale
                        // right after a smaller one multiplies what came
                        // before; `mil` alone (nothing before) is one
                        // thousand. (It added one: 500,001,000,000.)
                        let head = if *current == 0.0 && *total > 0.0 {
                            0.0
                        } else {
                            current.max(1.0)
                        };
                        *total = (*total + head) * v;
                        *largest = v;
                    } else {
                        *total += current.max(1.0) * v;
                    }
                    *current = 0.0;
                    *place = v;
                    *last = Some(role);
                    return true;
                }
                Role::Conj if !first && *total + *current > 0.0 => {
                    let allowed = match self.lang {
                        Language::Es => *last == Some(Role::Ten),
                        Language::En => *place >= 100.0,
                    };
                    if allowed {
                        *last = Some(role);
                        return true;
                    }
                }
                // `ochenta y un mil`, `novecientos un millones`: inside a
                // number, `un` is the unit one.
                Role::Article
                    if matches!(*last, Some(Role::Conj | Role::Hundred)) && v < *place =>
                {
                    *current += v;
                    *place = 1.0;
                    *last = Some(Role::Unit);
                    return true;
                }
                Role::Article if first => {
                    *article = true;
                    *last = Some(role);
                    return true;
                }
                _ => {}
            }
        }
        false
    }

    /// Numbers that are not figures: footnote marks, identifiers, ordinals,
    /// years, list numbers, durations, ages, `one` as a pronoun.
    fn excluded(&self, i: usize, number: &Number) -> bool {
        let tok = &self.tokens[i];
        let end = number.end;
        let next = self.tokens.get(end);
        let prev = i.checked_sub(1).map(|p| &self.tokens[p]);
        if number.digits && tok.kind == TokenKind::Number {
            // Glued to the word before: `Mexico.12`, `complaints,3`.
            if let Some(p) = prev.filter(|_| !tok.space_before) {
                // A function word cannot carry a footnote: `from 14 to72` is a
                // lost space, `Mexico12` a mark.
                let glued_word = (p.kind == TokenKind::Word
                    && !self.vocab.stop.contains(p.key.as_str()))
                    || (matches!(
                        p.lower.as_str(),
                        "." | "," | ";" | ":" | ")" | "”" | "\"" | "’"
                    ) && !p.space_before
                        && i >= 2
                        && self.tokens[i - 2].kind != TokenKind::Punct);
                if glued_word {
                    return true;
                }
            }
            // Glued to what follows: `102nd`, `51/2014`, `10:30`, `7VG`.
            if let Some(n) = next.filter(|n| !n.space_before) {
                let unit_suffix = self.suffix(end).is_some();
                if (n.kind == TokenKind::Word && !unit_suffix)
                    || matches!(n.lower.as_str(), "/" | ":" | "º" | "°" | "ª")
                {
                    return true;
                }
            }
            if prev.is_some_and(|p| !tok.space_before && p.lower == "/") {
                return true;
            }
            // Codes: `Z-40`, `COVID-19`, `MI-17`.
            if prev.is_some_and(|p| !tok.space_before && p.lower == "-")
                && i >= 2
                && self.tokens[i - 2].kind == TokenKind::Word
                && !self.tokens[i - 1].space_before
            {
                return true;
            }
            if self.phone_like(i) {
                return true;
            }
            // A number closing a short quotation is a nickname: `"el 85"`, `"Z 40"`.
            let closes_quote = next.is_some_and(|n| {
                !n.space_before && matches!(n.lower.as_str(), "\"" | "”" | "»" | "'" | "’")
            });
            if closes_quote
                && (i.saturating_sub(3)..i).any(|q| {
                    matches!(self.tokens[q].lower.as_str(), "\"" | "“" | "«" | "'" | "‘")
                        && self.tokens.get(q + 1).is_some_and(|t| !t.space_before)
                })
            {
                return true;
            }
            // A bare year is a date, not a figure.
            let plain = tok.lower.chars().all(|c| c.is_ascii_digit());
            if plain
                && tok.lower.len() == 4
                && (1800.0..=2100.0).contains(&number.value)
                && number.scale == 1.0
                && self.suffix(end).is_none()
            {
                let money = prev.is_some_and(|p| p.lower == "$");
                if !money {
                    return true;
                }
            }
            // Leading zeros mark identifiers: `Informe 010`.
            if tok.lower.len() > 1
                && tok.lower.starts_with('0')
                && !tok.lower[1..].starts_with([',', '.'])
            {
                return true;
            }
            // Enumerations inside a sentence: `(2) Colombia has…`.
            // A count given in brackets after a name is a figure: `Nariño (29)`.
            let enclosed = prev.is_some_and(|p| p.lower == "(")
                && next.is_some_and(|n| n.lower == ")" && !n.space_before);
            let after_name = i >= 2
                && self.tokens[i - 2].kind == TokenKind::Word
                && self.tokens[i - 2]
                    .span
                    .of(self.text)
                    .starts_with(char::is_uppercase);
            if enclosed && number.value < 30.0 && end == i + 1 && !after_name {
                return true;
            }
            // An age after a name: `Arnulfo Antunez, 37; and …`.
            let after_name = prev.is_some_and(|p| p.lower == ",")
                && i >= 2
                && self.tokens[i - 2]
                    .span
                    .of(self.text)
                    .starts_with(char::is_uppercase)
                && next.is_none_or(|n| matches!(n.lower.as_str(), "," | ";" | ")"))
                && number.value <= 120.0
                && end == i + 1;
            if after_name {
                return true;
            }
            // A list number opening the paragraph: `1.`, `2)`.
            if (i == 0 || (i == 1 && self.key(0) == "("))
                && next.is_some_and(|n| !n.space_before && matches!(n.lower.as_str(), "." | ")"))
            {
                return true;
            }
        }
        // `Article 73`, `No. 5`, `Recomendación 51`, `Executive Order (EO) 14059`.
        let mut before = i;
        if self.key(i.wrapping_sub(1)) == ")" && i >= 3 && self.key(i - 3) == "(" {
            before = i - 3;
        }
        if [i, before]
            .iter()
            .any(|&b| longest_before(self.tokens, b, &self.vocab.identifiers_before).is_some())
        {
            return true;
        }
        // `22 U.S.C. 2291`.
        if longest_at(self.tokens, end, &self.vocab.identifiers_after).is_some() {
            return true;
        }
        if let Some(b) = i.checked_sub(1) {
            let word = &self.tokens[b].key;
            if self.vocab.has_context(word, "age_before") {
                return true;
            }
            // `under the age of 5`, `menores de 5 años de edad`.
            if matches!(word.as_str(), "of" | "de")
                && b >= 1
                && self
                    .vocab
                    .has_context(&self.tokens[b - 1].key, "age_before")
            {
                return true;
            }
        }
        // Compound modifiers: `3-year initiative`, `36-year civil war`, `10-point plan`
        // (but `50-something` is an approximate figure).
        let hyphen_word = next.is_some_and(|n| n.lower == "-" && !n.space_before)
            && longest_at(self.tokens, end, &self.vocab.approximators_after).is_none()
            && self
                .tokens
                .get(end + 1)
                .is_some_and(|w| w.kind == TokenKind::Word && !w.space_before && w.key != "fold");
        if hyphen_word {
            return true;
        }
        // Durations, ages and distances: `five years`, `two more years`,
        // `48 horas`, `37-year-old`, `two blocks away`.
        let mut unit = end;
        while unit < end + 2 && self.vocab.has_context(self.key(unit), "time_modifier") {
            unit += 1;
        }
        if ["time_after", "measure_after"]
            .iter()
            .any(|role| self.vocab.has_context(self.key(unit), role))
        {
            return true;
        }
        // `one` as a pronoun: `one of`, `the one that`.
        if number.single_word && number.value == 1.0 {
            let after = next.is_some_and(|n| self.vocab.has_context(&n.key, "pronoun_after"));
            let before = prev.is_some_and(|p| self.vocab.has_context(&p.key, "pronoun_before"));
            let denominator = if self.key(end + 1) == "cada" {
                end + 2
            } else {
                end + 1
            };
            let ratio = matches!(self.key(end), "in" | "de")
                && self.tokens.get(denominator).is_some_and(|t| {
                    t.kind == TokenKind::Number || self.vocab.number_word(&t.key).is_some()
                });
            if (after || before) && !ratio {
                return true;
            }
        }
        false
    }

    /// Telephone numbers and codes: digit groups chained by `-` or `.`
    /// (`555-123-4567`), the tail of a chain whose head was no figure
    /// (`pp. 12-15`), a bracketed area code (`(55) 5555-1234`), a `+`
    /// country code, or a pair that cannot be a range (`5555-1234`).
    fn phone_like(&self, i: usize) -> bool {
        let t = self.tokens;
        let plain = |k: usize| {
            t.get(k).is_some_and(|n| {
                n.kind == TokenKind::Number && n.lower.bytes().all(|b| b.is_ascii_digit())
            })
        };
        // Token `k` is a separator glued between two numbers.
        let link = |k: usize| {
            k >= 1
                && t.get(k)
                    .is_some_and(|s| !s.space_before && matches!(s.lower.as_str(), "-" | "." | "–"))
                && t.get(k + 1)
                    .is_some_and(|n| n.kind == TokenKind::Number && !n.space_before)
                && t[k - 1].kind == TokenKind::Number
        };
        if link(i + 1) && link(i + 3) {
            return true;
        }
        if i >= 1 && link(i - 1) {
            return true;
        }
        if i >= 1 && t[i - 1].lower == "+" && !t[i].space_before {
            return true;
        }
        let bracketed = i >= 1
            && t[i - 1].lower == "("
            && self.key(i + 1) == ")"
            && t.get(i + 2).is_some_and(|n| n.kind == TokenKind::Number);
        if bracketed {
            return true;
        }
        if link(i + 1) && plain(i) && plain(i + 2) && t[i + 2].lower.len() == 4 {
            let (low, high) = (
                t[i].lower.parse::<f64>().unwrap_or(0.0),
                t[i + 2].lower.parse::<f64>().unwrap_or(0.0),
            );
            return t[i].lower.len() >= 3 && (high < low || high > 10.0 * low);
        }
        false
    }

    /// `three times`, `tenfold` written `10-fold`, `one in five`, `uno de cada cinco`.
    fn ratio_after(&self, number: &Number) -> Option<(f64, usize)> {
        let end = number.end;
        match self.key(end) {
            "times" | "veces" | "fold" => return Some((number.value, end + 1)),
            "-" if self.key(end + 1) == "fold" && self.glued(end) => {
                return Some((number.value, end + 2))
            }
            _ => {}
        }
        if number.value == 1.0 {
            let after = match (self.key(end), self.key(end + 1)) {
                ("in", _) | ("out", _) => end + 1 + (self.key(end) == "out") as usize,
                ("de", "cada") => end + 2,
                _ => return None,
            };
            let after = if self.key(after) == "of" {
                after + 1
            } else {
                after
            };

            if self.tokens.get(after).is_some() {
                let denominator = self.number(after)?;
                if denominator.value > 1.0 {
                    return Some((1.0 / denominator.value, denominator.end));
                }
            }
        }
        None
    }

    /// `half` counts as a ratio when it measures something (`half of`, `about half`).
    fn ratio_context(&self, i: usize, end: usize) -> bool {
        let prev = i.checked_sub(1).map_or("", |p| self.key(p));
        if self.key(i) == "twice" {
            // `twice as many`, `more than twice the amount`, not `confronted them twice`.
            let approximated = longest_before(self.tokens, i, &self.vocab.approximators).is_some();
            return approximated || matches!(self.key(end), "as" | "the" | "that" | "what");
        }
        !matches!(
            prev,
            "first" | "second" | "last" | "latter" | "primera" | "segunda"
        )
    }

    fn suffix(&self, end: usize) -> Option<(&UnitSpec, usize)> {
        longest_at(self.tokens, end, &self.vocab.suffixes)
            .map(|(n, e)| (&self.vocab.suffixes[n].1, e))
    }

    fn suffix_multiplier(&self, number: &Number) -> f64 {
        self.suffix(number.end).map_or(1.0, |(s, _)| s.multiplier)
    }

    /// `… of U.S. taxpayer dollars`, `… de dólares`: money named a few words
    /// on; with the token after the currency when it follows `of` directly.
    fn currency_of(&self, end: usize) -> Option<(&UnitSpec, Option<usize>)> {
        if !matches!(self.key(end), "of" | "de") {
            return None;
        }
        (end + 1..(end + 9).min(self.tokens.len())).find_map(|j| {
            longest_at(self.tokens, j, &self.vocab.suffixes)
                .map(|(n, e)| (&self.vocab.suffixes[n].1, (j == end + 1).then_some(e)))
                .filter(|(s, _)| s.unit == Unit::Money)
        })
    }

    /// A word after the head noun that starts the predicate: a finite verb
    /// (`died`, `arrived`, `desaparecieron`, `quedó`) or a modal; the words
    /// and endings are `subject_end` and `subject_end_suffix` entries of
    /// `figure_context.tsv`.
    fn ends_subject(&self, tok: &Token) -> bool {
        self.vocab.has_context(&tok.key, "subject_end")
            || self
                .vocab
                .subject_end_suffixes
                .iter()
                .any(|s| tok.lower.ends_with(s.as_str()) && tok.lower.len() > s.len() + 2)
    }

    /// The second number of a range, and the range's token bounds.
    fn range(&self, start: usize, end: usize, floor: usize) -> Option<(Number, usize, usize)> {
        let opener = start
            .checked_sub(1)
            .filter(|&s| s >= floor)
            .map(|s| self.key(s))
            .unwrap_or("");
        let link = self.key(end);
        let paired = matches!(
            (opener, link),
            ("between", "and")
                | ("entre", "y")
                | ("from", "to")
                | ("de", "a")
                | ("desde", "hasta")
                | ("from", "through")
        );
        // `expanded its watchlist from 14 to 72`, `pasó de 14 a 72`: a
        // change, two figures. The verb is a few words back in the clause.
        if paired && matches!(opener, "from" | "de") {
            let clause = (start.saturating_sub(7)..start.saturating_sub(1))
                .rev()
                .take_while(|&k| self.tokens[k].kind == TokenKind::Word);
            if clause
                .into_iter()
                .any(|k| self.vocab.has_context(&self.tokens[k].key, "change_before"))
            {
                return None;
            }
        }
        let dash =
            matches!(link, "-" | "–" | "—") && self.tokens[end - 1].kind == TokenKind::Number;
        let bare_to = matches!(link, "to" | "a")
            && opener != "from"
            && opener != "de"
            && self.tokens[end - 1].kind == TokenKind::Number;
        if !(paired || dash || bare_to) {
            return None;
        }
        let mut second = end + 1;
        if let Some((_, after_prefix)) = longest_at(self.tokens, second, &self.vocab.prefixes) {
            second = after_prefix;
        }
        if second >= self.tokens.len() {
            return None;
        }
        let max = self.number(second)?;
        if self.excluded(second, &max) && !(dash && max.digits) {
            return None;
        }
        let range_start = if paired { start - 1 } else { start };
        Some((max, range_start, max.end))
    }

    /// The noun a figure counts: the words after it, up to a function word
    /// (`43 students`, `80 percent of cases`, `pounds of fentanyl`,
    /// `27 de los 32 departamentos`, `three U.S. diplomats`); and the token
    /// after them.
    fn subject(&self, end: usize, unit: Unit) -> (Option<String>, usize) {
        let skip: &[&str] = match unit {
            Unit::Percent | Unit::Ratio => &[
                "of", "the", "all", "de", "los", "las", "del", "la", "el", "todos", "todas",
            ],
            // Not `for`/`para`: `$350 million for Mexico` is aid to Mexico, not
            // a sum that counts Mexico.
            Unit::Money => &["in", "on", "of", "de", "en", "the", "los", "las"],
            Unit::Count => &["of", "the", "de", "los", "las", "del"],
        };
        let skip_from = |mut j: usize| {
            while j < self.tokens.len() && j < end + 4 && skip.contains(&self.key(j)) {
                j += 1;
            }
            j
        };
        let mut j = skip_from(end);
        // `27 of the 32 departments`: the count is of what the second number counts.
        if j > end
            && self
                .tokens
                .get(j)
                .is_some_and(|t| t.kind == TokenKind::Number)
        {
            j = skip_from(j + 1);
        }
        // `39 "disappearances"`: an opening quote before the noun.
        if self.tokens.get(j).is_some_and(|t| {
            t.kind == TokenKind::Punct && matches!(t.key.as_str(), "\"" | "“" | "«" | "'" | "‘")
        }) && self
            .tokens
            .get(j + 1)
            .is_some_and(|t| t.kind == TokenKind::Word)
        {
            j += 1;
        }
        let mut words: Vec<String> = Vec::new();
        while let Some(tok) = self.tokens.get(j) {
            let (word, next) = self.subject_word(j);
            let content = |k: usize| {
                self.tokens.get(k).is_some_and(|t| {
                    t.kind == TokenKind::Word && !self.vocab.stop.contains(t.key.as_str())
                })
            };
            // One inner `of`: `cases of torture`, `casos de tortura`.
            if !words.is_empty()
                && matches!(tok.key.as_str(), "of" | "de")
                && !words.iter().any(|w| w == "of" || w == "de")
                && content(j + 1)
                && self.vocab.number_word(self.key(j + 1)).is_none()
            {
                words.push(tok.key.to_string());
                j += 1;
                continue;
            }
            // A listed verb ends the subject even first (`72 siguen sin…`); an
            // ending only when no noun follows (`disappeared persons`).
            let verb_first = words.is_empty()
                && (self.vocab.has_context(&tok.key, "subject_end")
                    || self.ends_subject(tok) && !content(next));
            // `over 100 domestic and international arrests`: adjectives joined
            // by `and` before a known head go on to the head.
            if !words.is_empty() && self.coordinated_head(j) {
                words.push(tok.key.to_string());
                j += 1;
                continue;
            }
            let stop = tok.kind != TokenKind::Word
                || words.len() >= 4
                || verb_first
                || self.vocab.stop.contains(tok.key.as_str())
                || self.vocab.number_word(&tok.key).is_some()
                || (!words.is_empty() && self.ends_subject(tok));
            if stop {
                break;
            }
            words.push(word);
            j = next;
            // English noun phrases end at their head: `children` in `half
            // of the children suffer`, unless `of` goes on (`cases of torture`).
            let head = self.lang == Language::En
                && self.salience.subject(&tok.key, self.lang).is_some()
                && self.key(j) != "of";
            if head {
                break;
            }
        }
        if words.last().is_some_and(|w| w == "of" || w == "de") {
            words.pop();
            j -= 1;
        }
        // `5,000 of those were children`: what the pronoun stands for follows the verb.
        let copula = matches!(
            self.key(j),
            "were" | "was" | "are" | "is" | "eran" | "fueron" | "son"
        );
        if words.len() == 1 && PRONOUNS.contains(&words[0].as_str()) && copula {
            if let (Some(subject), subject_end) = self.subject(j + 1, Unit::Count) {
                return (Some(subject), subject_end);
            }
        }
        // `5,000 of them children`: the noun right after the pronoun.
        if words.len() > 1 && PRONOUNS.contains(&words[0].as_str()) {
            return (Some(words[1..].join(" ")), j);
        }
        if words.is_empty() || PRONOUNS.contains(&words[0].as_str()) {
            return (None, end);
        }
        (Some(words.join(" ")), j)
    }

    /// `una impunidad del 90%`, `a conviction rate of 2%`: a percentage
    /// with no noun after it measures the noun before `of`/`del`.
    fn rate_noun(&self, start: usize, floor: usize) -> Option<String> {
        let of = start.checked_sub(1).filter(|&k| k > floor)?;
        if !matches!(self.key(of), "of" | "del" | "de") {
            return None;
        }
        let mut k = of - 1;
        if matches!(self.key(k), "rate" | "tasa" | "indice" | "level" | "nivel") && k > floor {
            k -= 1;
        }
        let t = &self.tokens[k];
        (t.kind == TokenKind::Word && !self.vocab.stop.contains(t.key.as_str()))
            .then(|| t.lower.to_string())
    }

    /// `and`/`or`/`y` at token `j` between adjectives and a known head
    /// (`domestic and international arrests`): one or two plain words, the
    /// last of them a subject head.
    fn coordinated_head(&self, j: usize) -> bool {
        if !matches!(self.key(j), "and" | "or" | "y" | "o") {
            return false;
        }
        let plain = |k: usize| {
            self.tokens.get(k).is_some_and(|t| {
                t.kind == TokenKind::Word && !self.vocab.stop.contains(t.key.as_str())
            })
        };
        let head = |k: usize| plain(k) && self.salience.subject(self.key(k), self.lang).is_some();
        self.lang == Language::En && plain(j + 1) && head(j + 2) && !head(j + 1)
    }

    /// The word at token `j` in lower case, with a dotted abbreviation
    /// read whole (`U.S.`); and the token after it.
    fn subject_word(&self, j: usize) -> (String, usize) {
        let mut k = j + 1;
        let mut dotted = false;
        while self.key(k) == "."
            && self.glued(k)
            && self.tokens.get(k + 1).is_some_and(|t| {
                t.kind == TokenKind::Word && !t.space_before && t.key.chars().count() == 1
            })
        {
            k += 2;
            dotted = true;
        }
        if dotted && self.key(k) == "." && self.glued(k) {
            k += 1;
        }
        // `U.S.-based`: a hyphen glued on both sides joins the next word.
        while dotted
            && self.key(k) == "-"
            && self.glued(k)
            && self
                .tokens
                .get(k + 1)
                .is_some_and(|t| t.kind == TokenKind::Word && !t.space_before)
        {
            k += 2;
        }
        let span = Span::new(self.tokens[j].span.start, self.tokens[k - 1].span.end);
        (span.of(self.text).to_lowercase(), k)
    }
}

/// Words that stand for what is counted without naming it (`15 of them`).
const PRONOUNS: &[&str] = &[
    "them", "those", "these", "us", "you", "ellos", "ellas", "nosotros", "estos", "estas", "esos",
    "esas",
];

/// A digit string as a number, reading `,` and `.` as thousands separators
/// or decimal marks the way each language writes them: `32,000` and
/// `32.000` are thirty-two thousand, `2.5` and `1,5` are decimals.
pub fn parse_digits(s: &str, lang: Language) -> Option<f64> {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '\u{a0}' | '\u{202f}'))
        .collect();
    let commas = s.matches(',').count();
    let dots = s.matches('.').count();
    let (thousands, decimal) = match (commas, dots) {
        (0, 0) => (None, None),
        (_, 0) => classify_separator(&s, ',', commas, lang),
        (0, _) => classify_separator(&s, '.', dots, lang),
        _ => {
            let last_comma = s.rfind(',').unwrap();
            let last_dot = s.rfind('.').unwrap();
            if last_dot > last_comma {
                (Some(','), Some('.'))
            } else {
                (Some('.'), Some(','))
            }
        }
    };
    // Thousands groups after the first have three digits: `55.5555.1234`
    // is a code, not a number.
    if let Some(sep) = thousands {
        let int_part = decimal.map_or(s.as_str(), |d| s.split(d).next().unwrap_or(""));
        let mut groups = int_part.split(sep);
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    let mut clean = String::with_capacity(s.len());
    for c in s.chars() {
        if Some(c) == thousands {
            continue;
        }
        clean.push(if Some(c) == decimal { '.' } else { c });
    }
    if clean.matches('.').count() > 1 {
        return None;
    }
    clean.parse().ok()
}

fn classify_separator(
    s: &str,
    sep: char,
    count: usize,
    lang: Language,
) -> (Option<char>, Option<char>) {
    let groups: Vec<&str> = s.split(sep).collect();
    let grouped = groups[1..].iter().all(|g| g.len() == 3)
        && !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[0] != "0";
    if count > 1 || (grouped && !(sep == '.' && lang == Language::En)) {
        (Some(sep), None)
    } else {
        (None, Some(sep))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first filter lets through every word a figure can begin with,
    /// and stops ordinary words before any lookup.
    #[test]
    fn a_figure_may_start_at_its_words_only() {
        let g = FigureGrammar::new(&Dictionaries::embedded()).unwrap();
        for v in [&g.en, &g.es] {
            let firsts = v.words.keys().map(String::as_str);
            let firsts = firsts
                .chain(v.vague.first_keys())
                .chain(v.ratios.first_keys());
            for word in firsts {
                assert!(v.may_start(word), "{word}");
            }
        }
        for word in [
            "forty-three",
            "veintitrés-mil",
            "a",
            "thousands",
            "docenas",
            "half",
        ] {
            let v = if word.contains('é') || word == "docenas" {
                &g.es
            } else {
                &g.en
            };
            assert!(
                v.may_start(&crate::extract::tokens::unaccent(word)),
                "{word}"
            );
        }
        let ordinary = [
            "soldiers",
            "killed",
            "civilians",
            "in",
            "the",
            "state",
            "of",
            "mexico",
        ];
        let passed = ordinary.iter().filter(|w| g.en.may_start(w)).count();
        assert!(passed <= 2, "{passed} ordinary words passed");
    }

    #[test]
    fn digits_in_both_conventions() {
        use Language::*;
        let cases = [
            ("32,000", En, 32000.0),
            ("32.000", Es, 32000.0),
            ("1,238", Es, 1238.0),
            ("2.5", En, 2.5),
            ("2.5", Es, 2.5),
            ("1,5", Es, 1.5),
            ("1.53", En, 1.53),
            ("440,000,000", En, 440000000.0),
            ("1.234.567,5", Es, 1234567.5),
            ("1,234,567.5", En, 1234567.5),
            ("0,500", Es, 0.5),
            ("43", En, 43.0),
        ];
        for (s, lang, want) in cases {
            assert_eq!(parse_digits(s, lang), Some(want), "{s}");
        }
    }
}

//! A generated corpus of any size, for benchmarks (`benches/index.rs`) and
//! a `cifra bench` command: reports built by recombining the paragraphs of
//! the sample reports in `corpus/`, in their languages and in every input
//! format cifra reads, so that no large data has to be committed.
//! Deterministic: the same sources, size and seed give the same bytes.
//!
//! **Sources.** [`Sources::embedded`] holds the paragraphs of the bundled
//! corpus (compiled into the binary, so it generates anywhere), one
//! [`Sources`] per language as `corpus/metadata.csv` gives it: the prose of
//! the `.txt` files (hard-wrapped lines re-joined, page numbers, running
//! headers and footnotes left out), the body of the `.md` files (front
//! matter, headings and markup left out) and the text of the `.html` files
//! (as cifra's own HTML reader sees it), each paragraph at least 80 bytes,
//! on one line, starting and ending a sentence (titles and bylines left
//! out). Titles and publishers come from `metadata.csv`.
//!
//! **Variation.** Every paragraph and title is varied as it is used, from
//! the seed: each run of digits becomes another number of the same length
//! (the first digit not 0), except that a four-digit year (1900–2099)
//! becomes a year in 1995–2025, a day next to a month name (`30 June`,
//! `June 30`, `30 de junio`, `Sept. 26-27`) a day from 1 to 28, and no other
//! four-digit number becomes year-like (an English ordinal keeps a fitting
//! suffix: `21st`, `42nd`); English and Spanish month names
//! become other months of the same language and capitalisation (English
//! ones only when capitalised: `may` is a verb); and the people listed in
//! `dictionaries/generator/names.tsv` get names drawn from that file's lists
//! of Mexican given names and surnames.
//!
//! **Formats.** [`write_corpus`] writes each report in one of these
//! layouts, in a fixed rotation per language:
//!
//! | layout | file | English | Spanish |
//! |---|---|---|---|
//! | plain text, UTF-8 | `.txt` | 1 in 4 | 3 in 12 |
//! | Markdown with `---` front matter (title, date, publisher, language) | `.md` | 1 in 4 | 2 in 12 |
//! | HTML: `<title>`, `<meta name="date">`, `<nav>`, `<script>`, a `<p>` per paragraph | `.html` | 1 in 4 | 2 in 12 |
//! | PDF-extracted text: wrapped at 70–80 columns, a running header and a page number every 46–54 lines, form feeds between pages | `.txt` | 1 in 4 | 2 in 12 |
//! | plain text, Windows-1252 with CRLF line ends (UTF-8 if a character has no Windows-1252 byte) | `.txt` | — | 2 in 12 |
//! | plain text, UTF-16LE with a BOM | `.txt` | — | 1 in 12 |
//!
//! Sources of unknown language ([`Sources::from_texts`]) rotate like
//! English. Reports have 3 to 30 paragraphs, a title and (for a known
//! language) a dateline; sizes are counted in bytes written, after
//! encoding. No metadata file is written (cifra would read it): a report's
//! title and date are in its front matter or `<head>`, or in its first
//! lines. [`write_single`] streams one large plain UTF-8 report.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use crate::document::{Language, ParagraphRole, Span};
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

/// The paragraphs of one language's sample reports, and titles and
/// publishers to head generated reports with.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// `None` when not known ([`Sources::from_texts`]).
    pub language: Option<Language>,
    pub paragraphs: Vec<String>,
    /// Report titles; when empty, titles are taken from paragraphs.
    pub titles: Vec<String>,
    /// Publisher names; when empty, a generic one for the language.
    pub publishers: Vec<String>,
}

/// The bundled corpus, compiled in.
macro_rules! corpus_files {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_bytes!(concat!("../corpus/", $file)) as &[u8])),*]
    };
}

const CORPUS: &[(&str, &[u8])] = corpus_files![
    "01_tlatlaya-army-killings.txt",
    "02_tlatlaya-recomendacion-51-2014.txt",
    "03_iguala-students-murillo-karam.txt",
    "04_verdad-historica-pgr.txt",
    "05_giei-primer-informe.html",
    "06_giei-final-report.md",
    "07_torture-general-law-briefing.txt",
    "08_ayotzinapa-cinco-anos.txt",
    "09_merida-conditions-statement.txt",
    "10_internal-security-law-ruling.txt",
    "11_remain-in-mexico-briefing.md",
    "12_crisis-desaparicion-informe.txt",
    "13_guardia-nacional-militarizacion.md",
    "14_merida-to-bicentennial.html",
    "15_disappeared-100000-registry.txt",
    "16_title-42-ciudad-juarez-fire.txt",
    "17_san-fernando-72-migrantes.txt",
    "18_iguala-first-count.txt",
    "19_nochixtlan-first-reports.txt",
    "20_nochixtlan-informe-ong.txt",
];

const CORPUS_METADATA: &str = include_str!("../corpus/metadata.csv");

const NAMES_FILE: &str = include_str!("../dictionaries/generator/names.tsv");

/// Shortest paragraph taken from a source text, in bytes.
const MIN_PARAGRAPH: usize = 80;

impl Sources {
    /// Paragraphs (blank-line separated blocks of at least 80 bytes) of
    /// the given texts, of unknown language.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Sources {
        let paragraphs = texts
            .into_iter()
            .flat_map(|t| t.split("\n\n"))
            .map(str::trim)
            .filter(|p| p.len() >= MIN_PARAGRAPH)
            .map(str::to_string)
            .collect();
        Sources {
            paragraphs,
            ..Sources::default()
        }
    }

    /// The bundled corpus (`corpus/`, compiled into the binary): English
    /// first, then Spanish.
    pub fn embedded() -> Vec<Sources> {
        let rows = corpus_metadata();
        [Language::En, Language::Es]
            .into_iter()
            .map(|language| {
                let mut sources = Sources {
                    language: Some(language),
                    ..Sources::default()
                };
                for (file, bytes) in CORPUS {
                    let Some(row) = rows.iter().find(|r| r.file == *file) else {
                        continue;
                    };
                    if row.language != Some(language) {
                        continue;
                    }
                    sources.paragraphs.extend(corpus_paragraphs(file, bytes));
                    if !row.title.is_empty() {
                        sources.titles.push(row.title.clone());
                    }
                    if !row.publisher.is_empty() && !sources.publishers.contains(&row.publisher) {
                        sources.publishers.push(row.publisher.clone());
                    }
                }
                sources
            })
            .collect()
    }
}

struct CorpusRow {
    file: String,
    title: String,
    publisher: String,
    language: Option<Language>,
}

fn corpus_metadata() -> Vec<CorpusRow> {
    let mut reader = csv::Reader::from_reader(CORPUS_METADATA.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (file, title, publisher, language) = (
        column("file"),
        column("title"),
        column("publisher"),
        column("language"),
    );
    let field = |record: &csv::StringRecord, col: Option<usize>| {
        col.and_then(|c| record.get(c))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    reader
        .records()
        .filter_map(|r| r.ok())
        .map(|r| CorpusRow {
            file: field(&r, file),
            title: field(&r, title),
            publisher: field(&r, publisher),
            language: Language::parse(&field(&r, language)),
        })
        .collect()
}

/// The prose paragraphs of one bundled file, each on one line.
fn corpus_paragraphs(file: &str, bytes: &[u8]) -> Vec<String> {
    let Ok(decoded) = crate::ingest::decode::decode(bytes) else {
        return Vec::new();
    };
    let text = decoded.text.trim_start_matches('\u{feff}');
    if file.ends_with(".html") {
        paragraphs_of(&crate::ingest::html::extract(text).text)
    } else if file.ends_with(".md") {
        let body = &text[crate::ingest::markdown::parse(text).body.start..];
        static LINK: OnceLock<Regex> = OnceLock::new();
        let link = LINK.get_or_init(|| Regex::new(r"\[([^\]\n]*)\]\([^)\s]*\)").unwrap());
        paragraphs_of(&link.replace_all(body, "$1").replace('*', ""))
    } else {
        paragraphs_of(&without_footnotes(text))
    }
}

/// `text` without the notes under a `_____` separator (down to the next
/// blank line) and without the note marks they leave in the text
/// (`in 2013.1 Over`, `information.2 A`).
fn without_footnotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_notes = false;
    let mut had_notes = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.len() >= 5 && trimmed.chars().all(|c| c == '_') {
            in_notes = true;
            had_notes = true;
        } else if in_notes && trimmed.is_empty() {
            in_notes = false;
            out.push_str(line);
        } else if !in_notes {
            out.push_str(line);
        }
    }
    if !had_notes {
        return out;
    }
    static MARK: OnceLock<Regex> = OnceLock::new();
    let mark =
        MARK.get_or_init(|| Regex::new(r"(\p{Ll}[”’)]?|\b(?:19|20)\d\d)\.\d{1,2}(\s|$)").unwrap());
    mark.replace_all(&out, "$1.$2").into_owned()
}

/// Prose and list-item paragraphs of `text` as cifra's segmenter finds
/// them, without page furniture, each joined onto one line; a block that
/// ends no sentence (a title, a byline) or starts in lower case (the rest
/// of a list) is left out.
fn paragraphs_of(text: &str) -> Vec<String> {
    static MARKER: OnceLock<Regex> = OnceLock::new();
    let marker =
        MARKER.get_or_init(|| Regex::new(r"^(?:[-*+•·]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+").unwrap());
    let (paragraphs, noise) =
        crate::segment::paragraphs::split_with_noise(text, Span::new(0, text.len()));
    let mut out = Vec::new();
    for paragraph in paragraphs {
        if !matches!(
            paragraph.role,
            ParagraphRole::Prose | ParagraphRole::ListItem
        ) {
            continue;
        }
        let mut joined = String::new();
        let mut offset = paragraph.span.start;
        for raw in paragraph.span.of(text).split_inclusive('\n') {
            let line_span = Span::new(offset, offset + raw.len());
            offset += raw.len();
            let line = raw.trim();
            if line.is_empty() || noise.iter().any(|n| n.overlaps(line_span)) {
                continue;
            }
            let line = if joined.is_empty() && paragraph.role == ParagraphRole::ListItem {
                marker.find(line).map_or(line, |m| &line[m.end()..])
            } else {
                line
            };
            let hyphenated = joined.ends_with('-')
                && joined[..joined.len() - 1]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_lowercase)
                && line.chars().next().is_some_and(char::is_lowercase);
            if hyphenated {
                joined.pop();
            } else if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(line);
        }
        let joined = crate::document::fold_whitespace(&joined);
        // Titles and bylines end no sentence.
        let ends_sentence = joined
            .trim_end_matches(['"', '\'', '”', '’', ')', '»', ']'])
            .ends_with(['.', '!', '?', '…', ':', ';']);
        let starts_sentence = !joined.starts_with(char::is_lowercase);
        if joined.len() >= MIN_PARAGRAPH && ends_sentence && starts_sentence {
            out.push(joined);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Variation

const EN_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const ES_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// English month abbreviations that a day may follow (`Sept. 26`).
const EN_MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Case {
    Lower,
    Title,
    Upper,
}

fn case_of(word: &str) -> Option<Case> {
    let mut chars = word.chars();
    let first = chars.next()?;
    if word.chars().all(char::is_lowercase) {
        Some(Case::Lower)
    } else if word.chars().count() > 1 && word.chars().all(char::is_uppercase) {
        Some(Case::Upper)
    } else if first.is_uppercase() && chars.all(char::is_lowercase) {
        Some(Case::Title)
    } else {
        None
    }
}

fn with_case(word: &str, case: Case) -> String {
    match case {
        Case::Lower => word.to_string(),
        Case::Upper => word.to_uppercase(),
        Case::Title => {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        }
    }
}

/// The month list, month index and capitalisation of a month name.
fn month_of(word: &str) -> Option<(&'static [&'static str; 12], usize, Case)> {
    // Most words are ruled out without an allocation.
    let first = word.chars().next()?.to_ascii_lowercase();
    if !(3..=10).contains(&word.len()) || !"jfmasonde".contains(first) {
        return None;
    }
    let case = case_of(word)?;
    let lower = word.to_lowercase();
    if let Some(i) = EN_MONTHS.iter().position(|m| *m == lower) {
        return (case != Case::Lower).then_some((&EN_MONTHS, i, case));
    }
    ES_MONTHS
        .iter()
        .position(|m| *m == lower)
        .map(|i| (&ES_MONTHS, i, case))
}

/// The people to rename and the names to give them.
#[derive(Debug)]
struct Names {
    given: Vec<String>,
    surnames: Vec<String>,
    replaced: Vec<String>,
    finder: AhoCorasick,
}

fn parse_names(text: &str) -> std::result::Result<Names, String> {
    let (mut given, mut surnames, mut replaced) = (Vec::new(), Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') || line == "kind\tname" {
            continue;
        }
        let (kind, name) = line
            .split_once('\t')
            .ok_or_else(|| format!("generator/names.tsv, line {}: no tab", i + 1))?;
        let name = name.trim().to_string();
        if name.is_empty() || name.contains('\t') {
            return Err(format!("generator/names.tsv, line {}: bad name", i + 1));
        }
        match kind {
            "given" => given.push(name),
            "surname" => surnames.push(name),
            "replace" => replaced.push(name),
            other => {
                return Err(format!(
                    "generator/names.tsv, line {}: unknown kind '{other}'",
                    i + 1
                ))
            }
        }
    }
    if given.is_empty() || surnames.is_empty() {
        return Err("generator/names.tsv: no given names or no surnames".into());
    }
    let finder = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&replaced)
        .map_err(|e| e.to_string())?;
    Ok(Names {
        given,
        surnames,
        replaced,
        finder,
    })
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| parse_names(NAMES_FILE).expect("embedded generator/names.tsv"))
}

/// `p` with the listed people renamed (whole words only).
fn rename_people(p: &str, rng: &mut Rng) -> String {
    let names = names();
    let mut out = String::with_capacity(p.len() + 16);
    let mut last = 0;
    for m in names.finder.find_iter(p) {
        let before = p[..m.start()].chars().next_back();
        let after = p[m.end()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        out.push_str(&p[last..m.start()]);
        let words = names.replaced[m.pattern().as_usize()]
            .split_whitespace()
            .count();
        let mut pick = |list: &[String]| list[rng.below(list.len())].clone();
        let name = match words {
            1 => pick(&names.surnames),
            2 => format!("{} {}", pick(&names.given), pick(&names.surnames)),
            _ => format!(
                "{} {} {}",
                pick(&names.given),
                pick(&names.surnames),
                pick(&names.surnames)
            ),
        };
        out.push_str(&name);
        last = m.end();
    }
    out.push_str(&p[last..]);
    out
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Token<'a> {
    Digits(&'a str),
    Word(&'a str),
    Other(&'a str),
}

fn tokens(p: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = p.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let same: fn(char) -> bool = if c.is_ascii_digit() {
            |c| c.is_ascii_digit()
        } else if c.is_alphabetic() {
            char::is_alphabetic
        } else {
            |_| false
        };
        let mut end = start + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if !same(next) {
                break;
            }
            end = i + next.len_utf8();
            chars.next();
        }
        let s = &p[start..end];
        out.push(if c.is_ascii_digit() {
            Token::Digits(s)
        } else if c.is_alphabetic() {
            Token::Word(s)
        } else {
            Token::Other(s)
        });
    }
    out
}

/// Whether the digits at `i` are a day: next to a month name.
fn is_day(toks: &[Token], i: usize) -> bool {
    let month = |t: Option<&Token>| matches!(t, Some(Token::Word(w)) if month_of(w).is_some());
    let word = |t: Option<&Token>, s: &str| matches!(t, Some(Token::Word(w)) if *w == s);
    let space = |t: Option<&Token>| t == Some(&Token::Other(" "));
    let at = |k: isize| {
        usize::try_from(i as isize + k)
            .ok()
            .and_then(|j| toks.get(j))
    };
    let abbreviation = matches!(at(-3), Some(Token::Word(w)) if EN_MONTH_ABBREVIATIONS.contains(w));
    (space(at(1)) && month(at(2)))
        || (space(at(1)) && word(at(2), "de") && space(at(3)) && month(at(4)))
        || (space(at(-1)) && month(at(-2)))
        || (space(at(-1)) && at(-2) == Some(&Token::Other(".")) && abbreviation)
}

/// Random digits, the first not 0.
fn random_digits(len: usize, rng: &mut Rng) -> String {
    (0..len)
        .map(|k| {
            let d = if k == 0 {
                1 + rng.below(9)
            } else {
                rng.below(10)
            };
            char::from(b'0' + d as u8)
        })
        .collect()
}

/// The English ordinal suffix of a number written in digits.
fn ordinal_suffix(digits: &str) -> &'static str {
    let tens = digits.len().checked_sub(2).map(|i| &digits[i..i + 1]);
    match (tens, digits.chars().next_back()) {
        (Some("1"), _) => "th",
        (_, Some('1')) => "st",
        (_, Some('2')) => "nd",
        (_, Some('3')) => "rd",
        _ => "th",
    }
}

fn is_year(digits: &str) -> bool {
    digits.len() == 4
        && digits
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2099).contains(&y))
}

/// `p` varied: people renamed, then numbers, years, days and month names
/// replaced (see the module documentation).
fn vary(p: &str, rng: &mut Rng) -> String {
    let renamed = rename_people(p, rng);
    let toks = tokens(&renamed);
    let mut out = String::with_capacity(renamed.len() + 16);
    let mut last_day: Option<(usize, usize)> = None;
    let mut ordinal_at = None;
    for (i, tok) in toks.iter().enumerate() {
        match *tok {
            Token::Other(s) => out.push_str(s),
            Token::Word(_) if ordinal_at == Some(i) => {
                let number = &out[out.trim_end_matches(|c: char| c.is_ascii_digit()).len()..];
                out.push_str(ordinal_suffix(number));
            }
            Token::Word(w) => match month_of(w) {
                Some((list, m, case)) => {
                    let other = (m + 1 + rng.below(11)) % 12;
                    out.push_str(&with_case(list[other], case));
                }
                None => out.push_str(w),
            },
            Token::Digits(d) => {
                if matches!(
                    toks.get(i + 1),
                    Some(Token::Word("st" | "nd" | "rd" | "th"))
                ) {
                    ordinal_at = Some(i + 1);
                }
                let range_end = i >= 2
                    && matches!(toks[i - 1], Token::Other("-" | "–"))
                    && last_day.is_some_and(|(j, _)| j + 2 == i);
                if d.len() <= 2 && (range_end || is_day(&toks, i)) {
                    let day = match last_day {
                        Some((_, first)) if range_end => (first + 1 + rng.below(3)).min(28),
                        _ => 1 + rng.below(28),
                    };
                    if d.len() == 2 && d.starts_with('0') {
                        out.push_str(&format!("{day:02}"));
                    } else {
                        out.push_str(&day.to_string());
                    }
                    last_day = Some((i, day));
                } else if is_year(d) {
                    out.push_str(&(1995 + rng.below(31)).to_string());
                } else {
                    let mut digits = random_digits(d.len(), rng);
                    while is_year(&digits) {
                        digits = random_digits(d.len(), rng);
                    }
                    out.push_str(&digits);
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Reports

/// One generated report, before it is laid out.
struct Report {
    language: Option<Language>,
    title: String,
    publisher: String,
    /// Year, month (1–12), day (1–28).
    date: (usize, usize, usize),
    paragraphs: Vec<String>,
}

impl Report {
    /// A report of `n` varied paragraphs of `source`.
    fn new(source: &Sources, n: usize, rng: &mut Rng) -> Report {
        let paragraphs: Vec<String> = (0..n)
            .map(|_| vary(&source.paragraphs[rng.below(source.paragraphs.len())], rng))
            .collect();
        let title = if !source.titles.is_empty() && rng.below(2) == 0 {
            vary(&source.titles[rng.below(source.titles.len())], rng)
        } else {
            title_from(&paragraphs[0], 6 + rng.below(5))
        };
        let publisher = if source.publishers.is_empty() {
            match source.language {
                Some(Language::Es) => "Observatorio de Derechos Humanos".to_string(),
                _ => "Human Rights Monitor".to_string(),
            }
        } else {
            source.publishers[rng.below(source.publishers.len())].clone()
        };
        let date = (1995 + rng.below(31), 1 + rng.below(12), 1 + rng.below(28));
        Report {
            language: source.language,
            title,
            publisher,
            date,
            paragraphs,
        }
    }

    fn iso_date(&self) -> String {
        let (y, m, d) = self.date;
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `Mexico City, March 5, 2016` / `Ciudad de México, 5 de marzo de 2016`.
    fn dateline(&self) -> Option<String> {
        let (y, m, d) = self.date;
        match self.language? {
            Language::En => {
                let place = ["Mexico City", "Washington", "Chilpancingo", "Oaxaca"][(y + d) % 4];
                let month = with_case(EN_MONTHS[m - 1], Case::Title);
                Some(format!("{place}, {month} {d}, {y}"))
            }
            Language::Es => {
                let place = [
                    "Ciudad de México",
                    "Chilpancingo, Guerrero",
                    "Oaxaca de Juárez",
                    "Monterrey, Nuevo León",
                ][(y + d) % 4];
                Some(format!("{place}, {d} de {} de {y}.", ES_MONTHS[m - 1]))
            }
        }
    }

    /// The running header of PDF-extracted text: the publisher and the
    /// first words of the title, about 75 characters at most, with no
    /// final punctuation (which would read as the end of a sentence).
    fn running_header(&self) -> String {
        let budget = 72usize
            .saturating_sub(self.publisher.chars().count())
            .max(20);
        let mut short = String::new();
        for word in self.title.split_whitespace() {
            if short.chars().count() + word.chars().count() >= budget {
                break;
            }
            if !short.is_empty() {
                short.push(' ');
            }
            short.push_str(word);
        }
        let short = short.trim_end_matches(|c: char| !c.is_alphanumeric());
        format!("{} — {short}", self.publisher)
    }
}

/// A title from the first words of a paragraph: at most `words`, up to
/// the end of the first clause, without a final function word.
fn title_from(paragraph: &str, words: usize) -> String {
    const FUNCTION_WORDS: &[&str] = &[
        "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "that", "the", "to",
        "with", "al", "con", "de", "del", "el", "en", "la", "las", "los", "o", "para", "por",
        "que", "su", "un", "una", "y",
    ];
    let mut title: Vec<&str> = Vec::new();
    for word in paragraph.split_whitespace().take(words) {
        title.push(word);
        if title.len() >= 3 && word.ends_with(['.', ',', ';', ':', '?', '!']) {
            break;
        }
    }
    while title.len() > 3
        && title
            .last()
            .is_some_and(|w| FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
    {
        title.pop();
    }
    let mut title = title.join(" ");
    if title.matches('(').count() > title.matches(')').count() {
        title.truncate(title.rfind('(').unwrap_or(title.len()));
    }
    title
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// How a report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Txt,
    Markdown,
    Html,
    PdfText,
    Windows1252,
    Utf16,
}

/// The rotation of layouts, per language.
const ROTATION_EN: &[Layout] = &[Layout::Txt, Layout::Markdown, Layout::Html, Layout::PdfText];
const ROTATION_ES: &[Layout] = &[
    Layout::Txt,
    Layout::Markdown,
    Layout::Html,
    Layout::PdfText,
    Layout::Windows1252,
    Layout::Utf16,
    Layout::Txt,
    Layout::Markdown,
    Layout::Html,
    Layout::PdfText,
    Layout::Windows1252,
    Layout::Txt,
];

impl Layout {
    /// The layout of a language's `round`th report.
    fn of(language: Option<Language>, round: usize) -> Layout {
        let rotation = match language {
            Some(Language::Es) => ROTATION_ES,
            _ => ROTATION_EN,
        };
        rotation[round % rotation.len()]
    }

    fn extension(self) -> &'static str {
        match self {
            Layout::Markdown => "md",
            Layout::Html => "html",
            _ => "txt",
        }
    }

    fn render(self, report: &Report, rng: &mut Rng) -> Vec<u8> {
        match self {
            Layout::Txt => plain_text(report).into_bytes(),
            Layout::Markdown => markdown(report).into_bytes(),
            Layout::Html => html(report, rng).into_bytes(),
            Layout::PdfText => pdf_text(report, rng).into_bytes(),
            Layout::Windows1252 => windows_1252(&plain_text(report).replace('\n', "\r\n")),
            Layout::Utf16 => utf16le(&plain_text(report)),
        }
    }
}

/// `n` generated reports' plain text, from each source in turn: realistic
/// text for tests that compare two ways of reading it.
#[cfg(test)]
pub(crate) fn sample_texts(n: usize) -> Vec<String> {
    let sources = Sources::embedded();
    let mut rng = Rng::new(n as u64);
    (0..n)
        .map(|i| plain_text(&Report::new(&sources[i % sources.len()], 12, &mut rng)))
        .collect()
}

fn plain_text(r: &Report) -> String {
    let mut s =
        String::with_capacity(r.paragraphs.iter().map(|p| p.len() + 2).sum::<usize>() + 200);
    s.push_str(&r.title);
    s.push_str("\n\n");
    if let Some(dateline) = r.dateline() {
        s.push_str(&dateline);
        s.push_str("\n\n");
    }
    for p in &r.paragraphs {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s.pop();
    s
}

fn markdown(r: &Report) -> String {
    let mut s =
        String::with_capacity(r.paragraphs.iter().map(|p| p.len() + 2).sum::<usize>() + 300);
    s.push_str("---\n");
    s.push_str(&format!("title: \"{}\"\n", r.title));
    s.push_str(&format!("date: {}\n", r.iso_date()));
    s.push_str(&format!("publisher: {}\n", r.publisher));
    if let Some(language) = r.language {
        s.push_str(&format!("language: {}\n", language.as_str()));
    }
    s.push_str("---\n\n");
    s.push_str(&format!("# {}\n\n", r.title));
    if let Some(dateline) = r.dateline() {
        s.push_str(&format!("*{}*\n\n", dateline.trim_end_matches('.')));
    }
    for p in &r.paragraphs {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s.pop();
    s
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn html(r: &Report, rng: &mut Rng) -> String {
    let spanish = r.language == Some(Language::Es);
    let links: &[(&str, &str)] = if spanish {
        &[
            ("/", "Inicio"),
            ("/informes", "Informes"),
            ("/casos", "Casos"),
            ("/contacto", "Contacto"),
        ]
    } else {
        &[
            ("/", "Home"),
            ("/reports", "Reports"),
            ("/cases", "Cases"),
            ("/about", "About"),
        ]
    };
    let title = escape_html(&r.title);
    let publisher = escape_html(&r.publisher);
    let mut s =
        String::with_capacity(r.paragraphs.iter().map(|p| p.len() + 8).sum::<usize>() + 1200);
    s.push_str("<!DOCTYPE html>\n");
    match r.language {
        Some(language) => s.push_str(&format!("<html lang=\"{}\">\n", language.as_str())),
        None => s.push_str("<html>\n"),
    }
    s.push_str("<head>\n<meta charset=\"utf-8\">\n");
    s.push_str(&format!("<title>{title} | {publisher}</title>\n"));
    s.push_str(&format!(
        "<meta name=\"date\" content=\"{}\">\n",
        r.iso_date()
    ));
    s.push_str(&format!("<meta name=\"author\" content=\"{publisher}\">\n"));
    s.push_str("<style>\n  body { max-width: 42em; margin: 0 auto; }\n  nav a { margin-right: 12px; }\n</style>\n");
    s.push_str(&format!(
        "<script>\n  // Page counter, not part of the report: {} views since 2015-01-01.\n  var views = {}; var since = \"{}\";\n</script>\n",
        1000 + rng.below(9000),
        1 + rng.below(99_999),
        r.iso_date()
    ));
    s.push_str("</head>\n<body>\n<nav>\n  <ul>\n");
    for (href, label) in links {
        s.push_str(&format!("    <li><a href=\"{href}\">{label}</a></li>\n"));
    }
    s.push_str("  </ul>\n</nav>\n<article>\n");
    s.push_str(&format!("<h1>{title}</h1>\n"));
    if let Some(dateline) = r.dateline() {
        s.push_str(&format!(
            "<p class=\"byline\">{}</p>\n",
            escape_html(&dateline)
        ));
    }
    for p in &r.paragraphs {
        s.push_str("<p>");
        s.push_str(&escape_html(p));
        s.push_str("</p>\n");
    }
    s.push_str(&format!(
        "</article>\n<footer>&copy; {} {publisher}</footer>\n",
        r.date.0
    ));
    s.push_str("<script>document.addEventListener(\"DOMContentLoaded\", function () { window.dataLayer = [42]; });</script>\n</body>\n</html>\n");
    s
}

/// `text` wrapped into lines of at most `width` characters (a longer word
/// stays whole).
fn wrap(text: &str, width: usize, lines: &mut Vec<String>) {
    let mut line = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if chars > 0 && chars + 1 + n > width {
            lines.push(std::mem::take(&mut line));
            chars = 0;
        }
        if chars > 0 {
            line.push(' ');
            chars += 1;
        }
        line.push_str(word);
        chars += n;
    }
    if !line.is_empty() {
        lines.push(line);
    }
}

/// Text as a PDF extractor writes it: hard-wrapped lines, pages of 46 to
/// 54 lines, each opening with a running header and closing with a page
/// number and a form feed.
fn pdf_text(r: &Report, rng: &mut Rng) -> String {
    let width = 70 + rng.below(11);
    let mut lines = Vec::new();
    wrap(&r.title, width, &mut lines);
    lines.push(String::new());
    if let Some(dateline) = r.dateline() {
        lines.push(dateline);
        lines.push(String::new());
    }
    for p in &r.paragraphs {
        wrap(p, width, &mut lines);
        lines.push(String::new());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let header = r.running_header();
    let spanish = r.language == Some(Language::Es);
    let numbering = rng.below(3);
    let page_label = |n: usize| match (numbering, spanish) {
        (0, false) => format!("Page {n}"),
        (0, true) => format!("Página {n}"),
        (1, _) => format!("- {n} -"),
        _ => n.to_string(),
    };
    let mut s = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 400);
    let mut rest = &lines[..];
    let mut page = 1;
    while !rest.is_empty() {
        let take = (46 + rng.below(9)).min(rest.len());
        let (body, next) = rest.split_at(take);
        let mut body = body;
        while body.first().is_some_and(String::is_empty) {
            body = &body[1..];
        }
        while body.last().is_some_and(String::is_empty) {
            body = &body[..body.len() - 1];
        }
        rest = next;
        s.push_str(&header);
        s.push_str("\n\n");
        for line in body {
            s.push_str(line);
            s.push('\n');
        }
        s.push('\n');
        s.push_str(&page_label(page));
        s.push_str("\n\u{c}");
        page += 1;
    }
    s
}

/// `text` in Windows-1252, or in UTF-8 when a character has no byte there.
fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        text.as_bytes().to_vec()
    } else {
        bytes.into_owned()
    }
}

/// `text` in UTF-16LE after a byte order mark.
fn utf16le(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2 + 2);
    out.extend_from_slice(&[0xFF, 0xFE]);
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

fn usable(sources: &[Sources]) -> Result<Vec<&Sources>> {
    let usable: Vec<&Sources> = sources
        .iter()
        .filter(|s| !s.paragraphs.is_empty())
        .collect();
    if usable.is_empty() {
        return Err(Error::Config(
            "no source paragraphs to generate a corpus from".into(),
        ));
    }
    Ok(usable)
}

/// Reports in a folder: at most this many per subfolder.
const FILES_PER_FOLDER: usize = 1000;

/// Write reports of at least `bytes` in all (bytes written, after
/// encoding) into `dir` (created), alternating the sources' languages,
/// each 3 to 30 paragraphs long, in the rotation of layouts of the module
/// documentation; returns their paths, in generation order, which is also
/// their paths' order: `dir/0000/0000000.txt`, `dir/0000/0000001.md`, …,
/// `dir/0001/0001000.html` (a subfolder per thousand reports; the order
/// holds up to ten million reports). No metadata file is written: titles
/// and dates are inside the Markdown and HTML reports.
pub fn write_corpus(
    sources: &[Sources],
    dir: &Path,
    bytes: u64,
    seed: u64,
) -> Result<Vec<PathBuf>> {
    let usable = usable(sources)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let mut rng = Rng::new(seed);
    let mut written = 0u64;
    let mut paths = Vec::new();
    while written < bytes {
        let i = paths.len();
        let source = usable[i % usable.len()];
        let layout = Layout::of(source.language, i / usable.len());
        let n = 3 + rng.below(28);
        let report = Report::new(source, n, &mut rng);
        let data = layout.render(&report, &mut rng);
        let folder = dir.join(format!("{:04}", i / FILES_PER_FOLDER));
        if i % FILES_PER_FOLDER == 0 {
            std::fs::create_dir_all(&folder)
                .map_err(|e| Error::io(format!("cannot create {}", folder.display()), e))?;
        }
        let path = folder.join(format!("{i:07}.{}", layout.extension()));
        std::fs::write(&path, &data)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        written += data.len() as u64;
        paths.push(path);
    }
    Ok(paths)
}

/// Write one plain UTF-8 report of at least `bytes` to `path` (its folder
/// created), in one language chosen by the seed, paragraph by paragraph
/// through a buffer: a report of any size is never held in memory. Returns
/// the bytes written.
pub fn write_single(sources: &[Sources], path: &Path, bytes: u64, seed: u64) -> Result<u64> {
    let usable = usable(sources)?;
    let mut rng = Rng::new(seed);
    let source = usable[rng.below(usable.len())];
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    let cannot_write = |e| Error::io(format!("cannot write {}", path.display()), e);
    let file = std::fs::File::create(path).map_err(cannot_write)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let head = Report::new(source, 1, &mut rng);
    let mut start = format!("{}\n\n", head.title);
    if let Some(dateline) = head.dateline() {
        start.push_str(&dateline);
        start.push_str("\n\n");
    }
    out.write_all(start.as_bytes()).map_err(cannot_write)?;
    let mut written = start.len() as u64;
    while written < bytes {
        let mut p = vary(
            &source.paragraphs[rng.below(source.paragraphs.len())],
            &mut rng,
        );
        p.push_str("\n\n");
        out.write_all(p.as_bytes()).map_err(cannot_write)?;
        written += p.len() as u64;
    }
    out.flush().map_err(cannot_write)?;
    Ok(written)
}

/// A size such as `200MB`, `1.5GB`, `2 MB`, `500KB`, `10gb`, `64MiB` or
/// `123` (bytes): KB, MB, GB and TB are powers of 1000, KiB, MiB, GiB and
/// TiB powers of 1024; units in any case, `B` optional (`10G`).
pub fn parse_size(text: &str) -> Result<u64> {
    let error = |why: String| {
        Error::Config(format!(
            "invalid size '{text}': {why}; give a number of bytes, optionally with a unit: \
             KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), \
             e.g. 123, 500KB, 200MB, 1.5GB"
        ))
    };
    let t = text.trim();
    if t.starts_with('-') {
        return Err(error("a size cannot be negative".into()));
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim();
    if !number.bytes().any(|b| b.is_ascii_digit()) || number.matches('.').count() > 1 {
        return Err(error("no number".into()));
    }
    let scale: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "t" | "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => return Err(error(format!("unknown unit '{unit}'"))),
    };
    let size = if number.contains('.') {
        let value = number
            .parse::<f64>()
            .map_err(|_| error("no number".into()))?
            * scale as f64;
        if value >= u64::MAX as f64 {
            return Err(error("too large".into()));
        }
        value.round() as u64
    } else {
        number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(scale))
            .ok_or_else(|| error("too large".into()))?
    };
    if size == 0 {
        return Err(error("the size must be more than 0 bytes".into()));
    }
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_tree(paths: &[PathBuf]) -> Vec<Vec<u8>> {
        paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    #[test]
    fn same_seed_same_corpus_other_seed_other_corpus() {
        let sources = Sources::embedded();
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let pa = write_corpus(&sources, a.path(), 60_000, 7).unwrap();
        let pb = write_corpus(&sources, b.path(), 60_000, 7).unwrap();
        let pc = write_corpus(&sources, c.path(), 60_000, 8).unwrap();
        let names = |paths: &[PathBuf], root: &Path| -> Vec<PathBuf> {
            paths
                .iter()
                .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
                .collect()
        };
        assert_eq!(names(&pa, a.path()), names(&pb, b.path()));
        assert_eq!(read_tree(&pa), read_tree(&pb));
        assert_ne!(read_tree(&pa)[0], read_tree(&pc)[0]);
        let total: u64 = pa.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
        assert!(total >= 60_000, "{total}");
        // Path order is generation order, a subfolder per thousand.
        let mut sorted = pa.clone();
        sorted.sort();
        assert_eq!(sorted, pa);
        assert_eq!(names(&pa, a.path())[0], Path::new("0000/0000000.txt"));
        // Nothing but reports: no metadata file for cifra to pick up.
        let inputs = crate::pipeline::collect_inputs(&[a.path().to_path_buf()], &[]);
        assert_eq!(inputs.documents.len(), pa.len());
        assert!(inputs.metadata_files.is_empty());
    }

    #[test]
    fn subfolders_hold_a_thousand_reports_at_most() {
        let sources = [Sources::from_texts([
            "A short paragraph of more than eighty bytes, said to hold 12 figures in 2014 at most.",
        ])];
        let dir = tempfile::tempdir().unwrap();
        let paths = write_corpus(&sources, dir.path(), 2_000_000, 1).unwrap();
        assert!(paths.len() > 1000, "{}", paths.len());
        assert_eq!(
            paths[997].strip_prefix(dir.path()).unwrap(),
            Path::new("0000/0000997.md")
        );
        assert_eq!(
            paths[998].strip_prefix(dir.path()).unwrap(),
            Path::new("0000/0000998.html")
        );
        assert_eq!(
            paths[1000].strip_prefix(dir.path()).unwrap(),
            Path::new("0001/0001000.txt")
        );
        let first = std::fs::read_dir(dir.path().join("0000")).unwrap().count();
        assert_eq!(first, 1000);
    }

    #[test]
    fn embedded_sources_are_clean_paragraphs_in_both_languages() {
        let sources = Sources::embedded();
        assert_eq!(sources.len(), 2);
        assert_eq!(sources[0].language, Some(Language::En));
        assert_eq!(sources[1].language, Some(Language::Es));
        for s in &sources {
            assert!(s.paragraphs.len() >= 60, "{}", s.paragraphs.len());
            assert!(s.titles.len() >= 8 && !s.publishers.is_empty());
            for p in &s.paragraphs {
                assert!(p.len() >= MIN_PARAGRAPH, "{p}");
                assert!(!p.contains(['\n', '\u{fffd}', '<', '*', '\u{c}']), "{p}");
                assert!(!p.contains("](") && !p.starts_with("- "), "{p}");
            }
        }
        let all = |i: usize| sources[i].paragraphs.join("\n");
        let (en, es) = (all(0), all(1));
        // From the .html, .md and Windows-1252 .txt files.
        assert!(en.contains("Bicentennial Framework"));
        assert!(en.contains("GIEI"));
        assert!(es.contains("basurero de Cocula"));
        assert!(es.contains("Guardia Nacional"));
        assert!(es.contains("Encinas") && es.contains("ñ"));
        // PDF-like files: hyphenation undone, footnotes and headers left out.
        assert!(
            en.contains("Attorney General's Office (PGR)"),
            "dehyphenation"
        );
        assert!(!en.contains("Out of Control: Torture"));
        assert!(!en.contains("Torture in Mexico after the General Law "));
        assert!(en.contains("military prosecutors handled many cases involving soldiers"));
        assert!(en.contains("compared with 2003. Over the decade"));
        assert!(!es.contains("Documento de análisis 1/2020"));
    }

    /// Every four-digit year-like number in `text` is in 1995–2025.
    fn years_in_range(text: &str) -> bool {
        tokens(text).iter().all(|t| match t {
            Token::Digits(d) if is_year(d) => (1995..=2025).contains(&d.parse::<u32>().unwrap()),
            _ => true,
        })
    }

    #[test]
    fn variation_of_numbers_years_days_months_and_names() {
        let mut rng = Rng::new(1);
        for _ in 0..200 {
            let v = vary("22 killed on 30 June 2014, 1500 people, Sept. 26-27, 1,505 in 1968; el 6 de enero de 2020; MAYO", &mut rng);
            let toks: Vec<&str> = tokens(&v)
                .into_iter()
                .filter_map(|t| match t {
                    Token::Digits(d) | Token::Word(d) => Some(d),
                    Token::Other(_) => None,
                })
                .collect();
            let [n22, "killed", "on", day, month, year, n1500, "people", sept, d1, d2, thousands, n505, "in", y1968, "el", d6, "de", mes, "de", y2020, may] =
                toks[..]
            else {
                panic!("{v}");
            };
            assert!(n22.len() == 2 && !n22.starts_with('0'), "{v}");
            let day: usize = day.parse().unwrap();
            assert!((1..=28).contains(&day), "{v}");
            assert!(EN_MONTHS.contains(&month.to_lowercase().as_str()) && month != "June");
            assert!(month.starts_with(char::is_uppercase), "{v}");
            assert!(years_in_range(&v), "{v}");
            assert!(is_year(year) && is_year(y1968) && is_year(y2020), "{v}");
            assert!(n1500.len() == 4 && !is_year(n1500), "{v}");
            assert_eq!(sept, "Sept");
            let (d1, d2): (usize, usize) = (d1.parse().unwrap(), d2.parse().unwrap());
            assert!(
                (1..=28).contains(&d1) && d2 > d1 && d2 <= (d1 + 3).min(28) || d2 == 28,
                "{v}"
            );
            assert!(thousands.len() == 1 && n505.len() == 3, "{v}");
            assert!((1..=28).contains(&d6.parse::<usize>().unwrap()), "{v}");
            assert!(ES_MONTHS.contains(&mes) && mes != "enero", "{v}");
            assert!(ES_MONTHS.contains(&may.to_lowercase().as_str()) && may != "MAYO");
            assert_eq!(may, may.to_uppercase());
        }
        // English month names in lower case are words, not months.
        assert!(vary("you may march on", &mut rng) == "you may march on");
        // Ordinals keep a suffix that fits the new number.
        let suffixes =
            ["1", "2", "3", "4", "11", "12", "13", "21", "112", "122"].map(ordinal_suffix);
        assert_eq!(
            suffixes,
            ["st", "nd", "rd", "th", "th", "th", "th", "st", "th", "nd"]
        );
        for _ in 0..50 {
            let v = vary("the 27th Infantry Battalion, the 21st century", &mut rng);
            let ordinals: Vec<&str> = v
                .split(' ')
                .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
                .collect();
            assert_eq!(ordinals.len(), 2, "{v}");
            for o in ordinals {
                let o = o.trim_end_matches(',');
                let digits = o.trim_end_matches(char::is_alphabetic);
                assert_eq!(&o[digits.len()..], ordinal_suffix(digits), "{v}");
            }
        }
    }

    #[test]
    fn titles_from_paragraphs_end_at_a_clause() {
        let cases = [
            ("La respuesta del gobierno fue cautelosa. La procuradora Mariana Ramírez", 10, "La respuesta del gobierno fue cautelosa"),
            ("Mexican authorities apprehended more than 844,422 foreigners in 1998; in the first", 8, "Mexican authorities apprehended more than 844,422 foreigners"),
            ("Cinco años sin los 43 normalistas de Ayotzinapa", 7, "Cinco años sin los 43 normalistas"),
            ("El Grupo Interdisciplinario de Expertos Independientes (GIEI), designado", 6, "El Grupo Interdisciplinario de Expertos Independientes"),
        ];
        for (paragraph, words, want) in cases {
            assert_eq!(title_from(paragraph, words), want);
        }
    }

    #[test]
    fn people_get_other_names_and_text_stays_valid() {
        let names = parse_names(NAMES_FILE).unwrap();
        assert!(names.given.len() >= 20 && names.surnames.len() >= 20);
        assert!(names.replaced.contains(&"Jesús Murillo Karam".to_string()));
        for name in names.given.iter().chain(&names.surnames) {
            assert!(
                name.split_whitespace().all(|w| month_of(w).is_none()),
                "{name}"
            );
            assert!(!name.contains(|c: char| c.is_ascii_digit()), "{name}");
        }
        let mut rng = Rng::new(3);
        let text = "El fiscal Jesús Murillo Karam dijo; Murillo Karam y Tomás Zerón de Lucio (Zerón) callaron. Abarcando, Encinasx.";
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let v = vary(text, &mut rng);
            assert!(!v.contains("Murillo") && !v.contains("Zerón"), "{v}");
            assert!(
                v.starts_with("El fiscal ") && v.ends_with(". Abarcando, Encinasx."),
                "{v}"
            );
            let renamed = v["El fiscal ".len()..].split(" dijo").next().unwrap();
            assert!(renamed.split_whitespace().count() >= 3, "{v}");
            seen.insert(renamed.to_string());
        }
        assert!(seen.len() > 10, "{seen:?}");
        // Errors in the names file are reported with their line.
        assert!(parse_names("kind\tname\nnick\tX\n")
            .unwrap_err()
            .contains("line 2"));
    }

    #[test]
    fn every_layout_and_both_languages_in_100_kb() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_corpus(&Sources::embedded(), dir.path(), 100_000, 42).unwrap();
        let total: u64 = paths
            .iter()
            .map(|p| std::fs::metadata(p).unwrap().len())
            .sum();
        assert!(total >= 100_000);
        let mut kinds = std::collections::BTreeSet::new();
        let mut languages = std::collections::BTreeSet::new();
        for path in &paths {
            let bytes = std::fs::read(path).unwrap();
            let doc = crate::ingest::from_bytes(path, "x", &bytes);
            assert!(
                doc.errors.is_empty(),
                "{}: {:?}",
                path.display(),
                doc.errors
            );
            assert!(!doc.text.contains('\u{fffd}'), "{}", path.display());
            assert!(years_in_range(&doc.text), "{}", path.display());
            let ext = path.extension().unwrap().to_str().unwrap().to_string();
            let kind = match (ext.as_str(), doc.encoding.as_deref()) {
                ("txt", Some("UTF-8")) if doc.text.contains('\u{c}') => "pdf".to_string(),
                (ext, Some(encoding)) => format!("{ext} {encoding}"),
                (ext, None) => ext.to_string(),
            };
            kinds.insert(kind);
            // Spanish reports say "de"; English ones "the".
            let words: Vec<&str> = doc.text.split_whitespace().collect();
            let es = words.iter().filter(|w| **w == "de").count();
            let en = words.iter().filter(|w| **w == "the").count();
            languages.insert(if es > en { "es" } else { "en" });
        }
        let want = [
            "html UTF-8",
            "md UTF-8",
            "pdf",
            "txt UTF-16LE",
            "txt UTF-8",
            "txt windows-1252",
        ];
        assert_eq!(kinds.iter().map(String::as_str).collect::<Vec<_>>(), want);
        assert_eq!(languages.len(), 2);
    }

    #[test]
    fn legacy_encodings_decode_back_to_the_same_text() {
        let sources = Sources::embedded();
        let mut rng = Rng::new(5);
        for _ in 0..10 {
            let report = Report::new(&sources[1], 8, &mut rng);
            let text = plain_text(&report);
            let crlf = text.replace('\n', "\r\n");
            for (name, bytes, want, encoding) in [
                (
                    "a.txt",
                    Layout::Windows1252.render(&report, &mut rng),
                    &crlf,
                    "windows-1252",
                ),
                (
                    "b.txt",
                    Layout::Utf16.render(&report, &mut rng),
                    &text,
                    "UTF-16LE",
                ),
            ] {
                let doc = crate::ingest::from_bytes(Path::new(name), name, &bytes);
                assert!(doc.errors.is_empty(), "{:?}", doc.errors);
                assert_eq!(doc.encoding.as_deref(), Some(encoding));
                assert!(!doc.text.contains('\u{fffd}'));
                assert_eq!(&doc.text, want);
            }
        }
        // A character Windows-1252 lacks: the file is UTF-8 instead.
        assert_eq!(windows_1252("México → 43"), "México → 43".as_bytes());
        assert_eq!(windows_1252("Más “43”"), b"M\xe1s \x9343\x94");
    }

    #[test]
    fn markdown_and_html_metadata_read_by_ingest() {
        let sources = Sources::embedded();
        let mut rng = Rng::new(9);
        for source in &sources {
            for _ in 0..5 {
                let report = Report::new(source, 5, &mut rng);
                let md = markdown(&report);
                let doc = crate::ingest::from_bytes(Path::new("a.md"), "a.md", md.as_bytes());
                assert_eq!(doc.metadata.title.as_deref(), Some(report.title.as_str()));
                assert_eq!(doc.metadata.published, Some(report.iso_date()));
                assert_eq!(
                    doc.metadata.publisher.as_deref(),
                    Some(report.publisher.as_str())
                );
                assert_eq!(doc.metadata.language, source.language);
                let page = html(&report, &mut rng);
                let doc = crate::ingest::from_bytes(Path::new("a.html"), "a.html", page.as_bytes());
                let title = format!("{} | {}", report.title, report.publisher);
                assert_eq!(doc.metadata.title.as_deref(), Some(title.as_str()));
                assert_eq!(doc.metadata.published, Some(report.iso_date()));
                assert_eq!(doc.metadata.language, source.language);
                // Navigation and scripts are not text; every paragraph is.
                assert!(doc.text.starts_with(&report.title), "{}", doc.text);
                assert!(!doc.text.contains("var views") && !doc.text.contains("dataLayer"));
                for p in &report.paragraphs {
                    assert!(doc.text.contains(p.as_str()), "{p}");
                }
                let year: usize = report.iso_date()[..4].parse().unwrap();
                assert!((1995..=2025).contains(&year));
            }
        }
    }

    #[test]
    fn pdf_text_is_rejoined_by_the_segmenter() {
        let sources = Sources::embedded();
        let mut rng = Rng::new(11);
        let report = Report::new(&sources[0], 30, &mut rng);
        let text = pdf_text(&report, &mut rng);
        let header = report.running_header();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 120);
        assert!(lines
            .iter()
            .all(|l| l.chars().count() <= 80 || l.ends_with(&header) || !l.contains(' ')));
        let pages = text.matches('\u{c}').count();
        assert!(pages >= 3, "{pages}");
        assert_eq!(text.matches(header.as_str()).count(), pages);
        assert!(
            text.ends_with(&format!("{pages}\n\u{c}"))
                || text.ends_with(&format!("{pages} -\n\u{c}"))
        );
        // cifra's segmenter puts the paragraphs back together, without the
        // page furniture, but for some cut at a page break after a sentence.
        let rejoined = paragraphs_of(&text);
        let found = report
            .paragraphs
            .iter()
            .filter(|p| rejoined.contains(p))
            .count();
        assert!(
            found + pages >= report.paragraphs.len(),
            "{found} of {}",
            report.paragraphs.len()
        );
        assert!(!rejoined.iter().any(|p| p.contains(&header)));
    }

    #[test]
    fn write_single_streams_one_report() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/big.txt");
        let written = write_single(&Sources::embedded(), &path, 300_000, 4).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len() as u64, written);
        assert!((300_000..310_000).contains(&written), "{written}");
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.matches("\n\n").count() > 300);
        assert!(years_in_range(&text));
        let again = dir.path().join("again.txt");
        write_single(&Sources::embedded(), &again, 300_000, 4).unwrap();
        assert_eq!(std::fs::read(&again).unwrap(), text.as_bytes());
        assert!(write_single(&[Sources::default()], &again, 10, 1).is_err());
    }

    #[test]
    fn sizes() {
        let cases: &[(&str, u64)] = &[
            ("200MB", 200_000_000),
            ("1GB", 1_000_000_000),
            ("1.5GB", 1_500_000_000),
            ("500KB", 500_000),
            ("10gb", 10_000_000_000),
            ("123", 123),
            ("2 MB", 2_000_000),
            ("64MiB", 64 << 20),
            ("1GiB", 1 << 30),
            ("0.5KiB", 512),
            ("2TB", 2_000_000_000_000),
            (" 7B ", 7),
        ];
        for (text, want) in cases {
            assert_eq!(parse_size(text).unwrap(), *want, "{text}");
        }
        for (text, why) in [
            ("abc", "no number"),
            ("-5MB", "negative"),
            ("0", "more than 0"),
            ("0.0001", "more than 0"),
            ("1XB", "unknown unit 'XB'"),
            ("", "no number"),
            ("1.2.3MB", "no number"),
            ("99999999999TB", "too large"),
        ] {
            let Err(Error::Config(message)) = parse_size(text) else {
                panic!("{text} accepted");
            };
            assert!(message.contains(why), "{text}: {message}");
            assert!(
                message.contains("KB, MB, GB, TB") && message.contains("MiB"),
                "{message}"
            );
        }
    }

    #[test]
    fn bundled_corpus_is_all_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "metadata.csv")
            .collect();
        files.sort();
        let embedded: Vec<&str> = CORPUS.iter().map(|(f, _)| *f).collect();
        assert_eq!(files, embedded);
        let rows = corpus_metadata();
        assert!(embedded
            .iter()
            .all(|f| rows.iter().any(|r| r.file == *f && r.language.is_some())));
    }
}

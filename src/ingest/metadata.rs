//! Document metadata from the sources that give it, first one wins: the
//! user's `--metadata` table, then front matter or HTML `<meta>`, then the
//! text itself (a short first line as title, a dateline near the top as
//! the publication date, stop words for the language).

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

use crate::document::{Language, Metadata};
use crate::error::{Error, Result};
use crate::extract::filter::WordFilter;

/// An ISO date (`2014`, `2014-09`, `2014-09-26`) read from a metadata value
/// such as `2014-09-26T10:00:00Z` or `c.2013`; `None` when there is none.
pub fn iso_date(value: &str) -> Option<String> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        Regex::new(r"(?:^|[^\d])(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:$|[^\d])").unwrap()
    });
    let caps = iso.captures(value)?;
    let year: i32 = caps[1].parse().ok()?;
    let month: Option<u32> = caps.get(2).and_then(|m| m.as_str().parse().ok());
    let day: Option<u32> = caps.get(3).and_then(|m| m.as_str().parse().ok());
    match (month, day) {
        (Some(m), Some(d)) => {
            chrono::NaiveDate::from_ymd_opt(year, m, d).map(|_| format!("{year:04}-{m:02}-{d:02}"))
        }
        (Some(m), None) if (1..=12).contains(&m) => Some(format!("{year:04}-{m:02}")),
        (Some(_), _) => None,
        (None, _) => Some(format!("{year:04}")),
    }
}

/// The user's metadata table (`--metadata FILE`): CSV or TSV with a `file`
/// column and any of `title`, `date`, `publisher`, `genre`, `language`.
#[derive(Debug, Default)]
pub struct MetadataTable {
    by_file: HashMap<String, Metadata>,
}

impl MetadataTable {
    pub fn load(path: &Path) -> Result<MetadataTable> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::io(format!("cannot read metadata file {}", path.display()), e))?;
        let text = crate::ingest::decode::decode(&bytes)
            .map_err(|e| metadata_error(path, e.to_string()))?
            .text;
        let text = text.trim_start_matches('\u{feff}');
        let first_line = text.lines().next().unwrap_or("");
        let delimiter = if first_line.contains('\t') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| metadata_error(path, e.to_string()))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let file_col = column(&["file", "filename", "file_name", "doc"]).ok_or_else(|| {
            metadata_error(
                path,
                format!("no 'file' column; the header has: {}", headers.join(", ")),
            )
        })?;
        let title = column(&["title"]);
        let date = column(&["date", "published"]);
        let publisher = column(&["publisher", "source"]);
        let genre = column(&["genre"]);
        let language = column(&["language", "lang"]);
        let author = column(&["author", "authors"]);
        let mut by_file = HashMap::default();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| metadata_error(path, format!("line {line}: {e}")))?;
            let field = |col: Option<usize>| {
                col.and_then(|c| record.get(c))
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
            };
            let Some(file) = field(Some(file_col)) else {
                continue;
            };
            let lang = match field(language) {
                Some(l) => Some(Language::parse(&l).ok_or_else(|| {
                    metadata_error(path, format!("line {line}: language '{l}' is not en or es"))
                })?),
                None => None,
            };
            let meta = Metadata {
                title: field(title),
                published: field(date).and_then(|d| iso_date(&d)),
                publisher: field(publisher),
                genre: field(genre),
                language: lang,
                author: field(author),
            };
            if by_file.insert(file.clone(), meta).is_some() {
                return Err(metadata_error(
                    path,
                    format!("line {line}: '{file}' is listed twice"),
                ));
            }
        }
        Ok(MetadataTable { by_file })
    }

    /// The row for a document: matched on its path as given, then its file name.
    pub fn get(&self, path: &str, name: &str) -> Option<&Metadata> {
        self.by_file.get(path).or_else(|| self.by_file.get(name))
    }

    pub fn len(&self) -> usize {
        self.by_file.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_file.is_empty()
    }
}

fn metadata_error(path: &Path, message: String) -> Error {
    Error::Metadata {
        path: PathBuf::from(path),
        message,
    }
}

/// The stop words of both languages, for [`detect_language`].
#[derive(Debug)]
pub struct StopWords {
    /// Each stop word: whether it is English, whether Spanish.
    languages: HashMap<String, (bool, bool)>,
    /// A first filter: most words of a text are no stop word.
    filter: WordFilter,
    /// The longest stop word's length in bytes, plus two: a longer word
    /// (lower-casing keeps the length of nearly every letter) is none.
    longest: usize,
}

impl StopWords {
    pub fn new<'a>(
        english: impl IntoIterator<Item = &'a str>,
        spanish: impl IntoIterator<Item = &'a str>,
    ) -> StopWords {
        let mut languages: HashMap<String, (bool, bool)> = HashMap::default();
        for word in english {
            languages.entry(word.to_string()).or_default().0 = true;
        }
        for word in spanish {
            languages.entry(word.to_string()).or_default().1 = true;
        }
        StopWords {
            filter: WordFilter::new(languages.keys().map(String::as_str)),
            longest: languages.keys().map(String::len).max().unwrap_or(0) + 2,
            languages,
        }
    }
}

/// English or Spanish, by counting each language's stop words.
pub fn detect_language(text: &str, stop: &StopWords) -> Option<Language> {
    let sample = &text[..crate::ingest::decode::first_chars_end(text, 20_000)];
    let (mut en, mut es) = (0usize, 0usize);
    // One buffer for every word; stop words are short, so long words are
    // not even lower-cased.
    let mut lower = String::new();
    for word in alphabetic_runs(sample) {
        if word.len() > stop.longest {
            continue;
        }
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        if !stop.filter.may_hold(&lower) {
            continue;
        }
        if let Some(&(english, spanish)) = stop.languages.get(lower.as_str()) {
            en += usize::from(english);
            es += usize::from(spanish);
        }
    }
    match (en, es) {
        (0, 0) => None,
        (en, es) if es > en => Some(Language::Es),
        _ => Some(Language::En),
    }
}

/// The runs of alphabetic characters of `text` (what splitting it at every
/// other character leaves, empty pieces aside), ASCII read byte by byte.
fn alphabetic_runs(text: &str) -> impl Iterator<Item = &str> + '_ {
    let bytes = text.as_bytes();
    // The length of the character at `at` if it is alphabetic.
    let letter = move |at: usize| match bytes[at] {
        b if b.is_ascii() => b.is_ascii_alphabetic().then_some(1),
        _ => {
            let c = text[at..].chars().next().expect("a character starts here");
            c.is_alphabetic().then(|| c.len_utf8())
        }
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            match letter(at) {
                Some(_) => break,
                None if bytes[at].is_ascii() => at += 1,
                None => at += text[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while let Some(len) = (at < bytes.len()).then(|| letter(at)).flatten() {
            at += len;
        }
        Some(&text[start..at])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabetic_runs_are_what_splitting_at_other_characters_leaves() {
        let texts = [
            "",
            "43",
            "Según la CNDH, 43 estudiantes—y más—desaparecieron. ¿Dónde?",
            "naïve café 😀 x٣y Ⅻ ǅungla e\u{301} ok",
            " lead and trail ",
        ];
        for text in texts
            .iter()
            .map(|t| t.to_string())
            .chain(crate::generate::sample_texts(6))
        {
            let want: Vec<&str> = text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(alphabetic_runs(&text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }

    #[test]
    fn iso_dates_from_metadata_values() {
        let cases = [
            ("2014-09-26", Some("2014-09-26")),
            ("2015-09-06T10:00:00Z", Some("2015-09-06")),
            ("2009-09", Some("2009-09")),
            ("c.2013", Some("2013")),
            ("2014-02-30", None),
            ("2014-13", None),
            ("unknown", None),
        ];
        for (input, want) in cases {
            assert_eq!(iso_date(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn language_by_stop_words() {
        let stop = StopWords::new(["the", "of", "and", "a"], ["el", "de", "los", "y", "a"]);
        assert_eq!(
            detect_language("the killing of 22 people", &stop),
            Some(Language::En)
        );
        assert_eq!(
            detect_language("El caso de los 43 y sus familias", &stop),
            Some(Language::Es)
        );
        assert_eq!(detect_language("43 22", &stop), None);
        // A word of both lists counts for both; a tie is English.
        assert_eq!(detect_language("a a", &stop), Some(Language::En));
        assert_eq!(detect_language("a y", &stop), Some(Language::Es));
    }

    #[test]
    fn table_reads_csv_and_tsv() {
        let dir = tempfile::tempdir().unwrap();
        let csv_path = dir.path().join("m.csv");
        std::fs::write(&csv_path, "file,title,date,publisher,genre,language\na.txt,\"Tlatlaya, 2014\",2014-07-01,CNDH,memo,es\nb.txt,,,,,\n").unwrap();
        let t = MetadataTable::load(&csv_path).unwrap();
        let a = t.get("x/a.txt", "a.txt").unwrap();
        assert_eq!(a.title.as_deref(), Some("Tlatlaya, 2014"));
        assert_eq!(a.published.as_deref(), Some("2014-07-01"));
        assert_eq!(a.language, Some(Language::Es));
        assert_eq!(t.get("b.txt", "b.txt").unwrap().title, None);

        let tsv_path = dir.path().join("m.tsv");
        std::fs::write(&tsv_path, "file\tdate\na.txt\tc.2013\n").unwrap();
        let t = MetadataTable::load(&tsv_path).unwrap();
        assert_eq!(
            t.get("a.txt", "a.txt").unwrap().published.as_deref(),
            Some("2013")
        );

        std::fs::write(&csv_path, "name,title\na.txt,x\n").unwrap();
        let err = MetadataTable::load(&csv_path).unwrap_err().to_string();
        assert!(err.contains("no 'file' column"), "{err}");
    }
}

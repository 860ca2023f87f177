//! The data behind the matchers: number and date words, approximators,
//! units, abbreviations… Each is a TSV file in `dictionaries/`, embedded at
//! build time so the binary works anywhere, and replaceable file by file
//! with `--dictionaries DIR`. A malformed line fails before any work,
//! naming the file and line.

use std::path::Path;

use crate::error::{Error, Result};

/// The embedded dictionary files, by file name.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "abbreviations.tsv",
        include_str!("../dictionaries/abbreviations.tsv"),
    ),
    (
        "approximators.tsv",
        include_str!("../dictionaries/approximators.tsv"),
    ),
    ("events.tsv", include_str!("../dictionaries/events.tsv")),
    (
        "categories.tsv",
        include_str!("../dictionaries/categories.tsv"),
    ),
    (
        "claim_context.tsv",
        include_str!("../dictionaries/claim_context.tsv"),
    ),
    (
        "institutions.tsv",
        include_str!("../dictionaries/institutions.tsv"),
    ),
    (
        "legal_instruments.tsv",
        include_str!("../dictionaries/legal_instruments.tsv"),
    ),
    ("places.tsv", include_str!("../dictionaries/places.tsv")),
    (
        "name_heads.tsv",
        include_str!("../dictionaries/name_heads.tsv"),
    ),
    ("people.tsv", include_str!("../dictionaries/people.tsv")),
    (
        "date_units.tsv",
        include_str!("../dictionaries/date_units.tsv"),
    ),
    ("subjects.tsv", include_str!("../dictionaries/subjects.tsv")),
    (
        "approximators_after.tsv",
        include_str!("../dictionaries/approximators_after.tsv"),
    ),
    (
        "figure_context.tsv",
        include_str!("../dictionaries/figure_context.tsv"),
    ),
    ("months.tsv", include_str!("../dictionaries/months.tsv")),
    (
        "number_words.tsv",
        include_str!("../dictionaries/number_words.tsv"),
    ),
    ("ratios.tsv", include_str!("../dictionaries/ratios.tsv")),
    (
        "relative_dates.tsv",
        include_str!("../dictionaries/relative_dates.tsv"),
    ),
    (
        "stopwords.tsv",
        include_str!("../dictionaries/stopwords.tsv"),
    ),
    ("units.tsv", include_str!("../dictionaries/units.tsv")),
    (
        "vague_amounts.tsv",
        include_str!("../dictionaries/vague_amounts.tsv"),
    ),
    ("weekdays.tsv", include_str!("../dictionaries/weekdays.tsv")),
];

/// Lists of entries with ids (institutions, laws, places): a user's file
/// of one of these names adds entries to the built-in list, and replaces
/// the built-in entry of the same id, instead of replacing the whole file.
pub const MERGED: [&str; 3] = ["institutions.tsv", "legal_instruments.tsv", "places.tsv"];

/// The set of dictionary texts an [`crate::Extractor`] is built from.
#[derive(Clone, Debug)]
pub struct Dictionaries {
    files: Vec<(&'static str, String)>,
    /// A user's additions to the files in [`MERGED`], by file name.
    additions: Vec<(&'static str, String, std::path::PathBuf)>,
}

impl Default for Dictionaries {
    fn default() -> Self {
        Dictionaries::embedded()
    }
}

impl Dictionaries {
    /// The dictionaries compiled into the binary.
    pub fn embedded() -> Dictionaries {
        Dictionaries {
            files: EMBEDDED.iter().map(|(n, t)| (*n, t.to_string())).collect(),
            additions: Vec::new(),
        }
    }

    /// The embedded dictionaries, with every file of the same name found in
    /// `dir` used instead. A file in `dir` that is no known dictionary is an
    /// error (most likely a typo that would otherwise be silently ignored).
    pub fn with_overrides(dir: &Path) -> Result<Dictionaries> {
        let mut dicts = Dictionaries::embedded();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Error::io(
                format!("cannot read dictionary folder {}", dir.display()),
                e,
            )
        })?;
        let mut names: Vec<_> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        for path in names {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some(slot) = dicts.files.iter_mut().find(|(n, _)| *n == name) else {
                let known: Vec<_> = EMBEDDED.iter().map(|(n, _)| *n).collect();
                return Err(Error::Config(format!(
                    "{} is not a known dictionary file; known files: {}",
                    path.display(),
                    known.join(", ")
                )));
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::io(format!("cannot read dictionary {}", path.display()), e))?;
            if MERGED.contains(&slot.0) {
                dicts.additions.push((slot.0, text, path.clone()));
            } else {
                slot.1 = text;
            }
        }
        Ok(dicts)
    }

    /// A user's additions to one of the [`MERGED`] files: the parsed table,
    /// named by the user's path so errors point at the right file.
    pub fn additions(&self, name: &str) -> Result<Vec<Table>> {
        self.additions
            .iter()
            .filter(|(n, _, _)| *n == name)
            .map(|(_, text, path)| Table::parse(&path.display().to_string(), text))
            .collect()
    }

    /// The names of all dictionary files.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.files.iter().map(|(n, _)| *n)
    }

    /// Parse one dictionary file into a table.
    pub fn table(&self, name: &str) -> Result<Table> {
        let (name, text) = self
            .files
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no embedded dictionary named {name}"));
        Table::parse(name, text)
    }
}

/// A parsed TSV dictionary: a header line, then one row per entry. Lines
/// starting with `#` and blank lines are skipped.
#[derive(Clone, Debug)]
pub struct Table {
    name: String,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    pub fn parse(name: &str, text: &str) -> Result<Table> {
        let mut header: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<String> = line.split('\t').map(|f| f.trim().to_string()).collect();
            match &header {
                None => header = Some(fields),
                Some(h) => {
                    if fields.len() != h.len() {
                        return Err(Error::Dictionary {
                            file: name.to_string(),
                            line: line_no,
                            message: format!(
                                "expected {} tab-separated fields ({}), found {}",
                                h.len(),
                                h.join(", "),
                                fields.len()
                            ),
                        });
                    }
                    rows.push((line_no, fields));
                }
            }
        }
        let header = header.ok_or_else(|| Error::Dictionary {
            file: name.to_string(),
            line: 1,
            message: "the file is empty: a header line is needed".into(),
        })?;
        Ok(Table {
            name: name.to_string(),
            header,
            rows,
        })
    }

    /// The rows, each able to look its fields up by column name.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, fields)| Row {
            table: self,
            line: *line,
            fields,
        })
    }
}

/// One entry of a [`Table`].
pub struct Row<'t> {
    table: &'t Table,
    line: usize,
    fields: &'t [String],
}

impl<'t> Row<'t> {
    /// The field under `column`; an error names the missing column.
    pub fn get(&self, column: &str) -> Result<&'t str> {
        match self.table.header.iter().position(|h| h == column) {
            Some(i) => Ok(&self.fields[i]),
            None => Err(self.error(format!("no column named '{column}' in the header"))),
        }
    }

    /// The field under `column`, parsed.
    pub fn parse<T: std::str::FromStr>(&self, column: &str) -> Result<T> {
        let raw = self.get(column)?;
        raw.parse()
            .map_err(|_| self.error(format!("'{raw}' in column '{column}' is not a valid value")))
    }

    /// Whether this entry applies to documents in `lang` (`*` is both).
    pub fn lang(&self) -> Result<Vec<crate::Language>> {
        let raw = self.get("lang")?;
        match raw {
            "*" => Ok(vec![crate::Language::En, crate::Language::Es]),
            other => crate::Language::parse(other)
                .map(|l| vec![l])
                .ok_or_else(|| self.error(format!("language '{other}' must be en, es or *"))),
        }
    }

    /// The row's line number in its file.
    pub fn line(&self) -> usize {
        self.line
    }

    /// An error about this row, with file and line.
    pub fn error(&self, message: String) -> Error {
        Error::Dictionary {
            file: self.table.name.clone(),
            line: self.line,
            message,
        }
    }
}

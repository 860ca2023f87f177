//! Stage 5: analyzed documents → bytes. JSON Lines (one record per
//! document, the fields of the output contract), CSV (one row per
//! mention) and per-paragraph JSON Lines (one record per paragraph, for
//! search clusters). Records are rendered to strings in the worker threads, then
//! written in input order.

pub mod claims;
pub mod csv;
pub mod jsonl;
pub mod paragraphs;

/// The output formats `extract` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    #[default]
    Jsonl,
    Csv,
    /// One JSON object per paragraph (see [`paragraphs`]).
    Paragraphs,
}

impl OutputFormat {
    /// The header to write once before the first record, if any.
    pub fn header(&self) -> &'static str {
        match self {
            OutputFormat::Jsonl | OutputFormat::Paragraphs => "",
            OutputFormat::Csv => csv::HEADER,
        }
    }

    /// One document rendered in this format (may be several lines).
    pub fn render(&self, analyzed: &crate::Analyzed) -> String {
        match self {
            OutputFormat::Jsonl => jsonl::render(analyzed),
            OutputFormat::Csv => csv::render(analyzed),
            OutputFormat::Paragraphs => paragraphs::render(analyzed),
        }
    }
}

//! Stage 5: analyzed documents → bytes. JSON Lines (one record per
//! document, the fields of the output contract) and CSV (one row per
//! mention). Records are rendered to strings in the worker threads, then
//! written in input order.

pub mod claims;
pub mod csv;
pub mod jsonl;

/// The output formats `extract` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    #[default]
    Jsonl,
    Csv,
}

impl OutputFormat {
    /// The header to write once before the first record, if any.
    pub fn header(&self) -> &'static str {
        match self {
            OutputFormat::Jsonl => "",
            OutputFormat::Csv => csv::HEADER,
        }
    }

    /// One document rendered in this format (may be several lines).
    pub fn render(&self, analyzed: &crate::Analyzed) -> String {
        match self {
            OutputFormat::Jsonl => jsonl::render(analyzed),
            OutputFormat::Csv => csv::render(analyzed),
        }
    }
}

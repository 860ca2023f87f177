//! `--format paragraphs`: one JSON object per paragraph, for search
//! clusters (Quickwit: `deploy/quickwit/cifra-paragraphs.yaml`) and DuckDB.
//! Each record carries its report's identity and metadata, the paragraph's
//! offsets and text, and the paragraph's own mentions and claims (the same
//! objects as in the per-report record, from
//! [`jsonl::arrays_by_paragraph`], copied in as written).
//!
//! A report without paragraphs (unreadable, unsupported, or empty) still
//! gets one record, with `paragraph`, `start` and `end` null, an empty
//! `text` and the report's `errors`: nothing is skipped silently. Every
//! record carries its report's `errors` (empty when all is well).

use serde::Serialize;
use serde_json::value::RawValue;

use super::jsonl;
use crate::document::Paragraph;
use crate::Analyzed;

#[derive(Serialize)]
struct ParagraphRecord<'a> {
    doc: &'a str,
    path: &'a str,
    sha256: &'a str,
    title: Option<&'a str>,
    published: Option<&'a str>,
    /// `published` as a whole day (`2014` → `2014-01-01`, `2014-09` →
    /// `2014-09-01`), as the local index stores it: one format that a
    /// datetime field (Quickwit, DuckDB's `DATE`) always parses.
    published_date: Option<String>,
    publisher: Option<&'a str>,
    genre: Option<&'a str>,
    author: Option<&'a str>,
    language: Option<&'static str>,
    paragraph: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    text: &'a str,
    mentions: Box<RawValue>,
    claims: Box<RawValue>,
    errors: &'a [String],
    /// `null`, or which part of a large report the paragraph is in (its
    /// offsets count from the part's start).
    part: Option<crate::Part>,
}

/// The JSON lines (each with its newline) for one document: one per
/// paragraph, or one with `paragraph: null` when it has none.
pub fn render(analyzed: &Analyzed) -> String {
    let published_date = analyzed
        .document
        .metadata
        .published
        .as_deref()
        .and_then(|p| crate::claims::view::bound(p, false))
        .map(|day| day.format("%Y-%m-%d").to_string());
    let mut out = String::new();
    let mut push = |paragraph: Option<&Paragraph>, (mentions, claims): (String, String)| {
        let r = record(
            analyzed,
            published_date.clone(),
            paragraph,
            mentions,
            claims,
        );
        out.push_str(&serde_json::to_string(&r).expect("records serialize"));
        out.push('\n');
    };
    let empty = || ("[]".to_string(), "[]".to_string());
    let paragraphs = &analyzed.segmented.paragraphs;
    if paragraphs.is_empty() {
        push(None, empty());
    } else {
        let mut by_paragraph = jsonl::arrays_by_paragraph(analyzed);
        for p in paragraphs {
            let arrays = by_paragraph
                .get_mut(p.index)
                .map_or_else(empty, std::mem::take);
            push(Some(p), arrays);
        }
    }
    out
}

/// The record of `paragraph` (`None`: the one record of a report without
/// paragraphs).
fn record<'a>(
    analyzed: &'a Analyzed,
    published_date: Option<String>,
    paragraph: Option<&Paragraph>,
    mentions: String,
    claims: String,
) -> ParagraphRecord<'a> {
    // Arrays that jsonl wrote: valid JSON, checked once more here.
    let raw = |json: String| RawValue::from_string(json).expect("written JSON is valid");
    let doc = &analyzed.document;
    let meta = &doc.metadata;
    ParagraphRecord {
        doc: &doc.name,
        path: &doc.path,
        sha256: &doc.sha256,
        title: meta.title.as_deref(),
        published: meta.published.as_deref(),
        published_date,
        publisher: meta.publisher.as_deref(),
        genre: meta.genre.as_deref(),
        author: meta.author.as_deref(),
        language: meta.language.map(|l| l.as_str()),
        paragraph: paragraph.map(|p| p.index),
        start: paragraph.map(|p| p.span.start),
        end: paragraph.map(|p| p.span.end),
        text: paragraph.map_or("", |p| p.span.of(&doc.text)),
        mentions: raw(mentions),
        claims: raw(claims),
        errors: &doc.errors,
        part: doc.part,
    }
}

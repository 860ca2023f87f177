//! One JSON object per document, with the fields the README lists under
//! "What the output says" (a contract: add fields, never rename or drop).

use serde::Serialize;
use serde_json::Value;

use crate::document::{Mention, MentionDetail};
use crate::Analyzed;

#[derive(Serialize)]
struct Record<'a> {
    doc: &'a str,
    path: &'a str,
    sha256: &'a str,
    format: &'static str,
    encoding: Option<&'a str>,
    language: Option<&'static str>,
    title: Option<&'a str>,
    published: Option<&'a str>,
    publisher: Option<&'a str>,
    genre: Option<&'a str>,
    /// Who wrote it, where the file or the metadata table says.
    author: Option<&'a str>,
    paragraphs: Vec<ParagraphOut<'a>>,
    sentences: &'a [crate::Sentence],
    mentions: Vec<MentionOut<'a>>,
    claims: Vec<ClaimOut<'a>>,
    errors: &'a [String],
    /// `null`, or which part of a large report this record holds.
    part: Option<crate::Part>,
}

#[derive(Serialize)]
struct ParagraphOut<'a> {
    index: usize,
    start: usize,
    end: usize,
    text: &'a str,
}

/// The JSON line (with its newline) for one document.
pub fn render(analyzed: &Analyzed) -> String {
    let doc = &analyzed.document;
    let meta = &doc.metadata;
    let record = Record {
        doc: &doc.name,
        path: &doc.path,
        sha256: &doc.sha256,
        format: doc.format.as_str(),
        encoding: doc.encoding.as_deref(),
        language: meta.language.map(|l| l.as_str()),
        title: meta.title.as_deref(),
        published: meta.published.as_deref(),
        publisher: meta.publisher.as_deref(),
        genre: meta.genre.as_deref(),
        author: meta.author.as_deref(),
        paragraphs: analyzed
            .segmented
            .paragraphs
            .iter()
            .map(|p| ParagraphOut {
                index: p.index,
                start: p.span.start,
                end: p.span.end,
                text: p.span.of(&doc.text),
            })
            .collect(),
        sentences: &analyzed.segmented.sentences,
        mentions: analyzed.mentions.iter().map(MentionOut::new).collect(),
        claims: analyzed.claims.iter().map(ClaimOut::new).collect(),
        errors: &doc.errors,
        part: doc.part,
    };
    let mut line = serde_json::to_string(&record).expect("records serialize");
    line.push('\n');
    line
}

/// The mentions and claims of each paragraph, as JSON objects (the same
/// objects as in the per-report record), indexed by paragraph: what the
/// per-paragraph records (`--format paragraphs`) and the search index carry.
pub fn by_paragraph(analyzed: &Analyzed) -> Vec<ParagraphJson> {
    let paragraphs = analyzed.segmented.paragraphs.len();
    let slots = analyzed
        .mentions
        .iter()
        .map(|m| m.paragraph + 1)
        .chain(analyzed.claims.iter().map(|c| c.paragraph + 1))
        .fold(paragraphs, usize::max);
    let mut out: Vec<ParagraphJson> = (0..slots).map(|_| ParagraphJson::default()).collect();
    for m in &analyzed.mentions {
        out[m.paragraph].mentions.push(mention(m));
    }
    for c in &analyzed.claims {
        out[c.paragraph].claims.push(claim(c));
    }
    out
}

/// One paragraph's mentions and claims, as JSON objects.
#[derive(Debug, Default)]
pub struct ParagraphJson {
    pub mentions: Vec<Value>,
    pub claims: Vec<Value>,
}

/// A mention as a JSON object; absent fields are left out, never `null`,
/// except a date's `value`, which is `null` when it cannot be resolved.
pub fn mention(m: &Mention) -> Value {
    serde_json::to_value(MentionOut::new(m)).expect("mentions serialize")
}

/// A claim as a JSON object. Every field is written, `null` where the
/// sentence does not say, so every claim has the same columns in pandas or
/// DuckDB.
pub fn claim(c: &crate::claims::Claim) -> Value {
    serde_json::to_value(ClaimOut::new(c)).expect("claims serialize")
}

/// A mention as written: fields in alphabetical order (the order of the
/// JSON objects of earlier versions), serialized straight from the
/// mention without building a map first.
#[derive(Serialize)]
pub struct MentionOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    approx: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    canonical: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'a str>,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a str>,
    kind: &'static str,
    paragraph: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    salient: Option<bool>,
    sentence: usize,
    start: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'static str>,
    /// A figure's number, a date's ISO value or `null`; absent for names.
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_max: Option<Value>,
}

impl<'a> MentionOut<'a> {
    pub fn new(m: &'a Mention) -> MentionOut<'a> {
        let mut out = MentionOut {
            approx: None,
            canonical: None,
            currency: None,
            end: m.span.end,
            event: None,
            kind: m.kind.as_str(),
            paragraph: m.paragraph,
            salient: None,
            sentence: m.sentence,
            start: m.span.start,
            subject: None,
            text: &m.text,
            unit: None,
            value: None,
            value_max: None,
        };
        match &m.detail {
            MentionDetail::Figure(f) => {
                out.approx = Some(f.approx.as_str());
                out.currency = f.currency.as_deref();
                out.event = f.event.as_deref();
                out.salient = Some(f.salient);
                out.subject = f.subject.as_deref();
                out.unit = Some(f.unit.as_str());
                out.value = Some(number(f.value));
                out.value_max = f.value_max.map(number);
            }
            MentionDetail::Date(value) => {
                out.value = Some(value.as_deref().map_or(Value::Null, Value::from));
            }
            MentionDetail::Named { canonical } => out.canonical = Some(canonical),
        }
        out
    }
}

/// A claim as written: every field, in alphabetical order.
#[derive(Serialize)]
pub struct ClaimOut<'a> {
    actor: Option<&'a str>,
    approx: &'static str,
    attribution: Option<&'a str>,
    category: Option<&'a str>,
    currency: Option<&'a str>,
    date: Option<&'a str>,
    end: usize,
    event: Option<&'a str>,
    figure: &'a str,
    figure_end: usize,
    figure_start: usize,
    id: &'a str,
    paragraph: usize,
    place: Option<&'a str>,
    restates: Option<&'a str>,
    sentence: &'a str,
    start: usize,
    subject: Option<&'a str>,
    unit: &'static str,
    value: Value,
    value_max: Value,
}

impl<'a> ClaimOut<'a> {
    pub fn new(c: &'a crate::claims::Claim) -> ClaimOut<'a> {
        let f = &c.figure;
        ClaimOut {
            actor: c.actor.as_deref(),
            approx: f.approx.as_str(),
            attribution: c.attribution.as_deref(),
            category: c.category.as_deref(),
            currency: f.currency.as_deref(),
            date: c.date.as_deref(),
            end: c.span.end,
            event: f.event.as_deref(),
            figure: &c.figure_text,
            figure_end: c.figure_span.end,
            figure_start: c.figure_span.start,
            id: &c.id,
            paragraph: c.paragraph,
            place: c.place.as_deref(),
            restates: c.restates.as_deref(),
            sentence: &c.sentence,
            start: c.span.start,
            subject: f.subject.as_deref(),
            unit: f.unit.as_str(),
            value: number(f.value),
            value_max: f.value_max.map_or(Value::Null, number),
        }
    }
}

/// Whole numbers as JSON integers (`32000`, not `32000.0`).
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

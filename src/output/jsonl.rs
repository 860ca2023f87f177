//! One JSON object per document, with the fields the README lists under
//! "What the output says" (a contract: add fields, never rename or drop).

use serde::Serialize;
use serde_json::{Map, Value};

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
    paragraphs: Vec<ParagraphOut<'a>>,
    sentences: &'a [crate::Sentence],
    mentions: Vec<Value>,
    claims: Vec<Value>,
    errors: &'a [String],
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
        mentions: analyzed.mentions.iter().map(mention).collect(),
        claims: analyzed.claims.iter().map(claim).collect(),
        errors: &doc.errors,
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
    let mut o = Map::new();
    o.insert("kind".into(), m.kind.as_str().into());
    o.insert("text".into(), m.text.clone().into());
    o.insert("start".into(), m.span.start.into());
    o.insert("end".into(), m.span.end.into());
    o.insert("paragraph".into(), m.paragraph.into());
    o.insert("sentence".into(), m.sentence.into());
    match &m.detail {
        MentionDetail::Figure(f) => {
            o.insert("value".into(), number(f.value));
            if let Some(max) = f.value_max {
                o.insert("value_max".into(), number(max));
            }
            o.insert("approx".into(), f.approx.as_str().into());
            o.insert("unit".into(), f.unit.as_str().into());
            if let Some(c) = &f.currency {
                o.insert("currency".into(), c.clone().into());
            }
            if let Some(s) = &f.subject {
                o.insert("subject".into(), s.clone().into());
            }
            if let Some(e) = &f.event {
                o.insert("event".into(), e.clone().into());
            }
            o.insert("salient".into(), f.salient.into());
        }
        MentionDetail::Date(value) => {
            o.insert(
                "value".into(),
                value.clone().map_or(Value::Null, Value::from),
            );
        }
        MentionDetail::Named { canonical } => {
            o.insert("canonical".into(), canonical.clone().into());
        }
    }
    Value::Object(o)
}

/// A claim as a JSON object. Every field is written, `null` where the
/// sentence does not say, so every claim has the same columns in pandas or
/// DuckDB.
pub fn claim(c: &crate::claims::Claim) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), c.id.clone().into());
    let f = &c.figure;
    o.insert("value".into(), number(f.value));
    o.insert("value_max".into(), f.value_max.map_or(Value::Null, number));
    o.insert("approx".into(), f.approx.as_str().into());
    o.insert("unit".into(), f.unit.as_str().into());
    let optional = [
        ("currency", &f.currency),
        ("subject", &f.subject),
        ("category", &c.category),
        ("event", &f.event),
        ("date", &c.date),
        ("place", &c.place),
        ("actor", &c.actor),
        ("attribution", &c.attribution),
    ];
    for (key, value) in optional {
        o.insert(key.into(), value.clone().map_or(Value::Null, Value::from));
    }
    o.insert("paragraph".into(), c.paragraph.into());
    o.insert("sentence".into(), c.sentence.clone().into());
    o.insert("start".into(), c.span.start.into());
    o.insert("end".into(), c.span.end.into());
    o.insert("figure".into(), c.figure_text.clone().into());
    o.insert("figure_start".into(), c.figure_span.start.into());
    o.insert("figure_end".into(), c.figure_span.end.into());
    o.insert(
        "restates".into(),
        c.restates.clone().map_or(Value::Null, Value::from),
    );
    Value::Object(o)
}

/// Whole numbers as JSON integers (`32000`, not `32000.0`).
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

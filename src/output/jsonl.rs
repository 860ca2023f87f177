//! One JSON object per document, with the fields the README lists under
//! "What the output says" (a contract: add fields, never rename or drop).

use serde::Serialize;
use serde_json::Value;

use crate::document::{Mention, MentionDetail};
use crate::Analyzed;

#[cfg(test)]
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

#[cfg(test)]
#[derive(Serialize)]
struct ParagraphOut<'a> {
    index: usize,
    start: usize,
    end: usize,
    text: &'a str,
}

/// The JSON line (with its newline) for one document.
///
/// Written by hand, field by field, in the order and with the bytes that
/// serde_json writes for the same record (a test renders both ways):
/// serde_json escapes every key and every string a byte at a time, which
/// made output an eighth of all the work. Strings with nothing to escape
/// (nearly all) are copied whole; the others are left to serde_json.
pub fn render(analyzed: &Analyzed) -> String {
    let doc = &analyzed.document;
    let meta = &doc.metadata;
    let mut out = Vec::with_capacity(doc.text.len() * 6 + 1024);
    let mut record = Object::new(&mut out);
    record.str("doc", &doc.name);
    record.str("path", &doc.path);
    record.str("sha256", &doc.sha256);
    record.str("format", doc.format.as_str());
    record.opt_str("encoding", doc.encoding.as_deref());
    record.opt_str("language", meta.language.map(|l| l.as_str()));
    record.opt_str("title", meta.title.as_deref());
    record.opt_str("published", meta.published.as_deref());
    record.opt_str("publisher", meta.publisher.as_deref());
    record.opt_str("genre", meta.genre.as_deref());
    record.opt_str("author", meta.author.as_deref());
    record.list("paragraphs", &analyzed.segmented.paragraphs, |out, p| {
        let mut o = Object::new(out);
        o.usize("index", p.index);
        o.usize("start", p.span.start);
        o.usize("end", p.span.end);
        o.str("text", p.span.of(&doc.text));
        o.end();
    });
    record.list("sentences", &analyzed.segmented.sentences, |out, s| {
        let mut o = Object::new(out);
        o.usize("index", s.index);
        o.usize("paragraph", s.paragraph);
        o.usize("start", s.span.start);
        o.usize("end", s.span.end);
        o.end();
    });
    record.list("mentions", &analyzed.mentions, |out, m| {
        MentionOut::new(m).write(out)
    });
    record.list("claims", &analyzed.claims, |out, c| {
        ClaimOut::new(c).write(out)
    });
    record.list("errors", &doc.errors, |out, e| string(out, e));
    match doc.part {
        None => record.null("part"),
        Some(part) => {
            let mut o = record.object("part");
            o.usize("number", part.number);
            o.usize("count", part.count);
            o.u64("offset", part.offset);
            o.end();
        }
    }
    record.end();
    out.push(b'\n');
    String::from_utf8(out).expect("JSON of UTF-8 strings is UTF-8")
}

/// The JSON line as serde writes it from [`Record`]: the reference the
/// hand-written [`render`] must equal, byte for byte.
#[cfg(test)]
fn render_with_serde(analyzed: &Analyzed) -> String {
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

/// How many paragraph slots the mentions and claims need: the paragraphs,
/// or more if a mention names a paragraph past them.
fn paragraph_slots(analyzed: &Analyzed) -> usize {
    let paragraphs = analyzed.segmented.paragraphs.len();
    analyzed
        .mentions
        .iter()
        .map(|m| m.paragraph + 1)
        .chain(analyzed.claims.iter().map(|c| c.paragraph + 1))
        .fold(paragraphs, usize::max)
}

/// Each paragraph's mentions and claims as two JSON arrays (text), indexed
/// by paragraph: what the per-paragraph records (`--format paragraphs`)
/// and the search index carry. The objects are those of the per-report
/// record: a mention's absent fields left out (a date's `value` is `null`
/// when it cannot be resolved); a claim's every field, `null` where the
/// sentence does not say, so that every claim has the same columns in
/// pandas or DuckDB.
pub fn arrays_by_paragraph(analyzed: &Analyzed) -> Vec<(String, String)> {
    let slots = paragraph_slots(analyzed);
    let mut out: Vec<(Vec<u8>, Vec<u8>)> = vec![(Vec::new(), Vec::new()); slots];
    for m in &analyzed.mentions {
        let list = &mut out[m.paragraph].0;
        list.push(if list.is_empty() { b'[' } else { b',' });
        MentionOut::new(m).write(list);
    }
    for c in &analyzed.claims {
        let list = &mut out[c.paragraph].1;
        list.push(if list.is_empty() { b'[' } else { b',' });
        ClaimOut::new(c).write(list);
    }
    let close = |mut list: Vec<u8>| {
        if list.is_empty() {
            list.push(b'[');
        }
        list.push(b']');
        String::from_utf8(list).expect("JSON of UTF-8 strings is UTF-8")
    };
    out.into_iter()
        .map(|(mentions, claims)| (close(mentions), close(claims)))
        .collect()
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

impl MentionOut<'_> {
    /// This mention as serde_json writes it (absent fields left out).
    fn write(&self, out: &mut Vec<u8>) {
        let mut o = Object::new(out);
        o.some_str("approx", self.approx);
        o.some_str("canonical", self.canonical);
        o.some_str("currency", self.currency);
        o.usize("end", self.end);
        o.some_str("event", self.event);
        o.str("kind", self.kind);
        o.usize("paragraph", self.paragraph);
        if let Some(salient) = self.salient {
            o.key("salient");
            o.out
                .extend_from_slice(if salient { b"true" } else { b"false" });
        }
        o.usize("sentence", self.sentence);
        o.usize("start", self.start);
        o.some_str("subject", self.subject);
        o.str("text", self.text);
        o.some_str("unit", self.unit);
        if let Some(value) = &self.value {
            o.value("value", value);
        }
        if let Some(value) = &self.value_max {
            o.value("value_max", value);
        }
        o.end();
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

impl ClaimOut<'_> {
    /// This claim as serde_json writes it (every field, `null` where absent).
    fn write(&self, out: &mut Vec<u8>) {
        let mut o = Object::new(out);
        o.opt_str("actor", self.actor);
        o.str("approx", self.approx);
        o.opt_str("attribution", self.attribution);
        o.opt_str("category", self.category);
        o.opt_str("currency", self.currency);
        o.opt_str("date", self.date);
        o.usize("end", self.end);
        o.opt_str("event", self.event);
        o.str("figure", self.figure);
        o.usize("figure_end", self.figure_end);
        o.usize("figure_start", self.figure_start);
        o.str("id", self.id);
        o.usize("paragraph", self.paragraph);
        o.opt_str("place", self.place);
        o.opt_str("restates", self.restates);
        o.str("sentence", self.sentence);
        o.usize("start", self.start);
        o.opt_str("subject", self.subject);
        o.str("unit", self.unit);
        o.value("value", &self.value);
        o.value("value_max", &self.value_max);
        o.end();
    }
}

/// A JSON object being written: `{`, then `"key":value` pairs with commas
/// between, then `}` from [`Object::end`]. Keys are written as they are
/// (they are ours, with nothing to escape).
struct Object<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Object<'a> {
    fn new(out: &'a mut Vec<u8>) -> Object<'a> {
        out.push(b'{');
        Object { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        string(self.out, value);
    }

    /// `null` when absent.
    fn opt_str(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(value) => self.str(key, value),
            None => self.null(key),
        }
    }

    /// Left out when absent.
    fn some_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.str(key, value);
        }
    }

    fn null(&mut self, key: &str) {
        self.key(key);
        self.out.extend_from_slice(b"null");
    }

    fn usize(&mut self, key: &str, value: usize) {
        self.key(key);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    fn u64(&mut self, key: &str, value: u64) {
        self.key(key);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    fn value(&mut self, key: &str, value: &Value) {
        self.key(key);
        serde_json::to_writer(&mut *self.out, value).expect("writing to memory");
    }

    fn list<T>(&mut self, key: &str, items: &[T], mut write: impl FnMut(&mut Vec<u8>, &T)) {
        self.key(key);
        self.out.push(b'[');
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                self.out.push(b',');
            }
            write(self.out, item);
        }
        self.out.push(b']');
    }

    fn object(&mut self, key: &str) -> Object<'_> {
        self.key(key);
        Object::new(self.out)
    }

    fn end(self) {
        self.out.push(b'}');
    }
}

/// `value` as a JSON string: copied whole between quotes when no byte
/// needs escaping (no `"`, `\\` or control byte below 0x20), else written
/// by serde_json.
fn string(out: &mut Vec<u8>, value: &str) {
    if needs_escape(value.as_bytes()) {
        serde_json::to_writer(&mut *out, value).expect("writing to memory");
    } else {
        out.reserve(value.len() + 2);
        out.push(b'"');
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    }
}

/// Whether a byte of `bytes` must be escaped in a JSON string; looked at
/// 16 bytes at a time, without branching on each.
fn needs_escape(bytes: &[u8]) -> bool {
    let bad = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | bad(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| bad(b))
}

/// Whole numbers as JSON integers (`32000`, not `32000.0`).
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_hand_written_record_is_the_serde_one() {
        let extractor = crate::Extractor::new(&crate::Dictionaries::embedded()).unwrap();
        let mut texts = crate::generate::sample_texts(24);
        // Strings that must be escaped, in text, title and names.
        texts.push(
            "\"43\" Ayotzinapa \\ backslash\u{1}\u{1f}\t tab\r\n\nOn 26 September 2014, 43 students \"disappeared\" in Iguala, Guerrero, said the \"CNDH\".\u{7f}\n\nMás de 1.5 millones — ½ — 😀 2.75% of 3,000.5 cases in 2015."
                .to_string(),
        );
        let mut checked = 0;
        for (n, text) in texts.iter().enumerate() {
            let name = format!("report \"{n}\".txt");
            let mut doc = crate::ingest::from_bytes(Path::new(&name), &name, text.as_bytes());
            if n % 3 == 0 {
                doc.part = Some(crate::Part {
                    number: 2,
                    count: 3,
                    offset: 1 << 40,
                });
                doc.errors.push("a \"quoted\" error".to_string());
            }
            let analyzed = extractor.analyze(doc);
            assert_eq!(render(&analyzed), render_with_serde(&analyzed));
            checked += analyzed.mentions.len() + analyzed.claims.len();
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn needs_escape_is_exact_for_every_byte_at_every_place() {
        for b in 0..0x80u8 {
            for at in 0..19 {
                let mut bytes = vec![b'a'; 19];
                bytes[at] = b;
                let want = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(needs_escape(&bytes), want, "{b:#x} at {at}");
                // Next to bytes that borrow in the subtraction.
                bytes.fill(0xff);
                bytes[at] = b;
                assert_eq!(needs_escape(&bytes), want, "{b:#x} at {at} among 0xff");
            }
        }
    }

    #[test]
    fn paragraph_arrays_are_the_serialized_objects() {
        let extractor = crate::Extractor::new(&crate::Dictionaries::embedded()).unwrap();
        let mut arrays = 0;
        for text in crate::generate::sample_texts(12) {
            let doc = crate::ingest::from_bytes(Path::new("a.txt"), "a.txt", text.as_bytes());
            let analyzed = extractor.analyze(doc);
            let written = arrays_by_paragraph(&analyzed);
            assert!(written.len() >= analyzed.segmented.paragraphs.len());
            for (n, (mentions, claims)) in written.iter().enumerate() {
                let of_paragraph: Vec<MentionOut> = analyzed
                    .mentions
                    .iter()
                    .filter(|m| m.paragraph == n)
                    .map(MentionOut::new)
                    .collect();
                assert_eq!(*mentions, serde_json::to_string(&of_paragraph).unwrap());
                let of_paragraph: Vec<ClaimOut> = analyzed
                    .claims
                    .iter()
                    .filter(|c| c.paragraph == n)
                    .map(ClaimOut::new)
                    .collect();
                assert_eq!(*claims, serde_json::to_string(&of_paragraph).unwrap());
                arrays += 1;
            }
        }
        assert!(arrays > 100, "{arrays}");
    }

    #[test]
    fn strings_are_escaped_where_serde_json_would() {
        for s in [
            "",
            "plain",
            "a\"b",
            "a\\b",
            "\u{0}",
            "tab\there",
            "\u{7f}é😀",
            &"x".repeat(40),
            &format!("{}\n", "y".repeat(33)),
        ] {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }
}

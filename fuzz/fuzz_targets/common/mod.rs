//! What every fuzz target shares: the compiled matchers, built once (it
//! takes a while), and the invariants of the offset contract, checked
//! cheaply after each run.

#![allow(dead_code)]

use std::sync::OnceLock;

use chrono::NaiveDate;
use cifra::document::fold_whitespace;
use cifra::{Analyzed, Dictionaries, Extractor, MentionDetail, Span};

pub fn dictionaries() -> &'static Dictionaries {
    static DICTS: OnceLock<Dictionaries> = OnceLock::new();
    DICTS.get_or_init(Dictionaries::embedded)
}

pub fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(dictionaries()).expect("embedded dictionaries build"))
}

/// `span` lies within `text` and starts and ends on char boundaries.
pub fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} is outside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} is not on char boundaries"
    );
}

/// Spans in text order, none overlapping the one before.
pub fn check_ordered(spans: impl Iterator<Item = Span>, what: &str) {
    let mut last: Option<Span> = None;
    for span in spans {
        if let Some(prev) = last {
            assert!(
                prev.end <= span.start,
                "{what} {span:?} overlaps or precedes {prev:?}"
            );
        }
        last = Some(span);
    }
}

/// The whole contract of an analyzed document: paragraphs and sentences in
/// order inside the body, every mention at a span of the text whose
/// folded source is its text, inside the paragraph it names.
pub fn check_analyzed(analyzed: &Analyzed) {
    let doc = &analyzed.document;
    let text = doc.text.as_str();
    check_span(text, doc.body, "body");
    for m in &doc.markup {
        assert!(
            m.start <= m.end && m.end <= text.len(),
            "markup {m:?} outside the text"
        );
    }
    let seg = &analyzed.segmented;
    for (i, p) in seg.paragraphs.iter().enumerate() {
        assert_eq!(p.index, i, "paragraph numbering");
        check_span(text, p.span, "paragraph");
        assert!(
            doc.body.contains(p.span),
            "paragraph {:?} outside the body {:?}",
            p.span,
            doc.body
        );
    }
    check_ordered(seg.paragraphs.iter().map(|p| p.span), "paragraph");
    for (i, s) in seg.sentences.iter().enumerate() {
        assert_eq!(s.index, i, "sentence numbering");
        check_span(text, s.span, "sentence");
        let p = seg
            .paragraphs
            .get(s.paragraph)
            .expect("a sentence's paragraph exists");
        assert!(
            p.span.contains(s.span),
            "sentence {:?} outside its paragraph {:?}",
            s.span,
            p.span
        );
    }
    check_ordered(seg.sentences.iter().map(|s| s.span), "sentence");
    for n in &seg.noise {
        check_span(text, *n, "noise");
    }
    for m in &analyzed.mentions {
        check_span(text, m.span, "mention");
        assert_eq!(
            m.text,
            fold_whitespace(m.span.of(text)),
            "mention text at {:?}",
            m.span
        );
        let p = seg
            .paragraphs
            .get(m.paragraph)
            .expect("a mention's paragraph exists");
        assert!(
            p.span.contains(m.span),
            "mention {:?} outside its paragraph {:?}",
            m.span,
            p.span
        );
        if let MentionDetail::Date(Some(value)) = &m.detail {
            check_iso(value);
        }
        assert!(
            m.sentence < seg.sentences.len().max(1),
            "mention {:?} names sentence {} of {}",
            m.span,
            m.sentence,
            seg.sentences.len()
        );
    }
    for c in &analyzed.claims {
        check_span(text, c.span, "claim sentence");
        check_span(text, c.figure_span, "claim figure");
    }
}

/// Every output format renders, and each JSON line reads back as JSON.
pub fn check_render(analyzed: &Analyzed) {
    use cifra::OutputFormat;
    for format in [OutputFormat::Jsonl, OutputFormat::Paragraphs] {
        for line in format.render(analyzed).lines() {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(line) {
                panic!("{format:?} line is not JSON ({e}): {line}");
            }
        }
    }
    let _ = OutputFormat::Csv.render(analyzed);
}

/// A date value as cifra writes it: `2014`, `2014-09`, `2014-09-26` or
/// `2014-W38`, or two of them (or `..`) joined by `/`; every day a real
/// calendar day.
pub fn check_iso(value: &str) {
    let ends: Vec<&str> = value.split('/').collect();
    assert!(ends.len() <= 2, "{value}: more than one '/'");
    for end in ends.into_iter().filter(|e| *e != "..") {
        let parts: Vec<&str> = end.split('-').collect();
        let num = |s: &str, n: usize| -> u32 {
            assert!(
                s.len() == n && s.bytes().all(|b| b.is_ascii_digit()),
                "{value}: {s:?} is not {n} digits"
            );
            s.parse().unwrap()
        };
        let year = num(parts[0], 4) as i32;
        match parts[1..] {
            [] => {}
            [w] if w.starts_with('W') => {
                let week = num(&w[1..], 2);
                assert!((1..=53).contains(&week), "{value}: week {week}");
            }
            [m] => assert!((1..=12).contains(&num(m, 2)), "{value}: month {m}"),
            [m, d] => assert!(
                NaiveDate::from_ymd_opt(year, num(m, 2), num(d, 2)).is_some(),
                "{value}: not a calendar date"
            ),
            _ => panic!("{value}: too many parts"),
        }
    }
}

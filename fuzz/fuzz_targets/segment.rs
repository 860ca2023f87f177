//! Arbitrary UTF-8 → paragraphs and sentences: spans in order, inside the
//! body, on char boundaries; sentences inside their paragraph.
#![no_main]

use std::sync::OnceLock;

use cifra::document::{Document, Format, Metadata, Span};
use cifra::segment::sentences::MAX_SENTENCE_BYTES;
use cifra::segment::{Segmented, SentenceSplitter};
use libfuzzer_sys::fuzz_target;

mod common;

fn splitter() -> &'static SentenceSplitter {
    static SPLITTER: OnceLock<SentenceSplitter> = OnceLock::new();
    SPLITTER.get_or_init(|| SentenceSplitter::new(common::dictionaries()).unwrap())
}

fn document(text: &str, body: Span) -> Document {
    Document {
        name: "fuzz.txt".into(),
        path: "fuzz.txt".into(),
        sha256: String::new(),
        format: Format::Txt,
        encoding: Some("UTF-8".into()),
        text: text.into(),
        body,
        markup: Vec::new(),
        metadata: Metadata::default(),
        errors: Vec::new(),
        part: None,
    }
}

fuzz_target!(|text: &str| {
    // The whole text as body, and the text after its first line (as after
    // Markdown front matter).
    let mut bodies = vec![Span::new(0, text.len())];
    if let Some(nl) = text.find('\n') {
        bodies.push(Span::new(nl + 1, text.len()));
    }
    for body in bodies {
        let doc = document(text, body);
        let seg = Segmented::new(&doc, splitter());
        for (i, p) in seg.paragraphs.iter().enumerate() {
            assert_eq!(p.index, i);
            common::check_span(text, p.span, "paragraph");
            assert!(
                body.contains(p.span),
                "paragraph {:?} outside the body {body:?}",
                p.span
            );
            assert!(!p.span.is_empty(), "empty paragraph at {:?}", p.span);
        }
        common::check_ordered(seg.paragraphs.iter().map(|p| p.span), "paragraph");
        for (i, s) in seg.sentences.iter().enumerate() {
            assert_eq!(s.index, i);
            common::check_span(text, s.span, "sentence");
            assert!(
                s.span.len() <= MAX_SENTENCE_BYTES,
                "sentence {:?} too long",
                s.span
            );
            let p = &seg.paragraphs[s.paragraph];
            assert!(
                p.span.contains(s.span),
                "sentence {:?} outside {:?}",
                s.span,
                p.span
            );
        }
        common::check_ordered(seg.sentences.iter().map(|s| s.span), "sentence");
        for n in &seg.noise {
            common::check_span(text, *n, "noise");
        }
        // Lookups by offset agree with the spans.
        for s in &seg.sentences {
            assert_eq!(seg.sentence_of(s.span.start), Some(s.index));
            assert_eq!(seg.paragraph_of(s.span.start), Some(s.paragraph));
        }
    }
});

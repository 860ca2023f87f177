//! Arbitrary UTF-8 → figures, paragraph by paragraph as the extractor
//! reads them, in English and in Spanish: spans in order, on char
//! boundaries, values that are numbers.
#![no_main]

use std::sync::OnceLock;

use cifra::document::{Language, Span};
use cifra::extract::{tokens, FigureGrammar, Salience};
use libfuzzer_sys::fuzz_target;

mod common;

fn grammar() -> &'static (FigureGrammar, Salience) {
    static GRAMMAR: OnceLock<(FigureGrammar, Salience)> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let dicts = common::dictionaries();
        (
            FigureGrammar::new(dicts).unwrap(),
            Salience::new(dicts).unwrap(),
        )
    })
}

fuzz_target!(|text: &str| {
    let (figures, salience) = grammar();
    for paragraph in cifra::segment::paragraphs::split(text, Span::new(0, text.len())) {
        let tokens = tokens::tokenize(text, paragraph.span);
        for lang in [Language::En, Language::Es] {
            let found = figures.find(text, &tokens, lang, salience);
            for m in &found {
                common::check_span(text, m.span, "figure");
                assert!(
                    paragraph.span.contains(m.span),
                    "figure {:?} outside {:?}",
                    m.span,
                    paragraph.span
                );
                assert!(
                    m.tokens.0 < m.tokens.1 && m.tokens.1 <= tokens.len(),
                    "tokens {:?}",
                    m.tokens
                );
                assert!(!m.figure.value.is_nan(), "NaN at {:?}", m.span);
                if let Some(max) = m.figure.value_max {
                    assert!(!max.is_nan(), "NaN maximum at {:?}", m.span);
                }
            }
            common::check_ordered(found.iter().map(|m| m.span), "figure");
        }
    }
});

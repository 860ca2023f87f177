//! Arbitrary UTF-8 → dates, paragraph by paragraph, resolved against a
//! document date picked by the first byte: spans in order and on char
//! boundaries, and every ISO value a real calendar date (or interval of
//! them).
#![no_main]

use std::sync::OnceLock;

use cifra::document::Span;
use cifra::extract::{Anchor, DateGrammar};
use libfuzzer_sys::fuzz_target;

mod common;

fn grammar() -> &'static DateGrammar {
    static GRAMMAR: OnceLock<DateGrammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| DateGrammar::new(common::dictionaries()).unwrap())
}

/// Document dates as the metadata gives them (`iso_date` keeps 4-digit years).
const ANCHORS: &[Option<&str>] = &[
    None,
    Some("2014-11-07"),
    Some("2014-11"),
    Some("2014"),
    Some("2020-02-29"),
    Some("9999-12-31"),
    Some("0000-01-01"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let anchor = Anchor::parse(ANCHORS[usize::from(first) % ANCHORS.len()]);
    for paragraph in cifra::segment::paragraphs::split(text, Span::new(0, text.len())) {
        let found = grammar().find(text, paragraph.span, &anchor);
        for m in &found {
            common::check_span(text, m.span, "date");
            assert!(
                paragraph.span.contains(m.span),
                "date {:?} outside {:?}",
                m.span,
                paragraph.span
            );
            if let Some(value) = &m.value {
                common::check_iso(value);
            }
        }
        common::check_ordered(found.iter().map(|m| m.span), "date");
    }
});

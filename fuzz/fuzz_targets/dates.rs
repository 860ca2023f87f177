//! Arbitrary UTF-8 → dates, paragraph by paragraph, resolved against a
//! document date picked by the first byte: spans in order and on char
//! boundaries, and every ISO value a real calendar date (or interval of
//! them).
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
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

/// One end of an ISO value: `2014`, `2014-09`, `2014-09-26`, `2014-W38`.
fn check_point(p: &str, value: &str) {
    let parts: Vec<&str> = p.split('-').collect();
    let num = |s: &str| -> u32 {
        assert!(
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
            "{value}: {s:?} is not a number"
        );
        s.parse().unwrap()
    };
    assert!(
        parts[0].len() == 4,
        "{value}: year {:?} is not 4 digits",
        parts[0]
    );
    let year = num(parts[0]) as i32;
    match parts[1..] {
        [] => {}
        [w] if w.starts_with('W') => {
            let week = num(&w[1..]);
            assert!((1..=53).contains(&week), "{value}: week {week}");
        }
        [m] => assert!((1..=12).contains(&num(m)), "{value}: month {m}"),
        [m, d] => assert!(
            NaiveDate::from_ymd_opt(year, num(m), num(d)).is_some(),
            "{value}: not a calendar date"
        ),
        _ => panic!("{value}: too many parts"),
    }
}

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
            let Some(value) = &m.value else { continue };
            let ends: Vec<&str> = value.split('/').collect();
            assert!(ends.len() <= 2, "{value}: more than one '/'");
            for end in ends.iter().filter(|e| **e != "..") {
                check_point(end, value);
            }
        }
        common::check_ordered(found.iter().map(|m| m.span), "date");
    }
});

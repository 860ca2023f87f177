//! Property tests: any whole number written in digits (each separator
//! style) or in English or Spanish words reads back as itself, and any
//! valid date written in each supported form reads back as its ISO value.

use std::path::Path;

use crate::util::extractor;
use cifra::{Language, MentionDetail, MentionKind};
use proptest::prelude::*;

/// The (text, value) of every mention of `kind` in `sentence`.
fn read(sentence: &str, lang: Language, kind: MentionKind) -> Vec<(String, MentionDetail)> {
    let text = format!("{sentence}\n");
    let mut doc = cifra::ingest::from_bytes(Path::new("p.txt"), "p.txt", text.as_bytes());
    doc.metadata.language = Some(lang);
    doc.metadata.published = Some("2020-01-15".into());
    extractor()
        .analyze(doc)
        .mentions
        .into_iter()
        .filter(|m| m.kind == kind)
        .map(|m| (m.text, m.detail))
        .collect()
}

fn figure_value(detail: &MentionDetail) -> f64 {
    match detail {
        MentionDetail::Figure(f) => f.value,
        other => panic!("not a figure: {other:?}"),
    }
}

/// `n` in groups of three digits joined by `sep`.
fn grouped(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

const EN_UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// 1 ≤ n < 1000 in English words: `two hundred forty-three`.
fn english_below_1000(n: u64) -> String {
    let mut parts = Vec::new();
    if n >= 100 {
        parts.push(format!("{} hundred", EN_UNITS[(n / 100) as usize]));
    }
    let rest = n % 100;
    if rest >= 20 {
        let tens = EN_TENS[(rest / 10) as usize];
        parts.push(match rest % 10 {
            0 => tens.to_string(),
            u => format!("{tens}-{}", EN_UNITS[u as usize]),
        });
    } else if rest > 0 {
        parts.push(EN_UNITS[rest as usize].to_string());
    }
    parts.join(" ")
}

fn english(n: u64) -> String {
    let mut parts = Vec::new();
    for (scale, name) in [
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1000, "thousand"),
    ] {
        if !(n / scale).is_multiple_of(1000) {
            parts.push(format!("{} {name}", english_below_1000((n / scale) % 1000)));
        }
    }
    if !n.is_multiple_of(1000) {
        parts.push(english_below_1000(n % 1000));
    }
    parts.join(" ")
}

const ES_UNITS: [&str; 30] = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
];
const ES_TENS: [&str; 10] = [
    "",
    "",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
];
const ES_HUNDREDS: [&str; 10] = [
    "",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
];

/// 1 ≤ n < 1000 in Spanish words; `apocope` writes `un`/`veintiún`, as
/// before `mil` and `millones`.
fn spanish_below_1000(n: u64, apocope: bool) -> String {
    let mut parts = Vec::new();
    if n == 100 {
        return "cien".into();
    }
    if n >= 100 {
        parts.push(ES_HUNDREDS[(n / 100) as usize].to_string());
    }
    let rest = n % 100;
    let unit = |u: u64| match (u, apocope) {
        (1, true) => "un".to_string(),
        (21, true) => "veintiún".to_string(),
        (u, _) => ES_UNITS[u as usize].to_string(),
    };
    if rest >= 30 {
        let tens = ES_TENS[(rest / 10) as usize];
        parts.push(match rest % 10 {
            0 => tens.to_string(),
            u => format!("{tens} y {}", unit(u)),
        });
    } else if rest > 0 {
        parts.push(unit(rest));
    }
    parts.join(" ")
}

fn spanish(n: u64) -> String {
    let mut parts = Vec::new();
    let millions = n / 1_000_000;
    if millions == 1 {
        parts.push("un millón".to_string());
    } else if millions > 1 {
        parts.push(format!("{} millones", spanish_below_1000(millions, true)));
    }
    let thousands = (n / 1000) % 1000;
    if thousands == 1 {
        parts.push("mil".to_string());
    } else if thousands > 1 {
        parts.push(format!("{} mil", spanish_below_1000(thousands, true)));
    }
    if !n.is_multiple_of(1000) {
        parts.push(spanish_below_1000(n % 1000, false));
    }
    parts.join(" ")
}

#[test]
fn word_writers_spell_known_numbers() {
    assert_eq!(
        english(243_512),
        "two hundred forty-three thousand five hundred twelve"
    );
    assert_eq!(spanish(21_043), "veintiún mil cuarenta y tres");
    assert_eq!(spanish(1_200_100), "un millón doscientos mil cien");
}

proptest! {
    // 256 cases each by default; PROPTEST_CASES=20000 for a longer run.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn digits_read_back(n in 1u64..1_000_000_000_000, style in 0usize..4) {
        let (lang, written) = match style {
            0 => (Language::En, grouped(n, ",")),
            1 => (Language::Es, grouped(n, ".")),
            2 => (Language::En, grouped(n, " ")),
            _ => (Language::Es, grouped(n, " ")),
        };
        // A bare four-digit number between 1800 and 2100 is a year.
        prop_assume!(!(1800..=2100).contains(&n));
        let sentence = format!("Officials counted {written} complaints.");
        let found = read(&sentence, lang, MentionKind::Figure);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", sentence, found);
        prop_assert_eq!(&found[0].0, &written);
        prop_assert_eq!(figure_value(&found[0].1), n as f64);
    }

    #[test]
    fn english_words_read_back(n in 2u64..1_000_000_000_000) {
        let written = english(n);
        let sentence = format!("Officials counted {written} complaints.");
        let found = read(&sentence, Language::En, MentionKind::Figure);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", sentence, found);
        prop_assert_eq!(&found[0].0, &written);
        prop_assert_eq!(figure_value(&found[0].1), n as f64);
    }

    #[test]
    fn spanish_words_read_back(n in 2u64..1_000_000_000) {
        let written = spanish(n);
        let sentence = format!("Se registraron {written} quejas.");
        let found = read(&sentence, Language::Es, MentionKind::Figure);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", sentence, found);
        prop_assert_eq!(&found[0].0, &written);
        prop_assert_eq!(figure_value(&found[0].1), n as f64);
    }

    #[test]
    fn dates_read_back(year in 1900i32..2100, month in 1u32..=12, day in 1u32..=31, form in 0usize..8) {
        let Some(date) = chrono::NaiveDate::from_ymd_opt(year, month, day) else {
            return Ok(());
        };
        const EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"];
        const EN_SHORT: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
            "Sept.", "Oct.", "Nov.", "Dec."];
        const ES: [&str; 12] = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
            "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
        let m = (month - 1) as usize;
        let iso_day = date.format("%Y-%m-%d").to_string();
        let iso_month = date.format("%Y-%m").to_string();
        let (lang, written, want) = match form {
            0 => (Language::En, format!("{day} {} {year}", EN_SHORT[m]), iso_day),
            1 => (Language::En, format!("{} {day}, {year}", EN[m]), iso_day),
            2 => (Language::En, format!("{} {day}, {year}", EN_SHORT[m]), iso_day),
            3 => (Language::En, date.format("%d/%m/%Y").to_string(), iso_day),
            4 => (Language::En, iso_day.clone(), iso_day),
            5 => (Language::Es, format!("{day} de {} de {year}", ES[m]), iso_day),
            6 => (Language::En, format!("{} {year}", EN[m]), iso_month),
            _ => (Language::Es, format!("{} de {year}", ES[m]), iso_month),
        };
        let sentence = format!("The events of {written} were documented.");
        let found = read(&sentence, lang, MentionKind::Date);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", sentence, found);
        prop_assert_eq!(&found[0].0, &written);
        prop_assert_eq!(&found[0].1, &MentionDetail::Date(Some(want)));
    }
}

//! The library API: `Extractor` shared across threads, and a table of
//! English and Spanish sentences with every mention they must yield.

use std::path::Path;

use crate::util::extractor;
use cifra::{Approx, Extractor, Language, MentionDetail, MentionKind, Unit};

fn assert_send_sync<T: Send + Sync>() {}

/// Compile-time: the extractor can be shared by worker threads.
const _: fn() = || {
    assert_send_sync::<Extractor>();
    assert_send_sync::<cifra::Document>();
    assert_send_sync::<cifra::Analyzed>();
};

/// One mention, as expected or as found.
#[derive(Debug, PartialEq)]
enum Want {
    Figure {
        text: String,
        value: f64,
        value_max: Option<f64>,
        approx: Approx,
        unit: Unit,
        currency: Option<String>,
        subject: Option<String>,
    },
    Date {
        text: String,
        value: Option<String>,
    },
}

fn count(text: &str, value: f64, approx: Approx, subject: &str) -> Want {
    figure(text, value, approx, Unit::Count, Some(subject))
}

fn figure(text: &str, value: f64, approx: Approx, unit: Unit, subject: Option<&str>) -> Want {
    Want::Figure {
        text: text.into(),
        value,
        value_max: None,
        approx,
        unit,
        currency: None,
        subject: subject.map(String::from),
    }
}

fn money(text: &str, value: f64, currency: &str, subject: Option<&str>) -> Want {
    Want::Figure {
        text: text.into(),
        value,
        value_max: None,
        approx: Approx::Exact,
        unit: Unit::Money,
        currency: Some(currency.into()),
        subject: subject.map(String::from),
    }
}

fn range(text: &str, min: f64, max: f64, subject: &str) -> Want {
    Want::Figure {
        text: text.into(),
        value: min,
        value_max: Some(max),
        approx: Approx::Range,
        unit: Unit::Count,
        currency: None,
        subject: Some(subject.into()),
    }
}

fn date(text: &str, value: &str) -> Want {
    Want::Date {
        text: text.into(),
        value: Some(value.into()),
    }
}

use Approx::{About, Exact, LessThan, MoreThan, Vague};
use Language::{En, Es};

/// (language, sentence, every mention it must yield, in text order)
fn cases() -> Vec<(Language, &'static str, Vec<Want>)> {
    vec![
        // Subjects end where the predicate starts; pronouns are no subject.
        (
            En,
            "Twenty-two people died there.",
            vec![count("Twenty-two", 22.0, Exact, "people")],
        ),
        (
            En,
            "Only 12% of complaints reached a court.",
            vec![figure(
                "12%",
                12.0,
                Exact,
                Unit::Percent,
                Some("complaints"),
            )],
        ),
        (
            Es,
            "Los 43 estudiantes desaparecieron en Iguala.",
            vec![count("43", 43.0, Exact, "estudiantes")],
        ),
        (
            En,
            "Police detained 15 of them.",
            vec![figure("15", 15.0, Exact, Unit::Count, Some("people"))],
        ),
        // `uno de` is a pronoun, as `one of` is.
        (Es, "Uno de los soldados disparó primero.", vec![]),
        // English figures.
        (
            En,
            "There are more than 32,000 disappeared persons in the registry.",
            vec![count(
                "more than 32,000",
                32000.0,
                MoreThan,
                "disappeared persons",
            )],
        ),
        (
            En,
            "The donors pledged $2.5 billion in aid to the region.",
            vec![money("$2.5 billion", 2.5e9, "USD", Some("aid"))],
        ),
        (
            En,
            "In 80 percent of cases, nobody was charged.",
            vec![figure(
                "80 percent",
                80.0,
                Exact,
                Unit::Percent,
                Some("cases"),
            )],
        ),
        (
            En,
            "Only 12% of complaints were investigated.",
            vec![figure(
                "12%",
                12.0,
                Exact,
                Unit::Percent,
                Some("complaints"),
            )],
        ),
        (
            En,
            "The army killed forty-three students.",
            vec![count("forty-three", 43.0, Exact, "students")],
        ),
        (
            En,
            "The witnesses counted twenty-two bodies.",
            vec![count("twenty-two", 22.0, Exact, "bodies")],
        ),
        (
            En,
            "About 2.5 million people were displaced.",
            vec![count("About 2.5 million", 2_500_000.0, About, "people")],
        ),
        (
            En,
            "There were tens of thousands of protesters in the capital.",
            vec![count("tens of thousands", 10_000.0, Vague, "protesters")],
        ),
        (
            En,
            "Between 20 and 30 soldiers were wounded.",
            vec![range("Between 20 and 30", 20.0, 30.0, "soldiers")],
        ),
        (
            En,
            "At least 12 people were executed.",
            vec![count("At least 12", 12.0, MoreThan, "people")],
        ),
        (
            En,
            "Fewer than 10 officers were charged.",
            vec![count("Fewer than 10", 10.0, LessThan, "officers")],
        ),
        (
            En,
            "One in five detainees was tortured.",
            vec![figure(
                "One in five",
                0.2,
                Exact,
                Unit::Ratio,
                Some("detainees"),
            )],
        ),
        (
            En,
            "Less than half of cases were investigated.",
            vec![figure(
                "Less than half",
                0.5,
                LessThan,
                Unit::Ratio,
                Some("cases"),
            )],
        ),
        (
            En,
            "Some 5,000 troops were deployed on 1 December 2006.",
            vec![
                count("Some 5,000", 5000.0, About, "troops"),
                date("1 December 2006", "2006-12-01"),
            ],
        ),
        (
            En,
            "The fund received US$3 million in 2019.",
            vec![
                money("US$3 million", 3e6, "USD", None),
                date("2019", "2019"),
            ],
        ),
        // English: numbers that are not figures.
        (
            En,
            "The commission issued Recommendation 58/2015 to the army.",
            vec![],
        ),
        (En, "The 102nd Battalion was deployed.", vec![]),
        (En, "Article 73 of the Constitution was amended.", vec![]),
        (
            En,
            "The violence spread across Mexico.12 Nobody was tried.",
            vec![],
        ),
        (En, "A man aged 37 was detained.", vec![]),
        (En, "He spent five years in prison.", vec![]),
        (En, "He was detained for 48 hours.", vec![]),
        (En, "One of the soldiers fired first.", vec![]),
        (
            En,
            "The attack happened in 2014 and was covered up.",
            vec![date("2014", "2014")],
        ),
        // English dates.
        (
            En,
            "The report was released on 12 Sep 2017 in Geneva.",
            vec![date("12 Sep 2017", "2017-09-12")],
        ),
        (
            En,
            "The students disappeared on September 30, 2014 in Iguala.",
            vec![date("September 30, 2014", "2014-09-30")],
        ),
        (
            En,
            "The killings took place in June 2014 in Tlatlaya.",
            vec![date("June 2014", "2014-06")],
        ),
        (
            En,
            "The hearing was held on Sept. 26, 2014.",
            vec![date("Sept. 26, 2014", "2014-09-26")],
        ),
        (
            En,
            "The report was published on 2014-09-26.",
            vec![date("2014-09-26", "2014-09-26")],
        ),
        (
            En,
            "Soldiers killed 22 civilians in Tlatlaya on 30 June 2014.",
            vec![
                count("22", 22.0, Exact, "civilians"),
                date("30 June 2014", "2014-06-30"),
            ],
        ),
        // Spanish.
        (
            Es,
            "El 43 por ciento de las denuncias fueron archivadas.",
            vec![figure(
                "43 por ciento",
                43.0,
                Exact,
                Unit::Percent,
                Some("denuncias"),
            )],
        ),
        (
            Es,
            "Los cuarenta y tres estudiantes fueron detenidos.",
            vec![count("cuarenta y tres", 43.0, Exact, "estudiantes")],
        ),
        (
            Es,
            "Hay 32.000 desaparecidos en el registro nacional.",
            vec![count("32.000", 32000.0, Exact, "desaparecidos")],
        ),
        (
            Es,
            "Se encontraron cerca de 300 cuerpos en las fosas.",
            vec![count("cerca de 300", 300.0, About, "cuerpos")],
        ),
        (
            Es,
            "Más de 170 casos de tortura fueron denunciados.",
            vec![count("Más de 170", 170.0, MoreThan, "casos de tortura")],
        ),
        (
            Es,
            "Entre 20 y 30 soldados fueron heridos.",
            vec![range("Entre 20 y 30", 20.0, 30.0, "soldados")],
        ),
        (
            Es,
            "Miles de personas fueron desplazadas.",
            vec![count("Miles", 1000.0, Vague, "personas")],
        ),
        (
            Es,
            "Los 43 estudiantes fueron vistos el 26 de septiembre de 2014.",
            vec![
                count("43", 43.0, Exact, "estudiantes"),
                date("26 de septiembre de 2014", "2014-09-26"),
            ],
        ),
        (
            Es,
            "El 15 de enero de 2019 se aprobó la reforma.",
            vec![date("15 de enero de 2019", "2019-01-15")],
        ),
        (
            Es,
            "La CNDH emitió la Recomendación 51/2014 sobre Tlatlaya.",
            vec![],
        ),
        (Es, "Un hombre de 37 años fue detenido.", vec![]),
        (Es, "Pasó cinco años en prisión.", vec![]),
        (
            Es,
            "El artículo 73 de la Constitución fue reformado.",
            vec![],
        ),
    ]
}

/// What the library found, in the same shape as `Want`, with start offsets.
fn analyze(lang: Language, sentence: &str) -> Vec<(usize, Want)> {
    let text = format!("{sentence}\n");
    let mut doc = cifra::ingest::from_bytes(Path::new("case.txt"), "case.txt", text.as_bytes());
    assert!(doc.errors.is_empty(), "{sentence}: {:?}", doc.errors);
    doc.metadata.language = Some(lang);
    let analyzed = extractor().analyze(doc);
    let source = &analyzed.document.text;
    // This table is about figures and dates; named mentions have their own tests.
    analyzed
        .mentions
        .iter()
        .filter(|m| matches!(m.kind, MentionKind::Figure | MentionKind::Date))
        .map(|m| {
            assert_eq!(m.text, cifra::document::fold_whitespace(m.span.of(source)));
            assert_eq!(m.paragraph, 0, "{sentence}");
            let want = match (&m.kind, &m.detail) {
                (MentionKind::Figure, MentionDetail::Figure(f)) => Want::Figure {
                    text: m.text.clone(),
                    value: f.value,
                    value_max: f.value_max,
                    approx: f.approx,
                    unit: f.unit,
                    currency: f.currency.clone(),
                    subject: f.subject.clone(),
                },
                (MentionKind::Date, MentionDetail::Date(value)) => Want::Date {
                    text: m.text.clone(),
                    value: value.clone(),
                },
                (kind, detail) => panic!("{sentence}: unexpected {kind:?} {detail:?}"),
            };
            (m.span.start, want)
        })
        .collect()
}

#[test]
fn sentence_table() {
    let mut failures = Vec::new();
    for (lang, sentence, wants) in cases() {
        let got = analyze(lang, sentence);
        let expected: Vec<(usize, Want)> = wants
            .into_iter()
            .map(|w| {
                let text = match &w {
                    Want::Figure { text, .. } | Want::Date { text, .. } => text,
                };
                let start = sentence
                    .find(text.as_str())
                    .unwrap_or_else(|| panic!("{sentence}: no {text:?} in the sentence"));
                (start, w)
            })
            .collect();
        if got != expected {
            failures.push(format!(
                "{lang:?} {sentence:?}\n   got: {got:?}\n  want: {expected:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn figure_values_round_trip_through_jsonl() {
    let text = "The donors pledged $2.5 billion in aid; more than 32,000 people are missing.\n";
    let doc = cifra::ingest::from_bytes(Path::new("a.txt"), "a.txt", text.as_bytes());
    let analyzed = extractor().analyze(doc);
    let line = cifra::output::jsonl::render(&analyzed);
    assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
    let record: serde_json::Value = serde_json::from_str(&line).unwrap();
    let mentions = record["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 2, "{record}");
    // Whole numbers are JSON integers, not floats.
    assert!(mentions[0]["value"].is_i64(), "{}", mentions[0]);
    assert_eq!(mentions[0]["value"], 2_500_000_000_i64);
    assert_eq!(mentions[0]["currency"], "USD");
    assert_eq!(mentions[1]["value"], 32000);
    assert!(
        mentions[1].get("currency").is_none(),
        "absent fields are left out"
    );
    assert!(
        mentions[1].get("value_max").is_none(),
        "absent fields are left out"
    );
}

#[test]
fn relative_dates_resolve_against_the_document_date_or_are_null() {
    let text = "It happened on 30 June.\n";
    let doc = cifra::ingest::from_bytes(Path::new("a.txt"), "a.txt", text.as_bytes());
    let analyzed = extractor().analyze(doc);
    assert_eq!(analyzed.mentions.len(), 1, "{:?}", analyzed.mentions);
    assert_eq!(analyzed.mentions[0].text, "30 June");
    assert_eq!(analyzed.mentions[0].detail, MentionDetail::Date(None));
    let record: serde_json::Value =
        serde_json::from_str(&cifra::output::jsonl::render(&analyzed)).unwrap();
    assert!(record["mentions"][0]["value"].is_null(), "{record}");

    // With the document's own date (Tuesday 1 July 2014) as the anchor.
    let text =
        "Yesterday the army said it killed 22 people on 30 June; last year it said nothing.\n";
    let mut doc = cifra::ingest::from_bytes(Path::new("a.txt"), "a.txt", text.as_bytes());
    doc.metadata.published = Some("2014-07-01".into());
    let analyzed = extractor().analyze(doc);
    let dates: Vec<(&str, Option<&str>)> = analyzed
        .mentions
        .iter()
        .filter_map(|m| match &m.detail {
            MentionDetail::Date(v) => Some((m.text.as_str(), v.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(
        dates,
        [
            ("Yesterday", Some("2014-06-30")),
            ("30 June", Some("2014-06-30")),
            ("last year", Some("2013")),
        ]
    );
}

#[test]
fn note_marks_after_a_separator_are_not_figures() {
    let text = "Military prosecutors closed 40 investigations without charges.\n\n\
                __________________\n\
                1 Amnesty International, Out of Control, 2014, p. 12.\n\
                2 CNDH, Recomendación 51/2014.\n";
    let doc = cifra::ingest::from_bytes(Path::new("a.txt"), "a.txt", text.as_bytes());
    let analyzed = extractor().analyze(doc);
    let figures: Vec<&str> = analyzed
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Figure)
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(figures, ["40"]);
}

#[test]
fn a_salient_figure_becomes_a_claim_with_its_context() {
    let text = "According to the CNDH, soldiers killed 22 civilians in Tlatlaya on 30 June 2014. \
                The report covers four key areas.\n";
    let mut doc = cifra::ingest::from_bytes(Path::new("a.txt"), "a.txt", text.as_bytes());
    doc.metadata.publisher = Some("WOLA".into());
    let analyzed = extractor().analyze(doc);
    assert_eq!(analyzed.claims.len(), 1, "{:?}", analyzed.claims);
    let claim = &analyzed.claims[0];
    assert_eq!(claim.figure.value, 22.0);
    assert_eq!(claim.figure.subject.as_deref(), Some("civilians"));
    assert_eq!(claim.figure.event.as_deref(), Some("killed"));
    assert_eq!(claim.category.as_deref(), Some("killed"));
    assert_eq!(claim.date.as_deref(), Some("2014-06-30"));
    assert_eq!(claim.place.as_deref(), Some("Tlatlaya"));
    assert_eq!(
        claim.attribution.as_deref(),
        Some("National Human Rights Commission (CNDH)")
    );
    assert_eq!(
        claim.span.of(&analyzed.document.text),
        &text[..text.find(" The").unwrap()]
    );
    assert_eq!(claim.id.len(), 16);

    // The same report gives the same id; another report with the same
    // sentence gives another.
    let again = extractor().analyze(cifra::ingest::from_bytes(
        Path::new("b.txt"),
        "b.txt",
        text.as_bytes(),
    ));
    assert_eq!(again.claims[0].id, claim.id);
    let other = format!("{text}More text.\n");
    let other = extractor().analyze(cifra::ingest::from_bytes(
        Path::new("c.txt"),
        "c.txt",
        other.as_bytes(),
    ));
    assert_ne!(other.claims[0].id, claim.id);
}

#[test]
fn a_claim_dated_since_counts_from_then_and_borrows_the_previous_sentence_date() {
    let text = "Security forces took part in more than 170 cases of torture since \
                Calderón took office in December 2006.\n\n\
                In March 2022 an operation broke up the network. It led to the \
                arrest of six members of the organization.\n\n\
                The count reached 90 complaints, a rise since-December 2006.\n";
    let mut doc = cifra::ingest::from_bytes(Path::new("a.txt"), "a.txt", text.as_bytes());
    doc.metadata.published = Some("2023-01-10".into());
    let analyzed = extractor().analyze(doc);
    let dates: Vec<(f64, Option<&str>)> = analyzed
        .claims
        .iter()
        .map(|c| (c.figure.value, c.date.as_deref()))
        .collect();
    assert_eq!(
        dates,
        // The last: a word glued to the date (`since-December`) is read
        // up to the date, not whole.
        [
            (170.0, Some("2006-12/..")),
            (6.0, Some("2022-03")),
            (90.0, Some("2006-12/.."))
        ],
        "{:?}",
        analyzed.claims
    );
}

#[test]
fn a_sum_restated_without_its_noun_keeps_the_subject() {
    let text = "The bill provides $350 million in aid for Mexico.\n\n\
                It will take a year to spend the $350 million for Mexico.\n";
    let analyzed = extractor().analyze(cifra::ingest::from_bytes(
        Path::new("a.txt"),
        "a.txt",
        text.as_bytes(),
    ));
    let subjects: Vec<Option<&str>> = analyzed
        .claims
        .iter()
        .map(|c| c.figure.subject.as_deref())
        .collect();
    assert_eq!(subjects, [Some("aid"), Some("aid")]);
}

#[test]
fn a_figure_repeated_later_in_a_report_restates_the_first_claim() {
    let text = "Soldiers killed 22 civilians in Tlatlaya on 30 June 2014.\n\n\
                Relatives of the 22 people killed demanded justice.\n\n\
                In Iguala, 22 people were killed in 2015.\n";
    let analyzed = extractor().analyze(cifra::ingest::from_bytes(
        Path::new("a.txt"),
        "a.txt",
        text.as_bytes(),
    ));
    let claims = &analyzed.claims;
    assert_eq!(claims.len(), 3, "{claims:?}");
    assert_eq!(claims[0].restates, None);
    // Same value and category, no other place or date: the same figure.
    assert_eq!(claims[1].restates.as_deref(), Some(claims[0].id.as_str()));
    // Another place and year: a figure of its own.
    assert_eq!(claims[2].restates, None);
}

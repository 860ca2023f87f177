//! The examples that ship with the dictionaries (`dictionaries/examples/`):
//! each line is a sentence and one figure or date it must yield, or a
//! text it must not read. Every failing line is reported, with its number.

use std::path::Path;

use crate::util::extractor;
use cifra::dictionaries::{Row, Table};
use cifra::{Analyzed, Language, Mention, MentionDetail, MentionKind};

fn table(name: &str) -> Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("dictionaries/examples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    Table::parse(name, &text).unwrap()
}

fn analyze(row: &Row, published: Option<&str>) -> Analyzed {
    let sentence = row.get("sentence").unwrap();
    let text = format!("{sentence}\n");
    let mut doc =
        cifra::ingest::from_bytes(Path::new("example.txt"), "example.txt", text.as_bytes());
    doc.metadata.language = Some(Language::parse(row.get("lang").unwrap()).unwrap());
    // An empty date, not none: the sentence must not lend a date of its
    // own to the document (a dateline) when the example gives none.
    doc.metadata.published = Some(published.unwrap_or_default().to_string());
    extractor().analyze(doc)
}

/// The mention of `kind` whose text is `text`, and whether any mention of
/// that kind overlaps `text`'s place in the sentence.
fn find<'a>(analyzed: &'a Analyzed, row: &Row, kind: MentionKind) -> (Option<&'a Mention>, bool) {
    let sentence = row.get("sentence").unwrap();
    let text = row.get("text").unwrap();
    let start = sentence
        .find(text)
        .unwrap_or_else(|| panic!("line {}: {text:?} is not in the sentence", row.line()));
    let span = cifra::Span::new(start, start + text.len());
    let of_kind = analyzed.mentions.iter().filter(|m| m.kind == kind);
    let exact = of_kind.clone().find(|m| m.span == span);
    (exact, of_kind.clone().any(|m| m.span.overlaps(span)))
}

fn describe(analyzed: &Analyzed) -> String {
    let found: Vec<String> = analyzed
        .mentions
        .iter()
        .map(|m| {
            format!(
                "{:?} {:?} {}..{} {:?}",
                m.kind, m.text, m.span.start, m.span.end, m.detail
            )
        })
        .collect();
    found.join("; ")
}

/// Run every line of one examples file: analyze its sentence (as of the
/// line's `published` date, or `default_date`) and collect what `check`
/// finds wrong, reported by line number, all at once.
fn run_examples(
    file: &str,
    default_date: Option<&str>,
    check: impl Fn(&Row, &Analyzed) -> Vec<String>,
) {
    let mut failures = Vec::new();
    let table = table(file);
    for row in table.rows() {
        let published = row
            .get("published")
            .ok()
            .filter(|p| !p.is_empty())
            .or(default_date);
        let analyzed = analyze(&row, published);
        let problems = check(&row, &analyzed);
        if !problems.is_empty() {
            failures.push(format!(
                "{file} line {} {:?} → {:?}: {}\n    found: {}",
                row.line(),
                row.get("sentence").unwrap(),
                row.get("text").unwrap(),
                problems.join(", "),
                describe(&analyzed)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn figure_examples() {
    run_examples("figures.tsv", Some("2019-11-20"), |row, analyzed| {
        let (found, overlapping) = find(analyzed, row, MentionKind::Figure);
        let field = |c: &str| row.get(c).unwrap();
        let mut problems = Vec::new();
        if field("value") == "-" {
            if overlapping {
                problems.push("read as a figure".to_string());
            }
        } else if let Some(Mention {
            detail: MentionDetail::Figure(f),
            ..
        }) = found
        {
            let num = |v: f64| cifra::output::jsonl::number(v).to_string();
            let checks = [
                ("value", num(f.value)),
                ("value_max", f.value_max.map(num).unwrap_or_default()),
                ("approx", f.approx.as_str().to_string()),
                ("unit", f.unit.as_str().to_string()),
                ("currency", f.currency.clone().unwrap_or_default()),
                ("subject", f.subject.clone().unwrap_or_default()),
                ("event", f.event.clone().unwrap_or_default()),
                ("salient", f.salient.to_string()),
            ];
            for (column, got) in checks {
                let want = field(column);
                let checked = !want.is_empty() || column == "value_max";
                if checked && want != got {
                    problems.push(format!("{column}: want {want:?}, got {got:?}"));
                }
            }
        } else {
            problems.push("no figure with exactly this text".into());
        }
        problems
    });
}

#[test]
fn date_examples() {
    run_examples("dates.tsv", None, |row, analyzed| {
        let (found, overlapping) = find(analyzed, row, MentionKind::Date);
        let want = row.get("value").unwrap();
        let problem = match (want, found.map(|m| &m.detail)) {
            ("-", _) if overlapping => Some("read as a date".to_string()),
            ("-", _) => None,
            (want, Some(MentionDetail::Date(got))) => {
                let got = got.as_deref().unwrap_or("null");
                (want != got).then(|| format!("value: want {want:?}, got {got:?}"))
            }
            _ => Some("no date with exactly this text".into()),
        };
        problem.into_iter().collect()
    });
}

#[test]
fn name_examples() {
    run_examples("names.tsv", None, |row, analyzed| {
        let sentence = row.get("sentence").unwrap();
        let text = row.get("text").unwrap();
        let start = sentence.rfind(text).unwrap();
        let span = cifra::Span::new(start, start + text.len());
        let found = analyzed
            .mentions
            .iter()
            .filter(|m| matches!(m.detail, MentionDetail::Named { .. }))
            .find(|m| m.span == span);
        let want_kind = row.get("kind").unwrap();
        let want_canonical = row.get("canonical").unwrap();
        let problem = match (want_kind, found) {
            ("-", Some(m)) => Some(format!("read as {}", m.kind.as_str())),
            ("-", None) => None,
            (_, None) => Some("no named mention with exactly this text".to_string()),
            (kind, Some(m)) => {
                let MentionDetail::Named { canonical } = &m.detail else {
                    unreachable!()
                };
                if m.kind.as_str() != kind {
                    Some(format!("kind: want {kind}, got {}", m.kind.as_str()))
                } else if !want_canonical.is_empty() && canonical != want_canonical {
                    Some(format!(
                        "canonical: want {want_canonical:?}, got {canonical:?}"
                    ))
                } else {
                    None
                }
            }
        };
        problem.into_iter().collect()
    });
}

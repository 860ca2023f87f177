//! PDF reports end to end: text laid out again (columns, hyphens, running
//! headers, footnotes), metadata from the information dictionary, offsets
//! into the text `--dump-text` writes, and a clear error for the PDFs that
//! hold no readable text, beside good reports that are still read.

use std::path::Path;

use cifra::pdfgen::{Page, Pdf, Run};
use serde_json::Value;

use crate::util::{errors, extract, mentions_of, s, u};

/// An English report of two pages: a running header, page numbers, a
/// hyphenated word, a footnote marker and its note.
fn english() -> Pdf {
    let mut pages = Vec::new();
    let bodies: [&[&str]; 2] = [
        &[
            "On 30 June 2014, soldiers killed 22 people in a ware-",
            "house in Tlatlaya, Mexico State.",
        ],
        &[
            "In October 2014 the CNDH found that at least 12 of",
            "them had been executed after they surrendered.",
        ],
    ];
    for (n, body) in bodies.iter().enumerate() {
        let mut page = Page::default();
        page.text(72.0, 815.0, 9.0, "Human Rights Watch | Mexico: Tlatlaya");
        let end = page.lines(72.0, 770.0, 11.0, 13.5, body);
        if n == 1 {
            page.runs.push(Run {
                x: 318.0,
                y: end + 13.5,
                size: 7.0,
                bold: false,
                rise: 4.0,
                text: "3".into(),
            });
            page.text(
                72.0,
                90.0,
                8.0,
                "3 CNDH, Recommendation 51/2014, 21 October 2014.",
            );
        }
        page.text(290.0, 40.0, 9.0, &(n + 1).to_string());
        pages.push(page);
    }
    Pdf {
        pages,
        title: Some("Mexico: Tlatlaya killings".into()),
        author: Some("Human Rights Watch".into()),
        created: Some("D:20141107090000Z".into()),
        ..Pdf::default()
    }
}

/// A Spanish report set in two columns, written row by row.
fn spanish_columns() -> Pdf {
    let mut page = Page::default();
    page.text(72.0, 800.0, 15.0, "Ayotzinapa: informe de seguimiento");
    let left = [
        "El 26 de septiembre de 2014,",
        "43 estudiantes de la Escuela",
        "Normal Rural fueron desapare-",
        "cidos en Iguala, Guerrero.",
    ];
    let right = [
        "La Procuraduría General de",
        "la República detuvo a más de",
        "100 personas entre 2014 y",
        "2016.",
    ];
    for (i, (l, r)) in left.iter().zip(right).enumerate() {
        let y = 760.0 - 13.0 * i as f32;
        page.text(72.0, y, 10.0, l);
        page.text(310.0, y, 10.0, r);
    }
    Pdf {
        pages: vec![page],
        ..Pdf::default()
    }
}

fn good_txt(dir: &Path) {
    std::fs::write(
        dir.join("good.txt"),
        "Between 2006 and 2014, the CNDH received 9,401 complaints of torture.\n",
    )
    .unwrap();
}

fn by_name<'v>(records: &'v [Value], name: &str) -> &'v Value {
    records
        .iter()
        .find(|r| s(r, "doc") == name)
        .unwrap_or_else(|| panic!("no record for {name}"))
}

#[test]
fn pdf_reports_are_read_with_offsets_into_the_dumped_text() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("hrw.pdf"), english().to_bytes()).unwrap();
    std::fs::write(docs.join("ayotzinapa.pdf"), spanish_columns().to_bytes()).unwrap();
    good_txt(&docs);
    let dump = dir.path().join("text");
    let records = extract(
        dir.path(),
        &["docs", "--dump-text", dump.to_str().unwrap()],
        0,
    );
    assert_eq!(records.len(), 3);

    let hrw = by_name(&records, "hrw.pdf");
    assert_eq!(s(hrw, "format"), "pdf");
    assert_eq!(s(hrw, "title"), "Mexico: Tlatlaya killings");
    assert_eq!(s(hrw, "author"), "Human Rights Watch");
    assert_eq!(s(hrw, "published"), "2014-11-07");
    assert_eq!(s(hrw, "language"), "en");
    let text = std::fs::read_to_string(dump.join("docs/hrw.pdf.txt")).unwrap();
    // Header and page numbers gone, the hyphen joined, the marker raised.
    assert!(!text.contains("Human Rights Watch |"), "{text}");
    assert!(text.contains("in a warehouse in Tlatlaya"), "{text}");
    assert!(text.contains("surrendered.³"), "{text}");
    // Every mention's offsets point into the dumped text.
    for m in crate::util::mentions(hrw) {
        assert_eq!(&text[u(m, "start")..u(m, "end")], s(m, "text"), "{m}");
    }
    let figures: Vec<&str> = mentions_of(hrw, "figure")
        .iter()
        .map(|m| s(m, "text"))
        .collect();
    assert!(figures.contains(&"22"), "{figures:?}");
    assert!(figures.contains(&"at least 12"), "{figures:?}");
    // Neither the footnote marker nor the note's number is a figure.
    assert!(!figures.iter().any(|f| f.contains('3')), "{figures:?}");
    let dates: Vec<&str> = mentions_of(hrw, "date")
        .iter()
        .map(|m| s(m, "value"))
        .collect();
    assert!(dates.contains(&"2014-06-30"), "{dates:?}");

    let ayo = by_name(&records, "ayotzinapa.pdf");
    assert_eq!(s(ayo, "language"), "es");
    let text = std::fs::read_to_string(dump.join("docs/ayotzinapa.pdf.txt")).unwrap();
    // The left column is read before the right one.
    let left = text.find("Iguala, Guerrero.").expect("left column");
    let right = text.find("Procuraduría General").expect("right column");
    assert!(left < right, "{text}");
    assert!(text.contains("fueron desaparecidos en Iguala"), "{text}");
    let paragraphs = ayo["paragraphs"].as_array().unwrap();
    assert!(paragraphs
        .iter()
        .any(|p| s(p, "text").starts_with("El 26 de septiembre de 2014")));
    let figures: Vec<&str> = mentions_of(ayo, "figure")
        .iter()
        .map(|m| s(m, "text"))
        .collect();
    assert!(figures.contains(&"43"), "{figures:?}");
    let places: Vec<&str> = mentions_of(ayo, "place")
        .iter()
        .map(|m| s(m, "text"))
        .collect();
    assert!(places.contains(&"Iguala"), "{places:?}");

    // The good report is read as ever, and dumped too.
    let good = by_name(&records, "good.txt");
    assert!(errors(good).is_empty());
    assert!(dump.join("docs/good.txt.txt").is_file());
}

#[test]
fn unreadable_pdfs_get_a_clear_error_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let scanned = Pdf {
        pages: vec![Page {
            picture: true,
            ..Page::default()
        }],
        ..Pdf::default()
    };
    // 300 MB of spaces in a page, compressed twice: a file of about 1 KB.
    let mut bomb = english();
    bomb.pages[0].padding = 300_000_000;
    bomb.deflate = 2;
    let bomb = bomb.to_bytes();
    assert!(bomb.len() < 10_000, "{}", bomb.len());
    std::fs::write(dir.path().join("bomb.pdf"), bomb).unwrap();
    // Compressed once and small: read as usual.
    let mut compressed = english();
    compressed.deflate = 1;
    std::fs::write(dir.path().join("compressed.pdf"), compressed.to_bytes()).unwrap();
    let mut locked = english();
    locked.encrypted = true;
    let whole = english().to_bytes();
    std::fs::write(dir.path().join("scan.pdf"), scanned.to_bytes()).unwrap();
    std::fs::write(dir.path().join("locked.pdf"), locked.to_bytes()).unwrap();
    std::fs::write(dir.path().join("truncated.pdf"), &whole[..whole.len() / 3]).unwrap();
    std::fs::write(dir.path().join("fake.pdf"), b"%PDF-1.7\nnot really\n").unwrap();
    good_txt(dir.path());
    let records = extract(dir.path(), &["."], 1);
    assert_eq!(records.len(), 7);
    let first_error = |name: &str| errors(by_name(&records, name))[0].clone();
    assert!(
        first_error("scan.pdf").contains("no text layer"),
        "{}",
        first_error("scan.pdf")
    );
    assert!(first_error("scan.pdf").contains("OCR it first"));
    assert!(first_error("locked.pdf").starts_with("encrypted PDF"));
    assert!(first_error("truncated.pdf").starts_with("corrupt PDF"));
    assert!(first_error("fake.pdf").starts_with("corrupt PDF"));
    assert!(
        first_error("bomb.pdf").contains("expands to more than 256 MB (a decompression bomb?)"),
        "{}",
        first_error("bomb.pdf")
    );
    let compressed = by_name(&records, "compressed.pdf");
    assert!(errors(compressed).is_empty(), "{:?}", errors(compressed));
    let figures: Vec<&str> = mentions_of(compressed, "figure")
        .iter()
        .map(|m| s(m, "text"))
        .collect();
    assert_eq!(figures, ["22", "at least 12"]);
    let good = by_name(&records, "good.txt");
    assert!(errors(good).is_empty());
    assert_eq!(mentions_of(good, "figure")[0]["value"], 9401.0);
}

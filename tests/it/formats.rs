//! HTML, Markdown and hard-wrapped text: metadata from the file's own head,
//! markup left out of the mentions, offsets into the source.

use std::fs;

use crate::util::{errors, extract, mentions, mentions_of, s, u};

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>Ayotzinapa:   la noche de Iguala</title>
<meta name="date" content="2015-09-06">
<meta name="author" content="Centro Prodh">
<script>var n = 999;</script>
<style>p { margin: 12px; }</style>
</head>
<body>
<nav><a href="/">Inicio</a> | <a href="/informes">Informes 2015</a></nav>
<h1>La noche de Iguala</h1>
<p>Los <strong>43</strong> estudiantes desaparecieron el 26 de septiembre de 2014.</p>
<footer>&copy; 2015 Centro Prodh, 1000 visitas</footer>
</body>
</html>
"#;

#[test]
fn html_head_metadata_and_readable_text_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    fs::write(&path, PAGE).unwrap();
    let records = extract(dir.path(), &["page.html"], 0);
    let r = &records[0];
    assert_eq!(r["format"], "html");
    assert_eq!(r["title"], "Ayotzinapa: la noche de Iguala");
    assert_eq!(r["published"], "2015-09-06");
    assert_eq!(r["publisher"], "Centro Prodh");
    assert_eq!(r["language"], "es");
    assert!(errors(r).is_empty());

    for m in mentions(r) {
        assert_ne!(m["value"], 999, "script content became a mention: {m}");
        assert_ne!(m["value"], 1000, "footer content became a mention: {m}");
        assert_ne!(m["value"], 12, "style content became a mention: {m}");
        assert_ne!(m["value"], "2015", "navigation became a mention: {m}");
    }
    let figures = mentions_of(r, "figure");
    assert_eq!(figures.len(), 1, "{r}");
    assert_eq!(figures[0]["text"], "43");
    assert_eq!(figures[0]["value"], 43);
    let dates = mentions_of(r, "date");
    assert_eq!(dates.len(), 1, "{r}");
    assert_eq!(dates[0]["text"], "26 de septiembre de 2014");
    assert_eq!(dates[0]["value"], "2014-09-26");

    // Offsets point into the page's readable text, as the library extracts it.
    let text = cifra::ingest::read(&path, "page.html").text;
    assert!(!text.contains("999") && !text.contains("Inicio") && !text.contains('<'));
    let paragraph = "Los 43 estudiantes desaparecieron el 26 de septiembre de 2014.";
    let at = text.find(paragraph).expect("the paragraph is in the text");
    for m in mentions(r) {
        assert_eq!(&text[u(m, "start")..u(m, "end")], s(m, "text"), "{m}");
    }
    assert_eq!(u(figures[0], "start"), at + "Los ".len());
    assert_eq!(u(dates[0], "start"), at + paragraph.find("26 de").unwrap());
    let paragraphs = r["paragraphs"].as_array().unwrap();
    let texts: Vec<&str> = paragraphs.iter().map(|p| s(p, "text")).collect();
    assert_eq!(texts, ["La noche de Iguala", paragraph]);
    assert_eq!(u(&paragraphs[1], "start"), at);
}

const MARKDOWN: &str = "---
title: \"Ayotzinapa: what the experts found\"
date: 2016-04-24
publisher: Hemisphere Rights Monitor
language: en
---
# Findings 2016

The **43** students were taken by police on 26 September 2014.

The experts interviewed [120 witnesses](https://example.org/witnesses-2015).
";

#[test]
fn markdown_front_matter_and_markup() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("report.md"), MARKDOWN).unwrap();
    let records = extract(dir.path(), &["report.md"], 0);
    let r = &records[0];
    assert_eq!(r["format"], "md");
    assert_eq!(r["title"], "Ayotzinapa: what the experts found");
    assert_eq!(r["published"], "2016-04-24");
    assert_eq!(r["publisher"], "Hemisphere Rights Monitor");
    assert_eq!(r["language"], "en");

    let body_start = MARKDOWN.find("---\n# Findings").unwrap() + "---\n".len();
    let paragraphs = r["paragraphs"].as_array().unwrap();
    assert!(!paragraphs.is_empty());
    for p in paragraphs {
        assert!(
            u(p, "start") >= body_start,
            "paragraph in the front matter: {p}"
        );
    }
    assert_eq!(u(&paragraphs[0], "start"), body_start);
    for m in mentions(r) {
        assert!(
            u(m, "start") >= body_start,
            "mention in the front matter: {m}"
        );
        assert_ne!(
            m["value"], "2016-04-24",
            "front-matter date as a mention: {m}"
        );
        // Offsets are the raw file's bytes.
        assert_eq!(&MARKDOWN[u(m, "start")..u(m, "end")], s(m, "text"), "{m}");
        // Link targets are markup, never figures.
        assert_ne!(m["value"], 2015, "link target as a mention: {m}");
        assert_ne!(m["value"], "2015", "link target as a mention: {m}");
    }

    let figures = mentions_of(r, "figure");
    let f43 = figures
        .iter()
        .find(|m| m["value"] == 43)
        .expect("figure 43");
    assert_eq!(f43["text"], "43");
    assert_eq!(u(f43, "start"), MARKDOWN.find("**43**").unwrap() + 2);
    assert_eq!(f43["subject"], "students");
    let f120 = figures
        .iter()
        .find(|m| m["value"] == 120)
        .expect("figure 120");
    assert_eq!(u(f120, "start"), MARKDOWN.find("120").unwrap());
    assert_eq!(f120["subject"], "witnesses");
    let dates = mentions_of(r, "date");
    assert!(
        dates.iter().any(|d| d["value"] == "2014-09-26"
            && u(d, "start") == MARKDOWN.find("26 September 2014").unwrap()),
        "{r}"
    );
}

#[test]
fn markdown_without_closing_front_matter_is_all_body() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: Not front matter\n\nThe army killed 22 people.\n";
    fs::write(dir.path().join("broken.md"), text).unwrap();
    let records = extract(dir.path(), &["broken.md"], 0);
    let r = &records[0];
    assert_ne!(r["title"], "Not front matter");
    let figures = mentions_of(r, "figure");
    assert_eq!(figures.len(), 1, "{r}");
    assert_eq!(u(figures[0], "start"), text.find("22").unwrap());
}

/// A hard-wrapped report with a page break (blank line, page number, blank
/// line) in the middle of a sentence.
const WRAPPED: &str = "\
Soldiers of the 102nd Battalion arrived at the warehouse in the early morning and opened
fire on the people inside, who according to the witnesses had already surrendered to

4

the troops, killing 22 civilians on 30 June 2014 in the community of San Pedro Limon.

The National Human Rights Commission later found that at least 12 of them were executed.
";

#[test]
fn hard_wrapped_sentence_across_a_page_break_is_one_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("wrapped.txt"), WRAPPED).unwrap();
    let records = extract(dir.path(), &["wrapped.txt"], 0);
    let r = &records[0];
    let paragraphs = r["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs.len(), 2, "{r}");
    let first_end = WRAPPED.find("Limon.").unwrap() + "Limon.".len();
    assert_eq!(u(&paragraphs[0], "start"), 0);
    assert_eq!(u(&paragraphs[0], "end"), first_end);
    let second_start = WRAPPED.find("The National").unwrap();
    assert_eq!(u(&paragraphs[1], "start"), second_start);
    assert_eq!(u(&paragraphs[1], "end"), WRAPPED.trim_end().len());

    let figures = mentions_of(r, "figure");
    let f22 = figures
        .iter()
        .find(|m| m["value"] == 22)
        .expect("figure 22");
    assert_eq!(u(f22, "start"), WRAPPED.find("22 civilians").unwrap());
    assert_eq!(u(f22, "paragraph"), 0);
    assert_eq!(f22["subject"], "civilians");
    let f12 = figures
        .iter()
        .find(|m| m["value"] == 12)
        .expect("figure 12");
    assert_eq!(f12["text"], "at least 12");
    assert_eq!(f12["approx"], "more_than");
    assert_eq!(u(f12, "paragraph"), 1);
    // `102nd` is an ordinal, not a figure.
    assert!(figures.iter().all(|m| m["value"] != 102), "{r}");
    let dates = mentions_of(r, "date");
    assert_eq!(dates.len(), 1, "{r}");
    assert_eq!(dates[0]["value"], "2014-06-30");
    assert_eq!(u(dates[0], "paragraph"), 0);
    // The page number inside the paragraph's span is not a figure.
    assert!(figures.iter().all(|m| m["value"] != 4), "{r}");
}

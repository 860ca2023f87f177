//! Markdown: YAML front matter becomes metadata and is left out of the body;
//! markup characters (`#`, `**`, `_`, link targets…) are recorded as spans
//! that matchers see as spaces, so `**43** students` still reads as a figure
//! at the source's own offsets.

use std::sync::OnceLock;

use regex::Regex;

use crate::document::{Language, Metadata, Span};

/// What the Markdown layer found in a file.
#[derive(Debug, Default, PartialEq)]
pub struct Markdown {
    pub body: Span,
    pub markup: Vec<Span>,
    pub metadata: Metadata,
}

pub fn parse(text: &str) -> Markdown {
    let (body_start, metadata) = front_matter(text);
    let body = Span::new(body_start, text.len());
    Markdown {
        body,
        markup: markup_spans(text, body),
        metadata,
    }
}

/// Split off a `---` … `---` block at the top (after an optional BOM).
fn front_matter(text: &str) -> (usize, Metadata) {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(after_open) = rest
        .strip_prefix("---\n")
        .or_else(|| rest.strip_prefix("---\r\n"))
    else {
        return (0, Metadata::default());
    };
    let mut offset = text.len() - after_open.len();
    let mut metadata = Metadata::default();
    for line in after_open.split_inclusive('\n') {
        offset += line.len();
        let trimmed = line.trim();
        if trimmed == "---" || trimmed == "..." {
            return (offset, metadata);
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => metadata.title = Some(value.to_string()),
            "date" | "published" => metadata.published = super::metadata::iso_date(value),
            "publisher" | "author" | "source" => {
                metadata.publisher.get_or_insert_with(|| value.to_string());
            }
            "genre" | "type" => metadata.genre = Some(value.to_string()),
            "language" | "lang" => metadata.language = Language::parse(value),
            _ => {}
        }
    }
    // An opening `---` with no closing one is a thematic break, not front matter.
    (0, Metadata::default())
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

fn markup_spans(text: &str, body: Span) -> Vec<Span> {
    static LINK: OnceLock<Regex> = OnceLock::new();
    static HEADING: OnceLock<Regex> = OnceLock::new();
    static EMPHASIS: OnceLock<Regex> = OnceLock::new();
    static UNDERSCORE: OnceLock<Regex> = OnceLock::new();
    let link =
        LINK.get_or_init(|| Regex::new(r#"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+"[^"\n]*")?\)"#).unwrap());
    let heading = HEADING.get_or_init(|| Regex::new(r"(?m)^(?:#{1,6}|>+)[ \t]").unwrap());
    let emphasis = EMPHASIS.get_or_init(|| Regex::new(r"\*+|`+").unwrap());
    // Apart, and only where there is a `_`: with its word boundaries this
    // one cannot skip ahead to a literal and would read every byte.
    let underscore = UNDERSCORE.get_or_init(|| Regex::new(r"(?:^|\b|\s)_+|_+(?:\b|\s|$)").unwrap());
    let region = &text[body.start..body.end];
    let mut spans = Vec::new();
    for caps in link.captures_iter(region) {
        let all = caps.get(0).unwrap();
        let label = caps.get(1).unwrap();
        spans.push(Span::new(
            body.start + all.start(),
            body.start + label.start(),
        ));
        spans.push(Span::new(body.start + label.end(), body.start + all.end()));
    }
    for m in heading.find_iter(region) {
        spans.push(Span::new(body.start + m.start(), body.start + m.end()));
    }
    let underscores = region
        .contains('_')
        .then(|| underscore.find_iter(region))
        .into_iter()
        .flatten();
    for m in emphasis.find_iter(region).chain(underscores) {
        // Only the markup characters themselves, not the white space around them.
        let s = m.as_str();
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if s.trim().is_empty() {
            continue;
        }
        spans.push(Span::new(
            body.start + m.start() + lead,
            body.start + m.end() - trail,
        ));
    }
    spans.sort();
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_front_matter_and_skips_it() {
        let text = "---\ntitle: \"Ayotzinapa, ocho años\"\ndate: 2022-09-26\npublisher: Centro Prodh\nlanguage: es\n---\n# Informe\n";
        let md = parse(text);
        assert_eq!(&text[md.body.start..], "# Informe\n");
        assert_eq!(md.metadata.title.as_deref(), Some("Ayotzinapa, ocho años"));
        assert_eq!(md.metadata.published.as_deref(), Some("2022-09-26"));
        assert_eq!(md.metadata.publisher.as_deref(), Some("Centro Prodh"));
        assert_eq!(md.metadata.language, Some(Language::Es));
    }

    #[test]
    fn markup_becomes_spaces_in_the_match_view() {
        let text = "## Cifras\n\nLos **43** estudiantes, según [el GIEI](https://example.org/giei), _siguen_ desaparecidos.\n";
        let md = parse(text);
        let mut view = text.as_bytes().to_vec();
        for s in &md.markup {
            view[s.start..s.end].fill(b' ');
        }
        let view = String::from_utf8(view).unwrap();
        assert_eq!(view.len(), text.len());
        assert!(
            view.starts_with("   Cifras\n\nLos   43   estudiantes, según  el GIEI "),
            "{view}"
        );
        assert!(view.ends_with(" ,  siguen  desaparecidos.\n"), "{view}");
        assert!(
            !view.contains(['*', '[', ']', '(', ')', '#', '_']),
            "{view}"
        );
    }
}

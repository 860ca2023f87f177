//! Paragraphs from lines. Text extracted from PDFs is hard-wrapped, and
//! page breaks put blank lines, page numbers and running headers inside
//! paragraphs. A line that does not end a sentence and a next line that
//! continues it belong together; headings and list items stay on their own;
//! page numbers and running headers belong to no paragraph.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::document::{Paragraph, ParagraphRole, Span};

#[derive(Clone, Copy, Debug, PartialEq)]
enum LineKind {
    Blank,
    /// Page numbers and running headers: not part of any paragraph.
    Noise,
    Heading,
    ListItem,
    Text,
    /// A note at the foot of a page, after a `____` separator line.
    Footnote,
}

#[derive(Clone, Copy, Debug)]
struct Line {
    /// The line without its surrounding white space.
    span: Span,
    kind: LineKind,
    chars: usize,
}

fn is_trim(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Split `body` of `text` into paragraphs.
pub fn split(text: &str, body: Span) -> Vec<Paragraph> {
    split_with_noise(text, body).0
}

/// Paragraphs, and the page numbers, running headers and separator lines
/// that no paragraph cites (some lie inside a paragraph's span, where a
/// page break cut it; matchers must not read them).
pub fn split_with_noise(text: &str, body: Span) -> (Vec<Paragraph>, Vec<Span>) {
    split_pages(text, body, Pages::Unknown)
}

/// What the text knows of its pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pages {
    /// Plain text: page breaks, and the running headers repeated at them,
    /// are guessed from the lines.
    Unknown,
    /// Laid out from a PDF's pages, running headers and footers already
    /// dropped where they stood (at a page's edges): a short line repeated
    /// in the text is a heading or a table's label, and is kept.
    LaidOut,
}

/// [`split_with_noise`] for a text whose pages are known (or not).
pub fn split_pages(text: &str, body: Span, pages: Pages) -> (Vec<Paragraph>, Vec<Span>) {
    let lines = classify(text, body, pages);
    let noise: Vec<Span> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Noise)
        .map(|l| l.span)
        .collect();
    let wrap = wrap_width(&lines);
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut current: Option<(Span, ParagraphRole, Line)> = None;
    let mut blank_since_last = false;
    // The first line from here on that is no blank, noise or footnote:
    // found once for a run of footnotes, not once per footnote.
    let mut after_notes: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        match line.kind {
            LineKind::Blank => {
                blank_since_last = true;
                continue;
            }
            LineKind::Noise => continue,
            LineKind::Footnote => {
                // Footnotes at the foot of a page that cuts a sentence: the
                // sentence goes on after them, and they stay inside its span.
                if after_notes.is_none_or(|k| k < i) {
                    let found = lines[i..].iter().position(|l| {
                        !matches!(
                            l.kind,
                            LineKind::Blank | LineKind::Noise | LineKind::Footnote
                        )
                    });
                    after_notes = Some(found.map_or(lines.len(), |p| i + p));
                }
                let after = after_notes.and_then(|k| lines.get(k));
                if let (Some((_, role, last)), Some(next)) = (current, after) {
                    if last.kind != LineKind::Footnote
                        && continues(text, &last, role, next, true, wrap)
                    {
                        blank_since_last = true;
                        continue;
                    }
                }
                let starts_note = line.span.of(text).starts_with(|c: char| c.is_ascii_digit());
                let in_note = current.is_some_and(|(_, _, last)| last.kind == LineKind::Footnote);
                if let Some((span, role, _)) = current.filter(|_| in_note && !starts_note) {
                    current = Some((Span::new(span.start, line.span.end), role, line));
                    continue;
                }
            }
            _ => {}
        }
        if let Some((span, role, last)) = current {
            if line.kind != LineKind::Footnote
                && last.kind != LineKind::Footnote
                && continues(text, &last, role, &line, blank_since_last, wrap)
            {
                current = Some((Span::new(span.start, line.span.end), role, line));
                blank_since_last = false;
                continue;
            }
            push(&mut paragraphs, text, span, role);
        }
        let role = match line.kind {
            LineKind::Heading => ParagraphRole::Heading,
            LineKind::ListItem => ParagraphRole::ListItem,
            LineKind::Footnote => ParagraphRole::Footnote,
            _ => ParagraphRole::Prose,
        };
        current = Some((line.span, role, line));
        blank_since_last = false;
    }
    if let Some((span, role, _)) = current {
        push(&mut paragraphs, text, span, role);
    }
    (paragraphs, noise)
}

/// A paragraph longer than this (a file with no line breaks, a table
/// flattened into one line) is cut into pieces no longer, after a sentence
/// end where there is one: no reader cites 50 MB as one paragraph, and
/// every stage after this one holds one paragraph's words in memory at a
/// time. Real paragraphs stay far under it (the longest in the corpus: 946).
pub const MAX_PARAGRAPH_BYTES: usize = 64 * 1024;

fn push(paragraphs: &mut Vec<Paragraph>, text: &str, span: Span, role: ParagraphRole) {
    let mut start = span.start;
    while start < span.end {
        let mut end = span.end;
        if end - start > MAX_PARAGRAPH_BYTES {
            end = start + MAX_PARAGRAPH_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            end = start + piece_end(&text[start..end]);
        }
        let piece = text[start..end].trim_end_matches(is_trim);
        if !piece.is_empty() {
            paragraphs.push(Paragraph {
                index: paragraphs.len(),
                span: Span::new(start, start + piece.len()),
                role,
            });
        }
        let rest = text[end..span.end].trim_start_matches(is_trim);
        start = span.end - rest.len();
    }
}

/// Where to end a piece of an over-long paragraph within `window`: after
/// the last sentence end (`.`, `?`, `!` and a space) in its second half,
/// else at the last white space there, else at the end of the window.
fn piece_end(window: &str) -> usize {
    let half = window.len() / 2;
    let mut space = None;
    for (i, c) in window.char_indices().rev() {
        if i < half {
            break;
        }
        if is_trim(c) {
            if window[..i].ends_with(['.', '?', '!']) {
                return i;
            }
            space.get_or_insert(i);
        }
    }
    space.unwrap_or(window.len())
}

/// Whether `next` carries on the paragraph whose last line is `last`.
fn continues(
    text: &str,
    last: &Line,
    role: ParagraphRole,
    next: &Line,
    blank_between: bool,
    wrap: Option<usize>,
) -> bool {
    if role == ParagraphRole::Heading || matches!(next.kind, LineKind::Heading | LineKind::ListItem)
    {
        return false;
    }
    let last_text = last.span.of(text);
    let next_text = next.span.of(text);
    let ends_sentence = ends_sentence(last_text);
    let full_line = wrap.is_some_and(|w| last.chars * 10 >= w * 8);
    let starts_lower = next_text.chars().next().is_some_and(|c| c.is_lowercase());
    if !blank_between {
        // Consecutive lines: one paragraph, unless the previous line ends a
        // sentence and is short of the wrap width (a paragraph's last line),
        // or the text is not wrapped at all (one line per paragraph).
        return !ends_sentence || (wrap.is_some() && full_line) || starts_lower;
    }
    // A blank line between: a page break inside a sentence, or a new paragraph.
    !ends_sentence
        && (starts_lower
            || ends_with_continuation(last_text)
            || (full_line && next.kind == LineKind::Text))
}

fn ends_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(|c: char| {
        matches!(c, '"' | '\'' | '”' | '’' | ')' | '»' | ']' | '*' | '_')
    });
    trimmed.ends_with(['.', '!', '?', ':', '…'])
}

fn ends_with_continuation(line: &str) -> bool {
    line.ends_with([',', ';', '-', '–', '(', '/'])
        || line.split_whitespace().last().is_some_and(is_function_word)
}

fn is_function_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "the", "of", "and", "a", "an", "to", "in", "for", "by", "with", "on", "at", "from", "that",
        "de", "la", "el", "los", "las", "y", "en", "por", "con", "para", "del", "que", "al", "un",
        "una",
    ];
    WORDS.contains(&word)
}

/// The width hard-wrapped text was wrapped at, or `None` when lines are
/// whole paragraphs.
fn wrap_width(lines: &[Line]) -> Option<usize> {
    let mut lengths: Vec<usize> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Text)
        .map(|l| l.chars)
        .collect();
    if lengths.len() < 4 {
        return None;
    }
    lengths.sort_unstable();
    let width = lengths[lengths.len() * 9 / 10];
    let near = lengths
        .iter()
        .filter(|&&n| n * 10 >= width * 6 && n <= width + 2)
        .count();
    (width <= 120 && near * 2 >= lengths.len()).then_some(width)
}

/// A line that begins with two ASCII letters, the first not `p`: no page
/// number (`page 3`, `página 3`, `p. 3`, `- 3 -`, `3 de 40`) and no list
/// marker (a letter as a marker is followed by `.` or `)`). Most lines
/// begin so, and are spared both searches.
fn begins_in_words(line: &str) -> bool {
    match line.as_bytes() {
        [a, b, ..] => {
            a.is_ascii_alphabetic() && !matches!(a, b'p' | b'P') && b.is_ascii_alphabetic()
        }
        _ => false,
    }
}

fn list_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:[-*+•·▪◦‣●–—]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\([ivxlc]+\)|[A-Z]\))\s+\S")
            .unwrap()
    })
}

fn page_number() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:(?:page|p[aá]gina|p\.)\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s+(?:of|de)\s+\d{1,4})?$").unwrap()
    })
}

fn classify(text: &str, body: Span, pages: Pages) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut offset = body.start;
    for raw in body.of(text).split_inclusive('\n') {
        let start = offset + (raw.len() - raw.trim_start_matches(is_trim).len());
        let end = offset + raw.trim_end_matches(is_trim).len();
        offset += raw.len();
        if start >= end {
            lines.push(Line {
                span: Span::new(start.min(end), start.min(end)),
                kind: LineKind::Blank,
                chars: 0,
            });
            continue;
        }
        let span = Span::new(start, end);
        let content = span.of(text);
        let kind = if begins_in_words(content) {
            LineKind::Text
        } else if page_number().is_match(content) {
            LineKind::Noise
        } else if list_marker().is_match(content) {
            LineKind::ListItem
        } else {
            LineKind::Text
        };
        lines.push(Line {
            span,
            kind,
            chars: content.chars().count(),
        });
    }
    if pages == Pages::Unknown {
        mark_running_headers(text, &mut lines);
    }
    mark_footnotes(text, &mut lines);
    mark_headings(text, &mut lines);
    lines
}

/// After a separator line (`_____`), the notes down to the page number or
/// the next blank line are footnotes.
fn mark_footnotes(text: &str, lines: &mut [Line]) {
    let mut in_notes = false;
    for line in lines.iter_mut() {
        let content = line.span.of(text);
        if line.kind == LineKind::Text
            && line.chars >= 5
            && content
                .chars()
                .all(|c| matches!(c, '_' | '-' | '=' | '*' | '—' | '–'))
        {
            line.kind = LineKind::Noise;
            in_notes = true;
        } else if in_notes && matches!(line.kind, LineKind::Text | LineKind::ListItem) {
            line.kind = LineKind::Footnote;
        } else if line.kind != LineKind::Text {
            in_notes = false;
        }
    }
}

/// A short line repeated at page breaks (next to a page number, or three
/// times or more) is a running header or footer.
fn mark_running_headers(text: &str, lines: &mut [Line]) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for line in lines
        .iter()
        .filter(|l| l.kind == LineKind::Text && l.chars <= 100)
    {
        *counts.entry(line.span.of(text)).or_default() += 1;
    }
    let near_page_number = |i: usize| {
        let lo = i.saturating_sub(3);
        let hi = (i + 4).min(lines.len());
        lines[lo..hi].iter().any(|l| l.kind == LineKind::Noise)
    };
    let repeated: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let l = &lines[i];
            let n = counts.get(l.span.of(text)).copied().unwrap_or(0);
            l.kind == LineKind::Text
                && !ends_sentence(l.span.of(text))
                && (n >= 3 || (n >= 2 && near_page_number(i)))
        })
        .collect();
    for i in repeated {
        lines[i].kind = LineKind::Noise;
    }
}

/// Headings: Markdown `#` lines, and short lines that end no sentence, stand
/// between blank lines and are not continued by a lower-case line.
fn mark_headings(text: &str, lines: &mut [Line]) {
    for i in 0..lines.len() {
        if lines[i].kind != LineKind::Text {
            continue;
        }
        let content = lines[i].span.of(text);
        if content.starts_with('#') {
            lines[i].kind = LineKind::Heading;
            continue;
        }
        // A heading is short: most lines of running text end here, before
        // the scans below.
        if lines[i].chars > 100 {
            continue;
        }
        let prev_blank = i == 0
            || lines[..i]
                .iter()
                .rev()
                .find(|l| l.kind != LineKind::Noise)
                .is_none_or(|l| l.kind == LineKind::Blank);
        let next = lines[i + 1..].iter().find(|l| l.kind != LineKind::Noise);
        let next_blank = next.is_none_or(|l| l.kind == LineKind::Blank);
        let next_text = lines[i + 1..]
            .iter()
            .find(|l| !matches!(l.kind, LineKind::Noise | LineKind::Blank));
        let continued = next_text.is_some_and(|l| {
            l.span
                .of(text)
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
        });
        let words = content.split_whitespace().count();
        let starts_upper = content
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        let letters: Vec<char> = content.chars().filter(|c| c.is_alphabetic()).collect();
        let all_caps = letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase());
        let short = words <= 14;
        if short
            && starts_upper
            && !continued
            && !ends_sentence(content)
            && !ends_with_continuation(content)
            && ((prev_blank && next_blank) || all_caps)
        {
            lines[i].kind = LineKind::Heading;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_spared_the_searches_match_neither_pattern() {
        // Every pair of leading characters that matter, then the rest of
        // a page number, a list item or prose.
        let leads = [
            "a", "b", "i", "p", "P", "Pá", "A", "Z", "é", "1", "(", "-", "–", "•", " ", ".", ")",
        ];
        let rests = [
            "",
            ".",
            ")",
            ". uno",
            ") two",
            "age 3",
            "ágina 12",
            ". 4",
            "ágina 3 de 40",
            "c) x",
            "v) x",
            " 3",
            "3",
            "bc",
            "ere 7",
            "ge 3",
            "gina 12",
            " x",
        ];
        let mut spared = 0;
        for a in leads {
            for b in leads {
                for rest in rests {
                    let line = format!("{a}{b}{rest}");
                    if begins_in_words(&line) {
                        spared += 1;
                        assert!(!page_number().is_match(&line), "{line:?}");
                        assert!(!list_marker().is_match(&line), "{line:?}");
                    }
                }
            }
        }
        assert!(spared > 100, "{spared}");
        // And those that are not spared are searched: a page number, list
        // items.
        for line in [
            "page 3",
            "Página 12 de 40",
            "a) uno",
            "b. dos",
            "C) tres",
            "3",
        ] {
            assert!(!begins_in_words(line), "{line}");
        }
        assert!(page_number().is_match("Página 12 de 40"));
        assert!(list_marker().is_match("a) uno"));
    }

    fn texts(text: &str) -> Vec<(&str, ParagraphRole)> {
        split(text, Span::new(0, text.len()))
            .iter()
            .map(|p| (p.span.of(text), p.role))
            .collect()
    }

    use ParagraphRole::*;

    #[test]
    fn one_line_paragraphs_separated_by_blank_lines() {
        let text = "Title of the report\n\nFirst paragraph. It ends here.\n\nSecond paragraph.\n";
        assert_eq!(
            texts(text),
            vec![
                ("Title of the report", Heading),
                ("First paragraph. It ends here.", Prose),
                ("Second paragraph.", Prose)
            ]
        );
    }

    #[test]
    fn rebuilds_hard_wrapped_text_across_page_breaks() {
        let text = "\
SECURITY AND RIGHTS

The National Human Rights Commission received more than 1,100
complaints of torture and ill treatment against the army between
2006 and 2012, while convictions for torture remained extremely
rare in federal courts across the country, according to the

4

SECURITY AND RIGHTS

records obtained by the organization through requests for public
information.
Short last line.
- 22 civilians killed
- 43 students
  disappeared
";
        assert_eq!(
            texts(text),
            vec![
                ("SECURITY AND RIGHTS", Heading),
                (
                    "The National Human Rights Commission received more than 1,100\ncomplaints of torture and ill treatment against the army between\n2006 and 2012, while convictions for torture remained extremely\nrare in federal courts across the country, according to the\n\n4\n\nSECURITY AND RIGHTS\n\nrecords obtained by the organization through requests for public\ninformation.",
                    Prose
                ),
                ("Short last line.", Prose),
                ("- 22 civilians killed", ListItem),
                ("- 43 students\n  disappeared", ListItem),
            ]
        );
    }

    #[test]
    fn an_over_long_paragraph_is_cut_after_sentence_ends() {
        let sentence = "Soldiers killed 22 people in Tlatlaya, according to the CNDH. ";
        let text = format!(
            "{}\n",
            sentence.repeat(7 * MAX_PARAGRAPH_BYTES / 2 / sentence.len())
        );
        let pieces = texts(&text);
        assert_eq!(
            pieces.len(),
            4,
            "{:?}",
            pieces.iter().map(|p| p.0.len()).collect::<Vec<_>>()
        );
        for (piece, role) in &pieces {
            assert!(piece.len() <= MAX_PARAGRAPH_BYTES && *role == Prose);
            assert!(
                piece.starts_with("Soldiers") && piece.ends_with("CNDH."),
                "{piece:.40}"
            );
        }
        let joined: usize = pieces.iter().map(|p| p.0.len() + 1).sum();
        // The pieces, one space between each and the final " \n": the whole text.
        assert_eq!(joined - 1 + 2, text.len());
        // No sentence end, no white space: cut on char boundaries.
        let word = "ñ".repeat(MAX_PARAGRAPH_BYTES);
        let pieces = texts(&word);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].0.len() + pieces[1].0.len(), word.len());
    }

    #[test]
    fn unwrapped_lines_are_paragraphs_and_markdown_headings_stand_alone() {
        let text =
            "# Cifras\nLos 43 estudiantes siguen desaparecidos.\nEl GIEI publicó su informe.\n";
        assert_eq!(
            texts(text),
            vec![
                ("# Cifras", Heading),
                ("Los 43 estudiantes siguen desaparecidos.", Prose),
                ("El GIEI publicó su informe.", Prose)
            ]
        );
    }

    #[test]
    fn footnotes_at_a_page_break_stay_inside_the_cut_sentence() {
        let text = "\
Impunity has been the rule. Amnesty counted only seven federal convictions
for torture in the period it reviewed, while the federal prosecutors opened
thousands of investigations, and most were closed without charges, while
military prosecutors handled

__________________
1 Amnesty International, Out of Control, September 4, 2014.
2 Human Rights Watch, Neither Rights Nor Security,
November 9, 2011.

5

many cases involving soldiers until the 2014 reform of the Military Code.

Old paragraph ends.

__________________
3 A note after a finished paragraph.
4 Another note.
";
        let got = texts(text);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[0].0.starts_with("Impunity") && got[0].0.ends_with("Military Code."));
        assert_eq!(got[1].0, "Old paragraph ends.");
        assert_eq!(got[2].0, "3 A note after a finished paragraph.");
        assert_eq!(got[3].0, "4 Another note.");
    }

    #[test]
    fn blank_line_inside_a_sentence_is_joined() {
        let text = "Soldiers killed 22 people in\n\nTlatlaya, a municipality of the State of Mexico.\n\nNext.\n";
        assert_eq!(
            texts(text),
            vec![("Soldiers killed 22 people in\n\nTlatlaya, a municipality of the State of Mexico.", Prose), ("Next.", Prose)]
        );
    }

    #[test]
    fn repeated_short_lines_are_headers_only_where_pages_are_guessed() {
        let text = "Hallazgo\n\nEl ejército mató a 22 personas.\n\nHallazgo\n\nLa CNDH documentó 12 ejecuciones.\n\nHallazgo\n\nNadie fue condenado.\n";
        let body = Span::new(0, text.len());
        let read = |pages| {
            let (paragraphs, noise) = split_pages(text, body, pages);
            let texts: Vec<&str> = paragraphs.iter().map(|p| p.span.of(text)).collect();
            (texts, noise.len())
        };
        let (plain, noise) = read(Pages::Unknown);
        assert_eq!(noise, 3);
        assert!(!plain.contains(&"Hallazgo"), "{plain:?}");
        // From a PDF, the headers were dropped at the page edges already.
        let (laid_out, noise) = read(Pages::LaidOut);
        assert_eq!(noise, 0);
        assert_eq!(laid_out.len(), 6, "{laid_out:?}");
        assert_eq!(laid_out[4], "Hallazgo");
    }
}

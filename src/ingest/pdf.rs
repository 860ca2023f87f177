//! PDF → text a reader would cite. `pdf-extract` (on `lopdf`) decodes the
//! fonts and gives every glyph with its position and size; this module
//! lays them out again:
//!
//! - glyphs on one baseline make a line; a second column (a gutter no line
//!   crosses) is read after the first, band by band between the lines that
//!   span the page;
//! - a larger gap between lines than the page's usual leading, or a change
//!   of type size, is a paragraph break (a blank line in the text);
//! - a word hyphenated at a line end is joined (`disap-` + `peared`);
//! - raised small digits (footnote markers) become superscript digits
//!   (`¹²`), which no matcher reads as a figure;
//! - small type at the foot of a page is a block of footnotes, written
//!   after a `_____` line as the segmenter expects of PDF-extracted text;
//! - a line repeated at the top or foot of most pages (a running header or
//!   footer, digits aside) and bare page numbers are dropped.
//!
//! Offsets in the output point into this text, which `extract --dump-text`
//! writes out. The document's title, author and creation date come from
//! the PDF's information dictionary.

use pdf_extract::{Document as PdfDocument, Object, ObjectId, OutputDev, OutputError};

use crate::document::Metadata;

/// The text of a PDF and what its information dictionary says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extracted {
    pub text: String,
    pub metadata: Metadata,
    pub pages: usize,
    /// Pages that could not be read, each with why (the others were).
    pub warnings: Vec<String>,
}

/// Why a PDF gave no text.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PdfError {
    #[error("encrypted PDF: it cannot be opened without a password; remove the protection (for example `qpdf --decrypt in.pdf out.pdf`) and run cifra again")]
    Encrypted,
    #[error("no text layer: the PDF's {0} page(s) hold only images (a scan?); OCR it first, for example with `ocrmypdf in.pdf out.pdf`")]
    NoText(usize),
    #[error("corrupt PDF: {0}; repair it or export it again from its source")]
    Corrupt(String),
    #[error("PDF refused: a compressed stream at byte {0} expands to more than {mb} MB (a decompression bomb?); nothing in it was read", mb = super::inflate::MAX_STREAM_BYTES >> 20)]
    Bomb(usize),
}

/// Read the text of the PDF in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, PdfError> {
    if let Some(at) = super::inflate::bomb(bytes, super::inflate::MAX_STREAM_BYTES) {
        return Err(PdfError::Bomb(at));
    }
    let locked = || memchr::memmem::find(bytes, b"/Encrypt").is_some();
    let doc = crate::guard::quietly(|| PdfDocument::load_mem(bytes))
        .map_err(|why| PdfError::Corrupt(format!("the reader failed ({why})")))?
        .map_err(|e| {
            if locked() {
                PdfError::Encrypted
            } else {
                PdfError::Corrupt(e.to_string())
            }
        })?;
    // The reader opens what an empty password opens (most "protected"
    // reports forbid only printing or copying) and drops `/Encrypt` then.
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(PdfError::Encrypted);
    }
    let metadata = info(&doc);
    let pages = doc.get_pages();
    let mut laid_out = Vec::with_capacity(pages.len());
    let mut warnings = Vec::new();
    for (&number, &id) in &pages {
        if let Some(why) = form_loop(&doc, id) {
            warnings.push(format!("page {number} was skipped: {why}"));
            continue;
        }
        let mut collector = Collector::default();
        let read =
            crate::guard::quietly(|| pdf_extract::output_doc_page(&doc, &mut collector, number));
        match read {
            Ok(Ok(())) => {}
            Ok(Err(e)) => warnings.push(format!("page {number} could not be read: {e}")),
            Err(why) => warnings.push(format!("page {number} could not be read ({why})")),
        }
        if let Some(page) = collector.page {
            laid_out.push(layout(&page));
        }
    }
    let glyphs: usize = laid_out.iter().map(|p| p.len()).sum();
    if glyphs == 0 {
        if warnings.is_empty() {
            return Err(PdfError::NoText(pages.len()));
        }
        return Err(PdfError::Corrupt(warnings.join("; ")));
    }
    drop_running_lines(&mut laid_out);
    Ok(Extracted {
        text: assemble(&laid_out),
        metadata,
        pages: pages.len(),
        warnings,
    })
}

/// One glyph, in points from the page's top-left corner.
#[derive(Clone, Debug)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

#[derive(Debug, Default)]
struct PageGlyphs {
    width: f64,
    height: f64,
    glyphs: Vec<Glyph>,
}

/// Receives the glyphs of one page from `pdf-extract`.
#[derive(Default)]
struct Collector {
    page: Option<PageGlyphs>,
    top: f64,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _number: u32,
        media: &pdf_extract::MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.top = media.ury;
        self.page = Some(PageGlyphs {
            width: (media.urx - media.llx).abs(),
            height: (media.ury - media.lly).abs(),
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let Some(page) = self.page.as_mut() else {
            return Ok(());
        };
        // The glyph's size on the page: the side of the square with the area
        // of its transformed em box.
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt();
        let (x, y) = (trm.m31, self.top - trm.m32);
        let usable = size.is_finite() && x.is_finite() && y.is_finite() && size > 0.0;
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        if usable && !text.is_empty() {
            let advance = if width.is_finite() { width } else { 0.0 };
            page.glyphs.push(Glyph {
                x,
                y,
                end: x + advance * size,
                size,
                text,
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of text on a page.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    text: String,
    x0: f64,
    end: f64,
    /// Baseline, from the top of the page.
    y: f64,
    /// The type size of most of its characters.
    size: f64,
    /// Small type at the foot of the page.
    note: bool,
    /// Where a paragraph starts: before it goes a blank line.
    breaks: bool,
}

/// A page's lines in reading order, with paragraph breaks and notes marked.
fn layout(page: &PageGlyphs) -> Vec<Line> {
    let segments = segments(&page.glyphs);
    let ordered = reading_order(segments, page.width);
    let mut lines = merge_baselines(ordered);
    if lines.is_empty() {
        return lines;
    }
    let body = body_size(&lines);
    // The usual distance between baselines of body lines.
    let mut gaps: Vec<f64> = lines
        .windows(2)
        .filter(|w| similar(w[0].size, body) && similar(w[1].size, body))
        .map(|w| w[1].y - w[0].y)
        .filter(|&g| g > 0.0 && g < 3.0 * body)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let leading = gaps.get(gaps.len() / 2).copied().unwrap_or(1.2 * body);
    // Notes: the run of small lines that ends the page, in its lower half.
    let mut first_note = lines.len();
    while first_note > 0 {
        let l = &lines[first_note - 1];
        if l.size < 0.85 * body && l.y > page.height * 0.5 && !is_page_number(&l.text) {
            first_note -= 1;
        } else if first_note == lines.len() && is_page_number(&l.text) {
            // A page number below the notes.
            first_note -= 1;
        } else {
            break;
        }
    }
    let has_notes = lines[first_note..]
        .iter()
        .any(|l| l.size < 0.85 * body && !is_page_number(&l.text));
    for i in 0..lines.len() {
        if has_notes && i >= first_note {
            lines[i].note = !is_page_number(&lines[i].text);
        }
        if i == 0 {
            continue;
        }
        let (prev, next) = (&lines[i - 1], &lines[i]);
        let gap = next.y - prev.y;
        let indented = next.x0 > prev.x0 + next.size && ends_sentence(&prev.text);
        let breaks = (gap > 0.0 && gap > 1.45 * leading)
            || !similar(prev.size, next.size)
            || (gap > 0.0 && indented);
        lines[i].breaks = breaks;
    }
    lines
}

/// Sizes within 12% of each other.
fn similar(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.12 * a.max(b)
}

/// Runs of glyphs on one baseline without a wide gap, as lines of text.
fn segments(glyphs: &[Glyph]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut run: Vec<&Glyph> = Vec::new();
    for g in glyphs {
        if let Some(last) = run.last() {
            let size = last.size.max(g.size);
            // A superscript sits up to about half its line's size higher.
            let same_line = (g.y - last.y).abs() <= 0.6 * size;
            let gap = g.x - last.end;
            if !(same_line && gap > -0.5 * size && gap < 2.5 * size) {
                out.extend(segment(&run));
                run.clear();
            }
        }
        run.push(g);
    }
    out.extend(segment(&run));
    out
}

/// One run of glyphs as a line: spaces where the glyphs are apart, small
/// raised digits as superscripts.
fn segment(run: &[&Glyph]) -> Option<Line> {
    let size = run.iter().map(|g| g.size).fold(0.0, f64::max);
    // The baseline of the body text: the lowest of the largest glyphs.
    let y = run
        .iter()
        .filter(|g| g.size >= 0.9 * size)
        .map(|g| g.y)
        .fold(f64::MIN, f64::max);
    let mut text = String::new();
    let mut last_end: Option<f64> = None;
    for g in run {
        let raised = g.size <= 0.85 * size && y - g.y > 0.15 * size;
        if let Some(end) = last_end {
            if g.x - end > 0.15 * g.size.min(size) && !text.ends_with(' ') && !raised {
                text.push(' ');
            }
        }
        for c in g.text.chars() {
            text.push(if raised { superscript(c) } else { c });
        }
        last_end = Some(g.end);
    }
    let text = crate::document::fold_whitespace(&text);
    if text.is_empty() {
        return None;
    }
    Some(Line {
        text,
        x0: run[0].x,
        end: run.iter().map(|g| g.end).fold(f64::MIN, f64::max),
        y,
        size,
        note: false,
        breaks: false,
    })
}

fn superscript(c: char) -> char {
    match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4'..='9' => char::from_u32(0x2074 + (c as u32 - '4' as u32)).unwrap_or(c),
        other => other,
    }
}

/// The lines in reading order: as written, unless the page has two
/// columns (a vertical gutter no line crosses, with text on both sides);
/// then, between the lines that span the page, the left column's lines
/// before the right's.
fn reading_order(lines: Vec<Line>, width: f64) -> Vec<Line> {
    let Some(gutter) = gutter(&lines, width) else {
        return lines;
    };
    let mut sorted = lines;
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut out = Vec::with_capacity(sorted.len());
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for line in sorted {
        if line.x0 < gutter && line.end > gutter {
            out.append(&mut left);
            out.append(&mut right);
            out.push(line);
        } else if line.end <= gutter {
            left.push(line);
        } else {
            right.push(line);
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}

/// The x of a gutter between two columns, if the page has one.
fn gutter(lines: &[Line], width: f64) -> Option<f64> {
    if lines.len() < 6 || width <= 0.0 {
        return None;
    }
    let n = lines.len() as f64;
    let mut best: Option<(usize, f64)> = None;
    let (mut run_start, mut run_len) = (0.0, 0usize);
    let mut x = width * 0.25;
    while x <= width * 0.75 {
        let crossing = lines.iter().filter(|l| l.x0 < x && l.end > x).count() as f64;
        let left = lines.iter().filter(|l| l.end <= x).count() as f64;
        let right = lines.iter().filter(|l| l.x0 >= x).count() as f64;
        if crossing <= (0.1 * n).max(2.0)
            && left >= (0.25 * n).max(3.0)
            && right >= (0.25 * n).max(3.0)
        {
            if run_len == 0 {
                run_start = x;
            }
            run_len += 1;
            if best.is_none_or(|(len, _)| run_len > len) {
                best = Some((run_len, run_start + (run_len as f64 - 1.0) / 2.0));
            }
        } else {
            run_len = 0;
        }
        x += 1.0;
    }
    best.filter(|&(len, _)| len >= 4).map(|(_, x)| x)
}

/// Consecutive lines on one baseline (cells of a table row, words the
/// producer wrote apart) become one line.
fn merge_baselines(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(last) = out.last_mut() {
            if (line.y - last.y).abs() <= 0.3 * line.size.max(last.size) && line.x0 >= last.end {
                last.text.push(' ');
                last.text.push_str(&line.text);
                last.end = line.end;
                last.size = last.size.max(line.size);
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// The type size that most characters of the page are set in.
fn body_size(lines: &[Line]) -> f64 {
    let mut sizes: Vec<(f64, usize)> = Vec::new();
    for l in lines {
        let chars = l.text.chars().count();
        match sizes.iter_mut().find(|(s, _)| similar(*s, l.size)) {
            Some((_, n)) => *n += chars,
            None => sizes.push((l.size, chars)),
        }
    }
    sizes
        .into_iter()
        .max_by_key(|&(_, n)| n)
        .map_or(10.0, |(s, _)| s)
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(|c: char| matches!(c, '"' | '\'' | '”' | '’' | ')') || c.is_numeric())
        .ends_with(['.', '!', '?', ':'])
}

/// `12`, `- 12 -`, `Page 3`, `Página 3 de 10`, `3 of 10`.
fn is_page_number(text: &str) -> bool {
    let lower = text.to_lowercase();
    let rest = lower
        .trim()
        .trim_start_matches("page")
        .trim_start_matches("página")
        .trim_start_matches("pagina")
        .trim_start_matches("p.");
    let words: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '|' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= 3
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_digit()) || matches!(*w, "of" | "de"))
        && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
}

/// Drop running headers and footers (a line among the first or last two
/// of a page that recurs, digits aside, at the top or foot of at least
/// half the pages, two at least) and bare page numbers there.
fn drop_running_lines(pages: &mut [Vec<Line>]) {
    let key = |l: &Line| -> String {
        l.text
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .flat_map(char::to_lowercase)
            .collect()
    };
    let edges = |page: &[Line]| -> Vec<usize> {
        let n = page.len();
        // A page of two or three lines has them at both edges: each once
        // (removed twice, the second would be out of bounds; found by
        // fuzzing).
        let mut at: Vec<usize> = (0..n.min(2)).chain(n.saturating_sub(2)..n).collect();
        at.sort_unstable();
        at.dedup();
        at
    };
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for page in pages.iter() {
        let mut keys: Vec<String> = edges(page).into_iter().map(|i| key(&page[i])).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let needed = (pages.len().div_ceil(2)).max(2);
    for page in pages.iter_mut() {
        let drop: Vec<usize> = edges(page)
            .into_iter()
            .filter(|&i| {
                is_page_number(&page[i].text)
                    || (!ends_sentence(&page[i].text)
                        && page[i].text.chars().count() <= 100
                        && counts.get(&key(&page[i])).is_some_and(|&n| n >= needed))
            })
            .collect();
        for i in drop.into_iter().rev() {
            let removed = page.remove(i);
            // A dropped header does not make the next line start a paragraph.
            if let Some(next) = page.get_mut(i) {
                next.breaks |= removed.breaks && i > 0;
            }
        }
    }
}

/// The pages' lines as one text: a blank line before each paragraph,
/// hyphenated words joined, each page's notes after a `_____` line.
fn assemble(pages: &[Vec<Line>]) -> String {
    let mut text = String::new();
    let mut in_notes = false;
    for page in pages {
        for (i, line) in page.iter().enumerate() {
            if text.is_empty() {
                text.push_str(&line.text);
                in_notes = line.note;
                continue;
            }
            if line.note && !in_notes {
                text.push_str("\n\n_____\n");
            } else if (in_notes && !line.note) || (i > 0 && line.breaks) {
                text.push_str("\n\n");
            } else if joins_hyphenated(&text, &line.text) {
                text.pop();
            } else {
                text.push('\n');
            }
            text.push_str(&line.text);
            in_notes = line.note;
        }
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// `disap-` at the end of `before` and `peared` starting `next`.
fn joins_hyphenated(before: &str, next: &str) -> bool {
    let mut back = before.chars().rev();
    back.next() == Some('-')
        && back.next().is_some_and(char::is_lowercase)
        && next.chars().next().is_some_and(char::is_lowercase)
}

/// Title, author and creation date from the information dictionary.
fn info(doc: &PdfDocument) -> Metadata {
    let mut meta = Metadata::default();
    let Some(dict) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return meta;
    };
    let field = |key: &[u8]| -> Option<String> {
        let object = dict.get(key).ok()?;
        let (_, object) = doc.dereference(object).ok()?;
        let text = text_string(object.as_str().ok()?);
        let text = crate::document::fold_whitespace(&text);
        (!text.is_empty()).then_some(text)
    };
    meta.title = field(b"Title").and_then(|t| {
        let t = t.trim_start_matches("Microsoft Word - ").trim().to_string();
        let file_name = [".doc", ".docx", ".pdf", ".indd", ".odt"]
            .iter()
            .any(|ext| t.to_lowercase().ends_with(ext));
        (!file_name && t.chars().any(char::is_alphabetic)).then_some(t)
    });
    meta.author = field(b"Author");
    meta.published = field(b"CreationDate").and_then(|d| pdf_date(&d));
    meta
}

/// A PDF text string: UTF-16BE after a byte-order mark, else (close enough
/// to PDFDocEncoding) Windows-1252.
fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return text.into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// `D:20140630120000-05'00'` → `2014-06-30` (a real day, or nothing).
fn pdf_date(text: &str) -> Option<String> {
    let digits: String = text
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .take(8)
        .collect();
    if digits.len() < 8 {
        return None;
    }
    let (y, m, d) = (
        digits[..4].parse().ok()?,
        digits[4..6].parse().ok()?,
        digits[6..8].parse().ok()?,
    );
    let day = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    Some(day.format("%Y-%m-%d").to_string())
}

/// A form that draws itself, directly or through others, would send the
/// reader into endless recursion: such a page is skipped.
fn form_loop(doc: &PdfDocument, page: ObjectId) -> Option<String> {
    let resources = inherited(doc, page, b"Resources")?;
    let mut path = Vec::new();
    forms_loop_in(doc, resources, &mut path)
}

fn forms_loop_in(
    doc: &PdfDocument,
    resources: &pdf_extract::Dictionary,
    path: &mut Vec<ObjectId>,
) -> Option<String> {
    if path.len() > 32 {
        return Some("its drawings nest more than 32 levels deep".into());
    }
    let xobjects = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())?;
    for (_, object) in xobjects.iter() {
        let Ok(id) = object.as_reference() else {
            continue;
        };
        if path.contains(&id) {
            return Some("a drawing on it contains itself".into());
        }
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        path.push(id);
        let found = forms_loop_in(doc, own.unwrap_or(resources), path);
        path.pop();
        if found.is_some() {
            return found;
        }
    }
    None
}

/// A page attribute, looked up the page tree as PDF inheritance says.
fn inherited<'a>(
    doc: &'a PdfDocument,
    mut id: ObjectId,
    key: &[u8],
) -> Option<&'a pdf_extract::Dictionary> {
    for _ in 0..64 {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(object) = dict.get(key) {
            return doc.dereference(object).ok()?.1.as_dict().ok();
        }
        id = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdfgen::{Page, Pdf, Run};

    fn pdf(pages: Vec<Page>) -> Vec<u8> {
        Pdf {
            pages,
            ..Pdf::default()
        }
        .to_bytes()
    }

    #[test]
    fn lines_paragraphs_and_hyphens() {
        let mut page = Page::default();
        let y = page.lines(
            72.0,
            780.0,
            11.0,
            13.0,
            &[
                "On 30 June 2014, soldiers killed 22 peo-",
                "ple in a warehouse in Tlatlaya, Mexico",
                "State.",
            ],
        );
        page.lines(
            72.0,
            y - 14.0,
            11.0,
            13.0,
            &["The CNDH found that at least 12 were executed."],
        );
        let got = extract(&pdf(vec![page])).unwrap();
        assert_eq!(
            got.text,
            "On 30 June 2014, soldiers killed 22 people in a warehouse in Tlatlaya, Mexico\nState.\n\nThe CNDH found that at least 12 were executed.\n"
        );
    }

    #[test]
    fn two_columns_read_left_then_right() {
        let mut page = Page::default();
        page.text(72.0, 800.0, 16.0, "Informe sobre desapariciones en México");
        let left = [
            "La columna izquierda",
            "empieza aquí y sigue",
            "hasta el final.",
        ];
        let right = ["La columna derecha", "viene después de la", "izquierda."];
        // Written row by row, as some producers do.
        for (i, (l, r)) in left.iter().zip(right).enumerate() {
            let y = 760.0 - 13.0 * i as f32;
            page.text(72.0, y, 11.0, l);
            page.text(320.0, y, 11.0, r);
        }
        let got = extract(&pdf(vec![page])).unwrap();
        let text = got.text;
        let l = text.find("hasta el final.").unwrap();
        let r = text.find("La columna derecha").unwrap();
        assert!(l < r, "{text}");
        assert!(
            text.starts_with("Informe sobre desapariciones en México\n\n"),
            "{text}"
        );
    }

    #[test]
    fn headers_page_numbers_and_footnotes() {
        let pages: Vec<Page> = (1..=3)
            .map(|n| {
                let mut page = Page::default();
                page.text(72.0, 815.0, 9.0, "Human Rights Watch | Mexico 2015");
                let mut at = 780.0;
                for k in ["The first", "Another", "A last"] {
                    page.text(
                        72.0,
                        at,
                        11.0,
                        &format!("{k} paragraph of page {n} says that 43 students were taken."),
                    );
                    at -= 20.0;
                }
                page.runs.push(Run {
                    // Right after `taken.` of the last line.
                    x: 370.0,
                    y: at + 20.0,
                    // Four fifths of the body size, raised half of it (as
                    // ReportLab sets `<super>`).
                    size: 8.8,
                    bold: false,
                    rise: 5.5,
                    text: format!("{}", 10 + n),
                });
                page.text(
                    72.0,
                    90.0,
                    8.0,
                    &format!("{} CNDH, Recomendación 51/2014.", 10 + n),
                );
                page.text(290.0, 40.0, 9.0, &n.to_string());
                page
            })
            .collect();
        let got = extract(&pdf(pages)).unwrap();
        let text = &got.text;
        assert!(!text.contains("Human Rights Watch"), "{text}");
        assert!(!text.contains("\n2\n"), "{text}");
        // The raised marker is a superscript, the note sits after a rule.
        assert!(text.contains("were taken.¹¹"), "{text}");
        assert!(
            text.contains("_____\n11 CNDH, Recomendación 51/2014."),
            "{text}"
        );
        assert_eq!(got.pages, 3);
    }

    #[test]
    fn pages_with_nothing_but_a_header_and_a_number() {
        // Both lines of a two-line page are at its top and its foot: each
        // is dropped once (found by fuzzing: it was removed twice).
        let pages: Vec<Page> = (1..=3)
            .map(|n| {
                let mut page = Page::default();
                page.text(72.0, 815.0, 9.0, "Centro Prodh | Informe 2015");
                if n == 1 {
                    page.text(72.0, 780.0, 11.0, "El ejército mató a 22 personas.");
                }
                page.text(290.0, 40.0, 9.0, &n.to_string());
                page
            })
            .collect();
        let got = extract(&pdf(pages)).unwrap();
        assert_eq!(got.text, "El ejército mató a 22 personas.\n");
        assert_eq!(got.pages, 3);
    }

    #[test]
    fn metadata_and_errors() {
        let mut page = Page::default();
        page.text(72.0, 800.0, 11.0, "Texto.");
        let bytes = Pdf {
            pages: vec![page.clone()],
            title: Some("Informe anual".into()),
            author: Some("Centro Prodh".into()),
            created: Some("D:20150415103000-05'00'".into()),
            ..Pdf::default()
        }
        .to_bytes();
        let got = extract(&bytes).unwrap();
        assert_eq!(got.metadata.title.as_deref(), Some("Informe anual"));
        assert_eq!(got.metadata.author.as_deref(), Some("Centro Prodh"));
        assert_eq!(got.metadata.published.as_deref(), Some("2015-04-15"));
        let scanned = pdf(vec![Page {
            picture: true,
            ..Page::default()
        }]);
        assert_eq!(extract(&scanned), Err(PdfError::NoText(1)));
        let locked = Pdf {
            pages: vec![page],
            encrypted: true,
            ..Pdf::default()
        }
        .to_bytes();
        assert_eq!(extract(&locked), Err(PdfError::Encrypted));
        assert!(matches!(
            extract(&bytes[..bytes.len() / 2]),
            Err(PdfError::Corrupt(_))
        ));
        assert!(matches!(
            extract(b"%PDF-1.4 garbage"),
            Err(PdfError::Corrupt(_))
        ));
        assert_eq!(pdf_date("D:20140231"), None);
    }
}

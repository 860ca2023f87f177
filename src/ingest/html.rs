//! HTML → readable text, through a real HTML parser (html5ever via
//! `scraper`). Scripts, styles, navigation and page furniture are dropped;
//! block elements become paragraphs (separated by a blank line), list items
//! each their own; `<title>` and date/author `<meta>` tags become metadata.
//! The tree is walked iteratively, so deep nesting cannot overflow the stack,
//! and tags nested deeper than browsers nest are dropped before parsing, so
//! it cannot make parsing quadratic either.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use crate::document::{Language, Metadata};

/// The readable text of a page, and what its head says about it.
#[derive(Debug, Default, PartialEq)]
pub struct Extracted {
    pub text: String,
    pub metadata: Metadata,
}

/// Elements whose content is not part of the report.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "svg", "iframe", "form", "button",
    "select", "head", "aside", "menu",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "address",
    "hr",
    "body",
    "caption",
];

pub fn extract(source: &str) -> Extracted {
    let source = flatten_deep_nesting(source);
    let html = Html::parse_document(&source);
    // The text is shorter than the markup: one allocation, never grown.
    let mut out = TextBuilder {
        text: String::with_capacity(source.len()),
        ..TextBuilder::default()
    };
    let mut skip_depth = 0usize;
    let mut metadata = Metadata::default();
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    read_head(name, el, &node, &mut metadata);
                    if skip_depth > 0
                        || SKIPPED.contains(&name)
                        || el.attr("role") == Some("navigation")
                    {
                        skip_depth += 1;
                    } else if name == "br" {
                        out.line_break();
                    } else if BLOCKS.contains(&name) {
                        out.paragraph_break();
                    }
                }
                Node::Text(text) if skip_depth == 0 => out.push_text(text),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else if BLOCKS.contains(&el.name()) {
                        out.paragraph_break();
                    }
                }
            }
        }
    }
    Extracted {
        text: out.finish(),
        metadata,
    }
}

/// Elements nested deeper than this lose their tags (not their text) before
/// parsing. The HTML tree builder scans its stack of open elements on
/// every tag, so 100,000 nested `<div>` took minutes; browsers stop nesting
/// at 512 as well.
const MAX_DEPTH: usize = 512;

/// Elements without content: never open.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag, never tags.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements the next of their kind closes (`<p>a<p>b`) or that occur once:
/// not counted as nesting, never dropped.
const NOT_NESTING: &[&str] = &[
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody",
    "thead", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "rtc",
];

/// `source` without the start and end tags of elements nested deeper than
/// [`MAX_DEPTH`], by a linear scan that tracks open elements as the parser
/// would (void, raw-text and self-closing elements, comments and quoted
/// attributes understood). Borrowed as is when nothing is that deep.
fn flatten_deep_nesting(source: &str) -> std::borrow::Cow<'_, str> {
    let b = source.as_bytes();
    // Open elements: name, and whether its tags are dropped.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut open_count: std::collections::HashMap<String, usize> = Default::default();
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    let find = |from: usize, needle: &[u8]| {
        b[from.min(b.len())..]
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|p| from + p)
    };
    let mut i = 0;
    while let Some(lt) = b[i..].iter().position(|&c| c == b'<').map(|p| i + p) {
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            i = find(lt + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"!") || rest.starts_with(b"?") {
            i = find(lt + 1, b">").map_or(b.len(), |e| e + 1);
            continue;
        }
        let end_tag = rest.starts_with(b"/");
        let name_at = lt + 1 + usize::from(end_tag);
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_end = b[name_at..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
            .map_or(b.len(), |p| name_at + p);
        let name = source[name_at..name_end].to_ascii_lowercase();
        // The end of the tag: the first `>` outside a quoted attribute value.
        let (mut k, mut quote, mut after_eq) = (name_end, None, false);
        while k < b.len() {
            match (quote, b[k]) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) if after_eq => quote = Some(q),
                _ => {}
            }
            if quote.is_none() && !b[k].is_ascii_whitespace() {
                after_eq = b[k] == b'=';
            }
            k += 1;
        }
        let tag_end = (k + 1).min(b.len());
        i = tag_end;
        if end_tag {
            if open_count.get(&name).copied().unwrap_or(0) == 0 {
                continue;
            }
            while let Some((top, drop)) = open.pop() {
                *open_count.entry(top.clone()).or_default() -= 1;
                if top == name {
                    if drop {
                        dropped.push((lt, tag_end));
                    }
                    break;
                }
            }
            continue;
        }
        let self_closing = b[..tag_end].ends_with(b"/>");
        let foreign = ["svg", "math"]
            .iter()
            .any(|f| open_count.get(*f).copied().unwrap_or(0) > 0);
        if RAW_TEXT.contains(&name.as_str()) {
            if !self_closing || !foreign {
                let close = format!("</{name}");
                i = find(tag_end, close.as_bytes()).unwrap_or(b.len());
            }
            continue;
        }
        if name == "plaintext" {
            break;
        }
        if VOID.contains(&name.as_str())
            || NOT_NESTING.contains(&name.as_str())
            || self_closing && foreign
        {
            continue;
        }
        let drop = open.len() >= MAX_DEPTH;
        if drop {
            dropped.push((lt, tag_end));
        }
        *open_count.entry(name.clone()).or_default() += 1;
        open.push((name, drop));
    }
    if dropped.is_empty() {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut kept = String::with_capacity(source.len());
    let mut at = 0;
    for (start, end) in dropped {
        kept.push_str(&source[at..start]);
        at = end;
    }
    kept.push_str(&source[at..]);
    std::borrow::Cow::Owned(kept)
}

fn read_head(
    name: &str,
    el: &scraper::node::Element,
    node: &ego_tree::NodeRef<Node>,
    meta: &mut Metadata,
) {
    match name {
        "html" => {
            if let Some(lang) = el
                .attr("lang")
                .and_then(|l| Language::parse(l.split('-').next().unwrap_or("")))
            {
                meta.language.get_or_insert(lang);
            }
        }
        "title" if meta.title.is_none() => {
            let title: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            let title = crate::document::fold_whitespace(&title);
            if !title.is_empty() {
                meta.title = Some(title);
            }
        }
        "meta" => {
            let key = el
                .attr("name")
                .or_else(|| el.attr("property"))
                .or_else(|| el.attr("itemprop"))
                .unwrap_or("")
                .to_ascii_lowercase();
            let Some(content) = el.attr("content").map(str::trim).filter(|c| !c.is_empty()) else {
                return;
            };
            match key.as_str() {
                "date"
                | "dc.date"
                | "dc.date.issued"
                | "dcterms.date"
                | "article:published_time"
                | "pubdate"
                | "publish-date"
                | "publication_date"
                | "datepublished"
                | "citation_publication_date"
                    if meta.published.is_none() =>
                {
                    meta.published = crate::ingest::metadata::iso_date(content);
                }
                "author" | "dc.creator" | "article:author" | "publisher" | "dc.publisher"
                | "og:site_name" | "citation_publisher" => {
                    meta.publisher.get_or_insert_with(|| content.to_string());
                }
                "og:title" | "dc.title" | "citation_title" => {
                    meta.title.get_or_insert_with(|| content.to_string());
                }
                "language" | "dc.language" | "content-language" => {
                    if let Some(lang) = Language::parse(content.split('-').next().unwrap_or("")) {
                        meta.language.get_or_insert(lang);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// Collapses HTML white space and places paragraph breaks without doubling.
#[derive(Default)]
struct TextBuilder {
    text: String,
    /// 0: none, 1: line break, 2: paragraph break pending.
    pending_break: u8,
    pending_space: bool,
}

impl TextBuilder {
    fn paragraph_break(&mut self) {
        self.pending_break = 2;
    }

    fn line_break(&mut self) {
        self.pending_break = self.pending_break.max(1);
    }

    fn push_text(&mut self, raw: &str) {
        for (i, word) in raw
            .split(|c: char| c.is_whitespace() && c != '\u{a0}')
            .enumerate()
        {
            if i > 0 {
                self.pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            if !self.text.is_empty() {
                match self.pending_break {
                    2 => self.text.push_str("\n\n"),
                    1 => self.text.push('\n'),
                    _ if self.pending_space => self.text.push(' '),
                    _ => {}
                }
            }
            self.pending_break = 0;
            self.pending_space = false;
            // A no-break space inside a word is a plain one in the text.
            if word.contains('\u{a0}') {
                self.text.push_str(&word.replace('\u{a0}', " "));
            } else {
                self.text.push_str(word);
            }
        }
    }

    fn finish(mut self) -> String {
        self.text.push('\n');
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_readable_text_and_drops_furniture() {
        let page = r#"<html lang="es"><head><title>Informe  anual</title>
            <meta name="date" content="2015-09-06"><meta name="author" content="Centro Prodh">
            <style>p { color: red }</style><script>var x = 43;</script></head>
            <body><nav><a href="/">Inicio</a></nav>
            <h1>Ayotzinapa</h1><p>Los <strong>43</strong> estudiantes &amp; sus familias,<br>en Iguala.</p>
            <ul><li>uno</li><li>dos</li></ul><footer>© 2015</footer></body></html>"#;
        let got = extract(page);
        assert_eq!(
            got.text,
            "Ayotzinapa\n\nLos 43 estudiantes & sus familias,\nen Iguala.\n\nuno\n\ndos\n"
        );
        assert_eq!(got.metadata.title.as_deref(), Some("Informe anual"));
        assert_eq!(got.metadata.published.as_deref(), Some("2015-09-06"));
        assert_eq!(got.metadata.publisher.as_deref(), Some("Centro Prodh"));
        assert_eq!(got.metadata.language, Some(Language::Es));
    }

    #[test]
    fn no_break_spaces_are_plain_spaces() {
        let page = "<p>unas&nbsp;15\u{a0}000 personas\u{a0}\u{a0}y&nbsp; \u{a0}m\u{e1}s</p><p>&nbsp;</p><p>fin</p>";
        assert_eq!(
            extract(page).text,
            "unas 15 000 personas  y   m\u{e1}s\n\n \n\nfin\n"
        );
    }

    #[test]
    fn survives_deep_nesting() {
        let depth = 20_000;
        let page = format!(
            "{}22 civilians{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        assert!(extract(&page).text.contains("22 civilians"));
    }

    #[test]
    fn tags_nested_deeper_than_browsers_nest_are_dropped_before_parsing() {
        let depth = 100_000;
        let page = format!(
            "<p>Before.</p>{}<b>22 civilians</b> killed{}<p>After.</p>",
            "<div class=\"a>b\">".repeat(depth),
            "</div>".repeat(depth)
        );
        let flat = flatten_deep_nesting(&page);
        assert_eq!(flat.matches("<div").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        let started = std::time::Instant::now();
        let text = extract(&page).text;
        assert_eq!(text, "Before.\n\n22 civilians killed\n\nAfter.\n");
        assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
        // Ordinary pages go through untouched: comments, scripts, quoted `>`,
        // void and self-closing elements, unclosed paragraphs nest nothing.
        let mut ordinary =
            String::from("<html><body><!-- <div><div> --><script>if (a<b) { x('<div>') }</script>");
        for n in 0..2_000 {
            ordinary.push_str(&format!(
                "<p>Paragraph {n}<br><img src=\"x>y\"><svg><path d='M0'/></svg><li>item"
            ));
        }
        ordinary.push_str("<div><span>x</span></div></body></html>");
        assert!(matches!(
            flatten_deep_nesting(&ordinary),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

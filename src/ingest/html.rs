//! HTML → readable text, through a real HTML parser (html5ever via
//! `scraper`). Scripts, styles, navigation and page furniture are dropped;
//! block elements become paragraphs (separated by a blank line), list items
//! each their own; `<title>` and date/author `<meta>` tags become metadata.
//! The tree is walked iteratively, so deep nesting cannot overflow the stack.

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
    let html = Html::parse_document(source);
    let mut out = TextBuilder::default();
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
            let word = word.replace('\u{a0}', " ");
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
            self.text.push_str(&word);
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
    fn survives_deep_nesting() {
        let depth = 20_000;
        let page = format!(
            "{}22 civilians{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        assert!(extract(&page).text.contains("22 civilians"));
    }
}

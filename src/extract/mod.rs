//! Stage 3: a segmented document → mentions. The [`Extractor`] holds every
//! compiled matcher (figure and date grammars, sentence splitter), is built
//! once from the dictionaries, and is shared by all worker threads.

pub mod dates;
pub mod numbers;
pub mod tokens;

use std::collections::HashSet;

use crate::dictionaries::Dictionaries;
use crate::document::{
    fold_whitespace, Document, Language, Mention, MentionDetail, MentionKind, Span,
};
use crate::error::Result;
use crate::ingest::metadata::detect_language;
use crate::segment::{Segmented, SentenceSplitter};

pub use dates::{Anchor, DateGrammar};
pub use numbers::FigureGrammar;

/// Everything cifra knows about one document after extraction.
#[derive(Clone, Debug)]
pub struct Analyzed {
    pub document: Document,
    pub segmented: Segmented,
    pub mentions: Vec<Mention>,
}

/// The compiled matchers. Build once with [`Extractor::new`], share by
/// reference across threads (it is `Send + Sync`).
#[derive(Debug)]
pub struct Extractor {
    splitter: SentenceSplitter,
    figures: FigureGrammar,
    dates: DateGrammar,
    english: HashSet<String>,
    spanish: HashSet<String>,
}

impl Extractor {
    pub fn new(dicts: &Dictionaries) -> Result<Extractor> {
        let (mut english, mut spanish) = (HashSet::new(), HashSet::new());
        for row in dicts.table("stopwords.tsv")?.rows() {
            let word = row.get("word")?.to_lowercase();
            for lang in row.lang()? {
                match lang {
                    Language::En => english.insert(word.clone()),
                    Language::Es => spanish.insert(word.clone()),
                };
            }
        }
        Ok(Extractor {
            splitter: SentenceSplitter::new(dicts)?,
            figures: FigureGrammar::new(dicts)?,
            dates: DateGrammar::new(dicts)?,
            english,
            spanish,
        })
    }

    /// Segment `doc`, complete its metadata from its text, and find its mentions.
    pub fn analyze(&self, mut doc: Document) -> Analyzed {
        let segmented = Segmented::new(&doc, &self.splitter);
        self.infer_metadata(&mut doc, &segmented);
        let mentions = self.mentions(&doc, &segmented);
        Analyzed {
            document: doc,
            segmented,
            mentions,
        }
    }

    /// Fill what neither the user's table nor the file's own metadata gave:
    /// language from stop words, a short first paragraph as title, the
    /// first full date near the top (a dateline) as publication date.
    fn infer_metadata(&self, doc: &mut Document, segmented: &Segmented) {
        if doc.metadata.language.is_none() {
            let body = doc.body.of(&doc.text);
            let fallback = (!body.trim().is_empty()).then_some(Language::En);
            doc.metadata.language =
                detect_language(body, &self.english, &self.spanish).or(fallback);
        }
        let first = segmented
            .paragraphs
            .first()
            .map(|p| fold_whitespace(p.span.of(&doc.text)));
        if doc.metadata.title.is_none() {
            doc.metadata.title = first
                .map(|t| t.trim_start_matches(['#', ' ']).to_string())
                .filter(|t| !t.is_empty() && t.chars().count() <= 200);
        }
        if doc.metadata.published.is_none() {
            let top = segmented.paragraphs.iter().take(4);
            doc.metadata.published = top
                .flat_map(|p| {
                    self.dates.find(
                        &doc.text,
                        first_chars(&doc.text, p.span, 400),
                        &Anchor::default(),
                    )
                })
                .filter_map(|m| m.value)
                .find(|v| v.len() >= 7 && !v.contains('/') && !v.contains('W'));
        }
    }

    fn mentions(&self, doc: &Document, segmented: &Segmented) -> Vec<Mention> {
        let view = doc.match_text();
        let lang = doc.metadata.language.unwrap_or(Language::En);
        let anchor = Anchor::parse(doc.metadata.published.as_deref());
        let mut mentions = Vec::new();
        for paragraph in &segmented.paragraphs {
            let dates = self.dates.find(&view, paragraph.span, &anchor);
            let tokens = tokens::tokenize(&view, paragraph.span);
            let figures = self.figures.find(&view, &tokens, lang);
            let make = |kind, span: Span, detail| Mention {
                kind,
                span,
                text: fold_whitespace(span.of(&doc.text)),
                paragraph: paragraph.index,
                sentence: segmented.sentence_of(span.start).unwrap_or(0),
                detail,
            };
            let in_noise = |span: Span| segmented.noise.iter().any(|n| n.overlaps(span));
            for figure in figures {
                if dates.iter().any(|d| d.span.overlaps(figure.span)) || in_noise(figure.span) {
                    continue;
                }
                mentions.push(make(
                    MentionKind::Figure,
                    figure.span,
                    MentionDetail::Figure(figure.figure),
                ));
            }
            for date in dates.into_iter().filter(|d| !in_noise(d.span)) {
                mentions.push(make(
                    MentionKind::Date,
                    date.span,
                    MentionDetail::Date(date.value),
                ));
            }
        }
        mentions.sort_by_key(|m| (m.span.start, m.span.end, m.kind));
        mentions
    }
}

/// The first `n` characters of `span`, ending on a char boundary.
fn first_chars(text: &str, span: Span, n: usize) -> Span {
    let end = span
        .of(text)
        .char_indices()
        .nth(n)
        .map_or(span.end, |(i, _)| span.start + i);
    Span::new(span.start, end)
}

//! Stage 2: a [`Document`]'s body → paragraphs (the units a reader cites,
//! rebuilt across the hard line breaks of PDF-extracted text) and sentences
//! (split with the abbreviations of English and Spanish reports in mind).

pub mod paragraphs;
pub mod sentences;

use crate::document::{Document, Paragraph, Sentence, Span};

pub use sentences::SentenceSplitter;

/// A document's paragraphs and sentences, in text order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Segmented {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    /// Page numbers, running headers and separators: cited by no one, and
    /// never read for mentions even where they sit inside a paragraph.
    pub noise: Vec<Span>,
}

impl Segmented {
    /// Segment `doc`'s body.
    pub fn new(doc: &Document, splitter: &SentenceSplitter) -> Segmented {
        let pages = if doc.format == crate::document::Format::Pdf {
            paragraphs::Pages::LaidOut
        } else {
            paragraphs::Pages::Unknown
        };
        let (paragraphs, noise) = paragraphs::split_pages(&doc.text, doc.body, pages);
        let mut sentences = Vec::new();
        for paragraph in &paragraphs {
            for span in splitter.split(&doc.text, paragraph.span) {
                sentences.push(Sentence {
                    index: sentences.len(),
                    paragraph: paragraph.index,
                    span,
                });
            }
        }
        Segmented {
            paragraphs,
            sentences,
            noise,
        }
    }

    /// The index of the paragraph holding byte `offset`, if any.
    pub fn paragraph_of(&self, offset: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.span.end <= offset);
        self.paragraphs
            .get(i)
            .filter(|p| p.span.start <= offset)
            .map(|p| p.index)
    }

    /// The index of the sentence holding byte `offset`, if any.
    pub fn sentence_of(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= offset);
        self.sentences
            .get(i)
            .filter(|s| s.span.start <= offset)
            .map(|s| s.index)
    }
}

//! Stage 3: a segmented document → mentions. The [`Extractor`] holds every
//! compiled matcher (figure and date grammars, sentence splitter), is built
//! once from the dictionaries, and is shared by all worker threads.

pub mod dates;
pub(crate) mod filter;
pub mod gazetteer;
pub mod names;
pub mod numbers;
pub mod people;
pub mod salience;
pub mod tokens;

use std::collections::hash_map::Entry;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::claims::SentenceTokens;
use crate::dictionaries::Dictionaries;
use crate::document::{
    fold_whitespace, Approx, Document, Figure, Language, Mention, MentionDetail, MentionKind,
    ParagraphRole, Span, SpanSet, Unit,
};
use crate::error::Result;
use crate::ingest::metadata::{detect_language, StopWords};
use crate::segment::{Segmented, SentenceSplitter};

pub use crate::bench::{timed, Stage, StageTimes};
pub use dates::{Anchor, DateGrammar};
pub use numbers::FigureGrammar;
pub use salience::Salience;

/// Everything cifra knows about one document after extraction.
#[derive(Clone, Debug)]
pub struct Analyzed {
    pub document: Document,
    pub segmented: Segmented,
    pub mentions: Vec<Mention>,
    pub claims: Vec<crate::claims::Claim>,
}

/// The compiled matchers. Build once with [`Extractor::new`], share by
/// reference across threads (it is `Send + Sync`).
#[derive(Debug)]
pub struct Extractor {
    splitter: SentenceSplitter,
    figures: FigureGrammar,
    salience: Salience,
    gazetteer: gazetteer::Gazetteer,
    shapes: names::NameShapes,
    people: people::People,
    claims: crate::claims::ClaimBuilder,
    dates: DateGrammar,
    stop_words: StopWords,
}

impl Extractor {
    pub fn new(dicts: &Dictionaries) -> Result<Extractor> {
        let (mut english, mut spanish) = (HashSet::default(), HashSet::default());
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
            salience: Salience::new(dicts)?,
            gazetteer: gazetteer::Gazetteer::new(dicts)?,
            shapes: names::NameShapes::new(dicts)?,
            people: people::People::new(dicts)?,
            claims: crate::claims::ClaimBuilder::new(dicts)?,
            dates: DateGrammar::new(dicts)?,
            stop_words: StopWords::new(
                english.iter().map(String::as_str),
                spanish.iter().map(String::as_str),
            ),
        })
    }

    /// Segment `doc`, complete its metadata from its text, find its
    /// mentions and assemble its claims.
    pub fn analyze(&self, doc: Document) -> Analyzed {
        self.analyze_timed(doc, &mut None)
    }

    /// [`Extractor::analyze`], adding the time each stage takes to `times`
    /// when given (`cifra bench`).
    pub fn analyze_timed(
        &self,
        mut doc: Document,
        times: &mut Option<&mut StageTimes>,
    ) -> Analyzed {
        let segmented = timed(times, Stage::Segment, || {
            Segmented::new(&doc, &self.splitter)
        });
        timed(times, Stage::Metadata, || {
            self.infer_metadata(&mut doc, &segmented)
        });
        let (mentions, sentence_tokens) = self.mentions(&doc, &segmented, times);
        let claims = timed(times, Stage::Claims, || {
            self.claims
                .build_with(&doc, &segmented, &mentions, &sentence_tokens)
        });
        Analyzed {
            document: doc,
            segmented,
            mentions,
            claims,
        }
    }

    /// Fill what neither the user's table nor the file's own metadata gave:
    /// language from stop words, a short first paragraph as title, the
    /// first full date near the top (a dateline) as publication date.
    fn infer_metadata(&self, doc: &mut Document, segmented: &Segmented) {
        if doc.metadata.language.is_none() {
            let body = doc.body.of(&doc.text);
            let fallback = (!body.trim().is_empty()).then_some(Language::En);
            doc.metadata.language = detect_language(body, &self.stop_words).or(fallback);
        }
        // A later part of a large report starts mid-text: no title or
        // dateline there.
        if doc.part.is_some_and(|p| p.number > 1) {
            return;
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

    fn mentions(
        &self,
        doc: &Document,
        segmented: &Segmented,
        times: &mut Option<&mut StageTimes>,
    ) -> (Vec<Mention>, SentenceTokens) {
        let view = doc.match_text();
        // The tokens of the sentences that claims will read (those with a
        // salient figure), kept from the paragraph's: where markup was
        // blanked, the view's tokens are not the text's, and claims make
        // their own.
        let mut sentence_tokens = SentenceTokens::default();
        let lang = doc.metadata.language.unwrap_or(Language::En);
        let anchor = Anchor::parse(doc.metadata.published.as_deref());
        let mut mentions = Vec::new();
        let mut candidates = Vec::new();
        // Sums of money with a subject: `the $350 million` later on, with
        // no noun of its own, is the same money.
        // Keyed by value, approximator and currency: the first such sum.
        let mut sums: HashMap<(u64, Approx, Option<String>), Figure> = HashMap::default();
        let noise = SpanSet::new(segmented.noise.iter().copied());
        let in_noise = |span: Span| noise.overlaps(span);
        for paragraph in &segmented.paragraphs {
            let first = mentions.len();
            let dates = timed(times, Stage::Dates, || {
                self.dates.find(&view, paragraph.span, &anchor)
            });
            let tokens = timed(times, Stage::Tokens, || {
                tokens::tokenize(&view, paragraph.span)
            });
            let figures_started = times.is_some().then(std::time::Instant::now);
            let figures = self.figures.find(&view, &tokens, lang, &self.salience);
            let make = |kind, span: Span, detail| Mention {
                kind,
                span,
                text: fold_whitespace(span.of(&doc.text)),
                paragraph: paragraph.index,
                sentence: segmented.sentence_of(span.start).unwrap_or(0),
                detail,
            };
            let date_spans = SpanSet::new(dates.iter().map(|d| d.span));
            let mut previous: Option<(usize, Figure)> = None;
            for mut figure in figures {
                // `1 Amnesty International, Out of Control…`: a note's mark.
                let note_mark = paragraph.role == ParagraphRole::Footnote && figure.tokens.0 == 0;
                if date_spans.overlaps(figure.span) || in_noise(figure.span) || note_mark {
                    continue;
                }
                let sentence = segmented
                    .sentences
                    .get(
                        segmented
                            .sentence_of(figure.span.start)
                            .unwrap_or(usize::MAX),
                    )
                    .map_or((0, tokens.len()), |s| token_range(&tokens, s.span));
                let default_subject = self.salience.annotate(
                    &mut figure.figure,
                    &tokens,
                    figure.tokens,
                    figure.subject_end,
                    sentence,
                    lang,
                );
                let index = segmented.sentence_of(figure.span.start);
                if let Some((_, prev)) = previous.as_ref().filter(|(s, _)| Some(*s) == index) {
                    salience::inherit_subject(&mut figure.figure, prev);
                }
                if figure.figure.unit == Unit::Money {
                    let f = &figure.figure;
                    let key = (f.value.to_bits(), f.approx, f.currency.clone());
                    match sums.get(&key) {
                        Some(prev) => salience::inherit_subject(&mut figure.figure, prev),
                        None if f.subject.is_some() => {
                            sums.insert(key, figure.figure.clone());
                        }
                        None => {}
                    }
                }
                if figure.figure.subject.is_none() {
                    figure.figure.subject = default_subject;
                }
                if let Some(s) = index {
                    previous = Some((s, figure.figure.clone()));
                    if figure.figure.salient && doc.markup.is_empty() {
                        if let Entry::Vacant(slot) = sentence_tokens.0.entry(s) {
                            let span = segmented.sentences[s].span;
                            if let Some(kept) = sentence_slice(&tokens, paragraph.span, span) {
                                slot.insert(kept);
                            }
                        }
                    }
                }
                mentions.push(make(
                    MentionKind::Figure,
                    figure.span,
                    MentionDetail::Figure(figure.figure),
                ));
            }
            if let (Some(t), Some(started)) = (times.as_deref_mut(), figures_started) {
                t.add(Stage::Figures, started.elapsed());
            }
            let named = timed(times, Stage::Names, || {
                self.named(&view, paragraph.span, &tokens, lang, anchor.year)
            });
            for (kind, span, canonical) in named {
                if !in_noise(span) {
                    mentions.push(make(kind, span, MentionDetail::Named { canonical }));
                }
            }
            for date in dates.into_iter().filter(|d| !in_noise(d.span)) {
                mentions.push(make(
                    MentionKind::Date,
                    date.span,
                    MentionDetail::Date(date.value),
                ));
            }
            let taken: Vec<Span> = mentions[first..].iter().map(|m| m.span).collect();
            let found = timed(times, Stage::People, || {
                self.people
                    .candidates(&view, &tokens, paragraph.index, &taken, lang)
            });
            candidates.extend(found.into_iter().filter(|c| !in_noise(c.span)));
        }
        let resolved = timed(times, Stage::People, || self.people.resolve(&candidates));
        for (n, canonical) in resolved {
            let c = &candidates[n];
            mentions.push(Mention {
                kind: MentionKind::Person,
                span: c.span,
                text: fold_whitespace(c.span.of(&doc.text)),
                paragraph: c.paragraph,
                sentence: segmented.sentence_of(c.span.start).unwrap_or(0),
                detail: MentionDetail::Named { canonical },
            });
        }
        sort_mentions(&mut mentions);
        learn_acronyms(segmented, &view, &mut mentions);
        (mentions, sentence_tokens)
    }

    /// Listed names, and names found by their shape where no listed name
    /// covers them; a shaped name that strictly contains listed ones
    /// replaces them (`Southern District of Texas` inside a U.S.
    /// Attorney's Office is no place).
    fn named(
        &self,
        view: &str,
        span: Span,
        tokens: &[tokens::Token],
        lang: Language,
        year: Option<i32>,
    ) -> Vec<(MentionKind, Span, String)> {
        let listed = self.gazetteer.find(view, span, year);
        let shaped = self.shapes.find(view, tokens, lang);
        let mut out: Vec<(MentionKind, Span, String)> = Vec::new();
        // Listed names come sorted and never overlap one another: those
        // overlapping a span are one run of them, found by bisection.
        for s in &shaped {
            let first = listed.partition_point(|l| l.span.end <= s.span.start);
            let overlapping = listed[first..]
                .iter()
                .take_while(|l| l.span.start < s.span.end)
                .filter(|l| l.span.overlaps(s.span));
            let contains_all = overlapping
                .into_iter()
                .all(|l| s.span.contains(l.span) && s.span.len() > l.span.len());
            if contains_all {
                out.push((s.kind, s.span, s.canonical.clone()));
            }
        }
        let kept_shapes = SpanSet::new(out.iter().map(|(_, s, _)| *s));
        for l in listed {
            if !kept_shapes.overlaps(l.span) {
                let entity = &self.gazetteer.entities()[l.entity];
                out.push((entity.kind, l.span, entity.canonical.clone()));
            }
        }
        out.sort_by_key(|(_, s, _)| (s.start, s.end));
        out
    }
}

/// `Joint Task Force Alpha (JTFA)`: an acronym in brackets right after a
/// named mention means that name wherever it recurs in the document.
fn learn_acronyms(segmented: &Segmented, view: &str, mentions: &mut Vec<Mention>) {
    let mut learned: Vec<(String, MentionKind, String)> = Vec::new();
    for m in mentions.iter() {
        let MentionDetail::Named { canonical } = &m.detail else {
            continue;
        };
        let mut stop = view.len().min(m.span.end + 16);
        while !view.is_char_boundary(stop) {
            stop -= 1;
        }
        let after = &view[m.span.end..stop];
        if let Some(acronym) = names::bracketed_acronym(after) {
            if !learned.iter().any(|(a, _, _)| a == acronym) {
                learned.push((acronym.to_string(), m.kind, canonical.clone()));
            }
        }
    }
    if learned.is_empty() {
        return;
    }
    let longest = mentions.iter().map(|m| m.span.len()).max().unwrap_or(0);
    let mut added = Vec::new();
    for paragraph in &segmented.paragraphs {
        let text = paragraph.span.of(view);
        for (acronym, kind, canonical) in &learned {
            for (at, _) in text.match_indices(acronym.as_str()) {
                let span = Span::new(
                    paragraph.span.start + at,
                    paragraph.span.start + at + acronym.len(),
                );
                let bounded = !text[..at].ends_with(char::is_alphanumeric)
                    && !text[at + acronym.len()..].starts_with(char::is_alphanumeric);
                if bounded && !overlaps_any(mentions, longest, span) {
                    added.push(Mention {
                        kind: *kind,
                        span,
                        text: acronym.clone(),
                        paragraph: paragraph.index,
                        sentence: segmented.sentence_of(span.start).unwrap_or(0),
                        detail: MentionDetail::Named {
                            canonical: canonical.clone(),
                        },
                    });
                }
            }
        }
    }
    mentions.extend(added);
    sort_mentions(mentions);
}

/// Sort `mentions` by start, end and kind, keeping the order of ties.
///
/// The keys are sorted, and each mention moved once into its place: a
/// mention is a few hundred bytes, and sorting the mentions themselves
/// moved each of them about as many times as the sort took steps (1.2% of
/// all instructions).
fn sort_mentions(mentions: &mut Vec<Mention>) {
    // The index last makes every key distinct: an unstable sort of them
    // gives the stable order.
    let mut keys: Vec<(usize, usize, MentionKind, usize)> = mentions
        .iter()
        .enumerate()
        .map(|(i, m)| (m.span.start, m.span.end, m.kind, i))
        .collect();
    if keys.is_sorted() {
        return;
    }
    keys.sort_unstable();
    let mut slots: Vec<Option<Mention>> = mentions.drain(..).map(Some).collect();
    mentions.extend(
        keys.iter()
            .map(|k| slots[k.3].take().expect("each mention is placed once")),
    );
}

/// Some of `mentions` (sorted by start, none longer than `longest`)
/// overlaps `span`: only those starting within `longest` before it can.
fn overlaps_any(mentions: &[Mention], longest: usize, span: Span) -> bool {
    let end = mentions.partition_point(|m| m.span.start < span.end);
    mentions[..end]
        .iter()
        .rev()
        .take_while(|m| m.span.start + longest > span.start)
        .any(|m| m.span.overlaps(span))
}

/// The tokens that lie inside `span`, as an index range.
/// The tokens of sentence `span` as tokenizing it alone makes them, taken
/// from its paragraph's `tokens`; `None` where they would differ: the
/// sentence is not inside the paragraph, or a token runs over one of its
/// ends (`well-` + `known`).
fn sentence_slice(
    tokens: &[tokens::Token],
    paragraph: Span,
    span: Span,
) -> Option<Vec<tokens::Token>> {
    if !paragraph.contains(span) {
        return None;
    }
    let (lo, hi) = token_range(tokens, span);
    if lo > 0 && tokens[lo - 1].span.end > span.start
        || hi > lo && tokens[hi - 1].span.end > span.end
    {
        return None;
    }
    let mut kept = tokens[lo..hi].to_vec();
    if let Some(first) = kept.first_mut() {
        first.space_before = true;
    }
    Some(kept)
}

fn token_range(tokens: &[tokens::Token], span: Span) -> (usize, usize) {
    let start = tokens.partition_point(|t| t.span.start < span.start);
    let end = tokens.partition_point(|t| t.span.start < span.end);
    (start, end.max(start))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn mentions_sort_by_start_end_and_kind_and_ties_keep_their_order() {
        let mention = |start, end, kind, canonical: &str| Mention {
            kind,
            span: Span::new(start, end),
            text: String::new(),
            paragraph: 0,
            sentence: 0,
            detail: MentionDetail::Named {
                canonical: canonical.to_string(),
            },
        };
        use MentionKind::{Date, Institution, Person, Place};
        let mut mentions = vec![
            mention(10, 20, Place, "a"),
            mention(0, 5, Person, "b"),
            mention(10, 20, Institution, "c"),
            mention(10, 15, Place, "d"),
            mention(10, 20, Place, "e"),
            mention(0, 5, Date, "f"),
        ];
        sort_mentions(&mut mentions);
        let order: Vec<String> = mentions
            .iter()
            .map(|m| match &m.detail {
                MentionDetail::Named { canonical } => canonical.clone(),
                _ => unreachable!(),
            })
            .collect();
        // (0,5) Date before Person; (10,15) before (10,20); at (10,20)
        // Institution before Place, and the two Places as they came.
        assert_eq!(order, ["f", "b", "d", "c", "a", "e"]);
        // Sorted input stays as it is.
        let before = mentions.clone();
        sort_mentions(&mut mentions);
        assert_eq!(mentions, before);
    }

    #[test]
    fn kept_sentence_tokens_are_those_of_the_sentence_alone() {
        let extractor = Extractor::new(&Dictionaries::embedded()).unwrap();
        let mut texts = crate::generate::sample_texts(30);
        // A word that runs over a sentence's end: its tokens are not kept.
        texts.push("In 2014, 43 students disappeared in well-\nknown Iguala. Then 22 civilians were killed.".to_string());
        let mut kept = 0;
        for text in &texts {
            let doc = crate::ingest::from_bytes(Path::new("a.txt"), "a.txt", text.as_bytes());
            let segmented = Segmented::new(&doc, &extractor.splitter);
            let (mentions, known) = extractor.mentions(&doc, &segmented, &mut None);
            for (&s, tokens) in &known.0 {
                let span = segmented.sentences[s].span;
                assert_eq!(
                    *tokens,
                    tokens::tokenize(&doc.text, span),
                    "{:?}",
                    span.of(&doc.text)
                );
                kept += 1;
            }
            // Claims built with them are the claims built without.
            assert_eq!(
                extractor
                    .claims
                    .build_with(&doc, &segmented, &mentions, &known),
                extractor.claims.build(&doc, &segmented, &mentions),
            );
        }
        assert!(kept > 100, "{kept}");
        let tokens = tokens::tokenize("a well-known b", Span::new(0, 14));
        assert_eq!(
            sentence_slice(&tokens, Span::new(0, 14), Span::new(0, 7)),
            None
        );
        assert_eq!(
            sentence_slice(&tokens, Span::new(0, 14), Span::new(7, 14)),
            None
        );
        assert_eq!(
            sentence_slice(&tokens, Span::new(2, 14), Span::new(0, 14)),
            None
        );
        let kept = sentence_slice(&tokens, Span::new(0, 14), Span::new(2, 14)).unwrap();
        assert_eq!(kept, tokens::tokenize("a well-known b", Span::new(2, 14)));
    }
}

//! Stage 4: claims. One claim per salient figure, assembled from the
//! mentions of its sentence: what it counts (`subject`, `category`), what
//! happened (`event`), when (`date`: the nearest date of the sentence),
//! where (`place`: the nearest place), who did it (`actor`: an institution
//! of the sentence other than the source) and according to whom
//! (`attribution`: a name next to `according to`, `según`, `said`, `dijo`
//! …, else the report's publisher), tied to the sentence by its span. The
//! `id` is derived from the report's content hash, the sentence span and
//! the figure, so two runs over the same files give the same ids.

pub mod compare;
pub mod view;

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use sha2::{Digest, Sha256};

use crate::dictionaries::Dictionaries;
use crate::document::{
    Document, Figure, Language, Mention, MentionDetail, MentionKind, Span, Unit,
};
use crate::error::Result;
use crate::extract::salience::Salience;
use crate::extract::tokens::{phrase_keys, tokenize, Token};
use crate::segment::Segmented;

/// A figure that reports a fact, with its context.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub id: String,
    /// The figure's reading: value, approximator, unit, subject, event.
    pub figure: Figure,
    pub category: Option<String>,
    pub date: Option<String>,
    pub place: Option<String>,
    pub actor: Option<String>,
    pub attribution: Option<String>,
    pub paragraph: usize,
    pub sentence: String,
    /// The sentence's span.
    pub span: Span,
    /// The figure's own text and span, for a reader who wants the number.
    pub figure_text: String,
    pub figure_span: Span,
    /// The id of an earlier claim of the same report that this one
    /// restates (same value, unit and category, and no other place or
    /// date): count it once in aggregates.
    pub restates: Option<String>,
}

impl Claim {
    /// Whether this claim restates `earlier` (see [`Claim::restates`]).
    fn repeats(&self, earlier: &Claim) -> bool {
        let (a, b) = (&self.figure, &earlier.figure);
        let compatible =
            |x: &Option<String>, y: &Option<String>| x.is_none() || y.is_none() || x == y;
        a.approx != crate::document::Approx::Vague
            && a.value == b.value
            && a.value_max == b.value_max
            && a.unit == b.unit
            && a.currency == b.currency
            && match (&self.category, &earlier.category) {
                (Some(x), Some(y)) => x == y,
                (None, None) => a.subject.is_some() && a.subject == b.subject,
                _ => false,
            }
            && compatible(&self.place, &earlier.place)
            && compatible(&self.date, &earlier.date)
    }
}

/// What two claims of the same figure share: value, upper value, unit,
/// currency (the first conditions of [`Claim::repeats`]).
type FigureKey = (u64, Option<u64>, &'static str, Option<String>);

fn figure_key(f: &Figure) -> FigureKey {
    // `0.0 == -0.0`, though their bits differ.
    let bits = |v: f64| if v == 0.0 { 0 } else { v.to_bits() };
    (
        bits(f.value),
        f.value_max.map(bits),
        f.unit.as_str(),
        f.currency.clone(),
    )
}

/// The tokens of sentences, by sentence index, exactly as
/// `tokenize(&doc.text, sentence.span)` makes them: what extraction hands
/// to [`ClaimBuilder::build_with`].
#[derive(Debug, Default)]
pub struct SentenceTokens(pub(crate) HashMap<usize, Vec<Token>>);

/// The claim assembler, built once from the dictionaries.
#[derive(Debug)]
pub struct ClaimBuilder {
    salience: Salience,
    by_event: HashMap<String, String>,
    by_subject: HashMap<String, String>,
    /// Per language: words right after a name that make it the source
    /// (`said`), and phrases right before one (`according to`, `según`).
    say: [Vec<String>; 2],
    according: [Vec<Vec<String>>; 2],
    /// Per language: phrases before a date that open it (`since`, `desde`).
    open_start: [Vec<Vec<String>>; 2],
}

fn slot(lang: Language) -> usize {
    match lang {
        Language::En => 0,
        Language::Es => 1,
    }
}

impl ClaimBuilder {
    pub fn new(dicts: &Dictionaries) -> Result<ClaimBuilder> {
        let (mut by_event, mut by_subject) = (HashMap::default(), HashMap::default());
        for row in dicts.table("categories.tsv")?.rows() {
            let value = row.get("value")?.to_string();
            let category = row.get("category")?.to_string();
            match row.get("source")? {
                "event" => by_event.insert(value, category),
                "subject" => by_subject.insert(value, category),
                other => {
                    return Err(row.error(format!("source '{other}' must be event or subject")))
                }
            };
        }
        let mut say: [Vec<String>; 2] = Default::default();
        let mut according: [Vec<Vec<String>>; 2] = Default::default();
        for row in dicts.table("people.tsv")?.rows() {
            let role = row.get("role")?;
            if role != "say" && role != "according" {
                continue;
            }
            let keys = phrase_keys(row.get("word")?);
            for lang in row.lang()? {
                if role == "say" {
                    say[slot(lang)].extend(keys.iter().cloned());
                } else {
                    according[slot(lang)].push(keys.clone());
                }
            }
        }
        let mut open_start: [Vec<Vec<String>>; 2] = Default::default();
        for row in dicts.table("claim_context.tsv")?.rows() {
            match row.get("role")? {
                "open_start" => {
                    let keys = phrase_keys(row.get("word")?);
                    for lang in row.lang()? {
                        open_start[slot(lang)].push(keys.clone());
                    }
                }
                other => return Err(row.error(format!("role '{other}' must be open_start"))),
            }
        }
        Ok(ClaimBuilder {
            open_start,
            salience: Salience::new(dicts)?,
            by_event,
            by_subject,
            say,
            according,
        })
    }

    /// The claims of one analyzed document, in text order.
    pub fn build(&self, doc: &Document, segmented: &Segmented, mentions: &[Mention]) -> Vec<Claim> {
        self.build_with(doc, segmented, mentions, &SentenceTokens::default())
    }

    /// [`build`](Self::build), with the tokens of some sentences already
    /// made (by extraction), so that they are not made again.
    pub fn build_with(
        &self,
        doc: &Document,
        segmented: &Segmented,
        mentions: &[Mention],
        known: &SentenceTokens,
    ) -> Vec<Claim> {
        let lang = doc.metadata.language.unwrap_or(Language::En);
        let mut claims: Vec<Claim> = Vec::new();
        // The sentence being read, tokenized and folded once for all its
        // figures: folded once per figure, a long sentence of thousands of
        // figures took a minute (found by fuzzing).
        let mut cached: Option<(usize, Cow<[Token]>, String)> = None;
        // First statements (claims that restate none), by figure.
        let mut firsts: HashMap<FigureKey, Vec<usize>> = HashMap::default();
        // The last date before the current sentence, kept as the loop goes
        // (figures come in text order): searching back from each figure
        // made a long paragraph without dates quadratic.
        let (mut scanned, mut last_date) = (0, None::<&Mention>);
        for m in mentions {
            let MentionDetail::Figure(figure) = &m.detail else {
                continue;
            };
            if !figure.salient {
                continue;
            }
            let Some(sentence) = segmented.sentences.get(m.sentence) else {
                continue;
            };
            // Mentions are in text order: the sentence's are one slice of them.
            let lo = mentions.partition_point(|o| o.span.start < sentence.span.start);
            let hi = mentions.partition_point(|o| o.span.start < sentence.span.end);
            let in_sentence: Vec<&Mention> = mentions[lo..hi]
                .iter()
                .filter(|o| sentence.span.contains(o.span))
                .collect();
            let nearest = |kind: MentionKind| {
                in_sentence
                    .iter()
                    .filter(|o| o.kind == kind)
                    .min_by_key(|o| distance(o.span, m.span))
                    .copied()
            };
            // The sentence's nearest date, else the last date of the sentence
            // before in the same paragraph (`This operation … led to …`).
            // Figures of one sentence are consecutive: tokenize it once.
            if cached.as_ref().is_none_or(|(s, _, _)| *s != m.sentence) {
                let text = sentence.span.of(&doc.text);
                let tokens = match known.0.get(&m.sentence) {
                    Some(tokens) => Cow::Borrowed(tokens.as_slice()),
                    None => Cow::Owned(tokenize(&doc.text, sentence.span)),
                };
                cached = Some((m.sentence, tokens, crate::document::fold_whitespace(text)));
            }
            let (tokens, sentence_text): (&[Token], &str) = cached
                .as_ref()
                .map_or((&[], ""), |(_, t, s)| (t.as_ref(), s));
            // The date of saying (`said Sunday that 57 …`) is not the date
            // of what was said, unless the sentence has no other.
            let said_on = |d: &Mention| self.said_on(tokens, d.span, lang);
            let date_mention = in_sentence
                .iter()
                .filter(|o| o.kind == MentionKind::Date)
                .min_by_key(|o| (said_on(o), distance(o.span, m.span)))
                .copied();
            // Else the last date of an earlier sentence of the paragraph
            // (`This operation … led to …`).
            let date = match date_mention {
                Some(d) => self.date_of(doc, sentence.span, Some(tokens), d, lang),
                None => {
                    let p = &segmented.paragraphs[sentence.paragraph];
                    while let Some(o) = mentions
                        .get(scanned)
                        .filter(|o| o.span.start < sentence.span.start)
                    {
                        if o.kind == MentionKind::Date {
                            last_date = Some(o);
                        }
                        scanned += 1;
                    }
                    last_date
                        .filter(|d| d.span.start >= p.span.start)
                        .and_then(|d| {
                            let s = segmented.sentence_of(d.span.start)?;
                            self.date_of(doc, segmented.sentences[s].span, None, d, lang)
                        })
                }
            };
            // `Nochixtlán, Oaxaca`: the place written first, the narrower one.
            let place = nearest(MentionKind::Place).map(|p| {
                let narrower = in_sentence.iter().find(|o| {
                    o.kind == MentionKind::Place
                        && o.span.end <= p.span.start
                        && doc.text[o.span.end..p.span.start].trim() == ","
                });
                canonical(narrower.copied().unwrap_or(p))
            });
            let attribution_mention = self.attribution(tokens, &in_sentence, lang);
            let attribution = attribution_mention
                .map(canonical)
                .or_else(|| doc.metadata.publisher.clone());
            let actor = in_sentence
                .iter()
                .filter(|o| o.kind == MentionKind::Institution)
                .filter(|o| attribution_mention.is_none_or(|a| a.span != o.span))
                .min_by_key(|o| distance(o.span, m.span))
                .map(|o| canonical(o));
            let category = self.category(figure, lang);
            let id = claim_id(&doc.sha256, sentence.span, m.span, figure);
            let mut claim = Claim {
                id,
                figure: figure.clone(),
                category,
                date,
                place,
                actor,
                attribution,
                paragraph: m.paragraph,
                sentence: sentence_text.to_string(),
                span: sentence.span,
                figure_text: m.text.clone(),
                figure_span: m.span,
                restates: None,
            };
            // Compared with first statements only: a vague restatement in
            // between (no place, no date) must not join two others.
            // Only claims of the same figure can be restated: looked up by it.
            let key = figure_key(&claim.figure);
            let same_figure = firsts.get(&key).map_or(&[][..], Vec::as_slice);
            claim.restates = same_figure
                .iter()
                .map(|&n| &claims[n])
                .find(|earlier| claim.repeats(earlier))
                .map(|earlier| earlier.id.clone());
            if claim.restates.is_none() {
                firsts.entry(key).or_default().push(claims.len());
            }
            claims.push(claim);
        }
        claims
    }

    /// Whether a date is the date of saying: it follows a word of saying
    /// (`said Sunday`, `dijo el lunes`, `announced on Tuesday`), or it is a
    /// dateline (`CHILPANCINGO, Sept. 29, 2014 — Officials said …`).
    fn said_on(&self, tokens: &[Token], date: Span, lang: Language) -> bool {
        let after = tokens.partition_point(|t| t.span.start < date.end);
        if tokens
            .get(after)
            .is_some_and(|t| matches!(t.key.as_str(), "—" | "–"))
        {
            return true;
        }
        let mut k = tokens.partition_point(|t| t.span.start < date.start);
        while k > 0 && matches!(tokens[k - 1].key.as_str(), "on" | "el" | "este" | "the") {
            k -= 1;
        }
        k > 0 && said(&self.say[slot(lang)], &tokens[k - 1])
    }

    /// A date mention's value as the claim's date: opened (`2006-12/..`)
    /// when `since`/`desde` stands a few words before it in its clause.
    /// `tokens`, when given, are the whole sentence's.
    fn date_of(
        &self,
        doc: &Document,
        sentence: Span,
        tokens: Option<&[Token]>,
        date: &Mention,
        lang: Language,
    ) -> Option<String> {
        let MentionDetail::Date(Some(value)) = &date.detail else {
            return None;
        };
        if value.contains('/') {
            return Some(value.clone());
        }
        // The sentence's tokens up to the date are those of the text up to
        // it, unless one runs on into the date (`since-December`).
        let before = date.span.start;
        let owned;
        let tokens = match tokens.map(|t| t.split_at(t.partition_point(|t| t.span.end <= before))) {
            Some((up_to, rest)) if rest.first().is_none_or(|t| t.span.start >= before) => up_to,
            _ => {
                owned = tokenize(&doc.text, Span::new(sentence.start, before));
                &owned[..]
            }
        };
        let clause: Vec<&str> = tokens
            .iter()
            .rev()
            .take(8)
            .take_while(|t| !matches!(t.key.as_str(), "," | ";" | ":" | "(" | ")"))
            .map(|t| t.key.as_str())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let opened = self.open_start[slot(lang)].iter().any(|phrase| {
            clause
                .windows(phrase.len())
                .any(|w| w.iter().copied().eq(phrase.iter().map(String::as_str)))
        });
        Some(if opened {
            format!("{value}/..")
        } else {
            value.clone()
        })
    }

    /// The event's category, else the category of the subject's head.
    fn category(&self, figure: &Figure, lang: Language) -> Option<String> {
        if let Some(c) = figure.event.as_ref().and_then(|e| self.by_event.get(e)) {
            return Some(c.clone());
        }
        if figure.unit == Unit::Money {
            return Some("aid_money".into());
        }
        let subject = figure.subject.as_deref()?;
        subject
            .split_whitespace()
            .rev()
            .find_map(|w| self.salience.subject(w, lang))
            .and_then(|s| self.by_subject.get(&s.label))
            .cloned()
    }

    /// A named mention that the sentence gives as its source: right after
    /// `according to`/`según`, or right before or after `said`/`dijo`.
    fn attribution<'m>(
        &self,
        tokens: &[Token],
        in_sentence: &[&'m Mention],
        lang: Language,
    ) -> Option<&'m Mention> {
        let say = &self.say[slot(lang)];
        let named = in_sentence.iter().filter(|o| {
            matches!(
                o.kind,
                MentionKind::Institution | MentionKind::Person | MentionKind::LegalInstrument
            )
        });
        for o in named {
            let first = tokens.partition_point(|t| t.span.start < o.span.start);
            let after = tokens.partition_point(|t| t.span.start < o.span.end);
            let mut before_words: Vec<&str> = tokens[first.saturating_sub(5)..first]
                .iter()
                .map(|t| t.key.as_str())
                .collect();
            // `according to the CNDH`, `según la CNDH`.
            if before_words
                .last()
                .is_some_and(|w| matches!(*w, "the" | "el" | "la" | "los" | "las"))
            {
                before_words.pop();
            }
            let introduced = self.according[slot(lang)].iter().any(|phrase| {
                before_words.ends_with(&phrase.iter().map(String::as_str).collect::<Vec<_>>())
            });
            let says_after = tokens.get(after).is_some_and(|t| said(say, t))
                || (tokens.get(after).is_some_and(|t| t.key == ",")
                    && tokens.get(after + 1).is_some_and(|t| said(say, t)));
            let says_before = first >= 1 && said(say, &tokens[first - 1]);
            if introduced || says_after || says_before {
                return Some(o);
            }
        }
        None
    }
}

fn canonical(m: &Mention) -> String {
    match &m.detail {
        MentionDetail::Named { canonical } => canonical.clone(),
        _ => m.text.clone(),
    }
}

/// Bytes between two spans (0 when they touch or overlap).
fn distance(a: Span, b: Span) -> usize {
    b.start
        .saturating_sub(a.end)
        .max(a.start.saturating_sub(b.end))
}

/// A stable id: the report's content hash, the sentence and figure spans
/// and the figure's reading, hashed; 16 hex digits.
fn claim_id(sha256: &str, sentence: Span, figure_span: Span, figure: &Figure) -> String {
    let mut hasher = Sha256::new();
    hasher.update(sha256.as_bytes());
    hasher.update(
        format!(
            "|{}-{}|{}-{}|{}|{:?}|{:?}|{}",
            sentence.start,
            sentence.end,
            figure_span.start,
            figure_span.end,
            figure.value,
            figure.value_max,
            figure.unit,
            figure.subject.as_deref().unwrap_or("")
        )
        .as_bytes(),
    );
    crate::ingest::hex(&hasher.finalize()[..8])
}

/// `token` is one of the say words.
fn said(say: &[String], token: &Token) -> bool {
    say.iter().any(|w| *w == token.key)
}

//! What a figure is about: the `event` that happened to what it counts
//! (`killed`, `disappeared`, `complaints` …) and whether it is `salient`,
//! that is, reports a human-rights fact rather than an incidental count
//! (`four key areas`). Both come from two lexicons in `dictionaries/`:
//! `events.tsv` (verbs and nouns near the figure) and `subjects.tsv` (the
//! heads of what is counted), each word marked salient or not.

use rustc_hash::FxHashMap as HashMap;

use crate::dictionaries::{Dictionaries, Row};
use crate::document::{Figure, Language, Unit};
use crate::error::Result;
use crate::extract::filter::WordFilter;
use crate::extract::tokens::{unaccent, Token, TokenKind};

/// How far from the figure, in words, an event word may stand.
const WINDOW: usize = 9;

/// One lexicon entry: a label (an event or a subject category) and whether
/// it makes a figure salient.
#[derive(Clone, Debug, PartialEq)]
pub struct Sense {
    pub label: String,
    pub salient: bool,
    /// For events: what a figure with no noun of its own counts
    /// (`over 70,000` killed → `people`).
    pub default_subject: Option<String>,
}

/// Words and word stems (`asesin*`) of one lexicon, for one language.
#[derive(Debug, Default)]
struct Lexicon {
    words: HashMap<String, Sense>,
    /// Stems, looked up by the prefixes of a word (the first listed wins
    /// where one stem is listed twice).
    stems: HashMap<String, Sense>,
    /// The lengths of the stems in bytes, longest first, so that the most
    /// specific stem wins.
    stem_lengths: Vec<usize>,
    /// The words `words` gives a sense to, as written or in the other
    /// number: a first filter, as most words of a text have no sense.
    known: Option<WordFilter>,
    /// The first two bytes of every stem, a bit for each pair (8 KB): a
    /// word that begins with none of them has no stem. Empty when some
    /// stem is shorter.
    stem_heads: Vec<u64>,
}

impl Lexicon {
    fn insert(&mut self, word: &str, sense: Sense) {
        let key = unaccent(&word.to_lowercase());
        match key.strip_suffix('*') {
            Some(stem) => {
                self.stems.entry(stem.to_string()).or_insert(sense);
            }
            None => {
                self.words.insert(key, sense);
            }
        }
    }

    fn finish(&mut self) {
        self.stem_lengths = self.stems.keys().map(String::len).collect();
        self.stem_lengths.sort_unstable_by(|a, b| b.cmp(a));
        self.stem_lengths.dedup();
        let mut forms: Vec<String> = Vec::new();
        for word in self.words.keys() {
            forms.push(word.clone());
            forms.push(format!("{word}s"));
            if let Some(singular) = word.strip_suffix('s') {
                forms.push(singular.to_string());
            }
        }
        self.known = Some(WordFilter::new(forms.iter().map(String::as_str)));
        self.stem_heads.clear();
        if self.stems.keys().all(|stem| stem.len() >= 2) {
            self.stem_heads = vec![0; 1024];
            for stem in self.stems.keys() {
                let pair = stem_head(stem);
                self.stem_heads[pair / 64] |= 1 << (pair % 64);
            }
        }
    }

    /// Whether a word of at least two bytes may begin with a stem.
    fn may_have_stem(&self, key: &str) -> bool {
        if self.stem_heads.is_empty() || key.len() < 2 {
            return !self.stems.is_empty();
        }
        let pair = stem_head(key);
        self.stem_heads[pair / 64] & (1 << (pair % 64)) != 0
    }

    /// The sense of a word: itself, its singular or plural (`tip`, `tips`),
    /// or its longest listed stem.
    fn get(&self, key: &str) -> Option<&Sense> {
        let other_number = || match key.strip_suffix('s') {
            Some(singular) => self.words.get(singular),
            None => {
                // The plural, without a heap allocation for a short word.
                let mut plural = compact_str::CompactString::from(key);
                plural.push('s');
                self.words.get(plural.as_str())
            }
        };
        let listed = self.known.as_ref().is_none_or(|k| k.may_hold(key));
        let word = listed.then(|| self.words.get(key).or_else(other_number));
        if let Some(sense) = word.flatten() {
            return Some(sense);
        }
        if !self.may_have_stem(key) {
            return None;
        }
        self.stem_lengths
            .iter()
            .filter(|&&n| n <= key.len() && key.is_char_boundary(n))
            .find_map(|&n| self.stems.get(&key[..n]))
    }
}

/// The first two bytes of a word of two bytes or more, as a number.
fn stem_head(word: &str) -> usize {
    let b = word.as_bytes();
    usize::from(b[0]) << 8 | usize::from(b[1])
}

/// The compiled event and subject lexicons of both languages.
#[derive(Debug, Default)]
pub struct Salience {
    events: [Lexicon; 2],
    subjects: [Lexicon; 2],
}

fn slot(lang: Language) -> usize {
    match lang {
        Language::En => 0,
        Language::Es => 1,
    }
}

fn salient_flag(row: &Row) -> Result<bool> {
    match row.get("salient")? {
        "1" | "yes" | "true" => Ok(true),
        "0" | "no" | "false" => Ok(false),
        other => Err(row.error(format!("salient '{other}' must be 1 or 0"))),
    }
}

impl Salience {
    pub fn new(dicts: &Dictionaries) -> Result<Salience> {
        let mut salience = Salience::default();
        for row in dicts.table("events.tsv")?.rows() {
            let word = row.get("word")?;
            let sense = Sense {
                label: row.get("event")?.to_string(),
                salient: salient_flag(&row)?,
                default_subject: Some(row.get("subject")?)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            };
            for lang in row.lang()? {
                salience.events[slot(lang)].insert(word, sense.clone());
            }
        }
        for row in dicts.table("subjects.tsv")?.rows() {
            let word = row.get("head")?;
            let sense = Sense {
                label: row.get("category")?.to_string(),
                salient: salient_flag(&row)?,
                default_subject: None,
            };
            for lang in row.lang()? {
                salience.subjects[slot(lang)].insert(word, sense.clone());
            }
        }
        for lexicon in salience.events.iter_mut().chain(&mut salience.subjects) {
            lexicon.finish();
        }
        Ok(salience)
    }

    /// The event sense of one word, if the lexicon has it.
    pub fn event(&self, word: &str, lang: Language) -> Option<&Sense> {
        self.events[slot(lang)].get(&unaccent(&word.to_lowercase()))
    }

    /// The subject sense of one word, if the lexicon has it.
    pub fn subject(&self, word: &str, lang: Language) -> Option<&Sense> {
        self.subjects[slot(lang)].get(&unaccent(&word.to_lowercase()))
    }

    /// Set `figure.event` and `figure.salient` from the words of its
    /// sentence; return what it counts when it names nothing itself (the
    /// event's default subject: `over 70,000` killed → `people`). `core` is the figure's token range,
    /// `subject_end` the token after its subject, `sentence` the token
    /// range of its sentence; other figures in `taken` bound the search.
    pub fn annotate(
        &self,
        figure: &mut Figure,
        tokens: &[Token],
        core: (usize, usize),
        subject_end: usize,
        sentence: (usize, usize),
        lang: Language,
    ) -> Option<String> {
        let events = &self.events[slot(lang)];
        let subjects = &self.subjects[slot(lang)];
        // The subject's own words: `39 disappearances`, `24 cases of
        // extrajudicial killings`; their head sense decides when no verb does.
        let mut subject_sense = None;
        let mut event = None;
        for t in &tokens[core.1..subject_end] {
            if event.is_none() {
                event = events.get(&t.key).map(|s| (0, s));
            }
            if let Some(s) = subjects.get(&t.key) {
                subject_sense = Some(s);
            }
        }
        // Then the nearest event word before or after, inside the sentence.
        if event.is_none() {
            let after = (subject_end..sentence.1.min(subject_end + WINDOW))
                .take_while(|&k| !ends_clause(&tokens[k]))
                .filter_map(|k| events.get(&tokens[k].key).map(|s| (k + 1 - subject_end, s)))
                .next();
            let before = (sentence.0.max(core.0.saturating_sub(WINDOW))..core.0)
                .rev()
                .take_while(|&k| !ends_clause(&tokens[k]))
                .filter_map(|k| events.get(&tokens[k].key).map(|s| (core.0 - k, s)))
                .next();
            event = match (before, after) {
                (Some(b), Some(a)) => Some(if b.0 < a.0 { b } else { a }),
                (b, a) => a.or(b),
            };
        }
        let in_subject = event.is_some_and(|(distance, _)| distance == 0);
        let event = event.map(|(_, s)| s);
        figure.event = event.map(|e| e.label.clone());
        // A known incidental head wins over the words around it: `five
        // states adopted prosecution policies` is no human-rights count.
        figure.salient = match (event, subject_sense) {
            // `13,000 reports of kidnappings`: the event is what is counted.
            (Some(e), Some(s)) if !s.salient => in_subject && e.salient,
            (Some(e), Some(s)) => e.salient || s.salient,
            (Some(e), None) => e.salient,
            (None, Some(s)) => s.salient,
            (None, None) => figure.unit == Unit::Money,
        };
        event.and_then(|e| e.default_subject.clone())
    }
}

/// Punctuation that closes the clause a figure's event must sit in (the
/// sentence bounds the rest; a `.` may be an abbreviation's, as in `U.S.`).
fn ends_clause(t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.lower.as_str(), ";" | "•")
}

/// A figure with no noun of its own after another in the same sentence
/// counts the same thing: `43 bodies in the seventh grave and five in the
/// eighth`, `Antioquia con 56 víctimas, Nariño (29)`.
pub fn inherit_subject(figure: &mut Figure, previous: &Figure) {
    if figure.subject.is_some() || previous.subject.is_none() || figure.unit != previous.unit {
        return;
    }
    figure.subject = previous.subject.clone();
    if figure.event.is_none() {
        figure.event = previous.event.clone();
    }
    figure.salient |= previous.salient;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_stem_and_the_other_number() {
        let sense = |label: &str| Sense {
            label: label.to_string(),
            salient: true,
            default_subject: None,
        };
        let mut lexicon = Lexicon::default();
        lexicon.insert("asesin*", sense("short"));
        lexicon.insert("asesinat*", sense("long"));
        lexicon.insert("asesinat*", sense("listed again"));
        lexicon.insert("tip", sense("tip"));
        lexicon.insert("Ejecuciones", sense("plural"));
        lexicon.finish();
        let label = |w: &str| lexicon.get(w).map(|s| s.label.as_str());
        assert_eq!(label("asesinatos"), Some("long"));
        assert_eq!(label("asesinos"), Some("short"));
        assert_eq!(label("asesin"), Some("short"));
        assert_eq!(label("asesi"), None);
        assert_eq!(label("tips"), Some("tip"));
        assert_eq!(label("ejecucione"), Some("plural"));
        assert_eq!(label("ñandú"), None);
    }

    /// The first filters drop no word of the embedded lexicons: each
    /// word, in both numbers, and each stem with an ending, keeps its sense.
    #[test]
    fn filters_keep_every_listed_word_and_stem() {
        let s = Salience::new(&Dictionaries::embedded()).unwrap();
        for lexicon in s.events.iter().chain(&s.subjects) {
            assert!(lexicon.known.is_some() && !lexicon.stem_heads.is_empty());
            for word in lexicon.words.keys() {
                assert!(lexicon.get(word).is_some(), "{word}");
                let other = word
                    .strip_suffix('s')
                    .map_or(format!("{word}s"), str::to_string);
                assert!(lexicon.get(&other).is_some(), "{other}");
            }
            for stem in lexicon.stems.keys() {
                assert!(lexicon.get(&format!("{stem}ados")).is_some(), "{stem}");
            }
            assert!(lexicon.get("zzyzx").is_none());
        }
    }

    #[test]
    fn stems_and_words() {
        let s = Salience::new(&Dictionaries::embedded()).unwrap();
        assert_eq!(s.event("asesinados", Language::Es).unwrap().label, "killed");
        assert_eq!(
            s.event("desapariciones", Language::Es).unwrap().label,
            "disappeared"
        );
        assert_eq!(s.event("tortured", Language::En).unwrap().label, "tortured");
        assert!(!s.subject("states", Language::En).unwrap().salient);
        assert!(s.subject("víctimas", Language::Es).unwrap().salient);
        assert!(s.event("the", Language::En).is_none());
    }
}

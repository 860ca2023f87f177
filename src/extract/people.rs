//! People: no list can hold them, so they are found by evidence around a
//! run of capitalized words (with particles: `de la`, `del`, `y`; initials;
//! hyphens): a known given name first (`Maureen Meyer`), a title or role
//! right before (`President Calderón`, `el fiscal Jesús Murillo Karam`), a
//! reporting verb next to it (`X said`, `dijo X`, `according to X`,
//! `según X`), or a role after a comma (`X, director of Y`). Every later
//! short reference in the same document (`Murillo Karam`, `Murillo`) is tied
//! to the full name. The cue words are in `dictionaries/people.tsv`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::dictionaries::Dictionaries;
use crate::document::{Language, Span, SpanSet};
use crate::error::Result;
use crate::extract::tokens::{
    longest_at, longest_before, phrase_keys, unaccent, Phrases, Token, TokenKind,
};

/// At most this many words in a name.
const MAX_WORDS: usize = 6;

#[derive(Debug, Default)]
pub struct People {
    given: HashSet<String>,
    particles: HashSet<String>,
    not_name: HashSet<String>,
    /// Per language (English, Spanish): the cues around a name.
    cues: [Cues; 2],
}

/// The words around a name that say it is a person's, in one language.
#[derive(Debug, Default)]
struct Cues {
    titles: Phrases<()>,
    say: HashSet<String>,
    according: Phrases<()>,
}

fn slot(lang: Language) -> usize {
    match lang {
        Language::En => 0,
        Language::Es => 1,
    }
}

/// A run of name-like words in a paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub span: Span,
    pub paragraph: usize,
    /// The words of the run, as written.
    pub words: Vec<String>,
    /// Some evidence says this is a person's name.
    pub person: bool,
}

impl People {
    pub fn new(dicts: &Dictionaries) -> Result<People> {
        let mut people = People::default();
        for row in dicts.table("people.tsv")?.rows() {
            let word = row.get("word")?;
            let key = unaccent(&word.to_lowercase());
            let langs = row.lang()?;
            let role = row.get("role")?;
            for lang in &langs {
                let cues = &mut people.cues[slot(*lang)];
                match role {
                    "title" => cues.titles.push((phrase_keys(word), ())),
                    "say" => {
                        cues.say.insert(key.clone());
                    }
                    "according" => cues.according.push((phrase_keys(word), ())),
                    _ => {}
                }
            }
            match role {
                "given_name" => {
                    people.given.insert(word.to_string());
                }
                "title" | "say" | "according" => {}
                "particle" => {
                    people.particles.insert(key);
                }
                "not_name" => {
                    people.not_name.insert(word.to_string());
                }
                other => {
                    return Err(row.error(format!(
                        "role '{other}' must be given_name, title, say, according, particle or not_name"
                    )))
                }
            }
        }
        Ok(people)
    }

    /// The name-like runs of one paragraph that overlap none of `taken`.
    pub fn candidates(
        &self,
        text: &str,
        tokens: &[Token],
        paragraph: usize,
        taken: &[Span],
        lang: Language,
    ) -> Vec<Candidate> {
        let cues = &self.cues[slot(lang)];
        let mut out = Vec::new();
        let taken = SpanSet::new(taken.iter().copied());
        let free = |k: usize| !taken.overlaps(tokens[k].span);
        let mut i = 0;
        while i < tokens.len() {
            // Most tokens are no capitalized word: turned away before the
            // look-ups below (both kinds of name start with a capital).
            if !capitalized(text, &tokens[i])
                || !free(i)
                || !self.name_word(text, &tokens[i]) && !self.initial(text, tokens, i)
            {
                i += 1;
                continue;
            }
            // A listed name (`Iguala`, `PGR`) ends the run: `Iguala Mayor José
            // Luis Abarca` leaves `Mayor José Luis Abarca`.
            let (run_start, mut end) = self.run(text, tokens, i);
            if let Some(k) = (run_start..end).find(|&k| !free(k)) {
                end = k;
            }
            i = end.max(i + 1);
            while end > run_start && self.particles.contains(tokens[end - 1].key.as_str()) {
                end -= 1;
            }
            if end <= run_start {
                continue;
            }
            // `Attorney General Jesús Murillo Karam`: a title at the start of
            // the run is the cue, not part of the name.
            let mut start = run_start;
            while let Some((_, after)) = longest_at(tokens, start, &cues.titles) {
                if after >= end {
                    break;
                }
                start = after;
            }
            let titled_inside = start > run_start;
            if start >= end {
                continue;
            }
            // A run of titles alone (`Vice President`) names nobody.
            if longest_at(tokens, start, &cues.titles).is_some_and(|(_, after)| after >= end) {
                continue;
            }
            let mut span = Span::new(tokens[start].span.start, tokens[end - 1].span.end);
            let mut words: Vec<String> = tokens[start..end]
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| t.span.of(text).to_string())
                .collect();
            // `Calderón's presidency`: the possessive is not part of the name.
            if let Some(last) = words.last_mut() {
                if let Some(stem) = last.strip_suffix("'s").or_else(|| last.strip_suffix("’s")) {
                    span = Span::new(span.start, span.end - (last.len() - stem.len()));
                    *last = stem.to_string();
                }
            }
            let person = titled_inside || self.evidence(cues, tokens, start, end, &words);
            out.push(Candidate {
                span,
                paragraph,
                words,
                person,
            });
        }
        out
    }

    /// A capitalized word that may be part of a name.
    fn name_word(&self, text: &str, t: &Token) -> bool {
        let s = t.span.of(text);
        t.kind == TokenKind::Word
            && s.starts_with(char::is_uppercase)
            && !self.not_name.contains(s)
            && s.chars().skip(1).any(char::is_lowercase)
    }

    /// An initial: one capital, a glued `.`, then a name word (`J. Smith`,
    /// not the `U` of `U.S.`).
    fn initial(&self, text: &str, tokens: &[Token], k: usize) -> bool {
        let t = &tokens[k];
        let s = t.span.of(text);
        t.kind == TokenKind::Word
            && s.chars().count() == 1
            && s.starts_with(char::is_uppercase)
            && !self.not_name.contains(s)
            && tokens
                .get(k + 1)
                .is_some_and(|d| d.lower == "." && !d.space_before)
            && tokens.get(k + 2).is_some_and(|n| {
                n.space_before && (self.name_word(text, n) || self.initial(text, tokens, k + 2))
            })
    }

    /// The run of name words from `i`: particles between them, initials.
    fn run(&self, text: &str, tokens: &[Token], i: usize) -> (usize, usize) {
        let mut end = i;
        let mut last = i;
        let mut words = 0;
        while end < tokens.len() && words < MAX_WORDS {
            let t = &tokens[end];
            if self.initial(text, tokens, end) {
                last = end + 1;
                end += 2;
                continue;
            }
            if self.name_word(text, t) && (end == i || t.space_before) {
                last = end;
                words += 1;
            } else if !(t.kind == TokenKind::Word
                && self.particles.contains(t.key.as_str())
                && end > i)
            {
                break;
            }
            end += 1;
        }
        (i, last + 1)
    }

    fn evidence(
        &self,
        cues: &Cues,
        tokens: &[Token],
        start: usize,
        end: usize,
        words: &[String],
    ) -> bool {
        let full = words.len() >= 2;
        if full && self.given.contains(&words[0]) {
            return true;
        }
        let titled = longest_before(tokens, start, &cues.titles).is_some();
        if titled {
            return true;
        }
        let next = tokens.get(end).map(|t| t.key.as_str());
        let after_comma = if next == Some(",") {
            tokens.get(end + 1)
        } else {
            None
        };
        let says_after = next.is_some_and(|k| cues.say.contains(k))
            || after_comma.is_some_and(|t| cues.say.contains(t.key.as_str()));
        let says_before = start
            .checked_sub(1)
            .is_some_and(|p| cues.say.contains(tokens[p].key.as_str()))
            || longest_before(tokens, start, &cues.according).is_some();
        // `X, director of Y`: a role after a comma.
        let role_after = after_comma.is_some_and(|t| {
            cues.titles
                .iter()
                .any(|(keys, _)| keys.len() == 1 && keys[0] == t.key)
        });
        full && (says_after || says_before || role_after)
    }

    /// People with evidence, and the runs that repeat part of their names
    /// elsewhere in the document (`Murillo Karam`, `Murillo`), each with
    /// the full name as canonical.
    pub fn resolve(&self, candidates: &[Candidate]) -> Vec<(usize, String)> {
        // Full names and their shorter forms: the last word, the last two.
        let mut keys: HashMap<String, Option<String>> = HashMap::default();
        let mut full: Vec<(usize, String)> = Vec::new();
        for (n, c) in candidates.iter().enumerate() {
            if !c.person {
                continue;
            }
            let name = c.words.join(" ");
            full.push((n, name.clone()));
            if c.words.len() >= 2 {
                let tails = (1..c.words.len()).map(|k| c.words[k..].join(" "));
                let heads = std::iter::once(c.words[..c.words.len() - 1].join(" "))
                    .filter(|_| c.words.len() >= 3);
                // `Murillo` for `Jesús Murillo Karam`: a Spanish name is
                // often cut to the first surname.
                let surnames = (1..c.words.len() - 1)
                    .map(|k| c.words[k].clone())
                    .filter(|w| {
                        !self.given.contains(w) && !self.particles.contains(&w.to_lowercase())
                    });
                for short in tails.chain(heads).chain(surnames) {
                    let slot = keys.entry(short).or_insert_with(|| Some(name.clone()));
                    if slot.as_deref() != Some(name.as_str()) {
                        // Two people share it: ambiguous, tie it to neither.
                        *slot = None;
                    }
                }
            }
        }
        // A short form takes the canonical of the longest full name it is part of.
        let canonical_of = |name: &str| -> String {
            keys.get(name)
                .cloned()
                .flatten()
                .unwrap_or_else(|| name.to_string())
        };
        let mut out: Vec<(usize, String)> = full
            .iter()
            .map(|(n, name)| (*n, canonical_of(name)))
            .collect();
        for (n, c) in candidates.iter().enumerate() {
            if c.person {
                continue;
            }
            if let Some(Some(name)) = keys.get(&c.words.join(" ")) {
                out.push((n, name.clone()));
            }
        }
        out.sort();
        out
    }
}

/// A word whose first letter is a capital: what a name word and an
/// initial both are.
fn capitalized(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::Word
        && match text.as_bytes()[t.span.start] {
            b if b.is_ascii() => b.is_ascii_uppercase(),
            _ => t.span.of(text).starts_with(char::is_uppercase),
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tokens::tokenize;

    fn people(text: &str) -> Vec<(String, String)> {
        let p = People::new(&Dictionaries::embedded()).unwrap();
        let tokens = tokenize(text, Span::new(0, text.len()));
        let candidates = p.candidates(text, &tokens, 0, &[], Language::En);
        p.resolve(&candidates)
            .into_iter()
            .map(|(n, canonical)| (candidates[n].span.of(text).to_string(), canonical))
            .collect()
    }

    #[test]
    fn evidence_and_short_references() {
        let got = people(
            "Attorney General Jesús Murillo Karam said the students were killed. \
             Later Murillo Karam added that the case was closed.",
        );
        assert_eq!(
            got,
            [
                (
                    "Jesús Murillo Karam".to_string(),
                    "Jesús Murillo Karam".to_string()
                ),
                (
                    "Murillo Karam".to_string(),
                    "Jesús Murillo Karam".to_string()
                ),
            ]
        );
        let got =
            people("“It is a crisis,” said Maureen Meyer, director of WOLA's Mexico program.");
        assert_eq!(got[0].0, "Maureen Meyer");
        let p = People::new(&Dictionaries::embedded()).unwrap();
        let text = "según Vidulfo Rosales, abogado de las familias";
        let tokens = tokenize(text, Span::new(0, text.len()));
        let found = p.candidates(text, &tokens, 0, &[], Language::Es);
        assert!(found[0].person && found[0].span.of(text) == "Vidulfo Rosales");
        // No evidence, no person.
        assert!(people("The Blue Room was closed.").is_empty());
    }
}

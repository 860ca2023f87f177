//! Names that no list holds, found by their shape: a run of capitalized
//! words joined by short function words that contains a head word
//! (`U.S. Attorney's Office for the Southern District of Texas`,
//! `Bipartisan Safer Communities Act`, `Comisión Estatal de Derechos
//! Humanos de Guerrero`), or a numbered head (`recomendación 18/2013`,
//! `Executive Order 14059`). Then, per document, acronyms defined in
//! brackets after a name (`Joint Task Force Alpha (JTFA)`) are tied to
//! that name wherever they recur. Heads and connectors come from
//! `dictionaries/name_heads.tsv`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::dictionaries::Dictionaries;
use crate::document::{Language, MentionKind, Span};
use crate::error::Result;
use crate::extract::tokens::{Token, TokenKind};

/// A name found by its shape.
#[derive(Clone, Debug, PartialEq)]
pub struct ShapedName {
    pub span: Span,
    pub kind: MentionKind,
    /// The name as written, white space folded, quotes straight, without a
    /// leading article: the same text gives the same canonical.
    pub canonical: String,
}

/// The compiled head words.
#[derive(Debug, Default)]
pub struct NameShapes {
    /// Head words as written (`Office`, `Comisión`) and their kind.
    heads: HashMap<String, MentionKind>,
    /// Heads that make a name with a number (lower case, accents off).
    numbered: HashMap<String, MentionKind>,
    /// The first words of the two-word numbered heads: a token that is none
    /// of them is looked up alone, without building a key.
    numbered_firsts: HashSet<String>,
    connectors: HashSet<String>,
    /// Capitalized words that start sentences, not names (`The`, `Según`):
    /// the `not_name` entries of `people.tsv`.
    not_start: HashSet<String>,
}

impl NameShapes {
    pub fn new(dicts: &Dictionaries) -> Result<NameShapes> {
        let mut shapes = NameShapes::default();
        for row in dicts.table("name_heads.tsv")?.rows() {
            let head = row.get("head")?;
            let kind = match row.get("kind")? {
                "institution" => MentionKind::Institution,
                "legal_instrument" => MentionKind::LegalInstrument,
                "connector" => {
                    shapes.connectors.insert(head.to_lowercase());
                    continue;
                }
                other => {
                    return Err(row.error(format!(
                        "kind '{other}' must be institution, legal_instrument or connector"
                    )))
                }
            };
            row.lang()?;
            if row.get("numbered")? == "1" {
                let key = crate::extract::tokens::unaccent(&head.to_lowercase());
                if let Some((first, _)) = key.split_once(' ') {
                    shapes.numbered_firsts.insert(first.to_string());
                }
                shapes.numbered.insert(key, kind);
            } else {
                // Multi-word heads (`Task Force`) are matched by their last word.
                let last = head.split_whitespace().last().unwrap_or(head);
                shapes.heads.insert(last.to_string(), kind);
            }
        }
        for row in dicts.table("people.tsv")?.rows() {
            if row.get("role")? == "not_name" {
                shapes.not_start.insert(row.get("word")?.to_string());
            }
        }
        Ok(shapes)
    }

    /// Every shaped name in one paragraph's tokens, in order.
    pub fn find(&self, text: &str, tokens: &[Token], _lang: Language) -> Vec<ShapedName> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if let Some((name, end)) = self.numbered_at(text, tokens, i) {
                found.push(name);
                i = end;
                continue;
            }
            if !capitalized(text, &tokens[i]) {
                i += 1;
                continue;
            }
            let (start, end) = self.run(text, tokens, i);
            // A head alone (`la Comisión`, `the Army`) refers back to a name
            // given earlier; it is no name itself.
            let words = tokens[start..end]
                .iter()
                .filter(|t| capitalized(text, t))
                .count();
            let kind = (words >= 2).then_some(()).and(
                tokens[start..end]
                    .iter()
                    .filter(|t| t.kind == TokenKind::Word)
                    .find_map(|t| self.heads.get(t.span.of(text)).copied()),
            );
            if let Some(kind) = kind {
                let span = Span::new(tokens[start].span.start, tokens[end - 1].span.end);
                found.push(ShapedName {
                    span,
                    kind,
                    canonical: canonical_of(span.of(text)),
                });
            }
            i = end.max(i + 1);
        }
        found
    }

    /// The capitalized run starting at token `i`: its token range, without
    /// a leading article or possessive and without trailing connectors.
    fn run(&self, text: &str, tokens: &[Token], i: usize) -> (usize, usize) {
        let mut end = i;
        let mut last_capital = i;
        while end < tokens.len() {
            let t = &tokens[end];
            let glued = !t.space_before && end > i;
            let part = if capitalized(text, t) {
                last_capital = end;
                true
            } else if t.kind == TokenKind::Word
                && self.connectors.contains(t.lower.as_str())
                && end > i
            {
                true
            } else {
                // `U.S.`, `Attorneys’`, `U.S.-Mexico`: marks glued inside a name.
                glued && matches!(t.lower.as_str(), "." | "-" | "’" | "'" | "–")
            };
            if !part {
                break;
            }
            end += 1;
        }
        let mut start = i;
        // `The Commission`, `La Comisión`, `Mexico's National …`.
        while start < last_capital {
            let word = tokens[start].span.of(text);
            let possessive = word.ends_with("'s") || word.ends_with("’s");
            let article = self.not_start.contains(word) && !self.heads.contains_key(word)
                || self.connectors.contains(tokens[start].lower.as_str())
                || matches!(tokens[start].lower.as_str(), "a" | "an");
            if !(possessive || article) {
                break;
            }
            start += 1;
        }
        // A glued `.` after the last capital belongs to it only in `U.S.`.
        let mut end = last_capital + 1;
        if tokens
            .get(end)
            .is_some_and(|t| t.lower == "." && !t.space_before)
            && tokens[last_capital].span.len() == 1
        {
            end += 1;
        }
        (start, end)
    }

    /// `recomendación 18/2013`, `Executive Order 14059`, `Informe 010 de 2017`.
    fn numbered_at(&self, text: &str, tokens: &[Token], i: usize) -> Option<(ShapedName, usize)> {
        let first = tokens.get(i).filter(|t| t.kind == TokenKind::Word)?;
        // A number follows the one or two words of the name: most words
        // are passed here, before any lookup.
        let number_at = |k: usize| tokens.get(k).is_some_and(|t| t.kind == TokenKind::Number);
        if !number_at(i + 1) && !number_at(i + 2) {
            return None;
        }
        let two = tokens
            .get(i + 1)
            .filter(|t| {
                t.kind == TokenKind::Word && self.numbered_firsts.contains(first.key.as_str())
            })
            .and_then(|second| {
                let key = format!("{} {}", first.key, second.key);
                self.numbered.get(&key).map(|k| (*k, i + 2))
            });
        let (kind, after) =
            two.or_else(|| self.numbered.get(first.key.as_str()).map(|k| (*k, i + 1)))?;
        let number = tokens.get(after).filter(|t| t.kind == TokenKind::Number)?;
        let mut end = after + 1;
        // `18/2013`
        if tokens
            .get(end)
            .is_some_and(|t| t.lower == "/" && !t.space_before)
            && tokens
                .get(end + 1)
                .is_some_and(|t| t.kind == TokenKind::Number && !t.space_before)
        {
            end += 2;
        } else if tokens.get(end).is_some_and(|t| t.key == "de")
            && tokens
                .get(end + 1)
                .is_some_and(|t| t.kind == TokenKind::Number && t.lower.len() == 4)
        {
            // `Informe 010 de 2017`
            end += 2;
        } else if number.lower.len() < 2 {
            return None;
        }
        let span = Span::new(tokens[i].span.start, tokens[end - 1].span.end);
        let name = ShapedName {
            span,
            kind,
            canonical: canonical_of(span.of(text)),
        };
        Some((name, end))
    }
}

fn capitalized(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::Word && t.span.of(text).starts_with(char::is_uppercase)
}

/// White space folded, quotes straight, first letter capital: one spelling
/// per name.
pub fn canonical_of(name: &str) -> String {
    let folded = crate::document::fold_whitespace(name).replace(['’', '‘'], "'");
    let mut chars = folded.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// An acronym defined in brackets right after a name: `Long Form (LF)`.
/// Returns the acronym when `after` (the text following the name) starts
/// with one: two to eight capitals, digits, `-`, `.` or `&`.
pub fn bracketed_acronym(after: &str) -> Option<&str> {
    let rest = after
        .strip_prefix(" (")
        .or_else(|| after.strip_prefix("("))?;
    let close = rest.find(')')?;
    let inner = &rest[..close];
    let capitals = inner.chars().filter(|c| c.is_uppercase()).count();
    let ok = (2..=8).contains(&inner.chars().count())
        && capitals >= 2
        && inner
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '&'));
    ok.then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tokens::tokenize;

    fn names(text: &str) -> Vec<(String, MentionKind)> {
        let shapes = NameShapes::new(&Dictionaries::embedded()).unwrap();
        let tokens = tokenize(text, Span::new(0, text.len()));
        shapes
            .find(text, &tokens, Language::En)
            .into_iter()
            .map(|n| (n.span.of(text).to_string(), n.kind))
            .collect()
    }

    #[test]
    fn runs_with_heads() {
        use MentionKind::*;
        assert_eq!(
            names(
                "announced by the U.S. Attorney’s Office for the Southern District of Texas today"
            ),
            [(
                "U.S. Attorney’s Office for the Southern District of Texas".to_string(),
                Institution
            )]
        );
        assert_eq!(
            names("under the Bipartisan Safer Communities Act, funds"),
            [(
                "Bipartisan Safer Communities Act".to_string(),
                LegalInstrument
            )]
        );
        assert_eq!(
            names("según la recomendación 18/2013 de la CNDH"),
            [("recomendación 18/2013".to_string(), LegalInstrument)]
        );
        assert_eq!(
            names("La Comisión Estatal de Derechos Humanos de Guerrero dijo"),
            [(
                "Comisión Estatal de Derechos Humanos de Guerrero".to_string(),
                Institution
            )]
        );
        // No head, no name; lower-case words end a run.
        assert!(names("Maureen Meyer said the office was closed.").is_empty());
    }

    #[test]
    fn acronyms_in_brackets() {
        assert_eq!(bracketed_acronym(" (JTFA) and"), Some("JTFA"));
        assert_eq!(bracketed_acronym(" (ONU-DH)"), Some("ONU-DH"));
        assert_eq!(bracketed_acronym(" (see below)"), None);
        assert_eq!(bracketed_acronym(" (2014)"), None);
    }
}

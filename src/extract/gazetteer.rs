//! Named things from lists: institutions, legal instruments and places,
//! each alias tied to one canonical name. Full names are matched with one
//! Aho-Corasick automaton over a folded view of the text (lower case, no
//! accents, straight quotes, one space for any run of white space), whose
//! offsets map back to the source, run anchored at the words that begin
//! some name rather than over every byte; acronyms (`PGR`, `SRE`) with a second,
//! case-sensitive automaton over the source itself, so that common words
//! do not fire. Matches are leftmost-longest and must sit on word
//! boundaries.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::dictionaries::{Dictionaries, Row, Table};
use crate::document::{MentionKind, Span};
use crate::error::{Error, Result};
use crate::extract::filter::WordFilter;

/// One entity of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub kind: MentionKind,
    pub id: String,
    pub canonical: String,
    /// The body this one replaced and the year it did (`FGR`: PGR, 2019).
    pub succeeds: Option<(usize, i32)>,
}

/// A named mention found in a paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedMatch {
    pub span: Span,
    /// Index into [`Gazetteer::entities`].
    pub entity: usize,
}

/// The compiled lists.
#[derive(Debug)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    /// Full names, folded, and where one can start (see [`Starts`]).
    names: Starts,
    /// For each folded name pattern, the entities that bear it (two when a
    /// body and its successor share a name: `Attorney General's Office`).
    name_entity: Vec<Vec<usize>>,
    /// Acronyms as written, and where one can start.
    acronyms: Starts,
    acronym_entity: Vec<usize>,
}

/// The dictionary files of named entities and the kind each holds.
const FILES: [(&str, MentionKind); 3] = [
    ("institutions.tsv", MentionKind::Institution),
    ("legal_instruments.tsv", MentionKind::LegalInstrument),
    ("places.tsv", MentionKind::Place),
];

impl Gazetteer {
    pub fn new(dicts: &Dictionaries) -> Result<Gazetteer> {
        let mut entities = Vec::new();
        let (mut names, mut name_entity) = (Vec::<String>::new(), Vec::<Vec<usize>>::new());
        let mut name_index: HashMap<String, usize> = HashMap::default();
        let (mut acronyms, mut acronym_entity) = (Vec::new(), Vec::new());
        let mut seen = HashMap::default();
        let mut successions = Vec::new();
        for (file, kind) in FILES {
            let tables = EntityTables::load(dicts, file)?;
            for row in tables.rows() {
                let id = row.get("id")?.to_string();
                let index = entities.len();
                if let Some((_, line)) = seen.insert((kind, id.clone()), (index, row.line())) {
                    return Err(row.error(format!("id '{id}' is already used on line {line}")));
                }
                if let Ok(field) = row.get("succeeds") {
                    if let Some((before, year)) = field.split_once(' ') {
                        let year: i32 = year.trim().parse().map_err(|_| {
                            row.error(format!("succeeds '{field}': the year is not a number"))
                        })?;
                        successions.push((
                            index,
                            kind,
                            before.to_string(),
                            year,
                            row.error(format!(
                                "succeeds '{field}': no entry has the id '{before}'"
                            )),
                        ));
                    } else if !field.is_empty() {
                        return Err(row.error(format!(
                            "succeeds '{field}' must be an id and a year: `pgr 2019`"
                        )));
                    }
                }
                entities.push(Entity {
                    kind,
                    id,
                    canonical: row.get("canonical")?.to_string(),
                    succeeds: None,
                });
                for name in aliases(row.get("names")?) {
                    // A short all-capitals name (`US`, `CDMX`, `EE.UU.`) is an
                    // acronym: matched as written, so `us` does not fire.
                    if is_acronym(name) {
                        acronyms.push(name.to_string());
                        acronym_entity.push(index);
                        continue;
                    }
                    let folded = fold(name).text;
                    if folded.chars().count() < 2 {
                        return Err(row.error(format!("name '{name}' is too short to match")));
                    }
                    let slot = *name_index.entry(folded.clone()).or_insert_with(|| {
                        names.push(folded);
                        name_entity.push(Vec::new());
                        names.len() - 1
                    });
                    if !name_entity[slot].contains(&index) {
                        name_entity[slot].push(index);
                    }
                }
                // Places have no acronym column; a missing column is no error there.
                if let Ok(field) = row.get("acronyms") {
                    for acronym in aliases(field) {
                        acronyms.push(acronym.to_string());
                        acronym_entity.push(index);
                    }
                }
            }
        }
        for (index, kind, before, year, missing) in successions {
            let (predecessor, _) = *seen.get(&(kind, before)).ok_or(missing)?;
            entities[index].succeeds = Some((predecessor, year));
        }
        Ok(Gazetteer {
            entities,
            names: Starts::new(&names, "names of institutions, laws and places", true)?,
            name_entity,
            acronyms: Starts::new(&acronyms, "acronyms", false)?,
            acronym_entity,
        })
    }

    /// One of the entities that share a name: the successor of another in
    /// the list when the report is from its year or later, else the
    /// predecessor; otherwise the first listed.
    fn resolve(&self, candidates: &[usize], year: Option<i32>) -> usize {
        for &c in candidates {
            if let Some((before, since)) = self.entities[c].succeeds {
                if candidates.contains(&before) {
                    return if year.is_some_and(|y| y >= since) {
                        c
                    } else {
                        before
                    };
                }
            }
        }
        candidates[0]
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Every listed name in `text[span]`, in order, not overlapping: the
    /// longest wins where a full name and an acronym overlap.
    /// `year` is the report's: a name that a body and its successor share
    /// is the successor's from the year of the change on.
    pub fn find(&self, text: &str, span: Span, year: Option<i32>) -> Vec<NamedMatch> {
        let slice = span.of(text);
        let folded = fold(slice);
        let mut found: Vec<NamedMatch> = Vec::new();
        self.names.each(&folded.text, |m| {
            let (start, end) = folded.source_span(m.start(), m.end());
            found.push(NamedMatch {
                span: Span::new(span.start + start, span.start + end),
                entity: self.resolve(&self.name_entity[m.pattern().as_usize()], year),
            });
        });
        self.acronyms.each(slice, |m| {
            found.push(NamedMatch {
                span: Span::new(span.start + m.start(), span.start + m.end()),
                entity: self.acronym_entity[m.pattern().as_usize()],
            });
        });
        found.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.end.cmp(&a.span.end))
        });
        let mut kept: Vec<NamedMatch> = Vec::with_capacity(found.len());
        for m in found {
            if kept.last().is_none_or(|k| k.span.end <= m.span.start) {
                kept.push(m);
            }
        }
        kept
    }
}

/// Names that more than one entry of the lists bears, each as one line:
/// `institutions.tsv:12: 'Congress' also names us_congress (institutions.tsv:301); cifra takes congress`.
/// A name a body shares with its successor is no clash (the report's year
/// decides). The lists must load (see [`Gazetteer::new`]) for this to run.
pub fn alias_clashes(dicts: &Dictionaries) -> Result<Vec<String>> {
    let gazetteer = Gazetteer::new(dicts)?;
    let mut bearers: HashMap<String, Vec<(usize, &'static str, usize)>> = HashMap::default();
    let mut index = 0;
    for (file, _) in FILES {
        let tables = EntityTables::load(dicts, file)?;
        for row in tables.rows() {
            for name in aliases(row.get("names")?) {
                let key = if is_acronym(name) {
                    name.to_string()
                } else {
                    fold(name).text
                };
                let list = bearers.entry(key).or_default();
                if !list.iter().any(|(i, _, _)| *i == index) {
                    list.push((index, file, row.line()));
                }
            }
            index += 1;
        }
    }
    let entities = gazetteer.entities();
    let mut lines = Vec::new();
    let mut keys: Vec<_> = bearers.iter().filter(|(_, b)| b.len() > 1).collect();
    keys.sort_by_key(|(_, b)| (b[0].1, b[0].2));
    for (name, list) in keys {
        let ids: Vec<usize> = list.iter().map(|(i, _, _)| *i).collect();
        let succession = ids.len() == 2
            && ids.iter().any(|&i| {
                entities[i]
                    .succeeds
                    .is_some_and(|(before, _)| ids.contains(&before))
            });
        if succession {
            continue;
        }
        let (first, file, line) = list[0];
        let others: Vec<String> = list[1..]
            .iter()
            .map(|(i, f, l)| format!("{} ({f}:{l})", entities[*i].id))
            .collect();
        lines.push(format!(
            "{file}:{line}: '{name}' also names {}; cifra takes {}",
            others.join(", "),
            entities[first].id
        ));
    }
    Ok(lines)
}

/// One list of entities: the built-in file and a user's additions, whose
/// entries come after the built-in ones and replace those of the same id.
struct EntityTables {
    base: Table,
    additions: Vec<Table>,
    replaced: HashSet<String>,
}

impl EntityTables {
    fn load(dicts: &Dictionaries, file: &str) -> Result<EntityTables> {
        let additions = dicts.additions(file)?;
        let mut replaced = HashSet::default();
        for table in &additions {
            for row in table.rows() {
                replaced.insert(row.get("id")?.to_string());
            }
        }
        Ok(EntityTables {
            base: dicts.table(file)?,
            additions,
            replaced,
        })
    }

    fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.base
            .rows()
            .filter(|r| r.get("id").is_ok_and(|id| !self.replaced.contains(id)))
            .chain(self.additions.iter().flat_map(|t| t.rows()))
    }
}

/// The aliases of one field: `A | B | C`.
fn aliases(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|a| !a.is_empty())
}

/// Two to five letters, all capitals, with dots or hyphens between.
fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    (2..=5).contains(&letters)
        && name
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, '.' | '-' | '&'))
}

/// A list of names compiled into one automaton, and where in a text one
/// of them can start. A name starts a word, so the automaton is run
/// anchored at the words that begin some name, rather than over every
/// byte: the longest name there is kept if it also ends a word, and the
/// search goes on after it (leftmost-longest on word boundaries).
#[derive(Debug)]
struct Starts {
    automaton: AhoCorasick,
    /// The first word (leading run of letters and digits) of every name,
    /// hashed into a bit set; with `pairs`, only of the one-word names and
    /// those whose first word is followed by a sign.
    lone: WordFilter,
    /// The first words of the other names, and their first two words
    /// (`la ciudad`, `the attorney`), for a text with one space between
    /// words (folded): a common word that begins some name (`la`, `the`)
    /// is passed over when the next word does not go on to one.
    pairs: Option<(WordFilter, WordFilter)>,
    /// The signs that begin a name (`#SeguridadSinGuerra`): a place that
    /// holds one of them after a non-word character is tried too.
    signs: Vec<char>,
    /// The bytes at which a name can begin: the first byte of each ASCII
    /// name and every non-ASCII lead byte. The text is passed over from
    /// one of them to the next: for acronyms, from capital to capital, and
    /// a word that starts with another byte is never tried.
    leads: [bool; 256],
}

impl Starts {
    fn new(names: &[String], what: &str, pairs: bool) -> Result<Starts> {
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(names)
            .map_err(|e| Error::Config(format!("cannot compile the {what}: {e}")))?;
        // Each name's first word, and its first two when it has them.
        let leads: Vec<(&str, Option<&str>)> = names
            .iter()
            .map(|n| {
                let first = word_end(n, 0);
                let second = second_word_end(n, first).filter(|_| pairs);
                (&n[..first], second.map(|end| &n[..end]))
            })
            .collect();
        let mut signs: Vec<char> = names
            .iter()
            .filter_map(|n| n.chars().next())
            .filter(|c| !c.is_alphanumeric())
            .collect();
        signs.sort_unstable();
        signs.dedup();
        let mut ascii_first = AsciiSet::default();
        for n in names {
            if let Some(&b) = n.as_bytes().first() {
                ascii_first.add(b);
            }
        }
        let mut lead_bytes = [false; 256];
        for (b, lead) in lead_bytes.iter_mut().enumerate() {
            let b = b as u8;
            *lead = ascii_first.has(b) || b >= 0xc0;
        }
        Ok(Starts {
            automaton,
            leads: lead_bytes,
            lone: WordFilter::new(leads.iter().filter(|l| l.1.is_none()).map(|l| l.0)),
            pairs: pairs.then(|| {
                let paired = leads.iter().filter(|l| l.1.is_some());
                (
                    WordFilter::new(paired.clone().map(|l| l.0)),
                    WordFilter::new(paired.filter_map(|l| l.1)),
                )
            }),
            signs,
        })
    }

    /// Each name in `text`, in order, not overlapping, on word boundaries:
    /// tried at each word that starts with a lead byte and may begin a
    /// name, and after each sign that begins one.
    fn each(&self, text: &str, mut found: impl FnMut(aho_corasick::Match)) {
        let bytes = text.as_bytes();
        let (mut at, mut resume) = (0, 0);
        while let Some(n) = bytes[at..].iter().position(|&b| self.leads[usize::from(b)]) {
            let start = at + n;
            let b = bytes[start];
            let c = if b.is_ascii() {
                char::from(b)
            } else {
                text[start..]
                    .chars()
                    .next()
                    .expect("a character starts here")
            };
            if !c.is_alphanumeric() {
                at = start + c.len_utf8();
                if start >= resume && self.signs.contains(&c) {
                    self.try_at(text, start, &mut resume, &mut found);
                }
                continue;
            }
            // Inside a word (a capital after a lower-case letter): on.
            let inside = match start.checked_sub(1).map(|p| bytes[p]) {
                None => false,
                Some(p) if p.is_ascii() => ASCII_WORD[usize::from(p)],
                Some(_) => text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric),
            };
            at = word_end(text, start);
            if inside || start < resume {
                continue;
            }
            if self.may_begin(text, start, at) {
                self.try_at(text, start, &mut resume, &mut found);
            }
        }
    }

    /// Whether some name can begin with the word at `start..end`.
    fn may_begin(&self, text: &str, start: usize, end: usize) -> bool {
        let word = &text[start..end];
        self.lone.may_hold(word)
            || self.pairs.as_ref().is_some_and(|(firsts, pairs)| {
                firsts.may_hold(word)
                    && second_word_end(text, end)
                        .is_some_and(|two| pairs.may_hold(&text[start..two]))
            })
    }

    /// The longest name that starts at `start`, if it ends a word.
    fn try_at(
        &self,
        text: &str,
        start: usize,
        resume: &mut usize,
        found: &mut impl FnMut(aho_corasick::Match),
    ) {
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        if let Some(m) = self.automaton.find(input) {
            if on_word_boundaries(text, m.start(), m.end()) {
                *resume = m.end();
                found(m);
            }
        }
    }
}

/// A set of ASCII bytes.
#[derive(Debug, Default)]
struct AsciiSet(u128);

impl AsciiSet {
    fn add(&mut self, b: u8) {
        if b.is_ascii() {
            self.0 |= 1 << b;
        }
    }

    fn has(&self, b: u8) -> bool {
        b.is_ascii() && self.0 & (1 << b) != 0
    }
}

/// ASCII letters and digits, by byte.
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Where the run of letters and digits from `at` in `text` ends.
fn word_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = at;
    while end < bytes.len() && ASCII_WORD[usize::from(bytes[end])] {
        end += 1;
    }
    if end == bytes.len() || bytes[end].is_ascii() {
        return end;
    }
    text[end..]
        .find(|c: char| !c.is_alphanumeric())
        .map_or(text.len(), |n| end + n)
}

/// Where the word after the one ending at `end` ends, when one space
/// separates them (a folded text).
fn second_word_end(text: &str, end: usize) -> Option<usize> {
    text[end..]
        .strip_prefix(' ')
        .filter(|rest| rest.chars().next().is_some_and(char::is_alphanumeric))
        .map(|_| word_end(text, end + 1))
}

/// No letter or digit right before `start` or at `end`.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// A folded copy of a text, and where each of its bytes came from.
struct Folded {
    text: String,
    /// Where the folded text stops following the source byte for byte:
    /// sorted by `folded`, the first at 0. Most of a paragraph is ASCII
    /// copied one byte to one byte, so a mark per byte (as there once was)
    /// cost more than the matching itself.
    marks: Vec<Mark>,
}

/// From `folded` on (to the next mark): with `char_end` 0, each byte comes
/// from the source byte as far past `source`; otherwise every byte comes
/// from the one character at `source..char_end`.
#[derive(Clone, Copy, Debug)]
struct Mark {
    folded: u32,
    source: u32,
    char_end: u32,
}

impl Folded {
    /// The source character behind folded byte `at`: start and end.
    fn origin(&self, at: usize) -> (usize, usize) {
        let k = self.marks.partition_point(|m| m.folded as usize <= at) - 1;
        let m = self.marks[k];
        if m.char_end == 0 {
            let source = m.source as usize + (at - m.folded as usize);
            (source, source + 1)
        } else {
            (m.source as usize, m.char_end as usize)
        }
    }

    fn source_span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.origin(start).0, self.origin(end - 1).1)
    }

    /// Folded byte next comes from ASCII source byte `source`.
    fn ascii_from(&mut self, source: usize) {
        let folded = self.text.len() as u32;
        let follows = self.marks.last().is_some_and(|m| {
            m.char_end == 0 && m.source as usize + (folded - m.folded) as usize == source
        });
        if !follows {
            self.marks.push(Mark {
                folded,
                source: source as u32,
                char_end: 0,
            });
        }
    }

    /// The folded bytes next come from the character at `start..end`.
    fn char_from(&mut self, start: usize, end: usize) {
        self.marks.push(Mark {
            folded: self.text.len() as u32,
            source: start as u32,
            char_end: end as u32,
        });
    }
}

/// What a byte is to the fold: a plain ASCII byte (copied, lower case),
/// the space, or anything else (other white space, a byte of a non-ASCII
/// character), read one at a time.
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const OTHER: u8 = 2;
static ASCII_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if b == b' ' as usize {
            SPACE
        } else if ascii_space(b as u8) {
            OTHER
        } else {
            PLAIN
        };
        b += 1;
    }
    table
};

/// `char::is_whitespace` for an ASCII byte (the vertical tab included).
const fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Lower case, accents off, curly quotes straight, white space runs as one
/// space: the view names are matched in.
/// Offsets are `u32`: a paragraph is far below 4 GB, and reports above
/// 4 MB are read in parts.
fn fold(s: &str) -> Folded {
    let mut folded = Folded {
        text: String::with_capacity(s.len()),
        marks: Vec::new(),
    };
    let bytes = s.as_bytes();
    let mut in_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // A stretch of ASCII letters, digits and signs with single
            // spaces between them folds byte for byte (lower case): one
            // mark, one copy, whole sentences at a time.
            let start = i;
            let mut space = in_space;
            while i < bytes.len() {
                let class = ASCII_CLASS[usize::from(bytes[i])];
                if class == OTHER || class == SPACE && space {
                    break;
                }
                space = class == SPACE;
                i += 1;
            }
            if i > start {
                folded.ascii_from(start);
                let from = folded.text.len();
                folded.text.push_str(&s[start..i]);
                folded.text[from..].make_ascii_lowercase();
                in_space = space;
                continue;
            }
            // White space after white space: dropped; other white space
            // (a tab, a line break) is one space.
            if !in_space && ascii_space(b) {
                folded.ascii_from(i);
                folded.text.push(' ');
                in_space = true;
            }
            if ascii_space(b) {
                i += 1;
                continue;
            }
        }
        let c = s[i..].chars().next().expect("a character starts here");
        let next = i + c.len_utf8();
        if c.is_whitespace() {
            if !in_space {
                folded.char_from(i, next);
                folded.text.push(' ');
            }
            in_space = true;
            i = next;
            continue;
        }
        in_space = false;
        let straight = match c {
            '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2013}' => '-',
            other => other,
        };
        folded.char_from(i, next);
        for lower in straight.to_lowercase() {
            folded
                .text
                .push(crate::extract::tokens::unaccent_char(lower));
        }
        i = next;
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(g: &Gazetteer, text: &str, year: Option<i32>) -> Vec<(String, String)> {
        g.find(text, Span::new(0, text.len()), year)
            .into_iter()
            .map(|m| {
                let e = &g.entities()[m.entity];
                (m.span.of(text).to_string(), e.canonical.clone())
            })
            .collect()
    }

    #[test]
    fn aliases_acronyms_and_successors() {
        let g = Gazetteer::new(&Dictionaries::embedded()).unwrap();
        // Spanish name, English name and acronym meet in one canonical.
        let text = "La Procuraduría General de la República (PGR) y la CNDH";
        let got = found(&g, text, Some(2014));
        assert_eq!(got[0].0, "Procuraduría General de la República");
        assert_eq!(got[1].0, "PGR");
        assert_eq!(got[0].1, got[1].1);
        assert_eq!(got[2].0, "CNDH");
        // Acronyms are case-sensitive: the pronoun `us` is no country.
        assert!(found(&g, "let us go", None).is_empty());
        assert_eq!(found(&g, "the US and Mexico", None).len(), 2);
        // A name shared by a body and its successor follows the report's year.
        let text = "the Attorney General's Office said";
        let before = found(&g, text, Some(2015));
        let after = found(&g, text, Some(2021));
        assert!(before[0].1.contains("PGR"), "{before:?}");
        assert!(after[0].1.contains("FGR"), "{after:?}");
        // Word boundaries: no place inside a longer word.
        assert!(found(&g, "Igualación", None).is_empty());
        // A name inside a longer word (`state of Mexico` in `interstate of
        // Mexico`) hides no name that starts a word within it.
        let got = found(&g, "an interstate of Mexico", None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "Mexico");
        // Names that start with a short common word, after a sign, at the
        // very end, and one name right after another.
        let text = "(la Ciudad de México)";
        assert_eq!(found(&g, text, None)[0].0, "Ciudad de México");
        let got = found(&g, "la campaña #SeguridadSinGuerra y EE.UU.", None);
        let spans: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(spans, ["#SeguridadSinGuerra", "EE.UU."]);
        // Not after a letter: the name without its sign is found instead.
        let got = found(&g, "x#SeguridadSinGuerra", None);
        assert_eq!(got[0].0, "SeguridadSinGuerra");
        let got = found(&g, "Guerrero, Oaxaca", None);
        let spans: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(spans, ["Guerrero", "Oaxaca"]);
    }

    /// The acronyms are found from their lead bytes: at the very places a
    /// word-by-word walk tries, over texts of capitals inside words,
    /// accents, signs and names back to back.
    #[test]
    fn lead_bytes_find_what_a_word_walk_finds() {
        let g = Gazetteer::new(&Dictionaries::embedded()).unwrap();
        let pieces = [
            "PGR",
            "CNDH",
            "EE.UU.",
            "US",
            "SEDENA",
            "xPGR",
            "PGRx",
            "ÉPGR",
            "éCNDH",
            "PGR's",
            "(SRE)",
            "#",
            "UN",
            "ONU",
            "la",
            "Ñ",
            "CNDH-PGR",
            " ",
            "  ",
            ".",
            "\u{a0}",
            "43",
            "a",
            "FGR,",
            "NGO",
            "\n",
            "IACHR",
            "ñUS",
            "México",
            "OEA/CIDH",
            "FGJ-CDMX",
            "ONU-DH",
            "CEDH SLP",
            "U.S.A.",
            "Article 19",
        ];
        let mut state = 7u64;
        for round in 0..400 {
            let mut text = String::new();
            for _ in 0..(round % 13 + 1) {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
                if state & 1 == 0 {
                    text.push(' ');
                }
            }
            // Acronyms over the text, full names over its folded view.
            let folded = fold(&text).text;
            for (starts, text) in [(&g.acronyms, &text), (&g.names, &folded)] {
                let mut from_leads = Vec::new();
                starts.each(text, |m| from_leads.push((m.start(), m.end())));
                assert_eq!(each_by_words(starts, text), from_leads, "{text:?}");
            }
        }
        // And they find something: a name after a sign, not inside a word.
        let mut got = Vec::new();
        g.acronyms
            .each("(SRE) xPGR ÉPGR CNDH", |m| got.push((m.start(), m.end())));
        assert_eq!(got, [(1, 4), (17, 21)]);
    }

    /// Where [`Starts::each`] finds names, walking the text word by word
    /// (as it once did): the reference the lead-byte walk is held to.
    fn each_by_words(starts: &Starts, text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut push = |m: aho_corasick::Match| found.push((m.start(), m.end()));
        let bytes = text.as_bytes();
        let (mut at, mut resume) = (0, 0);
        while at < bytes.len() {
            let start = at;
            let b = bytes[start];
            let c = text[at..].chars().next().expect("a character starts here");
            if !c.is_alphanumeric() {
                at += c.len_utf8();
                if start >= resume && starts.signs.contains(&c) {
                    starts.try_at(text, start, &mut resume, &mut push);
                }
                continue;
            }
            at = word_end(text, start);
            if start < resume || (b.is_ascii() && !starts.leads[usize::from(b)]) {
                continue;
            }
            if starts.may_begin(text, start, at) {
                starts.try_at(text, start, &mut resume, &mut push);
            }
        }
        found
    }

    /// Every folded byte maps back to the character it came from, as a
    /// per-byte table written the plain way says.
    #[test]
    fn folded_marks_agree_with_a_table_per_byte() {
        let cases = [
            "la  Procuraduría\nGeneral",
            "  \u{a0}\t Ñandú ‘CNDH’ – 43\u{2003}x\u{130}y",
            "ÉL Ejército\r\n\r\nde  México\u{2019}s",
            "",
            "ascii only, single spaces",
            "a \n\tb\u{b}c  d e\u{c}\u{c}f\tG \u{a0} H\u{2003}\ni ",
        ];
        for s in cases {
            let mut table = Vec::new();
            let mut text = String::new();
            let mut in_space = false;
            for (i, c) in s.char_indices() {
                let next = i + c.len_utf8();
                if c.is_whitespace() {
                    if !in_space {
                        text.push(' ');
                        table.push((i, next));
                    }
                    in_space = true;
                    continue;
                }
                in_space = false;
                let before = text.len();
                if c.is_ascii() {
                    text.push(c.to_ascii_lowercase());
                } else {
                    let straight = match c {
                        '\u{2018}' | '\u{2019}' => '\'',
                        '\u{2013}' => '-',
                        other => other,
                    };
                    for lower in straight.to_lowercase() {
                        text.push(crate::extract::tokens::unaccent_char(lower));
                    }
                }
                table.extend(std::iter::repeat_n((i, next), text.len() - before));
            }
            let f = fold(s);
            assert_eq!(f.text, text, "{s:?}");
            let got: Vec<_> = (0..text.len()).map(|k| f.origin(k)).collect();
            assert_eq!(got, table, "{s:?}");
        }
    }

    #[test]
    fn folded_offsets_map_back() {
        let s = "la  Procuraduría\nGeneral";
        let f = fold(s);
        assert_eq!(f.text, "la procuraduria general");
        let at = f.text.find("procuraduria general").unwrap();
        let (start, end) = f.source_span(at, f.text.len());
        assert_eq!(&s[start..end], "Procuraduría\nGeneral");
    }
}

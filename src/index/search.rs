//! Searching a cifra index: a query in tantivy's syntax over the paragraph
//! text (English and Spanish fields both queried, each with its own
//! stemmer), filters on entities, places, claim categories, language,
//! published dates and figure values, ranked hits with highlighted snippets,
//! and counts per facet value.

use std::ops::Bound;

use chrono::NaiveDate;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, Order, Searcher, TantivyDocument, Term};

use super::{tantivy_error, CifraIndex, Fields};
use crate::document::fold;
use crate::error::{Error, Result};

/// The entity kinds a paragraph carries facets for.
pub const ENTITY_KINDS: [&str; 4] = ["institution", "legal_instrument", "place", "person"];
/// What `--facets` can count.
pub const FACET_FIELDS: [&str; 8] = [
    "institution",
    "legal_instrument",
    "place",
    "person",
    "category",
    "year",
    "language",
    "publisher",
];

/// What to look for. Every filter narrows the set; all are optional.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// tantivy query syntax: terms, `"phrases"`, `AND`/`OR`/`NOT`, `-term`.
    pub query: Option<String>,
    /// Paragraphs naming an institution, law, place or person whose
    /// canonical name contains this text (case and accents ignored).
    pub entity: Option<String>,
    /// Paragraphs naming any entity of this kind.
    pub kind: Option<String>,
    pub place: Option<String>,
    /// Paragraphs with a claim of this category.
    pub category: Option<String>,
    pub language: Option<String>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Paragraphs with a figure at least / at most this value (with
    /// `category`: a claim of that category with such a value).
    pub min_figure: Option<f64>,
    pub max_figure: Option<f64>,
    pub limit: usize,
    pub offset: usize,
}

/// One matching paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub score: f32,
    pub doc: String,
    pub path: String,
    pub paragraph: u64,
    pub start: u64,
    pub end: u64,
    pub title: Option<String>,
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub language: Option<String>,
    /// A passage of the paragraph around the matched terms.
    pub snippet: String,
    /// Byte ranges of the matched terms inside `snippet`.
    pub highlights: Vec<(usize, usize)>,
    pub mentions: serde_json::Value,
    pub claims: serde_json::Value,
}

/// The hits of one page and how many paragraphs match in all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResult {
    pub total: usize,
    pub hits: Vec<Hit>,
}

impl CifraIndex {
    /// Run `request`; the hits of the page `offset..offset + limit`, best first.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResult> {
        let searcher = self.searcher()?;
        let (query, text_query) = self.build(&searcher, request)?;
        let f = &self.fields;
        // The page and the count in one pass over the matches. Equal
        // scores (every hit of a search without words, the same paragraph
        // in two reports) are ordered by file, then paragraph: a document's
        // address depends on how tantivy happened to split and merge the
        // index, and would give another order, and other pages, each build.
        let ranking = (
            (SortBySimilarityScore, Order::Desc),
            (SortByString::for_field("path_key"), Order::Asc),
            (
                SortByStaticFastValue::<u64>::for_field("paragraph"),
                Order::Asc,
            ),
        );
        let (top, total) = searcher
            .search(
                &query,
                &(
                    TopDocs::with_limit(request.limit.max(1))
                        .and_offset(request.offset)
                        .order_by(ranking),
                    Count,
                ),
            )
            .map_err(tantivy_error)?;
        let snippets = match &text_query {
            Some(q) => Some((
                SnippetGenerator::create(&searcher, q.as_ref(), f.text_en)
                    .map_err(tantivy_error)?,
                SnippetGenerator::create(&searcher, q.as_ref(), f.text_es)
                    .map_err(tantivy_error)?,
            )),
            None => None,
        };
        let mut hits = Vec::new();
        for ((score, _, _), address) in top.into_iter().take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address).map_err(tantivy_error)?;
            let claims = json_of(&doc, f.claims);
            hits.push(self.hit(score, &doc, claims, snippets.as_ref()));
        }
        Ok(SearchResult { total, hits })
    }

    /// Counts per value of `facet` (`place`, `year` …) over the paragraphs
    /// that `request` matches (its limit and offset are ignored), largest first.
    pub fn facet_counts(&self, request: &SearchRequest, facet: &str) -> Result<Vec<(String, u64)>> {
        if !FACET_FIELDS.contains(&facet) {
            return Err(Error::Config(format!(
                "--facets {facet}: choose one of {}",
                FACET_FIELDS.join(", ")
            )));
        }
        let searcher = self.searcher()?;
        let (query, _) = self.build(&searcher, request)?;
        let mut collector = FacetCollector::for_field("facet");
        collector.add_facet(Facet::from_path([facet]));
        let counts = searcher.search(&query, &collector).map_err(tantivy_error)?;
        let mut out: Vec<(String, u64)> = counts
            .get(Facet::from_path([facet]))
            .map(|(f, n)| (last_segment(f), n))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }

    fn searcher(&self) -> Result<Searcher> {
        Ok(self.index.reader().map_err(tantivy_error)?.searcher())
    }

    /// The whole query, and the text part alone (for snippets).
    fn build(&self, searcher: &Searcher, r: &SearchRequest) -> Result<(Box<dyn Query>, TextQuery)> {
        let f = &self.fields;
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let facet = |path: &[&str]| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_facet(f.facet, &Facet::from_path(path)),
                IndexRecordOption::Basic,
            ))
        };
        let text_query = match r.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => Some(self.parse(q)?),
            _ => None,
        };
        // `report` documents have no text: a text query never matches them,
        // and only a query without text needs to leave them out.
        let mut must: Vec<Box<dyn Query>> = match &text_query {
            Some(q) => vec![q.box_clone()],
            None => vec![term(f.record, "paragraph")],
        };
        if let Some(name) = &r.entity {
            must.push(self.named(searcher, &ENTITY_KINDS, name, "--entity")?);
        }
        if let Some(name) = &r.place {
            must.push(self.named(searcher, &["place"], name, "--place")?);
        }
        if let Some(kind) = &r.kind {
            if !ENTITY_KINDS.contains(&kind.as_str()) {
                return Err(Error::Config(format!(
                    "--kind {kind}: choose one of {}",
                    ENTITY_KINDS.join(", ")
                )));
            }
            must.push(facet(&[kind]));
        }
        if let Some(category) = &r.category {
            must.push(facet(&["category", &category.to_lowercase()]));
        }
        if let Some(lang) = &r.language {
            must.push(term(f.language, &lang.to_lowercase()));
        }
        if r.since.is_some() || r.until.is_some() {
            let day = |d: NaiveDate| {
                let t = d
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    .and_utc()
                    .timestamp();
                Term::from_field_date_for_search(f.published, DateTime::from_timestamp_secs(t))
            };
            must.push(Box::new(RangeQuery::new(
                r.since
                    .map_or(Bound::Unbounded, |d| Bound::Included(day(d))),
                r.until
                    .map_or(Bound::Unbounded, |d| Bound::Included(day(d))),
            )));
        }
        let ranged = r.min_figure.is_some() || r.max_figure.is_some();
        if let (true, Some(category)) = (ranged, &r.category) {
            // A claim of the category with a value in the range: one range
            // over the claim codes (values compared as whole numbers).
            let base = super::category_hash(category) << super::CLAIM_VALUE_BITS;
            let code =
                |v: f64| Term::from_field_u64(f.claim_code, base | super::claim_value_bits(v));
            must.push(Box::new(RangeQuery::new(
                Bound::Included(code(r.min_figure.map_or(0.0, f64::ceil))),
                Bound::Included(code(r.max_figure.map_or(f64::INFINITY, f64::floor))),
            )));
        } else if ranged {
            let value = |v: f64| Term::from_field_f64(f.figure, v);
            must.push(Box::new(RangeQuery::new(
                r.min_figure
                    .map_or(Bound::Unbounded, |v| Bound::Included(value(v))),
                r.max_figure
                    .map_or(Bound::Unbounded, |v| Bound::Included(value(v))),
            )));
        }
        let query = BooleanQuery::new(must.into_iter().map(|q| (Occur::Must, q)).collect());
        Ok((Box::new(query), text_query))
    }

    /// The user's query over both text fields, every term required unless
    /// `OR` says otherwise.
    fn parse(&self, q: &str) -> Result<Box<dyn Query>> {
        if let Some(problem) = syntax_problem(q) {
            return Err(Error::Query(problem));
        }
        let mut parser =
            QueryParser::for_index(&self.index, vec![self.fields.text_en, self.fields.text_es]);
        parser.set_conjunction_by_default();
        parser
            .parse_query(q)
            .map_err(|e| Error::Query(format!("cannot read the query `{q}`: {e}")))
    }

    /// Paragraphs naming an entity of `kinds` whose canonical name contains
    /// `name` (folded). Names are looked up among the index's facets.
    fn named(
        &self,
        searcher: &Searcher,
        kinds: &[&str],
        name: &str,
        flag: &str,
    ) -> Result<Box<dyn Query>> {
        let wanted = fold(name);
        // The names are read from the facet terms of each segment (cheap),
        // not counted over every document.
        let mut found = std::collections::BTreeSet::new();
        for kind in kinds {
            let (lo, hi) = (format!("{kind}\0"), format!("{kind}\u{1}"));
            for segment in searcher.segment_readers() {
                let inverted = segment
                    .inverted_index(self.fields.facet)
                    .map_err(tantivy_error)?;
                let mut terms = inverted
                    .terms()
                    .range()
                    .ge(lo.as_bytes())
                    .lt(hi.as_bytes())
                    .into_stream()
                    .map_err(|e| Error::Query(format!("cannot read the index: {e}")))?;
                while terms.advance() {
                    if let Ok(facet) = Facet::from_encoded(terms.key().to_vec()) {
                        if fold(&last_segment(&facet)).contains(&wanted) {
                            found.insert(facet);
                        }
                    }
                }
            }
        }
        let matches: Vec<Box<dyn Query>> = found
            .iter()
            .map(|facet| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_facet(self.fields.facet, facet),
                    IndexRecordOption::Basic,
                ))
            })
            .collect();
        if matches.is_empty() {
            return Err(Error::Query(format!(
                "{flag} {name}: no {} in the index has a name containing it",
                kinds.join(" or ").replace('_', " ")
            )));
        }
        Ok(Box::new(BooleanQuery::new(
            matches.into_iter().map(|q| (Occur::Should, q)).collect(),
        )))
    }

    fn hit(
        &self,
        score: f32,
        doc: &TantivyDocument,
        claims: serde_json::Value,
        snippets: Option<&(SnippetGenerator, SnippetGenerator)>,
    ) -> Hit {
        let f: &Fields = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let spanish = doc.get_first(f.text_es).is_some();
        let body = text(if spanish { f.text_es } else { f.text_en }).unwrap_or_default();
        let (snippet, highlights) = match snippets {
            Some((en, es)) => {
                let s = if spanish { es } else { en }.snippet_from_doc(doc);
                let ranges = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                (s.fragment().to_string(), ranges)
            }
            None => (String::new(), Vec::new()),
        };
        let snippet = if snippet.is_empty() {
            opening(&body, 150)
        } else {
            snippet
        };
        Hit {
            score,
            doc: text(f.doc).unwrap_or_default(),
            path: text(f.path).unwrap_or_default(),
            paragraph: number(f.paragraph),
            start: number(f.start),
            end: number(f.end),
            title: text(f.title),
            published: text(f.published_text),
            publisher: text(f.publisher),
            language: text(f.language),
            snippet,
            highlights,
            mentions: json_of(doc, f.mentions),
            claims,
        }
    }
}

/// The text part of a query, when there is one (snippets are made from it).
type TextQuery = Option<Box<dyn Query>>;

fn json_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> serde_json::Value {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(serde_json::Value::Array(Vec::new()))
}

fn last_segment(f: &Facet) -> String {
    f.to_path().last().copied().unwrap_or_default().to_string()
}

/// The first `chars` characters of a paragraph, cut at a word.
fn opening(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(chars).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

/// Unbalanced quotes and brackets, said with their place, before tantivy's
/// less readable message.
pub fn syntax_problem(q: &str) -> Option<String> {
    let quotes: Vec<usize> = q
        .char_indices()
        .filter(|(_, c)| *c == '"')
        .map(|(i, _)| i)
        .collect();
    if quotes.len() % 2 == 1 {
        let at = quotes[quotes.len() - 1];
        return Some(format!(
            "the quote at character {} of `{q}` is never closed",
            q[..at].chars().count() + 1
        ));
    }
    let mut open: Vec<usize> = Vec::new();
    let mut in_phrase = false;
    for (i, c) in q.char_indices() {
        match c {
            '"' => in_phrase = !in_phrase,
            '(' if !in_phrase => open.push(i),
            ')' if !in_phrase && open.pop().is_none() => {
                return Some(format!(
                    "the `)` at character {} of `{q}` closes nothing",
                    q[..i].chars().count() + 1
                ));
            }
            _ => {}
        }
    }
    open.first().map(|&at| {
        format!(
            "the `(` at character {} of `{q}` is never closed",
            q[..at].chars().count() + 1
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unbalanced_quotes_and_brackets_are_located() {
        assert_eq!(syntax_problem("tortura \"Guardia Nacional\""), None);
        assert_eq!(
            syntax_problem("tortura \"Guardia").unwrap(),
            "the quote at character 9 of `tortura \"Guardia` is never closed"
        );
        assert!(syntax_problem("(a OR b").unwrap().contains("character 1"));
        assert!(syntax_problem("a OR b)").unwrap().contains("character 7"));
        assert_eq!(syntax_problem("\"(a\" b"), None);
    }
}

//! `cifra search [QUERY] --index DIR [filters] [--json] [--facets FIELD]`.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::bail;

use cifra::claims::view;
use cifra::index::search::{Hit, SearchRequest};
use cifra::index::CifraIndex;

#[derive(clap::Args)]
pub struct Args {
    /// What to look for, in tantivy's syntax: words (all required), "a
    /// phrase", OR, NOT or -word, (brackets). Case and accents are ignored
    /// and words are stemmed: `desaparicion` finds `desaparición`,
    /// `killings` finds `killed`. Leave it out to match every paragraph.
    #[arg(value_name = "QUERY")]
    query: Option<String>,
    /// The index folder that `cifra index` wrote.
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Paragraphs naming an institution, law, place or person whose name
    /// contains this text (`CNDH`, `Centro Prodh`).
    #[arg(long)]
    entity: Option<String>,
    /// Paragraphs naming any entity of this kind: institution,
    /// legal_instrument, place or person.
    #[arg(long)]
    kind: Option<String>,
    /// Paragraphs naming a place whose name contains this text.
    #[arg(long)]
    place: Option<String>,
    /// Paragraphs with a claim of this category (killed, disappeared, …).
    #[arg(long)]
    category: Option<String>,
    /// Reports in this language: en or es.
    #[arg(long)]
    language: Option<String>,
    /// Reports published on or after this year, month or day (2015, 2015-06, 2015-06-30).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Reports published on or before this year, month or day.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Paragraphs with a figure of at least this value (with --category: a
    /// claim of that category).
    #[arg(long, value_name = "N")]
    min_figure: Option<f64>,
    /// Paragraphs with a figure of at most this value.
    #[arg(long, value_name = "N")]
    max_figure: Option<f64>,
    /// How many hits to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Skip this many hits first (the next page).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// One JSON object per hit (the default when the output is not a terminal).
    #[arg(long)]
    json: bool,
    /// Instead of hits, count the matching paragraphs per value of this
    /// facet: place, institution, legal_instrument, person, category, year,
    /// language or publisher.
    #[arg(long, value_name = "FIELD")]
    facets: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let date = |v: &Option<String>, flag: &str, end: bool| -> anyhow::Result<_> {
        match v {
            None => Ok(None),
            Some(v) => match view::bound(v, end) {
                Some(d) => Ok(Some(d)),
                None => {
                    bail!("{flag} {v}: write a year, a month or a day: 2015, 2015-06 or 2015-06-30")
                }
            },
        }
    };
    let request = SearchRequest {
        query: args.query.clone(),
        entity: args.entity.clone(),
        kind: args.kind.clone(),
        place: args.place.clone(),
        category: args.category.clone(),
        language: args.language.clone(),
        since: date(&args.since, "--since", false)?,
        until: date(&args.until, "--until", true)?,
        min_figure: args.min_figure,
        max_figure: args.max_figure,
        limit: args.limit,
        offset: args.offset,
    };
    let index = CifraIndex::open(&args.index)?;
    let terminal = io::stdout().is_terminal() && !args.json;
    let mut out = BufWriter::new(io::stdout().lock());
    let written = if let Some(facet) = &args.facets {
        let counts = index.facet_counts(&request, facet)?;
        counts.iter().try_for_each(|(value, n)| {
            if terminal {
                writeln!(out, "{n:>8}  {value}")
            } else {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"facet": facet, "value": value, "count": n})
                )
            }
        })
    } else {
        let result = index.search(&request)?;
        let mut w = || -> io::Result<()> {
            for (n, hit) in result.hits.iter().enumerate() {
                if terminal {
                    show(&mut out, args.offset + n + 1, hit)?;
                } else {
                    writeln!(out, "{}", hit_json(hit))?;
                }
            }
            if terminal {
                writeln!(
                    out,
                    "{} of {} matching paragraphs",
                    result.hits.len(),
                    result.total
                )?;
            }
            Ok(())
        };
        w()
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(e.into()),
    }
}

fn show(out: &mut dyn Write, rank: usize, hit: &Hit) -> io::Result<()> {
    let mut snippet = String::new();
    let mut at = 0;
    for &(s, e) in &hit.highlights {
        snippet.push_str(&hit.snippet[at..s]);
        snippet.push_str("\x1b[1;33m");
        snippet.push_str(&hit.snippet[s..e]);
        snippet.push_str("\x1b[0m");
        at = e;
    }
    snippet.push_str(&hit.snippet[at..]);
    writeln!(
        out,
        "{rank}. {} ¶{} · {} · {}",
        hit.doc,
        hit.paragraph,
        hit.published.as_deref().unwrap_or("undated"),
        hit.publisher.as_deref().unwrap_or("no publisher")
    )?;
    writeln!(
        out,
        "   {}\n",
        snippet.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

fn hit_json(hit: &Hit) -> serde_json::Value {
    serde_json::json!({
        "doc": hit.doc,
        "path": hit.path,
        "paragraph": hit.paragraph,
        "start": hit.start,
        "end": hit.end,
        "score": hit.score,
        "title": hit.title,
        "published": hit.published,
        "publisher": hit.publisher,
        "language": hit.language,
        "snippet": hit.snippet,
        "highlights": hit.highlights,
        "mentions": hit.mentions,
        "claims": hit.claims,
    })
}

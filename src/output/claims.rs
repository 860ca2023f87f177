//! The claim views of `cifra claims` as text: a table for a reader at a
//! terminal, JSON Lines or CSV for tools. Each writer takes the result of
//! one view (a list, [`timeline`](crate::claims::compare::timeline),
//! [`conflicts`](crate::claims::compare::conflicts),
//! [`diff`](crate::claims::compare::diff)).

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::claims::compare::{Change, Conflict, Diff, TimelineGroup};
use crate::claims::view::{ClaimRecord, Period};

/// How a view is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewFormat {
    /// Aligned columns with a short quote, for reading.
    Table,
    /// One JSON object per line.
    Jsonl,
    /// A header, then one row per claim.
    Csv,
}

/// CSV columns of a claim (a view may put its own columns first).
pub const CLAIM_COLUMNS: [&str; 23] = [
    "doc",
    "published",
    "publisher",
    "id",
    "value",
    "value_max",
    "approx",
    "unit",
    "currency",
    "subject",
    "category",
    "event",
    "date",
    "place",
    "actor",
    "attribution",
    "paragraph",
    "start",
    "end",
    "figure",
    "restates",
    "entities",
    "sentence",
];

fn claim_cells(c: &ClaimRecord) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let n = |v: f64| match crate::output::jsonl::number(v) {
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    vec![
        c.doc.clone(),
        o(&c.published),
        o(&c.publisher),
        c.id.clone(),
        n(c.value),
        c.value_max.map(n).unwrap_or_default(),
        c.approx.clone(),
        c.unit.clone(),
        o(&c.currency),
        o(&c.subject),
        o(&c.category),
        o(&c.event),
        o(&c.date),
        o(&c.place),
        o(&c.actor),
        o(&c.attribution),
        c.paragraph.to_string(),
        c.start.to_string(),
        c.end.to_string(),
        c.figure.clone(),
        o(&c.restates),
        c.entities.join("; "),
        c.sentence.clone(),
    ]
}

fn csv_writer<W: Write>(out: W, lead: &[&str]) -> io::Result<csv::Writer<W>> {
    let mut w = csv::Writer::from_writer(out);
    let header: Vec<&str> = lead.iter().chain(CLAIM_COLUMNS.iter()).copied().collect();
    w.write_record(&header).map_err(io::Error::other)?;
    Ok(w)
}

fn csv_row<W: Write>(w: &mut csv::Writer<W>, lead: &[String], c: &ClaimRecord) -> io::Result<()> {
    let row: Vec<String> = lead.iter().cloned().chain(claim_cells(c)).collect();
    w.write_record(&row).map_err(io::Error::other)
}

fn json_line(out: &mut dyn Write, v: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, v).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

fn claim_json(c: &ClaimRecord) -> Value {
    serde_json::to_value(c).unwrap_or(Value::Null)
}

/// A claim as one table line: value, what, when, where, source, report
/// and paragraph, and a quote around the figure.
fn table_line(c: &ClaimRecord) -> String {
    let what = c
        .category
        .as_deref()
        .map(|cat| format!("{cat}: {}", c.subject.as_deref().unwrap_or("?")))
        .unwrap_or_else(|| c.subject.clone().unwrap_or_default());
    let source = c.attribution.as_deref().unwrap_or("");
    format!(
        "{:<16} {:<28} {:<12} {:<18} {:<26} {} ¶{}  {}",
        clip(&c.value_text(), 16),
        clip(&what, 28),
        clip(c.shown_date(), 12),
        clip(c.place.as_deref().unwrap_or(""), 18),
        clip(source, 26),
        c.doc,
        c.paragraph,
        quote(c, 90)
    )
}

const TABLE_HEADER: &str =
    "value            what                         date         place              according to               report ¶  quote";

/// `s` cut to `width` characters, `…` marking a cut.
fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// About `width` characters of the sentence around the figure.
pub fn quote(c: &ClaimRecord, width: usize) -> String {
    let chars: Vec<char> = c.sentence.chars().collect();
    if chars.len() <= width {
        return format!("\"{}\"", c.sentence);
    }
    let at = c
        .sentence
        .find(&c.figure)
        .map(|b| c.sentence[..b].chars().count())
        .unwrap_or(0);
    let from = at.saturating_sub(width / 3).min(chars.len() - width);
    let text: String = chars[from..from + width].iter().collect();
    let head = if from > 0 { "…" } else { "" };
    let tail = if from + width < chars.len() {
        "…"
    } else {
        ""
    };
    format!("\"{head}{}{tail}\"", text.trim())
}

fn period_text(p: &Period) -> String {
    let day = |d: Option<chrono::NaiveDate>| d.map_or("..".to_string(), |d| d.to_string());
    if p.start == p.end {
        day(p.start)
    } else {
        format!("{}/{}", day(p.start), day(p.end))
    }
}

/// The claims that passed the filters.
pub fn write_list(
    out: &mut dyn Write,
    claims: &[ClaimRecord],
    format: ViewFormat,
) -> io::Result<()> {
    let mut list = ListWriter::new(out, format)?;
    claims.iter().try_for_each(|c| list.push(c))?;
    list.finish()
}

/// A list of claims written as they come, so that a list of any length
/// needs the memory of one claim: the header first, then a line or row per
/// [`push`](ListWriter::push), and the table's count at [`finish`](ListWriter::finish).
pub struct ListWriter<'a> {
    sink: ListSink<'a>,
    count: usize,
}

enum ListSink<'a> {
    Table(&'a mut dyn Write),
    Jsonl(&'a mut dyn Write),
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
}

impl<'a> ListWriter<'a> {
    pub fn new(out: &'a mut dyn Write, format: ViewFormat) -> io::Result<ListWriter<'a>> {
        let sink = match format {
            ViewFormat::Table => {
                writeln!(out, "{TABLE_HEADER}")?;
                ListSink::Table(out)
            }
            ViewFormat::Jsonl => ListSink::Jsonl(out),
            ViewFormat::Csv => ListSink::Csv(Box::new(csv_writer(out, &[])?)),
        };
        Ok(ListWriter { sink, count: 0 })
    }

    pub fn push(&mut self, c: &ClaimRecord) -> io::Result<()> {
        self.count += 1;
        match &mut self.sink {
            ListSink::Table(out) => writeln!(out, "{}", table_line(c)),
            ListSink::Jsonl(out) => json_line(*out, &claim_json(c)),
            ListSink::Csv(w) => csv_row(w, &[], c),
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self.sink {
            ListSink::Table(out) => writeln!(out, "{} claims", self.count),
            ListSink::Jsonl(out) => out.flush(),
            ListSink::Csv(mut w) => w.flush(),
        }
    }
}

/// Per (category, place), the figures in date order.
pub fn write_timeline(
    out: &mut dyn Write,
    groups: &[TimelineGroup],
    format: ViewFormat,
) -> io::Result<()> {
    let name = |v: &Option<String>, none: &str| v.clone().unwrap_or_else(|| none.to_string());
    match format {
        ViewFormat::Table => {
            for g in groups {
                writeln!(
                    out,
                    "\n{} · {} ({} claims)",
                    name(&g.category, "no category"),
                    name(&g.place, "no place"),
                    g.claims.len()
                )?;
                for c in &g.claims {
                    let dated_by_report = c.date.is_none() && c.published.is_some();
                    writeln!(
                        out,
                        "  {:<14} {:<16} {:<26} {} ¶{}  {}",
                        format!(
                            "{}{}",
                            c.shown_date(),
                            if dated_by_report { "*" } else { "" }
                        ),
                        clip(&c.value_text(), 16),
                        clip(c.attribution.as_deref().unwrap_or(""), 26),
                        c.doc,
                        c.paragraph,
                        quote(c, 80)
                    )?;
                }
            }
            writeln!(out, "\n* the report's date: the sentence gives none")
        }
        ViewFormat::Jsonl => {
            for g in groups {
                for c in &g.claims {
                    let mut v = claim_json(c);
                    v["group_category"] = json!(g.category);
                    v["group_place"] = json!(g.place);
                    json_line(out, &v)?;
                }
            }
            Ok(())
        }
        ViewFormat::Csv => {
            let mut w = csv_writer(out, &["group_category", "group_place"])?;
            for g in groups {
                let lead = [name(&g.category, ""), name(&g.place, "")];
                g.claims
                    .iter()
                    .try_for_each(|c| csv_row(&mut w, &lead, c))?;
            }
            w.flush()
        }
    }
}

/// Groups of claims that cannot all be true, each side cited.
pub fn write_conflicts(
    out: &mut dyn Write,
    conflicts: &[Conflict],
    format: ViewFormat,
) -> io::Result<()> {
    match format {
        ViewFormat::Table => {
            for (n, k) in conflicts.iter().enumerate() {
                writeln!(
                    out,
                    "\nconflict {}: {} · {} · {} ({})",
                    n + 1,
                    k.category,
                    k.place,
                    period_text(&k.period),
                    k.unit
                )?;
                for c in &k.claims {
                    writeln!(
                        out,
                        "  {:<16} {:<12} {:<26} {} ¶{}  {}",
                        clip(&c.value_text(), 16),
                        clip(c.shown_date(), 12),
                        clip(c.attribution.as_deref().unwrap_or(""), 26),
                        c.doc,
                        c.paragraph,
                        quote(c, 80)
                    )?;
                }
            }
            writeln!(out, "\n{} conflicts", conflicts.len())
        }
        ViewFormat::Jsonl => conflicts.iter().enumerate().try_for_each(|(n, k)| {
            let v = json!({
                "conflict": n + 1,
                "category": k.category,
                "place": k.place,
                "unit": k.unit,
                "period": period_text(&k.period),
                "claims": k.claims.iter().map(claim_json).collect::<Vec<_>>(),
            });
            json_line(out, &v)
        }),
        ViewFormat::Csv => {
            let mut w = csv_writer(out, &["conflict", "period"])?;
            for (n, k) in conflicts.iter().enumerate() {
                let lead = [(n + 1).to_string(), period_text(&k.period)];
                k.claims
                    .iter()
                    .try_for_each(|c| csv_row(&mut w, &lead, c))?;
            }
            w.flush()
        }
    }
}

/// Claims added, removed and changed between two runs.
pub fn write_diff(out: &mut dyn Write, diff: &Diff, format: ViewFormat) -> io::Result<()> {
    let (added, removed, changed) = diff.counts();
    match format {
        ViewFormat::Table => {
            for change in &diff.changes {
                match change {
                    Change::Added(c) => writeln!(out, "+ {}", table_line(c))?,
                    Change::Removed(c) => writeln!(out, "- {}", table_line(c))?,
                    Change::Changed { old, new, fields } => {
                        writeln!(out, "~ {}", table_line(new))?;
                        for f in fields {
                            writeln!(
                                out,
                                "    {f}: {} → {}",
                                field_text(old, f),
                                field_text(new, f)
                            )?;
                        }
                    }
                }
            }
            writeln!(
                out,
                "{added} added, {removed} removed, {changed} changed, {} unchanged",
                diff.unchanged
            )
        }
        ViewFormat::Jsonl => {
            for change in &diff.changes {
                let v = match change {
                    Change::Added(c) => json!({"change": "added", "claim": claim_json(c)}),
                    Change::Removed(c) => json!({"change": "removed", "claim": claim_json(c)}),
                    Change::Changed { old, new, fields } => json!({
                        "change": "changed",
                        "fields": fields,
                        "old": claim_json(old),
                        "claim": claim_json(new),
                    }),
                };
                json_line(out, &v)?;
            }
            Ok(())
        }
        ViewFormat::Csv => {
            let mut w = csv_writer(out, &["change", "fields"])?;
            for change in &diff.changes {
                let (kind, fields, c) = match change {
                    Change::Added(c) => ("added", String::new(), c),
                    Change::Removed(c) => ("removed", String::new(), c),
                    Change::Changed { new, fields, .. } => ("changed", fields.join(" "), &**new),
                };
                csv_row(&mut w, &[kind.to_string(), fields], c)?;
            }
            w.flush()
        }
    }
}

/// One compared field of a claim as text, `-` when absent.
fn field_text(c: &ClaimRecord, field: &str) -> String {
    let v = claim_json(c);
    match v.get(field) {
        None | Some(Value::Null) => "-".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

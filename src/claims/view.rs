//! Claims read back from extraction output, for the questions an analyst
//! asks of a whole archive: which claims match (a [`Filter`]), how a figure
//! moved over time, where sources disagree, what changed between two runs
//! (see [`super::compare`]).
//!
//! The input is the JSON Lines that `cifra extract` writes, read one record
//! at a time ([`each_claim`]): a list of claims streams through in constant
//! memory, and the views that compare claims keep only the claims that pass
//! the filters, without their reports' paragraphs.

use std::io::BufRead;

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::document::fold;
use crate::error::{Error, Result};

/// One claim with the report it comes from: the claim's fields as
/// `extract` writes them, plus the report's name, date and publisher, and
/// the canonical names mentioned in the claim's sentence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimRecord {
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    pub id: String,
    #[serde(serialize_with = "whole")]
    pub value: f64,
    #[serde(default, serialize_with = "whole_opt")]
    pub value_max: Option<f64>,
    pub approx: String,
    pub unit: String,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub event: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub attribution: Option<String>,
    pub paragraph: usize,
    pub sentence: String,
    pub start: usize,
    pub end: usize,
    pub figure: String,
    #[serde(default)]
    pub figure_start: usize,
    #[serde(default)]
    pub figure_end: usize,
    #[serde(default)]
    pub restates: Option<String>,
    /// Canonical names of the institutions, laws, places and people in the
    /// claim's sentence.
    #[serde(default)]
    pub entities: Vec<String>,
}

/// Whole numbers written as JSON integers, as `extract` writes them.
fn whole<S: serde::Serializer>(v: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    crate::output::jsonl::number(*v).serialize(s)
}

fn whole_opt<S: serde::Serializer>(v: &Option<f64>, s: S) -> std::result::Result<S::Ok, S::Error> {
    v.map(crate::output::jsonl::number).serialize(s)
}

/// The part of a report record that the claim views read.
#[derive(Deserialize)]
struct ReportRecord {
    doc: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    mentions: Vec<NamedRecord>,
    claims: Option<Vec<ClaimRecord>>,
}

#[derive(Deserialize)]
struct NamedRecord {
    kind: String,
    start: usize,
    #[serde(default)]
    canonical: Option<String>,
}

/// Give `each` the claims of every report record in `reader`, in file
/// order, one record read at a time: memory holds one record, whatever the
/// size of the archive. Reading stops early when `each` says `false`.
/// `source` names the input in errors.
pub fn each_claim(
    reader: impl BufRead,
    source: &str,
    each: &mut dyn FnMut(ClaimRecord) -> bool,
) -> Result<()> {
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::io(format!("cannot read {source}"), e))?;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |what: String| Error::Input {
            input: source.to_string(),
            line: n + 1,
            message: what,
        };
        if !line.trim_start().starts_with('{') {
            return Err(bad(
                "not a JSON record; give the JSON Lines that `cifra extract` writes (not its CSV)"
                    .into(),
            ));
        }
        let report: ReportRecord =
            serde_json::from_str(&line).map_err(|e| bad(format!("not a cifra record: {e}")))?;
        let Some(claims) = report.claims else {
            return Err(bad(
                "this record has no `claims`: was it written by `cifra extract`?".into(),
            ));
        };
        for mut claim in claims {
            claim.doc = report.doc.clone();
            claim.path = report.path.clone();
            claim.title = report.title.clone();
            claim.publisher = report.publisher.clone();
            claim.published = report.published.clone();
            let mut entities: Vec<String> = report
                .mentions
                .iter()
                .filter(|m| m.kind != "figure" && m.kind != "date")
                .filter(|m| (claim.start..claim.end).contains(&m.start))
                .filter_map(|m| m.canonical.clone())
                .collect();
            entities.sort();
            entities.dedup();
            claim.entities = entities;
            if !each(claim) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// A span of days, both ends included; either end may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Written as an interval (`2006/2012`, `since 2006`): a figure over
    /// the whole span, such as a total, rather than a fact at one time
    /// known to a day, week, month or year.
    pub interval: bool,
}

impl Period {
    /// The days an ISO value covers: `2014` (the year), `2014-06` (the
    /// month), `2014-06-30`, `2014-W08` (the ISO week), and intervals of
    /// these (`2006-12/2011`, `2006-12/..`, `../1995`). `None` when the
    /// value is none of these.
    pub fn parse(value: &str) -> Option<Period> {
        if let Some((a, b)) = value.split_once('/') {
            let start = match a {
                ".." => None,
                _ => Some(point(a)?.0),
            };
            let end = match b {
                ".." => None,
                _ => Some(point(b)?.1),
            };
            return Some(Period {
                start,
                end,
                interval: true,
            });
        }
        let (start, end) = point(value)?;
        Some(Period {
            start: Some(start),
            end: Some(end),
            interval: false,
        })
    }

    /// Whether the two share a day.
    pub fn overlaps(&self, other: &Period) -> bool {
        let before = |end: Option<NaiveDate>, start: Option<NaiveDate>| matches!((end, start), (Some(e), Some(s)) if e < s);
        !before(self.end, other.start) && !before(other.end, self.start)
    }

    /// Whether two claims' dates are the same period: two single dates
    /// that share a day (`June 2014` and `30 June 2014`), or the same
    /// interval (`2006/2012` twice). A total over an interval and a fact at
    /// one date inside it are not the same period.
    pub fn same_as(&self, other: &Period) -> bool {
        match (self.interval, other.interval) {
            (false, false) => self.overlaps(other),
            (true, true) => self.start == other.start && self.end == other.end,
            _ => false,
        }
    }

    /// An open end closed at `day` (a report's date: `since 2006` in a
    /// report of 2011 covers 2006 to 2011).
    pub fn closed_at(mut self, day: Option<NaiveDate>) -> Period {
        if self.end.is_none() {
            self.end = day;
        }
        self
    }
}

/// The first and last day of one ISO point.
fn point(value: &str) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = value.split('-').collect();
    let year: i32 = parts.first().filter(|y| y.len() == 4)?.parse().ok()?;
    match parts[1..] {
        [] => Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        )),
        [w] if w.starts_with('W') => {
            let week: u32 = w[1..].parse().ok()?;
            let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
            Some((monday, monday + chrono::Duration::days(6)))
        }
        [m] => {
            let first = NaiveDate::from_ymd_opt(year, m.parse().ok()?, 1)?;
            let next = first.checked_add_months(chrono::Months::new(1))?;
            Some((first, next.pred_opt()?))
        }
        [m, d] => {
            let day = NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)?;
            Some((day, day))
        }
        _ => None,
    }
}

/// The day a date bound given on the command line stands for: `2014`,
/// `2014-06` or `2014-06-30`; `end` picks the last day of a year or month.
pub fn bound(value: &str, end: bool) -> Option<NaiveDate> {
    let (first, last) = point(value)?;
    Some(if end { last } else { first })
}

impl ClaimRecord {
    /// When the claim happened: its own date, else (with `dated_by_report`
    /// true) its report's publication date.
    pub fn when(&self) -> Option<(Period, bool)> {
        let report_day = self
            .published
            .as_deref()
            .and_then(|p| point(p).map(|d| d.1));
        if let Some(period) = self.date.as_deref().and_then(Period::parse) {
            return Some((period.closed_at(report_day), false));
        }
        let published = Period::parse(self.published.as_deref()?)?;
        Some((published, true))
    }

    /// The date to sort and show: the claim's own, else the report's.
    pub fn shown_date(&self) -> &str {
        self.date
            .as_deref()
            .or(self.published.as_deref())
            .unwrap_or("")
    }

    /// The range of true values the claim's wording allows: `22` is 22;
    /// `more than 26,000` is 26,000 and up; `about 200` is 180 to 220;
    /// `up to 50` is 0 to 50; `hundreds` is 100 to 999; `40 to 60` is 40 to 60.
    pub fn value_range(&self) -> (f64, f64) {
        let v = self.value;
        match self.approx.as_str() {
            "more_than" => (v, f64::INFINITY),
            "less_than" => (0.0, v),
            "about" => (v * (1.0 - ABOUT), v * (1.0 + ABOUT)),
            "range" => (v, self.value_max.unwrap_or(v)),
            "vague" => (v, v * 10.0 - 1.0),
            _ => (v, v),
        }
    }

    /// The value as the text gives it, for tables: `more than 26,000`.
    pub fn value_text(&self) -> String {
        let n = |v: f64| group_thousands(v);
        let amount = match self.approx.as_str() {
            "more_than" => format!("> {}", n(self.value)),
            "less_than" => format!("≤ {}", n(self.value)),
            "about" => format!("~{}", n(self.value)),
            "range" => format!(
                "{}–{}",
                n(self.value),
                n(self.value_max.unwrap_or(self.value))
            ),
            "vague" => format!("{}+ (vague)", n(self.value)),
            _ => n(self.value),
        };
        match (self.unit.as_str(), self.currency.as_deref()) {
            ("percent", _) => format!("{amount}%"),
            ("money", Some(c)) => format!("{amount} {c}"),
            _ => amount,
        }
    }
}

/// How far `about` reaches either side of its value: `about 200` allows
/// 180 to 220.
pub const ABOUT: f64 = 0.10;

fn group_thousands(v: f64) -> String {
    if v.fract() != 0.0 || v.abs() >= 1e15 {
        return format!("{v}");
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// Which claims to keep. Text criteria match folded (case and accents
/// ignored) and as substrings: `--place guerrero` keeps `Guerrero`;
/// `--entity CNDH` keeps claims whose sentence, actor or source names the
/// CNDH.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub category: Option<String>,
    pub event: Option<String>,
    pub subject: Option<String>,
    pub place: Option<String>,
    pub entity: Option<String>,
    pub doc: Option<String>,
    pub attribution: Option<String>,
    /// First and last day: a claim is kept when its date (else its
    /// report's) shares a day with them.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Filter {
    pub fn matches(&self, c: &ClaimRecord) -> bool {
        let has = |field: Option<&str>, wanted: &Option<String>| match wanted {
            None => true,
            Some(w) => field.is_some_and(|f| fold(f).contains(&fold(w))),
        };
        let exact = |field: Option<&str>, wanted: &Option<String>| match wanted {
            None => true,
            Some(w) => field.is_some_and(|f| fold(f) == fold(w)),
        };
        let entity = match &self.entity {
            None => true,
            Some(w) => {
                let w = fold(w);
                c.entities
                    .iter()
                    .map(String::as_str)
                    .chain(c.actor.as_deref())
                    .chain(c.attribution.as_deref())
                    .chain(c.place.as_deref())
                    .any(|e| fold(e).contains(&w))
            }
        };
        let dated = match (self.since, self.until) {
            (None, None) => true,
            (since, until) => c.when().is_some_and(|(p, _)| {
                p.overlaps(&Period {
                    start: since,
                    end: until,
                    interval: true,
                })
            }),
        };
        exact(c.category.as_deref(), &self.category)
            && exact(c.event.as_deref(), &self.event)
            && has(c.subject.as_deref(), &self.subject)
            && has(c.place.as_deref(), &self.place)
            && has(Some(&c.doc), &self.doc)
            && has(c.attribution.as_deref(), &self.attribution)
            && entity
            && dated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_of_iso_values() {
        let p = Period::parse("2014-06").unwrap();
        assert_eq!(
            (p.start, p.end),
            (Some(day("2014-06-01")), Some(day("2014-06-30")))
        );
        let w = Period::parse("2014-W08").unwrap();
        assert_eq!(
            (w.start, w.end),
            (Some(day("2014-02-17")), Some(day("2014-02-23")))
        );
        let open = Period::parse("2006-12/..").unwrap();
        assert_eq!((open.start, open.end), (Some(day("2006-12-01")), None));
        let to = Period::parse("../1995").unwrap();
        assert_eq!((to.start, to.end), (None, Some(day("1995-12-31"))));
        assert!(Period::parse("soon").is_none());
        assert!(Period::parse("2014-13").is_none());
        assert!(p.overlaps(&Period::parse("2014").unwrap()));
        assert!(!p.overlaps(&Period::parse("2014-07-01").unwrap()));
        assert!(open.overlaps(&Period::parse("2020").unwrap()));
        assert!(!open
            .closed_at(Some(day("2011-11-09")))
            .overlaps(&Period::parse("2020").unwrap()));
    }

    #[test]
    fn value_ranges_follow_the_approximator() {
        let claim = |value: f64, approx: &str| ClaimRecord {
            value,
            approx: approx.into(),
            unit: "count".into(),
            ..Default::default()
        };
        assert_eq!(claim(22.0, "exact").value_range(), (22.0, 22.0));
        assert_eq!(claim(26000.0, "more_than").value_range().0, 26000.0);
        let about = claim(200.0, "about").value_range();
        assert!((about.0 - 180.0).abs() < 1e-9 && (about.1 - 220.0).abs() < 1e-9);
        assert_eq!(claim(100.0, "vague").value_range(), (100.0, 999.0));
        assert_eq!(claim(26000.0, "more_than").value_text(), "> 26,000");
    }
}

//! Dates in the common English and Spanish forms (`12 Sep 2017`,
//! `Sept. 30, 2014`, `26 de septiembre de 2014`, `June 2014`, `FY2017`,
//! `mid-2015`, `the 1990s`, `2014`), intervals (`between 2007 and 2011`,
//! `from January to August 2022`, `since 2006`), and relative dates
//! (`Wednesday`, `last year`, `el año pasado`) resolved against the
//! document's own date. Values are ISO 8601 at the precision stated.

use rustc_hash::FxHashMap as HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use regex::{Regex, RegexSet};

use crate::dictionaries::Dictionaries;
use crate::document::Span;
use crate::error::{Error, Result};
use crate::extract::tokens::{lower_unaccented as fold, unaccent};

/// The document's own date, at whatever precision it is known.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Anchor {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl Anchor {
    /// From an ISO value such as `2014-11-07`, `2014-11` or `2014`.
    pub fn parse(iso: Option<&str>) -> Anchor {
        let mut parts = iso.unwrap_or("").split('-').map(|p| p.parse::<u32>().ok());
        let year = parts.next().flatten().map(|y| y as i32);
        let month = parts.next().flatten();
        let day = parts.next().flatten();
        Anchor { year, month, day }
    }

    fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }
}

/// A calendar point before resolution.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Point {
    /// Year, month, day as written; a missing year is taken from the anchor.
    Calendar {
        year: Option<i32>,
        month: Option<u32>,
        day: Option<u32>,
    },
    /// An explicit interval of years (`the 1990s`, `2012-2016`).
    Years(i32, i32),
    /// The latest such weekday (1 = Monday) on or before the anchor;
    /// strictly before it when `true` (`last Wednesday`).
    Weekday(u32, bool),
    /// The `n` units up to the anchor (`the past six years`).
    PastSpan(RelUnit, i32),
    /// Two days of one month (`26 and 27 September 2014`, `entre el 26 y
    /// el 27 de septiembre`); a missing year as for a single date.
    DayRange {
        year: Option<i32>,
        month: u32,
        from: u32,
        to: u32,
    },
    /// `offset` units from the anchor.
    Relative(RelUnit, i32),
    /// A month relative to the anchor year (`last December`: -1 unless earlier in the year).
    LastMonth(u32),
    /// A month in a year relative to the anchor (`August of last year`).
    MonthOfYear(u32, i32),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum RelUnit {
    Day,
    Week,
    Month,
    Year,
}

impl Point {
    fn has_year(&self) -> bool {
        !matches!(self, Point::Calendar { year: None, .. })
    }

    /// The ISO value of this point against `anchor`, `None` when it
    /// cannot be resolved or falls outside the years 0000–9999 that the
    /// value writes with four digits: `last year` in a document dated year
    /// 0, `the past 900 decades` (found by fuzzing: `-001`, `-6986/2014`).
    fn resolve(&self, anchor: &Anchor) -> Option<String> {
        self.resolve_any_year(anchor)
            .filter(|value| value.split('/').all(has_four_digit_year))
    }

    fn resolve_any_year(&self, anchor: &Anchor) -> Option<String> {
        match *self {
            Point::Calendar { year, month, day } => {
                let year = match year {
                    Some(y) => y,
                    None => most_recent_year(anchor, month, day)?,
                };
                match (month, day) {
                    (Some(m), Some(d)) => NaiveDate::from_ymd_opt(year, m, d)
                        .map(|_| format!("{year:04}-{m:02}-{d:02}")),
                    (Some(m), None) => Some(format!("{year:04}-{m:02}")),
                    _ => Some(format!("{year:04}")),
                }
            }
            Point::Years(a, b) => Some(format!("{a:04}/{b:04}")),
            Point::PastSpan(unit, n) => past_span(anchor, unit, n),
            Point::DayRange {
                year,
                month,
                from,
                to,
            } => {
                let year = Some(match year {
                    Some(y) => y,
                    None => most_recent_year(anchor, Some(month), Some(to))?,
                });
                let day = |d| Point::Calendar {
                    year,
                    month: Some(month),
                    day: Some(d),
                };
                Some(format!(
                    "{}/{}",
                    day(from).resolve(anchor)?,
                    day(to).resolve(anchor)?
                ))
            }
            Point::Weekday(w, strict) => {
                let date = anchor.date()?;
                let mut back = (date.weekday().number_from_monday() + 7 - w) % 7;
                if strict && back == 0 {
                    back = 7;
                }
                Some(iso_day(date - Duration::days(back as i64)))
            }
            Point::Relative(unit, offset) => match unit {
                RelUnit::Day => anchor
                    .date()
                    .map(|d| iso_day(d + Duration::days(offset as i64))),
                RelUnit::Week => anchor.date().map(|d| {
                    let w = (d + Duration::weeks(offset as i64)).iso_week();
                    format!("{:04}-W{:02}", w.year(), w.week())
                }),
                RelUnit::Month => {
                    let months = anchor.year? * 12 + anchor.month? as i32 - 1 + offset;
                    Some(format!(
                        "{:04}-{:02}",
                        months.div_euclid(12),
                        months.rem_euclid(12) + 1
                    ))
                }
                RelUnit::Year => Some(format!("{:04}", anchor.year? + offset)),
            },
            Point::LastMonth(m) => {
                let year = anchor.year?;
                let year = if anchor.month.is_some_and(|am| m < am) {
                    year
                } else {
                    year - 1
                };
                Some(format!("{year:04}-{m:02}"))
            }
            Point::MonthOfYear(m, offset) => Some(format!("{:04}-{m:02}", anchor.year? + offset)),
        }
    }
}

/// `2014`, `2014-09`, `2014-09-26`, `2014-W38`: four digits, then nothing
/// or a `-` (not `-001`, nor `10000`).
fn has_four_digit_year(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() >= 4
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes.get(4).is_none_or(|&b| b == b'-')
}

/// The year of the most recent `month` (and `day`) not after the anchor:
/// `December` in a text of November 2019 is December 2018. `None` when the
/// anchor gives no month to compare with.
fn most_recent_year(anchor: &Anchor, month: Option<u32>, day: Option<u32>) -> Option<i32> {
    let year = anchor.year?;
    let Some(month) = month else {
        return Some(year);
    };
    let anchor_month = anchor.month?;
    let later = month > anchor_month
        || (month == anchor_month && day.zip(anchor.day).is_some_and(|(d, ad)| d > ad));
    Some(if later { year - 1 } else { year })
}

/// `n` units back from the anchor to the anchor, as an ISO interval at the
/// unit's precision: `the past six years` in 2019 → `2013/2019`.
fn past_span(anchor: &Anchor, unit: RelUnit, n: i32) -> Option<String> {
    let now = Point::Relative(unit, 0).resolve(anchor)?;
    let then = Point::Relative(unit, -n).resolve(anchor)?;
    Some(format!("{then}/{now}"))
}

fn iso_day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Pattern {
    Iso,
    Slash,
    DayMonthYear,
    MonthDayYear,
    MonthYear,
    MonthDay,
    DayMonth,
    Fiscal,
    Decade,
    PartOfYear,
    PartOfMonth,
    YearRange,
    Year,
    Month,
    Weekday,
    Relative,
    PastSpan,
    DayRange,
    LastMonth,
    LastDayMonth,
    MonthOfRelativeYear,
}

/// A date found in text, before intervals are assembled.
#[derive(Clone, Debug, PartialEq)]
pub struct DateMatch {
    pub span: Span,
    /// The ISO value, `None` when a relative date cannot be resolved.
    pub value: Option<String>,
}

/// The compiled date grammar.
#[derive(Debug)]
pub struct DateGrammar {
    patterns: Vec<(Pattern, Regex, Groups)>,
    /// All the patterns at once: one pass over a paragraph says which of
    /// them match at all, and only those are run for their captures.
    any: RegexSet,
    months: HashMap<String, u32>,
    weekdays: HashMap<String, u32>,
    /// Each form the patterns spell a month or a weekday in (`Sept`,
    /// `SEPTEMBER`, `septiembre`), with its number: what the patterns
    /// match is looked up as it is, not folded first.
    month_forms: HashMap<String, u32>,
    weekday_forms: HashMap<String, u32>,
    relative: HashMap<String, (RelUnit, i32)>,
    /// Unit words of spans (`years` → 1 year, `decade` → 10 years).
    units: HashMap<String, (RelUnit, i32)>,
    /// Small number words (`six`, `seis`), for `the past six years`.
    counts: HashMap<String, i32>,
    before_relative: Regex,
    part_of_day: Regex,
    opener: Regex,
    link: Regex,
}

impl DateGrammar {
    pub fn new(dicts: &Dictionaries) -> Result<DateGrammar> {
        let mut months = HashMap::default();
        let mut month_names: Vec<(String, u32, bool)> = Vec::new();
        for row in dicts.table("months.tsv")?.rows() {
            let name = row.get("name")?.to_lowercase();
            let month: u32 = row.parse("month")?;
            if !(1..=12).contains(&month) {
                return Err(row.error(format!("month {month} is not between 1 and 12")));
            }
            months.insert(unaccent(&name), month);
            month_names.push((name, month, row.get("lang")? == "es"));
        }
        let is_abbreviation = |name: &str, month: u32, spanish: bool| {
            month_names.iter().any(|(other, m, es)| {
                *m == month && *es == spanish && other.len() > name.len() && other.starts_with(name)
            })
        };
        let forms = |name: &str, spanish: bool| {
            let mut forms = vec![capitalize(name), name.to_uppercase()];
            if spanish {
                forms.push(name.to_string());
            }
            forms
        };
        let mut any: Vec<String> = Vec::new();
        let mut full: Vec<String> = Vec::new();
        for (name, month, spanish) in &month_names {
            let f = forms(name, *spanish);
            if !is_abbreviation(name, *month, *spanish) {
                full.extend(f.iter().cloned());
            }
            any.extend(f);
        }
        let alternation = |mut v: Vec<String>| {
            v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            v.dedup();
            v.iter()
                .map(|s| regex::escape(s))
                .collect::<Vec<_>>()
                .join("|")
        };
        let month_forms: HashMap<String, u32> = any
            .iter()
            .filter_map(|f| Some((f.clone(), *months.get(&month_key(f))?)))
            .collect();
        let any_month = alternation(any);
        let full_month = alternation(full);

        let mut weekdays = HashMap::default();
        let mut weekday_forms = Vec::new();
        for row in dicts.table("weekdays.tsv")?.rows() {
            let name = row.get("name")?.to_lowercase();
            weekdays.insert(unaccent(&name), row.parse("weekday")?);
            weekday_forms.extend(forms(&name, row.get("lang")? == "es"));
        }
        let weekday_numbers: HashMap<String, u32> = weekday_forms
            .iter()
            .filter_map(|f| Some((f.clone(), *weekdays.get(&fold(f))?)))
            .collect();
        let weekday = alternation(weekday_forms);

        let rel_unit = |row: &crate::dictionaries::Row, raw: &str| match raw {
            "day" => Ok(RelUnit::Day),
            "week" => Ok(RelUnit::Week),
            "month" => Ok(RelUnit::Month),
            "year" => Ok(RelUnit::Year),
            other => Err(row.error(format!("unit '{other}' must be day, week, month or year"))),
        };
        let mut relative = HashMap::default();
        let mut relative_forms = Vec::new();
        let mut span_leads = Vec::new();
        for row in dicts.table("relative_dates.tsv")?.rows() {
            let phrase = row.get("phrase")?.to_lowercase();
            if row.get("unit")? == "span" {
                span_leads.push(phrase);
                continue;
            }
            let unit = rel_unit(&row, row.get("unit")?)?;
            relative.insert(unaccent(&phrase), (unit, row.parse("offset")?));
            relative_forms.push(phrase);
        }
        let relative_alt = alternation(relative_forms);
        let span_alt = alternation(span_leads);
        let mut units = HashMap::default();
        let mut unit_forms = Vec::new();
        for row in dicts.table("date_units.tsv")?.rows() {
            let word = row.get("word")?.to_lowercase();
            let count: i32 = row.parse("count")?;
            units.insert(unaccent(&word), (rel_unit(&row, row.get("unit")?)?, count));
            unit_forms.push(word);
        }
        let unit_alt = alternation(unit_forms);
        let mut counts = HashMap::default();
        for row in dicts.table("number_words.tsv")?.rows() {
            if matches!(row.get("role")?, "unit" | "ten") {
                let word = row.get("word")?.to_lowercase();
                counts.insert(unaccent(&word), row.parse::<f64>("value")? as i32);
            }
        }
        let count_alt = alternation(counts.keys().cloned().collect());

        let d = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|º|°)?";
        let y = r"(?P<y>1[6-9]\d\d|20\d\d)";
        let sources: Vec<(Pattern, String)> = vec![
            (
                Pattern::Iso,
                format!(r"\b{y}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
            ),
            (
                Pattern::Slash,
                format!(r"\b(?P<a>[0-3]?\d)/(?P<b>[01]?\d)/{y}\b"),
            ),
            (
                Pattern::DayRange,
                format!(
                    r"\b(?:el\s+)?(?P<d1>[0-3]?\d)(?:\s+(?:and|y|to|al|a)\s+(?:el\s+)?|\s?[-–]\s?){d}\s+(?:de\s+)?(?P<m>{any_month})\.?(?:,?\s+(?:(?:de|del)\s+)?{y})?\b"
                ),
            ),
            (
                Pattern::DayMonthYear,
                format!(r"\b{d}\s+(?:de\s+)?(?P<m>{any_month})\.?,?\s+(?:(?:de|del)\s+)?{y}\b"),
            ),
            (
                Pattern::MonthDayYear,
                format!(r"\b(?P<m>{any_month})\.?\s+{d},?\s+{y}\b"),
            ),
            (
                Pattern::MonthYear,
                format!(r"\b(?P<m>{any_month})\.?,?\s+(?:(?:de|del|of)\s+)?{y}\b"),
            ),
            (
                Pattern::MonthDay,
                format!(r"\b(?P<m>{any_month})\.?\s+{d}\b"),
            ),
            (
                Pattern::DayMonth,
                format!(r"\b{d}\s+(?:de\s+)?(?P<m>{any_month})\b"),
            ),
            (
                Pattern::Fiscal,
                format!(
                    r"\b(?:[Ff]iscal\s+[Yy]ear|FY|[Aa]ño\s+fiscal|[Ee]jercicio\s+fiscal)\s?'?{y}\b"
                ),
            ),
            (
                Pattern::Decade,
                r"\b(?:[Tt]he\s+)?(?P<y>1[6-9]\d0|20\d0)'?s\b".to_string(),
            ),
            (
                Pattern::PartOfYear,
                format!(
                    r"\b(?:[Mm]id|[Ee]arly|[Ll]ate|[Ff]inales\s+de|[Pp]rincipios\s+de|[Mm]ediados\s+de|[Ff]ines\s+de)(?:-|\s+)(?:del\s+)?{y}\b"
                ),
            ),
            (
                Pattern::PartOfMonth,
                format!(
                    r"\b(?:[Mm]id|[Ee]arly|[Ll]ate|[Ff]inales\s+de|[Pp]rincipios\s+de|[Mm]ediados\s+de|[Ff]ines\s+de)(?:-|\s+)(?P<m>{full_month})\b"
                ),
            ),
            (
                Pattern::YearRange,
                format!(r"\b{y}\s?[-–]\s?(?P<y2>(?:19|20)?\d\d)\b"),
            ),
            (Pattern::Year, format!(r"\b{y}\b")),
            (Pattern::Month, format!(r"\b(?P<m>{full_month})\b")),
            (Pattern::Weekday, format!(r"\b(?P<w>{weekday})\b")),
            (Pattern::Relative, format!(r"(?i)\b(?P<r>{relative_alt})\b")),
            (
                Pattern::PastSpan,
                format!(
                    r"(?i)\b(?:{span_alt})\s+(?:(?P<n>\d{{1,3}}|{count_alt})\s+)?(?P<u>{unit_alt})\b"
                ),
            ),
            (
                Pattern::LastDayMonth,
                format!(r"\b(?:[Ee]l\s+)?pasado\s+{d}\s+de\s+(?P<m>{any_month})\b"),
            ),
            (
                Pattern::LastMonth,
                format!(
                    r"\b(?:[Ll]ast\s+(?P<m>{full_month})|(?:el\s+)?pasado\s+(?P<m2>{full_month})|(?P<m3>{full_month})\s+pasado)\b"
                ),
            ),
            (
                Pattern::MonthOfRelativeYear,
                format!(
                    r"\b(?P<m>{full_month})\s+(?:of\s+(?P<en>last|this|next)\s+year|del\s+año\s+(?P<es>pasado|próximo))\b"
                ),
            ),
        ];
        let mut patterns = Vec::new();
        for (pattern, source) in &sources {
            let re = Regex::new(&ascii_boundaries(source))
                .map_err(|e| Error::Config(format!("date pattern {pattern:?}: {e}")))?;
            let groups = Groups::of(&re);
            patterns.push((*pattern, re, groups));
        }
        let any = RegexSet::new(sources.iter().map(|(_, s)| ascii_boundaries(s)))
            .map_err(|e| Error::Config(format!("date patterns: {e}")))?;
        Ok(DateGrammar {
            patterns,
            any,
            months,
            weekdays,
            month_forms,
            weekday_forms: weekday_numbers,
            relative,
            units,
            counts,
                                    // Words around a weekday or relative date that belong to its
            // text, read only next to a match (kept out of the patterns,
            // which then stay literal enough to search fast).
            before_relative: Regex::new(&ascii_boundaries(r"(?i)(?:\b(?P<part>early|late|mid|earlier|later)(?:-|\s+)|\b(?P<last>last|this\s+past|el\s+pasado)\s+)$")).unwrap(),
            part_of_day: Regex::new(&ascii_boundaries(r"^\s+(?:night|morning|afternoon|evening|por\s+la\s+(?:noche|mañana|tarde))\b")).unwrap(),
            opener: Regex::new(&ascii_boundaries(r"(?i)(?:\b(?P<w>between|entre|from|desde|since|as of|a partir de|through|until|hasta|de|del|beginning in|starting in)\s+)$")).unwrap(),
            // `and`, `to`, `-`; `, when the blog started, and` after `between`;
            // `and continuing through` after `beginning in`.
            link: Regex::new(&ascii_boundaries(r"(?i)^\s*(?:(?P<w>and|y|to|through|until|a|al|hasta)|[-–]|,\s+[^,.;()]{1,80},\s+(?P<clause>and|y)|and\s+(?:continuing|lasting|running|ending)\s+(?P<cont>through|until|to|in))\s*$")).unwrap(),
        })
    }

    /// Every date in `text[span]`, in order, resolved against `anchor`.
    pub fn find(&self, text: &str, span: Span, anchor: &Anchor) -> Vec<DateMatch> {
        let slice = span.of(text);
        let mut candidates: Vec<(Span, Point)> = Vec::new();
        let matching = self.any.matches(slice);
        for (pattern, re, groups) in matching.iter().map(|i| &self.patterns[i]) {
            for caps in re.captures_iter(slice) {
                let m = caps.get(0).unwrap();
                let caps = Named {
                    caps: &caps,
                    groups,
                };
                if let Some(point) = self.point(*pattern, &caps, slice, m.start(), m.end()) {
                    let (span, point) = self.widen(*pattern, slice, m.start(), m.end(), point);
                    candidates.push((span, point));
                }
            }
        }
        candidates.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(b.0.end.cmp(&a.0.end)));
        let mut chosen: Vec<(Span, Point)> = Vec::new();
        for (s, p) in candidates {
            // `Saturday, 28 June 2014`: the weekday only names the date that follows.
            if let Some((last, Point::Weekday(..))) = chosen.last() {
                let gap = &slice[last.end..s.start.max(last.end)];
                if s.start >= last.end
                    && gap.chars().all(|c| c == ',' || c.is_whitespace())
                    && matches!(p, Point::Calendar { day: Some(_), .. })
                {
                    let start = last.start;
                    chosen.pop();
                    chosen.push((Span::new(start, s.end), p));
                    continue;
                }
            }
            if chosen.last().is_none_or(|(last, _)| last.end <= s.start) {
                chosen.push((s, p));
            }
        }
        self.assemble(slice, chosen, anchor)
            .into_iter()
            .map(|(s, value)| DateMatch {
                span: Span::new(span.start + s.start, span.start + s.end),
                value,
            })
            .collect()
    }

    /// `early next year`, `last Wednesday` (strictly before the anchor),
    /// `Wednesday night`: the words around a weekday or a relative date.
    fn widen(
        &self,
        pattern: Pattern,
        slice: &str,
        start: usize,
        end: usize,
        point: Point,
    ) -> (Span, Point) {
        if !matches!(pattern, Pattern::Weekday | Pattern::Relative) {
            return (Span::new(start, end), point);
        }
        let window = floor_boundary(slice, start.saturating_sub(16));
        let (mut start, mut end, mut point) = (start, end, point);
        if let Some(caps) = self.before_relative.captures(&slice[window..start]) {
            let strict = caps.name("last").is_some();
            match point {
                Point::Weekday(w, _) if strict => {
                    point = Point::Weekday(w, true);
                    start = window + caps.get(0).unwrap().start();
                }
                Point::Relative(..) if !strict => start = window + caps.get(0).unwrap().start(),
                _ => {}
            }
        }
        if let Some(m) = self.part_of_day.find(&slice[end..]) {
            end += m.end();
        }
        (Span::new(start, end), point)
    }

    /// Join `between A and B`, `from A to B`, `since A`, `through A`.
    fn assemble(
        &self,
        slice: &str,
        chosen: Vec<(Span, Point)>,
        anchor: &Anchor,
    ) -> Vec<(Span, Option<String>)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < chosen.len() {
            let (span, point) = chosen[i];
            // The opener is at most a few words back: search a short window,
            // not the whole paragraph before every date.
            let window = floor_boundary(slice, span.start.saturating_sub(24));
            let opener = self.opener.captures(&slice[window..span.start]);
            let opener_word = opener.as_ref().map(|c| c["w"].to_lowercase());
            let opener_start = opener.as_ref().map(|c| window + c.get(0).unwrap().start());
            if let (Some(word), Some((next_span, next_point))) =
                (opener_word.as_deref(), chosen.get(i + 1))
            {
                let gap = &slice[span.end..next_span.start];
                if let Some(link) = self.link.captures(gap) {
                    let link_word = link.name("w").map(|w| w.as_str().to_lowercase());
                    let clause = link.name("clause").is_some();
                    let continued = link.name("cont").is_some();
                    let pairs = match (word, link_word.as_deref()) {
                        ("between", Some("and"))
                        | ("entre", Some("y"))
                        | ("from", Some("to" | "through" | "until"))
                        | ("desde", Some("hasta" | "a" | "al"))
                        | ("de", Some("a" | "al")) => true,
                        ("between" | "entre", None) => clause,
                        ("beginning in" | "starting in", None) => continued,
                        _ => false,
                    };
                    if pairs {
                        let end_value = next_point.resolve(anchor);
                        let start_point = inherit_year(point, next_point);
                        // An end that is itself a range (`desde 2006 hasta
                        // el 22 y el 27 de septiembre`) gives its own start
                        // or end: one interval, never `a/b/c`.
                        let value = match (start_point.resolve(anchor), end_value) {
                            (Some(a), Some(b)) => Some(format!("{}/{}", first_of(&a), last_of(&b))),
                            _ => None,
                        };
                        out.push((Span::new(opener_start.unwrap(), next_span.end), value));
                        i += 2;
                        continue;
                    }
                }
            }
            let value = point.resolve(anchor);
            match opener_word.as_deref() {
                // `from 1977-89`, `desde el 22 al 27 de septiembre`: the
                // range carries its own opener.
                Some(w)
                    if (matches!(point, Point::Years(..))
                        && matches!(w, "from" | "between")
                        && !slice[span.start..].starts_with(['t', 'T']))
                        || (matches!(point, Point::DayRange { .. })
                            && matches!(
                                w,
                                "from" | "between" | "entre" | "de" | "del" | "desde"
                            )) =>
                {
                    out.push((Span::new(opener_start.unwrap(), span.end), value));
                }
                Some("since" | "desde" | "as of" | "a partir de") => {
                    out.push((
                        Span::new(opener_start.unwrap(), span.end),
                        value.map(|v| format!("{}/..", first_of(&v))),
                    ));
                }
                Some("through" | "until" | "hasta") => {
                    out.push((
                        Span::new(opener_start.unwrap(), span.end),
                        value.map(|v| format!("../{}", last_of(&v))),
                    ));
                }
                _ => out.push((span, value)),
            }
            i += 1;
        }
        out
    }

    fn month(&self, name: &str) -> Option<u32> {
        if let Some(&month) = self.month_forms.get(name) {
            return Some(month);
        }
        self.months.get(&month_key(name)).copied()
    }

    fn point(
        &self,
        pattern: Pattern,
        caps: &Named,
        slice: &str,
        start: usize,
        end: usize,
    ) -> Option<Point> {
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let year = num("y").map(|y| y as i32);
        let month = caps.name("m").and_then(|m| self.month(m.as_str()));
        let day = num("d").filter(|d| (1..=31).contains(d));
        let after = &slice[end..];
        let prev_char = slice[..start].chars().next_back();
        let next_char = after.chars().next();
        let calendar = |year, month, day| Point::Calendar { year, month, day };
        Some(match pattern {
            Pattern::Iso => calendar(year, Some(num("m")?), Some(num("d")?)),
            Pattern::Slash => {
                let (a, b) = (num("a")?, num("b")?);
                // Day first, as Mexican and most non-U.S. sources write it;
                // month first only when the day-first reading is impossible.
                let (d, m) = if b <= 12 { (a, b) } else { (b, a) };
                calendar(year, Some(m), Some(d))
            }
            Pattern::DayMonthYear | Pattern::MonthDayYear => {
                calendar(year, Some(month?), Some(day?))
            }
            Pattern::MonthYear => calendar(year, Some(month?), None),
            Pattern::MonthDay | Pattern::DayMonth => {
                // `September 26`, `26 de septiembre`: not `March 2,` + year (taken above),
                // not a figure such as `May 43%`.
                if next_char.is_some_and(|c| c.is_ascii_digit() || c == '%')
                    || prev_char.is_some_and(|c| c.is_ascii_digit())
                {
                    return None;
                }
                calendar(None, Some(month?), Some(day?))
            }
            Pattern::Fiscal | Pattern::PartOfYear => calendar(year, None, None),
            Pattern::PartOfMonth => calendar(None, Some(month?), None),
            Pattern::Decade => Point::Years(year?, year? + 9),
            Pattern::YearRange => {
                let raw = caps.name("y2")?.as_str();
                let y2: i32 = raw.parse().ok()?;
                let y2 = if raw.len() == 2 {
                    year? / 100 * 100 + y2
                } else {
                    y2
                };
                if y2 <= year? || y2 - year? > 50 {
                    return None;
                }
                Point::Years(year?, y2)
            }
            Pattern::Year => {
                // Not part of a bigger number, an identifier (`51/2014`) or an amount.
                let glued = |c: Option<char>| {
                    c.is_some_and(|c| matches!(c, '/' | '$' | '#') || c.is_alphanumeric())
                };
                // `a partir de 2006.1 La cifra…`: a note mark after the
                // sentence's full stop does not make the year a decimal.
                let note_mark = after.starts_with('.') && {
                    let digits = after[1..].len()
                        - after[1..]
                            .trim_start_matches(|c: char| c.is_ascii_digit())
                            .len();
                    let rest = &after[1 + digits..];
                    (1..=3).contains(&digits)
                        && (rest.trim().is_empty()
                            || rest.starts_with(char::is_whitespace)
                                && rest.trim_start().starts_with(char::is_uppercase))
                };
                let numeric_after = after.starts_with([',', '.'])
                    && after[1..].starts_with(|c: char| c.is_ascii_digit())
                    && !note_mark;
                let numeric_before = slice[..start].ends_with([',', '.'])
                    && slice[..start]
                        .trim_end_matches([',', '.'])
                        .ends_with(|c: char| c.is_ascii_digit());
                // Only the next word is looked at: lower-casing the whole
                // rest of the paragraph, once per year, made one long
                // paragraph quadratic.
                let next_word = after.trim_start();
                let percent = next_word.starts_with('%')
                    || next_word
                        .get(.."percent".len())
                        .is_some_and(|w| w.eq_ignore_ascii_case("percent"))
                    || next_word.starts_with("por ciento");
                if glued(prev_char)
                    || glued(next_char)
                    || numeric_after
                    || numeric_before
                    || percent
                {
                    return None;
                }
                calendar(year, None, None)
            }
            Pattern::Month => {
                let word = caps.name("m")?.as_str();
                if word == "May" || word == "MAY" {
                    let prev = slice[..start]
                        .split_whitespace()
                        .next_back()
                        .unwrap_or("")
                        .to_lowercase();
                    if !matches!(
                        prev.as_str(),
                        "in" | "since"
                            | "by"
                            | "of"
                            | "until"
                            | "through"
                            | "during"
                            | "early"
                            | "late"
                            | "mid"
                            | "from"
                            | "to"
                            | "and"
                            | "last"
                            | "this"
                            | "next"
                    ) {
                        return None;
                    }
                }
                calendar(None, Some(month?), None)
            }
            Pattern::Weekday => {
                let w = caps.name("w")?.as_str();
                let weekday = self
                    .weekday_forms
                    .get(w)
                    .or_else(|| self.weekdays.get(&fold(w)));
                Point::Weekday(*weekday?, false)
            }
            Pattern::DayRange => {
                let from = num("d1").filter(|d| (1..=31).contains(d))?;
                let to = day?;
                if from >= to {
                    return None;
                }
                Point::DayRange {
                    year,
                    month: month?,
                    from,
                    to,
                }
            }
            Pattern::PastSpan => {
                let (unit, per) = *self.units.get(&fold(caps.name("u")?.as_str()))?;
                let n = match caps.name("n") {
                    None => 1,
                    Some(n) => n
                        .as_str()
                        .parse()
                        .ok()
                        .or_else(|| self.counts.get(&fold(n.as_str())).copied())?,
                };
                Point::PastSpan(unit, n * per)
            }
            Pattern::LastDayMonth => {
                // `el pasado 26 de septiembre de 2014`: the full date is read whole.
                let rest = after.trim_start();
                if rest.starts_with("de ") || rest.starts_with("del ") {
                    return None;
                }
                calendar(None, Some(month?), Some(day?))
            }
            Pattern::Relative => {
                let (unit, offset) = *self.relative.get(&fold(caps.name("r")?.as_str()))?;
                Point::Relative(unit, offset)
            }
            Pattern::LastMonth => {
                let m = caps.name("m").or(caps.name("m2")).or(caps.name("m3"))?;
                Point::LastMonth(self.month(m.as_str())?)
            }
            Pattern::MonthOfRelativeYear => {
                let offset = match caps.name("en").or(caps.name("es")).map(|m| m.as_str()) {
                    Some("last" | "pasado") => -1,
                    Some("next" | "próximo") => 1,
                    _ => 0,
                };
                Point::MonthOfYear(month?, offset)
            }
        })
    }
}

/// The names of a pattern's groups and their numbers: a pattern has a few,
/// and finding a name among them beats the regex crate's hashed look-up,
/// made several times for every date.
#[derive(Debug)]
struct Groups(Vec<(String, usize)>);

impl Groups {
    fn of(re: &Regex) -> Groups {
        Groups(
            re.capture_names()
                .enumerate()
                .filter_map(|(i, name)| Some((name?.to_string(), i)))
                .collect(),
        )
    }
}

/// A match's groups, by name.
struct Named<'a, 'h> {
    caps: &'a regex::Captures<'h>,
    groups: &'a Groups,
}

impl<'h> Named<'_, 'h> {
    fn name(&self, name: &str) -> Option<regex::Match<'h>> {
        let (_, i) = self.groups.0.iter().find(|(n, _)| n == name)?;
        self.caps.get(*i)
    }
}

/// `from January to August 2022`: the start takes the end's year.
fn inherit_year(start: Point, end: &Point) -> Point {
    match (start, end) {
        (
            Point::Calendar {
                year: None,
                month,
                day,
            },
            Point::Calendar { year: Some(y), .. },
        ) if end.has_year() => Point::Calendar {
            year: Some(*y),
            month,
            day,
        },
        (p, _) => p,
    }
}

/// The first char boundary of `s` at or after `at`.
fn floor_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The start of a date value that may be an interval (`2014-09-22/2014-09-27`).
fn first_of(value: &str) -> &str {
    value.split('/').next().unwrap_or(value)
}

/// The end of a date value that may be an interval.
fn last_of(value: &str) -> &str {
    value.rsplit('/').next().unwrap_or(value)
}

/// How a month's name is looked up: folded, without full stops (`Sept.`).
fn month_key(name: &str) -> String {
    let mut key = fold(name);
    key.retain(|c| c != '.');
    key
}

/// A pattern with ASCII word boundaries: every date word starts and ends
/// with an ASCII letter or digit, and a Unicode `\b` would keep the regex
/// engine off its fast path on any text with accents.
fn ascii_boundaries(source: &str) -> String {
    source.replace(r"\b", r"(?-u:\b)")
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_values() {
        let grammar = DateGrammar::new(&Dictionaries::embedded()).unwrap();
        let anchor = Anchor::parse(Some("2011-11-09"));
        type Expected<'a> = &'a [(&'a str, Option<&'a str>)];
        let cases: &[(&str, Expected)] = &[
            (
                "on 12 Sep 2017 and Sept. 30, 2014",
                &[
                    ("12 Sep 2017", Some("2017-09-12")),
                    ("Sept. 30, 2014", Some("2014-09-30")),
                ],
            ),
            (
                "el 26 de septiembre de 2014 en Iguala",
                &[("26 de septiembre de 2014", Some("2014-09-26"))],
            ),
            (
                "in June 2014, in septiembre de 2014",
                &[
                    ("June 2014", Some("2014-06")),
                    ("septiembre de 2014", Some("2014-09")),
                ],
            ),
            (
                "30/09/2014 and 2014-09-30",
                &[
                    ("30/09/2014", Some("2014-09-30")),
                    ("2014-09-30", Some("2014-09-30")),
                ],
            ),
            (
                "fiscal year 2017, FY2018, mid-2015, the 1990s",
                &[
                    ("fiscal year 2017", Some("2017")),
                    ("FY2018", Some("2018")),
                    ("mid-2015", Some("2015")),
                    ("the 1990s", Some("1990/1999")),
                ],
            ),
            (
                "between 2007 and 2011",
                &[("between 2007 and 2011", Some("2007/2011"))],
            ),
            (
                "entre 2007 y agosto de 2011",
                &[("entre 2007 y agosto de 2011", Some("2007/2011-08"))],
            ),
            (
                "from January to August 2022",
                &[("from January to August 2022", Some("2022-01/2022-08"))],
            ),
            (
                "since December 2006",
                &[("since December 2006", Some("2006-12/.."))],
            ),
            (
                "on Saturday, 28 June 2014, soldiers",
                &[("Saturday, 28 June 2014", Some("2014-06-28"))],
            ),
            (
                "El lunes 30 de junio de 2014",
                &[("lunes 30 de junio de 2014", Some("2014-06-30"))],
            ),
            (
                "on Wednesday and last week",
                &[
                    ("Wednesday", Some("2011-11-09")),
                    ("last week", Some("2011-W44")),
                ],
            ),
            (
                "last year, el año pasado, last December",
                &[
                    ("last year", Some("2010")),
                    ("el año pasado", Some("2010")),
                    ("last December", Some("2010-12")),
                ],
            ),
            (
                "August of last year",
                &[("August of last year", Some("2010-08"))],
            ),
            (
                "on September 26 they",
                &[("September 26", Some("2011-09-26"))],
            ),
            // Ranges whose ends are ranges: one interval.
            (
                "desde 2006 hasta el 22 y el 27 de septiembre de 2014",
                &[(
                    "desde 2006 hasta el 22 y el 27 de septiembre de 2014",
                    Some("2006/2014-09-27"),
                )],
            ),
            (
                "desde el 22 al 27 de septiembre de 2014",
                &[(
                    "desde el 22 al 27 de septiembre de 2014",
                    Some("2014-09-22/2014-09-27"),
                )],
            ),
            ("since the 1990s", &[("since the 1990s", Some("1990/.."))]),
            (
                "hasta el 22 y el 27 de septiembre de 2014",
                &[(
                    "hasta el 22 y el 27 de septiembre de 2014",
                    Some("../2014-09-27"),
                )],
            ),
            ("Recommendation 51/2014 and $2014", &[]),
            ("You may go in May", &[("May", Some("2011-05"))]),
        ];
        for (text, want) in cases {
            let got: Vec<(&str, Option<String>)> = grammar
                .find(text, Span::new(0, text.len()), &anchor)
                .into_iter()
                .map(|m| (m.span.of(text), m.value))
                .collect();
            let want: Vec<(&str, Option<String>)> = want
                .iter()
                .map(|(t, v)| (*t, v.map(String::from)))
                .collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn months_and_weekdays_are_read_in_every_spelling() {
        let grammar = DateGrammar::new(&Dictionaries::embedded()).unwrap();
        // The forms the patterns match, looked up as they are, and other
        // spellings, folded first: the same numbers.
        for (name, month) in [
            ("Sept", 9),
            ("SEPTEMBER", 9),
            ("septiembre", 9),
            ("Septiembre", 9),
            ("september", 9),
            ("Sept.", 9),
            ("feb.", 2),
            ("Mayo", 5),
        ] {
            assert_eq!(grammar.month(name), Some(month), "{name}");
        }
        assert_eq!(grammar.month("Mayor"), None);
        let anchor = Anchor::parse(Some("2014-10-01"));
        for (text, want) in [
            ("el miércoles", "2014-10-01"),
            ("el MIÉRCOLES", "2014-10-01"),
            ("on Monday", "2014-09-29"),
            ("on MONDAY", "2014-09-29"),
        ] {
            let got = grammar.find(text, Span::new(0, text.len()), &anchor);
            assert_eq!(got.len(), 1, "{text}");
            assert_eq!(got[0].value.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn relative_dates_without_an_anchor_are_null() {
        let grammar = DateGrammar::new(&Dictionaries::embedded()).unwrap();
        let text = "last year";
        let got = grammar.find(text, Span::new(0, text.len()), &Anchor::default());
        assert_eq!(
            got,
            vec![DateMatch {
                span: Span::new(0, 9),
                value: None
            }]
        );
    }
}

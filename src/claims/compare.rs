//! Claims across reports: each figure over time ([`timeline`]), sources
//! that disagree ([`conflicts`]), and what changed between two extraction
//! runs ([`diff`]). Every function returns claims in a fixed order (report
//! name, then position), so its output is the same from run to run.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::view::{ClaimRecord, Period};

/// The claims of one category and place, in date order.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineGroup {
    pub category: Option<String>,
    pub place: Option<String>,
    pub claims: Vec<ClaimRecord>,
}

/// Claims grouped by (category, place), each group in date order (the
/// claim's date, else its report's; undated claims last). A claim that
/// restates another of its report is left out: it is the same figure.
/// The claims are moved into their groups, not copied: a timeline of a
/// whole archive needs its claims' memory once.
pub fn timeline(claims: Vec<ClaimRecord>) -> Vec<TimelineGroup> {
    let mut groups: BTreeMap<(Option<String>, Option<String>), Vec<ClaimRecord>> = BTreeMap::new();
    for c in claims.into_iter().filter(in_timeline) {
        groups
            .entry((c.category.clone(), c.place.clone()))
            .or_default()
            .push(c);
    }
    groups
        .into_iter()
        .map(|((category, place), mut claims)| {
            claims.sort_by_cached_key(time_key);
            TimelineGroup {
                category,
                place,
                claims,
            }
        })
        .collect()
}

/// Sort key: first day (undated last), then report and position.
fn time_key(c: &ClaimRecord) -> (bool, NaiveDate, String, usize) {
    let start = c.when().and_then(|(p, _)| p.start.or(p.end));
    (
        start.is_none(),
        start.unwrap_or(NaiveDate::MIN),
        c.doc.clone(),
        c.figure_start,
    )
}

/// Whether `c` is one [`timeline`] shows: not a restatement.
pub fn in_timeline(c: &ClaimRecord) -> bool {
    c.restates.is_none()
}

/// Whether [`conflicts`] weighs `c`: not a restatement, with a category, a
/// place and a date (its own or its report's). A reader may drop the others
/// as it goes.
pub fn may_conflict(c: &ClaimRecord) -> bool {
    c.restates.is_none() && c.category.is_some() && c.place.is_some() && c.when().is_some()
}

/// Claims about the same category and place, in periods that overlap,
/// whose values cannot both be true.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub category: String,
    pub place: String,
    pub unit: String,
    /// The days the claims cover together.
    pub period: Period,
    /// Every claim that disagrees with another of the group, in time order.
    pub claims: Vec<ClaimRecord>,
}

/// Sources that disagree. Two claims conflict when they have the same
/// category and the same place (both known), the same unit (and currency),
/// periods that share a day (the claim's date, else its report's date; an
/// open end such as `since 2006` runs to the report's date), and value
/// ranges that do not meet (see [`ClaimRecord::value_range`]: `more than
/// 26,000` and `27,000` agree, `22` and `8` do not). Claims linked by
/// conflicts form one group. Restatements are left out.
pub fn conflicts(claims: &[ClaimRecord]) -> Vec<Conflict> {
    type Key = (String, String, String, Option<String>);
    let mut groups: BTreeMap<Key, Vec<(&ClaimRecord, Period)>> = BTreeMap::new();
    for c in claims.iter().filter(|c| may_conflict(c)) {
        let (Some(category), Some(place), Some((period, _))) = (&c.category, &c.place, c.when())
        else {
            continue;
        };
        groups
            .entry((
                category.clone(),
                place.clone(),
                c.unit.clone(),
                c.currency.clone(),
            ))
            .or_default()
            .push((c, period));
    }
    let mut out = Vec::new();
    for ((category, place, unit, _), mut members) in groups {
        members.sort_by_cached_key(|m| time_key(m.0));
        let n = members.len();
        let mut parent: Vec<usize> = (0..n).collect();
        let mut linked = vec![false; n];
        // A component's root is its first member whatever the order of the
        // links, so only the pairs tried matter, not their order.
        for (i, j) in same_period_pairs(&members) {
            if disagree(&members[i], &members[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[b.max(a)] = a.min(b);
                linked[i] = true;
                linked[j] = true;
            }
        }
        let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in (0..n).filter(|&i| linked[i]) {
            let r = root(&mut parent, i);
            components.entry(r).or_default().push(i);
        }
        for indices in components.into_values() {
            let period = Period {
                interval: indices.iter().any(|&i| members[i].1.interval),
                start: indices.iter().map(|&i| members[i].1.start).min().flatten(),
                end: indices
                    .iter()
                    .map(|&i| members[i].1.end)
                    .try_fold(None::<NaiveDate>, |acc, e| {
                        e.map(|e| Some(acc.map_or(e, |a: NaiveDate| a.max(e))))
                    })
                    .flatten(),
            };
            out.push(Conflict {
                category: category.clone(),
                place: place.clone(),
                unit: unit.clone(),
                period,
                claims: indices.iter().map(|&i| members[i].0.clone()).collect(),
            });
        }
    }
    out
}

/// The pairs of `members` whose periods are the same (see
/// [`Period::same_as`]), and only those: intervals equal to each other, and
/// single dates that share a day, found by sweeping them in order of their
/// first day. A group of thousands of claims over many years costs the
/// pairs close in time, not every pair.
fn same_period_pairs(members: &[(&ClaimRecord, Period)]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut intervals: BTreeMap<(Option<NaiveDate>, Option<NaiveDate>), Vec<usize>> =
        BTreeMap::new();
    let mut points = Vec::new();
    for (i, (_, period)) in members.iter().enumerate() {
        if period.interval {
            intervals
                .entry((period.start, period.end))
                .or_default()
                .push(i);
        } else {
            points.push(i);
        }
    }
    for same in intervals.values() {
        for (a, &i) in same.iter().enumerate() {
            pairs.extend(same[a + 1..].iter().map(|&j| (i, j)));
        }
    }
    // Open starts first; a point whose first day is past `i`'s last day
    // cannot share a day with it, nor can any point after it.
    points.sort_by_key(|&i| (members[i].1.start, i));
    for (a, &i) in points.iter().enumerate() {
        for &j in &points[a + 1..] {
            if let (Some(last), Some(first)) = (members[i].1.end, members[j].1.start) {
                if first > last {
                    break;
                }
            }
            if members[i].1.same_as(&members[j].1) {
                pairs.push((i.min(j), i.max(j)));
            }
        }
    }
    pairs
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn disagree(a: &(&ClaimRecord, Period), b: &(&ClaimRecord, Period)) -> bool {
    // One source in one report does not contradict itself: `42 civilians
    // and one police officer`, `thousands of them children` are parts.
    if a.0.doc == b.0.doc && a.0.attribution == b.0.attribution {
        return false;
    }
    if !a.1.same_as(&b.1) {
        return false;
    }
    let (lo_a, hi_a) = a.0.value_range();
    let (lo_b, hi_b) = b.0.value_range();
    hi_a < lo_b || hi_b < lo_a
}

/// One difference between two runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Added(ClaimRecord),
    Removed(ClaimRecord),
    /// The same figure in the same sentence of the same report, read
    /// differently; `fields` names what differs.
    Changed {
        old: Box<ClaimRecord>,
        new: Box<ClaimRecord>,
        fields: Vec<&'static str>,
    },
}

/// What changed from `old` to `new`, and how many claims are the same.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub unchanged: usize,
}

impl Diff {
    /// (added, removed, changed).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut n = (0, 0, 0);
        for c in &self.changes {
            match c {
                Change::Added(_) => n.0 += 1,
                Change::Removed(_) => n.1 += 1,
                Change::Changed { .. } => n.2 += 1,
            }
        }
        n
    }
}

/// Each claim's place among the claims of its paragraph (0, 1, …).
fn ordinals(claims: &[ClaimRecord]) -> Vec<usize> {
    let mut seen: HashMap<(&str, usize), usize> = HashMap::new();
    claims
        .iter()
        .map(|c| {
            let n = seen.entry((c.doc.as_str(), c.paragraph)).or_default();
            *n += 1;
            *n - 1
        })
        .collect()
}

fn place_key(c: &ClaimRecord, ordinal: usize) -> (&str, usize, usize, Option<&str>) {
    (c.doc.as_str(), c.paragraph, ordinal, c.category.as_deref())
}

/// The fields compared between two readings of one claim.
const COMPARED: [&str; 12] = [
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
];

fn differing(a: &ClaimRecord, b: &ClaimRecord) -> Vec<&'static str> {
    let (a, b) = (
        serde_json::to_value(a).unwrap_or_default(),
        serde_json::to_value(b).unwrap_or_default(),
    );
    COMPARED
        .into_iter()
        .filter(|field| a.get(field) != b.get(field))
        .collect()
}

/// Compare two runs' claims. A claim is matched first by `id` (same report
/// content, same sentence, same figure), then by report name, sentence
/// text and figure text (the report was edited elsewhere, or the reading
/// changed), then by report name, paragraph, place among the paragraph's
/// claims and category (the figure itself was revised: `six` became
/// `seven`); a matched pair whose fields differ is `Changed`. The rest
/// were added or removed. Changes come in report order.
pub fn diff(old: &[ClaimRecord], new: &[ClaimRecord]) -> Diff {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_text: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    let mut by_place: HashMap<(&str, usize, usize, Option<&str>), Vec<usize>> = HashMap::new();
    let old_ordinals = ordinals(old);
    for (i, c) in old.iter().enumerate() {
        by_id.entry(c.id.as_str()).or_default().push(i);
        by_text
            .entry((c.doc.as_str(), c.sentence.as_str(), c.figure.as_str()))
            .or_default()
            .push(i);
        by_place
            .entry(place_key(c, old_ordinals[i]))
            .or_default()
            .push(i);
    }
    let new_ordinals = ordinals(new);
    let mut used = vec![false; old.len()];
    let take = |candidates: Option<&Vec<usize>>, used: &mut Vec<bool>| {
        let i = candidates?.iter().copied().find(|&i| !used[i])?;
        used[i] = true;
        Some(i)
    };
    let mut pending = Vec::new();
    let mut out = Diff::default();
    let mut keyed: Vec<((String, usize, u8), Change)> = Vec::new();
    let mut unmatched = Vec::new();
    for (n, c) in new.iter().enumerate() {
        let found = take(by_id.get(c.id.as_str()), &mut used).or_else(|| {
            take(
                by_text.get(&(c.doc.as_str(), c.sentence.as_str(), c.figure.as_str())),
                &mut used,
            )
        });
        match found {
            Some(i) => pending.push((i, c)),
            None => unmatched.push(n),
        }
    }
    // Positions last, once every exact match has taken its claim.
    for n in unmatched {
        let c = &new[n];
        match take(by_place.get(&place_key(c, new_ordinals[n])), &mut used) {
            Some(i) => pending.push((i, c)),
            None => keyed.push(((c.doc.clone(), c.figure_start, 0), Change::Added(c.clone()))),
        }
    }
    for (i, c) in pending {
        let fields = differing(&old[i], c);
        if fields.is_empty() {
            out.unchanged += 1;
        } else {
            keyed.push((
                (c.doc.clone(), c.figure_start, 1),
                Change::Changed {
                    old: Box::new(old[i].clone()),
                    new: Box::new(c.clone()),
                    fields,
                },
            ));
        }
    }
    for c in old.iter().zip(&used).filter(|(_, u)| !**u).map(|(c, _)| c) {
        keyed.push((
            (c.doc.clone(), c.figure_start, 2),
            Change::Removed(c.clone()),
        ));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    out.changes = keyed.into_iter().map(|(_, c)| c).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(doc: &str, value: f64, approx: &str, date: &str, place: &str) -> ClaimRecord {
        ClaimRecord {
            doc: doc.into(),
            id: format!("{doc}-{value}"),
            value,
            approx: approx.into(),
            unit: "count".into(),
            category: Some("killed".into()),
            date: Some(date.into()),
            place: Some(place.into()),
            sentence: format!("{value} killed"),
            figure: format!("{value}"),
            ..Default::default()
        }
    }

    #[test]
    fn the_pairs_tried_are_every_pair_of_the_same_period() {
        // Single days, months, years, ISO weeks and intervals (closed and
        // open), over a few years, in a pseudo-random order.
        let dates = [
            "2014",
            "2015",
            "2014-06",
            "2014-07",
            "2015-01",
            "2014-06-30",
            "2014-07-01",
            "2014-12-31",
            "2015-01-01",
            "2014-W27",
            "2015-W01",
            "2014/2015",
            "2014-06/2014-07",
            "2014/2015",
            "../2014",
            "2014-06/..",
            "2013-06-15",
            "2016",
        ];
        let mut seed: u64 = 7;
        for round in 0..40 {
            let members: Vec<(ClaimRecord, Period)> = (0..5 + round)
                .map(|k| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let date = dates[(seed >> 33) as usize % dates.len()];
                    let c = claim(&format!("d{k}"), k as f64, "exact", date, "P");
                    let period = Period::parse(date).unwrap();
                    (c, period)
                })
                .collect();
            let members: Vec<(&ClaimRecord, Period)> =
                members.iter().map(|(c, p)| (c, *p)).collect();
            let mut tried = same_period_pairs(&members);
            tried.sort();
            let n = members.len();
            let every: Vec<(usize, usize)> = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .filter(|&(i, j)| members[i].1.same_as(&members[j].1))
                .collect();
            assert!(!every.is_empty());
            assert_eq!(tried, every, "round {round}");
        }
    }

    #[test]
    fn approximators_decide_whether_values_conflict() {
        let agree = [
            claim("a", 26000.0, "more_than", "2014", "Mexico"),
            claim("b", 27000.0, "exact", "2014", "Mexico"),
        ];
        assert!(conflicts(&agree).is_empty());
        let disagree = [
            claim("a", 22.0, "exact", "2014-06-30", "Tlatlaya"),
            claim("b", 8.0, "exact", "2014-06", "Tlatlaya"),
            claim("c", 22.0, "exact", "2014-06", "Tlatlaya"),
            // Another place, another period: no conflict with the others.
            claim("d", 3.0, "exact", "2014-06", "Iguala"),
            claim("e", 5.0, "exact", "2015", "Tlatlaya"),
        ];
        let found = conflicts(&disagree);
        assert_eq!(found.len(), 1, "{found:?}");
        let docs: Vec<&str> = found[0].claims.iter().map(|c| c.doc.as_str()).collect();
        assert_eq!(docs, ["b", "c", "a"]);
        assert_eq!(found[0].place, "Tlatlaya");
    }

    #[test]
    fn diff_matches_by_id_then_by_sentence() {
        let old = [
            claim("a", 22.0, "exact", "2014", "Tlatlaya"),
            claim("a", 8.0, "exact", "2014", "Tlatlaya"),
            claim("b", 43.0, "exact", "2014", "Iguala"),
        ];
        let mut moved = old[0].clone();
        moved.id = "other".into();
        let mut redated = old[1].clone();
        redated.date = Some("2014-06".into());
        let added = claim("c", 1.0, "exact", "2020", "Guerrero");
        let d = diff(&old, &[moved, redated, added]);
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.counts(), (1, 1, 1));
        assert!(matches!(&d.changes[0], Change::Changed { fields, .. } if fields == &["date"]));
        assert!(matches!(&d.changes[1], Change::Removed(c) if c.doc == "b"));
        assert!(matches!(&d.changes[2], Change::Added(c) if c.doc == "c"));
    }
}

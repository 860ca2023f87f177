//! Going on with an interrupted `extract -o FILE`: the run was writing
//! `FILE.partial`. Its complete records are kept, whatever was cut off is
//! dropped, and the run takes up the walk at the first report not fully
//! written, so that the finished file is byte for byte what an
//! uninterrupted run writes.
//!
//! A JSON Lines record is a whole report, so a complete line is a report
//! done. The per-paragraph records and CSV rows of the last report in the
//! file may be only some of its lines: that report is written again.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};
use crate::output::OutputFormat;
use crate::pipeline::{split_large, Input};

/// Where an interrupted output stops.
#[derive(Clone, Debug, PartialEq)]
pub struct ResumePoint {
    /// Bytes of the file to keep: its complete reports.
    pub keep: u64,
    /// Reports kept.
    pub reports: usize,
    /// The report the run goes on from; `None` when nothing was kept.
    pub next: Option<Next>,
}

/// The report a resumed run starts at.
#[derive(Clone, Debug, PartialEq)]
pub struct Next {
    /// The path as the output shows it.
    pub path: String,
    /// The part of a large report (`None`: the whole report, or, in CSV,
    /// which has no part column, its first part).
    pub part: Option<usize>,
    /// The report (part) itself is done and is skipped too.
    pub done: bool,
}

/// Read `partial`, written in `format`, and say where to go on.
pub fn find(partial: &Path, format: OutputFormat) -> Result<ResumePoint> {
    let file = std::fs::File::open(partial)
        .map_err(|e| Error::io(format!("cannot read {}", partial.display()), e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let shown = partial.display().to_string();
    let bad = |line: usize, message: String| {
        Error::Input {
        input: shown.clone(),
        line,
        message: format!("{message}; is it the output of `extract --format {}`? Run again without --resume to start over", format_name(format)),
    }
    };
    if format == OutputFormat::Csv {
        return find_csv(reader, &shown, bad);
    }
    let mut at = 0u64;
    let mut point = ResumePoint {
        keep: 0,
        reports: 0,
        next: None,
    };
    // The last report seen: its key and where its lines began.
    let mut last: Option<((String, Option<usize>), u64)> = None;
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(format!("cannot read {shown}"), e))?;
        if n == 0 || line.last() != Some(&b'\n') {
            break; // the end, or a record cut off
        }
        number += 1;
        let value: serde_json::Value = serde_json::from_slice(&line)
            .map_err(|e| bad(number, format!("not a JSON record ({e})")))?;
        let path = value
            .get("path")
            .and_then(|p| p.as_str())
            .ok_or_else(|| bad(number, "no \"path\" field".into()))?
            .to_string();
        let part = value
            .get("part")
            .and_then(|p| p.get("number"))
            .and_then(|n| n.as_u64())
            .map(|n| n as usize);
        let key = (path, part);
        match format {
            OutputFormat::Jsonl => {
                point.reports += 1;
                point.keep = at + n as u64;
                point.next = Some(Next {
                    path: key.0,
                    part: key.1,
                    done: true,
                });
            }
            _ => {
                if last.as_ref().is_none_or(|(k, _)| *k != key) {
                    if let Some((_, start)) = last {
                        point.keep = start;
                        point.reports += 1;
                    }
                    last = Some((key, at));
                }
            }
        }
        at += n as u64;
    }
    if format == OutputFormat::Paragraphs {
        if let Some(((path, part), start)) = last {
            point.keep = start;
            point.next = Some(Next {
                path,
                part,
                done: false,
            });
        }
    }
    Ok(point)
}

/// CSV: rows are read as records (a quoted field may hold a line break);
/// the header is kept, the rows of the last report are dropped.
fn find_csv(
    reader: impl Read,
    shown: &str,
    bad: impl Fn(usize, String) -> Error,
) -> Result<ResumePoint> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut point = ResumePoint {
        keep: 0,
        reports: 0,
        next: None,
    };
    let mut record = csv::ByteRecord::new();
    let mut last: Option<(Vec<u8>, u64)> = None;
    let mut row = 0;
    let columns = crate::output::csv::COLUMNS.len();
    loop {
        let start = csv.position().byte();
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            // A row cut off inside a quoted field.
            Err(e) if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) => break,
            Err(e) => return Err(bad(row + 1, format!("cannot read {shown} as CSV ({e})"))),
        }
        row += 1;
        let end = csv.position().byte();
        if row == 1 {
            if record.get(0) != Some(b"document".as_slice()) {
                return Err(bad(1, "the first line is not cifra's CSV header".into()));
            }
            point.keep = end;
            continue;
        }
        if record.len() != columns {
            break; // cut off
        }
        let path = record.get(0).unwrap_or_default().to_vec();
        if last.as_ref().is_none_or(|(p, _)| *p != path) {
            if last.is_some() {
                point.reports += 1;
            }
            last = Some((path, start));
        }
    }
    if let Some((path, start)) = last {
        point.keep = start;
        point.next = Some(Next {
            path: String::from_utf8_lossy(&path).into_owned(),
            part: None,
            done: false,
        });
    }
    Ok(point)
}

fn format_name(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Jsonl => "jsonl",
        OutputFormat::Csv => "csv",
        OutputFormat::Paragraphs => "paragraphs",
    }
}

/// The inputs from `next` on: the reports before it in the walk are left
/// out, and of its own parts those already written.
pub fn after(
    inputs: impl Iterator<Item = Input>,
    next: Next,
    part_bytes: u64,
) -> impl Iterator<Item = Input> {
    let mut found = false;
    inputs.flat_map(move |input| -> Vec<Input> {
        if found {
            return vec![input];
        }
        if input.shown() != next.path {
            return Vec::new();
        }
        found = true;
        split_large(input, part_bytes.max(1))
            .into_iter()
            .filter(|piece| {
                let number = piece.part.as_ref().map_or(1, |p| p.part.number);
                match (next.part, next.done) {
                    (Some(n), true) => number > n,
                    (Some(n), false) => number >= n,
                    (None, done) => !done,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_records_are_kept_and_the_cut_one_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.jsonl.partial");
        let a = "{\"path\":\"a.txt\",\"part\":null}\n";
        let b = "{\"path\":\"big.txt\",\"part\":{\"number\":2,\"count\":3,\"offset\":9}}\n";
        std::fs::write(&file, format!("{a}{b}{{\"path\":\"c.t")).unwrap();
        let point = find(&file, OutputFormat::Jsonl).unwrap();
        assert_eq!(point.keep, (a.len() + b.len()) as u64);
        assert_eq!(point.reports, 2);
        assert_eq!(
            point.next,
            Some(Next {
                path: "big.txt".into(),
                part: Some(2),
                done: true
            })
        );
        // Per-paragraph lines: the last report may be incomplete.
        let p = |path: &str, n: usize| {
            format!("{{\"path\":\"{path}\",\"paragraph\":{n},\"part\":null}}\n")
        };
        let text = format!("{}{}{}{}", p("a", 0), p("a", 1), p("b", 0), p("b", 1));
        std::fs::write(&file, &text).unwrap();
        let point = find(&file, OutputFormat::Paragraphs).unwrap();
        assert_eq!(point.keep, (p("a", 0).len() + p("a", 1).len()) as u64);
        assert_eq!(point.reports, 1);
        assert_eq!(point.next.unwrap().path, "b");
        // CSV: a quoted line break is no record end.
        let header = crate::output::csv::HEADER;
        let row = |path: &str, text: &str| format!("{path},0,place,\"{text}\",0,1,,,,,,,x,,\n");
        let text = format!(
            "{header}{}{}{}",
            row("a", "Mexico\nCity"),
            row("b", "x"),
            "b,1,pla"
        );
        std::fs::write(&file, &text).unwrap();
        let point = find(&file, OutputFormat::Csv).unwrap();
        assert_eq!(
            point.keep,
            (header.len() + row("a", "Mexico\nCity").len()) as u64
        );
        assert_eq!(point.next.unwrap().path, "b");
        // Not cifra's output: a clear error.
        std::fs::write(&file, "hello\n").unwrap();
        let err = find(&file, OutputFormat::Jsonl).unwrap_err().to_string();
        assert!(
            err.contains("line 1") && err.contains("without --resume"),
            "{err}"
        );
    }

    #[test]
    fn the_walk_goes_on_after_the_last_part_written() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        let text: String = (0..300)
            .map(|n| format!("Paragraph {n}: 43 students were taken in Iguala.\n\n"))
            .collect();
        std::fs::write(&big, &text).unwrap();
        let small = dir.path().join("z.txt");
        std::fs::write(&small, "Tlatlaya.\n").unwrap();
        let paths = [dir.path().to_path_buf()];
        let inputs = || crate::pipeline::reports(&paths, &[]);
        let whole = split_large(inputs().next().unwrap(), 4_000);
        assert!(whole.len() >= 4);
        let numbers = |next: Next| -> Vec<(String, Option<usize>)> {
            after(inputs(), next, 4_000)
                .map(|i| {
                    let name = i.path.file_name().unwrap().to_string_lossy().into_owned();
                    (name, i.part.map(|p| p.part.number))
                })
                .collect()
        };
        let path = big.display().to_string();
        let got = numbers(Next {
            path: path.clone(),
            part: Some(2),
            done: true,
        });
        assert_eq!(got[0], ("big.txt".to_string(), Some(3)));
        assert_eq!(got.len(), whole.len() - 2 + 1);
        assert_eq!(got.last().unwrap(), &("z.txt".to_string(), None));
        // CSV has no part column: the report is redone from its first part.
        let got = numbers(Next {
            path,
            part: None,
            done: false,
        });
        assert_eq!(got.len(), whole.len() + 1);
        // A whole report written: the walk goes on after it.
        let got = numbers(Next {
            path: small.display().to_string(),
            part: None,
            done: true,
        });
        assert!(got.is_empty());
    }
}

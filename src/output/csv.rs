//! One CSV row per mention: a flat projection of the JSON Lines records
//! that DuckDB, pandas and spreadsheets read without cleanup. A document
//! with errors gets a row of kind `error` so it is never silently absent.
//! Columns are only ever added at the end, so scripts that read them by
//! position keep working.

use crate::document::MentionDetail;
use crate::Analyzed;

pub const COLUMNS: [&str; 15] = [
    "document",
    "paragraph",
    "kind",
    "text",
    "start",
    "end",
    "value",
    "value_max",
    "approx",
    "unit",
    "currency",
    "subject",
    "canonical",
    "event",
    "salient",
];

pub const HEADER: &str = "document,paragraph,kind,text,start,end,value,value_max,approx,unit,currency,subject,canonical,event,salient\n";

/// The position of a column in [`COLUMNS`].
fn col(name: &str) -> usize {
    COLUMNS
        .iter()
        .position(|c| *c == name)
        .expect("a known column")
}

pub fn render(analyzed: &Analyzed) -> String {
    let doc = &analyzed.document;
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for m in &analyzed.mentions {
        let mut row: [String; COLUMNS.len()] = Default::default();
        row[col("document")] = doc.path.clone();
        row[col("paragraph")] = m.paragraph.to_string();
        row[col("kind")] = m.kind.as_str().to_string();
        row[col("text")] = m.text.clone();
        row[col("start")] = m.span.start.to_string();
        row[col("end")] = m.span.end.to_string();
        match &m.detail {
            MentionDetail::Figure(f) => {
                row[col("value")] = plain_number(f.value);
                row[col("value_max")] = f.value_max.map(plain_number).unwrap_or_default();
                row[col("approx")] = f.approx.as_str().to_string();
                row[col("unit")] = f.unit.as_str().to_string();
                row[col("currency")] = f.currency.clone().unwrap_or_default();
                row[col("subject")] = f.subject.clone().unwrap_or_default();
                row[col("event")] = f.event.clone().unwrap_or_default();
                row[col("salient")] = f.salient.to_string();
            }
            MentionDetail::Date(v) => row[col("value")] = v.clone().unwrap_or_default(),
            MentionDetail::Named { canonical } => row[col("canonical")] = canonical.clone(),
        }
        writer.write_record(&row).expect("writing to memory");
    }
    for error in &doc.errors {
        let mut row: [String; COLUMNS.len()] = Default::default();
        row[col("document")] = doc.path.clone();
        row[col("kind")] = "error".into();
        row[col("text")] = error.clone();
        writer.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("flush to memory"))
        .expect("CSV of UTF-8 fields is UTF-8")
}

fn plain_number(v: f64) -> String {
    crate::output::jsonl::number(v).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_lists_the_columns() {
        assert_eq!(super::HEADER, format!("{}\n", super::COLUMNS.join(",")));
    }
}

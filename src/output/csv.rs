//! One CSV row per mention: a flat projection of the JSON Lines records
//! that DuckDB, pandas and spreadsheets read without cleanup. A document
//! with errors gets a row of kind `error` so it is never silently absent.

use crate::document::MentionDetail;
use crate::Analyzed;

pub const HEADER: &str = "document,paragraph,kind,text,start,end,value,value_max,approx,unit,currency,subject,canonical\n";

pub fn render(analyzed: &Analyzed) -> String {
    let doc = &analyzed.document;
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for m in &analyzed.mentions {
        let (value, value_max, approx, unit, currency, subject, canonical) = match &m.detail {
            MentionDetail::Figure(f) => (
                plain_number(f.value),
                f.value_max.map(plain_number).unwrap_or_default(),
                f.approx.as_str().to_string(),
                f.unit.as_str().to_string(),
                f.currency.clone().unwrap_or_default(),
                f.subject.clone().unwrap_or_default(),
                String::new(),
            ),
            MentionDetail::Date(v) => (
                v.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ),
            MentionDetail::Named { canonical } => (
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                canonical.clone(),
            ),
        };
        let row = [
            doc.path.clone(),
            m.paragraph.to_string(),
            m.kind.as_str().to_string(),
            m.text.clone(),
            m.span.start.to_string(),
            m.span.end.to_string(),
            value,
            value_max,
            approx,
            unit,
            currency,
            subject,
            canonical,
        ];
        writer.write_record(&row).expect("writing to memory");
    }
    for error in &doc.errors {
        let mut row = vec![String::new(); 13];
        row[0] = doc.path.clone();
        row[2] = "error".into();
        row[3] = error.clone();
        writer.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("flush to memory"))
        .expect("CSV of UTF-8 fields is UTF-8")
}

fn plain_number(v: f64) -> String {
    crate::output::jsonl::number(v).to_string()
}

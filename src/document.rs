//! The vocabulary shared by every stage: a [`Document`] owns its text, and
//! everything found in it ([`Paragraph`], [`Sentence`], [`Mention`]) is a
//! [`Span`] of byte offsets into that text, never a copy that can drift.

use serde::Serialize;

/// A half-open byte range `[start, end)` into [`Document::text`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span over `[start, end)`.
    ///
    /// # Panics
    /// When `start > end`: a reversed span is always a bug in a stage.
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} is after its end {end}");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The text under this span. Panics if the span is not on char
    /// boundaries of `text`, which would be a bug in the stage that made it.
    pub fn of<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Spans indexed for one question, asked many times: does any of them
/// overlap a given span? Answered in O(log n), where scanning a list would
/// make a long paragraph (thousands of mentions) quadratic.
#[derive(Clone, Debug, Default)]
pub struct SpanSet {
    /// The spans' starts, sorted.
    starts: Vec<usize>,
    /// `reach[i]`: the largest end among the spans of `starts[..=i]`.
    reach: Vec<usize>,
}

impl SpanSet {
    pub fn new(spans: impl IntoIterator<Item = Span>) -> SpanSet {
        let mut spans: Vec<Span> = spans.into_iter().collect();
        spans.sort_unstable();
        let mut reach = Vec::with_capacity(spans.len());
        let mut furthest = 0;
        for s in &spans {
            furthest = furthest.max(s.end);
            reach.push(furthest);
        }
        SpanSet {
            starts: spans.iter().map(|s| s.start).collect(),
            reach,
        }
    }

    /// Some span of the set overlaps `span` (as [`Span::overlaps`]).
    pub fn overlaps(&self, span: Span) -> bool {
        // Those starting before `span` ends overlap it when one of them
        // ends after it starts.
        let before_end = self.starts.partition_point(|&s| s < span.end);
        before_end > 0 && self.reach[before_end - 1] > span.start
    }
}

/// The input format, from the file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Md,
    Html,
    Pdf,
    /// Any extension cifra does not read; the record carries an error.
    Unsupported,
}

impl Format {
    pub fn from_extension(ext: &str) -> Format {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Format::Txt,
            "md" | "markdown" => Format::Md,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            _ => Format::Unsupported,
        }
    }

    pub fn from_path(path: &std::path::Path) -> Format {
        Format::from_extension(path.extension().and_then(|e| e.to_str()).unwrap_or(""))
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Unsupported => "unsupported",
        }
    }
}

/// `en` or `es`, the two languages the dictionaries cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Es,
}

impl Language {
    pub fn parse(s: &str) -> Option<Language> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "eng" | "english" | "inglés" | "ingles" => Some(Language::En),
            "es" | "spa" | "spanish" | "español" | "espanol" => Some(Language::Es),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }
}

/// What is known about a document besides its text.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    /// ISO 8601 at the precision known (`2014-11-07`, `2014-11`, `2014`).
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub genre: Option<String>,
    pub language: Option<Language>,
    /// Who wrote it, where the file says (a PDF's `Author`).
    pub author: Option<String>,
}

impl Metadata {
    /// Fill every field still empty in `self` from `other`: the first
    /// source to give a field wins.
    pub fn fill_from(&mut self, other: Metadata) {
        self.title = self.title.take().or(other.title);
        self.published = self.published.take().or(other.published);
        self.publisher = self.publisher.take().or(other.publisher);
        self.genre = self.genre.take().or(other.genre);
        self.language = self.language.or(other.language);
        self.author = self.author.take().or(other.author);
    }
}

/// One input file, read and decoded.
#[derive(Clone, Debug)]
pub struct Document {
    /// The file name (`003_report.txt`).
    pub name: String,
    /// The path as given on the command line or found under a folder there.
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    pub format: Format,
    /// The encoding the bytes were decoded from (`UTF-8`, `windows-1252` …).
    pub encoding: Option<String>,
    /// The source text every span points into: the file itself when it is
    /// UTF-8 (stray NULs read as spaces, byte for byte), its decoding
    /// otherwise (damaged UTF-8 included: each damaged place one U+FFFD),
    /// the readable text for HTML.
    pub text: String,
    /// The part of `text` that is body (after Markdown front matter).
    pub body: Span,
    /// Byte ranges of `text` that are markup, not words (Markdown `**`, `#`,
    /// link targets). Matching sees them as spaces; offsets stay the source's.
    pub markup: Vec<Span>,
    pub metadata: Metadata,
    /// What went wrong with this document; a document is never dropped.
    pub errors: Vec<String>,
    /// Set when this is one part of a report too large to read whole.
    pub part: Option<Part>,
}

/// One part of a report larger than [`crate::pipeline::PART_BYTES`]: such a
/// report is read and written as consecutive parts cut at paragraph
/// breaks, each its own record, so that it never has to fit in memory.
/// Offsets in a part's record count from the part's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Part {
    /// 1, 2, … `count`.
    pub number: usize,
    pub count: usize,
    /// Where the part starts in the file, in bytes (for a UTF-8 file, add it
    /// to the record's offsets to get offsets in the file).
    pub offset: u64,
}

impl Document {
    /// The text that matchers run on: `text` with markup bytes replaced by
    /// spaces. Same length and char boundaries, so offsets carry over.
    pub fn match_text(&self) -> std::borrow::Cow<'_, str> {
        if self.markup.is_empty() {
            return std::borrow::Cow::Borrowed(&self.text);
        }
        let mut bytes = self.text.as_bytes().to_vec();
        for span in &self.markup {
            for b in &mut bytes[span.start..span.end] {
                // Markup spans only ever cover ASCII punctuation and URLs;
                // blanking a non-ASCII byte would break UTF-8, so keep those.
                if b.is_ascii() {
                    *b = b' ';
                }
            }
        }
        std::borrow::Cow::Owned(
            String::from_utf8(bytes).expect("ASCII-only replacement keeps UTF-8"),
        )
    }
}

/// A unit a reader would cite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub index: usize,
    #[serde(flatten)]
    pub span: Span,
    /// A heading or a list item rather than running prose.
    #[serde(skip)]
    pub role: ParagraphRole,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ParagraphRole {
    #[default]
    Prose,
    Heading,
    ListItem,
    /// A note after a separator line: its leading number is the note's mark.
    Footnote,
}

/// A sentence inside a paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Sentence {
    pub index: usize,
    pub paragraph: usize,
    #[serde(flatten)]
    pub span: Span,
}

/// The kinds of thing cifra finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    Figure,
    Date,
    Institution,
    LegalInstrument,
    Place,
    Person,
}

impl MentionKind {
    pub const ALL: [MentionKind; 6] = [
        MentionKind::Figure,
        MentionKind::Date,
        MentionKind::Institution,
        MentionKind::LegalInstrument,
        MentionKind::Place,
        MentionKind::Person,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            MentionKind::Figure => "figure",
            MentionKind::Date => "date",
            MentionKind::Institution => "institution",
            MentionKind::LegalInstrument => "legal_instrument",
            MentionKind::Place => "place",
            MentionKind::Person => "person",
        }
    }
}

/// How exact a figure is, as the text qualifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Approx {
    Exact,
    MoreThan,
    LessThan,
    About,
    Range,
    Vague,
}

impl Approx {
    pub fn parse(s: &str) -> Option<Approx> {
        Some(match s {
            "exact" => Approx::Exact,
            "more_than" => Approx::MoreThan,
            "less_than" => Approx::LessThan,
            "about" => Approx::About,
            "range" => Approx::Range,
            "vague" => Approx::Vague,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Approx::Exact => "exact",
            Approx::MoreThan => "more_than",
            Approx::LessThan => "less_than",
            Approx::About => "about",
            Approx::Range => "range",
            Approx::Vague => "vague",
        }
    }
}

/// What a figure measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    Percent,
    Money,
    Ratio,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "count" => Unit::Count,
            "percent" => Unit::Percent,
            "money" => Unit::Money,
            "ratio" => Unit::Ratio,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Money => "money",
            Unit::Ratio => "ratio",
        }
    }
}

/// A figure's normalized reading.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub value_max: Option<f64>,
    pub approx: Approx,
    pub unit: Unit,
    pub currency: Option<String>,
    pub subject: Option<String>,
    /// What happened to what is counted: `killed`, `disappeared`, `complaints` ….
    pub event: Option<String>,
    /// The figure reports a human-rights fact, not an incidental count.
    pub salient: bool,
}

/// One thing found in a document, at a span of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub kind: MentionKind,
    pub span: Span,
    /// The source text under `span`, white space folded to one space.
    pub text: String,
    pub paragraph: usize,
    pub sentence: usize,
    pub detail: MentionDetail,
}

/// The kind-specific part of a mention.
#[derive(Clone, Debug, PartialEq)]
pub enum MentionDetail {
    Figure(Figure),
    /// ISO 8601 value, or `None` when a relative date cannot be resolved.
    Date(Option<String>),
    /// A named entity's canonical name.
    Named {
        canonical: String,
    },
}

/// Whether `bytes` (UTF-8) are already as [`fold_whitespace`] leaves them:
/// no white space at either end, and none inside but single ASCII spaces.
/// Read byte by byte: white space outside ASCII (`char::is_whitespace`)
/// starts with 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000 to
/// U+200A, U+2028, U+2029, U+202F, U+205F) or 0xE3 (U+3000).
fn is_folded(bytes: &[u8]) -> bool {
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut previous = 0u8;
    for (i, &b) in bytes.iter().enumerate() {
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        let blank = match b {
            b' ' => previous == b' ',
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => true,
            0xc2 => matches!(next(1), 0x85 | 0xa0),
            0xe1 => next(1) == 0x9a && next(2) == 0x80,
            0xe2 => match next(1) {
                0x80 => matches!(next(2), 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf),
                0x81 => next(2) == 0x9f,
                _ => false,
            },
            0xe3 => next(1) == 0x80 && next(2) == 0x80,
            _ => false,
        };
        if blank {
            return false;
        }
        previous = b;
    }
    true
}

/// Fold every run of white space to one space and trim, the way the output
/// contract compares a mention's text with its source bytes.
pub fn fold_whitespace(s: &str) -> String {
    if is_folded(s.as_bytes()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Lower case, accents off, white space folded: how names and phrases
/// given on the command line are compared (`guerrero` finds `Guerrero`,
/// `desaparicion` finds `desaparición`).
pub fn fold(s: &str) -> String {
    crate::extract::tokens::unaccent(&fold_whitespace(s).to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_white_space_takes_folded_text_as_it_is() {
        let slow = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        // Every white space character, and look-alikes that are not.
        let blanks: Vec<char> = (0..0x3001u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(blanks.len(), 25);
        let others = [
            'a', 'é', '—', '“', '\u{2030}', '\u{200b}', '\u{1681}', '\u{3001}', '\u{86}',
        ];
        for &b in blanks.iter().chain(&others) {
            for text in [
                format!("a{b}b"),
                format!("{b}ab"),
                format!("ab{b}"),
                format!("a {b} b"),
                format!("{b}"),
                format!("más{b}{b}43"),
            ] {
                assert_eq!(fold_whitespace(&text), slow(&text), "U+{:04X}", b as u32);
            }
        }
        assert_eq!(fold_whitespace("43  students"), "43 students");
        assert_eq!(
            fold_whitespace("43 estudiantes — “Ayotzinapa”"),
            "43 estudiantes — “Ayotzinapa”"
        );
        assert_eq!(fold_whitespace(""), "");
        assert!(is_folded("43 estudiantes — “Ayotzinapa”".as_bytes()));
        assert!(!is_folded("43\u{a0}estudiantes".as_bytes()));
    }

    #[test]
    fn a_span_set_answers_as_a_scan_would() {
        let spans: Vec<Span> = [(10, 20), (0, 3), (12, 14), (30, 30), (25, 40), (5, 6)]
            .into_iter()
            .map(|(a, b)| Span::new(a, b))
            .collect();
        let set = SpanSet::new(spans.iter().copied());
        for start in 0..45 {
            for end in start..46 {
                let probe = Span::new(start, end);
                let scan = spans.iter().any(|s| s.overlaps(probe));
                assert_eq!(set.overlaps(probe), scan, "{probe:?}");
            }
        }
        assert!(!SpanSet::default().overlaps(Span::new(0, 10)));
    }
}

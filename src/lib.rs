//! # cifra
//!
//! Finds the figures, dates, institutions, laws and places in human-rights
//! reports (English and Spanish) and ties each to the paragraph that states it, by exact byte
//! offsets. The pipeline: **ingest** a file into a [`Document`],
//! **segment** it into paragraphs and sentences, **extract** mentions,
//! and **output** JSON Lines or CSV.
//!
//! ```
//! use cifra::{Dictionaries, Extractor, MentionDetail};
//!
//! let extractor = Extractor::new(&Dictionaries::embedded())?;
//! let doc = cifra::ingest::from_bytes(
//!     std::path::Path::new("memo.txt"),
//!     "memo.txt",
//!     b"Soldiers killed 22 civilians in Tlatlaya on 30 June 2014.\n",
//! );
//! let analyzed = extractor.analyze(doc);
//! let figure = &analyzed.mentions[0];
//! assert_eq!((figure.text.as_str(), figure.span.start), ("22", 16));
//! assert!(matches!(&figure.detail, MentionDetail::Figure(f) if f.value == 22.0));
//! let place = &analyzed.mentions[1];
//! assert_eq!(place.detail, MentionDetail::Named { canonical: "Tlatlaya".into() });
//! let date = &analyzed.mentions[2];
//! assert_eq!(date.detail, MentionDetail::Date(Some("2014-06-30".into())));
//! # Ok::<(), cifra::Error>(())
//! ```

pub mod bench;
pub mod claims;
pub mod dictionaries;
pub mod document;
pub mod error;
pub mod extract;
pub mod generate;
pub mod guard;
pub mod index;
pub mod ingest;
pub mod output;
pub mod pdfgen;
pub mod pipeline;
pub mod resume;
pub mod segment;

pub use claims::Claim;
pub use dictionaries::Dictionaries;
pub use document::{
    Approx, Document, Figure, Format, Language, Mention, MentionDetail, MentionKind, Metadata,
    Paragraph, Part, Sentence, Span, Unit,
};
pub use error::{Error, Result};
pub use extract::{Analyzed, Extractor};
pub use output::OutputFormat;
pub use pipeline::{collect_inputs, Config, Input, Summary};

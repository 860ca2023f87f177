//! The library's error type. Per-document problems (a file that cannot be
//! decoded) are *not* errors here: they go into that document's `errors` and
//! the run continues. `Error` is for what stops a run before it starts: bad
//! configuration, an unreadable dictionary, an output that cannot be written.

use std::path::PathBuf;

/// Everything that can stop a run. Each message names the file (and line)
/// and says what to change.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A dictionary file has a malformed line.
    #[error("dictionary {file}, line {line}: {message}")]
    Dictionary {
        file: String,
        line: usize,
        message: String,
    },
    /// The metadata table given with `--metadata` is unusable.
    #[error("metadata file {path}: {message}")]
    Metadata { path: PathBuf, message: String },
    /// A line of an input that a command reads (extraction output given to
    /// `cifra claims`) is not what it should be.
    #[error("{input}, line {line}: {message}")]
    Input {
        input: String,
        line: usize,
        message: String,
    },
    /// A search query that cannot be read (unbalanced quotes, an unknown
    /// field) or a filter that matches nothing in the index.
    #[error("{0}")]
    Query(String),
    /// A configuration value is out of range or inconsistent.
    #[error("{0}")]
    Config(String),
    /// Reading or writing failed outside of any one document.
    #[error("{context}: {cause}")]
    Io {
        context: String,
        // Not a `#[source]`: the message already says it, and a chain
        // printer would say it twice.
        cause: std::io::Error,
    },
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            cause: source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

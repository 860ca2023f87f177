//! Stage 1: a path → a [`Document`]. Reads the bytes, hashes them, decodes
//! them, and for HTML and Markdown separates readable text from markup and
//! metadata. Never fails: whatever goes wrong is written into the
//! document's `errors`, and the document still reaches the output.

pub mod decode;
pub mod html;
#[cfg(feature = "pdf")]
pub mod inflate;
pub mod markdown;
pub mod metadata;
#[cfg(feature = "pdf")]
pub mod pdf;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::document::{Document, Format, Metadata, Span};

/// Read one file into a [`Document`]. `shown` is the path as the user
/// should see it (as given on the command line, or found under a folder).
pub fn read(path: &Path, shown: &str) -> Document {
    match std::fs::read(path) {
        Ok(bytes) => from_bytes(path, shown, &bytes),
        Err(e) => {
            let mut doc = empty(path, shown, Format::from_path(path));
            doc.errors.push(read_error(path, &e));
            doc
        }
    }
}

/// A [`Document`] for a path that could not be read at all, with `error`.
pub fn unreadable(path: &Path, shown: &str, error: String) -> Document {
    let mut doc = empty(path, shown, Format::from_path(path));
    doc.errors.push(error);
    doc
}

/// Build a [`Document`] from bytes already read.
pub fn from_bytes(path: &Path, shown: &str, bytes: &[u8]) -> Document {
    let format = Format::from_path(path);
    let mut doc = empty(path, shown, format);
    doc.sha256 = hex(&Sha256::digest(bytes));
    if format == Format::Unsupported {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let shown_ext = if ext.is_empty() {
            "no extension".to_string()
        } else {
            format!(".{ext}")
        };
        doc.errors.push(format!(
            "unsupported format ({shown_ext}): cifra reads .txt, .md, .html and .pdf files"
        ));
        return doc;
    }
    if bytes.is_empty() {
        doc.errors
            .push("empty file: there is no text to read".into());
        return doc;
    }
    if format == Format::Pdf {
        read_pdf(&mut doc, bytes);
        if doc.errors.is_empty() && doc.text.trim().is_empty() {
            // Only page numbers and running headers, say.
            doc.errors.push("no readable text in the file".into());
        }
        return doc;
    }
    let decoded = match decode::decode(bytes) {
        Ok(d) => d,
        Err(e) => {
            doc.errors.push(e.to_string());
            return doc;
        }
    };
    doc.encoding = Some(decoded.encoding.to_string());
    if let Some((places, first)) = decoded.damaged {
        doc.errors.push(format!(
            "damaged text: {places} place(s) in this UTF-8 file, the first at byte {first}, \
             hold bytes that are not UTF-8; they were read as � and the rest was read. \
             If characters are missing there, get a clean copy of the file"
        ));
    }
    match format {
        Format::Html => {
            let page = html::extract(&decoded.text);
            doc.text = page.text;
            doc.metadata = page.metadata;
        }
        Format::Md => {
            let md = markdown::parse(&decoded.text);
            doc.text = decoded.text;
            doc.body = md.body;
            doc.markup = md.markup;
            doc.metadata = md.metadata;
        }
        Format::Txt | Format::Pdf | Format::Unsupported => doc.text = decoded.text,
    }
    if doc.body == Span::new(0, 0) && format != Format::Md {
        doc.body = Span::new(0, doc.text.len());
    }
    if doc.text.trim().is_empty() {
        doc.errors.push("no readable text in the file".into());
    }
    doc
}

/// The text of a PDF: laid out again from its glyphs (see [`pdf`]), with
/// its information dictionary as metadata. Pages that fail are noted in
/// the errors; a PDF with no text at all says why.
#[cfg(feature = "pdf")]
fn read_pdf(doc: &mut Document, bytes: &[u8]) {
    match pdf::extract(bytes) {
        Ok(extracted) => {
            doc.body = Span::new(0, extracted.text.len());
            doc.text = extracted.text;
            doc.metadata = extracted.metadata;
            doc.errors.extend(extracted.warnings);
        }
        Err(e) => doc.errors.push(e.to_string()),
    }
}

#[cfg(not(feature = "pdf"))]
fn read_pdf(doc: &mut Document, _bytes: &[u8]) {
    doc.errors.push(
        "PDF support was left out of this build of cifra: rebuild it with the `pdf` feature (on by default), or extract the text first (for example with `pdftotext -layout`)".into(),
    );
}

fn empty(path: &Path, shown: &str, format: Format) -> Document {
    Document {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.to_string()),
        path: shown.to_string(),
        sha256: String::new(),
        format,
        encoding: None,
        text: String::new(),
        body: Span::new(0, 0),
        markup: Vec::new(),
        metadata: Metadata::default(),
        errors: Vec::new(),
        part: None,
    }
}

/// What went wrong reading `path`, in words that say what to do.
pub(crate) fn read_error(path: &Path, e: &std::io::Error) -> String {
    if let Some(problem) = broken_link(path) {
        return problem;
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => format!(
            "file not found: {} (check the path and its spelling)",
            path.display()
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "permission denied: cannot read {}; ask for read access to it, or copy it somewhere you can read",
            path.display()
        ),
        _ if path.is_dir() => format!("{} is a folder, not a file", path.display()),
        _ => format!("cannot read {}: {e}", path.display()),
    }
}

/// What is wrong with `path` when it is a symbolic link that leads
/// nowhere: to nothing, or round in a loop. `None` for anything else.
pub fn broken_link(path: &Path) -> Option<String> {
    let target = std::fs::read_link(path).ok()?;
    let error = std::fs::metadata(path).err()?;
    let loops = link_loops(path);
    let (path, target) = (path.display(), target.display());
    Some(if error.kind() == std::io::ErrorKind::NotFound {
        format!(
            "broken link: {path} points to {target}, which does not exist; fix or remove the link"
        )
    } else if loops {
        format!("symbolic link loop: {path} points to {target}, which leads back round to it; fix or remove the link")
    } else {
        format!("cannot follow the link {path} to {target}: {error}")
    })
}

/// Following links from `path` never reaches anything else (more links
/// than a system follows).
fn link_loops(path: &Path) -> bool {
    let mut at = path.to_path_buf();
    for _ in 0..64 {
        match std::fs::read_link(&at) {
            Ok(target) => at = at.parent().map_or(target.clone(), |dir| dir.join(&target)),
            Err(_) => return false,
        }
    }
    true
}

/// Bytes as lower-case hex digits (content hashes, claim ids): one
/// table lookup a digit, not a formatting call a byte.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_are_lower_case_and_two_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff, 0x10]), "000fa5ff10");
        assert_eq!(hex(&[]), "");
        // The content hash of a report, as `sha256sum` prints it.
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn records_errors_instead_of_failing() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("a.doc", b"\xd0\xcf\x11\xe0", "unsupported format (.doc)"),
            ("a.txt", b"", "empty file"),
            ("a.txt", b"\x00\x01\x02\x03\x04\x05\x06\x07", "binary file"),
            (
                "a.html",
                b"<html><script>x</script></html>",
                "no readable text",
            ),
        ];
        for (name, bytes, want) in cases {
            let doc = from_bytes(Path::new(name), name, bytes);
            assert!(
                doc.errors.iter().any(|e| e.contains(want)),
                "{name}: {:?}",
                doc.errors
            );
        }
        let missing = read(Path::new("/no/such/file.txt"), "/no/such/file.txt");
        assert!(
            missing.errors[0].starts_with("file not found"),
            "{:?}",
            missing.errors
        );
    }

    #[test]
    fn utf8_text_keeps_file_offsets() {
        let bytes = "\u{feff}Más de 170 casos\n".as_bytes();
        let doc = from_bytes(Path::new("x.txt"), "x.txt", bytes);
        assert_eq!(doc.text.as_bytes(), bytes);
        assert_eq!(doc.encoding.as_deref(), Some("UTF-8"));
        assert_eq!(doc.sha256.len(), 64);
    }
}

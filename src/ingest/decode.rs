//! Bytes → text. UTF-8 (with or without BOM) is used as is, so offsets are
//! the file's own bytes; UTF-16 with a BOM (or the unmistakable NUL pattern
//! of UTF-16 without one) and legacy 8-bit encodings are detected with
//! `chardetng` and decoded with `encoding_rs`. Binary input is refused.
//! UTF-8 with a few damaged places is still UTF-8 (the places read as
//! U+FFFD and reported), and stray NUL bytes read as spaces.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// The decoded text and the name of the encoding it came from.
#[derive(Debug, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// UTF-8 text with damaged places (invalid byte sequences), each read
    /// as U+FFFD: how many, and the byte offset of the first in the file.
    pub damaged: Option<(usize, usize)>,
}

/// Why bytes could not be read as text.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("binary file: this is not text (control bytes at byte {0}); if it is a report, save or export it as text (.txt, .md or .html)")]
    Binary(usize),
    #[error("undecodable text: not valid {0}; open the file in a text editor and save it again as UTF-8")]
    Malformed(&'static str),
}

/// Decode `bytes` to text.
///
/// A UTF-8 BOM is kept in the text (as U+FEFF) so that byte offsets into
/// the text are byte offsets into the file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        if encoding == UTF_8 {
            return utf8(bytes);
        }
        return with_encoding(encoding, &bytes[bom_len..]);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return with_encoding(encoding, bytes);
    }
    if let Some(offset) = binary_offset(bytes) {
        return Err(DecodeError::Binary(offset));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text.to_string(), "UTF-8");
    }
    // UTF-8 but for a few damaged places (a file cut or corrupted
    // mid-character): more well-formed multi-byte characters than twice the
    // damaged places, where a legacy 8-bit file has few or none.
    let (multibyte, damaged) = utf8_health(bytes);
    if multibyte >= 2 * damaged {
        return utf8(bytes);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    with_encoding(encoding, bytes)
}

/// UTF-8 text; damaged places (invalid byte sequences) read as U+FFFD,
/// counted, and the first located.
fn utf8(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let first = match std::str::from_utf8(bytes) {
        Ok(text) => return finish(text.to_string(), "UTF-8"),
        Err(e) => e.valid_up_to(),
    };
    let mut decoded = finish(String::from_utf8_lossy(bytes).into_owned(), "UTF-8")?;
    decoded.damaged = Some((utf8_health(bytes).1, first));
    Ok(decoded)
}

/// How many well-formed multi-byte characters, and how many damaged places
/// (runs of bytes that are not UTF-8), `bytes` holds.
fn utf8_health(bytes: &[u8]) -> (usize, usize) {
    let (mut multibyte, mut damaged, mut in_damage) = (0, 0, false);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| c.len_utf8() > 1).count();
        if !chunk.valid().is_empty() {
            in_damage = false;
        }
        if !chunk.invalid().is_empty() && !in_damage {
            damaged += 1;
            in_damage = true;
        }
    }
    (multibyte, damaged)
}

fn with_encoding(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(DecodeError::Malformed(encoding.name()));
    }
    finish(text.into_owned(), encoding.name())
}

/// Check decoded text, and read stray NUL characters as spaces: one byte
/// for one in UTF-8, so offsets stay the file's, and no word is glued to
/// an invisible character.
fn finish(mut text: String, encoding: &'static str) -> Result<Decoded, DecodeError> {
    check_text(&text)?;
    if text.contains('\0') {
        text = text.replace('\0', " ");
    }
    Ok(Decoded {
        text,
        encoding,
        damaged: None,
    })
}

/// UTF-16 without a BOM shows as NUL in every other byte of ASCII text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 >= pairs * 7 && even_nul * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Bytes that no text file has in number: NUL and other C0 controls. A
/// few NULs in what is otherwise valid UTF-8 are stray bytes in text.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    let sample = &bytes[..bytes.len().min(8192)];
    let is_control = |b: &u8| *b < 0x20 && !matches!(*b, b'\n' | b'\r' | b'\t' | 0x0c);
    let controls = sample.iter().filter(|b| is_control(b)).count();
    // Valid UTF-8 up to a character the sample's end may cut.
    let utf8 = std::str::from_utf8(sample).map_or_else(|e| e.error_len().is_none(), |_| true);
    if controls * 20 > sample.len().max(1)
        || !utf8 && sample.contains(&0) && controls * 100 > sample.len()
    {
        sample.iter().position(is_control)
    } else {
        None
    }
}

fn check_text(text: &str) -> Result<(), DecodeError> {
    // The first 8192 characters, counted in one pass.
    let (mut total, mut controls) = (0, 0);
    for c in text.chars().take(8192) {
        total += 1;
        controls += usize::from(c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
    }
    if controls * 20 > total.max(1) {
        let offset = text
            .char_indices()
            .take(8192)
            .find(|(_, c)| c.is_control() && !c.is_whitespace())
            .map_or(0, |(i, _)| i);
        return Err(DecodeError::Binary(offset));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_supported_encoding() {
        let cases: &[(&[u8], &str, &str)] = &[
            (b"43 estudiantes", "43 estudiantes", "UTF-8"),
            ("más de 170".as_bytes(), "más de 170", "UTF-8"),
            (b"\xEF\xBB\xBF22 civilians", "\u{feff}22 civilians", "UTF-8"),
            (b"\xFF\xFE4\x003\x00", "43", "UTF-16LE"),
            (b"\xFE\xFF\x004\x003", "43", "UTF-16BE"),
            (b"4\x003\x00 \x00a\x00b\x00c\x00", "43 abc", "UTF-16LE"),
        ];
        for (bytes, text, encoding) in cases {
            let d = decode(bytes).unwrap();
            assert_eq!(
                (d.text.as_str(), d.encoding),
                (*text, *encoding),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn detects_windows_1252_spanish() {
        let text = "La Comisión Nacional recibió más de mil quejas por tortura en el año; según el informe, “la situación empeoró” en Guerrero y Michoacán — señaló.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn damaged_utf8_stays_utf8_and_stray_nuls_are_spaces() {
        let mut bytes = "Según la Procuraduría, 43 estudiantes. "
            .as_bytes()
            .to_vec();
        let at = bytes.len();
        bytes.extend_from_slice(b"\xff\xfe\xc3(");
        bytes.extend_from_slice("Año difícil.".as_bytes());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.damaged, Some((1, at)));
        assert!(d
            .text
            .starts_with("Según la Procuraduría, 43 estudiantes. \u{fffd}"));
        assert!(d.text.ends_with("(Año difícil."), "{}", d.text);
        // Windows-1252 (no multi-byte characters) is still detected as such.
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("Según la Procuraduría, el año");
        assert_eq!(decode(&latin).unwrap().encoding, "windows-1252");
        // A UTF-8 BOM says UTF-8 whatever follows.
        let d = decode(b"\xEF\xBB\xBFabc \xff def").unwrap();
        assert_eq!((d.encoding, d.damaged), ("UTF-8", Some((1, 7))));
        // A few NULs in UTF-8 text: spaces, offsets unchanged.
        let text = "On 30 June 2014,\0soldiers killed 22 people in Tlatlaya.\0\n".repeat(3);
        let d = decode(text.as_bytes()).unwrap();
        assert_eq!(d.text, text.replace('\0', " "));
    }

    #[test]
    fn refuses_binary() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(decode(&bytes), Err(DecodeError::Binary(_))));
        assert!(matches!(
            decode(b"\x00\x01\x02\x03\x04\x05abc"),
            Err(DecodeError::Binary(_))
        ));
    }
}

//! Bytes → text. UTF-8 (with or without BOM) is used as is, so offsets are
//! the file's own bytes; UTF-16 with a BOM (or the unmistakable NUL pattern
//! of UTF-16 without one) and legacy 8-bit encodings are detected with
//! `chardetng` and decoded with `encoding_rs`. Binary input is refused.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// The decoded text and the name of the encoding it came from.
#[derive(Debug, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Why bytes could not be read as text.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("binary file: not text (control bytes at offset {0})")]
    Binary(usize),
    #[error("undecodable text: not valid {0}")]
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
        check_text(text)?;
        return Ok(Decoded {
            text: text.to_string(),
            encoding: "UTF-8",
        });
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    with_encoding(encoding, bytes)
}

fn utf8(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|_| DecodeError::Malformed("UTF-8"))?;
    check_text(text)?;
    Ok(Decoded {
        text: text.to_string(),
        encoding: "UTF-8",
    })
}

fn with_encoding(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(DecodeError::Malformed(encoding.name()));
    }
    check_text(&text)?;
    Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
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

/// Bytes that no text file has in number: NUL and other C0 controls.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    let sample = &bytes[..bytes.len().min(8192)];
    let is_control = |b: &u8| *b < 0x20 && !matches!(*b, b'\n' | b'\r' | b'\t' | 0x0c);
    let controls = sample.iter().filter(|b| is_control(b)).count();
    if controls * 20 > sample.len().max(1) || sample.contains(&0) && controls * 100 > sample.len() {
        sample.iter().position(is_control)
    } else {
        None
    }
}

fn check_text(text: &str) -> Result<(), DecodeError> {
    let sample_end = text.char_indices().nth(8192).map_or(text.len(), |(i, _)| i);
    let sample = &text[..sample_end];
    let total = sample.chars().count().max(1);
    let controls = sample
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 20 > total {
        let offset = sample
            .char_indices()
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
    fn refuses_binary() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(decode(&bytes), Err(DecodeError::Binary(_))));
        assert!(matches!(
            decode(b"\x00\x01\x02\x03\x04\x05abc"),
            Err(DecodeError::Binary(_))
        ));
    }
}

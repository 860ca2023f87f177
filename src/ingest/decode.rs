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
    with_encoding(guess(bytes), bytes)
}

/// The legacy encoding `bytes` are most likely in, by `chardetng`.
///
/// The detector is fed only the stretches around non-ASCII bytes: each
/// word holding one, with a whole word and the white space on either
/// side. The detector's candidates give ASCII words between white spaces
/// no score and start each word afresh after one, so what it would have
/// made of the rest is nothing (tested: the same guess as when fed every
/// byte, in all the encodings it knows). In a Spanish report most words
/// are ASCII; in an English one nearly all are.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    for stretch in non_ascii_stretches(bytes) {
        detector.feed(&bytes[stretch], false);
    }
    detector.feed(&[], true);
    detector.guess(None, true)
}

/// The byte ranges [`guess`] feeds: around each run of non-ASCII bytes,
/// back to the second white space before it and on to the second after
/// it (both included), overlapping ranges merged, in order.
fn non_ascii_stretches(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let space = |b: &u8| matches!(b, b' ' | b'\n' | b'\r' | b'\t');
    // The second white space before `at` (its position), or `floor`.
    let back = move |at: usize, floor: usize| {
        let mut spaces = 0;
        for i in (floor..at).rev() {
            if space(&bytes[i]) {
                spaces += 1;
                if spaces == 2 {
                    return i;
                }
            }
        }
        floor
    };
    // Just past the second white space from `at` on, or the end.
    let on = move |at: usize| {
        let mut spaces = 0;
        for (i, b) in bytes.iter().enumerate().skip(at) {
            if space(b) {
                spaces += 1;
                if spaces == 2 {
                    return i + 1;
                }
            }
        }
        bytes.len()
    };
    let mut next = 0;
    std::iter::from_fn(move || {
        let first = next + bytes.get(next..)?.iter().position(|b| !b.is_ascii())?;
        let start = back(first, next);
        let mut end = on(first);
        // Take in the non-ASCII bytes that the range reaches or touches.
        while let Some(more) = bytes[end..].iter().position(|b| !b.is_ascii()) {
            if back(end + more, end) > end {
                break;
            }
            end = on(end + more);
        }
        next = end;
        Some(start..end)
    })
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
    // The first 8192 characters, counted by their bytes: control
    // characters (`char::is_control`) are the bytes below 0x20 and 0x7F,
    // and U+0080 to U+009F (0xC2, then 0x80 to 0x9F).
    let bytes = text.as_bytes();
    let limit = first_chars_end(text, 8192);
    let sample = &bytes[..limit];
    let (total, mut controls) = tally(sample);
    if sample.contains(&0xc2) {
        controls += sample
            .windows(2)
            .filter(|w| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]))
            .count();
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

/// Where the first `n` characters of `text` end (a byte offset): found
/// by counting the bytes that start a character, not by decoding each.
pub(crate) fn first_chars_end(text: &str, n: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes.len() <= n {
        return bytes.len();
    }
    // n bytes hold at most n characters: character n + 1 starts at byte n
    // or later.
    let mut seen = tally(&bytes[..n]).0;
    let mut at = n;
    while at < bytes.len() {
        if bytes[at] & 0xC0 != 0x80 {
            if seen == n {
                break;
            }
            seen += 1;
        }
        at += 1;
    }
    at
}

/// How many characters start in `bytes` (UTF-8), and how many bytes are
/// C0 controls other than white space, or DEL. Counted 32 bytes at a time
/// without branches, so that the compiler can use vector instructions.
fn tally(bytes: &[u8]) -> (usize, usize) {
    let count = |chunk: &[u8], starts: &mut usize, controls: &mut usize| {
        let (mut s, mut c) = (0u8, 0u8);
        for &b in chunk {
            s += u8::from(b & 0xC0 != 0x80);
            c += u8::from(
                (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c) | (b == 0x7f),
            );
        }
        *starts += usize::from(s);
        *controls += usize::from(c);
    };
    let (mut starts, mut controls) = (0, 0);
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        count(chunk, &mut starts, &mut controls);
    }
    count(chunks.remainder(), &mut starts, &mut controls);
    (starts, controls)
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

    /// What `chardetng` guesses when fed every byte.
    fn guess_from_every_byte(bytes: &[u8]) -> &'static Encoding {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        detector.guess(None, true)
    }

    #[test]
    fn guessing_from_the_non_ascii_stretches_guesses_as_every_byte_does() {
        let samples: &[(&str, &[&'static Encoding])] = &[
            (
                "La Comisión Nacional recibió más de mil quejas; «la situación empeoró» en Michoacán, señaló el 3º informe de Nª Sª.",
                &[encoding_rs::WINDOWS_1252, encoding_rs::ISO_8859_15],
            ),
            (
                "Le rapport précise que 43 étudiants ont disparu à Iguala ; l’enquête a été critiquée.",
                &[encoding_rs::WINDOWS_1252],
            ),
            (
                "Die Behörden müssen die Verschwundenen suchen; Angehörige berichten über Folter.",
                &[encoding_rs::WINDOWS_1252],
            ),
            (
                "Władze muszą wyjaśnić, gdzie są zaginieni studenci; rodziny żądają sprawiedliwości.",
                &[encoding_rs::WINDOWS_1250, encoding_rs::ISO_8859_2],
            ),
            (
                "Úřady musí vyšetřit mučení a zmizení čtyřiceti tří studentů.",
                &[encoding_rs::WINDOWS_1250],
            ),
            (
                "Власти Мексики сообщили о 43 пропавших студентах; семьи требуют правды.",
                &[encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R, encoding_rs::IBM866, encoding_rs::ISO_8859_5],
            ),
            (
                "Οι αρχές του Μεξικού ανακοίνωσαν ότι 43 φοιτητές αγνοούνται.",
                &[encoding_rs::WINDOWS_1253, encoding_rs::ISO_8859_7],
            ),
            (
                "Meksika makamları 43 öğrencinin kaybolduğunu açıkladı; aileler adalet istiyor.",
                &[encoding_rs::WINDOWS_1254],
            ),
            (
                "הרשויות במקסיקו הודיעו כי 43 סטודנטים נעדרים; המשפחות דורשות צדק.",
                &[encoding_rs::WINDOWS_1255, encoding_rs::ISO_8859_8],
            ),
            (
                "أعلنت السلطات المكسيكية أن 43 طالبا مفقودون؛ وتطالب العائلات بالعدالة.",
                &[encoding_rs::WINDOWS_1256, encoding_rs::ISO_8859_6],
            ),
            (
                "Meksikos valdžia pranešė, kad dingo 43 studentai; šeimos reikalauja teisingumo.",
                &[encoding_rs::WINDOWS_1257],
            ),
            (
                "เจ้าหน้าที่เม็กซิโกประกาศว่านักศึกษา 43 คนหายตัวไป",
                &[encoding_rs::WINDOWS_874],
            ),
            (
                "メキシコ当局は、43人の学生が行方不明になったと発表した。家族は真実を求めている。",
                &[encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP],
            ),
            (
                "墨西哥当局宣布43名学生失踪；家属要求真相和正义。",
                &[encoding_rs::GBK],
            ),
            (
                "墨西哥當局宣布43名學生失蹤；家屬要求真相和正義。",
                &[encoding_rs::BIG5],
            ),
            (
                "멕시코 당국은 43명의 학생이 실종되었다고 발표했다. 가족들은 진실을 요구한다.",
                &[encoding_rs::EUC_KR],
            ),
        ];
        let filler = "According to the report of the National Human Rights Commission (CNDH), ";
        let mut checked = 0;
        for (text, encodings) in samples {
            for &encoding in *encodings {
                for shape in 0..4 {
                    let whole = match shape {
                        0 => text.to_string(),
                        1 => format!("{filler}{text}\n\n{filler}"),
                        2 => format!("{text} {filler}{filler}{text}\r\n{text}"),
                        _ => format!("{filler}\t{text}").replace(' ', "  "),
                    };
                    let (bytes, _, unmappable) = encoding.encode(&whole);
                    assert!(!unmappable, "{} cannot encode {whole}", encoding.name());
                    // The whole text and its prefixes, some cut mid-character.
                    for cut in [bytes.len(), bytes.len() * 2 / 3, bytes.len() / 2 + 1] {
                        let bytes = &bytes[..cut];
                        assert_eq!(
                            guess(bytes).name(),
                            guess_from_every_byte(bytes).name(),
                            "{} {shape} {cut}: {whole}",
                            encoding.name()
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 25 * 4 * 3);
        // Texts whose guess is a close call: ASCII words of mixed case with
        // random high bytes in and between them, where what surrounds a
        // byte decides between the candidates.
        let mut seed: u64 = 43;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut guessed = std::collections::BTreeSet::new();
        for _ in 0..3000 {
            let mut bytes = Vec::new();
            for _ in 0..1 + next(40) {
                for _ in 0..1 + next(9) {
                    bytes.push(match next(10) {
                        0 | 1 => 0x80 + next(128) as u8,
                        2 => b'A' + next(26) as u8,
                        3 => b'0' + next(10) as u8,
                        _ => b'a' + next(26) as u8,
                    });
                }
                bytes.push([b' ', b' ', b'\n', b'.', b','][next(5) as usize]);
            }
            let every = guess_from_every_byte(&bytes);
            assert_eq!(guess(&bytes).name(), every.name(), "{bytes:?}");
            guessed.insert(every.name());
        }
        // Close calls indeed: many candidates won.
        assert!(guessed.len() >= 10, "{guessed:?}");
        // And the windows-1252 reports the corpus generator writes.
        let text = "Según la Procuraduría, el año 2014 — “43”. ".repeat(50);
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        assert_eq!(guess(&bytes), encoding_rs::WINDOWS_1252);
    }

    #[test]
    fn non_ascii_stretches_cover_each_non_ascii_byte_with_two_words_around() {
        let stretches = |bytes: &[u8]| {
            non_ascii_stretches(bytes)
                .map(|r| (r.start, r.end))
                .collect::<Vec<_>>()
        };
        let bytes = b"one two thr\xe9e four five six seven eight ni\xf1e ten eleven";
        let got = stretches(bytes);
        assert_eq!(
            got.iter().map(|&(a, b)| &bytes[a..b]).collect::<Vec<_>>(),
            [&b" two thr\xe9e four "[..], b" eight ni\xf1e ten "]
        );
        // Close non-ASCII words make one stretch; at the edges, the file's ends.
        let bytes = b"\xe9a b \xe9c d e f g h";
        assert_eq!(stretches(bytes), [(0, 10)]);
        let bytes = b"a b c d \xe9e f \xe9";
        assert_eq!(stretches(bytes), [(5, bytes.len())]);
        assert!(stretches(b"only ascii here").is_empty());
        // No white space at all: one stretch, the whole file, found in
        // one pass (a quadratic search would take minutes here).
        let bytes = b"x\xe9".repeat(2_000_000);
        assert_eq!(stretches(&bytes), [(0, bytes.len())]);
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
    fn counts_control_characters_as_char_is_control_does() {
        // The byte count against the char count it replaces, over every
        // character below U+0100 and a few beyond, at the 8192-character
        // edge too.
        let count = |text: &str| {
            let (mut total, mut controls) = (0, 0);
            for c in text.chars().take(8192) {
                total += 1;
                controls +=
                    usize::from(c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
            }
            controls * 20 > total.max(1)
        };
        let mut chars: Vec<char> = (0..0x100u32).filter_map(char::from_u32).collect();
        chars.extend(['\u{2028}', '€', '你', '\u{feff}', '\u{1f600}']);
        for &c in &chars {
            for text in [
                format!("{c}"),
                format!("{}{}", "ab".repeat(10), c.to_string().repeat(2)),
                format!("{}{}", "é".repeat(8191), c.to_string().repeat(600)),
                format!("{}{}", "x".repeat(7700), c.to_string().repeat(500)),
            ] {
                assert_eq!(
                    check_text(&text).is_err(),
                    count(&text),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        assert!(check_text(&"\u{85}abc".repeat(100)).is_err());
        assert!(check_text(&"\u{a0}abc".repeat(100)).is_ok());
    }

    #[test]
    fn first_chars_end_where_char_indices_says() {
        for text in [
            "",
            "abc",
            "más",
            "né😀x",
            &"é".repeat(50),
            &"a😀".repeat(30),
        ] {
            for n in 0..70 {
                let want = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
                assert_eq!(first_chars_end(text, n), want, "{text:?} {n}");
            }
        }
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

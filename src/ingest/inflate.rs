//! Decompression bombs in PDFs. The PDF reader inflates each compressed
//! stream (page contents, pictures, object streams) whole in memory, so a
//! file of a few hundred kilobytes whose stream inflates to gigabytes would
//! take the whole run down with it. Before a PDF is read, each of its
//! streams is inflated into nothing here, in constant memory (deflate, and
//! LZW where the stream's dictionary names it), and a stream that expands
//! past a limit makes the PDF refused.

use std::io::{self, Read};

use flate2::read::{DeflateDecoder, ZlibDecoder};

/// The most one compressed stream of a PDF may expand to: far above real
/// page contents, fonts and pictures, far below what would exhaust memory.
pub const MAX_STREAM_BYTES: u64 = 256 << 20;

/// Filters applied in turn to one stream: a bomb may compress a bomb.
const MAX_LAYERS: usize = 4;

/// The byte offset of the first stream in `pdf` that inflates past `limit`
/// bytes, if any.
pub fn bomb(pdf: &[u8], limit: u64) -> Option<usize> {
    memchr::memmem::find_iter(pdf, b"stream").find(|&at| {
        // `endstream` closes a stream; `stream` then an end of line opens
        // one (CR LF, LF, or the lone CR some writers use).
        if pdf[..at].ends_with(b"end") {
            return false;
        }
        let data = match &pdf[at + 6..] {
            [b'\r', b'\n', rest @ ..] | [b'\n' | b'\r', rest @ ..] => rest,
            _ => return false,
        };
        // The stream's dictionary, back to its `obj`, names its filters.
        let from = at.saturating_sub(4096);
        let dict = memchr::memmem::rfind(&pdf[from..at], b"obj")
            .map_or(&pdf[from..at], |k| &pdf[from + k..at]);
        let lzw = memchr::memmem::find(dict, b"/LZW").is_some();
        expands_past(data, limit) || (lzw && lzw_expands_past(data, limit))
    })
}

/// Whether `data` decoded as LZW (`/LZWDecode`, with or without the early
/// change of code size) gives more than `limit` bytes: LZW expands a
/// thousand times at most, less than deflate, still enough for a bomb.
fn lzw_expands_past(data: &[u8], limit: u64) -> bool {
    use weezl::{decode::Decoder, BitOrder, LzwStatus};
    [true, false].into_iter().any(|early_change| {
        let mut decoder = if early_change {
            Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
        } else {
            Decoder::new(BitOrder::Msb, 8)
        };
        let (mut input, mut count) = (data, 0u64);
        let mut out = vec![0u8; 64 * 1024];
        while count <= limit {
            let result = decoder.decode_bytes(input, &mut out);
            input = &input[result.consumed_in..];
            count += result.consumed_out as u64;
            match result.status {
                Ok(LzwStatus::Ok) => {}
                Ok(LzwStatus::Done | LzwStatus::NoProgress) | Err(_) => break,
            }
        }
        count > limit
    })
}

/// Whether `data`, inflated (again, while what comes out is itself
/// compressed), gives more than `limit` bytes.
fn expands_past(data: &[u8], limit: u64) -> bool {
    let mut layers = 0;
    loop {
        // The layers so far, read from the start into a counter.
        let reader = (0..=layers).fold(Box::new(data) as Box<dyn Read + '_>, |r, _| inflater(r));
        let (count, head) = drain(reader, limit);
        if count > limit {
            return true;
        }
        layers += 1;
        if layers >= MAX_LAYERS || !compressed(&head) {
            return false;
        }
    }
}

/// A reader of what `compressed` inflates to: zlib as PDFs write it, or,
/// when the zlib header is wrong, raw deflate past the header's two bytes,
/// as the PDF reader retries it.
fn inflater<'a>(mut compressed: Box<dyn Read + 'a>) -> Box<dyn Read + 'a> {
    let mut header = [0u8; 2];
    if compressed.read_exact(&mut header).is_err() {
        return Box::new(io::empty());
    }
    if zlib_header(header) {
        Box::new(ZlibDecoder::new(io::Cursor::new(header).chain(compressed)))
    } else {
        Box::new(DeflateDecoder::new(compressed))
    }
}

fn zlib_header([cmf, flg]: [u8; 2]) -> bool {
    cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0
}

/// Whether inflated bytes start like another zlib stream.
fn compressed(head: &[u8]) -> bool {
    head.len() >= 2 && zlib_header([head[0], head[1]])
}

/// How many bytes `reader` gives before its end, an error or `limit + 1`
/// bytes, and the first two of them.
fn drain(mut reader: Box<dyn Read + '_>, limit: u64) -> (u64, Vec<u8>) {
    let mut buf = vec![0u8; 64 * 1024];
    let (mut count, mut head) = (0u64, Vec::new());
    while count <= limit {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if head.len() < 2 {
                    head.extend_from_slice(&buf[..n.min(2 - head.len())]);
                }
                count += n as u64;
            }
        }
    }
    (count, head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn pdf_with(stream: &[u8]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\r\n".to_vec();
        pdf.extend_from_slice(stream);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        pdf
    }

    #[test]
    fn a_stream_that_expands_past_the_limit_is_found() {
        let big = zlib(&vec![b' '; 200_000]);
        let pdf = pdf_with(&big);
        let at = pdf.windows(7).position(|w| w == b"stream\r").unwrap();
        assert_eq!(bomb(&pdf, 100_000), Some(at));
        assert_eq!(bomb(&pdf, 200_000), None);
    }

    #[test]
    fn compressed_twice_is_inflated_twice() {
        // 1 MB of spaces, compressed twice: the first layer is small.
        let twice = zlib(&zlib(&vec![b' '; 1_000_000]));
        assert!(zlib(&vec![b' '; 1_000_000]).len() < 10_000);
        let pdf = pdf_with(&twice);
        let at = pdf.windows(7).position(|w| w == b"stream\r").unwrap();
        assert_eq!(bomb(&pdf, 500_000), Some(at));
        assert_eq!(bomb(&pdf_with(&twice), 2_000_000), None);
    }

    #[test]
    fn raw_deflate_behind_a_bad_header_counts_too() {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&vec![b'x'; 300_000]).unwrap();
        let mut data = b"\x00\x00".to_vec();
        data.extend(e.finish().unwrap());
        assert!(bomb(&pdf_with(&data), 100_000).is_some());
    }

    /// The longest LZW strings: `n` codes, each one byte longer than the
    /// last (a run of one byte), 9 bits each, most significant bit first.
    fn lzw_run(codes: usize) -> Vec<u8> {
        let mut enc = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
        enc.encode(&vec![b' '; codes * (codes + 1) / 2]).unwrap()
    }

    #[test]
    fn an_lzw_stream_is_counted_where_its_dictionary_names_lzw() {
        let data = lzw_run(3000);
        assert!(data.len() < 10_000, "{}", data.len());
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Filter /LZWDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        // 4.5 MB from under 10 KB.
        assert!(bomb(&pdf, 4_000_000).is_some());
        assert_eq!(bomb(&pdf, 5_000_000), None);
        // The same bytes under another filter are not read as LZW.
        let mut plain = b"%PDF-1.4\n1 0 obj\n<< /Filter /DCTDecode >>\nstream\n".to_vec();
        plain.extend_from_slice(&data);
        assert_eq!(bomb(&plain, 4_000_000), None);
    }

    #[test]
    fn plain_and_damaged_streams_pass() {
        assert_eq!(bomb(&pdf_with(b"BT /F1 11 Tf (22 killed) Tj ET"), 10), None);
        let mut cut = zlib(&vec![b'a'; 1000]);
        cut.truncate(cut.len() / 2);
        assert_eq!(bomb(&pdf_with(&cut), 100_000), None);
        assert_eq!(bomb(b"%PDF-1.4 endstream stream", 0), None);
        // Random bytes after `stream` never expand much.
        let noise: Vec<u8> = (0..50_000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert_eq!(bomb(&pdf_with(&noise), 1_000_000), None);
    }
}

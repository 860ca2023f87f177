//! A minimal PDF writer: pages of text placed line by line in the standard
//! Helvetica fonts (Windows-1252 text, so Spanish accents work), optional
//! document information (title, author, dates) and deliberately broken
//! variants. It exists so that tests, fuzz seeds and benchmarks can make
//! real PDFs without committing binary files; it is no general PDF library.

use std::fmt::Write as _;

/// One run of text at a position, in points from the bottom-left corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    /// Raised above the baseline by this many points (superscripts).
    pub rise: f32,
    pub text: String,
}

/// One page: its runs, in the order they are written to the content
/// stream, and whether to draw a filled rectangle (a stand-in for a
/// scanned image: something on the page that is not text).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub runs: Vec<Run>,
    pub picture: bool,
    /// Spaces added to the end of the content stream: with
    /// [`Pdf::deflate`], a stream that expands far past its size.
    pub padding: usize,
}

impl Page {
    /// A run of `size`-point regular text at (`x`, `y`).
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) -> &mut Page {
        self.runs.push(Run {
            x,
            y,
            size,
            bold: false,
            rise: 0.0,
            text: text.to_string(),
        });
        self
    }

    /// Lines of `size`-point text from `y` down, `leading` points apart.
    pub fn lines(&mut self, x: f32, y: f32, size: f32, leading: f32, lines: &[&str]) -> f32 {
        let mut at = y;
        for line in lines {
            self.text(x, at, size, line);
            at -= leading;
        }
        at
    }
}

/// A document to write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pdf {
    pub pages: Vec<Page>,
    pub title: Option<String>,
    pub author: Option<String>,
    /// `D:20140630120000` style, as PDF dates are written.
    pub created: Option<String>,
    /// Write an `/Encrypt` entry that no empty password opens.
    pub encrypted: bool,
    /// Page width and height in points (A4 when zero).
    pub size: (f32, f32),
    /// How many times each content stream is compressed (`/FlateDecode`
    /// once per time); 0 writes them plain.
    pub deflate: usize,
}

impl Pdf {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let (width, height) = if self.size.0 > 0.0 {
            self.size
        } else {
            (595.0, 842.0)
        };
        let mut objects: Vec<Vec<u8>> = Vec::new();
        // 1: catalog, 2: pages, 3: Helvetica, 4: Helvetica-Bold, 5: info,
        // then a page and its content stream per page.
        let first_page = 6;
        let kids: Vec<String> = (0..self.pages.len())
            .map(|i| format!("{} 0 R", first_page + 2 * i))
            .collect();
        objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        objects.push(
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                self.pages.len()
            )
            .into_bytes(),
        );
        for font in ["Helvetica", "Helvetica-Bold"] {
            objects.push(
                format!(
                    "<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding >>"
                )
                .into_bytes(),
            );
        }
        let mut info = b"<< /Producer (cifra pdfgen)".to_vec();
        for (key, value) in [
            ("Title", &self.title),
            ("Author", &self.author),
            ("CreationDate", &self.created),
        ] {
            if let Some(value) = value {
                info.extend_from_slice(format!(" /{key} ").as_bytes());
                info.extend_from_slice(&literal(value));
            }
        }
        info.extend_from_slice(b" >>");
        objects.push(info);
        for (i, page) in self.pages.iter().enumerate() {
            let content_id = first_page + 2 * i + 1;
            objects.push(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] \
                     /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_id} 0 R >>"
                )
                .into_bytes(),
            );
            let content = (0..self.deflate).fold(page.content(), |c, _| zlib(&c));
            let filters = if self.deflate > 0 {
                format!(
                    " /Filter [{}]",
                    vec!["/FlateDecode"; self.deflate].join(" ")
                )
            } else {
                String::new()
            };
            let mut stream =
                format!("<< /Length {}{filters} >>\nstream\n", content.len()).into_bytes();
            stream.extend_from_slice(&content);
            stream.extend_from_slice(b"\nendstream");
            objects.push(stream);
        }
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for offset in offsets {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        out.extend_from_slice(table.as_bytes());
        let encrypt = if self.encrypted {
            // A standard security handler whose check strings match no
            // password: readers must refuse the file without one.
            format!(
                " /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <{o}> /U <{u}> >> /ID [<{id}> <{id}>]",
                o = "5a".repeat(32),
                u = "a5".repeat(32),
                id = "0123456789abcdef0123456789abcdef"
            )
        } else {
            String::new()
        };
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

impl Page {
    fn content(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.picture {
            out.extend_from_slice(b"0.5 g 50 50 495 742 re f\n");
        }
        for run in &self.runs {
            let font = if run.bold { "F2" } else { "F1" };
            out.extend_from_slice(
                format!(
                    "BT /{font} {} Tf {} Ts 1 0 0 1 {} {} Tm ",
                    run.size, run.rise, run.x, run.y
                )
                .as_bytes(),
            );
            out.extend_from_slice(&literal(&run.text));
            out.extend_from_slice(b" Tj ET\n");
        }
        out.resize(out.len() + self.padding, b' ');
        out
    }
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("writing to memory");
    e.finish().expect("writing to memory")
}

/// `(text)` in Windows-1252, with `(`, `)` and `\` escaped.
fn literal(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let mut out = vec![b'('];
    for &b in bytes.iter() {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_well_formed_file() {
        let mut page = Page::default();
        page.text(72.0, 800.0, 11.0, "Más de (22) personas");
        let pdf = Pdf {
            pages: vec![page],
            title: Some("Informe".into()),
            ..Pdf::default()
        };
        let bytes = pdf.to_bytes();
        let find = |needle: &[u8], from: usize| {
            from + bytes[from..]
                .windows(needle.len())
                .position(|w| w == needle)
                .unwrap()
        };
        assert!(bytes.starts_with(b"%PDF-1.4"));
        assert!(bytes.ends_with(b"%%EOF\n"));
        // The cross-reference table points at each object.
        let after = find(b"startxref\n", 0) + 10;
        let end = find(b"\n", after);
        let xref_at: usize = std::str::from_utf8(&bytes[after..end])
            .unwrap()
            .parse()
            .unwrap();
        assert!(bytes[xref_at..].starts_with(b"xref\n0 "));
        let first_entry = find(b"65535 f \n", xref_at) + 9;
        let first: usize = std::str::from_utf8(&bytes[first_entry..first_entry + 10])
            .unwrap()
            .parse()
            .unwrap();
        assert!(bytes[first..].starts_with(b"1 0 obj"));
        // Windows-1252 `á` (0xE1) and escaped parentheses.
        let at = bytes.windows(3).position(|w| w == b"M\xe1s").unwrap();
        assert!(bytes[at..].starts_with(b"M\xe1s de \\(22\\) personas"));
    }
}

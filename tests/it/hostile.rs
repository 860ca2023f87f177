//! Hostile input. Each case puts one bad file (empty, binary, in an odd
//! encoding, huge, nested 100,000 deep, unreadable, a link loop, a name
//! that is not UTF-8 …) in a folder beside two good reports and runs the
//! real binary on the folder under a time limit. Every case must end in a
//! record for the bad file, with a plain error that says what to do or a
//! correct extraction (offsets into the text), and the good reports beside
//! it must come out whole. The last test puts them all in one folder.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::util::{errors, fold, mentions, mentions_of, parse_jsonl, run_bounded, s, u};

const GOOD_EN: &str = "On 30 June 2014, soldiers killed 22 people in Tlatlaya, Mexico State, according to the CNDH.\n\nThe army said the soldiers had been attacked first.\n";
const GOOD_ES: &str = "El 26 de septiembre de 2014, 43 estudiantes de la Normal Rural de Ayotzinapa fueron desaparecidos en Iguala, Guerrero, según la Procuraduría General de la República.\n";
/// A report in Spanish, for the encodings.
const INFORME: &str = "El 30 de junio de 2014, soldados mataron a 22 personas en Tlatlaya, según la Comisión Nacional de los Derechos Humanos.\n";

/// Most cases take well under a second; a hang or a quadratic blow-up
/// takes minutes.
const LIMIT: Duration = Duration::from_secs(60);

/// A temporary folder `reports/` holding the two good reports.
struct Folder {
    tmp: tempfile::TempDir,
}

impl Folder {
    fn new() -> Folder {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("reports")).unwrap();
        fs::write(tmp.path().join("reports/good_en.txt"), GOOD_EN).unwrap();
        fs::write(tmp.path().join("reports/bueno_es.txt"), GOOD_ES).unwrap();
        Folder { tmp }
    }

    /// The folder the reports are in.
    fn reports(&self) -> PathBuf {
        self.tmp.path().join("reports")
    }

    /// `cifra extract ARGS -q` in the temporary folder, within `limit`:
    /// the exit code must be `code`, nothing may have panicked, and every
    /// mention must lie in its paragraph's text.
    fn run_args(&self, args: &[&OsStr], code: i32, limit: Duration) -> Vec<Value> {
        let mut all: Vec<&OsStr> = vec![OsStr::new("extract")];
        all.extend_from_slice(args);
        all.push(OsStr::new("-q"));
        let out = run_bounded(self.tmp.path(), &all, limit);
        if out.elapsed > Duration::from_secs(10) {
            eprintln!("cifra {all:?}: {:.1} s", out.elapsed.as_secs_f64());
        }
        for bad in ["panicked", "internal error", "overflow", "RUST_BACKTRACE"] {
            assert!(
                !out.stderr.contains(bad),
                "{bad} in stderr:\n{}",
                out.stderr
            );
        }
        assert_eq!(out.code, code, "exit code; stderr:\n{}", out.stderr);
        let records = parse_jsonl(&out.stdout);
        for record in &records {
            for e in errors(record) {
                assert!(!e.contains("internal error"), "{e}");
            }
            assert_mentions_in_paragraphs(record);
        }
        records
    }

    /// `cifra extract reports -q`.
    fn run(&self, code: i32) -> Vec<Value> {
        self.run_args(&[OsStr::new("reports")], code, LIMIT)
    }
}

/// The one record whose `doc` is `name`.
fn record<'r>(records: &'r [Value], name: &str) -> &'r Value {
    let found: Vec<&Value> = records.iter().filter(|r| r["doc"] == name).collect();
    assert_eq!(
        found.len(),
        1,
        "records named {name:?} among {:?}",
        records.iter().map(|r| &r["doc"]).collect::<Vec<_>>()
    );
    found[0]
}

/// The mention of `kind` whose text is `text`.
fn mention<'r>(record: &'r Value, kind: &str, text: &str) -> &'r Value {
    mentions_of(record, kind)
        .into_iter()
        .find(|m| m["text"] == text)
        .unwrap_or_else(|| {
            let all: Vec<_> = mentions(record)
                .iter()
                .map(|m| (&m["kind"], &m["text"]))
                .collect();
            panic!("{}: no {kind} {text:?} in {all:?}", record["doc"])
        })
}

/// Every mention's offsets, taken in its paragraph's text, give its text.
fn assert_mentions_in_paragraphs(record: &Value) {
    let paragraphs = record["paragraphs"].as_array().unwrap();
    for m in mentions(record) {
        let p = &paragraphs[u(m, "paragraph")];
        let (start, end) = (u(m, "start") - u(p, "start"), u(m, "end") - u(p, "start"));
        let in_paragraph = s(p, "text").get(start..end);
        assert_eq!(
            in_paragraph.map(fold).as_deref(),
            Some(s(m, "text")),
            "{}: {m}",
            record["doc"]
        );
    }
}

/// Every mention's offsets, taken in `text`, give its text.
fn assert_offsets(record: &Value, text: &str) {
    for m in mentions(record) {
        let slice = text.get(u(m, "start")..u(m, "end"));
        assert_eq!(
            slice.map(fold).as_deref(),
            Some(s(m, "text")),
            "{}: {m}",
            record["doc"]
        );
    }
}

/// Both good reports, whole: no errors, their figures, dates and names at
/// the right offsets of their files.
fn check_good(records: &[Value], folder: &Folder) {
    let en = record(records, "good_en.txt");
    assert!(errors(en).is_empty(), "{:?}", errors(en));
    assert_offsets(en, GOOD_EN);
    let figure = mention(en, "figure", "22");
    assert_eq!(
        (figure["value"].as_u64(), u(figure, "start")),
        (Some(22), 33)
    );
    assert_eq!(mention(en, "date", "30 June 2014")["value"], "2014-06-30");
    mention(en, "place", "Tlatlaya");
    mention(en, "institution", "CNDH");
    assert_eq!(s(en, "published"), "2014-06-30");

    let es = record(records, "bueno_es.txt");
    assert!(errors(es).is_empty(), "{:?}", errors(es));
    assert_offsets(es, GOOD_ES);
    let figure = mention(es, "figure", "43");
    assert_eq!(figure["value"], 43);
    assert_eq!(u(figure, "start"), GOOD_ES.find("43").unwrap());
    let date = mention(es, "date", "26 de septiembre de 2014");
    assert_eq!(date["value"], "2014-09-26");
    let pgr = mention(es, "institution", "Procuraduría General de la República");
    assert_eq!(pgr["canonical"], "Attorney General's Office (PGR)");
    mention(es, "place", "Iguala");
    assert_eq!(
        fs::read(folder.reports().join("bueno_es.txt")).unwrap(),
        GOOD_ES.as_bytes()
    );
}

/// A record read as `encoding` whose decoded text is [`INFORME`]: its
/// mentions, at offsets into that text.
fn check_informe(record: &Value, encoding: &str) {
    let name = &record["doc"];
    assert!(errors(record).is_empty(), "{name}: {:?}", errors(record));
    assert_eq!(record["encoding"], encoding, "{name}");
    assert_eq!(record["language"], "es", "{name}");
    assert_eq!(
        s(&record["paragraphs"][0], "text"),
        INFORME.trim_end(),
        "{name}"
    );
    assert_offsets(record, INFORME);
    let figure = mention(record, "figure", "22");
    assert_eq!(figure["value"], 22, "{name}");
    assert_eq!(u(figure, "start"), INFORME.find("22").unwrap(), "{name}");
    let date = mention(record, "date", "30 de junio de 2014");
    assert_eq!(
        (u(date, "start"), &date["value"]),
        (3, &"2014-06-30".into())
    );
    mention(
        record,
        "institution",
        "Comisión Nacional de los Derechos Humanos",
    );
}

// ---------------------------------------------------------------- cases

fn make_empty(dir: &Path) {
    fs::write(dir.join("empty.txt"), b"").unwrap();
}

fn check_empty(records: &[Value]) {
    let r = record(records, "empty.txt");
    assert_eq!(errors(r), ["empty file: there is no text to read"]);
    assert!(mentions(r).is_empty() && r["encoding"].is_null());
    // SHA-256 of nothing.
    assert_eq!(
        s(r, "sha256"),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn empty_file() {
    let folder = Folder::new();
    make_empty(&folder.reports());
    let records = folder.run(1);
    assert_eq!(records.len(), 3);
    check_empty(&records);
    check_good(&records, &folder);
}

/// 64 KiB from xorshift64 with a fixed seed: the same noise every run.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn make_random(dir: &Path) {
    fs::write(dir.join("random.txt"), noise(64 * 1024)).unwrap();
}

fn check_random(records: &[Value]) {
    let r = record(records, "random.txt");
    let errs = errors(r);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("binary file: this is not text (control bytes at byte ")
            && errs[0]
                .ends_with("if it is a report, save or export it as text (.txt, .md or .html)"),
        "{errs:?}"
    );
    assert!(mentions(r).is_empty());
    assert!(r["paragraphs"].as_array().unwrap().is_empty());
}

#[test]
fn random_bytes() {
    let folder = Folder::new();
    make_random(&folder.reports());
    let records = folder.run(1);
    assert_eq!(records.len(), 3);
    check_random(&records);
    check_good(&records, &folder);
}

const LATIN1: &str = "El 30 de junio de 2014, la Procuraduría General de la República informó que 22 personas murieron en Tlatlaya; según la Comisión, fue un año difícil.\n";

fn make_latin1(dir: &Path) {
    // ISO-8859-1: each character one byte, its code point.
    let bytes: Vec<u8> = LATIN1
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    assert!(std::str::from_utf8(&bytes).is_err());
    fs::write(dir.join("latin1.txt"), bytes).unwrap();
}

fn check_latin1(records: &[Value]) {
    let r = record(records, "latin1.txt");
    assert!(errors(r).is_empty(), "{:?}", errors(r));
    // WHATWG reads ISO-8859-1 as its superset windows-1252.
    assert_eq!(r["encoding"], "windows-1252");
    assert_eq!(s(&r["paragraphs"][0], "text"), LATIN1.trim_end());
    // Offsets are into the decoded (UTF-8) text, not the file: three
    // accented letters before `22` take one byte each in the file, two in
    // the text.
    assert_offsets(r, LATIN1);
    let figure = mention(r, "figure", "22");
    assert_eq!(u(figure, "start"), LATIN1.find("22").unwrap());
    assert_eq!(u(figure, "start"), 79);
    assert_eq!(
        mention(r, "date", "30 de junio de 2014")["value"],
        "2014-06-30"
    );
    mention(r, "institution", "Procuraduría General de la República");
}

#[test]
fn latin1_text() {
    let folder = Folder::new();
    make_latin1(&folder.reports());
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    check_latin1(&records);
    check_good(&records, &folder);
}

const CP1252: &str = "According to the Procuraduría, “22 people were killed” on 30 June 2014 in Tlatlaya — a “clear” execution, the CNDH said.\n";

fn make_cp1252(dir: &Path) {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(CP1252);
    assert!(!unmappable);
    // Curly quotes are 0x93 and 0x94 in Windows-1252, not in Latin-1.
    assert!(bytes.contains(&0x93) && bytes.contains(&0x94) && bytes.contains(&0xED));
    fs::write(dir.join("cp1252.txt"), bytes).unwrap();
}

fn check_cp1252(records: &[Value]) {
    let r = record(records, "cp1252.txt");
    assert!(errors(r).is_empty(), "{:?}", errors(r));
    assert_eq!(r["encoding"], "windows-1252");
    let text = s(&r["paragraphs"][0], "text");
    assert_eq!(text, CP1252.trim_end());
    assert!(text.contains("“22 people were killed”") && text.contains("Procuraduría"));
    assert_offsets(r, CP1252);
    let figure = mention(r, "figure", "22");
    assert_eq!(u(figure, "start"), CP1252.find("22").unwrap());
    assert_eq!(mention(r, "date", "30 June 2014")["value"], "2014-06-30");
    mention(r, "institution", "CNDH");
}

#[test]
fn windows_1252_text() {
    let folder = Folder::new();
    make_cp1252(&folder.reports());
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    check_cp1252(&records);
    check_good(&records, &folder);
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let units = std::iter::once(0xFEFF)
        .filter(|_| bom)
        .chain(text.encode_utf16());
    units
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

/// (file name, big endian, with BOM, encoding the record must name)
const UTF16: [(&str, bool, bool, &str); 3] = [
    ("utf16le_bom.txt", false, true, "UTF-16LE"),
    ("utf16le_nobom.txt", false, false, "UTF-16LE"),
    ("utf16be_bom.txt", true, true, "UTF-16BE"),
];

fn make_utf16(dir: &Path, which: usize) {
    let (name, big_endian, bom, _) = UTF16[which];
    fs::write(dir.join(name), utf16(INFORME, big_endian, bom)).unwrap();
}

fn check_utf16(records: &[Value], which: usize) {
    let (name, _, _, encoding) = UTF16[which];
    check_informe(record(records, name), encoding);
}

fn utf16_case(which: usize) {
    let folder = Folder::new();
    make_utf16(&folder.reports(), which);
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    check_utf16(&records, which);
    check_good(&records, &folder);
}

#[test]
fn utf16_le_with_bom() {
    utf16_case(0);
}

#[test]
fn utf16_le_without_bom() {
    utf16_case(1);
}

#[test]
fn utf16_be_with_bom() {
    utf16_case(2);
}

const WITH_NULS: &str = "On 30 June 2014,\0soldiers killed 22 people in Tlatlaya, Mexico State.\0\n\nThe CNDH\0documented the killings in a recommendation.\n";

fn make_nul(dir: &Path) {
    fs::write(dir.join("nul.txt"), WITH_NULS).unwrap();
}

fn check_nul(records: &[Value]) {
    // A few stray NULs in UTF-8 text: read as spaces, byte for byte, so
    // the offsets are still the file's.
    let r = record(records, "nul.txt");
    assert!(errors(r).is_empty(), "{:?}", errors(r));
    assert_eq!(r["encoding"], "UTF-8");
    let spaced = WITH_NULS.replace('\0', " ");
    assert_offsets(r, &spaced);
    let figure = mention(r, "figure", "22");
    assert_eq!(u(figure, "start"), WITH_NULS.find("22").unwrap());
    assert_eq!(mention(r, "date", "30 June 2014")["value"], "2014-06-30");
    mention(r, "institution", "CNDH");
    let paragraphs = r["paragraphs"].as_array().unwrap();
    assert_eq!(
        s(&paragraphs[0], "text"),
        spaced.lines().next().unwrap().trim_end()
    );
    assert!(paragraphs.iter().all(|p| !s(p, "text").contains('\0')));
}

#[test]
fn nul_bytes_in_utf8_text() {
    let folder = Folder::new();
    make_nul(&folder.reports());
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    check_nul(&records);
    check_good(&records, &folder);
}

const LINE_HEAD: &str =
    "On 30 June 2014, soldiers killed 22 people in Tlatlaya, Mexico State, according to the CNDH. ";
const LINE_TAIL: &str =
    "El 26 de septiembre de 2014, 43 estudiantes fueron desaparecidos en Iguala, Guerrero.\n";

/// `one_line.txt`, `bytes` long and one line: a sentence with mentions,
/// half of it sentences with no mentions, half one run-on clause without
/// any sentence end, and a last sentence with mentions.
fn make_long_line(dir: &Path, bytes: usize) {
    use std::io::Write;
    let sentence = "The commission reviewed the files of the case and heard the families again. ";
    let clause = "and the families waited for news of the case while the hearings went on ";
    let mut out = std::io::BufWriter::new(fs::File::create(dir.join("one_line.txt")).unwrap());
    out.write_all(LINE_HEAD.as_bytes()).unwrap();
    let mut written = LINE_HEAD.len();
    while written < bytes / 2 {
        out.write_all(sentence.as_bytes()).unwrap();
        written += sentence.len();
    }
    while written + clause.len() + LINE_TAIL.len() <= bytes {
        out.write_all(clause.as_bytes()).unwrap();
        written += clause.len();
    }
    out.write_all(" ".repeat(bytes - written - LINE_TAIL.len()).as_bytes())
        .unwrap();
    out.write_all(LINE_TAIL.as_bytes()).unwrap();
    out.flush().unwrap();
}

/// The long line's records: one, or (over 4 MB) its parts, in order,
/// cut after a full stop or a space; each part's offsets count from the
/// part's start.
fn check_long_line(records: &[Value], dir: &Path) -> usize {
    let parts: Vec<&Value> = records
        .iter()
        .filter(|r| r["doc"] == "one_line.txt")
        .collect();
    let text = fs::read_to_string(dir.join("one_line.txt")).unwrap();
    let mut at = 0;
    let mut found = 0;
    for (k, r) in parts.iter().enumerate() {
        assert!(errors(r).is_empty(), "{:?}", errors(r));
        let end = if parts.len() == 1 {
            assert!(r["part"].is_null(), "{}", r["part"]);
            text.len()
        } else {
            assert_eq!(u(&r["part"], "number"), k + 1);
            assert_eq!(u(&r["part"], "offset"), at);
            assert!(at == 0 || text[..at].ends_with(' '), "cut at {at}");
            parts
                .get(k + 1)
                .map_or(text.len(), |next| u(&next["part"], "offset"))
        };
        let part = &text[at..end];
        assert_offsets(r, part);
        // Cut into paragraphs of at most 64 KB and sentences of at most
        // 2,000 bytes: one reader's paragraph, one claim's sentence.
        let paragraphs = r["paragraphs"].as_array().unwrap();
        assert!(
            paragraphs.len() > part.len() / (64 * 1024),
            "{}",
            paragraphs.len()
        );
        assert!(paragraphs
            .iter()
            .all(|p| u(p, "end") - u(p, "start") <= 64 * 1024));
        assert!(r["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| u(s, "end") - u(s, "start") <= 2_000));
        found += mentions(r).len();
        at = end;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    let figure = mention(first, "figure", "22");
    assert_eq!((u(figure, "start"), &figure["value"]), (33, &22.into()));
    assert_eq!(
        mention(first, "date", "30 June 2014")["value"],
        "2014-06-30"
    );
    let last_offset = last["part"]
        .get("offset")
        .map_or(0, |o| o.as_u64().unwrap() as usize);
    let tail = text.len() - LINE_TAIL.len() - last_offset;
    let figure = mention(last, "figure", "43");
    assert_eq!(u(figure, "start"), tail + LINE_TAIL.find("43").unwrap());
    let date = mention(last, "date", "26 de septiembre de 2014");
    assert_eq!(
        (u(date, "start"), &date["value"]),
        (tail + 3, &"2014-09-26".into())
    );
    assert_eq!(found, 9, "the filler holds no mention");
    parts.len()
}

/// 50 MB on one line. In a debug build this takes about 40 s on an idle
/// machine (more while other tests run); before paragraphs, sentences and
/// overlap checks were bounded it took hours (1 MB: 150 s), so the limit
/// still tells linear from quadratic. It is read in parts (cut after a
/// full stop, then at spaces), never whole.
#[test]
fn fifty_megabytes_on_one_line() {
    let folder = Folder::new();
    make_long_line(&folder.reports(), 50 * 1024 * 1024);
    let records = folder.run_args(&[OsStr::new("reports")], 0, Duration::from_secs(300));
    let parts = check_long_line(&records, &folder.reports());
    // 25 MB of sentences cut every 4 MB, 25 MB of clauses every 8 MB.
    assert!((9..=11).contains(&parts), "{parts} parts");
    assert_eq!(records.len(), 2 + parts);
    check_good(&records, &folder);
}

const DEEP_TEXT: &str = "On 30 June 2014, soldiers killed 22 people in Tlatlaya, Mexico State.";

fn make_deep_html(dir: &Path) {
    let depth = 100_000;
    let page = format!(
        "<html><head><title>Tlatlaya</title></head><body>{}<p>{DEEP_TEXT}</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    fs::write(dir.join("deep.html"), page).unwrap();
}

fn check_deep_html(records: &[Value]) {
    let r = record(records, "deep.html");
    assert!(errors(r).is_empty(), "{:?}", errors(r));
    assert_eq!(r["format"], "html");
    assert_eq!(r["title"], "Tlatlaya");
    let paragraphs = r["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs.len(), 1);
    assert_eq!(s(&paragraphs[0], "text"), DEEP_TEXT);
    let figure = mention(r, "figure", "22");
    assert_eq!(u(figure, "start"), u(&paragraphs[0], "start") + 33);
    assert_eq!(mention(r, "date", "30 June 2014")["value"], "2014-06-30");
}

/// Parsing is iterative (no stack overflow, which would abort the
/// process) and tags deeper than 512 are dropped first (100,000 nested
/// `<div>` took 47 s in the HTML parser's quadratic scans).
#[test]
fn html_nested_100000_deep() {
    let folder = Folder::new();
    make_deep_html(&folder.reports());
    // About 1 s in a debug build; it was 47 s.
    let records = folder.run_args(&[OsStr::new("reports")], 0, Duration::from_secs(20));
    assert_eq!(records.len(), 3);
    check_deep_html(&records);
    check_good(&records, &folder);
}

fn make_unreadable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("locked.txt");
    fs::write(&path, INFORME).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
}

/// Whether the locked file can still be read (as root it can: permissions
/// do not bind root).
fn locked_is_readable(dir: &Path) -> bool {
    fs::File::open(dir.join("locked.txt")).is_ok()
}

fn check_unreadable(records: &[Value], dir: &Path) {
    let r = record(records, "locked.txt");
    if locked_is_readable(dir) {
        eprintln!("locked.txt: running as root, a file with mode 000 is still readable; the permission error is not checked");
        check_informe(r, "UTF-8");
        return;
    }
    assert_eq!(
        errors(r),
        ["permission denied: cannot read reports/locked.txt; ask for read access to it, or copy it somewhere you can read"]
    );
    assert!(mentions(r).is_empty());
}

#[test]
fn file_that_cannot_be_read() {
    let folder = Folder::new();
    make_unreadable(&folder.reports());
    let code = if locked_is_readable(&folder.reports()) {
        0
    } else {
        1
    };
    let records = folder.run(code);
    assert_eq!(records.len(), 3);
    check_unreadable(&records, &folder.reports());
    check_good(&records, &folder);
}

/// `loop.txt` → itself, and `sub/up` → `..` (the folder that holds it).
fn make_symlink_loops(dir: &Path) {
    std::os::unix::fs::symlink("loop.txt", dir.join("loop.txt")).unwrap();
    fs::create_dir(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
}

fn check_symlink_loops(records: &[Value]) {
    assert_eq!(
        errors(record(records, "loop.txt")),
        ["symbolic link loop: reports/loop.txt points to loop.txt, which leads back round to it; fix or remove the link"]
    );
    assert_eq!(
        errors(record(records, "up")),
        ["symbolic link loop: reports/sub/up leads back to reports, a folder that holds it, so it was not followed; remove the link if it is a mistake"]
    );
}

#[test]
fn symbolic_link_loops() {
    let folder = Folder::new();
    make_symlink_loops(&folder.reports());
    let records = folder.run(1);
    // The folder is walked once: the good reports are not read again
    // through the loop.
    assert_eq!(records.len(), 4);
    check_symlink_loops(&records);
    check_good(&records, &folder);
}

fn check_missing(records: &[Value]) {
    let r = record(records, "missing.txt");
    assert_eq!(
        errors(r),
        ["file not found: missing.txt (check the path and its spelling)"]
    );
    assert_eq!(r["path"], "missing.txt");
}

#[test]
fn path_that_does_not_exist() {
    let folder = Folder::new();
    let args = [OsStr::new("reports"), OsStr::new("missing.txt")];
    let records = folder.run_args(&args, 1, LIMIT);
    assert_eq!(records.len(), 3);
    check_missing(&records);
    check_good(&records, &folder);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let folder = Folder::new();
    let out = run_bounded(
        folder.tmp.path(),
        &["extract", "reports", "--no-such-flag"],
        LIMIT,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("--no-such-flag"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

fn make_numbers(dir: &Path) {
    let text = format!(
        "The fund reached 999,999,999,999,999 pesos in 2015.\n\n\
         A table printed {} people by mistake.\n\n\
         The budget line read 1e308 pesos.\n\n\
         Soldiers killed {} million people, the hoax said.\n",
        "9".repeat(500),
        "9".repeat(400),
    );
    fs::write(dir.join("numbers.txt"), text).unwrap();
}

fn check_numbers(records: &[Value]) {
    let r = record(records, "numbers.txt");
    assert!(errors(r).is_empty(), "{:?}", errors(r));
    let fund = mention(r, "figure", "999,999,999,999,999 pesos");
    assert_eq!(fund["value"].as_u64(), Some(999_999_999_999_999));
    assert_eq!(fund["unit"], "money");
    // 500 digits, and 400 digits of millions (past the largest float),
    // are no figures; nor is `1e308`. Every figure's value is a number.
    for m in mentions_of(r, "figure") {
        assert!(m["value"].is_number(), "{m}");
        let text = s(m, "text");
        assert!(!text.contains("99999999") && !text.contains("1e308"), "{m}");
    }
    assert_eq!(mentions_of(r, "figure").len(), 1, "{:?}", mentions(r));
}

#[test]
fn numbers_too_large() {
    let folder = Folder::new();
    make_numbers(&folder.reports());
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    check_numbers(&records);
    check_good(&records, &folder);
}

fn make_dates(dir: &Path) {
    let text = "On 31 February 2014, nothing happened. On 29 February 2015 there was no raid either. On 29 February 2016 soldiers raided the village.\n\n\
                El 30 de febrero de 2014 no hubo operativos. En el año 99999 tampoco.\n\n\
                Nothing will change in the year 99999, the report said.\n";
    fs::write(dir.join("dates.txt"), text).unwrap();
}

/// `YYYY-MM-DD` is a day of the calendar.
fn real_day(value: &str) -> bool {
    let parts: Vec<u32> = value.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1]
}

fn check_dates(records: &[Value]) {
    let r = record(records, "dates.txt");
    assert!(errors(r).is_empty(), "{:?}", errors(r));
    // Impossible days are dates without a value, never an ISO date.
    for text in [
        "31 February 2014",
        "29 February 2015",
        "30 de febrero de 2014",
    ] {
        assert!(mention(r, "date", text)["value"].is_null(), "{text}");
    }
    assert_eq!(
        mention(r, "date", "29 February 2016")["value"],
        "2016-02-29"
    );
    let mut values: Vec<&str> = mentions_of(r, "date")
        .iter()
        .filter_map(|m| m["value"].as_str())
        .collect();
    values.extend(
        r["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["date"].as_str()),
    );
    values.extend(r["published"].as_str());
    for value in values {
        assert!(!value.contains("99999"), "{value}");
        if value.len() == 10 {
            assert!(real_day(value), "{value}");
        }
    }
    // `año 99999`, `the year 99999`: no date.
    for m in mentions_of(r, "date") {
        assert!(!s(m, "text").contains("99999"), "{m}");
    }
}

#[test]
fn impossible_dates() {
    let folder = Folder::new();
    make_dates(&folder.reports());
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    check_dates(&records);
    check_good(&records, &folder);
}

/// UTF-8 with one damaged place (bytes that are no UTF-8) in the middle.
fn damaged_bytes() -> (Vec<u8>, usize) {
    let mut bytes = "Según la Procuraduría General de la República, 43 estudiantes fueron desaparecidos el 26 de septiembre de 2014 en Iguala. "
        .as_bytes()
        .to_vec();
    let at = bytes.len();
    bytes.extend_from_slice(b"\xff\xfe\xc3(");
    bytes.extend_from_slice(
        "El año siguiente, la CNDH documentó 22 casos más de tortura en Guerrero.\n".as_bytes(),
    );
    (bytes, at)
}

fn make_damaged(dir: &Path) {
    fs::write(dir.join("damaged.txt"), damaged_bytes().0).unwrap();
}

fn check_damaged(records: &[Value]) {
    let (bytes, at) = damaged_bytes();
    let r = record(records, "damaged.txt");
    // Read as the UTF-8 it is (not as Windows-1252, which turned every
    // accent into two letters), and the damage reported.
    assert_eq!(r["encoding"], "UTF-8");
    assert_eq!(
        errors(r),
        [format!("damaged text: 1 place(s) in this UTF-8 file, the first at byte {at}, hold bytes that are not UTF-8; they were read as � and the rest was read. If characters are missing there, get a clean copy of the file")]
    );
    let text = s(&r["paragraphs"][0], "text");
    assert!(text.starts_with("Según la Procuraduría") && text.contains("El año siguiente"));
    assert!(text.contains('\u{fffd}') && !text.contains('Ã'), "{text}");
    let decoded = String::from_utf8_lossy(&bytes);
    assert_offsets(r, &decoded);
    // Before the damage the offsets are the file's bytes.
    let figure = mention(r, "figure", "43");
    assert_eq!(&bytes[u(figure, "start")..u(figure, "end")], b"43");
    mention(r, "figure", "22");
    mention(r, "institution", "Procuraduría General de la República");
    assert_eq!(
        mention(r, "date", "26 de septiembre de 2014")["value"],
        "2014-09-26"
    );
}

#[test]
fn invalid_utf8_in_the_middle() {
    let folder = Folder::new();
    make_damaged(&folder.reports());
    let records = folder.run(1);
    assert_eq!(records.len(), 3);
    check_damaged(&records);
    check_good(&records, &folder);
}

/// `informe_año_2014.txt` with the ñ in Latin-1: not UTF-8.
const LATIN1_NAME: &[u8] = b"informe_a\xf1o_2014.txt";

fn make_non_utf8_name(dir: &Path) {
    fs::write(dir.join(OsStr::from_bytes(LATIN1_NAME)), INFORME).unwrap();
}

fn check_non_utf8_name(records: &[Value]) {
    // JSON holds UTF-8 only: the byte shows as U+FFFD.
    let r = record(records, "informe_a\u{fffd}o_2014.txt");
    check_informe(r, "UTF-8");
}

#[test]
fn file_name_not_utf8() {
    let folder = Folder::new();
    make_non_utf8_name(&folder.reports());
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    check_non_utf8_name(&records);
    check_good(&records, &folder);
    // Named on the command line.
    let path = Path::new("reports").join(OsStr::from_bytes(LATIN1_NAME));
    let records = folder.run_args(&[path.as_os_str()], 0, LIMIT);
    assert_eq!(records.len(), 1);
    check_non_utf8_name(&records);
    assert_eq!(records[0]["path"], "reports/informe_a\u{fffd}o_2014.txt");
}

/// 254 bytes, one short of what Linux file systems allow.
fn long_name() -> String {
    format!("{}.txt", "a".repeat(250))
}

fn make_long_name(dir: &Path) {
    fs::write(dir.join(long_name()), INFORME).unwrap();
}

fn check_long_name(records: &[Value]) {
    check_informe(record(records, &long_name()), "UTF-8");
}

#[test]
fn very_long_file_name() {
    let folder = Folder::new();
    make_long_name(&folder.reports());
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    check_long_name(&records);
    check_good(&records, &folder);
}

fn make_folder_named_txt(dir: &Path) {
    fs::create_dir(dir.join("x.txt")).unwrap();
}

#[test]
fn folder_named_x_txt() {
    let folder = Folder::new();
    make_folder_named_txt(&folder.reports());
    // A folder is walked, whatever its name: empty, it holds no report.
    let records = folder.run(0);
    assert_eq!(records.len(), 2);
    check_good(&records, &folder);
    let records = folder.run_args(&[OsStr::new("reports/x.txt")], 0, LIMIT);
    assert!(records.is_empty());
    // A report inside it is read.
    fs::write(folder.reports().join("x.txt/informe.md"), INFORME).unwrap();
    let records = folder.run(0);
    assert_eq!(records.len(), 3);
    let inside = record(&records, "informe.md");
    assert_eq!(inside["path"], "reports/x.txt/informe.md");
    assert_eq!(inside["format"], "md");
    check_informe(inside, "UTF-8");
    check_good(&records, &folder);
}

/// Every hostile file at once, with the good reports and a missing path:
/// one record each, the good ones whole.
#[test]
fn all_hostile_files_in_one_folder() {
    let folder = Folder::new();
    let dir = folder.reports();
    make_empty(&dir);
    make_random(&dir);
    make_latin1(&dir);
    make_cp1252(&dir);
    for which in 0..UTF16.len() {
        make_utf16(&dir, which);
    }
    make_nul(&dir);
    // 5 MB here; the 50 MB line has its own test.
    make_long_line(&dir, 5 * 1024 * 1024);
    make_deep_html(&dir);
    make_unreadable(&dir);
    make_symlink_loops(&dir);
    make_numbers(&dir);
    make_dates(&dir);
    make_damaged(&dir);
    make_non_utf8_name(&dir);
    make_long_name(&dir);
    make_folder_named_txt(&dir);
    let args = [OsStr::new("reports"), OsStr::new("missing.txt")];
    let records = folder.run_args(&args, 1, Duration::from_secs(180));
    // 2 good, 18 hostile files (the empty folder x.txt holds none), 1
    // missing path.
    assert_eq!(records.len(), 2 + 18 + 1);
    check_good(&records, &folder);
    check_empty(&records);
    check_random(&records);
    check_latin1(&records);
    check_cp1252(&records);
    for which in 0..UTF16.len() {
        check_utf16(&records, which);
    }
    check_nul(&records);
    assert_eq!(check_long_line(&records, &dir), 1);
    check_deep_html(&records);
    check_unreadable(&records, &dir);
    check_symlink_loops(&records);
    check_numbers(&records);
    check_dates(&records);
    check_damaged(&records);
    check_non_utf8_name(&records);
    check_long_name(&records);
    check_missing(&records);
    // Exactly the records checked above, nothing else.
    let mut names: Vec<&str> = records.iter().map(|r| s(r, "doc")).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), records.len(), "{names:?}");
}

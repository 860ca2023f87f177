//! The command line: exit codes (0 fine, 1 some documents had errors,
//! 2 bad usage), error records, output files and the CSV format.

use std::fs;

use crate::util::{errors, extract, mentions_of, parse_jsonl, run_in, s, u};

const TLATLAYA: &str = "Soldiers killed 22 civilians in Tlatlaya on 30 June 2014.\n";

/// A temporary folder holding one good report, `good.txt`.
fn folder_with_good_report() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.txt"), TLATLAYA).unwrap();
    dir
}

fn assert_good_record(record: &serde_json::Value) {
    assert_eq!(errors(record), Vec::<String>::new());
    let figures = mentions_of(record, "figure");
    assert_eq!(figures.len(), 1, "{record}");
    assert_eq!(figures[0]["text"], "22");
    assert_eq!(figures[0]["value"], 22);
    assert_eq!(u(figures[0], "start"), TLATLAYA.find("22").unwrap());
    let dates = mentions_of(record, "date");
    assert_eq!(dates.len(), 1, "{record}");
    assert_eq!(dates[0]["value"], "2014-06-30");
}

#[test]
fn bad_documents_get_error_records_and_exit_code_1() {
    let dir = folder_with_good_report();
    fs::write(
        dir.path().join("report.doc"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    )
    .unwrap();
    fs::write(dir.path().join("empty.txt"), b"").unwrap();
    let records = extract(dir.path(), &["."], 1);
    let docs: Vec<&str> = records.iter().map(|r| s(r, "doc")).collect();
    assert_eq!(docs, ["empty.txt", "good.txt", "report.doc"]);

    let empty = &records[0];
    assert_eq!(errors(empty).len(), 1, "{empty}");
    assert!(errors(empty)[0].contains("empty"), "{empty}");
    assert!(mentions_of(empty, "figure").is_empty());

    assert_good_record(&records[1]);

    let pdf = &records[2];
    assert_eq!(pdf["format"], "unsupported");
    assert_eq!(errors(pdf).len(), 1, "{pdf}");
    assert!(errors(pdf)[0].contains("unsupported format"), "{pdf}");
    assert!(errors(pdf)[0].contains(".doc"), "{pdf}");
    assert!(crate::util::mentions(pdf).is_empty());
}

#[test]
fn errors_are_summarized_on_stderr_unless_quiet() {
    let dir = folder_with_good_report();
    fs::write(dir.path().join("empty.txt"), b"").unwrap();
    let (code, stdout, stderr) = run_in(dir.path(), &["extract", "."]);
    assert_eq!(code, 1);
    assert_eq!(parse_jsonl(&stdout).len(), 2);
    assert!(stderr.contains("empty.txt"), "{stderr}");
    assert!(stderr.contains("2 documents"), "{stderr}");
    let (code, _, stderr) = run_in(dir.path(), &["extract", ".", "--quiet"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "");
}

#[test]
fn missing_path_is_a_record_and_the_rest_is_processed() {
    let dir = folder_with_good_report();
    let records = extract(dir.path(), &["good.txt", "nope.txt"], 1);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["path"], "good.txt");
    assert_good_record(&records[0]);
    assert_eq!(records[1]["path"], "nope.txt");
    let errs = errors(&records[1]);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("not found"), "{errs:?}");
    assert!(errs[0].contains("nope.txt"), "{errs:?}");
}

#[test]
fn all_good_documents_exit_0() {
    let dir = folder_with_good_report();
    let records = extract(dir.path(), &["good.txt"], 0);
    assert_eq!(records.len(), 1);
    assert_good_record(&records[0]);
}

#[test]
fn usage_errors_exit_2() {
    let dir = folder_with_good_report();
    let cases: &[&[&str]] = &[
        &["extract", "good.txt", "--threads", "0"],
        &["extract", "good.txt", "--threads", "many"],
        &["extract", "good.txt", "--bogus"],
        &["extract", "good.txt", "--format", "xml"],
        &["extract"],
        &[],
        &["convert", "good.txt"],
    ];
    for args in cases {
        let (code, stdout, stderr) = run_in(dir.path(), args);
        assert_eq!(code, 2, "cifra {args:?}: stderr {stderr}");
        assert_eq!(stdout, "", "cifra {args:?}");
        assert!(!stderr.trim().is_empty(), "cifra {args:?}: no message");
    }
    let (_, _, stderr) = run_in(dir.path(), &["extract", "good.txt", "--threads", "0"]);
    assert!(stderr.contains("--threads"), "{stderr}");
}

#[test]
fn missing_metadata_file_exits_2_naming_it() {
    let dir = folder_with_good_report();
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["extract", "good.txt", "--metadata", "missing-meta.csv"],
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("missing-meta.csv"), "{stderr}");
}

#[test]
fn metadata_without_file_column_exits_2() {
    let dir = folder_with_good_report();
    fs::write(
        dir.path().join("meta.csv"),
        "name,title\ngood.txt,Tlatlaya\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["extract", "good.txt", "--metadata", "meta.csv"],
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("'file'"), "{stderr}");
    assert!(stderr.contains("meta.csv"), "{stderr}");
}

#[test]
fn metadata_flag_fills_the_record() {
    let dir = folder_with_good_report();
    fs::write(
        dir.path().join("meta.tsv"),
        "file\ttitle\tdate\tpublisher\tgenre\tlanguage\n\
         good.txt\tTlatlaya, one memo\t2014-07-01T09:00:00Z\tCNDH\tmemo\tes\n",
    )
    .unwrap();
    let records = extract(dir.path(), &["good.txt", "--metadata", "meta.tsv"], 0);
    let r = &records[0];
    assert_eq!(r["title"], "Tlatlaya, one memo");
    assert_eq!(r["published"], "2014-07-01");
    assert_eq!(r["publisher"], "CNDH");
    assert_eq!(r["genre"], "memo");
    assert_eq!(r["language"], "es");
    // Without the table: title from the first line, date from the dateline.
    let records = extract(dir.path(), &["good.txt"], 0);
    assert_eq!(r["doc"], records[0]["doc"]);
    assert_eq!(records[0]["title"], TLATLAYA.trim());
    assert_eq!(records[0]["published"], "2014-06-30");
    assert_eq!(records[0]["language"], "en");
}

#[test]
fn output_file_has_the_stdout_bytes_and_no_partial() {
    let dir = folder_with_good_report();
    fs::write(
        dir.path().join("second.md"),
        "# Note\n\nAt least 12 people were executed.\n",
    )
    .unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["extract", ".", "--quiet"]);
    assert_eq!(code, 0);
    assert_eq!(parse_jsonl(&stdout).len(), 2);

    let (code, printed, stderr) = run_in(
        dir.path(),
        &[
            "extract",
            "good.txt",
            "second.md",
            "-o",
            "out.jsonl",
            "--quiet",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(printed, "", "nothing on stdout when writing a file");
    let written = fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    let (_, expected, _) = run_in(dir.path(), &["extract", "good.txt", "second.md", "--quiet"]);
    assert_eq!(written, expected);
    assert!(!dir.path().join("out.jsonl.partial").exists());

    let (code, dashed, _) = run_in(
        dir.path(),
        &["extract", "good.txt", "second.md", "-o", "-", "--quiet"],
    );
    assert_eq!(code, 0);
    assert_eq!(dashed, expected);
    assert!(
        !dir.path().join("-").exists(),
        "-o - must not create a file named -"
    );
}

#[test]
fn output_file_in_missing_folder_exits_2() {
    let dir = folder_with_good_report();
    let (code, _, stderr) = run_in(
        dir.path(),
        &["extract", "good.txt", "-o", "no/such/folder/out.jsonl"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("out.jsonl"), "{stderr}");
}

#[test]
fn csv_rows_per_mention() {
    let dir = folder_with_good_report();
    fs::write(dir.path().join("report.pdf"), b"%PDF-1.4").unwrap(); // cut short: corrupt
    let (code, stdout, stderr) =
        run_in(dir.path(), &["extract", ".", "--format", "csv", "--quiet"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout.lines().next().unwrap(),
        "document,paragraph,kind,text,start,end,value,value_max,approx,unit,currency,subject,canonical,event,salient"
    );
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.len(), 15);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let field = |row: &csv::StringRecord, name: &str| -> String {
        let i = headers.iter().position(|h| h == name).unwrap();
        row[i].to_string()
    };
    let good: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| field(r, "document") == "./good.txt")
        .collect();
    assert_eq!(good.len(), 3, "{stdout}");
    let place = good.iter().find(|r| field(r, "kind") == "place").unwrap();
    assert_eq!(field(place, "text"), "Tlatlaya");
    assert_eq!(field(place, "canonical"), "Tlatlaya");

    let figure = good.iter().find(|r| field(r, "kind") == "figure").unwrap();
    let start = TLATLAYA.find("22").unwrap();
    assert_eq!(field(figure, "text"), "22");
    assert_eq!(field(figure, "value"), "22");
    assert_eq!(field(figure, "start"), start.to_string());
    assert_eq!(field(figure, "end"), (start + 2).to_string());
    assert_eq!(field(figure, "paragraph"), "0");
    assert_eq!(field(figure, "approx"), "exact");
    assert_eq!(field(figure, "unit"), "count");
    assert_eq!(field(figure, "subject"), "civilians");
    assert_eq!(field(figure, "value_max"), "");
    assert_eq!(field(figure, "event"), "killed");
    assert_eq!(field(figure, "salient"), "true");

    let date = good.iter().find(|r| field(r, "kind") == "date").unwrap();
    let start = TLATLAYA.find("30 June 2014").unwrap();
    assert_eq!(field(date, "text"), "30 June 2014");
    assert_eq!(field(date, "value"), "2014-06-30");
    assert_eq!(field(date, "start"), start.to_string());
    assert_eq!(
        field(date, "end"),
        (start + "30 June 2014".len()).to_string()
    );

    // A document with errors is never silently absent: it gets an error row.
    let pdf: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| field(r, "document") == "./report.pdf")
        .collect();
    assert_eq!(pdf.len(), 1, "{stdout}");
    assert_eq!(field(pdf[0], "kind"), "error");
    assert!(field(pdf[0], "text").starts_with("corrupt PDF"));
}

fn write_dictionary(dir: &std::path::Path, name: &str, text: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(name), text).unwrap();
}

#[test]
fn malformed_dictionary_exits_2_naming_file_and_line() {
    let dir = folder_with_good_report();
    let dicts = dir.path().join("dicts");
    write_dictionary(
        &dicts,
        "approximators.tsv",
        "# comment\nphrase\tapprox\tlang\nmore than\tmore_than\ten\nabout\tabout\n",
    );
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["extract", "good.txt", "--dictionaries", "dicts"],
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("approximators.tsv"), "{stderr}");
    assert!(stderr.contains("line 4"), "{stderr}");
}

#[test]
fn unknown_dictionary_file_exits_2() {
    let dir = folder_with_good_report();
    let dicts = dir.path().join("dicts");
    write_dictionary(&dicts, "approximator.tsv", "phrase\tapprox\tlang\n");
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["extract", "good.txt", "--dictionaries", "dicts"],
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("approximator.tsv"), "{stderr}");

    let (code, _, stderr) = run_in(
        dir.path(),
        &["extract", "good.txt", "--dictionaries", "no-such-dir"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-dir"), "{stderr}");
}

#[test]
fn dictionary_override_replaces_the_builtin_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "Roughly 300 families filed complaints.\n",
    )
    .unwrap();
    let records = extract(dir.path(), &["a.txt"], 0);
    let figure = mentions_of(&records[0], "figure")[0].clone();
    assert_eq!(figure["text"], "Roughly 300");
    assert_eq!(figure["approx"], "about");

    // An approximators.tsv without "roughly": the figure is the bare number.
    let dicts = dir.path().join("dicts");
    write_dictionary(
        &dicts,
        "approximators.tsv",
        "phrase\tapprox\tlang\nmore than\tmore_than\ten\n",
    );
    let records = extract(dir.path(), &["a.txt", "--dictionaries", "dicts"], 0);
    let figure = mentions_of(&records[0], "figure")[0].clone();
    assert_eq!(figure["text"], "300");
    assert_eq!(figure["approx"], "exact");
    assert_eq!(u(&figure, "start"), "Roughly ".len());
}

#[test]
fn help_texts() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("extract"), "{stdout}");
    let (code, stdout, _) = run_in(dir.path(), &["extract", "--help"]);
    assert_eq!(code, 0);
    for flag in [
        "--metadata",
        "--threads",
        "--output",
        "--format",
        "--dictionaries",
        "--quiet",
    ] {
        assert!(
            stdout.contains(flag),
            "extract --help lacks {flag}:\n{stdout}"
        );
    }
    let (code, stdout, _) = run_in(dir.path(), &["--version"]);
    assert_eq!(code, 0);
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
}

#[test]
fn check_reports_dictionary_problems_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("dictionaries OK"), "{stdout}");

    // Two entries with one id: exit 2, naming the file and the second line.
    let dicts = dir.path().join("dicts");
    write_dictionary(
        &dicts,
        "legal_instruments.tsv",
        "id\tcanonical\tnames\tacronyms\tcategory\tcountry\tyear\n\
         leahy\tLeahy Law\tLeahy Law\t\tlaw\tUS\t1997\n\
         leahy\tLeahy Amendment\tLeahy Amendment\t\tlaw\tUS\t1997\n",
    );
    let (code, _, stderr) = run_in(dir.path(), &["check", "--dictionaries", "dicts"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("legal_instruments.tsv"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("leahy"), "{stderr}");

    // A name two entries share is reported, and the run still passes.
    write_dictionary(
        &dicts,
        "legal_instruments.tsv",
        "id\tcanonical\tnames\tacronyms\tcategory\tcountry\tyear\n\
         leahy\tLeahy Law\tLeahy Law\t\tlaw\tUS\t1997\n\
         leahy2\tLeahy Amendment\tLeahy Law\t\tlaw\tUS\t1997\n",
    );
    let (code, stdout, _) = run_in(dir.path(), &["check", "--dictionaries", "dicts"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("'leahy law' also names leahy2"), "{stdout}");
}

#[test]
fn a_users_entity_list_adds_to_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "The Colectivo Luz de Esperanza and the PGR met the CNDH.\n",
    )
    .unwrap();
    let dicts = dir.path().join("dicts");
    write_dictionary(
        &dicts,
        "institutions.tsv",
        "id\tcanonical\tnames\tacronyms\tcategory\tcountry\tsucceeds\n\
         luz\tColectivo Luz de Esperanza\tColectivo Luz de Esperanza\t\tngo\tMX\t\n\
         cndh\tCNDH (Mexico)\tComisión Nacional de los Derechos Humanos\tCNDH\thuman_rights_body\tMX\t\n",
    );
    let records = extract(dir.path(), &["a.txt", "--dictionaries", "dicts"], 0);
    let found: Vec<(String, String)> = mentions_of(&records[0], "institution")
        .iter()
        .map(|m| (s(m, "text").to_string(), s(m, "canonical").to_string()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "Colectivo Luz de Esperanza".into(),
                "Colectivo Luz de Esperanza".into()
            ),
            ("PGR".into(), "Attorney General's Office (PGR)".into()),
            ("CNDH".into(), "CNDH (Mexico)".into()),
        ]
    );
}

/// `-o` on a named pipe (or `/dev/null`) writes into it: renaming a
/// finished file over it would replace the pipe or device itself.
#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_keeps_the_pipe() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let dir = folder_with_good_report();
    let fifo = dir.path().join("out.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo here; skipping");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let (code, _, stderr) = run_in(dir.path(), &["extract", "good.txt", "-o", "out.fifo", "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(!dir.path().join("out.fifo.partial").exists());
    // Should cifra never have opened the pipe, open and close it here so the
    // reader sees its end instead of waiting forever (O_NONBLOCK: no wait).
    {
        use std::os::unix::fs::OpenOptionsExt;
        let _ = fs::OpenOptions::new()
            .write(true)
            .custom_flags(0o4000)
            .open(&fifo);
    }
    let text = reader.join().unwrap();
    assert!(text.contains("\"doc\":\"good.txt\""), "{text}");
}

#[test]
fn a_runs_own_output_and_an_index_among_the_reports_are_not_read() {
    let dir = folder_with_good_report();
    let p = dir.path();
    // Run twice with the output inside the folder read: the second run
    // finds out.jsonl (and, while it writes, out.jsonl.partial) there.
    for round in 0..2 {
        let (code, _, stderr) = run_in(p, &["extract", ".", "-o", "out.jsonl"]);
        assert_eq!(code, 0, "round {round}: {stderr}");
        let records = parse_jsonl(&fs::read_to_string(p.join("out.jsonl")).unwrap());
        let docs: Vec<&str> = records.iter().map(|r| s(r, "doc")).collect();
        assert_eq!(docs, ["good.txt"], "round {round}");
        assert_good_record(&records[0]);
    }
    // Named another way (./sub/../out.jsonl) it is the same file.
    fs::create_dir(p.join("sub")).unwrap();
    let (code, _, stderr) = run_in(p, &["extract", "./", "-o", "./sub/../out.jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        parse_jsonl(&fs::read_to_string(p.join("out.jsonl")).unwrap()).len(),
        1
    );

    // Another run's output is not this run's: it is read, and said to be
    // of a format cifra does not read (nothing is skipped unsaid).
    let (code, stdout, _) = run_in(p, &["extract", "."]);
    assert_eq!(code, 1);
    let records = parse_jsonl(&stdout);
    let docs: Vec<&str> = records.iter().map(|r| s(r, "doc")).collect();
    assert_eq!(docs, ["good.txt", "out.jsonl"]);
    assert!(errors(&records[1])[0].contains("unsupported format"));

    // An index inside the folder: its files are not reports, on the run
    // that finds it (the second) or any other.
    fs::remove_file(p.join("out.jsonl")).unwrap();
    for round in 0..2 {
        let (code, _, stderr) = run_in(p, &["index", ".", "--index", "idx"]);
        assert_eq!(code, 0, "round {round}: {stderr}");
    }
    let (code, stdout, _) = run_in(p, &["extract", "."]);
    assert_eq!(code, 0);
    let docs: Vec<String> = parse_jsonl(&stdout)
        .iter()
        .map(|r| s(r, "doc").to_string())
        .collect();
    assert_eq!(docs, ["good.txt"]);
    // Named on the command line, a path is read whatever it is.
    let (code, stdout, _) = run_in(p, &["extract", "idx/cifra-index.json"]);
    assert_eq!(code, 1);
    assert!(errors(&parse_jsonl(&stdout)[0])[0].contains("unsupported format"));
}

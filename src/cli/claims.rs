//! `cifra claims FILE... [filters] [--timeline | --conflicts | --diff OLD]`.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::ValueEnum;

use cifra::claims::compare;
use cifra::claims::view::{self, ClaimRecord, Filter};
use cifra::output::claims::{self as render, ViewFormat};

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Aligned columns with a short quote (the default on a terminal).
    Table,
    /// One JSON object per line (the default otherwise).
    Jsonl,
    /// A header row, then one row per claim.
    Csv,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("view").args(["timeline", "conflicts", "diff"])))]
pub struct Args {
    /// Output of `cifra extract` (JSON Lines); several files are read as one
    /// archive; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Keep claims of this category (killed, disappeared, tortured,
    /// detained, complaints, investigations, charges, convictions, bodies,
    /// graves, displaced, aid_money, troops …).
    #[arg(long)]
    category: Option<String>,
    /// Keep claims with this event (killed, disappeared, …).
    #[arg(long)]
    event: Option<String>,
    /// Keep claims whose subject contains this text (`students`).
    #[arg(long)]
    subject: Option<String>,
    /// Keep claims whose place contains this name (`Guerrero`).
    #[arg(long)]
    place: Option<String>,
    /// Keep claims whose sentence, actor or source names this institution,
    /// law, place or person (`CNDH`, `Centro Prodh`).
    #[arg(long)]
    entity: Option<String>,
    /// Keep claims of reports whose file name contains this text.
    #[arg(long)]
    doc: Option<String>,
    /// Keep claims attributed to a source whose name contains this text.
    #[arg(long)]
    attribution: Option<String>,
    /// Keep claims dated (else reported) on or after this day, month or
    /// year: 2014, 2014-06, 2014-06-30.
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Keep claims dated (else reported) on or before this day, month or year.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Per category and place, each figure in date order, with its source.
    #[arg(long)]
    timeline: bool,
    /// Claims about the same category, place and period whose values
    /// cannot all be true (see the README for the rule).
    #[arg(long)]
    conflicts: bool,
    /// Compare with an older extraction: claims added, removed, changed.
    #[arg(long, value_name = "OLD")]
    diff: Option<PathBuf>,
    /// Output format (default: table on a terminal, JSON Lines otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Where to write; `-` or nothing writes to standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let filter = Filter {
        category: args.category.clone(),
        event: args.event.clone(),
        subject: args.subject.clone(),
        place: args.place.clone(),
        entity: args.entity.clone(),
        doc: args.doc.clone(),
        attribution: args.attribution.clone(),
        since: day_bound(args.since.as_deref(), "--since", false)?,
        until: day_bound(args.until.as_deref(), "--until", true)?,
    };
    let mut claims = Vec::new();
    for file in &args.files {
        claims.extend(read(file)?);
    }
    claims.retain(|c| filter.matches(c));

    let to_stdout = args.output.as_ref().is_none_or(|p| p.as_os_str() == "-");
    let format = match args.format {
        Some(Format::Table) => ViewFormat::Table,
        Some(Format::Jsonl) => ViewFormat::Jsonl,
        Some(Format::Csv) => ViewFormat::Csv,
        None if to_stdout && io::stdout().is_terminal() => ViewFormat::Table,
        None => ViewFormat::Jsonl,
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) if !to_stdout => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        _ => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let written = if args.timeline {
        render::write_timeline(&mut out, &compare::timeline(&claims), format)
    } else if args.conflicts {
        render::write_conflicts(&mut out, &compare::conflicts(&claims), format)
    } else if let Some(old) = &args.diff {
        let mut old_claims = read(old)?;
        old_claims.retain(|c| filter.matches(c));
        render::write_diff(&mut out, &compare::diff(&old_claims, &claims), format)
    } else {
        render::write_list(&mut out, &claims, format)
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        // `cifra claims … | head`: the reader has what it wanted.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(e).context("cannot write the claims"),
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<ClaimRecord>> {
    if path.as_os_str() == "-" {
        return Ok(view::read_claims(io::stdin().lock(), "standard input")?);
    }
    if path.is_dir() {
        bail!(
            "{} is a folder; give the JSON Lines file that `cifra extract … -o FILE` wrote",
            path.display()
        );
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(view::read_claims(
        BufReader::new(file),
        &path.display().to_string(),
    )?)
}

fn day_bound(
    value: Option<&str>,
    flag: &str,
    end: bool,
) -> anyhow::Result<Option<chrono::NaiveDate>> {
    match value {
        None => Ok(None),
        Some(v) => match view::bound(v, end) {
            Some(day) => Ok(Some(day)),
            None => {
                bail!("{flag} {v}: write a year, a month or a day: 2014, 2014-06 or 2014-06-30")
            }
        },
    }
}

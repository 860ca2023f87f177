//! `cifra check [--dictionaries DIR]`: load every dictionary as `extract`
//! would and report what is wrong (exit 2, with file and line) or
//! ambiguous (a name two entries share), so a user's edits can be checked
//! before a long run.

use std::path::PathBuf;

use cifra::{Dictionaries, Extractor};

#[derive(clap::Args)]
pub struct Args {
    /// A folder of dictionary files that replace the built-in ones of the
    /// same name (as for `extract`); without it, the built-in files.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let dicts = match &args.dictionaries {
        Some(dir) => Dictionaries::with_overrides(dir)?,
        None => Dictionaries::embedded(),
    };
    Extractor::new(&dicts)?;
    let clashes = cifra::extract::gazetteer::alias_clashes(&dicts)?;
    for line in &clashes {
        println!("note: {line}");
    }
    let files = dicts.names().count();
    println!(
        "dictionaries OK: {files} files load; {} names shared by more than one entry{}",
        clashes.len(),
        if clashes.is_empty() {
            ""
        } else {
            " (listed above: cifra takes the first; make them distinct if that is wrong)"
        }
    );
    Ok(0)
}

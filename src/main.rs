//! The `cifra` command: parse flags, call the library, map the outcome to
//! an exit code (0 all fine, 1 some documents had errors, 2 bad usage).

mod cli;

fn main() {
    let code = match cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cifra: error: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

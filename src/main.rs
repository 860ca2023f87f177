//! The `cifra` command: parse flags, call the library, map the outcome to
//! an exit code (0 all fine, 1 some documents had errors, 2 bad usage).

mod cli;

/// mimalloc instead of the system allocator: extraction makes many small,
/// short-lived allocations per paragraph (mentions, subjects, JSON), and
/// glibc's malloc spent a fifth of the run on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

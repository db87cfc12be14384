//! The `ecopark` command: a thin layer over the library that parses flags,
//! runs one command and maps its outcome to a stable exit code
//! (0 plan or valid, 1 no plan, 2 bad input or error).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

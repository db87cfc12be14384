//! The `ecopark` command: a thin layer over the library that parses flags,
//! runs one command and maps its outcome to a stable exit code
//! (0 plan or valid, 1 no plan, 2 bad input or error).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_caught_solver_panics();
    match cli::run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", message(&error));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, each said once: a library error
/// whose message already shows its source ("cannot write x: File exists
/// (os error 17)") is not followed by that source again; control
/// characters (from a path or a name) escaped.
fn message(error: &anyhow::Error) -> String {
    let mut out = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !out.contains(&cause) {
            out.push_str(": ");
            out.push_str(&cause);
        }
    }
    ecopark::text::printable(&out).into_owned()
}

/// The pure-Rust solver stops on an internal assertion now and then (a
/// singular basis); the library catches that and reports a solver error,
/// or retries. Rust's default hook would still print the raw panic first,
/// so panics raised inside that solver are not printed; any other panic
/// still is, as the bug it is.
fn quiet_caught_solver_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_solver = info
            .location()
            .is_some_and(|location| location.file().contains("microlp"));
        if !in_solver {
            default(info);
        }
    }));
}

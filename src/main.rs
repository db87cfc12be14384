//! The `ecopark` command: a thin layer over the library that parses flags,
//! runs one command and maps its outcome to a stable exit code
//! (0 plan or valid, 1 no plan, 2 bad input or error).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    install_panic_hook();
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
///
/// A closed standard output (`ecopark pareto … | head -1`) or a full one
/// (`> /dev/full`) makes printing panic; that is not a bug but an error
/// of the command's surroundings, so it is said in one line and the
/// command exits 2, never 101.
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if text.starts_with("failed printing to std") {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "error: {text}");
            std::process::exit(2);
        }
        let in_solver = info
            .location()
            .is_some_and(|location| location.file().contains("microlp"));
        if !in_solver {
            default(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::message;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot write out/plan.json: {source}")]
    struct Write {
        source: std::io::Error,
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let os = std::io::Error::from_raw_os_error(17);
        let shown = os.to_string();
        let error = anyhow::Error::new(Write { source: os });
        assert_eq!(message(&error).matches(&shown).count(), 1);
        let wrapped = error.context("solving park\u{1b}[2J");
        let text = message(&wrapped);
        assert!(
            text.starts_with("solving park\\u{1b}[2J: cannot write"),
            "{text}"
        );
        assert_eq!(text.matches(&shown).count(), 1, "{text}");
    }
}

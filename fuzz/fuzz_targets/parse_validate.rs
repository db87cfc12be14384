//! Any bytes, read as a TOML and as a JSON park file, must come back as a
//! park or as a report: never a panic, a hang or unbounded memory. A park
//! that validates also goes through candidate generation, the graph and the
//! model build, which are the stages that trust validation's guarantees.

#![no_main]

use ecopark::diagnostic::{Diagnostics, Entity};
use ecopark::{input, pipeline, validate};
use libfuzzer_sys::fuzz_target;

/// A rejection must hold at least one error, and every issue must name its
/// entity and say what is wrong.
fn check_rejection(report: &Diagnostics) {
    assert!(report.has_errors(), "a rejected park names no error");
    for issue in &report.issues {
        assert!(
            issue.entity != Entity::Line,
            "an issue names no entity: {issue}"
        );
        assert!(!issue.message.is_empty(), "an issue says nothing: {issue}");
    }
}

fuzz_target!(|data: &[u8]| {
    for format in [input::Format::Toml, input::Format::Json] {
        let checked = input::parse_bytes("fuzz.toml", data, format)
            .and_then(|loaded| validate::validate(&loaded));
        match checked {
            Ok((park, _warnings)) => {
                pipeline::build(&park);
            }
            Err(report) => check_rejection(&report),
        }
    }
});

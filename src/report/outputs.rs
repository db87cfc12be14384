//! What a solve writes, defined once.
//!
//! `ecopark solve`, each item of `ecopark batch` and the web front end
//! all write a solve's result into a folder; this is the one function
//! that decides which files that is, so that they cannot drift apart.
//! It prints nothing: callers get the paths written and the warnings.

use super::{write_atomic, write_plan_files, write_report, ImageFormat, ReportError, WrittenFiles};
use crate::park::Park;
use crate::pipeline::Optimised;
use crate::solution::firms::{firm_ledger, ledger_to_csv};
use std::path::Path;

/// The file that says which targets fall short, when there is no plan.
pub const UNMET_TARGETS_FILE: &str = "unmet_targets.json";

/// What [`write_solve_outputs`] writes besides the plan's own files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// Also write `report.html`, `report.md` and the figures, in this
    /// format; `None` writes no report.
    pub report: Option<ImageFormat>,
}

/// Writes the outputs of a solve of `park` into `dir`:
///
/// - a plan that passed independent verification (or was not verified):
///   `plan.json`, `links.csv`, `projects.csv` ([`write_plan_files`]), then
///   `firms.csv` (who pays and who gains, firm by firm), then, when
///   `options.report` asks, the report and its figures ([`write_report`]);
/// - no plan, with targets that cannot all be met: `unmet_targets.json`,
///   which of them fall short, by how much and why;
/// - a plan that failed verification: nothing, as such a plan is never
///   written; nor is anything written without a plan and unmet targets.
///
/// Returns the files written, in order, and the warnings of the report
/// (missing fonts, figures left out). Every file is written atomically.
pub fn write_solve_outputs(
    park: &Park,
    result: &Optimised,
    dir: &Path,
    options: &OutputOptions,
) -> Result<WrittenFiles, ReportError> {
    let mut written = WrittenFiles::default();
    let verified = result.verification.as_ref().is_none_or(|v| v.passed());
    match &result.plan {
        Some(plan) if verified => {
            written.files = write_plan_files(plan, dir)?;
            let firms = dir.join("firms.csv");
            let ledger = firm_ledger(park, plan)?;
            write_atomic(&firms, ledger_to_csv(&ledger).as_bytes())?;
            written.files.push(firms);
            if let Some(format) = options.report {
                let report = write_report(park, plan, dir, format)?;
                written.files.extend(report.files);
                written.warnings.extend(report.warnings);
            }
        }
        Some(_) => {}
        None if !result.unmet_targets.is_empty() => {
            let path = dir.join(UNMET_TARGETS_FILE);
            let json = serde_json::to_string_pretty(&result.unmet_targets)
                .expect("shortfalls always serialise");
            write_atomic(&path, json.as_bytes())?;
            written.files.push(path);
        }
        None => {}
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::{tiny, tiny_with};
    use crate::solve::SolverConfig;

    fn names(written: &WrittenFiles, dir: &Path) -> Vec<String> {
        written
            .files
            .iter()
            .map(|path| {
                path.strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn a_verified_plan_gets_its_files_then_firms_then_the_report_asked_for() {
        let park = tiny();
        let result = crate::pipeline::optimise(&park, &SolverConfig::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let written =
            write_solve_outputs(&park, &result, dir.path(), &OutputOptions::default()).unwrap();
        assert_eq!(
            names(&written, dir.path()),
            ["plan.json", "links.csv", "projects.csv", "firms.csv"]
        );
        assert!(written.warnings.is_empty());
        let options = OutputOptions {
            report: Some(ImageFormat::Svg),
        };
        let written = write_solve_outputs(&park, &result, dir.path(), &options).unwrap();
        let names = names(&written, dir.path());
        assert_eq!(
            names[..4],
            ["plan.json", "links.csv", "projects.csv", "firms.csv"]
        );
        assert!(
            names.ends_with(&["report.html".into(), "report.md".into()]),
            "{names:?}"
        );
        assert!(!dir.path().join(UNMET_TARGETS_FILE).exists());
    }

    #[test]
    fn no_plan_for_unmet_targets_writes_the_shortfalls_only() {
        let park = tiny_with(&[(
            "[park]",
            "[targets]\nwaste_heat_utilisation_min = 0.9\n\n[park]",
        )]);
        let result = crate::pipeline::optimise(&park, &SolverConfig::default()).unwrap();
        assert!(result.plan.is_none() && !result.unmet_targets.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let written =
            write_solve_outputs(&park, &result, dir.path(), &OutputOptions::default()).unwrap();
        assert_eq!(names(&written, dir.path()), [UNMET_TARGETS_FILE]);
        let json = std::fs::read_to_string(dir.path().join(UNMET_TARGETS_FILE)).unwrap();
        assert_eq!(
            json,
            serde_json::to_string_pretty(&result.unmet_targets).unwrap()
        );
    }
}

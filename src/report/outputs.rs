//! What a solve writes, defined once.
//!
//! `ecopark solve`, each item of `ecopark batch` and the web front end
//! all write a solve's result into a folder; this is the one function
//! that decides which files that is, so that they cannot drift apart.
//! It prints nothing: callers get the paths written and the warnings.
//! The files land as one set with a manifest ([`super::set`]).

use super::manifest::{sha256_hex, MANIFEST_FILE};
use super::set::{write_set, OutputSet};
use super::{plan_files, report_files, ImageFormat, OutputFile, ReportError, Source, WrittenFiles};
use crate::park::Park;
use crate::pipeline::Optimised;
use crate::solution::firms::{firm_ledger, ledger_to_csv};
use std::path::Path;

/// The file that says which targets fall short, when there is no plan.
pub const UNMET_TARGETS_FILE: &str = "unmet_targets.json";

/// What [`write_solve_outputs`] writes besides the plan's own files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// Also write `report.html`, `report.md` and the figures, in this
    /// format; `None` writes no report.
    pub report: Option<ImageFormat>,
    /// Files the front end adds to the set, last before the manifest
    /// (a batch item's `summary.json`).
    pub extra: Vec<OutputFile>,
}

/// Writes the outputs of a solve of `park` (read from `source`) into `dir`,
/// as one set with its `manifest.json` ([`write_set`]):
///
/// - a plan that passed independent verification (or was not verified):
///   `plan.json`, `links.csv`, `projects.csv` ([`plan_files`]), then
///   `firms.csv` (who pays and who gains, firm by firm), then, when
///   `options.report` asks, the report and its figures ([`report_files`]);
/// - no plan, with targets that cannot all be met: `unmet_targets.json`,
///   which of them fall short, by how much and why;
/// - a plan that failed verification: nothing, as such a plan is never
///   written; nor is anything written without a plan and unmet targets;
///
/// then `options.extra`. When there is nothing to write, the folder is
/// left as it is. Returns the files written, in order, the manifest last,
/// and the warnings of the report (missing fonts, figures left out).
pub fn write_solve_outputs(
    park: &Park,
    result: &Optimised,
    dir: &Path,
    source: &Source,
    options: &OutputOptions,
) -> Result<WrittenFiles, ReportError> {
    let mut written = WrittenFiles::default();
    let verified = result.verification.as_ref().is_none_or(|v| v.passed());
    let mut files = Vec::new();
    let mut plan_sha256 = None;
    match &result.plan {
        Some(plan) if verified => {
            files = plan_files(plan);
            let plan_hash = sha256_hex(&files[0].bytes);
            let ledger = firm_ledger(park, plan)?;
            files.push(OutputFile::new("firms.csv", ledger_to_csv(&ledger)));
            if let Some(format) = options.report {
                let (report, warnings) =
                    report_files(park, plan, dir, format, &source.park_sha256, &plan_hash)?;
                files.extend(report);
                written.warnings = warnings;
            }
            plan_sha256 = Some(plan_hash);
        }
        Some(_) => {}
        None if !result.unmet_targets.is_empty() => {
            let json = serde_json::to_string_pretty(&result.unmet_targets)
                .expect("shortfalls always serialise");
            files.push(OutputFile::new(UNMET_TARGETS_FILE, json));
        }
        None => {}
    }
    files.extend(options.extra.iter().cloned());
    if files.is_empty() {
        return Ok(written);
    }
    let set = OutputSet {
        manifest_name: MANIFEST_FILE.to_string(),
        source,
        plan_sha256,
        files,
        extends_same_plan: false,
    };
    written.files = write_set(dir, &set)?;
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

    fn source() -> Source {
        Source {
            park_path: "tiny/park.toml".into(),
            park_sha256: sha256_hex(b"tiny"),
            ..Source::default()
        }
    }

    #[test]
    fn a_verified_plan_gets_its_files_then_firms_then_the_report_asked_for() {
        let park = tiny();
        let result = crate::pipeline::optimise(&park, &SolverConfig::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let source = source();
        let written = write_solve_outputs(
            &park,
            &result,
            dir.path(),
            &source,
            &OutputOptions::default(),
        )
        .unwrap();
        assert_eq!(
            names(&written, dir.path()),
            [
                "plan.json",
                "links.csv",
                "projects.csv",
                "firms.csv",
                MANIFEST_FILE
            ]
        );
        assert!(written.warnings.is_empty());
        let options = OutputOptions {
            report: Some(ImageFormat::Svg),
            ..OutputOptions::default()
        };
        let written = write_solve_outputs(&park, &result, dir.path(), &source, &options).unwrap();
        let names = names(&written, dir.path());
        assert_eq!(
            names[..4],
            ["plan.json", "links.csv", "projects.csv", "firms.csv"]
        );
        assert!(
            names.ends_with(&[
                "report.html".into(),
                "report.md".into(),
                MANIFEST_FILE.into()
            ]),
            "{names:?}"
        );
        assert!(!dir.path().join(UNMET_TARGETS_FILE).exists());
        let manifest = super::super::Manifest::read(&dir.path().join(MANIFEST_FILE)).unwrap();
        assert!(manifest.is_complete_in(dir.path()));
        assert_eq!(manifest.files.len(), names.len() - 1);
        let plan = std::fs::read(dir.path().join("plan.json")).unwrap();
        assert_eq!(manifest.plan_sha256, Some(sha256_hex(&plan)));
        assert_eq!(manifest.park_sha256, source.park_sha256);
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
        let written = write_solve_outputs(
            &park,
            &result,
            dir.path(),
            &source(),
            &OutputOptions::default(),
        )
        .unwrap();
        assert_eq!(
            names(&written, dir.path()),
            [UNMET_TARGETS_FILE, MANIFEST_FILE]
        );
        let json = std::fs::read_to_string(dir.path().join(UNMET_TARGETS_FILE)).unwrap();
        assert_eq!(
            json,
            serde_json::to_string_pretty(&result.unmet_targets).unwrap()
        );
    }
}

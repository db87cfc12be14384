//! What each decision analysis writes and prints, one file per analysis:
//! its CSV table (row structs on [`crate::table::to_csv`]), its readable
//! summary and the call to its figure (drawn by [`super::figures`], which
//! the report shows too), gathered into [`AnalysisOutputs`]; and
//! [`write_analysis_outputs`], the one function that writes them into a
//! folder as one set with its manifest, for the command line and any other
//! front end.
//!
//! The analyses themselves ([`crate::analysis`]) only compute: each hands
//! back a plain result struct, and the `outputs` function of its file here
//! turns that into the files and the summary. Nothing here prints.

pub mod fairness;
pub mod pareto;
pub mod project;
pub mod robustness;
pub mod sensitivity;
pub mod subsidies;
pub mod sweep;

use super::manifest::{Manifest, ANALYSIS_MANIFEST_SUFFIX, MANIFEST_FILE};
use super::set::{write_set, OutputError, OutputFile, OutputSet, Source};
use super::WrittenFiles;
use crate::units::thousands;
use std::path::Path;

/// What an analysis hands back to be written and printed.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisOutputs {
    /// File stem of the CSV and JSON (`pareto`, `project-<id>`, …).
    pub name: String,
    /// The table, `<name>.csv`.
    pub csv: String,
    /// The full result, pretty-printed, `<name>.json`.
    pub json: String,
    /// The figure's file stem and SVG document, when the analysis has one
    /// (`<stem>.svg`).
    pub svg: Option<(&'static str, String)>,
    /// Further tables: file name and contents.
    pub extra: Vec<(&'static str, String)>,
    /// The readable summary, several lines, each ending in a newline.
    pub summary: String,
}

impl AnalysisOutputs {
    /// Outputs named `name` with the table `csv`, `result` as JSON, an
    /// optional figure, the summary and no further tables.
    fn new(
        name: impl Into<String>,
        csv: String,
        result: &impl serde::Serialize,
        svg: Option<(&'static str, String)>,
        summary: String,
    ) -> AnalysisOutputs {
        let json = serde_json::to_string_pretty(result)
            .expect("an analysis result always serialises")
            + "\n";
        AnalysisOutputs {
            name: name.into(),
            csv,
            json,
            svg,
            extra: Vec::new(),
            summary,
        }
    }
}

/// Writes an analysis's outputs into `dir` as one set, in this order:
/// `<name>.csv`, `<name>.json`, the further tables, the figure, then the
/// set's manifest `<name>.manifest.json` ([`super::set::write_set`]). The
/// manifest names the park (`source`) and the plan of the solve set in
/// `dir` when that set is complete and of the same park, so that a report
/// of that plan shows the figure and a report of any other plan or park
/// leaves it out. The summary is the caller's to show. Returns the files
/// written, in order (an analysis has no warnings).
pub fn write_analysis_outputs(
    outputs: &AnalysisOutputs,
    dir: &Path,
    source: &Source,
) -> Result<WrittenFiles, OutputError> {
    let mut files = vec![
        OutputFile::new(format!("{}.csv", outputs.name), outputs.csv.as_bytes()),
        OutputFile::new(format!("{}.json", outputs.name), outputs.json.as_bytes()),
    ];
    for (name, contents) in &outputs.extra {
        files.push(OutputFile::new(*name, contents.as_bytes()));
    }
    if let Some((figure, svg)) = &outputs.svg {
        files.push(OutputFile::new(format!("{figure}.svg"), svg.as_bytes()));
    }
    let plan_sha256 = Manifest::read(&dir.join(MANIFEST_FILE))
        .filter(|solve| solve.park_sha256 == source.park_sha256 && solve.is_complete_in(dir))
        .and_then(|solve| solve.plan_sha256);
    let set = OutputSet {
        manifest_name: format!("{}{ANALYSIS_MANIFEST_SUFFIX}", outputs.name),
        source,
        plan_sha256,
        files,
        extends_same_plan: false,
    };
    Ok(WrittenFiles {
        files: write_set(dir, &set)?,
        warnings: Vec::new(),
    })
}

/// Yuan per year in millions, with the unit.
fn m_cny(value: f64) -> String {
    format!("{:.2} M CNY/yr", value / 1e6)
}

/// Tonnes of CO2 per year, with the unit.
fn t_co2(value: f64) -> String {
    format!("{} t CO2/yr", thousands(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_then_the_result_then_further_tables_then_the_figure() {
        let mut outputs = AnalysisOutputs::new(
            "fairness",
            "a\n1\n".to_string(),
            &[1, 2],
            Some(("tornado", "<svg/>".to_string())),
            "summary\n".to_string(),
        );
        outputs.extra.push(("firms.csv", "b\n2\n".to_string()));
        let dir = tempfile::tempdir().unwrap();
        let source = Source {
            park_sha256: "park".into(),
            ..Source::default()
        };
        let written = write_analysis_outputs(&outputs, dir.path(), &source).unwrap();
        let names: Vec<String> = written
            .files
            .iter()
            .map(|path| path.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "fairness.csv",
                "fairness.json",
                "firms.csv",
                "tornado.svg",
                "fairness.manifest.json"
            ]
        );
        assert!(written.warnings.is_empty());
        let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert_eq!(read("fairness.json"), "[\n  1,\n  2\n]\n");
        assert_eq!(read("firms.csv"), "b\n2\n");
        assert_eq!(read("tornado.svg"), "<svg/>");
        assert!(!dir.path().join("summary").exists());
        let manifest = Manifest::read(&dir.path().join("fairness.manifest.json")).unwrap();
        assert!(manifest.is_complete_in(dir.path()));
        assert_eq!(manifest.plan_sha256, None, "no solve set in the folder");
    }

    #[test]
    fn amounts_are_written_with_their_units() {
        assert_eq!(m_cny(-9_930_000.0), "-9.93 M CNY/yr");
        assert_eq!(t_co2(24_000.0), "24,000 t CO2/yr");
    }
}

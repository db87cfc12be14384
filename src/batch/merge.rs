//! Merge: the summaries of the shards' folders read back as one CSV
//! table, one row per item, the same bytes whatever the number of shards.

use super::run::ItemStatus;
use super::run::{read_summary, ItemSummary};
use super::{BatchError, SUMMARY_FILE};
use crate::solve::Termination;
use crate::table;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Merges the results of shards: every `*/summary.json` under each of
/// `folders`, as one CSV table (header, then one row per item sorted by
/// name). An item found in several folders with the same results (line
/// and solve time aside) is one row; with different results it is an
/// error naming both files.
pub fn merge(folders: &[PathBuf]) -> Result<String, BatchError> {
    let mut found: BTreeMap<String, (PathBuf, ItemSummary)> = BTreeMap::new();
    for folder in folders {
        let read_error = |source| BatchError::ReadFolder {
            path: folder.clone(),
            source,
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(folder).map_err(read_error)? {
            let path = entry.map_err(read_error)?.path().join(SUMMARY_FILE);
            if path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            let summary = read_summary(&path)?;
            match found.get(&summary.name) {
                Some((first, earlier)) if earlier.results() != summary.results() => {
                    return Err(BatchError::Conflict {
                        name: summary.name,
                        first: first.clone(),
                        second: path,
                    });
                }
                Some(_) => {}
                None => {
                    found.insert(summary.name.clone(), (path, summary));
                }
            }
        }
    }
    if found.is_empty() {
        return Err(BatchError::NothingToMerge {
            folders: folders
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let rows: Vec<MergedRow> = found.values().map(|(_, s)| MergedRow::of(s)).collect();
    Ok(table::to_csv(&rows))
}

/// One row of the merged table, in the README's column order.
#[derive(Serialize, Deserialize)]
struct MergedRow<'a> {
    name: &'a str,
    line: usize,
    park: &'a str,
    overrides: String,
    status: ItemStatus,
    termination: Option<Termination>,
    has_plan: bool,
    verified: bool,
    #[serde(serialize_with = "table::optional_display")]
    carbon_price_cny_per_t: Option<f64>,
    #[serde(serialize_with = "table::optional_display")]
    discount_rate: Option<f64>,
    #[serde(serialize_with = "table::optional_display")]
    objective_cny_per_year: Option<f64>,
    #[serde(serialize_with = "table::optional_display")]
    objective_change_cny_per_year: Option<f64>,
    #[serde(serialize_with = "table::optional_display")]
    cost_cny_per_year: Option<f64>,
    #[serde(serialize_with = "table::optional_display")]
    cost_change_cny_per_year: Option<f64>,
    #[serde(serialize_with = "table::optional_display")]
    co2_t_per_year: Option<f64>,
    #[serde(serialize_with = "table::optional_display")]
    co2_change_t_per_year: Option<f64>,
    #[serde(serialize_with = "table::optional_display")]
    solid_waste_utilisation_rate: Option<f64>,
    #[serde(serialize_with = "table::fixed::<3, _>")]
    solve_s: f64,
    backend: String,
    message: &'a str,
}

impl<'a> MergedRow<'a> {
    fn of(s: &'a ItemSummary) -> MergedRow<'a> {
        MergedRow {
            name: &s.name,
            line: s.line,
            park: &s.park,
            overrides: s.overrides.join(" "),
            status: s.status,
            termination: s.termination,
            has_plan: s.has_plan,
            verified: s.verified,
            carbon_price_cny_per_t: s.carbon_price_cny_per_t,
            discount_rate: s.discount_rate,
            objective_cny_per_year: s.objective_cny_per_year,
            objective_change_cny_per_year: s.objective_change_cny_per_year,
            cost_cny_per_year: s.cost_cny_per_year,
            cost_change_cny_per_year: s.cost_change_cny_per_year,
            co2_t_per_year: s.co2_t_per_year,
            co2_change_t_per_year: s.co2_change_t_per_year,
            solid_waste_utilisation_rate: s.solid_waste_utilisation_rate,
            solve_s: s.solve_s,
            backend: s
                .backend
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            message: s.message.as_deref().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::run::ItemStatus;
    use super::super::testing::study;
    use super::*;
    use crate::report;
    use std::path::Path;

    #[test]
    fn merge_collapses_copies_and_refuses_conflicts() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let item = &list.items[0];
        let write = |folder: &Path, summary: &ItemSummary| {
            let json = serde_json::to_string(summary).unwrap();
            report::write_atomic(
                &folder.join(&summary.name).join(SUMMARY_FILE),
                json.as_bytes(),
            )
            .unwrap();
        };
        let done = ItemSummary {
            objective_cny_per_year: Some(-1.5),
            ..ItemSummary::of(item, ItemStatus::Planned, None)
        };
        write(&a, &done);
        write(
            &b,
            &ItemSummary {
                line: 9,
                solve_s: 3.0,
                ..done.clone()
            },
        );
        let csv = merge(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(csv.lines().count(), 2, "{csv}");
        // The README's columns, in its order: a contract with those who read it.
        let header = "name,line,park,overrides,status,termination,has_plan,verified,\
            carbon_price_cny_per_t,discount_rate,objective_cny_per_year,objective_change_cny_per_year,\
            cost_cny_per_year,cost_change_cny_per_year,co2_t_per_year,co2_change_t_per_year,\
            solid_waste_utilisation_rate,solve_s,backend,message\n";
        assert!(csv.starts_with(header), "{csv}");
        assert!(csv.contains("\ntiny,"), "{csv}");

        write(
            &b,
            &ItemSummary {
                objective_cny_per_year: Some(-2.0),
                ..done.clone()
            },
        );
        let error = merge(&[a.clone(), b.clone()]).unwrap_err().to_string();
        assert!(
            error.contains("item 'tiny' has different results in"),
            "{error}"
        );
        assert!(
            error.contains(&a.join("tiny/summary.json").display().to_string()),
            "{error}"
        );
        assert!(
            error.contains(&b.join("tiny/summary.json").display().to_string()),
            "{error}"
        );

        std::fs::write(b.join("tiny").join(SUMMARY_FILE), "{}").unwrap();
        let error = merge(std::slice::from_ref(&b)).unwrap_err().to_string();
        assert!(
            error.contains("not an item summary written by ecopark batch"),
            "{error}"
        );
        let empty = dir.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(matches!(
            merge(&[empty]),
            Err(BatchError::NothingToMerge { .. })
        ));
        assert!(matches!(
            merge(&[dir.path().join("nowhere")]),
            Err(BatchError::ReadFolder { .. })
        ));
    }
}

//! Merge: the summaries of the shards' folders read back as one CSV
//! table, one row per item, the same bytes whatever the number of shards.

use super::run::{read_summary, ItemSummary};
use super::{BatchError, SUMMARY_FILE};
use crate::table::quoted;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Header of the merged table.
const CSV_HEADER: &str = "name,line,park,overrides,status,termination,has_plan,verified,\
carbon_price_cny_per_t,discount_rate,objective_cny_per_year,objective_change_cny_per_year,\
cost_cny_per_year,cost_change_cny_per_year,co2_t_per_year,co2_change_t_per_year,\
solid_waste_utilisation_rate,solve_s,backend,message\n";

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
    let mut csv = String::from(CSV_HEADER);
    for (_, summary) in found.values() {
        csv.push_str(&csv_row(summary));
    }
    Ok(csv)
}

/// One row of the merged table.
fn csv_row(s: &ItemSummary) -> String {
    let number = |value: Option<f64>| value.map_or(String::new(), |v| v.to_string());
    let termination = s.termination.map_or(String::new(), |t| {
        serde_json::to_value(t)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    let fields = [
        quoted(&s.name),
        s.line.to_string(),
        quoted(&s.park),
        quoted(&s.overrides.join(" ")),
        s.status.id().to_string(),
        termination,
        s.has_plan.to_string(),
        s.verified.to_string(),
        number(s.carbon_price_cny_per_t),
        number(s.discount_rate),
        number(s.objective_cny_per_year),
        number(s.objective_change_cny_per_year),
        number(s.cost_cny_per_year),
        number(s.cost_change_cny_per_year),
        number(s.co2_t_per_year),
        number(s.co2_change_t_per_year),
        number(s.solid_waste_utilisation_rate),
        format!("{:.3}", s.solve_s),
        quoted(
            &s.backend
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        quoted(s.message.as_deref().unwrap_or_default()),
    ];
    fields.join(",") + "\n"
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
        assert!(csv.starts_with(CSV_HEADER), "{csv}");

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

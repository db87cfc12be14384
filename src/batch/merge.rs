//! Merge: the summaries of the shards' folders read back as one CSV
//! table, one row per item, the same bytes whatever the number of shards.

use super::overrides::{parse_change, scenario, Override};
use super::run::ItemStatus;
use super::run::{read_summary, ItemSummary};
use super::{BatchError, SUMMARY_FILE};
use crate::report::manifest::{sha256_file, Manifest};
use crate::solution::plan::{load_plan, Plan};
use crate::solution::verify_stored;
use crate::solve::Termination;
use crate::table;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
            check_summary(&path, &summary)?;
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

/// A summary checked before it is merged: it was written for the folder
/// it is in, and an item with a plan states the plan's own figures, which
/// add up (objective = cost + carbon price × CO2, change = plan − today,
/// a utilisation rate between 0 and 1). An item without a plan states no
/// plan figures. The plan itself is checked against its park when the
/// batch skips the item as done.
fn check_summary(path: &Path, summary: &ItemSummary) -> Result<(), BatchError> {
    let untrusted = |message: String| BatchError::Untrusted {
        path: path.to_path_buf(),
        message,
    };
    let folder = path.parent().and_then(Path::file_name);
    if folder.is_none_or(|f| f.to_string_lossy() != summary.name) {
        return Err(untrusted(format!(
            "it is the summary of item '{}', not of the item in its folder",
            summary.name
        )));
    }
    let figures = summary_figures(summary);
    if summary.status != ItemStatus::Planned {
        if summary.verified || figures.iter().any(|(_, value)| value.is_some()) {
            return Err(untrusted(format!(
                "it is '{}' yet states a verified plan's figures",
                crate::table::name_of(&summary.status)
            )));
        }
        return Ok(());
    }
    let plan_path = path.with_file_name("plan.json");
    let plan = load_plan(&plan_path).map_err(|error| untrusted(error.to_string()))?;
    if let Some(problem) = plan_disagrees(summary, &plan) {
        return Err(untrusted(problem));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(problem) = set_disagrees(summary, dir, &plan) {
        return Err(untrusted(problem));
    }
    Ok(())
}

/// What is wrong when a planned item's folder is not the set its run
/// wrote, or its plan does not verify against the park it was solved
/// from; `None` when all is well. The manifest names the park (its path
/// and hash) and the overrides; the park is loaded from there, changed
/// by the overrides and the plan verified against it as when it was
/// stored, so a plan and summary edited together to agree still fail.
fn set_disagrees(summary: &ItemSummary, dir: &Path, plan: &Plan) -> Option<String> {
    let Some(manifest) = Manifest::read(&dir.join("manifest.json")) else {
        return Some(
            "its folder has no manifest.json, so its files cannot be told from others".into(),
        );
    };
    let plan_hash = manifest.hash_of("plan.json");
    if !manifest.is_complete_in(dir)
        || plan_hash.is_none()
        || plan_hash != manifest.plan_sha256.as_deref()
    {
        return Some("the files its manifest.json lists are not as ecopark wrote them".into());
    }
    if manifest.overrides != summary.overrides {
        return Some(format!(
            "its overrides [{}] are not those its manifest.json names [{}]",
            summary.overrides.join(" "),
            manifest.overrides.join(" ")
        ));
    }
    let park_path = Path::new(&manifest.park_path);
    if sha256_file(park_path).ok().as_deref() != Some(manifest.park_sha256.as_str()) {
        return Some(format!(
            "the park it was solved from, {}, is not there as it was, so its plan cannot be checked; run merge from the folder batch ran in",
            park_path.display()
        ));
    }
    let mut overrides = Vec::new();
    for text in &manifest.overrides {
        let change = text
            .split_once('=')
            .ok_or_else(|| format!("'{text}' is not key=value"))
            .and_then(|(key, value)| parse_change(key, value));
        match change {
            Ok(change) => overrides.push(Override {
                text: text.clone(),
                change,
            }),
            Err(message) => return Some(format!("its manifest's override {message}")),
        }
    }
    let park = match scenario(park_path, &overrides) {
        Ok(park) => park,
        Err(issues) => return Some(format!("its park is no longer valid: {issues}")),
    };
    if summary.discount_rate != Some(park.discount_rate) {
        return Some(format!(
            "discount_rate is {} but its park, with its overrides, has {}",
            shown(summary.discount_rate),
            park.discount_rate
        ));
    }
    let verification = verify_stored(plan, &park);
    (!verification.passed()).then(|| {
        format!(
            "plan.json does not verify against its park: {}",
            verification.messages("; ")
        )
    })
}

/// The plan figures a summary states, by field.
fn summary_figures(s: &ItemSummary) -> [(&'static str, Option<f64>); 7] {
    [
        ("objective_cny_per_year", s.objective_cny_per_year),
        (
            "objective_change_cny_per_year",
            s.objective_change_cny_per_year,
        ),
        ("cost_cny_per_year", s.cost_cny_per_year),
        ("cost_change_cny_per_year", s.cost_change_cny_per_year),
        ("co2_t_per_year", s.co2_t_per_year),
        ("co2_change_t_per_year", s.co2_change_t_per_year),
        (
            "solid_waste_utilisation_rate",
            s.solid_waste_utilisation_rate,
        ),
    ]
}

/// What is wrong when a planned item's summary is not its plan's, or the
/// plan's figures do not add up; `None` when all is well.
fn plan_disagrees(summary: &ItemSummary, plan: &Plan) -> Option<String> {
    let of_plan = ItemSummary {
        objective_cny_per_year: Some(plan.plan.objective_cny_per_year),
        objective_change_cny_per_year: Some(plan.change.objective_cny_per_year),
        cost_cny_per_year: Some(plan.plan.cost_cny_per_year),
        cost_change_cny_per_year: Some(plan.change.cost_cny_per_year),
        co2_t_per_year: Some(plan.plan.co2_t_per_year),
        co2_change_t_per_year: Some(plan.change.co2_t_per_year),
        solid_waste_utilisation_rate: Some(plan.kpis.solid_waste_utilisation_rate),
        ..summary.clone()
    };
    let stated = summary_figures(summary);
    for ((field, given), (_, planned)) in stated.iter().zip(summary_figures(&of_plan)) {
        if *given != planned {
            return Some(format!(
                "{field} is {} but plan.json beside it says {}",
                shown(*given),
                shown(planned)
            ));
        }
    }
    if summary.backend.as_ref() != Some(&plan.solver.backend)
        || !summary.solve_s.is_finite()
        || summary.solve_s < 0.0
        || summary.line == 0
    {
        return Some("its backend, line or solve time is not that of its run".to_string());
    }
    if summary.termination != Some(plan.solver.termination)
        || !summary.has_plan
        || !summary.verified
    {
        return Some("its solver status is not that of plan.json beside it".to_string());
    }
    let price = plan.carbon_price_cny_per_t;
    // Totals are rounded to 0.01 CNY and 0.001 t before they are written.
    let adds_up = |objective: f64, cost: f64, co2: f64| {
        (objective - (cost + price * co2)).abs()
            <= 0.02 + price.abs() * 0.0011 + 1e-9 * objective.abs()
    };
    for (what, totals) in [("plan", &plan.plan), ("baseline", &plan.baseline)] {
        if !adds_up(
            totals.objective_cny_per_year,
            totals.cost_cny_per_year,
            totals.co2_t_per_year,
        ) {
            return Some(format!(
                "plan.json's {what} objective {} CNY/yr is not its cost {} plus {price} CNY/t × {} t CO2",
                totals.objective_cny_per_year, totals.cost_cny_per_year, totals.co2_t_per_year
            ));
        }
    }
    let change = plan.plan.minus(&plan.baseline);
    let close = |a: f64, b: f64| (a - b).abs() <= 0.02 + 1e-9 * a.abs().max(b.abs());
    let changes = [
        (
            plan.change.objective_cny_per_year,
            change.objective_cny_per_year,
        ),
        (plan.change.cost_cny_per_year, change.cost_cny_per_year),
        (plan.change.co2_t_per_year, change.co2_t_per_year),
    ];
    if !changes
        .iter()
        .all(|(stated, derived)| close(*stated, *derived))
    {
        return Some("plan.json's change is not its plan less its baseline".to_string());
    }
    let rate = plan.kpis.solid_waste_utilisation_rate;
    if !(0.0..=1.0).contains(&rate) {
        return Some(format!(
            "plan.json's solid-waste utilisation rate {rate} is not a fraction"
        ));
    }
    None
}

/// A summary figure for a message.
fn shown(value: Option<f64>) -> String {
    value.map_or_else(|| "none".to_string(), |x| x.to_string())
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
        let done = ItemSummary::of(item, ItemStatus::NoPlan, Some("none found".into()));
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
                message: Some("another".into()),
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
        let copied = dir.path().join("c").join("other");
        std::fs::create_dir_all(&copied).unwrap();
        std::fs::copy(a.join("tiny").join(SUMMARY_FILE), copied.join(SUMMARY_FILE)).unwrap();
        let error = merge(&[dir.path().join("c")]).unwrap_err().to_string();
        assert!(
            error.contains("summary of item 'tiny', not of the item in its folder"),
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

    /// Finding 10 of the red-team pass: an edited summary was merged.
    #[test]
    fn a_summary_that_is_not_its_plans_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let config = crate::solve::SolverConfig::default();
        super::super::run(&list, "0/2".parse().unwrap(), &out, &config).unwrap();
        merge(std::slice::from_ref(&out)).unwrap();
        let path = out.join("tiny").join(SUMMARY_FILE);
        let original = std::fs::read_to_string(&path).unwrap();
        let edit = |edit: &dyn Fn(&mut ItemSummary)| {
            let mut summary: ItemSummary = serde_json::from_str(&original).unwrap();
            edit(&mut summary);
            std::fs::write(&path, serde_json::to_string(&summary).unwrap()).unwrap();
            merge(std::slice::from_ref(&out)).unwrap_err().to_string()
        };
        let error = edit(&|s| s.objective_cny_per_year = Some(-9_990_000_000_000.0));
        assert!(
            error.contains("objective_cny_per_year is -9990000000000 but plan.json beside it says"),
            "{error}"
        );
        assert!(error.contains(&path.display().to_string()), "{error}");
        let error = edit(&|s| s.solid_waste_utilisation_rate = Some(7.5));
        assert!(
            error.contains("solid_waste_utilisation_rate is 7.5"),
            "{error}"
        );
        let error = edit(&|s| s.status = ItemStatus::NoPlan);
        assert!(error.contains("is 'no_plan' yet states"), "{error}");

        // The plan edited to match the edited summary: its figures no
        // longer add up.
        std::fs::write(&path, &original).unwrap();
        let plan_path = out.join("tiny").join("plan.json");
        let mut plan: crate::solution::Plan =
            serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
        plan.plan.objective_cny_per_year = -9_990_000_000_000.0;
        std::fs::write(&plan_path, serde_json::to_string(&plan).unwrap()).unwrap();
        let error = edit(&|s| s.objective_cny_per_year = Some(-9_990_000_000_000.0));
        assert!(error.contains("plan.json's plan objective"), "{error}");
    }

    #[test]
    fn a_plan_and_summary_edited_to_agree_are_refused_against_the_park() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let config = crate::solve::SolverConfig::default();
        super::super::run(&list, "0/2".parse().unwrap(), &out, &config).unwrap();
        let folder = out.join("tiny");
        let summary_path = folder.join(SUMMARY_FILE);
        let original = std::fs::read_to_string(&summary_path).unwrap();
        let mut summary: ItemSummary = serde_json::from_str(&original).unwrap();
        summary.discount_rate = Some(0.49);
        std::fs::write(&summary_path, serde_json::to_string(&summary).unwrap()).unwrap();
        // summary.json is in the manifest too.
        let error = merge(std::slice::from_ref(&out)).unwrap_err().to_string();
        assert!(error.contains("not as ecopark wrote them"), "{error}");
        std::fs::write(&summary_path, &original).unwrap();

        let plan_path = folder.join("plan.json");
        let text = std::fs::read_to_string(&plan_path).unwrap();
        let mut plan: crate::solution::Plan = serde_json::from_str(&text).unwrap();
        plan.links[0].sent *= 0.5;
        let edited = serde_json::to_string_pretty(&plan).unwrap() + "\n";
        std::fs::write(&plan_path, &edited).unwrap();
        let error = merge(std::slice::from_ref(&out)).unwrap_err().to_string();
        assert!(error.contains("not as ecopark wrote them"), "{error}");

        let manifest_path = folder.join("manifest.json");
        let new_hash = crate::report::manifest::sha256_hex(edited.as_bytes());
        let old_hash = crate::report::manifest::sha256_hex(text.as_bytes());
        let manifest = std::fs::read_to_string(&manifest_path).unwrap();
        std::fs::write(&manifest_path, manifest.replace(&old_hash, &new_hash)).unwrap();
        let error = merge(std::slice::from_ref(&out)).unwrap_err().to_string();
        assert!(
            error.contains("plan.json does not verify against its park"),
            "{error}"
        );
    }
}

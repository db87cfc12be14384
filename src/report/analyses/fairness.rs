//! `fairness`' outputs: the Shapley split beside each plant's gain in the
//! plan as `fairness.csv`, the optimal plan's firm ledger as `firms.csv`,
//! and the summary (no figure).

use super::{m_cny, AnalysisOutputs};
use crate::analysis::fairness::Fairness;
use crate::park::Park;
use crate::report::summary::percent;
use crate::solution::firms::ledger_to_csv;
use crate::table::{self, fixed, optional_fixed};
use serde::{Deserialize, Serialize};

/// A row of `fairness.csv`: a
/// [`ShapleyRow`](crate::analysis::fairness::ShapleyRow) and whether the
/// values are exact.
#[derive(Serialize, Deserialize)]
struct PlantRow<'a> {
    plant: &'a str,
    name: &'a str,
    #[serde(serialize_with = "fixed::<2, _>")]
    shapley_cny_per_year: f64,
    #[serde(serialize_with = "optional_fixed::<2, _>")]
    standard_error_cny_per_year: Option<f64>,
    #[serde(serialize_with = "optional_fixed::<6, _>")]
    share_of_saving: Option<f64>,
    #[serde(serialize_with = "fixed::<2, _>")]
    standalone_saving_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    ledger_cost_change_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    ledger_saving_cny_per_year: f64,
    exact: bool,
}

/// The Shapley table as CSV.
pub fn to_csv(result: &Fairness) -> String {
    let rows: Vec<PlantRow> = result
        .plants
        .iter()
        .map(|row| PlantRow {
            plant: &row.plant,
            name: &row.name,
            shapley_cny_per_year: row.shapley_cny_per_year,
            standard_error_cny_per_year: row.standard_error_cny_per_year,
            share_of_saving: row.share_of_saving,
            standalone_saving_cny_per_year: row.standalone_saving_cny_per_year,
            ledger_cost_change_cny_per_year: row.ledger_cost_change_cny_per_year,
            ledger_saving_cny_per_year: row.ledger_saving_cny_per_year,
            exact: result.exact,
        })
        .collect();
    table::to_csv(&rows)
}

/// How the Shapley value was found and what the park saves, then each
/// plant's fair share beside what it gains in the plan.
pub fn summary(park: &Park, result: &Fairness) -> String {
    let mut summary = format!(
        "Who gains in '{}' ({} Shapley value over {} coalitions; the park saves {}):\n",
        crate::text::printable(&park.name),
        if result.exact {
            "exact".to_string()
        } else {
            format!("sampled, {} permutations,", result.permutations)
        },
        result.coalitions_solved,
        m_cny(result.grand_coalition_saving_cny_per_year),
    );
    for row in &result.plants {
        summary.push_str(&format!(
            "  {:<20} fair share {:>16} ({}), gains in the plan {:>16}\n",
            row.plant,
            m_cny(row.shapley_cny_per_year),
            row.share_of_saving.map_or("—".to_string(), percent),
            m_cny(row.ledger_saving_cny_per_year),
        ));
    }
    summary
}

/// `fairness.csv`, `fairness.json`, then `firms.csv`, and the summary (no
/// figure).
pub fn outputs(park: &Park, result: &Fairness) -> AnalysisOutputs {
    let mut outputs = AnalysisOutputs::new(
        "fairness",
        to_csv(result),
        result,
        None,
        summary(park, result),
    );
    outputs
        .extra
        .push(("firms.csv", ledger_to_csv(&result.ledger)));
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fairness::shapley;
    use crate::park::testing::tiny;
    use crate::solve::SolverConfig;

    #[test]
    fn a_row_per_plant_and_the_ledger_beside() {
        let park = tiny();
        let result = shapley(&park, &SolverConfig::default(), 100).unwrap();
        assert_eq!(to_csv(&result).lines().count(), 3);
        let outputs = outputs(&park, &result);
        assert_eq!(outputs.name, "fairness");
        assert_eq!(outputs.extra.len(), 1);
        assert_eq!(outputs.extra[0].0, "firms.csv");
        assert_eq!(outputs.summary.lines().count(), 1 + park.plants.len());
    }
}

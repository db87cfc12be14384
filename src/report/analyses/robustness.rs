//! `robustness`' outputs: each plant lost each way as `robustness.csv`,
//! and its summary (no figure).

use super::{m_cny, AnalysisOutputs};
use crate::analysis::robustness::{Robustness, Scope};
use crate::park::Park;
use crate::table::{self, fixed};
use serde::{Deserialize, Serialize};

/// A row of `robustness.csv`: a
/// [`RobustnessRow`](crate::analysis::robustness::RobustnessRow), lists
/// joined with `; `.
#[derive(Serialize, Deserialize)]
struct CaseRow<'a> {
    plant: &'a str,
    plant_name: &'a str,
    scope: Scope,
    #[serde(serialize_with = "fixed::<2, _>")]
    base_saving_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    saving_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    saving_lost_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    cost_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    co2_t_per_year: f64,
    stranded_links: String,
    projects: String,
    projects_dropped: String,
    projects_added: String,
    links_added: String,
}

/// The rows as CSV, lists joined with `; `.
pub fn to_csv(result: &Robustness) -> String {
    let rows: Vec<CaseRow> = result
        .rows
        .iter()
        .map(|row| CaseRow {
            plant: &row.plant,
            plant_name: &row.plant_name,
            scope: row.scope,
            base_saving_cny_per_year: row.base_saving_cny_per_year,
            saving_cny_per_year: row.saving_cny_per_year,
            saving_lost_cny_per_year: row.saving_lost_cny_per_year,
            cost_cny_per_year: row.cost_cny_per_year,
            co2_t_per_year: row.co2_t_per_year,
            stranded_links: row.stranded_links.join("; "),
            projects: row.projects.join("; "),
            projects_dropped: row.projects_dropped.join("; "),
            projects_added: row.projects_added.join("; "),
            links_added: row.links_added.join("; "),
        })
        .collect();
    table::to_csv(&rows)
}

/// The optimal plan's saving, then per plant and way of losing it the
/// saving lost, the links stranded and the projects dropped.
pub fn summary(park: &Park, result: &Robustness) -> String {
    let mut summary = format!(
        "Robustness of '{}' (optimal plan saves {}):\n",
        crate::text::printable(&park.name),
        m_cny(result.base_saving_cny_per_year)
    );
    for row in &result.rows {
        summary.push_str(&format!(
            "  {:<20} {:<16} saving lost {:>16}, {} link(s) stranded{}\n",
            row.plant,
            row.scope.label(),
            m_cny(row.saving_lost_cny_per_year),
            row.stranded_links.len(),
            if row.projects_dropped.is_empty() {
                String::new()
            } else {
                format!(", drops {}", row.projects_dropped.join(", "))
            },
        ));
    }
    summary
}

/// `robustness.csv`, `robustness.json` and the summary (no figure).
pub fn outputs(park: &Park, result: &Robustness) -> AnalysisOutputs {
    AnalysisOutputs::new(
        "robustness",
        to_csv(result),
        result,
        None,
        summary(park, result),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::robustness::robustness;
    use crate::park::testing::tiny;
    use crate::solve::SolverConfig;

    #[test]
    fn the_csv_has_a_header_and_a_row_per_case() {
        let result = robustness(&tiny(), &SolverConfig::default()).unwrap();
        let csv = to_csv(&result);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 4);
        assert!(lines[0].starts_with("plant,plant_name,scope,base_saving_cny_per_year"));
        assert!(lines[1].starts_with("power,电厂 A,closes,"), "{}", lines[1]);
        for scope in Scope::ALL {
            assert_eq!(
                serde_json::to_string(&scope).unwrap(),
                format!("\"{}\"", scope.label())
            );
        }
        assert!(lines[1].contains(",0.00,"), "{}", lines[1]);
    }
}

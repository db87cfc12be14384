//! `pareto`'s outputs: the front as `pareto.csv`, its summary, and the
//! front drawn as `pareto.svg` ([`figures::pareto`]).

use super::{m_cny, t_co2, AnalysisOutputs};
use crate::analysis::pareto::ParetoFront;
use crate::park::Park;
use crate::report::figures::{self, canvas::DrawError};
use crate::table::{self, fixed, optional_fixed};
use crate::units::thousands;
use serde::{Deserialize, Serialize};

/// A row of `pareto.csv`: a point of the front, lists joined with `; `.
#[derive(Serialize, Deserialize)]
struct PointRow {
    point: usize,
    #[serde(serialize_with = "optional_fixed::<3, _>")]
    co2_cap_t_per_year: Option<f64>,
    #[serde(serialize_with = "fixed::<2, _>")]
    cost_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    co2_t_per_year: f64,
    #[serde(serialize_with = "optional_fixed::<2, _>")]
    marginal_abatement_cost_cny_per_t: Option<f64>,
    knee: bool,
    projects: String,
    projects_added: String,
    projects_dropped: String,
    links_added: String,
    links_dropped: String,
}

/// The front as CSV.
pub fn to_csv(front: &ParetoFront) -> String {
    let rows: Vec<PointRow> = front
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| PointRow {
            point: i,
            co2_cap_t_per_year: p.co2_cap_t_per_year,
            cost_cny_per_year: p.cost_cny_per_year,
            co2_t_per_year: p.co2_t_per_year,
            marginal_abatement_cost_cny_per_t: p.marginal_abatement_cost_cny_per_t,
            knee: p.knee,
            projects: p.projects.join("; "),
            projects_added: p.projects_added.join("; "),
            projects_dropped: p.projects_dropped.join("; "),
            links_added: p.links_added.join("; "),
            links_dropped: p.links_dropped.join("; "),
        })
        .collect();
    table::to_csv(&rows)
}

/// The front point by point (cost, CO2, marginal abatement cost, projects
/// added, the knee), then the points left out.
pub fn summary(park: &Park, front: &ParetoFront) -> String {
    let mut summary = format!(
        "Cost–CO2 Pareto front of '{}' ({} points):\n",
        crate::text::printable(&park.name),
        front.points.len()
    );
    for point in &front.points {
        summary.push_str(&format!(
            "  {:>16}  {:>22}  MAC {:>14}{}{}\n",
            m_cny(point.cost_cny_per_year),
            t_co2(point.co2_t_per_year),
            point
                .marginal_abatement_cost_cny_per_t
                .map_or("—".to_string(), |m| format!("{m:.1} CNY/t")),
            if point.projects_added.is_empty() {
                String::new()
            } else {
                format!("  + {}", point.projects_added.join(", "))
            },
            if point.knee { "  ← knee" } else { "" },
        ));
    }
    for skipped in &front.skipped {
        summary.push_str(&format!(
            "  left out: the point at CO2 ≤ {} t/yr had no plan ({})\n",
            thousands(skipped.co2_cap_t_per_year),
            skipped.reason
        ));
    }
    summary
}

/// `pareto.csv`, `pareto.json`, `pareto.svg` and the summary.
pub fn outputs(park: &Park, front: &ParetoFront) -> Result<AnalysisOutputs, DrawError> {
    let chart = figures::pareto::pareto_data(front);
    let svg = figures::pareto::draw_pareto(&chart)?;
    Ok(AnalysisOutputs::new(
        "pareto",
        to_csv(front),
        front,
        Some(("pareto", svg)),
        summary(park, front),
    ))
}

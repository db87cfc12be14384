//! `sensitivity`'s outputs: each group's swing as `sensitivity.csv`, its
//! summary, and the tornado drawn as `tornado.svg` ([`figures::tornado`]).

use super::{m_cny, t_co2, AnalysisOutputs};
use crate::analysis::sensitivity::Sensitivity;
use crate::park::Park;
use crate::report::figures::{self, canvas::DrawError};
use crate::table::{self, display, fixed};
use serde::{Deserialize, Serialize};

/// A row of `sensitivity.csv`: a group's bar of the tornado, lists
/// joined with `; `.
#[derive(Serialize, Deserialize)]
struct GroupRow<'a> {
    /// The group's readable label
    /// ([`SensitivityRow::label`](crate::analysis::sensitivity::SensitivityRow::label)).
    group: &'a str,
    #[serde(serialize_with = "display")]
    scaling_percent: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    cost_low_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    cost_high_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    cost_swing_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    co2_low_t_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    co2_high_t_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    co2_swing_t_per_year: f64,
    projects_low: String,
    projects_high: String,
}

/// The tornado as CSV.
pub fn to_csv(result: &Sensitivity) -> String {
    let rows: Vec<GroupRow> = result
        .rows
        .iter()
        .map(|row| GroupRow {
            group: &row.label,
            scaling_percent: result.percent,
            cost_low_cny_per_year: row.cost_low_cny_per_year,
            cost_high_cny_per_year: row.cost_high_cny_per_year,
            cost_swing_cny_per_year: row.cost_swing(),
            co2_low_t_per_year: row.co2_low_t_per_year,
            co2_high_t_per_year: row.co2_high_t_per_year,
            co2_swing_t_per_year: row.co2_swing(),
            projects_low: row.projects_low.join("; "),
            projects_high: row.projects_high.join("; "),
        })
        .collect();
    table::to_csv(&rows)
}

/// The base plan, then each group's range of cost and CO2, widest cost
/// swing first.
pub fn summary(park: &Park, result: &Sensitivity) -> String {
    let mut summary = format!(
        "Sensitivity of '{}' to ±{} % (base: cost {}, {}):\n",
        crate::text::printable(&park.name),
        result.percent,
        m_cny(result.base_cost_cny_per_year),
        t_co2(result.base_co2_t_per_year)
    );
    for row in &result.rows {
        summary.push_str(&format!(
            "  {:<24} cost {} … {}   CO2 {} … {}\n",
            row.label,
            m_cny(row.cost_low_cny_per_year),
            m_cny(row.cost_high_cny_per_year),
            t_co2(row.co2_low_t_per_year),
            t_co2(row.co2_high_t_per_year),
        ));
    }
    summary
}

/// `sensitivity.csv`, `sensitivity.json`, `tornado.svg` and the summary.
pub fn outputs(park: &Park, result: &Sensitivity) -> Result<AnalysisOutputs, DrawError> {
    let chart = figures::tornado::tornado_data(result);
    let svg = figures::tornado::draw_tornado(&chart)?;
    Ok(AnalysisOutputs::new(
        "sensitivity",
        to_csv(result),
        result,
        Some(("tornado", svg)),
        summary(park, result),
    ))
}

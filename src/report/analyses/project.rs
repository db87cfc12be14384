//! `project`'s outputs: the project's three views as an investment as
//! `project-<id>.csv`, and its summary (no figure).

use super::{m_cny, t_co2, AnalysisOutputs};
use crate::analysis::project::ProjectEconomics;
use crate::park::Park;
use crate::report::folder_name;
use crate::table::{self, fixed, optional_fixed};
use crate::units::thousands;
use serde::{Deserialize, Serialize};

/// Which investment a row of `project-<id>.csv` shows.
#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum View {
    /// [`ProjectEconomics::park_view`].
    Park,
    /// [`ProjectEconomics::park_view_with_carbon`].
    ParkWithCarbon,
    /// [`ProjectEconomics::owner_view`].
    Owner,
}

/// A row of `project-<id>.csv`: one view of the project as an investment.
#[derive(Serialize, Deserialize)]
struct ViewRow<'a> {
    project: &'a str,
    view: View,
    #[serde(serialize_with = "fixed::<2, _>")]
    capex_cny: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    annual_cash_flow_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    npv_cny: f64,
    #[serde(serialize_with = "optional_fixed::<6, _>")]
    irr: Option<f64>,
    #[serde(serialize_with = "optional_fixed::<3, _>")]
    simple_payback_years: Option<f64>,
}

/// The economics as CSV: one row per view.
pub fn to_csv(result: &ProjectEconomics) -> String {
    let rows: Vec<ViewRow> = [
        (View::Park, &result.park_view),
        (View::ParkWithCarbon, &result.park_view_with_carbon),
        (View::Owner, &result.owner_view),
    ]
    .into_iter()
    .map(|(view, investment)| ViewRow {
        project: &result.project,
        view,
        capex_cny: investment.capex_cny,
        annual_cash_flow_cny_per_year: investment.annual_cash_flow_cny_per_year,
        npv_cny: investment.npv_cny,
        irr: investment.irr,
        simple_payback_years: investment.simple_payback_years,
    })
    .collect();
    table::to_csv(&rows)
}

/// The plans with the project forced in and out, then each view as an
/// investment.
pub fn summary(park: &Park, result: &ProjectEconomics) -> String {
    let mut summary = format!(
        "Project '{}' ({}) in '{}': {} the optimal plan\n  forced in:  cost {}, {}, throughput {}\n  forced out: cost {}, {}\n  CO2 abated in the park: {}\n",
        result.project,
        result.technology,
        crate::text::printable(&park.name),
        if result.in_optimal_plan { "in" } else { "not in" },
        m_cny(result.forced_in.cost_cny_per_year),
        t_co2(result.forced_in.co2_t_per_year),
        thousands(result.forced_in.throughput),
        m_cny(result.forced_out.cost_cny_per_year),
        t_co2(result.forced_out.co2_t_per_year),
        t_co2(result.co2_abated_t_per_year),
    );
    for (view, investment) in [
        ("park view", &result.park_view),
        ("park view + carbon", &result.park_view_with_carbon),
        ("owner view", &result.owner_view),
    ] {
        summary.push_str(&format!(
            "  {view:<19} capex {:.2} M CNY, cash flow {}, NPV at {:.1} % {:.2} M CNY, IRR {}, payback {}\n",
            investment.capex_cny / 1e6,
            m_cny(investment.annual_cash_flow_cny_per_year),
            result.discount_rate * 100.0,
            investment.npv_cny / 1e6,
            investment.irr.map_or("—".to_string(), |r| format!("{:.1} %", r * 100.0)),
            investment.simple_payback_years.map_or("never".to_string(), |y| format!("{y:.1} yr")),
        ));
    }
    summary
}

/// `project-<id>.csv`, `project-<id>.json` (the id as a file name) and
/// the summary (no figure).
pub fn outputs(park: &Park, result: &ProjectEconomics) -> AnalysisOutputs {
    AnalysisOutputs::new(
        format!("project-{}", folder_name(&result.project)),
        to_csv(result),
        result,
        None,
        summary(park, result),
    )
}

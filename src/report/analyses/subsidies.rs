//! `subsidies`' outputs: the ranking as `subsidies.csv`, its summary with
//! what a budget buys, and the marginal abatement cost curve of support
//! drawn as `macc.svg` ([`figures::macc`]).

use super::{m_cny, t_co2, AnalysisOutputs};
use crate::analysis::subsidies::Subsidies;
use crate::park::Park;
use crate::report::figures::{self, canvas::DrawError};
use crate::table::{self, fixed, optional_fixed};
use serde::{Deserialize, Serialize};

/// A row of `subsidies.csv`: a
/// [`SubsidyRow`](crate::analysis::subsidies::SubsidyRow) with its rank.
#[derive(Serialize, Deserialize)]
struct RankRow<'a> {
    rank: usize,
    project: &'a str,
    technology: &'a str,
    chosen_without_support: bool,
    #[serde(serialize_with = "fixed::<2, _>")]
    break_even_subsidy_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    co2_abated_t_per_year: f64,
    #[serde(serialize_with = "optional_fixed::<2, _>")]
    subsidy_per_t_cny: Option<f64>,
    #[serde(serialize_with = "fixed::<2, _>")]
    vat_refund_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    break_even_after_vat_refund_cny_per_year: f64,
    #[serde(serialize_with = "optional_fixed::<2, _>")]
    implied_carbon_price_cny_per_t: Option<f64>,
}

/// The ranking as CSV.
pub fn to_csv(result: &Subsidies) -> String {
    let rows: Vec<RankRow> = result
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| RankRow {
            rank: i + 1,
            project: &row.project,
            technology: &row.technology,
            chosen_without_support: row.chosen_without_support,
            break_even_subsidy_cny_per_year: row.break_even_subsidy_cny_per_year,
            co2_abated_t_per_year: row.co2_abated_t_per_year,
            subsidy_per_t_cny: row.subsidy_per_t_cny,
            vat_refund_cny_per_year: row.vat_refund_cny_per_year,
            break_even_after_vat_refund_cny_per_year: row.break_even_after_vat_refund_cny_per_year,
            implied_carbon_price_cny_per_t: row.implied_carbon_price_cny_per_t,
        })
        .collect();
    table::to_csv(&rows)
}

/// The ranking, cheapest CO2 first, then what the budget (if any) buys
/// by the greedy ranking and by the one MILP.
pub fn summary(park: &Park, result: &Subsidies) -> String {
    let mut summary = format!(
        "Break-even subsidies for '{}', cheapest CO2 first:\n",
        crate::text::printable(&park.name)
    );
    for row in &result.rows {
        summary.push_str(&format!(
            "  {:<24} {:>16}  {:>22}  {}{}\n",
            row.label(),
            m_cny(row.break_even_subsidy_cny_per_year),
            t_co2(row.co2_abated_t_per_year),
            row.subsidy_per_t_cny
                .map_or("abates nothing".to_string(), |s| format!("{s:.1} CNY/t")),
            match (row.chosen_without_support, row.runs_at_min_load) {
                (true, _) => "  (chosen without support)".to_string(),
                (false, false) => format!(
                    "  (cannot run at {:.0} % load in this park)",
                    result.min_load * 100.0
                ),
                (false, true) => String::new(),
            },
        ));
    }
    if let Some(b) = &result.budget {
        summary.push_str(&format!(
            "Budget {}:\n  greedy ranking: {} → {} abated for {}\n  one MILP with participation: {} → {} abated for {}\n",
            m_cny(b.budget_cny_per_year),
            list(&b.greedy_projects),
            t_co2(b.greedy_co2_abated_t_per_year),
            m_cny(b.greedy_support_cny_per_year),
            list(&b.milp_projects),
            t_co2(b.milp_co2_abated_t_per_year),
            m_cny(b.milp_support_cny_per_year),
        ));
    }
    summary
}

/// Items joined with `, `, or `nothing`.
fn list(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".to_string()
    } else {
        items.join(", ")
    }
}

/// `subsidies.csv`, `subsidies.json`, `macc.svg` and the summary.
pub fn outputs(park: &Park, result: &Subsidies) -> Result<AnalysisOutputs, DrawError> {
    let chart = figures::macc::macc_data(result);
    let svg = figures::macc::draw_macc(&chart)?;
    Ok(AnalysisOutputs::new(
        "subsidies",
        to_csv(result),
        result,
        Some(("macc", svg)),
        summary(park, result),
    ))
}

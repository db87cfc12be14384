//! `sweep`'s outputs: the plan at each carbon price as `sweep.csv` (a
//! column per project) and its summary, with each project's entry price.

use super::{m_cny, t_co2, AnalysisOutputs};
use crate::analysis::sweep::Sweep;
use crate::park::Park;
use crate::table::{self, display, fixed};
use serde::{Deserialize, Serialize};

/// The first columns of a row of `sweep.csv`; a column per project follows.
#[derive(Serialize, Deserialize)]
struct PriceCells {
    #[serde(serialize_with = "display")]
    carbon_price_cny_per_t: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    cost_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    co2_t_per_year: f64,
}

/// The sweep as CSV: one row per price, one column per project (1 = built).
pub fn to_csv(park: &Park, sweep: &Sweep) -> String {
    let header: Vec<&str> = table::columns::<PriceCells>()
        .iter()
        .copied()
        .chain(park.projects.iter().map(|project| project.id.as_str()))
        .collect();
    let rows: Vec<(PriceCells, Vec<u8>)> = sweep
        .points
        .iter()
        .map(|point| {
            let built = park
                .projects
                .iter()
                .map(|project| u8::from(point.projects.contains(&project.id)))
                .collect();
            let cells = PriceCells {
                carbon_price_cny_per_t: point.carbon_price_cny_per_t,
                cost_cny_per_year: point.cost_cny_per_year,
                co2_t_per_year: point.co2_t_per_year,
            };
            (cells, built)
        })
        .collect();
    table::to_csv_with_header(&header, &rows)
}

/// The plan at each price, then each project's entry price; `range` is
/// the range swept as the user wrote it.
pub fn summary(park: &Park, sweep: &Sweep, range: &str) -> String {
    let mut summary = format!(
        "Carbon-price sweep of '{}' over {range} CNY/t:\n",
        crate::text::printable(&park.name)
    );
    for point in &sweep.points {
        summary.push_str(&format!(
            "  {:>7.1} CNY/t  {:>16}  {:>22}  {}\n",
            point.carbon_price_cny_per_t,
            m_cny(point.cost_cny_per_year),
            t_co2(point.co2_t_per_year),
            point.projects.join(", ")
        ));
    }
    summary.push_str("Entry prices (lowest swept price at which each project is built):\n");
    for (project, price) in &sweep.entry_prices {
        summary.push_str(&format!(
            "  {project}: {}\n",
            price.map_or("not built in the range".to_string(), |p| format!(
                "{p} CNY/t"
            ))
        ));
    }
    summary
}

/// `sweep.csv`, `sweep.json` and the summary (no figure).
pub fn outputs(park: &Park, sweep: &Sweep, range: &str) -> AnalysisOutputs {
    AnalysisOutputs::new(
        "sweep",
        to_csv(park, sweep),
        sweep,
        None,
        summary(park, sweep, range),
    )
}

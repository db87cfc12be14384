//! Links and projects as CSV tables, for spreadsheets: one row struct per
//! table, written by [`crate::table`].

use crate::solution::Plan;
use crate::table::{self, display, optional_display};
use serde::{Deserialize, Serialize};

/// A row of `links.csv`.
#[derive(Serialize, Deserialize)]
struct LinkRow<'a> {
    from: &'a str,
    to: &'a str,
    mode: &'a str,
    carries: &'a str,
    #[serde(serialize_with = "display")]
    sent: f64,
    #[serde(serialize_with = "display")]
    delivered: f64,
    unit: &'a str,
    #[serde(serialize_with = "display")]
    distance_km: f64,
    /// Whether the route bends around a zone.
    detour: bool,
    #[serde(serialize_with = "optional_display")]
    delivered_temperature_c: Option<f64>,
    built: bool,
    #[serde(serialize_with = "display")]
    capex_cny: f64,
    #[serde(serialize_with = "display")]
    annual_cost_cny_per_year: f64,
    #[serde(serialize_with = "display")]
    co2_t_per_year: f64,
}

/// `links.csv`: one row per link used.
pub fn links(plan: &Plan) -> String {
    let rows: Vec<LinkRow> = plan
        .links
        .iter()
        .map(|link| LinkRow {
            from: &link.from_id,
            to: &link.to_id,
            mode: &link.mode,
            carries: &link.carries,
            sent: link.sent,
            delivered: link.delivered,
            unit: &link.unit,
            distance_km: link.distance_km,
            detour: link.route.len() > 2,
            delivered_temperature_c: link.delivered_temperature_c,
            built: link.built,
            capex_cny: link.capex_cny,
            annual_cost_cny_per_year: link.annual_cost_cny_per_year,
            co2_t_per_year: link.co2_t_per_year,
        })
        .collect();
    table::to_csv(&rows)
}

/// A row of `projects.csv`.
#[derive(Serialize, Deserialize)]
struct ProjectRow<'a> {
    id: &'a str,
    name: &'a str,
    technology: &'a str,
    built: bool,
    #[serde(serialize_with = "display")]
    throughput: f64,
    throughput_unit: &'a str,
    #[serde(serialize_with = "display")]
    max_throughput: f64,
    product: &'a str,
    #[serde(serialize_with = "display")]
    product_output: f64,
    #[serde(serialize_with = "display")]
    capex_cny: f64,
    #[serde(serialize_with = "display")]
    annual_cost_cny_per_year: f64,
}

/// `projects.csv`: one row per candidate project.
pub fn projects(plan: &Plan) -> String {
    let rows: Vec<ProjectRow> = plan
        .projects
        .iter()
        .map(|project| ProjectRow {
            id: &project.id,
            name: &project.name,
            technology: &project.technology,
            built: project.built,
            throughput: project.throughput,
            throughput_unit: &project.throughput_unit,
            max_throughput: project.max_throughput,
            product: &project.product,
            product_output: project.product_output,
            capex_cny: project.capex_cny,
            annual_cost_cny_per_year: project.annual_cost_cny_per_year,
        })
        .collect();
    table::to_csv(&rows)
}

#[cfg(test)]
mod tests {
    use crate::park::testing::{optimal_plan, tiny};

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        let park = tiny();
        let mut plan = optimal_plan(&park);
        plan.projects[0].name = "fly ash, \"dry\"".into();
        plan.links.clear();
        let projects = super::projects(&plan);
        assert!(
            projects.contains("\nclassifier,\"fly ash, \"\"dry\"\"\",fly_ash_classification,"),
            "{projects}"
        );
        assert_eq!(
            crate::table::records(&projects)[1][1],
            "fly ash, \"dry\"",
            "{projects}"
        );
        assert_eq!(
            super::links(&plan),
            "from,to,mode,carries,sent,delivered,unit,distance_km,detour,delivered_temperature_c,built,capex_cny,annual_cost_cny_per_year,co2_t_per_year\n",
            "an empty table keeps its header"
        );
    }
}

//! The report's text content — headline figures and tables — as plain
//! data, rendered by both the HTML and the Markdown writers so the two
//! always say the same thing.

use super::figures::scorecard::ScorecardData;
use super::summary::{millions, percent, unit_label as unit};
use crate::solution::firms::FirmRow;
use crate::solution::Plan;
use crate::units::thousands;

/// A table: header and rows of cells, all plain text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
    /// Which columns are numbers (right-aligned).
    pub numeric: Vec<bool>,
}

/// Everything the report says in words and numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Park name.
    pub park: String,
    /// One line on the run: solver, status, gap, carbon price, region factor.
    pub status_line: String,
    /// Headline figures: (label, value, note).
    pub headline: Vec<(String, String, String)>,
    /// Scorecard table.
    pub scorecard: Table,
    /// Projects table.
    pub projects: Table,
    /// Links table.
    pub links: Table,
    /// Cost and CO2 by category, today and plan.
    pub categories: Table,
    /// Who pays and who gains: each plant's and project's cost and CO2, today and plan.
    pub firms: Table,
}

fn signed_millions(cny: f64) -> String {
    format!("{:+.2}", cny / 1e6)
}

/// How the firm ledger attributes costs, said under its table.
pub const FIRMS_NOTE: &str = "Each plant's cost and CO2 today and in the plan: a waste's outlet is its producer's, a heat user's supply is the user's, a link is paid by its receiver (which also books the virgin material it replaces), a project's own costs and sales are the project's. The fairness command (ecopark fairness) sets these against a fair split of the park's saving, the Shapley value.";

/// The firm ledger as a table.
fn firms_table(ledger: &[FirmRow]) -> Table {
    Table {
        header: [
            "Party",
            "Name",
            "Today, M CNY/yr",
            "Plan, M CNY/yr",
            "Change, M CNY/yr",
            "CO2 today, t/yr",
            "CO2 plan, t/yr",
            "CO2 change, t/yr",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, false, true, true, true, true, true, true],
        rows: ledger
            .iter()
            .map(|f| {
                vec![
                    f.party.clone(),
                    f.name.clone(),
                    millions(f.baseline_cost_cny_per_year),
                    millions(f.plan_cost_cny_per_year),
                    signed_millions(f.cost_change_cny_per_year),
                    thousands(f.baseline_co2_t_per_year),
                    thousands(f.plan_co2_t_per_year),
                    thousands(f.co2_change_t_per_year),
                ]
            })
            .collect(),
    }
}

/// Builds the document for a plan, its scorecard and its firm ledger.
pub fn document(plan: &Plan, scorecard: &ScorecardData, ledger: &[FirmRow]) -> Document {
    Document {
        park: plan.park.clone(),
        status_line: status_line(plan),
        headline: headline(plan),
        scorecard: scorecard_table(scorecard),
        projects: projects_table(plan),
        links: links_table(plan),
        categories: categories_table(plan),
        firms: firms_table(ledger),
    }
}

/// One line on the run: solver, status, gap, carbon price, grid factor,
/// version. The status and gap are the solver's own claims, which no
/// verifier can re-derive, and are labelled so; every other number of the
/// report is recomputed from the flows by `verify` before it is shown.
fn status_line(plan: &Plan) -> String {
    let s = &plan.solver;
    let gap = s
        .gap
        .map_or(String::new(), |g| format!(", gap {:.4} %", g * 100.0));
    format!(
        "Solver {} (as it reports): {}{gap}. Plan verified independently against the park. Carbon price {} CNY/t; grid factor {} t CO2/MWh; ecopark {}.",
        s.backend,
        s.termination,
        plan.carbon_price_cny_per_t,
        plan.grid_factor_t_per_mwh,
        plan.ecopark_version
    )
}

/// The headline figures: cost, CO2, capital, solid-waste utilisation and
/// waste-heat recovery, each as (label, value, note).
fn headline(plan: &Plan) -> Vec<(String, String, String)> {
    let k = &plan.kpis;
    let c = &plan.change;
    vec![
        (
            "Annual cost".to_string(),
            format!("{} M CNY/yr", signed_millions(c.cost_cny_per_year)),
            format!(
                "today {} → plan {}",
                millions(plan.baseline.cost_cny_per_year),
                millions(plan.plan.cost_cny_per_year)
            ),
        ),
        (
            "CO2".to_string(),
            format!("{} kt/yr", format_args!("{:+.1}", c.co2_t_per_year / 1e3)),
            format!(
                "today {} → plan {} kt/yr",
                thousands(plan.baseline.co2_t_per_year / 1e3),
                thousands(plan.plan.co2_t_per_year / 1e3)
            ),
        ),
        (
            "Capital cost".to_string(),
            format!("{} M CNY", millions(k.capex_cny)),
            k.simple_payback_years
                .map_or("no payback: nothing saved".to_string(), |y| {
                    format!("simple payback {y:.1} years")
                }),
        ),
        (
            "Solid-waste utilisation".to_string(),
            percent(k.solid_waste_utilisation_rate),
            format!("today {}", percent(k.baseline_solid_waste_utilisation_rate)),
        ),
        (
            "Waste-heat recovery".to_string(),
            percent(k.waste_heat_recovery_rate),
            format!(
                "{} of {} MWh/yr",
                thousands(k.waste_heat_used_mwh_per_year),
                thousands(k.waste_heat_mwh_per_year)
            ),
        ),
    ]
}

/// The scorecard as a table: each indicator against its threshold, today and in the plan.
fn scorecard_table(scorecard: &ScorecardData) -> Table {
    Table {
        header: ["Indicator", "Threshold", "Today", "Plan", "Met", "Source"]
            .map(String::from)
            .to_vec(),
        numeric: vec![false, true, true, true, false, false],
        rows: scorecard
            .rows
            .iter()
            .map(|row| {
                let sign = match row.comparison {
                    crate::library::Comparison::AtLeast => "≥",
                    crate::library::Comparison::AtMost => "≤",
                };
                vec![
                    row.name.clone(),
                    format!("{sign} {} {}", row.show(row.threshold), row.unit()),
                    row.today.map_or("–".into(), |v| row.show(v)),
                    row.plan.map_or("–".into(), |v| row.show(v)),
                    match row.met {
                        Some(true) => "met".into(),
                        Some(false) => "not met".into(),
                        None => format!("not computed: {}", row.note.clone().unwrap_or_default()),
                    },
                    row.source.clone(),
                ]
            })
            .collect(),
    }
}

/// The candidate projects as a table, built or not.
fn projects_table(plan: &Plan) -> Table {
    Table {
        header: [
            "Project",
            "Technology",
            "Built",
            "Throughput",
            "Capacity",
            "Product out",
            "Capex, M CNY",
            "Own cost, M CNY/yr",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, false, false, true, true, true, true, true],
        rows: plan
            .projects
            .iter()
            .map(|p| {
                vec![
                    if p.name == p.id {
                        p.id.clone()
                    } else {
                        format!("{} ({})", p.name, p.id)
                    },
                    p.technology.clone(),
                    if p.built { "yes".into() } else { "no".into() },
                    format!("{} {}", thousands(p.throughput), unit(&p.throughput_unit)),
                    format!(
                        "{} {}",
                        thousands(p.max_throughput),
                        unit(&p.throughput_unit)
                    ),
                    format!("{} {}", thousands(p.product_output), p.product),
                    millions(p.capex_cny),
                    millions(p.annual_cost_cny_per_year),
                ]
            })
            .collect(),
    }
}

/// The plan's links as a table.
fn links_table(plan: &Plan) -> Table {
    Table {
        header: [
            "From",
            "To",
            "Mode",
            "Carries",
            "Sent",
            "Distance, km",
            "Arrives at",
            "Capex, M CNY",
            "Cost, M CNY/yr",
            "CO2, t/yr",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![
            false, false, false, false, true, true, true, true, true, true,
        ],
        rows: plan
            .links
            .iter()
            .map(|l| {
                vec![
                    l.from_id.clone(),
                    l.to_id.clone(),
                    format!(
                        "{}{}",
                        l.mode,
                        if l.route.len() > 2 {
                            " (around a zone)"
                        } else {
                            ""
                        }
                    ),
                    l.carries.clone(),
                    format!("{} {}", thousands(l.sent), unit(&l.unit)),
                    format!("{:.2}", l.distance_km),
                    l.delivered_temperature_c
                        .map_or("–".into(), |t| format!("{t:.0} °C")),
                    millions(l.capex_cny),
                    millions(l.annual_cost_cny_per_year),
                    thousands(l.co2_t_per_year),
                ]
            })
            .collect(),
    }
}

/// Cost and CO2 by category, today and in the plan, as a table.
fn categories_table(plan: &Plan) -> Table {
    Table {
        header: [
            "Category",
            "Cost today, M CNY/yr",
            "Cost plan",
            "CO2 today, t/yr",
            "CO2 plan",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, true, true, true, true],
        rows: plan
            .plan
            .cost_by_category
            .keys()
            .map(|category| {
                let get = |map: &std::collections::BTreeMap<String, f64>| {
                    map.get(category).copied().unwrap_or(0.0)
                };
                vec![
                    category.replace('_', " "),
                    millions(get(&plan.baseline.cost_by_category)),
                    millions(get(&plan.plan.cost_by_category)),
                    thousands(get(&plan.baseline.co2_by_category)),
                    thousands(get(&plan.plan.co2_by_category)),
                ]
            })
            .collect(),
    }
}

//! The decision-analysis commands: each loads and validates the park, runs
//! one analysis from [`ecopark::analysis`] on a rayon pool of `--jobs`
//! threads, writes its CSV, JSON and figure into the output folder and
//! prints a readable summary.

use super::{load_park, solver_config, worker_pool, SolverArgs, EXIT_ERROR, EXIT_NO_PLAN, EXIT_OK};
use anyhow::{Context, Result};
use clap::Args;
use ecopark::analysis::{self, AnalysisError};
use ecopark::park::Park;
use ecopark::report::{self, write_atomic};
use ecopark::solve::SolverConfig;
use ecopark::units::thousands;
use std::path::{Path, PathBuf};

/// Flags every analysis takes.
#[derive(Args)]
pub struct AnalysisArgs {
    /// The park file (park.toml, or .json).
    park: PathBuf,
    /// Output folder [default: reports/<park-name>/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Scenarios solved at once [default: one per core].
    #[arg(long)]
    jobs: Option<usize>,
    #[command(flatten)]
    solving: SolverArgs,
}

/// What an analysis hands back to be written and printed.
pub struct Outputs {
    /// File stem of the CSV, JSON and figure.
    name: String,
    /// The table.
    csv: String,
    /// The full result.
    json: String,
    /// The figure's file stem and SVG, when the analysis has one.
    svg: Option<(&'static str, String)>,
    /// Further tables: file name and contents.
    extra: Vec<(&'static str, String)>,
    /// The readable summary.
    summary: String,
}

impl Outputs {
    fn new(
        name: impl Into<String>,
        csv: String,
        result: &impl serde::Serialize,
        svg: Option<(&'static str, String)>,
        summary: String,
    ) -> Result<Outputs> {
        Ok(Outputs {
            name: name.into(),
            csv,
            json: serde_json::to_string_pretty(result)? + "\n",
            svg,
            extra: Vec::new(),
            summary,
        })
    }
}

/// Runs one analysis and writes its outputs; the exit code says whether it
/// produced them (0), found no plan where one was needed (1), or failed (2).
pub fn run(
    args: &AnalysisArgs,
    analysis: impl FnOnce(&Park, &SolverConfig) -> Result<Outputs> + Send,
) -> Result<u8> {
    let config = solver_config(&args.solving)?;
    let Some(park) = load_park(&args.park) else {
        return Ok(EXIT_ERROR);
    };
    let pool = worker_pool(args.jobs).context("starting the worker threads")?;
    let outputs = match pool.install(|| analysis(&park, &config)) {
        Ok(outputs) => outputs,
        Err(error) => {
            return match error.downcast_ref::<AnalysisError>() {
                Some(no_plan @ AnalysisError::NoPlan { .. }) => {
                    eprintln!("{no_plan}");
                    Ok(EXIT_NO_PLAN)
                }
                Some(AnalysisError::Invalid(message)) => {
                    eprintln!("error: {message}");
                    Ok(EXIT_ERROR)
                }
                _ => Err(error),
            };
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join(report::folder_name(&park.name)));
    let mut files = vec![
        (
            out.join(format!("{}.csv", outputs.name)),
            outputs.csv.into_bytes(),
        ),
        (
            out.join(format!("{}.json", outputs.name)),
            outputs.json.into_bytes(),
        ),
    ];
    for (name, contents) in outputs.extra {
        files.push((out.join(name), contents.into_bytes()));
    }
    if let Some((figure, svg)) = outputs.svg {
        files.push((out.join(format!("{figure}.svg")), svg.into_bytes()));
    }
    print!("{}", outputs.summary);
    for (path, contents) in files {
        write_atomic(&path, &contents)?;
        println!("wrote {}", path.display());
    }
    Ok(EXIT_OK)
}

/// Yuan per year in millions, with the unit.
fn m_cny(value: f64) -> String {
    format!("{:.2} M CNY/yr", value / 1e6)
}

/// Tonnes of CO2 per year, with the unit.
fn t_co2(value: f64) -> String {
    format!("{} t CO2/yr", thousands(value))
}

/// `pareto`: the cost–CO2 front.
pub fn pareto(park: &Park, config: &SolverConfig, points: usize) -> Result<Outputs> {
    let front = analysis::pareto::pareto(park, config, points)?;
    let chart = report::figures::pareto::pareto_data(&front);
    let svg = report::figures::pareto::draw_pareto(&chart)?;
    let mut summary = format!(
        "Cost–CO2 Pareto front of '{}' ({} points):\n",
        park.name,
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
    Outputs::new(
        "pareto",
        analysis::pareto::to_csv(&front),
        &front,
        Some(("pareto", svg)),
        summary,
    )
}

/// `sweep`: the plan over a range of carbon prices.
pub fn sweep(park: &Park, config: &SolverConfig, range: &str) -> Result<Outputs> {
    let prices = analysis::sweep::parse_range(range)?;
    let result = analysis::sweep::sweep(park, config, &prices)?;
    let mut summary = format!(
        "Carbon-price sweep of '{}' over {range} CNY/t:\n",
        park.name
    );
    for point in &result.points {
        summary.push_str(&format!(
            "  {:>7.1} CNY/t  {:>16}  {:>22}  {}\n",
            point.carbon_price_cny_per_t,
            m_cny(point.cost_cny_per_year),
            t_co2(point.co2_t_per_year),
            point.projects.join(", ")
        ));
    }
    summary.push_str("Entry prices (lowest swept price at which each project is built):\n");
    for (project, price) in &result.entry_prices {
        summary.push_str(&format!(
            "  {project}: {}\n",
            price.map_or("not built in the range".to_string(), |p| format!(
                "{p} CNY/t"
            ))
        ));
    }
    Outputs::new(
        "sweep",
        analysis::sweep::to_csv(park, &result),
        &result,
        None,
        summary,
    )
}

/// `subsidies`: break-even support, ranked, and a budget's best use.
pub fn subsidies(
    park: &Park,
    config: &SolverConfig,
    budget: Option<f64>,
    min_load: f64,
) -> Result<Outputs> {
    let result = analysis::subsidies::subsidies(park, config, budget, min_load)?;
    let chart = report::figures::macc::macc_data(&result);
    let svg = report::figures::macc::draw_macc(&chart)?;
    let mut summary = format!(
        "Break-even subsidies for '{}', cheapest CO2 first:\n",
        park.name
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
    Outputs::new(
        "subsidies",
        analysis::subsidies::to_csv(&result),
        &result,
        Some(("macc", svg)),
        summary,
    )
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".to_string()
    } else {
        items.join(", ")
    }
}

/// `project`: one project's economics, forced in and out.
pub fn project(park: &Park, config: &SolverConfig, id: &str) -> Result<Outputs> {
    let result = analysis::project::project(park, config, id)?;
    let mut summary = format!(
        "Project '{}' ({}) in '{}': {} the optimal plan\n  forced in:  cost {}, {}, throughput {}\n  forced out: cost {}, {}\n  CO2 abated in the park: {}\n",
        result.project,
        result.technology,
        park.name,
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
    Outputs::new(
        format!("project-{}", report::folder_name(id)),
        analysis::project::to_csv(&result),
        &result,
        None,
        summary,
    )
}

/// `sensitivity`: the tornado.
pub fn sensitivity(park: &Park, config: &SolverConfig, percent: f64) -> Result<Outputs> {
    let result = analysis::sensitivity::sensitivity(park, config, percent)?;
    let chart = report::figures::tornado::tornado_data(&result);
    let svg = report::figures::tornado::draw_tornado(&chart)?;
    let mut summary = format!(
        "Sensitivity of '{}' to ±{percent} % (base: cost {}, {}):\n",
        park.name,
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
    Outputs::new(
        "sensitivity",
        analysis::sensitivity::to_csv(&result),
        &result,
        Some(("tornado", svg)),
        summary,
    )
}

/// `robustness`: each plant lost, both ways.
pub fn robustness(park: &Park, config: &SolverConfig) -> Result<Outputs> {
    let result = analysis::robustness::robustness(park, config)?;
    let mut summary = format!(
        "Robustness of '{}' (optimal plan saves {}):\n",
        park.name,
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
    Outputs::new(
        "robustness",
        analysis::robustness::to_csv(&result),
        &result,
        None,
        summary,
    )
}

/// `fairness`: who gains, and the Shapley split.
pub fn fairness(park: &Park, config: &SolverConfig, samples: usize) -> Result<Outputs> {
    let result = analysis::fairness::shapley(park, config, samples)?;
    let mut summary = format!(
        "Who gains in '{}' ({} Shapley value over {} coalitions; the park saves {}):\n",
        park.name,
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
            row.share_of_saving
                .map_or("—".to_string(), report::summary::percent),
            m_cny(row.ledger_saving_cny_per_year),
        ));
    }
    let mut outputs = Outputs::new(
        "fairness",
        analysis::fairness::to_csv(&result),
        &result,
        None,
        summary,
    )?;
    outputs.extra.push((
        "firms.csv",
        ecopark::solution::firms::ledger_to_csv(&result.ledger),
    ));
    Ok(outputs)
}

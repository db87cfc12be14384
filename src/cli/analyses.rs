//! The decision-analysis commands: each loads and validates the park, runs
//! one analysis from [`ecopark::analysis`] on a rayon pool of `--jobs`
//! threads, prints its summary and writes its CSV, JSON and figure into the
//! output folder ([`ecopark::report::analyses`] makes and writes them).

use super::{load_park, solver_config, worker_pool, SolverArgs, EXIT_ERROR, EXIT_NO_PLAN, EXIT_OK};
use anyhow::{Context, Result};
use clap::Args;
use ecopark::analysis::{self, AnalysisError};
use ecopark::park::Park;
use ecopark::report::{self, analyses, write_analysis_outputs, AnalysisOutputs};
use ecopark::solve::SolverConfig;
use std::path::{Path, PathBuf};

/// Flags every analysis takes.
#[derive(Args)]
pub struct AnalysisArgs {
    /// The park file (park.toml, or .json).
    park: PathBuf,
    /// Output folder [default: reports/<park-name>/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Scenarios solved at once, 1 to 4 per core [default: one per core].
    #[arg(long, allow_negative_numbers = true, value_parser = super::bounds::jobs())]
    jobs: Option<usize>,
    #[command(flatten)]
    solving: SolverArgs,
    /// Replace files in the output folder that ecopark did not write.
    #[arg(long)]
    force: bool,
}

/// Runs one analysis and writes its outputs; the exit code says whether it
/// produced them (0), found no plan where one was needed (1), or failed (2).
pub fn run(
    args: &AnalysisArgs,
    analysis: impl FnOnce(&Park, &SolverConfig) -> Result<AnalysisOutputs> + Send,
) -> Result<u8> {
    let config = solver_config(&args.solving)?;
    let Some(park) = load_park(&args.park) else {
        return Ok(EXIT_ERROR);
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join(report::folder_name(&park.name)));
    report::check_writable(&out)?;
    let source = super::output_source(&args.park, &args.solving, args.force)?;
    let pool = worker_pool(args.jobs).context("starting the worker threads")?;
    let outputs = match pool.install(|| analysis(&park, &config)) {
        Ok(outputs) => outputs,
        Err(error) => {
            return match error.downcast_ref::<AnalysisError>() {
                Some(no_plan @ (AnalysisError::NoPlan { .. } | AnalysisError::OutOfTime(_))) => {
                    eprintln!("{}", ecopark::text::printable(&no_plan.to_string()));
                    Ok(EXIT_NO_PLAN)
                }
                Some(AnalysisError::Invalid(message)) => {
                    eprintln!("error: {}", ecopark::text::printable(message));
                    Ok(EXIT_ERROR)
                }
                _ => Err(error),
            };
        }
    };
    print!("{}", ecopark::text::printable_lines(&outputs.summary));
    let written = write_analysis_outputs(&outputs, &out, &source)?;
    for path in written.files {
        println!("wrote {}", path.display());
    }
    Ok(EXIT_OK)
}

/// `pareto`: the cost–CO2 front.
pub fn pareto(park: &Park, config: &SolverConfig, points: usize) -> Result<AnalysisOutputs> {
    let front = analysis::pareto::pareto(park, config, points)?;
    Ok(analyses::pareto::outputs(park, &front)?)
}

/// `sweep`: the plan over a range of carbon prices.
pub fn sweep(park: &Park, config: &SolverConfig, range: &str) -> Result<AnalysisOutputs> {
    let prices = analysis::sweep::parse_range(range)?;
    let result = analysis::sweep::sweep(park, config, &prices)?;
    Ok(analyses::sweep::outputs(park, &result, range))
}

/// `subsidies`: break-even support, ranked, and a budget's best use.
pub fn subsidies(
    park: &Park,
    config: &SolverConfig,
    budget: Option<f64>,
    min_load: f64,
) -> Result<AnalysisOutputs> {
    let result = analysis::subsidies::subsidies(park, config, budget, min_load)?;
    Ok(analyses::subsidies::outputs(park, &result)?)
}

/// `project`: one project's economics, forced in and out.
pub fn project(park: &Park, config: &SolverConfig, id: &str) -> Result<AnalysisOutputs> {
    let result = analysis::project::project(park, config, id)?;
    Ok(analyses::project::outputs(park, &result))
}

/// `sensitivity`: the tornado.
pub fn sensitivity(park: &Park, config: &SolverConfig, percent: f64) -> Result<AnalysisOutputs> {
    let result = analysis::sensitivity::sensitivity(park, config, percent)?;
    Ok(analyses::sensitivity::outputs(park, &result)?)
}

/// `robustness`: each plant lost, both ways.
pub fn robustness(park: &Park, config: &SolverConfig) -> Result<AnalysisOutputs> {
    let result = analysis::robustness::robustness(park, config)?;
    Ok(analyses::robustness::outputs(park, &result))
}

/// `fairness`: who gains, and the Shapley split.
pub fn fairness(park: &Park, config: &SolverConfig, samples: usize) -> Result<AnalysisOutputs> {
    let result = analysis::fairness::shapley(park, config, samples)?;
    Ok(analyses::fairness::outputs(park, &result))
}

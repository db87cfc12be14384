//! The HiGHS backend. good_lp builds the model; we then drive the `highs`
//! model directly, because good_lp's status folds every limit into
//! "time limit" and reports neither the bound nor the achieved gap, and
//! takes no start solution.

use super::{finish, to_good_lp, Backend, Scaling, SolverConfig, SolverRecord, Termination};
use crate::formulation::Model;
use highs::{HighsModelStatus, HighsSolutionStatus};

/// Maps HiGHS's model status to a termination.
fn termination(status: HighsModelStatus) -> Termination {
    use HighsModelStatus as S;
    match status {
        S::Optimal => Termination::Optimal,
        S::ObjectiveBound | S::ObjectiveTarget => Termination::GapLimit,
        S::ReachedTimeLimit => Termination::TimeLimit,
        S::ReachedSolutionLimit
        | S::ReachedInterrupt
        | S::ReachedIterationLimit
        | S::ReachedMemoryLimit => Termination::OtherLimit,
        S::Infeasible => Termination::Infeasible,
        S::Unbounded => Termination::Unbounded,
        S::UnboundedOrInfeasible => Termination::InfeasibleOrUnbounded,
        _ => Termination::Error,
    }
}

/// Solves with HiGHS, from `start` (one value per variable, NaN where
/// unknown) when given: HiGHS checks it, completes it by fixing its
/// integers and solving for the rest, and keeps it as its first incumbent
/// when that is feasible.
pub fn solve(
    model: &Model,
    config: &SolverConfig,
    start: Option<&[f64]>,
) -> (SolverRecord, Option<Vec<f64>>) {
    let mut report = SolverRecord::new(Backend::Highs, model.variables.len());
    let problem = to_good_lp(model, good_lp::highs, Scaling::STANDARD);
    let mut highs_model = match problem.try_into_inner() {
        Ok(inner) => inner,
        Err(error) => {
            report.message = Some(error.to_string());
            return (report, None);
        }
    };
    if !config.verbose {
        highs_model.make_quiet();
    }
    highs_model.set_option("mip_rel_gap", config.mip_gap);
    if let Some(absolute) = config.mip_abs_gap_cny_per_year {
        // Never below HiGHS's own default (1e-6 in its units).
        highs_model.set_option(
            "mip_abs_gap",
            (absolute * Scaling::STANDARD.objective).max(1e-6),
        );
    }
    if let Some(limit) = config.time_limit_s {
        highs_model.set_option("time_limit", limit);
    }
    if config.threads > 0 {
        highs_model.set_option("threads", config.threads as i32);
    }
    if let Some(start) = start {
        let columns = start_columns(model, start);
        // A start of the wrong length is a bug of ours, not the user's:
        // solving without it is still right.
        let _ = highs_model.try_set_solution(Some(&columns), None, None, None);
    }
    let solved = match highs_model.try_solve() {
        Ok(solved) => solved,
        Err(error) => {
            report.message = Some(format!(
                "HiGHS failed: {error:?}{}",
                if config.threads > 0 {
                    " (HiGHS fixes its thread count for the whole process at its first solve: every solve in one run must ask for the same --threads)"
                } else {
                    ""
                }
            ));
            return (report, None);
        }
    };
    let status = solved.status();
    report.termination = termination(status);
    if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
        if report.termination == Termination::Error {
            report.message = Some(format!("HiGHS status {status:?}"));
        }
        return (report, None);
    }
    // For a model it solved as an LP (no integer columns, or none left)
    // HiGHS reports an infinite MIP gap and a dual bound of 0, which is no
    // bound: `finish` takes the LP optimum instead.
    let bound = solved
        .mip_gap()
        .is_finite()
        .then(|| solved.double_info_value(c"mip_dual_bound").ok())
        .flatten();
    let values = finish(
        &mut report,
        model,
        solved.get_solution().columns().to_vec(),
        bound,
        Scaling::STANDARD.objective,
    );
    (report, Some(values))
}

/// A start as HiGHS takes it: a value for every column, within its bounds
/// (a variable the start does not know starts at its bound nearest zero).
fn start_columns(model: &Model, start: &[f64]) -> Vec<f64> {
    model
        .variables
        .iter()
        .zip(start)
        .map(|(variable, &value)| {
            let value = if value.is_nan() { 0.0 } else { value };
            value.max(variable.lower).min(variable.upper)
        })
        .collect()
}

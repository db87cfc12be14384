//! The HiGHS backend. good_lp builds the model; we then drive the `highs`
//! model directly, because good_lp's status folds every limit into
//! "time limit" and reports neither the bound nor the achieved gap.

use super::{
    clean_values, to_good_lp, Scaling, SolveReport, SolverConfig, Termination, OBJECTIVE_SCALE,
};
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

/// Solves with HiGHS.
pub fn solve(model: &Model, config: &SolverConfig) -> (SolveReport, Option<Vec<f64>>) {
    let mut report = SolveReport {
        backend: "highs".into(),
        termination: Termination::Error,
        has_plan: false,
        objective_cny_per_year: None,
        best_bound_cny_per_year: None,
        gap: None,
        message: None,
        components: 1,
        largest_component_variables: model.variables.len(),
    };
    let built = to_good_lp(model, good_lp::highs, Scaling::STANDARD);
    let mut highs_model = match built.problem.try_into_inner() {
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
    if let Some(limit) = config.time_limit_s {
        highs_model.set_option("time_limit", limit);
    }
    if config.threads > 0 {
        highs_model.set_option("threads", config.threads as i32);
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
    // HiGHS says Optimal once the requested gap is met; call it a gap limit
    // when a nonzero gap remains, so users know the plan is not proven optimal.
    let gap = solved.mip_gap();
    if report.termination == Termination::Optimal && gap.is_finite() && gap > 1e-9 {
        report.termination = Termination::GapLimit;
    }
    if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
        if report.termination == Termination::Error {
            report.message = Some(format!("HiGHS status {status:?}"));
        }
        return (report, None);
    }
    let values = clean_values(model, solved.get_solution().columns().to_vec());
    report.has_plan = true;
    report.objective_cny_per_year = Some(model.objective_value(&values));
    report.gap = gap.is_finite().then_some(gap.max(0.0));
    report.best_bound_cny_per_year = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|bound| bound.is_finite())
        .map(|bound| bound / OBJECTIVE_SCALE);
    (report, Some(values))
}

//! The microlp backend: pure Rust branch and bound, single-threaded.

use super::{clean_values, to_good_lp, SolveReport, SolverConfig, Termination, OBJECTIVE_SCALE};
use crate::formulation::Model;
use good_lp::solvers::{ResolutionError, Solution, SolutionStatus, WithMipGap, WithTimeLimit};
use good_lp::SolverModel;

/// Solves with microlp.
pub fn solve(model: &Model, config: &SolverConfig) -> (SolveReport, Option<Vec<f64>>) {
    let (mut problem, variables) = to_good_lp(model, good_lp::microlp);
    if let Some(limit) = config.time_limit_s {
        problem = problem.with_time_limit(limit);
    }
    let mut report = SolveReport {
        backend: "microlp".into(),
        termination: Termination::Error,
        has_plan: false,
        objective_cny_per_year: None,
        best_bound_cny_per_year: None,
        gap: None,
        message: None,
    };
    problem = match problem.with_mip_gap(config.mip_gap as f32) {
        Ok(problem) => problem,
        Err(error) => {
            report.message = Some(format!("invalid MIP gap: {error:?}"));
            return (report, None);
        }
    };
    match problem.solve() {
        Ok(solution) => {
            report.termination = match solution.status() {
                SolutionStatus::Optimal => Termination::Optimal,
                SolutionStatus::GapLimit => Termination::GapLimit,
                SolutionStatus::TimeLimit => Termination::TimeLimit,
            };
            let values: Vec<f64> = variables.iter().map(|&v| solution.value(v)).collect();
            let inner = solution.into_inner();
            let values = clean_values(model, values);
            report.has_plan = true;
            report.objective_cny_per_year = Some(model.objective_value(&values));
            report.gap = inner.gap();
            report.best_bound_cny_per_year = inner
                .stats()
                .best_bound
                .map(|bound| bound / OBJECTIVE_SCALE);
            (report, Some(values))
        }
        Err(error) => {
            report.termination = match &error {
                ResolutionError::Infeasible => Termination::Infeasible,
                ResolutionError::Unbounded => Termination::Unbounded,
                ResolutionError::Other(text) if text.contains("Time limit") => {
                    Termination::TimeLimit
                }
                _ => Termination::Error,
            };
            report.message = Some(error.to_string());
            (report, None)
        }
    }
}

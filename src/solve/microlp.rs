//! The microlp backend: pure Rust branch and bound, single-threaded.

use super::{finish, to_good_lp, Scaling, SolveReport, SolverConfig, Termination, OBJECTIVE_SCALE};
use crate::formulation::Model;
use good_lp::solvers::{
    ResolutionError, Solution, SolutionStatus, WithInitialSolution, WithMipGap, WithTimeLimit,
};
use good_lp::SolverModel;

/// Scalings tried in turn when microlp fails numerically (a singular
/// basis): the same model, so the same optimum, with other pivots.
const SCALINGS: [Scaling; 4] = [
    Scaling::STANDARD,
    Scaling {
        equilibrate_rows: true,
        ..Scaling::STANDARD
    },
    Scaling {
        equilibrate_rows: true,
        scale_columns: true,
        ..Scaling::STANDARD
    },
    Scaling {
        objective: OBJECTIVE_SCALE * 10.0,
        equilibrate_rows: true,
        scale_columns: true,
    },
];

/// Solves with microlp, retrying with another scaling when its simplex
/// fails numerically. A `start` (one value per variable, NaN where
/// unknown) seeds microlp's first incumbent when it is complete and
/// feasible; microlp ignores it otherwise.
pub fn solve(
    model: &Model,
    config: &SolverConfig,
    start: Option<&[f64]>,
) -> (SolveReport, Option<Vec<f64>>) {
    let mut first = None;
    for scaling in SCALINGS {
        let (report, values) = solve_scaled(model, config, scaling, start);
        if report.termination != Termination::Error {
            return (report, values);
        }
        first.get_or_insert((report, values));
    }
    first.unwrap_or_else(|| unreachable!("at least one scaling is tried"))
}

fn solve_scaled(
    model: &Model,
    config: &SolverConfig,
    scaling: Scaling,
    start: Option<&[f64]>,
) -> (SolveReport, Option<Vec<f64>>) {
    let built = to_good_lp(model, good_lp::microlp, scaling);
    let mut problem = built.problem;
    if let Some(limit) = config.time_limit_s {
        problem = problem.with_time_limit(limit);
    }
    if let Some(start) = start {
        let known = built
            .variables
            .iter()
            .zip(&built.column_scale)
            .zip(start)
            .filter(|(_, value)| !value.is_nan())
            .map(|((&column, scale), value)| (column, value / scale));
        problem = problem.with_initial_solution(known);
    }
    let mut report = SolveReport::new("microlp", model.variables.len());
    problem = match problem.with_mip_gap(config.mip_gap as f32) {
        Ok(problem) => problem,
        Err(error) => {
            report.message = Some(format!("invalid MIP gap: {error:?}"));
            return (report, None);
        }
    };
    // microlp asserts on numerical trouble deep in its simplex; a panic
    // there is the solver failing on this model, reported as an error
    // instead of ending the program.
    let solved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| problem.solve()));
    let Ok(solved) = solved else {
        report.message = Some(
            "microlp stopped on a numerical failure (an internal assertion); try --solver highs"
                .into(),
        );
        return (report, None);
    };
    match solved {
        Ok(solution) => {
            report.termination = match solution.status() {
                SolutionStatus::Optimal => Termination::Optimal,
                SolutionStatus::GapLimit => Termination::GapLimit,
                SolutionStatus::TimeLimit => Termination::TimeLimit,
            };
            let values = built
                .column_scale
                .iter()
                .zip(&built.variables)
                .map(|(scale, &v)| solution.value(v) * scale)
                .collect();
            let bound = solution.into_inner().stats().best_bound;
            let values = finish(&mut report, model, values, bound, scaling.objective);
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

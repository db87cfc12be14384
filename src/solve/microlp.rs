//! The microlp backend: pure Rust branch and bound, single-threaded.

use super::{
    clean_values, to_good_lp, Scaling, SolveReport, SolverConfig, Termination, OBJECTIVE_SCALE,
};
use crate::formulation::Model;
use good_lp::solvers::{ResolutionError, Solution, SolutionStatus, WithMipGap, WithTimeLimit};
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
/// fails numerically.
pub fn solve(model: &Model, config: &SolverConfig) -> (SolveReport, Option<Vec<f64>>) {
    let mut first = None;
    for scaling in SCALINGS {
        let (report, values) = solve_scaled(model, config, scaling);
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
) -> (SolveReport, Option<Vec<f64>>) {
    let built = to_good_lp(model, good_lp::microlp, scaling);
    let mut problem = built.problem;
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
        components: 1,
        largest_component_variables: model.variables.len(),
    };
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
            let inner = solution.into_inner();
            let values = clean_values(model, values);
            report.has_plan = true;
            report.objective_cny_per_year = Some(model.objective_value(&values));
            report.gap = inner.gap();
            report.best_bound_cny_per_year = inner
                .stats()
                .best_bound
                .map(|bound| bound / scaling.objective);
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

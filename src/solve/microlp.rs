//! The microlp backend: pure Rust branch and bound, single-threaded.
//!
//! The model goes to microlp 0.7 directly rather than through good_lp,
//! which still takes microlp 0.6: that version's branch and bound now and
//! then prunes a node it should not and calls a worse plan optimal, so its
//! bound was no bound (benches/README.md, "microlp's bound").

use super::{
    column_scales, finish, row_divisor, Backend, Scaling, SolverConfig, SolverRecord, Termination,
    OBJECTIVE_SCALE,
};
use crate::formulation::{Model, Sense, VarKind};
use microlp::{
    ComparisonOp, Error, OptimizationDirection, Problem, SolveOptions, TerminationReason,
};
use std::time::Duration;

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
) -> (SolverRecord, Option<Vec<f64>>) {
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
) -> (SolverRecord, Option<Vec<f64>>) {
    let mut report = SolverRecord::new(Backend::Microlp, model.variables.len());
    let (problem, columns, column_scale) = build(model, scaling);
    let mut options = SolveOptions::default();
    options.mip_gap = config.mip_gap;
    options.time_limit = config.time_limit_s.map(Duration::from_secs_f64);
    if let Some(start) = start {
        let known = columns
            .iter()
            .zip(&column_scale)
            .zip(start)
            .filter(|(_, value)| !value.is_nan())
            .map(|((&column, scale), value)| (column, value / scale))
            .collect();
        options.warm_start = Some(known);
    }
    // microlp asserts on numerical trouble deep in its simplex; a panic
    // there is the solver failing on this model, reported as an error
    // instead of ending the program.
    let solved =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| problem.solve_with(options)));
    let Ok(solved) = solved else {
        report.message = Some(
            "microlp stopped on a numerical failure (an internal assertion); try --solver highs"
                .into(),
        );
        return (report, None);
    };
    let outcome = match solved {
        Ok(outcome) => outcome,
        Err(error) => {
            report.termination = match error {
                Error::Infeasible => Termination::Infeasible,
                Error::Unbounded => Termination::Unbounded,
                _ => Termination::Error,
            };
            report.message = Some(error.to_string());
            return (report, None);
        }
    };
    report.termination = match outcome.termination_reason() {
        TerminationReason::ProvenOptimal => Termination::Optimal,
        TerminationReason::MipGap => Termination::GapLimit,
        TerminationReason::TimeLimit => Termination::TimeLimit,
        _ => Termination::OtherLimit,
    };
    let bound = outcome.stats().best_bound;
    let Ok(solution) = outcome.into_solution() else {
        report.message = Some("no plan was found within the time limit".into());
        return (report, None);
    };
    let values = columns
        .iter()
        .zip(&column_scale)
        .map(|(&column, scale)| solution.var_value(column) * scale)
        .collect();
    let values = finish(&mut report, model, values, bound, scaling.objective);
    (report, Some(values))
}

/// `model` as a microlp problem, scaled as `scaling` says: the problem, the
/// column of each variable and what each column is measured in.
fn build(model: &Model, scaling: Scaling) -> (Problem, Vec<microlp::Variable>, Vec<f64>) {
    let column_scale = column_scales(model, scaling);
    let mut objective = vec![0.0; model.variables.len()];
    for (var, coefficient) in &model.objective {
        objective[var.0] += coefficient * scaling.objective * column_scale[var.0];
    }
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let columns: Vec<microlp::Variable> = model
        .variables
        .iter()
        .zip(&objective)
        .zip(&column_scale)
        .map(|((variable, &cost), scale)| match variable.kind {
            // Analyses fix binaries by their bounds.
            VarKind::Binary if variable.lower > 0.0 || variable.upper < 1.0 => {
                let lower = variable.lower.ceil().clamp(0.0, 1.0) as i32;
                let upper = variable.upper.floor().clamp(0.0, 1.0) as i32;
                problem.add_integer_var(cost, (lower, upper))
            }
            VarKind::Binary => problem.add_binary_var(cost),
            VarKind::Continuous => {
                problem.add_var(cost, (variable.lower / scale, variable.upper / scale))
            }
        })
        .collect();
    for constraint in &model.constraints {
        let divisor = row_divisor(constraint, &column_scale, scaling);
        // microlp refuses a row that names a variable twice: add them up.
        let mut terms: Vec<(usize, f64)> = constraint
            .terms
            .iter()
            .map(|(var, coefficient)| (var.0, coefficient * column_scale[var.0] / divisor))
            .collect();
        terms.sort_by_key(|&(var, _)| var);
        terms.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        let operator = match constraint.sense {
            Sense::Le => ComparisonOp::Le,
            Sense::Eq => ComparisonOp::Eq,
            Sense::Ge => ComparisonOp::Ge,
        };
        problem.add_constraint(
            terms.into_iter().map(|(var, k)| (columns[var], k)),
            operator,
            constraint.rhs / divisor,
        );
    }
    (problem, columns, column_scale)
}

//! The solve stage, after the formulation and before the solution: hands
//! the solver-agnostic [`Model`] to a MILP backend, each of its
//! independent components to the backend that suits it, and reports what
//! happened: why it stopped, the plan's objective and a bound that is a
//! bound.
//!
//! Backends are compiled in by Cargo feature: `microlp` (pure Rust, the
//! default, so a fresh machine needs nothing but Rust; driven directly)
//! and `highs` (much faster on large components; needs cmake, a C++
//! compiler and libclang; built through good_lp). With `--solver auto` and
//! both compiled in, small components go to microlp and large ones to
//! HiGHS ([`backend_for`]).

mod backend;
pub mod components;
pub mod config;
#[cfg(feature = "highs")]
mod highs;
#[cfg(feature = "microlp")]
mod microlp;
pub mod outcome;

pub use backend::{
    backend_for, compiled_backends, resolve_backend, Backend, Backends, SolveError,
    MICROLP_MAX_BINARIES,
};
pub use config::Start;
pub use config::{BackendChoice, SolverConfig};
pub use outcome::{relative_gap, SolveOutcome, SolverRecord, Termination};

use backend::Compiled;
use components::SolveAs;

#[cfg(feature = "highs")]
use crate::formulation::Sense;
use crate::formulation::{Model, VarKind};
#[cfg(feature = "highs")]
use good_lp::{Expression, ProblemVariables, Solver, SolverModel};

/// Objective coefficients are passed to solvers in millions of CNY so the
/// objective sits in the same numeric range as flows (t, MWh) and bounds.
pub(crate) const OBJECTIVE_SCALE: f64 = 1e-6;

/// Solves `model` with the backend and settings in `config`, each of its
/// independent components apart and in parallel, the whole park held to
/// the gap and the time limit asked for (see [`components`]).
pub fn solve(model: &Model, config: &SolverConfig) -> Result<SolveOutcome, SolveError> {
    solve_timed(model, config, SolveAs::Components)
}

/// Solves `model` as one MILP, without looking for components.
pub fn solve_unsplit(model: &Model, config: &SolverConfig) -> Result<SolveOutcome, SolveError> {
    solve_timed(model, config, SolveAs::OneModel)
}

/// Solves `model` as `solve_as` says, timing it.
fn solve_timed(
    model: &Model,
    config: &SolverConfig,
    solve_as: SolveAs,
) -> Result<SolveOutcome, SolveError> {
    let resolved = backend::resolve(config.solver)?;
    let started = std::time::Instant::now();
    let start = config
        .start
        .as_ref()
        .filter(|_| config.warm_start)
        .map(|start| start.values_for(model));
    let (report, values) = components::solve_parts(
        model,
        config,
        start.as_deref(),
        solve_as,
        |part, sliced, from| solve_component(config.solver, resolved, part, sliced, from),
    );
    Ok(SolveOutcome {
        solver: report,
        values,
        solve_seconds: started.elapsed().as_secs_f64(),
    })
}

/// Solves one component with the backend chosen for it (`choice` meaning
/// `resolved` for the whole model); under `auto`, a numerical failure of
/// the pure-Rust solver is solved again with HiGHS.
fn solve_component(
    choice: BackendChoice,
    resolved: Compiled,
    model: &Model,
    config: &SolverConfig,
    start: Option<&[f64]>,
) -> components::Solved {
    let chosen = backend::for_component(choice, resolved, model);
    let solved = chosen.solve(model, config, start);
    if solved.0.termination == Termination::Error && resolved.backend != chosen.backend {
        return resolved.solve(model, config, start);
    }
    solved
}

/// Turns what a backend found into the report's figures and cleans the
/// values: the objective of the cleaned plan, constant included; the
/// bound — the LP optimum for a model without binaries solved to
/// optimality, else the solver's dual bound (`solver_bound`, in the
/// solver's objective units, which leave out the model's constant) — never
/// above the objective; the relative gap between them. A stop the solver
/// calls optimal with a gap left is called a gap limit.
pub(crate) fn finish(
    report: &mut SolverRecord,
    model: &Model,
    values: Vec<f64>,
    solver_bound: Option<f64>,
    objective_scale: f64,
) -> Vec<f64> {
    let values = clean_values(model, values);
    let objective = model.objective_value(&values);
    let proven = report.termination == Termination::Optimal;
    let bound = match solver_bound.filter(|b| b.is_finite()) {
        _ if proven && model.binary_count() == 0 => Some(objective),
        Some(bound) => Some(bound / objective_scale + model.objective_constant),
        None if proven => Some(objective),
        None => None,
    }
    .map(|bound| bound.min(objective));
    report.has_plan = true;
    report.objective_cny_per_year = Some(objective);
    report.best_bound_cny_per_year = bound;
    report.gap = bound.map(|bound| relative_gap(objective, bound));
    if proven && report.gap.is_some_and(|gap| gap > OPTIMAL_GAP) {
        report.termination = Termination::GapLimit;
    }
    values
}

/// A relative gap this small is optimality, within solver tolerances.
pub const OPTIMAL_GAP: f64 = 1e-9;

/// The model with every binary relaxed to [0, 1]: its optimum is a lower
/// bound on the MILP's, and the gap between the two shows how tight the
/// formulation is (big-Ms as small as capacity and supply allow).
pub fn lp_relaxation(model: &Model) -> Model {
    let mut relaxed = model.clone();
    for variable in &mut relaxed.variables {
        variable.kind = VarKind::Continuous;
    }
    relaxed
}

/// How a model is scaled on its way to a solver; the same constraints and
/// the same optimum either way, only the numbers the solver pivots on differ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scaling {
    /// Multiplies every objective coefficient.
    pub objective: f64,
    /// Divides every row by its largest coefficient.
    pub equilibrate_rows: bool,
    /// Measures each continuous variable in units of its finite upper bound
    /// (above 1), so every column runs over about [0, 1].
    pub scale_columns: bool,
}

impl Scaling {
    /// The scaling used first by every backend.
    pub const STANDARD: Scaling = Scaling {
        objective: OBJECTIVE_SCALE,
        equilibrate_rows: false,
        scale_columns: false,
    };
}

/// What each variable's column is measured in under `scaling`: a
/// column's value times this is the variable's value.
pub(crate) fn column_scales(model: &Model, scaling: Scaling) -> Vec<f64> {
    model
        .variables
        .iter()
        .map(|v| match v.kind {
            VarKind::Continuous
                if scaling.scale_columns && v.upper.is_finite() && v.upper > 1.0 =>
            {
                v.upper
            }
            _ => 1.0,
        })
        .collect()
}

/// What a row is divided by under `scaling`: its largest coefficient when
/// rows are equilibrated, else 1.
pub(crate) fn row_divisor(
    constraint: &crate::formulation::Constraint,
    column_scale: &[f64],
    scaling: Scaling,
) -> f64 {
    let divisor = match scaling.equilibrate_rows {
        true => constraint
            .terms
            .iter()
            .map(|(var, c)| (c * column_scale[var.0]).abs())
            .fold(0.0, f64::max),
        false => 1.0,
    };
    if divisor > 0.0 {
        divisor
    } else {
        1.0
    }
}

/// Builds `model` for a good_lp solver, variable `i` becoming column `i`,
/// scaled as `scaling` says.
#[cfg(feature = "highs")]
pub(crate) fn to_good_lp<S: Solver>(model: &Model, solver: S, scaling: Scaling) -> S::Model {
    let column_scale = column_scales(model, scaling);
    let mut problem_variables = ProblemVariables::new();
    let variables: Vec<good_lp::Variable> = model
        .variables
        .iter()
        .zip(&column_scale)
        .map(|(v, scale)| {
            // `binary()` resets the bounds to [0, 1], so it comes first:
            // analyses fix binaries by tightening their bounds.
            let definition = match v.kind {
                VarKind::Binary => good_lp::variable().binary(),
                VarKind::Continuous => good_lp::variable(),
            };
            problem_variables.add(definition.min(v.lower / scale).max(v.upper / scale))
        })
        .collect();
    let mut objective = Expression::with_capacity(model.objective.len());
    for (var, coefficient) in &model.objective {
        objective.add_mul(
            coefficient * scaling.objective * column_scale[var.0],
            variables[var.0],
        );
    }
    let mut problem = problem_variables.minimise(objective).using(solver);
    for constraint in &model.constraints {
        let divisor = row_divisor(constraint, &column_scale, scaling);
        let mut expression = Expression::with_capacity(constraint.terms.len());
        for (var, coefficient) in &constraint.terms {
            expression.add_mul(
                *coefficient * column_scale[var.0] / divisor,
                variables[var.0],
            );
        }
        let rhs = constraint.rhs / divisor;
        problem.add_constraint(match constraint.sense {
            Sense::Le => expression.leq(rhs),
            Sense::Eq => expression.eq(rhs),
            Sense::Ge => expression.geq(rhs),
        });
    }
    problem
}

/// Rounds binaries to exact 0/1 and clamps continuous values into their
/// bounds, removing solver noise before a plan is read from them.
pub(crate) fn clean_values(model: &Model, mut values: Vec<f64>) -> Vec<f64> {
    for (value, variable) in values.iter_mut().zip(&model.variables) {
        *value = match variable.kind {
            VarKind::Binary => value.round().clamp(0.0, 1.0),
            VarKind::Continuous => value.clamp(variable.lower, variable.upper),
        };
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulation::{Model, Sense, VarKind};

    /// A facility-location toy: open at most one of two sites to serve 10 t.
    fn toy() -> Model {
        let mut model = Model::default();
        let x1 = model.add_variable("x1".into(), VarKind::Continuous, 0.0, 10.0);
        let x2 = model.add_variable("x2".into(), VarKind::Continuous, 0.0, 10.0);
        let y1 = model.add_variable("y1".into(), VarKind::Binary, 0.0, 1.0);
        let y2 = model.add_variable("y2".into(), VarKind::Binary, 0.0, 1.0);
        model.add_constraint(
            "t",
            "demand".into(),
            [(x1, 1.0), (x2, 1.0)],
            Sense::Eq,
            10.0,
        );
        model.add_constraint(
            "t",
            "open1".into(),
            [(x1, 1.0), (y1, -10.0)],
            Sense::Le,
            0.0,
        );
        model.add_constraint(
            "t",
            "open2".into(),
            [(x2, 1.0), (y2, -10.0)],
            Sense::Le,
            0.0,
        );
        // Site 1: 100 fixed + 5/t = 150. Site 2: 30 fixed + 10/t = 130.
        model.objective = vec![(x1, 5.0e6), (x2, 10.0e6), (y1, 100.0e6), (y2, 30.0e6)];
        model
    }

    fn exact(solver: BackendChoice) -> SolverConfig {
        SolverConfig {
            solver,
            mip_gap: 0.0,
            ..SolverConfig::default()
        }
    }

    #[test]
    fn every_compiled_backend_finds_the_toy_optimum() {
        for backend in compiled_backends() {
            let choice = BackendChoice::from(backend);
            let outcome = solve(&toy(), &exact(choice)).unwrap();
            assert!(outcome.solver.has_plan, "{backend}: {:?}", outcome.solver);
            let values = outcome.values.unwrap();
            assert_eq!(values[2..], [0.0, 1.0], "{backend}");
            let objective = outcome.solver.objective_cny_per_year.unwrap();
            assert!((objective - 130.0e6).abs() < 1.0, "{backend}: {objective}");
        }
    }

    #[test]
    fn every_compiled_backend_bounds_from_below_with_the_constant_counted() {
        for backend in compiled_backends() {
            let choice = BackendChoice::from(backend);
            // The MILP, shifted by a constant the solver never sees.
            let mut model = toy();
            model.objective_constant = 7.0e6;
            let milp = solve(&model, &exact(choice)).unwrap().solver;
            let objective = milp.objective_cny_per_year.unwrap();
            let bound = milp.best_bound_cny_per_year.unwrap();
            assert!((objective - 137.0e6).abs() < 1.0, "{backend}: {objective}");
            assert!(
                bound <= objective,
                "{backend}: bound {bound} above {objective}"
            );
            assert!(
                bound > 136.9e6,
                "{backend}: bound {bound} without the constant"
            );
            // Its LP relaxation: the bound is the LP optimum, no gap (HiGHS
            // reports a MIP dual bound of 0 for a model without integers).
            let lp = solve(&lp_relaxation(&model), &exact(choice))
                .unwrap()
                .solver;
            assert_eq!(lp.termination, Termination::Optimal, "{backend}");
            assert_eq!(
                lp.best_bound_cny_per_year, lp.objective_cny_per_year,
                "{backend}"
            );
            assert_eq!(lp.gap, Some(0.0), "{backend}");
            assert!(lp.objective_cny_per_year.unwrap() <= objective, "{backend}");
        }
    }

    #[test]
    fn auto_gives_small_components_to_microlp_when_both_are_compiled_in() {
        let small = toy();
        let chosen = backend_for(BackendChoice::Auto, &small).unwrap();
        let both = cfg!(feature = "highs") && cfg!(feature = "microlp");
        assert_eq!(
            chosen,
            if both {
                Backend::Microlp
            } else {
                compiled_backends()[0]
            }
        );
        let mut large = Model::default();
        for i in 0..=MICROLP_MAX_BINARIES {
            large.add_variable(format!("y{i}"), VarKind::Binary, 0.0, 1.0);
        }
        assert_eq!(
            backend_for(BackendChoice::Auto, &large).unwrap(),
            compiled_backends()[0]
        );
        if let Ok(explicit) = backend_for(BackendChoice::Microlp, &large) {
            assert_eq!(explicit, Backend::Microlp);
        }
    }

    #[test]
    fn every_compiled_backend_reports_infeasibility() {
        for backend in compiled_backends() {
            let mut model = toy();
            model.add_constraint("t", "impossible".into(), [(VarId(0), 1.0)], Sense::Ge, 20.0);
            let choice = BackendChoice::from(backend);
            let outcome = solve(&model, &exact(choice)).unwrap();
            assert!(!outcome.solver.has_plan, "{backend}");
            assert!(
                matches!(
                    outcome.solver.termination,
                    Termination::Infeasible | Termination::InfeasibleOrUnbounded
                ),
                "{backend}: {:?}",
                outcome.solver
            );
        }
    }

    use crate::formulation::VarId;

    #[test]
    #[cfg(not(feature = "highs"))]
    fn asking_for_highs_without_it_says_how_to_enable_it() {
        let error = resolve_backend(BackendChoice::Highs)
            .unwrap_err()
            .to_string();
        assert!(error.contains("--features highs"), "{error}");
    }
}

//! Stage 6, solve: hands the solver-agnostic [`Model`] to one MILP backend
//! through good_lp and reports what happened.
//!
//! Backends are compiled in by Cargo feature: `microlp` (pure Rust, the
//! default, so a fresh machine needs nothing but Rust) and `highs` (much
//! faster; needs cmake, a C++ compiler and libclang). The backend is always
//! named explicitly, since good_lp's `default_solver` silently prefers
//! microlp when both are compiled in.

pub mod components;
pub mod config;
#[cfg(feature = "highs")]
mod highs;
#[cfg(feature = "microlp")]
mod microlp;
pub mod outcome;

pub use config::{BackendChoice, SolverConfig};
pub use outcome::{SolveOutcome, SolveReport, Termination};

use crate::formulation::{Model, Sense, VarKind};
use good_lp::{Expression, ProblemVariables, Solver, SolverModel};

#[cfg(not(any(feature = "microlp", feature = "highs")))]
compile_error!("ecopark needs a solver: enable the `microlp` (default) or `highs` feature");

/// Objective coefficients are passed to solvers in millions of CNY so the
/// objective sits in the same numeric range as flows (t, MWh) and bounds.
pub(crate) const OBJECTIVE_SCALE: f64 = 1e-6;

/// A backend that was asked for but not compiled in, or similar.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The requested backend is not in this build.
    #[error("the {backend} solver is not compiled into this build: rebuild with `cargo build --release --features {backend}`{hint}")]
    NotCompiled {
        /// Backend name.
        backend: &'static str,
        /// Extra advice.
        hint: &'static str,
    },
}

/// The backends compiled into this build.
pub fn compiled_backends() -> Vec<&'static str> {
    let mut backends = Vec::new();
    if cfg!(feature = "highs") {
        backends.push("highs");
    }
    if cfg!(feature = "microlp") {
        backends.push("microlp");
    }
    backends
}

/// The concrete backend `choice` means in this build.
pub fn resolve_backend(choice: BackendChoice) -> Result<&'static str, SolveError> {
    match choice {
        BackendChoice::Auto => Ok(compiled_backends()[0]),
        BackendChoice::Highs if cfg!(feature = "highs") => Ok("highs"),
        BackendChoice::Highs => Err(SolveError::NotCompiled {
            backend: "highs",
            hint: " (building HiGHS needs cmake, a C++ compiler and libclang, e.g. `apt-get install cmake clang libclang-dev`)",
        }),
        BackendChoice::Microlp if cfg!(feature = "microlp") => Ok("microlp"),
        BackendChoice::Microlp => Err(SolveError::NotCompiled {
            backend: "microlp",
            hint: "",
        }),
    }
}

/// Solves `model` with the backend and settings in `config`, each of its
/// independent components apart and in parallel (see [`components`]).
pub fn solve(model: &Model, config: &SolverConfig) -> Result<SolveOutcome, SolveError> {
    timed(model, config, true)
}

/// Solves `model` as one MILP, without looking for components.
pub fn solve_unsplit(model: &Model, config: &SolverConfig) -> Result<SolveOutcome, SolveError> {
    timed(model, config, false)
}

/// Least time a component is given once the deadline has passed, s: enough
/// for a small component's presolve to find its plan, short enough that the
/// whole solve still ends within about a second of the limit.
const LAST_SLICE_S: f64 = 0.01;

/// The time limit of a whole solve, shared out among its components.
///
/// A component starting now gets its share of what is left, in proportion
/// to its size among the components not started yet (times the threads
/// solving side by side), and never more than what is left. Components
/// start largest first; small ones finish in milliseconds and hand back
/// the rest of their share, so the hard ones get most of the time, yet
/// no component is left with nothing because one before it took it all.
struct Deadline {
    started: std::time::Instant,
    limit_s: Option<f64>,
    /// Variables of the components not started yet.
    unstarted: std::sync::atomic::AtomicUsize,
    /// Components solved at once.
    threads: usize,
}

impl Deadline {
    fn start(config: &SolverConfig, model: &Model) -> Deadline {
        Deadline {
            started: std::time::Instant::now(),
            limit_s: config.time_limit_s,
            unstarted: model.variables.len().into(),
            threads: rayon::current_num_threads().max(1),
        }
    }

    /// The settings for a component of `size` variables starting now.
    fn config_now(&self, config: &SolverConfig, size: usize) -> SolverConfig {
        use std::sync::atomic::Ordering;
        let unstarted = self.unstarted.fetch_sub(size, Ordering::SeqCst).max(size);
        let time_limit_s = self.limit_s.map(|limit| {
            let left = limit - self.started.elapsed().as_secs_f64();
            let share = left * (self.threads * size) as f64 / unstarted as f64;
            share.min(left).max(LAST_SLICE_S)
        });
        SolverConfig {
            time_limit_s,
            ..config.clone()
        }
    }
}

/// Solves, whole or by components. The time limit is for the whole solve,
/// shared out among the components by [`Deadline`].
fn timed(model: &Model, config: &SolverConfig, split: bool) -> Result<SolveOutcome, SolveError> {
    let backend = resolve_backend(config.solver)?;
    let deadline = Deadline::start(config, model);
    let solve_one = |part: &Model| {
        let sliced = deadline.config_now(config, part.variables.len());
        solve_with(backend, part, &sliced)
    };
    let (report, values) = match split {
        true => components::solve_split(model, solve_one),
        false => solve_one(model),
    };
    Ok(SolveOutcome {
        report,
        values,
        solve_seconds: deadline.started.elapsed().as_secs_f64(),
    })
}

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

fn solve_with(
    backend: &str,
    model: &Model,
    config: &SolverConfig,
) -> (SolveReport, Option<Vec<f64>>) {
    match backend {
        #[cfg(feature = "highs")]
        "highs" => highs::solve(model, config),
        #[cfg(feature = "microlp")]
        "microlp" => microlp::solve(model, config),
        _ => unreachable!("resolve_backend only returns compiled backends"),
    }
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

/// A model built for a good_lp solver.
pub(crate) struct Built<M> {
    /// The solver's model.
    pub problem: M,
    /// Column of each model variable.
    pub variables: Vec<good_lp::Variable>,
    /// A column's value times this is the variable's value.
    pub column_scale: Vec<f64>,
}

/// Builds `model` for a good_lp solver, variable `i` becoming column `i`,
/// scaled as `scaling` says.
pub(crate) fn to_good_lp<S: Solver>(model: &Model, solver: S, scaling: Scaling) -> Built<S::Model> {
    let column_scale: Vec<f64> = model
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
        .collect();
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
        let divisor = match scaling.equilibrate_rows {
            true => constraint
                .terms
                .iter()
                .map(|(var, c)| (c * column_scale[var.0]).abs())
                .fold(0.0, f64::max),
            false => 1.0,
        };
        let divisor = if divisor > 0.0 { divisor } else { 1.0 };
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
    Built {
        problem,
        variables,
        column_scale,
    }
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

    #[test]
    fn components_share_one_time_limit() {
        let config = SolverConfig {
            time_limit_s: Some(10.0),
            ..SolverConfig::default()
        };
        let deadline = |elapsed_s: u64, unstarted: usize| Deadline {
            started: std::time::Instant::now() - std::time::Duration::from_secs(elapsed_s),
            limit_s: Some(10.0),
            unstarted: unstarted.into(),
            threads: 2,
        };
        let limit = |d: &Deadline, size: usize| d.config_now(&config, size).time_limit_s.unwrap();
        // A component of a tenth of the model, two threads: a fifth of the 10 s.
        let share = limit(&deadline(0, 1000), 100);
        assert!(share > 1.9 && share <= 2.0, "{share}");
        // The last component, or the whole model, gets all that is left.
        let whole = limit(&deadline(4, 100), 100);
        assert!(whole > 5.9 && whole <= 6.0, "{whole}");
        // Past the limit, only the last slice.
        assert_eq!(limit(&deadline(12, 100), 100), LAST_SLICE_S);
        // Shares are taken from what is not started yet.
        let d = deadline(0, 1000);
        let _ = limit(&d, 500);
        let next = limit(&d, 500);
        assert!(next > 9.9 && next <= 10.0, "{next}");
        // No limit, none given.
        let unlimited = Deadline::start(&SolverConfig::default(), &Model::default());
        assert_eq!(
            unlimited
                .config_now(&SolverConfig::default(), 0)
                .time_limit_s,
            None
        );
    }

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
            let choice: BackendChoice = backend.parse().unwrap();
            let outcome = solve(&toy(), &exact(choice)).unwrap();
            assert!(outcome.report.has_plan, "{backend}: {:?}", outcome.report);
            let values = outcome.values.unwrap();
            assert_eq!(values[2..], [0.0, 1.0], "{backend}");
            let objective = outcome.report.objective_cny_per_year.unwrap();
            assert!((objective - 130.0e6).abs() < 1.0, "{backend}: {objective}");
        }
    }

    #[test]
    fn every_compiled_backend_reports_infeasibility() {
        for backend in compiled_backends() {
            let mut model = toy();
            model.add_constraint("t", "impossible".into(), [(VarId(0), 1.0)], Sense::Ge, 20.0);
            let choice: BackendChoice = backend.parse().unwrap();
            let outcome = solve(&model, &exact(choice)).unwrap();
            assert!(!outcome.report.has_plan, "{backend}");
            assert!(
                matches!(
                    outcome.report.termination,
                    Termination::Infeasible | Termination::InfeasibleOrUnbounded
                ),
                "{backend}: {:?}",
                outcome.report
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

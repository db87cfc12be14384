//! What came back from a solver, MOI-style: *why* it stopped is kept apart
//! from *whether* there is a plan, with the objective, the best bound and
//! the achieved gap where the backend reports them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why the solver stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// Proven optimal (within the solver's default tolerance).
    Optimal,
    /// Stopped at the requested relative gap.
    GapLimit,
    /// Stopped at the time limit.
    TimeLimit,
    /// Stopped at another limit (iterations, nodes, memory, interrupt).
    OtherLimit,
    /// No plan satisfies the constraints.
    Infeasible,
    /// The objective can fall without bound (a modelling error).
    Unbounded,
    /// Infeasible or unbounded; the solver could not tell which.
    InfeasibleOrUnbounded,
    /// The solver failed.
    Error,
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Termination::Optimal => "optimal",
            Termination::GapLimit => "gap limit reached",
            Termination::TimeLimit => "time limit reached",
            Termination::OtherLimit => "solver limit reached",
            Termination::Infeasible => "infeasible",
            Termination::Unbounded => "unbounded",
            Termination::InfeasibleOrUnbounded => "infeasible or unbounded",
            Termination::Error => "solver error",
        })
    }
}

/// The solver's account of one solve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolveReport {
    /// Backend used (`highs`, `microlp`).
    pub backend: String,
    /// Why it stopped.
    pub termination: Termination,
    /// Whether a feasible plan came back.
    pub has_plan: bool,
    /// Objective of the plan returned, CNY per year.
    pub objective_cny_per_year: Option<f64>,
    /// Best proven lower bound on the objective, CNY per year.
    pub best_bound_cny_per_year: Option<f64>,
    /// Relative gap between plan and bound.
    pub gap: Option<f64>,
    /// The solver's own words when something went wrong.
    pub message: Option<String>,
    /// Independent components the model fell into, each solved apart.
    #[serde(default = "one")]
    pub components: usize,
    /// Variables in the largest component.
    #[serde(default)]
    pub largest_component_variables: usize,
}

fn one() -> usize {
    1
}

/// A report plus the variable values, when there is a plan.
#[derive(Debug, Clone)]
pub struct SolveOutcome {
    /// What happened.
    pub report: SolveReport,
    /// One value per model variable.
    pub values: Option<Vec<f64>>,
    /// Wall-clock time in the solver, seconds.
    pub solve_seconds: f64,
}

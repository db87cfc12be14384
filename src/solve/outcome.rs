//! What came back from a solver, MOI-style: *why* it stopped is kept apart
//! from *whether* there is a plan, with the objective, the best bound and
//! the achieved gap where the backend reports them.

use super::{Backend, Backends};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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
pub struct SolverRecord {
    /// Backend used (`highs`, `microlp`; `highs+microlp` when each solved
    /// some of the components).
    pub backend: Backends,
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
    /// Components each backend solved (`highs`, `microlp`): with
    /// `--solver auto` and both compiled in, small components go to the
    /// pure-Rust solver and large ones to HiGHS.
    #[serde(default)]
    pub components_by_backend: BTreeMap<Backend, usize>,
    /// Components solved again after the first pass, from their plan so
    /// far, to bring the whole park's gap within the one asked for or to
    /// use time other components handed back.
    #[serde(default)]
    pub resumed_components: usize,
    /// The relative gap asked for (`--mip-gap`), which the park's gap is
    /// held to.
    #[serde(default)]
    pub requested_gap: Option<f64>,
}

impl SolverRecord {
    /// A report of a solve that has not run yet: no plan, no bound.
    pub fn new(backend: Backend, variables: usize) -> SolverRecord {
        SolverRecord {
            backend: backend.into(),
            termination: Termination::Error,
            has_plan: false,
            objective_cny_per_year: None,
            best_bound_cny_per_year: None,
            gap: None,
            message: None,
            components: 1,
            largest_component_variables: variables,
            components_by_backend: BTreeMap::from([(backend, 1)]),
            resumed_components: 0,
            requested_gap: None,
        }
    }

    /// The absolute gap, CNY per year: objective less bound, never negative.
    pub fn absolute_gap_cny_per_year(&self) -> Option<f64> {
        Some((self.objective_cny_per_year? - self.best_bound_cny_per_year?).max(0.0))
    }
}

/// The relative gap of a minimisation: how far the objective may be above
/// the optimum, as a fraction of the objective's size (of 1 CNY at least,
/// so an objective of zero with a bound of zero has no gap).
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    (objective - bound).max(0.0) / objective.abs().max(1.0)
}

fn one() -> usize {
    1
}

/// A report plus the variable values, when there is a plan.
#[derive(Debug, Clone)]
pub struct SolveOutcome {
    /// What happened.
    pub solver: SolverRecord,
    /// One value per model variable.
    pub values: Option<Vec<f64>>,
    /// Wall-clock time in the solver, seconds.
    pub solve_seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_of_both_backends_reads_back_as_written() {
        let mut report = SolverRecord::new(Backend::Microlp, 3);
        report.backend = [Backend::Highs, Backend::Microlp].into_iter().collect();
        report.components_by_backend = BTreeMap::from([(Backend::Microlp, 2), (Backend::Highs, 1)]);
        let text = serde_json::to_string(&report).unwrap();
        assert!(
            text.starts_with(r#"{"backend":"highs+microlp","termination":"error","#),
            "{text}"
        );
        assert!(
            text.contains(r#""components_by_backend":{"highs":1,"microlp":2}"#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<SolverRecord>(&text).unwrap(), report);
    }
}

//! Decision analyses: many related solves of one park, run in parallel
//! with rayon and returned in a stable order whatever the thread count.
//!
//! Two kinds of variation are used. *Model variants* keep the park and
//! change the MILP — its objective (cost alone, CO2 alone), a cap on CO2,
//! projects forced in or out — and reuse one built flow graph. *Park
//! variants* change the park itself — a carbon price, a price or quantity
//! scaled, a plant removed — and rebuild everything. Every plan, of either
//! kind, goes through the independent verifier.

pub mod fairness;
pub mod pareto;
mod prepared;
pub mod project;
pub mod robustness;
pub mod sensitivity;
pub mod subsidies;
pub mod sweep;

use crate::graph::Pruning;
use crate::park::Park;
use crate::progress::Progress;
use crate::solution::Plan;
use crate::solve::{SolveError, SolverConfig};
use rayon::prelude::*;

/// The variants an analysis solves are rows of the model, written in
/// `formulation`; they are named here too, where the analyses use them.
pub use crate::formulation::constraints::variants::{Forced, Objective, Variant};
pub use prepared::{checked_plan, optimise_base, optimise_park, Prepared};

/// An analysis could not be run.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The solver is not available.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// A solve that must succeed found no plan.
    #[error("{what}: the solver found no plan ({termination})")]
    NoPlan {
        /// Which solve.
        what: String,
        /// Why it stopped.
        termination: String,
    },
    /// A plan failed verification.
    #[error("{what}: the plan failed independent verification: {first}")]
    Unverified {
        /// Which solve.
        what: String,
        /// The first violation.
        first: String,
    },
    /// The request does not fit the park.
    #[error("{0}")]
    Invalid(String),
    /// The plan is not one of this park.
    #[error(transparent)]
    NotThisPark(#[from] crate::solution::firms::NotThisPark),
    /// The time limit ran out while routing or building the model.
    #[error(transparent)]
    OutOfTime(#[from] crate::deadline::OutOfTime),
}

/// Runs `job` over `items` in parallel, counting them on the progress
/// bar as scenarios; results come back in item order.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    let progress = Progress::start(items.len(), "scenarios");
    items
        .par_iter()
        .map(|item| {
            let result = job(item);
            progress.done_one();
            result
        })
        .collect()
}

/// The items of `now` not in `before`, in `now`'s order.
pub fn difference(now: &[String], before: &[String]) -> Vec<String> {
    now.iter()
        .filter(|x| !before.contains(x))
        .cloned()
        .collect()
}

/// Ids of the projects a plan builds.
pub fn built_projects(plan: &Plan) -> Vec<String> {
    plan.projects
        .iter()
        .filter(|p| p.built)
        .map(|p| p.id.clone())
        .collect()
}

/// `from → to (mode)` of every link a plan uses.
pub fn used_links(plan: &Plan) -> Vec<String> {
    plan.links
        .iter()
        .map(|l| format!("{} → {} ({})", l.from_id, l.to_id, l.mode))
        .collect()
}

/// The index of a project by id, or an error naming the known ids.
pub fn project_index(park: &Park, id: &str) -> Result<usize, AnalysisError> {
    park.projects
        .iter()
        .position(|p| p.id == id)
        .ok_or_else(|| {
            let known: Vec<&str> = park.projects.iter().map(|p| p.id.as_str()).collect();
            AnalysisError::Invalid(crate::diagnostic::unknown_name("project", id, &known))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;
    use crate::pipeline;

    #[test]
    fn a_plan_from_a_wrong_model_is_refused_not_returned() {
        // A model whose objective no longer matches the park's economics
        // (as a formulation bug would leave it): the verifier recomputes
        // the plan from the park and the plan is refused.
        let park = tiny();
        let (graph, mut formulation) = pipeline::build(&park);
        formulation.model.objective_constant += 1e6;
        let result = pipeline::solve_formulation(
            &park,
            &graph,
            &formulation,
            &SolverConfig::default(),
            pipeline::ModelObjective::ParkCostPlusCarbon,
        )
        .unwrap();
        assert!(!result.verification.as_ref().unwrap().passed());
        let error = checked_plan(result, "tampered").unwrap_err();
        assert!(
            matches!(&error, AnalysisError::Unverified { first, .. } if first.contains("objective")),
            "{error}"
        );
    }

    #[test]
    fn a_least_load_is_refused_on_a_model_without_dominated_links() {
        let park = tiny();
        let variant = Variant {
            force: vec![(0, Forced::In)],
            min_load: 0.5,
            ..Variant::default()
        };
        let pruned =
            Prepared::new(&park, Pruning::DropDominated, &SolverConfig::default()).unwrap();
        let error = pruned
            .solve(&variant, &SolverConfig::default(), "forced")
            .unwrap_err();
        assert!(matches!(error, AnalysisError::Invalid(_)), "{error}");
        let full = Prepared::new(&park, Pruning::KeepAll, &SolverConfig::default()).unwrap();
        assert!(full
            .solve(&variant, &SolverConfig::default(), "forced")
            .is_ok());
    }
}

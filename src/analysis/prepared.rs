//! A park's graph and MILP built once and solved under many variants, and
//! the checks every analysis plan passes: a plan, verified, and the
//! settings that start later scenarios from it.
//!
//! The pure-Rust simplex now and then reports a singular basis on the rows
//! an analysis adds; the retry strategy that rescales them lives here, with
//! the one caller that needs it.

use super::AnalysisError;
use crate::deadline::Deadline;
use crate::formulation::constraints::variants::formulate_variant;
use crate::formulation::constraints::variants::{Objective, Variant};
use crate::formulation::{Formulation, Model};
use crate::graph::{FlowGraph, Pruning};
use crate::park::Park;
use crate::pipeline::{self, ModelObjective, Optimised};
use crate::solution::Plan;
use crate::solve::{SolveError, SolverConfig, Start, Termination};
use std::sync::Arc;

/// A park with its flow graph and MILP built once, for model variants.
pub struct Prepared<'a> {
    /// The park.
    pub park: &'a Park,
    /// Its flow graph.
    pub graph: FlowGraph,
    /// Its MILP.
    pub formulation: Formulation,
    /// Which candidates the graph kept.
    pruning: Pruning,
}

impl<'a> Prepared<'a> {
    /// Builds the graph and MILP of a park. Variants with a least load or
    /// a support budget reward links for their own sake and need
    /// [`Pruning::KeepAll`]; the others solve faster without dominated links.
    ///
    /// Routing and building count against `config`'s time limit, as in
    /// `solve`; past it, [`AnalysisError::OutOfTime`].
    pub fn new(
        park: &'a Park,
        pruning: Pruning,
        config: &SolverConfig,
    ) -> Result<Prepared<'a>, AnalysisError> {
        let deadline = Deadline::after(config.time_limit_s);
        let (graph, formulation) = pipeline::build_within(park, pruning, &deadline)?;
        Ok(Prepared {
            park,
            graph,
            formulation,
            pruning,
        })
    }

    /// Solves one model variant; its plan is verified.
    ///
    /// The rows an analysis adds (caps on CO2 and on cost plus carbon) span
    /// other magnitudes than the park's own rows, and the pure-Rust simplex
    /// now and then reports a singular basis on them. A solver error is
    /// therefore retried with those rows rescaled — the same constraints,
    /// so the same optimum — and then with the caps tightened by a
    /// hundred-thousandth at most, which can only make the plan stricter
    /// than asked.
    pub fn solve(
        &self,
        variant: &Variant,
        config: &SolverConfig,
        what: &str,
    ) -> Result<Plan, AnalysisError> {
        self.solve_as_base(variant, config, what)
            .map(|(plan, _)| plan)
    }

    /// As [`Prepared::solve`], also handing back the settings for later
    /// scenarios: started from this plan when warm starts are on.
    pub fn solve_as_base(
        &self,
        variant: &Variant,
        config: &SolverConfig,
        what: &str,
    ) -> Result<(Plan, SolverConfig), AnalysisError> {
        const RETRIES: [(f64, f64); 7] = [
            (1e3, 0.0),
            (1e-3, 0.0),
            (1e2, 0.0),
            (1.0, 1e-6),
            (1e3, 1e-6),
            (1.0, 1e-5),
            (1e3, 1e-5),
        ];
        if self.pruning == Pruning::DropDominated && variant.needs_every_link() {
            return Err(AnalysisError::Invalid(format!(
                "{what}: a least load or a support budget needs the model built from every candidate link"
            )));
        }
        let first = self.solve_once(variant, config, 1.0, 0.0)?;
        if first.solver.termination != Termination::Error {
            return checked_base(first, &self.formulation.model, config, what);
        }
        for (scale, tightening) in RETRIES {
            let retry = self.solve_once(variant, config, scale, tightening)?;
            if retry.plan.is_some() {
                return checked_base(retry, &self.formulation.model, config, what);
            }
        }
        checked_base(first, &self.formulation.model, config, what)
    }

    fn solve_once(
        &self,
        variant: &Variant,
        config: &SolverConfig,
        row_scale: f64,
        tightening: f64,
    ) -> Result<Optimised, SolveError> {
        let formulation = formulate_variant(
            self.park,
            &self.graph,
            &self.formulation,
            variant,
            row_scale,
            tightening,
        );
        pipeline::solve_formulation(
            self.park,
            &self.graph,
            &formulation,
            config,
            match variant.objective {
                Objective::CostPlusCarbon => ModelObjective::ParkCostPlusCarbon,
                Objective::Cost | Objective::Co2 => ModelObjective::Changed,
            },
        )
    }
}

/// The plan of a result, or why there is none.
pub fn checked_plan(result: Optimised, what: &str) -> Result<Plan, AnalysisError> {
    let Some(plan) = result.plan else {
        let report = &result.solver;
        return Err(AnalysisError::NoPlan {
            what: what.to_string(),
            termination: match &report.message {
                Some(message) => format!("{}: {message}", report.termination),
                None => report.termination.to_string(),
            },
        });
    };
    if let Some(verification) = &result.verification {
        if let Some(first) = verification.violations.first() {
            return Err(AnalysisError::Unverified {
                what: what.to_string(),
                first: first.to_string(),
            });
        }
    }
    Ok(plan)
}

/// A checked plan and the settings for scenarios to start from it, its
/// values named by `model`'s variables (a variant's own variables come
/// after the park's and are left out); the same settings when warm starts
/// are off.
fn checked_base(
    result: Optimised,
    model: &Model,
    config: &SolverConfig,
    what: &str,
) -> Result<(Plan, SolverConfig), AnalysisError> {
    let mut scenarios = config.clone();
    if let (true, Some(values)) = (config.warm_start, &result.values) {
        scenarios.start = Some(Arc::new(Start::of(model, values)));
    }
    Ok((checked_plan(result, what)?, scenarios))
}

/// Optimises a park variant (rebuilt from scratch); its plan is verified.
pub fn optimise_park(
    park: &Park,
    config: &SolverConfig,
    what: &str,
) -> Result<Plan, AnalysisError> {
    checked_plan(pipeline::optimise(park, config)?, what)
}

/// As [`optimise_park`], also handing back the settings for the park's
/// scenarios: started from this plan when warm starts are on.
pub fn optimise_base(
    park: &Park,
    config: &SolverConfig,
    what: &str,
) -> Result<(Plan, SolverConfig), AnalysisError> {
    let (graph, formulation) = pipeline::build(park);
    let result = pipeline::solve_formulation(
        park,
        &graph,
        &formulation,
        config,
        ModelObjective::ParkCostPlusCarbon,
    )?;
    checked_base(result, &formulation.model, config, what)
}

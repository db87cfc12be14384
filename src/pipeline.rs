//! The whole pipeline for one park: candidates → graph → MILP → solve →
//! plan → verification, with the time each stage took.

use crate::candidates;
use crate::deadline::{Deadline, OutOfTime, Stage};
use crate::formulation::{self, Formulation};
use crate::graph::{FlowGraph, Pruning};
use crate::park::Park;
use crate::solution::targets::{self, Shortfall};
use crate::solution::{read, verify, Plan, Verification};
use crate::solve::{self, SolveError, SolverConfig, SolverRecord, Termination};
use std::time::Instant;

/// Seconds spent in each stage.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct StageTimes {
    /// Candidate generation.
    pub candidates_s: f64,
    /// Graph and model building.
    pub build_s: f64,
    /// Solver.
    pub solve_s: f64,
    /// Reading the plan and verifying it.
    pub plan_s: f64,
}

/// What one optimisation produced.
pub struct Optimised {
    /// How the solver finished.
    pub solver: SolverRecord,
    /// The plan, when the solver returned one.
    pub plan: Option<Plan>,
    /// The verifier's verdict on the plan.
    pub verification: Option<Verification>,
    /// Stage timings.
    pub times: StageTimes,
    /// When the park's targets cannot all be met (no plan): which fall
    /// short, by how much and why, from the plan that comes closest.
    pub unmet_targets: Vec<Shortfall>,
    /// The solver's value of each model variable, when there is a plan
    /// (a start for other solves of the same park).
    pub values: Option<Vec<f64>>,
}

/// Builds the flow graph and the MILP the optimiser solves for a park
/// (dominated links left out).
pub fn build(park: &Park) -> (FlowGraph, Formulation) {
    build_with(park, Pruning::DropDominated)
}

/// Builds the flow graph and the MILP of a park from the candidates
/// `pruning` keeps.
pub fn build_with(park: &Park, pruning: Pruning) -> (FlowGraph, Formulation) {
    let graph = FlowGraph::build_pruned(park, candidates::generate(park), pruning);
    let formulation = formulation::formulate(park, &graph);
    (graph, formulation)
}

/// As [`build_with`], stopping with [`OutOfTime`] once `deadline` has
/// passed (routing checks it as it goes, the later stages between them).
pub fn build_within(
    park: &Park,
    pruning: Pruning,
    deadline: &Deadline,
) -> Result<(FlowGraph, Formulation), OutOfTime> {
    let candidates = candidates::generate_within(park, deadline)?;
    model_within(park, candidates, pruning, deadline)
}

/// The flow graph and MILP of a park from its routed candidates, the
/// deadline checked after each.
fn model_within(
    park: &Park,
    candidates: Vec<candidates::Candidate>,
    pruning: Pruning,
    deadline: &Deadline,
) -> Result<(FlowGraph, Formulation), OutOfTime> {
    let graph = FlowGraph::build_pruned(park, candidates, pruning);
    deadline.check(Stage::Graph)?;
    let formulation = formulation::formulate(park, &graph);
    deadline.check(Stage::Model)?;
    Ok((graph, formulation))
}

/// Optimises a validated park and verifies the plan.
pub fn optimise(park: &Park, config: &SolverConfig) -> Result<Optimised, SolveError> {
    optimise_warning(park, config, |_| {})
}

/// As [`optimise`], handing `warn` each numerical warning on the model
/// (see [`formulation::numerics`]) before the solver starts.
///
/// The time limit of `config` is the whole optimisation's: routing,
/// building the model and explaining unmet targets count against it, and
/// the solver gets what is left. When it runs out before the solver
/// starts, the result has no plan, the termination "time limit reached"
/// and a message naming the stage that ran out.
pub fn optimise_warning(
    park: &Park,
    config: &SolverConfig,
    mut warn: impl FnMut(String),
) -> Result<Optimised, SolveError> {
    let deadline = Deadline::after(config.time_limit_s);
    let started = Instant::now();
    let candidates = match candidates::generate_within(park, &deadline) {
        Ok(candidates) => candidates,
        Err(out_of_time) => {
            let times = StageTimes {
                candidates_s: started.elapsed().as_secs_f64(),
                ..StageTimes::default()
            };
            return out_of_time_result(config, out_of_time, times);
        }
    };
    let candidates_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (graph, formulation) =
        match model_within(park, candidates, Pruning::DropDominated, &deadline) {
            Ok(built) => built,
            Err(out_of_time) => {
                let times = StageTimes {
                    candidates_s,
                    build_s: started.elapsed().as_secs_f64(),
                    ..StageTimes::default()
                };
                return out_of_time_result(config, out_of_time, times);
            }
        };
    let build_s = started.elapsed().as_secs_f64();
    for warning in formulation::numerics::warnings(&formulation.model) {
        warn(warning);
    }
    // The solver, and the explanation of unmet targets, get what is left.
    let left = || SolverConfig {
        time_limit_s: deadline.left_s(),
        ..config.clone()
    };
    let mut result = solve_formulation(
        park,
        &graph,
        &formulation,
        &left(),
        ModelObjective::ParkCostPlusCarbon,
    )?;
    result.times.candidates_s = candidates_s;
    result.times.build_s = build_s;
    let infeasible = matches!(
        result.solver.termination,
        Termination::Infeasible | Termination::InfeasibleOrUnbounded
    );
    if infeasible && !park.targets.is_empty() {
        result.unmet_targets = explain_targets(park, &graph, &left())?;
    }
    Ok(result)
}

/// The result of an optimisation whose time limit ran out before the
/// solver started: no plan, "time limit reached", and which stage ran out.
fn out_of_time_result(
    config: &SolverConfig,
    out_of_time: OutOfTime,
    times: StageTimes,
) -> Result<Optimised, SolveError> {
    let mut solver = SolverRecord::new(solve::resolve_backend(config.solver)?, 0);
    solver.termination = Termination::TimeLimit;
    solver.message = Some(out_of_time.to_string());
    Ok(Optimised {
        solver,
        plan: None,
        verification: None,
        times,
        unmet_targets: Vec::new(),
        values: None,
    })
}

/// Solves the elastic model of a park whose targets made its MILP
/// infeasible and says which targets fall short and why. Without a plan
/// on the elastic model either, there is nothing to explain.
fn explain_targets(
    park: &Park,
    graph: &FlowGraph,
    config: &SolverConfig,
) -> Result<Vec<Shortfall>, SolveError> {
    let elastic = formulation::formulate_elastic(park, graph);
    let outcome = solve::solve(&elastic.model, config)?;
    Ok(match &outcome.values {
        Some(values) => {
            let closest = read::read_plan(park, graph, &elastic, outcome.solver, values);
            targets::shortfalls(park, graph, &elastic, values, &closest)
        }
        None => Vec::new(),
    })
}

/// What a model's objective is, for reading its solver report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelObjective {
    /// The park's cost plus priced CO2: the solver's objective and bound
    /// are the plan's.
    ParkCostPlusCarbon,
    /// Changed by an analysis (cost alone, CO2 alone): the solver's
    /// objective is not the plan's and is left out of it.
    Changed,
}

/// Solves a (possibly adjusted) formulation of a park, reads the plan and
/// verifies it (everything but the objective when `objective` is
/// [`ModelObjective::Changed`]).
pub fn solve_formulation(
    park: &Park,
    graph: &FlowGraph,
    formulation: &Formulation,
    config: &SolverConfig,
    objective: ModelObjective,
) -> Result<Optimised, SolveError> {
    let mut times = StageTimes::default();
    let outcome = solve::solve(&formulation.model, config)?;
    times.solve_s = outcome.solve_seconds;
    let started = Instant::now();
    let (plan, verification) = match &outcome.values {
        Some(values) => {
            let mut report = outcome.solver.clone();
            if objective == ModelObjective::Changed {
                report.objective_cny_per_year = None;
                report.best_bound_cny_per_year = None;
            }
            let plan = read::read_plan(park, graph, formulation, report, values);
            let verification = verify(&plan, park);
            (Some(plan), Some(verification))
        }
        None => (None, None),
    };
    times.plan_s = started.elapsed().as_secs_f64();
    Ok(Optimised {
        solver: outcome.solver,
        plan,
        verification,
        times,
        unmet_targets: Vec::new(),
        values: outcome.values,
    })
}

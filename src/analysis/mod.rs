//! Decision analyses: many related solves of one park, run in parallel
//! with rayon and returned in a stable order whatever the thread count.
//!
//! Two kinds of variation are used. *Model variants* keep the park and
//! change the MILP — its objective (cost alone, CO2 alone), a cap on CO2,
//! projects forced in or out — and reuse one built flow graph. *Park
//! variants* change the park itself — a carbon price, a price or quantity
//! scaled, a plant removed — and rebuild everything. Every plan, of either
//! kind, goes through the independent verifier.

pub mod pareto;
pub mod project;
pub mod robustness;
pub mod sensitivity;
pub mod shapley;
pub mod subsidies;
pub mod sweep;

use crate::economics;
use crate::formulation::{Formulation, Model, Sense, VarId, VarKind};
use crate::graph::{EdgeKind, FlowGraph, Node, Pruning};
use crate::library::TechnologyKind;
use crate::park::Park;
use crate::park::Project;
use crate::pipeline::{self, Optimised};
use crate::progress::Progress;
use crate::solution::Plan;
use crate::solve::{SolveError, SolverConfig, Start, Termination};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// What a model variant minimises.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Objective {
    /// Cost plus CO2 at the park's carbon price (the normal objective).
    CostPlusCarbon,
    /// Annual cost alone.
    Cost,
    /// CO2 alone, with cost as a negligible tie-break.
    Co2,
}

/// A change to the MILP of a park.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// What to minimise.
    pub objective: Objective,
    /// Most CO2 allowed, t per year.
    pub co2_cap_t_per_year: Option<f64>,
    /// Most cost plus carbon allowed, CNY per year.
    pub objective_cap_cny_per_year: Option<f64>,
    /// Projects (by index) forced to be built (`true`) or not (`false`).
    pub force: Vec<(usize, bool)>,
    /// Link classes (transport mode ids) forced into use (`true`: at least
    /// one link of the mode carries `min_load` of its capacity) or out.
    pub force_modes: Vec<(String, bool)>,
    /// Least throughput of a project forced in, as a fraction of the most
    /// it can take in the park (built but idle does not abate anything);
    /// likewise the least flow of the link that puts a forced mode in use.
    pub min_load: f64,
    /// Support the park may hand its project owners, CNY per year: each
    /// project gets a support variable that must cover its owner's loss
    /// (participation), their sum stays within this budget, and the
    /// objective cap (when set) is relaxed by the support paid.
    pub support_budget_cny_per_year: Option<f64>,
}

impl Default for Variant {
    fn default() -> Self {
        Variant {
            objective: Objective::CostPlusCarbon,
            co2_cap_t_per_year: None,
            objective_cap_cny_per_year: None,
            force: Vec::new(),
            force_modes: Vec::new(),
            min_load: 0.0,
            support_budget_cny_per_year: None,
        }
    }
}

impl Variant {
    /// Whether the variant has rows that can make a dominated link worth
    /// using (so its model must keep every candidate link).
    pub fn needs_every_link(&self) -> bool {
        self.min_load > 0.0
            || self.force_modes.iter().any(|(_, used)| *used)
            || self.support_budget_cny_per_year.is_some()
    }
}

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
}

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
    pub fn new(park: &'a Park, pruning: Pruning) -> Prepared<'a> {
        let (graph, formulation) = pipeline::build_with(park, pruning);
        Prepared {
            park,
            graph,
            formulation,
            pruning,
        }
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
        if first.report.termination != Termination::Error {
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
        let formulation = self.formulate(variant, row_scale, tightening);
        pipeline::solve_formulation(
            self.park,
            &self.graph,
            &formulation,
            config,
            variant.objective == Objective::CostPlusCarbon,
        )
    }

    /// The park's MILP changed as `variant` says, its added rows multiplied
    /// by `row_scale` and its caps lowered by `tightening` of their size.
    fn formulate(&self, variant: &Variant, row_scale: f64, tightening: f64) -> Formulation {
        let tighten = |cap: f64| (cap - tightening * cap.abs().max(1.0)) * row_scale;
        let mut formulation = self.formulation.clone();
        let coefficients = &formulation.coefficients;
        formulation.model.objective = match variant.objective {
            Objective::CostPlusCarbon => coefficients.combined(self.park.carbon_price_cny_per_t),
            Objective::Cost => coefficients.combined(0.0),
            // CO2 in t weighs a million times a yuan: cost only breaks ties.
            Objective::Co2 => coefficients
                .combined(1e6)
                .into_iter()
                .map(|(v, c)| (v, c / 1e6))
                .collect(),
        };
        let scaled = |terms: Vec<(VarId, f64)>| -> Vec<(VarId, f64)> {
            terms.into_iter().map(|(v, c)| (v, c * row_scale)).collect()
        };
        if let Some(cap) = variant.co2_cap_t_per_year {
            let terms = scaled(coefficients.co2.clone());
            formulation.model.add_constraint(
                "analysis",
                "co2_cap".into(),
                terms,
                Sense::Le,
                tighten(cap),
            );
        }
        let support = match variant.support_budget_cny_per_year {
            Some(budget) => add_support(self.park, &self.graph, &mut formulation, budget),
            None => Vec::new(),
        };
        if let Some(cap) = variant.objective_cap_cny_per_year {
            let mut terms = formulation
                .coefficients
                .combined(self.park.carbon_price_cny_per_t);
            terms.extend(support.iter().map(|&s| (s, -1.0)));
            let terms = scaled(terms);
            formulation.model.add_constraint(
                "analysis",
                "objective_cap".into(),
                terms,
                Sense::Le,
                tighten(cap),
            );
        }
        for &(project, built) in &variant.force {
            force_project(&mut formulation, project, built, variant.min_load);
        }
        for (mode, used) in &variant.force_modes {
            force_mode(&self.graph, &mut formulation, mode, *used, variant.min_load);
        }
        formulation
    }
}

/// Adds a support variable per project, each covering its owner's loss
/// (`loss ≤ support`), and their budget; returns the support variables.
///
/// The owner runs the project and its supply links: it pays for bringing
/// its inputs in and charges each waste supplier a gate fee equal to what
/// the supplier no longer pays for today's outlet (the supplier is no
/// worse off); its buyers pay the product price.
fn add_support(
    park: &Park,
    graph: &FlowGraph,
    formulation: &mut Formulation,
    budget: f64,
) -> Vec<VarId> {
    let vars = formulation.vars.clone();
    let model = &mut formulation.model;
    let support: Vec<VarId> = park
        .projects
        .iter()
        .map(|p| {
            model.add_variable(
                format!("support[{}]", p.id),
                VarKind::Continuous,
                0.0,
                budget,
            )
        })
        .collect();
    let mut loss: Vec<Vec<(VarId, f64)>> = park
        .projects
        .iter()
        .enumerate()
        .map(|(i, project)| {
            let owner = OwnerTerms::of(park, project);
            let mut terms = vec![
                (vars.throughput[i], owner.loss_per_unit()),
                (support[i], -1.0),
            ];
            if let Some(build) = vars.project_build[i] {
                terms.push((build, owner.fixed_cny_per_year()));
            }
            terms
        })
        .collect();
    for edge in graph.graph.edge_indices() {
        let (from, to) = graph
            .graph
            .edge_endpoints(edge)
            .expect("an edge of the graph");
        let Node::Project(project) = graph.graph[to] else {
            continue;
        };
        let data = &graph.graph[edge];
        let gate_fee = match graph.graph[from] {
            Node::Waste(w) => economics::today_outlet_per_t(&park.wastes[w]).cost(),
            _ => 0.0,
        };
        loss[project].push((vars.flow[edge.index()], data.per_unit.cost() - gate_fee));
        if let (Some(build), Some(fixed)) = (vars.link_build[edge.index()], data.fixed) {
            loss[project].push((build, fixed.cost()));
        }
    }
    for (project, terms) in park.projects.iter().zip(loss) {
        model.add_constraint(
            "analysis",
            format!("participation[{}]", project.id),
            terms,
            Sense::Le,
            0.0,
        );
    }
    let total = support.iter().map(|&s| (s, 1.0));
    model.add_constraint(
        "analysis",
        "support_budget".into(),
        total,
        Sense::Le,
        budget,
    );
    support
}

/// A project company's own accounts, per year and per unit of throughput:
/// what it sells its product for (the VAT refund included), what running
/// it costs, and its capital charge. Other firms' savings (disposal and
/// fuel avoided) are not the owner's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OwnerTerms {
    /// Capital annualised at the park's discount rate, CNY per year.
    pub annualised_capex_cny_per_year: f64,
    /// Fixed operating cost less any subsidy, CNY per year.
    pub fixed_cash_cny_per_year: f64,
    /// Product sold at its price, per unit of throughput, CNY (material
    /// projects; a power project's electricity is already a credit in its cost).
    pub revenue_cny_per_unit: f64,
    /// VAT refunded on that product, per unit of throughput, CNY.
    pub vat_refund_cny_per_unit: f64,
    /// Operating cost per unit of throughput, CNY (electricity made counts negative).
    pub cost_cny_per_unit: f64,
}

impl OwnerTerms {
    /// The owner's terms of a project.
    pub fn of(park: &Park, project: &Project) -> OwnerTerms {
        let technology = project.technology(&park.library);
        let revenue = match project.kind {
            TechnologyKind::Material => {
                project.product_price_cny_per_unit * economics::material_yield(park, project)
            }
            TechnologyKind::HeatPump | TechnologyKind::Power => 0.0,
        };
        OwnerTerms {
            annualised_capex_cny_per_year: park
                .annualise(project.capex_cny, project.lifetime_years),
            fixed_cash_cny_per_year: project.fixed_opex_cny_per_year - project.subsidy_cny_per_year,
            revenue_cny_per_unit: revenue,
            vat_refund_cny_per_unit: revenue
                * park.library.economics.vat_rate
                * technology.vat_refund_fraction,
            cost_cny_per_unit: economics::project_per_unit(park, project).cost(),
        }
    }

    /// Loss per unit of throughput (negative: a margin), CNY.
    pub fn loss_per_unit(&self) -> f64 {
        self.cost_cny_per_unit - self.revenue_cny_per_unit - self.vat_refund_cny_per_unit
    }

    /// Fixed cost of having built it, capital included, CNY per year.
    pub fn fixed_cny_per_year(&self) -> f64 {
        self.annualised_capex_cny_per_year + self.fixed_cash_cny_per_year
    }

    /// Cash the owner keeps each year before capital charges, CNY per year.
    pub fn cash_margin_cny_per_year(&self, throughput: f64) -> f64 {
        -self.loss_per_unit() * throughput - self.fixed_cash_cny_per_year
    }

    /// The owner's annual loss after capital charges (negative: a profit), CNY per year.
    pub fn loss_cny_per_year(&self, built: bool, throughput: f64) -> f64 {
        if built {
            self.annualised_capex_cny_per_year - self.cash_margin_cny_per_year(throughput)
        } else {
            0.0
        }
    }
}

/// Fixes a project's build decision (or, for a project without fixed cost,
/// its throughput to zero when forced out); a project forced in runs at
/// least `min_load` of the most it can take.
fn force_project(formulation: &mut Formulation, project: usize, built: bool, min_load: f64) {
    let vars = &formulation.vars;
    let variables = &mut formulation.model.variables;
    if let Some(build) = vars.project_build[project] {
        let value = if built { 1.0 } else { 0.0 };
        variables[build.0].lower = value;
        variables[build.0].upper = value;
    }
    let throughput = &mut variables[vars.throughput[project].0];
    if built {
        throughput.lower = min_load * throughput.upper;
    } else {
        throughput.upper = 0.0;
    }
}

/// Edge indices of the candidate links of one transport mode.
pub fn mode_edges(graph: &FlowGraph, mode: &str) -> Vec<usize> {
    graph
        .graph
        .edge_indices()
        .filter(|&e| match graph.graph[e].kind {
            EdgeKind::Link(c) => graph.candidates[c].mode == mode,
            _ => false,
        })
        .map(|e| e.index())
        .collect()
}

/// Puts a transport mode in use — a new binary per link of the mode, set
/// only when that link carries `min_load` of its capacity, and at least one
/// set — or out of use (no flow on any link of it).
fn force_mode(
    graph: &FlowGraph,
    formulation: &mut Formulation,
    mode: &str,
    used: bool,
    min_load: f64,
) {
    let edges = mode_edges(graph, mode);
    let vars = &formulation.vars;
    let model = &mut formulation.model;
    if !used {
        for &e in &edges {
            model.variables[vars.flow[e].0].upper = 0.0;
        }
        return;
    }
    let mut any = Vec::new();
    for &e in &edges {
        let carries = model.add_variable(format!("carries[{mode}:{e}]"), VarKind::Binary, 0.0, 1.0);
        let capacity = graph.graph[petgraph::graph::EdgeIndex::new(e)].max_flow;
        let least = if capacity.is_finite() {
            min_load * capacity
        } else {
            0.0
        };
        let terms = [(vars.flow[e], 1.0), (carries, -least)];
        model.add_constraint(
            "analysis",
            format!("mode_load[{mode}:{e}]"),
            terms,
            Sense::Ge,
            0.0,
        );
        any.push((carries, 1.0));
    }
    model.add_constraint(
        "analysis",
        format!("mode_used[{mode}]"),
        any,
        Sense::Ge,
        1.0,
    );
}

/// The plan of a result, or why there is none.
pub fn checked_plan(result: Optimised, what: &str) -> Result<Plan, AnalysisError> {
    let Some(plan) = result.plan else {
        let report = &result.report;
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
                first: first.clone(),
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
    let result = pipeline::solve_formulation(park, &graph, &formulation, config, true)?;
    checked_base(result, &formulation.model, config, what)
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

/// A text field quoted for CSV (quotes doubled).
pub fn csv_text(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
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
            true,
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
            force: vec![(0, true)],
            min_load: 0.5,
            ..Variant::default()
        };
        let pruned = Prepared::new(&park, Pruning::DropDominated);
        let error = pruned
            .solve(&variant, &SolverConfig::default(), "forced")
            .unwrap_err();
        assert!(matches!(error, AnalysisError::Invalid(_)), "{error}");
        let full = Prepared::new(&park, Pruning::KeepAll);
        assert!(full
            .solve(&variant, &SolverConfig::default(), "forced")
            .is_ok());
    }
}

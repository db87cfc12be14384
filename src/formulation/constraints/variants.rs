//! The rows an analysis adds to a park's MILP: another objective (cost
//! alone, CO2 alone), caps on CO2 and on cost plus carbon, projects and
//! transport modes forced in or out, and the support a park may hand its
//! project owners.
//!
//! The analyses decide *which* variants to solve; what a variant means as
//! rows of the model is written here, beside the park's own constraint
//! families, so every row of every model ecopark solves is found under
//! `formulation/constraints/`.

use crate::economics::{self, OwnerTerms};
use crate::formulation::{Formulation, Sense, VarId, VarKind};
use crate::graph::{EdgeKind, FlowGraph, Node};
use crate::park::Park;

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
    /// Projects (by index) forced to be built ([`Forced::In`]) or not.
    pub force: Vec<(usize, Forced)>,
    /// Link classes (transport mode ids) forced into use ([`Forced::In`]:
    /// at least one link of the mode carries `min_load` of its capacity) or
    /// out.
    pub force_modes: Vec<(String, Forced)>,
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
            || self
                .force_modes
                .iter()
                .any(|(_, forced)| *forced == Forced::In)
            || self.support_budget_cny_per_year.is_some()
    }
}

/// Which way a variant forces a project or a transport mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forced {
    /// Built, or in use.
    In,
    /// Not built, or not used.
    Out,
}

impl Forced {
    /// `in` or `out`, as the analyses' descriptions say it.
    pub fn word(self) -> &'static str {
        match self {
            Forced::In => "in",
            Forced::Out => "out",
        }
    }
}

/// `base`, the MILP of `park` on `graph`, changed as `variant` says, its
/// added rows multiplied by `row_scale` and its caps lowered by
/// `tightening` of their size (an analysis retries a solver error so).
pub fn formulate_variant(
    park: &Park,
    graph: &FlowGraph,
    base: &Formulation,
    variant: &Variant,
    row_scale: f64,
    tightening: f64,
) -> Formulation {
    let tighten = |cap: f64| (cap - tightening * cap.abs().max(1.0)) * row_scale;
    let mut formulation = base.clone();
    let coefficients = &formulation.coefficients;
    formulation.model.objective = match variant.objective {
        Objective::CostPlusCarbon => coefficients.combined(park.carbon_price_cny_per_t),
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
        Some(budget) => add_support(park, graph, &mut formulation, budget),
        None => Vec::new(),
    };
    if let Some(cap) = variant.objective_cap_cny_per_year {
        let mut terms = formulation
            .coefficients
            .combined(park.carbon_price_cny_per_t);
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
        force_mode(graph, &mut formulation, mode, *used, variant.min_load);
    }
    formulation
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

/// Fixes a project's build decision (or, for a project without fixed cost,
/// its throughput to zero when forced out); a project forced in runs at
/// least `min_load` of the most it can take.
fn force_project(formulation: &mut Formulation, project: usize, forced: Forced, min_load: f64) {
    let built = forced == Forced::In;
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
    forced: Forced,
    min_load: f64,
) {
    let edges = mode_edges(graph, mode);
    let vars = &formulation.vars;
    let model = &mut formulation.model;
    if forced == Forced::Out {
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

//! Targets: the park's `[targets]` as rows — a least share of solid waste
//! utilised and of waste heat used, a most CO2, a capital budget — so that
//! every plan meets them.
//!
//! In the *elastic* model each row gets a slack (the shortfall, in the
//! target's own unit) and the objective becomes their weighed sum; solving
//! it tells how close the park can come when the targets together are out
//! of reach, which [`crate::solution::targets`] turns into park terms.

use crate::economics::baseline_ledger;
use crate::formulation::{objective::Coefficients, Model, Sense, VarId, VarKind, VarMap};
use crate::graph::candidate_capex;
use crate::graph::{EdgeKind, FlowGraph, Node};
use crate::park::Park;
use serde::Serialize;

const FAMILY: &str = "targets";

/// Which target a row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// `solid_waste_utilisation_min`, a share.
    SolidWasteUtilisation,
    /// `waste_heat_utilisation_min`, a share.
    WasteHeatUtilisation,
    /// `co2_max_t_per_year`.
    Co2,
    /// `capex_budget_cny`.
    CapexBudget,
}

impl TargetKind {
    /// The field of `[targets]` that sets it.
    pub fn field(self) -> &'static str {
        match self {
            TargetKind::SolidWasteUtilisation => "solid_waste_utilisation_min",
            TargetKind::WasteHeatUtilisation => "waste_heat_utilisation_min",
            TargetKind::Co2 => "co2_max_t_per_year",
            TargetKind::CapexBudget => "capex_budget_cny",
        }
    }
}

/// A target's row in the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRow {
    /// Which target.
    pub kind: TargetKind,
    /// The value asked for, as written in `[targets]`.
    pub target: f64,
    /// What the row's terms add up to at its bound: t disposed at most,
    /// MWh of heat used at least, t CO2, CNY of capital.
    pub bound: f64,
    /// The shortfall variable, in the elastic model only.
    pub shortfall: Option<VarId>,
    /// Size a shortfall is weighed against: the park's waste, its heat,
    /// its CO2 today, the budget.
    pub scale: f64,
}

/// Whether the target rows must hold or may fall short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetRows {
    /// Every row holds: each plan meets the targets.
    Binding,
    /// Each row has a shortfall variable that relaxes it (the elastic
    /// model).
    Elastic,
}

/// Adds a row per target set in the park, [`TargetRows::Elastic`] ones
/// each with a shortfall variable. Returns the rows in [`TargetKind`]
/// order.
pub fn define(
    park: &Park,
    graph: &FlowGraph,
    vars: &VarMap,
    coefficients: &Coefficients,
    model: &mut Model,
    target_rows: TargetRows,
) -> Vec<TargetRow> {
    let targets = &park.targets;
    let mut rows = Vec::new();
    let mut add = |kind: TargetKind,
                   target: f64,
                   mut terms: Vec<(VarId, f64)>,
                   sense: Sense,
                   bound: f64,
                   scale: f64| {
        let shortfall = (target_rows == TargetRows::Elastic).then(|| {
            let shortfall = model.add_variable(
                format!("shortfall[{}]", kind.field()),
                VarKind::Continuous,
                0.0,
                f64::INFINITY,
            );
            // The shortfall relaxes the row in the direction it binds.
            let relaxes = if sense == Sense::Ge { 1.0 } else { -1.0 };
            terms.push((shortfall, relaxes));
            shortfall
        });
        model.add_constraint(FAMILY, kind.field().to_string(), terms, sense, bound);
        rows.push(TargetRow {
            kind,
            target,
            bound,
            shortfall,
            scale: scale.max(1.0),
        });
    };

    if let Some(share) = targets.solid_waste_utilisation_min {
        let waste = park.total_waste_t_per_year();
        let disposed = graph
            .graph
            .edge_indices()
            .filter(|&e| graph.graph[e].kind == EdgeKind::Disposal)
            .filter(|&e| {
                let (from, _) = graph.graph.edge_endpoints(e).expect("an edge");
                matches!(graph.graph[from], Node::Waste(w) if !park.wastes[w].today.is_utilised())
            })
            .map(|e| (vars.flow[e.index()], 1.0))
            .collect();
        add(
            TargetKind::SolidWasteUtilisation,
            share,
            disposed,
            Sense::Le,
            (1.0 - share) * waste,
            waste,
        );
    }
    if let Some(share) = targets.waste_heat_utilisation_min {
        let heat = park.total_waste_heat_mwh_per_year();
        let used = graph
            .graph
            .edge_indices()
            .filter(|&e| {
                let (from, _) = graph.graph.edge_endpoints(e).expect("an edge");
                matches!(graph.graph[from], Node::HeatSource(_))
            })
            .map(|e| (vars.flow[e.index()], 1.0))
            .collect();
        add(
            TargetKind::WasteHeatUtilisation,
            share,
            used,
            Sense::Ge,
            share * heat,
            heat,
        );
    }
    if let Some(cap) = targets.co2_max_t_per_year {
        let today = baseline_ledger(park).co2();
        add(
            TargetKind::Co2,
            cap,
            coefficients.co2.clone(),
            Sense::Le,
            cap,
            today.abs().max(cap.abs()),
        );
    }
    if let Some(budget) = targets.capex_budget_cny {
        add(
            TargetKind::CapexBudget,
            budget,
            capex_terms(park, graph, vars),
            Sense::Le,
            budget,
            budget,
        );
    }
    rows
}

/// Capital spent by each build decision, CNY.
fn capex_terms(park: &Park, graph: &FlowGraph, vars: &VarMap) -> Vec<(VarId, f64)> {
    let projects = park
        .projects
        .iter()
        .zip(&vars.project_build)
        .filter_map(|(project, build)| build.map(|b| (b, project.capex_cny)));
    let links = graph.graph.edge_indices().filter_map(|e| {
        let EdgeKind::Link(index) = graph.graph[e].kind else {
            return None;
        };
        let build = vars.link_build[e.index()]?;
        Some((build, candidate_capex(park, &graph.candidates[index])))
    });
    projects.chain(links).collect()
}

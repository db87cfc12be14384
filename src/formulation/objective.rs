//! The objective: total annual cost plus the carbon price times CO2, with
//! every coefficient from [`crate::economics`]. Cost and CO2 coefficients
//! are also kept apart, so analyses can minimise either alone or bound CO2.

use crate::economics::{self, Ledger};
use crate::formulation::{Model, VarId, VarMap};
use crate::graph::FlowGraph;
use crate::park::Park;

/// Cost (CNY per year) and CO2 (t per year) per unit of each variable.
#[derive(Debug, Clone, Default)]
pub struct Coefficients {
    /// Cost per unit, CNY per year.
    pub cost: Vec<(VarId, f64)>,
    /// CO2 per unit, t per year.
    pub co2: Vec<(VarId, f64)>,
}

impl Coefficients {
    /// `cost + weight × CO2`, zero terms dropped.
    pub fn combined(&self, co2_weight: f64) -> Vec<(VarId, f64)> {
        let mut terms: Vec<(VarId, f64)> = self.cost.clone();
        for (term, (_, co2)) in terms.iter_mut().zip(&self.co2) {
            term.1 += co2_weight * co2;
        }
        terms.retain(|(_, c)| *c != 0.0);
        terms
    }
}

/// Sets the model's objective and returns the cost and CO2 coefficients.
pub fn define(park: &Park, graph: &FlowGraph, vars: &VarMap, model: &mut Model) -> Coefficients {
    let mut per_variable: Vec<(VarId, Ledger)> = Vec::new();
    for edge in graph.graph.edge_indices() {
        let data = &graph.graph[edge];
        per_variable.push((vars.flow[edge.index()], data.per_unit));
        if let (Some(build), Some(fixed)) = (vars.link_build[edge.index()], data.fixed) {
            per_variable.push((build, fixed));
        }
    }
    for (i, project) in park.projects.iter().enumerate() {
        per_variable.push((
            vars.throughput[i],
            economics::project_per_unit(park, project),
        ));
        if let Some(build) = vars.project_build[i] {
            per_variable.push((build, economics::project_fixed_per_year(park, project)));
        }
    }
    let coefficients = Coefficients {
        cost: per_variable.iter().map(|(v, l)| (*v, l.cost())).collect(),
        co2: per_variable.iter().map(|(v, l)| (*v, l.co2())).collect(),
    };
    model.objective = coefficients.combined(park.carbon_price_cny_per_t);
    coefficients
}

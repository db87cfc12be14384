//! The objective: total annual cost plus the carbon price times CO2, with
//! every coefficient from [`crate::economics`].

use crate::economics;
use crate::formulation::{Model, VarMap};
use crate::graph::FlowGraph;
use crate::park::Park;

/// Sets the model's objective.
pub fn define(park: &Park, graph: &FlowGraph, vars: &VarMap, model: &mut Model) {
    let price = park.carbon_price_cny_per_t;
    let mut objective = Vec::new();
    for edge in graph.graph.edge_indices() {
        let data = &graph.graph[edge];
        objective.push((vars.flow[edge.index()], data.per_unit.objective(price)));
        if let (Some(build), Some(fixed)) = (vars.link_build[edge.index()], data.fixed) {
            objective.push((build, fixed.objective(price)));
        }
    }
    for (i, project) in park.projects.iter().enumerate() {
        objective.push((
            vars.throughput[i],
            economics::project_per_unit(park, project).objective(price),
        ));
        if let Some(build) = vars.project_build[i] {
            objective.push((
                build,
                economics::project_fixed_per_year(park, project).objective(price),
            ));
        }
    }
    objective.retain(|(_, coefficient)| *coefficient != 0.0);
    model.objective = objective;
}

//! Capacity: a project or a link carries nothing unless built, and never
//! more than its tightest valid bound (capacity, or what can reach it).

use crate::formulation::variables::edge_name;
use crate::formulation::{Model, Sense, VarMap};
use crate::graph::FlowGraph;
use crate::park::Park;

const FAMILY: &str = "capacity";

/// Defines the capacity family.
pub fn define(park: &Park, graph: &FlowGraph, vars: &VarMap, model: &mut Model) {
    for (i, project) in park.projects.iter().enumerate() {
        // Without a build binary the throughput's own bound is the capacity.
        let Some(build) = vars.project_build[i] else {
            continue;
        };
        let bound = graph.project_max_throughput[i];
        model.add_constraint(
            FAMILY,
            format!("project[{}]", project.id),
            [(vars.throughput[i], 1.0), (build, -bound)],
            Sense::Le,
            0.0,
        );
    }
    for edge in graph.graph.edge_indices() {
        if let Some(build) = vars.link_build[edge.index()] {
            let flow = vars.flow[edge.index()];
            model.add_constraint(
                FAMILY,
                format!("link[{}]", edge_name(park, graph, edge)),
                [(flow, 1.0), (build, -graph.graph[edge].max_flow)],
                Sense::Le,
                0.0,
            );
        }
    }
}

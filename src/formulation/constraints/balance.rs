//! Balances: every tonne of waste goes somewhere, every MWh of heat demand
//! is met, projects turn inputs into outputs by their yields, and no source
//! or user exceeds what it has or takes.

use super::Amount;
use crate::economics;
use crate::formulation::variables::node_name;
use crate::formulation::{Model, Sense, VarMap};
use crate::graph::{FlowGraph, Node};
use crate::library::TechnologyKind;
use crate::park::Park;
use petgraph::graph::EdgeIndex;

const FAMILY: &str = "balance";

/// `Σ factor · flow` over edges, where factor is the delivery factor when
/// counting what arrives (incoming edges) and 1 when counting what is sent
/// (outgoing ones).
fn sum_flows(
    graph: &FlowGraph,
    vars: &VarMap,
    edges: &[EdgeIndex],
    amount: Amount,
) -> Vec<(crate::formulation::VarId, f64)> {
    edges
        .iter()
        .map(|&e| (vars.flow[e.index()], amount.per_unit_sent(&graph.graph[e])))
        .collect()
}

/// Defines the balance family.
pub fn define(park: &Park, graph: &FlowGraph, vars: &VarMap, model: &mut Model) {
    for node in graph.graph.node_indices() {
        let kind = graph.graph[node];
        let name = node_name(park, kind);
        let outgoing = graph.outgoing(node);
        let incoming = graph.incoming(node);
        match kind {
            Node::Waste(i) => model.add_constraint(
                FAMILY,
                format!("supply[{name}]"),
                sum_flows(graph, vars, &outgoing, Amount::Sent),
                Sense::Eq,
                park.wastes[i].t_per_year,
            ),
            Node::HeatSource(i) => model.add_constraint(
                FAMILY,
                format!("available[{name}]"),
                sum_flows(graph, vars, &outgoing, Amount::Sent),
                Sense::Le,
                park.heat_sources[i].mwh_per_year(),
            ),
            Node::HeatDemand(i) => model.add_constraint(
                FAMILY,
                format!("demand[{name}]"),
                sum_flows(graph, vars, &incoming, Amount::Delivered),
                Sense::Eq,
                park.heat_demands[i].mwh_per_year(),
            ),
            Node::MaterialDemand(i) => model.add_constraint(
                FAMILY,
                format!("intake[{name}]"),
                sum_flows(graph, vars, &incoming, Amount::Delivered),
                Sense::Le,
                park.material_demands[i].max_t_per_year,
            ),
            Node::Project(i) => {
                let project = &park.projects[i];
                let throughput = vars.throughput[i];
                let input_share = match project.kind {
                    TechnologyKind::HeatPump => economics::heat_pump_source_share(park, project),
                    _ => 1.0,
                };
                let mut input = sum_flows(graph, vars, &incoming, Amount::Delivered);
                input.push((throughput, -input_share));
                model.add_constraint(FAMILY, format!("input[{name}]"), input, Sense::Eq, 0.0);
                let output_share = match project.kind {
                    TechnologyKind::Material => Some(economics::material_yield(park, project)),
                    TechnologyKind::HeatPump => Some(1.0),
                    TechnologyKind::Power => None,
                };
                if let Some(share) = output_share {
                    let mut output = sum_flows(graph, vars, &outgoing, Amount::Sent);
                    output.push((throughput, -share));
                    model.add_constraint(FAMILY, format!("output[{name}]"), output, Sense::Eq, 0.0);
                }
            }
            Node::Disposal(_) | Node::Market(_) | Node::CurrentSupply(_) => {}
        }
    }
}

//! Power: heat is balanced over the year by `balance`, but a source cannot
//! feed several users at once beyond its MW, nor a user or a heat
//! technology take more MW than it has. Each heat link carries its annual
//! flow over the hours both ends run, so its average power is flow / hours;
//! the links at one end, assumed to run at the same time, must fit the
//! end's rating: `Σ f_e / h_e ≤ MW` (sent) and `Σ δ_e f_e / h_e ≤ MW`
//! (delivered). With a single heat link the link's own bound already says
//! this, so the row is only written where two or more links meet.
//!
//! Each row is written multiplied by the hours its end runs, `h`: in MWh,
//! `Σ (h / h_e) f_e ≤ MW · h`, so its coefficients are near 1 like the
//! rest of the model rather than 1/8760 (same rows, better numerics).

use super::Amount;
use crate::candidates::Endpoint;
use crate::formulation::variables::node_name;
use crate::formulation::{Model, Sense, VarId, VarMap};
use crate::graph::{receiver_rating, sender_rating, FlowGraph, Node};
use crate::park::Park;
use petgraph::graph::EdgeIndex;

const FAMILY: &str = "power";

/// The park endpoint of a graph node that can carry heat links.
fn heat_endpoint(node: Node) -> Option<Endpoint> {
    match node {
        Node::HeatSource(i) => Some(Endpoint::HeatSource(i)),
        Node::HeatDemand(i) => Some(Endpoint::HeatDemand(i)),
        Node::Project(i) => Some(Endpoint::Project(i)),
        _ => None,
    }
}

/// `(flow variable, MW per unit of flow × end_hours)` for the heat links
/// among `edges`.
fn power_terms(
    graph: &FlowGraph,
    vars: &VarMap,
    edges: &[EdgeIndex],
    amount: Amount,
    end_hours: f64,
) -> Vec<(VarId, f64)> {
    edges
        .iter()
        .filter_map(|&e| {
            let edge = &graph.graph[e];
            let factor = amount.per_unit_sent(edge);
            edge.hours
                .filter(|h| *h > 0.0)
                .map(|h| (vars.flow[e.index()], factor * end_hours / h))
        })
        .collect()
}

/// Defines the power family.
pub fn define(park: &Park, graph: &FlowGraph, vars: &VarMap, model: &mut Model) {
    for node in graph.graph.node_indices() {
        let Some(endpoint) = heat_endpoint(graph.graph[node]) else {
            continue;
        };
        let name = node_name(park, graph.graph[node]);
        let (rating_mw, hours) = sender_rating(park, endpoint);
        let sent = power_terms(graph, vars, &graph.outgoing(node), Amount::Sent, hours);
        if sent.len() >= 2 {
            model.add_constraint(
                FAMILY,
                format!("send[{name}]"),
                sent,
                Sense::Le,
                rating_mw * hours,
            );
        }
        let (rating_mw, hours) = receiver_rating(park, endpoint);
        let received = power_terms(graph, vars, &graph.incoming(node), Amount::Delivered, hours);
        if received.len() >= 2 {
            model.add_constraint(
                FAMILY,
                format!("receive[{name}]"),
                received,
                Sense::Le,
                rating_mw * hours,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::park::testing::tiny_with;
    use crate::pipeline::build;

    #[test]
    fn a_source_feeding_two_users_is_limited_to_its_mw() {
        // A second steam user at the cement plant: 8 MW + 5 MW of demand on a 10 MW source.
        let second = "\n[[heat_demand]]\nid = \"kiln-steam\"\nplant = \"cement\"\nmw = 8\ntemperature_c = 150\nhours_per_year = 8000\ncurrent_supply = \"gas_boiler\"\n";
        let park = tiny_with(&[(
            "\n[[material_demand]]",
            &format!("{second}\n[[material_demand]]"),
        )]);
        let (_, formulation) = build(&park);
        let row = formulation
            .model
            .constraints
            .iter()
            .find(|c| c.name == "send[heat_source:flue-heat]")
            .expect("a power row for the shared source");
        // In MWh over the source's 8,000 hours: 10 MW × 8,000 h; each
        // link runs the same 8,000 hours, so its coefficient is 1.
        assert_eq!(row.rhs, 80_000.0);
        assert_eq!(row.terms.len(), 2);
        assert!(row.terms.iter().all(|(_, c)| (*c - 1.0).abs() < 1e-15));
    }
}

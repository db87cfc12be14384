//! The flow graph, after the candidates and the economics and before the
//! formulation: every place material or heat can be and every way it can
//! move, with what each unit of flow costs and emits.
//!
//! Nodes are the park's streams, users and projects plus the three ways out
//! that exist today (disposal, the outside market, each heat user's current
//! supply). Edges are candidate links and those ways out. The MILP is a
//! flow problem on this graph, so the formulation walks it rather than the
//! park file, and later analyses (connected components, reachability) use
//! petgraph's algorithms on it.

pub mod dominance;

use crate::candidates::{Candidate, Endpoint};
use crate::economics::{self, Ledger};
use crate::library::{Carrier, TechnologyKind};
use crate::park::Park;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::Direction;

/// A node of the flow graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// A waste stream, index into `park.wastes`.
    Waste(usize),
    /// A heat source.
    HeatSource(usize),
    /// A heat user.
    HeatDemand(usize),
    /// A material user.
    MaterialDemand(usize),
    /// A candidate project.
    Project(usize),
    /// Today's disposal of a waste stream.
    Disposal(usize),
    /// The outside market for a project's product.
    Market(usize),
    /// Today's heat supply of a heat user.
    CurrentSupply(usize),
}

impl From<Endpoint> for Node {
    fn from(endpoint: Endpoint) -> Node {
        match endpoint {
            Endpoint::Waste(i) => Node::Waste(i),
            Endpoint::Project(i) => Node::Project(i),
            Endpoint::MaterialDemand(i) => Node::MaterialDemand(i),
            Endpoint::HeatSource(i) => Node::HeatSource(i),
            Endpoint::HeatDemand(i) => Node::HeatDemand(i),
        }
    }
}

/// What an edge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// A candidate link, index into [`FlowGraph::candidates`].
    Link(usize),
    /// Waste left in disposal.
    Disposal,
    /// Product sold outside the park.
    MarketSale,
    /// Heat from today's supply.
    CurrentSupply,
}

/// An edge with its economics. Flow on an edge is counted as *sent*: t for
/// materials, MWh of heat for heat.
#[derive(Debug, Clone)]
pub struct Edge {
    /// What the edge is.
    pub kind: EdgeKind,
    /// Units arriving per unit sent (heat losses; 1 for materials).
    pub delivery_factor: f64,
    /// Cost and CO2 per unit sent.
    pub per_unit: Ledger,
    /// Cost per year of building the link, when it must be built to be used.
    pub fixed: Option<Ledger>,
    /// Tightest valid upper bound on the flow sent, per year.
    pub max_flow: f64,
    /// Hours per year a heat link runs (both ends running); `None` otherwise.
    pub hours: Option<f64>,
}

/// The park's flow graph.
pub struct FlowGraph {
    /// The graph itself.
    pub graph: DiGraph<Node, Edge>,
    /// Candidate links behind the `Link` edges.
    pub candidates: Vec<Candidate>,
    waste_nodes: Vec<NodeIndex>,
    heat_source_nodes: Vec<NodeIndex>,
    heat_demand_nodes: Vec<NodeIndex>,
    material_demand_nodes: Vec<NodeIndex>,
    project_nodes: Vec<NodeIndex>,
    /// Tightest valid bound on each project's throughput per year.
    pub project_max_throughput: Vec<f64>,
    /// Dominated candidate links left out of the graph (see [`dominance`]).
    pub dominated_links_dropped: usize,
}

/// Which candidate links a flow graph keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pruning {
    /// Every candidate: for models with rows that reward using links for
    /// their own sake (least loads, participation, utilisation targets).
    KeepAll,
    /// Leave out links no optimal plan needs ([`dominance`]).
    DropDominated,
}

impl FlowGraph {
    /// Builds the graph of a park from its candidate links.
    pub fn build(park: &Park, candidates: Vec<Candidate>) -> FlowGraph {
        let mut graph = DiGraph::new();
        let mut add = |nodes: std::ops::Range<usize>, make: fn(usize) -> Node| -> Vec<NodeIndex> {
            nodes.map(|i| graph.add_node(make(i))).collect()
        };
        let waste_nodes = add(0..park.wastes.len(), Node::Waste);
        let heat_source_nodes = add(0..park.heat_sources.len(), Node::HeatSource);
        let heat_demand_nodes = add(0..park.heat_demands.len(), Node::HeatDemand);
        let material_demand_nodes = add(0..park.material_demands.len(), Node::MaterialDemand);
        let project_nodes = add(0..park.projects.len(), Node::Project);
        let mut flow_graph = FlowGraph {
            graph,
            candidates: Vec::new(),
            waste_nodes,
            heat_source_nodes,
            heat_demand_nodes,
            material_demand_nodes,
            project_nodes,
            project_max_throughput: park
                .projects
                .iter()
                .map(|p| p.max_throughput_per_year())
                .collect(),
            dominated_links_dropped: 0,
        };
        flow_graph.add_ways_out(park);
        for (index, candidate) in candidates.iter().enumerate() {
            flow_graph.add_link(park, index, candidate);
        }
        flow_graph.candidates = candidates;
        flow_graph.tighten_project_bounds(park);
        flow_graph.tighten_output_bounds(park);
        flow_graph
    }

    /// Builds the graph, leaving out dominated links when `pruning` says
    /// so. Dropping links can leave a project unfed or a way on dearer, so
    /// the test is repeated until nothing more is dropped.
    pub fn build_pruned(park: &Park, candidates: Vec<Candidate>, pruning: Pruning) -> FlowGraph {
        let mut graph = FlowGraph::build(park, candidates);
        if pruning == Pruning::KeepAll {
            return graph;
        }
        loop {
            let dominated = dominance::dominated_links(park, &graph);
            if dominated.is_empty() {
                return graph;
            }
            let dropped = graph.dominated_links_dropped + dominated.len();
            let kept: Vec<Candidate> = std::mem::take(&mut graph.candidates)
                .into_iter()
                .enumerate()
                .filter(|(index, _)| dominated.binary_search(index).is_err())
                .map(|(_, candidate)| candidate)
                .collect();
            graph = FlowGraph::build(park, kept);
            graph.dominated_links_dropped = dropped;
        }
    }

    /// The graph node of a park endpoint.
    pub fn node_of(&self, endpoint: Endpoint) -> NodeIndex {
        match endpoint {
            Endpoint::Waste(i) => self.waste_nodes[i],
            Endpoint::Project(i) => self.project_nodes[i],
            Endpoint::MaterialDemand(i) => self.material_demand_nodes[i],
            Endpoint::HeatSource(i) => self.heat_source_nodes[i],
            Endpoint::HeatDemand(i) => self.heat_demand_nodes[i],
        }
    }

    /// Edges leaving a node, in insertion order.
    pub fn outgoing(&self, node: NodeIndex) -> Vec<EdgeIndex> {
        self.edges_of(node, Direction::Outgoing)
    }

    /// Edges entering a node, in insertion order.
    pub fn incoming(&self, node: NodeIndex) -> Vec<EdgeIndex> {
        self.edges_of(node, Direction::Incoming)
    }

    fn edges_of(&self, node: NodeIndex, direction: Direction) -> Vec<EdgeIndex> {
        let mut edges: Vec<EdgeIndex> = self
            .graph
            .edges_directed(node, direction)
            .map(|edge| petgraph::visit::EdgeRef::id(&edge))
            .collect();
        edges.sort();
        edges
    }

    fn add_ways_out(&mut self, park: &Park) {
        for (i, waste) in park.wastes.iter().enumerate() {
            let sink = self.graph.add_node(Node::Disposal(i));
            self.graph.add_edge(
                self.waste_nodes[i],
                sink,
                Edge {
                    kind: EdgeKind::Disposal,
                    delivery_factor: 1.0,
                    per_unit: economics::today_outlet_per_t(waste),
                    fixed: None,
                    max_flow: waste.t_per_year,
                    hours: None,
                },
            );
        }
        for (i, demand) in park.heat_demands.iter().enumerate() {
            let supply = self.graph.add_node(Node::CurrentSupply(i));
            self.graph.add_edge(
                supply,
                self.heat_demand_nodes[i],
                Edge {
                    kind: EdgeKind::CurrentSupply,
                    delivery_factor: 1.0,
                    per_unit: economics::current_supply_per_mwh(park, demand),
                    fixed: None,
                    max_flow: demand.mwh_per_year(),
                    hours: None,
                },
            );
        }
        for (i, project) in park.projects.iter().enumerate() {
            if project.kind == TechnologyKind::Material {
                let market = self.graph.add_node(Node::Market(i));
                self.graph.add_edge(
                    self.project_nodes[i],
                    market,
                    Edge {
                        kind: EdgeKind::MarketSale,
                        delivery_factor: 1.0,
                        per_unit: economics::market_sale_per_unit(project),
                        fixed: None,
                        max_flow: (project.capacity * economics::material_yield(park, project))
                            .min(project.max_market_t_per_year),
                        hours: None,
                    },
                );
            }
        }
    }

    fn add_link(&mut self, park: &Park, index: usize, candidate: &Candidate) {
        let mode = &park.library.transport[&candidate.mode];
        let (max_flow, capacity_mw) = link_capacity(park, candidate);
        let fixed = economics::link_fixed_per_year(park, mode, candidate.distance_km, capacity_mw);
        let edge = Edge {
            kind: EdgeKind::Link(index),
            delivery_factor: candidate.delivery_factor,
            per_unit: economics::link_per_unit(park, candidate),
            fixed: (fixed.cost() > 0.0).then_some(fixed),
            max_flow,
            hours: link_hours(park, candidate),
        };
        self.graph.add_edge(
            self.node_of(candidate.from),
            self.node_of(candidate.to),
            edge,
        );
    }

    /// A project's throughput can never exceed what all its inputs together
    /// could deliver; using that as its big-M keeps the LP relaxation tight.
    fn tighten_project_bounds(&mut self, park: &Park) {
        for (i, project) in park.projects.iter().enumerate() {
            let node = self.project_nodes[i];
            let delivered: f64 = self
                .incoming(node)
                .iter()
                .map(|&e| self.graph[e].max_flow * self.graph[e].delivery_factor)
                .sum();
            let reachable = match project.kind {
                TechnologyKind::HeatPump => {
                    delivered / economics::heat_pump_source_share(park, project)
                }
                _ => delivered,
            };
            self.project_max_throughput[i] = self.project_max_throughput[i].min(reachable);
        }
    }

    /// What leaves a project can never exceed what its tightest throughput
    /// bound makes, so that bound (not the nameplate capacity) is the
    /// big-M of its output links and its market sales.
    fn tighten_output_bounds(&mut self, park: &Park) {
        for (i, project) in park.projects.iter().enumerate() {
            let output_per_throughput = match project.kind {
                TechnologyKind::Material => economics::material_yield(park, project),
                TechnologyKind::HeatPump => 1.0,
                TechnologyKind::Power => continue,
            };
            let most_out = self.project_max_throughput[i] * output_per_throughput;
            for edge in self.outgoing(self.project_nodes[i]) {
                let bound = &mut self.graph[edge].max_flow;
                *bound = bound.min(most_out);
            }
        }
    }

    /// Number of candidate links.
    pub fn link_count(&self) -> usize {
        self.candidates.len()
    }
}

/// What a sender can send: t per year (materials) or MW (heat), and the
/// hours per year it can do so.
pub fn sender_rating(park: &Park, endpoint: Endpoint) -> (f64, f64) {
    match endpoint {
        Endpoint::Waste(i) => (park.wastes[i].t_per_year, 8760.0),
        Endpoint::HeatSource(i) => (park.heat_sources[i].mw, park.heat_sources[i].hours_per_year),
        Endpoint::Project(i) => {
            let project = &park.projects[i];
            match project.kind {
                TechnologyKind::Material => (
                    project.capacity * economics::material_yield(park, project),
                    8760.0,
                ),
                _ => (project.capacity, project.hours_per_year),
            }
        }
        Endpoint::MaterialDemand(_) | Endpoint::HeatDemand(_) => (0.0, 0.0),
    }
}

/// What a receiver can take (delivered): t per year (materials) or MW
/// (heat), and the hours per year it can do so.
pub fn receiver_rating(park: &Park, endpoint: Endpoint) -> (f64, f64) {
    match endpoint {
        Endpoint::MaterialDemand(i) => (park.material_demands[i].max_t_per_year, 8760.0),
        Endpoint::HeatDemand(i) => (park.heat_demands[i].mw, park.heat_demands[i].hours_per_year),
        Endpoint::Project(i) => {
            let project = &park.projects[i];
            match project.kind {
                TechnologyKind::Material => (project.capacity, 8760.0),
                TechnologyKind::HeatPump => (
                    project.capacity * economics::heat_pump_source_share(park, project),
                    project.hours_per_year,
                ),
                TechnologyKind::Power => (project.capacity, project.hours_per_year),
            }
        }
        Endpoint::Waste(_) | Endpoint::HeatSource(_) => (0.0, 0.0),
    }
}

/// Tightest valid bound on what a candidate link can carry per year (units
/// sent), and for heat links the MW it must be sized for: the smaller of
/// what the sender has and what the receiver takes (grossed up for losses),
/// over the hours both run.
pub fn link_capacity(park: &Park, candidate: &Candidate) -> (f64, f64) {
    let (send, send_hours) = sender_rating(park, candidate.from);
    let (receive, receive_hours) = receiver_rating(park, candidate.to);
    let mw_or_t = send.min(receive / candidate.delivery_factor);
    match candidate.carrier {
        Carrier::Material => (mw_or_t, 0.0),
        Carrier::Steam | Carrier::HotWater => (mw_or_t * send_hours.min(receive_hours), mw_or_t),
    }
}

/// Hours per year a heat link runs: while both ends run. `None` for materials.
pub fn link_hours(park: &Park, candidate: &Candidate) -> Option<f64> {
    match candidate.carrier {
        Carrier::Material => None,
        Carrier::Steam | Carrier::HotWater => {
            let send_hours = sender_rating(park, candidate.from).1;
            let receive_hours = receiver_rating(park, candidate.to).1;
            Some(send_hours.min(receive_hours))
        }
    }
}

/// Capital cost of a candidate link sized as in the model, CNY.
pub fn candidate_capex(park: &Park, candidate: &Candidate) -> f64 {
    let mode = &park.library.transport[&candidate.mode];
    let (_, capacity_mw) = link_capacity(park, candidate);
    economics::link_capex_cny(mode, candidate.distance_km, capacity_mw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;

    #[test]
    fn every_waste_can_be_disposed_and_every_heat_user_keeps_its_supply() {
        let park = tiny();
        let graph = FlowGraph::build(&park, crate::candidates::generate(&park));
        let kinds: Vec<EdgeKind> = graph.graph.edge_weights().map(|e| e.kind).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == EdgeKind::Disposal).count(),
            park.wastes.len()
        );
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == EdgeKind::CurrentSupply)
                .count(),
            park.heat_demands.len()
        );
        assert_eq!(
            kinds
                .iter()
                .filter(|k| matches!(k, EdgeKind::Link(_)))
                .count(),
            3
        );
        let waste = graph.node_of(Endpoint::Waste(0));
        assert_eq!(graph.outgoing(waste).len(), 3, "two links and disposal");
    }
}

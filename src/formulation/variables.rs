//! Variables: one flow per edge, a throughput per project, and a build
//! binary only for projects and links that cost something to have (a
//! binary with no fixed cost behind it would only slow the search).

use crate::formulation::{Model, VarId, VarKind};
use crate::graph::{EdgeKind, FlowGraph, Node};
use crate::park::Park;
use petgraph::graph::EdgeIndex;

/// Which model variable stands for what in the flow graph.
#[derive(Debug, Clone, Default)]
pub struct VarMap {
    /// Flow sent on each edge, by edge index.
    pub flow: Vec<VarId>,
    /// Build decision of each edge that has a fixed cost, by edge index.
    pub link_build: Vec<Option<VarId>>,
    /// Throughput of each project.
    pub throughput: Vec<VarId>,
    /// Build decision of each project that has a fixed cost.
    pub project_build: Vec<Option<VarId>>,
}

/// A readable name for a graph node, for variable and constraint names.
pub fn node_name(park: &Park, node: Node) -> String {
    match node {
        Node::Waste(i) => format!("waste:{}", park.wastes[i].id),
        Node::HeatSource(i) => format!("heat_source:{}", park.heat_sources[i].id),
        Node::HeatDemand(i) => format!("heat_demand:{}", park.heat_demands[i].id),
        Node::MaterialDemand(i) => format!("material_demand:{}", park.material_demands[i].id),
        Node::Project(i) => format!("project:{}", park.projects[i].id),
        Node::Disposal(i) => format!("disposal:{}", park.wastes[i].id),
        Node::Market(i) => format!("market:{}", park.projects[i].id),
        Node::CurrentSupply(i) => format!("current_supply:{}", park.heat_demands[i].id),
    }
}

/// A readable name for a graph edge, `from->to`, with `/mode` for a
/// candidate link: the name in brackets of its flow and build variables
/// and of its capacity row.
pub fn edge_name(park: &Park, graph: &FlowGraph, edge: EdgeIndex) -> String {
    let (from, to) = graph
        .graph
        .edge_endpoints(edge)
        .expect("an edge of the graph");
    let suffix = match graph.graph[edge].kind {
        EdgeKind::Link(index) => format!("/{}", graph.candidates[index].mode),
        _ => String::new(),
    };
    format!(
        "{}->{}{suffix}",
        node_name(park, graph.graph[from]),
        node_name(park, graph.graph[to])
    )
}

/// Defines every variable and returns the map.
pub fn define(park: &Park, graph: &FlowGraph, model: &mut Model) -> VarMap {
    let mut vars = VarMap::default();
    for edge in graph.graph.edge_indices() {
        let data = &graph.graph[edge];
        let name = edge_name(park, graph, edge);
        vars.flow.push(model.add_variable(
            format!("flow[{name}]"),
            VarKind::Continuous,
            0.0,
            data.max_flow,
        ));
        vars.link_build.push(
            data.fixed
                .map(|_| model.add_variable(format!("build[{name}]"), VarKind::Binary, 0.0, 1.0)),
        );
    }
    for (i, project) in park.projects.iter().enumerate() {
        let bound = graph.project_max_throughput[i];
        vars.throughput.push(model.add_variable(
            format!("throughput[{}]", project.id),
            VarKind::Continuous,
            0.0,
            bound,
        ));
        // A project free to have needs no binary, unless a capital budget
        // must count what it costs to build.
        let fixed = crate::economics::project_fixed_per_year(park, project);
        let counts_capex = park.targets.capex_budget_cny.is_some() && project.capex_cny > 0.0;
        vars.project_build
            .push((fixed.cost() != 0.0 || counts_capex).then(|| {
                model.add_variable(format!("build[{}]", project.id), VarKind::Binary, 0.0, 1.0)
            }));
    }
    vars
}

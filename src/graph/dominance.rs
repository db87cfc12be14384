//! Dominated candidate links, dropped before the model is built.
//!
//! Geography lets many more links exist than could ever pay. A link is
//! *dominated* when, whatever else the plan does, sending its flow the way
//! it goes today instead (a waste to its disposal, a heat source's heat
//! left unused) is at least as cheap **and** emits at least as little CO2,
//! fixed cost included. No plan that minimises cost, CO2, or any positive
//! mix of them, under caps on either, needs such a link; dropping it keeps
//! the optimum and removes its flow variable, its build binary and its
//! capacity row. Links that can carry nothing (a project no stream can
//! feed, a receiver that takes nothing) are dropped too.
//!
//! The test is local and conservative. For the receiving end it uses the
//! best each unit could possibly do there — the cheapest (and, apart, the
//! lowest-CO2) way on for a project's output, the current supply a heat
//! user stops buying — so a link is kept whenever any use of it might pay.
//! Only links leaving a waste stream or a heat source are tested: their way
//! out today has room for all they send, which is what makes moving the
//! flow back always possible.
//!
//! It is **not** valid for models with rows that reward using links for
//! their own sake (a least load on a project or a transport mode, owner
//! participation); those are built from every candidate. A utilisation
//! target keeps every link of the streams it counts. Caps on CO2 and on
//! capital keep it valid: a dominated link emits no less and costs no
//! less capital than leaving it out.

use super::{EdgeKind, FlowGraph, Node};
use crate::economics::{self, Ledger};
use crate::library::TechnologyKind;
use crate::park::Park;
use petgraph::graph::NodeIndex;

/// Least cost (CNY) and, apart, least CO2 (t) that a unit could come to.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Best {
    cost: f64,
    co2: f64,
}

impl Best {
    const ZERO: Best = Best {
        cost: 0.0,
        co2: 0.0,
    };

    fn of(ledger: Ledger) -> Best {
        Best {
            cost: ledger.cost(),
            co2: ledger.co2(),
        }
    }

    fn plus(self, other: Best, factor: f64) -> Best {
        Best {
            cost: self.cost + factor * other.cost,
            co2: self.co2 + factor * other.co2,
        }
    }

    fn min(self, other: Best) -> Best {
        Best {
            cost: self.cost.min(other.cost),
            co2: self.co2.min(other.co2),
        }
    }
}

/// Indices (into the graph's candidates) of links no optimal plan needs.
pub fn dominated_links(park: &Park, graph: &FlowGraph) -> Vec<usize> {
    let onward = onward_values(park, graph);
    let mut dominated = Vec::new();
    for edge in graph.graph.edge_indices() {
        let data = &graph.graph[edge];
        let EdgeKind::Link(index) = data.kind else {
            continue;
        };
        let (from, to) = graph
            .graph
            .edge_endpoints(edge)
            .expect("an edge of the graph");
        let carries_nothing = data.max_flow <= 0.0
            || matches!(graph.graph[from], Node::Project(p) if graph.project_max_throughput[p] <= 0.0);
        if carries_nothing {
            dominated.push(index);
            continue;
        }
        // A utilisation target rewards using a stream for its own sake, so
        // its links are then all kept.
        let targets = &park.targets;
        let today = match graph.graph[from] {
            Node::Waste(w) if targets.solid_waste_utilisation_min.is_none() => {
                Best::of(economics::today_outlet_per_t(&park.wastes[w]))
            }
            Node::HeatSource(_) if targets.waste_heat_utilisation_min.is_none() => Best::ZERO,
            _ => continue,
        };
        let Some(onward) = onward[to.index()] else {
            continue;
        };
        let best = Best::of(data.per_unit).plus(onward, data.delivery_factor);
        let fixed_cost = data.fixed.map_or(0.0, |fixed| fixed.cost());
        let most_saved = data.max_flow * (today.cost - best.cost).max(0.0);
        if best.co2 >= today.co2 && most_saved <= fixed_cost {
            dominated.push(index);
        }
    }
    dominated.sort_unstable();
    dominated
}

/// For every node, the best a unit delivered there could come to from then
/// on; `None` where it is not known (a project with no way on that can be
/// valued, or a chain of projects that loops).
fn onward_values(park: &Park, graph: &FlowGraph) -> Vec<Option<Best>> {
    let mut onward: Vec<Option<Best>> = graph
        .graph
        .node_indices()
        .map(|node| match graph.graph[node] {
            Node::MaterialDemand(_) | Node::Market(_) => Some(Best::ZERO),
            Node::HeatDemand(h) => Some(Best::ZERO.plus(
                Best::of(economics::current_supply_per_mwh(
                    park,
                    &park.heat_demands[h],
                )),
                -1.0,
            )),
            _ => None,
        })
        .collect();
    // Projects feeding projects are valued once what they feed is known;
    // each round settles at least one more level of the chain.
    loop {
        let mut settled = false;
        for node in graph.graph.node_indices() {
            if let (Node::Project(p), None) = (graph.graph[node], onward[node.index()]) {
                if let Some(value) = project_onward(park, graph, p, node, &onward) {
                    onward[node.index()] = Some(value);
                    settled = true;
                }
            }
        }
        if !settled {
            return onward;
        }
    }
}

/// The best a unit delivered into project `p` could come to: its own
/// running cost per unit, plus the best way on for what it puts out.
fn project_onward(
    park: &Park,
    graph: &FlowGraph,
    p: usize,
    node: NodeIndex,
    onward: &[Option<Best>],
) -> Option<Best> {
    let project = &park.projects[p];
    let running = Best::of(economics::project_per_unit(park, project));
    // Output per unit of throughput, and input delivered per unit of throughput.
    let (output, input) = match project.kind {
        TechnologyKind::Material => (economics::material_yield(park, project), 1.0),
        TechnologyKind::HeatPump => (1.0, economics::heat_pump_source_share(park, project)),
        TechnologyKind::Power => (0.0, 1.0),
    };
    if input <= 0.0 {
        return None;
    }
    let per_throughput = if output > 0.0 {
        let mut best_way_on: Option<Best> = None;
        for edge in graph.outgoing(node) {
            let data = &graph.graph[edge];
            if data.max_flow <= 0.0 {
                continue;
            }
            let (_, to) = graph.graph.edge_endpoints(edge)?;
            let value = Best::of(data.per_unit).plus(onward[to.index()]?, data.delivery_factor);
            best_way_on = Some(best_way_on.map_or(value, |best| best.min(value)));
        }
        match best_way_on {
            Some(way_on) => running.plus(way_on, output),
            // Its output has nowhere to go, so it cannot run: any unit sent
            // to it is as bad as can be.
            None => Best {
                cost: f64::INFINITY,
                co2: f64::INFINITY,
            },
        }
    } else {
        running
    };
    Some(Best {
        cost: per_throughput.cost / input,
        co2: per_throughput.co2 / input,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::{self, Endpoint};
    use crate::graph::Pruning;
    use crate::park::testing::tiny;

    /// The park's optimum with and without dominated links, and how many
    /// links were dropped.
    fn optimum_both_ways(park: &Park) -> (f64, f64, usize) {
        let config = crate::solve::SolverConfig::default();
        let optimum = |pruning| {
            let (graph, formulation) = crate::pipeline::build_with(park, pruning);
            let outcome = crate::solve::solve(&formulation.model, &config).unwrap();
            let report = outcome.solver;
            let objective = report.objective_cny_per_year.unwrap();
            // The solver's own tolerance: the objective is within its gap.
            let slack = report.gap.unwrap_or(0.0) * objective.abs() + 1.0;
            (objective, slack, graph.dominated_links_dropped)
        };
        let (all, all_slack, none_dropped) = optimum(Pruning::KeepAll);
        let (pruned, pruned_slack, dropped) = optimum(Pruning::DropDominated);
        assert_eq!(none_dropped, 0);
        (all - pruned, all_slack + pruned_slack, dropped)
    }

    #[test]
    fn dropping_dominated_links_keeps_the_optimum_of_shipped_parks_and_a_region() {
        let mut parks: Vec<(String, Park)> = ["tiny", "ningdong-chemical", "tangshan-caofeidian"]
            .iter()
            .map(|name| {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(format!("parks/{name}/park.toml"));
                (
                    name.to_string(),
                    crate::validate::load_and_validate(&path).unwrap().0,
                )
            })
            .collect();
        let options = crate::generate::GenerateOptions {
            plants: 36,
            seed: 5,
            plants_per_park: 12,
        };
        let file = crate::generate::generate(&options).unwrap();
        let text = crate::generate::to_toml(&file).unwrap();
        let loaded = crate::input::parse("region", text, crate::input::Format::Toml).unwrap();
        parks.push((
            "region".into(),
            crate::validate::validate(&loaded).unwrap().0,
        ));
        let mut dropped_in_all = 0;
        for (name, park) in &parks {
            let (difference, slack, dropped) = optimum_both_ways(park);
            assert!(
                difference.abs() <= slack,
                "{name}: optima differ by {difference}"
            );
            dropped_in_all += dropped;
        }
        assert!(dropped_in_all > 0, "the test drops something");
    }

    /// `tiny` with every waste's disposal at this cost and CO2 per t.
    fn tiny_disposing_at(cost_cny_per_t: f64, co2_t_per_t: f64) -> Park {
        let mut park = tiny();
        for waste in &mut park.wastes {
            waste.today = crate::park::TodayOutlet::Disposal {
                cost_cny_per_t,
                co2_t_per_t,
            };
        }
        park
    }

    #[test]
    fn tiny_keeps_every_link_that_can_pay() {
        let park = tiny();
        let graph = FlowGraph::build(&park, candidates::generate(&park));
        assert!(dominated_links(&park, &graph).is_empty());
    }

    #[test]
    fn a_waste_link_dearer_than_disposal_in_cost_and_co2_is_dominated() {
        let park = tiny_disposing_at(-1e6, -10.0);
        let graph = FlowGraph::build(&park, candidates::generate(&park));
        let dominated = dominated_links(&park, &graph);
        let from_waste: Vec<usize> = graph
            .candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.from, Endpoint::Waste(_)))
            .map(|(i, _)| i)
            .collect();
        assert!(!from_waste.is_empty());
        for index in from_waste {
            assert!(dominated.contains(&index), "waste link {index} kept");
        }
    }

    #[test]
    fn a_utilisation_target_keeps_every_link_of_the_streams_it_counts() {
        let mut park = tiny_disposing_at(-1e6, -10.0);
        park.targets.solid_waste_utilisation_min = Some(0.5);
        let graph = FlowGraph::build(&park, candidates::generate(&park));
        assert!(dominated_links(&park, &graph).is_empty());
    }

    #[test]
    fn a_link_that_saves_cost_but_emits_more_is_kept() {
        let park = tiny_disposing_at(1e6, -10.0);
        let graph = FlowGraph::build(&park, candidates::generate(&park));
        let dominated = dominated_links(&park, &graph);
        assert!(graph
            .candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.from, Endpoint::Waste(_)))
            .all(|(i, _)| !dominated.contains(&i)));
    }
}

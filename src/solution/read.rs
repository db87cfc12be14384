//! Reading a plan from the solver's values: every edge of the flow graph
//! and every project turned back into park terms (links, outlets, sales,
//! heat supply, projects), costed from the same ledger entries the model
//! was built from, with today's park as the baseline and the park's
//! targets checked against the result.

use super::plan::{
    flow_unit, kpis, outlet_name, product_per_throughput, replaces_t_per_year, throughput_unit,
    HeatSupplyResult, LinkResult, OutletResult, Plan, ProblemSize, ProjectResult, SaleResult,
    Totals, FLOW_EPSILON,
};
use super::targets::results;
use crate::candidates::Candidate;
use crate::economics::{self, baseline_ledger, Category, Ledger};
use crate::formulation::{Formulation, VarMap};
use crate::graph::{candidate_capex, EdgeKind, FlowGraph, Node};
use crate::park::Park;
use crate::solve::SolverRecord;
use crate::units::round;
use petgraph::visit::EdgeRef;

/// A solver quantity as the plan states it: below [`FLOW_EPSILON`] it is
/// nothing, otherwise rounded to three decimals.
fn quantity(value: f64) -> f64 {
    if value.abs() < FLOW_EPSILON {
        0.0
    } else {
        round(value, 3)
    }
}

/// What the edges and projects of a plan add up to, read in model order.
#[derive(Default)]
struct Books {
    ledger: Ledger,
    capex: f64,
    annualised_capex: f64,
    links: Vec<LinkResult>,
    outlets: Vec<OutletResult>,
    market_sales: Vec<SaleResult>,
    heat_supply: Vec<HeatSupplyResult>,
}

impl Books {
    /// Books a link of the plan, built or carrying flow.
    fn link(&mut self, park: &Park, candidate: &Candidate, sent: f64, built: bool, cost: Ledger) {
        let mode = &park.library.transport[&candidate.mode];
        let link_capex = if built {
            candidate_capex(park, candidate)
        } else {
            0.0
        };
        self.capex += link_capex;
        self.annualised_capex += park.annualise(link_capex, mode.lifetime_years);
        self.links.push(LinkResult {
            from: candidate.from,
            from_id: candidate.from.id(park).to_string(),
            to: candidate.to,
            to_id: candidate.to.id(park).to_string(),
            mode: candidate.mode.clone(),
            carries: candidate.material.clone(),
            sent,
            delivered: quantity(sent * candidate.delivery_factor),
            unit: flow_unit(candidate.carrier).to_string(),
            distance_km: round(candidate.distance_km, 4),
            route: candidate.route.points.clone(),
            delivered_temperature_c: candidate.delivered_temperature_c.map(|t| round(t, 2)),
            built,
            capex_cny: round(link_capex, 2),
            annual_cost_cny_per_year: round(cost.cost(), 2),
            co2_t_per_year: round(cost.co2(), 3),
            avoided_virgin_cny_per_year: round(cost.cost_of(Category::AvoidedVirgin), 2),
            avoided_virgin_co2_t_per_year: round(cost.co2_of(Category::AvoidedVirgin), 3),
            replaces_t_per_year: replaces_t_per_year(park, candidate.to, &candidate.material, sent),
        });
    }

    /// Books every edge of the flow graph: links, today's outlets, market
    /// sales and the heat users' current supply.
    fn edges(&mut self, park: &Park, graph: &FlowGraph, vars: &VarMap, values: &[f64]) {
        for edge in graph.graph.edge_references() {
            let index = edge.id().index();
            let data = edge.weight();
            let sent = quantity(values[vars.flow[index].0]);
            let built = vars.link_build[index].is_some_and(|b| values[b.0] > 0.5);
            let mut cost = data.per_unit * sent;
            if built {
                cost += data.fixed.unwrap_or_default();
            }
            self.ledger += cost;
            let ends = (graph.graph[edge.source()], graph.graph[edge.target()]);
            match (data.kind, ends) {
                (EdgeKind::Link(c), _) if sent > 0.0 || built => {
                    self.link(park, &graph.candidates[c], sent, built, cost);
                }
                (EdgeKind::Disposal, (Node::Waste(w), _)) if sent > 0.0 => {
                    self.outlets.push(OutletResult {
                        waste: park.wastes[w].id.clone(),
                        outlet: outlet_name(&park.wastes[w].today).to_string(),
                        t_per_year: sent,
                        cost_cny_per_year: round(cost.cost(), 2),
                        co2_t_per_year: round(cost.co2(), 3),
                    })
                }
                (EdgeKind::MarketSale, (Node::Project(p), _)) if sent > 0.0 => {
                    self.market_sales.push(SaleResult {
                        project: park.projects[p].id.clone(),
                        product: park.projects[p].product.clone(),
                        t_per_year: sent,
                        revenue_cny_per_year: round(-cost.cost(), 2),
                        co2_t_per_year: round(cost.co2(), 3),
                    })
                }
                (EdgeKind::CurrentSupply, (_, Node::HeatDemand(h))) if sent > 0.0 => {
                    self.heat_supply.push(HeatSupplyResult {
                        demand: park.heat_demands[h].id.clone(),
                        supply: park.heat_demands[h].current_supply.clone(),
                        mwh_per_year: sent,
                        cost_cny_per_year: round(cost.cost(), 2),
                        co2_t_per_year: round(cost.co2(), 3),
                    })
                }
                _ => {}
            }
        }
    }

    /// Books every candidate project, built or not.
    fn projects(&mut self, park: &Park, vars: &VarMap, values: &[f64]) -> Vec<ProjectResult> {
        let mut projects = Vec::new();
        for (i, project) in park.projects.iter().enumerate() {
            let throughput = quantity(values[vars.throughput[i].0]);
            let built = match vars.project_build[i] {
                Some(build) => values[build.0] > 0.5,
                None => throughput > 0.0,
            };
            let technology = project.technology(&park.library);
            let mut cost = economics::project_per_unit(park, project) * throughput;
            if built {
                cost += economics::project_fixed_per_year(park, project);
                self.capex += project.capex_cny;
                self.annualised_capex += park.annualise(project.capex_cny, project.lifetime_years);
            }
            self.ledger += cost;
            projects.push(ProjectResult {
                id: project.id.clone(),
                name: project.name.clone(),
                technology: project.technology.clone(),
                built,
                throughput,
                throughput_unit: throughput_unit(project.kind).to_string(),
                max_throughput: round(project.max_throughput_per_year(), 3),
                product: project.product.clone(),
                product_output: quantity(
                    throughput * product_per_throughput(project.kind, technology),
                ),
                capex_cny: if built {
                    round(project.capex_cny, 2)
                } else {
                    0.0
                },
                annual_cost_cny_per_year: round(cost.cost(), 2),
                co2_t_per_year: round(cost.co2(), 3),
            });
        }
        projects
    }
}

/// Reads a plan from solver values.
pub fn read_plan(
    park: &Park,
    graph: &FlowGraph,
    formulation: &Formulation,
    solver: SolverRecord,
    values: &[f64],
) -> Plan {
    let vars = &formulation.vars;
    let price = park.carbon_price_cny_per_t;
    let mut books = Books::default();
    books.edges(park, graph, vars, values);
    let projects = books.projects(park, vars, values);
    let baseline = Totals::from_ledger(&baseline_ledger(park), price);
    let plan_totals = Totals::from_ledger(&books.ledger, price);
    let change = plan_totals.minus(&baseline);
    let kpis = kpis(
        park,
        &books.outlets,
        &books.links,
        &baseline,
        &plan_totals,
        books.capex,
        books.annualised_capex,
    );
    let targets = results(park, &kpis, &plan_totals);
    Plan {
        ecopark_version: env!("CARGO_PKG_VERSION").to_string(),
        park: park.name.clone(),
        carbon_price_cny_per_t: price,
        grid_factor_t_per_mwh: park.grid_factor_t_per_mwh,
        solver,
        problem: ProblemSize {
            candidate_links: graph.link_count() + graph.dominated_links_dropped,
            dominated_links_dropped: graph.dominated_links_dropped,
            model: formulation.model.size(),
        },
        baseline,
        plan: plan_totals,
        change,
        kpis,
        projects,
        links: books.links,
        today_outlet: books.outlets,
        market_sales: books.market_sales,
        heat_supply: books.heat_supply,
        targets,
    }
}

//! The independent check of a plan against its park.
//!
//! `verify` reads nothing from the MILP: it takes the plan's flows as
//! written in `plan.json`, re-derives every route, distance, temperature and
//! loss from the park file and the library, checks every balance, capacity
//! and range rule, and recomputes the cost and CO2 of the plan and of
//! today's park from the flows alone. A plan that passes is physically and
//! economically what it claims to be, whatever the solver did.

use super::plan::{self, LinkResult, Plan, ProjectResult, Totals, FLOW_EPSILON};
use super::targets;
use crate::candidates::{route::Obstacles, Endpoint};
use crate::economics::baseline_ledger;
use crate::economics::{self, Category, Ledger};
use crate::library::TechnologyKind;
use crate::park::{Park, Project};
use rebuild::rebuild_link;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

mod rebuild;
mod stated;

/// The family of rules a violation breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Each entry of a plan list appears once.
    Unique,
    /// The plan is for this park, at its carbon price.
    Park,
    /// A link can exist: its endpoints, mode, what it carries, its route,
    /// range and delivered temperature, re-derived from the park.
    Route,
    /// A link's flow within its capacity, its delivery after losses, and
    /// whether it is built.
    LinkFlow,
    /// Heat links running at once fit each end's MW rating.
    HeatPower,
    /// Every tonne of waste goes over a link or to today's outlet.
    WasteBalance,
    /// A heat source sends no more than it has.
    HeatSource,
    /// A heat user's demand is met, recovered plus current supply.
    HeatDemand,
    /// A material user takes no more than it can.
    MaterialDemand,
    /// A project: listed, within capacity, built when it runs, its inputs
    /// and outputs by its yield.
    Project,
    /// An item's stated cost and CO2 are what its flows give.
    ItemCost,
    /// The plan's and today's totals, the solver's objective and the
    /// headline rates, recomputed from the flows.
    Totals,
    /// The park's `[targets]`, judged on the recomputed figures.
    Target,
    /// What the solver says of itself (termination, bound, gap), which
    /// cannot be re-derived: consistent with the plan and with itself.
    Claims,
}

/// One rule a plan breaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The rule's family.
    pub rule: Rule,
    /// What is wrong, one sentence naming the entity and the numbers.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The outcome of a verification: every violation found.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// What is wrong, in the order the rules were checked.
    pub violations: Vec<Violation>,
    /// Number of rules checked.
    pub checks: usize,
}

impl Verification {
    /// Whether the plan passed.
    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }

    /// The violations' messages, joined by `separator`.
    pub fn messages(&self, separator: &str) -> String {
        let messages: Vec<&str> = self.violations.iter().map(|v| v.message.as_str()).collect();
        messages.join(separator)
    }

    fn check(&mut self, rule: Rule, ok: bool, message: impl FnOnce() -> String) {
        self.checks += 1;
        if !ok {
            self.violations.push(Violation {
                rule,
                message: message(),
            });
        }
    }
}

/// Equal within rounding: 1e-6 relative plus `absolute`.
fn close(a: f64, b: f64, absolute: f64) -> bool {
    (a - b).abs() <= absolute + 1e-6 * a.abs().max(b.abs())
}

/// Checks `plan` against `park`.
pub fn verify(plan: &Plan, park: &Park) -> Verification {
    let mut verifier = Verifier::new(plan, park);
    verifier.identity();
    for link in &plan.links {
        verifier.link(link);
    }
    verifier.heat_power();
    verifier.wastes();
    verifier.heat_sources();
    verifier.heat_demands();
    verifier.material_demands();
    verifier.projects();
    verifier.totals();
    verifier.v
}

/// Checks a plan read from a file against `park`: everything [`verify`]
/// checks, and the problem statistics the plan states, against the model
/// built again from the park. A plan straight from the solver needs only
/// [`verify`]; one that has been on disk may have been edited anywhere.
pub fn verify_stored(plan: &Plan, park: &Park) -> Verification {
    let mut verification = verify(plan, park);
    stated::problem(&mut verification, plan, park);
    verification
}

/// A verification under way: the plan and park, the verdicts so far, and
/// what the plan's items add up to, recomputed from their flows.
struct Verifier<'a> {
    plan: &'a Plan,
    park: &'a Park,
    v: Verification,
    obstacles: Obstacles,
    /// Cost and CO2 of every item, from the flows.
    ledger: Ledger,
    /// Units per endpoint: sent out and delivered in.
    sent_from: BTreeMap<Endpoint, f64>,
    delivered_to: BTreeMap<Endpoint, f64>,
    /// Average MW of heat links per endpoint: sent out and delivered in.
    power_out: BTreeMap<Endpoint, f64>,
    power_in: BTreeMap<Endpoint, f64>,
    capex: f64,
    annualised: f64,
}

impl<'a> Verifier<'a> {
    fn new(plan: &'a Plan, park: &'a Park) -> Verifier<'a> {
        Verifier {
            plan,
            park,
            v: Verification::default(),
            obstacles: Obstacles::from_zones(&park.zones),
            ledger: Ledger::default(),
            sent_from: BTreeMap::new(),
            delivered_to: BTreeMap::new(),
            power_out: BTreeMap::new(),
            power_in: BTreeMap::new(),
            capex: 0.0,
            annualised: 0.0,
        }
    }

    /// Every list entry once; the plan is this park's, at its price.
    fn identity(&mut self) {
        let (plan, park, v) = (self.plan, self.park, &mut self.v);
        let links = plan.links.iter();
        check_unique(
            v,
            "links",
            links.map(|l| format!("{} → {} by {}", l.from_id, l.to_id, l.mode)),
        );
        let outlets = plan.today_outlet.iter().map(|d| d.waste.clone());
        check_unique(v, "today_outlet", outlets);
        let sales = plan.market_sales.iter().map(|s| s.project.clone());
        check_unique(v, "market_sales", sales);
        let supplies = plan.heat_supply.iter().map(|h| h.demand.clone());
        check_unique(v, "heat_supply", supplies);
        check_unique(v, "projects", plan.projects.iter().map(|p| p.id.clone()));
        v.check(Rule::Park, plan.park == park.name, || {
            format!("plan is for park '{}', not '{}'", plan.park, park.name)
        });
        let price = park.carbon_price_cny_per_t;
        v.check(Rule::Park, plan.carbon_price_cny_per_t == price, || {
            format!(
                "plan used carbon price {} CNY/t, the park sets {price}",
                plan.carbon_price_cny_per_t
            )
        });
    }

    /// One link: re-derived from the park, within its capacity, delivered
    /// after losses, built when its mode needs building, costed.
    fn link(&mut self, link: &LinkResult) {
        let park = self.park;
        let name = format!("link {} → {} by {}", link.from_id, link.to_id, link.mode);
        let Some(candidate) = rebuild_link(park, link, &self.obstacles, &mut self.v, &name) else {
            return;
        };
        let v = &mut self.v;
        let mode = &park.library.transport[&link.mode];
        let (max_flow, capacity_mw) = crate::graph::link_capacity(park, &candidate);
        let fits = link.sent >= 0.0 && link.sent <= max_flow * (1.0 + 1e-6) + 1e-3;
        v.check(Rule::LinkFlow, fits, || {
            format!(
                "{name}: sends {} but can carry at most {max_flow:.3} {}",
                link.sent, link.unit
            )
        });
        let arrives = link.sent * candidate.delivery_factor;
        v.check(Rule::LinkFlow, close(link.delivered, arrives, 2e-3), || {
            format!(
                "{name}: delivers {} but {} sent over {:.3} km arrives as {arrives:.3}",
                link.delivered, link.sent, candidate.distance_km,
            )
        });
        let fixed = economics::link_fixed_per_year(park, mode, candidate.distance_km, capacity_mw);
        let needs_building = fixed.cost() > 0.0;
        v.check(
            Rule::LinkFlow,
            link.built == needs_building || link.sent == 0.0,
            || {
                format!(
                    "{name}: marked built = {} but the mode {} building",
                    link.built,
                    if needs_building { "needs" } else { "needs no" }
                )
            },
        );
        let mut link_ledger = economics::link_per_unit(park, &candidate) * link.sent;
        let mut link_capex = 0.0;
        if link.built {
            link_ledger += fixed;
            link_capex = economics::link_capex_cny(mode, candidate.distance_km, capacity_mw);
            self.capex += link_capex;
            self.annualised += park.annualise(link_capex, mode.lifetime_years);
        }
        stated::link(v, park, &name, link, &candidate, link_capex);
        check_item(
            v,
            &name,
            link.annual_cost_cny_per_year,
            link.co2_t_per_year,
            &link_ledger,
        );
        let virgin = Category::AvoidedVirgin;
        let stated_virgin = close(
            link.avoided_virgin_cny_per_year,
            link_ledger.cost_of(virgin),
            1.0,
        ) && close(
            link.avoided_virgin_co2_t_per_year,
            link_ledger.co2_of(virgin),
            0.01,
        );
        v.check(Rule::ItemCost, stated_virgin, || {
            format!("{name}: avoided virgin material stated differs from the recomputed")
        });
        self.ledger += link_ledger;
        *self.sent_from.entry(candidate.from).or_default() += link.sent;
        *self.delivered_to.entry(candidate.to).or_default() += link.delivered;
        if let Some(hours) = crate::graph::link_hours(park, &candidate).filter(|h| *h > 0.0) {
            *self.power_out.entry(candidate.from).or_default() += link.sent / hours;
            *self.power_in.entry(candidate.to).or_default() += link.delivered / hours;
        }
    }

    /// Heat links running at once fit each end's MW rating.
    fn heat_power(&mut self) {
        let (park, v) = (self.park, &mut self.v);
        for (endpoint, mw) in &self.power_out {
            let rating = crate::graph::sender_rating(park, *endpoint).0;
            v.check(Rule::HeatPower, *mw <= rating * (1.0 + 1e-6) + 1e-6, || {
                format!(
                    "{} sends {mw:.3} MW of heat at once, more than its {rating} MW",
                    endpoint.id(park)
                )
            });
        }
        for (endpoint, mw) in &self.power_in {
            let rating = crate::graph::receiver_rating(park, *endpoint).0;
            v.check(Rule::HeatPower, *mw <= rating * (1.0 + 1e-6) + 1e-6, || {
                format!(
                    "{} receives {mw:.3} MW of heat at once, more than its {rating} MW",
                    endpoint.id(park)
                )
            });
        }
    }

    /// Units an endpoint sends over links (`sent_from`) or receives.
    fn total(map: &BTreeMap<Endpoint, f64>, endpoint: Endpoint) -> f64 {
        map.get(&endpoint).copied().unwrap_or(0.0)
    }

    /// Waste: links plus today's outlet make up what is produced.
    fn wastes(&mut self) {
        let (plan, park, v) = (self.plan, self.park, &mut self.v);
        let left: BTreeMap<&str, &plan::OutletResult> = plan
            .today_outlet
            .iter()
            .map(|o| (o.waste.as_str(), o))
            .collect();
        for name in left.keys() {
            v.check(
                Rule::WasteBalance,
                park.wastes.iter().any(|w| w.id == *name),
                || format!("today_outlet names unknown waste '{name}'"),
            );
        }
        for (i, waste) in park.wastes.iter().enumerate() {
            let out = Self::total(&self.sent_from, Endpoint::Waste(i));
            let outlet = left.get(waste.id.as_str());
            let kept = outlet.map_or(0.0, |o| o.t_per_year);
            let expected_outlet = plan::outlet_name(&waste.today);
            let same_outlet = outlet.is_none_or(|o| o.outlet == expected_outlet);
            v.check(Rule::WasteBalance, same_outlet, || {
                format!(
                    "waste '{}': today's outlet is {expected_outlet}, the plan says otherwise",
                    waste.id
                )
            });
            v.check(Rule::WasteBalance, kept >= 0.0, || {
                format!(
                    "waste '{}': negative tonnage {kept} on today's outlet",
                    waste.id
                )
            });
            v.check(
                Rule::WasteBalance,
                close(out + kept, waste.t_per_year, 1e-2),
                || {
                    format!(
                        "waste '{}': {out} t/yr linked + {kept} t/yr to today's {expected_outlet} ≠ {} t/yr produced",
                        waste.id, waste.t_per_year
                    )
                },
            );
            let outlet_ledger = economics::today_outlet_per_t(waste) * kept;
            if let Some(o) = outlet {
                check_item(
                    v,
                    &format!("today's outlet of '{}'", waste.id),
                    o.cost_cny_per_year,
                    o.co2_t_per_year,
                    &outlet_ledger,
                );
            }
            self.ledger += outlet_ledger;
        }
    }

    /// Heat sources: no more than they have.
    fn heat_sources(&mut self) {
        for (i, source) in self.park.heat_sources.iter().enumerate() {
            let out = Self::total(&self.sent_from, Endpoint::HeatSource(i));
            let available = source.mwh_per_year();
            let within = out <= available * (1.0 + 1e-6) + 1e-2;
            self.v.check(Rule::HeatSource, within, || {
                format!(
                    "heat_source '{}': sends {out} MWh/yr of {available} available",
                    source.id
                )
            });
        }
    }

    /// Heat users: recovered plus current supply meets the demand.
    fn heat_demands(&mut self) {
        let (plan, park, v) = (self.plan, self.park, &mut self.v);
        let supplied: BTreeMap<&str, f64> = plan
            .heat_supply
            .iter()
            .map(|h| (h.demand.as_str(), h.mwh_per_year))
            .collect();
        for (i, demand) in park.heat_demands.iter().enumerate() {
            let recovered = Self::total(&self.delivered_to, Endpoint::HeatDemand(i));
            let current = supplied.get(demand.id.as_str()).copied().unwrap_or(0.0);
            v.check(Rule::HeatDemand, current >= 0.0, || {
                format!("heat_demand '{}': negative current supply", demand.id)
            });
            let wanted = demand.mwh_per_year();
            v.check(
                Rule::HeatDemand,
                close(recovered + current, wanted, 1e-2),
                || {
                    format!(
                        "heat_demand '{}': {recovered} MWh recovered + {current} MWh current supply ≠ {wanted} MWh demand",
                        demand.id
                    )
                },
            );
            let supply_ledger = economics::current_supply_per_mwh(park, demand) * current;
            if let Some(supply) = plan.heat_supply.iter().find(|h| h.demand == demand.id) {
                v.check(
                    Rule::HeatDemand,
                    supply.supply == demand.current_supply,
                    || {
                        format!(
                            "heat supply of '{}': '{}' stated, the user's current supply is '{}'",
                            demand.id, supply.supply, demand.current_supply
                        )
                    },
                );
                check_item(
                    v,
                    &format!("heat supply of '{}'", demand.id),
                    supply.cost_cny_per_year,
                    supply.co2_t_per_year,
                    &supply_ledger,
                );
            }
            self.ledger += supply_ledger;
        }
    }

    /// Material users: no more than they take.
    fn material_demands(&mut self) {
        for (i, demand) in self.park.material_demands.iter().enumerate() {
            let taken = Self::total(&self.delivered_to, Endpoint::MaterialDemand(i));
            let within = taken <= demand.max_t_per_year * (1.0 + 1e-6) + 1e-2;
            self.v.check(Rule::MaterialDemand, within, || {
                format!(
                    "material_demand '{}': takes {taken} t/yr, more than its {} t/yr",
                    demand.id, demand.max_t_per_year
                )
            });
        }
    }

    /// Projects: every one listed, each checked and costed with its sales.
    fn projects(&mut self) {
        let (plan, park) = (self.plan, self.park);
        let listed = plan.projects.len() == park.projects.len();
        self.v.check(Rule::Project, listed, || {
            format!(
                "plan lists {} projects, the park has {}",
                plan.projects.len(),
                park.projects.len()
            )
        });
        let sold: BTreeMap<&str, f64> = plan
            .market_sales
            .iter()
            .map(|s| (s.project.as_str(), s.t_per_year))
            .collect();
        for (i, project) in park.projects.iter().enumerate() {
            let Some(result) = plan.projects.iter().find(|p| p.id == project.id) else {
                self.v.check(Rule::Project, false, || {
                    format!("project '{}' is missing from the plan", project.id)
                });
                continue;
            };
            let sales = sold.get(project.id.as_str()).copied().unwrap_or(0.0);
            stated::project(&mut self.v, park, project, result);
            self.project(i, project, result, sales);
            self.market_sale(project, sales);
        }
    }

    /// One project: capacity, built when it runs, inputs and outputs by
    /// its yield, its stated cost.
    fn project(&mut self, i: usize, project: &Project, result: &ProjectResult, sales: f64) {
        let park = self.park;
        let technology = project.technology(&park.library);
        let x = result.throughput;
        let name = format!("project '{}'", project.id);
        let capacity = project.max_throughput_per_year();
        let v = &mut self.v;
        v.check(Rule::Project, x <= capacity * (1.0 + 1e-6) + 1e-3, || {
            format!("{name}: throughput {x} exceeds capacity {capacity}")
        });
        v.check(Rule::Project, result.built || x <= FLOW_EPSILON, || {
            format!("{name}: runs ({x}) without being built")
        });
        let input = Self::total(&self.delivered_to, Endpoint::Project(i));
        let input_share = match project.kind {
            TechnologyKind::HeatPump => economics::heat_pump_source_share(park, project),
            _ => 1.0,
        };
        v.check(Rule::Project, close(input, x * input_share, 1e-2), || {
            format!(
                "{name}: receives {input} but throughput {x} needs {}",
                x * input_share
            )
        });
        let out = Self::total(&self.sent_from, Endpoint::Project(i)) + sales;
        let expected_out = match project.kind {
            TechnologyKind::Material => x * technology.yield_t_per_t.unwrap_or(0.0),
            TechnologyKind::HeatPump => x,
            TechnologyKind::Power => 0.0,
        };
        v.check(Rule::Project, close(out, expected_out, 1e-2), || {
            format!("{name}: ships and sells {out} but makes {expected_out}")
        });
        let mut project_ledger = economics::project_per_unit(park, project) * x;
        if result.built {
            project_ledger += economics::project_fixed_per_year(park, project);
            self.capex += project.capex_cny;
            self.annualised += park.annualise(project.capex_cny, project.lifetime_years);
        }
        check_item(
            v,
            &name,
            result.annual_cost_cny_per_year,
            result.co2_t_per_year,
            &project_ledger,
        );
        self.ledger += project_ledger;
    }

    /// A project's sales on the outside market, costed.
    fn market_sale(&mut self, project: &Project, sales: f64) {
        let v = &mut self.v;
        v.check(Rule::Project, sales >= 0.0, || {
            format!("project '{}': negative market sale {sales}", project.id)
        });
        let sale_ledger = economics::market_sale_per_unit(project) * sales;
        let stated = self
            .plan
            .market_sales
            .iter()
            .find(|s| s.project == project.id);
        if let Some(sale) = stated {
            v.check(Rule::Project, sale.product == project.product, || {
                format!(
                    "market sale of '{}': product '{}' stated, the project makes '{}'",
                    project.id, sale.product, project.product
                )
            });
            check_item(
                v,
                &format!("market sale of '{}'", project.id),
                -sale.revenue_cny_per_year,
                sale.co2_t_per_year,
                &sale_ledger,
            );
        }
        self.ledger += sale_ledger;
    }

    /// Money and carbon, recomputed from the flows alone; the headline
    /// rates and the park's targets judged on them.
    fn totals(&mut self) {
        let (plan, park, v) = (self.plan, self.park, &mut self.v);
        let price = park.carbon_price_cny_per_t;
        let recomputed = Totals::from_ledger(&self.ledger, price);
        stated::totals(v, "plan", &plan.plan, &recomputed);
        let baseline = Totals::from_ledger(&baseline_ledger(park), price);
        stated::totals(v, "baseline", &plan.baseline, &baseline);
        stated::totals(v, "change", &plan.change, &recomputed.minus(&baseline));
        stated::claims(v, plan, park, recomputed.objective_cny_per_year);
        let kpis = plan::kpis(
            park,
            &plan.today_outlet,
            &plan.links,
            &baseline,
            &recomputed,
            self.capex,
            self.annualised,
        );
        stated::kpis(v, &plan.kpis, &kpis);
        let targets = targets::results(park, &kpis, &recomputed);
        stated::targets(v, &plan.targets, &targets);
        for target in &targets {
            v.check(Rule::Target, target.met, || {
                format!(
                    "target {} = {} is not met: the plan reaches {}",
                    target.field, target.asked, target.reached
                )
            });
        }
    }
}

/// An item's stated annual cost and CO2 match its recomputed ledger.
fn check_item(v: &mut Verification, name: &str, cost: f64, co2: f64, ledger: &Ledger) {
    v.check(
        Rule::ItemCost,
        close(cost, ledger.cost(), 1.0) && close(co2, ledger.co2(), 0.01),
        || {
            format!(
            "{name}: states {cost:.2} CNY/yr and {co2:.3} t CO2/yr, the flows give {:.2} and {:.3}",
            ledger.cost(),
            ledger.co2()
        )
        },
    );
}

/// Each entry of a plan list appears once.
fn check_unique(v: &mut Verification, list: &str, keys: impl Iterator<Item = String>) {
    let mut seen = std::collections::BTreeSet::new();
    for key in keys {
        let first = seen.insert(key.clone());
        v.check(Rule::Unique, first, || {
            format!("{list}: '{key}' appears more than once")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny_with;
    use crate::solve::SolverConfig;

    /// tiny with two 4,000-hour steam users (5 MW and 8 MW) on the 10 MW source.
    fn two_users() -> Park {
        let second = "\n[[heat_demand]]\nid = \"kiln-steam\"\nplant = \"cement\"\nmw = 8\ntemperature_c = 150\nhours_per_year = 4000\ncurrent_supply = \"gas_boiler\"\n";
        tiny_with(&[
            (
                "hours_per_year = 8000\ncurrent_supply",
                "hours_per_year = 4000\ncurrent_supply",
            ),
            (
                "\n[[material_demand]]",
                &format!("{second}\n[[material_demand]]"),
            ),
        ])
    }

    #[test]
    fn the_optimum_respects_the_sources_mw_and_verifies() {
        let park = two_users();
        let result = crate::pipeline::optimise(&park, &SolverConfig::default()).unwrap();
        let plan = result.plan.unwrap();
        assert!(verify(&plan, &park).passed());
        let heat: f64 = plan
            .links
            .iter()
            .filter(|l| l.unit == "mwh_per_year")
            .map(|l| l.sent)
            .sum();
        // 10 MW over the users' 4,000 h, though 80,000 MWh are available over the year.
        assert!((heat - 40_000.0).abs() < 1e-3, "{heat}");
    }

    #[test]
    fn heat_beyond_the_sources_mw_is_caught() {
        let park = two_users();
        let result = crate::pipeline::optimise(&park, &SolverConfig::default()).unwrap();
        let mut plan = result.plan.unwrap();
        for link in plan.links.iter_mut().filter(|l| l.unit == "mwh_per_year") {
            let full = if link.to_id == "kiln-steam" {
                32_000.0
            } else {
                20_000.0
            };
            link.sent = full;
            link.delivered = full;
        }
        let violations = verify(&plan, &park).messages("\n");
        assert!(
            violations.contains("flue-heat sends 13.000 MW of heat at once, more than its 10 MW"),
            "{violations}"
        );
    }
}

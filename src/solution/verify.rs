//! The independent check of a plan against its park.
//!
//! `verify` reads nothing from the MILP: it takes the plan's flows as
//! written in `plan.json`, re-derives every route, distance, temperature and
//! loss from the park file and the library, checks every balance, capacity
//! and range rule, and recomputes the cost and CO2 of the plan and of
//! today's park from the flows alone. A plan that passes is physically and
//! economically what it claims to be, whatever the solver did.

use super::plan::{self, Plan, Totals, FLOW_EPSILON};
use super::targets;
use crate::candidates::{self, route::route, route::Obstacles, Candidate, Endpoint};
use crate::economics::baseline_ledger;
use crate::economics::{self, Ledger};
use crate::library::{Carrier, TechnologyKind};
use crate::park::Park;
use std::collections::BTreeMap;

/// The outcome of a verification: every violation found.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// What is wrong, one sentence each.
    pub violations: Vec<String>,
    /// Number of rules checked.
    pub checks: usize,
}

impl Verification {
    /// Whether the plan passed.
    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }

    fn check(&mut self, ok: bool, message: impl FnOnce() -> String) {
        self.checks += 1;
        if !ok {
            self.violations.push(message());
        }
    }
}

/// Equal within rounding: 1e-6 relative plus `absolute`.
fn close(a: f64, b: f64, absolute: f64) -> bool {
    (a - b).abs() <= absolute + 1e-6 * a.abs().max(b.abs())
}

/// Checks `plan` against `park`.
pub fn verify(plan: &Plan, park: &Park) -> Verification {
    let mut v = Verification::default();
    let obstacles = Obstacles::from_zones(&park.zones);
    let price = park.carbon_price_cny_per_t;
    let mut ledger = Ledger::default();
    // Units per endpoint: sent out and delivered in.
    let mut sent_from: BTreeMap<Endpoint, f64> = BTreeMap::new();
    let mut delivered_to: BTreeMap<Endpoint, f64> = BTreeMap::new();
    // Average MW of heat links per endpoint: sent out and delivered in.
    let mut power_out: BTreeMap<Endpoint, f64> = BTreeMap::new();
    let mut power_in: BTreeMap<Endpoint, f64> = BTreeMap::new();
    let mut capex = 0.0;
    let mut annualised = 0.0;
    check_unique(
        &mut v,
        "links",
        plan.links
            .iter()
            .map(|l| format!("{} → {} by {}", l.from_id, l.to_id, l.mode)),
    );
    check_unique(
        &mut v,
        "today_outlet",
        plan.today_outlet.iter().map(|d| d.waste.clone()),
    );
    check_unique(
        &mut v,
        "market_sales",
        plan.market_sales.iter().map(|s| s.project.clone()),
    );
    check_unique(
        &mut v,
        "heat_supply",
        plan.heat_supply.iter().map(|h| h.demand.clone()),
    );
    check_unique(
        &mut v,
        "projects",
        plan.projects.iter().map(|p| p.id.clone()),
    );

    v.check(plan.park == park.name, || {
        format!("plan is for park '{}', not '{}'", plan.park, park.name)
    });
    v.check(plan.carbon_price_cny_per_t == price, || {
        format!(
            "plan used carbon price {} CNY/t, the park sets {price}",
            plan.carbon_price_cny_per_t
        )
    });

    for link in &plan.links {
        let name = format!("link {} → {} by {}", link.from_id, link.to_id, link.mode);
        let Some(candidate) = rebuild_link(park, link, &obstacles, &mut v, &name) else {
            continue;
        };
        let mode = &park.library.transport[&link.mode];
        let (max_flow, capacity_mw) = crate::graph::link_capacity(park, &candidate);
        v.check(
            link.sent >= 0.0 && link.sent <= max_flow * (1.0 + 1e-6) + 1e-3,
            || {
                format!(
                    "{name}: sends {} but can carry at most {max_flow:.3} {}",
                    link.sent, link.unit
                )
            },
        );
        v.check(
            close(link.delivered, link.sent * candidate.delivery_factor, 2e-3),
            || {
                format!(
                    "{name}: delivers {} but {} sent over {:.3} km arrives as {:.3}",
                    link.delivered,
                    link.sent,
                    candidate.distance_km,
                    link.sent * candidate.delivery_factor
                )
            },
        );
        let fixed = economics::link_fixed_per_year(park, mode, candidate.distance_km, capacity_mw);
        let needs_building = fixed.cost() > 0.0;
        v.check(link.built == needs_building || link.sent == 0.0, || {
            format!(
                "{name}: marked built = {} but the mode {} building",
                link.built,
                if needs_building { "needs" } else { "needs no" }
            )
        });
        let mut link_ledger = economics::link_per_unit(park, &candidate) * link.sent;
        if link.built {
            link_ledger += fixed;
            let link_capex = economics::link_capex_cny(mode, candidate.distance_km, capacity_mw);
            capex += link_capex;
            annualised += park.annualise(link_capex, mode.lifetime_years);
        }
        check_item(
            &mut v,
            &name,
            link.annual_cost_cny_per_year,
            link.co2_t_per_year,
            &link_ledger,
        );
        let virgin = crate::economics::Category::AvoidedVirgin;
        v.check(
            close(
                link.avoided_virgin_cny_per_year,
                link_ledger.cost_of(virgin),
                1.0,
            ) && close(
                link.avoided_virgin_co2_t_per_year,
                link_ledger.co2_of(virgin),
                0.01,
            ),
            || format!("{name}: avoided virgin material stated differs from the recomputed"),
        );
        ledger += link_ledger;
        *sent_from.entry(candidate.from).or_default() += link.sent;
        *delivered_to.entry(candidate.to).or_default() += link.delivered;
        if let Some(hours) = crate::graph::link_hours(park, &candidate).filter(|h| *h > 0.0) {
            *power_out.entry(candidate.from).or_default() += link.sent / hours;
            *power_in.entry(candidate.to).or_default() += link.delivered / hours;
        }
    }
    // Links running at once fit each end's MW rating.
    for (endpoint, mw) in &power_out {
        let rating = crate::graph::sender_rating(park, *endpoint).0;
        v.check(*mw <= rating * (1.0 + 1e-6) + 1e-6, || {
            format!(
                "{} sends {mw:.3} MW of heat at once, more than its {rating} MW",
                endpoint.id(park)
            )
        });
    }
    for (endpoint, mw) in &power_in {
        let rating = crate::graph::receiver_rating(park, *endpoint).0;
        v.check(*mw <= rating * (1.0 + 1e-6) + 1e-6, || {
            format!(
                "{} receives {mw:.3} MW of heat at once, more than its {rating} MW",
                endpoint.id(park)
            )
        });
    }

    // Waste: links + today's outlet = production.
    let left: BTreeMap<&str, &plan::OutletResult> = plan
        .today_outlet
        .iter()
        .map(|o| (o.waste.as_str(), o))
        .collect();
    for name in left.keys() {
        v.check(park.wastes.iter().any(|w| w.id == *name), || {
            format!("today_outlet names unknown waste '{name}'")
        });
    }
    for (i, waste) in park.wastes.iter().enumerate() {
        let out = sent_from.get(&Endpoint::Waste(i)).copied().unwrap_or(0.0);
        let outlet = left.get(waste.id.as_str());
        let kept = outlet.map_or(0.0, |o| o.t_per_year);
        let expected_outlet = plan::outlet_name(&waste.today);
        v.check(outlet.is_none_or(|o| o.outlet == expected_outlet), || {
            format!(
                "waste '{}': today's outlet is {expected_outlet}, the plan says otherwise",
                waste.id
            )
        });
        v.check(kept >= 0.0, || {
            format!(
                "waste '{}': negative tonnage {kept} on today's outlet",
                waste.id
            )
        });
        v.check(close(out + kept, waste.t_per_year, 1e-2), || {
            format!(
                "waste '{}': {out} t/yr linked + {kept} t/yr to today's {expected_outlet} ≠ {} t/yr produced",
                waste.id, waste.t_per_year
            )
        });
        let outlet_ledger = economics::today_outlet_per_t(waste) * kept;
        if let Some(o) = outlet {
            check_item(
                &mut v,
                &format!("today's outlet of '{}'", waste.id),
                o.cost_cny_per_year,
                o.co2_t_per_year,
                &outlet_ledger,
            );
        }
        ledger += outlet_ledger;
    }
    // Heat sources: no more than available.
    for (i, source) in park.heat_sources.iter().enumerate() {
        let out = sent_from
            .get(&Endpoint::HeatSource(i))
            .copied()
            .unwrap_or(0.0);
        v.check(out <= source.mwh_per_year() * (1.0 + 1e-6) + 1e-2, || {
            format!(
                "heat_source '{}': sends {out} MWh/yr of {} available",
                source.id,
                source.mwh_per_year()
            )
        });
    }
    // Heat demands: recovered + current supply = demand.
    let supplied: BTreeMap<&str, f64> = plan
        .heat_supply
        .iter()
        .map(|h| (h.demand.as_str(), h.mwh_per_year))
        .collect();
    for (i, demand) in park.heat_demands.iter().enumerate() {
        let recovered = delivered_to
            .get(&Endpoint::HeatDemand(i))
            .copied()
            .unwrap_or(0.0);
        let current = supplied.get(demand.id.as_str()).copied().unwrap_or(0.0);
        v.check(current >= 0.0, || {
            format!("heat_demand '{}': negative current supply", demand.id)
        });
        v.check(close(recovered + current, demand.mwh_per_year(), 1e-2), || {
            format!(
                "heat_demand '{}': {recovered} MWh recovered + {current} MWh current supply ≠ {} MWh demand",
                demand.id,
                demand.mwh_per_year()
            )
        });
        let supply_ledger = economics::current_supply_per_mwh(park, demand) * current;
        if let Some(supply) = plan.heat_supply.iter().find(|h| h.demand == demand.id) {
            check_item(
                &mut v,
                &format!("heat supply of '{}'", demand.id),
                supply.cost_cny_per_year,
                supply.co2_t_per_year,
                &supply_ledger,
            );
        }
        ledger += supply_ledger;
    }
    // Material demands: no more than they take.
    for (i, demand) in park.material_demands.iter().enumerate() {
        let taken = delivered_to
            .get(&Endpoint::MaterialDemand(i))
            .copied()
            .unwrap_or(0.0);
        v.check(taken <= demand.max_t_per_year * (1.0 + 1e-6) + 1e-2, || {
            format!(
                "material_demand '{}': takes {taken} t/yr, more than its {} t/yr",
                demand.id, demand.max_t_per_year
            )
        });
    }
    // Projects: inputs, outputs, capacity, built.
    let sold: BTreeMap<&str, f64> = plan
        .market_sales
        .iter()
        .map(|s| (s.project.as_str(), s.t_per_year))
        .collect();
    v.check(plan.projects.len() == park.projects.len(), || {
        format!(
            "plan lists {} projects, the park has {}",
            plan.projects.len(),
            park.projects.len()
        )
    });
    for (i, project) in park.projects.iter().enumerate() {
        let Some(result) = plan.projects.iter().find(|p| p.id == project.id) else {
            v.check(false, || {
                format!("project '{}' is missing from the plan", project.id)
            });
            continue;
        };
        let technology = project.technology(&park.library);
        let x = result.throughput;
        let name = format!("project '{}'", project.id);
        v.check(
            x <= project.max_throughput_per_year() * (1.0 + 1e-6) + 1e-3,
            || {
                format!(
                    "{name}: throughput {x} exceeds capacity {}",
                    project.max_throughput_per_year()
                )
            },
        );
        v.check(result.built || x <= FLOW_EPSILON, || {
            format!("{name}: runs ({x}) without being built")
        });
        let input = delivered_to
            .get(&Endpoint::Project(i))
            .copied()
            .unwrap_or(0.0);
        let input_share = match project.kind {
            TechnologyKind::HeatPump => economics::heat_pump_source_share(park, project),
            _ => 1.0,
        };
        v.check(close(input, x * input_share, 1e-2), || {
            format!(
                "{name}: receives {input} but throughput {x} needs {}",
                x * input_share
            )
        });
        let out = sent_from.get(&Endpoint::Project(i)).copied().unwrap_or(0.0)
            + sold.get(project.id.as_str()).copied().unwrap_or(0.0);
        let expected_out = match project.kind {
            TechnologyKind::Material => x * technology.yield_t_per_t.unwrap_or(0.0),
            TechnologyKind::HeatPump => x,
            TechnologyKind::Power => 0.0,
        };
        v.check(close(out, expected_out, 1e-2), || {
            format!("{name}: ships and sells {out} but makes {expected_out}")
        });
        let mut project_ledger = economics::project_per_unit(park, project) * x;
        if result.built {
            project_ledger += economics::project_fixed_per_year(park, project);
            capex += project.capex_cny;
            annualised += park.annualise(project.capex_cny, project.lifetime_years);
        }
        check_item(
            &mut v,
            &name,
            result.annual_cost_cny_per_year,
            result.co2_t_per_year,
            &project_ledger,
        );
        ledger += project_ledger;
        let sales = sold.get(project.id.as_str()).copied().unwrap_or(0.0);
        v.check(sales >= 0.0, || {
            format!("{name}: negative market sale {sales}")
        });
        let sale_ledger = economics::market_sale_per_unit(project) * sales;
        if let Some(sale) = plan.market_sales.iter().find(|s| s.project == project.id) {
            check_item(
                &mut v,
                &format!("market sale of '{}'", project.id),
                -sale.revenue_cny_per_year,
                sale.co2_t_per_year,
                &sale_ledger,
            );
        }
        ledger += sale_ledger;
    }

    // Money and carbon, recomputed from flows alone.
    let recomputed = Totals::from_ledger(&ledger, price);
    compare_totals(&mut v, "plan", &plan.plan, &recomputed);
    let baseline = Totals::from_ledger(&baseline_ledger(park), price);
    compare_totals(&mut v, "baseline", &plan.baseline, &baseline);
    if let Some(objective) = plan.solver.objective_cny_per_year {
        v.check(close(objective, recomputed.objective_cny_per_year, 1.0), || {
            format!(
                "the solver's objective {objective:.2} CNY/yr differs from the plan's recomputed {:.2}",
                recomputed.objective_cny_per_year
            )
        });
    }
    let kpis = plan::kpis(
        park,
        &plan.today_outlet,
        &plan.links,
        &baseline,
        &recomputed,
        capex,
        annualised,
    );
    v.check(
        close(
            kpis.solid_waste_utilisation_rate,
            plan.kpis.solid_waste_utilisation_rate,
            1e-5,
        ),
        || {
            format!(
                "solid-waste utilisation rate {} stated, {} recomputed",
                plan.kpis.solid_waste_utilisation_rate, kpis.solid_waste_utilisation_rate
            )
        },
    );
    v.check(
        close(
            kpis.waste_heat_recovery_rate,
            plan.kpis.waste_heat_recovery_rate,
            1e-5,
        ),
        || {
            format!(
                "waste-heat recovery rate {} stated, {} recomputed",
                plan.kpis.waste_heat_recovery_rate, kpis.waste_heat_recovery_rate
            )
        },
    );
    v.check(close(kpis.capex_cny, plan.kpis.capex_cny, 1.0), || {
        format!(
            "capex {} stated, {} recomputed",
            plan.kpis.capex_cny, kpis.capex_cny
        )
    });
    // The park's targets, judged on the recomputed figures, not the plan's.
    for target in targets::results(park, &kpis, &recomputed) {
        v.check(target.met, || {
            format!(
                "target {} = {} is not met: the plan reaches {}",
                target.field, target.asked, target.reached
            )
        });
    }
    v
}

/// An item's stated annual cost and CO2 match its recomputed ledger.
fn check_item(v: &mut Verification, name: &str, cost: f64, co2: f64, ledger: &Ledger) {
    v.check(
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
        v.check(first, || format!("{list}: '{key}' appears more than once"));
    }
}

fn compare_totals(v: &mut Verification, what: &str, stated: &Totals, recomputed: &Totals) {
    v.check(
        close(stated.cost_cny_per_year, recomputed.cost_cny_per_year, 1.0),
        || {
            format!(
                "{what} cost {:.2} CNY/yr stated, {:.2} recomputed from the flows",
                stated.cost_cny_per_year, recomputed.cost_cny_per_year
            )
        },
    );
    v.check(
        close(stated.co2_t_per_year, recomputed.co2_t_per_year, 0.01),
        || {
            format!(
                "{what} CO2 {:.3} t/yr stated, {:.3} recomputed from the flows",
                stated.co2_t_per_year, recomputed.co2_t_per_year
            )
        },
    );
}

/// Re-derives a plan link from the park: endpoints, compatibility, route,
/// range and temperature. `None` (with violations) when it cannot exist.
fn rebuild_link(
    park: &Park,
    link: &plan::LinkResult,
    obstacles: &Obstacles,
    v: &mut Verification,
    name: &str,
) -> Option<Candidate> {
    let exists = |endpoint: Endpoint, id: &str| {
        let count = match endpoint {
            Endpoint::Waste(_) => park.wastes.len(),
            Endpoint::Project(_) => park.projects.len(),
            Endpoint::MaterialDemand(_) => park.material_demands.len(),
            Endpoint::HeatSource(_) => park.heat_sources.len(),
            Endpoint::HeatDemand(_) => park.heat_demands.len(),
        };
        let index = match endpoint {
            Endpoint::Waste(i)
            | Endpoint::Project(i)
            | Endpoint::MaterialDemand(i)
            | Endpoint::HeatSource(i)
            | Endpoint::HeatDemand(i) => i,
        };
        index < count && endpoint.id(park) == id
    };
    if !exists(link.from, &link.from_id) || !exists(link.to, &link.to_id) {
        v.check(false, || {
            format!("{name}: an endpoint does not exist in the park")
        });
        return None;
    }
    let Some(mode) = park.library.transport.get(&link.mode) else {
        v.check(false, || format!("{name}: unknown transport mode"));
        return None;
    };
    v.check(link.sent >= 0.0, || {
        format!("{name}: negative flow {}", link.sent)
    });
    // What the sender emits and what the receiver accepts.
    let library = &park.library;
    let (sent_material, source_c, approach) = match link.from {
        Endpoint::Waste(i) => (Some(park.wastes[i].kind.clone()), 0.0, 0.0),
        Endpoint::HeatSource(i) => (
            None,
            park.heat_sources[i].temperature_c,
            library.heat.min_approach_c,
        ),
        Endpoint::Project(i) => {
            let project = &park.projects[i];
            match project.kind {
                TechnologyKind::Material => (Some(project.product.clone()), 0.0, 0.0),
                TechnologyKind::HeatPump => (
                    None,
                    project
                        .technology(library)
                        .output_temperature_c
                        .unwrap_or(0.0),
                    0.0,
                ),
                TechnologyKind::Power => {
                    v.check(false, || {
                        format!("{name}: a power project sends nothing along links")
                    });
                    return None;
                }
            }
        }
        _ => {
            v.check(false, || format!("{name}: a user cannot send"));
            return None;
        }
    };
    v.check(
        (mode.carries == Carrier::Material) == sent_material.is_some(),
        || {
            format!(
                "{name}: mode {} cannot carry what the sender sends",
                link.mode
            )
        },
    );
    let material = sent_material.clone().unwrap_or_else(|| match mode.carries {
        Carrier::Steam => "steam".to_string(),
        _ => "hot_water".to_string(),
    });
    v.check(link.carries == material, || {
        format!(
            "{name}: says it carries {} but the sender sends {material}",
            link.carries
        )
    });
    let accepted = match (link.to, &sent_material) {
        (Endpoint::MaterialDemand(i), Some(m)) => park.material_demands[i].accepts.contains(m),
        (Endpoint::Project(i), Some(m)) => {
            let project = &park.projects[i];
            project.kind == TechnologyKind::Material
                && project.technology(library).inputs.contains(m)
        }
        (Endpoint::HeatDemand(_), None) => true,
        (Endpoint::Project(i), None) => {
            park.projects[i].kind != TechnologyKind::Material
                && !matches!(link.from, Endpoint::Project(_))
        }
        _ => false,
    };
    v.check(accepted, || {
        format!("{name}: the receiver does not accept {}", link.carries)
    });
    let Some(path) = route(
        link.from.location(park),
        link.to.location(park),
        obstacles,
        mode.max_distance_km / mode.detour_factor,
    ) else {
        v.check(false, || {
            format!(
                "{name}: no route within the mode's {} km range",
                mode.max_distance_km
            )
        });
        return None;
    };
    let distance_km = path.length_km * mode.detour_factor;
    v.check(distance_km <= mode.max_distance_km * (1.0 + 1e-9), || {
        format!(
            "{name}: route of {distance_km:.3} km exceeds the mode's {} km",
            mode.max_distance_km
        )
    });
    v.check(close(distance_km, link.distance_km, 1e-3), || {
        format!(
            "{name}: stated {} km, the route around exclusion zones is {distance_km:.4} km",
            link.distance_km
        )
    });
    let delivered_temperature = if sent_material.is_none() {
        let required = match link.to {
            Endpoint::HeatDemand(i) => park.heat_demands[i].temperature_c,
            Endpoint::Project(i) => park.projects[i]
                .technology(library)
                .min_source_temperature_c
                .unwrap_or(0.0),
            _ => f64::INFINITY,
        };
        let arrives = candidates::delivered_temperature_c(mode, source_c, approach, distance_km);
        v.check(arrives.is_some_and(|t| t >= required - 1e-9), || {
            format!(
                "{name}: heat arrives at {} °C, the receiver needs {required} °C",
                arrives.map_or("no".to_string(), |t| format!("{t:.1}"))
            )
        });
        arrives
    } else {
        None
    };
    Some(Candidate {
        from: link.from,
        to: link.to,
        mode: link.mode.clone(),
        carrier: mode.carries,
        material,
        route: path,
        distance_km,
        delivered_temperature_c: delivered_temperature,
        delivery_factor: candidates::delivery_factor(mode, distance_km),
    })
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
        let violations = verify(&plan, &park).violations.join("\n");
        assert!(
            violations.contains("flue-heat sends 13.000 MW of heat at once, more than its 10 MW"),
            "{violations}"
        );
    }
}

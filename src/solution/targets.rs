//! Targets out of reach, explained in park terms.
//!
//! When the park's `[targets]` make the MILP infeasible, the elastic model
//! ([`crate::formulation::formulate_elastic`]) finds the plan that comes
//! closest. This module reads that plan: for every target it misses, how
//! far the park can get and what stops it — the waste no receiver in reach
//! accepts, the receivers that are full, the heat nobody near can take,
//! the CO2 that remains, the capital the other targets need.

use crate::candidates::Endpoint;
use crate::formulation::{Formulation, TargetKind};
use crate::graph::FlowGraph;
use crate::park::Park;
use crate::solution::plan::{Kpis, TargetResult};
use crate::solution::{Plan, Totals};
use crate::units::thousands;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Receivers named in a reason before "and N more".
const NAMED: usize = 3;

/// Every target the park sets, against a plan's indicators and totals.
pub fn results(park: &Park, kpis: &Kpis, totals: &Totals) -> Vec<TargetResult> {
    let targets = &park.targets;
    // Shares are rounded to 1e-6 in the plan; caps are met within the
    // solver's feasibility tolerance of their size.
    let share = 2e-6;
    let cap = |asked: f64| 1e-6 * asked.abs().max(1.0) + 1e-3;
    let rows = [
        (
            TargetKind::SolidWasteUtilisation,
            targets.solid_waste_utilisation_min,
            kpis.solid_waste_utilisation_rate,
        ),
        (
            TargetKind::WasteHeatUtilisation,
            targets.waste_heat_utilisation_min,
            kpis.waste_heat_recovery_rate,
        ),
        (
            TargetKind::Co2,
            targets.co2_max_t_per_year,
            totals.co2_t_per_year,
        ),
        (
            TargetKind::CapexBudget,
            targets.capex_budget_cny,
            kpis.capex_cny,
        ),
    ];
    rows.into_iter()
        .filter_map(|(kind, asked, reached)| {
            let asked = asked?;
            let met = match kind {
                TargetKind::SolidWasteUtilisation | TargetKind::WasteHeatUtilisation => {
                    reached >= asked - share
                }
                TargetKind::Co2 | TargetKind::CapexBudget => reached <= asked + cap(asked),
            };
            Some(TargetResult {
                field: kind.field().to_string(),
                asked,
                reached,
                met,
            })
        })
        .collect()
}

/// A target the park cannot meet, with the others met as far as they can be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    /// Which target.
    pub target: TargetKind,
    /// Its field in `[targets]`.
    pub field: &'static str,
    /// The value asked for.
    pub asked: f64,
    /// The best the park reaches (a share, t CO2 per year, or CNY).
    pub reachable: f64,
    /// What limits it, one reason a line, largest first.
    pub limits: Vec<String>,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.target {
            TargetKind::SolidWasteUtilisation => write!(
                f,
                "solid-waste utilisation can reach at most {:.1} % of the {:.1} % target",
                self.reachable * 100.0,
                self.asked * 100.0
            ),
            TargetKind::WasteHeatUtilisation => write!(
                f,
                "waste-heat utilisation can reach at most {:.1} % of the {:.1} % target",
                self.reachable * 100.0,
                self.asked * 100.0
            ),
            TargetKind::Co2 => write!(
                f,
                "CO2 can come down to {} t/yr at best, above the cap of {} t/yr",
                thousands(self.reachable),
                thousands(self.asked)
            ),
            TargetKind::CapexBudget => write!(
                f,
                "meeting the other targets takes {} CNY of capital, over the budget of {} CNY",
                thousands(self.reachable),
                thousands(self.asked)
            ),
        }?;
        for limit in &self.limits {
            write!(f, "\n  - {limit}")?;
        }
        Ok(())
    }
}

/// The targets `closest` (the elastic model's plan, solved on `graph`)
/// misses; `values` are the elastic solution's, read through `elastic`.
pub fn shortfalls(
    park: &Park,
    graph: &FlowGraph,
    elastic: &Formulation,
    values: &[f64],
    closest: &Plan,
) -> Vec<Shortfall> {
    let reach = Reach::of(park, graph, closest);
    elastic
        .targets
        .iter()
        .filter(|row| {
            row.shortfall
                .is_some_and(|s| values[s.0] > 1e-6 * row.scale + 1e-6)
        })
        .map(|row| {
            let (reachable, limits) = match row.kind {
                TargetKind::SolidWasteUtilisation => (
                    closest.kpis.solid_waste_utilisation_rate,
                    waste_limits(park, &reach, closest),
                ),
                TargetKind::WasteHeatUtilisation => (
                    closest.kpis.waste_heat_recovery_rate,
                    heat_limits(park, &reach, closest),
                ),
                TargetKind::Co2 => (closest.plan.co2_t_per_year, co2_limits(closest)),
                TargetKind::CapexBudget => (closest.kpis.capex_cny, capex_limits(closest)),
            };
            Shortfall {
                target: row.kind,
                field: row.kind.field(),
                asked: row.target,
                reachable,
                limits,
            }
        })
        .collect()
}

/// Waste still disposed in the closest plan, by kind: either nothing in
/// reach accepts it, or what does is full.
fn waste_limits(park: &Park, reach: &Reach, closest: &Plan) -> Vec<String> {
    // kind → (t, streams, receivers in reach)
    let mut by_kind: BTreeMap<&str, (f64, Vec<&str>, Vec<&str>)> = BTreeMap::new();
    let index: BTreeMap<&str, usize> = park
        .wastes
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id.as_str(), i))
        .collect();
    for outlet in closest
        .today_outlet
        .iter()
        .filter(|o| o.outlet == "disposal")
    {
        let Some(&w) = index.get(outlet.waste.as_str()) else {
            continue;
        };
        let waste = &park.wastes[w];
        let entry = by_kind.entry(&waste.kind).or_default();
        entry.0 += outlet.t_per_year;
        entry.1.push(&waste.id);
        entry.2.extend(reach.of_sender(Endpoint::Waste(w)));
    }
    let mut limits: Vec<(f64, String)> = by_kind
        .into_iter()
        .map(|(kind, (t, streams, mut receivers))| {
            receivers.sort_unstable();
            receivers.dedup();
            let why = reach.why_not_taken(
                &receivers,
                park,
                "no project or user within reach accepts it",
            );
            (
                t,
                format!(
                    "{} t/yr of {kind} (from {}) stays in disposal: {why}",
                    thousands(t),
                    named(&streams)
                ),
            )
        })
        .collect();
    limits.sort_by(|a, b| b.0.total_cmp(&a.0));
    limits.into_iter().map(|(_, text)| text).collect()
}

/// Heat left unused in the closest plan, by source.
fn heat_limits(park: &Park, reach: &Reach, closest: &Plan) -> Vec<String> {
    let mut limits: Vec<(f64, String)> = park
        .heat_sources
        .iter()
        .enumerate()
        .filter_map(|(i, source)| {
            let unused = source.mwh_per_year() - closest.sent_from(Endpoint::HeatSource(i));
            if unused <= 1.0 {
                return None;
            }
            let receivers = reach.of_sender(Endpoint::HeatSource(i));
            let nobody = format!(
                "no heat user or heat project within a pipe's reach can use heat at {} °C",
                source.temperature_c
            );
            let why = reach.why_not_taken(&receivers, park, &nobody);
            Some((
                unused,
                format!(
                    "{} MWh/yr of heat source '{}' goes unused: {why}",
                    thousands(unused),
                    source.id
                ),
            ))
        })
        .collect();
    limits.sort_by(|a, b| b.0.total_cmp(&a.0));
    limits.into_iter().map(|(_, text)| text).collect()
}

/// What the remaining CO2 is made of, largest first.
fn co2_limits(closest: &Plan) -> Vec<String> {
    let mut parts: Vec<(&String, f64)> = closest
        .plan
        .co2_by_category
        .iter()
        .filter(|(_, t)| **t > 0.5)
        .map(|(category, t)| (category, *t))
        .collect();
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let parts: Vec<String> = parts
        .iter()
        .map(|(category, t)| format!("{} {} t/yr", category.replace('_', " "), thousands(*t)))
        .collect();
    if parts.is_empty() {
        vec!["every abatement within reach is already in the plan".to_string()]
    } else {
        vec![format!(
            "with every option in reach used, what remains is {}",
            parts.join(", ")
        )]
    }
}

/// What the capital of the closest plan goes to, largest first.
fn capex_limits(closest: &Plan) -> Vec<String> {
    let mut items: Vec<(f64, String)> = closest
        .projects
        .iter()
        .filter(|p| p.built && p.capex_cny > 0.0)
        .map(|p| (p.capex_cny, format!("project '{}'", p.id)))
        .chain(
            closest
                .links
                .iter()
                .filter(|l| l.built && l.capex_cny > 0.0)
                .map(|l| {
                    (
                        l.capex_cny,
                        format!("{} link {} → {}", l.mode, l.from_id, l.to_id),
                    )
                }),
        )
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    items
        .into_iter()
        .take(NAMED)
        .map(|(capex, what)| format!("{what}: {} CNY", thousands(capex)))
        .collect()
}

/// Who each sender could reach by some candidate link, and which projects
/// the closest plan leaves unbuilt.
struct Reach<'a> {
    receivers: BTreeMap<Endpoint, Vec<&'a str>>,
    unbuilt: BTreeSet<&'a str>,
}

impl<'a> Reach<'a> {
    fn of(park: &'a Park, graph: &FlowGraph, closest: &'a Plan) -> Reach<'a> {
        let mut receivers: BTreeMap<Endpoint, Vec<&'a str>> = BTreeMap::new();
        for candidate in &graph.candidates {
            receivers
                .entry(candidate.from)
                .or_default()
                .push(candidate.to.id(park));
        }
        for ids in receivers.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        let unbuilt = closest
            .projects
            .iter()
            .filter(|p| !p.built)
            .map(|p| p.id.as_str())
            .collect();
        Reach { receivers, unbuilt }
    }

    /// Ids of the receivers `sender` could reach, sorted.
    fn of_sender(&self, sender: Endpoint) -> Vec<&'a str> {
        self.receivers.get(&sender).cloned().unwrap_or_default()
    }

    /// Why `receivers` take no more: those running are full, and projects
    /// left unbuilt (beyond the capital budget, when there is one);
    /// `nobody` when there is no receiver at all.
    fn why_not_taken(&self, receivers: &[&str], park: &Park, nobody: &str) -> String {
        if receivers.is_empty() {
            return nobody.to_string();
        }
        let (unbuilt, running): (Vec<&str>, Vec<&str>) =
            receivers.iter().partition(|id| self.unbuilt.contains(*id));
        let mut reasons = Vec::new();
        if !running.is_empty() {
            reasons.push(format!(
                "what takes it within reach is full ({})",
                named(&running)
            ));
        }
        if !unbuilt.is_empty() {
            reasons.push(match park.targets.capex_budget_cny {
                Some(budget) => format!(
                    "{} not built: beyond the capital budget of {} CNY",
                    named(&unbuilt),
                    thousands(budget)
                ),
                None => format!("{} not built", named(&unbuilt)),
            });
        }
        reasons.join("; ")
    }
}

/// The first few names, then how many more.
fn named(ids: &[&str]) -> String {
    if ids.len() <= NAMED {
        ids.join(", ")
    } else {
        format!("{} and {} more", ids[..NAMED].join(", "), ids.len() - NAMED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::{optimal_plan, tiny};

    #[test]
    fn the_verifier_rejects_a_plan_that_misses_a_target() {
        let park = tiny();
        let plan = optimal_plan(&park);
        assert!(crate::solution::verify(&plan, &park).passed());
        let mut with_budget = park.clone();
        with_budget.targets.capex_budget_cny = Some(1_000_000.0);
        let verification = crate::solution::verify(&plan, &with_budget);
        assert!(!verification.passed());
        assert!(
            verification
                .violations
                .iter()
                .any(|v| v.message.contains("capex_budget_cny")),
            "{:?}",
            verification.violations
        );
    }

    #[test]
    fn results_compare_each_target_in_its_direction() {
        let park = tiny();
        let plan = optimal_plan(&park);
        let mut targets = park.clone();
        targets.targets.solid_waste_utilisation_min = Some(1.0);
        targets.targets.waste_heat_utilisation_min = Some(0.6);
        targets.targets.co2_max_t_per_year = Some(-24_000.0);
        let met: Vec<(String, bool)> = results(&targets, &plan.kpis, &plan.plan)
            .into_iter()
            .map(|r| (r.field, r.met))
            .collect();
        assert_eq!(
            met,
            [
                ("solid_waste_utilisation_min".to_string(), true),
                ("waste_heat_utilisation_min".to_string(), false),
                ("co2_max_t_per_year".to_string(), true),
            ]
        );
    }
}

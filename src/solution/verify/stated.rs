//! The numbers a plan states beside its flows, each compared with what the
//! flows and the park give.
//!
//! A plan's flows are what the verifier checks the park's physics and
//! money against; everything else in `plan.json` — a link's route, unit,
//! delivered temperature and capex, a project's names, product and capex,
//! the totals by category, the change against today, every indicator and
//! target — is derived from those flows. A report shows all of it, so all
//! of it is recomputed here: a plan edited by hand fails verification on
//! the first number that does not follow from its flows. What the solver
//! says of itself (termination, bound, gap) cannot be re-derived; it is
//! checked for consistency with the plan and shown as the solver's claim.

use super::{close, Rule, Verification};
use crate::candidates::{self, Candidate};
use crate::formulation;
use crate::graph::{FlowGraph, Pruning};
use crate::park::{Park, Project};
use crate::solution::plan::{
    flow_unit, product_per_throughput, replaces_t_per_year, throughput_unit, Kpis, LinkResult,
    Plan, ProjectResult, TargetResult, Totals, FLOW_EPSILON,
};
use crate::solve::{relative_gap, Termination};
use crate::units::round;
use std::collections::BTreeMap;

/// A link's unit, route, delivered temperature and capex against the
/// link re-derived from the park; `capex` is what it costs to build when
/// the plan builds it, 0 otherwise.
pub(super) fn link(
    v: &mut Verification,
    park: &Park,
    name: &str,
    link: &LinkResult,
    candidate: &Candidate,
    capex: f64,
) {
    let unit = flow_unit(candidate.carrier);
    v.check(Rule::Route, link.unit == unit, || {
        format!(
            "{name}: unit '{}' stated, the mode carries {unit}",
            link.unit
        )
    });
    let derived = &candidate.route.points;
    let same_route = link.route.len() == derived.len()
        && link
            .route
            .iter()
            .zip(derived)
            .all(|(a, b)| close(a[0], b[0], 1e-9) && close(a[1], b[1], 1e-9));
    v.check(Rule::Route, same_route, || {
        format!(
            "{name}: the stated route ({} vertices) is not the route around the exclusion zones ({} vertices)",
            link.route.len(),
            derived.len()
        )
    });
    let temperature = candidate.delivered_temperature_c.map(|t| round(t, 2));
    let same_temperature = match (link.delivered_temperature_c, temperature) {
        (None, None) => true,
        (Some(stated), Some(derived)) => close(stated, derived, 0.01),
        _ => false,
    };
    v.check(Rule::Route, same_temperature, || {
        format!(
            "{name}: delivered temperature {} stated, the route gives {}",
            shown(link.delivered_temperature_c, " °C"),
            shown(temperature, " °C")
        )
    });
    let replaces = replaces_t_per_year(park, link.to, &candidate.material, link.sent);
    let same_replaced = match (link.replaces_t_per_year, replaces) {
        (None, None) => true,
        (Some(stated), Some(derived)) => close(stated, derived, 1e-2),
        _ => false,
    };
    v.check(Rule::ItemCost, same_replaced, || {
        format!(
            "{name}: replaces {} stated, {} from what it sends",
            shown(link.replaces_t_per_year, " t/yr of virgin material"),
            shown(replaces, " t/yr")
        )
    });
    v.check(Rule::ItemCost, close(link.capex_cny, capex, 1.0), || {
        format!(
            "{name}: capex {:.2} CNY stated, building it costs {capex:.2}",
            link.capex_cny
        )
    });
}

/// A project's names, units, product and capex against the park's.
pub(super) fn project(
    v: &mut Verification,
    park: &Park,
    project: &Project,
    result: &ProjectResult,
) {
    let name = format!("project '{}'", project.id);
    let texts = [
        ("name", result.name.as_str(), project.name.as_str()),
        ("technology", &result.technology, &project.technology),
        ("product", &result.product, &project.product),
        (
            "throughput_unit",
            &result.throughput_unit,
            throughput_unit(project.kind),
        ),
    ];
    for (field, stated, park_says) in texts {
        v.check(Rule::Project, stated == park_says, || {
            format!("{name}: {field} '{stated}' stated, the park says '{park_says}'")
        });
    }
    let technology = project.technology(&park.library);
    let made = result.throughput * product_per_throughput(project.kind, technology);
    let made = if made.abs() < FLOW_EPSILON { 0.0 } else { made };
    let capex = if result.built { project.capex_cny } else { 0.0 };
    let numbers = [
        (
            "max_throughput",
            result.max_throughput,
            project.max_throughput_per_year(),
            1e-3,
        ),
        ("product_output", result.product_output, made, 1e-2),
        ("capex_cny", result.capex_cny, capex, 1.0),
    ];
    for (field, stated, derived, absolute) in numbers {
        v.check(Rule::Project, close(stated, derived, absolute), || {
            format!("{name}: {field} {stated} stated, {derived} from its throughput and the park")
        });
    }
}

/// Money and carbon of a state of the park: totals, the objective and
/// every category.
pub(super) fn totals(v: &mut Verification, what: &str, stated: &Totals, recomputed: &Totals) {
    let headline = [
        (
            "cost",
            "CNY/yr",
            stated.cost_cny_per_year,
            recomputed.cost_cny_per_year,
            1.0,
        ),
        (
            "CO2",
            "t/yr",
            stated.co2_t_per_year,
            recomputed.co2_t_per_year,
            0.01,
        ),
        (
            "objective",
            "CNY/yr",
            stated.objective_cny_per_year,
            recomputed.objective_cny_per_year,
            1.0,
        ),
    ];
    for (field, unit, stated, recomputed, absolute) in headline {
        v.check(Rule::Totals, close(stated, recomputed, absolute), || {
            format!("{what} {field} {stated:.2} {unit} stated, {recomputed:.2} recomputed from the flows")
        });
    }
    categories(
        v,
        what,
        "cost_by_category",
        "CNY/yr",
        &stated.cost_by_category,
        &recomputed.cost_by_category,
        1.0,
    );
    categories(
        v,
        what,
        "co2_by_category",
        "t/yr",
        &stated.co2_by_category,
        &recomputed.co2_by_category,
        0.01,
    );
}

/// One breakdown by category: the same categories, each within `absolute`.
fn categories(
    v: &mut Verification,
    what: &str,
    field: &str,
    unit: &str,
    stated: &BTreeMap<String, f64>,
    recomputed: &BTreeMap<String, f64>,
    absolute: f64,
) {
    let same_keys = stated.keys().eq(recomputed.keys());
    v.check(Rule::Totals, same_keys, || {
        let names: Vec<&str> = recomputed.keys().map(String::as_str).collect();
        format!(
            "{what} {field}: the categories are not {}",
            names.join(", ")
        )
    });
    for (category, derived) in recomputed {
        let Some(given) = stated.get(category) else {
            continue;
        };
        v.check(Rule::Totals, close(*given, *derived, absolute), || {
            format!("{what} {field}.{category} {given:.2} {unit} stated, {derived:.2} recomputed from the flows")
        });
    }
}

/// Every headline indicator against the one recomputed from the flows.
pub(super) fn kpis(v: &mut Verification, stated: &Kpis, recomputed: &Kpis) {
    let numbers = [
        (
            "waste_t_per_year",
            stated.waste_t_per_year,
            recomputed.waste_t_per_year,
            1e-2,
        ),
        (
            "waste_used_t_per_year",
            stated.waste_used_t_per_year,
            recomputed.waste_used_t_per_year,
            1e-2,
        ),
        (
            "solid_waste_utilisation_rate",
            stated.solid_waste_utilisation_rate,
            recomputed.solid_waste_utilisation_rate,
            1e-5,
        ),
        (
            "baseline_solid_waste_utilisation_rate",
            stated.baseline_solid_waste_utilisation_rate,
            recomputed.baseline_solid_waste_utilisation_rate,
            1e-5,
        ),
        (
            "waste_heat_mwh_per_year",
            stated.waste_heat_mwh_per_year,
            recomputed.waste_heat_mwh_per_year,
            1e-2,
        ),
        (
            "waste_heat_used_mwh_per_year",
            stated.waste_heat_used_mwh_per_year,
            recomputed.waste_heat_used_mwh_per_year,
            1e-2,
        ),
        (
            "waste_heat_recovery_rate",
            stated.waste_heat_recovery_rate,
            recomputed.waste_heat_recovery_rate,
            1e-5,
        ),
        ("capex_cny", stated.capex_cny, recomputed.capex_cny, 1.0),
        (
            "annualised_capex_cny_per_year",
            stated.annualised_capex_cny_per_year,
            recomputed.annualised_capex_cny_per_year,
            1.0,
        ),
        (
            "operating_saving_cny_per_year",
            stated.operating_saving_cny_per_year,
            recomputed.operating_saving_cny_per_year,
            1.0,
        ),
        (
            "co2_reduction_t_per_year",
            stated.co2_reduction_t_per_year,
            recomputed.co2_reduction_t_per_year,
            0.01,
        ),
    ];
    for (field, stated, recomputed, absolute) in numbers {
        v.check(Rule::Totals, close(stated, recomputed, absolute), || {
            format!("kpis.{field} {stated} stated, {recomputed} recomputed from the flows")
        });
    }
    let payback = match (stated.simple_payback_years, recomputed.simple_payback_years) {
        (None, None) => true,
        (Some(stated), Some(recomputed)) => close(stated, recomputed, 0.01),
        _ => false,
    };
    v.check(Rule::Totals, payback, || {
        format!(
            "kpis.simple_payback_years {} stated, {} recomputed from the flows",
            shown(stated.simple_payback_years, " years"),
            shown(recomputed.simple_payback_years, " years")
        )
    });
}

/// The park's targets as the plan states them against the recomputed ones.
pub(super) fn targets(v: &mut Verification, stated: &[TargetResult], recomputed: &[TargetResult]) {
    let same = stated.len() == recomputed.len()
        && stated.iter().zip(recomputed).all(|(a, b)| {
            a.field == b.field
                && a.met == b.met
                && close(a.asked, b.asked, 1e-6)
                && close(a.reached, b.reached, 1e-2)
        });
    v.check(Rule::Target, same, || {
        let list = |targets: &[TargetResult]| {
            let rows: Vec<String> = targets
                .iter()
                .map(|t| format!("{} {} (met: {})", t.field, t.reached, t.met))
                .collect();
            format!("[{}]", rows.join("; "))
        };
        format!(
            "targets {} stated, {} recomputed from the flows",
            list(stated),
            list(recomputed)
        )
    });
}

/// The plan's own figures that are not flows: its grid factor is the
/// park's, and the solver's claims agree with the plan and each other.
pub(super) fn claims(v: &mut Verification, plan: &Plan, park: &Park, objective: f64) {
    let factor = park.grid_factor_t_per_mwh;
    v.check(
        Rule::Park,
        close(plan.grid_factor_t_per_mwh, factor, 1e-9),
        || {
            format!(
                "plan used grid factor {} t CO2/MWh, the park's is {factor}",
                plan.grid_factor_t_per_mwh
            )
        },
    );
    let s = &plan.solver;
    let with_plan = matches!(
        s.termination,
        Termination::Optimal
            | Termination::GapLimit
            | Termination::TimeLimit
            | Termination::OtherLimit
    );
    v.check(Rule::Claims, s.has_plan && with_plan, || {
        format!(
            "the solver's record says '{}' (has_plan {}), which cannot come with a plan",
            s.termination, s.has_plan
        )
    });
    if let Some(stated) = s.objective_cny_per_year {
        v.check(Rule::Claims, close(stated, objective, 1.0), || {
            format!(
                "the solver's objective {stated:.2} CNY/yr differs from the plan's recomputed {objective:.2}"
            )
        });
    }
    // The bound and gap are the solver's own numbers, so they are held to
    // its objective (itself held to the recomputed one above).
    let objective = s.objective_cny_per_year.unwrap_or(objective);
    if let Some(bound) = s.best_bound_cny_per_year {
        v.check(Rule::Claims, bound <= objective + 1.0 + 1e-6 * objective.abs(), || {
            format!("the solver's bound {bound:.2} CNY/yr lies above the plan's objective {objective:.2}: no plan costs less than the best one")
        });
        if let Some(gap) = s.gap {
            let derived = relative_gap(objective, bound);
            v.check(Rule::Claims, close(gap, derived, 1e-6), || {
                format!("the solver's gap {gap} is not that of its bound and the plan's objective ({derived:.6})")
            });
        }
    }
    let sizes = [
        ("gap", s.gap.unwrap_or(0.0)),
        ("requested_gap", s.requested_gap.unwrap_or(0.0)),
    ];
    for (field, value) in sizes {
        v.check(Rule::Claims, (0.0..=1.0).contains(&value), || {
            format!("the solver's {field} {value} is not a fraction")
        });
    }
    // "Optimal" and "gap limit reached" are said of a park only when its
    // gap is within the one asked for (a hundredth of it spare for the
    // backends' own gap arithmetic).
    if let (true, Some(gap), Some(asked)) = (
        matches!(s.termination, Termination::Optimal | Termination::GapLimit),
        s.gap,
        s.requested_gap,
    ) {
        v.check(Rule::Claims, gap <= asked * 1.01 + 1e-6, || {
            format!(
                "the solver's record says '{}' with a gap of {gap}, wider than the {asked} asked for",
                s.termination
            )
        });
    }
    let version = &plan.ecopark_version;
    let plausible = (1..=64).contains(&version.len())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+-".contains(c));
    v.check(Rule::Park, plausible, || {
        format!(
            "ecopark_version '{}' is not a version (at most 64 letters, digits, '.', '+', '-')",
            crate::text::abbreviated(version)
        )
    });
    let by_backend: usize = s.components_by_backend.values().sum();
    v.check(
        Rule::Claims,
        s.components >= 1 && by_backend == s.components && s.resumed_components <= s.components,
        || {
            format!(
                "the solver's record counts {} components, {by_backend} by backend and {} resumed",
                s.components, s.resumed_components
            )
        },
    );
}

/// The problem statistics a plan states (candidate links, links dropped
/// as dominated, the model's size) against the model built again from
/// the park.
pub(super) fn problem(v: &mut Verification, plan: &Plan, park: &Park) {
    let graph = FlowGraph::build_pruned(park, candidates::generate(park), Pruning::DropDominated);
    let model = formulation::formulate(park, &graph).model.size();
    let stated = &plan.problem;
    let counts = [
        (
            "candidate_links",
            stated.candidate_links,
            graph.link_count() + graph.dominated_links_dropped,
        ),
        (
            "dominated_links_dropped",
            stated.dominated_links_dropped,
            graph.dominated_links_dropped,
        ),
        ("model.variables", stated.model.variables, model.variables),
        ("model.binaries", stated.model.binaries, model.binaries),
        (
            "model.constraints",
            stated.model.constraints,
            model.constraints,
        ),
        ("model.nonzeros", stated.model.nonzeros, model.nonzeros),
    ];
    for (field, stated, built) in counts {
        v.check(Rule::Claims, stated == built, || {
            format!("problem.{field} {stated} stated, the park's model has {built}")
        });
    }
}

/// An optional number for a message: the value and unit, or "none".
fn shown(value: Option<f64>, unit: &str) -> String {
    value.map_or_else(|| "none".to_string(), |x| format!("{x}{unit}"))
}

#[cfg(test)]
mod tests {
    use super::super::verify_stored;
    use crate::park::testing::tiny;
    use crate::solution::plan::TargetResult;
    use crate::solution::Plan;
    use crate::solve::{SolverConfig, Termination};

    type Edit = fn(&mut Plan);

    /// Every number a report shows, edited one at a time; each edit must
    /// fail verification with a message naming what was edited.
    const EDITS: &[(&str, Edit)] = &[
        ("plan objective", |p| p.plan.objective_cny_per_year *= 3.0),
        ("plan cost_by_category", |p| {
            *p.plan.cost_by_category.values_mut().next().unwrap() -= 1e6
        }),
        ("plan co2_by_category", |p| {
            *p.plan.co2_by_category.values_mut().next().unwrap() -= 10.0
        }),
        ("baseline objective", |p| {
            p.baseline.objective_cny_per_year = 0.0
        }),
        ("change cost", |p| p.change.cost_cny_per_year = -1_069e6),
        ("change CO2", |p| p.change.co2_t_per_year -= 5.0),
        ("change cost_by_category", |p| {
            p.change.cost_by_category.insert("invented".into(), 1.0);
        }),
        ("capex_cny 0", |p| p.projects[0].capex_cny = 0.0),
        ("product_output", |p| p.projects[0].product_output *= 2.0),
        ("name 'Classifier", |p| {
            p.projects[0].name = "Classifier".into()
        }),
        ("stated route (0 vertices)", |p| p.links[0].route.clear()),
        ("stated route (1 vertices)", |p| {
            p.links[0].route = vec![[1e308, 1e308]]
        }),
        ("stated route (3 vertices)", |p| {
            let far = [118.0, 39.0];
            p.links[0].route.insert(1, far)
        }),
        ("delivered temperature none", |p| {
            p.links
                .iter_mut()
                .for_each(|l| l.delivered_temperature_c = None)
        }),
        ("delivered temperature 999", |p| {
            p.links
                .iter_mut()
                .for_each(|l| l.delivered_temperature_c = l.delivered_temperature_c.map(|_| 999.0))
        }),
        ("unit 'mwh_per_year'", |p| {
            p.links[0].unit = "mwh_per_year".into()
        }),
        ("capex 100.00 CNY stated", |p| {
            p.links
                .iter_mut()
                .for_each(|l| l.capex_cny = l.capex_cny.max(100.0))
        }),
        ("says 'infeasible'", |p| {
            p.solver.termination = Termination::Infeasible
        }),
        ("the solver's gap 0.5", |p| p.solver.gap = Some(0.5)),
        ("the solver's bound", |p| {
            p.solver.best_bound_cny_per_year = Some(1e12)
        }),
        ("the solver's objective", |p| {
            p.solver.objective_cny_per_year = Some(-9.99e12)
        }),
        ("kpis.simple_payback_years 0", |p| {
            p.kpis.simple_payback_years = Some(0.0)
        }),
        ("kpis.simple_payback_years none", |p| {
            p.kpis.simple_payback_years = None
        }),
        ("kpis.operating_saving_cny_per_year", |p| {
            p.kpis.operating_saving_cny_per_year *= 3.0
        }),
        ("kpis.solid_waste_utilisation_rate 7.5", |p| {
            p.kpis.solid_waste_utilisation_rate = 7.5
        }),
        ("kpis.co2_reduction_t_per_year", |p| {
            p.kpis.co2_reduction_t_per_year = 1e9
        }),
        ("grid factor 0", |p| p.grid_factor_t_per_mwh = 0.0),
        ("problem.candidate_links", |p| {
            p.problem.candidate_links += 100
        }),
        ("problem.model.variables", |p| p.problem.model.variables = 1),
        ("the solver's record counts", |p| p.solver.components = 0),
        ("with a gap of 0.3, wider than", |p| {
            p.solver.gap = Some(0.3)
        }),
        ("ecopark_version '9.9.9", |p| {
            p.ecopark_version = "9.9.9 \u{1b}[31m".into()
        }),
        ("targets [co2_max_t_per_year", |p| {
            p.targets.push(TargetResult {
                field: "co2_max_t_per_year".into(),
                asked: 1.0,
                reached: 0.0,
                met: true,
            })
        }),
    ];

    #[test]
    fn every_shown_number_edited_is_caught() {
        let park = tiny();
        let result = crate::pipeline::optimise(&park, &SolverConfig::default()).unwrap();
        let plan = result.plan.unwrap();
        let checked = verify_stored(&plan, &park);
        assert!(checked.passed(), "{}", checked.messages("\n"));
        for (expected, edit) in EDITS {
            let mut edited = plan.clone();
            edit(&mut edited);
            assert_ne!(edited, plan, "the edit '{expected}' changed nothing");
            let messages = verify_stored(&edited, &park).messages("\n");
            assert!(
                messages.contains(expected),
                "editing '{expected}' gave:\n{messages}"
            );
        }
    }
}

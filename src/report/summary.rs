//! The readable summary `solve` prints: status, cost and CO2 against
//! today's park, what to build, what flows where, and the headline rates.
//! It goes to a terminal, so every name and id in it is
//! [printable](crate::text::printable): an escape sequence in a park's
//! name is shown, not obeyed.

use crate::solution::Plan;
use crate::text::printable;
use crate::units::thousands;
use std::fmt::Write;

/// CNY as millions with two decimals.
pub fn millions(cny: f64) -> String {
    format!("{:.2}", cny / 1e6)
}

/// A fraction as a percentage with one decimal.
pub fn percent(fraction: f64) -> String {
    format!("{:.1} %", fraction * 100.0)
}

/// A plan.json unit name as people write it (`t_per_year` → `t/yr`).
pub fn unit_label(unit: &str) -> &str {
    match unit {
        "t_per_year" => "t/yr",
        "mwh_per_year" => "MWh/yr",
        other => other,
    }
}

/// The plan summary, several lines.
pub fn summary(plan: &Plan, solve_seconds: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "ecopark plan for {}", printable(&plan.park));
    let _ = writeln!(out, "{}", solver_line(plan, solve_seconds));
    let _ = writeln!(out, "{}", problem_line(plan));
    write_totals(&mut out, plan);
    write_targets(&mut out, plan);
    write_projects(&mut out, plan);
    write_links(&mut out, plan);
    write_left_as_today(&mut out, plan);
    out
}

/// `solver: …`: backend, termination, gap (relative and absolute), the
/// gap asked for, the best bound and the time taken.
fn solver_line(plan: &Plan, solve_seconds: f64) -> String {
    let s = &plan.solver;
    // The absolute gap too: a park's relative gap is the sum of its
    // components' absolute gaps over the size of the sum.
    let gap = match (s.gap, s.absolute_gap_cny_per_year()) {
        (Some(g), Some(absolute)) => {
            format!(", gap {:.4} % ({} M CNY/yr)", g * 100.0, millions(absolute))
        }
        (Some(g), None) => format!(", gap {:.4} %", g * 100.0),
        _ => String::new(),
    };
    let asked = s
        .requested_gap
        .map_or(String::new(), |g| format!(" (asked {:.4} %)", g * 100.0));
    let bound = s.best_bound_cny_per_year.map_or(String::new(), |b| {
        format!(", bound {} M CNY/yr", millions(b))
    });
    format!(
        "solver: {}, {}{gap}{asked}{bound}, {solve_seconds:.2} s",
        s.backend, s.termination
    )
}

/// `problem: …`: candidate links, model size and, when the park fell
/// apart, its independent components.
fn problem_line(plan: &Plan) -> String {
    format!(
        "problem: {} candidate links{}; {} variables ({} binary), {} constraints{}",
        plan.problem.candidate_links,
        match plan.problem.dominated_links_dropped {
            0 => String::new(),
            dropped => format!(" ({dropped} dominated, left out)"),
        },
        plan.problem.model.variables,
        plan.problem.model.binaries,
        plan.problem.model.constraints,
        components_note(plan)
    )
}

/// The tail of the problem line on independent components: empty for a
/// park solved whole; otherwise how many, the largest, which backend took
/// how many, and how many were solved again to hold the park's gap.
fn components_note(plan: &Plan) -> String {
    let s = &plan.solver;
    if s.components <= 1 {
        return String::new();
    }
    format!(
        "; {} independent components solved apart (largest {} variables{}{})",
        s.components,
        s.largest_component_variables,
        match s.components_by_backend.len() {
            0 | 1 => String::new(),
            _ => format!(
                "; {}",
                s.components_by_backend
                    .iter()
                    .map(|(backend, n)| format!("{n} by {backend}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        match s.resumed_components {
            0 => String::new(),
            n => format!("; {n} solved again to hold the park's gap"),
        }
    )
}

/// The table of today, plan and change: cost, CO2, the objective, the
/// headline rates, then capital cost and payback. Starts with a blank line.
fn write_totals(out: &mut String, plan: &Plan) {
    let _ = writeln!(out);
    let (b, p, c) = (&plan.baseline, &plan.plan, &plan.change);
    let _ = writeln!(
        out,
        "{:<36} {:>14} {:>14} {:>14}",
        "", "today", "plan", "change"
    );
    let _ = writeln!(
        out,
        "{:<36} {:>14} {:>14} {:>14}",
        "annual cost, M CNY/yr",
        millions(b.cost_cny_per_year),
        millions(p.cost_cny_per_year),
        millions(c.cost_cny_per_year)
    );
    let _ = writeln!(
        out,
        "{:<36} {:>14} {:>14} {:>14}",
        "CO2, t/yr",
        thousands(b.co2_t_per_year),
        thousands(p.co2_t_per_year),
        thousands(c.co2_t_per_year)
    );
    let _ = writeln!(
        out,
        "{:<36} {:>14} {:>14} {:>14}",
        format!(
            "cost + CO2 at {} CNY/t, M CNY/yr",
            plan.carbon_price_cny_per_t
        ),
        millions(b.objective_cny_per_year),
        millions(p.objective_cny_per_year),
        millions(c.objective_cny_per_year)
    );
    let k = &plan.kpis;
    let _ = writeln!(
        out,
        "{:<36} {:>14} {:>14}",
        "solid-waste utilisation rate",
        percent(k.baseline_solid_waste_utilisation_rate),
        percent(k.solid_waste_utilisation_rate)
    );
    let _ = writeln!(
        out,
        "{:<36} {:>14} {:>14}",
        "waste-heat recovery rate",
        percent(0.0),
        percent(k.waste_heat_recovery_rate)
    );
    let payback = k
        .simple_payback_years
        .map_or("none".to_string(), |y| format!("{y:.1} years"));
    let _ = writeln!(
        out,
        "capital cost {} M CNY; simple payback {payback}",
        millions(k.capex_cny)
    );
}

/// One line per target the park sets: asked, reached, met or not.
fn write_targets(out: &mut String, plan: &Plan) {
    for target in &plan.targets {
        let (asked, reached) = match target.field.as_str() {
            "solid_waste_utilisation_min" | "waste_heat_utilisation_min" => {
                (percent(target.asked), percent(target.reached))
            }
            _ => (thousands(target.asked), thousands(target.reached)),
        };
        let _ = writeln!(
            out,
            "target {} {asked}: {} ({reached})",
            target.field,
            if target.met { "met" } else { "NOT met" }
        );
    }
}

/// `projects to build`: each built project's load, product and capex.
fn write_projects(out: &mut String, plan: &Plan) {
    let built: Vec<_> = plan.projects.iter().filter(|p| p.built).collect();
    let _ = writeln!(
        out,
        "\nprojects to build ({} of {}):",
        built.len(),
        plan.projects.len()
    );
    if built.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for project in built {
        let _ = writeln!(
            out,
            "  {} ({}): {} of {} {} → {} {}; capex {} M CNY",
            printable(&project.id),
            printable(&project.technology),
            thousands(project.throughput),
            thousands(project.max_throughput),
            unit_label(&project.throughput_unit),
            thousands(project.product_output),
            printable(&project.product),
            millions(project.capex_cny)
        );
    }
}

/// `links`: what flows where, by which mode, how far, how hot on arrival.
fn write_links(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "\nlinks ({}):", plan.links.len());
    if plan.links.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for link in &plan.links {
        let detour = if link.route.len() > 2 {
            ", around an exclusion zone"
        } else {
            ""
        };
        let temperature = link
            .delivered_temperature_c
            .map_or(String::new(), |t| format!(", arrives at {t:.0} °C"));
        let _ = writeln!(
            out,
            "  {} → {} by {}: {} {} of {}, {:.2} km{detour}{temperature}",
            printable(&link.from_id),
            printable(&link.to_id),
            printable(&link.mode),
            thousands(link.sent),
            unit_label(&link.unit),
            printable(&link.carries),
            link.distance_km
        );
    }
}

/// What the plan leaves as it is today: wastes still going to today's
/// outlet and heat still from the current supply (each section only when
/// there is something in it).
fn write_left_as_today(out: &mut String, plan: &Plan) {
    if !plan.today_outlet.is_empty() {
        let _ = writeln!(out, "\nstill going where it goes today:");
        for o in &plan.today_outlet {
            let _ = writeln!(
                out,
                "  {}: {} t/yr to {}",
                printable(&o.waste),
                thousands(o.t_per_year),
                printable(&o.outlet)
            );
        }
    }
    if !plan.heat_supply.is_empty() {
        let _ = writeln!(out, "\nheat still from current supply:");
        for h in &plan.heat_supply {
            let _ = writeln!(
                out,
                "  {} ({}): {} MWh/yr",
                printable(&h.demand),
                printable(&h.supply),
                thousands(h.mwh_per_year)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_gap_is_given_in_yuan_too() {
        let park = crate::park::testing::tiny();
        let mut plan = crate::park::testing::optimal_plan(&park);
        plan.solver.objective_cny_per_year = Some(-10_000_000.0);
        plan.solver.best_bound_cny_per_year = Some(-12_000_000.0);
        plan.solver.gap = Some(0.2);
        let text = super::summary(&plan, 1.0);
        assert!(text.contains("gap 20.0000 % (2.00 M CNY/yr)"), "{text}");
    }

    #[test]
    fn escape_sequences_in_names_are_shown_not_obeyed() {
        let park = crate::park::testing::tiny();
        let mut plan = crate::park::testing::optimal_plan(&park);
        plan.park = "tiny\u{1b}]0;owned\u{7}\r\nverified independently: 999 checks passed".into();
        let text = super::summary(&plan, 1.0);
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text}");
        assert!(
            text.starts_with(
                "ecopark plan for tiny\\u{1b}]0;owned\\u{7}\\r\\nverified independently"
            ),
            "{text}"
        );
    }
}

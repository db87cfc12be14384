//! The cost–CO2 Pareto front by the ε-constraint method: minimise cost
//! subject to CO2 ≤ ε over a grid between the cost-optimal and the
//! CO2-optimal plans, plus the two extremes; for each step the projects and
//! links that change and the marginal abatement cost; the knee marked.

use super::*;
use serde::Serialize;

/// One point of the front.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParetoPoint {
    /// CO2 cap used (none for the cost-optimal end), t per year.
    pub co2_cap_t_per_year: Option<f64>,
    /// Annual cost, CNY per year.
    pub cost_cny_per_year: f64,
    /// CO2, t per year.
    pub co2_t_per_year: f64,
    /// Projects built.
    pub projects: Vec<String>,
    /// Projects built here but not at the previous point.
    pub projects_added: Vec<String>,
    /// Projects built at the previous point but not here.
    pub projects_dropped: Vec<String>,
    /// Links used here but not at the previous point.
    pub links_added: Vec<String>,
    /// Links used at the previous point but not here.
    pub links_dropped: Vec<String>,
    /// Extra cost per tonne of CO2 avoided from the previous point, CNY per t.
    pub marginal_abatement_cost_cny_per_t: Option<f64>,
    /// Whether this is the knee (the point farthest from the line joining the ends).
    pub knee: bool,
}

/// The front, from the cost-optimal to the CO2-optimal plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParetoFront {
    /// Park name.
    pub park: String,
    /// Points, CO2 falling.
    pub points: Vec<ParetoPoint>,
    /// Interior caps the solver could not solve (left out of the front), with why.
    pub skipped: Vec<SkippedPoint>,
}

/// An interior point of the grid left out of the front.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedPoint {
    /// The CO2 cap, t per year.
    pub co2_cap_t_per_year: f64,
    /// Why it has no plan.
    pub reason: String,
}

/// The most points a front may have: each is a solve of the park, and a
/// thousand already draws a smooth curve.
pub const MAX_POINTS: usize = 1_000;

/// Computes the front with `points` points (at least 2: the two ends, at
/// most [`MAX_POINTS`]).
pub fn pareto(
    park: &Park,
    config: &SolverConfig,
    points: usize,
) -> Result<ParetoFront, AnalysisError> {
    if !(2..=MAX_POINTS).contains(&points) {
        return Err(AnalysisError::Invalid(format!(
            "--points must be from 2 to {MAX_POINTS}, got {points}"
        )));
    }
    let prepared = Prepared::new(park, Pruning::DropDominated, config)?;
    let ends = in_parallel(&[Objective::Cost, Objective::Co2], |&objective| {
        let variant = Variant {
            objective,
            ..Variant::default()
        };
        prepared.solve_as_base(&variant, config, "the Pareto front's ends")
    });
    let mut ends = ends.into_iter();
    let (cheapest, _) = ends.next().expect("two ends")?;
    // The CO2-optimal plan meets every cap: each interior point starts from it.
    let (cleanest, interior) = ends.next().expect("two ends")?;
    let (high, low) = (cheapest.plan.co2_t_per_year, cleanest.plan.co2_t_per_year);
    // Interior caps, evenly spaced; the lowest is the CO2 optimum itself,
    // solved for its cheapest plan (the CO2-only solve may overpay).
    let caps: Vec<f64> = (1..points)
        .map(|k| high - (high - low) * k as f64 / (points - 1) as f64)
        .map(|cap| cap + 1e-6 * cap.abs().max(1.0))
        .collect();
    let solved: Vec<Result<Plan, AnalysisError>> = in_parallel(&caps, |&cap| {
        let variant = Variant {
            objective: Objective::Cost,
            co2_cap_t_per_year: Some(cap),
            ..Variant::default()
        };
        prepared.solve(
            &variant,
            &interior,
            &format!("the Pareto point at CO2 ≤ {cap:.0} t/yr"),
        )
    });
    // An interior point the solver fails on is left out and said so; the
    // last cap is the CO2-optimal end, which must be solved.
    let mut plans: Vec<(Option<f64>, Plan)> = vec![(None, cheapest)];
    let mut skipped = Vec::new();
    let last = caps.len() - 1;
    for (k, (cap, plan)) in caps.into_iter().zip(solved).enumerate() {
        match plan {
            Ok(plan) => plans.push((Some(cap), plan)),
            Err(AnalysisError::NoPlan { termination, .. }) if k < last => {
                skipped.push(SkippedPoint {
                    co2_cap_t_per_year: cap,
                    reason: termination,
                })
            }
            Err(error) => return Err(error),
        }
    }
    let mut front: Vec<ParetoPoint> = Vec::new();
    for (i, (cap, plan)) in plans.iter().enumerate() {
        let projects = built_projects(plan);
        let links = used_links(plan);
        let (previous_projects, previous_links, mac) = match i {
            0 => (projects.clone(), links.clone(), None),
            _ => {
                let before = &plans[i - 1].1;
                let abated = before.plan.co2_t_per_year - plan.plan.co2_t_per_year;
                let extra = plan.plan.cost_cny_per_year - before.plan.cost_cny_per_year;
                let mac = (abated > 1e-6).then(|| extra / abated);
                (built_projects(before), used_links(before), mac)
            }
        };
        front.push(ParetoPoint {
            co2_cap_t_per_year: *cap,
            cost_cny_per_year: plan.plan.cost_cny_per_year,
            co2_t_per_year: plan.plan.co2_t_per_year,
            projects_added: difference(&projects, &previous_projects),
            projects_dropped: difference(&previous_projects, &projects),
            links_added: difference(&links, &previous_links),
            links_dropped: difference(&previous_links, &links),
            projects,
            marginal_abatement_cost_cny_per_t: mac,
            knee: false,
        });
    }
    mark_knee(&mut front);
    Ok(ParetoFront {
        park: park.name.clone(),
        points: front,
        skipped,
    })
}

/// Marks the point farthest from the straight line joining the two ends,
/// both axes scaled to their ranges.
fn mark_knee(front: &mut [ParetoPoint]) {
    let (Some(first), Some(last)) = (front.first(), front.last()) else {
        return;
    };
    let (x0, y0, x1, y1) = (
        first.co2_t_per_year,
        first.cost_cny_per_year,
        last.co2_t_per_year,
        last.cost_cny_per_year,
    );
    let (dx, dy) = ((x1 - x0).abs().max(1e-9), (y1 - y0).abs().max(1e-9));
    let distance = |p: &ParetoPoint| {
        let (u, v) = (
            (p.co2_t_per_year - x0) / dx,
            (p.cost_cny_per_year - y0) / dy,
        );
        let (ux, vy) = ((x1 - x0) / dx, (y1 - y0) / dy);
        (u * vy - v * ux).abs() / (ux * ux + vy * vy).sqrt()
    };
    let knee = (1..front.len().saturating_sub(1)).max_by(|&a, &b| {
        distance(&front[a])
            .total_cmp(&distance(&front[b]))
            .then(b.cmp(&a))
    });
    if let Some(k) = knee.filter(|&k| distance(&front[k]) > 1e-6) {
        front[k].knee = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;

    #[test]
    fn the_front_falls_in_co2_and_rises_in_cost() {
        let front = pareto(&tiny(), &SolverConfig::default(), 4).unwrap();
        assert_eq!(front.points.len(), 4);
        for pair in front.points.windows(2) {
            assert!(pair[1].co2_t_per_year <= pair[0].co2_t_per_year + 1e-6);
            assert!(pair[1].cost_cny_per_year >= pair[0].cost_cny_per_year - 1e-6);
        }
    }
}

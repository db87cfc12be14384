//! Carbon-price sweep: the plan at each carbon price of a range, and the
//! price at which each project enters the plan.

use super::*;
use crate::validate::MAX_CARBON_PRICE_CNY_PER_T;
use serde::Serialize;

/// The most steps a sweep may take (so at most one more price): each
/// price is a solve of the park.
pub const MAX_STEPS: usize = 1_000;

/// A `start:step:end` range of carbon prices, CNY per t: from 0 to
/// [`MAX_CARBON_PRICE_CNY_PER_T`] (the park file's cap), in at most
/// [`MAX_STEPS`] steps.
pub fn parse_range(text: &str) -> Result<Vec<f64>, AnalysisError> {
    let invalid = |why: String| {
        AnalysisError::Invalid(format!(
            "--carbon-price {} (START:STEP:END): {why}",
            crate::text::printable(&crate::text::abbreviated(text))
        ))
    };
    let numbers: Option<Vec<f64>> = (text.split(':'))
        .map(|p| p.trim().parse::<f64>().ok())
        .collect();
    let Some(&[start, step, end]) = numbers.as_deref() else {
        return Err(invalid(
            "must be START:STEP:END, three numbers of CNY per t (e.g. 0:50:400)".to_string(),
        ));
    };
    let short = crate::units::short;
    let price = 0.0..=MAX_CARBON_PRICE_CNY_PER_T;
    if !(price.contains(&start) && price.contains(&end) && start <= end) {
        return Err(invalid(format!(
            "START and END must be carbon prices from 0 to {MAX_CARBON_PRICE_CNY_PER_T} CNY/t with START ≤ END, got {} and {}",
            short(start),
            short(end)
        )));
    }
    if !(step.is_finite() && step > 0.0) {
        return Err(invalid(format!(
            "STEP must be a number of CNY/t > 0, got {}",
            short(step)
        )));
    }
    let steps = ((end - start) / step + 1e-9).floor();
    if steps > MAX_STEPS as f64 {
        return Err(invalid(format!(
            "{} steps; a sweep takes at most {MAX_STEPS} steps ({} prices): raise STEP or narrow the range",
            short(steps),
            MAX_STEPS + 1
        )));
    }
    let count = steps as usize;
    Ok((0..=count).map(|k| start + step * k as f64).collect())
}

/// The plan at one carbon price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// Carbon price, CNY per t.
    pub carbon_price_cny_per_t: f64,
    /// Annual cost (without carbon), CNY per year.
    pub cost_cny_per_year: f64,
    /// CO2, t per year.
    pub co2_t_per_year: f64,
    /// Projects built.
    pub projects: Vec<String>,
}

/// The sweep and each project's entry price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// One point per price, ascending.
    pub points: Vec<SweepPoint>,
    /// Each candidate project with the lowest swept price at which it is built (none if never).
    pub entry_prices: Vec<(String, Option<f64>)>,
}

/// Solves the park at every price.
///
/// The plan at the first price is feasible at every other (only the
/// objective changes), so the other prices start from it.
pub fn sweep(park: &Park, config: &SolverConfig, prices: &[f64]) -> Result<Sweep, AnalysisError> {
    let at = |price: f64| {
        let mut variant = park.clone();
        variant.carbon_price_cny_per_t = price;
        variant
    };
    let what = |price: f64| format!("the plan at {price} CNY/t");
    let Some((&first, rest)) = prices.split_first() else {
        return Err(AnalysisError::Invalid("no carbon prices to sweep".into()));
    };
    if prices.len() > MAX_STEPS + 1 {
        return Err(AnalysisError::Invalid(format!(
            "{} carbon prices to sweep; at most {} are solved",
            prices.len(),
            MAX_STEPS + 1
        )));
    }
    if let Some(&price) = (prices.iter()).find(|p| !(0.0..=MAX_CARBON_PRICE_CNY_PER_T).contains(*p))
    {
        return Err(AnalysisError::Invalid(format!(
            "carbon price {} CNY/t is outside 0 to {MAX_CARBON_PRICE_CNY_PER_T}",
            crate::units::short(price)
        )));
    }
    let (first_plan, scenarios) = optimise_base(&at(first), config, &what(first))?;
    let solved = std::iter::once(Ok(first_plan)).chain(in_parallel(rest, |&price| {
        optimise_park(&at(price), &scenarios, &what(price))
    }));
    let mut points = Vec::new();
    for (price, plan) in prices.iter().zip(solved) {
        let plan = plan?;
        points.push(SweepPoint {
            carbon_price_cny_per_t: *price,
            cost_cny_per_year: plan.plan.cost_cny_per_year,
            co2_t_per_year: plan.plan.co2_t_per_year,
            projects: built_projects(&plan),
        });
    }
    let entry_prices = park
        .projects
        .iter()
        .map(|project| {
            let entry = points
                .iter()
                .find(|p| p.projects.contains(&project.id))
                .map(|p| p.carbon_price_cny_per_t);
            (project.id.clone(), entry)
        })
        .collect();
    Ok(Sweep {
        points,
        entry_prices,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_bad_ones_say_how() {
        assert_eq!(
            parse_range("0:50:200").unwrap(),
            [0.0, 50.0, 100.0, 150.0, 200.0]
        );
        assert!(parse_range("0:0:100")
            .unwrap_err()
            .to_string()
            .contains("STEP must be a number of CNY/t > 0"));
        assert!(parse_range("100:10:0").is_err());
    }

    #[test]
    fn a_range_over_the_caps_names_them() {
        let steps = parse_range("0:1:1001").unwrap_err().to_string();
        assert!(
            steps.contains("at most 1000 steps (1001 prices)"),
            "{steps}"
        );
        assert_eq!(parse_range("0:1:1000").unwrap().len(), 1001);
        let price = parse_range("0:1e299:1e300").unwrap_err().to_string();
        assert!(price.contains("from 0 to 100000 CNY/t"), "{price}");
        assert!(price.contains("got 0 and 1e300"), "{price}");
        let negative = parse_range("-5:1:10").unwrap_err().to_string();
        assert!(negative.contains("got -5 and 10"), "{negative}");
    }

    #[test]
    fn a_project_enters_once_carbon_pays_for_it() {
        // tiny's classifier at 20 CNY/t earns 20.55 CNY/t over disposal on
        // 40,000 t: 0.82 M CNY/yr against 1.05 M of fixed cost. With 0.5 t
        // CO2 credited per t sold it needs 11.5 CNY/t of carbon price.
        let park = crate::park::testing::tiny_with(&[
            (
                "product_price_cny_per_t = 100",
                "product_price_cny_per_t = 20",
            ),
            (
                "market_avoided_co2_t_per_unit = 0",
                "market_avoided_co2_t_per_unit = 0.5",
            ),
        ]);
        let result = sweep(&park, &SolverConfig::default(), &[0.0, 10.0, 20.0]).unwrap();
        assert_eq!(
            result.entry_prices,
            [("classifier".to_string(), Some(20.0))]
        );
        assert!(result.points[0].projects.is_empty());
    }
}

//! Carbon-price sweep: the plan at each carbon price of a range, and the
//! price at which each project enters the plan.

use super::*;
use serde::Serialize;

/// A `start:step:end` range of carbon prices, CNY per t.
pub fn parse_range(text: &str) -> Result<Vec<f64>, AnalysisError> {
    let parts: Vec<&str> = text.split(':').collect();
    let numbers: Option<Vec<f64>> = parts.iter().map(|p| p.trim().parse::<f64>().ok()).collect();
    let bad = || {
        AnalysisError::Invalid(format!("carbon-price range must be START:STEP:END with 0 ≤ START ≤ END and STEP > 0 (e.g. 0:50:400), got '{text}'"))
    };
    match numbers.as_deref() {
        Some(&[start, step, end])
            if start.is_finite()
                && end.is_finite()
                && step.is_finite()
                && step > 0.0
                && start >= 0.0
                && start <= end
                && (end - start) / step <= 1000.0 =>
        {
            let count = ((end - start) / step + 1e-9).floor() as usize;
            Ok((0..=count).map(|k| start + step * k as f64).collect())
        }
        _ => Err(bad()),
    }
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
            .contains("START:STEP:END"));
        assert!(parse_range("100:10:0").is_err());
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

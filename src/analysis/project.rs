//! One project's economics inside the optimal park, for the engineer
//! evaluating it: the park re-optimised with the project forced in and
//! forced out, and the difference read as an investment (capex, annual
//! cash flow, NPV at the park's discount rate, IRR, simple payback).
//!
//! Two views are given. The *park view* is what the project is worth to
//! the park as a whole: the capital of everything that changes between the
//! two plans (the project and the links it brings) against the change in
//! the park's operating cost, so it counts the disposal and fuel other
//! firms avoid. The *owner view* is the project company alone: product
//! sold at its price (with any VAT refund) against the project's own
//! operating cost.

use super::*;
use crate::economics::OwnerTerms;
use serde::Serialize;

/// One of the two forced plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForcedPlan {
    /// Whether the project is built in this plan.
    pub built: bool,
    /// Park's annual cost, CNY per year.
    pub cost_cny_per_year: f64,
    /// Park's CO2, t per year.
    pub co2_t_per_year: f64,
    /// Park's cost plus priced CO2, CNY per year.
    pub objective_cny_per_year: f64,
    /// Capital of everything the plan builds, CNY.
    pub capex_cny: f64,
    /// Annual saving against today before capital charges, CNY per year.
    pub operating_saving_cny_per_year: f64,
    /// The project's throughput, in its throughput unit per year.
    pub throughput: f64,
    /// Projects built.
    pub projects: Vec<String>,
}

/// An investment read from capital and a level annual cash flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Investment {
    /// Capital, CNY.
    pub capex_cny: f64,
    /// Cash flow each year of the lifetime, CNY per year.
    pub annual_cash_flow_cny_per_year: f64,
    /// Net present value at the park's discount rate, CNY.
    pub npv_cny: f64,
    /// Internal rate of return; none when the cash never pays the capital back.
    pub irr: Option<f64>,
    /// Capital over annual cash flow, years; none when the cash flow is not positive.
    pub simple_payback_years: Option<f64>,
}

impl Investment {
    /// Reads an investment of `capex_cny` returning `annual_cny` for
    /// `lifetime_years` at `discount_rate`.
    pub fn new(
        capex_cny: f64,
        annual_cny: f64,
        lifetime_years: f64,
        discount_rate: f64,
    ) -> Investment {
        let years = lifetime_years.round().max(1.0) as i32;
        Investment {
            capex_cny,
            annual_cash_flow_cny_per_year: annual_cny,
            npv_cny: npv(capex_cny, annual_cny, years, discount_rate),
            irr: irr(capex_cny, annual_cny, years),
            simple_payback_years: (annual_cny > 0.0).then(|| capex_cny / annual_cny),
        }
    }
}

/// `-capex + Σ_{t=1..years} annual / (1+rate)^t`.
fn npv(capex_cny: f64, annual_cny: f64, years: i32, rate: f64) -> f64 {
    let factor: f64 = (1..=years).map(|t| (1.0 + rate).powi(-t)).sum();
    annual_cny * factor - capex_cny
}

/// The rate at which the NPV is zero, by bisection (NPV falls as the rate
/// rises for a conventional investment); none unless the undiscounted cash
/// repays the capital.
fn irr(capex_cny: f64, annual_cny: f64, years: i32) -> Option<f64> {
    if capex_cny <= 0.0 || annual_cny * years as f64 <= capex_cny {
        return None;
    }
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    while npv(capex_cny, annual_cny, years, high) > 0.0 {
        high *= 2.0;
        if high > 1e6 {
            return None;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if npv(capex_cny, annual_cny, years, mid) > 0.0 {
            low = mid;
        } else {
            high = mid;
        }
    }
    Some(0.5 * (low + high))
}

/// The project's economics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectEconomics {
    /// Park name.
    pub park: String,
    /// Project id.
    pub project: String,
    /// Technology.
    pub technology: String,
    /// Whether the optimal plan builds it.
    pub in_optimal_plan: bool,
    /// The park's discount rate.
    pub discount_rate: f64,
    /// Project lifetime, years.
    pub lifetime_years: f64,
    /// The park's carbon price, CNY per t.
    pub carbon_price_cny_per_t: f64,
    /// The plan with the project built.
    pub forced_in: ForcedPlan,
    /// The plan without it.
    pub forced_out: ForcedPlan,
    /// CO2 the project avoids in the park, t per year.
    pub co2_abated_t_per_year: f64,
    /// Park view: capital and operating saving that change with the project.
    pub park_view: Investment,
    /// Park view with avoided CO2 valued at the carbon price.
    pub park_view_with_carbon: Investment,
    /// Owner view: product revenue at the product price, CNY per year.
    pub owner_revenue_cny_per_year: f64,
    /// Owner view: VAT refunded on that revenue, CNY per year.
    pub owner_vat_refund_cny_per_year: f64,
    /// Owner view: the project's own operating cost (net of any subsidy), CNY per year.
    pub owner_operating_cost_cny_per_year: f64,
    /// Owner view: the project's own capital against its margin.
    pub owner_view: Investment,
}

/// Solves the park with the project forced in and out, in parallel.
pub fn project(
    park: &Park,
    config: &SolverConfig,
    id: &str,
) -> Result<ProjectEconomics, AnalysisError> {
    let index = project_index(park, id)?;
    let project = &park.projects[index];
    let prepared = Prepared::new(park, Pruning::DropDominated, config)?;
    let cases = [None, Some(Forced::In), Some(Forced::Out)];
    let solved = in_parallel(&cases, |&force| {
        let (variant, what) = match force {
            None => (Variant::default(), "the optimal plan".to_string()),
            Some(forced) => (
                Variant {
                    force: vec![(index, forced)],
                    ..Variant::default()
                },
                format!("the plan with '{id}' forced {}", forced.word()),
            ),
        };
        prepared.solve(&variant, config, &what)
    });
    let mut solved = solved.into_iter();
    let (Some(optimal), Some(with), Some(without)) = (solved.next(), solved.next(), solved.next())
    else {
        unreachable!("three cases");
    };
    let (optimal, with, without) = (optimal?, with?, without?);
    let forced = |plan: &Plan| {
        let result = &plan.projects[index];
        ForcedPlan {
            built: result.built,
            cost_cny_per_year: plan.plan.cost_cny_per_year,
            co2_t_per_year: plan.plan.co2_t_per_year,
            objective_cny_per_year: plan.plan.objective_cny_per_year,
            capex_cny: plan.kpis.capex_cny,
            operating_saving_cny_per_year: plan.kpis.operating_saving_cny_per_year,
            throughput: result.throughput,
            projects: built_projects(plan),
        }
    };
    let (forced_in, forced_out) = (forced(&with), forced(&without));
    let rate = park.discount_rate;
    let lifetime = project.lifetime_years;
    let co2_abated = forced_out.co2_t_per_year - forced_in.co2_t_per_year;
    let capex = forced_in.capex_cny - forced_out.capex_cny;
    let saving = forced_in.operating_saving_cny_per_year - forced_out.operating_saving_cny_per_year;
    let owner = OwnerTerms::of(park, project);
    let throughput = forced_in.throughput;
    Ok(ProjectEconomics {
        park: park.name.clone(),
        project: project.id.clone(),
        technology: project.technology.clone(),
        in_optimal_plan: optimal.projects[index].built,
        discount_rate: rate,
        lifetime_years: lifetime,
        carbon_price_cny_per_t: park.carbon_price_cny_per_t,
        co2_abated_t_per_year: co2_abated,
        park_view: Investment::new(capex, saving, lifetime, rate),
        park_view_with_carbon: Investment::new(
            capex,
            saving + co2_abated * park.carbon_price_cny_per_t,
            lifetime,
            rate,
        ),
        owner_revenue_cny_per_year: owner.revenue_cny_per_unit * throughput,
        owner_vat_refund_cny_per_year: owner.vat_refund_cny_per_unit * throughput,
        owner_operating_cost_cny_per_year: owner.cost_cny_per_unit * throughput
            + owner.fixed_cash_cny_per_year,
        owner_view: Investment::new(
            project.capex_cny,
            owner.cash_margin_cny_per_year(throughput),
            lifetime,
            rate,
        ),
        forced_in,
        forced_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;

    #[test]
    fn npv_and_irr_agree_with_hand_figures() {
        // 100 now, 30 a year for 5 years: NPV at 8% = 30 × 3.99271 − 100.
        let investment = Investment::new(100.0, 30.0, 5.0, 0.08);
        assert!(
            (investment.npv_cny - 19.7813).abs() < 1e-3,
            "{investment:?}"
        );
        // IRR of 100 against 5 × 30 is 15.238%.
        let irr = investment.irr.unwrap();
        assert!((irr - 0.152382).abs() < 1e-5, "{irr}");
        assert!(npv(100.0, 30.0, 5, irr).abs() < 1e-6);
        assert_eq!(investment.simple_payback_years, Some(100.0 / 30.0));
        assert_eq!(Investment::new(100.0, 10.0, 5.0, 0.08).irr, None);
        assert_eq!(
            Investment::new(100.0, -10.0, 5.0, 0.08).simple_payback_years,
            None
        );
    }

    #[test]
    fn the_classifier_in_tiny_is_read_from_the_proved_plans() {
        // The README's proof: the classifier takes the 40,000 t the cement
        // plant cannot, costing 20 M CNY over 20 years at a 0 discount rate.
        let result = project(&tiny(), &SolverConfig::default(), "classifier").unwrap();
        assert!(result.in_optimal_plan);
        assert!(result.forced_in.built && !result.forced_out.built);
        assert_eq!(result.forced_in.throughput, 40_000.0);
        assert_eq!(result.owner_view.capex_cny, 20_000_000.0);
        // Owner: 40,000 t × (100 price − 20 opex) a year.
        assert!(
            (result.owner_view.annual_cash_flow_cny_per_year - 3_200_000.0).abs() < 1e-6,
            "{result:?}"
        );
        assert!((result.owner_view.npv_cny - (20.0 * 3_200_000.0 - 20_000_000.0)).abs() < 1e-3);
        // The park's objective gain equals the park-view cash flow with
        // carbon less the capital annualised at a 0 rate, by construction.
        let gain =
            result.forced_out.objective_cny_per_year - result.forced_in.objective_cny_per_year;
        let annualised = result.park_view.capex_cny / 20.0;
        assert!(
            (result.park_view_with_carbon.annual_cash_flow_cny_per_year - annualised - gain).abs()
                < 1e-3
        );
        assert!(result.park_view_with_carbon.npv_cny > 0.0);
    }

    #[test]
    fn an_unknown_project_names_the_known_ones() {
        let error = project(&tiny(), &SolverConfig::default(), "clasifier").unwrap_err();
        assert!(error.to_string().contains("classifier"), "{error}");
    }
}

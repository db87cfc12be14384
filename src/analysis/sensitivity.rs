//! Sensitivity of the optimal plan: each price and quantity group scaled
//! down and up by the same percentage, the park re-optimised each time
//! (the plan may change, not just its price tag), and the swing of the
//! plan's annual cost and CO2 drawn as a tornado.

use super::*;
use serde::Serialize;

/// A price or quantity group that is scaled together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Every waste stream's t per year.
    WasteTonnages,
    /// Every waste-heat source's MW.
    WasteHeat,
    /// Every project's product price.
    ProductPrices,
    /// The park's carbon price.
    CarbonPrice,
    /// Haulage cost per unit-km and handling per unit, every mode.
    TransportCost,
    /// Capital cost of projects and links.
    Capex,
    /// Fuel cost of today's heat supplies.
    FuelPrices,
    /// Price of the virgin materials that wastes replace.
    VirginMaterialPrices,
    /// Electricity price.
    ElectricityPrice,
}

impl Group {
    /// Every group, in a fixed order.
    pub const ALL: [Group; 9] = [
        Group::WasteTonnages,
        Group::WasteHeat,
        Group::ProductPrices,
        Group::CarbonPrice,
        Group::TransportCost,
        Group::Capex,
        Group::FuelPrices,
        Group::VirginMaterialPrices,
        Group::ElectricityPrice,
    ];

    /// A readable label.
    pub fn label(self) -> &'static str {
        match self {
            Group::WasteTonnages => "waste tonnages",
            Group::WasteHeat => "waste-heat MW",
            Group::ProductPrices => "product prices",
            Group::CarbonPrice => "carbon price",
            Group::TransportCost => "transport cost",
            Group::Capex => "capex",
            Group::FuelPrices => "fuel prices",
            Group::VirginMaterialPrices => "virgin material prices",
            Group::ElectricityPrice => "electricity price",
        }
    }

    /// The park with this group multiplied by `factor`.
    pub fn scaled(self, park: &Park, factor: f64) -> Park {
        let mut park = park.clone();
        let library = &mut park.library;
        match self {
            Group::WasteTonnages => park.wastes.iter_mut().for_each(|w| w.t_per_year *= factor),
            Group::WasteHeat => park.heat_sources.iter_mut().for_each(|h| h.mw *= factor),
            Group::ProductPrices => park
                .projects
                .iter_mut()
                .for_each(|p| p.product_price_cny_per_unit *= factor),
            Group::CarbonPrice => park.carbon_price_cny_per_t *= factor,
            Group::TransportCost => library.transport.values_mut().for_each(|m| {
                m.cost_cny_per_unit_km *= factor;
                m.handling_cny_per_unit *= factor;
            }),
            Group::Capex => {
                park.projects.iter_mut().for_each(|p| p.capex_cny *= factor);
                library.transport.values_mut().for_each(|m| {
                    m.capex_cny_per_km *= factor;
                    m.capex_cny_per_km_mw *= factor;
                    m.terminal_capex_cny_per_mw *= factor;
                });
            }
            Group::FuelPrices => library
                .heat_supply
                .values_mut()
                .for_each(|s| s.fuel_cny_per_mwh *= factor),
            Group::VirginMaterialPrices => library
                .virgin_material
                .values_mut()
                .for_each(|v| v.price_cny_per_t *= factor),
            Group::ElectricityPrice => park.electricity_price_cny_per_mwh *= factor,
        }
        park
    }
}

/// One group's swing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// The group.
    pub group: Group,
    /// Its label.
    pub label: String,
    /// Plan's annual cost with the group scaled down, CNY per year.
    pub cost_low_cny_per_year: f64,
    /// … scaled up.
    pub cost_high_cny_per_year: f64,
    /// Plan's CO2 with the group scaled down, t per year.
    pub co2_low_t_per_year: f64,
    /// … scaled up.
    pub co2_high_t_per_year: f64,
    /// Projects built with the group scaled down.
    pub projects_low: Vec<String>,
    /// … scaled up.
    pub projects_high: Vec<String>,
}

impl SensitivityRow {
    /// Width of the cost bar, CNY per year.
    pub fn cost_swing(&self) -> f64 {
        (self.cost_high_cny_per_year - self.cost_low_cny_per_year).abs()
    }

    /// Width of the CO2 bar, t per year.
    pub fn co2_swing(&self) -> f64 {
        (self.co2_high_t_per_year - self.co2_low_t_per_year).abs()
    }
}

/// The tornado.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Park name.
    pub park: String,
    /// Scaling, percent either way.
    pub percent: f64,
    /// The optimal plan's annual cost, CNY per year.
    pub base_cost_cny_per_year: f64,
    /// The optimal plan's CO2, t per year.
    pub base_co2_t_per_year: f64,
    /// Projects the optimal plan builds.
    pub base_projects: Vec<String>,
    /// Groups, widest cost swing first.
    pub rows: Vec<SensitivityRow>,
}

/// Re-optimises the park with every group scaled by `1 ± percent/100`.
pub fn sensitivity(
    park: &Park,
    config: &SolverConfig,
    percent: f64,
) -> Result<Sensitivity, AnalysisError> {
    if !(percent.is_finite() && percent > 0.0 && percent < 100.0) {
        return Err(AnalysisError::Invalid(format!(
            "--percent must be a number between 0 and 100 (exclusive), got {}",
            crate::units::short(percent)
        )));
    }
    let (base, scenarios) = optimise_base(park, config, "the optimal plan")?;
    let cases: Vec<(Group, f64)> = Group::ALL
        .iter()
        .flat_map(|&g| [(g, 1.0 - percent / 100.0), (g, 1.0 + percent / 100.0)])
        .collect();
    let plans = in_parallel(&cases, |&(group, factor)| {
        let what = format!("the plan with {} × {factor}", group.label());
        optimise_park(&group.scaled(park, factor), &scenarios, &what)
    });
    let mut plans = plans.into_iter();
    let mut rows = Vec::new();
    for group in Group::ALL {
        let (Some(low), Some(high)) = (plans.next(), plans.next()) else {
            unreachable!("two cases per group");
        };
        let (low, high) = (low?, high?);
        rows.push(SensitivityRow {
            group,
            label: group.label().to_string(),
            cost_low_cny_per_year: low.plan.cost_cny_per_year,
            cost_high_cny_per_year: high.plan.cost_cny_per_year,
            co2_low_t_per_year: low.plan.co2_t_per_year,
            co2_high_t_per_year: high.plan.co2_t_per_year,
            projects_low: built_projects(&low),
            projects_high: built_projects(&high),
        });
    }
    rows.sort_by(|a, b| {
        b.cost_swing()
            .total_cmp(&a.cost_swing())
            .then(a.group.cmp(&b.group))
    });
    Ok(Sensitivity {
        park: park.name.clone(),
        percent,
        base_cost_cny_per_year: base.plan.cost_cny_per_year,
        base_co2_t_per_year: base.plan.co2_t_per_year,
        base_projects: built_projects(&base),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;

    #[test]
    fn the_carbon_price_moves_nothing_when_the_plan_does_not_change() {
        // tiny's optimum builds everything that pays at any carbon price
        // within ±20%, and its cost excludes the carbon price.
        let result = sensitivity(&tiny(), &SolverConfig::default(), 20.0).unwrap();
        let carbon = result
            .rows
            .iter()
            .find(|r| r.group == Group::CarbonPrice)
            .unwrap();
        assert_eq!(carbon.cost_low_cny_per_year, result.base_cost_cny_per_year);
        assert_eq!(carbon.cost_high_cny_per_year, result.base_cost_cny_per_year);
        assert_eq!(result.rows.len(), Group::ALL.len());
    }

    #[test]
    fn dearer_capital_never_makes_the_park_better_off() {
        // The optimum of a pointwise dearer objective over the same plans is
        // no lower, whether or not the plan changes.
        let park = tiny();
        let result = sensitivity(&park, &SolverConfig::default(), 10.0).unwrap();
        let capex = result
            .rows
            .iter()
            .find(|r| r.group == Group::Capex)
            .unwrap();
        let objective = |cost: f64, co2: f64| cost + park.carbon_price_cny_per_t * co2;
        assert!(
            objective(capex.cost_high_cny_per_year, capex.co2_high_t_per_year)
                > objective(capex.cost_low_cny_per_year, capex.co2_low_t_per_year),
            "{capex:?}"
        );
        assert!(result
            .rows
            .windows(2)
            .all(|w| w[0].cost_swing() >= w[1].cost_swing()));
    }

    #[test]
    fn a_percentage_out_of_range_is_refused() {
        assert!(matches!(
            sensitivity(&tiny(), &SolverConfig::default(), 120.0),
            Err(AnalysisError::Invalid(_))
        ));
    }
}

//! The park's money and carbon, per unit of flow and per thing built.
//!
//! One place says what a tonne hauled, a MWh of boiler heat or a project
//! built costs and emits, as a [`Ledger`] split by category. The formulation
//! turns these ledgers into objective coefficients; the plan and the
//! independent verifier multiply them by flows; so every figure a user sees
//! is traceable to a line here and to a library entry.

use crate::candidates::Candidate;
use crate::library::{Carrier, TechnologyKind, TransportMode};
use crate::park::{HeatDemand, Park, Project, TodayOutlet, Waste};
use serde::{Deserialize, Serialize};
use std::ops::{Add, AddAssign, Mul};

/// What a cost or an emission is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Annualised capital and fixed operating cost of links, and haulage contracts.
    LinkFixed,
    /// Annualised capital and fixed operating cost of projects.
    ProjectFixed,
    /// Haulage and pumping per unit moved (fuel, handling, direct emissions).
    Transport,
    /// Projects' variable operating cost and process emissions.
    Processing,
    /// Electricity bought (positive) or generated for own use (negative).
    Electricity,
    /// Storage or landfill of unused waste, with environmental tax.
    Disposal,
    /// Today's boilers for heat not covered by recovered heat.
    HeatSupply,
    /// Products sold outside the park (revenue and displaced CO2, negative).
    ProductSales,
    /// Virgin material replaced inside the park (negative).
    AvoidedVirgin,
}

impl Category {
    /// Every category, in reporting order.
    pub const ALL: [Category; 9] = [
        Category::LinkFixed,
        Category::ProjectFixed,
        Category::Transport,
        Category::Processing,
        Category::Electricity,
        Category::Disposal,
        Category::HeatSupply,
        Category::ProductSales,
        Category::AvoidedVirgin,
    ];

    /// The category's snake_case name, as in plan.json.
    pub fn name(self) -> &'static str {
        match self {
            Category::LinkFixed => "link_fixed",
            Category::ProjectFixed => "project_fixed",
            Category::Transport => "transport",
            Category::Processing => "processing",
            Category::Electricity => "electricity",
            Category::Disposal => "disposal",
            Category::HeatSupply => "heat_supply",
            Category::ProductSales => "product_sales",
            Category::AvoidedVirgin => "avoided_virgin",
        }
    }
}

/// Cost (CNY) and CO2 (t) by category: per unit of flow, per project built,
/// or summed over a whole plan per year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ledger {
    /// Cost by category, CNY.
    pub cost_cny: [f64; 9],
    /// CO2 by category, t.
    pub co2_t: [f64; 9],
}

impl Ledger {
    /// A ledger with one cost and one CO2 entry.
    pub fn of(category: Category, cost_cny: f64, co2_t: f64) -> Ledger {
        let mut ledger = Ledger::default();
        ledger.cost_cny[category as usize] = cost_cny;
        ledger.co2_t[category as usize] = co2_t;
        ledger
    }

    /// Total cost, CNY.
    pub fn cost(&self) -> f64 {
        self.cost_cny.iter().sum()
    }

    /// Total CO2, t.
    pub fn co2(&self) -> f64 {
        self.co2_t.iter().sum()
    }

    /// Cost plus CO2 priced at `carbon_price_cny_per_t`: what the optimiser minimises.
    pub fn objective(&self, carbon_price_cny_per_t: f64) -> f64 {
        self.cost() + carbon_price_cny_per_t * self.co2()
    }

    /// Cost of one category, CNY.
    pub fn cost_of(&self, category: Category) -> f64 {
        self.cost_cny[category as usize]
    }

    /// CO2 of one category, t.
    pub fn co2_of(&self, category: Category) -> f64 {
        self.co2_t[category as usize]
    }
}

impl Add for Ledger {
    type Output = Ledger;
    fn add(mut self, other: Ledger) -> Ledger {
        self += other;
        self
    }
}

impl AddAssign for Ledger {
    fn add_assign(&mut self, other: Ledger) {
        for i in 0..9 {
            self.cost_cny[i] += other.cost_cny[i];
            self.co2_t[i] += other.co2_t[i];
        }
    }
}

impl Mul<f64> for Ledger {
    type Output = Ledger;
    fn mul(mut self, factor: f64) -> Ledger {
        for i in 0..9 {
            self.cost_cny[i] *= factor;
            self.co2_t[i] *= factor;
        }
        self
    }
}

/// Electricity used (positive MWh) or generated for own use (negative).
fn electricity(park: &Park, mwh: f64) -> Ledger {
    Ledger::of(
        Category::Electricity,
        mwh * park.electricity_price_cny_per_mwh,
        mwh * park.grid_factor_t_per_mwh,
    )
}

/// Moving one unit (t or MWh sent) along a link: haulage or pumping.
pub fn transport_per_unit(park: &Park, mode: &TransportMode, distance_km: f64) -> Ledger {
    Ledger::of(
        Category::Transport,
        mode.cost_cny_per_unit_km * distance_km + mode.handling_cny_per_unit,
        mode.co2_kg_per_unit_km * distance_km / 1000.0,
    ) + electricity(
        park,
        mode.electricity_kwh_per_unit_km * distance_km / 1000.0,
    )
}

/// Tonnes of `virgin` material one tonne of `material` replaces at a
/// material demand (the library's substitution ratio; zero without one).
pub fn replaced_t_per_t(park: &Park, material: &str, virgin: &str) -> f64 {
    park.library
        .substitutes_of(material)
        .and_then(|substitutes| substitutes.get(virgin))
        .copied()
        .unwrap_or(0.0)
}

/// Virgin material avoided per tonne of `material` delivered to a material
/// demand that replaces `virgin` (zero when the library has no ratio).
pub fn avoided_virgin_per_t(park: &Park, material: &str, virgin: &str) -> Ledger {
    let ratio = replaced_t_per_t(park, material, virgin);
    let virgin = &park.library.virgin_material[virgin];
    Ledger::of(
        Category::AvoidedVirgin,
        -ratio * virgin.price_cny_per_t,
        -ratio * virgin.co2_t_per_t,
    )
}

/// Per unit sent along a candidate link: transport, plus the virgin
/// material it replaces when it ends at a material demand.
pub fn link_per_unit(park: &Park, candidate: &Candidate) -> Ledger {
    let mode = &park.library.transport[&candidate.mode];
    let mut ledger = transport_per_unit(park, mode, candidate.distance_km);
    if let crate::candidates::Endpoint::MaterialDemand(demand) = candidate.to {
        ledger += avoided_virgin_per_t(
            park,
            &candidate.material,
            &park.material_demands[demand].replaces,
        );
    }
    ledger
}

/// Capital cost of building a link sized for `capacity_mw` (heat) — or any
/// capacity for modes not sized by MW — over `distance_km`, CNY.
pub fn link_capex_cny(mode: &TransportMode, distance_km: f64, capacity_mw: f64) -> f64 {
    let sized_mw = if mode.carries == Carrier::Material {
        0.0
    } else {
        capacity_mw
    };
    distance_km * (mode.capex_cny_per_km + mode.capex_cny_per_km_mw * sized_mw)
        + mode.terminal_capex_cny_per_mw * sized_mw
}

/// Per year of having a link at all: annualised capital, fixed operating
/// cost and any haulage contract.
pub fn link_fixed_per_year(
    park: &Park,
    mode: &TransportMode,
    distance_km: f64,
    capacity_mw: f64,
) -> Ledger {
    let capex = link_capex_cny(mode, distance_km, capacity_mw);
    Ledger::of(
        Category::LinkFixed,
        park.annualise(capex, mode.lifetime_years)
            + capex * mode.fixed_opex_fraction
            + mode.fixed_cny_per_year,
        0.0,
    )
}

/// Per year of having built a project: annualised capital and fixed opex,
/// less any annual subsidy it receives.
pub fn project_fixed_per_year(park: &Park, project: &Project) -> Ledger {
    Ledger::of(
        Category::ProjectFixed,
        park.annualise(project.capex_cny, project.lifetime_years) + project.fixed_opex_cny_per_year
            - project.subsidy_cny_per_year,
        0.0,
    )
}

/// Per unit of a project's throughput (t of input; MWh of heat output for
/// a heat pump; MWh of heat input for power): operating cost, process
/// emissions and electricity used or generated.
pub fn project_per_unit(park: &Park, project: &Project) -> Ledger {
    let technology = project.technology(&park.library);
    let electricity_mwh = match project.kind {
        TechnologyKind::Material => technology.electricity_mwh_per_unit,
        TechnologyKind::HeatPump => 1.0 / technology.cop.unwrap_or(f64::INFINITY),
        TechnologyKind::Power => -technology.efficiency.unwrap_or(0.0),
    };
    Ledger::of(
        Category::Processing,
        project.opex_cny_per_unit,
        technology.process_co2_t_per_unit,
    ) + electricity(park, electricity_mwh)
}

/// Per unit of a project's product sold outside the park.
pub fn market_sale_per_unit(project: &Project) -> Ledger {
    Ledger::of(
        Category::ProductSales,
        -project.product_price_cny_per_unit,
        -project.market_avoided_co2_t_per_unit,
    )
}

/// Per tonne of a waste stream left on today's outlet: disposal, or the
/// sale it already finds today.
pub fn today_outlet_per_t(waste: &Waste) -> Ledger {
    match waste.today {
        TodayOutlet::Disposal {
            cost_cny_per_t,
            co2_t_per_t,
        } => Ledger::of(Category::Disposal, cost_cny_per_t, co2_t_per_t),
        TodayOutlet::Sold {
            price_cny_per_t,
            avoided_co2_t_per_t,
        } => Ledger::of(
            Category::ProductSales,
            -price_cny_per_t,
            -avoided_co2_t_per_t,
        ),
    }
}

/// Per MWh of a heat demand met by its current supply.
pub fn current_supply_per_mwh(park: &Park, demand: &HeatDemand) -> Ledger {
    let supply = &park.library.heat_supply[&demand.current_supply];
    Ledger::of(
        Category::HeatSupply,
        supply.fuel_cny_per_mwh,
        supply.fuel_co2_t_per_mwh,
    ) + electricity(park, supply.electricity_mwh_per_mwh)
}

/// Yield of a project: units of output per unit of throughput for material
/// projects; heat pumps and power plants have no product flow out.
pub fn material_yield(park: &Park, project: &Project) -> f64 {
    project
        .technology(&park.library)
        .yield_t_per_t
        .unwrap_or(0.0)
}

/// Share of a heat pump's output that comes from the heat it takes in
/// (the rest is its electricity): `1 - 1/COP`.
pub fn heat_pump_source_share(park: &Park, project: &Project) -> f64 {
    let cop = project
        .technology(&park.library)
        .cop
        .unwrap_or(f64::INFINITY);
    1.0 - 1.0 / cop
}

/// Today's park, as a ledger: every tonne disposed, every MWh from the boilers.
pub fn baseline_ledger(park: &Park) -> Ledger {
    let mut ledger = Ledger::default();
    for waste in &park.wastes {
        ledger += today_outlet_per_t(waste) * waste.t_per_year;
    }
    for demand in &park.heat_demands {
        ledger += current_supply_per_mwh(park, demand) * demand.mwh_per_year();
    }
    ledger
}

/// A project company's own accounts, per year and per unit of throughput:
/// what it sells its product for (the VAT refund included), what running
/// it costs, and its capital charge. Other firms' savings (disposal and
/// fuel avoided) are not the owner's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OwnerTerms {
    /// Capital annualised at the park's discount rate, CNY per year.
    pub annualised_capex_cny_per_year: f64,
    /// Fixed operating cost less any subsidy, CNY per year.
    pub fixed_cash_cny_per_year: f64,
    /// Product sold at its price, per unit of throughput, CNY (material
    /// projects; a power project's electricity is already a credit in its cost).
    pub revenue_cny_per_unit: f64,
    /// VAT refunded on that product, per unit of throughput, CNY.
    pub vat_refund_cny_per_unit: f64,
    /// Operating cost per unit of throughput, CNY (electricity made counts negative).
    pub cost_cny_per_unit: f64,
}

impl OwnerTerms {
    /// The owner's terms of a project.
    pub fn of(park: &Park, project: &Project) -> OwnerTerms {
        let technology = project.technology(&park.library);
        let revenue = match project.kind {
            TechnologyKind::Material => {
                project.product_price_cny_per_unit * material_yield(park, project)
            }
            TechnologyKind::HeatPump | TechnologyKind::Power => 0.0,
        };
        OwnerTerms {
            annualised_capex_cny_per_year: park
                .annualise(project.capex_cny, project.lifetime_years),
            fixed_cash_cny_per_year: project.fixed_opex_cny_per_year - project.subsidy_cny_per_year,
            revenue_cny_per_unit: revenue,
            vat_refund_cny_per_unit: revenue
                * park.library.economics.vat_rate
                * technology.vat_refund_fraction,
            cost_cny_per_unit: project_per_unit(park, project).cost(),
        }
    }

    /// Loss per unit of throughput (negative: a margin), CNY.
    pub fn loss_per_unit(&self) -> f64 {
        self.cost_cny_per_unit - self.revenue_cny_per_unit - self.vat_refund_cny_per_unit
    }

    /// Fixed cost of having built it, capital included, CNY per year.
    pub fn fixed_cny_per_year(&self) -> f64 {
        self.annualised_capex_cny_per_year + self.fixed_cash_cny_per_year
    }

    /// Cash the owner keeps each year before capital charges, CNY per year.
    pub fn cash_margin_cny_per_year(&self, throughput: f64) -> f64 {
        -self.loss_per_unit() * throughput - self.fixed_cash_cny_per_year
    }

    /// The owner's annual loss after capital charges (negative: a profit), CNY per year.
    pub fn loss_cny_per_year(&self, built: bool, throughput: f64) -> f64 {
        if built {
            self.annualised_capex_cny_per_year - self.cash_margin_cny_per_year(throughput)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;

    #[test]
    fn category_names_are_their_serde_names() {
        for category in Category::ALL {
            let serde = serde_json::to_string(&category).unwrap();
            assert_eq!(serde, format!("\"{}\"", category.name()));
        }
    }

    #[test]
    fn ledgers_add_and_scale_by_category() {
        let a = Ledger::of(Category::Transport, 10.0, 1.0);
        let b = Ledger::of(Category::Disposal, 5.0, 0.5) * 2.0;
        let sum = a + b;
        assert_eq!(sum.cost(), 20.0);
        assert_eq!(sum.co2(), 2.0);
        assert_eq!(sum.cost_of(Category::Disposal), 10.0);
        assert_eq!(sum.objective(100.0), 220.0);
    }

    #[test]
    fn truck_haulage_is_per_km_plus_handling() {
        let park = tiny();
        let truck = &park.library.transport["truck"];
        // tiny: 1.0 CNY/t·km, 5 CNY/t handling, no emissions or electricity.
        let ledger = transport_per_unit(&park, truck, 4.0);
        assert_eq!(ledger.cost(), 9.0);
        assert_eq!(ledger.co2(), 0.0);
    }

    #[test]
    fn a_tonne_of_fly_ash_replaces_half_a_tonne_of_clinker() {
        let park = tiny();
        let ledger = avoided_virgin_per_t(&park, "fly_ash", "clinker");
        assert_eq!(ledger.cost(), -150.0);
        assert!((ledger.co2() + 0.4).abs() < 1e-12);
    }

    #[test]
    fn heat_pumps_use_one_over_cop_of_electricity() {
        let park = tiny();
        let mut project = park.projects[0].clone();
        project.technology = "heat_pump".into();
        project.kind = TechnologyKind::HeatPump;
        let cop = park.library.technology["heat_pump"].cop.unwrap();
        let ledger = project_per_unit(&park, &project);
        let electricity_cost = ledger.cost_of(Category::Electricity);
        assert!((electricity_cost - 600.0 / cop).abs() < 1e-9);
        assert!((heat_pump_source_share(&park, &project) - (1.0 - 1.0 / cop)).abs() < 1e-12);
    }
}

//! The reference library's schema: every default a park file can lean on.
//!
//! The library is data (`reference.toml` beside this file), not constants in
//! code, so that each number carries its source and a park file can override
//! any of them field by field under `[library.*]`. Unknown fields are not
//! rejected by serde here but collected (with `serde_ignored`) by validation,
//! which reports all of them with the closest valid name.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole reference library, as merged from the shipped defaults and a
/// park file's `[library]` overrides.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Library {
    /// Park-wide economic defaults.
    pub economics: Economics,
    /// Heat-exchange rules shared by all heat links.
    pub heat: HeatRules,
    /// Grid-emission regions by id (`north`, `east`, …).
    pub region: BTreeMap<String, GridRegion>,
    /// Bulk industrial solid-waste kinds by id (`steel_slag`, …).
    pub waste_kind: BTreeMap<String, WasteKind>,
    /// Virgin materials a material demand can replace, by id (`clinker`, …).
    pub virgin_material: BTreeMap<String, VirginMaterial>,
    /// Products of reuse technologies, by id (`ggbs`, …).
    pub product: BTreeMap<String, Product>,
    /// Reuse and recovery technologies, by id (`ggbs_grinding`, …).
    pub technology: BTreeMap<String, Technology>,
    /// Today's heat supplies a heat demand can have, by id (`gas_boiler`, …).
    pub heat_supply: BTreeMap<String, HeatSupply>,
    /// Transport modes, by id (`truck`, `conveyor`, `steam_pipe`, `hot_water_pipe`).
    pub transport: BTreeMap<String, TransportMode>,
    /// Policy indicators a plan is scored against, by id.
    pub indicator: BTreeMap<String, Indicator>,
}

/// What an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Industrial solid-waste comprehensive utilisation rate, fraction.
    SolidWasteUtilisationRate,
    /// Waste-heat recovery (utilisation) rate, fraction.
    WasteHeatRecoveryRate,
    /// The park's CO2 per unit of energy used, t CO2 per tce.
    Co2PerEnergyTPerTce,
}

/// Whether an indicator is met at or above, or at or below, its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Met when the value is at least the threshold.
    AtLeast,
    /// Met when the value is at most the threshold.
    AtMost,
}

/// A policy indicator with its threshold.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Indicator {
    /// Readable name.
    pub name: String,
    /// What it measures.
    pub metric: Metric,
    /// At least or at most.
    pub comparison: Comparison,
    /// The threshold, in the metric's unit.
    pub threshold: f64,
    /// A different threshold for parks using more than
    /// `large_park_above_tce_per_year` of energy.
    #[serde(default)]
    pub large_park_threshold: Option<f64>,
    /// Energy use above which `large_park_threshold` applies, tce per year.
    #[serde(default)]
    pub large_park_above_tce_per_year: Option<f64>,
    /// Where the threshold comes from.
    pub source: String,
}

/// Defaults for a park's economics.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Economics {
    /// Carbon price used when the park file sets none, CNY per t CO2.
    pub carbon_price_cny_per_t: f64,
    /// Real discount rate used to annualise capital costs, as a fraction.
    pub discount_rate: f64,
    /// Industrial electricity price, CNY per MWh (bought and avoided alike).
    pub electricity_price_cny_per_mwh: f64,
    /// General VAT rate on product sales, as a fraction (for the VAT refund
    /// on resource comprehensive-utilisation products).
    pub vat_rate: f64,
    /// Where these numbers come from.
    pub source: String,
}

/// Rules for moving heat between a source and a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeatRules {
    /// Minimum temperature difference across a heat exchanger, °C.
    pub min_approach_c: f64,
    /// Where this comes from.
    pub source: String,
}

/// A grid-emission region.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GridRegion {
    /// Readable name.
    pub name: String,
    /// Average grid emission factor, t CO2 per MWh.
    pub grid_factor_t_per_mwh: f64,
    /// Where this comes from.
    pub source: String,
}

/// A bulk industrial solid-waste kind.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WasteKind {
    /// Readable name.
    pub name: String,
    /// Today's cost of storing one tonne in a compliant yard, CNY per t.
    pub disposal_cny_per_t: f64,
    /// Environmental protection tax per tonne stored in a non-compliant
    /// facility, CNY per t (charged when a waste record says it pays it).
    pub environmental_tax_cny_per_t: f64,
    /// CO2 of disposal (haulage to the yard, handling), t CO2 per t.
    pub disposal_co2_t_per_t: f64,
    /// Virgin materials one tonne of this waste can replace directly, with
    /// tonnes of virgin material replaced per tonne delivered.
    #[serde(default)]
    pub substitutes: BTreeMap<String, f64>,
    /// Where these numbers come from.
    pub source: String,
}

/// A virgin material a waste or product can replace.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VirginMaterial {
    /// Readable name.
    pub name: String,
    /// Delivered price avoided per tonne replaced, CNY per t.
    pub price_cny_per_t: f64,
    /// CO2 avoided per tonne replaced (production and supply), t CO2 per t.
    pub co2_t_per_t: f64,
    /// Where these numbers come from.
    pub source: String,
}

/// The unit a product is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductUnit {
    /// Tonnes of material.
    T,
    /// Megawatt-hours of electricity or heat.
    Mwh,
}

/// A product of a reuse technology.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Product {
    /// Readable name.
    pub name: String,
    /// Unit the product is counted in.
    pub unit: ProductUnit,
    /// Price of a sale outside the park, CNY per unit (t or MWh).
    pub market_price_cny_per_unit: f64,
    /// CO2 credited per unit sold outside the park (what it displaces
    /// there), t CO2 per unit.
    pub market_avoided_co2_t_per_unit: f64,
    /// Virgin materials one unit can replace inside the park, with tonnes
    /// replaced per unit delivered.
    #[serde(default)]
    pub substitutes: BTreeMap<String, f64>,
    /// Where these numbers come from.
    pub source: String,
}

/// What a technology does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechnologyKind {
    /// Turns solid waste into a material product (capacity in t/yr of input).
    Material,
    /// Lifts low-temperature heat to a useful temperature with electricity
    /// (capacity in MW of heat output).
    HeatPump,
    /// Turns waste heat into electricity (capacity in MW of heat input).
    Power,
}

/// A reuse or recovery technology.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Technology {
    /// Readable name.
    pub name: String,
    /// What the technology does; decides which fields below apply.
    pub kind: TechnologyKind,
    /// Product id.
    pub product: String,
    /// Waste kinds accepted as input (material technologies).
    #[serde(default)]
    pub inputs: Vec<String>,
    /// Tonnes of product per tonne of waste input (material technologies).
    #[serde(default)]
    pub yield_t_per_t: Option<f64>,
    /// Capital cost per t/yr of input capacity (material technologies), CNY.
    #[serde(default)]
    pub capex_cny_per_t_per_year: Option<f64>,
    /// Capital cost per MW of capacity (heat technologies), CNY.
    #[serde(default)]
    pub capex_cny_per_mw: Option<f64>,
    /// Fixed operating cost per year as a fraction of capex.
    pub fixed_opex_fraction: f64,
    /// Variable operating cost excluding electricity, CNY per unit of
    /// throughput (t of input for material technologies, MWh of heat for
    /// heat technologies).
    pub opex_cny_per_unit: f64,
    /// Electricity used per unit of throughput, MWh per unit (material
    /// technologies; heat pumps use `cop` instead).
    #[serde(default)]
    pub electricity_mwh_per_unit: f64,
    /// Direct process CO2 per unit of throughput, t CO2 per unit.
    #[serde(default)]
    pub process_co2_t_per_unit: f64,
    /// Economic lifetime, years.
    pub lifetime_years: f64,
    /// Share of the VAT on its product refunded under the resource
    /// comprehensive-utilisation catalogue, as a fraction (0 when not listed).
    #[serde(default)]
    pub vat_refund_fraction: f64,
    /// Capacity a project of this technology gets when the park file gives
    /// none, t/yr of input (material) or MW (heat).
    pub default_capacity: f64,
    /// Operating hours per year of heat technologies.
    #[serde(default)]
    pub hours_per_year: Option<f64>,
    /// Coefficient of performance: heat out per unit of electricity (heat pumps).
    #[serde(default)]
    pub cop: Option<f64>,
    /// Electricity out per unit of heat in (power technologies).
    #[serde(default)]
    pub efficiency: Option<f64>,
    /// Lowest source temperature the technology can use, °C (heat technologies).
    #[serde(default)]
    pub min_source_temperature_c: Option<f64>,
    /// Temperature of the heat delivered, °C (heat pumps).
    #[serde(default)]
    pub output_temperature_c: Option<f64>,
    /// Where these numbers come from.
    pub source: String,
}

/// Today's heat supply for a heat user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeatSupply {
    /// Readable name.
    pub name: String,
    /// Fuel cost per MWh of heat delivered, CNY per MWh (excluding electricity).
    pub fuel_cny_per_mwh: f64,
    /// Fuel CO2 per MWh of heat delivered, t CO2 per MWh.
    pub fuel_co2_t_per_mwh: f64,
    /// Electricity per MWh of heat delivered, MWh per MWh (priced and
    /// counted at the park's electricity price and grid factor).
    pub electricity_mwh_per_mwh: f64,
    /// Where these numbers come from.
    pub source: String,
}

/// What a transport mode carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// Bulk solids: wastes and material products (t).
    Material,
    /// Steam (MWh of heat).
    Steam,
    /// Hot water (MWh of heat).
    HotWater,
}

impl Carrier {
    /// Every carrier.
    pub const ALL: [Carrier; 3] = [Carrier::Material, Carrier::Steam, Carrier::HotWater];

    /// The carrier's name as files write it (its serde name): what a heat
    /// link says it `carries` in `plan.json` and `links.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Carrier::Material => "material",
            Carrier::Steam => "steam",
            Carrier::HotWater => "hot_water",
        }
    }

    /// The carrier of a name written by [`Carrier::name`].
    pub fn from_name(name: &str) -> Option<Carrier> {
        Carrier::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A transport mode.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransportMode {
    /// Readable name.
    pub name: String,
    /// What the mode carries.
    pub carries: Carrier,
    /// Longest route this mode may take, km.
    pub max_distance_km: f64,
    /// Route length per km of great-circle distance (roads and pipe racks wind).
    pub detour_factor: f64,
    /// Variable cost per unit per km, CNY per t·km (materials) or CNY per
    /// MWh·km (heat). `cost_cny_per_t_km` is accepted as another name.
    #[serde(default)]
    pub cost_cny_per_unit_km: f64,
    /// Loading, unloading and handling per unit moved, CNY per unit.
    #[serde(default)]
    pub handling_cny_per_unit: f64,
    /// Direct CO2 per unit per km, kg CO2 per t·km (or per MWh·km).
    #[serde(default)]
    pub co2_kg_per_unit_km: f64,
    /// Electricity per unit per km, kWh per t·km (or per MWh·km); priced and
    /// counted at the park's electricity price and grid factor.
    #[serde(default)]
    pub electricity_kwh_per_unit_km: f64,
    /// Capital cost per km of route, CNY per km (built modes).
    #[serde(default)]
    pub capex_cny_per_km: f64,
    /// Further capital cost per km per MW of link capacity, CNY per km·MW
    /// (pipes are sized to the heat they can carry).
    #[serde(default)]
    pub capex_cny_per_km_mw: f64,
    /// Capital cost per MW of link capacity at the ends (heat exchangers), CNY per MW.
    #[serde(default)]
    pub terminal_capex_cny_per_mw: f64,
    /// Fixed cost per year of having the link at all (a haulage contract), CNY per year.
    #[serde(default)]
    pub fixed_cny_per_year: f64,
    /// Fixed operating cost per year as a fraction of capex.
    #[serde(default)]
    pub fixed_opex_fraction: f64,
    /// Economic lifetime of built infrastructure, years.
    #[serde(default = "default_lifetime")]
    pub lifetime_years: f64,
    /// Fraction of the heat sent that is lost per km (heat modes).
    #[serde(default)]
    pub heat_loss_fraction_per_km: f64,
    /// Temperature drop along the route, °C per km (heat modes).
    #[serde(default)]
    pub temperature_drop_c_per_km: f64,
    /// Highest temperature the medium can supply, °C (hot water).
    #[serde(default)]
    pub max_supply_temperature_c: Option<f64>,
    /// Lowest source temperature the medium needs, °C (steam raising).
    #[serde(default)]
    pub min_source_temperature_c: Option<f64>,
    /// Where these numbers come from.
    pub source: String,
}

fn default_lifetime() -> f64 {
    20.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carrier_names_are_their_serde_names() {
        for carrier in Carrier::ALL {
            let serde = serde_json::to_string(&carrier).unwrap();
            assert_eq!(serde, format!("\"{}\"", carrier.name()));
            assert_eq!(Carrier::from_name(carrier.name()), Some(carrier));
        }
        assert_eq!(Carrier::from_name("fly_ash"), None);
    }
}

//! The park file's schema, exactly as written by a user.
//!
//! These structs mirror the file one to one: units live in the field names,
//! nothing is resolved or checked here beyond the shape. Unknown fields are
//! collected by the loader (not rejected one at a time) so that `check` can
//! report every problem at once.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A `[lon, lat]` pair in WGS84 degrees.
pub type LonLat = [f64; 2];

/// A whole park file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParkFile {
    /// Park-wide settings.
    pub park: ParkSection,
    /// Plants (firms) of the park.
    #[serde(default)]
    pub plant: Vec<PlantRecord>,
    /// Bulk industrial solid-waste streams.
    #[serde(default)]
    pub waste: Vec<WasteRecord>,
    /// Recoverable waste-heat sources.
    #[serde(default)]
    pub heat_source: Vec<HeatSourceRecord>,
    /// Heat users and how they are supplied today.
    #[serde(default)]
    pub heat_demand: Vec<HeatDemandRecord>,
    /// Plants that can take wastes or products in place of virgin material.
    #[serde(default)]
    pub material_demand: Vec<MaterialDemandRecord>,
    /// Candidate reuse and recovery projects.
    #[serde(default)]
    pub project: Vec<ProjectRecord>,
    /// Areas no link may cross.
    #[serde(default)]
    pub exclusion_zone: Vec<ExclusionZoneRecord>,
    /// Goals the plan must meet (green-park indicators, caps, a budget).
    #[serde(default, skip_serializing_if = "TargetsSection::is_empty")]
    pub targets: TargetsSection,
    /// Per-mode overrides of the library's transport defaults
    /// (`[transport.truck]`), merged into `library.transport`.
    #[serde(default)]
    pub transport: BTreeMap<String, toml::Table>,
    /// Overrides of any reference-library entry, field by field
    /// (`[library.waste_kind.fly_ash]`), or new entries.
    #[serde(default)]
    pub library: Option<toml::Table>,
}

/// `[park]`: park-wide settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParkSection {
    /// Park name; also names the report folder.
    pub name: String,
    /// Grid-emission region id from the library.
    pub region: String,
    /// Carbon price, CNY per t CO2 (library default otherwise).
    #[serde(default)]
    pub carbon_price_cny_per_t: Option<f64>,
    /// Real discount rate for annualising capital, fraction (library default otherwise).
    #[serde(default)]
    pub discount_rate: Option<f64>,
    /// Override of the region's grid emission factor, t CO2 per MWh.
    #[serde(default)]
    pub grid_factor_t_per_mwh: Option<f64>,
    /// Optional park boundary polygon, `[lon, lat]` vertices.
    #[serde(default)]
    pub boundary: Option<Vec<LonLat>>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// The whole park's energy use today, tce per year (for CO2-per-energy indicators).
    #[serde(default)]
    pub energy_tce_per_year: Option<f64>,
    /// The whole park's CO2 today (scope 1 and 2), t per year (for CO2-per-energy indicators).
    #[serde(default)]
    pub co2_t_per_year: Option<f64>,
}

/// `[[plant]]`: a plant (firm) of the park.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlantRecord {
    /// Unique id.
    pub id: String,
    /// Readable name (any UTF-8).
    #[serde(default)]
    pub name: Option<String>,
    /// Sector, free text (steel, power, cement, chemicals, …).
    #[serde(default)]
    pub sector: Option<String>,
    /// `[lon, lat]`, WGS84.
    pub location: LonLat,
}

/// `[[waste]]`: a bulk industrial solid-waste stream.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WasteRecord {
    /// Unique id.
    pub id: String,
    /// Plant that produces it.
    pub plant: String,
    /// Waste kind from the library.
    pub kind: String,
    /// Tonnes produced per year.
    pub t_per_year: f64,
    /// Today's cost of storing or landfilling it, CNY per t (library
    /// default for the kind otherwise).
    #[serde(default)]
    pub disposal_cny_per_t: Option<f64>,
    /// Whether today's storage is non-compliant and so pays the
    /// environmental protection tax on top of `disposal_cny_per_t`.
    #[serde(default)]
    pub pays_environmental_tax: bool,
    /// When the waste is already sold today rather than disposed: the price
    /// it fetches, CNY per t. Today's outlet is then a sale, and it counts
    /// as utilised.
    #[serde(default)]
    pub sold_today_cny_per_t: Option<f64>,
    /// CO2 that today's buyers avoid with each tonne (what it displaces
    /// where it goes today), t CO2 per t; credited in the baseline too, so
    /// only additional savings count.
    #[serde(default)]
    pub sold_today_avoided_co2_t_per_t: Option<f64>,
}

/// `[[heat_source]]`: recoverable waste heat.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeatSourceRecord {
    /// Unique id.
    pub id: String,
    /// Plant it belongs to.
    pub plant: String,
    /// Recoverable thermal power, MW.
    pub mw: f64,
    /// Temperature of the recoverable heat, °C.
    pub temperature_c: f64,
    /// Hours per year it is available.
    pub hours_per_year: f64,
}

/// `[[heat_demand]]`: a heat user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeatDemandRecord {
    /// Unique id.
    pub id: String,
    /// Plant it belongs to.
    pub plant: String,
    /// Average thermal load, MW.
    pub mw: f64,
    /// Temperature the user needs, °C.
    pub temperature_c: f64,
    /// Hours per year of demand.
    pub hours_per_year: f64,
    /// Today's heat supply, from the library.
    pub current_supply: String,
}

/// `[[material_demand]]`: a plant that can take wastes or products.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MaterialDemandRecord {
    /// Unique id.
    pub id: String,
    /// Plant it belongs to.
    pub plant: String,
    /// Waste kinds and products accepted.
    pub accepts: Vec<String>,
    /// Most it can take per year, t.
    pub max_t_per_year: f64,
    /// Virgin material replaced, from the library.
    pub replaces: String,
}

/// `[[project]]`: a candidate reuse or recovery project.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectRecord {
    /// Unique id.
    pub id: String,
    /// Readable name.
    #[serde(default)]
    pub name: Option<String>,
    /// Technology from the library.
    pub technology: String,
    /// Site, `[lon, lat]`, WGS84.
    pub location: LonLat,
    /// Input capacity, t/yr (material technologies).
    #[serde(default)]
    pub max_t_per_year: Option<f64>,
    /// Capacity, MW (heat technologies).
    #[serde(default)]
    pub max_mw: Option<f64>,
    /// Total capital cost, CNY (library cost per capacity otherwise).
    #[serde(default)]
    pub capex_cny: Option<f64>,
    /// Variable operating cost per unit of throughput, CNY per t (or per MWh).
    #[serde(default)]
    pub opex_cny_per_t: Option<f64>,
    /// Economic lifetime, years.
    #[serde(default)]
    pub lifetime_years: Option<f64>,
    /// Market price of the product, CNY per t (or per MWh).
    #[serde(default)]
    pub product_price_cny_per_t: Option<f64>,
    /// Annual support the project receives when built, CNY per year.
    #[serde(default)]
    pub subsidy_cny_per_year: Option<f64>,
    /// Most of the product the outside market takes per year, t (unlimited otherwise).
    #[serde(default)]
    pub max_market_t_per_year: Option<f64>,
    /// CO2 credited per t sold outside the park, t CO2 per t (library default
    /// for the product otherwise).
    #[serde(default)]
    pub market_avoided_co2_t_per_t: Option<f64>,
}

/// `[targets]`: goals every plan must meet. When they cannot all be met the
/// optimiser says which fall short, by how much and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetsSection {
    /// Least share of the park's solid waste utilised (not disposed), fraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solid_waste_utilisation_min: Option<f64>,
    /// Least share of the park's recoverable waste heat used, fraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waste_heat_utilisation_min: Option<f64>,
    /// Most CO2 of the modelled flows (the plan's `co2_t_per_year`), t per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2_max_t_per_year: Option<f64>,
    /// Most capital the plan may spend on projects and links, CNY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capex_budget_cny: Option<f64>,
}

impl TargetsSection {
    /// Whether no target is set.
    pub fn is_empty(&self) -> bool {
        self == &TargetsSection::default()
    }
}

/// The kind of an exclusion zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// Towns and villages.
    Residential,
    /// Drinking-water protection areas.
    WaterProtection,
    /// Ecological protection red lines.
    EcologicalRedline,
    /// Anything else no link may cross.
    Other,
}

/// `[[exclusion_zone]]`: an area no link may cross.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExclusionZoneRecord {
    /// Unique id.
    pub id: String,
    /// Readable name.
    #[serde(default)]
    pub name: Option<String>,
    /// What the area is.
    pub kind: ZoneKind,
    /// Outline, `[lon, lat]` vertices (closing vertex optional).
    pub polygon: Vec<LonLat>,
}

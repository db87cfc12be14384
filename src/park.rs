//! The validated park: every reference resolved to an index, every default
//! filled in from the library, every number checked.
//!
//! Later stages take a [`Park`] and never re-check what validation
//! guarantees, so they can index without fallible look-ups.

use crate::input::{LonLat, ZoneKind};
use crate::library::{Library, Technology, TechnologyKind};
use serde::Serialize;

/// A validated park.
#[derive(Debug, Clone)]
pub struct Park {
    /// Park name.
    pub name: String,
    /// Grid-emission region id.
    pub region: String,
    /// Carbon price, CNY per t CO2.
    pub carbon_price_cny_per_t: f64,
    /// Real discount rate, fraction.
    pub discount_rate: f64,
    /// Grid emission factor, t CO2 per MWh.
    pub grid_factor_t_per_mwh: f64,
    /// Electricity price, CNY per MWh.
    pub electricity_price_cny_per_mwh: f64,
    /// Optional park boundary.
    pub boundary: Option<Vec<LonLat>>,
    /// The whole park's energy use today, tce per year, when given.
    pub energy_tce_per_year: Option<f64>,
    /// The whole park's CO2 today, t per year, when given.
    pub co2_t_per_year: Option<f64>,
    /// Plants.
    pub plants: Vec<Plant>,
    /// Solid-waste streams.
    pub wastes: Vec<Waste>,
    /// Waste-heat sources.
    pub heat_sources: Vec<HeatSource>,
    /// Heat users.
    pub heat_demands: Vec<HeatDemand>,
    /// Material users.
    pub material_demands: Vec<MaterialDemand>,
    /// Candidate projects.
    pub projects: Vec<Project>,
    /// Exclusion zones.
    pub zones: Vec<Zone>,
    /// Goals every plan must meet.
    pub targets: Targets,
    /// The library with the park's overrides merged in.
    pub library: Library,
}

/// Goals every plan must meet (`[targets]`, checked).
pub type Targets = crate::input::TargetsSection;

/// A plant.
#[derive(Debug, Clone, Serialize)]
pub struct Plant {
    /// Id.
    pub id: String,
    /// Readable name (the id when none was given).
    pub name: String,
    /// Sector, free text.
    pub sector: Option<String>,
    /// `[lon, lat]`.
    pub location: LonLat,
}

/// A solid-waste stream.
#[derive(Debug, Clone)]
pub struct Waste {
    /// Id.
    pub id: String,
    /// Index of the producing plant.
    pub plant: usize,
    /// Waste kind id.
    pub kind: String,
    /// Tonnes per year.
    pub t_per_year: f64,
    /// What happens to it today, and what that costs.
    pub today: TodayOutlet,
}

/// Where a waste stream goes today, when no link takes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TodayOutlet {
    /// Stored or landfilled.
    Disposal {
        /// Cost including any environmental tax, CNY per t.
        cost_cny_per_t: f64,
        /// CO2 of haulage and handling, t per t.
        co2_t_per_t: f64,
    },
    /// Sold as it is (counts as utilised).
    Sold {
        /// Price received, CNY per t.
        price_cny_per_t: f64,
        /// CO2 the buyers avoid with it, t per t.
        avoided_co2_t_per_t: f64,
    },
}

impl TodayOutlet {
    /// Whether tonnes on this outlet count as utilised.
    pub fn is_utilised(&self) -> bool {
        matches!(self, TodayOutlet::Sold { .. })
    }
}

/// A waste-heat source.
#[derive(Debug, Clone)]
pub struct HeatSource {
    /// Id.
    pub id: String,
    /// Index of the plant.
    pub plant: usize,
    /// Recoverable power, MW.
    pub mw: f64,
    /// Temperature, °C.
    pub temperature_c: f64,
    /// Hours available per year.
    pub hours_per_year: f64,
}

impl HeatSource {
    /// Recoverable heat per year, MWh.
    pub fn mwh_per_year(&self) -> f64 {
        self.mw * self.hours_per_year
    }
}

/// A heat user.
#[derive(Debug, Clone)]
pub struct HeatDemand {
    /// Id.
    pub id: String,
    /// Index of the plant.
    pub plant: usize,
    /// Average load, MW.
    pub mw: f64,
    /// Required temperature, °C.
    pub temperature_c: f64,
    /// Hours of demand per year.
    pub hours_per_year: f64,
    /// Today's heat supply id.
    pub current_supply: String,
}

impl HeatDemand {
    /// Heat needed per year, MWh.
    pub fn mwh_per_year(&self) -> f64 {
        self.mw * self.hours_per_year
    }
}

/// A material user.
#[derive(Debug, Clone)]
pub struct MaterialDemand {
    /// Id.
    pub id: String,
    /// Index of the plant.
    pub plant: usize,
    /// Waste kinds and products accepted.
    pub accepts: Vec<String>,
    /// Most it takes per year, t.
    pub max_t_per_year: f64,
    /// Virgin material replaced.
    pub replaces: String,
}

/// A candidate project, with its technology's defaults filled in.
#[derive(Debug, Clone)]
pub struct Project {
    /// Id.
    pub id: String,
    /// Readable name.
    pub name: String,
    /// Technology id.
    pub technology: String,
    /// What the technology does.
    pub kind: TechnologyKind,
    /// Site.
    pub location: LonLat,
    /// Capacity in its natural unit: t/yr of input (material), MW of heat
    /// output (heat pump), MW of heat input (power).
    pub capacity: f64,
    /// Operating hours per year (heat technologies; 8760 otherwise).
    pub hours_per_year: f64,
    /// Total capital cost, CNY.
    pub capex_cny: f64,
    /// Fixed operating cost, CNY per year.
    pub fixed_opex_cny_per_year: f64,
    /// Annual support received when built, CNY per year.
    pub subsidy_cny_per_year: f64,
    /// Variable operating cost excluding electricity, CNY per unit of throughput.
    pub opex_cny_per_unit: f64,
    /// Economic lifetime, years.
    pub lifetime_years: f64,
    /// Product id.
    pub product: String,
    /// Market price of the product, CNY per unit.
    pub product_price_cny_per_unit: f64,
    /// Most the outside market takes per year, t.
    pub max_market_t_per_year: f64,
    /// CO2 credited per unit sold outside the park, t.
    pub market_avoided_co2_t_per_unit: f64,
}

impl Project {
    /// Most throughput per year: t of input, or MWh (of heat output for a
    /// heat pump, heat input for power).
    pub fn max_throughput_per_year(&self) -> f64 {
        match self.kind {
            TechnologyKind::Material => self.capacity,
            TechnologyKind::HeatPump | TechnologyKind::Power => self.capacity * self.hours_per_year,
        }
    }

    /// The library entry of the project's technology.
    pub fn technology<'a>(&self, library: &'a Library) -> &'a Technology {
        &library.technology[&self.technology]
    }
}

/// An exclusion zone.
#[derive(Debug, Clone)]
pub struct Zone {
    /// Id.
    pub id: String,
    /// Readable name.
    pub name: String,
    /// What the zone is.
    pub kind: ZoneKind,
    /// Outline, `[lon, lat]`, closed (first vertex repeated at the end).
    pub polygon: Vec<LonLat>,
}

impl Park {
    /// Location of a plant by index.
    pub fn plant_location(&self, plant: usize) -> LonLat {
        self.plants[plant].location
    }

    /// Annualised capital cost per year of `capex_cny` over `lifetime_years`
    /// at the park's discount rate, CNY per year.
    pub fn annualise(&self, capex_cny: f64, lifetime_years: f64) -> f64 {
        capex_cny * Library::capital_recovery_factor(self.discount_rate, lifetime_years)
    }

    /// Total solid waste produced per year, t.
    pub fn total_waste_t_per_year(&self) -> f64 {
        self.wastes.iter().map(|waste| waste.t_per_year).sum()
    }

    /// Total recoverable waste heat per year, MWh.
    pub fn total_waste_heat_mwh_per_year(&self) -> f64 {
        self.heat_sources.iter().map(HeatSource::mwh_per_year).sum()
    }
}

/// Parks for unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::Park;

    /// The optimal plan of a park with the default solver settings.
    pub fn optimal_plan(park: &Park) -> crate::solution::Plan {
        crate::pipeline::optimise(park, &Default::default())
            .expect("a backend")
            .plan
            .expect("a plan")
    }

    /// The shipped `tiny` park, optionally with text replaced first.
    pub fn tiny_with(replacements: &[(&str, &str)]) -> Park {
        let mut text = include_str!("../parks/tiny/park.toml").to_string();
        for (from, to) in replacements {
            assert!(text.contains(from), "tiny park has no {from:?}");
            text = text.replacen(from, to, 1);
        }
        let loaded = crate::input::parse("tiny/park.toml", text, crate::input::Format::Toml)
            .expect("tiny parses");
        crate::validate::validate(&loaded).expect("tiny is valid").0
    }

    /// The shipped `tiny` park.
    pub fn tiny() -> Park {
        tiny_with(&[])
    }

    /// A shipped park, `parks/<name>/park.toml`, validated.
    pub fn shipped(name: &str) -> Park {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("parks/{name}/park.toml"));
        match crate::validate::load_and_validate(&path) {
            Ok((park, _)) => park,
            Err(report) => panic!("{name} does not validate: {report:?}"),
        }
    }
}

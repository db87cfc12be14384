//! Synthetic parks and regions of parks, for scaling studies and benches:
//! the structure of real Chinese industrial parks — a sector mix of steel,
//! power, cement, chemicals, building materials and nonferrous plants,
//! each with the wastes, waste heat and demands its sector has — with
//! plants clustered in parks a few km across, parks in pairs about 30 km
//! apart (a city's two parks), cities 150–180 km apart (beyond a truck's
//! range, so a region falls apart into independent components), and an
//! exclusion zone (a town) at the centre of every park. Same options, same
//! file.
//!
//! Quantities are drawn uniformly from ranges that are estimates for
//! plants of ordinary size, checked against the national figures in the
//! reference library's sources (slag per t of steel, ash per MWh, the
//! sizes of the shipped parks); they make realistic *structure*, not a
//! description of any real park. (\[E\] marks an estimate, as in the
//! reference library.)

use crate::input::{
    ExclusionZoneRecord, HeatDemandRecord, HeatSourceRecord, LonLat, MaterialDemandRecord,
    ParkFile, ParkSection, PlantRecord, ProjectRecord, WasteRecord, ZoneKind,
};
use crate::random::SplitMix64;
use std::collections::BTreeMap;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Plants in all.
    pub plants: usize,
    /// Seed of the random draws.
    pub seed: u64,
    /// Plants per park (the last park takes the remainder).
    pub plants_per_park: usize,
}

/// The request cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// No plants asked for.
    #[error("--plants must be at least 1, got {0}")]
    NoPlants(usize),
    /// No plants per park.
    #[error("--plants-per-park must be at least 1, got {0}")]
    NoPlantsPerPark(usize),
    /// More plants than a region may have.
    #[error("--plants must be at most {MAX_PLANTS}, got {0}")]
    TooManyPlants(usize),
    /// Larger parks than a park may be.
    #[error("--plants-per-park must be at most {MAX_PLANTS_PER_PARK}, got {0}")]
    TooManyPlantsPerPark(usize),
    /// More parks than fit on the globe at 150 km apart.
    #[error("{parks} parks do not fit on the globe 150 km apart (at most {most}); raise --plants-per-park or ask for fewer --plants")]
    TooManyParks {
        /// Parks asked for.
        parks: usize,
        /// Most that fit.
        most: usize,
    },
}

/// The industrial sectors of a synthetic park.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sector {
    Steel,
    Power,
    Cement,
    Chemicals,
    BuildingMaterials,
    Nonferrous,
}

impl Sector {
    /// Sectors with their share of plants [E: a heavy-industry park mix].
    const MIX: [(Sector, f64); 6] = [
        (Sector::Steel, 0.15),
        (Sector::Power, 0.20),
        (Sector::Cement, 0.15),
        (Sector::Chemicals, 0.20),
        (Sector::BuildingMaterials, 0.15),
        (Sector::Nonferrous, 0.15),
    ];

    fn id(self) -> &'static str {
        match self {
            Sector::Steel => "steel",
            Sector::Power => "power",
            Sector::Cement => "cement",
            Sector::Chemicals => "chemicals",
            Sector::BuildingMaterials => "building_materials",
            Sector::Nonferrous => "nonferrous",
        }
    }

    fn chinese(self) -> &'static str {
        match self {
            Sector::Steel => "钢铁厂",
            Sector::Power => "电厂",
            Sector::Cement => "水泥厂",
            Sector::Chemicals => "化工厂",
            Sector::BuildingMaterials => "建材厂",
            Sector::Nonferrous => "有色冶炼厂",
        }
    }

    fn draw(random: &mut SplitMix64) -> Sector {
        let mut x = random.uniform(0.0, 1.0);
        for (sector, share) in Sector::MIX {
            if x < share {
                return sector;
            }
            x -= share;
        }
        Sector::Nonferrous
    }
}

/// Parks per city, degrees between a city's parks (about 30 km) and
/// between cities (about 150 km of longitude, 180 km of latitude), the
/// park radius (about 3 km), the town at each park's centre and the margin
/// plants keep from it.
const PARKS_PER_CITY: usize = 2;
const PARK_SPACING_DEG: f64 = 0.3;
const CITY_SPACING_DEG: f64 = 1.6;
const PARK_RADIUS_DEG: f64 = 0.03;
const TOWN_HALF_DEG: f64 = 0.004;
const TOWN_MARGIN_DEG: f64 = 0.003;

/// South-west corner and columns of the grid of `cities` cities: twice as
/// wide as tall from 100° E, 30° N (northern China) while that fits; a
/// larger region (a hundred thousand plants) spans the longitudes from
/// 179° W instead, rows from 40° S, so every coordinate stays valid.
fn city_grid(cities: usize) -> Result<([f64; 2], usize), GenerateError> {
    let columns = ((2 * cities) as f64).sqrt().ceil() as usize;
    let rows = cities.div_ceil(columns.max(1));
    let span = |count: usize| count as f64 * CITY_SPACING_DEG + PARK_SPACING_DEG + 0.1;
    if 100.0 + span(columns) <= 180.0 && 30.0 + span(rows) <= 90.0 {
        return Ok(([100.0, 30.0], columns));
    }
    let fitting = |span_deg: f64| ((span_deg - PARK_SPACING_DEG - 0.1) / CITY_SPACING_DEG) as usize;
    let (columns, rows) = (fitting(358.0), fitting(129.0));
    if cities > columns * rows {
        return Err(GenerateError::TooManyParks {
            parks: cities * PARKS_PER_CITY,
            most: columns * rows * PARKS_PER_CITY,
        });
    }
    Ok(([-179.0, -40.0], columns))
}

/// The most plants a synthetic region may have. A plant with its wastes,
/// heat and projects takes about 700 bytes of TOML and 5 KB of memory
/// while it is generated (measured at 20,000 plants), so 200,000 plants
/// make a file of about 140 MB, under the park file cap
/// ([`crate::input::MAX_FILE_BYTES`]), in about 1 GB; ten million ran out
/// of memory.
pub const MAX_PLANTS: usize = 200_000;
/// The most plants one synthetic park may have: candidate links grow with
/// the square of a park's plants.
pub const MAX_PLANTS_PER_PARK: usize = 10_000;

/// Generates a park file: `plants` plants (1 to [`MAX_PLANTS`]) in parks
/// of `plants_per_park` (1 to [`MAX_PLANTS_PER_PARK`]).
pub fn generate(options: &GenerateOptions) -> Result<ParkFile, GenerateError> {
    if options.plants == 0 {
        return Err(GenerateError::NoPlants(options.plants));
    }
    if options.plants > MAX_PLANTS {
        return Err(GenerateError::TooManyPlants(options.plants));
    }
    if options.plants_per_park == 0 {
        return Err(GenerateError::NoPlantsPerPark(options.plants_per_park));
    }
    if options.plants_per_park > MAX_PLANTS_PER_PARK {
        return Err(GenerateError::TooManyPlantsPerPark(options.plants_per_park));
    }
    let mut random = SplitMix64(options.seed);
    let parks = options.plants.div_ceil(options.plants_per_park);
    // Cities on a grid twice as wide as it is tall.
    let cities = parks.div_ceil(PARKS_PER_CITY);
    let (origin, columns) = city_grid(cities)?;
    let mut file = ParkFile {
        park: ParkSection {
            name: format!("synthetic-{}-plants-seed-{}", options.plants, options.seed),
            region: "north".to_string(),
            carbon_price_cny_per_t: None,
            discount_rate: None,
            grid_factor_t_per_mwh: None,
            boundary: None,
            description: Some(format!(
                "Synthetic region: {} plants in {parks} parks of up to {} plants, generated by `ecopark generate --plants {} --seed {}`; not a real park.",
                options.plants, options.plants_per_park, options.plants, options.seed
            )),
            energy_tce_per_year: None,
            co2_t_per_year: None,
        },
        plant: Vec::new(),
        waste: Vec::new(),
        heat_source: Vec::new(),
        heat_demand: Vec::new(),
        material_demand: Vec::new(),
        project: Vec::new(),
        exclusion_zone: Vec::new(),
        targets: Default::default(),
        transport: BTreeMap::new(),
        library: None,
    };
    for park in 0..parks {
        let (city, within) = (park / PARKS_PER_CITY, park % PARKS_PER_CITY);
        let centre = [
            origin[0]
                + (city % columns) as f64 * CITY_SPACING_DEG
                + within as f64 * PARK_SPACING_DEG
                + random.uniform(-0.03, 0.03),
            origin[1] + (city / columns) as f64 * CITY_SPACING_DEG + random.uniform(-0.03, 0.03),
        ];
        file.exclusion_zone.push(town(park, centre));
        let first = park * options.plants_per_park;
        let last = (first + options.plants_per_park).min(options.plants);
        for k in 0..last - first {
            add_plant(&mut file, &mut random, park, k, centre);
        }
    }
    Ok(file)
}

/// The town at a park's centre: a square no plant or project stands in.
fn town(park: usize, [lon, lat]: LonLat) -> ExclusionZoneRecord {
    let h = TOWN_HALF_DEG;
    ExclusionZoneRecord {
        id: format!("p{park}-town"),
        name: Some(format!("园区{park} 镇区")),
        kind: ZoneKind::Residential,
        polygon: vec![
            [lon - h, lat - h],
            [lon + h, lat - h],
            [lon + h, lat + h],
            [lon - h, lat + h],
        ],
    }
}

/// A site in the park's disc, clear of its town.
fn site(random: &mut SplitMix64, [lon, lat]: LonLat) -> LonLat {
    loop {
        let (dx, dy) = (
            random.uniform(-PARK_RADIUS_DEG, PARK_RADIUS_DEG),
            random.uniform(-PARK_RADIUS_DEG, PARK_RADIUS_DEG),
        );
        let in_disc = dx * dx + dy * dy <= PARK_RADIUS_DEG * PARK_RADIUS_DEG;
        let clear = dx.abs().max(dy.abs()) > TOWN_HALF_DEG + TOWN_MARGIN_DEG;
        if in_disc && clear {
            return [round6(lon + dx), round6(lat + dy)];
        }
    }
}

/// Coordinates to 6 decimals (about 0.1 m): short, stable files.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A quantity drawn from `[low, high)`, rounded to 3 significant figures.
fn quantity(random: &mut SplitMix64, low: f64, high: f64) -> f64 {
    let x = random.uniform(low, high);
    let magnitude = 10f64.powi(x.abs().log10().floor() as i32 - 2);
    (x / magnitude).round() * magnitude
}

/// One plant of a random sector with its sector's streams, users and
/// candidate projects.
fn add_plant(file: &mut ParkFile, random: &mut SplitMix64, park: usize, k: usize, centre: LonLat) {
    let sector = Sector::draw(random);
    let id = format!("p{park}-{}-{k}", sector.id());
    let location = site(random, centre);
    file.plant.push(PlantRecord {
        id: id.clone(),
        name: Some(format!("园区{park} {}{k}", sector.chinese())),
        sector: Some(sector.id().to_string()),
        location,
    });
    let mut host = Host {
        file,
        random,
        id,
        near: [round6(location[0] + 0.002), round6(location[1])],
    };
    match sector {
        Sector::Steel => host.steel(),
        Sector::Power => host.power(),
        Sector::Cement => host.cement(),
        Sector::Chemicals => host.chemicals(),
        Sector::BuildingMaterials => host.building_materials(),
        Sector::Nonferrous => host.nonferrous(),
    }
}

/// A plant being given its sector's streams, users and projects: the file
/// they go into, the random draws they take, the plant's id and the site
/// next to it where its projects stand. Each record draws its one random
/// quantity as it is added, so the order of the calls is the order of the
/// draws.
struct Host<'a> {
    file: &'a mut ParkFile,
    random: &'a mut SplitMix64,
    id: String,
    near: LonLat,
}

impl Host<'_> {
    /// [E] a 2–8 Mt/yr works: BF slag ~0.3 t and steel slag ~0.12 t per t of steel.
    fn steel(&mut self) {
        self.waste("bf-slag", "bf_slag", (500_000.0, 2_500_000.0));
        self.waste("steel-slag", "steel_slag", (250_000.0, 1_000_000.0));
        self.heat_source("sinter-heat", (20.0, 60.0), 350.0, 8000.0);
        self.project("ggbs", "ggbs_grinding", (400_000.0, 1_200_000.0), false);
        self.project(
            "aggregate",
            "steel_slag_aggregate",
            (200_000.0, 800_000.0),
            false,
        );
    }

    /// [E] a 1–2 GW coal plant: fly ash 0.3–1 Mt/yr, FGD gypsum 0.05–0.3 Mt/yr.
    fn power(&mut self) {
        self.waste("fly-ash", "fly_ash", (300_000.0, 1_000_000.0));
        self.waste("fgd-gypsum", "fgd_gypsum", (50_000.0, 300_000.0));
        self.heat_source("flue-heat", (10.0, 40.0), 160.0, 7000.0);
        self.project(
            "classifier",
            "fly_ash_classification",
            (200_000.0, 500_000.0),
            false,
        );
        self.project("heat-pump", "heat_pump", (5.0, 15.0), true);
    }

    /// [E] a 1–3 Mt/yr cement works: supplementary materials up to ~30 % of cement.
    fn cement(&mut self) {
        self.material_demand(
            "scm",
            &["fly_ash", "classified_fly_ash", "ggbs", "bf_slag"],
            (200_000.0, 900_000.0),
            "clinker",
        );
        self.material_demand(
            "iron-corrective",
            &["red_mud", "smelting_slag"],
            (10_000.0, 40_000.0),
            "iron_corrective",
        );
        self.material_demand(
            "retarder",
            &["fgd_gypsum"],
            (20_000.0, 80_000.0),
            "cement_retarder",
        );
    }

    /// [E] steam users of 10–40 MW; one in three makes PVC from carbide (0.1–0.5 Mt/yr of slag).
    fn chemicals(&mut self) {
        let supply = if self.random.uniform(0.0, 1.0) < 0.5 {
            "gas_boiler"
        } else {
            "coal_boiler"
        };
        self.heat_demand("steam", (10.0, 40.0), 180.0, 8000.0, supply);
        if self.random.uniform(0.0, 1.0) < 1.0 / 3.0 {
            self.waste("carbide-slag", "carbide_slag", (100_000.0, 500_000.0));
            self.project(
                "raw-meal",
                "carbide_slag_raw_meal",
                (100_000.0, 400_000.0),
                false,
            );
        }
    }

    /// [E] board and aggregate users of ordinary size.
    fn building_materials(&mut self) {
        self.material_demand(
            "gypsum",
            &["fgd_gypsum", "plasterboard"],
            (50_000.0, 300_000.0),
            "natural_gypsum",
        );
        self.material_demand(
            "aggregate",
            &["steel_slag", "slag_aggregate", "smelting_slag", "tailings"],
            (200_000.0, 1_000_000.0),
            "aggregate",
        );
        self.heat_demand("drying", (3.0, 12.0), 90.0, 6000.0, "gas_boiler");
    }

    /// [E] an alumina refinery or smelter: red mud 0.3–1.5 Mt/yr, slag 0.1–0.5 Mt/yr.
    fn nonferrous(&mut self) {
        self.waste("red-mud", "red_mud", (300_000.0, 1_500_000.0));
        self.waste("smelting-slag", "smelting_slag", (100_000.0, 500_000.0));
        self.heat_source("furnace-heat", (15.0, 40.0), 300.0, 8000.0);
        self.project("orc", "orc", (3.0, 10.0), true);
    }

    /// A quantity drawn from `low..high`, rounded to 3 significant figures.
    fn quantity(&mut self, (low, high): (f64, f64)) -> f64 {
        quantity(self.random, low, high)
    }

    /// A waste of `kind`, its t per year drawn from `range`.
    fn waste(&mut self, suffix: &str, kind: &str, range: (f64, f64)) {
        let t_per_year = self.quantity(range);
        self.file.waste.push(WasteRecord {
            id: format!("{}-{suffix}", self.id),
            plant: self.id.clone(),
            kind: kind.to_string(),
            t_per_year,
            disposal_cny_per_t: None,
            pays_environmental_tax: false,
            sold_today_cny_per_t: None,
            sold_today_avoided_co2_t_per_t: None,
        });
    }

    /// A waste-heat source, its MW drawn from `range`.
    fn heat_source(&mut self, suffix: &str, range: (f64, f64), temperature_c: f64, hours: f64) {
        let mw = self.quantity(range);
        self.file.heat_source.push(HeatSourceRecord {
            id: format!("{}-{suffix}", self.id),
            plant: self.id.clone(),
            mw,
            temperature_c,
            hours_per_year: hours,
        });
    }

    /// A user of wastes or products in place of `replaces`, its t per year
    /// drawn from `range`.
    fn material_demand(
        &mut self,
        suffix: &str,
        accepts: &[&str],
        range: (f64, f64),
        replaces: &str,
    ) {
        let max_t_per_year = self.quantity(range);
        self.file.material_demand.push(MaterialDemandRecord {
            id: format!("{}-{suffix}", self.id),
            plant: self.id.clone(),
            accepts: accepts.iter().map(|a| a.to_string()).collect(),
            max_t_per_year,
            replaces: replaces.to_string(),
        });
    }

    /// A heat user supplied today by `current_supply`, its MW drawn from `range`.
    fn heat_demand(
        &mut self,
        suffix: &str,
        range: (f64, f64),
        temperature_c: f64,
        hours: f64,
        current_supply: &str,
    ) {
        let mw = self.quantity(range);
        self.file.heat_demand.push(HeatDemandRecord {
            id: format!("{}-{suffix}", self.id),
            plant: self.id.clone(),
            mw,
            temperature_c,
            hours_per_year: hours,
            current_supply: current_supply.to_string(),
        });
    }

    /// A candidate project next to the plant, its capacity drawn from
    /// `range` (t per year, or MW when `in_mw`).
    fn project(&mut self, suffix: &str, technology: &str, range: (f64, f64), in_mw: bool) {
        let capacity = self.quantity(range);
        self.file.project.push(ProjectRecord {
            id: format!("{}-{suffix}", self.id),
            name: None,
            technology: technology.to_string(),
            location: self.near,
            max_t_per_year: (!in_mw).then_some(capacity),
            max_mw: in_mw.then_some(capacity),
            capex_cny: None,
            opex_cny_per_t: None,
            lifetime_years: None,
            product_price_cny_per_t: None,
            subsidy_cny_per_year: None,
            max_market_t_per_year: None,
            market_avoided_co2_t_per_t: None,
        });
    }
}

/// The park file as TOML, with a header saying what it is.
pub fn to_toml(file: &ParkFile) -> Result<String, toml::ser::Error> {
    let body = toml::to_string(file)?;
    Ok(format!(
        "# Synthetic park written by `ecopark generate`: realistic structure, not a real park.\n# {}\n\n{body}",
        file.park.description.as_deref().unwrap_or_default()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(plants: usize, seed: u64) -> GenerateOptions {
        GenerateOptions {
            plants,
            seed,
            plants_per_park: 12,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_file_and_another_seed_another() {
        let a = to_toml(&generate(&options(40, 7)).unwrap()).unwrap();
        let b = to_toml(&generate(&options(40, 7)).unwrap()).unwrap();
        let c = to_toml(&generate(&options(40, 8)).unwrap()).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn plants_are_clustered_in_parks_clear_of_their_towns() {
        let file = generate(&options(100, 1)).unwrap();
        assert_eq!(file.plant.len(), 100);
        assert_eq!(file.exclusion_zone.len(), 9);
        for plant in &file.plant {
            let park: usize = plant.id[1..plant.id.find('-').unwrap()].parse().unwrap();
            let town = &file.exclusion_zone[park].polygon;
            let centre = [
                (town[0][0] + town[2][0]) / 2.0,
                (town[0][1] + town[2][1]) / 2.0,
            ];
            let (dx, dy) = (plant.location[0] - centre[0], plant.location[1] - centre[1]);
            assert!(dx.hypot(dy) <= PARK_RADIUS_DEG + 1e-6, "{}", plant.id);
            assert!(
                dx.abs().max(dy.abs()) > TOWN_HALF_DEG,
                "{} is in its town",
                plant.id
            );
        }
    }

    #[test]
    fn every_coordinate_stays_valid_up_to_the_largest_region() {
        assert_eq!(
            city_grid(417).unwrap().0,
            [100.0, 30.0],
            "10,000 plants as before"
        );
        let (origin, columns) = city_grid(4_167).unwrap();
        let rows = 4_167_usize.div_ceil(columns);
        assert!(origin[0] + columns as f64 * CITY_SPACING_DEG < 180.0);
        assert!(origin[1] + rows as f64 * CITY_SPACING_DEG < 90.0);
        assert!(matches!(
            generate(&GenerateOptions {
                plants_per_park: 1,
                ..options(MAX_PLANTS, 1)
            }),
            Err(GenerateError::TooManyParks { .. })
        ));
    }

    #[test]
    fn more_plants_than_fit_in_memory_are_refused() {
        assert_eq!(
            generate(&options(10_000_000, 1)).err(),
            Some(GenerateError::TooManyPlants(10_000_000))
        );
        assert_eq!(
            generate(&GenerateOptions {
                plants_per_park: MAX_PLANTS_PER_PARK + 1,
                ..options(20, 1)
            })
            .err(),
            Some(GenerateError::TooManyPlantsPerPark(MAX_PLANTS_PER_PARK + 1))
        );
    }

    #[test]
    fn a_generated_region_validates_and_solves() {
        let text = to_toml(&generate(&options(30, 3)).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("park.toml");
        std::fs::write(&path, text).unwrap();
        let (park, _) = crate::validate::load_and_validate(&path).unwrap_or_else(|r| panic!("{r}"));
        let result =
            crate::pipeline::optimise(&park, &crate::solve::SolverConfig::default()).unwrap();
        assert!(result.verification.unwrap().passed());
        assert!(
            result.plan.unwrap().change.objective_cny_per_year < 0.0,
            "a region of 30 plants finds savings"
        );
    }

    #[test]
    fn zero_plants_is_refused() {
        assert!(matches!(
            generate(&options(0, 1)),
            Err(GenerateError::NoPlants(0))
        ));
    }
}

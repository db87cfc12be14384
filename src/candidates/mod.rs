//! The candidates, after validation and before the economics and the flow
//! graph: every link that geography, materials and temperatures allow,
//! with its route and length.
//!
//! For each origin (a waste stream, a project's product, a heat source, a
//! heat pump's output) the spatial index finds the destinations within the
//! longest range of any suitable mode; each pair is then checked for
//! compatibility (the receiver accepts the material; heat arrives hot
//! enough), routed around exclusion zones, and kept per mode when the routed
//! length times the mode's detour factor is within the mode's range.
//! Origins are processed in parallel and the result is sorted, so the output
//! is the same whatever the thread count.

pub mod route;
pub mod spatial;

use crate::deadline::{Deadline, OutOfTime, Stage};
use crate::input::LonLat;
use crate::library::{Carrier, TechnologyKind, TransportMode};
use crate::park::Park;
use rayon::prelude::*;
use route::{route_within, Obstacles, Route};
use serde::{Deserialize, Serialize};
use spatial::SiteIndex;
use std::fmt;

/// One end of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "index", rename_all = "snake_case")]
pub enum Endpoint {
    /// A solid-waste stream (at its plant).
    Waste(usize),
    /// A project's site.
    Project(usize),
    /// A material user (at its plant).
    MaterialDemand(usize),
    /// A heat source (at its plant).
    HeatSource(usize),
    /// A heat user (at its plant).
    HeatDemand(usize),
}

impl Endpoint {
    /// The endpoint's id in the park file.
    pub fn id<'a>(&self, park: &'a Park) -> &'a str {
        match *self {
            Endpoint::Waste(i) => &park.wastes[i].id,
            Endpoint::Project(i) => &park.projects[i].id,
            Endpoint::MaterialDemand(i) => &park.material_demands[i].id,
            Endpoint::HeatSource(i) => &park.heat_sources[i].id,
            Endpoint::HeatDemand(i) => &park.heat_demands[i].id,
        }
    }

    /// Where the endpoint is.
    pub fn location(&self, park: &Park) -> LonLat {
        match *self {
            Endpoint::Waste(i) => park.plant_location(park.wastes[i].plant),
            Endpoint::Project(i) => park.projects[i].location,
            Endpoint::MaterialDemand(i) => park.plant_location(park.material_demands[i].plant),
            Endpoint::HeatSource(i) => park.plant_location(park.heat_sources[i].plant),
            Endpoint::HeatDemand(i) => park.plant_location(park.heat_demands[i].plant),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// A link that could be built.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Sending end.
    pub from: Endpoint,
    /// Receiving end.
    pub to: Endpoint,
    /// Transport mode id.
    pub mode: String,
    /// What the mode carries.
    pub carrier: Carrier,
    /// What moves: a waste kind or product id, or `steam` / `hot_water`.
    pub material: String,
    /// Route around exclusion zones.
    pub route: Route,
    /// Costed length: route length × the mode's detour factor, km.
    pub distance_km: f64,
    /// Temperature on arrival (heat links), °C.
    pub delivered_temperature_c: Option<f64>,
    /// Fraction of the heat sent that arrives (1 for materials).
    pub delivery_factor: f64,
}

/// Heat arriving at the end of a heat link of `distance_km`, °C, or `None`
/// when the mode cannot carry heat from a source at `source_c`.
pub fn delivered_temperature_c(
    mode: &TransportMode,
    source_c: f64,
    approach_c: f64,
    distance_km: f64,
) -> Option<f64> {
    if mode
        .min_source_temperature_c
        .is_some_and(|min| source_c < min)
    {
        return None;
    }
    let supply = source_c - approach_c;
    let supply = mode
        .max_supply_temperature_c
        .map_or(supply, |max| supply.min(max));
    Some(supply - mode.temperature_drop_c_per_km * distance_km)
}

/// The flow a link can deliver per unit sent, for a mode over `distance_km`.
pub fn delivery_factor(mode: &TransportMode, distance_km: f64) -> f64 {
    match mode.carries {
        Carrier::Material => 1.0,
        _ => 1.0 - mode.heat_loss_fraction_per_km * distance_km,
    }
}

/// What an origin sends and what it needs at the other end.
struct Origin {
    endpoint: Endpoint,
    location: LonLat,
    /// Material id, or `None` for heat.
    material: Option<String>,
    /// Source temperature for heat, °C.
    temperature_c: f64,
    /// Approach subtracted at the source (none for a heat pump's own output).
    approach_c: f64,
}

/// All candidate links of the park, sorted by (from, to, mode).
pub fn generate(park: &Park) -> Vec<Candidate> {
    // Without a deadline there is no running out of time.
    generate_within(park, &Deadline::none()).unwrap_or_default()
}

/// As [`generate`], stopping with [`OutOfTime`] once `deadline` has
/// passed (checked before each origin and inside each detour's routing).
pub fn generate_within(park: &Park, deadline: &Deadline) -> Result<Vec<Candidate>, OutOfTime> {
    let library = &park.library;
    let obstacles = Obstacles::from_zones(&park.zones);
    let modes: Vec<(&String, &TransportMode)> = library.transport.iter().collect();
    let reach = |heat: bool| {
        modes
            .iter()
            .filter(|(_, mode)| (mode.carries == Carrier::Material) != heat)
            .map(|(_, mode)| mode.max_distance_km / mode.detour_factor)
            .fold(0.0, f64::max)
    };
    let (material_reach, heat_reach) = (reach(false), reach(true));

    let destinations: Vec<Endpoint> = (0..park.projects.len())
        .map(Endpoint::Project)
        .chain((0..park.material_demands.len()).map(Endpoint::MaterialDemand))
        .chain((0..park.heat_demands.len()).map(Endpoint::HeatDemand))
        .collect();
    let index = SiteIndex::new(
        destinations
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d.location(park))),
    );

    let approach = library.heat.min_approach_c;
    let origins: Vec<Origin> = park
        .wastes
        .iter()
        .enumerate()
        .map(|(i, waste)| Origin {
            endpoint: Endpoint::Waste(i),
            location: park.plant_location(waste.plant),
            material: Some(waste.kind.clone()),
            temperature_c: 0.0,
            approach_c: 0.0,
        })
        .chain(
            park.heat_sources
                .iter()
                .enumerate()
                .map(|(i, source)| Origin {
                    endpoint: Endpoint::HeatSource(i),
                    location: park.plant_location(source.plant),
                    material: None,
                    temperature_c: source.temperature_c,
                    approach_c: approach,
                }),
        )
        .chain(park.projects.iter().enumerate().filter_map(|(i, project)| {
            let technology = project.technology(library);
            match project.kind {
                TechnologyKind::Material => Some(Origin {
                    endpoint: Endpoint::Project(i),
                    location: project.location,
                    material: Some(project.product.clone()),
                    temperature_c: 0.0,
                    approach_c: 0.0,
                }),
                TechnologyKind::HeatPump => Some(Origin {
                    endpoint: Endpoint::Project(i),
                    location: project.location,
                    material: None,
                    temperature_c: technology.output_temperature_c.unwrap_or(0.0),
                    approach_c: 0.0,
                }),
                TechnologyKind::Power => None,
            }
        }))
        .collect();

    let found: Vec<Vec<Candidate>> = origins
        .par_iter()
        .map(|origin| {
            deadline.check(Stage::Routing)?;
            let radius = if origin.material.is_some() {
                material_reach
            } else {
                heat_reach
            };
            let mut links = Vec::new();
            for i in index.within(origin.location, radius) {
                let to = destinations[i];
                if to != origin.endpoint {
                    links.extend(links_between(
                        park, origin, to, &modes, &obstacles, deadline,
                    )?);
                }
            }
            Ok(links)
        })
        .collect::<Result<_, OutOfTime>>()?;
    let mut candidates: Vec<Candidate> = found.into_iter().flatten().collect();
    candidates.sort_by(|a, b| (a.from, a.to, &a.mode).cmp(&(b.from, b.to, &b.mode)));
    Ok(candidates)
}

/// The requirement a destination puts on what arrives.
enum Need<'a> {
    /// Accepts any of these materials.
    Material(&'a [String]),
    /// Heat at or above this temperature, °C.
    Heat(f64),
    /// Nothing can arrive here.
    Nothing,
}

fn need_of(park: &Park, to: Endpoint) -> Need<'_> {
    let library = &park.library;
    match to {
        Endpoint::MaterialDemand(i) => Need::Material(&park.material_demands[i].accepts),
        Endpoint::HeatDemand(i) => Need::Heat(park.heat_demands[i].temperature_c),
        Endpoint::Project(i) => {
            let project = &park.projects[i];
            let technology = project.technology(library);
            match project.kind {
                TechnologyKind::Material => Need::Material(&technology.inputs),
                _ => Need::Heat(technology.min_source_temperature_c.unwrap_or(0.0)),
            }
        }
        Endpoint::Waste(_) | Endpoint::HeatSource(_) => Need::Nothing,
    }
}

fn links_between(
    park: &Park,
    origin: &Origin,
    to: Endpoint,
    modes: &[(&String, &TransportMode)],
    obstacles: &Obstacles,
    deadline: &Deadline,
) -> Result<Vec<Candidate>, OutOfTime> {
    let need = need_of(park, to);
    // A heat pump's output goes to heat users only, never into another heat technology.
    let from_heat_pump =
        matches!(origin.endpoint, Endpoint::Project(_)) && origin.material.is_none();
    let compatible = match (&origin.material, &need) {
        (Some(material), Need::Material(accepts)) => accepts.contains(material),
        (None, Need::Heat(_)) => !(from_heat_pump && matches!(to, Endpoint::Project(_))),
        _ => false,
    };
    if !compatible {
        return Ok(Vec::new());
    }
    let relevant: Vec<&(&String, &TransportMode)> = modes
        .iter()
        .filter(|(_, mode)| (mode.carries == Carrier::Material) == origin.material.is_some())
        .collect();
    // The shortest route does not depend on the mode; only the range does.
    let longest = relevant
        .iter()
        .map(|(_, mode)| mode.max_distance_km / mode.detour_factor)
        .fold(0.0, f64::max);
    let Some(path) = route_within(
        origin.location,
        to.location(park),
        obstacles,
        longest,
        deadline,
    )?
    else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for (id, mode) in relevant {
        let distance_km = path.length_km * mode.detour_factor;
        if distance_km > mode.max_distance_km {
            continue;
        }
        let (material, delivered) = match (&origin.material, &need) {
            (Some(material), _) => (material.clone(), None),
            (None, Need::Heat(required)) => {
                let Some(arrives) = delivered_temperature_c(
                    mode,
                    origin.temperature_c,
                    origin.approach_c,
                    distance_km,
                ) else {
                    continue;
                };
                if arrives < *required {
                    continue;
                }
                (mode.carries.name().to_string(), Some(arrives))
            }
            _ => continue,
        };
        let factor = delivery_factor(mode, distance_km);
        if factor <= 0.0 {
            continue;
        }
        found.push(Candidate {
            from: origin.endpoint,
            to,
            mode: (*id).clone(),
            carrier: mode.carries,
            material,
            route: path.clone(),
            distance_km,
            delivered_temperature_c: delivered,
            delivery_factor: factor,
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::{tiny, tiny_with};

    #[test]
    fn a_passed_deadline_stops_routing_and_a_distant_one_changes_nothing() {
        let park = tiny();
        let passed = Deadline::after(Some(0.0));
        let error = generate_within(&park, &passed).unwrap_err();
        assert_eq!(error.stage, Stage::Routing);
        let distant = Deadline::after(Some(3600.0));
        assert_eq!(generate_within(&park, &distant).unwrap(), generate(&park));
    }

    #[test]
    fn tiny_park_has_exactly_its_three_links() {
        let candidates = generate(&tiny());
        let summary: Vec<(Endpoint, Endpoint, &str)> = candidates
            .iter()
            .map(|c| (c.from, c.to, c.mode.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (Endpoint::Waste(0), Endpoint::Project(0), "truck"),
                (Endpoint::Waste(0), Endpoint::MaterialDemand(0), "truck"),
                (
                    Endpoint::HeatSource(0),
                    Endpoint::HeatDemand(0),
                    "steam_pipe"
                ),
            ]
        );
        let steam = &candidates[2];
        // 200 °C − 10 °C approach − 8 °C/km × 4.4478 km.
        assert!((steam.delivered_temperature_c.unwrap() - 154.4176).abs() < 1e-3);
        assert!((steam.distance_km - 4.447803).abs() < 1e-5);
    }

    #[test]
    fn heat_that_would_arrive_too_cold_makes_no_link() {
        let park = tiny_with(&[("temperature_c = 150", "temperature_c = 160")]);
        assert!(generate(&park)
            .iter()
            .all(|c| c.carrier == Carrier::Material));
    }

    #[test]
    fn a_zone_whose_detour_breaks_the_range_drops_the_link() {
        // A wide wall between the plants; trucks limited to 6 km.
        let zone = "\n[[exclusion_zone]]\nid = \"wall\"\nkind = \"water_protection\"\npolygon = [[115.9, 39.019], [116.1, 39.019], [116.1, 39.021], [115.9, 39.021]]\n";
        let park = tiny_with(&[
            (
                "[transport.truck]\n",
                "[transport.truck]\nmax_distance_km = 6\n",
            ),
            (
                "[transport.conveyor]",
                &format!("{zone}\n[transport.conveyor]"),
            ),
        ]);
        let candidates = generate(&park);
        assert!(
            candidates.iter().all(|c| c.mode != "truck"),
            "{candidates:?}"
        );
        // The steam pipe (10 km range) goes around the wall's end instead.
        let steam = candidates.iter().find(|c| c.mode == "steam_pipe");
        assert!(steam.is_none_or(|c| c.route.is_detour()));
    }

    #[test]
    fn output_is_the_same_on_one_thread_and_many() {
        let park = crate::park::testing::tiny();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| generate(&park));
        let many = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| generate(&park));
        assert_eq!(one, many);
    }
}

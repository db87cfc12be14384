//! One function per rule of a park file; each pushes its issues and goes on.

use super::{
    check_number, Rule, CARBON_PRICE, DISCOUNT_RATE, PRODUCT_PRICE, PROJECT_CAPEX, WASTE_T_PER_YEAR,
};
use crate::diagnostic::{unknown_name, Diagnostics, Entity, Issue, KnownNames};
use crate::input::*;
use crate::library::{ids, Library, TechnologyKind};
use crate::park::*;
use geo::{BoundingRect, Contains, Validation};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;
use std::collections::{BTreeMap, BTreeSet};

/// Checks the park's own records against the merged library and builds the
/// validated park (returned even with errors, for a complete report).
pub(super) fn check_park(
    file: &ParkFile,
    library: Library,
    report: &mut Diagnostics,
) -> Option<Park> {
    check_unique_ids(file, report);
    let section = &file.park;
    let park_entity = Entity::table(["park"]);
    if section.name.trim().is_empty() {
        report.push(Issue::error(&park_entity, "name", "must not be empty"));
    }
    let grid_factor = match (
        &section.grid_factor_t_per_mwh,
        library.region.get(&section.region),
    ) {
        (Some(factor), _) => {
            check_number(
                report,
                &park_entity,
                "grid_factor_t_per_mwh",
                *factor,
                Rule::Within(0.0, 2.0),
            );
            *factor
        }
        (None, Some(region)) => region.grid_factor_t_per_mwh,
        (None, None) => 0.0,
    };
    if !library.region.contains_key(&section.region) {
        report.push(Issue::error(
            &park_entity,
            "region",
            unknown_name("region", &section.region, &ids(&library.region)),
        ));
    }
    let carbon_price = section
        .carbon_price_cny_per_t
        .unwrap_or(library.economics.carbon_price_cny_per_t);
    check_number(
        report,
        &park_entity,
        "carbon_price_cny_per_t",
        carbon_price,
        CARBON_PRICE,
    );
    let discount_rate = section
        .discount_rate
        .unwrap_or(library.economics.discount_rate);
    check_number(
        report,
        &park_entity,
        "discount_rate",
        discount_rate,
        DISCOUNT_RATE,
    );
    for (field, value) in [
        ("energy_tce_per_year", section.energy_tce_per_year),
        ("co2_t_per_year", section.co2_t_per_year),
    ] {
        if let Some(value) = value {
            check_number(report, &park_entity, field, value, Rule::Within(0.0, 1e12));
        }
    }
    let mut pairs_left = MAX_PARK_POLYGON_PAIRS;
    if let Some(boundary) = &section.boundary {
        check_polygon(report, &park_entity, "boundary", boundary, &mut pairs_left);
    }

    let plant_index: BTreeMap<&str, usize> = file
        .plant
        .iter()
        .enumerate()
        .map(|(index, plant)| (plant.id.as_str(), index))
        .collect();
    let mut names = References::new(file, &library);
    let resolve_plant =
        |report: &mut Diagnostics, names: &mut References, entity: &Entity, plant: &str| -> usize {
            match plant_index.get(plant) {
                Some(index) => *index,
                None => {
                    report.push(Issue::error(entity, "plant", names.plant.unknown(plant)));
                    0
                }
            }
        };

    let plants: Vec<Plant> = file
        .plant
        .iter()
        .map(|record| {
            let entity = Entity::record("plant", &record.id);
            check_location(report, &entity, "location", record.location);
            Plant {
                id: record.id.clone(),
                name: record.name.clone().unwrap_or_else(|| record.id.clone()),
                sector: record.sector.clone(),
                location: record.location,
            }
        })
        .collect();

    let wastes: Vec<Waste> = file
        .waste
        .iter()
        .map(|record| {
            let entity = Entity::record("waste", &record.id);
            let plant = resolve_plant(report, &mut names, &entity, &record.plant);
            check_number(
                report,
                &entity,
                "t_per_year",
                record.t_per_year,
                WASTE_T_PER_YEAR,
            );
            let kind = library.waste_kind.get(&record.kind);
            if kind.is_none() {
                report.push(Issue::error(
                    &entity,
                    "kind",
                    names.waste_kind.unknown(&record.kind),
                ));
            }
            if record.sold_today_avoided_co2_t_per_t.is_some() && record.sold_today_cny_per_t.is_none() {
                report.push(Issue::error(
                    &entity,
                    "sold_today_avoided_co2_t_per_t",
                    "applies only to a waste sold today: set sold_today_cny_per_t too, or remove it",
                ));
            }
            let today = match record.sold_today_cny_per_t {
                Some(price) => {
                    check_number(report, &entity, "sold_today_cny_per_t", price, Rule::Within(0.0, 1e5));
                    if record.disposal_cny_per_t.is_some() || record.pays_environmental_tax {
                        report.push(Issue::error(
                            &entity,
                            "sold_today_cny_per_t",
                            "is set, so the waste is sold today: disposal_cny_per_t and pays_environmental_tax do not apply; remove them",
                        ));
                    }
                    let avoided = record.sold_today_avoided_co2_t_per_t.unwrap_or(0.0);
                    check_number(
                        report,
                        &entity,
                        "sold_today_avoided_co2_t_per_t",
                        avoided,
                        Rule::Within(0.0, 10.0),
                    );
                    TodayOutlet::Sold {
                        price_cny_per_t: price,
                        avoided_co2_t_per_t: avoided,
                    }
                }
                None => {
                    let storage = record
                        .disposal_cny_per_t
                        .or(kind.map(|kind| kind.disposal_cny_per_t))
                        .unwrap_or(0.0);
                    check_number(report, &entity, "disposal_cny_per_t", storage, Rule::Within(0.0, 1e5));
                    let tax = match (record.pays_environmental_tax, kind) {
                        (true, Some(kind)) => kind.environmental_tax_cny_per_t,
                        _ => 0.0,
                    };
                    TodayOutlet::Disposal {
                        cost_cny_per_t: storage + tax,
                        co2_t_per_t: kind.map_or(0.0, |kind| kind.disposal_co2_t_per_t),
                    }
                }
            };
            Waste {
                id: record.id.clone(),
                plant,
                kind: record.kind.clone(),
                t_per_year: record.t_per_year,
                today,
            }
        })
        .collect();

    let heat_sources: Vec<HeatSource> = file
        .heat_source
        .iter()
        .map(|record| {
            let entity = Entity::record("heat_source", &record.id);
            let plant = resolve_plant(report, &mut names, &entity, &record.plant);
            check_heat(
                report,
                &entity,
                record.mw,
                record.temperature_c,
                record.hours_per_year,
            );
            HeatSource {
                id: record.id.clone(),
                plant,
                mw: record.mw,
                temperature_c: record.temperature_c,
                hours_per_year: record.hours_per_year,
            }
        })
        .collect();

    let heat_demands: Vec<HeatDemand> = file
        .heat_demand
        .iter()
        .map(|record| {
            let entity = Entity::record("heat_demand", &record.id);
            let plant = resolve_plant(report, &mut names, &entity, &record.plant);
            check_heat(
                report,
                &entity,
                record.mw,
                record.temperature_c,
                record.hours_per_year,
            );
            if !library.heat_supply.contains_key(&record.current_supply) {
                report.push(Issue::error(
                    &entity,
                    "current_supply",
                    names.heat_supply.unknown(&record.current_supply),
                ));
            }
            HeatDemand {
                id: record.id.clone(),
                plant,
                mw: record.mw,
                temperature_c: record.temperature_c,
                hours_per_year: record.hours_per_year,
                current_supply: record.current_supply.clone(),
            }
        })
        .collect();

    let material_demands: Vec<MaterialDemand> = file
        .material_demand
        .iter()
        .map(|record| {
            let entity = Entity::record("material_demand", &record.id);
            let plant = resolve_plant(report, &mut names, &entity, &record.plant);
            check_number(
                report,
                &entity,
                "max_t_per_year",
                record.max_t_per_year,
                Rule::Positive(1e10),
            );
            check_material_demand(report, &mut names, &entity, record, &library);
            MaterialDemand {
                id: record.id.clone(),
                plant,
                accepts: record.accepts.clone(),
                max_t_per_year: record.max_t_per_year,
                replaces: record.replaces.clone(),
            }
        })
        .collect();

    let projects: Vec<Project> = file
        .project
        .iter()
        .filter_map(|record| check_project(report, &mut names, record, &library))
        .collect();

    let zones: Vec<Zone> = file
        .exclusion_zone
        .iter()
        .map(|record| {
            let entity = Entity::record("exclusion_zone", &record.id);
            let polygon =
                check_polygon(report, &entity, "polygon", &record.polygon, &mut pairs_left);
            Zone {
                id: record.id.clone(),
                name: record.name.clone().unwrap_or_else(|| record.id.clone()),
                kind: record.kind,
                polygon,
            }
        })
        .collect();
    check_sites_outside_zones(report, &plants, &projects, &zones);
    check_targets(report, &file.targets);
    warn_unusable_wastes(report, &wastes, &material_demands, &projects, &library);

    let park = Park {
        name: section.name.clone(),
        region: section.region.clone(),
        carbon_price_cny_per_t: carbon_price,
        discount_rate,
        grid_factor_t_per_mwh: grid_factor,
        electricity_price_cny_per_mwh: library.economics.electricity_price_cny_per_mwh,
        boundary: section.boundary.clone(),
        energy_tce_per_year: section.energy_tce_per_year,
        co2_t_per_year: section.co2_t_per_year,
        plants,
        wastes,
        heat_sources,
        heat_demands,
        material_demands,
        projects,
        zones,
        targets: file.targets.clone(),
        library,
    };
    Some(park)
}

/// Targets are shares from 0 to 1, a CO2 cap (which may be negative: a
/// park can avoid more than it emits) and a budget ≥ 0.
fn check_targets(report: &mut Diagnostics, targets: &TargetsSection) {
    let fields = [
        (
            "solid_waste_utilisation_min",
            targets.solid_waste_utilisation_min,
            Rule::Within(0.0, 1.0),
        ),
        (
            "waste_heat_utilisation_min",
            targets.waste_heat_utilisation_min,
            Rule::Within(0.0, 1.0),
        ),
        (
            "co2_max_t_per_year",
            targets.co2_max_t_per_year,
            Rule::Within(-1e12, 1e12),
        ),
        (
            "capex_budget_cny",
            targets.capex_budget_cny,
            Rule::Within(0.0, 1e15),
        ),
    ];
    for (field, value, rule) in fields {
        if let Some(value) = value {
            check_number(report, &Entity::table(["targets"]), field, value, rule);
        }
    }
}

/// The names a park's references must match, each set built once so that
/// checking stays linear in the number of records.
struct References<'a> {
    plant: KnownNames<'a>,
    waste_kind: KnownNames<'a>,
    heat_supply: KnownNames<'a>,
    virgin_material: KnownNames<'a>,
    /// What a material demand may accept: waste kinds and products.
    material: KnownNames<'a>,
    technology: KnownNames<'a>,
}

impl<'a> References<'a> {
    fn new(file: &'a ParkFile, library: &'a Library) -> References<'a> {
        let plants = file.plant.iter().map(|plant| plant.id.as_str()).collect();
        let materials = ids(&library.waste_kind)
            .into_iter()
            .chain(ids(&library.product))
            .collect();
        References {
            plant: KnownNames::new("plant", plants),
            waste_kind: KnownNames::new("waste kind", ids(&library.waste_kind)),
            heat_supply: KnownNames::new("heat supply", ids(&library.heat_supply)),
            virgin_material: KnownNames::new("virgin material", ids(&library.virgin_material)),
            material: KnownNames::new("waste kind or product", materials),
            technology: KnownNames::new("technology", ids(&library.technology)),
        }
    }
}

/// Ids must be non-empty and unique across the whole file.
fn check_unique_ids(file: &ParkFile, report: &mut Diagnostics) {
    let all = file
        .plant
        .iter()
        .map(|r| ("plant", &r.id))
        .chain(file.waste.iter().map(|r| ("waste", &r.id)))
        .chain(file.heat_source.iter().map(|r| ("heat_source", &r.id)))
        .chain(file.heat_demand.iter().map(|r| ("heat_demand", &r.id)))
        .chain(
            file.material_demand
                .iter()
                .map(|r| ("material_demand", &r.id)),
        )
        .chain(file.project.iter().map(|r| ("project", &r.id)))
        .chain(
            file.exclusion_zone
                .iter()
                .map(|r| ("exclusion_zone", &r.id)),
        );
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (table, id) in all {
        if id.trim().is_empty() {
            report.push(Issue::error(
                Entity::Unnamed {
                    table: table.to_string(),
                },
                "id",
                "must not be empty",
            ));
        } else if let Some(first) = seen.insert(id.as_str(), table) {
            report.push(Issue::error(
                Entity::record(table, id),
                "id",
                format!(
                    "is already used by a {first}; ids must be unique across the whole park file"
                ),
            ));
        }
    }
}

fn check_location(
    report: &mut Diagnostics,
    entity: &Entity,
    field: &str,
    location: LonLat,
) -> bool {
    let [lon, lat] = location;
    let ok = lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat);
    if !ok {
        report.push(Issue::error(
            entity,
            field,
            format!("must be [lon, lat] in WGS84 degrees (lon -180..180, lat -90..90), got [{lon}, {lat}]"),
        ));
    }
    ok
}

pub(super) fn check_heat(
    report: &mut Diagnostics,
    entity: &Entity,
    mw: f64,
    temperature_c: f64,
    hours: f64,
) {
    check_number(report, entity, "mw", mw, Rule::Positive(1e5));
    check_number(
        report,
        entity,
        "temperature_c",
        temperature_c,
        Rule::Within(-50.0, 2000.0),
    );
    check_number(
        report,
        entity,
        "hours_per_year",
        hours,
        Rule::Positive(8784.0),
    );
}

fn check_material_demand(
    report: &mut Diagnostics,
    names: &mut References,
    entity: &Entity,
    record: &MaterialDemandRecord,
    library: &Library,
) {
    if !library.virgin_material.contains_key(&record.replaces) {
        report.push(Issue::error(
            entity,
            "replaces",
            names.virgin_material.unknown(&record.replaces),
        ));
        return;
    }
    if record.accepts.is_empty() {
        report.push(Issue::error(
            entity,
            "accepts",
            "must name at least one waste kind or product",
        ));
    }
    for material in &record.accepts {
        match library.substitutes_of(material) {
            None => report.push(Issue::error(
                entity,
                "accepts",
                names.material.unknown(material),
            )),
            Some(substitutes) if !substitutes.contains_key(&record.replaces) => {
                let can: Vec<&str> = substitutes.keys().map(String::as_str).collect();
                report.push(Issue::warning(
                    entity,
                    "accepts",
                    format!(
                        "'{material}' has no ratio for replacing {} in the library (it can replace: {}), so it is credited with replacing nothing here; give it its own material_demand with one of those, or set [library] substitutes",
                        record.replaces,
                        if can.is_empty() { "nothing".to_string() } else { can.join(", ") }
                    ),
                ))
            }
            Some(_) => {}
        }
    }
}

fn check_project(
    report: &mut Diagnostics,
    names: &mut References,
    record: &ProjectRecord,
    library: &Library,
) -> Option<Project> {
    let entity = Entity::record("project", &record.id);
    check_location(report, &entity, "location", record.location);
    let Some(technology) = library.technology.get(&record.technology) else {
        report.push(Issue::error(
            &entity,
            "technology",
            names.technology.unknown(&record.technology),
        ));
        return None;
    };
    let (capacity_field, wrong_field, capacity) = match technology.kind {
        TechnologyKind::Material => (
            "max_t_per_year",
            record.max_mw.map(|_| "max_mw"),
            record.max_t_per_year,
        ),
        _ => (
            "max_mw",
            record.max_t_per_year.map(|_| "max_t_per_year"),
            record.max_mw,
        ),
    };
    if let Some(wrong) = wrong_field {
        report.push(Issue::error(
            &entity,
            wrong,
            format!(
                "does not apply to technology '{}'; its capacity is {capacity_field}",
                record.technology
            ),
        ));
    }
    let capacity = capacity.unwrap_or(technology.default_capacity);
    check_number(
        report,
        &entity,
        capacity_field,
        capacity,
        Rule::Positive(1e10),
    );
    let unit_capex = match technology.kind {
        TechnologyKind::Material => technology.capex_cny_per_t_per_year,
        _ => technology.capex_cny_per_mw,
    };
    let capex = record
        .capex_cny
        .unwrap_or(unit_capex.unwrap_or(0.0) * capacity);
    check_number(report, &entity, "capex_cny", capex, PROJECT_CAPEX);
    let opex = record
        .opex_cny_per_t
        .unwrap_or(technology.opex_cny_per_unit);
    check_number(
        report,
        &entity,
        "opex_cny_per_t",
        opex,
        Rule::Within(0.0, 1e5),
    );
    let lifetime = record.lifetime_years.unwrap_or(technology.lifetime_years);
    check_number(
        report,
        &entity,
        "lifetime_years",
        lifetime,
        Rule::Within(1.0, 100.0),
    );
    let product = library.product.get(&technology.product);
    let subsidy = record.subsidy_cny_per_year.unwrap_or(0.0);
    check_number(
        report,
        &entity,
        "subsidy_cny_per_year",
        subsidy,
        Rule::Within(0.0, 1e12),
    );
    let max_market = record.max_market_t_per_year.unwrap_or(f64::INFINITY);
    if record.max_market_t_per_year.is_some() {
        check_number(
            report,
            &entity,
            "max_market_t_per_year",
            max_market,
            Rule::Within(0.0, 1e10),
        );
    }
    let market_co2 = record
        .market_avoided_co2_t_per_t
        .or(product.map(|p| p.market_avoided_co2_t_per_unit))
        .unwrap_or(0.0);
    check_number(
        report,
        &entity,
        "market_avoided_co2_t_per_t",
        market_co2,
        Rule::Within(0.0, 10.0),
    );
    let price = record
        .product_price_cny_per_t
        .or(product.map(|p| p.market_price_cny_per_unit))
        .unwrap_or(0.0);
    check_number(
        report,
        &entity,
        "product_price_cny_per_t",
        price,
        PRODUCT_PRICE,
    );
    Some(Project {
        id: record.id.clone(),
        name: record.name.clone().unwrap_or_else(|| record.id.clone()),
        technology: record.technology.clone(),
        kind: technology.kind,
        location: record.location,
        capacity,
        hours_per_year: technology.hours_per_year.unwrap_or(8760.0),
        capex_cny: capex,
        fixed_opex_cny_per_year: capex * technology.fixed_opex_fraction,
        subsidy_cny_per_year: subsidy,
        opex_cny_per_unit: opex,
        lifetime_years: lifetime,
        product: technology.product.clone(),
        product_price_cny_per_unit: price,
        max_market_t_per_year: max_market,
        market_avoided_co2_t_per_unit: market_co2,
    })
}

/// Most vertices one polygon may have. Checking a ring for
/// self-intersection (geo's validation) and routing around a zone both take
/// time quadratic in its vertices; a park's outlines need far fewer.
const MAX_POLYGON_VERTICES: usize = 1_000;

/// Most work the polygons of one park file may take together, counted as
/// geo's validation does it, in vertex pairs (the sum of each polygon's
/// vertices squared): a file of many large polygons is refused rather than
/// checked for minutes (ten polygons of the largest size take about a
/// second), while thousands of small outlines (a region's towns) pass.
const MAX_PARK_POLYGON_PAIRS: usize = 10_000_000;

/// Checks a polygon's vertices and shape; returns it closed.
/// `pairs_left` is what remains of [`MAX_PARK_POLYGON_PAIRS`].
fn check_polygon(
    report: &mut Diagnostics,
    entity: &Entity,
    field: &str,
    vertices: &[LonLat],
    pairs_left: &mut usize,
) -> Vec<LonLat> {
    let mut closed: Vec<LonLat> = vertices.to_vec();
    if closed.first() != closed.last() {
        if let Some(first) = closed.first().copied() {
            closed.push(first);
        }
    }
    let count = vertices.len();
    let too_many = if count > MAX_POLYGON_VERTICES {
        Some(format!("at most {MAX_POLYGON_VERTICES} are accepted"))
    } else if count * count > *pairs_left {
        Some(format!(
            "more than the polygons of a park file may have together (the sum of their vertices squared is limited to {MAX_PARK_POLYGON_PAIRS})"
        ))
    } else {
        None
    };
    if let Some(limit) = too_many {
        report.push(Issue::error(
            entity,
            field,
            format!("has {count} vertices, {limit}; simplify the outline"),
        ));
        return closed;
    }
    *pairs_left -= count * count;
    let coordinates_ok = vertices.iter().enumerate().all(|(index, vertex)| {
        check_location(report, entity, &format!("{field}[{index}]"), *vertex)
    });
    let distinct: BTreeSet<(u64, u64)> = vertices
        .iter()
        .map(|v| (v[0].to_bits(), v[1].to_bits()))
        .collect();
    if distinct.len() < 3 {
        report.push(Issue::error(
            entity,
            field,
            format!(
                "must have at least 3 distinct vertices, got {}",
                distinct.len()
            ),
        ));
        return closed;
    }
    if coordinates_ok {
        let polygon = to_polygon(&closed);
        for problem in polygon.validation_errors() {
            report.push(Issue::error(
                entity,
                field,
                format!("is not a valid polygon: {problem}"),
            ));
        }
    }
    closed
}

/// A `[lon, lat]` ring as a geo polygon (x = lon, y = lat).
pub(crate) fn to_polygon(ring: &[LonLat]) -> geo::Polygon<f64> {
    geo::Polygon::new(
        geo::LineString::from(ring.iter().map(|v| (v[0], v[1])).collect::<Vec<_>>()),
        vec![],
    )
}

/// No plant or project may stand inside an exclusion zone. An R-tree of the
/// zones' bounding boxes keeps this linear-logarithmic: a region has
/// thousands of sites and zones.
fn check_sites_outside_zones(
    report: &mut Diagnostics,
    plants: &[Plant],
    projects: &[Project],
    zones: &[Zone],
) {
    let finite = |v: &LonLat| v[0].is_finite() && v[1].is_finite();
    let polygons: Vec<(&Zone, geo::Polygon<f64>)> = zones
        .iter()
        .filter(|zone| {
            // Closed rings; those refused for their size are left out.
            (4..=MAX_POLYGON_VERTICES + 1).contains(&zone.polygon.len())
                && zone.polygon.iter().all(finite)
        })
        .map(|zone| (zone, to_polygon(&zone.polygon)))
        .collect();
    let boxes = polygons
        .iter()
        .enumerate()
        .filter_map(|(index, (_, polygon))| {
            let bbox = polygon.bounding_rect()?;
            let corners = |c: geo::Coord<f64>| [c.x, c.y];
            Some(GeomWithData::new(
                Rectangle::from_corners(corners(bbox.min()), corners(bbox.max())),
                index,
            ))
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    let sites = plants
        .iter()
        .map(|plant| (Entity::record("plant", &plant.id), plant.location))
        .chain(
            projects
                .iter()
                .map(|project| (Entity::record("project", &project.id), project.location)),
        );
    for (entity, location) in sites.filter(|(_, location)| finite(location)) {
        let point = geo::Point::new(location[0], location[1]);
        let mut near: Vec<usize> = tree
            .locate_all_at_point(&location)
            .map(|entry| entry.data)
            .collect();
        near.sort_unstable();
        for (zone, polygon) in near.into_iter().map(|index| &polygons[index]) {
            if polygon.contains(&point) {
                report.push(Issue::error(
                    &entity,
                    "location",
                    format!(
                        "[{}, {}] lies inside exclusion zone '{}' ({:?}); move it or the zone",
                        location[0], location[1], zone.id, zone.kind
                    ),
                ));
            }
        }
    }
}

/// Warns about wastes nothing in the park could ever take.
fn warn_unusable_wastes(
    report: &mut Diagnostics,
    wastes: &[Waste],
    demands: &[MaterialDemand],
    projects: &[Project],
    library: &Library,
) {
    let accepted: BTreeSet<&str> = demands
        .iter()
        .flat_map(|demand| demand.accepts.iter())
        .chain(projects.iter().flat_map(|project| {
            library
                .technology
                .get(&project.technology)
                .map(|technology| technology.inputs.iter())
                .into_iter()
                .flatten()
        }))
        .map(String::as_str)
        .collect();
    for waste in wastes {
        if !accepted.contains(waste.kind.as_str()) && waste.t_per_year > 0.0 {
            report.push(Issue::warning(
                Entity::record("waste", &waste.id),
                "kind",
                format!(
                    "no project or material demand in the park accepts {}: all {} t/yr stays in disposal",
                    waste.kind, waste.t_per_year
                ),
            ));
        }
    }
}

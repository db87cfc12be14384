//! Where things are: coordinates, polygons and sites outside exclusion
//! zones, each bounded so that a large file is refused rather than checked
//! for minutes.

use crate::diagnostic::{Diagnostics, Entity, Issue};
use crate::input::{ExclusionZoneRecord, LonLat};
use crate::park::{Plant, Project, Zone};
use geo::{BoundingRect, Contains, Validation};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};
use std::collections::BTreeSet;

pub(super) fn check_location(
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

/// Most vertices one polygon may have. Checking a ring for
/// self-intersection (geo's validation) and routing around a zone both take
/// time quadratic in its vertices; a park's outlines need far fewer.
const MAX_POLYGON_VERTICES: usize = 1_000;

/// Most work the polygons of one park file may take together, counted as
/// geo's validation does it, in vertex pairs (the sum of each polygon's
/// vertices squared): a file of many large polygons is refused rather than
/// checked for minutes (ten polygons of the largest size take about a
/// second), while thousands of small outlines (a region's towns) pass.
pub(super) const MAX_PARK_POLYGON_PAIRS: usize = 10_000_000;

/// An exclusion zone, its polygon checked and closed.
pub(super) fn zone(
    report: &mut Diagnostics,
    record: &ExclusionZoneRecord,
    pairs_left: &mut usize,
) -> Zone {
    let entity = Entity::record("exclusion_zone", &record.id);
    let polygon = check_polygon(report, &entity, "polygon", &record.polygon, pairs_left);
    Zone {
        id: record.id.clone(),
        name: record.name.clone().unwrap_or_else(|| record.id.clone()),
        kind: record.kind,
        polygon,
    }
}

/// Checks a polygon's vertices and shape; returns it closed.
/// `pairs_left` is what remains of [`MAX_PARK_POLYGON_PAIRS`].
pub(super) fn check_polygon(
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
fn to_polygon(ring: &[LonLat]) -> geo::Polygon<f64> {
    geo::Polygon::new(
        geo::LineString::from(ring.iter().map(|v| (v[0], v[1])).collect::<Vec<_>>()),
        vec![],
    )
}

/// The zones with a polygon that passed its checks, as geo polygons
/// (closed rings; those refused for their size are left out).
fn checked_polygons(zones: &[Zone]) -> Vec<(&Zone, geo::Polygon<f64>)> {
    let finite = |v: &LonLat| v[0].is_finite() && v[1].is_finite();
    zones
        .iter()
        .filter(|zone| {
            (4..=MAX_POLYGON_VERTICES + 1).contains(&zone.polygon.len())
                && zone.polygon.iter().all(finite)
        })
        .map(|zone| (zone, to_polygon(&zone.polygon)))
        .collect()
}

/// An R-tree of the polygons' bounding boxes, each with its index.
fn box_tree(
    polygons: &[(&Zone, geo::Polygon<f64>)],
) -> RTree<GeomWithData<Rectangle<LonLat>, usize>> {
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
    RTree::bulk_load(boxes)
}

/// Vertices of zones whose boxes meet, beyond which a route around them
/// is slow: its visibility graph tests every pair of their vertices
/// against every edge, about vertices³ / 2 segment tests (1,000 vertices:
/// 5 × 10⁸, about a second per route; 2,000: several seconds, and a park
/// has many routes).
const SLOW_ROUTING_VERTICES: usize = 750;

/// Warns of zones that meet (their boxes overlap, directly or through
/// others) and have so many vertices between them that routing links
/// around them would take seconds to minutes per route: `check` passes
/// such a park, but says why a solve of it may spend its time routing.
pub(super) fn warn_slow_routing(report: &mut Diagnostics, zones: &[Zone]) {
    let polygons = checked_polygons(zones);
    let tree = box_tree(&polygons);
    // Union–find over the zones whose boxes meet.
    let mut group: Vec<usize> = (0..polygons.len()).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    for entry in tree.iter() {
        for other in tree.locate_in_envelope_intersecting(&entry.geom().envelope()) {
            let (a, b) = (root(&mut group, entry.data), root(&mut group, other.data));
            group[a.max(b)] = a.min(b);
        }
    }
    let mut clusters: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for index in 0..polygons.len() {
        let top = root(&mut group, index);
        clusters.entry(top).or_default().push(index);
    }
    for members in clusters.values() {
        let vertices: usize = members
            .iter()
            .map(|&i| polygons[i].0.polygon.len() - 1)
            .sum();
        if vertices <= SLOW_ROUTING_VERTICES {
            continue;
        }
        let ids: Vec<String> = members
            .iter()
            .take(3)
            .map(|&i| format!("'{}'", polygons[i].0.id))
            .collect();
        let shown = crate::units::thousands(vertices as f64);
        let which = match members.len() {
            1 => format!("has {shown} vertices"),
            n if n <= 3 => format!(
                "meets {} and they have {shown} vertices",
                ids[1..].join(", ")
            ),
            n => format!(
                "meets {} and {} more zones and they have {shown} vertices",
                ids[1..].join(", "),
                n - 3
            ),
        };
        let tests = (vertices as f64).powi(3) / 2.0;
        report.push(Issue::warning(
            Entity::record("exclusion_zone", &polygons[members[0]].0.id),
            "polygon",
            format!(
                "{which}: a route around them tests about {tests:.1e} segment pairs, seconds to minutes per route; simplify the outlines to at most {SLOW_ROUTING_VERTICES} vertices in all (e.g. QGIS Simplify), or a solve may spend its time limit routing"
            ),
        ));
    }
}

/// No plant or project may stand inside an exclusion zone. An R-tree of the
/// zones' bounding boxes keeps this linear-logarithmic: a region has
/// thousands of sites and zones.
pub(super) fn check_sites_outside_zones(
    report: &mut Diagnostics,
    plants: &[Plant],
    projects: &[Project],
    zones: &[Zone],
) {
    let finite = |v: &LonLat| v[0].is_finite() && v[1].is_finite();
    let polygons = checked_polygons(zones);
    let tree = box_tree(&polygons);
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

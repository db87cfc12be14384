//! Where things are: coordinates, polygons and sites outside exclusion
//! zones, each bounded so that a large file is refused rather than checked
//! for minutes.

use crate::diagnostic::{Diagnostics, Entity, Issue};
use crate::input::{ExclusionZoneRecord, LonLat};
use crate::park::{Plant, Project, Zone};
use geo::{BoundingRect, Contains, Validation};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;
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

//! The park map: plants and projects, exclusion zones, candidate links
//! faint, chosen links along their real routes coloured by what they carry
//! and as wide as their annual flow, a scale bar and a north arrow, in a
//! local projection with the right aspect for the latitude.

use super::canvas::*;
use super::FlowClass;
use crate::candidates;
use crate::input::LonLat;
use crate::park::Park;
use crate::solution::Plan;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a site on the map is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// A plant.
    Plant,
    /// A project the plan builds.
    ProjectBuilt,
    /// A candidate project the plan does not build.
    ProjectNotBuilt,
}

/// A labelled site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapSite {
    /// Label (name, with the id when they differ).
    pub label: String,
    /// Where.
    pub location: LonLat,
    /// What it is.
    pub kind: SiteKind,
}

/// A chosen link along its route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapLink {
    /// Route vertices.
    pub route: Vec<LonLat>,
    /// What it carries.
    pub class: FlowClass,
    /// Annual flow sent, t or MWh.
    pub quantity: f64,
}

/// An exclusion zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapZone {
    /// Label.
    pub label: String,
    /// Closed ring.
    pub ring: Vec<LonLat>,
}

/// Everything the map shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapData {
    /// Plants and projects.
    pub sites: Vec<MapSite>,
    /// Exclusion zones.
    pub zones: Vec<MapZone>,
    /// Park boundary, when given.
    pub boundary: Option<Vec<LonLat>>,
    /// Every candidate route (drawn faint), deduplicated.
    pub candidates: Vec<Vec<LonLat>>,
    /// Chosen links.
    pub links: Vec<MapLink>,
}

fn label(name: &str, id: &str) -> String {
    if name == id {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}

/// Computes the map's data from a park and its plan.
pub fn map_data(park: &Park, plan: &Plan) -> MapData {
    let mut sites: Vec<MapSite> = park
        .plants
        .iter()
        .map(|plant| MapSite {
            label: label(&plant.name, &plant.id),
            location: plant.location,
            kind: SiteKind::Plant,
        })
        .collect();
    for (project, result) in park.projects.iter().zip(&plan.projects) {
        sites.push(MapSite {
            label: label(&project.name, &project.id),
            location: project.location,
            kind: if result.built {
                SiteKind::ProjectBuilt
            } else {
                SiteKind::ProjectNotBuilt
            },
        });
    }
    let mut candidate_routes: Vec<Vec<LonLat>> = candidates::generate(park)
        .into_iter()
        .map(|candidate| candidate.route.points)
        .collect();
    candidate_routes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    candidate_routes.dedup();
    let links = plan
        .links
        .iter()
        .map(|link| MapLink {
            route: link.route.clone(),
            class: FlowClass::of_link(link),
            quantity: link.sent,
        })
        .collect();
    MapData {
        sites,
        zones: park
            .zones
            .iter()
            .map(|zone| MapZone {
                label: label(&zone.name, &zone.id),
                ring: zone.polygon.clone(),
            })
            .collect(),
        boundary: park.boundary.clone(),
        candidates: candidate_routes,
        links,
    }
}

/// Width and height of the map, px.
pub const SIZE: (u32, u32) = (1100, 820);
const MARGIN: f64 = 60.0;
const LEGEND_HEIGHT: f64 = 70.0;
const KM_PER_DEGREE: f64 = std::f64::consts::PI / 180.0 * 6371.0088;

/// Local equirectangular projection fitted to the drawing.
struct Projection {
    lon0: f64,
    lat0: f64,
    cos_lat: f64,
    px_per_km: f64,
    x0: f64,
    y0: f64,
}

impl Projection {
    fn fit(points: &[LonLat]) -> Projection {
        let (mut min_lon, mut min_lat, mut max_lon, mut max_lat) =
            (180.0f64, 90.0f64, -180.0f64, -90.0f64);
        for p in points {
            min_lon = min_lon.min(p[0]);
            max_lon = max_lon.max(p[0]);
            min_lat = min_lat.min(p[1]);
            max_lat = max_lat.max(p[1]);
        }
        if points.is_empty() {
            (min_lon, min_lat, max_lon, max_lat) = (0.0, 0.0, 0.0, 0.0);
        }
        let lat0 = (min_lat + max_lat) / 2.0;
        let lon0 = (min_lon + max_lon) / 2.0;
        let cos_lat = lat0.to_radians().cos();
        let width_km = ((max_lon - min_lon) * cos_lat * KM_PER_DEGREE).max(1.0);
        let height_km = ((max_lat - min_lat) * KM_PER_DEGREE).max(1.0);
        let usable_w = SIZE.0 as f64 - 2.0 * MARGIN;
        let usable_h = SIZE.1 as f64 - 2.0 * MARGIN - LEGEND_HEIGHT;
        let px_per_km = (usable_w / width_km).min(usable_h / height_km);
        Projection {
            lon0,
            lat0,
            cos_lat,
            px_per_km,
            x0: SIZE.0 as f64 / 2.0,
            y0: MARGIN + usable_h / 2.0 + 10.0,
        }
    }

    fn project(&self, p: LonLat) -> (f64, f64) {
        let x_km = (p[0] - self.lon0) * self.cos_lat * KM_PER_DEGREE;
        let y_km = (p[1] - self.lat0) * KM_PER_DEGREE;
        (
            self.x0 + x_km * self.px_per_km,
            self.y0 - y_km * self.px_per_km,
        )
    }

    fn pixel(&self, p: LonLat) -> (i32, i32) {
        let (x, y) = self.project(p);
        px(x, y)
    }
}

/// Draws the map as an SVG document.
pub fn draw_map(data: &MapData, title: &str) -> Result<String, DrawError> {
    let mut all: Vec<LonLat> = data.sites.iter().map(|s| s.location).collect();
    for zone in &data.zones {
        all.extend_from_slice(&zone.ring);
    }
    if let Some(boundary) = &data.boundary {
        all.extend_from_slice(boundary);
    }
    for link in &data.links {
        all.extend_from_slice(&link.route);
    }
    let projection = Projection::fit(&all);
    render("map", SIZE.0, SIZE.1, |area| {
        area.draw(&Text::new(
            title.to_string(),
            (20, 16),
            bold(20, &INK, HPos::Left, VPos::Top),
        ))?;
        if let Some(boundary) = &data.boundary {
            let mut ring: Vec<(i32, i32)> = boundary.iter().map(|p| projection.pixel(*p)).collect();
            if let Some(first) = ring.first().copied() {
                ring.push(first);
            }
            area.draw(&plotters::element::DashedPathElement::new(
                ring,
                8,
                5,
                stroke(&GREY, 2),
            ))?;
        }
        for zone in &data.zones {
            let ring: Vec<(i32, i32)> = zone.ring.iter().map(|p| projection.pixel(*p)).collect();
            area.draw(&Polygon::new(ring.clone(), fill(&ZONE, 0.18)))?;
            area.draw(&PathElement::new(ring, stroke(&ZONE, 1)))?;
        }
        for route in &data.candidates {
            let points: Vec<(i32, i32)> = route.iter().map(|p| projection.pixel(*p)).collect();
            area.draw(&PathElement::new(
                points,
                stroke(&RGBColor(205, 205, 205), 1),
            ))?;
        }
        draw_links(area, &projection, &data.links)?;
        draw_sites(area, &projection, data)?;
        for zone in &data.zones {
            let (cx, cy) = centroid(&zone.ring, &projection);
            halo_text(
                area,
                &zone.label,
                px(cx, cy),
                &text(12, &ZONE, HPos::Center, VPos::Center),
            )?;
        }
        draw_scale_and_north(area, &projection)?;
        draw_legend(area)
    })
}

fn centroid(ring: &[LonLat], projection: &Projection) -> (f64, f64) {
    let points: Vec<(f64, f64)> = ring.iter().map(|p| projection.project(*p)).collect();
    let n = points.len().max(1) as f64;
    (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

/// Shifts a polyline sideways by `offset` px (positive: to the left of
/// the direction of travel), so links sharing a corridor sit side by side.
fn shift(points: &[(f64, f64)], offset: f64) -> Vec<(f64, f64)> {
    if offset == 0.0 || points.len() < 2 {
        return points.to_vec();
    }
    let normal = |a: (f64, f64), b: (f64, f64)| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = (dx * dx + dy * dy).sqrt().max(1e-9);
        (dy / length, -dx / length)
    };
    (0..points.len())
        .map(|i| {
            let (a, b) = if i + 1 < points.len() {
                (points[i], points[i + 1])
            } else {
                (points[i - 1], points[i])
            };
            let n = normal(a, b);
            (points[i].0 + n.0 * offset, points[i].1 + n.1 * offset)
        })
        .collect()
}

fn draw_links(area: &Area, projection: &Projection, links: &[MapLink]) -> Drawn {
    // Width by annual flow, scaled within each unit (t for solids, MWh for heat).
    let max_of = |heat: bool| {
        links
            .iter()
            .filter(|l| l.class.is_heat() == heat)
            .map(|l| l.quantity)
            .fold(0.0, f64::max)
    };
    let (max_t, max_mwh) = (max_of(false), max_of(true));
    let width_of = |link: &MapLink| {
        let max = if link.class.is_heat() { max_mwh } else { max_t };
        if max > 0.0 {
            2.0 + 10.0 * (link.quantity / max).sqrt()
        } else {
            2.0
        }
    };
    // Links along the same corridor (either direction) are drawn side by
    // side: the first down the middle, later ones beside it.
    let point_key = |p: LonLat| ((p[0] * 1e5).round() as i64, (p[1] * 1e5).round() as i64);
    let mut used: BTreeMap<Corridor, f64> = BTreeMap::new();
    let mut ordered: Vec<&MapLink> = links.iter().filter(|l| l.route.len() >= 2).collect();
    ordered.sort_by(|a, b| b.quantity.total_cmp(&a.quantity));
    for link in ordered {
        let width = width_of(link);
        let (start, end) = (
            point_key(link.route[0]),
            point_key(link.route[link.route.len() - 1]),
        );
        let corridor = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        // `edge`: how far the corridor's outermost link reaches from its centre line.
        let edge = used.entry(corridor).or_insert(-1.0);
        let side = if *edge < 0.0 {
            0.0
        } else {
            *edge + 3.0 + width / 2.0
        };
        *edge = side + width / 2.0;
        let offset = if start <= end { side } else { -side };
        let points: Vec<(f64, f64)> = link.route.iter().map(|p| projection.project(*p)).collect();
        let shifted: Vec<(i32, i32)> = shift(&points, offset)
            .into_iter()
            .map(|(x, y)| px(x, y))
            .collect();
        area.draw(&PathElement::new(
            shifted,
            stroke(&link.class.color(), width.round() as u32),
        ))?;
    }
    Ok(())
}

/// A corridor: a pair of end points rounded to about a metre, lowest first.
type Corridor = ((i64, i64), (i64, i64));

fn draw_sites(area: &Area, projection: &Projection, data: &MapData) -> Drawn {
    let mut taken: Vec<[f64; 4]> = Vec::new();
    for site in &data.sites {
        let (x, y) = projection.project(site.location);
        let at = px(x, y);
        match site.kind {
            SiteKind::Plant => {
                area.draw(&Circle::new(at, 7, fill(&PLANT, 1.0)))?;
                area.draw(&Circle::new(at, 7, stroke(&WHITE_RGB, 2)))?;
            }
            SiteKind::ProjectBuilt | SiteKind::ProjectNotBuilt => {
                let square = [px(x - 6.0, y - 6.0), px(x + 6.0, y + 6.0)];
                let style = if site.kind == SiteKind::ProjectBuilt {
                    fill(&PRODUCT, 1.0)
                } else {
                    fill(&WHITE_RGB, 1.0)
                };
                area.draw(&Rectangle::new(square, style))?;
                area.draw(&Rectangle::new(square, stroke(&PRODUCT, 2)))?;
            }
        }
    }
    for site in &data.sites {
        let (x, y) = projection.project(site.location);
        let size = 13.0;
        let width = text_width(&site.label, size);
        // Try right, left, above, below; keep the first spot that overlaps no label.
        let options = [
            (x + 11.0, y - size * 0.6, HPos::Left),
            (x - 11.0 - width, y - size * 0.6, HPos::Left),
            (x - width / 2.0, y - 14.0 - size * 1.2, HPos::Left),
            (x - width / 2.0, y + 12.0, HPos::Left),
        ];
        let on_canvas = |left: f64, top: f64| {
            left >= 4.0
                && left + width <= SIZE.0 as f64 - 4.0
                && top >= 40.0
                && top + size * 1.2 <= SIZE.1 as f64 - LEGEND_HEIGHT
        };
        let free = |left: f64, top: f64| {
            let b = [left, top, left + width, top + size * 1.2];
            !taken
                .iter()
                .any(|t| b[0] < t[2] && b[2] > t[0] && b[1] < t[3] && b[3] > t[1])
        };
        let chosen = options
            .iter()
            .find(|(left, top, _)| on_canvas(*left, *top) && free(*left, *top))
            .or_else(|| options.iter().find(|(left, top, _)| on_canvas(*left, *top)))
            .unwrap_or(&options[0]);
        let (left, top, _) = *chosen;
        taken.push([left, top, left + width, top + size * 1.2]);
        let color = if site.kind == SiteKind::ProjectNotBuilt {
            GREY
        } else {
            INK
        };
        halo_text(
            area,
            &site.label,
            px(left, top),
            &text(size as u32, &color, HPos::Left, VPos::Top),
        )?;
    }
    Ok(())
}

fn draw_scale_and_north(area: &Area, projection: &Projection) -> Drawn {
    // Scale bar about a fifth of the width, in round km.
    let target_km = (SIZE.0 as f64 / 5.0) / projection.px_per_km;
    let km = nice_step(target_km);
    let length = km * projection.px_per_km;
    let (x, y) = (MARGIN, SIZE.1 as f64 - LEGEND_HEIGHT - 20.0);
    area.draw(&Rectangle::new(
        [px(x, y), px(x + length / 2.0, y + 6.0)],
        fill(&INK, 1.0),
    ))?;
    area.draw(&Rectangle::new(
        [px(x + length / 2.0, y), px(x + length, y + 6.0)],
        fill(&WHITE_RGB, 1.0),
    ))?;
    area.draw(&Rectangle::new(
        [px(x, y), px(x + length, y + 6.0)],
        stroke(&INK, 1),
    ))?;
    area.draw(&Text::new(
        "0".to_string(),
        px(x, y + 10.0),
        text(12, &INK, HPos::Center, VPos::Top),
    ))?;
    area.draw(&Text::new(
        format!(
            "{} km",
            if km >= 1.0 {
                format!("{km:.0}")
            } else {
                format!("{km}")
            }
        ),
        px(x + length, y + 10.0),
        text(12, &INK, HPos::Center, VPos::Top),
    ))?;
    // North arrow, top right.
    let (nx, ny) = (SIZE.0 as f64 - MARGIN, MARGIN + 10.0);
    area.draw(&Polygon::new(
        vec![
            px(nx, ny),
            px(nx - 9.0, ny + 26.0),
            px(nx, ny + 19.0),
            px(nx + 9.0, ny + 26.0),
        ],
        fill(&INK, 1.0),
    ))?;
    area.draw(&Text::new(
        "N".to_string(),
        px(nx, ny - 4.0),
        bold(15, &INK, HPos::Center, VPos::Bottom),
    ))
}

/// A legend symbol.
enum Swatch {
    /// A line of a colour and width.
    Line(RGBColor, u32),
    /// A translucent patch.
    Patch(RGBColor),
    /// A plant marker.
    Plant,
    /// A project marker, filled when built.
    Project(bool),
}

/// Draws a row of legend entries from `x`; returns where the row ends.
fn legend_row(
    area: &Area,
    entries: &[(Swatch, &str)],
    mut x: f64,
    y: f64,
) -> Result<f64, DrawingAreaErrorKind<std::io::Error>> {
    for (swatch, label) in entries {
        match swatch {
            Swatch::Line(color, width) => {
                area.draw(&PathElement::new(
                    vec![px(x, y), px(x + 30.0, y)],
                    stroke(color, *width),
                ))?;
            }
            Swatch::Patch(color) => {
                area.draw(&Rectangle::new(
                    [px(x + 3.0, y - 7.0), px(x + 27.0, y + 7.0)],
                    fill(color, 0.18),
                ))?;
            }
            Swatch::Plant => area.draw(&Circle::new(px(x + 15.0, y), 7, fill(&PLANT, 1.0)))?,
            Swatch::Project(built) => {
                let square = [px(x + 9.0, y - 6.0), px(x + 21.0, y + 6.0)];
                if *built {
                    area.draw(&Rectangle::new(square, fill(&PRODUCT, 1.0)))?;
                }
                area.draw(&Rectangle::new(square, stroke(&PRODUCT, 2)))?;
            }
        }
        area.draw(&Text::new(
            label.to_string(),
            px(x + 38.0, y),
            text(13, &INK, HPos::Left, VPos::Center),
        ))?;
        x += 60.0 + text_width(label, 13.0);
    }
    Ok(x)
}

fn draw_legend(area: &Area) -> Drawn {
    let y = SIZE.1 as f64 - LEGEND_HEIGHT + 18.0;
    legend_row(
        area,
        &[
            (Swatch::Line(WASTE, 6), "solid waste"),
            (Swatch::Line(PRODUCT, 6), "product"),
            (Swatch::Line(STEAM, 6), "steam"),
            (Swatch::Line(HOT_WATER, 6), "hot water"),
            (Swatch::Line(RGBColor(205, 205, 205), 1), "candidate link"),
            (Swatch::Patch(ZONE), "exclusion zone"),
        ],
        MARGIN,
        y,
    )?;
    let end = legend_row(
        area,
        &[
            (Swatch::Plant, "plant"),
            (Swatch::Project(true), "project built"),
            (Swatch::Project(false), "project not built"),
        ],
        MARGIN,
        y + 26.0,
    )?;
    area.draw(&Text::new(
        "line width: annual flow (t for solids, MWh for heat)".to_string(),
        px(end, y + 26.0),
        text(13, &GREY, HPos::Left, VPos::Center),
    ))?;
    Ok(())
}

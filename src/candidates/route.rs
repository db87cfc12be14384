//! Routes between two sites: the straight great-circle line when it is
//! clear, otherwise the shortest path around the exclusion zones in its way.
//!
//! Around obstacles the shortest path bends only at obstacle vertices, so a
//! visibility graph over the zones' vertices plus the two ends, searched with
//! Dijkstra (petgraph), gives the exact shortest route in the local plane.
//! Each link works in its own equirectangular frame centred on its midpoint,
//! which is accurate to well under 1 % over the distances links may span.

use crate::deadline::{Deadline, OutOfTime, Stage};
use crate::input::LonLat;
use crate::park::Zone;
use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{Distance, Haversine};
use petgraph::graph::UnGraph;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// Great-circle distance between two `[lon, lat]` points, km.
pub fn haversine_km(a: LonLat, b: LonLat) -> f64 {
    Haversine.distance(geo::Point::new(a[0], a[1]), geo::Point::new(b[0], b[1])) / 1000.0
}

/// Length of a polyline along great circles, km.
pub fn polyline_km(points: &[LonLat]) -> f64 {
    points
        .windows(2)
        .map(|pair| haversine_km(pair[0], pair[1]))
        .sum()
}

/// A route between two sites.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Vertices from start to end, `[lon, lat]`.
    pub points: Vec<LonLat>,
    /// Length along the vertices, km (before any detour factor).
    pub length_km: f64,
}

impl Route {
    /// Whether the route bends around an exclusion zone.
    pub fn is_detour(&self) -> bool {
        self.points.len() > 2
    }
}

/// An exclusion zone prepared for routing: its ring and its bounding box.
#[derive(Debug, Clone)]
pub struct Obstacle {
    /// Closed ring, `[lon, lat]`.
    ring: Vec<LonLat>,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    bbox: [f64; 4],
}

/// The zones of a park prepared for routing, with an R-tree of their
/// bounding boxes so a route only looks at the zones near it (a region of
/// thousands of parks has thousands of zones).
#[derive(Debug, Clone)]
pub struct Obstacles {
    list: Vec<Obstacle>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl Obstacles {
    /// Prepares the zones of a park.
    pub fn from_zones(zones: &[Zone]) -> Obstacles {
        let list = Obstacle::from_zones(zones);
        let boxes = list
            .iter()
            .enumerate()
            .map(|(i, o)| {
                GeomWithData::new(
                    Rectangle::from_corners([o.bbox[0], o.bbox[1]], [o.bbox[2], o.bbox[3]]),
                    i,
                )
            })
            .collect();
        Obstacles {
            list,
            tree: RTree::bulk_load(boxes),
        }
    }

    /// The zones whose boxes meet `window` (`[min_lon, min_lat, max_lon,
    /// max_lat]`), in zone order.
    fn near(&self, window: [f64; 4]) -> Vec<&Obstacle> {
        let envelope = AABB::from_corners([window[0], window[1]], [window[2], window[3]]);
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|entry| entry.data)
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &self.list[i]).collect()
    }
}

impl Obstacle {
    /// Prepares the zones of a park.
    fn from_zones(zones: &[Zone]) -> Vec<Obstacle> {
        zones
            .iter()
            .filter(|zone| zone.polygon.len() >= 4)
            .map(|zone| {
                let mut bbox = [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ];
                for v in &zone.polygon {
                    bbox = [
                        bbox[0].min(v[0]),
                        bbox[1].min(v[1]),
                        bbox[2].max(v[0]),
                        bbox[3].max(v[1]),
                    ];
                }
                Obstacle {
                    ring: zone.polygon.clone(),
                    bbox,
                }
            })
            .collect()
    }
}

/// A local plane around a point: km east and km north.
#[derive(Debug, Clone, Copy)]
struct Frame {
    lon0: f64,
    lat0: f64,
    km_per_deg_lon: f64,
    km_per_deg_lat: f64,
}

impl Frame {
    fn around(a: LonLat, b: LonLat) -> Frame {
        let lat0 = (a[1] + b[1]) / 2.0;
        let km_per_deg = std::f64::consts::PI / 180.0 * 6371.0088;
        Frame {
            lon0: (a[0] + b[0]) / 2.0,
            lat0,
            km_per_deg_lon: km_per_deg * lat0.to_radians().cos(),
            km_per_deg_lat: km_per_deg,
        }
    }

    fn project(&self, v: LonLat) -> geo::Coord<f64> {
        geo::coord! {
            x: (v[0] - self.lon0) * self.km_per_deg_lon,
            y: (v[1] - self.lat0) * self.km_per_deg_lat,
        }
    }
}

/// Whether the open segment `a`–`b` passes through the interior of `polygon`
/// (running along its boundary or touching a vertex is allowed).
///
/// The segment is cut where it meets the boundary; it passes through the
/// interior exactly when the middle of some piece lies strictly inside.
/// (geo's general `relate` answers the same question but builds a
/// topology graph per call, which dominated candidate generation.)
fn blocks(polygon: &geo::Polygon<f64>, a: geo::Coord<f64>, b: geo::Coord<f64>) -> bool {
    if a == b {
        return false;
    }
    let d = b - a;
    let cross = |u: geo::Coord<f64>, v: geo::Coord<f64>| u.x * v.y - u.y * v.x;
    let along = |p: geo::Coord<f64>| {
        let w = p - a;
        (w.x * d.x + w.y * d.y) / (d.x * d.x + d.y * d.y)
    };
    let mut cuts: Vec<f64> = vec![0.0, 1.0];
    for edge in polygon.exterior().lines() {
        let (p, e) = (edge.start, edge.end - edge.start);
        let denominator = cross(d, e);
        if denominator != 0.0 {
            let t = cross(p - a, e) / denominator;
            let u = cross(p - a, d) / denominator;
            if (0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u) {
                cuts.push(t);
            }
        } else if cross(p - a, d) == 0.0 {
            // Collinear: the edge's ends cut the segment where they lie on it.
            cuts.extend(
                [along(edge.start), along(edge.end)]
                    .into_iter()
                    .filter(|t| (0.0..=1.0).contains(t)),
            );
        }
    }
    cuts.sort_by(f64::total_cmp);
    cuts.windows(2).filter(|w| w[1] > w[0]).any(|w| {
        let middle = a + d * ((w[0] + w[1]) / 2.0);
        polygon.coordinate_position(&middle) == CoordPos::Inside
    })
}

/// The shortest route from `a` to `b` around `obstacles` whose length is at
/// most `limit_km`, or `None` if there is none.
pub fn route(a: LonLat, b: LonLat, obstacles: &Obstacles, limit_km: f64) -> Option<Route> {
    // Without a deadline there is no running out of time.
    route_within(a, b, obstacles, limit_km, &Deadline::none()).unwrap_or_default()
}

/// As [`route`], stopping with [`OutOfTime`] once `deadline` has passed:
/// around zones of many vertices one route can take seconds.
pub fn route_within(
    a: LonLat,
    b: LonLat,
    obstacles: &Obstacles,
    limit_km: f64,
    deadline: &Deadline,
) -> Result<Option<Route>, OutOfTime> {
    let straight = haversine_km(a, b);
    if straight > limit_km {
        return Ok(None);
    }
    let frame = Frame::around(a, b);
    let project_zone = |o: &&Obstacle| {
        geo::Polygon::new(
            geo::LineString::from(o.ring.iter().map(|v| frame.project(*v)).collect::<Vec<_>>()),
            vec![],
        )
    };
    let (pa, pb) = (frame.project(a), frame.project(b));
    // The straight line can only be blocked by zones meeting its own box.
    let segment = [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[0].max(b[0]),
        a[1].max(b[1]),
    ];
    let crossed = obstacles.near(segment);
    if !crossed
        .iter()
        .map(project_zone)
        .any(|polygon| blocks(&polygon, pa, pb))
    {
        return Ok(Some(Route {
            points: vec![a, b],
            length_km: straight,
        }));
    }
    // A route of length L stays inside the ellipse with foci a and b and
    // major axis L, so only zones near the segment's box can matter.
    let slack_km = (limit_km - straight) / 2.0;
    let slack_lat = slack_km / frame.km_per_deg_lat;
    let slack_lon = slack_km / frame.km_per_deg_lon.max(1e-9);
    let window = [
        segment[0] - slack_lon,
        segment[1] - slack_lat,
        segment[2] + slack_lon,
        segment[3] + slack_lat,
    ];
    let nearby = obstacles.near(window);
    let polygons: Vec<geo::Polygon<f64>> = nearby.iter().map(project_zone).collect();
    // Route around the zones the straight line crosses, then add only the
    // zones that route runs into, until it is clear of every zone. Exact:
    // a route around fewer zones is never longer, so the first clear one
    // is the shortest around all of them.
    let mut active: Vec<usize> = (0..nearby.len())
        .filter(|&k| blocks(&polygons[k], pa, pb))
        .collect();
    loop {
        let zones = Around {
            frame: &frame,
            zones: &nearby,
            polygons: &polygons,
            active: &active,
        };
        let Some(points) = shortest_around(a, b, &zones, limit_km, deadline)? else {
            return Ok(None);
        };
        let projected: Vec<geo::Coord<f64>> = points.iter().map(|v| frame.project(*v)).collect();
        let hit: Vec<usize> = (0..nearby.len())
            .filter(|k| !active.contains(k))
            .filter(|&k| {
                projected
                    .windows(2)
                    .any(|w| blocks(&polygons[k], w[0], w[1]))
            })
            .collect();
        if hit.is_empty() {
            return Ok(Some(Route {
                length_km: polyline_km(&points),
                points,
            }));
        }
        active.extend(hit);
        active.sort_unstable();
    }
}

/// The zones a route bends around: the frame it is drawn in, the zones
/// near it and their projected `polygons`, and the indices of those in
/// its way so far.
struct Around<'a> {
    frame: &'a Frame,
    zones: &'a [&'a Obstacle],
    polygons: &'a [geo::Polygon<f64>],
    active: &'a [usize],
}

/// The shortest path from `a` to `b` around the zones `around.active`, no
/// longer than `limit_km`: A* over the visibility graph of the ends and
/// the zones' vertices. Building that graph takes (vertices)² segment
/// tests against every active zone, so it checks `deadline` as it goes.
fn shortest_around(
    a: LonLat,
    b: LonLat,
    around: &Around,
    limit_km: f64,
    deadline: &Deadline,
) -> Result<Option<Vec<LonLat>>, OutOfTime> {
    let Around {
        frame,
        zones,
        polygons,
        active,
    } = around;
    let mut sites: Vec<LonLat> = vec![a, b];
    // Each zone vertex's neighbours on its ring (the ends have none).
    let mut neighbours: Vec<Option<(LonLat, LonLat)>> = vec![None, None];
    for &k in active.iter() {
        let ring = &zones[k].ring[..zones[k].ring.len() - 1];
        let n = ring.len();
        sites.extend_from_slice(ring);
        neighbours.extend((0..n).map(|i| Some((ring[(i + n - 1) % n], ring[(i + 1) % n]))));
    }
    let projected: Vec<geo::Coord<f64>> = sites.iter().map(|v| frame.project(*v)).collect();
    let neighbours: Vec<Option<(geo::Coord<f64>, geo::Coord<f64>)>> = neighbours
        .into_iter()
        .map(|pair| pair.map(|(before, after)| (frame.project(before), frame.project(after))))
        .collect();
    // A shortest path bends at a zone vertex only around the zone: each of
    // its segments there is tangent to the zone (the vertex's two
    // neighbours on one side of it; never so at a reflex vertex). Pairs
    // that are not tangent at both ends are dropped before the costly
    // test against every zone's edges; the shortest path is unchanged.
    let tangent = |i: usize, j: usize| {
        neighbours[i].is_none_or(|(before, after)| {
            let (p, d) = (projected[i], projected[j] - projected[i]);
            let side = |c: geo::Coord<f64>| d.x * (c.y - p.y) - d.y * (c.x - p.x);
            side(before) * side(after) >= 0.0
        })
    };
    let mut graph = UnGraph::<(), f64>::with_capacity(sites.len(), sites.len() * 4);
    let nodes: Vec<_> = sites.iter().map(|_| graph.add_node(())).collect();
    for i in 0..sites.len() {
        deadline.check(Stage::Routing)?;
        for j in (i + 1)..sites.len() {
            if !(tangent(i, j) && tangent(j, i)) {
                continue;
            }
            let (p, q) = (projected[i], projected[j]);
            if !active.iter().any(|&k| blocks(&polygons[k], p, q)) {
                graph.add_edge(nodes[i], nodes[j], haversine_km(sites[i], sites[j]));
            }
        }
    }
    let found = petgraph::algo::astar(
        &graph,
        nodes[0],
        |node| node == nodes[1],
        |edge| *edge.weight(),
        |node| haversine_km(sites[node.index()], b),
    );
    Ok(found
        .filter(|(cost, _)| *cost <= limit_km)
        .map(|(_, path)| path.iter().map(|node| sites[node.index()]).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::ZoneKind;

    fn square_zone() -> Zone {
        Zone {
            id: "town".into(),
            name: "town".into(),
            kind: ZoneKind::Residential,
            polygon: vec![
                [118.49, 38.99],
                [118.51, 38.99],
                [118.51, 39.01],
                [118.49, 39.01],
                [118.49, 38.99],
            ],
        }
    }

    /// A star-shaped zone of `points` tips around `centre`, radii drawn
    /// from `draw`: simple, and mostly not convex.
    fn star(
        id: usize,
        centre: LonLat,
        points: usize,
        draw: &mut crate::random::SplitMix64,
    ) -> Zone {
        let mut polygon: Vec<LonLat> = (0..2 * points)
            .map(|k| {
                let angle = std::f64::consts::PI * k as f64 / points as f64;
                let radius = if k % 2 == 0 {
                    draw.uniform(0.006, 0.012)
                } else {
                    draw.uniform(0.001, 0.005)
                };
                [
                    centre[0] + radius * angle.cos(),
                    centre[1] + radius * angle.sin(),
                ]
            })
            .collect();
        polygon.push(polygon[0]);
        Zone {
            id: format!("star-{id}"),
            name: String::new(),
            kind: ZoneKind::Other,
            polygon,
        }
    }

    /// The shortest route by brute force: every vertex of every zone in
    /// one visibility graph, no pruning, Dijkstra.
    fn brute_force_km(a: LonLat, b: LonLat, zones: &[Zone]) -> Option<f64> {
        let frame = Frame::around(a, b);
        let mut sites = vec![a, b];
        for zone in zones {
            sites.extend_from_slice(&zone.polygon[..zone.polygon.len() - 1]);
        }
        let polygons: Vec<geo::Polygon<f64>> = zones
            .iter()
            .map(|z| {
                let ring: Vec<geo::Coord<f64>> =
                    z.polygon.iter().map(|v| frame.project(*v)).collect();
                geo::Polygon::new(geo::LineString::from(ring), vec![])
            })
            .collect();
        let mut graph = UnGraph::<(), f64>::new_undirected();
        let nodes: Vec<_> = sites.iter().map(|_| graph.add_node(())).collect();
        for i in 0..sites.len() {
            for j in (i + 1)..sites.len() {
                let (p, q) = (frame.project(sites[i]), frame.project(sites[j]));
                if !polygons.iter().any(|polygon| blocks(polygon, p, q)) {
                    graph.add_edge(nodes[i], nodes[j], haversine_km(sites[i], sites[j]));
                }
            }
        }
        petgraph::algo::dijkstra(&graph, nodes[0], Some(nodes[1]), |e| *e.weight())
            .get(&nodes[1])
            .copied()
    }

    #[test]
    fn the_pruned_route_is_the_shortest_among_random_stars() {
        use geo::Contains;
        let mut draw = crate::random::SplitMix64(17);
        let mut compared = 0;
        while compared < 40 {
            let zones: Vec<Zone> = (0..3)
                .map(|id| {
                    let centre = [
                        118.0 + draw.uniform(-0.01, 0.01),
                        39.0 + draw.uniform(-0.01, 0.01),
                    ];
                    let points = 3 + draw.below(6);
                    star(id, centre, points, &mut draw)
                })
                .collect();
            let a = [118.0 + draw.uniform(-0.03, 0.03), 39.0 - 0.02];
            let b = [118.0 + draw.uniform(-0.03, 0.03), 39.0 + 0.02];
            let inside = zones.iter().any(|z| {
                let polygon = geo::Polygon::new(
                    geo::LineString::from(
                        z.polygon.iter().map(|v| (v[0], v[1])).collect::<Vec<_>>(),
                    ),
                    vec![],
                );
                polygon.contains(&geo::Point::new(a[0], a[1]))
                    || polygon.contains(&geo::Point::new(b[0], b[1]))
            });
            if inside {
                continue;
            }
            let obstacles = Obstacles::from_zones(&zones);
            let found = route(a, b, &obstacles, 100.0).map(|r| r.length_km);
            let expected = brute_force_km(a, b, &zones);
            match (found, expected) {
                (Some(found), Some(expected)) => {
                    assert!(
                        (found - expected).abs() < 1e-9 * expected,
                        "{found} km, brute force {expected} km: {zones:?} {a:?} {b:?}"
                    )
                }
                (found, expected) => assert_eq!(found, expected, "{zones:?} {a:?} {b:?}"),
            }
            compared += 1;
        }
    }

    #[test]
    fn clear_line_is_the_great_circle() {
        let r = route(
            [118.0, 39.0],
            [118.1, 39.0],
            &Obstacles::from_zones(&[]),
            100.0,
        )
        .unwrap();
        assert_eq!(r.points.len(), 2);
        // 0.1° of longitude at 39° N: 111.195 km × cos 39° × 0.1 ≈ 8.641 km.
        assert!((r.length_km - 8.641).abs() < 0.01, "{}", r.length_km);
    }

    #[test]
    fn blocked_line_goes_around_the_zone_by_two_corners() {
        let obstacles = Obstacles::from_zones(&[square_zone()]);
        let (a, b) = ([118.45, 39.0], [118.55, 39.0]);
        let r = route(a, b, &obstacles, 100.0).unwrap();
        assert!(r.is_detour());
        // Around the square: a → corner → corner → b, longer than straight.
        assert_eq!(r.points.len(), 4, "{:?}", r.points);
        let straight = haversine_km(a, b);
        assert!(
            r.length_km > straight && r.length_km < straight * 1.2,
            "{} vs {straight}",
            r.length_km
        );
        // Symmetric corners: the two middle vertices share a latitude.
        assert_eq!(r.points[1][1], r.points[2][1]);
    }

    #[test]
    fn detour_beyond_the_limit_drops_the_route() {
        let obstacles = Obstacles::from_zones(&[square_zone()]);
        let (a, b) = ([118.45, 39.0], [118.55, 39.0]);
        let straight = haversine_km(a, b);
        assert!(route(a, b, &obstacles, straight * 1.0001).is_none());
    }

    /// geo's DE-9IM `relate`: the segment's interior meets the polygon's.
    fn blocks_by_relate(
        polygon: &geo::Polygon<f64>,
        a: geo::Coord<f64>,
        b: geo::Coord<f64>,
    ) -> bool {
        use geo::dimensions::Dimensions;
        use geo::Relate;
        a != b
            && geo::Line::new(a, b)
                .relate(polygon)
                .get(CoordPos::Inside, CoordPos::Inside)
                != Dimensions::Empty
    }

    #[test]
    fn the_interior_test_agrees_with_geo_relate() {
        // An L-shaped (non-convex) zone on a unit grid; segments between
        // grid points run through it, along its edges, through its
        // vertices and past its reflex corner.
        let zone = geo::Polygon::new(
            geo::LineString::from(vec![
                (0.0, 0.0),
                (4.0, 0.0),
                (4.0, 2.0),
                (2.0, 2.0),
                (2.0, 4.0),
                (0.0, 4.0),
                (0.0, 0.0),
            ]),
            vec![],
        );
        let mut random = crate::random::SplitMix64(7);
        let mut points: Vec<geo::Coord<f64>> = Vec::new();
        for x in -1..=5 {
            for y in -1..=5 {
                points.push(geo::coord! { x: x as f64, y: y as f64 });
            }
        }
        for _ in 0..40 {
            points.push(geo::coord! { x: random.uniform(-1.0, 5.0), y: random.uniform(-1.0, 5.0) });
        }
        let mut disagreements = Vec::new();
        for &a in &points {
            for &b in &points {
                if blocks(&zone, a, b) != blocks_by_relate(&zone, a, b) {
                    disagreements.push((a, b));
                }
            }
        }
        assert!(
            disagreements.is_empty(),
            "{:?}",
            &disagreements[..disagreements.len().min(5)]
        );
    }

    #[test]
    fn line_along_a_zone_edge_is_not_blocked() {
        let obstacles = Obstacles::from_zones(&[square_zone()]);
        let r = route([118.49, 38.99], [118.51, 38.99], &obstacles, 100.0).unwrap();
        assert!(!r.is_detour());
    }
}

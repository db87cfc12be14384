//! A plan's link re-derived from the park alone: its endpoints exist, the
//! mode carries what the sender sends and the receiver takes it, the route
//! around the exclusion zones is within the mode's range, and heat arrives
//! hot enough. The verifier then checks the link's flow and cost against
//! this candidate, never against the model's.

use super::{close, Rule, Verification};
use crate::candidates::{self, route::route, route::Obstacles, Candidate, Endpoint};
use crate::library::{Carrier, TechnologyKind, TransportMode};
use crate::park::Park;
use crate::solution::plan::LinkResult;

/// Whether a plan's endpoint exists in the park under the id it names.
fn endpoint_exists(park: &Park, endpoint: Endpoint, id: &str) -> bool {
    let (index, count) = match endpoint {
        Endpoint::Waste(i) => (i, park.wastes.len()),
        Endpoint::Project(i) => (i, park.projects.len()),
        Endpoint::MaterialDemand(i) => (i, park.material_demands.len()),
        Endpoint::HeatSource(i) => (i, park.heat_sources.len()),
        Endpoint::HeatDemand(i) => (i, park.heat_demands.len()),
    };
    index < count && endpoint.id(park) == id
}

/// What a link's sender sends: the material (`None` for heat), the heat's
/// temperature and the exchanger's approach; `None` (with a violation)
/// when the sender sends nothing along links.
fn what_is_sent(
    park: &Park,
    link: &LinkResult,
    v: &mut Verification,
    name: &str,
) -> Option<(Option<String>, f64, f64)> {
    let library = &park.library;
    match link.from {
        Endpoint::Waste(i) => Some((Some(park.wastes[i].kind.clone()), 0.0, 0.0)),
        Endpoint::HeatSource(i) => Some((
            None,
            park.heat_sources[i].temperature_c,
            library.heat.min_approach_c,
        )),
        Endpoint::Project(i) => {
            let project = &park.projects[i];
            match project.kind {
                TechnologyKind::Material => Some((Some(project.product.clone()), 0.0, 0.0)),
                TechnologyKind::HeatPump => {
                    let technology = project.technology(library);
                    Some((None, technology.output_temperature_c.unwrap_or(0.0), 0.0))
                }
                TechnologyKind::Power => {
                    v.check(Rule::Route, false, || {
                        format!("{name}: a power project sends nothing along links")
                    });
                    None
                }
            }
        }
        _ => {
            v.check(Rule::Route, false, || format!("{name}: a user cannot send"));
            None
        }
    }
}

/// Whether a link's receiver takes what is sent (`None`: heat).
fn receiver_accepts(park: &Park, link: &LinkResult, material: Option<&String>) -> bool {
    match (link.to, material) {
        (Endpoint::MaterialDemand(i), Some(m)) => park.material_demands[i].accepts.contains(m),
        (Endpoint::Project(i), Some(m)) => {
            let project = &park.projects[i];
            project.kind == TechnologyKind::Material
                && project.technology(&park.library).inputs.contains(m)
        }
        (Endpoint::HeatDemand(_), None) => true,
        (Endpoint::Project(i), None) => {
            park.projects[i].kind != TechnologyKind::Material
                && !matches!(link.from, Endpoint::Project(_))
        }
        _ => false,
    }
}

/// The temperature heat arrives at over `distance_km`, checked against
/// what the receiver needs.
fn delivered_temperature(
    park: &Park,
    link: &LinkResult,
    mode: &TransportMode,
    (source_c, approach_c): (f64, f64),
    distance_km: f64,
    v: &mut Verification,
    name: &str,
) -> Option<f64> {
    let required = match link.to {
        Endpoint::HeatDemand(i) => park.heat_demands[i].temperature_c,
        Endpoint::Project(i) => park.projects[i]
            .technology(&park.library)
            .min_source_temperature_c
            .unwrap_or(0.0),
        _ => f64::INFINITY,
    };
    let arrives = candidates::delivered_temperature_c(mode, source_c, approach_c, distance_km);
    v.check(
        Rule::Route,
        arrives.is_some_and(|t| t >= required - 1e-9),
        || {
            format!(
                "{name}: heat arrives at {} °C, the receiver needs {required} °C",
                arrives.map_or("no".to_string(), |t| format!("{t:.1}"))
            )
        },
    );
    arrives
}

/// Re-derives a plan link from the park: endpoints, compatibility, route,
/// range and temperature. `None` (with violations) when it cannot exist.
pub(super) fn rebuild_link(
    park: &Park,
    link: &LinkResult,
    obstacles: &Obstacles,
    v: &mut Verification,
    name: &str,
) -> Option<Candidate> {
    if !endpoint_exists(park, link.from, &link.from_id)
        || !endpoint_exists(park, link.to, &link.to_id)
    {
        v.check(Rule::Route, false, || {
            format!("{name}: an endpoint does not exist in the park")
        });
        return None;
    }
    let Some(mode) = park.library.transport.get(&link.mode) else {
        v.check(Rule::Route, false, || {
            format!("{name}: unknown transport mode")
        });
        return None;
    };
    v.check(Rule::Route, link.sent >= 0.0, || {
        format!("{name}: negative flow {}", link.sent)
    });
    let (sent_material, source_c, approach_c) = what_is_sent(park, link, v, name)?;
    let carries_it = (mode.carries == Carrier::Material) == sent_material.is_some();
    v.check(Rule::Route, carries_it, || {
        format!(
            "{name}: mode {} cannot carry what the sender sends",
            link.mode
        )
    });
    let material = sent_material
        .clone()
        .unwrap_or_else(|| mode.carries.name().to_string());
    v.check(Rule::Route, link.carries == material, || {
        format!(
            "{name}: says it carries {} but the sender sends {material}",
            link.carries
        )
    });
    v.check(
        Rule::Route,
        receiver_accepts(park, link, sent_material.as_ref()),
        || format!("{name}: the receiver does not accept {}", link.carries),
    );
    let Some(path) = route(
        link.from.location(park),
        link.to.location(park),
        obstacles,
        mode.max_distance_km / mode.detour_factor,
    ) else {
        v.check(Rule::Route, false, || {
            format!(
                "{name}: no route within the mode's {} km range",
                mode.max_distance_km
            )
        });
        return None;
    };
    let distance_km = path.length_km * mode.detour_factor;
    v.check(
        Rule::Route,
        distance_km <= mode.max_distance_km * (1.0 + 1e-9),
        || {
            format!(
                "{name}: route of {distance_km:.3} km exceeds the mode's {} km",
                mode.max_distance_km
            )
        },
    );
    v.check(
        Rule::Route,
        close(distance_km, link.distance_km, 1e-3),
        || {
            format!(
                "{name}: stated {} km, the route around exclusion zones is {distance_km:.4} km",
                link.distance_km
            )
        },
    );
    let delivered_temperature_c = match sent_material {
        None => delivered_temperature(
            park,
            link,
            mode,
            (source_c, approach_c),
            distance_km,
            v,
            name,
        ),
        Some(_) => None,
    };
    Some(Candidate {
        from: link.from,
        to: link.to,
        mode: link.mode.clone(),
        carrier: mode.carries,
        material,
        route: path,
        distance_km,
        delivered_temperature_c,
        delivery_factor: candidates::delivery_factor(mode, distance_km),
    })
}

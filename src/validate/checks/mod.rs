//! One function per rule of a park file; each pushes its issues and goes
//! on. `check_park` runs them in the file's order (the `[park]` section,
//! then each table's records, then the rules across tables), so issues of
//! equal line keep the order in which a reader meets them.

mod geometry;
mod projects;
mod records;
mod references;
mod section;

pub(super) use records::check_heat;
pub(super) use references::check_id;
pub use references::{MAX_ID_CHARS, MAX_NAME_CHARS};

use crate::diagnostic::{Diagnostics, Entity};
use crate::input::ParkFile;
use crate::library::Library;
use crate::park::Park;
use geometry::MAX_PARK_POLYGON_PAIRS;
use references::References;

/// Checks the park's own records against the merged library and builds the
/// validated park (returned even with errors, for a complete report).
pub(super) fn check_park(
    file: &ParkFile,
    library: Library,
    report: &mut Diagnostics,
) -> Option<Park> {
    references::check_unique_ids(file, report);
    references::check_names(file, report);
    let section = &file.park;
    let settings = section::check_section(report, section, &library);
    let mut pairs_left = MAX_PARK_POLYGON_PAIRS;
    if let Some(boundary) = &section.boundary {
        let park = Entity::table(["park"]);
        geometry::check_polygon(report, &park, "boundary", boundary, &mut pairs_left);
    }
    let mut names = References::new(file, &library);
    let plants: Vec<_> = file
        .plant
        .iter()
        .map(|r| records::plant(report, r))
        .collect();
    let wastes: Vec<_> = (file.waste.iter())
        .map(|r| records::waste(report, &mut names, r, &library))
        .collect();
    let heat_sources = (file.heat_source.iter())
        .map(|r| records::heat_source(report, &mut names, r))
        .collect();
    let heat_demands = (file.heat_demand.iter())
        .map(|r| records::heat_demand(report, &mut names, r, &library))
        .collect();
    let material_demands: Vec<_> = (file.material_demand.iter())
        .map(|r| records::material_demand(report, &mut names, r, &library))
        .collect();
    let projects: Vec<_> = (file.project.iter())
        .filter_map(|r| projects::check_project(report, &mut names, r, &library))
        .collect();
    let zones: Vec<_> = (file.exclusion_zone.iter())
        .map(|r| geometry::zone(report, r, &mut pairs_left))
        .collect();
    geometry::check_sites_outside_zones(report, &plants, &projects, &zones);
    geometry::warn_slow_routing(report, &zones);
    section::check_targets(report, &file.targets);
    references::warn_unusable_wastes(report, &wastes, &material_demands, &projects, &library);
    Some(Park {
        name: section.name.clone(),
        region: section.region.clone(),
        carbon_price_cny_per_t: settings.carbon_price_cny_per_t,
        discount_rate: settings.discount_rate,
        grid_factor_t_per_mwh: settings.grid_factor_t_per_mwh,
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
    })
}

//! The `[park]` section and the `[targets]` it is held to.

use crate::diagnostic::{unknown_name, Diagnostics, Entity, Issue};
use crate::input::{ParkSection, TargetsSection};
use crate::library::{ids, Library};
use crate::validate::{check_number, Rule, CARBON_PRICE, DISCOUNT_RATE};

/// The park-wide settings, each the section's value or the library's.
pub(super) struct Settings {
    pub(super) grid_factor_t_per_mwh: f64,
    pub(super) carbon_price_cny_per_t: f64,
    pub(super) discount_rate: f64,
}

/// Checks the `[park]` section (its boundary apart, with the other
/// polygons) and resolves its settings.
pub(super) fn check_section(
    report: &mut Diagnostics,
    section: &ParkSection,
    library: &Library,
) -> Settings {
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
    Settings {
        grid_factor_t_per_mwh: grid_factor,
        carbon_price_cny_per_t: carbon_price,
        discount_rate,
    }
}

/// Targets are shares from 0 to 1, a CO2 cap (which may be negative: a
/// park can avoid more than it emits) and a budget ≥ 0.
pub(super) fn check_targets(report: &mut Diagnostics, targets: &TargetsSection) {
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

//! A candidate project: its technology, its capacity in the technology's
//! unit, and the terms (costs, lifetime, market) that default to the
//! library's.

use super::geometry::check_location;
use super::references::References;
use crate::diagnostic::{Diagnostics, Entity, Issue};
use crate::input::ProjectRecord;
use crate::library::{Library, Technology, TechnologyKind};
use crate::park::Project;
use crate::validate::{check_number, Rule, PRODUCT_PRICE, PROJECT_CAPEX};

/// A project, or `None` when its technology is unknown (nothing else of it
/// can be checked then).
pub(super) fn check_project(
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
    let capacity = check_capacity(report, &entity, record, technology);
    let terms = check_terms(report, &entity, record, technology, library, capacity);
    Some(Project {
        id: record.id.clone(),
        name: record.name.clone().unwrap_or_else(|| record.id.clone()),
        technology: record.technology.clone(),
        kind: technology.kind,
        location: record.location,
        capacity,
        hours_per_year: technology.hours_per_year.unwrap_or(8760.0),
        capex_cny: terms.capex,
        fixed_opex_cny_per_year: terms.capex * technology.fixed_opex_fraction,
        subsidy_cny_per_year: terms.subsidy,
        opex_cny_per_unit: terms.opex,
        lifetime_years: terms.lifetime,
        product: technology.product.clone(),
        product_price_cny_per_unit: terms.price,
        max_market_t_per_year: terms.max_market,
        market_avoided_co2_t_per_unit: terms.market_co2,
    })
}

/// The capacity in the technology's unit (t/yr of a material technology,
/// MW of a heat one); the other unit's field is an error.
fn check_capacity(
    report: &mut Diagnostics,
    entity: &Entity,
    record: &ProjectRecord,
    technology: &Technology,
) -> f64 {
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
            entity,
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
        entity,
        capacity_field,
        capacity,
        Rule::Positive(1e10),
    );
    capacity
}

/// A project's terms, each the record's value or the library's default.
struct Terms {
    capex: f64,
    opex: f64,
    lifetime: f64,
    subsidy: f64,
    max_market: f64,
    market_co2: f64,
    price: f64,
}

fn check_terms(
    report: &mut Diagnostics,
    entity: &Entity,
    record: &ProjectRecord,
    technology: &Technology,
    library: &Library,
    capacity: f64,
) -> Terms {
    let unit_capex = match technology.kind {
        TechnologyKind::Material => technology.capex_cny_per_t_per_year,
        _ => technology.capex_cny_per_mw,
    };
    let capex = record
        .capex_cny
        .unwrap_or(unit_capex.unwrap_or(0.0) * capacity);
    check_number(report, entity, "capex_cny", capex, PROJECT_CAPEX);
    let opex = record
        .opex_cny_per_t
        .unwrap_or(technology.opex_cny_per_unit);
    check_number(
        report,
        entity,
        "opex_cny_per_t",
        opex,
        Rule::Within(0.0, 1e5),
    );
    let lifetime = record.lifetime_years.unwrap_or(technology.lifetime_years);
    check_number(
        report,
        entity,
        "lifetime_years",
        lifetime,
        Rule::Within(1.0, 100.0),
    );
    let product = library.product.get(&technology.product);
    let subsidy = record.subsidy_cny_per_year.unwrap_or(0.0);
    check_number(
        report,
        entity,
        "subsidy_cny_per_year",
        subsidy,
        Rule::Within(0.0, 1e12),
    );
    let max_market = record.max_market_t_per_year.unwrap_or(f64::INFINITY);
    if record.max_market_t_per_year.is_some() {
        check_number(
            report,
            entity,
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
        entity,
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
        entity,
        "product_price_cny_per_t",
        price,
        PRODUCT_PRICE,
    );
    Terms {
        capex,
        opex,
        lifetime,
        subsidy,
        max_market,
        market_co2,
        price,
    }
}

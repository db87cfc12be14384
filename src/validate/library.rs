//! Builds the park's library (shipped defaults + the park's overrides) and
//! checks every entry, so an override with a typo or a negative price is
//! caught with the same care as the park's own records.

use super::{check_number, check_numbers, Rule, DISCOUNT_RATE, ELECTRICITY_PRICE};
use crate::diagnostic::{closest, unknown_name, Diagnostics, Entity, Issue, KnownNames};
use crate::input::ParkFile;
use crate::library::*;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// The merged, checked library; `None` when it cannot be typed at all.
pub(super) fn build(file: &ParkFile, report: &mut Diagnostics) -> Option<Library> {
    let mut table = reference_table();
    if let Some(overrides) = &file.library {
        merge_tables(&mut table, overrides);
    }
    if !file.transport.is_empty() {
        let mut transport = toml::Table::new();
        for (mode, fields) in &file.transport {
            transport.insert(mode.clone(), toml::Value::Table(fields.clone()));
        }
        let mut wrapper = toml::Table::new();
        wrapper.insert("transport".into(), toml::Value::Table(transport));
        let shipped_modes: Vec<String> = reference_table()
            .get("transport")
            .and_then(toml::Value::as_table)
            .map(|modes| modes.keys().cloned().collect())
            .unwrap_or_default();
        for mode in file.transport.keys() {
            if !shipped_modes.contains(mode) {
                let known: Vec<&str> = shipped_modes.iter().map(String::as_str).collect();
                report.push(Issue::error(
                    Entity::table(["transport", mode.as_str()]),
                    "",
                    unknown_name("transport mode", mode, &known),
                ));
            }
        }
        merge_tables(&mut table, &wrapper);
    }
    apply_transport_aliases(&mut table);
    let mut unknown = Vec::new();
    let mut callback = |path: serde_ignored::Path| unknown.push(path.to_string());
    let library: Result<Library, _> = serde_path_to_error::deserialize(
        serde_ignored::Deserializer::new(toml::Value::Table(table), &mut callback),
    );
    for path in unknown {
        let parts: Vec<&str> = path.split('.').collect();
        report.push(unknown_library_field(&parts));
    }
    match library {
        Ok(library) => {
            check_library(&library, report);
            Some(library)
        }
        Err(error) => {
            let (path, message) = crate::input::error_at(error.path(), error.inner().message());
            let parts: Vec<&str> = path.iter().map(String::as_str).collect();
            let (entity, field, _) = library_place(&parts);
            report.push(Issue::error(entity, field, message));
            None
        }
    }
}

/// Other names a park file may use for transport fields, with the name the
/// library uses. `cost_cny_per_t_km` is the park-file contract's name for a
/// material mode's haulage cost.
const TRANSPORT_ALIASES: [(&str, &str); 1] = [("cost_cny_per_t_km", "cost_cny_per_unit_km")];

/// Renames aliased transport fields to their library names (an alias given
/// in a park file wins over the library default it replaces).
fn apply_transport_aliases(table: &mut toml::Table) {
    let Some(toml::Value::Table(modes)) = table.get_mut("transport") else {
        return;
    };
    for (_, mode) in modes.iter_mut() {
        let toml::Value::Table(fields) = mode else {
            continue;
        };
        for (alias, name) in TRANSPORT_ALIASES {
            if let Some(value) = fields.remove(alias) {
                fields.insert(name.to_string(), value);
            }
        }
    }
}

fn fields<T: DeserializeOwned>() -> &'static [&'static str] {
    crate::input::field_names::<T>().unwrap_or(&[])
}

/// The entity and field a path into the library names, with the valid
/// fields of that entity: `["technology", "x", "cop"]` is
/// (`[library.technology.x]`, `cop`).
fn library_place<'a>(parts: &[&'a str]) -> (Entity, &'a str, &'static [&'static str]) {
    match parts {
        ["economics", field] => (
            Entity::table(["library", "economics"]),
            *field,
            fields::<Economics>(),
        ),
        ["heat", field] => (
            Entity::table(["library", "heat"]),
            *field,
            fields::<HeatRules>(),
        ),
        [table, id, field, ..] => {
            let known = match *table {
                "region" => fields::<GridRegion>(),
                "waste_kind" => fields::<WasteKind>(),
                "virgin_material" => fields::<VirginMaterial>(),
                "product" => fields::<Product>(),
                "technology" => fields::<Technology>(),
                "heat_supply" => fields::<HeatSupply>(),
                "transport" => fields::<TransportMode>(),
                "indicator" => fields::<Indicator>(),
                _ => &[],
            };
            (Entity::library(table, id), *field, known)
        }
        [table] => (Entity::table(["library"]), *table, fields::<Library>()),
        [table, field] => (Entity::table(["library", table]), *field, &[]),
        [] => (Entity::table(["library"]), "", fields::<Library>()),
    }
}

fn unknown_library_field(parts: &[&str]) -> Issue {
    let (entity, field, known) = library_place(parts);
    let mut message = format!("unknown field '{field}'");
    if let Some(best) = closest(field, known.iter().copied()) {
        message.push_str(&format!("; did you mean '{best}'?"));
    }
    if !known.is_empty() {
        message.push_str(&format!(" (valid fields: {})", known.join(", ")));
    }
    Issue::error(entity, "", message)
}

/// Checks numbers and cross-references of every library entry.
pub(super) fn check_library(library: &Library, report: &mut Diagnostics) {
    check_library_ids(library, report);
    check_settings(library, report);
    check_materials(library, report);
    let mut product_names = KnownNames::new("product", ids(&library.product));
    let mut waste_names = KnownNames::new("waste kind", ids(&library.waste_kind));
    for (id, technology) in &library.technology {
        let mut names = TechnologyNames {
            product: &mut product_names,
            waste: &mut waste_names,
        };
        check_technology(library, id, technology, &mut names, report);
    }
    for (id, supply) in &library.heat_supply {
        check_numbers(
            report,
            &Entity::library("heat_supply", id),
            &[
                (
                    "fuel_cny_per_mwh",
                    supply.fuel_cny_per_mwh,
                    Rule::NonNegative,
                ),
                (
                    "fuel_co2_t_per_mwh",
                    supply.fuel_co2_t_per_mwh,
                    Rule::Within(0.0, 5.0),
                ),
                (
                    "electricity_mwh_per_mwh",
                    supply.electricity_mwh_per_mwh,
                    Rule::Within(0.0, 5.0),
                ),
            ],
        );
    }
    for (id, mode) in &library.transport {
        check_transport(id, mode, report);
    }
    for (id, indicator) in &library.indicator {
        let entity = Entity::library("indicator", id);
        check_number(
            report,
            &entity,
            "threshold",
            indicator.threshold,
            Rule::Within(0.0, 1e6),
        );
        if let Some(large) = indicator.large_park_threshold {
            check_number(
                report,
                &entity,
                "large_park_threshold",
                large,
                Rule::Within(0.0, 1e6),
            );
        }
    }
}

/// The economics, the heat rules and the grid regions.
/// The library's ids (a park may add entries) follow the rules of a
/// record's id: bounded, no control characters.
fn check_library_ids(library: &Library, report: &mut Diagnostics) {
    let tables = [
        ("region", ids(&library.region)),
        ("waste_kind", ids(&library.waste_kind)),
        ("virgin_material", ids(&library.virgin_material)),
        ("product", ids(&library.product)),
        ("technology", ids(&library.technology)),
        ("heat_supply", ids(&library.heat_supply)),
        ("transport", ids(&library.transport)),
        ("indicator", ids(&library.indicator)),
    ];
    for (table, ids) in tables {
        for id in ids {
            super::checks::check_id(report, &Entity::library(table, id), "", id);
        }
    }
}

fn check_settings(library: &Library, report: &mut Diagnostics) {
    let e = &library.economics;
    check_numbers(
        report,
        &Entity::table(["library", "economics"]),
        &[
            (
                "carbon_price_cny_per_t",
                e.carbon_price_cny_per_t,
                Rule::NonNegative,
            ),
            ("discount_rate", e.discount_rate, DISCOUNT_RATE),
            (
                "electricity_price_cny_per_mwh",
                e.electricity_price_cny_per_mwh,
                ELECTRICITY_PRICE,
            ),
            ("vat_rate", e.vat_rate, Rule::Within(0.0, 1.0)),
        ],
    );
    check_number(
        report,
        &Entity::table(["library", "heat"]),
        "min_approach_c",
        library.heat.min_approach_c,
        Rule::Within(0.0, 200.0),
    );
    for (id, region) in &library.region {
        check_number(
            report,
            &Entity::library("region", id),
            "grid_factor_t_per_mwh",
            region.grid_factor_t_per_mwh,
            Rule::Within(0.0, 2.0),
        );
    }
}

/// Waste kinds, virgin materials and products, with the substitution
/// ratios of waste kinds and products.
fn check_materials(library: &Library, report: &mut Diagnostics) {
    let mut virgin_names = KnownNames::new("virgin material", ids(&library.virgin_material));
    let mut check_substitutes =
        |report: &mut Diagnostics, entity: &Entity, substitutes: &BTreeMap<String, f64>| {
            for (virgin, ratio) in substitutes {
                if !library.virgin_material.contains_key(virgin) {
                    report.push(Issue::error(
                        entity,
                        "substitutes",
                        virgin_names.unknown(virgin),
                    ));
                }
                let field = format!("substitutes.{virgin}");
                check_number(report, entity, &field, *ratio, Rule::Within(0.0, 10.0));
            }
        };
    for (id, kind) in &library.waste_kind {
        let entity = Entity::library("waste_kind", id);
        check_numbers(
            report,
            &entity,
            &[
                (
                    "disposal_cny_per_t",
                    kind.disposal_cny_per_t,
                    Rule::NonNegative,
                ),
                (
                    "environmental_tax_cny_per_t",
                    kind.environmental_tax_cny_per_t,
                    Rule::NonNegative,
                ),
                (
                    "disposal_co2_t_per_t",
                    kind.disposal_co2_t_per_t,
                    Rule::Within(0.0, 10.0),
                ),
            ],
        );
        check_substitutes(report, &entity, &kind.substitutes);
    }
    for (id, virgin) in &library.virgin_material {
        check_numbers(
            report,
            &Entity::library("virgin_material", id),
            &[
                ("price_cny_per_t", virgin.price_cny_per_t, Rule::NonNegative),
                ("co2_t_per_t", virgin.co2_t_per_t, Rule::Within(0.0, 10.0)),
            ],
        );
    }
    for (id, product) in &library.product {
        let entity = Entity::library("product", id);
        check_numbers(
            report,
            &entity,
            &[
                (
                    "market_price_cny_per_unit",
                    product.market_price_cny_per_unit,
                    Rule::Within(-1e5, 1e5),
                ),
                (
                    "market_avoided_co2_t_per_unit",
                    product.market_avoided_co2_t_per_unit,
                    Rule::Within(0.0, 10.0),
                ),
            ],
        );
        check_substitutes(report, &entity, &product.substitutes);
    }
}

/// The names a technology's references must match, shared by all
/// technologies so that suggestions keep one budget.
struct TechnologyNames<'n, 'a> {
    product: &'n mut KnownNames<'a>,
    waste: &'n mut KnownNames<'a>,
}

fn check_technology(
    library: &Library,
    id: &str,
    technology: &Technology,
    names: &mut TechnologyNames,
    report: &mut Diagnostics,
) {
    let entity = Entity::library("technology", id);
    if !library.product.contains_key(&technology.product) {
        let message = names.product.unknown(&technology.product);
        report.push(Issue::error(&entity, "product", message));
    }
    let t = technology;
    check_numbers(
        report,
        &entity,
        &[
            (
                "fixed_opex_fraction",
                t.fixed_opex_fraction,
                Rule::Within(0.0, 1.0),
            ),
            (
                "vat_refund_fraction",
                t.vat_refund_fraction,
                Rule::Within(0.0, 1.0),
            ),
            ("opex_cny_per_unit", t.opex_cny_per_unit, Rule::NonNegative),
            (
                "electricity_mwh_per_unit",
                t.electricity_mwh_per_unit,
                Rule::Within(0.0, 10.0),
            ),
            (
                "process_co2_t_per_unit",
                t.process_co2_t_per_unit,
                Rule::Within(0.0, 10.0),
            ),
            ("lifetime_years", t.lifetime_years, Rule::Within(1.0, 100.0)),
            ("default_capacity", t.default_capacity, Rule::NonNegative),
        ],
    );
    for (field, value, rule) in required_by_kind(t) {
        match value {
            Some(value) => {
                check_number(report, &entity, field, value, rule);
            }
            None => report.push(Issue::error(
                &entity,
                field,
                format!("is required for a {:?} technology", t.kind).to_lowercase(),
            )),
        }
    }
    if let (TechnologyKind::HeatPump, Some(source), Some(output)) =
        (t.kind, t.min_source_temperature_c, t.output_temperature_c)
    {
        if output <= source {
            report.push(Issue::error(
                &entity,
                "output_temperature_c",
                format!(
                    "must be above min_source_temperature_c ({source} °C), got {output} °C: a heat pump lifts heat to a higher temperature"
                ),
            ));
        }
    }
    if t.kind == TechnologyKind::Material {
        if t.inputs.is_empty() {
            report.push(Issue::error(
                &entity,
                "inputs",
                "must name at least one waste kind",
            ));
        }
        for input in &t.inputs {
            if !library.waste_kind.contains_key(input) {
                report.push(Issue::error(&entity, "inputs", names.waste.unknown(input)));
            }
        }
    }
}

/// The fields a technology of its kind must give, with their rules, in the
/// order they are checked.
fn required_by_kind(t: &Technology) -> Vec<(&'static str, Option<f64>, Rule)> {
    let hours = (
        "hours_per_year",
        t.hours_per_year,
        Rule::Within(0.0, 8784.0),
    );
    let source = (
        "min_source_temperature_c",
        t.min_source_temperature_c,
        Rule::Within(-50.0, 1500.0),
    );
    let capex_per_mw = ("capex_cny_per_mw", t.capex_cny_per_mw, Rule::NonNegative);
    match t.kind {
        TechnologyKind::Material => vec![
            ("yield_t_per_t", t.yield_t_per_t, Rule::Within(0.0, 5.0)),
            (
                "capex_cny_per_t_per_year",
                t.capex_cny_per_t_per_year,
                Rule::NonNegative,
            ),
        ],
        TechnologyKind::HeatPump => vec![
            ("cop", t.cop, Rule::Within(1.01, 20.0)),
            capex_per_mw,
            hours,
            source,
            (
                "output_temperature_c",
                t.output_temperature_c,
                Rule::Within(0.0, 300.0),
            ),
        ],
        TechnologyKind::Power => vec![
            ("efficiency", t.efficiency, Rule::Within(0.0, 0.6)),
            capex_per_mw,
            hours,
            source,
        ],
    }
}

fn check_transport(id: &str, mode: &TransportMode, report: &mut Diagnostics) {
    let entity = Entity::library("transport", id);
    let m = mode;
    check_numbers(
        report,
        &entity,
        &[
            (
                "max_distance_km",
                m.max_distance_km,
                Rule::Within(0.0, 5000.0),
            ),
            ("detour_factor", m.detour_factor, Rule::Within(1.0, 5.0)),
            (
                "cost_cny_per_unit_km",
                m.cost_cny_per_unit_km,
                Rule::NonNegative,
            ),
            (
                "handling_cny_per_unit",
                m.handling_cny_per_unit,
                Rule::NonNegative,
            ),
            (
                "co2_kg_per_unit_km",
                m.co2_kg_per_unit_km,
                Rule::NonNegative,
            ),
            (
                "electricity_kwh_per_unit_km",
                m.electricity_kwh_per_unit_km,
                Rule::NonNegative,
            ),
            ("capex_cny_per_km", m.capex_cny_per_km, Rule::NonNegative),
            (
                "capex_cny_per_km_mw",
                m.capex_cny_per_km_mw,
                Rule::NonNegative,
            ),
            (
                "terminal_capex_cny_per_mw",
                m.terminal_capex_cny_per_mw,
                Rule::NonNegative,
            ),
            (
                "fixed_cny_per_year",
                m.fixed_cny_per_year,
                Rule::NonNegative,
            ),
            (
                "temperature_drop_c_per_km",
                m.temperature_drop_c_per_km,
                Rule::NonNegative,
            ),
            (
                "fixed_opex_fraction",
                m.fixed_opex_fraction,
                Rule::Within(0.0, 1.0),
            ),
            ("lifetime_years", m.lifetime_years, Rule::Within(1.0, 100.0)),
            (
                "heat_loss_fraction_per_km",
                m.heat_loss_fraction_per_km,
                Rule::Within(0.0, 0.1),
            ),
        ],
    );
    if m.carries != Carrier::Material && m.heat_loss_fraction_per_km * m.max_distance_km >= 1.0 {
        report.push(Issue::error(
            &entity,
            "heat_loss_fraction_per_km",
            format!(
                "× max_distance_km must stay below 1 (all heat lost), got {} × {} km",
                m.heat_loss_fraction_per_km, m.max_distance_km
            ),
        ));
    }
}

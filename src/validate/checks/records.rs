//! The park's own records (plants, waste streams, heat sources and users,
//! material users), one function each: check every field, resolve the
//! references, build the validated record.

use super::geometry::check_location;
use super::references::References;
use crate::diagnostic::{Diagnostics, Entity, Issue};
use crate::input::*;
use crate::library::Library;
use crate::park::*;
use crate::validate::{check_number, Rule, WASTE_T_PER_YEAR};

/// A plant.
pub(super) fn plant(report: &mut Diagnostics, record: &PlantRecord) -> Plant {
    let entity = Entity::record("plant", &record.id);
    check_location(report, &entity, "location", record.location);
    Plant {
        id: record.id.clone(),
        name: record.name.clone().unwrap_or_else(|| record.id.clone()),
        sector: record.sector.clone(),
        location: record.location,
    }
}

/// A waste stream and how it leaves the park today.
pub(super) fn waste(
    report: &mut Diagnostics,
    names: &mut References,
    record: &WasteRecord,
    library: &Library,
) -> Waste {
    let entity = Entity::record("waste", &record.id);
    let plant = names.plant(report, &entity, &record.plant);
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
            check_number(
                report,
                &entity,
                "sold_today_cny_per_t",
                price,
                Rule::Within(0.0, 1e5),
            );
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
            check_number(
                report,
                &entity,
                "disposal_cny_per_t",
                storage,
                Rule::Within(0.0, 1e5),
            );
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
}

/// A source of waste heat.
pub(super) fn heat_source(
    report: &mut Diagnostics,
    names: &mut References,
    record: &HeatSourceRecord,
) -> HeatSource {
    let entity = Entity::record("heat_source", &record.id);
    let plant = names.plant(report, &entity, &record.plant);
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
}

/// A user of heat and how it is heated today.
pub(super) fn heat_demand(
    report: &mut Diagnostics,
    names: &mut References,
    record: &HeatDemandRecord,
    library: &Library,
) -> HeatDemand {
    let entity = Entity::record("heat_demand", &record.id);
    let plant = names.plant(report, &entity, &record.plant);
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
}

/// A user of material that can take wastes or products in place of a
/// virgin material.
pub(super) fn material_demand(
    report: &mut Diagnostics,
    names: &mut References,
    record: &MaterialDemandRecord,
    library: &Library,
) -> MaterialDemand {
    let entity = Entity::record("material_demand", &record.id);
    let plant = names.plant(report, &entity, &record.plant);
    check_number(
        report,
        &entity,
        "max_t_per_year",
        record.max_t_per_year,
        Rule::Positive(1e10),
    );
    check_material_demand(report, names, &entity, record, library);
    MaterialDemand {
        id: record.id.clone(),
        plant,
        accepts: record.accepts.clone(),
        max_t_per_year: record.max_t_per_year,
        replaces: record.replaces.clone(),
    }
}

/// A heat flow: power, temperature and hours a year.
pub(in crate::validate) fn check_heat(
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

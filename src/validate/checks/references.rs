//! The names a park file's references must match, and the checks of ids
//! and references that look across tables.

use crate::diagnostic::{Diagnostics, Entity, Issue, KnownNames};
use crate::input::ParkFile;
use crate::library::{ids, Library};
use crate::park::{MaterialDemand, Project, Waste};
use crate::text;
use std::collections::{BTreeMap, BTreeSet};

/// The names a park's references must match, each set built once so that
/// checking stays linear in the number of records.
pub(super) struct References<'a> {
    /// Each plant's index by its id.
    plant_index: BTreeMap<&'a str, usize>,
    plant: KnownNames<'a>,
    pub(super) waste_kind: KnownNames<'a>,
    pub(super) heat_supply: KnownNames<'a>,
    pub(super) virgin_material: KnownNames<'a>,
    /// What a material demand may accept: waste kinds and products.
    pub(super) material: KnownNames<'a>,
    pub(super) technology: KnownNames<'a>,
}

impl<'a> References<'a> {
    pub(super) fn new(file: &'a ParkFile, library: &'a Library) -> References<'a> {
        let plants = file.plant.iter().map(|plant| plant.id.as_str()).collect();
        let plant_index = file
            .plant
            .iter()
            .enumerate()
            .map(|(index, plant)| (plant.id.as_str(), index))
            .collect();
        let materials = ids(&library.waste_kind)
            .into_iter()
            .chain(ids(&library.product))
            .collect();
        References {
            plant_index,
            plant: KnownNames::new("plant", plants),
            waste_kind: KnownNames::new("waste kind", ids(&library.waste_kind)),
            heat_supply: KnownNames::new("heat supply", ids(&library.heat_supply)),
            virgin_material: KnownNames::new("virgin material", ids(&library.virgin_material)),
            material: KnownNames::new("waste kind or product", materials),
            technology: KnownNames::new("technology", ids(&library.technology)),
        }
    }

    /// The index of the plant `entity` names in its `plant` field; an
    /// error and index 0 (the park is not built when there are errors)
    /// for an unknown one.
    pub(super) fn plant(
        &mut self,
        report: &mut Diagnostics,
        entity: &Entity,
        plant: &str,
    ) -> usize {
        match self.plant_index.get(plant) {
            Some(index) => *index,
            None => {
                report.push(Issue::error(entity, "plant", self.plant.unknown(plant)));
                0
            }
        }
    }
}

pub use crate::text::MAX_ID_CHARS;
/// The most characters a name may have (a park's, a plant's, a project's,
/// an exclusion zone's), and a plant's sector.
pub const MAX_NAME_CHARS: usize = 256;
/// The most characters the park's description may have: a paragraph.
pub const MAX_DESCRIPTION_CHARS: usize = 4_096;

/// Pushes an error unless `id` has at most [`MAX_ID_CHARS`] characters and
/// no control character (a CR, LF or ESC in an id would forge lines and
/// terminal sequences in every message, table and file name it is part
/// of); returns whether it passed.
pub(in crate::validate) fn check_id(
    report: &mut Diagnostics,
    entity: &Entity,
    field: &str,
    id: &str,
) -> bool {
    let count = id.chars().count();
    if count > MAX_ID_CHARS {
        report.push(Issue::error(
            entity,
            field,
            format!("is {count} characters long; ids may have at most {MAX_ID_CHARS}"),
        ));
        return false;
    }
    if let Some((position, c)) = text::first_control(id) {
        report.push(Issue::error(
            entity,
            field,
            format!(
                "holds the control character {} at character {}; ids may not hold control characters (line breaks, tabs, escapes)",
                c.escape_unicode(),
                position + 1
            ),
        ));
        return false;
    }
    true
}

/// Names are free text (control characters are escaped wherever they are
/// shown) but bounded: at most [`MAX_NAME_CHARS`] characters each (a
/// plant's sector too), the park's description [`MAX_DESCRIPTION_CHARS`].
pub(super) fn check_names(file: &ParkFile, report: &mut Diagnostics) {
    let section = std::iter::once((Entity::table(["park"]), Some(&file.park.name)));
    let records = (file.plant.iter())
        .map(|r| (Entity::record("plant", &r.id), r.name.as_ref()))
        .chain((file.project.iter()).map(|r| (Entity::record("project", &r.id), r.name.as_ref())))
        .chain(
            (file.exclusion_zone.iter())
                .map(|r| (Entity::record("exclusion_zone", &r.id), r.name.as_ref())),
        );
    let sectors = (file.plant.iter()).map(|r| {
        (
            Entity::record("plant", &r.id),
            "sector",
            r.sector.as_ref(),
            MAX_NAME_CHARS,
        )
    });
    let description = std::iter::once((
        Entity::table(["park"]),
        "description",
        file.park.description.as_ref(),
        MAX_DESCRIPTION_CHARS,
    ));
    let names =
        (section.chain(records)).map(|(entity, name)| (entity, "name", name, MAX_NAME_CHARS));
    for (entity, field, text, most) in names.chain(sectors).chain(description) {
        let Some(text) = text else { continue };
        let count = text.chars().count();
        if count > most {
            report.push(Issue::error(
                entity,
                field,
                format!("is {count} characters long; a {field} may have at most {most}"),
            ));
        }
    }
}

/// Ids must be non-empty and unique across the whole file, short, and
/// free of control characters.
pub(super) fn check_unique_ids(file: &ParkFile, report: &mut Diagnostics) {
    let all = file
        .plant
        .iter()
        .map(|r| ("plant", &r.id))
        .chain(file.waste.iter().map(|r| ("waste", &r.id)))
        .chain(file.heat_source.iter().map(|r| ("heat_source", &r.id)))
        .chain(file.heat_demand.iter().map(|r| ("heat_demand", &r.id)))
        .chain(
            file.material_demand
                .iter()
                .map(|r| ("material_demand", &r.id)),
        )
        .chain(file.project.iter().map(|r| ("project", &r.id)))
        .chain(
            file.exclusion_zone
                .iter()
                .map(|r| ("exclusion_zone", &r.id)),
        );
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (table, id) in all {
        if !check_id(report, &Entity::record(table, id), "id", id) {
            continue;
        }
        if id.trim().is_empty() {
            report.push(Issue::error(
                Entity::Unnamed {
                    table: table.to_string(),
                },
                "id",
                "must not be empty",
            ));
        } else if let Some(first) = seen.insert(id.as_str(), table) {
            report.push(Issue::error(
                Entity::record(table, id),
                "id",
                format!(
                    "is already used by a {first}; ids must be unique across the whole park file"
                ),
            ));
        }
    }
}

/// Warns about wastes nothing in the park could ever take.
pub(super) fn warn_unusable_wastes(
    report: &mut Diagnostics,
    wastes: &[Waste],
    demands: &[MaterialDemand],
    projects: &[Project],
    library: &Library,
) {
    let accepted: BTreeSet<&str> = demands
        .iter()
        .flat_map(|demand| demand.accepts.iter())
        .chain(projects.iter().flat_map(|project| {
            library
                .technology
                .get(&project.technology)
                .map(|technology| technology.inputs.iter())
                .into_iter()
                .flatten()
        }))
        .map(String::as_str)
        .collect();
    for waste in wastes {
        if !accepted.contains(waste.kind.as_str()) && waste.t_per_year > 0.0 {
            report.push(Issue::warning(
                Entity::record("waste", &waste.id),
                "kind",
                format!(
                    "no project or material demand in the park accepts {}: all {} t/yr stays in disposal",
                    waste.kind, waste.t_per_year
                ),
            ));
        }
    }
}

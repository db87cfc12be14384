//! The reference library: sourced defaults for waste kinds, technologies,
//! virgin materials, fuels, grid regions and transport modes.
//!
//! The defaults ship as data (`reference.toml`, compiled into the binary so
//! the tool works from any directory). A park file may override any field of
//! any entry, or add entries, under `[library.<table>.<id>]`; `[transport.<mode>]`
//! is a shorthand for `[library.transport.<mode>]`. Overrides are merged into
//! the defaults as TOML tables before the library is typed, so a partial
//! override keeps every field it does not name.

mod schema;

pub use schema::*;

/// The shipped reference library, as TOML text.
pub const REFERENCE_TOML: &str = include_str!("reference.toml");

/// Every id a table of the library holds, for "did you mean" suggestions.
pub fn ids<T>(table: &std::collections::BTreeMap<String, T>) -> Vec<&str> {
    table.keys().map(String::as_str).collect()
}

/// Parses the shipped library text into a TOML table.
///
/// # Panics
/// Never for a released build: the shipped file is checked by a unit test.
pub fn reference_table() -> toml::Table {
    REFERENCE_TOML
        .parse::<toml::Table>()
        .expect("the shipped reference library is valid TOML (checked by tests)")
}

/// Merges `overrides` into `base`, table by table: a table merges key by
/// key, any other value replaces the base value.
pub fn merge_tables(base: &mut toml::Table, overrides: &toml::Table) {
    for (key, value) in overrides {
        match (base.get_mut(key), value) {
            (Some(toml::Value::Table(base_table)), toml::Value::Table(override_table)) => {
                merge_tables(base_table, override_table)
            }
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

impl Library {
    /// The shipped library with no overrides.
    pub fn reference() -> Library {
        reference_table()
            .try_into()
            .expect("the shipped reference library matches its schema (checked by tests)")
    }

    /// The virgin materials a waste kind or product can replace, with the
    /// tonnes replaced per unit delivered; `None` when the name is neither.
    pub fn substitutes_of(
        &self,
        material: &str,
    ) -> Option<&std::collections::BTreeMap<String, f64>> {
        self.waste_kind
            .get(material)
            .map(|kind| &kind.substitutes)
            .or_else(|| {
                self.product
                    .get(material)
                    .map(|product| &product.substitutes)
            })
    }

    /// Capital recovery factor: the constant annual payment that repays one
    /// yuan over `lifetime_years` at `discount_rate`.
    pub fn capital_recovery_factor(discount_rate: f64, lifetime_years: f64) -> f64 {
        if discount_rate.abs() < 1e-12 {
            1.0 / lifetime_years
        } else {
            let growth = (1.0 + discount_rate).powf(lifetime_years);
            discount_rate * growth / (growth - 1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_library_parses_and_holds_the_contract_ids() {
        let library = Library::reference();
        for id in [
            "steel_slag",
            "bf_slag",
            "fly_ash",
            "fgd_gypsum",
            "phosphogypsum",
            "red_mud",
            "coal_gangue",
            "tailings",
            "smelting_slag",
            "carbide_slag",
        ] {
            assert!(library.waste_kind.contains_key(id), "waste kind {id}");
        }
        for id in [
            "ggbs",
            "classified_fly_ash",
            "slag_aggregate",
            "plasterboard",
            "bricks",
            "backfill_paste",
            "electricity",
            "heat",
        ] {
            assert!(library.product.contains_key(id), "product {id}");
        }
        for id in [
            "clinker",
            "natural_gypsum",
            "limestone",
            "aggregate",
            "cement_retarder",
        ] {
            assert!(
                library.virgin_material.contains_key(id),
                "virgin material {id}"
            );
        }
        for id in [
            "ggbs_grinding",
            "fly_ash_classification",
            "steel_slag_aggregate",
            "plasterboard_line",
            "carbide_slag_raw_meal",
            "gangue_bricks",
            "paste_backfill",
            "heat_pump",
            "orc",
        ] {
            assert!(library.technology.contains_key(id), "technology {id}");
        }
        for id in ["gas_boiler", "coal_boiler", "electric_boiler"] {
            assert!(library.heat_supply.contains_key(id), "heat supply {id}");
        }
        for id in ["truck", "conveyor", "steam_pipe", "hot_water_pipe"] {
            assert!(library.transport.contains_key(id), "transport mode {id}");
        }
        for id in [
            "national",
            "north",
            "northeast",
            "east",
            "central",
            "northwest",
            "south",
            "southwest",
        ] {
            assert!(library.region.contains_key(id), "region {id}");
        }
    }

    #[test]
    fn shipped_library_has_no_unknown_fields() {
        let mut unknown = Vec::new();
        let _: Library =
            serde_ignored::deserialize(toml::Value::Table(reference_table()), |path| {
                unknown.push(path.to_string())
            })
            .unwrap();
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    #[test]
    fn every_entry_names_its_source() {
        let library = Library::reference();
        let sources = library
            .region
            .values()
            .map(|e| &e.source)
            .chain(library.waste_kind.values().map(|e| &e.source))
            .chain(library.virgin_material.values().map(|e| &e.source))
            .chain(library.product.values().map(|e| &e.source))
            .chain(library.technology.values().map(|e| &e.source))
            .chain(library.heat_supply.values().map(|e| &e.source))
            .chain(library.transport.values().map(|e| &e.source));
        for source in sources {
            assert!(
                source.contains("[S") || source.contains("[E"),
                "source without a label: {source}"
            );
        }
    }

    #[test]
    fn merge_keeps_fields_an_override_does_not_name() {
        let mut base: toml::Table = "[a]\nx = 1\ny = 2\n".parse().unwrap();
        let overrides: toml::Table = "[a]\ny = 3\n[b]\nz = 4\n".parse().unwrap();
        merge_tables(&mut base, &overrides);
        assert_eq!(base["a"]["x"].as_integer(), Some(1));
        assert_eq!(base["a"]["y"].as_integer(), Some(3));
        assert_eq!(base["b"]["z"].as_integer(), Some(4));
    }

    #[test]
    fn capital_recovery_factor_matches_the_annuity_formula() {
        // 8 % over 20 years: 0.101852 (standard annuity tables).
        let crf = Library::capital_recovery_factor(0.08, 20.0);
        assert!((crf - 0.101852).abs() < 1e-6, "{crf}");
        assert!((Library::capital_recovery_factor(0.0, 10.0) - 0.1).abs() < 1e-12);
    }
}

//! Stage 2, validate: turns a parsed park file into a [`Park`], or a
//! [`Diagnostics`] of *every* problem found.
//!
//! Each rule is a small function in `checks` that pushes issues and keeps
//! going, so a user sees all problems in one run (the way geo's validation
//! and PyPSA's consistency checks work). Issues name the entity, the field,
//! the value and its unit, and suggest the closest valid library name.
//!
//! A park changed after validation (a batch item's `scale.*` overrides,
//! which scale the validated park as the sensitivity analysis does) is
//! checked again with [`check_changed`], so every rule that reads a number
//! runs on the park actually solved.

mod changed;
mod checks;
mod library;
#[cfg(test)]
mod properties;

pub use changed::check_changed;
pub use checks::{MAX_ID_CHARS, MAX_NAME_CHARS};

use crate::diagnostic::{Diagnostics, Entity, Issue};
use crate::input::LoadedPark;
use crate::park::Park;

/// Validates a loaded park file. On success the report holds the warnings.
pub fn validate(loaded: &LoadedPark) -> Result<(Park, Diagnostics), Diagnostics> {
    let mut report = Diagnostics::new(&loaded.path);
    report.issues.extend(loaded.unknown_fields.iter().cloned());
    let library = library::build(&loaded.file, &mut report);
    let park = library.and_then(|library| checks::check_park(&loaded.file, library, &mut report));
    place_and_sort(&mut report, loaded);
    match park {
        Some(park) if !report.has_errors() => Ok((park, report)),
        _ => Err(report),
    }
}

/// Gives every issue without a line the line of its entity in the loaded
/// file, then sorts the report.
fn place_and_sort(report: &mut Diagnostics, loaded: &LoadedPark) {
    for issue in &mut report.issues {
        if issue.line.is_none() {
            issue.line = loaded.lines.of_entity(&issue.entity);
        }
    }
    report.sort();
}

/// Loads and validates in one step.
pub fn load_and_validate(path: &std::path::Path) -> Result<(Park, Diagnostics), Diagnostics> {
    let loaded = crate::input::load(path)?;
    validate(&loaded)
}

/// The rule every quantity follows, with the words used in messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// Finite and ≥ 0.
    NonNegative,
    /// Finite, within `[low, high]`.
    Within(f64, f64),
    /// Finite, > 0 and ≤ `high`: a capacity or a duration, where zero
    /// would describe something that does not exist.
    Positive(f64),
}

impl Rule {
    /// Whether `value` follows the rule.
    pub(crate) fn admits(self, value: f64) -> bool {
        value.is_finite()
            && match self {
                Rule::NonNegative => value >= 0.0,
                Rule::Within(low, high) => value >= low && value <= high,
                Rule::Positive(high) => value > 0.0 && value <= high,
            }
    }

    /// The values the rule admits, in words: `from 0 to 0.5`, `≥ 0`,
    /// `> 0 and ≤ 8784`.
    pub(crate) fn range(self) -> String {
        match self {
            Rule::NonNegative => "≥ 0".to_string(),
            Rule::Within(low, high) => format!("from {low} to {high}"),
            Rule::Positive(high) => format!("> 0 and ≤ {high}"),
        }
    }
}

/// The highest carbon price a park file, a batch override or an
/// analysis's flag may set, CNY per t CO2 (a hundred times the EU's
/// highest traded price so far).
pub const MAX_CARBON_PRICE_CNY_PER_T: f64 = 1e5;
/// `[park] carbon_price_cny_per_t`, CNY per t CO2; also the range of a
/// batch item's `carbon_price_cny_per_t=` override.
pub(crate) const CARBON_PRICE: Rule = Rule::Within(0.0, MAX_CARBON_PRICE_CNY_PER_T);
/// `[park] discount_rate` and the library's default, fraction; also the
/// range of a batch item's `discount_rate=` override.
pub(crate) const DISCOUNT_RATE: Rule = Rule::Within(0.0, 0.5);
/// The electricity price, CNY per MWh.
pub(crate) const ELECTRICITY_PRICE: Rule = Rule::NonNegative;
/// A waste stream's tonnes per year.
pub(crate) const WASTE_T_PER_YEAR: Rule = Rule::Within(0.0, 1e10);
/// The most money a park file or a flag may state, CNY (or CNY per year):
/// a project's capital cost, a support budget.
pub const MAX_MONEY_CNY: f64 = 1e13;
/// A project's capital cost, CNY.
pub(crate) const PROJECT_CAPEX: Rule = Rule::Within(0.0, MAX_MONEY_CNY);
/// A project's product price, CNY per unit (negative: a gate fee paid).
pub(crate) const PRODUCT_PRICE: Rule = Rule::Within(-1e5, 1e5);

/// Pushes an error unless `value` follows `rule`; returns whether it does.
pub(crate) fn check_number(
    report: &mut Diagnostics,
    entity: &Entity,
    field: &str,
    value: f64,
    rule: Rule,
) -> bool {
    let ok = rule.admits(value);
    if !ok {
        report.push(Issue::error(
            entity,
            field,
            format!(
                "must be a finite number {}, got {}",
                rule.range(),
                crate::units::short(value)
            ),
        ));
    }
    ok
}

/// [`check_number`] for each `(field, value, rule)` of one entity, in
/// order.
pub(crate) fn check_numbers(
    report: &mut Diagnostics,
    entity: &Entity,
    checks: &[(&str, f64, Rule)],
) {
    for &(field, value, rule) in checks {
        check_number(report, entity, field, value, rule);
    }
}

#[cfg(test)]
mod tests {
    use crate::input::parse;

    fn issues_of(extra: &str) -> String {
        let text = format!("{}\n{extra}", include_str!("../../parks/tiny/park.toml"));
        let loaded = parse("park.toml", text, crate::input::Format::Toml).expect("parses");
        match super::validate(&loaded) {
            Ok(_) => String::new(),
            Err(report) => report.to_string(),
        }
    }

    #[test]
    fn library_overrides_are_checked_like_park_records() {
        let issues = issues_of(
            "[library.technology.ggbs_grinding]\ninputs = [\"bf_slagg\"]\nlifetime_years = 0\n",
        );
        assert!(
            issues.contains("unknown waste kind 'bf_slagg'; did you mean 'bf_slag'?"),
            "{issues}"
        );
        assert!(
            issues.contains("lifetime_years must be a finite number from 1 to 100, got 0"),
            "{issues}"
        );
    }

    /// The report on the tiny park with each `(from, to)` replacement made.
    fn issues_with(replacements: &[(&str, &str)]) -> String {
        let mut text = include_str!("../../parks/tiny/park.toml").to_string();
        for (from, to) in replacements {
            assert!(text.contains(from), "{from:?} is not in the tiny park");
            text = text.replacen(from, to, 1);
        }
        issues_of_text(text)
    }

    fn issues_of_text(text: String) -> String {
        let loaded = match parse("park.toml", text, crate::input::Format::Toml) {
            Ok(loaded) => loaded,
            Err(report) => return report.to_string(),
        };
        match super::validate(&loaded) {
            Ok(_) => String::new(),
            Err(report) => report.to_string(),
        }
    }

    #[test]
    fn capacities_and_durations_of_zero_are_rejected() {
        let issues = issues_with(&[
            ("mw = 10", "mw = 0"),
            ("hours_per_year = 8000", "hours_per_year = 0"),
            ("max_t_per_year = 60000", "max_t_per_year = 0"),
            ("max_t_per_year = 50000", "max_t_per_year = 0"),
        ]);
        for expected in [
            "heat_source 'flue-heat': mw must be a finite number > 0 and ≤ 100000, got 0",
            "heat_source 'flue-heat': hours_per_year must be a finite number > 0 and ≤ 8784, got 0",
            "material_demand 'cement-scm': max_t_per_year must be a finite number > 0 and ≤ 10000000000, got 0",
            "project 'classifier': max_t_per_year must be a finite number > 0 and ≤ 10000000000, got 0",
        ] {
            assert!(issues.contains(expected), "missing {expected:?} in\n{issues}");
        }
    }

    #[test]
    fn temperatures_beyond_physical_sense_are_rejected() {
        let issues = issues_with(&[
            ("temperature_c = 200", "temperature_c = 2500"),
            ("temperature_c = 150", "temperature_c = -300"),
        ]);
        for expected in [
            "heat_source 'flue-heat': temperature_c must be a finite number from -50 to 2000, got 2500",
            "heat_demand 'cement-steam': temperature_c must be a finite number from -50 to 2000, got -300",
        ] {
            assert!(issues.contains(expected), "missing {expected:?} in\n{issues}");
        }
    }

    #[test]
    fn a_heat_pump_must_output_hotter_than_its_source() {
        let issues = issues_of("[library.technology.heat_pump]\noutput_temperature_c = 15\n");
        assert!(
            issues.contains("[library.technology.heat_pump]: output_temperature_c must be above min_source_temperature_c (20 °C), got 15 °C"),
            "{issues}"
        );
    }

    #[test]
    fn a_library_value_of_the_wrong_type_names_its_entry_and_field() {
        let issues = issues_with(&[(
            "process_co2_t_per_unit = 0",
            "process_co2_t_per_unit = \"none\"",
        )]);
        assert!(
            issues.contains("[library.technology.fly_ash_classification]: process_co2_t_per_unit is not valid: invalid type: string \"none\", expected f64"),
            "{issues}"
        );
    }

    /// A ring of `count` vertices around `[lon, lat]`, as TOML.
    /// `count` exclusion zones `{prefix}0…`, `spacing` degrees apart, of
    /// `vertices` vertices each.
    fn zones(prefix: &str, count: usize, spacing: f64, vertices: usize) -> String {
        (0..count)
            .map(|i| {
                format!(
                    "[[exclusion_zone]]\nid = \"{prefix}{i}\"\nkind = \"other\"\npolygon = {}\n",
                    ring(100.0 + spacing * i as f64, 30.0, vertices)
                )
            })
            .collect()
    }

    fn ring(lon: f64, lat: f64, count: usize) -> String {
        let vertices: Vec<String> = (0..count)
            .map(|k| {
                let angle = std::f64::consts::TAU * k as f64 / count as f64;
                format!(
                    "[{}, {}]",
                    lon + 0.01 * angle.cos(),
                    lat + 0.01 * angle.sin()
                )
            })
            .collect();
        format!("[{}]", vertices.join(", "))
    }

    #[test]
    fn polygons_with_too_many_vertices_are_refused_before_geometry() {
        let one_too_many = format!(
            "[[exclusion_zone]]\nid = \"huge\"\nkind = \"other\"\npolygon = {}\n",
            ring(100.0, 30.0, 1001)
        );
        let issues = issues_of(&one_too_many);
        assert!(
            issues.contains("exclusion_zone 'huge': polygon has 1001 vertices, at most 1000 are accepted; simplify the outline"),
            "{issues}"
        );
        // Eleven zones of 1,000 vertices: the last is past the park's
        // total of 10,000,000 vertex pairs.
        let issues = issues_of(&zones("z", 11, 0.1, 1000));
        assert!(
            issues.contains("exclusion_zone 'z10': polygon has 1000 vertices, more than the polygons of a park file may have together"),
            "{issues}"
        );
        assert!(
            !issues.contains("exclusion_zone 'z9': polygon has 1000 vertices, more than"),
            "{issues}"
        );
        // Each zone alone is slow to route around, and is warned about.
        assert!(
            issues.contains("exclusion_zone 'z9': polygon has 1,000 vertices: a route around them"),
            "{issues}"
        );
        // Thousands of small outlines (a region's towns) are fine.
        assert!(!issues_of(&zones("t", 5000, 0.01, 5)).contains("vertices"));
    }

    #[test]
    fn many_unknown_references_into_many_plants_are_checked_in_linear_time() {
        // Each unknown plant used to be compared with, and its message to
        // list, every plant, and each issue's line was searched through
        // the whole text: quadratic, minutes for a 2 MB file.
        let count = 20_000;
        let mut text = String::from("[park]\nname = \"p\"\nregion = \"north\"\n");
        for i in 0..count {
            text.push_str(&format!(
                "[[plant]]\nid = \"p{i}\"\nlocation = [100.0, 30.0]\n"
            ));
        }
        for i in 0..count {
            text.push_str(&format!(
                "[[waste]]\nid = \"w{i}\"\nplant = \"p{i}x\"\nkind = \"fly_ash\"\nt_per_year = 1\n"
            ));
        }
        let started = std::time::Instant::now();
        let issues = issues_of_text(text);
        let seconds = started.elapsed().as_secs_f64();
        assert!(
            issues.contains("park.toml: 20000 error(s)"),
            "{issues:.2000}"
        );
        assert!(
            issues.contains("line 60005: error: waste 'w0': plant unknown plant 'p0x'; did you mean 'p0'? (known: p0, p1, "),
            "{issues:.2000}"
        );
        assert!(
            issues.len() < 10_000_000,
            "the report is {} bytes",
            issues.len()
        );
        assert!(seconds < 30.0, "checking took {seconds} s");
    }

    #[test]
    fn a_new_library_entry_must_be_complete() {
        let issues = issues_of("[library.waste_kind.my_slag]\nname = \"my slag\"\n");
        assert!(
            issues.contains(
                "[library.waste_kind.my_slag]: disposal_cny_per_t is required but missing"
            ),
            "{issues}"
        );
    }

    #[test]
    fn a_capacity_field_of_the_wrong_kind_is_named() {
        let text = include_str!("../../parks/tiny/park.toml")
            .replace("max_t_per_year = 50000", "max_mw = 5");
        let loaded = parse("park.toml", text, crate::input::Format::Toml).expect("parses");
        let report = super::validate(&loaded).unwrap_err().to_string();
        assert!(report.contains("project 'classifier': max_mw does not apply to technology 'fly_ash_classification'"), "{report}");
    }
}

#[cfg(test)]
mod outlet_tests {
    use crate::park::testing::tiny_with;
    use crate::park::TodayOutlet;

    #[test]
    fn non_compliant_storage_pays_the_environmental_tax() {
        let park = tiny_with(&[(
            "disposal_cny_per_t = 30",
            "disposal_cny_per_t = 30\npays_environmental_tax = true",
        )]);
        let tax = park.library.waste_kind["fly_ash"].environmental_tax_cny_per_t;
        assert_eq!(tax, 25.0);
        assert_eq!(
            park.wastes[0].today,
            TodayOutlet::Disposal {
                cost_cny_per_t: 55.0,
                co2_t_per_t: 0.0
            }
        );
    }

    #[test]
    fn a_waste_sold_today_cannot_also_be_disposed() {
        let text = include_str!("../../parks/tiny/park.toml").replace(
            "disposal_cny_per_t = 30",
            "disposal_cny_per_t = 30\nsold_today_cny_per_t = 10",
        );
        let loaded = crate::input::parse("park.toml", text, crate::input::Format::Toml).unwrap();
        let report = super::validate(&loaded).unwrap_err().to_string();
        assert!(
            report.contains(
                "waste 'fly-ash': sold_today_cny_per_t is set, so the waste is sold today"
            ),
            "{report}"
        );
    }

    #[test]
    fn a_waste_sold_today_counts_as_utilised_in_the_baseline() {
        let park = tiny_with(&[("disposal_cny_per_t = 30", "sold_today_cny_per_t = 10")]);
        let result = crate::pipeline::optimise(&park, &Default::default()).unwrap();
        let plan = result.plan.unwrap();
        assert_eq!(plan.kpis.baseline_solid_waste_utilisation_rate, 1.0);
        assert_eq!(
            plan.baseline.cost_by_category["product_sales"],
            -1_000_000.0
        );
        assert!(crate::solution::verify(&plan, &park).passed());
    }
}

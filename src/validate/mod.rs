//! Stage 2, validate: turns a parsed park file into a [`Park`], or a
//! [`Report`] of *every* problem found.
//!
//! Each rule is a small function in `checks` that pushes issues and keeps
//! going, so a user sees all problems in one run (the way geo's validation
//! and PyPSA's consistency checks work). Issues name the entity, the field,
//! the value and its unit, and suggest the closest valid library name.

mod checks;
mod library;

use crate::diagnostic::{Issue, Report};
use crate::input::LoadedPark;
use crate::park::Park;

/// Validates a loaded park file. On success the report holds the warnings.
pub fn validate(loaded: &LoadedPark) -> Result<(Park, Report), Report> {
    let mut report = Report::new(&loaded.path);
    report.issues.extend(loaded.unknown_fields.iter().cloned());
    let library = library::build(&loaded.file, &mut report);
    let park = library.and_then(|library| checks::check_park(&loaded.file, library, &mut report));
    for issue in &mut report.issues {
        if issue.line.is_none() {
            issue.line = locate(loaded, &issue.entity);
        }
    }
    report.sort();
    match park {
        Some(park) if !report.has_errors() => Ok((park, report)),
        _ => Err(report),
    }
}

/// Loads and validates in one step.
pub fn load_and_validate(path: &std::path::Path) -> Result<(Park, Report), Report> {
    let loaded = crate::input::load(path)?;
    validate(&loaded)
}

/// Line of the entity an issue names: `kind 'id'` or `[table]`.
fn locate(loaded: &LoadedPark, entity: &str) -> Option<usize> {
    if let Some((_, rest)) = entity.split_once('\'') {
        let id = rest.split('\'').next().unwrap_or_default();
        return loaded.line_of_id(id);
    }
    let table = entity
        .trim_start_matches('[')
        .trim_start_matches("library.")
        .split(']')
        .next()
        .unwrap_or_default();
    loaded.line_of_table(table)
}

/// The rule every quantity follows, with the words used in messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// Finite and ≥ 0.
    NonNegative,
    /// Finite, within `[low, high]`.
    Within(f64, f64),
}

/// Pushes an error unless `value` follows `rule`; returns whether it does.
pub(crate) fn check_number(
    report: &mut Report,
    entity: &str,
    field: &str,
    value: f64,
    rule: Rule,
) -> bool {
    let (ok, wanted) = match rule {
        Rule::NonNegative => (
            value.is_finite() && value >= 0.0,
            "a finite number ≥ 0".to_string(),
        ),
        Rule::Within(low, high) => (
            value.is_finite() && value >= low && value <= high,
            format!("a finite number from {low} to {high}"),
        ),
    };
    if !ok {
        report.push(Issue::error(
            entity,
            field,
            format!("must be {wanted}, got {value}"),
        ));
    }
    ok
}

#[cfg(test)]
mod tests {
    use crate::input::parse;

    fn issues_of(extra: &str) -> String {
        let text = format!("{}\n{extra}", include_str!("../../parks/tiny/park.toml"));
        let loaded = parse("park.toml", text, false).expect("parses");
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

    #[test]
    fn a_new_library_entry_must_be_complete() {
        let issues = issues_of("[library.waste_kind.my_slag]\nname = \"my slag\"\n");
        assert!(issues.contains("missing field"), "{issues}");
    }

    #[test]
    fn a_capacity_field_of_the_wrong_kind_is_named() {
        let text = include_str!("../../parks/tiny/park.toml")
            .replace("max_t_per_year = 50000", "max_mw = 5");
        let loaded = parse("park.toml", text, false).expect("parses");
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
        let loaded = crate::input::parse("park.toml", text, false).unwrap();
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

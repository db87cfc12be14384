//! A validated park changed since it was validated, checked again.
//!
//! A batch item's `scale.GROUP=F` override multiplies a group of the
//! validated park as the sensitivity analysis does
//! ([`Group::scaled`](crate::analysis::sensitivity::Group::scaled)): it
//! works on the resolved values (a project's capital cost after the
//! library's default, the park's copy of the electricity price), which
//! the park file may not even hold. Such a park is checked here with the
//! same rules validation applied to the file, so that what is solved
//! obeys every range a park file must: a carbon price scaled past 100,000
//! CNY/t is refused just as one written in the file would be.

use super::checks::check_heat;
use super::library::check_library;
use super::{
    check_number, place_and_sort, CARBON_PRICE, DISCOUNT_RATE, ELECTRICITY_PRICE, PRODUCT_PRICE,
    PROJECT_CAPEX, WASTE_T_PER_YEAR,
};
use crate::diagnostic::{Diagnostics, Entity};
use crate::input::LoadedPark;
use crate::park::Park;

/// Checks `park`, validated from `loaded` and changed since as `change`
/// says (e.g. `scale.capex=1.3`), with validation's rules for every
/// number a change may move: the park's carbon price, discount rate and
/// electricity price, each waste stream's tonnage, each heat source's and
/// heat user's power, temperature and hours, each project's capital cost
/// and product price, and the whole library.
///
/// Issues carry the lines of their entities in `loaded`; the report is
/// about `"<park file> with <change>"`, so that a reader knows the value
/// is not the one in the file. A validated park checked unchanged passes.
pub fn check_changed(loaded: &LoadedPark, park: &Park, change: &str) -> Result<(), Diagnostics> {
    let mut report = Diagnostics::new(format!("{} with {change}", loaded.path));
    let r = &mut report;
    check_number(
        r,
        &Entity::table(["park"]),
        "carbon_price_cny_per_t",
        park.carbon_price_cny_per_t,
        CARBON_PRICE,
    );
    check_number(
        r,
        &Entity::table(["park"]),
        "discount_rate",
        park.discount_rate,
        DISCOUNT_RATE,
    );
    check_number(
        r,
        &Entity::table(["library", "economics"]),
        "electricity_price_cny_per_mwh",
        park.electricity_price_cny_per_mwh,
        ELECTRICITY_PRICE,
    );
    for waste in &park.wastes {
        let entity = Entity::record("waste", &waste.id);
        check_number(r, &entity, "t_per_year", waste.t_per_year, WASTE_T_PER_YEAR);
    }
    for source in &park.heat_sources {
        let entity = Entity::record("heat_source", &source.id);
        check_heat(
            r,
            &entity,
            source.mw,
            source.temperature_c,
            source.hours_per_year,
        );
    }
    for demand in &park.heat_demands {
        let entity = Entity::record("heat_demand", &demand.id);
        check_heat(
            r,
            &entity,
            demand.mw,
            demand.temperature_c,
            demand.hours_per_year,
        );
    }
    for project in &park.projects {
        let entity = Entity::record("project", &project.id);
        check_number(r, &entity, "capex_cny", project.capex_cny, PROJECT_CAPEX);
        check_number(
            r,
            &entity,
            "product_price_cny_per_t",
            project.product_price_cny_per_unit,
            PRODUCT_PRICE,
        );
    }
    check_library(&park.library, r);
    place_and_sort(&mut report, loaded);
    if report.has_errors() {
        Err(report)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::Group;

    fn tiny() -> (LoadedPark, Park) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("parks/tiny/park.toml");
        let loaded = crate::input::load(&path).unwrap();
        let (park, _) = super::super::validate(&loaded).unwrap();
        (loaded, park)
    }

    #[test]
    fn an_unchanged_park_passes() {
        let (loaded, park) = tiny();
        assert!(check_changed(&loaded, &park, "nothing").is_ok());
    }

    #[test]
    fn every_group_scaled_out_of_range_is_refused() {
        // Scaled by the largest factor, every group of the tiny park (none
        // of them zero there) leaves its range: a group whose numbers this
        // check does not read would pass and fail the test.
        let (loaded, park) = tiny();
        for group in Group::ALL {
            let scaled = group.scaled(&park, f64::MAX);
            let report = check_changed(&loaded, &scaled, "scale=MAX").unwrap_err();
            assert!(report.has_errors(), "{group:?}");
            assert!(report.to_string().contains(" with scale=MAX: "), "{report}");
            assert!(check_changed(&loaded, &group.scaled(&park, 1.1), "x").is_ok());
        }
    }

    #[test]
    fn a_scaled_carbon_price_past_validation_s_range_names_the_change() {
        let (loaded, park) = tiny();
        let scaled = Group::CarbonPrice.scaled(&park, 2000.0);
        let report = check_changed(&loaded, &scaled, "scale.carbon_price=2000")
            .unwrap_err()
            .to_string();
        assert!(
            report.contains(": error: [park]: carbon_price_cny_per_t must be a finite number from 0 to 100000, got 200000"),
            "{report}"
        );
        assert!(
            report.starts_with(&format!(
                "{} with scale.carbon_price=2000: line ",
                loaded.path
            )),
            "{report}"
        );
    }
}

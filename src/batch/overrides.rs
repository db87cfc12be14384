//! The `key=value` overrides of a list line, and the park they make.
//!
//! Every check of a park runs once, in validation, on the park that is
//! solved; the overrides are arranged around that:
//!
//! - An override that sets a field of the park file
//!   (`carbon_price_cny_per_t=`, `discount_rate=`) is applied to the
//!   parsed file before validation, so validation checks the value used
//!   like any value written in the file.
//! - `scale.GROUP=F` multiplies a group of the validated park with the
//!   sensitivity analysis's own scaling ([`Group::scaled`]). Scaling the
//!   parsed file instead would mean a second copy of that scaling, and a
//!   different one: the file often holds no number to scale (a project's
//!   capital cost and product price, the electricity price, fuel and
//!   virgin-material prices come from library defaults, merged during
//!   validation), and a scaled capital cost would carry the fixed running
//!   cost validation derives from it, which the analysis leaves alone. So
//!   the scaled park is checked again with validation's rules
//!   ([`validate::check_changed`]) and refused, with the park file's lines
//!   and the overrides named, when a value leaves its range.
//! - The ranges an override's value must be in at parse time are
//!   validation's own rules ([`validate::CARBON_PRICE`],
//!   [`validate::DISCOUNT_RATE`]), so that a bad value stops the batch
//!   before anything is solved, with the list file, line and token.
//!
//! Overrides apply in the order written. Scalings of different groups
//! touch different numbers and commute; a carbon price set after
//! `scale.carbon_price` replaces the scaled price, so that scaling is
//! dropped, and one set before it is scaled, as when every override was
//! applied to the park in turn.

use crate::analysis::sensitivity::Group;
use crate::diagnostic::{unknown_name, Diagnostics};
use crate::input::{self, ParkSection};
use crate::park::Park;
use crate::validate::{self, Rule};
use std::path::Path;

/// Key of an item's name.
pub(super) const NAME: &str = "name";

/// Override key of the carbon price.
const CARBON_PRICE: &str = "carbon_price_cny_per_t";
/// Override key of the discount rate.
const DISCOUNT_RATE: &str = "discount_rate";
/// Prefix of the keys that scale a group.
const SCALE: &str = "scale.";

/// What an override changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Sets the carbon price, CNY per t CO2, in the park file.
    CarbonPrice(f64),
    /// Sets the real discount rate, fraction, in the park file.
    DiscountRate(f64),
    /// Multiplies a price or quantity group of the validated park by a
    /// factor, as the sensitivity analysis does ([`Group::scaled`]).
    Scale(Group, f64),
}

impl Change {
    /// Sets the field of `[park]` this change sets; a scaling sets none.
    fn set_in(self, section: &mut ParkSection) {
        match self {
            Change::CarbonPrice(price) => section.carbon_price_cny_per_t = Some(price),
            Change::DiscountRate(rate) => section.discount_rate = Some(rate),
            Change::Scale(..) => {}
        }
    }

    /// Whether this change sets what `group` scales, replacing any earlier
    /// scaling of it.
    fn replaces(self, group: Group) -> bool {
        matches!((self, group), (Change::CarbonPrice(_), Group::CarbonPrice))
    }
}

/// One `key=value` override of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The token as written in the list, e.g. `scale.capex=1.2`.
    pub text: String,
    /// What it does.
    pub change: Change,
}

/// The park of `park_file` with `overrides`: the file loaded, the fields
/// the overrides set written into it, validated, then scaled and checked
/// again; or the report of the first step that found problems (every
/// problem of that step). Validation's warnings are not kept.
pub(super) fn scenario(park_file: &Path, overrides: &[Override]) -> Result<Park, Diagnostics> {
    let mut loaded = input::load(park_file)?;
    for o in overrides {
        o.change.set_in(&mut loaded.file.park);
    }
    let (park, _warnings) = validate::validate(&loaded)?;
    let scalings = scalings(overrides);
    if scalings.is_empty() {
        return Ok(park);
    }
    let scaled = scalings.iter().fold(park, |park, (group, factor, _)| {
        group.scaled(&park, *factor)
    });
    let texts: Vec<&str> = scalings.iter().map(|&(_, _, text)| text).collect();
    validate::check_changed(&loaded, &scaled, &texts.join(" "))?;
    Ok(scaled)
}

/// The scalings of `overrides` in order, each with its text, without
/// those an override after them replaces.
fn scalings(overrides: &[Override]) -> Vec<(Group, f64, &str)> {
    let mut scalings: Vec<(Group, f64, &str)> = Vec::new();
    for o in overrides {
        match o.change {
            Change::Scale(group, factor) => scalings.push((group, factor, &o.text)),
            set => scalings.retain(|&(group, _, _)| !set.replaces(group)),
        }
    }
    scalings
}

/// The id of a group in a list file: its `snake_case` name, as in
/// `sensitivity.json`.
fn group_id(group: Group) -> &'static str {
    match group {
        Group::WasteTonnages => "waste_tonnages",
        Group::WasteHeat => "waste_heat",
        Group::ProductPrices => "product_prices",
        Group::CarbonPrice => "carbon_price",
        Group::TransportCost => "transport_cost",
        Group::Capex => "capex",
        Group::FuelPrices => "fuel_prices",
        Group::VirginMaterialPrices => "virgin_material_prices",
        Group::ElectricityPrice => "electricity_price",
    }
}

/// The group with this id.
fn group_from_id(id: &str) -> Option<Group> {
    Group::ALL.into_iter().find(|&group| group_id(group) == id)
}

/// Every key a list line may use.
pub(super) fn known_keys() -> Vec<String> {
    let mut keys = vec![CARBON_PRICE.to_string(), DISCOUNT_RATE.to_string()];
    keys.extend(
        Group::ALL
            .iter()
            .map(|&g| format!("{SCALE}{}", group_id(g))),
    );
    keys.push(NAME.to_string());
    keys
}

/// `value` as a finite number for which `ok` holds, or a message saying
/// that `key` must be `wanted`.
fn parse_number(
    key: &str,
    value: &str,
    wanted: &str,
    ok: impl Fn(f64) -> bool,
) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(number) if number.is_finite() && ok(number) => Ok(number),
        _ => Err(format!("{key} must be {wanted}, got '{value}'")),
    }
}

/// `value` as a number that validation's `rule` admits, or a message
/// saying that `key` must be `what` in the rule's range.
fn parse_checked(key: &str, value: &str, what: &str, rule: Rule) -> Result<f64, String> {
    let wanted = format!("{what} {}", rule.range());
    parse_number(key, value, &wanted, |number| rule.admits(number))
}

/// The change a `key=value` override makes.
pub(super) fn parse_change(key: &str, value: &str) -> Result<Change, String> {
    if key == CARBON_PRICE {
        let price = parse_checked(key, value, "a number of CNY per t", validate::CARBON_PRICE)?;
        return Ok(Change::CarbonPrice(price));
    }
    if key == DISCOUNT_RATE {
        let rate = parse_checked(key, value, "a fraction", validate::DISCOUNT_RATE)?;
        return Ok(Change::DiscountRate(rate));
    }
    if let Some(group) = key.strip_prefix(SCALE).and_then(group_from_id) {
        let factor = parse_number(key, value, "a factor > 0", |f| f > 0.0)?;
        return Ok(Change::Scale(group, factor));
    }
    let known = known_keys();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    Err(unknown_name("override", key, &known))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{parse, tiny_path};
    use super::*;

    #[test]
    fn group_ids_are_the_names_in_sensitivity_json() {
        for group in Group::ALL {
            assert_eq!(serde_json::to_value(group).unwrap(), group_id(group));
            assert_eq!(group_from_id(group_id(group)), Some(group));
        }
    }

    /// The scenario of one list line about the tiny park.
    fn scenario(overrides: &str) -> Result<Park, Diagnostics> {
        let line = format!("{} {overrides}\n", tiny_path().display());
        parse(&line).unwrap().items[0].scenario()
    }

    #[test]
    fn overrides_apply_in_order() {
        let park = scenario("carbon_price_cny_per_t=200 scale.carbon_price=1.5 discount_rate=0.1")
            .unwrap();
        assert_eq!(park.carbon_price_cny_per_t, 300.0);
        assert_eq!(park.discount_rate, 0.1);
        let set_last = scenario("scale.carbon_price=1.5 carbon_price_cny_per_t=200").unwrap();
        assert_eq!(set_last.carbon_price_cny_per_t, 200.0, "the last one wins");
        let scaled = scenario("scale.capex=2 scale.waste_heat=0.5").unwrap();
        let park = crate::park::testing::tiny();
        let direct = Group::WasteHeat.scaled(&Group::Capex.scaled(&park, 2.0), 0.5);
        assert_eq!(scaled.projects[0].capex_cny, direct.projects[0].capex_cny);
        assert_eq!(scaled.heat_sources[0].mw, direct.heat_sources[0].mw);
    }

    #[test]
    fn a_scaled_park_is_validated_again() {
        // tiny's 100 CNY/t times 2000 is past validation's 100,000.
        let report = scenario("scale.capex=1.1 scale.carbon_price=2000 name=x")
            .unwrap_err()
            .to_string();
        let file = tiny_path().display().to_string();
        assert!(
            report.starts_with(&format!(
                "{file} with scale.capex=1.1 scale.carbon_price=2000: line 6: error: [park]: carbon_price_cny_per_t must be a finite number from 0 to 100000, got 200000"
            )),
            "{report}"
        );
        // The same price set in the file is validation's error there.
        let report = scenario("carbon_price_cny_per_t=100000 scale.carbon_price=1.5")
            .unwrap_err()
            .to_string();
        assert!(report.contains("got 150000"), "{report}");
    }
}

//! Property tests of parsing and validation together: whatever a user
//! writes, `check` answers with a park or a report, never a panic, and every
//! error in the report names the entity and the field at fault. Three kinds
//! of input: arbitrary bytes, TOML-like text built from the schema's own
//! words (which gets much further into validation than bytes do), and
//! mutations of the shipped parks (which are valid, so whatever is rejected
//! was rejected because of the mutation). The fuzz target under `fuzz/`
//! explores the same ground for longer.

use crate::diagnostic::{Diagnostics, Entity, Severity};
use crate::input::{parse_bytes, Format};
use proptest::prelude::*;
use proptest::sample::Index;

/// The shipped parks, valid as they are.
const SHIPPED: [&str; 3] = [
    include_str!("../../parks/tiny/park.toml"),
    include_str!("../../parks/tangshan-caofeidian/park.toml"),
    include_str!("../../parks/ningdong-chemical/park.toml"),
];

/// Parses and validates `bytes` as TOML, or as JSON.
fn check(bytes: &[u8], format: Format) -> Result<(), Diagnostics> {
    let loaded = parse_bytes("park.toml", bytes, format)?;
    super::validate(&loaded).map(|_| ())
}

/// Every error names an entity and a field: in the issue's field or, for
/// an unknown field or a whole record of the wrong shape, in its message.
/// Only a file that is not TOML or JSON at all has no entity to name, and
/// then the issue gives the line.
fn assert_named(report: &Diagnostics) -> Result<(), TestCaseError> {
    prop_assert!(
        report.has_errors(),
        "a rejection without an error: {report}"
    );
    for issue in &report.issues {
        if issue.severity != Severity::Error {
            continue;
        }
        prop_assert!(issue.entity != Entity::Line, "no entity: {issue}");
        prop_assert!(!issue.message.is_empty(), "no message: {issue}");
        let named = !issue.field.is_empty()
            || issue.message.starts_with("unknown")
            || (issue.entity == Entity::File && issue.line.is_some())
            || issue.message.starts_with("is not valid");
        prop_assert!(named, "the field is not named: {issue}");
    }
    Ok(())
}

/// A float as TOML writes it (`nan`, `inf`, `-inf`, `1e300`, `0.5`).
fn toml_float(value: f64) -> String {
    if value.is_nan() {
        "nan".into()
    } else if value.is_infinite() {
        if value > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        format!("{value:?}")
    }
}

/// Numbers a user might write, from the sensible to the absurd.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-1.0),
        Just(0.0),
        Just(1e300),
        Just(-1e300),
        Just(9000.0),
        -200.0..200.0,
        any::<f64>(),
    ]
}

/// Words of the schema and the library, and near misses.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "a",
            "b",
            "north",
            "fly_ash",
            "bf_slag",
            "clinker",
            "gas_boiler",
            "fly_ash_classification",
            "residential",
            "truck",
            "",
        ])
        .prop_map(String::from),
        "[a-z_]{1,10}",
    ]
}

/// A TOML value: a number, a string, a pair, a ring, an array of words.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        number().prop_map(toml_float),
        word().prop_map(|w| format!("{w:?}")),
        (number(), number()).prop_map(|(a, b)| format!("[{}, {}]", toml_float(a), toml_float(b))),
        prop::collection::vec((number(), number()), 0..6).prop_map(|ring| {
            let vertices: Vec<String> = ring
                .iter()
                .map(|(a, b)| format!("[{}, {}]", toml_float(*a), toml_float(*b)))
                .collect();
            format!("[{}]", vertices.join(", "))
        }),
        prop::collection::vec(word(), 0..3).prop_map(|words| format!("{words:?}")),
        any::<bool>().prop_map(|b| b.to_string()),
    ]
}

/// A line of a park file: a table header or `key = value`.
fn line() -> impl Strategy<Value = String> {
    let header = prop::sample::select(vec![
        "[park]",
        "[[plant]]",
        "[[waste]]",
        "[[heat_source]]",
        "[[heat_demand]]",
        "[[material_demand]]",
        "[[project]]",
        "[[exclusion_zone]]",
        "[transport.truck]",
        "[transport.steam_pipe]",
        "[library.economics]",
        "[library.technology.fly_ash_classification]",
        "[library.waste_kind.fly_ash]",
        "[library.waste_kind.new_kind]",
    ])
    .prop_map(String::from);
    let key = prop::sample::select(vec![
        "name",
        "region",
        "id",
        "plant",
        "kind",
        "location",
        "t_per_year",
        "mw",
        "temperature_c",
        "hours_per_year",
        "current_supply",
        "accepts",
        "max_t_per_year",
        "replaces",
        "technology",
        "polygon",
        "boundary",
        "discount_rate",
        "max_mw",
        "lifetime_years",
        "disposal_cny_per_t",
        "sold_today_cny_per_t",
        "detour_factor",
        "max_distance_km",
        "substitutes",
        "inputs",
        "yield_t_per_t",
    ]);
    prop_oneof![
        1 => header,
        4 => (key, value()).prop_map(|(key, value)| format!("{key} = {value}")),
    ]
}

/// A park file's header, so that generated lines are read as records.
const HEAD: &str = "[park]\nname = \"p\"\nregion = \"north\"\n";

/// Leaves of a TOML tree (numbers, strings, booleans), as paths of keys and
/// array indices.
fn leaves(value: &toml::Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        toml::Value::Table(table) => {
            for (key, child) in table {
                path.push(Step::Key(key.clone()));
                leaves(child, path, out);
                path.pop();
            }
        }
        toml::Value::Array(array) => {
            for (index, child) in array.iter().enumerate() {
                path.push(Step::Index(index));
                leaves(child, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

/// One step of a path into a TOML tree.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A park's TOML tree and the paths of its leaves.
fn tree_and_leaves(park: &str) -> (toml::Value, Vec<Vec<Step>>) {
    let tree = toml::Value::Table(park.parse::<toml::Table>().expect("shipped parks parse"));
    let mut paths = Vec::new();
    leaves(&tree, &mut Vec::new(), &mut paths);
    (tree, paths)
}

/// Whether some error of `report` names `field` (in the field, or in the
/// message for a field the library calls otherwise).
fn names_field(report: &Diagnostics, field: &str) -> bool {
    report.issues.iter().any(|issue| {
        issue.severity == Severity::Error
            && (issue.field.contains(field) || issue.message.contains(field))
    })
}

/// The value at `path`.
fn at<'a>(value: &'a mut toml::Value, path: &[Step]) -> Option<&'a mut toml::Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.as_table_mut()?.get_mut(key),
        Step::Index(index) => value.as_array_mut()?.get_mut(*index),
    })
}

/// The last key of a path: the field a leaf belongs to.
fn field_of(path: &[Step]) -> Option<&str> {
    path.iter().rev().find_map(|step| match step {
        Step::Key(key) => Some(key.as_str()),
        Step::Index(_) => None,
    })
}

/// What a mutation does to one leaf of a shipped park.
#[derive(Debug, Clone)]
enum Mutation {
    /// Sets a number to another number.
    Number(f64),
    /// Sets a leaf to a string.
    Text(String),
    /// Removes the field the leaf belongs to.
    Drop,
    /// Appends a copy of the record the leaf belongs to.
    Duplicate,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => number().prop_map(Mutation::Number),
        2 => word().prop_map(Mutation::Text),
        1 => Just(Mutation::Drop),
        1 => Just(Mutation::Duplicate),
    ]
}

/// Applies `mutation` at the `pick`-th leaf of `park`; returns the mutated
/// park's text, the leaf's field and whether the leaf was a number.
fn mutate(park: &str, pick: Index, mutation: &Mutation) -> (String, String, bool) {
    let (mut tree, paths) = tree_and_leaves(park);
    let path = pick.get(&paths).clone();
    let field = field_of(&path).unwrap_or_default().to_string();
    let leaf = at(&mut tree, &path).expect("the leaf exists");
    let was_number = leaf.is_float() || leaf.is_integer();
    match mutation {
        Mutation::Number(number) if was_number => *leaf = toml::Value::Float(*number),
        Mutation::Number(_) => {}
        Mutation::Text(text) => *leaf = toml::Value::String(text.clone()),
        Mutation::Drop => {
            let key_at = path.iter().rposition(|step| matches!(step, Step::Key(_)));
            if let Some(key_at) = key_at {
                if let Some(toml::Value::Table(table)) = at(&mut tree, &path[..key_at]) {
                    table.remove(&field);
                }
            }
        }
        Mutation::Duplicate => {
            if let [Step::Key(table), Step::Index(index), ..] = path.as_slice() {
                let records = at(&mut tree, &[Step::Key(table.clone())]);
                if let Some(toml::Value::Array(records)) = records {
                    let copy = records[*index].clone();
                    records.push(copy);
                }
            }
        }
    }
    let text = toml::to_string(&tree).expect("a TOML tree serialises");
    (text, field, was_number)
}

/// 64 cases a property, so that `cargo test` stays quick; `PROPTEST_CASES`
/// asks for more.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_are_reported_not_panicked_on(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        format in prop::sample::select(vec![Format::Toml, Format::Json]),
    ) {
        if let Err(report) = check(&bytes, format) {
            assert_named(&report)?;
        }
    }

    #[test]
    fn arbitrary_toml_like_text_is_reported_not_panicked_on(
        lines in prop::collection::vec(line(), 0..40),
    ) {
        let text = format!("{HEAD}{}\n", lines.join("\n"));
        if let Err(report) = check(text.as_bytes(), Format::Toml) {
            assert_named(&report)?;
        }
    }

    #[test]
    fn mutated_shipped_parks_pass_or_name_the_field(
        park in 0..SHIPPED.len(),
        pick in any::<Index>(),
        mutation in mutation(),
    ) {
        let (text, field, was_number) = mutate(SHIPPED[park], pick, &mutation);
        let outcome = check(text.as_bytes(), Format::Toml);
        if let Err(report) = &outcome {
            assert_named(report)?;
        }
        // A quantity that is not a finite number never passes, and the
        // report names the field it was given in.
        if let Mutation::Number(number) = mutation {
            if was_number && !number.is_finite() {
                let report = outcome.expect_err("a non-finite number was accepted");
                prop_assert!(
                    names_field(&report, &field),
                    "{field} = {number} is not named in\n{report}"
                );
            }
        }
    }
}

/// Every number of every shipped park, set in turn to NaN and to ±infinity,
/// is rejected by an error naming its field: no quantity escapes the
/// finiteness checks.
#[test]
fn no_quantity_of_a_shipped_park_accepts_a_non_finite_number() {
    let mut tried = 0;
    for park in SHIPPED {
        let (tree, paths) = tree_and_leaves(park);
        for path in &paths {
            let mut mutated = tree.clone();
            let leaf = at(&mut mutated, path).expect("the leaf exists");
            if !(leaf.is_float() || leaf.is_integer()) {
                continue;
            }
            let field = field_of(path).unwrap_or_default();
            for number in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let leaf = at(&mut mutated, path).expect("the leaf exists");
                *leaf = toml::Value::Float(number);
                let text = toml::to_string(&mutated).expect("a TOML tree serialises");
                match check(text.as_bytes(), Format::Toml) {
                    Ok(()) => panic!("{field} = {number} at {path:?} was accepted"),
                    Err(report) => assert!(
                        names_field(&report, field),
                        "{field} = {number} at {path:?} is not named in\n{report}"
                    ),
                }
                tried += 1;
            }
        }
    }
    assert!(tried > 300, "only {tried} numbers tried");
}

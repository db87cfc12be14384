//! `ecopark check`: valid parks pass, bad ones get every problem at once.

use crate::util::*;

#[test]
fn every_shipped_park_is_valid() {
    for park in shipped_parks() {
        let run = ecopark(&["check", arg(&park)]).expect_code(0);
        assert!(run.stdout.contains("valid"), "{}", run.stdout);
    }
}

const BAD: &str = r#"
[park]
name = "bad"
region = "nort"

[[plant]]
id = "steel"
location = [118.45, 39.21]

[[plant]]
id = "steel"
location = [218.0, 39.0]

[[waste]]
id = "steel-slag"
plant = "steal"
kind = "steel_slagg"
t_per_year = -5

[[heat_demand]]
id = "chem-steam"
plant = "steel"
mw = 25
temperature_c = 180
hours_per_year = 9000
current_supply = "gas_boiler"

[[material_demand]]
id = "cement-scm"
plant = "steel"
accepts = ["fly_ash", "plasterboard"]
max_t_per_year = 800000
replaces = "clinker"

[[project]]
id = "ggbs-mill"
technology = "ggbs_grinder"
location = [118.46, 39.20]

[[exclusion_zone]]
id = "town"
kind = "residential"
polygon = [[118.40, 39.18], [118.50, 39.18], [118.40, 39.25], [118.50, 39.25]]
"#;

#[test]
fn a_bad_park_gets_every_problem_with_entity_field_and_fix() {
    let (_dir, path) = temp_file("park.toml", BAD);
    let run = ecopark(&["check", arg(&path)]).expect_code(2);
    let e = &run.stderr;
    for expected in [
        "[park]: region unknown region 'nort'; did you mean 'north'?",
        "plant 'steel': id is already used by a plant",
        "location must be [lon, lat] in WGS84 degrees",
        "waste 'steel-slag': plant unknown plant 'steal'; did you mean 'steel'?",
        "waste 'steel-slag': kind unknown waste kind 'steel_slagg'; did you mean 'steel_slag'?",
        "waste 'steel-slag': t_per_year must be a finite number from 0 to 10000000000, got -5",
        "heat_demand 'chem-steam': hours_per_year must be a finite number > 0 and ≤ 8784, got 9000",
        "warning: material_demand 'cement-scm': accepts 'plasterboard' has no ratio for replacing clinker",
        "project 'ggbs-mill': technology unknown technology 'ggbs_grinder'; did you mean 'ggbs_grinding'?",
        "exclusion_zone 'town': polygon is not a valid polygon",
        "plant 'steel': location [118.45, 39.21] lies inside exclusion zone 'town'",
    ] {
        assert!(e.contains(expected), "missing {expected:?} in\n{e}");
    }
    assert!(e.contains("line "), "issues carry line numbers:\n{e}");
}

#[test]
fn unknown_fields_are_all_reported_with_the_closest_name() {
    let text = r#"
[park]
name = "typos"
region = "north"
carbon_price = 80

[[plant]]
id = "a"
locaton = [118.0, 39.0]
location = [118.0, 39.0]

[transport.truck]
cost_per_t_km = 0.8
"#;
    let (_dir, path) = temp_file("park.toml", text);
    let run = ecopark(&["check", arg(&path)]).expect_code(2);
    let e = &run.stderr;
    assert!(
        e.contains("[park]: unknown field 'carbon_price'; did you mean 'carbon_price_cny_per_t'?"),
        "{e}"
    );
    assert!(
        e.contains("plant 'a': unknown field 'locaton'; did you mean 'location'?"),
        "{e}"
    );
    assert!(
        e.contains("[library.transport.truck]: unknown field 'cost_per_t_km'"),
        "{e}"
    );
}

#[test]
fn syntax_errors_name_the_line() {
    let (_dir, path) = temp_file("park.toml", "[park]\nname = \"x\"\nregion = north\n");
    let run = ecopark(&["check", arg(&path)]).expect_code(2);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
}

#[test]
fn missing_file_is_an_error_not_a_panic() {
    let run = ecopark(&["check", "parks/no-such-park/park.toml"]).expect_code(2);
    assert!(run.stderr.contains("cannot be read"), "{}", run.stderr);
}

#[test]
fn json_park_files_are_accepted() {
    let tiny = std::fs::read_to_string(repo_root().join("parks/tiny/park.toml")).unwrap();
    let value: toml::Value = toml::from_str(&tiny).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let (_dir, path) = temp_file("park.json", &json);
    ecopark(&["check", arg(&path)]).expect_code(0);
    let (_dir, plan, _) = solve_to_temp(&path, &["--profile", "exact"]);
    assert_eq!(
        plan["plan"]["objective_cny_per_year"].as_f64(),
        Some(-12_332_829.52)
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    // Sparse: one byte past the limit, without writing it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.toml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(ecopark::input::MAX_FILE_BYTES + 1).unwrap();
    let run = ecopark(&["check", arg(&path)]).expect_code(2);
    assert!(
        run.stderr.contains(&format!(
            "file: is at least {} bytes; park files are limited to {} bytes",
            ecopark::input::MAX_FILE_BYTES + 1,
            ecopark::input::MAX_FILE_BYTES
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_device_is_refused_without_being_read() {
    // /dev/zero reports no size and never ends: reading it whole would
    // take all memory. It is not a regular file, so it is not read at all.
    let run = ecopark(&["check", "/dev/zero"]).expect_code(2);
    assert!(
        run.stderr.contains("is not a regular file"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_entity_and_field() {
    let tiny = std::fs::read_to_string(repo_root().join("parks/tiny/park.toml")).unwrap();
    let text = tiny.replace("t_per_year = 100000", "t_per_year = \"lots\"");
    let (_dir, path) = temp_file("park.toml", &text);
    let run = ecopark(&["check", arg(&path)]).expect_code(2);
    assert!(
        run.stderr.contains(
            "line 30: error: waste 'fly-ash': t_per_year is not valid: invalid type: string \"lots\", expected f64"
        ),
        "{}",
        run.stderr
    );
}

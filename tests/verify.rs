//! `ecopark verify`: tampered plans are caught, with the rule they break.

use crate::util::*;

fn tiny_plan() -> (tempfile::TempDir, serde_json::Value) {
    let park = repo_root().join("parks/tiny/park.toml");
    let (dir, plan, _) = solve_to_temp(&park, &["--profile", "exact"]);
    (dir, plan)
}

fn verify_edited(edit: impl FnOnce(&mut serde_json::Value)) -> Run {
    let (dir, mut plan) = tiny_plan();
    edit(&mut plan);
    let path = dir.path().join("edited.json");
    std::fs::write(&path, serde_json::to_string(&plan).unwrap()).unwrap();
    ecopark(&["verify", arg(&path), "parks/tiny/park.toml"])
}

#[test]
fn an_untouched_plan_verifies() {
    verify_edited(|_| {}).expect_code(0);
}

#[test]
fn more_waste_than_produced_is_caught() {
    let run = verify_edited(|plan| plan["links"][1]["sent"] = 70_000.0.into()).expect_code(2);
    assert!(run.stderr.contains("waste 'fly-ash'"), "{}", run.stderr);
}

#[test]
fn an_understated_cost_is_caught() {
    let run = verify_edited(|plan| plan["plan"]["cost_cny_per_year"] = (-20_000_000.0).into())
        .expect_code(2);
    assert!(run.stderr.contains("plan cost"), "{}", run.stderr);
}

#[test]
fn a_shortened_distance_is_caught() {
    let run = verify_edited(|plan| plan["links"][0]["distance_km"] = 1.0.into()).expect_code(2);
    assert!(
        run.stderr.contains("route around exclusion zones"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_project_running_unbuilt_is_caught() {
    let run = verify_edited(|plan| plan["projects"][0]["built"] = false.into()).expect_code(2);
    assert!(run.stderr.contains("without being built"), "{}", run.stderr);
}

#[test]
fn heat_beyond_the_pipe_temperature_rule_is_caught() {
    let (dir, plan) = tiny_plan();
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, serde_json::to_string(&plan).unwrap()).unwrap();
    // The same plan against a park whose steam user needs 160 °C: 154 °C arrives.
    let park = std::fs::read_to_string(repo_root().join("parks/tiny/park.toml"))
        .unwrap()
        .replace("temperature_c = 150", "temperature_c = 160");
    let park_path = dir.path().join("park.toml");
    std::fs::write(&park_path, park).unwrap();
    let run = ecopark(&["verify", arg(&plan_path), arg(&park_path)]).expect_code(2);
    assert!(
        run.stderr.contains("the receiver needs 160 °C"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_is_not_a_plan_is_an_error() {
    let (_dir, path) = temp_file("plan.json", "{\"hello\": 1}");
    let run = ecopark(&["verify", arg(&path), "parks/tiny/park.toml"]).expect_code(2);
    assert!(
        run.stderr.contains("is not an ecopark plan.json"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_relabelled_material_is_caught() {
    let run = verify_edited(|plan| plan["links"][1]["carries"] = "ggbs".into()).expect_code(2);
    assert!(
        run.stderr.contains("the sender sends fly_ash"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_negative_market_sale_is_caught() {
    let run = verify_edited(|plan| plan["market_sales"][0]["t_per_year"] = (-1000.0).into())
        .expect_code(2);
    assert!(
        run.stderr.contains("negative market sale"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_duplicated_entry_is_caught() {
    let run = verify_edited(|plan| {
        let first = plan["links"][0].clone();
        plan["links"].as_array_mut().unwrap().push(first);
    })
    .expect_code(2);
    assert!(
        run.stderr.contains("appears more than once"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_misstated_item_cost_is_caught() {
    let run = verify_edited(|plan| plan["links"][0]["annual_cost_cny_per_year"] = 0.0.into())
        .expect_code(2);
    assert!(run.stderr.contains("the flows give"), "{}", run.stderr);
}

/// Finding 9 of the red-team pass: numbers a report shows, edited in
/// plan.json, were accepted. Each is now recomputed and the edit refused
/// by `verify` and by `report`.
#[test]
fn edited_headline_numbers_are_caught_by_verify_and_report() {
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 4] = [
        ("change cost", |p| {
            p["change"]["cost_cny_per_year"] = (-1_069e6).into()
        }),
        ("kpis.simple_payback_years", |p| {
            p["kpis"]["simple_payback_years"] = 0.0.into()
        }),
        ("stated route (2 vertices)", |p| {
            p["links"][0]["route"] = serde_json::json!([[1e308, 1e308], [1e308, 1e308]])
        }),
        ("problem.model.constraints", |p| {
            p["problem"]["model"]["constraints"] = 3.into()
        }),
    ];
    for (expected, edit) in edits {
        let (dir, mut plan) = tiny_plan();
        edit(&mut plan);
        let path = dir.path().join("edited.json");
        std::fs::write(&path, serde_json::to_string(&plan).unwrap()).unwrap();
        let run = ecopark(&["verify", arg(&path), "parks/tiny/park.toml"]).expect_code(2);
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
        let out = dir.path().join("report");
        let run = ecopark(&[
            "report",
            arg(&path),
            "parks/tiny/park.toml",
            "--out",
            arg(&out),
        ])
        .expect_code(2);
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
        assert!(!out.join("report.html").exists());
    }
}

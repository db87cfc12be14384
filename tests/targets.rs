//! `[targets]`: plans meet them, and targets out of reach are explained in
//! park terms instead of a bare "infeasible".

use crate::util::*;

/// The shipped `tiny` park with text appended.
fn tiny_with(extra: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let text = std::fs::read_to_string(repo_root().join("parks/tiny/park.toml")).unwrap();
    temp_file("park.toml", &format!("{text}\n{extra}"))
}

/// Solves a park whose targets are out of reach: exit 1, no plan.
fn solve_to_no_plan(park: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf, Run) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = ecopark(&["solve", arg(park), "--out", arg(&out)]).expect_code(1);
    assert!(!out.join("plan.json").exists(), "no plan is written");
    (dir, out, run)
}

#[test]
fn a_capital_budget_is_kept_and_reported() {
    // tiny's optimum spends 24.45 M CNY (the 20 M classifier among it).
    let (_park_dir, park) = tiny_with("[targets]\ncapex_budget_cny = 10_000_000\n");
    let (_dir, plan, run) = solve_to_temp(&park, &[]);
    let capex = plan["kpis"]["capex_cny"].as_f64().unwrap();
    assert!(capex <= 10_000_000.0, "capex {capex}");
    assert!(capex > 0.0, "the steam pipe still fits the budget");
    let objective = plan["plan"]["objective_cny_per_year"].as_f64().unwrap();
    assert!(
        objective > -12_332_829.52 + 1.0,
        "the budget costs something"
    );
    assert_eq!(plan["targets"][0]["field"], "capex_budget_cny");
    assert_eq!(plan["targets"][0]["met"], true);
    assert!(
        run.stdout
            .contains("target capex_budget_cny 10,000,000: met"),
        "{}",
        run.stdout
    );
}

#[test]
fn reachable_utilisation_targets_are_met() {
    let (_park_dir, park) = tiny_with(
        "[targets]\nsolid_waste_utilisation_min = 1.0\nwaste_heat_utilisation_min = 0.5\n",
    );
    let (_dir, plan, _) = solve_to_temp(&park, &[]);
    assert_eq!(
        plan["kpis"]["solid_waste_utilisation_rate"].as_f64(),
        Some(1.0)
    );
    assert!(plan["targets"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["met"] == true));
}

#[test]
fn waste_no_one_accepts_is_named_when_utilisation_is_out_of_reach() {
    // 400 kt of red mud that nothing in the park takes: at most the
    // 100 kt of fly ash can be used, 20 % of the 500 kt.
    let (_park_dir, park) = tiny_with(
        r#"[[waste]]
id = "red-mud"
plant = "power"
kind = "red_mud"
t_per_year = 400000

[targets]
solid_waste_utilisation_min = 0.95
"#,
    );
    let (_dir, out, run) = solve_to_no_plan(&park);
    assert!(
        run.stderr
            .contains("solid-waste utilisation can reach at most 20.0 % of the 95.0 % target"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "400,000 t/yr of red_mud (from red-mud) stays in disposal: no project or user within reach accepts it"
        ),
        "{}",
        run.stderr
    );
    let unmet: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("unmet_targets.json")).unwrap())
            .unwrap();
    assert_eq!(unmet[0]["field"], "solid_waste_utilisation_min");
    assert_eq!(unmet[0]["reachable"].as_f64(), Some(0.2));
}

#[test]
fn full_receivers_and_an_unreachable_co2_cap_are_explained() {
    // tiny's heat user takes 40,000 of the 80,000 MWh its source has; its
    // CO2 cannot go below the optimum's -24,000 t by much.
    let (_park_dir, park) =
        tiny_with("[targets]\nwaste_heat_utilisation_min = 0.9\nco2_max_t_per_year = -1_000_000\n");
    let (_dir, _, run) = solve_to_no_plan(&park);
    assert!(
        run.stderr
            .contains("waste-heat utilisation can reach at most 50.0 % of the 90.0 % target"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("heat source 'flue-heat' goes unused: what takes it within reach is full (cement-steam)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "CO2 can come down to -24,000 t/yr at best, above the cap of -1,000,000 t/yr\n  - every abatement within reach is already in the plan"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn targets_out_of_range_are_rejected_by_check() {
    let (_park_dir, park) =
        tiny_with("[targets]\nsolid_waste_utilisation_min = 95\ncapex_budget_cny = -1\n");
    let run = ecopark(&["check", arg(&park)]).expect_code(2);
    for field in ["solid_waste_utilisation_min", "capex_budget_cny"] {
        assert!(
            run.stderr.contains(field) || run.stdout.contains(field),
            "{field}: {}{}",
            run.stdout,
            run.stderr
        );
    }
}

#[test]
fn a_project_beyond_the_budget_is_named_as_what_limits_utilisation() {
    // Without the 20 M CNY classifier the cement plant takes 60 of the
    // 100 kt of fly ash; a 5 M budget cannot pay for the classifier.
    let (_park_dir, park) =
        tiny_with("[targets]\nsolid_waste_utilisation_min = 1.0\ncapex_budget_cny = 5_000_000\n");
    let (_dir, _, run) = solve_to_no_plan(&park);
    assert!(
        run.stderr.contains(
            "solid-waste utilisation can reach at most 60.0 % of the 100.0 % target\n  - 40,000 t/yr of fly_ash (from fly-ash) stays in disposal: what takes it within reach is full (cement-scm); classifier not built: beyond the capital budget of 5,000,000 CNY"
        ),
        "{}",
        run.stderr
    );
}

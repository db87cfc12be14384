//! The decision-analysis commands on every shipped park: each writes its
//! table, its full result and (where it has one) its figure, the same
//! bytes whatever the number of worker threads; bad requests exit 2.

use crate::util::*;
use std::path::Path;

/// Runs `ecopark <command> PARK --out DIR <extra>` and returns the folder.
fn analyse(command: &str, park: &Path, extra: &[&str], jobs: &str) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let mut args = vec![command, arg(park), "--out", arg(&out), "--jobs", jobs];
    args.extend_from_slice(extra);
    let run = ecopark(&args).expect_code(0);
    (dir, run)
}

fn read(dir: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(dir.path().join("out").join(name))
        .unwrap_or_else(|e| panic!("{name} was not written: {e}"))
}

fn assert_svg(text: &str, name: &str) {
    let document =
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name} is not XML: {e}"));
    assert_eq!(document.root_element().tag_name().name(), "svg", "{name}");
}

/// The first project id of a park file.
fn first_project(park: &Path) -> String {
    let value: toml::Value = toml::from_str(&std::fs::read_to_string(park).unwrap()).unwrap();
    value["project"][0]["id"].as_str().unwrap().to_string()
}

#[test]
fn every_analysis_runs_on_every_shipped_park() {
    for park in shipped_parks() {
        let project = first_project(&park);
        let cases: [(&str, Vec<&str>, &str, Option<&str>); 7] = [
            ("robustness", vec![], "robustness", None),
            ("fairness", vec![], "fairness", None),
            (
                "pareto",
                vec!["--points", "4"],
                "pareto",
                Some("pareto.svg"),
            ),
            ("sweep", vec!["--carbon-price", "0:100:200"], "sweep", None),
            (
                "subsidies",
                vec!["--budget", "5000000"],
                "subsidies",
                Some("macc.svg"),
            ),
            ("project", vec![project.as_str()], "", None),
            (
                "sensitivity",
                vec!["--percent", "20"],
                "sensitivity",
                Some("tornado.svg"),
            ),
        ];
        for (command, extra, stem, svg) in cases {
            let (dir, run) = analyse(command, &park, &extra, "2");
            let stem = if stem.is_empty() {
                format!("project-{project}")
            } else {
                stem.to_string()
            };
            let csv = read(&dir, &format!("{stem}.csv"));
            assert!(
                csv.lines().count() >= 2,
                "{command} on {}: {csv}",
                park.display()
            );
            let json: serde_json::Value =
                serde_json::from_str(&read(&dir, &format!("{stem}.json"))).unwrap();
            assert!(json.is_object(), "{command}");
            if let Some(svg) = svg {
                assert_svg(&read(&dir, svg), svg);
            }
            assert!(run.stdout.contains("wrote"), "{command}: {}", run.stdout);
        }
    }
}

#[test]
fn analyses_write_the_same_bytes_on_one_thread_and_on_two() {
    let park = repo_root().join("parks/tangshan-caofeidian/park.toml");
    for (command, extra, file) in [
        ("pareto", vec!["--points", "5"], "pareto.json"),
        ("subsidies", vec![], "subsidies.json"),
        ("sensitivity", vec![], "tornado.svg"),
    ] {
        let (one, _) = analyse(command, &park, &extra, "1");
        let (two, _) = analyse(command, &park, &extra, "2");
        assert_eq!(read(&one, file), read(&two, file), "{command}");
    }
}

#[test]
fn the_pareto_front_runs_from_cheapest_to_cleanest_with_a_knee() {
    let park = repo_root().join("parks/tangshan-caofeidian/park.toml");
    let (dir, _) = analyse("pareto", &park, &["--points", "5"], "2");
    let front: serde_json::Value = serde_json::from_str(&read(&dir, "pareto.json")).unwrap();
    let points = front["points"].as_array().unwrap();
    assert!(points.len() >= 2);
    let co2: Vec<f64> = points
        .iter()
        .map(|p| p["co2_t_per_year"].as_f64().unwrap())
        .collect();
    let cost: Vec<f64> = points
        .iter()
        .map(|p| p["cost_cny_per_year"].as_f64().unwrap())
        .collect();
    assert!(
        co2.windows(2).all(|w| w[1] <= w[0] + 1e-6),
        "CO2 falls along the front: {co2:?}"
    );
    assert!(
        cost.windows(2).all(|w| w[1] >= w[0] - 1e-3),
        "cost rises along the front: {cost:?}"
    );
    assert_eq!(points.iter().filter(|p| p["knee"] == true).count(), 1);
}

#[test]
fn bad_analysis_requests_exit_2_with_a_reason() {
    let park = repo_root().join("parks/tiny/park.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = ecopark(&["project", arg(&park), "clasifier", "--out", arg(&out)]).expect_code(2);
    assert!(
        run.stderr.contains("classifier"),
        "suggests the known id: {}",
        run.stderr
    );
    let run = ecopark(&["pareto", arg(&park), "--points", "1", "--out", arg(&out)]).expect_code(2);
    assert!(run.stderr.contains("--points"), "{}", run.stderr);
    let run = ecopark(&[
        "sweep",
        arg(&park),
        "--carbon-price",
        "100:0:50",
        "--out",
        arg(&out),
    ])
    .expect_code(2);
    assert!(run.stderr.contains("START:STEP:END"), "{}", run.stderr);
    let run = ecopark(&["subsidies", arg(&park), "--budget=-5", "--out", arg(&out)]).expect_code(2);
    assert!(run.stderr.contains("--budget"), "{}", run.stderr);
    assert!(!out.exists(), "nothing is written for a bad request");
}

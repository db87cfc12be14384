//! `ecopark report` and `solve --report`: a self-contained HTML report and
//! deterministic, well-formed figures for every shipped park.

use crate::util::*;
use std::path::Path;

fn report_files(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_shipped_park_gets_a_complete_report() {
    for park in shipped_parks() {
        let (dir, plan, _) = solve_to_temp(&park, &["--report"]);
        let out = dir.path().join("out");
        for name in [
            "report.html",
            "report.md",
            "map.svg",
            "flows.svg",
            "waterfall.svg",
            "scorecard.svg",
        ] {
            assert!(
                report_files(&out).contains(&name.to_string()),
                "{name} for {}",
                park.display()
            );
        }
        for svg in ["map.svg", "flows.svg", "waterfall.svg", "scorecard.svg"] {
            let text = std::fs::read_to_string(out.join(svg)).unwrap();
            let document = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{svg} of {} is not XML: {e}", park.display()));
            assert_eq!(document.root_element().tag_name().name(), "svg");
        }
        let map = std::fs::read_to_string(out.join("map.svg")).unwrap();
        let park_text = std::fs::read_to_string(&park).unwrap();
        let value: toml::Value = toml::from_str(&park_text).unwrap();
        for plant in value["plant"].as_array().unwrap() {
            let id = plant["id"].as_str().unwrap();
            assert!(
                map.contains(id),
                "plant {id} on the map of {}",
                park.display()
            );
        }
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        // The SVG namespace is a name, not a reference; nothing else may point outside.
        let html = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for forbidden in ["http://", "https://", "<script", "<link", "src=", "@import"] {
            assert!(
                !html.contains(forbidden),
                "report.html of {} has {forbidden}",
                park.display()
            );
        }
        let saving = plan["change"]["cost_cny_per_year"].as_f64().unwrap() / 1e6;
        assert!(
            html.contains(&format!("{saving:+.2} M CNY/yr")),
            "headline cost change in {}",
            park.display()
        );
        let flows = std::fs::read_to_string(out.join("flows.svg")).unwrap();
        let first = &plan["links"][0];
        assert!(
            flows.contains(first["from_id"].as_str().unwrap()),
            "flows of {}",
            park.display()
        );
    }
}

#[test]
fn the_report_command_rebuilds_the_same_figures_from_plan_json() {
    let park = repo_root().join("parks/ningdong-chemical/park.toml");
    let (dir, _, _) = solve_to_temp(&park, &["--report"]);
    let out = dir.path().join("out");
    let again = dir.path().join("again");
    ecopark(&[
        "report",
        arg(&out.join("plan.json")),
        arg(&park),
        "--out",
        arg(&again),
    ])
    .expect_code(0);
    for name in [
        "map.svg",
        "flows.svg",
        "waterfall.svg",
        "scorecard.svg",
        "report.html",
        "report.md",
    ] {
        let a = std::fs::read(out.join(name)).unwrap();
        let b = std::fs::read(again.join(name)).unwrap();
        assert!(a == b, "{name} differs between solve --report and report");
    }
}

#[test]
fn png_figures_are_written_on_request() {
    let park = repo_root().join("parks/tiny/park.toml");
    let (dir, _, _) = solve_to_temp(&park, &["--report", "--format", "png"]);
    let out = dir.path().join("out");
    for name in ["map.png", "flows.png", "waterfall.png", "scorecard.png"] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{name} is a PNG");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("](map.png)"), "{md}");
}

#[test]
fn user_text_is_escaped_in_html_and_svg() {
    let tiny = std::fs::read_to_string(repo_root().join("parks/tiny/park.toml"))
        .unwrap()
        .replace("name = \"tiny\"", "name = \"<script>alert(1)</script>\"")
        .replace("name = \"电厂 A\"", "name = \"A & <b>B</b>\"");
    let (_dir, path) = temp_file("park.toml", &tiny);
    let (dir, _, _) = solve_to_temp(&path, &["--report"]);
    let out = dir.path().join("out");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>"), "park name escaped in HTML");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let map = std::fs::read_to_string(out.join("map.svg")).unwrap();
    assert!(
        map.contains("A &amp; &lt;b&gt;B&lt;/b&gt;"),
        "plant name escaped in SVG"
    );
    roxmltree::Document::parse(&map).expect("still well-formed XML");
}

#[test]
fn a_plan_that_does_not_verify_gets_no_report() {
    let park = repo_root().join("parks/tiny/park.toml");
    let (dir, mut plan, _) = solve_to_temp(&park, &[]);
    plan["links"][0]["sent"] = 1.0.into();
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string(&plan).unwrap()).unwrap();
    let out = dir.path().join("report");
    let run = ecopark(&["report", arg(&edited), arg(&park), "--out", arg(&out)]).expect_code(2);
    assert!(run.stderr.contains("does not verify"), "{}", run.stderr);
    assert!(!out.exists());
}

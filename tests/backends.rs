//! Both backends on every shipped park: same objective to the gap.

#[cfg(feature = "highs")]
use crate::util::*;

#[test]
#[cfg(feature = "highs")]
fn highs_and_microlp_agree_on_every_shipped_park() {
    for park in shipped_parks() {
        let (_a, highs, _) = solve_to_temp(&park, &["--solver", "highs", "--profile", "exact"]);
        let (_b, microlp, _) = solve_to_temp(&park, &["--solver", "microlp", "--profile", "exact"]);
        let h = highs["plan"]["objective_cny_per_year"].as_f64().unwrap();
        let m = microlp["plan"]["objective_cny_per_year"].as_f64().unwrap();
        assert!(
            (h - m).abs() <= 1e-6 * h.abs().max(1.0) + 1.0,
            "{}: highs {h} vs microlp {m}",
            park.display()
        );
        assert_eq!(highs["solver"]["backend"], "highs");
        assert_eq!(microlp["solver"]["backend"], "microlp");
    }
}

#[test]
#[cfg(not(feature = "highs"))]
fn default_build_uses_microlp() {
    let park = crate::util::repo_root().join("parks/tiny/park.toml");
    let (_dir, plan, _) = crate::util::solve_to_temp(&park, &[]);
    assert_eq!(plan["solver"]["backend"], "microlp");
}

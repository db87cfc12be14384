//! Work beyond one park through the real command: synthetic regions that
//! fall apart into independent components, the model exported for other
//! solvers, and sharded, resumable batches merged into one table.

use crate::util::*;

#[test]
fn a_generated_region_is_repeatable_valid_and_solved_by_components() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        ecopark(&[
            "generate",
            "--plants",
            "60",
            "--seed",
            "5",
            "--out",
            arg(out),
        ])
        .expect_code(0);
    }
    let text = std::fs::read(a.join("park.toml")).unwrap();
    assert_eq!(
        text,
        std::fs::read(b.join("park.toml")).unwrap(),
        "same seed, same file"
    );
    let park = a.join("park.toml");
    ecopark(&["check", arg(&park)]).expect_code(0);
    let (_dir, plan, run) = solve_to_temp(&park, &["--profile", "quick"]);
    let components = plan["solver"]["components"].as_u64().unwrap();
    assert!(components > 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("independent components"),
        "{}",
        run.stdout
    );
    assert!(
        plan["solver"]["largest_component_variables"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[test]
fn the_model_is_exported_for_other_solvers() {
    let dir = tempfile::tempdir().unwrap();
    let park = repo_root().join("parks/tiny/park.toml");
    let (mps, lp, names) = (
        dir.path().join("m.mps"),
        dir.path().join("m.lp"),
        dir.path().join("names.csv"),
    );
    ecopark(&[
        "export",
        arg(&park),
        "--mps",
        arg(&mps),
        "--lp",
        arg(&lp),
        "--names",
        arg(&names),
    ])
    .expect_code(0);
    let mps = std::fs::read_to_string(mps).unwrap();
    for section in ["NAME", "ROWS", "COLUMNS", "RHS", "ENDATA"] {
        assert!(mps.contains(section), "{section}");
    }
    let lp = std::fs::read_to_string(lp).unwrap();
    assert!(lp.contains("Minimize") && lp.contains("Subject To") && lp.trim_end().ends_with("End"));
    let names = std::fs::read_to_string(names).unwrap();
    assert!(names.contains("build[classifier]"), "{names}");
    let run = ecopark(&["export", arg(&park)]).expect_code(2);
    assert!(run.stderr.contains("--mps"), "{}", run.stderr);
}

#[test]
fn sharded_batches_merge_into_one_table_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("parks.list");
    let tiny = repo_root().join("parks/tiny/park.toml");
    std::fs::write(
        &list,
        format!(
            "# two scenarios of the tiny park\n{0} name=tiny-cp100\n{0} carbon_price_cny_per_t=0 name=tiny-cp0\n",
            tiny.display()
        ),
    )
    .unwrap();
    let out = dir.path().join("results");
    for shard in ["0/2", "1/2"] {
        let run =
            ecopark(&["batch", arg(&list), "--shard", shard, "--out", arg(&out)]).expect_code(0);
        assert!(run.stdout.contains("planned"), "{}", run.stdout);
    }
    let merged = ecopark(&["merge", arg(&out)]).expect_code(0).stdout;
    let lines: Vec<&str> = merged.lines().collect();
    assert_eq!(lines.len(), 3, "{merged}");
    assert!(
        lines[1].starts_with("tiny-cp0,") && lines[2].starts_with("tiny-cp100,"),
        "{merged}"
    );
    // A second run finds both done and solves nothing.
    let again = ecopark(&["batch", arg(&list), "--out", arg(&out)]).expect_code(0);
    assert!(again.stdout.contains("skipped"), "{}", again.stdout);
    let run = ecopark(&["batch", arg(&list), "--shard", "2/2", "--out", arg(&out)]).expect_code(2);
    assert!(run.stderr.contains("2/2"), "{}", run.stderr);
}

#[test]
fn a_batch_reports_every_list_problem_and_writes_what_solve_writes() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("parks.list");
    let tiny = repo_root().join("parks/tiny/park.toml");
    std::fs::write(
        &list,
        format!("{0} scale.capx=1.3\n{0} discount_rate=8%\n", tiny.display()),
    )
    .unwrap();
    let out = dir.path().join("results");
    let run = ecopark(&["batch", arg(&list), "--out", arg(&out)]).expect_code(2);
    let shown = list.display();
    for expected in [
        format!("{shown}:1: 'scale.capx=1.3': unknown override 'scale.capx'; did you mean 'scale.capex'?"),
        format!("{shown}:2: 'discount_rate=8%': discount_rate must be a fraction from 0 to 0.5, got '8%'"),
        format!("{shown}: 2 error(s)"),
    ] {
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }
    assert!(!out.exists(), "nothing solved");

    std::fs::write(
        &list,
        format!(
            "{0} name=tiny\n{0} scale.carbon_price=2000 name=dear\n",
            tiny.display()
        ),
    )
    .unwrap();
    let run = ecopark(&["batch", arg(&list), "--out", arg(&out)]).expect_code(2);
    assert!(
        run.stdout.contains("line 2: dear: invalid: ")
            && run.stdout.contains(
                "with scale.carbon_price=2000: line 6: error: [park]: carbon_price_cny_per_t must be a finite number from 0 to 100000, got 200000"
            ),
        "{}",
        run.stdout
    );
    for file in [
        "plan.json",
        "links.csv",
        "projects.csv",
        "firms.csv",
        "summary.json",
    ] {
        assert!(out.join("tiny").join(file).is_file(), "{file}");
    }
    let (solved, _, _) = solve_to_temp(&tiny, &[]);
    assert_eq!(
        std::fs::read_to_string(out.join("tiny/firms.csv")).unwrap(),
        std::fs::read_to_string(solved.path().join("out/firms.csv")).unwrap(),
        "the firms.csv solve writes"
    );
}

//! Outputs never overwrite inputs and land as one set (issue 12, findings
//! 1–8 and batch's skip rule): each test runs the real command the way the
//! red-team pass did, in a temporary folder.

use crate::util::{arg, ecopark, repo_root};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

fn tiny() -> PathBuf {
    repo_root().join("parks/tiny/park.toml")
}

/// Tiny at another carbon price, named `tiny-b`: another park, another plan.
fn variant(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(tiny()).unwrap();
    let text = text
        .replacen("name = \"tiny\"", "name = \"tiny-b\"", 1)
        .replacen(
            "carbon_price_cny_per_t = 100",
            "carbon_price_cny_per_t = 300",
            1,
        );
    let path = dir.join("variant/park.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// Tiny as a JSON park file at `path`.
fn tiny_as_json(path: &Path) {
    let text = std::fs::read_to_string(tiny()).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
}

fn sha256(path: &Path) -> String {
    ecopark::report::manifest::sha256_file(path).unwrap()
}

fn manifest(dir: &Path) -> Option<ecopark::report::manifest::Manifest> {
    ecopark::report::manifest::Manifest::read(&dir.join("manifest.json"))
}

/// Names in `dir` that are ecopark temporaries.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with('.') || name.ends_with(".tmp"))
        .collect()
}

fn solve_command(park: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ecopark"));
    command
        .args(["solve", arg(park), "--out", arg(out), "--report", "--quiet"])
        .current_dir(repo_root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    command
}

#[test]
fn export_never_writes_over_its_park_nor_a_file_that_is_there() {
    // Finding 1: `export p.toml --lp p.toml` overwrote the park, exit 0.
    let dir = tempfile::tempdir().unwrap();
    let park = dir.path().join("p.toml");
    std::fs::copy(tiny(), &park).unwrap();
    let text = std::fs::read_to_string(&park).unwrap();
    let run = ecopark(&["export", arg(&park), "--lp", arg(&park)]).expect_code(2);
    assert!(
        run.stderr.contains("refusing to write") && run.stderr.contains("it is the input"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&park).unwrap(), text);
    // The same file by another name (a hard link), even with --force.
    let link = dir.path().join("link.lp");
    std::fs::hard_link(&park, &link).unwrap();
    ecopark(&["export", arg(&park), "--lp", arg(&link), "--force"]).expect_code(2);
    assert_eq!(std::fs::read_to_string(&park).unwrap(), text);
    // Two outputs on one path.
    let lp = dir.path().join("model.lp");
    let run = ecopark(&["export", arg(&park), "--lp", arg(&lp), "--mps", arg(&lp)]).expect_code(2);
    assert!(run.stderr.contains("are one file"), "{}", run.stderr);
    // A file that is there is replaced only with --force.
    std::fs::write(&lp, "mine").unwrap();
    let run = ecopark(&["export", arg(&park), "--lp", arg(&lp)]).expect_code(2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&lp).unwrap(), "mine");
    ecopark(&["export", arg(&park), "--lp", arg(&lp), "--force"]).expect_code(0);
    assert!(std::fs::read_to_string(&lp).unwrap().contains("Minimize"));
}

#[test]
fn generate_never_replaces_a_park_file_without_force() {
    // Finding 2: `generate --out DIR` silently replaced DIR/park.toml.
    let dir = tempfile::tempdir().unwrap();
    let park = dir.path().join("park.toml");
    std::fs::write(&park, "# hand-written\n").unwrap();
    let run = ecopark(&["generate", "--plants", "4", "--out", arg(dir.path())]).expect_code(2);
    assert!(
        run.stderr.contains("park.toml") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&park).unwrap(), "# hand-written\n");
    ecopark(&[
        "generate",
        "--plants",
        "4",
        "--out",
        arg(dir.path()),
        "--force",
    ])
    .expect_code(0);
    assert!(std::fs::read_to_string(&park)
        .unwrap()
        .contains("[[plant]]"));
}

#[test]
fn no_command_writes_over_a_park_named_like_its_output() {
    // Finding 3: `solve jp/plan.json --out jp` replaced the park with the plan.
    let dir = tempfile::tempdir().unwrap();
    let jp = dir.path().join("jp");
    for (command, name) in [("solve", "plan.json"), ("pareto", "pareto.json")] {
        let park = jp.join(name);
        tiny_as_json(&park);
        let before = std::fs::read(&park).unwrap();
        let run = ecopark(&[command, arg(&park), "--out", arg(&jp), "--quiet"]).expect_code(2);
        assert!(
            run.stderr
                .contains(&format!("refusing to write {}", park.display()))
                && run
                    .stderr
                    .contains(&format!("it is the input {}", park.display())),
            "{command}: {}",
            run.stderr
        );
        assert_eq!(std::fs::read(&park).unwrap(), before, "{command}");
    }
    // A solver profile that is, by a hard link, the plan.json to be written.
    let profiled = dir.path().join("profiled");
    ecopark(&["solve", arg(&tiny()), "--out", arg(&profiled), "--quiet"]).expect_code(0);
    let profile = dir.path().join("profile.toml");
    std::fs::copy(repo_root().join("solvers/quick.toml"), &profile).unwrap();
    let profile_text = std::fs::read_to_string(&profile).unwrap();
    std::fs::remove_file(profiled.join("plan.json")).unwrap();
    std::fs::hard_link(&profile, profiled.join("plan.json")).unwrap();
    let run = ecopark(&[
        "solve",
        arg(&tiny()),
        "--out",
        arg(&profiled),
        "--profile",
        arg(&profile),
        "--quiet",
    ])
    .expect_code(2);
    assert!(run.stderr.contains("it is the input"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&profile).unwrap(), profile_text);
    // `report` with its plan where report.html would go.
    let out = dir.path().join("out");
    ecopark(&["solve", arg(&tiny()), "--out", arg(&out), "--quiet"]).expect_code(0);
    let plan = out.join("report.html");
    std::fs::rename(out.join("plan.json"), &plan).unwrap();
    let before = std::fs::read(&plan).unwrap();
    let run = ecopark(&["report", arg(&plan), arg(&tiny()), "--out", arg(&out)]).expect_code(2);
    assert!(run.stderr.contains("it is the input"), "{}", run.stderr);
    assert_eq!(std::fs::read(&plan).unwrap(), before);
    // `batch` with its list where an item's summary.json would go.
    let results = dir.path().join("results");
    let list = results.join("tiny/summary.json");
    std::fs::create_dir_all(list.parent().unwrap()).unwrap();
    let park = repo_root().join("parks/tiny/park.toml");
    std::fs::write(&list, format!("{} name=tiny\n", park.display())).unwrap();
    let before = std::fs::read(&list).unwrap();
    let run = ecopark(&["batch", arg(&list), "--out", arg(&results)]).expect_code(2);
    assert!(run.stdout.contains("it is the input"), "{}", run.stdout);
    assert_eq!(std::fs::read(&list).unwrap(), before);
}

#[test]
fn a_symlink_planted_in_the_output_folder_is_never_written_through() {
    // Finding 4: temporary files had predictable names opened with a
    // plain create that follows symlinks.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    #[cfg(unix)]
    for name in [
        ".plan.json.tmp",
        ".plan.json.1.tmp",
        ".ecopark-plan.json-.tmp",
        ".ecopark-set-",
    ] {
        std::os::unix::fs::symlink(&victim, out.join(name)).unwrap();
    }
    ecopark(&["solve", arg(&tiny()), "--out", arg(&out), "--quiet"]).expect_code(0);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(manifest(&out).unwrap().is_complete_in(&out));
}

#[test]
fn a_solve_set_has_a_manifest_and_a_second_solve_into_the_folder_just_works() {
    // Finding 5's set and its manifest: the fields, the hashes, no
    // timestamps (the same bytes twice), and a re-run needs no --force.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ecopark(&["solve", arg(&tiny()), "--out", arg(&out), "--report"]).expect_code(0);
    let first = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(json["park_path"], arg(&tiny()));
    assert_eq!(json["park_sha256"], sha256(&tiny()));
    assert_eq!(json["overrides"], serde_json::json!([]));
    assert_eq!(json["plan_sha256"], sha256(&out.join("plan.json")));
    assert_eq!(json["ecopark_version"], env!("CARGO_PKG_VERSION"));
    let files = json["files"].as_array().unwrap();
    assert!(files.len() >= 10, "{first}");
    for file in files {
        let name = file["name"].as_str().unwrap();
        assert_eq!(file["sha256"], sha256(&out.join(name)), "{name}");
    }
    let run = ecopark(&["solve", arg(&tiny()), "--out", arg(&out), "--report"]).expect_code(0);
    assert!(run.stdout.contains("manifest.json"), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(out.join("manifest.json")).unwrap(),
        first
    );
    // A file ecopark did not write is not replaced without --force.
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    let run = ecopark(&["solve", arg(&tiny()), "--out", arg(&out)]).expect_code(2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    ecopark(&["solve", arg(&tiny()), "--out", arg(&out), "--force"]).expect_code(0);
    assert!(manifest(&out).unwrap().is_complete_in(&out));
}

#[test]
fn two_solves_into_one_folder_leave_one_complete_set() {
    // Finding 5: two solves into one --out at once mixed their files.
    let dir = tempfile::tempdir().unwrap();
    let other = variant(dir.path());
    let parks = [tiny(), other];
    let hashes = [sha256(&parks[0]), sha256(&parks[1])];
    for round in 0..10 {
        let out = dir.path().join(format!("out-{round}"));
        let children: Vec<Child> = parks
            .iter()
            .map(|park| {
                let mut command = solve_command(park, &out);
                command.stderr(std::process::Stdio::piped());
                command.spawn().unwrap()
            })
            .collect();
        let mut succeeded = 0;
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            match output.status.code() {
                Some(0) => succeeded += 1,
                Some(2) => assert!(
                    stderr.contains("another ecopark is writing into"),
                    "round {round}: {stderr}"
                ),
                code => panic!("round {round}: exit {code:?}: {stderr}"),
            }
        }
        assert!(succeeded >= 1, "round {round}");
        let set = manifest(&out).unwrap();
        assert!(set.is_complete_in(&out), "round {round}: a mix");
        assert!(hashes.contains(&set.park_sha256), "round {round}");
        let plan = std::fs::read_to_string(out.join("plan.json")).unwrap();
        let price = if set.park_sha256 == hashes[0] {
            100
        } else {
            300
        };
        assert!(
            plan.contains(&format!("\"carbon_price_cny_per_t\": {price}")),
            "round {round}: plan.json of the park the manifest names"
        );
        assert!(temporaries(&out).is_empty(), "round {round}");
    }
}

/// Splitmix64 draws: the same delays on every run.
fn draws(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[test]
fn a_solve_killed_at_any_moment_leaves_the_old_set_or_the_new_one() {
    // Finding 7: kill -9 during the write phase left a new plan.json
    // beside old CSVs and report, and a partial temporary for good.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let parks = [tiny(), variant(dir.path())];
    let started = std::time::Instant::now();
    let status = solve_command(&parks[1], &out).status().unwrap();
    assert!(status.success());
    // Delays spread over a whole run (measured, not asserted).
    let run_us = (started.elapsed().as_micros() as u64).max(1_000) * 5 / 4;
    let mut next = draws(12);
    let mut interrupted = 0;
    for round in 0..30 {
        let park = &parks[round % 2];
        let mut child = solve_command(park, &out).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_micros(next() % run_us));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap_or_default();
        child.wait().unwrap();
        interrupted += usize::from(!finished);
        match manifest(&out) {
            Some(set) => assert!(set.is_complete_in(&out), "round {round}: a mix"),
            None => {
                // Killed while moving the files into place: the complete
                // new set waits in its temporary folder for the next run.
                let waiting = temporaries(&out)
                    .iter()
                    .any(|name| out.join(name).join("manifest.json").is_file());
                assert!(waiting, "round {round}: no set at all");
            }
        }
    }
    assert!(interrupted > 0, "some runs were killed before their end");
    assert!(solve_command(&parks[0], &out).status().unwrap().success());
    let set = manifest(&out).unwrap();
    assert!(set.is_complete_in(&out));
    assert_eq!(set.park_sha256, sha256(&parks[0]));
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

#[test]
fn a_failed_write_leaves_the_old_set_as_it_was() {
    // Finding 7: with links.csv a folder, solve exited 2 with the new
    // plan.json beside the old files.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ecopark(&["solve", arg(&tiny()), "--out", arg(&out), "--quiet"]).expect_code(0);
    let before = std::fs::read(out.join("manifest.json")).unwrap();
    std::fs::remove_file(out.join("links.csv")).unwrap();
    std::fs::create_dir(out.join("links.csv")).unwrap();
    let other = variant(dir.path());
    let run = ecopark(&["solve", arg(&other), "--out", arg(&out), "--quiet"]).expect_code(2);
    assert!(run.stderr.contains("links.csv"), "{}", run.stderr);
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), before);
    let set = manifest(&out).unwrap();
    assert_eq!(set.park_sha256, sha256(&tiny()), "the old set's plan");
    assert_eq!(
        set.hash_of("plan.json"),
        Some(sha256(&out.join("plan.json")).as_str())
    );
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

#[test]
fn a_report_shows_only_figures_drawn_for_its_park_and_plan() {
    // Finding 6: a report embedded another park's analysis figures left
    // in the same folder.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let other = variant(dir.path());
    ecopark(&["solve", arg(&tiny()), "--out", arg(&out), "--quiet"]).expect_code(0);
    ecopark(&["pareto", arg(&other), "--out", arg(&out), "--quiet"]).expect_code(0);
    let plan = out.join("plan.json");
    let run = ecopark(&["report", arg(&plan), arg(&tiny()), "--out", arg(&out)]).expect_code(0);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("tiny-b"), "another park's figure inlined");
    assert!(
        run.stderr.contains("pareto.svg is left out of the report")
            && run.stderr.contains("drawn for another park"),
        "{}",
        run.stderr
    );
    let run = ecopark(&["solve", arg(&tiny()), "--out", arg(&out), "--report"]).expect_code(0);
    assert!(
        run.stderr.contains("drawn for another park"),
        "{}",
        run.stderr
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("tiny-b"), "solve --report inlined it");
    // The same park's analysis, beside this plan, is shown.
    ecopark(&["pareto", arg(&tiny()), "--out", arg(&out), "--quiet"]).expect_code(0);
    let run = ecopark(&["report", arg(&plan), arg(&tiny()), "--out", arg(&out)]).expect_code(0);
    assert!(!run.stderr.contains("left out"), "{}", run.stderr);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Cost–CO2 trade-off of tiny"));
    // The report joined the solve's set: both are in the manifest.
    let set = manifest(&out).unwrap();
    assert!(set.is_complete_in(&out));
    assert!(set.hash_of("plan.json").is_some() && set.hash_of("report.html").is_some());
    // A report of another plan would replace the folder's set: refused.
    let elsewhere = dir.path().join("elsewhere");
    ecopark(&["solve", arg(&other), "--out", arg(&elsewhere), "--quiet"]).expect_code(0);
    let other_plan = elsewhere.join("plan.json");
    let run =
        ecopark(&["report", arg(&other_plan), arg(&other), "--out", arg(&out)]).expect_code(2);
    assert!(
        run.stderr.contains("another park or plan"),
        "{}",
        run.stderr
    );
    assert!(out.join("plan.json").is_file() && manifest(&out).unwrap().is_complete_in(&out));
}

#[test]
fn an_unwritable_out_fails_before_the_solve() {
    // Finding 8: an unwritable --out was reported only after the solve.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let out = blocker.join("out");
    // A park whose targets cannot be met: a solve would say "no plan".
    let park = dir.path().join("goals.toml");
    let text = std::fs::read_to_string(tiny()).unwrap()
        + "\n[targets]\nwaste_heat_utilisation_min = 0.9\n";
    std::fs::write(&park, text).unwrap();
    let run = ecopark(&["solve", arg(&park), "--out", arg(&out)]).expect_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("no plan"),
        "solved first: {}",
        run.stderr
    );
    let run = ecopark(&["pareto", arg(&tiny()), "--out", arg(&out)]).expect_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "analysed first: {}", run.stdout);
}

#[test]
fn batch_runs_again_an_item_whose_files_or_park_changed() {
    // Finding 10, batch's part: an edited summary.json and a park edited
    // after its run were skipped as done.
    let dir = tempfile::tempdir().unwrap();
    let park = dir.path().join("tiny/park.toml");
    std::fs::create_dir_all(park.parent().unwrap()).unwrap();
    std::fs::copy(tiny(), &park).unwrap();
    let list = dir.path().join("parks.list");
    std::fs::write(&list, "tiny/park.toml\n").unwrap();
    let out = dir.path().join("results");
    let batch = || ecopark(&["batch", arg(&list), "--out", arg(&out), "--quiet"]);
    assert!(!batch()
        .expect_code(0)
        .stdout
        .contains("done before, skipped"));
    assert!(batch()
        .expect_code(0)
        .stdout
        .contains("done before, skipped"));
    let summary = out.join("tiny/summary.json");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, text.replace("\"planned\"", "\"planned\" ")).unwrap();
    assert!(
        !batch()
            .expect_code(0)
            .stdout
            .contains("done before, skipped"),
        "edited summary"
    );
    let again = std::fs::read_to_string(&summary).unwrap();
    assert!(again.contains("\"planned\",") && !again.contains("\"planned\" "));
    let edited = std::fs::read_to_string(&park).unwrap().replacen(
        "t_per_year = 100000",
        "t_per_year = 900000",
        1,
    );
    std::fs::write(&park, edited).unwrap();
    let run = batch();
    assert!(
        !run.stdout.contains("done before, skipped"),
        "edited park: {}",
        run.stdout
    );
}

/// A second red-team pass: `--force` replaced a named pipe (and, run as
/// root, `/dev/null`) with a regular file. What is not a file or a link is
/// never replaced.
#[test]
fn a_named_pipe_or_device_in_an_outputs_place_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("model.lp");
    let made = Command::new("mkfifo").arg(&pipe).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo makes a named pipe");
    let run = ecopark(&["export", arg(&tiny()), "--lp", arg(&pipe), "--force"]).expect_code(2);
    assert!(
        run.stderr
            .contains("a folder, a device or a named pipe is in its place"),
        "{}",
        run.stderr
    );
    let kind = std::fs::symlink_metadata(&pipe).unwrap().file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind),
        "still a pipe"
    );
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let links = out.join("links.csv");
    assert!(Command::new("mkfifo")
        .arg(&links)
        .status()
        .unwrap()
        .success());
    let run = ecopark(&[
        "solve",
        arg(&tiny()),
        "--out",
        arg(&out),
        "--force",
        "--quiet",
    ]);
    run.expect_code(2);
    let kind = std::fs::symlink_metadata(&links).unwrap().file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind),
        "still a pipe"
    );
}

/// A second red-team pass: with `--force`, one batch item's outputs
/// replaced another item's park (a JSON park named `plan.json` in the
/// folder of an item listed after it). Every park of the list is an input
/// of every item.
#[test]
fn batch_never_writes_over_another_items_park() {
    let dir = tempfile::tempdir().unwrap();
    let park = dir.path().join("a").join("plan.json");
    tiny_as_json(&park);
    let before = sha256(&park);
    std::fs::copy(tiny(), dir.path().join("tiny.toml")).unwrap();
    let list = dir.path().join("parks.list");
    std::fs::write(&list, "a/plan.json name=b\ntiny.toml name=a\n").unwrap();
    let args = [
        "batch",
        arg(&list),
        "--out",
        arg(dir.path()),
        "--force",
        "--jobs",
        "1",
    ];
    let run = ecopark(&args);
    assert_eq!(sha256(&park), before, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("refusing to write"), "{}", run.stdout);
}

/// A second red-team pass: a list item that is a device was hashed for
/// ever before the park loader's checks.
#[test]
fn a_batch_item_that_is_not_a_file_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("parks.list");
    std::fs::write(&list, "/dev/zero name=zero\n").unwrap();
    let out = dir.path().join("out");
    let run = ecopark(&["batch", arg(&list), "--out", arg(&out)]).expect_code(2);
    assert!(run.stdout.contains("not a regular file"), "{}", run.stdout);
}

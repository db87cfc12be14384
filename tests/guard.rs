//! Bounded flags and inputs, injection and messages (issue 12: findings
//! 11, 13, 15, 16, 17 and its "Messages"): every numeric flag refused out
//! of its range with exit 2, ids and names bounded, what is not a regular
//! file refused, formulas neutralised in CSV, names inert in Markdown and
//! escaped on the terminal; and a property test of random flag values.

use crate::util::*;
use proptest::prelude::*;
use std::path::Path;

/// The tiny park with each `(from, to)` replaced in its text.
fn tiny_with(replacements: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut text = std::fs::read_to_string(repo_root().join("parks/tiny/park.toml")).unwrap();
    for (from, to) in replacements {
        assert!(text.contains(from), "the tiny park holds {from}");
        text = text.replace(from, to);
    }
    temp_file("park.toml", &text)
}

/// The tiny park's path.
fn tiny() -> String {
    arg(&repo_root().join("parks/tiny/park.toml")).to_string()
}

/// Whether `text` holds a run of `n` digits (a number echoed in full).
fn has_digit_run(text: &str, n: usize) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= n {
            return true;
        }
    }
    false
}

// Finding 11: `--time-limit 1e19` panicked in the solver, `--threads
// 4294967295` panicked, `--threads 100000` started 6,013 threads,
// `fairness --jobs 100000` ran on and on, `pareto --points 4000000000`
// aborted on allocation, `generate --plants 10000000` ran out of memory.
#[test]
fn numeric_flags_out_of_range_are_refused_naming_their_range() {
    let dir = tempfile::tempdir().unwrap();
    let out = arg(dir.path());
    let park = tiny();
    let cases: [(&[&str], &str); 14] = [
        (
            &["solve", &park, "--time-limit", "1e19"],
            "--time-limit must be a number > 0 and ≤ 31536000",
        ),
        (
            &["solve", &park, "--time-limit", "0"],
            "--time-limit must be",
        ),
        (
            &["solve", &park, "--threads", "4294967295"],
            "--threads must be a whole number from 0 to",
        ),
        (
            &["solve", &park, "--threads", "100000"],
            "per core of this machine",
        ),
        (
            &["solve", &park, "--mip-gap", "1"],
            "--mip-gap must be a number ≥ 0 and < 1",
        ),
        (
            &["fairness", &park, "--jobs", "100000"],
            "--jobs must be a whole number from 1 to",
        ),
        (
            &["fairness", &park, "--samples", "100000000"],
            "--samples must be a whole number from 4 to 10000",
        ),
        (
            &["pareto", &park, "--points", "4000000000"],
            "--points must be a whole number from 2 to 1000",
        ),
        (
            &[
                "generate",
                "--plants",
                "10000000",
                "--plants-per-park",
                "1000",
                "--out",
                out,
            ],
            "--plants must be a whole number from 1 to 200000",
        ),
        (
            &[
                "generate",
                "--plants",
                "10",
                "--plants-per-park",
                "100000",
                "--out",
                out,
            ],
            "--plants-per-park must be a whole number from 1 to 10000",
        ),
        (
            &["subsidies", &park, "--budget", "1e300"],
            "--budget must be a number ≥ 0 and ≤ 10000000000000",
        ),
        (
            &["subsidies", &park, "--min-load", "2"],
            "--min-load must be",
        ),
        (
            &["sensitivity", &park, "--percent", "100"],
            "--percent must be a number > 0 and < 100",
        ),
        (
            &["batch", "list.txt", "--out", out, "--jobs", "0"],
            "--jobs must be a whole number from 1 to",
        ),
    ];
    for (args, expected) in cases {
        let run = ecopark(args).expect_code(2);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
    assert!(!dir.path().join("park.toml").exists(), "nothing generated");
}

#[test]
fn the_bounds_are_in_the_help() {
    let solve = ecopark(&["solve", "--help"]).expect_code(0).stdout;
    assert!(solve.contains("at most 31536000 (a year)"), "{solve}");
    assert!(solve.contains("0 to 4 per core"), "{solve}");
    let pareto = ecopark(&["pareto", "--help"]).expect_code(0).stdout;
    assert!(pareto.contains("2 to 1000"), "{pareto}");
    let generate = ecopark(&["generate", "--help"]).expect_code(0).stdout;
    assert!(generate.contains("1 to 200000"), "{generate}");
    let sweep = ecopark(&["sweep", "--help"]).expect_code(0).stdout;
    assert!(sweep.contains("at most 1000 steps"), "{sweep}");
}

// Messages: clap's "use '-- -1'" tip for negative values is wrong advice.
#[test]
fn negative_values_are_answered_with_the_range_not_a_tip() {
    let park = tiny();
    for args in [
        ["solve", park.as_str(), "--time-limit", "-1"],
        ["solve", park.as_str(), "--threads", "-1"],
        ["pareto", park.as_str(), "--points", "-3"],
        ["subsidies", park.as_str(), "--budget", "-5"],
    ] {
        let run = ecopark(&args).expect_code(2);
        assert!(!run.stderr.contains("-- -"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("must be"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("got -"), "{args:?}: {}", run.stderr);
    }
}

// Messages: `sweep --carbon-price 0:1:1001` hid the real 1,000-step cap;
// `sweep` accepted 1e300 CNY/t where park files cap the price at 100,000.
#[test]
fn sweep_ranges_name_the_step_and_price_caps() {
    let dir = tempfile::tempdir().unwrap();
    let park = tiny();
    let out = arg(dir.path());
    let steps =
        ecopark(&["sweep", &park, "--carbon-price", "0:1:1001", "--out", out]).expect_code(2);
    assert!(
        steps.stderr.contains("at most 1000 steps"),
        "{}",
        steps.stderr
    );
    let price = ecopark(&[
        "sweep",
        &park,
        "--carbon-price",
        "0:1e299:1e300",
        "--out",
        out,
    ])
    .expect_code(2);
    assert!(
        price.stderr.contains("from 0 to 100000 CNY/t"),
        "{}",
        price.stderr
    );
    assert!(!has_digit_run(&price.stderr, 20), "{}", price.stderr);
    let negative = ecopark(&["sweep", &park, "--carbon-price", "-10:5:20", "--out", out]);
    let negative = negative.expect_code(2);
    assert!(
        negative.stderr.contains("got -10 and 20"),
        "{}",
        negative.stderr
    );
}

// Messages: out-of-range numbers were echoed as 309-digit literals.
#[test]
fn huge_numbers_are_shown_short() {
    let (_dir, park) = tiny_with(&[(
        "carbon_price_cny_per_t = 100",
        "carbon_price_cny_per_t = 1e308",
    )]);
    let run = ecopark(&["check", arg(&park)]).expect_code(2);
    assert!(run.stderr.contains("got 1e308"), "{}", run.stderr);
    assert!(!has_digit_run(&run.stderr, 20), "{}", run.stderr);
    let literal = format!("1{}", "0".repeat(309));
    let flag = ecopark(&["solve", &tiny(), "--time-limit", &literal]).expect_code(2);
    assert!(!has_digit_run(&flag.stderr, 50), "{}", flag.stderr);
    assert!(flag.stderr.contains("(310 characters)"), "{}", flag.stderr);
}

// Messages: OS errors were printed twice ("File exists (os error 17):
// File exists (os error 17)").
#[test]
fn an_os_error_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let park = dir.path().join("missing.toml");
    let run = ecopark(&["check", arg(&park)]).expect_code(2);
    assert_eq!(run.stderr.matches("(os error").count(), 1, "{}", run.stderr);
    let missing = dir.path().join("missing.json");
    let run = ecopark(&["verify", arg(&missing), &tiny()]).expect_code(2);
    assert_eq!(run.stderr.matches("(os error").count(), 1, "{}", run.stderr);
}

// Messages: `check` on a named pipe with no writer blocked forever.
#[test]
fn what_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("park.toml");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    assert!(
        made.is_ok_and(|status| status.success()),
        "mkfifo makes a named pipe"
    );
    let park = tiny();
    for args in [
        vec!["check", arg(&pipe)],
        vec!["check", arg(dir.path())],
        vec!["solve", arg(&pipe), "--out", arg(dir.path())],
        vec!["verify", arg(&pipe), &park],
        vec!["report", arg(dir.path()), &park, "--out", arg(dir.path())],
        vec!["batch", arg(&pipe), "--out", arg(dir.path())],
    ] {
        let run = ecopark(&args).expect_code(2);
        assert!(
            run.stderr.contains("is not a regular file"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

// Finding 13: a 1 GB plan.json was read whole by `verify`.
#[test]
fn a_plan_over_the_cap_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    // Sparse: larger than the cap on paper, nothing on disk.
    let file = std::fs::File::create(&plan).unwrap();
    file.set_len(256 * 1024 * 1024 + 1).unwrap();
    for command in ["verify", "report"] {
        let run = ecopark(&[command, arg(&plan), &tiny()]).expect_code(2);
        assert!(
            run.stderr
                .contains("plan files are limited to 268435456 bytes"),
            "{}",
            run.stderr
        );
    }
}

// Finding 13: a 250 MB plant name took 2.6 GB and wrote 1.3 GB.
#[test]
fn ids_and_names_are_bounded_and_ids_hold_no_control_characters() {
    let long_name = format!("name = \"{}\"", "n".repeat(257));
    let (_a, named) = tiny_with(&[("name = \"电厂 A\"", &long_name)]);
    let run = ecopark(&["check", arg(&named)]).expect_code(2);
    assert!(
        run.stderr
            .contains("plant 'power': name is 257 characters long; a name may have at most 256"),
        "{}",
        run.stderr
    );
    let long_description = format!("description = \"{}\"", "d".repeat(5000));
    let unknown_kind = format!("kind = \"{}\"", "k".repeat(100_000));
    let (_e, described) = tiny_with(&[
        (
            "description = \"Two plants",
            &format!("{long_description}\nold = \"Two plants"),
        ),
        ("kind = \"fly_ash\"", &unknown_kind),
    ]);
    let run = ecopark(&["check", arg(&described)]).expect_code(2);
    assert!(
        run.stderr
            .contains("description is 5000 characters long; a description may have at most 4096"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown waste kind 'kkkk"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.len() < 20_000,
        "the unknown kind is cut: {} bytes",
        run.stderr.len()
    );
    let long_id = format!("id = \"{}\"", "i".repeat(300));
    let (_b, id) = tiny_with(&[("id = \"classifier\"", &long_id)]);
    let run = ecopark(&["check", arg(&id)]).expect_code(2);
    assert!(
        run.stderr
            .contains("id is 300 characters long; ids may have at most 256"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains(&"i".repeat(257)) && run.stderr.contains("… (300 characters)"),
        "the id is cut: {}",
        run.stderr
    );
    let library_id = "[library.heat_supply.\"gas\\u001b[2J\"]\nname = \"x\"\nsource = \"[E]\"\nfuel_cny_per_mwh = 1\nfuel_co2_t_per_mwh = 0\nelectricity_mwh_per_mwh = 0\n\n[library.heat_supply.gas_boiler]";
    let (_d, library) = tiny_with(&[("[library.heat_supply.gas_boiler]", library_id)]);
    let run = ecopark(&["check", arg(&library)]).expect_code(2);
    assert!(
        run.stderr
            .contains("[library.heat_supply.gas\\u{1b}[2J]: holds the control character"),
        "{}",
        run.stderr
    );
    for control in ["\\r", "\\n", "\\u001b[2J", "\\u0007"] {
        let (_c, path) = tiny_with(&[(
            "id = \"classifier\"",
            &format!("id = \"classifier{control}\""),
        )]);
        let run = ecopark(&["check", arg(&path)]).expect_code(2);
        assert!(
            run.stderr.contains("ids may not hold control characters"),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains(['\r', '\u{1b}', '\u{7}']),
            "{:?}",
            run.stderr
        );
    }
}

/// Every cell of every CSV file in `dir`, with its file's name.
fn csv_cells(dir: &Path) -> Vec<(String, String)> {
    let mut cells = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            cells.extend(
                table_cells(&text)
                    .into_iter()
                    .map(|cell| (name.clone(), cell)),
            );
        }
    }
    cells
}

/// The cells of a CSV text.
fn table_cells(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .flat_map(|record| {
            record
                .unwrap()
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether a spreadsheet would take `cell` for a formula.
fn is_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err()
}

const FORMULA_ID: &str = "-2+3+cmd|' /C calc'!A0";

// Finding 15: ids and names starting with `=`, `+`, `-`, `@` were written
// raw into every CSV and the merge table.
#[test]
fn formula_cells_are_neutralised_in_every_csv_and_the_merged_table() {
    let id = format!("id = \"{FORMULA_ID}\"");
    let plant = format!("plant = \"{FORMULA_ID}\"");
    let (dir, park) = tiny_with(&[
        ("id = \"power\"", &id),
        ("plant = \"power\"", &plant),
        (
            "name = \"电厂 A\"",
            "name = '=HYPERLINK(\"http://evil.example\",\"x\")'",
        ),
        ("name = \"粉煤灰分选\"", "name = \"@SUM(A1:A9)\""),
    ]);
    let out = dir.path().join("out");
    ecopark(&["solve", arg(&park), "--out", arg(&out), "--quiet"]).expect_code(0);
    ecopark(&["fairness", arg(&park), "--out", arg(&out)]).expect_code(0);
    let cells = csv_cells(&out);
    let quoted = format!("'{FORMULA_ID}");
    assert!(cells.iter().any(|(_, cell)| *cell == quoted), "{cells:?}");
    let formulas: Vec<_> = cells.iter().filter(|(_, cell)| is_formula(cell)).collect();
    assert!(formulas.is_empty(), "{formulas:?}");
    assert!(
        cells
            .iter()
            .any(|(_, cell)| cell.starts_with('-') && cell.parse::<f64>().is_ok()),
        "numbers stay numbers"
    );

    let list = dir.path().join("list.txt");
    std::fs::write(&list, format!("{}\n", arg(&park))).unwrap();
    let batch = dir.path().join("batch");
    ecopark(&["batch", arg(&list), "--out", arg(&batch)]).expect_code(0);
    let merged = ecopark(&["merge", arg(&batch)]).expect_code(0).stdout;
    let formulas: Vec<_> = table_cells(&merged)
        .into_iter()
        .filter(|c| is_formula(c))
        .collect();
    assert!(formulas.is_empty(), "{formulas:?}\n{merged}");
}

// Finding 16: `report.md` copied names raw.
#[test]
fn names_in_report_md_render_as_text() {
    let (dir, park) = tiny_with(&[
        ("name = \"tiny\"", "name = \"<script>alert(1)</script>\""),
        (
            "name = \"电厂 A\"",
            "name = \"<img src=x onerror=alert(1)>\"",
        ),
        (
            "name = \"粉煤灰分选\"",
            "name = \"![x](http://evil.example/track.png)\"",
        ),
    ]);
    let out = dir.path().join("out");
    ecopark(&[
        "solve",
        arg(&park),
        "--out",
        arg(&out),
        "--quiet",
        "--report",
    ])
    .expect_code(0);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    for live in ["<script>", "<img", "![x]", "[x]("] {
        assert!(!md.contains(live), "{live} is live in:\n{md}");
    }
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(
        md.contains("\\!\\[x\\](http://evil.example/track.png)"),
        "{md}"
    );
}

// Finding 17: names with terminal escape sequences (colours, window title,
// a fake "verified independently" line) were printed raw.
#[test]
fn escape_sequences_in_names_are_shown_not_obeyed_on_the_terminal() {
    let fake = "name = \"tiny\\u001b]0;owned\\u0007\\u001b[32m\\r\\nverified independently: 999 checks passed\"";
    let (dir, park) = tiny_with(&[("name = \"tiny\"", fake)]);
    let check = ecopark(&["check", arg(&park)]).expect_code(0);
    let out = dir.path().join("out");
    let solve = ecopark(&["solve", arg(&park), "--out", arg(&out), "--report"]).expect_code(0);
    for text in [&check.stdout, &solve.stdout, &solve.stderr] {
        assert!(!text.contains(['\u{1b}', '\u{7}', '\r']), "{text:?}");
    }
    // Nor in the report and figures: an ESC would make an SVG a document
    // no viewer opens (XML forbids it).
    for file in [
        "report.html",
        "report.md",
        "map.svg",
        "flows.svg",
        "waterfall.svg",
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(!text.contains(['\u{1b}', '\u{7}']), "{file}");
    }
    assert!(
        solve.stdout.contains("tiny\\u{1b}]0;owned\\u{7}"),
        "{}",
        solve.stdout
    );
    let forged =
        (solve.stdout.lines()).filter(|line| line.starts_with("verified independently: 999"));
    assert_eq!(forged.count(), 0, "{}", solve.stdout);
    // An analysis's summary names the park too, on one line.
    let pareto = ecopark(&["pareto", arg(&park), "--points", "2", "--out", arg(&out)]);
    let pareto = pareto.expect_code(0);
    assert!(
        !pareto.stdout.contains(['\u{1b}', '\u{7}', '\r']),
        "{}",
        pareto.stdout
    );
    let forged = (pareto.stdout.lines()).filter(|line| line.starts_with("verified independently"));
    assert_eq!(forged.count(), 0, "{}", pareto.stdout);
}

/// A flag value within or beyond its range: small in-range values (so that
/// a run on the tiny park is quick), the ends, and values far outside.
fn value(values: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(values).prop_map(str::to_string)
}

const TIME_LIMITS: &[&str] = &[
    "-1", "0", "1e-9", "5", "31536000", "31536001", "1e19", "nan", "inf", "x",
];
const THREADS: &[&str] = &["-1", "0", "1", "2", "4294967295", "4294967296", "1.5"];
const GAPS: &[&str] = &["-0.1", "0", "0.01", "0.999", "1", "1e308"];
const PRICES: &[&str] = &[
    "0:50:100",
    "0:1:1001",
    "-1:1:3",
    "0:0:10",
    "0:1e299:1e300",
    "a:b:c",
    "5",
];
/// Counts: points, samples, jobs, plants (in range only where a run stays quick).
const COUNTS: &[&str] = &[
    "-3",
    "0",
    "1",
    "2",
    "3",
    "12",
    "1001",
    "300000",
    "4000000000",
    "1e30",
    "x",
];
/// Shards of a batch: well formed or not.
const SHARDS: &[&str] = &[
    "0/1",
    "1/2",
    "2/2",
    "0/0",
    "-1/3",
    "4294967296/4294967297",
    "x",
];
/// Money, fractions and percentages.
const REALS: &[&str] = &[
    "-1", "0", "0.5", "1", "20", "99.9", "100", "1e13", "1e300", "nan",
];

/// One of each solver flag's values, in range three times in four so that
/// the commands also run.
fn solver_value(
    good: &'static [&'static str],
    any: &'static [&'static str],
) -> impl Strategy<Value = String> {
    prop_oneof![3 => value(good), 1 => value(any)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    // Issue 12, tests that must hold: every command with random flag
    // values within and beyond their ranges exits 0, 1 or 2, never panics
    // (101).
    #[test]
    fn random_flag_values_exit_0_1_or_2(
        limit in solver_value(&["5", "31536000"], TIME_LIMITS),
        threads in solver_value(&["0", "1", "2"], THREADS),
        gap in solver_value(&["0", "0.01"], GAPS),
        count in value(COUNTS),
        other in value(COUNTS),
        real in value(REALS),
        prices in value(PRICES),
        shard in value(SHARDS),
        command in 0..10usize,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let park = tiny();
        let out = arg(dir.path()).to_string();
        let list = dir.path().join("parks.list");
        std::fs::write(&list, format!("{park}\n")).unwrap();
        let list = arg(&list).to_string();
        let solver = ["--time-limit", &limit, "--threads", &threads, "--mip-gap", &gap, "--quiet"];
        let mut args: Vec<&str> = match command {
            0 => vec!["solve", &park, "--out", &out],
            1 => vec!["pareto", &park, "--out", &out, "--points", &count],
            2 => vec!["sweep", &park, "--out", &out, "--carbon-price", &prices],
            3 => vec!["fairness", &park, "--out", &out, "--samples", &count, "--jobs", &other],
            4 => vec!["subsidies", &park, "--out", &out, "--budget", &real, "--min-load", &real],
            5 => vec!["sensitivity", &park, "--out", &out, "--percent", &real, "--jobs", &count],
            6 => vec!["robustness", &park, "--out", &out, "--jobs", &count],
            7 => vec!["project", &park, "classifier", "--out", &out, "--jobs", &count],
            8 => vec!["batch", &list, "--out", &out, "--shard", &shard, "--jobs", &count],
            _ => vec!["generate", "--out", &out, "--plants", &count, "--plants-per-park", &other, "--seed", &other],
        };
        if command < 9 {
            args.extend(solver);
        }
        let run = ecopark(&args);
        prop_assert!(
            [0, 1, 2].contains(&run.code),
            "{args:?} exited {}:\n{}",
            run.code,
            run.stderr
        );
        prop_assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    }
}

/// A second red-team pass: printing into a closed or full standard output
/// panicked (exit 101). It is an error of the surroundings: exit 2, one line.
#[test]
fn a_full_standard_output_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ecopark"))
        .args(["solve", &tiny(), "--out", arg(dir.path())])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: failed printing to stdout"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

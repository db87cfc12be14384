//! Which backend is faster on a component of which size: the measurement
//! behind `--solver auto`'s choice (`ecopark::solve::MICROLP_MAX_BINARIES`).
//!
//! Splits a generated region into its independent components, solves each
//! with HiGHS (one thread) and with microlp to the same gap, and prints,
//! per band of binaries, how many components there are, the time each
//! backend takes for all of them, and the share microlp solves faster.
//! Figures are in benches/README.md ("Backend per component").
//!
//! `cargo bench --features highs --bench backends` (1,000 plants, seed 7);
//! `ECOPARK_BACKENDS_PLANTS=10000 ECOPARK_BACKENDS_SEED=1` for another
//! region, `ECOPARK_BACKENDS_MIN_BINARIES=400` to time only the components
//! with more binaries than that (`ECOPARK_BACKENDS_MAX_BINARIES` for at most
//! so many), `ECOPARK_BACKENDS_PER_BAND=8` to time at
//! most that many components of each band (the largest first),
//! `ECOPARK_BACKENDS_GAP=0.01` for another relative gap than 0.0001. Each
//! solve has 60 s.

#[cfg(feature = "highs")]
fn main() {
    use ecopark::generate::{generate, to_toml, GenerateOptions};
    use ecopark::solve::{components, solve_unsplit, BackendChoice, SolverConfig};
    use std::time::Instant;

    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let options = GenerateOptions {
        plants: number("ECOPARK_BACKENDS_PLANTS", 1000) as usize,
        seed: number("ECOPARK_BACKENDS_SEED", 7),
        plants_per_park: 12,
    };
    let text = to_toml(&generate(&options).expect("a region")).expect("TOML");
    let loaded = ecopark::input::parse("synthetic region", text, ecopark::input::Format::Toml)
        .expect("it parses");
    let (park, _) = ecopark::validate::validate(&loaded).unwrap_or_else(|r| panic!("{r}"));
    let (_, formulation) = ecopark::pipeline::build(&park);
    let least = number("ECOPARK_BACKENDS_MIN_BINARIES", 0) as usize;
    let mut parts = components::split(&formulation.model);
    let all = parts.len();
    let most = number("ECOPARK_BACKENDS_MAX_BINARIES", u64::MAX) as usize;
    parts.retain(|part| {
        (least == 0 || part.model.binary_count() > least) && part.model.binary_count() <= most
    });
    parts.sort_by_key(|part| std::cmp::Reverse(part.model.binary_count()));
    let per_band = number("ECOPARK_BACKENDS_PER_BAND", u64::MAX) as usize;
    let gap = std::env::var("ECOPARK_BACKENDS_GAP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1e-4);
    let config = |solver| SolverConfig {
        solver,
        mip_gap: gap,
        threads: 1,
        time_limit_s: Some(60.0),
        ..SolverConfig::default()
    };
    let time = |model: &ecopark::formulation::Model, solver| {
        let started = Instant::now();
        let outcome = solve_unsplit(model, &config(solver)).expect("compiled in");
        (started.elapsed().as_secs_f64(), outcome.solver)
    };
    // Upper ends of the bands of binaries.
    const BANDS: [usize; 11] = [0, 25, 50, 100, 200, 400, 800, 1600, 3200, 6400, usize::MAX];
    let mut rows = vec![(0usize, 0.0f64, 0.0f64, 0usize, 0usize); BANDS.len()];
    // microlp's caught numerical failures would print Rust's panic message.
    std::panic::set_hook(Box::new(|_| {}));
    for part in &parts {
        let binaries = part.model.binary_count();
        let band = BANDS.iter().position(|&top| binaries <= top).unwrap_or(0);
        if rows[band].0 >= per_band {
            continue;
        }
        let (highs, highs_report) = time(&part.model, BackendChoice::Highs);
        let (microlp, microlp_report) = time(&part.model, BackendChoice::Microlp);
        let (highs_plan, microlp_plan) = (highs_report.has_plan, microlp_report.has_plan);
        // Each backend's bound must lie below the other's plan.
        for (a, b) in [
            (&highs_report, &microlp_report),
            (&microlp_report, &highs_report),
        ] {
            if let (Some(bound), Some(objective)) =
                (a.best_bound_cny_per_year, b.objective_cny_per_year)
            {
                if bound > objective + 1e-9 * objective.abs().max(1.0) + 1.0 {
                    eprintln!(
                        "{binaries} binaries: the {} bound {bound} is above the {} plan {objective} ({:?})",
                        a.backend, b.backend, a.termination
                    );
                }
            }
        }
        let row = &mut rows[band];
        row.0 += 1;
        row.1 += highs;
        row.2 += microlp;
        row.3 += usize::from(microlp < highs);
        row.4 += usize::from(!(highs_plan && microlp_plan));
        eprintln!("{binaries} binaries: HiGHS {highs:.2} s, microlp {microlp:.2} s");
    }
    println!(
        "{} plants, seed {}, gap {gap}: {all} components, {} timed",
        options.plants,
        options.seed,
        rows.iter().map(|row| row.0).sum::<usize>()
    );
    println!("| binaries | components | HiGHS, s | microlp, s | microlp faster | without a plan |");
    println!("|---|---|---|---|---|---|");
    let mut low = 0;
    for (top, (count, highs, microlp, faster, failed)) in BANDS.iter().zip(rows) {
        if count > 0 {
            let band = match *top {
                0 => "0".to_string(),
                usize::MAX => format!("> {}", low),
                top => format!("{}–{top}", low + 1),
            };
            println!("| {band} | {count} | {highs:.2} | {microlp:.2} | {faster} | {failed} |");
        }
        low = *top;
    }
}

#[cfg(not(feature = "highs"))]
fn main() {
    eprintln!(
        "the backend comparison needs both backends: cargo bench --features highs --bench backends"
    );
}

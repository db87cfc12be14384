//! Speed at scale, on synthetic regions from `ecopark generate` (seed 1):
//! candidate generation and model build at 100, 1,000 and 10,000 plants,
//! candidate generation at 100,000, end-to-end solve at 100 and 1,000,
//! and the LP relaxation's bound on the shipped parks. Each group
//! prints the model's size once; build and relaxation print it with every
//! candidate and with dominated links dropped, to show what pruning does. Figures and the machine they were
//! measured on are in benches/README.md.
//!
//! `cargo bench --bench scale` (add `--features highs` for the HiGHS
//! solve); `ECOPARK_BENCH_MAX_PLANTS=1000` skips the larger sizes.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ecopark::generate::{generate, to_toml, GenerateOptions};
use ecopark::graph::Pruning;
use ecopark::park::Park;
use ecopark::solve::SolverConfig;
use std::time::Duration;

/// A validated synthetic region of `plants` plants.
fn region(plants: usize) -> Park {
    let options = GenerateOptions {
        plants,
        seed: 1,
        plants_per_park: 12,
    };
    let text = to_toml(&generate(&options).expect("a region")).expect("TOML");
    // Parsed from memory: a 100,000-plant region is larger than the file
    // size limit of `load`.
    let loaded = ecopark::input::parse("synthetic region", text, ecopark::input::Format::Toml)
        .expect("the region parses");
    let (park, _) = match ecopark::validate::validate(&loaded) {
        Ok(ok) => ok,
        Err(report) => panic!("the synthetic region does not validate: {report}"),
    };
    park
}

/// The sizes to run, capped by ECOPARK_BENCH_MAX_PLANTS.
fn sizes(all: &[usize]) -> Vec<usize> {
    let cap = std::env::var("ECOPARK_BENCH_MAX_PLANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    all.iter().copied().filter(|&n| n <= cap).collect()
}

fn candidates(c: &mut Criterion) {
    let mut group = c.benchmark_group("candidates");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for plants in sizes(&[100, 1_000, 10_000, 100_000]) {
        let park = region(plants);
        let count = ecopark::candidates::generate(&park).len();
        eprintln!("candidates/{plants}: {count} candidate links");
        group.bench_with_input(BenchmarkId::from_parameter(plants), &park, |b, park| {
            b.iter(|| ecopark::candidates::generate(park))
        });
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for plants in sizes(&[100, 1_000, 10_000]) {
        let park = region(plants);
        for pruning in [Pruning::KeepAll, Pruning::DropDominated] {
            let (graph, formulation) = ecopark::pipeline::build_with(&park, pruning);
            let size = formulation.model.size();
            eprintln!(
                "build/{plants} ({pruning:?}): {} links, {} dropped; {} variables ({} binary), {} constraints, {} nonzeros",
                graph.link_count(),
                graph.dominated_links_dropped,
                size.variables,
                size.binaries,
                size.constraints,
                size.nonzeros
            );
        }
        group.bench_with_input(BenchmarkId::from_parameter(plants), &park, |b, park| {
            b.iter(|| ecopark::pipeline::build(park))
        });
    }
    group.finish();
}

/// The formulation's strength on the shipped parks: the LP relaxation's
/// bound against the MILP optimum (printed), and the time of the LP solve.
fn relaxation(c: &mut Criterion) {
    let mut group = c.benchmark_group("relaxation");
    group.sample_size(10);
    let config = SolverConfig::default();
    for name in ["tiny", "ningdong-chemical", "tangshan-caofeidian"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("parks/{name}/park.toml"));
        let park = match ecopark::validate::load_and_validate(&path) {
            Ok((park, _)) => park,
            Err(report) => panic!("{name}: {report}"),
        };
        for pruning in [Pruning::KeepAll, Pruning::DropDominated] {
            let (_, formulation) = ecopark::pipeline::build_with(&park, pruning);
            let relaxed = ecopark::solve::lp_relaxation(&formulation.model);
            let lp = ecopark::solve::solve(&relaxed, &config).expect("a backend");
            let milp = ecopark::solve::solve(&formulation.model, &config).expect("a backend");
            let (lp, milp) = (
                lp.solver.objective_cny_per_year,
                milp.solver.objective_cny_per_year,
            );
            if let (Some(lp), Some(milp)) = (lp, milp) {
                eprintln!(
                    "relaxation/{name} ({pruning:?}): LP bound {:.0}, MILP optimum {:.0} CNY/yr, integrality gap {:.3} % of the optimum",
                    lp,
                    milp,
                    (milp - lp) / milp.abs() * 100.0
                );
            }
        }
        let (_, formulation) = ecopark::pipeline::build(&park);
        let relaxed = ecopark::solve::lp_relaxation(&formulation.model);
        group.bench_function(name, |b| {
            b.iter(|| ecopark::solve::solve(&relaxed, &config))
        });
    }
    group.finish();
}

fn solve(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    // 1 % gap, as the targets ask; the profile's time limit per component.
    let config = SolverConfig::profile("quick").expect("the quick profile");
    // 10,000 plants take minutes a solve: measured once with the command
    // line instead (benches/README.md).
    for plants in sizes(&[100, 1_000]) {
        let park = region(plants);
        let result = ecopark::pipeline::optimise(&park, &config).expect("a backend");
        let report = &result.solver;
        eprintln!(
            "solve/{plants}: {} on {}: {}, gap {:?}, {} components (largest {} variables); stages {:?}",
            report.backend,
            park.name,
            report.termination,
            report.gap,
            report.components,
            report.largest_component_variables,
            result.times
        );
        group.bench_with_input(BenchmarkId::from_parameter(plants), &park, |b, park| {
            b.iter(|| ecopark::pipeline::optimise(park, &config))
        });
    }
    group.finish();
}

/// criterion's macro writes an undocumented `pub fn`.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, candidates, build, relaxation, solve);
}
criterion_main!(group::benches);

//! Command-line flags (clap derive) and the commands: the pipeline ones
//! here, the decision analyses in [`analyses`], batches in [`batch`], the
//! model exported in [`export`] and synthetic parks in [`generate`].

mod analyses;
mod batch;
mod bounds;
mod export;
mod generate;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use ecopark::report::{self, ImageFormat};
use ecopark::solution::{plan::load_plan, verify_stored};
use ecopark::solve::{BackendChoice, SolverConfig};
use ecopark::text::{printable, printable_lines};
use ecopark::validate;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code: a plan was found, or the file is valid.
const EXIT_OK: u8 = 0;
/// Exit code: no plan (infeasible, or no incumbent within the time limit).
const EXIT_NO_PLAN: u8 = 1;
/// Exit code: bad input or an error.
const EXIT_ERROR: u8 = 2;

/// Industrial park circularity optimiser: chooses symbiosis links and
/// solid-waste reuse projects by MILP, against today's park.
#[derive(Parser)]
#[command(name = "ecopark", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a park file and print every problem at once (exit 0 valid, 2 invalid).
    Check {
        /// The park file (park.toml, or .json).
        park: PathBuf,
    },
    /// Optimise a park: print a summary and write plan.json, links.csv, projects.csv and firms.csv (who pays and who gains).
    Solve(SolveArgs),
    /// Write report.html, report.md and the figures for a plan (exit 0 written, 2 error).
    Report {
        /// The plan.json written by `solve`.
        plan: PathBuf,
        /// The park file the plan is for.
        park: PathBuf,
        /// Output folder [default: reports/<park-name>/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Figure format: svg, or png (SVG and PNG).
        #[arg(long, default_value = "svg")]
        format: ImageFormat,
        /// Replace files in the output folder that ecopark did not write.
        #[arg(long)]
        force: bool,
    },
    /// Cost–CO2 Pareto front by the ε-constraint method: writes pareto.csv/.json/.svg.
    Pareto {
        #[command(flatten)]
        args: analyses::AnalysisArgs,
        /// Points on the front, the two ends included: 2 to 1000.
        #[arg(long, default_value_t = 7, allow_negative_numbers = true,
              value_parser = bounds::whole(2, ecopark::analysis::pareto::MAX_POINTS))]
        points: usize,
    },
    /// The plan over a range of carbon prices and each project's entry price: writes sweep.csv/.json.
    Sweep {
        #[command(flatten)]
        args: analyses::AnalysisArgs,
        /// Carbon prices START:STEP:END in CNY per t: from 0 to 100000 (the park file's cap), at most 1000 steps.
        #[arg(
            long,
            value_name = "START:STEP:END",
            default_value = "0:50:400",
            allow_hyphen_values = true,
            value_parser = bounds::CarbonPrices
        )]
        carbon_price: String,
    },
    /// Break-even subsidy per project, ranked, and a budget's best use: writes subsidies.csv/.json and macc.svg.
    Subsidies {
        #[command(flatten)]
        args: analyses::AnalysisArgs,
        /// Annual support budget in CNY per year, 0 to 1e13.
        #[arg(long, value_name = "CNY", allow_negative_numbers = true,
              value_parser = bounds::real(0.0, ecopark::validate::MAX_MONEY_CNY, " CNY per year"))]
        budget: Option<f64>,
        /// Least load of a supported project, as a fraction (0 to 1) of the most it can take (support for an idle plant abates nothing).
        #[arg(long, default_value_t = 0.5, value_name = "FRACTION", allow_negative_numbers = true,
              value_parser = bounds::real(0.0, 1.0, ""))]
        min_load: f64,
    },
    /// One project's economics with it forced in and out: writes project-<id>.csv/.json.
    Project {
        #[command(flatten)]
        args: analyses::AnalysisArgs,
        /// The project's id.
        project: String,
    },
    /// Tornado of cost and CO2 over ±percent of each price and quantity group: writes sensitivity.csv/.json and tornado.svg.
    Sensitivity {
        #[command(flatten)]
        args: analyses::AnalysisArgs,
        /// Scaling either way, percent: above 0 and below 100.
        #[arg(long, default_value_t = 20.0, allow_negative_numbers = true,
              value_parser = bounds::real(0.0, 100.0, " percent").above_low().below_high())]
        percent: f64,
    },
    /// Each plant closing or ceasing to supply: stranded links, saving lost, the re-optimised plan: writes robustness.csv/.json.
    Robustness {
        #[command(flatten)]
        args: analyses::AnalysisArgs,
    },
    /// Who pays and who gains in the optimal plan, and the Shapley split of the park's saving over plants: writes fairness.csv/.json and firms.csv.
    Fairness {
        #[command(flatten)]
        args: analyses::AnalysisArgs,
        /// Permutations sampled when the park has more than 12 plants: 4 to 10000.
        #[arg(long, default_value_t = 200, allow_negative_numbers = true,
              value_parser = bounds::whole(4, ecopark::analysis::fairness::MAX_SAMPLES))]
        samples: usize,
    },
    /// Write a synthetic park (or region of parks) with realistic structure: DIR/park.toml.
    Generate {
        /// Plants in all: 1 to 200000 (about 1 GB of memory at most).
        #[arg(long, allow_negative_numbers = true,
              value_parser = bounds::whole(1, ecopark::generate::MAX_PLANTS))]
        plants: usize,
        /// Seed of the random draws (same seed, same file): 0 to 2^64 − 1.
        #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = bounds::seed())]
        seed: u64,
        /// Plants per park: 1 to 10000.
        #[arg(long, default_value_t = 12, allow_negative_numbers = true,
              value_parser = bounds::whole(1, ecopark::generate::MAX_PLANTS_PER_PARK))]
        plants_per_park: usize,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing DIR/park.toml.
        #[arg(long)]
        force: bool,
    },
    /// Write the exact MILP the optimiser solves, for any other solver: MPS and/or CPLEX LP.
    Export {
        /// The park file.
        park: PathBuf,
        /// Write the model in free MPS format here.
        #[arg(long, value_name = "FILE")]
        mps: Option<PathBuf>,
        /// Write the model in CPLEX LP format here.
        #[arg(long, value_name = "FILE")]
        lp: Option<PathBuf>,
        /// Write the map from exported names (x0, c0, …) to the model's names here (CSV).
        #[arg(long, value_name = "FILE")]
        names: Option<PathBuf>,
        /// Replace files that exist already.
        #[arg(long)]
        force: bool,
    },
    /// Solve a list of parks and scenarios, or shard I of N of it, each into OUT/<name>/; resumable.
    Batch {
        /// The list file: a park path and optional key=value overrides per line.
        list: PathBuf,
        /// Take the items at positions I, I+N, I+2N, … (for job arrays).
        #[arg(
            long,
            default_value = "0/1",
            value_name = "I/N",
            allow_hyphen_values = true
        )]
        shard: ecopark::batch::Shard,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Items solved at once, 1 to 4 per core [default: one per core].
        #[arg(long, allow_negative_numbers = true, value_parser = bounds::jobs())]
        jobs: Option<usize>,
        #[command(flatten)]
        solving: SolverArgs,
        /// Replace files in item folders that ecopark did not write.
        #[arg(long)]
        force: bool,
    },
    /// Combine the summaries of batch folders into one CSV table on standard output.
    Merge {
        /// Batch output folders.
        #[arg(required = true)]
        folders: Vec<PathBuf>,
    },
    /// Independently re-check a plan against its park (exit 0 valid, 2 violations).
    Verify {
        /// The plan.json written by `solve`.
        plan: PathBuf,
        /// The park file the plan is for.
        park: PathBuf,
    },
}

#[derive(Args)]
struct SolveArgs {
    /// The park file (park.toml, or .json).
    park: PathBuf,
    /// Output folder [default: reports/<park-name>/].
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    solving: SolverArgs,
    /// Also write report.html, report.md and the figures.
    #[arg(long)]
    report: bool,
    /// Figure format for --report: svg, or png (SVG and PNG).
    #[arg(long, default_value = "svg")]
    format: ImageFormat,
    /// Replace files in the output folder that ecopark did not write.
    #[arg(long)]
    force: bool,
}

/// Solver flags shared by `solve` and the analyses.
#[derive(Args)]
struct SolverArgs {
    /// Solver profile: a shipped name (default, quick, exact) or a path to a .toml file.
    #[arg(long, default_value = "default")]
    profile: String,
    /// MILP backend: auto gives small components to microlp and large ones to HiGHS when both are compiled in.
    #[arg(long)]
    solver: Option<BackendChoice>,
    /// Stop after this many seconds and return the best plan found: above 0, at most 31536000 (a year).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true,
          value_parser = bounds::real(0.0, ecopark::solve::config::MAX_TIME_LIMIT_S, " seconds (a year)").above_low())]
    time_limit: Option<f64>,
    /// Stop when the plan is proven within this relative gap of optimal (e.g. 0.01): 0 to below 1.
    #[arg(long, value_name = "FRACTION", allow_negative_numbers = true,
          value_parser = bounds::real(0.0, 1.0, "").below_high())]
    mip_gap: Option<f64>,
    /// Solver threads, 0 to 4 per core (0: the solver decides; microlp always uses one).
    #[arg(long, allow_negative_numbers = true, value_parser = bounds::solver_threads())]
    threads: Option<u32>,
    /// Solve an analysis's scenarios from scratch, not from the base plan.
    #[arg(long)]
    no_warm_start: bool,
    /// No progress bar; `solve` prints only the output paths, not the summary.
    #[arg(long)]
    quiet: bool,
}

/// Parses the command line and runs the command.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { park } => check(&park),
        Command::Solve(args) => solve(&args)?,
        Command::Verify { plan, park } => verify_plan(&plan, &park)?,
        Command::Generate {
            plants,
            seed,
            plants_per_park,
            out,
            force,
        } => generate::generate(plants, seed, plants_per_park, &out, force)?,
        Command::Export {
            park,
            mps,
            lp,
            names,
            force,
        } => export::export(
            &park,
            &export::Targets {
                mps: mps.as_deref(),
                lp: lp.as_deref(),
                names: names.as_deref(),
            },
            force,
        )?,
        Command::Batch {
            list,
            shard,
            out,
            jobs,
            solving,
            force,
        } => batch::batch(&list, shard, &out, jobs, &solving, force)?,
        Command::Merge { folders } => batch::merge(&folders)?,
        Command::Pareto { args, points } => {
            analyses::run(&args, |park, config| analyses::pareto(park, config, points))?
        }
        Command::Sweep { args, carbon_price } => analyses::run(&args, |park, config| {
            analyses::sweep(park, config, &carbon_price)
        })?,
        Command::Subsidies {
            args,
            budget,
            min_load,
        } => analyses::run(&args, |park, config| {
            analyses::subsidies(park, config, budget, min_load)
        })?,
        Command::Project { args, project } => analyses::run(&args, |park, config| {
            analyses::project(park, config, &project)
        })?,
        Command::Sensitivity { args, percent } => analyses::run(&args, |park, config| {
            analyses::sensitivity(park, config, percent)
        })?,
        Command::Robustness { args } => analyses::run(&args, analyses::robustness)?,
        Command::Fairness { args, samples } => analyses::run(&args, |park, config| {
            analyses::fairness(park, config, samples)
        })?,
        Command::Report {
            plan,
            park,
            out,
            format,
            force,
        } => report_plan(&plan, &park, out, format, force)?,
    };
    Ok(ExitCode::from(code))
}

fn check(path: &Path) -> u8 {
    match validate::load_and_validate(path) {
        Ok((park, warnings)) => {
            for warning in warnings.warnings() {
                eprintln!("{}: {warning}", printable(&warnings.file.to_string()));
            }
            println!(
                "{}: valid — park '{}': {} plants, {} waste streams, {} heat sources, {} heat users, {} material users, {} candidate projects, {} exclusion zones",
                printable(&path.display().to_string()),
                printable(&park.name),
                park.plants.len(),
                park.wastes.len(),
                park.heat_sources.len(),
                park.heat_demands.len(),
                park.material_demands.len(),
                park.projects.len(),
                park.zones.len()
            );
            EXIT_OK
        }
        Err(report) => {
            eprintln!("{report}");
            EXIT_ERROR
        }
    }
}

fn solver_config(args: &SolverArgs) -> Result<SolverConfig> {
    let mut config = SolverConfig::profile(&args.profile)?;
    if let Some(solver) = args.solver {
        config.solver = solver;
    }
    if let Some(limit) = args.time_limit {
        config.time_limit_s = Some(limit);
    }
    if let Some(gap) = args.mip_gap {
        config.mip_gap = gap;
    }
    if let Some(threads) = args.threads {
        config.threads = threads;
    }
    if args.no_warm_start {
        config.warm_start = false;
    }
    config.validate()?;
    // A bar on a terminal's standard error, never in files or logs.
    ecopark::progress::enable(!args.quiet);
    Ok(config)
}

fn solve(args: &SolveArgs) -> Result<u8> {
    let config = solver_config(&args.solving)?;
    let (park, warnings) = match validate::load_and_validate(&args.park) {
        Ok(ok) => ok,
        Err(report) => {
            eprintln!("{report}");
            return Ok(EXIT_ERROR);
        }
    };
    for warning in warnings.warnings() {
        eprintln!("{}: {warning}", warnings.file);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join(report::folder_name(&park.name)));
    report::check_writable(&out)?;
    let source = output_source(&args.park, &args.solving, args.force)?;
    let result = ecopark::pipeline::optimise_warning(&park, &config, |warning| {
        eprintln!("warning: {}", printable(&warning.to_string()))
    })?;
    let options = report::OutputOptions {
        report: args.report.then_some(args.format),
        ..report::OutputOptions::default()
    };
    let Some(plan) = &result.plan else {
        let r = &result.solver;
        eprintln!(
            "no plan for '{}': the {} solver stopped with '{}'{}",
            printable(&park.name),
            r.backend,
            r.termination,
            r.message
                .as_deref()
                .map_or(String::new(), |m| format!(" ({m})"))
        );
        if r.termination == ecopark::solve::Termination::TimeLimit {
            eprintln!(
                "no feasible plan was found within the time limit; try a longer --time-limit"
            );
        }
        if !result.unmet_targets.is_empty() {
            eprintln!(
                "the park's [targets] cannot all be met; the closest plan falls short as follows:"
            );
            for shortfall in &result.unmet_targets {
                eprintln!("- {}", printable_lines(&shortfall.to_string()));
            }
        }
        let written = report::write_solve_outputs(&park, &result, &out, &source, &options)?;
        for path in written.files {
            eprintln!("wrote {}", path.display());
        }
        return Ok(EXIT_NO_PLAN);
    };
    if let Some(verification) = &result.verification {
        if !verification.passed() {
            eprintln!("the plan failed independent verification and is not written:");
            for violation in &verification.violations {
                eprintln!("  {}", printable(&violation.to_string()));
            }
            return Ok(EXIT_ERROR);
        }
    }
    let written = report::write_solve_outputs(&park, &result, &out, &source, &options)?;
    for warning in &written.warnings {
        eprintln!("warning: {}", printable(&warning.to_string()));
    }
    if !args.solving.quiet {
        print!("{}", report::summary(plan, result.times.solve_s));
        let checks = result.verification.as_ref().map_or(0, |v| v.checks);
        println!("\nverified independently: {checks} checks passed");
    }
    for path in written.files {
        println!("wrote {}", path.display());
    }
    Ok(EXIT_OK)
}

/// Where a command's outputs come from: the park file, and the files it
/// read (the park, a solver profile given as a file), none of which is
/// ever written; `force` replaces files no manifest lists.
fn output_source(park: &Path, solving: &SolverArgs, force: bool) -> Result<report::Source> {
    let mut source = report::Source::park(park)?;
    let profile = Path::new(&solving.profile);
    if profile.is_file() {
        source = source.also_reads(profile);
    }
    source.force = force;
    Ok(source)
}

/// The worker threads for parallel scenarios: `jobs` of them, or one per core.
fn worker_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = jobs {
        anyhow::ensure!(jobs >= 1, "--jobs must be at least 1");
        pool = pool.num_threads(jobs);
    }
    Ok(pool.build()?)
}

/// Loads and validates a park, printing the report when it is invalid.
fn load_park(path: &Path) -> Option<ecopark::park::Park> {
    match validate::load_and_validate(path) {
        Ok((park, _)) => Some(park),
        Err(report) => {
            eprintln!("{report}");
            None
        }
    }
}

fn report_plan(
    plan_path: &Path,
    park_path: &Path,
    out: Option<PathBuf>,
    format: ImageFormat,
    force: bool,
) -> Result<u8> {
    let plan = load_plan(plan_path)?;
    let Some(park) = load_park(park_path) else {
        return Ok(EXIT_ERROR);
    };
    let verification = verify_stored(&plan, &park);
    if !verification.passed() {
        eprintln!(
            "{}: the plan does not verify against {}; no report written:",
            plan_path.display(),
            park_path.display()
        );
        for violation in &verification.violations {
            eprintln!("  {}", printable(&violation.to_string()));
        }
        return Ok(EXIT_ERROR);
    }
    let out = out.unwrap_or_else(|| Path::new("reports").join(report::folder_name(&park.name)));
    report::check_writable(&out)?;
    let source = report::Source {
        force,
        ..report::Source::park(park_path)?.also_reads(plan_path)
    };
    let plan_sha256 = report::manifest::sha256_file(plan_path)
        .with_context(|| format!("reading {}", plan_path.display()))?;
    let made = report::write_report(&park, &plan, &out, format, &source, &plan_sha256)?;
    for warning in &made.warnings {
        eprintln!("warning: {}", printable(&warning.to_string()));
    }
    for path in made.files {
        println!("wrote {}", path.display());
    }
    Ok(EXIT_OK)
}

fn verify_plan(plan_path: &Path, park_path: &Path) -> Result<u8> {
    let plan = load_plan(plan_path)?;
    let Some(park) = load_park(park_path) else {
        return Ok(EXIT_ERROR);
    };
    let verification = verify_stored(&plan, &park);
    if verification.passed() {
        println!(
            "{}: valid for {} — {} checks passed (balances, capacities, ranges, routes, temperatures, every cost, CO2 and indicator recomputed from the flows; the solver's own status, bound and gap checked for consistency only)",
            printable(&plan_path.display().to_string()),
            printable(&park_path.display().to_string()),
            verification.checks
        );
        Ok(EXIT_OK)
    } else {
        eprintln!(
            "{}: {} violation(s):",
            printable(&plan_path.display().to_string()),
            verification.violations.len()
        );
        for violation in &verification.violations {
            eprintln!("  {}", printable(&violation.to_string()));
        }
        Ok(EXIT_ERROR)
    }
}

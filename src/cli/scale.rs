//! The commands for work beyond one park: synthetic regions, the model
//! exported for other solvers, and batches of parks and scenarios that a
//! job array can spread over machines.

use super::{load_park, solver_config, worker_pool, SolverArgs, EXIT_ERROR, EXIT_NO_PLAN, EXIT_OK};
use anyhow::{Context, Result};
use ecopark::batch::{self, BatchList, Shard};
use ecopark::formulation::export;
use ecopark::report::{self, write_atomic};
use std::path::{Path, PathBuf};

/// `generate`: a synthetic park file.
pub fn generate(plants: usize, seed: u64, plants_per_park: usize, out: &Path) -> Result<u8> {
    use ecopark::generate::{generate, to_toml, GenerateOptions};
    let options = GenerateOptions {
        plants,
        seed,
        plants_per_park,
    };
    let file = match generate(&options) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(EXIT_ERROR);
        }
    };
    let path = out.join("park.toml");
    report::write_atomic(&path, to_toml(&file)?.as_bytes())?;
    println!(
        "wrote {} ({} plants, {} parks, {} candidate projects)",
        path.display(),
        file.plant.len(),
        file.exclusion_zone.len(),
        file.project.len()
    );
    Ok(EXIT_OK)
}

/// A model writer of [`export`].
type Writer = fn(&ecopark::formulation::Model, &str) -> Result<String, export::ExportError>;

/// `export`: the park's MILP as MPS and/or LP files.
pub fn export(
    park_path: &Path,
    mps: Option<&Path>,
    lp: Option<&Path>,
    names: Option<&Path>,
) -> Result<u8> {
    if mps.is_none() && lp.is_none() && names.is_none() {
        eprintln!("error: say where to write the model: --mps FILE and/or --lp FILE (and --names FILE for the name map)");
        return Ok(EXIT_ERROR);
    }
    let Some(park) = load_park(park_path) else {
        return Ok(EXIT_ERROR);
    };
    let (_, formulation) = ecopark::pipeline::build(&park);
    let model = &formulation.model;
    let size = model.size();
    let outputs: [(Option<&Path>, Writer); 2] = [(mps, export::to_mps), (lp, export::to_lp)];
    for (path, write) in outputs {
        if let Some(path) = path {
            write_atomic(path, write(model, &park.name)?.as_bytes())?;
            println!("wrote {}", path.display());
        }
    }
    if let Some(path) = names {
        write_atomic(path, export::name_map(model).as_bytes())?;
        println!("wrote {}", path.display());
    }
    println!(
        "model of '{}': {} variables ({} binary), {} constraints, {} nonzeros; objective in CNY per year, minimised",
        park.name, size.variables, size.binaries, size.constraints, size.nonzeros
    );
    Ok(EXIT_OK)
}

/// `batch`: the items of one shard of a list, one line printed per item.
pub fn batch(
    list: &Path,
    shard: Shard,
    out: &Path,
    jobs: Option<usize>,
    solving: &SolverArgs,
) -> Result<u8> {
    let config = solver_config(solving)?;
    let list = match BatchList::load(list) {
        Ok(list) => list,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(EXIT_ERROR);
        }
    };
    let pool = worker_pool(jobs).context("starting the worker threads")?;
    let summary = pool.install(|| {
        batch::run_with_progress(&list, shard, out, &config, |item| println!("{item}"))
    })?;
    println!("shard {shard}: {}", summary.counts());
    Ok(if summary.has_errors() {
        EXIT_ERROR
    } else if summary.all_planned() {
        EXIT_OK
    } else {
        EXIT_NO_PLAN
    })
}

/// `merge`: one CSV of every batch item under `folders`.
pub fn merge(folders: &[PathBuf]) -> Result<u8> {
    match batch::merge(folders) {
        Ok(table) => {
            print!("{table}");
            Ok(EXIT_OK)
        }
        Err(error) => {
            eprintln!("error: {error}");
            Ok(EXIT_ERROR)
        }
    }
}

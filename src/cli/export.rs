//! `export`: the exact MILP ecopark solves for a park, written as MPS
//! and/or CPLEX LP for any other solver, with the map from exported names
//! to the model's. No output is ever the park file, nor one of the other
//! outputs, and a file that exists is only replaced with `--force`.

use super::{load_park, EXIT_ERROR, EXIT_OK};
use anyhow::Result;
use ecopark::formulation::export;
use ecopark::report::{set::same_file, write_new_file, OutputError};
use std::path::{Path, PathBuf};

/// A model writer of [`export`].
type Writer = fn(&ecopark::formulation::Model, &str) -> Result<String, export::ExportError>;

/// Where `export` writes each of its files, when asked to.
pub struct Targets<'a> {
    /// The model in free MPS format.
    pub mps: Option<&'a Path>,
    /// The model in CPLEX LP format.
    pub lp: Option<&'a Path>,
    /// The map from exported names to the model's.
    pub names: Option<&'a Path>,
}

/// `export`: the park's MILP as MPS and/or LP files.
pub fn export(park_path: &Path, targets: &Targets, force: bool) -> Result<u8> {
    let asked: Vec<&Path> = [targets.mps, targets.lp, targets.names]
        .into_iter()
        .flatten()
        .collect();
    if asked.is_empty() {
        eprintln!("error: say where to write the model: --mps FILE and/or --lp FILE (and --names FILE for the name map)");
        return Ok(EXIT_ERROR);
    }
    for (i, first) in asked.iter().enumerate() {
        if let Some(second) = asked[i + 1..].iter().find(|other| same_file(first, other)) {
            eprintln!(
                "error: {} and {} are one file; give each output its own path",
                first.display(),
                second.display()
            );
            return Ok(EXIT_ERROR);
        }
    }
    let inputs = vec![park_path.to_path_buf()];
    // Refused before the model is built, and before any file is written.
    for path in &asked {
        ecopark::report::set::refuse_input(path, &inputs)?;
        if !force && std::fs::symlink_metadata(path).is_ok() {
            return Err(OutputError::Exists {
                path: path.to_path_buf(),
            }
            .into());
        }
    }
    let Some(park) = load_park(park_path) else {
        return Ok(EXIT_ERROR);
    };
    let (_, formulation) = ecopark::pipeline::build(&park);
    let model = &formulation.model;
    let size = model.size();
    let write = |path: &Path, text: &str| -> Result<PathBuf> {
        write_new_file(path, text.as_bytes(), &inputs, force)?;
        println!("wrote {}", path.display());
        Ok(path.to_path_buf())
    };
    let outputs: [(Option<&Path>, Writer); 2] =
        [(targets.mps, export::to_mps), (targets.lp, export::to_lp)];
    for (path, writer) in outputs {
        if let Some(path) = path {
            write(path, &writer(model, &park.name)?)?;
        }
    }
    if let Some(path) = targets.names {
        write(path, &export::name_map(model))?;
    }
    println!(
        "model of '{}': {} variables ({} binary), {} constraints, {} nonzeros; objective in CNY per year, minimised",
        park.name, size.variables, size.binaries, size.constraints, size.nonzeros
    );
    Ok(EXIT_OK)
}

//! `export`: the exact MILP ecopark solves for a park, written as MPS
//! and/or CPLEX LP for any other solver, with the map from exported names
//! to the model's.

use super::{load_park, EXIT_ERROR, EXIT_OK};
use anyhow::Result;
use ecopark::formulation::export;
use ecopark::report::write_atomic;
use std::path::Path;

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

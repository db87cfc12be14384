//! `generate`: a synthetic park or region of parks written as a park file,
//! for scaling studies, benches and trying the tool without data. An
//! existing `DIR/park.toml` is only replaced with `--force`.

use super::{EXIT_ERROR, EXIT_OK};
use anyhow::Result;
use ecopark::report;
use std::path::Path;

/// `generate`: a synthetic park file.
pub fn generate(
    plants: usize,
    seed: u64,
    plants_per_park: usize,
    out: &Path,
    force: bool,
) -> Result<u8> {
    use ecopark::generate::{generate, to_toml, GenerateOptions};
    let path = out.join("park.toml");
    if !force && std::fs::symlink_metadata(&path).is_ok() {
        return Err(report::OutputError::Exists { path }.into());
    }
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
    report::write_new_file(&path, to_toml(&file)?.as_bytes(), &[], force)?;
    println!(
        "wrote {} ({} plants, {} parks, {} candidate projects)",
        path.display(),
        file.plant.len(),
        file.exclusion_zone.len(),
        file.project.len()
    );
    Ok(EXIT_OK)
}

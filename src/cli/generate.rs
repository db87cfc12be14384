//! `generate`: a synthetic park or region of parks written as a park file,
//! for scaling studies, benches and trying the tool without data.

use super::{EXIT_ERROR, EXIT_OK};
use anyhow::Result;
use ecopark::report;
use std::path::Path;

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

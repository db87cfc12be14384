//! Stage 8, reports: the plan as files (`plan.json`, `links.csv`,
//! `projects.csv`) and as a readable summary for the terminal.
//!
//! Files are written to a temporary name and renamed into place, so an
//! interrupted run never leaves a half-written report.

mod csv;
mod summary;

pub use summary::{summary, thousands};

use crate::solution::Plan;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A report could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// Writes `contents` to `path` atomically (temporary file, then rename).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let error = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(contents)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.map_err(error)
}

/// A park name as a folder name: letters, digits, `-` and `_` kept (any
/// script), everything else as `-`.
pub fn folder_name(park_name: &str) -> String {
    let name: String = park_name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "park".to_string()
    } else {
        name
    }
}

/// Writes `plan.json`, `links.csv` and `projects.csv` into `dir`; returns the paths.
pub fn write_plan_files(plan: &Plan, dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut written = Vec::new();
    let json = serde_json::to_string_pretty(plan).expect("a plan always serialises") + "\n";
    for (name, contents) in [
        ("plan.json", json),
        ("links.csv", csv::links(plan)),
        ("projects.csv", csv::projects(plan)),
    ] {
        let path = dir.join(name);
        write_atomic(&path, contents.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_keep_chinese_and_drop_punctuation() {
        assert_eq!(folder_name("Tangshan Caofeidian"), "tangshan-caofeidian");
        assert_eq!(folder_name("唐山 园区"), "唐山-园区");
        assert_eq!(folder_name("../etc"), "etc");
        assert_eq!(folder_name("   "), "park");
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_atomic(&path, b"hello").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}

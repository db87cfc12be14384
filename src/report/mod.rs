//! Stage 8, reports: the plan as files (`plan.json`, `links.csv`,
//! `projects.csv`), as a readable summary for the terminal, and as a report
//! a park administrator can present (`report.html`, `report.md` and the
//! figures, SVG and optionally PNG).
//!
//! Files are written to a temporary name and renamed into place, so an
//! interrupted run never leaves a half-written report.

mod csv;
pub mod document;
pub mod figures;
pub mod html;
pub mod markdown;
pub mod png;
pub mod summary;

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

/// Figure formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageFormat {
    /// SVG only (the HTML report inlines SVG either way).
    #[default]
    Svg,
    /// SVG and PNG.
    Png,
}

impl std::str::FromStr for ImageFormat {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "svg" => Ok(ImageFormat::Svg),
            "png" => Ok(ImageFormat::Png),
            other => Err(format!("unknown figure format '{other}': use svg or png")),
        }
    }
}

/// A report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A figure could not be drawn.
    #[error(transparent)]
    Draw(#[from] figures::canvas::DrawError),
    /// A PNG could not be made.
    #[error(transparent)]
    Png(#[from] png::PngError),
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// What writing a report produced.
#[derive(Debug, Clone, Default)]
pub struct WrittenReport {
    /// Files written, in order.
    pub files: Vec<PathBuf>,
    /// Things the user should know (missing fonts).
    pub warnings: Vec<String>,
}

/// Writes `report.html`, `report.md` and the figures of a plan into `dir`.
pub fn write_report(
    park: &crate::park::Park,
    plan: &Plan,
    dir: &Path,
    format: ImageFormat,
) -> Result<WrittenReport, ReportError> {
    let drawn = figures::draw_all(park, plan)?;
    let scorecard = figures::scorecard::scorecard_data(park, plan);
    let document = document::document(plan, &scorecard);
    let mut written = WrittenReport::default();
    for figure in &drawn {
        let path = dir.join(format!("{}.svg", figure.name));
        write_atomic(&path, figure.svg.as_bytes())?;
        written.files.push(path);
    }
    let extension = match format {
        ImageFormat::Svg => "svg",
        ImageFormat::Png => {
            let rasteriser = png::Rasteriser::new();
            written.warnings.extend(rasteriser.warnings.iter().cloned());
            for figure in &drawn {
                let path = dir.join(format!("{}.png", figure.name));
                write_atomic(&path, &rasteriser.png(figure.name, &figure.svg)?)?;
                written.files.push(path);
            }
            "png"
        }
    };
    for (name, contents) in [
        ("report.html", html::html(&document, &drawn)),
        (
            "report.md",
            markdown::markdown(&document, &drawn, extension),
        ),
    ] {
        let path = dir.join(name);
        write_atomic(&path, contents.as_bytes())?;
        written.files.push(path);
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

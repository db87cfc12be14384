//! `manifest.json`: what a set of outputs is, so that anyone can tell a
//! complete set from a mix.
//!
//! A folder ecopark writes into may hold files from several runs, several
//! parks, or a run killed half-way. The manifest, written last, names the
//! park the set was made from (path and SHA-256 of its bytes), the batch
//! overrides applied, the plan (SHA-256 of `plan.json`'s bytes), the
//! version of ecopark and every file of the set with its SHA-256. A set is
//! complete when every file it lists is there with that hash; a file the
//! manifest does not list is not part of the set. A solve's set is
//! described by `manifest.json`; each analysis's by `<name>.manifest.json`
//! beside its files, which is how the report knows whose figure it is
//! looking at. No timestamps: the same input gives the same manifest.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The manifest of a solve's outputs.
pub const MANIFEST_FILE: &str = "manifest.json";

/// How the manifest of an analysis's outputs ends: `<name>.manifest.json`.
pub const ANALYSIS_MANIFEST_SUFFIX: &str = ".manifest.json";

/// Largest manifest read, bytes (one lists a few dozen files).
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// One file of a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Its name in the folder.
    pub name: String,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
}

/// What a set of outputs is made of and from (the contents of
/// `manifest.json`; the field names are a contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The park file, as given to the command.
    pub park_path: String,
    /// SHA-256 of the park file's bytes.
    pub park_sha256: String,
    /// Batch overrides applied to the park, as written (empty otherwise).
    pub overrides: Vec<String>,
    /// SHA-256 of the plan's `plan.json` bytes; for an analysis, of the
    /// plan of the solve set in its folder when it ran (none without one).
    pub plan_sha256: Option<String>,
    /// The version of ecopark that wrote the set.
    pub ecopark_version: String,
    /// The files of the set, in the order written.
    pub files: Vec<ManifestFile>,
}

impl Manifest {
    /// Reads the manifest at `path`; `None` when there is none, or the
    /// file is not a manifest ecopark wrote (not JSON of this shape, too
    /// large, not a regular file).
    pub fn read(path: &Path) -> Option<Manifest> {
        let metadata = std::fs::symlink_metadata(path).ok()?;
        if !metadata.is_file() || metadata.len() > MAX_MANIFEST_BYTES {
            return None;
        }
        let text = std::fs::read_to_string(path).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The manifest as written: pretty JSON and a final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest always serialises") + "\n"
    }

    /// The hash the manifest gives for `name`, if it lists it.
    pub fn hash_of(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|file| file.name == name)
            .map(|file| file.sha256.as_str())
    }

    /// Whether every file listed is in `dir`, a regular file with the
    /// hash listed.
    pub fn is_complete_in(&self, dir: &Path) -> bool {
        self.files
            .iter()
            .all(|file| file_matches(&dir.join(&file.name), &file.sha256))
    }
}

/// The SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of a file's bytes, read in pieces.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    // A device or a named pipe would never end or never start; a file
    // over the park-file cap is refused before it is read whole.
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(std::io::Error::other(
            "it is not a regular file (a directory, a named pipe or a device)",
        ));
    }
    let limit = crate::input::MAX_FILE_BYTES;
    if metadata.len() > limit {
        return Err(std::io::Error::other(format!(
            "it is {} bytes; park files are limited to {limit} bytes",
            metadata.len()
        )));
    }
    let mut file = std::fs::File::open(path)?.take(limit + 1);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(hex(&hasher.finalize()));
        }
        hasher.update(&buffer[..read]);
    }
}

/// Whether `path` is a regular file (not a link) whose bytes hash to `sha256`.
pub fn file_matches(path: &Path, sha256: &str) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && sha256_file(path).is_ok_and(|hash| hash == sha256)
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The version of ecopark, as manifests record it.
pub fn ecopark_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Whether a file name is that of a manifest: `manifest.json` or an
/// analysis's `<name>.manifest.json`.
pub fn is_manifest_name(name: &str) -> bool {
    name == MANIFEST_FILE || name.ends_with(ANALYSIS_MANIFEST_SUFFIX)
}

/// Every manifest in `dir` that ecopark wrote, with its file name, in name order.
pub fn manifests_in(dir: &Path) -> Vec<(String, Manifest)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, Manifest)> = entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            if !is_manifest_name(&name) {
                return None;
            }
            Some((name.clone(), Manifest::read(&dir.join(&name))?))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: &[(&str, &[u8])]) -> Manifest {
        Manifest {
            park_path: "parks/tiny/park.toml".into(),
            park_sha256: sha256_hex(b"park"),
            overrides: Vec::new(),
            plan_sha256: None,
            ecopark_version: ecopark_version(),
            files: files
                .iter()
                .map(|(name, bytes)| ManifestFile {
                    name: name.to_string(),
                    sha256: sha256_hex(bytes),
                })
                .collect(),
        }
    }

    #[test]
    fn hashes_are_sha256_in_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(sha256_file(&path).unwrap(), sha256_hex(b"abc"));
    }

    #[test]
    fn a_set_is_complete_only_with_every_file_as_listed() {
        let dir = tempfile::tempdir().unwrap();
        let set = manifest(&[("a.csv", b"a"), ("b.csv", b"b")]);
        std::fs::write(dir.path().join("a.csv"), "a").unwrap();
        assert!(!set.is_complete_in(dir.path()), "b.csv missing");
        std::fs::write(dir.path().join("b.csv"), "B").unwrap();
        assert!(!set.is_complete_in(dir.path()), "b.csv changed");
        std::fs::write(dir.path().join("b.csv"), "b").unwrap();
        assert!(set.is_complete_in(dir.path()));
        assert_eq!(set.hash_of("a.csv"), Some(sha256_hex(b"a").as_str()));
    }

    #[test]
    fn manifests_are_found_by_name_and_read_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let set = manifest(&[("pareto.svg", b"<svg/>")]);
        std::fs::write(dir.path().join("pareto.manifest.json"), set.to_json()).unwrap();
        std::fs::write(dir.path().join(MANIFEST_FILE), "not json").unwrap();
        std::fs::write(dir.path().join("other.json"), set.to_json()).unwrap();
        let found = manifests_in(dir.path());
        assert_eq!(found, [("pareto.manifest.json".to_string(), set)]);
        let text = found[0].1.to_json();
        for field in [
            "\"park_path\"",
            "\"park_sha256\"",
            "\"overrides\"",
            "\"plan_sha256\"",
            "\"ecopark_version\"",
            "\"files\"",
            "\"name\"",
            "\"sha256\"",
        ] {
            assert!(text.contains(field), "{field} in {text}");
        }
    }
}

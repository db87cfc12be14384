//! Outputs land as one set, and never over what ecopark did not write.
//!
//! Every command that writes into a folder goes through [`write_set`]:
//!
//! 1. **Inputs are never outputs.** Each path the set would write, replace
//!    or remove is compared with each file the command read, by canonical
//!    path and by file identity (device and inode on unix, so a hard link
//!    counts), and the set is refused naming both.
//! 2. **Only our own files are replaced.** A file already in the folder
//!    is replaced only when a manifest there ([`super::manifest`]) lists
//!    it, i.e. ecopark wrote it; anything else needs `--force`. A folder in
//!    the place of a file is refused before anything moves. A set replaces
//!    the folder's set of the same manifest name (a re-run just works), and
//!    removes the old set's files it does not have, if they are still as
//!    written; a report, which adds to a solve's set of the same park and
//!    plan, refuses to replace another park's or plan's without `--force`.
//! 3. **One writer at a time.** The folder is locked (`flock` on the
//!    folder itself on unix, so no lock file is left behind); a second
//!    writer is refused at once with "another ecopark is writing into DIR".
//!    A single file ([`write_atomic`]) waits for the lock instead.
//! 4. **The set moves in whole.** Its files and its manifest are written
//!    into a fresh temporary folder inside the target (`.ecopark-set-…`,
//!    random name, created exclusively), each flushed to disk, the
//!    manifest last. Then the old manifest is removed, the old set's files
//!    the new one does not have are removed, each new file is renamed into
//!    place, and the new manifest is renamed last. A reader that trusts
//!    only the files a manifest lists with matching hashes therefore sees
//!    the old complete set, the new complete set, or (for the moment the
//!    renames take) no manifest: never a mix.
//! 5. **A killed writer is finished by the next.** Under the lock, any
//!    `.ecopark-` temporary in the folder is stale. A temporary folder
//!    holding a manifest was killed while moving its files (the manifest is
//!    its last file, so the set in it is complete): the move is finished.
//!    Any other is removed, as are stale single-file temporaries. Names
//!    read from such a folder must name files of the folder itself.
//!
//! Single files written outside a set (`export`, `generate`) go through
//! [`write_new_file`]: the same input check, and an existing file is only
//! replaced with `--force`.

use super::manifest::{ecopark_version, is_manifest_name, manifests_in, sha256_hex, Manifest};
use super::manifest::{file_matches, ManifestFile};
use super::{write_atomic, WriteError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How every temporary file or folder ecopark makes starts.
pub const TEMPORARY_PREFIX: &str = ".ecopark-";

/// The manifest in a set's temporary folder while it is being written.
const PARTIAL_MANIFEST: &str = ".manifest.partial";

/// The lock file where a folder cannot be locked itself (not unix).
const LOCK_FILE: &str = ".ecopark-lock";

/// How a set's temporary folder starts.
const SET_PREFIX: &str = ".ecopark-set-";

/// The file in a set's temporary folder naming the old files to remove
/// (hidden: no file of a set starts with a dot).
const STALE_FILE: &str = ".stale.json";

/// Outputs could not be written, or were refused.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// An output would be written over one of the command's inputs.
    #[error("refusing to write {}: it is the input {}; choose another output path", output.display(), input.display())]
    WouldOverwriteInput {
        /// The output.
        output: PathBuf,
        /// The input it is.
        input: PathBuf,
    },
    /// A file ecopark did not write would be replaced.
    #[error("refusing to replace {}: it was not written by ecopark (no manifest in its folder lists it); move it away, choose another output path, or pass --force", path.display())]
    NotOurs {
        /// The file.
        path: PathBuf,
    },
    /// A single output file exists already.
    #[error("refusing to replace {}: it exists already; move it away, choose another path, or pass --force", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A folder, a device or a named pipe is where an output file would go.
    #[error("cannot write {}: a folder, a device or a named pipe is in its place; nothing was changed", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// A report would replace the set of another park or plan.
    #[error("refusing to write the report into {}: its manifest.json is of another park or plan, whose files the report would replace; choose another output folder, or pass --force", dir.display())]
    OtherPlan {
        /// The folder.
        dir: PathBuf,
    },
    /// Another ecopark holds the folder's lock.
    #[error("another ecopark is writing into {}; wait for it to finish or choose another output folder", dir.display())]
    Locked {
        /// The folder.
        dir: PathBuf,
    },
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// One file of a set: its name in the folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// The file's name in the folder.
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file named `name` holding `bytes`.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where a set comes from, and what its command read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The park file, as given.
    pub park_path: PathBuf,
    /// SHA-256 of the park file's bytes.
    pub park_sha256: String,
    /// Batch overrides applied, as written.
    pub overrides: Vec<String>,
    /// Every file the command read; none of them is ever written.
    pub inputs: Vec<PathBuf>,
    /// Replace files no manifest lists (`--force`).
    pub force: bool,
}

impl Source {
    /// The source of a park file: its path and hash, and the file as an input.
    pub fn park(path: &Path) -> Result<Source, WriteError> {
        let park_sha256 = super::manifest::sha256_file(path).map_err(|source| WriteError {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Source {
            park_path: path.to_path_buf(),
            park_sha256,
            inputs: vec![path.to_path_buf()],
            ..Source::default()
        })
    }

    /// The same, with another file read.
    pub fn also_reads(mut self, path: &Path) -> Source {
        self.inputs.push(path.to_path_buf());
        self
    }
}

/// A set to write: its manifest's name, where it comes from, its plan and files.
#[derive(Debug, Clone)]
pub struct OutputSet<'a> {
    /// `manifest.json` for a solve, `<name>.manifest.json` for an analysis.
    pub manifest_name: String,
    /// The park and the inputs.
    pub source: &'a Source,
    /// SHA-256 of the plan the set is of.
    pub plan_sha256: Option<String>,
    /// The files, in order.
    pub files: Vec<OutputFile>,
    /// Keep the files of the folder's set when it is of the same park and
    /// plan (a report added to a solve's set); refuse to replace the set of
    /// another park or plan unless forced.
    pub extends_same_plan: bool,
}

/// Whether two paths are one file: the same canonical path (an output
/// not there yet by its folder's), or, on unix, the same device and inode.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Some(x), Some(y)) = (canonical(a), canonical(b)) {
        if x == y {
            return true;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(found) = std::fs::canonicalize(path) {
        return Some(found);
    }
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

/// Refuses `output` when it is one of `inputs`.
pub fn refuse_input(output: &Path, inputs: &[PathBuf]) -> Result<(), OutputError> {
    match inputs.iter().find(|input| same_file(output, input)) {
        Some(input) => Err(OutputError::WouldOverwriteInput {
            output: output.to_path_buf(),
            input: input.clone(),
        }),
        None => Ok(()),
    }
}

/// Writes one file outside a set ([`write_atomic`]), unless it is one of
/// `inputs`, or exists and `force` is not given.
pub fn write_new_file(
    path: &Path,
    bytes: &[u8],
    inputs: &[PathBuf],
    force: bool,
) -> Result<(), OutputError> {
    refuse_input(path, inputs)?;
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if !replaceable(&metadata) => Err(OutputError::NotAFile {
            path: path.to_path_buf(),
        }),
        Ok(_) if !force => Err(OutputError::Exists {
            path: path.to_path_buf(),
        }),
        _ => Ok(write_atomic(path, bytes)?),
    }
}

/// Whether what is at an output path may be replaced by a file: a file,
/// or a symlink (the link itself is replaced, never what it points to);
/// never a folder, a device or a named pipe (`--force` or not: renaming
/// over `/dev/null` would replace the device).
pub(crate) fn replaceable(metadata: &std::fs::Metadata) -> bool {
    metadata.is_file() || metadata.file_type().is_symlink()
}

/// Checks that files can be written into `dir`, so that an unwritable
/// folder is found before a long solve rather than after it: a temporary
/// file is made and removed in `dir`, or, when `dir` is not there yet, in
/// the nearest folder above it that is (where `dir` would be made). Nothing
/// is left behind, so a command that stops before writing changes nothing,
/// and no folder is made that a writer beside it could see vanish.
pub fn check_writable(dir: &Path) -> Result<(), WriteError> {
    let error = |source| WriteError {
        path: dir.to_path_buf(),
        source,
    };
    let existing = dir
        .ancestors()
        .map(|folder| {
            if folder.as_os_str().is_empty() {
                Path::new(".")
            } else {
                folder
            }
        })
        .find(|folder| folder.exists())
        .unwrap_or(Path::new("."));
    if !existing.is_dir() {
        let message = format!("{} is not a folder", existing.display());
        return Err(error(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            message,
        )));
    }
    tempfile::Builder::new()
        .prefix(&format!("{TEMPORARY_PREFIX}probe-"))
        .tempfile_in(existing)
        .map(drop)
        .map_err(error)
}

/// The exclusive lock of a folder, held while a set or a single file is
/// written into it, so that every ecopark temporary found in a folder
/// whose lock one holds is stale.
pub(super) struct FolderLock {
    _file: std::fs::File,
}

impl FolderLock {
    /// The folder's lock file: the folder itself on unix.
    fn open(dir: &Path) -> std::io::Result<std::fs::File> {
        #[cfg(unix)]
        let file = std::fs::File::open(dir);
        #[cfg(not(unix))]
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE));
        file
    }

    /// Takes the lock, or refuses at once when another writer holds it.
    fn take(dir: &Path) -> Result<FolderLock, OutputError> {
        let error = |source| WriteError {
            path: dir.to_path_buf(),
            source,
        };
        let file = Self::open(dir).map_err(error)?;
        match fs4::fs_std::FileExt::try_lock_exclusive(&file) {
            Ok(true) => Ok(FolderLock { _file: file }),
            Ok(false) => Err(OutputError::Locked {
                dir: dir.to_path_buf(),
            }),
            Err(source) => Err(error(source).into()),
        }
    }

    /// Takes the lock, waiting for another writer to finish (a single
    /// file is written in an instant, so it waits rather than refuses).
    pub(super) fn wait(dir: &Path) -> std::io::Result<FolderLock> {
        let file = Self::open(dir)?;
        fs4::fs_std::FileExt::lock_exclusive(&file)?;
        Ok(FolderLock { _file: file })
    }
}

/// Writes `set` into `dir` as one set (see the module documentation);
/// returns the paths written, the manifest last.
pub fn write_set(dir: &Path, set: &OutputSet) -> Result<Vec<PathBuf>, OutputError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let _lock = FolderLock::take(dir)?;
    tidy(dir).map_err(io(dir))?;
    let previous = Manifest::read(&dir.join(&set.manifest_name));
    // The folder's set this one adds to, when it may and that set is of
    // the same park and plan; otherwise this set replaces the folder's.
    let extended = (set.extends_same_plan)
        .then_some(previous.as_ref())
        .flatten()
        .filter(|old| {
            old.park_sha256 == set.source.park_sha256 && old.plan_sha256 == set.plan_sha256
        });
    if set.extends_same_plan && previous.is_some() && extended.is_none() && !set.source.force {
        return Err(OutputError::OtherPlan {
            dir: dir.to_path_buf(),
        });
    }
    check_targets(dir, set)?;
    let mut files: Vec<ManifestFile> = extended.map_or_else(Vec::new, |old| {
        old.files
            .iter()
            .filter(|file| !set.files.iter().any(|new| new.name == file.name))
            .cloned()
            .collect()
    });
    files.extend(set.files.iter().map(|file| ManifestFile {
        name: file.name.clone(),
        sha256: sha256_hex(&file.bytes),
    }));
    let stale = match (&previous, extended) {
        (Some(old), None) => stale_files(dir, old, &files, &set.source.inputs),
        _ => Vec::new(),
    };
    let manifest = Manifest {
        park_path: set.source.park_path.display().to_string(),
        park_sha256: set.source.park_sha256.clone(),
        overrides: set.source.overrides.clone(),
        plan_sha256: set.plan_sha256.clone(),
        ecopark_version: ecopark_version(),
        files,
    };
    let temporary = tempfile::Builder::new()
        .prefix(SET_PREFIX)
        .tempdir_in(dir)
        .map_err(io(dir))?;
    for file in &set.files {
        write_synced(&temporary.path().join(&file.name), &file.bytes)?;
    }
    let stale_json = serde_json::to_string(&stale).expect("names always serialise");
    write_synced(&temporary.path().join(STALE_FILE), stale_json.as_bytes())?;
    // Written whole under another name, then renamed: a manifest in the
    // temporary folder is the sign that the set in it is complete.
    let partial = temporary.path().join(PARTIAL_MANIFEST);
    write_synced(&partial, manifest.to_json().as_bytes())?;
    std::fs::rename(&partial, temporary.path().join(&set.manifest_name)).map_err(io(&partial))?;
    move_into_place(dir, temporary.path(), &set.manifest_name).map_err(io(dir))?;
    let mut written: Vec<PathBuf> = set.files.iter().map(|f| dir.join(&f.name)).collect();
    written.push(dir.join(&set.manifest_name));
    Ok(written)
}

/// Refuses the set when a path it writes is an input, is a folder, or is
/// a file no manifest in `dir` lists (unless forced).
fn check_targets(dir: &Path, set: &OutputSet) -> Result<(), OutputError> {
    let listed: Vec<String> = manifests_in(dir)
        .into_iter()
        .flat_map(|(name, manifest)| {
            std::iter::once(name).chain(manifest.files.into_iter().map(|file| file.name))
        })
        .collect();
    let names = set
        .files
        .iter()
        .map(|file| file.name.as_str())
        .chain([set.manifest_name.as_str()]);
    for name in names {
        let path = dir.join(name);
        refuse_input(&path, &set.source.inputs)?;
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !replaceable(&metadata) {
            return Err(OutputError::NotAFile { path });
        }
        if !set.source.force && !listed.iter().any(|listed| listed == name) {
            return Err(OutputError::NotOurs { path });
        }
    }
    Ok(())
}

/// Files of the folder's old set that the new one does not have, still as
/// ecopark wrote them and not among the inputs: removed with the old set.
fn stale_files(
    dir: &Path,
    old: &Manifest,
    new: &[ManifestFile],
    inputs: &[PathBuf],
) -> Vec<String> {
    old.files
        .iter()
        .filter(|file| !new.iter().any(|kept| kept.name == file.name))
        .filter(|file| !is_manifest_name(&file.name) && is_plain_name(&file.name))
        .filter(|file| {
            let path = dir.join(&file.name);
            file_matches(&path, &file.sha256) && refuse_input(&path, inputs).is_ok()
        })
        .map(|file| file.name.clone())
        .collect()
}

/// Whether a name read from a file in the folder (a manifest, a killed
/// writer's list) names a file in the folder itself: no separator, not
/// `.` or `..`, so that a planted manifest cannot move or remove anything
/// elsewhere.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Writes a new file (created exclusively) and flushes it to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let error = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
    let mut file = options.open(path).map_err(error)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(error)
}

/// Moves a complete set from `temporary` into `dir`: the old manifest
/// removed, the stale files removed, each file renamed into place, the
/// manifest last. Also finishes the move of a killed writer. Nothing moves
/// unless the temporary folder's manifest is whole (it is renamed into
/// that folder complete, so a partial one is never there).
fn move_into_place(dir: &Path, temporary: &Path, manifest_name: &str) -> std::io::Result<()> {
    let Some(manifest) = Manifest::read(&temporary.join(manifest_name)) else {
        return Ok(());
    };
    let stale: Vec<String> = std::fs::read_to_string(temporary.join(STALE_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    remove_if_there(&dir.join(manifest_name))?;
    for name in stale.iter().filter(|name| is_plain_name(name)) {
        remove_if_there(&dir.join(name))?;
    }
    for file in manifest.files.iter().filter(|f| is_plain_name(&f.name)) {
        let from = temporary.join(&file.name);
        if from.is_file() {
            std::fs::rename(&from, dir.join(&file.name))?;
        }
    }
    std::fs::rename(temporary.join(manifest_name), dir.join(manifest_name))?;
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

fn remove_if_there(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// Under the folder's lock: finishes the move of a writer killed while
/// moving its set, and removes every other stale ecopark temporary.
fn tidy(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.starts_with(TEMPORARY_PREFIX) || name == LOCK_FILE {
            continue;
        }
        let path = entry.path();
        if !entry.file_type()?.is_dir() {
            remove_if_there(&path)?;
            continue;
        }
        if name.starts_with(SET_PREFIX) {
            let manifest = std::fs::read_dir(&path)?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .find(|name| is_manifest_name(name));
            if let Some(manifest) = manifest {
                move_into_place(dir, &path, &manifest)?;
            }
        }
        std::fs::remove_dir_all(&path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source {
            park_path: "park.toml".into(),
            park_sha256: sha256_hex(b"park"),
            ..Source::default()
        }
    }

    fn set<'a>(source: &'a Source, files: &[(&str, &str)]) -> OutputSet<'a> {
        OutputSet {
            manifest_name: "manifest.json".into(),
            source,
            plan_sha256: Some(sha256_hex(b"plan")),
            files: files
                .iter()
                .map(|(name, text)| OutputFile::new(*name, text.as_bytes()))
                .collect(),
            extends_same_plan: false,
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_set_replaces_the_old_one_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let source = source();
        write_set(dir.path(), &set(&source, &[("a.csv", "1"), ("b.csv", "1")])).unwrap();
        std::fs::write(dir.path().join("mine.txt"), "user").unwrap();
        let written = write_set(dir.path(), &set(&source, &[("a.csv", "2")])).unwrap();
        assert_eq!(
            written,
            [dir.path().join("a.csv"), dir.path().join("manifest.json")]
        );
        assert_eq!(names(dir.path()), ["a.csv", "manifest.json", "mine.txt"]);
        let manifest = Manifest::read(&dir.path().join("manifest.json")).unwrap();
        assert!(manifest.is_complete_in(dir.path()));
        assert_eq!(manifest.files.len(), 1);
    }

    #[test]
    fn a_file_no_manifest_lists_is_replaced_only_when_forced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "hand-written").unwrap();
        let mut source = source();
        let error = write_set(dir.path(), &set(&source, &[("a.csv", "1")])).unwrap_err();
        assert!(matches!(error, OutputError::NotOurs { .. }), "{error}");
        assert!(error.to_string().contains("--force"), "{error}");
        assert_eq!(names(dir.path()), ["a.csv"]);
        source.force = true;
        write_set(dir.path(), &set(&source, &[("a.csv", "1")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "1"
        );
    }

    #[test]
    fn an_input_is_never_written_even_when_forced() {
        let dir = tempfile::tempdir().unwrap();
        let park = dir.path().join("plan.json");
        std::fs::write(&park, "park").unwrap();
        let link = dir.path().join("linked.json");
        std::fs::hard_link(&park, &link).unwrap();
        let source = Source {
            force: true,
            inputs: vec![link.clone()],
            ..source()
        };
        let error = write_set(dir.path(), &set(&source, &[("plan.json", "{}")])).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("plan.json") && message.contains("linked.json"),
            "{message}"
        );
        assert_eq!(std::fs::read_to_string(&park).unwrap(), "park");
        let error = write_new_file(&park, b"x", std::slice::from_ref(&link), true).unwrap_err();
        assert!(matches!(error, OutputError::WouldOverwriteInput { .. }));
        // The same file by another spelling of its path.
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let roundabout = dir.path().join("sub/../plan.json");
        assert!(same_file(&roundabout, &park));
        assert!(same_file(
            &dir.path().join("sub/../new.json"),
            &dir.path().join("new.json")
        ));
        assert!(!same_file(&dir.path().join("new.json"), &park));
    }

    #[test]
    fn a_killed_move_is_finished_by_the_next_writer() {
        let dir = tempfile::tempdir().unwrap();
        let source = source();
        write_set(
            dir.path(),
            &set(&source, &[("a.csv", "old"), ("b.csv", "old")]),
        )
        .unwrap();
        // A writer killed after removing the old manifest and moving a.csv.
        let temporary = dir.path().join(".ecopark-set-killed");
        std::fs::create_dir(&temporary).unwrap();
        let new = Manifest {
            files: vec![
                ManifestFile {
                    name: "a.csv".into(),
                    sha256: sha256_hex(b"new"),
                },
                ManifestFile {
                    name: "b.csv".into(),
                    sha256: sha256_hex(b"new"),
                },
            ],
            ..Manifest::read(&dir.path().join("manifest.json")).unwrap()
        };
        std::fs::write(temporary.join("manifest.json"), new.to_json()).unwrap();
        std::fs::write(temporary.join("b.csv"), "new").unwrap();
        std::fs::write(dir.path().join("a.csv"), "new").unwrap();
        std::fs::remove_file(dir.path().join("manifest.json")).unwrap();
        // And one killed while writing its files.
        std::fs::create_dir(dir.path().join(".ecopark-set-early")).unwrap();
        std::fs::write(dir.path().join(".ecopark-set-early/a.csv"), "half").unwrap();
        std::fs::write(dir.path().join(".ecopark-a.csv.x.tmp"), "half").unwrap();
        tidy(dir.path()).unwrap();
        assert_eq!(names(dir.path()), ["a.csv", "b.csv", "manifest.json"]);
        let manifest = Manifest::read(&dir.path().join("manifest.json")).unwrap();
        assert_eq!(manifest, new);
        assert!(manifest.is_complete_in(dir.path()));
    }

    #[test]
    fn a_writer_killed_while_writing_its_manifest_leaves_the_old_set() {
        let dir = tempfile::tempdir().unwrap();
        let source = source();
        write_set(dir.path(), &set(&source, &[("a.csv", "old")])).unwrap();
        let killed = dir.path().join(".ecopark-set-killed");
        std::fs::create_dir(&killed).unwrap();
        std::fs::write(killed.join("a.csv"), "new").unwrap();
        std::fs::write(killed.join("manifest.json"), "{\"park_path\": \"par").unwrap();
        tidy(dir.path()).unwrap();
        let manifest = Manifest::read(&dir.path().join("manifest.json")).unwrap();
        assert!(manifest.is_complete_in(dir.path()));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "old"
        );
        assert_eq!(names(dir.path()), ["a.csv", "manifest.json"]);
    }

    #[test]
    fn a_planted_temporary_folder_cannot_reach_outside_the_folder() {
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let dir = outside.path().join("out");
        let planted = dir.join(".ecopark-set-planted");
        std::fs::create_dir_all(&planted).unwrap();
        let escape = |name: &str| ManifestFile {
            name: name.into(),
            sha256: sha256_hex(b"x"),
        };
        let manifest = Manifest {
            park_path: String::new(),
            park_sha256: String::new(),
            overrides: Vec::new(),
            plan_sha256: None,
            ecopark_version: ecopark_version(),
            files: vec![escape("../victim.txt"), escape("..")],
        };
        std::fs::write(planted.join("manifest.json"), manifest.to_json()).unwrap();
        std::fs::write(planted.join(STALE_FILE), r#"["../victim.txt", ".."]"#).unwrap();
        tidy(&dir).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!planted.exists());
    }

    #[test]
    fn a_folder_in_the_place_of_a_file_leaves_the_old_set_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let source = source();
        write_set(dir.path(), &set(&source, &[("a.csv", "old")])).unwrap();
        std::fs::remove_file(dir.path().join("a.csv")).unwrap();
        std::fs::create_dir(dir.path().join("b.csv")).unwrap();
        std::fs::write(dir.path().join("a.csv"), "old").unwrap();
        let error = write_set(
            dir.path(),
            &set(&source, &[("a.csv", "new"), ("b.csv", "new")]),
        )
        .unwrap_err();
        assert!(matches!(error, OutputError::NotAFile { .. }), "{error}");
        let manifest = Manifest::read(&dir.path().join("manifest.json")).unwrap();
        assert!(manifest.is_complete_in(dir.path()));
        assert_eq!(names(dir.path()), ["a.csv", "b.csv", "manifest.json"]);
    }

    #[test]
    fn a_second_writer_is_refused_while_the_folder_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let _held = FolderLock::take(dir.path()).unwrap();
        let source = source();
        let error = write_set(dir.path(), &set(&source, &[("a.csv", "1")])).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("another ecopark is writing into"),
            "{error}"
        );
    }

    #[test]
    fn an_unwritable_folder_is_found_before_anything_is_solved() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("file"), "").unwrap();
        assert!(check_writable(&dir.path().join("file/out")).is_err());
        check_writable(&dir.path().join("out/sub")).unwrap();
        assert!(
            !dir.path().join("out").exists(),
            "folders made for it removed"
        );
        std::fs::create_dir(dir.path().join("out")).unwrap();
        check_writable(&dir.path().join("out")).unwrap();
        assert!(names(&dir.path().join("out")).is_empty(), "probe removed");
    }
}

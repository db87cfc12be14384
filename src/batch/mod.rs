//! Batch runs: many parks, or many scenarios of one park, solved from a
//! list file and spread over machines.
//!
//! A study rarely stops at one solve: a planning team compares parks, and
//! carbon prices, discount rates and price or quantity groups scaled up and
//! down for each. This module runs such a list as independent items, so a
//! scheduler can hand every machine a share:
//!
//! - [`BatchList`] reads the list file: one item a line, a park file and
//!   `key=value` overrides (see [`BatchList::parse`] for the format); every
//!   problem of the list is reported at once, as validation does for a
//!   park file (`list`).
//! - [`Override`]s change an item's park: those that set a field of the
//!   park file are applied to the parsed file before validation, scalings
//!   to the validated park, which is then checked again (`overrides`).
//! - [`Shard`] `I/N` picks every N-th item starting at I, so the N tasks of
//!   a Slurm job array (or of any scheduler) split the list between them
//!   without talking to each other (`shard`).
//! - [`run()`] solves the items of one shard in parallel and writes each
//!   into its own folder, the files `solve` writes
//!   ([`report::write_solve_outputs`](crate::report::write_solve_outputs))
//!   and `summary.json`, as one set with its `manifest.json`; an item
//!   whose manifest, park, overrides and plan still hold is skipped, so a
//!   killed or timed-out task is simply run again (`run`).
//! - [`merge()`] reads every `summary.json` under the shards' folders and
//!   returns one CSV table, one row per item (`merge`).
//!
//! Nothing here prints: callers get a [`BatchSummary`] back, and may watch
//! items finish through [`run_with_progress`].

mod list;
mod merge;
mod overrides;
mod run;
mod shard;

pub use list::{BatchItem, BatchList};
pub use merge::merge;
pub use overrides::{Change, Override};
pub use run::{run, run_with_progress, BatchSummary, Counts, ItemOutcome, ItemStatus, ItemSummary};
pub use shard::Shard;

use crate::diagnostic::Diagnostics;
use crate::input::ReadError;
use crate::report::WriteError;
use crate::solve::SolveError;
use std::path::PathBuf;

/// The file that marks an item as done, written last into its folder.
pub const SUMMARY_FILE: &str = "summary.json";

/// Something went wrong with a batch as a whole: its list, its shard, its
/// output folder, or the folders being merged. A problem with one item is
/// not an error of the batch; it is a row of the [`BatchSummary`].
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The list file could not be read: missing, not a regular file (a
    /// named pipe would block), over the size cap, or not UTF-8.
    #[error("batch list {} {source}", file.display())]
    Read {
        /// The list file.
        file: PathBuf,
        /// Why.
        source: ReadError,
    },
    /// Lines of the list file are not items: every problem found, each an
    /// error with its line, the token at fault as its entity
    /// ([`Entity::Line`](crate::diagnostic::Entity::Line) for a name used twice) and what to write instead; shown one a line as
    /// `list:line: 'token': message`.
    #[error("{}", list::render(.0))]
    List(Diagnostics),
    /// The list file holds no item.
    #[error("{}: the batch list has no items (one park file per line, then optional key=value overrides)", file.display())]
    Empty {
        /// The list file.
        file: PathBuf,
    },
    /// A shard is not `I/N` with `0 ≤ I < N`.
    #[error("a shard is I/N with 0 ≤ I < N (e.g. 0/4 … 3/4): {reason}, got '{text}'")]
    Shard {
        /// What was given.
        text: String,
        /// What is wrong.
        reason: String,
    },
    /// The solver asked for is not in this build.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// The output folder could not be made.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A folder to merge could not be read.
    #[error("cannot read the results folder {}: {source}", path.display())]
    ReadFolder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A `summary.json` could not be read as an item summary.
    #[error("{}: not an item summary written by ecopark batch: {message}", path.display())]
    Summary {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A `summary.json` does not agree with its folder or with the plan
    /// beside it, or the plan's own figures do not add up: it has been
    /// edited, copied or mixed with another run, and is not merged.
    #[error("{}: {message}; not merged (delete the item's folder and run the batch again)", path.display())]
    Untrusted {
        /// The summary.
        path: PathBuf,
        /// What does not add up.
        message: String,
    },
    /// The same item has different results in two folders.
    #[error("item '{name}' has different results in {} and {}; keep one of them (identical copies are merged)", first.display(), second.display())]
    Conflict {
        /// The item name.
        name: String,
        /// One summary.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// No folder holds any item summary.
    #[error("no {SUMMARY_FILE} found in any subfolder of {folders}: has `ecopark batch` run with --out there?")]
    NothingToMerge {
        /// The folders searched.
        folders: String,
    },
}

/// Lists and folders for the tests of the batch modules.
#[cfg(test)]
mod testing {
    use super::BatchList;
    use std::path::{Path, PathBuf};

    /// The shipped tiny park.
    pub fn tiny_path() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("parks/tiny/park.toml")
    }

    /// `text` parsed as the list `studies/parks.list`.
    pub fn parse(text: &str) -> Result<BatchList, super::BatchError> {
        BatchList::parse(Path::new("studies/parks.list"), text)
    }

    /// A list of tiny at its own carbon price and at 200 CNY/t, in `dir`
    /// with a copy of the tiny park.
    pub fn study(dir: &Path) -> BatchList {
        std::fs::create_dir_all(dir.join("tiny")).unwrap();
        std::fs::copy(tiny_path(), dir.join("tiny/park.toml")).unwrap();
        let list = dir.join("parks.list");
        std::fs::write(
            &list,
            "# tiny at two carbon prices\n\
             tiny/park.toml\n\
             tiny/park.toml carbon_price_cny_per_t=200 name=tiny-cp200\n",
        )
        .unwrap();
        BatchList::load(&list).unwrap()
    }
}

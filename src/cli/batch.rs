//! `batch` and `merge`: lists of parks and scenarios solved in shards that
//! a job array can spread over machines, and their summaries merged into
//! one table.

use super::{solver_config, worker_pool, SolverArgs, EXIT_ERROR, EXIT_NO_PLAN, EXIT_OK};
use anyhow::{Context, Result};
use ecopark::batch::{self, BatchList, Shard};
use ecopark::text::printable_lines;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// `batch`: the items of one shard of a list, one line printed per item.
pub fn batch(
    list: &Path,
    shard: Shard,
    out: &Path,
    jobs: Option<usize>,
    solving: &SolverArgs,
    force: bool,
) -> Result<u8> {
    let config = solver_config(solving)?;
    let list = match BatchList::load(list) {
        Ok(list) => list,
        Err(error) => {
            eprintln!("error: {}", printable_lines(&error.to_string()));
            return Ok(EXIT_ERROR);
        }
    };
    let pool = worker_pool(jobs).context("starting the worker threads")?;
    let summary = pool.install(|| {
        batch::run_with_progress(&list, shard, out, &config, force, |item| {
            println!("{}", printable_lines(&item.to_string()))
        })
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
        Ok(table) if std::io::stdout().is_terminal() => {
            // On a terminal a name's escape sequence would act; into a
            // file or a pipe the table goes as it is.
            print!("{}", printable_lines(&table));
            Ok(EXIT_OK)
        }
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

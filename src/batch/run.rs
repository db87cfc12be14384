//! The runner: the items of one shard solved in parallel, each written
//! into its own folder with the files `solve` writes, `summary.json` and
//! their `manifest.json` last, and the summaries that say how each ended;
//! an item is skipped only when that set still holds for its park.

use super::{BatchError, BatchItem, BatchList, Shard, SUMMARY_FILE};
use crate::park::Park;
use crate::pipeline::{self, Optimised};
use crate::report::manifest::{ecopark_version, sha256_file, Manifest, MANIFEST_FILE};
use crate::report::{self, OutputFile, OutputOptions, Source, WriteError};
use crate::solve::{self, SolverConfig, Termination};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// How an item ended.
///
/// The first three are final: the item gets a `summary.json` and is
/// skipped when the batch runs again, as long as its set still holds
/// ([`run_with_progress`]). An invalid park or a failure to run
/// or write is not: it gets no `summary.json`, is fixed, and is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// A plan was found and verified; the plan files are written.
    Planned,
    /// The solver returned no plan (infeasible, or none within the
    /// limits); unmet targets are written.
    NoPlan,
    /// The plan failed independent verification and is not written.
    Unverified,
    /// The park file could not be read or is not valid, or the park its
    /// overrides make is not.
    Invalid,
    /// The item could not be run or written (see its message).
    Failed,
}

/// One item's result: the contents of its `summary.json` and a row of the
/// merged table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemSummary {
    /// Item name (its folder).
    pub name: String,
    /// Line in the list file.
    pub line: usize,
    /// Park file as written in the list.
    pub park: String,
    /// Overrides as written.
    pub overrides: Vec<String>,
    /// How it ended.
    pub status: ItemStatus,
    /// Why, when it did not end with a verified plan.
    pub message: Option<String>,
    /// Solver backend used.
    pub backend: Option<crate::solve::Backends>,
    /// Why the solver stopped.
    pub termination: Option<Termination>,
    /// Whether the solver returned a plan.
    pub has_plan: bool,
    /// Whether the plan passed independent verification.
    pub verified: bool,
    /// Carbon price solved at (after overrides), CNY per t.
    pub carbon_price_cny_per_t: Option<f64>,
    /// Discount rate solved at (after overrides), fraction.
    pub discount_rate: Option<f64>,
    /// The plan's annual cost plus priced CO2, CNY per year.
    pub objective_cny_per_year: Option<f64>,
    /// … minus today's park's.
    pub objective_change_cny_per_year: Option<f64>,
    /// The plan's annual cost, CNY per year.
    pub cost_cny_per_year: Option<f64>,
    /// … minus today's park's.
    pub cost_change_cny_per_year: Option<f64>,
    /// The plan's CO2, t per year.
    pub co2_t_per_year: Option<f64>,
    /// … minus today's park's.
    pub co2_change_t_per_year: Option<f64>,
    /// Solid-waste comprehensive utilisation rate of the plan, fraction.
    pub solid_waste_utilisation_rate: Option<f64>,
    /// Seconds in the solver.
    pub solve_s: f64,
}

impl ItemSummary {
    /// A summary of `item` with nothing known yet.
    pub(super) fn of(item: &BatchItem, status: ItemStatus, message: Option<String>) -> ItemSummary {
        ItemSummary {
            name: item.name.clone(),
            line: item.line,
            park: item.park_as_written.clone(),
            overrides: item.override_texts(),
            status,
            message,
            backend: None,
            termination: None,
            has_plan: false,
            verified: false,
            carbon_price_cny_per_t: None,
            discount_rate: None,
            objective_cny_per_year: None,
            objective_change_cny_per_year: None,
            cost_cny_per_year: None,
            cost_change_cny_per_year: None,
            co2_t_per_year: None,
            co2_change_t_per_year: None,
            solid_waste_utilisation_rate: None,
            solve_s: 0.0,
        }
    }

    /// The summary of a solved item.
    fn solved(item: &BatchItem, park: &Park, result: &Optimised) -> ItemSummary {
        let report = &result.solver;
        let verified = result.verification.as_ref().is_some_and(|v| v.passed());
        let (status, message) = match (&result.plan, &result.verification) {
            (None, _) => {
                let mut message = format!(
                    "the {} solver found no plan: {}",
                    report.backend, report.termination
                );
                if let Some(words) = &report.message {
                    message.push_str(&format!(" ({words})"));
                }
                if report.termination == Termination::TimeLimit {
                    message.push_str("; try a longer time limit");
                }
                (ItemStatus::NoPlan, Some(message))
            }
            (Some(_), Some(verification)) if !verification.passed() => (
                ItemStatus::Unverified,
                Some(format!(
                    "the plan failed independent verification and is not written: {}",
                    verification.messages("; ")
                )),
            ),
            (Some(_), _) => (ItemStatus::Planned, None),
        };
        let mut summary = ItemSummary::of(item, status, message);
        summary.backend = Some(report.backend.clone());
        summary.termination = Some(report.termination);
        summary.has_plan = result.plan.is_some();
        summary.verified = verified;
        summary.carbon_price_cny_per_t = Some(park.carbon_price_cny_per_t);
        summary.discount_rate = Some(park.discount_rate);
        summary.solve_s = result.times.solve_s;
        if let Some(plan) = &result.plan {
            summary.objective_cny_per_year = Some(plan.plan.objective_cny_per_year);
            summary.objective_change_cny_per_year = Some(plan.change.objective_cny_per_year);
            summary.cost_cny_per_year = Some(plan.plan.cost_cny_per_year);
            summary.cost_change_cny_per_year = Some(plan.change.cost_cny_per_year);
            summary.co2_t_per_year = Some(plan.plan.co2_t_per_year);
            summary.co2_change_t_per_year = Some(plan.change.co2_t_per_year);
            summary.solid_waste_utilisation_rate = Some(plan.kpis.solid_waste_utilisation_rate);
        }
        summary
    }

    /// The summary without what may differ between two runs of the same
    /// item: its line in the list and the solve time.
    pub(super) fn results(&self) -> ItemSummary {
        ItemSummary {
            line: 0,
            solve_s: 0.0,
            ..self.clone()
        }
    }
}

/// What happened to one item in this run.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemOutcome {
    /// Its summary; for a skipped item, the one found on disk.
    pub summary: ItemSummary,
    /// Whether it was skipped because it was done before (its set, park,
    /// overrides and plan still hold).
    pub skipped: bool,
}

impl fmt::Display for ItemOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        write!(
            f,
            "line {}: {}: {}",
            s.line,
            s.name,
            crate::table::name_of(&s.status)
        )?;
        if self.skipped {
            write!(f, " (done before, skipped)")?;
        }
        // A plan's figures only for a plan that was written: an item that
        // failed to write has none to show.
        let figures = (s.objective_cny_per_year, s.objective_change_cny_per_year);
        if let (ItemStatus::Planned, (Some(objective), Some(change))) = (s.status, figures) {
            write!(
                f,
                ", objective {} CNY/yr ({} against today)",
                crate::units::thousands(objective),
                crate::units::thousands(change)
            )?;
        }
        if let Some(message) = &s.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

/// Items of a run by how they ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Verified plans.
    pub planned: usize,
    /// No plan found.
    pub no_plan: usize,
    /// Plans that failed verification.
    pub unverified: usize,
    /// Invalid parks.
    pub invalid: usize,
    /// Items that could not be run or written.
    pub failed: usize,
    /// Of all these, items done before and skipped.
    pub skipped: usize,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} planned, {} no plan, {} unverified, {} invalid, {} failed ({} done before and skipped)",
            self.planned, self.no_plan, self.unverified, self.invalid, self.failed, self.skipped
        )
    }
}

/// What a run of one shard did.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchSummary {
    /// The shard run.
    pub shard: Shard,
    /// One report per item of the shard, in list order.
    pub items: Vec<ItemOutcome>,
}

impl BatchSummary {
    /// Items by how they ended.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for item in &self.items {
            let count = match item.summary.status {
                ItemStatus::Planned => &mut counts.planned,
                ItemStatus::NoPlan => &mut counts.no_plan,
                ItemStatus::Unverified => &mut counts.unverified,
                ItemStatus::Invalid => &mut counts.invalid,
                ItemStatus::Failed => &mut counts.failed,
            };
            *count += 1;
            counts.skipped += usize::from(item.skipped);
        }
        counts
    }

    /// Whether some item is invalid, failed, or has a plan that failed
    /// verification.
    pub fn has_errors(&self) -> bool {
        let counts = self.counts();
        counts.unverified + counts.invalid + counts.failed > 0
    }

    /// Whether every item of the shard has a verified plan.
    pub fn all_planned(&self) -> bool {
        self.items
            .iter()
            .all(|item| item.summary.status == ItemStatus::Planned)
    }
}

/// Runs the items of one shard of `list`, writing each into `out/<name>/`;
/// see [`run_with_progress`].
pub fn run(
    list: &BatchList,
    shard: Shard,
    out: &Path,
    config: &SolverConfig,
) -> Result<BatchSummary, BatchError> {
    run_with_progress(list, shard, out, config, false, |_| {})
}

/// Runs the items of one shard of `list` in parallel (on the current rayon
/// pool), calling `progress` as each finishes (in completion order); the
/// summary lists them in list order. With `force`, files in an item's
/// folder that no manifest lists are replaced rather than refused.
///
/// For each item: when it was done before it is skipped: its folder's
/// `manifest.json` lists `summary.json`, every file it lists is there as
/// written, it names the same park bytes, overrides and ecopark version,
/// and the item's plan, if it has one, still verifies against the park.
/// Otherwise its park is loaded, changed by the overrides and validated
/// ([`BatchItem::scenario`]; an invalid park is a row of the summary, not
/// an error of the batch), and optimised. What `solve` writes is written
/// with [`report::write_solve_outputs`] (no report): for a verified plan
/// `plan.json`, `links.csv`, `projects.csv` and `firms.csv`, for no plan
/// with unmet targets `unmet_targets.json`; then `summary.json`, all as
/// one set with its `manifest.json` (park hash, overrides, plan hash,
/// version), so an interrupted run never leaves a complete set for an
/// unfinished item. The list file and the item's park are the set's
/// inputs: no output is ever one of them.
///
/// An item without a plan, or whose plan fails verification, also gets a
/// `summary.json` with its status: solving it again with the same settings
/// would end the same way, so it is not retried on every run (delete its
/// folder to retry, e.g. with a longer time limit). An invalid park and a
/// failure to write get no `summary.json`, so the next run retries them.
pub fn run_with_progress(
    list: &BatchList,
    shard: Shard,
    out: &Path,
    config: &SolverConfig,
    force: bool,
    progress: impl Fn(&ItemOutcome) + Sync,
) -> Result<BatchSummary, BatchError> {
    solve::resolve_backend(config.solver)?;
    report::check_writable(out)?;
    std::fs::create_dir_all(out).map_err(|source| WriteError {
        path: out.to_path_buf(),
        source,
    })?;
    // Every park of the list is an input of every item: no item's files
    // may replace another item's park, `--force` or not.
    let inputs: Vec<std::path::PathBuf> = std::iter::once(list.file.clone())
        .chain(list.items.iter().map(|item| item.park.clone()))
        .collect();
    let items = shard.items(list);
    let bar = crate::progress::Progress::start(items.len(), "parks");
    let items = items
        .into_par_iter()
        .map(|item| {
            let report = run_item(item, &inputs, out, config, force);
            bar.done_one();
            progress(&report);
            report
        })
        .collect();
    Ok(BatchSummary { shard, items })
}

/// Runs one item, or reads its summary when it was done before; `force`
/// replaces files in its folder that no manifest lists, never `inputs`.
fn run_item(
    item: &BatchItem,
    inputs: &[std::path::PathBuf],
    out: &Path,
    config: &SolverConfig,
    force: bool,
) -> ItemOutcome {
    let dir = out.join(&item.name);
    let report = |summary| ItemOutcome {
        summary,
        skipped: false,
    };
    let source = match sha256_file(&item.park) {
        Ok(park_sha256) => Source {
            park_path: item.park.clone(),
            park_sha256,
            overrides: item.override_texts(),
            inputs: inputs.to_vec(),
            force,
        },
        Err(error) => {
            return report(ItemSummary::of(
                item,
                ItemStatus::Invalid,
                Some(format!("cannot read {}: {error}", item.park.display())),
            ))
        }
    };
    if let Some(done) = done_before(item, &dir, &source) {
        return done;
    }
    let park = match item.scenario() {
        Ok(park) => park,
        Err(issues) => {
            return report(ItemSummary::of(
                item,
                ItemStatus::Invalid,
                Some(issues.to_string()),
            ))
        }
    };
    let result = match pipeline::optimise(&park, config) {
        Ok(result) => result,
        Err(error) => {
            return report(ItemSummary::of(
                item,
                ItemStatus::Failed,
                Some(error.to_string()),
            ))
        }
    };
    let mut summary = ItemSummary::solved(item, &park, &result);
    let json = serde_json::to_string_pretty(&summary).expect("a summary always serialises");
    let options = OutputOptions {
        extra: vec![OutputFile::new(SUMMARY_FILE, json + "\n")],
        ..OutputOptions::default()
    };
    // No report is asked for, so there are no warnings to pass on.
    let written = report::write_solve_outputs(&park, &result, &dir, &source, &options);
    if let Err(error) = written {
        summary.status = ItemStatus::Failed;
        summary.message = Some(error.to_string());
    }
    report(summary)
}

/// The outcome of an item done before, read back from its folder; `None`
/// when it must be run (again). It is done only when the folder's
/// `manifest.json` lists `summary.json`, every file it lists is there as
/// written, it names the same park bytes (`source`), the same overrides
/// and this version of ecopark, and, for an item with a plan, that plan
/// still verifies against the park as the overrides make it. A summary
/// that cannot be read, or that was written for another line, is a
/// failure naming the file.
fn done_before(item: &BatchItem, dir: &Path, source: &Source) -> Option<ItemOutcome> {
    let manifest = Manifest::read(&dir.join(MANIFEST_FILE))?;
    let same_run = manifest.park_sha256 == source.park_sha256
        && manifest.overrides == source.overrides
        && manifest.ecopark_version == ecopark_version()
        && manifest.hash_of(SUMMARY_FILE).is_some()
        && manifest.is_complete_in(dir);
    if !same_run {
        return None;
    }
    let outcome = skipped(item, &dir.join(SUMMARY_FILE));
    let planned = outcome.skipped && outcome.summary.status == ItemStatus::Planned;
    if planned && !plan_still_verifies(item, dir, &manifest) {
        return None;
    }
    Some(outcome)
}

/// Whether the item's `plan.json` is the manifest's plan and verifies
/// against the item's park.
fn plan_still_verifies(item: &BatchItem, dir: &Path, manifest: &Manifest) -> bool {
    let path = dir.join("plan.json");
    let listed = manifest.hash_of("plan.json");
    if listed.is_none() || listed != manifest.plan_sha256.as_deref() {
        return false;
    }
    match (crate::solution::plan::load_plan(&path), item.scenario()) {
        (Ok(plan), Ok(park)) => crate::solution::verify_stored(&plan, &park).passed(),
        _ => false,
    }
}

/// The report of an item whose `summary.json` exists: the summary read
/// back, or a failure when it cannot be read or is for another item.
fn skipped(item: &BatchItem, path: &Path) -> ItemOutcome {
    let failed = |message: String| ItemOutcome {
        summary: ItemSummary::of(item, ItemStatus::Failed, Some(message)),
        skipped: false,
    };
    let mut summary = match read_summary(path) {
        Ok(summary) => summary,
        Err(error) => {
            return failed(format!(
                "{error}; delete {} to run the item again",
                path.display()
            ))
        }
    };
    let scenario = |park: &str, overrides: &[String]| {
        std::iter::once(park)
            .chain(overrides.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let found = scenario(&summary.park, &summary.overrides);
    let wanted = scenario(&item.park_as_written, &item.override_texts());
    if found != wanted {
        return failed(format!(
            "{} was written for '{found}', not for this line's '{wanted}'; delete its folder to run the item again, or give the item another name=",
            path.display()
        ));
    }
    summary.line = item.line;
    ItemOutcome {
        summary,
        skipped: true,
    }
}

/// Reads one `summary.json`.
pub(super) fn read_summary(path: &Path) -> Result<ItemSummary, BatchError> {
    let error = |message: String| BatchError::Summary {
        path: path.to_path_buf(),
        message,
    };
    // A summary is a few hundred bytes; a megabyte is far past any.
    const MAX_SUMMARY_BYTES: u64 = 1 << 20;
    let bytes = crate::input::read_regular_file(path, MAX_SUMMARY_BYTES, "item summaries")
        .map_err(|e| error(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| error(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::merge;
    use super::super::testing::{study, tiny_path};
    use super::*;

    #[test]
    fn two_shards_into_one_folder_merge_into_one_table_and_resume() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let config = SolverConfig::default();
        let first = run(&list, "0/2".parse().unwrap(), &out, &config).unwrap();
        let second = run(&list, "1/2".parse().unwrap(), &out, &config).unwrap();
        for (summary, name) in [(&first, "tiny"), (&second, "tiny-cp200")] {
            assert_eq!(summary.items.len(), 1);
            assert_eq!(summary.items[0].summary.name, name);
            assert!(
                summary.all_planned() && !summary.has_errors(),
                "{summary:?}"
            );
            assert!(out.join(name).join("plan.json").is_file());
            assert!(out.join(name).join("links.csv").is_file());
        }

        let csv = merge(std::slice::from_ref(&out)).unwrap();
        let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), 3, "{csv}");
        let column = |name: &str| rows[0].iter().position(|c| *c == name).unwrap();
        assert_eq!(rows[1][column("name")], "tiny");
        assert_eq!(rows[2][column("name")], "tiny-cp200");
        assert_eq!(rows[1][column("carbon_price_cny_per_t")], "100");
        assert_eq!(rows[2][column("carbon_price_cny_per_t")], "200");
        assert_eq!(rows[1][column("status")], "planned");
        assert_eq!(rows[2][column("termination")], "optimal");
        let park = crate::park::testing::tiny();
        let direct = pipeline::optimise(&park, &config).unwrap().plan.unwrap();
        let objective: f64 = rows[1][column("objective_cny_per_year")].parse().unwrap();
        assert_eq!(objective, direct.plan.objective_cny_per_year);
        let change = |row: usize| -> f64 {
            rows[row][column("objective_change_cny_per_year")]
                .parse()
                .unwrap()
        };
        assert!(
            change(2) < change(1),
            "tiny's plan saves CO2, which is worth more at 200 CNY/t"
        );

        // Run again: both items are done, neither is written again.
        let plan = out.join("tiny/plan.json");
        let modified = std::fs::metadata(&plan).unwrap().modified().unwrap();
        let again = run(&list, Shard::ALL, &out, &config).unwrap();
        assert_eq!(again.counts().skipped, 2, "{again:?}");
        assert_eq!(again.counts().planned, 2);
        assert!(again.all_planned());
        assert_eq!(
            std::fs::metadata(&plan).unwrap().modified().unwrap(),
            modified,
            "skipped, not re-solved"
        );
        assert_eq!(merge(std::slice::from_ref(&out)).unwrap(), csv);

        // A file of the set gone: the item is not done, and is solved again.
        std::fs::remove_file(&plan).unwrap();
        let again = run(&list, Shard::ALL, &out, &config).unwrap();
        assert_eq!(again.counts().skipped, 1, "{again:?}");
        assert!(plan.is_file());
    }

    #[test]
    fn a_broken_park_is_a_row_not_a_failed_batch_and_is_retried() {
        let dir = tempfile::tempdir().unwrap();
        study(dir.path());
        let list = dir.path().join("parks.list");
        std::fs::write(&list, "tiny/park.toml\nmissing/park.toml\n").unwrap();
        let list = BatchList::load(&list).unwrap();
        let out = dir.path().join("results");
        let seen = std::sync::Mutex::new(Vec::new());
        let summary = run_with_progress(
            &list,
            Shard::ALL,
            &out,
            &SolverConfig::default(),
            false,
            |item| seen.lock().unwrap().push(item.summary.name.clone()),
        )
        .unwrap();
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, ["missing", "tiny"]);
        let [tiny, missing] = &summary.items[..] else {
            panic!("{summary:?}")
        };
        assert_eq!(tiny.summary.status, ItemStatus::Planned);
        assert_eq!(missing.summary.status, ItemStatus::Invalid);
        assert!(
            missing
                .summary
                .message
                .as_deref()
                .unwrap_or_default()
                .contains("missing/park.toml"),
            "{missing:?}"
        );
        assert!(summary.has_errors() && !summary.all_planned());
        assert_eq!(
            summary.counts().to_string(),
            "1 planned, 0 no plan, 0 unverified, 1 invalid, 0 failed (0 done before and skipped)"
        );
        assert!(
            !out.join("missing").join(SUMMARY_FILE).exists(),
            "retried next time"
        );
        assert!(
            missing
                .to_string()
                .starts_with("line 2: missing: invalid: "),
            "{missing}"
        );

        let again = run(&list, Shard::ALL, &out, &SolverConfig::default()).unwrap();
        assert!(again.items[0].skipped && !again.items[1].skipped);
        assert_eq!(again.items[1].summary.status, ItemStatus::Invalid);
    }

    /// A list of one item, `goals/park.toml`: tiny with a target it cannot meet.
    fn goals(dir: &Path) -> BatchList {
        let text = std::fs::read_to_string(tiny_path()).unwrap()
            + "\n[targets]\nwaste_heat_utilisation_min = 0.9\n";
        std::fs::create_dir_all(dir.join("goals")).unwrap();
        std::fs::write(dir.join("goals/park.toml"), text).unwrap();
        BatchList::parse(&dir.join("parks.list"), "goals/park.toml\n").unwrap()
    }

    #[test]
    fn a_failed_item_is_shown_without_a_plans_figures() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let mut summary =
            ItemSummary::of(&list.items[0], ItemStatus::Failed, Some("disk full".into()));
        summary.objective_cny_per_year = Some(-1.0);
        summary.objective_change_cny_per_year = Some(-2.0);
        let shown = ItemOutcome {
            summary,
            skipped: false,
        }
        .to_string();
        assert_eq!(shown, "line 2: tiny: failed: disk full");
    }

    #[test]
    fn an_item_without_a_plan_is_recorded_and_not_retried() {
        let dir = tempfile::tempdir().unwrap();
        let list = goals(dir.path());
        let out = dir.path().join("results");
        let first = run(&list, Shard::ALL, &out, &SolverConfig::default()).unwrap();
        assert_eq!(first.items[0].summary.status, ItemStatus::NoPlan);
        let summary = run(&list, Shard::ALL, &out, &SolverConfig::default()).unwrap();
        assert!(summary.items[0].skipped);
        assert_eq!(
            summary.items[0].summary.results(),
            first.items[0].summary.results()
        );
        assert!(
            !summary.has_errors() && !summary.all_planned(),
            "exit 1, not 2"
        );
        let csv = merge(&[out]).unwrap();
        assert!(csv.contains("\ngoals,1,goals/park.toml,,no_plan,"), "{csv}");
    }

    #[test]
    fn a_folder_for_another_scenario_is_solved_again_for_this_one() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let other = BatchList::parse(
            &list.file,
            "tiny/park.toml carbon_price_cny_per_t=50 name=tiny-cp200\n",
        )
        .unwrap();
        run(&other, Shard::ALL, &out, &SolverConfig::default()).unwrap();
        let summary = run(
            &list,
            "1/2".parse().unwrap(),
            &out,
            &SolverConfig::default(),
        )
        .unwrap();
        let item = &summary.items[0];
        assert!(!item.skipped, "{item}");
        assert_eq!(item.summary.status, ItemStatus::Planned, "{item}");
        assert_eq!(item.summary.carbon_price_cny_per_t, Some(200.0));
        let manifest = Manifest::read(&out.join("tiny-cp200").join(MANIFEST_FILE)).unwrap();
        assert_eq!(manifest.overrides, ["carbon_price_cny_per_t=200"]);
    }

    #[test]
    fn a_summary_ecopark_did_not_write_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let path = out.join("tiny-cp200").join(SUMMARY_FILE);
        report::write_atomic(&path, b"{}").unwrap();
        let summary = run(
            &list,
            "1/2".parse().unwrap(),
            &out,
            &SolverConfig::default(),
        )
        .unwrap();
        let item = &summary.items[0];
        assert_eq!(item.summary.status, ItemStatus::Failed);
        let message = item.summary.message.as_deref().unwrap_or_default();
        assert!(
            message.contains("summary.json: it was not written by ecopark"),
            "{message}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
        let config = SolverConfig::default();
        let forced =
            run_with_progress(&list, "1/2".parse().unwrap(), &out, &config, true, |_| {}).unwrap();
        assert_eq!(forced.items[0].summary.status, ItemStatus::Planned);
        assert_ne!(std::fs::read_to_string(&path).unwrap(), "{}");
    }

    #[test]
    fn an_edited_summary_or_park_makes_the_item_run_again() {
        // Finding 10: an edited summary.json, and a park edited after its
        // run (its plan no longer verifies), were both skipped as done.
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let config = SolverConfig::default();
        let first = run(&list, "0/2".parse().unwrap(), &out, &config).unwrap();
        let summary_path = out.join("tiny").join(SUMMARY_FILE);
        let text = std::fs::read_to_string(&summary_path).unwrap();
        let objective = first.items[0].summary.objective_cny_per_year.unwrap();
        let forged = text.replace(
            &format!("\"objective_cny_per_year\": {objective}"),
            "\"objective_cny_per_year\": -9990000000000.0",
        );
        assert_ne!(forged, text);
        std::fs::write(&summary_path, forged).unwrap();
        let again = run(&list, "0/2".parse().unwrap(), &out, &config).unwrap();
        assert!(!again.items[0].skipped, "{}", again.items[0]);
        assert_eq!(
            again.items[0].summary.objective_cny_per_year,
            Some(objective)
        );

        let park = dir.path().join("tiny/park.toml");
        let text = std::fs::read_to_string(&park).unwrap();
        std::fs::write(&park, text + "\n# edited after the run\n").unwrap();
        let again = run(&list, "0/2".parse().unwrap(), &out, &config).unwrap();
        assert!(!again.items[0].skipped, "another park's bytes");
        let again = run(&list, "0/2".parse().unwrap(), &out, &config).unwrap();
        assert!(again.items[0].skipped, "done for the park as it is now");
    }

    #[test]
    fn a_plan_that_no_longer_verifies_is_not_done() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        run(
            &list,
            "0/2".parse().unwrap(),
            &out,
            &SolverConfig::default(),
        )
        .unwrap();
        let folder = out.join("tiny");
        let manifest = Manifest::read(&folder.join(MANIFEST_FILE)).unwrap();
        assert!(done_before(&list.items[0], &folder, &source_of(&list, 0)).is_some());
        assert!(plan_still_verifies(&list.items[0], &folder, &manifest));
        // The park the item makes has another carbon price: the plan no
        // longer verifies against it.
        let dearer = BatchList::parse(
            &list.file,
            "tiny/park.toml carbon_price_cny_per_t=200 name=tiny\n",
        )
        .unwrap();
        assert!(!plan_still_verifies(&dearer.items[0], &folder, &manifest));
        // A plan.json that is not the manifest's plan is not done either.
        let forged = Manifest {
            plan_sha256: Some(sha256_file(&folder.join("links.csv")).unwrap()),
            ..manifest
        };
        assert!(!plan_still_verifies(&list.items[0], &folder, &forged));
    }

    fn source_of(list: &BatchList, index: usize) -> Source {
        let item = &list.items[index];
        Source {
            park_path: item.park.clone(),
            park_sha256: sha256_file(&item.park).unwrap(),
            overrides: item.override_texts(),
            inputs: vec![item.park.clone()],
            force: false,
        }
    }

    #[test]
    fn items_get_the_files_solve_writes_then_their_summary() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let summary = run(
            &list,
            "0/2".parse().unwrap(),
            &out,
            &SolverConfig::default(),
        )
        .unwrap();
        assert!(summary.all_planned(), "{summary:?}");
        let folder = out.join("tiny");
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "firms.csv",
                "links.csv",
                MANIFEST_FILE,
                "plan.json",
                "projects.csv",
                SUMMARY_FILE
            ]
        );
        let park = crate::park::testing::tiny();
        let plan = crate::park::testing::optimal_plan(&park);
        let ledger = crate::solution::firms::firm_ledger(&park, &plan).unwrap();
        assert_eq!(
            std::fs::read_to_string(folder.join("firms.csv")).unwrap(),
            crate::solution::firms::ledger_to_csv(&ledger),
            "the ledger solve writes"
        );
    }

    #[test]
    fn an_item_whose_targets_cannot_be_met_gets_the_shortfalls() {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(tiny_path()).unwrap()
            + "\n[targets]\nwaste_heat_utilisation_min = 0.9\n";
        std::fs::create_dir_all(dir.path().join("goals")).unwrap();
        std::fs::write(dir.path().join("goals/park.toml"), text).unwrap();
        let list = BatchList::parse(&dir.path().join("parks.list"), "goals/park.toml\n").unwrap();
        let out = dir.path().join("results");
        let summary = run(&list, Shard::ALL, &out, &SolverConfig::default()).unwrap();
        assert_eq!(summary.items[0].summary.status, ItemStatus::NoPlan);
        let folder = out.join("goals");
        let unmet: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(folder.join("unmet_targets.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(unmet[0]["field"], "waste_heat_utilisation_min");
        assert!(folder.join(SUMMARY_FILE).is_file());
        assert!(!folder.join("plan.json").exists());
    }

    #[test]
    fn a_scaled_park_out_of_range_is_an_invalid_item() {
        let dir = tempfile::tempdir().unwrap();
        study(dir.path());
        let list = BatchList::parse(
            &dir.path().join("parks.list"),
            "tiny/park.toml scale.carbon_price=2000\ntiny/park.toml scale.carbon_price=2\n",
        )
        .unwrap();
        let out = dir.path().join("results");
        let summary = run(&list, Shard::ALL, &out, &SolverConfig::default()).unwrap();
        let [high, fine] = &summary.items[..] else {
            panic!("{summary:?}")
        };
        assert_eq!(high.summary.status, ItemStatus::Invalid, "{high}");
        let message = high.summary.message.as_deref().unwrap_or_default();
        assert!(
            message.contains("tiny/park.toml with scale.carbon_price=2000: line 6: error: [park]: carbon_price_cny_per_t must be a finite number from 0 to 100000, got 200000"),
            "{message}"
        );
        assert!(
            !out.join(&high.summary.name).join(SUMMARY_FILE).exists(),
            "retried"
        );
        assert_eq!(fine.summary.status, ItemStatus::Planned, "{fine}");
        assert_eq!(fine.summary.carbon_price_cny_per_t, Some(200.0));
        assert!(summary.has_errors());
    }
}

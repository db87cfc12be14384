//! Batch runs: many parks, or many scenarios of one park, solved from a
//! list file and spread over machines.
//!
//! A study rarely stops at one solve: a planning team compares parks, and
//! carbon prices, discount rates and price or quantity groups scaled up and
//! down for each. This module runs such a list as independent items, so a
//! scheduler can hand every machine a share:
//!
//! - [`BatchList`] reads the list file: one item a line, a park file and
//!   `key=value` overrides (see [`BatchList::parse`] for the format).
//! - [`Shard`] `I/N` picks every N-th item starting at I, so the N tasks of
//!   a Slurm job array (or of any scheduler) split the list between them
//!   without talking to each other.
//! - [`run`] solves the items of one shard in parallel and writes each
//!   into its own folder, `summary.json` last; an item whose `summary.json`
//!   exists is skipped, so a killed or timed-out task is simply run again.
//! - [`merge`] reads every `summary.json` under the shards' folders and
//!   returns one CSV table, one row per item.
//!
//! Nothing here prints: callers get a [`BatchSummary`] back, and may watch
//! items finish through [`run_with_progress`].

use crate::analysis::sensitivity::Group;
use crate::diagnostic::unknown_name;
use crate::park::Park;
use crate::pipeline::{self, Optimised};
use crate::report::{self, WriteError};
use crate::solve::{self, SolveError, SolverConfig, Termination};
use crate::table::quoted;
use crate::validate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The file that marks an item as done, written last into its folder.
pub const SUMMARY_FILE: &str = "summary.json";

/// Override key of the carbon price.
const CARBON_PRICE: &str = "carbon_price_cny_per_t";
/// Override key of the discount rate.
const DISCOUNT_RATE: &str = "discount_rate";
/// Key of an item's name.
const NAME: &str = "name";
/// Prefix of the keys that scale a group.
const SCALE: &str = "scale.";

/// Something went wrong with a batch as a whole: its list, its shard, its
/// output folder, or the folders being merged. A problem with one item is
/// not an error of the batch; it is a row of the [`BatchSummary`].
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The list file could not be read.
    #[error("cannot read batch list {}: {source}", file.display())]
    Read {
        /// The list file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of the list file is not an item.
    #[error("{}:{line}: '{token}': {message}", file.display())]
    Parse {
        /// The list file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// The token at fault.
        token: String,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// Two items of a list would write to the same folder.
    #[error("{}:{second}: item name '{name}' is also the name of line {first}; give one of them its own name=", file.display())]
    DuplicateName {
        /// The list file.
        file: PathBuf,
        /// The name.
        name: String,
        /// Line of the first item with it.
        first: usize,
        /// Line of the second.
        second: usize,
    },
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

/// What an override changes in the validated park.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Sets the carbon price, CNY per t CO2.
    CarbonPrice(f64),
    /// Sets the real discount rate, fraction.
    DiscountRate(f64),
    /// Multiplies a price or quantity group by a factor, as the
    /// sensitivity analysis does ([`Group::scaled`]).
    Scale(Group, f64),
}

/// One `key=value` override of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The token as written in the list, e.g. `scale.capex=1.2`.
    pub text: String,
    /// What it does.
    pub change: Change,
}

impl Override {
    /// The park with this override applied.
    pub fn apply(&self, park: &Park) -> Park {
        match self.change {
            Change::CarbonPrice(price) => Park {
                carbon_price_cny_per_t: price,
                ..park.clone()
            },
            Change::DiscountRate(rate) => Park {
                discount_rate: rate,
                ..park.clone()
            },
            Change::Scale(group, factor) => group.scaled(park, factor),
        }
    }
}

/// One line of a batch list: a park and how to change it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchItem {
    /// 1-based line in the list file.
    pub line: usize,
    /// The park file as written in the list.
    pub park_as_written: String,
    /// The park file to read: relative paths are resolved against the
    /// list file's folder.
    pub park: PathBuf,
    /// Overrides, applied in the order written.
    pub overrides: Vec<Override>,
    /// Output folder name, unique within the list.
    pub name: String,
}

impl BatchItem {
    /// The validated park with the item's overrides applied, in order.
    pub fn scenario(&self, park: &Park) -> Park {
        self.overrides
            .iter()
            .fold(park.clone(), |park, o| o.apply(&park))
    }

    /// The overrides as written.
    pub fn override_texts(&self) -> Vec<String> {
        self.overrides.iter().map(|o| o.text.clone()).collect()
    }
}

/// A parsed batch list.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchList {
    /// The list file, as given.
    pub file: PathBuf,
    /// Items, in list order.
    pub items: Vec<BatchItem>,
}

impl BatchList {
    /// Reads and parses a list file.
    pub fn load(file: &Path) -> Result<BatchList, BatchError> {
        let text = std::fs::read_to_string(file).map_err(|source| BatchError::Read {
            file: file.to_path_buf(),
            source,
        })?;
        BatchList::parse(file, &text)
    }

    /// Parses the text of a list file; `file` names it in messages and is
    /// the base of relative park paths.
    ///
    /// The format: plain text, one item a line; blank lines and everything
    /// from a `#` that starts a word are ignored. An item is a park file
    /// (no spaces in the path; relative to the list file's folder) followed
    /// by optional `key=value` overrides, each key at most once:
    ///
    /// - `carbon_price_cny_per_t=P` sets the carbon price (0 to 100000),
    /// - `discount_rate=R` sets the real discount rate (0 to 0.5),
    /// - `scale.GROUP=F` multiplies a group by `F > 0`, GROUP being one of
    ///   the sensitivity groups (`waste_tonnages`, `waste_heat`,
    ///   `product_prices`, `carbon_price`, `transport_cost`, `capex`,
    ///   `fuel_prices`, `virgin_material_prices`, `electricity_price`),
    /// - `name=N` names the item's output folder (letters, digits, `-`,
    ///   `_`, lower case).
    ///
    /// Overrides apply in the order written. Without `name=`, the name is
    /// the park's folder name (for `park.toml`/`park.json`, else the file
    /// name without extension) followed by the overrides, made safe for a
    /// folder name. Two items with the same name are an error.
    pub fn parse(file: &Path, text: &str) -> Result<BatchList, BatchError> {
        let base = file.parent().unwrap_or(Path::new(""));
        let mut items = Vec::new();
        let mut lines_of: BTreeMap<String, usize> = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            let line_number = index + 1;
            let line = line.trim_start_matches('\u{feff}');
            let tokens: Vec<&str> = line
                .split_whitespace()
                .take_while(|token| !token.starts_with('#'))
                .collect();
            let Some((&park_text, rest)) = tokens.split_first() else {
                continue;
            };
            let error = |token: &str, message: String| BatchError::Parse {
                file: file.to_path_buf(),
                line: line_number,
                token: token.to_string(),
                message,
            };
            if park_text.contains('=') {
                return Err(error(
                    park_text,
                    "an item starts with its park file, then key=value overrides".into(),
                ));
            }
            let mut overrides = Vec::new();
            let mut name = None;
            let mut seen: Vec<&str> = Vec::new();
            for &token in rest {
                let Some((key, value)) = token.split_once('=') else {
                    return Err(error(
                        token,
                        format!(
                            "expected key=value after the park file (keys: {})",
                            known_keys().join(", ")
                        ),
                    ));
                };
                if seen.contains(&key) {
                    return Err(error(token, format!("{key} is given twice on this line")));
                }
                seen.push(key);
                if key == NAME {
                    name = Some(parse_name(value).map_err(|message| error(token, message))?);
                } else {
                    let change =
                        parse_change(key, value).map_err(|message| error(token, message))?;
                    overrides.push(Override {
                        text: token.to_string(),
                        change,
                    });
                }
            }
            let path = Path::new(park_text);
            let park = if path.is_absolute() {
                path.to_path_buf()
            } else {
                base.join(path)
            };
            let name = name.unwrap_or_else(|| default_name(path, &overrides));
            if let Some(&first) = lines_of.get(&name) {
                return Err(BatchError::DuplicateName {
                    file: file.to_path_buf(),
                    name,
                    first,
                    second: line_number,
                });
            }
            lines_of.insert(name.clone(), line_number);
            items.push(BatchItem {
                line: line_number,
                park_as_written: park_text.to_string(),
                park,
                overrides,
                name,
            });
        }
        if items.is_empty() {
            return Err(BatchError::Empty {
                file: file.to_path_buf(),
            });
        }
        Ok(BatchList {
            file: file.to_path_buf(),
            items,
        })
    }
}

/// The id of a group in a list file: its `snake_case` name, as in
/// `sensitivity.json`.
fn group_id(group: Group) -> &'static str {
    match group {
        Group::WasteTonnages => "waste_tonnages",
        Group::WasteHeat => "waste_heat",
        Group::ProductPrices => "product_prices",
        Group::CarbonPrice => "carbon_price",
        Group::TransportCost => "transport_cost",
        Group::Capex => "capex",
        Group::FuelPrices => "fuel_prices",
        Group::VirginMaterialPrices => "virgin_material_prices",
        Group::ElectricityPrice => "electricity_price",
    }
}

/// The group with this id.
fn group_from_id(id: &str) -> Option<Group> {
    Group::ALL.into_iter().find(|&group| group_id(group) == id)
}

/// Every key a list line may use.
fn known_keys() -> Vec<String> {
    let mut keys = vec![CARBON_PRICE.to_string(), DISCOUNT_RATE.to_string()];
    keys.extend(
        Group::ALL
            .iter()
            .map(|&g| format!("{SCALE}{}", group_id(g))),
    );
    keys.push(NAME.to_string());
    keys
}

/// `value` as a finite number for which `ok` holds, or a message saying
/// that `key` must be `wanted`.
fn parse_number(
    key: &str,
    value: &str,
    wanted: &str,
    ok: impl Fn(f64) -> bool,
) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(number) if number.is_finite() && ok(number) => Ok(number),
        _ => Err(format!("{key} must be {wanted}, got '{value}'")),
    }
}

/// The change a `key=value` override makes.
fn parse_change(key: &str, value: &str) -> Result<Change, String> {
    if key == CARBON_PRICE {
        let price = parse_number(key, value, "a number of CNY per t from 0 to 100000", |p| {
            (0.0..=1e5).contains(&p)
        })?;
        return Ok(Change::CarbonPrice(price));
    }
    if key == DISCOUNT_RATE {
        let rate = parse_number(key, value, "a fraction from 0 to 0.5", |r| {
            (0.0..=0.5).contains(&r)
        })?;
        return Ok(Change::DiscountRate(rate));
    }
    if let Some(group) = key.strip_prefix(SCALE).and_then(group_from_id) {
        let factor = parse_number(key, value, "a factor > 0", |f| f > 0.0)?;
        return Ok(Change::Scale(group, factor));
    }
    let known = known_keys();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    Err(unknown_name("override", key, &known))
}

/// An item name given with `name=`: it must already be a folder name.
fn parse_name(value: &str) -> Result<String, String> {
    let safe = report::folder_name(value);
    if value == safe {
        Ok(safe)
    } else {
        Err(format!(
            "a name must be a folder name: lower-case letters, digits, - and _ (e.g. name={safe})"
        ))
    }
}

/// The name of an item without `name=`: the park's folder name (for
/// `park.toml` or `park.json`; the file name without extension otherwise)
/// and the overrides as written, made safe for a folder.
fn default_name(park: &Path, overrides: &[Override]) -> String {
    let stem = park.file_stem().map(|s| s.to_string_lossy().to_string());
    let folder = park
        .parent()
        .and_then(Path::file_name)
        .map(|f| f.to_string_lossy().to_string());
    let label = match (stem, folder) {
        (Some(stem), Some(folder)) if stem == "park" => folder,
        (Some(stem), _) => stem,
        (None, _) => "park".to_string(),
    };
    let mut words = vec![label];
    words.extend(overrides.iter().map(|o| o.text.clone()));
    report::folder_name(&words.join(" "))
}

/// One share of a list, `index/count`: the item at 0-based position `k`
/// belongs to the shard with `k mod count == index`, so shards `0/N` to
/// `(N-1)/N` split a list between them, each item in exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: usize,
    count: usize,
}

impl Shard {
    /// The whole list as one shard, `0/1`.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Shard `index` of `count`; `0 ≤ index < count`.
    pub fn new(index: usize, count: usize) -> Result<Shard, BatchError> {
        Shard::checked(index, count).map_err(|reason| BatchError::Shard {
            text: format!("{index}/{count}"),
            reason: reason.to_string(),
        })
    }

    /// Shard `index` of `count`, or why there is none.
    fn checked(index: usize, count: usize) -> Result<Shard, &'static str> {
        if count == 0 {
            Err("N must be at least 1")
        } else if index >= count {
            Err("I must be below N (Slurm: --array=0-(N-1), so task ids run from 0)")
        } else {
            Ok(Shard { index, count })
        }
    }

    /// This shard, from 0.
    pub fn index(self) -> usize {
        self.index
    }

    /// Number of shards, at least 1.
    pub fn count(self) -> usize {
        self.count
    }

    /// Whether the item at 0-based position `k` of the list is in this shard.
    pub fn contains(self, k: usize) -> bool {
        k % self.count == self.index
    }

    /// The items of `list` in this shard, in list order.
    pub fn items(self, list: &BatchList) -> Vec<&BatchItem> {
        list.items
            .iter()
            .enumerate()
            .filter(|&(k, _)| self.contains(k))
            .map(|(_, item)| item)
            .collect()
    }
}

impl FromStr for Shard {
    type Err = BatchError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |reason: &str| BatchError::Shard {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| error("no '/' between I and N"))?;
        let (Ok(index), Ok(count)) = (index.trim().parse::<usize>(), count.trim().parse::<usize>())
        else {
            return Err(error("I and N must be whole numbers"));
        };
        Shard::checked(index, count).map_err(error)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// How an item ended.
///
/// The first three are final: the item gets a `summary.json` and is
/// skipped when the batch runs again. An invalid park or a failure to run
/// or write is not: it gets no `summary.json`, is fixed, and is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// A plan was found and verified; the plan files are written.
    Planned,
    /// The solver returned no plan (infeasible, or none within the limits).
    NoPlan,
    /// The plan failed independent verification and is not written.
    Unverified,
    /// The park file could not be read or is not valid.
    Invalid,
    /// The item could not be run or written (see its message).
    Failed,
}

impl ItemStatus {
    /// The status as written in `summary.json` and the merged table.
    pub fn id(self) -> &'static str {
        match self {
            ItemStatus::Planned => "planned",
            ItemStatus::NoPlan => "no_plan",
            ItemStatus::Unverified => "unverified",
            ItemStatus::Invalid => "invalid",
            ItemStatus::Failed => "failed",
        }
    }
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
    pub backend: Option<String>,
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
    fn of(item: &BatchItem, status: ItemStatus, message: Option<String>) -> ItemSummary {
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
        let report = &result.report;
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
                    verification.violations.join("; ")
                )),
            ),
            (Some(_), _) => (ItemStatus::Planned, None),
        };
        let mut summary = ItemSummary::of(item, status, message);
        summary.backend = Some(report.backend.to_string());
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
    fn results(&self) -> ItemSummary {
        ItemSummary {
            line: 0,
            solve_s: 0.0,
            ..self.clone()
        }
    }
}

/// What happened to one item in this run.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemReport {
    /// Its summary; for a skipped item, the one found on disk.
    pub summary: ItemSummary,
    /// Whether it was skipped because its `summary.json` already existed.
    pub skipped: bool,
}

impl fmt::Display for ItemReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        write!(f, "line {}: {}: {}", s.line, s.name, s.status.id())?;
        if self.skipped {
            write!(f, " (done before, skipped)")?;
        }
        if let (Some(objective), Some(change)) =
            (s.objective_cny_per_year, s.objective_change_cny_per_year)
        {
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
    pub items: Vec<ItemReport>,
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
    run_with_progress(list, shard, out, config, |_| {})
}

/// Runs the items of one shard of `list` in parallel (on the current rayon
/// pool), calling `progress` as each finishes (in completion order); the
/// summary lists them in list order.
///
/// For each item: when `out/<name>/summary.json` exists it is skipped.
/// Otherwise its park is loaded and validated (an invalid park is a row of
/// the summary, not an error of the batch), the overrides are applied, and
/// the park is optimised. A verified plan is written with
/// [`report::write_plan_files`], then `summary.json` last and atomically,
/// so an interrupted run never leaves a summary for an unfinished item.
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
    progress: impl Fn(&ItemReport) + Sync,
) -> Result<BatchSummary, BatchError> {
    solve::resolve_backend(config.solver)?;
    std::fs::create_dir_all(out).map_err(|source| WriteError {
        path: out.to_path_buf(),
        source,
    })?;
    let items = shard.items(list);
    let bar = crate::progress::Progress::start(items.len(), "parks");
    let items = items
        .into_par_iter()
        .map(|item| {
            let report = run_item(item, out, config);
            bar.done_one();
            progress(&report);
            report
        })
        .collect();
    Ok(BatchSummary { shard, items })
}

/// Runs one item, or reads its summary when it was done before.
fn run_item(item: &BatchItem, out: &Path, config: &SolverConfig) -> ItemReport {
    let dir = out.join(&item.name);
    let summary_path = dir.join(SUMMARY_FILE);
    if summary_path.is_file() {
        return skipped(item, &summary_path);
    }
    let report = |summary| ItemReport {
        summary,
        skipped: false,
    };
    let park = match validate::load_and_validate(&item.park) {
        Ok((park, _warnings)) => item.scenario(&park),
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
    let written = match (&result.plan, summary.status) {
        (Some(plan), ItemStatus::Planned) => report::write_plan_files(plan, &dir).map(|_| ()),
        _ => Ok(()),
    }
    .and_then(|()| {
        let json = serde_json::to_string_pretty(&summary).expect("a summary always serialises");
        report::write_atomic(&summary_path, (json + "\n").as_bytes())
    });
    if let Err(error) = written {
        summary.status = ItemStatus::Failed;
        summary.message = Some(error.to_string());
    }
    report(summary)
}

/// The report of an item whose `summary.json` exists: the summary read
/// back, or a failure when it cannot be read or is for another item.
fn skipped(item: &BatchItem, path: &Path) -> ItemReport {
    let failed = |message: String| ItemReport {
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
    ItemReport {
        summary,
        skipped: true,
    }
}

/// Reads one `summary.json`.
fn read_summary(path: &Path) -> Result<ItemSummary, BatchError> {
    let error = |message: String| BatchError::Summary {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| error(e.to_string()))
}

/// Header of the merged table.
const CSV_HEADER: &str = "name,line,park,overrides,status,termination,has_plan,verified,\
carbon_price_cny_per_t,discount_rate,objective_cny_per_year,objective_change_cny_per_year,\
cost_cny_per_year,cost_change_cny_per_year,co2_t_per_year,co2_change_t_per_year,\
solid_waste_utilisation_rate,solve_s,backend,message\n";

/// Merges the results of shards: every `*/summary.json` under each of
/// `folders`, as one CSV table (header, then one row per item sorted by
/// name). An item found in several folders with the same results (line
/// and solve time aside) is one row; with different results it is an
/// error naming both files.
pub fn merge(folders: &[PathBuf]) -> Result<String, BatchError> {
    let mut found: BTreeMap<String, (PathBuf, ItemSummary)> = BTreeMap::new();
    for folder in folders {
        let read_error = |source| BatchError::ReadFolder {
            path: folder.clone(),
            source,
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(folder).map_err(read_error)? {
            let path = entry.map_err(read_error)?.path().join(SUMMARY_FILE);
            if path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            let summary = read_summary(&path)?;
            match found.get(&summary.name) {
                Some((first, earlier)) if earlier.results() != summary.results() => {
                    return Err(BatchError::Conflict {
                        name: summary.name,
                        first: first.clone(),
                        second: path,
                    });
                }
                Some(_) => {}
                None => {
                    found.insert(summary.name.clone(), (path, summary));
                }
            }
        }
    }
    if found.is_empty() {
        return Err(BatchError::NothingToMerge {
            folders: folders
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let mut csv = String::from(CSV_HEADER);
    for (_, summary) in found.values() {
        csv.push_str(&csv_row(summary));
    }
    Ok(csv)
}

/// One row of the merged table.
fn csv_row(s: &ItemSummary) -> String {
    let number = |value: Option<f64>| value.map_or(String::new(), |v| v.to_string());
    let termination = s.termination.map_or(String::new(), |t| {
        serde_json::to_value(t)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    let fields = [
        quoted(&s.name),
        s.line.to_string(),
        quoted(&s.park),
        quoted(&s.overrides.join(" ")),
        s.status.id().to_string(),
        termination,
        s.has_plan.to_string(),
        s.verified.to_string(),
        number(s.carbon_price_cny_per_t),
        number(s.discount_rate),
        number(s.objective_cny_per_year),
        number(s.objective_change_cny_per_year),
        number(s.cost_cny_per_year),
        number(s.cost_change_cny_per_year),
        number(s.co2_t_per_year),
        number(s.co2_change_t_per_year),
        number(s.solid_waste_utilisation_rate),
        format!("{:.3}", s.solve_s),
        quoted(s.backend.as_deref().unwrap_or_default()),
        quoted(s.message.as_deref().unwrap_or_default()),
    ];
    fields.join(",") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_path() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("parks/tiny/park.toml")
    }

    fn parse(text: &str) -> Result<BatchList, BatchError> {
        BatchList::parse(Path::new("studies/parks.list"), text)
    }

    #[test]
    fn lists_skip_comments_and_resolve_paths_against_their_folder() {
        let list = parse(
            "# a study\n\n\
             ../parks/tiny/park.toml   # today's prices\n\
             /abs/ts/park.toml carbon_price_cny_per_t=200 scale.capex=1.2 name=ts-cp200\n\
             \u{20}  scenarios/high-2030.toml discount_rate=0.05\n",
        )
        .unwrap();
        assert_eq!(list.items.len(), 3);
        let [tiny, ts, high] = &list.items[..] else {
            unreachable!()
        };
        assert_eq!((tiny.line, tiny.name.as_str()), (3, "tiny"));
        assert_eq!(tiny.park, Path::new("studies/../parks/tiny/park.toml"));
        assert_eq!(tiny.park_as_written, "../parks/tiny/park.toml");
        assert!(tiny.overrides.is_empty());
        assert_eq!((ts.line, ts.name.as_str()), (4, "ts-cp200"));
        assert_eq!(ts.park, Path::new("/abs/ts/park.toml"));
        assert_eq!(
            ts.overrides.iter().map(|o| o.change).collect::<Vec<_>>(),
            [Change::CarbonPrice(200.0), Change::Scale(Group::Capex, 1.2)]
        );
        assert_eq!(
            ts.override_texts(),
            ["carbon_price_cny_per_t=200", "scale.capex=1.2"]
        );
        assert_eq!(high.name, "high-2030-discount_rate-0-05");
        assert_eq!(high.park, Path::new("studies/scenarios/high-2030.toml"));
    }

    #[test]
    fn group_ids_are_the_names_in_sensitivity_json() {
        for group in Group::ALL {
            assert_eq!(serde_json::to_value(group).unwrap(), group_id(group));
            assert_eq!(group_from_id(group_id(group)), Some(group));
        }
    }

    #[test]
    fn a_misspelt_key_is_named_with_its_line_and_a_suggestion() {
        let error = parse("a/park.toml\na/park.toml carbon_price_cny_per_tt=200\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("studies/parks.list:2: 'carbon_price_cny_per_tt=200': unknown override 'carbon_price_cny_per_tt'; did you mean 'carbon_price_cny_per_t'?"),
            "{error}"
        );
        let error = parse("a/park.toml scale.capx=2\n").unwrap_err().to_string();
        assert!(error.contains("did you mean 'scale.capex'?"), "{error}");
    }

    #[test]
    fn bad_values_and_tokens_say_what_is_wanted() {
        for (line, wanted) in [
            (
                "a/park.toml carbon_price_cny_per_t=-5",
                "carbon_price_cny_per_t must be a number of CNY per t from 0 to 100000, got '-5'",
            ),
            (
                "a/park.toml discount_rate=8%",
                "discount_rate must be a fraction from 0 to 0.5, got '8%'",
            ),
            (
                "a/park.toml scale.capex=0",
                "scale.capex must be a factor > 0, got '0'",
            ),
            ("a/park.toml scale.capex=NaN", "got 'NaN'"),
            ("a/park.toml name=TS/cp200", "e.g. name=ts-cp200"),
            ("a/park.toml 200", "expected key=value"),
            (
                "carbon_price_cny_per_t=200",
                "an item starts with its park file",
            ),
            (
                "a/park.toml discount_rate=0.1 discount_rate=0.2",
                "discount_rate is given twice",
            ),
        ] {
            let error = parse(line).unwrap_err().to_string();
            assert!(error.starts_with("studies/parks.list:1: '"), "{error}");
            assert!(error.contains(wanted), "{line}: {error}");
        }
        assert!(matches!(
            parse("# nothing\n\n"),
            Err(BatchError::Empty { .. })
        ));
    }

    #[test]
    fn two_items_with_one_name_are_an_error_naming_both_lines() {
        let error = parse("a/tiny/park.toml\nb/tiny/park.toml\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "studies/parks.list:2: item name 'tiny' is also the name of line 1; give one of them its own name="
        );
        let error = parse("a/park.toml name=x\n# gap\nb/park.toml name=x\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(":3: item name 'x' is also the name of line 1"),
            "{error}"
        );
    }

    #[test]
    fn shards_parse_and_bad_ones_say_why() {
        let shard = "1/4".parse::<Shard>().unwrap();
        assert_eq!((shard.index(), shard.count()), (1, 4));
        assert_eq!(Shard::new(2, 5).unwrap().to_string(), "2/5");
        assert!(Shard::new(5, 5).is_err() && Shard::new(0, 0).is_err());
        for (text, reason) in [
            ("4/4", "I must be below N"),
            ("0/0", "N must be at least 1"),
            ("1", "no '/'"),
            ("-1/4", "whole numbers"),
            ("a/b", "whole numbers"),
        ] {
            let error = text.parse::<Shard>().unwrap_err().to_string();
            assert!(error.contains(reason) && error.contains(text), "{error}");
        }
    }

    #[test]
    fn every_item_is_in_exactly_one_shard() {
        let text: String = (0..11)
            .map(|k| format!("p/park.toml name=i{k}\n"))
            .collect();
        let list = parse(&text).unwrap();
        for count in 1..=5 {
            let mut seen = vec![0; list.items.len()];
            for index in 0..count {
                let shard = Shard::new(index, count).unwrap();
                let items = shard.items(&list);
                assert!(
                    items.windows(2).all(|w| w[0].line < w[1].line),
                    "list order"
                );
                for item in items {
                    let k = list.items.iter().position(|i| i == item).unwrap();
                    assert_eq!(k % count, index);
                    seen[k] += 1;
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "N = {count}: {seen:?}");
        }
    }

    #[test]
    fn overrides_apply_in_order() {
        let list = parse(
            "t/park.toml carbon_price_cny_per_t=200 scale.carbon_price=1.5 discount_rate=0.1\n",
        )
        .unwrap();
        let park = crate::park::testing::tiny();
        let scenario = list.items[0].scenario(&park);
        assert_eq!(scenario.carbon_price_cny_per_t, 300.0);
        assert_eq!(scenario.discount_rate, 0.1);
        assert_eq!(
            park.carbon_price_cny_per_t, 100.0,
            "the park itself is untouched"
        );
    }

    /// A list of tiny at its own carbon price and at 200 CNY/t, plus an
    /// item whose park file does not exist.
    fn study(dir: &Path) -> BatchList {
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
        assert_eq!(rows[1][column("name")], "\"tiny\"");
        assert_eq!(rows[2][column("name")], "\"tiny-cp200\"");
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
        std::fs::remove_file(out.join("tiny/plan.json")).unwrap();
        let again = run(&list, Shard::ALL, &out, &config).unwrap();
        assert_eq!(again.counts().skipped, 2, "{again:?}");
        assert_eq!(again.counts().planned, 2);
        assert!(again.all_planned());
        assert!(
            !out.join("tiny/plan.json").exists(),
            "skipped, not re-solved"
        );
        assert_eq!(merge(std::slice::from_ref(&out)).unwrap(), csv);
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
        let summary =
            run_with_progress(&list, Shard::ALL, &out, &SolverConfig::default(), |item| {
                seen.lock().unwrap().push(item.summary.name.clone())
            })
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

    #[test]
    fn an_item_without_a_plan_is_recorded_and_not_retried() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let infeasible = ItemSummary {
            status: ItemStatus::NoPlan,
            message: Some("the microlp solver found no plan: infeasible".into()),
            termination: Some(Termination::Infeasible),
            ..ItemSummary::of(&list.items[0], ItemStatus::NoPlan, None)
        };
        let json = serde_json::to_string_pretty(&infeasible).unwrap();
        report::write_atomic(&out.join("tiny").join(SUMMARY_FILE), json.as_bytes()).unwrap();
        let summary = run(&list, Shard::ALL, &out, &SolverConfig::default()).unwrap();
        assert!(summary.items[0].skipped);
        assert_eq!(summary.items[0].summary, infeasible);
        assert!(
            !summary.has_errors() && !summary.all_planned(),
            "exit 1, not 2"
        );
        let csv = merge(&[out]).unwrap();
        assert!(
            csv.contains("\"tiny\",2,\"tiny/park.toml\",\"\",no_plan,infeasible,false,false,"),
            "{csv}"
        );
    }

    #[test]
    fn a_summary_for_another_scenario_is_not_taken_as_done() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let out = dir.path().join("results");
        let other = ItemSummary {
            overrides: vec!["carbon_price_cny_per_t=50".into()],
            ..ItemSummary::of(&list.items[1], ItemStatus::Planned, None)
        };
        let json = serde_json::to_string(&other).unwrap();
        report::write_atomic(&out.join("tiny-cp200").join(SUMMARY_FILE), json.as_bytes()).unwrap();
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
        assert!(message.contains("was written for 'tiny/park.toml carbon_price_cny_per_t=50', not for this line's 'tiny/park.toml carbon_price_cny_per_t=200'"), "{message}");
    }

    #[test]
    fn merge_collapses_copies_and_refuses_conflicts() {
        let dir = tempfile::tempdir().unwrap();
        let list = study(dir.path());
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let item = &list.items[0];
        let write = |folder: &Path, summary: &ItemSummary| {
            let json = serde_json::to_string(summary).unwrap();
            report::write_atomic(
                &folder.join(&summary.name).join(SUMMARY_FILE),
                json.as_bytes(),
            )
            .unwrap();
        };
        let done = ItemSummary {
            objective_cny_per_year: Some(-1.5),
            ..ItemSummary::of(item, ItemStatus::Planned, None)
        };
        write(&a, &done);
        write(
            &b,
            &ItemSummary {
                line: 9,
                solve_s: 3.0,
                ..done.clone()
            },
        );
        let csv = merge(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(csv.lines().count(), 2, "{csv}");
        assert!(csv.starts_with(CSV_HEADER), "{csv}");

        write(
            &b,
            &ItemSummary {
                objective_cny_per_year: Some(-2.0),
                ..done.clone()
            },
        );
        let error = merge(&[a.clone(), b.clone()]).unwrap_err().to_string();
        assert!(
            error.contains("item 'tiny' has different results in"),
            "{error}"
        );
        assert!(
            error.contains(&a.join("tiny/summary.json").display().to_string()),
            "{error}"
        );
        assert!(
            error.contains(&b.join("tiny/summary.json").display().to_string()),
            "{error}"
        );

        std::fs::write(b.join("tiny").join(SUMMARY_FILE), "{}").unwrap();
        let error = merge(std::slice::from_ref(&b)).unwrap_err().to_string();
        assert!(
            error.contains("not an item summary written by ecopark batch"),
            "{error}"
        );
        let empty = dir.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(matches!(
            merge(&[empty]),
            Err(BatchError::NothingToMerge { .. })
        ));
        assert!(matches!(
            merge(&[dir.path().join("nowhere")]),
            Err(BatchError::ReadFolder { .. })
        ));
    }
}

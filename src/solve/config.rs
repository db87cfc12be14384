//! Solver settings: which backend, how long, how close to optimal, how many
//! threads. Settings come from a profile (`solvers/<name>.toml`, shipped
//! ones compiled in) and are then overridden by command-line flags.

use super::Backend;
use crate::formulation::Model;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// Which MILP solver to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BackendChoice {
    /// HiGHS when compiled in, microlp otherwise.
    #[default]
    Auto,
    /// HiGHS (feature `highs`).
    Highs,
    /// microlp, pure Rust (feature `microlp`, the default).
    Microlp,
}

impl FromStr for BackendChoice {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "auto" => Ok(BackendChoice::Auto),
            "highs" => Ok(BackendChoice::Highs),
            "microlp" => Ok(BackendChoice::Microlp),
            other => Err(format!(
                "unknown solver '{other}': use auto, highs or microlp"
            )),
        }
    }
}

impl From<Backend> for BackendChoice {
    /// The choice of that backend alone.
    fn from(backend: Backend) -> BackendChoice {
        match backend {
            Backend::Highs => BackendChoice::Highs,
            Backend::Microlp => BackendChoice::Microlp,
        }
    }
}

impl fmt::Display for BackendChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BackendChoice::Auto => "auto",
            BackendChoice::Highs => "highs",
            BackendChoice::Microlp => "microlp",
        })
    }
}

/// Settings for one solve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverConfig {
    /// What the profile is for.
    #[serde(default)]
    pub description: String,
    /// Backend.
    #[serde(default)]
    pub solver: BackendChoice,
    /// Wall-clock limit, seconds; none means no limit.
    #[serde(default)]
    pub time_limit_s: Option<f64>,
    /// Relative MIP gap at which to stop, fraction: the whole park's.
    #[serde(default = "default_gap")]
    pub mip_gap: f64,
    /// Absolute gap at which one component's solve may stop as well, CNY
    /// per year; set by the split solve for each component from its share
    /// of the park's gap (HiGHS takes it; microlp has only the relative gap).
    #[serde(skip)]
    pub mip_abs_gap_cny_per_year: Option<f64>,
    /// Threads; 0 lets the solver decide.
    #[serde(default)]
    pub threads: u32,
    /// Print the solver's own log.
    #[serde(default)]
    pub verbose: bool,
    /// Start the analyses' solves from the base plan (where the backend
    /// takes a start: HiGHS completes it, microlp uses it when feasible).
    #[serde(default = "yes")]
    pub warm_start: bool,
    /// The plan to start from, set by an analysis for its scenarios.
    #[serde(skip)]
    pub start: Option<Arc<Start>>,
}

fn yes() -> bool {
    true
}

/// A plan to start a solve from: variable values by the variable's name,
/// so that a start taken from one model fits another model of the same
/// park (a scenario with a price changed, a cap added, a plant closed),
/// whose variables are numbered differently.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Start {
    by_name: HashMap<String, f64>,
}

impl Start {
    /// The start given by `values` of `model`'s variables.
    pub fn of(model: &Model, values: &[f64]) -> Start {
        Start {
            by_name: model
                .variables
                .iter()
                .zip(values)
                .map(|(variable, &value)| (variable.name.clone(), value))
                .collect(),
        }
    }

    /// A value for each of `model`'s variables: the start's value of the
    /// variable with that name, NaN for a variable the start does not have.
    pub fn values_for(&self, model: &Model) -> Vec<f64> {
        model
            .variables
            .iter()
            .map(|variable| {
                self.by_name
                    .get(&variable.name)
                    .copied()
                    .unwrap_or(f64::NAN)
            })
            .collect()
    }
}

fn default_gap() -> f64 {
    1e-4
}

impl Default for SolverConfig {
    fn default() -> Self {
        SolverConfig {
            description: String::new(),
            solver: BackendChoice::Auto,
            time_limit_s: None,
            mip_gap: default_gap(),
            mip_abs_gap_cny_per_year: None,
            threads: 0,
            verbose: false,
            warm_start: true,
            start: None,
        }
    }
}

/// Shipped profiles, compiled in so they work from any directory.
pub const SHIPPED_PROFILES: [(&str, &str); 3] = [
    ("default", include_str!("../../solvers/default.toml")),
    ("quick", include_str!("../../solvers/quick.toml")),
    ("exact", include_str!("../../solvers/exact.toml")),
];

/// A problem with a solver setting.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The profile is neither shipped nor a readable file.
    #[error("solver profile '{name}' not found: use one of {known} or a path to a .toml file")]
    UnknownProfile {
        /// What was asked for.
        name: String,
        /// Shipped names.
        known: String,
    },
    /// The profile file could not be read: missing, not a regular file
    /// (a named pipe would block), or over [`MAX_PROFILE_BYTES`].
    #[error("solver profile {path} {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: crate::input::ReadError,
    },
    /// The profile is not valid TOML for a profile.
    #[error("solver profile {path} is not valid: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A value is out of range.
    #[error("solver setting {field} must be {rule}, got {}", crate::units::short(*value))]
    OutOfRange {
        /// Setting name.
        field: &'static str,
        /// What it must be.
        rule: String,
        /// What it was.
        value: f64,
    },
}

/// The largest solver profile read, bytes: a profile is a few lines.
pub const MAX_PROFILE_BYTES: u64 = 1024 * 1024;

/// The longest time limit, seconds: a year. Longer is no limit at all in
/// practice, and the solvers' own clocks misbehave far beyond it (1e19 s
/// made microlp fail).
pub const MAX_TIME_LIMIT_S: f64 = 31_536_000.0;

/// Threads per core a solve or an analysis may ask for at most.
pub const THREADS_PER_CORE: usize = 4;

/// The most threads a solver, an analysis or a batch may start:
/// [`THREADS_PER_CORE`] per core of this machine (at least that many on a
/// machine that does not say how many cores it has). More only makes the
/// threads wait on each other, and a count in the thousands exhausts the
/// operating system.
pub fn max_threads() -> usize {
    THREADS_PER_CORE * std::thread::available_parallelism().map_or(1, |cores| cores.get())
}

impl SolverConfig {
    /// Loads a profile by shipped name or file path.
    pub fn profile(name: &str) -> Result<SolverConfig, ConfigError> {
        let (path, text) = match SHIPPED_PROFILES
            .iter()
            .find(|(shipped, _)| *shipped == name)
        {
            Some((shipped, text)) => (format!("solvers/{shipped}.toml"), text.to_string()),
            None if name.ends_with(".toml") => {
                let read = |source| ConfigError::Read {
                    path: name.to_string(),
                    source,
                };
                let bytes = crate::input::read_regular_file(
                    name.as_ref(),
                    MAX_PROFILE_BYTES,
                    "solver profiles",
                )
                .map_err(read)?;
                let text = String::from_utf8(bytes).map_err(|error| ConfigError::Parse {
                    path: name.to_string(),
                    message: format!("not UTF-8 text: {error}"),
                })?;
                (name.to_string(), text)
            }
            None => {
                return Err(ConfigError::UnknownProfile {
                    name: name.to_string(),
                    known: SHIPPED_PROFILES.map(|(n, _)| n).join(", "),
                })
            }
        };
        let config: SolverConfig = toml::from_str(&text).map_err(|error| ConfigError::Parse {
            path,
            message: error.message().to_string(),
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks the values.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(limit) = self.time_limit_s {
            if !(limit.is_finite() && limit > 0.0 && limit <= MAX_TIME_LIMIT_S) {
                return Err(ConfigError::OutOfRange {
                    field: "time_limit_s",
                    rule: format!("a number of seconds > 0 and ≤ {MAX_TIME_LIMIT_S} (a year)"),
                    value: limit,
                });
            }
        }
        if !(self.mip_gap.is_finite() && (0.0..1.0).contains(&self.mip_gap)) {
            return Err(ConfigError::OutOfRange {
                field: "mip_gap",
                rule: "a fraction from 0 to below 1".to_string(),
                value: self.mip_gap,
            });
        }
        let most = max_threads();
        if usize::try_from(self.threads).map_or(true, |threads| threads > most) {
            return Err(ConfigError::OutOfRange {
                field: "threads",
                rule: format!(
                    "from 0 to {most} ({THREADS_PER_CORE} × this machine's cores; 0 lets the solver decide)"
                ),
                value: f64::from(self.threads),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_profiles_load() {
        for (name, _) in SHIPPED_PROFILES {
            SolverConfig::profile(name).unwrap();
        }
    }

    #[test]
    fn a_profile_that_is_not_a_regular_file_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("folder.toml");
        std::fs::create_dir(&folder).unwrap();
        let error = SolverConfig::profile(folder.to_str().unwrap()).unwrap_err();
        assert!(
            error.to_string().contains("is not a regular file"),
            "{error}"
        );
    }

    #[test]
    fn unknown_profile_names_the_shipped_ones() {
        let error = SolverConfig::profile("fast").unwrap_err().to_string();
        assert!(error.contains("default, quick, exact"), "{error}");
    }

    #[test]
    fn a_start_fits_another_model_by_variable_name() {
        use crate::formulation::VarKind;
        let mut base = Model::default();
        base.add_variable("flow[a->b]".into(), VarKind::Continuous, 0.0, 9.0);
        base.add_variable("build[p]".into(), VarKind::Binary, 0.0, 1.0);
        let start = Start::of(&base, &[4.0, 1.0]);
        let mut other = Model::default();
        other.add_variable("build[p]".into(), VarKind::Binary, 0.0, 1.0);
        other.add_variable("flow[c->b]".into(), VarKind::Continuous, 0.0, 9.0);
        let values = start.values_for(&other);
        assert_eq!(values[0], 1.0);
        assert!(values[1].is_nan());
    }

    #[test]
    fn a_time_limit_over_a_year_and_too_many_threads_are_refused() {
        for config in [
            SolverConfig {
                time_limit_s: Some(1e19),
                ..SolverConfig::default()
            },
            SolverConfig {
                time_limit_s: Some(-1.0),
                ..SolverConfig::default()
            },
            SolverConfig {
                threads: u32::MAX,
                ..SolverConfig::default()
            },
        ] {
            let error = config.validate().unwrap_err().to_string();
            assert!(!error.contains("0000000000"), "{error}");
            assert!(
                error.contains("time_limit_s") || error.contains("threads"),
                "{error}"
            );
        }
        let year = SolverConfig {
            time_limit_s: Some(MAX_TIME_LIMIT_S),
            threads: u32::try_from(max_threads()).unwrap(),
            ..SolverConfig::default()
        };
        year.validate().unwrap();
    }

    #[test]
    fn negative_gap_is_rejected() {
        let config = SolverConfig {
            mip_gap: -0.1,
            ..SolverConfig::default()
        };
        assert!(config
            .validate()
            .unwrap_err()
            .to_string()
            .contains("mip_gap"));
    }
}

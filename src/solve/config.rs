//! Solver settings: which backend, how long, how close to optimal, how many
//! threads. Settings come from a profile (`solvers/<name>.toml`, shipped
//! ones compiled in) and are then overridden by command-line flags.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

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
    /// Relative MIP gap at which to stop, fraction.
    #[serde(default = "default_gap")]
    pub mip_gap: f64,
    /// Threads; 0 lets the solver decide.
    #[serde(default)]
    pub threads: u32,
    /// Print the solver's own log.
    #[serde(default)]
    pub verbose: bool,
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
            threads: 0,
            verbose: false,
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
    /// The profile file could not be read.
    #[error("cannot read solver profile {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
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
    #[error("solver setting {field} must be {rule}, got {value}")]
    OutOfRange {
        /// Setting name.
        field: &'static str,
        /// What it must be.
        rule: &'static str,
        /// What it was.
        value: f64,
    },
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
                let text = std::fs::read_to_string(name).map_err(|source| ConfigError::Read {
                    path: name.to_string(),
                    source,
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
            if !(limit.is_finite() && limit > 0.0) {
                return Err(ConfigError::OutOfRange {
                    field: "time_limit_s",
                    rule: "a finite number of seconds > 0",
                    value: limit,
                });
            }
        }
        if !(self.mip_gap.is_finite() && (0.0..1.0).contains(&self.mip_gap)) {
            return Err(ConfigError::OutOfRange {
                field: "mip_gap",
                rule: "a fraction from 0 to below 1",
                value: self.mip_gap,
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
    fn unknown_profile_names_the_shipped_ones() {
        let error = SolverConfig::profile("fast").unwrap_err().to_string();
        assert!(error.contains("default, quick, exact"), "{error}");
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

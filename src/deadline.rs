//! The time limit of a whole command, not just of its solver.
//!
//! `--time-limit` promises an answer within that many seconds. Routing the
//! candidate links around exclusion zones and building the model come
//! before the solver and can take long on their own (zones with many
//! vertices, regions of many parks), so the limit starts when the command
//! does: each stage checks the [`Deadline`] as it goes and stops with
//! [`OutOfTime`], naming itself, once it has passed; the solver then gets
//! only what is left.

use std::fmt;
use std::time::{Duration, Instant};

/// When a command must be done, if ever.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    ends: Option<Instant>,
    limit_s: f64,
}

impl Deadline {
    /// No time limit: [`Deadline::check`] always passes.
    pub fn none() -> Deadline {
        Deadline {
            ends: None,
            limit_s: f64::INFINITY,
        }
    }

    /// A deadline `limit_s` seconds from now; `None` for no limit.
    pub fn after(limit_s: Option<f64>) -> Deadline {
        match limit_s {
            Some(limit_s) => Deadline {
                ends: Duration::try_from_secs_f64(limit_s.max(0.0))
                    .ok()
                    .and_then(|limit| Instant::now().checked_add(limit)),
                limit_s,
            },
            None => Deadline::none(),
        }
    }

    /// Seconds left (0 once passed); `None` without a limit.
    pub fn left_s(&self) -> Option<f64> {
        let ends = self.ends?;
        Some(ends.saturating_duration_since(Instant::now()).as_secs_f64())
    }

    /// `Err` once the deadline has passed, naming the stage that was
    /// running.
    pub fn check(&self, stage: Stage) -> Result<(), OutOfTime> {
        match self.ends {
            Some(ends) if Instant::now() >= ends => Err(OutOfTime {
                stage,
                limit_s: self.limit_s,
            }),
            _ => Ok(()),
        }
    }
}

/// The stages that run before the solver, for saying which one ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Routing candidate links around the exclusion zones.
    Routing,
    /// Building the flow graph and dropping dominated links.
    Graph,
    /// Building the MILP.
    Model,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Routing => "routing candidate links",
            Stage::Graph => "building the flow graph",
            Stage::Model => "building the model",
        })
    }
}

/// The time limit ran out before the solver started.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("the time limit of {} s ran out while {stage}, before the solver started", crate::units::short(*limit_s))]
pub struct OutOfTime {
    /// The stage that was running.
    pub stage: Stage,
    /// The limit, seconds.
    pub limit_s: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_limit_never_runs_out_and_a_zero_limit_at_once() {
        assert!(Deadline::none().check(Stage::Routing).is_ok());
        assert_eq!(Deadline::none().left_s(), None);
        let passed = Deadline::after(Some(0.0));
        let error = passed.check(Stage::Model).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the time limit of 0 s ran out while building the model, before the solver started"
        );
        assert_eq!(passed.left_s(), Some(0.0));
        let later = Deadline::after(Some(3600.0));
        assert!(later.check(Stage::Graph).is_ok());
        assert!(later.left_s().unwrap() > 3500.0);
        // Too far off to represent: as good as none.
        assert!(Deadline::after(Some(1e300)).check(Stage::Routing).is_ok());
    }
}

//! The MILP backends: their names, which are compiled into this build, and
//! which one a `--solver` choice means for a model or for one of its
//! components.

use super::components::Solved;
use super::config::BackendChoice;
use super::SolverConfig;
use crate::formulation::Model;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

#[cfg(not(any(feature = "microlp", feature = "highs")))]
compile_error!("ecopark needs a solver: enable the `microlp` (default) or `highs` feature");

/// A MILP backend, by the name reports give it (`highs`, `microlp`).
///
/// Both exist in every build, so that a plan solved by one reads back in a
/// build without it; [`Backend::is_compiled`] says whether this build can
/// solve with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// HiGHS (feature `highs`), its model built through good_lp.
    Highs,
    /// microlp, pure Rust (feature `microlp`, the default), driven directly.
    Microlp,
}

impl Backend {
    /// Every backend, in the order `auto` prefers them for a whole model.
    pub const ALL: [Backend; 2] = [Backend::Highs, Backend::Microlp];

    /// Its name: `highs` or `microlp`, as in `--solver`, `plan.json` and
    /// the Cargo feature that compiles it in.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Highs => "highs",
            Backend::Microlp => "microlp",
        }
    }

    /// Whether this build has it.
    pub fn is_compiled(self) -> bool {
        self.compiled().is_some()
    }

    /// It with its solve function, when this build has it.
    fn compiled(self) -> Option<Compiled> {
        match self {
            Backend::Highs => HIGHS,
            Backend::Microlp => MICROLP,
        }
    }

    /// What to say after "rebuild with `--features …`" when it is missing.
    fn build_hint(self) -> &'static str {
        match self {
            Backend::Highs => " (building HiGHS needs cmake, a C++ compiler and libclang, e.g. `apt-get install cmake clang libclang-dev`)",
            Backend::Microlp => "",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Backend {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Backend::ALL
            .into_iter()
            .find(|backend| backend.name() == text)
            .ok_or_else(|| format!("unknown backend '{text}': highs or microlp"))
    }
}

/// The backends that solved a model: one, or with `--solver auto` and both
/// compiled in, each that solved some of its components. Written (in
/// reports, `plan.json`) as their names in [`Backend`] order joined by
/// `+`: `microlp`, `highs+microlp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backends(BTreeSet<Backend>);

impl Backends {
    /// The backends, in [`Backend`] order.
    pub fn iter(&self) -> impl Iterator<Item = Backend> + '_ {
        self.0.iter().copied()
    }
}

impl From<Backend> for Backends {
    fn from(backend: Backend) -> Backends {
        Backends(BTreeSet::from([backend]))
    }
}

impl FromIterator<Backend> for Backends {
    fn from_iter<I: IntoIterator<Item = Backend>>(backends: I) -> Backends {
        Backends(backends.into_iter().collect())
    }
}

impl PartialEq<Backend> for Backends {
    /// Whether the model was solved by `other` alone.
    fn eq(&self, other: &Backend) -> bool {
        self.0.len() == 1 && self.0.contains(other)
    }
}

impl fmt::Display for Backends {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Backend::name).collect();
        f.pad(&names.join("+"))
    }
}

impl FromStr for Backends {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.split('+').map(str::parse).collect()
    }
}

impl Serialize for Backends {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Backends {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A backend that was asked for but not compiled in, or similar.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The requested backend is not in this build.
    #[error("the {backend} solver is not compiled into this build: rebuild with `cargo build --release --features {backend}`{hint}")]
    NotCompiled {
        /// The backend.
        backend: Backend,
        /// Extra advice.
        hint: &'static str,
    },
}

/// What a backend's solve function is: a model, its settings, a start (one
/// value per variable, NaN where unknown).
type SolveFn = fn(&Model, &SolverConfig, Option<&[f64]>) -> Solved;

/// A backend of this build with the function that solves with it. Only
/// the constants below make one, so a solve handed one cannot meet a
/// backend the build lacks.
#[derive(Clone, Copy)]
pub(crate) struct Compiled {
    /// Which backend.
    pub backend: Backend,
    solve: SolveFn,
}

impl Compiled {
    /// Solves `model` with this backend.
    pub fn solve(self, model: &Model, config: &SolverConfig, start: Option<&[f64]>) -> Solved {
        (self.solve)(model, config, start)
    }
}

#[cfg(feature = "highs")]
const HIGHS: Option<Compiled> = Some(Compiled {
    backend: Backend::Highs,
    solve: super::highs::solve,
});
#[cfg(not(feature = "highs"))]
const HIGHS: Option<Compiled> = None;

#[cfg(feature = "microlp")]
const MICROLP: Option<Compiled> = Some(Compiled {
    backend: Backend::Microlp,
    solve: super::microlp::solve,
});
#[cfg(not(feature = "microlp"))]
const MICROLP: Option<Compiled> = None;

/// What `auto` means for a whole model: HiGHS when compiled in, microlp
/// otherwise (a build with neither stops at the `compile_error!` above).
const AUTO: Compiled = match (HIGHS, MICROLP) {
    (Some(highs), _) => highs,
    (None, Some(microlp)) => microlp,
    (None, None) => panic!("ecopark needs a solver"),
};

/// The backends compiled into this build, HiGHS first.
pub fn compiled_backends() -> Vec<Backend> {
    Backend::ALL
        .into_iter()
        .filter(|backend| backend.is_compiled())
        .collect()
}

/// The concrete backend `choice` means in this build.
pub fn resolve_backend(choice: BackendChoice) -> Result<Backend, SolveError> {
    resolve(choice).map(|compiled| compiled.backend)
}

/// The compiled backend `choice` means for a whole model, or why there is
/// none.
pub(crate) fn resolve(choice: BackendChoice) -> Result<Compiled, SolveError> {
    let backend = match choice {
        BackendChoice::Auto => return Ok(AUTO),
        BackendChoice::Highs => Backend::Highs,
        BackendChoice::Microlp => Backend::Microlp,
    };
    backend.compiled().ok_or(SolveError::NotCompiled {
        backend,
        hint: backend.build_hint(),
    })
}

/// Largest component, in binaries, that `--solver auto` gives the pure-Rust
/// solver when HiGHS is compiled in too. Below it microlp is faster: HiGHS
/// spends milliseconds setting up every model, which on a region of a
/// thousand small components is most of the solve; above it HiGHS's
/// presolve, cuts and heuristics win. Measured on generated regions
/// (benches/README.md, "Backend per component").
pub const MICROLP_MAX_BINARIES: usize = 800;

/// The backend `choice` means for one component of this build: with
/// `auto` and both compiled in, microlp for small components and HiGHS
/// for the others.
pub fn backend_for(choice: BackendChoice, model: &Model) -> Result<Backend, SolveError> {
    resolve(choice).map(|resolved| for_component(choice, resolved, model).backend)
}

/// The backend for one component when `choice` means `resolved` for the
/// whole model: microlp for a small one under `auto` with both compiled
/// in, `resolved` otherwise.
pub(crate) fn for_component(choice: BackendChoice, resolved: Compiled, model: &Model) -> Compiled {
    match (choice, HIGHS, MICROLP) {
        (BackendChoice::Auto, Some(_), Some(microlp))
            if model.binary_count() <= MICROLP_MAX_BINARIES =>
        {
            microlp
        }
        _ => resolved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_are_written_as_before() {
        for (backend, name) in [(Backend::Highs, "highs"), (Backend::Microlp, "microlp")] {
            assert_eq!(backend.to_string(), name);
            assert_eq!(
                serde_json::to_string(&backend).unwrap(),
                format!("\"{name}\"")
            );
            assert_eq!(name.parse::<Backend>(), Ok(backend));
            assert_eq!(BackendChoice::from(backend).to_string(), name);
        }
        let both: Backends = [Backend::Microlp, Backend::Highs].into_iter().collect();
        assert_eq!(both.to_string(), "highs+microlp");
        // Padded like the strings they replace.
        assert_eq!(
            format!("[{:>8}|{:<16}]", Backend::Highs, both),
            "[   highs|highs+microlp   ]"
        );
        assert_eq!(serde_json::to_string(&both).unwrap(), "\"highs+microlp\"");
        assert_eq!(
            serde_json::from_str::<Backends>("\"highs+microlp\"").unwrap(),
            both
        );
        assert_eq!(Backends::from(Backend::Microlp), Backend::Microlp);
        assert_ne!(both, Backend::Microlp);
        assert!("gurobi".parse::<Backends>().is_err());
    }
}

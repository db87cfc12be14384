//! # ecopark — industrial park circularity optimiser
//!
//! ecopark models an industrial park as a material and energy flow graph —
//! plants, bulk solid-waste streams, waste-heat sources, heat and material
//! users, candidate reuse projects — and chooses, with a mixed-integer
//! linear program, which symbiosis links and projects to build so as to
//! minimise annual cost plus priced CO2, under geographic constraints
//! (distances, per-mode ranges, exclusion zones), always against today's
//! park as the baseline.
//!
//! The pipeline, one module per stage, each importing only the stages
//! before it (ARCHITECTURE.md is the map; `tests/layering.rs` keeps it
//! true):
//!
//! ```text
//! input ─► library ─► park ─► validate ─► candidates ─► economics ─► graph
//! parse     reference  the     every        geo +         cost and    petgraph
//! TOML/     data,      park    problem      spatial       CO2 per     flow
//! JSON      sourced    type    at once      index         unit        graph
//!
//! ─► formulation ─► solve ─► solution ─► pipeline ─► analysis ─► report ─► batch
//!    MILP, solver-  microlp,  plan, KPIs,  one park,   many solves  files,     many
//!    agnostic       HiGHS     verifier     timed       in parallel  figures    parks
//! ```
//!
//! Below them all: [`units`] (rounding, number formatting), [`text`]
//! (park text made safe to show), [`fields`]
//! (a struct's serde field names), [`table`] (CSV tables), [`diagnostic`] (issues collected, not thrown), [`random`] and
//! [`progress`], and [`deadline`] (the time limit of a whole command);
//! above them, [`generate`] (synthetic parks).
//!
//! ```no_run
//! use ecopark::{pipeline, solve::SolverConfig, validate};
//! let (park, _warnings) = validate::load_and_validate("parks/tiny/park.toml".as_ref()).unwrap();
//! let result = pipeline::optimise(&park, &SolverConfig::default()).unwrap();
//! let plan = result.plan.expect("a plan");
//! println!("saves {} CNY/yr", -plan.change.cost_cny_per_year);
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod analysis;
pub mod batch;
pub mod candidates;
pub mod deadline;
pub mod diagnostic;
pub mod economics;
pub mod fields;
pub mod formulation;
pub mod generate;
pub mod graph;
pub mod input;
pub mod library;
pub mod park;
pub mod pipeline;
pub mod progress;
pub mod random;
pub mod report;
pub mod solution;
pub mod solve;
pub mod table;
pub mod text;
pub mod units;
pub mod validate;

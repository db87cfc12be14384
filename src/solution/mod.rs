//! Stage 7, the solution: the plan in park terms, its indicators, and the
//! independent verifier every plan passes before anyone sees it.

pub mod firms;
pub mod plan;
pub mod read;
pub mod targets;
pub mod verify;

pub use plan::{Plan, Totals};
pub use verify::{verify, Verification};

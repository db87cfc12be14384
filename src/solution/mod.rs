//! The solution, after the solvers and before the analyses and reports:
//! the plan read back in park terms ([`read`]), its indicators and targets
//! ([`plan`], [`targets`]), who pays and who gains ([`firms`]), and the
//! independent verifier every plan passes before anyone sees it
//! ([`verify`](mod@verify)).

pub mod firms;
pub mod plan;
pub mod read;
pub mod targets;
pub mod verify;

pub use plan::{Plan, Totals};
pub use verify::{verify, verify_stored, Verification};

//! The constraint families of the MILP, one file each, so a family can be
//! read, tested and dumped on its own. The variables they constrain are
//! defined in [`crate::formulation::variables`].

pub mod balance;
pub mod capacity;
pub mod power;
pub mod targets;
pub mod variants;

use crate::graph::Edge;

/// Which amount of a link's flow a row counts: what leaves the sender, or
/// what arrives at the receiver (the flow sent times the link's delivery
/// factor, below 1 for heat lost on the way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Amount {
    /// The flow sent.
    Sent,
    /// The flow delivered.
    Delivered,
}

impl Amount {
    /// What one unit of flow sent on `edge` counts for.
    fn per_unit_sent(self, edge: &Edge) -> f64 {
        match self {
            Amount::Sent => 1.0,
            Amount::Delivered => edge.delivery_factor,
        }
    }
}

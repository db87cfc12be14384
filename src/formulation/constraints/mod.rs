//! The constraint families of the MILP, one file each, so a family can be
//! read, tested and dumped on its own.

pub mod balance;
pub mod capacity;
pub mod power;
pub mod targets;
pub mod variables;
pub mod variants;

//! The one integration-test binary: runs the real `ecopark` command on the
//! shipped parks and on purpose-made bad files, one module per area.

mod util;

mod analyses;
mod backends;
mod check;
mod guard;
mod layering;
mod outputs;
mod report;
mod scale;
mod sizes;
mod solve;
mod targets;
mod verify;

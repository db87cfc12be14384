//! The report's figures. Each has a plain data struct computed from the
//! park and its plan (`*_data`), kept apart from the drawing (`draw_*`), so
//! other front ends can reuse the numbers and tests can check them.
//!
//! The analysis figures (`pareto`, `macc`, `tornado`) are drawn the same
//! way from an analysis's result, by its file in [`super::analyses`], and
//! written by the command that runs it into the report's folder; the
//! report shows those it finds there ([`ANALYSES`]).

pub mod canvas;
pub mod flows;
pub mod macc;
pub mod map;
pub mod pareto;
pub mod scorecard;
pub mod tornado;
pub mod waterfall;

use crate::candidates::Endpoint;
use crate::library::Carrier;
use crate::solution::plan::LinkResult;
use plotters::style::RGBColor;
use serde::Serialize;

/// What a link carries, for colours and legends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowClass {
    /// A waste stream.
    SolidWaste,
    /// A project's product.
    Product,
    /// Steam.
    Steam,
    /// Hot water.
    HotWater,
}

impl FlowClass {
    /// The class of a plan link.
    pub fn of_link(link: &LinkResult) -> FlowClass {
        match Carrier::from_name(&link.carries) {
            Some(Carrier::Steam) => FlowClass::Steam,
            Some(Carrier::HotWater) => FlowClass::HotWater,
            _ if matches!(link.from, Endpoint::Project(_)) => FlowClass::Product,
            _ => FlowClass::SolidWaste,
        }
    }

    /// Whether it is heat (MWh) rather than material (t).
    pub fn is_heat(self) -> bool {
        matches!(self, FlowClass::Steam | FlowClass::HotWater)
    }

    /// Its colour.
    pub fn color(self) -> RGBColor {
        match self {
            FlowClass::SolidWaste => canvas::WASTE,
            FlowClass::Product => canvas::PRODUCT,
            FlowClass::Steam => canvas::STEAM,
            FlowClass::HotWater => canvas::HOT_WATER,
        }
    }
}

/// One drawn figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem (`map`, `flows`, …).
    pub name: &'static str,
    /// Caption.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// A figure an analysis command draws into the report's folder, which the
/// report shows when it finds it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    /// File stem: the figure is `<name>.svg`.
    pub name: &'static str,
    /// What it shows.
    pub title: &'static str,
    /// The command that draws it.
    pub command: &'static str,
}

/// Where a report shows an analysis's figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// A copy inlined in the page (report.html), which only writing the
    /// report again refreshes.
    Inlined,
    /// The figure's own file, linked (report.md).
    Linked,
}

impl Analysis {
    /// One line saying which command drew the figure and that re-running
    /// the command updates it (and, for an inlined copy, that writing the
    /// report again updates the copy).
    pub fn caption(&self, shown: Shown) -> String {
        let updates = match shown {
            Shown::Inlined => format!(
                "updates {}.svg, and writing the report again updates this copy",
                self.name
            ),
            Shown::Linked => "updates it".to_string(),
        };
        format!(
            "Drawn by `{}` into {}.svg; re-running that command {updates}.",
            self.command, self.name
        )
    }
}

/// The analysis figures, in report order.
pub const ANALYSES: [Analysis; 3] = [
    Analysis {
        name: "pareto",
        title: "Cost–CO2 trade-off (Pareto front)",
        command: "ecopark pareto",
    },
    Analysis {
        name: "macc",
        title: "Marginal abatement cost curve of support",
        command: "ecopark subsidies",
    },
    Analysis {
        name: "tornado",
        title: "Sensitivity of the plan to prices and quantities",
        command: "ecopark sensitivity",
    },
];

/// Computes and draws every figure of a plan, in report order.
pub fn draw_all(
    park: &crate::park::Park,
    plan: &crate::solution::Plan,
) -> Result<Vec<Figure>, canvas::DrawError> {
    let map = map::map_data(park, plan);
    let flows = flows::flows_data(park, plan);
    let waterfall = waterfall::waterfall_data(park, plan);
    let scorecard = scorecard::scorecard_data(park, plan);
    Ok(vec![
        Figure {
            name: "map",
            title: format!("Map of {}: chosen links along their routes", plan.park),
            svg: map::draw_map(&map, &format!("{} — chosen links and projects", plan.park))?,
        },
        Figure {
            name: "flows",
            title: "Material and heat flows".to_string(),
            svg: flows::draw_flows(&flows)?,
        },
        Figure {
            name: "waterfall",
            title: "From today's cost and CO2 to the plan's".to_string(),
            svg: waterfall::draw_waterfall(&waterfall)?,
        },
        Figure {
            name: "scorecard",
            title: "Green-park and zero-carbon-park indicators".to_string(),
            svg: scorecard::draw_scorecard(&scorecard)?,
        },
    ])
}

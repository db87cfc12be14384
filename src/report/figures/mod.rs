//! The report's figures. Each has a plain data struct computed from the
//! park and its plan (`*_data`), kept apart from the drawing (`draw_*`), so
//! other front ends can reuse the numbers and tests can check them.

pub mod canvas;
pub mod flows;
pub mod map;
pub mod scorecard;
pub mod waterfall;

use crate::candidates::Endpoint;
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
        match link.carries.as_str() {
            "steam" => FlowClass::Steam,
            "hot_water" => FlowClass::HotWater,
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

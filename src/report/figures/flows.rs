//! The flow diagram: a Sankey-style picture of where solid waste and heat
//! go — from waste streams and heat sources, through projects, to users,
//! outside markets, and what still goes where it goes today — with band
//! widths by tonnes (materials panel) and by MWh (heat panel).

use super::canvas::*;
use super::FlowClass;
use crate::candidates::Endpoint;
use crate::park::Park;
use crate::solution::Plan;
use crate::units::thousands;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Serialize;

/// A node of a Sankey panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SankeyNode {
    /// Unique key within the panel.
    pub key: String,
    /// Label.
    pub label: String,
    /// Column: 0 sources, 1 projects, 2 users and sinks.
    pub column: usize,
}

/// A band between two nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SankeyLink {
    /// Index of the source node.
    pub from: usize,
    /// Index of the target node.
    pub to: usize,
    /// Annual quantity (t or MWh).
    pub value: f64,
    /// What it carries; `None` for today's ways (disposal, boilers, unused heat).
    pub class: Option<FlowClass>,
}

/// One panel: materials in t or heat in MWh.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SankeyPanel {
    /// Panel title.
    pub title: String,
    /// Unit label for values.
    pub unit: String,
    /// Nodes.
    pub nodes: Vec<SankeyNode>,
    /// Bands.
    pub links: Vec<SankeyLink>,
}

impl SankeyPanel {
    fn new(title: &str, unit: &str) -> SankeyPanel {
        SankeyPanel {
            title: title.to_string(),
            unit: unit.to_string(),
            nodes: Vec::new(),
            links: Vec::new(),
        }
    }

    fn node(&mut self, key: String, label: String, column: usize) -> usize {
        match self.nodes.iter().position(|n| n.key == key) {
            Some(index) => index,
            None => {
                self.nodes.push(SankeyNode { key, label, column });
                self.nodes.len() - 1
            }
        }
    }

    fn link(&mut self, from: usize, to: usize, value: f64, class: Option<FlowClass>) {
        if value > 0.0 {
            self.links.push(SankeyLink {
                from,
                to,
                value,
                class,
            });
        }
    }

    /// A node's value: the larger of what enters and what leaves it.
    pub fn node_value(&self, node: usize) -> f64 {
        let sum = |f: &dyn Fn(&SankeyLink) -> bool| {
            self.links
                .iter()
                .filter(|l| f(l))
                .map(|l| l.value)
                .sum::<f64>()
        };
        sum(&|l| l.from == node).max(sum(&|l| l.to == node))
    }
}

/// Both panels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowsData {
    /// Panels with at least one band.
    pub panels: Vec<SankeyPanel>,
}

fn endpoint_node(panel: &mut SankeyPanel, park: &Park, endpoint: Endpoint) -> usize {
    match endpoint {
        Endpoint::Waste(i) => {
            let w = &park.wastes[i];
            panel.node(
                format!("waste:{}", w.id),
                format!("{} ({})", w.id, w.kind),
                0,
            )
        }
        Endpoint::HeatSource(i) => {
            let s = &park.heat_sources[i];
            panel.node(
                format!("source:{}", s.id),
                format!("{} ({} °C)", s.id, s.temperature_c),
                0,
            )
        }
        Endpoint::Project(i) => {
            let p = &park.projects[i];
            panel.node(format!("project:{}", p.id), p.name.clone(), 1)
        }
        Endpoint::MaterialDemand(i) => {
            let d = &park.material_demands[i];
            panel.node(
                format!("demand:{}", d.id),
                format!("{} (replaces {})", d.id, d.replaces),
                2,
            )
        }
        Endpoint::HeatDemand(i) => {
            let d = &park.heat_demands[i];
            panel.node(
                format!("heat:{}", d.id),
                format!("{} ({} °C)", d.id, d.temperature_c),
                2,
            )
        }
    }
}

/// Computes both panels from a park and its plan.
pub fn flows_data(park: &Park, plan: &Plan) -> FlowsData {
    let mut materials = SankeyPanel::new("Solid waste and products", "t/yr");
    let mut heat = SankeyPanel::new("Waste heat", "MWh/yr");
    for link in &plan.links {
        let class = FlowClass::of_link(link);
        let panel = if class.is_heat() {
            &mut heat
        } else {
            &mut materials
        };
        let from = endpoint_node(panel, park, link.from);
        let to = endpoint_node(panel, park, link.to);
        panel.link(from, to, link.sent, Some(class));
    }
    for sale in &plan.market_sales {
        let Some(i) = park.projects.iter().position(|p| p.id == sale.project) else {
            continue;
        };
        let from = endpoint_node(&mut materials, park, Endpoint::Project(i));
        let to = materials.node(
            format!("market:{}", sale.product),
            format!("sold outside: {}", sale.product),
            2,
        );
        materials.link(from, to, sale.t_per_year, Some(FlowClass::Product));
    }
    for outlet in &plan.today_outlet {
        let Some(i) = park.wastes.iter().position(|w| w.id == outlet.waste) else {
            continue;
        };
        let from = endpoint_node(&mut materials, park, Endpoint::Waste(i));
        let label = if outlet.outlet == "sold" {
            "sold as today"
        } else {
            "disposal (as today)"
        };
        let to = materials.node(format!("outlet:{}", outlet.outlet), label.to_string(), 2);
        materials.link(from, to, outlet.t_per_year, None);
    }
    for supply in &plan.heat_supply {
        let Some(i) = park.heat_demands.iter().position(|d| d.id == supply.demand) else {
            continue;
        };
        let from = heat.node(
            format!("supply:{}", supply.supply),
            format!("{} (as today)", supply.supply),
            0,
        );
        let to = endpoint_node(&mut heat, park, Endpoint::HeatDemand(i));
        heat.link(from, to, supply.mwh_per_year, None);
    }
    for (i, result) in plan.projects.iter().enumerate().take(park.projects.len()) {
        if result.built && result.product == "electricity" && result.product_output > 0.0 {
            let from = endpoint_node(&mut heat, park, Endpoint::Project(i));
            let to = heat.node("electricity".into(), "electricity for own use".into(), 2);
            heat.link(from, to, result.product_output, Some(FlowClass::Product));
        }
    }
    for (i, source) in park.heat_sources.iter().enumerate() {
        let unused = source.mwh_per_year() - plan.sent_from(Endpoint::HeatSource(i));
        if unused > 1e-6 {
            let from = endpoint_node(&mut heat, park, Endpoint::HeatSource(i));
            let to = heat.node("unused".into(), "waste heat not recovered".into(), 2);
            heat.link(from, to, unused, None);
        }
    }
    FlowsData {
        panels: [materials, heat]
            .into_iter()
            .filter(|p| !p.links.is_empty())
            .collect(),
    }
}

const WIDTH: u32 = 1300;
const COLUMN_X: [f64; 3] = [330.0, 640.0, 950.0];
const BAR: f64 = 14.0;
const GAP: f64 = 22.0;
const PANEL_TOP: f64 = 50.0;

fn panel_height(panel: &SankeyPanel) -> f64 {
    let most = (0..3)
        .map(|c| panel.nodes.iter().filter(|n| n.column == c).count())
        .max()
        .unwrap_or(1) as f64;
    (most * 46.0).max(260.0) + PANEL_TOP + 30.0
}

/// Draws both panels, one above the other, as an SVG document.
pub fn draw_flows(data: &FlowsData) -> Result<String, DrawError> {
    let heights: Vec<f64> = data.panels.iter().map(panel_height).collect();
    let total: f64 = heights.iter().sum::<f64>().max(120.0) + 20.0;
    render("flows", WIDTH, total.round() as u32, |area| {
        if data.panels.is_empty() {
            return area.draw(&Text::new(
                "No flows: the plan keeps the park as it is today.".to_string(),
                (40, 40),
                text(16, &INK, HPos::Left, VPos::Top),
            ));
        }
        let mut top = 10.0;
        for (panel, height) in data.panels.iter().zip(&heights) {
            draw_panel(area, panel, top, *height)?;
            top += height;
        }
        Ok(())
    })
}

fn smoothstep(t: f64) -> f64 {
    t * t * (3.0 - 2.0 * t)
}

fn draw_panel(area: &Area, panel: &SankeyPanel, top: f64, height: f64) -> Drawn {
    area.draw(&Text::new(
        format!("{} ({})", panel.title, panel.unit),
        px(20.0, top + 8.0),
        bold(18, &INK, HPos::Left, VPos::Top),
    ))?;
    let usable = height - PANEL_TOP - 30.0;
    let values: Vec<f64> = (0..panel.nodes.len())
        .map(|n| panel.node_value(n))
        .collect();
    let column_total = |c: usize| -> (f64, usize) {
        let nodes: Vec<usize> = (0..panel.nodes.len())
            .filter(|&n| panel.nodes[n].column == c)
            .collect();
        (nodes.iter().map(|&n| values[n]).sum(), nodes.len())
    };
    let scale = (0..3)
        .map(|c| {
            let (sum, count) = column_total(c);
            if sum > 0.0 {
                (usable - GAP * count.saturating_sub(1) as f64) / sum
            } else {
                f64::INFINITY
            }
        })
        .fold(f64::INFINITY, f64::min)
        .min(1e9);
    // Node boxes, stacked per column.
    let mut y_of = vec![0.0; panel.nodes.len()];
    let mut h_of = vec![0.0; panel.nodes.len()];
    for c in 0..3 {
        let mut y = top + PANEL_TOP;
        for n in (0..panel.nodes.len()).filter(|&n| panel.nodes[n].column == c) {
            y_of[n] = y;
            h_of[n] = (values[n] * scale).max(2.0);
            y += h_of[n] + GAP;
        }
    }
    // Bands, stacked at both ends in link order.
    let mut out_offset = vec![0.0; panel.nodes.len()];
    let mut in_offset = vec![0.0; panel.nodes.len()];
    for link in &panel.links {
        let thickness = (link.value * scale).max(1.0);
        let x1 = COLUMN_X[panel.nodes[link.from].column] + BAR;
        let x2 = COLUMN_X[panel.nodes[link.to].column];
        let y1 = y_of[link.from] + out_offset[link.from];
        let y2 = y_of[link.to] + in_offset[link.to];
        out_offset[link.from] += thickness;
        in_offset[link.to] += thickness;
        let steps = 24;
        let mut band: Vec<(i32, i32)> = Vec::with_capacity(2 * steps + 2);
        for i in 0..=steps {
            let t = i as f64 / steps as f64;
            band.push(px(x1 + (x2 - x1) * t, y1 + (y2 - y1) * smoothstep(t)));
        }
        for i in (0..=steps).rev() {
            let t = i as f64 / steps as f64;
            band.push(px(
                x1 + (x2 - x1) * t,
                y1 + thickness + (y2 - y1) * smoothstep(t),
            ));
        }
        let color = link.class.map_or(GREY, FlowClass::color);
        area.draw(&Polygon::new(band, fill(&color, 0.45)))?;
    }
    for (n, node) in panel.nodes.iter().enumerate() {
        let x = COLUMN_X[node.column];
        area.draw(&Rectangle::new(
            [px(x, y_of[n]), px(x + BAR, y_of[n] + h_of[n])],
            fill(&INK, 0.85),
        ))?;
        let label = format!("{}: {}", node.label, thousands(values[n]));
        let mid = y_of[n] + h_of[n] / 2.0;
        let (at, h) = match node.column {
            0 => (px(x - 8.0, mid), HPos::Right),
            1 => (px(x + BAR / 2.0, y_of[n] - 3.0), HPos::Center),
            _ => (px(x + BAR + 8.0, mid), HPos::Left),
        };
        let v = if node.column == 1 {
            VPos::Bottom
        } else {
            VPos::Center
        };
        halo_text(area, &label, at, &text(13, &INK, h, v))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;

    #[test]
    fn tiny_flows_balance_at_every_node() {
        let park = tiny();
        let plan = crate::park::testing::optimal_plan(&park);
        let data = flows_data(&park, &plan);
        let materials = &data.panels[0];
        let fly_ash = materials
            .nodes
            .iter()
            .position(|n| n.key == "waste:fly-ash")
            .unwrap();
        assert_eq!(materials.node_value(fly_ash), 100_000.0);
        let heat = &data.panels[1];
        let unused = heat.nodes.iter().position(|n| n.key == "unused").unwrap();
        assert_eq!(heat.node_value(unused), 40_000.0);
        let svg = draw_flows(&data).unwrap();
        assert!(svg.contains("waste heat not recovered: 40,000"));
    }
}

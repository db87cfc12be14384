//! The cost and carbon waterfall: from today's annual cost (with carbon at
//! the park's price) and CO2 to the plan's, one bar per contribution — each
//! project, each group of links by mode, virgin material replaced, disposal
//! avoided, today's sales forgone, boiler fuel avoided, and the carbon price.

use super::canvas::*;
use crate::economics;
use crate::park::{Park, TodayOutlet};
use crate::solution::Plan;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Serialize;
use std::collections::BTreeMap;

/// One contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// What it is.
    pub label: String,
    /// Change it makes (negative: a saving).
    pub value: f64,
}

/// A waterfall from a start total to an end total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterfallPanel {
    /// Panel title.
    pub title: String,
    /// Unit of the values.
    pub unit: String,
    /// Label of the first bar.
    pub start_label: String,
    /// Today's total.
    pub start: f64,
    /// Contributions, in order.
    pub steps: Vec<Step>,
    /// Label of the last bar.
    pub end_label: String,
    /// The plan's total (start plus every step).
    pub end: f64,
}

/// Both waterfalls: cost with carbon, and CO2.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterfallData {
    /// Annual cost plus carbon at the park's price, M CNY per year.
    pub cost: WaterfallPanel,
    /// CO2, kt per year.
    pub co2: WaterfallPanel,
}

/// Cost (CNY) and CO2 (t) of one contribution.
#[derive(Default, Clone, Copy)]
struct Amount {
    cost: f64,
    co2: f64,
}

/// Computes both waterfalls from a park and its plan.
pub fn waterfall_data(park: &Park, plan: &Plan) -> WaterfallData {
    let mut items: Vec<(String, Amount)> = Vec::new();
    for project in plan.projects.iter().filter(|p| p.built) {
        let sale = plan.market_sales.iter().find(|s| s.project == project.id);
        items.push((
            project.id.clone(),
            Amount {
                cost: project.annual_cost_cny_per_year
                    - sale.map_or(0.0, |s| s.revenue_cny_per_year),
                co2: project.co2_t_per_year + sale.map_or(0.0, |s| s.co2_t_per_year),
            },
        ));
    }
    let mut by_mode: BTreeMap<&str, Amount> = BTreeMap::new();
    let mut virgin = Amount::default();
    for link in &plan.links {
        let group = by_mode.entry(link.mode.as_str()).or_default();
        group.cost += link.annual_cost_cny_per_year - link.avoided_virgin_cny_per_year;
        group.co2 += link.co2_t_per_year - link.avoided_virgin_co2_t_per_year;
        virgin.cost += link.avoided_virgin_cny_per_year;
        virgin.co2 += link.avoided_virgin_co2_t_per_year;
    }
    for (mode, amount) in by_mode {
        items.push((format!("{} links", mode.replace('_', " ")), amount));
    }
    items.push(("virgin material replaced".into(), virgin));
    // Today's outlets and heat supplies: what the plan keeps minus what today has.
    let (mut disposal, mut sales) = (Amount::default(), Amount::default());
    for waste in &park.wastes {
        let today = economics::today_outlet_per_t(waste) * waste.t_per_year;
        let kept = plan.today_outlet.iter().find(|o| o.waste == waste.id);
        let target = match waste.today {
            TodayOutlet::Disposal { .. } => &mut disposal,
            TodayOutlet::Sold { .. } => &mut sales,
        };
        target.cost += kept.map_or(0.0, |o| o.cost_cny_per_year) - today.cost();
        target.co2 += kept.map_or(0.0, |o| o.co2_t_per_year) - today.co2();
    }
    items.push(("disposal avoided".into(), disposal));
    items.push(("today's sales forgone".into(), sales));
    let mut fuel = Amount::default();
    for demand in &park.heat_demands {
        let today = economics::current_supply_per_mwh(park, demand) * demand.mwh_per_year();
        let kept = plan.heat_supply.iter().find(|h| h.demand == demand.id);
        fuel.cost += kept.map_or(0.0, |h| h.cost_cny_per_year) - today.cost();
        fuel.co2 += kept.map_or(0.0, |h| h.co2_t_per_year) - today.co2();
    }
    items.push(("boiler fuel avoided".into(), fuel));

    let price = plan.carbon_price_cny_per_t;
    let significant = |v: f64| v.abs() >= 1e-9;
    let mut cost_steps: Vec<Step> = items
        .iter()
        .filter(|(_, a)| significant(a.cost / 1e6))
        .map(|(label, a)| Step {
            label: label.clone(),
            value: a.cost / 1e6,
        })
        .collect();
    cost_steps.push(Step {
        label: format!("carbon at {price} CNY/t"),
        value: price * plan.change.co2_t_per_year / 1e6,
    });
    let co2_steps = items
        .iter()
        .filter(|(_, a)| significant(a.co2 / 1e3))
        .map(|(label, a)| Step {
            label: label.clone(),
            value: a.co2 / 1e3,
        })
        .collect();
    WaterfallData {
        cost: WaterfallPanel {
            title: format!("Annual cost with carbon at {price} CNY/t"),
            unit: "M CNY/yr".into(),
            start_label: "today".into(),
            start: plan.baseline.objective_cny_per_year / 1e6,
            steps: cost_steps,
            end_label: "plan".into(),
            end: plan.plan.objective_cny_per_year / 1e6,
        },
        co2: WaterfallPanel {
            title: "CO2".into(),
            unit: "kt/yr".into(),
            start_label: "today".into(),
            start: plan.baseline.co2_t_per_year / 1e3,
            steps: co2_steps,
            end_label: "plan".into(),
            end: plan.plan.co2_t_per_year / 1e3,
        },
    }
}

const WIDTH: u32 = 1300;
const PANEL_HEIGHT: f64 = 430.0;
const LEFT: f64 = 110.0;
const RIGHT: f64 = 30.0;

/// Draws both waterfalls as an SVG document.
pub fn draw_waterfall(data: &WaterfallData) -> Result<String, DrawError> {
    render(
        "waterfall",
        WIDTH,
        (2.0 * PANEL_HEIGHT + 20.0) as u32,
        |area| {
            draw_panel(area, &data.cost, 10.0)?;
            draw_panel(area, &data.co2, 10.0 + PANEL_HEIGHT)
        },
    )
}

/// An axis tick with as many decimals as the step needs.
fn tick_label(value: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    if decimals == 0 {
        crate::units::thousands(value)
    } else {
        format!("{value:.decimals$}")
    }
}

/// Splits a label into lines of at most `width` characters, at spaces and
/// after hyphens, cutting words that are longer than a line.
fn wrap(label: &str, width: usize) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in label.split(' ') {
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if (c == '-' && piece.chars().count() > 1) || piece.chars().count() >= width {
                words.push(std::mem::take(&mut piece));
            }
        }
        if !piece.is_empty() {
            words.push(piece);
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for word in words {
        let joined_with_hyphen = lines.last().is_some_and(|l| l.ends_with('-'));
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                if !joined_with_hyphen {
                    line.push(' ');
                }
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    lines
}

/// One bar of a panel.
struct Bar {
    /// What it is, written under it.
    label: String,
    /// Where it starts, in the panel's unit.
    low: f64,
    /// Where it ends, in the panel's unit.
    high: f64,
    /// Total, worse or better.
    color: RGBColor,
    /// The value written over it.
    value: f64,
}

/// A panel's bars: today's total, each step from the running level, and
/// the plan's total.
fn panel_bars(panel: &WaterfallPanel) -> Vec<Bar> {
    let mut bars: Vec<Bar> = Vec::new();
    bars.push(Bar {
        label: panel.start_label.clone(),
        low: panel.start.min(0.0),
        high: panel.start.max(0.0),
        color: TOTAL,
        value: panel.start,
    });
    let mut level = panel.start;
    for step in &panel.steps {
        let next = level + step.value;
        let color = if step.value > 0.0 { WORSE } else { BETTER };
        bars.push(Bar {
            label: step.label.clone(),
            low: level.min(next),
            high: level.max(next),
            color,
            value: step.value,
        });
        level = next;
    }
    bars.push(Bar {
        label: panel.end_label.clone(),
        low: panel.end.min(0.0),
        high: panel.end.max(0.0),
        color: TOTAL,
        value: panel.end,
    });
    bars
}

/// A panel's vertical scale: a round step, the axis's ends on it, and the
/// plot's top and bottom, px.
struct Scale {
    step: f64,
    axis_low: f64,
    axis_high: f64,
    plot_top: f64,
    plot_bottom: f64,
}

impl Scale {
    /// The scale covering `bars` and 0, for a panel whose top is at `top` px.
    fn new(bars: &[Bar], top: f64) -> Scale {
        let low = bars.iter().map(|b| b.low).fold(0.0, f64::min);
        let high = bars.iter().map(|b| b.high).fold(0.0, f64::max);
        let span = (high - low).max(1e-9);
        let step = nice_step(span / 6.0);
        Scale {
            step,
            axis_low: (low / step).floor() * step,
            axis_high: (high / step).ceil() * step,
            plot_top: top + 50.0,
            plot_bottom: top + PANEL_HEIGHT - 90.0,
        }
    }

    /// A value as px down.
    fn y(&self, v: f64) -> f64 {
        self.plot_bottom
            - (v - self.axis_low) / (self.axis_high - self.axis_low).max(1e-9)
                * (self.plot_bottom - self.plot_top)
    }
}

/// Right edge of the plot, px.
const PLOT_RIGHT: f64 = WIDTH as f64 - RIGHT;

/// One waterfall, its title at `top` px.
fn draw_panel(area: &Area, panel: &WaterfallPanel, top: f64) -> Drawn {
    area.draw(&Text::new(
        format!("{} ({})", panel.title, panel.unit),
        px(20.0, top + 6.0),
        bold(18, &INK, HPos::Left, VPos::Top),
    ))?;
    let bars = panel_bars(panel);
    let scale = Scale::new(&bars, top);
    draw_grid(area, panel, &scale)?;
    draw_bars(area, panel, &bars, &scale)
}

/// Grid lines with their tick labels (the zero line in ink), and the unit.
fn draw_grid(area: &Area, panel: &WaterfallPanel, scale: &Scale) -> Drawn {
    let step = scale.step;
    let mut tick = scale.axis_low;
    while tick <= scale.axis_high + step / 2.0 {
        let yy = scale.y(tick);
        let color = if tick.abs() < step / 1e6 {
            INK
        } else {
            RGBColor(225, 225, 225)
        };
        area.draw(&PathElement::new(
            vec![px(LEFT, yy), px(PLOT_RIGHT, yy)],
            stroke(&color, 1),
        ))?;
        area.draw(&Text::new(
            tick_label(tick, step),
            px(LEFT - 8.0, yy),
            text(12, &INK, HPos::Right, VPos::Center),
        ))?;
        tick += step;
    }
    area.draw(&Text::new(
        panel.unit.clone(),
        px(LEFT - 8.0, scale.plot_top - 22.0),
        text(12, &GREY, HPos::Right, VPos::Center),
    ))
}

/// Each bar in its slot, a connector to the next at the running level, its
/// value over it and its label wrapped under the plot.
fn draw_bars(area: &Area, panel: &WaterfallPanel, bars: &[Bar], scale: &Scale) -> Drawn {
    let y = |v: f64| scale.y(v);
    let slot = (PLOT_RIGHT - LEFT) / bars.len() as f64;
    let bar_width = (slot * 0.7).min(80.0);
    let chars = ((slot / 7.0).floor() as usize).max(6);
    for (i, bar) in bars.iter().enumerate() {
        let (lo, hi, value) = (bar.low, bar.high, bar.value);
        let cx = LEFT + slot * (i as f64 + 0.5);
        let (top_px, bottom_px) = (y(hi), y(lo).max(y(hi) + 1.0));
        area.draw(&Rectangle::new(
            [
                px(cx - bar_width / 2.0, top_px),
                px(cx + bar_width / 2.0, bottom_px),
            ],
            fill(&bar.color, 0.9),
        ))?;
        if i + 1 < bars.len() {
            // Connector to the next bar at the running level.
            let level = if i == 0 {
                panel.start
            } else if value > 0.0 {
                hi
            } else {
                lo
            };
            let next_cx = cx + slot;
            area.draw(&PathElement::new(
                vec![
                    px(cx + bar_width / 2.0, y(level)),
                    px(next_cx - bar_width / 2.0, y(level)),
                ],
                stroke(&GREY, 1),
            ))?;
        }
        let shown = if i == 0 || i + 1 == bars.len() {
            number(value, 1)
        } else {
            format!("{}{}", if value > 0.0 { "+" } else { "" }, number(value, 1))
        };
        area.draw(&Text::new(
            shown,
            px(cx, top_px - 4.0),
            text(12, &INK, HPos::Center, VPos::Bottom),
        ))?;
        for (line_number, line) in wrap(&bar.label, chars).iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                px(cx, scale.plot_bottom + 10.0 + 15.0 * line_number as f64),
                text(12, &INK, HPos::Center, VPos::Top),
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;

    #[test]
    fn steps_add_up_from_today_to_the_plan() {
        let park = tiny();
        let plan = crate::park::testing::optimal_plan(&park);
        let data = waterfall_data(&park, &plan);
        for panel in [&data.cost, &data.co2] {
            let sum: f64 = panel.start + panel.steps.iter().map(|s| s.value).sum::<f64>();
            assert!(
                (sum - panel.end).abs() < 1e-6,
                "{}: {sum} vs {}",
                panel.title,
                panel.end
            );
        }
        // tiny: the boiler's 40,000 MWh × 400 CNY = 16 M CNY of fuel avoided.
        let fuel = data
            .cost
            .steps
            .iter()
            .find(|s| s.label == "boiler fuel avoided")
            .unwrap();
        assert!((fuel.value + 16.0).abs() < 1e-9);
    }

    #[test]
    fn long_labels_wrap_at_spaces() {
        assert_eq!(
            wrap("virgin material replaced", 10),
            ["virgin", "material", "replaced"]
        );
        assert_eq!(
            wrap("slag-aggregate-plant", 12),
            ["slag-", "aggregate-", "plant"]
        );
        assert_eq!(tick_label(-150.0, 50.0), "-150");
        assert_eq!(tick_label(0.5, 0.1), "0.5");
    }
}

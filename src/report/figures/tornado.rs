//! The sensitivity tornado: how far the optimal plan's annual cost and CO2
//! move when each group of prices or quantities is scaled down and up by
//! the same percentage (the park re-optimised each time). It shows which
//! assumptions the plan's case rests on, widest swing first. It is drawn
//! from the result of [`crate::analysis::sensitivity::sensitivity`].

use super::canvas::*;
use crate::analysis::sensitivity::Sensitivity;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Serialize;
use std::collections::BTreeSet;

/// One quantity with a group scaled down and up.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Swing {
    /// With the group scaled down.
    pub low: f64,
    /// With the group scaled up.
    pub high: f64,
}

/// One group's bar in both panels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoRow {
    /// The group's label.
    pub label: String,
    /// Whether the projects built change when the group is scaled.
    pub plan_changes: bool,
    /// Annual cost, M CNY per year.
    pub cost: Swing,
    /// CO2, kt per year.
    pub co2: Swing,
}

/// The tornado.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoChart {
    /// Chart title, with the park's name.
    pub title: String,
    /// Scaling, percent either way.
    pub percent: f64,
    /// The optimal plan's annual cost, M CNY per year.
    pub base_cost_m_cny: f64,
    /// The optimal plan's CO2, kt per year.
    pub base_co2_kt: f64,
    /// Groups in the analysis's order (widest cost swing first).
    pub rows: Vec<TornadoRow>,
}

/// Computes the tornado from a sensitivity analysis, keeping its order.
pub fn tornado_data(sensitivity: &Sensitivity) -> TornadoChart {
    let base: BTreeSet<&String> = sensitivity.base_projects.iter().collect();
    let differs = |projects: &[String]| projects.iter().collect::<BTreeSet<_>>() != base;
    TornadoChart {
        title: format!("Sensitivity of the plan: {}", sensitivity.park),
        percent: sensitivity.percent,
        base_cost_m_cny: sensitivity.base_cost_cny_per_year / 1e6,
        base_co2_kt: sensitivity.base_co2_t_per_year / 1e3,
        rows: sensitivity
            .rows
            .iter()
            .map(|row| TornadoRow {
                label: row.label.clone(),
                plan_changes: differs(&row.projects_low) || differs(&row.projects_high),
                cost: Swing {
                    low: row.cost_low_cny_per_year / 1e6,
                    high: row.cost_high_cny_per_year / 1e6,
                },
                co2: Swing {
                    low: row.co2_low_t_per_year / 1e3,
                    high: row.co2_high_t_per_year / 1e3,
                },
            })
            .collect(),
    }
}

const WIDTH: u32 = 1300;
const LABEL_RIGHT: f64 = 205.0;
/// Left and right edges of the two panels.
const PANELS: [(f64, f64); 2] = [(235.0, 725.0), (790.0, WIDTH as f64 - 35.0)];
const ROWS_TOP: f64 = 150.0;
const ROW: f64 = 34.0;
const BAR: f64 = 18.0;
/// The group scaled down.
const DOWN: RGBColor = HOT_WATER;
/// The group scaled up.
const UP: RGBColor = RGBColor(230, 140, 40);

/// A percentage as shown: `20`, `12.5`.
fn percent(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Draws the tornado as an SVG document.
pub fn draw_tornado(chart: &TornadoChart) -> Result<String, DrawError> {
    let rows_bottom = ROWS_TOP + ROW * chart.rows.len().max(1) as f64;
    let changes = chart.rows.iter().any(|r| r.plan_changes);
    let height = rows_bottom + 60.0 + if changes { 22.0 } else { 0.0 };
    let p = percent(chart.percent);
    render("tornado", WIDTH, height as u32, |area| {
        area.draw(&Text::new(
            chart.title.clone(),
            (20, 14),
            bold(18, &INK, HPos::Left, VPos::Top),
        ))?;
        area.draw(&Text::new(
            format!("Each group of prices or quantities scaled down and up by {p} %, the park re-optimised each time (the plan may change); widest swing in annual cost first."),
            (20, 42),
            text(12, &GREY, HPos::Left, VPos::Top),
        ))?;
        let (down, up) = (
            format!("−{p} %: group scaled down"),
            format!("+{p} %: group scaled up"),
        );
        legend(area, 20.0, 72.0, &[(DOWN, &down), (UP, &up)])?;
        if chart.rows.is_empty() {
            return area.draw(&Text::new(
                "No groups were scaled.".to_string(),
                px(WIDTH as f64 / 2.0, ROWS_TOP + 20.0),
                text(16, &GREY, HPos::Center, VPos::Center),
            ));
        }
        for (i, row) in chart.rows.iter().enumerate() {
            let mid = ROWS_TOP + ROW * (i as f64 + 0.5);
            let star = if row.plan_changes { " *" } else { "" };
            area.draw(&Text::new(
                format!("{}{star}", row.label),
                px(LABEL_RIGHT, mid),
                text(13, &INK, HPos::Right, VPos::Center),
            ))?;
        }
        let cost: Vec<Swing> = chart.rows.iter().map(|r| r.cost).collect();
        let co2: Vec<Swing> = chart.rows.iter().map(|r| r.co2).collect();
        let panels = [
            ("Annual cost (M CNY/yr)", chart.base_cost_m_cny, cost),
            ("CO2 (kt/yr)", chart.base_co2_kt, co2),
        ];
        for ((title, base, swings), edges) in panels.iter().zip(PANELS) {
            draw_panel(area, title, *base, swings, edges, rows_bottom)?;
        }
        if changes {
            area.draw(&Text::new(
                format!("* the projects built change when this group is scaled by ±{p} % (the analysis's CSV lists them)."),
                px(20.0, rows_bottom + 48.0),
                text(12, &GREY, HPos::Left, VPos::Top),
            ))?;
        }
        Ok(())
    })
}

/// A signed change as shown next to a bar's end.
fn delta(value: f64) -> String {
    let shown = format!("{value:+.1}");
    if shown == "+0.0" || shown == "-0.0" {
        "±0.0".to_string()
    } else {
        shown
    }
}

fn draw_panel(
    area: &Area,
    title: &str,
    base: f64,
    swings: &[Swing],
    (left, right): (f64, f64),
    rows_bottom: f64,
) -> Drawn {
    let values = swings.iter().flat_map(|s| [s.low, s.high]);
    let low = values.clone().fold(base, f64::min);
    let high = values.fold(base, f64::max);
    // Room on both sides for the labels at the bars' ends.
    let pad = (high - low) * 0.2;
    let axis = Axis::covering(low - pad, high + pad, 5);
    let x = |v: f64| axis.place(v, left, right);
    area.draw(&Text::new(
        title.to_string(),
        px((left + right) / 2.0, 100.0),
        bold(14, &INK, HPos::Center, VPos::Top),
    ))?;
    axis.draw_x_ticks(area, left, right, ROWS_TOP, rows_bottom)?;
    area.draw(&PathElement::new(
        vec![px(left, rows_bottom), px(right, rows_bottom)],
        stroke(&INK, 1),
    ))?;
    for (i, swing) in swings.iter().enumerate() {
        let mid = ROWS_TOP + ROW * (i as f64 + 0.5);
        let ends = [(swing.low, DOWN), (swing.high, UP)];
        let moved: Vec<(f64, RGBColor)> = ends
            .into_iter()
            .filter(|(v, _)| (v - base).abs() > 1e-9 * base.abs().max(1.0))
            .collect();
        if moved.is_empty() {
            area.draw(&Text::new(
                "no change".to_string(),
                px(x(base) + 6.0, mid),
                text(11, &GREY, HPos::Left, VPos::Center),
            ))?;
            continue;
        }
        // The end farther from the base first, so a nearer one on the same side stays visible.
        let mut order = moved.clone();
        order.sort_by(|a, b| (b.0 - base).abs().total_cmp(&(a.0 - base).abs()));
        for (value, color) in &order {
            area.draw(&Rectangle::new(
                [
                    px(x(base.min(*value)), mid - BAR / 2.0),
                    px(
                        x(base.max(*value)).max(x(base.min(*value)) + 1.0),
                        mid + BAR / 2.0,
                    ),
                ],
                fill(color, 0.9),
            ))?;
        }
        // Each side's outer end is labelled with its change from the base.
        for side in [-1.0, 1.0] {
            let outer = moved
                .iter()
                .filter(|(v, _)| (v - base) * side > 0.0)
                .max_by(|a, b| ((a.0 - base) * side).total_cmp(&((b.0 - base) * side)));
            if let Some((value, _)) = outer {
                let (at, h) = if side < 0.0 {
                    (x(*value) - 4.0, HPos::Right)
                } else {
                    (x(*value) + 4.0, HPos::Left)
                };
                area.draw(&Text::new(
                    delta(value - base),
                    px(at, mid),
                    text(11, &INK, h, VPos::Center),
                ))?;
            }
        }
    }
    area.draw(&PathElement::new(
        vec![px(x(base), ROWS_TOP - 6.0), px(x(base), rows_bottom)],
        stroke(&INK, 2),
    ))?;
    area.draw(&Text::new(
        format!("base {}", number(base, 1)),
        px(x(base), ROWS_TOP - 8.0),
        text(12, &INK, HPos::Center, VPos::Bottom),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::{Group, SensitivityRow};

    /// A real analysis (tiny's), as a template whose fields the tests set:
    /// the tests do not depend on fields the figure does not draw.
    fn template() -> Sensitivity {
        crate::analysis::sensitivity::sensitivity(
            &crate::park::testing::tiny(),
            &crate::solve::SolverConfig::default(),
            20.0,
        )
        .unwrap()
    }

    fn row(
        template: &Sensitivity,
        group: Group,
        cost: (f64, f64),
        co2: (f64, f64),
        projects: &[&str],
    ) -> SensitivityRow {
        let projects: Vec<String> = projects.iter().map(|s| s.to_string()).collect();
        let mut row = template.rows[0].clone();
        row.group = group;
        row.label = group.label().to_string();
        row.cost_low_cny_per_year = cost.0;
        row.cost_high_cny_per_year = cost.1;
        row.co2_low_t_per_year = co2.0;
        row.co2_high_t_per_year = co2.1;
        row.projects_low = projects.clone();
        row.projects_high = projects;
        row
    }

    fn sample() -> Sensitivity {
        let mut sample = template();
        sample.park = "宁东 park".into();
        sample.percent = 20.0;
        sample.base_cost_cny_per_year = -3_000_000.0;
        sample.base_co2_t_per_year = -400_000.0;
        sample.base_projects = vec!["a".into(), "b".into()];
        sample.rows = vec![
            row(
                &sample,
                Group::VirginMaterialPrices,
                (11_000_000.0, -21_000_000.0),
                (-400_000.0, -402_500.0),
                &["b", "a"],
            ),
            row(
                &sample,
                Group::WasteHeat,
                (7_000_000.0, -12_500_000.0),
                (-375_000.0, -428_600.0),
                &["a"],
            ),
            row(
                &sample,
                Group::CarbonPrice,
                (-3_000_000.0, -3_000_000.0),
                (-400_000.0, -400_000.0),
                &["a", "b"],
            ),
        ];
        sample
    }

    #[test]
    fn the_order_is_kept_and_units_are_millions_and_kilotonnes() {
        let chart = tornado_data(&sample());
        let labels: Vec<&str> = chart.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            ["virgin material prices", "waste-heat MW", "carbon price"]
        );
        assert_eq!((chart.base_cost_m_cny, chart.base_co2_kt), (-3.0, -400.0));
        let first = &chart.rows[0];
        assert_eq!(
            first.cost,
            Swing {
                low: 11.0,
                high: -21.0
            }
        );
        assert_eq!(
            first.co2,
            Swing {
                low: -400.0,
                high: -402.5
            }
        );
        assert!(!first.plan_changes, "same projects in another order");
        assert!(chart.rows[1].plan_changes);
    }

    #[test]
    fn the_drawing_is_labelled_well_formed_and_repeatable() {
        let chart = tornado_data(&sample());
        let svg = draw_tornado(&chart).unwrap();
        let texts = svg_texts(&svg);
        for expected in [
            "Sensitivity of the plan: 宁东 park",
            "−20 %: group scaled down",
            "+20 %: group scaled up",
            "Annual cost (M CNY/yr)",
            "CO2 (kt/yr)",
            "virgin material prices",
            "waste-heat MW *",
            "base -3.0",
            "base -400",
            "+14.0",
            "-18.0",
            "-28.6",
            "+25.0",
            "no change",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} in {texts:?}"
            );
        }
        // Rows keep the analysis's order on the page.
        let at = |label: &str| texts.iter().position(|t| t == label).unwrap();
        assert!(at("virgin material prices") < at("waste-heat MW *"));
        assert!(at("waste-heat MW *") < at("carbon price"));
        assert_eq!(svg, draw_tornado(&chart).unwrap());
    }

    #[test]
    fn nothing_to_show_still_draws() {
        let mut empty = sample();
        empty.rows.clear();
        let texts = svg_texts(&draw_tornado(&tornado_data(&empty)).unwrap());
        assert!(texts.iter().any(|t| t == "No groups were scaled."));
        let mut flat = sample();
        flat.rows = vec![row(
            &flat,
            Group::Capex,
            (-3e6, -3e6),
            (-4e5, -4e5),
            &["a", "b"],
        )];
        flat.percent = 12.5;
        let texts = svg_texts(&draw_tornado(&tornado_data(&flat)).unwrap());
        assert!(texts.iter().any(|t| t == "+12.5 %: group scaled up"));
        assert_eq!(texts.iter().filter(|t| *t == "no change").count(), 2);
    }
}

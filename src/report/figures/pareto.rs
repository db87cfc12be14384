//! The cost–CO2 trade-off of a park (its Pareto front): the least annual
//! cost for each cap on CO2, from the cost-optimal plan to the CO2-optimal
//! one. The figure shows how much each further tonne costs and which
//! projects and links buy it, so a park can see where abatement stops
//! being cheap (the knee). It is drawn from the result of
//! [`crate::analysis::pareto::pareto`].

use super::canvas::*;
use crate::analysis::pareto::{ParetoFront, ParetoPoint};
use crate::units::thousands;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Serialize;

/// One point of the front, in the chart's units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontPoint {
    /// CO2, in the chart's CO2 unit (kt or Mt per year).
    pub co2: f64,
    /// Annual cost, M CNY per year.
    pub cost_m_cny: f64,
    /// What is special about the point ("cost optimum", "knee", "CO2
    /// optimum"), when anything is.
    pub mark: Option<String>,
    /// What changes from the previous point: projects added (`+id`) and
    /// dropped (`−id`), then the number of links added and dropped.
    pub changes: String,
    /// CO2 avoided from the previous point, t per year (none for the first).
    pub co2_avoided_t: Option<f64>,
    /// Extra annual cost from the previous point, M CNY per year (none for the first).
    pub extra_cost_m_cny: Option<f64>,
    /// Extra cost per tonne avoided from the previous point, CNY per t
    /// (none for the first point and for steps that avoid nothing).
    pub mac_cny_per_t: Option<f64>,
}

/// The Pareto chart: points from the cost-optimal to the CO2-optimal plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParetoChart {
    /// Chart title, with the park's name.
    pub title: String,
    /// Unit of the CO2 values: `kt/yr`, or `Mt/yr` for a park emitting (or
    /// avoiding) a million tonnes or more.
    pub co2_unit: String,
    /// Projects the cost-optimal plan (the first point) builds.
    pub first_projects: Vec<String>,
    /// Points, CO2 falling.
    pub points: Vec<FrontPoint>,
}

/// What changes from the previous point, in a few words.
fn changes(point: &ParetoPoint) -> String {
    let mut parts: Vec<String> = point
        .projects_added
        .iter()
        .map(|id| format!("+{id}"))
        .chain(point.projects_dropped.iter().map(|id| format!("−{id}")))
        .collect();
    let plural = |n: usize| if n == 1 { "link" } else { "links" };
    match (point.links_added.len(), point.links_dropped.len()) {
        (0, 0) => {}
        (added, 0) => parts.push(format!("+{added} {}", plural(added))),
        (0, dropped) => parts.push(format!("−{dropped} {}", plural(dropped))),
        (added, dropped) => parts.push(format!("+{added}/−{dropped} links")),
    }
    parts.join(", ")
}

/// Computes the chart from a Pareto front.
pub fn pareto_data(front: &ParetoFront) -> ParetoChart {
    let largest = front
        .points
        .iter()
        .map(|p| p.co2_t_per_year.abs())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let (scale, unit) = if largest >= 1e6 {
        (1e6, "Mt/yr")
    } else {
        (1e3, "kt/yr")
    };
    let last = front.points.len().saturating_sub(1);
    let points = front
        .points
        .iter()
        .enumerate()
        .map(|(i, point)| {
            let mut marks = Vec::new();
            if i == 0 {
                marks.push("cost optimum");
            }
            if point.knee {
                marks.push("knee");
            }
            if i == last {
                marks.push("CO2 optimum");
            }
            let previous = i.checked_sub(1).map(|j| &front.points[j]);
            FrontPoint {
                co2: point.co2_t_per_year / scale,
                cost_m_cny: point.cost_cny_per_year / 1e6,
                mark: (!marks.is_empty()).then(|| marks.join(", ")),
                changes: if previous.is_some() {
                    changes(point)
                } else {
                    String::new()
                },
                co2_avoided_t: previous.map(|p| p.co2_t_per_year - point.co2_t_per_year),
                extra_cost_m_cny: previous
                    .map(|p| (point.cost_cny_per_year - p.cost_cny_per_year) / 1e6),
                mac_cny_per_t: previous.and(point.marginal_abatement_cost_cny_per_t),
            }
        })
        .collect();
    ParetoChart {
        title: format!("Cost–CO2 trade-off of {}", front.park),
        co2_unit: unit.to_string(),
        first_projects: front
            .points
            .first()
            .map(|p| p.projects.clone())
            .unwrap_or_default(),
        points,
    }
}

const WIDTH: u32 = 1300;
const LEFT: f64 = 110.0;
const RIGHT: f64 = WIDTH as f64 - 40.0;
const PLOT_TOP: f64 = 100.0;
const PLOT_BOTTOM: f64 = PLOT_TOP + 440.0;
const CAPTION_TOP: f64 = PLOT_BOTTOM + 70.0;
const LINE: f64 = 17.0;
const LABEL_SIZE: f64 = 12.0;

/// The caption's lines: what the cost optimum builds, then one line per step.
fn caption(chart: &ParetoChart) -> Vec<String> {
    let mut lines = Vec::new();
    let Some(first) = chart.points.first() else {
        return lines;
    };
    let builds = if chart.first_projects.is_empty() {
        "builds no project".to_string()
    } else {
        format!("builds {}", chart.first_projects.join(", "))
    };
    lines.push(format!(
        "1 {}: {builds}",
        first.mark.as_deref().unwrap_or_default()
    ));
    for (i, point) in chart.points.iter().enumerate().skip(1) {
        let mark = point
            .mark
            .as_ref()
            .map_or(String::new(), |m| format!(" ({m})"));
        let extra = point.extra_cost_m_cny.unwrap_or(0.0);
        let avoided = point.co2_avoided_t.unwrap_or(0.0);
        let price = match point.mac_cny_per_t {
            Some(mac) => format!(
                "avoids {} t CO2/yr for {extra:+.2} M CNY/yr: {} CNY/tCO2",
                thousands(avoided),
                number(mac, 1)
            ),
            None => format!("avoids no CO2 ({extra:+.2} M CNY/yr)"),
        };
        let changes = if point.changes.is_empty() {
            String::new()
        } else {
            format!("; {}", point.changes)
        };
        lines.push(format!("{i} → {}{mark}: {price}{changes}", i + 1));
    }
    lines
}

/// The caption laid out in one column, or two when it is long: (x, lines).
fn caption_columns(chart: &ParetoChart) -> Vec<(f64, Vec<String>)> {
    let lines = caption(chart);
    let columns = if lines.len() > 10 { 2 } else { 1 };
    let column_width = (WIDTH as f64 - 40.0) / columns as f64;
    let per_column = lines.len().div_ceil(columns).max(1);
    lines
        .chunks(per_column)
        .enumerate()
        .map(|(c, chunk)| {
            let wrapped = chunk
                .iter()
                .flat_map(|line| {
                    let mut pieces =
                        wrap_to_width(line, LABEL_SIZE, column_width - 30.0).into_iter();
                    let first = pieces.next().unwrap_or_default();
                    std::iter::once(first).chain(pieces.map(|p| format!("    {p}")))
                })
                .collect();
            (20.0 + column_width * c as f64, wrapped)
        })
        .collect()
}

/// Draws the chart as an SVG document.
pub fn draw_pareto(chart: &ParetoChart) -> Result<String, DrawError> {
    let columns = caption_columns(chart);
    let caption_lines = columns.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    let height = if chart.points.is_empty() {
        PLOT_TOP + 40.0
    } else {
        CAPTION_TOP + 24.0 + LINE * caption_lines as f64 + 16.0
    };
    render("pareto", WIDTH, height as u32, |area| {
        area.draw(&Text::new(
            chart.title.clone(),
            (20, 14),
            bold(18, &INK, HPos::Left, VPos::Top),
        ))?;
        area.draw(&Text::new(
            "Least annual cost for each cap on CO2. The knee is the point farthest from the straight line joining the two ends: beyond it each tonne costs more.".to_string(),
            (20, 42),
            text(12, &GREY, HPos::Left, VPos::Top),
        ))?;
        if chart.points.is_empty() {
            return area.draw(&Text::new(
                "No points on the front.".to_string(),
                px(20.0, PLOT_TOP - 20.0),
                text(16, &GREY, HPos::Left, VPos::Top),
            ));
        }
        draw_plot(area, chart)?;
        area.draw(&Text::new(
            "Steps along the front (marginal abatement cost = extra annual cost ÷ CO2 avoided):"
                .to_string(),
            px(20.0, CAPTION_TOP),
            bold(12, &INK, HPos::Left, VPos::Top),
        ))?;
        for (x, lines) in &columns {
            for (i, line) in lines.iter().enumerate() {
                area.draw(&Text::new(
                    line.clone(),
                    px(*x, CAPTION_TOP + 24.0 + LINE * i as f64),
                    text(12, &INK, HPos::Left, VPos::Top),
                ))?;
            }
        }
        Ok(())
    })
}

/// An axis over `values`, padded by `pad` of their span on each side.
fn padded_axis(values: impl Iterator<Item = f64> + Clone, pad: f64, ticks: usize) -> Axis {
    let low = values.clone().fold(f64::INFINITY, f64::min);
    let high = values.fold(f64::NEG_INFINITY, f64::max);
    let margin = (high - low) * pad;
    Axis::covering(low - margin, high + margin, ticks)
}

/// Label boxes (left, top, right, bottom) already on the plot.
struct Taken(Vec<[f64; 4]>);

impl Taken {
    fn free(&self, b: [f64; 4]) -> bool {
        !self
            .0
            .iter()
            .any(|t| b[0] < t[2] && b[2] > t[0] && b[1] < t[3] && b[3] > t[1])
    }
}

fn draw_plot(area: &Area, chart: &ParetoChart) -> Drawn {
    let x_axis = padded_axis(chart.points.iter().map(|p| p.co2), 0.06, 8);
    let y_axis = padded_axis(chart.points.iter().map(|p| p.cost_m_cny), 0.08, 6);
    let x = |v: f64| x_axis.place(v, LEFT, RIGHT);
    let y = |v: f64| y_axis.place(v, PLOT_BOTTOM, PLOT_TOP);
    x_axis.draw_x_ticks(area, LEFT, RIGHT, PLOT_TOP, PLOT_BOTTOM)?;
    y_axis.draw_y_ticks(area, PLOT_BOTTOM, PLOT_TOP, LEFT, RIGHT)?;
    area.draw(&PathElement::new(
        vec![
            px(LEFT, PLOT_TOP),
            px(LEFT, PLOT_BOTTOM),
            px(RIGHT, PLOT_BOTTOM),
        ],
        stroke(&INK, 1),
    ))?;
    area.draw(&Text::new(
        "Annual cost (M CNY/yr)".to_string(),
        px(LEFT - 8.0, PLOT_TOP - 16.0),
        text(12, &GREY, HPos::Left, VPos::Bottom),
    ))?;
    area.draw(&Text::new(
        format!("CO2 ({}) — less CO2 to the left", chart.co2_unit),
        px((LEFT + RIGHT) / 2.0, PLOT_BOTTOM + 30.0),
        text(12, &GREY, HPos::Center, VPos::Top),
    ))?;
    let at: Vec<(f64, f64)> = chart
        .points
        .iter()
        .map(|p| (x(p.co2), y(p.cost_m_cny)))
        .collect();
    area.draw(&PathElement::new(
        at.iter().map(|&(a, b)| px(a, b)).collect::<Vec<_>>(),
        stroke(&TOTAL, 2),
    ))?;
    let radius = |p: &FrontPoint| if p.mark.is_some() { 7.0 } else { 5.0 };
    let mut taken = Taken(
        chart
            .points
            .iter()
            .zip(&at)
            .map(|(p, &(a, b))| {
                let r = radius(p) + 1.0;
                [a - r, b - r, a + r, b + r]
            })
            .collect(),
    );
    for (p, &(a, b)) in chart.points.iter().zip(&at) {
        let color = match p.mark.as_deref() {
            Some(m) if m.contains("knee") => WORSE,
            Some(_) => INK,
            None => TOTAL,
        };
        area.draw(&Circle::new(px(a, b), radius(p) as i32, fill(&color, 1.0)))?;
        area.draw(&Circle::new(
            px(a, b),
            radius(p) as i32,
            stroke(&WHITE_RGB, 1),
        ))?;
    }
    // Marked points are labelled first, then the others in order.
    let mut order: Vec<usize> = (0..chart.points.len()).collect();
    order.sort_by_key(|&i| chart.points[i].mark.is_none());
    for i in order {
        let point = &chart.points[i];
        let (a, b) = at[i];
        let number = (i + 1).to_string();
        let named = match &point.mark {
            Some(mark) => format!("{number} {mark}"),
            None => number.clone(),
        };
        let full = if point.changes.is_empty() {
            named.clone()
        } else {
            format!("{named}: {}", point.changes)
        };
        // The full label where it fits, else shorter ones; nothing if none fits.
        let placed = [full, named, number].into_iter().find_map(|label| {
            let w = text_width(&label, LABEL_SIZE);
            let h = LABEL_SIZE * 1.2;
            let r = radius(point) + 4.0;
            let spots = [
                (a + r, b - r - h),
                (a + r, b + r),
                (a - r - w, b - r - h),
                (a - r - w, b + r),
                (a + r + 2.0, b - h / 2.0),
                (a - r - 2.0 - w, b - h / 2.0),
                (a - w / 2.0, b - r - h - 4.0),
                (a - w / 2.0, b + r + 4.0),
                (a + r, b - r - 2.0 * h),
                (a + r, b + r + h),
            ];
            spots.into_iter().find_map(|(left, top)| {
                let rect = [left - 2.0, top, left + w + 2.0, top + h];
                let inside = rect[0] >= LEFT + 2.0
                    && rect[2] <= RIGHT - 2.0
                    && rect[1] >= PLOT_TOP + 2.0
                    && rect[3] <= PLOT_BOTTOM - 2.0;
                (inside && taken.free(rect)).then_some((label.clone(), left, top, rect))
            })
        });
        if let Some((label, left, top, rect)) = placed {
            taken.0.push(rect);
            let style = if point.mark.is_some() {
                bold(12, &INK, HPos::Left, VPos::Top)
            } else {
                text(12, &INK, HPos::Left, VPos::Top)
            };
            halo_text(area, &label, px(left, top), &style)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real front (tiny's), as a template whose fields the tests set: the
    /// tests do not depend on fields the figure does not draw.
    fn template() -> ParetoFront {
        crate::analysis::pareto::pareto(
            &crate::park::testing::tiny(),
            &crate::solve::SolverConfig::default(),
            2,
        )
        .unwrap()
    }

    fn point(co2: f64, cost: f64, added: &[&str], links: usize, knee: bool) -> ParetoPoint {
        let mut point = template().points[0].clone();
        point.co2_cap_t_per_year = None;
        point.cost_cny_per_year = cost;
        point.co2_t_per_year = co2;
        point.projects = Vec::new();
        point.projects_added = added.iter().map(|s| s.to_string()).collect();
        point.projects_dropped = Vec::new();
        point.links_added = (0..links).map(|i| format!("a → b{i} (truck)")).collect();
        point.links_dropped = Vec::new();
        point.marginal_abatement_cost_cny_per_t = None;
        point.knee = knee;
        point
    }

    fn front_of(park: &str, points: Vec<ParetoPoint>) -> ParetoFront {
        let mut front = template();
        front.park = park.into();
        front.points = points;
        front
    }

    fn front() -> ParetoFront {
        let mut points = vec![
            point(-400_000.0, -3_500_000.0, &[], 0, false),
            point(-410_000.0, -3_400_000.0, &["ggbs-mill"], 2, true),
            point(-420_000.0, 6_900_000.0, &[], 1, false),
        ];
        points[0].projects = vec!["fly-ash-classifier".into()];
        points[1].projects_dropped = vec!["old-kiln".into()];
        points[1].marginal_abatement_cost_cny_per_t = Some(10.0);
        points[2].marginal_abatement_cost_cny_per_t = Some(1030.0);
        front_of("宁东 chemical", points)
    }

    #[test]
    fn the_chart_marks_the_ends_and_the_knee_in_kt() {
        let chart = pareto_data(&front());
        assert_eq!(chart.co2_unit, "kt/yr");
        let marks: Vec<Option<&str>> = chart.points.iter().map(|p| p.mark.as_deref()).collect();
        assert_eq!(
            marks,
            [Some("cost optimum"), Some("knee"), Some("CO2 optimum")]
        );
        let knee = &chart.points[1];
        assert_eq!((knee.co2, knee.cost_m_cny), (-410.0, -3.4));
        assert_eq!(knee.changes, "+ggbs-mill, −old-kiln, +2 links");
        assert_eq!(knee.co2_avoided_t, Some(10_000.0));
        assert!((knee.extra_cost_m_cny.unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(knee.mac_cny_per_t, Some(10.0));
        assert_eq!(chart.points[0].co2_avoided_t, None);
        assert_eq!(chart.first_projects, ["fly-ash-classifier"]);
        assert!(chart.title.contains("宁东 chemical"));
    }

    #[test]
    fn a_park_of_megatonnes_is_drawn_in_mt() {
        let mut front = front();
        front.points[2].co2_t_per_year = -2_060_000.0;
        let chart = pareto_data(&front);
        assert_eq!(chart.co2_unit, "Mt/yr");
        assert!((chart.points[2].co2 + 2.06).abs() < 1e-12);
    }

    #[test]
    fn the_drawing_is_labelled_well_formed_and_repeatable() {
        let chart = pareto_data(&front());
        let svg = draw_pareto(&chart).unwrap();
        let texts = svg_texts(&svg);
        for expected in [
            "Cost–CO2 trade-off of 宁东 chemical",
            "1 cost optimum",
            "2 knee: +ggbs-mill, −old-kiln, +2 links",
            "3 CO2 optimum: +1 link",
            "Annual cost (M CNY/yr)",
            "CO2 (kt/yr) — less CO2 to the left",
            "1 cost optimum: builds fly-ash-classifier",
            "1 → 2 (knee): avoids 10,000 t CO2/yr for +0.10 M CNY/yr: 10.0 CNY/tCO2; +ggbs-mill, −old-kiln, +2 links",
            "2 → 3 (CO2 optimum): avoids 10,000 t CO2/yr for +10.30 M CNY/yr: 1,030 CNY/tCO2; +1 link",
        ] {
            assert!(texts.iter().any(|t| t == expected), "{expected} in {texts:?}");
        }
        assert_eq!(svg, draw_pareto(&chart).unwrap());
    }

    #[test]
    fn degenerate_fronts_still_draw() {
        let empty = pareto_data(&front_of("p", Vec::new()));
        assert!(draw_pareto(&empty)
            .unwrap()
            .contains("No points on the front."));
        // One point is both ends; many identical points share one spot.
        let mut front = front();
        front.points.truncate(1);
        let chart = pareto_data(&front);
        assert_eq!(
            chart.points[0].mark.as_deref(),
            Some("cost optimum, CO2 optimum")
        );
        svg_texts(&draw_pareto(&chart).unwrap());
        let same = front_of(
            "p",
            (0..12)
                .map(|_| point(-24_000.0, -9.9e6, &[], 0, false))
                .collect(),
        );
        let texts = svg_texts(&draw_pareto(&pareto_data(&same)).unwrap());
        assert!(texts
            .iter()
            .any(|t| t == "11 → 12 (CO2 optimum): avoids no CO2 (+0.00 M CNY/yr)"));
    }
}

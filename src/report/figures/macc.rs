//! The marginal abatement cost curve (MACC) of subsidies: every project
//! that abates CO2 when it enters the plan, side by side in ranking order,
//! as wide as the CO2 it abates and as tall as the break-even support it
//! needs per tonne. It shows a funder which tonnes are cheapest to buy, and
//! which come free because the cost-optimal plan builds the project anyway.
//! It is drawn from the result of [`crate::analysis::subsidies::subsidies`].

use super::canvas::*;
use crate::analysis::subsidies::{Subsidies, SubsidyRow};
use crate::units::thousands;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;
use serde::Serialize;

/// One project's bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaccBar {
    /// Project id.
    pub project: String,
    /// Its technology.
    pub technology: String,
    /// Whether the cost-optimal plan builds it without support (height 0).
    pub chosen_without_support: bool,
    /// CO2 abated by the bars before it, kt per year (where the bar starts).
    pub start_kt: f64,
    /// CO2 it abates, kt per year (the bar's width, always positive).
    pub width_kt: f64,
    /// Break-even support per tonne abated, CNY per t (the bar's height).
    pub cny_per_t: f64,
    /// Break-even support, M CNY per year.
    pub subsidy_m_cny: f64,
}

/// The curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaccChart {
    /// Chart title, with the park's name.
    pub title: String,
    /// Bars, in ranking order (cheapest support per tonne first).
    pub bars: Vec<MaccBar>,
    /// CO2 abated by all the bars, kt per year.
    pub total_kt: f64,
    /// Projects left out, each with why (they abate no CO2 when they enter).
    pub left_out: Vec<String>,
}

/// Why a row has no bar, and what it would need.
fn left_out(row: &SubsidyRow) -> String {
    let abated = row.co2_abated_t_per_year;
    let reason = if !abated.is_finite() || abated.abs() < 0.5 {
        "abates no CO2".to_string()
    } else if abated < 0.0 {
        format!("adds {} t CO2/yr", thousands(-abated))
    } else {
        "no support per tonne".to_string()
    };
    let support = if row.chosen_without_support {
        "chosen without support".to_string()
    } else {
        format!(
            "break-even {:.2} M CNY/yr",
            row.break_even_subsidy_cny_per_year / 1e6
        )
    };
    format!("{} ({reason}; {support})", row.label())
}

/// Computes the curve from a subsidy ranking. Rows without a support per
/// tonne, or that abate nothing, are left out and listed.
pub fn macc_data(subsidies: &Subsidies) -> MaccChart {
    let mut bars: Vec<MaccBar> = Vec::new();
    let mut left: Vec<String> = Vec::new();
    let mut start = 0.0;
    for row in &subsidies.rows {
        let width_kt = row.co2_abated_t_per_year / 1e3;
        let height = match row.subsidy_per_t_cny {
            Some(_) if row.chosen_without_support => Some(0.0),
            other => other,
        };
        match height {
            Some(h) if h.is_finite() && width_kt.is_finite() && width_kt > 0.0 => {
                bars.push(MaccBar {
                    project: row.label(),
                    technology: row.technology.clone(),
                    chosen_without_support: row.chosen_without_support,
                    start_kt: start,
                    width_kt,
                    cny_per_t: h,
                    subsidy_m_cny: row.break_even_subsidy_cny_per_year / 1e6,
                });
                start += width_kt;
            }
            _ => left.push(left_out(row)),
        }
    }
    MaccChart {
        title: format!(
            "Marginal abatement cost curve of support: {}",
            subsidies.park
        ),
        bars,
        total_kt: start,
        left_out: left,
    }
}

const WIDTH: u32 = 1300;
const LEFT: f64 = 110.0;
const RIGHT: f64 = WIDTH as f64 - 40.0;
const PLOT_TOP: f64 = 100.0;
const PLOT_BOTTOM: f64 = PLOT_TOP + 460.0;
const NOTE_TOP: f64 = PLOT_BOTTOM + 66.0;
const LINE: f64 = 17.0;
/// Bars that need support.
const SUPPORTED: RGBColor = HOT_WATER;
/// Bars of projects chosen without support.
const FREE: RGBColor = GREY;
/// Height of a bar at 0 CNY/t, px.
const THIN: f64 = 4.0;

/// The note under the axis: the projects left out.
fn note(chart: &MaccChart) -> Vec<String> {
    if chart.left_out.is_empty() {
        return Vec::new();
    }
    wrap_to_width(
        &format!(
            "Not ranked, as they abate no CO2: {}.",
            chart.left_out.join(", ")
        ),
        12.0,
        WIDTH as f64 - 40.0,
    )
}

/// A bar's value as shown.
fn value(bar: &MaccBar) -> String {
    if bar.chosen_without_support {
        "chosen without support".to_string()
    } else {
        format!("{} CNY/t", number(bar.cny_per_t, 1))
    }
}

/// Draws the curve as an SVG document.
pub fn draw_macc(chart: &MaccChart) -> Result<String, DrawError> {
    let note = note(chart);
    // With nothing to rank, a message stands where the plot would.
    let note_top = if chart.bars.is_empty() {
        PLOT_TOP + 60.0
    } else {
        NOTE_TOP
    };
    let height = note_top + LINE * note.len() as f64 + 16.0;
    render("macc", WIDTH, height as u32, |area| {
        area.draw(&Text::new(
            chart.title.clone(),
            (20, 14),
            bold(18, &INK, HPos::Left, VPos::Top),
        ))?;
        area.draw(&Text::new(
            "Cheapest support per tonne first. Width: CO2 a project abates when it enters the plan; height: the smallest annual support that brings it into the cost-optimal plan, per tonne.".to_string(),
            (20, 42),
            text(12, &GREY, HPos::Left, VPos::Top),
        ))?;
        for (i, line) in note.iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                px(20.0, note_top + LINE * i as f64),
                text(12, &INK, HPos::Left, VPos::Top),
            ))?;
        }
        if chart.bars.is_empty() {
            return area.draw(&Text::new(
                "Nothing to rank: no project abates CO2 when it enters the plan.".to_string(),
                px(20.0, PLOT_TOP + 10.0),
                text(16, &GREY, HPos::Left, VPos::Top),
            ));
        }
        legend(
            area,
            20.0,
            72.0,
            &[
                (SUPPORTED, "needs support: break-even subsidy per tonne"),
                (FREE, "chosen without support: 0 CNY/t"),
            ],
        )?;
        draw_bars(area, chart)
    })
}

/// Moves increasing centres apart to at least `gap` (less when they cannot
/// all fit), within `low..=high`, each as near its place as a forward and a
/// backward pass allow.
fn spread(centres: &[f64], gap: f64, low: f64, high: f64) -> Vec<f64> {
    let n = centres.len();
    let gap = gap.min((high - low) / n.saturating_sub(1).max(1) as f64);
    let mut out = centres.to_vec();
    for i in 0..n {
        let least = if i == 0 { low } else { out[i - 1] + gap };
        out[i] = out[i].max(least);
    }
    for i in (0..n).rev() {
        let most = if i + 1 == n { high } else { out[i + 1] - gap };
        out[i] = out[i].min(most);
    }
    out
}

/// A box in px: left, top, right, bottom.
type Box = [f64; 4];

fn overlaps(a: &Box, b: &Box) -> bool {
    a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1]
}

/// Where the bars are drawn with their tallest reaching `bars_top`.
struct Layout {
    x_axis: Axis,
    y_axis: Axis,
    /// Top of the plot's value range, px: where the tallest bar reaches.
    bars_top: f64,
    /// One box per bar.
    bars: Vec<Box>,
}

impl Layout {
    fn new(chart: &MaccChart, bars_top: f64) -> Layout {
        let x_axis = Axis::covering(0.0, chart.total_kt, 8);
        let low = chart.bars.iter().map(|b| b.cny_per_t).fold(0.0, f64::min);
        let high = chart.bars.iter().map(|b| b.cny_per_t).fold(10.0, f64::max);
        let y_axis = Axis::covering(low, high, 5);
        let y = |v: f64| y_axis.place(v, PLOT_BOTTOM, bars_top);
        let bars = chart
            .bars
            .iter()
            .map(|bar| {
                let a = x_axis.place(bar.start_kt, LEFT, RIGHT);
                let b = x_axis.place(bar.start_kt + bar.width_kt, LEFT, RIGHT);
                // At least 2 px wide; a white gap between neighbours when there is room.
                let right = if b - a > 4.0 { b - 1.0 } else { b.max(a + 2.0) };
                if bar.cny_per_t == 0.0 {
                    [a, y(0.0) - THIN, right, y(0.0)]
                } else {
                    [
                        a,
                        y(bar.cny_per_t.max(0.0)),
                        right,
                        y(bar.cny_per_t.min(0.0)),
                    ]
                }
            })
            .collect();
        Layout {
            x_axis,
            y_axis,
            bars_top,
            bars,
        }
    }

    /// Cumulative kt CO2 per year as px across.
    fn x(&self, kt: f64) -> f64 {
        self.x_axis.place(kt, LEFT, RIGHT)
    }

    /// CNY per t as px down.
    fn y(&self, cny_per_t: f64) -> f64 {
        self.y_axis.place(cny_per_t, PLOT_BOTTOM, self.bars_top)
    }

    /// Each bar's centre, px across.
    fn centres(&self) -> Vec<f64> {
        self.bars.iter().map(|b| (b[0] + b[2]) / 2.0).collect()
    }
}

/// Size of a flat label: id over value.
fn flat_size(bar: &MaccBar) -> (f64, f64) {
    let width = text_width(&bar.project, 12.0).max(text_width(&value(bar), 11.0)) + 6.0;
    (width, 34.0)
}

/// Flat labels over the bars, the tallest bars' first, each lifted above
/// whatever it would cover (bars, labels placed before); the box of each,
/// or none when one finds no room below `ceiling`.
fn flat_labels(chart: &MaccChart, bars: &[Box], ceiling: f64) -> Option<Vec<Box>> {
    let mut order: Vec<usize> = (0..bars.len()).collect();
    order.sort_by(|&a, &b| bars[a][1].total_cmp(&bars[b][1]).then(a.cmp(&b)));
    let mut placed: Vec<Option<Box>> = vec![None; bars.len()];
    for i in order {
        let (width, height) = flat_size(&chart.bars[i]);
        let centre =
            ((bars[i][0] + bars[i][2]) / 2.0).clamp(LEFT + width / 2.0, RIGHT - width / 2.0);
        let mut bottom = bars[i][1] - 3.0;
        loop {
            let candidate = [
                centre - width / 2.0,
                bottom - height,
                centre + width / 2.0,
                bottom,
            ];
            if candidate[1] < ceiling {
                return None;
            }
            let blocking = bars
                .iter()
                .chain(placed.iter().flatten())
                .filter(|b| overlaps(b, &candidate))
                .map(|b| b[1])
                .fold(f64::INFINITY, f64::min);
            if blocking.is_finite() {
                bottom = blocking - 2.0;
            } else {
                placed[i] = Some(candidate);
                break;
            }
        }
    }
    placed.into_iter().collect()
}

/// How the bars' labels are set.
enum Labels {
    /// Flat over the bars: one box per bar.
    Flat(Vec<Box>),
    /// Upright in a band `band` px tall above the bars, with leader lines:
    /// one text per bar.
    Upright { texts: Vec<String>, band: f64 },
}

/// The bars' layout and how they are labelled. Labels lie flat over the
/// bars when they all find room in up to four rows above the tallest;
/// otherwise they stand upright in a band above the bars, with leader lines.
fn arrange(chart: &MaccChart) -> (Layout, Labels) {
    let flat = (1..=4).find_map(|rows| {
        let bars_top = PLOT_TOP + 36.0 * rows as f64 + 4.0;
        let layout = Layout::new(chart, bars_top);
        flat_labels(chart, &layout.bars, PLOT_TOP - 12.0).map(|labels| (layout, labels))
    });
    if let Some((layout, labels)) = flat {
        return (layout, Labels::Flat(labels));
    }
    let texts: Vec<String> = chart
        .bars
        .iter()
        .map(|bar| format!("{} · {}", bar.project, value(bar)))
        .collect();
    let band = texts
        .iter()
        .map(|l| text_width(l, 12.0))
        .fold(0.0, f64::max)
        .min(300.0)
        + 8.0;
    let bars_top = PLOT_TOP + band + 20.0;
    (
        Layout::new(chart, bars_top),
        Labels::Upright { texts, band },
    )
}

/// The plot: axes, bars and their labels.
fn draw_bars(area: &Area, chart: &MaccChart) -> Drawn {
    let (layout, labels) = arrange(chart);
    draw_axes(area, chart, &layout)?;
    draw_boxes(area, chart, &layout)?;
    match labels {
        Labels::Flat(boxes) => draw_flat_labels(area, chart, &layout, &boxes),
        Labels::Upright { texts, band } => draw_upright_labels(area, &layout, &texts, band),
    }
}

/// The y ticks and unit, the x ticks and the x axis's caption.
fn draw_axes(area: &Area, chart: &MaccChart, layout: &Layout) -> Drawn {
    let bars_top = layout.bars_top;
    layout
        .y_axis
        .draw_y_ticks(area, PLOT_BOTTOM, bars_top, LEFT, RIGHT)?;
    area.draw(&Text::new(
        "CNY/tCO2".to_string(),
        px(LEFT - 8.0, bars_top - 14.0),
        text(12, &GREY, HPos::Right, VPos::Center),
    ))?;
    for tick in layout.x_axis.ticks() {
        let x = layout.x(tick);
        area.draw(&PathElement::new(
            vec![px(x, PLOT_BOTTOM), px(x, PLOT_BOTTOM + 5.0)],
            stroke(&INK, 1),
        ))?;
        area.draw(&Text::new(
            layout.x_axis.label(tick),
            px(x, PLOT_BOTTOM + 8.0),
            text(12, &INK, HPos::Center, VPos::Top),
        ))?;
    }
    area.draw(&Text::new(
        format!(
            "Cumulative CO2 abated (kt CO2/yr); {} kt CO2/yr in all",
            number(chart.total_kt, 1)
        ),
        px((LEFT + RIGHT) / 2.0, PLOT_BOTTOM + 30.0),
        text(12, &GREY, HPos::Center, VPos::Top),
    ))?;
    Ok(())
}

/// The bars, then the y axis and the zero line over them.
fn draw_boxes(area: &Area, chart: &MaccChart, layout: &Layout) -> Drawn {
    for (bar, b) in chart.bars.iter().zip(&layout.bars) {
        let color = if bar.chosen_without_support {
            FREE
        } else {
            SUPPORTED
        };
        area.draw(&Rectangle::new(
            [px(b[0], b[1]), px(b[2], b[3])],
            fill(&color, 0.9),
        ))?;
    }
    area.draw(&PathElement::new(
        vec![px(LEFT, layout.bars_top - 6.0), px(LEFT, PLOT_BOTTOM)],
        stroke(&INK, 1),
    ))?;
    area.draw(&PathElement::new(
        vec![px(LEFT, layout.y(0.0)), px(RIGHT, layout.y(0.0))],
        stroke(&INK, 1),
    ))
}

/// Flat labels in their boxes (id over value), with a leader to a bar
/// whose label was lifted away from it.
fn draw_flat_labels(area: &Area, chart: &MaccChart, layout: &Layout, labels: &[Box]) -> Drawn {
    // Leaders first, so that no label is crossed by another's leader.
    for ((b, label), centre) in layout.bars.iter().zip(labels).zip(&layout.centres()) {
        if label[3] < b[1] - 6.0 {
            area.draw(&PathElement::new(
                vec![px(*centre, b[1] - 2.0), px(*centre, label[3])],
                stroke(&GREY, 1),
            ))?;
        }
    }
    for (bar, label) in chart.bars.iter().zip(labels) {
        let mid = (label[0] + label[2]) / 2.0;
        halo_text(
            area,
            &value(bar),
            px(mid, label[3] - 2.0),
            &text(11, &INK, HPos::Center, VPos::Bottom),
        )?;
        halo_text(
            area,
            &bar.project,
            px(mid, label[3] - 18.0),
            &bold(12, &INK, HPos::Center, VPos::Bottom),
        )?;
    }
    Ok(())
}

/// Upright labels spread apart along the band's bottom, each with a
/// leader down to its bar.
fn draw_upright_labels(area: &Area, layout: &Layout, texts: &[String], band: f64) -> Drawn {
    let band_bottom = PLOT_TOP + band;
    let centres = layout.centres();
    let placed = spread(&centres, 16.0, LEFT + 8.0, RIGHT - 8.0);
    for (((label, centre), b), at) in texts.iter().zip(&centres).zip(&layout.bars).zip(&placed) {
        area.draw(&PathElement::new(
            vec![
                px(*at, band_bottom + 3.0),
                px(*centre, band_bottom + 14.0),
                px(*centre, b[1] - 3.0),
            ],
            stroke(&GREY, 1),
        ))?;
        area.draw(&Text::new(
            label.clone(),
            px(*at, band_bottom),
            text(12, &INK, HPos::Left, VPos::Center).transform(FontTransform::Rotate270),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real ranking (tiny's), as a template whose fields the tests set:
    /// the tests do not depend on fields the figure does not draw.
    fn template() -> Subsidies {
        crate::analysis::subsidies::subsidies(
            &crate::park::testing::tiny(),
            &crate::solve::SolverConfig::default(),
            None,
            0.5,
        )
        .unwrap()
    }

    fn row(project: &str, chosen: bool, subsidy: f64, abated: f64) -> SubsidyRow {
        let mut row = template().rows[0].clone();
        row.project = project.into();
        row.kind = crate::analysis::subsidies::Supported::Project;
        row.technology = "tech".into();
        row.chosen_without_support = chosen;
        row.break_even_subsidy_cny_per_year = subsidy;
        row.co2_abated_t_per_year = abated;
        row.subsidy_per_t_cny = (abated > 1e-6).then(|| subsidy / abated);
        row
    }

    fn ranking(rows: Vec<SubsidyRow>) -> Subsidies {
        let mut ranking = template();
        ranking.park = "唐山 park".into();
        ranking.rows = rows;
        ranking
    }

    fn sample() -> Subsidies {
        ranking(vec![
            row("fly-ash-classifier", true, 0.0, 39_140.0),
            row("ggbs-mill", false, 1_500_000.0, 20_000.0),
            row("steel-orc", false, 9_000_000.0, 30_000.0),
            row("heat-pump", false, 4_823_305.0, 0.0),
            row("plasterboard-line", true, 0.0, -33_772.0),
        ])
    }

    #[test]
    fn widths_add_up_and_rows_that_abate_nothing_are_left_out() {
        let chart = macc_data(&sample());
        let ids: Vec<&str> = chart.bars.iter().map(|b| b.project.as_str()).collect();
        assert_eq!(ids, ["fly-ash-classifier", "ggbs-mill", "steel-orc"]);
        for (bar, start) in chart.bars.iter().zip([0.0, 39.14, 59.14]) {
            assert!((bar.start_kt - start).abs() < 1e-9, "{bar:?}");
        }
        assert!((chart.total_kt - 89.14).abs() < 1e-9);
        assert_eq!(chart.bars[0].cny_per_t, 0.0);
        assert_eq!(chart.bars[1].cny_per_t, 75.0);
        assert_eq!(chart.bars[2].cny_per_t, 300.0);
        assert_eq!(
            chart.left_out,
            [
                "heat-pump (abates no CO2; break-even 4.82 M CNY/yr)",
                "plasterboard-line (adds 33,772 t CO2/yr; chosen without support)",
            ]
        );
    }

    #[test]
    fn a_chosen_project_is_flat_and_bad_widths_are_left_out() {
        let mut odd = row("odd", true, 5.0, 100.0);
        odd.subsidy_per_t_cny = Some(7.0);
        let mut negative = row("negative", false, 5.0, -100.0);
        negative.subsidy_per_t_cny = Some(1.0);
        let mut infinite = row("infinite", false, 5.0, 100.0);
        infinite.subsidy_per_t_cny = Some(f64::INFINITY);
        let chart = macc_data(&ranking(vec![odd, negative, infinite]));
        assert_eq!(chart.bars.len(), 1);
        assert_eq!(chart.bars[0].cny_per_t, 0.0, "chosen without support");
        assert_eq!(chart.left_out.len(), 2);
    }

    #[test]
    fn every_bar_is_labelled_in_a_well_formed_repeatable_drawing() {
        let chart = macc_data(&sample());
        let svg = draw_macc(&chart).unwrap();
        let texts = svg_texts(&svg);
        for expected in [
            "Marginal abatement cost curve of support: 唐山 park",
            "fly-ash-classifier",
            "chosen without support",
            "ggbs-mill",
            "75.0 CNY/t",
            "steel-orc",
            "300 CNY/t",
            "CNY/tCO2",
            "Cumulative CO2 abated (kt CO2/yr); 89.1 kt CO2/yr in all",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} in {texts:?}"
            );
        }
        assert!(texts.iter().any(|t| t.contains("heat-pump (abates no CO2")));
        assert_eq!(svg, draw_macc(&chart).unwrap());
    }

    #[test]
    fn narrow_bars_get_upright_labels_apart() {
        let mut rows = vec![row("wide", false, 1e6, 100_000.0)];
        rows.extend((0..6).map(|i| row(&format!("narrow-{i}"), false, 1e4, 100.0)));
        let chart = macc_data(&ranking(rows));
        let svg = draw_macc(&chart).unwrap();
        let texts = svg_texts(&svg);
        assert!(
            texts.iter().any(|t| t == "narrow-3 · 100 CNY/t"),
            "{texts:?}"
        );
        assert!(svg.contains("rotate(270"));
        let placed = spread(&[10.0, 11.0, 12.0, 50.0], 5.0, 0.0, 100.0);
        assert_eq!(placed, [10.0, 15.0, 20.0, 50.0]);
        let crowded = spread(&[99.0, 99.5, 100.0], 10.0, 0.0, 100.0);
        assert_eq!(crowded, [80.0, 90.0, 100.0]);
    }

    #[test]
    fn an_empty_ranking_says_there_is_nothing_to_rank() {
        let svg = draw_macc(&macc_data(&ranking(Vec::new()))).unwrap();
        assert!(svg_texts(&svg)
            .iter()
            .any(|t| t.starts_with("Nothing to rank")));
        let only_left_out = macc_data(&ranking(vec![row("x", false, 1.0, 0.0)]));
        let texts = svg_texts(&draw_macc(&only_left_out).unwrap());
        assert!(texts.iter().any(|t| t.starts_with("Nothing to rank")));
        assert!(texts.iter().any(|t| t.contains("x (abates no CO2")));
    }
}

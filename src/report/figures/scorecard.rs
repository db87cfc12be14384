//! The scorecard: the plan (and today's park) against China's green-park
//! and zero-carbon-park indicators that the inputs allow computing, each
//! marked met or not met, with the indicator's source.

use super::canvas::*;
use crate::library::{Comparison, Metric};
use crate::park::Park;
use crate::solution::Plan;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Serialize;

/// One indicator's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    /// Library id.
    pub id: String,
    /// Readable name.
    pub name: String,
    /// What it measures.
    pub metric: Metric,
    /// At least or at most.
    pub comparison: Comparison,
    /// Threshold that applies to this park.
    pub threshold: f64,
    /// Today's value, when computable.
    pub today: Option<f64>,
    /// The plan's value, when computable.
    pub plan: Option<f64>,
    /// Whether the plan meets it, when computable.
    pub met: Option<bool>,
    /// Where the threshold comes from.
    pub source: String,
    /// Why a value is missing, when it is.
    pub note: Option<String>,
}

impl ScoreRow {
    /// The unit values are shown in.
    pub fn unit(&self) -> &'static str {
        match self.metric {
            Metric::SolidWasteUtilisationRate | Metric::WasteHeatRecoveryRate => "%",
            Metric::Co2PerEnergyTPerTce => "t CO2/tce",
        }
    }

    /// A value as shown (percent for rates).
    pub fn show(&self, value: f64) -> String {
        match self.metric {
            Metric::Co2PerEnergyTPerTce => format!("{value:.3}"),
            _ => format!("{:.1}", value * 100.0),
        }
    }
}

/// The scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorecardData {
    /// One row per indicator, sorted by metric then threshold.
    pub rows: Vec<ScoreRow>,
}

/// Scores a plan against the library's indicators.
pub fn scorecard_data(park: &Park, plan: &Plan) -> ScorecardData {
    let mut rows: Vec<ScoreRow> = park
        .library
        .indicator
        .iter()
        .map(|(id, indicator)| {
            let large = match (
                indicator.large_park_threshold,
                indicator.large_park_above_tce_per_year,
                park.energy_tce_per_year,
            ) {
                (Some(threshold), Some(above), Some(energy)) if energy > above => Some(threshold),
                _ => None,
            };
            let threshold = large.unwrap_or(indicator.threshold);
            let (today, value, note) = match indicator.metric {
                Metric::SolidWasteUtilisationRate => (
                    Some(plan.kpis.baseline_solid_waste_utilisation_rate),
                    Some(plan.kpis.solid_waste_utilisation_rate),
                    None,
                ),
                Metric::WasteHeatRecoveryRate => {
                    let today = if plan.kpis.waste_heat_mwh_per_year > 0.0 {
                        Some(0.0)
                    } else {
                        None
                    };
                    let note = today
                        .is_none()
                        .then(|| "the park declares no waste-heat source".to_string());
                    (
                        today,
                        today.map(|_| plan.kpis.waste_heat_recovery_rate),
                        note,
                    )
                }
                Metric::Co2PerEnergyTPerTce => {
                    match (park.energy_tce_per_year, park.co2_t_per_year) {
                        (Some(energy), Some(co2)) if energy > 0.0 => {
                            // Only the park's own emissions: credits for what
                            // products displace outside the park do not count.
                            let outside = plan
                                .change
                                .co2_by_category
                                .get("product_sales")
                                .copied()
                                .unwrap_or(0.0);
                            let inside_change = plan.change.co2_t_per_year - outside;
                            (
                                Some(co2 / energy),
                                Some((co2 + inside_change).max(0.0) / energy),
                                None,
                            )
                        }
                        _ => (
                            None,
                            None,
                            Some("needs [park] energy_tce_per_year, co2_t_per_year".to_string()),
                        ),
                    }
                }
            };
            let met = value.map(|v| match indicator.comparison {
                Comparison::AtLeast => v >= threshold - 1e-12,
                Comparison::AtMost => v <= threshold + 1e-12,
            });
            ScoreRow {
                id: id.clone(),
                name: indicator.name.clone(),
                metric: indicator.metric,
                comparison: indicator.comparison,
                threshold,
                today,
                plan: value,
                met,
                source: indicator.source.clone(),
                note,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.metric as u8, a.threshold.to_bits(), &a.id).cmp(&(
            b.metric as u8,
            b.threshold.to_bits(),
            &b.id,
        ))
    });
    ScorecardData { rows }
}

const WIDTH: u32 = 1300;
const ROW: f64 = 74.0;
const TRACK_LEFT: f64 = 540.0;
const TRACK_RIGHT: f64 = 940.0;

/// Draws the scorecard as an SVG document.
pub fn draw_scorecard(data: &ScorecardData) -> Result<String, DrawError> {
    let height = 90.0 + ROW * data.rows.len() as f64;
    render("scorecard", WIDTH, height as u32, |area| {
        area.draw(&Text::new(
            "Green-park and zero-carbon-park indicators".to_string(),
            (20, 14),
            bold(18, &INK, HPos::Left, VPos::Top),
        ))?;
        let legend_y = 50.0;
        area.draw(&Rectangle::new(
            [
                px(TRACK_LEFT, legend_y - 5.0),
                px(TRACK_LEFT + 24.0, legend_y + 5.0),
            ],
            fill(&GREY, 0.6),
        ))?;
        area.draw(&Text::new(
            "today".to_string(),
            px(TRACK_LEFT + 30.0, legend_y),
            text(12, &INK, HPos::Left, VPos::Center),
        ))?;
        area.draw(&Rectangle::new(
            [
                px(TRACK_LEFT + 90.0, legend_y - 5.0),
                px(TRACK_LEFT + 114.0, legend_y + 5.0),
            ],
            fill(&BETTER, 0.9),
        ))?;
        area.draw(&Text::new(
            "plan (red when not met)".to_string(),
            px(TRACK_LEFT + 120.0, legend_y),
            text(12, &INK, HPos::Left, VPos::Center),
        ))?;
        area.draw(&PathElement::new(
            vec![
                px(TRACK_LEFT + 300.0, legend_y - 8.0),
                px(TRACK_LEFT + 300.0, legend_y + 8.0),
            ],
            stroke(&INK, 2),
        ))?;
        area.draw(&Text::new(
            "threshold".to_string(),
            px(TRACK_LEFT + 308.0, legend_y),
            text(12, &INK, HPos::Left, VPos::Center),
        ))?;
        for (i, row) in data.rows.iter().enumerate() {
            draw_row(area, row, 80.0 + ROW * i as f64)?;
        }
        Ok(())
    })
}

fn draw_row(area: &Area, row: &ScoreRow, top: f64) -> Drawn {
    area.draw(&Text::new(
        row.name.clone(),
        px(20.0, top + 4.0),
        text(14, &INK, HPos::Left, VPos::Top),
    ))?;
    let short_source: String = row.source.chars().take(80).collect();
    let ellipsis = if row.source.chars().count() > 80 {
        "…"
    } else {
        ""
    };
    area.draw(&Text::new(
        format!("{short_source}{ellipsis}"),
        px(20.0, top + 26.0),
        text(11, &GREY, HPos::Left, VPos::Top),
    ))?;
    let full = match row.metric {
        Metric::Co2PerEnergyTPerTce => [
            row.threshold * 2.0,
            row.today.unwrap_or(0.0),
            row.plan.unwrap_or(0.0),
        ]
        .into_iter()
        .fold(0.0, f64::max)
        .max(1e-9),
        _ => 1.0,
    };
    let x = |v: f64| TRACK_LEFT + (v / full).clamp(0.0, 1.0) * (TRACK_RIGHT - TRACK_LEFT);
    let mid = top + 18.0;
    area.draw(&Rectangle::new(
        [px(TRACK_LEFT, mid - 12.0), px(TRACK_RIGHT, mid + 12.0)],
        fill(&RGBColor(240, 240, 240), 1.0),
    ))?;
    if let Some(today) = row.today {
        area.draw(&Rectangle::new(
            [px(TRACK_LEFT, mid - 12.0), px(x(today), mid - 3.0)],
            fill(&GREY, 0.6),
        ))?;
    }
    let (headline, detail, color) = match (row.plan, row.met) {
        (Some(value), Some(met)) => {
            let color = if met { BETTER } else { WORSE };
            area.draw(&Rectangle::new(
                [px(TRACK_LEFT, mid - 1.0), px(x(value), mid + 12.0)],
                fill(&color, 0.9),
            ))?;
            let today = row
                .today
                .map_or(String::new(), |t| format!("today {} → ", row.show(t)));
            let mark = if met { "met" } else { "not met" };
            (
                mark.to_string(),
                format!("{today}plan {} {}", row.show(value), row.unit()),
                color,
            )
        }
        _ => (
            "not computed".to_string(),
            row.note.clone().unwrap_or_default(),
            GREY,
        ),
    };
    let tx = x(row.threshold);
    area.draw(&PathElement::new(
        vec![px(tx, mid - 17.0), px(tx, mid + 17.0)],
        stroke(&INK, 2),
    ))?;
    let sign = match row.comparison {
        Comparison::AtLeast => "≥",
        Comparison::AtMost => "≤",
    };
    area.draw(&Text::new(
        format!("{sign} {} {}", row.show(row.threshold), row.unit()),
        px(tx, mid + 19.0),
        text(11, &INK, HPos::Center, VPos::Top),
    ))?;
    area.draw(&Text::new(
        headline,
        px(TRACK_RIGHT + 16.0, mid - 9.0),
        bold(14, &color, HPos::Left, VPos::Center),
    ))?;
    area.draw(&Text::new(
        detail,
        px(TRACK_RIGHT + 16.0, mid + 9.0),
        text(12, &INK, HPos::Left, VPos::Center),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::{tiny, tiny_with};

    #[test]
    fn tiny_meets_the_waste_targets_and_half_the_heat_ones() {
        let park = tiny();
        let plan = crate::park::testing::optimal_plan(&park);
        let rows = scorecard_data(&park, &plan).rows;
        let met = |id: &str| rows.iter().find(|r| r.id == id).unwrap().met;
        assert_eq!(met("miit_green_park_solid_waste"), Some(true));
        assert_eq!(
            met("zero_carbon_park_waste_heat"),
            Some(true),
            "50 % recovered, ≥ 50 %"
        );
        assert_eq!(
            met("miit_green_park_waste_heat"),
            Some(false),
            "50 % < 60 %"
        );
        assert_eq!(
            met("zero_carbon_park_co2_per_energy"),
            None,
            "no energy data"
        );
    }

    #[test]
    fn co2_per_energy_uses_the_parks_own_emissions() {
        let park = tiny_with(&[(
            "discount_rate = 0.0",
            "discount_rate = 0.0\nenergy_tce_per_year = 100000\nco2_t_per_year = 50000",
        )]);
        let plan = crate::park::testing::optimal_plan(&park);
        let row = scorecard_data(&park, &plan)
            .rows
            .into_iter()
            .find(|r| r.id == "zero_carbon_park_co2_per_energy")
            .unwrap();
        assert_eq!(row.today, Some(0.5));
        // −32,000 t: the boiler's 8,000 t and 24,000 t of clinker avoided in the park.
        assert!((row.plan.unwrap() - 0.18).abs() < 1e-9, "{:?}", row.plan);
        assert_eq!(row.met, Some(true));
    }
}

//! Shared drawing pieces: an SVG canvas from plotters, colours by what a
//! link carries, text styles and a text-width estimate for layout.
//!
//! Figures are laid out in pixel coordinates computed here (not with
//! plotters' chart builder), so nothing depends on font metrics at draw
//! time and the same data always gives the same bytes.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A drawing area on an SVG document.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Drawing failed (the SVG backend writes to memory, so this is rare).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the {figure} figure: {message}")]
pub struct DrawError {
    /// Which figure.
    pub figure: &'static str,
    /// What went wrong.
    pub message: String,
}

/// Result of a drawing step.
pub type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// Draws a `width` × `height` SVG with `draw` and returns the document.
pub fn render(
    figure: &'static str,
    width: u32,
    height: u32,
    draw: impl FnOnce(&Area) -> Drawn,
) -> Result<String, DrawError> {
    let mut buffer = String::new();
    {
        let root = SVGBackend::with_string(&mut buffer, (width, height)).into_drawing_area();
        let result = root
            .fill(&WHITE)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present());
        result.map_err(|error| DrawError {
            figure,
            message: error.to_string(),
        })?;
    }
    Ok(crate::text::xml_safe(&buffer).into_owned())
}

/// Solid waste moving to a user or project.
pub const WASTE: RGBColor = RGBColor(150, 100, 50);
/// A project's product.
pub const PRODUCT: RGBColor = RGBColor(40, 140, 80);
/// Steam.
pub const STEAM: RGBColor = RGBColor(215, 70, 50);
/// Hot water.
pub const HOT_WATER: RGBColor = RGBColor(50, 115, 200);
/// Exclusion zones.
pub const ZONE: RGBColor = RGBColor(220, 60, 60);
/// Plants.
pub const PLANT: RGBColor = RGBColor(40, 40, 40);
/// Neutral grey for candidates, grid lines and notes.
pub const GREY: RGBColor = RGBColor(150, 150, 150);
/// Dark text.
pub const INK: RGBColor = RGBColor(30, 30, 30);
/// Increases (costs, emissions) in a waterfall.
pub const WORSE: RGBColor = RGBColor(200, 70, 60);
/// Decreases in a waterfall.
pub const BETTER: RGBColor = RGBColor(40, 140, 80);
/// Totals in a waterfall.
pub const TOTAL: RGBColor = RGBColor(90, 110, 140);

/// A text style: sans-serif (the viewer's CJK fallback fonts apply), size in px.
pub fn text<'a>(size: u32, color: &'a RGBColor, h: HPos, v: VPos) -> TextStyle<'a> {
    TextStyle::from(("sans-serif", size).into_font())
        .color(color)
        .pos(Pos::new(h, v))
}

/// A bold text style.
pub fn bold<'a>(size: u32, color: &'a RGBColor, h: HPos, v: VPos) -> TextStyle<'a> {
    TextStyle::from(("sans-serif", size).into_font().style(FontStyle::Bold))
        .color(color)
        .pos(Pos::new(h, v))
}

/// Width of `text` at `size` px, estimated: CJK and other wide characters
/// one em, Latin letters and digits about 0.56 em.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if (c as u32) >= 0x2E80 {
                1.0
            } else if c == ' ' {
                0.3
            } else {
                0.56
            }
        })
        .sum::<f64>()
        * size
}

/// Pixel coordinate from a float.
pub fn px(x: f64, y: f64) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

/// A "nice" round step of about `raw` (1, 2 or 5 × 10ⁿ).
pub fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction < 1.5 {
        1.0
    } else if fraction < 3.5 {
        2.0
    } else if fraction < 7.5 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// A number for an axis or label: thousands separators, up to `decimals`.
pub fn number(value: f64, decimals: usize) -> String {
    if decimals == 0 || value.abs() >= 100.0 {
        crate::units::thousands(value)
    } else {
        format!("{value:.decimals$}")
    }
}

/// The drawing style of a solid line.
pub fn stroke(color: &RGBColor, width: u32) -> ShapeStyle {
    ShapeStyle {
        color: color.to_rgba(),
        filled: false,
        stroke_width: width,
    }
}

/// The drawing style of a translucent fill.
pub fn fill(color: &RGBColor, alpha: f64) -> ShapeStyle {
    ShapeStyle {
        color: color.mix(alpha),
        filled: true,
        stroke_width: 0,
    }
}

/// Draws `label` with a white halo behind it so it stays legible over lines.
pub fn halo_text(area: &Area, label: &str, at: (i32, i32), style: &TextStyle) -> Drawn {
    let size = match style.font.get_size() {
        s if s > 0.0 => s,
        _ => 12.0,
    };
    let width = text_width(label, size);
    let (x, y) = at;
    let left = match style.pos.h_pos {
        HPos::Left => x as f64,
        HPos::Center => x as f64 - width / 2.0,
        HPos::Right => x as f64 - width,
    };
    let top = match style.pos.v_pos {
        VPos::Top => y as f64,
        VPos::Center => y as f64 - size * 0.6,
        VPos::Bottom => y as f64 - size * 1.2,
    };
    area.draw(&Rectangle::new(
        [
            px(left - 2.0, top),
            px(left + width + 2.0, top + size * 1.2),
        ],
        fill(&WHITE_RGB, 0.7),
    ))?;
    area.draw(&Text::new(label.to_string(), at, style.clone()))
}

/// White as an `RGBColor`.
pub const WHITE_RGB: RGBColor = RGBColor(255, 255, 255);

/// Light grey for grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// A linear axis over round ticks (1, 2 or 5 × 10ⁿ apart), for charts laid
/// out in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    /// Value at the axis's start (a tick).
    pub low: f64,
    /// Value at the axis's end (a tick).
    pub high: f64,
    /// Distance between ticks.
    pub step: f64,
}

impl Axis {
    /// An axis covering `a` and `b` (either order) in about `ticks`
    /// intervals. A range of one value is widened around it (by 5 %, or to
    /// 0–1 around zero); values that are not finite give 0–1.
    pub fn covering(a: f64, b: f64, ticks: usize) -> Axis {
        let (mut low, mut high) = if a.is_finite() && b.is_finite() {
            (a.min(b), a.max(b))
        } else {
            (0.0, 1.0)
        };
        if high - low <= 1e-9 * low.abs().max(high.abs()).max(1e-300) {
            if low == 0.0 && high == 0.0 {
                high = 1.0;
            } else {
                let pad = 0.05 * low.abs().max(high.abs());
                low -= pad;
                high += pad;
            }
        }
        let step = nice_step((high - low) / ticks.max(1) as f64);
        Axis {
            low: (low / step).floor() * step,
            high: (high / step).ceil() * step,
            step,
        }
    }

    /// The tick values, low to high.
    pub fn ticks(&self) -> Vec<f64> {
        let first = (self.low / self.step).round() as i64;
        let last = (self.high / self.step).round() as i64;
        (first..=last)
            .map(|k| if k == 0 { 0.0 } else { k as f64 * self.step })
            .collect()
    }

    /// A tick label: as many decimals as the step needs, thousands
    /// separators when it needs none.
    pub fn label(&self, value: f64) -> String {
        let decimals = (-self.step.log10() - 1e-9).ceil().max(0.0) as usize;
        let value = if value.abs() < self.step * 1e-6 {
            0.0
        } else {
            value
        };
        if decimals == 0 {
            crate::units::thousands(value)
        } else {
            format!("{value:.decimals$}")
        }
    }

    /// The pixel coordinate of `value`, with `low` at `from` and `high` at `to`.
    pub fn place(&self, value: f64, from: f64, to: f64) -> f64 {
        from + (value - self.low) / (self.high - self.low).max(1e-300) * (to - from)
    }

    /// Draws this axis along x between pixel columns `left` and `right`: a
    /// vertical grid line from `top` to `bottom` at every tick, labelled
    /// under `bottom`.
    pub fn draw_x_ticks(&self, area: &Area, left: f64, right: f64, top: f64, bottom: f64) -> Drawn {
        for tick in self.ticks() {
            let x = self.place(tick, left, right);
            area.draw(&PathElement::new(
                vec![px(x, top), px(x, bottom)],
                stroke(&GRID, 1),
            ))?;
            area.draw(&Text::new(
                self.label(tick),
                px(x, bottom + 8.0),
                text(12, &INK, HPos::Center, VPos::Top),
            ))?;
        }
        Ok(())
    }

    /// Draws this axis along y between pixel rows `bottom` (low) and `top`
    /// (high): a horizontal grid line from `left` to `right` at every tick,
    /// labelled left of `left`.
    pub fn draw_y_ticks(&self, area: &Area, bottom: f64, top: f64, left: f64, right: f64) -> Drawn {
        for tick in self.ticks() {
            let y = self.place(tick, bottom, top);
            area.draw(&PathElement::new(
                vec![px(left, y), px(right, y)],
                stroke(&GRID, 1),
            ))?;
            area.draw(&Text::new(
                self.label(tick),
                px(left - 8.0, y),
                text(12, &INK, HPos::Right, VPos::Center),
            ))?;
        }
        Ok(())
    }
}

/// Draws a row of legend entries from `(x, y)` (the row's vertical centre):
/// a filled swatch and a label each.
pub fn legend(area: &Area, x: f64, y: f64, entries: &[(RGBColor, &str)]) -> Drawn {
    let mut x = x;
    for (color, label) in entries {
        area.draw(&Rectangle::new(
            [px(x, y - 6.0), px(x + 22.0, y + 6.0)],
            fill(color, 0.9),
        ))?;
        area.draw(&Text::new(
            label.to_string(),
            px(x + 28.0, y),
            text(12, &INK, HPos::Left, VPos::Center),
        ))?;
        x += 28.0 + text_width(label, 12.0) + 24.0;
    }
    Ok(())
}

/// Splits `text` into lines no wider than `width` px at `size` px (by
/// [`text_width`]), at spaces; a word wider than a line is cut.
pub fn wrap_to_width(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if text_width(&line, size) > width && line.chars().count() > 1 {
                let last = line.pop().unwrap_or(c);
                lines.push(std::mem::replace(&mut line, last.to_string()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The texts of an SVG document, trimmed, in document order; panics unless
/// the document is well-formed XML with an `<svg>` root.
#[cfg(test)]
pub fn svg_texts(svg: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(svg).expect("well-formed SVG");
    assert_eq!(document.root_element().tag_name().name(), "svg");
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_1_2_5() {
        assert_eq!(nice_step(0.8), 1.0);
        assert_eq!(nice_step(2.6), 2.0);
        assert_eq!(nice_step(43.0), 50.0);
        assert_eq!(nice_step(0.013), 0.01);
    }

    #[test]
    fn axes_cover_their_range_with_round_ticks() {
        let axis = Axis::covering(-252.3, -121.8, 6);
        assert_eq!((axis.low, axis.high, axis.step), (-260.0, -120.0, 20.0));
        assert_eq!(axis.ticks().len(), 8);
        assert_eq!(axis.label(-240.0), "-240");
        let fine = Axis::covering(-2.0604, -2.0133, 5);
        assert_eq!(fine.step, 0.01);
        assert_eq!(fine.label(-2.03), "-2.03");
        assert_eq!(fine.ticks().first(), Some(&fine.low));
        // Degenerate ranges widen; zero is never "-0".
        assert_eq!(Axis::covering(0.0, 0.0, 5).high, 1.0);
        let one = Axis::covering(-24.0, -24.0, 5);
        assert!(one.low < -24.0 && one.high > -24.0);
        assert_eq!(Axis::covering(-0.3, 0.3, 6).label(-0.0), "0.0");
        assert_eq!(Axis::covering(f64::NAN, 1.0, 5).high, 1.0);
        assert_eq!(axis.place(-190.0, 100.0, 200.0), 150.0);
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let lines = wrap_to_width("not ranked: steel-orc (adds 6,031 t CO2/yr)", 12.0, 120.0);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().all(|l| text_width(l, 12.0) <= 120.0),
            "{lines:?}"
        );
        assert_eq!(
            lines.join(" "),
            "not ranked: steel-orc (adds 6,031 t CO2/yr)"
        );
        let cut = wrap_to_width("曹妃甸钢铁联合企业曹妃甸钢铁联合企业", 10.0, 50.0);
        assert!(cut.len() >= 4 && cut.iter().all(|l| text_width(l, 10.0) <= 50.0));
        assert!(wrap_to_width("", 12.0, 100.0).is_empty());
    }

    #[test]
    fn chinese_text_is_wider_than_latin() {
        assert!(text_width("唐山钢铁", 10.0) > text_width("steel", 10.0));
    }

    #[test]
    fn a_render_is_an_svg_document() {
        let svg = render("test", 100, 50, |area| {
            area.draw(&Text::new(
                "a < b & 唐山",
                (10, 10),
                text(12, &INK, HPos::Left, VPos::Top),
            ))
        })
        .unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("a &lt; b &amp; 唐山"));
    }
}

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
    Ok(buffer)
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
        crate::report::thousands(value)
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

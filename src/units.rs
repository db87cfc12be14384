//! Rounding and number formatting shared by every stage.
//!
//! Plans are written with a fixed number of decimals per unit (CNY to the
//! fen, tonnes to the kilogram) so that the same park gives the same bytes,
//! and people read large numbers grouped in thousands. Both are needed from
//! the solution stage up to the front ends, so they live here, below every
//! stage, rather than in the stage that happened to need them first.

/// Rounds to `digits` decimals, turning -0 into 0.
pub fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    let rounded = (value * scale).round() / scale;
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}

/// `1234567.8` → `1,234,568`.
pub fn thousands(value: f64) -> String {
    let rounded = value.round();
    let negative = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if negative && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// A number as a message shows it: as Rust prints it when that is short,
/// otherwise in scientific form with at most six significant digits
/// (`1e308`, not the 309 digits `{}` writes; `1.23457e-9`).
pub fn short(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() || magnitude == 0.0 || (1e-6..1e16).contains(&magnitude) {
        return format!("{value}");
    }
    let scientific = format!("{value:.5e}");
    match scientific.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            format!("{mantissa}e{exponent}")
        }
        _ => scientific,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(1234567.8), "1,234,568");
        assert_eq!(thousands(-1000.0), "-1,000");
        assert_eq!(thousands(12.0), "12");
        assert_eq!(thousands(-0.2), "0");
    }

    #[test]
    fn huge_and_tiny_numbers_are_shown_short() {
        assert_eq!(short(1e308), "1e308");
        assert_eq!(short(-1.7976931348623157e308), "-1.79769e308");
        assert_eq!(short(1e19), "1e19");
        assert_eq!(short(1.234567891e-9), "1.23457e-9");
        assert_eq!(short(200000.0), "200000");
        assert_eq!(short(-3.5), "-3.5");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(f64::INFINITY), "inf");
    }

    #[test]
    fn rounding_never_leaves_a_negative_zero() {
        assert_eq!(round(-0.0004, 3).to_bits(), 0.0f64.to_bits());
        assert_eq!(round(1.23456, 2), 1.23);
        assert_eq!(round(-2.5, 0), -3.0);
    }
}

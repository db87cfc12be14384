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
    fn rounding_never_leaves_a_negative_zero() {
        assert_eq!(round(-0.0004, 3).to_bits(), 0.0f64.to_bits());
        assert_eq!(round(1.23456, 2), 1.23);
        assert_eq!(round(-2.5, 0), -3.0);
    }
}

//! The range of every numeric flag, checked as the command line is read.
//!
//! A number out of range is refused before anything runs, with the flag,
//! its range and the value shown short (`1e19`, not 20 digits; a 309-digit
//! literal cut), instead of a panic deep in a solver, thousands of
//! threads or an allocation that fails. Negative numbers reach these
//! parsers (the flags set `allow_negative_numbers`) so that `-1` is
//! answered with the range rather than clap's advice to write `-- -1`.
//! The bounds are the library's own constants, so a front end that calls
//! the library without clap meets the same limits there.

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use ecopark::text::{abbreviated, printable};
use ecopark::units::short;
use std::ffi::OsStr;

/// A flag that takes a whole number from `low` to `high`.
#[derive(Clone)]
pub struct Count {
    low: u64,
    high: u64,
    /// Why the bound is what it is, in words, shown after the range.
    note: String,
}

/// A whole number from `low` to `high`: a count of points, samples, plants.
pub fn whole(low: usize, high: usize) -> impl TypedValueParser<Value = usize> {
    count(low, high).map(to_usize)
}

/// A seed: any whole number from 0 to 2^64 − 1.
pub fn seed() -> Count {
    Count::new(0, u64::MAX, "")
}

/// `--jobs`: from 1 to the most threads this machine may run
/// ([`ecopark::solve::config::max_threads`]).
pub fn jobs() -> impl TypedValueParser<Value = usize> {
    threads(1).map(to_usize)
}

/// `--threads`: from 0 (the solver decides) to the most threads this
/// machine may run.
pub fn solver_threads() -> impl TypedValueParser<Value = u32> {
    threads(0).map(|value| u32::try_from(value).unwrap_or(u32::MAX))
}

fn count(low: usize, high: usize) -> Count {
    Count::new(wide(low), wide(high), "")
}

fn threads(low: usize) -> Count {
    use ecopark::solve::config::{max_threads, THREADS_PER_CORE};
    let note = format!(" ({THREADS_PER_CORE} per core of this machine)");
    Count::new(wide(low), wide(max_threads()), note)
}

/// A bound as the parser holds it.
fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A parsed count back as a `usize`; bounds given as `usize` keep it in range.
fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

impl Count {
    fn new(low: u64, high: u64, note: impl Into<String>) -> Count {
        let note = note.into();
        Count { low, high, note }
    }

    fn range(&self) -> String {
        format!(
            "a whole number from {} to {}{}",
            self.low, self.high, self.note
        )
    }

    fn parse(&self, text: &str) -> Result<u64, String> {
        let text = text.trim();
        let value = match text.parse::<i128>() {
            Ok(value) => value,
            Err(_) => match text.parse::<f64>() {
                Ok(value) if value.is_finite() && value.fract() == 0.0 => {
                    // Out of i128's range only when it is out of ours too.
                    value.clamp(i128::MIN as f64, i128::MAX as f64) as i128
                }
                Ok(value) if value.is_finite() => {
                    return Err(format!("must be {}, got {}", self.range(), short(value)))
                }
                _ => return Err(not_a_number(&self.range(), text)),
            },
        };
        match u64::try_from(value) {
            Ok(value) if (self.low..=self.high).contains(&value) => Ok(value),
            _ => Err(format!(
                "must be {}, got {}",
                self.range(),
                short(value as f64)
            )),
        }
    }
}

impl TypedValueParser for Count {
    type Value = u64;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<u64, clap::Error> {
        self.parse(&value.to_string_lossy())
            .map_err(|problem| refused(cmd, arg, &problem))
    }
}

/// A flag that takes a number between `low` and `high`.
#[derive(Clone)]
pub struct Real {
    low: f64,
    high: f64,
    /// `low` itself refused (a duration must be > 0).
    above_low: bool,
    /// `high` itself refused (a gap must be below 1).
    below_high: bool,
    /// The number's unit or what the bound is, in words, after the range.
    note: &'static str,
}

/// A number from `low` to `high`, both admitted.
pub fn real(low: f64, high: f64, note: &'static str) -> Real {
    Real {
        low,
        high,
        above_low: false,
        below_high: false,
        note,
    }
}

impl Real {
    /// The same range without its lowest value.
    pub fn above_low(self) -> Real {
        Real {
            above_low: true,
            ..self
        }
    }

    /// The same range without its highest value.
    pub fn below_high(self) -> Real {
        Real {
            below_high: true,
            ..self
        }
    }

    fn range(&self) -> String {
        let low = if self.above_low { ">" } else { "≥" };
        let high = if self.below_high { "<" } else { "≤" };
        format!(
            "a number {low} {} and {high} {}{}",
            short(self.low),
            short(self.high),
            self.note
        )
    }

    fn admits(&self, value: f64) -> bool {
        let above = if self.above_low {
            value > self.low
        } else {
            value >= self.low
        };
        let below = if self.below_high {
            value < self.high
        } else {
            value <= self.high
        };
        value.is_finite() && above && below
    }

    fn parse(&self, text: &str) -> Result<f64, String> {
        match text.trim().parse::<f64>() {
            Ok(value) if self.admits(value) => Ok(value),
            Ok(value) if value.is_finite() => {
                Err(format!("must be {}, got {}", self.range(), short(value)))
            }
            _ => Err(not_a_number(&self.range(), text)),
        }
    }
}

impl TypedValueParser for Real {
    type Value = f64;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<f64, clap::Error> {
        self.parse(&value.to_string_lossy())
            .map_err(|problem| refused(cmd, arg, &problem))
    }
}

/// `sweep --carbon-price START:STEP:END`, checked as the library's
/// [`ecopark::analysis::sweep::parse_range`] checks it (prices at the park
/// file's cap, at most 1,000 steps) before the park is read; the text is
/// kept for the sweep's outputs.
#[derive(Clone)]
pub struct CarbonPrices;

impl TypedValueParser for CarbonPrices {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let text = value.to_string_lossy();
        match ecopark::analysis::sweep::parse_range(&text) {
            Ok(_) => Ok(text.into_owned()),
            Err(error) => Err(
                clap::Error::raw(ErrorKind::ValueValidation, format!("{error}\n")).with_cmd(cmd),
            ),
        }
    }
}

/// The message for text that is not a finite number: the text quoted, cut
/// when long (a 309-digit literal is not repeated) and made printable.
fn not_a_number(range: &str, text: &str) -> String {
    format!("must be {range}, got '{}'", printable(&abbreviated(text)))
}

/// clap's error for a refused value, naming the flag.
fn refused(cmd: &clap::Command, arg: Option<&clap::Arg>, problem: &str) -> clap::Error {
    let flag = arg.map_or_else(
        || "a value".to_string(),
        |arg| match arg.get_long() {
            Some(long) => format!("--{long}"),
            None => arg.get_id().to_string(),
        },
    );
    clap::Error::raw(ErrorKind::ValueValidation, format!("{flag} {problem}\n")).with_cmd(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_refuse_negative_fractional_and_huge_values_by_their_range() {
        let points = count(2, 1000);
        assert_eq!(points.parse("7"), Ok(7));
        assert_eq!(points.parse("1e3"), Ok(1000));
        let negative = points.parse("-1").unwrap_err();
        assert_eq!(negative, "must be a whole number from 2 to 1000, got -1");
        assert!(points
            .parse("4000000000")
            .unwrap_err()
            .ends_with("got 4000000000"));
        assert!(points.parse("2.5").unwrap_err().ends_with("got 2.5"));
        let huge = format!("1{}", "0".repeat(309));
        let message = points.parse(&huge).unwrap_err();
        assert!(message.len() < 120, "{message}");
        assert_eq!(seed().parse("18446744073709551615"), Ok(u64::MAX));
        assert!(seed()
            .parse("-1")
            .unwrap_err()
            .contains("from 0 to 18446744073709551615"));
    }

    #[test]
    fn reals_say_which_ends_are_open() {
        let limit = real(0.0, 31_536_000.0, " seconds (a year)").above_low();
        assert_eq!(limit.parse("1.5"), Ok(1.5));
        assert_eq!(
            limit.parse("0").unwrap_err(),
            "must be a number > 0 and ≤ 31536000 seconds (a year), got 0"
        );
        assert!(limit.parse("1e19").unwrap_err().ends_with("got 1e19"));
        assert!(limit.parse("inf").unwrap_err().ends_with("got 'inf'"));
        assert!(limit.parse("NaN").is_err());
        let gap = real(0.0, 1.0, "").below_high();
        assert!(gap.parse("1").is_err());
        assert_eq!(gap.parse("0"), Ok(0.0));
    }

    #[test]
    fn control_characters_in_a_refused_value_are_escaped() {
        let message = count(1, 2).parse("\u{1b}[31m").unwrap_err();
        assert!(message.contains("\\u{1b}[31m"), "{message}");
    }
}

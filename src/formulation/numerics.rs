//! Numerics: how far the model's numbers spread, so that a typo (a stream
//! of 1e15 t/yr, a price of 1e-9) is reported with the entity it came from
//! before the solver wanders off with it.
//!
//! Solvers work in double precision with tolerances near 1e-6 to 1e-9;
//! once the nonzeros of the constraint matrix, or the right-hand sides,
//! span more than about nine orders of magnitude, feasibility and
//! optimality tests lose their meaning.

use super::Model;

/// Widest spread of magnitudes the model may have before a warning.
pub const MAX_SPREAD: f64 = 1e9;

/// A number of the model and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its magnitude.
    pub magnitude: f64,
    /// The row (and variable) it belongs to, by name.
    pub at: String,
}

/// The smallest and largest nonzero magnitudes of one kind of number.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// What was measured: "constraint coefficients" or "right-hand sides".
    pub what: &'static str,
    /// The smallest nonzero magnitude.
    pub smallest: Place,
    /// The largest magnitude.
    pub largest: Place,
}

impl Spread {
    /// Largest over smallest.
    pub fn ratio(&self) -> f64 {
        self.largest.magnitude / self.smallest.magnitude
    }

    fn of<'a>(
        what: &'static str,
        numbers: impl Iterator<Item = (f64, &'a str, &'a str)>,
    ) -> Option<Spread> {
        let mut spread: Option<Spread> = None;
        for (value, row, variable) in numbers {
            let magnitude = value.abs();
            if magnitude == 0.0 || !magnitude.is_finite() {
                continue;
            }
            let place = || Place {
                magnitude,
                at: if variable.is_empty() {
                    row.to_string()
                } else {
                    format!("{row}, {variable}")
                },
            };
            match &mut spread {
                None => {
                    spread = Some(Spread {
                        what,
                        smallest: place(),
                        largest: place(),
                    })
                }
                Some(spread) => {
                    if magnitude < spread.smallest.magnitude {
                        spread.smallest = place();
                    }
                    if magnitude > spread.largest.magnitude {
                        spread.largest = place();
                    }
                }
            }
        }
        spread
    }
}

/// The spreads of the constraint coefficients and the right-hand sides.
/// (The objective's spread is left alone: a pumping cost of a thousandth
/// of a yuan per MWh beside a plant's capital charge of ten million is
/// ordinary, and solvers scale the objective on their own.)
pub fn spreads(model: &Model) -> Vec<Spread> {
    let variable = |index: usize| model.variables[index].name.as_str();
    let coefficients = model.constraints.iter().flat_map(|row| {
        row.terms
            .iter()
            .map(move |(var, c)| (*c, row.name.as_str(), variable(var.0)))
    });
    let rhs = model
        .constraints
        .iter()
        .map(|row| (row.rhs, row.name.as_str(), ""));
    [
        Spread::of("constraint coefficients", coefficients),
        Spread::of("right-hand sides", rhs),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A warning for every spread wider than [`MAX_SPREAD`], naming where the
/// extremes are.
pub fn warnings(model: &Model) -> Vec<String> {
    spreads(model)
        .into_iter()
        .filter(|spread| spread.ratio() > MAX_SPREAD)
        .map(|spread| {
            format!(
                "the model's {} span {:.0e} (from {:.3e} at {} to {:.3e} at {}); a number that far from the others is often a typo in the park file, and solvers lose accuracy beyond about {MAX_SPREAD:.0e}",
                spread.what,
                spread.ratio(),
                spread.smallest.magnitude,
                spread.smallest.at,
                spread.largest.magnitude,
                spread.largest.at
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny_with;

    #[test]
    fn shipped_parks_are_well_scaled() {
        for name in ["tiny", "ningdong-chemical", "tangshan-caofeidian"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("parks/{name}/park.toml"));
            let (park, _) = crate::validate::load_and_validate(&path).unwrap();
            let (_, formulation) = crate::pipeline::build(&park);
            assert_eq!(warnings(&formulation.model), Vec::<String>::new(), "{name}");
        }
    }

    #[test]
    fn a_capacity_typo_is_named() {
        // A classifier of 1e10 t/yr fed by as much fly ash: its big-M is
        // ten orders of magnitude above the model's unit coefficients.
        let park = tiny_with(&[
            ("t_per_year = 100000", "t_per_year = 1e10"),
            ("max_t_per_year = 50000", "max_t_per_year = 1e10"),
        ]);
        let (_, formulation) = crate::pipeline::build(&park);
        let warnings = warnings(&formulation.model);
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("constraint coefficients")
                    && w.contains("project[classifier], build[classifier]")),
            "{warnings:?}"
        );
    }
}

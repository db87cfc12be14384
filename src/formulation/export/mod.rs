//! The [`Model`] written out as an MPS or CPLEX LP file: what both formats
//! share is here (the checks, the names, the numbers, the name map), each
//! format's writer in its own file, [`to_mps`] in `mps.rs` and [`to_lp`]
//! in `lp.rs`.
//!
//! ecopark solves its MILP with microlp (driven directly) or HiGHS (through
//! good_lp), neither of which writes the model out in a build of ecopark. This
//! module exists so anyone can hand the *exact* same model to another
//! solver (HiGHS, Gurobi, CPLEX, SCIP, CBC, …) and compare optima, solve
//! times and bounds, or debug an infeasible model with a solver's own tools.
//!
//! # What is written
//! The model as defined in [`Model`], unscaled: minimise
//! `objective · x + objective_constant` in CNY per year. The in-crate
//! backends divide objective coefficients by a million before solving (see
//! `OBJECTIVE_SCALE` in [`crate::solve`]); the files do not, so an outside
//! solver's optimum is directly comparable with the
//! `objective_cny_per_year` ecopark reports. Repeated objective entries for
//! one variable are summed, as [`Model::objective_value`] does.
//!
//! # Names
//! The model's names contain `[`, `]`, `:`, `→`, spaces and Chinese, which
//! MPS and LP readers reject or misread, so the files use generated names:
//! variable `i` is column `x<i>` and constraint `i` is row `c<i>`, in the
//! model's order; the objective row is `OBJ` (MPS) or `obj` (LP). These are
//! unique, short and safe in both formats. [`name_map`] writes the mapping
//! back to the model's names as CSV. The model name given to the writers is
//! sanitised (ASCII letters, digits, `_`, `-` and `.` kept, anything else
//! becoming `_`, at most 64 characters).
//!
//! # Numbers
//! Every number is written in Rust's shortest round-trip form, so a reader
//! using correctly rounded parsing (`strtod`) gets back the very same
//! `f64`. Infinite bounds are written with each format's own keywords. A
//! NaN or infinite coefficient, right-hand side or objective entry, or a
//! malformed bound, is a bug upstream: the writers refuse it with an
//! [`ExportError`] naming where it is rather than write a file no solver
//! can read.
//!
//! The output is deterministic (same model, same bytes) and built in one
//! pass into a pre-sized `String`, for models with hundreds of thousands of
//! columns.

mod lp;
mod mps;

pub use lp::to_lp;
pub use mps::to_mps;

use super::{Model, Sense, VarKind, Variable};
use crate::table;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Why a model cannot be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    /// A constraint coefficient is NaN or infinite.
    #[error("constraint {row_index} `{row}` has coefficient {value} on variable `{column}`: only finite numbers can be exported")]
    NonFiniteCoefficient {
        /// Index of the constraint.
        row_index: usize,
        /// The constraint's model name.
        row: String,
        /// The variable's model name.
        column: String,
        /// The offending value.
        value: f64,
    },
    /// A right-hand side is NaN or infinite.
    #[error("constraint {row_index} `{row}` has right-hand side {value}: only finite numbers can be exported")]
    NonFiniteRhs {
        /// Index of the constraint.
        row_index: usize,
        /// The constraint's model name.
        row: String,
        /// The offending value.
        value: f64,
    },
    /// A variable's objective coefficient (summed over repeated entries)
    /// is NaN or infinite.
    #[error("variable {column_index} `{column}` has objective coefficient {value}: only finite numbers can be exported")]
    NonFiniteObjective {
        /// Index of the variable.
        column_index: usize,
        /// The variable's model name.
        column: String,
        /// The offending value.
        value: f64,
    },
    /// The objective constant is NaN or infinite.
    #[error("the objective constant is {value}: only finite numbers can be exported")]
    NonFiniteConstant {
        /// The offending value.
        value: f64,
    },
    /// A bound is NaN, a lower bound is +∞ or an upper bound is −∞.
    #[error("variable {column_index} `{column}` has bounds [{lower}, {upper}]: bounds must not be NaN, a lower bound +inf or an upper bound -inf")]
    InvalidBounds {
        /// Index of the variable.
        column_index: usize,
        /// The variable's model name.
        column: String,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
    },
    /// A constraint or the objective refers to a variable the model lacks.
    #[error("{place} refers to variable {index}, but the model has {count} variables")]
    UnknownVariable {
        /// Where: the constraint, by index and name, or "the objective".
        place: String,
        /// The missing variable's index.
        index: usize,
        /// Number of variables in the model.
        count: usize,
    },
    /// A constraint lists one variable twice ([`Model::add_constraint`]
    /// merges them; the formats cannot say whether to add or replace).
    #[error("constraint {row_index} `{row}` lists variable `{column}` twice")]
    DuplicateTerm {
        /// Index of the constraint.
        row_index: usize,
        /// The constraint's model name.
        row: String,
        /// The variable's model name.
        column: String,
    },
}

/// Longest model name written.
const NAME_LIMIT: usize = 64;

/// What an exported name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum NameKind {
    /// A column: `x<i>`.
    Variable,
    /// A row: `c<i>`.
    Constraint,
}

/// One line of the name map.
#[derive(Serialize, Deserialize)]
struct NameRow<'a> {
    kind: NameKind,
    index: usize,
    exported_name: String,
    model_name: &'a str,
}

/// The exported names as CSV, header `kind,index,exported_name,model_name`:
/// one row per variable (`variable`, `x<i>`) and per constraint
/// (`constraint`, `c<i>`), the model's names quoted when they need it.
/// Read a solver's solution file back into the model's names with it.
pub fn name_map(model: &Model) -> String {
    let variables = model
        .variables
        .iter()
        .enumerate()
        .map(|(index, v)| NameRow {
            kind: NameKind::Variable,
            index,
            exported_name: format!("x{index}"),
            model_name: &v.name,
        });
    let constraints = model
        .constraints
        .iter()
        .enumerate()
        .map(|(index, c)| NameRow {
            kind: NameKind::Constraint,
            index,
            exported_name: format!("c{index}"),
            model_name: &c.name,
        });
    let rows: Vec<NameRow> = variables.chain(constraints).collect();
    table::to_csv(&rows)
}

/// Checks everything the writers rely on and returns the objective as one
/// summed coefficient per variable.
fn validated_costs(model: &Model) -> Result<Vec<f64>, ExportError> {
    let count = model.variables.len();
    for (j, variable) in model.variables.iter().enumerate() {
        let (lower, upper) = (variable.lower, variable.upper);
        if lower.is_nan() || upper.is_nan() || lower == f64::INFINITY || upper == f64::NEG_INFINITY
        {
            return Err(ExportError::InvalidBounds {
                column_index: j,
                column: variable.name.clone(),
                lower,
                upper,
            });
        }
    }
    if !model.objective_constant.is_finite() {
        return Err(ExportError::NonFiniteConstant {
            value: model.objective_constant,
        });
    }
    let mut costs = vec![0.0; count];
    for (var, coefficient) in &model.objective {
        let cost = costs
            .get_mut(var.0)
            .ok_or_else(|| ExportError::UnknownVariable {
                place: "the objective".into(),
                index: var.0,
                count,
            })?;
        *cost += coefficient;
    }
    // A NaN or infinite entry leaves its variable's sum non-finite.
    if let Some(j) = costs.iter().position(|c| !c.is_finite()) {
        return Err(ExportError::NonFiniteObjective {
            column_index: j,
            column: model.variables[j].name.clone(),
            value: costs[j],
        });
    }
    // Row in which each variable was last seen, to catch repeats.
    let mut last_row = vec![usize::MAX; count];
    for (i, constraint) in model.constraints.iter().enumerate() {
        if !constraint.rhs.is_finite() {
            return Err(ExportError::NonFiniteRhs {
                row_index: i,
                row: constraint.name.clone(),
                value: constraint.rhs,
            });
        }
        for (var, coefficient) in &constraint.terms {
            let seen = last_row
                .get_mut(var.0)
                .ok_or_else(|| ExportError::UnknownVariable {
                    place: format!("constraint {i} `{}`", constraint.name),
                    index: var.0,
                    count,
                })?;
            let column = || model.variables[var.0].name.clone();
            if *seen == i {
                return Err(ExportError::DuplicateTerm {
                    row_index: i,
                    row: constraint.name.clone(),
                    column: column(),
                });
            }
            *seen = i;
            if !coefficient.is_finite() {
                return Err(ExportError::NonFiniteCoefficient {
                    row_index: i,
                    row: constraint.name.clone(),
                    column: column(),
                    value: *coefficient,
                });
            }
        }
    }
    Ok(costs)
}

/// `+0.0`, the formats' default for bounds and right-hand sides (`-0.0`
/// is written out, so values come back bit for bit).
fn is_positive_zero(value: f64) -> bool {
    value.to_bits() == 0
}

/// Appends formatted text; formatting into a `String` cannot fail.
fn push_fmt(out: &mut String, args: std::fmt::Arguments) {
    // `String`'s `fmt::Write` implementation never returns an error.
    let _ = out.write_fmt(args);
}

/// Appends `value` in Rust's shortest round-trip form, without a trailing
/// `.0` (`3`, `-1.5`, `1e-7`, `2.5e20`). `value` is finite.
fn push_number(out: &mut String, value: f64) {
    push_fmt(out, format_args!("{value:?}"));
    if out.ends_with(".0") {
        out.truncate(out.len() - 2);
    }
}

/// `name` reduced to characters every reader accepts.
fn safe_model_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .take(NAME_LIMIT)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.chars().any(|c| c.is_ascii_alphanumeric()) {
        safe
    } else {
        "ecopark".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulation::VarId;
    use std::collections::BTreeSet;

    pub(super) const INF: f64 = f64::INFINITY;

    /// Two continuous variables and a binary; `≤`, `=` and `≥` rows; an
    /// infinite upper bound, a negative lower bound and a constant.
    pub(super) fn hand() -> Model {
        let mut model = Model::default();
        let flow = model.add_variable("flow[a→b]".into(), VarKind::Continuous, 0.0, 40.0);
        let stock = model.add_variable("stock: 库存".into(), VarKind::Continuous, -5.0, INF);
        let build = model.add_variable("build[a→b]".into(), VarKind::Binary, 0.0, 1.0);
        model.add_constraint(
            "t",
            "cap[a→b]".into(),
            [(flow, 1.0), (build, -20.0)],
            Sense::Le,
            0.0,
        );
        model.add_constraint(
            "t",
            "balance".into(),
            [(flow, 1.0), (stock, 1.0)],
            Sense::Eq,
            12.5,
        );
        model.add_constraint(
            "t",
            "min".into(),
            [(stock, 1.0), (build, 1.0)],
            Sense::Ge,
            -2.0,
        );
        model.objective = vec![(flow, 3.0), (stock, -1.5), (build, 1000.0)];
        model.objective_constant = 250.0;
        model
    }

    #[test]
    fn output_is_deterministic() {
        let (_, formulation) = crate::pipeline::build(&crate::park::testing::tiny());
        let (_, again) = crate::pipeline::build(&crate::park::testing::tiny());
        assert_eq!(
            to_mps(&formulation.model, "tiny").unwrap(),
            to_mps(&again.model, "tiny").unwrap()
        );
        assert_eq!(
            to_lp(&formulation.model, "tiny").unwrap(),
            to_lp(&again.model, "tiny").unwrap()
        );
    }

    #[test]
    fn exported_names_are_unique_and_safe_whatever_the_model_names() {
        let mut model = hand();
        model.add_variable("流量[a→b]".into(), VarKind::Continuous, 0.0, INF);
        model.add_variable("say \"hi\", then [x:y]".into(), VarKind::Binary, 0.0, 1.0);
        model.add_constraint(
            "t",
            "热平衡 [a→b]".into(),
            [(VarId(3), 1.0)],
            Sense::Le,
            1.0,
        );
        let name = "园区 [a→b]";
        let mps = to_mps(&model, name).unwrap();
        let lp = to_lp(&model, name).unwrap();
        assert!(mps.is_ascii() && lp.is_ascii());
        assert!(mps.contains("\nNAME ____a_b_\n"), "{mps}");

        let map = name_map(&model);
        assert!(map.starts_with("kind,index,exported_name,model_name\n"));
        let mut exported = BTreeSet::new();
        let mut originals = Vec::new();
        for record in csv::Reader::from_reader(map.as_bytes()).records() {
            let fields = record.unwrap();
            let prefix = if &fields[0] == "variable" { "x" } else { "c" };
            assert_eq!(&fields[2], format!("{prefix}{}", &fields[1]));
            assert!(fields[2].chars().all(|c| c.is_ascii_alphanumeric()));
            assert!(exported.insert(fields[2].to_string()), "{fields:?}");
            originals.push(fields[3].to_string());
        }
        let expected: Vec<&str> = model
            .variables
            .iter()
            .map(|v| v.name.as_str())
            .chain(model.constraints.iter().map(|c| c.name.as_str()))
            .collect();
        assert_eq!(originals, expected);
        assert_eq!(
            exported.len(),
            model.variables.len() + model.constraints.len()
        );

        // Every row and column the files mention is one of those names.
        let known = |token: &str| exported.contains(token) || token == "OBJ";
        for line in mps.lines().filter(|l| l.starts_with(' ')) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields[0] {
                "N" | "L" | "E" | "G" => assert!(known(fields[1]), "{line}"),
                "MARKER" | "RHS" => {}
                "UP" | "LO" | "FX" | "FR" | "MI" | "PL" => assert!(known(fields[2]), "{line}"),
                column => assert!(known(column) && known(fields[1]), "{line}"),
            }
        }
        assert!(
            lp.contains("Binaries\n x2\n x4\nEnd\n") && lp.contains(" c3: + 1 x3 <= 1\n"),
            "{lp}"
        );
    }

    #[test]
    fn a_non_finite_number_is_an_error_naming_where_it_is() {
        let mut model = hand();
        model.constraints[0].terms[1].1 = f64::NAN;
        for result in [to_mps(&model, "m"), to_lp(&model, "m")] {
            let error = result.unwrap_err();
            assert!(
                matches!(&error, ExportError::NonFiniteCoefficient { row_index: 0, row, column, .. }
                    if row == "cap[a→b]" && column == "build[a→b]"),
                "{error:?}"
            );
            assert!(error.to_string().contains("`cap[a→b]`"), "{error}");
        }

        let mut model = hand();
        model.constraints[2].rhs = -INF;
        let error = to_mps(&model, "m").unwrap_err();
        assert!(error.to_string().contains("`min`"), "{error}");

        let mut model = hand();
        model.objective.push((VarId(1), INF));
        let error = to_lp(&model, "m").unwrap_err();
        assert!(error.to_string().contains("`stock: 库存`"), "{error}");

        let mut model = hand();
        model.variables[0].upper = f64::NAN;
        assert!(matches!(
            to_mps(&model, "m"),
            Err(ExportError::InvalidBounds {
                column_index: 0,
                ..
            })
        ));
    }

    #[test]
    fn malformed_terms_are_errors_not_panics() {
        let mut model = hand();
        model.constraints[1].terms.push((VarId(0), 2.0));
        assert!(matches!(
            to_mps(&model, "m"),
            Err(ExportError::DuplicateTerm { row_index: 1, .. })
        ));
        let mut model = hand();
        model.constraints[1].terms.push((VarId(9), 2.0));
        assert!(matches!(
            to_lp(&model, "m"),
            Err(ExportError::UnknownVariable {
                index: 9,
                count: 3,
                ..
            })
        ));
        let mut model = hand();
        model.objective.push((VarId(7), 1.0));
        assert!(matches!(
            to_mps(&model, "m"),
            Err(ExportError::UnknownVariable { index: 7, .. })
        ));
    }

    #[test]
    fn numbers_are_shortest_round_trip_forms() {
        let mut out = String::new();
        for value in [3.0, -1.5, 0.1 + 0.2, 1e-7, 2.5e20, -0.0, 1e15, 5e-324] {
            out.clear();
            push_number(&mut out, value);
            assert_eq!(
                out.parse::<f64>().unwrap().to_bits(),
                value.to_bits(),
                "{out}"
            );
        }
        out.clear();
        push_number(&mut out, 1e15);
        assert_eq!(out, "1000000000000000");
    }
}

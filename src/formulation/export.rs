//! The [`Model`] written out as an MPS or CPLEX LP file.
//!
//! ecopark solves its MILP with microlp or HiGHS (through good_lp). This
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

use super::{Model, Sense, VarKind};
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

/// Longest LP line written, well under the 255 characters some readers allow.
const LP_LINE_LIMIT: usize = 100;

/// Longest model name written.
const NAME_LIMIT: usize = 64;

/// Writes `model` as free-format MPS.
///
/// Sections: `NAME`, `ROWS` (the objective row `OBJ`, then `L`/`E`/`G` row
/// `c<i>` for constraint `i`), `COLUMNS` (column `x<i>` for variable `i`, in
/// order, binaries between `'MARKER' 'INTORG'` and `'MARKER' 'INTEND'`
/// lines), `RHS`, `BOUNDS`, `ENDATA`. There is no `OBJSENSE` section: every
/// MPS reader minimises by default, and the model is a minimisation.
///
/// The objective constant `k` is written as `RHS OBJ -k`: HiGHS
/// (`HMpsFF::parseRhs` sets `obj_offset = -val`; its own writer emits
/// `-offset`), CPLEX (its MPS extension: "the negative value of the right
/// hand side (RHS) of the objective function") and SCIP read a right-hand
/// side on the objective row as the negated objective constant. A reader
/// that ignores it reports an optimum lower by `k`.
///
/// Bounds: none for `[0, +inf)`; `FR` for `(-inf, +inf)`; `FX` when lower
/// equals upper; otherwise `MI` or `LO` and `UP` or `PL` as needed. `LO 0`
/// is spelled out under a negative `UP`, which some readers would otherwise
/// take as freeing the lower bound. Integer (binary) columns always get an
/// explicit upper bound (`UP 1` for a plain binary), since readers disagree
/// on the default bounds of a marked integer column.
pub fn to_mps(model: &Model, name: &str) -> Result<String, ExportError> {
    let costs = validated_costs(model)?;
    let rows = model.constraints.len();
    let columns = model.variables.len();
    let nonzeros = model.nonzero_count();
    let mut out = String::with_capacity(400 + 40 * rows + 40 * (nonzeros + columns) + 32 * columns);

    push_fmt(
        &mut out,
        format_args!(
            "* ecopark MILP, minimise, objective in CNY per year (unscaled)\n\
             * x<i>/c<i> are the model's variable/constraint i; RHS on OBJ is minus the objective constant\n\
             NAME {}\nROWS\n N  OBJ\n",
            safe_model_name(name)
        ),
    );
    for (i, constraint) in model.constraints.iter().enumerate() {
        let kind = match constraint.sense {
            Sense::Le => 'L',
            Sense::Eq => 'E',
            Sense::Ge => 'G',
        };
        push_fmt(&mut out, format_args!(" {kind}  c{i}\n"));
    }

    // The matrix by column: entries of column j are entries[start[j]..start[j + 1]],
    // in row order.
    let mut start = vec![0usize; columns + 1];
    for constraint in &model.constraints {
        for (var, _) in &constraint.terms {
            start[var.0 + 1] += 1;
        }
    }
    for j in 0..columns {
        start[j + 1] += start[j];
    }
    let mut next = start.clone();
    let mut entries = vec![(0usize, 0.0f64); nonzeros];
    for (i, constraint) in model.constraints.iter().enumerate() {
        for (var, coefficient) in &constraint.terms {
            entries[next[var.0]] = (i, *coefficient);
            next[var.0] += 1;
        }
    }

    out.push_str("COLUMNS\n");
    let mut in_integers = false;
    for (j, variable) in model.variables.iter().enumerate() {
        let integer = variable.kind == VarKind::Binary;
        if integer != in_integers {
            out.push_str(if integer {
                "    MARKER  'MARKER'  'INTORG'\n"
            } else {
                "    MARKER  'MARKER'  'INTEND'\n"
            });
            in_integers = integer;
        }
        let column = &entries[start[j]..start[j + 1]];
        // A column with no entry at all still needs a line to exist, in order.
        if costs[j] != 0.0 || column.is_empty() {
            push_fmt(&mut out, format_args!("    x{j}  OBJ  "));
            push_number(&mut out, costs[j]);
            out.push('\n');
        }
        for (row, coefficient) in column {
            push_fmt(&mut out, format_args!("    x{j}  c{row}  "));
            push_number(&mut out, *coefficient);
            out.push('\n');
        }
    }
    if in_integers {
        out.push_str("    MARKER  'MARKER'  'INTEND'\n");
    }

    out.push_str("RHS\n");
    if !is_positive_zero(model.objective_constant) {
        out.push_str("    RHS  OBJ  ");
        push_number(&mut out, -model.objective_constant);
        out.push('\n');
    }
    for (i, constraint) in model.constraints.iter().enumerate() {
        if !is_positive_zero(constraint.rhs) {
            push_fmt(&mut out, format_args!("    RHS  c{i}  "));
            push_number(&mut out, constraint.rhs);
            out.push('\n');
        }
    }

    out.push_str("BOUNDS\n");
    for (j, variable) in model.variables.iter().enumerate() {
        let (lower, upper) = (variable.lower, variable.upper);
        let integer = variable.kind == VarKind::Binary;
        let mut bound = |keyword: &str, value: Option<f64>| {
            push_fmt(&mut out, format_args!(" {keyword} BND  x{j}"));
            if let Some(value) = value {
                out.push_str("  ");
                push_number(&mut out, value);
            }
            out.push('\n');
        };
        if lower == f64::NEG_INFINITY && upper == f64::INFINITY {
            bound("FR", None);
        } else if lower == upper {
            bound("FX", Some(lower));
        } else {
            if lower == f64::NEG_INFINITY {
                bound("MI", None);
            } else if !is_positive_zero(lower) || upper < 0.0 {
                bound("LO", Some(lower));
            }
            if upper < f64::INFINITY {
                bound("UP", Some(upper));
            } else if integer || lower == f64::NEG_INFINITY {
                // Explicit, since some readers default a marked integer
                // column to [0, 1], and old ones read MI as [-inf, 0].
                bound("PL", None);
            }
        }
    }
    out.push_str("ENDATA\n");
    Ok(out)
}

/// Writes `model` in CPLEX LP format.
///
/// A `\` comment header, then `Minimize` with the objective `obj`, `Subject
/// To` with row `c<i>` for constraint `i`, `Bounds`, `Binaries` (binaries
/// with bounds `[0, 1]`), `Generals` (binaries whose bounds an analysis has
/// changed, with those bounds in `Bounds`), `End`. Columns are `x<i>` for
/// variable `i`. Empty sections are left out.
///
/// The objective constant is written as a constant term at the end of the
/// objective, which HiGHS, SCIP and CPLEX read as the objective offset
/// (HiGHS's own LP writer does the same); the header comment repeats it for
/// readers that reject constants there.
///
/// The objective lists every column in order, zero costs included: LP
/// files have no column section, and readers number columns by first
/// appearance (HiGHS does), so this gives them the model's order, `x<i>`
/// being column `i`, and keeps columns that appear nowhere else.
///
/// Long expressions are wrapped onto indented continuation lines of at
/// most 100 characters. Bounds: none for `[0, +inf)`, `x free`, `x = v`,
/// `x >= l`, or `l <= x <= u` (`-inf` for an infinite lower bound).
pub fn to_lp(model: &Model, name: &str) -> Result<String, ExportError> {
    let costs = validated_costs(model)?;
    let rows = model.constraints.len();
    let columns = model.variables.len();
    let mut out = String::with_capacity(
        400 + 40 * rows + 28 * (model.nonzero_count() + columns) + 40 * columns,
    );
    let mut term = String::with_capacity(64);

    push_fmt(
        &mut out,
        format_args!(
            "\\ ecopark MILP {}, minimise, objective in CNY per year (unscaled)\n\
             \\ x<i>/c<i> are the model's variable/constraint i; objective constant ",
            safe_model_name(name)
        ),
    );
    push_number(&mut out, model.objective_constant);
    out.push_str(" (included in obj)\nMinimize\n");
    let mut line = out.len();
    out.push_str(" obj:");
    // Every column, in order, zero costs included (see above).
    for (j, cost) in costs.iter().enumerate() {
        lp_term(&mut out, &mut line, &mut term, *cost, Some(j));
    }
    if costs.is_empty() || !is_positive_zero(model.objective_constant) {
        lp_term(
            &mut out,
            &mut line,
            &mut term,
            model.objective_constant,
            None,
        );
    }
    out.push('\n');

    out.push_str("Subject To\n");
    for (i, constraint) in model.constraints.iter().enumerate() {
        line = out.len();
        push_fmt(&mut out, format_args!(" c{i}:"));
        for (var, coefficient) in &constraint.terms {
            lp_term(&mut out, &mut line, &mut term, *coefficient, Some(var.0));
        }
        if constraint.terms.is_empty() {
            // An expression needs a term; a constant alone would be read as
            // a left-hand-side constant and dropped.
            lp_term(
                &mut out,
                &mut line,
                &mut term,
                0.0,
                (columns > 0).then_some(0),
            );
        }
        term.clear();
        term.push_str(match constraint.sense {
            Sense::Le => " <= ",
            Sense::Eq => " = ",
            Sense::Ge => " >= ",
        });
        push_number(&mut term, constraint.rhs);
        lp_push(&mut out, &mut line, &term);
        out.push('\n');
    }

    let section = out.len();
    out.push_str("Bounds\n");
    let body = out.len();
    for (j, variable) in model.variables.iter().enumerate() {
        let (lower, upper) = (variable.lower, variable.upper);
        if is_plain_binary(variable) || (is_positive_zero(lower) && upper == f64::INFINITY) {
            continue;
        }
        if lower == f64::NEG_INFINITY && upper == f64::INFINITY {
            push_fmt(&mut out, format_args!(" x{j} free\n"));
        } else if lower == upper {
            push_fmt(&mut out, format_args!(" x{j} = "));
            push_number(&mut out, lower);
            out.push('\n');
        } else if upper == f64::INFINITY {
            push_fmt(&mut out, format_args!(" x{j} >= "));
            push_number(&mut out, lower);
            out.push('\n');
        } else {
            out.push(' ');
            if lower == f64::NEG_INFINITY {
                out.push_str("-inf");
            } else {
                push_number(&mut out, lower);
            }
            push_fmt(&mut out, format_args!(" <= x{j} <= "));
            push_number(&mut out, upper);
            out.push('\n');
        }
    }
    drop_if_empty(&mut out, section, body);

    for (header, plain) in [("Binaries\n", true), ("Generals\n", false)] {
        let section = out.len();
        out.push_str(header);
        let body = out.len();
        for (j, variable) in model.variables.iter().enumerate() {
            if variable.kind == VarKind::Binary && is_plain_binary(variable) == plain {
                push_fmt(&mut out, format_args!(" x{j}\n"));
            }
        }
        drop_if_empty(&mut out, section, body);
    }
    out.push_str("End\n");
    Ok(out)
}

/// The exported names as CSV, header `kind,index,exported_name,model_name`:
/// one `variable` line per column `x<i>`, then one `constraint` line per row
/// `c<i>`, model names quoted with quotes doubled. Read a solver's solution
/// file back into the model's names with it.
pub fn name_map(model: &Model) -> String {
    let names: usize = model.variables.iter().map(|v| v.name.len()).sum::<usize>()
        + model
            .constraints
            .iter()
            .map(|c| c.name.len())
            .sum::<usize>();
    let mut out =
        String::with_capacity(64 + names + 32 * (model.variables.len() + model.constraints.len()));
    out.push_str("kind,index,exported_name,model_name\n");
    let mut line = |kind: &str, prefix: char, i: usize, name: &str| {
        push_fmt(&mut out, format_args!("{kind},{i},{prefix}{i},\""));
        for c in name.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push_str("\"\n");
    };
    for (i, variable) in model.variables.iter().enumerate() {
        line("variable", 'x', i, &variable.name);
    }
    for (i, constraint) in model.constraints.iter().enumerate() {
        line("constraint", 'c', i, &constraint.name);
    }
    out
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

/// A binary with its natural bounds `[0, 1]`.
fn is_plain_binary(variable: &super::Variable) -> bool {
    variable.kind == VarKind::Binary && variable.lower == 0.0 && variable.upper == 1.0
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

/// Appends an LP term ` + 3 x7` (or the constant ` - 3` without a column),
/// wrapping first if the line would get too long. `term` is scratch space.
fn lp_term(
    out: &mut String,
    line: &mut usize,
    term: &mut String,
    value: f64,
    column: Option<usize>,
) {
    term.clear();
    term.push_str(if value.is_sign_negative() {
        " - "
    } else {
        " + "
    });
    push_number(term, value.abs());
    if let Some(j) = column {
        push_fmt(term, format_args!(" x{j}"));
    }
    lp_push(out, line, term);
}

/// Appends `text` to the line starting at `line`, first starting an
/// indented continuation line if it would not fit.
fn lp_push(out: &mut String, line: &mut usize, text: &str) {
    if out.len() - *line + text.len() > LP_LINE_LIMIT {
        out.push('\n');
        *line = out.len();
        out.push_str("  ");
    }
    out.push_str(text);
}

/// Removes the section header written from `start` to `body` if nothing
/// followed it.
fn drop_if_empty(out: &mut String, start: usize, body: usize) {
    if out.len() == body {
        out.truncate(start);
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
    use crate::formulation::{Constraint, VarId, Variable};
    use std::collections::{BTreeSet, HashMap};

    const INF: f64 = f64::INFINITY;

    /// Two continuous variables and a binary; `≤`, `=` and `≥` rows; an
    /// infinite upper bound, a negative lower bound and a constant.
    fn hand() -> Model {
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
    fn the_hand_model_is_written_as_expected_mps() {
        let expected = "\
* ecopark MILP, minimise, objective in CNY per year (unscaled)
* x<i>/c<i> are the model's variable/constraint i; RHS on OBJ is minus the objective constant
NAME hand
ROWS
 N  OBJ
 L  c0
 E  c1
 G  c2
COLUMNS
    x0  OBJ  3
    x0  c0  1
    x0  c1  1
    x1  OBJ  -1.5
    x1  c1  1
    x1  c2  1
    MARKER  'MARKER'  'INTORG'
    x2  OBJ  1000
    x2  c0  -20
    x2  c2  1
    MARKER  'MARKER'  'INTEND'
RHS
    RHS  OBJ  -250
    RHS  c1  12.5
    RHS  c2  -2
BOUNDS
 UP BND  x0  40
 LO BND  x1  -5
 UP BND  x2  1
ENDATA
";
        assert_eq!(to_mps(&hand(), "hand").unwrap(), expected);
    }

    #[test]
    fn the_hand_model_is_written_as_expected_lp() {
        let expected = "\
\\ ecopark MILP hand, minimise, objective in CNY per year (unscaled)
\\ x<i>/c<i> are the model's variable/constraint i; objective constant 250 (included in obj)
Minimize
 obj: + 3 x0 - 1.5 x1 + 1000 x2 + 250
Subject To
 c0: + 1 x0 - 20 x2 <= 0
 c1: + 1 x0 + 1 x1 = 12.5
 c2: + 1 x1 + 1 x2 >= -2
Bounds
 0 <= x0 <= 40
 x1 >= -5
Binaries
 x2
End
";
        assert_eq!(to_lp(&hand(), "hand").unwrap(), expected);
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
        let mut lines = map.lines();
        assert_eq!(lines.next(), Some("kind,index,exported_name,model_name"));
        let mut exported = BTreeSet::new();
        let mut originals = Vec::new();
        for line in lines {
            let fields: Vec<&str> = line.splitn(4, ',').collect();
            let prefix = if fields[0] == "variable" { "x" } else { "c" };
            assert_eq!(fields[2], format!("{prefix}{}", fields[1]));
            assert!(fields[2].chars().all(|c| c.is_ascii_alphanumeric()));
            assert!(exported.insert(fields[2].to_string()), "{line}");
            let quoted = fields[3];
            assert!(quoted.starts_with('"') && quoted.ends_with('"'), "{line}");
            originals.push(quoted[1..quoted.len() - 1].replace("\"\"", "\""));
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
    fn long_lp_expressions_wrap_onto_continuation_lines() {
        let mut model = Model::default();
        let vars: Vec<VarId> = (0..60)
            .map(|i| model.add_variable(format!("v{i}"), VarKind::Continuous, 0.0, INF))
            .collect();
        let terms: Vec<(VarId, f64)> = vars.iter().map(|v| (*v, 0.1 + v.0 as f64)).collect();
        model.add_constraint("t", "long".into(), terms.iter().copied(), Sense::Ge, 1.0);
        model.objective = terms.clone();
        let lp = to_lp(&model, "long").unwrap();
        assert!(lp.lines().all(|l| l.len() <= LP_LINE_LIMIT), "{lp}");
        assert!(lp.lines().count() > 10, "{lp}");
        let one_line = lp.replace("\n  ", "");
        let expression: String = terms
            .iter()
            .map(|(v, c)| format!(" + {c:?} x{}", v.0).replace(".0 x", " x"))
            .collect();
        assert!(
            one_line.contains(&format!("\n obj:{expression}\n")),
            "{one_line}"
        );
        assert!(
            one_line.contains(&format!("\n c0:{expression} >= 1\n")),
            "{one_line}"
        );
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

    /// A minimal free-MPS reader for this module's output: variables take
    /// their exported names and every constraint the family "mps". Integer
    /// columns must carry an explicit upper bound.
    fn read_mps(text: &str) -> Model {
        let mut model = Model::default();
        let mut section = "";
        let mut rows: HashMap<String, usize> = HashMap::new();
        let mut columns: HashMap<String, usize> = HashMap::new();
        let mut integer = false;
        let mut has_upper: Vec<bool> = Vec::new();
        let number = |field: &str| -> f64 { field.parse().unwrap() };
        for line in text.lines().filter(|l| !l.starts_with('*')) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if !line.starts_with(' ') {
                section = fields[0];
                continue;
            }
            match section {
                "ROWS" => {
                    let sense = match fields[0] {
                        "N" => {
                            assert_eq!(fields[1], "OBJ");
                            continue;
                        }
                        "L" => Sense::Le,
                        "E" => Sense::Eq,
                        "G" => Sense::Ge,
                        other => panic!("row type {other}"),
                    };
                    rows.insert(fields[1].to_string(), model.constraints.len());
                    model.constraints.push(Constraint {
                        name: fields[1].to_string(),
                        family: "mps",
                        terms: Vec::new(),
                        sense,
                        rhs: 0.0,
                    });
                }
                "COLUMNS" => {
                    if fields[1] == "'MARKER'" {
                        integer = fields[2] == "'INTORG'";
                        continue;
                    }
                    assert_eq!(fields.len(), 3, "{line}");
                    if model.variables.last().map(|v| v.name.as_str()) != Some(fields[0]) {
                        let j = model.variables.len();
                        assert_eq!(fields[0], format!("x{j}"), "columns in order, grouped");
                        columns.insert(fields[0].to_string(), j);
                        has_upper.push(false);
                        model.variables.push(Variable {
                            name: fields[0].to_string(),
                            kind: if integer {
                                VarKind::Binary
                            } else {
                                VarKind::Continuous
                            },
                            lower: 0.0,
                            upper: INF,
                        });
                    }
                    let var = VarId(model.variables.len() - 1);
                    let value = number(fields[2]);
                    if fields[1] == "OBJ" {
                        model.objective.push((var, value));
                    } else {
                        model.constraints[rows[fields[1]]].terms.push((var, value));
                    }
                }
                "RHS" => {
                    assert_eq!((fields[0], fields.len()), ("RHS", 3), "{line}");
                    let value = number(fields[2]);
                    if fields[1] == "OBJ" {
                        model.objective_constant = -value;
                    } else {
                        model.constraints[rows[fields[1]]].rhs = value;
                    }
                }
                "BOUNDS" => {
                    assert_eq!(fields[1], "BND", "{line}");
                    let j = columns[fields[2]];
                    let variable = &mut model.variables[j];
                    match fields[0] {
                        "UP" => variable.upper = number(fields[3]),
                        "LO" => variable.lower = number(fields[3]),
                        "FX" => {
                            variable.lower = number(fields[3]);
                            variable.upper = variable.lower;
                        }
                        "FR" => (variable.lower, variable.upper) = (-INF, INF),
                        "MI" => variable.lower = -INF,
                        "PL" => variable.upper = INF,
                        other => panic!("bound type {other}"),
                    }
                    has_upper[j] |= fields[0] != "LO" && fields[0] != "MI";
                }
                other => panic!("unexpected line in section {other}: {line}"),
            }
        }
        assert_eq!(section, "ENDATA");
        for (variable, explicit) in model.variables.iter().zip(&has_upper) {
            assert!(
                variable.kind == VarKind::Continuous || *explicit,
                "integer column {} has no explicit upper bound",
                variable.name
            );
        }
        model
    }

    /// The objective as one summed coefficient per variable.
    fn dense_objective(model: &Model) -> Vec<u64> {
        let mut costs = vec![0.0f64; model.variables.len()];
        for (var, c) in &model.objective {
            costs[var.0] += c;
        }
        costs.iter().map(|c| c.to_bits()).collect()
    }

    /// Asserts `read` is `original`, every number bit for bit.
    fn assert_identical(original: &Model, read: &Model) {
        assert_eq!(read.variables.len(), original.variables.len());
        for (a, b) in original.variables.iter().zip(&read.variables) {
            assert_eq!(
                (a.kind, a.lower.to_bits(), a.upper.to_bits()),
                (b.kind, b.lower.to_bits(), b.upper.to_bits()),
                "{} [{}, {}] read as [{}, {}]",
                a.name,
                a.lower,
                a.upper,
                b.lower,
                b.upper
            );
        }
        assert_eq!(read.constraints.len(), original.constraints.len());
        let bits = |terms: &[(VarId, f64)]| -> Vec<(usize, u64)> {
            terms.iter().map(|(v, c)| (v.0, c.to_bits())).collect()
        };
        for (a, b) in original.constraints.iter().zip(&read.constraints) {
            assert_eq!(a.sense, b.sense, "{}", a.name);
            assert_eq!(a.rhs.to_bits(), b.rhs.to_bits(), "{}", a.name);
            assert_eq!(bits(&a.terms), bits(&b.terms), "{}", a.name);
        }
        assert_eq!(dense_objective(read), dense_objective(original));
        assert_eq!(
            read.objective_constant.to_bits(),
            original.objective_constant.to_bits()
        );
    }

    #[test]
    fn the_tiny_park_model_survives_an_mps_round_trip() {
        let park = crate::park::testing::tiny();
        let (_, formulation) = crate::pipeline::build(&park);
        let model = formulation.model;
        assert!(model.binary_count() > 0 && !model.constraints.is_empty());
        let read = read_mps(&to_mps(&model, "tiny").unwrap());
        assert_identical(&model, &read);
    }

    #[test]
    fn every_kind_of_bound_and_awkward_number_survives_an_mps_round_trip() {
        let mut model = Model::default();
        for (kind, lower, upper) in [
            (VarKind::Continuous, -INF, INF),
            (VarKind::Continuous, -INF, 7.0),
            (VarKind::Continuous, -INF, -3.0),
            (VarKind::Continuous, 0.0, -1.0),
            (VarKind::Continuous, 2.5, 2.5),
            (VarKind::Continuous, -0.0, INF),
            (VarKind::Continuous, 0.1, 0.1 + 0.2),
            (VarKind::Binary, 1.0, 1.0),
            (VarKind::Binary, 0.0, 0.0),
            (VarKind::Binary, 0.0, INF),
            (VarKind::Binary, -INF, INF),
            (VarKind::Binary, 0.0, 1.0),
            (VarKind::Continuous, 0.0, INF),
            (VarKind::Binary, 0.0, 1.0),
        ] {
            let i = model.variables.len();
            model.add_variable(format!("v[{i}]"), kind, lower, upper);
        }
        let terms = [
            (VarId(0), 1e-300),
            (VarId(1), f64::MAX),
            (VarId(2), 5e-324),
            (VarId(6), 0.1 + 0.2),
            (VarId(13), -1.0 / 3.0),
        ];
        model.add_constraint("t", "a".into(), terms, Sense::Le, -0.0);
        model.add_constraint("t", "empty".into(), [], Sense::Ge, 1.0 / 3.0);
        model.add_constraint("t", "b".into(), [(VarId(7), 2.0)], Sense::Eq, f64::MIN);
        // Column 12 has no entry at all; column 3's cost comes in two pieces.
        model.objective = vec![(VarId(3), 0.1), (VarId(0), -2.0), (VarId(3), 0.2)];
        model.objective_constant = -1.0 / 7.0;
        let mps = to_mps(&model, "zoo").unwrap();
        assert!(mps.contains(" LO BND  x3  0\n UP BND  x3  -1\n"), "{mps}");
        assert!(mps.contains(" MI BND  x1\n UP BND  x1  7\n"), "{mps}");
        assert!(mps.contains(" PL BND  x9\n"), "{mps}");
        assert!(mps.contains("    x12  OBJ  0\n"), "{mps}");
        assert_identical(&model, &read_mps(&mps));
        // The LP file writes the same bounds with its own keywords.
        let lp = to_lp(&model, "zoo").unwrap();
        for line in [
            " x0 free\n",
            " -inf <= x1 <= 7\n",
            " 0 <= x3 <= -1\n",
            " x4 = 2.5\n",
            " x5 >= -0\n",
            " x7 = 1\n",
            " x10 free\n",
            " c1: + 0 x0 >= 0.3333333333333333\n",
            "Binaries\n x11\n x13\nGenerals\n x7\n x8\n x9\n x10\nEnd\n",
        ] {
            assert!(lp.contains(line), "{line:?} in\n{lp}");
        }
    }
}

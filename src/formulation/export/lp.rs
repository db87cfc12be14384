//! The CPLEX LP writer.

use super::{is_positive_zero, push_fmt, push_number, safe_model_name, validated_costs};
use super::{ExportError, Model, Sense, VarKind, Variable};

/// Longest LP line written, well under the 255 characters some readers allow.
const LP_LINE_LIMIT: usize = 100;

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
    write_objective(&mut out, model, &costs);
    write_constraints(&mut out, model);
    write_bounds(&mut out, model);
    write_integers(&mut out, model);
    out.push_str("End\n");
    Ok(out)
}

/// The objective `obj`: every column in order, zero costs included (see
/// [`to_lp`]), then the objective constant.
fn write_objective(out: &mut String, model: &Model, costs: &[f64]) {
    let mut term = String::with_capacity(64);
    let mut line = out.len();
    out.push_str(" obj:");
    for (j, cost) in costs.iter().enumerate() {
        lp_term(out, &mut line, &mut term, *cost, Some(j));
    }
    if costs.is_empty() || !is_positive_zero(model.objective_constant) {
        lp_term(out, &mut line, &mut term, model.objective_constant, None);
    }
    out.push('\n');
}

/// The `Subject To` section: row `c<i>` for constraint `i`.
fn write_constraints(out: &mut String, model: &Model) {
    let columns = model.variables.len();
    let mut term = String::with_capacity(64);
    out.push_str("Subject To\n");
    for (i, constraint) in model.constraints.iter().enumerate() {
        let mut line = out.len();
        push_fmt(out, format_args!(" c{i}:"));
        for (var, coefficient) in &constraint.terms {
            lp_term(out, &mut line, &mut term, *coefficient, Some(var.0));
        }
        if constraint.terms.is_empty() {
            // An expression needs a term; a constant alone would be read as
            // a left-hand-side constant and dropped.
            lp_term(out, &mut line, &mut term, 0.0, (columns > 0).then_some(0));
        }
        term.clear();
        term.push_str(match constraint.sense {
            Sense::Le => " <= ",
            Sense::Eq => " = ",
            Sense::Ge => " >= ",
        });
        push_number(&mut term, constraint.rhs);
        lp_push(out, &mut line, &term);
        out.push('\n');
    }
}

/// The `Bounds` section, left out when every bound is a default: plain
/// binaries and columns over `[0, +inf)` need none.
fn write_bounds(out: &mut String, model: &Model) {
    let section = out.len();
    out.push_str("Bounds\n");
    let body = out.len();
    for (j, variable) in model.variables.iter().enumerate() {
        let (lower, upper) = (variable.lower, variable.upper);
        if is_plain_binary(variable) || (is_positive_zero(lower) && upper == f64::INFINITY) {
            continue;
        }
        if lower == f64::NEG_INFINITY && upper == f64::INFINITY {
            push_fmt(out, format_args!(" x{j} free\n"));
        } else if lower == upper {
            push_fmt(out, format_args!(" x{j} = "));
            push_number(out, lower);
            out.push('\n');
        } else if upper == f64::INFINITY {
            push_fmt(out, format_args!(" x{j} >= "));
            push_number(out, lower);
            out.push('\n');
        } else {
            out.push(' ');
            if lower == f64::NEG_INFINITY {
                out.push_str("-inf");
            } else {
                push_number(out, lower);
            }
            push_fmt(out, format_args!(" <= x{j} <= "));
            push_number(out, upper);
            out.push('\n');
        }
    }
    drop_if_empty(out, section, body);
}

/// The `Binaries` section (plain binaries), then `Generals` (binaries
/// whose bounds were changed), each left out when empty.
fn write_integers(out: &mut String, model: &Model) {
    for (header, plain) in [("Binaries\n", true), ("Generals\n", false)] {
        let section = out.len();
        out.push_str(header);
        let body = out.len();
        for (j, variable) in model.variables.iter().enumerate() {
            if variable.kind == VarKind::Binary && is_plain_binary(variable) == plain {
                push_fmt(out, format_args!(" x{j}\n"));
            }
        }
        drop_if_empty(out, section, body);
    }
}

/// A binary with its natural bounds `[0, 1]`.
fn is_plain_binary(variable: &Variable) -> bool {
    variable.kind == VarKind::Binary && variable.lower == 0.0 && variable.upper == 1.0
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

#[cfg(test)]
mod tests {
    use super::super::tests::{hand, INF};
    use super::*;
    use crate::formulation::VarId;

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
}

//! The free-format MPS writer.

use super::{is_positive_zero, push_fmt, push_number, safe_model_name, validated_costs};
use super::{ExportError, Model, Sense, VarKind};

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
    write_rows(&mut out, model);
    write_columns(&mut out, model, &costs);
    write_rhs(&mut out, model);
    write_bounds(&mut out, model);
    out.push_str("ENDATA\n");
    Ok(out)
}

/// The `ROWS` after the objective row: `L`, `E` or `G` row `c<i>` for
/// constraint `i`.
fn write_rows(out: &mut String, model: &Model) {
    for (i, constraint) in model.constraints.iter().enumerate() {
        let kind = match constraint.sense {
            Sense::Le => 'L',
            Sense::Eq => 'E',
            Sense::Ge => 'G',
        };
        push_fmt(out, format_args!(" {kind}  c{i}\n"));
    }
}

/// The constraint matrix by column: the entries `(row, coefficient)` of
/// column `j` are `entries[start[j]..start[j + 1]]`, in row order.
fn by_column(model: &Model) -> (Vec<usize>, Vec<(usize, f64)>) {
    let columns = model.variables.len();
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
    let mut entries = vec![(0usize, 0.0f64); model.nonzero_count()];
    for (i, constraint) in model.constraints.iter().enumerate() {
        for (var, coefficient) in &constraint.terms {
            entries[next[var.0]] = (i, *coefficient);
            next[var.0] += 1;
        }
    }
    (start, entries)
}

/// The `COLUMNS` section: each column's objective cost and coefficients,
/// binaries between integer markers.
fn write_columns(out: &mut String, model: &Model, costs: &[f64]) {
    let (start, entries) = by_column(model);
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
            push_fmt(out, format_args!("    x{j}  OBJ  "));
            push_number(out, costs[j]);
            out.push('\n');
        }
        for (row, coefficient) in column {
            push_fmt(out, format_args!("    x{j}  c{row}  "));
            push_number(out, *coefficient);
            out.push('\n');
        }
    }
    if in_integers {
        out.push_str("    MARKER  'MARKER'  'INTEND'\n");
    }
}

/// The `RHS` section: minus the objective constant on `OBJ`, then every
/// right-hand side other than `+0`.
fn write_rhs(out: &mut String, model: &Model) {
    out.push_str("RHS\n");
    if !is_positive_zero(model.objective_constant) {
        out.push_str("    RHS  OBJ  ");
        push_number(out, -model.objective_constant);
        out.push('\n');
    }
    for (i, constraint) in model.constraints.iter().enumerate() {
        if !is_positive_zero(constraint.rhs) {
            push_fmt(out, format_args!("    RHS  c{i}  "));
            push_number(out, constraint.rhs);
            out.push('\n');
        }
    }
}

/// The `BOUNDS` section (see [`to_mps`]).
fn write_bounds(out: &mut String, model: &Model) {
    out.push_str("BOUNDS\n");
    for (j, variable) in model.variables.iter().enumerate() {
        let (lower, upper) = (variable.lower, variable.upper);
        let integer = variable.kind == VarKind::Binary;
        let mut bound = |keyword: &str, value: Option<f64>| {
            push_fmt(out, format_args!(" {keyword} BND  x{j}"));
            if let Some(value) = value {
                out.push_str("  ");
                push_number(out, value);
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
}

#[cfg(test)]
mod tests {
    use super::super::tests::{hand, INF};
    use super::*;
    use crate::formulation::export::to_lp;
    use crate::formulation::{Constraint, VarId, Variable};
    use std::collections::HashMap;

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

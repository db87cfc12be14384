//! Independent components of a model, solved apart and in parallel.
//!
//! After geographic pruning a region's candidate graph usually falls apart:
//! parks too far apart to exchange anything share no constraint. Variables
//! joined by constraints form connected components (found with petgraph's
//! union–find); the objective is a sum over variables, so each component
//! is a MILP of its own and the optimum of the whole is the union of the
//! components' optima. This is exact, not a heuristic. The components are
//! solved with rayon and their values put back by variable index, so the
//! result does not depend on the thread count.

use super::outcome::{SolveReport, Termination};
use crate::formulation::{Constraint, Model, VarId};
use petgraph::unionfind::UnionFind;
use rayon::prelude::*;

/// One component: its own model and where its variables sit in the whole.
#[derive(Debug, Clone)]
pub struct Component {
    /// The component as a model of its own (variables renumbered).
    pub model: Model,
    /// Index in the whole model of each of its variables, ascending.
    pub variables: Vec<usize>,
}

/// Splits `model` into its connected components, ordered by their lowest
/// variable index. Constraints without terms and the objective constant go
/// with the first component.
pub fn split(model: &Model) -> Vec<Component> {
    let n = model.variables.len();
    let mut sets = UnionFind::<usize>::new(n);
    for constraint in &model.constraints {
        if let Some(((first, _), rest)) = constraint.terms.split_first() {
            for (var, _) in rest {
                sets.union(first.0, var.0);
            }
        }
    }
    // Component of each variable, numbered by first appearance.
    let mut number_of_root = vec![usize::MAX; n];
    let mut component_of = vec![0; n];
    let mut components: Vec<Component> = Vec::new();
    let mut position = vec![0; n];
    for v in 0..n {
        let root = sets.find(v);
        if number_of_root[root] == usize::MAX {
            number_of_root[root] = components.len();
            components.push(Component {
                model: Model::default(),
                variables: Vec::new(),
            });
        }
        let c = number_of_root[root];
        component_of[v] = c;
        position[v] = components[c].variables.len();
        components[c].variables.push(v);
        components[c]
            .model
            .variables
            .push(model.variables[v].clone());
    }
    if components.is_empty() {
        return vec![Component {
            model: model.clone(),
            variables: Vec::new(),
        }];
    }
    let local = |var: VarId| VarId(position[var.0]);
    for constraint in &model.constraints {
        let c = constraint
            .terms
            .first()
            .map_or(0, |(var, _)| component_of[var.0]);
        components[c].model.constraints.push(Constraint {
            terms: constraint
                .terms
                .iter()
                .map(|&(var, k)| (local(var), k))
                .collect(),
            ..constraint.clone()
        });
    }
    for &(var, k) in &model.objective {
        components[component_of[var.0]]
            .model
            .objective
            .push((local(var), k));
    }
    components[0].model.objective_constant = model.objective_constant;
    components
}

/// Solves every component with `solve_one` in parallel and puts the
/// answers back together: one report for the whole and, when every
/// component has a plan, the values of all variables.
pub fn solve_split(model: &Model, solve_one: impl Fn(&Model) -> Solved + Sync) -> Solved {
    let components = split(model);
    if components.len() == 1 {
        return solve_one(model);
    }
    // Largest first, so that under a time limit the hard components start
    // while most of the time is left; results go back in component order.
    let mut order: Vec<usize> = (0..components.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(components[i].variables.len()));
    let mut solved: Vec<(usize, Solved)> = order
        .par_iter()
        .map(|&i| (i, solve_one(&components[i].model)))
        .collect();
    solved.sort_by_key(|(i, _)| *i);
    merge(
        model,
        &components,
        solved.into_iter().map(|(_, s)| s).collect(),
    )
}

/// What a backend returns for one model: its report and, with a plan, the values.
type Solved = (SolveReport, Option<Vec<f64>>);

/// How bad a termination is, for reporting the worst component's.
fn severity(termination: Termination) -> u8 {
    match termination {
        Termination::Optimal => 0,
        Termination::GapLimit => 1,
        Termination::OtherLimit => 2,
        Termination::TimeLimit => 3,
        Termination::InfeasibleOrUnbounded => 4,
        Termination::Unbounded => 5,
        Termination::Infeasible => 6,
        Termination::Error => 7,
    }
}

fn merge(model: &Model, components: &[Component], solved: Vec<Solved>) -> Solved {
    let largest = components
        .iter()
        .map(|c| c.variables.len())
        .max()
        .unwrap_or(0);
    let worst = solved
        .iter()
        .enumerate()
        .max_by_key(|(i, (report, values))| {
            (
                values.is_none(),
                severity(report.termination),
                std::cmp::Reverse(*i),
            )
        })
        .map(|(i, _)| i)
        .unwrap_or(0);
    let mut report = solved[worst].0.clone();
    report.components = components.len();
    report.largest_component_variables = largest;
    if let Some(message) = &report.message {
        report.message = Some(format!(
            "component {} of {}: {message}",
            worst + 1,
            components.len()
        ));
    }
    if solved.iter().any(|(_, values)| values.is_none()) {
        report.has_plan = false;
        report.objective_cny_per_year = None;
        report.best_bound_cny_per_year = None;
        report.gap = None;
        return (report, None);
    }
    let mut values = vec![0.0; model.variables.len()];
    for (component, (_, part)) in components.iter().zip(&solved) {
        if let Some(part) = part {
            for (&v, &x) in component.variables.iter().zip(part) {
                values[v] = x;
            }
        }
    }
    let objective = model.objective_value(&values);
    let bound: Option<f64> = solved.iter().map(|(r, _)| r.best_bound_cny_per_year).sum();
    report.has_plan = true;
    report.objective_cny_per_year = Some(objective);
    report.best_bound_cny_per_year = bound;
    report.gap = bound.map(|b| ((objective - b) / objective.abs().max(1e-9)).max(0.0));
    (report, Some(values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulation::{Sense, VarKind};

    /// Two independent knapsack-like pieces and a free variable.
    fn two_pieces() -> Model {
        let mut model = Model::default();
        let a = model.add_variable("a".into(), VarKind::Continuous, 0.0, 10.0);
        let x = model.add_variable("x".into(), VarKind::Binary, 0.0, 1.0);
        let b = model.add_variable("b".into(), VarKind::Continuous, 0.0, 10.0);
        let free = model.add_variable("free".into(), VarKind::Continuous, 0.0, 3.0);
        model.add_constraint(
            "t",
            "a_needs_x".into(),
            [(a, 1.0), (x, -10.0)],
            Sense::Le,
            0.0,
        );
        model.add_constraint("t", "b_at_least".into(), [(b, 1.0)], Sense::Ge, 4.0);
        model.objective = vec![(a, -2.0), (x, 5.0), (b, 1.0), (free, -1.0)];
        model.objective_constant = 7.0;
        model
    }

    #[test]
    fn independent_pieces_are_found_and_renumbered() {
        let parts = split(&two_pieces());
        let variables: Vec<&[usize]> = parts.iter().map(|p| p.variables.as_slice()).collect();
        assert_eq!(variables, [&[0, 1][..], &[2], &[3]]);
        assert_eq!(parts[1].model.constraints[0].terms, [(VarId(0), 1.0)]);
        assert_eq!(parts[0].model.objective_constant, 7.0);
        assert_eq!(parts[2].model.objective, [(VarId(0), -1.0)]);
    }

    #[test]
    fn solving_apart_gives_the_optimum_of_the_whole() {
        let model = two_pieces();
        let config = crate::solve::SolverConfig::default();
        let whole = crate::solve::solve_unsplit(&model, &config).unwrap();
        let apart = crate::solve::solve(&model, &config).unwrap();
        assert_eq!(apart.report.components, 3);
        assert_eq!(apart.report.largest_component_variables, 2);
        // a = 10 with x = 1 (−20 + 5), b = 4, free = 3, constant 7: −7.
        let objective = apart.report.objective_cny_per_year.unwrap();
        assert!((objective - -7.0).abs() < 1e-6, "{objective}");
        assert!((whole.report.objective_cny_per_year.unwrap() - objective).abs() < 1e-6);
        assert_eq!(apart.values.unwrap(), whole.values.unwrap());
    }

    #[test]
    fn the_lp_relaxation_bounds_every_shipped_park_from_below() {
        let config = crate::solve::SolverConfig::default();
        for name in ["tiny", "ningdong-chemical", "tangshan-caofeidian"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("parks/{name}/park.toml"));
            let (park, _) =
                crate::validate::load_and_validate(&path).unwrap_or_else(|r| panic!("{r}"));
            let (_, formulation) = crate::pipeline::build(&park);
            let relaxed = crate::solve::lp_relaxation(&formulation.model);
            assert_eq!(relaxed.binary_count(), 0);
            let lp = crate::solve::solve(&relaxed, &config)
                .unwrap()
                .report
                .objective_cny_per_year
                .unwrap();
            let milp = crate::solve::solve(&formulation.model, &config)
                .unwrap()
                .report
                .objective_cny_per_year
                .unwrap();
            assert!(
                lp <= milp + 1e-6 * milp.abs(),
                "{name}: LP {lp} above MILP {milp}"
            );
        }
    }

    #[test]
    fn one_infeasible_component_leaves_no_plan_and_says_which() {
        let mut model = two_pieces();
        let b = VarId(2);
        model.add_constraint("t", "b_at_most".into(), [(b, 1.0)], Sense::Le, 1.0);
        let outcome = crate::solve::solve(&model, &crate::solve::SolverConfig::default()).unwrap();
        assert!(outcome.values.is_none());
        assert_eq!(outcome.report.termination, Termination::Infeasible);
        assert!(!outcome.report.has_plan);
    }
}

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

use super::outcome::{relative_gap, SolverRecord, Termination};
use super::{SolverConfig, OPTIMAL_GAP};
use crate::formulation::{Constraint, Model, VarId};
use crate::progress::Progress;
use petgraph::unionfind::UnionFind;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// Whether a model is solved as its independent components or whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SolveAs {
    /// Split into its components ([`split`]), each solved apart.
    Components,
    /// As one MILP.
    OneModel,
}

/// What a backend returns for one model: its report and, with a plan, the values.
pub(crate) type Solved = (SolverRecord, Option<Vec<f64>>);

/// Most passes over the components: the first, then passes that tighten
/// the components whose gaps keep the park from the one asked for and
/// resume those stopped at their share of the time.
const MAX_PASSES: usize = 4;

/// Absolute gap a solver leaves within its tolerances, CNY per year per
/// component (HiGHS's default absolute MIP gap, 1e-6 in the solver's
/// units of a million CNY).
const TOLERANCE_CNY_PER_YEAR: f64 = 1.0;

/// Solves `model` — split into its components or as one model, as
/// `solve_as` says — with `solve_one` (a component, its settings, its start) and puts the
/// answers back together: one report for the whole park and, when every
/// component has a plan, the values of all variables.
///
/// The park's gap is held to `config.mip_gap`. Each component is first
/// solved to that relative gap, largest first with its share of the time
/// (see [`Deadline`]). When components' objectives have both signs their
/// gaps add up to more than the relative gap of the sum; then, while time
/// is left, the components whose gaps are too wide for the park's are
/// solved again from their plan so far to the relative gap that makes the
/// sum hold (`g · |Σ objectives| / Σ |objectives|`), as are components
/// stopped at their share, with the time the others handed back. A
/// component keeps its best plan and its highest bound over all passes.
pub(crate) fn solve_parts(
    model: &Model,
    config: &SolverConfig,
    start: Option<&[f64]>,
    solve_as: SolveAs,
    solve_one: impl Fn(&Model, &SolverConfig, Option<&[f64]>) -> Solved + Sync,
) -> Solved {
    let components = match solve_as {
        SolveAs::Components => split(model),
        SolveAs::OneModel => vec![Component {
            model: model.clone(),
            variables: (0..model.variables.len()).collect(),
        }],
    };
    let starts: Vec<Option<Vec<f64>>> = components
        .iter()
        .map(|c| start.map(|s| c.variables.iter().map(|&v| s[v]).collect()))
        .collect();
    let ends = config
        .time_limit_s
        .map(|limit| Instant::now() + Duration::from_secs_f64(limit));
    let progress = Progress::start(components.len(), "components");
    let tally = Mutex::new(Tally::default());
    // One pass: the components in `pending` solved to their targets,
    // largest first (under a time limit the hard ones start while most of
    // the time is left), each from its plan so far or the start given.
    let run_pass = |pass: usize, mut pending: Vec<(usize, Target)>, parts: &[Part]| {
        pending.sort_by_key(|&(i, _)| (std::cmp::Reverse(components[i].variables.len()), i));
        let sizes = pending.iter().map(|&(i, _)| components[i].variables.len());
        let deadline = Deadline::new(ends, sizes.sum());
        pending
            .par_iter()
            .map(|&(i, target)| {
                let size = components[i].variables.len();
                let sliced = SolverConfig {
                    mip_gap: target.relative,
                    mip_abs_gap_cny_per_year: Some(target.absolute_cny_per_year),
                    ..deadline.config_now(config, size)
                };
                let from = match parts.get(i) {
                    Some(part) => part.values.as_deref(),
                    None => starts[i].as_deref(),
                };
                let solved = solve_one(&components[i].model, &sliced, from);
                let mut tally = tally.lock().unwrap_or_else(|e| e.into_inner());
                if pass == 0 {
                    tally.add(&solved.0);
                }
                progress.done_one();
                progress.say(|| tally.describe(pass, ends));
                (i, solved)
            })
            .collect::<Vec<(usize, Solved)>>()
    };
    let first = (0..components.len())
        .map(|i| (i, Target::first(config.mip_gap)))
        .collect();
    let mut solved = run_pass(0, first, &[]);
    solved.sort_by_key(|(i, _)| *i);
    let mut parts: Vec<Part> = solved.into_iter().map(|(_, s)| Part::from(s)).collect();
    let mut resumed = vec![false; components.len()];
    for pass in 1..MAX_PASSES {
        let time_left = ends.is_none_or(|ends| Instant::now() < ends);
        let pending = match time_left {
            true => still_to_do(&parts, config.mip_gap),
            false => Vec::new(),
        };
        if pending.is_empty() {
            break;
        }
        progress.add_to_total(pending.len());
        // This pass shows the park's figures as they were when it began.
        let mut before = Tally::default();
        for part in &parts {
            before.add(&part.solver);
        }
        *tally.lock().unwrap_or_else(|e| e.into_inner()) = before;
        let mut again: Vec<Option<Solved>> = parts.iter().map(|_| None).collect();
        for (i, solved) in run_pass(pass, pending, &parts) {
            resumed[i] = true;
            again[i] = Some(solved);
        }
        parts = parts
            .into_iter()
            .zip(again)
            .map(|(part, again)| match again {
                Some(solved) => part.and(solved),
                None => part,
            })
            .collect();
    }
    merge(model, &components, parts, &resumed, config.mip_gap)
}

/// A component's best so far: the report of its latest solve, with the
/// best plan and the highest bound of all its solves.
#[derive(Debug, Clone)]
struct Part {
    solver: SolverRecord,
    values: Option<Vec<f64>>,
}

impl From<Solved> for Part {
    fn from((report, values): Solved) -> Part {
        Part {
            solver: report,
            values,
        }
    }
}

impl Part {
    /// This part after another solve of the same component.
    fn and(self, (mut report, values): Solved) -> Part {
        let better = match (
            &values,
            report.objective_cny_per_year,
            self.solver.objective_cny_per_year,
        ) {
            (Some(_), Some(new), Some(old)) => new < old,
            (Some(_), _, None) => true,
            _ => false,
        };
        let bound = match (
            report.best_bound_cny_per_year,
            self.solver.best_bound_cny_per_year,
        ) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let (objective, values) = match better {
            true => (report.objective_cny_per_year, values),
            false => (self.solver.objective_cny_per_year, self.values),
        };
        if values.is_some() {
            if !better {
                report.backend = self.solver.backend;
            }
            report.has_plan = true;
            report.objective_cny_per_year = objective;
            report.best_bound_cny_per_year = bound.zip(objective).map(|(b, o)| b.min(o));
            report.gap = objective
                .zip(report.best_bound_cny_per_year)
                .map(|(o, b)| relative_gap(o, b));
            report.message = None;
            if report.gap.is_some_and(|gap| gap <= OPTIMAL_GAP) {
                report.termination = Termination::Optimal;
            } else if report.termination == Termination::Optimal {
                report.termination = Termination::GapLimit;
            }
        }
        Part {
            solver: report,
            values,
        }
    }

    /// Objective less bound, CNY per year (none without both).
    fn absolute_gap(&self) -> Option<f64> {
        self.solver.absolute_gap_cny_per_year()
    }
}

/// What one solve of a component is to reach: a relative gap and an
/// absolute one; HiGHS stops at whichever it meets first, microlp at the
/// relative one.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Target {
    relative: f64,
    absolute_cny_per_year: f64,
}

/// The size below which a component's first solve stops on an absolute
/// gap (`gap ×` this) rather than on its relative one, CNY per year: a
/// component whose plan saves or costs next to nothing would otherwise be
/// pushed to close a relative gap of next to nothing (seen: a minute of
/// HiGHS on a component microlp solves in a fifth of a second). The
/// passes after it give such components their share of the park's gap.
const FIRST_PASS_SIZE_CNY_PER_YEAR: f64 = 1e6;

impl Target {
    /// The first solve of every component.
    fn first(gap: f64) -> Target {
        Target {
            relative: gap,
            absolute_cny_per_year: gap * FIRST_PASS_SIZE_CNY_PER_YEAR,
        }
    }
}

/// The components to solve again and what each is to reach: none when
/// the park's gap is within `gap`, or when a component has failed for
/// good (infeasible, an error) and the park has no plan anyway.
///
/// The park may be `gap · |O|` from its bound (`O` the sum of the
/// components' objectives `o_i`). Components within their share of it
/// keep their gaps; the rest of it is shared among the others in
/// proportion to `|o_i| + |O|/n` — their size, with a floor so that
/// components of next to nothing still have a gap they can reach — and
/// those whose gaps are wider than their share are solved again to it.
fn still_to_do(parts: &[Part], gap: f64) -> Vec<(usize, Target)> {
    let hopeless = parts.iter().any(|p| {
        p.values.is_none()
            && !matches!(
                p.solver.termination,
                Termination::TimeLimit | Termination::OtherLimit
            )
    });
    if hopeless {
        return Vec::new();
    }
    let size_of = |p: &Part| p.solver.objective_cny_per_year.map_or(0.0, f64::abs);
    let objective: f64 = parts
        .iter()
        .filter_map(|p| p.solver.objective_cny_per_year)
        .sum();
    let allowed = gap * objective.abs().max(1.0);
    let tolerance = TOLERANCE_CNY_PER_YEAR * parts.len() as f64;
    let total_gap: Option<f64> = parts.iter().map(Part::absolute_gap).sum();
    if parts.iter().all(|p| p.values.is_some())
        && total_gap.is_some_and(|g| g <= allowed + tolerance)
    {
        return Vec::new();
    }
    let floor = objective.abs() / parts.len() as f64;
    let weight = |p: &Part| size_of(p) + floor;
    // Components already within their share keep their gap; what they
    // leave of theirs goes to the others, which may bring more of them
    // within reach: repeat until none moves.
    let mut wide: Vec<bool> = parts.iter().map(|_| true).collect();
    let mut share = vec![0.0; parts.len()];
    loop {
        let kept: f64 = parts
            .iter()
            .zip(&wide)
            .filter(|(_, &w)| !w)
            .filter_map(|(p, _)| p.absolute_gap())
            .sum();
        let weights: f64 = parts
            .iter()
            .zip(&wide)
            .filter(|(_, &w)| w)
            .map(|(p, _)| weight(p))
            .sum::<f64>()
            .max(1.0);
        let mut moved = false;
        for (i, p) in parts.iter().enumerate() {
            if !wide[i] {
                continue;
            }
            share[i] = (allowed - kept).max(0.0) * weight(p) / weights;
            if p.absolute_gap()
                .is_some_and(|g| g <= share[i] + TOLERANCE_CNY_PER_YEAR)
            {
                wide[i] = false;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    parts
        .iter()
        .enumerate()
        .filter(|(i, _)| wide[*i])
        .map(|(i, p)| {
            let target = Target {
                relative: (share[i] / size_of(p).max(1.0)).min(gap),
                absolute_cny_per_year: share[i],
            };
            (i, target)
        })
        .collect()
}

/// The park's figures over the components solved so far, for the progress bar.
#[derive(Default)]
struct Tally {
    objective: f64,
    bound: f64,
    without_bound: usize,
}

impl Tally {
    fn add(&mut self, report: &SolverRecord) {
        match (
            report.objective_cny_per_year,
            report.best_bound_cny_per_year,
        ) {
            (Some(objective), Some(bound)) => {
                self.objective += objective;
                self.bound += bound;
            }
            _ => self.without_bound += 1,
        }
    }

    /// The message after the count in pass `pass` (0 the first).
    fn describe(&self, pass: usize, ends: Option<Instant>) -> String {
        let gap = match self.without_bound {
            0 => format!(
                "gap {:.4} %",
                100.0 * relative_gap(self.objective, self.bound)
            ),
            n => format!("gap n/a ({n} without a bound)"),
        };
        let gap = match pass {
            0 => gap,
            _ => format!(
                "solving again to hold the park's gap ({gap} before pass {})",
                pass + 1
            ),
        };
        match ends {
            Some(ends) => format!(
                "· {gap} · {:.0} s left",
                ends.saturating_duration_since(Instant::now()).as_secs_f64()
            ),
            None => format!("· {gap}"),
        }
    }
}

/// Least time a component is given once the deadline has passed, s: enough
/// for a small component's presolve to find its plan, short enough that the
/// whole solve still ends within about a second of the limit.
const LAST_SLICE_S: f64 = 0.01;

/// The time limit of a whole solve, shared out among its components.
///
/// A component starting now gets its share of what is left, in proportion
/// to its size among the components not started yet (times the threads
/// solving side by side), and never more than what is left. Components
/// start largest first; small ones finish in milliseconds and hand back
/// the rest of their share, so the hard ones get most of the time, yet
/// no component is left with nothing because one before it took it all.
struct Deadline {
    ends: Option<Instant>,
    /// Variables of the components not started yet.
    unstarted: AtomicUsize,
    /// Components solved at once.
    threads: usize,
}

impl Deadline {
    fn new(ends: Option<Instant>, unstarted: usize) -> Deadline {
        Deadline {
            ends,
            unstarted: unstarted.into(),
            threads: rayon::current_num_threads().max(1),
        }
    }

    /// The settings for a component of `size` variables starting now.
    fn config_now(&self, config: &SolverConfig, size: usize) -> SolverConfig {
        let unstarted = self.unstarted.fetch_sub(size, Ordering::SeqCst).max(size);
        let time_limit_s = self.ends.map(|ends| {
            let left = ends.saturating_duration_since(Instant::now()).as_secs_f64();
            let share = left * (self.threads * size) as f64 / unstarted as f64;
            share.min(left).max(LAST_SLICE_S)
        });
        SolverConfig {
            time_limit_s,
            ..config.clone()
        }
    }
}

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

/// The park's report from its components': the worst component's
/// termination when one has no plan; otherwise the park's objective, bound
/// and gap (sums over the components), optimal or a gap limit only when
/// the park's gap is within `gap`, else the worst component's reason.
fn merge(
    model: &Model,
    components: &[Component],
    parts: Vec<Part>,
    resumed: &[bool],
    gap: f64,
) -> Solved {
    let worst = parts
        .iter()
        .enumerate()
        .max_by_key(|(i, part)| {
            (
                part.values.is_none(),
                severity(part.solver.termination),
                std::cmp::Reverse(*i),
            )
        })
        .map(|(i, _)| i)
        .unwrap_or(0);
    let mut report = parts[worst].solver.clone();
    report.components = components.len();
    report.largest_component_variables = components
        .iter()
        .map(|c| c.variables.len())
        .max()
        .unwrap_or(0);
    report.components_by_backend = BTreeMap::new();
    for backend in parts.iter().flat_map(|part| part.solver.backend.iter()) {
        *report.components_by_backend.entry(backend).or_default() += 1;
    }
    report.backend = report.components_by_backend.keys().copied().collect();
    report.resumed_components = resumed.iter().filter(|&&r| r).count();
    report.requested_gap = Some(gap);
    if components.len() > 1 {
        if let Some(message) = &report.message {
            report.message = Some(format!(
                "component {} of {}: {message}",
                worst + 1,
                components.len()
            ));
        }
    }
    if parts.iter().any(|part| part.values.is_none()) {
        report.has_plan = false;
        report.objective_cny_per_year = None;
        report.best_bound_cny_per_year = None;
        report.gap = None;
        return (report, None);
    }
    let mut values = vec![0.0; model.variables.len()];
    for (component, part) in components.iter().zip(&parts) {
        if let Some(part_values) = &part.values {
            for (&v, &x) in component.variables.iter().zip(part_values) {
                values[v] = x;
            }
        }
    }
    let objective = model.objective_value(&values);
    let bound = parts
        .iter()
        .map(|part| part.solver.best_bound_cny_per_year)
        .sum::<Option<f64>>()
        .map(|bound| bound.min(objective));
    report.has_plan = true;
    report.message = None;
    report.objective_cny_per_year = Some(objective);
    report.best_bound_cny_per_year = bound;
    report.gap = bound.map(|bound| relative_gap(objective, bound));
    let tolerance = TOLERANCE_CNY_PER_YEAR * parts.len() as f64;
    let absolute = bound.map(|bound| objective - bound);
    report.termination = match absolute {
        Some(a) if a <= tolerance || report.gap.is_some_and(|g| g <= OPTIMAL_GAP) => {
            Termination::Optimal
        }
        Some(a) if a <= gap * objective.abs().max(1.0) + tolerance => Termination::GapLimit,
        _ => {
            let worst = parts
                .iter()
                .map(|part| part.solver.termination)
                .max_by_key(|&t| severity(t))
                .unwrap_or(Termination::OtherLimit);
            match worst {
                // Every component met its own gap, yet the park's is wider
                // (passes ran out): not a gap limit.
                Termination::Optimal | Termination::GapLimit => {
                    report.message = Some(format!(
                        "the park's gap stayed above the {:.4} % asked for after {MAX_PASSES} passes over the components",
                        gap * 100.0
                    ));
                    Termination::OtherLimit
                }
                other => other,
            }
        }
    };
    (report, Some(values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulation::{Sense, VarKind};
    use crate::solve::Backend;

    #[test]
    fn components_share_one_time_limit() {
        let config = SolverConfig {
            time_limit_s: Some(10.0),
            ..SolverConfig::default()
        };
        let deadline = |left_s: f64, unstarted: usize| Deadline {
            ends: Some(Instant::now() + Duration::from_secs_f64(left_s)),
            unstarted: unstarted.into(),
            threads: 2,
        };
        let limit = |d: &Deadline, size: usize| d.config_now(&config, size).time_limit_s.unwrap();
        // A component of a tenth of the model, two threads: a fifth of the 10 s.
        let share = limit(&deadline(10.0, 1000), 100);
        assert!(share > 1.9 && share <= 2.0, "{share}");
        // The last component, or the whole model, gets all that is left.
        let whole = limit(&deadline(6.0, 100), 100);
        assert!(whole > 5.9 && whole <= 6.0, "{whole}");
        // Past the limit, only the last slice.
        assert_eq!(limit(&deadline(0.0, 100), 100), LAST_SLICE_S);
        // Shares are taken from what is not started yet.
        let d = deadline(10.0, 1000);
        let _ = limit(&d, 500);
        let next = limit(&d, 500);
        assert!(next > 9.9 && next <= 10.0, "{next}");
        // No limit, none given.
        let unlimited = Deadline::new(None, 0);
        assert_eq!(
            unlimited
                .config_now(&SolverConfig::default(), 0)
                .time_limit_s,
            None
        );
    }

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
        assert_eq!(apart.solver.components, 3);
        assert_eq!(apart.solver.largest_component_variables, 2);
        // a = 10 with x = 1 (−20 + 5), b = 4, free = 3, constant 7: −7.
        let objective = apart.solver.objective_cny_per_year.unwrap();
        assert!((objective - -7.0).abs() < 1e-6, "{objective}");
        assert!((whole.solver.objective_cny_per_year.unwrap() - objective).abs() < 1e-6);
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
                .solver
                .objective_cny_per_year
                .unwrap();
            let milp = crate::solve::solve(&formulation.model, &config)
                .unwrap()
                .solver
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
        assert_eq!(outcome.solver.termination, Termination::Infeasible);
        assert!(!outcome.solver.has_plan);
    }

    /// A report of `backend` with a plan of `objective` and a bound.
    fn report(
        backend: Backend,
        objective: f64,
        bound: f64,
        termination: Termination,
    ) -> SolverRecord {
        let mut report = SolverRecord::new(backend, 1);
        report.termination = termination;
        report.has_plan = true;
        report.objective_cny_per_year = Some(objective);
        report.best_bound_cny_per_year = Some(bound);
        report.gap = Some(relative_gap(objective, bound));
        report
    }

    /// A component's part solved by microlp with a plan of `objective` and a bound.
    fn part(objective: f64, bound: f64, termination: Termination) -> Part {
        Part {
            solver: report(Backend::Microlp, objective, bound, termination),
            values: Some(vec![0.0]),
        }
    }

    #[test]
    fn components_of_both_signs_are_tightened_until_the_parks_gap_holds() {
        // Each within 1 % of itself; the park: objective 100,000, bound 81,000,
        // a gap of 19 %.
        let parts = [
            part(1.0e6, 0.99e6, Termination::GapLimit),
            part(-0.9e6, -0.909e6, Termination::GapLimit),
        ];
        let again = still_to_do(&parts, 0.01);
        // The park may be 1 % of 100,000 = 1,000 CNY from its bound,
        // shared as (|o_i| + 50,000) / 2,000,000: 525 and 475.
        assert_eq!(again.len(), 2);
        for ((component, target), (i, share, size)) in again
            .into_iter()
            .zip([(0, 525.0, 1.0e6), (1, 475.0, 0.9e6)])
        {
            assert_eq!(component, i);
            assert!(
                (target.absolute_cny_per_year - share).abs() < 1e-9,
                "{target:?}"
            );
            assert!((target.relative - share / size).abs() < 1e-15, "{target:?}");
        }
        // A component of next to nothing still gets a share it can reach.
        let parts = [
            part(1.0e6, 0.99e6, Termination::GapLimit),
            part(0.0, -5000.0, Termination::TimeLimit),
        ];
        let again = still_to_do(&parts, 0.01);
        assert_eq!(again[1].0, 1);
        assert!(again[1].1.absolute_cny_per_year > 1000.0, "{again:?}");
        // Within the park's gap: nothing more to do.
        let parts = [
            part(1.0e6, 0.9996e6, Termination::GapLimit),
            part(-0.9e6, -0.9004e6, Termination::GapLimit),
        ];
        assert!(still_to_do(&parts, 0.01).is_empty());
        // A component proven infeasible: no plan whatever the others do.
        let mut infeasible = SolverRecord::new(Backend::Microlp, 1);
        infeasible.termination = Termination::Infeasible;
        let parts = [
            part(1.0e6, 0.0, Termination::TimeLimit),
            Part {
                solver: infeasible,
                values: None,
            },
        ];
        assert!(still_to_do(&parts, 0.01).is_empty());
    }

    #[test]
    fn a_gap_limit_is_said_only_when_the_parks_gap_is_within_the_one_asked() {
        let model = {
            let mut model = Model::default();
            model.add_variable("a".into(), VarKind::Continuous, 0.0, 1.0);
            model.add_variable("b".into(), VarKind::Continuous, 0.0, 1.0);
            model.objective = vec![(VarId(0), 1.0e6), (VarId(1), -0.9e6)];
            model
        };
        let components = split(&model);
        let merged = |parts: [Part; 2]| {
            let parts = parts.into_iter().map(|mut p| {
                p.values = Some(vec![1.0]);
                p
            });
            merge(&model, &components, parts.collect(), &[false, true], 0.01).0
        };
        let wide = merged([
            part(1.0e6, 0.99e6, Termination::GapLimit),
            part(-0.9e6, -0.909e6, Termination::TimeLimit),
        ]);
        assert_eq!(wide.termination, Termination::TimeLimit);
        assert!((wide.gap.unwrap() - 0.19).abs() < 1e-12, "{:?}", wide.gap);
        assert_eq!(wide.resumed_components, 1);
        assert_eq!(wide.requested_gap, Some(0.01));
        let passes_ran_out = merged([
            part(1.0e6, 0.99e6, Termination::GapLimit),
            part(-0.9e6, -0.909e6, Termination::GapLimit),
        ]);
        assert_eq!(passes_ran_out.termination, Termination::OtherLimit);
        let within = merged([
            part(1.0e6, 0.9996e6, Termination::GapLimit),
            part(-0.9e6, -0.9004e6, Termination::GapLimit),
        ]);
        assert_eq!(within.termination, Termination::GapLimit);
        assert!(within.best_bound_cny_per_year.unwrap() <= within.objective_cny_per_year.unwrap());
        assert_eq!(
            within.components_by_backend.get(&Backend::Microlp),
            Some(&2)
        );
    }

    #[test]
    fn a_component_solved_again_keeps_its_best_plan_and_highest_bound() {
        let before = part(100.0, 90.0, Termination::TimeLimit);
        // The second solve found no better plan but a higher bound.
        let again = report(Backend::Highs, 105.0, 99.0, Termination::TimeLimit);
        let after = before.and((again, Some(vec![2.0])));
        assert_eq!(after.values, Some(vec![0.0]));
        assert_eq!(after.solver.objective_cny_per_year, Some(100.0));
        assert_eq!(after.solver.best_bound_cny_per_year, Some(99.0));
        assert!((after.solver.gap.unwrap() - 0.01).abs() < 1e-12);
        assert_eq!(after.solver.backend, Backend::Microlp);
        // A bound met by the plan is optimality.
        let closed = report(Backend::Highs, 99.0, 99.0, Termination::GapLimit);
        let optimal = after.and((closed, Some(vec![3.0])));
        assert_eq!(optimal.solver.termination, Termination::Optimal);
        assert_eq!(optimal.values, Some(vec![3.0]));
    }
}

//! The formulation stage, after the flow graph and before the solvers: the
//! MILP, written down solver-agnostically.
//!
//! The formulation turns the flow graph into a [`Model`]: named variables
//! with bounds (`variables.rs`), named linear constraints grouped in
//! families (one file per family under `constraints/`), and a linear
//! objective (`objective.rs`). Backends translate the model for one
//! solver; exporters and tests read it as plain data.
//!
//! # The model
//! Sets: waste streams *W*, heat sources *S*, heat users *H*, material users
//! *M*, projects *P*, edges *E* of the flow graph (candidate links, disposal,
//! market sales, current heat supply).
//!
//! Variables: flow sent on each edge `f_e ≥ 0`; throughput of each project
//! `x_p ≥ 0`; a binary `y_p` per project and `z_e` per link that has a fixed
//! cost (capex, pipes, conveyors, haulage contracts); one with no fixed cost
//! gets none, its bound standing in for the capacity constraint.
//!
//! Constraints (δ_e is the share of the flow sent that arrives):
//! - supply: `Σ_out f_e = t_w` for every waste stream (disposal is an edge);
//! - heat sources: `Σ_out f_e ≤ MW_s · h_s`;
//! - heat users: `Σ_in δ_e f_e = MW_h · h_h` (current supply is an edge);
//! - material users: `Σ_in f_e ≤ max_m`;
//! - projects: `Σ_in δ_e f_e = x_p` (material, power), `= (1 − 1/COP) x_p`
//!   (heat pump); `Σ_out f_e = yield_p · x_p` (material), `= x_p` (heat pump);
//! - capacity: `x_p ≤ U_p · y_p` and `f_e ≤ U_e · z_e`, where `U` is the
//!   tightest valid bound: the smaller of capacity and what can reach it;
//! - power: at every heat source, user and heat technology, the average MW
//!   of the heat links running at once fits its rating,
//!   `Σ f_e / h_e ≤ MW` with `h_e` the hours both ends of link `e` run.
//!
//! Objective: minimise `Σ c_e f_e + Σ F_e z_e + Σ c_p x_p + Σ F_p y_p`, where
//! each coefficient is cost plus the carbon price times CO2, taken from
//! [`crate::economics`].

pub mod constraints;
pub mod export;
pub mod numerics;
pub mod objective;
pub mod variables;

pub use constraints::targets::{TargetKind, TargetRow};
pub use variables::VarMap;

use crate::graph::FlowGraph;
use crate::park::Park;
use constraints::targets::TargetRows;
use serde::Serialize;

/// Index of a variable in a [`Model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct VarId(pub usize);

/// Continuous or binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VarKind {
    /// A real number within its bounds.
    Continuous,
    /// 0 or 1.
    Binary,
}

/// A variable's definition.
#[derive(Debug, Clone, Serialize)]
pub struct Variable {
    /// Unique readable name.
    pub name: String,
    /// Continuous or binary.
    pub kind: VarKind,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

/// `≤`, `=` or `≥`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sense {
    /// Left side at most the right side.
    Le,
    /// Left side equal to the right side.
    Eq,
    /// Left side at least the right side.
    Ge,
}

/// A linear constraint `Σ coefficient · variable (sense) rhs`.
#[derive(Debug, Clone, Serialize)]
pub struct Constraint {
    /// Unique readable name.
    pub name: String,
    /// The family it belongs to: `balance`, `capacity`, `power` or
    /// `targets` (each a file under `constraints/`), or `analysis` (the rows
    /// an analysis adds, `constraints/variants.rs`).
    pub family: &'static str,
    /// Terms, sorted by variable.
    pub terms: Vec<(VarId, f64)>,
    /// Direction.
    pub sense: Sense,
    /// Right-hand side.
    pub rhs: f64,
}

/// A MILP: minimise `objective · x + objective_constant`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Model {
    /// Variables.
    pub variables: Vec<Variable>,
    /// Constraints.
    pub constraints: Vec<Constraint>,
    /// Objective coefficients, CNY per year per unit.
    pub objective: Vec<(VarId, f64)>,
    /// Constant term of the objective, CNY per year.
    pub objective_constant: f64,
}

impl Model {
    /// Adds a variable and returns its id.
    pub fn add_variable(&mut self, name: String, kind: VarKind, lower: f64, upper: f64) -> VarId {
        self.variables.push(Variable {
            name,
            kind,
            lower,
            upper,
        });
        VarId(self.variables.len() - 1)
    }

    /// Adds a constraint, merging repeated variables and dropping zero terms.
    pub fn add_constraint(
        &mut self,
        family: &'static str,
        name: String,
        terms: impl IntoIterator<Item = (VarId, f64)>,
        sense: Sense,
        rhs: f64,
    ) {
        let mut terms: Vec<(VarId, f64)> = terms.into_iter().collect();
        terms.sort_by_key(|(var, _)| *var);
        let mut merged: Vec<(VarId, f64)> = Vec::with_capacity(terms.len());
        for (var, coefficient) in terms {
            match merged.last_mut() {
                Some((last, total)) if *last == var => *total += coefficient,
                _ => merged.push((var, coefficient)),
            }
        }
        merged.retain(|(_, coefficient)| *coefficient != 0.0);
        self.constraints.push(Constraint {
            name,
            family,
            terms: merged,
            sense,
            rhs,
        });
    }

    /// Number of binary variables.
    pub fn binary_count(&self) -> usize {
        self.variables
            .iter()
            .filter(|v| v.kind == VarKind::Binary)
            .count()
    }

    /// Number of nonzero constraint coefficients.
    pub fn nonzero_count(&self) -> usize {
        self.constraints.iter().map(|c| c.terms.len()).sum()
    }

    /// Objective value of an assignment.
    pub fn objective_value(&self, values: &[f64]) -> f64 {
        self.objective_constant
            + self
                .objective
                .iter()
                .map(|(var, c)| c * values[var.0])
                .sum::<f64>()
    }

    /// Size figures for reports.
    pub fn size(&self) -> ModelSize {
        ModelSize {
            variables: self.variables.len(),
            binaries: self.binary_count(),
            constraints: self.constraints.len(),
            nonzeros: self.nonzero_count(),
        }
    }
}

/// How big a model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ModelSize {
    /// Variables.
    pub variables: usize,
    /// Of which binary.
    pub binaries: usize,
    /// Constraints.
    pub constraints: usize,
    /// Nonzero coefficients.
    pub nonzeros: usize,
}

/// The model and the map from graph to variables.
#[derive(Debug, Clone)]
pub struct Formulation {
    /// The MILP.
    pub model: Model,
    /// Graph element → variable.
    pub vars: VarMap,
    /// Cost and CO2 per unit of each variable, apart.
    pub coefficients: objective::Coefficients,
    /// The rows of the park's `[targets]`.
    pub targets: Vec<TargetRow>,
}

/// Builds the MILP for a park's flow graph.
pub fn formulate(park: &Park, graph: &FlowGraph) -> Formulation {
    formulate_with(park, graph, TargetRows::Binding)
}

/// Builds the *elastic* MILP of a park whose targets cannot all be met:
/// every target row may fall short, and the objective is the sum of the
/// shortfalls, each over its target's scale (parts per million of the
/// park's waste, heat, CO2 today, or of the budget). Its optimum is as
/// close to the targets as the park can come.
pub fn formulate_elastic(park: &Park, graph: &FlowGraph) -> Formulation {
    let mut formulation = formulate_with(park, graph, TargetRows::Elastic);
    formulation.model.objective = formulation
        .targets
        .iter()
        .filter_map(|row| row.shortfall.map(|s| (s, 1e6 / row.scale)))
        .collect();
    formulation
}

/// The MILP with its target rows binding or elastic.
fn formulate_with(park: &Park, graph: &FlowGraph, target_rows: TargetRows) -> Formulation {
    let mut model = Model::default();
    let vars = variables::define(park, graph, &mut model);
    constraints::balance::define(park, graph, &vars, &mut model);
    constraints::capacity::define(park, graph, &vars, &mut model);
    constraints::power::define(park, graph, &vars, &mut model);
    let coefficients = objective::define(park, graph, &vars, &mut model);
    let targets =
        constraints::targets::define(park, graph, &vars, &coefficients, &mut model, target_rows);
    Formulation {
        model,
        vars,
        coefficients,
        targets,
    }
}

#[cfg(test)]
mod tests {
    use crate::park::testing::{tiny, tiny_with};
    use crate::pipeline::build;

    #[test]
    fn tiny_model_has_one_binary_per_costly_link_and_project() {
        let (_, formulation) = build(&tiny());
        let size = formulation.model.size();
        // Flows: 3 links + disposal + market + current supply; throughput;
        // binaries: 3 links + 1 project.
        assert_eq!((size.variables, size.binaries), (11, 4));
    }

    #[test]
    fn links_and_projects_without_fixed_cost_get_no_binary() {
        let park = tiny_with(&[
            ("fixed_cny_per_year = 50000", "fixed_cny_per_year = 0"),
            ("capex_cny = 20000000", "capex_cny = 0"),
        ]);
        let (_, formulation) = build(&park);
        assert_eq!(formulation.model.binary_count(), 1, "only the steam pipe");
        assert!(formulation.vars.project_build[0].is_none());
    }

    #[test]
    fn big_ms_are_the_smaller_of_capacity_and_supply() {
        let (graph, formulation) = build(&tiny());
        // Classifier: 50,000 t capacity < 100,000 t of fly ash that can reach it.
        assert_eq!(graph.project_max_throughput[0], 50_000.0);
        let bound = |name: &str| {
            let v = formulation
                .model
                .variables
                .iter()
                .find(|v| v.name == name)
                .unwrap();
            v.upper
        };
        // Fly ash to the cement mill: its 60,000 t intake, not the 100,000 t stream.
        assert_eq!(
            bound("flow[waste:fly-ash->material_demand:cement-scm/truck]"),
            60_000.0
        );
        // Steam: min(10 MW source, 5 MW user) × 8,000 h.
        assert_eq!(
            bound("flow[heat_source:flue-heat->heat_demand:cement-steam/steam_pipe]"),
            40_000.0
        );
    }

    #[test]
    fn every_constraint_family_is_named_and_terms_are_sorted() {
        let (_, formulation) = build(&tiny());
        for constraint in &formulation.model.constraints {
            assert!(["balance", "capacity", "power"].contains(&constraint.family));
            assert!(
                constraint.terms.windows(2).all(|w| w[0].0 < w[1].0),
                "{}",
                constraint.name
            );
        }
        let names: std::collections::BTreeSet<_> = formulation
            .model
            .constraints
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            names.len(),
            formulation.model.constraints.len(),
            "names are unique"
        );
    }

    #[test]
    fn the_outside_market_takes_no_more_than_its_cap() {
        let park = tiny_with(&[(
            "product_price_cny_per_t = 100",
            "product_price_cny_per_t = 100\nmax_market_t_per_year = 20000",
        )]);
        let plan = crate::park::testing::optimal_plan(&park);
        assert_eq!(plan.market_sales[0].t_per_year, 20_000.0);
        assert_eq!(plan.projects[0].throughput, 20_000.0);
    }
}

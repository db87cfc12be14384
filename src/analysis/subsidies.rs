//! Subsidy priorities: for every candidate project and link class (a
//! transport mode put in use), the break-even subsidy (the smallest annual
//! support that makes it part of the cost-optimal plan: the cost of forcing
//! it in minus the optimum, or zero if already chosen), the CO2 it abates when it enters, and the support per tonne;
//! ranked into a marginal abatement cost curve. With a budget, the most CO2
//! one budget buys: by the greedy ranking, and by one MILP over the whole
//! park, which sees interactions the ranking cannot: minimise CO2 with a
//! support variable per project that must cover its owner's loss (the
//! participation constraint), the supports within the budget, and the park
//! as a whole, support included, no worse off than at its cost optimum
//! (link classes have no owner of their own: their cost falls on the park).
//!
//! The instruments a Chinese policy team already has are taken into
//! account: the carbon price is in the objective; the environmental
//! protection tax is part of today's disposal cost of waste records that
//! pay it, so the break-even already nets it; and the VAT refund on
//! resource comprehensive-utilisation products (the technology's
//! `vat_refund_fraction` of the VAT on its product) is reported per project
//! and netted in `break_even_after_vat_refund_cny_per_year` and in the
//! owner's accounts of the budget MILP. The refund is an upper estimate:
//! VAT on the whole sales value, before input-VAT credits.

use super::*;
use crate::economics::{self, OwnerTerms};
use crate::park::Project;
use crate::validate::MAX_MONEY_CNY;
use serde::Serialize;

/// What a row supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Supported {
    /// A candidate project.
    Project,
    /// A link class: a transport mode put in use.
    LinkClass,
}

/// One project's (or link class's) subsidy economics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubsidyRow {
    /// Project id, or the transport mode of a link class.
    pub project: String,
    /// A project or a link class.
    pub kind: Supported,
    /// Technology (a link class: its mode's name).
    pub technology: String,
    /// Whether the cost-optimal plan already builds (or uses) it.
    pub chosen_without_support: bool,
    /// Whether, forced in, it could run at the minimum load asked for
    /// (otherwise it was forced in at whatever load pays, possibly idle).
    pub runs_at_min_load: bool,
    /// Smallest annual support that brings it into the cost-optimal plan, CNY per year.
    pub break_even_subsidy_cny_per_year: f64,
    /// CO2 the park avoids when the project enters (or, if chosen, what
    /// leaving it out would add), t per year.
    pub co2_abated_t_per_year: f64,
    /// Support per tonne abated, CNY per t (none when it abates nothing).
    pub subsidy_per_t_cny: Option<f64>,
    /// VAT refund on its product in the plan that builds it, CNY per year.
    pub vat_refund_cny_per_year: f64,
    /// Break-even support still needed once the VAT refund is counted, CNY per year.
    pub break_even_after_vat_refund_cny_per_year: f64,
    /// Carbon price at which the same plan change would pay for itself,
    /// CNY per t (the park's price plus the support per tonne).
    pub implied_carbon_price_cny_per_t: Option<f64>,
}

impl SubsidyRow {
    /// How the row is named to people: the project id, or `<mode> links`.
    pub fn label(&self) -> String {
        match self.kind {
            Supported::Project => self.project.clone(),
            Supported::LinkClass => format!("{} links", self.project),
        }
    }
}

/// What a budget buys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetResult {
    /// The budget, CNY per year.
    pub budget_cny_per_year: f64,
    /// Greedy: projects supported in ranking order while the budget lasts.
    pub greedy_projects: Vec<String>,
    /// Greedy: support paid, CNY per year.
    pub greedy_support_cny_per_year: f64,
    /// Greedy: CO2 abated against the cost-optimal plan, t per year.
    pub greedy_co2_abated_t_per_year: f64,
    /// MILP: projects built.
    pub milp_projects: Vec<String>,
    /// MILP: support each built project's owner needs to break even
    /// (its loss; zero for projects that pay their way), CNY per year.
    pub milp_support_by_project: Vec<(String, f64)>,
    /// MILP: support paid: the owners' needs, or the park's extra cost plus
    /// carbon over its optimum if that is more, CNY per year (≤ budget).
    pub milp_support_cny_per_year: f64,
    /// MILP: CO2 abated against the cost-optimal plan, t per year.
    pub milp_co2_abated_t_per_year: f64,
}

/// The ranking and, with a budget, its use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subsidies {
    /// Park name.
    pub park: String,
    /// Least load of a project forced in, as a fraction of the most it can take.
    pub min_load: f64,
    /// Rows, cheapest support per tonne first; projects that abate nothing last.
    pub rows: Vec<SubsidyRow>,
    /// The budget analysis, when a budget was given.
    pub budget: Option<BudgetResult>,
}

/// Ranks every project's and link class's break-even support. A project is
/// "in" when it is built and runs at least `min_load` of the most it can
/// take in the park — support for a plant left idle buys no abatement — and
/// a link class when one link of its mode carries `min_load` of its capacity.
pub fn subsidies(
    park: &Park,
    config: &SolverConfig,
    budget: Option<f64>,
    min_load: f64,
) -> Result<Subsidies, AnalysisError> {
    check_request(budget, min_load)?;
    let prepared = Prepared::new(park, Pruning::KeepAll, config)?;
    let optimum = prepared.solve(&Variant::default(), config, "the cost-optimal plan")?;
    let chosen = built_projects(&optimum);
    let used_modes: Vec<&str> = optimum.links.iter().map(|l| l.mode.as_str()).collect();
    let in_plan = |item: &Item| match item {
        Item::Project(i) => chosen.contains(&park.projects[*i].id),
        Item::Mode(mode) => used_modes.contains(&mode.as_str()),
    };
    let items = items(&prepared);
    let flipped = in_parallel(&items, |item| {
        if in_plan(item) {
            let what = format!("the plan without {}", item.describe(park));
            let plan = prepared.solve(&item.forced(Forced::Out, 0.0), config, &what)?;
            Ok((plan, true))
        } else {
            force_in(&prepared, config, std::slice::from_ref(item), min_load)
        }
    });
    let mut rows = Vec::new();
    for (item, flip) in items.iter().zip(flipped) {
        let (plan, runs_at_min_load) = flip?;
        let flip = Flip {
            item,
            chosen_without_support: in_plan(item),
            plan: &plan,
            runs_at_min_load,
        };
        rows.push(subsidy_row(park, &optimum, &flip));
    }
    rows.sort_by(|a, b| match (a.subsidy_per_t_cny, b.subsidy_per_t_cny) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.project.cmp(&b.project)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.project.cmp(&b.project),
    });
    let budget = match budget {
        Some(b) => Some(spend(&prepared, config, &optimum, &rows, b, min_load)?),
        None => None,
    };
    Ok(Subsidies {
        park: park.name.clone(),
        min_load,
        rows,
        budget,
    })
}

/// Refuses a budget that is not a finite amount ≥ 0 and a least load
/// outside 0…1.
fn check_request(budget: Option<f64>, min_load: f64) -> Result<(), AnalysisError> {
    if let Some(b) = budget {
        if !(b.is_finite() && (0.0..=MAX_MONEY_CNY).contains(&b)) {
            return Err(AnalysisError::Invalid(format!(
                "--budget must be a number of CNY per year from 0 to {MAX_MONEY_CNY:e}, got {}",
                crate::units::short(b)
            )));
        }
    }
    if !(0.0..=1.0).contains(&min_load) {
        return Err(AnalysisError::Invalid(format!(
            "--min-load must be a fraction between 0 and 1, got {}",
            crate::units::short(min_load)
        )));
    }
    Ok(())
}

/// Every project, then every transport mode some candidate link uses
/// (sorted, once each).
fn items(prepared: &Prepared) -> Vec<Item> {
    let mut modes: Vec<&str> = prepared
        .graph
        .candidates
        .iter()
        .map(|c| c.mode.as_str())
        .collect();
    modes.sort_unstable();
    modes.dedup();
    (0..prepared.park.projects.len())
        .map(Item::Project)
        .chain(modes.iter().map(|m| Item::Mode(m.to_string())))
        .collect()
}

/// An item and the plan with its choice flipped: forced out when the
/// cost-optimal plan already has it, forced in otherwise.
struct Flip<'a> {
    /// The project or link class.
    item: &'a Item,
    /// Whether the cost-optimal plan already builds (or uses) it.
    chosen_without_support: bool,
    /// The plan with the choice flipped.
    plan: &'a Plan,
    /// Whether, forced in, it ran at the least load asked for.
    runs_at_min_load: bool,
}

/// An item's row: its break-even support against the cost-optimal plan,
/// the CO2 that flipping it changes and its VAT refund.
fn subsidy_row(park: &Park, optimum: &Plan, flip: &Flip) -> SubsidyRow {
    let (item, plan, built) = (flip.item, flip.plan, flip.chosen_without_support);
    let (id, kind, technology) = match item {
        Item::Project(i) => {
            let project = &park.projects[*i];
            (
                project.id.clone(),
                Supported::Project,
                project.technology.clone(),
            )
        }
        Item::Mode(mode) => {
            let name = park
                .library
                .transport
                .get(mode)
                .map_or(mode.clone(), |m| m.name.clone());
            (mode.clone(), Supported::LinkClass, name)
        }
    };
    let (subsidy, abated) = if built {
        (0.0, plan.plan.co2_t_per_year - optimum.plan.co2_t_per_year)
    } else {
        (
            (plan.plan.objective_cny_per_year - optimum.plan.objective_cny_per_year).max(0.0),
            optimum.plan.co2_t_per_year - plan.plan.co2_t_per_year,
        )
    };
    let vat_refund = match item {
        Item::Project(i) => {
            let in_plan = if built { optimum } else { plan };
            OwnerTerms::of(park, &park.projects[*i]).vat_refund_cny_per_unit
                * in_plan.projects[*i].throughput
        }
        Item::Mode(_) => 0.0,
    };
    SubsidyRow {
        vat_refund_cny_per_year: vat_refund,
        break_even_after_vat_refund_cny_per_year: (subsidy - vat_refund).max(0.0),
        implied_carbon_price_cny_per_t: (abated > 1e-6)
            .then(|| park.carbon_price_cny_per_t + subsidy / abated),
        project: id,
        kind,
        technology,
        chosen_without_support: built,
        runs_at_min_load: flip.runs_at_min_load,
        break_even_subsidy_cny_per_year: subsidy,
        co2_abated_t_per_year: abated,
        subsidy_per_t_cny: (abated > 1e-6).then(|| subsidy / abated),
    }
}

/// A project or a link class to force in or out.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A project, by index.
    Project(usize),
    /// A transport mode id.
    Mode(String),
}

impl Item {
    fn describe(&self, park: &Park) -> String {
        match self {
            Item::Project(i) => format!("'{}'", park.projects[*i].id),
            Item::Mode(mode) => format!("any {mode} link"),
        }
    }

    /// A variant forcing this item in or out.
    fn forced(&self, forced: Forced, min_load: f64) -> Variant {
        Item::forcing(std::slice::from_ref(self), forced, min_load)
    }

    /// A variant forcing all of `items` in or out.
    fn forcing(items: &[Item], forced: Forced, min_load: f64) -> Variant {
        let mut variant = Variant {
            min_load,
            ..Variant::default()
        };
        for item in items {
            match item {
                Item::Project(i) => variant.force.push((*i, forced)),
                Item::Mode(mode) => variant.force_modes.push((mode.clone(), forced)),
            }
        }
        variant
    }
}

/// The plan with `items` forced in at `min_load` (and whether that load
/// could be met); when it cannot, forced in at any load.
fn force_in(
    prepared: &Prepared,
    config: &SolverConfig,
    items: &[Item],
    min_load: f64,
) -> Result<(Plan, bool), AnalysisError> {
    let names: Vec<String> = items
        .iter()
        .map(|item| item.describe(prepared.park))
        .collect();
    let what = format!("the plan with {} forced in", names.join(", "));
    match prepared.solve(&Item::forcing(items, Forced::In, min_load), config, &what) {
        Ok(plan) => Ok((plan, true)),
        Err(AnalysisError::NoPlan { .. }) if min_load > 0.0 => Ok((
            prepared.solve(&Item::forcing(items, Forced::In, 0.0), config, &what)?,
            false,
        )),
        Err(error) => Err(error),
    }
}

fn spend(
    prepared: &Prepared,
    config: &SolverConfig,
    optimum: &Plan,
    rows: &[SubsidyRow],
    budget: f64,
    min_load: f64,
) -> Result<BudgetResult, AnalysisError> {
    let park = prepared.park;
    // Greedy: cheapest support per tonne first, while the budget lasts and
    // the supported projects and link classes can all run at the minimum
    // load together.
    let mut supported: Vec<&SubsidyRow> = Vec::new();
    let mut paid = 0.0;
    let mut greedy = optimum.clone();
    for row in rows
        .iter()
        .filter(|r| !r.chosen_without_support && r.subsidy_per_t_cny.is_some())
    {
        if paid + row.break_even_subsidy_cny_per_year > budget {
            continue;
        }
        let together: Vec<Item> = supported
            .iter()
            .chain([&row])
            .map(|r| match r.kind {
                Supported::Project => project_index(park, &r.project).map(Item::Project),
                Supported::LinkClass => Ok(Item::Mode(r.project.clone())),
            })
            .collect::<Result<_, _>>()?;
        if let (plan, true) = force_in(prepared, config, &together, min_load)? {
            paid += row.break_even_subsidy_cny_per_year;
            supported.push(row);
            greedy = plan;
        }
    }
    // One MILP: least CO2, owners supported to break even within the
    // budget, the park no worse off than at its optimum once supported.
    let milp = prepared.solve(
        &Variant {
            objective: Objective::Co2,
            objective_cap_cny_per_year: Some(optimum.plan.objective_cny_per_year),
            support_budget_cny_per_year: Some(budget),
            ..Variant::default()
        },
        config,
        "the budget-constrained abatement plan",
    )?;
    let support_by_project: Vec<(String, f64)> = park
        .projects
        .iter()
        .zip(&milp.projects)
        .filter(|(_, result)| result.built)
        .map(|(project, result)| {
            (
                project.id.clone(),
                owner_loss(park, &milp, project, result).max(0.0),
            )
        })
        .collect();
    let owners_need: f64 = support_by_project.iter().map(|(_, s)| s).sum();
    let park_extra = milp.plan.objective_cny_per_year - optimum.plan.objective_cny_per_year;
    Ok(BudgetResult {
        budget_cny_per_year: budget,
        greedy_projects: supported.iter().map(|r| r.project.clone()).collect(),
        greedy_support_cny_per_year: paid,
        greedy_co2_abated_t_per_year: optimum.plan.co2_t_per_year - greedy.plan.co2_t_per_year,
        milp_projects: built_projects(&milp),
        milp_support_by_project: support_by_project,
        milp_support_cny_per_year: owners_need.max(park_extra).max(0.0),
        milp_co2_abated_t_per_year: optimum.plan.co2_t_per_year - milp.plan.co2_t_per_year,
    })
}

/// A project owner's annual loss in a plan, after capital charges, with the
/// gate fees and inbound links of [`Variant::support_budget_cny_per_year`].
fn owner_loss(
    park: &Park,
    plan: &Plan,
    project: &Project,
    result: &crate::solution::plan::ProjectResult,
) -> f64 {
    let own = OwnerTerms::of(park, project).loss_cny_per_year(result.built, result.throughput);
    let supply: f64 = plan
        .links
        .iter()
        .filter(|link| link.to_id == project.id)
        .map(|link| {
            let gate_fee = match link.from {
                crate::candidates::Endpoint::Waste(w) => {
                    economics::today_outlet_per_t(&park.wastes[w]).cost() * link.sent
                }
                _ => 0.0,
            };
            link.annual_cost_cny_per_year - gate_fee
        })
        .sum();
    own + supply
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::{tiny, tiny_with};

    /// tiny at a zero carbon price, with a classifier that does not pay
    /// (sold at 20 CNY/t) but displaces 0.5 t CO2 per t sold.
    fn marginal_tiny() -> Park {
        tiny_with(&[
            ("carbon_price_cny_per_t = 100", "carbon_price_cny_per_t = 0"),
            (
                "product_price_cny_per_t = 100",
                "product_price_cny_per_t = 20",
            ),
            (
                "market_avoided_co2_t_per_unit = 0",
                "market_avoided_co2_t_per_unit = 0.5",
            ),
        ])
    }

    #[test]
    fn the_break_even_subsidy_is_what_brings_the_project_in() {
        let park = marginal_tiny();
        let result = subsidies(&park, &SolverConfig::default(), None, 0.5).unwrap();
        let row = result
            .rows
            .iter()
            .find(|r| r.project == "classifier")
            .unwrap();
        assert!(!row.chosen_without_support);
        // Re-solve with a little less and a little more support than break-even.
        let built_with = |support: f64| {
            let mut variant = park.clone();
            variant.projects[0].subsidy_cny_per_year = support;
            crate::pipeline::optimise(&variant, &SolverConfig::default())
                .unwrap()
                .plan
                .unwrap()
                .projects[0]
                .built
        };
        assert!(!built_with(row.break_even_subsidy_cny_per_year - 1000.0));
        assert!(built_with(row.break_even_subsidy_cny_per_year + 1000.0));
    }

    #[test]
    fn the_classifier_needs_its_shortfall_and_a_budget_buys_it() {
        // 40,000 t × (25 − 4.4478) = 822,088 CNY of margin against 1,050,000
        // of fixed cost (plant and truck contract): 227,912 CNY/yr of support.
        let result = subsidies(
            &marginal_tiny(),
            &SolverConfig::default(),
            Some(300_000.0),
            0.5,
        )
        .unwrap();
        let row = result
            .rows
            .iter()
            .find(|r| r.project == "classifier")
            .unwrap();
        assert!(
            (row.break_even_subsidy_cny_per_year - 227_912.13).abs() < 1.0,
            "{row:?}"
        );
        assert!(
            (row.co2_abated_t_per_year - 20_000.0).abs() < 1e-3,
            "{row:?}"
        );
        let budget = result.budget.unwrap();
        assert_eq!(budget.greedy_projects, ["classifier"]);
        assert!((budget.greedy_co2_abated_t_per_year - 20_000.0).abs() < 1e-3);
        // The owner runs its supply chain and is paid the supplier's disposal
        // cost as a gate fee, so it can be brought to break even; the MILP
        // then spends what is left of the budget on further abatement.
        assert_eq!(budget.milp_projects, ["classifier"]);
        assert!(
            budget.milp_co2_abated_t_per_year >= budget.greedy_co2_abated_t_per_year - 1e-3,
            "{budget:?}"
        );
        assert!(budget.milp_support_cny_per_year <= 300_000.0 + 1.0);
        assert_eq!(budget.milp_support_by_project.len(), 1);
        assert!(budget.milp_support_by_project[0].1 > 0.0);
        // Too small a budget buys nothing, by either method.
        let short = subsidies(
            &marginal_tiny(),
            &SolverConfig::default(),
            Some(200_000.0),
            0.5,
        )
        .unwrap()
        .budget
        .unwrap();
        assert!(
            short.greedy_projects.is_empty() && short.milp_projects.is_empty(),
            "{short:?}"
        );
    }

    #[test]
    fn link_classes_are_ranked_with_their_hand_figures() {
        // tiny at 100 CNY/t: trucks carry 60,000 t of fly ash to the cement
        // mill (0.5 t clinker × 0.8 t CO2 each: 24,000 t) and the steam pipe
        // replaces 40,000 MWh of gas boiler heat (0.2 t/MWh: 8,000 t). Both
        // are in the optimum, so they need no support; forbidding them adds
        // exactly that CO2 back.
        let result = subsidies(&tiny(), &SolverConfig::default(), None, 0.5).unwrap();
        let class = |mode: &str| {
            result
                .rows
                .iter()
                .find(|r| r.kind == Supported::LinkClass && r.project == mode)
                .unwrap_or_else(|| panic!("no row for {mode}: {result:?}"))
        };
        for (mode, co2) in [("truck", 24_000.0), ("steam_pipe", 8_000.0)] {
            let row = class(mode);
            assert!(row.chosen_without_support, "{row:?}");
            assert_eq!(row.break_even_subsidy_cny_per_year, 0.0);
            assert!((row.co2_abated_t_per_year - co2).abs() < 1e-3, "{row:?}");
        }
        // The conveyor cannot reach (1 km range, 4.4 km apart): no candidate, no row.
        assert!(result.rows.iter().all(|r| r.project != "conveyor"));
    }
}

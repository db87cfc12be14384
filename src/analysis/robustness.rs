//! Robustness of the optimal plan to losing a plant. A symbiosis plan leans
//! on its suppliers: when a coal plant switches fuel its gypsum and fly ash
//! disappear, and when a plant closes its heat and material demand goes
//! with it. For each plant, and for each way of losing it ([`Scope`]), this
//! says which links of the optimal plan strand, how much of the park's
//! saving is lost, and what the re-optimised park looks like instead.
//!
//! [`without_plants`] is also how the Shapley analysis builds coalitions.

use super::*;
use crate::candidates::Endpoint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How a plant is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The plant shuts: its wastes and waste heat disappear, and it no
    /// longer takes heat or materials.
    Closes,
    /// The plant keeps running and keeps its demands, but its wastes and
    /// waste heat disappear (a fuel switch, a process change).
    StopsSupplying,
}

impl Scope {
    /// Every scope, in a fixed order.
    pub const ALL: [Scope; 2] = [Scope::Closes, Scope::StopsSupplying];

    /// A readable label, the same as its serde name (the CSV and JSON value).
    pub fn label(self) -> &'static str {
        match self {
            Scope::Closes => "closes",
            Scope::StopsSupplying => "stops_supplying",
        }
    }

    /// Whether the plant's heat and material demands disappear too.
    fn drops_demands(self) -> bool {
        self == Scope::Closes
    }
}

/// The park with `plants` (indices) lost as `scope` says: their wastes'
/// t per year and heat sources' MW set to zero, and with
/// [`Scope::Closes`] also their heat demands' MW and material demands'
/// most t per year. Every entity stays in the park (with nothing to give
/// or take), so indices and ids still match the original park; projects
/// stay available.
pub fn without_plants(park: &Park, plants: &[usize], scope: Scope) -> Park {
    let mut park = park.clone();
    let lost = |plant: usize| plants.contains(&plant);
    park.wastes
        .iter_mut()
        .filter(|w| lost(w.plant))
        .for_each(|w| w.t_per_year = 0.0);
    park.heat_sources
        .iter_mut()
        .filter(|h| lost(h.plant))
        .for_each(|h| h.mw = 0.0);
    if scope.drops_demands() {
        park.heat_demands
            .iter_mut()
            .filter(|h| lost(h.plant))
            .for_each(|h| h.mw = 0.0);
        park.material_demands
            .iter_mut()
            .filter(|m| lost(m.plant))
            .for_each(|m| m.max_t_per_year = 0.0);
    }
    park
}

/// What the park saves against today: baseline minus plan objective (cost
/// plus CO2 at the carbon price), CNY per year.
pub fn saving_cny_per_year(plan: &Plan) -> f64 {
    plan.baseline.objective_cny_per_year - plan.plan.objective_cny_per_year
}

/// One plant lost one way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RobustnessRow {
    /// Plant id.
    pub plant: String,
    /// Plant name.
    pub plant_name: String,
    /// How the plant is lost.
    pub scope: Scope,
    /// Links of the optimal plan that lose an end: `from → to (mode)`.
    pub stranded_links: Vec<String>,
    /// The optimal plan's saving against today, CNY per year.
    pub base_saving_cny_per_year: f64,
    /// The re-optimised plan's saving against its own today (without the
    /// plant's wastes, heat and, when it closes, demands), CNY per year.
    pub saving_cny_per_year: f64,
    /// Base saving minus this saving, CNY per year.
    pub saving_lost_cny_per_year: f64,
    /// The re-optimised plan's annual cost, CNY per year.
    pub cost_cny_per_year: f64,
    /// The re-optimised plan's CO2, t per year.
    pub co2_t_per_year: f64,
    /// Projects the re-optimised plan builds.
    pub projects: Vec<String>,
    /// Projects the optimal plan builds and this one does not.
    pub projects_dropped: Vec<String>,
    /// Projects this plan builds and the optimal plan does not.
    pub projects_added: Vec<String>,
    /// Links this plan uses and the optimal plan does not (the re-routing).
    pub links_added: Vec<String>,
}

/// Every plant lost every way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Robustness {
    /// Park name.
    pub park: String,
    /// The optimal plan's annual cost, CNY per year.
    pub base_cost_cny_per_year: f64,
    /// The optimal plan's CO2, t per year.
    pub base_co2_t_per_year: f64,
    /// The optimal plan's saving against today, CNY per year.
    pub base_saving_cny_per_year: f64,
    /// Projects the optimal plan builds.
    pub base_projects: Vec<String>,
    /// Rows in plant order, then in [`Scope::ALL`] order.
    pub rows: Vec<RobustnessRow>,
}

/// Whether a sending or receiving entity disappears when `plant` is lost
/// as `scope` says (projects never do by themselves).
fn entity_lost(park: &Park, plant: usize, scope: Scope, endpoint: Endpoint) -> bool {
    match endpoint {
        Endpoint::Waste(i) => park.wastes.get(i).is_some_and(|w| w.plant == plant),
        Endpoint::HeatSource(i) => park.heat_sources.get(i).is_some_and(|h| h.plant == plant),
        Endpoint::HeatDemand(i) => {
            scope.drops_demands() && park.heat_demands.get(i).is_some_and(|h| h.plant == plant)
        }
        Endpoint::MaterialDemand(i) => {
            scope.drops_demands()
                && park
                    .material_demands
                    .get(i)
                    .is_some_and(|m| m.plant == plant)
        }
        Endpoint::Project(_) => false,
    }
}

/// Positions in `plan.links` of the links stranded when `plant` is lost as
/// `scope` says: links from or to one of its lost entities, and links out of
/// projects that the plan feeds only from lost entities (or from projects
/// so starved, in turn).
pub fn stranded_links(park: &Park, plan: &Plan, plant: usize, scope: Scope) -> Vec<usize> {
    let lost = |endpoint: Endpoint| entity_lost(park, plant, scope, endpoint);
    let mut starved: BTreeSet<usize> = BTreeSet::new();
    let dead = |endpoint: Endpoint, starved: &BTreeSet<usize>| match endpoint {
        Endpoint::Project(j) => starved.contains(&j),
        other => lost(other),
    };
    loop {
        let mut grown = false;
        for project in 0..park.projects.len() {
            if starved.contains(&project) {
                continue;
            }
            let mut feeds = plan
                .links
                .iter()
                .filter(|l| l.to == Endpoint::Project(project) && l.sent > 0.0)
                .peekable();
            if feeds.peek().is_some() && feeds.all(|l| dead(l.from, &starved)) {
                starved.insert(project);
                grown = true;
            }
        }
        if !grown {
            break;
        }
    }
    plan.links
        .iter()
        .enumerate()
        .filter(|(_, l)| dead(l.from, &starved) || lost(l.to))
        .map(|(i, _)| i)
        .collect()
}

/// Solves the optimal plan, then the park with each plant lost each way,
/// in parallel.
pub fn robustness(park: &Park, config: &SolverConfig) -> Result<Robustness, AnalysisError> {
    let (base, scenarios) = optimise_base(park, config, "the optimal plan")?;
    let cases: Vec<(usize, Scope)> = (0..park.plants.len())
        .flat_map(|plant| Scope::ALL.map(|scope| (plant, scope)))
        .collect();
    let plans = in_parallel(&cases, |&(plant, scope)| {
        let what = format!(
            "the plan when plant '{}' {}",
            park.plants[plant].id,
            scope.label().replace('_', " ")
        );
        optimise_park(&without_plants(park, &[plant], scope), &scenarios, &what)
    });
    let base_saving = saving_cny_per_year(&base);
    let base_projects = built_projects(&base);
    let base_links = used_links(&base);
    let mut rows = Vec::with_capacity(cases.len());
    for (&(plant, scope), plan) in cases.iter().zip(plans) {
        let plan = plan?;
        let saving = saving_cny_per_year(&plan);
        let projects = built_projects(&plan);
        rows.push(RobustnessRow {
            plant: park.plants[plant].id.clone(),
            plant_name: park.plants[plant].name.clone(),
            scope,
            stranded_links: stranded_links(park, &base, plant, scope)
                .into_iter()
                .map(|i| base_links[i].clone())
                .collect(),
            base_saving_cny_per_year: base_saving,
            saving_cny_per_year: saving,
            saving_lost_cny_per_year: base_saving - saving,
            cost_cny_per_year: plan.plan.cost_cny_per_year,
            co2_t_per_year: plan.plan.co2_t_per_year,
            projects_dropped: difference(&base_projects, &projects),
            projects_added: difference(&projects, &base_projects),
            links_added: difference(&used_links(&plan), &base_links),
            projects,
        });
    }
    Ok(Robustness {
        park: park.name.clone(),
        base_cost_cny_per_year: base.plan.cost_cny_per_year,
        base_co2_t_per_year: base.plan.co2_t_per_year,
        base_saving_cny_per_year: base_saving,
        base_projects,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::tiny;

    /// tiny's distance between the plants, km (README: R·Δφ).
    fn tiny_km() -> f64 {
        6371.0088 * 0.04_f64.to_radians()
    }

    fn row(result: &Robustness, plant: &str, scope: Scope) -> RobustnessRow {
        result
            .rows
            .iter()
            .find(|r| r.plant == plant && r.scope == scope)
            .cloned()
            .unwrap()
    }

    #[test]
    fn losing_plants_zeroes_exactly_their_entities() {
        let park = tiny();
        let closed = without_plants(&park, &[1], Scope::Closes);
        assert_eq!(closed.wastes[0].t_per_year, 100_000.0);
        assert_eq!(closed.heat_sources[0].mw, 10.0);
        assert_eq!(closed.heat_demands[0].mw, 0.0);
        assert_eq!(closed.material_demands[0].max_t_per_year, 0.0);
        let quiet = without_plants(&park, &[1], Scope::StopsSupplying);
        assert_eq!(quiet.heat_demands[0].mw, 5.0);
        assert_eq!(quiet.material_demands[0].max_t_per_year, 60_000.0);
        let dry = without_plants(&park, &[0], Scope::StopsSupplying);
        assert_eq!(dry.wastes[0].t_per_year, 0.0);
        assert_eq!(dry.heat_sources[0].mw, 0.0);
        assert_eq!(dry.heat_demands[0].mw, 5.0);
        assert_eq!(dry.projects.len(), park.projects.len());
    }

    #[test]
    fn tiny_loses_what_the_readme_says() {
        let park = tiny();
        let result = robustness(&park, &SolverConfig::default()).unwrap();
        let d = tiny_km();
        // README: 19,800,000 today, −12,332,829.52 planned = 32,800,000 − 150,000 d.
        let base = 32_800_000.0 - 150_000.0 * d;
        assert!(
            (result.base_saving_cny_per_year - base).abs() < 0.02,
            "{result:?}"
        );
        let order: Vec<(&str, Scope)> = result
            .rows
            .iter()
            .map(|r| (r.plant.as_str(), r.scope))
            .collect();
        assert_eq!(
            order,
            [
                ("power", Scope::Closes),
                ("power", Scope::StopsSupplying),
                ("cement", Scope::Closes),
                ("cement", Scope::StopsSupplying),
            ]
        );

        // Without fly ash and flue heat nothing can move: every link
        // strands and the whole saving goes; the classifier is dropped.
        for scope in Scope::ALL {
            let dry = row(&result, "power", scope);
            assert_eq!(dry.stranded_links.len(), 3, "{dry:?}");
            assert_eq!(dry.saving_cny_per_year, 0.0, "{dry:?}");
            assert_eq!(
                dry.saving_lost_cny_per_year,
                result.base_saving_cny_per_year
            );
            assert_eq!(dry.projects_dropped, ["classifier"]);
            assert!(dry.projects.is_empty() && dry.links_added.is_empty());
            // Only the steam user's gas boiler is left.
            assert!(
                (dry.cost_cny_per_year - 40_000.0 * 400.0).abs() < 1e-6,
                "{dry:?}"
            );
        }

        // The cement plant closing strands the two links into it; the
        // ash then fills the classifier (50,000 t at 105 − d each, less
        // the truck contract and the classifier's 1,000,000 a year).
        let closed = row(&result, "cement", Scope::Closes);
        assert_eq!(
            closed.stranded_links,
            [
                "fly-ash → cement-scm (truck)",
                "flue-heat → cement-steam (steam_pipe)"
            ]
        );
        let alone = 50_000.0 * (105.0 - d) - 1_050_000.0;
        assert!(
            (closed.saving_cny_per_year - alone).abs() < 0.02,
            "{closed:?}"
        );
        assert!((closed.saving_lost_cny_per_year - (base - alone)).abs() < 0.04);
        assert_eq!(closed.projects, ["classifier"]);
        assert!(closed.projects_dropped.is_empty() && closed.projects_added.is_empty());

        // The cement plant supplies nothing, so stopping changes nothing.
        let quiet = row(&result, "cement", Scope::StopsSupplying);
        assert!(quiet.stranded_links.is_empty());
        assert_eq!(quiet.saving_lost_cny_per_year, 0.0);
        assert_eq!(quiet.cost_cny_per_year, result.base_cost_cny_per_year);
    }

    #[test]
    fn a_project_fed_only_by_the_lost_plant_strands_its_outgoing_links() {
        // Hand-made plan: fly ash → classifier → cement mill.
        let park = tiny();
        let mut plan = optimise_park(&park, &SolverConfig::default(), "tiny").unwrap();
        let mut onward = plan
            .links
            .iter()
            .find(|l| l.to_id == "cement-scm")
            .unwrap()
            .clone();
        onward.from = Endpoint::Project(0);
        onward.from_id = "classifier".into();
        plan.links.retain(|l| l.to == Endpoint::Project(0));
        plan.links.push(onward.clone());
        // Positions: the ash into the classifier, then the classifier onward.
        assert_eq!(
            stranded_links(&park, &plan, 0, Scope::StopsSupplying),
            [0, 1]
        );
        assert_eq!(plan.links[1], onward);
        // The cement plant closing strands only the link into its mill;
        // stopping supplying strands neither.
        assert_eq!(stranded_links(&park, &plan, 1, Scope::Closes), [1]);
        assert!(stranded_links(&park, &plan, 1, Scope::StopsSupplying).is_empty());
    }

    #[test]
    fn the_same_rows_on_one_thread_and_many() {
        let park = tiny();
        let run = |threads: Option<usize>| {
            let mut pool = rayon::ThreadPoolBuilder::new();
            if let Some(threads) = threads {
                pool = pool.num_threads(threads);
            }
            pool.build()
                .unwrap()
                .install(|| robustness(&park, &SolverConfig::default()).unwrap())
        };
        let one = run(Some(1));
        assert_eq!(one, run(None));
        assert_eq!(one, run(Some(3)));
    }
}

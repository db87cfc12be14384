//! Who pays and who gains in a plan: every cost and tonne of CO2 of the
//! plan, and of today's park, put on the firm that bears it.
//!
//! A plan minimises the park's total cost, but firms sign contracts one by
//! one: the supplier of fly ash saves its disposal bill, the cement mill
//! saves clinker and pays the haulage, a new project earns its sales. The
//! [`firm_ledger`] books each item of a plan on its party so the rows add
//! up to the plan's totals. It belongs to the solution stage because it
//! reads one plan and nothing else: `solve` writes it as `firms.csv`, the
//! report shows it, and the fairness analysis compares it with each
//! plant's Shapley value.

use crate::candidates::Endpoint;
use crate::economics::{self, Ledger};
use crate::park::Park;
use crate::solution::Plan;
use crate::table::{self, fixed};
use crate::units::round;
use serde::{Deserialize, Serialize};

/// A plan that names an entity its park does not have: the plan of
/// another park, or of an older version of this one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "the plan names {what} '{id}', which this park does not have: is it the plan of this park?"
)]
pub struct NotThisPark {
    /// What kind of entity (waste, heat demand, receiver, project).
    pub what: &'static str,
    /// Its id as the plan names it.
    pub id: String,
}

/// What a party of the ledger is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A plant of the park.
    Plant,
    /// A project, counted as a firm of its own.
    Project,
}

/// One party's cost and CO2, today and in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirmRow {
    /// Plant id, or `project <id>`.
    pub party: String,
    /// Readable name.
    pub name: String,
    /// Plant or project.
    pub kind: PartyKind,
    /// Annual cost today, CNY per year.
    pub baseline_cost_cny_per_year: f64,
    /// Annual cost in the plan, CNY per year.
    pub plan_cost_cny_per_year: f64,
    /// Plan minus today (negative: the party gains), CNY per year.
    pub cost_change_cny_per_year: f64,
    /// CO2 today, t per year.
    pub baseline_co2_t_per_year: f64,
    /// CO2 in the plan, t per year.
    pub plan_co2_t_per_year: f64,
    /// Plan minus today, t per year.
    pub co2_change_t_per_year: f64,
}

/// Who bears a cost.
#[derive(Debug, Clone, Copy)]
enum Party {
    Plant(usize),
    Project(usize),
}

/// Cost (CNY) and CO2 (t) per year of one party.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    cost_cny: f64,
    co2_t: f64,
}

/// Running tallies of the parties, plants first then projects.
struct Books {
    plants: usize,
    baseline: Vec<Tally>,
    plan: Vec<Tally>,
    /// Whether a party has a row: every plant; a project when it is built
    /// or carries any cost or CO2.
    listed: Vec<bool>,
}

impl Books {
    fn new(park: &Park) -> Books {
        let parties = park.plants.len() + park.projects.len();
        let mut listed = vec![false; parties];
        listed[..park.plants.len()].fill(true);
        Books {
            plants: park.plants.len(),
            baseline: vec![Tally::default(); parties],
            plan: vec![Tally::default(); parties],
            listed,
        }
    }

    fn slot(&self, party: Party) -> usize {
        match party {
            Party::Plant(i) => i,
            Party::Project(j) => self.plants + j,
        }
    }

    /// Books what today's park costs and emits for a party.
    fn baseline(&mut self, party: Party, ledger: Ledger) {
        let slot = self.slot(party);
        self.baseline[slot].cost_cny += ledger.cost();
        self.baseline[slot].co2_t += ledger.co2();
    }

    /// Books a plan item's stated cost and CO2.
    fn plan(&mut self, party: Party, cost_cny: f64, co2_t: f64) {
        let slot = self.slot(party);
        self.plan[slot].cost_cny += cost_cny;
        self.plan[slot].co2_t += co2_t;
        self.listed[slot] |= cost_cny != 0.0 || co2_t != 0.0;
    }
}

fn unknown(what: &'static str, id: &str) -> NotThisPark {
    NotThisPark {
        what,
        id: id.to_string(),
    }
}

/// The plant that owns a plan item, found by id.
fn owner<T>(
    items: &[T],
    id: &str,
    what: &'static str,
    key: impl Fn(&T) -> (&str, usize),
) -> Result<Party, NotThisPark> {
    items
        .iter()
        .map(&key)
        .find(|(item, _)| *item == id)
        .map(|(_, plant)| Party::Plant(plant))
        .ok_or_else(|| unknown(what, id))
}

/// The party at a link's receiving end.
fn receiver(park: &Park, to: Endpoint, to_id: &str) -> Result<Party, NotThisPark> {
    let party = match to {
        Endpoint::HeatDemand(i) => park.heat_demands.get(i).map(|d| Party::Plant(d.plant)),
        Endpoint::MaterialDemand(i) => park.material_demands.get(i).map(|d| Party::Plant(d.plant)),
        Endpoint::Project(j) => (j < park.projects.len()).then_some(Party::Project(j)),
        Endpoint::Waste(_) | Endpoint::HeatSource(_) => None,
    };
    party
        .filter(|_| to.id(park) == to_id)
        .ok_or_else(|| unknown("receiver", to_id))
}

/// Every cost and tonne of CO2 of `plan` and of today's park, put on the
/// party that bears it: a waste's outlet on the waste's plant; a heat
/// user's current supply on the user's plant; a link (haulage, building,
/// and the virgin material it replaces) on its receiving end, the plant of
/// the demand or the project; a project's own cost and its market sales on
/// the project. Rows: every plant in park order, then every project that is
/// built or carries any cost, in park order. They add up to `plan.baseline`,
/// `plan.plan` and `plan.change`.
pub fn firm_ledger(park: &Park, plan: &Plan) -> Result<Vec<FirmRow>, NotThisPark> {
    let mut books = Books::new(park);
    for waste in &park.wastes {
        books.baseline(
            Party::Plant(waste.plant),
            economics::today_outlet_per_t(waste) * waste.t_per_year,
        );
    }
    for demand in &park.heat_demands {
        let ledger = economics::current_supply_per_mwh(park, demand) * demand.mwh_per_year();
        books.baseline(Party::Plant(demand.plant), ledger);
    }
    for outlet in &plan.today_outlet {
        let party = owner(&park.wastes, &outlet.waste, "waste", |w| {
            (w.id.as_str(), w.plant)
        })?;
        books.plan(party, outlet.cost_cny_per_year, outlet.co2_t_per_year);
    }
    for supply in &plan.heat_supply {
        let party = owner(&park.heat_demands, &supply.demand, "heat demand", |d| {
            (d.id.as_str(), d.plant)
        })?;
        books.plan(party, supply.cost_cny_per_year, supply.co2_t_per_year);
    }
    for link in &plan.links {
        let party = receiver(park, link.to, &link.to_id)?;
        books.plan(party, link.annual_cost_cny_per_year, link.co2_t_per_year);
    }
    let project_index = |id: &str| {
        park.projects
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| unknown("project", id))
    };
    for project in &plan.projects {
        let j = project_index(&project.id)?;
        books.plan(
            Party::Project(j),
            project.annual_cost_cny_per_year,
            project.co2_t_per_year,
        );
        let slot = books.slot(Party::Project(j));
        books.listed[slot] |= project.built;
    }
    for sale in &plan.market_sales {
        let j = project_index(&sale.project)?;
        books.plan(
            Party::Project(j),
            -sale.revenue_cny_per_year,
            sale.co2_t_per_year,
        );
    }
    let mut rows = Vec::new();
    for (slot, (baseline, planned)) in books.baseline.iter().zip(&books.plan).enumerate() {
        if !books.listed[slot] {
            continue;
        }
        let (party, name, kind) = match slot.checked_sub(books.plants) {
            None => (
                park.plants[slot].id.clone(),
                park.plants[slot].name.clone(),
                PartyKind::Plant,
            ),
            Some(j) => {
                let project = &park.projects[j];
                (
                    format!("project {}", project.id),
                    project.name.clone(),
                    PartyKind::Project,
                )
            }
        };
        rows.push(FirmRow {
            party,
            name,
            kind,
            baseline_cost_cny_per_year: round(baseline.cost_cny, 2),
            plan_cost_cny_per_year: round(planned.cost_cny, 2),
            cost_change_cny_per_year: round(planned.cost_cny - baseline.cost_cny, 2),
            baseline_co2_t_per_year: round(baseline.co2_t, 3),
            plan_co2_t_per_year: round(planned.co2_t, 3),
            co2_change_t_per_year: round(planned.co2_t - baseline.co2_t, 3),
        });
    }
    Ok(rows)
}

/// A row of `firms.csv`: a [`FirmRow`], costs with 2 decimals and CO2
/// with 3.
#[derive(Serialize, Deserialize)]
struct LedgerCsvRow<'a> {
    party: &'a str,
    name: &'a str,
    kind: PartyKind,
    #[serde(serialize_with = "fixed::<2, _>")]
    baseline_cost_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    plan_cost_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<2, _>")]
    cost_change_cny_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    baseline_co2_t_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    plan_co2_t_per_year: f64,
    #[serde(serialize_with = "fixed::<3, _>")]
    co2_change_t_per_year: f64,
}

/// The ledger as CSV (`firms.csv`).
pub fn ledger_to_csv(rows: &[FirmRow]) -> String {
    let rows: Vec<LedgerCsvRow> = rows
        .iter()
        .map(|row| LedgerCsvRow {
            party: &row.party,
            name: &row.name,
            kind: row.kind,
            baseline_cost_cny_per_year: row.baseline_cost_cny_per_year,
            plan_cost_cny_per_year: row.plan_cost_cny_per_year,
            cost_change_cny_per_year: row.cost_change_cny_per_year,
            baseline_co2_t_per_year: row.baseline_co2_t_per_year,
            plan_co2_t_per_year: row.plan_co2_t_per_year,
            co2_change_t_per_year: row.co2_change_t_per_year,
        })
        .collect();
    table::to_csv(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::{optimal_plan, shipped, tiny, tiny_with};

    fn close(a: f64, b: f64, relative: f64) -> bool {
        (a - b).abs() <= relative * a.abs().max(b.abs()).max(1.0)
    }

    fn assert_ledger_adds_up(park: &Park) {
        let plan = optimal_plan(park);
        let rows = firm_ledger(park, &plan).unwrap();
        let sum = |f: fn(&FirmRow) -> f64| rows.iter().map(f).sum::<f64>();
        let pairs = [
            (
                sum(|r| r.baseline_cost_cny_per_year),
                plan.baseline.cost_cny_per_year,
            ),
            (
                sum(|r| r.plan_cost_cny_per_year),
                plan.plan.cost_cny_per_year,
            ),
            (
                sum(|r| r.cost_change_cny_per_year),
                plan.change.cost_cny_per_year,
            ),
            (
                sum(|r| r.baseline_co2_t_per_year),
                plan.baseline.co2_t_per_year,
            ),
            (sum(|r| r.plan_co2_t_per_year), plan.plan.co2_t_per_year),
            (sum(|r| r.co2_change_t_per_year), plan.change.co2_t_per_year),
        ];
        for (i, (rows_total, plan_total)) in pairs.into_iter().enumerate() {
            assert!(
                close(rows_total, plan_total, 1e-6),
                "{}: total {i}: rows {rows_total} ≠ plan {plan_total}",
                park.name
            );
        }
        let plants: Vec<&str> = rows
            .iter()
            .filter(|r| r.kind == PartyKind::Plant)
            .map(|r| r.party.as_str())
            .collect();
        let ids: Vec<&str> = park.plants.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(plants, ids);
    }

    #[test]
    fn the_ledger_adds_up_to_the_plan_on_every_shipped_park() {
        assert_ledger_adds_up(&tiny());
        assert_ledger_adds_up(&shipped("tangshan-caofeidian"));
        assert_ledger_adds_up(&shipped("ningdong-chemical"));
    }

    #[test]
    fn tiny_ledger_by_hand() {
        let park = tiny();
        let plan = optimal_plan(&park);
        let rows = firm_ledger(&park, &plan).unwrap();
        let parties: Vec<(&str, PartyKind)> =
            rows.iter().map(|r| (r.party.as_str(), r.kind)).collect();
        assert_eq!(
            parties,
            [
                ("power", PartyKind::Plant),
                ("cement", PartyKind::Plant),
                ("project classifier", PartyKind::Project)
            ]
        );
        let d = 6371.0088 * 0.04_f64.to_radians();
        // The power plant disposed of 100,000 t at 30 and now sends all its ash away.
        assert!(close(
            rows[0].baseline_cost_cny_per_year,
            3_000_000.0,
            1e-12
        ));
        assert_eq!(rows[0].plan_cost_cny_per_year, 0.0);
        // The cement plant: gas 40,000 MWh × 400 today; in the plan the
        // steam pipe (50,000 d a year) and 60,000 t of ash at d + 5 − 150,
        // plus the truck contract.
        assert!(close(
            rows[1].baseline_cost_cny_per_year,
            16_000_000.0,
            1e-12
        ));
        let cement = 50_000.0 * d + 60_000.0 * (d + 5.0 - 150.0) + 50_000.0;
        assert!(
            (rows[1].plan_cost_cny_per_year - cement).abs() < 0.02,
            "{rows:?}"
        );
        assert!((rows[1].co2_change_t_per_year - (-8_000.0 - 24_000.0)).abs() < 1e-6);
        // The classifier: 40,000 t at d + 5 + 20 − 100, plus its 1,000,000 and the contract.
        let classifier = 40_000.0 * (d + 25.0 - 100.0) + 1_050_000.0;
        assert!(
            (rows[2].plan_cost_cny_per_year - classifier).abs() < 0.02,
            "{rows:?}"
        );
        assert_eq!(rows[2].baseline_cost_cny_per_year, 0.0);
        let csv = ledger_to_csv(&rows);
        assert!(csv.starts_with("party,name,kind,"), "{csv}");
        assert_eq!(csv.lines().count(), 4);
        // Unquoted where nothing needs quotes; the kind by its serde name.
        assert!(
            csv.contains("\nproject classifier,粉煤灰分选,project,0.00,"),
            "{csv}"
        );
    }

    #[test]
    fn a_plan_of_another_park_is_refused() {
        let plan = optimal_plan(&tiny());
        let other = tiny_with(&[("id = \"cement-scm\"", "id = \"kiln-scm\"")]);
        assert!(matches!(
            firm_ledger(&other, &plan),
            Err(NotThisPark { .. })
        ));
    }
}

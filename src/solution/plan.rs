//! The plan: what to build, what flows where, what it costs and saves, read
//! from the solver's values into park terms.
//!
//! `plan.json` is this struct. Its field names are a contract (other tools
//! read them); it holds no timings, so the same input gives the same bytes.

use crate::candidates::Endpoint;
use crate::economics::{Category, Ledger};
use crate::formulation::ModelSize;
use crate::library::{Carrier, TechnologyKind};
use crate::park::Park;
use crate::solve::SolverRecord;
use crate::units::round;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Flows below this (t or MWh per year) are solver noise and read as zero.
pub const FLOW_EPSILON: f64 = 1e-4;

/// Annual cost and CO2 of a state of the park, in total and by category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Total annual cost, CNY per year.
    pub cost_cny_per_year: f64,
    /// Total CO2, t per year.
    pub co2_t_per_year: f64,
    /// Cost plus CO2 at the carbon price: what is minimised, CNY per year.
    pub objective_cny_per_year: f64,
    /// Cost by category, CNY per year.
    pub cost_by_category: BTreeMap<String, f64>,
    /// CO2 by category, t per year.
    pub co2_by_category: BTreeMap<String, f64>,
}

impl Totals {
    /// Totals of a ledger at a carbon price.
    pub fn from_ledger(ledger: &Ledger, carbon_price_cny_per_t: f64) -> Totals {
        Totals {
            cost_cny_per_year: round(ledger.cost(), 2),
            co2_t_per_year: round(ledger.co2(), 3),
            objective_cny_per_year: round(ledger.objective(carbon_price_cny_per_t), 2),
            cost_by_category: Category::ALL
                .iter()
                .map(|c| (c.name().to_string(), round(ledger.cost_of(*c), 2)))
                .collect(),
            co2_by_category: Category::ALL
                .iter()
                .map(|c| (c.name().to_string(), round(ledger.co2_of(*c), 3)))
                .collect(),
        }
    }

    /// `self - other`, field by field.
    pub fn minus(&self, other: &Totals) -> Totals {
        let diff = |a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>, digits| {
            a.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        round(v - b.get(k).copied().unwrap_or(0.0), digits),
                    )
                })
                .collect()
        };
        Totals {
            cost_cny_per_year: round(self.cost_cny_per_year - other.cost_cny_per_year, 2),
            co2_t_per_year: round(self.co2_t_per_year - other.co2_t_per_year, 3),
            objective_cny_per_year: round(
                self.objective_cny_per_year - other.objective_cny_per_year,
                2,
            ),
            cost_by_category: diff(&self.cost_by_category, &other.cost_by_category, 2),
            co2_by_category: diff(&self.co2_by_category, &other.co2_by_category, 3),
        }
    }
}

/// Headline indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    /// Solid waste produced, t per year.
    pub waste_t_per_year: f64,
    /// Solid waste put to use (not disposed), t per year.
    pub waste_used_t_per_year: f64,
    /// Industrial solid-waste comprehensive utilisation rate, fraction.
    pub solid_waste_utilisation_rate: f64,
    /// The same rate in today's park (wastes already sold today), fraction.
    pub baseline_solid_waste_utilisation_rate: f64,
    /// Recoverable waste heat, MWh per year.
    pub waste_heat_mwh_per_year: f64,
    /// Waste heat taken from sources, MWh per year.
    pub waste_heat_used_mwh_per_year: f64,
    /// Waste-heat recovery rate, fraction.
    pub waste_heat_recovery_rate: f64,
    /// Capital cost of everything built, CNY.
    pub capex_cny: f64,
    /// Annualised capital cost of everything built, CNY per year.
    pub annualised_capex_cny_per_year: f64,
    /// Annual cost saved before capital charges, CNY per year.
    pub operating_saving_cny_per_year: f64,
    /// Capex divided by the operating saving, years; none when nothing is saved.
    pub simple_payback_years: Option<f64>,
    /// CO2 avoided against today's park, t per year.
    pub co2_reduction_t_per_year: f64,
}

/// A project in the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectResult {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Technology id.
    pub technology: String,
    /// Whether to build it.
    pub built: bool,
    /// Throughput per year, in `throughput_unit`.
    pub throughput: f64,
    /// `t_per_year` of input, or `mwh_per_year` (heat out for a heat pump,
    /// heat in for power).
    pub throughput_unit: String,
    /// Most throughput per year, same unit.
    pub max_throughput: f64,
    /// Product id.
    pub product: String,
    /// Product made per year (t, or MWh of electricity for power).
    pub product_output: f64,
    /// Capital cost, CNY (when built).
    pub capex_cny: f64,
    /// Annual cost of the project itself (fixed and variable, before sales), CNY per year.
    pub annual_cost_cny_per_year: f64,
    /// CO2 of the project itself (process and electricity), t per year.
    pub co2_t_per_year: f64,
}

/// A link in the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkResult {
    /// Sending end.
    pub from: Endpoint,
    /// Sending end's id.
    pub from_id: String,
    /// Receiving end.
    pub to: Endpoint,
    /// Receiving end's id.
    pub to_id: String,
    /// Transport mode id.
    pub mode: String,
    /// What moves (waste kind, product, `steam`, `hot_water`).
    pub carries: String,
    /// Sent per year: t, or MWh of heat.
    pub sent: f64,
    /// Arriving per year (after heat losses).
    pub delivered: f64,
    /// `t_per_year` or `mwh_per_year`.
    pub unit: String,
    /// Costed length, km (route × detour factor).
    pub distance_km: f64,
    /// Route vertices, `[lon, lat]`; more than two when it bends around a zone.
    pub route: Vec<[f64; 2]>,
    /// Temperature on arrival, °C (heat links).
    pub delivered_temperature_c: Option<f64>,
    /// Whether it must be built (capex or contract) rather than just used.
    pub built: bool,
    /// Capital cost, CNY.
    pub capex_cny: f64,
    /// Annual cost of the link (fixed and variable, incl. avoided virgin material), CNY per year.
    pub annual_cost_cny_per_year: f64,
    /// CO2 of the link (incl. avoided virgin material), t per year.
    pub co2_t_per_year: f64,
    /// Of the annual cost, the virgin material replaced (negative), CNY per year.
    pub avoided_virgin_cny_per_year: f64,
    /// Of the CO2, the virgin material replaced (negative), t per year.
    pub avoided_virgin_co2_t_per_year: f64,
    /// Virgin material replaced at the receiving material demand, t per
    /// year (the delivered tonnes times the library's substitution
    /// ratio); only on links to a material demand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces_t_per_year: Option<f64>,
}

/// The virgin tonnes a link replaces per year: on a link to a material
/// demand, what it sends times the substitution ratio of what it carries
/// for what the demand replaces; `None` on every other link.
pub fn replaces_t_per_year(park: &Park, to: Endpoint, carries: &str, sent: f64) -> Option<f64> {
    match to {
        Endpoint::MaterialDemand(demand) => {
            let virgin = &park.material_demands[demand].replaces;
            Some(round(
                sent * crate::economics::replaced_t_per_t(park, carries, virgin),
                3,
            ))
        }
        _ => None,
    }
}

/// Waste left on today's outlet (disposal, or the sale it finds today).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutletResult {
    /// Waste stream id.
    pub waste: String,
    /// `disposal`, or `sold` when the waste already finds a sale today.
    pub outlet: String,
    /// Tonnes per year left on today's outlet.
    pub t_per_year: f64,
    /// Cost (negative: revenue), CNY per year.
    pub cost_cny_per_year: f64,
    /// CO2 (negative: credit for what buyers displace), t per year.
    pub co2_t_per_year: f64,
}

/// The name of today's outlet in plan.json.
pub fn outlet_name(outlet: &crate::park::TodayOutlet) -> &'static str {
    match outlet {
        crate::park::TodayOutlet::Disposal { .. } => "disposal",
        crate::park::TodayOutlet::Sold { .. } => "sold",
    }
}

/// Product sold outside the park.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleResult {
    /// Project id.
    pub project: String,
    /// Product id.
    pub product: String,
    /// Tonnes per year sold.
    pub t_per_year: f64,
    /// Revenue, CNY per year.
    pub revenue_cny_per_year: f64,
    /// CO2 credited for what the product displaces outside (negative), t per year.
    pub co2_t_per_year: f64,
}

/// Heat from a user's current supply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatSupplyResult {
    /// Heat demand id.
    pub demand: String,
    /// Supply id (`gas_boiler`, …).
    pub supply: String,
    /// MWh per year still from it.
    pub mwh_per_year: f64,
    /// Cost, CNY per year.
    pub cost_cny_per_year: f64,
    /// CO2, t per year.
    pub co2_t_per_year: f64,
}

/// Size of the problem solved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemSize {
    /// Candidate links considered.
    pub candidate_links: usize,
    /// Of those, links left out of the model because no optimal plan needs
    /// them (dearer and dirtier than today's way out, fixed cost included).
    #[serde(default)]
    pub dominated_links_dropped: usize,
    /// MILP size.
    pub model: ModelSize,
}

/// A complete plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Version of ecopark that wrote it.
    pub ecopark_version: String,
    /// Park name.
    pub park: String,
    /// Carbon price used, CNY per t.
    pub carbon_price_cny_per_t: f64,
    /// Grid factor used, t CO2 per MWh.
    pub grid_factor_t_per_mwh: f64,
    /// How the solver finished.
    pub solver: SolverRecord,
    /// Problem size.
    pub problem: ProblemSize,
    /// Today's park: nothing built, all waste disposed, all heat from current supply.
    pub baseline: Totals,
    /// The plan.
    pub plan: Totals,
    /// Plan minus baseline.
    pub change: Totals,
    /// Indicators.
    pub kpis: Kpis,
    /// Every candidate project, built or not.
    pub projects: Vec<ProjectResult>,
    /// Links used.
    pub links: Vec<LinkResult>,
    /// Waste left on today's outlet.
    pub today_outlet: Vec<OutletResult>,
    /// Products sold outside the park.
    pub market_sales: Vec<SaleResult>,
    /// Heat still from current supplies.
    pub heat_supply: Vec<HeatSupplyResult>,
    /// The park's `[targets]`, against what the plan reaches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetResult>,
}

impl Plan {
    /// Units sent out of `from` over every link of the plan.
    pub fn sent_from(&self, from: Endpoint) -> f64 {
        self.links
            .iter()
            .filter(|l| l.from == from)
            .map(|l| l.sent)
            .sum()
    }
}

/// The unit a project's throughput is counted in.
pub fn throughput_unit(kind: TechnologyKind) -> &'static str {
    match kind {
        TechnologyKind::Material => "t_per_year",
        _ => "mwh_per_year",
    }
}

/// The unit a carrier's flow is counted in.
pub fn flow_unit(carrier: Carrier) -> &'static str {
    match carrier {
        Carrier::Material => "t_per_year",
        _ => "mwh_per_year",
    }
}

/// Product made per unit of a project's throughput.
pub fn product_per_throughput(
    kind: TechnologyKind,
    technology: &crate::library::Technology,
) -> f64 {
    match kind {
        TechnologyKind::Material => technology.yield_t_per_t.unwrap_or(0.0),
        TechnologyKind::HeatPump => 1.0,
        TechnologyKind::Power => technology.efficiency.unwrap_or(0.0),
    }
}

/// Computes the headline indicators from a plan's flows.
pub fn kpis(
    park: &Park,
    outlets: &[OutletResult],
    links: &[LinkResult],
    baseline: &Totals,
    plan: &Totals,
    capex: f64,
    annualised_capex: f64,
) -> Kpis {
    let waste = park.total_waste_t_per_year();
    let disposed: f64 = outlets
        .iter()
        .filter(|o| o.outlet == "disposal")
        .map(|o| o.t_per_year)
        .sum();
    let heat = park.total_waste_heat_mwh_per_year();
    let heat_used: f64 = links
        .iter()
        .filter(|link| matches!(link.from, Endpoint::HeatSource(_)))
        .map(|link| link.sent)
        .sum();
    let ratio = |part: f64, whole: f64| {
        if whole > 0.0 {
            round(part / whole, 6)
        } else {
            0.0
        }
    };
    let operating_saving = baseline.cost_cny_per_year - (plan.cost_cny_per_year - annualised_capex);
    let used_today: f64 = park
        .wastes
        .iter()
        .filter(|w| w.today.is_utilised())
        .map(|w| w.t_per_year)
        .sum();
    Kpis {
        waste_t_per_year: round(waste, 3),
        waste_used_t_per_year: round(waste - disposed, 3),
        solid_waste_utilisation_rate: ratio(waste - disposed, waste),
        baseline_solid_waste_utilisation_rate: ratio(used_today, waste),
        waste_heat_mwh_per_year: round(heat, 3),
        waste_heat_used_mwh_per_year: round(heat_used, 3),
        waste_heat_recovery_rate: ratio(heat_used, heat),
        capex_cny: round(capex, 2),
        annualised_capex_cny_per_year: round(annualised_capex, 2),
        operating_saving_cny_per_year: round(operating_saving, 2),
        simple_payback_years: (operating_saving > 0.0 && capex > 0.0)
            .then(|| round(capex / operating_saving, 2)),
        co2_reduction_t_per_year: round(baseline.co2_t_per_year - plan.co2_t_per_year, 3),
    }
}

/// A target of the park, against what a plan reaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetResult {
    /// Its field in `[targets]`.
    pub field: String,
    /// The value asked for.
    pub asked: f64,
    /// What the plan reaches (a share, t CO2 per year, or CNY).
    pub reached: f64,
    /// Whether the plan meets it.
    pub met: bool,
}

/// A plan file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PlanReadError {
    /// The file could not be read: missing, not a regular file, or over
    /// the cap.
    #[error("plan {path} {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: crate::input::ReadError,
    },
    /// The file is not a plan.
    #[error("{path} is not an ecopark plan.json: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// The largest `plan.json` read, bytes: the park file's cap
/// ([`crate::input::MAX_FILE_BYTES`]); a plan is smaller than its park
/// unless it has been tampered with (a 1 GB plan was read whole).
pub const MAX_PLAN_BYTES: u64 = crate::input::MAX_FILE_BYTES;

/// Reads a `plan.json`: a regular file of at most [`MAX_PLAN_BYTES`],
/// checked before it is read.
pub fn load_plan(path: &std::path::Path) -> Result<Plan, PlanReadError> {
    let shown = path.display().to_string();
    let bytes =
        crate::input::read_regular_file(path, MAX_PLAN_BYTES, "plan files").map_err(|source| {
            PlanReadError::Read {
                path: shown.clone(),
                source,
            }
        })?;
    serde_json::from_slice(&bytes).map_err(|error| PlanReadError::Parse {
        path: shown,
        message: error.to_string(),
    })
}

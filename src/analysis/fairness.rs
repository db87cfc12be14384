//! The fairness analysis: a fair split of the park's saving among its
//! plants (the Shapley value), beside who pays and who gains in the plan.
//!
//! A plan minimises the park's total cost, but firms sign contracts one by
//! one: the supplier of fly ash saves its disposal bill, the cement mill
//! saves clinker and pays the haulage, a new project earns its sales. The
//! firm ledger ([`firm_ledger`], in `solution::firms`) puts every cost and
//! tonne of CO2 of a plan (and of today's park) on the party that bears
//! it, so the rows add up to the plan's totals. The [`shapley()`] value
//! then says what each plant contributes to the saving on average over
//! every order in which plants could join the park — a benchmark for side
//! payments when what a firm gains in the ledger is far from what it makes
//! possible.

use super::robustness::{saving_cny_per_year, without_plants, Scope};
use super::*;
use crate::random::SplitMix64;
use crate::solution::firms::{firm_ledger, FirmRow};
use crate::units::round;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Plants up to which the Shapley value is exact (every coalition solved).
pub const EXACT_MAX_PLANTS: usize = 12;

/// The most permutations the sampled Shapley value draws: each may solve
/// the park once per plant, and the standard error shrinks only with the
/// square root of the count.
pub const MAX_SAMPLES: usize = 10_000;

/// Seed of the permutation sampler used above [`EXACT_MAX_PLANTS`].
pub const SEED: u64 = 0xEC0_9A4C_5EED;

/// One plant's fair share and what it actually gains.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShapleyRow {
    /// Plant id.
    pub plant: String,
    /// Plant name.
    pub name: String,
    /// Shapley value: the plant's average marginal saving, CNY per year.
    pub shapley_cny_per_year: f64,
    /// Standard error of a sampled estimate (none when exact), CNY per year.
    pub standard_error_cny_per_year: Option<f64>,
    /// Shapley value over the saving the plants make together, v(N) − v(∅),
    /// fraction (none when that is zero).
    pub share_of_saving: Option<f64>,
    /// What the plant saves on its own, v({i}), CNY per year.
    pub standalone_saving_cny_per_year: f64,
    /// The plant's cost change in the optimal plan's ledger (negative:
    /// it gains), CNY per year.
    pub ledger_cost_change_cny_per_year: f64,
    /// What the plant gains in the optimal plan's ledger, cost plus CO2 at
    /// the carbon price — comparable with the Shapley value, CNY per year.
    pub ledger_saving_cny_per_year: f64,
}

/// The fair split of the park's saving.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fairness {
    /// Park name.
    pub park: String,
    /// Whether every coalition was solved (otherwise permutations were sampled).
    pub exact: bool,
    /// Permutations sampled (zero when exact).
    pub permutations: usize,
    /// Coalitions of plants solved.
    pub coalitions_solved: usize,
    /// Saving of the whole park, v(N), CNY per year.
    pub grand_coalition_saving_cny_per_year: f64,
    /// Saving with every plant closed, v(∅) (projects alone), CNY per year;
    /// the Shapley values add up to v(N) − v(∅).
    pub empty_coalition_saving_cny_per_year: f64,
    /// One row per plant, in park order.
    pub plants: Vec<ShapleyRow>,
    /// The optimal plan's firm ledger.
    pub ledger: Vec<FirmRow>,
}

/// A coalition: indices of its plants, ascending.
type Coalition = Vec<usize>;

/// The savings v(S) of `coalitions` (solved in parallel) and of the whole
/// park, whose plan is returned too.
fn play(
    park: &Park,
    config: &SolverConfig,
    coalitions: &[Coalition],
) -> Result<(Vec<f64>, Plan), AnalysisError> {
    let grand = optimise_park(park, config, "the optimal plan")?;
    let plants = park.plants.len();
    let solved = in_parallel(coalitions, |members| {
        let closed: Vec<usize> = (0..plants).filter(|p| !members.contains(p)).collect();
        let names: Vec<&str> = members
            .iter()
            .map(|&p| park.plants[p].id.as_str())
            .collect();
        let what = format!("the park of the coalition {{{}}}", names.join(", "));
        optimise_park(&without_plants(park, &closed, Scope::Closes), config, &what)
            .map(|plan| saving_cny_per_year(&plan))
    });
    let values = solved
        .into_iter()
        .collect::<Result<Vec<f64>, AnalysisError>>()?;
    Ok((values, grand))
}

/// The Shapley value of every plant for the park's saving: exact up to
/// [`EXACT_MAX_PLANTS`] plants, otherwise estimated from `samples`
/// permutations (see [`shapley_sampled`]) drawn with [`SEED`].
pub fn shapley(
    park: &Park,
    config: &SolverConfig,
    samples: usize,
) -> Result<Fairness, AnalysisError> {
    if park.plants.len() > EXACT_MAX_PLANTS {
        return shapley_sampled(park, config, samples, SEED);
    }
    let n = park.plants.len();
    let full = (1usize << n) - 1;
    // Every coalition but the whole park, by bit mask: plant i is bit i.
    let coalitions: Vec<Coalition> = (0..full)
        .map(|mask| (0..n).filter(|i| mask >> i & 1 == 1).collect())
        .collect();
    let (mut v, grand) = play(park, config, &coalitions)?;
    v.push(saving_cny_per_year(&grand));
    // |S|! (n − |S| − 1)! / n!
    let factorial = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    let weight = |size: usize| factorial(size) * factorial(n - size - 1) / factorial(n);
    let values: Vec<f64> = (0..n)
        .map(|i| {
            (0..=full)
                .filter(|mask| mask >> i & 1 == 0)
                .map(|mask| weight(mask.count_ones() as usize) * (v[mask | 1 << i] - v[mask]))
                .sum()
        })
        .collect();
    let standalone: Vec<f64> = (0..n).map(|i| v[1 << i]).collect();
    let estimate = Estimate {
        values,
        standard_errors: None,
        permutations: 0,
        coalitions_solved: full + 1,
    };
    fairness(park, &grand, v[0], &standalone, estimate)
}

/// A Shapley vector and how it was found.
struct Estimate {
    values: Vec<f64>,
    standard_errors: Option<Vec<f64>>,
    permutations: usize,
    coalitions_solved: usize,
}

/// The Shapley value estimated from `samples` random permutations of the
/// plants (at least 4, at most [`MAX_SAMPLES`]), drawn with the splitmix64 generator from `seed`.
/// Permutations come in antithetic pairs — one order and its reverse — so
/// an odd count is rounded up; the standard error is that of the mean over
/// pairs. Each coalition met is solved once, all in parallel. With two
/// plants every pair covers both orders, so the estimate is exact.
pub fn shapley_sampled(
    park: &Park,
    config: &SolverConfig,
    samples: usize,
    seed: u64,
) -> Result<Fairness, AnalysisError> {
    if samples < 4 {
        return Err(AnalysisError::Invalid(format!(
            "the sampled Shapley value needs at least 4 permutations (two antithetic pairs) for a standard error, got {samples}"
        )));
    }
    if samples > MAX_SAMPLES {
        return Err(AnalysisError::Invalid(format!(
            "--samples must be at most {MAX_SAMPLES} permutations, got {samples}"
        )));
    }
    let n = park.plants.len();
    let mut random = SplitMix64(seed);
    let pairs = samples.div_ceil(2);
    let orders: Vec<Vec<usize>> = (0..pairs)
        .flat_map(|_| {
            let order = random.permutation(n);
            let reverse = order.iter().rev().copied().collect();
            [order, reverse]
        })
        .collect();
    // Every prefix of every order, and every plant alone; not the whole park.
    let mut needed: BTreeSet<Coalition> = (0..n).map(|i| vec![i]).collect();
    for order in &orders {
        for k in 0..n {
            let mut prefix = order[..k].to_vec();
            prefix.sort_unstable();
            needed.insert(prefix);
        }
    }
    let everyone: Coalition = (0..n).collect();
    needed.remove(&everyone);
    let coalitions: Vec<Coalition> = needed.into_iter().collect();
    let (solved, grand) = play(park, config, &coalitions)?;
    let coalitions_solved = coalitions.len() + 1;
    let mut v: BTreeMap<Coalition, f64> = coalitions.into_iter().zip(solved).collect();
    v.insert(everyone, saving_cny_per_year(&grand));
    let value = |members: &[usize]| {
        let mut key = members.to_vec();
        key.sort_unstable();
        v[&key]
    };
    // Each player's marginal saving in each order, averaged over each pair.
    let pair_means: Vec<Vec<f64>> = orders
        .chunks(2)
        .map(|pair| {
            let mut marginal = vec![0.0; n];
            for order in pair {
                for (k, &player) in order.iter().enumerate() {
                    marginal[player] += (value(&order[..=k]) - value(&order[..k])) / 2.0;
                }
            }
            marginal
        })
        .collect();
    let count = pairs as f64;
    let values: Vec<f64> = (0..n)
        .map(|i| pair_means.iter().map(|m| m[i]).sum::<f64>() / count)
        .collect();
    let standard_errors = (0..n)
        .map(|i| {
            let squares: f64 = pair_means.iter().map(|m| (m[i] - values[i]).powi(2)).sum();
            (squares / (count - 1.0) / count).sqrt()
        })
        .collect();
    let standalone: Vec<f64> = (0..n).map(|i| value(&[i])).collect();
    let estimate = Estimate {
        values,
        standard_errors: Some(standard_errors),
        permutations: orders.len(),
        coalitions_solved,
    };
    fairness(park, &grand, value(&[]), &standalone, estimate)
}

/// Puts an estimate beside the optimal plan's ledger.
fn fairness(
    park: &Park,
    grand: &Plan,
    empty: f64,
    standalone: &[f64],
    estimate: Estimate,
) -> Result<Fairness, AnalysisError> {
    let ledger = firm_ledger(park, grand)?;
    let whole = saving_cny_per_year(grand);
    let shared = whole - empty;
    let price = park.carbon_price_cny_per_t;
    let plants = park
        .plants
        .iter()
        .enumerate()
        .map(|(i, plant)| {
            // Plants come first in the ledger, in park order.
            let row = &ledger[i];
            ShapleyRow {
                plant: plant.id.clone(),
                name: plant.name.clone(),
                shapley_cny_per_year: round(estimate.values[i], 2),
                standard_error_cny_per_year: estimate
                    .standard_errors
                    .as_ref()
                    .map(|se| round(se[i], 2)),
                share_of_saving: (shared.abs() > 1e-9)
                    .then(|| round(estimate.values[i] / shared, 6)),
                standalone_saving_cny_per_year: standalone[i],
                ledger_cost_change_cny_per_year: row.cost_change_cny_per_year,
                ledger_saving_cny_per_year: round(
                    -(row.cost_change_cny_per_year + price * row.co2_change_t_per_year),
                    2,
                ),
            }
        })
        .collect();
    Ok(Fairness {
        park: park.name.clone(),
        exact: estimate.standard_errors.is_none(),
        permutations: estimate.permutations,
        coalitions_solved: estimate.coalitions_solved,
        grand_coalition_saving_cny_per_year: whole,
        empty_coalition_saving_cny_per_year: empty,
        plants,
        ledger,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::park::testing::{shipped, tiny, tiny_with};

    fn close(a: f64, b: f64, relative: f64) -> bool {
        (a - b).abs() <= relative * a.abs().max(b.abs()).max(1.0)
    }

    /// v(S) solved directly, for checking the formula.
    fn v(park: &Park, members: &[usize]) -> f64 {
        let closed: Vec<usize> = (0..park.plants.len())
            .filter(|p| !members.contains(p))
            .collect();
        let plan = optimise_park(
            &without_plants(park, &closed, Scope::Closes),
            &SolverConfig::default(),
            "v",
        )
        .unwrap();
        saving_cny_per_year(&plan)
    }

    #[test]
    fn tiny_shapley_by_hand_and_by_the_two_player_formula() {
        let park = tiny();
        let result = shapley(&park, &SolverConfig::default(), 100).unwrap();
        assert!(result.exact);
        assert_eq!(result.coalitions_solved, 4);
        let d = 6371.0088 * 0.04_f64.to_radians();
        // README: the whole park saves 32,800,000 − 150,000 d. The power
        // plant alone sells 50,000 t of classified ash (105 − d better than
        // disposal each) less the classifier and the contract; the cement
        // plant alone has nothing to take.
        let (whole, power, cement) = (
            32_800_000.0 - 150_000.0 * d,
            50_000.0 * (105.0 - d) - 1_050_000.0,
            0.0,
        );
        assert!((result.grand_coalition_saving_cny_per_year - whole).abs() < 0.02);
        assert_eq!(result.empty_coalition_saving_cny_per_year, 0.0);
        assert!((result.plants[0].standalone_saving_cny_per_year - power).abs() < 0.02);
        assert_eq!(result.plants[1].standalone_saving_cny_per_year, cement);
        // Independently solved coalitions, through φ₁ = (v(1) + v(N) − v(2)) / 2.
        let (v_power, v_cement, v_all) = (v(&park, &[0]), v(&park, &[1]), v(&park, &[0, 1]));
        assert!(
            (v_power - power).abs() < 0.02 && v_cement == cement && (v_all - whole).abs() < 0.02
        );
        let phi = [
            (v_power + v_all - v_cement) / 2.0,
            (v_cement + v_all - v_power) / 2.0,
        ];
        for (row, expected) in result.plants.iter().zip(phi) {
            assert!(
                (row.shapley_cny_per_year - expected).abs() < 0.01,
                "{row:?} vs {expected}"
            );
            assert_eq!(row.standard_error_cny_per_year, None);
        }
        let total: f64 = result.plants.iter().map(|r| r.shapley_cny_per_year).sum();
        assert!(close(
            total,
            result.grand_coalition_saving_cny_per_year,
            1e-6
        ));
        let shares: f64 = result
            .plants
            .iter()
            .map(|r| r.share_of_saving.unwrap())
            .sum();
        assert!((shares - 1.0).abs() < 1e-5);
        // The power plant only saves its 3,000,000 disposal bill, far below its fair share.
        assert!((result.plants[0].ledger_saving_cny_per_year - 3_000_000.0).abs() < 0.01);
        assert!(
            result.plants[0].shapley_cny_per_year > result.plants[0].ledger_saving_cny_per_year
        );
    }

    #[test]
    fn shapley_values_add_up_to_the_saving_on_a_shipped_park() {
        let park = shipped("ningdong-chemical");
        let result = shapley(&park, &SolverConfig::default(), 100).unwrap();
        assert!(result.exact);
        assert_eq!(result.coalitions_solved, 1 << park.plants.len());
        assert_eq!(result.plants.len(), park.plants.len());
        let total: f64 = result.plants.iter().map(|r| r.shapley_cny_per_year).sum();
        let shared =
            result.grand_coalition_saving_cny_per_year - result.empty_coalition_saving_cny_per_year;
        assert!(close(total, shared, 1e-6), "{total} vs {shared}");
    }

    #[test]
    fn sampling_two_plants_in_antithetic_pairs_is_exact_and_repeatable() {
        let park = tiny();
        let config = SolverConfig::default();
        let exact = shapley(&park, &config, 0).unwrap();
        let sampled = shapley_sampled(&park, &config, 7, SEED).unwrap();
        assert!(!sampled.exact);
        assert_eq!(sampled.permutations, 8);
        assert_eq!(sampled.coalitions_solved, 4);
        for (s, e) in sampled.plants.iter().zip(&exact.plants) {
            assert!(
                (s.shapley_cny_per_year - e.shapley_cny_per_year).abs() < 1e-6,
                "{s:?} vs {e:?}"
            );
            assert_eq!(s.standard_error_cny_per_year, Some(0.0));
        }
        assert_eq!(sampled, shapley_sampled(&park, &config, 7, SEED).unwrap());
        assert!(matches!(
            shapley_sampled(&park, &config, 3, SEED),
            Err(AnalysisError::Invalid(_))
        ));
    }

    #[test]
    fn a_sampled_estimate_is_repeatable_efficient_and_gives_a_dummy_nothing() {
        // A third plant whose slag nobody can use is a dummy player.
        let third = "\n[[plant]]\nid = \"steel\"\nlocation = [116.02, 39.0]\n\n[[waste]]\nid = \"slag\"\nplant = \"steel\"\nkind = \"steel_slag\"\nt_per_year = 1000\ndisposal_cny_per_t = 30\n";
        let park = tiny_with(&[("\n[[waste]]", &format!("{third}\n[[waste]]"))]);
        let config = SolverConfig::default();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let first = one.install(|| shapley_sampled(&park, &config, 6, SEED).unwrap());
        assert_eq!(first, shapley_sampled(&park, &config, 6, SEED).unwrap());
        // Each coalition is solved on its own, so allow a cent of rounding.
        assert!(
            first.plants[2].shapley_cny_per_year.abs() <= 0.01,
            "{first:?}"
        );
        assert!(first.plants[2].standard_error_cny_per_year.unwrap() <= 0.01);
        let total: f64 = first.plants.iter().map(|r| r.shapley_cny_per_year).sum();
        assert!(close(
            total,
            first.grand_coalition_saving_cny_per_year,
            1e-6
        ));
        // The exact game: the dummy changes no one else's value.
        let exact = shapley(&park, &config, 0).unwrap();
        let two = shapley(&tiny(), &config, 0).unwrap();
        assert!(exact.plants[2].shapley_cny_per_year.abs() <= 0.01);
        for i in 0..2 {
            assert!(
                (exact.plants[i].shapley_cny_per_year - two.plants[i].shapley_cny_per_year).abs()
                    < 0.01
            );
        }
    }
}

//! The money side of perception: the contribution plan an agent expects, the pension it
//! projects from it, and the present-biased (β–δ) lifetime value of the flows over time.
//!
//! Flows are valued where they fall: the coming twelve months with weight 1, year k after with
//! β δ^k (Laibson 1997), retirement from the planned month on with β δ^T times the discounted
//! years of life then. Present bias therefore weighs pay now against pay and pension later,
//! which is what moves the choices (the base, the retirement month, joining an annuity).

use super::Context;
use crate::agent::Agent;
use crate::scenario::{Mortality, Scenario};
use crate::time::{Months, YearMonth};

/// Tables a whole run shares: divisors by age, life annuities by age and sex, and the powers
/// of δ every valuation weighs flows by.
pub struct Tables {
    /// Divisor by age in months from 40y0m to 75y11m.
    divisor: Vec<f64>,
    /// Σ δ^k S_k over remaining years of life, by sex and age in years 40..=80.
    life: Vec<[f64; 2]>,
    /// δ of the run, and δ^k for whole years k (`powi`) and δ^(t/12) for months t (`powf`),
    /// each computed by the same call a valuation made for it, so a lookup gives the same bits:
    /// the January valuation called `pow` a few dozen times per agent for these alone.
    delta: f64,
    delta_years: Vec<f64>,
    delta_months: Vec<f64>,
}

/// Years and months of δ's powers tabulated: a working life and a retirement date ahead.
const DELTA_YEARS: i32 = 80;
const DELTA_MONTHS: i32 = 80 * 12;

const TABLE_FROM: i32 = 40;

impl Tables {
    pub fn new(s: &Scenario) -> Self {
        let b = &s.insurance.benefit;
        let divisor = (TABLE_FROM * 12..76 * 12)
            .map(|m| crate::insurance::divisor::divisor_f64(Months(m), b))
            .collect();
        let life = (TABLE_FROM..=80)
            .map(|age| {
                [
                    life_years(&s.careers.mortality, false, age, s.perception.delta),
                    life_years(&s.careers.mortality, true, age, s.perception.delta),
                ]
            })
            .collect();
        let delta = s.perception.delta;
        Tables {
            divisor,
            life,
            delta,
            delta_years: (0..=DELTA_YEARS).map(|k| delta.powi(k)).collect(),
            delta_months: (0..=DELTA_MONTHS)
                .map(|t| delta.powf(t as f64 / 12.0))
                .collect(),
        }
    }

    /// δ^k (`powi`): looked up when `delta` is the run's (always in a run) and `k` is in the
    /// table, computed otherwise.
    fn delta_year(&self, delta: f64, k: i32) -> f64 {
        match self.delta_years.get(k as usize) {
            Some(&p) if k >= 0 && delta.to_bits() == self.delta.to_bits() => p,
            _ => delta.powi(k),
        }
    }

    /// δ^(t/12) (`powf`), looked up as [`Tables::delta_year`] is.
    fn delta_month(&self, delta: f64, t: i32) -> f64 {
        match self.delta_months.get(t as usize) {
            Some(&p) if t >= 0 && delta.to_bits() == self.delta.to_bits() => p,
            _ => delta.powf(t as f64 / 12.0),
        }
    }

    fn divisor(&self, age_months: i32) -> f64 {
        let i = (age_months - TABLE_FROM * 12).clamp(0, self.divisor.len() as i32 - 1);
        self.divisor[i as usize].max(1.0)
    }

    /// Expected discounted years of life from `age_months`.
    pub fn life(&self, female: bool, age_months: i32) -> f64 {
        let i = (age_months / 12 - TABLE_FROM).clamp(0, self.life.len() as i32 - 1);
        self.life[i as usize][female as usize]
    }
}

/// Expected discounted years of life from `age`: Σ δ^k × survival to year k.
fn life_years(m: &Mortality, female: bool, age: i32, delta: f64) -> f64 {
    let (mut alive, mut sum, mut d) = (1.0, 0.0, 1.0);
    for a in age..110 {
        sum += alive * d;
        alive *= 1.0 - m.yearly(female, a as f64);
        d *= delta;
    }
    sum
}

/// The contribution bases an agent expects from now until it retires, as up to four
/// stretches of months (a reduced early-career base that ends, this year's flexible choice
/// and the plan for later years). Fixed size: evaluations allocate nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Plan {
    /// End of each stretch, months from now (increasing).
    ends: [i32; 4],
    /// Base of each stretch, yuan a month.
    bases: [f64; 4],
    len: usize,
}

impl Plan {
    /// One base for `months` months.
    pub fn flat(base: f64, months: i32) -> Self {
        let mut p = Plan::default();
        p.push(months, base);
        p
    }

    /// Appends a stretch ending at `end` (ignored if it ends before the last one).
    pub fn push(&mut self, end: i32, base: f64) {
        let last = self.months();
        if end <= last || self.len == 4 {
            return;
        }
        self.ends[self.len] = end;
        self.bases[self.len] = base;
        self.len += 1;
    }

    /// Whether `other` is the same plan to the bit (`PartialEq` calls 0.0 and −0.0 equal,
    /// which a projection would not).
    pub fn same_bits(&self, other: &Plan) -> bool {
        self.len == other.len
            && self.ends[..self.len] == other.ends[..other.len]
            && self.bases[..self.len]
                .iter()
                .zip(&other.bases[..other.len])
                .all(|(x, y)| x.to_bits() == y.to_bits())
    }

    /// Months the plan covers.
    pub fn months(&self) -> i32 {
        if self.len == 0 {
            0
        } else {
            self.ends[self.len - 1]
        }
    }

    /// (start, end, base) of each stretch.
    pub fn stretches(&self) -> impl Iterator<Item = (i32, i32, f64)> + '_ {
        (0..self.len).map(|i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            (start, self.ends[i], self.bases[i])
        })
    }

    /// Σ base × months: what the plan pays in, in base-months.
    pub fn paid(&self) -> f64 {
        self.stretches()
            .map(|(a, b, base)| (b - a) as f64 * base)
            .sum()
    }
}

/// The monthly pension (yuan of today) the agent expects if it contributes along `plan` until
/// it retires in `retire`, plus `extra_annuity` yuan credited to its annuity account (expected
/// points-bank redemptions). A fast projection in today's money with the current calculation
/// base and today's rules; `insurance::benefit::award` computes the real award.
pub fn project(
    a: &Agent,
    ctx: &Context,
    plan: &Plan,
    retire: YearMonth,
    extra_annuity: f64,
) -> f64 {
    let ins = &a.insurance;
    let t = plan.months().max(0) as f64;
    let paid = plan.paid();
    let actual = ins.actual_months as f64 + t;
    let deemed = ins.deemed_months as f64;
    let months = actual + deemed;
    let index_actual = (ins.index_sum + paid / ctx.average_wage.max(1.0)) / actual.max(1.0);
    let index = (ins.deemed_index * deemed + index_actual * actual) / months.max(1.0);
    let c = ctx.calc_base;
    let basic = c * (1.0 + index) / 2.0 * months / 12.0 * 0.01;
    let divisor = ctx.tables.divisor(retire.months_since(a.birth));
    let account = fen_to_yuan(ins.pension_account.total()) + paid * ctx.rates.account;
    let annuity = fen_to_yuan(ins.annuity.total()) + paid * ctx.rates.annuity + extra_annuity;
    let transitional = if ctx.rates.deemed_family {
        c * ins.deemed_index * deemed / 12.0 * ctx.rates.transitional_rate
    } else {
        c * (1.0 + index) / 2.0 * ins.pre_account_months as f64 / 12.0 * ctx.rates.transitional_rate
    };
    basic + (account + annuity) / divisor + transitional
}

pub(super) fn fen_to_yuan(f: crate::money::Fen) -> f64 {
    crate::money::fen_to_yuan(f)
}

/// Monthly take-home on `base`: the wage less the individual contributions on the social
/// insurance base and the housing fund on its own base (which no lever changes), plus expected
/// points-bank health benefits.
pub fn take_home(wage: f64, base: f64, ctx: &Context) -> f64 {
    wage - base * ctx.rates.individual_si - ctx.housing_individual + ctx.points_health
}

/// CRRA utility of consumption `c` (in units of the average wage).
pub fn utility(c: f64, gamma: f64) -> f64 {
    let c = c.max(1e-3);
    if (gamma - 1.0).abs() < 1e-9 {
        c.ln()
    } else {
        c.powf(1.0 - gamma) / (1.0 - gamma)
    }
}

pub fn inverse_utility(u: f64, gamma: f64) -> f64 {
    if (gamma - 1.0).abs() < 1e-9 {
        u.exp()
    } else {
        ((1.0 - gamma) * u).max(1e-12).powf(1.0 / (1.0 - gamma))
    }
}

/// β at the agent's current age: young staff draw from `beta_young`.
pub fn beta(s: &Scenario, a: &Agent, now: YearMonth) -> f64 {
    let p = &s.perception;
    let d = if a.age_years(now) < p.young_age {
        &p.beta_young
    } else {
        &p.beta
    };
    d.at(a.prefs.beta_z as f64)
}

/// Present-biased weight of the months `[from, to)` from now: 1 a year for the coming twelve
/// months, β δ^k for year k after.
pub fn work_weight(beta: f64, delta: f64, from: i32, to: i32) -> f64 {
    weight_of_months(beta, from, to, |k| delta.powi(k))
}

/// [`work_weight`] with δ^k given by `delta_pow`.
#[inline]
fn weight_of_months(beta: f64, from: i32, to: i32, delta_pow: impl Fn(i32) -> f64) -> f64 {
    let mut w = 0.0;
    let mut k = from.max(0) / 12;
    while 12 * k < to {
        let lo = from.max(12 * k);
        let hi = to.min(12 * k + 12);
        if hi > lo {
            let year = if k == 0 { 1.0 } else { beta * delta_pow(k) };
            // A whole year's share, 12 / 12.0 = 1 exactly, times `year` is `year`: the same
            // bits without the division (a valuation runs this loop for each year ahead).
            w += if hi - lo == 12 {
                year
            } else {
                (hi - lo) as f64 / 12.0 * year
            };
        }
        k += 1;
    }
    w
}

/// What one valuation needs about the agent: its β, γ, δ and wage.
#[derive(Clone, Copy, Debug)]
pub struct Valuer {
    pub beta: f64,
    pub delta: f64,
    pub gamma: f64,
    pub wage: f64,
}

impl Valuer {
    pub fn new(s: &Scenario, a: &Agent, ctx: &Context) -> Self {
        Valuer {
            beta: beta(s, a, ctx.now),
            delta: s.perception.delta,
            gamma: a.prefs.gamma as f64,
            wage: fen_to_yuan(a.wage()),
        }
    }

    /// Present-biased lifetime value of contributing along `plan` until `retire`, then living
    /// on `pension` plus leisure worth `leisure` yuan a month; with the certainty-equivalent
    /// monthly consumption in yuan (the constant consumption of equal value).
    pub fn lifetime_value(
        &self,
        a: &Agent,
        ctx: &Context,
        plan: &Plan,
        pension: f64,
        leisure: f64,
        retire: YearMonth,
    ) -> (f64, f64) {
        let aw = ctx.average_wage.max(1.0);
        let (mut value, mut weight) = (0.0, 0.0);
        for (from, to, base) in plan.stretches() {
            let w = weight_of_months(self.beta, from, to, |k| {
                ctx.tables.delta_year(self.delta, k)
            });
            value += w * utility(take_home(self.wage, base, ctx) / aw, self.gamma);
            weight += w;
        }
        let t = plan.months().max(0);
        let discount = if t == 0 {
            1.0
        } else {
            self.beta * ctx.tables.delta_month(self.delta, t)
        };
        let retired = discount * ctx.tables.life(a.is_female(), retire.months_since(a.birth));
        value += retired * utility((pension + leisure) / aw, self.gamma);
        weight += retired;
        let weight = weight.max(1e-9);
        (value, inverse_utility(value / weight, self.gamma) * aw)
    }
}

/// The same rates in a test-friendly form.
#[cfg(test)]
pub(super) fn rates() -> super::Rates {
    super::Rates {
        individual_si: 0.105,
        account: 0.08,
        annuity: 0.0,
        transitional_rate: 0.013,
        deemed_family: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables give the same bits as the calls they replace, in and beyond their range, and
    /// a valuation is the same with them as with its own powers.
    #[test]
    fn tabulated_powers_are_the_same_bits_as_computed_ones() {
        let mut s = Scenario::default();
        for delta in [0.97, 0.955, 1.0] {
            s.perception.delta = delta;
            let t = Tables::new(&s);
            for k in 0..DELTA_YEARS + 5 {
                let direct = delta.powi(k);
                assert_eq!(t.delta_year(delta, k).to_bits(), direct.to_bits(), "δ^{k}");
            }
            for m in 0..DELTA_MONTHS + 30 {
                let direct = delta.powf(m as f64 / 12.0);
                assert_eq!(
                    t.delta_month(delta, m).to_bits(),
                    direct.to_bits(),
                    "δ^({m}/12)"
                );
            }
            for (from, to) in [(0, 12), (6, 18), (0, 480), (13, 700), (0, 1300)] {
                let tabled = weight_of_months(0.7, from, to, |k| t.delta_year(delta, k));
                let direct = work_weight(0.7, delta, from, to);
                assert_eq!(tabled.to_bits(), direct.to_bits(), "{from}..{to}");
            }
            // Another δ computes its own powers, not the table's.
            let other = delta * 0.5;
            assert_eq!(t.delta_year(other, 3).to_bits(), other.powi(3).to_bits());
            let seven = other.powf(7.0 / 12.0);
            assert_eq!(t.delta_month(other, 7).to_bits(), seven.to_bits());
        }
    }

    proptest::proptest! {
        /// A whole year's weight added as it is gives the bits of the share of twelve months
        /// times the year's weight, for any span and β.
        #[test]
        fn weights_of_months_are_the_bits_of_the_shares_of_each_year(
            from in -30i32..800,
            len in 0i32..900,
            beta in 0.3f64..1.2,
            delta in 0.9f64..1.0,
        ) {
            let to = from + len;
            let mut shares = 0.0;
            let mut k = from.max(0) / 12;
            while 12 * k < to {
                let (lo, hi) = (from.max(12 * k), to.min(12 * k + 12));
                if hi > lo {
                    let year = if k == 0 { 1.0 } else { beta * delta.powi(k) };
                    shares += (hi - lo) as f64 / 12.0 * year;
                }
                k += 1;
            }
            let w = work_weight(beta, delta, from, to);
            proptest::prop_assert_eq!(w.to_bits(), shares.to_bits());
        }
    }

    /// Plans are the same to the bit or not; a zero and a negative zero base differ.
    #[test]
    fn same_bits_tells_plans_apart_to_the_bit() {
        let a = Plan::flat(5000.0, 120);
        assert!(a.same_bits(&Plan::flat(5000.0, 120)));
        assert!(!a.same_bits(&Plan::flat(5000.0, 121)));
        assert!(!a.same_bits(&Plan::flat(5000.5, 120)));
        let mut two = Plan::flat(5000.0, 120);
        two.push(240, 6000.0);
        assert!(!a.same_bits(&two) && !two.same_bits(&a));
        assert!(Plan::flat(0.0, 12) == Plan::flat(-0.0, 12));
        assert!(!Plan::flat(0.0, 12).same_bits(&Plan::flat(-0.0, 12)));
    }
}

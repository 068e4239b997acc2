//! The end of a run: each agent's `AgentRecord` (what agents.csv writes), with the money's
//! worth and the internal rate of return of retirees, and the `Outcome` that carries them with
//! the series and the run's facts. The records are made a block at a time while the staff's
//! memory is released, so the end of a run needs little more memory than the staff did.

use super::record::Ledger;
use crate::agent::{Agent, Status, Track};
use crate::metrics::Series;
use crate::money::{fen_to_yuan, Fen};
use crate::scenario::Scenario;
use crate::time::YearMonth;
use rayon::prelude::*;

use super::record::{ANNUITY_FROM, ANNUITY_TO};

/// Annuity factors by sex and age in months at retirement (see `Ledger::annuity_factor`).
/// Each factor sums over every later month of life, so the monthly death probabilities are
/// looked up in a monthly mortality table (`Mortality::monthly_table`: the same values,
/// computed once per age in months rather than once per age at retirement and month after
/// it, about 2,900 evaluations instead of 577,000, which were a few per cent of a small run).
pub(super) fn annuity_table(s: &Scenario) -> Vec<[f64; 2]> {
    let d = (1.0 + s.outcomes.discount_rate).powf(1.0 / 12.0);
    let g = (1.0 + s.outcomes.pension_growth).powf(1.0 / 12.0);
    let mort = s.careers.mortality.monthly_table();
    (ANNUITY_FROM..=ANNUITY_TO)
        .map(|age| {
            let f = |female: bool| {
                let (mut alive, mut pv, mut k) = (1.0, 0.0, 1.0);
                for m in 0..(110 * 12 - age) {
                    pv += alive * k;
                    alive *= 1.0 - mort.at(female, age + m);
                    k *= g / d;
                }
                pv
            };
            [f(false), f(true)]
        })
        .collect()
}

/// For each whole age from 40 to 80 at retirement and each sex, the probability of being alive
/// at the start of each later year, to age 110.
pub(super) fn survival_table(s: &Scenario) -> Vec<[Vec<f64>; 2]> {
    let mort = &s.careers.mortality;
    (ANNUITY_FROM / 12..=ANNUITY_TO / 12)
        .map(|age| {
            let curve = |female: bool| {
                let mut alive = 1.0;
                (age..110)
                    .map(|a| {
                        let now = alive;
                        alive *= 1.0 - mort.yearly(female, a as f64);
                        now
                    })
                    .collect()
            };
            [curve(false), curve(true)]
        })
        .collect()
}

/// The yearly internal rate of return of a retiree's expected pension cash flows. The run keeps
/// no per-agent history, so the contributions are rebuilt as a stream over the contribution
/// years that grows with pay and adds up to what was paid, and the benefits as the first
/// pension for life, growing with pensions in payment, weighted by survival. Deemed years,
/// with no contributions behind them, raise the rate as they do in reality.
fn expected_irr(s: &Scenario, l: &Ledger, a: &Agent) -> Option<f64> {
    let paid = fen_to_yuan(a.insurance.pension_paid);
    if paid <= 0.0 || a.first_pension <= 0 {
        return None;
    }
    let years = (a.insurance.actual_months as usize).div_ceil(12).max(1);
    let g = 1.0 + *s.careers.wage_growth.at_general(a.retire_month);
    let weights: Vec<f64> = (0..years).map(|k| g.powi(k as i32)).collect();
    let level = paid / weights.iter().sum::<f64>();
    let age = (a.age_months(a.retire_month) / 12).clamp(ANNUITY_FROM / 12, ANNUITY_TO / 12);
    let curve = &l.survival[(age - ANNUITY_FROM / 12) as usize][a.is_female() as usize];
    let pg = 1.0 + s.outcomes.pension_growth;
    let yearly = 12.0 * fen_to_yuan(a.first_pension);
    let flows: Vec<f64> = weights
        .iter()
        .map(|w| -level * w)
        .chain(
            curve
                .iter()
                .enumerate()
                .map(|(k, alive)| yearly * pg.powi(k as i32) * alive),
        )
        .collect();
    crate::insurance::outcomes::irr(&flows)
}

/// The end state of one agent, as written to agents.csv. No names or identifiers from any
/// input: the id is the simulation's own.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentRecord {
    pub id: u32,
    pub university: u16,
    pub region: u16,
    pub track: Track,
    pub female: bool,
    pub cadre: bool,
    pub title: &'static str,
    pub birth: YearMonth,
    pub hired: YearMonth,
    pub status: Status,
    pub status_since: YearMonth,
    pub retire_month: YearMonth,
    /// Wage now, or the final wage for retirees.
    pub wage: Fen,
    pub contribution_months: u32,
    pub pension: crate::agent::Pension,
    pub replacement_final: Option<f64>,
    pub replacement_average: Option<f64>,
    pub money_worth: Option<f64>,
    /// Yearly internal rate of return of expected pension flows (see `expected_irr`).
    pub irr: Option<f64>,
    pub pension_paid: Fen,
    pub benefits_received: Fen,
    pub medical_months: u32,
    pub medical_shortfall: u32,
    pub perception: crate::perception::Perception,
    pub effort: f32,
    pub base_ratio: f32,
    pub opted_in: bool,
    pub unified: bool,
    pub points: u32,
    pub take_home: Fen,
}

/// Facts about the run, for the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct RunInfo {
    pub months: u32,
    /// Initial staff (ids below this); pensioners in payment at the start follow them.
    pub agents_initial: usize,
    pub agents_final: usize,
    /// (inflow, held + outflow) of the account-conservation identity; equal in a correct run.
    pub conservation: (Fen, Fen),
    /// (balance, booked flows incl. interest and subsidies) over all pooled funds; equal in a
    /// correct run.
    pub fund_identity: (Fen, Fen),
    /// Interest credited to and fiscal subsidies paid into the pooled funds over the run.
    pub fund_interest: Fen,
    pub fund_subsidy: Fen,
}

/// A finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub series: Series,
    pub records: Vec<AgentRecord>,
    pub info: RunInfo,
}

/// Builds the outcome from the final state.
pub fn finish(
    s: &Scenario,
    agents: Vec<Agent>,
    series: Series,
    ledger: Ledger,
    initial: usize,
) -> Outcome {
    let conservation = ledger.conservation(&agents);
    let agents_final = agents.len();
    let records = records_releasing(s, &ledger, agents);
    Outcome {
        series,
        records,
        info: RunInfo {
            months: s.simulation.years * 12,
            agents_initial: initial,
            agents_final,
            conservation,
            fund_identity: ledger.funds.identity(),
            fund_interest: ledger
                .funds
                .totals
                .iter()
                .flatten()
                .map(|t| t.interest)
                .sum(),
            fund_subsidy: ledger
                .funds
                .totals
                .iter()
                .flatten()
                .map(|t| t.subsidy)
                .sum(),
        },
    }
}

/// Agents whose records are made at once before their memory is released.
pub const RELEASE_BLOCK: usize = 16 * super::CHUNK;

/// The end records in id order, made from the last agents back, a block at a time, each
/// block's agents released once its records are made: the staff and the records are never
/// both held whole, so the end of a run needs little more memory than the staff did. The
/// records' vector is reserved at once but its pages are only touched as they are filled.
///
/// The copies into the records' vector and its final reversal run on both threads: done on
/// one, they were a serial pass over every record twice (a gigabyte at 1,000,000 staff over
/// 40 years) with the vector's new pages faulted in one at a time.
fn records_releasing(s: &Scenario, l: &Ledger, mut agents: Vec<Agent>) -> Vec<AgentRecord> {
    let mut out = Vec::with_capacity(agents.len());
    while !agents.is_empty() {
        let from = agents.len().saturating_sub(RELEASE_BLOCK);
        let block: Vec<AgentRecord> = agents[from..].par_iter().map(|a| record(s, l, a)).collect();
        out.par_extend(block.into_par_iter().rev());
        agents.truncate(from);
        agents.shrink_to_fit();
    }
    reverse_in_parallel(&mut out);
    out
}

/// `v.reverse()`, the swaps of the two halves' mirrored items shared among the threads.
fn reverse_in_parallel<T: Send>(v: &mut [T]) {
    let half = v.len() / 2;
    let (front, back) = v.split_at_mut(v.len() - half);
    front[..half]
        .par_iter_mut()
        .zip(back.par_iter_mut().rev())
        .for_each(|(a, b)| std::mem::swap(a, b));
}

fn record(s: &Scenario, l: &Ledger, a: &Agent) -> AgentRecord {
    use crate::insurance::outcomes::{replacement_vs_average_wage, replacement_vs_final_wage};
    let retired = a.first_pension > 0;
    let first = a.first_pension;
    let aw =
        crate::money::yuan_to_fen(s.regions[a.region as usize].average_wage_at(a.retire_month));
    let age = a.age_months(a.retire_month);
    // Pensioners at the start have no record of what they paid comparable with the run's
    // (their service was mostly deemed): no money's worth or rate of return.
    let in_run = retired && a.retire_month >= s.simulation.start;
    let worth = (in_run && a.insurance.pension_paid_value > 0.0).then(|| {
        fen_to_yuan(first) * l.annuity_factor(a.is_female(), age)
            / fen_to_yuan(a.insurance.pension_paid_value.round() as Fen)
    });
    AgentRecord {
        id: a.id,
        university: a.university,
        region: a.region,
        track: a.track,
        female: a.is_female(),
        cadre: a.category == crate::agent::Category::Cadre,
        title: a.title(),
        birth: a.birth,
        hired: a.hired,
        status: a.status,
        status_since: a.status_since,
        retire_month: a.retire_month,
        wage: if retired { a.final_wage } else { a.wage() },
        contribution_months: a.insurance.actual_months + a.insurance.deemed_months,
        pension: a.pension,
        replacement_final: if retired {
            replacement_vs_final_wage(first, a.final_wage)
        } else {
            None
        },
        replacement_average: if retired {
            replacement_vs_average_wage(first, aw)
        } else {
            None
        },
        money_worth: worth,
        irr: if in_run { expected_irr(s, l, a) } else { None },
        pension_paid: a.insurance.pension_paid,
        benefits_received: a.benefits_received,
        medical_months: a.insurance.medical_months,
        medical_shortfall: a.medical_shortfall,
        perception: a.perception,
        effort: a.effort,
        base_ratio: a.base_ratio,
        opted_in: a.opted_in,
        unified: a.unified,
        points: a.points.iter().sum(),
        take_home: a.take_home,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_in_parallel_is_reverse_at_every_length() {
        for n in 0..200usize {
            let mut v: Vec<usize> = (0..n).collect();
            reverse_in_parallel(&mut v);
            let expected: Vec<usize> = (0..n).rev().collect();
            assert_eq!(v, expected, "length {n}");
        }
        let mut big: Vec<u32> = (0..100_003).collect();
        reverse_in_parallel(&mut big);
        assert!(big.iter().rev().copied().eq(0..100_003));
    }
}

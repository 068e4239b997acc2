//! Start of a run: each agent's statutory retirement month and the insurance record of the
//! service it already has. Past records are reconstructed, not known: contributions at the
//! agent's current position relative to the regional average wage, deflated along the wage
//! series, credited at the book rates of their years. The approximation is documented in
//! docs/ODD.md (Initialisation); an imported roster may give balances directly.

use super::behave::{self, Shared};
use super::env::MonthEnv;
use super::insure;
use crate::agent::{Agent, Stays};
use crate::insurance::RatesAt;
use crate::money::{apply_ppm, yuan_to_fen, Fen};
use crate::scenario::Scenario;
use crate::time::YearMonth;
use rayon::prelude::*;

/// Year-end rates by region and year, for reconstructing past records without resolving the
/// parameter tables per agent.
pub struct History {
    first_year: i32,
    /// `rates[region][year - first_year]`, resolved in December of the year.
    rates: Vec<Vec<RatesAt>>,
}

impl History {
    pub fn new(s: &Scenario, first_year: i32, last_year: i32) -> Self {
        let rates = s
            .regions
            .iter()
            .map(|r| {
                (first_year..=last_year)
                    .map(|y| s.insurance.resolve(YearMonth::ym(y, 12), &r.name))
                    .collect()
            })
            .collect();
        History { first_year, rates }
    }

    pub(super) fn at(&self, region: u16, year: i32) -> &RatesAt {
        let row = &self.rates[region as usize];
        &row[((year - self.first_year).max(0) as usize).min(row.len() - 1)]
    }
}

/// Prepares the initial population in parallel (each agent independently).
pub fn prepare(s: &Scenario, agents: &mut [Agent], history: &History) -> Fen {
    let start = s.simulation.start;
    agents.par_iter_mut().for_each(|a| {
        behave::enter(s, a);
        a.retire_month = insure::statutory_month(s, a);
        reconstruct(s, a, start, history);
    });
    agents
        .iter()
        .map(|a| a.insurance.pension_account.total() + a.insurance.annuity.total())
        .sum()
}

/// The first perceptions, before the first month: every active agent is valued, then
/// compared with the same valuations of its peers. `staff` lists the active staff by chunk
/// (`roll::Roll::staff`).
pub fn first_perception(
    s: &Scenario,
    agents: &mut [Agent],
    shared: &mut Shared,
    staff: &[Vec<u16>],
) {
    let env = MonthEnv::new(s, s.simulation.start);
    behave::evaluate_all(s, &env, shared, agents, staff);
}

/// The earliest year any agent's record needs.
pub fn first_year(agents: &[Agent], start: YearMonth) -> i32 {
    agents
        .iter()
        .map(|a| a.work_start.year())
        .min()
        .unwrap_or(start.year())
        .min(start.year())
}

/// Fills the record of service from `work_start` to `until` (exclusive).
pub fn reconstruct(s: &Scenario, a: &mut Agent, until: YearMonth, history: &History) {
    let region = &s.regions[a.region as usize];
    let aw_now = yuan_to_fen(region.average_wage_at(until));
    let growth = (1.0 + *s.careers.wage_growth.at_general(until)).max(0.01);
    a.prev_year_avg_wage = (a.wage() as f64 / growth).round() as Fen;
    let r_now = history.at(a.region, until.year());
    let ratio = (a.wage() as f64 / aw_now.max(1) as f64).clamp(
        r_now.floor_ratio_ppm as f64 / 1e6,
        r_now.ceiling_ratio_ppm as f64 / 1e6,
    );
    let service = until.months_since(a.work_start).max(0) as u32;
    let t = &s.insurance.transfer;
    let institution = a.track.is_institution();
    let reform = t.institution_pooled_since;
    // The enterprise personal account started in each region on its own date (1992–1998;
    // `pension.account_start` from the regional rule table), the institution one at the reform.
    let account_start = if institution {
        reform
    } else {
        r_now.account_start
    };
    let ins = &mut a.insurance;
    // Service before the scheme's personal account existed is deemed contribution (视同缴费)
    // in both schemes: before the institution reform for established staff (国发〔2015〕2号),
    // before the enterprise personal account for contract staff (国发〔1997〕26号). Both tracks'
    // 中人 therefore carry deemed months and a deemed index, and the enterprise's average-index
    // family counts the same months as its N_pre.
    ins.deemed_months = months_between(a.work_start, account_start.min(until));
    ins.deemed_index = ratio;
    ins.actual_months = service - ins.deemed_months;
    if !institution {
        ins.pre_account_months = ins.deemed_months;
    }
    ins.index_sum = ratio * ins.actual_months as f64;
    ins.medical_months = service;
    ins.medical_continuous = until.months_since(a.hired).max(0) as u32;
    ins.stays = Stays::starting(a.region, ins.medical_continuous);
    let from = a.work_start.max(account_start);
    accrue_accounts(s, a, from, until, ratio, history);
    // Past contributions valued at the outcome discount rate as if paid mid-way.
    let half_years = until.months_since(from).max(0) as f64 / 24.0;
    a.insurance.pension_paid_value =
        a.insurance.pension_paid as f64 * (1.0 + s.outcomes.discount_rate).powf(half_years);
}

fn months_between(from: YearMonth, to: YearMonth) -> u32 {
    to.months_since(from).max(0) as u32
}

/// Past contributions year by year, credited at each year's book rate (year-end convention).
fn accrue_accounts(
    s: &Scenario,
    a: &mut Agent,
    from: YearMonth,
    until: YearMonth,
    ratio: f64,
    h: &History,
) {
    if from >= until {
        return;
    }
    let region = &s.regions[a.region as usize];
    let institution = a.track.is_institution();
    for year in from.year()..=until.year() {
        let lo = from.max(YearMonth::ym(year, 1));
        let hi = until.min(YearMonth::ym(year + 1, 1));
        let months = hi.months_since(lo).max(0) as i64;
        if months == 0 {
            continue;
        }
        let r = h.at(a.region, year);
        let aw = yuan_to_fen(region.average_wage_at(YearMonth::ym(year - 1, 1)));
        let base = (aw as f64 * ratio).round() as Fen;
        let ins = &mut a.insurance;
        let individual = apply_ppm(base, r.pension_individual_ppm) * months;
        // The enterprise account was credited 11 % of the base from 1998 to 2005 (the
        // individual's 8 % and 3 points of the employer's) and the individual rate since; the
        // institution account holds the individual rate.
        let credited = if institution {
            individual
        } else {
            apply_ppm(base, r.account_credit_ppm) * months
        };
        let employer_ppm = if institution {
            r.pension_institution_employer_ppm
        } else {
            r.pension_enterprise_employer_ppm
        };
        let employer = apply_ppm(base, employer_ppm) * months;
        // Transfers count the enterprise bases from `transfer.enterprise_pooled_since` only.
        let pooled_months = hi
            .months_since(lo.max(s.insurance.transfer.enterprise_pooled_since))
            .max(0) as i64;
        ins.pooled_base_sum += base * pooled_months;
        let since_reform = hi
            .months_since(lo.max(s.insurance.transfer.institution_pooled_since))
            .max(0) as i64;
        ins.reform_base_sum += base * since_reform;
        ins.paid_employer += employer;
        ins.paid_individual += individual;
        ins.pension_paid += employer + individual;
        let closes = hi == YearMonth::ym(year + 1, 1);
        let acc = &mut ins.pension_account;
        acc.contribute(credited);
        if closes {
            acc.close_year(r);
        }
        if institution {
            let oa = apply_ppm(base, r.oa_employer_ppm + r.oa_individual_ppm) * months;
            ins.pension_paid += oa;
            ins.annuity.contribute(0, oa, false);
            if closes {
                ins.annuity
                    .close_year(r.oa_funded_return_ppm, r.oa_notional_rate_ppm);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::Track;
    use crate::scenario::dated::Dated;

    /// A contract staff member in Sichuan who started work in 1990-01: the enterprise account
    /// began there in 1996-01, so six years are deemed (and pre-account), and the account was
    /// credited 11 % of the base from 1998 to 2005.
    fn contract_1990(s: &Scenario) -> Agent {
        let mut a = crate::population::synthetic(s).remove(0);
        a.track = Track::Contract;
        a.birth = YearMonth::ym(1968, 3);
        a.work_start = YearMonth::ym(1990, 1);
        a.hired = YearMonth::ym(2010, 1);
        a.region = s.region_index("sichuan").expect("a default region") as u16;
        let history = History::new(s, 1990, 2025);
        reconstruct(s, &mut a, s.simulation.start, &history);
        a
    }

    #[test]
    fn past_records_follow_the_regional_account_start_and_the_11_percent_credit() {
        let mut s = Scenario::default();
        s.simulation.agents = 1;
        let a = contract_1990(&s);
        assert_eq!(a.insurance.deemed_months, 72);
        assert_eq!(a.insurance.pre_account_months, 72);
        // The same record credited at 8 % throughout holds less.
        let mut flat = s.clone();
        flat.insurance.pension.account_credit_rate = Dated::constant(0.08);
        let b = contract_1990(&flat);
        let (eleven, eight) = (
            a.insurance.pension_account.total(),
            b.insurance.pension_account.total(),
        );
        assert!(eleven > eight, "{eleven} vs {eight}");
        // Eight years at 3 points more than 8 %: at most 3/8 of those years' credits more.
        assert!((eleven - eight) as f64 <= 0.375 * eight as f64);
        // The contributions paid are the same; only the credit differs.
        assert_eq!(a.insurance.paid_individual, b.insurance.paid_individual);
    }
}

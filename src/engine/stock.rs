//! The pensioners already in payment when a run starts (老人 and retired 中人), so that the pooled
//! funds start with their pensioners as well as their contributors.
//!
//! Each region's fund gets `pooled_fund.{enterprise,institution}_dependency` pensioners per
//! contributor among the initial staff. A pensioner is drawn from a staff member of the same
//! region and scheme (post, ladder, sex and category, relative pay, age at the first job), who
//! retired at the statutory age of the rules before the 2025 reform some years ago. The years
//! since retirement follow the stationary distribution of the mortality table (the chance of
//! being alive that long after retiring). The award is the model's own at the retirement
//! month: the record is rebuilt to that month as for staff, the award computed with that
//! month's calculation base and rules, raised by each January's indexation up to the start, and
//! the personal account and annuity drawn down by what they have paid since.

use super::env::MonthEnv;
use super::init::{reconstruct, History};
use super::insure;
use crate::agent::{Agent, Category, Status};
use crate::metrics::MonthAgg;
use crate::money::{apply_ppm, Fen};
use crate::rng::{chacha, Purpose};
use crate::scenario::Scenario;
use crate::time::YearMonth;
use rand::Rng;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Random streams of initial pensioners are keyed above every staff id.
const STREAM_OFFSET: u64 = 1 << 32;
/// At most this many years since retirement (the table is cut at age 105).
const MAX_YEARS_RETIRED: i32 = 50;

/// Statutory age in years before the 2025 reform: 60 for men, 55 for women in cadre posts, 50
/// for women in worker posts (国发〔1978〕104号).
fn old_statutory_age(a: &Agent) -> i32 {
    match (a.is_female(), a.category) {
        (false, _) => 60,
        (true, Category::Cadre) => 55,
        (true, Category::Worker) => 50,
    }
}

/// The earliest year a pensioner's record can need (for the rates history).
pub fn first_year(start: YearMonth) -> i32 {
    start.year() - MAX_YEARS_RETIRED - 50
}

/// Index of a region's and scheme's members among the initial staff, in id order.
fn members(staff: &[Agent], region: u16, scheme: usize) -> Vec<usize> {
    staff
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.is_active()
                && a.region == region
                && insure::scheme_index(insure::scheme_of(a)) == scheme
        })
        .map(|(i, _)| i)
        .collect()
}

/// The pensioners in payment at the start, with ids following the staff's.
pub fn initial_retirees(s: &Scenario, staff: &[Agent], history: &History) -> Vec<Agent> {
    let start = s.simulation.start;
    let p = &s.insurance.pooled_fund;
    // (id, template) in a fixed order: region, scheme, then draw number.
    let mut jobs: Vec<(u32, usize)> = Vec::new();
    for (r, region) in s.regions.iter().enumerate() {
        for (k, ratio) in [&p.enterprise_dependency, &p.institution_dependency]
            .iter()
            .enumerate()
        {
            let group = members(staff, r as u16, k);
            if group.is_empty() {
                continue;
            }
            let n = (ratio.at(start, &region.name) * group.len() as f64).round() as usize;
            for _ in 0..n {
                let id = (staff.len() + jobs.len()) as u32;
                let mut rng = chacha(
                    s.simulation.seed,
                    Purpose::Population,
                    STREAM_OFFSET + id as u64,
                );
                jobs.push((id, group[rng.random_range(0..group.len())]));
            }
        }
    }
    let mut out: Vec<Agent> = jobs
        .par_iter()
        .map(|&(id, t)| draw(s, id, &staff[t]))
        .collect();
    let months: Vec<YearMonth> = out
        .iter()
        .map(|a| a.retire_month)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let envs: BTreeMap<YearMonth, MonthEnv> = months
        .par_iter()
        .map(|&m| (m, MonthEnv::new(s, m)))
        .collect();
    out.par_iter_mut()
        .for_each(|a| award_in_payment(s, &envs[&a.retire_month], a, history));
    out
}

/// A pensioner modelled on staff member `t`: retired at the old statutory age, some years ago.
fn draw(s: &Scenario, id: u32, t: &Agent) -> Agent {
    let start = s.simulation.start;
    let mut rng = chacha(
        s.simulation.seed,
        Purpose::Retirement,
        STREAM_OFFSET + id as u64,
    );
    let mut a = t.clone();
    a.id = id;
    let age = old_statutory_age(&a);
    let mort = &s.careers.mortality;
    let female = a.is_female();
    let mut alive = 1.0;
    let weights: Vec<f64> = (0..MAX_YEARS_RETIRED)
        .map(|y| {
            let w = alive;
            alive *= 1.0 - mort.yearly(female, (age + y) as f64);
            w
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    let mut years = MAX_YEARS_RETIRED - 1;
    for (y, w) in weights.iter().enumerate() {
        if u < *w {
            years = y as i32;
            break;
        }
        u -= w;
    }
    let retire = start.plus_months(-(years * 12 + rng.random_range(1..=12)));
    a.birth = retire.plus_months(-age * 12);
    let first_job = t
        .work_start
        .months_since(t.birth)
        .clamp(18 * 12, (age - 15) * 12);
    a.work_start = a.birth.plus_months(first_job);
    a.hired = a.work_start;
    a.retire_month = retire;
    // Same position relative to the regional average wage as the template, at retirement.
    let region = &s.regions[a.region as usize];
    let scale = region.average_wage_at(retire) / region.average_wage_at(start).max(1.0);
    a.basic_wage = (t.basic_wage as f64 * scale).round() as Fen;
    a.performance_pay = (t.performance_pay as f64 * scale).round() as Fen;
    a.insurance = Default::default();
    a.insurance.hukou_region = a.region;
    a.status = Status::Active;
    a
}

/// The award at the retirement month, indexed to the start, with the accounts drawn down.
fn award_in_payment(s: &Scenario, env: &MonthEnv, a: &mut Agent, history: &History) {
    let retire = a.retire_month;
    reconstruct(s, a, retire, history);
    let limits = env.regions[a.region as usize].limits;
    a.insurance.base = crate::insurance::base::contribution_base(a.prev_year_avg_wage, limits);
    let mut scratch = MonthAgg::new(s.universities.len(), s.regions.len());
    insure::retire(s, env, a, &mut scratch);
    let start = s.simulation.start;
    for year in retire.year() + 1..=start.year() {
        let january = YearMonth::ym(year, 1);
        if january > retire && january < start {
            let r = history.at(a.region, year);
            let p = &a.pension;
            a.pension.basic += apply_ppm(p.basic + p.personal + p.transitional, r.indexation_ppm);
        }
    }
    // Paid from the award's first payment month (the month after the retirement month).
    let rules = &env.regions[a.region as usize].rates.pension_rules;
    let first = crate::insurance::benefit::first_payment_month(retire, rules);
    let paid = start.months_since(first).max(0) as Fen;
    let ins = &mut a.insurance;
    let from_account = (a.pension.personal * paid)
        .min(ins.pension_account.total())
        .max(0);
    insure::take_personal(&mut ins.pension_account, from_account);
    let from_annuity = (a.pension.annuity * paid).min(ins.annuity.total()).max(0);
    insure::take_annuity(&mut ins.annuity, from_annuity);
    a.take_home = 0;
    a.intent = Default::default();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Scenario, Vec<Agent>, Vec<Agent>) {
        let mut s = Scenario::default();
        s.simulation.agents = 2_000;
        let mut staff = crate::population::synthetic(&s);
        let history = History::new(&s, first_year(s.simulation.start), 2030);
        super::super::init::prepare(&s, &mut staff, &history);
        let retirees = initial_retirees(&s, &staff, &history);
        (s, staff, retirees)
    }

    #[test]
    fn each_fund_starts_at_its_dependency_ratio() {
        let (s, staff, retirees) = setup();
        let start = s.simulation.start;
        for k in 0..2 {
            let contributors = staff
                .iter()
                .filter(|a| insure::scheme_index(insure::scheme_of(a)) == k)
                .count();
            let pensioners = retirees
                .iter()
                .filter(|a| insure::scheme_index(insure::scheme_of(a)) == k)
                .count();
            let p = &s.insurance.pooled_fund;
            let ratio = if k == 0 {
                p.enterprise_dependency.at(start, "sichuan")
            } else {
                p.institution_dependency.at(start, "sichuan")
            };
            assert!(contributors > 0);
            assert_eq!(pensioners, (ratio * contributors as f64).round() as usize);
        }
    }

    #[test]
    fn pensioners_are_in_payment_with_ids_after_the_staff() {
        let (s, staff, retirees) = setup();
        let start = s.simulation.start;
        for (i, a) in retirees.iter().enumerate() {
            assert_eq!(a.id as usize, staff.len() + i);
            assert_eq!(a.status, Status::Retired);
            assert!(a.retire_month < start);
            assert!(a.pension.total() > 0, "{a:?}");
            assert!(a.age_months(start) >= 50 * 12);
        }
        // Pensions in payment were raised since the award (indexation is positive every year).
        let raised = retirees
            .iter()
            .filter(|a| a.retire_month.year() < start.year() - 1)
            .all(|a| a.pension.total() > a.first_pension);
        assert!(raised);
        // The stationary distribution: most retired within the last 20 years, some long ago.
        let recent = retirees
            .iter()
            .filter(|a| start.months_since(a.retire_month) < 20 * 12)
            .count();
        assert!(recent * 2 > retirees.len() && recent < retirees.len());
    }

    #[test]
    fn the_same_seed_draws_the_same_pensioners() {
        let (_, _, a) = setup();
        let (_, _, b) = setup();
        assert_eq!(a.len(), b.len());
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.pension == y.pension && x.birth == y.birth));
    }
}

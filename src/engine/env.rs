//! What is in force in one month, resolved once per region before the agent phase so that the
//! loop over agents does no table lookups.

use super::rates::ClassRates;
use crate::insurance::base::{self, BaseLimits};
use crate::insurance::medical::MedicalRules;
use crate::insurance::RatesAt;
use crate::insurance::Sex;
use crate::macro_paths::{MacroPath, Process};
use crate::money::{rate_to_ppm, yuan_to_fen, Fen};
use crate::policy::PolicyAt;
use crate::scenario::Scenario;
use crate::time::YearMonth;

/// One region in one month.
#[derive(Clone, Debug)]
pub struct RegionEnv {
    pub rates: RatesAt,
    /// Average wage behind this base year's limits (the previous year's 全口径 average), fen.
    pub limits_wage: Fen,
    /// Limits applied this month: the new year's once published, the old ones until then.
    pub limits: BaseLimits,
    /// The new year's limits (equal to `limits` once published).
    pub new_limits: BaseLimits,
    /// This month starts a base year: every base is set again.
    pub base_year_starts: bool,
    /// This month the new limits are published after a lag: bases are recomputed and the
    /// arrears for the elapsed months paid.
    pub publication: Option<u32>,
    /// Pension calculation base for retirements this month, fen.
    pub calc_base: Fen,
    /// The regional average wage of this year, fen (for replacement rates).
    pub average_wage: Fen,
    /// Medical months required for retiree cover, men and women.
    pub medical_required: [i32; 2],
    /// The contribution rates by membership class, from `rates` and the levers in force
    /// (a contract-annuity lever's rates are the occupational annuity's times
    /// `policy.contract_annuity`, rounded to the ppm once for the month).
    pub classes: ClassRates,
    /// The housing fund's base cap: `housing_cap_multiple` times the city's average wage.
    pub housing_cap: Fen,
}

/// The month's environment.
#[derive(Clone, Debug)]
pub struct MonthEnv {
    pub month: YearMonth,
    pub regions: Vec<RegionEnv>,
    /// This month is a January after the first month: pay scales grow and salary steps apply.
    pub january_raise: bool,
    /// Pay-scale growth applied this January (0 in other months).
    pub wage_growth: f64,
    /// Cumulative growth of pay scales since the start (`career::wage_index`), computed once
    /// for the month's raises rather than per agent.
    pub wage_index: f64,
    pub promotion_month: bool,
    pub conversion_month: bool,
    pub year_end: bool,
    /// Monthly equivalent of the outcome discount rate.
    pub discount_monthly: f64,
    /// Months of tenure below which the leaving hazard is an early member's
    /// (`career::QuitProfile::early_months`).
    pub early_tenure_months: i64,
    /// The levers in force.
    pub policy: PolicyAt,
    /// Perceptions are re-evaluated this month (the yearly month, or a lever's intensity
    /// changes).
    pub evaluate: bool,
    /// Every base is set again this month (a contribution-base lever starts).
    pub rebase: bool,
    /// The month's part of the agents' draw keys, hashed once for the month.
    pub key: crate::rng::MonthKey,
}

impl MonthEnv {
    pub fn new(s: &Scenario, month: YearMonth) -> Self {
        let policy = s.policy.at(month);
        // `[macro]`: the run's path, when enabled, replaces wage growth, book rates, annuity
        // returns and the level of the regional wage series from its first year on.
        let path = s.macro_paths.run_path(s.simulation.seed, month.year());
        let regions = s
            .regions
            .iter()
            .map(|r| region_env(s, &r.name, month, &policy, path.as_ref()))
            .collect();
        let starts = lever_starts(s, month);
        MonthEnv {
            month,
            regions,
            january_raise: month.month() == 1 && month > s.simulation.start,
            wage_growth: if month.month() == 1 && month > s.simulation.start {
                path.as_ref()
                    .and_then(|p| p.get(Process::WageGrowth, month.year()))
                    .unwrap_or(*s.careers.wage_growth.at_general(month))
            } else {
                0.0
            },
            wage_index: crate::career::wage_index(s, month),
            promotion_month: month.month() == s.careers.promotion_month,
            conversion_month: month.month() == s.careers.conversion_month,
            year_end: month.month() == 12,
            discount_monthly: (1.0 + s.outcomes.discount_rate).powf(1.0 / 12.0) - 1.0,
            early_tenure_months: s.careers.quit_profile.early_months(),
            policy,
            evaluate: month.month() == s.perception.month || starts.any,
            rebase: starts.contribution_base,
            key: crate::rng::MonthKey::new(month.index()),
        }
    }
}

impl MonthEnv {
    /// The same month under the statutory rules (no lever in force): what perception compares
    /// a reform with.
    pub fn status_quo(&self, s: &Scenario) -> MonthEnv {
        let policy = PolicyAt::statutory();
        let path = s.macro_paths.run_path(s.simulation.seed, self.month.year());
        let regions = s
            .regions
            .iter()
            .map(|r| region_env(s, &r.name, self.month, &policy, path.as_ref()))
            .collect();
        MonthEnv {
            regions,
            policy,
            rebase: false,
            ..self.clone()
        }
    }
}

/// Which levers start or step up this month (their start, or any month of their phase-in).
struct Starts {
    any: bool,
    contribution_base: bool,
}

fn lever_starts(s: &Scenario, month: YearMonth) -> Starts {
    let p = &s.policy;
    let moves = |sched: crate::policy::Schedule| {
        sched.intensity(month) != sched.intensity(month.plus_months(-1))
    };
    let cb = moves(p.contribution_base.schedule());
    Starts {
        any: cb
            || moves(p.dual_track.schedule())
            || moves(p.points_bank.schedule())
            || moves(p.regional.schedule()),
        contribution_base: cb,
    }
}

/// The statutory rates of the region with the levers that replace them applied: other floor
/// and ceiling ratios, equal employer rates, portability, no make-up.
fn apply_levers(rates: &mut RatesAt, policy: &PolicyAt) {
    if let Some(f) = policy.floor_ratio {
        rates.floor_ratio_ppm = rate_to_ppm(f);
    }
    if let Some(c) = policy.ceiling_ratio {
        rates.ceiling_ratio_ppm = rate_to_ppm(c);
    }
    if policy.equal_employer_rates {
        rates.pension_enterprise_employer_ppm = rates.pension_institution_employer_ppm;
    }
    if let Some((target, intensity)) = policy.portability {
        let statutory = rates.pooled_transfer_ppm as f64 / 1e6;
        rates.pooled_transfer_ppm = rate_to_ppm(statutory + (target - statutory) * intensity);
    }
    rates.make_up &= policy.make_up;
}

fn region_env(
    s: &Scenario,
    name: &str,
    month: YearMonth,
    policy: &PolicyAt,
    path: Option<&MacroPath>,
) -> RegionEnv {
    let r = s
        .regions
        .iter()
        .find(|r| r.name == name)
        .expect("regions come from the scenario");
    let mut rates = s.insurance.resolve(month, name);
    apply_levers(&mut rates, policy);
    let level = |year: i32| path.map_or(1.0, |p| p.wage_level(year, r.wage_growth));
    if let Some(p) = path {
        p.apply_rates(&mut rates);
    }
    let year_start = base::base_year_start(month, rates.adjustment_month);
    let aw_for = |start: YearMonth| {
        let y = start.year() - 1;
        yuan_to_fen(r.average_wage_at(YearMonth::ym(y, 1)) * level(y))
    };
    let new_wage = aw_for(year_start);
    let old_wage = aw_for(year_start.plus_months(-12));
    let new_limits = base::limits(new_wage, &rates);
    let published = base::new_limits_published(month, &rates);
    let elapsed = month.months_since(year_start) as u32;
    let average_wage = yuan_to_fen(r.average_wage_at(month) * level(month.year()));
    RegionEnv {
        limits_wage: if published { new_wage } else { old_wage },
        limits: if published {
            new_limits
        } else {
            base::limits(old_wage, &rates)
        },
        new_limits,
        base_year_starts: month == year_start,
        publication: (published && elapsed > 0 && elapsed == rates.publication_lag_months)
            .then_some(elapsed),
        calc_base: yuan_to_fen(r.calc_base_at(month) * level(month.year())),
        average_wage,
        medical_required: [Sex::Male, Sex::Female].map(|sex| {
            MedicalRules::resolve(&s.insurance.medical, sex, month, name).required_months
        }),
        classes: ClassRates::new(&rates, policy.contract_annuity),
        housing_cap: crate::insurance::contributions::housing_fund_cap(average_wage, &rates),
        rates,
    }
}

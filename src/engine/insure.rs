//! The engine's side of the insurance rules: it applies the pure functions of `insurance` to an
//! agent's record each month and books every fen into an account, a pooled fund, a transfer or
//! a paid benefit, so that money is conserved exactly (see `record::Ledger::conservation`).

use super::env::{MonthEnv, RegionEnv};
use super::rates::Class;
use crate::agent::{Agent, Status, Track};
use crate::insurance::accounts::{AnnuityAccount, PersonalAccount, MICRO_PER_FEN};
use crate::insurance::base::contribution_base;
use crate::insurance::benefit::first_payment_month;
use crate::insurance::contributions::{self, Contributions, Membership};
use crate::insurance::{retirement, Scheme};
use crate::metrics::{item, MonthAgg};
use crate::money::{apply_ppm, Fen};
use crate::scenario::Scenario;
use crate::time::YearMonth;

pub use super::changes::{
    deferred_month, move_gap, on_conversion, on_death, on_hire, on_leave, on_move,
};
pub use super::retire::{paying_region, retire};

/// The pension scheme of a track (docs/RULES.md §0).
pub fn scheme(track: Track) -> Scheme {
    if track.is_institution() {
        Scheme::Institution
    } else {
        Scheme::Enterprise
    }
}

/// Index of a scheme in the fund arrays of `MonthAgg`.
pub fn scheme_index(s: Scheme) -> usize {
    match s {
        Scheme::Enterprise => 0,
        Scheme::Institution => 1,
    }
}

/// The scheme of an agent: its track's, or the enterprise scheme in the unified scheme for new
/// hires.
pub fn scheme_of(a: &Agent) -> Scheme {
    if a.unified {
        Scheme::Enterprise
    } else {
        scheme(a.track)
    }
}

pub(super) fn membership(s: &Scenario, a: &Agent) -> Membership {
    Membership {
        scheme: scheme_of(a),
        enterprise_annuity: a.track == Track::Contract
            && a.opted_in
            && s.universities[a.university as usize].enterprise_annuity,
    }
}

/// The insurances the agent pays into: all, except for temporary staff under selective
/// participation, who are enrolled in some (bit `i` for `metrics::ITEMS[i]`).
pub fn enrolment(env: &MonthEnv, a: &Agent) -> u8 {
    if env.policy.selective && a.track == Track::Temporary {
        a.enrolled
    } else {
        u8::MAX
    }
}

fn enrolled_in(mask: u8, item: usize) -> bool {
    mask & (1 << item) != 0
}

/// The base of a member under the levers in force: statutory, or with performance pay left
/// out, a chosen share of the wage (flexible scheme), or reduced early in a career; always
/// within the limits.
pub fn member_base(env: &MonthEnv, a: &Agent, limits: crate::insurance::base::BaseLimits) -> Fen {
    let p = &env.policy;
    let mut w = base_wage(a) as f64;
    if !p.performance_in_base {
        w *= a.basic_wage as f64 / a.wage().max(1) as f64;
    }
    if p.flexible_base {
        w *= (a.base_ratio as f64).clamp(p.flexible_min_ratio, 1.0);
    }
    if env.month.months_since(a.work_start) < p.early_career_months {
        w *= 1.0 - p.early_career_reduction;
    }
    contribution_base(w.round() as Fen, limits)
}

/// A month's contributions on `base` under the levers: the annuity of the unified scheme and
/// of contract staff (at the occupational annuity's rates), and nothing for insurances a
/// temporary member is not enrolled in. The rates come by class from the month's
/// `RegionEnv::classes` (`engine::rates`).
fn member_contributions(
    env: &MonthEnv,
    r: &RegionEnv,
    a: &Agent,
    who: Membership,
    base: Fen,
) -> Contributions {
    let class = Class::of(who, a, r.classes.contract_lever);
    let mut c = r.classes.contributions(class, base, housing_base(a, r));
    let mask = enrolment(env, a);
    if mask != u8::MAX {
        drop_unenrolled(mask, &mut c);
    }
    c
}

fn drop_unenrolled(mask: u8, c: &mut Contributions) {
    if !enrolled_in(mask, item::PENSION) {
        (c.pension_employer, c.pension_individual) = (0, 0);
    }
    if !enrolled_in(mask, item::MEDICAL) {
        (c.medical_employer, c.medical_individual, c.major_illness) = (0, 0, 0);
    }
    if !enrolled_in(mask, item::UNEMPLOYMENT) {
        (c.unemployment_employer, c.unemployment_individual) = (0, 0);
    }
    if !enrolled_in(mask, item::WORK_INJURY) {
        c.work_injury = 0;
    }
    if !enrolled_in(mask, item::HOUSING_FUND) {
        (c.housing_employer, c.housing_individual) = (0, 0);
    }
}

/// The statutory retirement month of an agent.
pub fn statutory_month(s: &Scenario, a: &Agent) -> YearMonth {
    retirement::statutory_month(a.birth, a.sex, a.category, &s.insurance.retirement)
}

/// The wage the base is computed from: the previous calendar year's average monthly wage, or
/// the current wage when there is no full previous year (a new hire's first-year base).
fn base_wage(a: &Agent) -> Fen {
    if a.prev_year_avg_wage > 0 {
        a.prev_year_avg_wage
    } else {
        a.wage()
    }
}

/// One month of contributions; returns the individual's total (deducted from pay).
pub fn contribute(s: &Scenario, env: &MonthEnv, a: &mut Agent, agg: &mut MonthAgg) -> Fen {
    let r = &env.regions[a.region as usize];
    let who = membership(s, a);
    if r.base_year_starts || env.rebase || a.insurance.base == 0 {
        a.insurance.base = member_base(env, a, r.limits);
    } else if let Some(elapsed) = r.publication {
        make_up(s, env, r, a, who, elapsed, agg);
    }
    let c = member_contributions(env, r, a, who, a.insurance.base);
    a.insurance.pension_paid_value *= 1.0 + env.discount_monthly;
    book(s, a, r, who, &c, agg);
    let mask = enrolment(env, a);
    if enrolled_in(mask, item::PENSION) {
        a.insurance.actual_months += 1;
        a.insurance.index_sum += a.insurance.base as f64 / r.limits_wage.max(1) as f64;
        a.insurance.pooled_base_sum += a.insurance.base;
        a.insurance.reform_base_sum += a.insurance.base;
        a.insurance.stays.add_month();
        agg.contributors[a.region as usize][scheme_index(who.scheme)] += 1;
    }
    if enrolled_in(mask, item::MEDICAL) {
        if a.insurance.medical_gap > 0 {
            resume_medical(s, env, r, a, agg);
        }
        a.insurance.medical_months += 1;
        a.insurance.medical_continuous += 1;
        if a.insurance.medical_waiting > 0 {
            a.insurance.medical_waiting -= 1;
            agg.medical_waiting[a.track as usize] += 1;
        }
    }
    if mask != u8::MAX {
        for (i, gap) in agg.coverage_gap.iter_mut().enumerate() {
            *gap += u64::from(!enrolled_in(mask, i));
        }
    }
    agg.active_by_university[a.university as usize] += 1;
    c.individual_total()
}

/// `contributions::housing_fund_base` with the month's cap (`RegionEnv::housing_cap`).
fn housing_base(a: &Agent, r: &RegionEnv) -> Fen {
    base_wage(a).min(r.housing_cap)
}

/// The new limits were published late: recompute the base and pay the arrears (补差) for the
/// months already paid on the old limits.
fn make_up(
    s: &Scenario,
    env: &MonthEnv,
    r: &RegionEnv,
    a: &mut Agent,
    who: Membership,
    elapsed: u32,
    agg: &mut MonthAgg,
) {
    let new_base = member_base(env, a, r.new_limits);
    if new_base == a.insurance.base {
        return;
    }
    let old = member_contributions(env, r, a, who, a.insurance.base);
    let new = member_contributions(env, r, a, who, new_base);
    let arrears = new.minus(&old).times(elapsed as i64);
    if r.rates.make_up {
        book(s, a, r, who, &arrears, agg);
    }
    a.insurance.base = new_base;
}

/// Books contributions into the agent's accounts, the pooled fund and the month's aggregates.
pub(super) fn book(
    s: &Scenario,
    a: &mut Agent,
    r: &RegionEnv,
    who: Membership,
    c: &Contributions,
    agg: &mut MonthAgg,
) {
    let _ = s;
    let ins = &mut a.insurance;
    let k = scheme_index(who.scheme);
    agg.fund_in[a.region as usize][k] += c.pension_employer;
    ins.pension_account.contribute(c.pension_individual);
    agg.account_in += c.pension_individual;
    let notional = who.scheme == Scheme::Institution && r.rates.oa_notional_employer;
    let (ae, ai) = (
        c.oa_employer + c.ea_employer,
        c.oa_individual + c.ea_individual,
    );
    ins.annuity.contribute(ae, ai, notional);
    agg.annuity_in += ae + ai;
    ins.housing_fund
        .contribute(c.housing_employer, c.housing_individual);
    ins.paid_employer += c.employer_total();
    ins.paid_individual += c.individual_total();
    let pension = c.pension_employer + c.pension_individual + ae + ai;
    ins.pension_paid += pension;
    ins.pension_paid_value += pension as f64;
    agg.book_contributions(a.track, a.university as usize, c);
}

/// December: interest on the personal account, the annuity and the housing fund.
pub fn year_end(env: &MonthEnv, a: &mut Agent, agg: &mut MonthAgg) {
    let r = &env.regions[a.region as usize].rates;
    let institution = scheme_of(a) == Scheme::Institution;
    let ins = &mut a.insurance;
    let before = ins.pension_account.total() + ins.annuity.total();
    ins.pension_account.close_year(r);
    let (ret, notional) = if institution {
        (r.oa_funded_return_ppm, r.oa_notional_rate_ppm)
    } else {
        (r.ea_return_ppm, r.ea_return_ppm)
    };
    ins.annuity.close_year(ret, notional);
    agg.interest += ins.pension_account.total() + ins.annuity.total() - before;
    ins.housing_fund.close_year(r);
}

/// Monthly pension payment from the award's first payment month on (the month after the
/// retirement month, `benefit::first_payment_month`): the personal-account part from the
/// account while it lasts (then from the pool, as the law guarantees), the annuity until its
/// account is exhausted, the rest from the pooled fund of the paying region. January raises
/// pensions awarded before it. Returns whether a payment was made.
pub fn pay_pension(env: &MonthEnv, a: &mut Agent, agg: &mut MonthAgg) -> bool {
    let r = &env.regions[a.region as usize].rates;
    let k = scheme_index(scheme_of(a));
    // Raised each January after the award month (a deferred member's award month is its
    // claim, kept in `retire_month`; `status_since` stays the month it left).
    let awarded = if a.status == Status::Deferred {
        a.retire_month
    } else {
        a.status_since
    };
    if env.month.month() == 1 && awarded < env.month {
        let p = &a.pension;
        a.pension.basic += apply_ppm(p.basic + p.personal + p.transitional, r.indexation_ppm);
    }
    if env.month < first_payment_month(awarded, &r.pension_rules) {
        return false;
    }
    let ins = &mut a.insurance;
    // Both accounts are empty for most pensioners after their first decade: nothing to take,
    // and taking nothing from an empty account leaves it as it is.
    let empty = ins.pension_account == PersonalAccount::default()
        && ins.annuity == AnnuityAccount::default();
    let (from_account, annuity) = if empty {
        (0, 0)
    } else {
        let from_account = a.pension.personal.min(ins.pension_account.total()).max(0);
        take_personal(&mut ins.pension_account, from_account);
        let annuity = a.pension.annuity.min(ins.annuity.total()).max(0);
        take_annuity(&mut ins.annuity, annuity);
        (from_account, annuity)
    };
    let pooled =
        a.pension.basic + a.pension.transitional + a.pension.supplement + a.pension.personal
            - from_account;
    agg.account_out += from_account;
    agg.annuity_out += annuity;
    agg.fund_out[a.region as usize][k] += pooled;
    agg.benefits[a.track as usize] += pooled + from_account + annuity;
    agg.pensioners[a.region as usize][k] += 1;
    a.benefits_received += pooled + from_account + annuity;
    true
}

/// Takes `amount` (at most the total) out of a personal account, this year's contributions
/// first; the total falls by exactly `amount`.
///
/// Emptying the account clears the sub-fen remainder too: a balance of k − ½ fen shows as k,
/// and taking k from it would leave −½, shown as −1, so the total would fall by k + 1.
pub(super) fn take_personal(acc: &mut PersonalAccount, amount: Fen) {
    let rest = acc.total() - amount;
    let from_year = amount.min(acc.year_contributions);
    acc.year_contributions -= from_year;
    acc.balance_micro -= (amount - from_year) * MICRO_PER_FEN;
    if rest == 0 {
        *acc = PersonalAccount::default();
    }
}

/// Takes `amount` (at most the total) out of an annuity account, funding any notional part
/// first; emptying it clears the sub-fen remainder (as `take_personal`).
pub(super) fn take_annuity(acc: &mut AnnuityAccount, amount: Fen) {
    acc.fund_notional();
    let rest = acc.total() - amount;
    let from_year = amount.min(acc.year_funded);
    acc.year_funded -= from_year;
    acc.funded_micro -= (amount - from_year) * MICRO_PER_FEN;
    if rest == 0 {
        *acc = AnnuityAccount::default();
    }
}

/// The first medical payment after a gap (the rules of `insurance::medical`): a short gap is
/// bridged by paying the arrears, whose months then count; a longer one loses its months,
/// restarts the continuous run and begins a waiting period.
fn resume_medical(s: &Scenario, env: &MonthEnv, r: &RegionEnv, a: &mut Agent, agg: &mut MonthAgg) {
    use crate::insurance::medical::{MedicalRecord, MedicalRules};
    let region = &s.regions[a.region as usize].name;
    let rules = MedicalRules::resolve(&s.insurance.medical, a.sex, env.month, region);
    let t = a.track as usize;
    let waiting_before = a.insurance.medical_waiting;
    let mut rec = MedicalRecord {
        cumulative_months: a.insurance.medical_months as i32,
        local_actual_months: 0,
        continuous_months: a.insurance.medical_continuous as i32,
        gap_months: std::mem::take(&mut a.insurance.medical_gap) as i32,
        waiting_months: a.insurance.medical_waiting as i32,
    };
    let before = rec.cumulative_months;
    let resumed = rec.pay_month(&rules);
    // `pay_month` also counts this month, which the caller counts itself.
    a.insurance.medical_months = (rec.cumulative_months - 1).max(before) as u32;
    a.insurance.medical_continuous = (rec.continuous_months - 1).max(0) as u32;
    a.insurance.medical_waiting = if resumed.waiting_months > 0 {
        resumed.waiting_months as u32
    } else {
        waiting_before
    };
    if resumed.arrears_months > 0 {
        let months = resumed.arrears_months as Fen;
        let who = membership(s, a);
        let c = contributions::monthly(a.insurance.base, 0, who, &r.rates);
        let arrears = Contributions {
            medical_employer: c.medical_employer * months,
            medical_individual: c.medical_individual * months,
            major_illness: c.major_illness * months,
            ..Default::default()
        };
        book(s, a, r, who, &arrears, agg);
        agg.medical_arrears_months[t] += resumed.arrears_months as u64;
    }
    if resumed.waiting_months > 0 {
        agg.medical_waiting_starts[t] += 1;
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::agent::Stays;
    use crate::insurance::regions::{ComponentRounding, DeemedIndexRule, TransitionalForm};

    #[test]
    fn draining_an_account_leaves_exactly_zero() {
        // 99.5 fen shows as 100 fen; taking all of it must not leave −1.
        let mut p = PersonalAccount {
            balance_micro: 99 * MICRO_PER_FEN + MICRO_PER_FEN / 2,
            year_contributions: 0,
        };
        take_personal(&mut p, 100);
        assert_eq!(p.total(), 0);
        let mut a = AnnuityAccount {
            notional_micro: 99 * MICRO_PER_FEN + MICRO_PER_FEN / 2,
            ..Default::default()
        };
        take_annuity(&mut a, 100);
        assert_eq!(a.total(), 0);
    }

    /// A pensioner whose accounts are spent is paid every part from the pool (the personal
    /// part too, as the law guarantees), and the accounts stay empty.
    #[test]
    fn a_pension_from_spent_accounts_is_paid_from_the_pool() {
        let (_, env, mut a, mut agg) = setup();
        (a.status, a.status_since) = (Status::Retired, YearMonth::ym(2020, 3));
        a.pension = crate::agent::Pension {
            basic: 300_000,
            personal: 80_000,
            transitional: 50_000,
            supplement: 7_000,
            annuity: 40_000,
        };
        (a.insurance.pension_account, a.insurance.annuity) = Default::default();
        assert!(pay_pension(&env, &mut a, &mut agg));
        let k = scheme_index(scheme_of(&a));
        assert_eq!((agg.account_out, agg.annuity_out), (0, 0));
        assert_eq!(agg.fund_out[a.region as usize][k], 437_000);
        assert_eq!(
            (a.benefits_received, agg.benefits[a.track as usize]),
            (437_000, 437_000)
        );
        assert_eq!(a.insurance.pension_account, PersonalAccount::default());
        assert_eq!(a.insurance.annuity, AnnuityAccount::default());
    }

    /// One synthetic agent of the default scenario, its month (2026-09) and empty aggregates.
    pub(in crate::engine) fn setup() -> (Scenario, MonthEnv, Agent, MonthAgg) {
        let mut s = Scenario::default();
        s.simulation.agents = 1;
        let env = MonthEnv::new(&s, YearMonth::ym(2026, 9));
        let a = crate::population::synthetic(&s).remove(0);
        let agg = MonthAgg::new(s.universities.len(), s.regions.len());
        (s, env, a, agg)
    }

    /// A 中人 of `track` in `region`, in service since 1990-01, record rebuilt at 2026-01 and
    /// retired in 2025-09 (a published calculation base) with a deemed index of exactly 1.2, so
    /// that the arithmetic can be done by hand.
    fn retired_middle_person(region: &str, track: Track) -> (Scenario, Agent, Fen) {
        let (mut s, _, mut a, mut agg) = setup();
        s.simulation.start = YearMonth::ym(2025, 1);
        let env = MonthEnv::new(&s, YearMonth::ym(2025, 9));
        let r = s.region_index(region).unwrap() as u16;
        (a.region, a.track, a.unified) = (r, track, false);
        a.insurance.hukou_region = r;
        a.birth = YearMonth::ym(1965, 3);
        a.work_start = YearMonth::ym(1990, 1);
        let history = super::super::init::History::new(&s, 1989, 2027);
        super::super::init::reconstruct(&s, &mut a, s.simulation.start, &history);
        a.insurance.deemed_index = 1.2;
        retire(&s, &env, &mut a, &mut agg);
        let c = env.regions[r as usize].calc_base;
        (s, a, c)
    }

    #[test]
    fn every_middle_person_has_a_transitional_pension_by_the_regional_rule() {
        // Deemed service from 1990-01 to the region's enterprise personal account (1992-10 in
        // Beijing: 33 months; 1996-01: 72; 1998-01: 96); 1990-01..2014-09 (institution reform)
        // = 297 months = 24.75 years.
        let regions: Vec<String> = Scenario::default()
            .regions
            .into_iter()
            .map(|r| r.name)
            .collect();
        for region in regions.iter().map(String::as_str) {
            for track in [Track::Contract, Track::Establishment] {
                let (_, a, c) = retired_middle_person(region, track);
                // The rules of the regional rule table in force at the retirement.
                let rules = s_rules(region);
                let account = rules_account_start(region);
                let deemed: u32 = if track == Track::Contract {
                    account.months_since(YearMonth::ym(1990, 1)) as u32
                } else {
                    297
                };
                let years = deemed as f64 / 12.0;
                assert_eq!(a.insurance.deemed_months, deemed, "{region} {track:?}");
                // Beijing's second part: actual months 1992-10..1998-06 at Ī.
                let window =
                    YearMonth::ym(1998, 7).months_since(account.max(YearMonth::ym(1992, 10)));
                let two_part_actual = window.max(0) as f64 / 12.0;
                let ins = &a.insurance;
                let actual = ins.index_sum / ins.actual_months as f64;
                let i = (1.2 * deemed as f64 + actual * ins.actual_months as f64)
                    / (deemed + ins.actual_months) as f64;
                let i = (i * 1e4).round() / 1e4; // Ī rounded to 4 decimals as the award does
                let k = rules.transitional_rate;
                let expected = match (track, rules.transitional_form) {
                    // Institutions: C × I_deemed × N_deemed × k of the institution scheme.
                    (Track::Establishment, _) => {
                        c as f64 * 1.2 * years * rules.institution_transitional_rate
                    }
                    // Family B (Sichuan): C × (1 + Ī)/2 × N_pre × k.
                    (_, TransitionalForm::AverageIndex) => c as f64 * (1.0 + i) / 2.0 * years * k,
                    // Family A and Beijing's two parts (no actual months 1992-10..1998-06 here):
                    // C × I × N × k with I by the regional rule.
                    _ => {
                        let index = match rules.deemed_index {
                            DeemedIndexRule::Given => 1.2,
                            DeemedIndexRule::Average => i,
                            DeemedIndexRule::One => 1.0,
                        };
                        let second = if rules.transitional_form == TransitionalForm::TwoPart {
                            c as f64 * i * two_part_actual * k
                        } else {
                            0.0
                        };
                        c as f64 * index * years * k + second
                    }
                };
                // Shanghai rounds each component up to the jiao (沪人社规〔2021〕27号).
                let expected = match rules.component_rounding {
                    ComponentRounding::UpJiao => (expected / 10.0 - 1e-9).ceil() * 10.0,
                    ComponentRounding::HalfUpFen => expected,
                };
                assert!(a.pension.transitional > 0, "{region} {track:?}");
                assert!(
                    (a.pension.transitional - expected.round() as Fen).abs() <= 1,
                    "{region} {track:?}: {} vs {expected}",
                    a.pension.transitional
                );
            }
        }
    }

    /// The enterprise personal account's first month in `region` at the retirement.
    fn rules_account_start(region: &str) -> YearMonth {
        Scenario::default()
            .insurance
            .resolve(YearMonth::ym(2025, 9), region)
            .account_start
    }

    /// The regional rules in force at the retirement of [`retired_middle_person`].
    fn s_rules(region: &str) -> crate::insurance::regions::PensionRules {
        Scenario::default()
            .insurance
            .pension_rules(YearMonth::ym(2025, 9), region)
    }

    #[test]
    fn transitional_pensions_worked_by_hand() {
        // Beijing contract 中人: two parts with k = 1 % (京劳社养发〔2007〕21号, 31号): the deemed
        // months 1990-01..1992-09 (account from 1992-10) = 2.75 years at index 1, plus the actual
        // months 1992-10..1998-06 = 5.75 years at Ī: 12,049 × 2.75 × 0.01 = 331.3475 and
        // 12,049 × Ī × 5.75 × 0.01, rounded once.
        let (_, a, c) = retired_middle_person("beijing", Track::Contract);
        assert_eq!(c, 1_204_900);
        assert_eq!(a.insurance.deemed_months, 33);
        let ins = &a.insurance;
        let i = (1.2 * 33.0 + ins.index_sum) / (33 + ins.actual_months) as f64;
        let i = (i * 1e4).round() / 1e4;
        let expected = 12_049.0 * 2.75 * 0.01 + 12_049.0 * i * 5.75 * 0.01;
        assert!(
            (a.pension.transitional - (expected * 100.0).round() as Fen).abs() <= 1,
            "{} vs {expected}",
            a.pension.transitional
        );
        // Beijing established 中人 (institution k 1.3 %): 12,049 × 1.2 × 24.75 × 0.013 =
        // 4,652.1189 → 4,652.12.
        let (_, a, _) = retired_middle_person("beijing", Track::Establishment);
        assert_eq!(a.pension.transitional, 465_212);
        // Gansu contract 中人: k = 1.2 % on the average index Ī (甘政办发〔2006〕87号).
        let (_, a, c) = retired_middle_person("gansu", Track::Contract);
        assert_eq!(c, 774_600);
        assert!(a.pension.transitional > 0);
        let rules = s_rules("gansu");
        assert_eq!(
            (rules.transitional_rate, rules.deemed_index),
            (0.012, DeemedIndexRule::Average)
        );
    }

    #[test]
    fn paying_region_counts_all_stays_in_a_region() {
        let (s, _, mut a, _) = setup();
        let [si, bj, gs] =
            ["sichuan", "beijing", "gansu"].map(|n| s.region_index(n).unwrap() as u16);
        a.insurance.hukou_region = gs;
        a.region = bj;
        // Beijing 6 + 5 years over two stays (with Sichuan between): 11 years in all → Beijing pays.
        let mut stays = Stays::starting(bj, 72);
        stays.enter(si);
        (0..30).for_each(|_| stays.add_month());
        stays.enter(bj);
        (0..60).for_each(|_| stays.add_month());
        a.insurance.stays = stays;
        assert_eq!(paying_region(&s, &a), bj);
        // With only 9 years in Beijing and no other ten-year place, the hukou place pays.
        a.insurance.stays = Stays::starting(bj, 108);
        assert_eq!(paying_region(&s, &a), gs);
    }
}

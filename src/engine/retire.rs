//! Retirement: the paying place, the award by component, and what is settled at the award
//! (the retirement year's interest, missing months bought, medical cover for life). Split from
//! `insure`, whose booking of contributions it uses for the one-off payments.

use super::env::{MonthEnv, RegionEnv};
use super::insure::{book, membership, scheme_of};
use crate::agent::{Agent, Status};
use crate::insurance::accounts::MICRO_PER_FEN;
use crate::insurance::benefit::retirement_year_interest;
use crate::insurance::contributions::{self, Contributions};
use crate::insurance::{retirement, Scheme};
use crate::metrics::{item, MonthAgg, Paid};
use crate::money::Fen;
use crate::scenario::Scenario;
use crate::time::YearMonth;

/// The region that pays the pension, by `insurance::transfer::paying_place` (国办发〔2009〕66号)
/// over the agent's stays, by region index (no allocation).
pub fn paying_region(s: &Scenario, a: &Agent) -> u16 {
    use crate::agent::Stays;
    use crate::insurance::transfer::{paying_place, Stay};
    let mut stays = [(); Stays::CAPACITY].map(|_| Stay {
        region: 0u16,
        months: 0,
    });
    let mut n = 0;
    for (region, months) in a.insurance.stays.iter() {
        stays[n] = Stay {
            region,
            months: months as i32,
        };
        n += 1;
    }
    *paying_place(
        &a.insurance.hukou_region,
        &stays[..n],
        &s.insurance.transfer,
    )
}

/// Retirement: the award by component. Short of the minimum years, the missing months are
/// bought with a one-off payment at the current base and the full pension rate (the 2024
/// decision), booked like contributions, and the award is computed with them.
pub fn retire(s: &Scenario, env: &MonthEnv, a: &mut Agent, agg: &mut MonthAgg) {
    use crate::insurance::benefit::{award, combined_index, AwardInput, AwardRules};
    let month = env.month;
    let paying = paying_region(s, a);
    let r = &env.regions[paying as usize];
    let own = &env.regions[a.region as usize];
    let months = (a.insurance.actual_months + a.insurance.deemed_months) as i32;
    let elig = retirement::eligibility(
        a.birth,
        a.sex,
        a.category,
        month,
        months,
        &s.insurance.retirement,
    );
    let short = (elig.required_months - months).max(0);
    if short > 0 {
        buy_missing_months(s, own, a, short, agg);
    }
    credit_retirement_year(own, a, month, agg);
    let scheme = scheme_of(a);
    let ins = &mut a.insurance;
    ins.annuity.fund_notional();
    let actual_index = ins.index_sum / ins.actual_months.max(1) as f64;
    let input = AwardInput {
        scheme,
        retire: month,
        age: crate::time::Months(month.months_since(a.birth)),
        calc_base: r.calc_base,
        contribution_months: (ins.actual_months + ins.deemed_months) as i32,
        deemed_months: ins.deemed_months as i32,
        pre_account_months: ins.pre_account_months as i32,
        average_index: combined_index(
            ins.deemed_index,
            ins.deemed_months as i32,
            actual_index,
            ins.actual_months as i32,
        ),
        deemed_index: ins.deemed_index,
        account_balance: ins.pension_account.total(),
        annuity_balance: ins.annuity.total(),
        required_months: elig.required_months,
        months_1992_10_to_1998_06: Some(months_1992_10_to_1998_06(a, r)),
        ..Default::default()
    };
    let mut rules = AwardRules::from_rates(&r.rates, &s.insurance.benefit);
    if input.scheme == Scheme::Institution {
        // Public-institution schemes pay the transitional pension on deemed years with the
        // post-based deemed index (family A, docs/RULES.md §3.2); the regional form is the
        // enterprise scheme's.
        rules.transitional_form = crate::insurance::params::TransitionalForm::DeemedIndex;
    }
    let w = award(&input, &rules, &s.insurance.benefit);
    a.pension = crate::agent::Pension {
        basic: w.basic,
        personal: w.personal,
        transitional: w.transitional,
        annuity: w.annuity,
        supplement: w.supplement,
    };
    a.final_wage = a.wage();
    a.first_pension = a.pension.total();
    settle_medical(s, own, a, agg);
    a.region = paying;
    a.status = Status::Retired;
    a.status_since = month;
}

/// The personal account's interest for the months of the retirement year up to and including
/// the retirement month (docs/RULES.md §3, "Pension start"), credited before the award. The
/// year is still open: the engine awards before any December close, and deferred members'
/// accounts were closed at the last year end.
fn credit_retirement_year(r: &RegionEnv, a: &mut Agent, month: YearMonth, agg: &mut MonthAgg) {
    let acc = &mut a.insurance.pension_account;
    let interest = retirement_year_interest(
        acc.balance(),
        acc.year_contributions,
        r.rates.book_rate_ppm,
        month,
    );
    acc.balance_micro += interest * MICRO_PER_FEN;
    agg.interest += interest;
}

/// The actual account months from 1992-10 to 1998-06, which Beijing's two-part transitional
/// pension counts at the average index (京劳社养发〔2007〕21号, 31号): the months of the paying
/// region's personal account in that window, service before the run being continuous (the
/// record is rebuilt that way). Other forms ignore the figure.
fn months_1992_10_to_1998_06(a: &Agent, r: &RegionEnv) -> i32 {
    if scheme_of(a) != Scheme::Enterprise {
        return 0;
    }
    let from = a
        .work_start
        .max(r.rates.account_start)
        .max(YearMonth::ym(1992, 10));
    let n = YearMonth::ym(1998, 7).months_since(from).max(0);
    n.min(a.insurance.actual_months as i32)
}

fn buy_missing_months(s: &Scenario, r: &RegionEnv, a: &mut Agent, short: i32, agg: &mut MonthAgg) {
    let who = membership(s, a);
    let c = contributions::monthly(a.insurance.base, 0, who, &r.rates);
    let months = short as Fen;
    let pension_only = Contributions {
        pension_employer: c.pension_employer * months,
        pension_individual: c.pension_individual * months,
        ..Default::default()
    };
    book(s, a, r, who, &pension_only, agg);
    a.insurance.actual_months += short as u32;
    a.insurance.index_sum += short as f64 * a.insurance.base as f64 / r.limits_wage.max(1) as f64;
}

/// Retiree medical cover (Social Insurance Law arts. 27, 32): a record short of the local
/// required years buys the missing months with a lump sum, paid by the retiree into the medical
/// fund; the shortfall is kept as an outcome.
fn settle_medical(s: &Scenario, r: &RegionEnv, a: &mut Agent, agg: &mut MonthAgg) {
    use crate::insurance::medical::{buy_in_amount, retiree_cover, MedicalRecord, MedicalRules};
    let region = &s.regions[a.region as usize].name;
    let rules = MedicalRules::resolve(&s.insurance.medical, a.sex, r.rates.month, region);
    let ins = &a.insurance;
    let record = MedicalRecord {
        cumulative_months: ins.medical_months as i32,
        local_actual_months: ins.stays.months_in(a.region) as i32,
        continuous_months: ins.medical_continuous as i32,
        gap_months: ins.medical_gap as i32,
        waiting_months: ins.medical_waiting as i32,
    };
    let check = retiree_cover(&record, &rules);
    a.medical_shortfall = check.shortfall_months.max(0) as u32;
    if check.shortfall_months > 0 {
        let amount = buy_in_amount(check.shortfall_months, a.insurance.base, &r.rates, &rules);
        let mut paid = Paid::default();
        paid.individual[item::MEDICAL] = amount;
        agg.add_paid(a.track, a.university as usize, &paid);
        a.insurance.paid_individual += amount;
    }
}

//! Around the award: the 2014-10..2024-09 comparison of new and old formulas (保低限高), the
//! old public-institution formula, the first payment month, the interest credited for the
//! months of the retirement year, and the yearly indexation of pensions in payment.

use super::components::{to_fen, yuan};
use super::AwardRules;
use crate::insurance::dec;
use crate::insurance::params::{BenefitParams, RatesAt};
use crate::money::{apply_ppm, Fen};
use crate::time::YearMonth;
use rust_decimal::Decimal;

/// Share p of the 保低限高 comparison for a retirement month; `None` outside 2014-10..2024-09
/// (人社部发〔2015〕28号).
pub fn transition_share(retire: YearMonth, b: &BenefitParams) -> Option<f64> {
    if retire < b.comparison_from || retire > b.comparison_until {
        return None;
    }
    Some(*b.transition_share.at_general(retire))
}

/// The amount paid under the comparison (institution scheme only): the old amount when the new
/// formula (annuity included) is lower; else old + p × (new − old). Outside the period, `new`.
pub fn compare_old_new(new: Fen, old: Fen, retire: YearMonth, b: &BenefitParams) -> Fen {
    match transition_share(retire, b) {
        None => new,
        Some(_) if new <= old => old,
        Some(p) => old + to_fen(dec(p) * yuan(new - old), 2),
    }
}

/// The old public-institution formula: (post + salary-scale wage) × ratio by service years,
/// plus the local retirement allowance. Below the lowest band the ratio is 0.
pub fn old_formula(
    post_and_scale_wage: Fen,
    service_years: f64,
    allowance: Fen,
    b: &BenefitParams,
) -> Fen {
    let ratio = b
        .old_formula_ratios
        .iter()
        .filter(|r| service_years >= r.min_years)
        .max_by(|x, y| x.min_years.total_cmp(&y.min_years))
        .map_or(0.0, |r| r.ratio);
    to_fen(yuan(post_and_scale_wage) * dec(ratio), 2) + allowance
}

/// The first month of payment: the retirement month is still a contribution month, payment
/// starts `payment_lag_months` later (the month after).
pub fn first_payment_month(retire: YearMonth, rules: &AwardRules) -> YearMonth {
    retire.plus_months(rules.payment_lag_months as i32)
}

/// Interest credited at retirement for the months of the retirement year: the balance at the
/// start of the year earns `r × m / 12` for the `m` months up to and including the retirement
/// month, and the year's contributions earn it for half that time on average (the account
/// rules of 国发〔1997〕26号 credit the year's contributions from their month of payment).
/// Returns the interest in fen.
pub fn retirement_year_interest(
    balance_at_year_start: Fen,
    contributions_this_year: Fen,
    book_rate_ppm: i64,
    retire: YearMonth,
) -> Fen {
    let m = Decimal::from(retire.month());
    let r = Decimal::new(book_rate_ppm, 6);
    let twelve = Decimal::from(12);
    let on_balance = yuan(balance_at_year_start) * r * m / twelve;
    let on_new = yuan(contributions_this_year) * r * m / twelve / Decimal::from(2);
    to_fen(on_balance + on_new, 2)
}

/// A pension in payment after one yearly adjustment.
pub fn index_pension(amount: Fen, r: &RatesAt) -> Fen {
    amount + apply_ppm(amount, r.indexation_ppm)
}

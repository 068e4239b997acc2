//! The award at retirement (DOMAIN.md §3): basic pension, personal-account pension,
//! transitional pension for 中人 (two families), occupational-annuity payout, the optional local
//! long-service supplement, the 2014-10..2024-09 comparison (保低限高) and the yearly
//! indexation of pensions in payment. Each component is rounded half up to the fen and the
//! total is the sum of the rounded components, as official notices do.

use super::params::{BenefitParams, RatesAt, TransitionalForm};
use super::{dec, Scheme};
use crate::money::{apply_ppm, format_yuan, Fen};
use crate::time::{Months, YearMonth};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

const SRC_BASIC: &str = "国发〔2005〕38号; 国发〔2015〕2号";
const SRC_TRANSITIONAL: &str = "provincial rules (e.g. Sichuan notice, k = 1.3 %)";
const SRC_OA: &str = "国办发〔2015〕18号 §9";
const SRC_SUPPLEMENT: &str = "Sichuan official benefit notice (增发)";

/// The record and the base a pension is computed from.
#[derive(Clone, Debug, PartialEq)]
pub struct AwardInput {
    pub scheme: Scheme,
    pub retire: YearMonth,
    /// Age at retirement, which sets the divisor.
    pub age: Months,
    /// Pension calculation base (计发基数) of the retirement year, C.
    pub calc_base: Fen,
    /// All contribution months, deemed months included (N).
    pub contribution_months: i32,
    /// Deemed months (视同缴费), N_deemed of family A.
    pub deemed_months: i32,
    /// Months before personal accounts existed, N_pre of family B.
    pub pre_account_months: i32,
    /// Average indexed contribution ratio Ī over the whole record (see [`combined_index`]).
    pub average_index: f64,
    /// The deemed index I_deemed of family A.
    pub deemed_index: f64,
    pub account_balance: Fen,
    /// Occupational (or enterprise) annuity balance paid monthly by the divisor.
    pub annuity_balance: Fen,
    /// Minimum contribution months that apply (see `retirement::eligibility`).
    pub required_months: i32,
}

/// The regional rounding and coefficients the award uses.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct AwardRules {
    pub years_decimals: u32,
    pub index_decimals: u32,
    pub money_decimals: u32,
    pub transitional_form: TransitionalForm,
    pub transitional_rate: f64,
    pub supplement_rate: f64,
}

impl AwardRules {
    /// The rules in force at retirement in a region.
    pub fn from_rates(r: &RatesAt, b: &BenefitParams) -> Self {
        AwardRules {
            years_decimals: r.years_decimals,
            index_decimals: r.index_decimals,
            money_decimals: b.money_decimals,
            transitional_form: r.transitional_form,
            transitional_rate: r.transitional_rate,
            supplement_rate: r.long_service_supplement_rate,
        }
    }
}

/// One line of the explanation: the component, its arithmetic, the rule and its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceLine {
    pub component: &'static str,
    pub arithmetic: String,
    pub rule: &'static str,
    pub source: &'static str,
}

/// The monthly pension at award, by component, in fen.
#[derive(Clone, Debug, PartialEq)]
pub struct Award {
    pub age: Months,
    pub divisor: Decimal,
    /// Contribution years N as rounded for the formula.
    pub years: Decimal,
    /// Ī as rounded for the formula.
    pub index: Decimal,
    pub eligible: bool,
    pub basic: Fen,
    pub personal: Fen,
    pub transitional: Fen,
    pub annuity: Fen,
    pub supplement: Fen,
    /// Basic + personal + transitional + annuity (the national formula).
    pub national_total: Fen,
    /// National total + the local supplement.
    pub total: Fen,
    pub trace: Vec<TraceLine>,
}

/// Rounds to `decimals`, half away from zero (half up for the positive amounts here).
fn round(x: Decimal, decimals: u32) -> Decimal {
    x.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

fn yuan(fen: Fen) -> Decimal {
    Decimal::new(fen, 2)
}

/// Yuan rounded to `money_decimals` (≤ 2), in fen.
fn to_fen(x: Decimal, money_decimals: u32) -> Fen {
    (round(x, money_decimals.min(2)) * Decimal::from(100))
        .to_i64()
        .unwrap_or(0)
}

/// Months to years at the formula's precision (382 → 31.83).
pub fn years_of(months: i32, decimals: u32) -> Decimal {
    round(Decimal::from(months) / Decimal::from(12), decimals)
}

/// Ī of a 中人: `(I_deemed × N_deemed + Ī_actual × N_actual) / (N_deemed + N_actual)`, weighted by
/// months. E4: (1.40 × 291 + 1.80 × 174) / 465 = 1.549677…
pub fn combined_index(
    deemed_index: f64,
    deemed_months: i32,
    actual_index: f64,
    actual_months: i32,
) -> f64 {
    let total = deemed_months + actual_months;
    if total <= 0 {
        return 0.0;
    }
    (deemed_index * deemed_months as f64 + actual_index * actual_months as f64) / total as f64
}

fn text(x: Decimal) -> String {
    x.normalize().to_string()
}

/// The award. Components are computed even when the minimum years are not met (`eligible` is
/// then false and the caller decides: keep contributing, buy the years, or the residents' scheme).
pub fn award(input: &AwardInput, rules: &AwardRules, b: &BenefitParams) -> Award {
    let md = rules.money_decimals;
    let c = yuan(input.calc_base);
    let n = years_of(input.contribution_months, rules.years_decimals);
    let i = round(dec(input.average_index), rules.index_decimals);
    let divisor = super::divisor::divisor(input.age, b);
    let avg = c * (Decimal::ONE + i) / Decimal::from(2);
    let mut trace = Vec::new();

    let basic = to_fen(avg * n / Decimal::from(100), md);
    trace.push(TraceLine {
        component: "basic",
        arithmetic: format!(
            "C × (1 + Ī)/2 × N × 1% = {} × (1 + {})/2 × {} × 1% = {} × {} × 1% = {}",
            text(c),
            text(i),
            text(n),
            text(avg),
            text(n),
            format_yuan(basic)
        ),
        rule: "basic pension (基础养老金)",
        source: SRC_BASIC,
    });

    let (personal, personal_line) = by_divisor(input.account_balance, divisor, md);
    trace.push(TraceLine {
        component: "personal",
        arithmetic: personal_line,
        rule: "personal-account pension (个人账户养老金), balance / 计发月数",
        source: SRC_BASIC,
    });

    let (transitional, t_line) = transitional(input, rules, c, i, avg);
    trace.push(TraceLine {
        component: "transitional",
        arithmetic: t_line,
        rule: match rules.transitional_form {
            TransitionalForm::DeemedIndex => {
                "transitional pension, deemed-index family (C × I_deemed × N_deemed × k)"
            }
            TransitionalForm::AverageIndex => {
                "transitional pension, average-index family (C × (1 + Ī)/2 × N_pre × k)"
            }
        },
        source: SRC_TRANSITIONAL,
    });

    let (annuity, a_line) = by_divisor(input.annuity_balance, divisor, md);
    trace.push(TraceLine {
        component: "annuity",
        arithmetic: a_line,
        rule: match input.scheme {
            Scheme::Institution => "occupational annuity, monthly payment of balance / 计发月数",
            Scheme::Enterprise => "enterprise annuity, paid like the occupational annuity",
        },
        source: SRC_OA,
    });

    let k = dec(rules.supplement_rate);
    let indexed = c * i;
    let supplement = to_fen(indexed * k * n, md);
    trace.push(TraceLine {
        component: "supplement",
        arithmetic: if rules.supplement_rate == 0.0 {
            "no long-service supplement in this region (rate 0)".into()
        } else {
            format!(
                "C × Ī × rate × N = {} × {} × {} × {} = {} × {} × {} = {}",
                text(c),
                text(i),
                text(k),
                text(n),
                text(indexed),
                text(k),
                text(n),
                format_yuan(supplement)
            )
        },
        rule: "local long-service supplement (增发)",
        source: SRC_SUPPLEMENT,
    });

    let national_total = basic + personal + transitional + annuity;
    let total = national_total + supplement;
    trace.push(TraceLine {
        component: "total",
        arithmetic: format!(
            "{} + {} + {} + {} + {} = {}",
            format_yuan(basic),
            format_yuan(personal),
            format_yuan(transitional),
            format_yuan(annuity),
            format_yuan(supplement),
            format_yuan(total)
        ),
        rule: "sum of the rounded components",
        source: "official benefit notices",
    });
    Award {
        age: input.age,
        divisor,
        years: n,
        index: i,
        eligible: input.contribution_months >= input.required_months,
        basic,
        personal,
        transitional,
        annuity,
        supplement,
        national_total,
        total,
        trace,
    }
}

fn by_divisor(balance: Fen, divisor: Decimal, md: u32) -> (Fen, String) {
    if divisor <= Decimal::ZERO {
        return (0, "no divisor".into());
    }
    let amount = to_fen(yuan(balance) / divisor, md);
    (
        amount,
        format!(
            "{} / {} = {}",
            format_yuan(balance),
            text(divisor),
            format_yuan(amount)
        ),
    )
}

fn transitional(
    input: &AwardInput,
    rules: &AwardRules,
    c: Decimal,
    i: Decimal,
    avg: Decimal,
) -> (Fen, String) {
    let k = dec(rules.transitional_rate);
    let md = rules.money_decimals;
    match rules.transitional_form {
        TransitionalForm::DeemedIndex => {
            let nd = years_of(input.deemed_months, rules.years_decimals);
            let id = round(dec(input.deemed_index), rules.index_decimals);
            let t = to_fen(c * id * nd * k, md);
            (
                t,
                format!(
                    "{} × {} × {} × {} = {}",
                    text(c),
                    text(id),
                    text(nd),
                    text(k),
                    format_yuan(t)
                ),
            )
        }
        TransitionalForm::AverageIndex => {
            let np = years_of(input.pre_account_months, rules.years_decimals);
            let t = to_fen(avg * np * k, md);
            (
                t,
                format!(
                    "{} × (1 + {})/2 × {} × {} = {} × {} × {} = {}",
                    text(c),
                    text(i),
                    text(np),
                    text(k),
                    text(avg),
                    text(np),
                    text(k),
                    format_yuan(t)
                ),
            )
        }
    }
}

/// Share p of the 保低限高 comparison for a retirement month; `None` outside 2014-10..2024-09.
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

/// A pension in payment after one yearly adjustment.
pub fn index_pension(amount: Fen, r: &RatesAt) -> Fen {
    amount + apply_ppm(amount, r.indexation_ppm)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sichuan_rules() -> AwardRules {
        AwardRules {
            years_decimals: 2,
            index_decimals: 4,
            money_decimals: 2,
            transitional_form: TransitionalForm::AverageIndex,
            transitional_rate: 0.013,
            supplement_rate: 0.001,
        }
    }

    fn e1() -> AwardInput {
        AwardInput {
            scheme: Scheme::Enterprise,
            retire: YearMonth::ym(2024, 6),
            age: Months::years_months(50, 0),
            calc_base: 832_100,
            contribution_months: 382,
            deemed_months: 0,
            pre_account_months: 40,
            average_index: 0.935,
            deemed_index: 1.0,
            account_balance: 15_039_722,
            annuity_balance: 0,
            required_months: 180,
        }
    }

    #[test]
    fn e1_sichuan_notice_to_the_fen() {
        let a = award(&e1(), &sichuan_rules(), &BenefitParams::default());
        assert_eq!(
            (a.basic, a.personal, a.transitional),
            (256_250, 77_127, 34_851)
        );
        assert_eq!(
            (a.national_total, a.supplement, a.total),
            (368_228, 24_764, 392_992)
        );
        assert!(a.eligible);
        assert_eq!(a.years.to_string(), "31.83");
        assert!(
            a.trace[0].arithmetic.contains("8050.5675"),
            "{}",
            a.trace[0].arithmetic
        );
    }

    #[test]
    fn unrounded_years_give_the_other_basic() {
        let mut r = sichuan_rules();
        r.years_decimals = 10;
        assert_eq!(award(&e1(), &r, &BenefitParams::default()).basic, 256_276);
    }

    #[test]
    fn family_a_uses_deemed_index_and_years() {
        // 9,000 × 1.40 × 24.25 × 1.4 % = 4,277.70 (E4)
        let input = AwardInput {
            scheme: Scheme::Institution,
            retire: YearMonth::ym(2029, 4),
            age: Months::years_months(60, 11),
            calc_base: 900_000,
            contribution_months: 465,
            deemed_months: 291,
            pre_account_months: 0,
            average_index: combined_index(1.40, 291, 1.80, 174),
            deemed_index: 1.40,
            account_balance: 0,
            annuity_balance: 0,
            required_months: 180,
        };
        let mut rules = sichuan_rules();
        rules.transitional_form = TransitionalForm::DeemedIndex;
        rules.transitional_rate = 0.014;
        let a = award(&input, &rules, &BenefitParams::default());
        assert_eq!((a.basic, a.transitional), (444_604, 427_770));
        assert_eq!(a.index.to_string(), "1.5497");
    }

    #[test]
    fn ineligible_when_short_of_the_minimum() {
        let mut input = e1();
        input.contribution_months = 170;
        assert!(!award(&input, &sichuan_rules(), &BenefitParams::default()).eligible);
    }

    #[test]
    fn e5_protect_the_low_cap_the_high() {
        let b = BenefitParams::default();
        assert_eq!(
            compare_old_new(800_000, 700_000, YearMonth::ym(2020, 6), &b),
            760_000
        );
        assert_eq!(
            compare_old_new(650_000, 700_000, YearMonth::ym(2020, 6), &b),
            700_000
        );
        assert_eq!(
            compare_old_new(800_000, 700_000, YearMonth::ym(2024, 5), &b),
            800_000
        );
        assert_eq!(
            compare_old_new(650_000, 700_000, YearMonth::ym(2024, 10), &b),
            650_000
        );
        assert_eq!(transition_share(YearMonth::ym(2024, 10), &b), None);
        assert_eq!(transition_share(YearMonth::ym(2014, 10), &b), Some(0.1));
    }

    #[test]
    fn old_formula_bands() {
        let b = BenefitParams::default();
        assert_eq!(old_formula(600_000, 36.0, 50_000, &b), 590_000); // 6,000 × 90 % + 500
        assert_eq!(old_formula(600_000, 32.0, 0, &b), 510_000);
        assert_eq!(old_formula(600_000, 25.0, 0, &b), 480_000);
        assert_eq!(old_formula(600_000, 12.0, 0, &b), 420_000);
        assert_eq!(old_formula(600_000, 8.0, 0, &b), 0);
    }

    #[test]
    fn indexation_by_year() {
        let p = crate::insurance::InsuranceParams::default();
        let r = p.resolve(YearMonth::ym(2024, 7), "sichuan");
        assert_eq!(index_pension(392_992, &r), 392_992 + 11_790); // 3 %: 117.8976 → 117.90
    }
}

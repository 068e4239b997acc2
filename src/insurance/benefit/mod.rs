//! The award at retirement: basic pension, personal-account pension, transitional pension for
//! 中人 (every regional family of the rule table), annuity payout, local supplements and
//! adjustments, the 2014-10..2024-09 comparison (保低限高) and the yearly indexation of pensions
//! in payment. Which formula and rounding apply is data ([`PensionRules`], resolved from the
//! regional rule table); this module has one arm per rule shape, never one per province.
//!
//! Files: `components` (the formulas of each component), `comparison` (保低限高, the old
//! formula, indexation, first payment month, interest of the retirement year).

mod comparison;
mod components;

pub use comparison::{
    compare_old_new, first_payment_month, index_pension, old_formula, retirement_year_interest,
    transition_share,
};

use super::params::{BenefitParams, RatesAt};
use super::regions::{PensionRules, TotalRounding};
use super::Scheme;
use crate::money::{format_yuan, Fen};
use crate::time::{Months, YearMonth};
use components::{round_jiao_up, yuan, Trace};
use rust_decimal::Decimal;

const SRC_BASIC: &str =
    "国发〔2005〕38号《国务院关于完善企业职工基本养老保险制度的决定》(2005-12-03); 国发〔2015〕2号 (2015-01-03)";
const SRC_OA: &str = "国办发〔2015〕18号《机关事业单位职业年金办法》(2015-03-27) §9; 人社部令第36号《企业年金办法》(2017-12-18)";
const SRC_COMPARISON: &str = "人社部发〔2015〕28号 (2015-03-25): 新老办法对比，保低限高";

/// The rules an award reads: the regional rules in force at retirement.
pub type AwardRules = PensionRules;

impl PensionRules {
    /// The rules in force at retirement in a region (the scenario's `benefit` section is
    /// already folded into `RatesAt`).
    pub fn from_rates(r: &RatesAt, _b: &BenefitParams) -> Self {
        r.pension_rules
    }
}

/// The record, the base and the per-person facts a pension is computed from.
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
    /// Deemed months (视同缴费).
    pub deemed_months: i32,
    /// Months before the personal account existed, deemed months included.
    pub pre_account_months: i32,
    /// Average indexed contribution ratio Ī over the whole record (see [`combined_index`]).
    pub average_index: f64,
    /// The person's own deemed index (post table, or a province's pre-account index).
    pub deemed_index: f64,
    pub account_balance: Fen,
    /// Occupational (or enterprise) annuity balance paid monthly by the divisor.
    pub annuity_balance: Fen,
    /// Minimum contribution months that apply (see `retirement::eligibility`).
    pub required_months: i32,
    /// Sichuan 增发: the person's rate (0 when none) and fixed amount; enterprise scheme only.
    pub supplement_rate: f64,
    pub supplement_fixed: Fen,
    /// Beijing: actual contribution months from 1992-10 to 1998-06.
    pub months_1992_10_to_1998_06: Option<i32>,
    /// Jiangsu: the transitional pension by the old method.
    pub old_method_transitional: Option<Fen>,
    /// Shanghai: the transitional pension as printed on the notice.
    pub given_transitional: Option<Fen>,
    /// Public-institution retirements 2014-10..2024-09: the pension by the old formula.
    pub old_formula_pension: Option<Fen>,
}

impl Default for AwardInput {
    fn default() -> Self {
        AwardInput {
            scheme: Scheme::Enterprise,
            retire: YearMonth::ym(2025, 1),
            age: Months(0),
            calc_base: 0,
            contribution_months: 0,
            deemed_months: 0,
            pre_account_months: 0,
            average_index: 0.0,
            deemed_index: 1.0,
            account_balance: 0,
            annuity_balance: 0,
            required_months: 0,
            supplement_rate: 0.0,
            supplement_fixed: 0,
            months_1992_10_to_1998_06: None,
            old_method_transitional: None,
            given_transitional: None,
            old_formula_pension: None,
        }
    }
}

/// A per-person fact the rules in force need and the input lacks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct MissingFact {
    /// The case-file key (`record.…`).
    pub key: &'static str,
    /// Why the rules need it.
    pub why: &'static str,
}

/// The facts the rules need that `input` does not give.
pub fn missing_facts(
    input: &AwardInput,
    rules: &AwardRules,
    b: &BenefitParams,
) -> Vec<MissingFact> {
    use super::regions::TransitionalForm as F;
    let mut out = Vec::new();
    let enterprise = input.scheme == Scheme::Enterprise;
    let has_pre = input.deemed_months > 0 || input.pre_account_months > 0;
    if enterprise
        && rules.transitional_form == F::TwoPart
        && input.months_1992_10_to_1998_06.is_none()
    {
        out.push(MissingFact {
            key: "record.actual_months_1992_10_to_1998_06",
            why: "the two-part transitional pension counts the actual months from 1992-10 to 1998-06",
        });
    }
    if enterprise
        && rules.transitional_form == F::Given
        && has_pre
        && input.given_transitional.is_none()
    {
        out.push(MissingFact {
            key: "record.transitional_pension",
            why: "this region's transitional pension is taken from the notice",
        });
    }
    if enterprise
        && rules.transitional_phase_in < 1.0
        && has_pre
        && input.old_method_transitional.is_none()
    {
        out.push(MissingFact {
            key: "record.old_method_transitional",
            why: "the transitional pension is phased in from the old-method amount",
        });
    }
    if input.scheme == Scheme::Institution
        && transition_share(input.retire, b).is_some()
        && input.old_formula_pension.is_none()
    {
        out.push(MissingFact {
            key: "record.old_formula_pension",
            why: "public-institution retirements from 2014-10 to 2024-09 compare the new formula with the old one (保低限高)",
        });
    }
    out
}

/// One line of the explanation: the component, its arithmetic, the rule, the rule keys of the
/// table it read and the national source of the formula.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceLine {
    pub component: &'static str,
    pub arithmetic: String,
    pub rule: String,
    /// Keys of the regional rule table the component read (`sisandbox rates` names them).
    pub keys: Vec<&'static str>,
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
    /// Local items: supplement (增发), transitional adjustment (调节金) and flat subsidy.
    pub supplement: Fen,
    /// Basic + personal + transitional + annuity (the national formula).
    pub national_total: Fen,
    /// The new-formula total before the 保低限高 comparison.
    pub new_total: Fen,
    /// What is paid: the new total, or the compared amount in 2014-10..2024-09.
    pub total: Fen,
    /// First month of payment.
    pub first_payment: YearMonth,
    /// The explanation, one line per component: filled by [`award_explained`], empty from
    /// [`award`].
    pub trace: Vec<TraceLine>,
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

/// Months to years at the formula's precision (382 → 31.83).
pub fn years_of(months: i32, decimals: u32) -> Decimal {
    components::years_of(months, decimals)
}

/// The award, amounts only (`trace` empty): what runs and the planner need. Components are
/// computed even when the minimum years are not met (`eligible` is then false and the caller
/// decides: keep contributing, buy the years, or the residents' scheme). Facts the rules need
/// and the input lacks count as 0 here; callers that take facts from a user check
/// [`missing_facts`] first.
pub fn award(input: &AwardInput, rules: &AwardRules, b: &BenefitParams) -> Award {
    award_with(input, rules, b, false)
}

/// The award with its explanation: the arithmetic, rule, rule-table keys and source of every
/// component (`trace`), for the calculator and `sisandbox pension`. The amounts are those of
/// [`award`].
pub fn award_explained(input: &AwardInput, rules: &AwardRules, b: &BenefitParams) -> Award {
    award_with(input, rules, b, true)
}

fn award_with(input: &AwardInput, rules: &AwardRules, b: &BenefitParams, explain: bool) -> Award {
    let c = components::Context::new(input, rules, b);
    let mut trace = Trace::collecting(explain);
    let basic = c.basic(&mut trace);
    let personal = c.by_divisor(input.account_balance, "personal", &mut trace);
    let transitional = c.transitional(&mut trace);
    let annuity = c.by_divisor(input.annuity_balance, "annuity", &mut trace);
    let supplement = c.local_items(&mut trace);
    let national_total = basic + personal + transitional + annuity;
    let sum = national_total + supplement;
    let new_total = match rules.total_rounding {
        TotalRounding::Sum => sum,
        TotalRounding::UpJiao => round_jiao_up(yuan(sum)),
        TotalRounding::UpYuan => (sum + 99).div_euclid(100) * 100,
    };
    trace.push(|| TraceLine {
        component: "total",
        arithmetic: format!(
            "{} + {} + {} + {} + {} = {}{}",
            format_yuan(basic),
            format_yuan(personal),
            format_yuan(transitional),
            format_yuan(annuity),
            format_yuan(supplement),
            format_yuan(sum),
            if new_total == sum {
                String::new()
            } else {
                format!(" → {} (rounded up)", format_yuan(new_total))
            }
        ),
        rule: match rules.total_rounding {
            TotalRounding::Sum => "sum of the rounded components".into(),
            TotalRounding::UpJiao => "sum of the components, rounded up to the jiao".into(),
            TotalRounding::UpYuan => "sum of the components, rounded up to the yuan".into(),
        },
        keys: vec!["total_rounding"],
        source: "benefit notices (养老金核定表)",
    });
    let total = match (input.scheme, input.old_formula_pension) {
        (Scheme::Institution, Some(old)) if transition_share(input.retire, b).is_some() => {
            let paid = compare_old_new(new_total, old, input.retire, b);
            let p = transition_share(input.retire, b).unwrap_or(1.0);
            trace.push(|| TraceLine {
                component: "comparison",
                arithmetic: if new_total <= old {
                    format!(
                        "new {} ≤ old {}: the old amount {} is paid",
                        format_yuan(new_total),
                        format_yuan(old),
                        format_yuan(paid)
                    )
                } else {
                    format!(
                        "old + p × (new − old) = {} + {p} × ({} − {}) = {}",
                        format_yuan(old),
                        format_yuan(new_total),
                        format_yuan(old),
                        format_yuan(paid)
                    )
                },
                rule: format!(
                    "retirement {} in the 2014-10..2024-09 transition: protect the low, cap the high (p = {p})",
                    input.retire
                ),
                keys: vec![],
                source: SRC_COMPARISON,
            });
            paid
        }
        _ => new_total,
    };
    Award {
        age: input.age,
        divisor: c.divisor,
        years: c.n,
        index: c.i,
        eligible: input.contribution_months >= input.required_months,
        basic,
        personal,
        transitional,
        annuity,
        supplement,
        national_total,
        new_total,
        total,
        first_payment: first_payment_month(input.retire, rules),
        trace: trace.lines(),
    }
}

#[cfg(test)]
mod tests;

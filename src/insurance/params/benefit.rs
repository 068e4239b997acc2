//! The award's rules: divisors, rounding, the transitional pension, local supplements and the
//! 2014-10..2024-09 comparison (保低限高). Every regional entry is generated from the regional
//! rule table (`insurance::regions`), so the scenario, the engine and the calculator share it;
//! a scenario overrides an entry by writing the key.

use super::ym;
use crate::insurance::regions::{
    BasicForm, ComponentRounding, DeemedIndexRule, DivisorConvention, RuleTable, SupplementForm,
    TotalRounding, TransitionalForm, YearsBasis,
};
use crate::scenario::dated::Dated;
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

/// One row of the old public-institution formula: from `min_years` of service on, `ratio` of
/// post + salary-scale wage.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OldFormulaRatio {
    pub min_years: f64,
    pub ratio: f64,
}

/// The benefit formula's tables, rounding and regional rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BenefitParams {
    /// Age of the first entry of `divisors`.
    pub divisor_first_age: i32,
    /// Months of payment (计发月数) by whole age from `divisor_first_age` on.
    pub divisors: Vec<f64>,
    /// Whole-year or month-interpolated divisors, by date and region.
    pub divisor_convention: Dated<DivisorConvention>,
    /// Decimals the contribution years are rounded to before multiplying (12: unrounded).
    pub years_decimals: Dated<u32>,
    /// Decimals the average index is rounded to.
    pub index_decimals: Dated<u32>,
    /// Decimals of yuan each half-up component is rounded to.
    pub money_decimals: u32,
    /// Shape of the basic pension.
    pub basic_form: Dated<BasicForm>,
    /// Rounding of each component.
    pub component_rounding: Dated<ComponentRounding>,
    /// Rounding of the total.
    pub total_rounding: Dated<TotalRounding>,
    /// Family of the enterprise transitional pension.
    pub transitional_form: Dated<TransitionalForm>,
    /// Index of a family-A transitional pension.
    pub deemed_index: Dated<DeemedIndexRule>,
    /// Years the transitional pension counts.
    pub transitional_years: Dated<YearsBasis>,
    /// Coefficient k of the enterprise transitional pension.
    pub transitional_rate: Dated<f64>,
    /// Coefficient k of the public-institution transitional pension.
    pub institution_transitional_rate: Dated<f64>,
    /// Share of (new − old-method transitional) paid on top of the old-method amount.
    pub transitional_phase_in: Dated<f64>,
    /// Local supplement (Sichuan 增发).
    pub supplement_form: Dated<SupplementForm>,
    /// Fixed part of the transitional adjustment (Zhejiang 过渡性调节金), yuan.
    pub adjustment_base: Dated<f64>,
    /// Transitional adjustment per unit of Ī × N, yuan.
    pub adjustment_per_index_year: Dated<f64>,
    /// Flat basic-pension subsidy (Zhejiang 150), yuan.
    pub flat_subsidy: Dated<f64>,
    /// Months after the retirement month in which payment starts (the retirement month is
    /// still a contribution month).
    pub payment_lag_months: u32,
    /// Share p of (new − old) paid on top of the old amount, by retirement month (保低限高).
    pub transition_share: Dated<f64>,
    /// First month of the comparison period.
    pub comparison_from: YearMonth,
    /// Last month of the comparison period.
    pub comparison_until: YearMonth,
    /// Old-formula ratios by service years, any order.
    pub old_formula_ratios: Vec<OldFormulaRatio>,
}

impl Default for BenefitParams {
    fn default() -> Self {
        let t = RuleTable::builtin();
        let mut share: Vec<(YearMonth, f64)> = vec![(ym(2014, 10), 0.1)];
        for (i, y) in (2016..=2023).enumerate() {
            share.push((ym(y, 1), 0.2 + 0.1 * i as f64));
        }
        share.push((ym(2024, 1), 1.0));
        let share = share
            .into_iter()
            .map(|(m, v)| (m, (v * 100.0).round() / 100.0));
        BenefitParams {
            divisor_first_age: 40,
            divisors: vec![
                233.0, 230.0, 226.0, 223.0, 220.0, 216.0, 212.0, 207.0, 204.0,
                199.0, // 40–49
                195.0, 190.0, 185.0, 180.0, 175.0, 170.0, 164.0, 158.0, 152.0,
                145.0, // 50–59
                139.0, 132.0, 125.0, 117.0, 109.0, 101.0, 93.0, 84.0, 75.0, 65.0, // 60–69
                56.0, // 70
            ],
            divisor_convention: t.dated(|r| &r.divisor_convention),
            years_decimals: t.dated(|r| &r.years_decimals),
            index_decimals: t.dated(|r| &r.index_decimals),
            money_decimals: 2,
            basic_form: t.dated(|r| &r.basic_form),
            component_rounding: t.dated(|r| &r.component_rounding),
            total_rounding: t.dated(|r| &r.total_rounding),
            transitional_form: t.dated(|r| &r.transitional_form),
            deemed_index: t.dated(|r| &r.deemed_index),
            transitional_years: t.dated(|r| &r.transitional_years),
            transitional_rate: t.dated(|r| &r.transitional_rate),
            institution_transitional_rate: t.dated(|r| &r.institution_transitional_rate),
            transitional_phase_in: t.dated(|r| &r.transitional_phase_in),
            supplement_form: t.dated(|r| &r.supplement_form),
            adjustment_base: t.dated(|r| &r.adjustment_base),
            adjustment_per_index_year: t.dated(|r| &r.adjustment_per_index_year),
            flat_subsidy: t.dated(|r| &r.flat_subsidy),
            payment_lag_months: 1,
            transition_share: Dated::by_month(share),
            comparison_from: ym(2014, 10),
            comparison_until: ym(2024, 9),
            old_formula_ratios: vec![
                OldFormulaRatio {
                    min_years: 35.0,
                    ratio: 0.90,
                },
                OldFormulaRatio {
                    min_years: 30.0,
                    ratio: 0.85,
                },
                OldFormulaRatio {
                    min_years: 20.0,
                    ratio: 0.80,
                },
                OldFormulaRatio {
                    min_years: 10.0,
                    ratio: 0.70,
                },
            ],
        }
    }
}

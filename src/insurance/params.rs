//! The `[insurance]` section of a scenario: rates, limits and rules, dated and regional.
//!
//! Every figure of DOMAIN.md lives here as a default, never as a literal in the rules. The rules
//! read a [`RatesAt`] (everything in force for one month and region, resolved once) or, for the
//! table-shaped rules (divisors, cohort rules, the 保低限高 shares), the sections themselves.

use crate::money::{rate_to_ppm, yuan_to_fen, Fen};
use crate::scenario::catalog::{Allowed, Certainty, Issue, KeyDoc};
use crate::scenario::dated::Dated;
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

const fn ym(y: i32, m: u32) -> YearMonth {
    YearMonth::ym(y, m)
}

fn constant<T>(v: T) -> Dated<T> {
    Dated::constant(v)
}

/// A table by calendar year (January of each year).
fn by_year(rows: &[(i32, f64)]) -> Dated<f64> {
    Dated::by_month(rows.iter().map(|&(y, v)| (ym(y, 1), v)))
}

/// The whole `[insurance]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct InsuranceParams {
    pub base: BaseParams,
    pub pension: PensionParams,
    pub occupational_annuity: OccupationalAnnuityParams,
    pub enterprise_annuity: EnterpriseAnnuityParams,
    pub medical: MedicalParams,
    pub unemployment: UnemploymentParams,
    pub work_injury: WorkInjuryParams,
    pub housing_fund: HousingFundParams,
    pub retirement: RetirementParams,
    pub benefit: BenefitParams,
    pub transfer: TransferParams,
    pub pooled_fund: super::funds::PooledFundParams,
}

// ---------------------------------------------------------------------------------------------
// Sections

/// Contribution base limits and their yearly adjustment (DOMAIN.md §1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BaseParams {
    /// Floor as a share of the regional average wage (0.6; Beijing phased in ≈ 0.58).
    pub floor_ratio: Dated<f64>,
    /// Ceiling as a multiple of the regional average wage (3.0).
    pub ceiling_ratio: Dated<f64>,
    /// Round the limits to whole yuan, half up (Sichuan: 7,646 × 0.6 = 4,587.6 → 4,588).
    pub round_limits_to_yuan: Dated<bool>,
    /// Calendar month (1–12) in which the base year starts: 1 in Sichuan, 7 in Beijing/Shanghai.
    pub adjustment_month: Dated<u32>,
    /// Months after the start of the base year before the new average wage is published.
    pub publication_lag_months: Dated<u32>,
    /// Whether the employer pays the difference (补差) for the months before publication.
    pub make_up: Dated<bool>,
}

impl Default for BaseParams {
    fn default() -> Self {
        BaseParams {
            floor_ratio: constant(0.6),
            ceiling_ratio: constant(3.0),
            round_limits_to_yuan: constant(true),
            adjustment_month: constant(1)
                .with_region("beijing", None, 7)
                .with_region("shanghai", None, 7),
            publication_lag_months: constant(0).with_region("beijing", None, 4),
            make_up: constant(true),
        }
    }
}

/// How a year's contributions earn interest in the personal account (DOMAIN.md §6.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterestConvention {
    /// `B_t = B_{t−1}(1 + r_t) + C_t`: the year's contributions earn nothing that year.
    YearEnd,
    /// The 1997 account rule: the year's contributions also earn `C_t × r × factor / 2`.
    Rule1997,
}

/// Basic pension rates, the personal-account book rate and the indexation of pensions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PensionParams {
    /// Employer rate of the enterprise scheme (pooled fund only).
    pub enterprise_employer_rate: Dated<f64>,
    /// Employer rate of the public-institution scheme.
    pub institution_employer_rate: Dated<f64>,
    /// Individual rate, all into the personal account (both schemes).
    pub individual_rate: Dated<f64>,
    /// Personal-account book rate (记账利率) by year.
    pub book_rate: Dated<f64>,
    /// Book rate assumed from `projection_from` on (years not yet announced).
    pub book_rate_projection: f64,
    /// Yearly increase of pensions in payment (基本养老金调整), by year.
    pub indexation: Dated<f64>,
    /// Increase assumed from `projection_from` on.
    pub indexation_projection: f64,
    /// First month for which the projections replace the tables.
    pub projection_from: YearMonth,
    /// Interest convention of the personal account.
    pub interest_convention: Dated<InterestConvention>,
    /// The factor of the 1997 convention (`C × r × 1.083 / 2`).
    pub rule1997_factor: f64,
}

impl Default for PensionParams {
    fn default() -> Self {
        PensionParams {
            enterprise_employer_rate: Dated::by_month([(ym(1998, 1), 0.20), (ym(2019, 5), 0.16)]),
            institution_employer_rate: Dated::by_month([(ym(2014, 10), 0.20), (ym(2019, 5), 0.16)]),
            individual_rate: constant(0.08),
            book_rate: default_book_rate(),
            book_rate_projection: 0.015,
            indexation: by_year(&[
                (2016, 0.065),
                (2017, 0.055),
                (2018, 0.05),
                (2019, 0.05),
                (2020, 0.05),
                (2021, 0.045),
                (2022, 0.04),
                (2023, 0.038),
                (2024, 0.03),
                (2025, 0.02),
            ]),
            indexation_projection: 0.02,
            projection_from: ym(2026, 1),
            interest_convention: constant(InterestConvention::YearEnd),
            rule1997_factor: 1.083,
        }
    }
}

/// The unified national book rates 2016–2025 (2025 unofficial). Before 2016 rates were set by
/// province, near the one-year deposit rate; 2.5 % stands in for them.
fn default_book_rate() -> Dated<f64> {
    by_year(&[
        (1998, 0.025),
        (2016, 0.0831),
        (2017, 0.0712),
        (2018, 0.0829),
        (2019, 0.0761),
        (2020, 0.0604),
        (2021, 0.0669),
        (2022, 0.0612),
        (2023, 0.0397),
        (2024, 0.0262),
        (2025, 0.015),
    ])
}

/// Occupational annuity (职业年金, 国办发〔2015〕18号).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OccupationalAnnuityParams {
    pub employer_rate: Dated<f64>,
    pub individual_rate: Dated<f64>,
    /// Whether the employer part is booked notionally (记账) instead of paid in cash.
    pub notional_employer: Dated<bool>,
    /// Book rate credited to the notional part.
    pub notional_book_rate: Dated<f64>,
    /// Yearly return of the funded part (a modelling assumption).
    pub funded_return: Dated<f64>,
}

impl Default for OccupationalAnnuityParams {
    fn default() -> Self {
        OccupationalAnnuityParams {
            employer_rate: constant(0.08),
            individual_rate: constant(0.04),
            notional_employer: constant(false),
            notional_book_rate: default_book_rate(),
            funded_return: constant(0.04),
        }
    }
}

/// Enterprise annuity (企业年金, 人社部令第36号): voluntary, for contract staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnterpriseAnnuityParams {
    /// Whether the university runs an enterprise annuity.
    pub enabled: Dated<bool>,
    pub employer_rate: Dated<f64>,
    pub individual_rate: Dated<f64>,
    /// Legal cap of the employer rate (8 %).
    pub employer_cap: f64,
    /// Legal cap of employer + individual (12 %).
    pub total_cap: f64,
    /// Yearly return of the fund (a modelling assumption).
    pub funded_return: Dated<f64>,
}

impl Default for EnterpriseAnnuityParams {
    fn default() -> Self {
        EnterpriseAnnuityParams {
            enabled: constant(false),
            employer_rate: constant(0.08),
            individual_rate: constant(0.04),
            employer_cap: 0.08,
            total_cap: 0.12,
            funded_return: constant(0.04),
        }
    }
}

/// Which years make a retiree eligible for medical cover without paying (DOMAIN.md §5.3).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedicalRuleShape {
    /// Cumulative years only (most places).
    Cumulative,
    /// Either `continuous_years` of the latest unbroken run or the cumulative years (Chengdu).
    ContinuousOrCumulative,
}

/// Medical insurance (maternity merged) and its continuity rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MedicalParams {
    pub employer_rate: Dated<f64>,
    pub individual_rate: Dated<f64>,
    /// Flat monthly major-illness fee of the individual, yuan (Beijing 3).
    pub major_illness_fee: Dated<f64>,
    /// Cumulative years required for retiree cover, men.
    pub required_years_male: Dated<f64>,
    /// Cumulative years required for retiree cover, women.
    pub required_years_female: Dated<f64>,
    /// Minimum actual years paid in the place itself.
    pub min_local_actual_years: Dated<f64>,
    pub rule_shape: Dated<MedicalRuleShape>,
    /// Years of the latest unbroken run that suffice under `continuous_or_cumulative`.
    pub continuous_years: Dated<f64>,
    /// Longest gap (months) that is bridged by paying arrears, with no waiting period.
    pub arrears_gap_months: Dated<u32>,
    /// Waiting period (months) after a longer gap.
    pub waiting_period_months: Dated<u32>,
    /// Share of benefits paid during the waiting period (Fujian 50 %).
    pub waiting_benefit_share: Dated<f64>,
    /// The lump-sum buy-in at retirement is shortfall months × base × (employer + individual
    /// rate) × this multiplier.
    pub buy_in_multiplier: Dated<f64>,
}

impl Default for MedicalParams {
    fn default() -> Self {
        MedicalParams {
            employer_rate: constant(0.085)
                .with_region("beijing", None, 0.098)
                .with_region("shanghai", None, 0.09),
            individual_rate: constant(0.02),
            major_illness_fee: constant(0.0).with_region("beijing", None, 3.0),
            required_years_male: constant(15.0)
                .with_region("beijing", None, 25.0)
                .with_region("guangdong", Some(ym(2030, 1)), 30.0)
                .with_region("sichuan", None, 20.0),
            required_years_female: constant(15.0)
                .with_region("beijing", None, 20.0)
                .with_region("guangdong", Some(ym(2030, 1)), 25.0)
                .with_region("sichuan", None, 20.0),
            min_local_actual_years: constant(0.0),
            rule_shape: constant(MedicalRuleShape::Cumulative).with_region(
                "sichuan",
                None,
                MedicalRuleShape::ContinuousOrCumulative,
            ),
            continuous_years: constant(15.0),
            arrears_gap_months: constant(3),
            // Jiangsu's 3-month wait and Fujian's 50 % benefit during the wait (DOMAIN.md §5.3)
            // are regional entries a scenario adds with those regions: the default regions
            // do not include them, and a default may only name regions the scenario defines.
            waiting_period_months: constant(6),
            waiting_benefit_share: constant(0.0),
            buy_in_multiplier: constant(1.0),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UnemploymentParams {
    pub employer_rate: Dated<f64>,
    pub individual_rate: Dated<f64>,
}

impl Default for UnemploymentParams {
    fn default() -> Self {
        UnemploymentParams {
            employer_rate: constant(0.005),
            individual_rate: constant(0.005),
        }
    }
}

/// Work injury: employer only, industry class base rate × experience-rated floating factor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkInjuryParams {
    /// Base rates of industry classes I–VIII (人社部发〔2015〕71号).
    pub class_base_rates: Vec<f64>,
    /// The university's class, 1 = I.
    pub industry_class: Dated<u32>,
    /// Experience-rated factor on the class base rate.
    pub floating_factor: Dated<f64>,
}

impl Default for WorkInjuryParams {
    fn default() -> Self {
        WorkInjuryParams {
            class_base_rates: vec![0.002, 0.004, 0.007, 0.009, 0.011, 0.013, 0.016, 0.019],
            industry_class: constant(1),
            floating_factor: constant(1.0),
        }
    }
}

impl WorkInjuryParams {
    /// The employer rate for a class (out-of-range classes take the nearest class).
    pub fn rate(&self, class: u32, floating: f64) -> f64 {
        let n = self.class_base_rates.len();
        if n == 0 {
            return 0.0;
        }
        let i = (class.max(1) as usize - 1).min(n - 1);
        self.class_base_rates[i] * floating
    }
}

/// Housing provident fund (住房公积金).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HousingFundParams {
    pub employer_rate: Dated<f64>,
    pub individual_rate: Dated<f64>,
    /// Cap of the fund base as a multiple of the city average wage.
    pub cap_multiple: Dated<f64>,
    /// Yearly interest on the account.
    pub interest_rate: Dated<f64>,
}

impl Default for HousingFundParams {
    fn default() -> Self {
        HousingFundParams {
            employer_rate: constant(0.12),
            individual_rate: constant(0.12),
            cap_multiple: constant(3.0),
            interest_rate: constant(0.015),
        }
    }
}

/// One category's row of the 2025 retirement-age reform (DOMAIN.md §4).
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortRule {
    /// Birth year of the first delayed cohort (January of that year).
    pub first_year: i32,
    /// The old statutory age in whole years.
    pub base_age: i32,
    /// Birth months per extra month of delay.
    pub step: i32,
    /// Largest delay in months.
    pub cap: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetirementParams {
    pub male: CohortRule,
    pub female_cadre: CohortRule,
    pub female_worker: CohortRule,
    /// Minimum contribution years before `min_years_rise_from`.
    pub min_years_start: f64,
    /// First calendar year in which the minimum rises.
    pub min_years_rise_from: i32,
    /// Rise per calendar year.
    pub min_years_step: f64,
    /// The final minimum.
    pub min_years_max: f64,
    /// How many months before the statutory age one may retire (never below the old age).
    pub flexible_early_months: i32,
    /// How many months after the statutory age one may defer.
    pub flexible_deferred_months: i32,
}

impl Default for RetirementParams {
    fn default() -> Self {
        RetirementParams {
            male: CohortRule {
                first_year: 1965,
                base_age: 60,
                step: 4,
                cap: 36,
            },
            female_cadre: CohortRule {
                first_year: 1970,
                base_age: 55,
                step: 4,
                cap: 36,
            },
            female_worker: CohortRule {
                first_year: 1975,
                base_age: 50,
                step: 2,
                cap: 60,
            },
            min_years_start: 15.0,
            min_years_rise_from: 2030,
            min_years_step: 0.5,
            min_years_max: 20.0,
            flexible_early_months: 36,
            flexible_deferred_months: 36,
        }
    }
}

/// Which family of transitional pension the province uses (DOMAIN.md §3.2).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionalForm {
    /// Family A: `C × I_deemed × N_deemed × k`.
    DeemedIndex,
    /// Family B: `C × (1 + Ī)/2 × N_pre × k`.
    AverageIndex,
}

/// One row of the old public-institution formula: from `min_years` of service on, `ratio` of
/// post + salary-scale wage.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OldFormulaRatio {
    pub min_years: f64,
    pub ratio: f64,
}

/// The benefit formula's tables and rounding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BenefitParams {
    /// Age of the first entry of `divisors`.
    pub divisor_first_age: i32,
    /// Months of payment (计发月数) by whole age from `divisor_first_age` on.
    pub divisors: Vec<f64>,
    /// Decimals the contribution years are rounded to before multiplying.
    pub years_decimals: Dated<u32>,
    /// Decimals the average index is rounded to.
    pub index_decimals: Dated<u32>,
    /// Decimals of yuan each component is rounded to (half up); the total is their sum.
    pub money_decimals: u32,
    pub transitional_form: Dated<TransitionalForm>,
    /// Coefficient k of the transitional pension.
    pub transitional_rate: Dated<f64>,
    /// Long-service supplement (Sichuan 增发): `C × Ī × rate × N`; 0 where none is paid.
    pub long_service_supplement_rate: Dated<f64>,
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
            years_decimals: constant(2),
            index_decimals: constant(4),
            money_decimals: 2,
            transitional_form: constant(TransitionalForm::DeemedIndex).with_region(
                "sichuan",
                None,
                TransitionalForm::AverageIndex,
            ),
            transitional_rate: constant(0.013).with_region("beijing", None, 0.01),
            long_service_supplement_rate: constant(0.0).with_region("sichuan", None, 0.001),
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

/// Transfers between regions and schemes (DOMAIN.md §5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TransferParams {
    /// Share of the yearly actual bases moved with the pooled fund.
    pub pooled_rate: Dated<f64>,
    /// Enterprise scheme: bases counted from this month.
    pub enterprise_pooled_since: YearMonth,
    /// Institution scheme: bases counted from this month (the reform).
    pub institution_pooled_since: YearMonth,
    /// Years in a place that make it the paying place.
    pub paying_place_min_years: f64,
    /// Men at least this old moving to a non-hukou place get a temporary account.
    pub temporary_account_age_male: i32,
    /// Women at least this old moving to a non-hukou place get a temporary account.
    pub temporary_account_age_female: i32,
}

impl Default for TransferParams {
    fn default() -> Self {
        TransferParams {
            pooled_rate: constant(0.12),
            enterprise_pooled_since: ym(1998, 1),
            institution_pooled_since: ym(2014, 10),
            paying_place_min_years: 10.0,
            temporary_account_age_male: 50,
            temporary_account_age_female: 40,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Resolved rates

/// Everything in force in one month for one region, resolved once so that the engine's loop
/// over agents does no table lookups. Rates are parts per million (see `money::apply_ppm`).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct RatesAt {
    pub month: YearMonth,
    pub floor_ratio_ppm: i64,
    pub ceiling_ratio_ppm: i64,
    pub round_limits_to_yuan: bool,
    pub adjustment_month: u32,
    pub publication_lag_months: u32,
    pub make_up: bool,
    pub pension_enterprise_employer_ppm: i64,
    pub pension_institution_employer_ppm: i64,
    pub pension_individual_ppm: i64,
    /// Book rate of the calendar year of `month`.
    pub book_rate_ppm: i64,
    pub interest_convention: InterestConvention,
    pub rule1997_factor_ppm: i64,
    /// Indexation of pensions in payment decided for the calendar year of `month`.
    pub indexation_ppm: i64,
    pub oa_employer_ppm: i64,
    pub oa_individual_ppm: i64,
    pub oa_notional_employer: bool,
    pub oa_notional_rate_ppm: i64,
    pub oa_funded_return_ppm: i64,
    pub ea_enabled: bool,
    pub ea_employer_ppm: i64,
    pub ea_individual_ppm: i64,
    pub ea_return_ppm: i64,
    pub medical_employer_ppm: i64,
    pub medical_individual_ppm: i64,
    pub major_illness_fee: Fen,
    pub unemployment_employer_ppm: i64,
    pub unemployment_individual_ppm: i64,
    pub work_injury_ppm: i64,
    pub housing_employer_ppm: i64,
    pub housing_individual_ppm: i64,
    pub housing_cap_multiple_ppm: i64,
    pub housing_interest_ppm: i64,
    pub pooled_transfer_ppm: i64,
    pub years_decimals: u32,
    pub index_decimals: u32,
    pub transitional_form: TransitionalForm,
    pub transitional_rate: f64,
    pub long_service_supplement_rate: f64,
}

impl InsuranceParams {
    /// Everything in force in `month` for `region`.
    pub fn resolve(&self, month: YearMonth, region: &str) -> RatesAt {
        let p = |d: &Dated<f64>| rate_to_ppm(*d.at(month, region));
        let year_start = YearMonth::ym(month.year(), 1);
        let projected = month >= self.pension.projection_from;
        let book = if projected {
            self.pension.book_rate_projection
        } else {
            *self.pension.book_rate.at(year_start, region)
        };
        let indexation = if projected {
            self.pension.indexation_projection
        } else {
            *self.pension.indexation.at(year_start, region)
        };
        let wi = &self.work_injury;
        let wi_rate = wi.rate(
            *wi.industry_class.at(month, region),
            *wi.floating_factor.at(month, region),
        );
        let b = &self.benefit;
        RatesAt {
            month,
            floor_ratio_ppm: p(&self.base.floor_ratio),
            ceiling_ratio_ppm: p(&self.base.ceiling_ratio),
            round_limits_to_yuan: *self.base.round_limits_to_yuan.at(month, region),
            adjustment_month: *self.base.adjustment_month.at(month, region),
            publication_lag_months: *self.base.publication_lag_months.at(month, region),
            make_up: *self.base.make_up.at(month, region),
            pension_enterprise_employer_ppm: p(&self.pension.enterprise_employer_rate),
            pension_institution_employer_ppm: p(&self.pension.institution_employer_rate),
            pension_individual_ppm: p(&self.pension.individual_rate),
            book_rate_ppm: rate_to_ppm(book),
            interest_convention: *self.pension.interest_convention.at(month, region),
            rule1997_factor_ppm: rate_to_ppm(self.pension.rule1997_factor),
            indexation_ppm: rate_to_ppm(indexation),
            oa_employer_ppm: p(&self.occupational_annuity.employer_rate),
            oa_individual_ppm: p(&self.occupational_annuity.individual_rate),
            oa_notional_employer: *self
                .occupational_annuity
                .notional_employer
                .at(month, region),
            oa_notional_rate_ppm: if projected {
                rate_to_ppm(self.pension.book_rate_projection)
            } else {
                rate_to_ppm(
                    *self
                        .occupational_annuity
                        .notional_book_rate
                        .at(year_start, region),
                )
            },
            oa_funded_return_ppm: p(&self.occupational_annuity.funded_return),
            ea_enabled: *self.enterprise_annuity.enabled.at(month, region),
            ea_employer_ppm: p(&self.enterprise_annuity.employer_rate),
            ea_individual_ppm: p(&self.enterprise_annuity.individual_rate),
            ea_return_ppm: p(&self.enterprise_annuity.funded_return),
            medical_employer_ppm: p(&self.medical.employer_rate),
            medical_individual_ppm: p(&self.medical.individual_rate),
            major_illness_fee: yuan_to_fen(*self.medical.major_illness_fee.at(month, region)),
            unemployment_employer_ppm: p(&self.unemployment.employer_rate),
            unemployment_individual_ppm: p(&self.unemployment.individual_rate),
            work_injury_ppm: rate_to_ppm(wi_rate),
            housing_employer_ppm: p(&self.housing_fund.employer_rate),
            housing_individual_ppm: p(&self.housing_fund.individual_rate),
            housing_cap_multiple_ppm: p(&self.housing_fund.cap_multiple),
            housing_interest_ppm: p(&self.housing_fund.interest_rate),
            pooled_transfer_ppm: p(&self.transfer.pooled_rate),
            years_decimals: *b.years_decimals.at(month, region),
            index_decimals: *b.index_decimals.at(month, region),
            transitional_form: *b.transitional_form.at(month, region),
            transitional_rate: *b.transitional_rate.at(month, region),
            long_service_supplement_rate: *b.long_service_supplement_rate.at(month, region),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Key docs

const FORMS: &[&str] = &["deemed_index", "average_index"];
const CONVENTIONS: &[&str] = &["year_end", "rule1997"];
const SHAPES: &[&str] = &["cumulative", "continuous_or_cumulative"];

const S1913: &str = "国办发〔2019〕13号";
const S2015_2: &str = "国发〔2015〕2号";
const S2015_18: &str = "国办发〔2015〕18号";
const S2005_38: &str = "国发〔2005〕38号";
const S_REFORM: &str = "全国人大常委会决定 2024-09-13 and 国务院办法";
const S_MED_TRANSFER: &str = "基本医疗保险关系转移接续暂行办法 (国家医保局、财政部 2021)";
const S_TRANSFER: &str = "国办发〔2009〕66号";

fn rate(path: &str, doc: &'static str) -> KeyDoc {
    KeyDoc::new(path, "share", Allowed::unit_interval(), doc).dated()
}

fn years(path: &str, doc: &'static str) -> KeyDoc {
    KeyDoc::new(path, "years", Allowed::number(0.0, 50.0), doc).dated()
}

impl InsuranceParams {
    /// Docs of every key of this section, paths relative to `insurance`.
    pub fn key_docs() -> Vec<KeyDoc> {
        use Certainty::*;
        vec![
            // base
            KeyDoc::new("base.floor_ratio", "share of average wage", Allowed::unit_interval(),
                "Floor of the contribution base as a share of the provincial 全口径 average wage.")
                .dated().source(S1913, C),
            KeyDoc::new("base.ceiling_ratio", "multiple of average wage", Allowed::number(1.0, 10.0),
                "Ceiling of the contribution base as a multiple of the provincial average wage.")
                .dated().source(S1913, C),
            KeyDoc::new("base.round_limits_to_yuan", "", Allowed::Bool,
                "Whether floor and ceiling are rounded half up to whole yuan (Sichuan 4,587.6 → 4,588).")
                .dated().source("Sichuan 2025 base notice", C),
            KeyDoc::new("base.adjustment_month", "month of year", Allowed::integer(1, 12),
                "Calendar month in which the base year starts: January in Sichuan, July in Beijing and Shanghai.")
                .dated().source("provincial base notices", C),
            KeyDoc::new("base.publication_lag_months", "months", Allowed::integer(0, 24),
                "Months after the start of the base year until the new average wage is published; contributions meanwhile use the old limits.")
                .dated().source("Beijing published its 2025 base on 2025-11-07", U),
            KeyDoc::new("base.make_up", "", Allowed::Bool,
                "Whether the employer pays the difference (补差) for the months before publication as a lump sum.")
                .dated().source("administrative practice", U),
            // pension
            rate("pension.enterprise_employer_rate",
                "Employer rate of the enterprise scheme, all into the pooled fund.")
                .source(S1913, C),
            rate("pension.institution_employer_rate",
                "Employer rate of the public-institution scheme (20 % originally, 16 % after the 2019 cut).")
                .source(S2015_2, M),
            rate("pension.individual_rate", "Individual pension rate, all into the personal account.")
                .source(S2005_38, C),
            rate("pension.book_rate", "Personal-account book rate (记账利率) by year, unified nationally since 2016; before 2016 a stand-in of 2.5 %.")
                .source("人社部发〔2017〕31号 and yearly notices; 2025 unofficial", C),
            KeyDoc::new("pension.book_rate_projection", "share", Allowed::number(-0.1, 0.3),
                "Book rate assumed for years from `projection_from` on, not yet announced.")
                .source("third-party calculators", U),
            rate("pension.indexation", "Yearly increase of pensions in payment (基本养老金调整), the national figure.")
                .source("人社部、财政部 yearly notices", M),
            KeyDoc::new("pension.indexation_projection", "share", Allowed::number(-0.1, 0.3),
                "Increase of pensions assumed from `projection_from` on.")
                .source("model", Model),
            KeyDoc::new("pension.projection_from", "month", Allowed::Month,
                "First month for which the projected book rate and indexation replace the tables.")
                .source("model", Model),
            KeyDoc::new("pension.interest_convention", "", Allowed::OneOf(CONVENTIONS),
                "How a year's contributions earn interest: year-end crediting, or the 1997 rule crediting C × r × 1.083 / 2.")
                .dated().source("国发〔1997〕26号 account rules", U),
            KeyDoc::new("pension.rule1997_factor", "", Allowed::number(0.0, 2.0),
                "Factor of the 1997 convention's interest on the year's contributions.")
                .source("国发〔1997〕26号 account rules", U),
            // occupational annuity
            rate("occupational_annuity.employer_rate", "Employer occupational-annuity rate on the individual base (编内 only).")
                .source(S2015_18, R),
            rate("occupational_annuity.individual_rate", "Individual occupational-annuity rate.")
                .source(S2015_18, R),
            KeyDoc::new("occupational_annuity.notional_employer", "", Allowed::Bool,
                "Whether the employer part is booked notionally (记账) and funded only at retirement or exit.")
                .dated().source(S2015_18, M),
            rate("occupational_annuity.notional_book_rate", "Book rate credited to the notional employer part, by year.")
                .source("announced rates; defaults to the pension book rate", U),
            rate("occupational_annuity.funded_return", "Yearly return on the funded part.")
                .source("model", Model),
            // enterprise annuity
            KeyDoc::new("enterprise_annuity.enabled", "", Allowed::Bool,
                "Whether the university runs a (voluntary) enterprise annuity for contract staff.")
                .dated().source("人社部令第36号", M),
            rate("enterprise_annuity.employer_rate", "Employer enterprise-annuity rate.").source("人社部令第36号", M),
            rate("enterprise_annuity.individual_rate", "Individual enterprise-annuity rate.").source("人社部令第36号", M),
            KeyDoc::new("enterprise_annuity.employer_cap", "share", Allowed::unit_interval(),
                "Legal cap of the employer rate.").source("人社部令第36号", M),
            KeyDoc::new("enterprise_annuity.total_cap", "share", Allowed::unit_interval(),
                "Legal cap of employer plus individual rates.").source("人社部令第36号", M),
            rate("enterprise_annuity.funded_return", "Yearly return on the enterprise-annuity fund.")
                .source("model", Model),
            // medical
            rate("medical.employer_rate", "Employer medical rate, maternity included (Beijing 9.8 %, Shanghai 9 %).")
                .source("国办发〔2019〕10号; city parameter tables", C),
            rate("medical.individual_rate", "Individual medical rate.").source("city parameter tables", C),
            KeyDoc::new("medical.major_illness_fee", "yuan/month", Allowed::number(0.0, 1000.0),
                "Flat monthly major-illness (大额) fee of the individual (Beijing 3 yuan).")
                .dated().source("Beijing parameter table", M),
            years("medical.required_years_male", "Cumulative medical years a man needs for retiree cover without paying.")
                .source("local rules (Beijing 25, Shanghai 15, Guangdong 30 from 2030)", C),
            years("medical.required_years_female", "Cumulative medical years a woman needs for retiree cover without paying.")
                .source("local rules (Beijing 20, Shanghai 15, Guangdong 25 from 2030)", C),
            years("medical.min_local_actual_years", "Minimum actual years paid in the place itself.")
                .source("older local rules", U),
            KeyDoc::new("medical.rule_shape", "", Allowed::OneOf(SHAPES),
                "Whether retiree cover needs cumulative years only, or either continuous or cumulative years (Chengdu 15 / 20).")
                .dated().source("Chengdu rule, unconfirmed", U),
            years("medical.continuous_years", "Years of the latest unbroken run that suffice under `continuous_or_cumulative`.")
                .source("Chengdu rule, unconfirmed", U),
            KeyDoc::new("medical.arrears_gap_months", "months", Allowed::integer(0, 24),
                "Longest gap bridged by paying the arrears, with benefits retroactive and no waiting period.")
                .dated().source(S_MED_TRANSFER, C),
            KeyDoc::new("medical.waiting_period_months", "months", Allowed::integer(0, 24),
                "Waiting period after a longer gap (national cap 6; Jiangsu 3).")
                .dated().source(S_MED_TRANSFER, C),
            rate("medical.waiting_benefit_share", "Share of benefits paid during the waiting period (Fujian 50 %).")
                .source(S_MED_TRANSFER, C),
            KeyDoc::new("medical.buy_in_multiplier", "", Allowed::number(0.0, 10.0),
                "Lump-sum buy-in of a shortfall at retirement = shortfall months × base × full rate × this.")
                .dated().source("local practice", U),
            // unemployment, work injury
            rate("unemployment.employer_rate", "Employer unemployment rate (phased reduction).")
                .source("人社部发〔2024〕40号", C),
            rate("unemployment.individual_rate", "Individual unemployment rate.").source("人社部发〔2024〕40号", C),
            KeyDoc::new("work_injury.class_base_rates", "share", Allowed::Structured,
                "Work-injury base rates of industry classes I–VIII.")
                .source("人社部发〔2015〕71号", M),
            KeyDoc::new("work_injury.industry_class", "class", Allowed::integer(1, 8),
                "The university's work-injury industry class (education is low-risk).")
                .dated().source("人社部发〔2015〕71号", U),
            KeyDoc::new("work_injury.floating_factor", "", Allowed::number(0.0, 3.0),
                "Experience-rated factor on the class base rate.")
                .dated().source("人社部发〔2015〕71号", U),
            // housing fund
            rate("housing_fund.employer_rate", "Employer housing-fund rate (5–12 %; universities typically 12 %).")
                .source("住房公积金管理条例; 建金〔2005〕5号", M),
            rate("housing_fund.individual_rate", "Individual housing-fund rate, same as the employer's.")
                .source("住房公积金管理条例; 建金〔2005〕5号", M),
            KeyDoc::new("housing_fund.cap_multiple", "multiple of city average", Allowed::number(1.0, 10.0),
                "Cap of the housing-fund base as a multiple of the city average wage.")
                .dated().source("建金〔2005〕5号", M),
            rate("housing_fund.interest_rate", "Yearly interest on the housing-fund account.")
                .source("住房公积金 interest rate", M),
            // retirement
            KeyDoc::new("retirement.male", "", Allowed::Structured,
                "Men's cohort rule {first_year, base_age, step, cap}: 1965, 60, 4, 36.").source(S_REFORM, C),
            KeyDoc::new("retirement.female_cadre", "", Allowed::Structured,
                "Women cadres' cohort rule: 1970, 55, 4, 36.").source(S_REFORM, C),
            KeyDoc::new("retirement.female_worker", "", Allowed::Structured,
                "Women workers' cohort rule: 1975, 50, 2, 60.").source(S_REFORM, C),
            KeyDoc::new("retirement.min_years_start", "years", Allowed::number(0.0, 40.0),
                "Minimum contribution years for a monthly pension before the rise.").source(S_REFORM, C),
            KeyDoc::new("retirement.min_years_rise_from", "year", Allowed::integer(2000, 2100),
                "First calendar year in which the minimum contribution years rise.").source(S_REFORM, C),
            KeyDoc::new("retirement.min_years_step", "years", Allowed::number(0.0, 5.0),
                "Rise of the minimum contribution years per calendar year.").source(S_REFORM, C),
            KeyDoc::new("retirement.min_years_max", "years", Allowed::number(0.0, 40.0),
                "The final minimum contribution years.").source(S_REFORM, C),
            KeyDoc::new("retirement.flexible_early_months", "months", Allowed::integer(0, 120),
                "How far before the statutory age one may retire, never below the old age.")
                .source("人社部发〔2024〕94号", C),
            KeyDoc::new("retirement.flexible_deferred_months", "months", Allowed::integer(0, 120),
                "How far beyond the statutory age one may defer, by agreement with the employer.")
                .source("人社部发〔2024〕94号", C),
            // benefit
            KeyDoc::new("benefit.divisor_first_age", "years", Allowed::integer(16, 80),
                "Age of the first entry of `divisors`.").source(S2005_38, C),
            KeyDoc::new("benefit.divisors", "months", Allowed::Structured,
                "Months of payment (计发月数) by whole age; months between ages are interpolated linearly and rounded to 0.1.")
                .source("国发〔2005〕38号 annex; interpolation per Jinan government answer 2025", C),
            KeyDoc::new("benefit.years_decimals", "decimals", Allowed::integer(0, 6),
                "Decimals the contribution years are rounded to before multiplying (Sichuan notices: 2).")
                .dated().source("Sichuan official notices", C),
            KeyDoc::new("benefit.index_decimals", "decimals", Allowed::integer(0, 8),
                "Decimals the average contribution index is rounded to (notices print 4).")
                .dated().source("benefit notices", C),
            KeyDoc::new("benefit.money_decimals", "decimals", Allowed::integer(0, 2),
                "Decimals of yuan each component is rounded to, half up; the total is the sum of the rounded components.")
                .source("Sichuan official notices", C),
            KeyDoc::new("benefit.transitional_form", "", Allowed::OneOf(FORMS),
                "Transitional-pension family: deemed-index (Guangdong, Shandong, institutions) or average-index (Sichuan enterprise).")
                .dated().source("provincial rules", C),
            KeyDoc::new("benefit.transitional_rate", "share", Allowed::number(0.0, 0.05),
                "Coefficient k of the transitional pension (1.0–1.4 %; Sichuan 1.3 %, Beijing 1 %).")
                .dated().source("provincial rules; Sichuan notice", C),
            KeyDoc::new("benefit.long_service_supplement_rate", "share", Allowed::number(0.0, 0.05),
                "Local long-service supplement (Sichuan 增发) C × Ī × rate × N; 0 where none is paid.")
                .dated().source("Sichuan official notice", C),
            rate("benefit.transition_share", "Share p of (new − old) added to the old amount in the 2014-10..2024-09 comparison, by retirement month.")
                .source("人社部发〔2015〕28号", M),
            KeyDoc::new("benefit.comparison_from", "month", Allowed::Month,
                "First retirement month of the new-versus-old comparison (保低限高).").source("人社部发〔2015〕28号", M),
            KeyDoc::new("benefit.comparison_until", "month", Allowed::Month,
                "Last retirement month of the new-versus-old comparison.").source("人社部发〔2015〕28号", M),
            KeyDoc::new("benefit.old_formula_ratios", "", Allowed::Structured,
                "Old-formula ratios {min_years, ratio} of post + salary-scale wage: 35 → 90 %, 30 → 85 %, 20 → 80 %, 10 → 70 %.")
                .source("人社部发〔2015〕28号", M),
            // transfer
            rate("transfer.pooled_rate", "Share of the yearly actual bases moved with the pooled fund on a transfer.")
                .source(S_TRANSFER, C),
            KeyDoc::new("transfer.enterprise_pooled_since", "month", Allowed::Month,
                "Enterprise transfers count bases from this month.").source(S_TRANSFER, C),
            KeyDoc::new("transfer.institution_pooled_since", "month", Allowed::Month,
                "Institution transfers count bases from this month (the reform).").source("人社部规〔2017〕1号", C),
            KeyDoc::new("transfer.paying_place_min_years", "years", Allowed::number(0.0, 40.0),
                "Cumulative years in a non-hukou place that make it the paying place.").source(S_TRANSFER, C),
            KeyDoc::new("transfer.temporary_account_age_male", "years", Allowed::integer(0, 80),
                "Men at least this old moving to a non-hukou place get a temporary account.").source(S_TRANSFER, C),
            KeyDoc::new("transfer.temporary_account_age_female", "years", Allowed::integer(0, 80),
                "Women at least this old moving to a non-hukou place get a temporary account.").source(S_TRANSFER, C),
        ]
        .into_iter()
        .chain(super::funds::PooledFundParams::key_docs())
        .collect()
    }

    /// Cross-field checks; `path` is this section's path (`insurance`).
    pub fn check(&self, path: &str, out: &mut Vec<Issue>) {
        let at = |k: &str| {
            if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            }
        };
        self.check_dated_structure(&at, out);
        self.check_base(&at, out);
        self.check_enterprise_annuity(&at, out);
        self.check_divisors(&at, out);
        self.check_retirement(&at, out);
        let b = &self.benefit;
        if b.comparison_until < b.comparison_from {
            out.push(Issue::new(
                at("benefit.comparison_until"),
                "the comparison period ends before it starts",
            ));
        }
        if b.money_decimals > 2 {
            out.push(Issue::new(
                at("benefit.money_decimals"),
                "money is kept in fen: at most 2 decimals",
            ));
        }
        if self.work_injury.class_base_rates.is_empty() {
            out.push(Issue::new(
                at("work_injury.class_base_rates"),
                "at least one class rate is needed",
            ));
        }
    }

    fn check_dated_structure(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let mut push = |k: &str, problems: Vec<String>| {
            for m in problems {
                out.push(Issue::new(at(k), m));
            }
        };
        push(
            "base.floor_ratio",
            self.base.floor_ratio.structural_problems(),
        );
        push(
            "base.ceiling_ratio",
            self.base.ceiling_ratio.structural_problems(),
        );
        push(
            "pension.book_rate",
            self.pension.book_rate.structural_problems(),
        );
        push(
            "pension.indexation",
            self.pension.indexation.structural_problems(),
        );
        push(
            "benefit.transition_share",
            self.benefit.transition_share.structural_problems(),
        );
        push(
            "medical.employer_rate",
            self.medical.employer_rate.structural_problems(),
        );
    }

    fn check_base(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let floors = &self.base.floor_ratio;
        let ceilings = &self.base.ceiling_ratio;
        // Compare at every date and region either table mentions.
        let mut probes: Vec<(YearMonth, String)> = Vec::new();
        for e in floors.entries().iter().chain(ceilings.entries()) {
            probes.push((
                e.from.unwrap_or(YearMonth::ym(1990, 1)),
                e.region.clone().unwrap_or_default(),
            ));
        }
        for (m, r) in probes {
            let (f, c) = (*floors.at(m, &r), *ceilings.at(m, &r));
            if f > c {
                out.push(Issue::new(
                    at("base.floor_ratio"),
                    format!(
                        "floor ratio {f} is above ceiling ratio {c} (from {m}{})",
                        region_note(&r)
                    ),
                ));
                return;
            }
        }
    }

    fn check_enterprise_annuity(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let ea = &self.enterprise_annuity;
        for e in ea.employer_rate.entries() {
            if e.value > ea.employer_cap + 1e-12 {
                out.push(Issue::new(
                    at("enterprise_annuity.employer_rate"),
                    format!(
                        "employer rate {} is above the legal cap {}",
                        e.value, ea.employer_cap
                    ),
                ));
            }
        }
        let mut probes: Vec<(YearMonth, String)> = Vec::new();
        for e in ea
            .employer_rate
            .entries()
            .iter()
            .chain(ea.individual_rate.entries())
        {
            probes.push((
                e.from.unwrap_or(YearMonth::ym(1990, 1)),
                e.region.clone().unwrap_or_default(),
            ));
        }
        for (m, r) in probes {
            let total = ea.employer_rate.at(m, &r) + ea.individual_rate.at(m, &r);
            if total > ea.total_cap + 1e-12 {
                out.push(Issue::new(
                    at("enterprise_annuity.individual_rate"),
                    format!(
                        "employer + individual = {total} is above the legal cap {} (from {m}{})",
                        ea.total_cap,
                        region_note(&r)
                    ),
                ));
                return;
            }
        }
    }

    fn check_divisors(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let d = &self.benefit.divisors;
        if d.len() < 2 {
            out.push(Issue::new(
                at("benefit.divisors"),
                "the divisor table needs at least two ages",
            ));
            return;
        }
        for (i, w) in d.windows(2).enumerate() {
            if w[1] > w[0] {
                let age = self.benefit.divisor_first_age + i as i32 + 1;
                out.push(Issue::new(
                    at(&format!("benefit.divisors[{}]", i + 1)),
                    format!(
                        "divisors must not increase with age: {} at {age} is above {} at {}",
                        w[1],
                        w[0],
                        age - 1
                    ),
                ));
            }
        }
        if d.iter().any(|&x| x <= 0.0 || !x.is_finite()) {
            out.push(Issue::new(
                at("benefit.divisors"),
                "every divisor must be positive",
            ));
        }
    }

    fn check_retirement(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let r = &self.retirement;
        for (k, c) in [
            ("male", r.male),
            ("female_cadre", r.female_cadre),
            ("female_worker", r.female_worker),
        ] {
            if c.step < 1 {
                out.push(Issue::new(
                    at(&format!("retirement.{k}.step")),
                    "the step must be at least 1 birth month",
                ));
            }
            if c.cap < 0 {
                out.push(Issue::new(
                    at(&format!("retirement.{k}.cap")),
                    "the cap must not be negative",
                ));
            }
        }
        if r.min_years_max < r.min_years_start {
            out.push(Issue::new(
                at("retirement.min_years_max"),
                "the final minimum is below the starting minimum",
            ));
        }
    }
}

fn region_note(r: &str) -> String {
    if r.is_empty() {
        String::new()
    } else {
        format!(", region {r}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip_through_toml() {
        let p = InsuranceParams::default();
        let text = toml::to_string(&p).unwrap();
        let back: InsuranceParams = toml::from_str(&text).unwrap();
        assert_eq!(p, back);
    }

    #[test]
    fn partial_toml_keeps_other_defaults_and_rejects_unknown_keys() {
        let p: InsuranceParams = toml::from_str("[pension]\nindividual_rate = 0.07\n").unwrap();
        assert_eq!(
            *p.pension.individual_rate.at_general(YearMonth::ym(2025, 1)),
            0.07
        );
        assert_eq!(p.benefit.divisors.len(), 31);
        assert!(toml::from_str::<InsuranceParams>("[pension]\nindividual_rat = 0.07\n").is_err());
    }

    #[test]
    fn resolve_reads_the_month_and_region() {
        let p = InsuranceParams::default();
        let r = p.resolve(YearMonth::ym(2019, 4), "sichuan");
        assert_eq!(r.pension_enterprise_employer_ppm, 200_000);
        assert_eq!(r.transitional_form, TransitionalForm::AverageIndex);
        let r = p.resolve(YearMonth::ym(2024, 6), "beijing");
        assert_eq!(r.pension_enterprise_employer_ppm, 160_000);
        assert_eq!(r.book_rate_ppm, 26_200);
        assert_eq!(r.indexation_ppm, 30_000);
        assert_eq!(r.medical_employer_ppm, 98_000);
        assert_eq!(r.major_illness_fee, 300);
        assert_eq!(r.adjustment_month, 7);
        assert_eq!(r.work_injury_ppm, 2_000);
        let r = p.resolve(YearMonth::ym(2030, 1), "gansu");
        assert_eq!(r.book_rate_ppm, 15_000, "projection");
        assert_eq!(r.transitional_form, TransitionalForm::DeemedIndex);
        assert_eq!(r.long_service_supplement_rate, 0.0);
    }

    #[test]
    fn default_transition_shares_follow_the_table() {
        let b = BenefitParams::default();
        assert_eq!(*b.transition_share.at_general(YearMonth::ym(2015, 12)), 0.1);
        assert_eq!(*b.transition_share.at_general(YearMonth::ym(2020, 6)), 0.6);
        assert_eq!(*b.transition_share.at_general(YearMonth::ym(2023, 12)), 0.9);
        assert_eq!(*b.transition_share.at_general(YearMonth::ym(2024, 5)), 1.0);
    }

    #[test]
    fn defaults_pass_the_checks_and_every_section_is_documented() {
        let mut out = Vec::new();
        InsuranceParams::default().check("insurance", &mut out);
        assert!(out.is_empty(), "{out:?}");
        let docs = InsuranceParams::key_docs();
        let text = toml::to_string(&InsuranceParams::default()).unwrap();
        let value: toml::Table = toml::from_str(&text).unwrap();
        for (section, t) in &value {
            for key in t.as_table().unwrap().keys() {
                let path = format!("{section}.{key}");
                assert!(docs.iter().any(|d| d.path == path), "no KeyDoc for {path}");
            }
        }
    }

    #[test]
    fn checks_catch_inconsistent_values() {
        let mut p = InsuranceParams::default();
        p.base.floor_ratio = Dated::constant(3.5);
        p.enterprise_annuity.employer_rate = Dated::constant(0.09);
        p.benefit.divisors[5] = 300.0;
        let mut out = Vec::new();
        p.check("insurance", &mut out);
        let paths: Vec<&str> = out.iter().map(|i| i.path.as_str()).collect();
        assert!(paths.contains(&"insurance.base.floor_ratio"), "{out:?}");
        assert!(paths.contains(&"insurance.enterprise_annuity.employer_rate"));
        assert!(
            paths.contains(&"insurance.enterprise_annuity.individual_rate"),
            "0.09 + 0.04 > 0.12"
        );
        assert!(paths.contains(&"insurance.benefit.divisors[5]"));
    }
}

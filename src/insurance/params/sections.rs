//! The sections of `[insurance]` other than the award's rules: contribution bases, pension
//! rates and accounts, annuities, medical, unemployment, work injury, housing fund, retirement
//! ages and transfers.

use super::{constant, ym};
use crate::insurance::regions::RuleTable;
use crate::scenario::dated::Dated;
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

/// Contribution base limits and their yearly adjustment; the regional entries come from the
/// regional rule table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BaseParams {
    /// Floor as a share of the regional average wage (0.6; Beijing 0.58 in 2024-07..2025-06).
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
        let t = RuleTable::builtin();
        BaseParams {
            floor_ratio: t.dated(|r| &r.floor_ratio),
            ceiling_ratio: t.dated(|r| &r.ceiling_ratio),
            round_limits_to_yuan: constant(true),
            adjustment_month: t.dated(|r| &r.adjustment_month),
            publication_lag_months: t.dated(|r| &r.publication_lag_months),
            make_up: constant(true),
        }
    }
}

/// How a year's contributions earn interest in the personal account.
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
    /// First month of the enterprise personal account, by region (earlier service counts as
    /// deemed or pre-account years).
    pub account_start: Dated<YearMonth>,
    /// Share of the base credited to the personal account: 11 % from 1998, 8 % from 2006.
    pub account_credit_rate: Dated<f64>,
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
            enterprise_employer_rate: Dated::by_month([
                (ym(1998, 1), 0.20),
                (ym(2016, 5), 0.19),
                (ym(2019, 5), 0.16),
            ]),
            institution_employer_rate: Dated::by_month([(ym(2014, 10), 0.20), (ym(2019, 5), 0.16)]),
            individual_rate: constant(0.08),
            account_start: RuleTable::builtin().dated(|r| &r.account_start),
            account_credit_rate: RuleTable::builtin().dated(|r| &r.account_credit_rate),
            book_rate: default_book_rate(),
            book_rate_projection: 0.015,
            indexation: RuleTable::builtin().dated(|r| &r.indexation),
            indexation_projection: 0.02,
            projection_from: ym(2026, 1),
            interest_convention: constant(InterestConvention::YearEnd),
            rule1997_factor: 1.083,
        }
    }
}

/// The unified national book rates 2016–2025 (2025 unofficial) from the regional rule table,
/// each year with its source. Before 2016 rates were set by province, near the one-year deposit
/// rate; 2.5 % stands in for them.
fn default_book_rate() -> Dated<f64> {
    RuleTable::builtin().dated(|r| &r.book_rate)
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

/// Which years make a retiree eligible for medical cover without paying.
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
            // Jiangsu's 3-month wait and Fujian's 50 % benefit during the wait
            // are regional entries a scenario adds with those regions: the default regions
            // do not include them, and a default may only name regions the scenario defines.
            waiting_period_months: constant(6),
            waiting_benefit_share: constant(0.0),
            buy_in_multiplier: constant(1.0),
        }
    }
}

/// Unemployment insurance; the defaults are the regional rule table's (the split of the
/// reduced 1 % differs by province: Sichuan 0.6 % / 0.4 %).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UnemploymentParams {
    pub employer_rate: Dated<f64>,
    pub individual_rate: Dated<f64>,
}

impl Default for UnemploymentParams {
    fn default() -> Self {
        let t = RuleTable::builtin();
        UnemploymentParams {
            employer_rate: t.dated(|r| &r.unemployment_employer_rate),
            individual_rate: t.dated(|r| &r.unemployment_individual_rate),
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
    /// Share of the class base rates the province charges (a phased reduction: Sichuan 80 %
    /// from 2023-05 to 2024-12); the defaults are the regional rule table's.
    pub base_rate_share: Dated<f64>,
}

impl Default for WorkInjuryParams {
    fn default() -> Self {
        WorkInjuryParams {
            class_base_rates: vec![0.002, 0.004, 0.007, 0.009, 0.011, 0.013, 0.016, 0.019],
            // Education (教育) is in class II of the 人社部发〔2015〕71号 industry table.
            industry_class: constant(2),
            floating_factor: constant(1.0),
            base_rate_share: RuleTable::builtin().dated(|r| &r.work_injury_base_rate_share),
        }
    }
}

impl WorkInjuryParams {
    /// The class base rate times `factor` (the floating factor times the province's share);
    /// out-of-range classes take the nearest class.
    pub fn rate(&self, class: u32, factor: f64) -> f64 {
        let n = self.class_base_rates.len();
        if n == 0 {
            return 0.0;
        }
        let i = (class.max(1) as usize - 1).min(n - 1);
        self.class_base_rates[i] * factor
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

/// One category's row of the 2025 retirement-age reform (全国人民代表大会常务委员会决定 of 2024-09-13).
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

/// Transfers between regions and schemes (国办发〔2009〕66号; 人社部规〔2017〕1号).
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

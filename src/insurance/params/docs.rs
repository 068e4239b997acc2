//! The key catalog of `[insurance]`: unit, allowed values, meaning and source of every key.

use super::InsuranceParams;
use crate::scenario::catalog::{Allowed, Certainty, KeyDoc};

// ---------------------------------------------------------------------------------------------
// Key docs

use crate::insurance::regions::{
    BasicForm, ComponentRounding, DeemedIndexRule, DivisorConvention, SupplementForm,
    TotalRounding, TransitionalForm, YearsBasis,
};

/// The source line of a key whose defaults are the regional rule table.
const TABLE: &str = "regional rule table (src/insurance/regions/data), each entry with its official document; `sisandbox rates REGION --month YYYY-MM` prints the one in force";
const CONVENTIONS: &[&str] = &["year_end", "rule1997"];
const SHAPES: &[&str] = &["cumulative", "continuous_or_cumulative"];

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
                "Floor of the contribution base as a share of the provincial 全口径 average wage (Beijing 58 % for 2024-07..2025-06).")
                .dated().source(TABLE, C),
            KeyDoc::new("base.ceiling_ratio", "multiple of average wage", Allowed::number(1.0, 10.0),
                "Ceiling of the contribution base as a multiple of the provincial average wage.")
                .dated().source(TABLE, C),
            KeyDoc::new("base.round_limits_to_yuan", "", Allowed::Bool,
                "Whether floor and ceiling are rounded half up to whole yuan (Sichuan 4,587.6 → 4,588).")
                .dated().source("四川省 2025 社会保险缴费基数上下限 notice", C),
            KeyDoc::new("base.adjustment_month", "month of year", Allowed::integer(1, 12),
                "Calendar month in which the base year starts: January in Sichuan, July in Beijing and Shanghai.")
                .dated().source(TABLE, C),
            KeyDoc::new("base.publication_lag_months", "months", Allowed::integer(0, 24),
                "Months after the start of the base year until the new average wage is published; contributions meanwhile use the old limits.")
                .dated().source(TABLE, U),
            KeyDoc::new("base.make_up", "", Allowed::Bool,
                "Whether the employer pays the difference (补差) for the months before publication as a lump sum.")
                .dated().source("administrative practice", U),
            // pension
            rate("pension.enterprise_employer_rate",
                "Employer rate of the enterprise scheme, all into the pooled fund: 20 %, 19 % from 2016-05, 16 % from 2019-05.")
                .source("人社部发〔2016〕36号 (2016-04-14); 国办发〔2019〕13号 (2019-04-01)", C),
            rate("pension.institution_employer_rate",
                "Employer rate of the public-institution scheme (20 % originally, 16 % after the 2019 cut).")
                .source(S2015_2, M),
            rate("pension.individual_rate", "Individual pension rate, all into the personal account.")
                .source(S2005_38, C),
            KeyDoc::new("pension.account_start", "month", Allowed::Month,
                "First month of the enterprise personal account by region (Beijing 1992-10, Qingdao 1994-10, Sichuan, Liaoning, Jiangsu, Gansu, Heilongjiang, Hubei 1996-01, nationally 1998-01); earlier service counts as deemed or pre-account years.")
                .dated().source(TABLE, M),
            rate("pension.account_credit_rate", "Share of the base credited to the personal account: 11 % from 1998 (国发〔1997〕26号), 8 % from 2006 (国发〔2005〕38号).")
                .source(TABLE, R),
            rate("pension.book_rate", "Personal-account book rate (记账利率) by year, unified nationally since 2016; before 2016 a stand-in of 2.5 %.")
                .source(TABLE, C),
            KeyDoc::new("pension.book_rate_projection", "share", Allowed::number(-0.1, 0.3),
                "Book rate assumed for years from `projection_from` on, not yet announced.")
                .source("third-party calculators", U),
            rate("pension.indexation", "Yearly increase of pensions in payment (基本养老金调整), the national figure; 10 % a year 2005–2015 (the first entry also stands for earlier years).")
                .source(TABLE, M),
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
            rate("unemployment.employer_rate", "Employer unemployment rate: 2 % (1999), 1.5 % from 2015-03, 0.5 % of a phased 1 % from 2017; provinces split the 1 % their own way (Sichuan 0.6 % from 2023-05).")
                .source(TABLE, C),
            rate("unemployment.individual_rate", "Individual unemployment rate: 1 % (1999), 0.5 % from 2015-03; Sichuan 0.4 % from 2023-05.")
                .source(TABLE, C),
            KeyDoc::new("work_injury.class_base_rates", "share", Allowed::Structured,
                "Work-injury base rates of industry classes I–VIII.")
                .source("人社部发〔2015〕71号《关于调整工伤保险费率政策的通知》(2015-07-22)", C),
            KeyDoc::new("work_injury.industry_class", "class", Allowed::integer(1, 8),
                "The university's work-injury industry class: education (教育) is class II (base rate 0.4 %).")
                .dated().source("人社部发〔2015〕71号《关于调整工伤保险费率政策的通知》(2015-07-22), 工伤保险行业风险分类表: 教育 in class II", C),
            KeyDoc::new("work_injury.floating_factor", "", Allowed::number(0.0, 3.0),
                "Experience-rated factor on the class base rate.")
                .dated().source("人社部发〔2015〕71号", U),
            rate("work_injury.base_rate_share", "Share of the class base rates a province charges: below 1 during a phased reduction (Sichuan 80 % from 2023-05 to 2024-12, the full base rates again from 2025-01).")
                .source(TABLE, C),
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
            KeyDoc::new("benefit.divisor_convention", "", Allowed::OneOf(DivisorConvention::NAMES),
                "Whole-year months of payment (before 2025; Gansu to 2025-12, Shandong) or month-interpolated ones.")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.years_decimals", "decimals", Allowed::integer(0, 12),
                "Decimals the contribution years are rounded to before multiplying (Sichuan 2, Liaoning 4; 12 = unrounded, Heilongjiang and Jiangsu).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.index_decimals", "decimals", Allowed::integer(0, 12),
                "Decimals the average contribution index is rounded to (notices print 4).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.money_decimals", "decimals", Allowed::integer(0, 2),
                "Decimals of yuan a half-up component is rounded to.")
                .source("benefit notices (养老金核定表)", C),
            KeyDoc::new("benefit.basic_form", "", Allowed::OneOf(BasicForm::NAMES),
                "Basic pension: standard C × (1 + Ī)/2 × N × 1 %, or Shanghai's whole years × 1 % + months × 0.083 % (沪人社规〔2021〕27号).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.component_rounding", "", Allowed::OneOf(ComponentRounding::NAMES),
                "Rounding of each component: half up to the fen, or up to the jiao (Shanghai 见分进角).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.total_rounding", "", Allowed::OneOf(TotalRounding::NAMES),
                "Rounding of the total: the sum of the components, that sum up to the jiao (Zhejiang, Jiangsu), or up to the yuan (Shenyang notices from 2025).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.transitional_form", "", Allowed::OneOf(TransitionalForm::NAMES),
                "Enterprise transitional-pension family: deemed_index (C × I × N × k), average_index (Sichuan, Liaoning), two_part (Beijing) or given (Shanghai: the notice's amount).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.deemed_index", "", Allowed::OneOf(DeemedIndexRule::NAMES),
                "Index of the deemed_index family: the person's own, the average index Ī (Heilongjiang, Gansu, Hubei, Shandong) or 1.")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.transitional_years", "", Allowed::OneOf(YearsBasis::NAMES),
                "Years of the transitional pension: deemed years, or all years before the personal account (Sichuan, Liaoning, Shandong).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.transitional_rate", "share", Allowed::number(0.0, 0.05),
                "Coefficient k of the enterprise transitional pension (Beijing 1.0 %, Gansu, Heilongjiang, Hubei, Jiangsu 1.2 %, Sichuan, Shandong 1.3 %, Liaoning, Zhejiang 1.4 %).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.institution_transitional_rate", "share", Allowed::number(0.0, 0.05),
                "Coefficient k of the public-institution transitional pension on deemed years with the post-based deemed index.")
                .dated().source(TABLE, U),
            KeyDoc::new("benefit.transitional_phase_in", "share", Allowed::unit_interval(),
                "Share of (new − old-method transitional pension) paid on top of the old-method amount (Jiangsu 40 % / 70 % / 100 % for 2024 / 2025 / 2026 on, 苏人社发〔2024〕4号); 1 = the new amount.")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.supplement_form", "", Allowed::OneOf(SupplementForm::NAMES),
                "Local supplement: Sichuan 月增发养老金 C × Ī × per-person rate × N + fixed amount, enterprise scheme only.")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.adjustment_base", "yuan/month", Allowed::number(0.0, 10_000.0),
                "Fixed part of the transitional adjustment (Zhejiang 过渡性调节金 480, 浙人社〔2011〕146号).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.adjustment_per_index_year", "yuan/month", Allowed::number(0.0, 1_000.0),
                "Transitional adjustment per unit of Ī × N (Zhejiang 3 yuan).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.flat_subsidy", "yuan/month", Allowed::number(0.0, 10_000.0),
                "Flat basic-pension subsidy (Zhejiang 150, 浙人社发〔2011〕22号).")
                .dated().source(TABLE, C),
            KeyDoc::new("benefit.payment_lag_months", "months", Allowed::integer(0, 12),
                "Months after the retirement month before the pension is paid: the retirement month is still a contribution month.")
                .source("benefit notices (养老金核定表): payment from the month after retirement", C),
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
        .chain(crate::insurance::funds::PooledFundParams::key_docs())
        .collect()
    }
}

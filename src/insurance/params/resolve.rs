//! Everything in force in one month for one region, resolved once.

use super::{InsuranceParams, InterestConvention};
use crate::insurance::regions::{PensionRules, TransitionalForm};
use crate::money::{rate_to_ppm, yuan_to_fen, Fen};
use crate::scenario::dated::Dated;
use crate::time::YearMonth;

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
    /// First month of the enterprise personal account in the region.
    pub account_start: YearMonth,
    /// Share of the base credited to the personal account (11 % 1998–2005, 8 % from 2006).
    pub account_credit_ppm: i64,
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
    /// The enterprise transitional family and k (also inside `pension_rules`), for the
    /// perceived pension.
    pub transitional_form: TransitionalForm,
    pub transitional_rate: f64,
    /// The regional pension rules in force: what an award in this month reads.
    pub pension_rules: PensionRules,
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
            *wi.floating_factor.at(month, region) * *wi.base_rate_share.at(month, region),
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
            account_start: *self.pension.account_start.at(month, region),
            account_credit_ppm: p(&self.pension.account_credit_rate),
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
            transitional_form: *b.transitional_form.at(month, region),
            transitional_rate: *b.transitional_rate.at(month, region),
            pension_rules: self.pension_rules(month, region),
        }
    }

    /// The regional pension rules in force in `month` for `region`.
    pub fn pension_rules(&self, month: YearMonth, region: &str) -> PensionRules {
        let b = &self.benefit;
        let yuan = |d: &Dated<f64>| yuan_to_fen(*d.at(month, region));
        PensionRules {
            account_start: *self.pension.account_start.at(month, region),
            divisor_convention: *b.divisor_convention.at(month, region),
            years_decimals: *b.years_decimals.at(month, region),
            index_decimals: *b.index_decimals.at(month, region),
            money_decimals: b.money_decimals,
            basic_form: *b.basic_form.at(month, region),
            component_rounding: *b.component_rounding.at(month, region),
            total_rounding: *b.total_rounding.at(month, region),
            transitional_form: *b.transitional_form.at(month, region),
            deemed_index: *b.deemed_index.at(month, region),
            transitional_years: *b.transitional_years.at(month, region),
            transitional_rate: *b.transitional_rate.at(month, region),
            transitional_phase_in: *b.transitional_phase_in.at(month, region),
            institution_transitional_rate: *b.institution_transitional_rate.at(month, region),
            supplement_form: *b.supplement_form.at(month, region),
            adjustment_base: yuan(&b.adjustment_base),
            adjustment_per_index_year: yuan(&b.adjustment_per_index_year),
            flat_subsidy: yuan(&b.flat_subsidy),
            payment_lag_months: b.payment_lag_months,
        }
    }
}

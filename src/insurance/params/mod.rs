//! The `[insurance]` section of a scenario: rates, limits and rules, dated and regional.
//!
//! Every figure lives here as a default with its official source, never as a literal in the
//! rules; the regional pension rules are generated from the regional rule table
//! (`insurance::regions`). The rules read a [`RatesAt`] (everything in force for one month and
//! region, resolved once) or, for the table-shaped rules (divisors, cohort rules, the 保低限高
//! shares), the sections themselves.
//!
//! Files: `sections` (contributions, accounts, other insurances, retirement, transfers),
//! `benefit` (the award's rules), `resolve` ([`RatesAt`]), `docs` (the key catalog) and
//! `check` (cross-field checks).

mod benefit;
mod check;
mod docs;
mod resolve;
mod sections;

pub use super::regions::TransitionalForm;
pub use benefit::{BenefitParams, OldFormulaRatio};
pub use resolve::RatesAt;
pub use sections::*;

use crate::scenario::dated::Dated;
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

const fn ym(y: i32, m: u32) -> YearMonth {
    YearMonth::ym(y, m)
}

fn constant<T>(v: T) -> Dated<T> {
    Dated::constant(v)
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
        let r = p.resolve(YearMonth::ym(2016, 4), "sichuan");
        assert_eq!(r.pension_enterprise_employer_ppm, 200_000);
        let r = p.resolve(YearMonth::ym(2019, 4), "sichuan");
        assert_eq!(
            r.pension_enterprise_employer_ppm, 190_000,
            "人社部发〔2016〕36号"
        );
        assert_eq!(r.account_credit_ppm, 80_000);
        assert_eq!(r.account_start, YearMonth::ym(1996, 1));
        assert_eq!(
            p.resolve(YearMonth::ym(2003, 6), "beijing")
                .account_credit_ppm,
            110_000
        );
        assert_eq!(r.transitional_form, TransitionalForm::AverageIndex);
        let r = p.resolve(YearMonth::ym(2024, 6), "beijing");
        assert_eq!(r.pension_enterprise_employer_ppm, 160_000);
        assert_eq!(r.book_rate_ppm, 26_200);
        assert_eq!(r.indexation_ppm, 30_000);
        assert_eq!(r.medical_employer_ppm, 98_000);
        assert_eq!(r.major_illness_fee, 300);
        assert_eq!(r.adjustment_month, 7);
        assert_eq!(r.work_injury_ppm, 4_000, "education is class II");
        assert_eq!(r.unemployment_individual_ppm, 5_000);
        let r = p.resolve(YearMonth::ym(2025, 7), "sichuan");
        assert_eq!(
            (r.unemployment_employer_ppm, r.unemployment_individual_ppm),
            (6_000, 4_000)
        );
        assert_eq!(r.work_injury_ppm, 4_000);
        let r = p.resolve(YearMonth::ym(2024, 7), "sichuan");
        assert_eq!(
            r.work_injury_ppm, 3_200,
            "80 % of the base rate, 川人社发〔2023〕9号"
        );
        let r = p.resolve(YearMonth::ym(2030, 1), "gansu");
        assert_eq!(r.book_rate_ppm, 15_000, "projection");
        assert_eq!(r.transitional_form, TransitionalForm::DeemedIndex);
        assert_eq!(
            r.pension_rules.supplement_form,
            crate::insurance::regions::SupplementForm::None
        );
        assert_eq!(r.pension_rules.transitional_rate, 0.012);
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

//! A month's contribution rates by membership class, resolved once per region and month from
//! the same `RatesAt` the calculators read, so that an active agent-month computes its items
//! from one row of rates instead of choosing each rate by scheme, annuity and lever.
//!
//! The items are those of `insurance::contributions::monthly`, rounded the same way
//! (`money::apply_ppm`), with the annuity of the unified scheme and of a contract-annuity lever
//! in place of the enterprise annuity, as `insure::member_contributions` has always booked it;
//! a unit test compares both for every class.

use crate::agent::{Agent, Track};
use crate::insurance::contributions::{Contributions, Membership};
use crate::insurance::{RatesAt, Scheme};
use crate::money::{apply_ppm, Fen};

/// Memberships whose contribution rates differ.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Class {
    /// Public-institution pension with the occupational annuity.
    Institution,
    /// Enterprise pension, no annuity.
    Enterprise,
    /// Enterprise pension with the university's enterprise annuity (opted in and offered;
    /// its rates are zero where the region's rules have no enterprise annuity in force).
    EnterpriseAnnuity,
    /// The unified scheme for new hires: enterprise pension plus an annuity at the occupational
    /// annuity's rates.
    Unified,
    /// Contract staff under a contract-annuity lever: the occupational annuity's rates times
    /// the lever's share.
    ContractAnnuity,
}

impl Class {
    const ALL: [Class; 5] = [
        Class::Institution,
        Class::Enterprise,
        Class::EnterpriseAnnuity,
        Class::Unified,
        Class::ContractAnnuity,
    ];

    /// The class of an agent of membership `who` (`insure::membership`) this month;
    /// `contract_lever` says whether a contract-annuity lever is in force. (Where the region
    /// has no enterprise annuity in force, the annuity class's rates have none.)
    pub fn of(who: Membership, a: &Agent, contract_lever: bool) -> Class {
        if a.unified {
            Class::Unified
        } else if who.scheme == Scheme::Institution {
            Class::Institution
        } else if a.track == Track::Contract && contract_lever {
            Class::ContractAnnuity
        } else if who.enterprise_annuity {
            Class::EnterpriseAnnuity
        } else {
            Class::Enterprise
        }
    }
}

/// Parts per million (`money`'s scale of rates), unsigned.
const PPM: u64 = 1_000_000;

/// The ppm on the social-insurance base of each item, in the order of [`Contributions`]'
/// fields without the flat major-illness fee and the housing fund.
type OnBase = [i64; 11];

/// One region's rates in one month, by class.
#[derive(Clone, Debug)]
pub struct ClassRates {
    on_base: [OnBase; 5],
    /// Housing fund, employer and individual, ppm on the housing base.
    housing: [i64; 2],
    major_illness_fee: Fen,
    /// A contract-annuity lever is in force.
    pub contract_lever: bool,
    /// Every rate is in `0..=u32::MAX` ppm, so that a base of at most `u32::MAX` fen takes
    /// the unsigned path of [`ClassRates::contributions`].
    unsigned: bool,
}

impl ClassRates {
    /// The rates of `r` under a contract-annuity lever of `contract_annuity` (the share of the
    /// occupational annuity's rates contract staff get; none when not above 0): the lever's
    /// rates are rounded to the ppm once here, not per agent-month.
    pub fn new(r: &RatesAt, contract_annuity: f64) -> Self {
        let contract_annuity_ppm = (contract_annuity > 0.0).then(|| {
            [r.oa_employer_ppm, r.oa_individual_ppm]
                .map(|ppm| (ppm as f64 * contract_annuity).round() as i64)
        });
        let row = |class: Class| -> OnBase {
            let institution = class == Class::Institution;
            let (oa_e, oa_i) = if institution {
                (r.oa_employer_ppm, r.oa_individual_ppm)
            } else {
                (0, 0)
            };
            let [ea_e, ea_i] = match class {
                Class::Institution | Class::Enterprise => [0, 0],
                Class::EnterpriseAnnuity if r.ea_enabled => {
                    [r.ea_employer_ppm, r.ea_individual_ppm]
                }
                Class::EnterpriseAnnuity => [0, 0],
                Class::Unified => [r.oa_employer_ppm, r.oa_individual_ppm],
                Class::ContractAnnuity => contract_annuity_ppm.unwrap_or([0, 0]),
            };
            [
                if institution {
                    r.pension_institution_employer_ppm
                } else {
                    r.pension_enterprise_employer_ppm
                },
                r.pension_individual_ppm,
                oa_e,
                oa_i,
                ea_e,
                ea_i,
                r.medical_employer_ppm,
                r.medical_individual_ppm,
                r.unemployment_employer_ppm,
                r.unemployment_individual_ppm,
                r.work_injury_ppm,
            ]
        };
        let on_base = Class::ALL.map(row);
        let housing = [r.housing_employer_ppm, r.housing_individual_ppm];
        let small = |ppm: &i64| (0..=u32::MAX as i64).contains(ppm);
        ClassRates {
            unsigned: on_base.iter().flatten().all(small) && housing.iter().all(small),
            on_base,
            housing,
            major_illness_fee: r.major_illness_fee,
            contract_lever: contract_annuity_ppm.is_some(),
        }
    }

    /// A month's contributions of a member of `class` on `base` and `housing_base`.
    ///
    /// Bases and rates are non-negative and far below 2³² in every real case, where the
    /// product fits in 64 bits unsigned and rounding half up is `(x + ½·10⁶) / 10⁶`: the same
    /// fen as `apply_ppm` (whose non-negative branch it is) in a few instructions instead of
    /// a checked signed multiplication per item. Other values take `apply_ppm` itself.
    #[inline]
    pub fn contributions(&self, class: Class, base: Fen, housing_base: Fen) -> Contributions {
        let fits = |x: Fen| (0..=u32::MAX as i64).contains(&x);
        if self.unsigned && fits(base) && fits(housing_base) {
            let round =
                |amount: Fen, ppm: i64| ((amount as u64 * ppm as u64 + PPM / 2) / PPM) as Fen;
            self.items(class, base, housing_base, round)
        } else {
            self.items(class, base, housing_base, apply_ppm)
        }
    }

    #[inline(always)]
    fn items(
        &self,
        class: Class,
        base: Fen,
        housing_base: Fen,
        apply: impl Fn(Fen, i64) -> Fen,
    ) -> Contributions {
        let p = &self.on_base[class as usize];
        let on = |i: usize| apply(base, p[i]);
        Contributions {
            pension_employer: on(0),
            pension_individual: on(1),
            oa_employer: on(2),
            oa_individual: on(3),
            ea_employer: on(4),
            ea_individual: on(5),
            medical_employer: on(6),
            medical_individual: on(7),
            major_illness: self.major_illness_fee,
            unemployment_employer: on(8),
            unemployment_individual: on(9),
            work_injury: on(10),
            housing_employer: apply(housing_base, self.housing[0]),
            housing_individual: apply(housing_base, self.housing[1]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insurance::contributions::monthly;
    use crate::insurance::InsuranceParams;
    use crate::time::YearMonth;

    /// The items as `monthly` computes them for a membership, with the annuity put in place
    /// of the enterprise annuity as the engine books it for the unified scheme and a
    /// contract-annuity lever.
    fn reference(r: &RatesAt, class: Class, share: f64, base: Fen, housing: Fen) -> Contributions {
        let who = Membership {
            scheme: if class == Class::Institution {
                Scheme::Institution
            } else {
                Scheme::Enterprise
            },
            enterprise_annuity: class == Class::EnterpriseAnnuity,
        };
        let mut c = monthly(base, housing, who, r);
        let share = match class {
            Class::Unified => 1.0,
            Class::ContractAnnuity => share,
            _ => 0.0,
        };
        if share > 0.0 {
            let scaled = |ppm: i64| (ppm as f64 * share).round() as i64;
            c.ea_employer = apply_ppm(base, scaled(r.oa_employer_ppm));
            c.ea_individual = apply_ppm(base, scaled(r.oa_individual_ppm));
        }
        c
    }

    #[test]
    fn every_class_books_what_the_rules_compute() {
        let params = InsuranceParams::default();
        for region in ["sichuan", "beijing", "shanghai"] {
            for month in [YearMonth::ym(2015, 1), YearMonth::ym(2025, 3)] {
                let mut r = params.resolve(month, region);
                for ea_enabled in [false, true] {
                    r.ea_enabled = ea_enabled;
                    for share in [0.0, 0.5, 1.0 / 3.0] {
                        let rates = ClassRates::new(&r, share);
                        for class in Class::ALL {
                            for (base, housing) in [
                                (0, 0),
                                (458_800, 400_000),
                                (1_234_567, 999_999),
                                (3_000_001, 7),
                                // Past the unsigned path: negative, and beyond 2³² fen.
                                (-250_001, 500_001),
                                (u32::MAX as i64, u32::MAX as i64 + 1),
                                (1 << 40, 12_345),
                            ] {
                                assert_eq!(
                                    rates.contributions(class, base, housing),
                                    reference(&r, class, share, base, housing),
                                    "{region} {month} {class:?} base {base}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

//! Moving between regions and schemes (docs/RULES.md §5.1–5.2): what money moves, which place pays
//! the pension, when a temporary account is opened, and what happens to an annuity.

use super::accounts::AnnuityAccount;
use super::params::TransferParams;
use super::Sex;
use crate::money::{apply_ppm, Fen};
use crate::time::{Months, YearMonth};

/// The pooled-fund transfer: `rate` of the actual monthly bases paid since `since` (part years
/// therefore count by month). `bases` are (month, base) of the months paid in the place left.
pub fn pooled_transfer(bases: &[(YearMonth, Fen)], since: YearMonth, rate_ppm: i64) -> Fen {
    let sum: Fen = bases
        .iter()
        .filter(|(m, _)| *m >= since)
        .map(|(_, b)| b)
        .sum();
    apply_ppm(sum, rate_ppm)
}

/// The same for a constant base over `months` (E9: 6,000 × 96 × 12 % = 69,120).
pub fn pooled_transfer_uniform(base: Fen, months: i32, rate_ppm: i64) -> Fen {
    apply_ppm(base * months.max(0) as Fen, rate_ppm)
}

/// Months paid in one place during one stay. `R` names the place: a region name, or the
/// engine's region index (so that the rule needs no allocation there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stay<R = String> {
    pub region: R,
    pub months: i32,
}

/// Which place pays the pension (国办发〔2009〕66号): the hukou place if the relationship is
/// there; else the current place with ≥ 10 years; else the last earlier place with ≥ 10 years;
/// else the hukou place. `stays` are in chronological order, the current place last; a place
/// visited twice counts its months together.
pub fn paying_place<'a, R: PartialEq + ?Sized>(
    hukou: &'a R,
    stays: &'a [Stay<impl std::borrow::Borrow<R>>],
    p: &TransferParams,
) -> &'a R {
    let Some(current) = stays.last() else {
        return hukou;
    };
    let current = current.region.borrow();
    if current == hukou {
        return hukou;
    }
    let min = (p.paying_place_min_years * 12.0).round() as i32;
    let months_in = |r: &R| {
        stays
            .iter()
            .filter(|s| s.region.borrow() == r)
            .map(|s| s.months)
            .sum::<i32>()
    };
    if months_in(current) >= min {
        return current;
    }
    stays
        .iter()
        .rev()
        .skip(1)
        .map(|s| s.region.borrow())
        .find(|r| *r != current && months_in(r) >= min)
        .unwrap_or(hukou)
}

/// Whether moving to `destination` opens a temporary account (临时账户) there instead of moving
/// the relationship: men from 50 and women from 40 moving to a place that is not their hukou.
pub fn needs_temporary_account(
    sex: Sex,
    age: Months,
    destination: &str,
    hukou: &str,
    p: &TransferParams,
) -> bool {
    let threshold = match sex {
        Sex::Male => p.temporary_account_age_male,
        Sex::Female => p.temporary_account_age_female,
    };
    destination != hukou && age.whole_years() >= threshold
}

/// What a move carries to the receiving fund.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Transferred {
    /// The personal account, in full.
    pub personal_account: Fen,
    /// The pooled-fund share.
    pub pooled_fund: Fen,
    /// All contribution months (aggregated at the new place).
    pub contribution_months: i32,
    /// Deemed months: service before 2014-10 stays deemed after leaving an institution.
    pub deemed_months: i32,
}

/// Enterprise across provinces: account in full, pooled fund on bases since 1998.
pub fn enterprise_transfer(
    personal_account: Fen,
    bases: &[(YearMonth, Fen)],
    contribution_months: i32,
    deemed_months: i32,
    rate_ppm: i64,
    p: &TransferParams,
) -> Transferred {
    Transferred {
        personal_account,
        pooled_fund: pooled_transfer(bases, p.enterprise_pooled_since, rate_ppm),
        contribution_months,
        deemed_months,
    }
}

/// Institution ↔ enterprise or across pooling areas: account in full, pooled fund on bases
/// since the reform (2014-10); deemed years stay deemed. (Institution to institution within one
/// pooling area moves no funds: do not call this then.)
pub fn institution_transfer(
    personal_account: Fen,
    bases: &[(YearMonth, Fen)],
    contribution_months: i32,
    deemed_months: i32,
    rate_ppm: i64,
    p: &TransferParams,
) -> Transferred {
    Transferred {
        personal_account,
        pooled_fund: pooled_transfer(bases, p.institution_pooled_since, rate_ppm),
        contribution_months,
        deemed_months,
    }
}

/// Where an occupational annuity goes on moving to an enterprise.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AnnuityMove {
    /// Cash the old employer's budget paid to fund the notional part first.
    pub notional_funded: Fen,
    /// Moved into the new employer's enterprise annuity.
    pub into_enterprise_annuity: Fen,
    /// Kept by the original agency (no enterprise annuity at the new employer).
    pub kept: Fen,
}

/// The notional part is funded in cash first; the whole balance then moves into the new
/// employer's enterprise annuity if it has one, else stays where it is. The account passed in
/// is left holding what is kept.
pub fn annuity_on_move(account: &mut AnnuityAccount, new_employer_has_ea: bool) -> AnnuityMove {
    let notional_funded = account.fund_notional();
    if new_employer_has_ea {
        AnnuityMove {
            notional_funded,
            into_enterprise_annuity: account.take_all(),
            kept: 0,
        }
    } else {
        AnnuityMove {
            notional_funded,
            into_enterprise_annuity: 0,
            kept: account.total(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> TransferParams {
        TransferParams::default()
    }
    fn stay(r: &str, years: i32) -> Stay {
        Stay {
            region: r.into(),
            months: years * 12,
        }
    }

    #[test]
    fn e9_pooled_transfers() {
        assert_eq!(pooled_transfer_uniform(600_000, 96, 120_000), 6_912_000);
        let bases: Vec<(YearMonth, Fen)> = (0..120)
            .map(|i| (YearMonth::ym(2014, 10).plus_months(i), 900_000))
            .collect();
        let t = institution_transfer(0, &bases, 120, 0, 120_000, &p());
        assert_eq!(t.pooled_fund, 12_960_000);
    }

    #[test]
    fn bases_before_the_start_do_not_count() {
        let bases = [
            (YearMonth::ym(1997, 12), 100_000),
            (YearMonth::ym(1998, 1), 100_000),
        ];
        assert_eq!(
            enterprise_transfer(5, &bases, 2, 0, 120_000, &p()).pooled_fund,
            12_000
        );
        let bases = [
            (YearMonth::ym(2014, 9), 100_000),
            (YearMonth::ym(2014, 10), 100_000),
        ];
        assert_eq!(
            institution_transfer(5, &bases, 2, 0, 120_000, &p()).pooled_fund,
            12_000
        );
    }

    #[test]
    fn paying_place_rules_in_order() {
        let p = p();
        assert_eq!(
            paying_place("gansu", &[stay("beijing", 12), stay("gansu", 2)], &p),
            "gansu"
        );
        assert_eq!(
            paying_place("gansu", &[stay("gansu", 5), stay("beijing", 10)], &p),
            "beijing"
        );
        assert_eq!(
            paying_place(
                "gansu",
                &[
                    stay("sichuan", 11),
                    stay("shanghai", 12),
                    stay("beijing", 3)
                ],
                &p
            ),
            "shanghai"
        );
        assert_eq!(
            paying_place("gansu", &[stay("sichuan", 6), stay("beijing", 9)], &p),
            "gansu"
        );
        // Two stays in Beijing add up to ten years.
        assert_eq!(
            paying_place(
                "gansu",
                &[stay("beijing", 6), stay("sichuan", 2), stay("beijing", 4)],
                &p
            ),
            "beijing"
        );
        assert_eq!(paying_place("gansu", &[] as &[Stay], &p), "gansu");
    }

    #[test]
    fn temporary_accounts_by_age_and_sex() {
        let p = p();
        assert!(needs_temporary_account(
            Sex::Male,
            Months::years_months(50, 0),
            "beijing",
            "gansu",
            &p
        ));
        assert!(!needs_temporary_account(
            Sex::Male,
            Months::years_months(49, 11),
            "beijing",
            "gansu",
            &p
        ));
        assert!(needs_temporary_account(
            Sex::Female,
            Months::years_months(40, 0),
            "beijing",
            "gansu",
            &p
        ));
        assert!(!needs_temporary_account(
            Sex::Female,
            Months::years_months(45, 0),
            "gansu",
            "gansu",
            &p
        ));
    }

    #[test]
    fn annuity_moves_or_stays_after_funding_the_notional_part() {
        let acc = AnnuityAccount {
            funded_micro: 100_000_000,
            notional_micro: 50_000_000,
            ..Default::default()
        };
        let mut a = acc;
        assert_eq!(
            annuity_on_move(&mut a, true),
            AnnuityMove {
                notional_funded: 50,
                into_enterprise_annuity: 150,
                kept: 0
            }
        );
        assert_eq!(a.total(), 0);
        let mut a = acc;
        assert_eq!(
            annuity_on_move(&mut a, false),
            AnnuityMove {
                notional_funded: 50,
                into_enterprise_annuity: 0,
                kept: 150
            }
        );
        assert_eq!((a.total(), a.notional()), (150, 0));
    }
}

//! Accounts that accumulate contributions: the personal pension account with its yearly book
//! rate (both interest conventions of docs/RULES.md §6.1), the annuity accounts with a funded and a
//! notional (记账) part, and the housing-fund account. Contributions are added month by month
//! and interest is credited when the year closes.

use super::params::{InterestConvention, RatesAt};
use crate::money::{Fen, PPM};

/// Account balances are kept in millionths of a fen between years: the worked example E10
/// (docs/RULES-EXAMPLES.md) compounds exactly and round only what is shown, and rounding the
/// interest to the fen every year drifts by a fen within a decade.
pub const MICRO_PER_FEN: i64 = 1_000_000;

/// Micro-fen to fen, half away from zero.
pub fn micro_to_fen(micro: i64) -> Fen {
    let h = MICRO_PER_FEN / 2;
    if micro >= 0 {
        (micro + h) / MICRO_PER_FEN
    } else {
        (micro - h) / MICRO_PER_FEN
    }
}

/// `x × ppm / 10^6` in micro-fen, rounded half away from zero.
///
/// Real balances and rates give products within 64 bits (an account of a million yuan is
/// 10^14 micro-fen, times a rate of up to 9 % in ppm stays below 2^63), where the division by
/// the constant is a multiplication; a 128-bit division is a library call, made at every year
/// end for every account. Larger products take the 128-bit arithmetic: the same result
/// either way (property test).
fn times_ppm(x: i128, ppm: i64) -> i128 {
    let half = PPM / 2;
    let narrow = i64::try_from(x)
        .ok()
        .and_then(|x| x.checked_mul(ppm))
        .and_then(|p| {
            if p >= 0 {
                p.checked_add(half)
            } else {
                p.checked_sub(half)
            }
        });
    if let Some(rounded) = narrow {
        return (rounded / PPM) as i128;
    }
    let p = x * ppm as i128;
    let d = PPM as i128;
    if p >= 0 {
        (p + d / 2) / d
    } else {
        (p - d / 2) / d
    }
}

/// One year's crediting in micro-fen: `B(1 + r) + C` (year-end), plus `C × r × factor / 2` under
/// the 1997 convention.
pub fn credit_year_micro(
    opening_micro: i64,
    year_contributions: Fen,
    rate_ppm: i64,
    convention: InterestConvention,
    rule1997_factor_ppm: i64,
) -> i64 {
    let b = opening_micro as i128;
    let c = year_contributions as i128 * MICRO_PER_FEN as i128;
    let on_new = match convention {
        InterestConvention::YearEnd => 0,
        InterestConvention::Rule1997 => times_ppm(times_ppm(c, rate_ppm), rule1997_factor_ppm) / 2,
    };
    (b + times_ppm(b, rate_ppm) + c + on_new) as i64
}

/// One year's crediting in fen (balance rounded to the fen at the year end).
pub fn credit_year(
    opening: Fen,
    year_contributions: Fen,
    rate_ppm: i64,
    convention: InterestConvention,
    rule1997_factor_ppm: i64,
) -> Fen {
    micro_to_fen(credit_year_micro(
        opening * MICRO_PER_FEN,
        year_contributions,
        rate_ppm,
        convention,
        rule1997_factor_ppm,
    ))
}

/// The personal pension account: a balance at the last year end and this year's contributions.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonalAccount {
    /// Balance at the end of the last closed year, interest included, in micro-fen.
    pub balance_micro: i64,
    /// Contributions of the current year, not yet credited with interest.
    pub year_contributions: Fen,
}

impl PersonalAccount {
    /// An account opened with a balance (e.g. a transfer in or a case file).
    pub fn with_balance(balance: Fen) -> Self {
        PersonalAccount {
            balance_micro: balance * MICRO_PER_FEN,
            year_contributions: 0,
        }
    }

    pub fn contribute(&mut self, amount: Fen) {
        self.year_contributions += amount;
    }

    /// Credits the year's interest at the book rate of `r` (resolved in the closing year).
    pub fn close_year(&mut self, r: &RatesAt) {
        self.balance_micro = credit_year_micro(
            self.balance_micro,
            self.year_contributions,
            r.book_rate_ppm,
            r.interest_convention,
            r.rule1997_factor_ppm,
        );
        self.year_contributions = 0;
    }

    /// Takes up to `amount` out (a pension paid from the account, a transfer), this year's
    /// contributions first; the total falls by exactly what is returned.
    pub fn withdraw(&mut self, amount: Fen) -> Fen {
        let before = self.total();
        let take = amount.clamp(0, before.max(0));
        let from_year = take.min(self.year_contributions.max(0));
        self.year_contributions -= from_year;
        self.balance_micro -= (take - from_year) * MICRO_PER_FEN;
        if take == before {
            // Emptied: a remainder of −½ fen would show as −1 fen.
            *self = PersonalAccount::default();
        }
        take
    }

    /// Balance at the last year end, to the fen.
    pub fn balance(&self) -> Fen {
        micro_to_fen(self.balance_micro)
    }

    /// Everything in the account now (at retirement or transfer mid-year the current year's
    /// contributions count without interest).
    pub fn total(&self) -> Fen {
        self.balance() + self.year_contributions
    }
}

/// An annuity account (occupational or enterprise): a funded part invested at a return and a
/// notional employer part credited at a book rate until it is funded in cash (做实).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnuityAccount {
    /// Funded part at the last year end, micro-fen.
    pub funded_micro: i64,
    /// Notional part at the last year end, micro-fen.
    pub notional_micro: i64,
    pub year_funded: Fen,
    pub year_notional: Fen,
}

impl AnnuityAccount {
    /// Adds a month's contributions; the employer part goes to the notional part when booked.
    pub fn contribute(&mut self, employer: Fen, individual: Fen, notional_employer: bool) {
        self.year_funded += individual;
        if notional_employer {
            self.year_notional += employer;
        } else {
            self.year_funded += employer;
        }
    }

    /// Closes the year with year-end crediting at the two rates.
    pub fn close_year(&mut self, funded_return_ppm: i64, notional_rate_ppm: i64) {
        let ye = InterestConvention::YearEnd;
        self.funded_micro = credit_year_micro(
            self.funded_micro,
            self.year_funded,
            funded_return_ppm,
            ye,
            0,
        );
        self.notional_micro = credit_year_micro(
            self.notional_micro,
            self.year_notional,
            notional_rate_ppm,
            ye,
            0,
        );
        self.year_funded = 0;
        self.year_notional = 0;
    }

    /// Funded part now, this year's funded contributions included.
    pub fn funded(&self) -> Fen {
        micro_to_fen(self.funded_micro) + self.year_funded
    }

    /// Notional part now, this year's notional contributions included.
    pub fn notional(&self) -> Fen {
        micro_to_fen(self.notional_micro) + self.year_notional
    }

    /// Funds the notional part in cash at retirement or exit; returns the cash the employer's
    /// budget pays now.
    pub fn fund_notional(&mut self) -> Fen {
        let cash = self.notional();
        self.funded_micro += self.notional_micro + self.year_notional * MICRO_PER_FEN;
        self.notional_micro = 0;
        self.year_notional = 0;
        cash
    }

    /// Takes up to `amount` out (notional part funded first), this year's funded contributions
    /// first; the total falls by exactly what is returned.
    pub fn withdraw(&mut self, amount: Fen) -> Fen {
        self.fund_notional();
        let before = self.total();
        let take = amount.clamp(0, before.max(0));
        let from_year = take.min(self.year_funded.max(0));
        self.year_funded -= from_year;
        self.funded_micro -= (take - from_year) * MICRO_PER_FEN;
        if take == before {
            // Emptied: a remainder of −½ fen would show as −1 fen.
            *self = AnnuityAccount::default();
        }
        take
    }

    /// Takes the whole account out (transfer or payout start), leaving it empty.
    pub fn take_all(&mut self) -> Fen {
        let t = self.total();
        *self = AnnuityAccount::default();
        t
    }

    /// Funded and notional parts together, current year's contributions included.
    pub fn total(&self) -> Fen {
        micro_to_fen(self.funded_micro + self.notional_micro)
            + self.year_funded
            + self.year_notional
    }
}

/// The housing-fund account, credited yearly at the fund's interest rate.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct HousingFundAccount {
    pub balance: Fen,
    pub year_contributions: Fen,
}

impl HousingFundAccount {
    pub fn contribute(&mut self, employer: Fen, individual: Fen) {
        self.year_contributions += employer + individual;
    }

    /// Withdrawals (purchase, rent, retirement) come out of the balance first.
    pub fn withdraw(&mut self, amount: Fen) -> Fen {
        let take = amount.clamp(0, self.total());
        let from_balance = take.min(self.balance);
        self.balance -= from_balance;
        self.year_contributions -= take - from_balance;
        take
    }

    /// Year-end crediting at the fund rate, rounded to the fen (the fund settles yearly).
    pub fn close_year(&mut self, r: &RatesAt) {
        self.balance = credit_year(
            self.balance,
            self.year_contributions,
            r.housing_interest_ppm,
            InterestConvention::YearEnd,
            0,
        );
        self.year_contributions = 0;
    }

    pub fn total(&self) -> Fen {
        self.balance + self.year_contributions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    proptest! {
        /// The 64-bit path rounds as the 128-bit arithmetic does, near zero, near the
        /// boundary of 64 bits and beyond it.
        #[test]
        fn times_ppm_is_the_128_bit_product_rounded(
            x in prop_oneof![
                -10_000_000_000_000_000i128..10_000_000_000_000_000,
                -2_000_000i128..2_000_000,
                any::<i128>().prop_map(|v| v >> 40),
            ],
            ppm in prop_oneof![-2_000_000i64..2_000_000, any::<i64>().prop_map(|v| v >> 30)],
        ) {
            let p = x * ppm as i128;
            let d = PPM as i128;
            let wide = if p >= 0 { (p + d / 2) / d } else { (p - d / 2) / d };
            prop_assert_eq!(times_ppm(x, ppm), wide);
        }
    }

    /// Halves round away from zero on both paths, and a product just past 64 bits is exact.
    #[test]
    fn times_ppm_rounds_halves_away_from_zero() {
        assert_eq!(times_ppm(1, 500_000), 1);
        assert_eq!(times_ppm(-1, 500_000), -1);
        assert_eq!(times_ppm(1, 499_999), 0);
        let big = i64::MAX as i128;
        assert_eq!(times_ppm(big, 2), (big * 2 + 500_000) / 1_000_000);
        assert_eq!(times_ppm(-big, 2), (-big * 2 - 500_000) / 1_000_000);
    }

    #[test]
    fn emptying_an_account_with_half_a_fen_left_takes_exactly_its_total() {
        // 99.5 fen shows as 100; taking 100 must leave 0, not −0.5 shown as −1.
        let mut p = PersonalAccount {
            balance_micro: 99 * MICRO_PER_FEN + MICRO_PER_FEN / 2,
            year_contributions: 0,
        };
        assert_eq!(p.total(), 100);
        assert_eq!(p.withdraw(500), 100);
        assert_eq!(p.total(), 0);
        let mut a = AnnuityAccount {
            funded_micro: 99 * MICRO_PER_FEN + MICRO_PER_FEN / 2,
            ..Default::default()
        };
        assert_eq!(a.withdraw(100), 100);
        assert_eq!(a.total(), 0);
    }
    use crate::insurance::InsuranceParams;
    use crate::time::YearMonth;

    #[test]
    fn year_end_crediting_by_hand() {
        // 9,600 at 8.31 % for a year, plus 9,600 new: 9,600 + 797.76 + 9,600 = 19,997.76
        assert_eq!(
            credit_year(
                960_000,
                960_000,
                83_100,
                InterestConvention::YearEnd,
                1_083_000
            ),
            1_999_776
        );
    }

    #[test]
    fn rule1997_adds_interest_on_the_years_contributions() {
        // 9,600 × 8.31 % × 1.083 / 2 = 431.99 (431.98704)
        let b = credit_year(0, 960_000, 83_100, InterestConvention::Rule1997, 1_083_000);
        assert_eq!(b, 960_000 + 43_199);
    }

    #[test]
    fn e10_personal_account_by_the_engine_api() {
        let p = InsuranceParams::default();
        let mut acc = PersonalAccount::default();
        for year in 2016..=2024 {
            for _ in 0..12 {
                acc.contribute(80_000);
            }
            let r = p.resolve(YearMonth::ym(year, 12), "sichuan");
            acc.close_year(&r);
        }
        // 2016's contributions close with 2016's rate; E10 credits them from 2017 on, which
        // is the same because the opening 2016 balance is zero.
        assert_eq!(acc.balance(), 10_737_030);
        assert_eq!(acc.withdraw(30), 30);
        assert_eq!(acc.total(), 10_737_000);
    }

    #[test]
    fn annuity_notional_part_is_funded_on_exit() {
        let mut a = AnnuityAccount::default();
        for _ in 0..12 {
            a.contribute(80_000, 40_000, true);
        }
        a.close_year(40_000, 30_000);
        assert_eq!((a.funded(), a.notional()), (480_000, 960_000));
        a.close_year(40_000, 30_000);
        assert_eq!((a.funded(), a.notional()), (499_200, 988_800));
        assert_eq!(a.fund_notional(), 988_800);
        assert_eq!(
            (a.funded(), a.notional(), a.total()),
            (1_488_000, 0, 1_488_000)
        );
        assert_eq!(a.withdraw(1_000), 1_000);
        assert_eq!(a.total(), 1_487_000);
        assert_eq!(a.take_all(), 1_487_000);
        assert_eq!(a.total(), 0);
    }

    #[test]
    fn housing_fund_interest_and_withdrawal() {
        let r = InsuranceParams::default().resolve(YearMonth::ym(2025, 12), "sichuan");
        let mut h = HousingFundAccount {
            balance: 10_000_000,
            year_contributions: 0,
        };
        h.contribute(120_000, 120_000);
        h.close_year(&r);
        assert_eq!(h.balance, 10_000_000 + 150_000 + 240_000);
        assert_eq!(h.withdraw(20_000_000), 10_390_000);
        assert_eq!(h.total(), 0);
    }
}

//! Individual income tax on annuity payouts under 财税〔2018〕164号 §1(2): since 2019 annuity
//! benefits are taxed on their full amount, apart from other income. Paid monthly: the monthly
//! table on each month's amount; paid yearly (in instalments): the comprehensive (yearly)
//! table on each year's amount; taken at once for any reason other than emigration or death:
//! the monthly table on the whole amount.
//!
//! The tables are those of `insurance::annuity` (个人所得税法 附表一 and its monthly
//! conversion published with 财税〔2018〕164号), shared with the benefit calculator. Amounts
//! in fen.

use crate::insurance::annuity::TaxTable;
use crate::money::Fen;

/// Tax on one month's annuity paid monthly.
pub fn monthly(amount: Fen) -> Fen {
    TaxTable::Monthly.tax(amount)
}

/// Tax on one year's annuity paid yearly.
pub fn yearly(amount: Fen) -> Fen {
    TaxTable::Yearly.tax(amount)
}

/// Tax on a balance taken at once (not on emigration or death): the monthly table.
pub fn lump_sum(amount: Fen) -> Fen {
    TaxTable::Monthly.tax(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_planner_taxes_payouts_by_the_annuity_tables() {
        // The tables and their continuity are tested in insurance::annuity.
        assert_eq!(monthly(200_000), 6_000); // 2,000 yuan × 3 %
        assert_eq!(monthly(1_000_000), 79_000); // 10,000 × 10 % − 210
        assert_eq!(yearly(12_000_000), 948_000); // 120,000 × 10 % − 2,520
                                                 // 300,000 yuan at once: 45 % − 15,160 = 119,840 yuan.
        assert_eq!(lump_sum(30_000_000), 11_984_000);
        assert_eq!(monthly(0), 0);
    }
}

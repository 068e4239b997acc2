//! Individual income tax on annuity payouts under 财税〔2018〕164号 §1(2): since 2019 annuity
//! benefits are taxed on their full amount, apart from other income. Paid monthly: the monthly
//! table on each month's amount; paid yearly (in instalments): the comprehensive (yearly)
//! table on each year's amount; taken at once for any reason other than emigration or death:
//! the monthly table on the whole amount.
//!
//! The tables are those of 《中华人民共和国个人所得税法》 (2018 amendment, 附表一) and their
//! monthly conversion published with 财税〔2018〕164号 (按月换算后的综合所得税率表). Amounts in fen.

use crate::money::Fen;

/// (upper bound of the bracket in fen, rate in percent, quick deduction in fen).
type Table = [(Fen, i64, Fen); 7];

/// 综合所得税率表 (yearly).
const YEARLY: Table = [
    (3_600_000, 3, 0),
    (14_400_000, 10, 252_000),
    (30_000_000, 20, 1_692_000),
    (42_000_000, 25, 3_192_000),
    (66_000_000, 30, 5_292_000),
    (96_000_000, 35, 8_592_000),
    (Fen::MAX, 45, 18_192_000),
];

/// 按月换算后的综合所得税率表 (monthly).
const MONTHLY: Table = [
    (300_000, 3, 0),
    (1_200_000, 10, 21_000),
    (2_500_000, 20, 141_000),
    (3_500_000, 25, 266_000),
    (5_500_000, 30, 441_000),
    (8_000_000, 35, 716_000),
    (Fen::MAX, 45, 1_516_000),
];

fn tax(amount: Fen, table: &Table) -> Fen {
    if amount <= 0 {
        return 0;
    }
    let &(_, rate, quick) = table
        .iter()
        .find(|(upper, _, _)| amount <= *upper)
        .unwrap_or(&table[6]);
    // amount × rate% − quick, rounded half up to the fen.
    ((amount as i128 * rate as i128 + 50) / 100) as Fen - quick
}

/// Tax on one month's annuity paid monthly.
pub fn monthly(amount: Fen) -> Fen {
    tax(amount, &MONTHLY)
}

/// Tax on one year's annuity paid yearly.
pub fn yearly(amount: Fen) -> Fen {
    tax(amount, &YEARLY)
}

/// Tax on a balance taken at once (not on emigration or death): the monthly table.
pub fn lump_sum(amount: Fen) -> Fen {
    tax(amount, &MONTHLY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_and_quick_deductions_agree_at_the_edges() {
        // Continuity: at each bracket's upper edge both formulas give the same tax.
        for table in [&MONTHLY, &YEARLY] {
            for w in table.windows(2) {
                let edge = w[0].0;
                let lower = edge * w[0].1 / 100 - w[0].2;
                let upper = edge * w[1].1 / 100 - w[1].2;
                assert_eq!(lower, upper, "edge {edge}");
            }
        }
        assert_eq!(monthly(200_000), 6_000); // 2,000 yuan × 3 %
        assert_eq!(monthly(1_000_000), 79_000); // 10,000 × 10 % − 210
        assert_eq!(yearly(12_000_000), 948_000); // 120,000 × 10 % − 2,520
                                                 // 300,000 yuan at once: 45 % − 15,160 = 119,840 yuan.
        assert_eq!(lump_sum(30_000_000), 11_984_000);
        assert_eq!(monthly(0), 0);
    }
}

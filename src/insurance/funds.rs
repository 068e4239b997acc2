//! The pooled pension funds as ledgers of real funds (`[insurance.pooled_fund]`): the interest
//! their balances earn, the fiscal subsidy that covers a shortfall, and the dependency ratio
//! each fund starts from, which sizes the stock of pensioners already in payment at the start
//! of a run. The engine books the flows (`engine::funds`); this module holds the parameters and
//! the arithmetic of one year's interest.

use crate::money::{apply_ppm, Fen};
use crate::scenario::catalog::{Allowed, Certainty, KeyDoc};
use crate::scenario::dated::Dated;
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

/// Social Insurance Law of the PRC (2010, amended 2018-12-29), art. 13 §2: when the basic
/// pension fund cannot pay, the government subsidises it.
pub const SRC_SUBSIDY: &str = "中华人民共和国社会保险法 第十三条第二款 (2018-12-29 修正)";
/// The People's Bank of China one-year time-deposit benchmark rate, 1.50 % since 2015-10-24;
/// pooled balances are held in the fiscal special account (财政专户) as deposits.
pub const SRC_INTEREST: &str =
    "中国人民银行 一年期定期存款基准利率 1.50 % (2015-10-24 起); 社会保险基金财务制度 (财社〔2017〕144号)";
/// National enterprise scheme, end of 2012: 21,361 万 contributors and 6,911 万 retirees
/// (0.3235 retirees per contributor).
pub const SRC_NATIONAL_2012: &str =
    "人力资源社会保障部《2003—2012年全国企业职工基本养老保险情况》(2013-11-26): 参保职工21361万人, 离退休人员6911万人";
/// Guangdong enterprise scheme, 2017: 9 contributors per pensioner.
pub const SRC_GUANGDONG_2017: &str =
    "尹蔚民 (人力资源社会保障部部长), 2017, as reported by China Daily 2020-01-16 \"Government moves to solve pensions shortfall\": Guangdong 9 : 1";
/// Institution scheme, Fujian, end of 2021: 99.23 万 contributors and 50.49 万 retirees.
pub const SRC_INSTITUTION_2021: &str =
    "福建统计年鉴2022 表10-7 社会保险情况 (2021): 机关事业单位基本养老保险 参保职工99.23万人, 离退休人员50.49万人";

/// `[insurance.pooled_fund]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PooledFundParams {
    /// Yearly interest on a pooled fund's positive balance, credited in December.
    pub interest_rate: Dated<f64>,
    /// Whether the government covers a shortfall of the pooled fund (recorded as a fiscal
    /// subsidy); without it the balance may go negative.
    pub fiscal_subsidy: Dated<bool>,
    /// Pensioners per contributor of the enterprise fund at the start of a run: the stock of
    /// enterprise pensioners in payment is this ratio times the enterprise contributors.
    pub enterprise_dependency: Dated<f64>,
    /// The same for the institution fund.
    pub institution_dependency: Dated<f64>,
}

impl Default for PooledFundParams {
    fn default() -> Self {
        PooledFundParams {
            interest_rate: Dated::by_month([(YearMonth::ym(2015, 10), 0.015)]),
            fiscal_subsidy: Dated::constant(true),
            enterprise_dependency: Dated::constant(0.3235).with_region("guangdong", None, 0.1111),
            institution_dependency: Dated::constant(0.5088),
        }
    }
}

impl PooledFundParams {
    /// Docs of this section's keys, paths relative to `insurance`.
    pub fn key_docs() -> Vec<KeyDoc> {
        use Certainty::*;
        vec![
            KeyDoc::new("pooled_fund.interest_rate", "share/year", Allowed::number(-0.1, 0.3),
                "Yearly interest credited in December on a pooled fund's positive balance.")
                .dated().source(SRC_INTEREST, M),
            KeyDoc::new("pooled_fund.fiscal_subsidy", "", Allowed::Bool,
                "The government covers a pooled fund's shortfall each month, recorded as a fiscal subsidy.")
                .dated().source(SRC_SUBSIDY, R),
            KeyDoc::new("pooled_fund.enterprise_dependency", "pensioners per contributor", Allowed::number(0.0, 5.0),
                "Enterprise pensioners in payment per contributor at the start (sizes the initial retirees); the national 2012 ratio stands in where no regional figure is set.")
                .dated().source(SRC_NATIONAL_2012, M),
            KeyDoc::new("pooled_fund.institution_dependency", "pensioners per contributor", Allowed::number(0.0, 5.0),
                "Institution pensioners in payment per contributor at the start; Fujian's 2021 ratio stands in for every region.")
                .dated().source(SRC_INSTITUTION_2021, U),
        ]
    }
}

/// A year's interest on a fund balance at `rate_ppm`, rounded half away from zero; a negative
/// balance earns none (a fund in deficit is refilled by the subsidy, not charged interest).
pub fn year_interest(balance: Fen, rate_ppm: i64) -> Fen {
    if balance <= 0 {
        0
    } else {
        apply_ppm(balance, rate_ppm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interest_is_on_positive_balances_only() {
        // 1,000,000.00 yuan at 1.5 % → 15,000.00 yuan.
        assert_eq!(year_interest(100_000_000, 15_000), 1_500_000);
        assert_eq!(year_interest(-5_000, 15_000), 0);
        assert_eq!(year_interest(0, 15_000), 0);
    }

    #[test]
    fn defaults_follow_their_sources() {
        let p = PooledFundParams::default();
        let m = YearMonth::ym(2025, 1);
        assert!((*p.enterprise_dependency.at(m, "sichuan") - 6_911.0 / 21_361.0).abs() < 1e-4);
        assert!((*p.enterprise_dependency.at(m, "guangdong") - 1.0 / 9.0).abs() < 1e-4);
        assert!((*p.institution_dependency.at(m, "gansu") - 50.49 / 99.23).abs() < 1e-4);
        assert_eq!(*p.interest_rate.at(m, "beijing"), 0.015);
    }
}

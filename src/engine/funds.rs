//! The pooled pension funds of a run, one per region and scheme, kept as ledgers: employer
//! contributions and transfers in, benefits and transfers out, interest on the balance each
//! December, and the fiscal subsidy that covers a shortfall (社会保险法 art. 13). Each fund's
//! balance equals the sum of its booked flows (`identity`), to the fen.

use super::env::MonthEnv;
use crate::insurance::funds::year_interest;
use crate::metrics::{Key, MonthAgg, Series};
use crate::money::{rate_to_ppm, Fen};
use crate::scenario::Scenario;
use crate::time::YearMonth;

const SCHEMES: [&str; 2] = ["enterprise", "institution"];

/// Cumulative flows of one fund since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FundTotals {
    pub contributions_in: Fen,
    pub transfers_in: Fen,
    pub transfers_out: Fen,
    pub benefits_out: Fen,
    pub interest: Fen,
    pub subsidy: Fen,
}

impl FundTotals {
    /// What the flows leave in the fund.
    pub fn net(&self) -> Fen {
        self.contributions_in + self.transfers_in - self.transfers_out - self.benefits_out
            + self.interest
            + self.subsidy
    }
}

/// The funds by region and scheme (0 enterprise, 1 institution).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Funds {
    pub balance: Vec<[Fen; 2]>,
    pub totals: Vec<[FundTotals; 2]>,
    /// This month's interest and subsidy, for the rows.
    month_interest: Vec<[Fen; 2]>,
    month_subsidy: Vec<[Fen; 2]>,
    /// Each fund's series key, `region/scheme`, made once (`metrics::Key`).
    keys: Vec<[Key; 2]>,
}

impl Funds {
    pub fn new(s: &Scenario) -> Self {
        let regions = s.regions.len();
        Funds {
            keys: s
                .regions
                .iter()
                .map(|r| SCHEMES.map(|scheme| Key::shared(format!("{}/{}", r.name, scheme))))
                .collect(),
            balance: vec![[0; 2]; regions],
            totals: vec![[FundTotals::default(); 2]; regions],
            month_interest: vec![[0; 2]; regions],
            month_subsidy: vec![[0; 2]; regions],
        }
    }

    /// Books a month's flows; in December credits the year's interest on the balance; then,
    /// where the subsidy is in force, covers any shortfall.
    pub fn book(&mut self, s: &Scenario, env: &MonthEnv, agg: &MonthAgg) {
        let p = &s.insurance.pooled_fund;
        for (r, region) in s.regions.iter().enumerate() {
            for k in 0..2 {
                let t = &mut self.totals[r][k];
                t.contributions_in += agg.fund_in[r][k];
                t.transfers_in += agg.fund_transfer_in[r][k];
                t.transfers_out += agg.fund_transfer_out[r][k];
                t.benefits_out += agg.fund_out[r][k];
                let b = &mut self.balance[r][k];
                *b += agg.fund_in[r][k] + agg.fund_transfer_in[r][k]
                    - agg.fund_transfer_out[r][k]
                    - agg.fund_out[r][k];
                let interest = if env.year_end {
                    year_interest(
                        *b,
                        rate_to_ppm(*p.interest_rate.at(env.month, &region.name)),
                    )
                } else {
                    0
                };
                *b += interest;
                t.interest += interest;
                let subsidy = if *b < 0 && *p.fiscal_subsidy.at(env.month, &region.name) {
                    -*b
                } else {
                    0
                };
                *b += subsidy;
                t.subsidy += subsidy;
                self.month_interest[r][k] = interest;
                self.month_subsidy[r][k] = subsidy;
            }
        }
    }

    /// (balance, sum of booked flows) over all funds; equal in a correct run.
    pub fn identity(&self) -> (Fen, Fen) {
        let balance = self.balance.iter().flatten().sum();
        let flows = self.totals.iter().flatten().map(FundTotals::net).sum();
        (balance, flows)
    }

    /// The month's rows of every fund with any member or money: flows, balance, interest,
    /// subsidy, contributors, pensioners (deferred members counted apart), and the dependency
    /// ratio (pensioners per contributor).
    /// The month's rows by fund. With `smallest` > 1 (a k-anonymous roster run,
    /// `record::smallest_group`), a fund that has fewer contributors or pensioners than that
    /// (but some) gets its counts only: its flows and balance would state those people's pay
    /// or pensions.
    pub fn rows(
        &self,
        s: &Scenario,
        m: YearMonth,
        agg: &MonthAgg,
        smallest: u64,
        series: &mut Series,
    ) {
        let few = |n: u64| n > 0 && n < smallest;
        for r in 0..s.regions.len() {
            for k in 0..SCHEMES.len() {
                let (c, p) = (agg.contributors[r][k], agg.pensioners[r][k]);
                if c == 0 && p == 0 && self.balance[r][k] == 0 {
                    continue;
                }
                let key = &self.keys[r][k];
                let money = [
                    ("contributions_in", agg.fund_in[r][k]),
                    ("benefits_out", agg.fund_out[r][k]),
                    ("transfers_in", agg.fund_transfer_in[r][k]),
                    ("transfers_out", agg.fund_transfer_out[r][k]),
                    ("interest", self.month_interest[r][k]),
                    ("fiscal_subsidy", self.month_subsidy[r][k]),
                    ("balance", self.balance[r][k]),
                ];
                if !(few(c) || few(p)) {
                    for (metric, fen) in money {
                        series.push_money(m, "fund", key.clone(), metric, fen);
                    }
                }
                series.push(m, "fund", key.clone(), "contributors", c as f64);
                series.push(m, "fund", key.clone(), "pensioners", p as f64);
                let d = agg.deferred_members[r][k];
                series.push(m, "fund", key.clone(), "deferred_members", d as f64);
                let ratio = |n: u64| if c > 0 { n as f64 / c as f64 } else { 0.0 };
                series.push(m, "fund", key.clone(), "dependency_ratio", ratio(p));
                // Deferred members are the fund's future pensioners: the ratio with them counts
                // every member not contributing (deferred members in payment are pensioners).
                let with = ratio(p + d);
                series.push(m, "fund", key, "dependency_ratio_with_deferred", with);
            }
        }
    }
}

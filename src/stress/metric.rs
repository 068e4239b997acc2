//! The metrics a stress grid can map, each computed from one run's files in the sweep folder:
//! its yearly series (`runs/run-N.series.csv`, the monthly series.csv folded to years) and its
//! summary metrics (`runs/run-N.csv`). docs/PLANNER.md lists them with their definitions.
//!
//! The pooled funds of the model start at a zero balance at the start of the run, earn interest
//! on a positive balance and, where `insurance.pooled_fund.fiscal_subsidy` is in force (the
//! default), are refilled by a fiscal subsidy when they cannot pay (docs/OUTPUTS.md). So a fund
//! is "exhausted" in the first year its own money no longer covers its pensions: it receives a
//! subsidy, or (without the subsidy) its balance turns negative.
//!
//! The year's subsidy is derived from the fund's ledger identity: the change of the December
//! balance less the year's contributions, transfers in, transfers out, pensions and interest
//! (credited in December only). It needs no subsidy rows, so it also reads sweep folders
//! written before the yearly series summed `fiscal_subsidy` over the months (it once kept only
//! December's value).

use std::collections::BTreeMap;

/// What a stress grid maps.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Metric {
    /// First year the fund receives a fiscal subsidy or ends with a negative balance.
    ExhaustionYear,
    /// The fiscal subsidy the fund receives over the year.
    FiscalSubsidy,
    /// Pooled-fund balance at the end of the year.
    Balance,
    /// Year-end balance over the year's pension outflow from the fund.
    BalanceRatio,
    /// Pensioners per contributor of the fund at the end of the year.
    DependencyRatio,
    /// The universities' employer contributions, all insurance items, over the calendar year.
    EmployerCost,
    /// Mean replacement rate (pension at award / final wage) of the run's retirees.
    ReplacementRate,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::ExhaustionYear,
        Metric::FiscalSubsidy,
        Metric::Balance,
        Metric::BalanceRatio,
        Metric::DependencyRatio,
        Metric::EmployerCost,
        Metric::ReplacementRate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::ExhaustionYear => "exhaustion_year",
            Metric::FiscalSubsidy => "fiscal_subsidy",
            Metric::Balance => "fund_balance",
            Metric::BalanceRatio => "balance_ratio",
            Metric::DependencyRatio => "dependency_ratio",
            Metric::EmployerCost => "employer_cost",
            Metric::ReplacementRate => "replacement_rate",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Metric::ExhaustionYear => "year",
            Metric::Balance | Metric::EmployerCost | Metric::FiscalSubsidy => "yuan",
            Metric::BalanceRatio => "years of outflow",
            Metric::DependencyRatio => "pensioners per contributor",
            Metric::ReplacementRate => "share of the final wage",
        }
    }

    /// One sentence: how the value of one run is computed.
    pub fn definition(self) -> &'static str {
        match self {
            Metric::ExhaustionYear => {
                "first year in which the pooled fund receives a fiscal subsidy (its own balance \
                 no longer covers its pensions) or ends with a negative balance; none if neither \
                 happens within the run"
            }
            Metric::FiscalSubsidy => {
                "fiscal subsidy to the pooled fund over the year, from the fund's ledger: change \
                 of the December balance less contributions, transfers in and out, pensions and \
                 interest of the year"
            }
            Metric::Balance => "December balance of the pooled fund in the year",
            Metric::BalanceRatio => {
                "December balance of the pooled fund over its pension outflow (benefits_out) \
                 in the year: the years of outflow the balance covers"
            }
            Metric::DependencyRatio => {
                "pensioners over contributors of the pooled fund in the year's last month"
            }
            Metric::EmployerCost => {
                "the universities' employer contributions over the calendar year, all insurance \
                 items and the housing fund (series university/<name>/total employer_cost)"
            }
            Metric::ReplacementRate => {
                "mean over the run's retirees of the pension at award over the final wage \
                 (runs.csv mean_replacement_final_wage)"
            }
        }
    }

    /// How the replications of a cell are combined.
    pub fn aggregate_rule(self) -> &'static str {
        match self {
            Metric::ExhaustionYear => {
                "median over replications, a replication that never exhausts counting as later \
                 than any year; empty when the median is not exhausted"
            }
            _ => "mean over the replications that have a value",
        }
    }

    pub fn parse(text: &str) -> Result<Metric, String> {
        Metric::ALL
            .into_iter()
            .find(|m| m.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                format!(
                    "--metric {text}: unknown metric; one of {}",
                    names.join(", ")
                )
            })
    }

    /// Whether the metric is about one pooled fund (`--fund` applies).
    pub fn uses_fund(self) -> bool {
        matches!(
            self,
            Metric::ExhaustionYear
                | Metric::FiscalSubsidy
                | Metric::Balance
                | Metric::BalanceRatio
                | Metric::DependencyRatio
        )
    }

    /// Whether the metric is read in one year (`--year` applies).
    pub fn uses_year(self) -> bool {
        matches!(
            self,
            Metric::FiscalSubsidy
                | Metric::Balance
                | Metric::BalanceRatio
                | Metric::DependencyRatio
                | Metric::EmployerCost
        )
    }
}

/// A yearly subsidy below this (yuan) is rounding in the series, not a subsidy.
const SUBSIDY_TOLERANCE: f64 = 1.0;

/// The fiscal subsidy of each year from the ledger identity of the selected funds:
/// balance(y) − balance(y − 1) − (contributions + transfers in − transfers out − pensions +
/// interest)(y), the balance before the first year being 0.
fn subsidies(
    series: &[YearValue],
    balance: &BTreeMap<i32, f64>,
    fund: &dyn Fn(&str) -> BTreeMap<i32, f64>,
) -> BTreeMap<i32, f64> {
    let flows: Vec<(f64, BTreeMap<i32, f64>)> = [
        (1.0, "contributions_in"),
        (1.0, "transfers_in"),
        (-1.0, "transfers_out"),
        (-1.0, "benefits_out"),
        (1.0, "interest"),
    ]
    .into_iter()
    .map(|(sign, m)| (sign, fund(m)))
    .collect();
    let (Some(first), Some(last)) = (
        series.iter().map(|r| r.year).min(),
        series.iter().map(|r| r.year).max(),
    ) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    let mut previous = 0.0;
    for y in first..=last {
        let b = balance.get(&y).copied().unwrap_or(0.0);
        let booked: f64 = flows
            .iter()
            .map(|(sign, m)| sign * m.get(&y).copied().unwrap_or(0.0))
            .sum();
        out.insert(y, b - previous - booked);
        previous = b;
    }
    out
}

/// A metric with its fund and year.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricSpec {
    pub metric: Metric,
    /// `region/scheme`, or `None` for every pooled fund of the scenario taken together.
    pub fund: Option<String>,
    /// The year read; `None` for the last simulated year.
    pub year: Option<i32>,
}

/// One row of a run's yearly series.
#[derive(Clone, Debug, PartialEq)]
pub struct YearValue {
    pub year: i32,
    pub group: String,
    pub key: String,
    pub metric: String,
    pub value: f64,
}

impl MetricSpec {
    /// The value of one run, or `None` where it is not defined (a fund never exhausted, a
    /// ratio over zero, a year the run does not reach, no retiree).
    pub fn compute(
        &self,
        series: &[YearValue],
        summary: &[crate::experiment::summary::MetricRow],
    ) -> Option<f64> {
        if self.metric == Metric::ReplacementRate {
            return summary
                .iter()
                .find(|r| {
                    r.group == "all" && r.key == "all" && r.metric == "mean_replacement_final_wage"
                })
                .map(|r| r.value)
                .filter(|v| v.is_finite());
        }
        let last = series.iter().map(|r| r.year).max()?;
        let year = self.year.unwrap_or(last);
        if !series.iter().any(|r| r.year == year) && self.metric != Metric::ExhaustionYear {
            return None;
        }
        // Per year, the selected funds' values of each series metric, summed.
        let fund = |metric: &str| -> BTreeMap<i32, f64> {
            let mut by_year = BTreeMap::new();
            for r in series {
                let selected = self.fund.as_deref().is_none_or(|f| r.key == f);
                if r.group == "fund" && r.metric == metric && selected {
                    *by_year.entry(r.year).or_insert(0.0) += r.value;
                }
            }
            by_year
        };
        let at = |m: &BTreeMap<i32, f64>| m.get(&year).copied().unwrap_or(0.0);
        match self.metric {
            Metric::ExhaustionYear => {
                let balance = fund("balance");
                let subsidy = subsidies(series, &balance, &fund);
                let first = series.iter().map(|r| r.year).min()?;
                (first..=last)
                    .find(|y| {
                        balance.get(y).is_some_and(|&b| b < 0.0)
                            || subsidy.get(y).is_some_and(|&s| s > SUBSIDY_TOLERANCE)
                    })
                    .map(f64::from)
            }
            Metric::FiscalSubsidy => {
                let balance = fund("balance");
                Some(at(&subsidies(series, &balance, &fund)))
            }
            Metric::Balance => Some(at(&fund("balance"))),
            Metric::BalanceRatio => {
                let out = at(&fund("benefits_out"));
                (out > 0.0).then(|| at(&fund("balance")) / out)
            }
            Metric::DependencyRatio => {
                let contributors = at(&fund("contributors"));
                (contributors > 0.0).then(|| at(&fund("pensioners")) / contributors)
            }
            Metric::EmployerCost => Some(
                series
                    .iter()
                    .filter(|r| {
                        r.year == year
                            && r.group == "university"
                            && r.metric == "employer_cost"
                            && r.key.ends_with("/total")
                    })
                    .map(|r| r.value)
                    .sum(),
            ),
            Metric::ReplacementRate => None,
        }
    }

    /// The value of a cell from the values of its replications (see
    /// [`Metric::aggregate_rule`]).
    pub fn aggregate(&self, values: &[Option<f64>]) -> Option<f64> {
        if self.metric == Metric::ExhaustionYear {
            let mut v: Vec<f64> = values.iter().map(|x| x.unwrap_or(f64::INFINITY)).collect();
            if v.is_empty() {
                return None;
            }
            v.sort_by(f64::total_cmp);
            let n = v.len();
            let median = if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / 2.0
            };
            return median.is_finite().then_some(median);
        }
        let defined: Vec<f64> = values.iter().flatten().copied().collect();
        (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64)
    }

    /// `metric`, with ` (fund F, YEAR)` qualifiers where they apply, for titles.
    pub fn describe(&self, last_year: Option<i32>) -> String {
        let mut q = Vec::new();
        if self.metric.uses_fund() {
            q.push(match &self.fund {
                Some(f) => format!("fund {f}"),
                None => "all pooled funds".into(),
            });
        }
        if self.metric.uses_year() {
            if let Some(y) = self.year.or(last_year) {
                q.push(y.to_string());
            }
        }
        if q.is_empty() {
            self.metric.name().to_string()
        } else {
            format!("{} ({})", self.metric.name(), q.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(year: i32, group: &str, key: &str, metric: &str, value: f64) -> YearValue {
        YearValue {
            year,
            group: group.into(),
            key: key.into(),
            metric: metric.into(),
            value,
        }
    }

    fn series() -> Vec<YearValue> {
        vec![
            row(2025, "fund", "a/enterprise", "balance", 10.0),
            row(2025, "fund", "a/institution", "balance", 5.0),
            row(2025, "fund", "a/enterprise", "benefits_out", 2.0),
            row(2025, "fund", "a/enterprise", "contributors", 4.0),
            row(2025, "fund", "a/enterprise", "pensioners", 1.0),
            row(2026, "fund", "a/enterprise", "balance", -3.0),
            row(2026, "fund", "a/institution", "balance", 8.0),
            row(2026, "fund", "a/enterprise", "benefits_out", 6.0),
            row(2026, "university", "u/total", "employer_cost", 7.0),
            row(2026, "university", "u/pension", "employer_cost", 3.0),
            row(2026, "university", "v/total", "employer_cost", 1.0),
        ]
    }

    fn spec(metric: Metric, fund: Option<&str>, year: Option<i32>) -> MetricSpec {
        MetricSpec {
            metric,
            fund: fund.map(str::to_string),
            year,
        }
    }

    #[test]
    fn metrics_read_the_series_of_the_chosen_fund_and_year() {
        let s = series();
        let v = |m, f, y| spec(m, f, y).compute(&s, &[]);
        // 10 of balance with no inflow booked: the ledger shows a subsidy in the first year.
        assert_eq!(
            v(Metric::ExhaustionYear, Some("a/enterprise"), None),
            Some(2025.0)
        );
        assert_eq!(v(Metric::Balance, None, Some(2025)), Some(15.0));
        assert_eq!(
            v(Metric::Balance, None, None),
            Some(5.0),
            "last year by default"
        );
        assert_eq!(
            v(Metric::BalanceRatio, Some("a/enterprise"), Some(2025)),
            Some(5.0)
        );
        assert_eq!(
            v(Metric::BalanceRatio, Some("a/institution"), Some(2025)),
            None
        );
        assert_eq!(v(Metric::DependencyRatio, None, Some(2025)), Some(0.25));
        assert_eq!(v(Metric::EmployerCost, None, None), Some(8.0));
        assert_eq!(
            v(Metric::Balance, None, Some(2030)),
            None,
            "a year not simulated"
        );
    }

    #[test]
    fn a_subsidy_derived_from_the_ledger_marks_exhaustion() {
        // 100 of contributions in 2025; in 2026 pensions of 150 against 30 of contributions:
        // the balance covers 100 + 30, and the subsidy the remaining 20, so the balance ends
        // at 0. In 2027 the subsidy covers 10.
        let mut s = vec![
            row(2025, "fund", "f", "contributions_in", 100.0),
            row(2025, "fund", "f", "balance", 100.0),
            row(2026, "fund", "f", "contributions_in", 30.0),
            row(2026, "fund", "f", "benefits_out", 150.0),
            row(2026, "fund", "f", "balance", 0.0),
            row(2027, "fund", "f", "contributions_in", 30.0),
            row(2027, "fund", "f", "benefits_out", 40.0),
            row(2027, "fund", "f", "balance", 0.0),
        ];
        let e = spec(Metric::ExhaustionYear, None, None);
        assert_eq!(e.compute(&s, &[]), Some(2026.0));
        let sub = |s: &[YearValue], y| spec(Metric::FiscalSubsidy, None, Some(y)).compute(s, &[]);
        assert_eq!(sub(&s, 2025), Some(0.0));
        assert_eq!(sub(&s, 2026), Some(20.0));
        assert_eq!(sub(&s, 2027), Some(10.0));
        // Without the subsidy the balance goes negative in 2026 instead.
        s[4].value = -20.0;
        s[7].value = -30.0;
        assert_eq!(e.compute(&s, &[]), Some(2026.0));
        assert_eq!(sub(&s, 2026), Some(0.0));
        // Interest credited on a positive balance is not a subsidy.
        let t = vec![
            row(2025, "fund", "f", "contributions_in", 100.0),
            row(2025, "fund", "f", "interest", 1.5),
            row(2025, "fund", "f", "balance", 101.5),
        ];
        assert_eq!(e.compute(&t, &[]), None);
    }

    #[test]
    fn exhaustion_is_a_censored_median_and_others_a_mean() {
        let e = spec(Metric::ExhaustionYear, None, None);
        assert_eq!(
            e.aggregate(&[Some(2030.0), None, Some(2040.0)]),
            Some(2040.0)
        );
        assert_eq!(e.aggregate(&[Some(2030.0), None, None]), None);
        assert_eq!(e.aggregate(&[Some(2030.0), Some(2032.0)]), Some(2031.0));
        let b = spec(Metric::Balance, None, None);
        assert_eq!(b.aggregate(&[Some(1.0), None, Some(3.0)]), Some(2.0));
        assert_eq!(b.aggregate(&[None]), None);
    }

    #[test]
    fn unknown_metric_lists_the_known_ones() {
        let e = Metric::parse("exhaustion").unwrap_err();
        assert!(
            e.contains("--metric exhaustion") && e.contains("exhaustion_year"),
            "{e}"
        );
        assert_eq!(Metric::parse("employer_cost"), Ok(Metric::EmployerCost));
    }
}

//! The life-cycle planner (`sisandbox plan`): one person's outcomes across N stochastic macro
//! paths (`macro_paths`), for every combination of the options in the case file.
//!
//! Each path is computed by [`project::Context::run_path`] from the pension rules of
//! `insurance` (base limits, accounts, the award, the divisor, eligibility, money's worth), in
//! parallel over paths; results are collected in path order and summarised by sorting, so the
//! output depends only on the case, the scenario and the seed, never on the thread count.

pub mod case;
pub mod project;
pub mod tax;
pub mod write;

pub use case::{load, parse, Draw, PlanCase, Track};
pub use project::{Context, OptionOutcome, PathResult};

use crate::scenario::Scenario;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// The metrics of an option, in column order.
pub const METRICS: [(&str, &str); 4] = [
    ("pension", "yuan/month"),
    ("pension_real", "yuan/month, start-year prices"),
    ("replacement", "share of the final wage"),
    ("money_worth", "ratio"),
];

fn metric(o: &OptionOutcome, m: usize) -> f64 {
    [o.pension, o.pension_real, o.replacement, o.money_worth][m]
}

/// One compared option.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionLabel {
    pub enterprise_annuity: bool,
    pub base_share: f64,
    pub retire_offset: i32,
    pub retire: crate::time::YearMonth,
    pub retire_age: crate::time::Months,
    pub draw: Draw,
}

impl OptionLabel {
    /// Short text for legends and tables.
    pub fn name(&self, track: Track) -> String {
        let ea = match (track, self.enterprise_annuity) {
            (Track::Established, _) => "",
            (Track::Contract, true) => "EA, ",
            (Track::Contract, false) => "no EA, ",
        };
        format!(
            "{ea}base {:.0}%, retire {}, {}",
            self.base_share * 100.0,
            self.retire_age,
            self.draw.name()
        )
    }
}

/// The planner's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanResult {
    pub paths: usize,
    pub percentiles: Vec<f64>,
    pub options: Vec<OptionLabel>,
    /// `summary[option][metric][percentile]`.
    pub summary: Vec<[Vec<f64>; 4]>,
    /// Mean across paths, `[option][metric]`.
    pub means: Vec<[f64; 4]>,
    /// Years with a balance and the age at their end.
    pub years: Vec<(i32, i32)>,
    /// Variants (enterprise annuity, base share) and their balance percentiles by year:
    /// `balances[variant][year][percentile]`, yuan.
    pub variants: Vec<(bool, f64)>,
    pub balances: Vec<Vec<Vec<f64>>>,
    /// The outcome of every option on the central path (every innovation zero).
    pub central: Vec<OptionOutcome>,
    pub gap: Option<Gap>,
}

/// A pre-retiree's gap to a target replacement rate, for the first option, and what closes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    pub target: f64,
    /// Median replacement rate of the first option.
    pub median: f64,
    /// Target minus median (0 when met).
    pub gap: f64,
    /// Extra monthly income needed at retirement, yuan (gap × median final wage).
    pub monthly_shortfall: f64,
    /// Extra saving per month from the start to the first option's retirement month that
    /// buys that income through the divisor, yuan, without investment return (a cautious
    /// figure).
    pub monthly_saving: f64,
    /// Options whose median replacement rate reaches the target, by index.
    pub closing_options: Vec<usize>,
}

/// Quantile `q` (0–1) of sorted finite values by linear interpolation (type 7).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    crate::plot::quantile_sorted(sorted, q).unwrap_or(f64::NAN)
}

fn percentiles_of(values: impl Iterator<Item = f64>, qs: &[f64]) -> Vec<f64> {
    let sorted = crate::plot::finite_sorted(&values.collect::<Vec<_>>());
    qs.iter().map(|q| quantile(&sorted, q / 100.0)).collect()
}

/// Runs the plan: `paths` macro paths on the current rayon pool.
pub fn run(s: &Scenario, case: &PlanCase, paths: usize) -> Result<PlanResult, String> {
    run_with_progress(s, case, paths, &|| {})
}

/// [`run`] calling `tick` after each path (for a progress bar).
pub fn run_with_progress(
    s: &Scenario,
    case: &PlanCase,
    paths: usize,
    tick: &(dyn Fn() + Sync),
) -> Result<PlanResult, String> {
    run_cancellable(s, case, paths, tick, &AtomicBool::new(false))
}

/// The error of a plan stopped through `cancel`.
pub const CANCELLED: &str = "the plan was cancelled";

/// [`run_with_progress`] that stops when `cancel` is set (paths not yet started are skipped)
/// and then returns [`CANCELLED`]; for front ends that must stop a long plan at once.
pub fn run_cancellable(
    s: &Scenario,
    case: &PlanCase,
    paths: usize,
    tick: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<PlanResult, String> {
    if paths == 0 {
        return Err("--paths 0: at least one path is needed".into());
    }
    let ctx = Context::new(s, case)?;
    let results: Vec<PathResult> = (0..paths as u64)
        .into_par_iter()
        .map(|p| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let r = ctx.run_path(&ctx.path(Some(p)));
            tick();
            Some(r)
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| CANCELLED.to_string())?;
    let central = ctx.run_path(&ctx.path(None)).options;
    let qs = &case.plan.percentiles;
    let mut options = Vec::new();
    for &(ea, share) in &ctx.variants {
        for (ri, &rm) in ctx.retire.iter().enumerate() {
            for &draw in &case.options.draw {
                options.push(OptionLabel {
                    enterprise_annuity: ea,
                    base_share: share,
                    retire_offset: case.options.retire[ri],
                    retire: rm,
                    retire_age: crate::time::Months(rm.months_since(case.person.birth)),
                    draw,
                });
            }
        }
    }
    let summary: Vec<[Vec<f64>; 4]> = (0..ctx.options())
        .map(|o| {
            std::array::from_fn(|m| {
                percentiles_of(results.iter().map(|r| metric(&r.options[o], m)), qs)
            })
        })
        .collect();
    let means = (0..ctx.options())
        .map(|o| {
            std::array::from_fn(|m| {
                let v: Vec<f64> = results
                    .iter()
                    .map(|r| metric(&r.options[o], m))
                    .filter(|x| x.is_finite())
                    .collect();
                v.iter().sum::<f64>() / v.len().max(1) as f64
            })
        })
        .collect();
    let years: Vec<(i32, i32)> = ctx
        .balance_years()
        .map(|y| (y, y - case.person.birth.year()))
        .collect();
    let balances = (0..ctx.variants.len())
        .map(|v| {
            (0..years.len())
                .map(|k| {
                    percentiles_of(
                        results
                            .iter()
                            .map(|r| r.balances[v].get(k).copied().unwrap_or(f64::NAN)),
                        qs,
                    )
                })
                .collect()
        })
        .collect();
    let gap = case.plan.target_replacement.map(|target| {
        let median_of = |o: usize| {
            let sorted = crate::plot::finite_sorted(
                &results
                    .iter()
                    .map(|r| r.options[o].replacement)
                    .collect::<Vec<_>>(),
            );
            quantile(&sorted, 0.5)
        };
        let median = median_of(0);
        let wage = {
            let sorted = crate::plot::finite_sorted(
                &results
                    .iter()
                    .map(|r| r.options[0].final_wage)
                    .collect::<Vec<_>>(),
            );
            quantile(&sorted, 0.5)
        };
        let gap = (target - median).max(0.0);
        let shortfall = gap * wage;
        let months = options[0].retire.months_since(case.person.start).max(1) as f64;
        Gap {
            target,
            median,
            gap,
            monthly_shortfall: shortfall,
            monthly_saving: shortfall * central[0].divisor / months,
            closing_options: (0..options.len())
                .filter(|&o| median_of(o) >= target)
                .collect(),
        }
    });
    Ok(PlanResult {
        paths,
        percentiles: qs.clone(),
        options,
        summary,
        means,
        years,
        variants: ctx.variants.clone(),
        balances,
        central,
        gap,
    })
}

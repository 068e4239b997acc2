//! Stochastic macro paths: the `[macro]` scenario section.
//!
//! Wage growth, the personal-account book rate, the occupational and enterprise annuity
//! returns, inflation and mortality improvement, each a yearly AR(1) ([`Ar1`]) fitted to the
//! published 2016–2025 series ([`data`]), correlated through one common factor. A path is a
//! pure function of (seed, path number, year): every draw of year `y` comes from
//! `rng::Draws::new(seed, path, Purpose::Macro, y)`, so all agents of a run share one path,
//! and a reform and its baseline with the same seed see the same path (common random numbers).
//! A run uses path 0 of its seed; the planner draws paths 0..N.
//!
//! With `enabled = false` (the default) nothing changes: the engine keeps the fixed tables.
//! Enabled, the engine takes, from the year `from` on, the pay-scale growth, the book rate
//! (also for the notional occupational annuity), the two annuity returns and the level of the
//! regional wage series from the path ([`MacroPath::apply_rates`], [`MacroPath::wage_level`]).
//! Inflation and mortality improvement are used by the planner (`plan`).

pub mod data;
pub mod process;

pub use process::{fit_ar1, Ar1, Ar1Fit};

use crate::insurance::RatesAt;
use crate::money::rate_to_ppm;
use crate::rng::{Draws, Purpose};
use crate::scenario::catalog::{Allowed, Certainty, Issue, KeyDoc};
use serde::{Deserialize, Serialize};

/// The processes of a path, in the order of their draws.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Process {
    WageGrowth = 0,
    BookRate = 1,
    OccupationalReturn = 2,
    EnterpriseReturn = 3,
    Inflation = 4,
    MortalityImprovement = 5,
}

impl Process {
    pub const ALL: [Process; 6] = [
        Process::WageGrowth,
        Process::BookRate,
        Process::OccupationalReturn,
        Process::EnterpriseReturn,
        Process::Inflation,
        Process::MortalityImprovement,
    ];
    /// The key of the process in `[macro]`.
    pub fn key(self) -> &'static str {
        [
            "wage_growth",
            "book_rate",
            "occupational_return",
            "enterprise_return",
            "inflation",
            "mortality_improvement",
        ][self as usize]
    }
}

/// `[macro]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MacroParams {
    /// Draw the paths (false: the fixed tables of the scenario, as before).
    pub enabled: bool,
    /// First year drawn; earlier years keep the published tables.
    pub from: i32,
    pub wage_growth: Ar1,
    pub book_rate: Ar1,
    pub occupational_return: Ar1,
    pub enterprise_return: Ar1,
    pub inflation: Ar1,
    pub mortality_improvement: Ar1,
}

const fn ar1(mean: f64, phi: f64, sigma: f64, start: f64, min: f64, max: f64) -> Ar1 {
    Ar1 {
        mean,
        phi,
        sigma,
        start,
        loading: 0.0,
        min,
        max,
    }
}

impl Default for MacroParams {
    /// Fitted to the published series of [`data`] (docs/PLANNER.md §2). Where the
    /// least-squares persistence is 1 or more (book rate and wage growth fell all decade), the
    /// fitted innovation is kept, the persistence set to 0.8 and the mean to the scenario's
    /// deterministic assumption (`pension.book_rate_projection`, `careers.wage_growth`), so
    /// that the stochastic runs are centred on the deterministic ones.
    fn default() -> Self {
        let annuity = ar1(0.0432, 0.38, 0.0421, 0.0432, -0.5, 1.0);
        MacroParams {
            enabled: false,
            from: 2026,
            wage_growth: ar1(0.04, 0.8, 0.0212, 0.028, -0.2, 0.5),
            book_rate: ar1(0.015, 0.8, 0.0112, 0.015, 0.0, 0.3),
            occupational_return: annuity.clone(),
            enterprise_return: annuity,
            inflation: ar1(0.0137, 0.451, 0.0102, 0.002, -0.1, 0.5),
            mortality_improvement: ar1(0.01, 0.5, 0.005, 0.01, -0.05, 0.1),
        }
    }
}

/// The values of one path, year by year from `from`.
#[derive(Clone, Debug, PartialEq)]
pub struct MacroPath {
    pub from: i32,
    /// `values[p][y − from]` for process `p`.
    pub values: [Vec<f64>; 6],
    /// Cumulative wage index `Π_{k=from}^{y} (1 + g_k)`, by year from `from`.
    wage_index: Vec<f64>,
}

impl MacroParams {
    pub fn process(&self, p: Process) -> &Ar1 {
        match p {
            Process::WageGrowth => &self.wage_growth,
            Process::BookRate => &self.book_rate,
            Process::OccupationalReturn => &self.occupational_return,
            Process::EnterpriseReturn => &self.enterprise_return,
            Process::Inflation => &self.inflation,
            Process::MortalityImprovement => &self.mortality_improvement,
        }
    }

    /// Path number `path` of `seed` through `last_year` (inclusive). Each year draws the
    /// common factor first, then one normal per process in [`Process::ALL`] order.
    pub fn path(&self, seed: u64, path: u64, last_year: i32) -> MacroPath {
        self.build(last_year, |y| {
            let mut d = Draws::new(seed, path, Purpose::Macro, y);
            let common = d.normal();
            Process::ALL.map(|p| self.process(p).innovation(common, d.normal()))
        })
    }

    /// The path with every innovation zero: each process moves from `start` towards its mean.
    /// This is the "median parameters" path the planner compares its median with.
    pub fn central_path(&self, last_year: i32) -> MacroPath {
        self.build(last_year, |_| [0.0; 6])
    }

    fn build(&self, last_year: i32, mut eps: impl FnMut(i32) -> [f64; 6]) -> MacroPath {
        let years = (last_year - self.from + 1).max(0) as usize;
        let mut values: [Vec<f64>; 6] = Default::default();
        let mut state = Process::ALL.map(|p| self.process(p).start);
        let mut wage_index = Vec::with_capacity(years);
        let mut index = 1.0;
        for k in 0..years {
            let e = eps(self.from + k as i32);
            for p in Process::ALL {
                let i = p as usize;
                let proc = self.process(p);
                state[i] = proc.next(state[i], e[i]);
                values[i].push(proc.value(state[i]));
            }
            index *= 1.0 + values[0][k];
            wage_index.push(index);
        }
        MacroPath {
            from: self.from,
            values,
            wage_index,
        }
    }

    /// The path of a run (path 0 of its seed) through `last_year`, when enabled.
    pub fn run_path(&self, seed: u64, last_year: i32) -> Option<MacroPath> {
        self.enabled.then(|| self.path(seed, 0, last_year))
    }

    /// Docs of the section's keys.
    pub fn key_docs() -> Vec<KeyDoc> {
        use Allowed as A;
        let k = KeyDoc::new;
        let mut v = vec![
            k(
                "enabled",
                "",
                A::Bool,
                "Draw the macro paths; false keeps the scenario's fixed tables (the default).",
            ),
            k(
                "from",
                "year",
                A::integer(1990, 2200),
                "First year drawn; earlier years keep the published tables.",
            )
            .source(
                "the first year without a published book rate",
                Certainty::Model,
            ),
        ];
        let what: [(&str, &'static str, &'static str, Certainty); 6] = [
            ("wage_growth", "Yearly growth of pay scales and of the regional wage series (average wage, calculation base).", data::WAGE_SOURCE, Certainty::C),
            ("book_rate", "Personal-account book rate, also credited to the notional occupational annuity.", data::BOOK_RATE_SOURCE, Certainty::C),
            ("occupational_return", "Yearly return of the funded occupational annuity.", data::ANNUITY_RETURN_SOURCE, Certainty::M),
            ("enterprise_return", "Yearly return of the enterprise annuity fund.", data::ANNUITY_RETURN_SOURCE, Certainty::C),
            ("inflation", "Consumer-price inflation (the planner's real values and discounting).", data::CPI_SOURCE, Certainty::C),
            ("mortality_improvement", "Yearly fall of death probabilities at every age (the planner's survival).", "model assumption", Certainty::U),
        ];
        for (name, doc, src, cert) in what {
            let p = |key: &str| format!("{name}.{key}");
            v.push(k(&p("mean"), "per year", A::number(-1.0, 1.0), doc).source(src, cert));
            v.push(
                k(
                    &p("phi"),
                    "",
                    A::number(-1.0, 1.0),
                    "Persistence of the AR(1); |phi| must be below 1 (stationary).",
                )
                .source(src, cert),
            );
            v.push(
                k(
                    &p("sigma"),
                    "per year",
                    A::number(0.0, 1.0),
                    "Standard deviation of the yearly innovation.",
                )
                .source(src, cert),
            );
            v.push(k(
                &p("start"),
                "per year",
                A::number(-1.0, 1.0),
                "Value of the year before `from` (the last published one).",
            ));
            v.push(k(&p("loading"), "", A::number(-1.0, 1.0), "Loading on the common yearly factor; two processes correlate by the product of their loadings."));
            v.push(k(
                &p("min"),
                "per year",
                A::number(-1.0, 1.0),
                "Lowest value used (the state itself is not clamped).",
            ));
            v.push(k(
                &p("max"),
                "per year",
                A::number(-1.0, 1.0),
                "Highest value used.",
            ));
        }
        v
    }

    /// Cross-field checks: stationarity, min ≤ max.
    pub fn check(&self, path: &str, out: &mut Vec<Issue>) {
        for p in Process::ALL {
            let a = self.process(p);
            let key = |k: &str| format!("{path}.{}.{k}", p.key());
            if a.phi.is_nan() || a.phi.abs() >= 1.0 {
                out.push(Issue::new(
                    key("phi"),
                    format!(
                        "phi = {}: the process is not stationary; |phi| must be below 1",
                        a.phi
                    ),
                ));
            }
            if a.sigma.is_nan() || a.sigma < 0.0 {
                out.push(Issue::new(
                    key("sigma"),
                    format!(
                        "sigma = {}: a standard deviation cannot be negative",
                        a.sigma
                    ),
                ));
            }
            if a.min > a.max {
                out.push(Issue::new(
                    key("min"),
                    format!("min {} is above max {}", a.min, a.max),
                ));
            }
        }
    }
}

impl MacroPath {
    /// The value of a process in `year`; `None` before `from` or past the path's end.
    pub fn get(&self, p: Process, year: i32) -> Option<f64> {
        let k = usize::try_from(year - self.from).ok()?;
        self.values[p as usize].get(k).copied()
    }

    /// The last year of the path.
    pub fn last_year(&self) -> i32 {
        self.from + self.values[0].len() as i32 - 1
    }

    /// The level of wages in `year` relative to a projection growing at `growth` from the
    /// year before `from`: `Π (1 + g_k) / (1 + growth)^n`; 1 before `from`.
    pub fn wage_level(&self, year: i32, growth: f64) -> f64 {
        let Ok(k) = usize::try_from(year - self.from) else {
            return 1.0;
        };
        let k = k.min(self.wage_index.len().saturating_sub(1));
        match self.wage_index.get(k) {
            Some(ix) => ix / (1.0 + growth).powi(k as i32 + 1),
            None => 1.0,
        }
    }

    /// Replaces the book rates and annuity returns of a month's rates with the path's values
    /// of the month's calendar year (from `from` on).
    pub fn apply_rates(&self, rates: &mut RatesAt) {
        let y = rates.month.year();
        if let Some(b) = self.get(Process::BookRate, y) {
            rates.book_rate_ppm = rate_to_ppm(b);
            rates.oa_notional_rate_ppm = rate_to_ppm(b);
        }
        if let Some(r) = self.get(Process::OccupationalReturn, y) {
            rates.oa_funded_return_ppm = rate_to_ppm(r);
        }
        if let Some(r) = self.get(Process::EnterpriseReturn, y) {
            rates.ea_return_ppm = rate_to_ppm(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_repeat_and_differ_by_path_and_seed() {
        let m = MacroParams::default();
        let a = m.path(7, 3, 2070);
        assert_eq!(a, m.path(7, 3, 2070));
        assert_ne!(a, m.path(7, 4, 2070));
        assert_ne!(a, m.path(8, 3, 2070));
        // A longer path starts with the shorter one: a year's draws do not depend on the horizon.
        let b = m.path(7, 3, 2090);
        assert_eq!(a.values[1][..], b.values[1][..a.values[1].len()]);
        assert_eq!(a.get(Process::BookRate, 2025), None);
        assert_eq!(a.last_year(), 2070);
    }

    #[test]
    fn paths_have_the_stationary_moments() {
        let m = MacroParams::default();
        let n = 4000;
        let x: Vec<f64> = (0..n)
            .map(|p| m.path(1, p, 2125).get(Process::Inflation, 2125).unwrap())
            .collect();
        let mean = x.iter().sum::<f64>() / n as f64;
        let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        let a = &m.inflation;
        let want = a.sigma / (1.0 - a.phi * a.phi).sqrt();
        assert!((mean - a.mean).abs() < 0.001, "mean {mean}");
        assert!((sd - want).abs() < 0.001, "sd {sd} want {want}");
    }

    #[test]
    fn central_path_converges_to_the_mean_and_book_rate_floor_holds() {
        let m = MacroParams::default();
        let c = m.central_path(2100);
        assert!((c.get(Process::WageGrowth, 2100).unwrap() - 0.04).abs() < 1e-6);
        assert!((c.wage_level(2026, 0.04) - (1.04 + 0.8 * (0.028 - 0.04)) / 1.04).abs() < 1e-9);
        for p in 0..200 {
            let path = m.path(5, p, 2080);
            assert!(path.values[1].iter().all(|&r| r >= 0.0));
        }
    }

    #[test]
    fn non_stationary_and_negative_variance_are_named() {
        let mut m = MacroParams::default();
        m.book_rate.phi = 1.0;
        m.inflation.sigma = -0.1;
        m.wage_growth.min = 0.5;
        m.wage_growth.max = 0.1;
        let mut out = Vec::new();
        m.check("macro", &mut out);
        let paths: Vec<&str> = out.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "macro.wage_growth.min",
                "macro.book_rate.phi",
                "macro.inflation.sigma"
            ]
        );
        assert!(out[1].message.contains("not stationary"));
    }
}

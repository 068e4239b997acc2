//! Scenario files: schema, defaults, dated tables, overlays and validation.
//!
//! Two stages, as in ripgrep's configuration: the raw TOML (with its spans, so errors can name
//! file, line and column) is merged across `extends` overlays and `--set` overrides, then
//! deserialised into a [`Scenario`] and validated once. Everything downstream takes a validated
//! `Scenario` and never re-checks input.

pub mod catalog;
pub mod core;
mod core_keys;
pub mod dated;
pub mod docs;
pub mod error;
pub mod load;
pub mod merge;
pub mod overrides;
pub mod schema;
pub mod source;
pub mod validate;
pub mod wage_history;

pub use self::core::{
    AgeBand, CareerParams, Discipline, Fiscal, MonthlyMortality, Mortality, OutcomeParams,
    PopulationParams, RegionParams, RungParams, SimulationParams, TrackRates, TrackShares,
    UniversityParams, Zone,
};
pub use catalog::{Allowed, Certainty, Issue, KeyDoc};
pub use dated::{Dated, DatedEntry};
pub use docs::scenarios_markdown;
pub use error::{Diagnostic, ScenarioError};
pub use load::{from_str, load, Loaded};

use crate::insurance::InsuranceParams;
use crate::macro_paths::MacroParams;
use crate::perception::PerceptionParams;
use crate::policy::PolicyParams;
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

/// A whole scenario, every parameter resolved to a value (defaults filled in).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// The base file this one overlays (already applied once loaded; kept for the manifest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    pub simulation: SimulationParams,
    pub regions: Vec<RegionParams>,
    pub universities: Vec<UniversityParams>,
    pub population: PopulationParams,
    pub careers: CareerParams,
    pub insurance: InsuranceParams,
    pub outcomes: OutcomeParams,
    pub perception: PerceptionParams,
    pub policy: PolicyParams,
    /// `[macro]`: stochastic macro paths (off by default).
    #[serde(rename = "macro")]
    pub macro_paths: MacroParams,
}

impl Default for Scenario {
    /// The embedded default scenario: one university of about 3,000 staff in Sichuan, 40 years
    /// from 2025-01, every rule at its default of docs/RULES.md.
    fn default() -> Self {
        Scenario {
            name: "default".into(),
            description: "One ministry-affiliated university of about 3,000 staff in Sichuan, \
                          40 years from 2025-01, statutory rules throughout."
                .into(),
            extends: None,
            simulation: SimulationParams::default(),
            regions: RegionParams::defaults(),
            universities: UniversityParams::defaults(),
            population: PopulationParams::default(),
            careers: CareerParams::default(),
            insurance: InsuranceParams::default(),
            outcomes: OutcomeParams::default(),
            perception: PerceptionParams::default(),
            policy: PolicyParams::default(),
            macro_paths: MacroParams::default(),
        }
    }
}

impl Scenario {
    /// Docs of every key, paths from the scenario root.
    pub fn key_docs() -> Vec<KeyDoc> {
        let mut v = self::core::key_docs();
        v.extend(
            InsuranceParams::key_docs()
                .into_iter()
                .map(|d| d.prefixed("insurance")),
        );
        v.extend(
            PerceptionParams::key_docs()
                .into_iter()
                .map(|d| d.prefixed("perception")),
        );
        v.extend(
            PolicyParams::key_docs()
                .into_iter()
                .map(|d| d.prefixed("policy")),
        );
        v.extend(
            MacroParams::key_docs()
                .into_iter()
                .map(|d| d.prefixed("macro")),
        );
        v
    }

    /// Index of a region by name.
    pub fn region_index(&self, name: &str) -> Option<usize> {
        self.regions.iter().position(|r| r.name == name)
    }

    /// Cross-field checks over the whole scenario (ranges of single keys are checked from the
    /// catalog by the loader).
    pub fn check(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        validate::check_name(&self.name, &mut out);
        self.check_start(&mut out);
        self::core::check_population(&self.population, &mut out);
        self::core::check_careers(&self.careers, &mut out);
        self.check_regions(&mut out);
        self.insurance.check("insurance", &mut out);
        self.perception.check("perception", &mut out);
        self.policy.check("policy", &mut out);
        self.macro_paths.check("macro", &mut out);
        out
    }

    /// The first month must lie where the wage series and rules mean something: from 1990,
    /// when the pension reforms the rule table describes began, to 2100 (a later start would
    /// extrapolate the average wage for a century and overflow money amounts).
    fn check_start(&self, out: &mut Vec<Issue>) {
        let (lo, hi) = (YearMonth::ym(1990, 1), YearMonth::ym(2100, 12));
        let start = self.simulation.start;
        if start < lo || start > hi {
            out.push(Issue::new(
                "simulation.start",
                format!(
                    "{start} is outside the simulated period: expected a month from {lo} to {hi}"
                ),
            ));
        }
    }

    fn check_regions(&self, out: &mut Vec<Issue>) {
        if self.regions.is_empty() {
            out.push(Issue::new("regions", "at least one region is needed"));
        }
        for (i, r) in self.regions.iter().enumerate() {
            if self.regions[..i].iter().any(|o| o.name == r.name) {
                out.push(Issue::new(
                    format!("regions[{i}].name"),
                    format!("region `{}` is defined twice", r.name),
                ));
            }
            for (key, series) in [
                ("average_wage", &r.average_wage),
                ("calc_base", &r.calc_base),
            ] {
                for p in series.structural_problems() {
                    out.push(Issue::new(format!("regions[{i}].{key}"), p));
                }
                if series.regions().next().is_some() {
                    out.push(Issue::new(
                        format!("regions[{i}].{key}"),
                        "a region's own wage series takes no `region` in its entries",
                    ));
                }
            }
        }
        if self.universities.is_empty() {
            out.push(Issue::new(
                "universities",
                "at least one university is needed",
            ));
        }
        if self.universities.iter().map(|u| u.staff_share).sum::<f64>() <= 0.0 {
            out.push(Issue::new("universities", "the staff shares add up to 0"));
        }
        let names: Vec<&str> = self.regions.iter().map(|r| r.name.as_str()).collect();
        for (i, u) in self.universities.iter().enumerate() {
            if self.region_index(&u.region).is_none() {
                out.push(Issue::new(
                    format!("universities[{i}].region"),
                    format!(
                        "unknown region `{}`; the regions are {}",
                        u.region,
                        names.join(", ")
                    ),
                ));
            }
        }
    }
}

//! The planner's case file (`sisandbox plan CASE.toml`): one person, their record so far, the
//! options to compare and the plan's settings. Parsed with serde (unknown keys are errors) and
//! then checked key by key; every error names the file, the key and what is allowed.

use crate::insurance::{Category, Sex};
use crate::time::YearMonth;
use serde::Deserialize;
use std::path::Path;

/// The track of a post: it decides the pension scheme and the annuity.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// Established post (编内): institution scheme with the occupational annuity.
    Established,
    /// Contract post: enterprise scheme, the enterprise annuity if chosen.
    Contract,
}

/// How the annuity balance is drawn at retirement.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Draw {
    /// By the divisor, every month (the national rule).
    Monthly,
    /// In equal yearly instalments over `instalment_years`.
    Instalments,
    /// All at retirement.
    LumpSum,
}

impl Draw {
    pub fn name(self) -> &'static str {
        match self {
            Draw::Monthly => "monthly",
            Draw::Instalments => "instalments",
            Draw::LumpSum => "lump_sum",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub sex: Sex,
    /// Women's statutory age depends on it; default cadre (academic posts).
    #[serde(default = "cadre")]
    pub category: Category,
    pub birth: YearMonth,
    /// A region of the scenario.
    pub region: String,
    pub track: Track,
    /// Academic title, shown in the outputs.
    #[serde(default)]
    pub title: String,
    /// First month planned (the record below is the record before it).
    pub start: YearMonth,
    /// Monthly wage at `start`, yuan.
    pub wage: f64,
    /// Personal yearly raise beyond general wage growth (seniority and promotions); default
    /// the scenario's `careers.scale_step`.
    #[serde(default)]
    pub career_raise: Option<f64>,
}

fn cadre() -> Category {
    Category::Cadre
}

/// The record before `start`.
#[derive(Clone, Debug, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Record {
    pub contribution_months: i32,
    pub deemed_months: i32,
    /// Ī of the months so far (1.0 when there are none).
    pub average_index: f64,
    pub deemed_index: f64,
    /// Personal-account balance at the end of the year before `start`, yuan.
    pub account_balance: f64,
    /// Annuity balance (occupational or enterprise), yuan.
    pub annuity_balance: f64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Contract staff: join the enterprise annuity (true, false or both).
    pub enterprise_annuity: Vec<bool>,
    /// Contribution base as a share of the wage (flexible base choices), each 0.3 to 1.
    pub base_share: Vec<f64>,
    /// Retirement month as months from the statutory month (within the flexible window).
    pub retire: Vec<i32>,
    pub draw: Vec<Draw>,
    /// Years of the instalment draw.
    pub instalment_years: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            enterprise_annuity: vec![true],
            base_share: vec![1.0],
            retire: vec![0],
            draw: vec![Draw::Monthly],
            instalment_years: 10,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Percentiles of the curves, each 0 to 100.
    pub percentiles: Vec<f64>,
    /// Target replacement rate (of the final wage) whose gap is reported.
    pub target_replacement: Option<f64>,
    pub seed: u64,
    /// Scenario whose rules, regions and `[macro]` processes apply (relative to the case
    /// file); the embedded default when absent.
    pub scenario: Option<String>,
    /// Real yearly discount rate for money's worth; default the scenario's
    /// `outcomes.discount_rate`.
    pub discount_rate: Option<f64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            percentiles: vec![5.0, 25.0, 50.0, 75.0, 95.0],
            target_replacement: None,
            seed: 20_251_125,
            scenario: None,
            discount_rate: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanCase {
    pub person: Person,
    #[serde(default)]
    pub record: Record,
    #[serde(default)]
    pub options: Options,
    #[serde(default)]
    pub plan: Settings,
}

/// The most option combinations compared in one plan.
pub const MAX_OPTIONS: usize = 64;

/// Reads and checks a case file.
pub fn load(path: &Path) -> Result<PlanCase, String> {
    let file = path.display().to_string();
    let bytes = crate::input::read_bounded(path, crate::input::MAX_CONFIG_BYTES)
        .map_err(|e| format!("{file}: cannot read the case file: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{file}: not UTF-8 text"))?;
    parse(&text, &file)
}

/// Parses and checks case text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<PlanCase, String> {
    let mut case: PlanCase = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let place = line.map_or(file.to_string(), |l| format!("{file}:{l}"));
        format!("{place}: {}", e.message().trim())
    })?;
    if case.record.average_index == 0.0 && case.record.contribution_months == 0 {
        case.record.average_index = 1.0;
    }
    if case.record.deemed_index == 0.0 {
        case.record.deemed_index = 1.0;
    }
    let problems = check(&case);
    if problems.is_empty() {
        Ok(case)
    } else {
        Err(problems
            .iter()
            .map(|(k, m)| format!("{file}: `{k}`: {m}"))
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

fn check(c: &PlanCase) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut bad = |k: &str, m: String| out.push((k.to_string(), m));
    let p = &c.person;
    if !(p.wage.is_finite() && p.wage > 0.0 && p.wage <= 1e7) {
        bad(
            "person.wage",
            format!("{}: expected yuan per month above 0", p.wage),
        );
    }
    if let Some(r) = p.career_raise {
        if !(-0.2..=0.3).contains(&r) {
            bad("person.career_raise", format!("{r}: expected -0.2 to 0.3"));
        }
    }
    let age = p.start.months_since(p.birth) / 12;
    if !(16..=70).contains(&age) {
        bad(
            "person.start",
            format!("{}: the person is {age} then; expected 16 to 70", p.start),
        );
    }
    let r = &c.record;
    if r.contribution_months < 0 || r.contribution_months > 12 * 60 {
        bad(
            "record.contribution_months",
            format!("{}: expected 0 to 720", r.contribution_months),
        );
    }
    if r.deemed_months < 0 || r.deemed_months > r.contribution_months {
        bad(
            "record.deemed_months",
            format!("{}: expected 0 to contribution_months", r.deemed_months),
        );
    }
    for (k, v) in [
        ("record.average_index", r.average_index),
        ("record.deemed_index", r.deemed_index),
    ] {
        if !(0.0..=5.0).contains(&v) {
            bad(k, format!("{v}: expected 0 to 5"));
        }
    }
    for (k, v) in [
        ("record.account_balance", r.account_balance),
        ("record.annuity_balance", r.annuity_balance),
    ] {
        if !(v.is_finite() && (0.0..1e9).contains(&v)) {
            bad(k, format!("{v}: expected yuan, 0 or more"));
        }
    }
    let o = &c.options;
    for (k, n) in [
        ("options.enterprise_annuity", o.enterprise_annuity.len()),
        ("options.base_share", o.base_share.len()),
        ("options.retire", o.retire.len()),
        ("options.draw", o.draw.len()),
    ] {
        if n == 0 {
            bad(k, "an empty list: give at least one choice".into());
        }
    }
    for s in &o.base_share {
        if !(0.3..=1.0).contains(s) {
            bad(
                "options.base_share",
                format!("{s}: expected 0.3 to 1 (a share of the wage)"),
            );
        }
    }
    for m in &o.retire {
        if !(-60..=60).contains(m) {
            bad(
                "options.retire",
                format!("{m}: expected -60 to 60 months from the statutory month"),
            );
        }
    }
    if !(1..=40).contains(&o.instalment_years) {
        bad(
            "options.instalment_years",
            format!("{}: expected 1 to 40", o.instalment_years),
        );
    }
    let combos = o.enterprise_annuity.len() * o.base_share.len() * o.retire.len() * o.draw.len();
    if combos > MAX_OPTIONS {
        bad(
            "options",
            format!("{combos} combinations; at most {MAX_OPTIONS}"),
        );
    }
    let s = &c.plan;
    if s.percentiles.is_empty() {
        bad(
            "plan.percentiles",
            "an empty list: give at least one percentile".into(),
        );
    }
    for q in &s.percentiles {
        if !(0.0..=100.0).contains(q) {
            bad("plan.percentiles", format!("{q}: a percentile is 0 to 100"));
        }
    }
    if let Some(t) = s.target_replacement {
        if !(0.0..=3.0).contains(&t) {
            bad("plan.target_replacement", format!("{t}: expected 0 to 3"));
        }
    }
    if let Some(d) = s.discount_rate {
        if !(-0.05..=0.2).contains(&d) {
            bad("plan.discount_rate", format!("{d}: expected -0.05 to 0.2"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = r#"
[person]
sex = "male"
birth = "1998-09"
region = "sichuan"
track = "contract"
start = "2026-09"
wage = 9000
"#;

    #[test]
    fn minimal_case_takes_defaults() {
        let c = parse(MIN, "c.toml").unwrap();
        assert_eq!(c.plan.percentiles, [5.0, 25.0, 50.0, 75.0, 95.0]);
        assert_eq!(c.record.average_index, 1.0);
        assert_eq!(c.options.draw, [Draw::Monthly]);
    }

    #[test]
    fn errors_name_the_key() {
        let e = parse(&format!("{MIN}[plan]\npercentiles = [5, 101]\n"), "c.toml").unwrap_err();
        assert!(
            e.contains("`plan.percentiles`: 101") && e.contains("0 to 100"),
            "{e}"
        );
        let e = parse(&format!("{MIN}[options]\nbase_share = []\n"), "c.toml").unwrap_err();
        assert!(e.contains("options.base_share"), "{e}");
        let e = parse(
            &MIN.replace("wage = 9000", "wage = 9000\nwgae = 1"),
            "c.toml",
        )
        .unwrap_err();
        assert!(e.starts_with("c.toml:") && e.contains("wgae"), "{e}");
        let e = parse(&MIN.replace("\"contract\"", "\"tenured\""), "c.toml").unwrap_err();
        assert!(e.contains("tenured") && e.contains("established"), "{e}");
    }
}

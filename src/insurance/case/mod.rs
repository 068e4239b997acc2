//! The one-person calculator's case file (`sisandbox pension CASE.toml`). The file gives facts;
//! the rules come from the regional rule table for the region and the retirement month. Errors
//! name the file, key, line, value and what is allowed; nothing here panics on input.
//!
//! ```toml
//! [person]
//! sex = "female"            # male | female
//! category = "worker"       # cadre | worker (women's statutory age; optional for men)
//! birth = "1974-06"
//! scheme = "enterprise"     # enterprise | institution
//! retire = "2024-06"        # optional: defaults to the statutory month
//! supplement_rate = 0.001   # optional, 0: per-person 增发 rate (Sichuan, enterprise scheme)
//! supplement_fixed = 0      # optional, 0: fixed part of the 增发, yuan
//! [record]
//! contribution_months = 382 # all months counted, deemed months included
//! deemed_months = 0         # optional, 0
//! pre_account_months = 40   # optional, 0: months before the personal account
//! average_index = 0.935     # Ī of the whole record; or give actual_index to combine it
//! actual_index = 1.80       # optional: Ī of the actual months, combined with deemed_index
//! deemed_index = 1.0        # optional, 1.0: the person's deemed (or pre-account) index
//! account_balance = 150397.22
//! annuity_balance = 0.0     # optional, 0
//! # where the region's rules need them:
//! actual_months_1992_10_to_1998_06 = 24   # Beijing's two-part transitional pension
//! old_method_transitional = 500.0         # Jiangsu's phased transitional pension
//! transitional_pension = 695.5            # Shanghai: the notice's transitional pension
//! old_formula_pension = 7000.0            # institution retirements 2014-10..2024-09 (保低限高)
//! [region]
//! name = "sichuan"          # a region of the table (case and Chinese names accepted)
//! calc_base = 8321          # optional: the base printed on the notice; else the table's
//! # optional overrides of the table's rules, shown as such by --explain:
//! transitional_rate = 0.013
//! ```

mod evaluate;
mod reader;
mod render;
mod sections;
#[cfg(test)]
mod tests;

pub use render::{render_json, render_text};

use super::benefit::Award;
use super::regions::PensionRules;
use super::retirement::Eligibility;
use super::{Category, Scheme, Sex};
use crate::money::Fen;
use crate::scenario::catalog::Certainty;
use crate::time::{Months, YearMonth};
use reader::{line_of, Reader};
use std::path::Path;

/// A problem with a case file, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct CaseError {
    pub file: String,
    /// Dotted key path (`person.scheme`); empty for whole-file problems.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl CaseError {
    fn render(&self) -> String {
        let place = match self.line {
            Some(l) => format!("{}:{l}", self.file),
            None => self.file.clone(),
        };
        if self.path.is_empty() {
            format!("{place}: {}", self.message)
        } else {
            format!("{place}: `{}`: {}", self.path, self.message)
        }
    }
}

/// The person of a case.
#[derive(Clone, Debug, PartialEq)]
pub struct CasePerson {
    pub sex: Sex,
    pub category: Category,
    pub birth: YearMonth,
    pub scheme: Scheme,
    pub retire: Option<YearMonth>,
    /// Per-person 增发 rate and fixed amount (0 unless the notice shows one).
    pub supplement_rate: f64,
    pub supplement_fixed: Fen,
}

/// The contribution record at retirement.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseRecord {
    pub contribution_months: i32,
    pub deemed_months: i32,
    pub pre_account_months: i32,
    /// Ī of the whole record (given, or combined from `actual_index` and `deemed_index`).
    pub average_index: f64,
    pub deemed_index: f64,
    pub account_balance: Fen,
    pub annuity_balance: Fen,
    pub months_1992_10_to_1998_06: Option<i32>,
    pub old_method_transitional: Option<Fen>,
    pub transitional_pension: Option<Fen>,
    pub old_formula_pension: Option<Fen>,
}

/// The region of a case and the rules it overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseRegion {
    /// Canonical name in the regional rule table.
    pub name: String,
    /// The calculation base printed on the notice, if given.
    pub calc_base: Option<Fen>,
    /// Rule keys written in `[region]`, applied over the table's values.
    pub overrides: Vec<RuleOverride>,
}

/// One rule key written in `[region]`: `key = value`, already validated.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleOverride {
    pub key: &'static str,
    pub value: toml::Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub file: String,
    pub person: CasePerson,
    pub record: CaseRecord,
    pub region: CaseRegion,
    /// Lines of the `[record]` and `[region]` headers, for errors found on evaluation.
    pub record_line: Option<usize>,
    pub region_line: Option<usize>,
}

/// Where a rule in force comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleOrigin {
    /// The regional rule table: the region's own entry or the national one.
    Table {
        source: String,
        certainty: Certainty,
        regional: bool,
    },
    /// Written in the case file's `[region]`.
    CaseFile,
    /// The scenario's value, which differs from the table.
    Scenario,
}

/// A rule the award read, with its value and origin.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleNote {
    pub key: &'static str,
    pub value: String,
    pub origin: RuleOrigin,
}

/// The calculator's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseReport {
    pub region: String,
    pub statutory_age: Months,
    pub statutory_month: YearMonth,
    pub retirement_age: Months,
    pub retirement_month: YearMonth,
    pub eligibility: Eligibility,
    /// The calculation base used and where it comes from.
    pub calc_base: Fen,
    pub calc_base_origin: String,
    pub rules: PensionRules,
    /// Every rule key the award read, with value and origin.
    pub notes: Vec<RuleNote>,
    pub award: Award,
}

/// Reads and parses a case file.
pub fn load_case(path: &Path) -> Result<Case, CaseError> {
    let file = path.display().to_string();
    let fail = |e: String| CaseError {
        file: file.clone(),
        path: String::new(),
        line: None,
        message: format!("cannot read the case file: {e}"),
    };
    let bytes = crate::input::read_bounded(path, crate::input::MAX_CONFIG_BYTES)
        .map_err(|e| fail(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".into()))?;
    parse_case(&text, &file)
}

const SECTIONS: &[&str] = &["person", "record", "region"];

/// Parses a case from text; `file` names it in errors.
pub fn parse_case(text: &str, file: &str) -> Result<Case, CaseError> {
    let doc = toml_edit::Document::parse(text).map_err(|e| CaseError {
        file: file.to_string(),
        path: String::new(),
        line: e.span().map(|s| line_of(text, s.start)),
        message: format!("not valid TOML: {}", e.message().trim()),
    })?;
    let r = Reader { file, text };
    let root = doc.as_table();
    r.unknown_keys(root, "", SECTIONS)?;
    let person = r.section(root, "person")?;
    let record = r.section(root, "record")?;
    let region = r.section(root, "region")?;
    let header = |t: &toml_edit::Table| t.span().map(|s| line_of(text, s.start));
    Ok(Case {
        file: file.to_string(),
        record_line: header(record),
        region_line: header(region),
        person: r.person(person)?,
        record: r.record(record)?,
        region: r.region(region)?,
    })
}

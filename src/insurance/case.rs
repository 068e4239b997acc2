//! The one-person calculator's case file (`sisandbox pension CASE.toml`): parsing with errors
//! that name the file, key, line, value and what is allowed, evaluation into an award, and the
//! text and JSON renderings. Never panics on input.
//!
//! ```toml
//! [person]
//! sex = "female"            # male | female
//! category = "worker"       # cadre | worker (women's statutory age; optional for men)
//! birth = "1974-06"
//! scheme = "enterprise"     # enterprise | institution
//! retire = "2024-06"        # optional: defaults to the statutory month
//! [record]
//! contribution_months = 382 # all months counted, deemed months included
//! deemed_months = 0         # optional, 0
//! pre_account_months = 40   # optional, 0: months before personal accounts (average-index form)
//! average_index = 0.935     # Ī of the whole record; or give actual_index to combine it
//! actual_index = 1.80       # optional: Ī of the actual months, combined with deemed_index
//! deemed_index = 1.0        # optional, 1.0: deemed index (deemed-index form)
//! account_balance = 150397.22
//! annuity_balance = 0.0     # optional, 0
//! [region]
//! name = "sichuan"          # optional: take the region's defaults for the keys below
//! calc_base = 8321          # pension calculation base of the retirement year, yuan/month
//! transitional_form = "average-index"   # optional: average-index | deemed-index
//! transitional_rate = 0.013             # optional: k
//! long_service_supplement_rate = 0.001  # optional: 0 when absent
//! years_decimals = 2                    # optional
//! index_decimals = 4                    # optional
//! ```

use super::benefit::{self, Award, AwardInput, AwardRules};
use super::params::{InsuranceParams, TransitionalForm};
use super::retirement::{self, Eligibility, Timing};
use super::{Category, Scheme, Sex};
use crate::money::{format_yuan, yuan_to_fen, Fen};
use crate::time::{Months, YearMonth};
use std::path::Path;
use toml_edit::{Item, Table, Value};

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
}

/// The regional figures of a case.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseRegion {
    pub name: Option<String>,
    pub calc_base: Fen,
    pub transitional_form: Option<TransitionalForm>,
    pub transitional_rate: Option<f64>,
    pub long_service_supplement_rate: f64,
    pub years_decimals: Option<u32>,
    pub index_decimals: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub person: CasePerson,
    pub record: CaseRecord,
    pub region: CaseRegion,
}

/// The calculator's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseReport {
    pub statutory_age: Months,
    pub statutory_month: YearMonth,
    pub retirement_age: Months,
    pub retirement_month: YearMonth,
    pub eligibility: Eligibility,
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
const PERSON_KEYS: &[&str] = &["sex", "category", "birth", "scheme", "retire"];
const RECORD_KEYS: &[&str] = &[
    "contribution_months",
    "deemed_months",
    "pre_account_months",
    "average_index",
    "actual_index",
    "deemed_index",
    "account_balance",
    "annuity_balance",
];
const REGION_KEYS: &[&str] = &[
    "name",
    "calc_base",
    "transitional_form",
    "transitional_rate",
    "long_service_supplement_rate",
    "years_decimals",
    "index_decimals",
];

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
    r.unknown_keys(person, "person", PERSON_KEYS)?;
    r.unknown_keys(record, "record", RECORD_KEYS)?;
    r.unknown_keys(region, "region", REGION_KEYS)?;
    let person = r.person(person)?;
    let record = r.record(record)?;
    let region = r.region(region)?;
    Ok(Case {
        person,
        record,
        region,
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// The closest allowed word, for "did you mean".
fn suggest(word: &str, allowed: &[&str]) -> Option<String> {
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(word, a), *a))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a.to_string())
}

fn quote_list(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
}

impl Reader<'_> {
    fn err(&self, path: &str, span: Option<std::ops::Range<usize>>, message: String) -> CaseError {
        CaseError {
            file: self.file.to_string(),
            path: path.to_string(),
            line: span.map(|s| line_of(self.text, s.start)),
            message,
        }
    }

    fn section<'t>(&self, root: &'t Table, name: &str) -> Result<&'t Table, CaseError> {
        match root.get(name) {
            Some(Item::Table(t)) => Ok(t),
            Some(other) => Err(self.err(name, other.span(), format!("`[{name}]` must be a table"))),
            None => Err(self.err(name, None, format!("the section `[{name}]` is missing"))),
        }
    }

    fn unknown_keys(&self, table: &Table, prefix: &str, allowed: &[&str]) -> Result<(), CaseError> {
        for (key, _) in table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let path = if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{key}")
            };
            let span = table.key(key).and_then(|k| k.span());
            let hint = suggest(key, allowed)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let what = if prefix.is_empty() { "section" } else { "key" };
            return Err(self.err(
                &path,
                span,
                format!(
                    "unknown {what} `{key}`{hint}; allowed: {}",
                    quote_list(allowed)
                ),
            ));
        }
        Ok(())
    }

    fn value<'t>(&self, t: &'t Table, section: &str, key: &str) -> Option<(&'t Value, String)> {
        t.get(key)
            .map(|item| (item.as_value(), format!("{section}.{key}")))
            .and_then(|(v, p)| v.map(|v| (v, p)))
    }

    fn missing(&self, t: &Table, section: &str, key: &str, allowed: &str) -> CaseError {
        let path = format!("{section}.{key}");
        if t.contains_key(key) {
            let span = t.get(key).and_then(|i| i.span());
            return self.err(&path, span, format!("must be a single value: {allowed}"));
        }
        self.err(
            &path,
            t.span(),
            format!("missing field `{key}` in `[{section}]`: {allowed}"),
        )
    }

    fn word(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        allowed: &[&str],
    ) -> Result<Option<String>, CaseError> {
        let Some((v, path)) = self.value(t, section, key) else {
            return if t.contains_key(key) {
                Err(self.missing(t, section, key, &format!("one of {}", quote_list(allowed))))
            } else {
                Ok(None)
            };
        };
        let Some(s) = v.as_str() else {
            return Err(self.err(
                &path,
                v.span(),
                format!(
                    "`{}` is not text; allowed: one of {}",
                    v.to_string().trim(),
                    quote_list(allowed)
                ),
            ));
        };
        let norm = s.trim().to_lowercase().replace('_', "-");
        if let Some(w) = allowed.iter().find(|a| a.replace('_', "-") == norm) {
            return Ok(Some(w.to_string()));
        }
        let hint = suggest(&norm, allowed)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        Err(self.err(
            &path,
            v.span(),
            format!(
                "unknown value \"{s}\"{hint}; allowed: one of {}",
                quote_list(allowed)
            ),
        ))
    }

    fn required_word(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        allowed: &[&str],
    ) -> Result<String, CaseError> {
        self.word(t, section, key, allowed)?.ok_or_else(|| {
            self.missing(t, section, key, &format!("one of {}", quote_list(allowed)))
        })
    }

    fn month(&self, t: &Table, section: &str, key: &str) -> Result<Option<YearMonth>, CaseError> {
        let Some((v, path)) = self.value(t, section, key) else {
            return Ok(None);
        };
        let parsed = match v {
            Value::String(s) => YearMonth::parse(s.value()),
            Value::Integer(i) => YearMonth::parse(&i.value().to_string()),
            other => Err(format!(
                "`{}` is not a month: expected YYYY-MM, e.g. 2025-07",
                other.to_string().trim()
            )),
        };
        parsed.map(Some).map_err(|m| self.err(&path, v.span(), m))
    }

    /// A number within `[min, max]`; integers are accepted where floats are expected.
    fn number(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        min: f64,
        max: f64,
        what: &str,
    ) -> Result<Option<f64>, CaseError> {
        let Some((v, path)) = self.value(t, section, key) else {
            return if t.contains_key(key) {
                Err(self.missing(t, section, key, what))
            } else {
                Ok(None)
            };
        };
        let x = match v {
            Value::Float(f) => *f.value(),
            Value::Integer(i) => *i.value() as f64,
            other => {
                return Err(self.err(
                    &path,
                    v.span(),
                    format!(
                        "`{}` is not a number; allowed: {what}",
                        other.to_string().trim()
                    ),
                ))
            }
        };
        if !x.is_finite() || x < min || x > max {
            return Err(self.err(
                &path,
                v.span(),
                format!("{} is out of range; allowed: {what}", v.to_string().trim()),
            ));
        }
        Ok(Some(x))
    }

    fn required_number(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        min: f64,
        max: f64,
        what: &str,
    ) -> Result<f64, CaseError> {
        self.number(t, section, key, min, max, what)?
            .ok_or_else(|| self.missing(t, section, key, what))
    }

    fn whole(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        max: i64,
        what: &str,
    ) -> Result<Option<i64>, CaseError> {
        let Some(x) = self.number(t, section, key, 0.0, max as f64, what)? else {
            return Ok(None);
        };
        if x.fract() != 0.0 {
            let (_, path) = self.value(t, section, key).expect("present");
            let span = t.get(key).and_then(|i| i.span());
            return Err(self.err(
                &path,
                span,
                format!("{x} is not a whole number; allowed: {what}"),
            ));
        }
        Ok(Some(x as i64))
    }

    /// A money amount in yuan that must not be negative.
    fn balance(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        required: bool,
    ) -> Result<Fen, CaseError> {
        let what = "an amount in yuan, at least 0";
        let Some((v, path)) = self.value(t, section, key) else {
            return if required || t.contains_key(key) {
                Err(self.missing(t, section, key, what))
            } else {
                Ok(0)
            };
        };
        let x = match v {
            Value::Float(f) => *f.value(),
            Value::Integer(i) => *i.value() as f64,
            other => {
                return Err(self.err(
                    &path,
                    v.span(),
                    format!(
                        "`{}` is not a number; allowed: {what}",
                        other.to_string().trim()
                    ),
                ))
            }
        };
        if !x.is_finite() || x > 1e12 {
            return Err(self.err(
                &path,
                v.span(),
                format!("{x} is out of range; allowed: {what}"),
            ));
        }
        if x < 0.0 {
            return Err(self.err(
                &path,
                v.span(),
                format!("negative balance {}; allowed: {what}", v.to_string().trim()),
            ));
        }
        Ok(yuan_to_fen(x))
    }

    fn person(&self, t: &Table) -> Result<CasePerson, CaseError> {
        let s = "person";
        let sex = match self
            .required_word(t, s, "sex", &["male", "female"])?
            .as_str()
        {
            "male" => Sex::Male,
            _ => Sex::Female,
        };
        let category = match self
            .word(t, s, "category", &["cadre", "worker"])?
            .as_deref()
        {
            Some("worker") => Category::Worker,
            Some(_) => Category::Cadre,
            None if sex == Sex::Female => {
                return Err(self.missing(
                    t,
                    s,
                    "category",
                    "one of `cadre`, `worker` (sets a woman's statutory age)",
                ))
            }
            None => Category::Cadre,
        };
        let birth = self
            .month(t, s, "birth")?
            .ok_or_else(|| self.missing(t, s, "birth", "a month YYYY-MM"))?;
        let scheme = match self
            .required_word(t, s, "scheme", &["enterprise", "institution"])?
            .as_str()
        {
            "enterprise" => Scheme::Enterprise,
            _ => Scheme::Institution,
        };
        let retire = self.month(t, s, "retire")?;
        if let Some(r) = retire {
            if r <= birth {
                let span = t.get("retire").and_then(|i| i.span());
                return Err(self.err("person.retire", span, format!("retirement {r} is before birth {birth}; allowed: a month after `person.birth`")));
            }
        }
        Ok(CasePerson {
            sex,
            category,
            birth,
            scheme,
            retire,
        })
    }

    fn record(&self, t: &Table) -> Result<CaseRecord, CaseError> {
        let s = "record";
        let months = "whole number of months, 0 to 1200";
        let contribution = self
            .whole(t, s, "contribution_months", 1200, months)?
            .ok_or_else(|| self.missing(t, s, "contribution_months", months))?
            as i32;
        let deemed = self
            .whole(t, s, "deemed_months", 1200, months)?
            .unwrap_or(0) as i32;
        let pre = self
            .whole(t, s, "pre_account_months", 1200, months)?
            .unwrap_or(0) as i32;
        for (key, m) in [("deemed_months", deemed), ("pre_account_months", pre)] {
            if m > contribution {
                let span = t.get(key).and_then(|i| i.span());
                return Err(self.err(&format!("record.{key}"), span, format!("{m} is more than `contribution_months` = {contribution}; allowed: 0 to {contribution}")));
            }
        }
        let index = "a number 0 to 10";
        let deemed_index = self
            .number(t, s, "deemed_index", 0.0, 10.0, index)?
            .unwrap_or(1.0);
        let average = self.number(t, s, "average_index", 0.0, 10.0, index)?;
        let actual = self.number(t, s, "actual_index", 0.0, 10.0, index)?;
        let average_index = match (average, actual) {
            (Some(a), _) => a,
            (None, Some(x)) => {
                benefit::combined_index(deemed_index, deemed, x, contribution - deemed)
            }
            (None, None) => {
                return Err(self.missing(
                    t,
                    s,
                    "average_index",
                    "a number 0 to 10 (or give `actual_index`)",
                ))
            }
        };
        Ok(CaseRecord {
            contribution_months: contribution,
            deemed_months: deemed,
            pre_account_months: pre,
            average_index,
            deemed_index,
            account_balance: self.balance(t, s, "account_balance", true)?,
            annuity_balance: self.balance(t, s, "annuity_balance", false)?,
        })
    }

    fn region(&self, t: &Table) -> Result<CaseRegion, CaseError> {
        let s = "region";
        let name =
            match self.value(t, s, "name") {
                Some((v, path)) => Some(v.as_str().map(str::to_string).ok_or_else(|| {
                    self.err(&path, v.span(), "must be text, a region name".into())
                })?),
                None => None,
            };
        let calc =
            self.required_number(t, s, "calc_base", 0.01, 1e7, "yuan per month, more than 0")?;
        let form = self
            .word(
                t,
                s,
                "transitional_form",
                &["average-index", "deemed-index"],
            )?
            .map(|w| match w.as_str() {
                "average-index" => TransitionalForm::AverageIndex,
                _ => TransitionalForm::DeemedIndex,
            });
        let share = "a share 0 to 0.05";
        let decimals = |key: &str, max: i64| -> Result<Option<u32>, CaseError> {
            Ok(self
                .whole(t, s, key, max, &format!("whole number 0 to {max}"))?
                .map(|x| x as u32))
        };
        Ok(CaseRegion {
            name,
            calc_base: yuan_to_fen(calc),
            transitional_form: form,
            transitional_rate: self.number(t, s, "transitional_rate", 0.0, 0.05, share)?,
            long_service_supplement_rate: self
                .number(t, s, "long_service_supplement_rate", 0.0, 0.05, share)?
                .unwrap_or(0.0),
            years_decimals: decimals("years_decimals", 6)?,
            index_decimals: decimals("index_decimals", 8)?,
        })
    }
}

impl Case {
    /// The award for this case under `params` (region defaults from `[region] name`, if given,
    /// else the general values; the case's own keys win).
    pub fn evaluate(&self, params: &InsuranceParams) -> CaseReport {
        let p = &self.person;
        let rp = &params.retirement;
        let statutory_age = retirement::statutory_age(p.birth, p.sex, p.category, rp);
        let statutory_month = retirement::statutory_month(p.birth, p.sex, p.category, rp);
        let retire = p.retire.unwrap_or(statutory_month);
        let age = Months(retire.months_since(p.birth));
        let eligibility = retirement::eligibility(
            p.birth,
            p.sex,
            p.category,
            retire,
            self.record.contribution_months,
            rp,
        );
        let region = self.region.name.as_deref().unwrap_or("");
        let rates = params.resolve(retire, region);
        let mut rules = AwardRules::from_rates(&rates, &params.benefit);
        if self.region.name.is_none() {
            rules.supplement_rate = 0.0;
        }
        let g = &self.region;
        rules.transitional_form = g.transitional_form.unwrap_or(rules.transitional_form);
        rules.transitional_rate = g.transitional_rate.unwrap_or(rules.transitional_rate);
        if g.long_service_supplement_rate > 0.0 || g.name.is_none() {
            rules.supplement_rate = g.long_service_supplement_rate;
        }
        rules.years_decimals = g.years_decimals.unwrap_or(rules.years_decimals);
        rules.index_decimals = g.index_decimals.unwrap_or(rules.index_decimals);
        let r = &self.record;
        let input = AwardInput {
            scheme: p.scheme,
            retire,
            age,
            calc_base: g.calc_base,
            contribution_months: r.contribution_months,
            deemed_months: r.deemed_months,
            pre_account_months: r.pre_account_months,
            average_index: r.average_index,
            deemed_index: r.deemed_index,
            account_balance: r.account_balance,
            annuity_balance: r.annuity_balance,
            required_months: eligibility.required_months,
        };
        let mut award = benefit::award(&input, &rules, &params.benefit);
        award.eligible = eligibility.eligible;
        CaseReport {
            statutory_age,
            statutory_month,
            retirement_age: age,
            retirement_month: retire,
            eligibility,
            award,
        }
    }
}

fn timing_word(t: Timing) -> &'static str {
    match t {
        Timing::Early => "flexible early",
        Timing::Statutory => "statutory",
        Timing::Deferred => "deferred",
    }
}

fn divisor_text(report: &CaseReport) -> String {
    let d = report.award.divisor.normalize().to_string();
    if d.contains('.') {
        d
    } else {
        format!("{d}.0")
    }
}

/// The plain report; with `explain`, each component's arithmetic, rule and source.
pub fn render_text(report: &CaseReport, explain: bool) -> String {
    let a = &report.award;
    let e = &report.eligibility;
    let mut out = String::new();
    out.push_str(&format!(
        "Statutory retirement age: {} (month {})\n",
        report.statutory_age, report.statutory_month
    ));
    out.push_str(&format!(
        "Retirement: {} at age {} ({})\n",
        report.retirement_month,
        report.retirement_age,
        timing_word(e.timing)
    ));
    out.push_str(&format!("Divisor: {}\n", divisor_text(report)));
    out.push_str(&format!(
        "Eligible: {} ({})\n",
        if e.eligible { "yes" } else { "no" },
        e.reason
    ));
    if explain {
        out.push_str(&format!(
            "Contribution years N = {}, average index Ī = {}\n",
            a.years.normalize(),
            a.index.normalize()
        ));
    }
    let rows = [
        ("basic", "Basic pension", a.basic),
        ("personal", "Personal account", a.personal),
        ("transitional", "Transitional", a.transitional),
        ("annuity", "Annuity", a.annuity),
        ("supplement", "Supplement", a.supplement),
        ("total", "Total", a.total),
    ];
    for (key, label, fen) in rows {
        out.push_str(&format!("{label:<18}{:>12}\n", format_yuan(fen)));
        if explain {
            if let Some(t) = a.trace.iter().find(|t| t.component == key) {
                out.push_str(&format!(
                    "    {}\n    rule: {}; source: {}\n",
                    t.arithmetic, t.rule, t.source
                ));
            }
        }
    }
    out
}

/// One JSON object; money in yuan as numbers with two decimals.
pub fn render_json(report: &CaseReport) -> String {
    let a = &report.award;
    let s = |x: String| serde_json::Value::String(x).to_string();
    format!(
        "{{\"retirement_age\":{},\"retirement_month\":{},\"statutory_age\":{},\"statutory_month\":{},\"divisor\":{},\"eligible\":{},\"basic\":{},\"personal\":{},\"transitional\":{},\"annuity\":{},\"supplement\":{},\"total\":{}}}",
        s(report.retirement_age.to_string()),
        s(report.retirement_month.to_string()),
        s(report.statutory_age.to_string()),
        s(report.statutory_month.to_string()),
        divisor_text(report),
        report.eligibility.eligible,
        format_yuan(a.basic),
        format_yuan(a.personal),
        format_yuan(a.transitional),
        format_yuan(a.annuity),
        format_yuan(a.supplement),
        format_yuan(a.total),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const E1: &str = r#"
[person]
sex = "female"
category = "worker"
birth = "1974-06"
scheme = "enterprise"
retire = "2024-06"
[record]
contribution_months = 382
deemed_months = 0
pre_account_months = 40
average_index = 0.935
deemed_index = 1.0
account_balance = 150397.22
annuity_balance = 0.0
[region]
calc_base = 8321
transitional_form = "average-index"
transitional_rate = 0.013
long_service_supplement_rate = 0.001
years_decimals = 2
"#;

    fn err(text: &str) -> String {
        parse_case(text, "bad.toml").unwrap_err().to_string()
    }

    #[test]
    fn e1_parses_and_evaluates() {
        let case = parse_case(E1, "e1.toml").unwrap();
        let rep = case.evaluate(&InsuranceParams::default());
        assert_eq!(rep.retirement_age.to_string(), "50y0m");
        assert_eq!(rep.award.total, 392_992);
        let json = render_json(&rep);
        assert!(json.contains("\"total\":3929.92"), "{json}");
        assert!(json.contains("\"divisor\":195.0"), "{json}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["retirement_month"], "2024-06");
        assert_eq!(v["eligible"], true);
        let text = render_text(&rep, true);
        assert!(
            text.contains("3929.92") && text.contains("国发〔2005〕38号"),
            "{text}"
        );
    }

    #[test]
    fn missing_field_names_key_and_section() {
        let e = err(&E1.replace("account_balance = 150397.22\n", ""));
        assert!(
            e.contains("bad.toml:")
                && e.contains("`record.account_balance`")
                && e.contains("missing field"),
            "{e}"
        );
    }

    #[test]
    fn retirement_before_birth() {
        let e = err(&E1.replace("retire = \"2024-06\"", "retire = \"1970-01\""));
        assert!(
            e.contains("bad.toml:7") && e.contains("before birth"),
            "{e}"
        );
    }

    #[test]
    fn negative_balance_and_unknown_scheme() {
        let e = err(&E1.replace("150397.22", "-5.0"));
        assert!(
            e.contains("`record.account_balance`") && e.contains("negative balance -5.0"),
            "{e}"
        );
        let e = err(&E1.replace("\"enterprise\"", "\"enterprize\""));
        assert!(
            e.contains("bad.toml:6")
                && e.contains("\"enterprize\"")
                && e.contains("did you mean `enterprise`"),
            "{e}"
        );
    }

    #[test]
    fn unknown_key_with_hint_and_bad_toml() {
        let e = err(&E1.replace("calc_base", "calc_bse"));
        assert!(
            e.contains("`region.calc_bse`") && e.contains("did you mean `calc_base`"),
            "{e}"
        );
        let e = err(&E1.replace("[region]", "[regoin]"));
        assert!(e.contains("did you mean `region`"), "{e}");
        let e = err("[person\nsex=");
        assert!(e.contains("not valid TOML"), "{e}");
        let e = err(&E1.replace("contribution_months = 382", "contribution_months = 382.5"));
        assert!(e.contains("not a whole number"), "{e}");
        let e = err(&E1.replace("birth = \"1974-06\"", "birth = \"June\""));
        assert!(e.contains("`person.birth`") && e.contains("YYYY-MM"), "{e}");
    }

    #[test]
    fn statutory_month_is_the_default_and_region_name_gives_defaults() {
        let text = E1
            .replace("retire = \"2024-06\"\n", "")
            .replace("transitional_form = \"average-index\"\n", "")
            .replace("long_service_supplement_rate = 0.001\n", "")
            .replace("calc_base", "name = \"sichuan\"\ncalc_base");
        let rep = parse_case(&text, "x")
            .unwrap()
            .evaluate(&InsuranceParams::default());
        assert_eq!(rep.retirement_month, YearMonth::ym(2024, 6));
        assert_eq!(
            rep.award.total, 392_992,
            "Sichuan defaults: average-index form and supplement"
        );
    }
}

//! The three sections of a case file: the person, the record and the region.

use super::reader::{quote_list, Reader};
use super::{CaseError, CasePerson, CaseRecord, CaseRegion, RuleOverride};
use crate::insurance::regions::{
    BasicForm, ComponentRounding, DeemedIndexRule, DivisorConvention, RuleTable, SupplementForm,
    TotalRounding, TransitionalForm, YearsBasis,
};
use crate::insurance::{Category, Scheme, Sex};
use crate::money::{yuan_to_fen, Fen};
use toml_edit::Table;

const PERSON_KEYS: &[&str] = &[
    "sex",
    "category",
    "birth",
    "scheme",
    "retire",
    "supplement_rate",
    "supplement_fixed",
];
const RECORD_KEYS: &[&str] = &[
    "contribution_months",
    "deemed_months",
    "pre_account_months",
    "average_index",
    "actual_index",
    "deemed_index",
    "account_balance",
    "annuity_balance",
    "actual_months_1992_10_to_1998_06",
    "old_method_transitional",
    "transitional_pension",
    "old_formula_pension",
];

/// A rule of the table a case may override in `[region]`, with what it allows.
enum Kind {
    Word(&'static [&'static str]),
    Number(f64, f64, &'static str),
    Decimals,
}

const OVERRIDES: &[(&str, Kind)] = &[
    ("transitional_form", Kind::Word(TransitionalForm::NAMES)),
    ("deemed_index", Kind::Word(DeemedIndexRule::NAMES)),
    ("transitional_years", Kind::Word(YearsBasis::NAMES)),
    (
        "transitional_rate",
        Kind::Number(0.0, 0.05, "a share 0 to 0.05"),
    ),
    (
        "institution_transitional_rate",
        Kind::Number(0.0, 0.05, "a share 0 to 0.05"),
    ),
    (
        "transitional_phase_in",
        Kind::Number(0.0, 1.0, "a share 0 to 1"),
    ),
    ("years_decimals", Kind::Decimals),
    ("index_decimals", Kind::Decimals),
    ("divisor_convention", Kind::Word(DivisorConvention::NAMES)),
    ("basic_form", Kind::Word(BasicForm::NAMES)),
    ("component_rounding", Kind::Word(ComponentRounding::NAMES)),
    ("total_rounding", Kind::Word(TotalRounding::NAMES)),
    ("supplement_form", Kind::Word(SupplementForm::NAMES)),
    (
        "adjustment_base",
        Kind::Number(0.0, 10_000.0, "yuan per month, 0 to 10000"),
    ),
    (
        "adjustment_per_index_year",
        Kind::Number(0.0, 1_000.0, "yuan per month, 0 to 1000"),
    ),
    (
        "flat_subsidy",
        Kind::Number(0.0, 10_000.0, "yuan per month, 0 to 10000"),
    ),
];

impl Reader<'_> {
    pub(super) fn person(&self, t: &Table) -> Result<CasePerson, CaseError> {
        let s = "person";
        self.unknown_keys(t, s, PERSON_KEYS)?;
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
        let supplement_rate = self
            .number(t, s, "supplement_rate", 0.0, 0.05, "a share 0 to 0.05")?
            .unwrap_or(0.0);
        let supplement_fixed = self.balance(t, s, "supplement_fixed", false)?;
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
            supplement_rate,
            supplement_fixed,
        })
    }

    pub(super) fn record(&self, t: &Table) -> Result<CaseRecord, CaseError> {
        let s = "record";
        self.unknown_keys(t, s, RECORD_KEYS)?;
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
            (None, Some(x)) => crate::insurance::benefit::combined_index(
                deemed_index,
                deemed,
                x,
                contribution - deemed,
            ),
            (None, None) => {
                return Err(self.missing(
                    t,
                    s,
                    "average_index",
                    "a number 0 to 10 (or give `actual_index`)",
                ))
            }
        };
        let window = self
            .whole(
                t,
                s,
                "actual_months_1992_10_to_1998_06",
                69,
                "whole number of months, 0 to 69",
            )?
            .map(|m| m as i32);
        let fact = |key: &str| -> Result<Option<Fen>, CaseError> {
            if t.contains_key(key) {
                self.balance(t, s, key, true).map(Some)
            } else {
                Ok(None)
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
            months_1992_10_to_1998_06: window,
            old_method_transitional: fact("old_method_transitional")?,
            transitional_pension: fact("transitional_pension")?,
            old_formula_pension: fact("old_formula_pension")?,
        })
    }

    pub(super) fn region(&self, t: &Table) -> Result<CaseRegion, CaseError> {
        let s = "region";
        let mut allowed: Vec<&str> = vec!["name", "calc_base"];
        allowed.extend(OVERRIDES.iter().map(|(k, _)| *k));
        if t.contains_key("long_service_supplement_rate") {
            let span = t.key("long_service_supplement_rate").and_then(|k| k.span());
            return Err(self.err(
                "region.long_service_supplement_rate",
                span,
                "the 增发 rate is a per-person fact of the enterprise scheme: write it as `supplement_rate` in `[person]`".into(),
            ));
        }
        self.unknown_keys(t, s, &allowed)?;
        let table = RuleTable::builtin();
        let known = quote_list(&table.names());
        let name = match self.value(t, s, "name") {
            Some((v, path)) => {
                let text = v.as_str().ok_or_else(|| {
                    self.err(
                        &path,
                        v.span(),
                        format!("must be text, a region name; known regions: {known}"),
                    )
                })?;
                table
                    .canonical(text)
                    .map_err(|e| self.err(&path, v.span(), e.to_string()))?
                    .to_string()
            }
            None => {
                return Err(self.missing(
                    t,
                    s,
                    "name",
                    &format!("a region name; known regions: {known}"),
                ))
            }
        };
        let calc_base = self
            .number(t, s, "calc_base", 0.01, 1e7, "yuan per month, more than 0")?
            .map(yuan_to_fen);
        let mut overrides = Vec::new();
        for (key, kind) in OVERRIDES {
            let value = match kind {
                Kind::Word(words) => self
                    .word(t, s, key, words)?
                    .map(|w| toml::Value::String(w.replace('-', "_"))),
                Kind::Number(min, max, what) => self
                    .number(t, s, key, *min, *max, what)?
                    .map(toml::Value::Float),
                Kind::Decimals => self
                    .whole(t, s, key, 12, "whole number 0 to 12 (12: unrounded)")?
                    .map(toml::Value::Integer),
            };
            if let Some(value) = value {
                overrides.push(RuleOverride { key, value });
            }
        }
        Ok(CaseRegion {
            name,
            calc_base,
            overrides,
        })
    }
}

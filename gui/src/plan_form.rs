//! The planner's form: one person's case as text fields with the keys of a case file
//! (`scenarios/plans/*.toml`, docs/PLANNER.md §1), filled from a case (`CaseForm::from_case`)
//! and written back as the case file's TOML (`CaseForm::to_toml`), which the core's case
//! parser then checks. Split from `planner`, which runs the case and keeps the result.

use crate::i18n::{Lang, Msg};
use sisandbox::insurance::{Category, Sex};
use sisandbox::plan::{Draw, PlanCase, Track};

/// The case as typed: every field is text (numbers are checked when the case is built), the
/// choices are words of the case file.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseForm {
    pub sex: String,
    pub category: String,
    pub track: String,
    /// `both`, `yes` or `no`: the enterprise annuity options of a contract post.
    pub enterprise_annuity: String,
    /// Monthly, instalments, lump sum.
    pub draw: [bool; 3],
    /// The text fields, by case-file key (see [`TEXT_FIELDS`]).
    pub text: std::collections::BTreeMap<&'static str, String>,
}

/// How a text field's value is written into the case file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Month,
    Number,
    Integer,
    /// A list of numbers separated by commas or spaces.
    Numbers,
    Integers,
}

/// The text fields of the form: case-file key, kind, label, required.
pub const TEXT_FIELDS: [(&str, Kind, Msg, bool); 18] = [
    ("person.birth", Kind::Month, Msg::PlBirth, true),
    ("person.region", Kind::Text, Msg::PlRegion, true),
    ("person.title", Kind::Text, Msg::PlTitle, false),
    ("person.start", Kind::Month, Msg::PlStart, true),
    ("person.wage", Kind::Number, Msg::PlWage, true),
    (
        "person.career_raise",
        Kind::Number,
        Msg::PlCareerRaise,
        false,
    ),
    (
        "record.contribution_months",
        Kind::Integer,
        Msg::PlContribMonths,
        false,
    ),
    (
        "record.deemed_months",
        Kind::Integer,
        Msg::PlDeemedMonths,
        false,
    ),
    (
        "record.average_index",
        Kind::Number,
        Msg::PlAverageIndex,
        false,
    ),
    (
        "record.deemed_index",
        Kind::Number,
        Msg::PlDeemedIndex,
        false,
    ),
    (
        "record.account_balance",
        Kind::Number,
        Msg::PlAccount,
        false,
    ),
    (
        "record.annuity_balance",
        Kind::Number,
        Msg::PlAnnuityBalance,
        false,
    ),
    ("options.base_share", Kind::Numbers, Msg::PlBaseShare, false),
    ("options.retire", Kind::Integers, Msg::PlRetire, false),
    (
        "options.instalment_years",
        Kind::Integer,
        Msg::PlInstalmentYears,
        false,
    ),
    ("plan.percentiles", Kind::Numbers, Msg::PlPercentiles, false),
    (
        "plan.target_replacement",
        Kind::Number,
        Msg::PlTarget,
        false,
    ),
    ("plan.seed", Kind::Integer, Msg::PlSeed, false),
];

/// The draw words, in the order of [`CaseForm::draw`].
pub const DRAWS: [Draw; 3] = [Draw::Monthly, Draw::Instalments, Draw::LumpSum];

impl Default for CaseForm {
    /// A new contract lecturer (the example `scenarios/plans/new-hire.toml`).
    fn default() -> Self {
        let mut text = std::collections::BTreeMap::new();
        for (k, v) in [
            ("person.birth", "1998-03"),
            ("person.region", "sichuan"),
            ("person.title", "lecturer"),
            ("person.start", "2026-09"),
            ("person.wage", "8200"),
            ("options.base_share", "1.0, 0.8"),
            ("options.retire", "-36, 0, 36"),
            ("options.instalment_years", "10"),
            ("plan.percentiles", "5, 25, 50, 75, 95"),
            ("plan.seed", "20251125"),
        ] {
            text.insert(k, v.to_string());
        }
        for (k, ..) in TEXT_FIELDS {
            text.entry(k).or_default();
        }
        text.insert("plan.scenario", String::new());
        CaseForm {
            sex: "female".into(),
            category: "cadre".into(),
            track: "contract".into(),
            enterprise_annuity: "both".into(),
            draw: [true, true, true],
            text,
        }
    }
}

fn num_text(x: f64) -> String {
    format!("{x}")
}

fn list_text<T: std::fmt::Display>(v: &[T]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl CaseForm {
    /// The text of field `key` (empty when there is none).
    pub fn get(&self, key: &str) -> &str {
        self.text.get(key).map_or("", String::as_str)
    }

    pub fn field_mut(&mut self, key: &'static str) -> &mut String {
        self.text.entry(key).or_default()
    }

    /// The form of a case read from a file.
    pub fn from_case(c: &PlanCase) -> CaseForm {
        let mut f = CaseForm {
            sex: match c.person.sex {
                Sex::Male => "male",
                Sex::Female => "female",
            }
            .into(),
            category: match c.person.category {
                Category::Cadre => "cadre",
                Category::Worker => "worker",
            }
            .into(),
            track: match c.person.track {
                Track::Established => "established",
                Track::Contract => "contract",
            }
            .into(),
            enterprise_annuity: match c.options.enterprise_annuity.as_slice() {
                [true] => "yes",
                [false] => "no",
                _ => "both",
            }
            .into(),
            draw: DRAWS.map(|d| c.options.draw.contains(&d)),
            text: Default::default(),
        };
        let r = &c.record;
        let mut put = |k: &'static str, v: String| {
            f.text.insert(k, v);
        };
        put("person.birth", c.person.birth.to_string());
        put("person.region", c.person.region.clone());
        put("person.title", c.person.title.clone());
        put("person.start", c.person.start.to_string());
        put("person.wage", num_text(c.person.wage));
        put(
            "person.career_raise",
            c.person.career_raise.map(num_text).unwrap_or_default(),
        );
        put(
            "record.contribution_months",
            r.contribution_months.to_string(),
        );
        put("record.deemed_months", r.deemed_months.to_string());
        put("record.average_index", num_text(r.average_index));
        put("record.deemed_index", num_text(r.deemed_index));
        put("record.account_balance", num_text(r.account_balance));
        put("record.annuity_balance", num_text(r.annuity_balance));
        put("options.base_share", list_text(&c.options.base_share));
        put("options.retire", list_text(&c.options.retire));
        put(
            "options.instalment_years",
            c.options.instalment_years.to_string(),
        );
        put("plan.percentiles", list_text(&c.plan.percentiles));
        put(
            "plan.target_replacement",
            c.plan.target_replacement.map(num_text).unwrap_or_default(),
        );
        put("plan.seed", c.plan.seed.to_string());
        put("plan.scenario", c.plan.scenario.clone().unwrap_or_default());
        f
    }

    /// The case-file text of the form, or the fields that are not numbers (key, message).
    pub fn to_toml(&self, lang: Lang) -> Result<String, Vec<String>> {
        use toml_edit::{value, Array, DocumentMut, Item, Table};
        let mut doc = DocumentMut::new();
        let mut problems = Vec::new();
        for t in ["person", "record", "options", "plan"] {
            doc[t] = Item::Table(Table::new());
        }
        doc["person"]["sex"] = value(self.sex.as_str());
        doc["person"]["category"] = value(self.category.as_str());
        doc["person"]["track"] = value(self.track.as_str());
        let not_number = |k: &str, t: &str| match lang {
            Lang::En => format!("`{k}`: `{t}` is not a number"),
            Lang::Zh => format!("`{k}`：`{t}` 不是数字"),
        };
        for (k, kind, _, _) in TEXT_FIELDS.iter().copied().chain([(
            "plan.scenario",
            Kind::Text,
            Msg::PlScenario,
            false,
        )]) {
            let text = self.get(k).trim();
            if text.is_empty() {
                continue;
            }
            let (s, name) = k.split_once('.').unwrap_or(("plan", k));
            let item = match kind {
                Kind::Text | Kind::Month => Some(value(text)),
                Kind::Number => parse_f64(text).map(value),
                Kind::Integer => text.parse::<i64>().ok().map(value),
                Kind::Numbers | Kind::Integers => {
                    let mut a = Array::new();
                    let mut ok = true;
                    for w in text
                        .split([',', ' ', '，', ';', '；'])
                        .filter(|w| !w.is_empty())
                    {
                        if kind == Kind::Integers {
                            match w.parse::<i64>() {
                                Ok(i) => a.push(i),
                                Err(_) => ok = false,
                            }
                        } else {
                            match parse_f64(w) {
                                Some(x) => a.push(x),
                                None => ok = false,
                            }
                        }
                    }
                    ok.then(|| value(a))
                }
            };
            match item {
                Some(i) => doc[s][name] = i,
                None => problems.push(not_number(k, text)),
            }
        }
        if self.track == "contract" {
            let mut a = Array::new();
            match self.enterprise_annuity.as_str() {
                "yes" => a.push(true),
                "no" => a.push(false),
                _ => {
                    a.push(true);
                    a.push(false);
                }
            }
            doc["options"]["enterprise_annuity"] = value(a);
        }
        let mut draws = Array::new();
        for (on, d) in self.draw.iter().zip(DRAWS) {
            if *on {
                draws.push(d.name());
            }
        }
        doc["options"]["draw"] = value(draws);
        if problems.is_empty() {
            Ok(doc.to_string())
        } else {
            Err(problems)
        }
    }
}

/// A number as typed: `8200`, `8,200` (thousands separators), `0.8`.
fn parse_f64(t: &str) -> Option<f64> {
    t.replace(['_'], "")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

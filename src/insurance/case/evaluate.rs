//! A case's award: the rules of the region and retirement month from the regional rule table,
//! the case's own overrides on top, the facts checked against what those rules need.

use super::{Case, CaseError, CaseReport, RuleNote, RuleOrigin};
use crate::insurance::benefit::{self, AwardInput};
use crate::insurance::params::InsuranceParams;
use crate::insurance::regions::RuleTable;
use crate::insurance::retirement;
use crate::money::{format_yuan, yuan_to_fen, Fen};
use crate::time::{Months, YearMonth};

impl Case {
    fn error(&self, path: &str, line: Option<usize>, message: String) -> CaseError {
        CaseError {
            file: self.file.clone(),
            path: path.to_string(),
            line,
            message,
        }
    }

    /// The award for this case under `params` (whose regional defaults are the rule table):
    /// the rules in force for `[region] name` at the retirement month, the case's `[region]`
    /// keys over them. Facts the rules need and the file lacks are errors naming the key.
    pub fn evaluate(&self, params: &InsuranceParams) -> Result<CaseReport, CaseError> {
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
        let region = self.region.name.as_str();
        let mut rules = params.pension_rules(retire, region);
        for o in &self.region.overrides {
            rules
                .set(o.key, &o.value)
                .map_err(|m| self.error(&format!("region.{}", o.key), self.region_line, m))?;
        }
        let (calc_base, calc_base_origin) = self.calc_base(retire)?;
        let r = &self.record;
        let input = AwardInput {
            scheme: p.scheme,
            retire,
            age,
            calc_base,
            contribution_months: r.contribution_months,
            deemed_months: r.deemed_months,
            pre_account_months: r.pre_account_months,
            average_index: r.average_index,
            deemed_index: r.deemed_index,
            account_balance: r.account_balance,
            annuity_balance: r.annuity_balance,
            required_months: eligibility.required_months,
            supplement_rate: p.supplement_rate,
            supplement_fixed: p.supplement_fixed,
            months_1992_10_to_1998_06: r.months_1992_10_to_1998_06,
            old_method_transitional: r.old_method_transitional,
            given_transitional: r.transitional_pension,
            old_formula_pension: r.old_formula_pension,
        };
        if let Some(m) = benefit::missing_facts(&input, &rules, &params.benefit).first() {
            return Err(self.error(
                m.key,
                self.record_line,
                format!(
                    "missing: the rules of {region} for a retirement in {retire} need it ({})",
                    m.why
                ),
            ));
        }
        let mut award = benefit::award_explained(&input, &rules, &params.benefit);
        award.eligible = eligibility.eligible;
        let notes = self.notes(&award, &rules, retire);
        Ok(CaseReport {
            region: region.to_string(),
            statutory_age,
            statutory_month,
            retirement_age: age,
            retirement_month: retire,
            eligibility,
            calc_base,
            calc_base_origin,
            rules,
            notes,
            award,
        })
    }

    /// The calculation base: the notice's when the case gives one, else the table's for the
    /// retirement year. Before a year's base is published a retirement is awarded provisionally
    /// on the previous year's (预核定); older bases are not used.
    fn calc_base(&self, retire: YearMonth) -> Result<(Fen, String), CaseError> {
        if let Some(c) = self.region.calc_base {
            return Ok((
                c,
                "case file ([region] calc_base, as printed on the notice)".into(),
            ));
        }
        let table = RuleTable::builtin();
        let region = self.region.name.as_str();
        let found = table
            .entry(|r| &r.calc_base, region, retire)
            .filter(|(e, own)| *own && e.from.is_some_and(|f| retire.year() - f.year() <= 1));
        match found {
            Some((e, _)) => {
                let year = e.from.map_or(retire.year(), |f| f.year());
                let provisional = if year < retire.year() {
                    format!(
                        "; provisional (预核定): the {} base is not in the table, the {year} base applies until it is published",
                        retire.year()
                    )
                } else {
                    String::new()
                };
                Ok((
                    yuan_to_fen(e.value),
                    format!("{}{provisional}", e.source),
                ))
            }
            None => Err(self.error(
                "region.calc_base",
                self.region_line,
                format!(
                    "missing: the table has no calculation base of {region} for {}; give the base printed on the notice, yuan per month",
                    retire.year()
                ),
            )),
        }
    }

    /// Every rule key the award read, with its value and where it comes from.
    fn notes(
        &self,
        award: &benefit::Award,
        rules: &crate::insurance::regions::PensionRules,
        retire: YearMonth,
    ) -> Vec<RuleNote> {
        let table = RuleTable::builtin();
        let mut keys: Vec<&'static str> = Vec::new();
        for line in &award.trace {
            for k in &line.keys {
                if !keys.contains(k) {
                    keys.push(k);
                }
            }
        }
        keys.into_iter()
            .filter_map(|key| {
                let value = rules.value_text(key)?;
                let origin = if self.region.overrides.iter().any(|o| o.key == key) {
                    RuleOrigin::CaseFile
                } else {
                    match table.in_force_text(key, &self.region.name, retire) {
                        Some((e, regional)) if same_value(&e.value, &value) => RuleOrigin::Table {
                            source: e.source,
                            certainty: e.certainty,
                            regional,
                        },
                        _ => RuleOrigin::Scenario,
                    }
                };
                Some(RuleNote { key, value, origin })
            })
            .collect()
    }
}

/// Whether a table value and a resolved value are the same (money is printed in yuan with two
/// decimals by the rules, as a float by the table).
fn same_value(table: &str, resolved: &str) -> bool {
    if table == resolved {
        return true;
    }
    match (table.parse::<f64>(), resolved.parse::<f64>()) {
        (Ok(a), Ok(b)) => format_yuan(yuan_to_fen(a)) == format_yuan(yuan_to_fen(b)),
        _ => false,
    }
}

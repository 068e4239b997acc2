//! The rules an audit checks, read from the scenario's parameters (`insurance::params` through
//! [`RatesAt`], the regional average wage of `[[regions]]`) and computed with the project's own
//! insurance functions, never restated here. Sources are read from the key catalogue.

use super::records::ITEMS;
use crate::insurance::base::{self, BaseLimits};
use crate::insurance::contributions::{self, Membership};
use crate::insurance::regions::{InForce, RuleTable, KEYS};
use crate::insurance::{RatesAt, Scheme};
use crate::money::{yuan_to_fen, Fen};
use crate::scenario::Scenario;
use crate::time::YearMonth;
use std::collections::HashMap;

/// Everything in force in one month of one region that the audit needs.
#[derive(Clone, Debug)]
pub struct MonthRules {
    pub month: YearMonth,
    pub rates: RatesAt,
    /// First month of the base year containing `month`.
    pub year_start: YearMonth,
    /// Limits of this base year (from the average wage of the calendar year before it).
    pub limits: BaseLimits,
    /// Limits of the previous base year (what a base declared before publication used).
    pub old_limits: BaseLimits,
    /// The average wage behind `limits`, fen, and its year.
    pub average_wage: Fen,
    pub average_wage_year: i32,
    /// Whether `limits` had been published by `month` (else contributions meanwhile use the
    /// old ones and a make-up is due on publication).
    pub published: bool,
    /// The official source of each contribution rate as applied to this region in this month
    /// (`sisandbox rates`'s lines: a region's own entry where it has one, such as Sichuan's
    /// unemployment rates, else the national one), by scenario key.
    pub rate_sources: Vec<(&'static str, String)>,
}

/// The rule book of one region, resolved month by month and cached.
#[derive(Debug)]
pub struct RuleBook<'a> {
    scenario: &'a Scenario,
    region: String,
    cache: HashMap<YearMonth, MonthRules>,
    sources: HashMap<String, &'static str>,
    /// A newly published average wage (year, fen) replacing the scenario's figure.
    average_wage_override: Option<(i32, Fen)>,
    /// A new work-injury rate (ppm) in force from a month on.
    work_injury_override: Option<(YearMonth, i64)>,
}

impl<'a> RuleBook<'a> {
    /// The rules of `region`; an unknown region is refused with the list of known ones.
    pub fn new(scenario: &'a Scenario, region: &str) -> Result<Self, String> {
        if scenario.region_index(region).is_none() {
            let names: Vec<&str> = scenario.regions.iter().map(|r| r.name.as_str()).collect();
            return Err(format!(
                "--region {region}: unknown region; the scenario has: {}",
                names.join(", ")
            ));
        }
        let sources = Scenario::key_docs()
            .into_iter()
            .map(|d| (d.path, d.source))
            .collect();
        Ok(RuleBook {
            scenario,
            region: region.to_string(),
            cache: HashMap::new(),
            sources,
            average_wage_override: None,
            work_injury_override: None,
        })
    }

    /// Uses a newly published average wage for `year` (the make-up after publication).
    pub fn set_average_wage(&mut self, year: i32, wage: Fen) {
        self.average_wage_override = Some((year, wage));
        self.cache.clear();
    }

    /// Uses a new work-injury rate from `from` on (the April rate change).
    pub fn set_work_injury_rate(&mut self, from: YearMonth, ppm: i64) {
        self.work_injury_override = Some((from, ppm));
        self.cache.clear();
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// The official source recorded for a scenario key (`insurance.base.floor_ratio`).
    /// The source of `key` as applied in `month`: for a key whose default is the regional
    /// rule table, the official document of the table entry in force for this region then
    /// (unless the scenario replaced that value); otherwise the key catalogue's source.
    pub fn source(&self, key: &str, month: YearMonth) -> String {
        if let Some(text) = self.table_source(key, month) {
            return format!("{text} [{key}]");
        }
        if key == WORK_INJURY_KEY {
            if let Some((from, _)) = self.work_injury_override.filter(|(f, _)| month >= *f) {
                return format!("the work-injury rate given for the make-up from {from} [{key}]");
            }
        }
        if let Some((_, text)) = self
            .cache
            .get(&month)
            .and_then(|m| m.rate_sources.iter().find(|(k, _)| *k == key))
        {
            return format!("{text} [{key}]");
        }
        match self.sources.get(key) {
            Some(s) if !s.is_empty() => format!("{s} [{key}]"),
            _ => format!("[{key}]"),
        }
    }

    /// The table entry behind `key` in `month`, if the scenario's value is the table's.
    fn table_source(&self, key: &str, month: YearMonth) -> Option<String> {
        let leaf = key
            .strip_prefix("insurance.base.")
            .or_else(|| key.strip_prefix("insurance.pension."))
            .or_else(|| key.strip_prefix("regions[]."))?;
        if !KEYS.iter().any(|(k, _)| *k == leaf) {
            return None;
        }
        let table = RuleTable::builtin();
        let (entry, own) = table.in_force_text(leaf, &self.region, month)?;
        let in_use = match leaf {
            "floor_ratio" | "ceiling_ratio" => {
                let r = self.scenario.insurance.resolve(month, &self.region);
                let ppm = if leaf == "floor_ratio" {
                    r.floor_ratio_ppm
                } else {
                    r.ceiling_ratio_ppm
                };
                let table_ppm = entry
                    .value
                    .parse::<f64>()
                    .ok()
                    .map(|v| (v * 1e6).round() as i64);
                table_ppm == Some(ppm)
            }
            _ => true,
        };
        if !in_use {
            return Some(String::from(
                "scenario value (replaces the regional rule table)",
            ));
        }
        let whose = if own {
            self.region.as_str()
        } else {
            "national"
        };
        let from = entry.from.map(|f| format!(" from {f}")).unwrap_or_default();
        Some(format!("{} ({whose} rule{from})", entry.source))
    }

    fn average_wage(&self, year: i32) -> Fen {
        if let Some((y, w)) = self.average_wage_override {
            if y == year {
                return w;
            }
        }
        let r = &self.scenario.regions[self.scenario.region_index(&self.region).unwrap_or(0)];
        yuan_to_fen(r.average_wage_at(YearMonth::ym(year, 1)))
    }

    /// The rules of `month` (resolved once per month).
    pub fn at(&mut self, month: YearMonth) -> &MonthRules {
        if !self.cache.contains_key(&month) {
            let mut rates = self.scenario.insurance.resolve(month, &self.region);
            if let Some((from, ppm)) = self.work_injury_override {
                if month >= from {
                    rates.work_injury_ppm = ppm;
                }
            }
            let year_start = base::base_year_start(month, rates.adjustment_month);
            let aw_year = year_start.year() - 1;
            let average_wage = self.average_wage(aw_year);
            let old_rates = self
                .scenario
                .insurance
                .resolve(year_start.plus_months(-12), &self.region);
            let old_limits = base::limits(self.average_wage(aw_year - 1), &old_rates);
            let m = MonthRules {
                month,
                year_start,
                limits: base::limits(average_wage, &rates),
                old_limits,
                average_wage,
                average_wage_year: aw_year,
                published: base::new_limits_published(month, &rates),
                rates,
                rate_sources: InForce::resolve(self.scenario, &self.region, month)
                    .map(|f| {
                        f.rates
                            .into_iter()
                            .map(|l| (l.key, format!("{} ({} rule)", l.source, l.scope.word())))
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            self.cache.insert(month, m);
        }
        &self.cache[&month]
    }
}

/// The seven audited amounts due on `base`, in the order of [`ITEMS`], by the project's
/// contribution function (the flat major-illness fee is part of the personal medical item).
pub fn due(base: Fen, scheme: Scheme, r: &RatesAt) -> [Fen; 7] {
    let who = Membership {
        scheme,
        enterprise_annuity: false,
    };
    let c = contributions::monthly(base, 0, who, r);
    [
        c.pension_individual,
        c.pension_employer,
        c.medical_individual + c.major_illness,
        c.medical_employer,
        c.unemployment_individual,
        c.unemployment_employer,
        c.work_injury,
    ]
}

/// The scenario key that sets the rate of item `i` (for the rule's source).
pub fn item_key(i: usize, scheme: Scheme) -> &'static str {
    match (i, scheme) {
        (0, _) => "insurance.pension.individual_rate",
        (1, Scheme::Institution) => "insurance.pension.institution_employer_rate",
        (1, Scheme::Enterprise) => "insurance.pension.enterprise_employer_rate",
        (2, _) => "insurance.medical.individual_rate",
        (3, _) => "insurance.medical.employer_rate",
        (4, _) => "insurance.unemployment.individual_rate",
        (5, _) => "insurance.unemployment.employer_rate",
        _ => WORK_INJURY_KEY,
    }
}

/// The key of the work-injury rate (the rate is the class's base rate × the floating factor
/// × the share charged; `sisandbox rates` lists it under the class).
const WORK_INJURY_KEY: &str = "insurance.work_injury.industry_class";

/// The rate of item `i` in parts per million.
pub fn item_ppm(i: usize, scheme: Scheme, r: &RatesAt) -> i64 {
    match i {
        0 => r.pension_individual_ppm,
        1 if scheme == Scheme::Institution => r.pension_institution_employer_ppm,
        1 => r.pension_enterprise_employer_ppm,
        2 => r.medical_individual_ppm,
        3 => r.medical_employer_ppm,
        4 => r.unemployment_individual_ppm,
        5 => r.unemployment_employer_ppm,
        _ => r.work_injury_ppm,
    }
}

/// A rate in ppm as a percentage for messages ("8%", "0.2%").
pub fn percent(ppm: i64) -> String {
    let s = format!("{:.4}", ppm as f64 / 10_000.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// Item names for the outputs.
pub fn item_name(i: usize) -> &'static str {
    ITEMS[i].0.key()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sichuan_2025_limits_come_from_the_2024_average_wage() {
        let s = Scenario::default();
        let mut book = RuleBook::new(&s, "sichuan").unwrap();
        let r = book.at(YearMonth::ym(2025, 3)).clone();
        assert_eq!(r.average_wage_year, 2024);
        assert_eq!((r.limits.floor, r.limits.ceiling), (458_800, 2_293_800));
        assert!(r.old_limits.floor < r.limits.floor);
        assert!(r.published);
        assert!(book
            .source("insurance.base.floor_ratio", YearMonth::ym(2025, 3))
            .contains("国办发〔2019〕13号"));
        assert!(RuleBook::new(&s, "atlantis")
            .unwrap_err()
            .contains("sichuan"));
    }

    #[test]
    fn due_amounts_follow_the_contribution_rules() {
        let s = Scenario::default();
        let r = s.insurance.resolve(YearMonth::ym(2025, 3), "sichuan");
        let d = due(458_800, Scheme::Enterprise, &r);
        assert_eq!(d[0], 36_704);
        assert_eq!(
            d[4], 1_835,
            "Sichuan individual unemployment 0.4 % of 4,588"
        );
        assert_eq!(d[6], 1_835, "work injury class II, 0.4 % of 4,588");
        let mut book = RuleBook::new(&s, "sichuan").unwrap();
        let march = YearMonth::ym(2025, 3);
        book.at(march);
        let unemployment = book.source(item_key(4, Scheme::Enterprise), march);
        assert!(
            unemployment.contains("人社部发〔2024〕40号") && unemployment.contains("regional"),
            "{unemployment}"
        );
        let injury = book.source(item_key(6, Scheme::Enterprise), march);
        assert!(injury.contains("industry_class"), "{injury}");
        book.set_work_injury_rate(march, 3_000);
        book.at(march);
        let given = book.source(item_key(6, Scheme::Enterprise), march);
        assert!(given.contains("given for the make-up"), "{given}");
        assert_eq!(percent(80_000), "8%");
        assert_eq!(percent(2_000), "0.2%");
    }
}

//! Everything in force for one region in one month, with the source of each figure: the
//! contribution limits and rates the scenario resolves ([`InsuranceParams::resolve`]) and every
//! key of the regional rule table ([`RuleTable::in_force_text`]). `sisandbox rates` prints it,
//! answering "which insurances and rates applied in a given period" from the same figures the
//! engine and the calculator use.

use super::{rule_keys, Entry, RuleTable, Rules, UnknownRegion};
use crate::insurance::base::{self, BaseLimits};
use crate::insurance::InsuranceParams;
use crate::money::{rate_to_ppm, yuan_to_fen, Fen};
use crate::scenario::catalog::Certainty;
use crate::scenario::dated::Dated;
use crate::scenario::Scenario;
use crate::time::YearMonth;

/// Whether a figure is the region's own, the national (general) one, or a value the scenario
/// sets in place of the default.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Regional,
    National,
    /// The scenario overrides the default (the table's or the catalogue's) for this key.
    Scenario,
}

impl Scope {
    pub fn word(self) -> &'static str {
        match self {
            Scope::Regional => "regional",
            Scope::National => "national",
            Scope::Scenario => "scenario",
        }
    }
}

/// One contribution rate (or fee) in force, as the scenario resolves it.
#[derive(Clone, Debug, PartialEq)]
pub struct RateLine {
    /// The scenario key that sets it (`insurance.pension.individual_rate`).
    pub key: &'static str,
    /// What it is, in words.
    pub label: &'static str,
    /// A share of the base in parts per million, or a flat fee in fen (see `unit`).
    pub value: i64,
    /// `share` (ppm) or `yuan/month` (fen).
    pub unit: &'static str,
    /// Extra words (the class and floating factor, the year of a yearly rate).
    pub detail: String,
    pub scope: Scope,
    pub source: String,
    pub certainty: Certainty,
}

/// One key of the regional rule table in force.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleLine {
    pub key: &'static str,
    pub meaning: &'static str,
    /// `None`: the table has no entry of this key for the region (regional-only keys).
    pub value: Option<String>,
    pub from: Option<YearMonth>,
    pub scope: Scope,
    pub source: String,
    pub certainty: Option<Certainty>,
}

/// The contribution limits of the base year containing the month.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseYear {
    /// First month of the base year.
    pub start: YearMonth,
    /// The year whose average wage sets the limits.
    pub average_wage_year: i32,
    /// That average wage (fen per month) with its source, if the table has it.
    pub average_wage: Option<(Fen, String)>,
    pub floor_ratio_ppm: i64,
    pub ceiling_ratio_ppm: i64,
    pub rounded_to_yuan: bool,
    pub limits: Option<BaseLimits>,
    /// Whether the limits had been published by the month (else the previous ones apply until
    /// publication, with a make-up afterwards).
    pub published: bool,
}

/// Everything in force for a region in a month.
#[derive(Clone, Debug, PartialEq)]
pub struct InForce {
    pub region: String,
    pub month: YearMonth,
    pub base: BaseYear,
    /// The calculation base (计发基数) of retirements in the month: fen, the year it belongs
    /// to, its source; `None` when the table has none for the year or the one before.
    pub calc_base: Option<(Fen, i32, String)>,
    pub rates: Vec<RateLine>,
    pub rules: Vec<RuleLine>,
    /// The award rules that are national scenario keys (months of payment, start of payment,
    /// the 2014-10..2024-09 comparison, minimum years): see [`super::award`].
    pub award: Vec<RuleLine>,
}

/// Whether an entry of `d` for `region` is in force in `month` (what [`Dated::at`] prefers).
fn scope_of<T>(d: &Dated<T>, month: YearMonth, region: &str) -> Scope {
    let own = d
        .entries()
        .iter()
        .any(|e| e.region.as_deref() == Some(region) && e.from.is_none_or(|f| f <= month));
    if own {
        Scope::Regional
    } else {
        Scope::National
    }
}

/// The less certain of two grades (R, C, M, U, model in that order).
fn weaker(a: Certainty, b: Certainty) -> Certainty {
    let rank = |c: Certainty| match c {
        Certainty::R => 0,
        Certainty::C => 1,
        Certainty::M => 2,
        Certainty::U => 3,
        Certainty::Model => 4,
    };
    if rank(a) >= rank(b) {
        a
    } else {
        b
    }
}

type Pick = fn(&InsuranceParams) -> &Dated<f64>;
type TablePick = fn(&Rules) -> &Vec<Entry<f64>>;
/// A yearly rate printed: key, words, value in ppm, the scenario's and the default table, the
/// key of its projection, and its table key.
type Yearly<'a> = (
    &'static str,
    &'static str,
    i64,
    &'a Dated<f64>,
    &'a Dated<f64>,
    &'static str,
    TablePick,
);

/// Keys whose defaults are the regional rule table: the source printed is the table entry in
/// force (its own document), not the catalogue's line.
const FROM_TABLE: &[(&str, TablePick)] = &[
    ("insurance.unemployment.employer_rate", |r| {
        &r.unemployment_employer_rate
    }),
    ("insurance.unemployment.individual_rate", |r| {
        &r.unemployment_individual_rate
    }),
];

/// The contribution rates printed, in order: scenario key, words, the dated table.
const RATES: &[(&str, &str, Pick)] = &[
    (
        "insurance.pension.enterprise_employer_rate",
        "pension, enterprise scheme, employer",
        |p| &p.pension.enterprise_employer_rate,
    ),
    (
        "insurance.pension.institution_employer_rate",
        "pension, public-institution scheme, employer",
        |p| &p.pension.institution_employer_rate,
    ),
    (
        "insurance.pension.individual_rate",
        "pension, individual (personal account)",
        |p| &p.pension.individual_rate,
    ),
    (
        "insurance.occupational_annuity.employer_rate",
        "occupational annuity, employer (established posts)",
        |p| &p.occupational_annuity.employer_rate,
    ),
    (
        "insurance.occupational_annuity.individual_rate",
        "occupational annuity, individual (established posts)",
        |p| &p.occupational_annuity.individual_rate,
    ),
    (
        "insurance.enterprise_annuity.employer_rate",
        "enterprise annuity, employer (where the university runs one)",
        |p| &p.enterprise_annuity.employer_rate,
    ),
    (
        "insurance.enterprise_annuity.individual_rate",
        "enterprise annuity, individual (where the university runs one)",
        |p| &p.enterprise_annuity.individual_rate,
    ),
    (
        "insurance.medical.employer_rate",
        "medical (maternity included), employer",
        |p| &p.medical.employer_rate,
    ),
    (
        "insurance.medical.individual_rate",
        "medical, individual",
        |p| &p.medical.individual_rate,
    ),
    (
        "insurance.unemployment.employer_rate",
        "unemployment, employer",
        |p| &p.unemployment.employer_rate,
    ),
    (
        "insurance.unemployment.individual_rate",
        "unemployment, individual",
        |p| &p.unemployment.individual_rate,
    ),
    (
        "insurance.housing_fund.employer_rate",
        "housing provident fund, employer",
        |p| &p.housing_fund.employer_rate,
    ),
    (
        "insurance.housing_fund.individual_rate",
        "housing provident fund, individual",
        |p| &p.housing_fund.individual_rate,
    ),
];

/// A `--month` argument: strictly `YYYY-MM`, 1950-01 to 2100-12.
pub fn parse_month(text: &str) -> Result<YearMonth, String> {
    let allowed = "allowed: a month YYYY-MM from 1950-01 to 2100-12, e.g. 2025-07";
    let t = text.trim();
    let shaped = t.len() == 7 && t.as_bytes()[4] == b'-';
    let m = if shaped {
        YearMonth::parse(t).ok()
    } else {
        None
    };
    match m {
        Some(m) if (1950..=2100).contains(&m.year()) => Ok(m),
        _ => Err(format!("`{text}` is not a valid month; {allowed}")),
    }
}

impl InForce {
    /// Everything in force for `region` (any spelling the table knows) in `month` under
    /// `scenario`. An unknown region is an error listing the known ones.
    pub fn resolve(
        scenario: &Scenario,
        region: &str,
        month: YearMonth,
    ) -> Result<InForce, UnknownRegion> {
        let table = RuleTable::builtin();
        let region = table.canonical(region)?.to_string();
        let p = &scenario.insurance;
        let r = p.resolve(month, &region);
        let sources: std::collections::HashMap<String, (&'static str, Certainty)> =
            Scenario::key_docs()
                .into_iter()
                .map(|d| (d.path, (d.source, d.certainty)))
                .collect();
        let catalogue = |key: &str| {
            sources
                .get(key)
                .map(|(s, c)| (s.to_string(), *c))
                .unwrap_or((String::from("model"), Certainty::Model))
        };

        // Contribution limits of the base year containing the month.
        let start = base::base_year_start(month, r.adjustment_month);
        let aw_year = start.year() - 1;
        let average_wage = table
            .region(&region)
            .and_then(|rules| {
                rules
                    .average_wage
                    .iter()
                    .find(|e| e.from.is_some_and(|f| f.year() == aw_year))
            })
            .map(|e| (yuan_to_fen(e.value), e.source.clone()));
        let base = BaseYear {
            start,
            average_wage_year: aw_year,
            limits: average_wage.as_ref().map(|(w, _)| base::limits(*w, &r)),
            average_wage,
            floor_ratio_ppm: r.floor_ratio_ppm,
            ceiling_ratio_ppm: r.ceiling_ratio_ppm,
            rounded_to_yuan: r.round_limits_to_yuan,
            published: base::new_limits_published(month, &r),
        };

        // The calculation base of the retirement year, or the previous year's (预核定).
        let calc_base = table
            .entry(|x| &x.calc_base, &region, month)
            .filter(|(e, own)| *own && e.from.is_some_and(|f| month.year() - f.year() <= 1))
            .map(|(e, _)| {
                let year = e.from.map_or(month.year(), |f| f.year());
                (yuan_to_fen(e.value), year, e.source.clone())
            });

        let defaults = InsuranceParams::default();
        // A key the scenario sets differently from the default is shown as the scenario's,
        // with the default it replaces.
        let overridden = |source: String, default: String| {
            format!("set by the scenario in place of the default {default} ({source})")
        };
        let mut rates = Vec::new();
        for (key, label, pick) in RATES {
            let d = pick(p);
            let table_entry = FROM_TABLE
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, tp)| table.entry(tp, &region, month));
            let (mut source, mut certainty, mut scope) = match table_entry {
                Some((e, own)) => (
                    e.source.clone(),
                    e.certainty,
                    if own {
                        Scope::Regional
                    } else {
                        Scope::National
                    },
                ),
                None => {
                    let (s, c) = catalogue(key);
                    (s, c, scope_of(d, month, &region))
                }
            };
            if d != pick(&defaults) {
                let default = percent(rate_to_ppm(*pick(&defaults).at(month, &region)));
                source = overridden(source, default);
                certainty = Certainty::Model;
                scope = Scope::Scenario;
            }
            rates.push(RateLine {
                key,
                label,
                value: rate_to_ppm(*d.at(month, &region)),
                unit: "share",
                detail: String::new(),
                scope,
                source,
                certainty,
            });
        }
        if !r.ea_enabled {
            for line in rates
                .iter_mut()
                .filter(|l| l.key.contains("enterprise_annuity"))
            {
                line.detail = "voluntary; the scenario's universities run none".into();
            }
        }
        let wi = &p.work_injury;
        let class = *wi.industry_class.at(month, &region);
        let floating = *wi.floating_factor.at(month, &region);
        let share = *wi.base_rate_share.at(month, &region);
        let (mut source, mut certainty) = catalogue("insurance.work_injury.industry_class");
        let (share_entry, share_own) = table
            .entry(|x| &x.work_injury_base_rate_share, &region, month)
            .map_or((None, false), |(e, own)| (Some(e), own));
        let mut wi_scope = if share_own {
            Scope::Regional
        } else {
            match (
                scope_of(&wi.industry_class, month, &region),
                scope_of(&wi.floating_factor, month, &region),
            ) {
                (Scope::National, Scope::National) => Scope::National,
                _ => Scope::Regional,
            }
        };
        if let Some(e) = share_entry.filter(|_| share_own) {
            source = format!("{source}; share of the base rates: {}", e.source);
            certainty = weaker(certainty, e.certainty);
        }
        let dw = &defaults.work_injury;
        if wi.industry_class != dw.industry_class
            || wi.floating_factor != dw.floating_factor
            || wi.base_rate_share != dw.base_rate_share
            || wi.class_base_rates != dw.class_base_rates
        {
            let default = rate_to_ppm(dw.rate(
                *dw.industry_class.at(month, &region),
                *dw.floating_factor.at(month, &region) * *dw.base_rate_share.at(month, &region),
            ));
            source = overridden(source, percent(default));
            certainty = Certainty::Model;
            wi_scope = Scope::Scenario;
        }
        rates.push(RateLine {
            key: "insurance.work_injury.industry_class",
            label: "work injury, employer",
            value: r.work_injury_ppm,
            unit: "share",
            detail: format!(
                "class {class} base rate {} × floating factor {floating}{}",
                percent(rate_to_ppm(wi.rate(class, 1.0))),
                if share == 1.0 {
                    String::new()
                } else {
                    format!(
                        " × {} of the base rate charged",
                        percent(rate_to_ppm(share))
                    )
                }
            ),
            scope: wi_scope,
            source,
            certainty,
        });
        let (source, certainty) = catalogue("insurance.medical.major_illness_fee");
        rates.push(RateLine {
            key: "insurance.medical.major_illness_fee",
            label: "major-illness fee (大额), individual",
            value: r.major_illness_fee,
            unit: "yuan/month",
            detail: String::new(),
            scope: scope_of(&p.medical.major_illness_fee, month, &region),
            source,
            certainty,
        });
        let projected = month >= p.pension.projection_from;
        let year_start = YearMonth::ym(month.year(), 1);
        let yearly: [Yearly; 2] = [
            (
                "insurance.pension.book_rate",
                "personal-account book rate (记账利率), yearly",
                r.book_rate_ppm,
                &p.pension.book_rate,
                &defaults.pension.book_rate,
                "insurance.pension.book_rate_projection",
                |x| &x.book_rate,
            ),
            (
                "insurance.pension.indexation",
                "increase of pensions in payment, yearly",
                r.indexation_ppm,
                &p.pension.indexation,
                &defaults.pension.indexation,
                "insurance.pension.indexation_projection",
                |x| &x.indexation,
            ),
        ];
        for (key, label, ppm, d, default, proj_key, tp) in yearly {
            let (used, detail) = if projected {
                (
                    proj_key,
                    format!(
                        "{}: projected from {}, not yet announced",
                        month.year(),
                        p.pension.projection_from
                    ),
                )
            } else {
                (key, format!("{}", month.year()))
            };
            let (mut source, mut certainty) = catalogue(used);
            let mut scope = scope_of(d, year_start, &region);
            // The year's own entry of the table (its notice and grade) unless projected or set
            // by the scenario.
            if !projected {
                if d != default {
                    source = overridden(
                        source,
                        percent(rate_to_ppm(*default.at(year_start, &region))),
                    );
                    certainty = Certainty::Model;
                    scope = Scope::Scenario;
                } else if let Some((e, _)) = table.entry(tp, &region, year_start) {
                    source = e.source.clone();
                    certainty = e.certainty;
                }
            }
            rates.push(RateLine {
                key: if projected { proj_key } else { key },
                label,
                value: ppm,
                unit: "share",
                detail,
                scope,
                source,
                certainty,
            });
        }

        let rules = rule_keys()
            .map(
                |(key, meaning)| match table.in_force_text(key, &region, month) {
                    Some((e, own)) => RuleLine {
                        key,
                        meaning,
                        value: Some(e.value),
                        from: e.from,
                        scope: if own {
                            Scope::Regional
                        } else {
                            Scope::National
                        },
                        source: e.source,
                        certainty: Some(e.certainty),
                    },
                    None => RuleLine {
                        key,
                        meaning,
                        value: None,
                        from: None,
                        scope: Scope::Regional,
                        source: format!("no entry for {region} in the table"),
                        certainty: None,
                    },
                },
            )
            .collect();

        let award = super::award::award_lines(p, &defaults, month, &region, &catalogue);
        Ok(InForce {
            region,
            month,
            base,
            calc_base,
            rates,
            rules,
            award,
        })
    }
}

/// A rate in ppm as a percentage ("16%", "0.5%").
pub fn percent(ppm: i64) -> String {
    let s = format!("{:.4}", ppm as f64 / 10_000.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sichuan(month: YearMonth) -> InForce {
        InForce::resolve(&Scenario::default(), "Sichuan", month).unwrap()
    }

    #[test]
    fn sichuan_2025_07_limits_and_rates() {
        let f = sichuan(YearMonth::ym(2025, 7));
        assert_eq!(f.region, "sichuan");
        assert_eq!(f.base.average_wage_year, 2024);
        assert_eq!(f.base.average_wage.as_ref().unwrap().0, 764_600);
        let l = f.base.limits.unwrap();
        assert_eq!((l.floor, l.ceiling), (458_800, 2_293_800));
        assert_eq!(f.calc_base.as_ref().unwrap().0, 846_200);
        let rate = |k: &str| f.rates.iter().find(|l| l.key == k).unwrap().clone();
        let emp = rate("insurance.pension.enterprise_employer_rate");
        assert_eq!((emp.value, emp.scope), (160_000, Scope::National));
        assert!(emp.source.contains("国办发〔2019〕13号"));
        assert_eq!(rate("insurance.pension.individual_rate").value, 80_000);
        let k = f
            .rules
            .iter()
            .find(|l| l.key == "transitional_rate")
            .unwrap();
        assert_eq!(
            (k.value.as_deref(), k.scope),
            (Some("0.013"), Scope::Regional)
        );
        assert_eq!(f.rules.len(), rule_keys().count());
    }

    #[test]
    fn the_employer_rate_follows_its_dates() {
        let at = |y, m| {
            sichuan(YearMonth::ym(y, m))
                .rates
                .iter()
                .find(|l| l.key == "insurance.pension.enterprise_employer_rate")
                .unwrap()
                .value
        };
        assert_eq!(at(2016, 4), 200_000);
        assert_eq!(at(2016, 5), 190_000);
        assert_eq!(at(2019, 5), 160_000);
    }

    #[test]
    fn regions_without_an_average_wage_have_no_limits_and_unknown_ones_are_refused() {
        let f = InForce::resolve(&Scenario::default(), "qingdao", YearMonth::ym(2025, 7)).unwrap();
        assert!(f.base.limits.is_none() && f.calc_base.is_none());
        let e = InForce::resolve(&Scenario::default(), "mars", YearMonth::ym(2025, 7))
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"mars\"") && e.contains("sichuan"), "{e}");
        assert!(parse_month("2025-7").unwrap_err().contains("YYYY-MM"));
        assert!(parse_month("2025-13").is_err());
        assert!(parse_month("2025").is_err());
        assert_eq!(parse_month("2025-07").unwrap(), YearMonth::ym(2025, 7));
    }
}

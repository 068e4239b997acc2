//! The regional rule table: every provincial (or city) variant of the pension rules as dated
//! data with the official source of each entry, read from the TOML files under
//! `src/insurance/regions/data/` (embedded in the binary).
//!
//! One API serves everyone: the scenario's defaults are generated from this table
//! ([`RuleTable::dated`]), so the engine (through `InsuranceParams::resolve` and [`RatesAt`]),
//! the one-person calculator and `sisandbox rates` read the same figures, and a scenario may
//! still override any entry through the usual dated keys. [`RuleTable::entry`] gives the entry
//! in force with its source, which `--explain` and `sisandbox rates` print.
//!
//! Lookup rule (the same as [`Dated::at`]): among entries in force in the month, the region's
//! own win over the national ones; a city with a `parent` (Qingdao in Shandong) inherits every
//! key it does not set.
//!
//! [`RatesAt`]: crate::insurance::RatesAt

pub mod award;
pub mod in_force;
pub mod kinds;
pub mod print;
pub mod resolved;

pub use in_force::InForce;
pub use kinds::*;
pub use resolved::{PensionRules, UNROUNDED_DECIMALS};

use crate::scenario::catalog::Certainty;
use crate::scenario::dated::{Dated, DatedEntry};
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One dated entry of a rule, with its source.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry<T> {
    /// In force from this month on; absent: from the start.
    #[serde(default)]
    pub from: Option<YearMonth>,
    pub value: T,
    /// The official document (number, title, date) or benefit notice the value comes from.
    pub source: String,
    pub certainty: Certainty,
}

/// An entry rendered for printing.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryText {
    pub from: Option<YearMonth>,
    pub value: String,
    pub source: String,
    pub certainty: Certainty,
}

fn value_text<T: Serialize>(v: &T) -> String {
    match toml::Value::try_from(v) {
        Ok(toml::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

impl<T: Serialize> Entry<T> {
    fn text(&self) -> EntryText {
        EntryText {
            from: self.from,
            value: value_text(&self.value),
            source: self.source.clone(),
            certainty: self.certainty,
        }
    }
}

macro_rules! rule_keys {
    ($($key:ident : $ty:ty => $doc:literal),* $(,)?) => {
        /// One file of the table: the rules of a region (or the national ones).
        #[derive(Clone, Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Rules {
            /// Canonical name (lower-case ASCII), used in scenarios and case files.
            pub name: String,
            /// Other spellings accepted for the name (Chinese names).
            #[serde(default)]
            pub names: Vec<String>,
            /// The region whose entries this one inherits where it sets none.
            #[serde(default)]
            pub parent: Option<String>,
            $(
                #[doc = $doc]
                #[serde(default)]
                pub $key: Vec<Entry<$ty>>,
            )*
        }

        /// Every rule key with what it means, in table order.
        pub const KEYS: &[(&str, &str)] = &[$((stringify!($key), $doc)),*];

        impl Rules {
            /// The entries of `key` as text, in file order.
            pub fn entries_text(&self, key: &str) -> Vec<EntryText> {
                match key {
                    $(stringify!($key) => self.$key.iter().map(Entry::text).collect(),)*
                    _ => Vec::new(),
                }
            }

            /// Copies every key this region does not set from `parent`.
            fn inherit(&mut self, parent: &Rules) {
                $(
                    if self.$key.is_empty() {
                        self.$key = parent.$key.clone();
                    }
                )*
            }

            /// Keys without any entry (the national file must set them all).
            fn empty_keys(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(
                    if self.$key.is_empty() {
                        out.push(stringify!($key));
                    }
                )*
                out
            }
        }
    };
}

rule_keys! {
    account_start: YearMonth => "First month of the enterprise personal account; earlier service is deemed or pre-account years.",
    account_credit_rate: f64 => "Share of the contribution base credited to the personal account.",
    transitional_form: TransitionalForm => "Family of the enterprise transitional pension.",
    deemed_index: DeemedIndexRule => "Index of a family-A transitional pension: the person's own, the average index, or 1.",
    transitional_years: YearsBasis => "Years of the transitional pension: deemed years or all years before the account.",
    transitional_rate: f64 => "Coefficient k of the enterprise transitional pension.",
    institution_transitional_rate: f64 => "Coefficient k of the public-institution transitional pension (deemed index, deemed years).",
    transitional_phase_in: f64 => "Share of (new − old-method transitional pension) paid on top of the old-method amount.",
    years_decimals: u32 => "Decimals of the contribution years before multiplying (12: carried unrounded).",
    index_decimals: u32 => "Decimals of the average contribution index.",
    divisor_convention: DivisorConvention => "Whole-year or month-interpolated months of payment.",
    basic_form: BasicForm => "Shape of the basic pension.",
    component_rounding: ComponentRounding => "Rounding of each component.",
    total_rounding: TotalRounding => "Rounding of the total.",
    supplement_form: SupplementForm => "Local supplement on the national formula.",
    adjustment_base: f64 => "Fixed part of a transitional adjustment (过渡性调节金), yuan per month.",
    adjustment_per_index_year: f64 => "Transitional adjustment per unit of Ī × N, yuan per month.",
    flat_subsidy: f64 => "Flat basic-pension subsidy (基本养老金补贴), yuan per month.",
    floor_ratio: f64 => "Floor of the contribution base as a share of the average wage.",
    ceiling_ratio: f64 => "Ceiling of the contribution base as a multiple of the average wage.",
    adjustment_month: u32 => "Calendar month in which the base year starts.",
    publication_lag_months: u32 => "Months into the base year before the new limits are published.",
    calc_base: f64 => "Pension calculation base (计发基数) of retirements in the year, yuan per month.",
    average_wage: f64 => "全口径 average wage of the year, yuan per month (the reference of the next limits).",
    unemployment_employer_rate: f64 => "Employer unemployment contribution rate, share of the base.",
    unemployment_individual_rate: f64 => "Individual unemployment contribution rate, share of the base.",
    work_injury_base_rate_share: f64 => "Share of the industry-class base rates of work injury that the province charges (a phased reduction below 1).",
    book_rate: f64 => "Personal-account book rate (记账利率) of the year.",
    indexation: f64 => "Increase of pensions in payment decided for the year.",
}

/// Keys of the table that are contribution rates: `sisandbox rates` lists them among the rates
/// (as the scenario resolves them, with the table's source), not among the pension rules.
pub const RATE_KEYS: &[&str] = &[
    "unemployment_employer_rate",
    "unemployment_individual_rate",
    "work_injury_base_rate_share",
    "book_rate",
    "indexation",
];

/// The pension-rule keys of the table (every key but the contribution rates), in table order.
pub fn rule_keys() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    KEYS.iter().filter(|(k, _)| !RATE_KEYS.contains(k))
}

const FILES: &[(&str, &str)] = &[
    ("national", include_str!("data/national.toml")),
    ("beijing", include_str!("data/beijing.toml")),
    ("gansu", include_str!("data/gansu.toml")),
    ("guangdong", include_str!("data/guangdong.toml")),
    ("heilongjiang", include_str!("data/heilongjiang.toml")),
    ("hubei", include_str!("data/hubei.toml")),
    ("jiangsu", include_str!("data/jiangsu.toml")),
    ("liaoning", include_str!("data/liaoning.toml")),
    ("qingdao", include_str!("data/qingdao.toml")),
    ("shandong", include_str!("data/shandong.toml")),
    ("shanghai", include_str!("data/shanghai.toml")),
    ("sichuan", include_str!("data/sichuan.toml")),
    ("zhejiang", include_str!("data/zhejiang.toml")),
];

/// A region name that is not in the table.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown region \"{given}\"; known regions: {}", known.join(", "))]
pub struct UnknownRegion {
    pub given: String,
    pub known: Vec<String>,
}

/// The national rules and every region's.
#[derive(Clone, Debug)]
pub struct RuleTable {
    pub national: Rules,
    /// Sorted by name; parents already inherited.
    pub regions: Vec<Rules>,
}

impl RuleTable {
    /// Parses the embedded files; an error names the file and the problem.
    pub fn parse_builtin() -> Result<RuleTable, String> {
        let mut national = None;
        let mut regions = Vec::new();
        for (file, text) in FILES {
            let rules: Rules = toml::from_str(text)
                .map_err(|e| format!("regions/data/{file}.toml: {}", e.message()))?;
            if rules.name != *file {
                return Err(format!(
                    "regions/data/{file}.toml: name `{}` differs from the file name",
                    rules.name
                ));
            }
            if rules.name == "national" {
                national = Some(rules);
            } else {
                regions.push(rules);
            }
        }
        let national = national.ok_or("regions/data/national.toml is missing")?;
        let empty: Vec<&str> = national
            .empty_keys()
            .into_iter()
            .filter(|k| !REGIONAL_ONLY.contains(k))
            .collect();
        if !empty.is_empty() {
            return Err(format!(
                "regions/data/national.toml: no national entry for {}",
                empty.join(", ")
            ));
        }
        regions.sort_by(|a, b| a.name.cmp(&b.name));
        let snapshot = regions.clone();
        for r in &mut regions {
            if let Some(p) = r.parent.clone() {
                let parent = snapshot
                    .iter()
                    .find(|x| x.name == p)
                    .ok_or_else(|| format!("regions/data/{}.toml: unknown parent `{p}`", r.name))?;
                r.inherit(parent);
            }
        }
        Ok(RuleTable { national, regions })
    }

    /// The table built into the binary (parsed once; its tests keep it valid).
    pub fn builtin() -> &'static RuleTable {
        static TABLE: OnceLock<RuleTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            RuleTable::parse_builtin().expect("the embedded regional rule table is valid (tested)")
        })
    }

    /// Canonical names of the regions, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.regions.iter().map(|r| r.name.as_str()).collect()
    }

    /// The canonical name of `given`: case and surrounding blanks are ignored, Chinese names
    /// are accepted. Unknown names are an error listing the known ones.
    pub fn canonical(&self, given: &str) -> Result<&str, UnknownRegion> {
        let key = given.trim().to_lowercase();
        self.regions
            .iter()
            .find(|r| r.name == key || r.names.contains(&key))
            .map(|r| r.name.as_str())
            .ok_or_else(|| UnknownRegion {
                given: given.to_string(),
                known: self.names().iter().map(|s| s.to_string()).collect(),
            })
    }

    pub fn region(&self, name: &str) -> Option<&Rules> {
        self.regions.iter().find(|r| r.name == name)
    }

    /// A dated parameter holding the national entries as general values and every region's
    /// entries for that region: the default of the scenario key that carries this rule.
    pub fn dated<T: Clone>(&self, pick: impl Fn(&Rules) -> &Vec<Entry<T>>) -> Dated<T> {
        let mut entries: Vec<DatedEntry<T>> = pick(&self.national)
            .iter()
            .map(|e| DatedEntry {
                from: e.from,
                region: None,
                value: e.value.clone(),
            })
            .collect();
        for r in &self.regions {
            entries.extend(pick(r).iter().map(|e| DatedEntry {
                from: e.from,
                region: Some(r.name.clone()),
                value: e.value.clone(),
            }));
        }
        Dated::from_entries(entries)
    }

    /// The entry in force in `month` for `region`, and whether it is the region's own.
    pub fn entry<'a, T>(
        &'a self,
        pick: impl Fn(&Rules) -> &Vec<Entry<T>>,
        region: &str,
        month: YearMonth,
    ) -> Option<(&'a Entry<T>, bool)>
    where
        T: 'a,
    {
        let in_force = |e: &&Entry<T>| e.from.is_none_or(|f| f <= month);
        let latest = |list: &'a Vec<Entry<T>>| {
            list.iter()
                .filter(in_force)
                .max_by_key(|e| e.from.map_or(i32::MIN, |f| f.index()))
        };
        if let Some(r) = self.region(region) {
            if let Some(e) = latest(pick(r)) {
                return Some((e, true));
            }
        }
        let national = pick(&self.national);
        latest(national)
            .or_else(|| national.first())
            .map(|e| (e, false))
    }

    /// The entry of `key` in force in `month` for `region` as text, and whether it is the
    /// region's own (else the national one).
    pub fn in_force_text(
        &self,
        key: &str,
        region: &str,
        month: YearMonth,
    ) -> Option<(EntryText, bool)> {
        let latest = |list: Vec<EntryText>| {
            list.into_iter()
                .filter(|e| e.from.is_none_or(|f| f <= month))
                .max_by_key(|e| e.from.map_or(i32::MIN, |f| f.index()))
        };
        if let Some(e) = self
            .region(region)
            .and_then(|r| latest(r.entries_text(key)))
        {
            return Some((e, true));
        }
        let national = self.national.entries_text(key);
        let first = national.first().cloned();
        latest(national).or(first).map(|e| (e, false))
    }

    /// A region's series (calculation base, average wage) as `(first month, value)` rows.
    pub fn series(
        &self,
        region: &str,
        pick: impl Fn(&Rules) -> &Vec<Entry<f64>>,
    ) -> Vec<(YearMonth, f64)> {
        self.region(region)
            .map(|r| {
                pick(r)
                    .iter()
                    .filter_map(|e| Some((e.from?, e.value)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Keys that only regions carry (wage statistics have no national default here).
const REGIONAL_ONLY: &[&str] = &["calc_base", "average_wage"];

#[cfg(test)]
mod tests {
    use super::*;

    const REGIONS: &[&str] = &[
        "beijing",
        "gansu",
        "guangdong",
        "heilongjiang",
        "hubei",
        "jiangsu",
        "liaoning",
        "qingdao",
        "shandong",
        "shanghai",
        "sichuan",
        "zhejiang",
    ];

    #[test]
    fn the_embedded_table_parses_and_covers_the_regions() {
        let t = RuleTable::parse_builtin().unwrap();
        assert_eq!(t.names(), REGIONS);
    }

    #[test]
    fn every_entry_cites_a_source_and_no_key_repeats_a_month() {
        let t = RuleTable::builtin();
        for r in std::iter::once(&t.national).chain(&t.regions) {
            for (key, _) in KEYS {
                let entries = r.entries_text(key);
                for (i, e) in entries.iter().enumerate() {
                    assert!(e.source.chars().count() > 10, "{}.{key}", r.name);
                    assert!(!e.source.contains("DOMAIN"), "{}.{key}", r.name);
                    assert!(
                        entries[..i].iter().all(|o| o.from != e.from),
                        "{}.{key}: two entries from {:?}",
                        r.name,
                        e.from
                    );
                }
            }
        }
    }

    #[test]
    fn names_are_canonical_whatever_the_case_and_unknown_ones_list_the_known() {
        let t = RuleTable::builtin();
        assert_eq!(t.canonical("Sichuan").unwrap(), "sichuan");
        assert_eq!(t.canonical(" SICHUAN ").unwrap(), "sichuan");
        assert_eq!(t.canonical("四川省").unwrap(), "sichuan");
        let e = t.canonical("mars").unwrap_err().to_string();
        assert!(
            e.contains("\"mars\"") && e.contains("beijing, gansu"),
            "{e}"
        );
    }

    #[test]
    fn qingdao_inherits_shandong_where_it_sets_nothing() {
        let t = RuleTable::builtin();
        let m = YearMonth::ym(2025, 3);
        let (e, own) = t.entry(|r| &r.transitional_form, "qingdao", m).unwrap();
        assert!(own && e.source.contains("山东省"));
        let (e, _) = t.entry(|r| &r.account_start, "qingdao", m).unwrap();
        assert_eq!(e.value, YearMonth::ym(1994, 10));
        // Shandong keeps whole-year divisors, Qingdao interpolates from 2025.
        let d = t.dated(|r| &r.divisor_convention);
        assert_eq!(*d.at(m, "shandong"), DivisorConvention::WholeYears);
        assert_eq!(*d.at(m, "qingdao"), DivisorConvention::Monthly);
        assert_eq!(
            *d.at(YearMonth::ym(2024, 12), "qingdao"),
            DivisorConvention::WholeYears
        );
    }

    #[test]
    fn dated_defaults_and_entries_agree() {
        let t = RuleTable::builtin();
        let k = t.dated(|r| &r.transitional_rate);
        for (region, want) in [
            ("beijing", 0.01),
            ("gansu", 0.012),
            ("heilongjiang", 0.012),
            ("jiangsu", 0.012),
            ("sichuan", 0.013),
            ("liaoning", 0.014),
            ("zhejiang", 0.014),
        ] {
            let m = YearMonth::ym(2025, 7);
            assert_eq!(*k.at(m, region), want, "{region}");
            assert_eq!(
                t.entry(|r| &r.transitional_rate, region, m)
                    .unwrap()
                    .0
                    .value,
                want
            );
        }
        let credit = t.dated(|r| &r.account_credit_rate);
        assert_eq!(*credit.at(YearMonth::ym(2005, 12), "sichuan"), 0.11);
        assert_eq!(*credit.at(YearMonth::ym(2006, 1), "sichuan"), 0.08);
        let (e, own) = t
            .entry(
                |r| &r.account_credit_rate,
                "sichuan",
                YearMonth::ym(2000, 1),
            )
            .unwrap();
        assert!(!own && e.source.contains("国发〔1997〕26号"));
        let start = t.dated(|r| &r.account_start);
        assert_eq!(
            *start.at(YearMonth::ym(2025, 1), "beijing"),
            YearMonth::ym(1992, 10)
        );
        assert_eq!(
            *start.at(YearMonth::ym(2025, 1), "sichuan"),
            YearMonth::ym(1996, 1)
        );
        assert_eq!(
            *start.at(YearMonth::ym(2025, 1), "hubei"),
            YearMonth::ym(1996, 1)
        );
        assert_eq!(
            *start.at(YearMonth::ym(2025, 1), "guangdong"),
            YearMonth::ym(1998, 1),
            "the national start where a region records none"
        );
    }

    #[test]
    fn series_are_by_year_with_the_shanghai_years_right() {
        let t = RuleTable::builtin();
        let aw = t.series("shanghai", |r| &r.average_wage);
        assert!(aw.contains(&(YearMonth::ym(2023, 1), 12_307.0)), "{aw:?}");
        assert!(aw.contains(&(YearMonth::ym(2024, 1), 12_434.0)), "{aw:?}");
        let cb = t.series("shanghai", |r| &r.calc_base);
        assert!(cb.contains(&(YearMonth::ym(2025, 1), 12_434.0)), "{cb:?}");
    }
}

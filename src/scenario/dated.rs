//! Parameters that change over time and by region. Rates, wages and limits in the domain are
//! all "this value from this month on, in this province", so every such parameter is a
//! [`Dated`] table rather than a number, and the logic never holds a literal.
//!
//! In TOML a dated value is either a plain value (in force for all time, everywhere):
//! ```toml
//! employer_rate = 0.16
//! ```
//! or a list of entries, each in force from its month (or year) on, optionally for one region:
//! ```toml
//! employer_rate = [
//!   { from = "2014-10", value = 0.20 },
//!   { from = "2019-05", value = 0.16 },
//!   { from = 2030, value = 0.15, region = "beijing" },
//! ]
//! ```

use crate::time::YearMonth;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One entry of a dated table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedEntry<T> {
    /// In force from this month on. Absent: from the beginning of time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<YearMonth>,
    /// Only for this region (a `[[regions]]` name). Absent: every region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub value: T,
}

/// A value by month and region. Lookup rule: among entries already in force, one for the
/// region wins over a general one; among those, the latest `from` wins. Before the first date
/// the earliest general entry applies, so a table always answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Dated<T> {
    entries: Vec<DatedEntry<T>>,
}

impl<T> Dated<T> {
    /// A value in force for all time and everywhere.
    pub fn constant(value: T) -> Self {
        Dated {
            entries: vec![DatedEntry {
                from: None,
                region: None,
                value,
            }],
        }
    }

    /// Entries `(from, value)` for every region, in any order.
    pub fn by_month(entries: impl IntoIterator<Item = (YearMonth, T)>) -> Self {
        let mut d = Dated {
            entries: entries
                .into_iter()
                .map(|(from, value)| DatedEntry {
                    from: Some(from),
                    region: None,
                    value,
                })
                .collect(),
        };
        d.sort();
        d
    }

    /// A table from its entries, in any order (defaults generated from a rule table).
    pub fn from_entries(entries: Vec<DatedEntry<T>>) -> Self {
        let mut d = Dated { entries };
        d.sort();
        d
    }

    /// Adds a regional entry (builder style, for defaults).
    pub fn with_region(mut self, region: &str, from: Option<YearMonth>, value: T) -> Self {
        self.entries.push(DatedEntry {
            from,
            region: Some(region.to_string()),
            value,
        });
        self.sort();
        self
    }

    fn sort(&mut self) {
        self.entries
            .sort_by_key(|e| e.from.map(|m| m.index()).unwrap_or(i32::MIN));
    }

    pub fn entries(&self) -> &[DatedEntry<T>] {
        &self.entries
    }

    pub fn entries_mut(&mut self) -> &mut [DatedEntry<T>] {
        &mut self.entries
    }

    /// The value in force in `month` for `region`: the last entry of the region in force,
    /// else the last general one in force, else the first general one, else the first. Each
    /// search runs from the end and stops at the first match (the last in order), as the
    /// engine looks rules up every month of every region.
    pub fn at(&self, month: YearMonth, region: &str) -> &T {
        let in_force = |e: &DatedEntry<T>| e.from.is_none_or(|f| f <= month);
        let last = |regional: Option<&str>| {
            self.entries
                .iter()
                .rev()
                .find(|e| e.region.as_deref() == regional && in_force(e))
        };
        let first_general = || self.entries.iter().find(|e| e.region.is_none());
        last(Some(region))
            .or_else(|| last(None))
            .or_else(first_general)
            .or_else(|| self.entries.first())
            .map(|e| &e.value)
            .expect("a dated table has at least one entry (checked on load)")
    }

    /// The value in force in `month` for no region in particular.
    pub fn at_general(&self, month: YearMonth) -> &T {
        self.at(month, "")
    }

    /// Region names the table refers to, for validation against `[[regions]]`.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter_map(|e| e.region.as_deref())
    }

    /// Problems a loader should report: an empty table, no general entry, two entries for the
    /// same month and region.
    pub fn structural_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.entries.is_empty() {
            out.push("a dated table needs at least one entry".to_string());
            return out;
        }
        if !self.entries.iter().any(|e| e.region.is_none()) {
            out.push(
                "a dated table needs at least one entry without `region` (the general value)"
                    .into(),
            );
        }
        // Sorted by (month, region), equal entries are neighbours: n log n, not n².
        let mut order: Vec<&DatedEntry<T>> = self.entries.iter().collect();
        order.sort_by(|a, b| (a.from, &a.region).cmp(&(b.from, &b.region)));
        for pair in order.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.from == b.from && a.region == b.region {
                let when = a
                    .from
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "the start".into());
                let r = a.region.as_deref().unwrap_or("every region");
                out.push(format!("two entries for {when} and {r}"));
            }
        }
        out
    }

    pub fn map<U>(&self, f: impl Fn(&T) -> U) -> Dated<U> {
        Dated {
            entries: self
                .entries
                .iter()
                .map(|e| DatedEntry {
                    from: e.from,
                    region: e.region.clone(),
                    value: f(&e.value),
                })
                .collect(),
        }
    }
}

impl<T: Serialize> Serialize for Dated<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.entries.as_slice() {
            [only] if only.from.is_none() && only.region.is_none() => only.value.serialize(s),
            entries => entries.serialize(s),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Dated<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A plain value or a list of entries. The value may itself be a table (e.g. a
        // life table), so try the list form first and fall back to a single value.
        let raw = toml::Value::deserialize(d)?;
        if let toml::Value::Array(items) = &raw {
            let looks_dated = !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.as_table().is_some_and(|t| t.contains_key("value")));
            if looks_dated {
                let entries: Vec<DatedEntry<T>> = raw
                    .try_into()
                    .map_err(|e: toml::de::Error| serde::de::Error::custom(e.message()))?;
                let mut d = Dated { entries };
                d.sort();
                return Ok(d);
            }
        }
        let value: T = raw
            .try_into()
            .map_err(|e: toml::de::Error| serde::de::Error::custom(e.message()))?;
        Ok(Dated::constant(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize)]
    struct Holder {
        rate: Dated<f64>,
    }

    #[test]
    fn plain_value_applies_everywhere_always() {
        let h: Holder = toml::from_str("rate = 0.16").unwrap();
        assert_eq!(*h.rate.at(YearMonth::ym(1990, 1), "gansu"), 0.16);
        assert_eq!(toml::to_string(&h).unwrap().trim(), "rate = 0.16");
    }

    proptest::proptest! {
        /// The search from the end finds what the former forward scans found: the last
        /// matching entry in order, whatever the order and the mix of entries.
        #[test]
        fn at_is_the_last_entry_in_force(
            raw in proptest::collection::vec((0u8..5, 0u8..3, 0i32..100), 1..8),
            month in 0u8..6,
            region in 0u8..3,
        ) {
            let ym = |k: u8| YearMonth::ym(2010 + k as i32, 1);
            let name = |r: u8| ["", "a", "b"][r as usize];
            let d = Dated {
                entries: raw
                    .iter()
                    .map(|&(from, r, value)| DatedEntry {
                        from: (from > 0).then(|| ym(from)),
                        region: (r > 0).then(|| name(r).to_string()),
                        value,
                    })
                    .collect(),
            };
            let (m, region) = (ym(month), name(region));
            // The former lookup: forward scans keeping the last match.
            let in_force = |e: &DatedEntry<i32>| e.from.is_none_or(|f| f <= m);
            let scan = |wanted: Option<&str>| {
                let mut found = None;
                for e in &d.entries {
                    if in_force(e) && e.region.as_deref() == wanted {
                        found = Some(e);
                    }
                }
                found
            };
            let forward = scan(Some(region))
                .or_else(|| scan(None))
                .or_else(|| d.entries.iter().find(|e| e.region.is_none()))
                .or_else(|| d.entries.first())
                .map(|e| &e.value)
                .unwrap();
            proptest::prop_assert_eq!(d.at(m, region), forward);
        }
    }

    #[test]
    fn latest_entry_in_force_and_region_wins() {
        let h: Holder = toml::from_str(
            r#"rate = [
                { from = "2019-05", value = 0.16 },
                { from = "2014-10", value = 0.20 },
                { from = 2030, value = 0.15, region = "beijing" },
            ]"#,
        )
        .unwrap();
        let r = &h.rate;
        assert_eq!(
            *r.at(YearMonth::ym(2010, 1), "beijing"),
            0.20,
            "before the first date"
        );
        assert_eq!(*r.at(YearMonth::ym(2019, 4), "beijing"), 0.20);
        assert_eq!(*r.at(YearMonth::ym(2019, 5), "beijing"), 0.16);
        assert_eq!(*r.at(YearMonth::ym(2030, 1), "beijing"), 0.15);
        assert_eq!(*r.at(YearMonth::ym(2030, 1), "sichuan"), 0.16);
        assert!(r.structural_problems().is_empty());
    }

    #[test]
    fn structural_problems_are_reported() {
        let only_regional = Dated {
            entries: vec![DatedEntry {
                from: None,
                region: Some("x".into()),
                value: 1,
            }],
        };
        assert!(only_regional.structural_problems()[0].contains("without `region`"));
        let dup = Dated::by_month([(YearMonth::ym(2020, 1), 1), (YearMonth::ym(2020, 1), 2)]);
        assert!(dup.structural_problems()[0].contains("two entries for 2020-01"));
    }
}

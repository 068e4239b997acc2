//! Calendar months. The model steps month by month, and every rule in the domain is dated by
//! month (retirement "60y1m", reforms "from 2014-10"), so a month index is the one time type.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar month, stored as months since January of year 0 so that differences and
/// comparisons are plain integer arithmetic.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct YearMonth(i32);

impl YearMonth {
    /// `month` is 1..=12; `None` outside that or outside years 1000..=9999.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        if !(1..=12).contains(&month) || !(1000..=9999).contains(&year) {
            return None;
        }
        Some(YearMonth(year * 12 + month as i32 - 1))
    }

    /// For literals in code and tests, where the month is known to be valid.
    pub const fn ym(year: i32, month: u32) -> Self {
        YearMonth(year * 12 + month as i32 - 1)
    }

    pub const fn from_index(index: i32) -> Self {
        YearMonth(index)
    }

    pub const fn index(self) -> i32 {
        self.0
    }

    pub const fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1..=12
    pub const fn month(self) -> u32 {
        (self.0.rem_euclid(12) + 1) as u32
    }

    pub const fn plus_months(self, months: i32) -> Self {
        YearMonth(self.0 + months)
    }

    /// Months from `earlier` to `self` (negative when `earlier` is later).
    pub const fn months_since(self, earlier: YearMonth) -> i32 {
        self.0 - earlier.0
    }

    /// Parses "YYYY-MM" or a bare "YYYY" (January).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (y, m) = match text.split_once('-') {
            Some((y, m)) => (y, Some(m)),
            None => (text, None),
        };
        let year: i32 = y
            .parse()
            .map_err(|_| format!("`{text}` is not a month: expected YYYY-MM, e.g. 2025-07"))?;
        let month: u32 = match m {
            Some(m) => m
                .parse()
                .map_err(|_| format!("`{text}` is not a month: expected YYYY-MM, e.g. 2025-07"))?,
            None => 1,
        };
        YearMonth::new(year, month).ok_or_else(|| {
            format!("`{text}` is not a month: year 1000..=9999 and month 01..=12 are allowed")
        })
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Year(i64),
        }
        match Raw::deserialize(d)? {
            Raw::Text(t) => YearMonth::parse(&t).map_err(serde::de::Error::custom),
            Raw::Year(y) => i32::try_from(y)
                .ok()
                .and_then(|y| YearMonth::new(y, 1))
                .ok_or_else(|| {
                    serde::de::Error::custom(format!("year {y} is outside 1000..=9999"))
                }),
        }
    }
}

/// An age or a span in whole months, printed the way benefit notices print ages: "60y1m".
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Months(pub i32);

impl Months {
    pub const fn years_months(y: i32, m: i32) -> Self {
        Months(y * 12 + m)
    }
    pub const fn whole_years(self) -> i32 {
        self.0.div_euclid(12)
    }
    pub const fn rem_months(self) -> i32 {
        self.0.rem_euclid(12)
    }
}

impl fmt::Display for Months {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}y{}m", self.whole_years(), self.rem_months())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_and_display() {
        let m = YearMonth::ym(2024, 6);
        assert_eq!(m.year(), 2024);
        assert_eq!(m.month(), 6);
        assert_eq!(m.plus_months(7).to_string(), "2025-01");
        assert_eq!(
            YearMonth::ym(2025, 1).months_since(YearMonth::ym(2014, 10)),
            123
        );
        assert_eq!(Months(60 * 12 + 1).to_string(), "60y1m");
    }

    #[test]
    fn parse_accepts_month_and_year_and_rejects_garbage() {
        assert_eq!(
            YearMonth::parse("2014-10").unwrap(),
            YearMonth::ym(2014, 10)
        );
        assert_eq!(YearMonth::parse("2030").unwrap(), YearMonth::ym(2030, 1));
        assert!(YearMonth::parse("2014-13").unwrap_err().contains("01..=12"));
        assert!(YearMonth::parse("oct").is_err());
    }

    #[test]
    fn serde_round_trip() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct T {
            a: YearMonth,
            b: YearMonth,
        }
        let t: T = toml::from_str("a = \"1990-07\"\nb = 2030\n").unwrap();
        assert_eq!(t.a, YearMonth::ym(1990, 7));
        assert_eq!(t.b, YearMonth::ym(2030, 1));
        assert_eq!(
            toml::to_string(&t).unwrap(),
            "a = \"1990-07\"\nb = \"2030-01\"\n"
        );
    }
}

//! The national average-wage series that carries a region's wage tables back before their
//! first published entry.
//!
//! The regional rule table starts each region's average wage and calculation base at its
//! first published figure (2023–2025). Reconstructing a past record, or the award of a
//! pensioner who retired decades before the start, needs the years before. Nominal wages grew
//! 10–15 % a year from the 1990s to the early 2010s, so a flat deflator understates how low
//! they were: a 2005 retirement deflated at 4 % from a 2024 base of 8,321 yuan would be
//! awarded on 3,950 yuan where the published bases of the time were near 1,200. Before a
//! region's first entry its series moves with this national series instead: the region keeps
//! its position relative to the national average of its first published year.

/// National Bureau of Statistics, 中国统计年鉴 (城镇非私营单位就业人员年平均工资; 职工平均工资
/// before 2009) and the yearly average-wage releases (2024: 124,110 yuan, released 2025-05).
pub const SRC_NATIONAL_WAGE: &str =
    "国家统计局 中国统计年鉴 (城镇非私营单位就业人员年平均工资, 1978–2008 职工平均工资); 2024: 124,110 元 (国家统计局 2025-05)";

/// Yearly average wage, yuan, 1978–2024.
const NATIONAL_WAGE: [(i32, f64); 47] = [
    (1978, 615.0),
    (1979, 668.0),
    (1980, 762.0),
    (1981, 772.0),
    (1982, 798.0),
    (1983, 826.0),
    (1984, 974.0),
    (1985, 1_148.0),
    (1986, 1_329.0),
    (1987, 1_459.0),
    (1988, 1_747.0),
    (1989, 1_935.0),
    (1990, 2_140.0),
    (1991, 2_340.0),
    (1992, 2_711.0),
    (1993, 3_371.0),
    (1994, 4_538.0),
    (1995, 5_500.0),
    (1996, 6_210.0),
    (1997, 6_470.0),
    (1998, 7_479.0),
    (1999, 8_346.0),
    (2000, 9_371.0),
    (2001, 10_870.0),
    (2002, 12_422.0),
    (2003, 14_040.0),
    (2004, 16_024.0),
    (2005, 18_364.0),
    (2006, 21_001.0),
    (2007, 24_932.0),
    (2008, 29_229.0),
    (2009, 32_244.0),
    (2010, 36_539.0),
    (2011, 41_799.0),
    (2012, 46_769.0),
    (2013, 51_483.0),
    (2014, 56_360.0),
    (2015, 62_029.0),
    (2016, 67_569.0),
    (2017, 74_318.0),
    (2018, 82_413.0),
    (2019, 90_501.0),
    (2020, 97_379.0),
    (2021, 106_837.0),
    (2022, 114_029.0),
    (2023, 120_698.0),
    (2024, 124_110.0),
];

/// The national average wage of `year`; before 1978 the 1978 level (nominal wages were about
/// flat from the late 1950s to 1978), after 2024 `None` (the caller projects).
pub fn national_wage(year: i32) -> Option<f64> {
    let (first, last) = (NATIONAL_WAGE[0], NATIONAL_WAGE[NATIONAL_WAGE.len() - 1]);
    if year > last.0 {
        return None;
    }
    let i = (year.max(first.0) - first.0) as usize;
    Some(NATIONAL_WAGE[i].1)
}

/// The factor that carries a value published for `from_year` back to `year` (≤ `from_year`):
/// the ratio of the national wages, or `None` when either year is past the series.
pub fn back_factor(year: i32, from_year: i32) -> Option<f64> {
    Some(national_wage(year)? / national_wage(from_year)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_series_is_by_consecutive_years_and_rising_since_1985() {
        for w in NATIONAL_WAGE.windows(2) {
            assert_eq!(w[1].0, w[0].0 + 1);
        }
        assert!(NATIONAL_WAGE
            .iter()
            .skip_while(|r| r.0 < 1985)
            .collect::<Vec<_>>()
            .windows(2)
            .all(|w| w[1].1 > w[0].1));
        assert_eq!(national_wage(1960), Some(615.0));
        assert_eq!(national_wage(2025), None);
    }

    #[test]
    fn a_2024_base_carried_back_to_2005_is_near_the_published_bases_of_the_time() {
        // Sichuan's 2024 base of 8,321 carried back to 2005: about 1,231 yuan a month.
        let b = 8_321.0 * back_factor(2005, 2024).unwrap();
        assert!((b - 1_231.0).abs() < 1.0, "{b}");
    }
}

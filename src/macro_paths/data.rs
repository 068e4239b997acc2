//! The published yearly series the default processes are fitted to, with their sources. The
//! fits themselves are computed in the tests below and reported in docs/PLANNER.md.

/// Personal-account book rate (记账利率), 2016–2025: unified nationally by 人社部发〔2017〕31号
/// (统一和规范职工养老保险个人账户记账利率办法) and announced each year by 人力资源社会保障部办公厅
/// and 财政部办公厅 (关于公布职工基本养老保险个人账户记账利率等参数的通知); 2025 unconfirmed.
pub const BOOK_RATE: &[(i32, f64)] = &[
    (2016, 0.0831),
    (2017, 0.0712),
    (2018, 0.0829),
    (2019, 0.0761),
    (2020, 0.0604),
    (2021, 0.0669),
    (2022, 0.0612),
    (2023, 0.0397),
    (2024, 0.0262),
    (2025, 0.0150),
];
pub const BOOK_RATE_SOURCE: &str =
    "人社部发〔2017〕31号 and the yearly 个人账户记账利率 notices of 人社部办公厅 / 财政部办公厅 (2016–2024); 2025 unconfirmed";

/// Weighted average investment return of enterprise annuity funds (全国企业年金基金加权平均收益率),
/// 2016–2023: 人社部社会保险基金监管局, 全国企业年金基金业务数据摘要 of each year.
pub const ENTERPRISE_ANNUITY_RETURN: &[(i32, f64)] = &[
    (2016, 0.0303),
    (2017, 0.0500),
    (2018, 0.0301),
    (2019, 0.0830),
    (2020, 0.1031),
    (2021, 0.0533),
    (2022, -0.0183),
    (2023, 0.0121),
];
pub const ANNUITY_RETURN_SOURCE: &str =
    "人社部 全国企业年金基金业务数据摘要 2016–2023 (加权平均收益率); occupational annuities invest under the same rules (人社部发〔2016〕92号)";

/// Consumer price index, change on the previous year, 2016–2024: 国家统计局,
/// 国民经济和社会发展统计公报 of each year.
pub const CPI: &[(i32, f64)] = &[
    (2016, 0.020),
    (2017, 0.016),
    (2018, 0.021),
    (2019, 0.029),
    (2020, 0.025),
    (2021, 0.009),
    (2022, 0.020),
    (2023, 0.002),
    (2024, 0.002),
];
pub const CPI_SOURCE: &str = "国家统计局 国民经济和社会发展统计公报 2016–2024 (CPI)";

/// Nominal growth of the average wage of urban non-private units (城镇非私营单位就业人员年平均工资),
/// 2016–2024: 国家统计局, yearly release on average wages.
pub const WAGE_GROWTH: &[(i32, f64)] = &[
    (2016, 0.089),
    (2017, 0.100),
    (2018, 0.110),
    (2019, 0.098),
    (2020, 0.076),
    (2021, 0.097),
    (2022, 0.067),
    (2023, 0.058),
    (2024, 0.028),
];
pub const WAGE_SOURCE: &str =
    "国家统计局 yearly release of 城镇非私营单位就业人员年平均工资 2016–2024";

/// The values of a series, in year order.
pub fn values(series: &[(i32, f64)]) -> Vec<f64> {
    series.iter().map(|&(_, v)| v).collect()
}

#[cfg(test)]
mod tests {
    use super::super::process::fit_ar1;
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    /// The numbers docs/PLANNER.md reports. Book rates and wage growth fell steadily over the
    /// decade, so their least-squares persistence is above 1: the defaults then take the
    /// fitted innovation and a stationary persistence of 0.8 (see `MacroParams::default`).
    #[test]
    fn fits_of_the_published_series() {
        let b = fit_ar1(&values(BOOK_RATE)).unwrap();
        assert!(
            close(b.phi, 1.084, 0.001) && close(b.sigma, 0.0112, 0.0001),
            "{b:?}"
        );
        let w = fit_ar1(&values(WAGE_GROWTH)).unwrap();
        assert!(
            close(w.phi, 1.064, 0.001) && close(w.sigma, 0.0212, 0.0001),
            "{w:?}"
        );
        let a = fit_ar1(&values(ENTERPRISE_ANNUITY_RETURN)).unwrap();
        assert!(close(a.phi, 0.380, 0.001), "{a:?}");
        assert!(
            close(a.mean, 0.0432, 0.0001) && close(a.sigma, 0.0421, 0.0001),
            "{a:?}"
        );
        let c = fit_ar1(&values(CPI)).unwrap();
        assert!(close(c.phi, 0.451, 0.001), "{c:?}");
        assert!(
            close(c.mean, 0.0137, 0.0001) && close(c.sigma, 0.0102, 0.0001),
            "{c:?}"
        );
    }

    #[test]
    fn defaults_use_the_fitted_figures() {
        let m = super::super::MacroParams::default();
        assert_eq!(m.book_rate.sigma, 0.0112);
        assert_eq!(m.wage_growth.sigma, 0.0212);
        assert_eq!(
            (
                m.enterprise_return.phi,
                m.enterprise_return.mean,
                m.enterprise_return.sigma
            ),
            (0.38, 0.0432, 0.0421)
        );
        assert_eq!(
            (m.inflation.phi, m.inflation.mean, m.inflation.sigma),
            (0.451, 0.0137, 0.0102)
        );
        assert_eq!(m.occupational_return, m.enterprise_return);
    }
}

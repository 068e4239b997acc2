//! Summary statistics of the sweep and comparison tables. Sums run in the order given, so the
//! same values in the same order give the same bits.

use crate::plot::stats::quantile_sorted;

/// Mean, sample standard deviation and a 95 % confidence interval of the mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanCi {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (n − 1 in the denominator); `None` for fewer than two values.
    pub sd: Option<f64>,
    /// Student-t 95 % interval of the mean; `None` for fewer than two values.
    pub ci: Option<(f64, f64)>,
}

/// Mean, standard deviation and the 95 % Student-t interval of the finite values of `xs`;
/// `None` when there is no finite value.
pub fn mean_ci(xs: &[f64]) -> Option<MeanCi> {
    let v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let mean = v.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Some(MeanCi {
            n,
            mean,
            sd: None,
            ci: None,
        });
    }
    let ss: f64 = v.iter().map(|x| (x - mean) * (x - mean)).sum();
    let sd = (ss / (n - 1) as f64).sqrt();
    let half = t975(n - 1) * sd / (n as f64).sqrt();
    Some(MeanCi {
        n,
        mean,
        sd: Some(sd),
        ci: Some((mean - half, mean + half)),
    })
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (two-sided 95 %): exact to
/// three decimals from the table for df ≤ 30, the Cornish–Fisher expansion above (error below
/// 1e-4 there).
pub fn t975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df - 1],
        _ => {
            let z: f64 = 1.959_963_984_540_054;
            let v = df as f64;
            let z3 = z.powi(3);
            let z5 = z.powi(5);
            let z7 = z.powi(7);
            z + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
        }
    }
}

/// The quantile levels of the distribution tables.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Type-7 quantiles (R's default) of the finite values at `levels`; `None` without a finite
/// value. The same code as the figures (`plot::stats`), so numbers match them.
pub fn quantiles(xs: &[f64], levels: &[f64]) -> Option<Vec<f64>> {
    let sorted = crate::plot::stats::finite_sorted(xs);
    if sorted.is_empty() {
        return None;
    }
    levels
        .iter()
        .map(|&q| quantile_sorted(&sorted, q).ok())
        .collect()
}

/// A float as the shortest text that reads back to the same bits (`3000`, `0.05`); empty for
/// non-finite values, which the tables leave blank.
pub fn fmt(x: f64) -> String {
    if x.is_finite() {
        // -0 and 0 print the same, so equal tables do not differ by a sign bit.
        if x == 0.0 {
            "0".into()
        } else {
            format!("{x}")
        }
    } else {
        String::new()
    }
}

/// [`fmt`] of an optional value.
pub fn fmt_opt(x: Option<f64>) -> String {
    x.map(fmt).unwrap_or_default()
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV line from fields (quoted as needed), without the line break.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    fields
        .iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_sd_and_interval_by_hand() {
        // 1..=5: mean 3, sd sqrt(2.5), half-width t(4) * sd / sqrt(5) = 2.776 * 0.70711
        let m = mean_ci(&[1.0, 2.0, 3.0, 4.0, 5.0, f64::NAN]).unwrap();
        assert_eq!(m.n, 5);
        assert_eq!(m.mean, 3.0);
        assert!((m.sd.unwrap() - 2.5f64.sqrt()).abs() < 1e-12);
        let (lo, hi) = m.ci.unwrap();
        assert!((hi - 3.0 - 2.776 * 2.5f64.sqrt() / 5f64.sqrt()).abs() < 1e-12);
        assert!((3.0 - lo - (hi - 3.0)).abs() < 1e-12);
        let one = mean_ci(&[7.0]).unwrap();
        assert_eq!((one.sd, one.ci), (None, None));
        assert!(mean_ci(&[f64::NAN]).is_none());
    }

    #[test]
    fn t_quantile_joins_the_table_smoothly() {
        assert_eq!(t975(10), 2.228);
        // Known values: t(40) = 2.0211, t(60) = 2.0003, t(120) = 1.9799.
        assert!((t975(40) - 2.0211).abs() < 2e-4);
        assert!((t975(60) - 2.0003).abs() < 1e-4);
        assert!((t975(120) - 1.9799).abs() < 1e-4);
        assert!(t975(31) < t975(30) && t975(31) > t975(32));
    }

    #[test]
    fn formatting_round_trips() {
        for x in [0.1 + 0.2, 3000.0, -1.5e-9, 123456.789] {
            assert_eq!(fmt(x).parse::<f64>().unwrap(), x);
        }
        assert_eq!(fmt(-0.0), "0");
        assert_eq!(fmt(f64::NAN), "");
        assert_eq!(csv_line(&["a,b", "c\"d", "e"]), "\"a,b\",\"c\"\"d\",e");
        assert_eq!(
            quantiles(&[3.0, 1.0, 2.0], &[0.0, 0.5, 1.0]),
            Some(vec![1.0, 2.0, 3.0])
        );
    }
}

//! Summary statistics behind the figures, public so that numbers quoted in a paper's text can be
//! computed by exactly the same code that drew the figure.
//!
//! NaN policy (the same for every function here): non-finite values (NaN, +∞, −∞) are *skipped*,
//! because a simulation output that is missing for one agent or replication should not poison a
//! whole distribution. A sample left with no finite value is an error ([`PlotError::EmptyInput`]),
//! never a panic.

use super::error::PlotError;

/// The finite values of `values`, sorted ascending (NaN and ±∞ dropped).
pub fn finite_sorted(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Checks that `q` is a probability; shared by every quantile-taking function.
fn check_probability(q: f64) -> Result<(), PlotError> {
    if (0.0..=1.0).contains(&q) {
        Ok(())
    } else {
        Err(PlotError::InvalidArgument(format!(
            "quantile level {q} is not in [0, 1]"
        )))
    }
}

/// Quantile `q` ∈ [0, 1] of an already sorted, all-finite slice, with linear interpolation
/// between order statistics (Hyndman & Fan type 7: R's default, NumPy's `"linear"`), so that the
/// figures agree with what a reader recomputes in R or NumPy.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Result<f64, PlotError> {
    check_probability(q)?;
    if sorted.is_empty() {
        return Err(PlotError::EmptyInput("quantile of an empty sample".into()));
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Ok(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Quantile `q` of `values` (any order, non-finite values skipped); see [`quantile_sorted`].
pub fn quantile(values: &[f64], q: f64) -> Result<f64, PlotError> {
    quantile_sorted(&finite_sorted(values), q)
}

/// Points of the empirical CDF: one `(x, F(x))` per distinct finite value, ascending, where
/// `F(x)` is the share of finite values `<= x`. Ties collapse into one point, so the figure's
/// step heights are exact.
pub fn ecdf_points(values: &[f64]) -> Result<Vec<(f64, f64)>, PlotError> {
    let sorted = finite_sorted(values);
    if sorted.is_empty() {
        return Err(PlotError::EmptyInput(
            "ECDF of a sample without finite values".into(),
        ));
    }
    let n = sorted.len() as f64;
    let mut points: Vec<(f64, f64)> = Vec::new();
    for (i, &x) in sorted.iter().enumerate() {
        let share = (i + 1) as f64 / n;
        match points.last_mut() {
            Some(last) if last.0 == x => last.1 = share,
            _ => points.push((x, share)),
        }
    }
    Ok(points)
}

/// `bins + 1` equally spaced bin edges spanning the pooled finite min and max of all `samples`,
/// so overlaid histograms share their bins and can be compared bar by bar. If every value is the
/// same, the range is widened to `value ± 0.5` so that the bins have a positive width.
pub fn histogram_edges(samples: &[&[f64]], bins: usize) -> Result<Vec<f64>, PlotError> {
    if bins == 0 {
        return Err(PlotError::InvalidArgument(
            "a histogram needs at least one bin".into(),
        ));
    }
    let finite = samples
        .iter()
        .flat_map(|s| s.iter())
        .filter(|x| x.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
        (lo.min(x), hi.max(x))
    });
    if lo > hi {
        return Err(PlotError::EmptyInput(
            "histogram samples have no finite values".into(),
        ));
    }
    let (lo, hi) = if lo == hi {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    };
    let width = (hi - lo) / bins as f64;
    let mut edges: Vec<f64> = (0..bins).map(|i| lo + i as f64 * width).collect();
    // The last edge is set exactly, not accumulated, so the maximum always falls in the last bin.
    edges.push(hi);
    Ok(edges)
}

/// Counts of the finite `values` per bin defined by ascending `edges` (as from
/// [`histogram_edges`]). Bins are half-open `[e_i, e_{i+1})` except the last, which is closed so
/// that the maximum is counted; values outside the edges are ignored.
pub fn bin_counts(values: &[f64], edges: &[f64]) -> Vec<usize> {
    let bins = edges.len().saturating_sub(1);
    let mut counts = vec![0; bins];
    if bins == 0 {
        return counts;
    }
    let (first, last) = (edges[0], edges[bins]);
    for &v in values.iter().filter(|x| x.is_finite()) {
        if v < first || v > last {
            continue;
        }
        let idx = edges
            .partition_point(|&e| e <= v)
            .saturating_sub(1)
            .min(bins - 1);
        counts[idx] += 1;
    }
    counts
}

/// Tukey box-plot statistics of one sample.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStats {
    /// Number of finite values used.
    pub n: usize,
    /// First quartile (type-7 quantile 0.25).
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile (type-7 quantile 0.75).
    pub q3: f64,
    /// Smallest value not below `q1 - 1.5 * IQR`.
    pub lower_whisker: f64,
    /// Largest value not above `q3 + 1.5 * IQR`.
    pub upper_whisker: f64,
    /// Values beyond the whiskers, ascending.
    pub outliers: Vec<f64>,
}

/// Box-plot statistics with whiskers at 1.5 IQR (Tukey), the convention most readers assume.
pub fn box_stats(values: &[f64]) -> Result<BoxStats, PlotError> {
    let sorted = finite_sorted(values);
    if sorted.is_empty() {
        return Err(PlotError::EmptyInput(
            "box plot of a sample without finite values".into(),
        ));
    }
    let q1 = quantile_sorted(&sorted, 0.25)?;
    let median = quantile_sorted(&sorted, 0.5)?;
    let q3 = quantile_sorted(&sorted, 0.75)?;
    let iqr = q3 - q1;
    let (lo_fence, hi_fence) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    let inside = |x: &&f64| (lo_fence..=hi_fence).contains(*x);
    // Quartiles lie inside the fences, so at least one value does too; fall back defensively.
    let lower_whisker = sorted.iter().find(inside).copied().unwrap_or(q1);
    let upper_whisker = sorted.iter().rev().find(inside).copied().unwrap_or(q3);
    let outliers = sorted
        .iter()
        .copied()
        .filter(|x| !(lo_fence..=hi_fence).contains(x))
        .collect();
    Ok(BoxStats {
        n: sorted.len(),
        q1,
        median,
        q3,
        lower_whisker,
        upper_whisker,
        outliers,
    })
}

/// One time point of a percentile band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    /// The x value (month index, year...).
    pub x: f64,
    /// The lower quantile across replications.
    pub lower: f64,
    /// The median across replications.
    pub median: f64,
    /// The upper quantile across replications.
    pub upper: f64,
}

/// Median and `[lower_q, upper_q]` quantiles across replications at each time point.
///
/// `replications` is a replications × time matrix: one row per replication, each row as long as
/// `x`. Non-finite cells are skipped; a time point with no finite cell at all is left out of the
/// result (the figure then bridges the gap) rather than invented. Errors: ragged rows,
/// non-finite `x`, `lower_q >= upper_q`, or no finite cell anywhere.
pub fn percentile_band(
    x: &[f64],
    replications: &[Vec<f64>],
    lower_q: f64,
    upper_q: f64,
) -> Result<Vec<BandPoint>, PlotError> {
    check_probability(lower_q)?;
    check_probability(upper_q)?;
    if lower_q >= upper_q {
        return Err(PlotError::InvalidArgument(format!(
            "band quantiles must satisfy lower < upper, got {lower_q} and {upper_q}"
        )));
    }
    check_matrix(x, replications)?;
    let mut band = Vec::with_capacity(x.len());
    for (t, &xt) in x.iter().enumerate() {
        let column: Vec<f64> = replications.iter().map(|row| row[t]).collect();
        let sorted = finite_sorted(&column);
        if sorted.is_empty() {
            continue;
        }
        band.push(BandPoint {
            x: xt,
            lower: quantile_sorted(&sorted, lower_q)?,
            median: quantile_sorted(&sorted, 0.5)?,
            upper: quantile_sorted(&sorted, upper_q)?,
        });
    }
    if band.is_empty() {
        return Err(PlotError::EmptyInput(
            "replication matrix has no finite values".into(),
        ));
    }
    Ok(band)
}

/// Shape checks for [`percentile_band`]: non-empty, finite x, every row as long as x.
fn check_matrix(x: &[f64], replications: &[Vec<f64>]) -> Result<(), PlotError> {
    if x.is_empty() || replications.is_empty() {
        return Err(PlotError::EmptyInput(
            "no time points or no replications".into(),
        ));
    }
    if let Some(bad) = x.iter().find(|v| !v.is_finite()) {
        return Err(PlotError::InvalidArgument(format!(
            "x values must be finite, found {bad}"
        )));
    }
    if let Some((i, row)) = replications
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != x.len())
    {
        return Err(PlotError::InvalidArgument(format!(
            "replication {i} has {} values but there are {} x values",
            row.len(),
            x.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    #[test]
    fn quantile_interpolates_linearly() {
        // n = 4, h = 3q: q=0.25 -> h=0.75 -> 1 + 0.75*(2-1) = 1.75; q=0.5 -> h=1.5 -> 2.5.
        let v = [4.0, NAN, 1.0, 3.0, 2.0, f64::INFINITY];
        assert_eq!(quantile(&v, 0.0).unwrap(), 1.0);
        assert_eq!(quantile(&v, 0.25).unwrap(), 1.75);
        assert_eq!(quantile(&v, 0.5).unwrap(), 2.5);
        assert_eq!(quantile(&v, 1.0).unwrap(), 4.0);
        // n = 5, q = 0.9 -> h = 3.6 -> 40 + 0.6*(50-40) = 46.
        assert!((quantile(&[10.0, 20.0, 30.0, 40.0, 50.0], 0.9).unwrap() - 46.0).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.3).unwrap(), 7.0);
    }

    #[test]
    fn quantile_rejects_bad_input() {
        assert!(matches!(quantile(&[], 0.5), Err(PlotError::EmptyInput(_))));
        assert!(matches!(
            quantile(&[NAN, NAN], 0.5),
            Err(PlotError::EmptyInput(_))
        ));
        for q in [-0.1, 1.1, NAN] {
            assert!(matches!(
                quantile(&[1.0], q),
                Err(PlotError::InvalidArgument(_))
            ));
        }
    }

    #[test]
    fn ecdf_collapses_ties() {
        let pts = ecdf_points(&[3.0, 1.0, NAN, 2.0, 2.0]).unwrap();
        assert_eq!(pts, vec![(1.0, 0.25), (2.0, 0.75), (3.0, 1.0)]);
        assert!(ecdf_points(&[NAN]).is_err());
    }

    #[test]
    fn histogram_edges_span_pooled_range() {
        let a = [0.0, 1.0, NAN];
        let b = [3.0, 4.0];
        assert_eq!(
            histogram_edges(&[&a, &b], 4).unwrap(),
            vec![0.0, 1.0, 2.0, 3.0, 4.0]
        );
        assert_eq!(
            histogram_edges(&[&[2.0, 2.0]], 2).unwrap(),
            vec![1.5, 2.0, 2.5]
        );
        assert!(matches!(
            histogram_edges(&[&a], 0),
            Err(PlotError::InvalidArgument(_))
        ));
        assert!(matches!(
            histogram_edges(&[&[NAN]], 3),
            Err(PlotError::EmptyInput(_))
        ));
        assert!(matches!(
            histogram_edges(&[], 3),
            Err(PlotError::EmptyInput(_))
        ));
    }

    #[test]
    fn bin_counts_close_the_last_bin() {
        let edges = [0.0, 1.0, 2.0, 3.0, 4.0];
        // 4.0 lands in the last (closed) bin, 1.0 in [1, 2); -1 and 5 and NaN are ignored.
        let counts = bin_counts(&[0.0, 0.5, 1.0, 2.0, 3.0, 4.0, -1.0, 5.0, NAN], &edges);
        assert_eq!(counts, vec![2, 1, 1, 2]);
        assert!(bin_counts(&[1.0], &[0.0]).is_empty());
    }

    #[test]
    fn box_stats_tukey_whiskers() {
        // Sorted 1..=9, 100; n=10. q1: h=2.25 -> 3.25; median: h=4.5 -> 5.5; q3: h=6.75 -> 7.75.
        // IQR = 4.5, fences -3.5 and 14.5: whiskers 1 and 9, outlier 100.
        let v = [100.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, NAN];
        let s = box_stats(&v).unwrap();
        assert_eq!(s.n, 10);
        assert_eq!((s.q1, s.median, s.q3), (3.25, 5.5, 7.75));
        assert_eq!((s.lower_whisker, s.upper_whisker), (1.0, 9.0));
        assert_eq!(s.outliers, vec![100.0]);
        assert!(box_stats(&[]).is_err());
    }

    #[test]
    fn percentile_band_per_column() {
        let x = [0.0, 1.0, 2.0];
        let reps = vec![
            vec![1.0, 10.0, NAN],
            vec![2.0, 20.0, NAN],
            vec![3.0, NAN, NAN],
        ];
        let band = percentile_band(&x, &reps, 0.0, 1.0).unwrap();
        // Column 2 has no finite value and is dropped; column 1 uses its two finite values.
        assert_eq!(
            band,
            vec![
                BandPoint {
                    x: 0.0,
                    lower: 1.0,
                    median: 2.0,
                    upper: 3.0
                },
                BandPoint {
                    x: 1.0,
                    lower: 10.0,
                    median: 15.0,
                    upper: 20.0
                },
            ]
        );
        // 5-95 %: column 0 has h = 2 * 0.05 = 0.1 -> 1.1 and h = 1.9 -> 2.9.
        let b = percentile_band(&x, &reps, 0.05, 0.95).unwrap();
        assert!((b[0].lower - 1.1).abs() < 1e-12 && (b[0].upper - 2.9).abs() < 1e-12);
    }

    #[test]
    fn percentile_band_rejects_bad_shapes() {
        let x = [0.0, 1.0];
        assert!(matches!(
            percentile_band(&x, &[vec![1.0]], 0.05, 0.95),
            Err(PlotError::InvalidArgument(_))
        ));
        assert!(matches!(
            percentile_band(&x, &[], 0.05, 0.95),
            Err(PlotError::EmptyInput(_))
        ));
        assert!(matches!(
            percentile_band(&x, &[vec![1.0, 2.0]], 0.9, 0.1),
            Err(PlotError::InvalidArgument(_))
        ));
        assert!(matches!(
            percentile_band(&x, &[vec![NAN, NAN]], 0.1, 0.9),
            Err(PlotError::EmptyInput(_))
        ));
        assert!(matches!(
            percentile_band(&[NAN], &[vec![1.0]], 0.1, 0.9),
            Err(PlotError::InvalidArgument(_))
        ));
    }
}

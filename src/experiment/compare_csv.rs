//! A [`Comparison`] as tidy CSV (`compare.csv`): one line per metric, date, group, key and
//! run, with the run's count, mean, interval and quantiles, and its difference from the
//! reference run; empty cells where a figure does not exist (no interval under two values).

use super::compare::Comparison;
use super::stats::{csv_line, fmt, fmt_opt, QUANTILES};

/// The CSV header of [`Comparison::to_csv`].
pub fn csv_header() -> String {
    let mut h: Vec<String> = [
        "metric",
        "at",
        "basis",
        "group",
        "key",
        "run",
        "n",
        "mean",
        "ci95_low",
        "ci95_high",
    ]
    .map(String::from)
    .to_vec();
    h.extend(
        QUANTILES
            .iter()
            .map(|q| format!("q{:02}", (q * 100.0).round() as u32)),
    );
    h.extend(
        [
            "diff_paired",
            "diff_pairs",
            "diff_mean",
            "diff_ci95_low",
            "diff_ci95_high",
            "share_gain",
            "share_loss",
            "diff_population",
            "warning",
        ]
        .map(String::from),
    );
    h.join(",")
}

impl Comparison {
    /// The comparison as CSV text: one line per row, runs named by folder.
    pub fn to_csv(&self) -> String {
        let mut out = csv_header();
        out.push('\n');
        for r in &self.rows {
            let mut f = vec![
                r.metric.to_string(),
                r.at.map(|m| m.to_string()).unwrap_or_default(),
                r.basis.name().to_string(),
                r.group.to_string(),
                r.key.clone(),
                self.runs[r.run].clone(),
                r.n.to_string(),
                fmt_opt(r.mean),
                fmt_opt(r.ci.map(|c| c.0)),
                fmt_opt(r.ci.map(|c| c.1)),
            ];
            for i in 0..QUANTILES.len() {
                f.push(fmt_opt(r.quantiles.as_ref().map(|q| q[i])));
            }
            match &r.diff {
                Some(d) => {
                    f.push(d.paired.to_string());
                    f.push(d.pairs.to_string());
                    f.push(if d.mean.is_nan() {
                        String::new()
                    } else {
                        fmt(d.mean)
                    });
                    f.push(fmt_opt(d.ci.map(|c| c.0)));
                    f.push(fmt_opt(d.ci.map(|c| c.1)));
                    f.push(fmt_opt(d.share_gain));
                    f.push(fmt_opt(d.share_loss));
                    f.push(if d.paired {
                        d.population.to_string()
                    } else {
                        String::new()
                    });
                }
                None => f.extend(std::iter::repeat_n(String::new(), 8)),
            }
            f.push(r.warning.clone().unwrap_or_default());
            out.push_str(&csv_line(&f));
            out.push('\n');
        }
        out
    }
}

//! Plain input types of the figures: borrowed slices and names, so callers keep their own
//! storage and the plot module depends on no simulation type.

/// A named sample of values (e.g. replacement rates of all agents under one scenario).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample<'a> {
    /// Series name: legend text and colour key.
    pub name: &'a str,
    /// The values; non-finite ones are skipped.
    pub values: &'a [f64],
}

impl<'a> Sample<'a> {
    /// A named sample.
    pub fn new(name: &'a str, values: &'a [f64]) -> Self {
        Sample { name, values }
    }
}

/// A named replications × time matrix for a percentile-band chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandSeries<'a> {
    /// Series name: legend text and colour key.
    pub name: &'a str,
    /// The x value of each time column (month index, year...), finite.
    pub x: &'a [f64],
    /// One row per replication, each as long as `x`; non-finite cells are skipped.
    pub replications: &'a [Vec<f64>],
}

impl<'a> BandSeries<'a> {
    /// A named band series.
    pub fn new(name: &'a str, x: &'a [f64], replications: &'a [Vec<f64>]) -> Self {
        BandSeries {
            name,
            x,
            replications,
        }
    }
}

/// One series of a grouped box plot: one sample per group, in the order of the group labels.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxSeries<'a> {
    /// Series name: legend text and colour key.
    pub name: &'a str,
    /// `groups[i]` is this series' sample in group `i`; an empty (or all-NaN) sample draws no box.
    pub groups: Vec<&'a [f64]>,
}

impl<'a> BoxSeries<'a> {
    /// A named box series.
    pub fn new(name: &'a str, groups: Vec<&'a [f64]>) -> Self {
        BoxSeries { name, groups }
    }
}

/// Morris elementary-effects result of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisPoint<'a> {
    /// Parameter name, written beside the point.
    pub name: &'a str,
    /// Mean of absolute elementary effects (overall influence).
    pub mu_star: f64,
    /// Standard deviation of elementary effects (non-linearity / interactions).
    pub sigma: f64,
}

impl<'a> MorrisPoint<'a> {
    /// A labelled Morris point.
    pub fn new(name: &'a str, mu_star: f64, sigma: f64) -> Self {
        MorrisPoint {
            name,
            mu_star,
            sigma,
        }
    }
}

/// Errors unless there is at least one series, naming the figure kind in the message.
pub(crate) fn require_some<T>(items: &[T], what: &str) -> Result<(), super::PlotError> {
    if items.is_empty() {
        Err(super::PlotError::EmptyInput(format!(
            "{what}: no series given"
        )))
    } else {
        Ok(())
    }
}

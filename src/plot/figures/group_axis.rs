//! A categorical x axis for box plots: groups at 0, 1, 2, ... with their names as tick labels.
//!
//! Plotters' segmented axes only place elements at segment centres; boxes of several series
//! must sit side by side at fractional offsets, so the axis stays numeric (f64) and only its
//! ticks and tick text are categorical.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

/// Numeric axis over `[-0.5, n - 0.5]` with one tick per group, labelled with its name.
pub(crate) struct GroupAxis {
    labels: Vec<String>,
}

impl GroupAxis {
    pub(crate) fn new(labels: Vec<String>) -> Self {
        GroupAxis { labels }
    }

    fn bounds(&self) -> (f64, f64) {
        (-0.5, self.labels.len() as f64 - 0.5)
    }
}

impl Ranged for GroupAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (lo, hi) = self.bounds();
        let t = (value - lo) / (hi - lo);
        (f64::from(limit.0) + t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        // Every group is labelled: dropping some names would make the figure unreadable.
        (0..self.labels.len()).map(|i| i as f64).collect()
    }

    fn range(&self) -> Range<f64> {
        let (lo, hi) = self.bounds();
        lo..hi
    }
}

impl ValueFormatter<f64> for GroupAxis {
    fn format(value: &f64) -> String {
        format!("{value}")
    }

    fn format_ext(&self, value: &f64) -> String {
        let i = value.round();
        if i >= 0.0 && (i as usize) < self.labels.len() {
            self.labels[i as usize].clone()
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_and_labels_are_the_groups() {
        let axis = GroupAxis::new(vec!["教学 teaching".into(), "admin".into()]);
        assert_eq!(axis.key_points(10usize), vec![0.0, 1.0]);
        assert_eq!(axis.format_ext(&1.0), "admin");
        assert_eq!(axis.format_ext(&5.0), "");
        // [-0.5, 1.5] onto pixels 0..200: group 0 at 50, group 1 at 150.
        assert_eq!(axis.map(&0.0, (0, 200)), 50);
        assert_eq!(axis.map(&1.0, (0, 200)), 150);
        assert_eq!(axis.range(), -0.5..1.5);
    }
}

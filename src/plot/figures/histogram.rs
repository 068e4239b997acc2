//! Overlaid histograms on shared bins.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::chart::{build_chart, draw_legend, draw_mesh, padded};
use crate::plot::data::{require_some, Sample};
use crate::plot::error::{render_err, PlotError};
use crate::plot::output::{render, Figure};
use crate::plot::stats::{bin_counts, finite_sorted, histogram_edges};
use crate::plot::style::FigureStyle;

/// What the bar heights mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistogramScale {
    /// Number of values per bin.
    Count,
    /// Share of the sample's finite values per bin, so samples of different sizes compare.
    Share,
}

/// Overlaid histograms of several named samples on shared bins (from the pooled min/max, see
/// [`histogram_edges`]) with translucent fills and a legend showing each sample's size.
/// Non-finite values are skipped; a sample with no finite value is an error.
pub fn histogram(
    path: impl AsRef<Path>,
    style: &FigureStyle,
    samples: &[Sample<'_>],
    bins: usize,
    scale: HistogramScale,
) -> Result<(), PlotError> {
    require_some(samples, "histogram")?;
    let values: Vec<&[f64]> = samples.iter().map(|s| s.values).collect();
    let edges = histogram_edges(&values, bins)?;
    let bars = samples
        .iter()
        .map(|s| HistBars::new(s, &edges, scale))
        .collect::<Result<Vec<_>, _>>()?;
    render(path.as_ref(), style, &HistogramFigure { edges, bars })
}

/// Bar heights of one sample.
struct HistBars {
    name: String,
    n: usize,
    heights: Vec<f64>,
}

impl HistBars {
    fn new(sample: &Sample<'_>, edges: &[f64], scale: HistogramScale) -> Result<Self, PlotError> {
        let n = finite_sorted(sample.values).len();
        if n == 0 {
            return Err(PlotError::EmptyInput(format!(
                "histogram: sample '{}' has no finite values",
                sample.name
            )));
        }
        let counts = bin_counts(sample.values, edges);
        let heights = counts
            .iter()
            .map(|&c| match scale {
                HistogramScale::Count => c as f64,
                HistogramScale::Share => c as f64 / n as f64,
            })
            .collect();
        Ok(HistBars {
            name: sample.name.to_string(),
            n,
            heights,
        })
    }
}

struct HistogramFigure {
    edges: Vec<f64>,
    bars: Vec<HistBars>,
}

impl Figure for HistogramFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
    ) -> Result<(), PlotError> {
        let (lo, hi) = (self.edges[0], self.edges[self.edges.len() - 1]);
        let top = self
            .bars
            .iter()
            .flat_map(|b| b.heights.iter().copied())
            .fold(0.0, f64::max);
        let y_top = if top > 0.0 { top * 1.08 } else { 1.0 };
        let mut chart = build_chart(root, style, padded(lo, hi, 0.02), 0.0..y_top)?;
        draw_mesh(&mut chart, style)?;
        for bars in &self.bars {
            let color = style.palette.color_of(&bars.name);
            let rects = self
                .edges
                .windows(2)
                .zip(&bars.heights)
                .filter(|(_, &h)| h > 0.0);
            let fill = color.mix(0.35).filled();
            let line = color.stroke_width(style.px(1.5));
            chart
                .draw_series(
                    rects
                        .clone()
                        .map(|(e, &h)| Rectangle::new([(e[0], 0.0), (e[1], h)], fill)),
                )
                .map_err(render_err)?
                .label(format!("{} (n = {})", bars.name, bars.n))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 8), (x + 24, y + 8)], color.mix(0.5).filled())
                });
            chart
                .draw_series(rects.map(|(e, &h)| Rectangle::new([(e[0], 0.0), (e[1], h)], line)))
                .map_err(render_err)?;
        }
        draw_legend(&mut chart, style, SeriesLabelPosition::UpperRight)
    }
}

//! Box plots by group, several series side by side within each group.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::group_axis::GroupAxis;
use crate::plot::chart::{build_chart, draw_legend, draw_mesh_categorical, padded, INK};
use crate::plot::data::{require_some, BoxSeries};
use crate::plot::error::{render_err, PlotError};
use crate::plot::output::{render, Figure};
use crate::plot::stats::{box_stats, finite_sorted, BoxStats};
use crate::plot::style::FigureStyle;

/// Share of a group's slot filled by its boxes (the rest separates groups).
const GROUP_WIDTH: f64 = 0.8;
/// Share of a series' sub-slot filled by its box (the rest separates neighbouring boxes).
const BOX_FILL: f64 = 0.75;

/// Tukey box plots (quartile box, median line, whiskers at 1.5 IQR, outliers as circles; see
/// [`box_stats`]) for each group label on the x axis, one box per series side by side.
/// `series[j].groups` must have one sample per label; a sample with no finite value draws no
/// box. Errors if there are no labels, no series, mismatched lengths or no box at all.
pub fn box_plot(
    path: impl AsRef<Path>,
    style: &FigureStyle,
    group_labels: &[&str],
    series: &[BoxSeries<'_>],
) -> Result<(), PlotError> {
    require_some(series, "box plot")?;
    if group_labels.is_empty() {
        return Err(PlotError::EmptyInput(
            "box plot: no group labels given".into(),
        ));
    }
    let boxes = series
        .iter()
        .map(|s| series_boxes(s, group_labels.len()))
        .collect::<Result<Vec<_>, _>>()?;
    if boxes
        .iter()
        .all(|(_, cells)| cells.iter().all(Option::is_none))
    {
        return Err(PlotError::EmptyInput(
            "box plot: no group of any series has finite values".into(),
        ));
    }
    let labels = group_labels.iter().map(|s| s.to_string()).collect();
    render(path.as_ref(), style, &BoxFigure { labels, boxes })
}

/// Box statistics of one series per group (`None` where the sample has no finite value).
fn series_boxes(
    series: &BoxSeries<'_>,
    n_groups: usize,
) -> Result<(String, Vec<Option<BoxStats>>), PlotError> {
    if series.groups.len() != n_groups {
        return Err(PlotError::InvalidArgument(format!(
            "box plot: series '{}' has {} samples for {n_groups} group labels",
            series.name,
            series.groups.len()
        )));
    }
    let cells = series
        .groups
        .iter()
        .map(|g| {
            if finite_sorted(g).is_empty() {
                Ok(None)
            } else {
                box_stats(g).map(Some)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((series.name.to_string(), cells))
}

struct BoxFigure {
    labels: Vec<String>,
    boxes: Vec<(String, Vec<Option<BoxStats>>)>,
}

/// Centre of series `j` of `k` in group `i`, and the half width of its box, in axis units.
fn slot(i: usize, j: usize, k: usize) -> (f64, f64) {
    let sub = GROUP_WIDTH / k as f64;
    (
        i as f64 - GROUP_WIDTH / 2.0 + (j as f64 + 0.5) * sub,
        sub * BOX_FILL / 2.0,
    )
}

/// Lowest and highest drawn value (whisker ends and outliers) over all boxes.
fn y_extent(boxes: &[(String, Vec<Option<BoxStats>>)]) -> (f64, f64) {
    let stats = boxes.iter().flat_map(|(_, c)| c.iter().flatten());
    stats.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
        let lo = s
            .outliers
            .iter()
            .fold(lo.min(s.lower_whisker), |a, &o| a.min(o));
        let hi = s
            .outliers
            .iter()
            .fold(hi.max(s.upper_whisker), |a, &o| a.max(o));
        (lo, hi)
    })
}

/// The line pieces of one box: outline, median, both whiskers with caps.
fn box_lines(x: f64, half: f64, s: &BoxStats) -> Vec<Vec<(f64, f64)>> {
    let cap = half / 2.0;
    vec![
        vec![
            (x - half, s.q1),
            (x + half, s.q1),
            (x + half, s.q3),
            (x - half, s.q3),
            (x - half, s.q1),
        ],
        vec![(x, s.q3), (x, s.upper_whisker)],
        vec![(x, s.q1), (x, s.lower_whisker)],
        vec![(x - cap, s.upper_whisker), (x + cap, s.upper_whisker)],
        vec![(x - cap, s.lower_whisker), (x + cap, s.lower_whisker)],
    ]
}

impl BoxFigure {
    /// Draws every box of series `j` and registers its legend entry.
    fn draw_series<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<
            '_,
            DB,
            Cartesian2d<impl Ranged<ValueType = f64>, impl Ranged<ValueType = f64>>,
        >,
        style: &FigureStyle,
        j: usize,
    ) -> Result<(), PlotError> {
        let (name, cells) = &self.boxes[j];
        let k = self.boxes.len();
        let color = style.palette.color_of(name);
        let line = color.stroke_width(style.px(2.0));
        let drawn = cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|s| (slot(i, j, k), s)));
        let fills = drawn.clone().map(|((x, h), s)| {
            Rectangle::new([(x - h, s.q1), (x + h, s.q3)], color.mix(0.3).filled())
        });
        chart
            .draw_series(fills)
            .map_err(render_err)?
            .label(name.as_str())
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 8), (x + 24, y + 8)], color.mix(0.5).filled())
            });
        let lines = drawn.clone().flat_map(|((x, h), s)| box_lines(x, h, s));
        chart
            .draw_series(lines.map(|p| PathElement::new(p, line)))
            .map_err(render_err)?;
        let median = INK.stroke_width(style.px(3.0));
        let medians = drawn.clone().map(|((x, h), s)| {
            PathElement::new(vec![(x - h, s.median), (x + h, s.median)], median)
        });
        chart.draw_series(medians).map_err(render_err)?;
        let radius = style.px(4.0);
        let outliers = drawn.flat_map(|((x, _), s)| s.outliers.iter().map(move |&o| (x, o)));
        chart
            .draw_series(outliers.map(|p| Circle::new(p, radius, line)))
            .map_err(render_err)?;
        Ok(())
    }
}

impl Figure for BoxFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
    ) -> Result<(), PlotError> {
        let (lo, hi) = y_extent(&self.boxes);
        let x_axis = GroupAxis::new(self.labels.clone());
        let mut chart = build_chart(root, style, x_axis, padded(lo, hi, 0.08))?;
        draw_mesh_categorical(&mut chart, style)?;
        for j in 0..self.boxes.len() {
            self.draw_series(&mut chart, style, j)?;
        }
        draw_legend(&mut chart, style, SeriesLabelPosition::UpperRight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_centred_in_their_group() {
        // Two series in group 1: sub-slots of width 0.4 centred at 0.8 and 1.2, boxes 0.3 wide.
        let (x0, h0) = slot(1, 0, 2);
        let (x1, _) = slot(1, 1, 2);
        assert!((x0 - 0.8).abs() < 1e-12 && (x1 - 1.2).abs() < 1e-12);
        assert!((h0 - 0.15).abs() < 1e-12);
        let (x, h) = slot(0, 0, 1);
        assert!(x.abs() < 1e-12 && (h - 0.3).abs() < 1e-12);
    }
}

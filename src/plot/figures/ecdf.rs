//! Overlaid empirical CDFs.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::chart::{build_chart, draw_legend, draw_mesh, padded};
use crate::plot::data::{require_some, Sample};
use crate::plot::error::{render_err, PlotError};
use crate::plot::output::{render, Figure};
use crate::plot::stats::ecdf_points;
use crate::plot::style::FigureStyle;

/// Overlaid ECDFs (right-continuous step functions, see [`ecdf_points`]) of several named
/// samples. Non-finite values are skipped; a sample with no finite value is an error.
pub fn ecdf(
    path: impl AsRef<Path>,
    style: &FigureStyle,
    samples: &[Sample<'_>],
) -> Result<(), PlotError> {
    require_some(samples, "ECDF")?;
    let curves = samples
        .iter()
        .map(|s| {
            ecdf_points(s.values)
                .map(|pts| (s.name.to_string(), pts))
                .map_err(|e| e.within(&format!("ECDF, sample '{}'", s.name)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    render(path.as_ref(), style, &EcdfFigure { curves })
}

struct EcdfFigure {
    curves: Vec<(String, Vec<(f64, f64)>)>,
}

/// The staircase through ECDF points, from height 0 at `x_min` to height 1 at `x_max`: each
/// step is horizontal then vertical, as a right-continuous CDF is drawn.
fn staircase(points: &[(f64, f64)], x_min: f64, x_max: f64) -> Vec<(f64, f64)> {
    let mut path = Vec::with_capacity(points.len() * 2 + 2);
    let mut level = 0.0;
    path.push((x_min, level));
    for &(x, f) in points {
        path.push((x, level));
        path.push((x, f));
        level = f;
    }
    path.push((x_max, level));
    path
}

impl Figure for EcdfFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
    ) -> Result<(), PlotError> {
        let xs = self.curves.iter().flat_map(|(_, p)| p.iter().map(|q| q.0));
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        let x_range = padded(lo, hi, 0.03);
        let (x_min, x_max) = (x_range.start, x_range.end);
        let mut chart = build_chart(root, style, x_range, 0.0..1.02)?;
        draw_mesh(&mut chart, style)?;
        for (name, points) in &self.curves {
            let color = style.palette.color_of(name);
            let stroke = color.stroke_width(style.px(3.0));
            chart
                .draw_series(LineSeries::new(staircase(points, x_min, x_max), stroke))
                .map_err(render_err)?
                .label(name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], stroke));
        }
        draw_legend(&mut chart, style, SeriesLabelPosition::LowerRight)
    }
}

#[cfg(test)]
mod tests {
    use super::staircase;

    #[test]
    fn staircase_steps_up_at_each_point() {
        let s = staircase(&[(1.0, 0.5), (2.0, 1.0)], 0.0, 3.0);
        assert_eq!(
            s,
            vec![
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 0.5),
                (2.0, 0.5),
                (2.0, 1.0),
                (3.0, 1.0)
            ]
        );
    }
}

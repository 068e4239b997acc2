//! Morris screening scatter: μ* (overall influence) against σ (non-linearity / interactions).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use crate::plot::chart::{build_chart, draw_legend, draw_mesh, label_style, INK};
use crate::plot::data::MorrisPoint;
use crate::plot::error::{render_err, PlotError};
use crate::plot::output::{render, Figure};
use crate::plot::style::{FigureStyle, PALETTE};

/// One labelled point per parameter at (μ*, σ), with the dashed reference line σ = μ* that
/// readers use to tell mostly-linear from strongly non-linear or interacting parameters.
/// Points with a non-finite coordinate are skipped; if none is left this is an error. Both
/// axes start at 0 because μ* and σ are non-negative.
pub fn morris_scatter(
    path: impl AsRef<Path>,
    style: &FigureStyle,
    points: &[MorrisPoint<'_>],
) -> Result<(), PlotError> {
    let finite: Vec<(String, f64, f64)> = points
        .iter()
        .filter(|p| p.mu_star.is_finite() && p.sigma.is_finite())
        .map(|p| (p.name.to_string(), p.mu_star, p.sigma))
        .collect();
    if finite.is_empty() {
        return Err(PlotError::EmptyInput(
            "Morris scatter: no point with finite μ* and σ".into(),
        ));
    }
    render(path.as_ref(), style, &MorrisFigure { points: finite })
}

struct MorrisFigure {
    points: Vec<(String, f64, f64)>,
}

/// Upper end of an axis starting at 0: room above the largest value for the point labels.
fn axis_top(max: f64) -> f64 {
    if max > 0.0 {
        max * 1.15
    } else {
        1.0
    }
}

impl Figure for MorrisFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
    ) -> Result<(), PlotError> {
        let x_top = axis_top(self.points.iter().map(|p| p.1).fold(0.0, f64::max));
        let y_top = axis_top(self.points.iter().map(|p| p.2).fold(0.0, f64::max));
        let x_lo = self.points.iter().map(|p| p.1).fold(0.0, f64::min);
        let y_lo = self.points.iter().map(|p| p.2).fold(0.0, f64::min);
        let mut chart = build_chart(root, style, x_lo..x_top, y_lo..y_top)?;
        draw_mesh(&mut chart, style)?;
        let diag = x_top.min(y_top);
        let dashed = INK.mix(0.5).stroke_width(style.px(2.0));
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, 0.0), (diag, diag)],
                style.px(10.0),
                style.px(6.0),
                dashed,
            ))
            .map_err(render_err)?
            .label("σ = μ*")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], dashed));
        let (r, color) = (style.px(7.0) as i32, PALETTE[0]);
        let labelled = self.points.iter().map(|(name, mu, sigma)| {
            // Labels of points in the right third go to the left so they stay inside the plot.
            let (side, dx) = if *mu > x_lo + (x_top - x_lo) * 0.66 {
                (HPos::Right, -r - 6)
            } else {
                (HPos::Left, r + 6)
            };
            EmptyElement::at((*mu, *sigma))
                + Circle::new((0, 0), r, color.filled())
                + Text::new(name.clone(), (dx, 0), label_style(style, side))
        });
        chart.draw_series(labelled).map_err(render_err)?;
        draw_legend(&mut chart, style, SeriesLabelPosition::UpperLeft)
    }
}

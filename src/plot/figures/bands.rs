//! Time series of medians with percentile bands across replications.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::chart::{build_chart, draw_legend, draw_mesh, padded};
use crate::plot::data::{require_some, BandSeries};
use crate::plot::error::{render_err, PlotError};
use crate::plot::output::{render, Figure};
use crate::plot::stats::{percentile_band, BandPoint};
use crate::plot::style::FigureStyle;

/// For each named series, the median across replications as a line and the band between the
/// `lower_q` and `upper_q` quantiles (e.g. 0.05 and 0.95) shaded, all computed here by
/// [`percentile_band`] from the replications × time matrix. Non-finite cells are skipped.
pub fn percentile_bands(
    path: impl AsRef<Path>,
    style: &FigureStyle,
    series: &[BandSeries<'_>],
    lower_q: f64,
    upper_q: f64,
) -> Result<(), PlotError> {
    require_some(series, "percentile bands")?;
    let bands = series
        .iter()
        .map(|s| {
            percentile_band(s.x, s.replications, lower_q, upper_q)
                .map(|b| (s.name.to_string(), b))
                .map_err(|e| e.within(&format!("percentile bands, series '{}'", s.name)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let band_label = format!("{}–{} %", percent(lower_q), percent(upper_q));
    render(path.as_ref(), style, &BandsFigure { bands, band_label })
}

/// `q` as a percentage without float noise: 0.05 → "5", 0.025 → "2.5".
fn percent(q: f64) -> String {
    format!("{}", (q * 100.0 * 1e6).round() / 1e6)
}

struct BandsFigure {
    bands: Vec<(String, Vec<BandPoint>)>,
    band_label: String,
}

/// Closed outline of the band: along the upper quantile, back along the lower one.
fn band_polygon(band: &[BandPoint]) -> Vec<(f64, f64)> {
    let upper = band.iter().map(|p| (p.x, p.upper));
    let lower = band.iter().rev().map(|p| (p.x, p.lower));
    upper.chain(lower).collect()
}

/// Bounding box (x_lo, x_hi, y_lo, y_hi) of all bands.
fn extent(bands: &[(String, Vec<BandPoint>)]) -> (f64, f64, f64, f64) {
    let pts = bands.iter().flat_map(|(_, b)| b.iter());
    pts.fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), p| (a.min(p.x), b.max(p.x), c.min(p.lower), d.max(p.upper)),
    )
}

impl Figure for BandsFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
    ) -> Result<(), PlotError> {
        let (x_lo, x_hi, y_lo, y_hi) = extent(&self.bands);
        let x_range = if x_hi > x_lo {
            x_lo..x_hi
        } else {
            padded(x_lo, x_hi, 0.0)
        };
        let mut chart = build_chart(root, style, x_range, padded(y_lo, y_hi, 0.08))?;
        draw_mesh(&mut chart, style)?;
        // All bands first, then all medians, so no band covers another series' median line.
        for (name, band) in &self.bands {
            let fill = style.palette.color_of(name).mix(0.2).filled();
            chart
                .draw_series(std::iter::once(Polygon::new(band_polygon(band), fill)))
                .map_err(render_err)?;
        }
        for (name, band) in &self.bands {
            let color = style.palette.color_of(name);
            let stroke = color.stroke_width(style.px(3.0));
            chart
                .draw_series(LineSeries::new(
                    band.iter().map(|p| (p.x, p.median)),
                    stroke,
                ))
                .map_err(render_err)?
                .label(format!("{name}: median, {} band", self.band_label))
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + Rectangle::new([(0, -8), (24, 8)], color.mix(0.2).filled())
                        + PathElement::new(vec![(0, 0), (24, 0)], stroke)
                });
        }
        draw_legend(&mut chart, style, SeriesLabelPosition::UpperLeft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_has_no_float_noise() {
        assert_eq!(percent(0.05), "5");
        assert_eq!(percent(0.95), "95");
        assert_eq!(percent(0.025), "2.5");
    }

    #[test]
    fn polygon_goes_out_on_upper_and_back_on_lower() {
        let b = [
            BandPoint {
                x: 0.0,
                lower: 1.0,
                median: 2.0,
                upper: 3.0,
            },
            BandPoint {
                x: 1.0,
                lower: 4.0,
                median: 5.0,
                upper: 6.0,
            },
        ];
        assert_eq!(
            band_polygon(&b),
            vec![(0.0, 3.0), (1.0, 6.0), (1.0, 4.0), (0.0, 1.0)]
        );
    }
}

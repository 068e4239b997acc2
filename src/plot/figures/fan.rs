//! Fan chart: percentile curves already computed (for example by the planner), drawn as nested
//! bands between symmetric pairs of percentiles (5–95 around 25–75, ...) with the middle
//! percentile, when there is an odd number, as a line.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::chart::{build_chart, draw_legend, draw_mesh, padded};
use crate::plot::error::{render_err, PlotError};
use crate::plot::output::{render, Figure};
use crate::plot::style::FigureStyle;

/// Percentile curves: (percentile, value at each x).
pub type Curves = Vec<(f64, Vec<f64>)>;

/// One named fan: `curves[i] = (percentile 0–100, value at each x)`, percentiles ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Fan<'a> {
    pub name: &'a str,
    pub curves: &'a [(f64, Vec<f64>)],
}

/// Draws the fans over `x` (each curve as long as `x`; non-finite points break nothing, they
/// are skipped). Errors: no fan, no finite point, a curve of the wrong length, percentiles not
/// ascending.
pub fn fan_chart(
    path: impl AsRef<Path>,
    style: &FigureStyle,
    x: &[f64],
    fans: &[Fan<'_>],
) -> Result<(), PlotError> {
    if fans.is_empty() || x.is_empty() {
        return Err(PlotError::EmptyInput(
            "fan chart: no fan or no x values".into(),
        ));
    }
    for f in fans {
        if let Some((q, c)) = f.curves.iter().find(|(_, c)| c.len() != x.len()) {
            return Err(PlotError::InvalidArgument(format!(
                "fan '{}': percentile {q} has {} values but there are {} x values",
                f.name,
                c.len(),
                x.len()
            )));
        }
        if f.curves.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(PlotError::InvalidArgument(format!(
                "fan '{}': percentiles must be ascending",
                f.name
            )));
        }
    }
    let finite = || {
        fans.iter()
            .flat_map(|f| f.curves.iter().flat_map(|(_, c)| c.iter()))
            .copied()
            .filter(|v| v.is_finite())
    };
    let lo = finite().fold(f64::INFINITY, f64::min);
    let hi = finite().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        return Err(PlotError::EmptyInput("fan chart: no finite value".into()));
    }
    let figure = FanFigure {
        x: x.to_vec(),
        fans: fans
            .iter()
            .map(|f| (f.name.to_string(), f.curves.to_vec()))
            .collect(),
        y: (lo, hi),
    };
    render(path.as_ref(), style, &figure)
}

struct FanFigure {
    x: Vec<f64>,
    fans: Vec<(String, Curves)>,
    y: (f64, f64),
}

fn points(x: &[f64], c: &[f64]) -> Vec<(f64, f64)> {
    x.iter()
        .zip(c)
        .filter(|(_, v)| v.is_finite())
        .map(|(a, b)| (*a, *b))
        .collect()
}

impl Figure for FanFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
    ) -> Result<(), PlotError> {
        let x_lo = self.x.iter().copied().fold(f64::INFINITY, f64::min);
        let x_hi = self.x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut chart = build_chart(
            root,
            style,
            padded(x_lo, x_hi, 0.0),
            padded(self.y.0, self.y.1, 0.08),
        )?;
        draw_mesh(&mut chart, style)?;
        for (name, curves) in &self.fans {
            let color = style.palette.color_of(name);
            let n = curves.len();
            for i in 0..n / 2 {
                let (ql, lower) = &curves[i];
                let (qu, upper) = &curves[n - 1 - i];
                let mut outline = points(&self.x, upper);
                outline.extend(points(&self.x, lower).into_iter().rev());
                let alpha = 0.12 + 0.12 * i as f64;
                let label = format!("{name}: {ql}–{qu} %");
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        outline,
                        color.mix(alpha).filled(),
                    )))
                    .map_err(render_err)?
                    .label(label)
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 8), (x + 24, y + 8)], color.mix(alpha).filled())
                    });
            }
            if n % 2 == 1 {
                let (q, mid) = &curves[n / 2];
                let stroke = color.stroke_width(style.px(3.0));
                chart
                    .draw_series(LineSeries::new(points(&self.x, mid), stroke))
                    .map_err(render_err)?
                    .label(format!("{name}: {q} %"))
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], stroke));
            }
        }
        draw_legend(&mut chart, style, SeriesLabelPosition::UpperLeft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_deterministically_and_rejects_bad_curves() {
        let dir = tempfile::tempdir().unwrap();
        let x = [30.0, 31.0, 32.0];
        let curves = vec![
            (5.0, vec![1.0, 2.0, 3.0]),
            (50.0, vec![2.0, 3.0, f64::NAN]),
            (95.0, vec![3.0, 4.0, 6.0]),
        ];
        let fans = [Fan {
            name: "a",
            curves: &curves,
        }];
        let style = FigureStyle::new("t").labels("age (years)", "yuan");
        let (p, q) = (dir.path().join("a.svg"), dir.path().join("b.svg"));
        fan_chart(&p, &style, &x, &fans).unwrap();
        fan_chart(&q, &style, &x, &fans).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), std::fs::read(&q).unwrap());
        let short = vec![(5.0, vec![1.0])];
        let e = fan_chart(
            &p,
            &style,
            &x,
            &[Fan {
                name: "a",
                curves: &short,
            }],
        );
        assert!(matches!(e, Err(PlotError::InvalidArgument(_))));
        let unsorted = vec![(50.0, x.to_vec()), (5.0, x.to_vec())];
        let e = fan_chart(
            &p,
            &style,
            &x,
            &[Fan {
                name: "a",
                curves: &unsorted,
            }],
        );
        assert!(matches!(e, Err(PlotError::InvalidArgument(_))));
        assert!(fan_chart(&p, &style, &x, &[]).is_err());
    }
}

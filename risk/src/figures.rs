//! Figures of `evaluate`, drawn with the core's plotting module (embedded font, PNG and SVG).

use crate::io::Staged;
use anyhow::Result;
use sisandbox::plot::{self, BandSeries, FigureStyle, HistogramScale, Sample};

/// A named calibration curve: (mean predicted, observed rate, windows) by bin.
pub type Curve<'a> = (&'a str, Vec<(f64, f64, usize)>);

/// Observed interruption rate against mean predicted risk by bin, with the diagonal.
pub fn calibration(staged: &Staged, curves: &[Curve; 2]) -> Result<()> {
    let style = FigureStyle {
        title: "Calibration by decile of predicted risk".into(),
        x_label: "predicted risk within the horizon (share)".into(),
        y_label: "observed interruption rate (share)".into(),
        ..FigureStyle::default()
    };
    let xs: Vec<Vec<f64>> = curves
        .iter()
        .map(|c| c.1.iter().map(|p| p.0).collect())
        .collect();
    let ys: Vec<Vec<Vec<f64>>> = curves
        .iter()
        .map(|c| vec![c.1.iter().map(|p| p.1).collect()])
        .collect();
    let top = curves
        .iter()
        .flat_map(|c| c.1.iter().map(|p| p.0.max(p.1)))
        .fold(0.0f64, f64::max)
        .max(1e-3);
    let diag_x = vec![0.0, top];
    let diag_y = vec![vec![0.0, top]];
    let mut series = vec![BandSeries {
        name: "perfect calibration",
        x: &diag_x,
        replications: &diag_y,
    }];
    for (i, (name, c)) in curves.iter().enumerate() {
        if c.len() >= 2 {
            series.push(BandSeries {
                name,
                x: &xs[i],
                replications: &ys[i],
            });
        }
    }
    for ext in ["png", "svg"] {
        plot::percentile_bands(
            staged.file(&format!("calibration.{ext}")),
            &style,
            &series,
            0.0,
            1.0,
        )?;
    }
    Ok(())
}

/// Months between a warning and the interruption that followed.
pub fn lead_time(staged: &Staged, leads: &[f64], horizon: u32) -> Result<()> {
    let style = FigureStyle {
        title: "Lead time of warnings".into(),
        x_label: "months from warning to interruption".into(),
        y_label: "warned windows (count)".into(),
        ..FigureStyle::default()
    };
    let samples = [Sample {
        name: "warned interruptions",
        values: leads,
    }];
    for ext in ["png", "svg"] {
        plot::histogram(
            staged.file(&format!("lead_time.{ext}")),
            &style,
            &samples,
            horizon as usize,
            HistogramScale::Count,
        )?;
    }
    Ok(())
}

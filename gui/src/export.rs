//! Export of the comparison on screen: the chart as PNG or SVG through the core's figure
//! functions (`sisandbox::plot`), made from the same prepared data as the screen, with a
//! caption under it (which scenarios, seeds and replications), and the summary table as CSV
//! through the core's atomic writer.

use crate::analysis::{ChartKind, Prepared, PreparedData, BAND, BINS};
use crate::summary::SummaryRow;
use sisandbox::plot::{self, BandSeries, BoxSeries, FigureStyle, HistogramScale, Palette, Sample};
use std::path::Path;

/// Writes the chart to `path` (`.png` or `.svg`), with `caption` in a band under it.
pub fn chart(
    path: &Path,
    p: &Prepared,
    kind: ChartKind,
    title: &str,
    (x_label, y_label): (&str, &str),
    caption: &str,
) -> Result<(), String> {
    make_parent(path)?;
    let style = FigureStyle::new(title)
        .labels(x_label, y_label)
        .palette(Palette::pinned(p.names.iter().cloned()));
    let names = &p.names;
    let r = match &p.data {
        PreparedData::Samples(s) => {
            let samples: Vec<Sample> = names
                .iter()
                .zip(s)
                .map(|(n, v)| Sample::new(n, v))
                .collect();
            if kind == ChartKind::Histogram {
                plot::histogram(path, &style, &samples, BINS, HistogramScale::Share)
            } else {
                plot::ecdf(path, &style, &samples)
            }
        }
        PreparedData::Groups { labels, values } => {
            let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
            let series: Vec<BoxSeries> = names
                .iter()
                .zip(values)
                .map(|(n, per)| BoxSeries::new(n, per.iter().map(Vec::as_slice).collect()))
                .collect();
            plot::box_plot(path, &style, &labels, &series)
        }
        PreparedData::Bands { x, replications } => {
            let series: Vec<BandSeries> = names
                .iter()
                .zip(x.iter().zip(replications))
                .map(|(n, (x, r))| BandSeries::new(n, x, r))
                .collect();
            plot::percentile_bands(path, &style, &series, BAND.0, BAND.1)
        }
    };
    r.map_err(|e| format!("{}: {e}", path.display()))?;
    let is_svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if is_svg {
        crate::caption::svg(path, caption)
    } else {
        crate::caption::png(path, caption)
    }
}

/// Creates the folder a file goes into.
pub(crate) fn make_parent(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display())),
        _ => Ok(()),
    }
}

fn cell(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

/// Writes the summary table as CSV; `metric_name` labels each row's outcome.
pub fn table(
    path: &Path,
    rows: &[SummaryRow],
    metric_name: impl Fn(&SummaryRow) -> String,
) -> Result<(), String> {
    let quote = |s: String| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    make_parent(path)?;
    sisandbox::output::write_atomic(path, |w| {
        writeln!(
            w,
            "scenario,outcome,n,over,estimate,estimate_low,estimate_high,diff,diff_low,diff_high,paired,pairs,share_gain,share_loss"
        )?;
        for r in rows {
            let lo_hi = |c: Option<(f64, f64)>| (cell(c.map(|x| x.0)), cell(c.map(|x| x.1)));
            let (el, eh) = lo_hi(r.estimate_ci);
            let (dl, dh) = lo_hi(r.diff_ci);
            writeln!(
                w,
                "{},{},{},{},{},{el},{eh},{},{dl},{dh},{},{},{},{}",
                quote(r.scenario.clone()),
                quote(metric_name(r)),
                r.n,
                match r.level {
                    crate::summary::Level::Agents => "agents",
                    crate::summary::Level::Replications => "replications",
                },
                cell(r.estimate),
                cell(r.diff),
                r.paired,
                r.pairs,
                cell(r.gain),
                cell(r.loss),
            )?;
        }
        Ok(())
    })
    .map_err(|e| e.to_string())
}

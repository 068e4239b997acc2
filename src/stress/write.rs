//! The files of a stress grid, each written atomically into the stress folder:
//!
//! - `stress-METRIC.csv`: one row per cell, `variant,<key…>,metric,unit,fund,year,
//!   replications,defined,value,min,max`;
//! - `stress-METRIC-runs.csv`: one row per run, `run,variant,replication,seed,<key…>,metric,value`;
//! - `heatmap-METRIC.png` and `.svg`: the heat map;
//! - `manifest-METRIC.toml`: the grid, the metric's definition, the base scenario's SHA-256
//!   and the SHA-256 of every file above.
//!
//! Nothing here depends on the thread count, the order runs finished in or how often the grid
//! was interrupted, so a resumed grid writes byte-identical files.

use super::{Cell, Metric, StressError, StressOptions, StressSpec, SWEEP_DIR, SWEEP_FILE};
use crate::experiment::stats::{csv_line, fmt_opt};
use crate::experiment::store;
use crate::experiment::SweepPlan;
use crate::plot::{heat_map, FigureStyle, HeatMap};
use std::path::{Path, PathBuf};

/// Writes every file; returns their paths (table, runs, PNG, SVG, manifest).
pub fn write_all(
    spec: &StressSpec,
    plan: &SweepPlan,
    cells: &[Cell],
    last_year: Option<i32>,
    opts: &StressOptions,
) -> Result<Vec<PathBuf>, StressError> {
    let dir = &opts.out;
    let m = spec.metric.metric;
    let name = m.name();
    let table = dir.join(format!("stress-{name}.csv"));
    let runs = dir.join(format!("stress-{name}-runs.csv"));
    let png = dir.join(format!("heatmap-{name}.png"));
    let svg = dir.join(format!("heatmap-{name}.svg"));
    let manifest = dir.join(format!("manifest-{name}.toml"));
    let year = spec
        .metric
        .year
        .or(last_year)
        .filter(|_| m.uses_year())
        .map(|y| y.to_string())
        .unwrap_or_default();
    let fund = if m.uses_fund() {
        spec.metric.fund.clone().unwrap_or_else(|| "all".into())
    } else {
        String::new()
    };
    let keys: Vec<String> = spec.axes.iter().map(|a| a.key.clone()).collect();
    store::write_atomic(&table, |w| {
        let mut h = vec!["variant".to_string()];
        h.extend(keys.iter().cloned());
        h.extend(
            [
                "metric",
                "unit",
                "fund",
                "year",
                "replications",
                "defined",
                "value",
                "min",
                "max",
            ]
            .map(String::from),
        );
        writeln!(w, "{}", csv_line(&h))?;
        for c in cells {
            let defined: Vec<f64> = c.runs.iter().flatten().copied().collect();
            let min = defined.iter().copied().reduce(f64::min);
            let max = defined.iter().copied().reduce(f64::max);
            let mut f = vec![c.variant.to_string()];
            f.extend(c.levels.iter().cloned());
            f.extend([
                name.to_string(),
                m.unit().to_string(),
                fund.clone(),
                year.clone(),
                c.runs.len().to_string(),
                defined.len().to_string(),
                value_text(m, c.value),
                value_text(m, min),
                value_text(m, max),
            ]);
            writeln!(w, "{}", csv_line(&f))?;
        }
        Ok(())
    })?;
    store::write_atomic(&runs, |w| {
        let mut h = vec!["run", "variant", "replication", "seed"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        h.extend(keys.iter().cloned());
        h.extend(["metric".to_string(), "value".to_string()]);
        writeln!(w, "{}", csv_line(&h))?;
        for c in cells {
            for (r, v) in c.runs.iter().enumerate() {
                let mut f = vec![
                    (c.variant * plan.replications + r).to_string(),
                    c.variant.to_string(),
                    r.to_string(),
                    plan.seed(r).to_string(),
                ];
                f.extend(c.levels.iter().cloned());
                f.extend([name.to_string(), value_text(m, *v)]);
                writeln!(w, "{}", csv_line(&f))?;
            }
        }
        Ok(())
    })?;
    draw(spec, cells, last_year, &png)?;
    draw(spec, cells, last_year, &svg)?;
    let outputs = [&table, &runs, &png, &svg];
    let text = manifest_text(spec, plan, &outputs, &year, &fund, opts)?;
    store::write_atomic(&manifest, |w| w.write_all(text.as_bytes()))?;
    Ok(vec![table, runs, png, svg, manifest])
}

/// A metric's value as the CSVs print it: money (yuan) rounded to the fen, so sums of monthly
/// series do not show binary-float noise such as `69205508.11000003`; other units as computed.
fn value_text(m: Metric, x: Option<f64>) -> String {
    match x {
        Some(v) if m.unit() == "yuan" && v.is_finite() => {
            // Adding 0.0 turns a rounded -0.0 into 0.0, so nothing prints as "-0.00".
            format!("{:.2}", ((v * 100.0).round() + 0.0) / 100.0)
        }
        _ => fmt_opt(x),
    }
}

/// The heat map: the first axis across, the second (if any) up, one cell per grid point.
fn draw(
    spec: &StressSpec,
    cells: &[Cell],
    last_year: Option<i32>,
    path: &Path,
) -> Result<(), StressError> {
    let nx = spec.axes[0].steps as usize;
    let ny = spec.axes.get(1).map_or(1, |a| a.steps as usize);
    let at = |i: usize, j: usize| &cells[i * ny + j];
    let x_labels: Vec<String> = (0..nx).map(|i| at(i, 0).levels[0].clone()).collect();
    let y_labels: Vec<String> = (0..ny)
        .map(|j| at(0, j).levels.get(1).cloned().unwrap_or_default())
        .collect();
    let values: Vec<Vec<Option<f64>>> = (0..ny)
        .map(|j| (0..nx).map(|i| at(i, j).value).collect())
        .collect();
    let m = spec.metric.metric;
    let annotations: Vec<Vec<String>> = values
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| v.map(short).unwrap_or_default())
                .collect()
        })
        .collect();
    let missing = match m {
        Metric::ExhaustionYear => format!(
            "not exhausted by {}",
            last_year.map_or("the end".into(), |y| y.to_string())
        ),
        _ => "no value".to_string(),
    };
    let colour = format!("{} ({})", m.name(), m.unit());
    let style = FigureStyle::new(format!("Stress test: {}", spec.metric.describe(last_year)))
        .labels(
            spec.axes[0].title(),
            spec.axes.get(1).map(|a| a.title()).unwrap_or_default(),
        )
        .size(1400, 900);
    let map = HeatMap {
        x_labels: &x_labels,
        y_labels: &y_labels,
        values: &values,
        annotations: (nx * ny <= 400).then_some(annotations.as_slice()),
        colour_label: &colour,
        missing_label: &missing,
    };
    heat_map(path, &style, &map)?;
    Ok(())
}

/// A cell's value in at most about five characters: years and small whole numbers as they
/// are, large amounts as `2.51e8`, the rest to three significant digits.
pub fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e5 {
        let exp = a.log10().floor() as i32;
        let mut mant = v / 10f64.powi(exp);
        let mut exp = exp;
        if (mant.abs() * 100.0).round() >= 1000.0 {
            mant /= 10.0;
            exp += 1;
        }
        return format!("{mant:.2}e{exp}");
    }
    if v.fract() == 0.0 {
        return format!("{v:.0}");
    }
    if a >= 100.0 {
        return format!("{v:.0}");
    }
    let digits = if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    format!("{v:.digits$}")
}

fn manifest_text(
    spec: &StressSpec,
    plan: &SweepPlan,
    outputs: &[&PathBuf],
    year: &str,
    fund: &str,
    opts: &StressOptions,
) -> Result<String, StressError> {
    use toml::Value as V;
    let m = spec.metric.metric;
    let mut stress = toml::Table::new();
    stress.insert(
        "sisandbox_version".into(),
        V::String(crate::version().into()),
    );
    stress.insert("command".into(), V::String(opts.command.clone()));
    stress.insert(
        "scenario".into(),
        V::String(
            plan.scenario_path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "<embedded default>".into()),
        ),
    );
    stress.insert(
        "base_scenario_sha256".into(),
        V::String(plan.base_sha256.clone()),
    );
    stress.insert(
        "set".into(),
        V::Array(spec.set.iter().cloned().map(V::String).collect()),
    );
    stress.insert("master_seed".into(), V::Integer(plan.master_seed as i64));
    stress.insert("replications".into(), V::Integer(plan.replications as i64));
    stress.insert("sweep_file".into(), V::String(SWEEP_FILE.into()));
    stress.insert("sweep_folder".into(), V::String(SWEEP_DIR.into()));
    let mut metric = toml::Table::new();
    metric.insert("name".into(), V::String(m.name().into()));
    metric.insert("unit".into(), V::String(m.unit().into()));
    metric.insert("definition".into(), V::String(m.definition().into()));
    metric.insert("cells".into(), V::String(m.aggregate_rule().into()));
    if !fund.is_empty() {
        metric.insert("fund".into(), V::String(fund.into()));
    }
    if !year.is_empty() {
        metric.insert("year".into(), V::String(year.into()));
    }
    let axes = spec
        .axes
        .iter()
        .map(|a| {
            let mut t = toml::Table::new();
            t.insert("key".into(), V::String(a.key.clone()));
            t.insert("unit".into(), V::String(a.unit.clone()));
            t.insert("low".into(), V::Float(a.low));
            t.insert("high".into(), V::Float(a.high));
            t.insert("steps".into(), V::Integer(i64::from(a.steps)));
            V::Table(t)
        })
        .collect();
    let mut files = toml::Table::new();
    for p in outputs {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let sha = crate::output::sha256_file(p)
            .map_err(|e| store::io_err(p)(std::io::Error::other(e.to_string())))?;
        files.insert(name, V::String(format!("sha256:{sha}")));
    }
    let mut root = toml::Table::new();
    root.insert("stress".into(), V::Table(stress));
    root.insert("metric".into(), V::Table(metric));
    root.insert("axes".into(), V::Array(axes));
    root.insert("outputs".into(), V::Table(files));
    let body = toml::to_string(&root)
        .map_err(|e| StressError::Input(format!("cannot write the manifest: {e}")))?;
    Ok(format!(
        "# A sisandbox stress test: the grid, the metric and the SHA-256 of every output.\n\
         # The runs are in {SWEEP_DIR}/ (plan.toml, runs/); the values are computed from \
         each run's files there.\n{body}"
    ))
}

#[cfg(test)]
mod tests {
    use super::{fmt_opt, short, value_text};
    use crate::stress::Metric;

    #[test]
    fn short_values_fit_a_cell() {
        assert_eq!(short(2047.0), "2047");
        assert_eq!(short(2047.5), "2048");
        assert_eq!(short(0.12345), "0.123");
        assert_eq!(short(4.56789), "4.57");
        assert_eq!(short(12.34), "12.3");
        assert_eq!(short(251_000_000.0), "2.51e8");
        assert_eq!(short(-999_999.0), "-1.00e6");
    }

    #[test]
    fn money_is_printed_to_the_fen_and_other_units_as_computed() {
        assert_eq!(
            value_text(Metric::FiscalSubsidy, Some(69_205_508.110_000_03)),
            "69205508.11"
        );
        assert_eq!(value_text(Metric::EmployerCost, Some(-0.004)), "0.00");
        assert_eq!(value_text(Metric::Balance, None), "");
        assert_eq!(
            value_text(Metric::DependencyRatio, Some(0.3)),
            fmt_opt(Some(0.3))
        );
    }
}

//! Figures from run and sweep folders: the data behind `sisandbox plot`, read from the files a
//! run or sweep wrote, then drawn by [`crate::plot`]. Each function writes `STEM.png` and/or
//! `STEM.svg` into a folder and returns the paths written.

use super::compare::{RunData, COMPARE_METRICS, GROUPS};
use crate::plot::{
    self, BandSeries, BoxSeries, FigureStyle, HistogramScale, MorrisPoint, Palette, PlotError,
    Sample,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    #[error(transparent)]
    Compare(#[from] super::compare::CompareError),
    #[error("{path}: {error}")]
    Plot { path: PathBuf, error: PlotError },
    #[error("{0}")]
    Usage(String),
}

fn input(path: &Path, message: impl Into<String>) -> FigureError {
    FigureError::Input {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Which formats to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Formats {
    pub png: bool,
    pub svg: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            png: true,
            svg: true,
        }
    }
}

fn render(
    out: &Path,
    stem: &str,
    formats: Formats,
    mut draw: impl FnMut(&Path) -> Result<(), PlotError>,
) -> Result<Vec<PathBuf>, FigureError> {
    std::fs::create_dir_all(out).map_err(|e| input(out, e.to_string()))?;
    let mut written = Vec::new();
    for (on, ext) in [(formats.png, "png"), (formats.svg, "svg")] {
        if on {
            let p = out.join(format!("{stem}.{ext}"));
            draw(&p).map_err(|error| FigureError::Plot {
                path: p.clone(),
                error,
            })?;
            written.push(p);
        }
    }
    Ok(written)
}

/// Whether a folder is a sweep folder (it has a plan) rather than a run folder.
pub fn is_sweep(dir: &Path) -> bool {
    dir.join(super::store::PLAN).is_file()
}

/// A sweep's table read whole: header and records.
struct Table {
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    fn read(path: &Path) -> Result<Table, FigureError> {
        let mut rd = csv::Reader::from_path(path).map_err(|e| input(path, e.to_string()))?;
        let header = rd
            .headers()
            .map_err(|e| input(path, e.to_string()))?
            .iter()
            .map(String::from)
            .collect();
        let rows = rd
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| input(path, e.to_string()))?;
        Ok(Table { header, rows })
    }
    fn col(&self, path: &Path, name: &str) -> Result<usize, FigureError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| input(path, format!("no column `{name}`")))
    }
}

/// Variant labels of a sweep folder from design.csv: `base`, or `v3: a=1, b=2`.
fn variant_labels(dir: &Path) -> Result<Vec<String>, FigureError> {
    let path = dir.join(super::store::DESIGN);
    let t = Table::read(&path)?;
    let params: Vec<usize> = (1..t.header.len())
        .filter(|&i| !["trajectory", "step", "moved"].contains(&t.header[i].as_str()))
        .collect();
    Ok(t.rows
        .iter()
        .map(|r| {
            let v = r.get(0).unwrap_or_default();
            let vals: Vec<String> = params
                .iter()
                .filter(|&&i| !r.get(i).unwrap_or_default().is_empty())
                .map(|&i| {
                    let name = t.header[i].rsplit('.').next().unwrap_or_default();
                    format!("{name}={}", r.get(i).unwrap_or_default())
                })
                .collect();
            if vals.is_empty() {
                format!("v{v}: base")
            } else {
                format!("v{v}: {}", vals.join(", "))
            }
        })
        .collect())
}

/// Per-variant values of a summary metric across replications, from a sweep's runs.csv.
fn sweep_metric(
    dir: &Path,
    metric: &str,
    group: &str,
    key: &str,
) -> Result<Vec<(String, Vec<f64>)>, FigureError> {
    let labels = variant_labels(dir)?;
    let path = dir.join("runs.csv");
    let t = Table::read(&path)?;
    let (cv, cg, ck, cm, cval) = (
        t.col(&path, "variant")?,
        t.col(&path, "group")?,
        t.col(&path, "key")?,
        t.col(&path, "metric")?,
        t.col(&path, "value")?,
    );
    let mut out: Vec<(String, Vec<f64>)> = labels.into_iter().map(|l| (l, Vec::new())).collect();
    for r in &t.rows {
        if r.get(cm) == Some(metric) && r.get(cg) == Some(group) && r.get(ck) == Some(key) {
            let v: usize = r
                .get(cv)
                .unwrap_or_default()
                .parse()
                .map_err(|_| input(&path, "bad variant"))?;
            let x: f64 = r.get(cval).unwrap_or_default().parse().unwrap_or(f64::NAN);
            if let Some(s) = out.get_mut(v) {
                s.1.push(x);
            }
        }
    }
    out.retain(|s| !s.1.is_empty());
    if out.is_empty() {
        return Err(input(
            &path,
            format!("no rows for metric `{metric}` in group {group}/{key}"),
        ));
    }
    Ok(out)
}

/// What a distribution figure shows: a per-agent metric of run folders (optionally within one
/// group value, e.g. track = contract), or a per-run summary metric of a sweep, by variant.
#[derive(Clone, Debug)]
pub struct Selection {
    pub metric: String,
    /// `all`, or a group (`track`, `sex`, `region`, `university` for runs; the `group` column
    /// of runs.csv for sweeps).
    pub group: String,
    pub key: String,
}

fn run_samples(
    inputs: &[PathBuf],
    sel: &Selection,
) -> Result<Vec<(String, Vec<f64>)>, FigureError> {
    let m = COMPARE_METRICS
        .iter()
        .position(|x| *x == sel.metric)
        .ok_or_else(|| {
            FigureError::Usage(format!(
                "--metric {}: for run folders, one of {}",
                sel.metric,
                COMPARE_METRICS.join(", ")
            ))
        })?;
    let g = if sel.group == "all" {
        None
    } else {
        Some(GROUPS.iter().position(|x| *x == sel.group).ok_or_else(|| {
            FigureError::Usage(format!(
                "--group {}: one of all, {}",
                sel.group,
                GROUPS.join(", ")
            ))
        })?)
    };
    let mut out = Vec::new();
    for dir in inputs {
        let r = RunData::load(dir)?;
        let xs: Vec<f64> = r
            .agents
            .iter()
            .filter(|a| g.is_none_or_eq_key(a.groups.as_slice(), &sel.key))
            .filter_map(|a| a.values[m])
            .collect();
        out.push((r.name, xs));
    }
    Ok(out)
}

trait KeyFilter {
    fn is_none_or_eq_key(&self, groups: &[String], key: &str) -> bool;
}

impl KeyFilter for Option<usize> {
    fn is_none_or_eq_key(&self, groups: &[String], key: &str) -> bool {
        self.is_none_or(|g| groups[g] == key)
    }
}

/// Samples for a distribution figure from run folders or one sweep folder.
pub fn samples(
    inputs: &[PathBuf],
    sel: &Selection,
) -> Result<Vec<(String, Vec<f64>)>, FigureError> {
    match inputs {
        [one] if is_sweep(one) => sweep_metric(one, &sel.metric, &sel.group, &sel.key),
        _ if inputs.iter().any(|p| is_sweep(p)) => Err(FigureError::Usage(
            "give either run folders or a single sweep folder".into(),
        )),
        _ => run_samples(inputs, sel),
    }
}

fn title_of(sel: &Selection) -> String {
    if sel.group == "all" {
        sel.metric.clone()
    } else {
        format!("{} ({} = {})", sel.metric, sel.group, sel.key)
    }
}

/// Overlaid histograms and ECDFs of a metric across runs or sweep variants:
/// `METRIC-hist` and `METRIC-ecdf`.
pub fn distributions(
    inputs: &[PathBuf],
    sel: &Selection,
    out: &Path,
    formats: Formats,
) -> Result<Vec<PathBuf>, FigureError> {
    let data = samples(inputs, sel)?;
    let names: Vec<&str> = data.iter().map(|d| d.0.as_str()).collect();
    let smp: Vec<Sample> = data.iter().map(|(n, v)| Sample::new(n, v)).collect();
    let palette = Palette::pinned(names.iter().copied());
    let title = title_of(sel);
    let stem = file_stem(sel);
    let mut written = render(out, &format!("{stem}-hist"), formats, |p| {
        let style = FigureStyle::new(title.clone())
            .labels(sel.metric.clone(), "share")
            .palette(palette.clone());
        plot::histogram(p, &style, &smp, 30, HistogramScale::Share)
    })?;
    written.extend(render(out, &format!("{stem}-ecdf"), formats, |p| {
        let style = FigureStyle::new(title.clone())
            .labels(sel.metric.clone(), "cumulative share")
            .palette(palette.clone());
        plot::ecdf(p, &style, &smp)
    })?);
    Ok(written)
}

fn file_stem(sel: &Selection) -> String {
    let raw = if sel.group == "all" {
        sel.metric.clone()
    } else {
        format!("{}-{}-{}", sel.metric, sel.group, sel.key)
    };
    raw.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Box plots: for run folders, a per-agent metric by the values of `by` (e.g. track), one box
/// per run; for a sweep folder, a summary metric across replications, one box per variant.
/// Writes `METRIC-box`.
pub fn boxes(
    inputs: &[PathBuf],
    metric: &str,
    by: &str,
    out: &Path,
    formats: Formats,
) -> Result<Vec<PathBuf>, FigureError> {
    if let [one] = inputs {
        if is_sweep(one) {
            let data = sweep_metric(one, metric, "all", "all")?;
            let labels: Vec<String> = data
                .iter()
                .map(|d| d.0.split(':').next().unwrap_or_default().to_string())
                .collect();
            let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
            let series = [BoxSeries::new(
                "replications",
                data.iter().map(|d| d.1.as_slice()).collect(),
            )];
            return render(
                out,
                &format!("{}-box", file_stem(&sel_all(metric))),
                formats,
                |p| {
                    let style =
                        FigureStyle::new(format!("{metric} by variant")).labels("variant", metric);
                    plot::box_plot(p, &style, &label_refs, &series)
                },
            );
        }
    }
    let m = COMPARE_METRICS
        .iter()
        .position(|x| *x == metric)
        .ok_or_else(|| {
            FigureError::Usage(format!(
                "--metric {metric}: one of {}",
                COMPARE_METRICS.join(", ")
            ))
        })?;
    let g = GROUPS
        .iter()
        .position(|x| *x == by)
        .ok_or_else(|| FigureError::Usage(format!("--by {by}: one of {}", GROUPS.join(", "))))?;
    let runs: Vec<RunData> = inputs
        .iter()
        .map(|d| RunData::load(d))
        .collect::<Result<_, _>>()?;
    let mut labels: Vec<String> = Vec::new();
    for r in &runs {
        for a in &r.agents {
            if !labels.contains(&a.groups[g]) {
                labels.push(a.groups[g].clone());
            }
        }
    }
    let values: Vec<Vec<Vec<f64>>> = runs
        .iter()
        .map(|r| {
            labels
                .iter()
                .map(|l| {
                    r.agents
                        .iter()
                        .filter(|a| &a.groups[g] == l)
                        .filter_map(|a| a.values[m])
                        .collect()
                })
                .collect()
        })
        .collect();
    let series: Vec<BoxSeries> = runs
        .iter()
        .zip(&values)
        .map(|(r, v)| BoxSeries::new(&r.name, v.iter().map(Vec::as_slice).collect()))
        .collect();
    let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let palette = Palette::pinned(runs.iter().map(|r| r.name.as_str()));
    render(
        out,
        &format!("{}-box-by-{by}", file_stem(&sel_all(metric))),
        formats,
        |p| {
            let style = FigureStyle::new(format!("{metric} by {by}"))
                .labels(by, metric)
                .palette(palette.clone());
            plot::box_plot(p, &style, &label_refs, &series)
        },
    )
}

fn sel_all(metric: &str) -> Selection {
    Selection {
        metric: metric.into(),
        group: "all".into(),
        key: "all".into(),
    }
}

/// Time series of a yearly metric from a sweep's series.csv: the median across replications
/// with the 5–95 % band, one line per variant. Writes `METRIC-bands`.
pub fn bands(
    dir: &Path,
    sel: &Selection,
    out: &Path,
    formats: Formats,
) -> Result<Vec<PathBuf>, FigureError> {
    if !is_sweep(dir) {
        return Err(input(dir, "not a sweep folder (no plan.toml)"));
    }
    let labels = variant_labels(dir)?;
    let path = dir.join("series.csv");
    if !path.is_file() {
        return Err(input(
            &path,
            "missing: the sweep keeps no series (series = false) or is not assembled",
        ));
    }
    let t = Table::read(&path)?;
    let (cv, cr, cy, cg, ck, cm, cval) = (
        t.col(&path, "variant")?,
        t.col(&path, "replication")?,
        t.col(&path, "year")?,
        t.col(&path, "group")?,
        t.col(&path, "key")?,
        t.col(&path, "metric")?,
        t.col(&path, "value")?,
    );
    // variant -> (years, replication -> year -> value)
    let mut years: Vec<i64> = Vec::new();
    let mut cells: HashMap<(usize, usize, i64), f64> = HashMap::new();
    let mut reps_of: HashMap<usize, usize> = HashMap::new();
    for r in &t.rows {
        if r.get(cm) != Some(sel.metric.as_str())
            || r.get(cg) != Some(sel.group.as_str())
            || r.get(ck) != Some(sel.key.as_str())
        {
            continue;
        }
        let num = |c: usize| {
            r.get(c)
                .unwrap_or_default()
                .parse::<i64>()
                .map_err(|_| input(&path, "bad number"))
        };
        let (v, rep, y) = (num(cv)? as usize, num(cr)? as usize, num(cy)?);
        let x: f64 = r.get(cval).unwrap_or_default().parse().unwrap_or(f64::NAN);
        if !years.contains(&y) {
            years.push(y);
        }
        let e = reps_of.entry(v).or_insert(0);
        *e = (*e).max(rep + 1);
        cells.insert((v, rep, y), x);
    }
    if cells.is_empty() {
        return Err(input(
            &path,
            format!(
                "no rows for metric `{}` in group {}/{}",
                sel.metric, sel.group, sel.key
            ),
        ));
    }
    years.sort_unstable();
    let x: Vec<f64> = years.iter().map(|y| *y as f64).collect();
    let mut variants: Vec<usize> = reps_of.keys().copied().collect();
    variants.sort_unstable();
    let matrices: Vec<(String, Vec<Vec<f64>>)> = variants
        .iter()
        .map(|&v| {
            let m = (0..reps_of[&v])
                .map(|rep| {
                    years
                        .iter()
                        .map(|y| cells.get(&(v, rep, *y)).copied().unwrap_or(f64::NAN))
                        .collect()
                })
                .collect();
            (labels.get(v).cloned().unwrap_or_else(|| format!("v{v}")), m)
        })
        .collect();
    let series: Vec<BandSeries> = matrices
        .iter()
        .map(|(n, m)| BandSeries::new(n, &x, m))
        .collect();
    let palette = Palette::pinned(matrices.iter().map(|m| m.0.as_str()));
    render(out, &format!("{}-bands", file_stem(sel)), formats, |p| {
        let style = FigureStyle::new(title_of(sel))
            .labels("year", sel.metric.clone())
            .palette(palette.clone());
        plot::percentile_bands(p, &style, &series, 0.05, 0.95)
    })
}

/// The Morris μ*/σ chart of one output from a Morris sweep's morris.csv. Writes `morris-METRIC`.
pub fn morris(
    dir: &Path,
    sel: &Selection,
    out: &Path,
    formats: Formats,
) -> Result<Vec<PathBuf>, FigureError> {
    let path = dir.join("morris.csv");
    if !path.is_file() {
        return Err(input(&path, "missing: not an assembled Morris sweep"));
    }
    let t = Table::read(&path)?;
    let (cp, cg, ck, cm, cmu, cs) = (
        t.col(&path, "parameter")?,
        t.col(&path, "group")?,
        t.col(&path, "key")?,
        t.col(&path, "metric")?,
        t.col(&path, "mu_star")?,
        t.col(&path, "sigma")?,
    );
    let pts: Vec<(String, f64, f64)> = t
        .rows
        .iter()
        .filter(|r| {
            r.get(cm) == Some(sel.metric.as_str())
                && r.get(cg) == Some(sel.group.as_str())
                && r.get(ck) == Some(sel.key.as_str())
        })
        .map(|r| {
            let f = |c: usize| {
                r.get(c)
                    .unwrap_or_default()
                    .parse::<f64>()
                    .unwrap_or(f64::NAN)
            };
            (r.get(cp).unwrap_or_default().to_string(), f(cmu), f(cs))
        })
        .collect();
    if pts.is_empty() {
        return Err(input(
            &path,
            format!(
                "no rows for metric `{}` in group {}/{}",
                sel.metric, sel.group, sel.key
            ),
        ));
    }
    let points: Vec<MorrisPoint> = pts
        .iter()
        .map(|(n, m, s)| MorrisPoint::new(n, *m, *s))
        .collect();
    render(out, &format!("morris-{}", file_stem(sel)), formats, |p| {
        let style =
            FigureStyle::new(format!("Morris screening: {}", title_of(sel))).labels("μ*", "σ");
        plot::morris_scatter(p, &style, &points)
    })
}

//! The stress-test tab's state: a grid over one or two scenario keys (`KEY=LOW..HIGH:STEPS`,
//! checked by the core's `sisandbox::stress::StressSpec::new`, so a problem reads as the CLI
//! prints it) run by `sisandbox::stress::run` in a background thread into a stress folder,
//! and the heat map read back from that folder's `stress-METRIC.csv`, the same file
//! `sisandbox stress` writes, so a folder the CLI made opens here too (docs/PLANNER.md §4).

use crate::i18n::{Lang, Msg};
use crate::job::Background;
use sisandbox::stress::{self, Metric, StressOptions, StressSpec};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// One axis as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisForm {
    pub key: String,
    pub low: String,
    pub high: String,
    pub steps: String,
}

impl AxisForm {
    fn new(key: &str, low: &str, high: &str, steps: &str) -> Self {
        AxisForm {
            key: key.into(),
            low: low.into(),
            high: high.into(),
            steps: steps.into(),
        }
    }

    /// `KEY=LOW..HIGH:STEPS`, as the CLI's `--vary` takes it.
    pub fn vary(&self) -> String {
        format!(
            "{}={}..{}:{}",
            self.key.trim(),
            self.low.trim(),
            self.high.trim(),
            self.steps.trim()
        )
    }
}

/// The grid as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct StressForm {
    /// The base scenario file; empty for the embedded default.
    pub scenario: String,
    pub x: AxisForm,
    /// The second axis, when `two_axes`.
    pub y: AxisForm,
    pub two_axes: bool,
    pub metric: Metric,
    /// `all` or `region/scheme`.
    pub fund: String,
    pub year: String,
    pub replications: String,
    /// Fixed settings for every run, `KEY=VALUE` separated by `;` or new lines.
    pub set: String,
    pub out: String,
    /// Replace a different grid in the folder.
    pub force: bool,
}

impl Default for StressForm {
    fn default() -> Self {
        StressForm {
            scenario: String::new(),
            x: AxisForm::new(
                "insurance.pension.enterprise_employer_rate",
                "0.12",
                "0.20",
                "5",
            ),
            y: AxisForm::new("careers.quit_rate.contract", "0.02", "0.12", "5"),
            two_axes: true,
            metric: Metric::FiscalSubsidy,
            fund: "all".into(),
            year: String::new(),
            replications: "1".into(),
            set: "simulation.agents=500".into(),
            out: "results/stress".into(),
            force: false,
        }
    }
}

impl StressForm {
    /// The checked grid, or the problem (naming the key, as the CLI does).
    pub fn spec(&self, lang: Lang) -> Result<StressSpec, String> {
        let mut vary = vec![self.x.vary()];
        if self.two_axes {
            vary.push(self.y.vary());
        }
        let bad = |what: &str, t: &str| match lang {
            Lang::En => format!("{what}: `{t}` is not a whole number"),
            Lang::Zh => format!("{what}：`{t}` 不是整数"),
        };
        let replications: u32 = self
            .replications
            .trim()
            .parse()
            .map_err(|_| bad("--replications", self.replications.trim()))?;
        let year = match self.year.trim() {
            "" => None,
            y => Some(y.parse::<i32>().map_err(|_| bad("--year", y))?),
        };
        let fund = match self.fund.trim() {
            "" | "all" => None,
            f => Some(f),
        };
        let set: Vec<String> = self
            .set
            .split([';', '\n', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let scenario = Some(self.scenario.trim())
            .filter(|s| !s.is_empty())
            .map(PathBuf::from);
        StressSpec::new(
            scenario,
            &vary,
            self.metric.name(),
            fund.filter(|_| self.metric.uses_fund()),
            year.filter(|_| self.metric.uses_year()),
            replications,
            None,
            set,
        )
        .map_err(|e| e.to_string())
    }
}

/// A heat map read from a stress folder.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatMapData {
    pub folder: PathBuf,
    /// The metric's name and unit as the table gives them.
    pub metric: String,
    pub unit: String,
    pub fund: String,
    pub year: String,
    /// The varied keys: across, then up.
    pub keys: Vec<String>,
    /// Levels across (x) and up (y; one empty level for a strip).
    pub x: Vec<String>,
    pub y: Vec<String>,
    /// `cells[row][column]`, row 0 at the bottom: (value, replications with a value, replications).
    pub cells: Vec<Vec<(Option<f64>, usize, usize)>>,
    /// Every metric whose table is in the folder.
    pub metrics: Vec<String>,
}

impl HeatMapData {
    /// The smallest and largest value of the map.
    pub fn range(&self) -> Option<(f64, f64)> {
        let v = self.cells.iter().flatten().filter_map(|c| c.0);
        let lo = v.clone().fold(f64::INFINITY, f64::min);
        let hi = v.fold(f64::NEG_INFINITY, f64::max);
        lo.is_finite().then_some((lo, hi))
    }
}

/// The metrics with a table in `dir` (`stress-METRIC.csv`).
pub fn metrics_in(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let m = name.strip_prefix("stress-")?.strip_suffix(".csv")?;
            (!m.ends_with("-runs")).then(|| m.to_string())
        })
        .collect();
    out.sort();
    out
}

/// Reads the heat map of `metric` (or the first metric found) from a stress folder.
pub fn read_map(dir: &Path, metric: Option<&str>) -> Result<HeatMapData, String> {
    let metrics = metrics_in(dir);
    let metric = match metric.filter(|m| metrics.iter().any(|x| x == m)) {
        Some(m) => m.to_string(),
        None => metrics.first().cloned().ok_or_else(|| {
            format!(
                "{}: no stress table (stress-METRIC.csv) in this folder",
                dir.display()
            )
        })?,
    };
    let path = dir.join(format!("stress-{metric}.csv"));
    let bad = |m: String| format!("{}: {m}", path.display());
    let mut rd = csv::Reader::from_path(&path).map_err(|e| bad(e.to_string()))?;
    let head: Vec<String> = rd
        .headers()
        .map_err(|e| bad(e.to_string()))?
        .iter()
        .map(String::from)
        .collect();
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(format!("no column `{name}`")))
    };
    let m_col = col("metric")?;
    let (unit_c, fund_c, year_c, reps_c, def_c, val_c) = (
        col("unit")?,
        col("fund")?,
        col("year")?,
        col("replications")?,
        col("defined")?,
        col("value")?,
    );
    let keys: Vec<String> = head[1..m_col].to_vec();
    if keys.is_empty() || keys.len() > 2 {
        return Err(bad(format!(
            "expected one or two varied keys, found {}",
            keys.len()
        )));
    }
    let mut rows: Vec<(Vec<String>, Option<f64>, usize, usize)> = Vec::new();
    let (mut unit, mut fund, mut year) = (String::new(), String::new(), String::new());
    for (n, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let field = |i: usize| rec.get(i).unwrap_or("").to_string();
        let line = n + 2;
        let value = match field(val_c).as_str() {
            "" => None,
            t => Some(
                t.parse::<f64>()
                    .map_err(|_| bad(format!("line {line}: value `{t}` is not a number")))?,
            ),
        };
        let count = |i: usize| -> Result<usize, String> {
            field(i)
                .parse()
                .map_err(|_| bad(format!("line {line}: `{}` is not a count", field(i))))
        };
        unit = field(unit_c);
        fund = field(fund_c);
        year = field(year_c);
        rows.push((
            (1..m_col).map(field).collect(),
            value,
            count(def_c)?,
            count(reps_c)?,
        ));
    }
    let mut x: Vec<String> = Vec::new();
    let mut y: Vec<String> = Vec::new();
    for (levels, ..) in &rows {
        if !x.contains(&levels[0]) {
            x.push(levels[0].clone());
        }
        let l = levels.get(1).cloned().unwrap_or_default();
        if !y.contains(&l) {
            y.push(l);
        }
    }
    let mut cells = vec![vec![(None, 0, 0); x.len()]; y.len()];
    for (levels, v, d, r) in rows {
        let i = x.iter().position(|l| *l == levels[0]).unwrap_or(0);
        let l = levels.get(1).cloned().unwrap_or_default();
        let j = y.iter().position(|k| *k == l).unwrap_or(0);
        cells[j][i] = (v, d, r);
    }
    if x.is_empty() {
        return Err(bad("no cells".into()));
    }
    Ok(HeatMapData {
        folder: dir.to_path_buf(),
        metric,
        unit,
        fund,
        year,
        keys,
        x,
        y,
        cells,
        metrics,
    })
}

/// A grid under way in a background thread.
pub struct StressJob {
    pub done: Arc<AtomicUsize>,
    pub total: Arc<AtomicUsize>,
    worker: Background<Result<PathBuf, String>>,
}

impl StressJob {
    pub fn start(
        spec: StressSpec,
        out: PathBuf,
        force: bool,
        repaint: impl Fn() + Send + Sync + 'static,
    ) -> StressJob {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (d, t) = (done.clone(), total.clone());
        let worker = Background::spawn(
            "sisandbox-stress",
            "the grid",
            Err,
            repaint,
            move |cancel, repaint| {
                let progress = |n: usize, of: usize| {
                    d.store(n, Ordering::Relaxed);
                    t.store(of, Ordering::Relaxed);
                    repaint();
                };
                let command = format!(
                    "sisandbox-gui stress {}",
                    spec.axes
                        .iter()
                        .map(|a| format!("--vary {}={}..{}:{}", a.key, a.low, a.high, a.steps))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                let opts = StressOptions {
                    out: out.clone(),
                    jobs: 0,
                    threads: 1,
                    force,
                    shard: None,
                    progress: Some(&progress),
                    cancel: Some(cancel),
                    command,
                };
                stress::run(&spec, &opts)
                    .map(|_| out)
                    .map_err(|e| e.to_string())
            },
        );
        StressJob {
            done,
            total,
            worker,
        }
    }

    /// Starts no further run; runs under way finish and are kept.
    pub fn cancel(&self) {
        self.worker.cancel();
    }

    pub fn cancelling(&self) -> bool {
        self.worker.cancelled()
    }

    pub fn poll(&self) -> Option<Result<PathBuf, String>> {
        self.worker.poll()
    }
}

/// The stress tab: the form, the grid under way, the heat map shown.
#[derive(Default)]
pub struct StressState {
    pub form: StressForm,
    pub job: Option<StressJob>,
    pub map: Option<Arc<HeatMapData>>,
    /// The problem of the last attempt, naming its key.
    pub problem: Option<String>,
    /// The last grid was stopped.
    pub stopped: bool,
    /// The folder typed to open.
    pub open_path: String,
}

impl StressState {
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    pub fn run(&mut self, lang: Lang, ctx: &egui::Context) {
        if self.job.is_some() {
            return;
        }
        self.stopped = false;
        match self.form.spec(lang) {
            Ok(spec) => {
                self.problem = None;
                let ctx = ctx.clone();
                let out = PathBuf::from(self.form.out.trim());
                self.job = Some(StressJob::start(spec, out, self.form.force, move || {
                    ctx.request_repaint()
                }));
            }
            Err(e) => self.problem = Some(e),
        }
    }

    pub fn poll(&mut self) {
        let Some(end) = self.job.as_ref().and_then(StressJob::poll) else {
            return;
        };
        let cancelling = self.job.as_ref().is_some_and(StressJob::cancelling);
        self.job = None;
        match end {
            Ok(dir) => self.open(&dir, Some(self.form.metric.name().to_string())),
            Err(_) if cancelling => self.stopped = true,
            Err(e) => self.problem = Some(e),
        }
    }

    /// Shows the heat map of a stress folder.
    pub fn open(&mut self, dir: &Path, metric: Option<String>) {
        match read_map(dir, metric.as_deref()) {
            Ok(m) => {
                self.problem = None;
                self.open_path = dir.display().to_string();
                self.map = Some(Arc::new(m));
            }
            Err(e) => self.problem = Some(e),
        }
    }
}

/// The catalog unit of a varied key (empty when the catalog has none).
pub fn axis_unit(key: &str) -> String {
    let generic = stress::axis::generic_path(key);
    crate::catalog::key_docs()
        .iter()
        .find(|d| d.path == generic)
        .map(|d| d.unit.to_string())
        .unwrap_or_default()
}

/// A metric's plain name.
pub fn metric_name(lang: Lang, metric: &str) -> String {
    let (en, zh) = match metric {
        "exhaustion_year" => ("Year the fund is exhausted", "基金耗尽年份"),
        "fiscal_subsidy" => ("Fiscal subsidy to the funds", "财政补贴"),
        "fund_balance" => ("Fund balance at year end", "基金年末结余"),
        "balance_ratio" => ("Balance in years of pension outflow", "结余可支付年数"),
        "dependency_ratio" => ("Pensioners per contributor", "抚养比（领取人数/缴费人数）"),
        "employer_cost" => ("Employer contributions in the year", "单位年度缴费"),
        "replacement_rate" => ("Replacement rate of retirees", "退休人员替代率"),
        other => (other, other),
    };
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => format!("{zh}（{metric}）"),
    }
}

/// A metric's unit in the interface's language.
pub fn unit_name(lang: Lang, unit: &str) -> String {
    match (lang, unit) {
        (Lang::En, u) => u.to_string(),
        (Lang::Zh, "yuan") => "元".into(),
        (Lang::Zh, "year") => "年份".into(),
        (Lang::Zh, "years of outflow") => "年支出".into(),
        (Lang::Zh, "pensioners per contributor") => "领取人数/缴费人数".into(),
        (Lang::Zh, "share of the final wage") => "占退休前工资比例".into(),
        (Lang::Zh, u) => u.to_string(),
    }
}

/// A value in its unit: yuan with thousands separators, shares in per cent, years whole.
pub fn value_text(lang: Lang, unit: &str, v: f64) -> String {
    use crate::fmt::{self, Unit};
    match unit {
        "yuan" => fmt::value(lang, Unit::Yuan, v),
        "share of the final wage" => fmt::value(lang, Unit::Share, v),
        "year" => fmt::thousands(v, if v.fract() == 0.0 { 0 } else { 1 }).replace(',', ""),
        u => format!("{} {}", fmt::thousands(v, 3), unit_name(lang, u)),
    }
}

/// What a cell holds, for the hover: both levels with their keys, the value with its unit and
/// how many replications have one.
pub fn cell_text(lang: Lang, m: &HeatMapData, col: usize, row: usize) -> Option<String> {
    let (v, defined, reps) = *m.cells.get(row)?.get(col)?;
    let mut at = format!("{} = {}", m.keys[0], m.x[col]);
    if let Some(k) = m.keys.get(1) {
        at.push_str(&format!(", {k} = {}", m.y[row]));
    }
    let value = match v {
        Some(v) => value_text(lang, &m.unit, v),
        None if m.metric == "exhaustion_year" => lang.t(Msg::StNotExhausted).to_string(),
        None => lang.t(Msg::StMissing).to_string(),
    };
    let reps = match lang {
        Lang::En => format!("{defined} of {reps} replications with a value"),
        Lang::Zh => format!("{reps} 次重复中 {defined} 次有值"),
    };
    Some(format!("{at}: {value} ({reps})"))
}

impl crate::state::AppState {
    /// Applies an action of the stress tab.
    pub(crate) fn apply_stress(&mut self, c: crate::command::StressCommand) {
        use crate::command::StressCommand as S;
        let lang = self.lang;
        match c {
            S::Run => {
                let ctx = self.ctx.clone();
                self.stress.run(lang, &ctx);
            }
            S::Cancel => {
                if let Some(j) = &self.stress.job {
                    j.cancel();
                }
            }
            S::Open(dir) => {
                let metric = self.stress.map.as_ref().map(|m| m.metric.clone());
                let metric = metric.filter(|m| metrics_in(&dir).contains(m));
                self.stress.open(&dir, metric);
            }
            S::ShowMetric(m) => {
                if let Some(dir) = self.stress.map.as_ref().map(|m| m.folder.clone()) {
                    self.stress.open(&dir, Some(m));
                }
            }
            S::OpenDialog => {
                let start = Some(PathBuf::from(self.stress.form.out.trim()))
                    .filter(|d| d.is_dir())
                    .or_else(|| std::env::current_dir().ok());
                let req = crate::files::FileRequest::open(
                    lang.t(Msg::StOpenDialog),
                    start.as_deref(),
                    ("stress-*.csv", &["csv"]),
                );
                if let Some(file) = self.files.choose(&req) {
                    // A table of the folder names the folder and the metric.
                    let metric = file
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .and_then(|s| s.strip_prefix("stress-"))
                        .map(String::from);
                    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                    self.stress.open(&dir, metric);
                }
            }
        }
    }
}

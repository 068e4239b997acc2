//! The comparison's state: which runs are compared, the chart's cached data and the summary
//! table. The table reads every replication's run folder through the core's comparison, which
//! takes seconds for large runs, so it is computed in a background thread and shown when
//! ready; the window never waits for it.

use crate::analysis::{self, ChartData, ChartKind, Metric, Prepared};
use crate::document::DocId;
use crate::export;
use crate::headline::{self, Headline};
use crate::i18n::{Lang, Msg};
use crate::results::{AgentMetric, Grouping, RunSet};
use crate::state::AppState;
use crate::summary::{self, Table};
use std::path::Path;
use std::sync::{mpsc, Arc};

/// The comparison being shown, and its cached data.
pub struct CompareState {
    /// Scenarios ticked, in the order ticked.
    pub picked: Vec<DocId>,
    pub baseline: Option<DocId>,
    pub metric: Metric,
    pub chart: ChartKind,
    pub grouping: Grouping,
    /// The folder of the last export (the dialog starts there).
    pub export_dir: Option<std::path::PathBuf>,
    cache: Option<(CacheKey, Cached)>,
    /// The summary table depends on the runs only: (runs, generation) and the rows.
    table: Option<(TableKey, TableState)>,
}

impl Default for CompareState {
    fn default() -> Self {
        CompareState {
            picked: Vec::new(),
            baseline: None,
            metric: Metric::Agent(AgentMetric::ReplacementRate),
            chart: ChartKind::Histogram,
            grouping: Grouping::Track,
            export_dir: None,
            cache: None,
            table: None,
        }
    }
}

type TableKey = (Vec<DocId>, u64);

/// The table and the headlines, made together in the background.
type Analysis = (Table, Vec<Headline>);

enum TableState {
    Pending(mpsc::Receiver<Analysis>),
    Ready(Box<Analysis>),
}

#[derive(Clone, PartialEq)]
struct CacheKey {
    runs: Vec<DocId>,
    metric: Metric,
    chart: ChartKind,
    grouping: Grouping,
    generation: u64,
}

/// What the compare view draws, computed when the selection or the runs change.
pub struct Cached {
    pub prepared: Prepared,
    pub chart: ChartData,
}

impl AppState {
    /// The runs of the comparison: the baseline first, then the others as picked.
    pub fn compared_runs(&self) -> Vec<(DocId, &Arc<RunSet>)> {
        let mut ids: Vec<DocId> = self
            .compare
            .picked
            .iter()
            .copied()
            .filter(|d| self.runs.contains_key(d))
            .collect();
        if let Some(b) = self.compare.baseline {
            if let Some(i) = ids.iter().position(|d| *d == b) {
                ids.remove(i);
                ids.insert(0, b);
            }
        }
        ids.into_iter()
            .filter_map(|d| self.runs.get(&d).map(|r| (d, r)))
            .collect()
    }

    /// The chart of the current comparison, computed again only when it changed.
    pub fn comparison(&mut self) -> Option<&Cached> {
        let runs = self.compared_runs();
        if runs.len() < 2 {
            return None;
        }
        let key = CacheKey {
            runs: runs.iter().map(|r| r.0).collect(),
            metric: self.compare.metric,
            chart: self.compare.chart,
            grouping: self.compare.grouping,
            generation: self.generation,
        };
        let fresh = self.compare.cache.as_ref().is_some_and(|(k, _)| *k == key);
        if !fresh {
            let sets: Vec<&RunSet> = runs.iter().map(|r| r.1.as_ref()).collect();
            let c = &self.compare;
            let prepared = analysis::prepare(&sets, c.metric, c.chart, c.grouping);
            let chart = analysis::chart_data(&prepared, c.chart);
            self.compare.cache = Some((key, Cached { prepared, chart }));
        }
        self.compare.cache.as_ref().map(|c| &c.1)
    }

    /// The summary table of the current comparison; `None` while it is being computed (a
    /// background thread reads the run folders; the window is repainted when it is done).
    pub fn summary(&mut self) -> Option<&Table> {
        self.analysis().map(|a| &a.0)
    }

    /// The headline of every reform against the baseline; `None` while being computed.
    pub fn headlines(&mut self) -> Option<&[Headline]> {
        self.analysis().map(|a| a.1.as_slice())
    }

    fn analysis(&mut self) -> Option<&Analysis> {
        let runs = self.compared_runs();
        if runs.len() < 2 {
            return None;
        }
        let key: TableKey = (runs.iter().map(|r| r.0).collect(), self.generation);
        let current = self.compare.table.as_ref().is_some_and(|(k, _)| *k == key);
        if !current {
            let sets: Vec<Arc<RunSet>> = runs.iter().map(|r| Arc::clone(r.1)).collect();
            let (tx, rx) = mpsc::channel();
            let ctx = self.ctx.clone();
            let spawned = std::thread::Builder::new()
                .name("sisandbox-summary".into())
                .spawn(move || {
                    let refs: Vec<&RunSet> = sets.iter().map(|s| s.as_ref()).collect();
                    let table = summary::summarize(&refs, &Metric::all());
                    let heads = headline::compute(&refs, table.as_ref().ok().map(Vec::as_slice));
                    let _ = tx.send((table, heads));
                    ctx.request_repaint();
                });
            let state = match spawned {
                Ok(_) => TableState::Pending(rx),
                Err(e) => TableState::Ready(Box::new((
                    Err(format!("cannot start a thread: {e}")),
                    Vec::new(),
                ))),
            };
            self.compare.table = Some((key, state));
        }
        let (_, state) = self.compare.table.as_mut()?;
        if let TableState::Pending(rx) = state {
            match rx.try_recv() {
                Ok(t) => *state = TableState::Ready(Box::new(t)),
                Err(mpsc::TryRecvError::Empty) => return None,
                Err(mpsc::TryRecvError::Disconnected) => {
                    *state = TableState::Ready(Box::new((
                        Err("the summary stopped unexpectedly".into()),
                        Vec::new(),
                    )))
                }
            }
        }
        match state {
            TableState::Ready(t) => Some(&**t),
            TableState::Pending(_) => None,
        }
    }

    pub(crate) fn export_chart(&mut self, path: &Path) {
        let lang = self.lang;
        let (metric, chart) = (self.compare.metric, self.compare.chart);
        let caption = {
            let runs = self.compared_runs();
            let sets: Vec<&RunSet> = runs.iter().map(|r| r.1.as_ref()).collect();
            crate::caption::text(lang, &sets)
        };
        let Some(c) = self.comparison() else { return };
        let title = crate::compare_ui::metric_name(lang, metric);
        let (x, y) = crate::compare_ui::axis_names(lang, metric, chart);
        let r = export::chart(path, &c.prepared, chart, &title, (&x, &y), &caption);
        self.report_export(path, r);
    }

    /// The file name an export of the chart on screen (`ext` png or svg) or of the table
    /// (`csv`) is offered under: the chart and the scenarios compared, baseline first.
    pub fn export_name(&self, ext: &str) -> String {
        let names: Vec<String> = self
            .compared_runs()
            .iter()
            .map(|r| r.1.name.clone())
            .collect();
        let scenarios = names.join(" vs ");
        let (lang, metric, chart) = (self.lang, self.compare.metric, self.compare.chart);
        let stem = if ext == "csv" {
            let what = match lang {
                Lang::En => "differences",
                Lang::Zh => "差异表",
            };
            crate::files::file_stem(&[what, &scenarios])
        } else {
            let title = crate::compare_ui::metric_name(lang, metric);
            let kind = crate::compare_ui::chart_name(lang, chart);
            crate::files::file_stem(&[&title, kind, &scenarios])
        };
        format!("{stem}.{ext}")
    }

    pub(crate) fn export_table(&mut self, path: &Path) {
        let lang = self.lang;
        let r = match self.summary() {
            Some(Ok(rows)) => export::table(path, rows, |r| {
                crate::compare_ui::metric_name(lang, r.metric)
            }),
            Some(Err(e)) => Err(e.clone()),
            None => Err(lang.t(Msg::TablePending).to_string()),
        };
        self.report_export(path, r);
    }

    fn report_export(&mut self, path: &Path, r: Result<(), String>) {
        match r {
            Ok(()) => self.ok(format!(
                "{}: {}",
                self.lang.t(Msg::Exported),
                path.display()
            )),
            Err(e) => self.err(e),
        }
    }
}

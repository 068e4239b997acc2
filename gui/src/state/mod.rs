//! The application state, apart from drawing: open scenarios, the run queue, finished runs and
//! the comparison. Drawing code reads it and returns [`Command`]s; [`AppState::apply`] is the
//! only place it changes.
//!
//! The state's operations are split by what they act on: this module holds the state and
//! dispatches the commands; `docs` the open scenarios, their files and the file dialogs;
//! `runs` the run queue, finished runs and the sets of runs found on disk; the comparison is
//! in `compare_state`, the planner and stress tabs in `planner` and `stress_view`.

mod docs;
mod runs;

use crate::analysis::ChartKind;
use crate::command::Command;
pub use crate::compare_state::{Cached, CompareState};
use crate::document::{DocId, ScenarioDoc};
use crate::i18n::Lang;
use crate::results::RunSet;
use crate::runner::Job;
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

/// The panes of the main area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Form,
    Text,
    Diff,
    Run,
    Compare,
    Headline,
    Planner,
    Stress,
}

/// Where a scenario's runs stand.
#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    Queued,
    Running,
    Finished,
    /// Stopped by the user; `kept` replications of `of` had finished and are kept.
    Cancelled {
        kept: usize,
        of: u32,
    },
    Failed(String),
}

/// A question the user must answer before anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    Quit,
    Close(DocId),
}

/// How runs are made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSettings {
    pub replications: u32,
    pub threads: usize,
    /// Where run folders are written (like the CLI's `--out`).
    pub out: PathBuf,
}

pub struct AppState {
    pub lang: Lang,
    pub tab: Tab,
    pub docs: Vec<ScenarioDoc>,
    pub active: Option<DocId>,
    next_id: DocId,
    /// The path field of the side panel (open, save as).
    pub path_input: String,
    /// Per open scenario, which scenario its diff view compares with.
    pub diff_base: BTreeMap<DocId, Option<DocId>>,
    pub run_settings: RunSettings,
    pub runs: BTreeMap<DocId, Arc<RunSet>>,
    pub run_status: BTreeMap<DocId, RunStatus>,
    queue: VecDeque<DocId>,
    pub job: Option<Job>,
    pub(crate) generation: u64,
    pub compare: CompareState,
    pub dialog: Option<Dialog>,
    /// The user confirmed quitting (or nothing was unsaved).
    pub quit_confirmed: bool,
    /// Last outcome of an action: (is an error, text).
    pub message: Option<(bool, String)>,
    /// Edit buffers of the form's text fields, by (scenario, key).
    pub buffers: BTreeMap<(DocId, String), String>,
    /// Entries of the form that were refused, with why, by (scenario, key).
    pub field_errors: BTreeMap<(DocId, String), String>,
    /// Sets of replications found in the runs folder, by id (ids shared with scenarios, so a
    /// set read from disk is compared like a scenario's runs).
    pub history: Vec<(DocId, crate::history::HistoryRun)>,
    /// Sets of replications being read from disk in the background.
    loading: Vec<(DocId, mpsc::Receiver<Result<RunSet, String>>)>,
    /// The file dialog (the system's; tests put their own).
    pub files: Box<dyn crate::files::FileChooser>,
    pub(crate) ctx: egui::Context,
    /// The planner tab (`planner`).
    pub planner: crate::planner::PlannerState,
    /// The stress-test tab (`stress_view`).
    pub stress: crate::stress_view::StressState,
}

impl AppState {
    pub fn new(ctx: egui::Context) -> Self {
        AppState {
            lang: Lang::En,
            tab: Tab::Form,
            docs: Vec::new(),
            active: None,
            next_id: 1,
            path_input: "scenarios/baseline.toml".into(),
            diff_base: BTreeMap::new(),
            run_settings: RunSettings {
                replications: 1,
                threads: 0,
                out: PathBuf::from("results"),
            },
            runs: BTreeMap::new(),
            run_status: BTreeMap::new(),
            queue: VecDeque::new(),
            job: None,
            generation: 0,
            compare: CompareState::default(),
            dialog: None,
            quit_confirmed: false,
            message: None,
            buffers: BTreeMap::new(),
            field_errors: BTreeMap::new(),
            history: Vec::new(),
            loading: Vec::new(),
            files: Box::new(crate::files::NativeDialog),
            ctx,
            planner: Default::default(),
            stress: Default::default(),
        }
    }

    pub fn doc(&self, id: DocId) -> Option<&ScenarioDoc> {
        self.docs.iter().find(|d| d.id == id)
    }

    fn doc_mut(&mut self, id: DocId) -> Option<&mut ScenarioDoc> {
        self.docs.iter_mut().find(|d| d.id == id)
    }

    pub fn active_doc(&self) -> Option<&ScenarioDoc> {
        self.active.and_then(|id| self.doc(id))
    }

    pub fn any_dirty(&self) -> bool {
        self.docs.iter().any(ScenarioDoc::is_dirty)
    }

    pub fn busy(&self) -> bool {
        self.job.is_some() || !self.queue.is_empty()
    }

    /// Scenarios waiting for the run under way.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    pub(crate) fn ok(&mut self, text: String) {
        self.message = Some((false, text));
    }

    pub(crate) fn err(&mut self, text: String) {
        self.message = Some((true, text));
    }

    /// Applies one user action.
    pub fn apply(&mut self, c: Command) {
        match c {
            Command::SetLang(l) => self.lang = l,
            Command::SetTab(t) => self.tab = t,
            Command::Select(id) => self.active = Some(id),
            Command::Open(path) => {
                self.open(&path);
            }
            Command::NewScenario => {
                let path = self.free_path(Path::new("scenarios"), "untitled");
                let text = "name = \"untitled\"\n".to_string();
                let mut doc = ScenarioDoc::new(0, path, text, false);
                // Where it goes is asked when it is first saved.
                doc.needs_path = true;
                self.add_doc(doc);
                self.tab = Tab::Form;
            }
            Command::OpenDialog => self.open_dialog(),
            Command::SaveAsDialog(id) => self.save_as_dialog(id),
            Command::ExportDialog(kind) => self.export_dialog(kind),
            Command::NewReform(base) => self.new_reform(base),
            Command::Save(id) => match self.doc(id).map(|d| (d.needs_path, d.path.clone())) {
                Some((true, _)) => self.apply(Command::SaveAsDialog(id)),
                Some((false, path)) => self.save(id, &path),
                None => {}
            },
            Command::SaveAs(id, path) => self.save(id, &path),
            Command::Close(id) => {
                if self.doc(id).is_some_and(ScenarioDoc::is_dirty) {
                    self.dialog = Some(Dialog::Close(id));
                } else {
                    self.close(id);
                }
            }
            Command::Discard(id) => {
                self.dialog = None;
                self.close(id);
            }
            Command::SetValue { doc, path, value } => {
                if let Some(d) = self.doc_mut(doc) {
                    if let Err(e) = d.set_value(&path, value) {
                        self.err(format!("{path}: {e}"));
                    }
                }
            }
            Command::CommitField {
                doc,
                path,
                key,
                editor,
                text,
            } => self.commit_field(doc, path, key, editor, &text),
            Command::SetDatedCell {
                doc,
                path,
                key,
                index,
                col,
                text,
            } => {
                let slot = (doc, format!("{path}#{index}.{}", col.name()));
                let Some(kd) = crate::catalog::key_docs().get(key) else {
                    return;
                };
                let current = self.doc(doc).and_then(|d| d.value_at(&path)).cloned();
                match crate::dated::set_cell(
                    self.lang,
                    current.as_ref(),
                    &kd.allowed,
                    index,
                    col,
                    &text,
                ) {
                    Ok(value) => {
                        self.field_errors.remove(&slot);
                        self.buffers.remove(&slot);
                        self.apply(Command::SetValue { doc, path, value });
                    }
                    Err(e) => {
                        self.field_errors.insert(slot, e);
                    }
                }
            }
            Command::AddDatedRow(doc, path) => {
                let current = self.doc(doc).and_then(|d| d.value_at(&path)).cloned();
                let value = crate::dated::add_row(current.as_ref());
                self.apply(Command::SetValue { doc, path, value });
            }
            Command::RemoveDatedRow(doc, path, i) => {
                let current = self.doc(doc).and_then(|d| d.value_at(&path)).cloned();
                let value = crate::dated::remove_row(current.as_ref(), i);
                self.buffers
                    .retain(|(d, k), _| !(*d == doc && k.starts_with(&path)));
                self.apply(Command::SetValue { doc, path, value });
            }
            Command::ResetKey(doc, path) => {
                if let Some(d) = self.doc_mut(doc) {
                    if let Err(e) = d.remove_key(&path) {
                        self.err(format!("{path}: {e}"));
                    }
                }
                self.buffers
                    .retain(|(d, k), _| !(*d == doc && k.starts_with(&path)));
                self.field_errors
                    .retain(|(d, k), _| !(*d == doc && k.starts_with(&path)));
            }
            Command::SetText(doc, text) => {
                if let Some(d) = self.doc_mut(doc) {
                    d.set_text(text);
                }
                self.buffers.retain(|(d, _), _| *d != doc);
            }
            Command::SetDiffBase(doc, base) => {
                self.diff_base.insert(doc, base);
            }
            Command::Run(doc) => self.queue_run(doc),
            Command::RunAll => {
                let ids: Vec<DocId> = self
                    .docs
                    .iter()
                    .filter(|d| d.scenario().is_some())
                    .map(|d| d.id)
                    .collect();
                for id in ids {
                    self.queue_run(id);
                }
            }
            Command::CancelRun => {
                if let Some(j) = &self.job {
                    j.cancel();
                }
            }
            Command::ClearQueue => {
                for doc in self.queue.drain(..) {
                    self.run_status.remove(&doc);
                }
            }
            Command::ScanRuns => self.scan_history(),
            Command::ToggleCompared(doc) if !self.runs.contains_key(&doc) => {
                // A set found on disk is read first; it is ticked when it has been read.
                self.load_history(doc);
            }
            Command::ToggleCompared(doc) => {
                let p = &mut self.compare.picked;
                match p.iter().position(|d| *d == doc) {
                    Some(i) => {
                        p.remove(i);
                    }
                    None => p.push(doc),
                }
            }
            Command::SetBaseline(doc) => self.compare.baseline = Some(doc),
            Command::SetMetric(m) => {
                self.compare.metric = m;
                let kinds = ChartKind::for_metric(m);
                if !kinds.contains(&self.compare.chart) {
                    self.compare.chart = kinds[0];
                }
            }
            Command::SetChart(k) => self.compare.chart = k,
            Command::SetGrouping(g) => self.compare.grouping = g,
            Command::ExportChart(path) => self.export_chart(&path),
            Command::ExportTable(path) => self.export_table(&path),
            Command::QuitRequested => {
                if self.any_dirty() {
                    self.dialog = Some(Dialog::Quit);
                } else {
                    self.quit_confirmed = true;
                }
            }
            Command::SaveAllAndQuit => {
                let ids: Vec<(DocId, PathBuf)> = self
                    .docs
                    .iter()
                    .filter(|d| d.is_dirty())
                    .map(|d| (d.id, d.path.clone()))
                    .collect();
                for (id, path) in ids {
                    self.save(id, &path);
                }
                self.dialog = None;
                self.quit_confirmed = !self.any_dirty();
            }
            Command::DiscardAllAndQuit => {
                self.dialog = None;
                self.quit_confirmed = true;
            }
            Command::DismissDialog => self.dialog = None,
            Command::Planner(c) => self.apply_planner(c),
            Command::Stress(c) => self.apply_stress(c),
        }
    }
}

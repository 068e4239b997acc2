//! The application state, apart from drawing: open scenarios, the run queue, finished runs and
//! the comparison. Drawing code reads it and returns [`Command`]s; [`AppState::apply`] is the
//! only place it changes.

use crate::analysis::ChartKind;
use crate::command::Command;
pub use crate::compare_state::{Cached, CompareState};
use crate::document::{DocId, ScenarioDoc};
use crate::i18n::{Lang, Msg};
use crate::results::RunSet;
use crate::runner::{Job, JobEnd, RunRequest};
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

    fn add_doc(&mut self, mut doc: ScenarioDoc) -> DocId {
        let id = self.next_id;
        self.next_id += 1;
        doc.id = id;
        self.docs.push(doc);
        self.active = Some(id);
        id
    }

    /// Opens a scenario file (or brings it forward if it is open already).
    pub fn open(&mut self, path: &Path) -> Option<DocId> {
        if let Some(d) = self.docs.iter_mut().find(|d| d.path == path) {
            // Opening again reads the files it extends again.
            d.revalidate();
            self.active = Some(d.id);
            return Some(d.id);
        }
        match ScenarioDoc::open(0, path) {
            Ok(doc) => {
                let id = self.add_doc(doc);
                self.ok(format!("{}", path.display()));
                Some(id)
            }
            Err(e) => {
                self.err(e);
                None
            }
        }
    }

    /// Whether runs found on disk are being read.
    pub fn loading(&self) -> bool {
        !self.loading.is_empty()
    }

    /// A name for the runs kept under `id`: the scenario's, or the set found on disk
    /// (scenario name and first folder).
    pub fn run_label(&self, id: DocId) -> String {
        if let Some(d) = self.doc(id) {
            return d.label();
        }
        match self.history.iter().find(|h| h.0 == id) {
            Some((_, h)) => format!("{} ({})", h.name, h.first_folder()),
            None => String::new(),
        }
    }

    /// Everything that can be compared: scenarios with runs, then the sets found on disk.
    pub fn run_entries(&self) -> Vec<(DocId, String)> {
        let docs = self.docs.iter().filter(|d| self.runs.contains_key(&d.id));
        docs.map(|d| (d.id, d.label()))
            .chain(
                self.history
                    .iter()
                    .map(|(id, _)| (*id, self.run_label(*id))),
            )
            .collect()
    }

    /// Lists the sets of replications in the runs folder again. Sets whose folders are all
    /// held by a run made in this session are left out.
    pub fn scan_history(&mut self) {
        let held: std::collections::BTreeSet<&Path> = self
            .runs
            .iter()
            .filter(|(id, _)| !self.history.iter().any(|h| h.0 == **id))
            .flat_map(|(_, r)| r.replications.iter().map(|r| r.dir.as_path()))
            .collect();
        let found: Vec<crate::history::HistoryRun> = crate::history::scan(&self.run_settings.out)
            .into_iter()
            .filter(|h| !h.dirs.iter().all(|d| held.contains(d.as_path())))
            .collect();
        // Sets listed already keep their id (and their runs if read).
        let mut kept = Vec::new();
        for h in found {
            let id = match self.history.iter().find(|(_, old)| *old == h) {
                Some((id, _)) => *id,
                None => {
                    let id = self.next_id;
                    self.next_id += 1;
                    id
                }
            };
            kept.push((id, h));
        }
        let gone: Vec<DocId> = self
            .history
            .iter()
            .filter(|(id, _)| !kept.iter().any(|k| k.0 == *id))
            .map(|h| h.0)
            .collect();
        self.history = kept;
        for id in gone {
            self.forget_runs(id);
        }
        let n = self.history.len();
        self.ok(format!(
            "{}: {n} {}",
            self.run_settings.out.display(),
            self.lang.t(crate::i18n::Msg::RunsFound)
        ));
    }

    fn forget_runs(&mut self, id: DocId) {
        self.runs.remove(&id);
        self.loading.retain(|l| l.0 != id);
        self.compare.picked.retain(|d| *d != id);
        if self.compare.baseline == Some(id) {
            self.compare.baseline = self.compare.picked.first().copied();
        }
        self.generation += 1;
    }

    /// Starts reading a set found on disk, in the background.
    fn load_history(&mut self, id: DocId) {
        let Some((_, h)) = self.history.iter().find(|h| h.0 == id) else {
            return;
        };
        if self.runs.contains_key(&id) || self.loading.iter().any(|l| l.0 == id) {
            return;
        }
        let h = h.clone();
        let (tx, rx) = mpsc::channel();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("sisandbox-history".into())
            .spawn(move || {
                let _ = tx.send(crate::history::load(&h));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.loading.push((id, rx)),
            Err(e) => self.err(format!("cannot start a thread: {e}")),
        }
    }

    /// Checks the worker and starts the next queued run; call once per frame.
    pub fn poll(&mut self) {
        self.planner.poll();
        self.stress.poll();
        let mut done = Vec::new();
        self.loading.retain(|(id, rx)| match rx.try_recv() {
            Ok(r) => {
                done.push((*id, r));
                false
            }
            Err(mpsc::TryRecvError::Empty) => true,
            Err(mpsc::TryRecvError::Disconnected) => {
                done.push((*id, Err("reading the runs stopped unexpectedly".into())));
                false
            }
        });
        for (id, r) in done {
            match r {
                Ok(set) => self.add_runs(id, set),
                Err(e) => self.err(e),
            }
        }
        if let Some(job) = &self.job {
            if let Some(end) = job.poll() {
                let (doc, of) = (job.doc, job.replications);
                self.job = None;
                let status = match end {
                    JobEnd::Finished(set) => {
                        self.add_runs(doc, set);
                        RunStatus::Finished
                    }
                    JobEnd::Cancelled(set) => {
                        // Replications that finished were written to disk: keep them.
                        let kept = set.replications.len();
                        if kept > 0 {
                            self.add_runs(doc, set);
                        }
                        RunStatus::Cancelled { kept, of }
                    }
                    JobEnd::Failed(e) => RunStatus::Failed(e),
                };
                self.run_status.insert(doc, status);
            }
        }
        if self.job.is_none() {
            while let Some(doc) = self.queue.pop_front() {
                // The files it extends may have been saved since it was last checked.
                let Some(d) = self.doc_mut(doc) else { continue };
                d.revalidate();
                let Some(d) = self.doc(doc) else { continue };
                let Some(s) = d.scenario() else {
                    self.run_status
                        .insert(doc, RunStatus::Failed("the scenario is not valid".into()));
                    continue;
                };
                let req = RunRequest {
                    doc,
                    scenario: s.clone(),
                    dir: d.path.parent().map(Path::to_path_buf),
                    replications: self.run_settings.replications.max(1),
                    threads: self.run_settings.threads,
                    out: self.run_settings.out.clone(),
                    files: vec![d.path.clone()],
                };
                let ctx = self.ctx.clone();
                self.job = Some(Job::start(req, move || ctx.request_repaint()));
                self.run_status.insert(doc, RunStatus::Running);
                break;
            }
        }
    }

    fn add_runs(&mut self, doc: DocId, set: RunSet) {
        self.runs.insert(doc, Arc::new(set));
        self.generation += 1;
        if !self.compare.picked.contains(&doc) {
            self.compare.picked.push(doc);
        }
        if self.compare.baseline.is_none() {
            self.compare.baseline = Some(doc);
        }
    }

    fn queue_run(&mut self, doc: DocId) {
        let running = self.job.as_ref().is_some_and(|j| j.doc == doc);
        if !running && !self.queue.contains(&doc) {
            self.queue.push_back(doc);
            self.run_status.insert(doc, RunStatus::Queued);
        }
    }

    /// A path beside `near` named `stem.toml`, `stem-2.toml`, … that no file or open
    /// scenario uses.
    fn free_path(&self, dir: &Path, stem: &str) -> PathBuf {
        (1..)
            .map(|n| {
                let name = if n == 1 {
                    format!("{stem}.toml")
                } else {
                    format!("{stem}-{n}.toml")
                };
                dir.join(name)
            })
            .find(|p| !p.exists() && !self.docs.iter().any(|d| &d.path == p))
            .expect("an unused name")
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
            Command::OpenDialog => {
                let dir = self.dialog_dir();
                let req = crate::files::FileRequest::open(
                    self.lang.t(Msg::OpenTitle),
                    dir.as_deref(),
                    (self.lang.t(Msg::ScenarioFiles), &["toml"]),
                );
                if let Some(path) = self.files.choose(&req) {
                    self.open(&path);
                }
            }
            Command::SaveAsDialog(id) => {
                let Some(d) = self.doc(id) else { return };
                let name = d
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "scenario.toml".into());
                let dir = d
                    .path
                    .parent()
                    .filter(|p| p.is_dir() && !p.as_os_str().is_empty())
                    .map(Path::to_path_buf)
                    .or_else(|| std::env::current_dir().ok());
                let req = crate::files::FileRequest::save(
                    self.lang.t(Msg::SaveAs),
                    dir.as_deref(),
                    &name,
                    (self.lang.t(Msg::ScenarioFiles), &["toml"]),
                );
                if let Some(path) = self.files.choose(&req) {
                    self.save(id, &path);
                }
            }
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

    /// The folder dialogs start in: the open scenario's, else the working folder.
    fn dialog_dir(&self) -> Option<PathBuf> {
        self.active_doc()
            .and_then(|d| d.path.parent())
            .filter(|p| p.is_dir() && !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
    }

    fn export_dialog(&mut self, kind: crate::command::ExportKind) {
        use crate::command::ExportKind;
        let name = self.export_name(kind.ext());
        let dir = self
            .compare
            .export_dir
            .clone()
            .or_else(|| Some(self.run_settings.out.clone()).filter(|d| d.is_dir()))
            .or_else(|| std::env::current_dir().ok());
        let filter: (&str, &[&str]) = match kind {
            ExportKind::Png => ("PNG", &["png"]),
            ExportKind::Svg => ("SVG", &["svg"]),
            ExportKind::Csv => ("CSV", &["csv"]),
        };
        let req = crate::files::FileRequest::save(
            self.lang.t(Msg::ExportTitle),
            dir.as_deref(),
            &name,
            filter,
        );
        let Some(mut path) = self.files.choose(&req) else {
            return;
        };
        if path.extension().is_none() {
            path.set_extension(kind.ext());
        }
        self.compare.export_dir = path.parent().map(Path::to_path_buf);
        match kind {
            ExportKind::Csv => self.export_table(&path),
            _ => self.export_chart(&path),
        }
    }

    fn commit_field(
        &mut self,
        doc: DocId,
        path: String,
        key: usize,
        editor: crate::catalog::Editor,
        text: &str,
    ) {
        let Some(kd) = crate::catalog::key_docs().get(key) else {
            return;
        };
        let slot = (doc, path.clone());
        match crate::field::parse(self.lang, editor, &kd.allowed, text) {
            Ok(value) => {
                self.field_errors.remove(&slot);
                let unchanged = self
                    .doc(doc)
                    .is_some_and(|d| d.value_at(&path) == Some(&value));
                if !unchanged {
                    self.apply(Command::SetValue { doc, path, value });
                }
                self.buffers.remove(&slot);
            }
            Err(e) => {
                self.field_errors.insert(slot, e);
            }
        }
    }

    fn save(&mut self, id: DocId, path: &Path) {
        let Some(d) = self.doc_mut(id) else { return };
        match d.save_to(path) {
            Ok(()) => {
                self.ok(format!("{}", path.display()));
                // Scenarios that extend this file read it again.
                for other in self.docs.iter_mut().filter(|d| d.id != id) {
                    other.revalidate();
                }
            }
            Err(e) => self.err(e),
        }
    }

    fn close(&mut self, id: DocId) {
        self.docs.retain(|d| d.id != id);
        self.runs.remove(&id);
        self.run_status.remove(&id);
        self.queue.retain(|d| *d != id);
        self.compare.picked.retain(|d| *d != id);
        if self.compare.baseline == Some(id) {
            self.compare.baseline = self.compare.picked.first().copied();
        }
        if self.active == Some(id) {
            self.active = self.docs.last().map(|d| d.id);
        }
        self.generation += 1;
    }

    fn new_reform(&mut self, base: DocId) {
        let Some(b) = self.doc(base) else { return };
        let dir = b.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let base_file = b
            .path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("{}-reform", b.label());
        let path = self.free_path(&dir, &name);
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(name);
        let text = format!(
            "# A reform of {base_file}: write here only the levers it changes.\n\
             extends = \"{base_file}\"\nname = \"{name}\"\n"
        );
        let mut doc = ScenarioDoc::new(0, path, text, false);
        doc.base = Some(base);
        let id = self.add_doc(doc);
        self.diff_base.insert(id, Some(base));
        self.tab = Tab::Form;
    }
}

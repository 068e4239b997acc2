//! Runs: the queue and the job under way (`runner`), the finished runs kept for comparison,
//! and the sets of replications found in the runs folder (`history`), read in the background.

use super::{AppState, RunStatus};
use crate::document::DocId;
use crate::results::RunSet;
use crate::runner::{Job, JobEnd, RunRequest};
use std::path::Path;
use std::sync::{mpsc, Arc};

impl AppState {
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
            Some((_, h)) => match h.k_anonymous {
                Some(k) => format!(
                    "{} ({}) [{}, k = {k}]",
                    h.name,
                    h.first_folder(),
                    self.lang.t(crate::i18n::Msg::KAnonymous)
                ),
                None => format!("{} ({})", h.name, h.first_folder()),
            },
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

    pub(super) fn forget_runs(&mut self, id: DocId) {
        self.runs.remove(&id);
        self.loading.retain(|l| l.0 != id);
        self.compare.picked.retain(|d| *d != id);
        if self.compare.baseline == Some(id) {
            self.compare.baseline = self.compare.picked.first().copied();
        }
        self.generation += 1;
    }

    /// Starts reading a set found on disk, in the background.
    pub(super) fn load_history(&mut self, id: DocId) {
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

    pub(super) fn add_runs(&mut self, doc: DocId, set: RunSet) {
        self.runs.insert(doc, Arc::new(set));
        self.generation += 1;
        if !self.compare.picked.contains(&doc) {
            self.compare.picked.push(doc);
        }
        if self.compare.baseline.is_none() {
            self.compare.baseline = Some(doc);
        }
    }

    pub(super) fn queue_run(&mut self, doc: DocId) {
        let running = self.job.as_ref().is_some_and(|j| j.doc == doc);
        if !running && !self.queue.contains(&doc) {
            self.queue.push_back(doc);
            self.run_status.insert(doc, RunStatus::Queued);
        }
    }
}

//! Runs in a background thread: one job at a time, each a number of replications of one
//! scenario (seed, seed + 1, …), with progress, cancel and a repaint request after every
//! simulated month, so the window stays live however large the run.

use crate::document::DocId;
use crate::job::{Background, Repaint};
use crate::results::{extract, Replication, RunSet};
use sisandbox::anonymise::Privacy;
use sisandbox::engine::{RunError, RunOptions};
use sisandbox::output::{fresh_dir, write_run_report, RunMeta};
use sisandbox::scenario::Scenario;
use sisandbox::simulate::{simulate, SimulateError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// What to run.
#[derive(Clone, Debug)]
pub struct RunRequest {
    pub doc: DocId,
    pub scenario: Scenario,
    /// Folder of the scenario file (a roster path is relative to it).
    pub dir: Option<PathBuf>,
    pub replications: u32,
    pub threads: usize,
    /// Results root: each replication is written to `<out>/<name>-seed<seed>[-N]/`, the folder
    /// the CLI's `run` would write.
    pub out: PathBuf,
    /// The scenario file and its bases, for the manifest.
    pub files: Vec<PathBuf>,
}

/// The series of one replication, per [`crate::results::SeriesMetric`].
pub type Series = [Vec<(f64, f64)>; crate::results::SeriesMetric::ALL.len()];

/// Progress counters shared with the worker.
#[derive(Debug, Default)]
pub struct Progress {
    pub replication: AtomicU32,
    pub month: AtomicU32,
    pub months: AtomicU32,
    /// The series of the replications finished so far, for the live plots of the run pane
    /// (the engine reports a month's progress, not its figures, so a replication's series is
    /// known when it ends).
    pub finished: Mutex<Vec<Series>>,
}

/// How a job ended.
#[derive(Debug)]
pub enum JobEnd {
    Finished(RunSet),
    /// Stopped by the user, with the replications that had finished (written to disk).
    Cancelled(RunSet),
    Failed(String),
}

/// A job under way.
pub struct Job {
    pub doc: DocId,
    pub replications: u32,
    pub progress: Arc<Progress>,
    worker: Background<JobEnd>,
}

impl Job {
    /// Starts the worker thread. `repaint` is called after every month and at the end.
    pub fn start(req: RunRequest, repaint: impl Fn() + Send + Sync + 'static) -> Job {
        let progress = Arc::new(Progress::default());
        let p = progress.clone();
        let (doc, replications) = (req.doc, req.replications);
        let worker = Background::spawn(
            "sisandbox-run",
            "the run",
            JobEnd::Failed,
            repaint,
            move |cancel, repaint| work(&req, &p, cancel, repaint),
        );
        Job {
            doc,
            replications,
            progress,
            worker,
        }
    }

    /// Asks the worker to stop after the current month.
    pub fn cancel(&self) {
        self.worker.cancel();
    }

    /// The end of the job, once it has ended.
    pub fn poll(&self) -> Option<JobEnd> {
        self.worker.poll()
    }

    /// Share done, 0 to 1.
    pub fn fraction(&self) -> f32 {
        let p = &self.progress;
        let months = p.months.load(Ordering::Relaxed).max(1) as f32;
        let rep = p.replication.load(Ordering::Relaxed) as f32;
        let month = p.month.load(Ordering::Relaxed) as f32;
        ((rep + month / months) / self.replications.max(1) as f32).clamp(0.0, 1.0)
    }
}

fn work(req: &RunRequest, p: &Progress, cancel: &AtomicBool, repaint: &Repaint) -> JobEnd {
    let mut reps: Vec<Replication> = Vec::new();
    for r in 0..req.replications.max(1) {
        p.replication.store(r, Ordering::Relaxed);
        let mut s = req.scenario.clone();
        s.simulation.seed = req.scenario.simulation.seed.wrapping_add(u64::from(r));
        let on_month = |done: u32, total: u32| {
            p.month.store(done, Ordering::Relaxed);
            p.months.store(total, Ordering::Relaxed);
            repaint();
        };
        let opts = RunOptions {
            threads: req.threads,
            progress: Some(&on_month),
            cancel: Some(cancel),
        };
        let started = std::time::Instant::now();
        match simulate(&s, req.dir.as_deref(), &opts) {
            Ok(o) => {
                let meta = RunMeta {
                    seed: s.simulation.seed,
                    threads: req.threads,
                    wall_seconds: started.elapsed().as_secs_f64(),
                    scenario_files: req.files.clone(),
                    command: "sisandbox-gui".into(),
                };
                let base = format!("{}-seed{}", s.name, s.simulation.seed);
                let dir = fresh_dir(&req.out, &base);
                let written = std::fs::create_dir_all(&req.out)
                    .map_err(|e| format!("{}: {e}", req.out.display()))
                    .and_then(|()| {
                        write_run_report(&dir, &s, &o, &meta).map_err(|e| e.to_string())
                    });
                // A roster run's agents.csv may be k-anonymous: the session then keeps what
                // the folder holds, so its chart agrees with the table (read from the folder)
                // and with the run read again after a restart.
                let rep = match written {
                    Err(e) => return JobEnd::Failed(e),
                    Ok(Some(Privacy::Coarsened(_))) => {
                        match crate::history::read_replication(&dir, s.simulation.seed) {
                            Ok(rep) => rep,
                            Err(e) => return JobEnd::Failed(e),
                        }
                    }
                    Ok(_) => extract(&s, dir, &o),
                };
                if let Ok(mut f) = p.finished.lock() {
                    f.push(rep.series.clone());
                }
                reps.push(rep);
                repaint();
            }
            Err(SimulateError::Run(RunError::Cancelled { .. })) => {
                return JobEnd::Cancelled(set(req, reps))
            }
            Err(e) => return JobEnd::Failed(e.to_string()),
        }
        if cancel.load(Ordering::Relaxed) {
            return JobEnd::Cancelled(set(req, reps));
        }
    }
    JobEnd::Finished(set(req, reps))
}

fn set(req: &RunRequest, replications: Vec<Replication>) -> RunSet {
    RunSet {
        name: req.scenario.name.clone(),
        replications,
    }
}

//! Progress of a batch of runs (sweeps, stress grids): a bar on a terminal, and without one
//! (batch jobs, logs) one line per tenth of the runs, so a Slurm log shows progress without
//! filling up.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub struct RunProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    /// What the log lines start with (the sweep's name, "stress").
    label: String,
    last_tenth: AtomicUsize,
    t0: Instant,
}

impl RunProgress {
    pub fn new(label: impl Into<String>, quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::new(0);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} {bar:40} {pos}/{len} runs {elapsed_precise} eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        });
        RunProgress {
            bar,
            quiet,
            label: label.into(),
            last_tenth: AtomicUsize::new(0),
            t0: Instant::now(),
        }
    }

    /// `done` of `total` runs are finished.
    pub fn tick(&self, done: usize, total: usize) {
        if let Some(b) = &self.bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        } else if !self.quiet {
            let tenth = done * 10 / total.max(1);
            if tenth > self.last_tenth.fetch_max(tenth, Ordering::Relaxed) || done == total {
                eprintln!(
                    "{}: {done}/{total} runs done ({:.1} s)",
                    self.label,
                    self.seconds()
                );
            }
        }
    }

    /// Clears the bar once the runs are over.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    /// Seconds since the progress began.
    pub fn seconds(&self) -> f64 {
        self.t0.elapsed().as_secs_f64()
    }
}

//! Work in a background thread, the shape the run queue (`runner`), the planner and the stress
//! test share: the worker gets a flag that [`Background::cancel`] sets and a repaint request,
//! and ends with one value, which the window takes with [`Background::poll`] once a frame and
//! never waits for. A thread that cannot start, or that stops without an answer (a panic),
//! still ends the job, with the value its `failed` function makes of the reason, so the window
//! always learns how a job ended.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

/// Asks the window to draw again (from any thread).
pub type Repaint = dyn Fn() + Send + Sync;

/// A job under way in its own thread, ending with a `T`.
pub struct Background<T> {
    cancel: Arc<AtomicBool>,
    rx: mpsc::Receiver<T>,
    failed: fn(String) -> T,
    /// What the job is, for the message when its thread stops without an answer.
    what: &'static str,
}

impl<T: Send + 'static> Background<T> {
    /// Starts `work` in a thread named `name`; `repaint` is handed to it and called once more
    /// when it has ended. `what` names the job in messages (`the plan`), `failed` makes the
    /// job's end from a reason it could not finish for.
    pub fn spawn(
        name: &str,
        what: &'static str,
        failed: fn(String) -> T,
        repaint: impl Fn() + Send + Sync + 'static,
        work: impl FnOnce(&AtomicBool, &Repaint) -> T + Send + 'static,
    ) -> Background<T> {
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let c = cancel.clone();
        let fail = tx.clone();
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let end = work(&c, &repaint);
                let _ = tx.send(end);
                repaint();
            });
        if let Err(e) = spawned {
            let _ = fail.send(failed(format!("cannot start a thread: {e}")));
        }
        Background {
            cancel,
            rx,
            failed,
            what,
        }
    }

    /// Asks the worker to stop; what it does then is the job's own (finish the month under
    /// way, skip paths not started, start no further run).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether [`cancel`](Self::cancel) was asked.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The end of the job, once it has ended.
    pub fn poll(&self) -> Option<T> {
        match self.rx.try_recv() {
            Ok(end) => Some(end),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                Some((self.failed)(format!("{} stopped unexpectedly", self.what)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait<T: Send + 'static>(job: &Background<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(end) = job.poll() {
                return end;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "no end");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_job_ends_with_its_value_is_cancelled_and_reports_a_lost_thread() {
        let done = Background::spawn("t", "the test", Err, || {}, |_, _| Ok::<u32, String>(7));
        assert_eq!(wait(&done), Ok(7));

        // The worker runs until cancelled, and sees the flag.
        let waits = Background::spawn(
            "t",
            "the test",
            Err,
            || {},
            |cancel, _| {
                while !cancel.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok::<u32, String>(1)
            },
        );
        assert!(waits.poll().is_none());
        assert!(!waits.cancelled());
        waits.cancel();
        assert!(waits.cancelled());
        assert_eq!(wait(&waits), Ok(1));

        // A worker that panics ends the job with the failure.
        let lost = Background::spawn(
            "t",
            "the test",
            Err,
            || {},
            |_, _| -> Result<u32, String> { panic!("worker lost") },
        );
        assert_eq!(wait(&lost), Err("the test stopped unexpectedly".into()));
    }
}

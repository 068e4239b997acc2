//! Wall time by phase of the month. Every `Simulation` keeps it (six clock reads a month, a
//! few hundred nanoseconds against milliseconds of work), so that `sisandbox bench` can say
//! where a run's time goes on any machine without a profiler. No figure depends on it.

use std::time::{Duration, Instant};

/// Time spent in each phase of the months stepped so far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Phases {
    /// The month's environment (every region's rules, rates and levers) and, in evaluation
    /// months, what the evaluations share.
    pub environment: Duration,
    /// The agent phase in ordinary months.
    pub agents: Duration,
    /// The agent phase in evaluation months, with every active member's valuation.
    pub evaluating: Duration,
    /// The completion of the evaluations against the same month's peers.
    pub peers: Duration,
    /// Quits and moves, promotions and conversions, hires.
    pub resolution: Duration,
    /// The month's rows, funds and ledgers (and the panel, when asked for).
    pub records: Duration,
}

impl Phases {
    /// All the phases together.
    pub fn total(&self) -> Duration {
        self.environment
            + self.agents
            + self.evaluating
            + self.peers
            + self.resolution
            + self.records
    }
}

/// A clock read at the end of each phase: `lap` is the time since the previous read.
pub(super) struct Lap(Instant);

impl Lap {
    pub fn start() -> Self {
        Lap(Instant::now())
    }

    pub fn lap(&mut self) -> Duration {
        let now = Instant::now();
        let d = now - self.0;
        self.0 = now;
        d
    }
}

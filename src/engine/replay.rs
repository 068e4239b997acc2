//! Frozen behaviour: the choices of a recorded run replayed in another, so that a reform's
//! effect splits into its mechanical part (the reform's rules with the baseline's choices) and
//! its behavioural part (what the choices then change). `sisandbox compare --decompose` records
//! the baseline's [`Book`] month by month and runs each reform with
//! [`super::Simulation::replaying`]: the one switch that freezes behaviour.
//!
//! What is frozen, per agent, from the baseline's latest evaluation at or before the month:
//! the retirement month chosen (deferral), joining a voluntary annuity, the flexible-base share,
//! effort, and the leaving factor perception sets (so leaving follows the baseline's hazard
//! multiplier, while the hazard itself, the draws and everything mechanical stay the reform's).
//! An agent the baseline did not have (another hire under the reform) keeps its own behaviour.

use crate::agent::{Agent, Status};
use crate::scenario::Scenario;
use crate::time::YearMonth;

/// The choices of one agent after an evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choices {
    pub retire_month: YearMonth,
    pub retirement_chosen: bool,
    pub opted_in: bool,
    pub base_ratio: f32,
    pub effort: f32,
    pub quit_factor: f32,
}

impl Choices {
    fn of(a: &Agent) -> Choices {
        Choices {
            retire_month: a.retire_month,
            retirement_chosen: a.retirement_chosen,
            opted_in: a.opted_in,
            base_ratio: a.base_ratio,
            effort: a.effort,
            quit_factor: a.perception.quit_factor,
        }
    }
}

/// One agent's choices over a run: who the agent is, and each change with the month it was
/// first seen.
#[derive(Clone, Debug, Default)]
struct Track {
    /// (birth, start of working life): the same id in another run is the same person only if
    /// these agree.
    who: Option<(YearMonth, YearMonth)>,
    changes: Vec<(YearMonth, Choices)>,
}

/// The baseline's choices of every agent, recorded after each month.
#[derive(Clone, Debug, Default)]
pub struct Book {
    agents: Vec<Track>,
}

impl Book {
    pub fn new() -> Book {
        Book::default()
    }

    /// The month the initial perceptions are recorded under: the month before the run starts
    /// (the first month's own evaluation is recorded under the first month).
    pub fn start_key(s: &Scenario) -> YearMonth {
        s.simulation.start.plus_months(-1)
    }

    /// Records the choices of the agents on the staff at the end of `month`, and of those who
    /// left, retired or died in it (a change only). The initial perceptions are recorded under
    /// [`Book::start_key`].
    pub fn record(&mut self, month: YearMonth, agents: &[Agent]) {
        if self.agents.len() < agents.len() {
            self.agents.resize(agents.len(), Track::default());
        }
        for (a, t) in agents.iter().zip(self.agents.iter_mut()) {
            if a.status != Status::Active && a.status_since != month {
                continue;
            }
            t.who.get_or_insert((a.birth, a.work_start));
            let c = Choices::of(a);
            match t.changes.last_mut() {
                Some((_, last)) if *last == c => {}
                Some((m, last)) if *m == month => *last = c,
                _ => t.changes.push((month, c)),
            }
        }
    }

    /// The baseline's choices of this agent in force in `month`, if the baseline had it.
    pub fn at(&self, a: &Agent, month: YearMonth) -> Option<&Choices> {
        let t = self.agents.get(a.id as usize)?;
        if t.who != Some((a.birth, a.work_start)) {
            return None;
        }
        let i = t.changes.partition_point(|(m, _)| *m <= month);
        t.changes.get(i.checked_sub(1)?).map(|(_, c)| c)
    }

    /// After the initial perceptions: every agent's choices become the baseline's initial ones.
    pub fn freeze_start(&self, s: &Scenario, agents: &mut [Agent]) {
        let key = Book::start_key(s);
        for a in agents.iter_mut().filter(|a| a.status == Status::Active) {
            self.freeze_choices(a, key);
            self.freeze_responses(a, key);
        }
    }

    /// After an agent's own evaluation: its choices (retirement month, annuity, base share)
    /// become the baseline's.
    pub fn freeze_choices(&self, a: &mut Agent, month: YearMonth) {
        if let Some(c) = self.at(a, month).copied() {
            a.retire_month = c.retire_month;
            a.retirement_chosen = c.retirement_chosen;
            a.opted_in = c.opted_in;
            a.base_ratio = c.base_ratio;
        }
    }

    /// After the month's peers complete the evaluation: effort and the leaving factor become
    /// the baseline's.
    pub fn freeze_responses(&self, a: &mut Agent, month: YearMonth) {
        if let Some(c) = self.at(a, month).copied() {
            a.effort = c.effort;
            a.perception.quit_factor = c.quit_factor;
        }
    }
}

//! The monthly per-agent panel: one row per agent and month while the agent is on the staff,
//! plus the month it leaves, retires or dies. It carries no identifier from any input: `agent`
//! is the run's own index. `sisandbox run --panel` writes it as Apache Parquet
//! (`panel.parquet`, cargo feature `panel`), the input of `sisandbox-risk`.
//!
//! The engine calls [`Sink::record_month`] once per month after the resolution phase, when the
//! panel is enabled; a run without it holds no sink and pays nothing.
//!
//! The interruption label: a month in which a person who should be insured pays no pension
//! contribution. The engine produces two kinds: a leaver who stops contributing (drawn by
//! `household::leaves_uncovered` from the track, age and household), and a member on the staff
//! whose month carries no pension contribution (selective participation of temporary staff).

use crate::agent::{Agent, Status};
use crate::money::Fen;
use crate::scenario::Scenario;
use crate::time::YearMonth;

/// What happened to the agent in the month.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Event {
    None,
    Moved,
    LeftCovered,
    LeftUncovered,
    Retired,
    Died,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::None => "none",
            Event::Moved => "moved",
            Event::LeftCovered => "left_covered",
            Event::LeftUncovered => "left_uncovered",
            Event::Retired => "retired",
            Event::Died => "died",
        }
    }
}

/// The panel, column by column (the layout Parquet stores).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panel {
    /// Year × 100 + month.
    pub month: Vec<i32>,
    pub agent: Vec<i32>,
    pub status: Vec<&'static str>,
    pub event: Vec<&'static str>,
    pub track: Vec<&'static str>,
    pub title: Vec<&'static str>,
    pub female: Vec<bool>,
    pub age_months: Vec<i32>,
    pub region: Vec<u16>,
    pub university: Vec<i32>,
    /// Wage and contribution base, fen per month.
    pub wage: Vec<i64>,
    pub base: Vec<i64>,
    /// Contributions paid this month, employer and individual, all insurances (fen).
    pub contributions: Vec<i64>,
    /// Of which pension (basic pension and annuity), fen.
    pub pension_contributions: Vec<i64>,
    /// A month of medical insurance was paid.
    pub medical_paid: Vec<bool>,
    /// Months since the agent joined its current university (a hire or a move).
    pub months_in_post: Vec<i32>,
    pub perception: Vec<f32>,
    pub quit_factor: Vec<f32>,
    pub dependants: Vec<i32>,
    pub spouse_covered: Vec<bool>,
    /// A month without pension contributions for someone who should be insured.
    pub interruption: Vec<bool>,
}

impl Panel {
    pub fn len(&self) -> usize {
        self.month.len()
    }

    pub fn is_empty(&self) -> bool {
        self.month.is_empty()
    }
}

/// Cumulative figures of an agent at the end of the previous month, to turn the record's
/// running totals into the month's flows.
#[derive(Clone, Copy, Default)]
struct Prev {
    paid: Fen,
    pension: Fen,
    medical: u32,
    /// The agent has had a row: a first row with `hired` in its month is a hire's first
    /// month, not a move.
    listed: bool,
}

/// Collects the panel as the run goes.
pub struct Sink {
    seed: u64,
    prev: Vec<Prev>,
    rows: Panel,
}

impl Prev {
    fn of(a: &Agent) -> Self {
        Prev {
            paid: a.insurance.paid_employer + a.insurance.paid_individual,
            pension: a.insurance.pension_paid,
            medical: a.insurance.medical_months,
            listed: false,
        }
    }
}

impl Sink {
    /// A sink for a run about to step its first month: `agents` as they are before it, so
    /// that the first month's flows are the month's own and not the whole record so far.
    pub fn new(s: &Scenario, agents: &[Agent]) -> Self {
        Sink {
            seed: s.simulation.seed,
            prev: agents.iter().map(Prev::of).collect(),
            rows: Panel::default(),
        }
    }

    /// The rows of `month`, after its resolution phase (so leavers show their exit). A hire
    /// made in this month's resolution starts next month (`hired` after `month`): its totals
    /// are taken as they stand, and its first row is that of its first month.
    pub fn record_month(&mut self, month: YearMonth, agents: &[Agent]) {
        if self.prev.len() < agents.len() {
            let from = self.prev.len();
            self.prev.extend(agents[from..].iter().map(Prev::of));
        }
        let stamp = month.year() * 100 + month.month() as i32;
        for (i, a) in agents.iter().enumerate() {
            let ins = &a.insurance;
            let mut now = Prev::of(a);
            now.listed = self.prev[i].listed;
            let before = std::mem::replace(&mut self.prev[i], now);
            if a.hired > month {
                continue;
            }
            let exit_now = a.status != Status::Active && a.status_since == month;
            if a.status != Status::Active && !exit_now {
                continue;
            }
            self.prev[i].listed = true;
            let pension = now.pension - before.pension;
            let event = match a.status {
                Status::Active if a.hired == month && before.listed => Event::Moved,
                Status::Active => Event::None,
                Status::Deferred if crate::household::leaves_uncovered(self.seed, a, month) => {
                    Event::LeftUncovered
                }
                Status::Deferred => Event::LeftCovered,
                Status::Retired => Event::Retired,
                Status::Dead => Event::Died,
            };
            let interruption =
                event == Event::LeftUncovered || (a.status == Status::Active && pension == 0);
            let r = &mut self.rows;
            r.month.push(stamp);
            r.agent.push(i as i32);
            r.status.push(a.status.name());
            r.event.push(event.name());
            r.track.push(a.track.name());
            r.title.push(a.title());
            r.female.push(a.is_female());
            r.age_months.push(a.age_months(month));
            r.region.push(a.region);
            r.university.push(a.university as i32);
            r.wage.push(a.wage());
            r.base.push(ins.base);
            r.contributions.push(now.paid - before.paid);
            r.pension_contributions.push(pension);
            r.medical_paid.push(now.medical > before.medical);
            r.months_in_post.push(month.months_since(a.hired).max(0));
            r.perception.push(a.perception.index);
            r.quit_factor.push(a.perception.quit_factor);
            r.dependants.push(a.household.dependants as i32);
            r.spouse_covered.push(a.household.spouse_covered);
            r.interruption.push(interruption);
        }
    }

    pub fn finish(self) -> Panel {
        self.rows
    }
}

#[cfg(feature = "panel")]
pub use parquet_out::write_parquet;

#[cfg(feature = "panel")]
mod parquet_out {
    //! Parquet through the `parquet` crate's column writers (no Arrow): one row group per
    //! `GROUP` rows, Snappy-compressed, required columns only.
    use super::Panel;
    use crate::scenario::Scenario;
    use parquet::basic::Compression;
    use parquet::data_type::{BoolType, ByteArray, ByteArrayType, FloatType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::io::Write;
    use std::path::Path;
    use std::sync::Arc;

    const GROUP: usize = 1 << 20;

    const SCHEMA: &str = "message panel {
        required int32 month;
        required int32 agent;
        required binary status (UTF8);
        required binary event (UTF8);
        required binary track (UTF8);
        required binary title (UTF8);
        required boolean female;
        required int32 age_months;
        required binary region (UTF8);
        required int32 university;
        required int64 wage_fen;
        required int64 base_fen;
        required int64 contributions_fen;
        required int64 pension_contributions_fen;
        required boolean medical_paid;
        required int32 months_in_post;
        required float perception;
        required float quit_factor;
        required int32 dependants;
        required boolean spouse_covered;
        required boolean interruption;
    }";

    fn strings(v: &[&str]) -> Vec<ByteArray> {
        v.iter()
            .map(|s| ByteArray::from(s.as_bytes().to_vec()))
            .collect()
    }

    /// Writes the panel to `path` through a temporary file created exclusively beside it, renamed
    /// into place once complete.
    pub fn write_parquet(path: &Path, s: &Scenario, p: &Panel) -> std::io::Result<()> {
        let tmp = path.with_extension("parquet.tmp");
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let result = write_to(std::io::BufWriter::new(file), s, p)
            .map_err(|e| e.to_string())
            .and_then(|w| w.into_inner().map_err(|e| e.to_string()))
            .and_then(|f| f.sync_all().map_err(|e| e.to_string()));
        match result {
            Ok(()) => std::fs::rename(&tmp, path),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(std::io::Error::other(format!("{}: {e}", path.display())))
            }
        }
    }

    fn write_to<W: Write + Send>(
        w: W,
        s: &Scenario,
        p: &Panel,
    ) -> Result<W, parquet::errors::ParquetError> {
        let schema = Arc::new(parse_message_type(SCHEMA)?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("sisandbox {}", crate::version()))
                .build(),
        );
        let mut writer = SerializedFileWriter::new(w, schema, props)?;
        let regions: Vec<&str> = s.regions.iter().map(|r| r.name.as_str()).collect();
        let mut start = 0;
        while start < p.len() {
            let end = (start + GROUP).min(p.len());
            let r = start..end;
            let region: Vec<ByteArray> = p.region[r.clone()]
                .iter()
                .map(|&i| {
                    ByteArray::from(
                        regions
                            .get(i as usize)
                            .copied()
                            .unwrap_or("")
                            .as_bytes()
                            .to_vec(),
                    )
                })
                .collect();
            let mut rg = writer.next_row_group()?;
            let mut col = 0;
            while let Some(mut c) = rg.next_column()? {
                let w = &mut c;
                macro_rules! put {
                    ($t:ty, $v:expr) => {
                        w.typed::<$t>().write_batch(&$v, None, None)?
                    };
                }
                match col {
                    0 => put!(Int32Type, p.month[r.clone()]),
                    1 => put!(Int32Type, p.agent[r.clone()]),
                    2 => put!(ByteArrayType, strings(&p.status[r.clone()])),
                    3 => put!(ByteArrayType, strings(&p.event[r.clone()])),
                    4 => put!(ByteArrayType, strings(&p.track[r.clone()])),
                    5 => put!(ByteArrayType, strings(&p.title[r.clone()])),
                    6 => put!(BoolType, p.female[r.clone()]),
                    7 => put!(Int32Type, p.age_months[r.clone()]),
                    8 => put!(ByteArrayType, region),
                    9 => put!(Int32Type, p.university[r.clone()]),
                    10 => put!(Int64Type, p.wage[r.clone()]),
                    11 => put!(Int64Type, p.base[r.clone()]),
                    12 => put!(Int64Type, p.contributions[r.clone()]),
                    13 => put!(Int64Type, p.pension_contributions[r.clone()]),
                    14 => put!(BoolType, p.medical_paid[r.clone()]),
                    15 => put!(Int32Type, p.months_in_post[r.clone()]),
                    16 => put!(FloatType, p.perception[r.clone()]),
                    17 => put!(FloatType, p.quit_factor[r.clone()]),
                    18 => put!(Int32Type, p.dependants[r.clone()]),
                    19 => put!(BoolType, p.spouse_covered[r.clone()]),
                    _ => put!(BoolType, p.interruption[r.clone()]),
                };
                c.close()?;
                col += 1;
            }
            rg.close()?;
            start = end;
        }
        writer.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Simulation;

    fn small() -> Scenario {
        let mut s = Scenario::default();
        s.simulation.agents = 1_500;
        s.simulation.years = 2;
        // A second university, so that some leavers move.
        let mut b = s.universities[0].clone();
        b.name = "university-b".into();
        s.universities.push(b);
        s
    }

    /// The first month's rows carry that month's flows: the totals the sink starts from are
    /// those before the month, not after it.
    #[test]
    fn the_first_month_shows_its_own_contributions() {
        let s = small();
        let mut sim = Simulation::new(&s, crate::population::synthetic(&s));
        sim.panel = Some(Sink::new(&s, sim.staff()));
        let before: Vec<Prev> = sim.staff().iter().map(Prev::of).collect();
        sim.step();
        let p = sim.panel.take().unwrap().finish();
        assert!(!p.is_empty());
        let mut active = 0;
        for i in 0..p.len() {
            let a = &sim.staff()[p.agent[i] as usize];
            let now = Prev::of(a);
            let was = before[p.agent[i] as usize];
            assert_eq!(p.contributions[i], now.paid - was.paid, "row {i}");
            assert_eq!(p.pension_contributions[i], now.pension - was.pension);
            if p.status[i] == "active" {
                active += 1;
                assert_eq!(p.interruption[i], p.pension_contributions[i] == 0);
            }
        }
        let paying = (0..p.len())
            .filter(|&i| p.status[i] == "active" && p.contributions[i] > 0)
            .count();
        assert!(
            paying * 10 > active * 9,
            "{paying} of {active} active rows paid something in the first month"
        );
    }

    /// A hire made in a month's resolution starts the next month: no row before that, and
    /// its first row is the month it starts, with that month's contributions and no event.
    #[test]
    fn hires_appear_from_the_month_they_start() {
        let s = small();
        let mut sim = Simulation::new(&s, crate::population::synthetic(&s));
        sim.panel = Some(Sink::new(&s, sim.staff()));
        // Index of the first agent hired in each month, and that month.
        let mut joined = Vec::new();
        for t in 0..(s.simulation.years * 12) as i32 {
            let n = sim.agents();
            sim.step();
            joined.push((n, sim.agents(), s.simulation.start.plus_months(t)));
        }
        let p = sim.panel.take().unwrap().finish();
        let mut first = std::collections::HashMap::new();
        for i in 0..p.len() {
            first.entry(p.agent[i] as usize).or_insert(i);
        }
        let mut hires = 0;
        for &(from, to, month) in &joined[..joined.len() - 1] {
            let start = month.plus_months(1);
            let stamp = start.year() * 100 + start.month() as i32;
            for id in from..to {
                hires += 1;
                // Every hire has a row in the month it starts (a death in it included).
                let Some(&i) = first.get(&id) else {
                    panic!("hire {id} of {start:?} has no row");
                };
                assert_eq!(p.month[i], stamp, "hire {id}'s first row");
                if p.status[i] == "active" {
                    assert_eq!(p.event[i], "none", "hire {id} did not move");
                }
                if p.status[i] == "active" && p.pension_contributions[i] > 0 {
                    assert!(!p.interruption[i]);
                }
            }
        }
        assert!(hires > 20, "too few hires to test: {hires}");
        // Movers keep their event (their `hired` is the month of the move): one row each.
        let moves: f64 = (sim.series.rows.iter())
            .filter(|r| r.metric == "moves")
            .map(|r| r.value)
            .sum();
        let moved = p.event.iter().filter(|&&e| e == "moved").count();
        assert_eq!(moved as f64, moves);
        assert!(moves > 0.0, "no move to test");
        let contributing = first
            .iter()
            .filter(|(&id, _)| id >= joined[0].0)
            .filter(|(_, &i)| p.pension_contributions[i] > 0)
            .count();
        assert!(contributing * 10 > hires * 8, "{contributing} of {hires}");
    }
}

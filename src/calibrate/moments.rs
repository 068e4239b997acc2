//! The moments a calibration matches, measured on a run as it goes: the run is stepped month
//! by month (`engine::Simulation`) and the staff are counted after each month, so exposure,
//! exits and choices are exact rather than read back from yearly aggregates. Every count is an
//! integer, so the tallies of several replications add up in any order to the same figures.

use crate::agent::{Agent, Status, Track};
use crate::engine::{insure, Simulation};
use crate::scenario::Scenario;
use crate::time::YearMonth;

/// Age bands of the leaving rates, as in series.csv.
pub const AGE_BANDS: [&str; 4] = ["under_30", "30_39", "40_49", "50_plus"];

fn band_of(a: &Agent, m: YearMonth) -> usize {
    match a.age_months(m) / 12 {
        ..30 => 0,
        30..40 => 1,
        40..50 => 2,
        _ => 3,
    }
}

fn track_index(t: Track) -> usize {
    Track::ALL.iter().position(|&k| k == t).unwrap_or(0)
}

/// A moment of the simulated staff (docs/CALIBRATION.md gives each definition).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Moment {
    /// Yearly rate of leaving the university (quits and moves) of active staff, optionally of
    /// one track and one age band: `1 − (1 − events / exposure months)^12`.
    LeavingRate {
        track: Option<Track>,
        band: Option<usize>,
    },
    /// Share of active staff on established posts in December of `year` (default: the last
    /// year measured).
    EstablishedShare { year: Option<i32> },
    /// Least-squares slope, per year, of the December established share over the years
    /// measured.
    EstablishedShareTrend,
    /// Share of retirements in the years measured that come after the statutory month.
    DeferralTakeUp,
    /// Share of contract staff offered an enterprise annuity who have joined it, pooled over
    /// the Decembers of the years measured.
    AnnuityTakeUp,
}

impl Moment {
    pub fn parse(
        kind: &str,
        track: Option<Track>,
        band: Option<usize>,
        year: Option<i32>,
    ) -> Result<Moment, String> {
        let m = match kind {
            "leaving_rate" => Moment::LeavingRate { track, band },
            "established_share" => Moment::EstablishedShare { year },
            "established_share_trend" => Moment::EstablishedShareTrend,
            "deferral_take_up" => Moment::DeferralTakeUp,
            "annuity_take_up" => Moment::AnnuityTakeUp,
            other => {
                return Err(format!(
                    "{other:?}: expected leaving_rate, established_share, \
                     established_share_trend, deferral_take_up or annuity_take_up"
                ))
            }
        };
        let leaving = matches!(m, Moment::LeavingRate { .. });
        if !leaving && (track.is_some() || band.is_some()) {
            return Err(format!(
                "{kind}: `track` and `age_band` apply only to leaving_rate"
            ));
        }
        if year.is_some() && !matches!(m, Moment::EstablishedShare { .. }) {
            return Err(format!("{kind}: `year` applies only to established_share"));
        }
        Ok(m)
    }

    /// The default name of a target of this moment, e.g. `leaving_rate[contract,under_30]`.
    pub fn label(&self) -> String {
        match self {
            Moment::LeavingRate { track, band } => {
                let parts: Vec<&str> = track
                    .map(|t| t.name())
                    .into_iter()
                    .chain(band.map(|b| AGE_BANDS[b]))
                    .collect();
                if parts.is_empty() {
                    "leaving_rate".into()
                } else {
                    format!("leaving_rate[{}]", parts.join(","))
                }
            }
            Moment::EstablishedShare { year: Some(y) } => format!("established_share[{y}]"),
            Moment::EstablishedShare { year: None } => "established_share".into(),
            Moment::EstablishedShareTrend => "established_share_trend".into(),
            Moment::DeferralTakeUp => "deferral_take_up".into(),
            Moment::AnnuityTakeUp => "annuity_take_up".into(),
        }
    }

    /// The values the moment can take.
    pub fn range(&self) -> (f64, f64) {
        match self {
            Moment::EstablishedShareTrend => (-1.0, 1.0),
            _ => (0.0, 1.0),
        }
    }
}

/// Integer counts of one or more runs over the years measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    pub first_year: i32,
    /// Months at risk and leaving events, by track and age band.
    pub exposure: [[u64; 4]; 3],
    pub leavers: [[u64; 4]; 3],
    pub retirements: u64,
    pub deferred: u64,
    /// Per year measured, at December: active staff, of whom established; contract staff
    /// offered an enterprise annuity, of whom joined.
    pub active: Vec<u64>,
    pub established: Vec<u64>,
    pub offered: Vec<u64>,
    pub joined: Vec<u64>,
}

impl Tally {
    pub fn new(first_year: i32, last_year: i32) -> Tally {
        let n = (last_year - first_year + 1).max(0) as usize;
        Tally {
            first_year,
            active: vec![0; n],
            established: vec![0; n],
            offered: vec![0; n],
            joined: vec![0; n],
            ..Tally::default()
        }
    }

    /// Adds another run's counts (same years).
    pub fn add(&mut self, o: &Tally) {
        for t in 0..3 {
            for b in 0..4 {
                self.exposure[t][b] += o.exposure[t][b];
                self.leavers[t][b] += o.leavers[t][b];
            }
        }
        self.retirements += o.retirements;
        self.deferred += o.deferred;
        for (a, b) in [
            (&mut self.active, &o.active),
            (&mut self.established, &o.established),
            (&mut self.offered, &o.offered),
            (&mut self.joined, &o.joined),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// Counts month `m`, just stepped. `was_active[i]`: agent `i` was on the staff at the end
    /// of the previous month (updated here for the next month).
    fn month(&mut self, s: &Scenario, m: YearMonth, agents: &[Agent], was_active: &mut Vec<bool>) {
        let y = m.year() - self.first_year;
        let measured = y >= 0 && (y as usize) < self.active.len();
        let december = m.month() == 12;
        for (i, a) in agents.iter().enumerate() {
            let before = was_active.get(i).copied().unwrap_or(false);
            if measured && before {
                let (t, b) = (track_index(a.track), band_of(a, m));
                self.exposure[t][b] += 1;
                let left = a.status == Status::Deferred && a.status_since == m;
                let moved = a.status == Status::Active && a.hired == m;
                if left || moved {
                    self.leavers[t][b] += 1;
                }
                if a.status == Status::Retired && a.status_since == m {
                    self.retirements += 1;
                    if m > insure::statutory_month(s, a) {
                        self.deferred += 1;
                    }
                }
            }
            if measured && december && a.status == Status::Active {
                let y = y as usize;
                self.active[y] += 1;
                if a.track == Track::Establishment {
                    self.established[y] += 1;
                }
                let region = &s.regions[a.region as usize].name;
                if a.track == Track::Contract
                    && s.universities[a.university as usize].enterprise_annuity
                    && *s.insurance.enterprise_annuity.enabled.at(m, region)
                {
                    self.offered[y] += 1;
                    self.joined[y] += u64::from(a.opted_in);
                }
            }
        }
        was_active.resize(agents.len(), false);
        for (w, a) in was_active.iter_mut().zip(agents) {
            *w = a.status == Status::Active;
        }
    }

    /// The value of a moment; `None` when the runs hold nothing to measure it on (no staff of
    /// the group, no retirement in the years measured).
    pub fn value(&self, m: &Moment) -> Option<f64> {
        let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
        match *m {
            Moment::LeavingRate { track, band } => {
                let (mut e, mut x) = (0u64, 0u64);
                for t in 0..3 {
                    if track.is_some_and(|k| track_index(k) != t) {
                        continue;
                    }
                    for b in 0..4 {
                        if band.is_some_and(|k| k != b) {
                            continue;
                        }
                        e += self.exposure[t][b];
                        x += self.leavers[t][b];
                    }
                }
                ratio(x, e).map(|monthly| 1.0 - (1.0 - monthly).powi(12))
            }
            Moment::EstablishedShare { year } => {
                let i = match year {
                    Some(y) => (y - self.first_year) as usize,
                    None => self.active.len().checked_sub(1)?,
                };
                ratio(*self.established.get(i)?, *self.active.get(i)?)
            }
            Moment::EstablishedShareTrend => {
                let pts: Vec<(f64, f64)> = (0..self.active.len())
                    .filter_map(|i| {
                        ratio(self.established[i], self.active[i]).map(|v| (i as f64, v))
                    })
                    .collect();
                if pts.len() < 2 {
                    return None;
                }
                let n = pts.len() as f64;
                let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
                let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
                let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
                let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
                Some(sxy / sxx)
            }
            Moment::DeferralTakeUp => ratio(self.deferred, self.retirements),
            Moment::AnnuityTakeUp => ratio(self.joined.iter().sum(), self.offered.iter().sum()),
        }
    }
}

/// The first and last year a scenario runs.
pub fn run_years(s: &Scenario) -> (i32, i32) {
    let first = s.simulation.start.year();
    let last = crate::engine::end_month(s).plus_months(-1).year();
    (first, last)
}

/// Runs `s` on its initial staff on one thread and counts the months of `years`.
pub fn observe(
    s: &Scenario,
    agents: Vec<Agent>,
    years: (i32, i32),
) -> Result<Tally, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    Ok(pool.install(|| {
        let mut tally = Tally::new(years.0, years.1);
        let mut was_active: Vec<bool> = agents.iter().map(|a| a.status == Status::Active).collect();
        let mut sim = Simulation::new(s, agents);
        let months = s.simulation.years * 12;
        for t in 0..months {
            sim.step();
            let m = s.simulation.start.plus_months(t as i32);
            tally.month(s, m, sim.staff(), &mut was_active);
        }
        tally
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaving_rates_match_the_parameters_at_baseline() {
        let mut s = Scenario::default();
        s.simulation.agents = 600;
        s.simulation.years = 3;
        let years = run_years(&s);
        let t = observe(&s, crate::population::synthetic(&s), years).unwrap();
        let total: u64 = t.exposure.iter().flatten().sum();
        assert!(total > 600 * 30, "{total} months at risk");
        let r = t
            .value(&Moment::LeavingRate {
                track: Some(Track::Contract),
                band: None,
            })
            .unwrap();
        assert!(r > 0.01 && r < 0.4, "contract leaving rate {r}");
        let share = t.value(&Moment::EstablishedShare { year: None }).unwrap();
        assert!(share > 0.4 && share < 0.8, "{share}");
        assert!(t.value(&Moment::EstablishedShareTrend).is_some());
        let mut two = t.clone();
        two.add(&t);
        assert_eq!(
            two.value(&Moment::DeferralTakeUp),
            t.value(&Moment::DeferralTakeUp)
        );
    }
}

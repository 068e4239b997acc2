//! How many agents a run will hold, bounded from above: the initial staff, the pensioners in
//! payment at the start (`stock`) and every hire over the horizon. The engine reserves the
//! staff vector for this many agents at the start, so that hires never make it grow by copying
//! (a growing vector briefly holds its old and its new block, twice the staff's memory, on
//! platforms whose allocator copies); the reserved but unused part is never touched, so it
//! costs address space, not memory. The memory guard (`guard::estimate`) counts the same agents.

use crate::career::monthly_from_yearly;
use crate::scenario::Scenario;

/// Yearly exits of active staff other than quits (retirements and deaths), as a share of the
/// staff, generously: careers are at least about 20 years long.
const OTHER_EXIT_RATE: f64 = 0.05;

/// Agents of a run on `initial` staff, by kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgentBound {
    /// Pensioners in payment at the start: at most the highest dependency ratio of any fund
    /// times the initial staff.
    pub pensioners: f64,
    /// Hires over the horizon (replacement of leavers and headcount growth).
    pub hires: f64,
}

/// The bound for a run of `s` on `initial` staff (see the module's doc).
pub fn agent_bound(s: &Scenario, initial: f64) -> AgentBound {
    let years = s.simulation.years as f64;
    let total_share: f64 = s.universities.iter().map(|u| u.staff_share.max(0.0)).sum();
    let exit_rate = quit_rate_per_year(s) + OTHER_EXIT_RATE;
    let mut hires = 0.0;
    for u in &s.universities {
        // Staff of each university at the start; an even split when the shares are degenerate
        // (a roster ignores the shares anyway).
        let share = if total_share > 0.0 {
            u.staff_share.max(0.0) / total_share
        } else {
            1.0 / s.universities.len().max(1) as f64
        };
        let (start, g) = (initial * share, u.headcount_growth);
        let mut peak = start;
        for y in 0..s.simulation.years {
            let staff = start * (1.0 + g).powi(y as i32);
            hires += staff * exit_rate;
            peak = peak.max(staff);
        }
        // Growth: every place above the starting headcount is filled by a hire.
        let end = start * (1.0 + g).powf(years);
        hires += peak.max(end) - start;
    }
    let pf = &s.insurance.pooled_fund;
    let dependency = s
        .regions
        .iter()
        .flat_map(|r| {
            [&pf.enterprise_dependency, &pf.institution_dependency]
                .map(|d| *d.at(s.simulation.start, &r.name))
        })
        .fold(0.0f64, f64::max);
    AgentBound {
        pensioners: initial * dependency,
        // Never fewer than what leaving alone implies, never negative.
        hires: hires.max(0.0),
    }
}

/// Expected quits per year per active person: the monthly hazard of each track × 12, weighted
/// by the larger of the track's initial and hiring shares (staff drift toward the hiring mix).
fn quit_rate_per_year(s: &Scenario) -> f64 {
    let q = &s.careers.quit_rate;
    let (a, b) = (&s.population.tracks, &s.careers.hire_tracks);
    [
        (q.establishment, a.establishment.max(b.establishment)),
        (q.contract, a.contract.max(b.contract)),
        (q.temporary, a.temporary.max(b.temporary)),
    ]
    .iter()
    .map(|(rate, share)| 12.0 * monthly_from_yearly(*rate) * share.clamp(0.0, 1.0))
    .sum()
}

/// The number of agents to reserve room for: the bound, or nothing when it is not a count
/// the platform can allocate (the vector then grows as hires arrive).
pub fn reserve_for(s: &Scenario, initial: usize) -> usize {
    let b = agent_bound(s, initial as f64);
    let extra = (b.pensioners + b.hires).ceil();
    if extra.is_finite() && extra >= 0.0 && extra < u32::MAX as f64 {
        extra as usize
    } else {
        0
    }
}

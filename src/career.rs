//! Careers: pay, the monthly leaving hazard, and the yearly resolution steps that need the whole
//! staff at once (promotion under post quotas, contract-to-establishment conversion, moves
//! between universities and replacement hiring). Resolution runs sequentially in a fixed order
//! over agents sorted by id, and each agent's draws come from its own (seed, id, purpose, month)
//! stream, so the outcome is independent of thread count.

use crate::agent::{Agent, Intent, Ladder, Status, Track};
use crate::money::Fen;
use crate::population;
use crate::rng::{chacha, normal, Draws, Purpose};
use crate::scenario::catalog::{Allowed, Certainty, KeyDoc};
use crate::scenario::{RungParams, Scenario};
use crate::time::YearMonth;
use rand::Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The rungs of an agent's ladder.
pub fn ladder(s: &Scenario, l: Ladder) -> &[RungParams] {
    match l {
        Ladder::Academic => &s.careers.academic,
        Ladder::Administrative => &s.careers.administrative,
    }
}

/// Whether a uniform draw `u` in [0, 1) falls within the monthly probability equivalent to
/// the yearly `p`: `u < 1 − (1 − p)^(1/12)` ⟺ `(1 − u)^12 > 1 − p`, which needs no `powf`.
///
/// A draw at or above `p` is no event, and is answered without the power: the monthly
/// probability is at most the yearly one, and so are the computed figures. `1 − u` is exact
/// for such a draw (a multiple of 2⁻⁵³ below 1), at most `1 − p` and so at most its rounding;
/// every rounded product of factors in [0, 1] is at most the smaller factor, so the computed
/// `(1 − u)^12` is at most `1 − u` and never above the computed `1 − p` (property test
/// below). Most months of most staff end there, the leaving draw's chain of dependent
/// multiplications skipped.
#[inline]
pub fn monthly_event(u: f64, yearly: f64) -> bool {
    let p = yearly.clamp(0.0, 1.0);
    u < p && (1.0 - u).powi(12) > 1.0 - p
}

/// Monthly probability equivalent to a yearly one.
pub fn monthly_from_yearly(p: f64) -> f64 {
    1.0 - (1.0 - p.clamp(0.0, 1.0)).powf(1.0 / 12.0)
}

/// Yearly leaving rate of a track for staff aged 30–39 past their first years.
pub fn base_quit_rate(s: &Scenario, track: Track) -> f64 {
    let q = &s.careers.quit_rate;
    match track {
        Track::Establishment => q.establishment,
        Track::Contract => q.contract,
        Track::Temporary => q.temporary,
    }
}

/// `[careers.quit_profile]`: how the yearly leaving rate varies with age and tenure, as
/// factors of the track's rate (`careers.quit_rate`, which is the rate of staff aged 30–39
/// past their first years). The rate of a cell is the product, used as it is: a baseline's
/// realised rates equal these products (behaviour shifts them only where a lever changes
/// perception), nothing is rescaled to hit a total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuitProfile {
    pub under_30: f64,
    pub from_40: f64,
    pub from_50: f64,
    /// Factor in the first `early_years` years at the university.
    pub early_tenure: f64,
    pub early_years: f64,
}

impl Default for QuitProfile {
    fn default() -> Self {
        QuitProfile {
            under_30: 1.5,
            from_40: 0.6,
            from_50: 0.3,
            early_tenure: 1.5,
            early_years: 3.0,
        }
    }
}

impl QuitProfile {
    /// Docs of every key, paths relative to `careers.quit_profile`.
    pub fn key_docs() -> Vec<KeyDoc> {
        use Allowed as A;
        let k = KeyDoc::new;
        let src = "shape: job separation falls with age and tenure (Farber 1994, The Analysis of Interfirm Worker Mobility, J. Labor Econ. 12(4) 554-593); levels uncalibrated (no published quit rates of Chinese university staff by age), range 0.2-3";
        vec![
            k("under_30", "×", A::number(0.0, 10.0), "Leaving rate of staff under 30, as a factor of the track's rate.").source(src, Certainty::U),
            k("from_40", "×", A::number(0.0, 10.0), "Factor for staff aged 40–49."),
            k("from_50", "×", A::number(0.0, 10.0), "Factor for staff aged 50 and over."),
            k("early_tenure", "×", A::number(0.0, 10.0), "Factor in the first early_years years at the university (multiplies the age factor).").source(src, Certainty::U),
            k("early_years", "years", A::number(0.0, 40.0), "Years at the university that count as early tenure."),
        ]
    }

    /// The factor of an agent aged `age_months` with `tenure_months` at its university:
    /// [`QuitProfile::factor`] of the same months in years, compared in whole months
    /// (`early_months` is [`QuitProfile::early_months`]), which the monthly leaving draw of
    /// every member makes without converting and dividing.
    pub fn factor_months(&self, age_months: i32, tenure_months: i32, early_months: i64) -> f64 {
        // m / 12.0 < 30.0 ⟺ m < 360 for whole months (and so for 40 and 50): m / 12 is within
        // half an ulp of its exact value, far from the next whole year.
        let band = [360, 480, 600]
            .iter()
            .position(|&m| age_months < m)
            .unwrap_or(3);
        self.banded(band, (tenure_months as i64) < early_months)
    }

    /// The fewest months `m` of tenure with `m / 12.0 ≥ early_years` (as [`QuitProfile::factor`]
    /// computes the tenure in years): below it a tenure is early. `m / 12.0` never decreases
    /// in `m`, so the comparison in months is the comparison in years.
    pub fn early_months(&self) -> i64 {
        let years = self.early_years;
        if years.is_nan() {
            return i64::MIN;
        }
        let mut m = (years * 12.0)
            .ceil()
            .clamp(i32::MIN as f64, i32::MAX as f64) as i64;
        while m > i32::MIN as i64 && (m - 1) as f64 / 12.0 >= years {
            m -= 1;
        }
        while m <= i32::MAX as i64 && (m as f64 / 12.0) < years {
            m += 1;
        }
        m
    }

    /// The factor of an agent aged `age` years with `tenure` years at its university.
    pub fn factor(&self, age: f64, tenure: f64) -> f64 {
        // The first bound the age is below (none: the last band, as for a NaN age).
        let band = [30.0, 40.0, 50.0]
            .iter()
            .position(|&y| age < y)
            .unwrap_or(3);
        self.banded(band, tenure < self.early_years)
    }

    /// The factor of age band `band` (under 30, 30–39, 40–49, 50 and over), times the early
    /// tenure's when `early`: what [`QuitProfile::factor`] and
    /// [`QuitProfile::factor_months`] look up.
    fn banded(&self, band: usize, early: bool) -> f64 {
        let by_age = match band {
            0 => self.under_30,
            1 => 1.0,
            2 => self.from_40,
            _ => self.from_50,
        };
        by_age * if early { self.early_tenure } else { 1.0 }
    }
}

/// Yearly leaving rate of an agent in `month` before behaviour shifts it: its track's rate
/// times the factors of its age and tenure.
pub fn quit_rate(s: &Scenario, a: &Agent, month: YearMonth) -> f64 {
    let tenure = month.months_since(a.hired) as f64 / 12.0;
    base_quit_rate(s, a.track) * s.careers.quit_profile.factor(a.age_years(month), tenure)
}

/// [`quit_rate`] in whole months, with the profile's [`QuitProfile::early_months`] worked out
/// once (`MonthEnv::early_tenure_months`): the same figure.
pub fn quit_rate_in_months(s: &Scenario, a: &Agent, month: YearMonth, early_months: i64) -> f64 {
    base_quit_rate(s, a.track)
        * s.careers.quit_profile.factor_months(
            a.age_months(month),
            month.months_since(a.hired),
            early_months,
        )
}

/// January pay update: scale growth plus one salary-scale step, in fen. `index` is
/// [`wage_index`] of the month, computed once for everyone.
pub fn annual_raise(s: &Scenario, a: &mut Agent, growth: f64, index: f64) {
    let rung = &ladder(s, a.ladder)[a.rung as usize];
    let scale = s.universities[a.university as usize].wage_level;
    let step = crate::money::yuan_to_fen(rung.base_wage * scale * s.careers.scale_step);
    let grown = (a.basic_wage as f64 * (1.0 + growth)).round() as Fen;
    a.basic_wage = grown + (step as f64 * index).round() as Fen;
    a.performance_pay = population::performance_pay(s, a.basic_wage);
}

/// Cumulative growth of pay scales from the start of the run to `month` (1 at the start).
pub fn wage_index(s: &Scenario, month: YearMonth) -> f64 {
    let start = s.simulation.start;
    (start.year() + 1..=month.year())
        .map(|y| 1.0 + *s.careers.wage_growth.at_general(YearMonth::ym(y, 1)))
        .product()
}

/// Counts of what the resolution phase did this month, by track (index = `Track as usize`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolution {
    pub promotions: [u64; 3],
    pub conversions: u64,
    pub moves: [u64; 3],
    pub cross_region_moves: u64,
    pub quits: [u64; 3],
    pub hires: [u64; 3],
}

/// The state resolution needs beyond the agents: targets and the next free id.
#[derive(Clone, Debug)]
pub struct Workforce {
    /// Target headcount per university at the start of the run.
    pub initial: Vec<u64>,
    pub next_id: u32,
}

impl Workforce {
    pub fn new(s: &Scenario, agents: &[Agent]) -> Self {
        let mut initial = vec![0u64; s.universities.len()];
        for a in agents.iter().filter(|a| a.is_active()) {
            initial[a.university as usize] += 1;
        }
        Workforce {
            initial,
            next_id: agents.len() as u32,
        }
    }

    /// Target headcount of university `u` in `month`.
    pub fn target(&self, s: &Scenario, u: usize, month: YearMonth) -> u64 {
        let years = month.months_since(s.simulation.start) / 12;
        let g = s.universities[u].headcount_growth;
        (self.initial[u] as f64 * (1.0 + g).powi(years)).round() as u64
    }
}

/// Promotions of the year, university by university, ladder by ladder, top rung first, within
/// quotas. Eligible agents qualify with their rung's rate scaled by effort; qualifiers are ranked
/// by their draw (then id) and promoted while the quota has room. One pass groups the staff, so
/// the cost is linear in the population whatever the number of universities.
pub fn promote(
    s: &Scenario,
    agents: &mut [Agent],
    staff: &[Vec<u16>],
    month: YearMonth,
    res: &mut Resolution,
) {
    let n_u = s.universities.len();
    let slot = |u: usize, l: Ladder, r: usize| (u * 2 + l as usize) * 4 + r;
    let members = pools(agents, staff, n_u * 8, |i, a| {
        a.is_active().then(|| {
            (
                slot(a.university as usize, a.ladder, a.rung as usize),
                Candidate::of(i, a),
            )
        })
    });
    for u in 0..n_u {
        for l in [Ladder::Academic, Ladder::Administrative] {
            let mut counts: Vec<usize> = (0..4).map(|r| members[slot(u, l, r)].len()).collect();
            let total: usize = counts.iter().sum();
            for r in (0..3).rev() {
                let promoted = promote_rung(
                    s,
                    agents,
                    &members[slot(u, l, r)],
                    month,
                    l,
                    r as u8,
                    total,
                    &counts,
                    res,
                );
                counts[r] -= promoted;
                counts[r + 1] += promoted;
            }
        }
    }
}

/// What ranking a promotion candidate reads of it, copied in the pass that pools the staff
/// by rung. `rung_since` and `effort` sit in a cache line of the agent no monthly step reads
/// (`Agent`'s layout keeps the hot part first): read in the same pass as the pool's fields,
/// both lines' loads overlap, where a second pass over the candidates of each rung waited on
/// every agent's memory again (a few per cent of a 100,000-staff run, all in Septembers).
/// Promotions of one rung change no candidate of another rung, so the copies stay current.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    /// The agent's position in the staff vector (below 2³², as ids).
    at: u32,
    id: u32,
    rung_since: YearMonth,
    effort: f32,
    temporary: bool,
}

impl Candidate {
    fn of(at: usize, a: &Agent) -> Self {
        Candidate {
            at: at as u32,
            id: a.id,
            rung_since: a.rung_since,
            effort: a.effort,
            temporary: a.track == Track::Temporary,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn promote_rung(
    s: &Scenario,
    agents: &mut [Agent],
    candidates: &[Candidate],
    month: YearMonth,
    l: Ladder,
    r: u8,
    total: usize,
    counts: &[usize],
    res: &mut Resolution,
) -> usize {
    let rungs = ladder(s, l);
    let above: usize = counts[r as usize + 1..].iter().sum();
    let room =
        ((rungs[r as usize + 1].quota * total as f64).floor() as usize).saturating_sub(above);
    if room == 0 {
        return 0;
    }
    let params = &rungs[r as usize];
    // The draws of the candidates in parallel (a rung of a large university has tens of
    // thousands); `collect` keeps the candidates' order, and the ranking below is a total
    // order, so the promoted are the same on any number of threads.
    let mut ranked: Vec<(f64, u32, usize)> = candidates
        .par_iter()
        .filter(|c| !c.temporary || r == 0)
        .filter(|c| month.months_since(c.rung_since) as f64 >= params.min_years * 12.0)
        .filter_map(|c| {
            let mut d = Draws::new(
                s.simulation.seed,
                c.id as u64,
                Purpose::Promotion,
                month.index(),
            );
            let p = (params.promotion_rate * c.effort as f64).min(1.0);
            let u = d.uniform();
            (u < p).then_some((u / p.max(1e-12), c.id, c.at as usize))
        })
        .collect();
    // The first `room` by rank; each is promoted on its own, so their order does not matter.
    keep_first(&mut ranked, room, |a, b| {
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
    });
    let raise = rungs[r as usize + 1].base_wage / rungs[r as usize].base_wage.max(1.0);
    for &(_, _, i) in &ranked {
        let a = &mut agents[i];
        a.rung = r + 1;
        a.rung_since = month;
        a.basic_wage = (a.basic_wage as f64 * raise).round() as Fen;
        a.performance_pay = population::performance_pay(s, a.basic_wage);
        res.promotions[a.track as usize] += 1;
    }
    ranked.len()
}

/// Keeps the first `n` items of `v` in the order `cmp`, in no particular order among
/// themselves: a selection, not a sort of every candidate. `cmp` must be a total order (ties
/// broken by a unique id), so the items kept are the same as after a full sort.
fn keep_first<T>(v: &mut Vec<T>, n: usize, cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    if n == 0 {
        v.clear();
    } else if n < v.len() {
        v.select_nth_unstable_by(n - 1, cmp);
        v.truncate(n);
    }
}

/// Indices of contract staff chosen for conversion to establishment posts this year: the
/// conversion rate times the contract headcount of each university, longest-serving first among
/// those whose draw admits them.
pub fn conversion_candidates(
    s: &Scenario,
    agents: &[Agent],
    staff: &[Vec<u16>],
    month: YearMonth,
    quota_rate: f64,
) -> Vec<usize> {
    let pools = pools(agents, staff, s.universities.len(), |i, a| {
        if !(a.is_active() && a.track == Track::Contract) {
            return None;
        }
        let mut d = Draws::new(
            s.simulation.seed,
            a.id as u64,
            Purpose::Conversion,
            month.index(),
        );
        let tenure = month.months_since(a.hired) as f64 / 12.0;
        let key = d.uniform() / (1.0 + tenure / 5.0) / a.effort.max(0.1) as f64;
        Some((a.university as usize, (key, i)))
    });
    let mut chosen = Vec::new();
    for mut pool in pools {
        let n = (quota_rate.max(0.0) * pool.len() as f64).round() as usize;
        // The chosen are listed by index below, so only which they are matters.
        keep_first(&mut pool, n, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        chosen.extend(pool.into_iter().map(|(_, i)| i));
    }
    chosen.sort_unstable();
    chosen
}

/// Candidate pools: `pick` puts agent `i` in pool `k` with an entry, or leaves it out. Only
/// the agents `staff` lists are offered (the offsets of the active staff by chunk of the
/// engine's positions, `engine::Roll::staff`: every active agent, and perhaps some who have
/// just left). The scan runs in parallel over the engine's fixed chunks; each pool lists its
/// entries in index order, as one pass would, whatever the number of threads.
fn pools<T: Send>(
    agents: &[Agent],
    staff: &[Vec<u16>],
    n: usize,
    pick: impl Fn(usize, &Agent) -> Option<(usize, T)> + Sync,
) -> Vec<Vec<T>> {
    let chunk = crate::engine::CHUNK;
    let parts: Vec<Vec<Vec<T>>> = agents
        .par_chunks(chunk)
        .zip(staff.par_iter())
        .enumerate()
        .map(|(c, (part, staff))| {
            let mut pools: Vec<Vec<T>> = (0..n).map(|_| Vec::new()).collect();
            for (j, a) in crate::agent::listed(part, staff, crate::agent::FIRST_LINE_ONLY) {
                if let Some((k, x)) = pick(c * chunk + j, a) {
                    pools[k].push(x);
                }
            }
            pools
        })
        .collect();
    let mut out: Vec<Vec<T>> = (0..n).map(|_| Vec::new()).collect();
    for part in parts {
        for (pool, entries) in out.iter_mut().zip(part) {
            pool.extend(entries);
        }
    }
    out
}

/// Where a mover goes: another university, in another region when `cross_region` and one
/// exists. `None` when there is nowhere to go (then the move is a quit).
pub fn destination(s: &Scenario, a: &Agent, cross_region: bool, month: YearMonth) -> Option<u16> {
    let others: Vec<usize> = (0..s.universities.len())
        .filter(|&u| u != a.university as usize)
        .collect();
    if others.is_empty() {
        return None;
    }
    let region_of = |u: usize| s.region_index(&s.universities[u].region).unwrap_or(0) as u16;
    let preferred: Vec<usize> = others
        .iter()
        .copied()
        .filter(|&u| (region_of(u) != a.region) == cross_region)
        .collect();
    let pool = if preferred.is_empty() {
        &others
    } else {
        &preferred
    };
    let weights: Vec<f64> = pool
        .iter()
        .map(|&u| s.universities[u].staff_share.max(1e-9))
        .collect();
    let mut d = Draws::new(
        s.simulation.seed,
        a.id as u64,
        Purpose::Move,
        month.index() ^ 0x5a5a,
    );
    Some(pool[d.weighted(&weights)] as u16)
}

/// A new hire with id `id` at university `u` in `month`.
pub fn hire(s: &Scenario, id: u32, u: u16, month: YearMonth) -> Agent {
    let mut rng = chacha(s.simulation.seed, Purpose::Hire, id as u64);
    let mut a = population::synthetic_one(s, id, month, &mut rng);
    let age_months = ((s.careers.hire_age + 3.0 * normal(&mut rng)) * 12.0).round() as i32;
    a.birth = month.plus_months(-age_months.clamp(20 * 12, 55 * 12));
    a.university = u;
    a.region = s
        .region_index(&s.universities[u as usize].region)
        .unwrap_or(0) as u16;
    a.insurance.hukou_region = a.region;
    a.track = population::draw_track(&s.careers.hire_tracks, rng.random());
    if a.track == Track::Temporary {
        a.ladder = Ladder::Administrative;
    }
    let first_job = rng.random::<f64>() >= s.population.prior_service_share;
    let prior = if first_job {
        0
    } else {
        rng.random_range(12..=(a.age_months(month) - 22 * 12).max(13))
    };
    a.work_start = month.plus_months(-prior);
    a.hired = month;
    a.rung = if a.ladder == Ladder::Academic && rng.random::<f64>() < 0.7 {
        1
    } else {
        0
    };
    a.rung_since = month;
    let rungs = ladder(s, a.ladder);
    let fresh = population::rung_wage(s, u as usize, rungs, a.rung, prior);
    a.basic_wage = (fresh as f64 * wage_index(s, month)).round() as Fen;
    a.performance_pay = population::performance_pay(s, a.basic_wage);
    a.status = Status::Active;
    a.status_since = month;
    a.intent = Intent::None;
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The factor in whole months is the factor in years, for any ages, tenures and
        /// early-tenure lengths, whole or not.
        #[test]
        fn quit_factor_in_months_is_the_factor_in_years(
            age in -24i32..1200,
            tenure in -24i32..900,
            twelfths in 0u32..480,
            fraction in prop_oneof![Just(0.0), 0.0f64..1.0],
        ) {
            let q = QuitProfile {
                early_years: (twelfths as f64 + fraction) / 12.0,
                ..QuitProfile::default()
            };
            let early = q.early_months();
            let years = q.factor(age as f64 / 12.0, tenure as f64 / 12.0);
            let months = q.factor_months(age, tenure, early);
            prop_assert_eq!(years.to_bits(), months.to_bits());
            prop_assert_eq!((tenure as i64) < early, (tenure as f64 / 12.0) < q.early_years);
        }

        /// The answer without the power for draws at or above the yearly rate is the power's
        /// answer, for any draw the streams make (multiples of 2⁻⁵³ below 1) and any rate,
        /// outside [0, 1] and not a number included.
        #[test]
        fn monthly_event_is_the_powers_answer(
            bits in prop_oneof![
                0u64..1 << 53,
                0u64..64,
                (1u64 << 53) - 64..1 << 53,
            ],
            yearly in prop_oneof![
                0.0f64..1.0,
                0.0f64..1e-12,
                1.0 - 1e-12..1.0f64,
                Just(0.0),
                Just(1.0),
                Just(-0.5),
                Just(2.0),
                Just(f64::NAN),
                Just(f64::MIN_POSITIVE),
            ],
            near in prop_oneof![Just(false), Just(true)],
        ) {
            let steps = (1u64 << 53) as f64;
            // A draw at the rate itself, or a step either side of it, where a fast answer
            // could first go wrong; the last draw the streams make is 1 − 2⁻⁵³.
            let u = if near && (0.0..1.0).contains(&yearly) {
                let at = (yearly * steps).floor() + (bits % 3) as f64 - 1.0;
                (at.max(0.0) / steps).min(1.0 - 1.0 / steps)
            } else {
                bits as f64 / steps
            };
            let power = (1.0 - u).powi(12) > 1.0 - yearly.clamp(0.0, 1.0);
            prop_assert_eq!(monthly_event(u, yearly), power, "u {} yearly {}", u, yearly);
        }

        /// The selection keeps what the first `n` of a full sort were.
        #[test]
        fn keep_first_keeps_the_first_of_a_sort(
            keys in proptest::collection::vec(0u8..6, 0..60),
            n in 0usize..70,
        ) {
            let items: Vec<(f64, usize)> =
                keys.iter().enumerate().map(|(i, &k)| (k as f64 / 3.0, i)).collect();
            let cmp = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
            let mut sorted = items.clone();
            sorted.sort_by(cmp);
            sorted.truncate(n);
            let mut kept = items;
            keep_first(&mut kept, n, cmp);
            kept.sort_by(cmp);
            prop_assert_eq!(kept, sorted);
        }
    }

    /// Early tenure at the bounds of the key's range and at whole years: the first month that
    /// is no longer early.
    #[test]
    fn early_months_is_the_first_month_no_longer_early() {
        let mut q = QuitProfile::default();
        for (years, months) in [(0.0, 0), (3.0, 36), (2.5, 30), (40.0, 480), (1.0 / 12.0, 1)] {
            q.early_years = years;
            assert_eq!(q.early_months(), months, "{years} years");
        }
        q.early_years = 0.1;
        assert_eq!(
            q.early_months(),
            2,
            "1.2 months: months 0 and 1 are early, 2 is not"
        );
    }
}

//! Random streams. Every draw in a run is a pure function of (master seed, agent id, purpose,
//! month, draw number), so results do not depend on thread count or scheduling, and a reform run
//! and its baseline see the same draws wherever the reform does not change behaviour (common
//! random numbers).
//!
//! Only this module builds generators. Two kinds:
//! - [`chacha`]: a `ChaCha8Rng` per (seed, purpose, agent) for one-off work such as generating
//!   the population, where a portable, well-studied generator matters more than set-up cost;
//! - [`Draws`]: a counter-based stream for the monthly step, where one generator per agent per
//!   month must cost nothing to create. It hashes the key with SplitMix64's finaliser, which
//!   passes BigCrush as a counter-based generator, and is identical on every platform.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Why a stream is drawn; part of the key so that streams for different purposes never overlap.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    Population = 1,
    Mortality = 2,
    Quit = 3,
    Move = 4,
    Promotion = 5,
    Conversion = 6,
    Hire = 7,
    Effort = 8,
    Perception = 9,
    Retirement = 10,
    OptIn = 11,
    Roster = 12,
    PointsBank = 13,
    Enrolment = 14,
    /// The yearly draws of the macro paths (`macro_paths`), keyed by path number and year.
    Macro = 15,
    /// The household of an agent (dependants, spouse's coverage), drawn once at entry.
    Household = 16,
    /// Whether a leaver's contributions continue elsewhere, drawn in the month of leaving.
    Coverage = 17,
    /// The months without medical cover between two universities on a move.
    MedicalGap = 18,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function: a bijective mixer with full avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key before any part.
const KEY_START: u64 = 0x5151_5EED_0000_0001;

/// One more key part folded into `acc`.
#[inline]
fn fold(acc: u64, part: u64) -> u64 {
    mix64(acc ^ mix64(part.wrapping_add(GOLDEN)))
}

/// Combines key parts into one 64-bit key, order-sensitively.
#[inline]
fn key(parts: &[u64]) -> u64 {
    parts.iter().fold(KEY_START, |acc, &p| fold(acc, p))
}

/// The leading parts of a [`Draws`] key, hashed once: the run's seed ([`SeedKey`]), then an
/// agent ([`AgentKey`]). `SeedKey::new(seed).agent(id).draws(purpose, month)` is the same
/// stream as `Draws::new(seed, id, purpose, month)`; a step that draws for several purposes
/// hashes the seed and the agent once instead of each time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedKey(u64);

impl SeedKey {
    pub fn new(seed: u64) -> Self {
        SeedKey(fold(KEY_START, seed))
    }

    #[inline]
    pub fn agent(self, agent: u64) -> AgentKey {
        AgentKey(fold(self.0, agent))
    }
}

/// (seed, agent) of a [`Draws`] key, hashed (see [`SeedKey`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgentKey(u64);

impl AgentKey {
    #[inline]
    pub fn draws(self, purpose: Purpose, month: i32) -> Draws {
        self.draws_in(purpose, MonthKey::new(month))
    }

    /// [`AgentKey::draws`] with the month's part hashed beforehand: the monthly step draws for
    /// every agent in the same month, so the month's hash is computed once per month, not per
    /// agent and purpose. The stream is the same.
    #[inline]
    pub fn draws_in(self, purpose: Purpose, month: MonthKey) -> Draws {
        Draws {
            base: mix64(fold(self.0, purpose as u64) ^ month.0),
            counter: 0,
        }
    }
}

impl AgentKey {
    /// (seed, agent, purpose) of a [`Draws`] key, hashed: for a purpose an agent draws every
    /// month (its death), kept with the agent so that each month hashes only the month.
    #[inline]
    pub fn purpose(self, purpose: Purpose) -> PurposeKey {
        PurposeKey(fold(self.0, purpose as u64))
    }
}

/// (seed, agent, purpose) of a [`Draws`] key, hashed (see [`AgentKey::purpose`]).
/// `key.purpose(p).draws_in(m)` is the same stream as `key.draws_in(p, m)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PurposeKey(u64);

impl PurposeKey {
    #[inline]
    pub fn draws_in(self, month: MonthKey) -> Draws {
        Draws {
            base: mix64(self.0 ^ month.0),
            counter: 0,
        }
    }
}

/// The month's part of a [`Draws`] key, hashed once (see [`AgentKey::draws_in`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthKey(u64);

impl MonthKey {
    #[inline]
    pub fn new(month: i32) -> Self {
        MonthKey(mix64((month as u32 as u64).wrapping_add(GOLDEN)))
    }
}

/// A ChaCha8 generator for (seed, purpose, id).
pub fn chacha(seed: u64, purpose: Purpose, id: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(key(&[seed, purpose as u64]));
    rng.set_stream(id);
    rng
}

/// A cheap counter-based stream for one (seed, agent, purpose, month).
#[derive(Clone, Debug)]
pub struct Draws {
    base: u64,
    counter: u64,
}

impl Draws {
    #[inline]
    pub fn new(seed: u64, agent: u64, purpose: Purpose, month: i32) -> Self {
        Draws {
            base: key(&[seed, agent, purpose as u64, month as u32 as u64]),
            counter: 0,
        }
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.counter += 1;
        mix64(self.base.wrapping_add(self.counter.wrapping_mul(GOLDEN)))
    }

    /// Uniform in [0, 1) with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Standard normal by Box–Muller (one value per call; the pair's twin is dropped so the
    /// stream stays a pure function of its counter).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform();
        box_muller(u1, self.uniform())
    }

    /// An index drawn with the given non-negative weights (at least one positive).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        pick_weighted(weights, self.uniform())
    }
}

/// A standard normal from a ChaCha stream (Box–Muller, one value per call).
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random();
    box_muller(u1, rng.random())
}

/// Box–Muller's cosine branch from two uniforms in [0, 1); `1 − u1` keeps the logarithm finite.
fn box_muller(u1: f64, u2: f64) -> f64 {
    (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// The index whose cumulative weight interval contains `u × total`.
pub fn pick_weighted(weights: &[f64], u: f64) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = u * total;
    for (i, w) in weights.iter().enumerate() {
        if target < *w {
            return i;
        }
        target -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_pure_functions_of_their_key() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut d = Draws::new(7, 42, Purpose::Quit, 300);
                move |_| d.next_u64()
            })
            .collect();
        let mut d = Draws::new(7, 42, Purpose::Quit, 300);
        let b: Vec<u64> = (0..4).map(|_| d.next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(Draws::new(7, 42, Purpose::Quit, 301).next_u64(), a[0]);
        assert_ne!(Draws::new(7, 43, Purpose::Quit, 300).next_u64(), a[0]);
        assert_ne!(Draws::new(7, 42, Purpose::Move, 300).next_u64(), a[0]);
        assert_ne!(Draws::new(8, 42, Purpose::Quit, 300).next_u64(), a[0]);
    }

    #[test]
    fn keys_hashed_in_steps_give_the_same_streams() {
        for (seed, agent, purpose, month) in [
            (7, 42, Purpose::Quit, 300),
            (0, 0, Purpose::Mortality, -5),
            (u64::MAX, 1 << 31, Purpose::Move, 24_300),
        ] {
            let mut a = Draws::new(seed, agent, purpose, month);
            let mut b = SeedKey::new(seed).agent(agent).draws(purpose, month);
            let mut c = SeedKey::new(seed)
                .agent(agent)
                .draws_in(purpose, MonthKey::new(month));
            let mut d = SeedKey::new(seed)
                .agent(agent)
                .purpose(purpose)
                .draws_in(MonthKey::new(month));
            for _ in 0..3 {
                let x = a.next_u64();
                assert_eq!(x, b.next_u64());
                assert_eq!(x, c.next_u64());
                assert_eq!(x, d.next_u64());
            }
        }
    }

    #[test]
    fn uniform_is_roughly_uniform() {
        let n = 100_000;
        let mean: f64 = (0..n)
            .map(|i| Draws::new(1, i, Purpose::Effort, 0).uniform())
            .sum::<f64>()
            / n as f64;
        assert!((mean - 0.5).abs() < 0.01, "mean {mean}");
        let mut d = Draws::new(1, 2, Purpose::Effort, 0);
        let normals: Vec<f64> = (0..n).map(|_| d.normal()).collect();
        let m = normals.iter().sum::<f64>() / n as f64;
        let v = normals.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
        assert!(m.abs() < 0.02 && (v - 1.0).abs() < 0.03, "mean {m} var {v}");
    }

    #[test]
    fn chacha_streams_differ_by_id_and_repeat() {
        let x: u64 = chacha(5, Purpose::Population, 1).random();
        let y: u64 = chacha(5, Purpose::Population, 1).random();
        let z: u64 = chacha(5, Purpose::Population, 2).random();
        assert_eq!(x, y);
        assert_ne!(x, z);
    }

    #[test]
    fn weighted_pick_follows_cumulative_weights() {
        assert_eq!(pick_weighted(&[1.0, 1.0, 2.0], 0.0), 0);
        assert_eq!(pick_weighted(&[1.0, 1.0, 2.0], 0.3), 1);
        assert_eq!(pick_weighted(&[1.0, 1.0, 2.0], 0.99), 2);
        assert_eq!(pick_weighted(&[0.0, 3.0, 0.0], 0.999_999), 1);
    }
}

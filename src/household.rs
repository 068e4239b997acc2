//! The household of a staff member: dependants and whether a spouse is insured through their
//! own job. Drawn once when the agent enters the run, from its own stream
//! (`Purpose::Household`), so adding it changes no other draw.
//!
//! The household matters where the engine decides what happens to a leaver's contributions
//! ([`leaves_uncovered`]): whether the person keeps paying (a new insured job, flexible
//! employment) or stops, the interruption the early-warning model of `sisandbox-risk` predicts.
//! The shares are calibration assumptions stated in docs/RISK.md, not official figures: no
//! official source publishes continuation rates of university leavers.

use crate::agent::{Agent, Track};
use crate::rng::{chacha, Draws, Purpose};
use crate::time::YearMonth;
use rand::Rng;

/// Who depends on the staff member and whether the spouse has coverage of their own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Household {
    /// Children and parents supported (0–3).
    pub dependants: u8,
    /// Married, with a spouse insured through their own employment.
    pub spouse_covered: bool,
}

/// Share married at `age` years: a logistic curve from about 10 % at 22 to 85 % from 35.
fn married_share(age: f64) -> f64 {
    0.88 / (1.0 + (-(age - 28.0) / 2.5).exp())
}

/// The household of an agent aged `age_years` when it enters the run.
pub fn draw(seed: u64, id: u32, age_years: f64) -> Household {
    let mut rng = chacha(seed, Purpose::Household, id as u64);
    let married = rng.random::<f64>() < married_share(age_years);
    let children = if married && (24.0..60.0).contains(&age_years) {
        let u: f64 = rng.random();
        if u < 0.25 {
            0
        } else if u < 0.80 {
            1
        } else {
            2
        }
    } else {
        0
    };
    let parent_share = ((age_years - 35.0) / 40.0).clamp(0.0, 0.4);
    let parent = u8::from(rng.random::<f64>() < parent_share);
    let spouse_covered = married && rng.random::<f64>() < 0.8;
    Household {
        dependants: (children + parent).min(3),
        spouse_covered,
    }
}

/// Sets the household of an agent entering the run in `month`.
pub fn enter(seed: u64, a: &mut Agent, month: YearMonth) {
    a.household = draw(seed, a.id, a.age_years(month));
}

/// Probability that a leaver stops contributing rather than continuing elsewhere: higher on
/// the tracks with less attachment to a lifelong post, late in a career (fifteen years are
/// often reached and the person waits for pension age), when a spouse's job carries the
/// household, and with each dependant (the full contribution falls on the person once the
/// employer's share is gone).
pub fn uncovered_share(a: &Agent, month: YearMonth) -> f64 {
    let base = match a.track {
        Track::Establishment => 0.10,
        Track::Contract => 0.25,
        Track::Temporary => 0.50,
    };
    let age = a.age_years(month);
    let age_factor = if age >= 50.0 {
        1.6
    } else if age < 30.0 {
        1.2
    } else {
        1.0
    };
    let spouse = if a.household.spouse_covered { 1.4 } else { 1.0 };
    let dependants = 1.0 + 0.15 * a.household.dependants as f64;
    (base * age_factor * spouse * dependants).min(0.95)
}

/// Whether an agent leaving in `month` stops contributing (an interruption), from its own
/// stream for that month.
pub fn leaves_uncovered(seed: u64, a: &Agent, month: YearMonth) -> bool {
    let mut d = Draws::new(seed, a.id as u64, Purpose::Coverage, month.index());
    d.chance(uncovered_share(a, month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn households_are_reproducible_and_vary_with_age() {
        assert_eq!(draw(7, 42, 40.0), draw(7, 42, 40.0));
        let young: u32 = (0..2000).map(|i| draw(7, i, 22.0).dependants as u32).sum();
        let middle: u32 = (0..2000).map(|i| draw(7, i, 42.0).dependants as u32).sum();
        assert!(middle > 3 * young.max(1), "young {young}, middle {middle}");
        let covered = (0..2000)
            .filter(|&i| draw(7, i, 42.0).spouse_covered)
            .count();
        // About 0.88 × 0.8 ≈ 70 % at 42.
        assert!((1200..1600).contains(&covered), "{covered}");
    }

    fn agent_aged(years: i32, m: YearMonth) -> Agent {
        use crate::agent::{Category, Ladder, Profile, Sex};
        let birth = m.plus_months(-12 * years);
        Agent::new(Profile {
            id: 1,
            university: 0,
            region: 0,
            sex: Sex::Female,
            category: Category::Cadre,
            track: Track::Contract,
            ladder: Ladder::Academic,
            rung: 1,
            discipline: 0,
            birth,
            work_start: birth.plus_months(12 * 24),
            hired: birth.plus_months(12 * 30),
            rung_since: birth.plus_months(12 * 30),
            basic_wage: 1_000_000,
            performance_pay: 500_000,
            effort: 1.0,
        })
    }

    #[test]
    fn leaving_uncovered_rises_with_track_spouse_and_dependants() {
        let m = YearMonth::new(2030, 1).unwrap();
        let mut a = agent_aged(40, m);
        a.track = Track::Establishment;
        let est = uncovered_share(&a, m);
        a.track = Track::Temporary;
        let temp = uncovered_share(&a, m);
        a.household.spouse_covered = true;
        a.household.dependants = 2;
        let temp_household = uncovered_share(&a, m);
        assert!(
            est < temp && temp < temp_household,
            "{est} {temp} {temp_household}"
        );
    }
}

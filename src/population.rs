//! The initial staff: a synthetic population drawn from the scenario's distributions, or a
//! roster imported from CSV (see `roster`). This module sets demographics, posts and pay; the
//! engine derives each agent's insurance record from them when the run starts.

use crate::agent::{Agent, Category, Ladder, Profile, Sex, Track};
use crate::insurance::retirement;
use crate::money::{yuan_to_fen, Fen};
use crate::rng::{chacha, normal, pick_weighted, Purpose};
use crate::scenario::{RungParams, Scenario, TrackShares};
use crate::time::YearMonth;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// The initial staff, ordered by id (id = index).
pub fn synthetic(s: &Scenario) -> Vec<Agent> {
    let start = s.simulation.start;
    // In parallel: each agent has its own stream, so the result is the same on any thread count.
    (0..s.simulation.agents)
        .into_par_iter()
        .map(|id| {
            let mut rng = chacha(s.simulation.seed, Purpose::Population, id as u64);
            synthetic_one(s, id, start, &mut rng)
        })
        .collect()
}

/// One agent drawn from the scenario's distributions as of `start`.
pub fn synthetic_one(s: &Scenario, id: u32, start: YearMonth, rng: &mut ChaCha8Rng) -> Agent {
    let p = &s.population;
    let u: usize = pick_weighted(
        &s.universities
            .iter()
            .map(|u| u.staff_share)
            .collect::<Vec<_>>(),
        rng.random(),
    );
    let region = s.region_index(&s.universities[u].region).unwrap_or(0);
    let sex = if rng.random::<f64>() < p.female_share {
        Sex::Female
    } else {
        Sex::Male
    };
    let track = draw_track(&p.tracks, rng.random());
    let ladder = if track == Track::Temporary || rng.random::<f64>() < p.administrative_share {
        Ladder::Administrative
    } else {
        Ladder::Academic
    };
    let category = draw_category(sex, ladder, p.female_cadre_share, rng.random());
    let (age_months, birth) = draw_age(s, sex, category, start, rng);
    let start_age = (p.career_start_age * 12.0 + normal(rng) * 24.0).round() as i32;
    let work_start = birth.plus_months(start_age.clamp(18 * 12, age_months.max(18 * 12)));
    let work_start = if work_start > start {
        start
    } else {
        work_start
    };
    let service = start.months_since(work_start).max(0);
    let hired = if rng.random::<f64>() < p.prior_service_share && service > 12 {
        work_start.plus_months(rng.random_range(0..service))
    } else {
        work_start
    };
    let ladder_params = crate::career::ladder(s, ladder);
    let max_rung = if track == Track::Temporary { 1 } else { 3 };
    let rung = draw_rung(ladder_params, service, max_rung, rng.random());
    let rung_since = draw_rung_since(ladder_params, rung, work_start, start, rng);
    let discipline = pick_weighted(
        &p.disciplines.iter().map(|d| d.share).collect::<Vec<_>>(),
        rng.random(),
    ) as u8;
    let basic_wage = rung_wage(s, u, ladder_params, rung, service);
    let effort = (1.0 + 0.15 * normal(rng)).clamp(0.3, 2.0) as f32;
    Agent::new(Profile {
        id,
        university: u as u16,
        region: region as u16,
        sex,
        category,
        track,
        ladder,
        rung,
        discipline,
        birth,
        work_start,
        hired,
        rung_since,
        basic_wage,
        performance_pay: performance_pay(s, basic_wage),
        effort,
    })
}

/// An age from the scenario's bands, redrawn while it is at or past the statutory retirement
/// age (staff above it would all retire in the first month); after 64 tries, the last month
/// before retirement.
fn draw_age(
    s: &Scenario,
    sex: Sex,
    category: Category,
    start: YearMonth,
    rng: &mut ChaCha8Rng,
) -> (i32, YearMonth) {
    let p = &s.population;
    let shares: Vec<f64> = p.age_bands.iter().map(|b| b.share).collect();
    let rules = &s.insurance.retirement;
    let mut last = (0, start);
    for _ in 0..64 {
        let band = &p.age_bands[pick_weighted(&shares, rng.random())];
        let age_months = rng.random_range(
            band.from_age as i32 * 12..(band.to_age as i32 * 12).max(band.from_age as i32 * 12 + 1),
        );
        let birth = start.plus_months(-age_months);
        if retirement::statutory_month(birth, sex, category, rules) > start {
            return (age_months, birth);
        }
        last = (age_months, birth);
    }
    let age = retirement::statutory_age(last.1, sex, category, rules).0 - 1;
    (age, start.plus_months(-age))
}

pub fn draw_track(shares: &TrackShares, u: f64) -> Track {
    Track::ALL[pick_weighted(
        &[shares.establishment, shares.contract, shares.temporary],
        u,
    )]
}

/// Women in worker posts retire earlier; academic staff are cadres by definition of their post.
fn draw_category(sex: Sex, ladder: Ladder, female_cadre_share: f64, u: f64) -> Category {
    match (sex, ladder) {
        (Sex::Male, _) | (_, Ladder::Academic) => Category::Cadre,
        (Sex::Female, Ladder::Administrative) => {
            // Administrative women split so that the overall cadre share matches the scenario
            // (academic women are all cadres).
            if u < female_cadre_share {
                Category::Cadre
            } else {
                Category::Worker
            }
        }
    }
}

/// Months of service needed to reach `rung` at the minimum pace.
fn months_to_reach(ladder: &[RungParams], rung: usize) -> i32 {
    ladder[..rung]
        .iter()
        .map(|r| (r.min_years * 12.0) as i32)
        .sum()
}

/// A rung drawn from the initial shares among the rungs reachable with this much service.
fn draw_rung(ladder: &[RungParams], service: i32, max_rung: u8, u: f64) -> u8 {
    let weights: Vec<f64> = ladder
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let reachable = i as u8 <= max_rung && months_to_reach(ladder, i) <= service;
            if reachable {
                r.initial_share
            } else {
                0.0
            }
        })
        .collect();
    if weights.iter().all(|w| *w <= 0.0) {
        return 0;
    }
    pick_weighted(&weights, u) as u8
}

fn draw_rung_since(
    ladder: &[RungParams],
    rung: u8,
    work_start: YearMonth,
    start: YearMonth,
    rng: &mut ChaCha8Rng,
) -> YearMonth {
    let earliest = work_start.plus_months(months_to_reach(ladder, rung as usize));
    let span = start.months_since(earliest).max(0);
    if span == 0 {
        return start.min(earliest.max(work_start));
    }
    earliest.plus_months(rng.random_range(0..=span))
}

/// Basic wage (post plus salary scale) of a rung after `service_months`, at the university's
/// wage level, in the money of the scenario's start year.
pub fn rung_wage(
    s: &Scenario,
    university: usize,
    ladder: &[RungParams],
    rung: u8,
    service_months: i32,
) -> Fen {
    let level = s.universities[university].wage_level;
    let years = service_months.max(0) as f64 / 12.0;
    let yuan = ladder[rung as usize].base_wage * level * (1.0 + s.careers.scale_step * years);
    yuan_to_fen(yuan)
}

pub fn performance_pay(s: &Scenario, basic_wage: Fen) -> Fen {
    crate::money::apply_rate(basic_wage, s.careers.performance_ratio)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_population_follows_the_scenario() {
        let mut s = Scenario::default();
        s.simulation.agents = 4000;
        let pop = synthetic(&s);
        assert_eq!(pop.len(), 4000);
        assert!(pop.iter().enumerate().all(|(i, a)| a.id as usize == i));
        let share =
            |f: &dyn Fn(&Agent) -> bool| pop.iter().filter(|a| f(a)).count() as f64 / 4000.0;
        assert!((share(&|a| a.is_female()) - 0.48).abs() < 0.03);
        assert!((share(&|a| a.track == Track::Establishment) - 0.62).abs() < 0.03);
        assert!((share(&|a| a.track == Track::Temporary) - 0.08).abs() < 0.02);
        for a in &pop {
            let age = a.age_years(s.simulation.start);
            assert!((24.0..63.0).contains(&age), "age {age}");
            let statutory =
                retirement::statutory_month(a.birth, a.sex, a.category, &s.insurance.retirement);
            assert!(
                statutory > s.simulation.start,
                "nobody starts past the statutory age"
            );
            assert!(
                a.work_start <= s.simulation.start && a.work_start >= a.birth.plus_months(18 * 12)
            );
            assert!(a.hired >= a.work_start && a.hired <= s.simulation.start);
            assert!(a.basic_wage > 0 && a.performance_pay > 0);
            assert!(a.track != Track::Temporary || a.rung <= 1);
        }
        // Staff with pre-2014-10 service exist (the 中人 of the institution scheme).
        assert!(pop.iter().any(|a| a.work_start < YearMonth::ym(2014, 10)));
    }

    #[test]
    fn same_seed_same_population_other_seed_differs() {
        let s = Scenario::default();
        assert_eq!(synthetic(&s), synthetic(&s));
        let mut t = s.clone();
        t.simulation.seed += 1;
        assert_ne!(synthetic(&s), synthetic(&t));
    }

    #[test]
    fn rung_needs_enough_service() {
        let s = Scenario::default();
        let l = &s.careers.academic;
        assert_eq!(draw_rung(l, 0, 3, 0.99), 0);
        assert_eq!(
            months_to_reach(l, 3),
            (2.0 * 12.0 + 5.0 * 12.0 * 2.0) as i32
        );
    }
}

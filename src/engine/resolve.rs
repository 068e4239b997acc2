//! The resolution phase: what needs the whole staff, in a fixed order: leavers and movers (in
//! id order), promotions and conversions in their months, then replacement hiring university by
//! university.

use super::behave;
use super::env::MonthEnv;
use super::init::{self, History};
use super::insure;
use crate::agent::{Agent, Intent, Status, Track};
use crate::career::{self, Resolution, Workforce};
use crate::metrics::MonthAgg;
use crate::money::Fen;
use crate::scenario::Scenario;
use rayon::prelude::*;

/// Resolution state carried across months.
pub struct State {
    pub workforce: Workforce,
    /// Past rates, to reconstruct the record of hires with earlier service.
    pub history: History,
    /// Account balances hires brought with them this month (for the conservation identity).
    pub brought_in: Fen,
}

impl State {
    pub fn new(s: &Scenario, agents: &[Agent], history: History) -> Self {
        State {
            workforce: Workforce::new(s, agents),
            history,
            brought_in: 0,
        }
    }
}

pub fn resolve(
    s: &Scenario,
    env: &MonthEnv,
    agents: &mut Vec<Agent>,
    staff: &[Vec<u16>],
    intents: &[usize],
    state: &mut State,
    agg: &mut MonthAgg,
) -> Resolution {
    let mut res = Resolution::default();
    let mut active = agg.active_by_university.clone();
    for &i in intents {
        leave_or_move(s, env, &mut agents[i], &mut active, &mut res, agg);
    }
    if env.promotion_month {
        career::promote(s, agents, staff, env.month, &mut res);
    }
    if env.conversion_month {
        let rate = env
            .policy
            .conversion_rate
            .unwrap_or(s.careers.conversion_rate);
        for i in career::conversion_candidates(s, agents, staff, env.month, rate) {
            insure::on_conversion(env, &mut agents[i], agg);
            agents[i].track = Track::Establishment;
            res.conversions += 1;
        }
    }
    hire(s, env, agents, &active, state, &mut res);
    res
}

fn leave_or_move(
    s: &Scenario,
    env: &MonthEnv,
    a: &mut Agent,
    active: &mut [u64],
    res: &mut Resolution,
    agg: &mut MonthAgg,
) {
    let t = a.track as usize;
    let intent = std::mem::take(&mut a.intent);
    let dest = match intent {
        Intent::Move { cross_region } => career::destination(s, a, cross_region, env.month),
        _ => None,
    };
    active[a.university as usize] -= 1;
    match dest {
        Some(u) => {
            let to_region = s
                .region_index(&s.universities[u as usize].region)
                .unwrap_or(0) as u16;
            if to_region != a.region {
                res.cross_region_moves += 1;
            }
            insure::on_move(env, a, to_region, agg);
            insure::move_gap(s, env, a, agg);
            a.university = u;
            a.region = to_region;
            a.hired = env.month;
            active[u as usize] += 1;
            res.moves[t] += 1;
        }
        None => {
            a.status = Status::Deferred;
            a.status_since = env.month;
            insure::on_leave(s, a, agg);
            res.quits[t] += 1;
        }
    }
}

/// Replacement hiring: ids are handed out university by university in order, then each hire
/// is built from its own keyed streams in parallel (a pure function of its id, university and
/// month) straight into its place at the end of the staff vector, in id order: no vector of
/// hires built apart and then copied in on one thread (the staff vector's room is reserved
/// at the start, `capacity`, so extending it moves nothing).
fn hire(
    s: &Scenario,
    env: &MonthEnv,
    agents: &mut Vec<Agent>,
    active: &[u64],
    state: &mut State,
    res: &mut Resolution,
) {
    let mut places: Vec<(u32, u16)> = Vec::new();
    for (u, &now) in active.iter().enumerate() {
        let target = state.workforce.target(s, u, env.month);
        for _ in now..target {
            places.push((state.workforce.next_id, u as u16));
            state.workforce.next_id += 1;
        }
    }
    let history = &state.history;
    let from = agents.len();
    agents.par_extend(places.par_iter().map(|&(id, u)| {
        let mut a = career::hire(s, id, u, env.month.plus_months(1));
        a.unified = env.policy.unified_new_hires;
        behave::enter(s, &mut a);
        insure::on_hire(s, env, &mut a);
        let hired = a.hired;
        init::reconstruct(s, &mut a, hired, history);
        a
    }));
    for a in &agents[from..] {
        state.brought_in += a.insurance.pension_account.total() + a.insurance.annuity.total();
        res.hires[a.track as usize] += 1;
    }
}

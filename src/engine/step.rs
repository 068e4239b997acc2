//! The agent phase: one agent, one month. Runs in parallel; touches only the agent and the
//! chunk's aggregates, and draws only from the agent's own streams.

use super::behave::{self, Shared};
use super::env::MonthEnv;
use super::insure;
use super::roll::Visit;
use crate::agent::{Agent, Intent, Status};
use crate::career;
use crate::metrics::MonthAgg;
use crate::scenario::Scenario;

/// Steps one agent; returns whether it states an intent for the resolution phase.
/// `status_quo` is the same month under the statutory rules, given in an evaluation month
/// while a lever is in force. `visit` holds the agent's part of its streams' keys,
/// `shared.seed.agent(a.id)`, hashed once when it joined the run (`roll::Visit`).
///
/// `#[inline]`, as the step of each status and the death draw below: each has one caller, and
/// the agent phase's loop is in another module, which the release profile's codegen units may
/// put apart. Whether they were inlined changed with unrelated edits elsewhere; a build that
/// left them out of line ran 5–7 % more instructions (callgrind, 3,000 and 20,000 staff).
#[inline]
pub fn step(
    s: &Scenario,
    env: &MonthEnv,
    status_quo: Option<&MonthEnv>,
    shared: &Shared,
    visit: Visit,
    a: &mut Agent,
    agg: &mut MonthAgg,
) -> bool {
    debug_assert_eq!(
        visit.key,
        shared.seed.agent(a.id as u64),
        "the key is the agent's"
    );
    match a.status {
        Status::Active => step_active(s, env, status_quo, shared, visit, a, agg),
        Status::Retired => {
            step_retired(env, shared, visit, a, agg);
            false
        }
        Status::Deferred => {
            step_deferred(s, env, shared, visit, a, agg);
            false
        }
        Status::Dead => false,
    }
}

#[inline]
fn dies(env: &MonthEnv, shared: &Shared, visit: Visit, a: &Agent) -> bool {
    let mut d = visit.mortality.draws_in(env.key);
    d.chance(shared.mortality.at(a.is_female(), a.age_months(env.month)))
}

/// Death, whatever the status: the record closes and the accounts go to the heirs.
fn die(env: &MonthEnv, a: &mut Agent, agg: &mut MonthAgg) {
    a.status = Status::Dead;
    a.status_since = env.month;
    insure::on_death(a, agg);
}

#[inline]
fn step_active(
    s: &Scenario,
    env: &MonthEnv,
    status_quo: Option<&MonthEnv>,
    shared: &Shared,
    visit: Visit,
    a: &mut Agent,
    agg: &mut MonthAgg,
) -> bool {
    let (t, key) = (a.track as usize, visit.key);
    if dies(env, shared, visit, a) {
        die(env, a, agg);
        agg.deaths_active[t] += 1;
        return false;
    }
    let retiring = env.month >= a.retire_month;
    earn(s, env, a);
    let individual = insure::contribute(s, env, a, agg);
    agg.active[t] += 1;
    agg.wage[t] += a.wage();
    a.take_home = a.wage() - individual;
    agg.take_home[t] += a.take_home;
    if retiring {
        // The retirement month is still a month of work and contributions; the award is made
        // at its end and paid from its first payment month (`insure::pay_pension`). The post
        // is vacant from the next month, as a leaver's is.
        insure::retire(s, env, a, agg);
        agg.retirements[t] += 1;
        agg.active_by_university[a.university as usize] -= 1;
        a.intent = Intent::None;
        return false;
    }
    if env.evaluate {
        behave::evaluate(s, env, status_quo, shared, a);
    }
    if env.policy.points_bank {
        if env.month.month() == 1 {
            behave::redeem_points(s, shared, a, agg);
        }
        if env.year_end {
            behave::points_year_end(s, a, agg);
        }
    }
    if env.year_end {
        insure::year_end(env, a, agg);
    }
    // In an evaluation month the intent waits for the month's peers (`behave::finish_all`).
    a.intent = if env.evaluate {
        Intent::None
    } else {
        behave::leaving_intent(s, env, key, a)
    };
    a.intent != Intent::None
}

/// Pay for the month: January raises, and the calendar-year wage record behind next year's
/// contribution base.
fn earn(s: &Scenario, env: &MonthEnv, a: &mut Agent) {
    if env.month.month() == 1 {
        if env.january_raise {
            career::annual_raise(s, a, env.wage_growth, env.wage_index);
        }
        if a.wage_year_months > 0 {
            a.prev_year_avg_wage = a.wage_year_sum / a.wage_year_months as i64;
        }
        a.wage_year_sum = 0;
        a.wage_year_months = 0;
    }
    a.wage_year_sum += a.wage();
    a.wage_year_months += 1;
}

#[inline]
fn step_retired(env: &MonthEnv, shared: &Shared, visit: Visit, a: &mut Agent, agg: &mut MonthAgg) {
    let t = a.track as usize;
    if a.status_since != env.month && dies(env, shared, visit, a) {
        die(env, a, agg);
        agg.deaths_retired[t] += 1;
        return;
    }
    if insure::pay_pension(env, a, agg) {
        agg.retired[t] += 1;
    }
}

/// A deferred member: dies, or claims the pension at the statutory month from the paying
/// place (and is paid from the award's first payment month on, staying a deferred member in the outputs, with the month
/// it left as `status_since`), or waits with its accounts earning the book rate.
#[inline]
fn step_deferred(
    s: &Scenario,
    env: &MonthEnv,
    shared: &Shared,
    visit: Visit,
    a: &mut Agent,
    agg: &mut MonthAgg,
) {
    let t = a.track as usize;
    if dies(env, shared, visit, a) {
        die(env, a, agg);
        agg.deaths_deferred[t] += 1;
        return;
    }
    if a.first_pension == 0 && env.month >= a.retire_month {
        let left = a.status_since;
        insure::retire(s, env, a, agg);
        a.status = Status::Deferred;
        a.status_since = left;
        a.retire_month = env.month;
        agg.deferred_claims[t] += 1;
    }
    if a.first_pension > 0 {
        if insure::pay_pension(env, a, agg) {
            agg.retired[t] += 1;
        }
        agg.deferred[t] += 1;
        return;
    }
    insure::deferred_month(env, a, agg);
    if env.year_end {
        insure::year_end(env, a, agg);
    }
}

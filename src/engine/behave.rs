//! The engine's side of perception and behaviour: it builds what `perception` needs from the
//! month's environment (and, while a lever is in force, from the same month under the
//! statutory rules), applies the agent's choices (retirement month, flexible base, voluntary
//! annuity, effort), completes the month's evaluations against the same month's peers, states
//! leaving intents, and runs the points bank.
//!
//! An evaluation month has two passes: each agent's own valuation in the agent phase, then,
//! once all are known, fairness against the peer means of that same month (so a lever that
//! moves everyone's expectations moves the peers' too, and nobody looks behind at its start).

use super::env::{MonthEnv, RegionEnv};
use super::insure::scheme_of;
use crate::agent::{Agent, Intent, Ladder, Track};
use crate::career;
use crate::insurance::params::TransitionalForm;
use crate::insurance::{contributions, retirement, Scheme};
use crate::metrics::{item, MonthAgg, Paid};
use crate::money::{apply_ppm, fen_to_yuan, yuan_to_fen, Fen};
use crate::perception::{self, BaseRule, Context, Rates, Tables};
use crate::policy::PointsUse;
use crate::rng::{chacha, AgentKey, Draws, Purpose, SeedKey};
use crate::scenario::{MonthlyMortality, Scenario};
use crate::time::YearMonth;
use rand::Rng;
use rayon::prelude::*;

/// What every agent's evaluation shares, kept by the engine across months.
pub struct Shared {
    pub tables: Tables,
    /// Monthly death probabilities by age in months.
    pub mortality: MonthlyMortality,
    /// Share of vested points each university can redeem this January (its budget over the
    /// demand of last December, at most 1).
    pub points_factor: Vec<f64>,
    /// Share of the points its staff earn that each university's yearly budget can redeem in
    /// the long run (budget over the yearly points' value, at most 1): what a point is expected
    /// to be worth.
    pub points_share: Vec<f64>,
    /// Frozen behaviour (`Simulation::replaying`): the recorded choices that replace the
    /// agents' own at each evaluation. None in an ordinary run.
    pub replay: Option<std::sync::Arc<super::replay::Book>>,
    /// The run's seed as the first part of every agent's stream keys.
    pub seed: SeedKey,
}

impl Shared {
    pub fn new(s: &Scenario) -> Self {
        Shared {
            tables: Tables::new(s),
            mortality: s.careers.mortality.monthly_table(),
            points_factor: vec![1.0; s.universities.len()],
            points_share: vec![1.0; s.universities.len()],
            replay: None,
            seed: SeedKey::new(s.simulation.seed),
        }
    }
}

/// Peers are the staff of the same university, ladder, rung and age band (age bands of ten
/// years from 30: a replacement rate depends on the years still to work, so colleagues of
/// another generation are no fair comparison).
pub fn peer_slot(a: &Agent, month: YearMonth) -> usize {
    let band = ((a.age_years(month) - 20.0) / 10.0).clamp(0.0, 3.0) as usize;
    ((a.university as usize * 2 + a.ladder as usize) * 4 + a.rung as usize) * 4 + band
}

/// Mean entitled replacement rate of the active, evaluated established staff by peer slot,
/// from each agent's own valuation and from its statutory one: what an established colleague
/// of the same university, title and age can expect. Everyone compares with it, established
/// staff with their own kind and contract and temporary staff across the dual track; the
/// comparison runs upward only (see `perception::shortfall`).
///
/// The scan of the active staff (`staff`: their offsets by chunk, `roll::Roll::staff`) runs
/// in parallel chunks and keeps only the few bytes each peer contributes; the sums then run over those in id order, as one pass would, so the means are
/// the same on any number of threads.
fn peer_tables(
    s: &Scenario,
    month: YearMonth,
    agents: &[Agent],
    staff: &[Vec<u16>],
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let parts: Vec<Vec<(u32, f32, Option<f32>)>> = agents
        .par_chunks(super::CHUNK)
        .zip(staff.par_iter())
        .map(|(chunk, staff)| {
            crate::agent::listed(chunk, staff, crate::agent::FIRST_LINE_AND_PERCEPTION)
                .map(|(_, a)| a)
                .filter(|a| {
                    a.is_active()
                        && a.perception.evaluated
                        && a.track == Track::Establishment
                        && !a.unified
                })
                .map(|a| {
                    let q = &a.perception;
                    let sq = q.status_quo.map(|o| o.entitled_rr);
                    (peer_slot(a, month) as u32, q.entitled_rr, sq)
                })
                .collect()
        })
        .collect();
    let slots = s.universities.len() * 32;
    let mut own = vec![(0.0, 0u64); slots];
    let mut sq = vec![(0.0, 0u64); slots];
    for &(slot, rr, rr_sq) in parts.iter().flatten() {
        let e = &mut own[slot as usize];
        e.0 += rr as f64;
        e.1 += 1;
        if let Some(rr) = rr_sq {
            let e = &mut sq[slot as usize];
            e.0 += rr as f64;
            e.1 += 1;
        }
    }
    let means = |sum: Vec<(f64, u64)>| {
        sum.into_iter()
            .map(|(x, n)| (n > 0).then(|| x / n as f64))
            .collect()
    };
    (means(own), means(sq))
}

/// Preferences and selective-participation enrolment of an agent entering the run, each from
/// its own stream.
pub fn enter(s: &Scenario, a: &mut Agent) {
    a.prefs = perception::draw_prefs(s, a.id, a.effort);
    crate::household::enter(s.simulation.seed, a, a.hired.max(s.simulation.start));
    let e = &s.policy.regional.temporary_enrolment;
    let shares = [
        (item::PENSION, e.pension),
        (item::MEDICAL, e.medical),
        (item::UNEMPLOYMENT, e.unemployment),
        (item::WORK_INJURY, e.work_injury),
        (item::HOUSING_FUND, e.housing_fund),
    ];
    let mut rng = chacha(s.simulation.seed, Purpose::Enrolment, a.id as u64);
    let mut mask = u8::MAX;
    for (i, share) in shares {
        if rng.random::<f64>() >= share {
            mask &= !(1 << i);
        }
    }
    a.enrolled = mask;
}

fn ppm(x: i64) -> f64 {
    x as f64 / 1e6
}

/// The contribution shares behind an agent's projection, under the levers in force.
fn rates_for(s: &Scenario, env: &MonthEnv, r: &RegionEnv, a: &Agent) -> Rates {
    let q = &r.rates;
    let institution = scheme_of(a) == Scheme::Institution;
    let oa = ppm(q.oa_employer_ppm + q.oa_individual_ppm);
    let annuity_share = if institution || a.unified {
        1.0
    } else if a.track == Track::Contract {
        env.policy.contract_annuity
    } else {
        0.0
    };
    let voluntary = a.track == Track::Contract
        && a.opted_in
        && annuity_share == 0.0
        && q.ea_enabled
        && s.universities[a.university as usize].enterprise_annuity;
    let (ea, ea_ind) = if voluntary {
        (
            ppm(q.ea_employer_ppm + q.ea_individual_ppm),
            ppm(q.ea_individual_ppm),
        )
    } else {
        (0.0, 0.0)
    };
    Rates {
        individual_si: ppm(q.pension_individual_ppm
            + q.medical_individual_ppm
            + q.unemployment_individual_ppm)
            + annuity_share * ppm(q.oa_individual_ppm)
            + ea_ind,
        account: ppm(q.pension_individual_ppm),
        annuity: annuity_share * oa + ea,
        transitional_rate: q.transitional_rate,
        deemed_family: institution || q.transitional_form == TransitionalForm::DeemedIndex,
    }
}

/// The wage a base is set on: the previous calendar year's average monthly wage, or the
/// current wage without a full previous year (as `insure` sets bases).
fn base_wage(a: &Agent) -> Fen {
    if a.prev_year_avg_wage > 0 {
        a.prev_year_avg_wage
    } else {
        a.wage()
    }
}

/// How the agent's bases follow from the levers in force (`insure::member_base`'s rules).
fn base_rule(env: &MonthEnv, r: &RegionEnv, a: &Agent) -> BaseRule {
    let p = &env.policy;
    let mut w = base_wage(a) as f64;
    if !p.performance_in_base {
        w *= a.basic_wage as f64 / a.wage().max(1) as f64;
    }
    let early_end = a.work_start.plus_months(p.early_career_months);
    BaseRule {
        wage: fen_to_yuan(w.round() as Fen),
        early_months: if p.early_career_reduction > 0.0 {
            early_end.months_since(env.month).max(0)
        } else {
            0
        },
        early_reduction: p.early_career_reduction,
        floor: fen_to_yuan(r.limits.floor),
        ceiling: fen_to_yuan(r.limits.ceiling),
        flexible_min: p.flexible_base.then_some(p.flexible_min_ratio),
    }
}

/// Individual housing-fund contribution, yuan a month.
fn housing_individual(r: &RegionEnv, a: &Agent) -> f64 {
    let base = contributions::housing_fund_base(base_wage(a), r.average_wage, &r.rates);
    fen_to_yuan(apply_ppm(base, r.rates.housing_individual_ppm))
}

/// Expected points-bank redemptions by retirement, yuan: the points held and those the agent
/// will earn at its effort until it retires, at the share its university's budget can redeem.
fn expected_points(s: &Scenario, env: &MonthEnv, shared: &Shared, a: &Agent) -> f64 {
    if !env.policy.points_bank {
        return 0.0;
    }
    let pb = &s.policy.points_bank;
    let held: f64 = a.points.iter().map(|&p| p as f64).sum();
    let years = a.retire_month.months_since(env.month).max(0) as f64 / 12.0;
    let earned = yearly_points(s, a, a.effort) * years;
    (held + earned) * pb.point_value * shared.points_share[a.university as usize]
}

fn context<'a>(s: &Scenario, env: &MonthEnv, shared: &'a Shared, a: &Agent) -> Context<'a> {
    let r = &env.regions[a.region as usize];
    let points = expected_points(s, env, shared, a);
    let (points_annuity, points_health) = match s.policy.points_bank.use_for {
        PointsUse::Annuity => (points, 0.0),
        PointsUse::Health => {
            let months = a.retire_month.months_since(env.month).max(1) as f64;
            (0.0, points / months)
        }
    };
    Context {
        tables: &shared.tables,
        now: env.month,
        calc_base: fen_to_yuan(r.calc_base),
        average_wage: fen_to_yuan(r.average_wage),
        rates: rates_for(s, env, r, a),
        housing_individual: housing_individual(r, a),
        medical_required_months: r.medical_required[a.is_female() as usize],
        points_annuity,
        points_health,
        bases: base_rule(env, r, a),
    }
}

/// The agent's own part of an evaluation (yearly, or when a lever moves): retirement month,
/// voluntary annuity, flexible base, then its valuation under the levers in force and, when
/// `status_quo` is given (a lever is in force), under the statutory rules. [`finish_all`]
/// completes it once every agent of the month has been valued.
pub fn evaluate(
    s: &Scenario,
    env: &MonthEnv,
    status_quo: Option<&MonthEnv>,
    shared: &Shared,
    a: &mut Agent,
) {
    choose_retirement(s, env, shared, a);
    decide_annuity(s, env, a);
    let ctx = context(s, env, shared, a);
    let months = a.retire_month.months_since(env.month).max(0);
    let plan = match ctx.bases.flexible_min {
        Some(min) => {
            let (first, _, plan) = perception::choose_base(s, a, &ctx, min, months);
            a.base_ratio = first as f32;
            plan
        }
        None => ctx.bases.full(months),
    };
    let mut q = perception::evaluate(s, a, &ctx, &plan);
    q.status_quo = status_quo.map(|sq| {
        let ctx = context(s, sq, shared, a);
        perception::evaluate(s, a, &ctx, &ctx.bases.full(months)).own()
    });
    a.perception = q;
    if let Some(book) = &shared.replay {
        book.freeze_choices(a, env.month);
    }
}

/// Completes the month's evaluations against the same month's peers: fairness, the loss
/// term against the statutory reference, the leaving factor, effort; and, when `intents`,
/// each agent's leaving intent for the resolution phase (indices in id order). `staff` lists
/// the active staff by chunk (`roll::Roll::staff`).
pub fn finish_all(
    s: &Scenario,
    env: &MonthEnv,
    shared: &Shared,
    agents: &mut [Agent],
    staff: &[Vec<u16>],
    intents: bool,
) -> Vec<usize> {
    let (peers, peers_sq) = peer_tables(s, env.month, agents, staff);
    let parts: Vec<Vec<usize>> = agents
        .par_chunks_mut(super::CHUNK)
        .zip(staff.par_iter())
        .enumerate()
        .map(|(c, (chunk, staff))| {
            let mut out = Vec::new();
            for (k, &i) in staff.iter().enumerate() {
                crate::agent::prefetch_ahead(chunk, staff, k, crate::agent::WHOLE);
                let (i, a) = (i as usize, &mut chunk[i as usize]);
                if !a.is_active() || !a.perception.evaluated {
                    continue;
                }
                let slot = peer_slot(a, env.month);
                let q = a.perception;
                let reference = q
                    .status_quo
                    .map(|o| perception::level(s, a, &o, peers_sq[slot]).1);
                a.perception = perception::finish(s, a, &q, peers[slot], reference);
                a.effort = perception::effort(s, a, points_incentive(s, env, shared, a));
                if let Some(book) = &shared.replay {
                    book.freeze_responses(a, env.month);
                }
                if intents {
                    a.intent = leaving_intent(s, env, shared.seed.agent(a.id as u64), a);
                    if a.intent != Intent::None {
                        out.push(c * super::CHUNK + i);
                    }
                }
            }
            out
        })
        .collect();
    parts.concat()
}

/// The evaluation of every active agent at once (the start of a run); `staff` lists them by
/// chunk (`roll::Roll::staff`).
pub fn evaluate_all(
    s: &Scenario,
    env: &MonthEnv,
    shared: &mut Shared,
    agents: &mut [Agent],
    staff: &[Vec<u16>],
) {
    prepare(s, env, shared, agents, staff);
    let sq = (!env.policy.is_statutory()).then(|| env.status_quo(s));
    let shared: &Shared = shared;
    agents
        .par_iter_mut()
        .filter(|a| a.is_active())
        .for_each(|a| {
            a.perception = Default::default();
            evaluate(s, env, sq.as_ref(), shared, a);
        });
    finish_all(s, env, shared, agents, staff, false);
}

/// Before an evaluation month's agent phase: what every evaluation shares (the points a
/// university's budget can redeem).
pub fn prepare(
    s: &Scenario,
    env: &MonthEnv,
    shared: &mut Shared,
    agents: &[Agent],
    staff: &[Vec<u16>],
) {
    if env.policy.points_bank {
        shared.points_share = points_shares(s, agents, staff);
    }
}

/// Each university's long-run redemption share: its yearly budget over the yearly value of
/// the points its active staff earn at their effort, at most 1. In a steady state a budget
/// below demand redeems exactly the budget each year, so that is what a point is worth on
/// average.
fn points_shares(s: &Scenario, agents: &[Agent], staff: &[Vec<u16>]) -> Vec<f64> {
    let pb = &s.policy.points_bank;
    let mut demand = vec![0.0; s.universities.len()];
    let listed = agents
        .chunks(super::CHUNK)
        .zip(staff)
        .flat_map(|(chunk, offsets)| {
            crate::agent::listed(chunk, offsets, crate::agent::FIRST_LINE_ONLY)
        })
        .map(|(_, a)| a);
    for a in listed.filter(|a| a.is_active()) {
        demand[a.university as usize] += yearly_points(s, a, a.effort) * pb.point_value;
    }
    demand
        .into_iter()
        .map(|d| {
            if d <= pb.yearly_budget || d <= 0.0 {
                1.0
            } else {
                pb.yearly_budget / d
            }
        })
        .collect()
}

/// Within three years of the earliest flexible retirement, the agent picks its retirement
/// month once: the earliest month it is eligible for, the statutory month, or a deferral of
/// one, two or three years, by present-biased value with leisure (人社部发〔2024〕94号).
/// Deferral needs the employer's agreement, drawn once with `deferral_consent`.
fn choose_retirement(s: &Scenario, env: &MonthEnv, shared: &Shared, a: &mut Agent) {
    if !s.perception.flexible_retirement || a.retirement_chosen {
        return;
    }
    let rules = &s.insurance.retirement;
    let w = retirement::flexible_window(a.birth, a.sex, a.category, rules);
    if env.month < w.earliest.plus_months(-36) {
        return;
    }
    let months_now = (a.insurance.actual_months + a.insurance.deemed_months) as i32;
    let eligible = |m: YearMonth| {
        let at = months_now + m.months_since(env.month);
        retirement::eligibility(a.birth, a.sex, a.category, m, at, rules).eligible
    };
    let mut d = Draws::new(
        s.simulation.seed,
        a.id as u64,
        Purpose::Retirement,
        env.month.index(),
    );
    let consent = d.chance(s.perception.deferral_consent);
    let mut options: Vec<YearMonth> = [w.earliest, w.statutory]
        .into_iter()
        .filter(|&m| m > env.month && (m >= w.statutory || eligible(m)))
        .collect();
    if consent {
        options.extend(
            (1..=3)
                .map(|y| w.statutory.plus_months(12 * y).min(w.latest))
                .filter(|&m| m > w.statutory && m > env.month),
        );
        options.dedup();
    }
    let ctx = context(s, env, shared, a);
    if let Some(m) = perception::choose_retirement(s, a, &ctx, &options) {
        a.retire_month = m;
    }
    a.retirement_chosen = true;
}

/// Contract staff reconsider a voluntary enterprise annuity each year until they join
/// (joining is sticky: inertia is the norm in pension saving).
fn decide_annuity(s: &Scenario, env: &MonthEnv, a: &mut Agent) {
    let q = &env.regions[a.region as usize].rates;
    let offered = s.universities[a.university as usize].enterprise_annuity && q.ea_enabled;
    if a.opted_in || a.track != Track::Contract || !offered || env.policy.contract_annuity > 0.0 {
        return;
    }
    let p = perception::opt_in_probability(
        s,
        a,
        env.month,
        ppm(q.ea_employer_ppm),
        ppm(q.ea_individual_ppm),
    );
    let mut d = Draws::new(
        s.simulation.seed,
        a.id as u64,
        Purpose::OptIn,
        env.month.index(),
    );
    a.opted_in = d.chance(p);
}

/// Points an agent earns in a year at `effort`: teaching, plus research scaled by the
/// discipline's output level for academic staff.
fn yearly_points(s: &Scenario, a: &Agent, effort: f32) -> f64 {
    let pb = &s.policy.points_bank;
    let research = match a.ladder {
        Ladder::Academic => {
            let level = s
                .population
                .disciplines
                .get(a.discipline as usize)
                .map_or(1.0, |d| d.output_level);
            pb.research_rate * level
        }
        Ladder::Administrative => 0.0,
    };
    (pb.teaching_rate + research) * effort as f64
}

/// The expected yearly redemption of the points an agent of its profile earns, relative to its
/// yearly pay (0 when no points bank is in force).
fn points_incentive(s: &Scenario, env: &MonthEnv, shared: &Shared, a: &Agent) -> f64 {
    if !env.policy.points_bank {
        return 0.0;
    }
    let pay = 12.0 * fen_to_yuan(a.wage()).max(1.0);
    let share = shared.points_share[a.university as usize];
    yearly_points(s, a, 1.0) * s.policy.points_bank.point_value * share / pay
}

/// December: points age a year (those past expiry lapse), this year's are credited, and the
/// demand for redemption is reported to the university's budget.
pub fn points_year_end(s: &Scenario, a: &mut Agent, agg: &mut MonthAgg) {
    let pb = &s.policy.points_bank;
    let keep = (pb.expiry_years as usize).min(a.points.len());
    let n = a.points.len();
    a.points.copy_within(0..n - 1, 1);
    a.points[0] = yearly_points(s, a, a.effort).round() as u32;
    a.points[keep..].iter_mut().for_each(|p| *p = 0);
    let vested: u64 = vested(s, a).iter().map(|&p| p as u64).sum();
    agg.points_demand[a.university as usize] += yuan_to_fen(vested as f64 * pb.point_value);
}

fn vested<'a>(s: &Scenario, a: &'a Agent) -> &'a [u32] {
    let from = (s.policy.points_bank.vesting_years as usize).min(a.points.len());
    &a.points[from..]
}

/// January: vested points are redeemed, oldest first, up to the university's budget share;
/// they buy annuity contributions or health benefits, paid by the university.
pub fn redeem_points(s: &Scenario, shared: &Shared, a: &mut Agent, agg: &mut MonthAgg) {
    let pb = &s.policy.points_bank;
    let factor = shared.points_factor[a.university as usize];
    let total: u64 = vested(s, a).iter().map(|&p| p as u64).sum();
    let mut to_redeem = (total as f64 * factor).floor() as u64;
    let redeemed = to_redeem;
    let from = (pb.vesting_years as usize).min(a.points.len());
    for p in a.points[from..].iter_mut().rev() {
        let take = (*p as u64).min(to_redeem);
        *p -= take as u32;
        to_redeem -= take;
    }
    let amount: Fen = yuan_to_fen(redeemed as f64 * pb.point_value);
    if amount == 0 {
        return;
    }
    match pb.use_for {
        PointsUse::Annuity => {
            a.insurance.annuity.contribute(amount, 0, false);
            agg.annuity_in += amount;
        }
        PointsUse::Health => agg.points_health += amount,
    }
    let mut paid = Paid::default();
    paid.employer[item::POINTS_BANK] = amount;
    agg.add_paid(a.track, a.university as usize, &paid);
}

/// Each university's redemption factor for January: its budget over last December's demand.
pub fn points_factors(s: &Scenario, demand: &[Fen]) -> Vec<f64> {
    let budget = yuan_to_fen(s.policy.points_bank.yearly_budget);
    demand
        .iter()
        .map(|&d| {
            if d <= budget || d == 0 {
                1.0
            } else {
                budget as f64 / d as f64
            }
        })
        .collect()
}

/// Whether the agent leaves this month, and how: the yearly rate of its track, age and tenure
/// times the factor its perception sets (1 unless a lever changed its perception). `key` is
/// the agent's part of its stream keys (`Shared::seed`).
pub fn leaving_intent(s: &Scenario, env: &MonthEnv, key: AgentKey, a: &Agent) -> Intent {
    let mut d = key.draws_in(Purpose::Quit, env.key);
    let factor = if a.perception.evaluated {
        a.perception.quit_factor as f64
    } else {
        1.0
    };
    let yearly = career::quit_rate_in_months(s, a, env.month, env.early_tenure_months) * factor;
    if !career::monthly_event(d.uniform(), yearly) {
        return Intent::None;
    }
    if d.chance(s.careers.move_share) {
        Intent::Move {
            cross_region: d.chance(s.careers.cross_region_share),
        }
    } else {
        Intent::Quit
    }
}

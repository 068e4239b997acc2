//! The engine's side of perception and behaviour: it builds what `perception` needs from the
//! month's environment, applies the agent's choices (retirement month, flexible base, voluntary
//! annuity, effort), runs the points bank, and keeps the peer table that fairness compares to.

use super::env::{MonthEnv, RegionEnv};
use super::insure::{self, scheme_of};
use crate::agent::{Agent, Ladder, Track};
use crate::insurance::params::TransitionalForm;
use crate::insurance::{retirement, Scheme};
use crate::metrics::{item, MonthAgg, Paid};
use crate::money::{fen_to_yuan, yuan_to_fen, Fen};
use crate::perception::{self, Context, Rates, Tables};
use crate::policy::PointsUse;
use crate::rng::{chacha, Draws, Purpose};
use crate::scenario::{MonthlyMortality, Scenario};
use rand::Rng;

/// What every agent's evaluation shares, kept by the engine across months.
pub struct Shared {
    pub tables: Tables,
    /// Monthly death probabilities by age in months.
    pub mortality: MonthlyMortality,
    /// Mean expected replacement rate by peer slot at the last evaluation.
    pub peers: Vec<Option<f64>>,
    /// Share of vested points each university can redeem this January (its budget over the
    /// demand of last December, at most 1).
    pub points_factor: Vec<f64>,
}

impl Shared {
    pub fn new(s: &Scenario) -> Self {
        Shared {
            tables: Tables::new(s),
            mortality: s.careers.mortality.monthly_table(),
            peers: vec![None; s.universities.len() * 8],
            points_factor: vec![1.0; s.universities.len()],
        }
    }
}

/// Peers are the staff of the same university, ladder and rung.
pub fn peer_slot(a: &Agent) -> usize {
    (a.university as usize * 2 + a.ladder as usize) * 4 + a.rung as usize
}

/// Mean expected replacement rate of active, evaluated staff by peer slot (both tracks: the
/// comparison of established and contract staff of the same university and title).
pub fn peer_table(s: &Scenario, agents: &[Agent]) -> Vec<Option<f64>> {
    let mut sum = vec![(0.0, 0u64); s.universities.len() * 8];
    for a in agents
        .iter()
        .filter(|a| a.is_active() && a.perception.evaluated)
    {
        let e = &mut sum[peer_slot(a)];
        e.0 += a.perception.expected_rr as f64;
        e.1 += 1;
    }
    sum.into_iter()
        .map(|(x, n)| (n > 0).then(|| x / n as f64))
        .collect()
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
        individual_total: ppm(q.pension_individual_ppm
            + q.medical_individual_ppm
            + q.unemployment_individual_ppm
            + q.housing_individual_ppm)
            + annuity_share * ppm(q.oa_individual_ppm)
            + ea_ind,
        account: ppm(q.pension_individual_ppm),
        annuity: annuity_share * oa + ea,
        transitional_rate: q.transitional_rate,
        deemed_family: institution || q.transitional_form == TransitionalForm::DeemedIndex,
    }
}

/// Share of the employer's pension contributions that would follow a move.
fn portability(r: &RegionEnv, a: &Agent) -> f64 {
    let q = &r.rates;
    let employer = match scheme_of(a) {
        Scheme::Enterprise => q.pension_enterprise_employer_ppm,
        Scheme::Institution => q.pension_institution_employer_ppm,
    };
    if employer <= 0 {
        return 1.0;
    }
    (q.pooled_transfer_ppm as f64 / employer as f64).min(1.0)
}

/// Yuan value of the points an agent holds.
fn points_value(s: &Scenario, a: &Agent) -> f64 {
    a.points.iter().map(|&p| p as f64).sum::<f64>() * s.policy.points_bank.point_value
}

fn context<'a>(s: &Scenario, env: &MonthEnv, shared: &'a Shared, a: &Agent) -> Context<'a> {
    let r = &env.regions[a.region as usize];
    Context {
        tables: &shared.tables,
        now: env.month,
        calc_base: fen_to_yuan(r.calc_base),
        average_wage: fen_to_yuan(r.average_wage),
        rates: rates_for(s, env, r, a),
        peer_rr: shared.peers[peer_slot(a)],
        medical_required_months: r.medical_required[a.is_female() as usize],
        portability: portability(r, a),
        points_value: points_value(s, a),
    }
}

/// The yearly (or lever-start) evaluation: retirement month, flexible base, voluntary annuity,
/// perception, effort.
pub fn evaluate(s: &Scenario, env: &MonthEnv, shared: &Shared, a: &mut Agent) {
    let r = &env.regions[a.region as usize];
    choose_retirement(s, env, shared, a);
    if env.policy.flexible_base {
        let ctx = context(s, env, shared, a);
        let wage = fen_to_yuan(a.wage());
        a.base_ratio =
            perception::choose_base_ratio(s, a, &ctx, wage, env.policy.flexible_min_ratio) as f32;
    }
    decide_annuity(s, env, a);
    let ctx = context(s, env, shared, a);
    let base = fen_to_yuan(insure::member_base(env, a, r.limits));
    let mut q = perception::evaluate(s, a, &ctx, base);
    q.quit_factor = perception::quit_multiplier(s, &q) as f32;
    a.perception = q;
    a.effort = perception::effort(s, a, points_incentive(s, env, a));
}

/// Within three years of the earliest flexible retirement, the agent picks its retirement
/// month once: the earliest month it is eligible for, the statutory month, or the latest
/// deferral, by present-biased value with leisure (人社部发〔2024〕94号).
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
    let eligible = |m: crate::time::YearMonth| {
        let at = months_now + m.months_since(env.month);
        retirement::eligibility(a.birth, a.sex, a.category, m, at, rules).eligible
    };
    let options: Vec<_> = [w.earliest, w.statutory, w.latest]
        .into_iter()
        .filter(|&m| m > env.month && (m >= w.statutory || eligible(m)))
        .collect();
    let ctx = context(s, env, shared, a);
    let base = fen_to_yuan(a.insurance.base);
    if let Some(m) = perception::choose_retirement(s, a, &ctx, base, &options) {
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

/// The yearly value of the points an agent of its profile earns, relative to its yearly pay
/// (0 when no points bank is in force).
fn points_incentive(s: &Scenario, env: &MonthEnv, a: &Agent) -> f64 {
    if !env.policy.points_bank {
        return 0.0;
    }
    let pay = 12.0 * fen_to_yuan(a.wage()).max(1.0);
    yearly_points(s, a, 1.0) * s.policy.points_bank.point_value / pay
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

/// Rights a move across regions would leave behind, in years of pay: the employer's pension
/// contributions in the current region that the pooled transfer does not carry.
pub fn move_cost_years(env: &MonthEnv, a: &Agent) -> f64 {
    let r = &env.regions[a.region as usize];
    let q = &r.rates;
    let employer = match scheme_of(a) {
        Scheme::Enterprise => q.pension_enterprise_employer_ppm,
        Scheme::Institution => q.pension_institution_employer_ppm,
    };
    let lost =
        ppm((employer - q.pooled_transfer_ppm).max(0)) * fen_to_yuan(a.insurance.pooled_base_sum);
    lost / (12.0 * fen_to_yuan(a.wage()).max(1.0))
}

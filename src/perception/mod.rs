//! Welfare perception and the behaviour it drives.
//!
//! Each agent values its position with a present-biased (β–δ) lifetime utility (CRRA,
//! coefficient γ) over the take-home pay its expected contribution plan leaves it until it
//! retires and the pension that plan buys, expressed as the log of the certainty-equivalent
//! monthly consumption relative to the regional average wage. To that it adds, with scenario
//! weights: perceived unfairness (how far its expected replacement rate at the full base falls
//! short of the mean of its peers of the same university and title, this same month; being
//! ahead adds nothing), security (retiree medical cover on track), and a loss-averse reaction
//! to falling below the perception it would have under the statutory rules (its reference
//! point). Preferences are drawn per agent from the scenario's distributions, with a lower β
//! for young staff.
//!
//! What is not a change for the person is not a change in perception: moves keep contribution
//! years (国办发〔2009〕66号; 人社部规〔2017〕1号), so the share of pooled funds that follows a
//! mover changes nothing an agent perceives; points count at what the yearly budget lets them
//! redeem; an option (the flexible base) is valued at the agent's own best use of it, so it
//! cannot make anyone worse off when it starts.
//!
//! The perception is re-evaluated once a year and in any month a lever's intensity changes;
//! the behaviour it drives (leaving, effort, opting into an enterprise annuity, the chosen base
//! under a flexible scheme, the retirement month within the flexible window) reads it. Expected
//! pensions here are perceptions, not awards: a fast projection in floating point in today's
//! money.

mod choice;
mod params;
mod value;

pub use choice::{choose_base, choose_retirement, effort, opt_in_probability};
pub use params::{Dist, PerceptionParams};
pub use value::{beta, inverse_utility, project, utility, work_weight, Plan, Tables, Valuer};

use crate::agent::Agent;
use crate::rng::{chacha, normal, Purpose};
use crate::scenario::Scenario;
use crate::time::YearMonth;

/// An agent's preferences: standard-normal scores and draws, fixed for life.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prefs {
    /// Score of β within its (age-dependent) distribution.
    pub beta_z: f32,
    pub gamma: f32,
    pub loss_aversion: f32,
    pub leisure: f32,
    /// Effort before incentives (the population's draw).
    pub base_effort: f32,
}

/// Draws an agent's preferences from its own stream, apart from every other draw, so that
/// adding perception leaves the population and the careers of a run unchanged.
pub fn draw_prefs(s: &Scenario, id: u32, base_effort: f32) -> Prefs {
    let p = &s.perception;
    let mut rng = chacha(s.simulation.seed, Purpose::Perception, id as u64);
    Prefs {
        beta_z: normal(&mut rng) as f32,
        gamma: p.gamma.at(normal(&mut rng)) as f32,
        loss_aversion: p.loss_aversion.at(normal(&mut rng)) as f32,
        leisure: p.leisure_value.at(normal(&mut rng)) as f32,
        base_effort,
    }
}

/// What an agent perceives, as of its last evaluation. The field order is the memory layout
/// (`repr(C)`): the two fields every monthly leaving draw reads come first, so that they share
/// a cache line with the end of the agent's insurance record.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[repr(C)]
pub struct Perception {
    /// Multiplier of the leaving hazard that follows from this perception.
    pub quit_factor: f32,
    /// Whether the agent has been evaluated.
    pub evaluated: bool,
    /// The welfare-perception index: log certainty-equivalent consumption relative to the
    /// regional average wage, plus the weighted fairness, security and loss terms.
    pub index: f32,
    /// The index the same agent would have this month under the statutory rules (equal to
    /// `index` when no lever is in force): the reference point of loss aversion and leaving.
    pub reference: f32,
    /// Certainty-equivalent monthly consumption, yuan.
    pub ce: f32,
    /// ln(ce / average wage).
    pub consumption: f32,
    pub fairness: f32,
    pub security: f32,
    /// Expected points-bank redemptions still to come, in years of pay.
    pub points: f32,
    /// Expected monthly pension at the planned retirement along the chosen plan, yuan of today.
    pub expected_pension: f32,
    /// Expected pension / current wage along the chosen plan.
    pub expected_rr: f32,
    /// Expected replacement rate at the full base the rules set (no voluntary reduction):
    /// what fairness compares, so that one's own choice is not felt as unfairness.
    pub entitled_rr: f32,
    /// The index without the loss term.
    pub level: f32,
    /// The agent's own valuation under the statutory rules this month, when a lever is in
    /// force (kept between [`evaluate`] and [`finish`]).
    pub status_quo: Option<Own>,
}

/// The part of a perception that needs neither peers nor a reference.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Own {
    pub consumption: f32,
    pub entitled_rr: f32,
    pub security: f32,
}

impl Perception {
    pub fn own(&self) -> Own {
        Own {
            consumption: self.consumption,
            entitled_rr: self.entitled_rr,
            security: self.security,
        }
    }
}

/// Level of perception of `own` against the peer mean `peer`: consumption, weighted
/// unfairness and security; returns (fairness, level).
pub fn level(s: &Scenario, a: &Agent, own: &Own, peer: Option<f64>) -> (f64, f64) {
    let p = &s.perception;
    let lambda = a.prefs.loss_aversion as f64;
    let fairness = peer.map_or(0.0, |m| shortfall(own.entitled_rr as f64, m, lambda));
    let level = own.consumption as f64
        + p.fairness_weight * fairness
        + p.security_weight * own.security as f64;
    (fairness, level)
}

/// How an agent's future bases follow from the levers in force: the wage its base is set on,
/// the months still to go on a reduced early-career base and the reduction, the statutory
/// limits, and the lowest share of the wage it may choose (flexible scheme).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BaseRule {
    /// Wage the base is set on (performance pay left out where a lever says so), yuan.
    pub wage: f64,
    /// Months from now during which the early-career reduction applies.
    pub early_months: i32,
    pub early_reduction: f64,
    pub floor: f64,
    pub ceiling: f64,
    /// Lowest share of the wage a member may choose; `None`: no choice (statutory base).
    pub flexible_min: Option<f64>,
}

impl BaseRule {
    /// The base at share `ratio` of the wage, reduced early in a career, within the limits
    /// (the order `engine::insure::member_base` applies them).
    pub fn base(&self, ratio: f64, early: bool) -> f64 {
        let mut w = self.wage * ratio;
        if early {
            w *= 1.0 - self.early_reduction;
        }
        w.clamp(self.floor, self.ceiling.max(self.floor))
    }

    /// The bases over `months` months: share `first` of the wage for the coming twelve months
    /// and `later` after, each reduced while the early-career reduction lasts. A reduction
    /// that ends ends in the plan too.
    pub fn plan(&self, first: f64, later: f64, months: i32) -> Plan {
        let mut cuts = [12.min(months), self.early_months.clamp(0, months), months];
        cuts.sort_unstable();
        let mut p = Plan::default();
        let mut prev = 0;
        for end in cuts {
            if end > prev {
                let ratio = if prev < 12 { first } else { later };
                p.push(end, self.base(ratio, prev < self.early_months));
                prev = end;
            }
        }
        p
    }

    /// The plan at the full base the rules set.
    pub fn full(&self, months: i32) -> Plan {
        self.plan(1.0, 1.0, months)
    }
}

/// What the perception of one agent needs besides the agent and the scenario.
pub struct Context<'a> {
    pub tables: &'a Tables,
    pub now: YearMonth,
    /// Calculation base and average wage of the agent's region this month, yuan.
    pub calc_base: f64,
    pub average_wage: f64,
    pub rates: Rates,
    /// Individual housing-fund contribution, yuan a month (on its own base, which no lever
    /// changes).
    pub housing_individual: f64,
    /// Medical months required for retiree cover.
    pub medical_required_months: i32,
    /// Expected points-bank redemptions credited to the annuity by retirement, yuan.
    pub points_annuity: f64,
    /// Expected points-bank health benefits, yuan a month.
    pub points_health: f64,
    pub bases: BaseRule,
}

/// The contribution rates that matter for a projection, as shares of the base.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    /// Individual contributions on the social-insurance base (pension, medical, unemployment,
    /// annuity): what a change of that base changes in take-home pay.
    pub individual_si: f64,
    /// Into the personal pension account.
    pub account: f64,
    /// Into the annuity (employer and individual).
    pub annuity: f64,
    pub transitional_rate: f64,
    /// Whether the transitional pension uses the deemed index (family A).
    pub deemed_family: bool,
}

/// The agent's own valuation of contributing along `plan` (its chosen plan) until its planned
/// retirement: expected pension, certainty equivalent, entitled replacement rate and security.
/// Fairness, the loss term and the leaving factor need the peers and the reference of the same
/// month and are added by [`finish`].
pub fn evaluate(s: &Scenario, a: &Agent, ctx: &Context, plan: &Plan) -> Perception {
    let v = Valuer::new(s, a, ctx);
    let wage = v.wage.max(1.0);
    let pension = project(a, ctx, plan, a.retire_month, ctx.points_annuity);
    let (_, ce) = v.lifetime_value(a, ctx, plan, pension, 0.0, a.retire_month);
    // What the rules give at the full base; points are a reward for output, not a rule.
    let full = ctx.bases.full(plan.months());
    // Most plans are the full base and most runs have no points bank: the same projection.
    let entitled = if full.same_bits(plan) && ctx.points_annuity.to_bits() == 0.0f64.to_bits() {
        pension
    } else {
        project(a, ctx, &full, a.retire_month, 0.0)
    };
    let consumption = (ce / ctx.average_wage.max(1.0)).ln();
    let points = (ctx.points_annuity + ctx.points_health * plan.months() as f64) / (12.0 * wage);
    Perception {
        ce: ce as f32,
        consumption: consumption as f32,
        security: security(a, ctx) as f32,
        points: points as f32,
        expected_pension: pension as f32,
        expected_rr: (pension / wage) as f32,
        entitled_rr: (entitled / wage) as f32,
        evaluated: true,
        ..Perception::default()
    }
}

/// Completes an evaluation with the same month's peer mean `peer` (of entitled replacement
/// rates) and `reference`, the level the agent would have under the statutory rules (`None`
/// when no lever is in force: the reference is the level itself, and leaving is untouched).
pub fn finish(
    s: &Scenario,
    a: &Agent,
    q: &Perception,
    peer: Option<f64>,
    reference: Option<f64>,
) -> Perception {
    let p = &s.perception;
    let lambda = a.prefs.loss_aversion as f64;
    let (fairness, level) = level(s, a, &q.own(), peer);
    let reference = reference.unwrap_or(level);
    let change = (lambda - 1.0) * (level - reference).min(0.0);
    let index = level + p.change_weight * change;
    let quit = (-p.quit_sensitivity * (index - reference))
        .exp()
        .clamp(0.05, 20.0);
    Perception {
        index: index as f32,
        reference: reference as f32,
        fairness: fairness as f32,
        level: level as f32,
        quit_factor: quit as f32,
        ..*q
    }
}

/// Unfairness of replacement rate `own` against the peer mean `peer`: λ times the shortfall,
/// nothing when ahead (falling short of peers lowers satisfaction, being ahead does not raise
/// it: Card, Mas, Moretti & Saez 2012).
pub fn shortfall(own: f64, peer: f64, lambda: f64) -> f64 {
    -lambda * (peer - own).max(0.0)
}

/// Security in [−1, 0]: −1 when retiree medical cover is not on track by the planned
/// retirement.
fn security(a: &Agent, ctx: &Context) -> f64 {
    let months_to_go = a.retire_month.months_since(ctx.now).max(0);
    if a.insurance.medical_months as i32 + months_to_go >= ctx.medical_required_months {
        0.0
    } else {
        -1.0
    }
}

#[cfg(test)]
mod tests;

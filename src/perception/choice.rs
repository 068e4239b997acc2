//! The choices perception drives: the base under a flexible scheme, the retirement month,
//! joining a voluntary annuity, and effort. Each choice maximises the same present-biased
//! lifetime value the perception reports, so a perception with an option is the value of its
//! best use and an option added can never lower it.

use super::value::{project, Valuer};
use super::{Context, Plan};
use crate::agent::Agent;
use crate::scenario::Scenario;
use crate::time::YearMonth;

/// Levels of the flexible base the agent considers: `LEVELS` evenly spaced shares between the
/// lowest allowed and the full wage.
const LEVELS: usize = 5;

/// The flexible base the agent chooses: share `first` of its wage for the coming twelve months
/// and the share `later` it plans for the years after (it chooses again each year, so only
/// `first` is ever applied), the best pair on the grid by present-biased lifetime value (ties:
/// the higher base). Returns (first, later, the plan). Present bias makes `first` fall below
/// `later`: pay now weighs 1, pay and pension later β δ^k.
pub fn choose_base(
    s: &Scenario,
    a: &Agent,
    ctx: &Context,
    min_ratio: f64,
    months: i32,
) -> (f64, f64, Plan) {
    let v = Valuer::new(s, a, ctx);
    let lo = min_ratio.clamp(0.0, 1.0);
    let level = |k: usize| lo + (1.0 - lo) * k as f64 / (LEVELS - 1) as f64;
    let full = ctx.bases.full(months);
    let mut best = (value_of(&v, a, ctx, &full), 1.0, 1.0, full);
    for i in (0..LEVELS).rev() {
        for j in (0..LEVELS).rev() {
            let (first, later) = (level(i), level(j));
            let plan = ctx.bases.plan(first, later, months);
            if plan == best.3 {
                continue;
            }
            let value = value_of(&v, a, ctx, &plan);
            if value > best.0 + 1e-12 {
                best = (value, first, later, plan);
            }
        }
    }
    (best.1, best.2, best.3)
}

fn value_of(v: &Valuer, a: &Agent, ctx: &Context, plan: &Plan) -> f64 {
    let pension = project(a, ctx, plan, a.retire_month, ctx.points_annuity);
    v.lifetime_value(a, ctx, plan, pension, 0.0, a.retire_month)
        .0
}

/// The retirement month among `options` (earliest first) with the highest present-biased
/// value of pay until then and pension plus leisure after (ties: the earlier).
pub fn choose_retirement(
    s: &Scenario,
    a: &Agent,
    ctx: &Context,
    options: &[YearMonth],
) -> Option<YearMonth> {
    let v = Valuer::new(s, a, ctx);
    let leisure = a.prefs.leisure as f64 * v.wage;
    let mut best: Option<(f64, YearMonth)> = None;
    for &r in options {
        let plan = ctx.bases.full(r.months_since(ctx.now).max(0));
        let pension = project(a, ctx, &plan, r, ctx.points_annuity);
        let (value, _) = v.lifetime_value(a, ctx, &plan, pension, leisure, r);
        if best.is_none_or(|(b, _)| value > b + 1e-12) {
            best = Some((value, r));
        }
    }
    best.map(|b| b.1)
}

/// Probability of joining a voluntary annuity with these employer and individual rates: the
/// present-biased value of what goes in against what leaves pay now.
pub fn opt_in_probability(
    s: &Scenario,
    a: &Agent,
    now: YearMonth,
    employer: f64,
    individual: f64,
) -> f64 {
    if individual <= 0.0 {
        return 1.0;
    }
    let years = a.retire_month.months_since(now).max(0) as f64 / 12.0;
    let gain = super::beta(s, a, now) * s.perception.delta.powf(years) * (employer + individual)
        / individual
        - 1.0;
    1.0 / (1.0 + (-s.perception.opt_in_slope * gain).exp())
}

/// Effort after incentives: the points bank's expected yearly redemption relative to pay
/// raises it, perceived unfairness lowers it.
pub fn effort(s: &Scenario, a: &Agent, points_incentive: f64) -> f32 {
    let p = &s.perception;
    let fair = (a.perception.fairness as f64).min(0.0);
    let e = a.prefs.base_effort as f64
        * (1.0 + p.effort_points_elasticity * points_incentive.max(0.0))
        * (1.0 + p.effort_fairness_elasticity * fair).max(0.2);
    e.clamp(0.2, 3.0) as f32
}

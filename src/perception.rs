//! Welfare perception and the behaviour it drives.
//!
//! Each agent values its position with a present-biased (β–δ) lifetime utility over take-home
//! pay until retirement and the pension it expects after (CRRA, coefficient γ), expressed as the
//! certainty-equivalent monthly consumption relative to the regional average wage. To that it
//! adds, with scenario weights: perceived fairness (its expected replacement rate against its
//! peers of the same university and title, loss-averse: falling short weighs λ times more than
//! being ahead), security (retiree medical cover on track; how much of its pension rights would
//! follow it on a move), the points it holds in a points bank, and a loss-averse reaction to a
//! fall from its own previous perception. Preferences are drawn per agent from the scenario's
//! distributions, with a lower β for young staff.
//!
//! The perception is re-evaluated once a year and in any month a lever's intensity changes
//! (its start and each month of a phase-in); the behaviour
//! it drives (leaving and moving, effort, opting into an enterprise annuity, the chosen base
//! under a flexible scheme, the retirement month within the flexible window) reads it.
//!
//! Expected pensions here are perceptions, not awards: a fast projection in floating point in
//! today's money, with the current calculation base, the current position relative to the
//! average wage and today's rules (`insurance::benefit::award` computes the real award).

use crate::agent::Agent;
use crate::rng::{chacha, normal, Purpose};
use crate::scenario::catalog::{Allowed, Certainty, Issue, KeyDoc};
use crate::scenario::{Mortality, Scenario};
use crate::time::{Months, YearMonth};
use serde::{Deserialize, Serialize};

/// A normal distribution truncated to `[min, max]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dist {
    pub mean: f64,
    pub sd: f64,
    pub min: f64,
    pub max: f64,
}

impl Dist {
    const fn new(mean: f64, sd: f64, min: f64, max: f64) -> Self {
        Dist { mean, sd, min, max }
    }

    /// The value at standard-normal score `z`.
    pub fn at(&self, z: f64) -> f64 {
        (self.mean + self.sd * z).clamp(self.min, self.max)
    }
}

/// `[perception]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PerceptionParams {
    /// Calendar month of the yearly re-evaluation.
    pub month: u32,
    /// Present bias β of staff from `young_age` on, and of younger staff.
    pub beta: Dist,
    pub beta_young: Dist,
    /// Staff under this age use `beta_young`.
    pub young_age: f64,
    /// Yearly discount factor δ.
    pub delta: f64,
    /// CRRA coefficient γ (1 = log utility).
    pub gamma: Dist,
    /// Loss aversion λ: a shortfall weighs λ times an equal gain.
    pub loss_aversion: Dist,
    /// Weight of perceived fairness (replacement-rate gap to peers, in replacement-rate units).
    pub fairness_weight: f64,
    /// Weight of security (medical cover on track, portability of rights).
    pub security_weight: f64,
    /// Weight of points-bank holdings (log of one plus their value in years of pay).
    pub points_weight: f64,
    /// Weight of the reaction to a fall from one's previous perception (the extra pain of a
    /// loss beyond its level effect).
    pub change_weight: f64,
    /// Leaving: the yearly hazard is multiplied by exp(−quit_sensitivity × change of
    /// perception since entry).
    pub quit_sensitivity: f64,
    /// Moving: the chance that a leaver moves is multiplied by exp(−move_cost_sensitivity ×
    /// rights lost on a move, in years of pay).
    pub move_cost_sensitivity: f64,
    /// Effort: elasticity to the points-bank incentive (points' yearly value / yearly pay).
    pub effort_points_elasticity: f64,
    /// Effort: elasticity to perceived unfairness (negative fairness lowers effort).
    pub effort_fairness_elasticity: f64,
    /// Opting into an enterprise annuity: logistic slope on the net present-biased gain.
    pub opt_in_slope: f64,
    /// Retirement timing: value of a month of leisure, as a share of the monthly wage.
    pub leisure_value: Dist,
    /// Whether agents choose their retirement month within the flexible window.
    pub flexible_retirement: bool,
}

impl Default for PerceptionParams {
    fn default() -> Self {
        PerceptionParams {
            month: 1,
            beta: Dist::new(0.75, 0.08, 0.3, 1.0),
            beta_young: Dist::new(0.6, 0.1, 0.3, 1.0),
            young_age: 35.0,
            delta: 0.96,
            gamma: Dist::new(2.0, 0.4, 1.0, 4.0),
            loss_aversion: Dist::new(2.25, 0.3, 1.0, 4.0),
            fairness_weight: 1.0,
            security_weight: 0.2,
            points_weight: 1.0,
            change_weight: 1.0,
            quit_sensitivity: 3.0,
            move_cost_sensitivity: 1.0,
            effort_points_elasticity: 0.5,
            effort_fairness_elasticity: 0.3,
            opt_in_slope: 4.0,
            leisure_value: Dist::new(0.25, 0.1, 0.0, 1.0),
            flexible_retirement: true,
        }
    }
}

impl PerceptionParams {
    /// Docs of every key, paths relative to `perception`.
    pub fn key_docs() -> Vec<KeyDoc> {
        use Allowed as A;
        let k = KeyDoc::new;
        let laibson = "Laibson 1997; Laibson–Repetto–Tobacman calibration (DOMAIN.md §7)";
        let mut v = vec![k(
            "month",
            "month",
            A::integer(1, 12),
            "Calendar month of the yearly re-evaluation of perceptions.",
        )];
        let dists: [(&str, &'static str, &'static str, Certainty); 5] = [
            ("beta", "Present bias β of staff at or above young_age.", laibson, Certainty::M),
            ("beta_young", "Present bias β of staff under young_age (the young who would rather contribute less, Chinese source document §2.1).", "modelling choice; no direct measurement (DOMAIN.md §7)", Certainty::U),
            ("gamma", "CRRA coefficient γ of consumption utility (1 = log).", "DOMAIN.md §7 (γ ∈ [1, 3])", Certainty::M),
            ("loss_aversion", "Loss aversion λ: a shortfall weighs λ times an equal gain.", "Tversky & Kahneman 1992 (λ ≈ 2.25)", Certainty::M),
            ("leisure_value", "Value of a month of retirement leisure, share of the monthly wage (retirement timing).", "model", Certainty::Model),
        ];
        for (name, doc, src, cert) in dists {
            v.push(k(&format!("{name}.mean"), "", A::number(0.0, 10.0), doc).source(src, cert));
            v.push(k(
                &format!("{name}.sd"),
                "",
                A::number(0.0, 10.0),
                "Standard deviation across agents.",
            ));
            v.push(k(
                &format!("{name}.min"),
                "",
                A::number(0.0, 10.0),
                "Lowest value drawn.",
            ));
            v.push(k(
                &format!("{name}.max"),
                "",
                A::number(0.0, 10.0),
                "Highest value drawn.",
            ));
        }
        v.extend([
            k("young_age", "years", A::number(16.0, 70.0), "Staff under this age draw β from beta_young."),
            k("delta", "per year", A::number(0.5, 1.0), "Yearly discount factor δ.").source(laibson, Certainty::M),
            k("fairness_weight", "", A::number(0.0, 100.0), "Weight of perceived fairness: the expected replacement-rate gap to peers of the same university and title."),
            k("security_weight", "", A::number(0.0, 100.0), "Weight of security: retiree medical cover on track, and the share of pension rights that follow a move."),
            k("points_weight", "", A::number(0.0, 100.0), "Weight of points-bank holdings."),
            k("change_weight", "", A::number(0.0, 100.0), "Weight of the extra pain of a fall from one's previous perception (loss-averse reference point)."),
            k("quit_sensitivity", "", A::number(0.0, 100.0), "How strongly the leaving hazard falls as perception rises above its level at entry."),
            k("move_cost_sensitivity", "", A::number(0.0, 100.0), "How strongly the rights lost on a move (in years of pay) deter moving."),
            k("effort_points_elasticity", "", A::number(0.0, 10.0), "Elasticity of effort to the points-bank incentive."),
            k("effort_fairness_elasticity", "", A::number(0.0, 10.0), "Elasticity of effort to perceived unfairness."),
            k("opt_in_slope", "", A::number(0.0, 100.0), "Slope of the logistic choice to join a voluntary enterprise annuity."),
            k("flexible_retirement", "", A::Bool, "Whether agents choose their retirement month within the flexible window (人社部发〔2024〕94号)."),
        ]);
        v
    }

    /// Cross-field checks; `path` is `perception`.
    pub fn check(&self, path: &str, out: &mut Vec<Issue>) {
        for (name, d) in [
            ("beta", &self.beta),
            ("beta_young", &self.beta_young),
            ("gamma", &self.gamma),
            ("loss_aversion", &self.loss_aversion),
            ("leisure_value", &self.leisure_value),
        ] {
            if d.min > d.max {
                out.push(Issue::new(
                    format!("{path}.{name}.min"),
                    format!("min {} is above max {}", d.min, d.max),
                ));
            }
        }
        if self.gamma.min < 0.1 {
            out.push(Issue::new(
                format!("{path}.gamma.min"),
                "γ must stay at least 0.1 for utility to be defined",
            ));
        }
    }
}

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

/// What an agent perceives, as of its last evaluation.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Perception {
    /// The welfare-perception index: log certainty-equivalent consumption relative to the
    /// regional average wage, plus the weighted fairness, security, points and change terms.
    pub index: f32,
    /// The index at the agent's first evaluation (the reference of behaviour).
    pub at_entry: f32,
    /// Certainty-equivalent monthly consumption, yuan.
    pub ce: f32,
    pub fairness: f32,
    pub security: f32,
    pub points: f32,
    /// Expected monthly pension at the planned retirement, yuan of today.
    pub expected_pension: f32,
    /// Expected pension / current wage.
    pub expected_rr: f32,
    /// The index without the change term (the reference point of the next evaluation).
    pub level: f32,
    /// Multiplier of the leaving hazard that follows from this perception
    /// ([`quit_multiplier`]).
    pub quit_factor: f32,
    /// Whether the agent has been evaluated.
    pub evaluated: bool,
}

/// Tables a whole run shares: divisors by age, life annuities by age and sex.
pub struct Tables {
    /// Divisor by age in months from 40y0m to 75y11m.
    divisor: Vec<f64>,
    /// Σ δ^k S_k over remaining years of life, by sex and age in years 40..=80.
    life: Vec<[f64; 2]>,
}

const TABLE_FROM: i32 = 40;

impl Tables {
    pub fn new(s: &Scenario) -> Self {
        let b = &s.insurance.benefit;
        let divisor = (TABLE_FROM * 12..76 * 12)
            .map(|m| crate::insurance::divisor::divisor_f64(Months(m), b))
            .collect();
        let life = (TABLE_FROM..=80)
            .map(|age| {
                [
                    life_years(&s.careers.mortality, false, age, s.perception.delta),
                    life_years(&s.careers.mortality, true, age, s.perception.delta),
                ]
            })
            .collect();
        Tables { divisor, life }
    }

    fn divisor(&self, age_months: i32) -> f64 {
        let i = (age_months - TABLE_FROM * 12).clamp(0, self.divisor.len() as i32 - 1);
        self.divisor[i as usize].max(1.0)
    }

    fn life(&self, female: bool, age_months: i32) -> f64 {
        let i = (age_months / 12 - TABLE_FROM).clamp(0, self.life.len() as i32 - 1);
        self.life[i as usize][female as usize]
    }
}

/// Expected discounted years of life from `age`: Σ δ^k × survival to year k.
fn life_years(m: &Mortality, female: bool, age: i32, delta: f64) -> f64 {
    let (mut alive, mut sum, mut d) = (1.0, 0.0, 1.0);
    for a in age..110 {
        sum += alive * d;
        alive *= 1.0 - m.yearly(female, a as f64);
        d *= delta;
    }
    sum
}

/// What the perception of one agent needs besides the agent and the scenario.
pub struct Context<'a> {
    pub tables: &'a Tables,
    pub now: YearMonth,
    /// Calculation base and average wage of the agent's region this month, yuan.
    pub calc_base: f64,
    pub average_wage: f64,
    pub rates: Rates,
    /// Mean expected replacement rate of the agent's peers (same university and title) at the
    /// last evaluation; `None` before the first.
    pub peer_rr: Option<f64>,
    /// Medical months required for retiree cover.
    pub medical_required_months: i32,
    /// Share of the employer's pension contributions that follow a move.
    pub portability: f64,
    /// Yuan value of the points the agent holds.
    pub points_value: f64,
}

/// The contribution rates that matter for a projection, as shares of the base.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    /// Individual contributions of all insurances (what leaves take-home pay).
    pub individual_total: f64,
    /// Into the personal pension account.
    pub account: f64,
    /// Into the annuity (employer and individual).
    pub annuity: f64,
    pub transitional_rate: f64,
    /// Whether the transitional pension uses the deemed index (family A).
    pub deemed_family: bool,
}

/// The monthly pension (yuan of today) the agent expects if it contributes on `base` (yuan a
/// month) until it retires in `retire`.
pub fn project(a: &Agent, ctx: &Context, base: f64, retire: YearMonth) -> f64 {
    project_split(a, ctx, base, base, retire)
}

/// The same with `base_year` for the coming twelve months and `base_later` after: what a
/// member weighs when it chooses this year's base, knowing it chooses again next year.
pub fn project_split(
    a: &Agent,
    ctx: &Context,
    base_year: f64,
    base_later: f64,
    retire: YearMonth,
) -> f64 {
    let ins = &a.insurance;
    let t = retire.months_since(ctx.now).max(0) as f64;
    let first = t.min(12.0);
    let paid = first * base_year + (t - first) * base_later;
    let base = paid / t.max(1.0);
    let actual = ins.actual_months as f64 + t;
    let deemed = ins.deemed_months as f64;
    let months = actual + deemed;
    let index_actual = (ins.index_sum + paid / ctx.average_wage.max(1.0)) / actual.max(1.0);
    let index = (ins.deemed_index * deemed + index_actual * actual) / months.max(1.0);
    let c = ctx.calc_base;
    let basic = c * (1.0 + index) / 2.0 * months / 12.0 * 0.01;
    let divisor = ctx.tables.divisor(retire.months_since(a.birth));
    let account = fen_to_yuan(ins.pension_account.total()) + t * base * ctx.rates.account;
    let annuity = fen_to_yuan(ins.annuity.total()) + t * base * ctx.rates.annuity;
    let transitional = if ctx.rates.deemed_family {
        c * ins.deemed_index * deemed / 12.0 * ctx.rates.transitional_rate
    } else {
        c * (1.0 + index) / 2.0 * ins.pre_account_months as f64 / 12.0 * ctx.rates.transitional_rate
    };
    basic + (account + annuity) / divisor + transitional
}

/// CRRA utility of consumption `c` (in units of the average wage).
fn utility(c: f64, gamma: f64) -> f64 {
    let c = c.max(1e-3);
    if (gamma - 1.0).abs() < 1e-9 {
        c.ln()
    } else {
        c.powf(1.0 - gamma) / (1.0 - gamma)
    }
}

fn inverse_utility(u: f64, gamma: f64) -> f64 {
    if (gamma - 1.0).abs() < 1e-9 {
        u.exp()
    } else {
        ((1.0 - gamma) * u).max(1e-12).powf(1.0 / (1.0 - gamma))
    }
}

/// β at the agent's current age: young staff draw from `beta_young`.
pub fn beta(s: &Scenario, a: &Agent, now: YearMonth) -> f64 {
    let p = &s.perception;
    let d = if a.age_years(now) < p.young_age {
        &p.beta_young
    } else {
        &p.beta
    };
    d.at(a.prefs.beta_z as f64)
}

/// Present-biased lifetime value of taking home `take_home` a month until `retire` and then
/// living on `pension` plus the value of leisure `leisure` (all yuan a month), with its
/// certainty-equivalent monthly consumption in yuan.
pub fn lifetime_value(
    s: &Scenario,
    a: &Agent,
    ctx: &Context,
    take_home: f64,
    pension: f64,
    leisure: f64,
    retire: YearMonth,
) -> (f64, f64) {
    let gamma = a.prefs.gamma as f64;
    let delta = s.perception.delta;
    let aw = ctx.average_wage.max(1.0);
    let b = beta(s, a, ctx.now);
    let years = (retire.months_since(ctx.now).max(0) as f64 / 12.0).ceil() as i32;
    // 1 + β Σ_{k=1}^{years−1} δ^k, in closed form.
    let tail = if (1.0 - delta).abs() < 1e-12 {
        (years - 1).max(0) as f64
    } else {
        delta * (1.0 - delta.powi((years - 1).max(0))) / (1.0 - delta)
    };
    let work = 1.0 + b * tail;
    let work = if years == 0 { 0.0 } else { work };
    let discount = if years == 0 {
        1.0
    } else {
        b * delta.powi(years)
    };
    let retired = discount * ctx.tables.life(a.is_female(), retire.months_since(a.birth));
    let value =
        utility(take_home / aw, gamma) * work + utility((pension + leisure) / aw, gamma) * retired;
    let weight = (work + retired).max(1e-9);
    (value, inverse_utility(value / weight, gamma) * aw)
}

/// The agent's perception now, given its planned retirement month and base.
pub fn evaluate(s: &Scenario, a: &Agent, ctx: &Context, base: f64) -> Perception {
    let p = &s.perception;
    let wage = fen_to_yuan(a.wage());
    let pension = project(a, ctx, base, a.retire_month);
    let take_home = wage - base * ctx.rates.individual_total;
    let (_, ce) = lifetime_value(s, a, ctx, take_home, pension, 0.0, a.retire_month);
    let rr = pension / wage.max(1.0);
    let lambda = a.prefs.loss_aversion as f64;
    let fairness = ctx
        .peer_rr
        .map_or(0.0, |peer| loss_averse(rr - peer, lambda));
    let security = security(a, ctx);
    let points = (1.0 + ctx.points_value / (12.0 * wage.max(1.0))).ln();
    let level = (ce / ctx.average_wage.max(1.0)).ln()
        + p.fairness_weight * fairness
        + p.security_weight * security
        + p.points_weight * points;
    let previous = a.perception;
    let change = if previous.evaluated {
        // The level effect of a fall is already in `level`; loss aversion adds (λ − 1) of it.
        (lambda - 1.0) * (level - previous.level as f64).min(0.0)
    } else {
        0.0
    };
    let index = level + p.change_weight * change;
    Perception {
        index: index as f32,
        at_entry: if previous.evaluated {
            previous.at_entry
        } else {
            index as f32
        },
        ce: ce as f32,
        fairness: fairness as f32,
        security: security as f32,
        points: points as f32,
        expected_pension: pension as f32,
        expected_rr: rr as f32,
        level: level as f32,
        quit_factor: 1.0,
        evaluated: true,
    }
}

/// A gain counts once, a shortfall λ times.
pub fn loss_averse(gap: f64, lambda: f64) -> f64 {
    if gap >= 0.0 {
        gap
    } else {
        lambda * gap
    }
}

/// Security in [−2, 0]: −1 when retiree medical cover is not on track by the planned
/// retirement, minus the share of employer pension contributions a move would leave behind.
fn security(a: &Agent, ctx: &Context) -> f64 {
    let months_to_go = a.retire_month.months_since(ctx.now).max(0);
    let medical = if a.insurance.medical_months as i32 + months_to_go >= ctx.medical_required_months
    {
        0.0
    } else {
        -1.0
    };
    medical - (1.0 - ctx.portability.clamp(0.0, 1.0))
}

fn fen_to_yuan(f: crate::money::Fen) -> f64 {
    crate::money::fen_to_yuan(f)
}

/// Multiplier of the leaving hazard: falls as perception rises above its level at entry.
pub fn quit_multiplier(s: &Scenario, q: &Perception) -> f64 {
    let d = (q.index - q.at_entry) as f64;
    (-s.perception.quit_sensitivity * d).exp().clamp(0.05, 20.0)
}

/// Multiplier of the chance that a leaver moves (rather than leaves academia): falls with the
/// pension rights a move leaves behind, in years of pay.
pub fn move_multiplier(s: &Scenario, lost_years_of_pay: f64) -> f64 {
    (-s.perception.move_cost_sensitivity * lost_years_of_pay.max(0.0)).exp()
}

/// Effort after incentives: the points bank's yearly value relative to pay raises it,
/// perceived unfairness lowers it.
pub fn effort(s: &Scenario, a: &Agent, points_incentive: f64) -> f32 {
    let p = &s.perception;
    let fair = (a.perception.fairness as f64).min(0.0);
    let e = a.prefs.base_effort as f64
        * (1.0 + p.effort_points_elasticity * points_incentive.max(0.0))
        * (1.0 + p.effort_fairness_elasticity * fair).max(0.2);
    e.clamp(0.2, 3.0) as f32
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
    let years = (a.retire_month.months_since(now).max(0) as f64 / 12.0).ceil() as i32;
    let gain = beta(s, a, now) * s.perception.delta.powi(years) * (employer + individual)
        / individual
        - 1.0;
    1.0 / (1.0 + (-s.perception.opt_in_slope * gain).exp())
}

/// The base share of the wage the agent chooses this year under a flexible scheme: the best
/// of five levels between `min_ratio` and 1 (ties: the higher base). What a lower base buys,
/// pay now, counts in full; what it costs, a smaller pension, counts at β δ^T. Later years'
/// bases are chosen again later, so they weigh the same for every level and drop out.
pub fn choose_base_ratio(s: &Scenario, a: &Agent, ctx: &Context, wage: f64, min_ratio: f64) -> f64 {
    let gamma = a.prefs.gamma as f64;
    let aw = ctx.average_wage.max(1.0);
    let years = (a.retire_month.months_since(ctx.now).max(0) as f64 / 12.0).ceil() as i32;
    let retired = beta(s, a, ctx.now)
        * s.perception.delta.powi(years.max(1))
        * ctx
            .tables
            .life(a.is_female(), a.retire_month.months_since(a.birth));
    let lo = min_ratio.clamp(0.0, 1.0);
    let mut best = (f64::NEG_INFINITY, 1.0);
    for k in (0..5).rev() {
        let ratio = lo + (1.0 - lo) * k as f64 / 4.0;
        let base = wage * ratio;
        let pension = project_split(a, ctx, base, wage, a.retire_month);
        let now = utility((wage - base * ctx.rates.individual_total) / aw, gamma);
        let value = now + retired * utility(pension / aw, gamma);
        if value > best.0 + 1e-12 {
            best = (value, ratio);
        }
    }
    best.1
}

/// The retirement month among `options` (earliest first) with the highest present-biased
/// value of pay until then and pension plus leisure after (ties: the earlier).
pub fn choose_retirement(
    s: &Scenario,
    a: &Agent,
    ctx: &Context,
    base: f64,
    options: &[YearMonth],
) -> Option<YearMonth> {
    let wage = fen_to_yuan(a.wage());
    let take_home = wage - base * ctx.rates.individual_total;
    let leisure = a.prefs.leisure as f64 * wage;
    let mut best: Option<(f64, YearMonth)> = None;
    for &r in options {
        let pension = project(a, ctx, base, r);
        let (value, _) = lifetime_value(s, a, ctx, take_home, pension, leisure, r);
        if best.is_none_or(|(v, _)| value > v + 1e-12) {
            best = Some((value, r));
        }
    }
    best.map(|b| b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Scenario, Agent, Tables) {
        let mut s = Scenario::default();
        s.simulation.agents = 1;
        let mut a = crate::population::synthetic(&s).remove(0);
        a.retire_month = YearMonth::ym(2050, 1);
        a.prefs = draw_prefs(&s, 0, 1.0);
        let t = Tables::new(&s);
        (s, a, t)
    }

    fn ctx(t: &Tables) -> Context<'_> {
        Context {
            tables: t,
            now: YearMonth::ym(2025, 1),
            calc_base: 8_462.0,
            average_wage: 7_646.0,
            rates: Rates {
                individual_total: 0.23,
                account: 0.08,
                annuity: 0.0,
                transitional_rate: 0.013,
                deemed_family: true,
            },
            peer_rr: None,
            medical_required_months: 180,
            portability: 0.75,
            points_value: 0.0,
        }
    }

    #[test]
    fn utility_and_its_inverse_agree() {
        for gamma in [1.0, 2.0, 3.5] {
            for c in [0.3, 1.0, 2.7] {
                assert!((inverse_utility(utility(c, gamma), gamma) - c).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn loss_aversion_weighs_shortfalls_more() {
        assert_eq!(loss_averse(0.1, 2.25), 0.1);
        assert!((loss_averse(-0.1, 2.25) + 0.225).abs() < 1e-12);
    }

    #[test]
    fn a_higher_base_raises_the_expected_pension_and_lowers_take_home() {
        let (_, a, t) = setup();
        let c = ctx(&t);
        let low = project(&a, &c, 5_000.0, a.retire_month);
        let high = project(&a, &c, 10_000.0, a.retire_month);
        assert!(high > low && low > 0.0);
    }

    #[test]
    fn present_bias_lowers_the_chosen_base() {
        let (mut s, mut a, t) = setup();
        let c = ctx(&t);
        let wage = 10_000.0;
        s.perception.beta = Dist::new(1.0, 0.0, 0.0, 1.0);
        s.perception.beta_young = Dist::new(1.0, 0.0, 0.0, 1.0);
        a.prefs.beta_z = 0.0;
        let patient = choose_base_ratio(&s, &a, &c, wage, 0.6);
        s.perception.beta = Dist::new(0.3, 0.0, 0.0, 1.0);
        s.perception.beta_young = Dist::new(0.3, 0.0, 0.0, 1.0);
        let impatient = choose_base_ratio(&s, &a, &c, wage, 0.6);
        assert!(
            impatient < patient,
            "β 0.3 chooses {impatient}, β 1 chooses {patient}"
        );
    }

    #[test]
    fn perception_rises_with_the_expected_pension_and_falls_with_unfairness() {
        let (s, a, t) = setup();
        let mut c = ctx(&t);
        let base = evaluate(&s, &a, &c, 8_000.0);
        c.rates.annuity = 0.12;
        let richer = evaluate(&s, &a, &c, 8_000.0);
        assert!(richer.expected_pension > base.expected_pension);
        assert!(richer.index > base.index);
        c.peer_rr = Some(richer.expected_rr as f64 + 0.2);
        let unfair = evaluate(&s, &a, &c, 8_000.0);
        assert!(unfair.fairness < 0.0 && unfair.index < richer.index);
    }

    #[test]
    fn impatience_lowers_annuity_take_up() {
        let (mut s, a, _) = setup();
        let now = YearMonth::ym(2025, 1);
        s.perception.beta = Dist::new(0.9, 0.0, 0.0, 1.0);
        s.perception.beta_young = Dist::new(0.9, 0.0, 0.0, 1.0);
        let patient = opt_in_probability(&s, &a, now, 0.08, 0.04);
        s.perception.beta = Dist::new(0.4, 0.0, 0.0, 1.0);
        s.perception.beta_young = Dist::new(0.4, 0.0, 0.0, 1.0);
        let impatient = opt_in_probability(&s, &a, now, 0.08, 0.04);
        assert!(impatient < patient);
    }
}

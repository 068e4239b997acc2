//! `[perception]`: the behavioural parameters, their key docs and cross-field checks.

use crate::scenario::catalog::{Allowed, Certainty, Issue, KeyDoc};
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
    pub const fn new(mean: f64, sd: f64, min: f64, max: f64) -> Self {
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
    /// Weight of perceived unfairness (shortfall of one's replacement rate below peers').
    pub fairness_weight: f64,
    /// Weight of security (retiree medical cover on track).
    pub security_weight: f64,
    /// Weight of the extra pain of a loss against the status-quo reference.
    pub change_weight: f64,
    /// Leaving: the yearly hazard is multiplied by exp(−quit_sensitivity × the change of
    /// perception the levers in force cause).
    pub quit_sensitivity: f64,
    /// Effort: elasticity to the points-bank incentive (expected yearly redemption / pay).
    pub effort_points_elasticity: f64,
    /// Effort: elasticity to perceived unfairness (negative fairness lowers effort).
    pub effort_fairness_elasticity: f64,
    /// Opting into an enterprise annuity: logistic slope on the net present-biased gain.
    pub opt_in_slope: f64,
    /// Retirement timing: value of a month of leisure, as a share of the monthly wage.
    pub leisure_value: Dist,
    /// Whether agents choose their retirement month within the flexible window.
    pub flexible_retirement: bool,
    /// Share of requests to defer retirement that the employer agrees to.
    pub deferral_consent: f64,
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
            fairness_weight: 0.5,
            security_weight: 0.2,
            change_weight: 1.0,
            quit_sensitivity: 2.5,
            effort_points_elasticity: 0.5,
            effort_fairness_elasticity: 0.3,
            opt_in_slope: 4.0,
            leisure_value: Dist::new(0.3, 0.15, 0.0, 1.0),
            flexible_retirement: true,
            deferral_consent: 0.5,
        }
    }
}

/// Sources cited by the key docs.
pub const LAIBSON: &str = "Laibson (1997), Golden Eggs and Hyperbolic Discounting, QJE 112(2) 443-477; Laibson, Repetto & Tobacman (2007), Estimating Discount Functions with Consumption Choices over the Lifecycle, NBER WP 13314 (β ≈ 0.7, δ ≈ 0.96)";
pub const CARD: &str = "Card, Mas, Moretti & Saez (2012), Inequality at Work: The Effect of Peer Salaries on Job Satisfaction, AER 102(6) 2981-3003 (only falling short of peers matters)";
pub const KOSZEGI: &str = "Kőszegi & Rabin (2006), A Model of Reference-Dependent Preferences, QJE 121(4) 1133-1165 (expectations as the reference point)";
pub const TK: &str = "Tversky & Kahneman (1992), Advances in Prospect Theory, J. Risk Uncertainty 5 297-323 (λ ≈ 2.25)";
pub const QUITS: &str = "quit elasticity to pay of 2-3 from experimental and quasi-experimental wage variation (Economic Policy Institute 2022, If you don't like your job, can you always quit? Pervasive monopsony power and freedom in the labor market; Sokolova & Sorensen 2021, Monopsony in Labor Markets: A Meta-Analysis, ILR Review 74(1) 27-55); the index is a log consumption equivalent, so the sensitivity is that elasticity; none measured for Chinese university staff";
pub const FLEXIBLE: &str = "人社部发〔2024〕94号 (flexible retirement: deferral up to 3 years by agreement with the employer)";

impl PerceptionParams {
    /// Docs of every key, paths relative to `perception`.
    pub fn key_docs() -> Vec<KeyDoc> {
        use Allowed as A;
        let k = KeyDoc::new;
        let mut v = vec![k(
            "month",
            "month",
            A::integer(1, 12),
            "Calendar month of the yearly re-evaluation of perceptions.",
        )];
        let dists: [(&str, &'static str, &'static str, Certainty); 5] = [
            ("beta", "Present bias β of staff at or above young_age.", LAIBSON, Certainty::M),
            ("beta_young", "Present bias β of staff under young_age (young staff who would rather contribute less).", "modelling choice; no direct measurement of university staff's present bias is published (uncalibrated, range 0.3-1)", Certainty::U),
            ("gamma", "CRRA coefficient γ of consumption utility (1 = log).", "modelling choice in the conventional range 1-3 of life-cycle models (uncalibrated)", Certainty::M),
            ("loss_aversion", "Loss aversion λ: a shortfall weighs λ times an equal gain.", TK, Certainty::M),
            ("leisure_value", "Value of a month of retirement leisure, share of the monthly wage (retirement timing).", "model; uncalibrated (no published deferral take-up under 人社部发〔2024〕94号 yet), range 0-1", Certainty::Model),
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
            k("delta", "per year", A::number(0.5, 1.0), "Yearly discount factor δ.").source(LAIBSON, Certainty::M),
            k("fairness_weight", "", A::number(0.0, 100.0), "Weight of perceived unfairness: how far one's expected replacement rate at the full base falls short of the mean of established peers of the same university, title and age band; being ahead adds nothing. Its size is uncalibrated (range 0-1): no moment of a baseline identifies it.").source(CARD, Certainty::U),
            k("security_weight", "", A::number(0.0, 100.0), "Weight of security: retiree medical cover on track by the planned retirement."),
            k("change_weight", "", A::number(0.0, 100.0), "Weight of the extra pain (λ − 1 times the loss) of a fall below the perception the same agent would have under the statutory rules.").source(KOSZEGI, Certainty::Model),
            k("quit_sensitivity", "", A::number(0.0, 100.0), "How strongly the leaving hazard falls as the levers in force raise perception above its status-quo value (0: levers never change exits).").source(QUITS, Certainty::M),
            k("effort_points_elasticity", "", A::number(0.0, 10.0), "Elasticity of effort to the points-bank incentive (expected yearly redemption over yearly pay)."),
            k("effort_fairness_elasticity", "", A::number(0.0, 10.0), "Elasticity of effort to perceived unfairness."),
            k("opt_in_slope", "", A::number(0.0, 100.0), "Slope of the logistic choice to join a voluntary enterprise annuity."),
            k("flexible_retirement", "", A::Bool, "Whether agents choose their retirement month within the flexible window.").source(FLEXIBLE, Certainty::C),
            k("deferral_consent", "share", A::unit_interval(), "Share of requests to defer retirement past the statutory age that the employer agrees to (deferral needs the employer's agreement).").source(FLEXIBLE, Certainty::U),
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

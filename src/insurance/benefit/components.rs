//! The formula of each component, one arm per rule shape of the regional rule table.

use super::{AwardInput, AwardRules, TraceLine, SRC_BASIC, SRC_OA};
use crate::insurance::dec;
use crate::insurance::params::BenefitParams;
use crate::insurance::regions::{
    BasicForm, ComponentRounding, DeemedIndexRule, SupplementForm, TransitionalForm, YearsBasis,
};
use crate::insurance::Scheme;
use crate::money::{format_yuan, Fen};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

const SRC_TRANSITIONAL: &str =
    "国发〔2005〕38号 (2005-12-03) leaves the transitional pension to the provinces; the regional rule table gives the province's form, index, years and k";
const SRC_INSTITUTION: &str =
    "国发〔2015〕2号 (2015-01-03) and 人社部发〔2015〕28号: transitional pension on deemed years with the post-based deemed index";

/// Rounds to `decimals`, half away from zero (half up for the positive amounts here).
pub(super) fn round(x: Decimal, decimals: u32) -> Decimal {
    x.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

pub(super) fn yuan(fen: Fen) -> Decimal {
    Decimal::new(fen, 2)
}

fn fen_of(x: Decimal) -> Fen {
    (x * Decimal::from(100)).to_i64().unwrap_or(0)
}

/// Yuan rounded half up to `money_decimals` (≤ 2), in fen.
pub(super) fn to_fen(x: Decimal, money_decimals: u32) -> Fen {
    fen_of(round(x, money_decimals.min(2)))
}

/// Yuan rounded up to the jiao (见分进角), in fen.
pub(super) fn round_jiao_up(x: Decimal) -> Fen {
    fen_of((x * Decimal::from(10)).ceil() / Decimal::from(10))
}

/// Months to years at the formula's precision (382 → 31.83).
pub(super) fn years_of(months: i32, decimals: u32) -> Decimal {
    round(Decimal::from(months) / Decimal::from(12), decimals)
}

fn text(x: Decimal) -> String {
    x.normalize().to_string()
}

/// The explanation lines of an award, collected only when someone will read them (the
/// calculator and `sisandbox pension`): runs and the planner compute awards by the million and
/// read only the amounts, so the lines are built by closures that run only when collecting.
pub(super) struct Trace(Option<Vec<TraceLine>>);

impl Trace {
    pub fn collecting(on: bool) -> Self {
        Trace(on.then(Vec::new))
    }

    pub fn on(&self) -> bool {
        self.0.is_some()
    }

    pub fn push(&mut self, line: impl FnOnce() -> TraceLine) {
        if let Some(lines) = &mut self.0 {
            lines.push(line());
        }
    }

    pub fn lines(self) -> Vec<TraceLine> {
        self.0.unwrap_or_default()
    }
}

/// The text of a new-method transitional pension: arithmetic, rule and the keys it read.
type Explained = (String, String, Vec<&'static str>);

/// What every component reads: the input, the rules and the rounded C, N, Ī and divisor.
pub(super) struct Context<'a> {
    pub input: &'a AwardInput,
    pub rules: &'a AwardRules,
    pub c: Decimal,
    pub n: Decimal,
    pub i: Decimal,
    /// C × (1 + Ī)/2.
    pub avg: Decimal,
    pub divisor: Decimal,
}

impl<'a> Context<'a> {
    pub fn new(input: &'a AwardInput, rules: &'a AwardRules, b: &BenefitParams) -> Self {
        let c = yuan(input.calc_base);
        let i = round(dec(input.average_index), rules.index_decimals);
        Context {
            input,
            rules,
            c,
            n: years_of(input.contribution_months, rules.years_decimals),
            i,
            avg: c * (Decimal::ONE + i) / Decimal::from(2),
            divisor: crate::insurance::divisor::divisor_by(input.age, b, rules.divisor_convention),
        }
    }

    /// A component amount under the component rounding.
    fn amount(&self, x: Decimal) -> Fen {
        match self.rules.component_rounding {
            ComponentRounding::HalfUpFen => to_fen(x, self.rules.money_decimals),
            ComponentRounding::UpJiao => round_jiao_up(x),
        }
    }

    fn rounding_note(&self) -> &'static str {
        match self.rules.component_rounding {
            ComponentRounding::HalfUpFen => "",
            ComponentRounding::UpJiao => " (up to the jiao)",
        }
    }

    pub fn basic(&self, trace: &mut Trace) -> Fen {
        let (c, i, avg) = (self.c, self.i, self.avg);
        let line = |arithmetic: String, rule: &str| TraceLine {
            component: "basic",
            arithmetic,
            rule: rule.into(),
            keys: vec![
                "basic_form",
                "years_decimals",
                "index_decimals",
                "component_rounding",
            ],
            source: SRC_BASIC,
        };
        match self.rules.basic_form {
            BasicForm::Standard => {
                let n = self.n;
                let amount = self.amount(avg * n / Decimal::from(100));
                trace.push(|| {
                    line(
                        format!(
                        "C × (1 + Ī)/2 × N × 1% = {} × (1 + {})/2 × {} × 1% = {} × {} × 1% = {}{}",
                        text(c),
                        text(i),
                        text(n),
                        text(avg),
                        text(n),
                        format_yuan(amount),
                        self.rounding_note()
                    ),
                        "basic pension (基础养老金), C × (1 + Ī)/2 × N × 1 %",
                    )
                });
                amount
            }
            BasicForm::YearsAndMonths => {
                let months = self.input.contribution_months.max(0);
                let (whole, rest) = (Decimal::from(months / 12), Decimal::from(months % 12));
                let per_month = Decimal::new(83, 5); // 0.083 %
                let x = avg * whole / Decimal::from(100) + avg * rest * per_month;
                let amount = self.amount(x);
                trace.push(|| {
                    line(
                    format!(
                        "(C + C·Ī)/2 × years × 1% + (C + C·Ī)/2 × months × 0.083% = {} × {} × 1% + {} × {} × 0.083% = {} → {}{}",
                        text(avg),
                        whole,
                        text(avg),
                        rest,
                        text(x),
                        format_yuan(amount),
                        self.rounding_note()
                    ),
                    "basic pension (基础养老金), whole years × 1 % plus remaining months × 0.083 %",
                )
                });
                amount
            }
        }
    }

    /// Balance / divisor: the personal-account pension or the annuity's monthly payment.
    pub fn by_divisor(&self, balance: Fen, component: &'static str, trace: &mut Trace) -> Fen {
        let amount = if self.divisor <= Decimal::ZERO {
            0
        } else {
            self.amount(yuan(balance) / self.divisor)
        };
        trace.push(|| self.by_divisor_line(balance, amount, component));
        amount
    }

    fn by_divisor_line(&self, balance: Fen, amount: Fen, component: &'static str) -> TraceLine {
        let arithmetic = if self.divisor <= Decimal::ZERO {
            "no divisor".to_string()
        } else {
            format!(
                "{} / {} = {}{}",
                format_yuan(balance),
                text(self.divisor),
                format_yuan(amount),
                self.rounding_note()
            )
        };
        let (rule, source) = match (component, self.input.scheme) {
            ("personal", _) => (
                "personal-account pension (个人账户养老金), balance / 计发月数",
                SRC_BASIC,
            ),
            (_, Scheme::Institution) => (
                "occupational annuity, monthly payment of balance / 计发月数",
                SRC_OA,
            ),
            _ => (
                "enterprise annuity paid monthly by balance / 计发月数",
                SRC_OA,
            ),
        };
        TraceLine {
            component,
            arithmetic,
            rule: rule.into(),
            keys: vec!["divisor_convention", "component_rounding"],
            source,
        }
    }

    fn deemed_index_value(&self, rule: DeemedIndexRule) -> Decimal {
        match rule {
            DeemedIndexRule::Given => {
                round(dec(self.input.deemed_index), self.rules.index_decimals)
            }
            DeemedIndexRule::Average => self.i,
            DeemedIndexRule::One => Decimal::ONE,
        }
    }

    fn transitional_months(&self, basis: YearsBasis) -> i32 {
        match basis {
            YearsBasis::Deemed => self.input.deemed_months,
            YearsBasis::PreAccount => self.input.pre_account_months,
        }
    }

    /// The new-method transitional pension, and its text when `explain`.
    fn new_transitional(&self, explain: bool) -> (Fen, Option<Explained>) {
        let r = self.rules;
        let (c, yd) = (self.c, r.years_decimals);
        if self.input.scheme == Scheme::Institution {
            let k = dec(r.institution_transitional_rate);
            let nd = years_of(self.input.deemed_months, yd);
            let id = self.deemed_index_value(DeemedIndexRule::Given);
            let t = self.amount(c * id * nd * k);
            return (
                t,
                explain.then(|| {
                    (
                        format!(
                            "C × I_deemed × N_deemed × k = {} × {} × {} × {} = {}",
                            text(c),
                            text(id),
                            text(nd),
                            text(k),
                            format_yuan(t)
                        ),
                        "public-institution transitional pension, C × I_deemed × N_deemed × k"
                            .into(),
                        vec!["institution_transitional_rate", "years_decimals"],
                    )
                }),
            );
        }
        let k = dec(r.transitional_rate);
        let np = years_of(self.transitional_months(r.transitional_years), yd);
        match r.transitional_form {
            TransitionalForm::DeemedIndex => {
                let id = self.deemed_index_value(r.deemed_index);
                let t = self.amount(c * id * np * k);
                (
                    t,
                    explain.then(|| {
                        (
                            format!(
                                "C × I × N × k = {} × {} × {} × {} = {}",
                                text(c),
                                text(id),
                                text(np),
                                text(k),
                                format_yuan(t)
                            ),
                            format!(
                        "transitional pension, deemed-index family (C × I × N × k), I = {}, N = {}",
                        index_word(r.deemed_index),
                        years_word(r.transitional_years)
                    ),
                            vec![
                                "transitional_form",
                                "deemed_index",
                                "transitional_years",
                                "transitional_rate",
                                "years_decimals",
                            ],
                        )
                    }),
                )
            }
            TransitionalForm::AverageIndex => {
                let t = self.amount(self.avg * np * k);
                (
                    t,
                    explain.then(|| (format!(
                        "C × (1 + Ī)/2 × N × k = {} × (1 + {})/2 × {} × {} = {} × {} × {} = {}",
                        text(c), text(self.i), text(np), text(k), text(self.avg), text(np), text(k), format_yuan(t)
                    ),
                    format!(
                        "transitional pension, average-index family (C × (1 + Ī)/2 × N × k), N = {}",
                        years_word(r.transitional_years)
                    ),
                    vec!["transitional_form", "transitional_years", "transitional_rate", "years_decimals"],
                    )),
                )
            }
            TransitionalForm::TwoPart => {
                let nd = years_of(self.input.deemed_months, yd);
                let na = years_of(self.input.months_1992_10_to_1998_06.unwrap_or(0), yd);
                let id = self.deemed_index_value(r.deemed_index);
                let x = c * id * nd * k + c * self.i * na * k;
                let t = self.amount(x);
                (
                    t,
                    explain.then(|| (format!(
                        "C × I × N_deemed × k + C × Ī × N(1992-10..1998-06) × k = {} × {} × {} × {} + {} × {} × {} × {} = {}",
                        text(c), text(id), text(nd), text(k), text(c), text(self.i), text(na), text(k), format_yuan(t)
                    ),
                    "transitional pension in two parts: deemed years and actual years 1992-10..1998-06".into(),
                    vec!["transitional_form", "deemed_index", "transitional_rate", "years_decimals"],
                    )),
                )
            }
            TransitionalForm::Given => {
                let t = self.input.given_transitional.unwrap_or(0);
                (
                    t,
                    explain.then(|| (
                    format!("as printed on the notice: {}", format_yuan(t)),
                    "transitional pension taken from the notice (the region's formula rests on records the calculator does not hold)".into(),
                    vec!["transitional_form"],
                    )),
                )
            }
        }
    }

    pub fn transitional(&self, trace: &mut Trace) -> Fen {
        let has_pre = self.input.deemed_months > 0 || self.input.pre_account_months > 0;
        let (new, explained) = self.new_transitional(trace.on());
        let phase = self.rules.transitional_phase_in;
        let mut amount = new;
        let phased = self.input.scheme == Scheme::Enterprise && phase < 1.0 && has_pre;
        let old = self.input.old_method_transitional.unwrap_or(0);
        if phased {
            amount = if new <= old {
                old
            } else {
                old + to_fen(dec(phase) * yuan(new - old), 2)
            };
        }
        let Some((mut arithmetic, mut rule, mut keys)) = explained else {
            return amount;
        };
        if phased {
            arithmetic = format!(
                "new {arithmetic}; paid old + share × (new − old) = {} + {phase} × ({} − {}) = {}",
                format_yuan(old),
                format_yuan(new),
                format_yuan(old),
                format_yuan(amount)
            );
            rule = format!("{rule}, phased in from the old-method amount");
            keys.push("transitional_phase_in");
        }
        trace.push(|| TraceLine {
            component: "transitional",
            arithmetic,
            rule,
            keys,
            source: if self.input.scheme == Scheme::Institution {
                SRC_INSTITUTION
            } else {
                SRC_TRANSITIONAL
            },
        });
        amount
    }

    /// Local items on top of the national formula: the supplement (Sichuan 增发), the
    /// transitional adjustment and the flat subsidy (Zhejiang). Enterprise scheme only.
    pub fn local_items(&self, trace: &mut Trace) -> Fen {
        let r = self.rules;
        let enterprise = self.input.scheme == Scheme::Enterprise;
        let explain = trace.on();
        let mut parts = Vec::new();
        let mut total: Fen = 0;
        let supplement = match r.supplement_form {
            SupplementForm::IndexedWageYears if enterprise => {
                let k = dec(self.input.supplement_rate);
                let indexed = self.c * self.i;
                let s = self.amount(indexed * k * self.n) + self.input.supplement_fixed;
                if explain {
                    parts.push(format!(
                    "增发 C × Ī × rate × N + fixed = {} × {} × {} × {} + {} = {} × {} × {} + {} = {}",
                    text(self.c),
                    text(self.i),
                    text(k),
                    text(self.n),
                    format_yuan(self.input.supplement_fixed),
                    text(indexed),
                    text(k),
                    text(self.n),
                    format_yuan(self.input.supplement_fixed),
                    format_yuan(s)
                ));
                }
                s
            }
            _ => 0,
        };
        total += supplement;
        if enterprise && (r.adjustment_base > 0 || r.adjustment_per_index_year > 0) {
            let x = yuan(r.adjustment_base) + self.i * self.n * yuan(r.adjustment_per_index_year);
            let a = self.amount(x);
            if explain {
                parts.push(format!(
                    "过渡性调节金 {} + Ī × N × {} = {} + {} × {} × {} = {}",
                    format_yuan(r.adjustment_base),
                    format_yuan(r.adjustment_per_index_year),
                    format_yuan(r.adjustment_base),
                    text(self.i),
                    text(self.n),
                    format_yuan(r.adjustment_per_index_year),
                    format_yuan(a)
                ));
            }
            total += a;
        }
        if enterprise && r.flat_subsidy > 0 {
            if explain {
                parts.push(format!("基本养老金补贴 {}", format_yuan(r.flat_subsidy)));
            }
            total += r.flat_subsidy;
        }
        trace.push(|| TraceLine {
            component: "supplement",
            arithmetic: if parts.is_empty() {
                "no local supplement applies".into()
            } else if parts.len() == 1 {
                parts.remove(0)
            } else {
                format!("{} = {}", parts.join(" + "), format_yuan(total))
            },
            rule: "local items: supplement (增发, per-person rate), transitional adjustment (调节金), flat subsidy".into(),
            keys: vec![
                "supplement_form",
                "adjustment_base",
                "adjustment_per_index_year",
                "flat_subsidy",
            ],
            source: "regional rule table (local items are not in the national formula)",
        });
        total
    }
}

fn index_word(rule: DeemedIndexRule) -> &'static str {
    match rule {
        DeemedIndexRule::Given => "the person's deemed index",
        DeemedIndexRule::Average => "the average index Ī",
        DeemedIndexRule::One => "1",
    }
}

fn years_word(basis: YearsBasis) -> &'static str {
    match basis {
        YearsBasis::Deemed => "deemed years",
        YearsBasis::PreAccount => "years before the personal account",
    }
}

//! One macro path of one person: the record month by month to each retirement month compared,
//! the award there (`insurance::benefit::award`), then the pension and annuity paid, taxed,
//! survived and discounted year by year. Pure: a function of the context and the path number.

use super::case::{Draw, PlanCase, Track};
use super::tax;
use crate::insurance::accounts::{AnnuityAccount, PersonalAccount, MICRO_PER_FEN};
use crate::insurance::benefit::{self, AwardInput, AwardRules};
use crate::insurance::{base, outcomes, retirement, RatesAt, Scheme};
use crate::macro_paths::{MacroParams, MacroPath, Process};
use crate::money::{apply_ppm, yuan_to_fen, Fen};
use crate::scenario::{RegionParams, Scenario};
use crate::time::{Months, YearMonth};

/// Oldest age followed after retirement (survival beyond it is negligible).
const LAST_AGE: i32 = 105;

/// What every path shares: the person, the rules resolved year by year, the options.
pub struct Context<'a> {
    pub s: &'a Scenario,
    pub case: &'a PlanCase,
    pub macro_params: MacroParams,
    region: &'a RegionParams,
    scheme: Scheme,
    raise: f64,
    female: bool,
    /// Resolved rules by calendar year from `first_year` (December of each year).
    rates: Vec<RatesAt>,
    first_year: i32,
    pub last_year: i32,
    /// Retirement months compared, in the order of `options.retire`.
    pub retire: Vec<YearMonth>,
    /// Accumulation variants (enterprise annuity, base share), in option order.
    pub variants: Vec<(bool, f64)>,
    pub discount: f64,
    /// `(1 + discount)^t` for every year from the start year, as money's worth divides by.
    factors: Vec<f64>,
}

/// The scalar outcomes of one option on one path.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct OptionOutcome {
    /// First month's retirement income before tax (pension plus the annuity's monthly
    /// equivalent in the first year), yuan.
    pub pension: f64,
    /// The same in prices of the start year (deflated by the path's inflation), yuan.
    pub pension_real: f64,
    /// First month's income after annuity tax over the final monthly wage.
    pub replacement: f64,
    /// PV of benefits after tax over PV of contributions (employer and individual), both
    /// survival-weighted.
    pub money_worth: f64,
    /// Final monthly wage, yuan.
    pub final_wage: f64,
    /// Monthly divisor at the retirement age.
    pub divisor: f64,
}

/// One path's results: `options[v][r][d]` flattened in [`Context::option_index`] order, and
/// the balances (personal account plus annuity, yuan) at each year end by variant.
#[derive(Clone, Debug, PartialEq)]
pub struct PathResult {
    pub options: Vec<OptionOutcome>,
    pub balances: Vec<Vec<f64>>,
}

impl<'a> Context<'a> {
    pub fn new(s: &'a Scenario, case: &'a PlanCase) -> Result<Self, String> {
        let p = &case.person;
        let region = s
            .regions
            .iter()
            .find(|r| r.name == p.region)
            .ok_or_else(|| {
                let names: Vec<&str> = s.regions.iter().map(|r| r.name.as_str()).collect();
                format!(
                    "`person.region`: unknown region `{}`; the scenario's regions are {}",
                    p.region,
                    names.join(", ")
                )
            })?;
        let scheme = match p.track {
            Track::Established => Scheme::Institution,
            Track::Contract => Scheme::Enterprise,
        };
        let rp = &s.insurance.retirement;
        let window = retirement::flexible_window(p.birth, p.sex, p.category, rp);
        let mut retire = Vec::new();
        for &off in &case.options.retire {
            let m = window.statutory.plus_months(off);
            if m < window.earliest || m > window.latest {
                return Err(format!(
                    "`options.retire`: {off} months from the statutory month {} is {m}, outside \
                     the flexible window {} to {}",
                    window.statutory, window.earliest, window.latest
                ));
            }
            if m <= p.start {
                return Err(format!(
                    "`options.retire`: {off} gives {m}, not after the plan's start {}",
                    p.start
                ));
            }
            retire.push(m);
        }
        let ea_choices: Vec<bool> = match p.track {
            // The occupational annuity is compulsory: the choice does not arise.
            Track::Established => vec![true],
            Track::Contract => case.options.enterprise_annuity.clone(),
        };
        let mut variants = Vec::new();
        for &ea in &ea_choices {
            for &share in &case.options.base_share {
                variants.push((ea, share));
            }
        }
        let first_year = p.start.year() - 1;
        let last_year = p.birth.year() + LAST_AGE + 1;
        let rates = (first_year..=last_year)
            .map(|y| s.insurance.resolve(YearMonth::ym(y, 12), &p.region))
            .collect();
        let discount = case.plan.discount_rate.unwrap_or(s.outcomes.discount_rate);
        let periods = (last_year - p.start.year() + 1).max(0) as usize;
        let mut macro_params = s.macro_paths.clone();
        macro_params.from = macro_params.from.max(p.start.year());
        Ok(Context {
            s,
            case,
            macro_params,
            region,
            scheme,
            raise: p.career_raise.unwrap_or(s.careers.scale_step),
            female: p.sex == crate::insurance::Sex::Female,
            rates,
            first_year,
            last_year,
            retire,
            variants,
            discount,
            factors: outcomes::discount_factors(discount, periods),
        })
    }

    /// Index of option (variant, retirement, draw) in `PathResult::options`.
    pub fn option_index(&self, v: usize, r: usize, d: usize) -> usize {
        (v * self.retire.len() + r) * self.case.options.draw.len() + d
    }

    pub fn options(&self) -> usize {
        self.variants.len() * self.retire.len() * self.case.options.draw.len()
    }

    /// Years with a balance recorded: the start year to the year of the latest retirement.
    pub fn balance_years(&self) -> std::ops::RangeInclusive<i32> {
        let last = self.retire.iter().max().map_or(0, |m| m.year());
        self.case.person.start.year()..=last
    }

    fn rates_of(&self, year: i32) -> &RatesAt {
        let i = (year - self.first_year).clamp(0, self.rates.len() as i32 - 1) as usize;
        &self.rates[i]
    }

    fn rates_in(&self, year: i32, path: &MacroPath) -> RatesAt {
        let mut r = *self.rates_of(year);
        path.apply_rates(&mut r);
        r
    }

    /// The path's draws (path number `p`), or the central path when `p` is `None`.
    pub fn path(&self, p: Option<u64>) -> MacroPath {
        match p {
            Some(p) => self
                .macro_params
                .path(self.case.plan.seed, p, self.last_year),
            None => self.macro_params.central_path(self.last_year),
        }
    }

    /// Everything for one path.
    pub fn run_path(&self, path: &MacroPath) -> PathResult {
        let mut options = vec![OptionOutcome::default(); self.options()];
        let survival = self.survival(path);
        let mut balances = Vec::with_capacity(self.variants.len());
        for (v, &variant) in self.variants.iter().enumerate() {
            balances.push(self.accumulate(path, &survival, v, variant, &mut options));
        }
        PathResult { options, balances }
    }

    /// Month by month from the start to the latest retirement month of this variant; at
    /// each compared retirement month the award and the options' outcomes.
    fn accumulate(
        &self,
        path: &MacroPath,
        survival: &[f64],
        v: usize,
        (ea, share): (bool, f64),
        out: &mut [OptionOutcome],
    ) -> Vec<f64> {
        let p = &self.case.person;
        let rec = &self.case.record;
        let level = |y: i32| path.wage_level(y, self.region.wage_growth);
        let mut account = PersonalAccount::with_balance(yuan_to_fen(rec.account_balance));
        let mut annuity = AnnuityAccount {
            funded_micro: yuan_to_fen(rec.annuity_balance) * MICRO_PER_FEN,
            ..Default::default()
        };
        let has_annuity = self.scheme == Scheme::Institution || ea;
        let mut wage = p.wage;
        let mut base: Fen = 0;
        let mut months = 0i32;
        let mut index_sum = 0.0;
        let mut contributions: Vec<Fen> = Vec::new(); // by year from the start year
        let mut balances = Vec::new();
        let last = *self
            .retire
            .iter()
            .max()
            .expect("validated: one retirement month");
        let mut t = p.start;
        let mut year_contrib: Fen = 0;
        let mut prior_wage = yuan_to_fen(p.wage);
        let mut r = self.rates_in(t.year(), path);
        // Wage, base and their index change only in January: their fen amount and the
        // month's index ratio are taken then, not every month (the same values).
        let mut wage_fen = prior_wage;
        let mut ratio = 0.0;
        loop {
            let y = t.year();
            if t == p.start || t.month() == 1 {
                r = self.rates_in(y, path);
                let aw_prev = yuan_to_fen(
                    self.region.average_wage_at(YearMonth::ym(y - 1, 1)) * level(y - 1),
                )
                .max(1);
                if t != p.start {
                    let g = path
                        .get(Process::WageGrowth, y)
                        .unwrap_or(*self.s.careers.wage_growth.at_general(t));
                    wage *= (1.0 + g) * (1.0 + self.raise);
                }
                let limits = base::limits(aw_prev, &r);
                base = base::contribution_base(yuan_to_fen(wage * share), limits);
                wage_fen = yuan_to_fen(wage);
                ratio = base as f64 / aw_prev as f64;
            }
            // Retirement snapshots before this month's contribution (the pension starts in
            // the retirement month).
            for (ri, &rm) in self.retire.iter().enumerate() {
                if rm == t {
                    // The year's contributions so far close the series for this retirement.
                    contributions.push(year_contrib);
                    let at = Snapshot {
                        months,
                        index_sum,
                        account: account.total(),
                        annuity: annuity.total(),
                        final_wage: prior_wage,
                    };
                    self.retire_at(path, survival, (v, ri), rm, &at, &contributions, out);
                    contributions.pop();
                }
            }
            if t >= last {
                break;
            }
            let individual = apply_ppm(base, r.pension_individual_ppm);
            let employer = apply_ppm(
                base,
                match self.scheme {
                    Scheme::Enterprise => r.pension_enterprise_employer_ppm,
                    Scheme::Institution => r.pension_institution_employer_ppm,
                },
            );
            account.contribute(individual);
            let (ae, ai, notional) = match (self.scheme, has_annuity) {
                (Scheme::Institution, _) => (
                    apply_ppm(base, r.oa_employer_ppm),
                    apply_ppm(base, r.oa_individual_ppm),
                    r.oa_notional_employer,
                ),
                (Scheme::Enterprise, true) => (
                    apply_ppm(base, r.ea_employer_ppm),
                    apply_ppm(base, r.ea_individual_ppm),
                    false,
                ),
                (Scheme::Enterprise, false) => (0, 0, false),
            };
            annuity.contribute(ae, ai, notional);
            year_contrib += individual + employer + ae + ai;
            months += 1;
            index_sum += ratio;
            prior_wage = wage_fen;
            if t.month() == 12 {
                account.close_year(&r);
                let (fr, nr) = match self.scheme {
                    Scheme::Institution => (r.oa_funded_return_ppm, r.oa_notional_rate_ppm),
                    Scheme::Enterprise => (r.ea_return_ppm, r.ea_return_ppm),
                };
                annuity.close_year(fr, nr);
                contributions.push(year_contrib);
                year_contrib = 0;
                balances.push((account.total() + annuity.total()) as f64 / 100.0);
            }
            t = t.plus_months(1);
        }
        if t.month() != 12 || balances.len() < self.balance_years().count() {
            balances.push((account.total() + annuity.total()) as f64 / 100.0);
        }
        balances.truncate(self.balance_years().count());
        balances
    }
}

/// The record at a retirement month.
struct Snapshot {
    months: i32,
    index_sum: f64,
    account: Fen,
    annuity: Fen,
    final_wage: Fen,
}

impl Context<'_> {
    /// Probability of being alive in each year from the start year (1 in the start year):
    /// the scenario's Gompertz law, improved from the path's first year by its mortality
    /// improvement.
    fn survival(&self, path: &MacroPath) -> Vec<f64> {
        let p = &self.case.person;
        let mort = &self.s.careers.mortality;
        let mut alive = 1.0;
        let mut improvement = 1.0;
        let mut out = Vec::new();
        for y in p.start.year()..=self.last_year {
            out.push(alive);
            if let Some(mi) = path.get(Process::MortalityImprovement, y) {
                improvement *= 1.0 - mi;
            }
            let age = (y - p.birth.year()) as f64;
            alive *= 1.0 - (mort.yearly(self.female, age) * improvement).min(1.0);
        }
        out
    }

    /// The award at `rm` and every draw option's outcomes.
    #[allow(clippy::too_many_arguments)]
    fn retire_at(
        &self,
        path: &MacroPath,
        survival: &[f64],
        (v, ri): (usize, usize),
        rm: YearMonth,
        at: &Snapshot,
        contributions: &[Fen],
        out: &mut [OptionOutcome],
    ) {
        let p = &self.case.person;
        let rec = &self.case.record;
        let b = &self.s.insurance.benefit;
        let n = rec.contribution_months + at.months;
        let index = if n > 0 {
            (rec.average_index * rec.contribution_months as f64 + at.index_sum) / n as f64
        } else {
            0.0
        };
        let r = self.rates_in(rm.year(), path);
        let calc_base = yuan_to_fen(
            self.region.calc_base_at(rm) * path.wage_level(rm.year(), self.region.wage_growth),
        );
        let elig = retirement::eligibility(
            p.birth,
            p.sex,
            p.category,
            rm,
            n,
            &self.s.insurance.retirement,
        );
        let age = Months(rm.months_since(p.birth));
        let award = benefit::award(
            &AwardInput {
                scheme: self.scheme,
                retire: rm,
                age,
                calc_base,
                contribution_months: n,
                deemed_months: rec.deemed_months,
                pre_account_months: 0,
                average_index: index,
                deemed_index: rec.deemed_index,
                account_balance: at.account,
                annuity_balance: at.annuity,
                required_months: elig.required_months,
                ..Default::default()
            },
            &AwardRules::from_rates(&r, b),
            b,
        );
        // Short of the minimum years there is no monthly pension (the person would keep
        // paying or buy the years); the annuity is still theirs.
        let pension0 = if elig.eligible {
            award.total - award.annuity
        } else {
            0
        };
        let divisor = crate::insurance::divisor::divisor_f64(age, b);
        let start_year = p.start.year();
        let ry = (rm.year() - start_year) as usize;
        let years = survival.len();
        let prices: f64 = (start_year + 1..=rm.year())
            .map(|y| 1.0 + path.get(Process::Inflation, y).unwrap_or(0.0))
            .product();
        let instalment_years = self.case.options.instalment_years as usize;
        // The contributions' present value is the same for every draw option: taken once.
        // The same sums as `outcomes::money_worth`, which this replaces.
        let valued = survival.len() >= contributions.len().max(years) && self.discount > -1.0;
        let paid = outcomes::present_value(contributions, survival, &self.factors);
        // The pension paid each year (indexed yearly), the same for every draw option.
        let months_in = |k: usize| if k == ry { 13 - rm.month() as i64 } else { 12 };
        let mut pensions: Vec<Fen> = vec![0; years];
        let mut pension = pension0;
        for (k, slot) in pensions.iter_mut().enumerate().skip(ry) {
            if k > ry {
                // Indexation is not drawn: the resolved rules of the year serve as they are.
                pension = benefit::index_pension(pension, self.rates_of(start_year + k as i32));
            }
            *slot = pension * months_in(k);
        }
        // One instalment a year and its tax.
        let instalment = at.annuity / instalment_years as Fen;
        let instalment_net = instalment - tax::yearly(instalment);
        let mut benefits: Vec<Fen> = vec![0; years];
        for (d, &draw) in self.case.options.draw.iter().enumerate() {
            benefits.copy_from_slice(&pensions);
            let mut annuity_months_left = divisor.round() as i64;
            let (first_gross, first_net) = match draw {
                Draw::Monthly => {
                    let a = award.annuity;
                    (a, a - tax::monthly(a))
                }
                Draw::Instalments => (instalment / 12, instalment_net / 12),
                Draw::LumpSum => (0, 0),
            };
            for (k, flow) in benefits.iter_mut().enumerate().skip(ry) {
                match draw {
                    Draw::Monthly => {
                        let m = months_in(k).min(annuity_months_left.max(0));
                        annuity_months_left -= m;
                        *flow += first_net * m;
                    }
                    Draw::Instalments if k - ry < instalment_years => {
                        *flow += instalment_net;
                    }
                    Draw::LumpSum if k == ry => {
                        *flow += at.annuity - tax::lump_sum(at.annuity);
                    }
                    _ => {}
                }
            }
            let mw = (valued && paid > 0.0)
                .then(|| outcomes::present_value(&benefits, survival, &self.factors) / paid);
            let gross = (pension0 + first_gross) as f64 / 100.0;
            out[self.option_index(v, ri, d)] = OptionOutcome {
                pension: gross,
                pension_real: gross / prices,
                replacement: outcomes::replacement_rate(pension0 + first_net, at.final_wage)
                    .unwrap_or(f64::NAN),
                money_worth: mw.unwrap_or(f64::NAN),
                final_wage: at.final_wage as f64 / 100.0,
                divisor,
            };
        }
    }
}

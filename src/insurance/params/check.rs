//! Cross-field checks of `[insurance]`.

use super::InsuranceParams;
use crate::scenario::catalog::Issue;
use crate::time::YearMonth;

impl InsuranceParams {
    /// Cross-field checks; `path` is this section's path (`insurance`).
    pub fn check(&self, path: &str, out: &mut Vec<Issue>) {
        let at = |k: &str| {
            if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            }
        };
        self.check_dated_structure(&at, out);
        self.check_base(&at, out);
        self.check_enterprise_annuity(&at, out);
        self.check_divisors(&at, out);
        self.check_retirement(&at, out);
        let b = &self.benefit;
        if b.comparison_until < b.comparison_from {
            out.push(Issue::new(
                at("benefit.comparison_until"),
                "the comparison period ends before it starts",
            ));
        }
        if b.money_decimals > 2 {
            out.push(Issue::new(
                at("benefit.money_decimals"),
                "money is kept in fen: at most 2 decimals",
            ));
        }
        if self.work_injury.class_base_rates.is_empty() {
            out.push(Issue::new(
                at("work_injury.class_base_rates"),
                "at least one class rate is needed",
            ));
        }
        // 人社部发〔2015〕71号 sets class base rates from 0.2 % to 1.9 %; anything of 10 % or more
        // (or negative) is a typing error such as a percentage given as a share.
        for (i, r) in self.work_injury.class_base_rates.iter().enumerate() {
            if !(0.0..0.1).contains(r) {
                out.push(Issue::new(
                    at(&format!("work_injury.class_base_rates[{i}]")),
                    format!(
                        "{r} is not a class base rate: expected a share from 0 to below 0.1 \
                         (the national classes run from 0.002 to 0.019)"
                    ),
                ));
            }
        }
    }

    fn check_dated_structure(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let mut push = |k: &str, problems: Vec<String>| {
            for m in problems {
                out.push(Issue::new(at(k), m));
            }
        };
        push(
            "base.floor_ratio",
            self.base.floor_ratio.structural_problems(),
        );
        push(
            "base.ceiling_ratio",
            self.base.ceiling_ratio.structural_problems(),
        );
        push(
            "pension.book_rate",
            self.pension.book_rate.structural_problems(),
        );
        push(
            "pension.indexation",
            self.pension.indexation.structural_problems(),
        );
        push(
            "benefit.transition_share",
            self.benefit.transition_share.structural_problems(),
        );
        push(
            "medical.employer_rate",
            self.medical.employer_rate.structural_problems(),
        );
    }

    fn check_base(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let floors = &self.base.floor_ratio;
        let ceilings = &self.base.ceiling_ratio;
        // Compare at every date and region either table mentions.
        let mut probes: Vec<(YearMonth, String)> = Vec::new();
        for e in floors.entries().iter().chain(ceilings.entries()) {
            probes.push((
                e.from.unwrap_or(YearMonth::ym(1990, 1)),
                e.region.clone().unwrap_or_default(),
            ));
        }
        for (m, r) in probes {
            let (f, c) = (*floors.at(m, &r), *ceilings.at(m, &r));
            if f > c {
                out.push(Issue::new(
                    at("base.floor_ratio"),
                    format!(
                        "floor ratio {f} is above ceiling ratio {c} (from {m}{})",
                        region_note(&r)
                    ),
                ));
                return;
            }
        }
    }

    fn check_enterprise_annuity(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let ea = &self.enterprise_annuity;
        for e in ea.employer_rate.entries() {
            if e.value > ea.employer_cap + 1e-12 {
                out.push(Issue::new(
                    at("enterprise_annuity.employer_rate"),
                    format!(
                        "employer rate {} is above the legal cap {}",
                        e.value, ea.employer_cap
                    ),
                ));
            }
        }
        let mut probes: Vec<(YearMonth, String)> = Vec::new();
        for e in ea
            .employer_rate
            .entries()
            .iter()
            .chain(ea.individual_rate.entries())
        {
            probes.push((
                e.from.unwrap_or(YearMonth::ym(1990, 1)),
                e.region.clone().unwrap_or_default(),
            ));
        }
        for (m, r) in probes {
            let total = ea.employer_rate.at(m, &r) + ea.individual_rate.at(m, &r);
            if total > ea.total_cap + 1e-12 {
                out.push(Issue::new(
                    at("enterprise_annuity.individual_rate"),
                    format!(
                        "employer + individual = {total} is above the legal cap {} (from {m}{})",
                        ea.total_cap,
                        region_note(&r)
                    ),
                ));
                return;
            }
        }
    }

    fn check_divisors(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let d = &self.benefit.divisors;
        if d.len() < 2 {
            out.push(Issue::new(
                at("benefit.divisors"),
                "the divisor table needs at least two ages",
            ));
            return;
        }
        for (i, w) in d.windows(2).enumerate() {
            if w[1] > w[0] {
                let age = self.benefit.divisor_first_age + i as i32 + 1;
                out.push(Issue::new(
                    at(&format!("benefit.divisors[{}]", i + 1)),
                    format!(
                        "divisors must not increase with age: {} at {age} is above {} at {}",
                        w[1],
                        w[0],
                        age - 1
                    ),
                ));
            }
        }
        if d.iter().any(|&x| x <= 0.0 || !x.is_finite()) {
            out.push(Issue::new(
                at("benefit.divisors"),
                "every divisor must be positive",
            ));
        }
    }

    fn check_retirement(&self, at: &dyn Fn(&str) -> String, out: &mut Vec<Issue>) {
        let r = &self.retirement;
        for (k, c) in [
            ("male", r.male),
            ("female_cadre", r.female_cadre),
            ("female_worker", r.female_worker),
        ] {
            if c.step < 1 {
                out.push(Issue::new(
                    at(&format!("retirement.{k}.step")),
                    "the step must be at least 1 birth month",
                ));
            }
            if c.cap < 0 {
                out.push(Issue::new(
                    at(&format!("retirement.{k}.cap")),
                    "the cap must not be negative",
                ));
            }
        }
        if r.min_years_max < r.min_years_start {
            out.push(Issue::new(
                at("retirement.min_years_max"),
                "the final minimum is below the starting minimum",
            ));
        }
    }
}

fn region_note(r: &str) -> String {
    if r.is_empty() {
        String::new()
    } else {
        format!(", region {r}")
    }
}

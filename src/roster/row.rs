//! The checks of one roster row and the agent built from it.

use super::issue::{withheld, RosterIssue};
use super::{MAX_AGE, MAX_MONTHLY_WAGE, MIN_AGE};
use crate::agent::{Agent, Category, Ladder, Profile, Sex, Track};
use crate::agent::{ACADEMIC_TITLES, ADMIN_GRADES};
use crate::money::{yuan_to_fen, Fen, PPM};
use crate::population::performance_pay;
use crate::scenario::{RungParams, Scenario};
use crate::time::YearMonth;

/// The checks of one row; problems accumulate in `issues`.
pub(super) struct RowCheck<'a, F> {
    pub(super) line: u64,
    pub(super) issues: Vec<RosterIssue>,
    pub(super) issue: &'a F,
}

impl<F> RowCheck<'_, F>
where
    F: Fn(u64, Option<(&str, &str)>, String) -> RosterIssue,
{
    fn bad(&mut self, column: &str, value: &str, message: String) {
        let shown = withheld(value);
        let i = (self.issue)(self.line, Some((column, &shown)), message);
        self.issues.push(i);
    }

    /// One of `choices` (case-insensitive); `default` when the cell is empty and a default exists.
    fn choice<T: Copy>(
        &mut self,
        column: &str,
        value: &str,
        choices: &[(&str, T)],
        default: Option<T>,
    ) -> Option<T> {
        if value.is_empty() {
            if default.is_some() {
                return default;
            }
        } else if let Some((_, t)) = choices.iter().find(|(n, _)| n.eq_ignore_ascii_case(value)) {
            return Some(*t);
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let what = if value.is_empty() { "required; " } else { "" };
        self.bad(
            column,
            value,
            format!("{what}allowed: {}", names.join(", ")),
        );
        None
    }

    fn month(&mut self, column: &str, value: &str) -> Option<YearMonth> {
        if value.is_empty() {
            self.bad(
                column,
                value,
                "required; allowed: a month YYYY-MM, e.g. 1985-07".into(),
            );
            return None;
        }
        match YearMonth::parse(value) {
            Ok(m) => Some(m),
            Err(_) => {
                self.bad(
                    column,
                    value,
                    "allowed: a month YYYY-MM (year 1000..=9999, month 01..=12), e.g. 1985-07"
                        .into(),
                );
                None
            }
        }
    }

    fn wage(&mut self, value: &str) -> Option<Fen> {
        let allowed = format!("allowed: yuan per month, a number above 0 and at most {MAX_MONTHLY_WAGE:.0}, e.g. 12500.50 (a comma only between thousands: 12,500.50)");
        match plain_number(value).and_then(|v| v.parse::<f64>().ok()) {
            Some(w) if w.is_finite() && w > 0.0 && w <= MAX_MONTHLY_WAGE && yuan_to_fen(w) > 0 => {
                Some(yuan_to_fen(w))
            }
            _ if value.is_empty() => {
                self.bad("monthly_wage", value, format!("required; {allowed}"));
                None
            }
            _ => {
                self.bad("monthly_wage", value, allowed);
                None
            }
        }
    }

    /// The agent of this row, or `None` (with the problems recorded) when a cell is bad.
    pub(super) fn agent<'c>(
        &mut self,
        s: &Scenario,
        cell: &dyn Fn(&str) -> &'c str,
        id: usize,
    ) -> Option<Agent> {
        let start = s.simulation.start;
        let sex = self.choice(
            "sex",
            cell("sex"),
            &[("male", Sex::Male), ("female", Sex::Female)],
            None,
        );
        let category = self.choice(
            "category",
            cell("category"),
            &[("cadre", Category::Cadre), ("worker", Category::Worker)],
            Some(Category::Cadre),
        );
        let birth = self.month("birth", cell("birth"));
        let track = self.choice(
            "track",
            cell("track"),
            &[
                ("establishment", Track::Establishment),
                ("contract", Track::Contract),
                ("temporary", Track::Temporary),
            ],
            None,
        );
        let ladder = self.choice(
            "ladder",
            cell("ladder"),
            &[
                ("academic", Ladder::Academic),
                ("administrative", Ladder::Administrative),
            ],
            None,
        );
        let rung = ladder.and_then(|l| {
            let names = match l {
                Ladder::Academic => &ACADEMIC_TITLES,
                Ladder::Administrative => &ADMIN_GRADES,
            };
            let rungs: Vec<(&str, u8)> = names
                .iter()
                .enumerate()
                .map(|(i, n)| (*n, i as u8))
                .collect();
            let title = cell("title");
            let r = self.choice("title", title, &rungs, None);
            if r.is_none() {
                if let Some(last) = self.issues.last_mut() {
                    last.message = format!(
                        "{} (the titles of the {} ladder)",
                        last.message,
                        cell("ladder").to_ascii_lowercase()
                    );
                }
            }
            r
        });
        if ladder == Some(Ladder::Academic) && category == Some(Category::Worker) {
            self.bad(
                "category",
                cell("category"),
                "academic posts are cadre posts; allowed with ladder academic: cadre".into(),
            );
        }
        let disciplines: Vec<(&str, usize)> = s
            .population
            .disciplines
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.as_str(), i))
            .collect();
        let discipline = self.choice("discipline", cell("discipline"), &disciplines, Some(0));
        let universities: Vec<(&str, usize)> = s
            .universities
            .iter()
            .enumerate()
            .map(|(i, u)| (u.name.as_str(), i))
            .collect();
        let university = self.choice("university", cell("university"), &universities, None);
        let work_start = self.month("work_start", cell("work_start"));
        let hired = if cell("hired").is_empty() {
            work_start
        } else {
            self.month("hired", cell("hired"))
        };
        let wage = self.wage(cell("monthly_wage"));

        // Cross-field checks, once the cells they compare are valid.
        if let (Some(b), Some(w)) = (birth, work_start) {
            if w <= b {
                self.bad(
                    "work_start",
                    cell("work_start"),
                    format!("allowed: a month after birth ({b})"),
                );
            }
        }
        if let (Some(w), Some(h)) = (work_start, hired) {
            if h < w {
                self.bad(
                    "hired",
                    cell("hired"),
                    format!("allowed: work_start ({w}) or later"),
                );
            }
        }
        if let Some(h) = hired {
            if h > start {
                let column = if cell("hired").is_empty() {
                    "work_start"
                } else {
                    "hired"
                };
                self.bad(
                    column,
                    cell(column),
                    format!("allowed: simulation.start ({start}) or earlier"),
                );
            }
        }
        if let Some(b) = birth {
            let age = start.months_since(b).div_euclid(12);
            if !(MIN_AGE..=MAX_AGE).contains(&age) {
                self.bad(
                    "birth",
                    cell("birth"),
                    format!(
                        "age {age} at simulation.start ({start}); allowed: ages {MIN_AGE} to {MAX_AGE}"
                    ),
                );
            }
        }
        let id = match u32::try_from(id) {
            Ok(id) => id,
            Err(_) => {
                let i = (self.issue)(self.line, None, "too many rows".into());
                self.issues.push(i);
                return None;
            }
        };

        let (sex, category, birth, track, ladder, rung) =
            (sex?, category?, birth?, track?, ladder?, rung?);
        let (discipline, university, work_start, hired, wage) =
            (discipline?, university?, work_start?, hired?, wage?);
        if !self.issues.is_empty() {
            return None;
        }
        let region = s
            .region_index(&s.universities[university].region)
            .unwrap_or(0);
        let ladder_params = crate::career::ladder(s, ladder);
        let basic_wage = basic_share(wage, s.careers.performance_ratio);
        Some(Agent::new(Profile {
            id,
            university: university as u16,
            region: region as u16,
            sex,
            category,
            track,
            ladder,
            rung,
            discipline: discipline as u8,
            birth,
            work_start,
            hired,
            rung_since: rung_since(ladder_params, rung, work_start, start),
            basic_wage,
            performance_pay: performance_pay(s, basic_wage),
            effort: 1.0,
        }))
    }
}

/// A number as written in a roster, with thousands separators (`12,500.50`) removed; `None`
/// for a comma used any other way (`8,5`, a decimal comma, would otherwise read as 85).
fn plain_number(value: &str) -> Option<String> {
    let value = value.trim();
    if !value.contains(',') {
        return Some(value.to_string());
    }
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    let groups: Vec<&str> = int.split(',').collect();
    let digits = |g: &str| g.chars().all(|c| c.is_ascii_digit());
    let grouped = (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.len() == 3)
        && digits(frac);
    grouped.then(|| value.replace(',', ""))
}

/// Basic wage of a total wage: `wage / (1 + ratio)`, to the nearest fen, in integer arithmetic.
fn basic_share(wage: Fen, performance_ratio: f64) -> Fen {
    let ratio_ppm = crate::money::rate_to_ppm(performance_ratio.max(0.0)) as i128;
    let num = wage as i128 * PPM as i128;
    let den = PPM as i128 + ratio_ppm;
    ((num + den / 2) / den) as Fen
}

/// The roster gives no date for the current rung: the earliest month the ladder's minimum years
/// allow after `work_start`, and no later than `start`.
fn rung_since(
    ladder: &[RungParams],
    rung: u8,
    work_start: YearMonth,
    start: YearMonth,
) -> YearMonth {
    let months: i32 = ladder
        .iter()
        .take(rung as usize)
        .map(|r| (r.min_years * 12.0) as i32)
        .sum();
    work_start.plus_months(months).min(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_share_splits_total_pay() {
        assert_eq!(basic_share(1_500_000, 0.5), 1_000_000);
        assert_eq!(basic_share(100, 0.0), 100);
        let s = Scenario::default();
        let b = basic_share(1_234_567, s.careers.performance_ratio);
        assert!((b + performance_pay(&s, b) - 1_234_567).abs() <= 1);
    }
}

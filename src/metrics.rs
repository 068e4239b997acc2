//! What a run measures. The agent phase fills one [`MonthAgg`] per fixed-size chunk of agents;
//! chunks are merged in index order, so every figure, floats included, is the same on any
//! thread count. Money stays in fen until it is written.

use crate::agent::Track;
use crate::insurance::contributions::Contributions;
use crate::money::Fen;
use crate::time::YearMonth;

mod key;
mod radix;

pub use key::Key;

/// The insurances and funds contributions go to, in output order.
pub const ITEMS: [&str; 8] = [
    "pension",
    "occupational_annuity",
    "enterprise_annuity",
    "medical",
    "unemployment",
    "work_injury",
    "housing_fund",
    "points_bank",
];
pub const N_ITEMS: usize = ITEMS.len();

/// Index of each item in [`ITEMS`].
pub mod item {
    pub const PENSION: usize = 0;
    pub const OCCUPATIONAL_ANNUITY: usize = 1;
    pub const ENTERPRISE_ANNUITY: usize = 2;
    pub const MEDICAL: usize = 3;
    pub const UNEMPLOYMENT: usize = 4;
    pub const WORK_INJURY: usize = 5;
    pub const HOUSING_FUND: usize = 6;
    pub const POINTS_BANK: usize = 7;
}

/// Contributions of one person in one month, by item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paid {
    pub employer: [Fen; N_ITEMS],
    pub individual: [Fen; N_ITEMS],
}

/// A person's (or a group's summed) contributions by output item: the employer's and the
/// individual's part of each insurance, the major-illness fee with the individual's medical.
impl From<&Contributions> for Paid {
    fn from(c: &Contributions) -> Paid {
        let mut p = Paid::default();
        p.employer[item::PENSION] = c.pension_employer;
        p.individual[item::PENSION] = c.pension_individual;
        p.employer[item::OCCUPATIONAL_ANNUITY] = c.oa_employer;
        p.individual[item::OCCUPATIONAL_ANNUITY] = c.oa_individual;
        p.employer[item::ENTERPRISE_ANNUITY] = c.ea_employer;
        p.individual[item::ENTERPRISE_ANNUITY] = c.ea_individual;
        p.employer[item::MEDICAL] = c.medical_employer;
        p.individual[item::MEDICAL] = c.medical_individual + c.major_illness;
        p.employer[item::UNEMPLOYMENT] = c.unemployment_employer;
        p.individual[item::UNEMPLOYMENT] = c.unemployment_individual;
        p.employer[item::WORK_INJURY] = c.work_injury;
        p.employer[item::HOUSING_FUND] = c.housing_employer;
        p.individual[item::HOUSING_FUND] = c.housing_individual;
        p
    }
}

/// Aggregates of one month's agent phase. Arrays by track use `Track as usize`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonthAgg {
    pub active: [u64; 3],
    pub retired: [u64; 3],
    pub wage: [Fen; 3],
    pub take_home: [Fen; 3],
    pub employer: [[Fen; N_ITEMS]; 3],
    pub individual: [[Fen; N_ITEMS]; 3],
    /// Pension paid to retirees, by track at retirement.
    pub benefits: [Fen; 3],
    pub retirements: [u64; 3],
    pub deaths_active: [u64; 3],
    pub deaths_retired: [u64; 3],
    /// Deferred members (leavers keeping their rights), their deaths, and their pension claims
    /// at the statutory age, by track.
    pub deferred: [u64; 3],
    pub deaths_deferred: [u64; 3],
    pub deferred_claims: [u64; 3],
    /// Medical insurance by track: people in a gap this month (not paying), people in a
    /// waiting period, waiting periods begun, and months of arrears paid to bridge short gaps.
    pub medical_gap: [u64; 3],
    pub medical_gap_starts: [u64; 3],
    pub medical_waiting: [u64; 3],
    pub medical_waiting_starts: [u64; 3],
    pub medical_arrears_months: [u64; 3],
    /// Interest credited to personal pension accounts and annuities this month.
    pub interest: Fen,
    /// Employer cost by university and item.
    pub university_employer: Vec<[Fen; N_ITEMS]>,
    /// Staff still active after the agent phase, by university.
    pub active_by_university: Vec<u64>,
    /// Pooled pension funds by region and scheme (0 enterprise, 1 institution): employer
    /// contributions in, transfers in and out, benefits paid out of the pool.
    pub fund_in: Vec<[Fen; 2]>,
    pub fund_transfer_in: Vec<[Fen; 2]>,
    pub fund_transfer_out: Vec<[Fen; 2]>,
    pub fund_out: Vec<[Fen; 2]>,
    /// Contributors and pensioners by region and scheme (dependency ratio).
    pub contributors: Vec<[u64; 2]>,
    pub pensioners: Vec<[u64; 2]>,
    /// Deferred members by region and scheme.
    pub deferred_members: Vec<[u64; 2]>,
    /// Paid out of personal accounts and annuities as pensions, and to heirs at death.
    pub account_out: Fen,
    pub annuity_out: Fen,
    pub inherited: Fen,
    /// Individual pension and annuity contributions into accounts, and notional annuity credits
    /// funded in cash (for the money-conservation identity).
    pub account_in: Fen,
    pub annuity_in: Fen,
    /// Temporary staff not enrolled, by insurance item (selective participation).
    pub coverage_gap: [u64; N_ITEMS],
    /// Health benefits bought with points (paid out, not held in an account).
    pub points_health: Fen,
    /// Yuan (fen) of vested points asked for redemption, by university (December).
    pub points_demand: Vec<Fen>,
    /// The month's insurance contributions as booked, summed per track and university (index
    /// `track × universities + university`): an agent-month adds its fourteen amounts to one
    /// sum instead of spreading them over three by-item arrays. [`MonthAgg::settle`] folds
    /// them into `employer`, `individual` and `university_employer` before the month is
    /// recorded; integer sums, so every total is the same as adding person by person.
    pub booked: Vec<Contributions>,
}

impl MonthAgg {
    pub fn new(universities: usize, regions: usize) -> Self {
        MonthAgg {
            university_employer: vec![[0; N_ITEMS]; universities],
            active_by_university: vec![0; universities],
            points_demand: vec![0; universities],
            fund_in: vec![[0; 2]; regions],
            fund_transfer_in: vec![[0; 2]; regions],
            fund_transfer_out: vec![[0; 2]; regions],
            fund_out: vec![[0; 2]; regions],
            contributors: vec![[0; 2]; regions],
            pensioners: vec![[0; 2]; regions],
            deferred_members: vec![[0; 2]; regions],
            booked: vec![Contributions::default(); 3 * universities],
            ..Default::default()
        }
    }

    /// Adds one person's contributions of the month (see `booked`).
    #[inline]
    pub fn book_contributions(&mut self, track: Track, university: usize, c: &Contributions) {
        let universities = self.university_employer.len();
        debug_assert!(
            university < universities,
            "university {university} of {universities}"
        );
        self.booked[track as usize * universities + university].add(c);
    }

    /// Folds the booked contributions into the by-item arrays and clears them; the month's
    /// recording reads the arrays after this.
    pub fn settle(&mut self) {
        let universities = self.university_employer.len();
        for (k, c) in self.booked.iter_mut().enumerate() {
            if *c == Contributions::default() {
                continue;
            }
            let (t, u) = (k / universities, k % universities);
            let paid = Paid::from(&*c);
            for i in 0..N_ITEMS {
                self.employer[t][i] += paid.employer[i];
                self.individual[t][i] += paid.individual[i];
                self.university_employer[u][i] += paid.employer[i];
            }
            *c = Contributions::default();
        }
    }

    /// Adds one person's contributions.
    pub fn add_paid(&mut self, track: Track, university: usize, paid: &Paid) {
        let t = track as usize;
        for i in 0..N_ITEMS {
            self.employer[t][i] += paid.employer[i];
            self.individual[t][i] += paid.individual[i];
            self.university_employer[university][i] += paid.employer[i];
        }
    }

    /// Merges `other` into `self`; callers merge chunks in index order.
    pub fn merge(&mut self, o: &MonthAgg) {
        for t in 0..3 {
            self.active[t] += o.active[t];
            self.retired[t] += o.retired[t];
            self.wage[t] += o.wage[t];
            self.take_home[t] += o.take_home[t];
            self.benefits[t] += o.benefits[t];
            self.retirements[t] += o.retirements[t];
            self.deaths_active[t] += o.deaths_active[t];
            self.deaths_retired[t] += o.deaths_retired[t];
            self.deferred[t] += o.deferred[t];
            self.deaths_deferred[t] += o.deaths_deferred[t];
            self.deferred_claims[t] += o.deferred_claims[t];
            self.medical_gap[t] += o.medical_gap[t];
            self.medical_gap_starts[t] += o.medical_gap_starts[t];
            self.medical_waiting[t] += o.medical_waiting[t];
            self.medical_waiting_starts[t] += o.medical_waiting_starts[t];
            self.medical_arrears_months[t] += o.medical_arrears_months[t];
            for i in 0..N_ITEMS {
                self.employer[t][i] += o.employer[t][i];
                self.individual[t][i] += o.individual[t][i];
            }
        }
        self.interest += o.interest;
        self.account_out += o.account_out;
        self.annuity_out += o.annuity_out;
        self.inherited += o.inherited;
        self.account_in += o.account_in;
        self.points_health += o.points_health;
        for (a, b) in self.coverage_gap.iter_mut().zip(&o.coverage_gap) {
            *a += b;
        }
        self.annuity_in += o.annuity_in;
        for (a, b) in self
            .university_employer
            .iter_mut()
            .zip(&o.university_employer)
        {
            for i in 0..N_ITEMS {
                a[i] += b[i];
            }
        }
        for (a, b) in self
            .active_by_university
            .iter_mut()
            .zip(&o.active_by_university)
        {
            *a += b;
        }
        for (a, b) in self.points_demand.iter_mut().zip(&o.points_demand) {
            *a += b;
        }
        for (a, b) in self.booked.iter_mut().zip(&o.booked) {
            a.add(b);
        }
        add_pairs(&mut self.fund_in, &o.fund_in);
        add_pairs(&mut self.fund_transfer_in, &o.fund_transfer_in);
        add_pairs(&mut self.fund_transfer_out, &o.fund_transfer_out);
        add_pairs(&mut self.fund_out, &o.fund_out);
        add_pairs(&mut self.contributors, &o.contributors);
        add_pairs(&mut self.pensioners, &o.pensioners);
        add_pairs(&mut self.deferred_members, &o.deferred_members);
    }
}

fn add_pairs<T: Copy + std::ops::AddAssign>(a: &mut [[T; 2]], b: &[[T; 2]]) {
    for (x, y) in a.iter_mut().zip(b) {
        x[0] += y[0];
        x[1] += y[1];
    }
}

/// One row of the tidy time series: month, grouping, group value, metric, value.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub month: YearMonth,
    pub group: &'static str,
    pub key: Key,
    pub metric: &'static str,
    pub value: f64,
}

/// The run's time series, appended month by month (never per agent).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub rows: Vec<Row>,
}

impl Series {
    pub fn push(
        &mut self,
        month: YearMonth,
        group: &'static str,
        key: impl Into<Key>,
        metric: &'static str,
        value: f64,
    ) {
        self.rows.push(Row {
            month,
            group,
            key: key.into(),
            metric,
            value,
        });
    }

    /// A value in yuan from fen.
    pub fn push_money(
        &mut self,
        month: YearMonth,
        group: &'static str,
        key: impl Into<Key>,
        metric: &'static str,
        fen: Fen,
    ) {
        self.push(month, group, key, metric, crate::money::fen_to_yuan(fen));
    }

    /// Rows of one metric for the `all` group, in month order.
    pub fn total(&self, metric: &str) -> Vec<(YearMonth, f64)> {
        self.rows
            .iter()
            .filter(|r| r.metric == metric && r.group == "all")
            .map(|r| (r.month, r.value))
            .collect()
    }
}

/// Mean, and the Gini coefficient of non-negative values (0 for fewer than two values or a zero
/// total). Sorted in place: callers pass a scratch copy.
pub fn gini(values: &mut [f64]) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    // In the order of `total_cmp`, by radix (linear in the count; the same order as a
    // comparison sort, `radix`).
    radix::sort_total(values);
    let total: f64 = values.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let weighted: f64 = values
        .iter()
        .enumerate()
        .map(|(i, v)| (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * v)
        .sum();
    weighted / (n as f64 * total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_hand_cases() {
        assert_eq!(gini(&mut [1.0, 1.0, 1.0]), 0.0);
        // (2·1−4)·0 + (2·2−4)·0 + (2·3−4)·3 = 6; 6 / (3·3) = 2/3
        assert!((gini(&mut [0.0, 0.0, 3.0]) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(gini(&mut [5.0]), 0.0);
    }

    /// Distinct amounts in every item, so that a misplaced item shows.
    fn contributions(seed: Fen) -> Contributions {
        Contributions {
            pension_employer: seed,
            pension_individual: seed + 1,
            oa_employer: seed + 2,
            oa_individual: seed + 3,
            ea_employer: seed + 4,
            ea_individual: seed + 5,
            medical_employer: seed + 6,
            medical_individual: seed + 7,
            major_illness: seed + 8,
            unemployment_employer: seed + 9,
            unemployment_individual: seed + 10,
            work_injury: seed + 11,
            housing_employer: seed + 12,
            housing_individual: seed + 13,
        }
    }

    #[test]
    fn booked_contributions_settle_to_the_totals_of_adding_person_by_person() {
        let people = [
            (Track::Contract, 1, contributions(100)),
            (Track::Establishment, 0, contributions(1_000)),
            (Track::Contract, 1, contributions(20_000)),
            (Track::Temporary, 2, contributions(300_000)),
        ];
        let mut by_person = MonthAgg::new(3, 1);
        for (t, u, c) in &people {
            by_person.add_paid(*t, *u, &Paid::from(c));
        }
        // Booked in two chunks, merged, then settled.
        let (mut first, mut second) = (MonthAgg::new(3, 1), MonthAgg::new(3, 1));
        for (t, u, c) in &people[..2] {
            first.book_contributions(*t, *u, c);
        }
        for (t, u, c) in &people[2..] {
            second.book_contributions(*t, *u, c);
        }
        first.merge(&second);
        assert_ne!(first, by_person, "nothing is in the arrays before settling");
        first.settle();
        assert_eq!(first, by_person);
        // The major-illness fee is the individual's medical; the employer's items cost the
        // university.
        assert_eq!(
            first.individual[Track::Contract as usize][item::MEDICAL],
            107 + 108 + 20_007 + 20_008
        );
        assert_eq!(first.university_employer[2][item::HOUSING_FUND], 300_012);
    }

    #[test]
    fn merge_adds_every_field() {
        let mut a = MonthAgg::new(2, 1);
        let mut p = Paid::default();
        p.employer[item::PENSION] = 100;
        p.individual[item::MEDICAL] = 7;
        a.add_paid(Track::Contract, 1, &p);
        let mut b = a.clone();
        b.active[0] = 3;
        b.merge(&a);
        assert_eq!(b.employer[1][0], 200);
        assert_eq!(b.individual[1][3], 14);
        assert_eq!(b.university_employer[1][0], 200);
        assert_eq!(b.active[0], 3);
    }
}

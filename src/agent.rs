//! The staff agent: its state and the small enums that classify it. Plain data; behaviour lives
//! in `career`, `insurance`, `perception` and `engine`.

use crate::money::Fen;
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

use crate::insurance::accounts::{AnnuityAccount, HousingFundAccount, PersonalAccount};
pub use crate::insurance::{Category, Sex};
use crate::perception::{Perception, Prefs};

/// Employment track, which decides the pension scheme.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// 事业编: institution pension and occupational annuity.
    Establishment,
    /// 合同制: enterprise pension, enterprise annuity where offered.
    Contract,
    /// Temporary staff: enterprise pension where enrolled at all.
    Temporary,
}

impl Track {
    pub const ALL: [Track; 3] = [Track::Establishment, Track::Contract, Track::Temporary];
    pub fn name(self) -> &'static str {
        match self {
            Track::Establishment => "establishment",
            Track::Contract => "contract",
            Track::Temporary => "temporary",
        }
    }
    /// Whether the track belongs to the public-institution pension scheme.
    pub fn is_institution(self) -> bool {
        self == Track::Establishment
    }
}

/// Career ladder: academic titles or administrative grades.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Ladder {
    Academic,
    Administrative,
}

/// Rung names, by ladder, lowest first.
pub const ACADEMIC_TITLES: [&str; 4] =
    ["assistant", "lecturer", "associate_professor", "professor"];
pub const ADMIN_GRADES: [&str; 4] = ["clerk", "section", "division", "bureau"];

/// The title or grade name of a rung on a ladder.
pub fn title_name(ladder: Ladder, rung: u8) -> &'static str {
    let names = match ladder {
        Ladder::Academic => &ACADEMIC_TITLES,
        Ladder::Administrative => &ADMIN_GRADES,
    };
    names[(rung as usize).min(3)]
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Retired,
    /// Left the modelled universities (out of academia, or no employment): a deferred member
    /// who keeps the record, whose accounts keep earning the book rate, and who claims the
    /// pension at the statutory age from the paying place.
    Deferred,
    Dead,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Retired => "retired",
            Status::Deferred => "deferred",
            Status::Dead => "dead",
        }
    }
}

/// What an agent wants at the end of its monthly step; the resolution phase acts on it in a
/// fixed order.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Intent {
    #[default]
    None,
    /// Leave the modelled universities.
    Quit,
    /// Move to another modelled university; `cross_region` prefers one in another region.
    Move { cross_region: bool },
}

/// The social-insurance record an agent carries through its career. The field order is the
/// memory layout (`repr(C)`): the accounts a pension is paid from first (next to the award in
/// [`Agent`]), then what contributions book each month.
#[derive(Clone, Debug, Default, PartialEq)]
#[repr(C)]
pub struct InsuranceRecord {
    /// Basic-pension personal account.
    pub pension_account: PersonalAccount,
    /// Annuity (occupational, or enterprise where offered): funded and notional 记账 parts.
    pub annuity: AnnuityAccount,
    /// Contribution base in force (fen per month).
    pub base: Fen,
    /// Lifetime contributions, employer and individual, all insurances (fen).
    pub paid_employer: Fen,
    pub paid_individual: Fen,
    /// Pension contributions only (basic pension + annuity), for money's worth.
    pub pension_paid: Fen,
    /// The same contributions accumulated at the outcome discount rate (value at the current
    /// month), the denominator of money's worth.
    pub pension_paid_value: f64,
    /// Σ monthly bases in the current region and scheme since the reference date of pooled-fund
    /// transfers (1998-01 enterprise, 2014-10 institution).
    pub pooled_base_sum: Fen,
    /// The part of `pooled_base_sum` paid since the institution reform (2014-10): what moves
    /// with a change of scheme (人社部规〔2017〕1号).
    pub reform_base_sum: Fen,
    /// Σ (monthly base / average wage) over actual months.
    pub index_sum: f64,
    pub housing_fund: HousingFundAccount,
    /// Deemed index (视同缴费指数).
    pub deemed_index: f64,
    /// Months of contributions actually paid since the personal account started.
    pub actual_months: u32,
    /// Deemed months (视同缴费年限): service before the personal account of the scheme.
    pub deemed_months: u32,
    /// Months before personal accounts existed (for the "average-index" transitional form).
    pub pre_account_months: u32,
    /// Medical insurance: cumulative and current continuous months.
    pub medical_months: u32,
    pub medical_continuous: u32,
    /// Medical insurance: months missed since the last payment (a gap), and months of a
    /// waiting period still to run after a long gap.
    pub medical_gap: u32,
    pub medical_waiting: u32,
    /// Contribution months by pooling region, for the paying-place rule.
    pub stays: Stays,
    /// Region of hukou (户籍), which decides where the pension is paid when no place has ten
    /// years.
    pub hukou_region: u16,
    /// A deferred member insured elsewhere after leaving (no medical gap).
    pub medical_elsewhere: bool,
}

/// Contribution months by pooling region in order of arrival, the current region last. Fixed
/// size, so an agent carries no heap data: past the capacity the oldest stay is merged into the
/// next one (its months are then counted for that region; ten-year places are rarely that old).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stays {
    len: u8,
    items: [(u16, u32); Stays::CAPACITY],
}

impl Stays {
    pub const CAPACITY: usize = 4;

    /// A record that starts in `region` with `months` already paid there.
    pub fn starting(region: u16, months: u32) -> Self {
        let mut s = Stays::default();
        s.enter(region);
        s.items[0].1 = months;
        s
    }

    /// Arrival in a region (a new stay, even in a region seen before).
    pub fn enter(&mut self, region: u16) {
        if self.len as usize == Self::CAPACITY {
            self.items[1].1 += self.items[0].1;
            self.items.copy_within(1.., 0);
            self.len -= 1;
        }
        self.items[self.len as usize] = (region, 0);
        self.len += 1;
    }

    /// One more month paid in the current region.
    pub fn add_month(&mut self) {
        if self.len > 0 {
            self.items[self.len as usize - 1].1 += 1;
        }
    }

    /// Stays in order, `(region, months)`.
    pub fn iter(&self) -> impl Iterator<Item = (u16, u32)> + '_ {
        self.items[..self.len as usize].iter().copied()
    }

    /// Months paid in `region` over all stays.
    pub fn months_in(&self, region: u16) -> u32 {
        self.iter().filter(|s| s.0 == region).map(|s| s.1).sum()
    }
}

/// The award at retirement, by component (fen per month).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pension {
    pub basic: Fen,
    pub personal: Fen,
    pub transitional: Fen,
    pub annuity: Fen,
    pub supplement: Fen,
}

impl Pension {
    pub fn total(&self) -> Fen {
        self.basic + self.personal + self.transitional + self.annuity + self.supplement
    }
}

/// One staff member.
///
/// The field order is the memory layout (`repr(C)`): what every monthly step reads (status,
/// identity, months, pay, the award and the accounts a pension is paid from) comes first, the
/// rest of the insurance record and the last perception after it, and what only the yearly
/// evaluation or the end records read last, so that a month touches as few cache lines of an
/// agent as it can.
#[derive(Clone, Debug, PartialEq)]
#[repr(C)]
pub struct Agent {
    pub status: Status,
    pub sex: Sex,
    pub track: Track,
    pub category: Category,
    pub id: u32,
    pub birth: YearMonth,
    /// Month the status last changed (exit, retirement, death).
    pub status_since: YearMonth,
    /// Statutory (or chosen) retirement month.
    pub retire_month: YearMonth,
    pub university: u16,
    pub region: u16,
    /// In the unified scheme for new hires (enterprise pension plus an annuity).
    pub unified: bool,
    /// Joined the university's voluntary enterprise annuity.
    pub opted_in: bool,
    /// Insurances a temporary member is enrolled in under selective participation: bit `i`
    /// for `metrics::ITEMS[i]`.
    pub enrolled: u8,
    pub ladder: Ladder,
    pub rung: u8,
    pub discipline: u8,
    pub intent: Intent,
    /// Joined the current university.
    pub hired: YearMonth,
    /// Effort (1 = average): feeds promotion and the points bank; set by perception. In the
    /// first cache line with the rung's date below, beside the university, ladder and rung:
    /// the yearly passes that pool and rank candidates for promotion and conversion then read
    /// one line of each agent (a unit test below holds it).
    pub effort: f32,
    /// Reached the current rung.
    pub rung_since: YearMonth,
    /// Chosen base as a share of the wage under a flexible base scheme (1: the whole wage).
    pub base_ratio: f32,
    pub pension: Pension,
    /// Pension paid so far (fen).
    pub benefits_received: Fen,
    /// Total monthly pension at award, before any indexation: the numerator of replacement
    /// rates and the level of money's worth and the internal rate of return.
    pub first_pension: Fen,
    /// Basic wage (post + scale) and performance pay, fen per month.
    pub basic_wage: Fen,
    pub performance_pay: Fen,
    /// Wages paid this calendar year and last year (for the previous-year average base).
    pub wage_year_sum: Fen,
    pub prev_year_avg_wage: Fen,
    /// Pay after individual contributions in the last month worked, fen.
    pub take_home: Fen,
    pub insurance: InsuranceRecord,
    /// First job anywhere (start of service).
    pub work_start: YearMonth,
    pub wage_year_months: u32,
    /// Welfare perception at the last evaluation.
    pub perception: Perception,
    /// Wage in the month before retirement.
    pub final_wage: Fen,
    /// Months of medical insurance missing at retirement for lifelong retiree cover (bought with
    /// a lump sum then); 0 when the record already qualified.
    pub medical_shortfall: u32,
    /// The retirement month was chosen within the flexible window.
    pub retirement_chosen: bool,
    /// Dependants and the spouse's coverage (`household`), drawn at entry.
    pub household: crate::household::Household,
    /// Preferences, drawn when the agent enters the run.
    pub prefs: Prefs,
    /// Points-bank points by years since earned (index 0: this year's).
    pub points: [u32; 8],
}

/// Who a staff member is and where they stand when they enter the model: what a synthetic
/// draw, a roster row or a hire decides. Everything else an agent carries starts empty and is
/// derived by the engine (retirement month, insurance record).
#[derive(Clone, Debug)]
pub struct Profile {
    pub id: u32,
    pub university: u16,
    pub region: u16,
    pub sex: Sex,
    pub category: Category,
    pub track: Track,
    pub ladder: Ladder,
    pub rung: u8,
    pub discipline: u8,
    pub birth: YearMonth,
    pub work_start: YearMonth,
    pub hired: YearMonth,
    pub rung_since: YearMonth,
    pub basic_wage: Fen,
    pub performance_pay: Fen,
    pub effort: f32,
}

impl Agent {
    /// An active agent with an empty record; the engine sets `retire_month` and reconstructs
    /// the insurance record when the agent enters the run. The hukou is the region of entry.
    pub fn new(p: Profile) -> Self {
        Agent {
            id: p.id,
            university: p.university,
            region: p.region,
            sex: p.sex,
            category: p.category,
            track: p.track,
            ladder: p.ladder,
            rung: p.rung,
            discipline: p.discipline,
            status: Status::Active,
            birth: p.birth,
            work_start: p.work_start,
            hired: p.hired,
            rung_since: p.rung_since,
            retire_month: p.hired,
            status_since: p.hired,
            basic_wage: p.basic_wage,
            performance_pay: p.performance_pay,
            wage_year_sum: 0,
            wage_year_months: 0,
            prev_year_avg_wage: 0,
            insurance: InsuranceRecord {
                hukou_region: p.region,
                ..Default::default()
            },
            pension: Pension::default(),
            final_wage: 0,
            first_pension: 0,
            medical_shortfall: 0,
            benefits_received: 0,
            intent: Intent::None,
            effort: p.effort,
            prefs: Prefs {
                base_effort: p.effort,
                ..Prefs::default()
            },
            perception: Perception::default(),
            base_ratio: 1.0,
            opted_in: false,
            enrolled: u8::MAX,
            unified: false,
            points: [0; 8],
            retirement_chosen: false,
            take_home: 0,
            household: crate::household::Household::default(),
        }
    }

    pub fn wage(&self) -> Fen {
        self.basic_wage + self.performance_pay
    }

    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }

    /// Age in whole months in `month`.
    pub fn age_months(&self, month: YearMonth) -> i32 {
        month.months_since(self.birth)
    }

    pub fn age_years(&self, month: YearMonth) -> f64 {
        self.age_months(month) as f64 / 12.0
    }

    pub fn is_female(&self) -> bool {
        self.sex == Sex::Female
    }

    pub fn title(&self) -> &'static str {
        title_name(self.ladder, self.rung)
    }
}

/// Asks the processor to load the first `bytes` bytes of the agent at `p` into cache, for a
/// loop that will read it a few agents later. The staff vector is far larger than the caches,
/// and a loop over a list of positions (the living, the active staff) strides too irregularly
/// for the hardware's own prefetcher, so each agent's first touch waits on memory without it.
/// A hint changes no value: outputs are the same with or without it.
#[inline(always)]
pub fn prefetch(p: *const Agent, bytes: usize) {
    prefetch_range(p, 0, bytes);
}

/// [`prefetch`] of the agent's bytes `from..to` only: a pass that reads the first line and
/// the perception need not wait for the lines between.
#[inline(always)]
pub fn prefetch_range(p: *const Agent, from: usize, to: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let base = p.cast::<i8>();
        let mut off = from;
        while off < to {
            // SAFETY: a prefetch is a hint: it never faults and reads or writes nothing the
            // program can observe, whatever the address; `wrapping_add` makes no reference.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(base.wrapping_add(off)) };
            off += 64;
        }
        if to > from {
            // SAFETY: as above; the last byte, whose line the 64-byte steps may have missed
            // when the range does not start on a line boundary.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(base.wrapping_add(to - 1)) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (p, from, to);
}

/// The bytes of an agent from the start of its perception to its end, for [`prefetch_range`]
/// in the passes over evaluations (peers, perception rows).
pub const PERCEPTION_BYTES: std::ops::Range<usize> = std::mem::offset_of!(Agent, perception)
    ..std::mem::offset_of!(Agent, perception) + std::mem::size_of::<Perception>();

/// How many agents ahead of the one it reads a pass over listed positions asks for memory
/// ([`prefetch`]): an agent's work in a yearly pass is tens to hundreds of nanoseconds, a load
/// from memory about a hundred.
pub const AHEAD: usize = 8;

/// An entry of a list of agents by offset in their chunk (the engine's roll lists the active
/// staff as bare offsets and the living as visits with their keys).
pub trait Listed: Copy {
    fn offset(self) -> usize;
}

impl Listed for u16 {
    fn offset(self) -> usize {
        self as usize
    }
}

/// Asks memory for the bytes `ranges` ([`prefetch_range`]) of the agent listed [`AHEAD`]
/// places after entry `k` of `offsets`, if there is one: what a pass over a list does before
/// it reads entry `k`.
#[inline(always)]
pub fn prefetch_ahead<O: Listed>(
    chunk: &[Agent],
    offsets: &[O],
    k: usize,
    ranges: &[std::ops::Range<usize>],
) {
    if let Some(&next) = offsets.get(k + AHEAD) {
        let p = chunk.as_ptr().wrapping_add(next.offset());
        for r in ranges {
            prefetch_range(p, r.start, r.end);
        }
    }
}

/// The agents of `chunk` at `offsets` (a list of the engine's roll), in order, each with its
/// offset, the bytes `ranges` of the agent [`AHEAD`] places on asked of memory before each
/// is read ([`prefetch_ahead`]). The yearly passes over the active staff read a line or two
/// of each agent, spread over a vector far larger than the caches.
pub fn listed<'a, O: Listed>(
    chunk: &'a [Agent],
    offsets: &'a [O],
    ranges: &'static [std::ops::Range<usize>],
) -> impl Iterator<Item = (usize, &'a Agent)> + 'a {
    offsets.iter().enumerate().map(move |(k, &o)| {
        prefetch_ahead(chunk, offsets, k, ranges);
        (o.offset(), &chunk[o.offset()])
    })
}

/// The first cache line of an agent: identity, status, university, title, dates, effort (a
/// unit test below holds what promotion and conversion read there).
pub const FIRST_LINE: std::ops::Range<usize> = 0..64;

/// The first line alone: what the promotion, conversion and points pools read.
pub const FIRST_LINE_ONLY: &[std::ops::Range<usize>] = &[FIRST_LINE];

/// The whole agent: what completing an evaluation reads (identity, pay, perception,
/// preferences, points).
pub const WHOLE: &[std::ops::Range<usize>] = &[ALL_BYTES];

/// Every byte of an agent.
const ALL_BYTES: std::ops::Range<usize> = 0..std::mem::size_of::<Agent>();

/// The first line and the perception: what the passes over evaluations read.
pub const FIRST_LINE_AND_PERCEPTION: &[std::ops::Range<usize>] = &[FIRST_LINE, PERCEPTION_BYTES];

/// An agent's bytes up to the end of its annuity account: what a pensioner's month and the
/// year-end liabilities read (status, sex, birth, the award, the accounts).
pub const TO_ACCOUNTS_END: std::ops::Range<usize> = 0..std::mem::offset_of!(Agent, insurance)
    + std::mem::offset_of!(InsuranceRecord, annuity)
    + std::mem::size_of::<AnnuityAccount>();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pensioned_month_reads_the_first_three_cache_lines() {
        use std::mem::{offset_of, size_of};
        let accounts_end = TO_ACCOUNTS_END.end;
        assert!(accounts_end <= 192, "accounts end at byte {accounts_end}");
        assert!(offset_of!(Agent, pension) < accounts_end);
        assert!(offset_of!(Agent, benefits_received) < accounts_end);
        // An active month also reads the leaving factor, just past the insurance record.
        let quit_end =
            offset_of!(Agent, perception) + offset_of!(Perception, evaluated) + size_of::<bool>();
        assert!(
            quit_end <= 384,
            "the leaving factor ends at byte {quit_end}"
        );
    }

    #[test]
    fn promotion_and_conversion_pools_read_the_first_cache_line() {
        use std::mem::{offset_of, size_of};
        let ends = [
            offset_of!(Agent, status) + size_of::<Status>(),
            offset_of!(Agent, track) + size_of::<Track>(),
            offset_of!(Agent, id) + size_of::<u32>(),
            offset_of!(Agent, university) + size_of::<u16>(),
            offset_of!(Agent, ladder) + size_of::<Ladder>(),
            offset_of!(Agent, rung) + size_of::<u8>(),
            offset_of!(Agent, hired) + size_of::<YearMonth>(),
            offset_of!(Agent, effort) + size_of::<f32>(),
            offset_of!(Agent, rung_since) + size_of::<YearMonth>(),
        ];
        assert!(ends.iter().all(|&e| e <= 64), "field ends {ends:?}");
    }

    #[test]
    fn stays_count_months_by_region_over_visits() {
        let mut s = Stays::starting(3, 24);
        s.add_month();
        s.enter(5);
        (0..10).for_each(|_| s.add_month());
        s.enter(3);
        s.add_month();
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![(3, 25), (5, 10), (3, 1)]);
        assert_eq!(s.months_in(3), 26);
        assert_eq!(s.months_in(5), 10);
    }

    #[test]
    fn stays_past_capacity_fold_the_oldest_into_the_next() {
        let mut s = Stays::starting(1, 7);
        for r in 2..=5 {
            s.enter(r);
            s.add_month();
        }
        // (1, 7) was folded into (2, 1): region 2 is credited with those months.
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![(2, 8), (3, 1), (4, 1), (5, 1)]
        );
        assert_eq!(s.iter().map(|x| x.1).sum::<u32>(), 11, "no month is lost");
    }
}

//! What a run keeps as it goes: the monthly rows and the pooled-fund ledger (the per-agent
//! records at the end are `end`'s). Nothing here holds per-agent history: rows are aggregates.

use super::env::MonthEnv;
use super::roll::Visit;
use crate::agent::{Agent, Status, Track};
use crate::career::Resolution;
use crate::metrics::{Key, MonthAgg, Series, ITEMS, N_ITEMS};
use crate::money::{fen_to_yuan, Fen};
use crate::scenario::{Fiscal, Scenario};
use crate::time::YearMonth;
use rayon::prelude::*;

/// Running totals across the run: pooled funds, account flows, yearly employer costs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    /// The pooled funds by region and scheme.
    pub funds: super::funds::Funds,
    pub year_cost: Vec<[Fen; N_ITEMS]>,
    /// Employer cost this year net of fiscal matching, by university.
    pub year_net_cost: Vec<f64>,
    /// Personal-account and annuity balances of the initial population and of hires with
    /// earlier service, when they entered.
    pub opening_accounts: Fen,
    pub account_in: Fen,
    pub annuity_in: Fen,
    pub interest: Fen,
    pub account_out: Fen,
    pub annuity_out: Fen,
    pub inherited: Fen,
    /// Annuity factors by sex and age in months at retirement (see [`annuity_factor`]).
    annuity: Vec<[f64; 2]>,
    /// Yearly survival curves by whole age at retirement and sex (see `end::expected_irr`).
    pub(super) survival: Vec<[Vec<f64>; 2]>,
    /// The series keys named after the scenario's universities and regions.
    keys: Keys,
}

/// The series keys that name a university or a region, made once per run (`metrics::Key`).
#[derive(Clone, Debug, Default, PartialEq)]
struct Keys {
    /// `university/item` for each insurance item, then `university/total`.
    university: Vec<[Key; N_ITEMS + 1]>,
    region: Vec<Key>,
}

impl Keys {
    fn new(s: &Scenario) -> Self {
        Keys {
            university: s
                .universities
                .iter()
                .map(|u| {
                    std::array::from_fn(|i| {
                        let item = ITEMS.get(i).copied().unwrap_or("total");
                        Key::shared(format!("{}/{}", u.name, item))
                    })
                })
                .collect(),
            region: s.regions.iter().map(|r| Key::shared(&*r.name)).collect(),
        }
    }
}

/// The fewest people whose figures series.csv states: k for a roster run whose agents.csv is
/// k-anonymous (`simulation.roster_k_anonymity`), 1 otherwise. A group mean, or a track's or
/// university's monthly total of pay-based money, over fewer real staff than that would state
/// what agents.csv withholds (a lone temporary member's contributions are her wage times the
/// rate), so those rows are left out; counts of people are always written.
pub fn smallest_group(s: &Scenario) -> u64 {
    crate::anonymise::k_of(s).map_or(1, |k| u64::from(k.max(1)))
}

/// Whether a money total over `n` people is written when groups need at least `k`
/// ([`smallest_group`]): always in an ordinary run (`k` = 1, even a total over nobody, as
/// before), otherwise only over at least `k` people.
fn states_money(k: u64, n: u64) -> bool {
    k == 1 || n >= k
}

/// Youngest age (months) with a tabulated annuity factor; younger ages use this one.
pub(super) const ANNUITY_FROM: i32 = 40 * 12;
pub(super) const ANNUITY_TO: i32 = 80 * 12;

impl Ledger {
    pub fn new(s: &Scenario, opening_accounts: Fen) -> Self {
        Ledger {
            funds: super::funds::Funds::new(s),
            keys: Keys::new(s),
            year_cost: vec![[0; N_ITEMS]; s.universities.len()],
            year_net_cost: vec![0.0; s.universities.len()],
            opening_accounts,
            annuity: super::end::annuity_table(s),
            survival: super::end::survival_table(s),
            ..Default::default()
        }
    }

    /// Expected present value at retirement of one yuan a month for life, growing with
    /// pensions in payment, discounted at the outcome rate, by survival.
    pub fn annuity_factor(&self, female: bool, age_months: i32) -> f64 {
        let i = (age_months.clamp(ANNUITY_FROM, ANNUITY_TO) - ANNUITY_FROM) as usize;
        self.annuity[i][female as usize]
    }

    /// Books the month and writes its rows. `on_roll` lists the active staff by chunk
    /// (`roll::Roll::staff`).
    #[allow(clippy::too_many_arguments)]
    pub fn record_month(
        &mut self,
        s: &Scenario,
        env: &MonthEnv,
        agents: &[Agent],
        roll: &super::roll::Roll,
        agg: &MonthAgg,
        res: &Resolution,
        series: &mut Series,
    ) {
        debug_assert!(
            agg.booked.iter().all(|c| *c == Default::default()),
            "the month's contributions are settled before it is recorded"
        );
        let m = env.month;
        let k = smallest_group(s);
        self.book_flows(agg);
        self.funds.book(s, env, agg);
        let hires: u64 = res.hires.iter().sum();
        let quits: u64 = res.quits.iter().sum();
        let staff = agg.active_by_university.iter().sum::<u64>() - quits + hires;
        let exits =
            quits + agg.retirements.iter().sum::<u64>() + agg.deaths_active.iter().sum::<u64>();
        series.push(m, "all", "all", "staff", staff as f64);
        series.push(m, "all", "all", "entries", hires as f64);
        series.push(m, "all", "all", "exits", exits as f64);
        track_rows(m, agg, res, k, series);
        insurance_rows(m, agg, k, series);
        self.funds.rows(s, m, agg, k, series);
        for (year, month) in self.year_cost.iter_mut().zip(&agg.university_employer) {
            for (y, m) in year.iter_mut().zip(month) {
                *y += m;
            }
        }
        for (u, month) in agg.university_employer.iter().enumerate() {
            let matching = match s.universities[u].fiscal {
                Fiscal::Ministry => env.policy.ministry_matching,
                Fiscal::Local => env.policy.local_matching,
            };
            self.year_net_cost[u] += fen_to_yuan(month.iter().sum()) * (1.0 - matching);
        }
        series.push_money(m, "all", "all", "points_health_benefits", agg.points_health);
        if env.evaluate {
            perception_rows(s, m, agents, &roll.staff, &self.keys.region, k, series);
        }
        if env.year_end {
            self.year_rows(s, m, agents, &roll.live, agg, k, series);
        }
    }

    fn book_flows(&mut self, agg: &MonthAgg) {
        self.account_in += agg.account_in;
        self.annuity_in += agg.annuity_in;
        self.interest += agg.interest;
        self.account_out += agg.account_out;
        self.annuity_out += agg.annuity_out;
        self.inherited += agg.inherited;
    }

    /// December rows: each university's employer cost by insurance for the year, and the
    /// liabilities of annuities and transitional pensions.
    #[allow(clippy::too_many_arguments)]
    fn year_rows(
        &mut self,
        s: &Scenario,
        m: YearMonth,
        agents: &[Agent],
        live: &[Vec<Visit>],
        agg: &MonthAgg,
        k: u64,
        series: &mut Series,
    ) {
        for u in 0..s.universities.len() {
            if !states_money(k, agg.active_by_university[u]) {
                continue;
            }
            let keys = &self.keys.university[u];
            for (i, key) in keys[..N_ITEMS].iter().enumerate() {
                series.push_money(m, "university", key, "employer_cost", self.year_cost[u][i]);
            }
            let total = &keys[N_ITEMS];
            let cost = self.year_cost[u].iter().sum();
            series.push_money(m, "university", total, "employer_cost", cost);
            let net = (self.year_net_cost[u] * 100.0).round() / 100.0;
            series.push(m, "university", total, "net_cost", net);
        }
        self.year_cost.iter_mut().for_each(|c| *c = [0; N_ITEMS]);
        self.year_net_cost.iter_mut().for_each(|c| *c = 0.0);
        let (annuities, transitional) = liabilities(self, agents, live, m);
        series.push_money(m, "all", "all", "annuity_liability", annuities);
        series.push(m, "all", "all", "transitional_liability", transitional);
    }

    /// Exactness check of the account side: what entered accounts (opening balances,
    /// contributions, interest) equals what is in them plus what left them (pensions paid from
    /// accounts, balances inherited). Returns (in, held + out).
    pub fn conservation(&self, agents: &[Agent]) -> (Fen, Fen) {
        let held: Fen = agents
            .iter()
            .map(|a| a.insurance.pension_account.total() + a.insurance.annuity.total())
            .sum();
        let inflow = self.opening_accounts + self.account_in + self.annuity_in + self.interest;
        (
            inflow,
            held + self.account_out + self.annuity_out + self.inherited,
        )
    }
}

/// Monthly rows by track; with `k` > 1 (`smallest_group`) a track's means and money totals
/// only where at least `k` people make them up.
fn track_rows(m: YearMonth, agg: &MonthAgg, res: &Resolution, k: u64, series: &mut Series) {
    for t in Track::ALL {
        let i = t as usize;
        let key = t.name();
        let n = agg.active[i];
        series.push(m, "track", key, "staff_paid", n as f64);
        series.push(m, "track", key, "retirees", agg.retired[i] as f64);
        series.push(m, "track", key, "hires", res.hires[i] as f64);
        series.push(m, "track", key, "quits", res.quits[i] as f64);
        series.push(m, "track", key, "moves", res.moves[i] as f64);
        series.push(m, "track", key, "retirements", agg.retirements[i] as f64);
        series.push(
            m,
            "track",
            key,
            "deaths_active",
            agg.deaths_active[i] as f64,
        );
        series.push(
            m,
            "track",
            key,
            "deaths_retired",
            agg.deaths_retired[i] as f64,
        );
        series.push(m, "track", key, "promotions", res.promotions[i] as f64);
        let people = [
            ("deferred", agg.deferred[i]),
            ("deaths_deferred", agg.deaths_deferred[i]),
            ("deferred_claims", agg.deferred_claims[i]),
            ("medical_gap_months", agg.medical_gap[i]),
            ("medical_gap_starts", agg.medical_gap_starts[i]),
            ("medical_gap_arrears_months", agg.medical_arrears_months[i]),
            ("medical_waiting_members", agg.medical_waiting[i]),
            ("medical_waiting_starts", agg.medical_waiting_starts[i]),
        ];
        for (metric, n) in people {
            series.push(m, "track", key, metric, n as f64);
        }
        // A mean needs someone to average over, and at least `k` people.
        if n >= k {
            series.push(
                m,
                "track",
                key,
                "mean_wage",
                fen_to_yuan(agg.wage[i]) / n as f64,
            );
            series.push(
                m,
                "track",
                key,
                "mean_take_home",
                fen_to_yuan(agg.take_home[i]) / n as f64,
            );
        }
        if states_money(k, agg.retired[i]) {
            series.push_money(m, "track", key, "benefits_paid", agg.benefits[i]);
        }
        if !states_money(k, n) {
            continue;
        }
        series.push_money(
            m,
            "track",
            key,
            "employer_contributions",
            agg.employer[i].iter().sum(),
        );
        series.push_money(
            m,
            "track",
            key,
            "individual_contributions",
            agg.individual[i].iter().sum(),
        );
    }
    series.push(m, "all", "all", "conversions", res.conversions as f64);
    series.push(
        m,
        "all",
        "all",
        "cross_region_moves",
        res.cross_region_moves as f64,
    );
}

fn insurance_rows(m: YearMonth, agg: &MonthAgg, k: u64, series: &mut Series) {
    let money = states_money(k, agg.active.iter().sum());
    for (i, name) in ITEMS.iter().enumerate() {
        if money {
            let er: Fen = (0..3).map(|t| agg.employer[t][i]).sum();
            let ee: Fen = (0..3).map(|t| agg.individual[t][i]).sum();
            series.push_money(m, "insurance", *name, "employer_contributions", er);
            series.push_money(m, "insurance", *name, "individual_contributions", ee);
        }
        series.push(
            m,
            "insurance",
            *name,
            "uncovered_staff",
            agg.coverage_gap[i] as f64,
        );
    }
}

/// Age bands of the yearly perception rows.
pub const AGE_BANDS: [&str; 4] = ["under_30", "30_39", "40_49", "50_plus"];

/// Index in [`AGE_BANDS`] of an agent's age in `m`.
pub fn age_band(a: &Agent, m: YearMonth) -> usize {
    match a.age_months(m) / 12 {
        x if x < 30 => 0,
        x if x < 40 => 1,
        x if x < 50 => 2,
        _ => 3,
    }
}

/// Yearly perception rows: mean perception, expected replacement rate, effort and take-home
/// pay by track, age band, title and region; the gap between tracks; the Gini of expected
/// pensions; take-up of the voluntary annuity. Groups are accumulated in fixed slots (no
/// allocation per agent) and written in a fixed order.
fn perception_rows(
    s: &Scenario,
    m: YearMonth,
    agents: &[Agent],
    staff: &[Vec<u16>],
    regions: &[Key],
    k: u64,
    series: &mut Series,
) {
    let k = k as f64;
    const TRACKS: usize = 0;
    const AGES: usize = 3;
    const TITLES: usize = AGES + AGE_BANDS.len();
    const REGIONS: usize = TITLES + 8;
    // Whether each region offers an enterprise annuity this month, looked up once.
    let enabled: Vec<bool> = s
        .regions
        .iter()
        .map(|r| *s.insurance.enterprise_annuity.enabled.at(m, &r.name))
        .collect();
    // The scan of the active staff (`staff`: their offsets by chunk, `roll::Roll::staff`)
    // runs in parallel chunks and keeps a small row per evaluated agent; the float sums then
    // run over the rows in id order, as one pass would, so the figures are the same on any
    // number of threads.
    let rows: Vec<Vec<Row>> = agents
        .par_chunks(super::CHUNK)
        .zip(staff.par_iter())
        .map(|(chunk, staff)| {
            crate::agent::listed(chunk, staff, PERCEPTION_ROW_BYTES)
                .map(|(_, a)| a)
                .filter(|a| a.is_active() && a.perception.evaluated)
                .map(|a| Row {
                    slots: [
                        (TRACKS + a.track as usize) as u8,
                        (AGES + age_band(a, m)) as u8,
                        (TITLES + a.ladder as usize * 4 + a.rung as usize) as u8,
                    ],
                    region: a.region,
                    index: a.perception.index,
                    expected_rr: a.perception.expected_rr,
                    effort: a.effort,
                    take_home: a.take_home,
                    expected_pension: a.perception.expected_pension,
                    offered: a.track == Track::Contract
                        && enabled[a.region as usize]
                        && s.universities[a.university as usize].enterprise_annuity,
                    joined: a.opted_in,
                })
                .collect()
        })
        .collect();
    let mut acc = vec![[0.0f64; 5]; REGIONS + s.regions.len()];
    let mut pensions = Vec::with_capacity(rows.iter().map(Vec::len).sum());
    let (mut offered, mut joined) = (0u64, 0u64);
    for r in rows.iter().flatten() {
        let [track, age, title] = r.slots;
        for slot in [
            track as usize,
            age as usize,
            title as usize,
            REGIONS + r.region as usize,
        ] {
            let e = &mut acc[slot];
            e[0] += r.index as f64;
            e[1] += r.expected_rr as f64;
            e[2] += r.effort as f64;
            e[3] += fen_to_yuan(r.take_home);
            e[4] += 1.0;
        }
        pensions.push(r.expected_pension as f64);
        if r.offered {
            offered += 1;
            joined += u64::from(r.joined);
        }
    }
    let mut keys: Vec<(&'static str, Key)> = Track::ALL
        .iter()
        .map(|t| ("track", Key::from(t.name())))
        .collect();
    keys.extend(AGE_BANDS.iter().map(|&b| ("age_band", Key::from(b))));
    for ladder in [
        crate::agent::Ladder::Academic,
        crate::agent::Ladder::Administrative,
    ] {
        keys.extend((0..4).map(|r| ("title", Key::from(crate::agent::title_name(ladder, r)))));
    }
    keys.extend(regions.iter().map(|r| ("region", r.clone())));
    for ((group, key), [index, rr, effort, take_home, n]) in keys.iter().zip(&acc) {
        if *n < k {
            continue;
        }
        series.push(m, group, key, "perception", index / n);
        series.push(m, group, key, "expected_replacement_rate", rr / n);
        series.push(m, group, key, "effort", effort / n);
        series.push(m, group, key, "take_home", take_home / n);
    }
    let mean_rr = |t: Track| {
        let g = &acc[TRACKS + t as usize];
        (g[4] >= k).then(|| g[1] / g[4])
    };
    if let (Some(e), Some(c)) = (mean_rr(Track::Establishment), mean_rr(Track::Contract)) {
        series.push(
            m,
            "all",
            "all",
            "track_gap_expected_replacement_rate",
            e - c,
        );
    }
    if k <= 1.0 || pensions.len() as f64 >= k {
        series.push(
            m,
            "all",
            "all",
            "gini_expected_pension",
            crate::metrics::gini(&mut pensions),
        );
    }
    if offered > 0 && offered as f64 >= k {
        series.push(
            m,
            "all",
            "all",
            "enterprise_annuity_take_up",
            joined as f64 / offered as f64,
        );
    }
}

/// The bytes of an agent a perception row reads: the first line, the take-home pay and the
/// perception.
const PERCEPTION_ROW_BYTES: &[std::ops::Range<usize>] = &[
    crate::agent::FIRST_LINE,
    std::mem::offset_of!(Agent, take_home)..std::mem::offset_of!(Agent, take_home) + 8,
    crate::agent::PERCEPTION_BYTES,
];

/// What the perception rows need of one evaluated agent.
struct Row {
    slots: [u8; 3],
    region: u16,
    index: f32,
    expected_rr: f32,
    effort: f32,
    take_home: Fen,
    expected_pension: f32,
    offered: bool,
    joined: bool,
}

/// The bytes of an agent [`liabilities`] reads: its first three lines (status, sex, birth,
/// the award, the annuity account).
const LIABILITY_BYTES: &[std::ops::Range<usize>] = &[crate::agent::TO_ACCOUNTS_END];

/// Annuity balances held (fen) and the present value of transitional pensions in payment
/// (yuan), at the outcome discount rate. `live` lists the living by chunk (`roll::Roll`): the
/// dead hold nothing, and by the end of a long run they are a quarter of the vector.
fn liabilities(l: &Ledger, agents: &[Agent], live: &[Vec<Visit>], m: YearMonth) -> (Fen, f64) {
    // Chunks in parallel: the fen sums are exact in any order; the present values are kept
    // per transitional pensioner and summed in id order, as one pass would.
    let parts: Vec<(Fen, Vec<f64>)> = agents
        .par_chunks(super::CHUNK)
        .zip(live.par_iter())
        .map(|(chunk, live)| {
            let mut annuities: Fen = 0;
            let mut transitional = Vec::new();
            for (_, a) in crate::agent::listed(chunk, live, LIABILITY_BYTES) {
                match a.status {
                    Status::Active | Status::Retired | Status::Deferred => {
                        annuities += a.insurance.annuity.total()
                    }
                    _ => continue,
                }
                if a.status == Status::Retired && a.pension.transitional > 0 {
                    transitional.push(
                        fen_to_yuan(a.pension.transitional)
                            * l.annuity_factor(a.is_female(), a.age_months(m)),
                    );
                }
            }
            (annuities, transitional)
        })
        .collect();
    let annuities = parts.iter().map(|p| p.0).sum();
    let mut transitional = 0.0;
    for x in parts.iter().flat_map(|p| &p.1) {
        transitional += x;
    }
    (annuities, transitional)
}

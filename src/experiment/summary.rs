//! What one run contributes to a sweep: a short list of summary metrics (the `runs.csv` rows),
//! the yearly series, and the per-agent outcomes of the initial staff that paired differences
//! are computed from. All are plain rows, so a run can be written to its own small file and
//! the outcome dropped at once.

use crate::agent::{Status, Track};
use crate::engine::{AgentRecord, Outcome};
use crate::metrics::ITEMS;
use crate::money::fen_to_yuan;
use crate::scenario::Scenario;
use std::collections::HashMap;

/// One summary metric of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricRow {
    /// `all`, `track`, `insurance`, `fund` or `university` (as in series.csv).
    pub group: String,
    pub key: String,
    pub metric: String,
    pub value: f64,
}

const TRACKS: [Track; 3] = [Track::Establishment, Track::Contract, Track::Temporary];

/// Series metrics that are flows (summed over a year or the run); the others are levels (the
/// value at the end of the year or run).
pub const FLOW_METRICS: &[&str] = &[
    "entries",
    "exits",
    "conversions",
    "cross_region_moves",
    "hires",
    "quits",
    "moves",
    "retirements",
    "deaths_active",
    "deaths_retired",
    "deaths_deferred",
    "deferred_claims",
    "medical_gap_months",
    "medical_gap_starts",
    "medical_gap_arrears_months",
    "medical_waiting_starts",
    "promotions",
    "benefits_paid",
    "employer_contributions",
    "individual_contributions",
    "contributions_in",
    "benefits_out",
    "transfers_in",
    "transfers_out",
    "interest",
    "fiscal_subsidy",
];

/// The per-agent outcomes paired across variants, in the order of [`AgentOutcome::values`].
pub const PAIRED_METRICS: [&str; 5] = [
    "replacement_final_wage",
    "replacement_average_wage",
    "money_worth",
    "irr",
    "pension_total",
];

/// The paired outcomes of one agent of the initial staff.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentOutcome {
    pub id: u32,
    pub track: String,
    /// One per [`PAIRED_METRICS`]; `None` where it does not apply (not retired).
    pub values: [Option<f64>; 5],
}

fn paired_values(r: &AgentRecord) -> [Option<f64>; 5] {
    let total = r.pension.total();
    [
        r.replacement_final,
        r.replacement_average,
        r.money_worth,
        r.irr,
        (total > 0).then(|| fen_to_yuan(total)),
    ]
}

/// The paired outcomes of the initial staff (ids below the initial headcount: the same people
/// in every variant with the same seed; later hires are not the same people across variants).
pub fn agent_outcomes(o: &Outcome) -> Vec<AgentOutcome> {
    o.records
        .iter()
        .filter(|r| (r.id as usize) < o.info.agents_initial)
        .map(|r| AgentOutcome {
            id: r.id,
            track: r.track.name().to_string(),
            values: paired_values(r),
        })
        .collect()
}

struct Rows(Vec<MetricRow>);

impl Rows {
    fn push(&mut self, group: &str, key: &str, metric: &str, value: f64) {
        self.0.push(MetricRow {
            group: group.into(),
            key: key.into(),
            metric: metric.into(),
            value,
        });
    }
    fn push_mean(&mut self, group: &str, key: &str, metric: &str, xs: impl Iterator<Item = f64>) {
        let (mut sum, mut n) = (0.0, 0usize);
        for x in xs.filter(|x| x.is_finite()) {
            sum += x;
            n += 1;
        }
        if n > 0 {
            self.push(group, key, metric, sum / n as f64);
        }
    }
}

/// An agent record with whether it belongs to the initial staff.
struct Rec<'a> {
    record: &'a AgentRecord,
    initial: bool,
}

impl std::ops::Deref for Rec<'_> {
    type Target = AgentRecord;
    fn deref(&self) -> &AgentRecord {
        self.record
    }
}

/// Sum over the run of a series metric for one (group, key).
fn series_sum(o: &Outcome, group: &str, key: &str, metric: &str) -> Option<f64> {
    let mut found = false;
    let mut sum = 0.0;
    for r in &o.series.rows {
        if r.group == group && r.metric == metric && r.key == key {
            sum += r.value;
            found = true;
        }
    }
    found.then_some(sum)
}

/// Last value of a series metric for one (group, key).
fn series_last(o: &Outcome, group: &str, key: &str, metric: &str) -> Option<f64> {
    o.series
        .rows
        .iter()
        .rev()
        .find(|r| r.group == group && r.metric == metric && r.key == key)
        .map(|r| r.value)
}

/// The summary metrics of one run, in a fixed order. docs/EXPERIMENTS.md lists them.
pub fn run_metrics(s: &Scenario, o: &Outcome) -> Vec<MetricRow> {
    let mut rows = Rows(Vec::new());
    let recs: Vec<Rec> = o
        .records
        .iter()
        .map(|r| Rec {
            record: r,
            initial: (r.id as usize) < o.info.agents_initial,
        })
        .collect();
    let all: Vec<&Rec> = recs.iter().collect();
    rows.push("all", "all", "staff_initial", o.info.agents_initial as f64);
    if let Some(v) = series_last(o, "all", "all", "staff") {
        rows.push("all", "all", "staff_final", v);
    }
    rows.push("all", "all", "agents_simulated", o.records.len() as f64);
    for m in ["entries", "exits", "conversions", "cross_region_moves"] {
        if let Some(v) = series_sum(o, "all", "all", m) {
            rows.push("all", "all", m, v);
        }
    }
    outcome_rows(&mut rows, "all", "all", &all);
    for m in [
        "employer_contributions",
        "individual_contributions",
        "benefits_paid",
    ] {
        let total: f64 = TRACKS
            .iter()
            .filter_map(|t| series_sum(o, "track", t.name(), m))
            .sum();
        rows.push("all", "all", m, total);
    }
    for m in ["annuity_liability", "transitional_liability"] {
        if let Some(v) = series_last(o, "all", "all", m) {
            rows.push("all", "all", &format!("{m}_final"), v);
        }
    }
    for t in TRACKS {
        let of: Vec<&Rec> = recs.iter().filter(|r| r.track == t).collect();
        let active = of.iter().filter(|r| r.status == Status::Active).count();
        rows.push("track", t.name(), "staff_final", active as f64);
        outcome_rows(&mut rows, "track", t.name(), &of);
        for m in [
            "employer_contributions",
            "individual_contributions",
            "benefits_paid",
        ] {
            if let Some(v) = series_sum(o, "track", t.name(), m) {
                rows.push("track", t.name(), m, v);
            }
        }
    }
    for item in ITEMS {
        if let Some(v) = series_sum(o, "insurance", item, "employer_contributions") {
            rows.push("insurance", item, "employer_cost", v);
        }
        if let Some(v) = series_sum(o, "insurance", item, "individual_contributions") {
            rows.push("insurance", item, "individual_contributions", v);
        }
    }
    let mut funds: Vec<&str> = Vec::new();
    for r in &o.series.rows {
        if r.group == "fund" && !funds.contains(&r.key.as_str()) {
            funds.push(&r.key);
        }
    }
    for f in funds {
        for m in ["balance", "dependency_ratio"] {
            if let Some(v) = series_last(o, "fund", f, m) {
                rows.push("fund", f, &format!("{m}_final"), v);
            }
        }
    }
    for u in &s.universities {
        if let Some(v) = series_sum(
            o,
            "university",
            &format!("{}/total", u.name),
            "employer_cost",
        ) {
            rows.push("university", &u.name, "employer_cost", v);
        }
    }
    rows.0
}

/// Retirees, mean pension outcomes and retention over a set of agent records.
fn outcome_rows(rows: &mut Rows, group: &str, key: &str, recs: &[&Rec]) {
    let plain: Vec<&AgentRecord> = recs.iter().map(|r| r.record).collect();
    let retired: Vec<&AgentRecord> = plain
        .iter()
        .copied()
        .filter(|r| r.replacement_final.is_some())
        .collect();
    rows.push(group, key, "retirees", retired.len() as f64);
    rows.push_mean(
        group,
        key,
        "mean_replacement_final_wage",
        retired.iter().filter_map(|r| r.replacement_final),
    );
    rows.push_mean(
        group,
        key,
        "mean_replacement_average_wage",
        retired.iter().filter_map(|r| r.replacement_average),
    );
    rows.push_mean(
        group,
        key,
        "mean_money_worth",
        retired.iter().filter_map(|r| r.money_worth),
    );
    rows.push_mean(group, key, "mean_irr", retired.iter().filter_map(|r| r.irr));
    rows.push_mean(
        group,
        key,
        "mean_pension_total",
        plain
            .iter()
            .filter(|r| r.status == Status::Retired && r.pension.total() > 0)
            .map(|r| fen_to_yuan(r.pension.total())),
    );
    let initial: Vec<&&Rec> = recs.iter().filter(|r| r.initial).collect();
    if !initial.is_empty() {
        let stayed = initial
            .iter()
            .filter(|r| r.record.status != Status::Deferred)
            .count();
        rows.push(
            group,
            key,
            "retention",
            stayed as f64 / initial.len() as f64,
        );
    }
}

/// One row of the yearly series.
#[derive(Clone, Debug, PartialEq)]
pub struct YearRow {
    pub year: i32,
    pub group: &'static str,
    pub key: String,
    pub metric: &'static str,
    pub value: f64,
}

/// The monthly series folded to years: flows ([`FLOW_METRICS`]) summed over the months of the
/// year, levels taken at the last month of the year they appear in. Rows keep the order in
/// which they first appear within each year.
pub fn yearly_series(o: &Outcome) -> Vec<YearRow> {
    let mut out: Vec<YearRow> = Vec::new();
    let mut year_start = 0;
    let mut index: HashMap<(&'static str, &str, &'static str), usize> = HashMap::new();
    let mut current: Option<i32> = None;
    for r in &o.series.rows {
        let y = r.month.year();
        if current != Some(y) {
            current = Some(y);
            year_start = out.len();
            index.clear();
        }
        let flow = FLOW_METRICS.contains(&r.metric);
        match index.get(&(r.group, r.key.as_str(), r.metric)) {
            Some(&i) => {
                let row = &mut out[year_start + i];
                if flow {
                    row.value += r.value;
                } else {
                    row.value = r.value;
                }
            }
            None => {
                index.insert((r.group, r.key.as_str(), r.metric), out.len() - year_start);
                out.push(YearRow {
                    year: y,
                    group: r.group,
                    key: r.key.to_string(),
                    metric: r.metric,
                    value: r.value,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, RunOptions};

    fn small() -> (Scenario, Outcome) {
        let mut s = Scenario::default();
        s.simulation.agents = 300;
        s.simulation.years = 3;
        let o = engine::run(&s, crate::population::synthetic(&s), &RunOptions::default()).unwrap();
        (s, o)
    }

    #[test]
    fn run_metrics_agree_with_the_series_and_records() {
        let (s, o) = small();
        let m = run_metrics(&s, &o);
        let get = |g: &str, k: &str, name: &str| {
            m.iter()
                .find(|r| r.group == g && r.key == k && r.metric == name)
                .map(|r| r.value)
        };
        assert_eq!(get("all", "all", "staff_initial"), Some(300.0));
        let staff = o.series.total("staff").last().unwrap().1;
        assert_eq!(get("all", "all", "staff_final"), Some(staff));
        let by_track: f64 = TRACKS
            .iter()
            .map(|t| get("track", t.name(), "staff_final").unwrap())
            .sum();
        assert_eq!(
            by_track, staff,
            "active records by track = staff in the series"
        );
        let entries: f64 = o.series.total("entries").iter().map(|x| x.1).sum();
        assert_eq!(get("all", "all", "entries"), Some(entries));
        let ret = get("all", "all", "retention").unwrap();
        assert!(ret > 0.5 && ret <= 1.0, "{ret}");
        let cost: f64 = ITEMS
            .iter()
            .filter_map(|i| get("insurance", i, "employer_cost"))
            .sum();
        let emp = get("all", "all", "employer_contributions").unwrap();
        assert!((cost - emp).abs() < 1e-6 * emp.max(1.0), "{cost} vs {emp}");
        assert!(get("university", &s.universities[0].name, "employer_cost").unwrap() > 0.0);
    }

    #[test]
    fn yearly_series_sums_flows_and_keeps_year_end_levels() {
        let (_, o) = small();
        let y = yearly_series(&o);
        let years: Vec<i32> = {
            let mut v: Vec<i32> = y.iter().map(|r| r.year).collect();
            v.dedup();
            v
        };
        assert_eq!(years, vec![2025, 2026, 2027]);
        let staff_2026 = y
            .iter()
            .find(|r| r.year == 2026 && r.metric == "staff" && r.group == "all")
            .unwrap()
            .value;
        let dec = o
            .series
            .total("staff")
            .into_iter()
            .find(|(m, _)| m.year() == 2026 && m.month() == 12)
            .unwrap()
            .1;
        assert_eq!(staff_2026, dec);
        let entries_2026: f64 = o
            .series
            .total("entries")
            .into_iter()
            .filter(|(m, _)| m.year() == 2026)
            .map(|x| x.1)
            .sum();
        let got = y
            .iter()
            .find(|r| r.year == 2026 && r.metric == "entries")
            .unwrap()
            .value;
        assert_eq!(got, entries_2026);
        let outcomes = agent_outcomes(&o);
        assert_eq!(outcomes.len(), 300);
    }
}

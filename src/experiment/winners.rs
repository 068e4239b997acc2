//! Winners and losers of a reform: for every run paired with the reference, each initial staff
//! member's relative change in each outcome at the compared date, in five bands, by group and
//! by income decile of the reference run (`sisandbox compare`, docs/EXPERIMENTS.md).

use super::compare::{keys_of, pairable, pairs_on, CompareError, COMPARE_METRICS, GROUPS};
use super::compare_data::{AgentRow, RunData};
use crate::time::YearMonth;
use std::collections::HashMap;

/// The bands of a relative change, as winners and losers are reported.
pub const BANDS: [&str; 5] = [
    "gain_over_5pct",
    "gain_up_to_5pct",
    "no_change",
    "loss_up_to_5pct",
    "loss_over_5pct",
];

/// The band of a relative change `d` (0.05 = +5 %).
pub fn band(d: f64) -> usize {
    const SAME: f64 = 1e-9;
    match d {
        d if d > 0.05 => 0,
        d if d > SAME => 1,
        d if d >= -SAME => 2,
        d if d >= -0.05 => 3,
        _ => 4,
    }
}

/// Winners and losers of one metric in one group: how many paired agents fall in each band.
#[derive(Clone, Debug, PartialEq)]
pub struct WinnersRow {
    pub metric: &'static str,
    /// `all`, one of [`GROUPS`], or `income_decile` (1 lowest … 10 highest income in the
    /// reference run).
    pub group: &'static str,
    pub key: String,
    pub pairs: usize,
    /// Shares of the pairs in each of [`BANDS`].
    pub shares: [f64; 5],
}

/// Winners and losers of `other` against the paired `reference` (same seed and initial staff:
/// common random numbers) at `date` (as [`compare_dates`] pairs them): each initial staff
/// member's relative change in each metric (for the perception index, a log measure, its
/// difference), by group and by income decile of the reference run, in five bands. `None` when
/// the runs do not pair.
pub fn winners_losers(
    reference: &RunData,
    other: &RunData,
    date: Option<YearMonth>,
) -> Result<Option<Vec<WinnersRow>>, CompareError> {
    if !pairable(reference, other) {
        return Ok(None);
    }
    let limit = reference.agents_initial.unwrap_or(0) as u32;
    let (ref_view, other_view) = (reference.at(date)?, other.at(date)?);
    let others: HashMap<u32, &AgentRow> = other_view.iter().map(|a| (a.id, a)).collect();
    let staff: Vec<&AgentRow> = ref_view.iter().filter(|a| a.id < limit).collect();
    let deciles = income_deciles(&staff);
    let mut rows = Vec::new();
    for (m, metric) in COMPARE_METRICS.iter().enumerate() {
        let changes: Vec<(usize, f64)> = staff
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let (x, y) = pairs_on(m, a, others.get(&a.id)?)?;
                if *metric == "perception" {
                    // A log index: its difference is already relative (0.05 ≈ 5 % of
                    // certainty-equivalent consumption).
                    return Some((i, y - x));
                }
                (x.abs() > 1e-12).then(|| (i, (y - x) / x.abs()))
            })
            .collect();
        let mut push = |group: &'static str, key: String, keep: &dyn Fn(usize) -> bool| {
            let mut counts = [0usize; 5];
            for &(_, d) in changes.iter().filter(|(i, _)| keep(*i)) {
                counts[band(d)] += 1;
            }
            let pairs: usize = counts.iter().sum();
            if pairs > 0 {
                let shares = counts.map(|c| c as f64 / pairs as f64);
                rows.push(WinnersRow {
                    metric,
                    group,
                    key,
                    pairs,
                    shares,
                });
            }
        };
        push("all", "all".into(), &|_| true);
        for (g, gname) in GROUPS.iter().enumerate() {
            for key in keys_of(&[ref_view.as_slice()], g) {
                push(gname, key.clone(), &|i| staff[i].groups[g] == key);
            }
        }
        for d in 1..=10u8 {
            push("income_decile", d.to_string(), &|i| deciles[i] == Some(d));
        }
    }
    Ok(Some(rows))
}

/// Income decile (1–10) of each agent among those with an income, by rank (ties by id order).
fn income_deciles(staff: &[&AgentRow]) -> Vec<Option<u8>> {
    let mut ranked: Vec<(f64, usize)> = staff
        .iter()
        .enumerate()
        .filter_map(|(i, a)| Some((a.income?, i)))
        .collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let n = ranked.len();
    let mut out = vec![None; staff.len()];
    for (rank, &(_, i)) in ranked.iter().enumerate() {
        out[i] = Some((rank * 10 / n.max(1)) as u8 + 1);
    }
    out
}

/// CSV of winners and losers: `metric,group,key,pairs,` then one column per band.
pub fn winners_csv(rows: &[WinnersRow]) -> String {
    let mut out = format!("metric,group,key,pairs,{}\n", BANDS.join(","));
    for r in rows {
        let shares: Vec<String> = r.shares.iter().map(|s| format!("{s:.6}")).collect();
        out += &format!(
            "{},{},{},{},{}\n",
            r.metric,
            r.group,
            csv_field(&r.key),
            r.pairs,
            shares.join(",")
        );
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

//! Findings as tidy CSV rows and the per-kind summary.

use super::audit::{Finding, Kind};
use crate::money::{format_yuan, Fen};
use std::collections::BTreeMap;

/// Columns of `findings.csv`.
pub const FINDINGS_HEADER: [&str; 14] = [
    "staff",
    "month",
    "kind",
    "item",
    "masked_id",
    "recorded_yuan",
    "expected_yuan",
    "personal_due_yuan",
    "employer_due_yuan",
    "rows",
    "rule",
    "source",
    "correction",
    "finding",
];

fn opt(x: Option<Fen>) -> String {
    x.map(format_yuan).unwrap_or_default()
}

/// One CSV row per finding; `finding` numbers them from 1 in output order.
pub fn findings_rows(findings: &[Finding]) -> Vec<Vec<String>> {
    findings
        .iter()
        .enumerate()
        .map(|(n, f)| {
            vec![
                f.staff.clone(),
                f.month.to_string(),
                f.kind.name().into(),
                f.item.clone(),
                f.masked_id.clone(),
                opt(f.recorded),
                opt(f.expected),
                format_yuan(f.personal_due),
                format_yuan(f.employer_due),
                f.rows.clone(),
                f.rule.clone(),
                f.source.clone(),
                f.correction.clone(),
                (n + 1).to_string(),
            ]
        })
        .collect()
}

/// Per kind: findings, distinct staff-months, distinct staff, and the sums still due.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KindTotals {
    pub findings: usize,
    pub staff_months: usize,
    pub staff: usize,
    pub personal_due: Fen,
    pub employer_due: Fen,
}

pub fn summarise(findings: &[Finding]) -> BTreeMap<Kind, KindTotals> {
    let mut out: BTreeMap<Kind, KindTotals> = Kind::ALL
        .iter()
        .map(|&k| (k, KindTotals::default()))
        .collect();
    let mut months: BTreeMap<Kind, std::collections::BTreeSet<(&str, crate::time::YearMonth)>> =
        BTreeMap::new();
    let mut staff: BTreeMap<Kind, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for f in findings {
        let t = out.entry(f.kind).or_default();
        t.findings += 1;
        t.personal_due += f.personal_due;
        t.employer_due += f.employer_due;
        months
            .entry(f.kind)
            .or_default()
            .insert((&f.staff, f.month));
        staff.entry(f.kind).or_default().insert(&f.staff);
    }
    for (k, t) in out.iter_mut() {
        t.staff_months = months.get(k).map_or(0, |s| s.len());
        t.staff = staff.get(k).map_or(0, |s| s.len());
    }
    out
}

pub const SUMMARY_HEADER: [&str; 6] = [
    "kind",
    "findings",
    "staff_months",
    "staff",
    "personal_due_yuan",
    "employer_due_yuan",
];

pub fn summary_rows(s: &BTreeMap<Kind, KindTotals>) -> Vec<Vec<String>> {
    s.iter()
        .map(|(k, t)| {
            vec![
                k.name().into(),
                t.findings.to_string(),
                t.staff_months.to_string(),
                t.staff.to_string(),
                format_yuan(t.personal_due),
                format_yuan(t.employer_due),
            ]
        })
        .collect()
}

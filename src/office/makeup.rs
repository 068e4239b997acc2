//! The make-up (补差) after a new average wage or a new rate is published: for every declared
//! staff-month, what is due under the new parameters minus what was declared, by insurance and
//! payer, with totals. The due amounts come from the same rules as the audit (`rules`).

use super::audit::{staff_order, Inputs};
use super::records::{mask_id, ITEMS, PERSONAL};
use super::rules::{due, RuleBook};
use crate::insurance::base::contribution_base;
use crate::money::{format_yuan, Fen};
use crate::time::YearMonth;
use std::collections::{BTreeMap, HashMap};

/// One person-month with a difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MakeUp {
    pub staff: String,
    pub month: YearMonth,
    pub masked_id: String,
    pub base_declared: Fen,
    pub base_due: Fen,
    /// Due minus declared, by item of [`ITEMS`] (negative: a refund).
    pub items: [Fen; 7],
}

impl MakeUp {
    pub fn personal(&self) -> Fen {
        PERSONAL.iter().map(|&j| self.items[j]).sum()
    }
    pub fn employer(&self) -> Fen {
        self.items.iter().sum::<Fen>() - self.personal()
    }
}

/// Differences for every declared staff-month in `months` (all when `None`).
pub fn make_up(
    inputs: &Inputs,
    book: &mut RuleBook,
    months: Option<(YearMonth, YearMonth)>,
) -> Vec<MakeUp> {
    let mut wages: HashMap<&str, Vec<(YearMonth, Fen)>> = HashMap::new();
    for p in &inputs.payroll {
        wages
            .entry(p.staff.as_str())
            .or_default()
            .push((p.month, p.gross));
    }
    let mut rows: Vec<&_> = inputs
        .insurance
        .iter()
        .filter(|r| months.is_none_or(|(a, b)| r.month >= a && r.month <= b))
        .collect();
    rows.sort_by(|a, b| staff_order(&a.staff, &b.staff).then(a.month.cmp(&b.month)));
    let mut out = Vec::new();
    for r in rows {
        let rules = book.at(r.month).clone();
        let start = rules.year_start;
        let history = wages
            .get(r.staff.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let prior: Vec<Fen> = history
            .iter()
            .filter(|(m, g)| *m >= start.plus_months(-12) && *m < start && *g > 0)
            .map(|x| x.1)
            .collect();
        let reference = super::audit::prior_average(&prior).or_else(|| {
            let mut later: Vec<_> = history
                .iter()
                .filter(|(m, g)| *m >= start && *g > 0)
                .collect();
            later.sort();
            later.first().map(|x| x.1)
        });
        // Without any wage the declared base stands and only rate changes are made up.
        let base_due = reference.map_or(r.base, |w| contribution_base(w, rules.limits));
        let owed = due(base_due, r.scheme, &rules.rates);
        let mut items = [0; 7];
        for j in 0..ITEMS.len() {
            items[j] = owed[j] - r.amounts[j];
        }
        if items.iter().any(|&x| x != 0) {
            out.push(MakeUp {
                staff: r.staff.clone(),
                month: r.month,
                masked_id: r.who.id_number.as_deref().map(mask_id).unwrap_or_default(),
                base_declared: r.base,
                base_due,
                items,
            });
        }
    }
    out
}

/// `makeup.csv`: one row per staff-month with a difference.
pub fn rows(v: &[MakeUp]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = [
        "staff",
        "month",
        "masked_id",
        "base_declared_yuan",
        "base_due_yuan",
    ]
    .map(String::from)
    .to_vec();
    header.extend(ITEMS.iter().map(|i| format!("{}_yuan", i.0.key())));
    header.extend(["personal_total_yuan", "employer_total_yuan"].map(String::from));
    let rows = v
        .iter()
        .map(|m| {
            let mut r = vec![
                m.staff.clone(),
                m.month.to_string(),
                m.masked_id.clone(),
                format_yuan(m.base_declared),
                format_yuan(m.base_due),
            ];
            r.extend(m.items.iter().map(|&x| format_yuan(x)));
            r.push(format_yuan(m.personal()));
            r.push(format_yuan(m.employer()));
            r
        })
        .collect();
    (header, rows)
}

/// `totals.csv`: tidy `month,insurance,payer,amount_yuan`, with `all` rows for the totals.
pub fn totals(v: &[MakeUp]) -> Vec<Vec<String>> {
    let mut by: BTreeMap<(String, usize), Fen> = BTreeMap::new();
    for m in v {
        for (j, &x) in m.items.iter().enumerate() {
            *by.entry((m.month.to_string(), j)).or_default() += x;
            *by.entry(("all".into(), j)).or_default() += x;
        }
    }
    let mut out = Vec::new();
    let mut personal: BTreeMap<String, Fen> = BTreeMap::new();
    let mut employer: BTreeMap<String, Fen> = BTreeMap::new();
    for ((month, j), x) in &by {
        let key = ITEMS[*j].0.key();
        let (insurance, payer) = key.rsplit_once('_').unwrap_or((key, ""));
        out.push(vec![
            month.clone(),
            insurance.to_string(),
            payer.to_string(),
            format_yuan(*x),
        ]);
        let t = if ITEMS[*j].2 {
            &mut personal
        } else {
            &mut employer
        };
        *t.entry(month.clone()).or_default() += x;
    }
    for (month, x) in &personal {
        out.push(vec![
            month.clone(),
            "all".into(),
            "personal".into(),
            format_yuan(*x),
        ]);
    }
    for (month, x) in &employer {
        out.push(vec![
            month.clone(),
            "all".into(),
            "employer".into(),
            format_yuan(*x),
        ]);
    }
    out
}

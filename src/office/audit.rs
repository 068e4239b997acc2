//! The reconciliation of payroll, insurance declarations and finance payments (疑点数据): every
//! staff-month of the audited months is checked against the rules of `rules` and against the
//! other files, and each disagreement becomes a [`Finding`] with its rule, source and a
//! suggested correction.

use super::records::{mask_id, FinanceRow, Identity, InsuranceRow, PayrollRow, ITEMS, PERSONAL};
use super::rules::{due, item_key, item_name, item_ppm, percent, MonthRules, RuleBook};
use crate::insurance::base::contribution_base;
use crate::money::{format_yuan, Fen};
use crate::time::YearMonth;
use std::collections::{BTreeSet, HashMap};

/// What kind of disagreement a finding is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    InsuredNotDeducted,
    PaidNotInsured,
    BaseBelowFloor,
    BaseAboveCeiling,
    BaseNotPriorAverage,
    DeductionMismatch,
    IdentityMismatch,
    MakeUpDue,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::InsuredNotDeducted,
        Kind::PaidNotInsured,
        Kind::BaseBelowFloor,
        Kind::BaseAboveCeiling,
        Kind::BaseNotPriorAverage,
        Kind::DeductionMismatch,
        Kind::IdentityMismatch,
        Kind::MakeUpDue,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::InsuredNotDeducted => "insured_not_deducted",
            Kind::PaidNotInsured => "paid_not_insured",
            Kind::BaseBelowFloor => "base_below_floor",
            Kind::BaseAboveCeiling => "base_above_ceiling",
            Kind::BaseNotPriorAverage => "base_not_prior_average",
            Kind::DeductionMismatch => "deduction_mismatch",
            Kind::IdentityMismatch => "identity_mismatch",
            Kind::MakeUpDue => "make_up_due",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// One disagreement. Amounts are fen; `None` where the kind has no such amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub staff: String,
    pub month: YearMonth,
    pub kind: Kind,
    /// The column concerned: `base`, an item key, `name` or `id_number`.
    pub item: String,
    /// Masked ID (first 6 and last 4) of the person, when a file carries an ID number.
    pub masked_id: String,
    pub recorded: Option<Fen>,
    pub expected: Option<Fen>,
    /// Still to pay for the month by the person and by the employer (negative: a refund).
    pub personal_due: Fen,
    pub employer_due: Fen,
    /// Where to look: `insurance row 12; payroll row 40`.
    pub rows: String,
    pub rule: String,
    pub source: String,
    pub correction: String,
}

/// The three files, parsed.
pub struct Inputs {
    pub payroll: Vec<PayrollRow>,
    pub insurance: Vec<InsuranceRow>,
    pub finance: Option<Vec<FinanceRow>>,
}

/// Options of an audit.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// Only this month; else every month of the insurance and finance files.
    pub month: Option<YearMonth>,
    /// Largest difference of an amount from base × rate still accepted (rounding), fen.
    pub tolerance: Fen,
}

/// The average monthly wage of the months given (the base of the next base year), truncated
/// to the fen as the contribution engine does.
pub fn prior_average(wages: &[Fen]) -> Option<Fen> {
    (!wages.is_empty()).then(|| wages.iter().sum::<Fen>() / wages.len() as Fen)
}

/// Staff numbers ordered as numbers where they are numbers ("999" before "1000").
pub fn staff_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a.len(), a).cmp(&(b.len(), b))
}

/// The wage history of each person, for the base of each base year.
struct Wages<'a> {
    by_staff: HashMap<&'a str, Vec<(YearMonth, Fen)>>,
    cache: HashMap<(&'a str, YearMonth), Option<(Fen, bool)>>,
}

impl<'a> Wages<'a> {
    fn new(payroll: &'a [PayrollRow]) -> Self {
        let mut by_staff: HashMap<&str, Vec<(YearMonth, Fen)>> = HashMap::new();
        for p in payroll {
            by_staff
                .entry(p.staff.as_str())
                .or_default()
                .push((p.month, p.gross));
        }
        for v in by_staff.values_mut() {
            v.sort();
        }
        Wages {
            by_staff,
            cache: HashMap::new(),
        }
    }

    /// The wage the base of the year starting `start` rests on: last base year's average, or
    /// for a hire without one the first month's wage (`true` when it is a new hire's).
    fn reference(&mut self, staff: &'a str, start: YearMonth) -> Option<(Fen, bool)> {
        if let Some(v) = self.cache.get(&(staff, start)) {
            return *v;
        }
        let months = self.by_staff.get(staff).map(Vec::as_slice).unwrap_or(&[]);
        let before = start.plus_months(-12);
        let prior: Vec<Fen> = months
            .iter()
            .filter(|(m, g)| *m >= before && *m < start && *g > 0)
            .map(|x| x.1)
            .collect();
        let v = match prior_average(&prior) {
            Some(a) => Some((a, false)),
            None => months
                .iter()
                .find(|(m, g)| *m >= start && *g > 0)
                .map(|&(_, g)| (g, true)),
        };
        self.cache.insert((staff, start), v);
        v
    }
}

/// Runs every check over the audited months, findings ordered by staff, month and kind.
pub fn audit(inputs: &Inputs, book: &mut RuleBook, opts: &AuditOptions) -> Vec<Finding> {
    let key = |s: &str, m: YearMonth| (s.to_string(), m);
    let pay: HashMap<_, _> = inputs
        .payroll
        .iter()
        .map(|p| (key(&p.staff, p.month), p))
        .collect();
    let ins: HashMap<_, _> = inputs
        .insurance
        .iter()
        .map(|p| (key(&p.staff, p.month), p))
        .collect();
    let fin: HashMap<_, _> = inputs
        .finance
        .iter()
        .flatten()
        .map(|p| (key(&p.staff, p.month), p))
        .collect();
    let mut months: BTreeSet<YearMonth> = ins.keys().map(|k| k.1).collect();
    months.extend(fin.keys().map(|k| k.1));
    if let Some(m) = opts.month {
        months.retain(|x| *x == m);
    }
    let mut keys: Vec<(String, YearMonth)> = ins
        .keys()
        .chain(pay.keys())
        .chain(fin.keys())
        .filter(|k| months.contains(&k.1))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    keys.sort_by(|a, b| staff_order(&a.0, &b.0).then(a.1.cmp(&b.1)));
    let mut wages = Wages::new(&inputs.payroll);
    let mut out = Vec::new();
    for k in &keys {
        let (p, i, f) = (
            pay.get(k).copied(),
            ins.get(k).copied(),
            fin.get(k).copied(),
        );
        let rules = book.at(k.1).clone();
        let ctx = Ctx {
            staff: &k.0,
            month: k.1,
            masked: [i.map(|x| &x.who), p.map(|x| &x.who), f.map(|x| &x.who)]
                .into_iter()
                .flatten()
                .find_map(|w| w.id_number.as_deref())
                .map(mask_id)
                .unwrap_or_default(),
            rows: [
                i.map(|x| format!("insurance row {}", x.line)),
                p.map(|x| format!("payroll row {}", x.line)),
                f.map(|x| format!("finance row {}", x.line)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; "),
        };
        identity(&ctx, p, i, f, &mut out);
        let Some(i) = i else {
            let paid = p.is_some_and(|p| p.gross > 0) || f.is_some_and(|f| f.net > 0);
            if paid {
                let reference = wages.reference(&k.0, rules.year_start);
                out.push(paid_not_insured(&ctx, book, &rules, reference));
            }
            continue;
        };
        let personal: Fen = PERSONAL.iter().map(|&j| i.amounts[j]).sum();
        let not_deducted = personal > 0 && p.is_none_or(|p| p.withheld.iter().all(|&w| w == 0));
        if not_deducted {
            out.push(Finding {
                recorded: Some(0),
                expected: Some(personal),
                personal_due: personal,
                item: "personal contributions".into(),
                rule: "the personal contributions declared for the month are withheld from that month's pay".into(),
                source: "《社会保险法》第六十条 (the employer withholds the personal contributions)".into(),
                correction: format!("withhold {} from the person's pay (pension, medical, unemployment) or correct the declaration", format_yuan(personal)),
                ..ctx.finding(Kind::InsuredNotDeducted)
            });
        }
        if let Some(reference) = wages.reference(&k.0, rules.year_start) {
            base_check(&ctx, book, &rules, i, reference, &mut out);
        }
        let owed = due(i.base, i.scheme, &rules.rates);
        for (j, item) in ITEMS.iter().enumerate() {
            if (i.amounts[j] - owed[j]).abs() > opts.tolerance {
                let diff = owed[j] - i.amounts[j];
                let (pd, ed) = if item.2 { (diff, 0) } else { (0, diff) };
                out.push(Finding {
                    item: item_name(j).into(),
                    recorded: Some(i.amounts[j]),
                    expected: Some(owed[j]),
                    personal_due: pd,
                    employer_due: ed,
                    rule: format!(
                        "{} = declared base {} × {}{}",
                        item_name(j),
                        format_yuan(i.base),
                        percent(item_ppm(j, i.scheme, &rules.rates)),
                        if j == 2 && rules.rates.major_illness_fee > 0 {
                            format!(
                                " + major-illness fee {}",
                                format_yuan(rules.rates.major_illness_fee)
                            )
                        } else {
                            String::new()
                        }
                    ),
                    source: book.source(item_key(j, i.scheme), ctx.month),
                    correction: format!(
                        "declare {} {} instead of {}",
                        item_name(j),
                        format_yuan(owed[j]),
                        format_yuan(i.amounts[j])
                    ),
                    ..ctx.finding(Kind::DeductionMismatch)
                });
            }
        }
        if let (Some(p), false) = (p, not_deducted) {
            for (w, &j) in PERSONAL.iter().enumerate() {
                if (p.withheld[w] - i.amounts[j]).abs() > opts.tolerance {
                    out.push(Finding {
                        item: format!("{} (payroll)", item_name(j)),
                        recorded: Some(p.withheld[w]),
                        expected: Some(i.amounts[j]),
                        personal_due: i.amounts[j] - p.withheld[w],
                        rule: "the amount withheld in the payroll equals the personal contribution declared".into(),
                        source: "《社会保险法》第六十条".into(),
                        correction: format!(
                            "withhold {} for {} (payroll shows {})",
                            format_yuan(i.amounts[j]),
                            item_name(j),
                            format_yuan(p.withheld[w])
                        ),
                        ..ctx.finding(Kind::DeductionMismatch)
                    });
                }
            }
        }
    }
    out
}

/// The parts of a finding every check shares.
struct Ctx<'a> {
    staff: &'a str,
    month: YearMonth,
    masked: String,
    rows: String,
}

impl Ctx<'_> {
    fn finding(&self, kind: Kind) -> Finding {
        Finding {
            staff: self.staff.to_string(),
            month: self.month,
            kind,
            item: String::new(),
            masked_id: self.masked.clone(),
            recorded: None,
            expected: None,
            personal_due: 0,
            employer_due: 0,
            rows: self.rows.clone(),
            rule: String::new(),
            source: String::new(),
            correction: String::new(),
        }
    }
}

fn identity(
    ctx: &Ctx,
    p: Option<&PayrollRow>,
    i: Option<&InsuranceRow>,
    f: Option<&FinanceRow>,
    out: &mut Vec<Finding>,
) {
    let whos: Vec<(&str, &Identity)> = [
        p.map(|x| ("payroll", &x.who)),
        i.map(|x| ("insurance", &x.who)),
        f.map(|x| ("finance", &x.who)),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (field, get) in [
        (
            "name",
            (|w: &Identity| w.name.as_deref()) as fn(&Identity) -> Option<&str>,
        ),
        ("id_number", |w: &Identity| w.id_number.as_deref()),
    ] {
        let present: Vec<(&str, &str)> = whos
            .iter()
            .filter_map(|(n, w)| get(w).map(|v| (*n, v)))
            .collect();
        let Some(&(first_file, first)) = present.first() else {
            continue;
        };
        let differing: Vec<&str> = present
            .iter()
            .filter(|(_, v)| *v != first)
            .map(|(n, _)| *n)
            .collect();
        if differing.is_empty() {
            continue;
        }
        out.push(Finding {
            item: field.into(),
            rule: format!("the same staff number carries the same {field} in every file"),
            source: "《社会保险费申报缴纳管理规定》(人社部令第20号): the employer declares true and accurate personal data".into(),
            correction: format!(
                "check the {field} of staff {} against the personnel record: {first_file} differs from {}",
                ctx.staff,
                differing.join(" and ")
            ),
            ..ctx.finding(Kind::IdentityMismatch)
        });
    }
}

fn paid_not_insured(
    ctx: &Ctx,
    book: &RuleBook,
    r: &MonthRules,
    reference: Option<(Fen, bool)>,
) -> Finding {
    let (expected, pd, ed) = match reference {
        Some((w, _)) => {
            let b = contribution_base(w, r.limits);
            let d = due(b, crate::insurance::Scheme::Institution, &r.rates);
            let pd = PERSONAL.iter().map(|&j| d[j]).sum();
            (Some(b), pd, d.iter().sum::<Fen>() - pd)
        }
        None => (None, 0, 0),
    };
    Finding {
        item: "base".into(),
        recorded: None,
        expected,
        personal_due: pd,
        employer_due: ed,
        rule: "every person paid in the month is insured for the month".into(),
        source: format!(
            "《社会保险法》第五十八条; {}",
            book.source("insurance.base.floor_ratio", ctx.month)
        ),
        correction: match expected {
            Some(b) => format!(
                "enrol the person for {} on base {} (amounts shown for the institution scheme)",
                ctx.month,
                format_yuan(b)
            ),
            None => format!("enrol the person for {}", ctx.month),
        },
        ..ctx.finding(Kind::PaidNotInsured)
    }
}

fn base_check(
    ctx: &Ctx,
    book: &RuleBook,
    r: &MonthRules,
    i: &InsuranceRow,
    reference: (Fen, bool),
    out: &mut Vec<Finding>,
) {
    let (wage, new_hire) = reference;
    let expected = contribution_base(wage, r.limits);
    if i.base == expected {
        return;
    }
    let old = contribution_base(wage, r.old_limits);
    let (kind, rule, source) = if i.base == old && old != expected {
        (
            Kind::MakeUpDue,
            format!(
                "base declared on the previous base year's limits {}–{}; the limits of the base year from {} are {}–{} ({}{})",
                format_yuan(r.old_limits.floor),
                format_yuan(r.old_limits.ceiling),
                r.year_start,
                format_yuan(r.limits.floor),
                format_yuan(r.limits.ceiling),
                if r.published { "published" } else { "not yet published: the difference is due on publication" },
                ", 补差 for every month at the old base"
            ),
            book.source("insurance.base.make_up", ctx.month),
        )
    } else if i.base < r.limits.floor {
        (
            Kind::BaseBelowFloor,
            format!(
                "base ≥ floor {} = {} × average wage {} of {}",
                format_yuan(r.limits.floor),
                percent(r.rates.floor_ratio_ppm),
                format_yuan(r.average_wage),
                r.average_wage_year
            ),
            format!(
                "{}; {}",
                book.source("insurance.base.floor_ratio", ctx.month),
                book.source("regions[].average_wage", ctx.month)
            ),
        )
    } else if i.base > r.limits.ceiling {
        (
            Kind::BaseAboveCeiling,
            format!(
                "base ≤ ceiling {} = {} × average wage {} of {}",
                format_yuan(r.limits.ceiling),
                percent(r.rates.ceiling_ratio_ppm),
                format_yuan(r.average_wage),
                r.average_wage_year
            ),
            format!(
                "{}; {}",
                book.source("insurance.base.ceiling_ratio", ctx.month),
                book.source("regions[].average_wage", ctx.month)
            ),
        )
    } else {
        (
            Kind::BaseNotPriorAverage,
            if new_hire {
                format!(
                    "a new hire's base is the first month's wage {} within the limits",
                    format_yuan(wage)
                )
            } else {
                format!(
                    "base = last base year's average monthly wage {} within the limits {}–{}",
                    format_yuan(wage),
                    format_yuan(r.limits.floor),
                    format_yuan(r.limits.ceiling)
                )
            },
            book.source("insurance.base.floor_ratio", ctx.month),
        )
    };
    let now = due(i.base, i.scheme, &r.rates);
    let then = due(expected, i.scheme, &r.rates);
    let pd: Fen = PERSONAL.iter().map(|&j| then[j] - now[j]).sum();
    let total: Fen = (0..ITEMS.len()).map(|j| then[j] - now[j]).sum();
    out.push(Finding {
        item: "base".into(),
        recorded: Some(i.base),
        expected: Some(expected),
        personal_due: pd,
        employer_due: total - pd,
        rule,
        source,
        correction: format!(
            "declare base {} instead of {}; pay {} personal and {} employer for the month",
            format_yuan(expected),
            format_yuan(i.base),
            format_yuan(pd),
            format_yuan(total - pd)
        ),
        ..ctx.finding(kind)
    });
}

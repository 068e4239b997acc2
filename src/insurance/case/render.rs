//! The calculator's report as plain text (with `--explain`, each component's arithmetic, the
//! regional rules it read with their sources) or as one JSON object with fixed keys.

use super::{CaseReport, RuleOrigin};
use crate::insurance::benefit::TraceLine;
use crate::insurance::retirement::Timing;
use crate::money::format_yuan;

fn timing_word(t: Timing) -> &'static str {
    match t {
        Timing::Early => "flexible early",
        Timing::Statutory => "statutory",
        Timing::Deferred => "deferred",
    }
}

fn divisor_text(report: &CaseReport) -> String {
    let d = report.award.divisor.normalize().to_string();
    if d.contains('.') {
        d
    } else {
        format!("{d}.0")
    }
}

/// The plain report; with `explain`, each component's arithmetic, rule and source.
pub fn render_text(report: &CaseReport, explain: bool) -> String {
    let a = &report.award;
    let e = &report.eligibility;
    let mut out = String::new();
    out.push_str(&format!(
        "Statutory retirement age: {} (month {})\n",
        report.statutory_age, report.statutory_month
    ));
    out.push_str(&format!(
        "Retirement: {} at age {} ({})\n",
        report.retirement_month,
        report.retirement_age,
        timing_word(e.timing)
    ));
    out.push_str(&format!(
        "Region: {} (rules in force in {}; first payment {})\n",
        report.region, report.retirement_month, a.first_payment
    ));
    out.push_str(&format!("Divisor: {}\n", divisor_text(report)));
    out.push_str(&format!(
        "Eligible: {} ({})\n",
        if e.eligible { "yes" } else { "no" },
        e.reason
    ));
    if explain {
        out.push_str(&format!(
            "Contribution years N = {}, average index Ī = {}\n",
            a.years.normalize(),
            a.index.normalize()
        ));
        out.push_str(&format!(
            "Calculation base C = {}: {}\n",
            format_yuan(report.calc_base),
            report.calc_base_origin
        ));
    }
    let rows = [
        ("basic", "Basic pension", a.basic),
        ("personal", "Personal account", a.personal),
        ("transitional", "Transitional", a.transitional),
        ("annuity", "Annuity", a.annuity),
        ("supplement", "Supplement", a.supplement),
        ("total", "Total", a.new_total),
    ];
    for (key, label, fen) in rows {
        out.push_str(&format!("{label:<18}{:>12}\n", format_yuan(fen)));
        if explain {
            if let Some(t) = a.trace.iter().find(|t| t.component == key) {
                explain_line(&mut out, report, t);
            }
        }
        if key == "annuity" && fen > 0 {
            annuity_tax_line(&mut out, fen, explain);
        }
    }
    if let Some(t) = a.trace.iter().find(|t| t.component == "comparison") {
        out.push_str(&format!(
            "{:<18}{:>12}\n",
            "Paid (保低限高)",
            format_yuan(a.total)
        ));
        if explain {
            explain_line(&mut out, report, t);
        }
    }
    out
}

/// The income tax on the annuity drawn monthly (the payment shown): unlike the basic pension,
/// which is exempt, annuity benefits are taxed in full, apart from other income.
fn annuity_tax_line(out: &mut String, monthly: crate::money::Fen, explain: bool) {
    use crate::insurance::annuity::{payout_tax, Frequency, Payout};
    let t = payout_tax(Payout::Periodic {
        frequency: Frequency::Monthly,
        amount: monthly,
    });
    out.push_str(&format!(
        "  annuity tax     {:>12}  (net {})\n",
        format_yuan(t.tax),
        format_yuan(t.net)
    ));
    if explain {
        out.push_str(&format!(
            "    {}: {} % bracket of the {}\n    formula source: {}\n",
            t.rule,
            t.table.rate_percent(monthly),
            t.table.name(),
            crate::insurance::annuity::TAX_SOURCE
        ));
    }
}

/// A component's arithmetic, its rule, each regional rule it read with value and source, and
/// the national source of the formula.
fn explain_line(out: &mut String, report: &CaseReport, t: &TraceLine) {
    out.push_str(&format!("    {}\n    rule: {}\n", t.arithmetic, t.rule));
    for key in &t.keys {
        if let Some(n) = report.notes.iter().find(|n| n.key == *key) {
            let origin = match &n.origin {
                RuleOrigin::Table {
                    source,
                    certainty,
                    regional,
                } => format!(
                    "{} [{}] {source}",
                    if *regional {
                        format!("{} rule", report.region)
                    } else {
                        "national rule".to_string()
                    },
                    certainty.label()
                ),
                RuleOrigin::CaseFile => "override in the case file ([region])".to_string(),
                RuleOrigin::Scenario => {
                    "scenario value (differs from the regional rule table)".to_string()
                }
            };
            out.push_str(&format!("    - {} = {}: {origin}\n", n.key, n.value));
        }
    }
    out.push_str(&format!("    formula source: {}\n", t.source));
}

/// One JSON object; money in yuan as numbers with two decimals.
pub fn render_json(report: &CaseReport) -> String {
    let a = &report.award;
    let s = |x: String| serde_json::Value::String(x).to_string();
    format!(
        "{{\"retirement_age\":{},\"retirement_month\":{},\"statutory_age\":{},\"statutory_month\":{},\"divisor\":{},\"eligible\":{},\"basic\":{},\"personal\":{},\"transitional\":{},\"annuity\":{},\"supplement\":{},\"total\":{}}}",
        s(report.retirement_age.to_string()),
        s(report.retirement_month.to_string()),
        s(report.statutory_age.to_string()),
        s(report.statutory_month.to_string()),
        divisor_text(report),
        report.eligibility.eligible,
        format_yuan(a.basic),
        format_yuan(a.personal),
        format_yuan(a.transitional),
        format_yuan(a.annuity),
        format_yuan(a.supplement),
        format_yuan(a.total),
    )
}

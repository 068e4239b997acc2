//! [`InForce`] as plain text or as one JSON object with fixed keys (`sisandbox rates`).

use super::in_force::{percent, InForce, RuleLine};
use crate::money::{fen_to_yuan, format_yuan};
use serde_json::{json, Value};

fn certainty_text(c: Option<crate::scenario::catalog::Certainty>) -> &'static str {
    c.map_or("-", |c| c.label())
}

fn rule_value(l: &RuleLine) -> String {
    l.value.clone().unwrap_or_else(|| String::from("(none)"))
}

/// The plain report: limits, rates, then every rule of the table, each with its source.
pub fn render_text(f: &InForce) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Contribution rates and pension rules in force: {}, {}\n\n",
        f.region, f.month
    ));
    let b = &f.base;
    out.push_str(&format!(
        "Contribution base (base year from {}; floor {} and ceiling {} of the {} average wage{})\n",
        b.start,
        percent(b.floor_ratio_ppm),
        percent(b.ceiling_ratio_ppm),
        b.average_wage_year,
        if b.rounded_to_yuan {
            ", rounded to whole yuan"
        } else {
            ""
        }
    ));
    match (&b.average_wage, &b.limits) {
        (Some((w, source)), Some(l)) => {
            out.push_str(&format!(
                "  average wage {}: {} yuan/month  source: {source}\n",
                b.average_wage_year,
                format_yuan(*w)
            ));
            out.push_str(&format!("  floor:   {} yuan/month\n", format_yuan(l.floor)));
            out.push_str(&format!(
                "  ceiling: {} yuan/month\n",
                format_yuan(l.ceiling)
            ));
            if !b.published {
                out.push_str(
                    "  not yet published in this month: the previous limits apply until publication, then the difference is made up (补差)\n",
                );
            }
        }
        _ => out.push_str(&format!(
            "  the table records no {} average wage for {}: limits not computed\n",
            b.average_wage_year, f.region
        )),
    }
    match &f.calc_base {
        Some((c, year, source)) => {
            let provisional = if *year < f.month.year() {
                format!(
                    " (provisional, 预核定: the {} base is not in the table)",
                    f.month.year()
                )
            } else {
                String::new()
            };
            out.push_str(&format!(
                "Pension calculation base (计发基数) {year}: {} yuan/month{provisional}  source: {source}\n",
                format_yuan(*c)
            ));
        }
        None => out.push_str(&format!(
            "Pension calculation base (计发基数): none in the table for {} or {}\n",
            f.month.year(),
            f.month.year() - 1
        )),
    }

    out.push_str("\nContribution rates (monthly, on the contribution base)\n");
    for l in &f.rates {
        let value = match l.unit {
            "share" => percent(l.value),
            _ => format!("{} yuan/month", format_yuan(l.value)),
        };
        let detail = if l.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", l.detail)
        };
        out.push_str(&format!(
            "  {}: {value}{detail}  [{}, {}] {}  [{}]\n",
            l.label,
            l.scope.word(),
            l.certainty.label(),
            l.source,
            l.key
        ));
    }

    out.push_str("\nPension rules (regional rule table)\n");
    rule_lines(&mut out, &f.rules);
    out.push_str("\nAward rules (national scenario keys)\n");
    rule_lines(&mut out, &f.award);
    out
}

fn rule_lines(out: &mut String, lines: &[RuleLine]) {
    for l in lines {
        let from = l.from.map(|m| format!(" from {m}")).unwrap_or_default();
        out.push_str(&format!(
            "  {} = {}  [{}{from}, {}] {}\n",
            l.key,
            rule_value(l),
            l.scope.word(),
            certainty_text(l.certainty),
            l.source
        ));
    }
}

fn rules_json(lines: &[RuleLine]) -> Vec<Value> {
    lines
        .iter()
        .map(|l| {
            json!({
                "key": l.key,
                "meaning": l.meaning,
                "value": l.value,
                "from": l.from.map(|m| m.to_string()),
                "scope": l.scope.word(),
                "source": l.source,
                "certainty": l.certainty.map(|c| c.label()),
            })
        })
        .collect()
}

/// One JSON object: `region`, `month`, `base`, `calc_base`, `rates`, `rules`, `award`. Money in yuan,
/// rates as shares.
pub fn render_json(f: &InForce) -> String {
    let b = &f.base;
    let base = json!({
        "year_start": b.start.to_string(),
        "average_wage_year": b.average_wage_year,
        "average_wage": b.average_wage.as_ref().map(|(w, _)| fen_to_yuan(*w)),
        "average_wage_source": b.average_wage.as_ref().map(|(_, s)| s.clone()),
        "floor_ratio": b.floor_ratio_ppm as f64 / 1e6,
        "ceiling_ratio": b.ceiling_ratio_ppm as f64 / 1e6,
        "floor": b.limits.map(|l| fen_to_yuan(l.floor)),
        "ceiling": b.limits.map(|l| fen_to_yuan(l.ceiling)),
        "published": b.published,
    });
    let calc_base = f
        .calc_base
        .as_ref()
        .map(|(c, year, source)| json!({"year": year, "value": fen_to_yuan(*c), "source": source}));
    let rates: Vec<Value> = f
        .rates
        .iter()
        .map(|l| {
            let value = match l.unit {
                "share" => l.value as f64 / 1e6,
                _ => fen_to_yuan(l.value),
            };
            json!({
                "key": l.key,
                "label": l.label,
                "value": value,
                "unit": l.unit,
                "detail": l.detail,
                "scope": l.scope.word(),
                "source": l.source,
                "certainty": l.certainty.label(),
            })
        })
        .collect();
    json!({
        "region": f.region,
        "month": f.month.to_string(),
        "base": base,
        "calc_base": calc_base,
        "rates": rates,
        "rules": rules_json(&f.rules),
        "award": rules_json(&f.award),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::time::YearMonth;

    #[test]
    fn text_and_json_carry_the_figures_and_sources() {
        let f = InForce::resolve(&Scenario::default(), "sichuan", YearMonth::ym(2025, 7)).unwrap();
        let t = render_text(&f);
        for needle in [
            "sichuan, 2025-07",
            "7646.00",
            "floor:   4588.00",
            "ceiling: 22938.00",
            "8462.00",
            "pension, enterprise scheme, employer: 16%  [national",
            "transitional_rate = 0.013  [regional",
            "国办发〔2019〕13号",
        ] {
            assert!(t.contains(needle), "missing {needle} in\n{t}");
        }
        let v: Value = serde_json::from_str(&render_json(&f)).unwrap();
        assert_eq!(v["base"]["floor"].as_f64(), Some(4588.0));
        assert_eq!(v["base"]["ceiling"].as_f64(), Some(22938.0));
        assert_eq!(
            v["rules"].as_array().unwrap().len(),
            super::super::rule_keys().count()
        );
    }
}

//! Numbers as an analyst reads them: rates in per cent (differences in percentage points),
//! money in yuan with thousands separators, counts as whole numbers, never "-0".

use crate::analysis::Metric;
use crate::i18n::Lang;
use crate::results::{AgentMetric, SeriesMetric};
use crate::summary::Level;

/// What a number measures, which decides how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A fraction shown in per cent (0.523 → 52.3 %); differences in percentage points.
    Share,
    /// Yuan, thousands separated.
    Yuan,
    /// People or events.
    Count,
    /// A ratio or index without unit.
    Ratio,
}

impl Unit {
    pub fn of(m: Metric) -> Unit {
        match m {
            Metric::Agent(AgentMetric::ReplacementRate | AgentMetric::Irr) => Unit::Share,
            Metric::Agent(AgentMetric::MoneysWorth | AgentMetric::Perception) => Unit::Ratio,
            Metric::Agent(AgentMetric::Wage | AgentMetric::TakeHome) => Unit::Yuan,
            Metric::Series(SeriesMetric::Staff | SeriesMetric::Exits) => Unit::Count,
            Metric::Series(_) => Unit::Yuan,
        }
    }
}

/// `x` with `decimals` decimals and thousands separated by commas; "0" rather than "-0".
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let zero = s.chars().all(|c| c == '0' || c == '.');
    let sign = if x < 0.0 && !zero { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A level in its unit: "52.3 %", "8,123 yuan" (yuan/元), "1,204", "1.07".
pub fn value(lang: Lang, unit: Unit, x: f64) -> String {
    match unit {
        Unit::Share => format!("{} %", thousands(x * 100.0, 1)),
        Unit::Yuan => format!("{} {}", thousands(x, 0), yuan(lang)),
        Unit::Count => thousands(x, if x.abs() < 100.0 { 1 } else { 0 }),
        Unit::Ratio => thousands(x, 3),
    }
}

/// A difference in its unit, signed: "+1.2 pp", "−3,400 yuan", "+12".
pub fn diff(lang: Lang, unit: Unit, d: f64) -> String {
    match unit {
        Unit::Share => format!("{} {}", signed(thousands(d * 100.0, 2)), pp(lang)),
        Unit::Yuan => format!("{} {}", signed(thousands(d, 0)), yuan(lang)),
        Unit::Count => signed(thousands(d, 1)),
        Unit::Ratio => signed(thousands(d, 3)),
    }
}

/// An interval `[lo, hi]` in the unit of a level or a difference.
pub fn interval(lang: Lang, unit: Unit, ci: Option<(f64, f64)>, is_diff: bool) -> String {
    match ci {
        None => "—".into(),
        Some((a, b)) if is_diff => format!("[{}, {}]", diff(lang, unit, a), diff(lang, unit, b)),
        Some((a, b)) => format!("[{}, {}]", value(lang, unit, a), value(lang, unit, b)),
    }
}

/// A relative change in per cent, signed ("−14.7 %").
pub fn relative(d: f64) -> String {
    format!("{} %", signed(thousands(d * 100.0, 1)))
}

/// A written number with its sign: a true minus, a plus, none for zero.
fn signed(n: String) -> String {
    if let Some(rest) = n.strip_prefix('-') {
        format!("−{rest}")
    } else if n.chars().all(|c| matches!(c, '0' | '.' | ',')) || n == "—" {
        n
    } else {
        format!("+{n}")
    }
}

/// A share in per cent without sign ("92 %").
pub fn share(x: f64) -> String {
    format!("{} %", thousands(x * 100.0, 0))
}

pub fn yuan(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "yuan",
        Lang::Zh => "元",
    }
}

fn pp(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "pp",
        Lang::Zh => "个百分点",
    }
}

/// "3 replications" / "3 次重复", "1,500 agents" / "1,500 人".
pub fn count(lang: Lang, n: usize, level: Level) -> String {
    let n_s = thousands(n as f64, 0);
    match (lang, level) {
        (Lang::En, Level::Replications) if n == 1 => "1 replication".into(),
        (Lang::En, Level::Replications) => format!("{n_s} replications"),
        (Lang::En, Level::Agents) => format!("{n_s} agents"),
        (Lang::Zh, Level::Replications) => format!("{n_s} 次重复"),
        (Lang::Zh, Level::Agents) => format!("{n_s} 人"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_an_analyst_writes_them() {
        assert_eq!(thousands(2_419_591.4, 0), "2,419,591");
        assert_eq!(thousands(-0.00001, 4), "0.0000");
        assert_eq!(thousands(-1234.5, 1), "-1,234.5");
        assert_eq!(value(Lang::En, Unit::Share, 0.5234), "52.3 %");
        assert_eq!(value(Lang::Zh, Unit::Yuan, 8123.4), "8,123 元");
        assert_eq!(value(Lang::En, Unit::Count, 6000.0), "6,000");
        assert_eq!(diff(Lang::En, Unit::Share, -0.03), "−3.00 pp");
        assert_eq!(diff(Lang::En, Unit::Yuan, 1500.0), "+1,500 yuan");
        assert_eq!(diff(Lang::En, Unit::Yuan, -0.2), "0 yuan");
        assert_eq!(relative(-0.147), "−14.7 %");
        assert_eq!(count(Lang::Zh, 3, Level::Replications), "3 次重复");
        assert_eq!(count(Lang::En, 1500, Level::Agents), "1,500 agents");
    }
}

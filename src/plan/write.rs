//! The planner's files: tidy CSV tables, fan charts (PNG and SVG) and the JSON summary. Every
//! file is written atomically inside the output folder; nothing in them depends on timing or
//! the thread count.

use super::{Gap, PlanCase, PlanResult, Track, METRICS};
use crate::output::write_atomic;
use crate::plot::{fan_chart, Curves, Fan, FigureStyle};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A number for CSV: shortest round-trip form, empty when not finite.
fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{}", (x * 1e6).round() / 1e6)
    } else {
        String::new()
    }
}

/// Writes every file into `dir` (created if needed) and returns their paths.
pub fn write_all(dir: &Path, case: &PlanCase, r: &PlanResult) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let track = case.person.track;
    let mut files = Vec::new();
    let mut put = |name: &str, text: String| -> anyhow::Result<()> {
        let p = dir.join(name);
        write_atomic(&p, |w| w.write_all(text.as_bytes()))?;
        files.push(p);
        Ok(())
    };
    put("options.csv", options_csv(r, track))?;
    put("percentiles.csv", percentiles_csv(r, track))?;
    put("balances.csv", balances_csv(r))?;
    if let Some(g) = &r.gap {
        put("gap.csv", gap_csv(g, r, track))?;
    }
    put("plan.json", json(case, r))?;
    // The charts are independent: render them (PNG and SVG) in parallel, listed in a fixed
    // order whatever finishes first.
    let charts = charts(case, r);
    let jobs: Vec<(&Chart, &str)> = ["png", "svg"]
        .into_iter()
        .flat_map(|ext| charts.iter().map(move |c| (c, ext)))
        .collect();
    let drawn: Vec<PathBuf> = jobs
        .par_iter()
        .map(|(c, ext)| c.draw(dir, ext))
        .collect::<anyhow::Result<_>>()?;
    files.extend(drawn);
    Ok(files)
}

fn option_cols(r: &PlanResult, o: usize, track: Track) -> String {
    let l = &r.options[o];
    format!(
        "{o},\"{}\",{},{},{},{},{},{}",
        l.name(track),
        match track {
            Track::Established => "occupational",
            Track::Contract if l.enterprise_annuity => "enterprise",
            Track::Contract => "none",
        },
        num(l.base_share),
        l.retire,
        l.retire_age,
        l.retire_offset,
        l.draw.name()
    )
}

const OPTION_HEAD: &str = "option,name,annuity,base_share,retire,retire_age,retire_offset,draw";

/// Side by side: one row per option, the median, mean and central-path value of each metric.
pub fn options_csv(r: &PlanResult, track: Track) -> String {
    let mut s = String::from(OPTION_HEAD);
    for (m, _) in METRICS {
        s.push_str(&format!(",{m}_median,{m}_mean,{m}_central"));
    }
    s.push('\n');
    let mid = r.percentiles.iter().position(|&q| q == 50.0);
    for o in 0..r.options.len() {
        s.push_str(&option_cols(r, o, track));
        for m in 0..METRICS.len() {
            let median = mid.map_or_else(|| f64::NAN, |i| r.summary[o][m][i]);
            let c = &r.central[o];
            let central = [c.pension, c.pension_real, c.replacement, c.money_worth][m];
            s.push_str(&format!(
                ",{},{},{}",
                num(median),
                num(r.means[o][m]),
                num(central)
            ));
        }
        s.push('\n');
    }
    s
}

/// Tidy: one row per option, metric and percentile.
pub fn percentiles_csv(r: &PlanResult, track: Track) -> String {
    let mut s = format!("{OPTION_HEAD},metric,unit,percentile,value\n");
    for o in 0..r.options.len() {
        for (m, (name, unit)) in METRICS.iter().enumerate() {
            for (i, q) in r.percentiles.iter().enumerate() {
                s.push_str(&format!(
                    "{},{name},{unit},{},{}\n",
                    option_cols(r, o, track),
                    num(*q),
                    num(r.summary[o][m][i])
                ));
            }
        }
    }
    s
}

/// Tidy: balances (personal account plus annuity, yuan, nominal) by variant, year end and
/// percentile.
pub fn balances_csv(r: &PlanResult) -> String {
    let mut s = String::from("enterprise_annuity,base_share,year,age,percentile,balance_yuan\n");
    for (v, &(ea, share)) in r.variants.iter().enumerate() {
        for (k, &(year, age)) in r.years.iter().enumerate() {
            for (i, q) in r.percentiles.iter().enumerate() {
                s.push_str(&format!(
                    "{ea},{},{year},{age},{},{}\n",
                    num(share),
                    num(*q),
                    num(r.balances[v][k][i])
                ));
            }
        }
    }
    s
}

fn gap_csv(g: &Gap, r: &PlanResult, track: Track) -> String {
    let mut s = String::from("item,value,unit\n");
    s.push_str(&format!(
        "target_replacement,{},share of the final wage\n",
        num(g.target)
    ));
    s.push_str(&format!(
        "median_replacement,{},share of the final wage\n",
        num(g.median)
    ));
    s.push_str(&format!("gap,{},share of the final wage\n", num(g.gap)));
    s.push_str(&format!(
        "monthly_shortfall,{},yuan/month\n",
        num(g.monthly_shortfall)
    ));
    s.push_str(&format!(
        "monthly_saving_to_close,{},yuan/month until retirement\n",
        num(g.monthly_saving)
    ));
    for &o in &g.closing_options {
        s.push_str(&format!(
            "option_reaching_target,{o},\"{}\"\n",
            r.options[o].name(track)
        ));
    }
    s
}

fn jnum(x: f64) -> serde_json::Value {
    if x.is_finite() {
        serde_json::json!((x * 1e6).round() / 1e6)
    } else {
        serde_json::Value::Null
    }
}

/// The summary as one JSON object (what `--json` prints).
pub fn json(case: &PlanCase, r: &PlanResult) -> String {
    let track = case.person.track;
    let options: Vec<serde_json::Value> = (0..r.options.len())
        .map(|o| {
            let mut m = serde_json::Map::new();
            m.insert("name".into(), r.options[o].name(track).into());
            m.insert("retire".into(), r.options[o].retire.to_string().into());
            for (k, (name, _)) in METRICS.iter().enumerate() {
                let pct: serde_json::Map<String, serde_json::Value> = r
                    .percentiles
                    .iter()
                    .zip(&r.summary[o][k])
                    .map(|(q, v)| (format!("p{}", num(*q)), jnum(*v)))
                    .collect();
                m.insert((*name).into(), pct.into());
            }
            serde_json::Value::Object(m)
        })
        .collect();
    let gap = r.gap.as_ref().map(|g| {
        serde_json::json!({
            "target": jnum(g.target), "median": jnum(g.median), "gap": jnum(g.gap),
            "monthly_shortfall_yuan": jnum(g.monthly_shortfall),
            "monthly_saving_yuan": jnum(g.monthly_saving),
            "closing_options": g.closing_options,
        })
    });
    let v = serde_json::json!({
        "paths": r.paths,
        "seed": case.plan.seed,
        "percentiles": r.percentiles,
        "options": options,
        "gap": gap,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// One fan chart to draw: its file stem, style, x values and named fans.
struct Chart {
    stem: String,
    style: FigureStyle,
    x: Vec<f64>,
    fans: Vec<(String, Curves)>,
}

impl Chart {
    fn draw(&self, dir: &Path, ext: &str) -> anyhow::Result<PathBuf> {
        let p = dir.join(format!("{}.{ext}", self.stem));
        let fans: Vec<Fan> = self
            .fans
            .iter()
            .map(|(name, curves)| Fan { name, curves })
            .collect();
        fan_chart(&p, &self.style, &self.x, &fans)?;
        Ok(p)
    }
}

/// Fan charts: balances by age for each variant, and each (variant, draw) metric by
/// retirement age when more than one retirement month is compared.
fn charts(case: &PlanCase, r: &PlanResult) -> Vec<Chart> {
    let mut out = Vec::new();
    let ages: Vec<f64> = r.years.iter().map(|&(_, a)| a as f64).collect();
    let names: Vec<String> = r
        .variants
        .iter()
        .map(|&(ea, share)| match case.person.track {
            Track::Established => format!("base {:.0}%", share * 100.0),
            Track::Contract => format!(
                "{}, base {:.0}%",
                if ea { "EA" } else { "no EA" },
                share * 100.0
            ),
        })
        .collect();
    let curves: Vec<Vec<(f64, Vec<f64>)>> = r
        .balances
        .iter()
        .map(|b| {
            r.percentiles
                .iter()
                .enumerate()
                .map(|(i, &q)| (q, b.iter().map(|row| row[i]).collect()))
                .collect()
        })
        .collect();
    let mut sorted_q: Vec<(usize, f64)> = r.percentiles.iter().copied().enumerate().collect();
    sorted_q.sort_by(|a, b| a.1.total_cmp(&b.1));
    sorted_q.dedup_by(|a, b| a.1 == b.1);
    let order = |c: &[(f64, Vec<f64>)]| -> Vec<(f64, Vec<f64>)> {
        sorted_q.iter().map(|&(i, _)| c[i].clone()).collect()
    };
    let fans: Vec<(String, Curves)> = curves
        .iter()
        .zip(&names)
        .map(|(c, n)| (n.clone(), order(c)))
        .collect();
    out.push(Chart {
        stem: "balances".into(),
        style: FigureStyle::new("账户余额 Account balances (personal account + annuity)")
            .labels("年龄 age (years)", "余额 balance (yuan, nominal)"),
        x: ages,
        fans,
    });
    if r.options
        .iter()
        .map(|o| o.retire)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        > 1
    {
        for (m, (metric, unit)) in METRICS.iter().enumerate() {
            let mut series: Vec<(String, Vec<f64>, Curves)> = Vec::new();
            for (o, l) in r.options.iter().enumerate() {
                let name = format!(
                    "{}{}",
                    names[r
                        .variants
                        .iter()
                        .position(|&v| v == (l.enterprise_annuity, l.base_share))
                        .unwrap_or(0)],
                    format_args!(", {}", l.draw.name())
                );
                let idx = match series.iter().position(|s| s.0 == name) {
                    Some(i) => i,
                    None => {
                        series.push((
                            name,
                            Vec::new(),
                            sorted_q.iter().map(|&(_, q)| (q, Vec::new())).collect(),
                        ));
                        series.len() - 1
                    }
                };
                let s = &mut series[idx];
                s.1.push(l.retire_age.0 as f64 / 12.0);
                for (k, &(i, _)) in sorted_q.iter().enumerate() {
                    s.2[k].1.push(r.summary[o][m][i]);
                }
            }
            // One chart per metric; each series is one (variant, draw) over retirement ages.
            let x = series[0].1.clone();
            let fans: Vec<(String, Curves)> = series
                .into_iter()
                .filter(|s| s.1 == x)
                .map(|s| (s.0, s.2))
                .collect();
            let title = [
                "首月退休收入 First monthly income (nominal)",
                "首月退休收入 First monthly income (start-year prices)",
                "替代率 Replacement rate (after annuity tax)",
                "投入产出比 Money's worth",
            ][m];
            let style = FigureStyle::new(format!("{title}, by retirement age")).labels(
                "退休年龄 retirement age (years)",
                format!("{metric} ({unit})"),
            );
            out.push(Chart {
                stem: format!("{metric}-by-retirement-age"),
                style,
                x,
                fans,
            });
        }
    }
    out
}

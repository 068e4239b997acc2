//! `sisandbox-risk audit`: performance and warning rates by track, sex, age band and region on
//! a run, flags for groups where the model is much worse or warns much more often, and a model
//! card in Markdown.

use crate::evaluate::{fresh, metrics_of, score_run, Scored};
use crate::io::Staged;
use crate::metrics;
use crate::model::Loaded;
use crate::train::fmt;
use anyhow::Result;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Model folder written by `train`.
    pub model: PathBuf,
    /// Run folder with a panel (a seed the model was not trained on).
    pub run: PathBuf,
    /// Folder for audit.csv and model_card.md [default: RUN/risk-audit, numbered if taken].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// An AUC this far below the overall one flags a group.
const AUC_GAP: f64 = 0.10;
/// A warning rate this many times the overall one flags a group.
const WARN_RATIO: f64 = 2.0;
/// Groups smaller than this are reported but not flagged.
const MIN_GROUP: usize = 100;

struct Row {
    dimension: &'static str,
    group: String,
    windows: usize,
    positives: usize,
    auc: Option<f64>,
    warn_rate: f64,
    flags: Vec<String>,
}

fn age_band(age: f32) -> &'static str {
    match age as u32 {
        0..=29 => "under 30",
        30..=39 => "30-39",
        40..=49 => "40-49",
        _ => "50 and over",
    }
}

fn rows(m: &Loaded, s: &Scored) -> Vec<Row> {
    let warned: Vec<bool> = s
        .scores
        .iter()
        .map(|&v| m.model.thresholds.level(v).is_some())
        .collect();
    let labels: Vec<bool> = s.examples.iter().map(|e| e.label).collect();
    let overall_auc = metrics::auc(&s.scores, &labels);
    let overall_warn = warned.iter().filter(|&&w| w).count() as f64 / warned.len().max(1) as f64;
    type Key<'a> = Box<dyn Fn(usize) -> String + 'a>;
    let keys: [(&'static str, Key); 4] = [
        (
            "track",
            Box::new(|i| s.people[s.examples[i].person].track.name().to_string()),
        ),
        (
            "sex",
            Box::new(|i| {
                if s.people[s.examples[i].person].female {
                    "female".into()
                } else {
                    "male".into()
                }
            }),
        ),
        (
            "age band",
            Box::new(|i| age_band(s.examples[i].age_years).to_string()),
        ),
        (
            "region",
            Box::new(|i| s.people[s.examples[i].person].region.clone()),
        ),
    ];
    let mut out = Vec::new();
    for (dimension, key) in &keys {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for i in 0..s.examples.len() {
            groups.entry(key(i)).or_default().push(i);
        }
        for (group, idx) in groups {
            let sc: Vec<f64> = idx.iter().map(|&i| s.scores[i]).collect();
            let lb: Vec<bool> = idx.iter().map(|&i| labels[i]).collect();
            let auc = metrics::auc(&sc, &lb);
            let warn_rate = idx.iter().filter(|&&i| warned[i]).count() as f64 / idx.len() as f64;
            let mut flags = Vec::new();
            if idx.len() >= MIN_GROUP {
                if let (Some(a), Some(o)) = (auc, overall_auc) {
                    if a < o - AUC_GAP {
                        flags.push(format!(
                            "AUC {a:.3} is more than {AUC_GAP} below the overall {o:.3}"
                        ));
                    }
                }
                if overall_warn > 0.0 && warn_rate > WARN_RATIO * overall_warn {
                    flags.push(format!(
                        "warned {:.1} % of windows, over {WARN_RATIO} times the overall {:.1} %",
                        100.0 * warn_rate,
                        100.0 * overall_warn
                    ));
                }
            }
            out.push(Row {
                dimension,
                group,
                windows: idx.len(),
                positives: lb.iter().filter(|&&l| l).count(),
                auc,
                warn_rate,
                flags,
            });
        }
    }
    out
}

pub fn run(a: &AuditArgs) -> Result<()> {
    let m = Loaded::load(&a.model)?;
    let s = score_run(&m, &a.run)?;
    let met = metrics_of(&m, &s);
    let table = rows(&m, &s);
    let run_dir = if a.run.is_dir() {
        a.run.clone()
    } else {
        a.run.parent().map_or(PathBuf::from("."), Path::to_path_buf)
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| fresh(run_dir.join("risk-audit")));
    let staged = Staged::new(&out)?;
    let mut csv = String::from("dimension,group,windows,positives,auc,warning_rate,flags\n");
    for r in &table {
        writeln!(
            csv,
            "{},\"{}\",{},{},{},{:.6},\"{}\"",
            r.dimension,
            r.group.replace('"', "\"\""),
            r.windows,
            r.positives,
            r.auc.map_or(String::new(), |v| format!("{v:.6}")),
            r.warn_rate,
            r.flags.join("; ").replace('"', "\"\"")
        )?;
    }
    staged.write("audit.csv", csv.as_bytes())?;
    let md = card(&m, &met, &table, &a.run);
    staged.write("model_card.md", md.as_bytes())?;
    let dir = staged.commit()?;
    let flagged: Vec<&Row> = table.iter().filter(|r| !r.flags.is_empty()).collect();
    println!(
        "{:<10} {:<16} {:>8} {:>9} {:>7} {:>8}",
        "dimension", "group", "windows", "positives", "AUC", "warned"
    );
    for r in &table {
        println!(
            "{:<10} {:<16} {:>8} {:>9} {:>7} {:>7.1}%{}",
            r.dimension,
            r.group,
            r.windows,
            r.positives,
            fmt(r.auc),
            100.0 * r.warn_rate,
            if r.flags.is_empty() { "" } else { "  FLAG" }
        );
    }
    println!(
        "{} flagged groups; model card and table -> {}",
        flagged.len(),
        dir.display()
    );
    Ok(())
}

fn card(m: &Loaded, met: &crate::evaluate::Metrics, table: &[Row], run: &Path) -> String {
    let md = &m.model;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Model card: early warning of contribution interruptions\n"
    );
    let _ = writeln!(s, "## Model\n");
    let _ = writeln!(
        s,
        "- Kind: {:?} (warnings), with a logistic-regression baseline fitted beside it",
        md.kind
    );
    let _ = writeln!(s, "- Predicts: an interruption (a month without pension contributions for someone who should be insured) starting within the next {} months", md.horizon_months);
    let _ = writeln!(
        s,
        "- Inputs: the last {} months of: {}",
        md.window_months,
        md.features.join(", ")
    );
    let _ = writeln!(
        s,
        "- Seed {}, {} threads, {} epochs\n",
        md.seed, md.threads, md.epochs
    );
    let _ = writeln!(s, "## Data\n");
    let _ = writeln!(
        s,
        "- Trained on simulated panels: {}",
        md.training_runs.join(", ")
    );
    let _ = writeln!(
        s,
        "- {} people, {} training windows, {} positive\n",
        md.training_people, md.training_examples, md.training_positives
    );
    let _ = writeln!(s, "## Performance on {}\n", run.display());
    let _ = writeln!(s, "| metric | model | baseline |\n|---|---|---|");
    let _ = writeln!(s, "| AUC | {} | {} |", fmt(met.auc), fmt(met.baseline_auc));
    let _ = writeln!(
        s,
        "| PR-AUC | {} | {} |",
        fmt(met.pr_auc),
        fmt(met.baseline_pr_auc)
    );
    let _ = writeln!(
        s,
        "| Brier | {:.4} | {:.4} |\n",
        met.brier, met.baseline_brier
    );
    let _ = writeln!(
        s,
        "{} positive and {} negative windows.\n",
        met.positives, met.negatives
    );
    let t = &md.thresholds;
    let _ = writeln!(s, "## Warning levels\n");
    for (name, th, target) in [
        ("red", t.red, t.targets[0]),
        ("orange", t.orange, t.targets[1]),
        ("yellow", t.yellow, t.targets[2]),
    ] {
        let _ = writeln!(
            s,
            "- {name}: risk ≥ {} (precision target {:.0} % on validation)",
            th.map_or("unreached".into(), |v| format!("{v:.4}")),
            100.0 * target
        );
    }
    let _ = writeln!(s, "\n## Groups\n\n| dimension | group | windows | positives | AUC | warned | flags |\n|---|---|---|---|---|---|---|");
    for r in table {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {:.1} % | {} |",
            r.dimension,
            r.group,
            r.windows,
            r.positives,
            fmt(r.auc),
            100.0 * r.warn_rate,
            r.flags.join("; ")
        );
    }
    let _ = writeln!(s, "\n## Limits\n");
    let _ = writeln!(s, "- Trained on simulated histories: the drivers of interruptions are the simulation's assumptions (docs/RISK.md), not estimates from administrative data.");
    let _ = writeln!(
        s,
        "- A group flagged above needs a closer look before warnings are acted on for it."
    );
    let _ = writeln!(s, "- Warnings are prompts for a conversation and a participation plan, never grounds for a decision about a person.");
    s
}

//! `sisandbox-risk score`: warnings for each person's latest month, from a run or an HR
//! history file. Staff appear only by the file's own staff number.

use crate::data::{self, month_label};
use crate::dataset;
use crate::history;
use crate::io::Staged;
use crate::model::{action, Loaded};
use anyhow::Result;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ScoreArgs {
    /// Model folder written by `train`.
    pub model: PathBuf,
    /// A run folder with a panel, a panel.parquet, or an HR history file (.csv in UTF-8 or GBK,
    /// .xlsx) with columns staff_number, month, track, sex, age, wage, base,
    /// pension_contributions and optionally region, dependants, spouse_covered.
    pub history: PathBuf,
    /// Folder to create for warnings.csv and summary.csv.
    #[arg(long)]
    pub out: PathBuf,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn run(a: &ScoreArgs) -> Result<()> {
    let m = Loaded::load(&a.model)?;
    let is_table = a
        .history
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["csv", "xlsx", "xls", "ods", "txt"].contains(&e.to_lowercase().as_str()));
    let people = if is_table {
        history::read(&a.history)?
    } else {
        data::read_run(&a.history)?
    };
    let staged = Staged::new(&a.out)?;
    let ex = dataset::latest(&people);
    let xs: Vec<&[f32]> = ex.iter().map(|e| e.x.as_slice()).collect();
    let scores = m.scores(&xs);
    let levels: Vec<Option<&str>> = scores
        .iter()
        .map(|&s| m.model.thresholds.level(s))
        .collect();
    let warned: Vec<usize> = (0..ex.len()).filter(|&i| levels[i].is_some()).collect();
    let wx: Vec<&[f32]> = warned.iter().map(|&i| xs[i]).collect();
    let ws: Vec<f64> = warned.iter().map(|&i| scores[i]).collect();
    let reasons = m.reasons(&wx, &ws);
    let mut out =
        String::from("staff_number,month,risk,level,reason_1,reason_2,reason_3,suggested_action\n");
    let mut order: Vec<usize> = (0..warned.len()).collect();
    order.sort_by(|&x, &y| ws[y].total_cmp(&ws[x]).then(x.cmp(&y)));
    for k in order {
        let i = warned[k];
        let r = &reasons[k];
        let name = |j: usize| r.get(j).map_or(String::new(), |x| csv_field(&x.0));
        writeln!(
            out,
            "{},{},{:.4},{},{},{},{},{}",
            csv_field(&people[ex[i].person].key),
            month_label(ex[i].anchor),
            scores[i],
            levels[i].unwrap_or(""),
            name(0),
            name(1),
            name(2),
            csv_field(action(r.first().map(|x| x.0.as_str())))
        )?;
    }
    staged.write("warnings.csv", out.as_bytes())?;
    let mut summary = String::from("level,threshold,precision_target,staff\n");
    let t = &m.model.thresholds;
    for (k, (name, th)) in [("red", t.red), ("orange", t.orange), ("yellow", t.yellow)]
        .into_iter()
        .enumerate()
    {
        let n = levels.iter().filter(|l| **l == Some(name)).count();
        let th = th.map_or("unreached".into(), |v| format!("{v:.4}"));
        writeln!(summary, "{name},{th},{},{n}", t.targets[k])?;
    }
    writeln!(summary, "none,,,{}", ex.len() - warned.len())?;
    staged.write("summary.csv", summary.as_bytes())?;
    let dir = staged.commit()?;
    eprintln!(
        "{} staff scored, {} warnings -> {}",
        ex.len(),
        warned.len(),
        dir.display()
    );
    Ok(())
}

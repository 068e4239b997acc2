//! `sisandbox budget`: next year's contributions from a roster, through the engine.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use sisandbox::office::{self, budget, write::OutDir};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct BudgetArgs {
    /// Staff roster CSV (docs/ROSTER.md) describing the staff at the start of the year.
    pub roster: PathBuf,
    /// Year to budget (January to December).
    #[arg(long)]
    pub year: i32,
    /// Scenario file: rules, promotions, hires and the rest of the dynamics; default: built in.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Set a scenario key (validated like the file).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Replications (seeds) the range is taken over.
    #[arg(long, default_value_t = 10)]
    pub replications: u32,
    /// Worker threads per run (0: all cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Output folder: budget.csv, budget_year.csv, manifest.toml and, when the roster has a
    /// department column (department, 部门, 所在部门, 单位名称), budget_department.csv.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: &BudgetArgs) -> Result<()> {
    if !(1900..=2200).contains(&args.year) {
        anyhow::bail!(
            "--year {}: a calendar year (1900–2200) is required",
            args.year
        );
    }
    if args.replications == 0 || args.replications > 10_000 {
        anyhow::bail!("--replications {}: between 1 and 10000", args.replications);
    }
    let scenario = office::load_scenario(args.scenario.as_deref(), &args.set)?;
    let roster = std::path::absolute(&args.roster)?;
    let out = OutDir::create(&args.out).map_err(anyhow::Error::msg)?;
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(u64::from(args.replications));
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {bar:40} {pos}/{len} replications {elapsed_precise} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let tick = |r: u32| bar.set_position(u64::from(r));
    let lines = budget::budget(
        &scenario,
        &roster,
        args.year,
        args.replications,
        args.threads,
        &tick,
    )?;
    bar.finish_and_clear();
    let row = |l: &budget::Line, month: String| {
        vec![
            month,
            l.group.clone(),
            l.key.clone(),
            l.metric.clone(),
            format!("{:.2}", l.mean()),
            format!("{:.2}", l.min()),
            format!("{:.2}", l.max()),
            l.values.len().to_string(),
        ]
    };
    let head = [
        "month",
        "group",
        "key",
        "metric",
        "mean_yuan",
        "min_yuan",
        "max_yuan",
        "replications",
    ];
    let monthly: Vec<Vec<String>> = lines.iter().map(|l| row(l, l.month.to_string())).collect();
    let totals = budget::year_totals(&lines);
    let yearly: Vec<Vec<String>> = totals
        .iter()
        .map(|l| row(l, args.year.to_string()))
        .collect();
    let mut out = out;
    let e = anyhow::Error::msg;
    out.stage_csv("budget.csv", &head, &monthly).map_err(e)?;
    let mut yhead = head;
    yhead[0] = "year";
    out.stage_csv("budget_year.csv", &yhead, &yearly)
        .map_err(e)?;
    let departments = budget::read_departments(&roster)?;
    let by_department: Vec<&budget::Line> = totals
        .iter()
        .filter(|l| l.group == budget::DEPARTMENT_GROUP)
        .collect();
    if let Some(d) = &departments {
        let staff = d.headcount();
        let rows: Vec<Vec<String>> = by_department
            .iter()
            .map(|l| {
                vec![
                    args.year.to_string(),
                    l.key.clone(),
                    staff.get(&l.key).copied().unwrap_or(0).to_string(),
                    format!("{:.2}", l.mean()),
                    format!("{:.2}", l.min()),
                    format!("{:.2}", l.max()),
                    l.values.len().to_string(),
                ]
            })
            .collect();
        out.stage_csv(
            "budget_department.csv",
            &[
                "year",
                "department",
                "staff_at_start",
                "mean_yuan",
                "min_yuan",
                "max_yuan",
                "replications",
            ],
            &rows,
        )
        .map_err(e)?;
    }
    use toml::Value;
    let mut m = office::write::manifest_head(&office::command_line());
    m.insert("year".into(), Value::Integer(i64::from(args.year)));
    m.insert(
        "replications".into(),
        Value::Integer(i64::from(args.replications)),
    );
    m.insert(
        "seed".into(),
        Value::Integer(scenario.simulation.seed as i64),
    );
    m.insert(
        "roster_sha256".into(),
        Value::String(office::write::sha256_of(&roster)),
    );
    out.commit(m).map_err(e)?;
    for l in totals.iter().filter(|l| l.group == "insurance") {
        eprintln!(
            "{} {:<14} {:<26} mean {:>16.2}  range {:.2} – {:.2}",
            args.year,
            l.key,
            l.metric,
            l.mean(),
            l.min(),
            l.max()
        );
    }
    for l in &by_department {
        eprintln!(
            "{} {:<24} contributions mean {:>16.2}  range {:.2} – {:.2}",
            args.year,
            l.key,
            l.mean(),
            l.min(),
            l.max()
        );
    }
    eprintln!("budget -> {}", args.out.display());
    Ok(())
}

//! `sisandbox makeup`: the make-up (补差) after a new average wage or rate is published.

use anyhow::Result;
use sisandbox::money::{format_yuan, rate_to_ppm, yuan_to_fen};
use sisandbox::office::{self, makeup, rules::RuleBook, write::OutDir};
use sisandbox::time::YearMonth;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct MakeupArgs {
    /// Payroll file (CSV or XLSX), with the base year before the months made up.
    #[arg(long)]
    pub payroll: PathBuf,
    /// Insurance declaration file (CSV or XLSX): what was declared and paid.
    #[arg(long)]
    pub insurance: PathBuf,
    /// Region whose rules apply.
    #[arg(long)]
    pub region: String,
    /// The newly published average monthly wage, yuan (e.g. 7646 for Sichuan's 2024 figure).
    #[arg(long, requires = "wage_year")]
    pub average_wage: Option<f64>,
    /// The year that average wage is for (it sets the limits of the base year after it).
    #[arg(long)]
    pub wage_year: Option<i32>,
    /// A new work-injury rate (share: 0.002 for 0.2 %) in force from --rate-from.
    #[arg(long, requires = "rate_from")]
    pub work_injury_rate: Option<f64>,
    /// First month of the new work-injury rate (YYYY-MM).
    #[arg(long, value_parser = YearMonth::parse)]
    pub rate_from: Option<YearMonth>,
    /// First month made up (default: the first in the insurance file).
    #[arg(long, value_parser = YearMonth::parse)]
    pub from: Option<YearMonth>,
    /// Last month made up (default: the last in the insurance file).
    #[arg(long, value_parser = YearMonth::parse)]
    pub to: Option<YearMonth>,
    /// Output folder: makeup.csv, totals.csv and manifest.toml.
    #[arg(long)]
    pub out: PathBuf,
    /// Column mapping file (TOML) for files whose headers differ.
    #[arg(long)]
    pub columns: Option<PathBuf>,
    /// Scenario file whose parameters apply; default: built in.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Set a scenario key (validated like the file).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

pub fn run(args: &MakeupArgs) -> Result<()> {
    let scenario = office::load_scenario(args.scenario.as_deref(), &args.set)?;
    let mut book = RuleBook::new(&scenario, &args.region).map_err(anyhow::Error::msg)?;
    if let (Some(w), Some(y)) = (args.average_wage, args.wage_year) {
        if !(w.is_finite() && w > 0.0 && w < 1e6) {
            anyhow::bail!("--average-wage {w}: a monthly wage in yuan above 0 is required");
        }
        book.set_average_wage(y, yuan_to_fen(w));
    }
    if let (Some(r), Some(from)) = (args.work_injury_rate, args.rate_from) {
        if !(0.0..=0.1).contains(&r) {
            anyhow::bail!(
                "--work-injury-rate {r}: a share between 0 and 0.1 is required (0.002 for 0.2 %)"
            );
        }
        book.set_work_injury_rate(from, rate_to_ppm(r));
    }
    let mapping = office::load_mapping(args.columns.as_deref())?;
    let out = OutDir::create(&args.out).map_err(anyhow::Error::msg)?;
    let (inputs, infos) = office::load_inputs(&args.payroll, &args.insurance, None, &mapping)?;
    let first = inputs.insurance.iter().map(|r| r.month).min();
    let last = inputs.insurance.iter().map(|r| r.month).max();
    let range = match (args.from.or(first), args.to.or(last)) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    };
    let v = makeup::make_up(&inputs, &mut book, range);
    let (header, rows) = makeup::rows(&v);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let totals = makeup::totals(&v);
    let personal: i64 = v.iter().map(|m| m.personal()).sum();
    let employer: i64 = v.iter().map(|m| m.employer()).sum();
    write(args, out, &header, &rows, &totals, &infos)?;
    for i in &infos {
        eprintln!("{}", i.describe());
    }
    eprintln!(
        "makeup: {} staff-months, {} personal, {} employer -> {}",
        v.len(),
        format_yuan(personal),
        format_yuan(employer),
        args.out.display()
    );
    Ok(())
}

fn write(
    args: &MakeupArgs,
    mut out: OutDir,
    header: &[&str],
    rows: &[Vec<String>],
    totals: &[Vec<String>],
    infos: &[office::InputInfo],
) -> Result<()> {
    use toml::Value;
    let e = anyhow::Error::msg;
    out.stage_csv("makeup.csv", header, rows).map_err(e)?;
    out.stage_csv(
        "totals.csv",
        &["month", "insurance", "payer", "amount_yuan"],
        totals,
    )
    .map_err(e)?;
    let mut m = office::write::manifest_head(&office::command_line());
    m.insert("region".into(), Value::String(args.region.clone()));
    if let (Some(w), Some(y)) = (args.average_wage, args.wage_year) {
        m.insert("average_wage".into(), Value::Float(w));
        m.insert("wage_year".into(), Value::Integer(i64::from(y)));
    }
    if let (Some(r), Some(f)) = (args.work_injury_rate, args.rate_from) {
        m.insert("work_injury_rate".into(), Value::Float(r));
        m.insert("rate_from".into(), Value::String(f.to_string()));
    }
    let mut inputs = toml::Table::new();
    for i in infos {
        inputs.insert(i.role.name().into(), i.to_toml());
    }
    m.insert("inputs".into(), Value::Table(inputs));
    out.commit(m).map_err(e)?;
    Ok(())
}

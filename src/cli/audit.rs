//! `sisandbox audit`: reconcile payroll, insurance declarations and finance payments.

use anyhow::Result;
use sisandbox::office::{self, audit, report, rules::RuleBook, write::OutDir};
use sisandbox::time::YearMonth;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Payroll file (CSV in UTF-8 or GBK, or XLSX): staff, month, gross pay, personal
    /// contributions withheld; also the months of the base year before for the base check.
    #[arg(long)]
    pub payroll: PathBuf,
    /// Insurance declaration file (CSV or XLSX): base and every contribution by staff and month.
    #[arg(long)]
    pub insurance: PathBuf,
    /// Finance payment file (CSV or XLSX), optional: net pay by staff and month.
    #[arg(long)]
    pub finance: Option<PathBuf>,
    /// Region whose rules apply (a region of the scenario: sichuan, beijing, …).
    #[arg(long)]
    pub region: String,
    /// Audit this month only (YYYY-MM); by default every month of the insurance file.
    #[arg(long, value_parser = YearMonth::parse)]
    pub month: Option<YearMonth>,
    /// Output folder (created if missing); findings.csv, summary.csv and manifest.toml.
    #[arg(long)]
    pub out: PathBuf,
    /// Column mapping file (TOML) for files whose headers differ (docs/OFFICE.md).
    #[arg(long)]
    pub columns: Option<PathBuf>,
    /// Scenario file whose parameters (rates, limits, average wages) apply; default: built in.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Set a scenario key: --set insurance.work_injury.floating_factor=1.2
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Largest difference from base × rate accepted as rounding, in fen.
    #[arg(long, default_value_t = 1)]
    pub tolerance_fen: i64,
    /// No summary on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &AuditArgs) -> Result<()> {
    let scenario = office::load_scenario(args.scenario.as_deref(), &args.set)?;
    let mut book = RuleBook::new(&scenario, &args.region).map_err(anyhow::Error::msg)?;
    let mapping = office::load_mapping(args.columns.as_deref())?;
    let out = OutDir::create(&args.out).map_err(anyhow::Error::msg)?;
    let t0 = Instant::now();
    let (inputs, infos) = office::load_inputs(
        &args.payroll,
        &args.insurance,
        args.finance.as_deref(),
        &mapping,
    )?;
    let read_s = t0.elapsed().as_secs_f64();
    let opts = audit::AuditOptions {
        month: args.month,
        tolerance: args.tolerance_fen.max(0),
    };
    let findings = audit::audit(&inputs, &mut book, &opts);
    let wall = t0.elapsed().as_secs_f64();
    let summary = report::summarise(&findings);
    write(args, out, &findings, &summary, &infos, wall)?;
    if !args.quiet {
        for i in &infos {
            eprintln!("{}", i.describe());
        }
        for (k, t) in &summary {
            eprintln!(
                "{:<24} {:>6} findings, {:>5} staff, due {} personal, {} employer",
                k.name(),
                t.findings,
                t.staff,
                sisandbox::money::format_yuan(t.personal_due),
                sisandbox::money::format_yuan(t.employer_due)
            );
        }
        eprintln!(
            "audit: {} findings in {:.3} s (reading {:.3} s) -> {}",
            findings.len(),
            wall,
            read_s,
            args.out.display()
        );
    }
    Ok(())
}

fn write(
    args: &AuditArgs,
    mut out: OutDir,
    findings: &[audit::Finding],
    summary: &std::collections::BTreeMap<audit::Kind, report::KindTotals>,
    infos: &[office::InputInfo],
    wall: f64,
) -> Result<()> {
    use toml::Value;
    out.stage_csv(
        "findings.csv",
        &report::FINDINGS_HEADER,
        &report::findings_rows(findings),
    )
    .map_err(anyhow::Error::msg)?;
    out.stage_csv(
        "summary.csv",
        &report::SUMMARY_HEADER,
        &report::summary_rows(summary),
    )
    .map_err(anyhow::Error::msg)?;
    let mut m = office::write::manifest_head(&office::command_line());
    m.insert("region".into(), Value::String(args.region.clone()));
    if let Some(month) = args.month {
        m.insert("month".into(), Value::String(month.to_string()));
    }
    m.insert("tolerance_fen".into(), Value::Integer(args.tolerance_fen));
    m.insert("findings".into(), Value::Integer(findings.len() as i64));
    m.insert(
        "wall_seconds".into(),
        Value::Float((wall * 1000.0).round() / 1000.0),
    );
    let mut inputs = toml::Table::new();
    for i in infos {
        inputs.insert(i.role.name().into(), i.to_toml());
    }
    m.insert("inputs".into(), Value::Table(inputs));
    out.commit(m).map_err(anyhow::Error::msg)?;
    Ok(())
}

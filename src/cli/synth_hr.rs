//! `sisandbox synth-hr`: realistic office files with known anomalies, to measure the audit.

use anyhow::Result;
use sisandbox::office::{self, rules::RuleBook, synth, synth_files::Form, write::OutDir};
use sisandbox::time::YearMonth;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct SynthHrArgs {
    /// Number of staff.
    #[arg(long, default_value_t = 1_000)]
    pub staff: u32,
    /// Audited months (from --start); the payroll also covers the base year before them.
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// Anomalies to inject, spread evenly over every finding kind.
    #[arg(long, default_value_t = 200)]
    pub anomalies: u32,
    /// Seed; the same seed writes byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// First audited month.
    #[arg(long, default_value = "2025-01", value_parser = YearMonth::parse)]
    pub start: YearMonth,
    /// Region whose rules the correct declarations follow.
    #[arg(long, default_value = "sichuan")]
    pub region: String,
    /// Encoding of the CSV files: utf8, utf8-bom or gbk.
    #[arg(long, value_enum, default_value = "utf8")]
    pub encoding: Form,
    /// Write payroll.xlsx, insurance.xlsx and finance.xlsx instead of CSV.
    #[arg(long)]
    pub xlsx: bool,
    /// Output folder (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Scenario file whose parameters apply; default: built in.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
}

pub fn run(args: &SynthHrArgs) -> Result<()> {
    let scenario = office::load_scenario(args.scenario.as_deref(), &[])?;
    let mut book = RuleBook::new(&scenario, &args.region).map_err(anyhow::Error::msg)?;
    let opts = synth::SynthOptions {
        staff: args.staff,
        months: args.months,
        anomalies: args.anomalies,
        seed: args.seed,
        start: args.start,
    };
    let data = synth::generate(&opts, &mut book).map_err(anyhow::Error::msg)?;
    let mut out = OutDir::create(&args.out).map_err(anyhow::Error::msg)?;
    let form = if args.xlsx { Form::Xlsx } else { args.encoding };
    office::synth_files::stage(&mut out, &data, form).map_err(anyhow::Error::msg)?;
    let mut m = office::write::manifest_head(&office::command_line());
    use toml::Value;
    m.insert("seed".into(), Value::Integer(args.seed as i64));
    m.insert("staff".into(), Value::Integer(i64::from(args.staff)));
    m.insert("months".into(), Value::Integer(i64::from(args.months)));
    m.insert("start".into(), Value::String(args.start.to_string()));
    m.insert("region".into(), Value::String(args.region.clone()));
    m.insert("anomalies".into(), Value::Integer(data.truth.len() as i64));
    out.commit(m).map_err(anyhow::Error::msg)?;
    eprintln!(
        "synth-hr: {} staff, {} payroll, {} insurance, {} finance rows, {} anomalies -> {}",
        data.people.len(),
        data.payroll.len(),
        data.insurance.len(),
        data.finance.len(),
        data.truth.len(),
        args.out.display()
    );
    Ok(())
}

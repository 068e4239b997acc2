//! `sisandbox rates REGION --month YYYY-MM [--scenario FILE] [--set KEY=VALUE] [--json]`: every
//! contribution rate and pension rule in force for a region in a month, each with its source
//! and whether it is the region's own, the national one, or the scenario's override.
//! A thin printer over `sisandbox::insurance::regions::InForce`.

use sisandbox::insurance::regions::in_force::parse_month;
use sisandbox::insurance::regions::{print, InForce};
use sisandbox::scenario;
use sisandbox::time::YearMonth;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct RatesArgs {
    /// The region (province or city with its own rules), in English or Chinese, any case:
    /// beijing, gansu, guangdong, heilongjiang, hubei, jiangsu, liaoning, qingdao, shandong,
    /// shanghai, sichuan, zhejiang.
    pub region: String,
    /// The month, YYYY-MM (e.g. 2025-07).
    #[arg(long, value_parser = month)]
    pub month: YearMonth,
    /// A scenario file whose `[insurance]` values replace the defaults; a rate it sets is
    /// shown as the scenario's, with the default it replaces. Without it: the defaults.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Set a scenario key, validated like the file:
    /// --set insurance.unemployment.individual_rate=0.005
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Print one JSON object instead of the text.
    #[arg(long)]
    pub json: bool,
}

fn month(text: &str) -> Result<YearMonth, String> {
    parse_month(text)
}

pub fn run(args: &RatesArgs) -> anyhow::Result<()> {
    let loaded = match &args.scenario {
        Some(path) => scenario::load(path, &args.set)?,
        None => scenario::from_str("", "<embedded default>", &args.set)?,
    };
    let f = InForce::resolve(&loaded.scenario, &args.region, args.month)?;
    // Written, not printed: a closed pipe (`| head`) is an error the caller exits on quietly.
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", print::render_json(&f))?;
    } else {
        write!(out, "{}", print::render_text(&f))?;
    }
    Ok(())
}

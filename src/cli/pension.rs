//! `sisandbox pension CASE.toml [--json] [--explain]`: the one-person pension calculator. A thin
//! printer: parsing, rules and rendering live in `sisandbox::insurance::case`.

use sisandbox::insurance::case::{load_case, render_json, render_text};
use sisandbox::insurance::InsuranceParams;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct PensionArgs {
    /// The case file (see scenarios/cases/ for commented examples).
    pub case: PathBuf,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Show each component's arithmetic with the rule and its source.
    #[arg(long)]
    pub explain: bool,
}

use std::io::Write;

pub fn run(args: &PensionArgs) -> anyhow::Result<()> {
    let case = load_case(&args.case)?;
    let report = case.evaluate(&InsuranceParams::default())?;
    // Written, not printed: a closed pipe (`| head`) is an error the caller exits on quietly.
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", render_json(&report))?;
    } else {
        write!(out, "{}", render_text(&report, args.explain))?;
    }
    Ok(())
}

//! `sisandbox calibrate TARGETS.toml`: fits behavioural parameters to targets by the simulated
//! method of moments, and `sisandbox calibrate --reproduce MANIFEST` re-runs a fit and checks
//! every output's SHA-256. The work is in `sisandbox::calibrate`.

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use sisandbox::calibrate::{self, Options, Targets};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CalibrateArgs {
    /// The targets file: base scenario, parameters with their ranges, moments with their
    /// values, weights and sources (docs/CALIBRATION.md, scenarios/targets/).
    #[arg(required_unless_present = "reproduce", conflicts_with = "reproduce")]
    pub targets: Option<PathBuf>,
    /// Re-run the fit recorded in a calibration's manifest.toml (or its folder) and check that
    /// every output is byte-identical.
    #[arg(long, value_name = "MANIFEST")]
    pub reproduce: Option<PathBuf>,
    /// Folder under which the calibration's folder `<name>-seed<seed>` is created.
    #[arg(long, default_value = "results/calibrations")]
    pub out: PathBuf,
    /// Replications run at the same time (0: one per core). Results are identical for any value.
    #[arg(long, default_value_t = 0, value_parser = super::run::threads_arg)]
    pub threads: usize,
    /// No progress output.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &CalibrateArgs) -> Result<()> {
    if args.out.is_file() {
        bail!("--out {} is a file, not a folder", args.out.display());
    }
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed_precise}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b
    });
    let quiet = args.quiet;
    let tick = |n: usize| match &bar {
        Some(b) => b.set_message(format!("{n} candidates run")),
        None if !quiet && n.is_multiple_of(10) => eprintln!("calibrate: {n} candidates run"),
        None => {}
    };
    let opts = Options {
        out: args.out.clone(),
        threads: args.threads,
        progress: Some(&tick),
        command: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let mut out = std::io::stdout().lock();
    if let Some(manifest) = &args.reproduce {
        let manifest = if manifest.is_dir() {
            manifest.join("manifest.toml")
        } else {
            manifest.clone()
        };
        let r = calibrate::reproduce(&manifest, &opts)?;
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        writeln!(out, "re-ran the fit into {}", r.calibration.dir.display())?;
        super::reproduce::print_checks(&mut out, &r.checks, &r.originals)?;
        if r.ok() {
            writeln!(out, "reproduced: every output matches its recorded SHA-256")?;
            return Ok(());
        }
        bail!(
            "not reproduced: some outputs differ from the manifest{}",
            super::reproduce::version_note(&r.recorded_version)
        );
    }
    let Some(path) = &args.targets else {
        bail!("give a targets file or --reproduce MANIFEST");
    };
    let targets = Targets::load(path)?;
    let c = calibrate::calibrate(&targets, &opts)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    writeln!(
        out,
        "{}: {} candidates on seeds {}..={}, {} iterations ({}); objective {:.6} (start {:.6})",
        targets.name,
        c.evaluations,
        c.seeds[0],
        c.seeds[c.seeds.len() - 1],
        c.fit.iterations,
        c.fit.termination,
        c.fit.best.objective,
        c.fit.start.objective
    )?;
    for (p, (x, x0)) in c
        .parameters
        .iter()
        .zip(c.fit.best.values.iter().zip(&c.fit.start.values))
    {
        writeln!(out, "  {p} = {x}  (start {x0})")?;
    }
    for ((name, target), m) in c.targets.iter().zip(&c.fit.best.moments) {
        writeln!(out, "  {name}: target {target}, simulated {m:.6}")?;
    }
    writeln!(out, "written to {}", c.dir.display())?;
    Ok(())
}

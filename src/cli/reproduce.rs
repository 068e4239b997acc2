//! `sisandbox reproduce MANIFEST`: re-runs a run from its manifest and checks every output's
//! SHA-256. The work is in `sisandbox::experiment::reproduce`.

use anyhow::{bail, Result};
use sisandbox::experiment::reproduce::reproduce;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ReproduceArgs {
    /// A run's manifest.toml (or its run folder).
    pub manifest: PathBuf,
    /// Folder under which the re-run's own folder is created.
    #[arg(long, default_value = "results")]
    pub out: PathBuf,
    /// Worker threads (0: all cores). Results are identical for any value.
    #[arg(long, default_value_t = 0, value_parser = super::run::threads_arg)]
    pub threads: usize,
}

pub fn run(args: &ReproduceArgs) -> Result<()> {
    let manifest = if args.manifest.is_dir() {
        args.manifest.join("manifest.toml")
    } else {
        args.manifest.clone()
    };
    let r = reproduce(&manifest, &args.out, args.threads)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "re-ran seed {} into {}", r.seed, r.dir.display())?;
    let lines = r
        .checks
        .iter()
        .map(|c| (c, ""))
        .chain(r.originals.iter().map(|c| (c, " (original)")));
    for (c, what) in lines {
        if c.matches() {
            writeln!(out, "  ok        {}{what}  {}", c.name, c.expected)?;
        } else {
            writeln!(
                out,
                "  MISMATCH  {}{what}  expected {}  got {}",
                c.name, c.expected, c.actual
            )?;
        }
    }
    if r.ok() {
        writeln!(
            out,
            "reproduced: every output, re-run and original, matches its recorded SHA-256"
        )?;
        return Ok(());
    }
    if r.originals.iter().any(|c| !c.matches()) {
        bail!(
            "the original outputs beside {} do not match their recorded SHA-256: they were \
             changed or damaged after the run",
            manifest.display()
        );
    }
    let note = if r.recorded_version != sisandbox::version() {
        format!(
            " (the manifest was written by sisandbox {}, this is {})",
            r.recorded_version,
            sisandbox::version()
        )
    } else {
        String::new()
    };
    bail!("not reproduced: some outputs differ from the manifest{note}")
}

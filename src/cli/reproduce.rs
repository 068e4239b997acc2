//! `sisandbox reproduce MANIFEST`: re-runs a run from its manifest and checks every output's
//! SHA-256. The work is in `sisandbox::experiment::reproduce`.

use anyhow::{bail, Result};
use sisandbox::experiment::reproduce::reproduce;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ReproduceArgs {
    /// A run's manifest.toml (or its run folder).
    pub manifest: PathBuf,
    /// Folder under which the re-run's own folder is created.
    #[arg(long, default_value = "results")]
    pub out: PathBuf,
    /// Worker threads (0: all cores). Results are identical for any value.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

pub fn run(args: &ReproduceArgs) -> Result<()> {
    let manifest = if args.manifest.is_dir() {
        args.manifest.join("manifest.toml")
    } else {
        args.manifest.clone()
    };
    let r = reproduce(&manifest, &args.out, args.threads)?;
    println!("re-ran seed {} into {}", r.seed, r.dir.display());
    for c in &r.checks {
        if c.matches() {
            println!("  ok        {}  {}", c.name, c.expected);
        } else {
            println!(
                "  MISMATCH  {}  expected {}  got {}",
                c.name, c.expected, c.actual
            );
        }
    }
    if r.ok() {
        println!("reproduced: every output matches its recorded SHA-256");
        Ok(())
    } else {
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
}

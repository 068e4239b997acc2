//! `sisandbox reproduce MANIFEST`: re-runs a run from its manifest and checks every output's
//! SHA-256. The work is in `sisandbox::experiment::reproduce`.

use anyhow::{bail, Result};
use sisandbox::experiment::reproduce::{reproduce, FileCheck};
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
    print_checks(&mut out, &r.checks, &r.originals)?;
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
    bail!(
        "not reproduced: some outputs differ from the manifest{}",
        version_note(&r.recorded_version)
    )
}

/// One line per checked file, re-run outputs first, then the originals beside the manifest.
pub(super) fn print_checks(
    out: &mut impl Write,
    checks: &[FileCheck],
    originals: &[FileCheck],
) -> std::io::Result<()> {
    let lines = checks
        .iter()
        .map(|c| (c, ""))
        .chain(originals.iter().map(|c| (c, " (original)")));
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
    Ok(())
}

/// Why outputs may differ when another version wrote the manifest (empty for this version).
pub(super) fn version_note(recorded: &str) -> String {
    if recorded != sisandbox::version() {
        format!(
            " (the manifest was written by sisandbox {recorded}, this is {})",
            sisandbox::version()
        )
    } else {
        String::new()
    }
}

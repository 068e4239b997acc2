//! `sisandbox merge DIR [SHARD_DIR...]`: joins the shards of a sweep into DIR and writes the
//! tables, byte-identical to an unsharded sweep.

use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The sweep folder to complete. When shards wrote to one shared folder, it is the only
    /// argument.
    pub dir: PathBuf,
    /// Other sweep folders of the same sweep (shards run with a different --out), whose
    /// completed runs are copied into DIR.
    pub shards: Vec<PathBuf>,
    /// No summary.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &MergeArgs) -> Result<()> {
    let copied = sisandbox::experiment::merge(&args.dir, &args.shards)?;
    if !args.quiet {
        eprintln!(
            "merged: {copied} runs copied; tables written to {}",
            args.dir.display()
        );
    }
    Ok(())
}

//! `sisandbox risk …`: the early-warning models live in their own executable,
//! `sisandbox-risk` (workspace member `risk/`), so that the deep-learning dependency stays out of
//! this binary. Like git's and cargo's external subcommands, the executable is looked for next
//! to the current one, then on PATH. Also the panel side of `sisandbox run --panel`.

use anyhow::{bail, Context, Result};
use sisandbox::engine::{panel::Panel, Outcome, RunOptions};
use sisandbox::scenario::Scenario;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

const EXE: &str = "sisandbox-risk";

#[derive(clap::Args, Debug)]
#[command(disable_help_flag = true)]
pub struct RiskArgs {
    /// Arguments passed to `sisandbox-risk` (train, evaluate, score, audit; --help lists them).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<OsString>,
}

fn exe_name() -> String {
    format!("{EXE}{}", std::env::consts::EXE_SUFFIX)
}

/// `sisandbox-risk` beside the running executable, else the first on PATH.
fn find_exe() -> Option<PathBuf> {
    let name = exe_name();
    let beside = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join(&name)))
        .filter(|p| p.is_file());
    beside.or_else(|| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(&name))
                .find(|p| p.is_file())
        })
    })
}

/// Whether the arguments only ask for help (nothing, `help`, `-h` or `--help` first).
fn wants_help(args: &[OsString]) -> bool {
    match args.first().and_then(|a| a.to_str()) {
        None => true,
        Some(a) => matches!(a, "-h" | "--help" | "help"),
    }
}

/// What `sisandbox risk --help` says when the model executable is not installed: the commands
/// it would offer and how to get it, so help never fails.
fn help_without_exe() -> String {
    format!(
        "Early warning of contribution interruptions (runs the {EXE} executable).\n\n\
         Usage: sisandbox risk <COMMAND> [ARGS]...\n\n\
         Commands:\n  \
         train     Train a model (LSTM or logistic, with the logistic baseline beside it) on run panels\n  \
         evaluate  AUC, PR-AUC and Brier score of the model and the baseline on a run of another seed\n  \
         score     Red, orange and yellow warnings with reasons and actions for a run or an HR file\n  \
         audit     Performance and warning rates by track, sex, age band and region; a model card\n\n\
         {EXE} was found neither beside this program nor on PATH; build it with\n  \
         cargo build --release -p {EXE}\n\
         and run `sisandbox risk <COMMAND> --help` for each command's options (docs/RISK.md).\n"
    )
}

/// Runs `sisandbox-risk` with the arguments and exits with its status.
pub fn run(args: &RiskArgs) -> Result<()> {
    let Some(exe) = find_exe() else {
        if wants_help(&args.args) {
            print!("{}", help_without_exe());
            return Ok(());
        }
        bail!(
            "`sisandbox risk` needs the {EXE} executable, found neither beside this program nor \
             on PATH; build it with `cargo build --release -p {EXE}`"
        );
    };
    let status = std::process::Command::new(&exe)
        .args(&args.args)
        .status()
        .with_context(|| format!("starting {}", exe.display()))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => std::process::exit(code),
        None => bail!("{} was stopped by a signal", exe.display()),
    }
}

/// The run and its panel (`sisandbox run --panel`).
pub fn run_with_panel(
    s: &Scenario,
    scenario_dir: Option<&Path>,
    opts: &RunOptions,
) -> Result<(Outcome, Panel)> {
    if !cfg!(feature = "panel") {
        bail!("this build has no Parquet writer: rebuild with `--features panel` to use --panel");
    }
    Ok(sisandbox::simulate::simulate_with_panel(
        s,
        scenario_dir,
        opts,
    )?)
}

/// Writes `panel.parquet` into the finished run folder (atomically).
#[cfg(feature = "panel")]
pub fn write_panel(dir: &Path, s: &Scenario, panel: &Panel) -> Result<()> {
    let path = dir.join("panel.parquet");
    sisandbox::engine::panel::write_parquet(&path, s, panel)
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(not(feature = "panel"))]
pub fn write_panel(_dir: &Path, _s: &Scenario, _panel: &Panel) -> Result<()> {
    bail!("this build has no Parquet writer: rebuild with `--features panel` to use --panel")
}

#[cfg(test)]
mod help_tests {
    use super::*;

    #[test]
    fn help_is_recognised_and_names_every_command() {
        assert!(wants_help(&[]));
        assert!(wants_help(&["--help".into()]));
        assert!(wants_help(&["help".into(), "train".into()]));
        assert!(!wants_help(&["train".into(), "--help".into()]));
        let text = help_without_exe();
        for c in [
            "train",
            "evaluate",
            "score",
            "audit",
            "cargo build --release -p",
        ] {
            assert!(text.contains(c), "{c} missing from:\n{text}");
        }
    }
}

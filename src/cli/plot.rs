//! `sisandbox plot KIND ...`: figures for papers from run or sweep folders, in PNG and SVG.
//! Reading the folders and drawing are in `sisandbox::experiment::figures` and `sisandbox::plot`.

use anyhow::Result;
use clap::Subcommand;
use sisandbox::experiment::figures::{self, Formats, Selection};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct PlotArgs {
    #[command(subcommand)]
    pub kind: PlotKind,
}

/// Options every figure takes.
#[derive(clap::Args, Debug, Clone)]
pub struct Common {
    /// Folder the figures are written to.
    #[arg(long, default_value = "results/figures")]
    pub out: PathBuf,
    /// Formats: png, svg or both.
    #[arg(long, default_value = "both", value_parser = ["png", "svg", "both"])]
    pub format: String,
}

impl Common {
    fn formats(&self) -> Formats {
        Formats {
            png: self.format != "svg",
            svg: self.format != "png",
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum PlotKind {
    /// Overlaid histograms and ECDFs of a metric: per agent across run folders, or per run
    /// across the variants of one sweep folder.
    Dist {
        /// Run folders, or one sweep folder.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Run folders: an agents.csv outcome (replacement_final_wage, money_worth, …);
        /// a sweep: a runs.csv metric (mean_replacement_final_wage, staff_final, …).
        #[arg(long)]
        metric: String,
        /// Restrict to one group: run folders `track`, `sex`, `region`, `university`; a sweep
        /// the runs.csv `group` (track, insurance, fund, university). Default: all.
        #[arg(long, default_value = "all")]
        group: String,
        /// The group's value (e.g. contract).
        #[arg(long, default_value = "all")]
        key: String,
        #[command(flatten)]
        common: Common,
    },
    /// Box plots: by group (run folders, one box per run) or by variant (a sweep folder, across
    /// replications).
    Box {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(long)]
        metric: String,
        /// Run folders: the grouping (track, sex, region, university).
        #[arg(long, default_value = "track")]
        by: String,
        #[command(flatten)]
        common: Common,
    },
    /// Yearly time series of a sweep: median across replications with the 5–95 % band, one
    /// line per variant (needs `series = true`, the default).
    Bands {
        sweep: PathBuf,
        /// A series.csv metric (staff, benefits_paid, balance, …).
        #[arg(long)]
        metric: String,
        #[arg(long, default_value = "all")]
        group: String,
        #[arg(long, default_value = "all")]
        key: String,
        #[command(flatten)]
        common: Common,
    },
    /// Morris μ*/σ screening chart of one output of a Morris sweep.
    Morris {
        sweep: PathBuf,
        #[arg(long)]
        metric: String,
        #[arg(long, default_value = "all")]
        group: String,
        #[arg(long, default_value = "all")]
        key: String,
        #[command(flatten)]
        common: Common,
    },
}

pub fn run(args: &PlotArgs) -> Result<()> {
    let sel = |metric: &str, group: &str, key: &str| Selection {
        metric: metric.into(),
        group: group.into(),
        key: key.into(),
    };
    let written = match &args.kind {
        PlotKind::Dist {
            inputs,
            metric,
            group,
            key,
            common,
        } => figures::distributions(
            inputs,
            &sel(metric, group, key),
            &common.out,
            common.formats(),
        )?,
        PlotKind::Box {
            inputs,
            metric,
            by,
            common,
        } => figures::boxes(inputs, metric, by, &common.out, common.formats())?,
        PlotKind::Bands {
            sweep,
            metric,
            group,
            key,
            common,
        } => figures::bands(
            sweep,
            &sel(metric, group, key),
            &common.out,
            common.formats(),
        )?,
        PlotKind::Morris {
            sweep,
            metric,
            group,
            key,
            common,
        } => figures::morris(
            sweep,
            &sel(metric, group, key),
            &common.out,
            common.formats(),
        )?,
    };
    let mut stdout = std::io::stdout().lock();
    for p in written {
        writeln!(stdout, "{}", p.display())?;
    }
    Ok(())
}

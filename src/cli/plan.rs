//! `sisandbox plan CASE.toml --paths N --out DIR [--json]`: the life-cycle planner for one
//! person. A thin shell over `sisandbox::plan`.

use indicatif::{ProgressBar, ProgressStyle};
use sisandbox::plan;
use sisandbox::scenario;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    /// The person's case file (see scenarios/plans/ for commented examples).
    pub case: PathBuf,
    /// Number of stochastic macro paths.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub paths: u64,
    /// Output folder (created if missing; files in it are replaced atomically).
    #[arg(long, default_value = "results/plan")]
    pub out: PathBuf,
    /// Print the summary as JSON on standard output instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Worker threads; 0 uses every core. The output does not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: &PlanArgs) -> anyhow::Result<()> {
    let case = plan::load(&args.case).map_err(anyhow::Error::msg)?;
    let s = match &case.plan.scenario {
        Some(rel) => {
            let base = args.case.parent().unwrap_or(std::path::Path::new("."));
            scenario::load(&base.join(rel), &[])?.scenario
        }
        None => scenario::Scenario::default(),
    };
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(args.paths);
        b.set_style(
            ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} paths {elapsed_precise}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let tick = || bar.inc(1);
    let result = pool
        .install(|| plan::run_with_progress(&s, &case, args.paths as usize, &tick))
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.case.display()))?;
    bar.finish_and_clear();
    let files = plan::write::write_all(&args.out, &case, &result)?;
    let mut out = String::new();
    if args.json {
        out.push_str(&plan::write::json(&case, &result));
        out.push('\n');
    } else {
        out.push_str(&table(&case, &result));
        for f in files {
            out.push_str(&format!("wrote {}\n", f.display()));
        }
    }
    print_quietly(&out);
    Ok(())
}

/// Prints; a closed pipe ends quietly.
fn print_quietly(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn table(case: &plan::PlanCase, r: &plan::PlanResult) -> String {
    let mid = |o: usize, m: usize| {
        r.percentiles
            .iter()
            .position(|&q| q == 50.0)
            .map_or(f64::NAN, |i| r.summary[o][m][i])
    };
    let mut s = format!(
        "{} paths, seed {}; medians across paths\n{:<52} {:>12} {:>12} {:>8} {:>8}\n",
        r.paths, case.plan.seed, "option", "pension/mo", "real/mo", "repl.", "MW"
    );
    for (o, l) in r.options.iter().enumerate() {
        s.push_str(&format!(
            "{:<52} {:>12.2} {:>12.2} {:>8.3} {:>8.3}\n",
            l.name(case.person.track),
            mid(o, 0),
            mid(o, 1),
            mid(o, 2),
            mid(o, 3)
        ));
    }
    if let Some(g) = &r.gap {
        s.push_str(&format!(
            "target replacement {:.3}, median {:.3}, gap {:.3}: {:.2} yuan a month short; \
             saving {:.2} yuan a month until retirement closes it",
            g.target, g.median, g.gap, g.monthly_shortfall, g.monthly_saving
        ));
        if g.closing_options.is_empty() {
            s.push_str("; no compared option reaches the target\n");
        } else {
            let names: Vec<String> = g
                .closing_options
                .iter()
                .map(|&o| r.options[o].name(case.person.track))
                .collect();
            s.push_str(&format!("; options reaching it: {}\n", names.join("; ")));
        }
    }
    s
}

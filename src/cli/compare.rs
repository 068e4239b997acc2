//! `sisandbox compare RUN_A RUN_B [...]`: side-by-side outcome distributions of run folders at
//! a common date, printed, and written as CSV where --out says. The computation is
//! `sisandbox::experiment::compare`; with `--decompose`, the mechanical and behavioural parts
//! of each reform's effect (`sisandbox::experiment::decompose`).

use anyhow::{Context, Result};
use sisandbox::experiment::compare::{
    compare_dates, default_dates, winners_csv, winners_losers, year_end, Basis, CompareRow,
    Comparison, RunData, BANDS, COMPARE_METRICS, GROUPS,
};
use sisandbox::experiment::compat::{self, RunShape};
use sisandbox::time::YearMonth;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Run folders written by `sisandbox run`; the first is the reference.
    #[arg(required = true, num_args = 2..)]
    pub runs: Vec<PathBuf>,
    /// Also write the full comparison as CSV to this file (and the winners and losers of each
    /// paired run beside it, `NAME-winners-RUN.csv`). Without it nothing is written.
    #[arg(long, visible_alias = "csv", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the --out file (and its winners files) if they exist.
    #[arg(long)]
    pub force: bool,
    /// Compare at this month (YYYY-MM): pay, take-home, perception, pensions in payment and
    /// contributions as they stood then, in agents in the same state in both runs; the outcomes
    /// of a pension award over the agents awarded one by then in both. The runs must hold the
    /// agents' states then: their last month, or the end of any year with `run --snapshots`.
    /// Default: the end of every year the runs hold (else their last month).
    #[arg(long, value_name = "YYYY-MM", value_parser = month_arg, conflicts_with_all = ["at_year", "decompose"])]
    pub at: Option<YearMonth>,
    /// Compare at the end of this year (its December, or the runs' last month in it); see --at.
    #[arg(long, value_name = "YYYY", conflicts_with = "decompose")]
    pub at_year: Option<i32>,
    /// Compare runs even when their start month, horizon, initial staff or staff source
    /// differ (the differences are then printed as a warning).
    #[arg(long)]
    pub allow_mismatch: bool,
    /// Metrics to print (default: all). The CSV always has all. With --decompose, the
    /// summary metrics of docs/EXPERIMENTS.md (`exits`, `retention`, …).
    #[arg(long = "metric", value_name = "METRIC")]
    pub metrics: Vec<String>,
    /// Groups to print: all, track, sex, region, university (default: all and track).
    /// Repeat for several. With --decompose: all, track, insurance, fund, university.
    #[arg(long = "group", value_name = "GROUP")]
    pub groups: Vec<String>,
    /// Split each reform's effect into its mechanical part (the reform run with behaviour
    /// frozen at the baseline's choices) and its behavioural part, for every summary outcome.
    /// The first argument is the baseline; arguments may be scenario files or run folders
    /// (their manifest's scenario). Runs the baseline once and each reform twice, same seed.
    #[arg(long)]
    pub decompose: bool,
    /// With --decompose: an override applied to every scenario (`simulation.agents=2000`).
    #[arg(long = "set", value_name = "KEY=VALUE", requires = "decompose")]
    pub set: Vec<String>,
    /// With --decompose: worker threads of each run (0: all cores). Results are identical
    /// for any value.
    #[arg(long, default_value_t = 0, value_parser = super::run::threads_arg, requires = "decompose")]
    pub threads: usize,
}

/// `--at`: a month written YYYY-MM.
fn month_arg(text: &str) -> Result<YearMonth, String> {
    if !text.contains('-') {
        return Err(format!(
            "`{text}` is not a month: expected YYYY-MM, e.g. 2030-12 (--at-year for a year)"
        ));
    }
    YearMonth::parse(text)
}

fn num(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) if v.is_nan() => "-".into(),
        Some(v) if v.abs() >= 1000.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.digits$}"),
        None => "-".into(),
    }
}

pub fn run(args: &CompareArgs) -> Result<()> {
    if args.decompose {
        return decompose(args);
    }
    for m in &args.metrics {
        if !COMPARE_METRICS.contains(&m.as_str()) {
            anyhow::bail!("--metric {m}: one of {}", COMPARE_METRICS.join(", "));
        }
    }
    for g in &args.groups {
        if g != "all" && !GROUPS.contains(&g.as_str()) {
            anyhow::bail!("--group {g}: one of all, {}", GROUPS.join(", "));
        }
    }
    check_compatible(args)?;
    let runs = args
        .runs
        .iter()
        .map(|d| RunData::load(d))
        .collect::<Result<Vec<_>, _>>()?;
    let dates = match (args.at, args.at_year) {
        (Some(m), _) => vec![Some(m)],
        (None, Some(y)) => vec![Some(year_end(&runs, y)?)],
        (None, None) => default_dates(&runs),
    };
    let c = compare_dates(&runs, &dates)?;
    let last = *dates.last().expect("at least one date");
    let groups: Vec<String> = if args.groups.is_empty() {
        vec!["all".into(), "track".into()]
    } else {
        args.groups.clone()
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "reference: {}", c.runs[0])?;
    for (i, name) in c.runs.iter().enumerate().skip(1) {
        let how = if c.paired[i] {
            "paired by agent id (same seed and initial staff)"
        } else {
            "unpaired (different seed or headcount): Welch interval"
        };
        writeln!(out, "vs {name}: {how}")?;
    }
    let shown: Vec<String> = dates.iter().map(|d| date_text(*d)).collect();
    writeln!(
        out,
        "compared at {} ({}); pay, take-home, perception, pension in payment and \
         contributions in agents in the same state in both runs, the outcomes of an award over \
         agents awarded a pension by the date in both",
        shown.join(", "),
        match (args.at, args.at_year, dates.len()) {
            (Some(_), _, _) | (_, Some(_), _) => "as asked",
            (_, _, 1) => "the runs' last month; `run --snapshots` gives the end of every year",
            _ => "the end of every year; the table by group at the last",
        }
    )?;
    for metric in COMPARE_METRICS {
        if !args.metrics.is_empty() && !args.metrics.iter().any(|m| m == metric) {
            continue;
        }
        print_metric(&mut out, &c, metric, last, &groups)?;
    }
    let Some(csv) = &args.out else {
        writeln!(
            out,
            "\n(give --out FILE to write the full table of {} rows as CSV)",
            c.rows.len()
        )?;
        return write_winners(&runs, last, None, args.force, &mut out);
    };
    let text = c.to_csv();
    write_new(csv, args.force, &text)?;
    writeln!(
        out,
        "\nfull table ({} rows) written to {}",
        c.rows.len(),
        csv.display()
    )?;
    write_winners(&runs, last, Some(csv), args.force, &mut out)
}

fn date_text(d: Option<YearMonth>) -> String {
    d.map_or_else(|| "the end of the runs".into(), |m| m.to_string())
}

fn label(r: &CompareRow) -> String {
    if r.group == "all" {
        "all".to_string()
    } else {
        format!("{}={}", r.group, r.key)
    }
}

/// The pairs of a row as `pairs/population` (paired) or `-`.
fn pairs_text(r: &CompareRow) -> String {
    match &r.diff {
        Some(d) if d.paired => format!("{}/{}", d.pairs, d.population),
        _ => "-".into(),
    }
}

/// One metric: the `all` group at every date (when there are several), then the groups at the
/// last date; a warning mark where a difference rests on too few agents, explained below.
fn print_metric(
    out: &mut dyn Write,
    c: &Comparison,
    metric: &str,
    last: Option<YearMonth>,
    groups: &[String],
) -> Result<()> {
    let Some(first) = c.rows.iter().find(|r| r.metric == metric) else {
        return Ok(());
    };
    let what = match first.basis {
        Basis::AtDate => "agents in the same state in both runs".to_string(),
        Basis::AtRetirement => {
            "at retirement, agents awarded a pension in the run by the date in both runs".into()
        }
    };
    let ci = |c: Option<(f64, f64)>| match c {
        Some((a, b)) => format!("[{}, {}]", num(Some(a), 4), num(Some(b), 4)),
        None => "-".into(),
    };
    let mut notes: Vec<String> = Vec::new();
    let mut mark = |r: &CompareRow| match &r.warning {
        Some(w) => {
            let note = format!("{} {} {}: {w}", date_text(r.at), label(r), c.runs[r.run]);
            if !notes.contains(&note) {
                notes.push(note);
            }
            "!"
        }
        None => "",
    };
    if c.dates.len() > 1 {
        writeln!(
            out,
            "\n== {metric} at the end of each year ({what}), all staff"
        )?;
        writeln!(
            out,
            "{:<8} {:<24} {:>6} {:>10} {:>10} {:>23} {:>12} {:>1}",
            "at", "run", "n", "mean", "diff", "diff 95% CI", "pairs", ""
        )?;
        for r in c
            .rows
            .iter()
            .filter(|r| r.metric == metric && r.group == "all")
        {
            let d = r.diff.as_ref();
            writeln!(
                out,
                "{:<8} {:<24} {:>6} {:>10} {:>10} {:>23} {:>12} {:>1}",
                date_text(r.at),
                c.runs[r.run],
                r.n,
                num(r.mean, 4),
                d.map_or("-".into(), |d| num(Some(d.mean), 4)),
                d.map_or("-".into(), |d| ci(d.ci)),
                pairs_text(r),
                mark(r),
            )?;
        }
    }
    writeln!(out, "\n== {metric} at {} ({what})", date_text(last))?;
    writeln!(
        out,
        "{:<28} {:<24} {:>6} {:>10} {:>23} {:>10} {:>10} {:>23} {:>12} {:>6} {:>6} {:>1}",
        "group",
        "run",
        "n",
        "mean",
        "95% CI",
        "median",
        "diff",
        "diff 95% CI",
        "pairs",
        "gain",
        "loss",
        ""
    )?;
    for r in c
        .rows
        .iter()
        .filter(|r| r.metric == metric && r.at == last && groups.iter().any(|g| g == r.group))
    {
        let d = r.diff.as_ref();
        let share = |s: Option<f64>| s.map_or("-".into(), |x| format!("{:.0}%", x * 100.0));
        writeln!(
            out,
            "{:<28} {:<24} {:>6} {:>10} {:>23} {:>10} {:>10} {:>23} {:>12} {:>6} {:>6} {:>1}",
            label(r),
            c.runs[r.run],
            r.n,
            num(r.mean, 4),
            ci(r.ci),
            num(r.quantiles.as_ref().map(|q| q[2]), 4),
            d.map_or("-".into(), |d| num(Some(d.mean), 4)),
            d.map_or("-".into(), |d| ci(d.ci)),
            pairs_text(r),
            share(d.and_then(|d| d.share_gain)),
            share(d.and_then(|d| d.share_loss)),
            mark(r),
        )?;
    }
    for n in &notes {
        writeln!(out, "  ! {n}")?;
    }
    Ok(())
}

/// Refuses runs that differ in start, horizon, initial staff or staff source (the comparison
/// would show the difference in set-up, not the reform's effect) unless --allow-mismatch;
/// notes a different seed (the runs are compared unpaired).
fn check_compatible(args: &CompareArgs) -> Result<()> {
    let shapes = args
        .runs
        .iter()
        .map(|d| RunShape::load(d))
        .collect::<Result<Vec<_>, _>>()?;
    let (lines, blocking) = compat::check(&shapes);
    if blocking && !args.allow_mismatch {
        anyhow::bail!(
            "these runs are not comparable:\n  {}\nrun them with the same start, --years and \
             --agents (or give --allow-mismatch to compare them anyway)",
            lines.join("\n  ")
        );
    }
    for l in &lines {
        eprintln!("warning: {l}");
    }
    Ok(())
}

/// Writes `path` atomically; an existing file is replaced only with --force.
fn write_new(path: &Path, force: bool, text: &str) -> Result<()> {
    if !force && std::fs::symlink_metadata(path).is_ok() {
        anyhow::bail!(
            "{} exists; give --force to replace it, or another --out",
            path.display()
        );
    }
    sisandbox::output::write_atomic(path, |w| w.write_all(text.as_bytes()))
        .with_context(|| format!("writing {}", path.display()))
}

/// Winners and losers of every paired run against the reference, by group and income decile:
/// the `all` rows printed, the whole table written beside the comparison
/// (`NAME-winners-RUN.csv`).
fn write_winners(
    runs: &[RunData],
    at: Option<YearMonth>,
    csv: Option<&Path>,
    force: bool,
    out: &mut dyn Write,
) -> Result<()> {
    for other in &runs[1..] {
        let Some(rows) = winners_losers(&runs[0], other, at)? else {
            continue;
        };
        writeln!(
            out,
            "\nwinners and losers, {} against {} at {} (paired by agent):",
            other.name,
            runs[0].name,
            date_text(at)
        )?;
        writeln!(out, "{:<26} {:>7} {}", "metric", "pairs", BANDS.join(" "))?;
        for r in rows.iter().filter(|r| r.group == "all") {
            let shares: Vec<String> = r
                .shares
                .iter()
                .map(|s| format!("{:>5.1}%", 100.0 * s))
                .collect();
            writeln!(out, "{:<26} {:>7} {}", r.metric, r.pairs, shares.join(" "))?;
        }
        let Some(csv) = csv else {
            continue;
        };
        let stem = csv
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("compare");
        let dir = csv.parent().unwrap_or(Path::new(""));
        let path = sisandbox::output::inside(dir, &format!("{stem}-winners-{}.csv", other.name))?;
        write_new(&path, force, &winners_csv(&rows))?;
        writeln!(out, "by group and income decile: {}", path.display())?;
    }
    Ok(())
}

/// `--decompose`: mechanical, behavioural and total effect of each reform on every summary
/// outcome (`sisandbox::experiment::decompose`).
fn decompose(args: &CompareArgs) -> Result<()> {
    use sisandbox::experiment::decompose::{self as dec, load_input};
    let inputs = args
        .runs
        .iter()
        .map(|p| load_input(p, &args.set).with_context(|| format!("{}", p.display())))
        .collect::<Result<Vec<_>>>()?;
    let quiet_tick = |done: usize, total: usize| eprintln!("decompose: {done}/{total} runs done");
    let ds = dec::decompose(&inputs[0], &inputs[1..], args.threads, Some(&quiet_tick))?;
    let groups: Vec<String> = if args.groups.is_empty() {
        vec!["all".into(), "track".into()]
    } else {
        args.groups.clone()
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "baseline: {}; mechanical = reform with the baseline's choices − baseline, \
         behavioural = reform − that, total = their sum",
        inputs[0].name
    )?;
    for d in &ds {
        writeln!(out, "\n== {}", d.reform)?;
        writeln!(
            out,
            "{:<34} {:<30} {:>14} {:>14} {:>14} {:>14}",
            "group", "metric", "baseline", "mechanical", "behavioural", "total"
        )?;
        for e in d.effects.iter().filter(|e| {
            groups.contains(&e.group)
                && (args.metrics.is_empty() || args.metrics.contains(&e.metric))
        }) {
            let label = if e.group == "all" {
                "all".to_string()
            } else {
                format!("{}={}", e.group, e.key)
            };
            let n = |x: f64| num(Some(x), 4);
            writeln!(
                out,
                "{:<34} {:<30} {:>14} {:>14} {:>14} {:>14}",
                label,
                e.metric,
                n(e.baseline),
                n(e.mechanical()),
                n(e.behavioural()),
                n(e.total())
            )?;
        }
    }
    if let Some(csv) = &args.out {
        write_new(csv, args.force, &dec::to_csv(&ds))?;
        writeln!(out, "\nfull table written to {}", csv.display())?;
    }
    Ok(())
}

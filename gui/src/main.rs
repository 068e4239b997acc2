//! `sisandbox-gui [--lang en|zh] [--run] [--compare] [--replications N] [SCENARIO.toml ...]`

use sisandbox_gui::i18n::Lang;
use sisandbox_gui::state::Tab;
use sisandbox_gui::{GuiApp, Startup};
use std::path::PathBuf;

const USAGE: &str =
    "usage: sisandbox-gui [--lang en|zh] [--run] [--compare] [--replications N] [--reform KEY=VALUE]...
                     [--tab levers|compare|headline|run|planner|stress] [--export FIGURE.png|svg]
                     [--out DIR] [--plan CASE.toml [--plan-paths N]] [SCENARIO.toml ...]
  --lang     interface language (English or 简体中文; switchable in the window)
  --run      run every scenario opened
  --compare  show the comparison once the runs are done
  --replications N  replications of each run (seed, seed + 1, ...)
  --reform KEY=VALUE  create a reform of the first scenario setting this lever (repeatable), saved
             beside it
  --tab      the tab to show (with --compare: once the runs are done)
  --export   with --compare: write the chart on screen to this file
  --out DIR  the results folder: runs are written there, and the runs found there at start-up
             are listed for comparison (default: results)
  --plan CASE.toml  open this planner case (scenarios/plans/), run it and show the planner tab
  --plan-paths N    paths of that plan (default 10000)";

fn parse_args() -> Result<Startup, String> {
    let mut s = Startup::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--run" => s.run = true,
            "--compare" => s.compare = true,
            "--replications" => {
                let n = args.next().ok_or("--replications needs a number")?;
                s.replications =
                    n.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        format!("--replications: `{n}` is not a whole number >= 1")
                    })?;
            }
            "--reform" => {
                let kv = args.next().ok_or("--reform needs KEY=VALUE")?;
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("--reform: `{kv}` is not KEY=VALUE"))?;
                s.reform.push((k.trim().to_string(), v.trim().to_string()));
            }
            "--tab" => {
                let w = args
                    .next()
                    .ok_or("--tab needs levers, compare or headline")?;
                s.tab = Some(match w.as_str() {
                    "levers" => Tab::Form,
                    "compare" => Tab::Compare,
                    "headline" => Tab::Headline,
                    "run" => Tab::Run,
                    "planner" => Tab::Planner,
                    "stress" => Tab::Stress,
                    _ => {
                        return Err(format!(
                            "--tab: unknown tab `{w}` (levers, compare, headline, run, planner, stress)"
                        ))
                    }
                });
            }
            "--export" => {
                s.export = Some(PathBuf::from(args.next().ok_or("--export needs a file")?));
            }
            "--out" => {
                s.runs_folder = Some(PathBuf::from(args.next().ok_or("--out needs a folder")?));
            }
            "--plan" => {
                s.plan = Some(PathBuf::from(
                    args.next().ok_or("--plan needs a case file")?,
                ));
            }
            "--plan-paths" => {
                let n = args.next().ok_or("--plan-paths needs a number")?;
                s.plan_paths = Some(
                    n.parse()
                        .ok()
                        .filter(|n| (1..=sisandbox_gui::planner::MAX_PATHS).contains(n))
                        .ok_or_else(|| {
                            format!(
                                "--plan-paths: `{n}` is not a whole number from 1 to {}",
                                sisandbox_gui::planner::MAX_PATHS
                            )
                        })?,
                );
            }
            "--lang" => {
                let w = args.next().ok_or("--lang needs en or zh")?;
                s.lang = Lang::parse(&w).ok_or_else(|| format!("unknown language `{w}`"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            f if f.starts_with('-') => return Err(format!("unknown option `{f}`\n{USAGE}")),
            f => s.files.push(PathBuf::from(f)),
        }
    }
    if s.files.is_empty() && std::path::Path::new("scenarios/baseline.toml").exists() {
        s.files.push(PathBuf::from("scenarios/baseline.toml"));
    }
    Ok(s)
}

fn main() -> eframe::Result {
    let startup = match parse_args() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("sisandbox")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "sisandbox",
        options,
        Box::new(|cc| Ok(Box::new(GuiApp::new(&cc.egui_ctx, startup)))),
    )
}

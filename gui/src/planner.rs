//! The planner panel's state: one person's case as a form with the fields of a case file
//! (`scenarios/plans/*.toml`, docs/PLANNER.md §1), checked by the core's case parser
//! (`sisandbox::plan::parse`, so a problem reads exactly as `sisandbox plan` prints it), run by
//! `sisandbox::plan::run_cancellable` in a background thread, and the result kept for the fan
//! chart and the options table.

use crate::i18n::{Lang, Msg};
use crate::job::Background;
use sisandbox::plan::{self, Draw, PlanCase, PlanResult, Track};
use sisandbox::scenario::{self, Scenario};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub use crate::plan_form::{CaseForm, Kind, DRAWS, TEXT_FIELDS};

/// The most paths the panel runs (the CLI's limit).
pub const MAX_PATHS: usize = 1_000_000;

/// What a finished plan keeps.
#[derive(Clone, Debug)]
pub struct PlanOutput {
    pub case: PlanCase,
    pub result: PlanResult,
    /// The scenario whose rules applied (its name).
    pub scenario: String,
    pub seconds: f64,
}

/// A plan under way in a background thread.
pub struct PlanJob {
    pub paths: usize,
    pub done: Arc<AtomicUsize>,
    worker: Background<Result<PlanOutput, String>>,
}

impl PlanJob {
    /// Starts the worker: `threads` worker threads (0: one per core), `repaint` about a
    /// hundred times over the plan and at its end.
    pub fn start(
        s: Scenario,
        case: PlanCase,
        paths: usize,
        threads: usize,
        repaint: impl Fn() + Send + Sync + 'static,
    ) -> PlanJob {
        let done = Arc::new(AtomicUsize::new(0));
        let d = done.clone();
        let worker = Background::spawn(
            "sisandbox-plan",
            "the plan",
            Err,
            repaint,
            move |cancel, repaint| {
                let started = std::time::Instant::now();
                let every = (paths / 100).max(1);
                let tick = || {
                    let n = d.fetch_add(1, Ordering::Relaxed) + 1;
                    if n.is_multiple_of(every) {
                        repaint();
                    }
                };
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|i| format!("sisandbox-plan-{i}"))
                    .build()
                    .map_err(|e| format!("cannot start the worker threads: {e}"))
                    .and_then(|pool| {
                        pool.install(|| plan::run_cancellable(&s, &case, paths, &tick, cancel))
                    })
                    .map(|result| PlanOutput {
                        scenario: s.name.clone(),
                        case,
                        result,
                        seconds: started.elapsed().as_secs_f64(),
                    })
            },
        );
        PlanJob {
            paths,
            done,
            worker,
        }
    }

    /// Stops the plan: paths not started are skipped.
    pub fn cancel(&self) {
        self.worker.cancel();
    }

    pub fn fraction(&self) -> f32 {
        (self.done.load(Ordering::Relaxed) as f32 / self.paths.max(1) as f32).clamp(0.0, 1.0)
    }

    /// The end of the plan, once it has ended.
    pub fn poll(&self) -> Option<Result<PlanOutput, String>> {
        self.worker.poll()
    }
}

/// The planner panel: the form, the plan under way and the last result.
pub struct PlannerState {
    pub form: CaseForm,
    /// Paths, as typed.
    pub paths: String,
    /// The case file opened or saved last (a relative `plan.scenario` is relative to it).
    pub case_path: Option<PathBuf>,
    pub job: Option<PlanJob>,
    pub output: Option<Arc<PlanOutput>>,
    /// Problems of the last attempt to run, each naming its key.
    pub problems: Vec<String>,
    /// The balance variant (enterprise annuity, base share) the fan chart shows.
    pub variant: usize,
    /// The last plan was cancelled.
    pub cancelled: bool,
    /// Where the last export went.
    pub export_dir: Option<PathBuf>,
}

impl Default for PlannerState {
    fn default() -> Self {
        PlannerState {
            form: CaseForm::default(),
            paths: "10000".into(),
            case_path: None,
            job: None,
            output: None,
            problems: Vec::new(),
            variant: 0,
            cancelled: false,
            export_dir: None,
        }
    }
}

impl PlannerState {
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The case and the scenario of the form, checked by the core, or the problems.
    pub fn build(&self, lang: Lang) -> Result<(PlanCase, Scenario, usize), Vec<String>> {
        let text = self.form.to_toml(lang)?;
        let file = self
            .case_path
            .as_ref()
            .map_or("<planner form>".to_string(), |p| p.display().to_string());
        let mut problems = Vec::new();
        let paths = match self.paths.trim().replace(',', "").parse::<usize>() {
            Ok(n) if (1..=MAX_PATHS).contains(&n) => n,
            _ => {
                problems.push(match lang {
                    Lang::En => format!(
                        "paths: `{}`: expected a whole number from 1 to {MAX_PATHS}",
                        self.paths.trim()
                    ),
                    Lang::Zh => format!(
                        "路径数：`{}`：应为 1 到 {MAX_PATHS} 的整数",
                        self.paths.trim()
                    ),
                });
                0
            }
        };
        let case = match plan::parse(&text, &file) {
            Ok(c) => Some(c),
            Err(e) => {
                problems.extend(e.lines().map(String::from));
                None
            }
        };
        let Some(case) = case else {
            return Err(problems);
        };
        let s = match &case.plan.scenario {
            Some(rel) => {
                let dir = self
                    .case_path
                    .as_deref()
                    .and_then(Path::parent)
                    .unwrap_or(Path::new("."));
                match scenario::load(&dir.join(rel), &[]) {
                    Ok(l) => Some(l.scenario),
                    Err(e) => {
                        problems.push(format!("plan.scenario: {e}"));
                        None
                    }
                }
            }
            None => Some(Scenario::default()),
        };
        match s {
            Some(s) if problems.is_empty() => Ok((case, s, paths)),
            _ => Err(problems),
        }
    }

    /// Starts a plan of the form (nothing starts when it has problems).
    pub fn run(&mut self, lang: Lang, threads: usize, ctx: &egui::Context) {
        if self.job.is_some() {
            return;
        }
        match self.build(lang) {
            Ok((case, s, paths)) => {
                self.problems.clear();
                self.cancelled = false;
                let ctx = ctx.clone();
                self.job = Some(PlanJob::start(s, case, paths, threads, move || {
                    ctx.request_repaint()
                }));
            }
            Err(p) => self.problems = p,
        }
    }

    /// Takes the end of the plan under way, if it has ended.
    pub fn poll(&mut self) {
        let Some(end) = self.job.as_ref().and_then(PlanJob::poll) else {
            return;
        };
        self.job = None;
        match end {
            Ok(out) => {
                self.variant = self
                    .variant
                    .min(out.result.variants.len().saturating_sub(1));
                self.output = Some(Arc::new(out));
            }
            Err(e) if e == plan::CANCELLED => self.cancelled = true,
            Err(e) => self.problems = e.lines().map(String::from).collect(),
        }
    }

    /// Reads a case file into the form.
    pub fn open(&mut self, path: &Path) -> Result<(), String> {
        let case = plan::load(path)?;
        self.form = CaseForm::from_case(&case);
        self.case_path = Some(path.to_path_buf());
        self.problems.clear();
        Ok(())
    }

    /// Writes the form as a case file (refused while it has problems).
    pub fn save(&mut self, path: &Path, lang: Lang) -> Result<(), String> {
        let text = self.form.to_toml(lang).map_err(|p| p.join("\n"))?;
        plan::parse(&text, &path.display().to_string())?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        sisandbox::output::write_atomic(path, |w| w.write_all(text.as_bytes()))
            .map_err(|_| format!("{}: cannot write the case file", path.display()))?;
        self.case_path = Some(path.to_path_buf());
        Ok(())
    }
}

/// The fan of one balance variant: ages, and each percentile's balances (yuan, nominal) in
/// ascending order of percentile.
pub fn balance_fan(r: &PlanResult, variant: usize) -> (Vec<f64>, Vec<(f64, Vec<f64>)>) {
    let ages: Vec<f64> = r.years.iter().map(|&(_, a)| f64::from(a)).collect();
    let Some(b) = r.balances.get(variant) else {
        return (ages, Vec::new());
    };
    let mut order: Vec<(usize, f64)> = r.percentiles.iter().copied().enumerate().collect();
    order.sort_by(|a, b| a.1.total_cmp(&b.1));
    order.dedup_by(|a, b| a.1 == b.1);
    let curves = order
        .into_iter()
        .map(|(i, q)| (q, b.iter().map(|row| row[i]).collect()))
        .collect();
    (ages, curves)
}

/// A variant's name: enterprise annuity (contract posts) and base share.
pub fn variant_name(lang: Lang, track: Track, (ea, share): (bool, f64)) -> String {
    let base = format!("{} {:.0} %", lang.t(Msg::PlBaseWord), share * 100.0);
    match track {
        Track::Established => base,
        Track::Contract => format!(
            "{}{}{base}",
            lang.t(if ea { Msg::PlWithEa } else { Msg::PlWithoutEa }),
            if lang == Lang::Zh { "，" } else { ", " }
        ),
    }
}

/// An option's name in the interface's language.
pub fn option_name(lang: Lang, track: Track, o: &plan::OptionLabel) -> String {
    let age = o.retire_age.0;
    let draw = lang.t(match o.draw {
        Draw::Monthly => Msg::PlDrawMonthly,
        Draw::Instalments => Msg::PlDrawInstalments,
        Draw::LumpSum => Msg::PlDrawLumpSum,
    });
    let v = variant_name(lang, track, (o.enterprise_annuity, o.base_share));
    match lang {
        Lang::En => format!("{v}, retire at {} y {} m, {draw}", age / 12, age % 12),
        Lang::Zh => format!("{v}，{} 岁 {} 个月退休，{draw}", age / 12, age % 12),
    }
}

/// Writes the fan chart of `variant` (PNG or SVG by the extension) through the core's figure
/// function, with `caption` under it.
pub fn export_fan(
    path: &Path,
    out: &PlanOutput,
    variant: usize,
    lang: Lang,
    caption: &str,
) -> Result<(), String> {
    use sisandbox::plot::{fan_chart, Fan, FigureStyle};
    crate::export::make_parent(path)?;
    let r = &out.result;
    let (ages, curves) = balance_fan(r, variant);
    let name = r
        .variants
        .get(variant)
        .map(|&v| variant_name(lang, out.case.person.track, v))
        .unwrap_or_default();
    let style = FigureStyle::new(lang.t(Msg::PlFanTitle))
        .labels(lang.t(Msg::PlAgeAxis), lang.t(Msg::PlBalanceAxis));
    fan_chart(
        path,
        &style,
        &ages,
        &[Fan {
            name: &name,
            curves: &curves,
        }],
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        crate::caption::svg(path, caption)
    } else {
        crate::caption::png(path, caption)
    }
}

/// The caption of an exported fan chart: the case, the scenario, paths and seed.
pub fn caption(lang: Lang, out: &PlanOutput, case_path: Option<&Path>) -> String {
    let who = case_path
        .and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| out.case.person.title.clone());
    match lang {
        Lang::En => format!(
            "Case: {who} · scenario {} · {} paths · seed {}",
            out.scenario, out.result.paths, out.case.plan.seed
        ),
        Lang::Zh => format!(
            "个案：{who} · 情景 {} · {} 条路径 · 种子 {}",
            out.scenario, out.result.paths, out.case.plan.seed
        ),
    }
}

impl crate::state::AppState {
    /// Applies an action of the planner tab.
    pub(crate) fn apply_planner(&mut self, c: crate::command::PlannerCommand) {
        use crate::command::{ExportKind, PlannerCommand as P};
        use crate::files::FileRequest;
        let lang = self.lang;
        let dir = |p: &PlannerState| {
            p.case_path
                .as_deref()
                .and_then(Path::parent)
                .filter(|d| d.is_dir())
                .map(Path::to_path_buf)
                .or_else(|| Some(PathBuf::from("scenarios/plans")).filter(|d| d.is_dir()))
                .or_else(|| std::env::current_dir().ok())
        };
        match c {
            P::Run => {
                let threads = self.run_settings.threads;
                let ctx = self.ctx.clone();
                self.planner.run(lang, threads, &ctx);
            }
            P::Cancel => {
                if let Some(j) = &self.planner.job {
                    j.cancel();
                }
            }
            P::Open(path) => match self.planner.open(&path) {
                Ok(()) => self.ok(path.display().to_string()),
                Err(e) => {
                    self.planner.problems = e.lines().map(String::from).collect();
                    self.err(e);
                }
            },
            P::OpenDialog => {
                let req = FileRequest::open(
                    lang.t(Msg::PlOpen),
                    dir(&self.planner).as_deref(),
                    ("TOML", &["toml"]),
                );
                if let Some(path) = self.files.choose(&req) {
                    self.apply_planner(P::Open(path));
                }
            }
            P::Save(path) => match self.planner.save(&path, lang) {
                Ok(()) => self.ok(path.display().to_string()),
                Err(e) => {
                    self.planner.problems = e.lines().map(String::from).collect();
                    self.err(e);
                }
            },
            P::SaveDialog => {
                let name = self
                    .planner
                    .case_path
                    .as_deref()
                    .and_then(Path::file_name)
                    .map_or("case.toml".into(), |n| n.to_string_lossy().into_owned());
                let req = FileRequest::save(
                    lang.t(Msg::PlSave),
                    dir(&self.planner).as_deref(),
                    &name,
                    ("TOML", &["toml"]),
                );
                if let Some(mut path) = self.files.choose(&req) {
                    if path.extension().is_none() {
                        path.set_extension("toml");
                    }
                    self.apply_planner(P::Save(path));
                }
            }
            P::Export(path) => {
                let Some(out) = self.planner.output.clone() else {
                    return;
                };
                let caption = caption(lang, &out, self.planner.case_path.as_deref());
                match export_fan(&path, &out, self.planner.variant, lang, &caption) {
                    Ok(()) => self.ok(path.display().to_string()),
                    Err(e) => self.err(e),
                }
            }
            P::ExportDialog(kind) => {
                let Some(out) = self.planner.output.clone() else {
                    return;
                };
                let case = self
                    .planner
                    .case_path
                    .as_deref()
                    .and_then(Path::file_stem)
                    .map_or(out.case.person.title.clone(), |s| {
                        s.to_string_lossy().into_owned()
                    });
                let variant = out
                    .result
                    .variants
                    .get(self.planner.variant)
                    .map(|&v| variant_name(Lang::En, out.case.person.track, v))
                    .unwrap_or_default();
                let name = format!(
                    "{}.{}",
                    crate::files::file_stem(&["balances", &case, &variant]),
                    kind.ext()
                );
                let filter: (&str, &[&str]) = match kind {
                    ExportKind::Svg => ("SVG", &["svg"]),
                    _ => ("PNG", &["png"]),
                };
                let start = self
                    .planner
                    .export_dir
                    .clone()
                    .or_else(|| std::env::current_dir().ok());
                let req =
                    FileRequest::save(lang.t(Msg::ExportTitle), start.as_deref(), &name, filter);
                if let Some(mut path) = self.files.choose(&req) {
                    if path.extension().is_none() {
                        path.set_extension(kind.ext());
                    }
                    self.planner.export_dir = path.parent().map(Path::to_path_buf);
                    self.apply_planner(P::Export(path));
                }
            }
            P::Variant(v) => self.planner.variant = v,
        }
    }
}

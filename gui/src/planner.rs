//! The planner panel's state: one person's case as a form with the fields of a case file
//! (`scenarios/plans/*.toml`, docs/PLANNER.md §1), checked by the core's case parser
//! (`sisandbox::plan::parse`, so a problem reads exactly as `sisandbox plan` prints it), run by
//! `sisandbox::plan::run_cancellable` in a background thread, and the result kept for the fan
//! chart and the options table.

use crate::i18n::{Lang, Msg};
use crate::job::Background;
use sisandbox::insurance::{Category, Sex};
use sisandbox::plan::{self, Draw, PlanCase, PlanResult, Track};
use sisandbox::scenario::{self, Scenario};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The most paths the panel runs (the CLI's limit).
pub const MAX_PATHS: usize = 1_000_000;

/// The case as typed: every field is text (numbers are checked when the case is built), the
/// choices are words of the case file.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseForm {
    pub sex: String,
    pub category: String,
    pub track: String,
    /// `both`, `yes` or `no`: the enterprise annuity options of a contract post.
    pub enterprise_annuity: String,
    /// Monthly, instalments, lump sum.
    pub draw: [bool; 3],
    /// The text fields, by case-file key (see [`TEXT_FIELDS`]).
    pub text: std::collections::BTreeMap<&'static str, String>,
}

/// How a text field's value is written into the case file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Month,
    Number,
    Integer,
    /// A list of numbers separated by commas or spaces.
    Numbers,
    Integers,
}

/// The text fields of the form: case-file key, kind, label, required.
pub const TEXT_FIELDS: [(&str, Kind, Msg, bool); 18] = [
    ("person.birth", Kind::Month, Msg::PlBirth, true),
    ("person.region", Kind::Text, Msg::PlRegion, true),
    ("person.title", Kind::Text, Msg::PlTitle, false),
    ("person.start", Kind::Month, Msg::PlStart, true),
    ("person.wage", Kind::Number, Msg::PlWage, true),
    (
        "person.career_raise",
        Kind::Number,
        Msg::PlCareerRaise,
        false,
    ),
    (
        "record.contribution_months",
        Kind::Integer,
        Msg::PlContribMonths,
        false,
    ),
    (
        "record.deemed_months",
        Kind::Integer,
        Msg::PlDeemedMonths,
        false,
    ),
    (
        "record.average_index",
        Kind::Number,
        Msg::PlAverageIndex,
        false,
    ),
    (
        "record.deemed_index",
        Kind::Number,
        Msg::PlDeemedIndex,
        false,
    ),
    (
        "record.account_balance",
        Kind::Number,
        Msg::PlAccount,
        false,
    ),
    (
        "record.annuity_balance",
        Kind::Number,
        Msg::PlAnnuityBalance,
        false,
    ),
    ("options.base_share", Kind::Numbers, Msg::PlBaseShare, false),
    ("options.retire", Kind::Integers, Msg::PlRetire, false),
    (
        "options.instalment_years",
        Kind::Integer,
        Msg::PlInstalmentYears,
        false,
    ),
    ("plan.percentiles", Kind::Numbers, Msg::PlPercentiles, false),
    (
        "plan.target_replacement",
        Kind::Number,
        Msg::PlTarget,
        false,
    ),
    ("plan.seed", Kind::Integer, Msg::PlSeed, false),
];

/// The draw words, in the order of [`CaseForm::draw`].
pub const DRAWS: [Draw; 3] = [Draw::Monthly, Draw::Instalments, Draw::LumpSum];

impl Default for CaseForm {
    /// A new contract lecturer (the example `scenarios/plans/new-hire.toml`).
    fn default() -> Self {
        let mut text = std::collections::BTreeMap::new();
        for (k, v) in [
            ("person.birth", "1998-03"),
            ("person.region", "sichuan"),
            ("person.title", "lecturer"),
            ("person.start", "2026-09"),
            ("person.wage", "8200"),
            ("options.base_share", "1.0, 0.8"),
            ("options.retire", "-36, 0, 36"),
            ("options.instalment_years", "10"),
            ("plan.percentiles", "5, 25, 50, 75, 95"),
            ("plan.seed", "20251125"),
        ] {
            text.insert(k, v.to_string());
        }
        for (k, ..) in TEXT_FIELDS {
            text.entry(k).or_default();
        }
        text.insert("plan.scenario", String::new());
        CaseForm {
            sex: "female".into(),
            category: "cadre".into(),
            track: "contract".into(),
            enterprise_annuity: "both".into(),
            draw: [true, true, true],
            text,
        }
    }
}

fn num_text(x: f64) -> String {
    format!("{x}")
}

fn list_text<T: std::fmt::Display>(v: &[T]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl CaseForm {
    /// The text of field `key` (empty when there is none).
    pub fn get(&self, key: &str) -> &str {
        self.text.get(key).map_or("", String::as_str)
    }

    pub fn field_mut(&mut self, key: &'static str) -> &mut String {
        self.text.entry(key).or_default()
    }

    /// The form of a case read from a file.
    pub fn from_case(c: &PlanCase) -> CaseForm {
        let mut f = CaseForm {
            sex: match c.person.sex {
                Sex::Male => "male",
                Sex::Female => "female",
            }
            .into(),
            category: match c.person.category {
                Category::Cadre => "cadre",
                Category::Worker => "worker",
            }
            .into(),
            track: match c.person.track {
                Track::Established => "established",
                Track::Contract => "contract",
            }
            .into(),
            enterprise_annuity: match c.options.enterprise_annuity.as_slice() {
                [true] => "yes",
                [false] => "no",
                _ => "both",
            }
            .into(),
            draw: DRAWS.map(|d| c.options.draw.contains(&d)),
            text: Default::default(),
        };
        let r = &c.record;
        let mut put = |k: &'static str, v: String| {
            f.text.insert(k, v);
        };
        put("person.birth", c.person.birth.to_string());
        put("person.region", c.person.region.clone());
        put("person.title", c.person.title.clone());
        put("person.start", c.person.start.to_string());
        put("person.wage", num_text(c.person.wage));
        put(
            "person.career_raise",
            c.person.career_raise.map(num_text).unwrap_or_default(),
        );
        put(
            "record.contribution_months",
            r.contribution_months.to_string(),
        );
        put("record.deemed_months", r.deemed_months.to_string());
        put("record.average_index", num_text(r.average_index));
        put("record.deemed_index", num_text(r.deemed_index));
        put("record.account_balance", num_text(r.account_balance));
        put("record.annuity_balance", num_text(r.annuity_balance));
        put("options.base_share", list_text(&c.options.base_share));
        put("options.retire", list_text(&c.options.retire));
        put(
            "options.instalment_years",
            c.options.instalment_years.to_string(),
        );
        put("plan.percentiles", list_text(&c.plan.percentiles));
        put(
            "plan.target_replacement",
            c.plan.target_replacement.map(num_text).unwrap_or_default(),
        );
        put("plan.seed", c.plan.seed.to_string());
        put("plan.scenario", c.plan.scenario.clone().unwrap_or_default());
        f
    }

    /// The case-file text of the form, or the fields that are not numbers (key, message).
    pub fn to_toml(&self, lang: Lang) -> Result<String, Vec<String>> {
        use toml_edit::{value, Array, DocumentMut, Item, Table};
        let mut doc = DocumentMut::new();
        let mut problems = Vec::new();
        for t in ["person", "record", "options", "plan"] {
            doc[t] = Item::Table(Table::new());
        }
        doc["person"]["sex"] = value(self.sex.as_str());
        doc["person"]["category"] = value(self.category.as_str());
        doc["person"]["track"] = value(self.track.as_str());
        let not_number = |k: &str, t: &str| match lang {
            Lang::En => format!("`{k}`: `{t}` is not a number"),
            Lang::Zh => format!("`{k}`：`{t}` 不是数字"),
        };
        for (k, kind, _, _) in TEXT_FIELDS.iter().copied().chain([(
            "plan.scenario",
            Kind::Text,
            Msg::PlScenario,
            false,
        )]) {
            let text = self.get(k).trim();
            if text.is_empty() {
                continue;
            }
            let (s, name) = k.split_once('.').unwrap_or(("plan", k));
            let item = match kind {
                Kind::Text | Kind::Month => Some(value(text)),
                Kind::Number => parse_f64(text).map(value),
                Kind::Integer => text.parse::<i64>().ok().map(value),
                Kind::Numbers | Kind::Integers => {
                    let mut a = Array::new();
                    let mut ok = true;
                    for w in text
                        .split([',', ' ', '，', ';', '；'])
                        .filter(|w| !w.is_empty())
                    {
                        if kind == Kind::Integers {
                            match w.parse::<i64>() {
                                Ok(i) => a.push(i),
                                Err(_) => ok = false,
                            }
                        } else {
                            match parse_f64(w) {
                                Some(x) => a.push(x),
                                None => ok = false,
                            }
                        }
                    }
                    ok.then(|| value(a))
                }
            };
            match item {
                Some(i) => doc[s][name] = i,
                None => problems.push(not_number(k, text)),
            }
        }
        if self.track == "contract" {
            let mut a = Array::new();
            match self.enterprise_annuity.as_str() {
                "yes" => a.push(true),
                "no" => a.push(false),
                _ => {
                    a.push(true);
                    a.push(false);
                }
            }
            doc["options"]["enterprise_annuity"] = value(a);
        }
        let mut draws = Array::new();
        for (on, d) in self.draw.iter().zip(DRAWS) {
            if *on {
                draws.push(d.name());
            }
        }
        doc["options"]["draw"] = value(draws);
        if problems.is_empty() {
            Ok(doc.to_string())
        } else {
            Err(problems)
        }
    }
}

/// A number as typed: `8200`, `8,200` (thousands separators), `0.8`.
fn parse_f64(t: &str) -> Option<f64> {
    t.replace(['_'], "")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

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

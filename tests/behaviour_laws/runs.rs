//! The runs the behavioural laws compare and what they read of them: a scenario at a light or
//! heavy size, a run observed at every evaluation (each agent's perception by id), the
//! perception and exit rows of a group, and the expected directions a reform file states in
//! its `# expect` lines.

use sisandbox::agent::Track;
use sisandbox::engine::{run_observing, Outcome, RunOptions, Simulation};
use sisandbox::scenario::{self, Scenario};
use sisandbox::simulate::{initial_staff, simulate};
use sisandbox::time::YearMonth;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The perception groups of age, in the order of their index (as the run's series name them).
pub const AGE_BANDS: [&str; 4] = ["under_30", "30_39", "40_49", "50_plus"];

/// Size of a light (CI) run and of a heavy one.
#[derive(Clone, Copy)]
pub struct Size {
    pub agents: u32,
    pub years: u32,
}

pub const LIGHT: Size = Size {
    agents: 1500,
    years: 10,
};
pub const HEAVY: Size = Size {
    agents: 6000,
    years: 40,
};

pub fn scenario_path(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file)
}

pub fn load(file: &str, size: Size, seed: u64, extra: &[&str]) -> Scenario {
    let mut sets = vec![
        format!("simulation.agents={}", size.agents),
        format!("simulation.years={}", size.years),
        format!("simulation.seed={seed}"),
    ];
    sets.extend(extra.iter().map(|s| s.to_string()));
    scenario::load(&scenario_path(file), &sets)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .scenario
}

pub fn run(file: &str, size: Size, seed: u64, extra: &[&str]) -> Outcome {
    let s = load(file, size, seed, extra);
    simulate(&s, scenario_path(file).parent(), &RunOptions::default()).expect("run")
}

/// One agent's perception at an evaluation: id, track, age band (0: under 30, 1: 30–39,
/// 2: 40–49, 3: 50 and over) and index.
#[derive(Clone, Copy)]
pub struct Seen {
    pub id: u32,
    pub hired: YearMonth,
    pub track: Track,
    pub band: usize,
    pub index: f32,
}

/// A run with every in-post agent's perception at each evaluation up to the end of 2031:
/// what the laws need to follow the same people in a reform and its baseline.
pub struct Tracked {
    pub outcome: Outcome,
    /// Evaluation month → the agents in post and evaluated then, in id order.
    pub evaluations: BTreeMap<YearMonth, Vec<Seen>>,
}

pub fn run_tracked(file: &str, size: Size, seed: u64, extra: &[&str]) -> Tracked {
    let s = load(file, size, seed, extra);
    let staff = initial_staff(&s, scenario_path(file).parent()).expect("staff");
    let mut months: BTreeMap<YearMonth, Vec<Seen>> = BTreeMap::new();
    let mut observe = |m: YearMonth, sim: &Simulation| {
        if m.year() > 2031 {
            return;
        }
        let mut seen: Vec<Seen> = sim
            .staff()
            .iter()
            .filter(|a| a.is_active() && a.perception.evaluated)
            .map(|a| Seen {
                id: a.id,
                hired: a.hired,
                track: a.track,
                band: (a.age_months(m) / 12 / 10 - 2).clamp(0, 3) as usize,
                index: a.perception.index,
            })
            .collect();
        seen.sort_by_key(|x| x.id);
        months.insert(m, seen);
    };
    let outcome = run_observing(&s, staff, &RunOptions::default(), &mut observe).expect("run");
    // Keep the months whose perceptions the run reported: its evaluations.
    let evaluated: Vec<YearMonth> = rows(&outcome, "perception").map(|(m, _, _)| m).collect();
    months.retain(|m, _| evaluated.contains(m));
    Tracked {
        outcome,
        evaluations: months,
    }
}

/// An agent's view in one evaluation (its agents are in id order), if it was in post then.
pub fn seen(evaluation: &[Seen], id: u32) -> Option<&Seen> {
    evaluation
        .binary_search_by_key(&id, |x| x.id)
        .ok()
        .map(|i| &evaluation[i])
}

/// Whether an agent belongs to a perception group (`track/…` or `age_band/…`).
pub fn in_group(x: &Seen, group: &str) -> bool {
    match group.split_once('/') {
        Some(("track", t)) => x.track.name() == t,
        Some(("age_band", b)) => AGE_BANDS.get(x.band) == Some(&b),
        _ => panic!("unknown perception group {group}"),
    }
}

/// The first evaluation of a year.
pub fn first_in(t: &Tracked, year: i32) -> &Vec<Seen> {
    t.evaluations
        .iter()
        .find(|(m, _)| m.year() == year)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no evaluation in {year}"))
}

/// Mean perception over the evaluations of `years` of the same people in both runs: the
/// staff of `group` in post at the levers' start (the first evaluation of 2027), each counted
/// at every evaluation at which it is in post in both. A group's mean over whoever is in it
/// also moves when a lever changes who leaves and who is hired in their place; the people in
/// post at the start are the ones the lever acts on, so the law is stated on them.
pub fn cohort_perception(
    base: &Tracked,
    reform: &Tracked,
    group: &str,
    years: std::ops::RangeInclusive<i32>,
) -> (f64, f64) {
    let (b0, r0) = (first_in(base, 2027), first_in(reform, 2027));
    let cohort: Vec<u32> = b0
        .iter()
        .filter(|x| in_group(x, group) && seen(r0, x.id).is_some())
        .map(|x| x.id)
        .collect();
    assert!(!cohort.is_empty(), "nobody of {group} in post in 2027");
    let (mut sb, mut sr, mut n) = (0.0f64, 0.0f64, 0u64);
    for (m, b) in base
        .evaluations
        .iter()
        .filter(|(m, _)| years.contains(&m.year()))
    {
        let r = &reform.evaluations[m];
        for id in &cohort {
            let (Some(x), Some(y)) = (seen(b, *id), seen(r, *id)) else {
                continue;
            };
            sb += f64::from(x.index);
            sr += f64::from(y.index);
            n += 1;
        }
    }
    (sb / n as f64, sr / n as f64)
}

/// Rows of a metric, (month, group/key) → value, in the order written.
pub fn rows<'a>(
    o: &'a Outcome,
    metric: &'a str,
) -> impl Iterator<Item = (YearMonth, String, f64)> + 'a {
    o.series
        .rows
        .iter()
        .filter(move |r| r.metric == metric)
        .map(|r| (r.month, format!("{}/{}", r.group, r.key), r.value))
}

/// Mean perception over the evaluations of 2027 to 2031 of a group's staff hired from the
/// levers' start (2027-01), in one run: the people a lever for new hires acts on. They are not
/// paired by id across runs (who is hired when follows who left), so each run's mean is its own.
pub fn hires_perception(t: &Tracked, group: &str) -> f64 {
    let start = YearMonth::ym(2027, 1);
    let (mut sum, mut n) = (0.0f64, 0u64);
    for (_, v) in t
        .evaluations
        .iter()
        .filter(|(m, _)| (2027..=2031).contains(&m.year()))
    {
        for x in v.iter().filter(|x| x.hired >= start && in_group(x, group)) {
            sum += f64::from(x.index);
            n += 1;
        }
    }
    assert!(n > 0, "nobody of {group} hired from {start}");
    sum / n as f64
}

/// Staff of a track who left their university (quits and moves) in 2027 to 2031.
pub fn exits(o: &Outcome, group: &str) -> f64 {
    exits_between(o, group, YearMonth::ym(2027, 1), YearMonth::ym(2032, 1))
}

/// Staff of a track who left their university (quits and moves) in `[from, to)`.
pub fn exits_between(o: &Outcome, group: &str, from: YearMonth, to: YearMonth) -> f64 {
    ["quits", "moves"]
        .iter()
        .flat_map(|m| rows(o, m))
        .filter(|(m, g, _)| g == group && *m >= from && *m < to)
        .map(|(_, _, x)| x)
        .sum()
}

/// One `# expect` line of a reform's header: `# expect WHAT GROUP DIRECTION [hires|at_start]`.
/// Perception is that of the group's staff in post at the levers' start, followed in both runs
/// over the evaluations of 2027–2031 ([`cohort_perception`]); with `at_start` at the levers'
/// first evaluation only (for a temporary lever, whose gain comes first and whose cost stays);
/// with `hires` that of the group's staff hired from the start ([`hires_perception`]). Exits
/// are the group's quits and moves in 2027–2031.
#[derive(Debug)]
pub struct Expect {
    pub what: String,
    pub group: String,
    pub direction: String,
    pub who: Who,
}

/// Whose perception an expectation is about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Who {
    /// The staff in post at the start, over 2027–2031.
    InPost,
    /// The same, at the first evaluation of 2027 only.
    AtStart,
    /// The staff hired from the start.
    Hires,
}

pub fn expectations(file: &str) -> Vec<Expect> {
    let text = std::fs::read_to_string(scenario_path(file)).expect("reform file");
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect "))
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let who = match (w.len(), w.get(3)) {
                (3, _) => Who::InPost,
                (4, Some(&"hires")) if w[0] == "perception" => Who::Hires,
                (4, Some(&"at_start")) if w[0] == "perception" => Who::AtStart,
                _ => panic!("{file}: malformed expectation {l:?}"),
            };
            Expect {
                what: w[0].into(),
                group: w[1].into(),
                direction: w[2].into(),
                who,
            }
        })
        .collect()
}

pub fn reforms() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(scenario_path(""))
        .expect("scenarios")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("reform-") && n.ends_with(".toml"))
        .collect();
    v.sort();
    v
}

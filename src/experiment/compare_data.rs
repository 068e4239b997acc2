//! Run folders read for `compare`: the end records (agents.csv), the run's dates (manifest) and,
//! when the run was made with `--snapshots`, each agent's state at the end of each year
//! (snapshots.csv, `experiment::snapshot`). [`RunData::at`] gives the agents as they were at one
//! date, each outcome taken on its own basis ([`Basis`]): the outcomes of a pension award as
//! awarded by that date, the others as they stood at that date, and only where they apply to
//! the agent's state then (a wage only for active staff, a pension only once awarded).
//!
//! A roster run's agents.csv may be coarsened (`anonymise`): a withheld fact is `*`, a wage or
//! take-home pay a band (`5000.00-9999.99`), the award month a year or span of years. Groups
//! are read as written (`*` is a group of its own); a band is no amount to compare, so wage
//! and take-home are left out for those agents (their band's middle still ranks them into
//! income deciles), and an award is taken as made by a date when its whole span is, when the
//! date is the run's last month, or when snapshots.csv shows the pension in payment then.

use super::compare::{CompareError, COMPARE_METRICS, GROUPS};
use super::snapshot::SNAPSHOT_FILE;
use crate::time::YearMonth;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// When an outcome is taken.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Fixed at the award (replacement rates, money's worth, rate of return): compared for the
    /// agents awarded a pension in the run by the date, in both runs.
    AtRetirement,
    /// As it stands at the date (pay, take-home, perception, pension in payment, contributions
    /// paid so far): compared for the agents in the same state at the date in both runs.
    AtDate,
}

impl Basis {
    pub fn name(self) -> &'static str {
        match self {
            Basis::AtRetirement => "at_retirement",
            Basis::AtDate => "at_date",
        }
    }
}

/// The basis of metric `m` of [`COMPARE_METRICS`].
pub fn basis(m: usize) -> Basis {
    match COMPARE_METRICS[m] {
        "replacement_final_wage" | "replacement_average_wage" | "money_worth" | "irr" => {
            Basis::AtRetirement
        }
        _ => Basis::AtDate,
    }
}

/// One agent of a run at one date, as far as the comparison needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentRow {
    pub id: u32,
    /// Values of [`GROUPS`].
    pub groups: [String; 4],
    /// Status at the date (`active`, `retired`, `deferred`, `dead`; `none` when the agent is
    /// not in the run then: dead, or not yet hired).
    pub state: String,
    /// Values of [`COMPARE_METRICS`]; `None` where the metric does not apply to the agent.
    pub values: [Option<f64>; COMPARE_METRICS.len()],
    /// Income for deciles: the wage column (current wage of staff, final wage of retirees).
    pub income: Option<f64>,
    /// The first and last month the pension award in the run may have been made in, if any
    /// (end records only): one month in an exact agents.csv, a span of years in a coarsened
    /// one, the whole calendar when withheld.
    pub retire_month: Option<(YearMonth, YearMonth)>,
}

/// A run folder read for comparison.
#[derive(Clone, Debug)]
pub struct RunData {
    pub dir: PathBuf,
    /// The folder name.
    pub name: String,
    pub seed: Option<u64>,
    pub agents_initial: Option<usize>,
    /// The run's first and last month (from the manifest).
    pub start: Option<YearMonth>,
    pub end: Option<YearMonth>,
    /// The agents at the end of the run (agents.csv).
    pub agents: Vec<AgentRow>,
    /// The agents at the end of each year (snapshots.csv), by month; empty without it.
    pub snapshots: BTreeMap<YearMonth, Vec<AgentRow>>,
}

fn read_err(path: &Path, message: impl Into<String>) -> CompareError {
    CompareError::Read {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// A CSV file read as a header and records, with a column finder naming the file.
struct Table {
    path: PathBuf,
    headers: csv::StringRecord,
    rd: csv::Reader<std::fs::File>,
}

impl Table {
    fn open(path: PathBuf) -> Result<Table, CompareError> {
        let mut rd = csv::Reader::from_path(&path).map_err(|e| read_err(&path, e.to_string()))?;
        let headers = rd
            .headers()
            .map_err(|e| read_err(&path, e.to_string()))?
            .clone();
        Ok(Table { path, headers, rd })
    }

    fn col(&self, name: &str) -> Result<usize, CompareError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| read_err(&self.path, format!("no column `{name}`")))
    }
}

fn number(path: &Path, line: usize, name: &str, s: &str) -> Result<Option<f64>, CompareError> {
    if s.is_empty() {
        return Ok(None);
    }
    match crate::anonymise::parse_band(s) {
        Some((lo, hi)) if lo == hi => Ok(Some(lo)),
        // A band or a withheld value of a coarsened roster run: no amount to compare.
        Some(_) => Ok(None),
        None if s == crate::anonymise::WITHHELD => Ok(None),
        None => Err(read_err(
            path,
            format!("line {line}: {name} = {s:?} is not a number"),
        )),
    }
}

/// An income for deciles: the amount, or the middle of a coarsened band.
fn income(s: &str) -> Option<f64> {
    crate::anonymise::parse_band(s)
        .map(|(lo, hi)| (lo + hi) / 2.0)
        .filter(|w| *w > 0.0)
}

/// The months an award may have been made in: `YYYY-MM` exactly; a year `YYYY` or a span of
/// years `YYYY-YYYY` of a coarsened run; any month when withheld (`*`).
fn award_months(path: &Path, line: usize, s: &str) -> Result<(YearMonth, YearMonth), CompareError> {
    let s = s.trim();
    if s == crate::anonymise::WITHHELD {
        return Ok((
            YearMonth::from_index(i32::MIN),
            YearMonth::from_index(i32::MAX),
        ));
    }
    let year = |y: &str| {
        y.parse::<i32>()
            .ok()
            .and_then(|y| YearMonth::new(y, 1).zip(YearMonth::new(y, 12)))
    };
    let span = match s.split_once('-') {
        None => year(s),
        Some((a, b)) if b.len() == 4 => year(a).zip(year(b)).map(|(a, b)| (a.0, b.1)),
        Some(_) => return month(path, line, "retire_month", s).map(|m| (m, m)),
    };
    span.ok_or_else(|| {
        read_err(
            path,
            format!("line {line}: retire_month = {s:?} is not a month, a year or a span of years"),
        )
    })
}

fn month(path: &Path, line: usize, name: &str, s: &str) -> Result<YearMonth, CompareError> {
    YearMonth::parse(s).map_err(|e| read_err(path, format!("line {line}: {name}: {e}")))
}

/// Keeps the values that apply to an agent in `state` at the date: pay, take-home and
/// perception of active staff; a pension in payment of the living who were awarded one;
/// contributions paid so far of the living.
fn keep_for_state(values: &mut [Option<f64>; COMPARE_METRICS.len()], state: &str) {
    for (m, v) in values.iter_mut().enumerate() {
        let keep = match COMPARE_METRICS[m] {
            "wage" | "take_home" | "perception" => state == "active",
            "pension_total" => {
                v.is_some_and(|x| x > 0.0) && (state == "retired" || state == "deferred")
            }
            "pension_contributions" => state != "dead" && state != "none",
            _ => true,
        };
        if !keep {
            *v = None;
        }
    }
}

impl RunData {
    /// Reads `agents.csv`, `manifest.toml` and, if present, `snapshots.csv` of a run folder.
    pub fn load(dir: &Path) -> Result<RunData, CompareError> {
        let agents_path = dir.join("agents.csv");
        if !agents_path.is_file() {
            return Err(read_err(dir, "not a run folder (no agents.csv)"));
        }
        let agents = read_agents(agents_path)?;
        let (mut seed, mut agents_initial, mut start, mut end) = (None, None, None, None);
        let manifest = dir.join("manifest.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            let m: toml::Table =
                toml::from_str(&text).map_err(|e| read_err(&manifest, e.to_string()))?;
            let run = m.get("run").and_then(|v| v.as_table());
            let int = |k: &str| run.and_then(|r| r.get(k)).and_then(|v| v.as_integer());
            seed = int("seed").map(|s| s as u64);
            agents_initial = int("agents_initial").map(|s| s as usize);
            start = m
                .get("scenario")
                .and_then(|s| s.get("simulation"))
                .and_then(|s| s.get("start"))
                .and_then(|s| s.as_str())
                .and_then(|s| YearMonth::parse(s).ok());
            end = start
                .zip(int("months"))
                .map(|(s, n)| s.plus_months(n as i32 - 1));
        }
        let snap_path = dir.join(SNAPSHOT_FILE);
        let snapshots = if snap_path.is_file() {
            read_snapshots(snap_path)?
        } else {
            BTreeMap::new()
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| dir.display().to_string());
        Ok(RunData {
            dir: dir.to_path_buf(),
            name,
            seed,
            agents_initial,
            start,
            end,
            agents,
            snapshots,
        })
    }

    /// The months this run can be compared at: its snapshot months, or its last month.
    pub fn dates(&self) -> Vec<YearMonth> {
        if self.snapshots.is_empty() {
            self.end.into_iter().collect()
        } else {
            self.snapshots.keys().copied().collect()
        }
    }

    /// The agents as they were at `date` (`None`: the end records as they are). Every agent
    /// of the run has a row; one not in the run at the date has the state `none`.
    pub fn at(&self, date: Option<YearMonth>) -> Result<Vec<AgentRow>, CompareError> {
        let Some(date) = date else {
            return Ok(self.agents.clone());
        };
        let snap = self.snapshots.get(&date);
        if snap.is_none() && Some(date) != self.end {
            let have: Vec<String> = self.dates().iter().map(ToString::to_string).collect();
            return Err(read_err(
                &self.dir,
                format!(
                    "no agent states at {date}: the run has them at {} (run it with `sisandbox \
                     run --snapshots` for the end of every year)",
                    if have.is_empty() {
                        "its end only".to_string()
                    } else {
                        have.join(", ")
                    }
                ),
            ));
        }
        let by_id: HashMap<u32, &AgentRow> = snap
            .map(|rows| rows.iter().map(|a| (a.id, a)).collect())
            .unwrap_or_default();
        let out = self
            .agents
            .iter()
            .map(|a| {
                let mut row = a.clone();
                // Every award of the run is made by its end, whatever its span.
                let mut awarded = a.retire_month.is_some_and(|(_, last)| {
                    last <= date || self.end.is_some_and(|end| date >= end)
                });
                if snap.is_some() {
                    match by_id.get(&a.id) {
                        Some(s) => {
                            // A coarsened award month (a span): a pension in payment at the
                            // date shows the award was made by then.
                            if a.retire_month.is_some_and(|(first, last)| first != last) {
                                awarded |= COMPARE_METRICS
                                    .iter()
                                    .position(|m| *m == "pension_total")
                                    .and_then(|p| s.values[p])
                                    .is_some_and(|x| x > 0.0);
                            }
                            row.groups = s.groups.clone();
                            row.state = s.state.clone();
                            row.income = s.income.or(a.income);
                            for m in 0..COMPARE_METRICS.len() {
                                if basis(m) == Basis::AtDate {
                                    row.values[m] = s.values[m];
                                }
                            }
                        }
                        None => {
                            row.state = "none".into();
                            keep_for_state(&mut row.values, "none");
                        }
                    }
                }
                for m in 0..COMPARE_METRICS.len() {
                    if basis(m) == Basis::AtRetirement && !awarded {
                        row.values[m] = None;
                    }
                }
                row
            })
            .collect();
        Ok(out)
    }
}

/// agents.csv: the end records, values kept where they apply to the end state.
fn read_agents(path: PathBuf) -> Result<Vec<AgentRow>, CompareError> {
    let mut t = Table::open(path)?;
    let id_col = t.col("id")?;
    let status_col = t.col("status")?;
    let wage_col = t.col("wage")?;
    let retire_col = t.col("retire_month")?;
    let group_cols: Vec<usize> = GROUPS.iter().map(|g| t.col(g)).collect::<Result<_, _>>()?;
    let metric_cols: Vec<usize> = COMPARE_METRICS
        .iter()
        .map(|m| t.col(m))
        .collect::<Result<_, _>>()?;
    let mut agents = Vec::new();
    for (line, rec) in t.rd.records().enumerate() {
        let line = line + 2;
        let rec = rec.map_err(|e| read_err(&t.path, e.to_string()))?;
        let at = |c: usize| rec.get(c).unwrap_or_default();
        let id: u32 = at(id_col)
            .parse()
            .map_err(|_| read_err(&t.path, format!("line {line}: bad id {:?}", at(id_col))))?;
        let state = at(status_col).to_string();
        let mut values = [None; COMPARE_METRICS.len()];
        for (m, &c) in metric_cols.iter().enumerate() {
            values[m] = number(&t.path, line, COMPARE_METRICS[m], at(c))?;
        }
        // An award is what gives the replacement rate (empty for staff never retired).
        let awarded = values[0].is_some() || values[1].is_some();
        let retire_month = if awarded {
            Some(award_months(&t.path, line, at(retire_col))?)
        } else {
            None
        };
        keep_for_state(&mut values, &state);
        let groups = [0, 1, 2, 3].map(|g| at(group_cols[g]).to_string());
        let income = income(at(wage_col));
        agents.push(AgentRow {
            id,
            groups,
            state,
            values,
            income,
            retire_month,
        });
    }
    Ok(agents)
}

/// snapshots.csv: the agents at each snapshot month, by month.
fn read_snapshots(path: PathBuf) -> Result<BTreeMap<YearMonth, Vec<AgentRow>>, CompareError> {
    let mut t = Table::open(path)?;
    let month_col = t.col("month")?;
    let id_col = t.col("id")?;
    let status_col = t.col("status")?;
    let wage_col = t.col("wage")?;
    let group_cols: Vec<usize> = GROUPS.iter().map(|g| t.col(g)).collect::<Result<_, _>>()?;
    // The at-date metrics: snapshots.csv names the pension in payment `pension_total` too.
    let metric_cols: Vec<Option<usize>> = COMPARE_METRICS
        .iter()
        .enumerate()
        .map(|(m, name)| match basis(m) {
            Basis::AtDate => t.col(name).map(Some),
            Basis::AtRetirement => Ok(None),
        })
        .collect::<Result<_, _>>()?;
    let mut out: BTreeMap<YearMonth, Vec<AgentRow>> = BTreeMap::new();
    for (line, rec) in t.rd.records().enumerate() {
        let line = line + 2;
        let rec = rec.map_err(|e| read_err(&t.path, e.to_string()))?;
        let at = |c: usize| rec.get(c).unwrap_or_default();
        let when = month(&t.path, line, "month", at(month_col))?;
        let id: u32 = at(id_col)
            .parse()
            .map_err(|_| read_err(&t.path, format!("line {line}: bad id {:?}", at(id_col))))?;
        let state = at(status_col).to_string();
        let mut values = [None; COMPARE_METRICS.len()];
        for (m, c) in metric_cols.iter().enumerate() {
            if let Some(c) = c {
                values[m] = number(&t.path, line, COMPARE_METRICS[m], at(*c))?;
            }
        }
        keep_for_state(&mut values, &state);
        out.entry(when).or_default().push(AgentRow {
            id,
            groups: [0, 1, 2, 3].map(|g| at(group_cols[g]).to_string()),
            state,
            values,
            income: at(wage_col).parse::<f64>().ok().filter(|w| *w > 0.0),
            retire_month: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarsened_values_read_as_no_amount_and_spans_of_months() {
        let p = Path::new("agents.csv");
        assert_eq!(number(p, 2, "wage", "8500.25").unwrap(), Some(8500.25));
        assert_eq!(number(p, 2, "wage", "5000.00-9999.99").unwrap(), None);
        assert_eq!(number(p, 2, "wage", "*").unwrap(), None);
        assert_eq!(number(p, 2, "wage", "").unwrap(), None);
        assert!(number(p, 2, "wage", "lots").is_err());
        assert_eq!(income("5000.00-9999.99"), Some(7499.995));
        assert_eq!(income("*"), None);
        let ym = YearMonth::ym;
        let span = |s| award_months(p, 2, s).unwrap();
        assert_eq!(span("2031-07"), (ym(2031, 7), ym(2031, 7)));
        assert_eq!(span("2031"), (ym(2031, 1), ym(2031, 12)));
        assert_eq!(span("2030-2034"), (ym(2030, 1), ym(2034, 12)));
        let (first, last) = span("*");
        assert!(first < ym(1000, 1) && last > ym(9999, 12));
        assert!(award_months(p, 2, "2031-13").is_err());
        assert!(award_months(p, 2, "soon").is_err());
    }
}

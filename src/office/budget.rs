//! Next year's contributions from a roster (`sisandbox budget`): the engine runs the roster for
//! the year under the scenario (its promotions, hires, quits and retirements), once per
//! replication with its own seed, and the monthly contributions it records by insurance, track
//! and university are summarised as mean, minimum and maximum over the replications.
//!
//! A roster may carry a department column (`department`, 部门, 所在部门, 单位名称: the headers
//! the office files use). The roster reader knows no such column, so it is taken out here, each
//! staff row's department kept by the agent id the row receives (ids follow the row order, blank
//! rows skipped), and the run collects the monthly per-agent panel: each department's line is the
//! sum of its members' contributions (employer and individual, every insurance, the annuities
//! and the housing fund). Staff hired during the year belong to no roster department.

use crate::engine::RunOptions;
use crate::metrics::Row;
use crate::money::fen_to_yuan;
use crate::rng::mix64;
use crate::scenario::Scenario;
use crate::simulate::simulate;
use crate::time::YearMonth;
use std::collections::BTreeMap;
use std::path::Path;

/// The group of the department lines in the budget outputs.
pub const DEPARTMENT_GROUP: &str = "department";
/// Their metric: employer and individual contributions of the department's staff.
pub const DEPARTMENT_METRIC: &str = "contributions";
/// The department of staff hired during the year (not on the roster).
pub const HIRED: &str = "(hired during the year)";
/// The line of the contributions of each person's first month on the staff, which the
/// per-person panel does not attribute.
pub const FIRST_MONTH: &str = "(first month on the staff, not attributed)";
/// The department of a roster row whose department cell is empty.
pub const NO_DEPARTMENT: &str = "(no department)";

/// A roster with its department column taken out.
#[derive(Clone, Debug, PartialEq)]
pub struct Departments {
    /// The roster text without the department column, for the roster reader.
    pub roster_text: String,
    /// The department of each agent id (staff rows in order).
    pub of_agent: Vec<String>,
}

impl Departments {
    /// Staff at the start of the year by department.
    pub fn headcount(&self) -> BTreeMap<String, usize> {
        let mut n = BTreeMap::new();
        for d in &self.of_agent {
            *n.entry(d.clone()).or_insert(0) += 1;
        }
        n
    }

    fn of(&self, agent: i32) -> &str {
        usize::try_from(agent)
            .ok()
            .and_then(|i| self.of_agent.get(i))
            .map_or(HIRED, String::as_str)
    }
}

/// Whether a header names the department (case and blanks ignored).
fn is_department(header: &str) -> bool {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    super::columns::FIELDS
        .iter()
        .filter(|(f, _, _)| *f == super::columns::Field::Department)
        .any(|(_, key, names)| h == *key || names.contains(&h.as_str()))
}

/// Takes the department column out of a roster text; `Ok(None)` when it has none. Rows are
/// kept (blank ones too, so that the roster reader's line numbers still point into the file);
/// a row is a staff row when a cell other than the department is filled, as the reader counts.
pub fn split_departments(text: &str, file: &str) -> Result<Option<Departments>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for r in reader.records() {
        rows.push(r.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line());
            format!("{file}: line {line}: {e}")
        })?);
    }
    let Some(header) = rows.first() else {
        return Ok(None);
    };
    let cols: Vec<usize> = (0..header.len())
        .filter(|&i| is_department(&header[i]))
        .collect();
    let col = match cols.as_slice() {
        [] => return Ok(None),
        [c] => *c,
        _ => {
            return Err(format!(
                "{file}: line 1: the department is given in {} columns ({}); keep one",
                cols.len(),
                cols.iter()
                    .map(|&i| format!("`{}`", header[i].trim()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    };
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut of_agent = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let kept: Vec<&str> = row
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != col)
            .map(|(_, c)| c)
            .collect();
        if n > 0 && kept.iter().any(|c| !c.trim().is_empty()) {
            let d = row.get(col).map(str::trim).unwrap_or("");
            of_agent.push(if d.is_empty() { NO_DEPARTMENT } else { d }.to_string());
        }
        out.write_record(&kept)
            .map_err(|e| format!("{file}: {e}"))?;
    }
    let bytes = out.into_inner().map_err(|e| format!("{file}: {e}"))?;
    let roster_text = String::from_utf8(bytes).map_err(|e| format!("{file}: {e}"))?;
    Ok(Some(Departments {
        roster_text,
        of_agent,
    }))
}

/// Reads the roster file and takes its department column out (see [`split_departments`]).
/// A file that is not UTF-8 is left to the roster reader, which names the line.
pub fn read_departments(roster: &Path) -> anyhow::Result<Option<Departments>> {
    let file = roster.display().to_string();
    let meta = std::fs::metadata(roster).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    if !meta.is_file() {
        anyhow::bail!("{file}: not a regular file");
    }
    let limit = crate::guard::memory_limit()?;
    crate::guard::check_roster_file(&file, meta.len(), &limit)?;
    let bytes = std::fs::read(roster).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    match String::from_utf8(bytes) {
        Ok(text) => split_departments(&text, &file).map_err(anyhow::Error::msg),
        Err(_) => Ok(None),
    }
}

/// The series rows a budget keeps: (group, metric).
const KEPT: [(&str, &str); 5] = [
    ("insurance", "employer_contributions"),
    ("insurance", "individual_contributions"),
    ("track", "employer_contributions"),
    ("track", "individual_contributions"),
    ("university", "employer_cost"),
];

/// One budget line over the replications, yuan.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub month: YearMonth,
    pub group: String,
    pub key: String,
    pub metric: String,
    pub values: Vec<f64>,
}

impl Line {
    pub fn mean(&self) -> f64 {
        self.values.iter().sum::<f64>() / self.values.len().max(1) as f64
    }
    pub fn min(&self) -> f64 {
        self.values.iter().copied().fold(f64::INFINITY, f64::min)
    }
    pub fn max(&self) -> f64 {
        self.values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// The seed of replication `r`: the scenario's seed for the first, keyed hashes after it.
pub fn replication_seed(seed: u64, r: u32) -> u64 {
    if r == 0 {
        seed
    } else {
        mix64(seed ^ mix64(u64::from(r)))
    }
}

/// Runs the roster through `year` `replications` times; `progress` is called after each.
pub fn budget(
    scenario: &Scenario,
    roster: &Path,
    year: i32,
    replications: u32,
    threads: usize,
    progress: &dyn Fn(u32),
) -> anyhow::Result<Vec<Line>> {
    let mut s = scenario.clone();
    s.simulation.start = YearMonth::ym(year, 1);
    s.simulation.years = 1;
    s.simulation.roster = Some(roster.display().to_string());
    // The budget is the office's own accounts of its own staff: its totals by track and
    // department must be exact and complete whatever a group's size, so the engine's rule for
    // shared results (small groups left out, `engine::smallest_group`) does not apply. The
    // budget writes no per-person file.
    s.simulation.roster_exact_agents = true;
    let departments = read_departments(roster)?;
    let file = roster.display().to_string();
    let mut lines: BTreeMap<(YearMonth, String, String, String), Vec<f64>> = BTreeMap::new();
    for r in 0..replications.max(1) {
        s.simulation.seed = replication_seed(scenario.simulation.seed, r);
        let opts = RunOptions {
            threads,
            ..RunOptions::default()
        };
        let outcome = match &departments {
            None => simulate(&s, None, &opts)?,
            Some(d) => {
                let agents = crate::roster::parse_roster(&d.roster_text, &file, &s)?;
                let limit = crate::guard::memory_limit()?;
                crate::guard::check(&s, agents.len() as u64, &limit)?;
                let (outcome, panel) = crate::engine::run_with_panel(&s, agents, &opts)?;
                // Each department's contributions by month, fen, summed in panel order; every
                // department has a line in every month of every replication (0 when nobody
                // paid), so that means and ranges are over all replications.
                let mut by: BTreeMap<(i32, &str), i64> = BTreeMap::new();
                let headcount = d.headcount();
                for m in 1..=12 {
                    for dept in headcount.keys().map(String::as_str).chain([HIRED]) {
                        by.insert((year * 100 + m, dept), 0);
                    }
                }
                for i in 0..panel.len() {
                    if let Some(v) = by.get_mut(&(panel.month[i], d.of(panel.agent[i]))) {
                        *v += panel.contributions[i];
                    }
                }
                // The panel counts a person's first month on the staff as a stock, not a flow
                // (January for the roster's staff, the month of joining for a hire): what the
                // engine recorded for the month beyond the departments' sum is shown on its own
                // line, so that the lines add up to the total contributions.
                let mut recorded: BTreeMap<i32, i64> = BTreeMap::new();
                for row in &outcome.series.rows {
                    if row.group == "track"
                        && (row.metric == "employer_contributions"
                            || row.metric == "individual_contributions")
                        && row.month.year() == year
                    {
                        *recorded
                            .entry(year * 100 + row.month.month() as i32)
                            .or_insert(0) += crate::money::yuan_to_fen(row.value);
                    }
                }
                for (ym, total) in recorded {
                    let attributed: i64 = by
                        .range((ym, "")..)
                        .take_while(|((m, _), _)| *m == ym)
                        .map(|(_, v)| v)
                        .sum();
                    by.insert((ym, FIRST_MONTH), total - attributed);
                }
                for ((ym, dept), fen) in by {
                    let month = YearMonth::ym(ym / 100, (ym % 100) as u32);
                    lines
                        .entry((
                            month,
                            DEPARTMENT_GROUP.to_string(),
                            dept.to_string(),
                            DEPARTMENT_METRIC.to_string(),
                        ))
                        .or_default()
                        .push(fen_to_yuan(fen));
                }
                outcome
            }
        };
        for Row {
            month,
            group,
            key,
            metric,
            value,
        } in outcome.series.rows
        {
            if KEPT.contains(&(group, metric)) {
                lines
                    .entry((
                        month,
                        group.to_string(),
                        key.to_string(),
                        metric.to_string(),
                    ))
                    .or_default()
                    .push(value);
            }
        }
        progress(r + 1);
    }
    Ok(lines
        .into_iter()
        .map(|((month, group, key, metric), values)| Line {
            month,
            group,
            key,
            metric,
            values,
        })
        .collect())
}

/// Yearly totals by group, key and metric (sum over months, then over replications).
pub fn year_totals(lines: &[Line]) -> Vec<Line> {
    let mut by: BTreeMap<(String, String, String), Vec<f64>> = BTreeMap::new();
    let mut month = None;
    for l in lines {
        month.get_or_insert(l.month);
        let v = by
            .entry((l.group.clone(), l.key.clone(), l.metric.clone()))
            .or_insert_with(|| vec![0.0; l.values.len()]);
        for (a, b) in v.iter_mut().zip(&l.values) {
            *a += b;
        }
    }
    by.into_iter()
        .map(|((group, key, metric), values)| Line {
            month: month.unwrap_or(YearMonth::ym(2000, 1)),
            group,
            key,
            metric,
            values,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_department_column_is_taken_out_by_any_of_its_names() {
        let text = "\u{feff}sex,部门,birth\nmale,化学学院,1980-01\n,,\nfemale,,1990-05\n,图书馆,\nmale,\"Law, School\",1970-03\n";
        let d = split_departments(text, "r.csv").unwrap().unwrap();
        assert_eq!(
            d.roster_text,
            "sex,birth\nmale,1980-01\n,\nfemale,1990-05\n,\nmale,1970-03\n"
        );
        // Blank rows (also one with only a department) give no agent.
        assert_eq!(d.of_agent, ["化学学院", NO_DEPARTMENT, "Law, School"]);
        assert_eq!(d.of(1), NO_DEPARTMENT);
        assert_eq!(d.of(7), HIRED);
        assert_eq!(d.headcount()["化学学院"], 1);
        for header in ["Department", "所在部门", "单位名称"] {
            let t = format!("sex,{header}\nmale,a\n");
            assert!(
                split_departments(&t, "r.csv").unwrap().is_some(),
                "{header}"
            );
        }
        assert!(split_departments("sex,birth\nmale,1980-01\n", "r.csv")
            .unwrap()
            .is_none());
        let e = split_departments("部门,department\na,b\n", "r.csv").unwrap_err();
        assert!(
            e.contains("r.csv: line 1") && e.contains("`部门`, `department`"),
            "{e}"
        );
    }
}

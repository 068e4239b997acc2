//! What the GUI keeps of a finished run: the per-agent outcome columns it charts and the time
//! series it draws bands of, taken from the core's `Outcome` in the worker thread (so the
//! window never does this work) and without changing any value.

use sisandbox::engine::Outcome;
use sisandbox::scenario::Scenario;

/// A per-agent outcome (one value per agent, `NaN` where the agent has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgentMetric {
    ReplacementRate,
    MoneysWorth,
    Wage,
    Irr,
    Perception,
    TakeHome,
}

impl AgentMetric {
    pub const ALL: [AgentMetric; 6] = [
        AgentMetric::ReplacementRate,
        AgentMetric::MoneysWorth,
        AgentMetric::Wage,
        AgentMetric::Irr,
        AgentMetric::Perception,
        AgentMetric::TakeHome,
    ];
    /// The agents.csv column it comes from.
    pub fn column(self) -> &'static str {
        match self {
            AgentMetric::ReplacementRate => "replacement_final_wage",
            AgentMetric::MoneysWorth => "money_worth",
            AgentMetric::Wage => "wage",
            AgentMetric::Irr => "irr",
            AgentMetric::Perception => "perception",
            AgentMetric::TakeHome => "take_home",
        }
    }
}

/// A monthly (or yearly) series of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SeriesMetric {
    Staff,
    Exits,
    UniversityCost,
    /// Mean take-home pay of established (编制) staff.
    TakeHomeEstablishment,
    /// Mean take-home pay of contract staff.
    TakeHomeContract,
    /// Balance of the pooled pension funds, all regions and schemes.
    FundBalance,
}

impl SeriesMetric {
    pub const ALL: [SeriesMetric; 6] = [
        SeriesMetric::Staff,
        SeriesMetric::Exits,
        SeriesMetric::UniversityCost,
        SeriesMetric::TakeHomeEstablishment,
        SeriesMetric::TakeHomeContract,
        SeriesMetric::FundBalance,
    ];

    /// Whether a series.csv row belongs to this metric (rows of several keys in one month are
    /// added: the employer cost of every university, `<university>/total`).
    pub(crate) fn matches(self, group: &str, key: &str, metric: &str) -> bool {
        match self {
            SeriesMetric::Staff => group == "all" && metric == "staff",
            SeriesMetric::Exits => group == "all" && metric == "exits",
            SeriesMetric::UniversityCost => {
                group == "university" && metric == "employer_cost" && key.ends_with("/total")
            }
            SeriesMetric::TakeHomeEstablishment => {
                group == "track" && key == "establishment" && metric == "mean_take_home"
            }
            SeriesMetric::TakeHomeContract => {
                group == "track" && key == "contract" && metric == "mean_take_home"
            }
            SeriesMetric::FundBalance => group == "fund" && metric == "balance",
        }
    }
}

/// How agents are grouped in box plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grouping {
    All,
    Track,
    AgeBand,
    Title,
    Region,
}

impl Grouping {
    pub const ALL: [Grouping; 5] = [
        Grouping::All,
        Grouping::Track,
        Grouping::AgeBand,
        Grouping::Title,
        Grouping::Region,
    ];
}

/// Ten-year age bands at the end of the run.
const AGE_BANDS: [&str; 6] = ["<30", "30–39", "40–49", "50–59", "60–69", "70+"];

/// The group of agents whose group the run folder withholds: the `*` a k-anonymous
/// agents.csv writes (`sisandbox::anonymise::WITHHELD`), or an age band a span of birth years
/// does not decide.
pub const WITHHELD_GROUP: &str = sisandbox::anonymise::WITHHELD;

fn age_band(age: i32) -> u16 {
    ((age - 20) / 10).clamp(0, AGE_BANDS.len() as i32 - 1) as u16
}

/// The agents of one replication, column-wise.
#[derive(Clone, Debug, Default)]
pub struct AgentTable {
    pub id: Vec<u32>,
    pub values: [Vec<f64>; AgentMetric::ALL.len()],
    /// Group label of each agent, per [`Grouping`] (index into `labels`).
    pub group: [Vec<u16>; 5],
    pub labels: [Vec<String>; 5],
    /// How many agents ended with status `left` (quit the modelled universities).
    pub left: usize,
    /// Per [`AgentMetric`], how many agents' values the run folder did not give as a number:
    /// a k-anonymous roster run's agents.csv writes the wage as a band and withholds take-home
    /// pay (`sisandbox::anonymise`). Their value is `NaN`, as for an agent the outcome does
    /// not apply to, and this count tells the two apart.
    pub withheld: [usize; AgentMetric::ALL.len()],
}

impl AgentTable {
    pub fn values(&self, m: AgentMetric) -> &[f64] {
        &self.values[m as usize]
    }
}

/// One replication of a scenario.
#[derive(Clone, Debug)]
pub struct Replication {
    /// The run folder written for it (series.csv, agents.csv, manifest.toml).
    pub dir: std::path::PathBuf,
    pub seed: u64,
    pub agents: AgentTable,
    /// Per [`SeriesMetric`]: (month index, value), months in order.
    pub series: [Vec<(f64, f64)>; SeriesMetric::ALL.len()],
}

/// All replications of one scenario run.
#[derive(Clone, Debug)]
pub struct RunSet {
    pub name: String,
    pub replications: Vec<Replication>,
}

impl RunSet {
    /// The values of a metric over every replication, pooled.
    pub fn pooled(&self, m: AgentMetric) -> Vec<f64> {
        self.replications
            .iter()
            .flat_map(|r| r.agents.values(m).iter().copied())
            .collect()
    }

    /// Agents (over every replication) whose value of `m` their run folder withholds or
    /// gives only as a band, and all agents.
    pub fn withheld(&self, m: AgentMetric) -> (usize, usize) {
        self.replications.iter().fold((0, 0), |(w, n), r| {
            (w + r.agents.withheld[m as usize], n + r.agents.id.len())
        })
    }
}

fn label_index(labels: &mut Vec<String>, name: &str) -> u16 {
    match labels.iter().position(|l| l == name) {
        Some(i) => i as u16,
        None => {
            labels.push(name.to_string());
            (labels.len() - 1) as u16
        }
    }
}

impl AgentTable {
    /// An empty table with the fixed labels (everyone, the age bands).
    pub(crate) fn empty() -> Self {
        let mut t = AgentTable::default();
        t.labels[Grouping::All as usize].push("all".into());
        t.labels[Grouping::AgeBand as usize] = AGE_BANDS.iter().map(|b| b.to_string()).collect();
        t
    }

    /// Adds one agent: its values in the order of [`AgentMetric::ALL`], its groups, its age
    /// in whole years at the end of the run and whether it left the modelled universities.
    pub(crate) fn push(&mut self, id: u32, values: [f64; 6], who: AgentGroups<'_>, left: bool) {
        self.id.push(id);
        for (col, x) in self.values.iter_mut().zip(values) {
            col.push(x);
        }
        // An age band only when every age the agent may have falls in it.
        let band = match who.age {
            Some((lo, hi)) if age_band(lo) == age_band(hi) => age_band(lo),
            _ => label_index(&mut self.labels[Grouping::AgeBand as usize], WITHHELD_GROUP),
        };
        let g = [
            0,
            label_index(&mut self.labels[Grouping::Track as usize], who.track),
            band,
            label_index(&mut self.labels[Grouping::Title as usize], who.title),
            label_index(&mut self.labels[Grouping::Region as usize], who.region),
        ];
        for (col, x) in self.group.iter_mut().zip(g) {
            col.push(x);
        }
        if left {
            self.left += 1;
        }
    }
}

/// The groups of one agent, by name.
pub(crate) struct AgentGroups<'a> {
    pub track: &'a str,
    pub title: &'a str,
    pub region: &'a str,
    /// Whole years at the end of the run: the youngest and the oldest the agent may be (one
    /// age when the birth month is known, a range when only a span of years is, `None` when
    /// withheld).
    pub age: Option<(i32, i32)>,
}

/// Adds a series.csv row (`month` as an index, months since year 0) to the series it
/// belongs to; rows of one metric in one month are added up.
pub(crate) fn push_series_row(
    series: &mut [Vec<(f64, f64)>; SeriesMetric::ALL.len()],
    month: i32,
    (group, key, metric): (&str, &str, &str),
    value: f64,
) {
    for m in SeriesMetric::ALL {
        if m.matches(group, key, metric) {
            let x = f64::from(month) / 12.0;
            let col = &mut series[m as usize];
            match col.last_mut() {
                Some(last) if last.0 == x => last.1 += value,
                _ => col.push((x, value)),
            }
        }
    }
}

/// Extracts a replication from a finished run of `s`.
pub fn extract(s: &Scenario, dir: std::path::PathBuf, o: &Outcome) -> Replication {
    let mut t = AgentTable::empty();
    let end = sisandbox::engine::end_month(s);
    for r in &o.records {
        let v = [
            r.replacement_final.unwrap_or(f64::NAN),
            r.money_worth.unwrap_or(f64::NAN),
            sisandbox::money::fen_to_yuan(r.wage),
            r.irr.unwrap_or(f64::NAN),
            if r.perception.evaluated {
                f64::from(r.perception.index)
            } else {
                f64::NAN
            },
            sisandbox::money::fen_to_yuan(r.take_home),
        ];
        let region = s
            .regions
            .get(r.region as usize)
            .map_or("?", |g| g.name.as_str());
        let age = end.months_since(r.birth) / 12;
        let who = AgentGroups {
            track: r.track.name(),
            title: r.title,
            region,
            age: Some((age, age)),
        };
        t.push(r.id, v, who, r.status == sisandbox::agent::Status::Deferred);
    }
    let mut series: [Vec<(f64, f64)>; SeriesMetric::ALL.len()] = Default::default();
    for row in &o.series.rows {
        push_series_row(
            &mut series,
            row.month.index(),
            (row.group, &row.key, row.metric),
            row.value,
        );
    }
    Replication {
        dir,
        seed: s.simulation.seed,
        agents: t,
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sisandbox::engine::RunOptions;

    #[test]
    fn extraction_keeps_every_agent_and_series() {
        let mut s = Scenario::default();
        s.simulation.agents = 60;
        s.simulation.years = 2;
        let o = sisandbox::simulate::simulate(&s, None, &RunOptions::default()).unwrap();
        let r = extract(&s, "x".into(), &o);
        assert_eq!(r.agents.id.len(), o.records.len());
        assert_eq!(r.series[SeriesMetric::Staff as usize].len(), 24);
        assert_eq!(r.series[SeriesMetric::UniversityCost as usize].len(), 2);
        let wage0 = sisandbox::money::fen_to_yuan(o.records[0].wage);
        assert_eq!(r.agents.values(AgentMetric::Wage)[0], wage0);
        assert!(r.agents.labels[Grouping::Track as usize].contains(&"establishment".into()));
    }
}

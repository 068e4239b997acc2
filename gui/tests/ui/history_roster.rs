//! Run history of roster runs: their agents.csv is k-anonymous by default (birth years in
//! spans, the wage in bands, take-home pay withheld), and such runs are listed, read and
//! compared after a restart, with what the files withhold shown as not available.

use crate::common;
use crate::roster;

use common::{summary_table, wait};
use egui_kittest::kittest::Queryable;
use roster::roster_text;
use sisandbox_gui::analysis::Metric;
use sisandbox_gui::command::Command;
use sisandbox_gui::headline::Outcome;
use sisandbox_gui::results::AgentMetric;
use sisandbox_gui::state::Tab;
use sisandbox_gui::summary::SummaryRow;
use std::path::{Path, PathBuf};

/// A roster scenario and a reform of it.
fn scenarios(dir: &Path) -> Vec<PathBuf> {
    std::fs::write(dir.join("roster.csv"), roster_text(150)).unwrap();
    common::base_and_reform(
        dir,
        "roster.toml",
        "name = \"roster\"\n[simulation]\nroster = \"roster.csv\"\nyears = 3\nseed = 42\n",
    )
}

fn row(t: &[SummaryRow], m: AgentMetric) -> SummaryRow {
    t.iter()
        .find(|r| r.scenario == "reform" && r.metric == Metric::Agent(m))
        .cloned()
        .unwrap_or_else(|| panic!("the reform's {m:?} row"))
}

#[test]
fn k_anonymous_roster_runs_are_listed_and_compared_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");

    // First session: run both with two replications; the folders hold coarsened agents.csv.
    let before = common::first_session(scenarios(dir.path()), &results);
    let agents = std::fs::read_to_string(results.join("roster-seed42/agents.csv")).unwrap();
    assert!(
        agents.lines().nth(1).unwrap().contains(",*,"),
        "a coarsened agents.csv: {}",
        agents.lines().nth(1).unwrap()
    );

    // A new app: both sets found, marked k-anonymous, read when ticked.
    let mut h = common::restarted(&results);
    let found = &h.state().state.history;
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].1.k_anonymous, Some(5));
    h.get_by_label("Compare").click();
    h.run();
    h.get_by_label("reform (reform-seed42) [k-anonymous, k = 5]")
        .click();
    h.step();
    wait(&mut h, "reform read", |h| !h.state().state.loading());
    h.get_by_label("roster (roster-seed42) [k-anonymous, k = 5]")
        .click();
    h.step();
    wait(&mut h, "roster read", |h| !h.state().state.loading());
    assert_eq!(
        h.state().state.runs.len(),
        2,
        "both sets read: {:?}",
        h.state().state.message
    );
    let base = h
        .state()
        .state
        .history
        .iter()
        .find(|s| s.1.name == "roster");
    let base = base.expect("the roster's set").0;
    h.state_mut().state.apply(Command::SetBaseline(base));
    h.step();

    // Outcomes the file keeps exact are compared as in the first session.
    let after = summary_table(&mut h);
    let (a, b) = (
        row(&before, AgentMetric::ReplacementRate),
        row(&after, AgentMetric::ReplacementRate),
    );
    assert!(b.diff.is_some() && b.diff_ci.is_some(), "{b:?}");
    assert_eq!((a.n, a.pairs, a.agents), (b.n, b.pairs, b.agents));
    assert!(
        (a.diff.unwrap() - b.diff.unwrap()).abs() <= 1e-9,
        "{a:?} {b:?}"
    );
    // The wage is a band and take-home pay withheld: no number, in either session.
    for m in [AgentMetric::Wage, AgentMetric::TakeHome] {
        for t in [&before, &after] {
            let r = row(t, m);
            assert_eq!((r.estimate, r.diff), (None, None), "{r:?}");
        }
    }
    let set = h.state().state.compared_runs()[1].1.clone();
    let (withheld, all) = set.withheld(AgentMetric::TakeHome);
    assert!(withheld > 0 && withheld == all, "{withheld} of {all}");
    assert!(set.pooled(AgentMetric::Wage).iter().all(|w| w.is_nan()));
    assert!(set
        .pooled(AgentMetric::ReplacementRate)
        .iter()
        .any(|r| r.is_finite()));

    // The chart of the wage says why it has nothing to show.
    h.state_mut()
        .state
        .apply(Command::SetMetric(Metric::Agent(AgentMetric::Wage)));
    h.run_steps(3);
    assert!(h
        .query_by_label_contains("reform: Wage (yuan/month) is not available for")
        .is_some());

    // The headline: take-home pay not available, the replacement rate there.
    h.state_mut().state.apply(Command::SetTab(Tab::Headline));
    wait(&mut h, "headline", |h| {
        h.state_mut().state.headlines().is_some()
    });
    let heads = h.state_mut().state.headlines().unwrap().to_vec();
    h.run_steps(3);
    assert_eq!(heads[0].withheld, vec![Outcome::TakeHome]);
    assert!(heads[0]
        .lines
        .iter()
        .any(|l| l.outcome == Outcome::ReplacementRate && l.group.is_none()));
    assert!(h
        .query_by_label("withheld in the agents.csv of a k-anonymous roster run")
        .is_some());
}

//! Run history: runs written in one session are listed when the app starts again, and can be
//! compared there with the same table of differences.

use crate::common;

use common::{summary_table, wait};
use egui_kittest::kittest::Queryable;
use sisandbox_gui::analysis::Metric;
use sisandbox_gui::results::AgentMetric;
use sisandbox_gui::state::Tab;
use sisandbox_gui::summary::SummaryRow;
use std::path::{Path, PathBuf};

fn scenarios(dir: &Path) -> Vec<PathBuf> {
    common::base_and_reform(
        dir,
        "base.toml",
        "name = \"base\"\n[simulation]\nagents = 150\nyears = 3\nseed = 42\n",
    )
}

#[test]
fn runs_written_before_a_restart_are_listed_and_compared_again() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    let files = scenarios(dir.path());

    // First session: run both with two replications and compare them.
    let before = common::first_session(files, &results);

    // A new app with no scenario open: the two sets are found in the results folder.
    let mut h = common::restarted(&results);
    let found = &h.state().state.history;
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].1.name, "base");
    assert_eq!(found[0].1.seeds, vec![42, 43]);
    assert!(h.state().state.runs.is_empty(), "read only when ticked");

    h.get_by_label("Compare").click();
    h.run();
    h.get_by_label("base (base-seed42)").click();
    h.step();
    wait(&mut h, "base read", |h| !h.state().state.loading());
    h.get_by_label("reform (reform-seed42)").click();
    h.step();
    wait(&mut h, "reform read", |h| !h.state().state.loading());
    assert_eq!(h.state().state.tab, Tab::Compare);
    assert_eq!(h.state().state.runs.len(), 2);
    assert!(h.query_by_label("■ reform").is_some(), "the chart's key");

    // The same differences as in the first session.
    let after = summary_table(&mut h);
    let rr = Metric::Agent(AgentMetric::ReplacementRate);
    let row = |t: &[SummaryRow]| {
        t.iter()
            .find(|r| r.scenario == "reform" && r.metric == rr)
            .cloned()
            .expect("the reform's replacement-rate row")
    };
    let (a, b) = (row(&before), row(&after));
    assert_eq!(a.n, 2);
    assert_eq!((a.n, a.paired, a.pairs), (b.n, b.paired, b.pairs));
    assert_eq!(a.diff, b.diff);
    assert_eq!(before.len(), after.len());
    for (x, y) in before.iter().zip(&after) {
        assert_eq!((&x.scenario, x.metric, x.n), (&y.scenario, y.metric, y.n));
        match (x.diff, y.diff) {
            (Some(p), Some(q)) => assert!((p - q).abs() <= 1e-6 * p.abs().max(1.0), "{x:?} {y:?}"),
            (p, q) => assert_eq!(p.is_some(), q.is_some(), "{x:?} {y:?}"),
        }
    }
}

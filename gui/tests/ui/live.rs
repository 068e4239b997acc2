//! Live plots: while a run with several replications is under way, the run pane draws the
//! series of the replications finished so far.

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use sisandbox_gui::{GuiApp, Startup};
use std::time::{Duration, Instant};

#[test]
fn the_run_pane_plots_finished_replications_while_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.toml");
    std::fs::write(
        &base,
        "name = \"base\"\n[simulation]\nagents = 400\nyears = 4\n",
    )
    .unwrap();
    let startup = Startup {
        files: vec![base],
        run: true,
        replications: 4,
        runs_folder: Some(dir.path().join("results")),
        ..Startup::default()
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| GuiApp::new(&cc.egui_ctx, startup));
    h.step();
    assert!(h
        .query_by_label("The series are drawn here as each replication finishes.")
        .is_some());
    let start = Instant::now();
    let mut seen = None;
    while h.state().state.busy() {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the run took too long"
        );
        h.step();
        if let Some(n) = h
            .state()
            .state
            .job
            .as_ref()
            .map(|j| j.progress.finished.lock().unwrap().len())
        {
            if n >= 1
                && h.query_by_label_contains("Live: series of the replications")
                    .is_some()
            {
                seen = Some(n);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let n = seen.expect("the live plots were shown while the run went on");
    assert!(n < 4, "shown before the last replication ended");
    assert!(
        h.state().state.busy(),
        "and while the run was still under way"
    );
}

//! Helpers shared by the GUI's kittests: the window at the size every test uses, waiting for a
//! background job, and the comparison's table once its background thread has built it. Each
//! test module uses what it needs (`use crate::common;`).

use egui_kittest::Harness;
use sisandbox_gui::summary::SummaryRow;
use sisandbox_gui::{GuiApp, Startup};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The app as it starts with `startup`, in a 1400 × 900 window.
pub fn harness<'a>(startup: Startup) -> Harness<'a, GuiApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| GuiApp::new(&cc.egui_ctx, startup))
}

/// Steps the app until `done` (at most five minutes: a run in a debug build on a loaded
/// machine), then a few frames more so the result is drawn.
pub fn wait(
    h: &mut Harness<GuiApp>,
    what: &str,
    mut done: impl FnMut(&mut Harness<GuiApp>) -> bool,
) {
    let start = Instant::now();
    while !done(h) {
        assert!(start.elapsed() < Duration::from_secs(300), "no {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
}

/// The comparison's table of differences, once built.
pub fn summary_table(h: &mut Harness<GuiApp>) -> Vec<SummaryRow> {
    wait(h, "summary", |h| h.state_mut().state.summary().is_some());
    h.state_mut()
        .state
        .summary()
        .unwrap()
        .clone()
        .expect("a summary table")
}

/// A baseline `base_file` with `text` and `reform.toml` extending it with a higher conversion
/// rate, written into `dir`: the pair the run-history tests run and read back.
pub fn base_and_reform(dir: &Path, base_file: &str, text: &str) -> Vec<PathBuf> {
    let base = dir.join(base_file);
    std::fs::write(&base, text).unwrap();
    let reform = dir.join("reform.toml");
    std::fs::write(
        &reform,
        format!(
            "extends = \"{base_file}\"\nname = \"reform\"\n[careers]\nconversion_rate = 0.25\n"
        ),
    )
    .unwrap();
    vec![base, reform]
}

/// A first session: `files` run with two replications into `results`, both runs kept, and
/// the comparison's table they gave.
pub fn first_session(files: Vec<PathBuf>, results: &Path) -> Vec<SummaryRow> {
    let mut h = harness(Startup {
        files,
        run: true,
        replications: 2,
        runs_folder: Some(results.to_path_buf()),
        ..Startup::default()
    });
    wait(&mut h, "runs", |h| !h.state().state.busy());
    assert_eq!(
        h.state().state.runs.len(),
        2,
        "{:?}",
        h.state().state.message
    );
    summary_table(&mut h)
}

/// A new app with no scenario open, after its first frame, over the runs in `results`.
pub fn restarted<'a>(results: &Path) -> Harness<'a, GuiApp> {
    let mut h = harness(Startup {
        runs_folder: Some(results.to_path_buf()),
        ..Startup::default()
    });
    h.run();
    h
}

//! Helpers shared by the GUI's kittests: the window at the size every test uses, waiting for a
//! background job, and the comparison's table once its background thread has built it. Each
//! test module uses what it needs (`use crate::common;`).

use egui_kittest::Harness;
use sisandbox_gui::summary::SummaryRow;
use sisandbox_gui::{GuiApp, Startup};
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

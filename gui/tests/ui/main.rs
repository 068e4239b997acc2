//! The desktop app's egui_kittest tests, headless, in one test binary: each module is one part
//! of the app driven like a user. One binary instead of one per file, because each links the
//! whole of egui, eframe and the core (about 20 s a link in a debug build).

mod common;
/// The synthetic roster generator the core's k-anonymity tests use too.
#[path = "../../../tests/common/roster.rs"]
mod roster;

mod app;
mod defects;
mod files;
mod headline;
mod history;
mod history_roster;
mod levers;
mod live;
mod planner;
mod stress;

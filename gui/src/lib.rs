//! sisandbox-gui: the desktop front end of sisandbox for policy analysts. It edits scenario
//! files, runs them in the background and compares their outcome distributions. It uses the
//! `sisandbox` library for everything it computes: loading and validation, runs, statistics
//! and figures.
//!
//! State and drawing are apart: [`state::AppState`] holds the state and is changed only by
//! [`command::Command`]s, which the `*_ui` functions collect while they draw.

pub mod analysis;
pub mod app;
pub mod caption;
pub mod catalog;
pub mod command;
pub mod compare_state;
pub mod compare_ui;
pub mod dated;
pub mod diff;
pub mod document;
pub mod editor_ui;
pub mod export;
pub mod field;
pub mod files;
pub mod fmt;
pub mod fonts;
pub mod headline;
pub mod headline_ui;
pub mod history;
pub mod i18n;
pub mod job;
pub mod lever_texts;
pub mod lever_ui;
pub mod lever_words;
pub mod levers;
pub mod plan_form;
pub mod planner;
pub mod planner_ui;
pub mod results;
pub mod run_ui;
pub mod runner;
pub mod state;
pub mod stress_ui;
pub mod stress_view;
pub mod summary;

pub use app::{GuiApp, Startup};

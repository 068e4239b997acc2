//! User actions, collected while drawing and applied after the frame (`AppState::apply`).

use crate::analysis::{ChartKind, Metric};
use crate::document::DocId;
use crate::i18n::Lang;
use crate::results::Grouping;
use crate::state::Tab;
use std::path::PathBuf;

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Png,
    Svg,
    Csv,
}

impl ExportKind {
    pub fn ext(self) -> &'static str {
        match self {
            ExportKind::Png => "png",
            ExportKind::Svg => "svg",
            ExportKind::Csv => "csv",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    SetLang(Lang),
    SetTab(Tab),
    Select(DocId),
    Open(PathBuf),
    /// Asks for a scenario file to open (the file dialog).
    OpenDialog,
    /// Asks where to save the scenario (the file dialog), then saves it there.
    SaveAsDialog(DocId),
    /// Asks where to export the chart or the table, offering a name made of the chart and
    /// the scenarios, then exports.
    ExportDialog(ExportKind),
    NewScenario,
    NewReform(DocId),
    Save(DocId),
    SaveAs(DocId, PathBuf),
    /// Close, asking first if there are unsaved edits.
    Close(DocId),
    /// Close without asking.
    Discard(DocId),
    SetValue {
        doc: DocId,
        path: String,
        value: toml::Value,
    },
    /// A typed entry of the form, committed (Enter or focus lost): checked against the key's
    /// allowed values (`key` indexes the catalog), then written or refused with a message.
    CommitField {
        doc: DocId,
        path: String,
        key: usize,
        editor: crate::catalog::Editor,
        text: String,
    },
    /// One cell of a dated table typed and committed.
    SetDatedCell {
        doc: DocId,
        path: String,
        key: usize,
        index: usize,
        col: crate::dated::Col,
        text: String,
    },
    AddDatedRow(DocId, String),
    RemoveDatedRow(DocId, String, usize),
    /// Removes the key from the file, so the value of the base (or the default) applies.
    ResetKey(DocId, String),
    SetText(DocId, String),
    SetDiffBase(DocId, Option<DocId>),
    Run(DocId),
    RunAll,
    /// Stops the run under way; the queue goes on.
    CancelRun,
    /// Drops the scenarios waiting in the queue.
    ClearQueue,
    /// Ticks or unticks runs for the comparison (a set found on disk is read first).
    ToggleCompared(DocId),
    /// Lists the runs in the runs folder again.
    ScanRuns,
    SetBaseline(DocId),
    SetMetric(Metric),
    SetChart(ChartKind),
    SetGrouping(Grouping),
    ExportChart(PathBuf),
    ExportTable(PathBuf),
    /// The window asked to close.
    QuitRequested,
    /// Save every unsaved scenario, then quit.
    SaveAllAndQuit,
    /// Quit without saving.
    DiscardAllAndQuit,
    DismissDialog,
    Planner(PlannerCommand),
    Stress(StressCommand),
}

/// Actions of the planner tab.
#[derive(Clone, Debug, PartialEq)]
pub enum PlannerCommand {
    /// Builds the case from the form, checks it and runs it in the background.
    Run,
    Cancel,
    Open(PathBuf),
    OpenDialog,
    Save(PathBuf),
    SaveDialog,
    /// The fan chart as PNG or SVG.
    Export(PathBuf),
    ExportDialog(ExportKind),
    /// The balance variant the fan chart shows.
    Variant(usize),
}

/// Actions of the stress-test tab.
#[derive(Clone, Debug, PartialEq)]
pub enum StressCommand {
    /// Checks the grid and runs it in the background into the stress folder.
    Run,
    Cancel,
    /// Reads the heat map of a stress folder (the metric chosen, else the first found).
    Open(PathBuf),
    OpenDialog,
    /// Shows another metric of the folder shown.
    ShowMetric(String),
}

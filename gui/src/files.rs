//! Choosing files: the system's file dialog (`rfd`, through the XDG desktop portal on Linux,
//! so building needs no GTK) behind [`FileChooser`], so tests answer the dialogs themselves.
//!
//! The dialog is modal and returns when the user has chosen; the window waits meanwhile, as
//! with any system dialog.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Whether the dialog picks an existing file or names a file to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Open,
    Save,
}

/// What the dialog asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRequest {
    pub mode: Mode,
    pub title: String,
    /// The folder it starts in.
    pub dir: Option<PathBuf>,
    /// The proposed file name (save only).
    pub file_name: Option<String>,
    /// (Name, extensions without the dot).
    pub filters: Vec<(String, Vec<String>)>,
}

impl FileRequest {
    pub fn open(title: &str, dir: Option<&Path>, filter: (&str, &[&str])) -> Self {
        FileRequest {
            mode: Mode::Open,
            title: title.into(),
            dir: dir.map(Path::to_path_buf),
            file_name: None,
            filters: vec![(
                filter.0.into(),
                filter.1.iter().map(|e| e.to_string()).collect(),
            )],
        }
    }

    pub fn save(title: &str, dir: Option<&Path>, name: &str, filter: (&str, &[&str])) -> Self {
        FileRequest {
            mode: Mode::Save,
            file_name: Some(name.into()),
            ..FileRequest::open(title, dir, filter)
        }
    }
}

/// Asks the user for a file; `None` when the dialog was cancelled.
pub trait FileChooser: Send {
    fn choose(&self, req: &FileRequest) -> Option<PathBuf>;
}

/// The system's file dialog.
pub struct NativeDialog;

impl FileChooser for NativeDialog {
    fn choose(&self, req: &FileRequest) -> Option<PathBuf> {
        let mut d = rfd::FileDialog::new().set_title(&req.title);
        if let Some(dir) = req.dir.as_deref().filter(|d| d.is_dir()) {
            d = d.set_directory(absolute(dir));
        }
        if let Some(name) = &req.file_name {
            d = d.set_file_name(name);
        }
        for (name, exts) in &req.filters {
            d = d.add_filter(name, exts);
        }
        match req.mode {
            Mode::Open => d.pick_file(),
            Mode::Save => d.save_file(),
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Answers dialogs from a list, in order, and records what each asked (for tests and for
/// scripted use). With no answer left, the dialog counts as cancelled.
#[derive(Default)]
pub struct Scripted {
    answers: Mutex<Vec<PathBuf>>,
    asked: Mutex<Vec<FileRequest>>,
}

impl Scripted {
    pub fn new(answers: impl IntoIterator<Item = PathBuf>) -> Self {
        let mut a: Vec<PathBuf> = answers.into_iter().collect();
        a.reverse();
        Scripted {
            answers: Mutex::new(a),
            asked: Mutex::new(Vec::new()),
        }
    }

    /// The requests made so far.
    pub fn asked(&self) -> Vec<FileRequest> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl FileChooser for std::sync::Arc<Scripted> {
    fn choose(&self, req: &FileRequest) -> Option<PathBuf> {
        if let Ok(mut a) = self.asked.lock() {
            a.push(req.clone());
        }
        self.answers.lock().ok()?.pop()
    }
}

/// A file name made of `parts`: letters, digits (any script) and `-` kept, every other run
/// of characters one `-`, joined by `_`; never empty, never hidden, never a path.
pub fn file_stem(parts: &[&str]) -> String {
    let clean = |s: &str| {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_matches('-').to_string()
    };
    let joined: Vec<String> = parts
        .iter()
        .map(|p| clean(p))
        .filter(|p| !p.is_empty())
        .collect();
    let mut stem = joined.join("_");
    if stem.is_empty() {
        stem = "figure".into();
    }
    // Long enough to tell comparisons apart, short enough for every file system.
    if stem.chars().count() > 120 {
        stem = stem.chars().take(120).collect();
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_one_safe_component() {
        assert_eq!(
            file_stem(&["Replacement rate", "histogram", "base", "vs", "reform 2"]),
            "replacement-rate_histogram_base_vs_reform-2"
        );
        assert_eq!(file_stem(&["../..", "/etc/passwd"]), "etc-passwd");
        assert_eq!(file_stem(&["", "..."]), "figure");
        assert_eq!(file_stem(&["替代率", "基准"]), "替代率_基准");
    }

    #[test]
    fn scripted_answers_in_order_then_cancels() {
        let s = std::sync::Arc::new(Scripted::new([PathBuf::from("a"), PathBuf::from("b")]));
        let req = FileRequest::open("Open", None, ("TOML", &["toml"]));
        assert_eq!(s.choose(&req), Some(PathBuf::from("a")));
        assert_eq!(s.choose(&req), Some(PathBuf::from("b")));
        assert_eq!(s.choose(&req), None);
        assert_eq!(s.asked().len(), 3);
    }
}

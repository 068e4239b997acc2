//! The open scenarios: opening, saving and closing them, new scenarios and reforms, entries of
//! the form committed, and the file dialogs (open, save as, export).

use super::{AppState, Tab};
use crate::command::Command;
use crate::document::{DocId, ScenarioDoc};
use crate::i18n::Msg;
use std::path::{Path, PathBuf};

impl AppState {
    pub(super) fn add_doc(&mut self, mut doc: ScenarioDoc) -> DocId {
        let id = self.next_id;
        self.next_id += 1;
        doc.id = id;
        self.docs.push(doc);
        self.active = Some(id);
        id
    }

    /// Opens a scenario file (or brings it forward if it is open already).
    pub fn open(&mut self, path: &Path) -> Option<DocId> {
        if let Some(d) = self.docs.iter_mut().find(|d| d.path == path) {
            // Opening again reads the files it extends again.
            d.revalidate();
            self.active = Some(d.id);
            return Some(d.id);
        }
        match ScenarioDoc::open(0, path) {
            Ok(doc) => {
                let id = self.add_doc(doc);
                self.ok(format!("{}", path.display()));
                Some(id)
            }
            Err(e) => {
                self.err(e);
                None
            }
        }
    }

    /// A path beside `near` named `stem.toml`, `stem-2.toml`, … that no file or open
    /// scenario uses.
    pub(super) fn free_path(&self, dir: &Path, stem: &str) -> PathBuf {
        (1..)
            .map(|n| {
                let name = if n == 1 {
                    format!("{stem}.toml")
                } else {
                    format!("{stem}-{n}.toml")
                };
                dir.join(name)
            })
            .find(|p| !p.exists() && !self.docs.iter().any(|d| &d.path == p))
            .expect("an unused name")
    }

    /// The folder dialogs start in: the open scenario's, else the working folder.
    pub(super) fn dialog_dir(&self) -> Option<PathBuf> {
        self.active_doc()
            .and_then(|d| d.path.parent())
            .filter(|p| p.is_dir() && !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
    }

    pub(super) fn export_dialog(&mut self, kind: crate::command::ExportKind) {
        use crate::command::ExportKind;
        let name = self.export_name(kind.ext());
        let dir = self
            .compare
            .export_dir
            .clone()
            .or_else(|| Some(self.run_settings.out.clone()).filter(|d| d.is_dir()))
            .or_else(|| std::env::current_dir().ok());
        let filter: (&str, &[&str]) = match kind {
            ExportKind::Png => ("PNG", &["png"]),
            ExportKind::Svg => ("SVG", &["svg"]),
            ExportKind::Csv => ("CSV", &["csv"]),
        };
        let req = crate::files::FileRequest::save(
            self.lang.t(Msg::ExportTitle),
            dir.as_deref(),
            &name,
            filter,
        );
        let Some(mut path) = self.files.choose(&req) else {
            return;
        };
        if path.extension().is_none() {
            path.set_extension(kind.ext());
        }
        self.compare.export_dir = path.parent().map(Path::to_path_buf);
        match kind {
            ExportKind::Csv => self.export_table(&path),
            _ => self.export_chart(&path),
        }
    }

    pub(super) fn commit_field(
        &mut self,
        doc: DocId,
        path: String,
        key: usize,
        editor: crate::catalog::Editor,
        text: &str,
    ) {
        let Some(kd) = crate::catalog::key_docs().get(key) else {
            return;
        };
        let slot = (doc, path.clone());
        match crate::field::parse(self.lang, editor, &kd.allowed, text) {
            Ok(value) => {
                self.field_errors.remove(&slot);
                let unchanged = self
                    .doc(doc)
                    .is_some_and(|d| d.value_at(&path) == Some(&value));
                if !unchanged {
                    self.apply(Command::SetValue { doc, path, value });
                }
                self.buffers.remove(&slot);
            }
            Err(e) => {
                self.field_errors.insert(slot, e);
            }
        }
    }

    pub(super) fn save(&mut self, id: DocId, path: &Path) {
        let Some(d) = self.doc_mut(id) else { return };
        match d.save_to(path) {
            Ok(()) => {
                self.ok(format!("{}", path.display()));
                // Scenarios that extend this file read it again.
                for other in self.docs.iter_mut().filter(|d| d.id != id) {
                    other.revalidate();
                }
            }
            Err(e) => self.err(e),
        }
    }

    pub(super) fn close(&mut self, id: DocId) {
        self.docs.retain(|d| d.id != id);
        self.runs.remove(&id);
        self.run_status.remove(&id);
        self.queue.retain(|d| *d != id);
        self.compare.picked.retain(|d| *d != id);
        if self.compare.baseline == Some(id) {
            self.compare.baseline = self.compare.picked.first().copied();
        }
        if self.active == Some(id) {
            self.active = self.docs.last().map(|d| d.id);
        }
        self.generation += 1;
    }

    pub(super) fn new_reform(&mut self, base: DocId) {
        let Some(b) = self.doc(base) else { return };
        let dir = b.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let base_file = b
            .path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("{}-reform", b.label());
        let path = self.free_path(&dir, &name);
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(name);
        let text = format!(
            "# A reform of {base_file}: write here only the levers it changes.\n\
             extends = \"{base_file}\"\nname = \"{name}\"\n"
        );
        let mut doc = ScenarioDoc::new(0, path, text, false);
        doc.base = Some(base);
        let id = self.add_doc(doc);
        self.diff_base.insert(id, Some(base));
        self.tab = Tab::Form;
    }

    /// Asks the file dialog for a scenario to open.
    pub(super) fn open_dialog(&mut self) {
        let dir = self.dialog_dir();
        let req = crate::files::FileRequest::open(
            self.lang.t(Msg::OpenTitle),
            dir.as_deref(),
            (self.lang.t(Msg::ScenarioFiles), &["toml"]),
        );
        if let Some(path) = self.files.choose(&req) {
            self.open(&path);
        }
    }

    /// Asks the file dialog where to save scenario `id`, starting at its own file.
    pub(super) fn save_as_dialog(&mut self, id: DocId) {
        let Some(d) = self.doc(id) else { return };
        let name = d
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario.toml".into());
        let dir = d
            .path
            .parent()
            .filter(|p| p.is_dir() && !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok());
        let req = crate::files::FileRequest::save(
            self.lang.t(Msg::SaveAs),
            dir.as_deref(),
            &name,
            (self.lang.t(Msg::ScenarioFiles), &["toml"]),
        );
        if let Some(path) = self.files.choose(&req) {
            self.save(id, &path);
        }
    }
}

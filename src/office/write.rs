//! Outputs of the office commands: every file is staged under an exclusively created temporary
//! name inside the output folder and renamed into place only when all of them are written, the
//! manifest last, so a failure leaves no half-written result (the staged files are removed).

use sha2::{Digest, Sha256};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// An output folder being filled.
pub struct OutDir {
    dir: PathBuf,
    /// (temporary path, final name, SHA-256).
    staged: Vec<(PathBuf, String, String)>,
}

fn err(path: &Path, e: impl std::fmt::Display) -> String {
    format!("cannot write {}: {e}", path.display())
}

impl OutDir {
    /// Opens (creating if needed) the output folder.
    pub fn create(dir: &Path) -> Result<OutDir, String> {
        if dir.exists() && !dir.is_dir() {
            return Err(format!(
                "--out {}: exists and is not a folder",
                dir.display()
            ));
        }
        fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
        Ok(OutDir {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Stages `name` (a plain file name: no folder part, so it stays inside the folder).
    pub fn stage(&mut self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let plain = Path::new(name).file_name().and_then(|n| n.to_str()) == Some(name);
        if !plain || name.starts_with('.') {
            return Err(format!("output name `{name}` is not a plain file name"));
        }
        let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| err(&tmp, e))?;
        // Recorded before writing so that a failure below still removes the file.
        self.staged.push((
            tmp.clone(),
            name.to_string(),
            format!("{:x}", Sha256::digest(bytes)),
        ));
        f.write_all(bytes)
            .and_then(|_| f.sync_all())
            .map_err(|e| err(&tmp, e))
    }

    /// Stages a CSV file from a header and rows.
    pub fn stage_csv(
        &mut self,
        name: &str,
        header: &[&str],
        rows: &[Vec<String>],
    ) -> Result<(), String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let io = |e: csv::Error| e.to_string();
        w.write_record(header).map_err(io)?;
        for r in rows {
            w.write_record(r).map_err(io)?;
        }
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        self.stage(name, &bytes)
    }

    /// Renames every staged file into place and writes `manifest.toml` (the `[outputs]` table
    /// with each file's SHA-256 is added to `manifest`).
    pub fn commit(mut self, mut manifest: toml::Table) -> Result<Vec<String>, String> {
        let mut outputs = toml::Table::new();
        for (_, name, sha) in &self.staged {
            outputs.insert(name.clone(), toml::Value::String(sha.clone()));
        }
        manifest.insert("outputs".into(), toml::Value::Table(outputs));
        let text = toml::to_string(&manifest).map_err(|e| e.to_string())?;
        self.stage("manifest.toml", text.as_bytes())?;
        let staged = std::mem::take(&mut self.staged);
        let mut names = Vec::new();
        for (i, (tmp, name, _)) in staged.iter().enumerate() {
            let to = self.dir.join(name);
            if let Err(e) = fs::rename(tmp, &to) {
                for (t, _, _) in &staged[i..] {
                    let _ = fs::remove_file(t);
                }
                return Err(err(&to, e));
            }
            names.push(name.clone());
        }
        Ok(names)
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        for (tmp, _, _) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// The common head of every office manifest.
pub fn manifest_head(command: &str) -> toml::Table {
    let mut t = toml::Table::new();
    t.insert(
        "sisandbox_version".into(),
        toml::Value::String(crate::version().into()),
    );
    t.insert("command".into(), toml::Value::String(command.into()));
    t
}

/// SHA-256 of a file's bytes, for the manifest's record of inputs.
pub fn sha256_of(path: &Path) -> String {
    fs::read(path)
        .map(|b| format!("{:x}", Sha256::digest(&b)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_left_when_not_committed() {
        let d = tempfile::tempdir().unwrap();
        {
            let mut o = OutDir::create(d.path()).unwrap();
            o.stage("a.csv", b"x").unwrap();
        }
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 0);
        let mut o = OutDir::create(d.path()).unwrap();
        assert!(o.stage("../a.csv", b"x").is_err());
        o.stage("a.csv", b"x").unwrap();
        let names = o.commit(manifest_head("t")).unwrap();
        assert_eq!(names, ["a.csv", "manifest.toml"]);
        let m = fs::read_to_string(d.path().join("manifest.toml")).unwrap();
        assert!(m.contains("[outputs]") && m.contains("a.csv"), "{m}");
    }
}

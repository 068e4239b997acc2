//! Outputs: every file goes through a temporary file created exclusively in the same folder
//! and renamed into place; a folder of outputs is assembled as a hidden sibling and renamed
//! when complete, so an interrupted command leaves nothing half-written.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .context("an output path needs a file name")?;
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    let done = f.write_all(bytes).and_then(|_| f.sync_all());
    drop(f);
    if let Err(e) = done.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

/// A folder being written: files go into a hidden sibling, renamed to `dir` by [`Staged::commit`].
/// Dropped without commit, the sibling is removed.
pub struct Staged {
    pub dir: PathBuf,
    tmp: PathBuf,
    done: bool,
}

impl Staged {
    /// Starts `dir`, which must not exist yet.
    pub fn new(dir: &Path) -> Result<Staged> {
        if dir.exists() {
            bail!(
                "{}: already exists; choose another --out (earlier results are never overwritten)",
                dir.display()
            );
        }
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .context("the output folder needs a name")?;
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let tmp = parent.join(format!(".{name}.partial"));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).with_context(|| format!("clearing {}", tmp.display()))?;
        }
        std::fs::create_dir(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(Staged {
            dir: dir.to_path_buf(),
            tmp,
            done: false,
        })
    }

    /// A path inside the staged folder (a plain file name: nothing escapes the folder).
    pub fn file(&self, name: &str) -> PathBuf {
        debug_assert!(!name.contains(['/', '\\']) && name != "..");
        self.tmp.join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        write_atomic(&self.file(name), bytes)
    }

    pub fn commit(mut self) -> Result<PathBuf> {
        std::fs::rename(&self.tmp, &self.dir)
            .with_context(|| format!("moving results into {}", self.dir.display()))?;
        self.done = true;
        Ok(self.dir.clone())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// SHA-256 of bytes, hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

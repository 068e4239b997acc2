//! Helpers shared by the integration tests that run the `sisandbox` binary: the command, paths
//! in the repository and the text of an output. Each test file includes it with `mod common;`
//! and uses what it needs, so not every helper is used by every file.
#![allow(dead_code)]

pub mod roster;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test. `SISANDBOX_MAX_MEMORY` is removed so that a limit set in the shell
/// that runs the tests does not change their outcome; a test that wants a limit sets it.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sisandbox"));
    c.env_remove("SISANDBOX_MAX_MEMORY");
    c
}

/// Runs the binary with `args` in `cwd` and waits for it.
pub fn sisandbox(args: &[&str], cwd: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("binary runs")
}

/// A path inside the repository (relative paths in tests are relative to its root).
pub fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// A path inside the repository as a command-line argument.
pub fn repo_arg(p: &str) -> String {
    repo(p).display().to_string()
}

/// Bytes of a process's output as text (invalid UTF-8 replaced).
pub fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Standard output followed by standard error.
pub fn text(o: &Output) -> String {
    format!("{}{}", lossy(&o.stdout), lossy(&o.stderr))
}

/// Standard error.
pub fn stderr(o: &Output) -> String {
    lossy(&o.stderr)
}

/// Standard output of a command that must have succeeded (else the test fails with its
/// standard error).
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}", lossy(&o.stderr));
    lossy(&o.stdout)
}

/// Standard error of a command that must have succeeded: where the binary prints its summary
/// and progress.
pub fn ok_stderr(o: &Output) -> String {
    let err = lossy(&o.stderr);
    assert!(o.status.success(), "failed: {err}");
    err
}

/// The SHA-256 of a file, in lowercase hex.
pub fn sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(std::fs::read(path).unwrap()))
}

//! Tools for a university social-insurance office working on its own files, beside the
//! simulation: readers for payroll, insurance and finance exports (`read`, `columns`,
//! `records`), the reconciliation audit (`audit`) and make-up (`makeup`) on the rules of the
//! `insurance` module (`rules`), a generator of realistic test files with known anomalies
//! (`synth`), and the budget of next year's contributions from a roster through the engine
//! (`budget`). docs/OFFICE.md is the user's guide.
//!
//! Names and ID numbers are read only to compare the files with each other; outputs and
//! messages carry staff numbers and masked IDs (first 6 and last 4 characters).

pub mod audit;
pub mod budget;
pub mod columns;
pub mod makeup;
pub mod read;
pub mod records;
pub mod report;
pub mod rules;
pub mod synth;
pub mod synth_files;
pub mod write;

use columns::{FileKind, Mapping};
use read::{read_table, Encoding};
use std::path::Path;

/// What was read from one input, for messages and the manifest.
#[derive(Clone, Debug)]
pub struct InputInfo {
    pub role: FileKind,
    pub file: String,
    pub encoding: Encoding,
    pub rows: usize,
    pub sha256: String,
}

impl InputInfo {
    /// `payroll: payroll.csv, GBK/GB18030, 24000 rows`.
    pub fn describe(&self) -> String {
        format!(
            "{}: {}, {}, {} rows",
            self.role.name(),
            self.file,
            self.encoding.label(),
            self.rows
        )
    }

    pub fn to_toml(&self) -> toml::Value {
        let mut t = toml::Table::new();
        let name = Path::new(&self.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        t.insert("file".into(), toml::Value::String(name));
        t.insert(
            "encoding".into(),
            toml::Value::String(self.encoding.label().into()),
        );
        t.insert("rows".into(), toml::Value::Integer(self.rows as i64));
        t.insert("sha256".into(), toml::Value::String(self.sha256.clone()));
        toml::Value::Table(t)
    }
}

/// Reads and parses the files of an audit; the first error names file, row and column.
pub fn load_inputs(
    payroll: &Path,
    insurance: &Path,
    finance: Option<&Path>,
    mapping: &Mapping,
) -> anyhow::Result<(audit::Inputs, Vec<InputInfo>)> {
    let info = |role, path: &Path, t: &read::Table| InputInfo {
        role,
        file: t.file.clone(),
        encoding: t.encoding,
        rows: t.rows.len(),
        sha256: write::sha256_of(path),
    };
    let tp = read_table(payroll)?;
    let ti = read_table(insurance)?;
    let mut infos = vec![
        info(FileKind::Payroll, payroll, &tp),
        info(FileKind::Insurance, insurance, &ti),
    ];
    let p = records::payroll(&tp, mapping)?;
    let i = records::insurance(&ti, mapping)?;
    let f = match finance {
        Some(path) => {
            let tf = read_table(path)?;
            infos.push(info(FileKind::Finance, path, &tf));
            Some(records::finance(&tf, mapping)?)
        }
        None => None,
    };
    Ok((
        audit::Inputs {
            payroll: p,
            insurance: i,
            finance: f,
        },
        infos,
    ))
}

/// The mapping file named by `--columns`, or the built-in names.
pub fn load_mapping(path: Option<&Path>) -> anyhow::Result<Mapping> {
    match path {
        Some(p) => Mapping::load(p).map_err(anyhow::Error::msg),
        None => Ok(Mapping::default()),
    }
}

/// The scenario whose rules apply: the file given, else the embedded default, with `--set`
/// overrides validated like the file.
pub fn load_scenario(
    path: Option<&Path>,
    sets: &[String],
) -> anyhow::Result<crate::scenario::Scenario> {
    let loaded = match path {
        Some(p) => crate::scenario::load(p, sets)?,
        None => crate::scenario::from_str("", "<embedded default>", sets)?,
    };
    Ok(loaded.scenario)
}

/// The command line as typed, for manifests (paths and options only: no personal data is
/// ever passed as an argument).
pub fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

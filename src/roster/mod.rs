//! Import of a staff roster CSV as the initial population, instead of the synthetic one.
//!
//! The columns, their types and allowed values are documented in docs/ROSTER.md. Every row is
//! checked and every problem is reported (`FILE:LINE: column `x` = <N characters withheld>:
//! what is allowed`), never only the first. A cell's text never appears in a message: any cell
//! may hold an identifier (see [`withheld`]). Personal identifiers (`name`, `id_number`, `staff_id`) are accepted so
//! that an HR export can be used as is, but they are dropped while reading: agents get the
//! simulation's own ids, and nothing else from those columns is kept. A run numbers the rows
//! in an order drawn from the seed and the file's contents ([`load_staff`]), so that no output
//! follows the roster's order (an HR export is often sorted by staff number or hire date).

//!
//! Layout: this file reads the file and its header and numbers the staff; `row` checks one
//! row and builds its agent; `issue` holds the problems and how a message shows a cell (never
//! its text).

mod issue;
mod row;

pub use issue::{RosterError, RosterIssue};

use crate::agent::Agent;
use crate::scenario::Scenario;
use issue::{allowed_columns, did_you_mean, header_name};
use row::RowCheck;
use std::path::Path;

/// Whether a column must be present (and non-empty in every row).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// An identifier: accepted and dropped unread.
    Dropped,
}

/// The columns a roster may have, in documentation order.
pub const COLUMNS: [(&str, Need); 14] = [
    ("sex", Need::Required),
    ("category", Need::Optional),
    ("birth", Need::Required),
    ("track", Need::Required),
    ("ladder", Need::Required),
    ("title", Need::Required),
    ("discipline", Need::Optional),
    ("university", Need::Required),
    ("work_start", Need::Required),
    ("hired", Need::Optional),
    ("monthly_wage", Need::Required),
    ("name", Need::Dropped),
    ("id_number", Need::Dropped),
    ("staff_id", Need::Dropped),
];

/// Youngest and oldest age (years, at `simulation.start`) a roster may hold.
pub const MIN_AGE: i32 = 16;
pub const MAX_AGE: i32 = 75;
/// Largest monthly wage accepted, in yuan (guards the fen arithmetic against absurd inputs).
pub const MAX_MONTHLY_WAGE: f64 = 1_000_000.0;

/// Reads and imports the roster at `path` (UTF-8 CSV, a BOM allowed). Agents are numbered
/// 0, 1, 2, … in row order; a run numbers them with [`load_staff`] instead.
pub fn load_roster(path: &Path, s: &Scenario) -> Result<Vec<Agent>, RosterError> {
    let (file, bytes) = read(path)?;
    import(&bytes, file, s)
}

/// The roster at `path` as a run's initial staff: [`load_roster`], numbered in the
/// pseudonymous order of [`pseudonymous_order`].
pub fn load_staff(path: &Path, s: &Scenario) -> Result<Vec<Agent>, RosterError> {
    let (file, bytes) = read(path)?;
    let mut agents = import(&bytes, file, s)?;
    pseudonymous_order(&mut agents, s.simulation.seed, &bytes);
    Ok(agents)
}

/// Numbers `agents` 0, 1, 2, … in an order drawn from `seed` and the roster file's bytes
/// `contents`: a ChaCha stream (`rng::chacha`, purpose `Roster`) whose stream number is taken
/// from a SHA-256 of the contents under a label of its own (so it cannot be worked out from
/// the roster's hash recorded in a sweep plan). Every run of the same file with the same seed
/// (a baseline and its reforms) numbers the same person alike, so `compare` pairs them by id;
/// without the file the order cannot be undone, so an id tells nothing about a row's place in
/// it.
pub fn pseudonymous_order(agents: &mut [Agent], seed: u64, contents: &[u8]) {
    use rand::RngCore;
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"sisandbox roster order\0")
        .chain_update(contents)
        .finalize();
    let mut stream = [0u8; 8];
    stream.copy_from_slice(&digest[..8]);
    let mut rng = crate::rng::chacha(
        seed,
        crate::rng::Purpose::Roster,
        u64::from_le_bytes(stream),
    );
    // Fisher–Yates, each index by a 64-bit multiply-shift of one draw.
    for i in (1..agents.len()).rev() {
        let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
        agents.swap(i, j);
    }
    for (i, a) in agents.iter_mut().enumerate() {
        a.id = i as u32;
    }
}

fn read(path: &Path) -> Result<(String, Vec<u8>), RosterError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| RosterError::Read {
        file: file.clone(),
        source,
    })?;
    Ok((file, bytes))
}

fn import(bytes: &[u8], file: String, s: &Scenario) -> Result<Vec<Agent>, RosterError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_roster(text, &file, s),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = 1 + good.iter().filter(|b| **b == b'\n').count() as u64;
            Err(RosterError::Invalid(vec![RosterIssue {
                file,
                line,
                column: None,
                message: "not UTF-8 text; save the roster as a UTF-8 CSV file".into(),
            }]))
        }
    }
}

/// Imports a roster from its text; `file` names it in messages.
pub fn parse_roster(text: &str, file: &str, s: &Scenario) -> Result<Vec<Agent>, RosterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut issues = Vec::new();
    let issue = |line: u64, column: Option<(&str, &str)>, message: String| RosterIssue {
        file: file.to_string(),
        line,
        column: column.map(|(c, v)| (c.to_string(), v.to_string())),
        message,
    };

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();

    // Header.
    let header = match records.next() {
        None => {
            return Err(RosterError::Invalid(vec![issue(
                0,
                None,
                "the roster is empty: a header row and at least one staff row are needed".into(),
            )]))
        }
        Some(Err(e)) => {
            let line = e.position().map_or(1, |p| p.line());
            return Err(RosterError::Invalid(vec![issue(
                line,
                None,
                format!("unreadable CSV: {e}"),
            )]));
        }
        Some(Ok(h)) => h,
    };
    let header_line = header.position().map_or(1, |p| p.line());
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    // A first line none of whose fields is a column is a data row (a roster exported without
    // its header): its fields are a person's, so none is echoed.
    if !names.iter().any(|n| COLUMNS.iter().any(|(c, _)| c == n)) {
        return Err(RosterError::Invalid(vec![issue(
            header_line,
            None,
            format!(
                "the first line is not a header: none of its {} fields is a known column (their \
                 values are withheld); add a header line naming the columns, from {}",
                names.len(),
                allowed_columns()
            ),
        )]));
    }
    let mut index: Vec<Option<usize>> = vec![None; COLUMNS.len()];
    for (i, name) in names.iter().enumerate() {
        match COLUMNS.iter().position(|(c, _)| c == name) {
            Some(k) if index[k].is_some() => issues.push(issue(
                header_line,
                None,
                format!("column `{name}` appears twice in the header"),
            )),
            Some(k) => index[k] = Some(i),
            None if name.is_empty() => issues.push(issue(
                header_line,
                None,
                format!(
                    "header field {} is empty; the columns are {}",
                    i + 1,
                    allowed_columns()
                ),
            )),
            None => issues.push(issue(
                header_line,
                None,
                format!(
                    "unknown column {}{}; the columns are {}",
                    header_name(name),
                    did_you_mean(name),
                    allowed_columns()
                ),
            )),
        }
    }
    for (k, (name, need)) in COLUMNS.iter().enumerate() {
        if *need == Need::Required && index[k].is_none() {
            issues.push(issue(
                header_line,
                None,
                format!("required column `{name}` is missing from the header"),
            ));
        }
    }
    if !issues.is_empty() {
        return Err(RosterError::Invalid(issues));
    }
    let col = |name: &str| index[COLUMNS.iter().position(|(c, _)| *c == name).unwrap_or(0)];

    // Rows.
    let mut agents = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                issues.push(issue(line, None, format!("unreadable CSV: {e}")));
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // blank rows (",,,," from spreadsheets) are skipped
        }
        if record.len() != names.len() {
            issues.push(issue(
                line,
                None,
                format!(
                    "the row has {} fields but the header has {}",
                    record.len(),
                    names.len()
                ),
            ));
            continue;
        }
        let cell = |name: &str| col(name).and_then(|i| record.get(i)).unwrap_or("").trim();
        let mut row = RowCheck {
            line,
            issues: Vec::new(),
            issue: &issue,
        };
        if let Some(a) = row.agent(s, &cell, agents.len()) {
            if row.issues.is_empty() {
                agents.push(a);
            }
        }
        issues.append(&mut row.issues);
    }
    if issues.is_empty() && agents.is_empty() {
        issues.push(issue(
            0,
            None,
            "the roster has no staff rows: at least one is needed".into(),
        ));
    }
    if issues.is_empty() {
        Ok(agents)
    } else {
        Err(RosterError::Invalid(issues))
    }
}

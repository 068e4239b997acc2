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

use crate::agent::{Agent, Category, Ladder, Profile, Sex, Track};
use crate::agent::{ACADEMIC_TITLES, ADMIN_GRADES};
use crate::money::{yuan_to_fen, Fen, PPM};
use crate::population::performance_pay;
use crate::scenario::{RungParams, Scenario};
use crate::time::YearMonth;
use std::fmt;
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

/// Longest cell value echoed in a message (longer values are cut, with "…").
const ECHO_CHARS: usize = 40;

/// One problem in a roster file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterIssue {
    pub file: String,
    /// 1-based line in the file (the header is line 1); 0 when the problem is the whole file.
    pub line: u64,
    /// The column and the offending cell value, when the problem is one cell.
    pub column: Option<(String, String)>,
    pub message: String,
}

impl fmt::Display for RosterIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: ", self.file, self.line)?;
        } else {
            write!(f, "{}: ", self.file)?;
        }
        if let Some((column, value)) = &self.column {
            // `value` is already withheld (see `withheld`): never a cell's text.
            write!(f, "column `{column}` = {value}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Why a roster could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{file}: cannot read the roster: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    /// Every problem found, in file order.
    #[error("{}", render(.0))]
    Invalid(Vec<RosterIssue>),
}

impl RosterError {
    /// The problems found (empty for a read error).
    pub fn issues(&self) -> &[RosterIssue] {
        match self {
            RosterError::Read { .. } => &[],
            RosterError::Invalid(v) => v,
        }
    }
}

fn render(issues: &[RosterIssue]) -> String {
    let n = issues.len();
    let mut out = format!(
        "the roster has {n} problem{}:",
        if n == 1 { "" } else { "s" }
    );
    for i in issues {
        out.push_str("\n  ");
        out.push_str(&i.to_string());
    }
    out
}

/// A number as written in a roster, with thousands separators (`12,500.50`) removed; `None`
/// for a comma used any other way (`8,5`, a decimal comma, would otherwise read as 85).
fn plain_number(value: &str) -> Option<String> {
    let value = value.trim();
    if !value.contains(',') {
        return Some(value.to_string());
    }
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    let groups: Vec<&str> = int.split(',').collect();
    let digits = |g: &str| g.chars().all(|c| c.is_ascii_digit());
    let grouped = (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.len() == 3)
        && digits(frac);
    grouped.then(|| value.replace(',', ""))
}

/// A cell value cut to a readable length for messages.
fn echo(value: &str) -> String {
    if value.chars().count() <= ECHO_CHARS {
        value.to_string()
    } else {
        let mut s: String = value.chars().take(ECHO_CHARS).collect();
        s.push('…');
        s
    }
}

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

fn allowed_columns() -> String {
    COLUMNS
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

fn did_you_mean(name: &str) -> String {
    let best = COLUMNS
        .iter()
        .map(|(c, _)| (strsim::levenshtein(name, c), *c))
        .min();
    match best {
        Some((d, c)) if d <= (c.len() / 3).max(2) => format!(" (did you mean `{c}`?)"),
        _ => String::new(),
    }
}

/// The checks of one row; problems accumulate in `issues`.
struct RowCheck<'a, F> {
    line: u64,
    issues: Vec<RosterIssue>,
    issue: &'a F,
}

impl<F> RowCheck<'_, F>
where
    F: Fn(u64, Option<(&str, &str)>, String) -> RosterIssue,
{
    fn bad(&mut self, column: &str, value: &str, message: String) {
        let shown = withheld(value);
        let i = (self.issue)(self.line, Some((column, &shown)), message);
        self.issues.push(i);
    }

    /// One of `choices` (case-insensitive); `default` when the cell is empty and a default exists.
    fn choice<T: Copy>(
        &mut self,
        column: &str,
        value: &str,
        choices: &[(&str, T)],
        default: Option<T>,
    ) -> Option<T> {
        if value.is_empty() {
            if default.is_some() {
                return default;
            }
        } else if let Some((_, t)) = choices.iter().find(|(n, _)| n.eq_ignore_ascii_case(value)) {
            return Some(*t);
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let what = if value.is_empty() { "required; " } else { "" };
        self.bad(
            column,
            value,
            format!("{what}allowed: {}", names.join(", ")),
        );
        None
    }

    fn month(&mut self, column: &str, value: &str) -> Option<YearMonth> {
        if value.is_empty() {
            self.bad(
                column,
                value,
                "required; allowed: a month YYYY-MM, e.g. 1985-07".into(),
            );
            return None;
        }
        match YearMonth::parse(value) {
            Ok(m) => Some(m),
            Err(_) => {
                self.bad(
                    column,
                    value,
                    "allowed: a month YYYY-MM (year 1000..=9999, month 01..=12), e.g. 1985-07"
                        .into(),
                );
                None
            }
        }
    }

    fn wage(&mut self, value: &str) -> Option<Fen> {
        let allowed = format!("allowed: yuan per month, a number above 0 and at most {MAX_MONTHLY_WAGE:.0}, e.g. 12500.50 (a comma only between thousands: 12,500.50)");
        match plain_number(value).and_then(|v| v.parse::<f64>().ok()) {
            Some(w) if w.is_finite() && w > 0.0 && w <= MAX_MONTHLY_WAGE && yuan_to_fen(w) > 0 => {
                Some(yuan_to_fen(w))
            }
            _ if value.is_empty() => {
                self.bad("monthly_wage", value, format!("required; {allowed}"));
                None
            }
            _ => {
                self.bad("monthly_wage", value, allowed);
                None
            }
        }
    }

    /// The agent of this row, or `None` (with the problems recorded) when a cell is bad.
    fn agent<'c>(
        &mut self,
        s: &Scenario,
        cell: &dyn Fn(&str) -> &'c str,
        id: usize,
    ) -> Option<Agent> {
        let start = s.simulation.start;
        let sex = self.choice(
            "sex",
            cell("sex"),
            &[("male", Sex::Male), ("female", Sex::Female)],
            None,
        );
        let category = self.choice(
            "category",
            cell("category"),
            &[("cadre", Category::Cadre), ("worker", Category::Worker)],
            Some(Category::Cadre),
        );
        let birth = self.month("birth", cell("birth"));
        let track = self.choice(
            "track",
            cell("track"),
            &[
                ("establishment", Track::Establishment),
                ("contract", Track::Contract),
                ("temporary", Track::Temporary),
            ],
            None,
        );
        let ladder = self.choice(
            "ladder",
            cell("ladder"),
            &[
                ("academic", Ladder::Academic),
                ("administrative", Ladder::Administrative),
            ],
            None,
        );
        let rung = ladder.and_then(|l| {
            let names = match l {
                Ladder::Academic => &ACADEMIC_TITLES,
                Ladder::Administrative => &ADMIN_GRADES,
            };
            let rungs: Vec<(&str, u8)> = names
                .iter()
                .enumerate()
                .map(|(i, n)| (*n, i as u8))
                .collect();
            let title = cell("title");
            let r = self.choice("title", title, &rungs, None);
            if r.is_none() {
                if let Some(last) = self.issues.last_mut() {
                    last.message = format!(
                        "{} (the titles of the {} ladder)",
                        last.message,
                        cell("ladder").to_ascii_lowercase()
                    );
                }
            }
            r
        });
        if ladder == Some(Ladder::Academic) && category == Some(Category::Worker) {
            self.bad(
                "category",
                cell("category"),
                "academic posts are cadre posts; allowed with ladder academic: cadre".into(),
            );
        }
        let disciplines: Vec<(&str, usize)> = s
            .population
            .disciplines
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.as_str(), i))
            .collect();
        let discipline = self.choice("discipline", cell("discipline"), &disciplines, Some(0));
        let universities: Vec<(&str, usize)> = s
            .universities
            .iter()
            .enumerate()
            .map(|(i, u)| (u.name.as_str(), i))
            .collect();
        let university = self.choice("university", cell("university"), &universities, None);
        let work_start = self.month("work_start", cell("work_start"));
        let hired = if cell("hired").is_empty() {
            work_start
        } else {
            self.month("hired", cell("hired"))
        };
        let wage = self.wage(cell("monthly_wage"));

        // Cross-field checks, once the cells they compare are valid.
        if let (Some(b), Some(w)) = (birth, work_start) {
            if w <= b {
                self.bad(
                    "work_start",
                    cell("work_start"),
                    format!("allowed: a month after birth ({b})"),
                );
            }
        }
        if let (Some(w), Some(h)) = (work_start, hired) {
            if h < w {
                self.bad(
                    "hired",
                    cell("hired"),
                    format!("allowed: work_start ({w}) or later"),
                );
            }
        }
        if let Some(h) = hired {
            if h > start {
                let column = if cell("hired").is_empty() {
                    "work_start"
                } else {
                    "hired"
                };
                self.bad(
                    column,
                    cell(column),
                    format!("allowed: simulation.start ({start}) or earlier"),
                );
            }
        }
        if let Some(b) = birth {
            let age = start.months_since(b).div_euclid(12);
            if !(MIN_AGE..=MAX_AGE).contains(&age) {
                self.bad(
                    "birth",
                    cell("birth"),
                    format!(
                        "age {age} at simulation.start ({start}); allowed: ages {MIN_AGE} to {MAX_AGE}"
                    ),
                );
            }
        }
        let id = match u32::try_from(id) {
            Ok(id) => id,
            Err(_) => {
                let i = (self.issue)(self.line, None, "too many rows".into());
                self.issues.push(i);
                return None;
            }
        };

        let (sex, category, birth, track, ladder, rung) =
            (sex?, category?, birth?, track?, ladder?, rung?);
        let (discipline, university, work_start, hired, wage) =
            (discipline?, university?, work_start?, hired?, wage?);
        if !self.issues.is_empty() {
            return None;
        }
        let region = s
            .region_index(&s.universities[university].region)
            .unwrap_or(0);
        let ladder_params = crate::career::ladder(s, ladder);
        let basic_wage = basic_share(wage, s.careers.performance_ratio);
        Some(Agent::new(Profile {
            id,
            university: university as u16,
            region: region as u16,
            sex,
            category,
            track,
            ladder,
            rung,
            discipline: discipline as u8,
            birth,
            work_start,
            hired,
            rung_since: rung_since(ladder_params, rung, work_start, start),
            basic_wage,
            performance_pay: performance_pay(s, basic_wage),
            effort: 1.0,
        }))
    }
}

/// Basic wage of a total wage: `wage / (1 + ratio)`, to the nearest fen, in integer arithmetic.
fn basic_share(wage: Fen, performance_ratio: f64) -> Fen {
    let ratio_ppm = crate::money::rate_to_ppm(performance_ratio.max(0.0)) as i128;
    let num = wage as i128 * PPM as i128;
    let den = PPM as i128 + ratio_ppm;
    ((num + den / 2) / den) as Fen
}

/// The roster gives no date for the current rung: the earliest month the ladder's minimum years
/// allow after `work_start`, and no later than `start`.
fn rung_since(
    ladder: &[RungParams],
    rung: u8,
    work_start: YearMonth,
    start: YearMonth,
) -> YearMonth {
    let months: i32 = ladder
        .iter()
        .take(rung as usize)
        .map(|r| (r.min_years * 12.0) as i32)
        .sum();
    work_start.plus_months(months).min(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_share_splits_total_pay() {
        assert_eq!(basic_share(1_500_000, 0.5), 1_000_000);
        assert_eq!(basic_share(100, 0.0), 100);
        let s = Scenario::default();
        let b = basic_share(1_234_567, s.careers.performance_ratio);
        assert!((b + performance_pay(&s, b) - 1_234_567).abs() <= 1);
    }

    #[test]
    fn did_you_mean_finds_close_columns() {
        assert!(did_you_mean("brith").contains("birth"));
        assert!(did_you_mean("wage").is_empty() || did_you_mean("wage").contains('`'));
        assert!(did_you_mean("zzzzzzzzzz").is_empty());
    }
}

/// A bad cell in an error: only its length, never its text. Any cell may hold a personal
/// identifier (a roster whose cells are shifted against its header puts ID numbers, names,
/// phone numbers or e-mail addresses in checked columns, in any script or format), so no
/// pattern decides what is safe to show; the file, line, column and what is allowed locate
/// and explain the problem.
fn withheld(value: &str) -> String {
    match value.chars().count() {
        0 => "<empty>".to_string(),
        1 => "<1 character withheld>".to_string(),
        n => format!("<{n} characters withheld>"),
    }
}

/// An unknown header field: named when it reads like a column name (an HR system's own
/// column, perhaps numbered: `备注2`), withheld when it could be a value: digits other than a
/// short trailing number (in any script), `@` or `+`, or long text.
fn header_name(name: &str) -> String {
    let body = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let plain = name.chars().count() <= 24
        && name.len() - body.len() <= 2
        && !body.chars().any(char::is_numeric)
        && !name.contains(['@', '+']);
    if plain {
        format!("`{}`", echo(name))
    } else {
        withheld(name)
    }
}

#[cfg(test)]
mod shown_tests {
    use super::{header_name, withheld};

    #[test]
    fn cells_are_always_withheld_and_only_column_like_headers_named() {
        for v in [
            "110101199003071234",
            "1101 0119 9003 0712 34",
            "１１０１０１１９９００３０７１２３４",
            "1.10101E+17",
            "Zhang Wei",
            "𠀀𪚥",
            "+86 138 0013 8000",
            "a.b@example.cn",
            "E12345678",
        ] {
            let w = withheld(v);
            assert!(w.starts_with('<') && !w.contains(v), "{v}: {w}");
        }
        assert_eq!(header_name("brith"), "`brith`");
        assert_eq!(header_name("手机号"), "`手机号`");
        assert_eq!(header_name("备注2"), "`备注2`");
        assert!(header_name("13800138000").contains("withheld"));
        assert!(header_name("１３８００１３８０００").contains("withheld"));
        assert!(header_name("E12345678").contains("withheld"));
        assert!(header_name("a1b2").contains("withheld"));
        assert!(header_name("a.b@example.cn").contains("withheld"));
    }
}

//! Typed rows of the office files, parsed from tables with every problem reported by file, row
//! and column. Names and ID numbers are kept only to compare the files with each other: they
//! never reach an output or a message (see [`mask_id`]).

use super::columns::{Columns, Field, FileKind, Mapping};
use super::read::Table;
use crate::insurance::Scheme;
use crate::money::Fen;
use crate::time::YearMonth;
use std::collections::HashMap;

/// The contribution items audited, in output order: (key, Chinese name, paid by the person).
pub const ITEMS: [(Field, &str, bool); 7] = [
    (Field::PensionPersonal, "养老个人", true),
    (Field::PensionEmployer, "养老单位", false),
    (Field::MedicalPersonal, "医疗个人", true),
    (Field::MedicalEmployer, "医疗单位", false),
    (Field::UnemploymentPersonal, "失业个人", true),
    (Field::UnemploymentEmployer, "失业单位", false),
    (Field::WorkInjuryEmployer, "工伤单位", false),
];

/// The personal items also withheld in the payroll, as indices into [`ITEMS`].
pub const PERSONAL: [usize; 3] = [0, 2, 4];

/// Who a row says the person is: kept in memory for matching only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    pub name: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Clone, Debug)]
pub struct PayrollRow {
    pub line: u64,
    pub staff: String,
    pub who: Identity,
    pub department: String,
    pub month: YearMonth,
    pub gross: Fen,
    /// Pension, medical, unemployment withheld, in the order of [`PERSONAL`].
    pub withheld: [Fen; 3],
}

#[derive(Clone, Debug)]
pub struct InsuranceRow {
    pub line: u64,
    pub staff: String,
    pub who: Identity,
    pub month: YearMonth,
    pub scheme: Scheme,
    pub base: Fen,
    /// Amounts in the order of [`ITEMS`].
    pub amounts: [Fen; 7],
}

#[derive(Clone, Debug)]
pub struct FinanceRow {
    pub line: u64,
    pub staff: String,
    pub who: Identity,
    pub month: YearMonth,
    pub net: Fen,
}

/// The masked ID printed instead of an ID number: first 6 and last 4 characters.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    if chars.len() < 12 {
        return "*".repeat(chars.len().max(4));
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// An amount in yuan with at most two decimals, as fen. Commas are refused: "8,5" may mean
/// 8.5 or 85, and "1,234" a thousands separator, so the user must say which.
pub fn parse_yuan(text: &str) -> Result<Fen, String> {
    let t = text.trim().trim_start_matches(['¥', '￥']);
    if t.is_empty() {
        return Ok(0);
    }
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // Spreadsheets store amounts as binary floats: 367.04 may come back as 367.04000000000002.
    let frac_ok = frac.is_empty() || digits(frac);
    if !digits(whole) || !frac_ok || whole.len() > 12 {
        return Err(if t.contains(',') || t.contains('，') {
            "not an amount in yuan: use a point for decimals (8.50) and no thousands separators"
                .into()
        } else {
            "not an amount in yuan (digits with at most two decimals, e.g. 4588.00)".into()
        });
    }
    let yuan: i64 = whole.parse().map_err(|_| "amount too large".to_string())?;
    let mut fen_part = 0i64;
    if !frac.is_empty() {
        let padded: String = frac.chars().chain("000".chars()).take(3).collect();
        let thousandths: i64 = padded.parse().unwrap_or(0);
        if frac.len() > 2 && !frac[2..].bytes().all(|b| b == b'0') && !near_float_noise(frac) {
            return Err("more than two decimals: amounts are in yuan and fen".into());
        }
        fen_part = (thousandths + 5) / 10;
    }
    let fen = yuan * 100 + fen_part;
    Ok(if neg { -fen } else { fen })
}

/// Whether decimals beyond the second are binary-float noise (…0000000002 or …9999999998).
fn near_float_noise(frac: &str) -> bool {
    frac.len() >= 12 && (frac[2..].starts_with("0000000") || frac[2..].starts_with("9999999"))
}

/// A month as offices write it: 2025-03, 2025-3, 2025/03, 2025.03, 202503, 2025年3月, or a
/// date in the month (2025-03-01).
pub fn parse_month(text: &str) -> Result<YearMonth, String> {
    let t = text.trim().trim_end_matches('月');
    let bad = || "not a month (expected YYYY-MM, e.g. 2025-03)".to_string();
    let (y, m) = if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..4], &t[4..])
    } else {
        let mut parts = t.split(['-', '/', '.', '年']);
        let y = parts.next().ok_or_else(bad)?;
        let m = parts.next().ok_or_else(bad)?;
        (y, m)
    };
    let year: i32 = y.trim().parse().map_err(|_| bad())?;
    let month: u32 = m.trim().parse().map_err(|_| bad())?;
    YearMonth::new(year, month).ok_or_else(bad)
}

fn parse_scheme(text: &str) -> Result<Scheme, String> {
    match text.trim() {
        "" | "institution" | "机关事业" | "机关事业单位" | "事业" => {
            Ok(Scheme::Institution)
        }
        "enterprise" | "企业" | "企业职工" => Ok(Scheme::Enterprise),
        _ => {
            Err("not a pension scheme: allowed institution (机关事业) or enterprise (企业)".into())
        }
    }
}

/// One problem in an office file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: row {}, column {}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// All problems of a file, shown together (at most 20, then a count).
#[derive(Debug, thiserror::Error)]
#[error("{}", render(.0))]
pub struct Issues(pub Vec<Issue>);

fn render(v: &[Issue]) -> String {
    let mut out: Vec<String> = v.iter().take(20).map(|i| i.to_string()).collect();
    if v.len() > 20 {
        out.push(format!("… and {} more problems", v.len() - 20));
    }
    out.join("\n")
}

/// Cell reader collecting issues.
struct Rows<'a> {
    table: &'a Table,
    cols: Columns,
    issues: Vec<Issue>,
}

impl<'a> Rows<'a> {
    fn new(table: &'a Table, kind: FileKind, mapping: &Mapping) -> Result<Self, Issues> {
        let cols = Columns::locate(kind, &table.headers, mapping, &table.file).map_err(|m| {
            Issues(vec![Issue {
                file: table.file.clone(),
                line: 1,
                column: "(header)".into(),
                message: m
                    .split_once(": row 1: ")
                    .map(|x| x.1.to_string())
                    .unwrap_or(m),
            }])
        })?;
        Ok(Rows {
            table,
            cols,
            issues: Vec::new(),
        })
    }

    fn issue(&mut self, line: u64, field: Field, message: String) {
        self.issues.push(Issue {
            file: self.table.file.clone(),
            line,
            column: self.cols.header(field),
            message,
        });
    }

    /// A cell parsed by `f`; identifiers are never echoed.
    fn parse<T: Default>(
        &mut self,
        line: u64,
        row: &[String],
        field: Field,
        f: impl Fn(&str) -> Result<T, String>,
    ) -> T {
        let cell = self.cols.get(row, field);
        match f(cell) {
            Ok(v) => v,
            Err(m) => {
                let shown: String = cell.chars().take(30).collect();
                self.issue(line, field, format!("\"{shown}\" is {m}"));
                T::default()
            }
        }
    }

    fn staff(&mut self, line: u64, row: &[String]) -> String {
        let s = self.cols.get(row, Field::StaffId).to_string();
        if s.is_empty() {
            self.issue(
                line,
                Field::StaffId,
                "empty: every row needs a staff number".into(),
            );
        }
        s
    }

    fn identity(&self, row: &[String]) -> Identity {
        let opt = |f: Field| {
            let v = self.cols.get(row, f).trim();
            (self.cols.has(f) && !v.is_empty()).then(|| v.to_string())
        };
        Identity {
            name: opt(Field::Name),
            id_number: opt(Field::IdNumber).map(|s| s.to_uppercase()),
        }
    }

    fn month(&mut self, line: u64, row: &[String]) -> YearMonth {
        self.parse(line, row, Field::Month, |c| parse_month(c).map(Some))
            .unwrap_or(YearMonth::ym(1000, 1))
    }

    /// Duplicated staff numbers within a month, then the issues, if any.
    fn finish<T>(
        mut self,
        rows: Vec<T>,
        key: impl Fn(&T) -> (String, YearMonth, u64),
    ) -> Result<Vec<T>, Issues> {
        let mut seen: HashMap<(String, YearMonth), u64> = HashMap::new();
        for r in &rows {
            let (staff, month, line) = key(r);
            if staff.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert((staff.clone(), month), line) {
                self.issue(
                    line,
                    Field::StaffId,
                    format!("staff {staff} appears twice in {month} (rows {first} and {line}); keep one row per staff and month"),
                );
            }
        }
        if self.issues.is_empty() {
            Ok(rows)
        } else {
            Err(Issues(self.issues))
        }
    }
}

/// Amount cells as a parser.
fn amount(c: &str) -> Result<Fen, String> {
    parse_yuan(c)
}

pub fn payroll(table: &Table, mapping: &Mapping) -> Result<Vec<PayrollRow>, Issues> {
    let mut r = Rows::new(table, FileKind::Payroll, mapping)?;
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let line = *line;
        let staff = r.staff(line, row);
        let who = r.identity(row);
        let month = r.month(line, row);
        let gross = r.parse(line, row, Field::GrossPay, amount);
        let mut withheld = [0; 3];
        for (k, &i) in PERSONAL.iter().enumerate() {
            withheld[k] = r.parse(line, row, ITEMS[i].0, amount);
        }
        out.push(PayrollRow {
            line,
            staff,
            who,
            department: r.cols.get(row, Field::Department).to_string(),
            month,
            gross,
            withheld,
        });
    }
    r.finish(out, |p| (p.staff.clone(), p.month, p.line))
}

pub fn insurance(table: &Table, mapping: &Mapping) -> Result<Vec<InsuranceRow>, Issues> {
    let mut r = Rows::new(table, FileKind::Insurance, mapping)?;
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let line = *line;
        let staff = r.staff(line, row);
        let who = r.identity(row);
        let month = r.month(line, row);
        let scheme = r
            .parse(line, row, Field::Scheme, |c| parse_scheme(c).map(Some))
            .unwrap_or(Scheme::Institution);
        let base = r.parse(line, row, Field::Base, amount);
        let mut amounts = [0; 7];
        for (k, item) in ITEMS.iter().enumerate() {
            amounts[k] = r.parse(line, row, item.0, amount);
        }
        out.push(InsuranceRow {
            line,
            staff,
            who,
            month,
            scheme,
            base,
            amounts,
        });
    }
    r.finish(out, |p| (p.staff.clone(), p.month, p.line))
}

pub fn finance(table: &Table, mapping: &Mapping) -> Result<Vec<FinanceRow>, Issues> {
    let mut r = Rows::new(table, FileKind::Finance, mapping)?;
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let line = *line;
        let staff = r.staff(line, row);
        let who = r.identity(row);
        let month = r.month(line, row);
        let net = r.parse(line, row, Field::NetPay, amount);
        out.push(FinanceRow {
            line,
            staff,
            who,
            month,
            net,
        });
    }
    r.finish(out, |p| (p.staff.clone(), p.month, p.line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::read::{parse_csv, Encoding};

    #[test]
    fn amounts_in_yuan() {
        assert_eq!(parse_yuan("4588"), Ok(458_800));
        assert_eq!(parse_yuan("367.04"), Ok(36_704));
        assert_eq!(parse_yuan("8.5"), Ok(850));
        assert_eq!(parse_yuan("-1.20"), Ok(-120));
        assert_eq!(parse_yuan(""), Ok(0));
        assert_eq!(parse_yuan("367.04000000000002"), Ok(36_704));
        assert!(parse_yuan("8,5")
            .unwrap_err()
            .contains("point for decimals"));
        assert!(parse_yuan("1.234").is_err());
        assert!(parse_yuan("abc").is_err());
    }

    #[test]
    fn months_in_office_forms() {
        for t in [
            "2025-03",
            "2025-3",
            "2025/03",
            "202503",
            "2025年3月",
            "2025-03-01",
            "2025.03",
        ] {
            assert_eq!(parse_month(t), Ok(YearMonth::ym(2025, 3)), "{t}");
        }
        assert!(parse_month("March").is_err());
        assert!(parse_month("2025-13").is_err());
    }

    #[test]
    fn masks_keep_six_and_four() {
        assert_eq!(mask_id("51010419800101123X"), "510104********123X");
        assert_eq!(mask_id("123"), "****");
    }

    #[test]
    fn bad_cells_and_duplicates_name_file_row_and_column() {
        let text = "工号,月份,应发工资,养老个人,医疗个人,失业个人\n\
                    1001,2025-01,9000,8,5,2\n\
                    1002,2025-01,\"8,5\",1,1,1\n\
                    1001,2025-01,9000,8,5,2\n";
        let t = parse_csv(text, "p.csv", Encoding::Utf8).unwrap();
        let e = payroll(&t, &Mapping::default()).unwrap_err().to_string();
        assert!(
            e.contains("p.csv: row 3, column 应发工资 (gross_pay): \"8,5\""),
            "{e}"
        );
        assert!(e.contains("p.csv: row 4, column 工号 (staff_id): staff 1001 appears twice in 2025-01 (rows 2 and 4)"), "{e}");
    }
}

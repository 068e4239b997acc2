//! HR history files: one row per staff member and month, as a payroll or social-insurance
//! office exports them. CSV (UTF-8, or GBK as Chinese spreadsheet software saves it) or XLSX.
//! Headers in English or Chinese. Staff are identified only by the file's own staff number;
//! nothing else identifying is read.
//!
//! Every error names the file, the row (1 = header) and the column.

use crate::data::{Month, Person, Track};
use anyhow::{bail, Result};
use sisandbox::office::read::Table;
use std::collections::BTreeMap;
use std::path::Path;

/// Columns: (canonical name, aliases, required).
const COLUMNS: [(&str, &[&str], bool); 11] = [
    ("staff_number", &["工号", "staff_no", "staff"], true),
    ("month", &["月份", "缴费月份", "period"], true),
    ("track", &["用工类型", "类型"], true),
    ("sex", &["性别", "gender"], true),
    ("age", &["年龄", "age_years"], true),
    ("wage", &["工资", "应发工资", "wage_yuan"], true),
    ("base", &["缴费基数", "base_yuan"], true),
    ("pension_contributions", &["养老缴费", "养老保险缴费"], true),
    ("region", &["地区", "统筹地区"], false),
    ("dependants", &["赡养人数", "家属人数"], false),
    ("spouse_covered", &["配偶参保"], false),
];

/// Reads a history file into people, in order of first appearance of their staff numbers.
/// The file is read by the core's office reader (`sisandbox::office::read`), the same one the
/// audit uses: CSV in UTF-8 (a BOM allowed) or GBK/GB18030, detected, or a spreadsheet; only a
/// regular file of bounded size; every row keeps its number in the file.
pub fn read(path: &Path) -> Result<Vec<Person>> {
    let table = sisandbox::office::read::read_table(path)?;
    parse(&table)
}

/// `2025-03`, `2025/03`, `202503` or `2025-03-01` to a month index.
fn parse_month(s: &str) -> Option<i32> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let (y, m): (i32, i32) = if s.contains(['-', '/', '.', '年']) {
        let mut it = s
            .split(['-', '/', '.', '年', '月'])
            .filter(|p| !p.is_empty());
        (
            it.next()?.trim().parse().ok()?,
            it.next()?.trim().parse().ok()?,
        )
    } else if digits.len() == 6 {
        (digits[..4].parse().ok()?, digits[4..].parse().ok()?)
    } else {
        return None;
    };
    ((1900..=2200).contains(&y) && (1..=12).contains(&m)).then_some(y * 12 + m - 1)
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "1" | "yes" | "true" | "y" | "是" => Some(true),
        "0" | "no" | "false" | "n" | "否" | "" => Some(false),
        _ => None,
    }
}

fn parse(table: &Table) -> Result<Vec<Person>> {
    let name = &table.file;
    let header = &table.headers;
    let mut at = [usize::MAX; COLUMNS.len()];
    for (k, (canon, aliases, required)) in COLUMNS.iter().enumerate() {
        match header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(canon) || aliases.contains(&h.as_str()))
        {
            Some(i) => at[k] = i,
            None if *required => bail!(
                "{name}: row 1: column `{canon}` is missing (also accepted: {}); the header has: {}",
                aliases.join(", "),
                header.join(", ")
            ),
            None => {}
        }
    }
    let mut people: Vec<Person> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut months_seen = std::collections::BTreeSet::new();
    for (line, row) in &table.rows {
        let cell = |k: usize| -> &str {
            if at[k] == usize::MAX {
                ""
            } else {
                row.get(at[k]).map_or("", String::as_str)
            }
        };
        let bad = |k: usize, allowed: &str| -> anyhow::Error {
            anyhow::anyhow!(
                "{name}: row {line}, column `{}`: `{}` is not {allowed}",
                COLUMNS[k].0,
                cell(k)
            )
        };
        let num = |k: usize| -> Result<f64> {
            cell(k)
                .replace(',', "")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| bad(k, "a non-negative number"))
        };
        let staff = cell(0).to_string();
        if staff.is_empty() {
            return Err(bad(0, "a staff number"));
        }
        let month = parse_month(cell(1)).ok_or_else(|| bad(1, "a month such as 2025-03"))?;
        let track = Track::parse(cell(2))
            .ok_or_else(|| bad(2, "a track (establishment, contract, temporary)"))?;
        let female = match cell(3).to_lowercase().as_str() {
            "f" | "female" | "女" => true,
            "m" | "male" | "男" => false,
            _ => return Err(bad(3, "a sex (female/male, 女/男)")),
        };
        let age = num(4)?;
        if !(14.0..=80.0).contains(&age) {
            return Err(bad(4, "an age in years between 14 and 80"));
        }
        let fen = |k: usize| -> Result<i64> { Ok((num(k)? * 100.0).round() as i64) };
        let (wage, base, pension) = (fen(5)?, fen(6)?, fen(7)?);
        let dependants = if cell(9).is_empty() { 0.0 } else { num(9)? };
        let spouse = parse_bool(cell(10)).ok_or_else(|| bad(10, "yes or no (是/否, 1/0)"))?;
        months_seen.insert(month);
        let i = *index.entry(staff.clone()).or_insert_with(|| {
            people.push(Person {
                key: staff.clone(),
                track,
                female,
                region: cell(8).to_string(),
                dependants: dependants.min(9.0) as u8,
                spouse_covered: spouse,
                months: Vec::new(),
            });
            people.len() - 1
        });
        let p = &mut people[i];
        if let Some(last) = p.months.last() {
            if month <= last.index {
                bail!(
                    "{name}: row {line}, column `month`: {} for staff {staff} is not after the \
                     previous row's {} (rows must be in month order for each staff member)",
                    crate::data::month_label(month),
                    crate::data::month_label(last.index)
                );
            }
        }
        p.track = track;
        let in_post = p.months.first().map_or(0, |f| month - f.index);
        p.months.push(Month {
            index: month,
            age_months: (age * 12.0).round() as i32,
            wage,
            base,
            pension_contributions: pension,
            months_in_post: in_post,
            active: true,
            interruption: pension == 0,
        });
    }
    if people.is_empty() {
        bail!("{name}: no data rows under the header");
    }
    if months_seen.len() < 2 {
        bail!(
            "{name}: row 2, column `month`: the file covers a single month; a history of at least \
             two months is needed (the model reads up to the last 12)"
        );
    }
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_in_common_forms() {
        assert_eq!(parse_month("2025-03"), Some(2025 * 12 + 2));
        assert_eq!(parse_month("2025/3"), Some(2025 * 12 + 2));
        assert_eq!(parse_month("202503"), Some(2025 * 12 + 2));
        assert_eq!(parse_month("2025年3月"), Some(2025 * 12 + 2));
        assert_eq!(parse_month("2025-13"), None);
    }
}

//! Dated tables (`scenario::dated`) edited as rows: each entry's month or year from which it
//! is in force, its region (empty: every region) and its value. An edit of one cell gives the
//! new table; a table of one undated entry for every region is written back as a plain value.

use crate::catalog::Editor;
use crate::field;
use crate::i18n::Lang;
use sisandbox::scenario::Allowed;

/// A column of a dated table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    From,
    Region,
    Value,
}

impl Col {
    pub fn name(self) -> &'static str {
        match self {
            Col::From => "from",
            Col::Region => "region",
            Col::Value => "value",
        }
    }
}

/// One row as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub from: String,
    pub region: String,
    pub value: String,
}

fn as_text(v: Option<&toml::Value>) -> String {
    match v {
        None => String::new(),
        Some(toml::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// The rows of a dated value (a plain value is one row).
pub fn entries(v: Option<&toml::Value>) -> Vec<Entry> {
    match v {
        Some(toml::Value::Array(items)) => items
            .iter()
            .map(|e| Entry {
                from: as_text(e.get("from")),
                region: as_text(e.get("region")),
                value: as_text(e.get("value")),
            })
            .collect(),
        Some(v) => vec![Entry {
            from: String::new(),
            region: String::new(),
            value: as_text(Some(v)),
        }],
        None => Vec::new(),
    }
}

/// The table as a list of entry tables.
fn rows_of(v: Option<&toml::Value>) -> Vec<toml::Table> {
    match v {
        Some(toml::Value::Array(items)) => {
            items.iter().filter_map(|e| e.as_table().cloned()).collect()
        }
        Some(v) => {
            let mut t = toml::Table::new();
            t.insert("value".into(), v.clone());
            vec![t]
        }
        None => Vec::new(),
    }
}

/// Back to a TOML value: one undated entry for every region is a plain value.
fn value_of(rows: Vec<toml::Table>) -> toml::Value {
    if let [only] = rows.as_slice() {
        if only.len() == 1 {
            if let Some(v) = only.get("value") {
                return v.clone();
            }
        }
    }
    toml::Value::Array(rows.into_iter().map(toml::Value::Table).collect())
}

/// The editor of a dated key's values.
fn value_editor(allowed: &Allowed) -> Editor {
    match allowed {
        Allowed::Number { .. } => Editor::Number,
        Allowed::Integer { .. } => Editor::Integer,
        Allowed::Bool => Editor::Bool,
        Allowed::OneOf(_) | Allowed::Month | Allowed::Text => Editor::Text,
        Allowed::Structured => Editor::Toml,
    }
}

/// The table after one cell was typed, or why the entry cannot be written.
pub fn set_cell(
    lang: Lang,
    current: Option<&toml::Value>,
    allowed: &Allowed,
    index: usize,
    col: Col,
    text: &str,
) -> Result<toml::Value, String> {
    let mut rows = rows_of(current);
    let Some(row) = rows.get_mut(index) else {
        return Err(format!("row {} is gone", index + 1));
    };
    let t = text.trim();
    match col {
        Col::Value => {
            let v = field::parse(lang, value_editor(allowed), allowed, t)?;
            row.insert("value".into(), v);
        }
        Col::Region if t.is_empty() => {
            row.remove("region");
        }
        Col::Region => {
            row.insert("region".into(), toml::Value::String(t.into()));
        }
        Col::From if t.is_empty() => {
            row.remove("from");
        }
        Col::From => {
            let v = match t.parse::<i64>() {
                Ok(year) => toml::Value::Integer(year),
                Err(_) => toml::Value::String(t.into()),
            };
            row.insert("from".into(), v);
        }
    }
    Ok(value_of(rows))
}

/// The table with one more row: the last value, from the year after the last date.
pub fn add_row(current: Option<&toml::Value>) -> toml::Value {
    let mut rows = rows_of(current);
    let mut next = rows.last().cloned().unwrap_or_default();
    let year = next.get("from").and_then(|f| match f {
        toml::Value::Integer(y) => Some(*y),
        toml::Value::String(s) => s.get(..4).and_then(|y| y.parse().ok()),
        _ => None,
    });
    let from = format!("{}-01", year.map_or(2026, |y| y + 1));
    next.insert("from".into(), toml::Value::String(from));
    rows.push(next);
    value_of(rows)
}

/// The table without row `index`.
pub fn remove_row(current: Option<&toml::Value>, index: usize) -> toml::Value {
    let mut rows = rows_of(current);
    if index < rows.len() && rows.len() > 1 {
        rows.remove(index);
    }
    value_of(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_value_becomes_a_table_and_back() {
        let share = Allowed::Number {
            min: Some(0.0),
            max: Some(1.0),
        };
        let v = toml::Value::Float(0.16);
        let two = add_row(Some(&v));
        let e = entries(Some(&two));
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].from, "2026-01");
        let changed = set_cell(Lang::En, Some(&two), &share, 1, Col::Value, "0.14").unwrap();
        assert_eq!(entries(Some(&changed))[1].value, "0.14");
        assert!(set_cell(Lang::En, Some(&two), &share, 1, Col::Value, "2").is_err());
        let back = remove_row(Some(&changed), 1);
        assert_eq!(back, toml::Value::Float(0.16));
    }
}

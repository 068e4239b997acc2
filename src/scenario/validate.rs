//! Checks of the merged document against the catalog, before and after deserialisation: unknown
//! keys (with a did-you-mean), value types and ranges from each key's [`Allowed`], the shape of
//! dated tables, and region names used by dated entries. Checking types here rather than
//! relying on serde lets every problem be reported at once, each at the place it was written.

use super::catalog::{Allowed, KeyDoc};
use super::dated::Dated;
use super::error::Diagnostic;
use super::schema::{unknown_key_message, Node, DATED_ENTRY_KEYS};
use super::source::{child_path, item_path, Origins};
use crate::time::YearMonth;
use std::collections::BTreeMap;

/// The scenario's `name` names its run folder (`<name>-seed<seed>`), so it must be one safe
/// path component: `../x`, `/tmp/x` or `.hidden` would write a run outside its folder.
pub fn check_name(name: &str, out: &mut Vec<super::Issue>) {
    if let Some(why) = crate::output::component_problem(name) {
        out.push(super::Issue::new("name", format!("expected {why}")));
    }
}

/// What the catalog walk found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Problems that make deserialisation meaningless (unknown keys, wrong types).
    pub blocking: Vec<Diagnostic>,
    /// Problems of values that still deserialise (ranges, dated-table structure).
    pub other: Vec<Diagnostic>,
}

/// Walks `doc` against the shape `root` (derived from `docs`).
pub fn check_document(
    root: &Node,
    doc: &toml::Table,
    docs: &[KeyDoc],
    origins: &Origins,
) -> Findings {
    let mut w = Walker {
        docs,
        origins,
        found: Findings::default(),
    };
    if let Node::Table(children) = root {
        w.table(children, doc, "");
    }
    w.found
}

/// A value as TOML, shortened for messages.
pub fn show(v: &toml::Value) -> String {
    let s = v.to_string();
    if s.chars().count() <= 60 {
        return s;
    }
    let head: String = s.chars().take(57).collect();
    format!("{head}...")
}

/// What a key expects, for messages: "expected a number 0 to 1".
pub fn expectation(allowed: &Allowed) -> String {
    let d = allowed.describe();
    match allowed {
        Allowed::Number {
            min: None,
            max: None,
        }
        | Allowed::Integer {
            min: None,
            max: None,
        } => {
            format!("expected {d}")
        }
        Allowed::Number { .. } => format!("expected a number {d}"),
        Allowed::Integer { .. } => format!("expected a {d}"),
        _ => format!("expected {d}"),
    }
}

/// Why `v` is not allowed, if it is not.
pub fn value_problem(allowed: &Allowed, v: &toml::Value) -> Option<String> {
    use toml::Value as V;
    let ok = match (allowed, v) {
        (Allowed::Number { .. }, V::Float(x)) => allowed.admits_number(*x),
        (Allowed::Number { .. } | Allowed::Integer { .. }, V::Integer(i)) => {
            allowed.admits_number(*i as f64)
        }
        (Allowed::OneOf(words), V::String(s)) => words.contains(&s.as_str()),
        (Allowed::Month, _) => return month_problem(v),
        (Allowed::Text, V::String(_))
        | (Allowed::Bool, V::Boolean(_))
        | (Allowed::Structured, _) => true,
        _ => false,
    };
    (!ok).then(|| expectation(allowed))
}

/// Why `v` is not a month ("YYYY-MM" or a bare year), if it is not.
fn month_problem(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => YearMonth::parse(s).err(),
        toml::Value::Integer(y) => {
            let ok = i32::try_from(*y)
                .ok()
                .and_then(|y| YearMonth::new(y, 1))
                .is_some();
            (!ok).then(|| format!("year {y} is outside 1000..=9999"))
        }
        _ => Some("expected a month YYYY-MM (or a year)".into()),
    }
}

struct Walker<'a> {
    docs: &'a [KeyDoc],
    origins: &'a Origins,
    found: Findings,
}

impl Walker<'_> {
    fn blocking(&mut self, path: &str, v: Option<&toml::Value>, message: impl Into<String>) {
        let d = self.origins.diagnose(path, v.map(show), message);
        self.found.blocking.push(d);
    }

    fn other(&mut self, path: &str, v: Option<&toml::Value>, message: impl Into<String>) {
        let d = self.origins.diagnose(path, v.map(show), message);
        self.found.other.push(d);
    }

    fn table(&mut self, children: &BTreeMap<String, Node>, t: &toml::Table, path: &str) {
        for (k, v) in t {
            let p = child_path(path, k);
            match children.get(k) {
                Some(node) => self.node(node, v, &p),
                None => {
                    let siblings: Vec<&str> = children.keys().map(String::as_str).collect();
                    let message = unknown_key_message(k, &siblings, self.docs);
                    self.blocking(&p, None, message);
                }
            }
        }
    }

    fn node(&mut self, node: &Node, v: &toml::Value, path: &str) {
        match (node, v) {
            (Node::Table(children), toml::Value::Table(t)) => self.table(children, t, path),
            (Node::Table(_), _) => self.blocking(path, Some(v), "expected a table of keys"),
            (Node::List(inner), toml::Value::Array(items)) => {
                for (i, x) in items.iter().enumerate() {
                    self.node(inner, x, &item_path(path, i));
                }
            }
            (Node::List(_), _) => self.blocking(path, Some(v), "expected a list"),
            (Node::Leaf(doc), _) => self.leaf(doc, v, path),
        }
    }

    fn leaf(&mut self, doc: &KeyDoc, v: &toml::Value, path: &str) {
        if let (true, toml::Value::Array(items)) = (doc.dated, v) {
            if is_entry_list(&doc.allowed, items) {
                return self.dated(doc, items, path);
            }
        }
        if let Some(message) = value_problem(&doc.allowed, v) {
            let ranged = matches!(
                doc.allowed,
                Allowed::Number { .. } | Allowed::Integer { .. }
            ) && matches!(v, toml::Value::Integer(_) | toml::Value::Float(_));
            if ranged {
                self.other(path, Some(v), message);
            } else {
                self.blocking(path, Some(v), message);
            }
        }
    }

    fn dated(&mut self, doc: &KeyDoc, items: &[toml::Value], path: &str) {
        if items.is_empty() {
            let empty = toml::Value::Array(Vec::new());
            return self.blocking(path, Some(&empty), "a dated table needs at least one entry");
        }
        let before = (self.found.blocking.len(), self.found.other.len());
        for (i, item) in items.iter().enumerate() {
            self.entry(doc, item, &item_path(path, i));
        }
        if before == (self.found.blocking.len(), self.found.other.len()) {
            let table: Result<Dated<toml::Value>, _> =
                toml::Value::Array(items.to_vec()).try_into();
            for p in table.map(|t| t.structural_problems()).unwrap_or_default() {
                self.other(path, None, p);
            }
        }
    }

    fn entry(&mut self, doc: &KeyDoc, item: &toml::Value, path: &str) {
        let toml::Value::Table(t) = item else {
            let hint = "expected a dated entry like { from = \"2025-01\", value = ... }";
            return self.blocking(path, Some(item), hint);
        };
        for k in t.keys().filter(|k| !DATED_ENTRY_KEYS.contains(&k.as_str())) {
            let message = unknown_key_message(k, DATED_ENTRY_KEYS, &[]);
            self.blocking(&child_path(path, k), None, message);
        }
        if let Some(v) = t.get("from") {
            if let Some(message) = month_problem(v) {
                self.blocking(&child_path(path, "from"), Some(v), message);
            }
        }
        if let Some(v) = t.get("region").filter(|v| !v.is_str()) {
            self.blocking(
                &child_path(path, "region"),
                Some(v),
                "expected a region name",
            );
        }
        match t.get("value") {
            Some(v) => self.leaf(
                &KeyDoc {
                    dated: false,
                    ..doc.clone()
                },
                v,
                &child_path(path, "value"),
            ),
            None => self.blocking(path, None, "a dated entry needs a `value`"),
        }
    }
}

/// Whether an array at a dated key is a list of entries rather than one value. For keys whose
/// value is itself structured, this mirrors `Dated`'s deserialiser; for scalar keys any array
/// is meant as entries.
fn is_entry_list(allowed: &Allowed, items: &[toml::Value]) -> bool {
    if !matches!(allowed, Allowed::Structured) {
        return true;
    }
    !items.is_empty()
        && items
            .iter()
            .all(|i| i.as_table().is_some_and(|t| t.contains_key("value")))
}

/// Every `region = "..."` of a dated entry anywhere in `doc` that names no `[[regions]]`.
/// Only entries written in a file or an override count: the defaults may carry entries for
/// provinces a scenario does not simulate, and those entries are simply never used.
pub fn region_references(doc: &toml::Table, origins: &Origins) -> Vec<Diagnostic> {
    let names: Vec<&str> = doc
        .get("regions")
        .and_then(toml::Value::as_array)
        .map(|rs| rs.iter().filter_map(|r| r.get("name")?.as_str()).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (k, v) in doc {
        find_regions(v, k, &names, origins, &mut out);
    }
    out
}

fn find_regions(
    v: &toml::Value,
    path: &str,
    names: &[&str],
    origins: &Origins,
    out: &mut Vec<Diagnostic>,
) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                find_regions(x, &child_path(path, k), names, origins, out);
            }
        }
        toml::Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let p = item_path(path, i);
                let r = child_path(&p, "region");
                let written = [path, &p, &r].iter().any(|k| origins.get(k).is_some());
                // Entries for a province of the regional rule table that the scenario does
                // not simulate are never used, and a resolved scenario carries them.
                let known = |r: &str| {
                    names.contains(&r)
                        || crate::insurance::regions::RuleTable::builtin()
                            .region(r)
                            .is_some()
                };
                if let Some(region) = dated_entry_region(x).filter(|r| written && !known(r)) {
                    let message = format!(
                        "unknown region `{region}`; the regions are {}",
                        names.join(", ")
                    );
                    out.push(origins.diagnose(&r, Some(show(&region.into())), message));
                }
                find_regions(x, &p, names, origins, out);
            }
        }
        _ => {}
    }
}

fn dated_entry_region(v: &toml::Value) -> Option<&str> {
    let t = v.as_table()?;
    t.contains_key("value").then_some(())?;
    t.get("region")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_problems_follow_allowed() {
        let share = Allowed::unit_interval();
        assert_eq!(value_problem(&share, &toml::Value::Float(0.5)), None);
        assert_eq!(value_problem(&share, &toml::Value::Integer(1)), None);
        assert_eq!(
            value_problem(&share, &1.5.into()).as_deref(),
            Some("expected a number 0 to 1")
        );
        assert_eq!(
            value_problem(&share, &"high".into()).as_deref(),
            Some("expected a number 0 to 1")
        );
        let whole = Allowed::integer(1, 12);
        assert_eq!(
            value_problem(&whole, &3.0.into()).as_deref(),
            Some("expected a whole number 1 to 12")
        );
        assert_eq!(
            value_problem(&Allowed::Month, &"2025-13".into()).map(|m| m.contains("month")),
            Some(true)
        );
        assert_eq!(value_problem(&Allowed::Month, &2025.into()), None);
        assert_eq!(
            value_problem(&Allowed::Bool, &"yes".into()).as_deref(),
            Some("expected true or false")
        );
        assert_eq!(
            value_problem(
                &Allowed::Number {
                    min: None,
                    max: None
                },
                &f64::NAN.into()
            )
            .as_deref(),
            Some("expected any number")
        );
    }

    #[test]
    fn long_values_are_shortened() {
        let long = toml::Value::String("x".repeat(200));
        assert_eq!(show(&long).chars().count(), 60);
    }
}

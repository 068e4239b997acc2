//! The editor's form, derived from the core's key catalog (`Scenario::key_docs()`): which rows
//! to show, under which section, and which widget each takes. Nothing about a key is written
//! here; list keys (`universities[].region`) are expanded to the items the scenario has.

use crate::document::lookup;
use sisandbox::scenario::{Allowed, KeyDoc, Scenario};

/// How a row is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Editor {
    Number,
    Integer,
    Bool,
    Choice,
    Text,
    /// Dated tables, lists and other structured values: inline TOML.
    Toml,
}

/// One editable key of the current scenario.
#[derive(Clone, Debug)]
pub struct Row {
    /// Concrete key path, indices filled in (`universities[1].region`).
    pub path: String,
    /// Index into the catalog.
    pub doc: usize,
    pub editor: Editor,
}

/// A group of rows: `careers`, or `insurance` › `pension`.
#[derive(Clone, Debug)]
pub struct Section {
    pub name: String,
    pub subsections: Vec<(String, Vec<Row>)>,
}

/// The catalog, once.
pub fn key_docs() -> &'static [KeyDoc] {
    static DOCS: std::sync::OnceLock<Vec<KeyDoc>> = std::sync::OnceLock::new();
    DOCS.get_or_init(Scenario::key_docs)
}

pub fn editor_of(doc: &KeyDoc) -> Editor {
    if doc.dated {
        return Editor::Toml;
    }
    match doc.allowed {
        Allowed::Number { .. } => Editor::Number,
        Allowed::Integer { .. } => Editor::Integer,
        Allowed::Bool => Editor::Bool,
        Allowed::OneOf(_) => Editor::Choice,
        Allowed::Month | Allowed::Text => Editor::Text,
        Allowed::Structured => Editor::Toml,
    }
}

/// The rows of the form for a resolved scenario (`effective`), grouped like docs/SCENARIOS.md:
/// by first key segment, and `insurance` further by its second.
pub fn sections(effective: &toml::Table) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (i, d) in key_docs().iter().enumerate() {
        let segs: Vec<&str> = d.path.split('.').collect();
        let (section, sub) = match segs.as_slice() {
            [_] => ("", ""),
            [first, second, _, ..] if *first == "insurance" => (*first, *second),
            [first, ..] => (first.trim_end_matches("[]"), ""),
            [] => continue,
        };
        let rows = expand(&d.path, effective).into_iter().map(|path| Row {
            path,
            doc: i,
            editor: editor_of(d),
        });
        let sec = match out.iter_mut().position(|s| s.name == section) {
            Some(p) => &mut out[p],
            None => {
                out.push(Section {
                    name: section.to_string(),
                    subsections: Vec::new(),
                });
                out.last_mut().expect("just pushed")
            }
        };
        match sec.subsections.iter_mut().find(|(n, _)| n == sub) {
            Some((_, v)) => v.extend(rows),
            None => sec.subsections.push((sub.to_string(), rows.collect())),
        }
    }
    out
}

/// `a[].b` → `a[0].b`, `a[1].b`, … for the items the scenario has; other paths as they are.
/// Keys the scenario leaves unset (such as `extends`) are kept so they can be written.
pub fn expand(path: &str, effective: &toml::Table) -> Vec<String> {
    let Some(pos) = path.find("[]") else {
        return vec![path.to_string()];
    };
    let list = &path[..pos];
    let n = lookup(effective, list)
        .and_then(toml::Value::as_array)
        .map_or(0, Vec::len);
    (0..n)
        .flat_map(|i| expand(&format!("{list}[{i}]{}", &path[pos + 2..]), effective))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effective() -> toml::Table {
        match toml::Value::try_from(Scenario::default()).unwrap() {
            toml::Value::Table(t) => t,
            _ => unreachable!(),
        }
    }

    #[test]
    fn list_keys_expand_to_the_items() {
        let e = effective();
        let n = Scenario::default().universities.len();
        assert_eq!(expand("universities[].region", &e).len(), n);
        assert_eq!(
            expand("universities[].region", &e)[0],
            "universities[0].region"
        );
        assert_eq!(expand("careers.wage_growth", &e), ["careers.wage_growth"]);
    }

    #[test]
    fn sections_follow_the_catalog() {
        let s = sections(&effective());
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names[0], "");
        for want in [
            "simulation",
            "regions",
            "universities",
            "careers",
            "insurance",
        ] {
            assert!(names.contains(&want), "{names:?}");
        }
        let ins = s.iter().find(|s| s.name == "insurance").unwrap();
        assert!(ins.subsections.iter().any(|(n, _)| n == "pension"));
        let rows: usize = s
            .iter()
            .flat_map(|s| &s.subsections)
            .map(|(_, r)| r.len())
            .sum();
        assert!(rows >= key_docs().len() - 2, "{rows}");
    }
}

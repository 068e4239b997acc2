//! The shape of a scenario, derived from the key catalog rather than written by hand: a tree of
//! tables, lists and documented leaves. Sections added to the catalog are known to the loader
//! (unknown keys, `--set` paths, docs) without any change here.

use super::catalog::{Allowed, KeyDoc};
use std::collections::BTreeMap;

/// The keys allowed inside a dated entry (see `scenario::dated`).
pub const DATED_ENTRY_KEYS: &[&str] = &["from", "region", "value"];

/// One level of the scenario's shape.
#[derive(Clone, Debug)]
pub enum Node {
    /// A table with these keys.
    Table(BTreeMap<String, Node>),
    /// A list whose items all have this shape (`regions[]`).
    List(Box<Node>),
    /// A documented value.
    Leaf(Box<KeyDoc>),
}

impl Node {
    /// The shape described by a catalog (paths from the scenario root).
    pub fn from_docs(docs: &[KeyDoc]) -> Node {
        let mut root = Node::Table(BTreeMap::new());
        for doc in docs {
            let segments: Vec<&str> = doc.path.split('.').collect();
            root.insert(&segments, doc);
        }
        root
    }

    /// The shape of the whole scenario.
    pub fn scenario() -> Node {
        Node::from_docs(&super::Scenario::key_docs())
    }

    fn insert(&mut self, segments: &[&str], doc: &KeyDoc) {
        let Node::Table(children) = self else { return };
        let Some((first, rest)) = segments.split_first() else {
            return;
        };
        let (name, is_list) = match first.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (*first, false),
        };
        let wanted_table = !rest.is_empty();
        let slot = children
            .entry(name.to_string())
            .or_insert_with(|| Node::empty(is_list, wanted_table));
        let target = match slot {
            Node::List(inner) => inner.as_mut(),
            other => other,
        };
        if wanted_table {
            if matches!(target, Node::Leaf(_)) {
                *target = Node::Table(BTreeMap::new());
            }
            target.insert(rest, doc);
        } else if !matches!(target, Node::Table(_)) {
            *target = Node::Leaf(Box::new(doc.clone()));
        }
    }

    fn empty(is_list: bool, table: bool) -> Node {
        let inner = if table {
            Node::Table(BTreeMap::new())
        } else {
            Node::Leaf(Box::new(KeyDoc::new("", "", Allowed::Structured, "")))
        };
        if is_list {
            Node::List(Box::new(inner))
        } else {
            inner
        }
    }

    /// The child key names of a table node.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            Node::Table(c) => c.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// "did you mean" for a mistyped key: the closest of `candidates` when close enough.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The message for an unknown key `name` among `siblings`: a close sibling, else a key of that
/// name elsewhere in the catalog, else the list of allowed keys.
pub fn unknown_key_message(name: &str, siblings: &[&str], docs: &[KeyDoc]) -> String {
    if let Some(c) = closest(name, siblings.iter().copied()) {
        return format!("unknown key `{name}`; did you mean `{c}`?");
    }
    let suffix = format!(".{name}");
    let elsewhere = docs
        .iter()
        .map(|d| d.path.as_str())
        .find(|p| p.ends_with(&suffix));
    if let Some(p) = elsewhere {
        return format!("unknown key `{name}` here; did you mean `{p}`?");
    }
    if siblings.is_empty() {
        return format!("unknown key `{name}`: nothing can be set below this key");
    }
    format!(
        "unknown key `{name}`; the keys here are {}",
        siblings.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<KeyDoc> {
        ["a.b", "a.c[].d", "e[].f.g", "h"]
            .iter()
            .map(|p| KeyDoc::new(p, "", Allowed::Text, ""))
            .collect()
    }

    #[test]
    fn tree_has_tables_lists_and_leaves() {
        let root = Node::from_docs(&docs());
        assert_eq!(root.keys(), ["a", "e", "h"]);
        let Node::Table(top) = &root else { panic!() };
        assert_eq!(top["a"].keys(), ["b", "c"]);
        assert!(matches!(&top["e"], Node::List(inner) if inner.keys() == ["f"]));
        assert!(matches!(&top["h"], Node::Leaf(d) if d.path == "h"));
    }

    #[test]
    fn unknown_keys_get_a_useful_hint() {
        let d = docs();
        assert_eq!(
            unknown_key_message("agnets", &["agents", "seed"], &d),
            "unknown key `agnets`; did you mean `agents`?"
        );
        assert_eq!(
            unknown_key_message("g", &["x"], &d),
            "unknown key `g` here; did you mean `e[].f.g`?"
        );
        assert_eq!(
            unknown_key_message("zzz", &["x", "y"], &d),
            "unknown key `zzz`; the keys here are x, y"
        );
    }
}

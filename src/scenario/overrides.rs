//! `--set KEY=VALUE` overrides, applied to the merged document after all files. The key path is
//! checked against the catalog's shape first so a typo gets a did-you-mean instead of silently
//! adding a key; the value is then checked with everything else by the catalog walk.

use super::catalog::KeyDoc;
use super::error::Diagnostic;
use super::schema::{unknown_key_message, Node, DATED_ENTRY_KEYS};
use super::source::{child_path, item_path, Origin, Origins};

/// One step of a key path.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Applies one override to `doc`, recording its origin. Errors name the override text.
pub fn apply(
    doc: &mut toml::Table,
    origins: &mut Origins,
    root: &Node,
    docs: &[KeyDoc],
    text: &str,
) -> Result<(), Box<Diagnostic>> {
    let fail = |key: Option<&str>, message: String| {
        let d = Diagnostic::new(message).from_origin(format!("--set {text}"));
        Box::new(match key {
            Some(k) => d.with_key(k),
            None => d,
        })
    };
    let Some((key, value)) = text.split_once('=') else {
        return Err(fail(
            None,
            "expected KEY=VALUE, e.g. simulation.agents=5000".into(),
        ));
    };
    let key = key.trim();
    let path = parse_path(key).map_err(|m| fail(Some(key), m))?;
    check_path(root, docs, &path).map_err(|m| fail(Some(key), m))?;
    set(doc, &path, parse_value(value.trim())).map_err(|m| fail(Some(key), m))?;
    origins.set_subtree(&canonical(&path), Origin::Set(text.to_string()));
    Ok(())
}

/// A value as TOML (`5000`, `0.03`, `"beijing"`, `[1, 2]`); text that is not valid TOML is
/// taken as a string, so `--set universities[0].region=beijing` works without quotes.
pub fn parse_value(s: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {s}"))
        .ok()
        .filter(|t| t.len() == 1)
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(s.to_string()))
}

/// Parses `a.b[2].c` into segments.
pub fn parse_path(key: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for part in key.split('.') {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if name.is_empty() {
            return Err(format!(
                "`{key}` is not a key path: expected names like a.b[0].c"
            ));
        }
        out.push(Segment::Key(name.to_string()));
        while !rest.is_empty() {
            let index = rest
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .and_then(|(n, r)| Some((n.parse::<usize>().ok()?, r)));
            let Some((i, r)) = index else {
                return Err(format!(
                    "`{key}` is not a key path: indices are written [0], [1], ..."
                ));
            };
            out.push(Segment::Index(i));
            rest = r;
        }
    }
    Ok(out)
}

/// The path as written in messages and origin maps: `a.b[2].c`.
pub fn canonical(path: &[Segment]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Segment::Key(k) if out.is_empty() => out.push_str(k),
            Segment::Key(k) => out.push_str(&format!(".{k}")),
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Where a path walk stands in the catalog's shape.
enum At<'a> {
    Node(&'a Node),
    /// An item of a dated table: `from`, `region` or `value` follow.
    Entry,
    /// Inside a structured value: anything goes (its value is checked as a whole).
    Free,
}

/// Checks that every step of the path exists in the catalog.
fn check_path(root: &Node, docs: &[KeyDoc], path: &[Segment]) -> Result<(), String> {
    let mut at = At::Node(root);
    for (i, seg) in path.iter().enumerate() {
        at = step(at, seg, &canonical(&path[..i]), docs)?;
    }
    Ok(())
}

fn step<'a>(at: At<'a>, seg: &Segment, before: &str, docs: &[KeyDoc]) -> Result<At<'a>, String> {
    use Segment::{Index, Key};
    match (at, seg) {
        (At::Node(Node::Table(children)), Key(k)) => {
            children.get(k).map(At::Node).ok_or_else(|| {
                let siblings: Vec<&str> = children.keys().map(String::as_str).collect();
                unknown_key_message(k, &siblings, docs)
            })
        }
        (At::Node(Node::List(inner)), Index(_)) => Ok(At::Node(inner)),
        (At::Node(Node::List(_)), Key(k)) => {
            Err(format!("`{before}` is a list: write `{before}[0].{k}`"))
        }
        (At::Node(Node::Leaf(doc)), Index(_)) if doc.dated => Ok(At::Entry),
        (At::Node(Node::Leaf(doc)), _) if matches!(doc.allowed, super::Allowed::Structured) => {
            Ok(At::Free)
        }
        (At::Entry, Key(k)) if DATED_ENTRY_KEYS.contains(&k.as_str()) => Ok(At::Free),
        (At::Entry, Key(k)) => Err(unknown_key_message(k, DATED_ENTRY_KEYS, &[])),
        (At::Free, _) => Ok(At::Free),
        (_, Index(_)) => Err(format!("`{before}` is not a list")),
        (_, Key(_)) => Err(format!(
            "`{before}` is a single value with no keys below it"
        )),
    }
}

/// Writes `value` at `path`, creating missing tables; indices must exist.
fn set(doc: &mut toml::Table, path: &[Segment], value: toml::Value) -> Result<(), String> {
    let mut root = toml::Value::Table(std::mem::take(doc));
    let result = set_in(&mut root, path, value, "");
    if let toml::Value::Table(t) = root {
        *doc = t;
    }
    result
}

fn set_in(
    v: &mut toml::Value,
    path: &[Segment],
    value: toml::Value,
    before: &str,
) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        *v = value;
        return Ok(());
    };
    let here = &match first {
        Segment::Key(k) => child_path(before, k),
        Segment::Index(i) => item_path(before, *i),
    };
    match (v, first) {
        (toml::Value::Table(t), Segment::Key(k)) => {
            let child = t
                .entry(k.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            set_in(child, rest, value, here)
        }
        (toml::Value::Array(items), Segment::Index(i)) => {
            let len = items.len();
            let item = items.get_mut(*i).ok_or_else(|| {
                let s = if len == 1 { "" } else { "s" };
                format!("index {i} is out of range: `{before}` has {len} item{s}")
            })?;
            set_in(item, rest, value, here)
        }
        (_, Segment::Index(_)) => Err(format!("`{before}` is not a list here")),
        (_, Segment::Key(_)) => Err(format!("`{before}` is not a table here")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_and_print_back() {
        let p = parse_path("universities[0].region").unwrap();
        assert_eq!(
            p,
            [
                Segment::Key("universities".into()),
                Segment::Index(0),
                Segment::Key("region".into())
            ]
        );
        assert_eq!(canonical(&p), "universities[0].region");
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[x]").is_err());
        assert!(parse_path("a[1").is_err());
    }

    #[test]
    fn values_are_toml_or_else_strings() {
        assert_eq!(parse_value("5000"), toml::Value::Integer(5000));
        assert_eq!(parse_value("0.03"), toml::Value::Float(0.03));
        assert_eq!(
            parse_value("\"beijing\""),
            toml::Value::String("beijing".into())
        );
        assert_eq!(
            parse_value("beijing"),
            toml::Value::String("beijing".into())
        );
        assert_eq!(
            parse_value("1\nx = 2"),
            toml::Value::String("1\nx = 2".into())
        );
    }

    #[test]
    fn set_creates_tables_and_reports_out_of_range_indices() {
        let mut doc: toml::Table = toml::from_str("a = [{ b = 1 }]").unwrap();
        set(&mut doc, &parse_path("a[0].b").unwrap(), 2.into()).unwrap();
        set(&mut doc, &parse_path("c.d").unwrap(), 3.into()).unwrap();
        assert_eq!(doc["a"][0]["b"].as_integer(), Some(2));
        assert_eq!(doc["c"]["d"].as_integer(), Some(3));
        let e = set(&mut doc, &parse_path("a[3].b").unwrap(), 2.into()).unwrap_err();
        assert_eq!(e, "index 3 is out of range: `a` has 1 item");
    }
}

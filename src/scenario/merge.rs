//! Overlaying one scenario document on another (`extends`, and every file over the embedded
//! default): tables merge key by key, lists and values are replaced whole. Replacing lists
//! whole keeps the meaning of a list (the regions of a scenario, the rungs of a ladder) in the
//! file that wrote it, instead of splicing items.
//!
//! A list can also be changed item by item: a table whose keys are item indices, written where
//! the base has a list, overlays those items and keeps the rest
//! (`careers.academic.0.base_wage = 9000`, or `[careers.academic.0]` with `base_wage = 9000`,
//! changes the first rung's base wage only). An item that is a table merges key by key like
//! any table; any other item is replaced. An index outside the list, or a key that is not an
//! index beside ones that are, is an error naming the key as written.

use super::error::Diagnostic;
use super::source::{child_path, item_path, Origins};

/// Writes `top` over `base`, and the origins of what `top` wrote over `base_origins`. Returns
/// the problems of item overlays (an index outside its list); the rest is merged regardless.
pub fn overlay(
    base: &mut toml::Table,
    base_origins: &mut Origins,
    top: toml::Table,
    top_origins: &Origins,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut m = Merge {
        origins: base_origins,
        top_origins,
        problems: &mut problems,
    };
    m.tables(base, top, "", "");
    problems
}

/// The state of one overlay. Paths are followed twice: as the base knows them
/// (`careers.academic[0].base_wage`) and as the top file wrote them
/// (`careers.academic.0.base_wage`), which differ below an item overlay.
struct Merge<'a> {
    origins: &'a mut Origins,
    top_origins: &'a Origins,
    problems: &'a mut Vec<Diagnostic>,
}

/// Whether a key names a list item (`0`, `12`; `-1` too, so that it is refused by name).
fn index_like(key: &str) -> bool {
    let digits = key.strip_prefix('-').unwrap_or(key);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a table written over a list overlays its items: it has at least one index key.
fn is_item_overlay(t: &toml::Table) -> bool {
    t.keys().any(|k| index_like(k))
}

impl Merge<'_> {
    fn tables(&mut self, base: &mut toml::Table, top: toml::Table, bpath: &str, tpath: &str) {
        for (k, v) in top {
            let bp = child_path(bpath, &k);
            let tp = child_path(tpath, &k);
            match (base.get_mut(&k), v) {
                (Some(toml::Value::Table(b)), toml::Value::Table(t)) => {
                    if let Some(o) = self.top_origins.get(&tp) {
                        self.origins.insert(bp.clone(), o.clone());
                    }
                    self.tables(b, t, &bp, &tp);
                }
                (Some(toml::Value::Array(items)), toml::Value::Table(t)) if is_item_overlay(&t) => {
                    self.items(items, t, &bp, &tp);
                }
                (_, v) => {
                    base.insert(k, v);
                    self.origins
                        .replace_subtree_from(&bp, self.top_origins, &tp);
                }
            }
        }
    }

    fn items(&mut self, items: &mut [toml::Value], top: toml::Table, bpath: &str, tpath: &str) {
        let len = items.len();
        for (k, v) in top {
            let tp = child_path(tpath, &k);
            let index = k.parse::<usize>().ok().filter(|i| i.to_string() == k);
            let Some(i) = index.filter(|&i| i < len) else {
                let range = match len {
                    0 => "it has no items".to_string(),
                    1 => "its only item is 0".to_string(),
                    n => format!("its items are 0 to {}", n - 1),
                };
                let what = if index.is_some() {
                    format!("no item {k} in the list `{bpath}`")
                } else if index_like(&k) {
                    format!(
                        "`{k}` is not an item index of the list `{bpath}` (write it as 0, 1, 2, …)"
                    )
                } else {
                    format!(
                        "`{k}` is not an item index; a table written over the list `{bpath}` changes the items it names by index"
                    )
                };
                self.problems.push(self.top_origins.diagnose(
                    &tp,
                    None,
                    format!("{what}: {range}"),
                ));
                continue;
            };
            let bp = item_path(bpath, i);
            match (&mut items[i], v) {
                (toml::Value::Table(b), toml::Value::Table(t)) => {
                    if let Some(o) = self.top_origins.get(&tp) {
                        self.origins.insert(bp.clone(), o.clone());
                    }
                    self.tables(b, t, &bp, &tp);
                }
                (toml::Value::Array(inner), toml::Value::Table(t)) if is_item_overlay(&t) => {
                    self.items(inner, t, &bp, &tp);
                }
                (slot, v) => {
                    *slot = v;
                    self.origins
                        .replace_subtree_from(&bp, self.top_origins, &tp);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::source::{parse_file, Origin, SourceFile};

    fn parse(name: &str, text: &str) -> (toml::Table, Origins) {
        parse_file(&SourceFile {
            path: name.into(),
            text: text.into(),
        })
        .unwrap()
    }

    #[test]
    fn tables_merge_and_lists_are_replaced() {
        let (mut base, mut bo) = parse("base.toml", "[a]\nx = 1\ny = [1, 2, 3]\n[b]\nz = 1\n");
        let (top, to) = parse("top.toml", "a.y = [9]\n");
        assert!(overlay(&mut base, &mut bo, top, &to).is_empty());
        assert_eq!(base["a"]["x"].as_integer(), Some(1));
        assert_eq!(base["a"]["y"].as_array().map(Vec::len), Some(1));
        assert_eq!(base["b"]["z"].as_integer(), Some(1));
        let file = |o: Option<&Origin>| match o {
            Some(Origin::File { path, .. }) => path.display().to_string(),
            _ => String::new(),
        };
        assert_eq!(file(bo.get("a.y")), "top.toml");
        assert_eq!(file(bo.get("a.y[0]")), "top.toml");
        assert!(
            bo.get("a.y[2]").is_none(),
            "origins of the replaced list are gone"
        );
        assert_eq!(file(bo.get("a.x")), "base.toml");
    }

    #[test]
    fn a_table_of_indices_over_a_list_changes_only_those_items() {
        let (mut base, mut bo) = parse(
            "base.toml",
            "[[r]]\nw = 1\nn = \"a\"\n[[r]]\nw = 2\nn = \"b\"\n[a]\ny = [1, 2, 3]\n",
        );
        let (top, to) = parse("top.toml", "a.y.2 = 9\n\n[r.1]\nw = 20\n");
        assert!(overlay(&mut base, &mut bo, top, &to).is_empty());
        let r = base["r"].as_array().unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0]["w"].as_integer(), Some(1));
        assert_eq!(r[1]["w"].as_integer(), Some(20));
        assert_eq!(r[1]["n"].as_str(), Some("b"), "the item's other keys stay");
        let y: Vec<i64> = base["a"]["y"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(toml::Value::as_integer)
            .collect();
        assert_eq!(y, vec![1, 2, 9]);
        // Origins follow the base's paths, located where the top file wrote them.
        let at = |p: &str| match bo.get(p) {
            Some(Origin::File { path, line, .. }) => format!("{}:{line}", path.display()),
            _ => String::new(),
        };
        assert_eq!(at("r[1].w"), "top.toml:4");
        assert_eq!(at("a.y[2]"), "top.toml:1");
        assert_eq!(at("r[0].w"), "base.toml:2");
    }

    #[test]
    fn a_bad_index_names_the_key_as_written() {
        for (text, key, want) in [
            (
                "[r.5]\nw = 1\n",
                "r.5",
                "no item 5 in the list `r`: its items are 0 to 1",
            ),
            ("r.01.w = 1\n", "r.01", "`01` is not an item index"),
            ("r.-1.w = 1\n", "r.-1", "`-1` is not an item index"),
            (
                "[r.0]\nw = 1\n[r.x]\nw = 1\n",
                "r.x",
                "`x` is not an item index",
            ),
        ] {
            let (mut base, mut bo) = parse("base.toml", "[[r]]\nw = 1\n[[r]]\nw = 2\n");
            let (top, to) = parse("top.toml", text);
            let problems = overlay(&mut base, &mut bo, top, &to);
            assert_eq!(problems.len(), 1, "{text}: {problems:?}");
            let d = &problems[0];
            assert_eq!(d.key.as_deref(), Some(key), "{text}");
            assert!(d.message.contains(want), "{text}: {}", d.message);
            assert_eq!(d.file.as_deref(), Some(std::path::Path::new("top.toml")));
            assert!(d.line.is_some(), "{text}: located");
        }
    }

    #[test]
    fn a_table_without_indices_still_replaces_a_list() {
        let (mut base, mut bo) = parse("base.toml", "[a]\ny = [1, 2]\n");
        let (top, to) = parse("top.toml", "[a.y]\nz = 1\n");
        assert!(overlay(&mut base, &mut bo, top, &to).is_empty());
        assert!(base["a"]["y"].is_table(), "left for the checks to refuse");
    }
}

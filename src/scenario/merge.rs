//! Overlaying one scenario document on another (`extends`): tables merge key by key, lists and
//! values are replaced whole. Replacing lists whole keeps the meaning of a list (the regions of
//! a scenario, the rungs of a ladder) in the file that wrote it, instead of splicing items.

use super::source::{child_path, Origins};

/// Writes `top` over `base`, and the origins of what `top` wrote over `base_origins`.
pub fn overlay(
    base: &mut toml::Table,
    base_origins: &mut Origins,
    top: toml::Table,
    top_origins: &Origins,
) {
    overlay_at(base, base_origins, top, top_origins, "");
}

fn overlay_at(
    base: &mut toml::Table,
    base_origins: &mut Origins,
    top: toml::Table,
    top_origins: &Origins,
    path: &str,
) {
    for (k, v) in top {
        let p = child_path(path, &k);
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(t)) => {
                if let Some(o) = top_origins.get(&p) {
                    base_origins.insert(p.clone(), o.clone());
                }
                overlay_at(b, base_origins, t, top_origins, &p);
            }
            (_, v) => {
                base.insert(k, v);
                base_origins.replace_subtree(&p, top_origins);
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
        overlay(&mut base, &mut bo, top, &to);
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
}

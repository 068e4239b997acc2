//! The lever view's organisation of the key catalog: every key in a group by what it does
//! (the policy levers first, then the rules, then the model's internals), with a plain name
//! and help in the interface's language (texts in [`crate::lever_texts`]), and list items named
//! after what they are (a university, a rung, an age band).

use crate::catalog::{self, editor_of, Row};
use crate::document::lookup;
use crate::i18n::Lang;
use crate::lever_texts::{GROUPS, KEYS, SEGMENTS};
use sisandbox::scenario::KeyDoc;

/// One group of the lever view and its rows, in catalog order.
pub struct Group {
    pub id: &'static str,
    pub rows: Vec<Row>,
}

/// The key path with list indices removed (`universities[2].region` → `universities[].region`).
pub fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

/// The group of a catalog key path.
pub fn group_of(path: &str) -> &'static str {
    const FLOWS: [&str; 6] = [
        "careers.quit_rate",
        "careers.move_share",
        "careers.cross_region_share",
        "careers.conversion",
        "careers.hire",
        "perception.flexible_retirement",
    ];
    let starts = |p: &str| path.starts_with(p);
    if let Some((id, _, _)) = GROUPS
        .iter()
        .find(|(id, _, _)| id.starts_with("policy.") && path.starts_with(id))
    {
        return id;
    }
    match () {
        _ if FLOWS.iter().any(|p| starts(p)) => "flows",
        _ if starts("careers.mortality") => "mortality",
        _ if starts("careers.") => "pay",
        _ if starts("insurance.pension") => "insurance.pension",
        _ if starts("insurance.occupational_annuity") || starts("insurance.enterprise_annuity") => {
            "insurance.annuity"
        }
        _ if starts("insurance.base") => "insurance.base",
        _ if starts("insurance.retirement") || starts("insurance.benefit") => {
            "insurance.retirement"
        }
        _ if starts("insurance.transfer") => "insurance.transfer",
        _ if starts("insurance.") => "insurance.other",
        _ if starts("population") => "population",
        _ if starts("regions") || starts("universities") => "places",
        _ if starts("outcomes") => "outcomes",
        _ if starts("perception") => "perception",
        _ if starts("macro") => "macro",
        _ => "simulation",
    }
}

/// The heading of a group.
pub fn group_name(lang: Lang, id: &str) -> String {
    GROUPS
        .iter()
        .find(|(g, _, _)| *g == id)
        .map_or(id.to_string(), |(_, en, zh)| pick(lang, en, zh).to_string())
}

/// Whether a group holds policy levers (shown open).
pub fn is_lever_group(id: &str) -> bool {
    id.starts_with("policy.") || id == "flows"
}

/// Every group with its rows for the resolved scenario `effective`, in the order of [`GROUPS`].
pub fn groups(effective: &toml::Table) -> Vec<Group> {
    let mut out: Vec<Group> = GROUPS
        .iter()
        .map(|(id, _, _)| Group {
            id,
            rows: Vec::new(),
        })
        .collect();
    for (i, d) in catalog::key_docs().iter().enumerate() {
        let g = group_of(&d.path);
        let Some(group) = out.iter_mut().find(|x| x.id == g) else {
            continue;
        };
        group.rows.extend(
            catalog::expand(&d.path, effective)
                .into_iter()
                .map(|path| Row {
                    path,
                    doc: i,
                    editor: editor_of(d),
                }),
        );
    }
    out.retain(|g| !g.rows.is_empty());
    out
}

fn pick<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

fn segment_name(lang: Lang, seg: &str) -> String {
    let seg = seg.trim_end_matches("[]");
    match SEGMENTS.iter().find(|(s, _, _)| *s == seg) {
        Some((_, en, zh)) => pick(lang, en, zh).to_string(),
        None => seg.replace('_', " "),
    }
}

/// The plain name of a key, with the item it belongs to for list keys
/// ("Base wage — lecturer", "wage level — Peking University").
pub fn name(lang: Lang, path: &str, effective: Option<&toml::Table>) -> String {
    let t = template(path);
    let base = match KEYS.iter().find(|(k, _, _, _)| *k == t) {
        Some((_, en, zh, _)) => pick(lang, en, zh).to_string(),
        None => {
            // The last two segments say what it is (`beta.mean` → "present bias β · mean").
            let segs: Vec<&str> = t.split('.').collect();
            let tail = &segs[segs.len().saturating_sub(2).max(1).min(segs.len() - 1)..];
            let words: Vec<String> = tail.iter().map(|s| segment_name(lang, s)).collect();
            let mut s = words.join(" · ");
            if let Some(first) = s.get(..1) {
                s = first.to_uppercase() + &s[1..];
            }
            s
        }
    };
    match item_name(lang, path, effective) {
        Some(item) => format!("{base} — {item}"),
        None => base,
    }
}

/// What list item a path is in, by name.
fn item_name(lang: Lang, path: &str, effective: Option<&toml::Table>) -> Option<String> {
    let open = path.find('[')?;
    let close = path[open..].find(']')? + open;
    let list = &path[..open];
    let i: usize = path[open + 1..close].parse().ok()?;
    const ACADEMIC_ZH: [&str; 4] = ["助教", "讲师", "副教授", "教授"];
    const ADMIN_ZH: [&str; 4] = ["科员", "科级", "处级", "局级"];
    let rung = |en: &[&str; 4], zh: &[&str; 4]| {
        let k = i.min(3);
        Some(pick(lang, en[k], zh[k]).replace('_', " "))
    };
    match list {
        "careers.academic" => rung(&sisandbox::agent::ACADEMIC_TITLES, &ACADEMIC_ZH),
        "careers.administrative" => rung(&sisandbox::agent::ADMIN_GRADES, &ADMIN_ZH),
        "population.age_bands" => {
            let e = effective?;
            let from = lookup(e, &format!("{list}[{i}].from_age"))?.as_integer()?;
            let to = lookup(e, &format!("{list}[{i}].to_age"))?.as_integer()?;
            Some(format!("{from}–{to}"))
        }
        _ => {
            let n = effective.and_then(|e| lookup(e, &format!("{list}[{i}].name")));
            Some(match n.and_then(toml::Value::as_str) {
                Some(n) => n.to_string(),
                None => format!("#{}", i + 1),
            })
        }
    }
}

/// The help of a key: the catalog's text in English; in Chinese the written help, else the
/// catalog's English text marked as such.
pub fn help(lang: Lang, kd: &KeyDoc) -> String {
    match lang {
        Lang::En => kd.doc.to_string(),
        Lang::Zh => match KEYS.iter().find(|(k, _, _, _)| *k == kd.path) {
            Some((_, _, _, zh)) => zh.to_string(),
            None => format!("（英文说明）{}", kd.doc),
        },
    }
}

/// A unit in the interface's language.
pub fn unit_name(lang: Lang, unit: &str) -> String {
    if lang == Lang::En {
        return unit.to_string();
    }
    match unit {
        "yuan/month" => "元/月",
        "yuan/year" => "元/年",
        "yuan/point" => "元/积分",
        "points/year" => "积分/年",
        "share" => "比例",
        "per year" => "每年",
        "years" => "年",
        "year" => "年份",
        "months" => "月",
        "month" | "month of year" => "月份",
        "staff" => "人",
        "×" => "倍",
        "share of average wage" | "share of AW" => "占社平工资比例",
        "multiple of average wage" => "社平工资倍数",
        "multiple of city average" => "城市平均工资倍数",
        "share of bases" => "缴费基数比例",
        "decimals" => "小数位",
        "class" => "类别",
        "path" => "路径",
        "per year of age" => "每岁",
        other => other,
    }
    .to_string()
}

/// The allowed values of a key in the interface's language.
pub fn allowed_text(lang: Lang, a: &sisandbox::scenario::Allowed) -> String {
    use sisandbox::scenario::Allowed;
    if lang == Lang::En {
        return a.describe();
    }
    let range = |min: Option<String>, max: Option<String>| match (min, max) {
        (Some(a), Some(b)) => format!("{a} 至 {b}"),
        (Some(a), None) => format!("不小于 {a}"),
        (None, Some(b)) => format!("不大于 {b}"),
        (None, None) => "任意".into(),
    };
    match a {
        Allowed::Number { min, max } => {
            range(min.map(|x| x.to_string()), max.map(|x| x.to_string()))
        }
        Allowed::Integer { min, max } => format!(
            "整数，{}",
            range(min.map(|x| x.to_string()), max.map(|x| x.to_string()))
        ),
        Allowed::OneOf(words) => format!(
            "可选：{}",
            words
                .iter()
                .map(|w| choice_name(lang, w))
                .collect::<Vec<_>>()
                .join("、")
        ),
        Allowed::Month => "月份 YYYY-MM（或年份）".into(),
        Allowed::Text => "文本".into(),
        Allowed::Bool => "是或否".into(),
        Allowed::Structured => "见各子项".into(),
    }
}

/// A choice word in the interface's language.
pub fn choice_name(lang: Lang, word: &str) -> String {
    const WORDS: &[(&str, &str, &str)] = &[
        ("statutory", "statutory", "法定"),
        ("flexible", "flexible", "弹性"),
        ("lump_sum", "lump sum", "一次性补缴"),
        ("none", "none", "不补"),
        ("annuity", "annuity contributions", "年金缴费"),
        ("health", "health benefits", "健康福利"),
        ("east", "east", "东部"),
        ("central", "central", "中部"),
        ("west", "west", "西部"),
        ("ministry", "ministry-affiliated", "部属"),
        ("local", "local", "地方"),
        ("year_end", "credited at year end", "年末记息"),
        ("rule1997", "1997 rule", "1997 年办法"),
        ("cumulative", "cumulative years", "累计年限"),
        (
            "continuous_or_cumulative",
            "continuous or cumulative years",
            "连续或累计年限",
        ),
        ("deemed_index", "deemed index", "视同缴费指数"),
        ("average_index", "average index", "平均缴费指数"),
    ];
    match WORDS.iter().find(|(w, _, _)| *w == word) {
        Some((_, en, zh)) => pick(lang, en, zh).to_string(),
        None => word.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sisandbox::scenario::Scenario;

    fn effective() -> toml::Table {
        match toml::Value::try_from(Scenario::default()).unwrap() {
            toml::Value::Table(t) => t,
            _ => unreachable!(),
        }
    }

    #[test]
    fn every_key_is_in_a_group_levers_first() {
        let e = effective();
        let g = groups(&e);
        assert!(g[0].id.starts_with("policy."), "{}", g[0].id);
        let rows: usize = g.iter().map(|g| g.rows.len()).sum();
        let all: usize = catalog::key_docs()
            .iter()
            .map(|d| catalog::expand(&d.path, &e).len())
            .sum();
        assert_eq!(rows, all, "every key of the catalog has a row");
        for d in catalog::key_docs() {
            let id = group_of(&d.path);
            assert!(GROUPS.iter().any(|(g, _, _)| *g == id), "{}", d.path);
        }
    }

    #[test]
    fn every_written_name_is_a_catalog_key() {
        for (k, _, _, _) in KEYS {
            assert!(
                catalog::key_docs().iter().any(|d| d.path == *k),
                "{k} is not in the catalog"
            );
        }
    }

    #[test]
    fn names_are_plain_in_both_languages() {
        let e = effective();
        assert_eq!(
            name(Lang::En, "careers.conversion_rate", Some(&e)),
            "Conversion to established posts (per year)"
        );
        assert_eq!(
            name(Lang::Zh, "careers.academic[1].base_wage", Some(&e)),
            "基本工资 — 讲师"
        );
        assert_eq!(
            name(Lang::En, "perception.beta.mean", None),
            "Present bias β · mean"
        );
        assert_eq!(template("universities[12].name"), "universities[].name");
        assert_eq!(choice_name(Lang::Zh, "lump_sum"), "一次性补缴");
    }
}

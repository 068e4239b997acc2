//! An entry typed into a form field, checked before it is written: numbers are edited as text
//! and committed on Enter or when the field loses focus, and a value that is not a number or
//! lies outside the key's allowed range is refused with a message instead of being clamped.

use crate::catalog::Editor;
use crate::i18n::Lang;
use sisandbox::scenario::{overrides::parse_value, Allowed};

/// The text a field shows for a value.
pub fn shown(editor: Editor, v: Option<&toml::Value>) -> String {
    match (editor, v) {
        (_, None) => String::new(),
        (Editor::Text | Editor::Choice, Some(toml::Value::String(s))) => s.clone(),
        (_, Some(v)) => v.to_string(),
    }
}

/// The value of a typed entry, or why it cannot be written (in the interface's language).
pub fn parse(
    lang: Lang,
    editor: Editor,
    allowed: &Allowed,
    text: &str,
) -> Result<toml::Value, String> {
    let t = text.trim();
    match editor {
        Editor::Number => {
            let x: f64 = t
                .replace([',', '_'], "")
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| msg(lang, Problem::NotNumber(t)))?;
            if let Allowed::Number { min, max } = allowed {
                check_range(lang, x, *min, *max)?;
            }
            Ok(toml::Value::Float(x))
        }
        Editor::Integer => {
            let x: i64 = t
                .replace([',', '_'], "")
                .parse()
                .map_err(|_| msg(lang, Problem::NotWhole(t)))?;
            if let Allowed::Integer { min, max } = allowed {
                check_range(lang, x as f64, min.map(|m| m as f64), max.map(|m| m as f64))?;
            }
            Ok(toml::Value::Integer(x))
        }
        Editor::Bool => match t {
            "true" => Ok(toml::Value::Boolean(true)),
            "false" => Ok(toml::Value::Boolean(false)),
            _ => Err(msg(lang, Problem::NotNumber(t))),
        },
        Editor::Text | Editor::Choice => Ok(toml::Value::String(text.to_string())),
        Editor::Toml => Ok(parse_value(t)),
    }
}

fn check_range(lang: Lang, x: f64, min: Option<f64>, max: Option<f64>) -> Result<(), String> {
    if let Some(m) = min.filter(|m| x < *m) {
        return Err(msg(lang, Problem::Below(x, m)));
    }
    if let Some(m) = max.filter(|m| x > *m) {
        return Err(msg(lang, Problem::Above(x, m)));
    }
    Ok(())
}

enum Problem<'a> {
    NotNumber(&'a str),
    NotWhole(&'a str),
    Below(f64, f64),
    Above(f64, f64),
}

fn msg(lang: Lang, p: Problem) -> String {
    match (lang, p) {
        (Lang::En, Problem::NotNumber(t)) => format!("`{t}` is not a number; nothing was written"),
        (Lang::Zh, Problem::NotNumber(t)) => format!("“{t}”不是数字，未写入"),
        (Lang::En, Problem::NotWhole(t)) => {
            format!("`{t}` is not a whole number; nothing was written")
        }
        (Lang::Zh, Problem::NotWhole(t)) => format!("“{t}”不是整数，未写入"),
        (Lang::En, Problem::Below(x, m)) => {
            format!("{x} is too small: it must be at least {m}; nothing was written")
        }
        (Lang::Zh, Problem::Below(x, m)) => format!("{x} 过小：不能小于 {m}，未写入"),
        (Lang::En, Problem::Above(x, m)) => {
            format!("{x} is too large: it must be at most {m}; nothing was written")
        }
        (Lang::Zh, Problem::Above(x, m)) => format!("{x} 过大：不能大于 {m}，未写入"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_checked_not_clamped() {
        let ages = Allowed::Integer {
            min: Some(17),
            max: Some(76),
        };
        let p = |t| parse(Lang::En, Editor::Integer, &ages, t);
        assert_eq!(p("40"), Ok(toml::Value::Integer(40)));
        assert!(p("4").unwrap_err().contains("at least 17"));
        assert!(p("400").unwrap_err().contains("at most 76"));
        assert!(p("4.5").unwrap_err().contains("not a whole number"));
        let share = Allowed::Number {
            min: Some(0.0),
            max: Some(1.0),
        };
        let q = |t| parse(Lang::Zh, Editor::Number, &share, t);
        assert_eq!(q(" 0.25 "), Ok(toml::Value::Float(0.25)));
        assert!(q("2").unwrap_err().contains("不能大于 1"));
        assert!(q("x").unwrap_err().contains("不是数字"));
        assert_eq!(
            parse(
                Lang::En,
                Editor::Integer,
                &Allowed::Integer {
                    min: None,
                    max: None
                },
                "6,000"
            ),
            Ok(toml::Value::Integer(6000))
        );
    }
}

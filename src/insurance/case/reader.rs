//! Reading a case file's values with errors that name the file, line, key, value and what is
//! allowed.

use super::CaseError;
use crate::money::{yuan_to_fen, Fen};
use crate::time::YearMonth;
use toml_edit::{Item, Table, Value};

pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// The closest allowed word, for "did you mean".
pub(super) fn suggest(word: &str, allowed: &[&str]) -> Option<String> {
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(word, a), *a))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a.to_string())
}

pub(super) fn quote_list(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) struct Reader<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl Reader<'_> {
    pub(super) fn err(
        &self,
        path: &str,
        span: Option<std::ops::Range<usize>>,
        message: String,
    ) -> CaseError {
        CaseError {
            file: self.file.to_string(),
            path: path.to_string(),
            line: span.map(|s| line_of(self.text, s.start)),
            message,
        }
    }

    pub(super) fn section<'t>(&self, root: &'t Table, name: &str) -> Result<&'t Table, CaseError> {
        match root.get(name) {
            Some(Item::Table(t)) => Ok(t),
            Some(other) => Err(self.err(name, other.span(), format!("`[{name}]` must be a table"))),
            None => Err(self.err(name, None, format!("the section `[{name}]` is missing"))),
        }
    }

    pub(super) fn unknown_keys(
        &self,
        table: &Table,
        prefix: &str,
        allowed: &[&str],
    ) -> Result<(), CaseError> {
        for (key, _) in table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let path = if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{key}")
            };
            let span = table.key(key).and_then(|k| k.span());
            let hint = suggest(key, allowed)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let what = if prefix.is_empty() { "section" } else { "key" };
            return Err(self.err(
                &path,
                span,
                format!(
                    "unknown {what} `{key}`{hint}; allowed: {}",
                    quote_list(allowed)
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn value<'t>(
        &self,
        t: &'t Table,
        section: &str,
        key: &str,
    ) -> Option<(&'t Value, String)> {
        t.get(key)
            .map(|item| (item.as_value(), format!("{section}.{key}")))
            .and_then(|(v, p)| v.map(|v| (v, p)))
    }

    pub(super) fn missing(&self, t: &Table, section: &str, key: &str, allowed: &str) -> CaseError {
        let path = format!("{section}.{key}");
        if t.contains_key(key) {
            let span = t.get(key).and_then(|i| i.span());
            return self.err(&path, span, format!("must be a single value: {allowed}"));
        }
        self.err(
            &path,
            t.span(),
            format!("missing field `{key}` in `[{section}]`: {allowed}"),
        )
    }

    pub(super) fn word(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        allowed: &[&str],
    ) -> Result<Option<String>, CaseError> {
        let Some((v, path)) = self.value(t, section, key) else {
            return if t.contains_key(key) {
                Err(self.missing(t, section, key, &format!("one of {}", quote_list(allowed))))
            } else {
                Ok(None)
            };
        };
        let Some(s) = v.as_str() else {
            return Err(self.err(
                &path,
                v.span(),
                format!(
                    "`{}` is not text; allowed: one of {}",
                    v.to_string().trim(),
                    quote_list(allowed)
                ),
            ));
        };
        let norm = s.trim().to_lowercase().replace('_', "-");
        if let Some(w) = allowed.iter().find(|a| a.replace('_', "-") == norm) {
            return Ok(Some(w.to_string()));
        }
        let hint = suggest(&norm, allowed)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        Err(self.err(
            &path,
            v.span(),
            format!(
                "unknown value \"{s}\"{hint}; allowed: one of {}",
                quote_list(allowed)
            ),
        ))
    }

    pub(super) fn required_word(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        allowed: &[&str],
    ) -> Result<String, CaseError> {
        self.word(t, section, key, allowed)?.ok_or_else(|| {
            self.missing(t, section, key, &format!("one of {}", quote_list(allowed)))
        })
    }

    pub(super) fn month(
        &self,
        t: &Table,
        section: &str,
        key: &str,
    ) -> Result<Option<YearMonth>, CaseError> {
        let Some((v, path)) = self.value(t, section, key) else {
            return Ok(None);
        };
        let parsed = match v {
            Value::String(s) => YearMonth::parse(s.value()),
            Value::Integer(i) => YearMonth::parse(&i.value().to_string()),
            other => Err(format!(
                "`{}` is not a month: expected YYYY-MM, e.g. 2025-07",
                other.to_string().trim()
            )),
        };
        parsed.map(Some).map_err(|m| self.err(&path, v.span(), m))
    }

    /// A number within `[min, max]`; integers are accepted where floats are expected.
    pub(super) fn number(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        min: f64,
        max: f64,
        what: &str,
    ) -> Result<Option<f64>, CaseError> {
        let Some((v, path)) = self.value(t, section, key) else {
            return if t.contains_key(key) {
                Err(self.missing(t, section, key, what))
            } else {
                Ok(None)
            };
        };
        let x = match v {
            Value::Float(f) => *f.value(),
            Value::Integer(i) => *i.value() as f64,
            other => {
                return Err(self.err(
                    &path,
                    v.span(),
                    format!(
                        "`{}` is not a number; allowed: {what}",
                        other.to_string().trim()
                    ),
                ))
            }
        };
        if !x.is_finite() || x < min || x > max {
            return Err(self.err(
                &path,
                v.span(),
                format!("{} is out of range; allowed: {what}", v.to_string().trim()),
            ));
        }
        Ok(Some(x))
    }

    pub(super) fn whole(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        max: i64,
        what: &str,
    ) -> Result<Option<i64>, CaseError> {
        let Some(x) = self.number(t, section, key, 0.0, max as f64, what)? else {
            return Ok(None);
        };
        if x.fract() != 0.0 {
            let (_, path) = self.value(t, section, key).expect("present");
            let span = t.get(key).and_then(|i| i.span());
            return Err(self.err(
                &path,
                span,
                format!("{x} is not a whole number; allowed: {what}"),
            ));
        }
        Ok(Some(x as i64))
    }

    /// A money amount in yuan that must not be negative.
    pub(super) fn balance(
        &self,
        t: &Table,
        section: &str,
        key: &str,
        required: bool,
    ) -> Result<Fen, CaseError> {
        let what = "an amount in yuan, at least 0";
        let Some((v, path)) = self.value(t, section, key) else {
            return if required || t.contains_key(key) {
                Err(self.missing(t, section, key, what))
            } else {
                Ok(0)
            };
        };
        let x = match v {
            Value::Float(f) => *f.value(),
            Value::Integer(i) => *i.value() as f64,
            other => {
                return Err(self.err(
                    &path,
                    v.span(),
                    format!(
                        "`{}` is not a number; allowed: {what}",
                        other.to_string().trim()
                    ),
                ))
            }
        };
        if !x.is_finite() || x > 1e12 {
            return Err(self.err(
                &path,
                v.span(),
                format!("{x} is out of range; allowed: {what}"),
            ));
        }
        if x < 0.0 {
            return Err(self.err(
                &path,
                v.span(),
                format!("negative balance {}; allowed: {what}", v.to_string().trim()),
            ));
        }
        Ok(yuan_to_fen(x))
    }
}

//! A sweep parameter's levels: the values of a grid from its `values` or `range`, the bounds
//! of a sampled design, each as the TOML text `--set` takes and the text tables show. Split
//! from `spec`, which checks the sweep file and builds the variants from these.

use super::spec::{Design, ParamSpec, Value, MAX_VARIANTS};
use crate::scenario::{Allowed, Scenario};
use std::fmt;

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

/// A float as TOML float text (always with a decimal point or exponent).
pub(super) fn float_toml(x: f64) -> String {
    let s = super::stats::fmt(x);
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

pub(super) fn value_of(v: &toml::Value) -> Value {
    let toml = v.to_string();
    let display = match v {
        toml::Value::String(s) => s.clone(),
        _ => toml.clone(),
    };
    Value { toml, display }
}

pub(super) fn number_value(x: f64, integer: bool) -> Value {
    let toml = if integer {
        format!("{}", x.round() as i64)
    } else {
        float_toml(x)
    };
    Value {
        display: toml.clone(),
        toml,
    }
}

/// Whether the catalog describes the key at `path` as an integer (`[3]` indices match `[]`).
pub(super) fn is_integer_key(path: &str) -> bool {
    let mut generic = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                generic.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => generic.push(c),
        }
    }
    Scenario::key_docs()
        .iter()
        .any(|d| d.path == generic && matches!(d.allowed, Allowed::Integer { .. }))
}

/// The grid levels of a parameter (values, or a range).
pub(super) fn grid_levels(p: &ParamSpec, integer: bool, problems: &mut Vec<String>) -> Vec<Value> {
    let at = format!("parameters `{}`", p.path);
    if p.min.is_some() || p.max.is_some() {
        problems.push(format!(
            "{at}: `min`/`max` are for the lhs and morris designs; a grid takes `values` or `range`"
        ));
    }
    match (&p.values, &p.range) {
        (Some(_), Some(_)) => {
            problems.push(format!("{at}: give `values` or `range`, not both"));
            Vec::new()
        }
        (Some(vs), None) => {
            if vs.is_empty() {
                problems.push(format!("{at}: `values` is empty"));
            }
            let out: Vec<Value> = vs.iter().map(value_of).collect();
            let mut seen = std::collections::HashSet::new();
            for v in &out {
                if !seen.insert(v.toml.as_str()) {
                    problems.push(format!("{at}: value {} is listed twice", v.display));
                }
            }
            out
        }
        (None, Some(r)) => {
            if !(r.from.is_finite() && r.to.is_finite()) {
                problems.push(format!("{at}: range ends must be finite numbers"));
                return Vec::new();
            }
            if r.steps == 0 {
                problems.push(format!("{at}: empty range (steps = 0)"));
                return Vec::new();
            }
            if r.from > r.to {
                problems.push(format!(
                    "{at}: empty range (from = {} is above to = {})",
                    r.from, r.to
                ));
                return Vec::new();
            }
            if r.steps == 1 && r.from != r.to {
                problems.push(format!(
                    "{at}: a range from {} to {} needs at least 2 steps",
                    r.from, r.to
                ));
                return Vec::new();
            }
            if r.steps as usize > MAX_VARIANTS {
                problems.push(format!(
                    "{at}: steps = {} is more than {MAX_VARIANTS}",
                    r.steps
                ));
                return Vec::new();
            }
            let n = r.steps as usize;
            let out: Vec<Value> = (0..n)
                .map(|i| {
                    let x = if n == 1 {
                        r.from
                    } else if i == n - 1 {
                        r.to
                    } else {
                        r.from + (r.to - r.from) * i as f64 / (n - 1) as f64
                    };
                    number_value(x, integer)
                })
                .collect();
            let mut seen = std::collections::HashSet::new();
            if let Some(v) = out.iter().find(|v| !seen.insert(v.toml.as_str())) {
                problems.push(format!(
                    "{at}: the range gives the integer {} twice; use fewer steps",
                    v.display
                ));
            }
            out
        }
        (None, None) => {
            problems.push(format!(
                "{at}: needs `values = [...]` or `range = {{ from, to, steps }}`"
            ));
            Vec::new()
        }
    }
}

/// The `[min, max]` of a parameter of an LHS or Morris design.
pub(super) fn bounds(p: &ParamSpec, design: Design, problems: &mut Vec<String>) -> (f64, f64) {
    let at = format!("parameters `{}`", p.path);
    if p.values.is_some() || p.range.is_some() {
        problems.push(format!(
            "{at}: the {} design takes `min` and `max`, not `values` or `range`",
            design.name()
        ));
    }
    match (p.min, p.max) {
        (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() && lo < hi => (lo, hi),
        (Some(lo), Some(hi)) => {
            problems.push(format!(
                "{at}: empty range (min = {lo} must be below max = {hi})"
            ));
            (0.0, 0.0)
        }
        _ => {
            problems.push(format!("{at}: needs `min` and `max`"));
            (0.0, 0.0)
        }
    }
}

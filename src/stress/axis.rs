//! One axis of a stress grid: `--vary KEY=LOW..HIGH:STEPS`, parsed and checked against the
//! scenario key catalog before anything runs, so a typo, a key that is not a number, an end
//! outside the key's allowed range or a grid of 0 steps is reported naming the key.

use crate::scenario::{Allowed, KeyDoc, Scenario};

/// The most steps of one axis (a heat map with more cells than this per side is unreadable,
/// and the sweep behind it refuses more than 20,000 variants anyway).
pub const MAX_STEPS: u32 = 200;

/// A parsed `--vary`.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The scenario key path, as for `--set` (`careers.conversion_rate`, `universities[0].wage_level`).
    pub key: String,
    pub low: f64,
    pub high: f64,
    pub steps: u32,
    /// The key's unit from the catalog ("share", "yuan/month", ...; may be empty).
    pub unit: String,
    /// Whether the catalog describes the key as a whole number.
    pub integer: bool,
}

impl Axis {
    /// Parses `KEY=LOW..HIGH:STEPS` and checks it against `docs` (the scenario key catalog).
    /// The error names the `--vary` text and the key.
    pub fn parse(text: &str, docs: &[KeyDoc]) -> Result<Axis, String> {
        let fail = |m: String| format!("--vary {text}: {m}");
        let (key, spec) = text.split_once('=').ok_or_else(|| {
            fail("expected KEY=LOW..HIGH:STEPS, e.g. careers.conversion_rate=0..0.1:5".into())
        })?;
        let key = key.trim();
        if key.is_empty() {
            return Err(fail("the key is missing before `=`".into()));
        }
        let (range, steps) = spec.rsplit_once(':').ok_or_else(|| {
            fail(format!(
                "`{key}`: expected LOW..HIGH:STEPS after `=`, got `{spec}` (no `:STEPS`)"
            ))
        })?;
        let (low, high) = range.split_once("..").ok_or_else(|| {
            fail(format!(
                "`{key}`: expected LOW..HIGH before `:`, got `{range}`"
            ))
        })?;
        let number = |what: &str, s: &str| -> Result<f64, String> {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| fail(format!("`{key}`: {what} `{}` is not a number", s.trim())))
        };
        let low = number("LOW", low)?;
        let high = number("HIGH", high)?;
        let steps: u32 = steps.trim().parse().map_err(|_| {
            fail(format!(
                "`{key}`: STEPS `{}` is not a whole number",
                steps.trim()
            ))
        })?;
        if steps == 0 {
            return Err(fail(format!(
                "`{key}`: 0 steps gives an empty grid; use at least 1"
            )));
        }
        if steps > MAX_STEPS {
            return Err(fail(format!(
                "`{key}`: {steps} steps; at most {MAX_STEPS} per axis"
            )));
        }
        if low > high {
            return Err(fail(format!("`{key}`: LOW = {low} is above HIGH = {high}")));
        }
        if steps == 1 && low != high {
            return Err(fail(format!(
                "`{key}`: a range from {low} to {high} needs at least 2 steps"
            )));
        }
        let doc = find_doc(key, docs).map_err(&fail)?;
        let integer = matches!(doc.allowed, Allowed::Integer { .. });
        if !matches!(
            doc.allowed,
            Allowed::Number { .. } | Allowed::Integer { .. }
        ) {
            return Err(fail(format!(
                "`{key}` takes {}, not a number; only numeric keys can be varied",
                doc.allowed.describe()
            )));
        }
        for (what, x) in [("LOW", low), ("HIGH", high)] {
            if !doc.allowed.admits_number(x) {
                return Err(fail(format!(
                    "`{key}`: {what} = {x} is outside the key's allowed range ({})",
                    doc.allowed.describe()
                )));
            }
        }
        if integer && steps > 1 && (high - low) < f64::from(steps - 1) {
            return Err(fail(format!(
                "`{key}` is a whole number: {steps} steps from {low} to {high} would repeat values; use at most {} steps",
                (high - low) as u32 + 1
            )));
        }
        Ok(Axis {
            key: key.to_string(),
            low,
            high,
            steps,
            unit: doc.unit.to_string(),
            integer,
        })
    }

    /// The values of the axis: `steps` evenly spaced from `low` to `high`, both included,
    /// rounded to 12 significant digits (so 0.1..0.2:3 gives 0.15, not 0.15000000000000002),
    /// whole numbers for integer keys.
    pub fn levels(&self) -> Vec<f64> {
        let n = self.steps as usize;
        (0..n)
            .map(|i| {
                let x = if n == 1 {
                    self.low
                } else if i == n - 1 {
                    self.high
                } else {
                    self.low + (self.high - self.low) * i as f64 / (n - 1) as f64
                };
                if self.integer {
                    x.round()
                } else {
                    format!("{x:.11e}").parse().unwrap_or(x)
                }
            })
            .collect()
    }

    /// The levels as TOML values for the sweep file.
    pub fn values(&self) -> Vec<toml::Value> {
        self.levels()
            .into_iter()
            .map(|x| {
                if self.integer {
                    toml::Value::Integer(x as i64)
                } else {
                    toml::Value::Float(x)
                }
            })
            .collect()
    }

    /// The axis title: `key (unit)`.
    pub fn title(&self) -> String {
        if self.unit.is_empty() {
            self.key.clone()
        } else {
            format!("{} ({})", self.key, self.unit)
        }
    }
}

/// The catalog path of a key path: list indices become `[]` (`universities[0].x` →
/// `universities[].x`).
pub fn generic_path(key: &str) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in key.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// The catalog entry of `key`, or a message naming it (with the override machinery's
/// did-you-mean when the path itself is unknown).
fn find_doc<'a>(key: &str, docs: &'a [KeyDoc]) -> Result<&'a KeyDoc, String> {
    let generic = generic_path(key);
    if let Some(d) = docs.iter().find(|d| d.path == generic) {
        return Ok(d);
    }
    // Let the `--set` path check explain what is wrong (unknown key, did you mean, list
    // syntax); a path it accepts is below a key rather than a key itself.
    match crate::scenario::from_str("", "<key check>", &[format!("{key}=0")]) {
        Err(e) => {
            let detail = e
                .diagnostics()
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            Err(format!(
                "`{key}` is not a scenario key: {detail} (see `sisandbox docs scenarios`)"
            ))
        }
        Ok(_) => Err(format!(
            "`{key}` is not a scenario key of its own (vary the key itself; a plain number holds for every month and region); see `sisandbox docs scenarios`"
        )),
    }
}

/// The catalog of every scenario key.
pub fn catalog() -> Vec<KeyDoc> {
    Scenario::key_docs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Axis, String> {
        Axis::parse(t, &catalog())
    }

    #[test]
    fn parses_a_range_and_takes_the_unit_from_the_catalog() {
        let a = parse("careers.conversion_rate=0..0.1:5").unwrap();
        assert_eq!((a.low, a.high, a.steps), (0.0, 0.1, 5));
        assert!(!a.integer);
        assert_eq!(a.levels(), vec![0.0, 0.025, 0.05, 0.075, 0.1]);
        assert_eq!(
            parse("careers.conversion_rate=0.1..0.2:3")
                .unwrap()
                .levels()[1],
            0.15
        );
        let n = parse("simulation.agents=100..500:5").unwrap();
        assert!(n.integer);
        assert_eq!(n.values()[1], toml::Value::Integer(200));
        assert_eq!(
            generic_path("universities[12].wage_level"),
            "universities[].wage_level"
        );
    }

    #[test]
    fn bad_axes_name_the_key_and_the_problem() {
        let cases = [
            (
                "careers.conversion_rat=0..0.1:3",
                "did you mean `conversion_rate`",
            ),
            ("careers.conversion_rate=0..0.1:0", "0 steps"),
            (
                "careers.conversion_rate=0.1..0:3",
                "LOW = 0.1 is above HIGH = 0",
            ),
            (
                "careers.conversion_rate=0..2:3",
                "HIGH = 2 is outside the key's allowed range (0 to 1)",
            ),
            ("careers.conversion_rate=0-0.1:3", "expected LOW..HIGH"),
            ("careers.conversion_rate=0..x:3", "HIGH `x` is not a number"),
            ("careers.conversion_rate=0..0.1", "no `:STEPS`"),
            ("careers.conversion_rate", "expected KEY=LOW..HIGH:STEPS"),
            ("name=0..1:2", "only numeric keys"),
            ("simulation.agents=100..102:5", "would repeat values"),
            ("careers.conversion_rate=0..0.1:1", "needs at least 2 steps"),
        ];
        for (text, want) in cases {
            let e = parse(text).unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
            let key = text.split('=').next().unwrap();
            assert!(e.contains(key), "{text}: {e}");
        }
    }
}

//! The key catalog: one [`KeyDoc`] per scenario key, with its unit, allowed range, meaning,
//! source and certainty. It is the single description of the schema: validation checks ranges
//! from it, docs/SCENARIOS.md is generated from it, and manifests cite its provenance. Each
//! section module owns the docs of its own keys (`key_docs()`), so the description lives beside
//! the code that uses the value.

use serde::{Deserialize, Serialize};

/// How sure a default is, in the grading defined in docs/RULES.md ("Certainty grades").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Certainty {
    /// Read in a reproduction of the official document.
    R,
    /// Two or more independent public sources agree, or an official notice reproduces it.
    C,
    /// From the official document as commonly cited.
    M,
    /// Unverified or conflicting: a modelling assumption to vary.
    U,
    /// A modelling choice of sisandbox (calibration, not a rule of law).
    #[serde(alias = "model")]
    Model,
}

impl Certainty {
    pub fn label(self) -> &'static str {
        match self {
            Certainty::R => "R",
            Certainty::C => "C",
            Certainty::M => "M",
            Certainty::U => "U",
            Certainty::Model => "model",
        }
    }
}

/// What values a key allows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Allowed {
    /// A number within the closed interval (either end may be open-ended).
    Number { min: Option<f64>, max: Option<f64> },
    /// An integer within the closed interval.
    Integer { min: Option<i64>, max: Option<i64> },
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// A month "YYYY-MM" (or a bare year).
    Month,
    /// Free text.
    Text,
    /// true or false.
    Bool,
    /// A list or table whose items are described by their own keys.
    Structured,
}

impl Allowed {
    pub const fn number(min: f64, max: f64) -> Self {
        Allowed::Number {
            min: Some(min),
            max: Some(max),
        }
    }
    pub const fn at_least(min: f64) -> Self {
        Allowed::Number {
            min: Some(min),
            max: None,
        }
    }
    pub const fn integer(min: i64, max: i64) -> Self {
        Allowed::Integer {
            min: Some(min),
            max: Some(max),
        }
    }
    /// A share or probability.
    pub const fn unit_interval() -> Self {
        Allowed::number(0.0, 1.0)
    }

    /// Human wording for error messages and docs: "0 to 1", "one of `male`, `female`".
    pub fn describe(&self) -> String {
        fn n(x: f64) -> String {
            let s = format!("{x}");
            s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
        }
        match self {
            Allowed::Number {
                min: Some(a),
                max: Some(b),
            } => format!("{} to {}", n(*a), n(*b)),
            Allowed::Number {
                min: Some(a),
                max: None,
            } => format!("at least {}", n(*a)),
            Allowed::Number {
                min: None,
                max: Some(b),
            } => format!("at most {}", n(*b)),
            Allowed::Number { .. } => "any number".into(),
            Allowed::Integer {
                min: Some(a),
                max: Some(b),
            } => format!("whole number {a} to {b}"),
            Allowed::Integer {
                min: Some(a),
                max: None,
            } => format!("whole number, at least {a}"),
            Allowed::Integer {
                min: None,
                max: Some(b),
            } => format!("whole number, at most {b}"),
            Allowed::Integer { .. } => "any whole number".into(),
            Allowed::OneOf(words) => {
                let w: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
                format!("one of {}", w.join(", "))
            }
            Allowed::Month => "a month YYYY-MM".into(),
            Allowed::Text => "text".into(),
            Allowed::Bool => "true or false".into(),
            Allowed::Structured => "see the keys below".into(),
        }
    }

    /// Whether a number is allowed (words, months and text are checked by deserialisation).
    pub fn admits_number(&self, x: f64) -> bool {
        if !x.is_finite() {
            return false;
        }
        match self {
            Allowed::Number { min, max } => {
                min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m)
            }
            Allowed::Integer { min, max } => {
                x.fract() == 0.0
                    && min.is_none_or(|m| x >= m as f64)
                    && max.is_none_or(|m| x <= m as f64)
            }
            _ => true,
        }
    }
}

/// The description of one key.
#[derive(Clone, Debug, Serialize)]
pub struct KeyDoc {
    /// Dotted path relative to the section that returns it; `[]` marks the items of a list
    /// (`universities[].region`). Dated keys are described once, for their values.
    pub path: String,
    /// "yuan/month", "share", "years", "" for words.
    pub unit: &'static str,
    pub allowed: Allowed,
    /// Whether the key takes a dated table (see `scenario::dated`).
    pub dated: bool,
    /// What it means and why it matters; one or two sentences.
    pub doc: &'static str,
    /// Where the default comes from: a document number, a notice, a study, or "model".
    pub source: &'static str,
    pub certainty: Certainty,
}

impl KeyDoc {
    pub fn new(path: &str, unit: &'static str, allowed: Allowed, doc: &'static str) -> Self {
        KeyDoc {
            path: path.to_string(),
            unit,
            allowed,
            dated: false,
            doc,
            source: "model",
            certainty: Certainty::Model,
        }
    }
    pub fn dated(mut self) -> Self {
        self.dated = true;
        self
    }
    pub fn source(mut self, source: &'static str, certainty: Certainty) -> Self {
        self.source = source;
        self.certainty = certainty;
        self
    }
    /// The same doc under `prefix.` (how a parent composes its sections).
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.path = if prefix.is_empty() {
            self.path
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

/// A problem found by validation, located by key path. The loader turns the path into file,
/// line and column.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    /// Dotted key path with list indices, e.g. `universities[1].region`.
    pub path: String,
    pub message: String,
}

impl Issue {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            message: message.into(),
        }
    }
}

//! Errors of loading a scenario. Every problem is a [`Diagnostic`] that says where the value was
//! written (file, line and column; or the `--set` override; or `default`), which key it is and
//! what is wrong, so a user can fix a file without reading the source. The loader collects all
//! problems of a stage before it stops, hence a list rather than a single error.

use std::fmt;
use std::path::PathBuf;

/// One problem, printed as `file:line:col: key = value: message`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Diagnostic {
    pub file: Option<PathBuf>,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    /// Where the key came from when not from a file: the override text (`--set a.b=1`) or
    /// `default` (the embedded default scenario).
    pub origin: Option<String>,
    /// Key path with list indices, e.g. `universities[1].region`.
    pub key: Option<String>,
    /// The offending value as written in TOML, when there is one.
    pub value: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// A problem with no location yet.
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            ..Diagnostic::default()
        }
    }

    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn with_value(mut self, value: Option<String>) -> Self {
        self.value = value;
        self
    }

    /// Locates the problem in a file.
    pub fn at(mut self, file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        self.file = Some(file.into());
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Locates the problem in an override or the defaults (see [`Diagnostic::origin`]).
    pub fn from_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    fn location(&self) -> Option<String> {
        let file = self.file.as_ref().map(|f| f.display().to_string());
        let mut out = file.or_else(|| self.origin.clone())?;
        if self.file.is_some() {
            for n in [self.line, self.column].into_iter().flatten() {
                out.push_str(&format!(":{n}"));
            }
        }
        Some(out)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.location() {
            write!(f, "{loc}: ")?;
        }
        match (&self.key, &self.value) {
            (Some(k), Some(v)) => write!(f, "{k} = {v}: ")?,
            (Some(k), None) => write!(f, "{k}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// A file could not be read (missing, unreadable); names the file, and the `extends` that
    /// asked for it when there is one.
    #[error("{0}")]
    Io(Box<Diagnostic>),
    /// A file is not valid TOML (or not UTF-8 text).
    #[error("{0}")]
    Syntax(Box<Diagnostic>),
    /// The TOML is well formed but the scenario is not valid: every problem found.
    #[error("{}", lines(.0))]
    Invalid(Vec<Diagnostic>),
}

impl ScenarioError {
    /// Every problem, whatever the kind.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            ScenarioError::Io(d) | ScenarioError::Syntax(d) => std::slice::from_ref(d.as_ref()),
            ScenarioError::Invalid(v) => v,
        }
    }
}

fn lines(diags: &[Diagnostic]) -> String {
    let v: Vec<String> = diags.iter().map(Diagnostic::to_string).collect();
    v.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_file_line_column_key_value_and_message() {
        let d = Diagnostic::new("expected a number 0 to 1")
            .with_key("careers.quit_rate.contract")
            .with_value(Some("\"high\"".into()))
            .at("scenarios/x.toml", 12, 9);
        assert_eq!(
            d.to_string(),
            "scenarios/x.toml:12:9: careers.quit_rate.contract = \"high\": expected a number 0 to 1"
        );
    }

    #[test]
    fn display_names_the_override_or_the_default() {
        let d = Diagnostic::new("unknown key")
            .with_key("a.b")
            .from_origin("--set a.b=1");
        assert_eq!(d.to_string(), "--set a.b=1: a.b: unknown key");
        let e =
            ScenarioError::Invalid(vec![d.clone(), Diagnostic::new("x").from_origin("default")]);
        assert_eq!(e.to_string(), "--set a.b=1: a.b: unknown key\ndefault: x");
        assert_eq!(e.diagnostics().len(), 2);
    }
}

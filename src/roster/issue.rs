//! Problems found in a roster, and how a message shows a cell: by its length only, never its
//! text (any cell may hold a personal identifier).

use super::COLUMNS;
use std::fmt;

/// Longest cell value echoed in a message (longer values are cut, with "…").
const ECHO_CHARS: usize = 40;

/// One problem in a roster file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterIssue {
    pub file: String,
    /// 1-based line in the file (the header is line 1); 0 when the problem is the whole file.
    pub line: u64,
    /// The column and the offending cell value, when the problem is one cell.
    pub column: Option<(String, String)>,
    pub message: String,
}

impl fmt::Display for RosterIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: ", self.file, self.line)?;
        } else {
            write!(f, "{}: ", self.file)?;
        }
        if let Some((column, value)) = &self.column {
            // `value` is already withheld (see `withheld`): never a cell's text.
            write!(f, "column `{column}` = {value}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Why a roster could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{file}: cannot read the roster: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    /// Every problem found, in file order.
    #[error("{}", render(.0))]
    Invalid(Vec<RosterIssue>),
}

impl RosterError {
    /// The problems found (empty for a read error).
    pub fn issues(&self) -> &[RosterIssue] {
        match self {
            RosterError::Read { .. } => &[],
            RosterError::Invalid(v) => v,
        }
    }
}

pub(super) fn render(issues: &[RosterIssue]) -> String {
    let n = issues.len();
    let mut out = format!(
        "the roster has {n} problem{}:",
        if n == 1 { "" } else { "s" }
    );
    for i in issues {
        out.push_str("\n  ");
        out.push_str(&i.to_string());
    }
    out
}

/// A cell value cut to a readable length for messages.
pub(super) fn echo(value: &str) -> String {
    if value.chars().count() <= ECHO_CHARS {
        value.to_string()
    } else {
        let mut s: String = value.chars().take(ECHO_CHARS).collect();
        s.push('…');
        s
    }
}

pub(super) fn allowed_columns() -> String {
    COLUMNS
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn did_you_mean(name: &str) -> String {
    let best = COLUMNS
        .iter()
        .map(|(c, _)| (strsim::levenshtein(name, c), *c))
        .min();
    match best {
        Some((d, c)) if d <= (c.len() / 3).max(2) => format!(" (did you mean `{c}`?)"),
        _ => String::new(),
    }
}

/// A bad cell in an error: only its length, never its text. Any cell may hold a personal
/// identifier (a roster whose cells are shifted against its header puts ID numbers, names,
/// phone numbers or e-mail addresses in checked columns, in any script or format), so no
/// pattern decides what is safe to show; the file, line, column and what is allowed locate
/// and explain the problem.
pub(super) fn withheld(value: &str) -> String {
    match value.chars().count() {
        0 => "<empty>".to_string(),
        1 => "<1 character withheld>".to_string(),
        n => format!("<{n} characters withheld>"),
    }
}

/// An unknown header field: named when it reads like a column name (an HR system's own
/// column, perhaps numbered: `备注2`), withheld when it could be a value: digits other than a
/// short trailing number (in any script), `@` or `+`, or long text.
pub(super) fn header_name(name: &str) -> String {
    let body = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let plain = name.chars().count() <= 24
        && name.len() - body.len() <= 2
        && !body.chars().any(char::is_numeric)
        && !name.contains(['@', '+']);
    if plain {
        format!("`{}`", echo(name))
    } else {
        withheld(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_close_columns() {
        assert!(did_you_mean("brith").contains("birth"));
        assert!(did_you_mean("wage").is_empty() || did_you_mean("wage").contains('`'));
        assert!(did_you_mean("zzzzzzzzzz").is_empty());
    }
}

#[cfg(test)]
mod shown_tests {
    use super::{header_name, withheld};

    #[test]
    fn cells_are_always_withheld_and_only_column_like_headers_named() {
        for v in [
            "110101199003071234",
            "1101 0119 9003 0712 34",
            "１１０１０１１９９００３０７１２３４",
            "1.10101E+17",
            "Zhang Wei",
            "𠀀𪚥",
            "+86 138 0013 8000",
            "a.b@example.cn",
            "E12345678",
        ] {
            let w = withheld(v);
            assert!(w.starts_with('<') && !w.contains(v), "{v}: {w}");
        }
        assert_eq!(header_name("brith"), "`brith`");
        assert_eq!(header_name("手机号"), "`手机号`");
        assert_eq!(header_name("备注2"), "`备注2`");
        assert!(header_name("13800138000").contains("withheld"));
        assert!(header_name("１３８００１３８０００").contains("withheld"));
        assert!(header_name("E12345678").contains("withheld"));
        assert!(header_name("a1b2").contains("withheld"));
        assert!(header_name("a.b@example.cn").contains("withheld"));
    }
}
